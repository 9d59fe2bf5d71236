"""Resource-city indicators: how locked-in to its mines a network is, how diverse its
sectors are, and how far its industrial chains reach.

Throughflow
    Per dimension, an actor's throughflow is ``T_j = max(inputs_j, outputs_j)`` over its
    flows of known size (:func:`symbiosis.analysis.balance.throughflow`): the larger side
    closes the balance. ``TST = sum_j T_j`` is the total system throughflow.

Extraction dependence (origin tracing)
    Each actor's throughflow is traced back to where it entered the network, assuming
    that an actor's outputs carry the same mix of origins as its throughflow (the
    proportionality assumption of input-output analysis and of ENA). Primary inputs
    ``p_j`` are split into origins:

    ``extraction``  the unrecorded surplus ``T_j - inputs_j`` of extraction actors (ore
                    from the ground, crops from the field);
    ``imports``     flows from market nodes into actors;
    ``environment`` flows from environment or disposal nodes into actors (water
                    abstraction, landfill mining);
    ``unrecorded``  the surplus ``T_j - inputs_j`` of every other actor (air, fuel,
                    water that were not recorded: see :mod:`~symbiosis.analysis.balance`).

    With output coefficients ``g_ij = F_ij / T_i`` (the share of i's throughflow sent to
    actor j), throughflow satisfies ``T = T G + p``, so the part of every actor's
    throughflow that comes from origin k is the row vector ``x_k = p_k (I - G)^-1``, and
    ``sum_k x_k = T``. This is the supply-driven (Ghosh 1958) model of input-output
    analysis, or equivalently an absorbing Markov chain on the output-oriented
    transition matrix used by ENA (Finn 1976; enaR ``enaFlow`` calls it G). The
    indicator is ``extraction_dependence = sum_j x_extraction,j / TST``: the share of the
    network's throughflow that originates at its extraction actors, counting material
    every time it passes through another firm, not only the mines' direct sales.
    Inventories seldom record every input, so ``extraction_dependence_recorded`` gives
    the same share among throughflow of recorded origin only (extraction, imports,
    environment): ``x_extraction / (x_extraction + x_imports + x_environment)``.

    A loop of actors with no entry and no exit (all of its output stays inside) makes
    ``I - G`` singular; its material has no traceable origin and is reported as
    ``circulating`` instead. If the system is still ill-conditioned (an exit of almost
    nothing), :class:`~symbiosis.errors.AnalysisError` is raised rather than a
    meaningless number.

Sector diversity
    With ``s_k`` the share of TST in sector k (actors grouped by their ``sector``;
    actors without one form ``(no sector)``): Shannon entropy ``H = -sum s_k ln s_k``
    (nats), evenness ``H / ln K`` over the K sectors with throughflow (Pielou), the
    Herfindahl-Hirschman index ``HHI = sum s_k^2`` and the effective number of sectors
    ``exp(H)``. A one-mine town has ``H`` near 0 and ``HHI`` near 1 (Shannon 1948;
    Attaran 1986 for industrial diversity; Hirschman 1964).

Industrial chain depth
    The number of processing stages from extraction to the market. Stages are counted on
    the actor graph (every actor-to-actor flow, any dimension, known size or not) after
    collapsing each strongly connected component into one stage, so that a loop (scrap
    back to the smelter) neither counts twice nor runs forever. A component holding an
    extraction actor is stage 1; every other component's stage is one more than the
    largest stage among the components that feed it (longest path on the condensation
    DAG), and it has no stage when no extraction actor reaches it (a plant fed only by
    imports). ``chain_depth_longest`` is the largest stage among actors that sell to a
    market node; ``chain_depth_mean`` (per dimension) is the mean stage of the actors
    selling to market nodes, weighted by the quantity they sell, over the sales from
    staged actors (``market_sales_staged`` gives the share that had a stage).

Complexity: origin tracing is one sparse LU factorisation per dimension (SuperLU; the
actor graph is mostly acyclic, so fill stays near O(f)); chain depth is O(n + f)
array work plus one numpy step per level of the condensation DAG; sector diversity is
O(n). About 3 s per dimension at one million flows (docs/reuse.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import scipy.sparse as sp
import scipy.sparse.linalg as spla
from scipy.sparse.csgraph import connected_components

from ..errors import AnalysisError
from ..model import FlowNetwork
from ..units import CANONICAL_UNITS
from .balance import throughflow
from .reuse import records

__all__ = [
    "ORIGINS",
    "StructureIndicators",
    "chain_stages",
    "resource_city_indicators",
    "throughflow_origins",
]

ORIGINS: tuple[str, ...] = ("extraction", "imports", "environment", "unrecorded", "circulating")
NO_SECTOR = "(no sector)"
# Largest |sum of origins - throughflow| / max throughflow accepted from the solver.
_TRACE_TOLERANCE = 1e-8


@dataclass(frozen=True)
class StructureIndicators:
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
    origins : DataFrame
        Per dimension and actor with throughflow: ``throughflow``, the part from each
        origin, and ``extraction_share``.
    sectors : DataFrame
        Per dimension and sector: ``actors``, ``throughflow``, ``share`` of TST and
        ``extraction_share`` (of the sector's throughflow).
    stages : DataFrame
        Per actor: ``firm``, ``name``, ``sector``, ``role``, ``stage`` (nullable int).
    units : dict
    """

    dimensions: pd.DataFrame
    chain_depth_longest: int | None
    origins: pd.DataFrame
    sectors: pd.DataFrame
    stages: pd.DataFrame
    units: dict[str, str]

    def __getitem__(self, dimension: str) -> dict[str, Any]:
        """The indicators of one dimension, as a dict."""
        return self.to_dict()["dimensions"][dimension]

    def to_frame(self) -> pd.DataFrame:
        return self.dimensions

    def to_dict(self) -> dict[str, Any]:
        dimensions = {row.pop("dimension"): row for row in records(self.dimensions)}
        return {
            "units": dict(self.units),
            "chain_depth_longest": self.chain_depth_longest,
            "dimensions": dimensions,
            "sectors": records(self.sectors),
            "stages": records(self.stages),
            "origins": records(self.origins),
        }


