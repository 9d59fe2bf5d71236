"""Optimal allocation beside the ranking: the exchanges that move the most, or are worth
the most, within stream supplies and receiver capacities.

The cumulative effect takes ranked candidates greedily: a stream given to its first
receiver may fill the room another stream, with no other receiver, needed.
:func:`optimal_plan` chooses them all at once: one linear program per dimension on HiGHS
(``scipy.optimize.linprog(method="highs")``, sparse constraint matrix).

Variables
    ``x_i``, the amount moved on row ``i`` of ``result.table`` (one per stream and
    receiver, proposed plants included), canonical unit per year (t, GJ, m3),
    ``0 <= x_i <= quantity_i``. Rows of unknown quantity are left out, counted, and so
    are the rows the table marks ``unbounded`` (no capacity known for the receiver:
    their quantity is the whole stream, an upper bound, not a size).
Constraints
    Per stream, the sum of its rows <= the stream's quantity; per capacity group (column
    ``capacity_group``: rows sharing one receiver limit; -1 none), the sum <= its
    ``capacity``; and per group that others lie within (``capacity_within_group``: a
    receiver's whole intake, around its intake of each family), the sum of its rows and
    theirs <= ``capacity_within``, and so for the group around that one
    (``capacity_around_group``, ``capacity_around``: a receiver's whole intake around one
    use's share of its throughput, around one family of that use). Without these
    columns a row is bounded by its stream only. Only
    constraints that can bind are written. Tonnes, GJ and m3 are never added: one LP and
    one set of totals per dimension.
Objectives
    ``"quantity"``: maximise the amount moved. Transport cost never buys quantity (tonnes
    and money compare only through a price: that is ``"net_value"``); when priced it is
    reported.
    ``"net_value"``: maximise ``sum x_i (v_i - c_i)``: ``v_i`` what a unit is worth, the
    sum of the row's known value, avoided disposal cost and avoided purchase
    (:mod:`.economics`) over its quantity; ``c_i`` its transport cost per unit. Rows worth
    nothing known are left out, counted; rows of net value <= 0 are never chosen.
Ties
    Among the allocations of the same objective, the better-ranked candidates win, in the
    table's order (its groups, then rank): a second stage of the LP, on the first one's
    optimal face (its objective unchanged, to HiGHS's tolerances; ``EPSILON`` = 1e-9 is
    the reduced cost taken for zero), maximises ``sum_i x_i / (1 + k_i)``, ``k_i`` the
    row's place in that order among the rows it is linked to (:mod:`.lp`; the rows solved
    without the LP take the same order exactly). Before, a unit counted
    ``1 - 1e-5 (r_i + t_i / 10)``, ``r_i`` its place among its own stream's alternatives
    and ``t_i`` its transport: two streams' first alternatives competing for one
    receiver tied, and the cheaper transport won (Daqing's #1, the ammonia plant's pure
    CO2 to the EOR block, gave way to #6, the CHP's flue gas, the same tonnage), and the
    plan could lose up to 11 ppm of the optimum. Transport no longer breaks ties: the
    ranking already puts a stream's nearer alternatives first, other things equal.
Transport
    ``c_i = rate x distance_km_i``, money (that of the flows' ``price``) per canonical
    unit and km: one number is per t*km, for mass as in :mod:`.economics`; a dict gives
    each dimension its rate (per GJ*km, m3*km), a dimension not named is not priced.
    Without a rate, the table's ``transport_cost`` (``find_opportunities(transport_rate=
    ...)``) is used. A proposed plant is taken as built beside its feed, and firms without
    coordinates have no distance: such rows cost nothing, planned ones are counted
    (``unknown_distance``).
Supply of a stream
    A row's quantity is the smaller of its stream and its receiver's capacity: a
    stream's quantity comes from the ``stream_quantity`` column (the table of
    :func:`.find_opportunities` has one); in a table without it, from a row no capacity
    cut (below its capacity, or without one and not a redirect), else from a listed
    opportunity; else it is the largest row's, a lower bound (the plan stays feasible but
    may move less; counted, ``supply_lower_bound``).
Complexity
    O(c log c) for c candidate rows; only streams linked through a capacity group that
    could be overfilled reach HiGHS, the others are solved exactly on their own (the
    problem and its reductions: :mod:`.lp`). Figures in benchmarks/bench_allocation.py
    and docs/opportunities.md. The edits are built on first use, O(k) for k exchanges.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from functools import cached_property, partial
from numbers import Real
from types import SimpleNamespace
from typing import Any

import numpy as np
import pandas as pd

from ... import edits as ed
from ..._frozen import FrozenResult
from ..._numeric import significant
from ...errors import InputError
from ...jsonable import to_jsonable
from ...model import FlowNetwork
from ...units import CANONICAL_UNITS, DIMENSIONS
from ...vocabulary import material_key
from .impact import _compare, _compound, _moved_accounts, _shares, accounts, opportunity_edits
from .lp import EPSILON, Allocation
from .result import CAVEAT, EMERGING, Opportunities, Opportunity, _short

__all__ = ["EPSILON", "OBJECTIVES", "Plan", "optimal_plan"]

OBJECTIVES: tuple[str, ...] = ("quantity", "net_value")
_WORTH = ("value", "avoided_disposal_cost", "avoided_purchase")  # economics, less transport
_PLAN_COLUMNS = [
    "group", "rank", "kind", "fate", "source", "material", "stream_target", "row",
    "dimension", "amount", "quantity", "stream_quantity", "unit", "target", "target_sector",
    "new_plant", "distance_km", "transport", "value", "avoided_disposal_cost",
    "avoided_purchase", "transport_cost", "net_value", "co2_avoided", "capacity",
    "capacity_group", "capacity_within", "capacity_within_group", "pathway",
]  # fmt: skip


@dataclass(frozen=True)
class Plan(FrozenResult):
    """An optimal allocation (:func:`optimal_plan`).

    ``rows`` (:meth:`to_frame`) are the planned exchanges in rank order: ``amount`` moved
    (canonical unit per year) of the row's ``quantity`` and of the ``stream_quantity``
    used, ``transport`` (amount x km), ``transport_cost``, ``value`` and ``net_value``
    (money; NaN when unknown). ``totals`` per dimension: ``moved`` (and ``by_group``),
    the ``supply`` of the streams considered, the LP's ``objective`` (without the
    tie-break) and the same rows taken greedily in rank order (``greedy_moved``,
    ``greedy_objective``), counts, transport and value. ``left_out`` counts the rows not
    considered, by reason; ``solver`` tells how each dimension went; ``impact``
    (:meth:`with_impact`) maps ``reuse_share`` and ``utilization_rate`` to
    ``{dimension: (before, after)}``.
    """

    objective: str
    transport_rate: dict[str, float] | None
    rows: pd.DataFrame = field(repr=False, compare=False)
    totals: dict[str, dict[str, Any]]
    left_out: dict[str, int]
    solver: dict[str, dict[str, Any]]
    units: dict[str, str]
    builder: Any = field(default=None, repr=False, compare=False)  # rows -> edits (picklable)
    impact: dict[str, dict[str, tuple[float | None, float | None]]] | None = None
    caveat: str = CAVEAT

    @cached_property
    def _edits(self) -> tuple[ed.Edit, ...]:
        return () if self.builder is None else tuple(self.builder(self.rows))

    def edits(self) -> list[ed.Edit]:
        """The edits that carry out the plan (scenario order). Built on first use, O(k)."""
        return list(self._edits)

    def to_toml(self) -> str:
        """The plan as a scenario file (see :mod:`symbiosis.edits`)."""
        edits = self.edits()
        moved = "; ".join(f"{_short(t['moved'])} {self.units.get(d, '')} {d}"
                          for d, t in self.totals.items() if t["moved"])  # fmt: skip
        description = (f"{len(self.rows)} exchanges of the optimal allocation ("
                       f"{self.objective}): {moved or 'nothing moved'}. {self.caveat}")  # fmt: skip
        return ed.to_toml(edits, title="Optimal allocation found by symbiosis",
                          description=description, comments=self._comments(edits))  # fmt: skip

    def to_frame(self) -> pd.DataFrame:
        """The planned exchanges, in rank order."""
        return self.rows

    def to_dict(self) -> dict[str, Any]:
        impact = None if self.impact is None else {
            name: {d: {"before": b, "after": a} for d, (b, a) in values.items()}
            for name, values in self.impact.items()}  # fmt: skip
        return {
            "objective": self.objective,
            "transport_rate": None if self.transport_rate is None else dict(self.transport_rate),
            "caveat": self.caveat,
            "units": dict(self.units),
            "totals": to_jsonable(self.totals),
            "left_out": dict(self.left_out),
            "solver": to_jsonable(self.solver),
            "impact": impact,
            "exchanges": to_jsonable(self.rows.to_dict("records")),
        }

    def with_impact(self, network: FlowNetwork) -> Plan:
        """The plan with its ``impact`` on ``network`` (the one the result was found in):
        a delta on the reuse accounts, as for the listed opportunities; O(f) once per
        network (cached), then O(k) for k planned rows. A test applies :meth:`edits` and
        recounts."""
        before = after = accounts(network)
        rows = self.rows
        where = pd.Index(network.core.ids).get_indexer(rows["target"].to_numpy(dtype=object))
        plant = rows["new_plant"].to_numpy(dtype=bool) | (where < 0)
        role = np.where(plant, "firm", network.core.role[np.maximum(where, 0)] if len(rows) else "")
        keys = pd.DataFrame({"dimension": rows["dimension"], "fate": rows["fate"],
                             "role": role, "amount": rows["amount"]})  # fmt: skip
        summed = keys.groupby(["dimension", "fate", "role"], sort=False)["amount"].sum()
        for (dimension, fate, target_role), amount in summed.items():
            category = "product" if fate == "product" else "waste"
            step = SimpleNamespace(dimension=dimension, fate=fate, target_role=target_role,
                                   category=category)  # fmt: skip
            after = _moved_accounts(after, step, float(amount))
        after = {d: {f: v for f, v in fates.items() if v} for d, fates in after.items()}
        share, rate = _compare(_shares(before), _shares(after))
        return replace(self, impact={"reuse_share": share, "utilization_rate": rate})

    def _comments(self, edits: list[ed.Edit]) -> list[str | None]:
        """A comment for each redirect: which planned exchange it carries out."""
        by_move = {}
        for r in self.rows.itertuples(index=False):
            by_move.setdefault((r.source, r.stream_target, r.material, r.target), r)
        notes: list[str | None] = []
        for edit in edits:
            r = by_move.get((edit.source, edit.target, edit.material, edit.to)) if isinstance(
                edit, ed.RedirectFlow) else None  # fmt: skip
            notes.append(None if r is None else (
                f"{r.group} #{r.rank} {r.kind}: {_short(r.amount)} {r.unit} {r.material} "
                f"from {r.source} to {r.target} (of {_short(r.quantity)})"
                f"\npathway: {r.pathway or 'network evidence'}"))  # fmt: skip
        return notes


def optimal_plan(
    result: Opportunities,
    *,
    objective: str = "quantity",
    transport_rate: float | dict[str, float] | None = None,
    dimension: str | None = None,
) -> Plan:
    """The :class:`Plan` of the exchanges of ``result.table`` that maximise the quantity
    moved (or the net value) within stream supplies and receiver capacities (module
    docstring). O(c log c) to build for c rows, then one HiGHS LP per dimension.

    Parameters
    ----------
    result : Opportunities
        From :func:`~symbiosis.analysis.opportunities.find_opportunities`; read only.
    objective : {"quantity", "net_value"}
    transport_rate : float or dict, optional
        Money per t*km for mass, or ``{dimension: rate}`` per canonical unit and km (a
        dimension not named is not priced). Default: the table's ``transport_cost``.
    dimension : str, optional
        Plan only this dimension (mass, energy or volume).

    Raises
    ------
    InputError
        For a bad parameter; :class:`~symbiosis.errors.AnalysisError` if HiGHS fails.
    """
    rates = _check(objective, transport_rate, dimension)
    table = result.table
    dims = table["dimension"].to_numpy(dtype=object)
    quantity = table["quantity"].to_numpy(dtype=float)
    worth, cost = _money(table, quantity, rates)
    known = ~np.isnan(quantity)
    left_out = {"unknown_quantity": int(np.count_nonzero(~known))}
    emerging = np.zeros(len(table), dtype=bool)
    if "unbounded" in table and "maturity" in table:  # research or pilot scale: no plant
        # of that stage takes all the stream offers; an emerging row is counted as one
        # whatever else applies (of unknown size too), as the cumulative effect says it
        emerging = known & (table["maturity"] == EMERGING).to_numpy(dtype=bool)
    if "unbounded" in table:  # a table of find_opportunities (not one made by hand)
        unbounded = known & ~emerging & table["unbounded"].fillna(False).to_numpy(dtype=bool)
        left_out["unbounded"] = int(np.count_nonzero(unbounded))
        known &= ~unbounded
    if "unbounded" in table and "maturity" in table:
        left_out["emerging"] = int(np.count_nonzero(emerging))
        known &= ~emerging
    if objective == "net_value":
        left_out["unknown_value"] = int(np.count_nonzero(known & np.isnan(worth)))
        known &= ~np.isnan(worth)
    if dimension is not None:
        left_out["other_dimension"] = int(np.count_nonzero(known & (dims != dimension)))
        known &= dims == dimension
    stream, supply, lower = _supplies(result, table)
    capacity, group = _column(table, "capacity", np.nan), _column(table, "capacity_group", -1)
    around = _column(table, "capacity_within", np.nan)
    within = _column(table, "capacity_within_group", -1)
    outer, outer_limit = (_column(table, f"capacity_around{c}", d)
                          for c, d in (("_group", -1), ("", np.nan)))  # fmt: skip
    amount = np.zeros(len(table))
    groups, distance = pd.factorize(table["group"]), _column(table, "distance_km", np.nan)
    totals, solver = {}, {}
    for d in DIMENSIONS:
        rows = np.flatnonzero(known & (dims == d))
        if not len(rows):
            continue
        per_unit = np.nan_to_num(cost[rows])
        gain = np.ones(len(rows)) if objective == "quantity" else worth[rows] - per_unit
        # the rows come in the table's order (groups, then rank): ties go by it
        problem = Allocation(gain, quantity[rows], stream[rows], supply, group[rows],
                             capacity[rows], np.arange(len(rows)), within[rows], around[rows],
                             outer[rows], outer_limit[rows])  # fmt: skip
        x, solver[d] = problem.solve()
        # to 13 significant digits: the noise of the LP's scaling and of the limits'
        # differences dropped (49999.999999999985 t for 50,000 t), still a whole stream
        x, greedy = significant(x), significant(problem.greedy())
        amount[rows] = x
        totals[d] = {
            **_totals(groups, rows, distance[rows], x, stream[rows], supply, lower),
            "objective": float(np.sum(x * gain)),
            "greedy_moved": float(np.sum(greedy)),
            "greedy_objective": float(np.sum(greedy * gain)),
        }
    planned = np.flatnonzero(amount > 0)
    rows = _plan_rows(table, planned, amount, worth, cost, supply[stream[planned]])
    for d, t in totals.items():
        here = rows[rows["dimension"] == d]
        t.update({c: math.fsum(here[c].dropna()) if here[c].notna().any() else None
                  for c in ("transport_cost", "net_value", "co2_avoided")})  # fmt: skip
    # the flow's size for an edit: when only a lower bound is known, any size above the
    # amount makes opportunity_edits move just the amount
    size = np.where(lower[stream[planned]], 2 * amount[planned], supply[stream[planned]])
    selector = np.where(_ambiguous(table, stream)[stream[planned]], rows["row"], -1)
    at = set(zip(rows["group"], rows["rank"].tolist(), strict=True))
    listed = tuple(o for o in result.listed if (o.group, o.rank) in at)
    builder = partial(_edits, listed=listed, size=size, selector=selector)
    return Plan(objective=objective, transport_rate=rates, totals=totals, left_out=left_out,
                rows=rows, solver=solver, units=dict(result.units), builder=builder)  # fmt: skip


def _money(table: pd.DataFrame, quantity: np.ndarray, rates):
    """Per unit moved, for each row: what it is worth (the table's known value, avoided
    disposal and avoided purchase; NaN when none is known) and its transport cost (at
    ``rates``; else the table's ``transport_cost``; NaN when not priced)."""
    per = np.where(quantity > 0, quantity, np.nan)
    parts = np.vstack([table[c].to_numpy(dtype=float) for c in _WORTH if c in table])
    worth = np.where(np.isnan(parts).all(axis=0), np.nan, np.nansum(parts, axis=0)) / per
    if rates is not None:
        rate = table["dimension"].map(rates).to_numpy(dtype=float)
        cost = rate * np.nan_to_num(table["distance_km"].to_numpy(dtype=float))
    else:
        cost = _column(table, "transport_cost", np.nan) / per
    return worth, cost


def _column(table: pd.DataFrame, name: str, default) -> np.ndarray:
    """A capacity column of the table, or ``default`` everywhere when it has none; an
    empty cell (a table made by hand) is ``default`` too."""
    kind = type(default)
    if name not in table:
        return np.full(len(table), default)
    return table[name].fillna(default).to_numpy(dtype=kind)


def _check(objective, rate, dimension) -> dict[str, float] | None:
    problems = []
    if objective not in OBJECTIVES:
        problems.append(f"objective must be one of {', '.join(OBJECTIVES)} (got {objective!r})")
    if dimension is not None and dimension not in DIMENSIONS:
        problems.append(f"unknown dimension {dimension!r}; use {', '.join(DIMENSIONS)}")
    rates = None
    if rate is not None:
        rates = {}
        for d, r in (rate if isinstance(rate, dict) else {"mass": rate}).items():
            if d not in DIMENSIONS:
                problems.append(f"transport rate for unknown dimension {d!r}; use "
                                f"{', '.join(DIMENSIONS)}")  # fmt: skip
            elif isinstance(r, bool) or not isinstance(r, Real) or not 0 <= r < math.inf:
                problems.append(f"transport rate must be a number >= 0 (got {r!r})")
            else:
                rates[d] = float(r)
    if problems:
        raise InputError("; ".join(problems))
    return rates


def _supplies(result: Opportunities, table: pd.DataFrame):
    """Stream code of each row, and per stream its quantity and whether that is only a
    lower bound (module docstring, "Supply of a stream"). O(c log c)."""
    stream = pd.factorize(table["row"])[0].astype(np.int64)  # one flow per row number...
    first = np.zeros(int(stream.max(initial=-1)) + 1, dtype=np.int64)
    first[stream[::-1]] = np.arange(len(stream))[::-1]
    same = [table[c].to_numpy(dtype=object) for c in ("source", "stream_target", "material")]
    if not all((c == c[first[stream]]).all() for c in same):  # ...unless edits added flows
        keys = ["source", "stream_target", "material", "row"]
        stream = table.groupby(keys, sort=False).ngroup().to_numpy(dtype=np.int64)
    n = int(stream.max(initial=-1)) + 1
    quantity = table["quantity"].to_numpy(dtype=float)
    if "stream_quantity" in table:
        supply = np.full(n, np.nan)
        supply[stream] = table["stream_quantity"].to_numpy(dtype=float)
        return stream, supply, np.isnan(supply)
    redirect = table["kind"].to_numpy(dtype=object) == "redirect"
    if "capacity" in table:
        capacity = table["capacity"].to_numpy(dtype=float)
        whole = (quantity < capacity * (1 - 1e-12)) | (np.isnan(capacity) & ~redirect)
    else:
        whole = ~redirect
    whole &= ~np.isnan(quantity)
    exact = np.full(n, np.nan)
    exact[stream[whole]] = quantity[whole]
    index = pd.MultiIndex.from_arrays([table["group"], table["rank"]])
    at = index.get_indexer([(o.group, o.rank) for o in result.listed]) if result.listed else []
    for i, o in zip(at, result.listed, strict=True):
        if i >= 0 and o.stream_quantity is not None and np.isnan(exact[stream[i]]):
            exact[stream[i]] = o.stream_quantity
    largest = pd.Series(quantity).groupby(stream).max().reindex(range(n)).to_numpy()
    lower = np.isnan(exact)
    return stream, np.where(lower, largest, exact), lower


def _totals(groups, rows, distance, x, stream, supply, lower) -> dict[str, Any]:
    """Amounts, counts and transport of one dimension's plan. O(c log c)."""
    chosen, considered = x > 0, np.unique(stream)
    codes, names = groups
    by_group = np.bincount(codes[rows], x, len(names))
    return {
        "moved": float(np.sum(x)),
        "by_group": {str(g): float(v) for g, v in zip(names, by_group, strict=True) if v > 0},
        "supply": float(np.sum(supply[considered])),
        "candidates": len(x),
        "streams": len(considered),
        "planned": int(chosen.sum()),
        "streams_served": len(np.unique(stream[chosen])),
        "supply_lower_bound": int(lower[considered].sum()),
        "transport": float(np.sum(x[chosen] * np.nan_to_num(distance[chosen]))),
        "unknown_distance": int(np.count_nonzero(chosen & np.isnan(distance))),
    }


def _plan_rows(table, planned, amount, worth, cost, stream_quantity) -> pd.DataFrame:
    """The planned rows, their money for the amount moved (economics parts scaled)."""
    frame = table.iloc[planned].reset_index(drop=True)
    moved = amount[planned]
    share = moved / frame["quantity"].to_numpy(dtype=float)
    transport = moved * cost[planned]
    # each a product or ratio of amounts: to 13 significant digits, as the amounts are
    distance = frame["distance_km"].to_numpy(dtype=float)
    net = moved * worth[planned] - np.nan_to_num(transport)
    frame = frame.assign(amount=moved, stream_quantity=stream_quantity,
                         transport=significant(moved * distance),
                         transport_cost=significant(transport),
                         net_value=significant(net))  # fmt: skip
    for name in ("value", "avoided_disposal_cost", "avoided_purchase", "co2_avoided"):
        frame[name] = significant(frame[name] * share) if name in frame else np.nan
    for name, default in (("capacity", np.nan), ("capacity_group", -1),
                          ("capacity_within", np.nan), ("capacity_within_group", -1)):  # fmt: skip
        frame[name] = frame.get(name, default)
    return frame[_PLAN_COLUMNS]


def _edits(rows: pd.DataFrame, *, listed, size, selector) -> list[ed.Edit]:
    """The edits of the planned rows, through :func:`opportunity_edits`: a listed
    opportunity as it is, another row made into one from the table. O(k)."""
    by_rank = {(o.group, o.rank): o for o in listed}
    edits: list[ed.Edit] = []
    plants: set[str] = set()
    for row, total, flow_row in zip(rows.itertuples(index=False), size.tolist(),
                                    selector.tolist(), strict=True):  # fmt: skip
        o = by_rank.get((row.group, int(row.rank)))
        if o is None:
            o = _opportunity(row, total, None if flow_row < 0 else flow_row)
        step = opportunity_edits(o, quantity=float(row.amount), add_plant=o.target not in plants)
        if o.kind == "redirect":
            step = _compound(step, edits)
        if o.new_plant:
            plants.add(o.target)
        edits.extend(step)
    return ed.sort_edits(edits)


def _ambiguous(table: pd.DataFrame, stream: np.ndarray) -> np.ndarray:
    """Per stream: does another stream of the table share its source, target and
    material key (a scenario then selects its flow by row number)? O(c)."""
    first = table[["source", "stream_target", "material"]].assign(stream=stream)
    first = first.drop_duplicates("stream")
    first["key"] = first["material"].map({m: material_key(m) for m in first["material"].unique()})
    count = first.groupby(["source", "stream_target", "key"], sort=False)["stream"].transform(
        "size"
    )
    out = np.zeros(int(stream.max(initial=-1)) + 1, dtype=bool)
    out[first["stream"].to_numpy()] = count.to_numpy() > 1
    return out


def _opportunity(row, total: float, flow_row) -> Opportunity:
    """An :class:`Opportunity` carrying what :func:`opportunity_edits` reads, from a row
    of the public table (amounts in the canonical unit, its unit the table's: per year, or
    over the years added up)."""
    unit = CANONICAL_UNITS.get(row.dimension)
    return Opportunity(
        rank=int(row.rank), group=row.group, kind=row.kind, fate=row.fate, source=row.source,
        source_name=row.source, material=row.material,
        category="product" if row.fate == "product" else "waste",
        stream_target=row.stream_target, dimension=row.dimension, unit=row.unit,
        quantity=float(row.quantity), stream_quantity=total, target=row.target,
        target_name=row.target, target_sector=row.target_sector,
        new_plant=bool(row.new_plant), distance_km=None, value=None,
        maturity="", evidence=(), stream_unit=unit, stream_amount=total,
        flow_row=None if flow_row is None else int(flow_row),
    )  # fmt: skip
