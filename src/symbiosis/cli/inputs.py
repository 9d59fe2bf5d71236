"""Read every input of a command before saying what is wrong with any of them.

A command that reads several files (the network, a catalogue, a taxonomy, a demands file,
scenario files) reads each one even when an earlier one has problems, and reports the
problems of all of them at once (docs/errors.md: "all problems at once"), the network's
first. O(1) beyond the readers' own cost.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..errors import InputError, Problem

__all__ = ["read_all"]


def read_all(*readers: Callable[[], Any]) -> list[Any]:
    """Each reader's value, in order; when any raise :class:`InputError`, one
    :class:`InputError` with all their problems, in the readers' order (the others'
    values are dropped). Other exceptions pass through at once."""
    values: list[Any] = []
    problems: list[Problem] = []
    for read in readers:
        try:
            values.append(read())
        except InputError as exc:
            problems.extend(exc.problems)
            values.append(None)
    if problems:
        raise InputError(problems)
    return values
