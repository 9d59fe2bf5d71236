"""Origin tracing: where each actor's throughflow entered the network.

Throughflow
    Per dimension, an actor's throughflow is ``T_j = max(inputs_j, outputs_j)`` over its
    flows of known size (:meth:`symbiosis.core.Core.throughflow`): the larger side closes
    the balance. ``TST = sum_j T_j`` is the total system throughflow.

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
    meaningless number. The magnitude of the flows plays no part: ``g_ij`` is formed by
    division (never ``F_ij * (1 / T_i)``, which overflows for a denormal ``T_i``) and the
    system is solved in units of the largest throughflow (a power of two, so exactly), with
    the accuracy check relative to it: flows of 1e-320 t or 1e300 t give the same shares.

Complexity: the system ``X = P + G^T X`` is solved along the condensation of the actor
graph (all dimensions, computed once per network and shared with the chain stages and the
supply shocks; a dimension's flows form a subgraph of it, whose loops lie inside the
graph's loops): one sparse LU of all loop blocks together and one triangular solve
(:meth:`~symbiosis.analysis._condensation.Condensation.solve`), O(flows + nnz(L + U)) per
dimension, no fill outside the loops and no Python loop over levels or loops. The closed
loops are found from the same condensation (a dimension's own components are computed
only when some actor sends all of its throughflow inside its component). A global LU of
``I - G`` was tried and dropped: 13.6 M factor entries and 15-26 s at one million flows.
Measured figures are in docs/reuse.md.

References
----------
Ghosh, A. 1958. Input-output approach in an allocation system. Economica 25(97): 58-64.
Finn, J.T. 1976. Measures of ecosystem structure and function derived from analysis of
flows. J. Theor. Biol. 56: 363-380.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components

from .._sorting import lexorder
from ..errors import AnalysisError
from ..model import FlowNetwork
from ._condensation import Condensation, network_condensation, rows_by_column
from ._flowsums import Arrays, constant, frame, ratio

__all__ = [
    "NO_SECTOR",
    "ORIGINS",
    "actors_by_id",
    "origin_columns",
    "origin_frame",
    "origin_parts",
    "origin_shares",
    "sector_labels",
    "throughflow_origins",
]

ORIGINS: tuple[str, ...] = ("extraction", "imports", "environment", "unrecorded", "circulating")
NO_SECTOR = "(no sector)"
# Largest |sum of origins - throughflow| / max throughflow accepted from the solver.
_TRACE_TOLERANCE = 1e-8


def throughflow_origins(network: FlowNetwork, dimension: str) -> pd.DataFrame:
    """Split each actor's throughflow in ``dimension`` by origin (see module docstring).

    Returns one row per actor with a positive throughflow: ``dimension``, ``firm``,
    ``name``, ``sector``, ``throughflow``, one column per origin in :data:`ORIGINS`
    (summing to ``throughflow``) and ``extraction_share``. O(flows + nnz(L + U)) (module
    docstring).
    """
    arrays = Arrays(network)
    return origin_frame(arrays, dimension, *origin_parts(network, dimension))


def origin_parts(network: FlowNetwork, dimension: str) -> tuple[np.ndarray, np.ndarray]:
    """Throughflow of every actor (in ``network.actors`` order) and its split by origin
    (actors x :data:`ORIGINS`)."""
    core = network.core
    actors = core.actor_nodes
    flows = core.matrix(dimension)
    total = core.throughflow(dimension)[actors]
    inputs = core.node_sums(dimension).inflow[actors]
    primary = _primary_inputs(Arrays(network), dimension, actors, total - inputs)
    topology = network_condensation(network)
    closed = _closed_loops(network, dimension, flows, total, topology)
    parts = np.zeros((len(actors), len(ORIGINS)), order="F")  # by column: tables read it so
    parts[:, :4] = _trace(flows, total, primary, closed, topology)
    parts[closed, 4] = total[closed]
    return total, parts


def origin_frame(
    arrays: Arrays, dimension: str, total: np.ndarray, parts: np.ndarray
) -> pd.DataFrame:
    """The table of :func:`throughflow_origins` from :func:`origin_parts`."""
    return frame(origin_columns(arrays, dimension, total, parts)[0], fresh=True)


def origin_columns(
    arrays: Arrays, dimension: str, total: np.ndarray, parts: np.ndarray, *, lazy: bool = False
) -> tuple[dict[str, Any], np.ndarray]:
    """The columns of :func:`origin_frame`, rows in order (largest throughflow first), and
    the node position of each row. With ``lazy``, the firm, name and sector columns are
    ``(labels of every node, node of each row)`` pairs (:class:`~._flowsums.Columns`):
    gathering a million strings costs more than the rest of the table."""
    alphabetical = actors_by_id(arrays)
    keep = alphabetical[total[alphabetical] > 0]
    # largest throughflow first, ties by id: a stable sort of the actors taken by id
    # (twice as fast as np.lexsort on the two keys)
    keep = keep[descending(total[keep])]
    node = arrays.core.actor_nodes[keep]
    columns: dict[str, Any] = {"dimension": constant(dimension, len(node))}
    labels = {"firm": arrays.ids, "name": arrays.names, "sector": sector_labels(arrays)}
    for name, label in labels.items():
        columns[name] = (label, node) if lazy else label[node]
    columns["throughflow"] = total[keep]
    for i, origin in enumerate(ORIGINS):
        columns[origin] = parts[:, i][keep]
    columns["extraction_share"] = ratio(columns["extraction"], columns["throughflow"])
    return columns, node


def descending(values: np.ndarray) -> np.ndarray:
    """``np.argsort(-values, kind="stable")``: largest first, ties by position
    (:func:`~symbiosis._sorting.lexorder`, 4 times as fast on 300,000 floats)."""
    return lexorder(-values)


def actors_by_id(arrays: Arrays) -> np.ndarray:
    """Actor positions (in ``network.actors`` order) sorted by id. O(n log n), cached on
    the core."""
    core = arrays.core
    return core.cached(("actors by id",), lambda: lexorder(core.rank[core.actor_nodes]))


def sector_labels(arrays: Arrays) -> np.ndarray:
    """Each node's sector, stripped; ``(no sector)`` when empty or missing. O(nodes),
    cached on the core."""
    core = arrays.core

    return core.cached(("sector labels",), lambda: sector_vocabulary(core)[core.sector_code])


def sector_vocabulary(core) -> np.ndarray:
    """The label of each of the core's sector texts (:func:`sector_label`), then
    ``(no sector)`` last: indexed by the core's sector codes, -1 (missing) included.
    O(distinct sectors)."""
    return np.array([*map(sector_label, core.sectors), NO_SECTOR], dtype=object)


def sector_label(sector: Any) -> str:
    """A sector text as the tables show it: stripped, ``(no sector)`` when empty or
    missing."""
    return sector.strip() if isinstance(sector, str) and sector.strip() else NO_SECTOR


def _primary_inputs(
    arrays: Arrays, dimension: str, actors: np.ndarray, surplus: np.ndarray
) -> np.ndarray:
    """Actors x 4 matrix of primary inputs: extraction, imports, environment, unrecorded.
    ``surplus`` is each actor's throughflow minus its recorded inputs."""
    position = arrays.core.actor_index
    known = arrays.core.in_dimension(dimension)
    entering = known & ~arrays.core.source_is_actor & arrays.core.target_is_actor
    target = position[arrays.target[entering]]
    value = arrays.value[entering]
    from_market = arrays.has_role(arrays.source[entering], "market")
    extraction = arrays.has_role(actors, "extraction")
    n = len(actors)
    primary = np.zeros((n, 4), order="F")  # by column, as the solver takes it
    primary[:, 0] = np.where(extraction, surplus, 0.0)
    primary[:, 1] = np.bincount(target[from_market], value[from_market], minlength=n)
    primary[:, 2] = np.bincount(target[~from_market], value[~from_market], minlength=n)
    primary[:, 3] = np.where(extraction, 0.0, surplus)
    return primary


