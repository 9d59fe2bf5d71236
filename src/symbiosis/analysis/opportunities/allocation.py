"""Optimal allocation beside the ranking: the exchanges that move the most, or are worth
the most, within stream supplies and receiver capacities.

The cumulative effect takes ranked candidates greedily: a stream given to its first
receiver may fill the room another stream, with no other receiver, needed.
:func:`optimal_plan` chooses them all at once: one linear program per dimension on HiGHS
(``scipy.optimize.linprog(method="highs")``, sparse constraint matrix).

Variables
    ``x_i``, the amount moved on row ``i`` of ``result.table`` (one per stream and
    receiver, proposed plants included), canonical unit per year (t, GJ, m3),
    ``0 <= x_i <= quantity_i``. Rows of unknown quantity are left out, counted.
Constraints
    Per stream, the sum of its rows <= the stream's quantity; per capacity group (column
    ``capacity_group``: rows sharing one receiver limit; -1 none), the sum <= its
    ``capacity``. Without these columns a row is bounded by its stream only. Only
    constraints that can bind are written. Tonnes, GJ and m3 are never added: one LP and
    one set of totals per dimension.
Objectives
    ``"quantity"``: maximise the amount moved. Transport cost never buys quantity (tonnes
    and money compare only through a price: that is ``"net_value"``); with a rate it is
    reported. Ties go to the better-ranked alternative, then to the cheaper transport:
    a unit counts ``1 - EPSILON (r_i + t_i / 10)``, ``r_i`` in [0, 1] the row's place
    among its stream's alternatives (0 first, 1 last), ``t_i`` in [0, 1] its transport
    cost per unit over the dearest row's (0 without a rate); so the plan moves at least
    ``1 - 1.1 EPSILON`` of the maximum (11 ppm).
    ``"net_value"``: maximise ``sum x_i (v_i - c_i)``, ``v_i`` the row's value per unit
    (``value / quantity``: the stream's price per canonical unit), ``c_i`` its transport
    cost per unit; a unit counts ``1 - EPSILON r_i`` of that. Rows of unknown value are
    left out, counted; rows of net value <= 0 are never chosen.
Transport
    ``c_i = rate x distance_km_i``, the rate in money (the flows' ``price`` money) per
    canonical unit and km: per t*km, GJ*km, m3*km. A proposed plant is taken as built
    beside its feed, and firms without coordinates have no distance: such rows cost
    nothing, and planned ones are counted (``unknown_distance``).
Supply of a stream
    A row's quantity is the smaller of its stream and its receiver's capacity: a
    stream's quantity comes from a ``stream_quantity`` column, else from a row no capacity
    cut (below its capacity, or without one and not a redirect), else from a listed
    opportunity; else it is the largest row's, a lower bound (the plan stays feasible but
    may move less; counted, ``supply_lower_bound``).
Complexity
    O(c log c) to build for c candidate rows; each LP has at most c variables, one
    constraint per stream or group that can bind, 2c non-zeros. The simplex is
    exponential in the worst case; 100,000 streams x 3 receivers with 10,000 capacity
    groups take a few seconds (benchmarks/bench_allocation.py). Greedy comparison and
    edits: O(c).
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field, replace
from numbers import Real
from types import SimpleNamespace
from typing import Any

import numpy as np
import pandas as pd

from ... import edits as ed
from ...errors import AnalysisError, InputError
from ...jsonable import to_jsonable
from ...model import FlowNetwork
from ...units import CANONICAL_UNITS, DIMENSIONS
from ...vocabulary import material_key
from .impact import _compare, _compound, _moved_accounts, _shares, accounts, opportunity_edits
from .result import CAVEAT, Opportunities, Opportunity, _short

__all__ = ["EPSILON", "OBJECTIVES", "Plan", "optimal_plan"]

OBJECTIVES: tuple[str, ...] = ("quantity", "net_value")
EPSILON = 1e-5
_HIGHS = {"dual_feasibility_tolerance": 1e-9, "primal_feasibility_tolerance": 1e-9}
_PLAN_COLUMNS = [
    "group", "rank", "kind", "fate", "source", "material", "stream_target", "row",
    "dimension", "amount", "quantity", "unit", "target", "target_sector", "new_plant",
    "distance_km", "transport", "transport_cost", "value", "net_value", "capacity",
    "capacity_group", "pathway",
]  # fmt: skip


@dataclass(frozen=True)
class Plan:
    """An optimal allocation (:func:`optimal_plan`).

    ``rows`` (:meth:`to_frame`) are the planned exchanges in rank order: ``amount`` moved
    (canonical unit per year) of the row's ``quantity``, ``transport`` (amount x km),
    ``transport_cost``, ``value`` and ``net_value`` (money; NaN when unknown).
    ``totals`` per dimension: ``moved`` (and ``by_group``), the ``supply`` of the streams
    considered, the LP's ``objective`` (without the tie-break) and the same rows taken
    greedily in rank order (``greedy_moved``, ``greedy_objective``), counts, transport
    and value. ``left_out`` counts rows not considered, by reason; ``solver`` tells how
    each LP went; ``impact`` (:meth:`with_impact`) maps ``reuse_share`` and
    ``utilization_rate`` to ``{dimension: (before, after)}``.
    """

    objective: str
    transport_rate: dict[str, float] | None
    rows: pd.DataFrame = field(repr=False, compare=False)
    totals: dict[str, dict[str, Any]]
    left_out: dict[str, int]
    solver: dict[str, dict[str, Any]]
    units: dict[str, str]
    plan_edits: tuple[ed.Edit, ...] = field(default=(), repr=False)
    impact: dict[str, dict[str, tuple[float | None, float | None]]] | None = None
    caveat: str = CAVEAT

    def edits(self) -> list[ed.Edit]:
        """The edits that carry out the plan (scenario order)."""
        return list(self.plan_edits)

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
        Money per canonical unit and km (per t*km, GJ*km, m3*km): one number for every
        dimension, or ``{dimension: rate}`` (a dimension not named costs nothing).
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
    quantity, value = (table[c].to_numpy(dtype=float) for c in ("quantity", "value"))
    known = ~np.isnan(quantity) & pd.notna(dims)
    left_out = {"unknown_quantity": int(np.count_nonzero(np.isnan(quantity)))}
    if objective == "net_value":
        left_out["unknown_value"] = int(np.count_nonzero(known & np.isnan(value)))
        known &= ~np.isnan(value)
    if dimension is not None:
        left_out["other_dimension"] = int(np.count_nonzero(known & (dims != dimension)))
        known &= dims == dimension
    stream, supply, lower = _supplies(result, table)
    capacity, group = _column(table, "capacity", np.nan), _column(table, "capacity_group", -1)
    distance = table["distance_km"].to_numpy(dtype=float)
    alternative = _alternative(stream)
    amount = np.zeros(len(table))
    totals, solver = {}, {}
    for d in DIMENSIONS:
        rows = np.flatnonzero(known & (dims == d))
        if not len(rows):
            continue
        cost = (rates or {}).get(d, 0.0) * np.nan_to_num(distance[rows], nan=0.0)
        unit_value = value[rows] / np.where(quantity[rows] > 0, quantity[rows], np.nan)
        gain = np.ones(len(rows)) if objective == "quantity" else np.nan_to_num(unit_value - cost)
        tie = alternative[rows].copy()
        if objective == "quantity" and cost.max(initial=0) > 0:
            tie += cost / cost.max() / 10
        problem = _Problem(gain, quantity[rows], stream[rows], supply, group[rows],
                           capacity[rows], tie)  # fmt: skip
        x, solver[d] = problem.solve()
        amount[rows] = x
        greedy = problem.greedy()
        priced = (x > 0) & ~np.isnan(unit_value)
        totals[d] = {
            **_totals(table.iloc[rows], x, stream[rows], supply, lower),
            "objective": math.fsum(x * gain),
            "greedy_moved": math.fsum(greedy),
            "greedy_objective": math.fsum(greedy * gain),
            "transport_cost": None if rates is None else math.fsum(x * cost),
            "value": math.fsum(np.nan_to_num(x * unit_value)) if priced.any() else None,
        }
    planned = np.flatnonzero(amount > 0)
    edits = _edits(result, table, planned, amount, stream, supply, lower)
    return Plan(objective=objective, transport_rate=rates, totals=totals, left_out=left_out,
                rows=_plan_rows(table, planned, amount, rates), solver=solver,
                units=dict(result.units), plan_edits=tuple(edits))  # fmt: skip


def _column(table: pd.DataFrame, name: str, default) -> np.ndarray:
    """A capacity column of the table, or ``default`` everywhere when it has none."""
    kind = type(default)
    return table[name].to_numpy(dtype=kind) if name in table else np.full(len(table), default)


def _check(objective, rate, dimension) -> dict[str, float] | None:
    problems = []
    if objective not in OBJECTIVES:
        problems.append(f"objective must be one of {', '.join(OBJECTIVES)} (got {objective!r})")
    if dimension is not None and dimension not in DIMENSIONS:
        problems.append(f"unknown dimension {dimension!r}; use {', '.join(DIMENSIONS)}")
    rates = None
    if rate is not None:
        rates = {}
        for d, r in (rate if isinstance(rate, dict) else dict.fromkeys(DIMENSIONS, rate)).items():
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
    keys = ["source", "stream_target", "material", "row"]
    stream = table.groupby(keys, sort=False, dropna=False).ngroup().to_numpy(dtype=np.int64)
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
    largest = np.full(n, -np.inf)
    finite = ~np.isnan(quantity)
    np.maximum.at(largest, stream[finite], quantity[finite])
    lower = np.isnan(exact)
    return stream, np.where(lower, largest, exact), lower


def _alternative(stream: np.ndarray) -> np.ndarray:
    """Each row's place among its stream's rows (table order): 0 first, 1 last. O(c log c)."""
    order = np.argsort(stream, kind="stable")
    ordered = stream[order]
    start = np.r_[0, np.flatnonzero(ordered[1:] != ordered[:-1]) + 1]
    sizes = np.diff(np.r_[start, len(ordered)])
    place = np.arange(len(ordered)) - np.repeat(start, sizes)
    out = np.zeros(len(stream))
    out[order] = place / np.maximum(np.repeat(sizes, sizes) - 1, 1)
    return out


class _Problem:
    """One dimension's LP: maximise sum weight_i x_i, weight_i = gain_i / max gain x
    (1 - EPSILON tie_i), subject to 0 <= x_i <= upper_i, per stream sum <= supply, per
    group sum <= limit (rows of no group: a last group of infinite limit). Rows no optimum
    uses are dropped first; a stream then linked to no other through a group that could
    be overfilled is solved alone, exactly (its rows by weight until it is used up); the
    linked ones go to HiGHS together. O(c log c) but for the LP."""

    def __init__(self, gain, upper, stream, supply, group, capacity, tie):
        top = gain.max(initial=0)
        self.weight = (gain / top if top > 0 else gain) * (1 - EPSILON * tie)
        self.use = (self.weight > 0) & (upper > 0)
        self.upper = np.where(self.use, upper, 0.0)
        self.stream, self.stream_code = np.unique(stream, return_inverse=True)
        self.supply = supply[self.stream]
        limits = pd.Series(capacity).groupby(group).min().dropna().drop(-1, errors="ignore")
        code = limits.index.get_indexer(group)  # a group's limit: the smallest stated
        self.group_code = np.where(code >= 0, code, len(limits))
        self.limit = np.r_[limits.to_numpy(dtype=float), np.inf]
        self.open = self._undominated()
        linked = np.zeros(len(self.supply), dtype=bool)
        linked[self.stream_code[self._binding(self.open)[self.group_code] & (self.open > 0)]] = 1
        self.linked = np.flatnonzero(linked[self.stream_code] & (self.open > 0))

    def _binding(self, upper: np.ndarray) -> np.ndarray:
        """Per group: could its rows together take more than its limit?"""
        return np.bincount(self.group_code, upper, len(self.limit)) > self.limit * (1 + 1e-12)

    def _undominated(self) -> np.ndarray:
        """``upper``, 0 for rows no optimum uses: a stream's rows of lower weight than the
        first of its free rows (in no group that can bind), best first, that with the
        better ones can take the whole stream (moving from such a row to a free row with
        room gains)."""
        free = np.flatnonzero(~self._binding(self.upper)[self.group_code] & self.use)
        order = free[np.lexsort((free, -self.weight[free], self.stream_code[free]))]
        code = self.stream_code[order]
        covering = self._before(order, self.upper) + self.upper[order] >= self.supply[code]
        bar = np.full(len(self.supply), -np.inf)
        np.maximum.at(bar, code[covering], self.weight[order][covering])
        return np.where(self.weight < bar[self.stream_code], 0.0, self.upper)

    def _before(self, order: np.ndarray, upper: np.ndarray) -> np.ndarray:
        """For the rows in ``order`` (grouped by stream): the sum of ``upper`` over the
        rows of the same stream before them."""
        code, amount = self.stream_code[order], upper[order]
        before = np.cumsum(amount) - amount
        first = np.r_[True, code[1:] != code[:-1]] if len(code) else np.zeros(0, dtype=bool)
        return before - np.maximum.accumulate(np.where(first, before, 0.0))

    def _fill(self, order: np.ndarray, upper: np.ndarray) -> np.ndarray:
        """Each stream's rows take, in ``order`` (grouped by stream), what it has left."""
        x = np.zeros(len(upper))
        code = self.stream_code[order]
        x[order] = np.clip(self.supply[code] - self._before(order, upper), 0.0, upper[order])
        return x

    def solve(self) -> tuple[np.ndarray, dict[str, Any]]:
        start, n = time.perf_counter(), len(self.upper)
        x = self._fill(np.lexsort((np.arange(n), -self.weight, self.stream_code)), self.open)
        info = {"variables": int(self.use.sum()), "in_lp": len(self.linked), "constraints": 0,
                "iterations": 0}  # fmt: skip
        if len(self.linked):
            x[self.linked] = self._lp(self.linked, info)
        info["seconds"] = time.perf_counter() - start
        return self._feasible(x), info

    def _lp(self, rows: np.ndarray, info: dict[str, Any]) -> np.ndarray:
        """The LP of the linked rows: one constraint per stream or group that can bind."""
        from scipy.optimize import linprog
        from scipy.sparse import csr_matrix

        upper, parts, offset = self.open[rows], [], 0
        for code, limit in (
            (self.stream_code[rows], self.supply),
            (self.group_code[rows], self.limit),
        ):
            binds = np.bincount(code, upper, len(limit)) > limit * (1 + 1e-12)
            index = np.cumsum(binds) - 1 + offset
            inside = np.flatnonzero(binds[code])
            parts.append((index[code[inside]], inside, limit[binds]))
            offset += int(binds.sum())
        i, j, rhs = (np.concatenate(part) for part in zip(*parts, strict=True))
        scale = max(float(np.median(upper)), 1e-12 * upper.max())
        matrix = csr_matrix((np.ones(len(i)), (i, j)), shape=(len(rhs), len(rows)))
        bounds = np.c_[np.zeros(len(rows)), upper / scale]
        solved = linprog(-self.weight[rows], A_ub=matrix, b_ub=rhs / scale, bounds=bounds,
                         method="highs", options=_HIGHS)  # fmt: skip
        if solved.status != 0:
            raise AnalysisError(f"the allocation LP was not solved: {solved.message}")
        info.update(constraints=len(rhs), iterations=int(getattr(solved, "nit", 0)))
        return np.clip(solved.x * scale, 0.0, upper)

    def _feasible(self, x: np.ndarray) -> np.ndarray:
        """``x`` scaled down where the solver's tolerance overfilled a stream or group,
        and solver noise (below 1e-9 of the largest row) dropped."""
        x[x < 1e-9 * self.upper.max(initial=0)] = 0.0
        for code, limit in ((self.stream_code, self.supply), (self.group_code, self.limit)):
            total = np.bincount(code, x, len(limit))
            factor = np.where(total > limit, limit / np.where(total > 0, total, 1.0), 1.0)
            x *= factor[code]
        return x

    def greedy(self) -> np.ndarray:
        """The same rows taken in rank order, each what its stream and group have left:
        the streams of no binding group at once, the others row by row. O(c log c)."""
        linked = np.zeros(len(self.supply), dtype=bool)
        linked[self.stream_code[self._binding(self.upper)[self.group_code] & self.use]] = True
        x = self._fill(np.argsort(self.stream_code, kind="stable"), self.upper)
        left_s, left_g = self.supply.tolist(), self.limit.tolist()
        rows = np.flatnonzero(linked[self.stream_code])
        for i, s, g, u in zip(rows.tolist(), self.stream_code[rows].tolist(),
                              self.group_code[rows].tolist(), self.upper[rows].tolist(),
                              strict=True):  # fmt: skip
            x[i] = take = max(0.0, min(u, left_s[s], left_g[g]))
            left_s[s] -= take
            left_g[g] -= take
        return x


