"""Reconciliation with bounds: balances within a tolerance, adjusted flows kept >= 0, or
both. A convex quadratic program, solved by a QP library, then polished in closed form.

In the reduced variables of :mod:`.reconcile_linalg` (the adjustments ``a`` of the
measured flows that the balances hold; unmeasured flows are projected out on the graph)
the problem is::

    min sum(a_i^2 / v_i)   subject to   lower <= r + B a <= upper   (per balance row)
                                        a >= col_lower              (per flow, optional)

with ``lower = upper = 0`` for exact balances, ``-t`` and ``t`` within a tolerance, and
``col_lower = -x`` for flows kept >= 0. It is solved by Clarabel (Goulart & Chen 2024), an
interior-point method for convex conic programs with a sparse LDL factorisation, in the
variables ``y = a / sd`` (the objective is then ``|y|^2``; Clarabel equilibrates the rows
itself: dividing them by ``sum_j |B_ij| sd_j`` first took 88 iterations at 100k flows
instead of 21), to gap and feasibility tolerances of 1e-12 instead of 1e-8: at 1e-8, some
flows that belong at 0 ended 1e-4 sd above, with a dual of 3e-3 sd, and the polish below
(which reads the active bounds off them) then held the wrong ones.

An interior point stops near the optimum, not on it. The answer is then *polished*, as
OSQP does (Stellato et al. 2020): the bounds that the solver found active (dual above
slack, or slack below 1e-6 of the bound) are held as equalities, and the equality problem
is solved in closed form (one sparse LU of ``B_H V B_H^T`` on the held rows, one row dropped
per part of them that does not reach the environment, one step of iterative refinement).
The polished point is kept when it satisfies every bound to rounding and the
Karush-Kuhn-Tucker sign conditions to 1e-7: it is then the exact optimum. When the solver
stalled short of its tolerances (weights 1e6 apart), the active set it shows may be a
little off: the bounds with a multiplier of the wrong sign are released, the broken ones
held, and the polish repeated, at most 10 times (a crossover from the interior point).
Otherwise the solver's own answer is kept (its status Solved), or the reconciliation
refuses. Infeasibility (flows known exactly that force another below 0) is the solver's
status, and the support of its certificate names the balances; it is believed only when
HiGHS's simplex (``scipy.optimize.linprog``), exact, finds no flows meeting the bounds
either, or when a looser run, whose infeasibility must then hold to 1e-14
(:data:`STRICT_INFEASIBILITY`), says it again. Bounds that leave no interior (flows forced
to exactly 0) can stall the interior point at 1e-12 into "almost infeasible": the run is
then repeated at 1e-10 and 1e-8, and the polish makes the looser answer exact.

HiGHS's QP solver (an active-set method, exact) was tried first: its null-space
iterations took 230 s CPU on a generated 10k-flow network within 5 % (Clarabel: 0.05 s).

Complexity: the interior point's iterations (13 to 50 seen, each one sparse LDL of the
(flows + rows) square KKT matrix: 2.5 s at 100k flows kept >= 0), then a sparse LU per
polish.

References
----------
Cormen, T.H., Leiserson, C.E., Rivest, R.L. & Stein, C. 2009. Introduction to Algorithms,
3rd ed. MIT Press (section 24.4, difference constraints and shortest paths).
Goulart, P.J. & Chen, Y. 2024. Clarabel: an interior-point solver for conic programs with
quadratic objectives. arXiv:2405.12762.
Stellato, B., Banjac, G., Goulart, P., Bemporad, A. & Boyd, S. 2020. OSQP: an operator
splitting solver for quadratic programs. Mathematical Programming Computation 12:
637-672 (section 4, solution polishing).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import scipy.sparse as sp
from scipy.sparse import csgraph

from ..errors import AnalysisError

__all__ = ["Bounded", "bounded_adjustment"]

ROUNDING = 1e-9  # relative: how far a polished answer may miss a bound
KKT = 1e-7  # relative: how far a multiplier of the polished answer may have the wrong sign
# Clarabel's gap and feasibility tolerances, tightest first (its default is 1e-8): a
# problem whose bounds leave no interior (flows forced to exactly 0) can stall at 1e-12 and
# end "almost infeasible"; a looser run then reaches the same active set, which the polish
# makes exact.
SOLVER_TOLERANCES = (1e-12, 1e-10, 1e-8)
# Clarabel's infeasibility and kappa/tau tolerances (default 1e-8 and 1e-6) once HiGHS's
# exact LP has found flows: an optimum far from the measurements in sd units (a flow of sd
# 0.01 moved by 338, y ~ 3e4) looks to the homogeneous embedding like a certificate of
# infeasibility after 2 iterations (found by hypothesis); held to these, it solves in 16.
STRICT_INFEASIBILITY = 1e-14
WEAK = 1e-6  # relative: a slack this small counts as a bound met
CROSSOVER = 10  # polishes at most
EQUAL = 2  # the code of a row held as an equality (1: at its upper bound, -1: lower)


@dataclass(frozen=True)
class Bounded:
    """The adjustment (``None`` when infeasible), the rows that prove infeasibility (the
    support of the solver's certificate, empty when solved), and whether the closed-form
    polish was kept."""

    adjustment: np.ndarray | None
    conflict: np.ndarray
    polished: bool = False


def bounded_adjustment(
    matrix: sp.csr_matrix,
    residual: np.ndarray,
    variance: np.ndarray,
    lower: np.ndarray,
    upper: np.ndarray,
    col_lower: np.ndarray,
    factorised: Callable,
) -> Bounded:
    """The smallest weighted adjustment ``a`` with ``lower <= residual + matrix @ a <=
    upper`` row by row and ``a >= col_lower`` (module docstring; ``col_lower`` may be
    ``-inf``). Rows without a column cannot move and are left out (the caller has checked
    them). ``factorised(S)`` returns a solver of ``S`` (sparse LU).

    Complexity: the interior point's iterations (each one sparse LDL of a (flows + rows)
    square KKT matrix), then one sparse LU of the held rows per polish.
    """
    matrix = sp.csr_matrix(matrix)
    movable = np.flatnonzero(np.diff(matrix.indptr) > 0)
    rows, residual_m = matrix[movable], residual[movable]
    low, high = lower[movable], upper[movable]
    sd = np.sqrt(variance)
    scaled = (rows @ sp.diags(sd)).tocsc()
    constraints = _constraints(scaled, residual_m, low, high, col_lower / sd)
    problem = (rows, residual_m, variance, (low, high), col_lower)
    status, doubted = "not run", False
    for tolerance in SOLVER_TOLERANCES:
        solution = _solve(constraints, tolerance, strict_infeasibility=doubted)
        status = str(solution.status)
        if status in ("PrimalInfeasible", "AlmostPrimalInfeasible"):
            if not doubted and _feasible(constraints):
                doubted = True  # the exact LP finds flows: the interior point stalled
                continue
            # the LP agrees, or a looser run says it again
            conflict = _certificate_rows(np.asarray(solution.z), constraints.layout)
            return Bounded(None, movable[conflict])
        side, held_cols = _active(solution, constraints.layout, len(movable), len(sd))
        polish = _crossover(problem, side, held_cols, factorised)
        if polish is not None:
            return Bounded(polish, np.zeros(0, dtype=np.int64), True)
        if status in ("Solved", "AlmostSolved"):
            return Bounded(np.asarray(solution.x) * sd, np.zeros(0, dtype=np.int64), False)
    raise AnalysisError(
        f"reconciliation with bounds: the QP solver (Clarabel) stopped with status "
        f"{status} and its last point does not polish to an optimum; reconcile "
        "without --nonnegative and --tolerance"
    )


def _crossover(problem, side, held_cols, factorised) -> np.ndarray | None:
    """The polished optimum from the solver's active bounds, corrected a few times when
    the solver stopped short (weights 1e6 apart can stall it a little away from the
    optimum): bounds whose multiplier has the wrong sign are released, bounds the polished
    point breaks are held, and the polish repeated, at most :data:`CROSSOVER` times.
    ``None`` when no polish is both feasible and optimal."""
    rows, residual, variance, (lower, upper), col_lower = problem
    side, held_cols = side.copy(), held_cols.copy()
    for _ in range(CROSSOVER):
        polish = _polish(
            rows, residual, variance, (lower, upper), col_lower, (side, held_cols), factorised
        )
        if polish is None:
            return None
        above, below, negative = _broken(polish[0], problem)
        wrong_cols, wrong_rows = _wrong_signs(rows, variance, side, held_cols, polish)
        if not (
            above.any() or below.any() or negative.any() or wrong_cols.any() or wrong_rows.any()
        ):
            return polish[0]
        before = side.copy(), held_cols
        held_cols = (held_cols & ~wrong_cols) | negative
        side[wrong_rows & (side != EQUAL)] = 0
        side[above & (side == 0)] = 1
        side[below & (side == 0)] = -1
        if (side == before[0]).all() and (held_cols == before[1]).all():
            return None  # nothing left to correct
    return None


@dataclass(frozen=True)
class _Constraints:
    """``A y + s = b`` with ``s`` in the zero cone for the first ``equalities`` rows and
    >= 0 for the others; ``layout``: per block (``equal``, ``upper``, ``lower``,
    ``column``), the rows (or columns) it holds and where it starts, and ``rhs``."""

    a: sp.csc_matrix
    rhs: np.ndarray
    equalities: int
    layout: dict


def _constraints(scaled, residual, lower, upper, col_lower) -> _Constraints:
    """The bounds on the scaled adjustment ``y``: the balances' rows (equal, at most
    ``upper``, at least ``lower``) and the columns' lower bounds."""
    n = scaled.shape[1]
    equal = np.flatnonzero(lower == upper)
    above = np.flatnonzero((lower != upper) & np.isfinite(upper))
    below = np.flatnonzero((lower != upper) & np.isfinite(lower))
    columns = np.flatnonzero(np.isfinite(col_lower))
    csr = scaled.tocsr()
    blocks = [csr[equal], csr[above], -csr[below], -sp.identity(n, format="csr")[columns]]
    rhs = [
        upper[equal] - residual[equal],
        upper[above] - residual[above],
        residual[below] - lower[below],
        -col_lower[columns],
    ]
    layout: dict[str, Any] = {}
    start = 0
    for name, index in zip(
        ("equal", "upper", "lower", "column"), (equal, above, below, columns), strict=True
    ):
        layout[name] = (index, start)
        start += len(index)
    layout["rhs"] = values = np.concatenate(rhs)
    return _Constraints(sp.vstack(blocks, format="csc"), values, len(equal), layout)


