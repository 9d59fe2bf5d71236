"""Sparse linear algebra for the cycling metrics, one strongly connected component at a time.

Both cycling quantities that need more than sums are properties of the strongly connected
components (SCCs) of the flow graph, so neither is ever computed on the whole matrix:

* the **spectral radius** of a nonnegative matrix is the largest spectral radius of its
  diagonal SCC blocks (Frobenius normal form); a node outside every cycle contributes
  ``|a_ii|`` (0 without a self-loop). The radii are computed in :mod:`._spectral`;
* the **diagonal of the integral matrix** ``N = (I - G)^-1`` used by the Finn cycling
  index: ``n_jj`` counts the closed walks through ``j``, which never leave ``j``'s SCC, so
  ``n_jj = [(I - G_SS)^-1]_jj`` for ``j`` in SCC ``S`` and ``n_jj = 1`` outside cycles.

Small blocks (up to :data:`BATCH_LIMIT` nodes) are stacked by size and handled by one
batched LAPACK call per size, so a network made of a hundred thousand two-firm exchanges
costs milliseconds, not a Python loop over blocks. Larger blocks go one at a time: dense
LAPACK up to :data:`DENSE_LIMIT` nodes; above, SuperLU with the ``MMD_AT_PLUS_A`` column
ordering (about ten times less fill than scipy's default ``COLAMD`` on hub-dominated
industrial graphs) and selected inversion from the factors (:mod:`._selinv`: linear in a
thin block such as a 100,000-firm ring, which one sparse solve per unit column made
quadratic), or a dense inverse when the factors fill in anyway. Measured figures are in
``docs/cycling.md``.

References
----------
Finn, J.T. 1976. Measures of ecosystem structure and function derived from analysis of
flows. J. Theor. Biol. 56: 363-380.
Berman, A. & Plemmons, R.J. 1994. Nonnegative Matrices in the Mathematical Sciences. SIAM
(``I - G`` with ``G >= 0`` is invertible with a nonnegative inverse iff ``rho(G) < 1``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components
from scipy.sparse.linalg import splu

from ._selinv import diagonal_of_inverse

__all__ = [
    "CONDITION_LIMIT",
    "BlockFailure",
    "Components",
    "integral_diagonal",
    "strong_components",
]

# Blocks up to this size are stacked and handled by batched LAPACK calls.
BATCH_LIMIT = 64
# Blocks up to this size are inverted with dense LAPACK (faster than any sparse setup).
DENSE_LIMIT = 400
# Sparse LU is kept while nnz(L + U) stays below this share of s**2; denser factors make
# selected inversion slower than one dense inverse (on the project machine, at s = 2,000
# and 4,000: 2x faster at 4 % fill, even at 10 %, 2x slower at 20 %).
FILL_SHARE_LIMIT = 0.06
# Largest block inverted densely when the LU fills in (8 * s**2 bytes, about 3 GB).
DENSE_MAX = 20_000
# The 1-norm condition number above which (I - G)^-1 is not trusted: the relative error of
# its entries may then reach ~1e10 * 2.2e-16 = 2e-6, the precision of published values.
CONDITION_LIMIT = 1e10
# A block is closed when every row keeps all but this share of its throughflow inside.
CLOSED_TOLERANCE = 1e-12


@dataclass(frozen=True, eq=False)
class Components:
    """The strongly connected components of a directed graph.

    ``labels[i]`` is the component of node ``i``; ``sizes[c]`` the number of nodes of
    component ``c``; ``self_loops[i]`` whether node ``i`` has an arc to itself. A
    component is *cyclic* when it has more than one node or its node has a self-loop.
    """

    count: int
    labels: np.ndarray
    sizes: np.ndarray
    self_loops: np.ndarray

    @classmethod
    def of(cls, count: int, labels: np.ndarray, graph: sp.spmatrix) -> Components:
        """From a search's ``count`` and ``labels`` of ``graph`` (read for its self-loops)."""
        return cls(
            count=int(count),
            labels=labels,
            sizes=np.bincount(labels, minlength=count),
            self_loops=graph.diagonal() != 0,
        )

    @property
    def nontrivial(self) -> int:
        """Number of components with more than one node (enaR's ``no.scc.big``)."""
        return int(np.count_nonzero(self.sizes > 1))

    def cyclic(self) -> list[np.ndarray]:
        """Node positions of each cyclic component, largest first (ties: the one with the
        smallest first member first), members in increasing position. O(n log n)."""
        cyclic_label = self.sizes > 1
        cyclic_label[self.labels[self.self_loops]] = True
        nodes = np.flatnonzero(cyclic_label[self.labels])
        if len(nodes) == 0:
            return []
        nodes = nodes[np.argsort(self.labels[nodes], kind="stable")]
        groups = np.split(nodes, np.flatnonzero(np.diff(self.labels[nodes])) + 1)
        groups.sort(key=lambda members: (-len(members), int(members[0])))
        return groups


