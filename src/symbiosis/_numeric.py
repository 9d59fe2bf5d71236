"""Small numpy helpers shared by every layer (a leaf: no project imports).

Sorts, stable orders by several keys (``np.lexsort``'s) and the distinct values of an
array (``np.unique``'s) are :mod:`symbiosis._sorting`'s.
"""

from __future__ import annotations

import contextlib
import functools
import threading
from collections.abc import Iterator
from typing import Any

import numpy as np

__all__ = [
    "blas_threads_for",
    "first_positions",
    "powers_of_two",
    "significant",
    "weighted_counts",
]


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


def weighted_counts(index: np.ndarray, weights: np.ndarray, n: int) -> np.ndarray:
    """``np.bincount(index, weights, minlength=n)``, always float64: numpy gives int64
    zeros for an empty ``index``, whatever the weights' dtype (a network without flows
    in a dimension, a table without rows), and a sum then changed type with the data.
    O(len(index) + n)."""
    return np.bincount(index, weights, minlength=n).astype(np.float64, copy=False)


def significant(values: Any, digits: int = 13) -> np.ndarray:
    """``values`` (floats) rounded to ``digits`` significant digits: the float noise of
    sums, ratios and a solver's scaling dropped (``49999.999999999985`` is ``50000.0``),
    each value the double nearest its rounded decimal, within half a unit of the last
    digit kept (5e-13 of it at 13 digits: below the 1e-12 by which an amount counts as a
    whole stream). Zero, NaN, infinities, and values past 10**22 times a unit of the last
    digit (beyond 1e-10 or 1e35 at 13 digits) are kept as they are. O(n), vectorised: each
    value scaled by an exact power of ten (10**k, |k| <= 22), rounded, and scaled back."""
    x = np.array(values, dtype=float)  # a copy
    with np.errstate(divide="ignore", invalid="ignore"):
        k = digits - 1 - np.floor(np.log10(np.abs(x)))  # decimal places kept
    rounded = np.isfinite(k) & (np.abs(k) <= 22)
    if not rounded.any():
        return x
    v, places = x[rounded], k[rounded]
    up = places >= 0
    power = 10.0 ** np.abs(places)  # exact up to 10**22
    x[rounded] = np.where(up, np.round(v * power) / power, np.round(v / power) * power)
    return x


def powers_of_two(largest: np.ndarray) -> np.ndarray:
    """Per element, the power of two at or below ``|largest|`` (1 where it is 0 or not
    finite). Dividing by it and multiplying back is exact (short of overflow), so a sum of
    squares taken on values divided by it neither underflows for 1e-300 nor changes a bit
    for ordinary values. O(n)."""
    largest = np.abs(np.asarray(largest, dtype=float))
    usable = np.isfinite(largest) & (largest > 0)
    exponent = np.frexp(np.where(usable, largest, 1.0))[1] - 1
    return np.where(usable, np.ldexp(1.0, exponent), 1.0)


def blas_threads_for(largest_block: int) -> Any:
    """A context in which BLAS uses one thread when the largest dense block to process has
    more than :data:`SMALL_BLOCK` rows, and whatever it has otherwise (threadpoolctl).
    The loaded libraries are looked up once per process (a scan of ~6 ms), not per call.

    Why one thread: on small matrices OpenBLAS threads cost more than they save (on a busy
    two-core machine their spin-waits made 127 inverses of 100-200 actors take 16 s
    instead of 1 s), and a result must not depend on the thread count: the inverse of a
    128 x 128 block differs in its last bits between one and two threads (blocks of 64
    and less are the same bit for bit: OpenBLAS runs them on one thread whatever its
    setting). Blocks of more than 1,000 rows kept the host's threads until analyses on
    several threads gave other figures than one alone (FCI in its last digits): the other
    threads' limit reached them in the middle of their work. Large blocks are factorized
    sparse (above ``DENSE_LIMIT``), so few dense blocks are that large.

    The limit is the whole process's (BLAS has one thread count), so analyses on several
    threads share it (:class:`_SharedLimit`): the first to enter sets it, the last to
    leave restores what was there before the first. Each entering and leaving its own
    threadpoolctl limit, concurrent analyses restored each other's saved values and left
    the host's BLAS at one thread for good."""
    if largest_block <= SMALL_BLOCK:
        return contextlib.nullcontext()
    return _ONE_THREAD.held()


class _SharedLimit:
    """One BLAS thread for as long as any thread of the process asks for it: a count of
    the users under a lock; the limit set when the count leaves 0 and the original
    restored when it comes back to 0. O(1) per use, plus threadpoolctl's change of the
    limit (a call into each BLAS library) at the first entry and the last exit."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._users = 0
        self._limiter: Any = None

    @contextlib.contextmanager
    def held(self) -> Iterator[None]:
        with self._lock:
            if self._users == 0:
                _release_ownership()
                self._limiter = _threadpools().limit(limits=1, user_api="blas")
                _release_ownership()
            self._users += 1
        try:
            yield
        finally:
            with self._lock:
                self._users -= 1
                if self._users == 0:
                    self._limiter.restore_original_limits()
                    _release_ownership()
                    self._limiter = None


def _release_ownership() -> None:
    """Let any thread change OpenBLAS's limit again. threadpoolctl (>= 3.8) lets only the
    thread that last changed it (a pthreads OpenBLAS has one pool for the process) change
    it again, until that thread's own ``with`` block ends; the shared limit is set by one
    thread and restored by another, whose restore was then ignored: the host's BLAS
    stayed at one thread. Called under :class:`_SharedLimit`'s lock, the one place that
    changes the limit here. O(1)."""
    import threadpoolctl

    owner = getattr(threadpoolctl, "OpenBLASController", None)
    clear = getattr(owner, "clear_controlling_thread", None)
    if clear is not None:
        clear(force=True)


_ONE_THREAD = _SharedLimit()


@functools.cache
def _threadpools() -> Any:
    from threadpoolctl import ThreadpoolController

    return ThreadpoolController()
