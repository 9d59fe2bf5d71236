"""symbiosis._numeric: unique and first_positions against np.unique, the one-key orders of
symbiosis._sorting against a stable argsort; the BLAS thread limit by block size."""

import numpy as np
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from symbiosis._numeric import first_positions, significant
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


def _blas_threads() -> list[int]:
    from threadpoolctl import threadpool_info

    return [pool["num_threads"] for pool in threadpool_info() if pool["user_api"] == "blas"]


def test_blas_threads_limited_for_every_block_but_the_small():
    """Small blocks run on one thread anyway: they do not pay threadpoolctl's scan of the
    loaded libraries; every larger block gets one thread, whatever its size (a result must
    not depend on the thread count)."""
    from symbiosis import _numeric

    _numeric._threadpools.cache_clear()
    for size in (0, 10, _numeric.SMALL_BLOCK):
        with _numeric.blas_threads_for(size):
            pass
    assert _numeric._threadpools.cache_info().currsize == 0
    for size in (_numeric.SMALL_BLOCK + 1, 5000):
        with _numeric.blas_threads_for(size):
            assert set(_blas_threads()) == {1}
    assert _numeric._threadpools.cache_info().currsize == 1


def test_blas_limit_on_many_threads_is_one_and_the_hosts_count_comes_back():
    """Measured: analyses on eight threads left the host's BLAS at one thread for good:
    each saved and restored the limit on its own, and threadpoolctl lets only the thread
    that last changed OpenBLAS's count change it again."""
    from concurrent.futures import ThreadPoolExecutor

    from threadpoolctl import threadpool_limits

    from symbiosis import _numeric

    with threadpool_limits(2, user_api="blas"):  # the host's choice, whatever the machine
        seen: list[int] = []

        def work(seed: int) -> None:
            rng = np.random.default_rng(seed)
            for _ in range(15):
                with _numeric.blas_threads_for(200):
                    seen.extend(_blas_threads())
                    np.linalg.inv(np.eye(120) + rng.random((120, 120)) / 120)

        with ThreadPoolExecutor(8) as pool:
            list(pool.map(work, range(8)))
        assert set(seen) == {1}
        assert set(_blas_threads()) == {2}


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


def test_significant_drops_float_noise_and_keeps_the_rest():
    got = significant([49999.999999999985, 40000.000000000015, 0.0, np.nan, np.inf, -1 / 3,
                       4444.200000000001, 1.5e300, 2550000.0, 12345.678])  # fmt: skip
    expected = [50000.0, 40000.0, 0.0, np.nan, np.inf, -0.3333333333333, 4444.2, 1.5e300,
                2550000.0, 12345.678]  # fmt: skip
    np.testing.assert_array_equal(got, expected)
    # within half a unit of the 13th digit: an amount stays a whole stream (1e-12)
    values = np.random.default_rng(0).uniform(1e-6, 1e12, 10_000)
    assert (np.abs(significant(values) - values) <= 5e-13 * values).all()
