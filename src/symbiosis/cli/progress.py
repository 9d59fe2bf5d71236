"""Progress on stderr for long work: a bar advanced by rows, a line of steps, and when to
show none (``--quiet``, or stderr no terminal). rich's progress module is imported only
when something is shown. The console is read from :mod:`.app` at each call (tests put a
terminal of their own there)."""

from __future__ import annotations

import contextlib
import importlib
from collections.abc import Callable, Iterator

from .. import _interrupts as interrupts
from .render import markup_safe

__all__ = ["no_progress", "rows_progress", "step_progress"]


def _stderr():
    """The CLI's stderr console (the module :mod:`.app`, not the package's ``app``, the
    typer application of the same name), read at each call."""
    return importlib.import_module(".app", __package__).stderr


def no_progress(quiet: bool) -> bool:
    """Whether to show no progress bar: asked (``--quiet``), or stderr is no terminal (a
    file, a pipe, a CI log), where rich draws nothing but leaves an empty line."""
    return quiet or not _stderr().is_terminal


@contextlib.contextmanager
def step_progress(steps: int, quiet: bool) -> Iterator[Callable[[str], None]]:
    """A progress line on stderr for a command of a few long steps (``register import``:
    reading each file, building the networks, writing them): a spinner, the step under
    way, ``2/4`` and the time elapsed. Yields what to call with each step's description
    (shown as text, never markup) as it starts: the first call shows step 1 of ``steps``.
    Quiet, or stderr no terminal: nothing shown, rich's progress module not imported; each
    call still checks for a Ctrl-C swallowed on the way."""
    if no_progress(quiet):
        yield lambda _: interrupts.check()
        return
    from rich.progress import (
        MofNCompleteColumn,
        Progress,
        SpinnerColumn,
        TextColumn,
        TimeElapsedColumn,
    )

    columns = (SpinnerColumn(), TextColumn("{task.description}"), MofNCompleteColumn(),
               TimeElapsedColumn())  # fmt: skip
    with Progress(*columns, console=_stderr(), transient=True) as progress:
        task = progress.add_task("starting", total=steps)  # the engine loads first
        started = [0]

        def step(description: str) -> None:
            interrupts.check()
            started[0] = min(started[0] + 1, steps)
            # a file's name is the user's text: shown as text, never as rich markup
            progress.update(
                task, completed=started[0], description=markup_safe(description), refresh=True
            )

        yield step


@contextlib.contextmanager
def rows_progress(what: str, quiet: bool) -> Iterator[Callable[[int, int], None]]:
    """A progress bar on stderr advanced by ``(done, total)`` rows; nothing shown when
    :func:`no_progress`."""
    if no_progress(quiet):
        yield lambda done, total: None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

    columns = (what, BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=_stderr(), transient=True) as bar:
        task = bar.add_task(what, total=None)
        yield lambda done, total: bar.update(task, completed=done, total=total)
