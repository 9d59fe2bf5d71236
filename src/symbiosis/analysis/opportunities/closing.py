"""Which new links close a loop: a link ``u -> v`` between actors closes one when ``v``
already reaches ``u``; the loop reported is the shortest, as a breadth-first search from
``v`` finds it (neighbours in ascending order, the first discoverer as predecessor).

Two searches find that same path:

- one numpy step per level, pruned by the condensation of the actor graph (strongly
  connected components in reverse topological order, computed once per network and
  shared with the other passes,
  :func:`~symbiosis.analysis._condensation.network_condensation`): a node whose
  component label is below ``u``'s cannot reach ``u``. Pruning nodes that cannot reach
  ``u`` changes neither the search order of the others nor the path found. It stops as
  soon as ``u`` is found: a short loop costs a few levels, whatever the graph's size.
- scipy's compiled ``breadth_first_order`` over everything ``v`` reaches, unpruned:
  O(a + m), a few milliseconds at a million flows.

The numpy search runs first, for at most :data:`_LEVELS` levels; a longer path is left to
the compiled search. Where receivers are hubs (a network without coordinates, whose
receivers are the largest actors), loops run through a hundred firms or more: the numpy
search alone took 2.0 s for the cumulative impact at a million flows (128 searches of
20-150 ms), 0.2 s now. Short loops (a park's, a few firms) stay on the numpy search,
which finds them in a millisecond where the compiled one would visit all that ``v``
reaches.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

import numpy as np

from ...model import FlowNetwork
from .._condensation import network_condensation

if TYPE_CHECKING:
    import scipy.sparse as sp

__all__ = ["ActorGraph", "shortest_path", "with_links"]

# Levels of the numpy search before the compiled search takes over: a level costs 0.1-0.3
# ms, a compiled search of a million-flow graph 3-7 ms.
_LEVELS = 16
_TOO_DEEP = "too deep"  # the numpy search's answer past _LEVELS levels


@dataclass(frozen=True, eq=False)
class ActorGraph:
    """The binary actor graph of a network (the core's CSR matrix) with its condensation
    labels. Node arguments are node positions of the network."""

    network: FlowNetwork

    @cached_property
    def _csr(self):
        return self.network.core.matrix(None, actors_only=True)

    @cached_property
    def _labels(self) -> np.ndarray:
        return network_condensation(self.network, None).labels

    def prepare(self) -> None:
        """Build the matrix and labels that every search reads (else on first use)."""
        _ = self._csr, self._labels

    def _actor(self, node: int) -> int:
        return int(self.network.core.actor_index[node])

    def has_edge(self, source: int, target: int) -> bool:
        """Whether a flow runs from actor ``source`` to actor ``target``. O(log degree)."""
        u, v = self._actor(source), self._actor(target)
        if u < 0 or v < 0:
            return False
        row = self._csr.indices[self._csr.indptr[u] : self._csr.indptr[u + 1]]
        return bool(np.any(row == v))

    def loop(self, source, target, *, extra=(), new_only=True) -> tuple[str, ...] | None:
        """The shortest loop a link ``source -> target`` closes, as firm ids from the
        source: the path target -> ... -> source, prefixed by source. ``None`` if the
        target cannot reach the source, or (``new_only``) if the link already exists.
        ``extra`` adds links (pairs of node positions) to the graph. O(a + m) at worst,
        only the part of the graph that can still reach the source for a short loop."""
        u, v = self._actor(source), self._actor(target)
        if u < 0 or v < 0 or (new_only and self.has_edge(source, target)):
            return None
        added = [(self._actor(a), self._actor(b)) for a, b in extra]
        added = [(a, b) for a, b in added if a >= 0 and b >= 0]
        path = self._search(v, u, added)
        if path is None:
            return None
        actors = self.network.core.actor_nodes
        return tuple(str(self.network.core.ids[actors[i]]) for i in (u, *path[:-1]))

    def _search(self, start: int, goal: int, added) -> list[int] | None:
        """The path start -> ... -> goal of the breadth-first search (module docstring),
        or None: by levels within the tightest label bound, or, past :data:`_LEVELS`
        levels, by the compiled search."""
        bound = self._bound(goal, added)
        if bound is not None:
            path = self._by_levels(start, goal, added, bound)
            if path is not _TOO_DEEP:
                return path
        return shortest_path(self._graph(added), start, goal)

    def _bound(self, goal: int, added) -> int | None:
        """The smallest label of a node that can reach ``goal`` once ``added`` links are
        in the graph: a link a -> b whose end b reaches the goal (searched within the
        current bound) lowers the bound to a's label; repeated until nothing changes,
        so a chain of added links is followed too. Labels alone would only say that b
        might reach the goal, and a search bounded that loosely can span the graph.
        None when one of these searches goes past :data:`_LEVELS` levels: the compiled
        search, unpruned, needs no bound."""
        labels, bound = self._labels, int(self._labels[goal])
        changed = True
        while changed:
            changed = False
            for a, b in added:
                if not labels[b] >= bound > labels[a]:
                    continue
                reached = self._by_levels(b, goal, added, bound)
                if reached is _TOO_DEEP:
                    return None
                if reached is not None:
                    bound, changed = int(labels[a]), True
        return bound

    def _by_levels(self, start: int, goal: int, added, bound: int):
        """Breadth-first search from ``start`` to ``goal``, one numpy step per level,
        through nodes of label >= ``bound``: the path start -> ... -> goal, None, or
        :data:`_TOO_DEEP` when the goal is not found within :data:`_LEVELS` levels.
        Neighbours in ascending order and the first discoverer as predecessor, as a
        queue-based search."""
        csr, labels = self._csr, self._labels
        if labels[start] < bound:
            return None
        extra_from = np.array([a for a, _ in added], dtype=np.int64)
        extra_to = np.array([b for _, b in added], dtype=np.int64)
        sends = np.zeros(csr.shape[0], dtype=bool)  # the added links' senders, marked once
        sends[extra_from] = True
        seen = np.zeros(csr.shape[0], dtype=bool)
        predecessor = np.full(csr.shape[0], -1, dtype=np.int64)
        seen[start] = True
        frontier = np.array([start], dtype=np.int64)
        for _ in range(_LEVELS):
            if not len(frontier) or seen[goal]:
                break
            parent, child = _neighbours(csr, frontier, (extra_from, extra_to, sends))
            fresh = ~seen[child] & (labels[child] >= bound)
            parent, child = parent[fresh], child[fresh]
            child, first = np.unique(child, return_index=True)
            order = np.argsort(first)  # discovery order
            child, parent = child[order], parent[first[order]]
            seen[child] = True
            predecessor[child] = parent
            frontier = child
        if not seen[goal]:
            return _TOO_DEEP if len(frontier) else None
        path = [goal]
        while path[-1] != start:
            path.append(int(predecessor[path[-1]]))
        return path[::-1]

    def _graph(self, added) -> sp.csr_matrix:
        """The actor graph with the ``added`` links (actor numbers), built once per set of
        links (the cumulative impact asks with one set, for every link). O(m)."""
        if not added:
            return self._csr
        key = tuple(sorted(set(added)))
        cache = self.__dict__.setdefault("_graphs", {})
        if key not in cache:
            cache.clear()  # one set at a time: each is a copy of the graph
            cache[key] = with_links(self._csr, key)
        return cache[key]


def _neighbours(csr, frontier, extra):
    """(parent, child) for every arc out of the frontier, in queue order: frontier
    order, then ascending child (extra links merged in). ``extra`` is the extra links'
    senders, receivers, and a mark per node of the senders (read, not searched: an
    ``np.isin`` per level cost 0.1 ms)."""
    extra_from, extra_to, sends = extra
    begin, end = csr.indptr[frontier], csr.indptr[frontier + 1]
    count = end - begin
    rank = np.repeat(np.arange(len(frontier)), count)
    offset = np.arange(int(count.sum())) - np.repeat(np.cumsum(count) - count, count)
    child = csr.indices[np.repeat(begin, count) + offset].astype(np.int64)
    if len(extra_from):
        at = np.flatnonzero(sends[frontier])  # few: the new links' senders
        if len(at):
            sender = np.repeat(at, [np.count_nonzero(extra_from == frontier[i]) for i in at])
            receiver = np.concatenate([extra_to[extra_from == frontier[i]] for i in at])
            rank, child = np.r_[rank, sender], np.r_[child, receiver]
            order = np.lexsort((child, rank))
            rank, child = rank[order], child[order]
    return frontier[rank], child


def with_links(csr, links) -> sp.csr_matrix:
    """The binary graph ``csr`` with the arcs ``links`` (pairs of node numbers) added,
    indices sorted. O(m + k)."""
    import scipy.sparse as sp

    source, target = np.array(links, dtype=np.int64).reshape(-1, 2).T
    rows = np.repeat(np.arange(csr.shape[0]), np.diff(csr.indptr))
    graph = sp.csr_matrix(
        (np.ones(csr.nnz + len(source)), (np.r_[rows, source], np.r_[csr.indices, target])),
        shape=csr.shape,
    )
    graph.sum_duplicates()  # sorts the indices too
    graph.data[:] = 1.0
    return graph


def shortest_path(csr, start: int, goal: int) -> list[int] | None:
    """The path start -> ... -> goal that a breadth-first search from ``start`` finds,
    visiting each node's neighbours in ascending order (``csr`` has sorted indices) and
    keeping the first discoverer as predecessor (``[start]`` when ``goal`` is ``start``);
    None if ``goal`` is not reached. scipy's compiled search, over every node ``start``
    reaches: O(a + m)."""
    from scipy.sparse.csgraph import breadth_first_order

    if start == goal:
        return [start]
    _, predecessor = breadth_first_order(csr, start, directed=True, return_predecessors=True)
    if predecessor[goal] < 0:
        return None
    path = [goal]
    while path[-1] != start:
        path.append(int(predecessor[path[-1]]))
    return path[::-1]
