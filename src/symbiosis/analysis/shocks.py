"""Supply shocks: cut the output of a node and follow the loss downstream.

A mine runs at half its output, a smelter closes, an overseas supplier stops shipping:
:func:`shock` propagates the loss through the network with a supply-driven model of the
Ghosh type (Ghosh 1958; Miller & Blair 2009, ch. 12), one dimension at a time, and
reports which actors lose what share of their input, which flows and by-product
exchanges break, and the shocked network itself (to recompute every indicator).

The model
---------
For a dimension (tonnes with tonnes, GJ with GJ), let ``F[i, j]`` be the known flow from
node i to actor j. An actor's throughflow is ``x_j = max(recorded inputs, recorded
outputs)``: when a firm's recorded outputs exceed its recorded inputs, the difference is
an *unrecorded input* ``u_j`` (ore from the ground, air, limestone from the firm's own
quarry, data gaps) that closes its balance, the same convention as the cycling metrics.
Each actor's outputs are scaled by one factor ``s_j`` (1 = unchanged, 0 = stopped):

.. math::

    s_j = d_j \\, \\frac{u_j + \\sum_{i \\in B} F_{ij} f_i + \\sum_{i \\in A} F_{ij} s_i}{x_j}

where ``A`` are the actors, ``B`` the boundary nodes (their supply ``f_i`` = 1, or
``1 + change`` when the shock is applied to an import supplier), and ``d_j = 1 + change``
for a shocked actor and 1 otherwise. An actor without any input (``x_j = 0`` or only
unrecorded input) is an origin: ``s_j = d_j``. In matrix form ``(I - D B) s = D c`` with
``B[j, i] = F[i, j] / x_j`` (the input-side intensity of ecological network analysis,
transposed): the allocation of each actor's output over its customers is fixed, and a
customer's output falls in proportion to the share of its input that is lost. Every
flow leaving node i is then ``F[i, j] * s_i``.

With no shock ``s = 1`` solves the system, and ``0 <= s <= 1`` for every shock: the
solution is the least fixed point of a monotone map that sends [0, 1] into itself, so
**a shock never raises any flow**.

Loops and solvability. Only actors downstream of a shocked node can change, so the
system is solved on that set only. There, every strongly connected component (a loop
of exchanges) either holds a shocked actor (whose factor ``d < 1`` damps the loop) or
is entered by a flow from outside it (it is downstream of the shock), so each loop
leaks and ``I - D B`` is a nonsingular M-matrix: no iteration to convergence is needed.
A loop that keeps almost everything in (leak below ~1e-12) is ill-conditioned: the
result is checked (``0 <= s <= 1`` and the residual) and an
:class:`~symbiosis.errors.AnalysisError` says so rather than print a wrong number.

Solution method. The components of the affected set are ordered topologically (Kahn's
algorithm, one numpy step per level of the condensation) and solved level by level:
acyclic parts by a sparse matrix-vector product, each level's loops by one sparse LU
(SuperLU, ``MMD_AT_PLUS_A`` ordering) of a block-diagonal matrix, so fill-in stays
inside each loop. Complexity per dimension: O(F + V) to build and order, plus
O(depth) numpy steps, plus the LU cost of the strongly connected components (small in
practice: see ``benchmarks/bench_scenarios.py``).

Assumptions, and where they fail
--------------------------------
* **Fixed allocation and fixed-proportion technology**: a firm that loses 30 % of its
  input cuts every output by 30 %, and keeps selling to each customer in the same
  proportions. In reality a firm may run at lower utilisation, ration a favoured
  customer, or cut its by-products first. Ghosh's model is a plausible upper bound of
  the direct knock-on effect, not a forecast (Oosterhaven 1988 criticises it as a
  model of production; it is a fair model of *where the lost material would have
  gone*).
* **No substitution**: a firm that loses its concentrate does not buy more elsewhere;
  boundary imports are not raised to compensate (nor cut, unless their supplier is the
  node shocked). In practice smelters import more concentrate: read the result as the
  exposure before substitution.
* **No stocks**: flows are annual and stockpiles are not drawn down.
* **A shocked actor buys less too**: its recorded inputs fall to ``1 + change`` of their
  size (a closed smelter takes no concentrate). What its suppliers can no longer sell
  it is not rerouted and not passed upstream (that would be a demand-driven, Leontief
  model): it simply leaves the accounts.
* **Unrecorded inputs are unaffected** (``close_balances=True``): when a firm's recorded
  inputs are a small part of what it makes (a cement plant recording only the slag and
  ash it takes, not its limestone), losing one of them cuts its output by its share of
  the *throughflow*, not of the recorded inputs. With ``close_balances=False`` only
  recorded inputs count (the strict Ghosh model on the data as given), which
  overstates the loss of firms with data gaps.
* **One dimension at a time**: a power plant that loses coal (mass) keeps its
  electricity (energy) output. Shock each dimension you want to follow.
* **Flows of unknown size** carry no loss to their customers (they are not in the
  matrix) but are scaled by their source's factor: their retained share is reported.

References
----------
Ghosh, A. (1958). Input-output approach in an allocation system. *Economica* 25(97), 58-64.
Miller, R. E. & Blair, P. D. (2009). *Input-Output Analysis*, 2nd ed., ch. 12. Cambridge UP.
Oosterhaven, J. (1988). On the plausibility of the supply-driven input-output model.
*Journal of Regional Science* 28(2), 203-217.
"""

