"""enaR's cycle analysis (``enaCycle``): Finn's cycling split into cycles and cycle
lengths (see :mod:`symbiosis.analysis.ena` for the sources and conventions)."""

from __future__ import annotations

import itertools
import math
from collections import deque
from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components

from ._ena_system import (
    _system,
)

__all__ = ["CYCLE_COUNT_MAX", "CYCLE_NODES_MAX", "CycleAnalysisResult", "cycle_analysis"]

# Largest system for the cycle analysis: enaR's algorithm works on the dense matrix and
# enumerates every simple cycle through each weak arc (exponential in the worst case).
CYCLE_NODES_MAX = 1_000
CYCLE_COUNT_MAX = 2_000_000


# ====================================================================== cycle analysis


@dataclass(frozen=True, eq=False)
class CycleAnalysisResult:
    """Ulanowicz's cycle analysis (enaR ``enaCycle``; NETWRK 4.2).

    ``cycles`` (enaR's ``NCYCS``): simple cycles enumerated; ``nexuses`` (``NNEX``): weak
    arcs removed; ``distribution[k - 1]`` (``CycleDist``): flow removed in cycles of
    ``k`` arcs, ``k = 1..n`` (self-flows are cycles of one arc); ``normalized``
    (``NormDist``): the same over TSTp; ``cycling_index`` (``CI``): the total over TSTp;
    ``residual``: the acyclic flows left (``ResidualFlows``); ``aggregated``: F minus
    residual (``AggregatedCycles``), whose rows and columns balance.
    """

    throughflow_rule: str
    cycles: int
    nexuses: int
    cycling_index: float
    total_system_throughput: float
    distribution: np.ndarray
    residual: sp.csr_matrix = field(repr=False)
    aggregated: sp.csr_matrix = field(repr=False)

    @property
    def normalized(self) -> np.ndarray:
        return self.distribution / self.total_system_throughput

    def to_dict(self) -> dict:
        return {
            "throughflow_rule": self.throughflow_rule,
            "cycles": self.cycles,
            "nexuses": self.nexuses,
            "cycling_index": self.cycling_index,
            "total_system_throughput": self.total_system_throughput,
            "distribution": self.distribution.tolist(),
            "normalized": self.normalized.tolist(),
        }


def cycle_analysis(
    flows,
    inputs,
    outputs,
    *,
    throughflow: str = "inflow",
    max_cycles: int = CYCLE_COUNT_MAX,
) -> CycleAnalysisResult:
    """Ulanowicz's (1983) cycle removal, as enaR's ``enaCycle`` (a port of NETWRK 4.2b)
    does it, step for step:

    1. ``P_ij = F_ij / T_i`` once, from the original flows (``T`` by the rule; enaR:
       inflow).
    2. Nodes with a *cycle arc* (an arc into them from a node they reach, self-loops
       included) are ranked by their number of cycle arcs, ties by position. None left:
       stop.
    3. The *weak arc* is the smallest positive flow between ranked nodes (first in rank
       order on ties). If it is a self-flow, its whole flow is a cycle of length 1.
    4. Otherwise its *nexus* is every simple cycle through the weak arc among the ranked
       nodes reached forward from its head and backward from its tail; enaR's
       reachability sweeps visit nodes in index order and stop after ``n // 2 + 1``
       sweeps, and this port does the same (so a long cycle whose nodes come in an
       unfavourable order can be left out of the nexus, as in enaR). No nexus: the arc
       is set aside until the end and the next weakest taken.
    5. Each cycle ``c`` of the nexus weighs ``w_c = prod P`` over its arcs; the weak arc's
       flow is shared in proportion, ``share_c`` subtracted from every arc of ``c`` and
       ``share_c * len(c)`` added to the cycled flow of length ``len(c)``.

    ``CI = sum(distribution) / TSTp`` with ``TSTp = sum F + sum z + sum y``: the share of
    throughput that is cycled (Ulanowicz's, not Finn's cycling index).

    Complexity: each nexus costs O(n m) for the sweeps plus its cycles times their length;
    the number of simple cycles grows exponentially with connectivity (enaR takes
    minutes on food webs of 30 nodes). Raises ``ValueError`` above
    :data:`CYCLE_NODES_MAX` nodes or once ``max_cycles`` cycles have been enumerated.
    """
    system = _system(flows, inputs, outputs, throughflow)
    n = system.flows.shape[0]
    if n > CYCLE_NODES_MAX:
        raise ValueError(f"cycle analysis is limited to {CYCLE_NODES_MAX:,} nodes, not {n:,}")
    web = system.flows.toarray()
    # Sequential sums, as R's sum (extended-precision accumulation, rounded once).
    if throughflow == "outflow":
        tpts = np.array([math.fsum(web[i]) for i in range(n)]) + system.outputs
    else:  # "inflow"; under "max" z closes each balance, so the inflow is T too
        tpts = np.array([math.fsum(web[:, j]) for j in range(n)]) + system.inputs
    probability = web / tpts[:, None] if n else web
    probability[~np.isfinite(probability)] = 0.0
    state = _CycleState(web=web, probability=probability, max_cycles=max_cycles)
    while state.remove_next_nexus():
        pass
    residual = np.abs(state.web)  # arcs set aside (negated) come back
    total = float(system.flows.sum() + system.inputs.sum() + system.outputs.sum())
    distribution = np.asarray(state.distribution)
    return CycleAnalysisResult(
        throughflow_rule=throughflow,
        cycles=state.cycles,
        nexuses=state.nexuses,
        cycling_index=float(distribution.sum() / total) if total > 0 else 0.0,
        total_system_throughput=total,
        distribution=distribution,
        residual=sp.csr_matrix(residual),
        aggregated=sp.csr_matrix(system.flows.toarray() - residual),
    )


