"""Reconciliation with every adjusted flow kept >= 0 (``reconcile(..., nonnegative=True)``).

Least squares has no bounds: a flow that the balances cannot carry reconciles to a negative
value. With bounds, the problem is ``min sum((x_hat - x)^2 / v)`` subject to the exact
balances and ``x_hat_j >= 0``; its Karush-Kuhn-Tucker conditions say that a flow held at 0
has ``mu_j = -x_j / v_j + (B^T lambda)_j >= 0`` (the balances pull it below 0 harder than
its measurement pulls it up). A primal active set (Nocedal & Wright 2006, ch. 16.5) holds
the flows that came out negative at 0 (as flows known exactly), solves the balances again
in closed form, releases the held flows whose ``mu`` is negative and holds the new negative
ones, until neither is left; once a held set repeats, one flow changes per step.

The tests (chi-square, normalised adjustments) and the reduced standard deviations stay
those of the unbounded problem: the bound says the model is approximate, which the tests do
not model. Estimated (unmeasured) flows follow their balances and may still be negative.

Complexity: one :func:`.reconcile_linalg.solve` per step; the steps are few.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from ..errors import AnalysisError
from .reconcile_linalg import ADJUSTED, Problem, Solution, solve

__all__ = ["solve_nonnegative"]

MAX_STEPS = 200


def solve_nonnegative(problem: Problem) -> Solution:
    """``problem`` reconciled exactly with every adjusted flow >= 0 (module docstring).
    Complexity: O(steps x solve)."""
    base = solve(problem)
    adjusted = base.kind == ADJUSTED
    if base.infeasible or not (adjusted & (base.reconciled < 0)).any():
        return base
    measured, variance = problem.value, problem.sd**2
    held = adjusted & (base.reconciled < 0)
    seen: set[bytes] = set()
    for _ in range(MAX_STEPS):
        trial = solve(
            replace(
                problem,
                value=np.where(held, 0.0, problem.value),
                sd=np.where(held, 0.0, problem.sd),
            )
        )
        if trial.infeasible:  # the held flows leave a balance nothing can close
            wrong, negative = _touching(problem, held, trial.infeasible), np.zeros_like(held)
        else:
            eps = 1e-12 * (np.abs(measured) + np.abs(trial.reconciled))
            negative = adjusted & ~held & (trial.reconciled < -np.nan_to_num(eps))
            with np.errstate(divide="ignore", invalid="ignore"):
                ratio = np.where(held, measured / variance, 0.0)
            mu = np.where(held, trial.pull - ratio, 0.0)
            wrong = held & (mu < -1e-12 * np.abs(ratio))
            if not wrong.any() and not negative.any():
                return _bounded(base, trial)
        state = np.flatnonzero(held).tobytes()
        if state in seen:  # a cycle: one change per step
            _change_one(held, wrong, negative, trial, mu if not trial.infeasible else None)
        else:
            held = (held & ~wrong) | negative
        seen.add(state)
    raise AnalysisError(
        f"reconciliation with flows >= 0 did not settle in {MAX_STEPS} steps (the balances "
        "may not close with every flow >= 0); reconcile without --nonnegative"
    )


def _bounded(base: Solution, trial: Solution) -> Solution:
    """The bounded values with the unbounded solution's statuses, sds and tests. Adjusted
    flows that end a rounding error below 0 (-3e-11 of 240,000 t) are written as 0: the
    input format, read back, refuses a negative quantity."""
    reconciled = trial.reconciled.copy()
    reconciled[(base.kind == ADJUSTED) & (reconciled < 0)] = 0.0
    return replace(base, reconciled=reconciled)


def _touching(problem: Problem, held: np.ndarray, groups) -> np.ndarray:
    """Held flows with an end among the keys of infeasible balances."""
    keys = np.concatenate(groups)
    return held & (np.isin(problem.tail, keys) | np.isin(problem.head, keys))


def _change_one(held, wrong, negative, trial, mu) -> None:
    """Release the held flow of most negative ``mu``, or else hold the most negative flow."""
    if wrong.any():
        candidates = np.flatnonzero(wrong)
        pick = candidates[np.argmin(mu[candidates])] if mu is not None else candidates[0]
        held[pick] = False
    elif negative.any():
        candidates = np.flatnonzero(negative)
        held[candidates[np.argmin(trial.reconciled[candidates])]] = True