from __future__ import annotations

import difflib
import itertools
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import scipy.sparse as sp
import scipy.sparse.csgraph as csgraph
import scipy.sparse.linalg as spla

from ..errors import AnalysisError, InputError
from ..model import FlowNetwork
from ..vocabulary import RESIDUAL_CATEGORIES

if TYPE_CHECKING:
    from ..report import Options

__all__ = [
    "DEFAULT_BREAK_BELOW",
    "ShockResult",
    "propagate",
    "shock",
    "shock_factors",
    "suggest",
]

#: An exchange "breaks" when it keeps less than this share of its size.
DEFAULT_BREAK_BELOW = 0.5
# Tolerances of the solution check: factors must lie in [0, 1] up to rounding.
_RANGE_TOLERANCE = 1e-9
_RESIDUAL_TOLERANCE = 1e-9


# ---------------------------------------------------------------------------- validation


def _check_shocks(network: FlowNetwork, shocks: Mapping[str, float]) -> dict[str, float]:
    """The shocks as ``{node id: change}``, or an InputError listing every bad entry."""
    problems = []
    checked = {}
    if not shocks:
        raise InputError("no shock given; name a firm and a change, e.g. --firm DGS --change -0.5")
    for node, change in shocks.items():
        if node not in network.firms.index:
            problems.append(f"unknown firm '{node}'{suggest(node, network.firms.index)}")
            continue
        try:
            change = float(change)
        except (TypeError, ValueError):
            problems.append(f"change for '{node}' must be a number (got {change!r})")
            continue
        if not -1.0 <= change <= 0.0:
            problems.append(
                f"change for '{node}' must be between -1 (stopped) and 0 (unchanged), "
                f"got {change:g}; a supply shock only reduces output"
            )
            continue
        checked[str(node)] = change
    if problems:
        raise InputError("; ".join(problems))
    return checked


def suggest(name: str, ids) -> str:
    """`` (did you mean X, Y?)`` for ids close to ``name`` (case ignored), or ``""``."""
    by_lower = {}
    for known in map(str, ids):
        by_lower.setdefault(known.lower(), known)
    close = difflib.get_close_matches(str(name).lower(), list(by_lower), n=3, cutoff=0.6)
    return f" (did you mean {', '.join(by_lower[c] for c in close)}?)" if close else ""


def _check_dimensions(network: FlowNetwork, dimension: str | None) -> tuple[str, ...]:
    if dimension is None:
        return network.dimensions
    if dimension not in network.dimensions:
        known = ", ".join(network.dimensions) or "none"
        raise InputError(f"unknown dimension '{dimension}'; this network has flows in: {known}")
    return (dimension,)


