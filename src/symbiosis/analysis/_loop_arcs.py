"""The flows behind each actor-to-actor arc of the loop search, and the loops ranked from
per-arc sums: bottlenecks vectorised over every loop, a :class:`Loop` described only when
it is read."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import chain

import numpy as np

from .._frozen import FrozenDict
from .._sorting import lexorder
from ..model import FlowNetwork
from ..units import DIMENSIONS
from ..vocabulary import CATEGORIES
from .loop_results import Loop, LoopFlow

__all__ = ["ArcDetails", "RankedLoops"]

# A flow's dimension by its unit's code (-1, a unit of no dimension: None).
_DIMENSION_NAMES = np.array([*DIMENSIONS, None], dtype=object)


@dataclass(frozen=True)
class _Arc:
    """What one actor-to-actor arc carries: its flows, their material keys, per dimension
    the sum of known sizes, the dimensions of its flows and those whose every flow has a
    size (sets, so that a loop's are intersections)."""

    flows: tuple[LoopFlow, ...]
    material_keys: frozenset[str]
    known_sum: dict[str, float]
    carried: frozenset[str]
    sized: frozenset[str]
    unknown: int

    @classmethod
    def of(cls, flows: tuple[LoopFlow, ...]) -> _Arc:
        known_sum: dict[str, float] = {}
        carried, gaps = set(), set()
        for f in flows:
            if f.dimension is None:
                continue
            carried.add(f.dimension)
            if f.value is None:
                gaps.add(f.dimension)
            else:
                known_sum[f.dimension] = known_sum.get(f.dimension, 0.0) + f.value
        return cls(
            flows=flows,
            material_keys=frozenset(f.material_key for f in flows),
            known_sum=known_sum,
            carried=frozenset(carried),
            sized=frozenset(carried - gaps),
            unknown=sum(f.value is None for f in flows),
        )


class ArcDetails:
    """The flows behind each actor-to-actor arc, for describing loops and cores. Each
    arc is described once and cached: loops share arcs."""

    def __init__(self, network: FlowNetwork, rows, source, target, n):
        self.n = n
        keys = source * n + target
        order = np.argsort(keys, kind="stable")
        self.keys = keys[order]
        self.source, self.target = source[order], target[order]
        # The flows inside cores, in arc order: their dimensions and sizes as arrays (the
        # per-arc sums read them all); their texts are decoded from the core's codes only
        # for the flows of the arcs described (a few thousand of the 62,000 flows in the
        # cores at 1M flows: 0.04 s of pandas columns made into lists before).
        core = self._core = network.core
        self._flow_rows = rows[order]
        self.dimension = _DIMENSION_NAMES[core.unit_dimension[self._flow_rows]]
        self.value = core.value[self._flow_rows]
        flows = network.flows
        self._file_rows = flows["row"] if "row" in flows.columns else None
        # each distinct arc's first flow (keys sorted), found by bisection when the arc is
        # described: a dict of every arc took longer than the loops described
        first = np.flatnonzero(np.r_[True, self.keys[1:] != self.keys[:-1]])
        first = first[first < len(self.keys)]  # no arc at all: no span
        self._distinct, self._bounds = self.keys[first], np.r_[first, len(self.keys)]
        self._arcs: dict[int, _Arc] = {}

    def flows(self, rows: np.ndarray) -> list[LoopFlow]:
        """The flows at positions ``rows``: each column read once for all of them (six
        reads of numpy scalars per flow cost more than building the flows)."""
        core, at = self._core, self._flow_rows[rows]
        if self._file_rows is None:
            file_rows = [None] * len(at)
        else:
            chosen = self._file_rows.iloc[at].astype("Int64")
            file_rows = chosen.to_numpy(dtype=object, na_value=None).tolist()
        return [
            LoopFlow(
                material=material,
                material_key=key,
                category=CATEGORIES[category],
                dimension=dimension,
                value=None if value != value else value,  # None: unknown (NaN)
                row=None if row is None else int(row),
            )
            for material, key, category, dimension, value, row in zip(
                core.materials[core.material_code[at]].tolist(),
                core.material_keys[core.material_key_code[at]].tolist(),
                core.category[at].tolist(),
                self.dimension[rows].tolist(),
                self.value[rows].tolist(),
                file_rows,
                strict=True,
            )
        ]

    def arc(self, u: int, v: int) -> _Arc:
        key = u * self.n + v
        arc = self._arcs.get(key)
        if arc is None:
            self.prepare(np.array([key], dtype=np.int64))
            arc = self._arcs[key]
        return arc

    def prepare(self, keys: np.ndarray) -> None:
        """Describe the arcs of ``keys`` (``source * n + target``) not described yet, all
        at once: one search and one read of each column for all their flows (a search
        per arc cost more than describing it). KeyError for a pair that is no arc.
        O(k log arcs + their flows)."""
        keys = np.unique(keys)
        keys = keys[[key not in self._arcs for key in keys.tolist()]]
        at = np.searchsorted(self._distinct, keys)
        found = at < len(self._distinct)
        found[found] = self._distinct[at[found]] == keys[found]
        if not found.all():
            raise KeyError(int(keys[~found][0]))
        starts, ends = self._bounds[at], self._bounds[at + 1]
        lengths = ends - starts
        rows = np.arange(int(lengths.sum())) + np.repeat(
            starts - np.cumsum(lengths) + lengths, lengths
        )
        flows = self.flows(rows)
        edges = np.r_[0, np.cumsum(lengths)].tolist()
        for k, key in enumerate(keys.tolist()):
            self._arcs[key] = _Arc.of(tuple(flows[edges[k] : edges[k + 1]]))

    def prepare_cycles(self, cycles) -> None:
        """Describe at once every arc of ``cycles`` (see :meth:`prepare`)."""
        if cycles:
            lengths = np.fromiter(map(len, cycles), dtype=np.int64, count=len(cycles))
            nodes, following = _arc_ends(cycles, lengths)
            self.prepare(nodes * self.n + nodes[following])

    def describe(self, cycle, core: int, names: dict[int, str], dimensions) -> dict:
        """The fields of a :class:`Loop` (all but its rank) for one cycle, turned to start
        at the actor that comes first in the firms table."""
        first = cycle.index(min(cycle))
        cycle = cycle[first:] + cycle[:first]
        arcs = [self.arc(u, v) for u, v in zip(cycle, cycle[1:] + cycle[:1], strict=True)]
        common = frozenset.intersection(*[a.material_keys for a in arcs])
        carried = frozenset.intersection(*[a.carried for a in arcs])
        sized = frozenset.intersection(*[a.sized for a in arcs])
        closes_in = tuple(d for d in dimensions if d in carried)
        # a bottleneck where every flow of the dimension on every arc has a size
        bottleneck = {
            d: min([a.known_sum[d] for a in arcs]) if d in sized else None for d in closes_in
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
            "bottleneck": FrozenDict(bottleneck),  # read-only, as a result's dicts
            "total": FrozenDict(total),
            "unknown_flows": sum(a.unknown for a in arcs),
        }

    def bottlenecks(self, cycles, lengths: np.ndarray, dimensions) -> dict[str, np.ndarray]:
        """Per dimension, the bottleneck of each cycle: its smallest arc sum when every arc
        carries flows of that dimension and all of them have a size, else NaN (the rule of
        :meth:`describe`, vectorised over all cycles). O(total length + flows in cores)."""
        if not cycles:
            return {d: np.zeros(0) for d in dimensions}
        arc_of_flow, count, arc, starts = self._cycle_arcs(cycles, lengths)
        unknown = np.isnan(self.value)
        result = {}
        for d in dimensions:
            of_d = self.dimension == d
            has = np.bincount(arc_of_flow[of_d], minlength=count) > 0
            gaps = np.bincount(arc_of_flow[of_d & unknown], minlength=count) > 0
            known = of_d & ~unknown
            sums = np.bincount(arc_of_flow[known], self.value[known], minlength=count)
            per_arc = np.where(has & ~gaps, sums, np.nan)
            result[d] = np.minimum.reduceat(per_arc[arc], starts)  # NaN if any arc is NaN
        return result

    def carried(self, cycles, lengths: np.ndarray, dimensions) -> dict[str, np.ndarray]:
        """Per dimension, whether each cycle closes in it: every arc carries a flow of that
        dimension (the ``closes_in`` of :meth:`describe`, vectorised over all cycles).
        O(total length + flows in cores)."""
        if not cycles:
            return {d: np.zeros(0, dtype=bool) for d in dimensions}
        arc_of_flow, count, arc, starts = self._cycle_arcs(cycles, lengths)
        result = {}
        for d in dimensions:
            has = np.bincount(arc_of_flow[self.dimension == d], minlength=count) > 0
            result[d] = np.logical_and.reduceat(has[arc], starts)
        return result

    def _cycle_arcs(
        self, cycles, lengths: np.ndarray
    ) -> tuple[np.ndarray, int, np.ndarray, np.ndarray]:
        """For the per-arc sums over ``cycles`` (not empty): each flow's arc (arcs in key
        order), the number of arcs, the arc of each step of every cycle (end to end), and
        where each cycle starts among the steps. O(total length + flows in cores)."""
        first = np.r_[True, self.keys[1:] != self.keys[:-1]]
        arc_of_flow = np.cumsum(first) - 1
        distinct = self.keys[first]
        nodes, following = _arc_ends(cycles, lengths)
        arc = np.searchsorted(distinct, nodes * self.n + nodes[following])
        starts = np.r_[0, np.cumsum(lengths)[:-1]]
        return arc_of_flow, len(distinct), arc, starts

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


def _arc_ends(cycles, lengths: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The actors of all ``cycles`` end to end, and for each the position of the actor
    it delivers to (the next one; the cycle's first for its last). O(total length)."""
    nodes = np.fromiter(chain.from_iterable(cycles), dtype=np.int64, count=int(lengths.sum()))
    starts = np.r_[0, np.cumsum(lengths)[:-1]]
    following = np.arange(1, len(nodes) + 1)
    following[starts + lengths - 1] = starts  # the last actor delivers to the first
    return nodes, following


@dataclass(frozen=True, eq=False)
class RankedLoops:
    """The loops found, ranked without describing them: bottlenecks come from per-arc
    sums (vectorised over every loop); a :class:`Loop` is built only when asked for."""

    cycles: list[list[int]]  # in rank order
    core: np.ndarray  # core id (from 1) of each ranked loop
    details: ArcDetails
    names: dict[int, str]
    dimensions: tuple[str, ...]
    rank_dimension: str | None = None  # the dimension of the ranking's first group

    def __len__(self) -> int:
        return len(self.cycles)

    def fitting(self, count: int, arcs: int) -> int:
        """How many of the first ``count`` loops fit in ``arcs`` arcs in all (at least one
        when there is a loop)."""
        lengths = np.fromiter((len(c) for c in self.cycles[:count]), dtype=np.int64)
        fits = int(np.searchsorted(np.cumsum(lengths), arcs, side="right"))
        return max(fits, min(1, len(lengths)))

    def top(self, count: int) -> list[Loop]:
        """The first ``count`` loops, their arcs described together (see
        :meth:`ArcDetails.prepare`)."""
        self.details.prepare_cycles(self.cycles[:count])
        return [self.loop(k) for k in range(min(count, len(self.cycles)))]

    def closes_in(self) -> dict[str, np.ndarray]:
        """Per dimension, whether each loop (in rank order) closes in it: the
        :attr:`Loop.closes_in` of every loop without describing them."""
        lengths = np.fromiter(map(len, self.cycles), dtype=np.int64, count=len(self.cycles))
        return self.details.carried(self.cycles, lengths, self.dimensions)

    def firms(self) -> list[tuple[str, ...]]:
        """The :attr:`Loop.firms` of every loop in rank order (each turned to start at the
        actor first in the firms table), without describing them."""
        turned = ((c, c.index(min(c))) for c in self.cycles)
        return [tuple(self.names[i] for i in c[k:] + c[:k]) for c, k in turned]

    def loop(self, k: int) -> Loop:
        fields = self.details.describe(
            self.cycles[k], int(self.core[k]), self.names, self.dimensions
        )
        return Loop(rank=k + 1, **fields)

    @classmethod
    def of(cls, cycles, details, core_of, names, dimensions, rank_dimension) -> RankedLoops:
        """Rank ``cycles`` as the module docstring says: by bottleneck in the rank
        dimension, then in another dimension, then loops with none, shortest first; ties
        in the order found. ``rank_dimension`` None: the first of ``dimensions`` in which
        a loop has a bottleneck (else the first of them), so that the ranking is said to
        be by the bottlenecks it is by. O(total loop length)."""
        lengths = np.array([len(c) for c in cycles], dtype=np.int64)
        core = core_of[[c[0] for c in cycles]] + 1 if cycles else np.zeros(0, np.int64)
        bottleneck = details.bottlenecks(cycles, lengths, dimensions)
        if rank_dimension is None:
            known = [d for d in dimensions if not np.isnan(bottleneck[d]).all()]
            rank_dimension = (known or [*dimensions, None])[0]
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
        order = lexorder(np.arange(len(cycles)), lengths, -size, dim_rank, group)
        return cls(
            cycles=[cycles[i] for i in order.tolist()],
            core=core[order],
            details=details,
            names=names,
            dimensions=dimensions,
            rank_dimension=rank_dimension,
        )