def _totals(rows: pd.DataFrame, x, stream, supply, lower) -> dict[str, Any]:
    """Amounts, counts and transport of one dimension's plan. O(c log c)."""
    chosen, considered = x > 0, np.unique(stream)
    distance = rows["distance_km"].to_numpy(dtype=float)
    by_group = pd.Series(x).groupby(rows["group"].to_numpy(dtype=object), sort=False).sum()
    return {
        "moved": math.fsum(x),
        "by_group": {g: float(v) for g, v in by_group.items() if v > 0},
        "supply": math.fsum(supply[considered]),
        "candidates": len(rows),
        "streams": len(considered),
        "planned": int(chosen.sum()),
        "streams_served": len(np.unique(stream[chosen])),
        "supply_lower_bound": int(lower[considered].sum()),
        "transport": math.fsum(x[chosen] * np.nan_to_num(distance[chosen], nan=0.0)),
        "unknown_distance": int(np.count_nonzero(chosen & np.isnan(distance))),
    }


def _plan_rows(table, planned, amount, rates) -> pd.DataFrame:
    frame = table.iloc[planned].reset_index(drop=True)
    moved = amount[planned]
    distance = frame["distance_km"].to_numpy(dtype=float)
    rate = frame["dimension"].map(rates or {}).to_numpy(dtype=float)
    cost = moved * rate * np.nan_to_num(distance, nan=0.0)
    quantity = frame["quantity"].to_numpy(dtype=float)
    worth = moved * frame["value"].to_numpy(dtype=float) / np.where(quantity > 0, quantity, np.nan)
    frame = frame.assign(amount=moved, transport=moved * distance, transport_cost=cost,
                         value=worth, net_value=worth - np.nan_to_num(cost, nan=0.0))  # fmt: skip
    for name, default in (("capacity", np.nan), ("capacity_group", -1)):
        frame[name] = frame.get(name, default)
    return frame[_PLAN_COLUMNS]