def _check_threshold(break_below: float) -> float:
    if not 0.0 < float(break_below) <= 1.0:
        raise InputError(
            f"the break threshold must be a share in (0, 1], got {break_below:g} "
            "(e.g. 0.5: an exchange breaks when it keeps less than half its size)"
        )
    return float(break_below)


# ---------------------------------------------------------------------------- the solver


def shock_factors(
    network: FlowNetwork,
    dimension: str,
    shocks: Mapping[str, float],
    *,
    close_balances: bool = True,
) -> np.ndarray:
    """The output factor of every node in one dimension after the shocks.

    Parameters
    ----------
    network : FlowNetwork
    dimension : str
        ``mass``, ``energy`` or ``volume``.
    shocks : mapping of node id to change
        ``{"DGS": -0.5}``: the node's outputs are multiplied by ``1 + change`` (on top of
        what it loses from its suppliers). Changes lie in [-1, 0]. A boundary node (an
        import supplier) may be shocked: its deliveries fall, nothing flows into it.
    close_balances : bool
        Count unrecorded inputs (recorded outputs above recorded inputs) as unaffected
        boundary supply (default), or only recorded inputs.

    Returns
    -------
    numpy.ndarray
        ``s[k]`` for each node in :attr:`FlowNetwork.firms` order: the share of its
        outputs in ``dimension`` that remains (1 = unaffected, 0 = stopped).

    Notes
    -----
    Solves ``(I - D B) s = D c`` on the actors downstream of a shocked node, level by
    level of its strongly connected components (see the module docstring). O(F + V) to
    build, plus the sparse LU of each loop, plus one numpy step per topological level.
    """
    shocks = _check_shocks(network, shocks)
    firms = network.firms
    n = len(firms)
    is_actor = firms["actor"].to_numpy(dtype=bool)
    damping = np.ones(n)
    for node, change in shocks.items():
        damping[firms.index.get_loc(node)] = 1.0 + change

    values = network.flows["value"].to_numpy(dtype=float)
    mask = (network.flows["dimension"] == dimension).to_numpy() & (values > 0)
    source = network.source_positions[mask]
    target = network.target_positions[mask]
    quantity = values[mask]

    inflow = np.bincount(target, quantity, minlength=n)
    outflow = np.bincount(source, quantity, minlength=n)
    throughflow = np.maximum(inflow, outflow) if close_balances else inflow
    unrecorded = throughflow - inflow  # >= 0; zero when balances are not closed

    factors = np.ones(n)
    factors[~is_actor] = damping[~is_actor]  # boundary suppliers: only their own shock
    affected = _downstream(n, source, target, is_actor, damping < 1.0)
    if not affected.any():
        return factors

    # Unknowns: the affected actors. Everything else feeds them a known supply.
    local = np.full(n, -1, dtype=np.int64)
    nodes = np.flatnonzero(affected)
    local[nodes] = np.arange(len(nodes))
    into = affected[target]
    inner = into & affected[source]
    known_supply = np.bincount(
        target[into & ~inner], quantity[into & ~inner] * factors[source[into & ~inner]], minlength=n
    )
    denominator = np.where(throughflow > 0, throughflow, 1.0)
    origin = throughflow[nodes] <= 0  # a shocked actor with no input: s = 1 + change
    constant = np.where(
        origin,
        1.0,
        (unrecorded[nodes] + known_supply[nodes]) / denominator[nodes],
    )
    size = len(nodes)
    coupling = sp.csr_matrix(
        (
            quantity[inner] / denominator[target[inner]],
            (local[target[inner]], local[source[inner]]),
        ),
        shape=(size, size),
    )
    coupling.sum_duplicates()
    factors[nodes] = _solve_by_levels(coupling, constant, damping[nodes])
    return factors


