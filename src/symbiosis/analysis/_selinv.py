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
    (:class:`_Blocks`). ``Z`` on the pattern is kept in numpy arrays only, the short
    columns' reads located before the loop (:class:`_ShortReads`): Python lists of every
    entry took 0.26 kB per entry of the pattern, 770 MB for a block of 26,687 firms of a
    million-flow network whose largest core has 46,204 (3.0 million entries)."""
    size = len(pivots)
    blocks = _Blocks(indptr, indices)
    diagonal, below, right = blocks.diagonal, blocks.below, blocks.right
    short = _ShortReads(indptr, indices, blocks.keys)
    bounds = indptr.tolist()
    inverse_pivots = (1.0 / pivots).tolist()
    for j in range(size - 1, -1, -1):
        start, end = bounds[j], bounds[j + 1]
        if end - start > SHORT_PATTERN:
            block = blocks.gather(j)
            column = -(block @ l_values[start:end])
            row = -(u_values[start:end] @ block)
            diagonal[j] = inverse_pivots[j] - float(u_values[start:end] @ column)
        else:
            u_row = u_values[start:end].tolist()
            column, row = _short_column(j, l_values[start:end].tolist(), u_row, short, blocks)
            diagonal[j] = inverse_pivots[j] - sum(map(operator.mul, u_row, column))
        below[start:end], right[start:end] = column, row
    return diagonal


class _ShortReads:
    """Where each short column ``j`` reads ``Z[K, K]`` (``K = K_j``, increasing): for each
    pair ``k < m`` of ``K``, in ``np.triu_indices`` order, the place of ``Z[m, k]`` and
    ``Z[k, m]`` in column ``k``'s pattern (``below`` and ``right``). All found at once by
    one search among the sorted (column, row) keys of the pattern: O(p log nnz) for the p
    pairs of the short columns, at most 15 each."""

    def __init__(self, indptr: np.ndarray, indices: np.ndarray, keys: np.ndarray):
        size = len(indptr) - 1
        lengths = np.diff(indptr)
        columns = np.flatnonzero((lengths > 1) & (lengths <= SHORT_PATTERN))
        count = lengths[columns]
        pairs = count * (count - 1) // 2
        self.first = np.zeros(size + 1, dtype=np.int64)  # column j's pairs: first[j]:first[j + 1]
        self.first[columns + 1] = pairs
        np.cumsum(self.first, out=self.first)
        owner = np.repeat(columns, pairs)
        rank = np.arange(len(owner)) - np.repeat(self.first[columns], pairs)
        a, b = _pair_tables(int(count.max()) if len(count) else 1)
        start = indptr[owner]
        kth = lengths[owner]
        self.where = np.searchsorted(
            keys, indices[start + a[kth, rank]] * size + indices[start + b[kth, rank]]
        )
        self.first = self.first.tolist()


@functools.lru_cache(maxsize=64)
def _pairs_of(count: int) -> tuple[tuple[int, int], ...]:
    """The pairs of ``np.triu_indices(count, 1)``, as Python ints."""
    return tuple(zip(*(index.tolist() for index in _upper_pairs(count)), strict=True))


def _pair_tables(longest: int) -> tuple[np.ndarray, np.ndarray]:
    """``a[c, r], b[c, r]``: the r-th pair of ``np.triu_indices(c, 1)``, for c up to
    ``longest``."""
    top = max(longest, 1) + 1
    width = top * (top - 1) // 2
    a = np.zeros((top, max(width, 1)), dtype=np.int64)
    b = np.zeros_like(a)
    for c in range(2, top):
        first, second = _upper_pairs(c) if c <= PAIRS_KEPT else np.triu_indices(c, 1)
        a[c, : len(first)], b[c, : len(second)] = first, second
    return a, b


def _short_column(j: int, l_column, u_row, short: _ShortReads, blocks: _Blocks):
    """``Z[K, j]`` and ``Z[j, K]`` for column ``j``'s short pattern ``K`` (increasing), in
    Python floats, as lists; ``Z[K, K]`` read from ``blocks``' arrays where ``short``
    located it."""
    start, end = blocks.indptr[j], blocks.indptr[j + 1]
    pattern = blocks.indices[start:end]
    size = len(pattern)
    block = [[0.0] * size for _ in range(size)]
    for a, value in enumerate(blocks.diagonal[pattern].tolist()):
        block[a][a] = value
    if size > 1:
        where = short.where[short.first[j] : short.first[j + 1]]
        upper, lower = blocks.right[where].tolist(), blocks.below[where].tolist()
        for (a, b), up, low in zip(_pairs_of(size), upper, lower, strict=True):
            block[a][b] = up
            block[b][a] = low
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