def resource_city_indicators(network: FlowNetwork) -> StructureIndicators:
    """Extraction dependence, sector diversity and chain depth of ``network``.

    Parameters
    ----------
    network : FlowNetwork

    Returns
    -------
    StructureIndicators

    Raises
    ------
    AnalysisError
        If the origin tracing system is singular or ill-conditioned beyond the closed
        loops it detects (see the module docstring).

    Notes
    -----
    Formulas, sources and complexity are in the module docstring.
    """
    stages = chain_stages(network)
    origins = [throughflow_origins(network, d) for d in network.dimensions]
    origin_table = pd.concat(origins, ignore_index=True) if origins else _empty_origins()
    sectors = _sector_table(origin_table, network)
    rows = [
        {
            "dimension": d,
            "unit": f"{CANONICAL_UNITS[d]}/yr",
            **_origin_shares(origin_table[origin_table["dimension"] == d]),
            **_diversity(sectors[sectors["dimension"] == d]["share"].to_numpy()),
            **_chain_depth_mean(network, d, stages),
        }
        for d in network.dimensions
    ]
    return StructureIndicators(
        dimensions=pd.DataFrame(rows, columns=_DIMENSION_COLUMNS),
        chain_depth_longest=_chain_depth_longest(network, stages),
        origins=origin_table,
        sectors=sectors,
        stages=stages,
        units={d: f"{CANONICAL_UNITS[d]}/yr" for d in network.dimensions},
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


# --------------------------------------------------------------------------- origins


def throughflow_origins(network: FlowNetwork, dimension: str) -> pd.DataFrame:
    """Split each actor's throughflow in ``dimension`` by origin (see module docstring).

    Returns one row per actor with a positive throughflow: ``dimension``, ``firm``,
    ``name``, ``sector``, ``throughflow``, one column per origin in :data:`ORIGINS`
    (summing to ``throughflow``) and ``extraction_share``. One sparse LU solve with
    four right-hand sides; O(f) to build.
    """
    flows, actors = network.matrix(dimension)
    flows.eliminate_zeros()
    total = throughflow(network, dimension).to_numpy()
    primary = _primary_inputs(network, dimension, total)
    closed = _closed_loops(flows, total)
    parts = np.zeros((len(actors), len(ORIGINS)))
    parts[:, :4] = _trace(flows, total, primary, closed)
    parts[closed, 4] = total[closed]
    keep = total > 0
    table = pd.DataFrame(parts[keep], columns=list(ORIGINS))
    firms = network.firms.loc[actors[keep]]
    table.insert(0, "dimension", dimension)
    table.insert(1, "firm", actors[keep])
    table.insert(2, "name", firms["name"].to_numpy())
    table.insert(3, "sector", _sectors(firms).to_numpy())
    table.insert(4, "throughflow", total[keep])
    table["extraction_share"] = np.clip(table["extraction"] / table["throughflow"], 0.0, 1.0)
    return table


def _primary_inputs(network: FlowNetwork, dimension: str, total: np.ndarray) -> np.ndarray:
    """Actors x 4 matrix of primary inputs: extraction, imports, environment, unrecorded."""
    actor_position = np.cumsum(network.firms["actor"].to_numpy()) - 1
    flows = network.flows
    known = ((flows["dimension"] == dimension) & flows["value"].notna()).to_numpy()
    entering = known & ~network.source_is_actor & network.target_is_actor
    target = actor_position[network.target_positions[entering]]
    value = flows["value"].to_numpy()[entering]
    from_market = network.source_roles().to_numpy()[entering] == "market"
    n = len(total)
    inputs = network.inflow(dimension).reindex(network.actors).to_numpy()
    surplus = total - inputs
    extraction = (network.firms.loc[network.actors, "role"] == "extraction").to_numpy()
    primary = np.zeros((n, 4))
    primary[:, 0] = np.where(extraction, surplus, 0.0)
    primary[:, 1] = np.bincount(target[from_market], value[from_market], minlength=n)
    primary[:, 2] = np.bincount(target[~from_market], value[~from_market], minlength=n)
    primary[:, 3] = np.where(extraction, 0.0, surplus)
    return primary


def _closed_loops(flows: sp.csr_matrix, total: np.ndarray) -> np.ndarray:
    """Mask of actors in strongly connected components that nothing leaves: every
    actor of the component sends its whole throughflow to the component itself."""
    count, labels = connected_components(flows, directed=True, connection="strong")
    coo = flows.tocoo()
    inside = labels[coo.row] == labels[coo.col]
    kept = np.bincount(coo.row[inside], coo.data[inside], minlength=len(total))
    leak = np.bincount(labels, np.maximum(total - kept, 0.0), minlength=count)
    size = np.bincount(labels, total, minlength=count)
    closed = (size > 0) & (leak <= _TRACE_TOLERANCE * size)
    return closed[labels]


def _trace(
    flows: sp.csr_matrix, total: np.ndarray, primary: np.ndarray, closed: np.ndarray
) -> np.ndarray:
    """Solve ``(I - G)^T X = P`` for the open part of the network."""
    n = len(total)
    if n == 0:
        return np.zeros((0, primary.shape[1]))
    open_rows = np.where(closed | (total <= 0), 0.0, 1.0 / np.where(total > 0, total, 1.0))
    coefficients = sp.diags(open_rows) @ flows  # g_ij = F_ij / T_i, closed rows dropped
    system = (sp.identity(n, format="csc") - coefficients.T).tocsc()
    rhs = np.where(closed[:, None], 0.0, primary)
    try:
        solution = spla.splu(system, permc_spec="COLAMD").solve(rhs)
    except RuntimeError as exc:  # SuperLU: "Factor is exactly singular"
        raise AnalysisError(f"origin tracing failed: {exc}") from None
    error = np.abs(solution.sum(axis=1) - np.where(closed, 0.0, total)).max()
    if not np.isfinite(error) or error > _TRACE_TOLERANCE * max(total.max(), 1.0):
        raise AnalysisError(
            "origin tracing is ill-conditioned: a loop of firms sends out almost nothing "
            "of what it receives; check the flows of its strongly connected component"
        )
    return np.maximum(solution, 0.0)


def _origin_shares(table: pd.DataFrame) -> dict[str, float | None]:
    tst = float(table["throughflow"].sum())
    names = ["extraction_dependence"] + [f"{o}_share" for o in ORIGINS[1:]]
    shares = {
        name: (float(table[origin].sum()) / tst if tst > 0 else None)
        for name, origin in zip(names, ORIGINS, strict=True)
    }
    recorded = sum(float(table[origin].sum()) for origin in ORIGINS[:3])
    share = float(table["extraction"].sum()) / recorded if recorded > 0 else None
    return {"total_system_throughflow": tst, **shares, "extraction_dependence_recorded": share}


def _empty_origins() -> pd.DataFrame:
    columns = ["dimension", "firm", "name", "sector", "throughflow", *ORIGINS, "extraction_share"]
    return pd.DataFrame(columns=columns)


# --------------------------------------------------------------------------- sectors


def _sectors(firms: pd.DataFrame) -> pd.Series:
    sector = firms["sector"].fillna("").astype(str).str.strip()
    return sector.where(sector != "", NO_SECTOR)


def _sector_table(origins: pd.DataFrame, network: FlowNetwork) -> pd.DataFrame:
    grouped = origins.groupby(["dimension", "sector"], sort=False)
    table = pd.DataFrame(
        {
            "actors": grouped.size(),
            "throughflow": grouped["throughflow"].sum(),
            "extraction": grouped["extraction"].sum(),
        }
    ).reset_index()
    tst = table.groupby("dimension")["throughflow"].transform("sum")
    table["share"] = table["throughflow"] / tst
    table["extraction_share"] = np.clip(table["extraction"] / table["throughflow"], 0.0, 1.0)
    rank = table["dimension"].map({d: i for i, d in enumerate(network.dimensions)})
    order = table.assign(_rank=rank, _size=-table["throughflow"]).sort_values(
        ["_rank", "_size", "sector"], kind="mergesort"
    )
    columns = ["dimension", "sector", "actors", "throughflow", "share", "extraction_share"]
    return table.loc[order.index, columns].reset_index(drop=True)


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


def chain_stages(network: FlowNetwork) -> pd.DataFrame:
    """The processing stage of every actor, counted from the extraction actors.

    Returns one row per actor: ``firm``, ``name``, ``sector``, ``role`` and ``stage``
    (nullable integer; missing when no extraction actor reaches the actor). The rule
    (strongly connected components collapsed, longest path on the condensation DAG,
    extraction components at stage 1) is in the module docstring.

    O(n + f) array work, plus one vectorised step per level of the condensation DAG
    (a Kahn topological sweep).
    """
    adjacency, actors = network.matrix()
    count, labels = connected_components(adjacency, directed=True, connection="strong")
    firms = network.firms.loc[actors]
    extraction = (firms["role"] == "extraction").to_numpy()
    starts = np.bincount(labels, extraction, minlength=count) > 0
    component_stage = _longest_stage(_condensation(adjacency, labels, count), starts)
    stage = component_stage[labels]
    return pd.DataFrame(
        {
            "firm": actors,
            "name": firms["name"].to_numpy(),
            "sector": _sectors(firms).to_numpy(),
            "role": firms["role"].to_numpy(),
            "stage": pd.array(np.where(stage > 0, stage, 0), dtype="Int64"),
        }
    ).assign(stage=lambda t: t["stage"].mask(t["stage"] == 0))


def _condensation(adjacency: sp.csr_matrix, labels: np.ndarray, count: int) -> sp.csr_matrix:
    coo = adjacency.tocoo()
    source, target = labels[coo.row], labels[coo.col]
    between = source != target
    edges = np.unique(source[between].astype(np.int64) * count + target[between])
    data = np.ones(len(edges))
    return sp.csr_matrix((data, (edges // count, edges % count)), shape=(count, count))


def _longest_stage(dag: sp.csr_matrix, starts: np.ndarray) -> np.ndarray:
    """Longest-path stage of each DAG node from the ``starts`` (0 = not reached)."""
    stage = starts.astype(np.int64)
    indegree = np.diff(dag.tocsc().indptr)
    frontier = np.flatnonzero(indegree == 0)
    while frontier.size:
        begin = dag.indptr[frontier]
        counts = dag.indptr[frontier + 1] - begin
        offsets = np.repeat(begin - np.cumsum(counts) + counts, counts)
        edge = offsets + np.arange(int(counts.sum()))
        source = np.repeat(frontier, counts)
        target = dag.indices[edge]
        candidate = np.where(stage[source] > 0, stage[source] + 1, 0)
        free = ~starts[target]  # an extraction component starts a chain: stays at 1
        np.maximum.at(stage, target[free], candidate[free])
        reached, arrivals = np.unique(target, return_counts=True)
        indegree[reached] -= arrivals
        frontier = reached[indegree[reached] == 0]
    return stage


def _market_sales(network: FlowNetwork, dimension: str | None) -> pd.DataFrame:
    """Flows from actors to market nodes (of one dimension and known size, or all)."""
    mask = network.source_is_actor & (network.target_roles().to_numpy() == "market")
    if dimension is not None:
        flows = network.flows
        mask &= ((flows["dimension"] == dimension) & flows["value"].notna()).to_numpy()
    return network.flows.loc[mask, ["source", "value"]]


def _chain_depth_mean(
    network: FlowNetwork, dimension: str, stages: pd.DataFrame
) -> dict[str, float | None]:
    sales = _market_sales(network, dimension)
    stage = sales["source"].map(stages.set_index("firm")["stage"]).astype("Float64")
    staged = stage.notna().to_numpy()
    value = sales["value"].to_numpy()
    total, weight = value.sum(), value[staged].sum()
    weighted = (stage[staged].to_numpy(dtype=float) * value[staged]).sum()
    return {
        "chain_depth_mean": float(weighted / weight) if weight > 0 else None,
        "market_sales_staged": float(weight / total) if total > 0 else None,
    }


def _chain_depth_longest(network: FlowNetwork, stages: pd.DataFrame) -> int | None:
    sellers = _market_sales(network, None)["source"].unique()
    stage = stages.set_index("firm")["stage"].reindex(sellers).dropna()
    return int(stage.max()) if len(stage) else None