@dataclass(eq=False)
class _CycleState:
    """The mutable state of enaR's cycle removal: ``web`` (arcs set aside are negative)."""

    web: np.ndarray
    probability: np.ndarray
    max_cycles: int
    cycles: int = 0
    nexuses: int = 0
    distribution: list[float] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.distribution = [0.0] * len(self.web)

    def remove_next_nexus(self) -> bool:
        """One pass of enaR's primary loop; False when no cycle is left."""
        ranked = _ranked_cycle_nodes(self.web)
        if not ranked:
            return False
        while True:
            tail, head = _weak_arc(self.web, ranked)
            if tail == head:
                self._remove_self_loop(tail)
                return True
            members, limit = _nexus_members(self.web, ranked, tail, head)
            if limit:
                self._remove_nexus(members, limit, tail, head)
                return True
            self.web[tail, head] = -self.web[tail, head]  # no cycle through it: set aside

    def _remove_self_loop(self, node: int) -> None:
        self.cycles += 1
        self.nexuses += 1
        self.distribution[0] += self.web[node, node]
        self.web[node, node] = 0.0

    def _remove_nexus(self, members: list[int], limit: int, tail: int, head: int) -> None:
        n = len(self.web)
        arcmin = self.web[tail, head]
        weights = np.zeros((n, n))
        by_length = [0.0] * n
        for cycle in _nexus_cycles(self.web, members, limit):
            self.cycles += 1
            if self.cycles > self.max_cycles:
                raise ValueError(f"cycle analysis stopped after {self.max_cycles:,} cycles")
            weight = 1.0
            for a, b in itertools.pairwise(cycle):
                weight = weight * self.probability[a, b]
            arcs = len(cycle) - 1
            for a, b in itertools.pairwise(cycle):
                by_length[arcs - 1] += weight
                weights[a, b] += weight
        pivot = weights[tail, head]
        if pivot <= 0:
            raise ValueError("cycle analysis: a nexus with no weight (enaR prints an error)")
        positive = self.web > 0
        self.web[positive] = self.web[positive] - (weights[positive] / pivot) * arcmin
        for k in range(n):
            self.distribution[k] += (by_length[k] / pivot) * arcmin
        self.web[tail, head] = 0.0
        self.nexuses += 1


