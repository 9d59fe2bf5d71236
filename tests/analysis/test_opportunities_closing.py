"""The loop search of the opportunities' impact (closing.py): its per-level neighbours, and
both searches against a plain queue search."""

from __future__ import annotations

from collections import deque

import networkx as nx
import numpy as np
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from symbiosis.analysis.opportunities import closing


def _plain_neighbours(csr, frontier, extra_from, extra_to):
    """The neighbours the plain way: the extra links' senders found by np.isin."""
    begin, end = csr.indptr[frontier], csr.indptr[frontier + 1]
    count = end - begin
    rank = np.repeat(np.arange(len(frontier)), count)
    offset = np.arange(int(count.sum())) - np.repeat(np.cumsum(count) - count, count)
    child = csr.indices[np.repeat(begin, count) + offset].astype(np.int64)
    at = np.flatnonzero(np.isin(frontier, extra_from))
    if len(at):
        sender = np.repeat(at, [np.count_nonzero(extra_from == frontier[i]) for i in at])
        receiver = np.concatenate([extra_to[extra_from == frontier[i]] for i in at])
        rank, child = np.r_[rank, sender], np.r_[child, receiver]
        order = np.lexsort((child, rank))
        rank, child = rank[order], child[order]
    return frontier[rank], child


@settings(max_examples=150, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    n=st.integers(1, 60),
    arcs=st.integers(0, 200),
    extras=st.integers(0, 6),
)
def test_neighbours_with_marked_senders_are_the_plain_ones(seed, n, arcs, extras):
    rng = np.random.default_rng(seed)
    source, target = rng.integers(0, n, arcs), rng.integers(0, n, arcs)
    csr = sp.csr_matrix((np.ones(arcs), (source, target)), shape=(n, n))
    csr.sum_duplicates()
    csr.sort_indices()
    extra_from, extra_to = rng.integers(0, n, extras), rng.integers(0, n, extras)
    sends = np.zeros(n, dtype=bool)
    sends[extra_from] = True
    frontier = np.unique(rng.integers(0, n, rng.integers(1, n + 1)))
    rng.shuffle(frontier)
    fast = closing._neighbours(csr, frontier, (extra_from, extra_to, sends))
    plain = _plain_neighbours(csr, frontier, extra_from, extra_to)
    for got, want in zip(fast, plain, strict=True):
        np.testing.assert_array_equal(got, want)


def _queue_search(n, arcs, start, goal):
    """The reference: a queue-based breadth-first search, neighbours in ascending order,
    the first discoverer as predecessor; the path start -> ... -> goal or None."""
    out = {i: sorted({b for a, b in arcs if a == i}) for i in range(n)}
    predecessor, queue, seen = {}, deque([start]), {start}
    while queue:
        node = queue.popleft()
        for child in out[node]:
            if child not in seen:
                seen.add(child)
                predecessor[child] = node
                queue.append(child)
    if goal not in seen:
        return None
    path = [goal]
    while path[-1] != start:
        path.append(predecessor[path[-1]])
    return path[::-1]


def _graph(n, arcs):
    source, target = (np.array([a[i] for a in arcs], dtype=np.int64) for i in (0, 1))
    csr = sp.csr_matrix((np.ones(len(arcs)), (source, target)), shape=(n, n))
    csr.sum_duplicates()
    csr.data[:] = 1.0
    return csr


def _labels(csr) -> np.ndarray:
    """Component labels in reverse topological order (a node reaches only nodes of a
    label no larger than its own), as the condensation gives them."""
    graph = nx.DiGraph(csr)
    graph.add_nodes_from(range(csr.shape[0]))
    condensed = nx.condensation(graph)
    order = list(nx.topological_sort(condensed))
    rank = {c: len(order) - 1 - i for i, c in enumerate(order)}
    return np.array([rank[condensed.graph["mapping"][i]] for i in range(csr.shape[0])])


class _Graph(closing.ActorGraph):
    """An ActorGraph on a bare CSR matrix and its labels (no network)."""

    def __init__(self, csr, labels):
        object.__setattr__(self, "network", None)
        self.__dict__.update(_csr=csr, _labels=labels)


@st.composite
def _searches(draw):
    n = draw(st.integers(2, 40))
    node = st.integers(0, n - 1)
    arcs = draw(st.lists(st.tuples(node, node), max_size=120))
    # a long chain too, so that some paths run past the numpy search's levels
    if draw(st.booleans()):
        arcs += [(i, i + 1) for i in range(n - 1)]
    added = draw(st.lists(st.tuples(node, node), max_size=5))
    return n, arcs, added, draw(node), draw(node)


@settings(max_examples=300, deadline=None)
@given(case=_searches(), levels=st.sampled_from([1, 2, 16]))
def test_the_loop_search_finds_the_queue_searchs_path(case, levels):
    """Both searches (by levels within the label bound, and the compiled one past
    ``levels`` levels) give the path of a plain queue search of the graph with the
    added links."""
    n, arcs, added, start, goal = case
    csr = _graph(n, arcs)
    graph = _Graph(csr, _labels(csr))
    want = _queue_search(n, arcs + added, start, goal)
    old = closing._LEVELS
    closing._LEVELS = levels
    try:
        got = graph._search(start, goal, added)
    finally:
        closing._LEVELS = old
    assert got == want
    assert closing.shortest_path(closing.with_links(csr, added) if added else csr,
                                 start, goal) == want  # fmt: skip
