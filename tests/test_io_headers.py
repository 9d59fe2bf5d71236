"""Tests for symbiosis.io.headers: a title or notes above a CSV table's header, and a file
that is no table, said in one line instead of a problem per row or per column."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

import symbiosis
from symbiosis.errors import InputError
from symbiosis.io.flows import FLOW_REQUIRED
from symbiosis.io.headers import SEARCHED, header_problem, swapped_problem

HEADER = "source,target,material,quantity,unit,category"
ROW = "MINE,SMELT,copper concentrate,1000,t,product"


def problem(tmp_path, text: str, *, readable: bool = False, encoding: str = "utf-8"):
    path = tmp_path / "flows.csv"
    path.write_bytes(text.encode(encoding))
    return header_problem(path, "flows.csv", "flows", FLOW_REQUIRED, readable=readable)


def test_a_title_above_the_header(tmp_path):
    found = problem(tmp_path, f"Flows of the park, 2019\n{HEADER}\n{ROW}\n")
    assert (found.file, found.row, found.column) == ("flows.csv", 1, None)
    assert found.message == "the header is on row 2, below a line that is not part of the table"
    assert found.hint.startswith("delete the line above row 2")


def test_several_lines_above_a_semicolon_header(tmp_path):
    text = f"Table 3\nSource: a report\n\n{HEADER.replace(',', ';')}\n{ROW.replace(',', ';')}\n"
    found = problem(tmp_path, text, readable=True)
    assert found.message == "the header is on row 4, below 3 lines that are not part of the table"
    assert found.hint.startswith("delete the lines above row 4")


def test_a_utf16_file_with_a_title(tmp_path):
    found = problem(tmp_path, f"Flows\n{HEADER}\n{ROW}\n", encoding="utf-16")
    assert found.message.startswith("the header is on row 2")


@pytest.mark.parametrize(
    "first",
    [
        HEADER,  # the header itself
        "source,quantity",  # names a required column: its own problems are the right ones
        "",  # a blank line: reading says "has no column names"
        "sep=;",  # Excel's separator line, read as such
    ],
)
def test_a_first_line_that_may_be_the_header_is_left_alone(tmp_path, first):
    assert problem(tmp_path, f"{first}\n{HEADER}\n{ROW}\n") is None


def test_a_header_in_other_words(tmp_path):
    """A header in other words: the missing columns are said, with their rename hints;
    above the English header, it is a line to delete (the reader takes row 1)."""
    chinese = "来源,目标,物料,数量,单位,类别"
    assert problem(tmp_path, f"{chinese}\n{ROW}\n", readable=True) is None
    above = problem(tmp_path, f"{chinese}\n{HEADER}\n{ROW}\n", readable=True)
    assert above.message.startswith("the header is on row 2")


def test_no_header_anywhere(tmp_path):
    text = "# Notes\n\nThe flows come from permits, reports, and interviews.\n"
    found = problem(tmp_path, text)
    assert found.message == (
        "is not a flows table: no line names the columns it needs "
        "(source, target, material, quantity, unit, category)"
    )
    # a file read as a table keeps its own problems (the missing columns, with rename hints)
    assert problem(tmp_path, text, readable=True) is None


def test_only_the_first_lines_are_searched(tmp_path):
    titles = "".join(f"note {i}\n" for i in range(SEARCHED))
    assert "is not a flows table" in problem(tmp_path, f"{titles}{HEADER}\n{ROW}\n").message


def test_text_that_is_not_utf8_is_left_to_the_reader(tmp_path):
    (tmp_path / "flows.csv").write_bytes("Flüsse\n".encode("latin-1") + f"{HEADER}\n".encode())
    assert header_problem(tmp_path / "flows.csv", "f", "flows", FLOW_REQUIRED,
                          readable=False) is None  # fmt: skip


_TITLE = st.text(st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")), max_size=40).filter(
    lambda t: not any(s in t for s in ',;\t|"') and t.strip() and not t.lower().startswith("sep=")
)


@given(titles=st.lists(_TITLE, min_size=1, max_size=SEARCHED - 1))
def test_the_header_row_is_found_below_any_titles(tmp_path_factory, titles):
    tmp_path = tmp_path_factory.mktemp("titles")
    titles = [t for t in titles if t.strip().lower() not in FLOW_REQUIRED]
    if not titles:
        return
    text = "\n".join([*titles, HEADER, ROW]) + "\n"
    found = problem(tmp_path, text)
    assert found is not None
    assert found.message.startswith(f"the header is on row {len(titles) + 1},")


def test_load_says_one_line_for_a_title(tmp_path):
    (tmp_path / "flows.csv").write_text(f"Flows of the park, 2019 (t)\n{HEADER}\n{ROW}\n")
    with pytest.raises(InputError) as caught:
        symbiosis.load(tmp_path)
    (only,) = caught.value.problems
    assert only.row == 1 and only.message.startswith("the header is on row 2")


def test_a_valid_file_is_not_read_again(tmp_path, monkeypatch):
    (tmp_path / "flows.csv").write_text(f"{HEADER}\n{ROW}\n")
    monkeypatch.setattr("symbiosis.io.loading.header_problem", pytest.fail)
    assert symbiosis.load(tmp_path).n_flows == 1


@pytest.mark.parametrize(
    ("what", "names", "message"),
    [
        ("flows", ["id", "name", "role", "source_ref"], "is a firms table"),
        ("firms", ["source", "target", "material"], "is a flows table"),
    ],
)
def test_the_other_table(what, names, message):
    found = swapped_problem("t.csv", what, names)
    assert (found.row, found.message.split(" (")[0]) == (1, message)
    assert "file" in found.hint
    assert "file" not in swapped_problem("t", what, names, file=False).hint


@pytest.mark.parametrize(
    ("what", "names"),
    [
        ("flows", ["id", "source", "target"]),  # flows with an id column: the rules say more
        ("flows", ["name", "role"]),  # no id: not plainly the firms
        ("firms", ["source", "material"]),  # a source only
        ("firms", ["id", "source", "target"]),  # firms with odd columns: fine
    ],
)
def test_not_plainly_the_other_table(what, names):
    assert swapped_problem("t.csv", what, names) is None


def test_from_frames_says_the_tables_are_swapped():
    flows = pd.DataFrame([ROW.split(",")], columns=HEADER.split(","))
    firms = pd.DataFrame({"id": ["MINE", "SMELT"], "role": ["extraction", "firm"]})
    with pytest.raises(InputError) as caught:
        symbiosis.from_frames(flows, firms)
    assert [(p.file, p.row, p.message.split(" (")[0]) for p in caught.value.problems] == [
        ("firms", 1, "is a flows table"),
        ("flows", 1, "is a firms table"),
    ]


@pytest.mark.parametrize(
    "title",
    [
        "Tongling flows 2019,,,,,",  # Excel's title in A1: the row's other cells empty
        "Stoffströme 2019;;;;;",
        "Tongling flows 2019,,,,,\n,,,,,",  # and an empty row of separators below it
        "Endpoints,,What,Amount,,Class",  # a group header above the header: four names
    ],
)
def test_a_title_with_trailing_separators(tmp_path, title):
    """Measured: a title written 'Title,,,,,' (six fields, more than a title's three)
    was taken for a header: six 'required column is missing' problems."""
    found = problem(tmp_path, f"{title}\n{HEADER}\n{ROW}\n", readable=True)
    assert found is not None and found.message.startswith("the header is on row")


def test_a_title_above_the_header_of_a_sheet(tmp_path):
    """Measured: a workbook with a merged title in A1:F1 gave six missing columns."""
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "flows"
    sheet.append(["Tongling flows 2019"])
    sheet.merge_cells("A1:F1")
    sheet.append(HEADER.split(","))
    sheet.append(["MINE", "SMELT", "copper", 150, "kt", "product"])
    book.save(tmp_path / "net.xlsx")
    with pytest.raises(InputError) as caught:
        symbiosis.load(tmp_path / "net.xlsx")
    [found] = caught.value.problems
    assert (found.file, found.row) == (f"{tmp_path / 'net.xlsx'}[flows]", 1)
    assert found.message == "the header is on row 2, below a line that is not part of the table"
    assert found.hint.endswith("so that the sheet starts with the header")


PIPED = "seems separated by '|', which symbiosis does not detect"


@pytest.mark.parametrize(
    "text",
    [
        f"{HEADER.replace(',', '|')}\n{ROW.replace(',', '|')}\n",
        "From|To|Stuff|Qty|UoM|Kind\nMINE|SMELT|copper|1000|t|product\n",  # other names
        "source|target|material|quantity (t, yr)|category\n",  # a comma in a name
    ],
)
def test_a_file_separated_by_pipes(tmp_path, text):
    """Measured: a flows file separated by '|' gave six 'required column is missing'
    lines (or one 'has 2 fields where the header has 1' per row with a comma)."""
    for readable in (True, False):
        found = problem(tmp_path, text, readable=readable)
        assert found is not None, readable
        assert (found.file, found.row, found.column, found.message) == (
            "flows.csv",
            1,
            None,
            PIPED,
        )
        assert found.hint == "add the line sep=| above the header, or save it as CSV with commas"


@pytest.mark.parametrize("first", ["Flows | Tongling | 2019", "Flows|Tongling,2019"])
def test_pipes_in_a_title_are_no_separator(tmp_path, first):
    """A title with pipes above a comma header is a title (a line below names the
    columns), and a line with more commas than pipes is read under the commas."""
    found = problem(tmp_path, f"{first}\n{HEADER}\n{ROW}\n", readable=True)
    assert found.message.startswith("the header is on row 2")
    assert problem(tmp_path, "From,To|Kind,Qty,Unit,Stuff\n", readable=True) is None


def test_load_says_one_line_for_a_file_separated_by_pipes(tmp_path):
    (tmp_path / "flows.csv").write_text(
        f"{HEADER.replace(',', '|')}\n{ROW.replace(',', '|')}\nA|B|slag, fine|1|t|waste\n"
    )
    with pytest.raises(InputError) as caught:
        symbiosis.load(tmp_path)
    assert [(p.row, p.message) for p in caught.value.problems] == [(1, PIPED)]
    (tmp_path / "flows.csv").write_text(f"sep=|\n{HEADER.replace(',', '|')}\n"
                                        f"{ROW.replace(',', '|')}\n")  # fmt: skip
    assert symbiosis.load(tmp_path).n_flows == 1
