"""Trends: a network's headline indicators year by year, and what changed between years.

Years
    ``flows.csv`` may have a ``year`` column (a whole year from 1000 to 9999, checked when the
    file is read). :func:`split_years` (:mod:`.years`) cuts the network into one network
    per year, all with the same firms table. A flow *without* a year counts in **every**
    year: it is read as a standing exchange recorded once (a pipeline, a long-term
    contract); the split says so in a warning with the number of such flows, and a table
    meant to hold one year per flow should fill the column. A network with no year at all is one
    period, labelled ``None``.

Headline indicators (:func:`headline`)
    Those the scenario comparison uses (:func:`~symbiosis.analysis.indicators.indicators`:
    generated, reused, disposed, reuse share, utilization rate, circular input rate,
    Finn cycling index, total system throughflow, extraction dependence, cyclicity, loops
    per dimension; actors, flows, cyclicity and loops for the whole actor network), and
    four more that the report's headline shows:

    * ``emitted`` per dimension, from the reuse accounts (:mod:`.reuse`);
    * ``cycled_throughflow`` per dimension, TST_c = FCI x TST (Finn 1976: FCI = TST_c /
      TST), ``None`` where the FCI is;
    * ``cores``, the symbiosis cores: strongly connected groups of two actors or more
      (:mod:`.loops`);
    * ``opportunities``, the candidates the opportunity engine finds, every group and
      kind (:mod:`.opportunities`), not only the ``top`` listed in detail;
    * ``recovery_rate`` (mass, a network whose flows carry ``waste_code`` and ``operation``,
      as ``register import`` writes them, only): the official recovery rate, recovered /
      (recovered + disposed) by the operations' R and D codes, interim operations in
      neither (:func:`~symbiosis.analysis.recovery.overall_recovery_rate`).

    A dimension with flows but none of known size that year has ``None`` for all but its
    ``cyclicity`` and ``loops`` (read from the links): its sums are unknown, not 0.

Changes (:func:`trends`)
    From each year to the next: the *links* that appeared and vanished, a link being a
    (source, target, material) triple with the material matched on its normalised key
    (``Slag`` and ``slag`` are one link); and the *loops* (sequences of actors, as the
    loop search finds them) that appeared and vanished. When the bounded loop search was
    cut in either year, the loop changes may be incomplete and a note says so.

Complexity: the split is O(F) (one factorisation of the year column, one stable sort of
small integer codes and one merge of sorted runs per year); then per year one run of the
reuse, cycling, structure, loop and opportunity passes on that year's flows, each stating
its own cost, and O(F_y) hashing for the link changes.

References
----------
Finn, J.T. 1976. Measures of ecosystem structure and function derived from analysis of
flows. J. Theor. Biol. 56: 363-380.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import partial
from itertools import pairwise
from typing import Any

import numpy as np
import pandas as pd

from .._frozen import FrozenResult
from .._sorting import lexorder
from .._threads import one_thread, side_by_side_for
from ..jsonable import to_jsonable
from ..model import FlowNetwork, require_network
from ..options import Options, checked_options
from ._records import LISTED_ROWS, checked_limit, records
from .indicators import (
    INDICATORS,
    LINK_INDICATORS,
    NETWORK_INDICATORS,
    PLAIN_NUMBERS,
    Indicators,
    lost_loops,
    measure,
)
from .trends_keys import SharedVocabulary, StackedCodes, combined_codes, first_rows
from .years import (
    YearSplit,
    split_years,
    year_cut,
    year_rows,
    years_of,
)  # re-exported: the trends' API

__all__ = [
    "HEADLINE_INDICATORS",
    "HEADLINE_NETWORK_INDICATORS",
    "LINK_COLUMNS",
    "OPTIONAL_INDICATORS",
    "Trends",
    "YearChange",
    "YearSplit",
    "headline",
    "link_changes",
    "split_years",
    "trends",
    "years_of",
]

#: Per-dimension indicators of :func:`headline`, in display order, and whether each is a share.
HEADLINE_INDICATORS: dict[str, bool] = {}
for _name, _share in INDICATORS.items():
    HEADLINE_INDICATORS[_name] = _share
    if _name == "disposed":
        HEADLINE_INDICATORS["emitted"] = False
    if _name == "utilization_rate":
        HEADLINE_INDICATORS["recovery_rate"] = True
    if _name == "total_system_throughflow":
        HEADLINE_INDICATORS["cycled_throughflow"] = False
#: The indicators of :data:`HEADLINE_INDICATORS` that some networks have, in one dimension
#: only: the recovery rate, of a register network's mass flows.
OPTIONAL_INDICATORS: dict[str, str] = {"recovery_rate": "mass"}
#: Indicators of the whole actor network (dimension ``all``) of :func:`headline`.
HEADLINE_NETWORK_INDICATORS: tuple[str, ...] = (*NETWORK_INDICATORS, "cores", "opportunities")
#: The columns naming a link in :attr:`YearChange.appeared` and :attr:`YearChange.vanished`.
LINK_COLUMNS: tuple[str, ...] = ("source", "target", "material")


# ============================================================================ years


# ============================================================================ indicators


def headline(network: FlowNetwork, options: Options | None = None) -> Indicators:
    """Every headline indicator of ``network`` (see the module docstring): those of
    :func:`~symbiosis.analysis.indicators.indicators` and ``emitted``,
    ``cycled_throughflow``, ``cores`` and ``opportunities`` (and the mass
    ``recovery_rate`` of a network with the register columns), in the order of
    :data:`HEADLINE_NETWORK_INDICATORS` and :data:`HEADLINE_INDICATORS`.

    Cost: one :func:`~symbiosis.analysis.indicators.indicators` run (its reuse accounts
    give the emissions too) and one count of the opportunities (not ranked), from
    :data:`~symbiosis._threads.PARALLEL_FLOWS` flows on side by side on two threads
    (measured on five years of 200,000 flows: ``symbiosis trends`` 8.6 -> 5.8 s, medians of
    3, +30-50 MB); the cores come from the structure the loop search cached.
    """
    from .cycling import network_structure
    from .recovery import has_register_columns, overall_recovery_rate

    options = checked_options(options)
    count = partial(_count, network, options)
    # the count beside the passes, on a second thread
    measured, opportunities = side_by_side_for(
        network.n_flows, [partial(measure, network, options), count]
    )
    values = dict(measured.values)
    if measured.reuse is not None:  # else the note of measure says why
        for row in measured.reuse.network.to_dict("records"):
            unknown = row["dimension"] in measured.unsized  # a sum of no known size
            values[(row["dimension"], "emitted")] = None if unknown else row["emitted"]
    base = measured.indicators(network.dimensions)
    units = {(r.dimension, r.indicator): r.unit for r in base.table.itertuples(index=False)}
    for dimension in network.dimensions:
        fci = values.get((dimension, "finn_cycling_index"))
        tst = values.get((dimension, "total_system_throughflow"))
        cycled = None if fci is None or tst is None else fci * tst
        values[(dimension, "cycled_throughflow")] = cycled
    if has_register_columns(network) and "mass" not in measured.unsized:
        values[("mass", "recovery_rate")] = overall_recovery_rate(network)  # O(F)
    values[("all", "cores")] = network_structure(network).cyclic_components
    values[("all", "opportunities")] = opportunities
    return Indicators(
        table=_table(values, units, network.dimensions),
        loops=base.loops,
        loops_truncated=base.loops_truncated,
        notes=base.notes,
        unsized=base.unsized,
        years=base.years,
    )


def _count(network: FlowNetwork, options: Options) -> int:
    """The opportunities of :func:`headline`, counted in one thread: it runs beside the
    other passes, and its own candidate stages on threads of their own would be three
    threads on two cores."""
    from .opportunities import count_opportunities

    with one_thread():
        return count_opportunities(
            network, max_distance_km=options.max_distance_km, reach=options.reach
        )


def _table(values: dict, units: dict, dimensions: tuple[str, ...]) -> pd.DataFrame:
    rows = [("all", name, to_jsonable(values.get(("all", name))), "") for name in
            HEADLINE_NETWORK_INDICATORS]  # fmt: skip
    for d in dimensions:
        unit = next((u for (dim, _), u in units.items() if dim == d and u), "")
        for name, is_share in HEADLINE_INDICATORS.items():
            if name in OPTIONAL_INDICATORS and (d, name) not in values:
                continue  # a network without the register columns has no recovery rate
            plain = name in LINK_INDICATORS or name in PLAIN_NUMBERS  # counts, radii, stages
            shown = "" if is_share or plain else unit
            rows.append((d, name, to_jsonable(values.get((d, name))), shown))
    table = pd.DataFrame(rows, columns=["dimension", "indicator", "value", "unit"], dtype=object)
    return table.astype({"dimension": str, "indicator": str, "unit": str})


# ============================================================================ changes


def link_changes(before: FlowNetwork, after: FlowNetwork) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The links of ``after`` that ``before`` lacks (appeared) and those of ``before``
    that ``after`` lacks (vanished), as frames of :data:`LINK_COLUMNS` sorted by them. A
    link is a (source, target, material key) triple; its ``material`` is the name of its
    first flow. Matched on the cores' integer codes: O(V) hashing of the two
    vocabularies (none when the networks share their firms, as years cut from one
    network do; :func:`_changed_links`), O(F log F) integer sorts, and the changed
    links ordered by the ranks of their texts."""
    return _changed_links(before, after)


