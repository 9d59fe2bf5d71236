"""Rows refused while reading (symbiosis.io.rows, symbiosis.io.quotes) are reported with
every other problem of the network, at the rows a spreadsheet shows.

Found by testers: a row with more fields than the header was the only problem said of its
file, however many others the rules would find in the other rows (and in the network's
other file); and a cell written ``"b"c`` was read as ``bc`` without a word.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import numpy as np
import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from typer.testing import CliRunner

from symbiosis.cli import app
from symbiosis.errors import InputError
from symbiosis.io import load, parsing, quotes, reading
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


@pytest.fixture(params=["arrow", "pandas"])
def reader(request, monkeypatch):
    """Both CSV readers: pyarrow's fast path, and the pandas fallback (the fast path
    refused, as for a file it cannot parse cleanly)."""
    if request.param == "pandas":
        monkeypatch.setattr(parsing, "parse", lambda data, separator, *args, **options: None)
    return request.param


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


@pytest.mark.parametrize("first", [True, False], ids=["first-row", "later-row"])
def test_a_row_of_many_fields_builds_nothing_per_field(tmp_path, monkeypatch, first):
    """Tester-files 5: a row of 10,000 extra fields took 10 s, of 300,000 fields 103 s and
    1.4 GB: pandas took the extra fields of a first data row for an index, a level per
    field (and the csv module made a list of them, to see whether they were empty). The
    row is said as before, the other rows checked."""
    import pandas as pd

    from symbiosis.io import rows

    def per_field(*args, **kwargs):
        raise AssertionError("an index of the extra fields")

    monkeypatch.setattr(pd.MultiIndex, "from_arrays", per_field)
    monkeypatch.setattr(rows, "_by_csv", lambda *args: pytest.fail("a list of every field"))
    wide = "SMELT,CEMENT,copper slag,450,t,by-product" + ",x" * 2000 + "\n"
    lines = FLOWS.splitlines(keepends=True)
    flows = lines[0] + (wide + lines[1] if first else lines[1] + wide) + lines[3]
    flows = flows.replace("copper,300", "copper,abc")
    wide_row = 2 if first else 3
    assert said(write(tmp_path, flows)) == [
        ("flows.csv", wide_row, None, "has 2006 fields where the header has 6"),
        ("flows.csv", 4, "quantity", "'abc' is not a number"),
    ]


def test_a_row_ending_with_many_empty_fields_is_refused_beside_others(tmp_path):
    """Only rows that all end with the same empty fields are read (a spreadsheet's
    export); one such row among others is too long."""
    flows = FLOWS.replace("by-product\n", "by-product" + "," * 3000 + "\n")
    assert said(write(tmp_path, flows)) == [
        ("flows.csv", 3, None, "has 3006 fields where the header has 6")
    ]
    every = HEADER + "".join(line + "," * 3000 + "\n" for line in FLOWS.splitlines()[1:])
    assert load(write(tmp_path / "every", every)).n_flows == 3


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


# ----------------------------------------------------------------------- stray quotes


def stray(text: str, separator: str = ",") -> list[tuple]:
    header = next(csv.reader([text.splitlines()[0]], delimiter=separator))
    problems, rows = quotes.stray_quotes(text.encode("utf-8"), separator, "f.csv", header)
    assert set(rows.tolist()) >= {p.row for p in problems if p.row is not None and p.row > 1}
    return [(p.row, p.column, p.message) for p in problems]


@pytest.mark.parametrize(
    "cell",
    [
        '"a, b"',
        '"say ""hi"" twice"',
        '"""quoted"""',
        '""',
        '"two\nlines"',
        '"ends with a line break\n"',
        '","',
        '12" pipe',  # a quote in an unquoted cell: read as written
        'b"c',
        '"spaces after" ',
        "plain",
    ],
)
def test_valid_quoting_is_no_stray_quote(cell):
    assert stray(f"id,name,q\nF1,{cell},3\r\nF2,x,4\n") == []


@pytest.mark.parametrize(
    ("cell", "read_as"),
    [
        ('"b"c', "bc"),
        ('"a"b"c"', 'ab"c"'),
        ('""c', "c"),
        ('"b" c', "b c"),
        ('"a,"b', "a,b"),  # the quote after the separator closes the cell
        ('"two\n"lines', "two\nlines"),
        ('"é"é', "éé"),
    ],
)
def test_text_after_a_closing_quote_is_located(cell, read_as):
    def shown(text: str) -> str:
        return text.replace("\n", "\\n")  # as messages show a line break

    assert stray(f'id,name,q\n"F\n1",x,1\nF2,{cell},3\n') == [
        (3, "name", f"'{shown(cell)}' has text after its closing quote: it would be read as "
                    f"'{shown(read_as)}'"),
    ]  # fmt: skip


def test_stray_quotes_in_the_header_and_past_the_listed_cells():
    assert stray('"i"d;n\nF1;x\n', ";")[0][:2] == (1, None)
    many = "id,name\n" + 'F,"b"c\n' * (MAX_ROWS_PER_RULE + 3)
    found = stray(many)
    assert len(found) == MAX_ROWS_PER_RULE + 1
    assert found[-1][2].startswith("3 more rows (rows 1002 to 1004)")


def test_a_file_of_simple_pairs_is_looked_at_once(monkeypatch):
    """Quotes that are all simple pairs (every field quoted, as R and many exports write
    them) are checked without the exact, costlier scan."""
    monkeypatch.setattr(quotes, "_runs", lambda *args: pytest.fail("scanned"))
    monkeypatch.setattr(quotes, "_CHUNK", 7)  # pairs across chunks
    rows = "".join(f'"F{i}","a, {i}",{i},""\n' for i in range(50))
    assert stray('"id","name","q","n"\n' + rows) == []


@given(
    st.lists(
        st.lists(st.text(alphabet='ab ,"\n\r', max_size=6), min_size=2, max_size=2),
        min_size=1,
        max_size=5,
    ),
    st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL]),
    st.sampled_from(["\n", "\r\n"]),
    st.data(),
)
@example([["a", "b"]], csv.QUOTE_ALL, "\n", None)
def test_stray_quotes_match_a_reading_quote_by_quote(rows, quoting, end, data):
    """Files written by Python's csv module have no stray quote; text put after one of
    their closing quotes is found at its row and column, as a byte-by-byte reading of
    the file finds it (pyarrow's rules)."""
    out = io.StringIO()
    csv.writer(out, quoting=quoting, lineterminator=end).writerows([["id", "name"], *rows])
    text = out.getvalue()
    assert stray(text) == []
    closings = [i for i, c in enumerate(text) if c == '"' and _closes(text, i)]
    if data is None or not closings:
        return
    at = data.draw(st.sampled_from(closings))
    bad = text[: at + 1] + "x" + text[at + 1 :]
    assert [(row, column) for row, column, _ in stray(bad)] == _by_hand(bad)


def _closes(text: str, at: int) -> bool:
    """Whether the quote at ``at`` closes a quoted cell (by :func:`_by_hand`'s reading)."""
    return any(end == at for end, _, _ in _reading(text))


def _by_hand(text: str) -> list[tuple]:
    """(row, column) of each closing quote followed by text other than spaces."""
    names = ["id", "name"]
    found = []
    for end, row, field in _reading(text):
        rest = text[end + 1 :].lstrip(" \t")
        if rest and rest[0] not in ",\r\n":
            found.append((row, None if row == 1 else names[field] if field < 2 else None))
    return found


def _reading(text: str) -> list[tuple[int, int, int]]:
    """(offset, row, field) of every closing quote, reading as pyarrow does: a quote at a
    field's start opens a cell, two inside are one, one alone closes it."""
    closings, row, field, start, inside, at = [], 1, 0, True, False, 0
    while at < len(text):
        char = text[at]
        if inside and char == '"':
            if text[at + 1 : at + 2] == '"':
                at += 2
                continue
            inside = False
            closings.append((at, row, field))
        elif inside:
            pass
        elif char == '"' and start:
            inside = True
        elif char == ",":
            field += 1
        elif char in "\r\n":
            row, field = row + 1, 0
            if char == "\r" and text[at + 1 : at + 2] == "\n":
                at += 1
        start = not inside and char in ",\r\n"
        at += 1
    return closings


def test_a_stray_quote_is_said_with_the_other_problems(tmp_path, reader):
    flows = FLOWS.replace("MINE,SMELT,copper concentrate", 'MINE,SMELT,"copper" concentrate')
    flows = flows.replace("copper,300", "copper,abc")
    assert said(write(tmp_path, flows)) == [
        ("flows.csv", 2, "material", "'\"copper\" concentrate' has text after its closing "
                                     "quote: it would be read as 'copper concentrate'"),
        ("flows.csv", 4, "quantity", "'abc' is not a number"),
    ]  # fmt: skip


def test_a_stray_quote_in_the_header_hides_no_problem_of_its_row(tmp_path):
    flows = '"sour"ce,target,material,quantity,unit\nMINE,SMELT,ore,1,t\n'
    found = said(write(tmp_path, flows))
    assert [(row, column, message.split(":")[0]) for _, row, column, message in found] == [
        (1, None, "'\"sour\"ce' has text after its closing quote"),
        (1, "category", "required column is missing"),
    ]


def test_the_command_line_refuses_a_stray_quote(tmp_path):
    firms = FIRMS.replace("SMELT,Smelter", 'SMELT,"Jinguan"Smelter')
    code, lines = errors(write(tmp_path, FLOWS, firms))
    assert code == 2
    assert lines == [
        "error: firms.csv:3: name: '\"Jinguan\"Smelter' has text after its closing quote: it "
        "would be read as 'JinguanSmelter'; a quote in a cell is written twice, and the cell "
        'quoted ("""Jinguan""Smelter"); or remove the quote'
    ]


def test_valid_quotes_load(tmp_path, reader):
    firms = FIRMS.replace("Smelter,firm", '"Smelter, ""Jinguan"" works",firm')
    network = load(write(tmp_path, FLOWS, firms))
    names = network.firms["name"]
    assert names["SMELT"] == 'Smelter, "Jinguan" works'


def test_read_table_refuses_a_stray_quote_unless_asked_to_collect_it(tmp_path, reader):
    path = tmp_path / "t.csv"
    path.write_text('a,b\n1,"x"y\n', encoding="utf-8")
    with pytest.raises(InputError) as caught:
        reading.read_table(path)
    assert [(p.row, p.column) for p in caught.value.problems] == [(2, "b")]
    table = reading.read_table(path, collect=True)
    assert table.refused_rows.tolist() == [2] and np.array_equal(table.rows, [2])


# ------------------------------------------------------------------- quotes never closed


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "gb18030"], ids=lambda e: e)
def test_read_table_refuses_a_quote_never_closed_in_any_encoding(tmp_path, encoding):
    """Every reader of CSV files (a catalogue, a taxonomy, a demands file) gets the
    problem; the text path (a file decoded first) finds it as the fast path does."""
    path = tmp_path / "t.csv"
    path.write_bytes('名,b\n1,"x\n2,y\n3,z\n'.encode(encoding))
    with pytest.raises(InputError) as caught:
        reading.read_table(path)
    assert [(p.row, p.column, p.message) for p in caught.value.problems] == [
        (2, "b", 'has a quote (") that is never closed')
    ]
    table = reading.read_table(path, collect=True)
    assert table.column("b").to_pylist() == ["x", "y", "z"]  # the rows below, as written
    assert table.rows.tolist() == [2, 3, 4] and table.refused_rows.tolist() == [2]


