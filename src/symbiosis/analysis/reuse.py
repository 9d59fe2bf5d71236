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

``reused_internally`` is the part of ``reused`` that an actor takes back itself (a flow
from the actor to itself: a smelter re-melting its own scrap, a paper mill re-pulping its
broke). It is circularity and counts in the reuse share, and it is shown on its own so
that a firm's own recycling and an exchange between firms are never confused.

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
every sum and counted in :attr:`ReuseAccounts.unquantified_streams`. The streams are also
*counted* by fate, whatever their size (:attr:`ReuseAccounts.counted`): the reuse share by
count is what a network of unknown sizes can say (most published parks give their
exchanges, not their tonnages). Residual flows from
boundary nodes (scrap bought from the market) are not *generated* in the network; they
show up as secondary inputs of the actor that takes them. Materials are grouped on
:func:`symbiosis.vocabulary.material_key`, and names that the taxonomy lists for one
material (:meth:`symbiosis.taxonomy.Taxonomy.listed`: its synonyms, Chinese names and
"English (中文)" of them) together; each row shows a name as written (docs/reuse.md).

Complexity: O(f log f) for f flows, vectorised on integer keys (``np.unique`` and
``np.bincount``); one million flows take about a second (docs/reuse.md).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from .._frozen import FrozenResult
from .._numeric import weighted_counts
from .._volume_mix import VOLUME, kind_sizes, volume_kind_codes
from ..arguments import Arguments
from ..model import FlowNetwork, require_network
from ..taxonomy import Taxonomy, default_taxonomy
from ..units import DIMENSIONS, yearly_unit
from ..vocabulary.volumes import VOLUME_KINDS
from ._flowsums import (
    DIMENSION_LABELS,
    Arrays,
    Columns,
    dimension_labels,
    frame,
    group_sums,
    ranked,
    ratio,
    unit_labels,
)
from ._records import LISTED_ROWS, checked_limit, dimension_record, records
from .reuse_streams import (
    FATE_OF_ROLE,
    FATES,
    _counted_input,
    _dominant_fates,
    _node_labels,
    _residual,
    _residual_category,
    _secondary,
    _secondary_passed_on,
    _Streams,
)

__all__ = [
    "FATES",
    "FATE_OF_ROLE",
    "ReuseAccounts",
    "residual_streams",
    "reuse_accounts",
    "secondary_inputs",
]


AMOUNTS: tuple[str, ...] = ("generated", *FATES, "reused_internally")
#: The columns of :attr:`ReuseAccounts.by_kind`.
KIND_COLUMNS: tuple[str, ...] = (
    "dimension",
    "kind",
    *AMOUNTS,
    "reuse_share",
    "utilization_rate",
    "streams",
)


