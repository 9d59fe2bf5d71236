"""Spectral radius of each strongly connected block of a nonnegative matrix.

The cyclicity of enaR's ``enaStructure`` is the spectral radius of the binary adjacency,
the largest over its strongly connected components (Frobenius normal form). An industrial
network has many components, so the radii are computed for all of them at once:

1. Blocks up to :data:`BATCH_LIMIT` nodes: dense eigenvalues, stacked by size, one batched
   LAPACK call per size.
2. Larger blocks, all together: power iteration on ``B + I`` over their block-diagonal
   matrix, one sparse product per step for every block, with the Collatz-Wielandt bounds
   ``min(Bx/x) <= rho(B) <= max(Bx/x)`` (a positive ``x``) per block. ``B + I`` is
   primitive for an irreducible ``B``, so the iteration converges even for a periodic
   block such as a ring; a block is done when its bounds meet to :data:`RADIUS_TOLERANCE`,
   and the blocks done leave the product once they hold a third of its rows.
3. A block still open after :data:`MAX_STEPS` steps (a nearly periodic one: a long ring
   with one chord): ARPACK on ``B + I`` from a fixed start vector (the result does not
   change from run to run), then Noda's inverse iteration (Noda 1971) if ARPACK fails.

Complexity: O(k^3) per small block of k nodes, batched; for the power iteration, each
block's steps times its arcs, plus the blocks done while they hold under a third of the
product's rows (not the slowest block's steps times every arc); ARPACK O(m) per
iteration for the few blocks left.

References
----------
Berman, A. & Plemmons, R.J. 1994. Nonnegative Matrices in the Mathematical Sciences. SIAM
(Perron-Frobenius; Collatz-Wielandt bounds).
Noda, T. 1971. Note on the computation of the maximal eigenvalue of a non-negative
irreducible matrix. Numer. Math. 17: 382-386.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from .._numeric import blas_threads_for
from ._linalg import BATCH_LIMIT, _split_blocks

__all__ = ["BATCH_LIMIT", "RADIUS_TOLERANCE", "spectral_radii"]

RADIUS_TOLERANCE = 1e-12
MAX_STEPS = 500
CHECK_EVERY = 10


def spectral_radii(matrix: sp.spmatrix, groups: list[np.ndarray]) -> np.ndarray:
    """Spectral radius of each diagonal block ``matrix[g][:, g]`` for ``g`` in ``groups``
    (irreducible nonnegative blocks: the cyclic SCCs of ``matrix``). See the module
    docstring for the method and its cost."""
    with blas_threads_for(BATCH_LIMIT):
        return _radii(sp.csr_matrix(matrix, dtype=float), groups)


def _radii(matrix: sp.csr_matrix, groups: list[np.ndarray]) -> np.ndarray:
    blocks = _split_blocks(matrix, groups)
    radii = np.zeros(len(groups))
    for ids, stack in blocks.stacks.values():
        radii[ids] = np.abs(np.linalg.eigvals(stack)).max(axis=1)
    if blocks.large:
        ids = np.array([group for group, _ in blocks.large], dtype=np.int64)
        radii[ids] = _large_radii([block for _, block in blocks.large], blocks.joined)
    if not groups:
        return radii
    lower, upper = _sum_bounds(matrix, groups)
    return np.clip(radii, lower, upper)


def _sum_bounds(matrix: sp.csr_matrix, groups: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """Bounds of each block's spectral radius, exact sums of its entries: it lies between
    the smallest and the largest row sum, and between those of the columns (Perron-
    Frobenius). Clipped to them, a block whose rows (or columns) all sum alike has that
    sum for radius exactly: a simple cycle 1, not the 1.0000000000000002 of the
    eigensolver, which read as interlocking cycles (> 1). O(n + nnz)."""
    n = matrix.shape[0]
    label = np.full(n, -1, dtype=np.int64)
    members = np.concatenate([*groups, np.zeros(0, dtype=np.int64)]).astype(np.int64)
    label[members] = np.repeat(np.arange(len(groups)), [len(g) for g in groups])
    coo = matrix.tocoo()
    inside = (label[coo.row] >= 0) & (label[coo.row] == label[coo.col])
    bounds = []
    for ends in (coo.row, coo.col):
        sums = np.bincount(ends[inside], weights=coo.data[inside], minlength=n)[members]
        starts = np.cumsum([0, *(len(g) for g in groups[:-1])])
        bounds.append((np.minimum.reduceat(sums, starts), np.maximum.reduceat(sums, starts)))
    (row_low, row_high), (col_low, col_high) = bounds
    return np.maximum(row_low, col_low), np.minimum(row_high, col_high)


def _large_radii(blocks: list[sp.csr_matrix], joined: sp.csr_matrix | None = None) -> np.ndarray:
    """Radii of the larger blocks: batched power iteration, then ARPACK for the rest.
    ``joined`` is their block-diagonal matrix when the caller has it."""
    sizes = np.array([block.shape[0] for block in blocks], dtype=np.int64)
    if joined is None:
        joined = sp.block_diag(blocks, format="csr")
    radii = _power_bounds(joined, sizes)
    for index in np.flatnonzero(np.isnan(radii)):
        radii[index] = _block_radius(blocks[index])
    return radii


def _power_bounds(diagonal: sp.csr_matrix, sizes: np.ndarray) -> np.ndarray:
    """Power iteration on ``B + I`` for every block at once (``sizes``: the blocks along the
    diagonal); each block's radius when its Collatz-Wielandt bounds meet, NaN for the
    blocks still open after MAX_STEPS. The blocks never mix, so those done are dropped
    from the product once they hold a third of its rows: each block's numbers stay those
    of the whole iteration, bit for bit, and the slow few no longer carry the rest."""
    radii = np.full(len(sizes), np.nan)
    ids = np.arange(len(sizes))  # the blocks in the product
    open_blocks = np.ones(len(ids), dtype=bool)  # of those, the ones not done yet
    vector = np.ones(diagonal.shape[0])
    starts = np.cumsum(sizes) - sizes
    block_of = np.repeat(ids, sizes)
    for step in range(1, MAX_STEPS + 1):
        product = diagonal @ vector
        if step % CHECK_EVERY == 0:
            ratios = product / vector
            lower = np.minimum.reduceat(ratios, starts)
            upper = np.maximum.reduceat(ratios, starts)
            done = open_blocks & (upper - lower <= RADIUS_TOLERANCE * upper)
            radii[ids[done]] = 0.5 * (lower[done] + upper[done])
            open_blocks &= ~done
            if not open_blocks.any():
                break
            if 3 * sizes[ids[~open_blocks]].sum() >= len(vector):
                keep = np.repeat(open_blocks, sizes[ids])
                diagonal, product, vector = _rows_kept(diagonal, keep), product[keep], vector[keep]
                ids = ids[open_blocks]
                open_blocks = open_blocks[open_blocks]
                starts = np.cumsum(sizes[ids]) - sizes[ids]
                block_of = np.repeat(np.arange(len(ids)), sizes[ids])
        vector = vector + product
        vector /= np.maximum.reduceat(vector, starts)[block_of]
    return radii


def _rows_kept(diagonal: sp.csr_matrix, keep: np.ndarray) -> sp.csr_matrix:
    """The block-diagonal matrix without the rows and columns of the blocks not kept
    (``keep``: per row), entries in the same order. O(nnz)."""
    counts = np.diff(diagonal.indptr)
    entries = np.repeat(keep, counts)
    shift = np.cumsum(~keep)  # columns of dropped blocks before each column
    indptr = np.zeros(int(keep.sum()) + 1, dtype=diagonal.indptr.dtype)
    np.cumsum(counts[keep], out=indptr[1:])
    indices = diagonal.indices[entries]
    indices = indices - shift[indices].astype(indices.dtype)
    n = len(indptr) - 1
    return sp.csr_matrix((diagonal.data[entries], indices, indptr), shape=(n, n))


def _block_radius(block: sp.csr_matrix) -> float:
    """Perron root of one irreducible block: ARPACK on ``B + I`` from a fixed start,
    Noda's iteration if ARPACK does not converge."""
    from scipy.sparse.linalg import ArpackError, ArpackNoConvergence, eigs  # rarely needed

    size = block.shape[0]
    shifted = block + sp.identity(size, format="csr")
    try:
        value = eigs(
            shifted, k=1, which="LM", return_eigenvectors=False, maxiter=50, v0=np.ones(size)
        )
        return float(abs(value[0].real) - 1.0)
    except (ArpackNoConvergence, ArpackError):
        return _noda(block, np.ones(size))