def _downstream(
    n: int, source: np.ndarray, target: np.ndarray, is_actor: np.ndarray, shocked: np.ndarray
) -> np.ndarray:
    """Actors reachable from a shocked node along flows into actors (shocked actors
    included). Boundary nodes pass nothing on. O(F + V) breadth-first search."""
    keep = is_actor[target] & (is_actor[source] | shocked[source])
    graph = sp.csr_matrix((np.ones(int(keep.sum())), (source[keep], target[keep])), shape=(n, n))
    seen = np.zeros(n, dtype=bool)
    for start in np.flatnonzero(shocked):
        if seen[start]:
            continue
        order = csgraph.breadth_first_order(graph, start, directed=True, return_predecessors=False)
        seen[order] = True
    return seen & is_actor


def _solve_by_levels(
    coupling: sp.csr_matrix, constant: np.ndarray, damping: np.ndarray
) -> np.ndarray:
    """Solve ``s = D (c + B s)`` with ``B = coupling`` level by level of its condensation.

    The unknowns are renumbered by topological level, so that each level is a contiguous
    range of rows whose entries point either to earlier levels (known by then) or inside
    the level. Strongly connected components are solved together per level: they share
    no edge, so the level's matrix is block-diagonal and its LU fills in only inside each
    loop. A level without a loop costs a few numpy calls. Raises AnalysisError when a
    loop is too tight for a trustworthy answer.
    """
    count, labels = csgraph.connected_components(coupling, directed=True, connection="strong")
    levels = _topological_levels(coupling, labels, count)[labels]
    order = np.argsort(levels, kind="stable")
    bounds = np.searchsorted(levels[order], np.arange(levels.max() + 2)).tolist()
    ordered = sp.csr_matrix(coupling[order][:, order])
    ordered.sort_indices()
    indptr, indices, data = ordered.indptr, ordered.indices, ordered.data
    constant, damping = constant[order], damping[order]
    solution = np.zeros(len(order))
    for a, b in itertools.pairwise(bounds):
        if a == b:
            continue
        lo, hi = indptr[a], indptr[b]
        columns, values = indices[lo:hi], data[lo:hi]
        rows = np.repeat(np.arange(b - a), np.diff(indptr[a : b + 1]))
        inside = columns >= a  # earlier levels have smaller numbers; later ones none
        known = np.bincount(
            rows[~inside], values[~inside] * solution[columns[~inside]], minlength=b - a
        )
        rhs = damping[a:b] * (constant[a:b] + known)
        if not inside.any():
            solution[a:b] = rhs
            continue
        within = sp.csr_matrix(
            (values[inside], (rows[inside], columns[inside] - a)), shape=(b - a, b - a)
        )
        matrix = (sp.identity(b - a, format="csc") - sp.diags(damping[a:b]) @ within).tocsc()
        solution[a:b] = _sparse_solve(matrix, rhs)
    low, high = solution.min(), solution.max()
    if low < -_RANGE_TOLERANCE or high > 1.0 + _RANGE_TOLERANCE or not np.isfinite(solution).all():
        raise AnalysisError(
            "the supply-shock system is ill-conditioned: a loop of exchanges keeps almost "
            "all of its material in (no inflow or outflow to speak of), so its loss cannot "
            "be computed reliably; check the loop's flows"
        )
    result = np.empty_like(solution)
    result[order] = np.clip(solution, 0.0, 1.0)
    return result


def _sparse_solve(matrix: sp.csc_matrix, rhs: np.ndarray) -> np.ndarray:
    try:
        solution = spla.splu(matrix, permc_spec="MMD_AT_PLUS_A").solve(rhs)
    except RuntimeError as exc:  # exactly singular: a loop with no leak at all
        raise AnalysisError(
            f"the supply-shock system is singular ({exc}): a loop of exchanges has no "
            "inflow from outside; check its flows"
        ) from None
    residual = np.abs(matrix @ solution - rhs).max(initial=0.0)
    if not residual <= _RESIDUAL_TOLERANCE * max(1.0, np.abs(rhs).max(initial=0.0)):
        raise AnalysisError(
            f"the supply-shock system is ill-conditioned (residual {residual:.2g}): a loop "
            "of exchanges leaks almost nothing; check its flows"
        )
    return solution