@dataclass(frozen=True)
class ReuseAccounts(FrozenResult):
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
        ``dimension``, ``material`` (the name shown: the material's own name as written,
        in any language, else the largest), ``material_key`` (its key), ``names`` (every name merged
        into the row, joined by "; "), then the amounts, shares and ``streams``; largest
        ``generated`` first. Names the taxonomy lists for one material are one row.
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
    counted : dict
        The residual streams leaving actors counted by fate, sizes known or not, every
        dimension together: ``streams``, the five fates, ``reused_internally``, then
        ``reuse_share`` and ``utilization_rate`` by count (None without streams).
    units : dict
        Canonical unit of each dimension, e.g. ``{"mass": "t/yr"}``.
    unsized : tuple of str
        The dimensions with flows but none of known size: their sums are 0 for want of
        sizes, which means unknown (the summary's ``flows_known_by_dimension`` in JSON).
    by_kind : DataFrame
        For a dimension whose residual streams are of several kinds (volume: water, gas,
        solid, liquid fuel or chemical; :mod:`symbiosis._volume_mix`), one row per kind:
        ``dimension``, ``kind``, the amounts, shares and ``streams``, as in ``network``,
        the largest first; no rows when nothing mixes. The dimension's row of
        ``network`` adds the kinds, so its shares mix them (Baotou's blast-furnace gas,
        all burnt, made its volume reuse share 100 % beside wastewater sent to the
        river); JSON's ``mixed``, :meth:`mixed_kinds`.
    """

    network: pd.DataFrame
    breakdowns: dict[str, Columns] = field(repr=False)
    unquantified_streams: int = 0
    units: dict[str, str] = field(default_factory=dict)
    counted: dict[str, Any] = field(default_factory=dict)
    unsized: tuple[str, ...] = ()
    by_kind: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=KIND_COLUMNS))

    def mixed_kinds(self) -> dict[str, list[str]]:
        """The dimensions whose residual streams mix kinds, each with its kinds
        (``{"volume": ["water", "gas"]}``); empty when nothing mixes."""
        found: dict[str, list[str]] = {}
        for dimension, kind in zip(self.by_kind["dimension"], self.by_kind["kind"], strict=True):
            found.setdefault(str(dimension), []).append(str(kind))
        return found

    @property
    def by_category(self) -> Columns:
        return self.breakdowns["by_category"].frame

    @property
    def by_material(self) -> Columns:
        return self.breakdowns["by_material"].frame

    @property
    def by_generator(self) -> pd.DataFrame:
        return self.breakdowns["by_generator"].frame

    @property
    def by_receiver(self) -> pd.DataFrame:
        return self.breakdowns["by_receiver"].frame

    @property
    def circular_inputs(self) -> pd.DataFrame:
        return self.breakdowns["circular_inputs"].frame

    def __getitem__(self, dimension: str) -> dict[str, Any]:
        """The network-level figures of one dimension, as a dict; a KeyError naming the
        dimensions the network has flows in for another."""
        return dimension_record(self.network, dimension)

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

    def to_dict(
        self, *, tables: tuple[str, ...] | None = None, limit: int | None = LISTED_ROWS
    ) -> dict[str, Any]:
        """Units, network figures per dimension, ``unquantified_streams``, the streams
        ``counted`` by fate, then the breakdown tables as lists of records: all of them,
        or those named in ``tables`` (names as in :meth:`tables`), each listing at most
        ``limit`` rows per dimension (largest first; ``None``: every row). ``rows`` gives
        each table's full length, so a shortened list is never silent. An unknown table
        name, or a ``limit`` not a whole number >= 0 or None, is an InputError."""
        check = Arguments()
        tables = check.names("tables", tables, ("network", *self.breakdowns))
        limit = checked_limit(limit, check=check)
        check.check()
        dimensions = {record.pop("dimension"): record for record in records(self.network)}
        result: dict[str, Any] = {
            "units": dict(self.units),
            "dimensions": dimensions,
            "mixed": _mixed_records(self.by_kind),
            "unquantified_streams": self.unquantified_streams,
            "counted": dict(self.counted),
            "rows": {},
        }
        for name, table in self.breakdowns.items():
            if tables is None or name in tables:
                result[name] = table.records(limit, lazy=True)
                result["rows"][name] = len(table)
        return result


# --------------------------------------------------------------------------- streams


def residual_streams(network: FlowNetwork, *, sized: bool = True) -> pd.DataFrame:
    """The quantified residual streams leaving actors (with ``sized=False``, those of
    unknown size too), one row per flow, with their fate.

    Columns: ``source``, ``target``, ``material``, ``material_key``, ``category``,
    ``dimension``, ``value`` (canonical unit), ``fate`` (see :data:`FATES`); the index is
    the flow's index in ``network.flows``. O(f).
    """
    arrays = Arrays(network)
    mask = _residual(arrays) & (arrays.dimension >= 0) if sized else _residual(arrays)
    columns = ["source", "target", "material", "material_key", "category", "dimension", "value"]
    fates = np.array(FATES, dtype=object)[_dominant_fates(arrays, np.flatnonzero(mask))]
    return network.flows.loc[mask, columns].assign(fate=fates)


def secondary_inputs(network: FlowNetwork) -> np.ndarray:
    """Boolean mask over ``network.flows``: the flow is a secondary input of its target.

    Secondary means a by-product, waste or emission (from anywhere) or any flow from a
    recycling actor, going into an actor that is not a treatment plant. O(f).
    """
    return _secondary(Arrays(network))


# --------------------------------------------------------------------------- accounts


def reuse_accounts(network: FlowNetwork, *, taxonomy: Taxonomy | None = None) -> ReuseAccounts:
    """Account for every residual stream of ``network``: generated and each fate.

    Parameters
    ----------
    network : FlowNetwork
    taxonomy : Taxonomy, optional
        Whose exact names make one row of ``by_material`` (:meth:`Taxonomy.listed`):
        the shipped taxonomy by default; :func:`symbiosis.taxonomy.load_taxonomy` adds
        a user's file.

    Returns
    -------
    ReuseAccounts
        Network totals per dimension, breakdowns by category, material, generating
        actor and receiving node, and the circular input rate of each actor.

    Notes
    -----
    See the module docstring for the fates, the indicators and their edge cases.
    Complexity O(f log f) time and O(f) memory for f flows: every table is one
    ``np.unique`` over integer keys (dimension x node position, dimension x material
    code, ...) and a ``np.bincount`` per column; no string-keyed groupby.

    Examples
    --------
    >>> import pandas as pd
    >>> from symbiosis import from_frames
    >>> flows = pd.DataFrame({
    ...     "source": ["smelter", "smelter"], "target": ["cement", "landfill"],
    ...     "material": ["slag", "slag"], "quantity": [3, 1], "unit": ["t", "t"],
    ...     "category": ["by-product", "waste"]})
    >>> reuse_accounts(from_frames(None, flows))["mass"]["reuse_share"]
    0.75
    """
    require_network(network)
    arrays = Arrays(network)
    residual = _residual(arrays)
    known = residual & (arrays.dimension >= 0)
    streams = _Streams(arrays, known)
    inputs = _circular_inputs(arrays)
    network_table = _network_table(network, streams, inputs)
    return ReuseAccounts(
        network=network_table,
        breakdowns={
            "by_category": streams.by_category(),
            "by_material": streams.by_material(taxonomy or default_taxonomy()),
            "by_generator": streams.by_node(arrays.source[known], "generated"),
            "by_receiver": streams.by_receiver(network_table),
            "circular_inputs": inputs,
        },
        unquantified_streams=int((residual & (arrays.dimension < 0)).sum()),
        units={d: yearly_unit(d, network.summed_years) for d in network.dimensions},
        counted=_counted(arrays, residual),
        unsized=tuple(d for d in network.dimensions if d not in network.sized_dimensions),
        by_kind=_by_kind(network, streams, known),
    )


def _by_kind(network: FlowNetwork, streams: _Streams, known: np.ndarray) -> pd.DataFrame:
    """The residual streams of the volume dimension per kind, when they are of several
    (:attr:`ReuseAccounts.by_kind`); no rows otherwise. O(f)."""
    if not kind_sizes(network, known):
        return pd.DataFrame(columns=KIND_COLUMNS)
    kinds = volume_kind_codes(network)[known].astype(np.int64)
    columns, unique = streams.account(np.maximum(kinds, 0), len(VOLUME_KINDS))
    chosen = np.flatnonzero(unique // len(VOLUME_KINDS) == DIMENSIONS.index(VOLUME))
    table = frame({name: values[chosen] for name, values in columns.items() if name != "dimension"})
    table.insert(0, "kind", [VOLUME_KINDS[k] for k in (unique[chosen] % len(VOLUME_KINDS))])
    table.insert(0, "dimension", VOLUME)
    order = np.argsort(-table["generated"].to_numpy(), kind="stable")  # the largest first
    return table[list(KIND_COLUMNS)].iloc[order].reset_index(drop=True)


def _mixed_records(by_kind: pd.DataFrame) -> dict[str, dict[str, dict[str, Any]]]:
    """``{dimension: {kind: its amounts and shares}}`` of :attr:`ReuseAccounts.by_kind`
    (JSON's ``mixed``)."""
    found: dict[str, dict[str, dict[str, Any]]] = {}
    for record in records(by_kind):
        dimension, kind = record.pop("dimension"), record.pop("kind")
        found.setdefault(dimension, {})[kind] = record
    return found


def _counted(arrays: Arrays, residual: np.ndarray) -> dict[str, Any]:
    """The residual streams counted by fate, whatever their size (see
    :attr:`ReuseAccounts.counted`). O(f)."""
    fate = _dominant_fates(arrays, np.flatnonzero(residual))
    found = np.bincount(fate, minlength=len(FATES))
    counted: dict[str, Any] = {"streams": int(residual.sum())}
    counted.update({name: int(n) for name, n in zip(FATES, found, strict=True)})
    counted["reused_internally"] = int((residual & (arrays.source == arrays.target)).sum())
    streams, used = counted["streams"], counted["reused"] + counted["sold"]
    counted["reuse_share"] = counted["reused"] / streams if streams else None
    counted["utilization_rate"] = used / streams if streams else None
    return counted


def _circular_inputs(arrays: Arrays) -> Columns:
    counted = _counted_input(arrays) & (arrays.dimension >= 0)
    value = arrays.value[counted]
    # _secondary(arrays)[counted], the counted-input test not made twice
    source = arrays.source[counted]
    from_recycler = arrays.has_role(source, "recycling")
    secondary = _residual_category(arrays)[counted] | from_recycler
    secondary = np.where(secondary, value, 0.0)
    secondary = _secondary_passed_on(arrays, np.flatnonzero(counted), secondary)
    n = len(arrays.ids)
    dimension = arrays.dimension[counted]
    unique, sums, _ = group_sums(
        dimension * n + arrays.target[counted], {"inputs": value, "secondary_inputs": secondary}
    )
    node, dimension = unique % n, unique // n
    columns = {
        "dimension": (DIMENSION_LABELS, dimension),
        **_node_labels(arrays, node),
        "inputs": sums["inputs"],
        "secondary_inputs": sums["secondary_inputs"],
        "circular_input_rate": ratio(sums["secondary_inputs"], sums["inputs"]),
    }
    return ranked(columns, dimension, sums["inputs"], arrays.rank[node])


def _network_table(network: FlowNetwork, streams: _Streams, inputs: Columns) -> pd.DataFrame:
    present = [DIMENSIONS.index(d) for d in network.dimensions]
    columns, unique = streams.account(np.zeros(len(streams.value), dtype=np.int64), 1)
    columns["dimension"] = dimension_labels(unique)
    table = frame(columns).set_index(unique).reindex(present)
    table["dimension"] = dimension_labels(np.array(present, dtype=np.int64))
    table[list(AMOUNTS)] = table[list(AMOUNTS)].fillna(0.0)
    table["streams"] = table["streams"].fillna(0).astype("int64")
    codes = inputs.columns["dimension"][1]  # raw arrays: sums do not depend on the order
    for name in ("inputs", "secondary_inputs"):
        table[name] = weighted_counts(codes, inputs.columns[name], len(DIMENSIONS))[present]
    table["circular_input_rate"] = ratio(table["secondary_inputs"], table["inputs"])
    table.insert(1, "unit", unit_labels(np.array(present, dtype=np.int64), network.summed_years))
    return table.reset_index(drop=True)
