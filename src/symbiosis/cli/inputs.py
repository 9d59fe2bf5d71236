"""Read every input of a command before saying what is wrong with any of them.

A command that reads several files (the network, a catalogue, a taxonomy, a demands file,
scenario files) reads each one even when an earlier one has problems, and reports the
problems of all of them at once (docs/errors.md: "all problems at once"), the network's
first. O(1) beyond the readers' own cost.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from ..errors import InputError, Problem

__all__ = ["read_all", "read_and_check", "with_problems_of"]

T = TypeVar("T")


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


def read_and_check(read: Callable[[], T], *checks: Callable[[T | None], Any]) -> T:
    """What ``read`` returns (the network), once each of ``checks`` (of the options: given
    that value, or None when it could not be read) found nothing wrong; else one
    :class:`InputError` with the problems of all of them, those of ``read`` first: a bad
    option is reported with the others and with the files' problems, one line each."""
    read_value: list[T] = []
    read_all(
        lambda: read_value.append(read()),
        *(lambda check=check: check(read_value[0] if read_value else None) for check in checks),
    )
    return read_value[0]


def with_problems_of(error: InputError, *readers: Callable[[], Any]) -> InputError:
    """``error`` (of the options) with the problems the ``readers`` raise after its own:
    the files are read although an option is wrong, so that one round of fixes is
    enough. Other exceptions pass through."""
    try:
        read_all(*readers)
    except InputError as exc:
        return InputError([*error.problems, *exc.problems])
    return error