def _solve(constraints: _Constraints, tolerance: float, strict_infeasibility: bool = False):
    """Clarabel on ``min |y|^2 / 2`` subject to ``constraints``, to ``tolerance``. With
    ``strict_infeasibility`` (once the exact LP has found flows), infeasibility must be
    shown to :data:`STRICT_INFEASIBILITY` (see there)."""
    import clarabel  # about 0.1 s to import: only with bounds

    n, equalities = constraints.a.shape[1], constraints.equalities
    cones = [clarabel.ZeroConeT(equalities)] if equalities else []
    if constraints.a.shape[0] > equalities:
        cones.append(clarabel.NonnegativeConeT(constraints.a.shape[0] - equalities))
    settings = clarabel.DefaultSettings()
    settings.verbose = False
    for name in ("tol_gap_abs", "tol_gap_rel", "tol_feas"):
        setattr(settings, name, tolerance)
    if strict_infeasibility:
        for name in ("tol_infeas_abs", "tol_infeas_rel", "tol_ktratio"):
            setattr(settings, name, STRICT_INFEASIBILITY)
    hessian = sp.identity(n, format="csc")
    solver = clarabel.DefaultSolver(
        hessian, np.zeros(n), constraints.a, constraints.rhs, cones, settings
    )
    return solver.solve()