def _changed_links(
    before: FlowNetwork, after: FlowNetwork, nodes: SharedVocabulary | None = None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """:func:`link_changes`, the firms of both networks read through ``nodes`` when given
    (shared by every pair of years: their ids are ranked once)."""
    columns = StackedCodes.of(before, after, ("source", "target", "material_key", "material"),
                              nodes=nodes)  # fmt: skip
    link = combined_codes([columns.codes[c] for c in ("source", "target", "material_key")])
    n, split = int(link.max(initial=-1)) + 1, before.n_flows
    in_before = np.bincount(link[:split], minlength=n) > 0
    in_after = np.bincount(link[split:], minlength=n) > 0

    def links(network: FlowNetwork, offset: int, keep: np.ndarray) -> pd.DataFrame:
        rows = first_rows(link[offset : offset + network.n_flows]) + offset
        rows = rows[keep[link[rows]]]
        # one row per link, and no two links share their texts: the order is total
        rows = rows[lexorder(*[columns.rank(c, rows) for c in reversed(LINK_COLUMNS)])]
        frame = network.flows.iloc[rows - offset][list(LINK_COLUMNS)]
        return frame.reset_index(drop=True)

    return links(after, split, in_after & ~in_before), links(before, 0, in_before & ~in_after)


@dataclass(frozen=True)
class YearChange(FrozenResult):
    """What changed from year ``start`` to year ``end``: the links (frames of
    :data:`LINK_COLUMNS`) and the loops (tuples of actor ids, each from its actor that
    comes first in firms.csv, as ``symbiosis loops`` writes it) that appeared and
    vanished; ``loops_complete`` is False when the loop search of either year was cut by
    its bounds (then the loop changes may miss some)."""

    start: int | None
    end: int | None
    appeared: pd.DataFrame = field(repr=False)
    vanished: pd.DataFrame = field(repr=False)
    loops_appeared: tuple[tuple[str, ...], ...]
    loops_vanished: tuple[tuple[str, ...], ...]
    loops_complete: bool = True

    def to_dict(self, *, limit: int | None = LISTED_ROWS) -> dict[str, Any]:
        """JSON-ready: links as records (at most ``limit`` of each list, in their sorted
        order; ``None``: all; ``rows`` gives each list's full length, as the per-actor
        tables of the report do), loops as lists of ids. O(links listed + loops). A
        ``limit`` not a whole number >= 0 or None is an InputError."""
        limit = checked_limit(limit)
        return {
            "from": self.start,
            "to": self.end,
            # the first ``limit`` links, a column at a time (0.19 s for 400,000 links, 2.0 s
            # through DataFrame.to_dict: a Python call per Arrow string cell)
            "links_appeared": records(self.appeared, limit),
            "links_vanished": records(self.vanished, limit),
            "loops_appeared": [list(loop) for loop in self.loops_appeared],
            "loops_vanished": [list(loop) for loop in self.loops_vanished],
            "loops_complete": self.loops_complete,
            "rows": {"links_appeared": len(self.appeared), "links_vanished": len(self.vanished)},
        }


# ============================================================================ the result


@dataclass(frozen=True)
class Trends(FrozenResult):
    """The headline indicators of each year and the changes between consecutive years.

    ``years`` ascending (``(None,)`` when the flows have no year); ``indicators`` the
    :func:`headline` of each year, in that order; ``flows`` the number of flows of each
    year (undated ones included); ``changes`` one :class:`YearChange` per pair of
    consecutive years; ``undated`` the flows without a year; ``notes`` what a reader must
    know (a single year, or none); ``warnings`` what the split assumed (flows without a
    year counted in every year).
    """

    years: tuple[int | None, ...]
    indicators: tuple[Indicators, ...] = field(repr=False)
    flows: tuple[int, ...]
    changes: tuple[YearChange, ...]
    undated: int
    notes: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()

    @property
    def labels(self) -> tuple[str, ...]:
        """Each year as a column label: ``2019``, or ``undated`` for a network without years."""
        return tuple("undated" if y is None else str(y) for y in self.years)

    def to_frame(self) -> pd.DataFrame:
        """One row per (``dimension``, ``indicator``) with its ``unit``, one column per
        year (a dimension absent in a year leaves that year's cells empty)."""
        keys = ["dimension", "indicator", "unit"]
        table = pd.DataFrame(columns=keys)
        for label, found in zip(self.labels, self.indicators, strict=True):
            year = found.table[[*keys, "value"]].rename(columns={"value": label})
            table = table.merge(year, on=keys, how="outer") if len(table) else year
        order = {(d, i): k for k, (d, i) in enumerate(self._row_order())}
        pairs = zip(table["dimension"], table["indicator"], strict=True)
        table["_order"] = [order.get(pair, len(order)) for pair in pairs]
        table = table.sort_values("_order", kind="stable").drop(columns="_order")
        return table.astype(object).where(table.notna(), None).set_index(keys[:2])

    def _row_order(self) -> list[tuple[str, str]]:
        from ..units import DIMENSIONS

        rows = [("all", name) for name in HEADLINE_NETWORK_INDICATORS]
        return rows + [(d, name) for d in DIMENSIONS for name in HEADLINE_INDICATORS]

    def to_dict(self, *, limit: int | None = LISTED_ROWS) -> dict[str, Any]:
        """JSON-ready: each year's indicators (as :meth:`Indicators.to_dict`), the changes,
        the notes and warnings; each change lists at most ``limit`` links of each kind
        (:meth:`YearChange.to_dict`). O(years x indicators + links listed + loops)."""
        limit = checked_limit(limit)  # checked when there are no changes too
        return {
            "years": list(self.years),
            "per_year": [
                {"year": year, "flows": flows, **found.to_dict()}
                for year, flows, found in zip(self.years, self.flows, self.indicators, strict=True)
            ],
            "changes": [change.to_dict(limit=limit) for change in self.changes],
            "undated_flows": self.undated,
            "notes": list(self.notes),
            "warnings": list(self.warnings),
        }


def trends(network: FlowNetwork, options: Options | None = None) -> Trends:
    """The headline indicators of each year of ``network`` and the links and loops that
    appeared or vanished from one year to the next (see the module docstring).

    With one year (or none), there is nothing to compare: the result has that year's
    indicators, no change, and a note that says so. Cost: :func:`split_years`, then one
    :func:`headline` per year and O(F_y) per pair of consecutive years. Each year's
    network (:meth:`~symbiosis.model.FlowNetwork.with_rows`, its core cut from this
    network's) is let go, with all that its passes computed, once its headline is known:
    one year's working set at a time. The years run one after the other: on two threads
    (measured at a million flows over five years, 2 cores) they were 1.2 times as fast
    for 270 MB more.
    """
    require_network(network)
    options = checked_options(options)
    rows, undated, warnings = year_rows(network)
    if rows is None:
        found: tuple[Indicators, ...] = (headline(network, options),)
        return Trends(years=(None,), indicators=found, flows=(network.n_flows,), changes=(),
                      undated=network.n_flows, notes=_period_notes((None,)))  # fmt: skip
    years = tuple(rows)
    # a year of several is cut as select_year cuts it: the actors of other years only idle
    cut = year_cut if len(years) > 1 else FlowNetwork.with_rows
    found = tuple(headline(cut(network, kept), options) for kept in rows.values())
    changes = []
    after = network.with_rows(rows[years[0]])
    nodes = SharedVocabulary.of(network.core.ids, network.core.ids)  # every year's firms
    for k, (start, end) in enumerate(pairwise(years)):
        before, after = after, network.with_rows(rows[end])  # each year's table cut once
        appeared, vanished = _changed_links(before, after, nodes)
        changes.append(
            YearChange(
                start=start,
                end=end,
                appeared=appeared,
                vanished=vanished,
                loops_appeared=lost_loops(
                    found[k + 1].loops,
                    network,
                    found[k].loops,
                    before,
                    complete=not found[k].loops_truncated,
                ),
                loops_vanished=lost_loops(
                    found[k].loops,
                    network,
                    found[k + 1].loops,
                    after,
                    complete=not found[k + 1].loops_truncated,
                ),
                loops_complete=not (found[k].loops_truncated or found[k + 1].loops_truncated),
            )
        )
    return Trends(
        years=years,
        indicators=found,
        flows=tuple(len(kept) for kept in rows.values()),
        changes=tuple(changes),
        undated=undated,
        notes=_period_notes(years),
        warnings=warnings,
    )


def _period_notes(years: tuple[int | None, ...]) -> tuple[str, ...]:
    if years == (None,):
        return ("the flows have no year: one period, the whole network; nothing to compare",)
    if len(years) == 1:
        return (f"one year only ({years[0]}): nothing to compare",)
    return ()
