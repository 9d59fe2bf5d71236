"""Balancing an unbalanced flow system (enaR's ``balance()``: AVG, AVG2, IO, OI of Allesina
& Bondavalli 2003; see :mod:`symbiosis.analysis.ena`)."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp

from ._ena_system import (
    _divided,
    _matrix,
    _rows_divided,
    _Singular,
    _solve_identity_minus,
    _vectors,
)

__all__ = ["BALANCE_METHODS", "BalanceResult", "balance"]

BALANCE_METHODS: tuple[str, ...] = ("avg", "avg2", "io", "oi", "i", "o")


# ====================================================================== balancing


@dataclass(frozen=True, eq=False)
class BalanceResult:
    """A balanced flow system (enaR ``balance``): ``flows`` (CSR), ``inputs`` z and
    ``outputs`` y; ``changed`` is False when the system was already within the
    tolerance and is returned as it was."""

    method: str
    flows: sp.csr_matrix = field(repr=False)
    inputs: np.ndarray = field(repr=False)
    outputs: np.ndarray = field(repr=False)
    changed: bool = True

    @property
    def throughflow(self) -> np.ndarray:
        return np.asarray(self.flows.sum(axis=0)).ravel() + self.inputs

    def to_dict(self) -> dict:
        coo = self.flows.tocoo()
        triples = zip(coo.row.tolist(), coo.col.tolist(), coo.data.tolist(), strict=True)
        return {
            "method": self.method,
            "changed": self.changed,
            "flows": [list(triple) for triple in triples],
            "inputs": self.inputs.tolist(),
            "outputs": self.outputs.tolist(),
        }


def balance(
    flows,
    inputs,
    outputs,
    *,
    method: str = "avg2",
    tolerance: float | None = None,
) -> BalanceResult:
    """Balance a flow system, inflow = outflow at every node, by Allesina & Bondavalli's
    (2003) methods as enaR's ``balance`` and ``bal`` implement them.

    The input step ``I`` keeps the inputs ``z`` and each node's output *proportions*
    ``p_ij = F_ij / out_i``, ``q_i = y_i / out_i`` (``out_i = sum_j F_ij + y_i``), and
    recomputes the throughflow the inputs imply, ``U = (I - P')^-1 z``; then
    ``F_ij = p_ij U_i`` and ``y_i = q_i U_i``. The output step ``O`` is the same on the
    transposed system: it keeps ``y`` and the input proportions ``F_ij / in_j``,
    ``U = (I - Q)^-1 y``. The methods (``X`` the system)::

        AVG  = (I(X) + O(X)) / 2
        IO   = O((I(X) + X) / 2)         OI = I((O(X) + X) / 2)
        AVG2 = (IO + OI) / 2             (enaR's default)

    plus ``"i"`` and ``"o"`` alone. Each step yields a balanced system and a mean of
    balanced systems is balanced, so all six balance exactly (up to rounding) unless a
    node has inputs but no outputs or the reverse. With ``tolerance`` (a share, e.g.
    0.05 for enaR's default ``tol = 5`` percent), a system whose nodes all satisfy
    ``|in_i - out_i| / out_i < tolerance`` is returned unchanged, as enaR does.
    Exports and respiration scale together (enaR scales both columns of a node alike).

    Complexity: one sparse LU per step (two for I and O, three for AVG, IO and OI, four
    for AVG2), O(nnz(L + U)). Raises ``ValueError`` when a step's ``I - P'`` is
    singular (a loop that nothing leaves), where enaR's pseudo-inverse prints a number.
    """
    method = method.lower()
    if method not in BALANCE_METHODS:
        raise ValueError(f"unknown balance method {method!r}; choose from {BALANCE_METHODS}")
    matrix = _matrix(flows)
    z, y = _vectors(matrix, inputs, outputs)
    if tolerance is not None and _within(matrix, z, y, tolerance):
        return BalanceResult(method, matrix, z, y, changed=False)
    f, z, y = _METHODS[method]((matrix, z, y))
    f = sp.csr_matrix(f)
    f.eliminate_zeros()
    return BalanceResult(method, f, z, y)


def _within(matrix: sp.csr_matrix, z: np.ndarray, y: np.ndarray, tolerance: float) -> bool:
    """enaR's ``ssCheck``: every |in - out| / out below the tolerance (strictly)."""
    inflow = np.asarray(matrix.sum(axis=0)).ravel() + z
    outflow = np.asarray(matrix.sum(axis=1)).ravel() + y
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.abs(inflow - outflow) / outflow
    return bool(np.all(share < tolerance))


def _input_step(system):
    """Allesina & Bondavalli's input step (enaR ``bal(, "input")``)."""
    matrix, z, y = system
    out = np.asarray(matrix.sum(axis=1)).ravel() + y
    proportions = _rows_divided(matrix, out)
    try:
        through = _solve_identity_minus(proportions.T.tocsr(), z)
    except _Singular as error:
        raise ValueError(f"balance: {error}") from error
    return sp.diags(through) @ proportions, z, _divided(y, out) * through


def _output_step(system):
    """The output step: the input step on the transposed system (enaR ``bal(, "output")``)."""
    matrix, z, y = system
    f, y_new, z_new = _input_step((matrix.T.tocsr(), y, z))
    return f.T.tocsr(), z_new, y_new


def _mix(a, b):
    """The mean of two systems."""
    return (a[0] + b[0]) * 0.5, (a[1] + b[1]) * 0.5, (a[2] + b[2]) * 0.5


def _io(system):
    return _output_step(_mix(_input_step(system), system))


def _oi(system):
    return _input_step(_mix(_output_step(system), system))


_METHODS = {
    "i": _input_step,
    "o": _output_step,
    "avg": lambda s: _mix(_input_step(s), _output_step(s)),
    "io": _io,
    "oi": _oi,
    "avg2": lambda s: _mix(_io(s), _oi(s)),
}
