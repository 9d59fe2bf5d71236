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