@pytest.mark.parametrize(
    ("text", "opening"),
    [
        ('a,b\n1,"x\n', (6, 2, 1)),
        ('a,b\n"1\n2,3\n', (4, 2, 0)),
        ('a,"b\n1,2\n', (2, 1, 1)),
        ('a,b\n1,"x""y\n2,""\n', (6, 2, 1)),  # the quotes below are pairs inside it
        ('a,b\n1,"x"\n2,"y\n3,""z""\n', (12, 3, 1)),
        ('a,b\n1,x"y\n2,"z\n', (12, 3, 1)),  # the quote inside a cell is text
        ('a,b\n"1\n2",3\n4,"5\n', (14, 3, 1)),  # a quoted line end is no row's end
    ],
)
def test_the_quote_never_closed_is_the_one_that_opens_the_last_cell(text, opening):
    found = quotes.unclosed_quote(text.encode(), ",")
    assert found is not None and (found.offset, found.row, found.field) == opening
    assert text[found.offset] == '"'
    assert quotes.unclosed_quote(found.closed(text.encode()), ",") is None


@pytest.mark.parametrize(
    "text", ["a,b\n1,2\n", 'a,b\n1,"x"\n', 'a,b\n1,"x\ny"\n', 'a,b\n1,x"y\n', 'a,b\n1,""\n']
)
def test_closed_quotes_are_no_quote_never_closed(text):
    assert quotes.unclosed_quote(text.encode(), ",") is None