@dataclass(frozen=True)
class BlockFailure:
    """A cyclic block whose ``(I - G)^-1`` cannot be trusted, and why.

    ``reason`` is ``"no exit"`` (every node of the block sends all its throughflow to
    other nodes of the block: a closed loop), ``"singular"``, ``"spectral radius >= 1"``
    (the inverse has negative entries: more leaves the nodes than their throughflow) or
    ``"ill-conditioned"`` (1-norm condition number above :data:`CONDITION_LIMIT`).
    """

    members: np.ndarray
    reason: str
    detail: str = ""


def strong_components(matrix: sp.spmatrix, within: np.ndarray | None = None) -> Components:
    """Strongly connected components of the graph with an arc ``i -> j`` wherever
    ``matrix[i, j] != 0``. O(n + m) (scipy's iterative Pearce algorithm).

    ``within``, increasing node positions that hold every cycle of the graph (the cyclic
    nodes of a graph it is part of, such as all the flows of which it holds one
    dimension's), limits the search to the arcs among them: every other node is a
    component of its own. The components are the same; only their labels differ.
    O(n + arcs from ``within``) then.
    """
    matrix = sp.csr_matrix(matrix)
    if within is not None:
        return _lifted(strong_components(matrix[within][:, within]), within, matrix)
    if np.any(matrix.data == 0):  # a copy: in place, it would edit a matrix the core caches
        matrix = matrix.copy()
        matrix.eliminate_zeros()
    count, labels = connected_components(matrix, directed=True, connection="strong")
    return Components.of(count, labels.astype(np.int64, copy=False), matrix)


def _lifted(inner: Components, within: np.ndarray, matrix: sp.csr_matrix) -> Components:
    """The components of the whole graph from those found among ``within``: each node
    outside it alone, labelled after them."""
    n = matrix.shape[0]
    labels = np.empty(n, dtype=np.int64)
    outside = np.ones(n, dtype=bool)
    outside[within] = False
    labels[within] = inner.labels
    labels[outside] = inner.count + np.arange(n - len(within))
    return Components.of(inner.count + n - len(within), labels, matrix)


# ---------------------------------------------------------------------- blocks


@dataclass(frozen=True, eq=False)
class _Blocks:
    """The diagonal blocks of a matrix on a list of node groups: small blocks stacked
    as dense arrays by size, larger ones as sparse matrices."""

    stacks: dict[int, tuple[np.ndarray, np.ndarray]]  # size -> (group indices, (c, k, k))
    large: list[tuple[int, sp.csr_matrix]]  # (group index, block)
    joined: sp.csr_matrix | None = None  # the large blocks' block-diagonal matrix, in order