def _topological_levels(graph: sp.csr_matrix, labels: np.ndarray, count: int) -> np.ndarray:
    """Level of each strongly connected component in the condensation: 0 for those
    without a predecessor, else 1 + the highest level of a predecessor (Kahn's
    algorithm, one vectorised step per level). O(F + C) plus O(depth) numpy calls."""
    coo = graph.tocoo()
    upstream, downstream = labels[coo.col], labels[coo.row]  # row j depends on column i
    between = upstream != downstream
    condensed = sp.csr_matrix(
        (np.ones(int(between.sum())), (upstream[between], downstream[between])),
        shape=(count, count),
    )
    condensed.sum_duplicates()
    indegree = np.diff(condensed.tocsc().indptr).astype(np.int64)
    levels = np.full(count, -1, dtype=np.int64)
    frontier = np.flatnonzero(indegree == 0)
    level = 0
    while frontier.size:
        levels[frontier] = level
        successors = _gather_rows(condensed, frontier)
        np.subtract.at(indegree, successors, 1)
        frontier = np.unique(successors[indegree[successors] == 0])
        level += 1
    return levels


def _gather_rows(matrix: sp.csr_matrix, rows: np.ndarray) -> np.ndarray:
    """Column indices of the given CSR rows, concatenated. O(their entries)."""
    starts, ends = matrix.indptr[rows], matrix.indptr[rows + 1]
    lengths = ends - starts
    total = int(lengths.sum())
    if total == 0:
        return np.empty(0, dtype=np.int64)
    offsets = np.repeat(starts - np.cumsum(lengths) + lengths, lengths)
    return matrix.indices[offsets + np.arange(total)]


# ---------------------------------------------------------------------------- results


def propagate(
    network: FlowNetwork,
    shocks: Mapping[str, float],
    *,
    dimension: str | None = None,
    close_balances: bool = True,
    drop_stopped: bool = False,
) -> tuple[FlowNetwork, pd.Series, dict[str, np.ndarray]]:
    """Apply the shocks and return the shocked network.

    Returns ``(shocked network, retained share of each flow, factors per dimension)``.
    The retained share is aligned with ``network.flows``: the output factor of the
    flow's source in the flow's dimension (1 for flows of other dimensions, or of no
    known dimension), and for a flow into a shocked actor at most ``1 + change`` (a
    closed smelter buys nothing; suppliers do not pass that loss upstream). Flow values
    are scaled by it (unknown sizes stay unknown). With ``drop_stopped`` the flows that
    keep nothing (retained share 0) are removed from the shocked network: a stopped
    exchange no longer links its firms (and closes no loop).
    O(F + V) per dimension plus the loop solves (see :func:`shock_factors`).
    """
    shocks = _check_shocks(network, shocks)
    dimensions = _check_dimensions(network, dimension)
    flows = network.flows
    retained = np.ones(len(flows))
    factors = {}
    # A shocked actor also buys less: its inputs fall to 1 + change (or to what its
    # suppliers can still send, if that is less). Not passed upstream.
    demand = np.ones(network.n_firms)
    for node, change in shocks.items():
        position = network.firms.index.get_loc(node)
        if network.firms["actor"].iat[position]:
            demand[position] = 1.0 + change
    for name in dimensions:
        factors[name] = shock_factors(network, name, shocks, close_balances=close_balances)
        in_dimension = (flows["dimension"] == name).to_numpy()
        retained[in_dimension] = np.minimum(
            factors[name][network.source_positions[in_dimension]],
            demand[network.target_positions[in_dimension]],
        )
    shocked = flows.copy()
    shocked["value"] = flows["value"].to_numpy(dtype=float) * retained
    if "quantity" in shocked:
        shocked["quantity"] = pd.to_numeric(flows["quantity"], errors="coerce") * retained
    if drop_stopped:
        shocked = shocked[retained > 0.0]
    return (
        network.with_tables(flows=shocked),
        pd.Series(retained, index=flows.index, name="retained"),
        factors,
    )


