"""Run a few independent calls side by side on threads.

numpy, scipy and pyarrow release the GIL inside their loops (sorts, gathers, ufuncs,
sparse products, hashing), where the analysis passes spend most of their time, so two
passes on two threads use both cores of a small machine. A leaf module: no project
imports.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from typing import Any

__all__ = ["side_by_side"]


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
