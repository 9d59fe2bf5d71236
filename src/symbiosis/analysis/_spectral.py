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
   block such as a ring; a block is done when its bounds meet to :data:`RADIUS_TOLERANCE`.
3. A block still open after :data:`MAX_STEPS` steps (a nearly periodic one: a long ring
   with one chord): ARPACK on ``B + I`` from a fixed start vector (the result does not
   change from run to run), then Noda's inverse iteration (Noda 1971) if ARPACK fails.

Complexity: O(k^3) per small block of k nodes, batched; O(steps * m) for the power
iteration over the m arcs inside the larger blocks; ARPACK O(m) per iteration for the few
blocks left.

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
        radii[ids] = _large_radii([block for _, block in blocks.large])
    return radii


def _large_radii(blocks: list[sp.csr_matrix]) -> np.ndarray:
    """Radii of the larger blocks: batched power iteration, then ARPACK for the rest."""
    sizes = np.array([block.shape[0] for block in blocks], dtype=np.int64)
    starts = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    block_of = np.repeat(np.arange(len(blocks)), sizes)
    radii = _power_bounds(sp.block_diag(blocks, format="csr"), starts, block_of)
    for index in np.flatnonzero(np.isnan(radii)):
        radii[index] = _block_radius(blocks[index])
    return radii


def _power_bounds(diagonal: sp.csr_matrix, starts: np.ndarray, block_of: np.ndarray) -> np.ndarray:
    """Power iteration on ``B + I`` for every block at once; each block's radius when its
    Collatz-Wielandt bounds meet, NaN for the blocks still open after MAX_STEPS."""
    vector = np.ones(diagonal.shape[0])
    radii = np.full(len(starts), np.nan)
    open_blocks = np.ones(len(starts), dtype=bool)
    for step in range(1, MAX_STEPS + 1):
        product = diagonal @ vector
        if step % CHECK_EVERY == 0:
            ratios = product / vector
            lower = np.minimum.reduceat(ratios, starts)
            upper = np.maximum.reduceat(ratios, starts)
            done = open_blocks & (upper - lower <= RADIUS_TOLERANCE * upper)
            radii[done] = 0.5 * (lower[done] + upper[done])
            open_blocks &= ~done
            if not open_blocks.any():
                break
        vector = vector + product
        vector /= np.maximum.reduceat(vector, starts)[block_of]
    return radii


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
