"""Shares as the text and the HTML report show them (symbiosis/_percent.py)."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from symbiosis._percent import percent
from symbiosis.cli.render import share
from symbiosis.export.report_tables import _number_text


@pytest.mark.parametrize(
    ("value", "text"),
    [(0.14, "14.0 %"), (1, "100.0 %"), (0.98567, "98.6 %"), (0.65, "65.0 %"), (0, "0.0 %"),
     (0.012, "1.2 %"), (0.01, "1.0 %"), (0.0099, "0.99 %"), (0.00996, "1.0 %"),
     (0.00306, "0.31 %"), (0.004, "0.40 %"), (0.0005, "0.050 %"), (0.000996, "0.10 %"),
     (0.000282, "0.028 %"), (-0.000282, "-0.028 %"), (-0.0045, "-0.45 %"),
     (1e-9, "0.00000010 %"), (None, "–"), (math.nan, "–")],
)  # fmt: skip
def test_one_decimal_from_one_percent_two_significant_digits_below(value, text):
    """One decimal as every command shows shares, two significant digits below 1 %: a
    nonzero share is never '0.0 %' (the spread of a small cycling index in 'uncertainty'),
    and 0.05 % is no longer shown as 0.1 %."""
    assert percent(value) == text


def test_one_column_of_shares_has_one_precision():
    """tester-areas8: a column read '0.4 %' beside '0.013 %' and '0.00099 %' (one
    significant digit for the larger, two for the smaller): every one has two now."""
    column = [percent(v) for v in (0.003928, 0.00013, 9.949e-06, 0.0025)]
    assert column == ["0.39 %", "0.013 %", "0.00099 %", "0.25 %"]


def _digits(text: str) -> str:
    return text.removesuffix(" %").lstrip("-").replace(".", "").lstrip("0")


@settings(max_examples=300, deadline=None)
@given(st.floats(-1, 1, allow_nan=False).filter(lambda v: abs(v) > 1e-13))
def test_every_share_shows_two_significant_digits_within_5_percent(value):
    text = percent(value)
    assert len(_digits(text)) >= 2
    shown = float(text.removesuffix(" %"))
    assert abs(shown - 100 * value) <= 0.05 * abs(100 * value) + 1e-12


@pytest.mark.parametrize("value", [0.14, 0.98567, 1.0, 0.000282, 0.0])
def test_the_text_and_the_report_agree(value):
    """A tester saw 14 % in 'uncertainty', 14.0 % elsewhere, and 0.9857 in the report."""
    assert share(value) == _number_text(value, "share", None) == percent(value)