def _closed_loops(
    network: FlowNetwork,
    dimension: str,
    flows: sp.csr_matrix,
    total: np.ndarray,
    topology: Condensation,
) -> np.ndarray:
    """Mask of actors in strongly connected components (of the dimension's flows) that
    nothing leaves: every actor of the component sends its whole throughflow to the
    component itself (up to ``_TRACE_TOLERANCE`` of its throughflow).

    Exact, and usually O(flows) on the shared condensation: a member of a closed
    component keeps its throughflow inside its component of the all-dimension graph too,
    so only such *candidates* can be in one, and a closed component, made of candidates
    only, is also a component of the graph the candidates induce, with the same test
    values. The dimension's own components are computed only when a component of that
    small induced graph passes the test."""
    candidates = _keeps_inside(flows, total, topology.labels, topology.count)
    if not candidates.any():
        return np.zeros(len(total), dtype=bool)
    chosen = np.flatnonzero(candidates)
    induced = flows[chosen][:, chosen]
    count, labels = connected_components(induced, directed=True, connection="strong")
    if not _closed(induced, total[chosen], labels, count).any():
        return np.zeros(len(total), dtype=bool)
    own = network_condensation(network, dimension)
    return _closed(flows, total, own.labels, own.count)[own.labels]


def _closed(flows: sp.spmatrix, total: np.ndarray, labels: np.ndarray, count: int) -> np.ndarray:
    """Per component: whether its leak (throughflow not sent to the component) is within
    the tolerance of its throughflow."""
    coo = flows.tocoo()
    inside = labels[coo.row] == labels[coo.col]
    kept = np.bincount(coo.row[inside], coo.data[inside], minlength=len(total))
    leak = np.bincount(labels, np.maximum(total - kept, 0.0), minlength=count)
    size = np.bincount(labels, total, minlength=count)
    return (size > 0) & (leak <= _TRACE_TOLERANCE * size)


