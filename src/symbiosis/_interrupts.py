"""Ctrl-C in the command-line process: never lost, and the process ends at once, status 130.

Python turns SIGINT into a ``KeyboardInterrupt`` wherever the main thread happens to be.
Python 3.11 mishandles it in two places, both met while a command imports its modules (its
first half second):

* raised inside importlib's module-lock callback, it is reported as "ignored", and the
  command runs on to its end (exit status 0: the Ctrl-C is lost);
* raised inside an ``exec`` of source text (dataclasses writes each class's methods so),
  it leaves the interpreter marked as stopped by an unhandled interrupt: after the CLI's
  message and its exit 130, the process still ends by SIGINT (status -2).

Measured before this module: 11 of 30 ``analyze`` runs at a million flows, interrupted 0.30
to 0.45 s in, ended by SIGINT and one ran to the end.

So the CLI's entry point (:mod:`symbiosis.__main__`) installs :func:`install`'s handler:
it notes the interrupt, then raises ``KeyboardInterrupt`` as Python's own does.
:func:`check` raises it again at the command's checkpoints (the network loaded, each
stage of the passes) if it was swallowed, and :func:`exit_if_received` ends an
interrupted process with ``os._exit(130)`` once standard output and error are flushed,
skipping the interpreter's shutdown: no SIGINT status, and no thread still inside numpy or
pyarrow (the read-ahead, a pass's second lane) has its libraries torn down under it.
Outputs are safe without the shutdown: a file is written whole or not at all
(:mod:`symbiosis.export.files`), its temporary removed as the interrupt unwinds.

A leaf module: the library's own behaviour is untouched unless the CLI installs it.
"""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Callable
from types import FrameType
from typing import Any

__all__ = ["MESSAGE", "check", "exit_if_received", "install", "reported"]

MESSAGE = "interrupted (Ctrl-C); no file was left half-written"

_state = {"received": False, "reported": False}


def install() -> None:
    """Note every SIGINT from now on (then raise ``KeyboardInterrupt``, as before). Only
    where Python's own handler is in place: an ignored SIGINT (a background job) stays
    ignored, and a handler set by other code is kept. An interrupt that Python reports
    as "ignored" (raised in a callback) is no longer printed with its traceback: it is
    noted, and raised again at the next :func:`check`. Call from the main thread."""
    if signal.getsignal(signal.SIGINT) is signal.default_int_handler:
        signal.signal(signal.SIGINT, _noted)
        if not getattr(sys.unraisablehook, "keeps_interrupts_quiet", False):
            sys.unraisablehook = _quiet_about_interrupts(sys.unraisablehook)


def _quiet_about_interrupts(hook: Callable[[Any], object]) -> Callable[[Any], object]:
    def quiet(unraisable: Any) -> None:
        if not isinstance(unraisable.exc_value, KeyboardInterrupt):
            hook(unraisable)

    quiet.keeps_interrupts_quiet = True  # type: ignore[attr-defined]
    return quiet


def _noted(number: int, frame: FrameType | None) -> None:
    _state["received"] = True
    raise KeyboardInterrupt


def check() -> None:
    """Raise ``KeyboardInterrupt`` if a Ctrl-C came: a checkpoint, for an interrupt that
    code on the way swallowed. O(1)."""
    if _state["received"]:
        raise KeyboardInterrupt


def reported() -> None:
    """Say that :data:`MESSAGE` was shown (:func:`exit_if_received` then shows nothing)."""
    _state["reported"] = True


def exit_if_received() -> None:
    """After a Ctrl-C: :data:`MESSAGE` on standard error unless :func:`reported`,
    standard output and error flushed, and the process ended with status 130 without
    the interpreter's shutdown. Otherwise nothing."""
    if not _state["received"]:
        return
    for stream in (sys.stdout, sys.stderr):
        try:
            if stream is sys.stderr and not _state["reported"]:
                stream.write(MESSAGE + "\n")
            stream.flush()
        except (OSError, ValueError, AttributeError):  # closed, or a broken pipe
            pass
    os._exit(130)
