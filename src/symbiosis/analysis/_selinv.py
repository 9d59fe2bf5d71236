"""The diagonal of the inverse of a large sparse M-matrix, by selected inversion.

The Finn cycling index needs ``n_jj``, the diagonal of ``N = (I - G)^-1``, on every strongly
connected block. Solving for the ``s`` unit columns of a block costs ``s`` sparse solves,
``O(s * nnz(L + U))``: a 100,000-firm ring took minutes. Selected inversion computes only
the entries of ``N`` on the (symmetrised, filled) pattern of the LU factors, from the
factors themselves, in ``O(sum_j |K_j|^2)`` where ``K_j`` is column ``j``'s pattern below
the diagonal: linear in the size of a thin block such as a ring or a chain of loops.

With ``B = L D U`` (``L`` unit lower, ``U`` unit upper, ``D`` the pivots) and ``Z = B^-1``,
for ``j`` from last to first and ``K = K_j`` (Erisman & Tinney 1975; Takahashi et al. 1973)::

    Z[K, j] = -Z[K, K] @ L[K, j]
    Z[j, K] = -U[j, K] @ Z[K, K]
    Z[j, j] = 1 / d_j - U[j, K] @ Z[K, j]

Every ``Z[K, K]`` lies on the pattern when the pattern is that of a symmetric elimination
(the filled graph: ``K_j \\ {p} ⊆ K_p`` for ``p = min K_j``), which :func:`_filled_pattern`
ensures by adding the missing fill explicitly, whatever SuperLU chose to store.

For ``I - G`` with ``G >= 0`` (a Z-matrix) factored without pivoting, all pivots are
positive exactly when it is a nonsingular M-matrix (Berman & Plemmons 1994, ch. 6), and
then ``-L``, ``-U`` and ``Z`` are nonnegative: every term of the recurrences is
nonnegative and nothing cancels, so the result is as accurate as the factors.

References
----------
Takahashi, K., Fagan, J., Chen, M.-S. 1973. Formation of a sparse bus impedance matrix
and its application to short circuit study. PICA Conference Proceedings: 63-69.
Erisman, A.M. & Tinney, W.F. 1975. On computing certain elements of the inverse of a
sparse matrix. Communications of the ACM 18(3): 177-179.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import operator

import numpy as np
import scipy.sparse as sp

__all__ = ["diagonal_of_inverse", "unit_factors"]


def unit_factors(lu) -> tuple[np.ndarray, sp.csc_matrix, sp.csc_matrix] | None:
    """From a SuperLU factorisation made with a symmetric permutation and no pivoting: the
    pivots ``d``, the strictly lower part of ``L`` and ``(D^-1 U)^T`` strictly below the
    diagonal (column j of both: ``L[K, j]`` and ``U[j, K] / d_j``), as CSC. ``None`` when
    the rows were permuted apart from the columns or a pivot is not positive. O(nnz)."""
    if not np.array_equal(lu.perm_r, lu.perm_c):
        return None
    upper = sp.csr_matrix(lu.U)
    pivots = upper.diagonal()
    if not np.all(pivots > 0):
        return None
    lower = sp.tril(sp.csc_matrix(lu.L), k=-1, format="csc")
    upper_t = (sp.diags(1.0 / pivots) @ sp.triu(upper, k=1)).T.tocsc()
    return pivots, lower, upper_t


def diagonal_of_inverse(lu) -> np.ndarray | None:
    """The diagonal of ``A^-1`` from a SuperLU factorisation ``lu`` of ``A`` (``splu``)
    made with a symmetric permutation and no pivoting, in ``A``'s own order.

    Returns ``None`` when the factorisation is not of that kind (the rows were permuted
    apart from the columns) or a pivot is not positive (``A`` is then not a nonsingular
    M-matrix and the caller must say so). Complexity ``O(sum_j |K_j|^2)`` flops plus
    ``O(nnz(L))`` small array operations, ``O(nnz(L))`` memory (see the module docstring).
    """
    factors = unit_factors(lu)
    if factors is None:
        return None
    pivots, lower, upper_t = factors
    indptr, indices = _filled_pattern(lower, upper_t)
    l_values = _on_pattern(indptr, indices, lower)
    u_values = _on_pattern(indptr, indices, upper_t)
    diagonal_b = _selected_diagonal(indptr, indices, l_values, u_values, pivots)
    return diagonal_b[lu.perm_c]  # B[p[i], p[i]] = A[i, i]


def _filled_pattern(*matrices: sp.csc_matrix) -> tuple[np.ndarray, np.ndarray]:
    """The CSC pattern (indptr, indices) of the union of ``matrices`` (strictly lower),
    closed under symmetric elimination: each column passes its pattern, less its parent
    ``p = min K_j``, to the parent. O(nnz) set work in all (each pattern is merged once)."""
    union = sum(abs(m) for m in matrices).tocsc()
    union.sort_indices()
    size = union.shape[0]
    indptr, indices = union.indptr.astype(np.int64), union.indices.astype(np.int64)
    if _closed(indptr, indices):  # as SuperLU's symbolic factorisation leaves it, mostly
        return indptr, indices
    bounds = union.indptr.tolist()
    rows = union.indices.tolist()
    inherited: dict[int, set[int]] = {}
    columns: list[list[int]] = []
    for j in range(size):
        pattern = rows[bounds[j] : bounds[j + 1]]
        extra = inherited.pop(j, None)
        if extra is not None:
            extra.update(pattern)
            pattern = sorted(extra)
        columns.append(pattern)
        if len(pattern) > 1:
            inherited.setdefault(pattern[0], set()).update(pattern[1:])
    indptr = np.zeros(size + 1, dtype=np.int64)
    np.cumsum([len(c) for c in columns], out=indptr[1:])
    indices = np.fromiter(itertools.chain.from_iterable(columns), np.int64, int(indptr[-1]))
    return indptr, indices


def _closed(indptr: np.ndarray, indices: np.ndarray) -> bool:
    """Whether a strictly lower CSC pattern (rows sorted) is closed under symmetric
    elimination: each column's rows but its first ``p`` are in column ``p``. One lookup
    per entry, O(nnz log nnz): 0.05 s where the closure in Python took 0.6 s at a million
    flows (212,068 columns), for a pattern that needed nothing added."""
    size = len(indptr) - 1
    count = np.diff(indptr)
    column = np.repeat(np.arange(size, dtype=np.int64), count)
    keys = column * size + indices  # ascending
    rest = np.ones(len(indices), dtype=bool)
    rest[indptr[:-1][count > 0]] = False  # each column's first row: its parent
    parent = indices[indptr[:-1][column[rest]]]
    wanted = parent * size + indices[rest]
    if not len(wanted):
        return True
    at = np.minimum(np.searchsorted(keys, wanted), len(keys) - 1)
    return bool(np.all(keys[at] == wanted))


def _on_pattern(indptr: np.ndarray, indices: np.ndarray, matrix: sp.csc_matrix) -> np.ndarray:
    """The values of ``matrix`` on the pattern (zero where it stores nothing). O(nnz log)."""
    size = len(indptr) - 1
    pattern_keys = np.repeat(np.arange(size), np.diff(indptr)) * size + indices
    coo = matrix.tocoo()
    keys = coo.col.astype(np.int64) * size + coo.row
    values = np.zeros(len(indices))
    values[np.searchsorted(pattern_keys, keys)] = coo.data
    return values


def _selected_diagonal(indptr, indices, l_values, u_values, pivots) -> np.ndarray:
    """``diag(B^-1)`` by the recurrences of the module docstring, last column first.

    Columns with a short pattern (most of them in a sparse block) are done in plain Python
    floats, where numpy's per-call cost would dominate; longer ones with numpy blocks
    (:class:`_Blocks`). Results are kept both as lists (for the former) and arrays."""
    size = len(pivots)
    diagonal = [0.0] * size
    below = [0.0] * len(indices)  # Z[K_j, j], on the pattern
    right = [0.0] * len(indices)  # Z[j, K_j], on the pattern
    blocks = _Blocks(indptr, indices)
    bounds = indptr.tolist()
    rows = indices.tolist()
    lower, upper, inverse_pivots = l_values.tolist(), u_values.tolist(), (1.0 / pivots).tolist()
    state = (bounds, rows, diagonal, below, right)
    read_by_long = blocks.read_by_long().tolist()
    for j in range(size - 1, -1, -1):
        start, end = bounds[j], bounds[j + 1]
        if end - start > SHORT_PATTERN:
            block = blocks.gather(j)
            column = -(block @ l_values[start:end])
            row = -(u_values[start:end] @ block)
            diagonal[j] = inverse_pivots[j] - float(u_values[start:end] @ column)
            below[start:end], right[start:end] = column.tolist(), row.tolist()
        else:
            column, row = _short_column(rows[start:end], lower[start:end], upper[start:end], state)
            diagonal[j] = inverse_pivots[j] - sum(map(operator.mul, upper[start:end], column))
            below[start:end], right[start:end] = column, row
        if read_by_long[j]:
            blocks.store(j, diagonal[j], column, row)
    return np.asarray(diagonal)


def _short_column(pattern, l_column, u_row, state) -> tuple[list[float], list[float]]:
    """``Z[K, j]`` and ``Z[j, K]`` for a short pattern ``K`` (increasing), in Python floats.
    ``Z[k, k]`` is computed; for ``k < m``, ``Z[m, k]`` and ``Z[k, m]`` sit at the same place
    of column ``k``'s pattern (found by bisection, once per pair)."""
    bounds, rows, diagonal, below, right = state
    size = len(pattern)
    block = [[0.0] * size for _ in pattern]
    for a, k in enumerate(pattern):
        line = block[a]
        line[a] = diagonal[k]
        start, end = bounds[k], bounds[k + 1]
        for b in range(a + 1, size):
            where = bisect.bisect_left(rows, pattern[b], start, end)
            line[b] = right[where]
            block[b][a] = below[where]
    column = [-sum(map(operator.mul, line, l_column)) for line in block]
    row = [-sum(map(operator.mul, u_row, line)) for line in zip(*block, strict=True)]
    return column, row


