"""Headline indicators of a network, and their change from one network to another.

:func:`indicators` gathers, per dimension: ``generated``, ``reused``, ``disposed``
(tonnage of residual streams), ``reuse_share``, ``utilization_rate`` and
``circular_input_rate`` (:mod:`~symbiosis.analysis.reuse`), ``finn_cycling_index`` and
``total_system_throughflow`` (:mod:`~symbiosis.analysis.cycling`), ``cyclicity`` of that
dimension's flows, ``loops`` closing in it (:mod:`~symbiosis.analysis.loops`),
``extraction_dependence``, ``chain_depth_mean`` and ``effective_sectors``
(:mod:`~symbiosis.analysis.structure`: what a chain extension or a new sector moves). For
the whole actor network (dimension ``all``): ``actors`` (with at least one flow),
``flows``, ``reuse_share_by_count`` (the residual streams reused, each weighing one, sizes
known or not and every dimension together: what a network without tonnages can say),
``cyclicity``, ``loops``, ``chain_depth_longest``. A dimension with flows but none of
known size (a park mapped without tonnages) has None for all but its ``cyclicity`` and
``loops``: its sums are unknown, not 0.

:func:`compare_networks` puts the indicators of a network and of changed versions of it
(a scenario applied, a supply shock) side by side. Loops *opened* by a change are loops of
the network before that no longer exist after; loops *closed* are new ones, each written
as :mod:`~symbiosis.analysis.loops` writes it (:func:`in_firm_order`). When the
bounded loop search is cut, the comparison says so, and a loop one search found but the
other did not reach is opened or closed only when one of its arcs is missing on the other
side (:func:`lost_loops`): two cut searches find different samples of the same loops. Scenarios
(:mod:`symbiosis.scenarios`) and supply shocks (:mod:`~symbiosis.analysis.shocks`) both
use it; it lives in the analysis layer so that shocks never import scenarios.

Complexity: one run of the reuse, cycling, structure and loop passes per network, each
stating its own cost.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import pandas as pd

from .._frozen import FrozenResult
from ..errors import AnalysisError
from ..jsonable import to_jsonable
from ..model import FlowNetwork, require_network
from ..options import Options, checked_options
from ..units import DIMENSIONS, yearly_unit

__all__ = [
    "INDICATORS",
    "LINK_INDICATORS",
    "NETWORK_INDICATORS",
    "PLAIN_NUMBERS",
    "SHARES",
    "Indicators",
    "Measured",
    "ScenarioComparison",
    "ScenarioResult",
    "compare_networks",
    "dimensions_of",
    "in_firm_order",
    "indicators",
    "lost_loops",
    "measure",
    "with_dimensions",
]

#: Headline indicators per dimension, in display order, and whether each is a share.
INDICATORS: dict[str, bool] = {
    "generated": False,
    "reused": False,
    "disposed": False,
    "reuse_share": True,
    "utilization_rate": True,
    "circular_input_rate": True,
    "finn_cycling_index": True,
    "total_system_throughflow": False,
    "extraction_dependence": True,
    "chain_depth_mean": False,
    "effective_sectors": False,
    "cyclicity": False,
    "loops": False,
}
#: The indicators of a dimension read from its links alone, known whatever the sizes.
LINK_INDICATORS: tuple[str, ...] = ("cyclicity", "loops")
#: The indicators of a dimension that are no quantity of its unit (stages, a number of
#: sectors), besides the shares and :data:`LINK_INDICATORS`.
PLAIN_NUMBERS: tuple[str, ...] = ("chain_depth_mean", "effective_sectors")
NETWORK_INDICATORS: tuple[str, ...] = (
    "actors", "flows", "reuse_share_by_count", "cyclicity", "loops", "chain_depth_longest",
)  # fmt: skip
#: The indicators that are shares, of a dimension or of the whole network (and the
#: recovery rate the trends' headline adds for a register network).
SHARES: frozenset[str] = frozenset({name for name, is_share in INDICATORS.items() if is_share}
                                   | {"reuse_share_by_count", "recovery_rate"})  # fmt: skip


@dataclass(frozen=True)
class Indicators(FrozenResult):
    """The headline indicators of one network.

    ``table`` has one row per (``dimension``, ``indicator``) with its ``value`` (None when
    undefined) and ``unit``; ``dimension`` is ``all`` for the whole actor network.
    ``loops`` holds each loop as a tuple of firm ids starting at the smallest id: one
    form per loop, whatever the firm order, to compare networks (shown by
    :func:`in_firm_order`).
    ``notes`` says why a value is missing or a count is a lower bound. ``unsized``: the
    dimensions with flows but none of known size, whose indicators are None but those of
    :data:`LINK_INDICATORS` (sums of no known size are unknown, not 0).
    """

    table: pd.DataFrame
    loops: frozenset[tuple[str, ...]]
    loops_truncated: bool
    notes: tuple[str, ...] = ()
    unsized: tuple[str, ...] = ()
    years: int = 1  # the network's summed_years: its quantities' unit says so

    def value(self, dimension: str, indicator: str) -> float | None:
        rows = self.table[
            (self.table["dimension"] == dimension) & (self.table["indicator"] == indicator)
        ]
        return None if rows.empty else rows["value"].iloc[0]

    def to_frame(self) -> pd.DataFrame:
        return self.table

    def to_dict(self) -> dict[str, Any]:
        values: dict[str, dict[str, Any]] = {}
        for row in self.table.itertuples(index=False):
            values.setdefault(row.dimension, {})[row.indicator] = to_jsonable(row.value)
        return {
            "values": values,
            "loops_truncated": self.loops_truncated,
            "notes": list(self.notes),
        }


def indicators(network: FlowNetwork, options: Options | None = None) -> Indicators:
    """The headline indicators of ``network`` (see the module docstring).

    Each pass that cannot give a trustworthy number (a singular system, say) leaves its
    indicators ``None`` and adds a note rather than failing the whole comparison. Cost:
    one run of the reuse, cycling, structure and loop passes.
    """
    require_network(network)
    return measure(network, options).indicators(network.dimensions)


@dataclass(frozen=True)
class Measured:
    """What :func:`measure` found: the indicator ``values`` by (dimension, indicator),
    the loops, the notes, and the reuse accounts themselves (None when they failed), for
    a caller that reads more of them (the trends' headline reads the emissions)."""

    values: dict[tuple[str, str], Any]
    loops: frozenset[tuple[str, ...]]
    loops_truncated: bool
    notes: tuple[str, ...]
    reuse: Any
    unsized: tuple[str, ...] = ()
    years: int = 1  # the network's summed_years

    def indicators(self, dimensions: tuple[str, ...]) -> Indicators:
        return Indicators(
            table=_indicator_table(self.values, dimensions, self.years),
            loops=self.loops,
            loops_truncated=self.loops_truncated,
            notes=self.notes,
            unsized=self.unsized,
            years=self.years,
        )


def measure(network: FlowNetwork, options: Options | None = None) -> Measured:
    """The values behind :func:`indicators`, with the reuse accounts they came from. A
    dimension without a flow of known size has None for every value but its
    :data:`LINK_INDICATORS` (its sums would be 0 for want of sizes). Cost: one run of the
    reuse, cycling, structure and loop passes."""
    from .cycling import cycling
    from .loops import find_loops
    from .reuse import reuse_accounts
    from .structure import resource_city_indicators

    options = checked_options(options)
    notes: list[str] = []
    values: dict[tuple[str, str], Any] = {}

    def attempt(label: str, compute):
        try:
            return compute()
        except AnalysisError as exc:
            notes.append(f"{label}: {exc}")
            return None

    reuse = attempt("reuse", lambda: reuse_accounts(network))
    if reuse is not None:
        values[("all", "reuse_share_by_count")] = reuse.counted.get("reuse_share")
        for row in reuse.network.to_dict("records"):
            for key in ("generated", "reused", "disposed", "reuse_share", "utilization_rate",
                        "circular_input_rate"):  # fmt: skip
                values[(row["dimension"], key)] = row[key]
    result = attempt(
        "cycling", lambda: cycling(network, balance_tolerance=options.balance_tolerance)
    )
    if result is not None:
        values[("all", "cyclicity")] = result.structure.cyclicity
        for d, item in result.dimensions.items():
            values[(d, "finn_cycling_index")] = item.finn_cycling_index
            values[(d, "total_system_throughflow")] = item.statistics.total_system_throughflow
            values[(d, "cyclicity")] = item.structure.cyclicity
            if item.problem:
                notes.append(f"{d} FCI: {item.problem}")
    structure = attempt("structure", lambda: resource_city_indicators(network))
    if structure is not None:
        for row in structure.dimensions.to_dict("records"):
            for name in ("extraction_dependence", "chain_depth_mean", "effective_sectors"):
                values[(row["dimension"], name)] = row[name]
        values[("all", "chain_depth_longest")] = structure.chain_depth_longest
    search = find_loops(
        network,
        max_length=options.max_loop_length,
        max_loops=options.max_loops,
        time_budget=options.loop_time_budget,
    )
    values[("all", "loops")] = search.found
    # what the loops close in, and their firms, without describing every loop (10,000
    # descriptions took 0.9 s at a million flows)
    closes_in = search.ranked.closes_in()
    for d in network.dimensions:
        values[(d, "loops")] = int(closes_in[d].sum()) if d in closes_in else 0
    active = np.zeros(network.n_firms, dtype=bool)
    active[network.source_positions] = True
    active[network.target_positions] = True
    values[("all", "actors")] = int((active & network.firms["actor"].to_numpy()).sum())
    values[("all", "flows")] = network.n_flows
    unsized = tuple(d for d in network.dimensions if d not in network.sized_dimensions)
    for dimension, name in list(values):
        if dimension in unsized and name not in LINK_INDICATORS:
            values[(dimension, name)] = None
    truncated = search.truncated or search.longer_loops_possible
    if truncated:
        notes.append(
            f"the loop search was bounded (max length {options.max_loop_length}, "
            f"max {options.max_loops:,} loops): loop counts are lower bounds"
        )
    return Measured(
        values=values,
        loops=frozenset(_canonical(firms) for firms in search.ranked.firms()),
        loops_truncated=truncated,
        notes=tuple(notes),
        reuse=reuse,
        unsized=unsized,
        years=network.summed_years,
    )


def _indicator_table(values: Mapping[tuple[str, str], Any], dimensions, years) -> pd.DataFrame:
    rows = []
    for name in NETWORK_INDICATORS:
        rows.append(("all", name, to_jsonable(values.get(("all", name))), ""))
    for d in DIMENSIONS:
        if d not in dimensions:
            continue
        unit = yearly_unit(d, years)
        for name, is_share in INDICATORS.items():
            shown = "" if is_share or name in (*LINK_INDICATORS, *PLAIN_NUMBERS) else unit
            rows.append((d, name, to_jsonable(values.get((d, name))), shown))
    table = pd.DataFrame(rows, columns=["dimension", "indicator", "value", "unit"], dtype=object)
    return table.astype({"dimension": str, "indicator": str, "unit": str})


def _canonical(firms: Sequence[str]) -> tuple[str, ...]:
    """A loop as a tuple starting at its smallest id (the same loop, however found)."""
    firms = tuple(str(f) for f in firms)
    start = firms.index(min(firms))
    return firms[start:] + firms[:start]


def in_firm_order(
    loops: Iterable[tuple[str, ...]], network: FlowNetwork
) -> tuple[tuple[str, ...], ...]:
    """``loops`` (tuples of actor ids of ``network``) as :mod:`.loops` writes them: each
    from its actor that comes first in the network's firms table (firms.csv), the loops
    in the order of those positions. One index lookup for all: O(total length + L log L)
    for L loops."""
    loops = [tuple(loop) for loop in loops]
    at = network.firms.index.get_indexer([firm for loop in loops for firm in loop])
    written, start = [], 0
    for loop in loops:
        positions = at[start : start + len(loop)].tolist()
        start += len(loop)
        first = positions.index(min(positions))
        written.append((positions[first:] + positions[:first], loop[first:] + loop[:first]))
    return tuple(loop for _, loop in sorted(written))


def lost_loops(
    loops: frozenset[tuple[str, ...]],
    owner: FlowNetwork,
    found: frozenset[tuple[str, ...]],
    network: FlowNetwork,
    *,
    complete: bool,
) -> tuple[tuple[str, ...], ...]:
    """The ``loops`` of ``owner`` that ``network`` does not have (``found``: the loops
    its search found), in :func:`in_firm_order` of ``owner``. When that search was
    ``complete``, every loop it did not find; when it was cut (bounded), only those with
    an arc that ``network`` lacks (an actor-to-actor flow, in any dimension): a loop the bounded
    search did not reach still exists, and is not reported as gone. O(A log A) for the
    A arcs of ``network``, once, when a cut search leaves loops to check; then
    O(k log A) for the k arcs of those loops."""
    missing = loops - found
    if complete or not missing:
        return in_firm_order(missing, owner)
    arcs = _actor_arcs(network)
    return in_firm_order([loop for loop in missing if not _closed_in(arcs, network, loop)],
                         owner)  # fmt: skip


def _actor_arcs(network: FlowNetwork) -> np.ndarray:
    """The network's actor-to-actor arcs, ``source * n + target`` (firm positions), sorted
    and distinct."""
    actors = network.source_is_actor & network.target_is_actor
    source = network.source_positions[actors].astype(np.int64)
    return np.unique(source * network.n_firms + network.target_positions[actors])


def _closed_in(arcs: np.ndarray, network: FlowNetwork, loop: tuple[str, ...]) -> bool:
    """Whether every arc of ``loop`` (actor ids, each to the next, the last to the first)
    is among ``arcs`` (:func:`_actor_arcs` of ``network``)."""
    at = network.firms.index.get_indexer(list(loop)).astype(np.int64)
    if (at < 0).any() or not len(arcs):
        return False  # an actor the network no longer has, or no arc at all
    wanted = at * network.n_firms + np.roll(at, -1)
    place = np.minimum(np.searchsorted(arcs, wanted), len(arcs) - 1)
    return bool((arcs[place] == wanted).all())


# ============================================================================ comparing


@dataclass(frozen=True)
class ScenarioResult:
    """One scenario applied: the indicators after, and the loops it opens and closes.
    ``scenario`` is the :class:`symbiosis.scenarios.Scenario` applied, if any (anything
    with a ``to_dict()``)."""

    name: str
    scenario: Any
    after: Indicators
    opened: tuple[tuple[str, ...], ...]
    closed: tuple[tuple[str, ...], ...]
    network_after: FlowNetwork = field(repr=False, compare=False)

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "scenario": None if self.scenario is None else self.scenario.to_dict(),
            "after": self.after.to_dict(),
            "loops_opened": [list(loop) for loop in self.opened],
            "loops_closed": [list(loop) for loop in self.closed],
        }


