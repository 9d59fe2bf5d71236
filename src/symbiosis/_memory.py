"""Give memory that a step freed back to the operating system.

Arrow's allocator keeps freed pages for its own reuse, and glibc's malloc keeps the pages
of freed numpy temporaries at the top of its heaps; neither comes back on its own. Between
the steps of an analysis of a large network that is hundreds of megabytes the process
holds for nothing (measured at a million flows: 160 MB after reading, 380 MB by the end of
``analyze``). The command line has its threads share one glibc heap instead
(:func:`share_one_heap`): what a step frees there, the next one reuses.
"""

from __future__ import annotations

import contextlib
import ctypes
import functools
import os
import sys
from collections.abc import Callable

__all__ = ["heap_shared", "return_freed_memory", "share_one_heap", "tune_process"]

#: mallopt's parameter for the largest number of malloc arenas (glibc's malloc.h).
_M_ARENA_MAX = -8
#: prctl's options for transparent huge pages, process-wide (linux/prctl.h).
_PR_SET_THP_DISABLE = 41
_PR_GET_THP_DISABLE = 42
_heap_shared = False  # whether share_one_heap() took effect in this process


def return_freed_memory() -> None:
    """Release Arrow's unused pool memory (if pyarrow is loaded) and trim glibc's heaps
    (on glibc only; elsewhere nothing). A few milliseconds: O(pages of the heaps)."""
    arrow = sys.modules.get("pyarrow")
    if arrow is not None:
        arrow.default_memory_pool().release_unused()
    trim = _libc_function("malloc_trim")
    if trim is not None:
        trim(0)


@functools.cache
def _libc_function(name: str) -> Callable[..., int] | None:
    """A glibc function of the process (``malloc_trim``, ``mallopt``), looked up once;
    None elsewhere."""
    with contextlib.suppress(OSError, AttributeError, TypeError):
        return getattr(ctypes.CDLL(None), name)
    return None


def share_one_heap() -> bool:
    """Have every thread of this process allocate from one glibc heap (one malloc arena);
    True when that is so. For the command line only, called before it starts threads:
    the library, imported by other code, leaves the allocator to that code. Not on other
    C libraries (False), nor when the user chose the number of arenas
    (``MALLOC_ARENA_MAX``, or ``glibc.malloc.arena_max`` in ``GLIBC_TUNABLES``).

    Why: glibc gives each thread that allocates beside another an arena of its own, and
    what one arena frees only that arena reuses, while the sections of a report run on
    new threads, stage after stage. Each stage then faulted in fresh pages for what the
    last one had freed elsewhere, unless every section's temporaries were handed back
    first (:func:`return_freed_memory`, which itself makes the next section fault its
    pages in again). In one heap a section reuses what any earlier one freed: the report
    hands nothing back between sections (:func:`heap_shared`). Measured with ``analyze``
    at a million flows against several arenas with the trims (6 + 6 interleaved runs):
    page faults 441-534k -> 296-326k, 3.54 -> 3.40 s (medians), peaks 853-922 ->
    850-870 MB; on the other shapes of ``benchmarks/bench_shapes.py`` (3 + 3 runs) 0.03
    to 0.23 s faster, peaks within 863-930 MB (five years of 200,000 flows: 883-946
    before)."""
    if os.environ.get("MALLOC_ARENA_MAX") or "arena_max" in os.environ.get("GLIBC_TUNABLES", ""):
        return False
    mallopt = _libc_function("mallopt")
    if mallopt is None or not mallopt(_M_ARENA_MAX, 1):
        return False
    global _heap_shared
    _heap_shared = True
    return True


def heap_shared() -> bool:
    """Whether :func:`share_one_heap` took effect: memory freed by one step is then
    reused by the next, whichever thread runs it, and handing it back between steps
    only costs the page faults of taking it again."""
    return _heap_shared


def tune_process() -> bool:
    """Turn transparent huge pages off for this whole process, as ``symbiosis analyze``
    runs (Linux only); True when they are off. Opt-in, for programs that analyse large
    networks: the library, imported by other code, changes nothing of its process unless
    asked. Call it once, at any time (memory allocated afterwards is affected).

    Why: numpy asks the kernel for huge pages for every array of 4 MB or more, and where
    the kernel then compacts memory on a fault (``defrag`` "madvise", the default of
    Ubuntu and of this project's machines), the many short-lived large arrays of a big
    analysis spend seconds in the kernel. Measured with ``symbiosis.load`` and
    ``report.analyze_to_dict`` at a million flows, 2 cores: 4.30-6.05 s (2.0-4.3 s of it
    in the kernel) without, 3.41-3.64 s (0.8-1.0 s) with, seven runs each. The command
    line gets the same through pyarrow's allocator (``MIMALLOC_ALLOW_THP=0``, which makes
    mimalloc switch them off for the process). Outside Linux: nothing, False. O(1)."""
    prctl = _libc_function("prctl")
    if prctl is None or not sys.platform.startswith("linux"):
        return False
    prctl(_PR_SET_THP_DISABLE, 1, 0, 0, 0)
    return prctl(_PR_GET_THP_DISABLE, 0, 0, 0, 0) == 1
