"""A step of :mod:`.reconcile_linalg`: the estimates of the observable unmeasured flows
(bridges of the graph of unmeasured flows). (Balances within a tolerance and flows kept
>= 0 are a quadratic program: :mod:`.reconcile_bounds`.)

References
----------
Tarjan, R.E. 1974. A note on finding the bridges of a graph. Information Processing
Letters 2(6): 160-161.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import numpy as np
import scipy.sparse as sp
from scipy.sparse import csgraph

if TYPE_CHECKING:
    from .reconcile_linalg import Problem

__all__ = ["bridges", "estimate_bridges"]


def bridges(tail: np.ndarray, head: np.ndarray, n_nodes: int) -> np.ndarray:
    """Mask of the edges ``tail[i] - head[i]`` (undirected, parallel edges allowed) that
    are bridges: on no cycle. O(edges + nodes) by networkx's chain decomposition, parallel
    edges being on a cycle of two."""
    import networkx as nx

    if not len(tail):
        return np.zeros(0, dtype=bool)
    low, high = np.minimum(tail, head), np.maximum(tail, head)
    pair = low * n_nodes + high
    unique, inverse, counts = np.unique(pair, return_inverse=True, return_counts=True)
    graph = nx.Graph()
    low, high = (unique // n_nodes).tolist(), (unique % n_nodes).tolist()
    graph.add_edges_from(zip(low, high, strict=True))
    found = {tuple(sorted(edge)) for edge in nx.bridges(graph)}
    simple = np.array([(int(u // n_nodes), int(u % n_nodes)) in found for u in unique])
    return (simple & (counts == 1))[inverse]


def estimate_bridges(
    problem: Problem,
    kind: np.ndarray,
    reconciled: np.ndarray,
    reconciled_sd: np.ndarray,
    reduced: tuple[Any, np.ndarray, Callable, Any],
) -> None:
    """Estimate each observable unmeasured flow (a bridge of the unmeasured graph) from the
    balance of the side of the bridge that does not hold the environment, with its
    standard deviation; in place. ``reduced`` is ``(system, kept rows, solver of S, its
    selected inverse or None)``.

    The side ``P`` of bridge ``e`` is the set of keys whose blob (2-edge-connected part of
    the unmeasured graph) lies below ``e`` in the bridge tree rooted at the environment:
    ``x_e = -s_e sum_f C[f, e] x_f`` with ``C[f, e] = [head_f in P] - [tail_f in P]`` over
    the known flows and ``s_e = +1`` when ``e`` enters ``P``. Complexity: O(f + k * depth)
    for k bridges, plus their quadratic forms for the variances
    (:func:`.reconcile_selinv.variance_taken`).
    """
    from .reconcile_linalg import ADJUSTED, FIXED, NOT_REDUNDANT, UNOBSERVABLE
    from .reconcile_selinv import variance_taken

    unmeasured = np.flatnonzero(kind == UNOBSERVABLE)
    is_bridge = bridges(problem.tail[unmeasured], problem.head[unmeasured], problem.n_keys)
    edges = unmeasured[is_bridge]
    if not len(edges):
        return
    below = _keys_below(problem, unmeasured[~is_bridge], edges)  # keys x bridges, 0/1
    known = np.isin(kind, (ADJUSTED, FIXED, NOT_REDUNDANT))
    flows = np.flatnonzero(known)
    crossing = (below[problem.head[flows]] - below[problem.tail[flows]]).tocsc()  # C
    enters = np.asarray(below[problem.head[edges], np.arange(len(edges))]).ravel() > 0
    side = np.where(enters, 1.0, -1.0)
    reconciled[edges] = -side * (crossing.T @ reconciled[flows])

    system, keep, solve, selected = reduced
    variance = np.where(kind[flows] == FIXED, 0.0, problem.sd[flows] ** 2)
    total = np.asarray(crossing.multiply(crossing).T @ variance).ravel()
    adjusted = np.searchsorted(flows, system.adjusted)  # positions of B's columns in flows
    if len(keep):
        weighted = system.matrix[keep] @ sp.diags(problem.sd[system.adjusted] ** 2)
        total -= variance_taken(solve, (weighted @ crossing[adjusted]).tocsc(), selected)
    reconciled_sd[edges] = np.sqrt(np.clip(total, 0.0, None))


def _keys_below(problem, cyclic: np.ndarray, edges: np.ndarray) -> sp.csr_matrix:
    """For each key, the bridges on the path from its blob up to the root of its bridge
    tree (the environment's blob, else the tree's first blob): a keys x bridges 0/1
    matrix. O(keys + bridges x depth)."""
    n = problem.n_keys
    joined = sp.coo_matrix(
        (np.ones(len(cyclic)), (problem.tail[cyclic], problem.head[cyclic])), shape=(n, n)
    )
    n_blobs, blob = csgraph.connected_components(joined, directed=False)
    ends = (blob[problem.tail[edges]], blob[problem.head[edges]])
    tree = sp.coo_matrix(
        (np.arange(1, len(edges) + 1), ends), shape=(n_blobs + 1, n_blobs + 1)
    ).tocsr()
    tree = (tree + tree.T).tocsr()
    # a virtual root above every tree, joined to its environment blob, else its first blob
    _, tree_of = csgraph.connected_components(tree, directed=False)
    roots = _tree_roots(tree_of[:n_blobs], blob[problem.environment], n_blobs)
    root = n_blobs
    links = sp.coo_matrix(
        (np.full(len(roots), -1.0), (np.full(len(roots), root), roots)),
        shape=(n_blobs + 1, n_blobs + 1),
    )
    order, parent = csgraph.breadth_first_order(
        (abs(tree) + abs(links) + abs(links.T)).tocsr(), root, directed=False
    )
    path: dict[int, tuple[int, ...]] = {root: ()}
    for node in order[1:]:
        up = parent[node]
        bridge = int(tree[node, up]) - 1 if up != root else -1
        path[node] = path[up] + ((bridge,) if bridge >= 0 else ())
    rows, cols = [], []
    for key in range(n):
        found = path.get(int(blob[key]), ())
        rows.extend([key] * len(found))
        cols.extend(found)
    return sp.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(n, len(edges)), dtype=float)


def _tree_roots(tree_of: np.ndarray, environment_blobs: np.ndarray, n_blobs: int) -> np.ndarray:
    """One blob per tree: an environment blob if the tree has one, else its first blob."""
    root = np.full(int(tree_of.max(initial=-1)) + 1, -1)
    first = np.full(len(root), n_blobs)
    np.minimum.at(first, tree_of, np.arange(n_blobs))
    root[tree_of[environment_blobs]] = environment_blobs
    return np.where(root >= 0, root, first)