def _split_blocks(
    matrix: sp.csr_matrix, groups: list[np.ndarray], *, batch_limit: int = BATCH_LIMIT
) -> _Blocks:
    """Cut the diagonal blocks of ``groups`` out of ``matrix`` in one pass. O(n + the arcs
    leaving the groups' members)."""
    if not matrix.has_canonical_format:  # (the blocks are cut in CSR order)
        matrix = matrix.copy()
        matrix.sum_duplicates()
    n = matrix.shape[0]
    group_of = np.full(n, -1, dtype=np.int64)
    local = np.zeros(n, dtype=np.int64)
    sizes = np.array([len(g) for g in groups], dtype=np.int64)
    if groups:
        members = np.concatenate(groups)
        group_of[members] = np.repeat(np.arange(len(groups)), sizes)
        local[members] = np.concatenate([np.arange(len(g)) for g in groups])
    # Only the rows of group members: most nodes of an industrial network are in no
    # loop. The arcs keep their order, so every block is built exactly as from the whole.
    listed = np.sort(members) if groups else np.zeros(0, dtype=np.int64)
    coo = matrix[listed].tocoo()
    rows, cols, values = listed[coo.row], coo.col.astype(np.int64), coo.data
    inside = group_of[rows] == group_of[cols]
    rows, cols, values = rows[inside], cols[inside], values[inside]
    edge_group = group_of[rows]

    stacks: dict[int, tuple[np.ndarray, np.ndarray]] = {}
    small = sizes <= batch_limit
    slot = np.full(len(groups), -1, dtype=np.int64)
    for size in np.unique(sizes[small]):
        ids = np.flatnonzero(sizes == size)
        slot[ids] = np.arange(len(ids))
        stacks[int(size)] = (ids, np.zeros((len(ids), int(size), int(size))))
    in_stack = small[edge_group]
    for size, (_, stack) in stacks.items():
        pick = in_stack & (sizes[edge_group] == size)
        stack[slot[edge_group[pick]], local[rows[pick]], local[cols[pick]]] = values[pick]

    large, joined = _large_blocks(sizes, ~small, edge_group, local[rows], local[cols], values)
    return _Blocks(stacks=stacks, large=large, joined=joined)


def _large_blocks(sizes, large, edge_group, rows, cols, values):
    """The blocks of the ``large`` groups as CSR matrices, and their block-diagonal matrix,
    built from the arrays directly: the entries come row by row, columns increasing (the
    members are numbered in increasing position), so a stable sort by group leaves each
    block's entries in CSR order. O(their entries) and a sort of them."""
    groups = np.flatnonzero(large)
    if len(groups) == 0:
        return [], None
    first = np.zeros(len(sizes) + 1, dtype=np.int64)  # first joined row of each group
    first[1:] = np.cumsum(np.where(large, sizes, 0))
    pick = np.flatnonzero(large[edge_group])
    pick = pick[np.argsort(edge_group[pick], kind="stable")]
    joined_rows = first[edge_group[pick]] + rows[pick]
    n = int(first[-1])
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(joined_rows, minlength=n), out=indptr[1:])
    indices, data = cols[pick], values[pick]
    blocks = []
    for group in groups.tolist():
        size = int(sizes[group])
        ptr = indptr[first[group] : first[group] + size + 1]
        begin, end = int(ptr[0]), int(ptr[-1])
        block = sp.csr_matrix((data[begin:end], indices[begin:end], ptr - begin), (size, size))
        blocks.append((group, block))
    joined = sp.csr_matrix((data, indices + first[edge_group[pick]], indptr), shape=(n, n))
    return blocks, joined


# ---------------------------------------------------------------------- integral diagonal


