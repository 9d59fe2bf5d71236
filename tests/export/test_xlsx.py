"""export.xlsx: a sheet per table, sheet names Excel accepts, cells read back as written,
and no name from an input ever stored as a formula (issue 14, item 5)."""

from __future__ import annotations

import io
import math
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from symbiosis.errors import OutputError
from symbiosis.export import xlsx
from symbiosis.export.xlsx import (
    csv_files,
    report_tables,
    section_tables,
    sheet_names,
    workbook_bytes,
)

openpyxl = pytest.importorskip("openpyxl")
SMALL = Path(__file__).parents[1] / "data" / "small"


def read_back(data: bytes) -> dict[str, list[tuple]]:
    book = openpyxl.load_workbook(io.BytesIO(data))
    return {name: list(book[name].iter_rows(values_only=True)) for name in book.sheetnames}


def cells(data: bytes):
    book = openpyxl.load_workbook(io.BytesIO(data))
    return [c for ws in book.worksheets for row in ws.iter_rows() for c in row]


def test_formula_like_text_is_a_string_cell_with_a_quote_prefix():
    names = ["=cmd|' /C calc'!A0", "+1+1", "-2", "@SUM(1)", "\tx", "plain", "a=b"]
    data = workbook_bytes({"t": pd.DataFrame({"name": names, "n": range(len(names))})})
    written = [c for c in cells(data) if c.row > 1 and c.column == 1]
    assert [c.value for c in written] == names
    assert all(c.data_type == "s" for c in written)
    assert [c.quotePrefix for c in written] == [True] * 5 + [False] * 2
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        sheet = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet and "<f " not in sheet


def test_openpyxl_alone_would_store_a_formula():
    """Why the writer sets the type: openpyxl makes '=...' a formula by itself."""
    from openpyxl import Workbook

    sheet = Workbook().active
    sheet["A1"] = "=1+1"
    assert sheet["A1"].data_type == "f"


def test_numbers_missing_values_and_controls():
    frame = pd.DataFrame(
        {
            "q": [1.5, np.nan, -3.0],
            "i": np.array([1, 2, 3], dtype=np.int64),
            "b": [True, False, True],
            "s": ["a\x1bb", None, "tab\there"],
            "nullable": pd.array([1, None, 3], dtype="Int64"),
            "inf": [math.inf, 0.0, 1.0],
        }
    )
    rows = read_back(workbook_bytes({"t": frame}))["t"]
    assert rows[0] == ("q", "i", "b", "s", "nullable", "inf")
    assert rows[1] == (1.5, 1, True, "a\\x1bb", 1, "inf")
    assert rows[2] == (None, 2, False, None, None, 0)
    assert rows[3][3] == "tab\there"


def test_a_named_index_becomes_columns():
    frame = pd.DataFrame({"x": [1, 2]}, index=pd.Index(["a", "b"], name="id"))
    assert read_back(workbook_bytes({"t": frame}))["t"] == [("id", "x"), ("a", 1), ("b", 2)]


def test_sheet_names_excel_accepts():
    names = sheet_names(["reuse_by_material", "a" * 40, "A" * 40, "x[1]:y", "'", "a" * 31])
    assert names[0] == "reuse_by_material"
    assert names[1] == "a" * 31
    assert names[2] == "A" * 29 + "~2"  # unique regardless of case
    assert names[3] == "x_1__y"
    assert names[4] == "sheet"
    assert names[5] == "a" * 29 + "~3"


def test_a_cut_sheet_name_does_not_end_on_an_apostrophe():
    """Found by the property below: the name was stripped of apostrophes, then cut to 31
    characters, which could end it on one (Excel refuses such a name)."""
    assert sheet_names(["0" * 30 + "'0"]) == ["0" * 30]
    assert sheet_names(["0" * 30 + "'0", "0" * 30 + "'1"])[1] == "0" * 29 + "~2"


@given(st.lists(st.text(min_size=0, max_size=45), min_size=1, max_size=12))
@settings(max_examples=200, deadline=None)
def test_sheet_names_property(names):
    chosen = sheet_names(names)
    assert len(chosen) == len(names)
    assert len({n.lower() for n in chosen}) == len(chosen)
    for name in chosen:
        assert 1 <= len(name) <= 31
        assert not set(name) & set("[]:*?/\\")
        assert not name.startswith("'") and not name.endswith("'")


# openpyxl writes 16 significant digits: 1.7976931348623157e308 would round up to inf.
# io refuses quantities above 1e30 anyway.
finite = st.floats(min_value=-1e300, max_value=1e300, allow_nan=False)
text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\r"), max_size=20
)


