"""The hints of the number messages give the cell's own number as it should be written,
in ASCII digits, whatever marks and forms the cell was written with (tester14: '1，200'
was told 'write plain digits, e.g. 1，200', the full-width comma again)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from symbiosis import load
from symbiosis.errors import InputError
from symbiosis.io import number_hints, numbers

FIRMS = "id,name,role\nA,Mine,firm\nB,Smelter,firm\n"
HEADER = "source,target,material,quantity,unit,category,year\n"


def only_problem(folder: Path):
    with pytest.raises(InputError) as caught:
        load(folder)
    (problem,) = caught.value.problems
    return problem


def write(folder: Path, flows: str, firms: str = FIRMS) -> Path:
    (folder / "firms.csv").write_text(firms, encoding="utf-8")
    (folder / "flows.csv").write_text(flows, encoding="utf-8")
    return folder


@pytest.mark.parametrize(
    ("cell", "hint"),
    [
        ("1，200", "write plain digits, e.g. 1200"),  # full-width comma (the tester's)
        ("１，２００", "write plain digits, e.g. 1200"),  # all full-width
        ("-1，200", "write plain digits, e.g. -1200"),
        ("1\u3000200", "write plain digits, e.g. 1200"),  # ideographic space
        ("1\uff07200", "write plain digits, e.g. 1200"),  # full-width apostrophe
        ("1\u2009200", "write plain digits, e.g. 1200"),  # thin space (SI brochure)
        ("1\u202f200", "write plain digits, e.g. 1200"),  # narrow no-break space
        ("1\u2007200", "write plain digits, e.g. 1200"),  # figure space
        ("1'200", "write plain digits, e.g. 1200"),
        ("1\u2019200", "write plain digits, e.g. 1200"),
        ("1\u02bc200", "write plain digits, e.g. 1200"),  # modifier letter apostrophe
        ("1\u066c200", "write plain digits, e.g. 1200"),  # Arabic thousands separator
        ("1,200.5", "write plain digits, e.g. 1200.5"),
        ("１，２００．５", "write plain digits, e.g. 1200.5"),
        ("1.200.000", "write plain digits, e.g. 1200000"),  # was 'not a number'
        ("1.200,5", "write plain digits, e.g. 1200.5"),  # was 'not a number'
        ("1 200,5", "write plain digits, e.g. 1200.5"),  # was 'not a number'
    ],
)
def test_thousands_separator_hint_is_the_number_in_plain_digits(tmp_path, cell, hint):
    folder = write(tmp_path, HEADER + f'A,B,ore,"{cell}",t,product,2020\n')
    problem = only_problem(folder)
    assert (problem.row, problem.column) == (2, "quantity")
    assert problem.message == f"'{cell}' has a thousands separator"
    assert problem.hint == hint


@pytest.mark.parametrize(
    ("cell", "message", "hint"),
    [
        ("３，５", "is not a number (a decimal comma?)", "e.g. 3.5:"),  # was 'e.g. 1200.5'
        ("0,25", "is not a number (a decimal comma?)", "e.g. 0.25:"),
        ("3.5亿", "holds a multiplier", "(3.5亿 is 350000000)"),  # was '12万 is 120000'
        ("１２万", "holds a multiplier", "(12万 is 120000)"),
        ("40千", "holds a multiplier", "(40千 is 40000)"),
    ],
)
def test_other_number_hints_give_the_cells_own_number(tmp_path, cell, message, hint):
    problem = only_problem(write(tmp_path, HEADER + f'A,B,ore,"{cell}",t,product,2020\n'))
    assert problem.message.startswith(f"'{cell}' {message}")
    assert hint in problem.hint, problem.hint


def test_year_hint_from_full_width(tmp_path):
    problem = only_problem(write(tmp_path, HEADER + 'A,B,ore,1,t,product,"２，０１９"\n'))
    assert (problem.column, problem.hint) == ("year", "write the year as 2019")


SEMICOLON = "source;target;material;quantity;unit;category\nA;B;ore;12,5;t;product\n"


@pytest.mark.parametrize(
    ("cell", "message", "hint"),
    [
        ("1.200,5", "'1.200,5' mixes '.' and ','", "e.g. 1200,5"),
        ("1,234.5", "'1,234.5' mixes '.' and ','", "e.g. 1234,5"),  # was 'e.g. 1200,5'
        ("１．２００．０００", "'１．２００．０００' has a thousands separator", "e.g. 1200000"),
        ("1\u2009234,5", "has a thousands separator", "e.g. 1234,5"),
    ],
)
def test_semicolon_file_hints(tmp_path, cell, message, hint):
    flows = SEMICOLON + f"A;B;slag;{cell};t;product\n"
    problem = only_problem(write(tmp_path, flows, FIRMS.replace(",", ";")))
    assert (problem.row, problem.column) == (3, "quantity")
    assert message in problem.message
    assert problem.hint.endswith(hint), problem.hint


def test_semicolon_file_reads_full_width_decimal_comma(tmp_path):
    """'１，５' in a ';' file is 1.5, as '1,5' is (it was refused as a decimal comma 'read
    in ';'-separated files only', in a ';'-separated file)."""
    flows = SEMICOLON + "A;B;slag;１，５;t;product\n"
    network = load(write(tmp_path, flows, FIRMS.replace(",", ";")))
    assert network.flows["value"].tolist() == [12.5, 1.5]


@pytest.mark.parametrize(
    ("cell", "decimal_comma", "plain"),
    [
        ("1,200", False, "1200"),
        ("1 200,500", False, "1200500"),  # three digits after a comma: a group
        ("1 200,500 000", False, "1200500000"),  # and before another group (was 1200.500 000)
        ("1.200,500", False, "1200.500"),  # the later mark is the decimal one
        ("1.200", True, "1200"),
        ("1 200,5", True, "1200,5"),
        ("1,200.5", True, "1200,5"),
        ("１２３，４５６，７８９", False, "123456789"),
    ],
)
def test_plainly(cell, decimal_comma, plain):
    from symbiosis.io.numbers import plainly

    assert plainly(cell, decimal_comma=decimal_comma) == plain


def test_cells_past_ascii_are_found_from_the_bytes_or_cell_by_cell():
    """The usual all-ASCII column is told from its data buffer at once; a column with
    some other character, or a slice, cell by cell: the same mask either way."""
    import numpy as np
    import pyarrow as pa

    from symbiosis.io.numbers import _not_ascii

    column = pa.array(["1200", "１，２００", None, "3.5", "1\u2009200", ""])
    assert _not_ascii(column).tolist() == [False, True, False, False, True, False]
    assert _not_ascii(column.slice(2)).tolist() == [False, False, True, False]
    assert not _not_ascii(pa.array(["1", "22", None, "333"])).any()
    assert _not_ascii(pa.array([], pa.string())).shape == (0,)
    assert _not_ascii(pa.array(["a", "é"], pa.large_string())).tolist() == [False, True]
    assert np.asarray(_not_ascii(pa.array(["x"] * 5))).dtype == bool


_GROUPED_CELLS = st.from_regex(number_hints.GROUPED, fullmatch=True)


@settings(max_examples=300, deadline=None)
@given(st.lists(_GROUPED_CELLS | st.text("1203,. \u2009'", max_size=9)), st.booleans())
def test_the_numbers_of_grouped_cells_are_those_the_hint_writes(cells, decimal_comma):
    """:func:`grouped_values` (vectorised) against :func:`plainly`, cell by cell: a cell
    written with thousands separators says the number its hint writes (none if the hint
    writes no plain number); another cell, none."""
    import numpy as np
    import pyarrow as pa

    from symbiosis.io.numbers import grouped_values, plainly

    read = grouped_values(pa.array(cells, pa.string()), decimal_comma=decimal_comma)
    for cell, value in zip(cells, read, strict=True):
        plain = plainly(cell, decimal_comma=decimal_comma).replace(",", ".")
        if re.fullmatch(number_hints.GROUPED, cell) and re.fullmatch(numbers.NUMBER, plain):
            assert value == float(plain), cell
        else:
            assert np.isnan(value), cell
