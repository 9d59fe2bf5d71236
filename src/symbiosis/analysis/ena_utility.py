"""Flow utility analysis (enaR's ``enaUtility(type="flow")``): the mutualism and synergism
of the direct and indirect relations (see :mod:`symbiosis.analysis.ena`)."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy.sparse.csgraph import connected_components

from .._numeric import blas_threads_for
from ._ena_system import (
    _rows_divided,
    _system,
)

__all__ = [
    "GINV_TOLERANCE",
    "UTILITY_DECIMALS",
    "UTILITY_DENSE_MAX",
    "UtilityResult",
    "flow_utility",
]

# Largest weakly connected component whose utility matrix is inverted densely
# (O(s^3) time, 8 s^2 bytes: about 1 s and 32 MB at 2,000 nodes).
UTILITY_DENSE_MAX = 2_000
# enaR rounds the utility matrix U to this many decimals before counting signs (tol=10).
UTILITY_DECIMALS = 10
# enaUtility divides by T through MASS::ginv(diag(T)), whose default tolerance drops the
# throughflows below sqrt(machine epsilon) times the largest: those nodes get a zero row
# in D. Kept, so that the sign counts are enaR's (it changes 14 of the 104 library models).
GINV_TOLERANCE = math.sqrt(np.finfo(float).eps)


# ====================================================================== utility


@dataclass(frozen=True)
class UtilityResult:
    """Flow utility analysis (enaR ``enaUtility(type="flow")``).

    ``mutualism``: positive over negative entries of the integral utility ``Y``
    (enaR's ``mutualism.F``, Fath & Patten 1998's "network mutualism": above 1, more
    pairs of nodes benefit each other, directly and indirectly, than harm each other);
    ``synergism``: the sum of the positive entries of ``Y`` over the absolute sum of
    the negative ones (``synergism.F``); ``positive`` and ``negative``: the counts;
    ``spectral_radius``: of the direct utility ``D`` (``lam1D``; below 1 the power
    series of ``U`` converges).
    """

    throughflow_rule: str
    mutualism: float | None
    synergism: float | None
    positive: int
    negative: int
    spectral_radius: float

    def to_dict(self) -> dict:
        return {key: getattr(self, key) for key in self.__dataclass_fields__}


def flow_utility(
    flows,
    inputs,
    outputs,
    *,
    throughflow: str = "inflow",
    max_dense: int = UTILITY_DENSE_MAX,
) -> UtilityResult:
    """Mutualism and synergism of the flow utility analysis (Patten 1991; Fath & Patten
    1998; enaR ``enaUtility``, ``bcratio``).

    Direct utility ``d_ij = (F_ji - F_ij) / T_i``: what node ``i`` gains from ``j``
    minus what it gives to it, per unit of its throughflow (self-flows cancel). Integral
    utility ``U = (I - D)^-1`` (all direct and indirect paths), rounded to 10 decimals as
    enaR does before counting signs, and ``Y = diag(T) U``. As enaR (whose pseudo-inverse
    of ``diag(T)`` drops them), nodes whose throughflow is below ``1.5e-8`` times the
    largest get a zero row in ``D``. Then::

        mutualism = #{Y_ij > 0} / #{Y_ij < 0}
        synergism = sum_{Y > 0} Y_ij / |sum_{Y < 0} Y_ij|

    ``D`` has the pattern of ``F + F'``, so ``U`` is block diagonal on the weakly
    connected components: each is inverted densely, O(s^3) for a component of ``s``
    nodes, and one above ``max_dense`` (default :data:`UTILITY_DENSE_MAX`) raises
    ``ValueError``. The sign counts need every entry of ``U``: O(s^2) memory.
    """
    system = _system(flows, inputs, outputs, throughflow)
    matrix, through = system.flows, system.throughflow
    n = matrix.shape[0]
    # d_ij = (F_ji - F_ij) / T_i; the diagonal cancels.
    kept = np.where(through > GINV_TOLERANCE * through.max(initial=0.0), through, 0.0)
    direct = _rows_divided((matrix.T - matrix).tocsr(), kept)
    _, labels = connected_components(matrix, directed=True, connection="weak")
    positive = negative = 0
    gain = loss = 0.0
    radius = 0.0
    # Small systems: one dense copy, sliced per component (a sparse slice costs ~1 ms each).
    dense = direct.toarray() if n <= max_dense else None
    groups = _groups(labels, n)
    # A node alone in its component has u_ii = 1 (its self-flow cancels in D): y_ii = T_i.
    alone = np.array([g[0] for g in groups if len(g) == 1], dtype=np.int64)
    values = through[alone]
    positive, negative = int(np.count_nonzero(values > 0)), int(np.count_nonzero(values < 0))
    gain = float(values[values > 0].sum())
    # Mid-sized blocks: one BLAS thread (threads only contend, badly on a busy machine).
    with blas_threads_for(max((len(g) for g in groups), default=0)):
        for members in (g for g in groups if len(g) > 1):
            block = _dense_block(direct, dense, members, max_dense)
            radius = max(radius, float(np.abs(np.linalg.eigvals(block)).max(initial=0.0)))
            values = through[members, None] * np.round(_integral(block), UTILITY_DECIMALS)
            positive += int(np.count_nonzero(values > 0))
            negative += int(np.count_nonzero(values < 0))
            gain += float(values[values > 0].sum())
            loss += float(-values[values < 0].sum())
    return UtilityResult(
        throughflow_rule=throughflow,
        mutualism=positive / negative if negative else None,
        synergism=gain / loss if loss > 0 else None,
        positive=positive,
        negative=negative,
        spectral_radius=radius,
    )


def _dense_block(direct, dense: np.ndarray | None, members: np.ndarray, max_dense: int):
    """The dense block of ``D`` on one component's ``members``."""
    if len(members) > max_dense:
        raise ValueError(
            f"flow utility: a connected component of {len(members):,} nodes is above "
            f"the dense limit of {max_dense:,}"
        )
    if dense is not None:
        return dense[np.ix_(members, members)]
    return direct[members][:, members].toarray()


def _integral(block: np.ndarray) -> np.ndarray:
    """``(I - D)^-1`` on one component."""
    try:
        return np.linalg.inv(np.eye(len(block)) - block)
    except np.linalg.LinAlgError as error:
        raise ValueError("flow utility: I - D is singular") from error


def _groups(labels: np.ndarray, n: int) -> list[np.ndarray]:
    order = np.argsort(labels, kind="stable")
    return np.split(order, np.flatnonzero(np.diff(labels[order])) + 1) if n else []