@dataclass(frozen=True)
class ShockResult:
    """What a supply shock does, per dimension.

    Attributes
    ----------
    shocks : dict
        ``{node id: change}`` as applied.
    dimensions : tuple of str
        The dimensions propagated.
    break_below : float
        A flow is *broken* when it keeps less than this share of its size.
    firms : DataFrame
        One row per actor and dimension affected (index ``firm``, ``dimension``):
        ``recorded_input`` and ``input_after`` (recorded inputs before and after),
        ``input_lost`` and ``input_lost_share`` (share of the recorded inputs lost),
        ``output_factor`` (share of its outputs that remain) and ``output_lost``
        (quantity). Sorted by dimension, then by share lost, largest first.
    flows : DataFrame
        Every flow that shrinks (index: flow row in ``network.flows``): ``source``,
        ``target``, ``material``, ``category``, ``dimension``, ``value_before``,
        ``value_after``, ``retained``, ``broken``, ``exchange`` (True for a by-product,
        waste or emission passed from one actor to another). Largest loss first.
    totals : dict
        Per dimension: ``internal_before/after`` (actor-to-actor flows),
        ``exchanged_before/after`` (residual exchanges between actors),
        ``output_before/after`` (all flows leaving actors), ``actors_affected``,
        ``flows_broken``, ``exchanges_broken``.
    broken_loops : list of dict
        Loops (from :mod:`symbiosis.analysis.loops`) with at least one broken arc: their
        firms and the broken arcs. Empty when no loop breaks.
    comparison : symbiosis.scenarios.ScenarioComparison or None
        Every headline indicator before and after (column ``shock``), and the loops
        opened (stopped flows only; see :attr:`broken_loops` for the threshold).
    network_after : FlowNetwork
        The shocked network, stopped flows removed (not in :meth:`to_dict`).
    warnings : tuple of str
    """

    shocks: dict[str, float]
    dimensions: tuple[str, ...]
    break_below: float
    close_balances: bool
    firms: pd.DataFrame
    flows: pd.DataFrame
    totals: dict[str, dict[str, float]]
    broken_loops: list[dict] = field(default_factory=list)
    comparison: Any = field(default=None, repr=False, compare=False)
    network_after: FlowNetwork | None = field(default=None, repr=False, compare=False)
    warnings: tuple[str, ...] = ()

    @property
    def broken_exchanges(self) -> pd.DataFrame:
        """The residual exchanges between actors that break."""
        return self.flows[self.flows["exchange"] & self.flows["broken"]]

    def to_frame(self) -> pd.DataFrame:
        """The affected firms (see :attr:`firms`)."""
        return self.firms

    def to_dict(self) -> dict:
        from ..jsonable import to_jsonable

        return to_jsonable(
            {
                "shocks": dict(self.shocks),
                "dimensions": list(self.dimensions),
                "break_below": self.break_below,
                "close_balances": self.close_balances,
                "totals": self.totals,
                "firms": self.firms,
                "flows": self.flows.rename_axis("flow"),
                "broken_loops": self.broken_loops,
                "indicators": None if self.comparison is None else self.comparison.to_dict(),
                "warnings": list(self.warnings),
            }
        )


