"""symbiosis._sorting.lexorder gives np.lexsort's order: random keys of every kind (text
too, and unsigned integers past the int64 range, left to numpy), ties, NaNs, signed zeros,
one key or four."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from symbiosis._sorting import lexorder

FLOATS = st.sampled_from(
    [0.0, -0.0, 1.5, -2.0, 3.0, np.nan, -np.nan, np.inf, -np.inf, 1e300, -1e-300, 5e-324, -5e-324]
)


@st.composite
def key_sets(draw):
    n = draw(st.integers(0, 40))
    count = draw(st.integers(1, 4))
    keys = []
    for _ in range(count):
        kinds = ["small int", "wide int", "float", "bool", "uint", "f32", "small uint", "text"]
        kind = draw(st.sampled_from(kinds))
        if kind == "small int":
            keys.append(draw(hnp.arrays(np.int64, n, elements=st.integers(-3, 3))))
        elif kind == "wide int":
            keys.append(draw(hnp.arrays(np.int64, n, elements=st.integers(-(2**40), 2**40))))
        elif kind == "small uint":
            keys.append(draw(hnp.arrays(np.uint64, n, elements=st.integers(0, 2**63 - 1))))
        elif kind == "text":
            words = st.sampled_from(["", "a", "b", "ab", "é", "Z"])
            keys.append(np.array(draw(st.lists(words, min_size=n, max_size=n)), dtype=object))
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
    assert lexorder(*keys).tolist() == np.lexsort(keys).tolist()


def test_keys_wider_than_one_pass():
    """Four keys of a billion values each: several passes and refined runs."""
    rng = np.random.default_rng(1)
    keys = [rng.permutation(100_000) * 10**9 for _ in range(4)]
    assert np.array_equal(lexorder(*keys), np.lexsort(keys))


def test_large_random_table():
    rng = np.random.default_rng(2)
    n = 200_000
    keys = (rng.permutation(n), -np.round(rng.lognormal(3, 2, n), 1), rng.integers(0, 3, n))
    assert np.array_equal(lexorder(*keys), np.lexsort(keys))


def test_keys_are_left_as_they_were():
    """The caller's arrays are read, never written (the pieces are lexorder's own)."""
    rng = np.random.default_rng(3)
    keys = [rng.normal(size=1000).astype(np.float32), rng.integers(0, 5, 1000).astype(bool)]
    copies = [key.copy() for key in keys]
    lexorder(*keys)
    for key, copy in zip(keys, copies, strict=True):
        assert np.array_equal(key, copy)