def _feasible(constraints: _Constraints) -> bool:
    """Whether some ``y`` meets ``constraints``: HiGHS's simplex on the LP with no
    objective, exact where an interior point may stall (bounds that leave no interior).
    O(simplex iterations)."""
    from scipy.optimize import linprog

    a, rhs, k = constraints.a.tocsr(), constraints.rhs, constraints.equalities
    result = linprog(
        np.zeros(a.shape[1]),
        A_ub=a[k:] if a.shape[0] > k else None,
        b_ub=rhs[k:] if a.shape[0] > k else None,
        A_eq=a[:k] if k else None,
        b_eq=rhs[:k] if k else None,
        bounds=(None, None),
        method="highs",
    )
    return result.status != 2  # 2: infeasible


def _active(solution, layout, n_rows: int, n_cols: int) -> tuple[np.ndarray, np.ndarray]:
    """The bounds the solver found active: dual above slack, or slack below :data:`WEAK`
    of the bound's right-hand side (a bound met with a zero multiplier, which the solver
    leaves a little open: holding it costs nothing). Per row, 0 free, 1 at its upper
    bound, -1 at its lower one, :data:`EQUAL` an equality; per column, held at its lower
    bound."""
    s, z = np.asarray(solution.s), np.asarray(solution.z)
    active = (z > s) | (s < WEAK * (np.abs(layout["rhs"]) + 1))
    side = np.zeros(n_rows, dtype=np.int8)
    rows, _ = layout["equal"]
    side[rows] = EQUAL
    strength = np.full(n_rows, -np.inf)
    for name, code in (("upper", 1), ("lower", -1)):
        rows, start = layout[name]
        at = slice(start, start + len(rows))
        chosen = active[at] & (z[at] > strength[rows])
        side[rows[chosen]] = code
        strength[rows[chosen]] = z[at][chosen]
    held = np.zeros(n_cols, dtype=bool)
    columns, start = layout["column"]
    held[columns[active[start : start + len(columns)]]] = True
    return side, held


