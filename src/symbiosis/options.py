"""The options shared by the analysis passes (loop-search bounds, balance tolerance, ...).

A leaf module, so that the analysis layer (which reads the options) never imports the
report (which runs the passes). :class:`symbiosis.report.Options` is this class.
"""

from __future__ import annotations

from dataclasses import dataclass

from .errors import InputError

__all__ = ["Options"]


@dataclass(frozen=True)
class Options:
    """Parameters shared by the analysis passes (each pass reads the ones it needs)."""

    max_loop_length: int = 6
    max_loops: int = 10_000
    loop_time_budget: float = 10.0
    balance_tolerance: float = 0.05
    opportunities_top: int = 10
    max_distance_km: float | None = None

    def __post_init__(self):
        problems = []
        if self.max_loop_length < 1:
            problems.append(f"max_loop_length must be >= 1 (got {self.max_loop_length})")
        if self.max_loops < 0:
            problems.append(f"max_loops must be >= 0 (got {self.max_loops})")
        if not self.loop_time_budget > 0:
            problems.append(f"loop_time_budget must be > 0 seconds (got {self.loop_time_budget})")
        if not self.balance_tolerance >= 0:
            problems.append(f"balance_tolerance must be >= 0 (got {self.balance_tolerance})")
        if problems:
            raise InputError("; ".join(problems))