def _collatz_wielandt(block: sp.csr_matrix, vector: np.ndarray) -> tuple[float, float]:
    ratios = (block @ vector) / vector
    return float(ratios.min()), float(ratios.max())


def _noda(block: sp.csr_matrix, vector: np.ndarray, max_steps: int = 50) -> float:
    """Noda iteration: inverse iteration shifted by the upper Collatz-Wielandt bound, one
    sparse LU per step (quadratic convergence for irreducible nonnegative matrices)."""
    from scipy.sparse.linalg import splu

    for _ in range(30):  # a positive start vector first
        vector = vector + block @ vector
        vector /= vector.max()
    lower, upper = _collatz_wielandt(block, vector)
    identity = sp.identity(block.shape[0], format="csc")
    for _ in range(max_steps):
        if upper - lower <= RADIUS_TOLERANCE * upper:
            break
        try:
            lu = splu((upper * identity - block).tocsc(), permc_spec="MMD_AT_PLUS_A")
        except RuntimeError:  # sigma is the Perron root to machine precision
            return upper
        solved = lu.solve(vector)
        if not np.all(np.isfinite(solved)) or solved.min() <= 0:
            return upper
        vector = solved / solved.max()
        lower, upper = _collatz_wielandt(block, vector)
    return 0.5 * (lower + upper)