def _ranked_cycle_nodes(web: np.ndarray) -> list[int]:
    """Nodes with at least one cycle arc, most first, ties by position (enaR's MAP).

    An arc ``i -> k`` is a cycle arc of ``k`` when ``k`` reaches ``i``, that is when both
    lie in one strongly connected component (or ``i == k``, a self-loop). enaR finds this
    with ``n - 1`` reachability sweeps, which always suffice. O(n + m).
    """
    positive = sp.csr_matrix(web > 0)
    _, labels = connected_components(positive, directed=True, connection="strong")
    coo = positive.tocoo()
    same = labels[coo.row] == labels[coo.col]
    counts = np.bincount(coo.col[same], minlength=len(web))
    order = sorted(range(len(web)), key=lambda k: (-counts[k], k))
    return [k for k in order if counts[k] > 0]


def _weak_arc(web: np.ndarray, ranked: list[int]) -> tuple[int, int]:
    """The smallest positive arc between ranked nodes; the first in rank order wins ties
    (enaR's strict ``<`` scan, rows outer)."""
    block = web[np.ix_(ranked, ranked)]
    masked = np.where(block > 0, block, np.inf)
    if not np.isfinite(masked).any():
        raise ValueError("cycle analysis: no arc left between nodes on cycles")
    flat = int(np.argmin(masked))  # first minimum in row-major order = enaR's scan
    row, col = divmod(flat, len(ranked))
    return ranked[row], ranked[col]


def _sweep_reach(web: np.ndarray, start: int, forward: bool) -> np.ndarray:
    """Nodes marked by enaR's ``n // 2 + 1`` Gauss-Seidel reachability sweeps from
    ``start`` (forward: along arcs; backward: against them).

    In a sweep nodes are visited in index order and a node is marked when an arc joins it
    to a marked node, marked in an earlier sweep or earlier in this one. So the sweep at
    which node ``i`` is marked is a 0-1 shortest path: an arc from ``j`` costs nothing
    when ``j < i`` and ``j`` is not the start (``i`` is then marked in ``j``'s sweep), one
    sweep otherwise. O(n + m) by 0-1 breadth-first search.
    """
    n = len(web)
    arcs = web > 0 if forward else (web > 0).T
    sweeps = np.full(n, np.iinfo(np.int64).max)
    sweeps[start] = 0
    queue = deque([start])
    while queue:
        j = queue.popleft()
        for i in np.flatnonzero(arcs[j]):
            cost = sweeps[j] if (j < i and j != start) else sweeps[j] + 1
            if cost < sweeps[i]:
                sweeps[i] = cost
                if cost == sweeps[j]:
                    queue.appendleft(i)
                else:
                    queue.append(i)
    return sweeps <= n // 2 + 1


def _nexus_members(
    web: np.ndarray, ranked: list[int], tail: int, head: int
) -> tuple[list[int], int]:
    """enaR's MAP2: ``tail``, ``head``, then the other ranked nodes that are reached from
    ``head`` and reach ``tail``, in rank order; and how many of them the backtracking may
    step on (enaR's ``NSTP2``, the number of such nodes; 0: no nexus). The two counts
    differ only when the bounded sweeps find one end of the weak arc and not the other,
    and enaR then cuts the list at ``NSTP2``; so does this port."""
    forward = _sweep_reach(web, head, forward=True)
    backward = _sweep_reach(web, tail, forward=False)
    common = [k for k in ranked if forward[k] and backward[k]]
    return [tail, head, *[k for k in common if k not in (tail, head)]], len(common)


def _nexus_cycles(web: np.ndarray, members: list[int], limit: int):
    """Every simple cycle ``tail -> head -> ... -> tail`` through the first ``limit``
    members, depth first in member order (enaR's backtracking), as node lists closing on
    the first node."""
    positive = web[np.ix_(members, members)] > 0
    positive[:, limit:] = False
    path = [0, 1]
    on_path = {0, 1}
    # An explicit stack of candidate iterators: cycles can be as long as the nexus.
    stack = [iter(np.flatnonzero(positive[1]).tolist())]
    while len(stack):
        candidate = next(stack[-1], None)
        if candidate is None:
            stack.pop()
            on_path.discard(path.pop())
            continue
        if candidate == 0:
            yield [members[k] for k in path] + [members[0]]
        elif candidate not in on_path:
            path.append(candidate)
            on_path.add(candidate)
            stack.append(iter(np.flatnonzero(positive[candidate]).tolist()))
