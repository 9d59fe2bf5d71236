"""Give memory that a step freed back to the operating system.

Arrow's allocator keeps freed pages for its own reuse, and glibc's malloc keeps the pages
of freed numpy temporaries at the top of its heaps; neither comes back on its own. Between
the steps of an analysis of a large network that is hundreds of megabytes the process
holds for nothing (measured at a million flows: 160 MB after reading, 380 MB by the end of
``analyze``). The command line has its threads share one glibc heap instead
(:func:`share_one_heap`), which keeps what they free: the next step reuses it.
"""

from __future__ import annotations

import contextlib
import ctypes
import functools
import os
import sys
from collections.abc import Callable

__all__ = ["heap_shared", "return_freed_memory", "share_one_heap", "tune_process"]

#: mallopt's parameters (glibc's malloc.h): the largest number of malloc arenas, the size
#: from which a block is mapped on its own, the free top of the heap kept before trimming.
_M_ARENA_MAX = -8
_M_MMAP_THRESHOLD = -3
_M_TRIM_THRESHOLD = -1
#: In the one heap, blocks up to this size come from the heap (numpy's arrays of a million
#: flows and their candidates: tens of MB), and up to this much free top is kept.
_KEPT_BLOCKS = 256 * 2**20
_KEPT_TOP = 128 * 2**20
#: prctl's options for transparent huge pages, process-wide (linux/prctl.h).
_PR_SET_THP_DISABLE = 41
_PR_GET_THP_DISABLE = 42
_heap_shared = False  # whether share_one_heap() took effect in this process
_heap_kept = False  # whether that heap also keeps large blocks and its free top


def return_freed_memory(*, whole: bool = False) -> None:
    """Release Arrow's unused pool memory (if pyarrow is loaded) and trim glibc's heaps
    (on glibc only; elsewhere nothing). A few milliseconds: O(pages of the heaps).

    The one heap of :func:`share_one_heap` keeps what it frees for the next step to
    reuse, and is trimmed only when ``whole``: where the next step's memory comes from
    another allocator (Arrow's, reading a second network) or the rest of the command is
    a step of its own (a page written after the passes)."""
    arrow = sys.modules.get("pyarrow")
    if arrow is not None:
        arrow.default_memory_pool().release_unused()
    trim = _libc_function("malloc_trim")
    if trim is not None and (whole or not _heap_kept):
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
    before).

    The heap also keeps what is freed (:func:`_keep_freed_blocks`), unless the user set
    glibc's thresholds."""
    if _user_set(("MALLOC_ARENA_MAX",), ("arena_max",)):
        return False
    mallopt = _libc_function("mallopt")
    if mallopt is None or not mallopt(_M_ARENA_MAX, 1):
        return False
    global _heap_shared
    _heap_shared = True
    _keep_freed_blocks(mallopt)
    return True


def _keep_freed_blocks(mallopt: Callable[..., int]) -> None:
    """Have the heap keep the blocks it frees, for the next step to reuse. By default
    glibc maps each block past its mmap threshold (which grows with the blocks freed, up
    to 32 MB) on its own and unmaps it when freed, and trims its heap's free top past
    twice that; :func:`return_freed_memory` trimmed the rest. Each page so handed back
    was faulted in again, zeroed, by the next step: about 300,000 faults at a million
    flows, 1.2 GB for a peak of 0.85 GB. Blocks up to :data:`_KEPT_BLOCKS` now come from
    the heap, its free top is trimmed past :data:`_KEPT_TOP` only, and
    :func:`return_freed_memory` trims it only when asked to (``whole``). Not where the
    user set a threshold (``MALLOC_MMAP_THRESHOLD_``, ``MALLOC_TRIM_THRESHOLD_``,
    ``GLIBC_TUNABLES``). The trim threshold is set only once the mmap threshold is:
    setting it alone fixes the mmap threshold at 128 kB, the most faults of all (the
    command at a million flows 5.2 s, 1.7 million faults).

    Measured with ``analyze`` at a million flows, 8 + 8 + 8 interleaved runs (medians):
    3.24 s, 5.12 s of CPU, 300,000 faults, peak 849 MB before; free tops of 128 MB kept,
    3.09 s, 4.86 s, 229,000, 875 MB; of 64 MB, 3.14 s, 4.96 s, 241,000, 847 MB; of 1 GB
    (6 runs) 3.08 s, 230,000, 871 MB. The free top kept trades faults for peak where a
    command frees much at once: five years of 200,000 flows peaked at 928-950 MB before,
    930-956 MB with 128 MB kept, 947-970 with 1 GB; a shock of one firm at a million
    flows 1,112-1,129 MB before, 1,131-1,136 with 128 MB, 1,188-1,191 with 1 GB (and
    0.1-0.4 s faster)."""
    if _user_set(("MALLOC_MMAP_THRESHOLD_", "MALLOC_TRIM_THRESHOLD_"),
                 ("mmap_threshold", "trim_threshold")):  # fmt: skip
        return
    if mallopt(_M_MMAP_THRESHOLD, _KEPT_BLOCKS) and mallopt(_M_TRIM_THRESHOLD, _KEPT_TOP):
        global _heap_kept
        _heap_kept = True


def _user_set(variables: tuple[str, ...], tunables: tuple[str, ...]) -> bool:
    """Whether the user chose one of these malloc settings: one of the environment
    ``variables``, or one of the ``tunables`` named in ``GLIBC_TUNABLES``."""
    chosen = os.environ.get("GLIBC_TUNABLES", "")
    return any(os.environ.get(v) for v in variables) or any(t in chosen for t in tunables)


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
