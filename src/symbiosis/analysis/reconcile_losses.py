"""Which actors balance in reconciliation, and the losses of those that may lose what the
data do not record (:mod:`.reconcile`, "Losses").

In a loss dimension (``losses``, energy by default) an actor of a balancing role with
flows both in and out does not balance: energy conversion always loses heat that networks
rarely record, so its balance is ``outputs <= inputs`` (the loss, ``inputs - outputs``, is
>= 0), not an equality. Such actors are left out of that dimension's balances, like the
one-sided ones, and listed with their recorded loss; one whose recorded outputs exceed its
inputs is *impossible* as recorded (a negative loss: a wrong flow, or an input recorded in
another dimension, such as coke in tonnes feeding a furnace's gas in gigajoules). When its
flows have standard deviations the excess is tested against its own, ``z = excess /
sqrt(sum of the flows' variances)`` (one-sided, at the command's ``alpha``): an excess
within the flows' uncertainty is noise, not an impossibility. Without spreads, any excess
beyond rounding is impossible.

Why not the inequality in the bounded quadratic program (:mod:`.reconcile_bounds`):
without those balances the exact reconciliation already keeps every loss >= 0 unless the
recorded outputs exceed the inputs, and there the inequality would cut the outputs down to
the inputs, which is what a furnace whose energy comes in tonnes of coke must not have
(its gas cut from 14 PJ to the 3.8 PJ of its electricity). The data are then to be
checked, not adjusted.

Complexity: O(f) for f flows.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..model import FlowNetwork
from ..units import DIMENSIONS, yearly_unit
from ..vocabulary import ROLES

__all__ = ["LOSS_COLUMNS", "actor_sides", "loss_mask", "loss_table"]

LOSS_COLUMNS = (
    "dimension",
    "firm",
    "unit",
    "inputs",
    "outputs",
    "loss",
    "loss_share",
    "unknown_flows",
    "z",
    "p_value",
    "impossible",
)
ROUNDING = 1e-9  # relative: outputs above inputs by less than this are equal


def actor_sides(network: FlowNetwork, roles: tuple[str, ...]) -> tuple[np.ndarray, ...]:
    """Per dimension code and node (``len(DIMENSIONS) x nodes`` masks): whether the node's
    role balances (one row, broadcast), whether it has flows of that dimension in, and
    out (of known size or not). O(f)."""
    core = network.core
    dimension = core.unit_dimension.astype(np.int64)
    inside = dimension >= 0
    role_ok = np.isin(core.role_code, [ROLES.index(r) for r in roles])[None, :]
    has_in = np.zeros((len(DIMENSIONS), core.n_nodes), dtype=bool)
    has_out = np.zeros_like(has_in)
    has_in[dimension[inside], core.target[inside]] = True
    has_out[dimension[inside], core.source[inside]] = True
    return role_ok, has_in, has_out


def loss_mask(losses: tuple[str, ...]) -> np.ndarray:
    """Per dimension code, whether it is a loss dimension (a column to broadcast)."""
    return np.isin(np.array(DIMENSIONS), losses)[:, None]


def loss_table(
    network: FlowNetwork,
    roles: tuple[str, ...],
    losses: tuple[str, ...],
    sd: np.ndarray | None = None,
    alpha: float = 0.05,
):
    """One row per actor that may lose in a loss dimension (``LOSS_COLUMNS``): the recorded
    ``inputs`` and ``outputs`` of known size (canonical unit), ``loss = inputs - outputs``,
    ``loss_share`` of the inputs (NaN without inputs), ``unknown_flows`` (of unknown size,
    in or out: the loss is that of the known flows), ``z`` (the excess of the outputs,
    ``-loss``, over its standard deviation from ``sd``, the flows' standard deviations in
    canonical units; NaN when they have none), ``p_value`` (one-sided, that noise alone
    gives an excess this large) and ``impossible``: outputs above inputs beyond rounding,
    no input of unknown size that could make up the difference, and, when the flows have
    spreads, ``p_value < alpha``. Impossible actors first, then in the network's order, per
    dimension. O(f)."""
    role_ok, has_in, has_out = actor_sides(network, roles)
    code, node = np.nonzero(role_ok & has_in & has_out & loss_mask(losses))
    core = network.core
    n = core.n_nodes
    dimension = core.unit_dimension.astype(np.int64)
    inside = dimension >= 0
    value = core.value
    known = inside & np.isfinite(value)
    unknown = inside & ~known
    size = len(DIMENSIONS) * n

    def per_key(nodes: np.ndarray, mask: np.ndarray, weights=None) -> np.ndarray:
        at = dimension[mask] * n + nodes[mask]
        return np.bincount(at, None if weights is None else weights[mask], minlength=size)

    key = code * n + node
    inputs = per_key(core.target, known, value)[key]
    outputs = per_key(core.source, known, value)[key]
    unknown_in = per_key(core.target, unknown)[key]
    unknown_out = per_key(core.source, unknown)[key]
    loss = inputs - outputs
    variance = np.zeros(len(key))
    if sd is not None:  # the excess is a sum of independent flows: the variances add up
        squared = np.where(known, np.nan_to_num(np.asarray(sd, dtype=float)) ** 2, 0.0)
        variance = (per_key(core.target, known, squared) + per_key(core.source, known, squared))[
            key
        ]
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(inputs > 0, loss / inputs, np.nan)
        z = np.where(variance > 0, -loss / np.sqrt(variance), np.nan)
    from scipy.special import ndtr  # the normal cdf (scipy.stats: 2 s more to import)

    p_value = np.where(np.isnan(z), np.nan, ndtr(-np.nan_to_num(z)))
    beyond = (loss < -ROUNDING * np.maximum(inputs, outputs)) & (unknown_in == 0)
    impossible = beyond & (np.isnan(z) | (p_value < alpha))
    units = np.array([yearly_unit(d, network.summed_years) for d in DIMENSIONS], dtype=object)
    table = pd.DataFrame(
        {
            "dimension": np.array(DIMENSIONS, dtype=object)[code],
            "firm": core.ids[node],
            "unit": units[code],
            "inputs": inputs,
            "outputs": outputs,
            "loss": loss,
            "loss_share": share,
            "unknown_flows": (unknown_in + unknown_out).astype(np.int64),
            "z": z,
            "p_value": p_value,
            "impossible": impossible,
        },
        columns=list(LOSS_COLUMNS),
    )
    order = np.lexsort((~impossible, code))  # per dimension, impossible first, stable
    return table.iloc[order].reset_index(drop=True)
