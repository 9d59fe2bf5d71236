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

Complexity: one topological sweep (Kahn) of the actor graph's condensation gives the
chain stages and an order in which ``I - G`` is block lower triangular: O(n + f) array
work plus a few numpy calls per level. Origin tracing is then, per dimension, one sparse
triangular solve per run of actors outside loops and one sparse LU (SuperLU) per run of
loop members: no fill outside the loops. Sector diversity is O(n). A global LU of
``I - G`` was tried and dropped: 13.6 M factor entries and 15-26 s at one million flows.
Measured figures are in docs/reuse.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise
from typing import Any

import numpy as np
import pandas as pd
import scipy.sparse as sp
import scipy.sparse.linalg as spla
from scipy.sparse.csgraph import connected_components

from ..errors import AnalysisError
from ..model import FlowNetwork
from ..units import CANONICAL_UNITS, DIMENSIONS
from ._flowsums import LISTED_ROWS, Arrays, frame, ratio, records

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
        origin, and ``extraction_share``; largest throughflow first.
    sectors : DataFrame
        Per dimension and sector: ``actors``, ``throughflow``, ``share`` of TST and
        ``extraction_share`` (of the sector's throughflow).
    stages : DataFrame
        Per actor: ``firm``, ``name``, ``sector``, ``role``, ``stage`` (nullable int),
        deepest first.
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
        rows = records(self.dimensions[self.dimensions["dimension"] == dimension])
        if not rows:
            raise KeyError(dimension)
        rows[0].pop("dimension")
        return rows[0]

    def to_frame(self) -> pd.DataFrame:
        return self.dimensions

    def to_dict(self, *, limit: int | None = LISTED_ROWS) -> dict[str, Any]:
        """The indicators per dimension, then the sectors, stages and origins tables,
        each listing at most ``limit`` rows (per dimension where there is one; largest
        first; ``None``: all). ``rows`` gives each table's full length."""
        dimensions = {row.pop("dimension"): row for row in records(self.dimensions)}
        tables = {"sectors": self.sectors, "stages": self.stages, "origins": self.origins}
        return {
            "units": dict(self.units),
            "chain_depth_longest": self.chain_depth_longest,
            "dimensions": dimensions,
            **{name: records(table, limit) for name, table in tables.items()},
            "rows": {name: len(table) for name, table in tables.items()},
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
    arrays = Arrays(network)
    topology = _Topology(arrays)
    stage = _stage_array(arrays, topology)
    origins = pd.concat(
        [_origin_frame(arrays, d, *_origin_parts(arrays, d, topology)) for d in network.dimensions]
        or [_origin_frame(arrays, "mass", np.zeros(0), np.zeros((0, len(ORIGINS))))],
        ignore_index=True,
    )
    sectors = _sector_table(origins, network)
    rows = []
    for d in network.dimensions:
        rows.append(
            {
                "dimension": d,
                "unit": f"{CANONICAL_UNITS[d]}/yr",
                **_origin_shares(origins[(origins["dimension"] == d).to_numpy()]),
                **_diversity(sectors["share"].to_numpy()[(sectors["dimension"] == d).to_numpy()]),
                **_chain_depth_mean(arrays, d, stage),
            }
        )
    return StructureIndicators(
        dimensions=pd.DataFrame(rows, columns=_DIMENSION_COLUMNS),
        chain_depth_longest=_chain_depth_longest(arrays, stage),
        origins=origins,
        sectors=sectors,
        stages=_stage_frame(arrays, stage),
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
    (summing to ``throughflow``) and ``extraction_share``. O(f) plus one sparse LU per
    level of the condensation that holds a loop (module docstring).
    """
    arrays = Arrays(network)
    parts = _origin_parts(arrays, dimension, _Topology(arrays))
    return _origin_frame(arrays, dimension, *parts)


def _origin_parts(
    arrays: Arrays, dimension: str, topology: _Topology
) -> tuple[np.ndarray, np.ndarray]:
    """Throughflow of every actor (in ``network.actors`` order) and its split by origin."""
    flows, _ = arrays.network.matrix(dimension)
    flows.eliminate_zeros()
    inputs, outputs, _ = arrays.node_sums(dimension)
    actors = np.flatnonzero(arrays.actor)
    total = np.maximum(inputs, outputs)[actors]
    primary = _primary_inputs(arrays, dimension, actors, total - inputs[actors])
    count, labels = connected_components(flows, directed=True, connection="strong")
    closed = _closed_loops(flows, total, labels, count)
    parts = np.zeros((len(actors), len(ORIGINS)))
    parts[:, :4] = _trace(flows, total, primary, closed, topology)
    parts[closed, 4] = total[closed]
    return total, parts


def _origin_frame(
    arrays: Arrays, dimension: str, total: np.ndarray, parts: np.ndarray
) -> pd.DataFrame:
    actors = np.flatnonzero(arrays.actor)
    keep = total > 0
    node = actors[keep] if len(total) else actors[:0]
    columns = {
        "dimension": np.full(len(node), dimension, dtype=object),
        "firm": arrays.ids[node],
        "name": arrays.names[node],
        "sector": _sectors(arrays)[node],
        "throughflow": total[keep] if len(total) else np.zeros(0),
    }
    for i, origin in enumerate(ORIGINS):
        columns[origin] = parts[keep, i] if len(total) else np.zeros(0)
    columns["extraction_share"] = ratio(columns["extraction"], columns["throughflow"])
    order = np.lexsort((arrays.rank[node], -columns["throughflow"]))  # largest first
    return frame(columns).iloc[order].reset_index(drop=True)


def _primary_inputs(
    arrays: Arrays, dimension: str, actors: np.ndarray, surplus: np.ndarray
) -> np.ndarray:
    """Actors x 4 matrix of primary inputs: extraction, imports, environment, unrecorded.
    ``surplus`` is each actor's throughflow minus its recorded inputs."""
    position = np.cumsum(arrays.actor) - 1  # node -> index among actors
    known = arrays.dimension == DIMENSIONS.index(dimension)
    entering = known & ~arrays.actor[arrays.source] & arrays.actor[arrays.target]
    target = position[arrays.target[entering]]
    value = arrays.value[entering]
    from_market = arrays.has_role(arrays.source[entering], "market")
    extraction = arrays.has_role(actors, "extraction")
    n = len(actors)
    primary = np.zeros((n, 4))
    primary[:, 0] = np.where(extraction, surplus, 0.0)
    primary[:, 1] = np.bincount(target[from_market], value[from_market], minlength=n)
    primary[:, 2] = np.bincount(target[~from_market], value[~from_market], minlength=n)
    primary[:, 3] = np.where(extraction, 0.0, surplus)
    return primary


def _closed_loops(
    flows: sp.csr_matrix, total: np.ndarray, labels: np.ndarray, count: int
) -> np.ndarray:
    """Mask of actors in strongly connected components that nothing leaves: every
    actor of the component sends its whole throughflow to the component itself."""
    coo = flows.tocoo()
    inside = labels[coo.row] == labels[coo.col]
    kept = np.bincount(coo.row[inside], coo.data[inside], minlength=len(total))
    leak = np.bincount(labels, np.maximum(total - kept, 0.0), minlength=count)
    size = np.bincount(labels, total, minlength=count)
    closed = (size > 0) & (leak <= _TRACE_TOLERANCE * size)
    return closed[labels]


def _trace(
    flows: sp.csr_matrix,
    total: np.ndarray,
    primary: np.ndarray,
    closed: np.ndarray,
    topology: _Topology,
) -> np.ndarray:
    """Solve ``X = P + G^T X`` (``X = P (I - G)^-1`` for row vectors) by block forward
    substitution in the topological order of the actor graph's condensation (all
    dimensions, computed once; a dimension's flows form a subgraph of it, whose loops
    lie inside the graph's loops). In that order the system is block lower triangular:
    runs of actors outside loops are solved by one sparse triangular solve each, the
    actors in loops by one sparse LU per run. No fill outside the loops, unlike one LU
    of the whole matrix (13.6 M factor entries at 1 M flows)."""
    n = len(total)
    if n == 0:
        return np.zeros((0, primary.shape[1]))
    scale = np.where(closed | (total <= 0), 0.0, 1.0 / np.where(total > 0, total, 1.0))
    coo = (sp.diags(scale) @ flows).tocoo()  # g_ij = F_ij / T_i; closed rows dropped
    order = topology.order
    position = np.empty(n, dtype=np.int64)
    position[order] = np.arange(n)
    # row p (the actor order[p]) holds what it receives: G^T in topological order
    received = sp.csr_matrix((coo.data, (position[coo.col], position[coo.row])), shape=(n, n))
    rhs = np.where(closed[:, None], 0.0, primary)[order]
    solution = np.zeros_like(rhs)
    for begin, end, in_loop in _runs(topology.cyclic[order]):
        inflow = rhs[begin:end] + received[begin:end] @ solution
        system = sp.identity(end - begin, format="csr") - received[begin:end, begin:end]
        if in_loop:
            solution[begin:end] = _solve_block(system.tocsc(), inflow)
        else:
            solution[begin:end] = spla.spsolve_triangular(
                system, inflow, lower=True, unit_diagonal=True
            )
    solution = solution[position]
    error = np.abs(solution.sum(axis=1) - np.where(closed, 0.0, total)).max()
    if not np.isfinite(error) or error > _TRACE_TOLERANCE * max(total.max(), 1.0):
        raise AnalysisError(
            "origin tracing is ill-conditioned: a loop of firms sends out almost nothing "
            "of what it receives; check the flows of its strongly connected component"
        )
    return np.maximum(solution, 0.0)


def _runs(flags: np.ndarray) -> list[tuple[int, int, bool]]:
    """``(begin, end, flag)`` of the maximal runs of equal values in ``flags``."""
    change = np.flatnonzero(np.diff(flags.astype(np.int8))) + 1
    edges = np.concatenate([[0], change, [len(flags)]])
    return [(int(a), int(b), bool(flags[a])) for a, b in pairwise(edges)]


def _solve_block(system: sp.csc_matrix, rhs: np.ndarray) -> np.ndarray:
    try:
        return spla.splu(system, permc_spec="MMD_AT_PLUS_A").solve(rhs)
    except RuntimeError as exc:  # SuperLU: "Factor is exactly singular"
        raise AnalysisError(f"origin tracing failed: {exc}") from None


def _ranges(begin: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """Concatenated ``range(b, b + c)`` for each pair, vectorised."""
    offsets = np.repeat(begin - np.cumsum(counts) + counts, counts)
    return offsets + np.arange(int(counts.sum()))


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


# --------------------------------------------------------------------------- sectors


def _sectors(arrays: Arrays) -> np.ndarray:
    """Each node's sector, stripped; ``(no sector)`` when empty."""
    codes, uniques = pd.factorize(arrays.network.firms["sector"], use_na_sentinel=False)
    cleaned = np.array(
        [str(u).strip() if isinstance(u, str) and u.strip() else NO_SECTOR for u in uniques],
        dtype=object,
    )
    return cleaned[codes]


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
    table["extraction_share"] = ratio(table["extraction"], table["throughflow"])
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

    O(n + f) array work, plus a few vectorised steps per level of the condensation DAG
    (a Kahn topological sweep).
    """
    arrays = Arrays(network)
    return _stage_frame(arrays, _stage_array(arrays, _Topology(arrays)))


class _Topology:
    """The actor graph (every actor-to-actor flow, any dimension, known size or not):
    its strongly connected components, the topological level of each component in the
    condensation DAG, the actors in topological order (by level; within a level, actors
    outside loops first, then loop members grouped by component) and each component's
    chain stage from the extraction actors."""

    def __init__(self, arrays: Arrays):
        adjacency, _ = arrays.network.matrix()
        self.count, self.labels = connected_components(
            adjacency, directed=True, connection="strong"
        )
        extraction = arrays.has_role(np.flatnonzero(arrays.actor), "extraction")
        starts = np.bincount(self.labels, extraction, minlength=self.count) > 0
        dag = _condensation(adjacency, self.labels, self.count)
        level, self.component_stage = _sweep(dag, starts)
        self.cyclic = (np.bincount(self.labels, minlength=self.count) > 1)[self.labels]
        self.order = np.lexsort((self.labels, self.cyclic, level[self.labels]))


def _stage_array(arrays: Arrays, topology: _Topology) -> np.ndarray:
    """Stage of each actor (``network.actors`` order); 0 when not reached."""
    return topology.component_stage[topology.labels]


def _stage_frame(arrays: Arrays, stage: np.ndarray) -> pd.DataFrame:
    actors = np.flatnonzero(arrays.actor)
    table = frame(
        {
            "firm": arrays.ids[actors],
            "name": arrays.names[actors],
            "sector": _sectors(arrays)[actors],
            "role": arrays.role[actors],
        }
    )
    table["stage"] = pd.array(np.where(stage > 0, stage, 0), dtype="Int64")
    table["stage"] = table["stage"].mask(table["stage"] == 0)
    order = np.lexsort((arrays.rank[actors], -stage))  # deepest first, unreached last
    return table.iloc[order].reset_index(drop=True)


def _condensation(adjacency: sp.csr_matrix, labels: np.ndarray, count: int) -> sp.csr_matrix:
    coo = adjacency.tocoo()
    source, target = labels[coo.row], labels[coo.col]
    between = source != target
    ones = np.ones(int(between.sum()))
    dag = sp.csr_matrix((ones, (source[between], target[between])), shape=(count, count))
    dag.sum_duplicates()  # scipy's sort-based merge: faster than np.unique on 1M keys
    dag.data[:] = 1.0
    return dag


def _sweep(dag: sp.csr_matrix, starts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Kahn's topological sweep of a DAG, one numpy step per level: returns each node's
    level (0 without predecessors, else one more than its deepest predecessor) and its
    longest-path stage from the ``starts`` (1 for a start, whatever feeds it; else one
    more than the largest stage among its reached predecessors; 0 if none is reached).
    When a node's last predecessor is processed all of them are final, so both are exact.
    O(n + e) plus O(levels) numpy calls."""
    n = dag.shape[0]
    level = np.zeros(n, dtype=np.int64)
    stage = starts.astype(np.int64)
    indegree = np.diff(dag.tocsc().indptr)
    frontier = np.flatnonzero(indegree == 0)
    depth = 0
    while frontier.size:
        level[frontier] = depth
        depth += 1
        begin = dag.indptr[frontier]
        counts = dag.indptr[frontier + 1] - begin
        target = dag.indices[_ranges(begin, counts)]
        source_stage = np.repeat(stage[frontier], counts)
        free = ~starts[target]
        np.maximum.at(stage, target[free], np.where(source_stage > 0, source_stage + 1, 0)[free])
        reached, arrivals = np.unique(target, return_counts=True)
        indegree[reached] -= arrivals
        frontier = reached[indegree[reached] == 0]
    return level, stage


def _chain_depth_mean(arrays: Arrays, dimension: str, stage: np.ndarray) -> dict:
    known = arrays.dimension == DIMENSIONS.index(dimension)
    sale = _sales(arrays) & known
    position = np.cumsum(arrays.actor) - 1
    seller_stage = stage[position[arrays.source[sale]]]
    value = arrays.value[sale]
    staged = seller_stage > 0
    total, weight = value.sum(), value[staged].sum()
    weighted = (seller_stage[staged] * value[staged]).sum()
    return {
        "chain_depth_mean": float(weighted / weight) if weight > 0 else None,
        "market_sales_staged": float(weight / total) if total > 0 else None,
    }


def _sales(arrays: Arrays) -> np.ndarray:
    """Flows from actors to market nodes."""
    return arrays.actor[arrays.source] & arrays.has_role(arrays.target, "market")


def _chain_depth_longest(arrays: Arrays, stage: np.ndarray) -> int | None:
    position = np.cumsum(arrays.actor) - 1
    seller_stage = stage[position[arrays.source[_sales(arrays)]]]
    return int(seller_stage.max()) if (seller_stage > 0).any() else None
