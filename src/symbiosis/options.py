"""The options shared by the analysis passes (loop-search bounds, balance tolerance, ...).

A leaf module, so that the analysis layer (which reads the options) never imports the
report (which runs the passes). :class:`symbiosis.report.Options` is this class.
"""

from __future__ import annotations

from dataclasses import dataclass

from .errors import InputError

__all__ = ["BALANCE_CHOICES", "THROUGHFLOW_RULES", "Options"]

#: How a firm's throughflow is taken from its recorded inflow and outflow (see
#: :mod:`symbiosis.analysis.cycling`); "input" is accepted as an older name of "inflow".
THROUGHFLOW_RULES: tuple[str, ...] = ("max", "inflow", "outflow")
#: enaR's balance() methods, and "none" (the recorded flows).
BALANCE_CHOICES: tuple[str, ...] = ("none", "avg", "avg2", "io", "oi")


@dataclass(frozen=True)
class Options:
    """Parameters shared by the analysis passes (each pass reads the ones it needs)."""

    max_loop_length: int = 6
    max_loops: int = 10_000
    loop_time_budget: float = 10.0
    balance_tolerance: float = 0.05
    opportunities_top: int = 10
    max_distance_km: float | None = None
    throughflow: str = "max"
    balance: str = "none"
    #: Monte Carlo samples of the ``uncertainty`` section; 0 leaves the section out.
    samples: int = 0
    #: Seed of the samples: the same seed gives the same intervals.
    seed: int = 0
    #: Relative standard deviation of flows whose row gives no spread (None: held fixed).
    uncertainty: float | None = None

    def __post_init__(self) -> None:
        """Check every option, all problems in one :class:`InputError`. O(1)."""
        problems = _type_problems(self)
        if problems:  # the comparisons below need numbers
            raise InputError("; ".join(problems))
        if self.max_loop_length < 1:
            problems.append(f"max_loop_length must be >= 1 (got {self.max_loop_length})")
        if self.max_loops < 0:
            problems.append(f"max_loops must be >= 0 (got {self.max_loops})")
        if not self.loop_time_budget > 0:
            problems.append(f"loop_time_budget must be > 0 seconds (got {self.loop_time_budget})")
        if not self.balance_tolerance >= 0:
            problems.append(f"balance_tolerance must be >= 0 (got {self.balance_tolerance})")
        if self.throughflow not in (*THROUGHFLOW_RULES, "input"):
            problems.append(
                f"throughflow must be max, inflow or outflow (got {self.throughflow!r})"
            )
        if self.balance not in BALANCE_CHOICES:
            problems.append(f"balance must be none, avg, avg2, io or oi (got {self.balance!r})")
        if self.samples != 0 and self.samples < 2:
            problems.append(f"samples must be 0 (no Monte Carlo) or >= 2 (got {self.samples})")
        if self.uncertainty is not None and not self.uncertainty >= 0:
            problems.append(f"uncertainty must be >= 0 (got {self.uncertainty})")
        if problems:
            raise InputError("; ".join(problems))


_WHOLE = ("max_loop_length", "max_loops", "opportunities_top", "samples", "seed")
_NUMBERS = ("loop_time_budget", "balance_tolerance")


def _type_problems(options: Options) -> list[str]:
    """Options of the wrong type, each named with what it should be (a '6' from a form
    is a string, not a number)."""
    problems = []
    for name in _WHOLE:
        value = getattr(options, name)
        if isinstance(value, bool) or not isinstance(value, int):
            problems.append(f"{name} must be a whole number (got {value!r})")
    for name in _NUMBERS:
        value = getattr(options, name)
        if isinstance(value, bool) or not isinstance(value, int | float):
            problems.append(f"{name} must be a number (got {value!r})")
    for name in ("max_distance_km", "uncertainty"):
        value = getattr(options, name)
        if value is not None and (isinstance(value, bool) or not isinstance(value, int | float)):
            problems.append(f"{name} must be a number or None (got {value!r})")
    if not isinstance(options.balance, str):
        problems.append(f"balance must be none, avg, avg2, io or oi (got {options.balance!r})")
    if not isinstance(options.throughflow, str):
        problems.append(f"throughflow must be max, inflow or outflow (got {options.throughflow!r})")
    return problems
