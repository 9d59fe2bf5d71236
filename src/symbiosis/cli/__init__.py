"""The command-line interface: a thin typer layer over the library.

One module per command; each registers itself on :data:`app` when imported here.
Exit codes: 0 success, 1 a result could not be written or computed, 2 bad input or
usage, 130 interrupted.
"""

from . import analyze, balance, export, loops, opportunities, reuse, scenario, structure, validate  # noqa: F401  (registers the commands)
from .app import app, main

__all__ = ["app", "main"]