def integral_diagonal(
    g: sp.spmatrix, groups: list[np.ndarray]
) -> tuple[np.ndarray, list[BlockFailure]]:
    """The diagonal of ``N = (I - G)^-1``, block by block over the cyclic SCCs ``groups``.

    Returns ``(diagonal, failures)``: ``diagonal[j]`` is ``n_jj`` (1 outside ``groups``,
    NaN in a failed block) and ``failures`` lists each block whose inverse cannot be
    trusted (:class:`BlockFailure`): no number is ever taken from a singular or
    ill-conditioned block. The checks:

    * ``"no exit"``: every row of ``G_SS`` sums to 1 or more, so ``rho(G_SS) >= 1`` (for
      an irreducible matrix the spectral radius lies between the smallest and the
      largest row sum); with ``G`` built from throughflows, a loop nothing leaves;
    * ``"singular"``: the factorisation or the inverse failed;
    * ``"spectral radius >= 1"``: ``I - G_SS`` is not a nonsingular M-matrix: its inverse
      has a negative entry (dense paths), or a pivot of its LU factors without pivoting
      is not positive (sparse path; equivalent for a Z-matrix);
    * ``"ill-conditioned"``: ``cond_1(I - G_SS) > CONDITION_LIMIT``, computed exactly:
      from the inverse (dense paths), or as the largest entry of ``(I - G_SS)^-T 1``, the
      largest column sum of the nonnegative inverse (sparse path).

    Complexity per block of ``s`` nodes: dense O(s^3) up to :data:`DENSE_LIMIT` (small
    blocks batched by size); above, one sparse LU, one solve and selected inversion,
    O(sum_j |K_j|^2) with ``K_j`` the filled pattern of column ``j`` (O(s) for a ring or
    a chain of loops, never more than O(s * nnz(L + U))); dense O(s^3) if the factors
    fill beyond ``FILL_SHARE_LIMIT * s^2``.
    """
    g = sp.csr_matrix(g, dtype=float)
    diagonal = np.ones(g.shape[0])
    failures: list[BlockFailure] = []
    blocks = _split_blocks(g, groups)
    for ids, stack in blocks.stacks.values():
        members = np.stack([groups[group] for group in ids])
        values, problems = _stack_diagonals(stack)
        diagonal[members] = values
        for position, result in problems.items():
            _store(diagonal, failures, members[position], result)
    for group, block in blocks.large:
        _store(diagonal, failures, groups[group], _block_diagonal(block))
    return diagonal, failures


def _store(diagonal, failures, members, result) -> None:
    if isinstance(result, tuple):
        diagonal[members] = np.nan
        failures.append(BlockFailure(members=members, reason=result[0], detail=result[1]))
    else:
        diagonal[members] = result


def _stack_diagonals(stack: np.ndarray) -> tuple[np.ndarray, dict[int, tuple[str, str]]]:
    """Diagonals of ``(I - G_b)^-1`` for a stack of small blocks (``(c, k)``, NaN where a
    block fails) and the (reason, detail) of each failing block, by position in the stack.
    The checks of :func:`_problem`, vectorised over the stack."""
    count, size = stack.shape[0], stack.shape[1]
    diagonals = np.full((count, size), np.nan)
    problems: dict[int, tuple[str, str]] = {}
    closed = np.all(stack.sum(axis=2) >= 1.0 - CLOSED_TOLERANCE, axis=1)
    for b in np.flatnonzero(closed):
        problems[int(b)] = _NO_EXIT
    open_ = np.flatnonzero(~closed)
    if len(open_) == 0:
        return diagonals, problems
    systems = np.eye(size) - stack[open_]
    try:
        inverses = np.linalg.inv(systems)
    except np.linalg.LinAlgError:  # one of them is singular: check them one by one
        for position, b in enumerate(open_):
            result = _dense_diagonal(systems[position])
            if isinstance(result, tuple):
                problems[int(b)] = result
            else:
                diagonals[b] = result
        return diagonals, problems
    finite = np.isfinite(inverses).all(axis=(1, 2))
    inverses = np.where(finite[:, None, None], inverses, 0.0)
    inverse_norm = np.abs(inverses).sum(axis=1).max(axis=1)
    system_norm = np.abs(systems).sum(axis=1).max(axis=1)
    smallest = inverses.min(axis=(1, 2))
    negative = smallest < -1e-9 * np.maximum(inverse_norm, 1.0)
    condition = system_norm * inverse_norm
    for position in np.flatnonzero(~finite | negative | (condition > CONDITION_LIMIT)):
        problems[int(open_[position])] = _problem(
            np.diagonal(inverses[position]) if finite[position] else np.array([np.nan]),
            float(system_norm[position]),
            float(inverse_norm[position]),
            float(smallest[position]),
        )
    good = finite & ~negative & (condition <= CONDITION_LIMIT)
    diagonals[open_[good]] = np.diagonal(inverses[good], axis1=1, axis2=2)
    return diagonals, problems


_SPECTRAL_RADIUS = ("spectral radius >= 1", "more flows leave the actors than their throughflow")
_NO_EXIT = ("no exit", "every actor of the loop sends all of its throughflow round the loop")