def _certificate_rows(z: np.ndarray, layout) -> np.ndarray:
    """The balance rows in the support of the solver's infeasibility certificate: a set of
    balances that no flows within the bounds can close together."""
    if not len(z):
        return np.zeros(0, dtype=np.int64)
    big = np.abs(z) > 1e-6 * np.abs(z).max()
    found = [
        rows[big[start : start + len(rows)]]
        for rows, start in (layout[name] for name in ("equal", "upper", "lower"))
    ]
    return np.unique(np.concatenate(found))


def _polish(rows, residual, variance, bounds, col_lower, active, factorised):
    """The exact optimum with the active bounds held as equalities, in closed form: the
    held columns at their bound, the held rows at theirs, ``a_F = -V_F B_KF^T lambda`` with
    ``S lambda = d``, ``S = B_KF V_F B_KF^T`` over the kept held rows ``K`` (one row dropped
    per part of the held rows that does not reach the environment, whose rows sum to zero),
    and one step of iterative refinement. Returns ``(a, lambda per held row, held rows,
    part of each, which parts float)``, or ``None`` when the held bounds contradict each
    other or ``S`` is singular. O(f + LU)."""
    side, held_cols = active
    lower, upper = bounds
    adjustment = np.where(held_cols, col_lower, 0.0)
    held = np.flatnonzero(side != 0)
    target = np.where(side[held] > 0, upper[held], lower[held])
    free = np.flatnonzero(~held_cols)
    block = rows[held]
    gap = residual[held] + block @ adjustment - target
    matrix = block[:, free].tocsc()
    keep, parts, floating = _grounded_rows(matrix)
    sums = np.bincount(parts, gap, minlength=len(floating))
    finite = np.where(np.isfinite(col_lower), np.abs(col_lower), 0.0)
    scale = np.abs(residual[held]) + np.abs(target) + abs(block) @ (finite + np.sqrt(variance))
    allowed = ROUNDING * np.bincount(parts, scale, minlength=len(floating))
    if (np.abs(sums[floating]) > allowed[floating]).any():
        return None
    matrix = matrix[keep]
    weighted = (matrix @ sp.diags(variance[free])).tocsc()
    try:
        solve = factorised((weighted @ matrix.T).tocsc()) if len(keep) else None
    except AnalysisError:
        return None
    multipliers = np.zeros(len(held))
    if solve is not None:
        multipliers[keep] = solve(gap[keep])
        adjustment[free] = -(weighted.T @ multipliers[keep])
        # a weight ratio of 1e9 leaves 1e-7 of the balance open; one more solve with the
        # same factors closes it to rounding (iterative refinement)
        missed = residual[held][keep] + block[keep] @ adjustment - target[keep]
        correction = solve(missed)
        multipliers[keep] += correction
        adjustment[free] -= weighted.T @ correction
    return adjustment, multipliers, held, parts, floating


