"""The linear algebra of data reconciliation, on plain arrays (the network side is
:mod:`symbiosis.analysis.reconcile`).

A problem is a set of flows between *keys* (a node in one dimension); each key either
balances (inflow = outflow) or is the *environment* of its dimension (every node that does
not balance is mapped to it). Each flow is one of

* **measured**: a value ``x`` with a standard deviation ``sd > 0``, adjusted;
* **fixed**: a value known exactly (``sd = 0``), kept;
* **unmeasured**: no value (NaN), a free variable.

Unmeasured flows are removed by the graph method of Mah, Stanley & Downing (1976): the two
ends of every unmeasured flow are merged into one *group*, and the environment absorbs the
groups it touches. The balances of the remaining groups involve measured and fixed flows
only, ``B x + c = 0`` (``c`` the fixed flows), which is Crowe's projection (Crowe, Garcia
Campos & Hrymak 1983) done on the graph instead of by a QR factorisation. Rows that are
dependent (one per connected part of the group graph that does not reach the environment)
are dropped after checking that the fixed flows alone do not contradict them.

With ``V = diag(sd^2)`` and ``S = B V B^T``, the weighted least-squares estimate and its
covariance are (Kuehn & Davidson 1961; Narasimhan & Jordache 2000, eq. 3-8 and 3-9)::

    x_hat = x - V B^T S^-1 r,        r = B x + c
    V_hat = V - V B^T S^-1 B V

``gamma = r^T S^-1 r`` (the minimised objective) is chi-square with ``rank(B)`` degrees of
freedom when the data hold only random errors (the global test, Reilly & Carpani 1963), and
``a_i / sqrt((V B^T S^-1 B V)_ii)`` is standard normal for each adjustment ``a = x_hat - x``
(the measurement test, Mah & Tamhane 1982).

An unmeasured flow is *observable* when it is a bridge of the graph of unmeasured flows (no
cycle of unmeasured flows through it, the environment counting as one node): it then closes
the balance of the side of the bridge that does not hold the environment (Kretsovalis &
Mah 1987). The others are unobservable and stay unknown.

Complexity: O(f) to build ``B`` for f flows; one sparse LU of ``S`` (g x g for g groups);
the variances from the selected inverse of ``S`` on its pattern (``O(sum_j |K_j|^2)``,
:mod:`.reconcile_selinv`) and, for the estimated flows whose pairs of balances are off
it, triangular solves on the rows they reach in the elimination tree; by one full solve
per flow (``O(f x nnz(LU))``, 16 right-hand sides at a time) only when the factors are
not those of a symmetric elimination.

References
----------
Crowe, C.M., Garcia Campos, Y.A. & Hrymak, A. 1983. Reconciliation of process flow rates
by matrix projection. Part I: linear case. AIChE Journal 29(6): 881-888.
Kretsovalis, A. & Mah, R.S.H. 1987. Observability and redundancy classification in
multicomponent process networks. AIChE Journal 33(1): 70-82.
Kuehn, D.R. & Davidson, H. 1961. Computer control II: mathematics of control. Chemical
Engineering Progress 57(6): 44-47.
Mah, R.S.H., Stanley, G.M. & Downing, D.M. 1976. Reconciliation and rectification of
process flow and inventory data. Ind. Eng. Chem. Process Des. Dev. 15(1): 175-183.
Mah, R.S.H. & Tamhane, A.C. 1982. Detection of gross errors in process data. AIChE
Journal 28(5): 828-830.
Narasimhan, S. & Jordache, C. 2000. Data Reconciliation and Gross Error Detection: An
Intelligent Use of Process Data. Gulf Publishing, Houston.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import scipy.sparse as sp
from scipy.sparse import csgraph

from .._numeric import powers_of_two
from ..errors import AnalysisError
from .reconcile_selinv import shrinkage, solver, solver_and_inverse

__all__ = ["FLOW_KINDS", "Problem", "Solution", "UnweighableFlows", "solve"]

#: What reconciliation did with each flow.
FLOW_KINDS: tuple[str, ...] = (
    "adjusted",  # measured, in at least one balance: reconciled
    "not redundant",  # measured, in no balance that could check it: kept as measured
    "fixed",  # known exactly (sd 0): kept
    "estimated",  # unmeasured, observable: computed from the balances
    "unobservable",  # unmeasured, on a cycle of unmeasured flows: left unknown
    "outside",  # no dimension (an empty quantity without a unit): not in any balance
)
ADJUSTED, NOT_REDUNDANT, FIXED, ESTIMATED, UNOBSERVABLE, OUTSIDE = range(len(FLOW_KINDS))
# Right-hand sides per sparse solve when computing variances: SuperLU solves 16 columns in
# about the time of 3, and 256 in 60 times the time of 16 (measured; memory layout).
RELATIVE_EPS = 1e-9  # relative tolerance of the consistency checks
# The smallest variance, in units of the dimension's largest flow, that weighs a flow
SMALLEST_VARIANCE = float(np.finfo(float).tiny)  # an sd of 1.5e-154 of that flow


class UnweighableFlows(AnalysisError):
    """Adjusted flows (positions ``flows``) with an sd below 1.5e-154 of their dimension's
    largest flow: a variance of 0 or subnormal, which ``S`` loses (singular, off pattern)."""

    def __init__(self, flows: np.ndarray):
        super().__init__(f"{len(flows)} flows have sds too small to weigh (below 1.5e-154)")
        self.flows = flows


@dataclass(frozen=True)
class Problem:
    """Flows between keys, and which keys balance (see the module docstring).

    ``tail``, ``head``: int key of each flow's source and target (-1 when the flow is
    ``outside``); ``value``: NaN when unmeasured; ``sd``: >= 0 where ``value`` is known;
    ``environment``: bool per key; ``key_dimension``: dimension code of each key;
    ``tolerance``: per key, how far its balance may stay open (0: exactly);
    ``nonnegative``: keep every adjusted flow >= 0 (:mod:`.reconcile_bounds`).
    """

    tail: np.ndarray
    head: np.ndarray
    value: np.ndarray
    sd: np.ndarray
    environment: np.ndarray
    key_dimension: np.ndarray
    tolerance: np.ndarray | None = None
    nonnegative: bool = False

    @property
    def n_keys(self) -> int:
        return len(self.environment)


@dataclass(frozen=True)
class Solution:
    """The reconciled flows (arrays aligned with the problem's flows) and the tests.

    ``statistic``, ``dof``: the global test per dimension code (0 and 0 when a dimension
    has no redundancy); ``adjustment_sd``: sd of ``reconciled - value`` for adjusted flows
    (0 otherwise); ``infeasible``: groups of keys whose balances the fixed flows alone
    contradict, or (``infeasible_bounds``) that no flows within the bounds can close (the
    solution is then empty).
    """

    kind: np.ndarray
    reconciled: np.ndarray
    reconciled_sd: np.ndarray
    adjustment_sd: np.ndarray
    statistic: np.ndarray
    dof: np.ndarray
    infeasible: tuple[np.ndarray, ...] = ()
    tested: np.ndarray | None = None
    """The adjustment of the exact, unbounded problem (0 where none), which the measurement
    test judges whatever the tolerance or bounds."""
    infeasible_bounds: bool = False


@dataclass(frozen=True)
class _System:
    """The reduced balances ``B x + c = 0`` of the measured flows (rows: groups)."""

    group: np.ndarray  # group of each key
    row: np.ndarray  # row of each group, -1 for the environment's groups
    row_dimension: np.ndarray
    matrix: sp.csr_matrix  # rows x adjusted flows
    constant: np.ndarray  # c, from the fixed flows
    scale: np.ndarray  # sum of |flows| touching each row (for consistency checks)
    adjusted: np.ndarray  # flow positions of the matrix's columns


def solve(problem: Problem) -> Solution:
    """Reconcile ``problem`` (see the module docstring): exactly, or with each group's
    balance kept within the sum of its keys' tolerances.

    Each dimension is solved in units of its largest flow (a power of two, so the scaling
    is exact and ordinary flows give the same numbers): ``V`` holds squares of the sds,
    which are 0 for flows of ``1e-160 t`` and below, and ``S`` was then singular.

    Complexity: O(f) for the reduced system, one sparse LU of ``S``, its selected
    inverse and the estimated flows' solves for the variances (see the module docstring).
    """
    flow_unit, key_unit = _units(problem)
    tolerance = None if problem.tolerance is None else problem.tolerance / key_unit
    scaled = replace(
        problem, value=problem.value / flow_unit, sd=problem.sd / flow_unit, tolerance=tolerance
    )
    solution = _solve(scaled)
    return replace(
        solution,
        reconciled=solution.reconciled * flow_unit,
        reconciled_sd=solution.reconciled_sd * flow_unit,
        adjustment_sd=solution.adjustment_sd * flow_unit,
        tested=None if solution.tested is None else solution.tested * flow_unit,
    )  # the statistic (r^T S^-1 r) and the dof do not depend on the units


def _units(problem: Problem) -> tuple[np.ndarray, np.ndarray]:
    """Per flow and per key, the unit of its dimension: the power of two at or below the
    dimension's largest known flow (1 for a flow outside every dimension). O(f)."""
    inside = problem.tail >= 0
    dimension = problem.key_dimension[np.maximum(problem.tail, 0)]
    known = inside & np.isfinite(problem.value)
    largest = np.zeros(int(problem.key_dimension.max(initial=-1)) + 1)
    np.maximum.at(largest, dimension[known], np.abs(problem.value[known]))
    unit = powers_of_two(largest)
    flow_unit = np.where(inside, unit[dimension] if len(unit) else 1.0, 1.0)
    return flow_unit, unit[problem.key_dimension]


def _solve(problem: Problem) -> Solution:
    """:func:`solve` in the units of the problem as given."""
    kind = _initial_kinds(problem)
    system = _reduced_system(problem, kind)
    kind[_flows_not_checked(problem, kind, system)] = NOT_REDUNDANT
    keep, infeasible, _ = _independent_rows(system, problem)
    if infeasible:
        return _empty(problem, kind, tuple(infeasible))
    matrix, residual = system.matrix[keep], _residual(system, problem)[keep]
    variance = problem.sd[system.adjusted] ** 2
    lost = variance < SMALLEST_VARIANCE
    if lost.any():
        raise UnweighableFlows(system.adjusted[lost])
    weighted = (matrix @ sp.diags(variance)).tocsc()
    factor, selected = solver_and_inverse((weighted @ matrix.T).tocsc())
    multipliers = factor(residual) if len(residual) else residual
    adjustment = -(weighted.T @ multipliers) if len(residual) else np.zeros(len(variance))
    if len(residual):
        # One step of iterative refinement with the same factors: when the flows' sds span
        # orders of magnitude, S is ill-conditioned and one solve leaves the balances open
        # by about eps x cond(S) x the largest flow (1.4e-8 t on flows of 160 t with sds
        # from 0.125 to 81 t); the second brings them to rounding of the data. The
        # correction is added to the adjustment, not to the multipliers first: a flow of
        # large variance between two balances moves by its variance times a difference of
        # nearly equal multipliers, which loses the digits the correction restores (a
        # balance left open by 3e-9 t once a flow of 982 t, sd 491 t, fell to 1 t).
        open_by = matrix @ (problem.value[system.adjusted] + adjustment) + system.constant[keep]
        correction = factor(open_by)
        adjustment -= weighted.T @ correction
        multipliers = multipliers + correction
    dimensions = int(problem.key_dimension.max(initial=-1)) + 1
    row_dimension = system.row_dimension[keep]
    statistic = np.bincount(row_dimension, residual * multipliers, minlength=dimensions)
    dof = np.bincount(row_dimension, minlength=dimensions)

    reconciled = np.where(np.isnan(problem.value), np.nan, problem.value)
    tested = np.zeros(len(kind))  # the exact adjustment, which the tests judge
    tested[system.adjusted] = adjustment
    if _bounded(problem):
        adjustment = _within_bounds(system, problem, keep, variance, adjustment)
        if isinstance(adjustment, tuple):  # no flows within the bounds close these
            return _empty(problem, kind, adjustment, bounds=True)
    reconciled[system.adjusted] += adjustment
    if problem.nonnegative:  # a rounding error below 0 (-3e-11 of 240,000 t) is 0
        reconciled[system.adjusted] = np.maximum(reconciled[system.adjusted], 0.0)
    shrink = shrinkage(factor, selected, matrix, variance)
    reconciled_sd = np.where(kind == FIXED, 0.0, problem.sd).astype(float)
    reconciled_sd[np.isnan(problem.value)] = np.nan
    reconciled_sd[system.adjusted] = np.sqrt(np.clip(variance - shrink, 0.0, None))
    adjustment_sd = np.zeros(len(kind))
    adjustment_sd[system.adjusted] = np.sqrt(np.clip(shrink, 0.0, None))
    reduced = (system, keep, factor, selected)
    _estimate_unmeasured(problem, kind, reconciled, reconciled_sd, reduced)
    return Solution(kind, reconciled, reconciled_sd, adjustment_sd, statistic, dof, (), tested)


def _initial_kinds(problem: Problem) -> np.ndarray:
    unmeasured = np.isnan(problem.value)
    kind = np.where(unmeasured, UNOBSERVABLE, np.where(problem.sd > 0, ADJUSTED, FIXED))
    kind[problem.tail < 0] = OUTSIDE
    return kind.astype(np.int8)


def _groups(problem: Problem, kind: np.ndarray) -> np.ndarray:
    """Group of each key: keys joined by unmeasured flows, and every group touching the
    environment joined to it (the environment keys are all one group per dimension
    already, by construction of the keys). O(f) by connected components."""
    unmeasured = kind == UNOBSERVABLE
    n = problem.n_keys
    graph = sp.coo_matrix(
        (np.ones(int(unmeasured.sum())), (problem.tail[unmeasured], problem.head[unmeasured])),
        shape=(n, n),
    )
    return csgraph.connected_components(graph, directed=False)[1]


def _reduced_system(problem: Problem, kind: np.ndarray) -> _System:
    group = _groups(problem, kind)
    n_groups = int(group.max(initial=-1)) + 1
    open_group = np.zeros(n_groups, dtype=bool)
    open_group[group[problem.environment]] = True
    row = np.where(open_group, -1, np.cumsum(~open_group) - 1)
    row_dimension = np.zeros(int((~open_group).sum()), dtype=np.int64)
    row_dimension[row[group][row[group] >= 0]] = problem.key_dimension[row[group] >= 0]

    known = (kind == ADJUSTED) | (kind == FIXED)
    tail_row = np.where(known, row[group[np.maximum(problem.tail, 0)]], -1)
    head_row = np.where(known, row[group[np.maximum(problem.head, 0)]], -1)
    internal = group[np.maximum(problem.tail, 0)] == group[np.maximum(problem.head, 0)]
    checked = known & ~internal & ((tail_row >= 0) | (head_row >= 0))
    adjusted = np.flatnonzero(checked & (kind == ADJUSTED))
    columns = np.arange(len(adjusted))
    entries = [(head_row[adjusted], columns, 1.0), (tail_row[adjusted], columns, -1.0)]
    parts = zip(*[_kept(*e) for e in entries], strict=True)
    rows_, cols_, data = (np.concatenate(p) for p in parts)
    n_rows = len(row_dimension)
    matrix = sp.csr_matrix((data, (rows_, cols_)), shape=(n_rows, len(adjusted)))
    fixed = checked & (kind == FIXED)
    value = np.nan_to_num(problem.value)
    constant = _signed_sums(head_row, tail_row, np.where(fixed, value, 0.0), n_rows)
    scale = _signed_sums(head_row, tail_row, np.where(checked, value, 0.0), n_rows, absolute=True)
    return _System(group, row, row_dimension, matrix, constant, scale, adjusted)


def _kept(rows: np.ndarray, columns: np.ndarray, sign: float):
    inside = rows >= 0
    return rows[inside], columns[inside], np.full(int(inside.sum()), sign)


def _signed_sums(head_row, tail_row, values, n_rows, *, absolute=False) -> np.ndarray:
    """Per row: inflow - outflow of ``values`` (or inflow + outflow when ``absolute``)."""
    into = np.bincount(head_row[head_row >= 0], values[head_row >= 0], minlength=n_rows)
    out = np.bincount(tail_row[tail_row >= 0], values[tail_row >= 0], minlength=n_rows)
    return into + out if absolute else into - out


def _flows_not_checked(problem: Problem, kind: np.ndarray, system: _System) -> np.ndarray:
    """Measured flows that no reduced balance holds (both ends open or in one group)."""
    in_matrix = np.zeros(len(kind), dtype=bool)
    in_matrix[system.adjusted] = True
    return (kind == ADJUSTED) & ~in_matrix


def _residual(system: _System, problem: Problem) -> np.ndarray:
    return system.matrix @ problem.value[system.adjusted] + system.constant


def _independent_rows(system: _System, problem: Problem) -> tuple[np.ndarray, list, np.ndarray]:
    """Rows to keep: in each connected part of the row graph that does not reach the
    environment, the rows sum to zero on the left, so one is dropped, after checking that
    the fixed flows sum to zero there too (else the balances are infeasible). Also the
    floating part of each row (-1 for a row that reaches the environment). O(f)."""
    n_rows = system.matrix.shape[0]
    dimensions = int(problem.key_dimension.max(initial=-1)) + 1
    # one environment node per dimension, after the rows
    tail, head = (problem.tail[system.adjusted], problem.head[system.adjusted])
    ends = [
        np.where(r >= 0, r, n_rows + problem.key_dimension[keys])
        for r, keys in (
            (system.row[system.group[head]], head),
            (system.row[system.group[tail]], tail),
        )
    ]
    n = n_rows + dimensions
    graph = sp.coo_matrix((np.ones(len(ends[0])), (ends[0], ends[1])), shape=(n, n))
    _, part = csgraph.connected_components(graph, directed=False)
    grounded = np.zeros(part.max(initial=-1) + 1, dtype=bool)
    grounded[part[n_rows:]] = True
    row_part = part[:n_rows]
    floating = ~grounded[row_part]
    last = np.full(len(grounded), -1)
    np.maximum.at(last, row_part, np.arange(n_rows))
    keep = np.ones(n_rows, dtype=bool)
    keep[last[~grounded & (last >= 0)]] = False
    residual = _residual(system, problem)
    sums = np.bincount(row_part[floating], residual[floating], minlength=len(grounded))
    scale = np.bincount(row_part[floating], system.scale[floating], minlength=len(grounded))
    allowed = _allowed_gap(system, problem, row_part, floating, len(grounded))
    bad = np.flatnonzero(~grounded & (np.abs(sums) > allowed + RELATIVE_EPS * scale))
    infeasible = _keys_of_parts(system, row_part, bad, len(grounded))
    return np.flatnonzero(keep), infeasible, np.where(floating, row_part, -1)


def _keys_of_parts(system: _System, row_part, parts, n_parts: int) -> list[np.ndarray]:
    """The keys whose row lies in each of ``parts`` (ascending part numbers, of
    ``n_parts``), ascending: one sort of the keys by part, O(k log k), not a scan of every
    key per part (a million flows without uncertainties have some 200,000 such parts)."""
    if not len(parts):
        return []
    key_row = system.row[system.group]
    wanted = np.zeros(n_parts, dtype=bool)
    wanted[parts] = True
    key_part = np.where(key_row >= 0, row_part[np.maximum(key_row, 0)], -1)
    keys = np.flatnonzero((key_part >= 0) & wanted[np.maximum(key_part, 0)])
    keys = keys[np.argsort(key_part[keys], kind="stable")]
    bounds = np.searchsorted(key_part[keys], parts, side="right")
    return np.split(keys, bounds[:-1])


def _allowed_gap(system, problem, row_part, floating, n_parts) -> np.ndarray:
    """How far each floating part's balances may stay open together (tolerance mode)."""
    if problem.tolerance is None:
        return np.zeros(n_parts)
    row_tolerance = _row_tolerance(system, problem)
    return np.bincount(row_part[floating], row_tolerance[floating], minlength=n_parts)


def _row_tolerance(system: _System, problem: Problem) -> np.ndarray:
    keys = system.row[system.group] >= 0
    rows = system.row[system.group][keys]
    return np.bincount(rows, problem.tolerance[keys], minlength=system.matrix.shape[0])


def _empty(problem: Problem, kind: np.ndarray, infeasible: tuple, *, bounds=False) -> Solution:
    nothing = np.full(len(kind), np.nan)
    dimensions = int(problem.key_dimension.max(initial=-1)) + 1
    zeros = np.zeros(dimensions)
    return Solution(
        kind, nothing, nothing, nothing, zeros, zeros.astype(int), infeasible, None, bounds
    )


def _bounded(problem: Problem) -> bool:
    return problem.nonnegative or (problem.tolerance is not None and problem.tolerance.any())


def _within_bounds(system: _System, problem: Problem, keep, variance, exact):
    """The adjustment that minimises ``sum(a^2 / v)`` subject to ``|r + B a| <= t`` per
    row (``r + B a = 0`` without a tolerance, on the independent rows) and, with
    ``nonnegative``, ``x + a >= 0``: :func:`.reconcile_bounds.bounded_adjustment`, unless
    the unbounded answer (``exact``, or no adjustment within a tolerance) keeps the bounds
    already. When no flows within the bounds exist, the keys of the balances that prove it,
    as a tuple of one group. O(QP)."""
    from .reconcile_bounds import bounded_adjustment

    residual = _residual(system, problem)
    value = problem.value[system.adjusted]
    col_lower = -value if problem.nonnegative else np.full(len(value), -np.inf)
    if problem.tolerance is not None and problem.tolerance.any():
        rows = np.arange(system.matrix.shape[0])
        upper = _row_tolerance(system, problem)
        movable = np.diff(system.matrix.indptr) > 0
        if (np.abs(residual[movable]) <= upper[movable]).all() and (col_lower <= 0).all():
            return np.zeros(len(value))  # data within the tolerance do not move
    else:
        rows, upper = keep, np.zeros(len(keep))
        if (exact >= col_lower).all():
            return exact
    bounded = bounded_adjustment(
        system.matrix[rows], residual[rows], variance, -upper, upper, col_lower, solver
    )
    if bounded.adjustment is None:
        conflict = rows[bounded.conflict]
        return (np.flatnonzero(np.isin(system.row[system.group], conflict)),)
    return bounded.adjustment


def _estimate_unmeasured(problem, kind, reconciled, reconciled_sd, reduced) -> None:
    """Fill the observable unmeasured flows (bridges of the unmeasured graph) in place."""
    from .reconcile_steps import estimate_bridges

    estimate_bridges(problem, kind, reconciled, reconciled_sd, reduced)
    kind[(kind == UNOBSERVABLE) & ~np.isnan(reconciled)] = ESTIMATED