def _block_diagonal(g: sp.csr_matrix):
    """Diagonal of ``(I - g)^-1`` for one block above the batch limit (see
    :func:`integral_diagonal`), or a (reason, detail) tuple."""
    size = g.shape[0]
    # the row sums in CSR order, as g.sum(axis=1) adds them
    rows = np.repeat(np.arange(size), np.diff(g.indptr))
    if np.all(np.bincount(rows, g.data, minlength=size) >= 1.0 - CLOSED_TOLERANCE):
        return _NO_EXIT
    if size <= DENSE_LIMIT:  # I - g, as its sparse form would give it, at a tenth of the cost
        return _dense_diagonal(np.identity(size) - g.toarray())
    system = (sp.identity(size, format="csc") - g).tocsc()
    try:
        lu = _m_matrix_lu(system)
    except RuntimeError as exc:  # "Factor is exactly singular"
        return ("singular", str(exc))
    if lu.L.nnz + lu.U.nnz > FILL_SHARE_LIMIT * size * size and size <= DENSE_MAX:
        return _dense_diagonal(system.toarray())
    return _selected_diagonal(system, lu)


def _selected_diagonal(system: sp.csc_matrix, lu):
    """Diagonal of ``system^-1`` from its LU factors by selected inversion
    (:mod:`._selinv`), with the checks of :func:`_problem`: the pivots stand for the sign
    test (all positive exactly for a nonsingular M-matrix, whose inverse is nonnegative),
    and ``||system^-1||_1``, the largest column sum of a nonnegative inverse, is
    ``max(system^-T 1)``: one transposed solve. O(sum_j |K_j|^2) plus one solve."""
    if not np.array_equal(lu.perm_r, lu.perm_c):  # SuperLU pivoted after all: check it
        return _SPECTRAL_RADIUS
    if not np.all(lu.U.diagonal() > 0):
        return _SPECTRAL_RADIUS
    column_sums = lu.solve(np.ones(system.shape[0]), trans="T")
    diagonal = diagonal_of_inverse(lu)
    system_norm = float(abs(system).sum(axis=0).max())
    problem = _problem(diagonal, system_norm, float(column_sums.max()), float(column_sums.min()))
    return problem or diagonal


def _m_matrix_lu(system: sp.csc_matrix):
    """Sparse LU of an M-matrix (``I - G``, or ``sigma I - B`` above the Perron root).

    ``MMD_AT_PLUS_A`` ordering, applied symmetrically, and no pivoting: Gaussian
    elimination is stable without pivoting on a nonsingular M-matrix (every pivot stays
    positive), and the solves are then 2 to 2.5 times faster than with SuperLU's default
    threshold pivoting, for the same factors (measured on an 4,500-firm core). A matrix
    that is not an M-matrix may fail here ("singular") or give an inverse that
    :func:`_problem` rejects.
    """
    return splu(
        system,
        permc_spec="MMD_AT_PLUS_A",
        diag_pivot_thresh=0.0,
        options={"SymmetricMode": True},
    )


def _dense_diagonal(system: np.ndarray):
    try:
        inverse = np.linalg.inv(system)
    except np.linalg.LinAlgError as exc:
        return ("singular", str(exc))
    return _checked(system, inverse)


def _checked(system: np.ndarray, inverse: np.ndarray):
    if not np.all(np.isfinite(inverse)):
        return ("singular", "the inverse is not finite")
    problem = _problem(
        np.diagonal(inverse),
        float(np.abs(system).sum(axis=0).max()),
        float(np.abs(inverse).sum(axis=0).max()),
        float(inverse.min()),
    )
    return problem or np.diagonal(inverse).copy()


def _problem(diagonal, system_norm: float, inverse_norm: float, smallest: float):
    """Why an inverse is not that of a nonsingular M-matrix, or not accurate; or None."""
    if not np.all(np.isfinite(diagonal)) or not np.isfinite(inverse_norm):
        return ("singular", "the inverse is not finite")
    if smallest < -1e-9 * max(inverse_norm, 1.0):
        return _SPECTRAL_RADIUS
    condition = system_norm * inverse_norm
    if condition > CONDITION_LIMIT:
        return (
            "ill-conditioned",
            f"condition number {condition:.2g} > {CONDITION_LIMIT:.0g}: the loop loses almost "
            "nothing, so cycling figures computed from it would be unreliable",
        )
    return None