def _wrong_signs(rows, variance, side, held_cols, polish) -> tuple[np.ndarray, np.ndarray]:
    """The held columns and rows whose multipliers have the wrong sign at the polished
    point (none: it is the optimum). With ``mu = a / v + B_H^T lambda`` (stationarity
    holds by construction), ``mu_j >= 0`` for the held columns and ``lambda_i >= 0`` at an
    upper bound, ``<= 0`` at a lower one (an equality: either sign), to :data:`KKT`
    relative. The multipliers of a floating part are free along its all-ones vector: the
    parts are first shifted (:func:`_part_shift`; unshifted when no shift fits them all).
    Returns a mask over the columns and one over all rows. O(f + parts x conditions)."""
    adjustment, multipliers, held, parts, floating = polish
    block = rows[held]
    sign = np.select([side[held] == EQUAL, side[held] > 0], [0.0, 1.0], -1.0)
    size = np.abs(adjustment) / variance + abs(block).T @ np.abs(multipliers)
    slack = KKT * float(np.abs(multipliers).max(initial=0.0)), KKT * size
    mu = adjustment / variance + block.T @ multipliers
    shift = _part_shift(block, multipliers, sign, (parts, floating), mu, held_cols, slack)
    lam = multipliers + (shift[parts] if shift is not None else 0.0)
    mu = adjustment / variance + block.T @ lam
    tolerance = 2 * slack[0] + 2 * slack[1]  # the shift may use each condition's slack
    wrong_rows = np.zeros(len(side), dtype=bool)
    wrong_rows[held[sign * lam < -2 * slack[0]]] = True
    return held_cols & (mu < -tolerance), wrong_rows


def _part_shift(block, lam, sign, partition, mu, held_cols, slack) -> np.ndarray | None:
    """Shifts ``c`` of the floating parts' multipliers (0 for the others) that give every
    row and held column its sign, or ``None`` when none do. The conditions are difference
    constraints, ``lambda_i + c_p >= 0`` at an upper bound (``<= 0`` at a lower one) and
    ``mu_j + c_head - c_tail >= 0`` for a held column between parts ``head`` and ``tail``
    (the environment's side: ``c = 0``), so the shortest paths of their constraint graph
    from a virtual source give a solution, and a negative cycle proves there is none
    (Cormen et al. 2009, section 24.4). O(parts x conditions) by Bellman-Ford."""
    parts, floating = partition
    node = np.where(floating, np.cumsum(floating), 0)  # 0: the environment's side
    of_row = node[parts]
    row_slack, column_slack = slack
    upper, lower = (sign > 0) & (of_row > 0), (sign < 0) & (of_row > 0)
    tails = [of_row[upper], np.zeros(int(lower.sum()), dtype=np.int64)]
    heads = [np.zeros(int(upper.sum()), dtype=np.int64), of_row[lower]]
    weights = [lam[upper] + row_slack, -lam[lower] + row_slack]
    entries = block[:, held_cols].tocoo()
    column = np.flatnonzero(held_cols)
    head, tail = np.zeros(len(column), dtype=np.int64), np.zeros(len(column), dtype=np.int64)
    head[entries.col[entries.data > 0]] = of_row[entries.row[entries.data > 0]]
    tail[entries.col[entries.data < 0]] = of_row[entries.row[entries.data < 0]]
    tails.append(head)
    heads.append(tail)
    weights.append(mu[column] + column_slack[column])
    return _difference_solution(
        np.concatenate(tails), np.concatenate(heads), np.concatenate(weights), node
    )


