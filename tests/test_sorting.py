"""symbiosis._sorting.lexorder gives np.lexsort's order: random keys of every kind (text
too, and unsigned integers past the int64 range, left to numpy), ties, NaNs, signed zeros,
one key or four."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from symbiosis._sorting import _coarsely_in_order, lexorder, sort_values, sorted_values

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


def _parts(rng, n: int, parts: int, shuffled: float, dtype) -> np.ndarray:
    """``parts`` sorted runs one after the other (as candidates made stream by stream), a
    fraction ``shuffled`` of the values then moved to random places; NaNs in floats."""
    values = rng.integers(-(2**40), 2**40, n).astype(dtype)
    if dtype == np.float64:
        values[rng.random(n) < 0.01] = np.nan
    cuts = np.sort(rng.integers(0, n, parts - 1))
    runs = [np.sort(run) for run in np.split(values, cuts)]
    values = np.concatenate(runs)
    moved = rng.random(n) < shuffled
    values[moved] = rng.permutation(values[moved])
    return values


@settings(max_examples=60, deadline=None)
@given(
    st.integers(2**15 - 5, 2**17),
    st.sampled_from([1, 2, 4, 50, 5_000, 100_000]),
    st.sampled_from([0.0, 0.001, 0.1, 1.0]),
    st.sampled_from([np.int64, np.float64]),
    st.integers(0, 2**32 - 1),
)
def test_sort_values_sorts_as_numpy(n, parts, shuffled, dtype, seed):
    """The adaptive sort gives np.sort's values, whichever of its two sorts it takes."""
    values = _parts(np.random.default_rng(seed), n, parts, shuffled, dtype)
    expected = np.sort(values)
    assert np.array_equal(sorted_values(values), expected, equal_nan=True)
    sort_values(values)
    assert np.array_equal(values, expected, equal_nan=True)


def test_values_in_a_few_runs_take_the_stable_sort():
    """What the choice looks at: a few sorted parts or a little disorder are in order at
    a coarse scale; random values, or many short runs, are not."""
    rng = np.random.default_rng(4)
    n = 200_000
    assert _coarsely_in_order(_parts(rng, n, 4, 0.0, np.int64))
    assert _coarsely_in_order(_parts(rng, n, 50, 0.01, np.int64))
    assert not _coarsely_in_order(_parts(rng, n, 1, 1.0, np.int64))
    assert not _coarsely_in_order(_parts(rng, n, 100_000, 0.0, np.int64))


def test_lexorder_of_keys_made_in_parts():
    """Keys made part by part (each part in order, as the opportunities' candidates):
    the coarse key takes the stable sort; the order is np.lexsort's."""
    rng = np.random.default_rng(5)
    stream = np.concatenate([np.sort(rng.integers(0, 50_000, 60_000)) for _ in range(4)])
    place = rng.integers(0, 300, len(stream))
    distance = np.round(rng.exponential(20.0, len(stream)), 1)
    for keys in [(place, stream), (distance, place, stream), (stream,)]:
        assert np.array_equal(lexorder(*keys), np.lexsort(keys))


@settings(max_examples=100, deadline=None)
@given(st.integers(2, 3000), st.lists(st.integers(1, 16), min_size=1, max_size=3),
       st.integers(0, 2**32 - 1))  # fmt: skip
def test_keys_of_a_few_bits_take_radix_passes(n, widths, seed):
    """Keys whose bits add up to at most 32 (one or two radix passes of 16 bits), with
    ties and negative values: np.lexsort's order."""
    rng = np.random.default_rng(seed)
    keys = [rng.integers(-(2 ** (w - 1)), 2 ** (w - 1), n) for w in widths]
    assert np.array_equal(lexorder(*keys), np.lexsort(keys))
