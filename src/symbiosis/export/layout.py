"""Node positions for big networks, computed in Python (no physics in the browser)."""

from __future__ import annotations

import numpy as np

from ..arguments import Arguments

__all__ = ["force_layout"]


def force_layout(
    n: int,
    sources: np.ndarray,
    targets: np.ndarray,
    *,
    seed: int = 1,
    spacing: float = 60.0,
    pivots: int = 40,
    iterations: int = 25,
) -> np.ndarray:
    """Node positions (n x 2, in px) for big networks, computed without physics.

    Each connected component (edges taken as undirected) is placed by *pivot MDS*
    (Brandes and Pich 2006): breadth-first distances from ``pivots`` far-apart nodes,
    double-centred, and the two main singular vectors as coordinates, which keeps the
    global shape (chains stay chains, clusters stay together). The component is then
    scaled to about ``spacing`` px per node and nodes that landed on top of each other
    are pushed apart by a short repulsion pass with a cut-off (k-d tree). Components are
    packed in rows, largest first. Deterministic for a given ``seed``.

    O(pivots * (n + edges) + iterations * n log n); about a second for 5,000 nodes and
    12,000 edges.

    References
    ----------
    U. Brandes and C. Pich, "Eigensolver methods for progressive multidimensional
    scaling of large data", Graph Drawing 2006, LNCS 4372.
    """
    arguments = Arguments()
    arguments.whole("n", n)
    arguments.whole("seed", seed)
    arguments.number("spacing", spacing, above=0, what=" (px per node)")
    arguments.whole("pivots", pivots, minimum=1)
    arguments.whole("iterations", iterations, what=" (0: no repulsion pass)")
    arguments.check()
    import scipy.sparse as sp
    from scipy.sparse.csgraph import connected_components

    if n == 0:
        return np.zeros((0, 2))
    rng = np.random.default_rng(seed)
    keep = sources != targets
    ones = np.ones(int(keep.sum()))
    adjacency = sp.coo_matrix((ones, (sources[keep], targets[keep])), shape=(n, n)).tocsr()
    undirected = ((adjacency + adjacency.T) > 0).astype(np.float64).tocsr()
    count, labels = connected_components(undirected, directed=False)
    members = np.argsort(labels, kind="stable")
    bounds = np.searchsorted(labels[members], np.arange(count + 1))
    parts = [members[bounds[c] : bounds[c + 1]] for c in range(count)]
    parts.sort(key=len, reverse=True)
    placed = []
    for nodes in parts:
        local = _pivot_mds(undirected[nodes][:, nodes], rng, pivots)
        placed.append((nodes, _spread(local, rng, iterations)))
    return _pack(placed, n) * spacing


def _pivot_mds(graph, rng: np.random.Generator, pivots: int) -> np.ndarray:
    """Pivot-MDS coordinates (in hops) of one connected graph."""
    from scipy.sparse.csgraph import shortest_path

    m = graph.shape[0]
    if m <= 2:
        return np.array([[0.0, 0.0], [1.0, 0.0]])[:m]
    k = min(pivots, m)
    distances = np.empty((m, k))
    nearest = np.full(m, np.inf)
    chosen = int(rng.integers(m))
    for i in range(k):  # farthest-first pivots spread over the whole graph
        distances[:, i] = shortest_path(graph, unweighted=True, indices=chosen)
        nearest = np.minimum(nearest, distances[:, i])
        chosen = int(np.argmax(nearest))
    squared = distances**2
    centred = (
        squared - squared.mean(axis=0) - squared.mean(axis=1)[:, None] + squared.mean()
    ) * -0.5
    # The two main singular vectors via the small k x k eigenproblem: C V = U S.
    _, vectors = np.linalg.eigh(centred.T @ centred)
    coords = centred @ vectors[:, ::-1][:, :2]
    if coords.shape[1] < 2:
        coords = np.column_stack([coords, np.zeros(m)])
    return coords


def _spread(pos: np.ndarray, rng: np.random.Generator, iterations: int) -> np.ndarray:
    """Scale to about one unit of area per node, then push apart nodes closer than 1."""
    from scipy.spatial import cKDTree

    m = len(pos)
    if m <= 2:
        return pos.astype(float)
    low, high = np.percentile(pos, [2, 98], axis=0)
    extent = np.maximum(high - low, 1.0)  # a chain has no height: keep its length
    pos = (pos - pos.mean(axis=0)) * np.sqrt(m / (extent[0] * extent[1]))
    pos += rng.normal(0.0, 0.05, size=pos.shape)  # twins (same distances) get apart
    for step in range(iterations):
        close = cKDTree(pos).query_pairs(1.0, output_type="ndarray")
        if not len(close):
            break
        i, j = close[:, 0], close[:, 1]
        delta = pos[i] - pos[j]
        dist = np.maximum(np.hypot(delta[:, 0], delta[:, 1]), 1e-3)
        push = ((1.0 - dist) / dist)[:, None] * delta * 0.5
        move = _scatter(i, push, m) - _scatter(j, push, m)
        length = np.maximum(np.hypot(move[:, 0], move[:, 1]), 1e-9)
        cap = 0.5 * (1 - step / iterations) + 0.05
        pos += move * (np.minimum(length, cap) / length)[:, None]
    return pos


def _pack(placed: list[tuple[np.ndarray, np.ndarray]], n: int) -> np.ndarray:
    """Components side by side in rows (largest first), one unit of margin."""
    result = np.zeros((n, 2))
    total = sum(max(np.ptp(p[:, 0]), 1) * max(np.ptp(p[:, 1]), 1) for _, p in placed)
    row_width = max(np.sqrt(total) * 1.3, 1.0)
    x = y = row_height = 0.0
    for nodes, pos in placed:
        pos = pos - pos.min(axis=0)
        width, height = np.ptp(pos[:, 0]) + 2, np.ptp(pos[:, 1]) + 2
        if x > 0 and x + width > row_width:
            x, y, row_height = 0.0, y + row_height, 0.0
        result[nodes] = pos + np.array([x, y])
        x += width
        row_height = max(row_height, height)
    return result - result.mean(axis=0)


def _scatter(index: np.ndarray, vectors: np.ndarray, n: int) -> np.ndarray:
    """Sum ``vectors`` into ``n`` rows by ``index`` (np.bincount, much faster than add.at)."""
    return np.column_stack(
        [
            np.bincount(index, weights=vectors[:, 0], minlength=n),
            np.bincount(index, weights=vectors[:, 1], minlength=n),
        ]
    )
