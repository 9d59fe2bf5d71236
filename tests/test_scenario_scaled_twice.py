"""A scenario that scales a firm's input and shocks the same firm cuts it twice (documented:
the edits apply first, then the shock); it is warned of (tester15 remark 5: Lubei's rock
to the phosphoric acid plant scaled by 0.7 and the plant shocked by -0.3, 51 -> 35.7 ->
25.0 万t)."""

import warnings

import pandas as pd
import pytest

from symbiosis import SymbiosisWarning, from_frames
from symbiosis.scenario_files import parse_scenario
from symbiosis.scenarios import apply_scenario, compare_scenarios

COLUMNS = ["source", "target", "material", "quantity", "unit", "category"]


@pytest.fixture(scope="module")
def lubei():
    firms = pd.DataFrame({"id": ["MKT_P", "PA", "SA", "MKT"],
                          "role": ["market", "firm", "firm", "market"]})  # fmt: skip
    flows = pd.DataFrame([("MKT_P", "PA", "phosphate rock", 510, "t", "product"),
                          ("PA", "SA", "phosphogypsum", 700, "t", "by-product"),
                          ("SA", "PA", "sulfuric acid", 380, "t", "product"),
                          ("PA", "MKT", "phosphoric acid", 300, "t", "product")],
                         columns=COLUMNS)  # fmt: skip
    return from_frames(firms, flows)


SCALE_FLOW = """
[[scale_flow]]
source = "MKT_P"
target = "PA"
material = "phosphate rock"
factor = 0.7

[[shock]]
firm = "PA"
change = -0.3
"""


def noted(network, text):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        apply_scenario(network, parse_scenario(text, file="s.toml"))
    return [str(w.message) for w in caught if issubclass(w.category, SymbiosisWarning)]


def test_a_shocked_firm_whose_input_was_scaled_is_warned_of(lubei):
    said = [n for n in noted(lubei, SCALE_FLOW) if "cut twice" in n]
    assert said == [
        "s.toml:9: firm: [[shock]] #1: 'PA' takes MKT_P -> PA of 'phosphate rock', already "
        "scaled by 0.7 ([[scale_flow]] #1, line 2): the edits apply first, then the shock, "
        "so its input is cut twice (by 0.7, then -30 % as the firm runs less); if they are "
        "one cut, keep one of the two tables"
    ]
    # the comparison carries it too
    comparison = compare_scenarios(lubei, [parse_scenario(SCALE_FLOW, file="s.toml")])
    assert any("cut twice" in w for w in comparison.warnings)


def test_a_scaled_material_it_takes_counts_too(lubei):
    text = '[[scale_material]]\nmaterial = "phosphate rock"\nfactor = 0.5\n\n' \
           '[[shock]]\nfirm = "PA"\nchange = -0.2\n'  # fmt: skip
    (said,) = [n for n in noted(lubei, text) if "cut twice" in n]
    assert "[[scale_material]] #1, line 1" in said and "by 0.5, then -20 %" in said


@pytest.mark.parametrize(
    "text",
    [
        SCALE_FLOW.replace("factor = 0.7", "factor = 1.5"),  # scaled up: no second cut
        SCALE_FLOW.replace('firm = "PA"', 'firm = "SA"'),  # another firm's input
        # its output scaled, not its input
        SCALE_FLOW.replace(
            'source = "MKT_P"\ntarget = "PA"\nmaterial = "phosphate rock"',
            'source = "PA"\ntarget = "SA"\nmaterial = "phosphogypsum"',
        ),
    ],
)
def test_no_warning_without_a_second_cut(lubei, text):
    assert not [n for n in noted(lubei, text) if "cut twice" in n]