def test_the_command_line_refuses_a_quote_never_closed_in_the_last_column(tmp_path):
    flows = FLOWS.replace("by-product\n", '"by-product\n').replace("copper,300", "copper,abc")
    code, lines = errors(write(tmp_path, flows))
    assert code == 2
    assert lines == [
        'error: flows.csv:3: category: has a quote (") that is never closed; close the '
        "quoted field, or remove the stray quote",
        "error: flows.csv:4: quantity: 'abc' is not a number; write a plain number like "
        "1200.5 (or leave it empty if unknown)",
    ]


# ------------------------------------------------------------- cells past the csv limit


def test_a_header_cell_past_the_csv_module_s_limit_is_said_at_row_1(tmp_path):
    """A tester's: a 50 MB column name was 'is not a readable CSV file (field larger
    than field limit (131072)); check quotes', pandas' words, with no row."""
    flows = HEADER.strip() + "," + "x" * 2_000_000 + "\n" + FLOWS.split("\n", 1)[1]
    assert said(write(tmp_path, flows)) == [
        ("flows.csv", 1, None,
         "has a column name (a cell of the header) longer than 131,072 characters"),
    ]  # fmt: skip


def test_a_cell_past_the_csv_module_s_limit_is_said_at_its_row():
    from symbiosis.io.rows import _by_csv

    text = HEADER + "MINE,SMELT,ore,1,t,product,x\n\n" + "SMELT,CEMENT,slag,2,t,," + "x" * 200_000
    with pytest.raises(InputError) as caught:
        _by_csv(text, ",", "flows.csv")
    [problem] = caught.value.problems
    assert (problem.row, problem.message) == (4, "has a cell longer than 131,072 characters")
    assert problem.hint.startswith("check for a quote that is never closed above it")
