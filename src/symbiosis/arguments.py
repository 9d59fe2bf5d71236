"""Checks of the option arguments of the public functions, all problems of a call at once.

The library is called with values from forms, notebooks and configuration files: a ``"6"``
that is text, a ``None``, a ``nan``, ``True`` for a count. Each public function checks its
options before any work, through one :class:`Arguments`, and raises one
:class:`~symbiosis.errors.InputError` naming every bad argument with the value it got and
what it takes, e.g. ``time_budget must be a number > 0 (seconds) or None (got '6')``: one
:class:`~symbiosis.errors.Problem` per bad argument, its message all of them. The
type is checked before the range, so that a comparison never fails on a wrong type. Only
:mod:`symbiosis.errors` is imported (numpy's scalar types are recognised without
importing numpy).

Complexity: O(1) per argument, O(items) for a collection of names.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable, Collection, Iterable, Mapping
from typing import Any

from .errors import InputError, Problem

__all__ = ["Arguments", "firm_id", "is_number", "is_whole", "short_repr", "unknown_dimension"]


def is_whole(value: Any) -> bool:
    """Whether ``value`` is an integer (Python's or numpy's), not a bool."""
    return isinstance(value, numbers.Integral) and not isinstance(value, bool)


def firm_id(value: Any) -> Any:
    """``value`` as a firm id where an id is expected: ids are text (``firms.csv``'s
    ``101`` is the id ``'101'``), so an integer (Python's or numpy's, not a bool) is taken
    as its digits; anything else is returned as it is, for the caller's own check. O(1)."""
    return str(int(value)) if is_whole(value) else value


def is_number(value: Any) -> bool:
    """Whether ``value`` is a real number (int or float, Python's or numpy's), not a bool;
    NaN and infinities included."""
    return isinstance(value, numbers.Real) and not _is_bool(value)


def _is_bool(value: Any) -> bool:
    # numpy's bool is named "bool_" in numpy 1 and "bool" in numpy 2
    return isinstance(value, bool) or type(value).__name__ in ("bool", "bool_")


def _bounds(minimum: float | None, above: float | None, maximum: float | None) -> str:
    parts = []
    if above is not None:
        parts.append(f"> {above:g}")
    elif minimum is not None:
        parts.append(f">= {minimum:g}")
    if maximum is not None:
        parts.append(f"<= {maximum:g}")
    return " and ".join(parts)


