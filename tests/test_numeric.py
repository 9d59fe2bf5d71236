"""symbiosis._numeric: unique against np.unique; the BLAS thread limit by block size."""

import numpy as np
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from symbiosis._numeric import unique

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
