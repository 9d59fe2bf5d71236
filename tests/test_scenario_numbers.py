"""A number in quotes in any numeric field of a scenario file gets the one hint.

Found by a tester: ``factor = "0.5"`` said "'0.5' is text, not a number; remove the quotes:
factor = 0.5", but a shock's ``change = "-0.5"`` said "'-0.5' is not a change between -1
and 0; write change = -0.5 ...", which reads as if -0.5 were refused (and a new firm's
``lat = "30.9"``, an edit's ``row = "4"`` each had a message of their own).
"""

from __future__ import annotations

import pandas as pd
import pytest

from symbiosis import InputError, from_frames
from symbiosis.scenarios import apply_scenario, parse_scenario

COLUMNS = ["source", "target", "material", "quantity", "unit", "category"]


@pytest.fixture(scope="module")
def works():
    firms = pd.DataFrame({"id": ["SM", "CEM", "LF", "NEW"], "role": ["firm"] * 4})
    flows = pd.DataFrame([("SM", "CEM", "slag", 30, "t", "by-product"),
                          ("SM", "LF", "slag", 20, "t", "waste")], columns=COLUMNS)  # fmt: skip
    return from_frames(firms, flows)


FLOW = 'source = "SM"\ntarget = "LF"\nmaterial = "slag"\n'
CASES = [
    # (the table, the field, its quoted number)
    ('[[shock]]\nfirm = "SM"\n', "change", "-0.5"),
    ("[[scale_flow]]\n" + FLOW, "factor", "0.5"),
    ('[[scale_material]]\nmaterial = "slag"\n', "factor", "2"),
    ("[[redirect]]\n" + FLOW + 'to = "CEM"\n', "quantity", "10"),
    ("[[add_flow]]\n" + FLOW + 'unit = "t"\ncategory = "waste"\n', "quantity", "1e3"),
    ('[[add_firm]]\nid = "NEW2"\nrole = "firm"\n', "lat", "30.9"),
    ('[[add_firm]]\nid = "NEW3"\nrole = "firm"\n', "lon", " 117.8 "),
    ("[[scale_flow]]\n" + FLOW + "factor = 2\n", "row", "3"),
]


def problems(network, text: str) -> list[tuple[str | None, str, str]]:
    with pytest.raises(InputError) as caught:
        apply_scenario(network, parse_scenario(text, file="s.toml"))
    return [(p.column, p.message, p.hint) for p in caught.value.problems]


@pytest.mark.parametrize(("table", "key", "number"), CASES)
def test_a_quoted_number_in_any_numeric_field_says_to_remove_the_quotes(works, table, key, number):
    text = f'{table}{key} = "{number}"\n'
    found = problems(works, text)
    assert [(column, hint) for column, _, hint in found] == [
        (key, f"remove the quotes: {key} = {number.strip()}")
    ]
    assert found[0][1].endswith(f"'{number}' is text, not a number")


@pytest.mark.parametrize(
    ("text", "column", "said"),
    [
        ('[[shock]]\nfirm = "SM"\nchange = "half"\n', "change", "is not a change between"),
        ('[[shock]]\nfirm = "SM"\nchange = 0.5\n', "change", "is not a change between"),
        ('[[shock]]\nfirm = "SM"\nchange = "nan"\n', "change", "is not a change between"),
        ('[[add_firm]]\nid = "N"\nrole = "firm"\nlat = "N30"\n', "lat", "is not a coordinate"),
        ("[[scale_flow]]\n" + FLOW + 'factor = "x"\n', "factor", "is not a finite number"),
        ("[[scale_flow]]\n" + FLOW + 'factor = 2\nrow = "r3"\n', "row", "is not a row number"),
    ],
)
def test_text_that_is_no_number_keeps_its_field_s_message(works, text, column, said):
    found = problems(works, text)
    assert len(found) == 1 and found[0][0] == column and said in found[0][1]
    assert "remove the quotes" not in found[0][2]
