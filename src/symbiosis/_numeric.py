"""Small numpy helpers shared by every layer (a leaf: no project imports).

Sorts, stable orders by several keys (``np.lexsort``'s) and the distinct values of an
array (``np.unique``'s) are :mod:`symbiosis._sorting`'s.
"""

from __future__ import annotations

import contextlib
import functools
from typing import Any

import numpy as np

__all__ = ["blas_threads_for", "first_positions"]


# Dense blocks up to this size run with one BLAS thread: on small matrices OpenBLAS threads
# cost more than they save, and on a busy two-core machine their spin-waits made 127
# inverses of 100-200 actors take 16 s instead of 1 s.
SINGLE_THREAD_LIMIT = 1000
# Blocks this small run on one BLAS thread anyway (200 inverses of 64 x 64 took the same
# time with and without the limit, of 100 x 100 three times longer without): no limit, and
# no threadpoolctl scan of the loaded libraries (~50 ms, a third of the Tongling cycling).
SMALL_BLOCK = 64


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
