"""The options shared by the analysis passes (loop-search bounds, balance tolerance, ...).

A leaf module, so that the analysis layer (which reads the options) never imports the
report (which runs the passes). :class:`symbiosis.report.Options` is this class.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

from .arguments import Arguments, _is_bool, is_whole, short_repr
from .errors import InputError

__all__ = [
    "BALANCE_CHOICES",
    "SECTION_NAMES",
    "SECTION_NEEDS",
    "THROUGHFLOW_RULES",
    "Options",
    "checked_options",
]

#: The report's sections, in its order (:data:`symbiosis.report.SECTIONS` registers each
#: one's pass in this order): here, so that a command checks ``--sections`` before the
#: passes' code is loaded.
SECTION_NAMES: tuple[str, ...] = (
    "summary", "reuse", "balance", "structure", "opportunities", "cycling", "loops",
    "recovery", "trends", "uncertainty",
)  # fmt: skip

#: What each conditional section needs, else a run of every section leaves it out and
#: naming it is an error (``{samples}``: how the samples are asked for, ``samples=N`` or
#: ``--samples N``): here, so that a command checks ``--sections`` before the network loads.
SECTION_NEEDS: dict[str, str] = {
    "recovery": "flows with 'waste_code' and 'operation' columns (symbiosis register import "
    "writes them)",
    "trends": "flows of 2 or more years (a 'year' column)",
    "uncertainty": "Monte Carlo samples ({samples}, N >= 2)",
}

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
    #: The opportunities' transport reach per material: True, the shipped table
    #: (``catalogue/reach.csv``); False, none; a reach file's path, its rows added.
    reach: bool | str = True
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
        check = Arguments()
        check.whole("max_loop_length", self.max_loop_length, minimum=1)
        check.whole("max_loops", self.max_loops, minimum=0)
        check.number("loop_time_budget", self.loop_time_budget, above=0, infinite=True,
                     what=" (seconds)")  # fmt: skip
        check.number("balance_tolerance", self.balance_tolerance, minimum=0, infinite=True)
        check.whole("opportunities_top", self.opportunities_top, minimum=0)
        check.number("max_distance_km", self.max_distance_km, above=0, infinite=True, none=True)
        if isinstance(self.reach, PurePath):  # a path as text: the report's JSON shows it
            object.__setattr__(self, "reach", str(self.reach))
        if _is_bool(self.reach):
            object.__setattr__(self, "reach", bool(self.reach))
        elif not isinstance(self.reach, str):
            check.add(f"reach must be True, False or a reach file's path (got {self.reach!r})")
        if self.throughflow != "input":  # an older name of "inflow"
            check.choice("throughflow", self.throughflow, THROUGHFLOW_RULES)
        check.choice("balance", self.balance, BALANCE_CHOICES)
        if self.samples != 0 or not is_whole(self.samples):
            check.whole("samples", self.samples, minimum=2, what=" (or 0: no Monte Carlo)")
        check.whole("seed", self.seed, minimum=0)
        check.number("uncertainty", self.uncertainty, minimum=0, none=True)
        check.check()
        # numpy scalars (a value read from an array) kept as Python's, as JSON writes them
        for name in ("max_loop_length", "max_loops", "opportunities_top", "samples", "seed"):
            object.__setattr__(self, name, int(getattr(self, name)))
        for name in ("loop_time_budget", "balance_tolerance", "max_distance_km", "uncertainty"):
            if getattr(self, name) is not None:
                object.__setattr__(self, name, float(getattr(self, name)))


def checked_options(options: Any) -> Options:
    """``options`` itself, or the defaults for ``None``; an
    :class:`~symbiosis.errors.InputError` for anything else (a dict, a number), which
    says how to make one. O(1)."""
    if options is None:
        return Options()
    if isinstance(options, Options):
        return options
    shown = short_repr(options)
    raise InputError(
        f"options must be symbiosis.Options(...) or None (got {type(options).__name__} "
        f"{shown}); e.g. options=symbiosis.Options(max_loop_length=4)"
    )
