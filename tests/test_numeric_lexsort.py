"""_numeric.lexsort gives np.lexsort's order: random keys of every kind, ties, NaNs,
signed zeros, one key or four."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from symbiosis import _numeric
from symbiosis._numeric import lexsort

FLOATS = st.sampled_from(
    [0.0, -0.0, 1.5, -2.0, 3.0, np.nan, -np.nan, np.inf, -np.inf, 1e300, -1e-300, 5e-324, -5e-324]
)


@st.composite
def key_sets(draw):
    n = draw(st.integers(0, 40))
    count = draw(st.integers(1, 4))
    keys = []
    for _ in range(count):
        kind = draw(st.sampled_from(["small int", "wide int", "float", "bool", "uint", "f32"]))
        if kind == "small int":
            keys.append(draw(hnp.arrays(np.int64, n, elements=st.integers(-3, 3))))
        elif kind == "wide int":
            keys.append(draw(hnp.arrays(np.int64, n, elements=st.integers(-(2**40), 2**40))))
        elif kind == "uint":
            keys.append(draw(hnp.arrays(np.uint64, n, elements=st.integers(0, 2**64 - 1))))
        elif kind == "f32":
            singles = FLOATS.filter(lambda v: abs(v) < 1e38).map(np.float32)
            keys.append(draw(hnp.arrays(np.float32, n, elements=singles)))
        elif kind == "bool":
            keys.append(draw(hnp.arrays(np.bool_, n)))
        else:
            keys.append(draw(hnp.arrays(np.float64, n, elements=FLOATS)))
    return keys


@settings(max_examples=500, deadline=None)
@given(key_sets())
def test_same_order_as_numpy(keys):
    assert lexsort(keys).tolist() == np.lexsort(keys).tolist()


@settings(max_examples=300, deadline=None)
@given(key_sets(), st.integers(0, 4))
def test_ranks_by_argsort_past_the_search_limit(keys, limit):
    """Both ways of ranking a key (binary search, argsort) give numpy's order: a limit of
    a few distinct values sends most random keys down the argsort path."""
    saved = _numeric.SEARCHED_RANKS
    _numeric.SEARCHED_RANKS = limit
    try:
        assert lexsort(keys).tolist() == np.lexsort(keys).tolist()
    finally:
        _numeric.SEARCHED_RANKS = saved


def test_falls_back_when_the_combined_key_is_too_wide():
    rng = np.random.default_rng(1)
    keys = [rng.permutation(100_000) * 10**9 for _ in range(4)]
    assert np.array_equal(lexsort(keys), np.lexsort(keys))


def test_large_random_table():
    rng = np.random.default_rng(2)
    n = 200_000
    keys = (rng.permutation(n), -np.round(rng.lognormal(3, 2, n), 1), rng.integers(0, 3, n))
    assert np.array_equal(lexsort(keys), np.lexsort(keys))
