"""Run a few independent calls side by side on threads.

numpy, scipy and pyarrow release the GIL inside their loops (sorts, gathers, ufuncs,
sparse products, hashing), where the analysis passes spend most of their time, so two
passes on two threads use both cores of a small machine: the report's passes
(:data:`symbiosis.report.sections.STAGES`) and the stages inside the opportunities pass.
:func:`worth_threads` says when threads pay (from :data:`PARALLEL_FLOWS` flows on), and
:func:`one_thread` keeps everything a caller starts in its own thread. A leaf module: no
project imports.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterator, Sequence
from typing import Any

__all__ = ["PARALLEL_FLOWS", "one_thread", "side_by_side", "side_by_side_for", "worth_threads"]

#: Work on networks with fewer flows stays on the calling thread: their passes are mostly
#: interpreter work, which two threads cannot share (measured: 10 ms slower on two
#: threads at 10k flows, 0.05 s faster at 100k, 0.6 s at a million).
PARALLEL_FLOWS = 50_000

_local = threading.local()


def worth_threads(n_flows: int) -> bool:
    """Whether work on a network of ``n_flows`` flows runs its independent parts side by
    side: from :data:`PARALLEL_FLOWS` flows on, unless the calling thread is inside
    :func:`one_thread`."""
    return n_flows >= PARALLEL_FLOWS and not getattr(_local, "one_thread", False)


@contextlib.contextmanager
def one_thread() -> Iterator[None]:
    """Within this block, :func:`worth_threads` is false in the calling thread: every
    part of the work started there runs in it, one after the other."""
    before = getattr(_local, "one_thread", False)
    _local.one_thread = True
    try:
        yield
    finally:
        _local.one_thread = before


def side_by_side(calls: Sequence[Callable[[], Any]]) -> list[Any]:
    """Each call's return value, in the order of ``calls``: the first runs in the calling
    thread, each other one in a thread of its own, all at once. When calls raise, the
    error of the first of them (in the order of ``calls``) is raised once every call
    has ended, so that nothing still runs behind the caller's back; an interrupt
    (Ctrl-C) in the calling thread is raised at once, and the other threads, daemons,
    do not hold the interpreter's exit. One call runs in the calling thread alone."""
    if len(calls) <= 1:
        return [call() for call in calls]
    outcomes: list[tuple[bool, Any]] = [(False, None)] * len(calls)

    def run(i: int) -> None:
        try:
            outcomes[i] = (True, calls[i]())
        except BaseException as exc:  # handed to the caller, raised there
            outcomes[i] = (False, exc)

    threads = [threading.Thread(target=run, args=(i,), daemon=True) for i in range(1, len(calls))]
    for thread in threads:
        thread.start()
    run(0)
    if not outcomes[0][0] and isinstance(outcomes[0][1], KeyboardInterrupt):
        raise outcomes[0][1]
    for thread in threads:
        thread.join()
    for ok, value in outcomes:
        if not ok:
            raise value
    return [value for _, value in outcomes]


def side_by_side_for(n_flows: int, calls: Sequence[Callable[[], Any]]) -> list[Any]:
    """Each call's return value, in the order of ``calls``: side by side
    (:func:`side_by_side`) when work on ``n_flows`` flows is :func:`worth_threads`, else
    one after the other in the calling thread. The same values either way."""
    if worth_threads(n_flows):
        return side_by_side(calls)
    return [call() for call in calls]