def _edits(result, table, planned, amount, stream, supply, lower) -> list[ed.Edit]:
    """The edits of the planned rows, through :func:`opportunity_edits`: a listed
    opportunity is used as it is; another row is made into one from the table."""
    listed = {(o.group, o.rank): o for o in result.listed}
    ambiguous = _ambiguous(table, stream)
    edits: list[ed.Edit] = []
    plants: set[str] = set()
    for i, row in zip(planned.tolist(), table.iloc[planned].itertuples(index=False),
                      strict=True):  # fmt: skip
        moved = float(amount[i])
        o = listed.get((row.group, int(row.rank)))
        if o is None:
            s = int(stream[i])
            # the flow's size in the canonical unit; when only a lower bound is known,
            # any size above the amount makes opportunity_edits move just the amount
            total = 2.0 * moved if lower[s] else float(supply[s])
            o = _opportunity(row, total, row.row if ambiguous[s] else None)
        step = opportunity_edits(o, quantity=moved, add_plant=o.target not in plants)
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
    of the public table (amounts in the canonical unit)."""
    unit = CANONICAL_UNITS.get(row.dimension)
    return Opportunity(
        rank=int(row.rank), group=row.group, kind=row.kind, fate=row.fate, source=row.source,
        source_name=row.source, material=row.material,
        category="product" if row.fate == "product" else "waste",
        stream_target=row.stream_target, dimension=row.dimension, unit=f"{unit}/yr",
        quantity=float(row.quantity), stream_quantity=total, target=row.target,
        target_name=row.target, target_sector=row.target_sector,
        new_plant=bool(row.new_plant), distance_km=None, value=None,
        maturity=row.maturity or "", evidence=(), stream_unit=unit, stream_amount=total,
        flow_row=None if flow_row is None else int(flow_row),
    )  # fmt: skip