def _difference_solution(tail, head, weight, node) -> np.ndarray | None:
    """``c[head] - c[tail] <= weight`` for each edge, ``c[0] = 0``: shortest paths from a
    virtual source joined to every node by weight 0; per part, its node's ``c``."""
    from scipy.sparse.csgraph import NegativeCycleError, shortest_path

    n = int(node.max(initial=0)) + 1
    distinct = tail != head
    tail, head, weight = tail[distinct], head[distinct], weight[distinct]
    order = np.lexsort((weight, head, tail))  # the tightest of parallel edges
    tail, head, weight = tail[order], head[order], weight[order]
    first = np.ones(len(tail), dtype=bool)
    first[1:] = (tail[1:] != tail[:-1]) | (head[1:] != head[:-1])
    source = np.full(n, n)
    graph = sp.csr_matrix(
        (
            np.concatenate([weight[first], np.zeros(n)]),
            (np.concatenate([tail[first], source]), np.concatenate([head[first], np.arange(n)])),
        ),
        shape=(n + 1, n + 1),
    )
    try:
        distance = shortest_path(graph, method="BF", indices=n)
    except NegativeCycleError:
        return None
    c = distance[:n] - distance[0]
    return np.where(node > 0, c[node], 0.0)


def _grounded_rows(matrix: sp.csc_matrix) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For incidence columns (one or two +-1 entries; one: the other end is outside the
    rows, the ground): the rows to keep (all but the last of each part without the
    ground), the part of each row, and which parts float. O(nnz)."""
    n = matrix.shape[0]
    count = np.diff(matrix.indptr)
    first = matrix.indices[matrix.indptr[:-1][count > 0]]
    at = matrix.indptr[:-1][count > 0]
    second = np.where(count[count > 0] == 2, matrix.indices[np.minimum(at + 1, matrix.nnz - 1)], n)
    graph = sp.coo_matrix((np.ones(len(first)), (first, second)), shape=(n + 1, n + 1))
    _, part = csgraph.connected_components(graph, directed=False)
    floating = np.ones(part.max() + 1, dtype=bool)
    floating[part[n]] = False
    last = np.full(len(floating), -1)
    np.maximum.at(last, part[:n], np.arange(n))
    keep = np.ones(n, dtype=bool)
    keep[last[floating & (last >= 0)]] = False
    return np.flatnonzero(keep), part[:n], floating


def _broken(adjustment, problem) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The rows above and below their bounds and the columns below theirs, beyond
    rounding (:data:`ROUNDING`, relative to the sizes summed in each balance)."""
    rows, residual, variance, (lower, upper), col_lower = problem
    after = residual + rows @ adjustment
    sd = np.sqrt(variance)
    finite = np.where(np.isfinite(col_lower), np.abs(col_lower), 0.0)
    scale = np.abs(residual) + abs(rows) @ (np.abs(adjustment) + finite + sd)
    slack = ROUNDING * (scale + np.where(np.isfinite(upper), np.abs(upper), 0.0))
    negative = adjustment < col_lower - ROUNDING * (finite + sd)
    return after > upper + slack, after < lower - slack, negative