# Patterns up to this length are handled with Python floats (see _selected_diagonal).
SHORT_PATTERN = 6


# Patterns up to this length keep their index pairs (_upper_pairs): 128 of them at most,
# 0.13 MB each.
PAIRS_KEPT = 128


@functools.lru_cache(maxsize=128)
def _upper_pairs(count: int) -> tuple[np.ndarray, np.ndarray]:
    """``np.triu_indices(count, 1)``, kept for the next patterns of that length (many
    columns of a block share one); read-only."""
    a, b = np.triu_indices(count, 1)
    a.flags.writeable = b.flags.writeable = False
    return a, b


class _Blocks:
    """Dense blocks ``Z[K_j, K_j]`` for long patterns. When ``K_j = {j + 1} + K_(j+1)`` (the
    columns of a supernode, such as a dense trailing block) the block is the previous one
    bordered by column ``j + 1``: the blocks of such a run share one array, each a view of
    it one row and column larger than the last, so a border costs O(|K|), not a copy of
    the block. Otherwise every pair is looked up at once among the sorted (column, row)
    keys of the pattern."""

    def __init__(self, indptr: np.ndarray, indices: np.ndarray):
        size = len(indptr) - 1
        self.indptr, self.indices, self.size = indptr, indices, size
        self.keys = np.repeat(np.arange(size, dtype=np.int64), np.diff(indptr)) * size + indices
        self.diagonal = np.zeros(size)
        self.below = np.zeros(len(indices))
        self.right = np.zeros(len(indices))
        self.borders = _borders(indptr, indices)
        # per column: how many bordering columns follow it down to the run's end
        self.run = np.zeros(size, dtype=np.int64)
        run = self.run.tolist()
        borders = self.borders.tolist()
        for j in range(1, size):
            run[j] = run[j - 1] + 1 if borders[j - 1] else 0
        self.run = np.asarray(run, dtype=np.int64)
        self.shared = np.zeros((0, 0))  # the array of the current run
        self.top = 0  # the current block is shared[top:, top:]

    def read_by_long(self) -> np.ndarray:
        """Whether each column is read by a long pattern (only those are stored here)."""
        lengths = np.diff(self.indptr)
        long = np.repeat(lengths > SHORT_PATTERN, lengths)
        read = np.zeros(self.size, dtype=bool)
        read[self.indices[long]] = True
        return read

    def store(self, j: int, diagonal: float, column, row) -> None:
        start, end = self.indptr[j], self.indptr[j + 1]
        self.diagonal[j] = diagonal
        self.below[start:end] = column
        self.right[start:end] = row

    def gather(self, j: int) -> np.ndarray:
        """``Z[K_j, K_j]``: called for every long column, last first."""
        start, end = self.indptr[j], self.indptr[j + 1]
        pattern = self.indices[start:end]
        count = len(pattern)
        if self.borders[j]:  # column j + 1 was the previous call, its block is in place
            top = self.top = self.top - 1
            first, last = self.indptr[j + 1], self.indptr[j + 2]
            self.shared[top, top] = self.diagonal[j + 1]
            self.shared[top, top + 1 :] = self.right[first:last]
            self.shared[top + 1 :, top] = self.below[first:last]
            return self.shared[top:, top:]
        full = count + int(self.run[j])  # the size of the run's last block
        self.shared = np.empty((full, full))
        top = self.top = full - count
        block = self.shared[top:, top:]
        a, b = _upper_pairs(count) if count <= PAIRS_KEPT else np.triu_indices(count, 1)
        where = np.searchsorted(self.keys, pattern[a] * self.size + pattern[b])
        block[a, b] = self.right[where]
        block[b, a] = self.below[where]
        block[np.arange(count), np.arange(count)] = self.diagonal[pattern]
        return block