@given(st.lists(st.tuples(text, finite, st.integers(-(2**53), 2**53)), min_size=0, max_size=20))
@settings(max_examples=60, deadline=None)
def test_values_read_back_as_written(rows):
    frame = pd.DataFrame(rows, columns=["name", "value", "count"])
    back = read_back(workbook_bytes({"t": frame}))["t"]
    assert back[0] == ("name", "value", "count")
    for (name, value, count), row in zip(rows, back[1:], strict=True):
        expected = xlsx._XML_ILLEGAL.sub(lambda m: f"\\x{ord(m.group()):02x}", name)
        assert (row[0] or "") == expected
        assert row[1] == pytest.approx(value, rel=1e-15, abs=0)
        assert row[2] == count


def test_too_many_rows_for_a_sheet(monkeypatch):
    monkeypatch.setattr(xlsx, "MAX_SHEET_ROWS", 3)
    with pytest.raises(OutputError, match=r"at most 2.*--csv"):
        workbook_bytes({"big": pd.DataFrame({"x": range(3)})})


def test_no_table_still_makes_a_workbook():
    assert read_back(workbook_bytes({})) == {"empty": []}


def test_report_tables_are_the_sections_tables():
    import symbiosis

    report = symbiosis.analyze(symbiosis.load(SMALL))
    tables = report_tables(report.sections)
    reuse = section_tables("reuse", report.sections["reuse"])
    assert list(reuse) == list(report.sections["reuse"].tables())
    for name, frame in reuse.items():
        # selected, not recomputed: the result's frame (a result hands out shallow copies
        # of its frames, so the same data, not the same object)
        selected = tables[f"reuse_{name}"]
        assert selected.equals(frame)
        for column in frame.select_dtypes("number").columns:
            assert np.shares_memory(selected[column].to_numpy(), frame[column].to_numpy())
    assert tables["loops"].equals(report.sections["loops"].to_frame())
    assert set(csv_files(tables)) == {f"{name}.csv" for name in tables}
    assert list(read_back(workbook_bytes(tables))) == list(tables)


def test_a_result_without_tables_gives_none():
    assert section_tables("whatever", object()) == {}


def test_error_codes_as_text_stay_text():
    """A name such as '#N/A' would be an error cell if openpyxl were given it plain."""
    names = ["#N/A", "#REF!", "-inf name", "ok"]
    data = workbook_bytes({"t": pd.DataFrame({"name": names, "q": [1.0, -math.inf, 2.0, 3]})})
    written = [c for c in cells(data) if c.row > 1]
    assert [c.value for c in written if c.column == 1] == names
    assert all(c.data_type == "s" for c in written if c.column == 1)
    assert [c.value for c in written if c.column == 2] == [1, "-inf", 2, 3]
    assert [c.quotePrefix for c in written if c.column == 2] == [False, True, False, False]


def ranked(groups: dict[str, int]) -> pd.DataFrame:
    """A ranked opportunities table: each group ranked 1..n, in rank order."""
    parts = [
        pd.DataFrame({"group": name, "rank": np.arange(1, n + 1), "quantity": np.arange(n)})
        for name, n in groups.items()
    ]
    return pd.concat(parts, ignore_index=True)


def test_the_workbook_holds_the_first_candidates_of_each_group():
    """Every candidate made the sheet 1.2 million cells at 20,000 flows (22 s to write):
    the sheet keeps each group's first SHEET_CANDIDATES, says how many it left out, and
    the CSV files keep every one."""
    n = xlsx.SHEET_CANDIDATES
    table = ranked({"dumped": n + 250, "sold": n + 1, "downstream": 3})
    tables = {"opportunities": table, "uncovered": pd.DataFrame({"material": ["x"]})}
    shown, notes = xlsx.sheet_tables(tables)
    assert len(shown["opportunities"]) == 2 * n + 3
    assert shown["uncovered"] is tables["uncovered"]
    assert notes == {
        "opportunities": f"251 of {2 * n + 254:,} candidates left out: this sheet holds "
        f"the first {n:,} of each group by rank; --csv (or opportunities --format csv) "
        "writes every one"
    }
    rows = read_back(workbook_bytes(shown, notes))["opportunities"]
    assert len(rows) == 1 + 2 * n + 3 + 2  # header, rows, an empty row and the note
    assert rows[-2] == (None, None, None) and rows[-1][0] == notes["opportunities"]
    assert max(row[1] for row in rows[1:-2]) == n
    # the listed ones are kept when more than the bound; a short table is kept whole
    assert len(xlsx.sheet_tables(tables, listed=n + 100)[0]["opportunities"]) == 2 * n + 104
    assert xlsx.sheet_tables({"opportunities": ranked({"dumped": 5})})[1] == {}
    assert len(csv_files(tables)["opportunities.csv"].splitlines()) == len(table) + 1


def test_progress_counts_the_rows():
    seen = []
    frame = pd.DataFrame({"q": np.arange(45_000)})
    workbook_bytes({"a": frame, "b": frame.head(5)}, progress=lambda *a: seen.append(a))
    assert seen == [(20_000, 45_005), (40_000, 45_005), (45_000, 45_005), (45_005, 45_005)]
