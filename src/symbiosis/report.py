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
from .options import Options

__all__ = ["SECTIONS", "Options", "Report", "analyze"]


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
        network,
        throughflow=options.throughflow,
        balance_tolerance=options.balance_tolerance,
        balance=options.balance,
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
