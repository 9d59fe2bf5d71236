"""CSV injection: text cells that a spreadsheet would evaluate are written as text."""

import csv
import io

import pandas as pd
import pytest

from symbiosis.export.csv import to_csv_text


@pytest.mark.parametrize(
    "name", ["=cmd|' /C calc'!A0", "+SUM(A1)", "-2+3", "@SUM(1)", "\tTAB", "\rCR"]
)
def test_formula_cells_become_text(name):
    text = to_csv_text(pd.DataFrame({"firm": [name], "value": [-3.5]}))
    _header, row = list(csv.reader(io.StringIO(text, newline="")))
    assert row == ["'" + name, "-3.5"]  # the apostrophe makes a spreadsheet show text


def test_plain_text_and_missing_cells_are_unchanged():
    frame = pd.DataFrame({"firm": ["Smelter", None, "a=b", "=x"], "n": [1, 2, 3, 4]})
    before = frame.copy()
    text = to_csv_text(frame)
    assert text.splitlines() == ["firm,n", "Smelter,1", ",2", "a=b,3", "'=x,4"]
    pd.testing.assert_frame_equal(frame, before)  # the caller's frame is not changed


def _per_cell(frame: pd.DataFrame) -> str:
    """The CSV as written before: neutralise called on every text cell."""

    from symbiosis.export.csv import _has_carriage_return, _python_csv, neutralise

    safe = frame.copy()
    for name in safe.columns:
        column = safe[name]
        if column.dtype == object or pd.api.types.is_string_dtype(column.dtype):
            safe[name] = column.map(neutralise, na_action="ignore").astype(object)
    safe.columns = [neutralise(str(name)) for name in safe.columns]
    if any(_has_carriage_return(safe[name]) for name in safe.columns):
        return _python_csv(safe, index=False)
    return safe.to_csv(index=False)


CELLS = ["Smelter", "=x", "+1", "-y", "@z", "\tt", "a\rb", "\rr", "", None, float("nan"),
         "x,y", 'q"q', "銅", 1, 1.0, True, 0, False, -2.5]  # fmt: skip


def test_each_distinct_cell_once_gives_what_each_cell_gave():
    """Text columns are neutralised per distinct value (a hash table): the same bytes as a
    call per cell, for text with missing cells, carriage returns, and columns mixing
    numbers and booleans with text (1, 1.0 and True are one key of a hash table: those
    columns are still done cell by cell)."""
    from hypothesis import given, settings
    from hypothesis import strategies as st

    @settings(max_examples=200, deadline=None)
    @given(st.lists(st.lists(st.sampled_from(CELLS), min_size=3, max_size=3), max_size=30),
           st.booleans())  # fmt: skip
    def check(rows, string_dtype):
        frame = pd.DataFrame(rows, columns=["a", "b", "c"]) if rows else pd.DataFrame(
            {"a": [], "b": [], "c": []}, dtype=object)  # fmt: skip
        texts = frame["a"].map(lambda v: v if isinstance(v, str) or v is None else "t")
        frame["d"] = texts.astype("str") if string_dtype else texts
        assert to_csv_text(frame) == _per_cell(frame)

    check()
