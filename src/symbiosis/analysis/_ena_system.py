"""The system every ENA function reads: flows F (self-flows on the diagonal), boundary
inputs z and outputs y, and the throughflow under enaR's rule, its mirror or ours (see
:mod:`symbiosis.analysis.ena`)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from scipy.sparse.linalg import splu

THROUGHFLOW_RULES: tuple[str, ...] = ("inflow", "outflow", "max")


# ====================================================================== inputs


@dataclass(frozen=True, eq=False)
class _System:
    """A flow system after the throughflow rule: CSR flows, boundary flows, throughflow."""

    flows: sp.csr_matrix
    inputs: np.ndarray
    outputs: np.ndarray
    throughflow: np.ndarray
    unrecorded_output: np.ndarray
    row_sums: np.ndarray  # of the flows: what each node sends to nodes
    column_sums: np.ndarray  # what each node receives from nodes


def _matrix(flows) -> sp.csr_matrix:
    matrix = sp.csr_matrix(flows, dtype=float, copy=True)
    matrix.sum_duplicates()
    matrix.eliminate_zeros()
    return matrix


def _vectors(matrix: sp.csr_matrix, inputs, outputs) -> tuple[np.ndarray, np.ndarray]:
    n = matrix.shape[0]
    if matrix.shape != (n, n):
        raise ValueError(f"the flow matrix must be square, not {matrix.shape}")
    z = np.asarray(inputs, dtype=float).reshape(-1)
    y = np.asarray(outputs, dtype=float).reshape(-1)
    if z.shape != (n,) or y.shape != (n,):
        raise ValueError(f"inputs and outputs must have one value per node ({n})")
    values = np.concatenate([matrix.data, z, y])
    if not np.all(np.isfinite(values)) or np.any(values < 0):
        raise ValueError("flows, inputs and outputs must be finite and >= 0")
    return z, y


def _system(flows, inputs, outputs, throughflow: str) -> _System:
    """Apply the throughflow rule (see :mod:`symbiosis.analysis.ena`): ``"inflow"``
    (enaR's) ``T`` = inflow and ``"outflow"`` ``T`` = outflow, both with the recorded
    ``z`` and ``y``; ``"max"`` ``T = max(inflow, outflow)`` with ``z`` and ``y`` closing
    each balance. O(n + m)."""
    if throughflow not in THROUGHFLOW_RULES:
        raise ValueError(
            f"unknown throughflow rule {throughflow!r}; choose from {', '.join(THROUGHFLOW_RULES)}"
        )
    matrix = _matrix(flows)
    z, y = _vectors(matrix, inputs, outputs)
    received = np.asarray(matrix.sum(axis=0)).ravel()
    sent = np.asarray(matrix.sum(axis=1)).ravel()
    inflow, outflow = received + z, sent + y
    if throughflow == "inflow":
        return _System(matrix, z, y, inflow, np.zeros_like(y), sent, received)
    if throughflow == "outflow":
        return _System(matrix, z, y, outflow, np.zeros_like(y), sent, received)
    through = np.maximum(inflow, outflow)
    extra_out = through - outflow
    return _System(
        matrix, z + (through - inflow), y + extra_out, through, extra_out, sent, received
    )


def _reciprocal(values: np.ndarray) -> np.ndarray:
    """1/x, and 0 where x is 0 (enaR's zero.na for nodes without throughflow). Overflows
    for a denormal x: to scale a matrix use :func:`_rows_divided` / :func:`_columns_divided`."""
    return np.divide(1.0, values, out=np.zeros_like(values), where=values != 0)


def _divided(values: np.ndarray, by: np.ndarray) -> np.ndarray:
    """values / by, 0 where by is 0: a share of a throughflow stays <= 1 where 1/x would
    overflow (x = 5e-324). Under enaR's inflow rule a flow may exceed its node's
    throughflow, and a denormal one gives inf: left as inf (a loop block holding it fails
    its checks), without a warning."""
    with np.errstate(over="ignore"):
        return np.divide(values, by, out=np.zeros_like(values, dtype=float), where=by != 0)


def _rows_divided(matrix: sp.spmatrix, by: np.ndarray) -> sp.csr_matrix:
    """Row i of ``matrix`` divided by ``by[i]`` (0 where it is 0): ``diag(1/by) @ M``
    without forming 1/by. O(nnz)."""
    out = sp.csr_matrix(matrix, dtype=float, copy=True)
    rows = np.repeat(np.arange(out.shape[0]), np.diff(out.indptr))
    out.data = _divided(out.data, by[rows])
    return out


def _columns_divided(matrix: sp.spmatrix, by: np.ndarray) -> sp.csr_matrix:
    """Column j of ``matrix`` divided by ``by[j]``: ``M @ diag(1/by)``. O(nnz)."""
    out = sp.csr_matrix(matrix, dtype=float, copy=True)
    out.data = _divided(out.data, by[out.indices])
    return out


class _Singular(Exception):
    """I - G is singular: a closed loop that nothing leaves."""


def _solve_identity_minus(matrix: sp.csr_matrix, rhs: np.ndarray) -> np.ndarray:
    """Solve ``(I - matrix) x = rhs`` by sparse LU. O(nnz(L + U))."""
    n = matrix.shape[0]
    system = (sp.identity(n, format="csc") - matrix.tocsc()).tocsc()
    try:
        solution = splu(system, permc_spec="MMD_AT_PLUS_A").solve(rhs)
    except RuntimeError as error:  # "Factor is exactly singular"
        raise _Singular("I - G is singular: a loop that nothing leaves") from error
    if not np.all(np.isfinite(solution)):
        raise _Singular("I - G is numerically singular: a loop that almost nothing leaves")
    return solution
