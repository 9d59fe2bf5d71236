"""The proportional (Ghosh) supply-shock model: output falls by the share of input lost.

:mod:`~symbiosis.analysis.propagation` applies it with ``model="proportional"``; this
module solves it, one dimension at a time.

The model
---------
For a dimension, let ``F[i, j]`` be the known flow from node i to actor j. An actor's
throughflow is ``x_j = max(recorded inputs, recorded outputs)``: outputs above the
recorded inputs are an *unrecorded input* ``u_j`` (ore from the ground, air, data gaps)
that closes its balance, as in the cycling metrics (``close_balances=False``: only
recorded inputs count). Each actor's outputs are scaled by one factor ``s_j``:

.. math::

    s_j = d_j \\, \\frac{u_j + \\sum_{i \\in B} F_{ij} f_i + \\sum_{i \\in A} F_{ij} s_i}{x_j}

with ``A`` the actors, ``B`` the boundary nodes (their supply ``f_i``: their cap),
``d_j`` the actor's cap; an actor with no input is an origin, ``s_j = d_j``, and so is an
extraction actor, whatever it takes back (a mine's paste backfill counts in full). An input marked
substitutable (:mod:`symbiosis.io.substitutable`) counts in full, ``F_ij``, whatever its
source keeps: its receiver makes up for what it loses. In matrix
form ``(I - D B) s = D c`` with ``B[j, i] = F[i, j] / x_j``. A shocked actor's recorded
inputs fall to its cap (a closed smelter takes no concentrate). ``0 <= s <= 1``: the
solution is the least fixed point of a monotone map of [0, 1] into itself, so **a shock
never raises any flow**. Only actors downstream of a shocked node can change; there
every loop leaks (it holds a shocked actor, or is entered from outside), so ``I - D B``
is a nonsingular M-matrix, solved along the condensation of the dimension's actor graph
(:mod:`~symbiosis.analysis._condensation`, computed once per network and dimension): one
sparse LU of all loop blocks together (SuperLU, ``MMD_AT_PLUS_A``), one sparse triangular
solve. O(F + V) per dimension plus the LU of the loops crossed; a loop that keeps almost
everything in (leak below ~1e-12) raises :class:`~symbiosis.errors.AnalysisError`
rather than give a wrong number.

References
----------
Ghosh, A. (1958). Input-output approach in an allocation system. *Economica* 25(97), 58-64.
Miller, R. E. & Blair, P. D. (2009). *Input-Output Analysis*, 2nd ed., ch. 12. Cambridge UP.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
import scipy.sparse.csgraph as csgraph

from ..errors import AnalysisError
from ..model import FlowNetwork
from ..units import DIMENSIONS
from ._condensation import network_condensation
from ._substitutable import substitutable_flows

__all__ = ["check_solution", "proportional_factors"]


def proportional_factors(
    network: FlowNetwork, dimension: str, caps: np.ndarray, close_balances: bool
) -> np.ndarray:
    """Solve ``(I - D B) s = D c`` of one dimension on the actors downstream of a shocked
    node, along the dimension's condensation (module docstring). O(F + V) to build,
    plus the sparse LU of the loops among the affected actors."""
    core = network.core
    n = core.n_nodes
    is_actor = core.actor
    damping = caps[:, DIMENSIONS.index(dimension)]
    mask = core.in_dimension(dimension) & (core.value > 0)
    source, target, quantity = core.source[mask], core.target[mask], core.value[mask]
    held = substitutable_flows(network)[mask]  # made up by its receiver: full supply
    held |= core.has_role(target, "extraction")  # a mine is an origin: its inputs never limit
    inflow = core.node_sums(dimension).inflow
    throughflow = core.throughflow(dimension) if close_balances else inflow
    unrecorded = throughflow - inflow  # >= 0; zero when balances are not closed

    factors = np.ones(n)
    factors[~is_actor] = damping[~is_actor]  # boundary suppliers: only their own shock
    affected = _downstream(n, source[~held], target[~held], is_actor, damping < 1.0)
    if not affected.any():
        return factors

    # Unknowns: the affected actors. Everything else feeds them a known supply.
    local = np.full(n, -1, dtype=np.int64)
    nodes = np.flatnonzero(affected)
    local[nodes] = np.arange(len(nodes))
    into = affected[target]
    inner = into & affected[source] & ~held
    outer = into & ~inner
    supplied = np.where(held, 1.0, factors[source])
    known_supply = np.bincount(target[outer], quantity[outer] * supplied[outer], minlength=n)
    denominator = np.where(throughflow > 0, throughflow, 1.0)
    origin = throughflow[nodes] <= 0  # a shocked actor with no input: s = 1 + change
    constant = np.where(
        origin,
        1.0,
        (unrecorded[nodes] + known_supply[nodes]) / denominator[nodes],
    )
    # s = D (c + B s): the right-hand side D c and the matrix D B, B[j, i] = F_ij / x_j
    weight = damping[target[inner]] * quantity[inner] / denominator[target[inner]]
    size = len(nodes)
    received = sp.coo_matrix(
        (weight, (local[target[inner]], local[source[inner]])), shape=(size, size)
    )
    rhs = damping[nodes] * constant
    topology = network_condensation(network, dimension)
    try:
        solution = topology.solve(received, rhs, nodes=core.actor_index[nodes])
    except np.linalg.LinAlgError as exc:  # exactly singular: a loop with no leak at all
        raise AnalysisError(
            f"the supply-shock system is singular ({exc}): a loop of exchanges has no "
            "inflow from outside; check its flows"
        ) from None
    check_solution(received.tocsr(), rhs, solution)
    factors[nodes] = np.clip(solution, 0.0, 1.0)
    return factors


def _downstream(
    n: int, source: np.ndarray, target: np.ndarray, is_actor: np.ndarray, shocked: np.ndarray
) -> np.ndarray:
    """Actors reachable from a shocked node along flows into actors (shocked actors
    included). Boundary nodes pass nothing on. O(F + V) breadth-first search."""
    keep = is_actor[target] & (is_actor[source] | shocked[source])
    graph = sp.csr_matrix((np.ones(int(keep.sum())), (source[keep], target[keep])), shape=(n, n))
    seen = np.zeros(n, dtype=bool)
    for start in np.flatnonzero(shocked):
        if seen[start]:
            continue
        order = csgraph.breadth_first_order(graph, start, directed=True, return_predecessors=False)
        seen[order] = True
    return seen & is_actor


# Tolerances of the solution check: factors must lie in [0, 1] up to rounding.
_RANGE_TOLERANCE = 1e-9
_RESIDUAL_TOLERANCE = 1e-9


def check_solution(
    received: sp.spmatrix, rhs: np.ndarray, solution: np.ndarray, upper: np.ndarray | float = 1.0
) -> None:
    """Raise AnalysisError unless ``solution`` lies in [0, ``upper``] (1, or per unknown)
    and solves ``s = rhs + received s``: a loop that keeps almost everything in gives an
    inaccurate answer."""
    if not np.isfinite(solution).all():
        residual = np.inf
    else:
        residual = np.abs(solution - rhs - received @ solution).max(initial=0.0)
    low, high = solution.min(initial=0.0), (solution - upper).max(initial=0.0)
    if low < -_RANGE_TOLERANCE or high > _RANGE_TOLERANCE or not np.isfinite(residual):
        raise AnalysisError(
            "the supply-shock system is ill-conditioned: a loop of exchanges keeps almost "
            "all of its material in (no inflow or outflow to speak of), so its loss cannot "
            "be computed reliably; check the loop's flows"
        )
    if not residual <= _RESIDUAL_TOLERANCE * max(1.0, np.abs(rhs).max(initial=0.0)):
        raise AnalysisError(
            f"the supply-shock system is ill-conditioned (residual {residual:.2g}): a loop "
            "of exchanges leaks almost nothing; check its flows"
        )
