"""The numeric cells' fast path (one Arrow cast of the whole column) agrees with the
cell-pattern path on any text: the same cells accepted, the same floats."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from hypothesis import example, given, settings
from hypothesis import strategies as st

from symbiosis.io.numbers import NUMBER, _plain_numbers, _plain_numbers_slowly, full_match

# digits, signs, points, exponents, the words of non-finite values, separators, spaces,
# letters Arrow or Python might read as numbers, non-ASCII digits
ALPHABET = "0123456789+-.eE nNaAiIfFtTyYxXbBdDlL_,'#/!?\t\u00a0\u0661\uff11"
CELL = st.one_of(
    st.text(ALPHABET, max_size=8),
    st.from_regex(r"[+-]?[0-9]{0,4}\.?[0-9]{0,4}([eE][+-]?[0-9]{1,4})?", fullmatch=True),
    st.sampled_from(["", "nan", "-inf", "Infinity", "nan(1)", "1e999", "1e-999", "1" * 400]),
)


def _same(text: list[str], candidates: np.ndarray) -> None:
    column = pa.array(text, pa.string())
    fast_valid, fast_values = _plain_numbers(column, candidates)
    slow_valid, slow_values = _plain_numbers_slowly(column, candidates)
    np.testing.assert_array_equal(fast_valid, slow_valid)
    np.testing.assert_array_equal(fast_values, slow_values)  # NaN equal to NaN


@settings(max_examples=300, deadline=None)
@given(st.lists(CELL, max_size=12), st.data())
@example(["1.5", "2", "nan", "1e999"], None)
@example(["1.5", "x", ""], None)
@example(["+.5", "5.", "-0", "00012"], None)
def test_fast_path_is_the_slow_path(text, data):
    n = len(text)
    if data is None:
        candidates = np.array([cell != "" for cell in text], dtype=bool)
    else:
        chosen = data.draw(st.lists(st.booleans(), min_size=n, max_size=n))
        candidates = np.array(chosen, dtype=bool) & np.array([c != "" for c in text], dtype=bool)
    _same(text, candidates)


@settings(max_examples=500, deadline=None)
@given(st.text(ALPHABET, min_size=1, max_size=10))
def test_a_finite_float_from_arrow_is_a_plain_number(cell):
    """What the fast path relies on: Arrow reads a finite float only from a cell that
    NUMBER matches."""
    column = pa.array([cell], pa.string())
    try:
        value = pc.cast(column, pa.float64())[0].as_py()
    except (pa.ArrowException, ValueError):
        return
    if value is not None and np.isfinite(value):
        assert full_match(column, NUMBER)[0], cell


def test_fast_path_on_a_large_column_of_decimals():
    rng = np.random.default_rng(0)
    text = [f"{x:.4f}" for x in rng.uniform(-90, 90, 5000)] + ["12", "", "N/A", "1,200"]
    _same(text, np.array([c != "" for c in text], dtype=bool))


@settings(max_examples=300, deadline=None)
@given(st.from_regex(r"[+-]?[0-9]{0,3}\.?[0-9]{0,3}[eE]-[0-9]{1,4}", fullmatch=True))
def test_a_number_is_refused_as_too_small_exactly_when_it_is_not_zero(cell):
    """The underflow rule flags a plain number read as 0 exactly when the number it writes
    is not zero (its digits before the exponent are not all zeros)."""
    from decimal import Decimal, InvalidOperation

    from symbiosis.io.numbers import _underflow

    column = pa.array([cell], pa.string())
    valid, values = _plain_numbers(column, np.array([True]))
    if not valid[0]:
        return
    try:
        exact = Decimal(cell)
    except InvalidOperation:
        return
    flagged = bool(_underflow(column, valid & (values == 0))[0])
    assert flagged == (values[0] == 0 and exact != 0), cell
