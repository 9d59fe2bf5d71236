"""Small numpy helpers shared by every layer (a leaf: no project imports).

:func:`unique` exists because ``np.unique`` on integer keys takes a hash-based path in
numpy 2.3+ that is about fifty times slower than sorting: 1.2 s against 0.02 s for 800,000
int64 keys on this project's machine. Sorting gives the same sorted result.

:func:`lexsort` gives ``np.lexsort``'s order with one sort of a combined integer key
instead of one stable argsort per key: 0.35 -> 0.13 s CPU for the 800,000-row tables of
a million-flow network (three keys).
"""

from __future__ import annotations

import contextlib
import functools
from typing import Any

import numpy as np

__all__ = ["blas_threads_for", "first_positions", "lexsort", "unique"]

# Dense blocks up to this size run with one BLAS thread: on small matrices OpenBLAS threads
# cost more than they save, and on a busy two-core machine their spin-waits made 127
# inverses of 100-200 actors take 16 s instead of 1 s.
SINGLE_THREAD_LIMIT = 1000
# Blocks this small run on one BLAS thread anyway (200 inverses of 64 x 64 took the same
# time with and without the limit, of 100 x 100 three times longer without): no limit, and
# no threadpoolctl scan of the loaded libraries (~50 ms, a third of the Tongling cycling).
SMALL_BLOCK = 64


def unique(
    values: np.ndarray, *, return_inverse: bool = False, return_counts: bool = False
) -> np.ndarray | tuple[np.ndarray, ...]:
    """The sorted distinct values of a 1-d array, as ``np.unique`` gives them, optionally
    with the inverse (``distinct[inverse] == values``) and the count of each. O(n log n)
    by one sort (an argsort when the inverse is asked for)."""
    values = np.asarray(values).ravel()
    if return_inverse:
        # Unstable: tied values share their rank whatever their order (and numpy's default
        # argsort is 1.2-2x faster than the stable one on int64).
        order = np.argsort(values)
        ordered = values[order]
    else:
        ordered = np.sort(values)
    starts = np.ones(len(ordered), dtype=bool)
    if len(ordered):
        np.not_equal(ordered[1:], ordered[:-1], out=starts[1:])
    distinct = ordered[starts]
    result: list[np.ndarray] = [distinct]
    if return_inverse:
        inverse = np.empty(len(values), dtype=np.intp)
        inverse[order] = np.cumsum(starts) - 1
        result.append(inverse)
    if return_counts:
        first = np.flatnonzero(starts)
        result.append(np.diff(np.append(first, len(ordered))))
    return result[0] if len(result) == 1 else tuple(result)


def first_positions(codes: np.ndarray, n: int) -> np.ndarray:
    """The position in ``codes`` (integers below ``n``; negative ones are skipped) of each
    code's first occurrence, ``len(codes)`` for a code that does not occur. O(len(codes) +
    n) by one ``np.minimum.at``: ``np.unique(codes, return_index=True)`` sorts every row
    (63 against 7.5 ms for a million codes)."""
    codes = np.asarray(codes)
    first = np.full(n, len(codes), dtype=np.int64)
    rows = np.flatnonzero(codes >= 0)
    np.minimum.at(first, codes[rows], rows)
    return first


def lexsort(keys: tuple[np.ndarray, ...] | list[np.ndarray]) -> np.ndarray:
    """``np.lexsort(keys)``: the stable order by the last key, then the one before, ...

    Each key becomes the dense rank of its values (an integer key of small range is its
    own rank; others are ranked by a sort of their order-preserving int64 bits), the ranks
    one mixed-radix int64 key, and that key, with each row's position as its last digit,
    is sorted by value: numpy's vectorised sort of int64, several times faster than the
    stable argsorts ``np.lexsort`` runs, one per key. Values that compare equal tie (0.0
    and -0.0 too), NaNs after every number and tied with each other, as ``np.lexsort``
    has them. Falls back to ``np.lexsort`` for other dtypes or when the key would not fit
    in 63 bits. O(n log n).
    """
    keys = [np.asarray(key) for key in keys]
    n = len(keys[0]) if keys else 0
    if len(keys) < 2 or n == 0 or any(key.dtype.kind not in "biuf" for key in keys):
        return np.lexsort(keys)
    combined, span = np.zeros(n, dtype=np.int64), 1
    for key in reversed(keys):  # the primary key first: the most significant digit
        ranked = _dense_rank(key)
        if ranked is None or span > (1 << 62) // max(ranked[1], 1):
            return np.lexsort(keys)
        combined = combined * ranked[1] + ranked[0]
        span *= ranked[1]
    if span <= (1 << 62) // n:  # the position fits as the last digit
        return np.sort(combined * n + np.arange(n)) % n
    return np.argsort(combined, kind="stable")


_LOW_BITS = np.int64(0x7FFFFFFFFFFFFFFF)
#: Up to this many distinct values (256 KB of int64: cache-resident), :func:`_dense_rank`
#: finds each value's rank by a binary search; past it, by an argsort.
SEARCHED_RANKS = 1 << 15


def _dense_rank(key: np.ndarray) -> tuple[np.ndarray, int] | None:
    """``(rank, count)``: the rank of each value among the distinct values of ``key``
    (0 for the smallest; NaN last) and how many ranks there are; None for unsigned
    integers past the int64 range."""
    if key.dtype.kind == "b":
        key = key.view(np.uint8)
    if key.dtype.kind in "iu":
        low, high = key.min(), key.max()
        if int(high) - int(low) <= 4 * len(key) + 1024:  # small range: the value is its rank
            return (key - low).astype(np.int64), int(high) - int(low) + 1
        if int(high) > np.iinfo(np.int64).max:
            return None
        bits = key.astype(np.int64)
    else:
        values = key.astype(np.float64) + 0.0  # -0.0 + 0.0 is 0.0: the two zeros tie
        bits = values.view(np.int64)
        bits = bits ^ ((bits >> 63) & _LOW_BITS)  # negative floats: reversed bits
        bits[np.isnan(values)] = np.iinfo(np.int64).max
    distinct = np.sort(bits)
    starts = np.ones(len(distinct), dtype=bool)
    np.not_equal(distinct[1:], distinct[:-1], out=starts[1:])
    count = int(np.count_nonzero(starts))
    if count <= SEARCHED_RANKS:
        return np.searchsorted(distinct[starts], bits), count
    # Many distinct values: binary searches into an array past the CPU caches cost more
    # than an argsort, whose order scatters each sorted position's rank back (3.6x at a
    # million distinct floats).
    rank = np.empty(len(bits), dtype=np.int64)
    rank[np.argsort(bits)] = np.cumsum(starts) - 1
    return rank, count


def blas_threads_for(largest_block: int) -> Any:
    """A context in which BLAS uses one thread when the largest dense block to process has
    more than :data:`SMALL_BLOCK` and at most :data:`SINGLE_THREAD_LIMIT` rows, and its
    default otherwise (threadpoolctl).
    The loaded libraries are looked up once per process (a scan of ~6 ms), not per call."""
    if largest_block > SINGLE_THREAD_LIMIT or largest_block <= SMALL_BLOCK:
        return contextlib.nullcontext()
    return _threadpools().limit(limits=1, user_api="blas")


@functools.cache
def _threadpools() -> Any:
    from threadpoolctl import ThreadpoolController

    return ThreadpoolController()
