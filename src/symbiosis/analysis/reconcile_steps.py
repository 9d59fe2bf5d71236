"""Two steps of :mod:`.reconcile_linalg`: balances kept within a tolerance (an active-set
quadratic program) and the estimates of the observable unmeasured flows (bridges).

Within a tolerance, the problem is ``min sum(a_i^2 / v_i)`` subject to
``-t <= r + B a <= t``; its Karush-Kuhn-Tucker conditions give ``a = -V B^T lambda``, with
``lambda_g >= 0`` where a row sits at ``+t``, ``<= 0`` at ``-t`` and 0 inside. The active
set (Nocedal & Wright 2006, ch. 16.5) starts from the rows beyond their tolerance and
solves the equality problem of the rows held at their bound, adding rows that end up beyond
and releasing rows whose multiplier has the wrong sign, until neither happens. Changing every
such row at once (a primal-dual active set, Hintermueller, Ito & Kunisch 2002) takes few
steps but can cycle; once a set of held rows repeats, one row changes per step.

References
----------
Hintermueller, M., Ito, K. & Kunisch, K. 2002. The primal-dual active set strategy as a
semismooth Newton method. SIAM Journal on Optimization 13(3): 865-888.
Nocedal, J. & Wright, S.J. 2006. Numerical Optimization, 2nd ed. Springer, New York.
Tarjan, R.E. 1974. A note on finding the bridges of a graph. Information Processing
Letters 2(6): 160-161.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import numpy as np
import scipy.sparse as sp
from scipy.sparse import csgraph

from ..errors import AnalysisError

if TYPE_CHECKING:
    from .reconcile_linalg import Problem

__all__ = ["active_set_adjustment", "bridges", "estimate_bridges"]

MAX_STEPS = 200


def active_set_adjustment(
    matrix: sp.csr_matrix,
    residual: np.ndarray,
    variance: np.ndarray,
    lower: np.ndarray,
    upper: np.ndarray,
    factorised: Callable,
    floating: np.ndarray | None = None,
) -> np.ndarray:
    """The smallest weighted adjustment ``a`` with ``lower <= residual + matrix @ a <=
    upper`` row by row (module docstring; ``upper`` may be infinite). Rows without a column
    cannot move and are left out; a row with ``lower == upper`` is an equality, always held.
    ``floating`` numbers the parts of rows that do not reach the environment (-1 for the
    others): the rows of such a part are dependent when all are held (see
    :func:`_held_solver`).

    Complexity: one sparse LU of the held rows' ``S`` per step; the steps are few (each
    row enters once in the usual case), at most :data:`MAX_STEPS`.
    """
    movable = np.diff(matrix.indptr) > 0
    finite = np.where(np.isfinite(upper), np.abs(upper), 0) + np.where(
        np.isfinite(lower), np.abs(lower), 0
    )
    eps = 1e-12 * (np.abs(residual) + finite)
    sign = np.zeros(len(residual))
    sign[movable & (residual > upper + eps)] = 1.0
    sign[movable & (residual < lower - eps)] = -1.0
    # a balance without room (exact, or no recorded flow to scale its tolerance) is an
    # equality: always held, its multiplier of either sign (else it would flip between its
    # two equal bounds)
    equality = movable & (upper - lower <= 0)
    sign[equality] = 1.0
    adjustment = np.zeros(matrix.shape[1])
    seen: set[bytes] = set()
    for _ in range(MAX_STEPS):
        held = np.flatnonzero(sign)
        if not len(held):
            return adjustment
        rows = matrix[held]
        weighted = (rows @ sp.diags(variance)).tocsc()
        system = (weighted @ rows.T).tocsc()
        solve, part = _held_solver(system, held, movable, floating, factorised)
        target = np.where(sign[held] > 0, upper[held], lower[held])
        multipliers = _signed_where_free(solve(residual[held] - target), sign[held], part)
        adjustment = -(weighted.T @ multipliers)
        after = residual + matrix @ adjustment
        wrong = (sign[held] * multipliers < 0) & ~equality[held]
        wrong |= _unreachable(after[held] - target, eps[held], part, multipliers, sign[held])
        above = movable & (sign == 0) & (after > upper + eps)
        below = movable & (sign == 0) & (after < lower - eps)
        if not wrong.any() and not above.any() and not below.any():
            return adjustment
        state = held.tobytes() + sign[held].tobytes()
        excess = np.where(above, after - upper, np.where(below, lower - after, 0.0))
        if state in seen:  # a cycle: from now on, one change per step (the most violated)
            relative = excess / (np.abs(after) + finite + np.finfo(float).tiny)
            _change_one(sign, held, multipliers, wrong, relative, above)
        else:
            sign[held[wrong]] = 0.0
            sign[above] = 1.0
            sign[below] = -1.0
        seen.add(state)
    raise AnalysisError(
        f"reconciliation within the tolerance did not settle in {MAX_STEPS} steps; "
        "reconcile exactly (--tolerance 0) or with a larger tolerance"
    )


def _held_solver(system, held, movable, floating, factorised) -> tuple[Callable, np.ndarray]:
    """A solver for the held rows' ``S_H lambda = d``. When every movable row of a floating
    part is held, those rows sum to zero and ``S_H`` is singular, with the part's all-ones
    vector as null space: the system is bordered with ``sum(lambda_part) = 0`` (one more
    unknown per such part), which picks the minimum-norm multipliers when the held targets
    agree, and the least-squares compromise when they do not. Sparse LU with pivoting.
    Returns the solver and, per held row, its bordered part (-1 for none)."""
    none = np.full(len(held), -1)
    if floating is None or not (floating >= 0).any():
        return factorised(system), none
    parts = floating[held]
    counts = np.bincount(floating[movable & (floating >= 0)], minlength=int(floating.max()) + 1)
    held_counts = np.bincount(parts[parts >= 0], minlength=len(counts))
    full = np.flatnonzero((held_counts == counts) & (counts > 0))
    if not len(full):
        return factorised(system), none
    from scipy.sparse.linalg import splu

    column = np.full(len(counts), -1)
    column[full] = np.arange(len(full))
    rows = np.flatnonzero((parts >= 0) & (column[np.maximum(parts, 0)] >= 0))
    border = sp.csc_matrix(
        (np.ones(len(rows)), (rows, column[parts[rows]])), shape=(len(held), len(full))
    )
    bordered = sp.bmat([[system, border], [border.T, None]], format="csc")
    lu = splu(bordered)
    part = np.full(len(held), -1)
    part[rows] = column[parts[rows]]
    return (lambda d: lu.solve(np.concatenate([d, np.zeros(len(full))]))[: len(held)]), part


def _signed_where_free(multipliers, sign, part) -> np.ndarray:
    """The multipliers of a fully held part are free along its all-ones vector: shift them
    there, as little as possible, so that each has the sign of its bound when some shift
    allows it (the degenerate case of a part whose balances are all exactly at their
    bounds). O(held rows)."""
    multipliers = multipliers.copy()
    for p in np.unique(part[part >= 0]):
        rows = np.flatnonzero(part == p)
        low = np.max(-multipliers[rows][sign[rows] > 0], initial=-np.inf)
        high = np.min(-multipliers[rows][sign[rows] < 0], initial=np.inf)
        if low <= high:
            multipliers[rows] += np.clip(0.0, low, high)
    return multipliers


def _unreachable(miss, slack, part, multipliers, sign) -> np.ndarray:
    """Rows to release because their part's held bounds contradict each other: its
    balances sum to a constant ``C``, the bounds to another, and the bordered solve misses
    them by ``C - sum(bounds)`` in all. In each such part, one row held on the side that
    pulls the sum the wrong way (of weakest pull, smallest ``|lambda|``) is released."""
    release = np.zeros(len(miss), dtype=bool)
    missed = (np.abs(miss) > np.maximum(slack, 0) + 1e-12) & (part >= 0)
    for p in np.unique(part[missed]):
        rows = np.flatnonzero(part == p)
        against = rows[sign[rows] == -np.sign(miss[rows].sum())]
        rows = against if len(against) else rows
        release[rows[np.argmin(np.abs(multipliers[rows]))]] = True
    return release


def _change_one(sign, held, multipliers, wrong, excess, above) -> None:
    """Release the held row whose multiplier is most of the wrong sign, or else hold the
    row furthest beyond its bounds (``excess``, relative; ``above``: beyond the upper one):
    the single changes of a classical active set, which end the cycles that changing every
    row at once can fall into."""
    if wrong.any():
        candidates = np.flatnonzero(wrong)
        worst = candidates[np.argmin(sign[held[candidates]] * multipliers[candidates])]
        sign[held[worst]] = 0.0
        return
    worst = int(np.argmax(excess))
    sign[worst] = 1.0 if above[worst] else -1.0


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
    reduced: tuple[Any, np.ndarray, Callable],
) -> None:
    """Estimate each observable unmeasured flow (a bridge of the unmeasured graph) from the
    balance of the side of the bridge that does not hold the environment, with its
    standard deviation; in place. ``reduced`` is ``(system, kept rows, solver of S)``.

    The side ``P`` of bridge ``e`` is the set of keys whose blob (2-edge-connected part of
    the unmeasured graph) lies below ``e`` in the bridge tree rooted at the environment:
    ``x_e = -s_e sum_f C[f, e] x_f`` with ``C[f, e] = [head_f in P] - [tail_f in P]`` over
    the known flows and ``s_e = +1`` when ``e`` enters ``P``. Complexity: O(f + k * depth)
    for k bridges, plus one solve per 256 bridges for the variances.
    """
    from .reconcile_linalg import ADJUSTED, FIXED, NOT_REDUNDANT, UNOBSERVABLE, _quadratic_forms

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

    system, keep, solve = reduced
    variance = np.where(kind[flows] == FIXED, 0.0, problem.sd[flows] ** 2)
    total = np.asarray(crossing.multiply(crossing).T @ variance).ravel()
    adjusted = np.searchsorted(flows, system.adjusted)  # positions of B's columns in flows
    if len(keep):
        weighted = system.matrix[keep] @ sp.diags(problem.sd[system.adjusted] ** 2)
        total -= _quadratic_forms(solve, (weighted @ crossing[adjusted]).tocsc())
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