class Arguments:
    """The problems found so far with one call's arguments; :meth:`check` raises them.

    Each method checks one argument and returns it as it is to be used (an ``int`` for a
    whole number, a ``float`` for a number, a tuple for names), or ``None`` when it is
    ``None`` and that is allowed, or when it is wrong (the problem is then noted)."""

    def __init__(self) -> None:
        self.problems: list[str] = []

    def add(self, message: str) -> None:
        self.problems.append(message)

    def check(self) -> None:
        """Raise one :class:`~symbiosis.errors.InputError` with every problem noted, one
        :class:`~symbiosis.errors.Problem` each (the command line prints one line each);
        its message holds them all, joined by ``"; "``."""
        if self.problems:
            error = InputError([Problem("", None, None, message) for message in self.problems])
            error.args = ("; ".join(self.problems),)  # str(error): every problem, as before
            raise error

    def whole(
        self,
        name: str,
        value: Any,
        *,
        minimum: int | None = 0,
        maximum: int | None = None,
        none: bool = False,
        what: str = "",
    ) -> int | None:
        """A whole number within the bounds (``none``: or ``None``)."""
        if value is None and none:
            return None
        bounds = _bounds(minimum, None, maximum)
        said = f"{name} must be a whole number{' ' + bounds if bounds else ''}{what}"
        if not is_whole(value):
            return self._wrong(said, value, none)
        if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
            return self._wrong(said, value, none)
        return int(value)

    def number(
        self,
        name: str,
        value: Any,
        *,
        minimum: float | None = None,
        above: float | None = None,
        maximum: float | None = None,
        infinite: bool = False,
        none: bool = False,
        what: str = "",
    ) -> float | None:
        """A number within the bounds, never NaN; an infinity only with ``infinite``
        (``none``: or ``None``)."""
        if value is None and none:
            return None
        bounds = _bounds(minimum, above, maximum)
        kind = "a number" if infinite else "a finite number"
        said = f"{name} must be {kind}{' ' + bounds if bounds else ''}{what}"
        if not is_number(value) or math.isnan(value):
            return self._wrong(said, value, none)
        if math.isinf(value) and not infinite:
            return self._wrong(said, value, none)
        low = above if above is not None else minimum
        if low is not None and (value <= low if above is not None else value < low):
            return self._wrong(said, value, none)
        if maximum is not None and value > maximum:
            return self._wrong(said, value, none)
        return float(value)

    def flag(self, name: str, value: Any) -> bool:
        """True or False (numpy's bool too)."""
        if not _is_bool(value):
            self.add(f"{name} must be True or False (got {value!r})")
            return False
        return bool(value)

    def choice(self, name: str, value: Any, choices: Collection[str], *, none: bool = False):
        """One of ``choices`` (``none``: or ``None``)."""
        if value is None and none:
            return None
        if not isinstance(value, str) or value not in choices:
            listed = ", ".join(map(str, choices))
            got = f"{value!r}" if isinstance(value, str) else f"{value!r}, not text"
            self.add(f"unknown {name} {got}; choose from {listed}{' or None' if none else ''}")
            return None
        return value

    def present_dimension(self, value: Any, dimensions: Collection[str]) -> bool:
        """Whether ``value`` is None or a dimension name among the ``dimensions`` the
        network has flows in; anything else is noted, naming them (a search or a view of
        an absent one would say nothing: every command refuses it with these words)."""
        if value is not None and (not isinstance(value, str) or value not in dimensions):
            self.add(unknown_dimension(value, dimensions))
            return False
        return True

    def names(
        self,
        name: str,
        value: Any,
        choices: Collection[str] | None = None,
        *,
        none: bool = True,
    ) -> tuple[str, ...] | None:
        """Text values: a list (any iterable) of them, or one as a plain string (``"expand"``
        is ``("expand",)``, not its letters); each one of ``choices`` when given."""
        if value is None and none:
            return None
        if isinstance(value, str):
            value = (value,)
        if isinstance(value, Mapping) or not isinstance(value, Iterable):
            self.add(f"{name} must be a list of names (got {value!r})")
            return None
        items = tuple(value)
        wrong = [item for item in items if not isinstance(item, str)]
        if wrong:
            self.add(f"{name} must be a list of names (got {wrong[0]!r} in it)")
            return None
        if choices is not None:
            unknown = [item for item in items if item not in choices]
            if unknown:
                self.add(
                    f"unknown {name} {', '.join(map(repr, unknown))}; "
                    f"choose from {', '.join(choices)}"
                )
                return None
        return items

    def function(self, name: str, value: Any, *, none: bool = True) -> Callable | None:
        """A callable (``none``: or ``None``)."""
        if value is None and none:
            return None
        if not callable(value):
            self.add(f"{name} must be a function{' or None' if none else ''} (got {value!r})")
            return None
        return value

    def instance(self, name: str, value: Any, kind: Any, *, none: bool = True, what: str = ""):
        """An instance of ``kind`` (``none``: or ``None``)."""
        if value is None and none:
            return None
        if not isinstance(value, kind):
            said = what or f"a {kind.__name__}"
            self.add(
                f"{name} must be {said}{' or None' if none else ''} "
                f"(got {type(value).__name__} {short_repr(value)})"
            )
            return None
        return value

    def _wrong(self, said: str, value: Any, none: bool) -> Any:  # None, noted as a problem
        self.add(f"{said}{' or None' if none else ''} (got {short_repr(value)})")
        return None


def unknown_dimension(value: Any, present: Iterable[str]) -> str:
    """The problem of a dimension that a network has no flows in, naming those it has
    (``present``): what every command says of ``--dimension water``."""
    known = ", ".join(present) or "none"
    return f"unknown dimension {short_repr(value)}; this network has flows in: {known}"


def short_repr(value: Any, width: int = 60) -> str:
    """``repr(value)``, cut to ``width`` characters: how a bad argument is shown."""
    text = repr(value)
    return text if len(text) <= width else text[: width - 3] + "..."
