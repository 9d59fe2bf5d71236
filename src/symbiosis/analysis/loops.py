"""Where material goes round: symbiosis cores and circular loops among actors.

Symbiosis cores
    The strongly connected components of the actor network with two actors or more:
    every actor of a core can reach every other one through exchanges, so every loop lies
    inside one core. Boundary nodes (market, disposal, environment) are outside the system
    and never close a loop. Each core has its members, internal flows and their total per
    dimension, and its cyclicity (spectral radius of its binary adjacency).

Loops
    The simple cycles of the structural actor graph (every actor-to-actor flow, known size
    or not, every dimension; or one dimension with ``dimension=``). Each loop lists its
    actors in order (starting at the one that comes first in the firms table), the flows
    on each arc (several flows may join two actors), and:

    * ``kind``: ``"closed"`` when one material (the same :func:`material_key`) is on every
      arc, so it closes on itself (copper scrap back to the smelter that made the
      copper); ``"symbiotic"`` otherwise (different materials link different firms);
    * ``bottleneck[d]``, per dimension ``d`` in which the loop closes: the smallest arc
      quantity, the arc quantity being the sum of that arc's flows of dimension ``d``.
      The rule for arcs of another dimension or of unknown size: the loop *closes* in
      ``d`` when every arc carries at least one flow of dimension ``d``; its bottleneck
      in ``d`` is then known only when all those flows have a size, else it is ``None``.
      A loop that closes with water one way and steam the other closes in no dimension
      and has no bottleneck (it is still a loop of the structure);
    * ``total[d]``: the sum of all known flows of dimension ``d`` on its arcs.

    Loops are ranked by bottleneck in the *rank dimension* (the ``dimension`` asked for,
    else the first of mass, energy, volume present), largest first; then loops with a
    bottleneck in another dimension (by dimension, then bottleneck); then loops with no
    known bottleneck, shortest first.

Bounds
    The number of simple cycles explodes with their length (a park where 12 firms all
    trade with each other has 3.2 million of length 8 or less), so the search is bounded
    by ``max_length`` (actors per loop), ``max_loops`` and a ``time_budget`` in seconds.
    When a bound cuts the list, the result says so: ``truncated`` with ``stopped_by``
    (``"max_loops"``: at least one more loop exists; ``"time_budget"``), ``found`` the
    exact number of loops kept, and ``longer_loops_possible`` when a core has more actors
    than ``max_length`` (loops longer than the bound were not searched). When truncated,
    the ranking is among the loops found; which loops are found first depends only on
    the data (cores largest first; in a core, loops through the actors with the most
    links first), except under a time budget.

Algorithm
    A bounded depth-first search on the arcs inside each core. The actors are ranked
    (core, then most links first) and every cycle is found once, from its first-ranked
    actor ``s``: a reverse breadth-first search of depth ``max_length - 1`` from ``s``
    over later actors gives each actor's distance back to ``s``, and the search steps only
    onto later actors that can still close the loop within the bound. Taking the hubs
    first leaves sparse remainders, so those distance searches stay small. The output
    equals :func:`networkx.simple_cycles` with ``length_bound`` (the test oracle), a
    hundred times faster on industrial networks because it neither recomputes components
    nor leaves the cores. Cost: O(n + m) for the cores, then per start actor its ball of
    radius ``max_length - 1`` among later actors plus the paths explored, each of which
    can still close within the bound; bounded in practice by ``max_loops`` and the time
    budget (about 3 s at 1M flows, with four cores of ~7,700 firms).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from functools import cached_property
from itertools import chain

import numpy as np
import pandas as pd
import scipy.sparse as sp

from .._numeric import unique as distinct_sorted
from ..errors import InputError
from ..model import FlowNetwork
from ..units import CANONICAL_UNITS, DIMENSIONS
from ._flowsums import LISTED_ROWS
from ._linalg import strong_components
from .cycling import network_structure

__all__ = [
    "CycleSearch",
    "Loop",
    "LoopFlow",
    "LoopSearch",
    "SymbiosisCore",
    "find_loops",
    "simple_cycles",
]

# How often (in search steps) the time budget is checked.
_CLOCK_EVERY = 2048


# ====================================================================== enumerator


@dataclass(frozen=True, eq=False)
class CycleSearch:
    """Cycles of a graph as tuples of node positions, each starting at its smallest node
    in search order, and whether and why the search stopped early."""

    cycles: list[tuple[int, ...]]
    truncated: bool
    stopped_by: str | None


def simple_cycles(
    adjacency: sp.spmatrix,
    max_length: int,
    *,
    max_cycles: int | None = None,
    time_budget: float | None = None,
    order: np.ndarray | None = None,
) -> CycleSearch:
    """Simple cycles of at most ``max_length`` nodes of the graph with an arc ``i -> j``
    wherever ``adjacency[i, j] != 0`` (self-loops are cycles of length 1).

    ``order`` ranks the nodes (default: by position): cycles are searched in that order
    of their first node. The search stops after ``max_cycles`` cycles if another one
    exists (``stopped_by="max_cycles"``) or after ``time_budget`` seconds
    (``"time_budget"``); the cycles found so far are returned. See the module docstring
    for the algorithm and its cost.
    """
    if max_length < 1:
        raise InputError(f"max_length must be >= 1 (got {max_length})")
    matrix = sp.csr_matrix(adjacency)
    matrix.eliminate_zeros()
    components = strong_components(matrix)
    coo = matrix.tocoo()
    rows, cols = coo.row.astype(np.int64), coo.col.astype(np.int64)
    inside = components.labels[rows] == components.labels[cols]
    return _cycles_on_arcs(
        rows[inside], cols[inside], matrix.shape[0], max_length, max_cycles, time_budget, order
    )


def _cycles_on_arcs(rows, cols, n, max_length, max_cycles, time_budget, order) -> CycleSearch:
    """:func:`simple_cycles` on distinct arcs that all lie inside strongly connected
    components (cycles never leave one)."""
    rank = np.empty(n, dtype=np.int64)
    rank[np.arange(n) if order is None else np.asarray(order)] = np.arange(n)
    # Renumber the nodes on internal arcs by rank so that "later" is "larger index".
    nodes = distinct_sorted(np.concatenate([rows, cols]))
    nodes = nodes[np.argsort(rank[nodes], kind="stable")]
    new = np.full(n, -1, dtype=np.int64)
    new[nodes] = np.arange(len(nodes))
    successors = _adjacency_lists(new[rows], new[cols], len(nodes))
    predecessors = _adjacency_lists(new[cols], new[rows], len(nodes))

    search = _Search(successors, predecessors, max_length, max_cycles, time_budget)
    for start in range(len(nodes)):
        if not search.from_start(start):
            break
    cycles = [tuple(int(nodes[v]) for v in cycle) for cycle in search.cycles]
    return CycleSearch(
        cycles=cycles, truncated=search.stopped_by is not None, stopped_by=search.stopped_by
    )


def _adjacency_lists(tails: np.ndarray, heads: np.ndarray, n: int):
    """Sorted successors of every node as one flat Python list and its bounds (node
    ``v``'s successors are ``heads[bounds[v]:bounds[v + 1]]``): sliced only for the
    nodes the search visits."""
    order = np.lexsort((heads, tails))
    return heads[order].tolist(), np.searchsorted(tails[order], np.arange(n + 1)).tolist()


class _Search:
    """State of the bounded cycle search (see :func:`simple_cycles`)."""

    def __init__(self, successors, predecessors, max_length, max_cycles, time_budget):
        self.successors = successors
        self.predecessors = predecessors
        self.max_length = max_length
        self.max_cycles = max_cycles
        self.deadline = None if time_budget is None else time.monotonic() + time_budget
        n = len(successors[1]) - 1
        self.distance = [0] * n
        self.stamp = [-1] * n
        self.on_path = [False] * n
        self.cycles: list[tuple[int, ...]] = []
        self.stopped_by: str | None = None
        self.steps = 0

    def _distances_back(self, start: int) -> None:
        """Distance from each later node back to ``start``, up to max_length - 1 arcs,
        recorded for the nodes stamped with ``start``."""
        stamp, distance = self.stamp, self.distance
        tails, bounds = self.predecessors
        stamp[start], distance[start] = start, 0
        frontier = [start]
        for depth in range(1, self.max_length):
            reached = []
            for v in frontier:
                for u in tails[bounds[v] : bounds[v + 1]]:
                    if u > start and stamp[u] != start:
                        stamp[u], distance[u] = start, depth
                        reached.append(u)
            if not reached:
                break
            frontier = reached

    def _emit(self, path: list[int]) -> bool:
        if self.max_cycles is not None and len(self.cycles) >= self.max_cycles:
            self.stopped_by = "max_cycles"
            return False
        self.cycles.append(tuple(path))
        return True

    def _out_of_time(self) -> bool:
        if self.deadline is not None and time.monotonic() > self.deadline:
            self.stopped_by = "time_budget"
            return True
        return False

    def from_start(self, start: int) -> bool:
        """Every cycle whose first node is ``start``; False when the search must stop."""
        if self._out_of_time():
            return False
        self._distances_back(start)
        (heads, bounds), stamp, distance = self.successors, self.stamp, self.distance
        on_path, limit = self.on_path, self.max_length
        path = [start]
        on_path[start] = True
        iterators = [iter(heads[bounds[start] : bounds[start + 1]])]
        try:
            while iterators:
                advanced = False
                for w in iterators[-1]:
                    self.steps += 1
                    if self.steps % _CLOCK_EVERY == 0 and self._out_of_time():
                        return False
                    if w == start:
                        if not self._emit(path):
                            return False
                    elif (
                        w > start
                        and not on_path[w]
                        and stamp[w] == start
                        and len(path) + distance[w] <= limit
                    ):
                        path.append(w)
                        on_path[w] = True
                        iterators.append(iter(heads[bounds[w] : bounds[w + 1]]))
                        advanced = True
                        break
                if not advanced:
                    iterators.pop()
                    on_path[path.pop()] = False
        finally:
            for v in path:
                on_path[v] = False
        return True


# ====================================================================== results


@dataclass(frozen=True)
class LoopFlow:
    """One flow on an arc of a loop (``value`` in the canonical unit of its
    ``dimension``; ``None`` when unknown; ``row`` its row in flows.csv)."""

    material: str
    material_key: str
    category: str
    dimension: str | None
    value: float | None
    row: int | None

    def to_dict(self) -> dict:
        return {
            "material": self.material,
            "category": self.category,
            "dimension": self.dimension,
            "value": self.value,
            "row": self.row,
        }


@dataclass(frozen=True)
class Loop:
    """A circular loop: ``firms`` in order (the last one delivers to the first), the
    ``flows`` on each arc ``firms[k] -> firms[k + 1]``, and what closes it (see the
    module docstring for ``kind``, ``bottleneck`` and ``total``)."""

    rank: int
    core: int
    firms: tuple[str, ...]
    flows: tuple[tuple[LoopFlow, ...], ...]
    kind: str
    closing_materials: tuple[str, ...]
    closes_in: tuple[str, ...]
    bottleneck: dict[str, float | None]
    total: dict[str, float]
    unknown_flows: int

    @property
    def length(self) -> int:
        return len(self.firms)

    def to_dict(self) -> dict:
        n = len(self.firms)
        return {
            "rank": self.rank,
            "core": self.core,
            "length": n,
            "kind": self.kind,
            "firms": list(self.firms),
            "arcs": [
                {
                    "source": self.firms[k],
                    "target": self.firms[(k + 1) % n],
                    "flows": [f.to_dict() for f in self.flows[k]],
                }
                for k in range(n)
            ],
            "closing_materials": list(self.closing_materials),
            "closes_in": list(self.closes_in),
            "bottleneck": dict(self.bottleneck),
            "total": dict(self.total),
            "unknown_flows": self.unknown_flows,
        }


@dataclass(frozen=True)
class SymbiosisCore:
    """A strongly connected component of two actors or more: ``members`` (ids, in
    firms-table order), ``internal_flows`` (flows between members), ``internal`` (their
    known total per dimension), ``cyclicity`` (spectral radius of the core's binary
    adjacency), ``loops`` (how many of the loops found lie in it)."""

    id: int
    members: tuple[str, ...]
    internal_flows: int
    internal: dict[str, float]
    cyclicity: float
    loops: int

    @property
    def size(self) -> int:
        return len(self.members)

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "size": self.size,
            "members": list(self.members),
            "internal_flows": self.internal_flows,
            "internal": dict(self.internal),
            "cyclicity": self.cyclicity,
            "loops": self.loops,
        }


@dataclass(frozen=True, eq=False)
class LoopSearch:
    """The symbiosis cores and the circular loops of a network, with the bounds used and
    whether they cut the list (see the module docstring)."""

    cores: tuple[SymbiosisCore, ...]
    ranked: _RankedLoops = field(repr=False)
    max_length: int
    max_loops: int
    time_budget: float | None
    dimension: str | None
    rank_dimension: str | None
    truncated: bool
    stopped_by: str | None
    longer_loops_possible: bool
    units: dict[str, str] = field(default_factory=dict)

    @property
    def found(self) -> int:
        """The exact number of loops found (and listed)."""
        return len(self.ranked)

    @cached_property
    def loops(self) -> tuple[Loop, ...]:
        """Every loop found, in rank order (described on first use: O(total length))."""
        return tuple(self.ranked.loop(k) for k in range(len(self.ranked)))

    def top(self, count: int | None) -> tuple[Loop, ...]:
        """The first ``count`` loops in rank order (all for ``None``); only those are
        described."""
        if count is None or "loops" in self.__dict__:
            return self.loops[:count]
        return tuple(self.ranked.loop(k) for k in range(min(count, len(self.ranked))))

    def to_dict(self, *, limit: int | None = LISTED_ROWS) -> dict:
        """JSON-ready; at most ``limit`` loops and cores are listed (the first in rank
        order; ``None`` lists all), ``found`` and ``cores_found`` always count them all."""
        listed = slice(None) if limit is None else slice(limit)
        return {
            "dimension": self.dimension,
            "rank_dimension": self.rank_dimension,
            "max_length": self.max_length,
            "max_loops": self.max_loops,
            "time_budget": self.time_budget,
            "found": self.found,
            "truncated": self.truncated,
            "stopped_by": self.stopped_by,
            "longer_loops_possible": self.longer_loops_possible,
            "units": dict(self.units),
            "cores_found": len(self.cores),
            "listed": min(self.found, self.found if limit is None else limit),
            "cores": [core.to_dict() for core in self.cores[listed]],
            "loops": [loop.to_dict() for loop in self.top(limit)],
        }

    def to_frame(self) -> pd.DataFrame:
        """One row per loop, in rank order: firms, materials per arc, bottleneck and total
        per dimension."""
        dims = list(self.units)
        records = []
        for loop in self.loops:
            record = {
                "rank": loop.rank,
                "core": loop.core,
                "length": loop.length,
                "kind": loop.kind,
                "firms": " → ".join((*loop.firms, loop.firms[0])),
                "materials": " | ".join(" + ".join(f.material for f in arc) for arc in loop.flows),
            }
            for d in dims:
                record[f"bottleneck_{d}"] = loop.bottleneck.get(d)
            for d in dims:
                record[f"total_{d}"] = loop.total.get(d)
            records.append(record)
        columns = ["rank", "core", "length", "kind", "firms", "materials"]
        columns += [f"bottleneck_{d}" for d in dims] + [f"total_{d}" for d in dims]
        return pd.DataFrame.from_records(records, columns=columns).set_index("rank")

    def cores_frame(self) -> pd.DataFrame:
        """One row per symbiosis core."""
        dims = list(self.units)
        records = [
            {
                "core": core.id,
                "actors": core.size,
                "members": ", ".join(core.members),
                "internal_flows": core.internal_flows,
                **{f"internal_{d}": core.internal.get(d) for d in dims},
                "cyclicity": core.cyclicity,
                "loops": core.loops,
            }
            for core in self.cores
        ]
        columns = ["core", "actors", "members", "internal_flows"]
        columns += [f"internal_{d}" for d in dims] + ["cyclicity", "loops"]
        return pd.DataFrame.from_records(records, columns=columns).set_index("core")


# ====================================================================== network level


def find_loops(
    network: FlowNetwork,
    *,
    max_length: int = 6,
    max_loops: int = 10_000,
    time_budget: float | None = 10.0,
    dimension: str | None = None,
) -> LoopSearch:
    """The symbiosis cores and circular loops of ``network``, ranked by bottleneck.

    ``max_length`` (actors per loop, >= 1), ``max_loops`` (>= 0) and ``time_budget``
    (seconds, > 0, or ``None`` for no limit) bound the search; ``dimension`` restricts
    the graph to flows of one dimension (``mass``, ``energy`` or ``volume``). Bad values
    raise :class:`~symbiosis.errors.InputError`. See the module docstring for the
    definitions, the ranking and the cost.
    """
    check_bounds(max_length, max_loops, time_budget, dimension)
    core = network.core
    ids = network.actors
    keep = core.source_is_actor & core.target_is_actor
    if dimension is not None:
        keep &= core.unit_dimension == DIMENSIONS.index(dimension)
    rows = np.flatnonzero(keep)
    source = core.actor_index[core.source[rows]]
    target = core.actor_index[core.target[rows]]
    n = len(ids)
    structure = network_structure(network, dimension)
    groups = list(structure.components)
    core_of = np.full(n, -1, dtype=np.int64)
    for k, members in enumerate(groups):
        core_of[members] = k
    inner = core_of[source] >= 0
    inner &= core_of[source] == core_of[target]
    order = _search_order(core_of, source[inner], target[inner], len(groups))
    arcs = distinct_sorted(source[inner] * n + target[inner])
    search = _cycles_on_arcs(arcs // n, arcs % n, n, max_length, max_loops, time_budget, order)
    rows, source, target = rows[inner], source[inner], target[inner]
    details = _ArcDetails(network, rows, source, target, n)
    present = tuple(d for d in DIMENSIONS if d in set(details.dimension.tolist()))
    rank_dimension = dimension or (present[0] if present else None)
    in_cores = np.concatenate(groups) if groups else np.zeros(0, dtype=np.int64)
    names = dict(zip(in_cores.tolist(), ids[in_cores].astype(str).tolist(), strict=True))
    ranked = _RankedLoops.of(search.cycles, details, core_of, names, present, rank_dimension)

    # Python numbers throughout: this builds one object per core (100,000 for a network of
    # two-firm exchanges).
    radii = structure.component_cyclicity.tolist()
    per_core = np.bincount(ranked.core - 1, minlength=len(groups)).tolist()
    counts, totals = details.per_core(core_of, len(groups), present)
    counts = counts.tolist()
    totals = {d: (t.tolist(), known.tolist()) for d, (t, known) in totals.items()}
    cores = tuple(
        SymbiosisCore(
            id=k + 1,
            members=tuple(map(names.__getitem__, members.tolist())),
            internal_flows=counts[k],
            internal={d: t[k] for d, (t, known) in totals.items() if known[k]},
            cyclicity=radii[k],
            loops=per_core[k],
        )
        for k, members in enumerate(groups)
    )
    stopped_by = {"max_cycles": "max_loops"}.get(search.stopped_by, search.stopped_by)
    return LoopSearch(
        cores=cores,
        ranked=ranked,
        max_length=max_length,
        max_loops=max_loops,
        time_budget=time_budget,
        dimension=dimension,
        rank_dimension=rank_dimension,
        truncated=search.truncated,
        stopped_by=stopped_by,
        longer_loops_possible=any(len(g) > max_length for g in groups),
        units={d: f"{CANONICAL_UNITS[d]}/yr" for d in present},
    )


def _search_order(core_of, source, target, cores: int) -> np.ndarray:
    """The order in which actors start the search: cores largest first; inside a core,
    actors with the most links in the core first (ties: firms-table order). Removing the
    hubs first leaves later searches a sparse remainder, so the distance searches stay
    small: 4x faster on hub-dominated cores of 8,000 firms than firms-table order."""
    n = len(core_of)
    degree = np.bincount(source, minlength=n) + np.bincount(target, minlength=n)
    core_rank = np.where(core_of >= 0, core_of, cores)
    return np.lexsort((np.arange(n), -degree, core_rank))


def check_bounds(max_length, max_loops, time_budget, dimension) -> None:
    """Raise :class:`~symbiosis.errors.InputError` naming every bad search parameter."""
    problems = []
    if not isinstance(max_length, int | np.integer) or max_length < 1:
        problems.append(f"max_length must be a whole number >= 1 (got {max_length!r})")
    if not isinstance(max_loops, int | np.integer) or max_loops < 0:
        problems.append(f"max_loops must be a whole number >= 0 (got {max_loops!r})")
    if time_budget is not None and not time_budget > 0:
        problems.append(f"time_budget must be > 0 seconds or None (got {time_budget!r})")
    if dimension is not None and dimension not in DIMENSIONS:
        problems.append(f"unknown dimension {dimension!r}; choose from {', '.join(DIMENSIONS)}")
    if problems:
        raise InputError("; ".join(problems))


@dataclass(frozen=True)
class _Arc:
    """What one actor-to-actor arc carries: its flows, their material keys, and per
    dimension the sum of known sizes and whether every flow of that dimension is known."""

    flows: tuple[LoopFlow, ...]
    material_keys: frozenset[str]
    known_sum: dict[str, float]
    complete: dict[str, bool]
    unknown: int


class _ArcDetails:
    """The flows behind each actor-to-actor arc, for describing loops and cores. Each
    arc is described once and cached: loops share arcs."""

    def __init__(self, network: FlowNetwork, rows, source, target, n):
        self.n = n
        keys = source * n + target
        order = np.argsort(keys, kind="stable")
        self.keys = keys[order]
        self.source, self.target = source[order], target[order]
        # Only the flows inside cores are described: take their columns once, by position.
        table = network.flows.iloc[rows[order]]
        self.material = table["material"].astype(str).tolist()
        self.material_key = table["material_key"].astype(str).tolist()
        self.category = table["category"].astype(str).tolist()
        self.dimension = table["dimension"].to_numpy(dtype=object, na_value=None)
        self.value = table["value"].to_numpy(dtype=float)
        # Python values for the loop descriptions: None for an unknown size or row.
        self.values = [None if v != v else v for v in self.value.tolist()]
        rows_column = table["row"] if "row" in table else pd.Series(pd.NA, index=table.index)
        self.file_row = rows_column.astype("Int64").to_numpy(dtype=object, na_value=None)
        distinct, first, counts = np.unique(self.keys, return_index=True, return_counts=True)
        self._spans = dict(
            zip(
                distinct.tolist(),
                zip(first.tolist(), (first + counts).tolist(), strict=True),
                strict=True,
            )
        )
        self._arcs: dict[int, _Arc] = {}

    def flow(self, r: int) -> LoopFlow:
        row = self.file_row[r]
        return LoopFlow(
            material=self.material[r],
            material_key=self.material_key[r],
            category=self.category[r],
            dimension=self.dimension[r],
            value=self.values[r],
            row=None if row is None else int(row),
        )

    def arc(self, u: int, v: int) -> _Arc:
        key = u * self.n + v
        arc = self._arcs.get(key)
        if arc is None:
            start, end = self._spans[key]
            flows = tuple(self.flow(r) for r in range(start, end))
            known_sum: dict[str, float] = {}
            complete: dict[str, bool] = {}
            for f in flows:
                if f.dimension is None:
                    continue
                complete[f.dimension] = complete.get(f.dimension, True) and f.value is not None
                if f.value is not None:
                    known_sum[f.dimension] = known_sum.get(f.dimension, 0.0) + f.value
            arc = _Arc(
                flows=flows,
                material_keys=frozenset(f.material_key for f in flows),
                known_sum=known_sum,
                complete=complete,
                unknown=sum(f.value is None for f in flows),
            )
            self._arcs[key] = arc
        return arc

    def describe(self, cycle, core: int, names: dict[int, str], dimensions) -> dict:
        """The fields of a :class:`Loop` (all but its rank) for one cycle, turned to start
        at the actor that comes first in the firms table."""
        n = len(cycle)
        first = cycle.index(min(cycle))
        cycle = cycle[first:] + cycle[:first]
        arcs = [self.arc(cycle[k], cycle[(k + 1) % n]) for k in range(n)]
        common = frozenset.intersection(*(a.material_keys for a in arcs))
        closes_in = tuple(d for d in dimensions if all(d in a.complete for a in arcs))
        bottleneck = {
            d: min(a.known_sum[d] for a in arcs) if all(a.complete[d] for a in arcs) else None
            for d in closes_in
        }
        total = {}
        for d in dimensions:
            values = [a.known_sum[d] for a in arcs if d in a.known_sum]
            if values:
                total[d] = float(sum(values))
        return {
            "core": core,
            "firms": tuple(names[i] for i in cycle),
            "flows": tuple(a.flows for a in arcs),
            "kind": "closed" if common else "symbiotic",
            "closing_materials": tuple(sorted(common)),
            "closes_in": closes_in,
            "bottleneck": bottleneck,
            "total": total,
            "unknown_flows": sum(a.unknown for a in arcs),
        }

    def bottlenecks(self, cycles, lengths: np.ndarray, dimensions) -> dict[str, np.ndarray]:
        """Per dimension, the bottleneck of each cycle: its smallest arc sum when every arc
        carries flows of that dimension and all of them have a size, else NaN (the rule of
        :meth:`describe`, vectorised over all cycles). O(total length + flows in cores)."""
        if not cycles:
            return {d: np.zeros(0) for d in dimensions}
        first = np.r_[True, self.keys[1:] != self.keys[:-1]]
        arc_of_flow = np.cumsum(first) - 1
        distinct = self.keys[first]
        nodes = np.fromiter(chain.from_iterable(cycles), dtype=np.int64, count=int(lengths.sum()))
        starts = np.r_[0, np.cumsum(lengths)[:-1]]
        following = np.arange(1, len(nodes) + 1)
        following[starts + lengths - 1] = starts  # the last actor delivers to the first
        arc = np.searchsorted(distinct, nodes * self.n + nodes[following])
        unknown = np.isnan(self.value)
        result = {}
        for d in dimensions:
            of_d = self.dimension == d
            count = len(distinct)
            has = np.bincount(arc_of_flow[of_d], minlength=count) > 0
            gaps = np.bincount(arc_of_flow[of_d & unknown], minlength=count) > 0
            known = of_d & ~unknown
            sums = np.bincount(arc_of_flow[known], self.value[known], minlength=count)
            per_arc = np.where(has & ~gaps, sums, np.nan)
            result[d] = np.minimum.reduceat(per_arc[arc], starts)  # NaN if any arc is NaN
        return result

    def per_core(self, core_of: np.ndarray, cores: int, dimensions):
        """Flows inside each core, and per dimension the total of their known sizes with a
        flag saying whether the core has any. O(flows in cores)."""
        core = core_of[self.source]
        counts = np.bincount(core, minlength=cores)
        totals = {}
        for d in dimensions:
            pick = (self.dimension == d) & ~np.isnan(self.value)
            total = np.bincount(core[pick], weights=self.value[pick], minlength=cores)
            totals[d] = (total, np.bincount(core[pick], minlength=cores) > 0)
        return counts, totals


@dataclass(frozen=True, eq=False)
class _RankedLoops:
    """The loops found, ranked without describing them: bottlenecks come from per-arc
    sums (vectorised over every loop); a :class:`Loop` is built only when asked for."""

    cycles: list[list[int]]  # in rank order
    core: np.ndarray  # core id (from 1) of each ranked loop
    details: _ArcDetails
    names: dict[int, str]
    dimensions: tuple[str, ...]

    def __len__(self) -> int:
        return len(self.cycles)

    def loop(self, k: int) -> Loop:
        fields = self.details.describe(
            self.cycles[k], int(self.core[k]), self.names, self.dimensions
        )
        return Loop(rank=k + 1, **fields)

    @classmethod
    def of(cls, cycles, details, core_of, names, dimensions, rank_dimension) -> _RankedLoops:
        """Rank ``cycles`` as the module docstring says: by bottleneck in the rank
        dimension, then in another dimension, then loops with none, shortest first; ties
        in the order found. O(total loop length)."""
        lengths = np.array([len(c) for c in cycles], dtype=np.int64)
        core = core_of[[c[0] for c in cycles]] + 1 if cycles else np.zeros(0, np.int64)
        bottleneck = details.bottlenecks(cycles, lengths, dimensions)
        group = np.full(len(cycles), 2, dtype=np.int64)
        dim_rank = np.zeros(len(cycles), dtype=np.int64)
        size = np.zeros(len(cycles))
        for position, d in reversed(list(enumerate(dimensions))):  # first dimension wins
            known = ~np.isnan(bottleneck[d])
            group[known] = 1
            dim_rank[known] = position
            size[known] = bottleneck[d][known]
        if rank_dimension in bottleneck:
            known = ~np.isnan(bottleneck[rank_dimension])
            group[known], dim_rank[known] = 0, 0
            size[known] = bottleneck[rank_dimension][known]
        order = np.lexsort((np.arange(len(cycles)), lengths, -size, dim_rank, group))
        return cls(
            cycles=[cycles[i] for i in order.tolist()],
            core=core[order],
            details=details,
            names=names,
            dimensions=dimensions,
        )
