"""Bounded enumeration of the simple cycles of a directed graph (the loop search).

Every cycle is found once, from its first-ranked node ``s``: a reverse breadth-first search
of depth ``max_length - 1`` from ``s`` over later nodes gives each node's distance back to
``s``, and the depth-first search steps only onto later nodes that can still close the
cycle within the bound. Bounded by length, count and a time budget; equals
:func:`networkx.simple_cycles` with ``length_bound`` (the test oracle). See
:mod:`symbiosis.analysis.loops` for the cost on industrial networks.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

import numpy as np
import scipy.sparse as sp

from .._sorting import lexorder
from .._sorting import unique as distinct_sorted
from ..arguments import Arguments, short_repr
from ..errors import InputError
from ._linalg import strong_components

__all__ = ["CycleSearch", "simple_cycles"]

# How often (in search steps) the time budget is checked.
_CLOCK_EVERY = 2048
# The work after the search, per arc of the cycles found, charged to the time budget: the
# cycles turned back to node positions (0.15-0.4 us an arc measured on the 100k-flow benchmark,
# 2 shared cores, busy or not). The search stops when the time spent plus this reaches the
# budget: a search that finds cycles faster than they are handled overran its budget by
# the handling (4.5 s for a budget of 1 s: 137,000 loops of up to 50 firms).
TRANSLATE_SECONDS_PER_ARC = 0.3e-6


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
    check = Arguments()
    check.whole("max_length", max_length, minimum=1)
    check.whole("max_cycles", max_cycles, minimum=0, none=True)
    check.number("time_budget", time_budget, above=0, infinite=True, none=True,
                 what=" (seconds)")  # fmt: skip
    check.check()
    matrix = sp.csr_matrix(adjacency)
    if order is not None:
        _check_order(order, matrix.shape[0])
    matrix.eliminate_zeros()
    components = strong_components(matrix)
    coo = matrix.tocoo()
    rows, cols = coo.row.astype(np.int64), coo.col.astype(np.int64)
    inside = components.labels[rows] == components.labels[cols]
    return _cycles_on_arcs(
        rows[inside], cols[inside], matrix.shape[0], max_length, max_cycles, time_budget, order
    )


def _check_order(order: Any, n: int) -> None:
    """``order`` must rank the n nodes: a permutation of 0 .. n - 1. O(n)."""
    ranks = np.asarray(order)
    if (
        ranks.shape != (n,)
        or not np.issubdtype(ranks.dtype, np.integer)
        or not np.array_equal(np.sort(ranks), np.arange(n))
    ):
        shown = short_repr(order)
        raise InputError(f"order must hold each node position 0 .. {n - 1} once (got {shown})")


def _cycles_on_arcs(
    rows,
    cols,
    n,
    max_length,
    max_cycles,
    time_budget,
    order,
    *,
    started: float | None = None,
    seconds_per_arc: float = TRANSLATE_SECONDS_PER_ARC,
) -> CycleSearch:
    """:func:`simple_cycles` on distinct arcs that all lie inside strongly connected
    components (cycles never leave one). The budget runs from ``started`` (a
    ``time.monotonic()``; default now), and ``seconds_per_arc`` of it is kept for each arc
    of the cycles found: the caller's work on them after the search."""
    rank = np.empty(n, dtype=np.int64)
    rank[np.arange(n) if order is None else np.asarray(order)] = np.arange(n)
    # Renumber the nodes on internal arcs by rank so that "later" is "larger index".
    nodes = distinct_sorted(np.concatenate([rows, cols]))
    nodes = nodes[np.argsort(rank[nodes], kind="stable")]
    new = np.full(n, -1, dtype=np.int64)
    new[nodes] = np.arange(len(nodes))
    successors = _adjacency_lists(new[rows], new[cols], len(nodes))
    predecessors = _adjacency_lists(new[cols], new[rows], len(nodes))

    start = time.monotonic() if started is None else started
    deadline = None if time_budget is None else start + time_budget
    search = _Search(successors, predecessors, max_length, max_cycles, deadline, seconds_per_arc)
    for start in range(len(nodes)):
        if not search.from_start(start):
            break
    original = nodes.tolist()
    cycles = [tuple(map(original.__getitem__, cycle)) for cycle in search.cycles]
    return CycleSearch(
        cycles=cycles, truncated=search.stopped_by is not None, stopped_by=search.stopped_by
    )


