"""Rows refused while reading (symbiosis.io.rows) are reported with every other problem
of the network, at the rows a spreadsheet shows.

Found by testers: a row with more fields than the header was the only problem said of its
file, however many others the rules would find in the other rows (and in the network's
other file).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from symbiosis.cli import app
from symbiosis.errors import InputError
from symbiosis.io import load, reading
from symbiosis.io.problems import MAX_ROWS_PER_RULE

FIRMS = """\
id,name,role
MINE,Copper mine,extraction
SMELT,Smelter,firm
CEMENT,Cement works,firm
MARKET,Outside market,market
"""
HEADER = "source,target,material,quantity,unit,category\n"
FLOWS = HEADER + (
    "MINE,SMELT,copper concentrate,1200,t,product\n"  # row 2
    "SMELT,CEMENT,copper slag,450,t,by-product\n"  # row 3
    "SMELT,MARKET,copper,300,t,product\n"  # row 4
)
LONG_HINT = "quote fields that contain the separator, or remove the extra separators"


def write(folder: Path, flows: str, firms: str = FIRMS) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "flows.csv").write_text(flows, encoding="utf-8")
    (folder / "firms.csv").write_text(firms, encoding="utf-8")
    return folder


def said(folder: Path) -> list[tuple]:
    """(file name, row, column, message) of every problem, in the order reported."""
    with pytest.raises(InputError) as caught:
        load(folder)
    return [(Path(p.file).name, p.row, p.column, p.message) for p in caught.value.problems]


def errors(folder: Path) -> tuple[int, list[str]]:
    """The command line's exit code and error lines for ``validate``, paths made short."""
    result = CliRunner().invoke(app, ["validate", str(folder)])
    assert "Traceback" not in result.output
    lines = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    return result.exit_code, [line.replace(f"{folder}/", "") for line in lines]


# ------------------------------------------------------------------ rows with more fields


def test_a_long_row_is_said_with_the_other_problems_of_its_file(tmp_path):
    """Measured: 'flows.csv:3: has 7 fields where the header has 6' alone; the bad
    quantity and the unknown firm of the rows below came out only once it was fixed."""
    flows = FLOWS.replace("copper slag,450", "copper, slag,450")  # row 3: 7 fields
    flows = flows.replace("copper,300", "copper,abc")  # row 4
    flows += "MIEN,SMELT,ore,5,t,product\n"  # row 5
    assert said(write(tmp_path, flows)) == [
        ("flows.csv", 3, None, "has 7 fields where the header has 6"),
        ("flows.csv", 4, "quantity", "'abc' is not a number"),
        ("flows.csv", 5, "source", "unknown firm 'MIEN'"),
    ]


def test_the_rows_below_a_long_row_keep_their_numbers(tmp_path):
    """A quoted cell over two lines is one row, a blank line is a row, and a long row
    takes its place: the rows after them are numbered as a spreadsheet shows them."""
    flows = HEADER + (
        'MINE,SMELT,"copper\nconcentrate",1200,t,product\n'  # row 2, two lines
        "\n"  # row 3
        "SMELT,CEMENT,slag,450,t,by-product,,x\n"  # row 4: 8 fields
        "SMELT,MARKET,copper,-3,t,product\n"  # row 5
    )
    assert said(write(tmp_path, flows)) == [
        ("flows.csv", 4, None, "has 8 fields where the header has 6"),
        ("flows.csv", 5, "quantity", "-3 is negative"),
    ]


def test_the_other_file_s_problems_are_said_too_firms_first(tmp_path):
    """The flows are checked against the firms too: measured, no unknown firm was said
    beside a long row (the firms were not read with the flows)."""
    firms = FIRMS.replace("Smelter,firm", "Smelter,smelter")
    flows = FLOWS.replace("copper slag,450", "copper, slag,450")
    flows = flows.replace("SMELT,MARKET", "SMELT,MARKT")
    assert said(write(tmp_path, flows, firms)) == [
        ("firms.csv", 3, "role", "unknown role 'smelter'"),
        ("flows.csv", 3, None, "has 7 fields where the header has 6"),
        ("flows.csv", 4, "target", "unknown firm 'MARKT'"),
    ]


def test_a_long_firm_row_keeps_its_id(tmp_path):
    """A firm's row with a separator in its name is refused; its id is still a firm the
    flows may name (no 'unknown firm SMELT' on every flow it joins), and the other firms
    are checked."""
    firms = FIRMS.replace("Smelter,firm", "Smelter, Tongling,firm")
    firms = firms.replace("Cement works,firm", "Cement works,cement")
    assert said(write(tmp_path, FLOWS, firms)) == [
        ("firms.csv", 3, None, "has 4 fields where the header has 3"),
        ("firms.csv", 4, "role", "unknown role 'cement'"),
    ]


def test_more_long_rows_than_listed_are_counted_before_the_rows_below(tmp_path):
    long_row = "SMELT,CEMENT,slag,450,t,by-product,x\n"
    count = MAX_ROWS_PER_RULE + 2
    flows = HEADER + long_row * count + "SMELT,MARKET,copper,abc,t,product\n"
    found = said(write(tmp_path, flows))
    assert len(found) == MAX_ROWS_PER_RULE + 2
    assert found[MAX_ROWS_PER_RULE][3].startswith(f"2 more rows (rows 1002 to {count + 1})")
    assert found[-1] == ("flows.csv", count + 2, "quantity", "'abc' is not a number")


def test_rows_ending_with_the_same_empty_fields_still_load(tmp_path):
    flows = "".join(line + ",,\n" for line in FLOWS.splitlines())
    assert load(write(tmp_path, flows)).n_flows == 3


def test_the_command_line_says_all_at_once(tmp_path):
    flows = FLOWS.replace("copper slag,450", "copper, slag,450")
    flows = flows.replace("copper,300", "copper,abc")
    code, lines = errors(write(tmp_path, flows))
    assert code == 2
    assert lines == [
        f"error: flows.csv:3: has 7 fields where the header has 6; {LONG_HINT}",
        "error: flows.csv:4: quantity: 'abc' is not a number; write a plain number like "
        "1200.5 (or leave it empty if unknown)",
    ]


def test_read_table_refuses_long_rows_unless_asked_to_collect_them(tmp_path):
    """Other readers of CSV files (a catalogue, a taxonomy, demands) still get the long
    rows as an error; the network's loader collects them, each row cut to the header."""
    path = tmp_path / "t.csv"
    path.write_text("a,b\n1,2\n3,4,5\n6,7\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        reading.read_table(path)
    assert [(p.row, p.message) for p in caught.value.problems] == [
        (3, "has 3 fields where the header has 2")
    ]
    table = reading.read_table(path, collect=True)
    assert table.data.to_pydict() == {"a": ["1", "3", "6"], "b": ["2", "4", "7"]}
    assert table.rows.tolist() == [2, 3, 4] and table.refused_rows.tolist() == [3]
    assert [p.row for p in table.read_problems] == [3]
