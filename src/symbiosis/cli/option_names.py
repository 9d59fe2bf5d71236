"""Problems with a command's options said as the user wrote them: the library names its
parameters (``max_length``), the command line its options (``--max-length``), and a few
options pass a library parameter of another name (``--max-distance`` is
``max_distance_km``). Used by :func:`~symbiosis.cli.app.handle_errors`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..errors import InputError
from .paths import option_names

__all__ = ["LIBRARY_NAMES", "with_option_names"]

#: Library parameters that a command's option of another name passes on (the library's
#: ``max_distance_km`` is ``--max-distance``): named by that option in messages.
LIBRARY_NAMES = {
    "max_distance_km": "max_distance",
    "max_loop_length": "max_length",
    "loop_time_budget": "time_budget",
    "balance_tolerance": "tolerance",
    "receivers_per_stream": "per_stream",
}


def with_option_names(
    error: InputError, options: dict[str, Any], command: Callable[..., Any] | None = None
) -> InputError:
    """``error`` as the command line says it: a problem with an argument of the library
    (no file) names the command's option (``--max-length must be ...``, not
    ``max_length``), and "or None" (the library's "not given") is left out. ``options``:
    the command's parameters by name; ``command``, when given, says how each is written
    (its long option: the parameter ``default`` of ``uncertainty`` is ``--uncertainty``),
    else ``max_length`` is ``--max-length`` (the command runs on a thread of its own, so
    click's context is not at hand). O(problems)."""
    import re
    from dataclasses import replace

    if not options:
        return error
    shown = {name: f"--{name.replace('_', '-')}" for name in options}
    if command is not None:
        shown |= option_names(command)
    shown |= {library: shown[name] for library, name in LIBRARY_NAMES.items() if name in shown}
    names = "|".join(re.escape(name) for name in sorted(shown, key=len, reverse=True))
    named = re.compile(rf"(^|; )({names}) (?=must |is )")

    def said(message: str) -> str:
        message = named.sub(lambda m: f"{m.group(1)}{shown[m.group(2)]} ", message)
        return re.sub(r" or None(?= \(got|;|$)", "", message)

    problems = [replace(p, message=said(p.message)) if not p.file else p for p in error.problems]
    rewritten = InputError(problems)
    rewritten.exit_code = error.exit_code
    return rewritten
