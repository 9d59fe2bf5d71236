"""Balance reconciliation (what STAN does): adjust the uncertain flows, weighted by their
variances, so that every actor that should balance does, and test whether the adjustments
are noise or gross errors.

Which actors balance
    An actor balances in a dimension (inputs = outputs, a steady year without stock
    change) when its role is one of ``balance_roles`` (default :data:`DEFAULT_ROLES`:
    ``firm``, ``recycling``, ``treatment``, ``utility``, ``distributor``: it passes on
    what it receives) **and** it has flows of that
    dimension both in and out (of known size or not). Extraction actors are left out by
    default because their main input (ore in the ground) is never a flow, households because
    they build stocks; an actor with only inputs or only outputs in a dimension is left
    out of that dimension's balances (a landfill-like stock, or a transformation into
    another dimension), and listed as ``one-sided``. Boundary nodes (market, disposal,
    environment) never balance: together they are the system's environment.

Losses
    In the ``losses`` dimensions (default energy) an actor may lose what the data do not
    record (conversion heat): its balance is ``outputs <= inputs``, not an equality, so it
    is left out of that dimension's balances and listed with its recorded loss; recorded
    outputs above the inputs by more than the flows' uncertainty (a one-sided test at
    ``alpha``; beyond rounding without spreads) are flagged as impossible
    (:mod:`.reconcile_losses`).

Flows
    The standard deviation of each flow comes from :func:`~.spread.flow_spreads`
    (``quantity_low``/``quantity_high``, ``uncertainty``, ``quality``, or the default
    relative ``uncertainty``). A flow with standard deviation 0 is known exactly and kept;
    a flow of unknown size is a free variable: it is estimated when the balances determine
    it (observable) and left empty otherwise. See :mod:`.reconcile_linalg` for the method
    (weighted least squares with the unmeasured flows projected out on the graph, Mah et
    al. 1976; Crowe et al. 1983) and the tests.

Tolerance
    With ``tolerance > 0`` each balancing actor may stay open by up to ``tolerance`` times
    the larger of its recorded inputs and outputs (the ``balance`` command's measure, with
    the recorded sides as the scale so that the constraints stay linear). The adjustment is
    then the smallest weighted one that brings every actor within it (a quadratic program,
    :mod:`.reconcile_bounds`). The tests (chi-square, normalised adjustments of the exact
    problem) and the reduced standard deviations are always those of the exact balances: a
    tolerance says the balance model itself is approximate, which the tests do not model.

Bounds
    Least squares has no bounds: a flow the balances cannot carry comes out negative, a
    sign of a gross error or a missing flow. ``nonnegative`` keeps every adjusted flow
    >= 0 (with exact balances or within a tolerance, the same quadratic program of
    :mod:`.reconcile_bounds`); the tests and sds stay those of the unbounded problem.

Gross errors
    Global test: ``gamma`` (the minimised sum of squared standardised adjustments of the
    exact problem) against chi-square with ``rank(B)`` degrees of freedom, per dimension.
    Measurement test: ``z_i = |a_i| / sd(a_i)``, flagged above the normal quantile at the
    Sidak-corrected level ``1 - (1 - alpha)^(1/n)`` for ``n`` tested flows (Mah & Tamhane
    1982; Narasimhan & Jordache 2000, ch. 7). Flags say "too large to be noise", not which
    flow is wrong: a missing flow (air, fuel, a loss) makes every flow of its actor look
    wrong.

Complexity: O(f) to set up for f flows, then :func:`.reconcile_linalg.solve`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import pandas as pd

from .._frozen import FrozenResult
from ..errors import InputError, Problem
from ..model import FlowNetwork, require_network
from ..units import DIMENSIONS, yearly_unit
from . import reconcile_linalg as linalg
from .reconcile_losses import LOSS_COLUMNS, actor_sides, loss_mask, loss_table
from .reconcile_output import measured_values, reconciled_flows
from .reconcile_problems import cannot_close, flows_file, sd_by_label, sd_numbers
from .reconcile_settings import DEFAULT_LOSSES, check_settings

__all__ = [
    "DEFAULT_ALPHA",
    "DEFAULT_LOSSES",
    "DEFAULT_ROLES",
    "Reconciliation",
    "check_settings",
    "reconcile",
    "reconciled_flows",
]

DEFAULT_ROLES: tuple[str, ...] = ("firm", "recycling", "treatment", "utility", "distributor")
DEFAULT_ALPHA = 0.05
LISTED = 1000  # flows listed per table by to_dict unless asked for all
# Columns of an input flows file that describe a measurement the reconciled file replaces.
#: Flow classes listed one record per flow in :meth:`Reconciliation.to_dict` (network order)
LISTED_KINDS = ("estimated", "unobservable", "not redundant", "fixed")


@dataclass(frozen=True, eq=False)
class Reconciliation(FrozenResult):
    """The reconciled network: one row per flow, the tests per dimension, the settings.

    Attributes
    ----------
    flows : DataFrame
        One row per flow in the network's order: ``row`` (in flows.csv), ``source``,
        ``target``, ``material``, ``dimension``, ``unit`` (canonical, per year),
        ``measured``, ``sd``, ``reconciled``, ``adjustment``, ``reconciled_sd``,
        ``adjustment_sd``, ``z`` (normalised adjustment), ``flagged``, ``status`` (one of
        :data:`~.reconcile_linalg.FLOW_KINDS`).
    tests : DataFrame
        One row per dimension with balances: ``dimension``, ``unit``, ``balancing_actors``,
        ``dof``, ``statistic``, ``p_value``, ``critical`` (chi-square at ``1 - alpha``),
        ``gross_error`` (statistic beyond critical).
    """

    flows: pd.DataFrame
    tests: pd.DataFrame
    balance_roles: tuple[str, ...]
    tolerance: float
    alpha: float
    z_critical: float
    one_sided: pd.DataFrame = field(repr=False)
    """Actors of a balancing role left out of a dimension: ``dimension``, ``firm``,
    ``side`` (``inputs only`` or ``outputs only``)."""
    nonnegative: bool = False
    """Whether the adjusted flows were kept >= 0."""
    losses: tuple[str, ...] = ()
    """The dimensions where an actor may lose what the data do not record."""
    loss_actors: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame(columns=list(LOSS_COLUMNS)), repr=False
    )
    """The actors left out of a loss dimension's balances, with their recorded loss
    (:func:`.reconcile_losses.loss_table`)."""

    @property
    def flagged(self) -> pd.DataFrame:
        """Flows whose adjustment is too large to be noise, largest ``z`` first. O(f log f)."""
        return self.flows.iloc[_largest_first(self.flows["flagged"], self.flows["z"])]

    def to_frame(self) -> pd.DataFrame:
        """The per-flow table (:attr:`flows`). O(1)."""
        return self.flows

    def to_dict(self, *, limit: int | None = LISTED) -> dict[str, Any]:
        """Settings, the tests per dimension, counts by status, the flagged flows, the
        adjusted or estimated flows, and the flows of each class of :data:`LISTED_KINDS`
        (at most ``limit`` each, ``rows`` counting them all; ``None``: all; else a whole
        number >= 0, or an InputError). O(f log f)."""
        from ..jsonable import to_jsonable
        from ._records import checked_limit, records

        limit = checked_limit(limit)

        flows = self.flows
        status = flows["status"].value_counts()
        # positions, not the rows reordered: a copy of 700,000 changed flows of every
        # column took 300 MB at a million flows
        changed = _largest_first(flows["status"].isin(("adjusted", "estimated")),
                                 flows["adjustment"].abs())  # fmt: skip
        flagged = _largest_first(flows["flagged"], flows["z"])
        status_of = flows["status"].to_numpy()
        kinds = {k.replace(" ", "_"): np.flatnonzero(status_of == k) for k in LISTED_KINDS}
        settings = to_jsonable(
            {
                "balance_roles": list(self.balance_roles),
                "tolerance": self.tolerance,
                "nonnegative": self.nonnegative,
                "losses": list(self.losses),
                "alpha": self.alpha,
                "z_critical": self.z_critical,
                "tests": self.tests.to_dict("records"),
                "flows_by_status": {s: int(status.get(s, 0)) for s in linalg.FLOW_KINDS},
                "negative_reconciled": int((self.flows["reconciled"] < 0).sum()),
            }
        )
        # the listed flows a column at a time (records), not a cell at a time: all
        # 700,000 changed flows of a million took 18 s and 2 GB through to_jsonable
        return {
            **settings,
            "flagged": records(flows, rows=flagged[:limit], lazy=True),
            "changed": records(flows, rows=changed[:limit], lazy=True),
            **{kind: records(flows, rows=at[:limit], lazy=True) for kind, at in kinds.items()},
            "one_sided": records(self.one_sided, lazy=True),
            "loss_actors": records(self.loss_actors, lazy=True),
            "rows": {"flagged": len(flagged), "changed": len(changed)}
            | {kind: len(at) for kind, at in kinds.items()},
        }


def _largest_first(mask: pd.Series, size: pd.Series) -> np.ndarray:
    """Positions of the rows where ``mask`` holds, largest ``size`` first, ties in row
    order (a stable sort, on every machine), missing sizes last: the order of
    ``rows.sort_values(ascending=False, kind="stable")``. O(f log f)."""
    at = np.flatnonzero(mask.to_numpy(dtype=bool))
    chosen = pd.Series(size.to_numpy()[at])
    return at[chosen.sort_values(ascending=False, kind="stable").index.to_numpy()]


def reconcile(
    network: FlowNetwork,
    sd: np.ndarray | None = None,
    *,
    default_uncertainty: float | None = None,
    balance_roles: Iterable[str] = DEFAULT_ROLES,
    tolerance: float = 0.0,
    alpha: float = DEFAULT_ALPHA,
    nonnegative: bool = False,
    losses: Iterable[str] | str = DEFAULT_LOSSES,
) -> Reconciliation:
    """Reconcile the flows of ``network`` with the balances of its actors (module
    docstring).

    Parameters
    ----------
    network : FlowNetwork
    sd : array, optional
        Standard deviation of each flow in its canonical unit (>= 0; ignored where the
        size is unknown), in flow order, or a pandas Series indexed as ``network.flows``
        (aligned by label): numbers (text, a mapping, complex numbers or booleans are an
        ``InputError`` naming ``sd``). Default:
        :func:`~.spread.flow_spreads` of the network, with ``default_uncertainty`` for
        the flows whose row gives none.
    balance_roles : roles whose actors balance (default :data:`DEFAULT_ROLES`).
    tolerance : how far (relative) a balance may stay open; 0: exactly.
    alpha : significance level of the tests.
    nonnegative : keep every adjusted flow >= 0 (see :mod:`.reconcile_bounds`).
    losses : dimensions where an actor may lose what the data do not record (default
        :data:`~.reconcile_settings.DEFAULT_LOSSES`, energy; ``()`` or ``"none"``: none):
        there it is left out of the balances and listed with its loss
        (:mod:`.reconcile_losses`).

    Raises
    ------
    InputError
        A bad option, before any work (every one named, with the value it got: an
        unknown or boundary role, a tolerance, alpha or default uncertainty that is not
        a number in range, a ``nonnegative`` that is not True or False, an unknown loss
        dimension); a negative or
        missing standard deviation, balances that flows known exactly contradict, or
        (with ``nonnegative``) balances that no flows >= 0 can close.
    AnalysisError
        Standard deviations below 1.5e-154 times the largest flow of their dimension
        (their squares are 0 in floating point), on flows that a balance weighs.

    Complexity: O(f) for the set-up, then one sparse LU and the variance solves of
    :func:`.reconcile_linalg.solve` (and the quadratic program of a tolerance or bounds).
    """
    require_network(network)
    roles, losses = check_settings(
        balance_roles, tolerance, alpha, default_uncertainty, nonnegative, losses, flags=False
    )
    sd = _checked_sd(network, sd, default_uncertainty)
    problem, one_sided = _problem(network, sd, roles, tolerance, losses)
    try:
        solution = linalg.solve(replace(problem, nonnegative=bool(nonnegative)))
    except linalg.UnweighableFlows as exc:
        from .reconcile_problems import unweighable

        raise unweighable(network, exc.flows) from None
    if solution.infeasible:
        raise InputError(cannot_close(network, problem, solution, sd))
    flows, z_critical = _flow_table(network, problem, solution, sd, alpha)
    tests = _tests(network, problem, solution, alpha)
    return Reconciliation(
        flows,
        tests,
        roles,
        float(tolerance),
        float(alpha),
        z_critical,
        one_sided,
        nonnegative,
        losses,
        loss_table(network, roles, losses, sd, alpha),
    )


def _checked_sd(network: FlowNetwork, sd: np.ndarray | None, default: float | None) -> np.ndarray:
    """The standard deviations, checked: one per flow, >= 0 and finite where the size is
    known. Every bad row is reported (file, row, column)."""
    from_default = None  # the flows whose spread is the default's
    if sd is None:
        from .spread import SOURCES, flow_spreads

        spreads = flow_spreads(network, default)
        sd, from_default = spreads.sd, spreads.source == SOURCES.index("default")
    sd = sd_numbers(sd_by_label(network, sd))
    if sd.shape != (network.n_flows,):
        raise InputError(f"sd has {sd.size} values for {network.n_flows} flows; give one per flow")
    known = np.isfinite(measured_values(network))  # estimated by an earlier pass: unknown
    bad = np.flatnonzero(known & ~(np.isfinite(sd) & (sd >= 0)))
    if len(bad) and from_default is not None and from_default[bad].any():
        raise InputError(  # the default's fault, not a row's: it overflows on a flow
            f"the default uncertainty {default:g} gives a flow an infinite standard "
            "deviation; give a relative standard deviation such as 0.1 (10 %)"
        )
    if len(bad):
        rows = network.flows["row"].to_numpy()[bad]
        raise InputError(
            [
                Problem(
                    flows_file(network),
                    int(row),
                    "uncertainty",
                    f"standard deviation {float(sd[i]):g} is negative or missing",
                    "give a number >= 0 (0: known exactly)",
                )
                for i, row in zip(bad, rows, strict=True)
            ]
        )
    return np.where(known, sd, np.nan)


def _problem(
    network: FlowNetwork,
    sd: np.ndarray,
    roles: tuple[str, ...],
    tolerance: float,
    losses: tuple[str, ...] = (),
):
    """Keys (one per balancing actor and dimension, one environment per dimension) and the
    flows between them; an actor of a loss dimension is the environment there. O(f)."""
    core = network.core
    n = core.n_nodes
    dimension = core.unit_dimension.astype(np.int64)
    inside = dimension >= 0
    role_ok, has_in, has_out = actor_sides(network, roles)
    balances = role_ok & has_in & has_out & ~loss_mask(losses)
    one_sided = role_ok & (has_in ^ has_out)

    # keys: balancing (dimension, node) pairs first, then one environment per dimension
    pairs = np.flatnonzero(balances.ravel())
    key_of = np.full(len(DIMENSIONS) * n, -1, dtype=np.int64)
    key_of[pairs] = np.arange(len(pairs))
    environment_key = len(pairs) + np.arange(len(DIMENSIONS))
    flat = dimension * n

    def key(nodes: np.ndarray) -> np.ndarray:
        found = key_of[np.where(inside, flat + nodes, 0)]
        return np.where(inside, np.where(found >= 0, found, environment_key[dimension]), -1)

    key_dimension = np.concatenate([pairs // n, np.arange(len(DIMENSIONS))])
    environment = np.zeros(len(key_dimension), dtype=bool)
    environment[environment_key] = True
    problem = linalg.Problem(
        tail=key(core.source),
        head=key(core.target),
        value=measured_values(network),
        sd=sd,
        environment=environment,
        key_dimension=key_dimension,
        tolerance=_key_tolerance(core, pairs, n, tolerance) if tolerance > 0 else None,
    )
    return problem, _one_sided_table(network, one_sided, has_in)


def _key_tolerance(core, pairs: np.ndarray, n: int, tolerance: float) -> np.ndarray:
    """``tolerance x max(recorded inputs, recorded outputs)`` per key (0 for the
    environment)."""
    scale = []
    for name in DIMENSIONS:
        if name in core.dimensions:
            sums = core.node_sums(name)
            scale.append(np.maximum(sums.inflow, sums.outflow))
        else:
            scale.append(np.zeros(n))
    per_pair = np.concatenate(scale)[pairs]
    return np.concatenate([tolerance * per_pair, np.zeros(len(DIMENSIONS))])


def _one_sided_table(network: FlowNetwork, one_sided: np.ndarray, has_in: np.ndarray):
    code, node = np.nonzero(one_sided)
    return pd.DataFrame(
        {
            "dimension": np.array(DIMENSIONS, dtype=object)[code],
            "firm": network.core.ids[node],
            "side": np.where(has_in[code, node], "inputs only", "outputs only"),
        }
    )


def _flow_table(network, problem, solution, sd, alpha) -> tuple[pd.DataFrame, float]:
    core = network.core
    measured = problem.value
    adjustment = np.where(np.isnan(measured), np.nan, solution.reconciled - measured)
    spread, tested = solution.adjustment_sd, np.abs(solution.tested)
    with np.errstate(divide="ignore", invalid="ignore"):
        z = np.where(spread > 0, tested / spread, np.nan)
    tested = int(np.isfinite(z).sum())
    z_critical = _sidak_quantile(alpha, tested)
    kind = np.array(linalg.FLOW_KINDS, dtype=object)[solution.kind]
    dimension = core.unit_dimension
    units = np.array(
        [yearly_unit(d, network.summed_years) for d in DIMENSIONS] + [""], dtype=object
    )
    labels = np.array([*DIMENSIONS, ""], dtype=object)
    table = pd.DataFrame(
        {
            "row": network.flows["row"].to_numpy(),
            "source": core.ids[core.source],
            "target": core.ids[core.target],
            "material": network.flows["material"].to_numpy(dtype=object),
            "dimension": labels[dimension],
            "unit": units[dimension],
            "measured": measured,
            "sd": sd,
            "reconciled": solution.reconciled,
            "adjustment": adjustment,
            "reconciled_sd": solution.reconciled_sd,
            "adjustment_sd": solution.adjustment_sd,
            "z": z,
            "flagged": np.nan_to_num(z) > z_critical,
            "status": kind,
        }
    )
    return table, z_critical


def _sidak_quantile(alpha: float, tests: int) -> float:
    """The two-sided normal quantile at the Sidak-corrected level for ``tests`` tests."""
    from scipy.special import ndtri  # scipy.special, not scipy.stats: 2 s less to import

    level = 1 - (1 - alpha) ** (1 / max(tests, 1))
    return float(-ndtri(level / 2))


def _tests(network, problem, solution, alpha) -> pd.DataFrame:
    from scipy.special import chdtrc, chdtri  # chi-square survival function and its inverse

    actors = np.bincount(problem.key_dimension[~problem.environment], minlength=len(DIMENSIONS))
    codes = [d for d in range(len(DIMENSIONS)) if actors[d]]
    dof = np.asarray(solution.dof)[codes] if len(solution.dof) else np.zeros(0, int)
    statistic = np.asarray(solution.statistic)[codes] if len(codes) else np.zeros(0)
    p_value = np.where(dof > 0, chdtrc(np.maximum(dof, 1), statistic), np.nan)
    critical = np.where(dof > 0, chdtri(np.maximum(dof, 1), alpha), np.nan)
    return pd.DataFrame(
        {
            "dimension": [DIMENSIONS[d] for d in codes],
            "unit": [yearly_unit(DIMENSIONS[d], network.summed_years) for d in codes],
            "balancing_actors": actors[codes],
            "dof": dof.astype(int),
            "statistic": statistic,
            "p_value": p_value,
            "critical": critical,
            "gross_error": (dof > 0) & (statistic > critical),
        }
    )
