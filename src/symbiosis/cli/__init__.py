"""The command-line interface: a thin typer layer over the library.

One module per command; each registers itself on :data:`app` when imported here.
Exit codes: 0 success, 1 a result could not be written or computed, 2 bad input or
usage, 130 interrupted.
"""

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

__all__ = ["app", "main"]
