"""CSV injection: text cells that a spreadsheet would evaluate are written as text."""

import csv
import io

import numpy as np
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


def test_pieces_make_the_text_of_the_whole():
    """A table written in pieces is the text of the whole table written at once (the
    header once), for any cut; where a piece holds a carriage return, the rows read
    back the same (the earlier pieces keep their LF line ends). Text columns, as the
    opportunities' table has (an object column of numbers alone is written as pandas
    infers it, which may differ between a piece and the whole)."""
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from symbiosis.export.csv import csv_text_pieces

    texts = [c for c in CELLS if isinstance(c, str) or c is None]  # a column of text

    @settings(max_examples=200, deadline=None)
    @given(st.lists(st.lists(st.sampled_from(texts), min_size=2, max_size=2), max_size=25),
           st.integers(min_value=1, max_value=30))  # fmt: skip
    def check(rows, size):
        frame = pd.DataFrame(rows, columns=["a", "=b"], dtype=object)
        frame["n"] = np.arange(len(frame)) * 0.5
        pieces = [frame.iloc[at : at + size] for at in range(0, max(len(frame), 1), size)]
        text = "".join(csv_text_pieces(pieces))
        whole = to_csv_text(frame)
        if "\r" not in "".join(str(v) for v in frame.to_numpy().ravel()) or len(pieces) == 1:
            assert text == whole
        else:
            assert list(csv.reader(io.StringIO(text, newline=""))) == list(
                csv.reader(io.StringIO(whole, newline=""))
            )

    check()