def _keeps_inside(
    flows: sp.csr_matrix, total: np.ndarray, labels: np.ndarray, count: int
) -> np.ndarray:
    """Actors with throughflow whose leak out of their component is within the tolerance
    of a closed component (a necessary condition for being in one)."""
    per_row = np.diff(flows.indptr)
    inside = np.repeat(labels, per_row) == labels[flows.indices]
    row = np.repeat(np.arange(len(total)), per_row)
    kept = np.bincount(row[inside], flows.data[inside], minlength=len(total))
    size = np.bincount(labels, total, minlength=count)[labels]
    return (total > 0) & (total - kept <= _TRACE_TOLERANCE * size)


def _trace(
    flows: sp.csr_matrix,
    total: np.ndarray,
    primary: np.ndarray,
    closed: np.ndarray,
    topology: Condensation,
) -> np.ndarray:
    """Solve ``X = P + G^T X`` (``X = P (I - G)^-1`` for row vectors) along the
    condensation (module docstring); closed loops keep nothing and send nothing."""
    n = len(total)
    if n == 0:
        return np.zeros((0, primary.shape[1]))
    # Only actors with throughflow are unknowns: any other has no input (inputs <= T = 0)
    # and receives only flows of size 0, so its origins are 0. A dimension often touches
    # a fraction of the actors, and the solve is O(unknowns + arcs).
    active = np.flatnonzero(total > 0)
    local = np.full(n, -1, dtype=np.int64)
    local[active] = np.arange(len(active))
    # g_ij = F_ij / T_i; closed rows dropped (an arc into an actor without throughflow is
    # of size 0: the solve drops it anyway)
    sender = np.repeat(np.arange(n), np.diff(flows.indptr))
    keep = np.repeat(~closed & (total > 0), np.diff(flows.indptr)) & (total[flows.indices] > 0)
    sender = sender[keep]
    # F_ij / T_i by division, never F_ij * (1 / T_i): 1 / T overflows for a denormal T,
    # and F_ij <= T_i keeps every ratio within [0, 1]
    share = flows.data[keep] / total[sender]
    # row j (what actor j receives) of G^T
    size = (len(active), len(active))
    received = sp.coo_matrix((share, (local[flows.indices[keep]], local[sender])), shape=size)
    unit = _unit(total)
    open_total = np.where(closed, 0.0, total) / unit
    rhs = rows_by_column(primary, active)
    if closed.any():  # (seldom: a closed loop keeps nothing)
        rhs[closed[active]] = 0.0
    rhs /= unit
    solution = np.zeros((n, primary.shape[1]), order="F")
    try:
        found = topology.solve(received, rhs, active)
    except np.linalg.LinAlgError as exc:  # SuperLU: "Factor is exactly singular"
        raise AnalysisError(f"origin tracing failed: {exc}") from None
    for k in range(solution.shape[1]):
        solution[active, k] = found[:, k]
    error = np.abs(solution.sum(axis=1) - open_total).max()
    if not np.isfinite(error) or error > _TRACE_TOLERANCE * max(open_total.max(), 1.0):
        raise AnalysisError(
            "origin tracing is ill-conditioned: a loop of firms sends out almost nothing "
            "of what it receives; check the flows of its strongly connected component"
        )
    np.maximum(solution, 0.0, out=solution)
    solution *= unit
    return solution


def _unit(total: np.ndarray) -> float:
    """The power of two nearest below the largest throughflow (1 when there is none): the
    system is solved in this unit, so that its solution is of order 1 whatever the
    magnitude of the flows (1e-300 t or 1e300 t), and the accuracy check is relative to
    the largest throughflow. A power of two scales exactly: the results are those of the
    unscaled system, bit for bit, except for origins below 2^-1074 of that throughflow,
    which become 0."""
    largest = float(total.max(initial=0.0))
    if not (np.isfinite(largest) and largest > 0):
        return 1.0
    return math.ldexp(1.0, math.frexp(largest)[1] - 1)


def origin_shares(table) -> dict[str, float | None]:
    """Per dimension: TST, the share of each origin and the extraction dependence among
    recorded origins, from a table of :func:`throughflow_origins` (or its columns)."""
    return _shares(float(table["throughflow"].sum()), {o: float(table[o].sum()) for o in ORIGINS})


def _shares(tst: float, sums: dict[str, float]) -> dict[str, float | None]:
    names = ["extraction_dependence"] + [f"{o}_share" for o in ORIGINS[1:]]
    shares = {
        name: (sums[origin] / tst if tst > 0 else None)
        for name, origin in zip(names, ORIGINS, strict=True)
    }
    recorded = sum(sums[origin] for origin in ORIGINS[:3])
    share = sums["extraction"] / recorded if recorded > 0 else None
    return {"total_system_throughflow": tst, **shares, "extraction_dependence_recorded": share}
