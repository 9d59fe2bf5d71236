"""Shares as the text and the HTML report show them (symbiosis/_percent.py)."""

from __future__ import annotations

import math

import pytest

from symbiosis._percent import percent
from symbiosis.cli.render import share
from symbiosis.export.report_tables import _number_text


@pytest.mark.parametrize(
    ("value", "text"),
    [(0.14, "14.0 %"), (1, "100.0 %"), (0.98567, "98.6 %"), (0.65, "65.0 %"), (0, "0.0 %"),
     (0.00306, "0.3 %"), (0.0005, "0.1 %"), (0.000282, "0.028 %"), (-0.000282, "-0.028 %"),
     (1e-9, "0.00000010 %"), (None, "–"), (math.nan, "–")],
)  # fmt: skip
def test_one_decimal_or_two_significant_digits(value, text):
    """One decimal as every command shows shares; a nonzero share is never '0.0 %' (the
    spread of a small cycling index in 'uncertainty')."""
    assert percent(value) == text


@pytest.mark.parametrize("value", [0.14, 0.98567, 1.0, 0.000282, 0.0])
def test_the_text_and_the_report_agree(value):
    """A tester saw 14 % in 'uncertainty', 14.0 % elsewhere, and 0.9857 in the report."""
    assert share(value) == _number_text(value, "share", None) == percent(value)