def _adjacency_lists(tails: np.ndarray, heads: np.ndarray, n: int):
    """Sorted successors of every node as one flat Python list and its bounds (node
    ``v``'s successors are ``heads[bounds[v]:bounds[v + 1]]``): sliced only for the
    nodes the search visits."""
    order = lexorder(heads, tails)
    return heads[order].tolist(), np.searchsorted(tails[order], np.arange(n + 1)).tolist()


def _reaches_on(lists, v: int) -> bool:
    """Whether node ``v`` has a neighbour ``>= v`` in the sorted adjacency ``lists``
    (its largest neighbour is the last). O(1)."""
    heads, bounds = lists
    end = bounds[v + 1]
    return end > bounds[v] and heads[end - 1] >= v


class _Search:
    """State of the bounded cycle search (see :func:`simple_cycles`)."""

    def __init__(self, successors, predecessors, max_length, max_cycles, deadline, per_arc):
        self.successors = successors
        self.predecessors = predecessors
        self.max_length = max_length
        self.max_cycles = max_cycles
        self.deadline = deadline  # time.monotonic() when the search must have stopped
        n = len(successors[1]) - 1
        self.distance = [0] * n
        self.stamp = [-1] * n
        self.on_path = [False] * n
        self.cycles: list[tuple[int, ...]] = []
        self.stopped_by: str | None = None
        self.steps = 0
        self.arcs = 0  # of the cycles found: their handling after the search is budgeted
        self.seconds_per_arc = per_arc

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

    def _out_of_time(self, arcs: int) -> bool:
        """Whether the time spent, and the handling of the ``arcs`` found, reach the
        deadline."""
        if self.deadline is None:
            return False
        if time.monotonic() + arcs * self.seconds_per_arc > self.deadline:
            self.stopped_by = "time_budget"
            return True
        return False

    def from_start(self, start: int) -> bool:
        """Every cycle whose first node is ``start``; False when the search must stop.
        (The inner loop runs once per arc tried: its state is in local names.)"""
        if self._out_of_time(self.arcs):
            return False
        (heads, bounds), stamp, distance = self.successors, self.stamp, self.distance
        if not (_reaches_on(self.successors, start) and _reaches_on(self.predecessors, start)):
            return True  # no arc to or from a later node (or itself): no cycle starts here
        self._distances_back(start)
        on_path, limit = self.on_path, self.max_length
        cycles, most = self.cycles, self.max_cycles
        path = [start]
        on_path[start] = True
        iterators = [iter(heads[bounds[start] : bounds[start + 1]])]
        steps, arcs = self.steps, self.arcs
        try:
            while iterators:
                for w in iterators[-1]:
                    steps += 1
                    if steps % _CLOCK_EVERY == 0 and self._out_of_time(arcs):
                        return False
                    if w == start:
                        if most is not None and len(cycles) >= most:
                            self.stopped_by = "max_cycles"
                            return False
                        cycles.append(tuple(path))
                        arcs += len(path)
                    # only later nodes are stamped with ``start``
                    elif stamp[w] == start and not on_path[w] and len(path) + distance[w] <= limit:
                        path.append(w)
                        on_path[w] = True
                        iterators.append(iter(heads[bounds[w] : bounds[w + 1]]))
                        break
                else:  # every successor tried: step back
                    iterators.pop()
                    on_path[path.pop()] = False
        finally:
            self.steps, self.arcs = steps, arcs
            for v in path:
                on_path[v] = False
        return True