def _borders(indptr: np.ndarray, indices: np.ndarray) -> np.ndarray:
    """Per column ``j``: whether its pattern is ``{j + 1}`` followed by the pattern of column
    ``j + 1``, and both are long (so the block of ``j + 1`` is the one gathered just before).
    O(nnz)."""
    size = len(indptr) - 1
    lengths = np.diff(indptr)
    borders = np.zeros(size, dtype=bool)
    if size < 2:
        return borders
    j = np.arange(size - 1)
    head = np.where(lengths[:-1] > 0, indices[np.minimum(indptr[:-2], len(indices) - 1)], -1)
    candidate = (lengths[1:] > SHORT_PATTERN) & (lengths[:-1] == lengths[1:] + 1) & (head == j + 1)
    picked = np.flatnonzero(candidate)
    if len(picked) == 0:
        return borders
    # the rest of column j against column j + 1, entry by entry
    tail = lengths[picked + 1]
    owner = np.repeat(np.arange(len(picked)), tail)
    offset = np.arange(int(tail.sum())) - np.repeat(np.cumsum(tail) - tail, tail)
    mine = indices[indptr[picked][owner] + 1 + offset]
    theirs = indices[indptr[picked + 1][owner] + offset]
    differs = np.bincount(owner, mine != theirs, minlength=len(picked)) > 0
    borders[picked[~differs]] = True
    return borders