@dataclass(frozen=True)
class ScenarioComparison:
    """The indicators before and after each scenario, side by side; ``warnings``: what the
    scenarios asked that changed nothing (a shock of a firm that sends no flow)."""

    before: Indicators
    results: tuple[ScenarioResult, ...]
    warnings: tuple[str, ...] = field(default=(), compare=False)

    def to_frame(self) -> pd.DataFrame:
        """One row per indicator (``dimension``, ``indicator``, ``unit``, ``before``), then
        ``<name>`` (after) and ``<name> change`` per scenario."""
        table = self.before.table.rename(columns={"value": "before"})
        table = table[["dimension", "indicator", "unit", "before"]]
        for result in self.results:
            after = result.after.table.set_index(["dimension", "indicator"])["value"]
            keys = pd.MultiIndex.from_frame(table[["dimension", "indicator"]])
            column = after.reindex(keys).to_numpy(dtype=object)
            # A dimension that appears only after the scenario gets rows of its own.
            extra = result.after.table[
                ~pd.MultiIndex.from_frame(result.after.table[["dimension", "indicator"]]).isin(keys)
            ]
            if len(extra):
                table = pd.concat(
                    [
                        table,
                        extra.rename(columns={"value": "_"})[["dimension", "indicator", "unit"]],
                    ],
                    ignore_index=True,
                )
                keys = pd.MultiIndex.from_frame(table[["dimension", "indicator"]])
                column = after.reindex(keys).to_numpy(dtype=object)
            table[result.name] = column
            changes = [_difference(b, a) for b, a in zip(table["before"], column, strict=True)]
            # object: a count's change stays an int (a float column would make it -1.0)
            table[f"{result.name} change"] = np.array(changes, dtype=object)
        return table.set_index(["dimension", "indicator"])

    def to_dict(self) -> dict[str, Any]:
        return {
            "before": self.before.to_dict(),
            "scenarios": [r.to_dict() for r in self.results],
            "changes": {r.name: _changes(self.before, r.after) for r in self.results},
        }


