"""Waste reuse accounting: where the residual streams of a network end, per dimension.

A *residual stream* is a flow of category by-product, waste or emission that leaves an
actor (a node inside the system) and has a known quantity. Its *fate* is set by the role
of the node it goes to:

==========  ==========================================  ======================================
fate        target role                                 meaning
==========  ==========================================  ======================================
reused      firm, extraction, recycling, utility,       another actor takes it as an input
            household                                   (mine backfill is a recycling actor)
treated     treatment                                   a wastewater plant or incinerator
                                                        takes it to make it harmless
sold        market                                      it leaves to the outside economy
disposed    disposal                                    landfill, tailings pond, stack
emitted     environment                                 air, river, sea
==========  ==========================================  ======================================

so that, in each dimension and each breakdown,
``generated = reused + treated + sold + disposed + emitted`` exactly (up to rounding).

Why a separate ``treated`` fate: treatment is a service that destroys or neutralises a
stream, not a use of it. Counting municipal wastewater that enters a sewage works as
"reused" would report a perfect reuse share for any city with a sewer; the waste
hierarchy (EU Waste Framework Directive, Annex I) and Chinese solid-waste statistics
(which separate 综合利用 utilisation from 处置 treatment and disposal) both keep them
apart. What a treatment actor sends on is accounted again as its own residual stream
(treated effluent to a river is emitted; to a firm, reused).

Indicators, per dimension (tonnes with tonnes, never mixed):

``reuse_share = reused / generated``
    the share of the residuals the network itself takes back as inputs.
``utilization_rate = (reused + sold) / generated``
    the "comprehensive utilisation rate" (综合利用率) of Chinese circular-economy
    statistics: residuals put to use, inside the network or sold to the outside.
``circular_input_rate = secondary inputs / all inputs`` of the actors
    an input is *secondary* when it is a by-product, waste or emission (whoever sent
    it: scrap bought from the market counts) or comes from a recycling actor (recycled
    scrap, slag concentrate, aggregates from waste). Treatment actors are left out on
    both sides: their intake is waste by definition, and counting it would call a
    sewage works perfectly circular. The network rate is the input-weighted mean of the
    actors' rates: total secondary inputs over total inputs of all (non-treatment) actors.

Shares are ``None`` when their denominator is zero. Flows of unknown size are left out of
every sum and counted in :attr:`ReuseAccounts.unquantified_streams`. Residual flows from
boundary nodes (scrap bought from the market) are not *generated* in the network; they
show up as secondary inputs of the actor that takes them. Materials are grouped on
:func:`symbiosis.vocabulary.material_key` and shown under their most frequent spelling.

Complexity: O(f) for f flows, vectorised (one boolean mask and one pandas groupby per
table); at one million flows the whole pass takes well under a second (docs/reuse.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from ..model import FlowNetwork
from ..units import CANONICAL_UNITS, DIMENSIONS
from ..vocabulary import RESIDUAL_CATEGORIES

__all__ = [
    "FATES",
    "FATE_OF_ROLE",
    "ReuseAccounts",
    "residual_streams",
    "reuse_accounts",
    "secondary_inputs",
]

FATES: tuple[str, ...] = ("reused", "treated", "sold", "disposed", "emitted")
FATE_OF_ROLE: dict[str, str] = {
    "firm": "reused",
    "extraction": "reused",
    "recycling": "reused",
    "utility": "reused",
    "household": "reused",
    "treatment": "treated",
    "market": "sold",
    "disposal": "disposed",
    "environment": "emitted",
}
AMOUNTS: tuple[str, ...] = ("generated", *FATES)
SHARES: tuple[str, ...] = ("reuse_share", "utilization_rate")


@dataclass(frozen=True)
class ReuseAccounts:
    """Where the residual streams of a network end, per dimension.

    Attributes
    ----------
    network : DataFrame
        One row per dimension of the network: ``dimension``, ``unit``, ``generated``,
        the five fates, ``reuse_share``, ``utilization_rate``, ``streams`` (residual
        streams counted), ``inputs`` and ``secondary_inputs`` of the (non-treatment)
        actors and ``circular_input_rate``.
    by_category : DataFrame
        ``dimension``, ``category`` (by-product, waste, emission), then the amounts,
        shares and ``streams``. Chinese utilisation statistics cover solid residuals
        only: read the by-product and waste rows for them.
    by_material : DataFrame
        ``dimension``, ``material`` (most frequent spelling), ``material_key``, then the
        amounts, shares and ``streams``; largest ``generated`` first.
    by_generator : DataFrame
        ``dimension``, ``firm`` (id), ``name``, ``role``, then the amounts, shares and
        ``streams``: what each actor generates and where it goes.
    by_receiver : DataFrame
        ``dimension``, ``firm``, ``name``, ``role``, ``fate`` (set by the role),
        ``received`` (residuals generated by actors that end at this node), ``share``
        of the dimension's generated total, ``streams`` and ``generators`` (distinct
        actors sending). Summing ``received`` by ``fate`` gives the network's fates.
    circular_inputs : DataFrame
        ``dimension``, ``firm``, ``name``, ``role``, ``inputs``, ``secondary_inputs``,
        ``circular_input_rate`` for every non-treatment actor with known inputs.
    unquantified_streams : int
        Residual streams leaving actors whose quantity is unknown (left out of sums).
    units : dict
        Canonical unit of each dimension, e.g. ``{"mass": "t/yr"}``.
    """

    network: pd.DataFrame
    by_category: pd.DataFrame
    by_material: pd.DataFrame
    by_generator: pd.DataFrame
    by_receiver: pd.DataFrame
    circular_inputs: pd.DataFrame
    unquantified_streams: int
    units: dict[str, str]

    def __getitem__(self, dimension: str) -> dict[str, Any]:
        """The network-level figures of one dimension, as a dict."""
        return self.to_dict()["dimensions"][dimension]

    def tables(self) -> dict[str, pd.DataFrame]:
        """Every table by name (what ``symbiosis reuse --csv`` writes)."""
        return {
            "network": self.network,
            "by_category": self.by_category,
            "by_material": self.by_material,
            "by_generator": self.by_generator,
            "by_receiver": self.by_receiver,
            "circular_inputs": self.circular_inputs,
        }

    def to_frame(self) -> pd.DataFrame:
        """The network-level table (one row per dimension)."""
        return self.network

    def to_dict(self) -> dict[str, Any]:
        dimensions = {record.pop("dimension"): record for record in records(self.network)}
        return {
            "units": dict(self.units),
            "dimensions": dimensions,
            "unquantified_streams": self.unquantified_streams,
            "by_category": records(self.by_category),
            "by_material": records(self.by_material),
            "by_generator": records(self.by_generator),
            "by_receiver": records(self.by_receiver),
            "circular_inputs": records(self.circular_inputs),
        }


def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """The rows of ``frame`` as dicts of builtin values, NaN as ``None``. O(cells)."""
    rows = frame.to_dict("records")  # pandas boxes numpy scalars as Python ones
    return [
        {k: (None if isinstance(v, float) and v != v else v) for k, v in row.items()}
        for row in rows
    ]


# --------------------------------------------------------------------------- streams


def residual_streams(network: FlowNetwork) -> pd.DataFrame:
    """The quantified residual streams leaving actors, one row per flow, with their fate.

    Columns: ``source``, ``target``, ``material``, ``material_key``, ``category``,
    ``dimension``, ``value`` (canonical unit), ``fate`` (see :data:`FATES`); the index is
    the flow's index in ``network.flows``. O(f).
    """
    mask = _residual_mask(network) & network.flows["value"].notna().to_numpy()
    columns = ["source", "target", "material", "material_key", "category", "dimension", "value"]
    streams = network.flows.loc[mask, columns]
    fate_of_node = network.firms["role"].map(FATE_OF_ROLE).to_numpy()
    return streams.assign(fate=fate_of_node[network.target_positions[mask]])


def secondary_inputs(network: FlowNetwork) -> np.ndarray:
    """Boolean mask over ``network.flows``: the flow is a secondary input of its target.

    Secondary means a by-product, waste or emission (from anywhere) or any flow from a
    recycling actor, going into an actor that is not a treatment plant. O(f).
    """
    residual = network.flows["category"].isin(RESIDUAL_CATEGORIES).to_numpy()
    from_recycler = network.source_roles().to_numpy() == "recycling"
    return (residual | from_recycler) & _counted_input(network)


def _residual_mask(network: FlowNetwork) -> np.ndarray:
    residual = network.flows["category"].isin(RESIDUAL_CATEGORIES).to_numpy()
    return residual & network.source_is_actor


def _counted_input(network: FlowNetwork) -> np.ndarray:
    """Flows into actors other than treatment plants (inputs for the circular rate)."""
    return network.target_is_actor & (network.target_roles().to_numpy() != "treatment")


# --------------------------------------------------------------------------- accounts


def reuse_accounts(network: FlowNetwork) -> ReuseAccounts:
    """Account for every residual stream of ``network``: generated and each fate.

    Parameters
    ----------
    network : FlowNetwork

    Returns
    -------
    ReuseAccounts
        Network totals per dimension, breakdowns by material, generating actor and
        receiving node, and the circular input rate of each actor.

    Notes
    -----
    See the module docstring for the fates, the indicators and their edge cases.
    Complexity O(f) time and memory for f flows (pandas groupbys on the residual
    streams and on the actor inputs).

    Examples
    --------
    >>> import pandas as pd
    >>> from symbiosis import FlowNetwork
    >>> flows = pd.DataFrame({
    ...     "source": ["smelter", "smelter"], "target": ["cement", "landfill"],
    ...     "material": ["slag", "slag"], "quantity": [3, 1], "unit": ["t", "t"],
    ...     "category": ["by-product", "waste"]})
    >>> reuse_accounts(FlowNetwork.from_frames(None, flows))["mass"]["reuse_share"]
    0.75
    """
    streams = residual_streams(network)
    residual = _residual_mask(network)
    unquantified = int((residual & network.flows["value"].isna().to_numpy()).sum())
    generated = _with_fates(streams)
    names = network.firms["name"]
    roles = network.firms["role"]

    by_material = _account(generated, ["dimension", "material_key"])
    by_material.insert(1, "material", by_material["material_key"].map(_display_names(streams)))

    by_generator = _account(generated.rename(columns={"source": "firm"}), ["dimension", "firm"])
    by_generator.insert(2, "name", by_generator["firm"].map(names))
    by_generator.insert(3, "role", by_generator["firm"].map(roles))

    inputs = _circular_inputs(network)
    totals = _account(generated, ["dimension"]).set_index("dimension")
    network_table = _network_table(network, totals, inputs)
    return ReuseAccounts(
        network=network_table,
        by_category=_account(generated, ["dimension", "category"]),
        by_material=by_material,
        by_generator=by_generator,
        by_receiver=_by_receiver(streams, totals["generated"], names, roles),
        circular_inputs=inputs,
        unquantified_streams=unquantified,
        units={d: f"{CANONICAL_UNITS[d]}/yr" for d in network.dimensions},
    )


def _with_fates(streams: pd.DataFrame) -> pd.DataFrame:
    """One column per fate holding the stream's value where that is its fate, else 0."""
    value = streams["value"].to_numpy()
    fate = streams["fate"].to_numpy()
    columns = {f: np.where(fate == f, value, 0.0) for f in FATES}
    return streams.assign(generated=value, **columns)


