"""The analysis report: every pass run on one network, gathered in one object.

:func:`analyze` runs the registered sections in order and returns a :class:`Report`,
whose :meth:`Report.to_dict` is what ``symbiosis analyze --format json`` prints. Each
analysis module registers its section in :data:`SECTIONS` (a name and a function of
the network and the :class:`Options`); the report only collects results and never
computes a metric itself.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, fields, replace
from typing import Any

from . import __version__
from .analysis.balance import firm_balances
from .analysis.cycling import cycling
from .analysis.loops import find_loops
from .analysis.opportunities import find_opportunities
from .analysis.reuse import reuse_accounts
from .analysis.structure import resource_city_indicators
from .errors import InputError
from .model import FlowNetwork

__all__ = ["SECTIONS", "Options", "Report", "analyze"]


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

    def __post_init__(self):
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
        if self.throughflow not in ("max", "inflow", "outflow", "input"):
            problems.append(
                f"throughflow must be max, inflow or outflow (got {self.throughflow!r})"
            )
        if problems:
            raise InputError("; ".join(problems))


_WHOLE = ("max_loop_length", "max_loops", "opportunities_top")
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
    distance = options.max_distance_km
    if distance is not None and (
        isinstance(distance, bool) or not isinstance(distance, int | float)
    ):
        problems.append(f"max_distance_km must be a number or None (got {distance!r})")
    if not isinstance(options.throughflow, str):
        problems.append(f"throughflow must be max, inflow or outflow (got {options.throughflow!r})")
    return problems


Section = Callable[[FlowNetwork, Options], Any]
SECTIONS: dict[str, Section] = {
    "summary": lambda network, options: network.summary(),
    "reuse": lambda network, options: reuse_accounts(network),
    "balance": lambda network, options: firm_balances(network, options.balance_tolerance),
    "structure": lambda network, options: resource_city_indicators(network),
    "opportunities": lambda network, options: find_opportunities(
        network, top=options.opportunities_top, max_distance_km=options.max_distance_km
    ),
    "cycling": lambda network, options: cycling(
        network, throughflow=options.throughflow, balance_tolerance=options.balance_tolerance
    ),
    "loops": lambda network, options: find_loops(
        network,
        max_length=options.max_loop_length,
        max_loops=options.max_loops,
        time_budget=options.loop_time_budget,
    ),
}


@dataclass(frozen=True)
class Report:
    """Results of :func:`analyze`: one entry per section, in order."""

    sections: dict[str, Any]
    warnings: tuple[str, ...] = ()
    options: Options = field(default_factory=Options)

    def __getitem__(self, name: str) -> Any:
        return self.sections[name]

    def __getattr__(self, name: str) -> Any:
        try:
            return self.__dict__["sections"][name]
        except KeyError:
            raise AttributeError(name) from None

    def to_dict(self) -> dict[str, Any]:
        return {
            "symbiosis_version": __version__,
            **{name: result.to_dict() for name, result in self.sections.items()},
            "options": {f.name: getattr(self.options, f.name) for f in fields(self.options)},
            "warnings": list(self.warnings),
        }


def analyze(
    network: FlowNetwork,
    *,
    sections: list[str] | str | None = None,
    progress: Callable[[str], None] | None = None,
    **options: Any,
) -> Report:
    """Run the analysis passes on ``network`` and gather them in a :class:`Report`.

    ``sections`` picks passes by name (default: all registered); ``options`` override
    fields of :class:`Options`; ``progress`` is called with each section's name before
    it runs. The cost is the sum of the passes' costs (each states its own).
    """
    if isinstance(sections, str):  # analyze(network, sections="loops")
        sections = [sections]
    unknown = [name for name in sections or [] if name not in SECTIONS]
    if unknown:
        raise InputError(
            f"unknown section(s) {', '.join(unknown)}; choose from {', '.join(SECTIONS)}"
        )
    bad = [name for name in options if name not in {f.name for f in fields(Options)}]
    if bad:
        raise InputError(f"unknown option(s) {', '.join(bad)}")
    chosen = replace(Options(), **options)
    results = {}
    for name in sections or list(SECTIONS):
        if progress is not None:
            progress(name)
        results[name] = SECTIONS[name](network, chosen)
    return Report(sections=results, warnings=network.warnings, options=chosen)
