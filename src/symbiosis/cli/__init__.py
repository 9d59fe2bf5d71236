"""The command-line interface: a thin typer layer over the library.

One module per command (or family of commands); :mod:`.lazy` imports a command's module
only when that command is used, so `symbiosis --help` loads no analysis. Command modules
import only typer and :mod:`.app` at their top, and the library inside their functions
(tests/cli/test_startup.py checks it).
Exit codes: 0 success, 1 a result could not be written or computed, 2 bad input or
usage, 130 interrupted.
"""

from .app import app, main

__all__ = ["app", "main"]
