"""Resource-city indicators: how locked-in to its mines a network is, how diverse its
sectors are, and how far its industrial chains reach.

Throughflow and extraction dependence
    Each actor's throughflow ``T_j = max(inputs_j, outputs_j)`` is traced back to where it
    entered the network (extraction, imports, environment, unrecorded inputs, or a closed
    loop): :mod:`~symbiosis.analysis.origins` gives the model, its assumptions and its
    solver. ``extraction_dependence`` is the share of the total system throughflow ``TST``
    that originates at the extraction actors.

Sector diversity
    With ``s_k`` the share of TST in sector k (actors grouped by their ``sector``;
    actors without one form ``(no sector)``): Shannon entropy ``H = -sum s_k ln s_k``
    (nats), evenness ``H / ln K`` over the K sectors with throughflow (Pielou), the
    Herfindahl-Hirschman index ``HHI = sum s_k^2`` and the effective number of sectors
    ``exp(H)``. A one-mine town has ``H`` near 0 and ``HHI`` near 1 (Shannon 1948;
    Attaran 1986 for industrial diversity; Hirschman 1964).

Industrial chain depth
    The number of processing stages from extraction to the market, counted on the
    material chain (:mod:`~symbiosis.analysis._chain_graph`): the ``product`` flows in
    mass between actors, and, into an actor that takes no product, the by-products and
    wastes in mass it takes; flows of no unit count as mass. Utilities (energy, water)
    never count, and a residue never lifts nor merges a plant that takes a product. Each
    strongly connected component of that graph is one stage, so that a loop neither
    counts twice nor runs forever. A component holding an extraction actor is stage 1
    (nothing flowing into it counts); every other component's stage is one more than the
    largest stage among the components that feed it (longest path on the condensation
    DAG), and it has no stage when no extraction actor reaches it (a plant fed only by
    imports). ``chain_depth_longest`` is the largest stage among actors that sell to a
    market node; ``chain_depth_mean`` (per dimension) is the mean stage of the actors
    selling to market nodes, weighted by the quantity they sell, over the sales from
    staged actors (``market_sales_staged`` gives the share that had a stage).
    ``chain="links"`` counts on every actor-to-actor flow instead (any dimension and
    category: the earlier rule, under which a utility loop collapses the chain).

Complexity: the material chain is O(n + f) (masks and one ``bincount``) and its
condensation (strongly connected components in topological order,
:mod:`~symbiosis.analysis._condensation`) O(n + f), both computed once per network; the
stages are one Dijkstra search on it, O((C + E) log C). The condensation of every flow is
shared by the origin tracing and the supply shocks: origin tracing is, per dimension, one
sparse LU of the loop blocks and one triangular solve (:mod:`~symbiosis.analysis.origins`);
sector diversity is O(n).
Measured figures are in docs/reuse.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd

from .._frozen import FrozenResult
from ..arguments import Arguments
from ..model import FlowNetwork, require_network
from ..units import DIMENSIONS, yearly_unit
from ._condensation import network_condensation
from ._flowsums import Arrays, Columns, frame, ratio
from ._records import LISTED_ROWS, checked_limit, dimension_record, records
from .chain_path import chain_path, material_condensation
from .origins import (
    NO_SECTOR,
    ORIGINS,
    actors_by_id,
    origin_columns,
    origin_parts,
    origin_shares,
    sector_labels,
    sector_vocabulary,
    throughflow_origins,
)

__all__ = [
    "CHAIN_FLOWS",
    "CHAIN_RULES",
    "NO_SECTOR",
    "ORIGINS",
    "StructureIndicators",
    "chain_stages",
    "resource_city_indicators",
    "throughflow_origins",
]


#: What the chain stages are counted on: ``material`` (default), the material chain of
#: :mod:`~symbiosis.analysis._chain_graph`; ``links``, every actor-to-actor flow.
CHAIN_RULES: tuple[str, ...] = ("material", "links")
#: Each rule in words, for the JSON (``chain_flows``) and the text.
CHAIN_FLOWS: dict[str, str] = {
    "material": "product flows in mass between actors, and the by-products and wastes in "
    "mass taken by actors that take no product; not energy or water flows",
    "links": "every flow between actors, any dimension and category",
}


@dataclass(frozen=True)
class StructureIndicators(FrozenResult):
    """The resource-city indicators of a network.

    Attributes
    ----------
    dimensions : DataFrame
        One row per dimension: ``unit``, ``total_system_throughflow``,
        ``extraction_dependence`` and the share of each other origin (``imports_share``,
        ``environment_share``, ``unrecorded_share``, ``circulating_share``),
        ``sectors``, ``sector_entropy``, ``sector_evenness``, ``sector_herfindahl``,
        ``effective_sectors``, ``chain_depth_mean``, ``market_sales_staged``.
    chain_depth_longest : int or None
        The largest chain stage of an actor selling to a market node.
    chain_path : tuple
        One longest chain, stage 1 first (:mod:`.chain_path`): ``(firm, name, stage)``
        per stage; empty without a chain.
    origins : DataFrame
        Per dimension and actor with throughflow: ``throughflow``, the part from each
        origin, and ``extraction_share``; largest throughflow first.
    sectors : DataFrame
        Per dimension and sector: ``actors``, ``throughflow``, ``share`` of TST and
        ``extraction_share`` (of the sector's throughflow).
    stages : DataFrame
        Per actor: ``firm``, ``name``, ``sector``, ``role``, ``stage`` (nullable int) and
        ``chain``, the flows its stage came through (``extraction``: a start;
        ``product``: it takes a product; ``residue``: it takes only by-products or
        wastes; ``link``: the ``links`` rule; missing without a stage), deepest first.
    units : dict
    chain_rule : str
        What the stages are counted on, one of :data:`CHAIN_RULES` (:data:`CHAIN_FLOWS`
        says it in words).

    The origins and stages tables are kept as :class:`~._flowsums.Columns` (firm ids,
    names and sectors looked up only for the rows listed) and become DataFrames when first
    asked for: at a million flows, gathering their strings took longer than the tracing.
    """

    dimensions: pd.DataFrame
    chain_depth_longest: int | None
    origin_table: Columns
    sectors: pd.DataFrame
    stage_table: Columns
    units: dict[str, str]
    chain_rule: str = "material"
    chain_path: tuple[tuple[str, str, int], ...] = ()

    @cached_property
    def origins(self) -> pd.DataFrame:
        return self.origin_table.frame

    @cached_property
    def stages(self) -> pd.DataFrame:
        return self.stage_table.frame

    def __getitem__(self, dimension: str) -> dict[str, Any]:
        """The indicators of one dimension, as a dict; a KeyError naming the
        dimensions the network has flows in for another."""
        return dimension_record(self.dimensions, dimension)

    def to_frame(self) -> pd.DataFrame:
        return self.dimensions

    def to_dict(self, *, limit: int | None = LISTED_ROWS) -> dict[str, Any]:
        """The indicators per dimension, then the sectors, stages and origins tables,
        each listing at most ``limit`` rows (per dimension where there is one; largest
        first; ``None``: all; else a whole number >= 0, or an InputError). ``rows`` gives
        each table's full length."""
        limit = checked_limit(limit)
        dimensions = {row.pop("dimension"): row for row in records(self.dimensions)}
        tables = {"stages": self.stage_table, "origins": self.origin_table}
        return {
            "units": dict(self.units),
            "chain_depth_longest": self.chain_depth_longest,
            "chain_rule": self.chain_rule,
            "chain_flows": CHAIN_FLOWS[self.chain_rule],
            "longest_chain": [
                dict(zip(("firm", "name", "stage"), step, strict=True)) for step in self.chain_path
            ],
            "dimensions": dimensions,
            "sectors": records(self.sectors, limit),
            **{name: table.records(limit, lazy=True) for name, table in tables.items()},
            "rows": {"sectors": len(self.sectors)} | {k: len(t) for k, t in tables.items()},
        }


def resource_city_indicators(
    network: FlowNetwork, *, chain: str = "material"
) -> StructureIndicators:
    """Extraction dependence, sector diversity and chain depth of ``network``.

    Parameters
    ----------
    network : FlowNetwork
    chain : str
        What the chain stages are counted on, one of :data:`CHAIN_RULES`: ``material``
        (default) or ``links`` (module docstring).

    Returns
    -------
    StructureIndicators

    Raises
    ------
    InputError
        For an unknown ``chain``.
    AnalysisError
        If the origin tracing system is singular or ill-conditioned beyond the closed
        loops it detects (see the module docstring).

    Notes
    -----
    Formulas, sources and complexity are in the module docstring.
    """
    require_network(network)
    _check_chain(chain)
    arrays = Arrays(network)
    stage, reached_by = _chain_stages(network, chain)
    sales = _Sales.of(arrays, stage)
    rows, origin_tables, sector_tables = [], [], []
    dimension_labels = np.array(network.dimensions, dtype=object)
    for k, d in enumerate(network.dimensions):
        columns, node = origin_columns(arrays, d, *origin_parts(network, d), lazy=True)
        # one label per dimension, a code per row: no object column to build and join
        columns["dimension"] = (dimension_labels, np.full(len(node), k, dtype=np.int64))
        sectors = _sector_columns(arrays, d, columns, node)
        origin_tables.append(columns)
        sector_tables.append(sectors)
        rows.append(
            {
                "dimension": d,
                "unit": yearly_unit(d, network.summed_years),
                **origin_shares(columns),
                **_diversity(sectors["share"]),
                **sales.chain_depth_mean(d),
            }
        )
    if not origin_tables:  # no flow of known size: every actor's throughflow is 0
        actors = len(arrays.core.actor_nodes)  # (zero-length arrays failed when any was there)
        nothing = np.zeros(actors), np.zeros((actors, len(ORIGINS)))
        origin_tables = [origin_columns(arrays, "mass", *nothing, lazy=True)[0]]
    return StructureIndicators(
        dimensions=pd.DataFrame(rows, columns=_DIMENSION_COLUMNS),
        chain_depth_longest=sales.chain_depth_longest(),
        origin_table=Columns(_concatenate(origin_tables)),
        sectors=frame(_concatenate(sector_tables, _SECTOR_COLUMNS), fresh=True),
        stage_table=_stage_table(arrays, stage, reached_by),
        units={d: yearly_unit(d, network.summed_years) for d in network.dimensions},
        chain_rule=chain,
        chain_path=chain_path(arrays, chain, stage, sales.seller, actors_by_id(arrays)),
    )


_DIMENSION_COLUMNS = [
    "dimension",
    "unit",
    "total_system_throughflow",
    "extraction_dependence",
    "extraction_dependence_recorded",
    "imports_share",
    "environment_share",
    "unrecorded_share",
    "circulating_share",
    "sectors",
    "sector_entropy",
    "sector_evenness",
    "sector_herfindahl",
    "effective_sectors",
    "chain_depth_mean",
    "market_sales_staged",
]


# --------------------------------------------------------------------------- sectors


_SECTOR_COLUMNS = ["dimension", "sector", "actors", "throughflow", "share", "extraction_share"]


def _concatenate(tables: list[dict], names: list[str] | None = None) -> dict[str, Any]:
    """One set of columns from several (the per-dimension tables, in order); a column of
    ``(labels, codes)`` pairs (same labels in every table) stays one, codes joined."""
    if not tables:
        return {name: np.zeros(0) for name in names or []}
    joined: dict[str, Any] = {}
    for name, first in tables[0].items():
        if isinstance(first, tuple):
            joined[name] = (first[0], np.concatenate([table[name][1] for table in tables]))
        else:
            joined[name] = np.concatenate([table[name] for table in tables])
    return joined


def _sector_columns(
    arrays: Arrays, dimension: str, origins: dict[str, np.ndarray], node: np.ndarray
) -> dict[str, np.ndarray]:
    """Per sector with throughflow in ``dimension``: actors, throughflow, share of TST and
    extraction share; largest first, ties by sector name. ``origins`` holds the
    dimension's origin columns and ``node`` the node of each row. O(rows) by bincount on
    the sector codes (no string groupby)."""
    codes, names, name_rank = _sector_codes(arrays)
    code = codes[node]
    k = len(names)
    actors = np.bincount(code, minlength=k)
    throughflow = np.bincount(code, origins["throughflow"], minlength=k)
    extraction = np.bincount(code, origins["extraction"], minlength=k)
    present = np.flatnonzero(actors > 0)
    present = present[np.lexsort((name_rank[present], -throughflow[present]))]
    total = throughflow[present].sum()
    return {
        "dimension": np.full(len(present), dimension, dtype=object),
        "sector": names[present],
        "actors": actors[present].astype(np.int64),
        "throughflow": throughflow[present],
        "share": throughflow[present] / total if len(present) else np.zeros(0),
        "extraction_share": ratio(extraction[present], throughflow[present]),
    }


def _sector_codes(arrays: Arrays) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per node the code of its sector label, the labels and their alphabetical rank.
    Cached on the core."""

    def build():
        # the labels of the few distinct sectors (the core's codes, -1 missing: the last
        # entry), not of every node: one hash per distinct sector text
        core = arrays.core
        label_codes, names = pd.factorize(sector_vocabulary(core))
        codes = label_codes[core.sector_code]
        names = np.asarray(names, dtype=object)
        rank = np.empty(len(names), dtype=np.int64)
        rank[np.argsort(names.astype(str), kind="stable")] = np.arange(len(names))
        return codes, names, rank

    return arrays.core.cached(("sector codes",), build)


def _diversity(shares: np.ndarray) -> dict[str, float | int | None]:
    shares = shares[shares > 0]
    if len(shares) == 0:
        return dict.fromkeys(
            ["sector_entropy", "sector_evenness", "sector_herfindahl", "effective_sectors"]
        ) | {"sectors": 0}
    entropy = float(-(shares * np.log(shares)).sum()) + 0.0  # no -0.0 for one sector
    return {
        "sectors": len(shares),
        "sector_entropy": entropy,
        "sector_evenness": entropy / np.log(len(shares)) if len(shares) > 1 else None,
        "sector_herfindahl": float((shares**2).sum()),
        "effective_sectors": float(np.exp(entropy)),
    }


# --------------------------------------------------------------------------- chain depth


def chain_stages(network: FlowNetwork, *, chain: str = "material") -> pd.DataFrame:
    """The processing stage of every actor, counted from the extraction actors.

    Returns one row per actor: ``firm``, ``name``, ``sector``, ``role``, ``stage``
    (nullable integer; missing when no extraction actor reaches the actor) and ``chain``
    (the flows the stage came through: ``extraction``, ``product``, ``residue`` or
    ``link``). ``chain``
    says what the stages are counted on (:data:`CHAIN_RULES`); the rule (the material
    chain, strongly connected components collapsed, longest path on the condensation
    DAG, extraction components at stage 1) is in the module docstring.

    O(n + f) for the material chain and its condensation, plus one Dijkstra search on
    it, O((C + E) log C) for C components and E arcs between them.
    """
    _check_chain(chain)
    arrays = Arrays(network)
    return _stage_table(arrays, *_chain_stages(network, chain)).frame


def _check_chain(chain: str) -> None:
    check = Arguments()
    check.choice("chain", chain, CHAIN_RULES)
    check.check()


#: The ``chain`` column's labels; code 0 (no stage) is missing.
_REACHED_BY = np.array([None, "extraction", "product", "residue", "link"], dtype=object)


def _chain_stages(network: FlowNetwork, chain: str) -> tuple[np.ndarray, np.ndarray]:
    """Stage of each actor (``network.actors`` order; 0 when not reached) and the code
    of the flows it came through (:data:`_REACHED_BY`). The longest path on the
    condensation of the rule's graph, from the components that hold an extraction
    actor."""
    core = network.core
    extraction = core.has_role(core.actor_nodes, "extraction")
    if chain == "links":
        topology = network_condensation(network)
        by = np.full(len(extraction), 4)
    else:
        topology, takes_product = material_condensation(network, extraction)
        by = np.where(takes_product, 2, 3)
    starts = np.bincount(topology.labels, extraction, minlength=topology.count) > 0
    stage = topology.stages(starts)[topology.labels]
    by = np.where(extraction & (stage == 1), 1, by)
    return stage, np.where(stage > 0, by, 0).astype(np.int8)


def _stage_array(network: FlowNetwork, chain: str = "material") -> np.ndarray:
    """Stage of each actor (``network.actors`` order); 0 when not reached."""
    return _chain_stages(network, chain)[0]


def _stage_table(arrays: Arrays, stage: np.ndarray, reached_by: np.ndarray) -> Columns:
    """The stages table, its labels looked up lazily (:class:`~._flowsums.Columns`)."""
    actors = arrays.core.actor_nodes
    order = _deepest_first(actors_by_id(arrays), stage)  # unreached last, ties by id
    stages = stage.astype(np.int64)
    columns = {
        "firm": (arrays.ids, actors),
        "name": (arrays.names, actors),
        "sector": (sector_labels(arrays), actors),
        "role": (arrays.role, actors),
        "stage": pd.arrays.IntegerArray(stages, stages <= 0),  # unreached: missing
        "chain": (_REACHED_BY, reached_by.astype(np.int64)),
    }
    return Columns(columns, order)


def _deepest_first(order: np.ndarray, stage: np.ndarray) -> np.ndarray:
    """``order[np.argsort(-stage[order], kind="stable")]`` for stages >= 0: with 16-bit
    keys (stages below 65,536) numpy's stable sort is a radix sort, O(n)."""
    deepest = int(stage.max(initial=0))
    key = (deepest - stage[order]).astype(np.uint16 if deepest < 2**16 else np.int64)
    return order[np.argsort(key, kind="stable")]


@dataclass(frozen=True)
class _Sales:
    """The flows from actors to market nodes: per sale, its dimension code, its value and
    the stage of the seller; taken once for every dimension."""

    dimension: np.ndarray
    value: np.ndarray
    seller_stage: np.ndarray
    seller: np.ndarray

    @classmethod
    def of(cls, arrays: Arrays, stage: np.ndarray) -> _Sales:
        sale = np.flatnonzero(
            arrays.actor[arrays.source] & arrays.has_role(arrays.target, "market")
        )
        position = arrays.core.actor_index
        return cls(
            dimension=arrays.dimension[sale],
            value=arrays.value[sale],
            seller_stage=stage[position[arrays.source[sale]]],
            seller=position[arrays.source[sale]],
        )

    def chain_depth_mean(self, dimension: str) -> dict:
        known = self.dimension == DIMENSIONS.index(dimension)
        seller_stage, value = self.seller_stage[known], self.value[known]
        staged = seller_stage > 0
        total, weight = value.sum(), value[staged].sum()
        weighted = (seller_stage[staged] * value[staged]).sum()
        return {
            "chain_depth_mean": float(weighted / weight) if weight > 0 else None,
            "market_sales_staged": float(weight / total) if total > 0 else None,
        }

    def chain_depth_longest(self) -> int | None:
        staged = self.seller_stage > 0
        return int(self.seller_stage.max()) if staged.any() else None
