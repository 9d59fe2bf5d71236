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
    measured, variance = problem.value, problem.sd**2
    rounding = 1e-9 * (np.abs(measured) + problem.sd + np.abs(base.reconciled))
    held = adjusted & (base.reconciled < -np.nan_to_num(rounding))
    if base.infeasible or not held.any():
        return _bounded(base, base)
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
            # below 0 by more than rounding: a flow the balances fix at exactly 0 comes out
            # at -1e-12, and holding it would make its multiplier indeterminate
            eps = 1e-9 * (np.abs(measured) + problem.sd + np.abs(trial.reconciled))
            negative = adjusted & ~held & (trial.reconciled < -np.nan_to_num(eps))
            with np.errstate(divide="ignore", invalid="ignore"):
                ratio = np.where(held, measured / variance, 0.0)
            mu = _shifted(np.where(held, trial.pull - ratio, 0.0), held, trial.parts)
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
        f"reconciliation with flows >= 0 did not settle in {MAX_STEPS} steps: either the "
        "balances cannot close with every flow >= 0, or the method cycled (it can, on some "
        "feasible networks); reconcile without --nonnegative"
    )


def _bounded(base: Solution, trial: Solution) -> Solution:
    """The bounded values with the unbounded solution's statuses, sds and tests. Adjusted
    flows that end a rounding error below 0 (-3e-11 of 240,000 t) are written as 0: the
    input format, read back, refuses a negative quantity."""
    reconciled = trial.reconciled.copy()
    reconciled[(base.kind == ADJUSTED) & (reconciled < 0)] = 0.0
    return replace(base, reconciled=reconciled)


def _shifted(mu: np.ndarray, held: np.ndarray, parts) -> np.ndarray:
    """The multipliers of a floating part (balances joined to each other, not to the
    environment) are free along its all-ones vector, which moves ``mu`` of a held flow
    leaving the part by ``-c`` and of one entering it by ``+c``: shift each part, as little
    as possible, so that these ``mu`` are >= 0 when some shift allows it (a flow that the
    balances fix at 0 is then kept there). Flows between two floating parts are left as
    they are. O(held flows)."""
    head, tail = parts
    mu = mu.copy()
    for part in np.unique(np.concatenate([head[held], tail[held]])):
        if part < 0:
            continue
        enters = held & (head == part) & (tail < 0)
        leaves = held & (tail == part) & (head < 0)
        low = np.max(-mu[enters], initial=-np.inf)  # mu + c >= 0
        high = np.min(mu[leaves], initial=np.inf)  # mu - c >= 0
        if low <= high:
            shift = float(np.clip(0.0, low, high))
            mu[enters] += shift
            mu[leaves] -= shift
    return mu


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