def shock(
    network: FlowNetwork,
    shocks: Mapping[str, float],
    *,
    dimension: str | None = None,
    break_below: float = DEFAULT_BREAK_BELOW,
    close_balances: bool = True,
    loops: list | None = None,
    indicators: bool = True,
    options: Options | None = None,
) -> ShockResult:
    """Propagate a supply shock and report its effects (see the module docstring).

    Parameters
    ----------
    network : FlowNetwork
    shocks : mapping of node id to change in [-1, 0]
        E.g. ``{"DGS": -0.5}`` (the mine at half output) or ``{"JL": -1}`` (closed).
    dimension : str, optional
        Propagate in this dimension only (default: every dimension of the network).
    break_below : float
        Share in (0, 1]: a flow keeping less than this share of its size is broken
        (default 0.5: a by-product exchange halved has usually lost its economic basis;
        pass a small value such as 0.01 to count only stopped flows).
    close_balances : bool
        See :func:`shock_factors`.
    loops : list, optional
        Loops as sequences of firm ids (each closing back to its first firm) whose
        breaking to report. By default, the loops found by the indicator comparison.
    indicators : bool
        Also compute every headline indicator before and after
        (:func:`symbiosis.scenarios.compare_networks`; stopped flows are removed from
        the network after). Costs one analysis of each network.
    options : symbiosis.Options, optional
        Loop-search bounds for the indicators.

    Returns
    -------
    ShockResult

    Complexity: O(F + V) per dimension plus the LU of the affected loops; with
    ``indicators``, plus two runs of the indicator passes (bounded loop search included).
    """
    break_below = _check_threshold(break_below)
    shocks = _check_shocks(network, shocks)
    shocked, retained, factors = propagate(
        network, shocks, dimension=dimension, close_balances=close_balances
    )
    after = shocked.with_tables(flows=shocked.flows[(retained > 0.0).to_numpy()])
    comparison = None
    if indicators:
        from ..scenarios import compare_networks

        comparison = compare_networks(network, {"shock": after}, options=options)
        if loops is None:
            loops = sorted(comparison.before.loops)
    dimensions = tuple(factors)
    flows = _flow_table(network, retained, dimensions, break_below)
    firms = _firm_table(network, shocked, factors)
    totals = _totals(network, shocked, flows, firms, dimensions)
    warnings = _shock_warnings(network, shocks, dimensions)
    broken = _broken_loops(loops, network, retained, break_below) if loops is not None else []
    return ShockResult(
        shocks=shocks,
        dimensions=dimensions,
        break_below=break_below,
        close_balances=close_balances,
        firms=firms,
        flows=flows,
        totals=totals,
        broken_loops=broken,
        comparison=comparison,
        network_after=after,
        warnings=warnings,
    )


def _flow_table(
    network: FlowNetwork, retained: pd.Series, dimensions: tuple[str, ...], break_below: float
) -> pd.DataFrame:
    flows = network.flows
    shrinks = (retained < 1.0).to_numpy() & flows["dimension"].isin(dimensions).to_numpy()
    chosen = flows[shrinks]
    before = chosen["value"].to_numpy(dtype=float)
    kept = retained[shrinks].to_numpy()
    internal = network.source_is_actor[shrinks] & network.target_is_actor[shrinks]
    table = pd.DataFrame(
        {
            "source": chosen["source"],
            "target": chosen["target"],
            "material": chosen["material"],
            "category": chosen["category"],
            "dimension": chosen["dimension"],
            "value_before": before,
            "value_after": before * kept,
            "retained": kept,
            "broken": kept < break_below,
            "exchange": internal & chosen["category"].isin(RESIDUAL_CATEGORIES).to_numpy(),
        },
        index=chosen.index,
    )
    table.index.name = "flow"
    lost = (table["value_before"] - table["value_after"]).fillna(0.0)
    return table.iloc[np.lexsort((table.index.to_numpy(), -lost.to_numpy()))]


def _node_sums(network: FlowNetwork, values: np.ndarray, dimension: str, positions) -> np.ndarray:
    """Sum of known ``values`` of one dimension per node position. O(F), no groupby."""
    mask = (network.flows["dimension"] == dimension).to_numpy() & ~np.isnan(values)
    return np.bincount(positions[mask], values[mask], minlength=network.n_firms)