def _account(frame: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Sum the amounts per ``keys``, add the shares and the stream count; sorted by
    dimension, then largest ``generated`` first, then key (order-independent)."""
    grouped = frame.groupby(keys, sort=False, observed=True)
    table = grouped[list(AMOUNTS)].sum()
    table["streams"] = grouped.size()
    table = table.reset_index()
    generated = table["generated"].to_numpy()
    table["reuse_share"] = _ratio(table["reused"].to_numpy(), generated)
    table["utilization_rate"] = _ratio((table["reused"] + table["sold"]).to_numpy(), generated)
    table = table[[*keys, *AMOUNTS, *SHARES, "streams"]]
    return _sorted(table, keys, "generated")


def _sorted(table: pd.DataFrame, keys: list[str], by: str) -> pd.DataFrame:
    order = table.assign(
        _rank=table["dimension"].map({d: i for i, d in enumerate(DIMENSIONS)}),
        _size=-table[by],
    ).sort_values(["_rank", "_size", *keys[1:]], kind="mergesort")
    return table.loc[order.index].reset_index(drop=True)


def _ratio(numerator: np.ndarray, denominator: np.ndarray) -> np.ndarray:
    """numerator / denominator, NaN where the denominator is 0; clipped into [0, 1]
    because a sum of parts can exceed its total by one rounding unit."""
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(denominator > 0, numerator / denominator, np.nan)
    return np.clip(ratio, 0.0, 1.0)


def _display_names(streams: pd.DataFrame) -> pd.Series:
    """The most frequent spelling of each material key (ties: alphabetically first)."""
    counts = streams.groupby(["material_key", "material"], observed=True).size()
    counts = (
        counts.rename("n")
        .reset_index()
        .sort_values(["material_key", "n", "material"], ascending=[True, False, True])
    )
    first = counts.drop_duplicates("material_key")
    return pd.Series(first["material"].to_numpy(), index=first["material_key"].to_numpy())


def _by_receiver(
    streams: pd.DataFrame, generated: pd.Series, names: pd.Series, roles: pd.Series
) -> pd.DataFrame:
    grouped = streams.groupby(["dimension", "target"], sort=False, observed=True)
    table = pd.DataFrame(
        {
            "fate": grouped["fate"].first(),
            "received": grouped["value"].sum(),
            "streams": grouped.size(),
            "generators": grouped["source"].nunique(),
        }
    ).reset_index()
    table = table.rename(columns={"target": "firm"})
    total = table["dimension"].map(generated).to_numpy(dtype=float)
    table.insert(2, "name", table["firm"].map(names))
    table.insert(3, "role", table["firm"].map(roles))
    table.insert(6, "share", _ratio(table["received"].to_numpy(), total))
    return _sorted(table, ["dimension", "firm"], "received")


def _circular_inputs(network: FlowNetwork) -> pd.DataFrame:
    counted = _counted_input(network) & network.flows["value"].notna().to_numpy()
    secondary = secondary_inputs(network)[counted]
    flows = network.flows.loc[counted, ["dimension", "target", "value"]]
    flows = flows.assign(secondary=np.where(secondary, flows["value"].to_numpy(), 0.0))
    grouped = flows.groupby(["dimension", "target"], sort=False, observed=True)
    table = grouped[["value", "secondary"]].sum().reset_index()
    table.columns = ["dimension", "firm", "inputs", "secondary_inputs"]
    table.insert(2, "name", table["firm"].map(network.firms["name"]))
    table.insert(3, "role", table["firm"].map(network.firms["role"]))
    table["circular_input_rate"] = _ratio(
        table["secondary_inputs"].to_numpy(), table["inputs"].to_numpy()
    )
    return _sorted(table, ["dimension", "firm"], "inputs")


def _network_table(
    network: FlowNetwork, totals: pd.DataFrame, inputs: pd.DataFrame
) -> pd.DataFrame:
    dimensions = pd.Index(network.dimensions, name="dimension")
    table = totals.reindex(dimensions)
    table[list(AMOUNTS)] = table[list(AMOUNTS)].fillna(0.0)
    table["streams"] = table["streams"].fillna(0).astype("int64")
    summed = inputs.groupby("dimension")[["inputs", "secondary_inputs"]].sum()
    table[["inputs", "secondary_inputs"]] = summed.reindex(dimensions).fillna(0.0)
    table["circular_input_rate"] = _ratio(
        table["secondary_inputs"].to_numpy(), table["inputs"].to_numpy()
    )
    table.insert(0, "unit", [f"{CANONICAL_UNITS[d]}/yr" for d in dimensions])
    return table.reset_index()