def dimensions_of(found: Indicators) -> set[str]:
    return set(found.table["dimension"]) - {"all"}


def with_dimensions(found: Indicators, dimensions: set[str]) -> Indicators:
    """``found`` with rows for each of ``dimensions`` it lacks (a network with no flow in
    it: a scenario or a shock removed them all): the indicators its other dimensions have
    (the headline's too), quantities and counts 0 (it generates and cycles nothing,
    closes no loop), shares and the mean chain stage undefined (None); the dimensions in
    :data:`~symbiosis.units.DIMENSIONS` order. O(rows)."""
    missing = dimensions - dimensions_of(found)
    if not missing:
        return found
    table = found.table
    shown = table[table["dimension"] != "all"]
    names = list(dict.fromkeys(shown["indicator"]))  # each once, in the table's order
    has_unit = set(shown.loc[shown["unit"] != "", "indicator"])
    undefined = SHARES | {"chain_depth_mean"}
    rows = [
        (d, name, None if name in undefined else (0 if name in _COUNTS else 0.0),
         yearly_unit(d, found.years) if name in has_unit else "")
        for d in sorted(missing, key=DIMENSIONS.index) for name in names
    ]  # fmt: skip
    added = pd.DataFrame(rows, columns=table.columns, dtype=object)
    order = {d: i for i, d in enumerate(("all", *DIMENSIONS))}
    table = pd.concat([table, added], ignore_index=True)
    table = table.iloc[np.argsort(table["dimension"].map(order).to_numpy(), kind="stable")]
    table = table.reset_index(drop=True).astype({"dimension": str, "indicator": str, "unit": str})
    return replace(found, table=table)