def _firm_table(
    network: FlowNetwork, shocked: FlowNetwork, factors: dict[str, np.ndarray]
) -> pd.DataFrame:
    frames = []
    is_actor = network.firms["actor"].to_numpy(dtype=bool)
    before = network.flows["value"].to_numpy(dtype=float)
    after = shocked.flows["value"].to_numpy(dtype=float)
    targets, sources = network.target_positions, network.source_positions
    for dimension, factor in factors.items():
        before_in = _node_sums(network, before, dimension, targets)
        after_in = _node_sums(network, after, dimension, targets)
        out = _node_sums(network, before, dimension, sources)
        lost = before_in - after_in
        affected = is_actor & ((lost > 0) | ((factor < 1.0) & (out > 0)))
        with np.errstate(invalid="ignore", divide="ignore"):
            share = np.where(before_in > 0, lost / np.where(before_in > 0, before_in, 1), np.nan)
        frame = pd.DataFrame(
            {
                "firm": network.firms.index[affected],
                "dimension": dimension,
                "name": network.firms["name"].to_numpy()[affected]
                if "name" in network.firms
                else "",
                "recorded_input": before_in[affected],
                "input_after": after_in[affected],
                "input_lost": lost[affected],
                "input_lost_share": share[affected],
                "output_factor": factor[affected],
                "output_lost": out[affected] * (1.0 - factor[affected]),
            }
        )
        # Sort on rounded keys so that equal shares (up to solver rounding) tie by id.
        keys = (
            frame["firm"].to_numpy(dtype=str),
            -np.nan_to_num(frame["input_lost_share"].round(9).to_numpy(), nan=-1.0),
            frame["output_factor"].round(9).to_numpy(),
        )
        frame = frame.iloc[np.lexsort(keys)]
        frames.append(frame)
    columns = [
        "firm",
        "dimension",
        "name",
        "recorded_input",
        "input_after",
        "input_lost",
        "input_lost_share",
        "output_factor",
        "output_lost",
    ]
    table = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=columns)
    return table.set_index(["firm", "dimension"])


def _totals(network, shocked, flows, firms, dimensions) -> dict[str, dict[str, float]]:
    totals = {}
    internal = network.source_is_actor & network.target_is_actor
    from_actor = network.source_is_actor
    residual = network.flows["category"].isin(RESIDUAL_CATEGORIES).to_numpy()
    for dimension in dimensions:
        in_dim = (network.flows["dimension"] == dimension).to_numpy()
        before = network.flows["value"].to_numpy(dtype=float)
        after = shocked.flows["value"].to_numpy(dtype=float)

        def total(values, mask, in_dim=in_dim):
            return float(np.nansum(values[mask & in_dim]))

        of_dimension = flows[flows["dimension"] == dimension]
        affected_firms = int((firms.index.get_level_values("dimension") == dimension).sum())
        totals[dimension] = {
            "output_before": total(before, from_actor),
            "output_after": total(after, from_actor),
            "internal_before": total(before, internal),
            "internal_after": total(after, internal),
            "exchanged_before": total(before, internal & residual),
            "exchanged_after": total(after, internal & residual),
            "actors_affected": affected_firms,
            "flows_broken": int(of_dimension["broken"].sum()),
            "exchanges_broken": int((of_dimension["broken"] & of_dimension["exchange"]).sum()),
        }
    return totals


def _shock_warnings(network, shocks, dimensions) -> tuple[str, ...]:
    warnings = []
    flows = network.flows
    for node in shocks:
        outgoing = flows[(flows["source"] == node) & flows["dimension"].isin(dimensions)]
        if outgoing.empty:
            warnings.append(
                f"'{node}' has no outgoing flow in {', '.join(dimensions) or 'any dimension'}: "
                "the shock changes nothing"
            )
        elif outgoing["value"].isna().all():
            warnings.append(
                f"every outgoing flow of '{node}' has an unknown size: nothing is passed on"
            )
    return tuple(warnings)


def _broken_loops(
    loops: list, network: FlowNetwork, retained: pd.Series, break_below: float
) -> list[dict]:
    """Loops with at least one broken arc. An arc (firm a to firm b) is broken when every
    flow on it keeps less than ``break_below`` of its size (flows of no known dimension
    never break). O(F + loops x length)."""
    flows = network.flows
    broken = pd.Series(
        (retained < break_below).to_numpy() & flows["dimension"].notna().to_numpy(),
        index=pd.MultiIndex.from_arrays([flows["source"], flows["target"]]),
    )
    per_arc = broken.groupby(level=[0, 1]).all()
    broken_arcs = set(per_arc[per_arc].index)
    result = []
    for loop in loops:
        members = list(loop)
        arcs = list(zip(members, members[1:] + members[:1], strict=True))
        cut = [arc for arc in arcs if arc in broken_arcs]
        if cut:
            result.append({"firms": members, "broken_arcs": [list(arc) for arc in cut]})
    return result
