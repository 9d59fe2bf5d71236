"""Shared test settings: plain, wide CLI output so assertions see whole lines; the
property tests' profile."""

import os

from hypothesis import settings

os.environ["TERMINAL_WIDTH"] = "3000"
os.environ["_TYPER_FORCE_DISABLE_TERMINAL"] = "1"
os.environ["NO_COLOR"] = "1"

# CI (.ci/run sets SYMBIOSIS_HYPOTHESIS_PROFILE=ci): the property tests draw the same
# examples on every run, so whether a change lands does not hang on the luck of a draw.
# Local runs draw at random and explore; a case they find is kept as an @example.
# Neither has a deadline: an example's time says how busy the machine is, not whether the
# code is right (speed is measured by benchmarks/), and a shared machine failed them.
settings.register_profile("ci", derandomize=True, database=None, deadline=None)
settings.register_profile("local", deadline=None)
settings.load_profile(os.environ.get("SYMBIOSIS_HYPOTHESIS_PROFILE", "local"))
