"""Entries of ``S^-1`` on the pattern of a sparse symmetric positive definite ``S``, by
selected inversion: what the reduced variances of reconciliation need.

Each adjusted flow joins at most two balances ``a`` and ``b``, so the variance that
reconciliation takes off it is ``v^2 (Z_aa + Z_bb - 2 Z_ab)`` with ``Z = S^-1``: only the
entries of ``Z`` on the pattern of ``S`` are needed, never the dense inverse. With
``S = P L D L^T P^T`` (SuperLU with a symmetric minimum-degree order and no pivoting) and
``K`` the pattern of column ``j`` of ``L`` below the diagonal (closed under elimination, so
every ``Z[K, K]`` is on it), each column after its ancestors in the elimination tree
(Takahashi, Fagan & Chen 1973; Erisman & Tinney 1975)::

    Z[K, j] = -Z[K, K] @ L[K, j]
    Z[j, j] = 1 / d_j - L[K, j] . Z[K, j]

Cost ``O(sum_j |K_j|^2)``, a level of the tree at a time (:func:`_recurrences`): 0.8-1.2 s
for the 212,068 balances of a million flows, where one sparse solve per flow (18 ms each
there) would take hours, and took two minutes at 100,000 flows. The general
(unsymmetric, diagonal only) version of the same recurrences is :mod:`._selinv`, whose
pattern helpers are reused here.

The variance of an estimated flow is a quadratic form ``w^T Z w`` whose pairs of entries
may lie off the pattern; :func:`forms_by_reach` solves for those with the same factors,
on the rows that the entries of ``w`` reach in the elimination tree only.

References
----------
Davis, T.A. 2006. Direct Methods for Sparse Linear Systems. SIAM, Philadelphia (ch. 3,
triangular solves with a sparse right-hand side).
Takahashi, K., Fagan, J., Chen, M.-S. 1973. Formation of a sparse bus impedance matrix
and its application to short circuit study. PICA Conference Proceedings: 63-69.
Erisman, A.M. & Tinney, W.F. 1975. On computing certain elements of the inverse of a
sparse matrix. Communications of the ACM 18(3): 177-179.
Gilbert, J.R. 1994. Predicting structure in sparse matrix computations. SIAM Journal on
Matrix Analysis and Applications 15(1): 62-79.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import scipy.sparse as sp

from ..errors import AnalysisError
from ._selinv import _filled_pattern, _on_pattern, unit_factors

if TYPE_CHECKING:
    from scipy.sparse.linalg import SuperLU

__all__ = [
    "CHUNK",
    "SelectedInverse",
    "factorise",
    "forms_by_reach",
    "quadratic_forms",
    "selected_inverse",
    "shrinkage",
    "solver",
    "solver_and_inverse",
    "variance_taken",
]

#: Right-hand sides solved at once where the variances are found by full solves.
CHUNK = 16


def factorise(matrix: sp.csc_matrix) -> SuperLU:
    """SuperLU factors of the symmetric ``matrix``: symmetric minimum-degree order, no
    pivoting (the matrix is positive definite), so that ``L`` and ``U`` share a pattern.
    O(nnz(L))."""
    from scipy.sparse.linalg import splu

    return splu(
        matrix,
        permc_spec="MMD_AT_PLUS_A",
        diag_pivot_thresh=0.0,
        options={"SymmetricMode": True},
    )


@dataclass(frozen=True)
class SelectedInverse:
    """``Z = S^-1`` on the filled pattern of ``L``, in the factor's own order."""

    order: np.ndarray  # position in the factor of each row of S (perm_c)
    diagonal: np.ndarray
    keys: np.ndarray  # column * n + row of each stored entry below the diagonal, sorted
    below: np.ndarray
    # the factors, for the forms off the pattern (forms_by_reach): the pivots d and the
    # unit lower triangular L (unit_factors, with its diagonal), as the recurrences read
    factors: tuple[np.ndarray, sp.csc_matrix]
    # the elimination tree of the filled pattern: each column's parent (-1 for a root)
    # and depth (0 for a root), read by the recurrences and the forms alike
    tree: tuple[np.ndarray, np.ndarray]

    def entries(self, rows: np.ndarray, columns: np.ndarray) -> np.ndarray:
        """``Z[rows, columns]`` (S's own numbering) for pairs on the pattern of ``S``.
        O(pairs log nnz)."""
        values, found = self.lookup(rows, columns)
        if not found.all():
            raise ValueError("an entry off the pattern of the factors was asked for")
        return values

    def lookup(self, rows: np.ndarray, columns: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """``Z[rows, columns]`` where the pair is on the filled pattern (0 elsewhere), and
        whether it is. O(pairs log nnz)."""
        i, k = self.order[rows], self.order[columns]
        same = i == k
        low, high = np.minimum(i, k), np.maximum(i, k)
        n = len(self.diagonal)
        key = low.astype(np.int64) * n + high
        position = np.minimum(np.searchsorted(self.keys, key), max(len(self.keys) - 1, 0))
        found = same | (self.keys[position] == key) if len(self.keys) else same
        values = np.where(same, self.diagonal[i], 0.0)
        off = ~same & found
        values[off] = self.below[position[off]]
        return values, found


# Columns with more entries than this go to the solves: their pairs are rarely all on the
# pattern, and they number m^2 / 2.
MOST_ENTRIES = 64


def quadratic_forms(selected: SelectedInverse, columns: sp.csc_matrix):
    """``w^T Z w`` for each column ``w`` of ``columns`` whose pairs of entries are all on
    the filled pattern, from the selected inverse: ``sum_a w_a^2 Z_aa + 2 sum_{a<b} w_a
    w_b Z_ab``; and which columns those are (the others: :func:`forms_by_reach`). O(sum m^2
    log nnz) for columns of m entries: 1,509 of the 3,540 bridge variances of a million
    flows."""
    count = np.diff(columns.indptr)
    forms, done = np.zeros(len(count)), count == 0
    for m in np.unique(count[(count > 0) & (count <= MOST_ENTRIES)]).tolist():
        which = np.flatnonzero(count == m)
        at = columns.indptr[which][:, None] + np.arange(m)
        rows, weights = columns.indices[at], columns.data[at]
        diagonal = selected.lookup(rows.ravel(), rows.ravel())[0].reshape(rows.shape)
        form = (weights * weights * diagonal).sum(axis=1)
        whole = np.ones(len(which), dtype=bool)
        if m > 1:
            a, b = np.triu_indices(m, 1)
            values, found = selected.lookup(rows[:, a].ravel(), rows[:, b].ravel())
            whole = np.asarray(found.reshape(len(which), -1).all(axis=1))
            form += 2 * (weights[:, a] * weights[:, b] * values.reshape(len(which), -1)).sum(1)
        forms[which[whole]] = form[whole]
        done[which[whole]] = True
    return forms, done


def selected_inverse(lu: SuperLU) -> SelectedInverse | None:
    """The selected inverse from the factors ``lu`` (:func:`factorise`), or ``None`` when
    they are not those of a symmetric elimination with positive pivots (the caller then
    solves instead). O(sum |K_j|^2), see the module docstring."""
    factors = unit_factors(lu)
    if factors is None:
        return None
    pivots, lower, mirrored = factors
    indptr, indices = _filled_pattern(lower, mirrored)
    values = _on_pattern(indptr, indices, lower)
    size = len(pivots)
    keys = np.repeat(np.arange(size, dtype=np.int64), np.diff(indptr)) * size + indices
    parent = _tree_parents(keys, size)
    depth = _depths(parent)
    diagonal, below = _recurrences(indptr, indices, keys, depth, values, pivots)
    unit_lower = (lower + sp.identity(size, format="csc")).tocsc()
    return SelectedInverse(
        np.asarray(lu.perm_c), diagonal, keys, below, (pivots, unit_lower), (parent, depth)
    )


# Columns solved together, over the union of their reaches: the union grows with the block
# (3,700 rows for 32 columns of the 2,031 bridge columns of a million flows, 7,200 for 128)
# while the cost per block falls; of 1, 8, 32 and 128 columns, 32 was the fastest.
REACH_BLOCK = 32
# Past this share of the rows, a block's reach costs more than full solves: Python walks
# the tree and the rows are gathered one by one (a path of 200,000 balances, its tree
# 100,000 deep: 10.6 s by reach for 2,000 columns, 6.2 s by full solves)
REACH_SHARE = 0.25


def forms_by_reach(
    selected: SelectedInverse, columns: sp.csc_matrix
) -> tuple[np.ndarray, np.ndarray]:
    """``w^T S^-1 w`` for each column ``w`` of ``columns`` (S's own numbering), by
    triangular solves on the rows they reach only; and which columns were done (the
    others, 0 in the forms, reach too much of the tree: a full solve costs less).

    With ``S = P^T L D L^T P`` (:func:`factorise`: a symmetric elimination, whose ``L`` the
    recurrences read too), ``w^T S^-1 w = |D^-1/2 L^-1 P w|^2``. The solution of a unit
    lower triangular system with a sparse right-hand side is nonzero only on the *reach*
    of its entries, here their ancestors in the elimination tree of the filled pattern
    (Gilbert 1994; Davis 2006, ch. 3), so each block of :data:`REACH_BLOCK` columns is
    solved on the rows ``R`` of the union of its reaches, with ``L[R, R]``, unless ``R``
    would pass :data:`REACH_SHARE` of the rows (a deep tree, such as a chain of balances:
    its depth is a lower bound, checked first). O(blocks x (|R| + nnz(L[R, R]) x block));
    a full solve reads every row of the factors for each column: at a million flows the
    2,031 bridge columns whose pairs are not on the pattern took 22 s by SuperLU's solves
    and take 0.3 s here (the tree is 1,948 deep for 212,068 balances)."""
    from scipy.sparse.linalg import spsolve_triangular

    columns = sp.csc_matrix(columns)
    forms, done = np.zeros(columns.shape[1]), np.zeros(columns.shape[1], dtype=bool)
    pivots, unit_l = selected.factors
    parent, depth = selected.tree
    most = int(REACH_SHARE * len(pivots))
    up = parent.tolist()
    for start in range(0, columns.shape[1], REACH_BLOCK):
        block = columns[:, start : start + REACH_BLOCK]
        rows = selected.order[block.indices]  # in the factor's order
        if len(rows) and int(depth[rows].max()) >= most:
            continue  # the reach holds the path to the root at least
        reach = _reach(up, np.unique(rows).tolist(), most)
        if reach is None:
            continue
        done[start : start + REACH_BLOCK] = True
        if not len(reach):
            continue  # empty columns: 0
        right = np.zeros((len(reach), block.shape[1]))
        column = np.repeat(np.arange(block.shape[1]), np.diff(block.indptr))
        np.add.at(right, (np.searchsorted(reach, rows), column), block.data)  # repeats add up
        triangle = unit_l[:, reach][reach, :]
        solved = spsolve_triangular(triangle, right, lower=True, unit_diagonal=True,
                                    overwrite_A=True, overwrite_b=True)  # fmt: skip
        solved *= solved
        solved /= pivots[reach][:, None]
        forms[start : start + REACH_BLOCK] = solved.sum(axis=0)
    return forms, done


def _tree_parents(keys: np.ndarray, size: int) -> np.ndarray:
    """The elimination tree of the filled pattern: each column's first row below the
    diagonal (-1 for a root), from the sorted keys (column * size + row). O(nnz)."""
    column = keys // size
    first = np.r_[True, column[1:] != column[:-1]] if len(keys) else np.zeros(0, dtype=bool)
    parent = np.full(size, -1, dtype=np.int64)
    parent[column[first]] = keys[first] % size
    return parent


def _reach(parent: list[int], starts: list[int], most: int) -> np.ndarray | None:
    """The rows on the paths from ``starts`` to their roots, ascending (a topological
    order: a parent comes after its children); None once there are more than ``most``.
    O(rows reached)."""
    seen: set[int] = set()
    for node in starts:
        while node >= 0 and node not in seen:
            seen.add(node)
            node = parent[node]
        if len(seen) > most:
            return None
    return np.array(sorted(seen), dtype=np.int64)


def _recurrences(indptr, indices, keys, depth, l_values, pivots) -> tuple[np.ndarray, np.ndarray]:
    """``diag(Z)`` and ``Z`` below the diagonal on the pattern, a level of the elimination
    tree at a time from the roots down.

    Column ``j`` reads ``Z[K_j, K_j]``, and ``K_j`` holds ancestors of ``j`` only (the
    pattern is closed), so the columns of one depth are independent: for all of them at
    once, each ``Z[k, i] L[i, j]`` (``k``, ``i`` in ``K_j``) is gathered and summed into
    ``Z[k, j]`` in the order of ``i`` (np.add.reduceat), then ``Z[j, j]``. The levels go
    in batches of about :data:`BATCH_PAIRS` such products. O(sum_j |K_j|^2) work in
    O(depth) numpy steps: at a million flows (212,068 columns, 1,948 levels) about 0.6 s
    where a Python loop over the columns took 3 s."""
    size, nnz = len(pivots), len(indices)
    count = np.diff(indptr)
    # Z below the diagonal (position in the pattern), then Z[j, j] at nnz + j
    values = np.zeros(nnz + size)
    columns = np.argsort(depth, kind="stable")  # by level, then position
    level_end = np.searchsorted(depth[columns], np.arange(int(depth.max(initial=-1)) + 1), "right")
    pairs = np.cumsum(count[columns].astype(np.int64) ** 2)  # products, cumulated
    thin = np.diff(level_end, prepend=0) <= THIN_LEVEL
    scalar = _Scalar(indptr, indices, l_values, pivots)
    level, levels = 0, len(level_end)
    while level < levels:
        start = int(level_end[level - 1]) if level else 0
        if thin[level]:
            for j in columns[start : level_end[level]].tolist():
                scalar.column(j, values)
            level += 1
            continue
        before = int(pairs[start - 1]) if start else 0
        last = level  # the next wide levels while the batch stays within BATCH_PAIRS products
        while (last + 1 < levels and not thin[last + 1]
               and pairs[level_end[last + 1] - 1] - before <= BATCH_PAIRS):  # fmt: skip
            last += 1
        batch = _Batch(indptr, indices, keys, columns[start : level_end[last]])
        for end in level_end[level : last + 1].tolist():
            batch.level(values, l_values, pivots, end - start)
        level = last + 1
    return values[nnz:], values[:nnz]


# Products Z[k, i] L[i, j] gathered per batch of levels (its index arrays: tens of MB)
BATCH_PAIRS = 1 << 20
# Levels of at most this many columns go one column at a time in Python floats: a deep,
# thin tree (a chain of balances) has as many levels as columns, and a level's dozen
# numpy calls cost more than a few products (a path of 200,000: 1.8 s by levels alone).
THIN_LEVEL = 3


class _Scalar:
    """Columns one at a time, in Python floats: the same recurrences as :class:`_Batch`,
    the same sums but for rounding (numpy adds a long run pairwise)."""

    def __init__(self, indptr, indices, l_values, pivots):
        self.bounds, self.rows = indptr.tolist(), indices.tolist()
        self.weights, self.inverse = l_values.tolist(), (1.0 / pivots).tolist()
        self.nnz = len(indices)

    def column(self, j: int, values: np.ndarray) -> None:
        start, end = self.bounds[j], self.bounds[j + 1]
        pattern, weights = self.rows[start:end], self.weights[start:end]
        column = []
        for k in pattern:
            total = 0.0
            for i, weight in zip(pattern, weights, strict=True):
                total += self._read(k, i, values) * weight
            column.append(-total)
        values[start:end] = column
        values[self.nnz + j] = self.inverse[j] - sum(
            weight * value for weight, value in zip(weights, column, strict=True)
        )

    def _read(self, k: int, i: int, values: np.ndarray) -> float:
        """``Z[k, i]`` of a column done already (symmetric)."""
        if k == i:
            return values.item(self.nnz + k)
        low, high = (k, i) if k < i else (i, k)
        at = bisect.bisect_left(self.rows, high, self.bounds[low], self.bounds[low + 1])
        return values.item(at)


class _Batch:
    """The columns of a few consecutive levels (ascending depth), with the index arrays of
    their products: for each stored entry ``(k, j)``, its pairs ``(k, i)`` over ``K_j``."""

    def __init__(self, indptr, indices, keys, columns):
        size, nnz = len(indptr) - 1, len(indices)
        self.columns = columns
        count = indptr[columns + 1] - indptr[columns]
        self.column_start = np.r_[0, np.cumsum(count)]  # entries of each column
        entry_column = np.repeat(columns, count)
        self.entries = _ranges(indptr[columns], count)  # positions in the pattern
        width = indptr[entry_column + 1] - indptr[entry_column]  # |K_j| per entry
        self.entry_start = np.r_[0, np.cumsum(width)]  # products of each entry
        first = np.repeat(self.entries, width)
        second = _ranges(indptr[entry_column], width)
        k, i = indices[first], indices[second]
        low, high = np.minimum(k, i), np.maximum(k, i)
        at = np.searchsorted(keys, low * size + high)
        self.read = np.where(k == i, nnz + k, at)  # Z[k, i] in the values
        self.weight = second  # L[i, j]: its position in the pattern
        self.done = 0  # columns of the batch done

    def level(self, values, l_values, pivots, end: int) -> None:
        """Columns ``done`` to ``end`` of the batch (one level): Z[K_j, j], then Z[j, j]."""
        nnz = len(l_values)
        first, last = self.column_start[self.done], self.column_start[end]
        entries = self.entries[first:last]
        if len(entries):
            lo, hi = self.entry_start[first], self.entry_start[last]
            products = values[self.read[lo:hi]] * l_values[self.weight[lo:hi]]
            values[entries] = -np.add.reduceat(products, self.entry_start[first:last] - lo)
        columns = self.columns[self.done : end]
        diagonal = 1.0 / pivots[columns]
        starts = self.column_start[self.done : end] - first
        has = starts < np.r_[starts[1:], last - first]
        if has.any():
            products = l_values[entries] * values[entries]
            diagonal[has] -= np.add.reduceat(products, starts[has])
        values[nnz + columns] = diagonal
        self.done = end


def _ranges(starts: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """``starts[0], starts[0] + 1, ... (lengths[0] of them), starts[1], ...``."""
    total = int(lengths.sum())
    offsets = np.arange(total) - np.repeat(np.cumsum(lengths) - lengths, lengths)
    return np.repeat(starts, lengths) + offsets


def _depths(parent: np.ndarray) -> np.ndarray:
    """Each column's depth in the elimination tree (0 for a root); a parent comes after
    its child. O(columns)."""
    up, depth = parent.tolist(), [0] * len(parent)
    for j in range(len(up) - 1, -1, -1):
        if up[j] >= 0:
            depth[j] = depth[up[j]] + 1
    return np.array(depth, dtype=np.int64)


# ------------------------------------------------- solves, for the reconciliation


def solver(matrix: sp.csc_matrix):
    """A solver for ``matrix x = b`` (symmetric positive definite): sparse LU."""
    return solver_and_inverse(matrix, inverse=False)[0]


def solver_and_inverse(matrix: sp.csc_matrix, *, inverse: bool = True):
    """A solver for ``S x = b`` and ``S^-1`` on the pattern of ``S`` (``None`` when the
    factors do not allow it, or not asked for: the variances are then found by solves)."""
    if matrix.shape[0] == 0:
        return (lambda b: np.zeros_like(b)), None
    try:
        lu = factorise(matrix)
    except RuntimeError as exc:  # singular: cannot happen with positive variances
        raise AnalysisError(
            f"the reduced balance matrix is singular ({exc}), which positive standard "
            "deviations rule out; please report it with the command you ran"
        ) from None
    return lu.solve, selected_inverse(lu) if inverse else None


def shrinkage(factor, selected, matrix: sp.csr_matrix, variance: np.ndarray) -> np.ndarray:
    """``diag(V B^T S^-1 B V)``, the variance reconciliation takes off each adjusted flow:
    ``v^2 (Z_hh + Z_tt - 2 Z_ht)`` for a flow between balances ``h`` and ``t`` (one term
    when only one end balances), from the selected inverse; by solves without it."""
    if matrix.shape[0] == 0:
        return np.zeros(len(variance))
    if selected is None:
        return variance_taken(factor, (matrix @ sp.diags(variance)).tocsc())
    columns = sp.csc_matrix(matrix)  # one or two entries per column (+1 head, -1 tail)
    count = np.diff(columns.indptr)
    if not len(columns.indices):
        return np.zeros(len(variance))
    at = np.minimum(columns.indptr[:-1], columns.nnz - 1)
    then = np.minimum(at + 1, columns.nnz - 1)
    first, second = columns.indices[at], np.where(count == 2, columns.indices[then], 0)
    second = np.where(count == 2, second, first)
    sign = columns.data[at] * columns.data[then]
    both = selected.entries(second, second) + 2 * sign * selected.entries(first, second)
    form = selected.entries(first, first) + np.where(count == 2, both, 0.0)
    return np.where(count > 0, variance**2 * form, 0.0)


def variance_taken(solve, columns: sp.csc_matrix, selected=None) -> np.ndarray:
    """``diag(W^T S^-1 W)`` for the columns ``W`` (the variance that reconciliation takes
    off each flow). With the selected inverse ``selected``: from it for the columns whose
    entries' pairs are on its pattern (:func:`quadratic_forms`), by
    triangular solves on the rows each column reaches for the others
    (:func:`forms_by_reach`). Without it (factors of no symmetric
    elimination), and for the columns that reach much of a deep elimination tree, by full
    solves of :data:`CHUNK` right-hand sides at a time: O(columns x nnz(LU))."""
    from .._numeric import blas_threads_for

    columns = sp.csc_matrix(columns)
    result, left = np.zeros(columns.shape[1]), np.arange(columns.shape[1])
    if selected is not None:
        result, done = quadratic_forms(selected, columns)
        left = np.flatnonzero(~done)
        if len(left):
            result[left], reached = forms_by_reach(selected, columns[:, left])
            left = left[~reached]
    with blas_threads_for(0):  # thin triangular solves: threads only contend
        for start in range(0, len(left), CHUNK):
            part = left[start : start + CHUNK]
            dense = np.asfortranarray(columns[:, part].toarray())
            result[part] = np.einsum("ij,ij->j", dense, solve(dense))
    return result
