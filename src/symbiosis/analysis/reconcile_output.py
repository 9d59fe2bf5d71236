"""The reconciled network as a flows table (``reconcile --out``), and what reconciliation
reads back from one.

The input format has no covariance, and the reconciled flows are correlated (two flows in
series through one balance move together: correlation 1). Written as independent
measurements with their reduced standard deviations, a second reconciliation shrank them
again (sd 1 -> 0.577 -> 0.333 -> 0.192 in Narasimhan & Jordache's heat exchanger) and the
Monte Carlo of ``uncertainty`` drew them as if independent, understating sums (0.816
instead of 1.155 for the feed and product of that exchanger). So the spread a row carries
(``uncertainty``, read back by :func:`~.spread.flow_spreads`) stays the *prior* one, the
flow's standard deviation before reconciliation, relative to the reconciled quantity;
``V_hat <= V`` (the covariance only shrinks), so independent draws with the prior spreads
are conservative for any sum of flows. The reduced standard deviation is written in
``reconciled_sd``, an attribute that nothing reads as a spread. Estimated flows (no
prior) carry their reduced one; their ``reconciliation`` column says ``estimated``, and
:func:`measured_values` reads such rows back as flows of unknown size, so that
reconciling the folder again is the same problem: neither values nor standard deviations
move.

A reconciled flow below 0 (least squares has no bounds; an estimated flow follows its
balances even with ``nonnegative``) cannot be written: the input format refuses negative
quantities, so the folder would not load (:func:`negative_flows` names them, and
``reconcile --out`` writes nothing).

Complexity: O(f), one unit parse per distinct unit.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ..model import FlowNetwork
from ..units import parse_unit

if TYPE_CHECKING:
    from .reconcile import Reconciliation

__all__ = [
    "MEASUREMENT_COLUMNS",
    "REESTIMATED",
    "measured_values",
    "negative_flows",
    "reconciled_flows",
]

MEASUREMENT_COLUMNS = ("quantity_low", "quantity_high", "uncertainty", "quality")
#: The ``reconciliation`` status of a row whose quantity the balances estimated: read back
#: as a flow of unknown size (its quantity was never measured).
REESTIMATED = "estimated"


def measured_values(network: FlowNetwork) -> np.ndarray:
    """Each flow's measurement in its canonical unit: its value, NaN where unknown or where
    the flows table says ``reconciliation = estimated`` (a folder written by
    :func:`reconciled_flows`: the balances estimated it, nobody measured it). O(f)."""
    value = network.core.value
    if "reconciliation" not in network.flows:
        return value
    status = network.flows["reconciliation"].astype(object).to_numpy()
    return np.where(status == REESTIMATED, np.nan, value)


def reconciled_flows(network: FlowNetwork, result: Reconciliation) -> pd.DataFrame:
    """The network's flows table with reconciled quantities, in each row's own unit:
    ``quantity`` reconciled (empty when unobservable); ``uncertainty`` the row's *prior*
    standard deviation relative to that quantity (the reduced one for an estimated flow,
    which has none; empty at a quantity of 0; at most the column's bound of 1,000);
    ``reconciled_sd`` the reduced standard deviation (correlated with the others', not
    read as a spread); ``quantity_measured``, ``quantity_measured_sd`` (the prior),
    ``reconciliation`` (the status) and ``z``. The model's derived columns and the
    superseded measurement columns (``quantity_low``, ``quantity_high``, ``quality``) are
    left out; so is a former ``quantity_sd`` (the reduced sd of earlier versions, now
    ``reconciled_sd``). O(f), one unit parse per distinct unit."""
    from ..io.uncertainty import MAX_RELATIVE_SD
    from ..model import DERIVED_FLOW_COLUMNS

    flows = network.flows
    units = flows["unit"].astype(object).to_numpy()
    codes, distinct = pd.factorize(pd.Series(units, dtype=object))
    factors = np.array([_factor(u) for u in distinct] + [np.nan])[codes]
    table = result.flows

    def original(values: pd.Series) -> np.ndarray:
        return values.to_numpy(dtype=float) / factors

    dropped = set(DERIVED_FLOW_COLUMNS) | set(MEASUREMENT_COLUMNS) | {"quantity_sd"}
    out = flows[[c for c in flows.columns if c not in dropped]].copy()
    reconciled = table["reconciled"].to_numpy(dtype=float)
    estimated = (table["status"] == REESTIMATED).to_numpy()
    spread = np.where(estimated, table["reconciled_sd"], table["sd"])  # canonical units
    out["quantity"] = original(table["reconciled"])
    with np.errstate(divide="ignore", invalid="ignore"):
        relative = np.where(reconciled > 0, spread / reconciled, np.nan)
    out["uncertainty"] = np.minimum(relative, MAX_RELATIVE_SD)
    out["reconciled_sd"] = original(table["reconciled_sd"])
    measured = np.isfinite(table["measured"].to_numpy(dtype=float))
    quantity = flows["quantity"].to_numpy(dtype=float, na_value=np.nan)
    out["quantity_measured"] = np.where(measured, quantity, np.nan)
    out["quantity_measured_sd"] = original(table["sd"])
    out["reconciliation"] = table["status"].to_numpy()
    out["z"] = table["z"].to_numpy()
    return out


def negative_flows(network: FlowNetwork, result: Reconciliation) -> list:
    """One :class:`~symbiosis.errors.Problem` per flow reconciled below 0 (file, row, the
    ``quantity`` column; at most 1,000 listed and the rest counted), with what to do: for an
    adjusted flow ``--nonnegative``, for an estimated one (which no bound holds) a missing
    flow at its actors. Empty when every reconciled flow is >= 0. O(f)."""
    from ..errors import Problem
    from ..io.problems import MAX_ROWS_PER_RULE
    from .reconcile_problems import flows_file

    table = result.flows
    below = np.flatnonzero((table["reconciled"] < 0).to_numpy())
    where = flows_file(network)
    problems = []
    for i in below[:MAX_ROWS_PER_RULE]:
        flow = table.iloc[i]
        if flow["status"] == REESTIMATED:
            hint = (
                "an unmeasured flow follows its balances (--nonnegative does not bound it): "
                "look for a missing flow at its actors, or give it a quantity"
            )
        else:
            hint = ("reconcile with --nonnegative (every adjusted flow kept >= 0), or look for a "
                    "missing flow at its actors (see the flagged flows)")  # fmt: skip
        problems.append(Problem(
            where, int(flow["row"]), "quantity",
            f"reconciles to {flow['reconciled']:,.6g} {flow['unit']} ({flow['source']} -> "
            f"{flow['target']}, {flow['material']}), below 0: --out would write a network that "
            "does not load (quantities are >= 0), so nothing is written", hint,
        ))  # fmt: skip
    more = len(below) - MAX_ROWS_PER_RULE
    if more > 0:
        problems.append(Problem(where, None, "quantity", f"and {more:,} more flows below 0"))
    return problems


def _factor(unit: object) -> float:
    try:
        return parse_unit(str(unit)).factor
    except ValueError:  # no unit (an empty quantity may have none)
        return math.nan
