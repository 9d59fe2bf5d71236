"""Economics: what an opportunity is worth, part by part, each part with its source.

For the quantity ``q`` an opportunity moves (canonical unit of its dimension per year):

=========================  =================================================================
part                       how, and from what
=========================  =================================================================
``value``                  ``q`` in the flow's own unit x the stream's ``price`` (flows.csv):
                           what the stream is worth to whoever takes it
``avoided_disposal_cost``  ``q`` x ``disposal_cost`` (per tonne, an option) for a disposed
                           stream of mass: the gate fee no longer paid
``avoided_purchase``       for a redirect, what ``q`` replaces of the primary input (``q``
                           x the catalogue row's substitution ratio, 1 when it gives none)
                           x the price per canonical unit the receiver pays for it (the
                           ``price`` column of those flows, averaged by quantity)
``transport_cost``         ``q`` (t) x distance (km) x ``transport_rate`` (per t km, an
                           option), for mass streams whose distance is known
``net_value``              the sum of the known parts, less transport; unknown when no part is;
                           the ``value`` of a stream sold already (a residue sold raw, a
                           product) counts 0: its sale is earned, and moving it changes the
                           buyer, not the revenue
``co2_avoided``            ``q`` x the catalogue row's ``co2_factor`` (t CO2 per unit of the
                           stream), when the catalogue gives one
=========================  =================================================================

Money is in the currency of the ``price`` column and of the options (``currency`` is only a
label); parts of unknown size stay unknown (NaN, ``None`` in JSON), never zero.

Complexity: O(c) for c candidates, plus O(f) once for the primary input prices.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ...arguments import Arguments
from ...units import DIMENSIONS
from .candidates import Candidates
from .carriers import crossed
from .receivers import Context
from .redirects import primary_mask, substitution_ratios

__all__ = ["Costs", "Worth", "unpriced_note", "worth"]

_MASS = DIMENSIONS.index("mass")
_DISPOSED = 0  # FATES.index("disposed")
_SOLD = (2, 3)  # FATES.index of sold and product
_REDIRECT = 0  # KINDS.index("redirect")


@dataclass(frozen=True)
class Costs:
    """What the user says things cost: ``disposal_cost`` per tonne disposed,
    ``transport_rate`` per tonne-kilometre, and the ``currency`` label of both."""

    disposal_cost: float | None = None
    transport_rate: float | None = None
    currency: str | None = None

    def __post_init__(self):
        check = Arguments()
        for name in ("disposal_cost", "transport_rate"):
            # inf priced every transport at inf, or NaN, after numpy's warning
            check.number(name, getattr(self, name), minimum=0, none=True)
        check.instance("currency", self.currency, str, what="text")
        check.check()


@dataclass(frozen=True, eq=False)
class Worth:
    """The parts of :mod:`this module <.economics>` for a set of candidate rows.
    ``unknown`` names the parts that are NaN on every row (no price column, no cost
    given): those share one read-only array, and :meth:`take` gathers nothing for them."""

    value: np.ndarray
    avoided_disposal_cost: np.ndarray
    avoided_purchase: np.ndarray
    transport_cost: np.ndarray
    net_value: np.ndarray
    co2_avoided: np.ndarray
    unknown: frozenset[str] = frozenset()

    PARTS = ("value", "avoided_disposal_cost", "avoided_purchase", "transport_cost",
             "net_value", "co2_avoided")  # fmt: skip

    def take(self, order: np.ndarray) -> Worth:
        nan = _nans(len(order))
        parts = (nan if p in self.unknown else getattr(self, p)[order] for p in self.PARTS)
        return Worth(*parts, unknown=self.unknown)

    def row(self, i: int, currency: str | None) -> dict:
        out = {p: _number(getattr(self, p)[i]) for p in self.PARTS}
        out["currency"] = currency
        return out


def worth(ctx: Context, candidates: Candidates, rows: np.ndarray, costs: Costs) -> Worth:
    """The parts for the candidate ``rows`` (positions). O(len(rows))."""
    nan = _nans(len(rows))  # a part nothing is known of (no price column, no cost given)
    value = disposal = transport = nan
    priced = "price" in ctx.network.flows
    if priced or costs.disposal_cost is not None or costs.transport_rate is not None:
        streams = ctx.streams
        stream, quantity = candidates.stream[rows], candidates.quantity[rows]
        mass = streams.dimension[stream] == _MASS
        if priced:
            with np.errstate(divide="ignore", invalid="ignore"):
                amount = quantity * streams.quantity[stream] / streams.value[stream]
                value = amount * streams.price[stream]
        if costs.disposal_cost is not None:
            disposed = mass & (streams.fate_code[stream] == _DISPOSED)
            disposal = np.where(disposed, quantity * costs.disposal_cost, np.nan)
        if costs.transport_rate is not None:
            transport = np.where(mass, quantity * candidates.distance_km[rows], np.nan)
            transport = transport * costs.transport_rate
    purchase = _avoided_purchase(ctx, candidates, rows, nan)
    net = nan
    if any(part is not nan for part in (value, disposal, purchase, transport)):
        if value is not nan:  # a sale earned already is no gain (module docstring)
            earned = np.isin(ctx.streams.fate_code[candidates.stream[rows]], _SOLD)
            gained = np.where(earned & ~np.isnan(value), 0.0, value)
        else:
            gained = value
        parts = np.vstack([gained, disposal, purchase])
        known = ~np.isnan(parts).all(axis=0) | ~np.isnan(transport)
        net = np.where(known, np.nansum(parts, axis=0) - np.nan_to_num(transport), np.nan)
    found = (value, disposal, purchase, transport, net, _co2(ctx, candidates, rows, nan))
    unknown = frozenset(p for p, part in zip(Worth.PARTS, found, strict=True) if part is nan)
    return Worth(*found, unknown=unknown)


def unpriced_note(network, rank_by: str, costs: Costs) -> str | None:
    """The warning when ``rank_by`` reads money that nothing gives: ``value`` with no
    flow priced, ``net_value`` with no flow priced and neither cost given. The rows are
    then ranked by their quantity (the last key of the value order), which the analyst
    should know rather than read a ranking by money. O(f) for the price column."""
    if rank_by not in ("value", "net_value"):
        return None
    flows = network.flows
    if "price" in flows and bool(flows["price"].notna().any()):
        return None
    if rank_by == "net_value" and (costs.disposal_cost is not None
                                   or costs.transport_rate is not None):  # fmt: skip
        return None
    given = "" if rank_by == "value" else " and no disposal cost or transport rate is given"
    return (f"no flow has a price (flows.csv's price column){given}: --rank-by {rank_by} "
            "has no money to rank by, and ranks by the quantity instead (within the same "
            "tiers and rounds); give prices, or rank by quantity")  # fmt: skip


def _nans(n: int) -> np.ndarray:
    """A read-only array of n NaN: shared by the parts nothing is known of."""
    nan = np.full(n, np.nan)
    nan.flags.writeable = False
    return nan


def _avoided_purchase(ctx: Context, candidates: Candidates, rows: np.ndarray, nan) -> np.ndarray:
    """For redirects: what the moved quantity replaces of the primary input (times the
    row's substitution ratio, :func:`.redirects.substitution_ratios`) x the receiver's
    price per canonical unit of it (``nan`` when no row has one)."""
    if "price" not in ctx.network.flows:
        return nan
    redirect = candidates.kind[rows] == _REDIRECT
    if not redirect.any():
        return nan
    codes, unit_price = _primary_prices(ctx)
    if not len(codes):
        return nan
    out = np.full(len(rows), np.nan)
    at_rows = rows[redirect]
    width = len(ctx.core.material_keys) + 1
    wanted = candidates.receiver[at_rows] * width + candidates.replaced_key[at_rows] + 1
    at = np.minimum(np.searchsorted(codes, wanted), len(codes) - 1)
    price = np.where(codes[at] == wanted, unit_price[at], np.nan)
    replaced = candidates.quantity[at_rows] * substitution_ratios(ctx, candidates.pathway[at_rows])
    out[redirect] = replaced * price
    return out


def _primary_prices(ctx: Context) -> tuple[np.ndarray, np.ndarray]:
    """(receiver, material key) codes, sorted, with the quantity-weighted price per
    canonical unit of their priced primary inputs. Cached on the core."""
    core, flows = ctx.core, ctx.network.flows

    def build() -> tuple[np.ndarray, np.ndarray]:
        mask = primary_mask(ctx)
        price = flows["price"].to_numpy(dtype=float)[mask]
        quantity = flows["quantity"].to_numpy(dtype=float)[mask]
        value = core.value[mask]
        priced = ~np.isnan(price) & (value > 0)
        width = len(core.material_keys) + 1
        codes = (core.target[mask] * width + core.material_key_code[mask] + 1)[priced]
        spend = (price * quantity)[priced]  # money per year
        distinct, inverse = np.unique(codes, return_inverse=True)
        total_spend = np.bincount(inverse, weights=spend, minlength=len(distinct))
        total_value = np.bincount(inverse, weights=value[priced], minlength=len(distinct))
        return distinct, total_spend / total_value

    return core.cached(("opportunities", "primary_prices"), build)


def _co2(ctx: Context, candidates: Candidates, rows: np.ndarray, nan) -> np.ndarray:
    """``q`` x the row's CO2 factor, checked when the catalogue was read (its ``co2``
    column: NaN where the row gives none, and for a stream of another dimension than the
    row's, whose factor is per unit of its own: steam in tonnes on a row of GJ,
    :mod:`.carriers`)."""
    pathways = ctx.catalogue.pathways
    if "co2" not in pathways:  # a Catalogue built by hand from a table of its own
        return nan
    factors = np.append(pathways["co2"].to_numpy(dtype=float), np.nan)
    if np.isnan(factors).all():
        return nan
    path = candidates.pathway[rows]
    co2 = candidates.quantity[rows] * factors[path]
    co2[crossed(ctx, path, candidates.stream[rows])] = np.nan
    return co2


def _number(x) -> float | None:
    return None if x is None or np.isnan(x) else float(x)
