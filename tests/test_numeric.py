"""symbiosis._numeric: unique and first_positions against np.unique, the one-key orders of
symbiosis._sorting against a stable argsort; the BLAS thread limit by block size."""

import numpy as np
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from symbiosis._numeric import first_positions
from symbiosis._sorting import lexorder, unique

keys = arrays(np.int64, st.integers(0, 200), elements=st.integers(-(2**40), 2**40))
small_keys = arrays(np.int64, st.integers(0, 200), elements=st.integers(0, 5))


@given(st.one_of(keys, small_keys))
def test_unique_equals_numpy(values):
    distinct, inverse, counts = unique(values, return_inverse=True, return_counts=True)
    expected, expected_inverse, expected_counts = np.unique(
        values, return_inverse=True, return_counts=True
    )
    assert np.array_equal(distinct, expected)
    assert np.array_equal(inverse, expected_inverse.ravel())
    assert np.array_equal(counts, expected_counts)
    assert np.array_equal(distinct[inverse], values)
    assert np.array_equal(unique(values), expected)


@given(arrays(np.int64, st.integers(0, 300), elements=st.integers(-3, 40)), st.integers(0, 5))
def test_first_positions_are_numpys_first_indices(codes, extra):
    """The first row of each code (negative codes skipped), as np.unique's return_index
    gives it; a code that never occurs gets len(codes)."""
    n = int(codes.max(initial=-1)) + 1 + extra
    first = first_positions(codes, n)
    known = np.flatnonzero(codes >= 0)
    present, at = np.unique(codes[known], return_index=True)
    expected = np.full(n, len(codes))
    expected[present] = known[at]
    assert np.array_equal(first, expected)


floats = st.floats(allow_nan=True, allow_infinity=True, width=64)


@given(
    st.one_of(
        arrays(np.int64, st.integers(0, 300), elements=st.integers(-(2**62), 2**62)),
        arrays(np.int32, st.integers(0, 300), elements=st.integers(-2, 6)),
        arrays(np.float64, st.integers(0, 300), elements=floats),
        arrays(np.float64, st.integers(0, 300), elements=st.sampled_from([0.0, -0.0, 1.5])),
    )
)
def test_one_key_order_is_the_stable_argsort(key):
    """lexorder of one key, used for the large stable argsorts of the passes: ties by
    position, -0.0 equal to 0.0, NaN last (as np.argsort(kind="stable") orders)."""
    expected = np.argsort(np.where(key == 0, 0.0, key) if key.dtype.kind == "f" else key,
                          kind="stable")  # fmt: skip
    assert np.array_equal(lexorder(key), expected)
    if key.dtype.kind == "f" and not np.isnan(key).any():
        assert np.array_equal(lexorder(-key), np.argsort(-key, kind="stable"))


def test_unique_of_strings_and_empty():
    assert unique(np.array(["b", "a", "b"], dtype=object)).tolist() == ["a", "b"]
    distinct, counts = unique(np.zeros(0, np.int64), return_counts=True)
    assert len(distinct) == 0 and len(counts) == 0


def test_blas_threads_limited_only_for_middle_sized_blocks():
    """Small blocks run on one thread anyway and large ones gain from threads: neither
    pays threadpoolctl's scan of the loaded libraries; blocks in between get one thread."""
    from threadpoolctl import threadpool_info

    from symbiosis import _numeric

    _numeric._threadpools.cache_clear()
    for size in (0, 10, _numeric.SMALL_BLOCK, _numeric.SINGLE_THREAD_LIMIT + 1):
        with _numeric.blas_threads_for(size):
            pass
    assert _numeric._threadpools.cache_info().currsize == 0
    with _numeric.blas_threads_for(_numeric.SMALL_BLOCK + 1):
        blas = [pool for pool in threadpool_info() if pool["user_api"] == "blas"]
        assert all(pool["num_threads"] == 1 for pool in blas)
    assert _numeric._threadpools.cache_info().currsize == 1


@given(
    st.sampled_from([np.int8, np.int16, np.int32, np.int64, np.uint8, np.uint16, np.uint64]),
    st.integers(0, 300),
    st.integers(0, 5000),
    st.integers(0, 2**32 - 1),
)
def test_unique_of_every_integer_type_and_span(dtype, n, span, seed):
    """Counted (a small span) or sorted (a wide one), at the ends of each type's range:
    np.unique's values, inverse and counts, in its dtypes' values."""
    info = np.iinfo(dtype)
    rng = np.random.default_rng(seed)
    low = [int(info.min), int(info.max) - min(span, int(info.max) - int(info.min)), 0][
        int(rng.integers(0, 3))
    ]
    high = min(low + span, int(info.max))
    values = np.array([low + int(x) % (high - low + 1) for x in rng.integers(0, 2**62, n)],
                      dtype=dtype)  # fmt: skip
    distinct, inverse, counts = unique(values, return_inverse=True, return_counts=True)
    expected, expected_inverse, expected_counts = np.unique(
        values, return_inverse=True, return_counts=True
    )
    assert distinct.dtype == expected.dtype and np.array_equal(distinct, expected)
    assert np.array_equal(inverse, expected_inverse.ravel())
    assert np.array_equal(counts, expected_counts)
    assert np.array_equal(unique(values, return_counts=True)[1], expected_counts)
