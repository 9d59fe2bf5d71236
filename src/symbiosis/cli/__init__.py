"""The command-line interface: a thin typer layer over the library.

One module per command; each registers itself on :data:`app` when imported here.
Exit codes: 0 success, 1 a result could not be written or computed, 2 bad input or
usage, 130 interrupted.
"""

import inspect

from . import (  # noqa: F401  (importing a command module registers its commands)
    analyze,
    balance,
    export,
    loops,
    opportunities,
    reuse,
    scenario,
    structure,
    validate,
)
from .app import app, main

# The order of `symbiosis --help`: the path a new user takes.
_ORDER = (
    "validate",
    "analyze",
    "loops",
    "reuse",
    "balance",
    "structure",
    "opportunities",
    "scenario",
    "shock",
    "criticality",
    "export",
    "report",
)


def _position(command) -> int:
    name = command.name or command.callback.__name__.replace("_", "-")
    return _ORDER.index(name) if name in _ORDER else len(_ORDER)


app.registered_commands.sort(key=_position)


def _reflow(text: str) -> str:
    """A docstring as help text: each paragraph on one line, so that rich wraps it to the
    terminal instead of keeping the source's line breaks."""
    paragraphs = inspect.cleandoc(text).split("\n\n")
    return "\n\n".join(" ".join(line.strip() for line in p.splitlines()) for p in paragraphs)


for _command in app.registered_commands:
    if _command.help is None and _command.callback.__doc__:
        _command.help = _reflow(_command.callback.__doc__)

__all__ = ["app", "main"]
