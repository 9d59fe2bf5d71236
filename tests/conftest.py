"""Shared test settings: plain, wide CLI output so assertions see whole lines."""

import os

os.environ["TERMINAL_WIDTH"] = "3000"
os.environ["_TYPER_FORCE_DISABLE_TERMINAL"] = "1"
os.environ["NO_COLOR"] = "1"