#: Indicators that count (an int): 0 when a dimension has no flow left.
_COUNTS = frozenset({"loops", "cores", "opportunities"})


def _difference(before: Any, after: Any) -> float | None:
    if before is None or after is None:
        return None
    if isinstance(before, float) and math.isnan(before):
        return None
    if isinstance(after, float) and math.isnan(after):
        return None
    return after - before


def _changes(before: Indicators, after: Indicators) -> dict[str, dict[str, Any]]:
    b, a = before.to_dict()["values"], after.to_dict()["values"]
    return {
        d: {k: _difference(b.get(d, {}).get(k), a.get(d, {}).get(k)) for k in a.get(d, {})}
        for d in a
    }


def compare_networks(
    before: FlowNetwork,
    afters: Mapping[str, FlowNetwork],
    *,
    options: Options | None = None,
    scenarios: Mapping[str, Any] | None = None,
    before_indicators: Indicators | None = None,
) -> ScenarioComparison:
    """Indicators of ``before`` and of each network of ``afters`` (by name), with the loops
    each opens and closes. Cost: one :func:`indicators` per network, each on an uncached
    copy (:meth:`~symbiosis.model.FlowNetwork.uncached`): what one network's passes cache
    is let go before the next network's start, however many scenarios (a supply shock of
    a million flows: the command 1.49 -> 1.27 GB)."""
    options = checked_options(options)
    start = before_indicators or indicators(before.uncached(), options)
    measured = {name: indicators(network.uncached(), options) for name, network in afters.items()}
    shared = {*dimensions_of(start), *(d for i in measured.values() for d in dimensions_of(i))}
    start = with_dimensions(start, shared)
    results = []
    for name, network in afters.items():
        after = with_dimensions(measured[name], shared)
        results.append(
            ScenarioResult(
                name=name,
                scenario=(scenarios or {}).get(name),
                after=after,
                opened=lost_loops(
                    start.loops, before, after.loops, network, complete=not after.loops_truncated
                ),
                closed=lost_loops(
                    after.loops, network, start.loops, before, complete=not start.loops_truncated
                ),
                network_after=network,
            )
        )
    return ScenarioComparison(before=start, results=tuple(results))
