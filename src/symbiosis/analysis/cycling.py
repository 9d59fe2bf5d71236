"""How circular is the system: ecological network analysis (ENA) cycling metrics.

Two families of metrics, computed on the **actors** (boundary nodes are the outside world):

Flow metrics, per dimension (tonnes with tonnes, GJ with GJ, never mixed), after enaR's
``enaFlow`` (Borrett & Lau 2014) and Finn (1976):

``throughflow`` T_i
    What passes through actor ``i``. Industrial data are rarely balanced, so with the
    default rule ``"max"`` the throughflow is the larger of the recorded inflow (from
    actors and boundary nodes) and the recorded outflow; the difference is an
    *unrecorded boundary flow* that closes the actor's balance: an unrecorded input
    (ore from the ground, air, water) when the outflow is larger, an unrecorded output
    (losses, emissions, stock build-up) when the inflow is larger. Each actor's
    imbalance is reported. On a balanced network the rule changes nothing, and the rule
    ``"inflow"`` reproduces enaR exactly (``T_i`` = inflow; recorded boundary flows only;
    ``"input"`` is accepted as its earlier name); ``"outflow"`` takes ``T_i`` = outflow,
    also with the recorded boundary flows only. Those two add no unrecorded flow.
``total_system_throughflow`` (TST) = sum of T_i.
``total_system_throughput`` (TSTp) = internal flows + boundary inputs + boundary outputs
    (including the unrecorded ones under ``"max"``).
``average_path_length`` (APL) = TST / boundary input: how many actors a unit entering
    the system passes through on average (Finn 1976).
``finn_cycling_index`` (FCI) = TSTc / TST, with ``cycled_throughflow`` TSTc =
    sum_i (1 - 1/n_ii) T_i and ``n_ii`` the diagonal of ``N = (I - G)^-1``,
    ``g_ij = F_ij / T_i``. FCI is the share of throughflow that comes back. It needs
    only the diagonal of N on the cyclic strongly connected components
    (:mod:`symbiosis.analysis._linalg`). A loop that nothing leaves makes ``I - G``
    singular: the FCI is then ``None`` with the reason and the actors of the loop,
    never a number from a singular or ill-conditioned matrix.

Structural metrics, on the binary actor network with every flow (known size or not, any
dimension; a loop can close with water one way and steam the other), after enaR's
``enaStructure`` and Layton et al. (2016): ``cyclicity`` (spectral radius of the
adjacency matrix: 0 no cycle, 1 simple cycles, above 1 nested cycling), ``connectance``
L/n^2, ``linkage_density`` L/n (n actors, L distinct directed actor pairs with a flow),
``strong_components`` (number of SCCs, singletons included), ``cyclic_components``
(SCCs of two actors or more) and the share of actors in them. Each dimension also gets
its own structural figures, labelled ``structure`` inside that dimension.

Complexity: O(n + m) for sums, components and connectance; the spectral radius and the
FCI cost what their largest cyclic component costs (see :mod:`._linalg`): about 0.1 s and
8 s for a component of 8,000 firms.

References
----------
Borrett, S.R. & Lau, M.K. 2014. enaR: an R package for ecological network analysis.
Methods Ecol. Evol. 5: 1206-1213.
Finn, J.T. 1976. Measures of ecosystem structure and function derived from analysis of
flows. J. Theor. Biol. 56: 363-380.
Layton, A., Bras, B. & Weissburg, M. 2016. Industrial ecosystems and food webs.
J. Ind. Ecol. (doi:10.1111/jiec.12283).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .._frozen import FrozenResult
from ..arguments import Arguments
from ..core import Core
from ..model import FlowNetwork, require_network
from ..options import BALANCE_CHOICES
from ..units import DIMENSIONS, yearly_unit
from ._condensation import network_components
from .ena_balance import balance as balance_system
from .ena_flow import (
    THROUGHFLOW_RULES,
    FlowStatistics,
    StructureStatistics,
    flow_statistics,
    rule_name,
    structure_statistics,
)
from .ena_network import ena_metrics

__all__ = [
    "THROUGHFLOW_RULES",
    "CyclingResult",
    "DimensionCycling",
    "FlowStatistics",
    "StructureStatistics",
    "cycling",
    "flow_statistics",
    "network_structure",
    "structure_statistics",
]

# How many of the most imbalanced actors :meth:`DimensionCycling.to_dict` lists.
IMBALANCES_LISTED = 20


def network_structure(network: FlowNetwork, dimension: str | None = None) -> StructureStatistics:
    """:func:`structure_statistics` of the actor network: every actor-to-actor flow, or
    those whose unit is of ``dimension``, known size or not. Computed once per network
    and dimension (the cycling and loops passes share it)."""
    core = network.core
    within = None if dimension is None else cyclic_actors(network)

    def build() -> StructureStatistics:
        adjacency = core.adjacency(dimension)
        if dimension is not None:
            return structure_statistics(adjacency, within)
        # the graph of the shared condensation: its components are found once for both
        return structure_statistics(adjacency, components=network_components(network))

    return core.cached(("structure", dimension), build)


def cyclic_actors(network: FlowNetwork) -> np.ndarray:
    """Positions of the actors in a loop of any flows: every loop of one dimension's
    flows is among them (its arcs are some of all the arcs). O(actors), cached."""

    def build() -> np.ndarray:
        groups = network_structure(network).components
        return np.sort(np.concatenate(groups)) if groups else np.zeros(0, dtype=np.int64)

    return network.core.cached(("cyclic actors",), build)


# ====================================================================== network level


@dataclass(frozen=True, eq=False)
class DimensionCycling(FrozenResult):
    """Cycling metrics of the actor network in one dimension.

    ``statistics`` holds the ENA flow metrics (:class:`FlowStatistics`), ``structure``
    the structural metrics of the flows of this dimension only, ``ids`` the actors' ids
    (in the order of the statistics' arrays), :attr:`actors` one row per actor with a
    flow in this dimension, ``problem`` why the FCI is missing (or ``None``),
    ``flows_unknown_quantity`` the flows of this dimension touching an actor that have no
    size (left out of the flow metrics), ``imbalanced_actors`` how many actors have a
    relative imbalance above ``balance_tolerance``.
    """

    dimension: str
    unit: str
    statistics: FlowStatistics = field(repr=False)
    structure: StructureStatistics = field(repr=False)
    ids: pd.Index = field(repr=False)
    flows_used: int
    flows_unknown_quantity: int
    balance_tolerance: float
    imbalanced_actors: int
    problem: str | None
    ena: dict = field(default_factory=dict, repr=False)

    @property
    def actors(self) -> pd.DataFrame:
        """One row per actor with a flow in this dimension: inflow, outflow, throughflow,
        unrecorded input and output, imbalance = inflow - outflow, relative imbalance =
        |imbalance| / throughflow, n_ii. Built from the statistics at each call, not kept:
        at a million flows the three dimensions' tables held about 60 MB. O(actors)."""
        return _actor_table(self.statistics, self.ids)

    @property
    def finn_cycling_index(self) -> float | None:
        return self.statistics.finn_cycling_index

    def metrics(self, with_flows: int | None = None) -> dict:
        """The scalar metrics (the keys of the report); ``with_flows``, the number of
        actors with flows, when the caller has counted them."""
        s = self.statistics
        if with_flows is None:
            with_flows = int(np.count_nonzero(_with_flows(s)))
        return {
            "unit": self.unit,
            "total_system_throughflow": s.total_system_throughflow,
            "total_system_throughput": s.total_system_throughput,
            "finn_cycling_index": s.finn_cycling_index,
            "cycled_throughflow": s.cycled_throughflow,
            "average_path_length": s.average_path_length,
            "boundary_input": s.total_boundary_input,
            "unrecorded_input": float(s.unrecorded_input.sum()),
            "unrecorded_output": float(s.unrecorded_output.sum()),
            "flows_used": self.flows_used,
            "flows_unknown_quantity": self.flows_unknown_quantity,
            "actors_with_flows": with_flows,
            "imbalanced_actors": self.imbalanced_actors,
            "problem": self.problem,
        }

    def to_dict(self) -> dict:
        # the listed rows of :attr:`actors`, read from the statistics (no table built)
        # (the actors with flows only: at a million flows most actors have none here)
        s = self.statistics
        with_flows, imbalance, relative = _imbalances_with_flows(s)
        worst = np.flatnonzero(relative > self.balance_tolerance)
        listed = worst[_largest_first(np.abs(imbalance[worst]), IMBALANCES_LISTED)]
        actors = with_flows[listed]
        columns = ["inflow", "outflow", "imbalance", "relative_imbalance"]
        arrays = (s.inflow[actors], s.outflow[actors], imbalance[listed], relative[listed])
        values = dict(zip(columns, arrays, strict=True))
        ids = self.ids[actors]
        return {
            **self.metrics(len(with_flows)),
            "largest_imbalances": [
                {"id": str(actor), **{c: _number(values[c][k]) for c in columns}}
                for k, actor in enumerate(ids)
            ],
            "structure": self.structure.to_dict(),
            "ena": dict(self.ena),
        }


def _largest_first(values: np.ndarray, k: int) -> np.ndarray:
    """Positions of the ``k`` largest ``values``, largest first, ties in position order:
    ``np.argsort(-values, kind="stable")[:k]`` without sorting them all. O(n + k log k)."""
    if k <= 0:
        return np.zeros(0, dtype=np.int64)
    if len(values) <= k:
        return np.argsort(-values, kind="stable")
    threshold = np.partition(values, len(values) - k)[len(values) - k]
    candidates = np.flatnonzero(values >= threshold)  # every tie of the k-th value too
    return candidates[np.argsort(-values[candidates], kind="stable")[:k]]


@dataclass(frozen=True, eq=False)
class CyclingResult(FrozenResult):
    """Cycling metrics of a network: ``structure`` of the whole actor network (all
    flows, all dimensions) and one :class:`DimensionCycling` per dimension with flows.
    ``actors`` are the actor ids, aligned with the structure's node positions."""

    throughflow_rule: str
    structure: StructureStatistics = field(repr=False)
    dimensions: dict[str, DimensionCycling] = field(repr=False)
    actors: pd.Index = field(repr=False)
    balance: str = "none"

    def __getitem__(self, dimension: str) -> DimensionCycling:
        return self.dimensions[dimension]

    def to_dict(self) -> dict:
        return {
            "throughflow_rule": self.throughflow_rule,
            "balance": self.balance,
            "actors": self.structure.nodes,
            "links": self.structure.links,
            "cyclicity": self.structure.cyclicity,
            "connectance": self.structure.connectance,
            "linkage_density": self.structure.linkage_density,
            "strong_components": self.structure.strong_components,
            "cyclic_components": self.structure.cyclic_components,
            "share_in_cycles": self.structure.share_in_cycles,
            "largest_component": self.structure.largest_component,
            "dimensions": {d: result.to_dict() for d, result in self.dimensions.items()},
        }

    def to_frame(self) -> pd.DataFrame:
        """The flow metrics, one row per dimension."""
        frame = pd.DataFrame.from_dict(
            {d: result.metrics() for d, result in self.dimensions.items()}, orient="index"
        )
        frame.index.name = "dimension"
        return frame


def cycling(
    network: FlowNetwork,
    *,
    throughflow: str = "max",
    balance_tolerance: float = 0.05,
    balance: str = "none",
) -> CyclingResult:
    """Cycling metrics of the actor network: structure, and ENA flow metrics per dimension.

    Flows between actors are the internal flows ``F``; flows from a boundary node to an
    actor are recorded inputs, flows from an actor to a boundary node recorded outputs;
    flows between two boundary nodes are outside the system and ignored. Flows of unknown
    size are left out of the flow metrics (and counted) but are links of the structure.
    ``balance_tolerance`` is the relative imbalance above which an actor counts as
    imbalanced (enaR's ``ssCheck`` uses 5 %). ``balance`` (``"avg"``, ``"avg2"``, ``"io"``
    or ``"oi"``; default ``"none"``) first balances each dimension's system by enaR's
    ``balance()`` (Allesina & Bondavalli 2003, :func:`.ena_balance.balance`), leaving a
    system already within ``balance_tolerance`` as it is, as enaR does; the metrics are
    then those of the balanced flows (one sparse LU per step: see that function's cost).

    Complexity: O(flows) plus, per dimension, the cost of :func:`flow_statistics`.
    """
    require_network(network)
    check = Arguments()
    check.number("balance_tolerance", balance_tolerance, minimum=0, infinite=True)
    check.choice("balance method", balance, BALANCE_CHOICES)
    check.check()
    throughflow = rule_name(throughflow)
    results = {
        dimension: _dimension_cycling(network, dimension, throughflow, balance_tolerance, balance)
        for dimension in network.dimensions
    }
    return CyclingResult(
        throughflow_rule=throughflow,
        structure=network_structure(network),
        dimensions=results,
        actors=network.actors,
        balance=balance,
    )


def _dimension_cycling(
    network: FlowNetwork, dimension: str, rule: str, tolerance: float, method: str
) -> DimensionCycling:
    core = network.core
    n_actors = len(core.actor_nodes)
    known = core.in_dimension(dimension)
    declared = core.unit_dimension == DIMENSIONS.index(dimension)
    from_actor, to_actor = core.source_is_actor, core.target_is_actor
    imports = known & ~from_actor & to_actor
    exports = known & from_actor & ~to_actor
    target = core.actor_index[core.target[imports]]
    source = core.actor_index[core.source[exports]]
    inputs = np.bincount(target, weights=core.value[imports], minlength=n_actors)
    outputs = np.bincount(source, weights=core.value[exports], minlength=n_actors)
    ids = network.actors
    matrix, note = core.matrix(dimension), None
    if method != "none":
        matrix, inputs, outputs, note = _balanced(matrix, inputs, outputs, method, tolerance)
    # Balancing rescales flows and adds none: the loops stay among the same actors.
    statistics = flow_statistics(matrix, inputs, outputs, throughflow=rule,
                                 within=cyclic_actors(network))  # fmt: skip
    touching = declared & (from_actor | to_actor)
    relative = _imbalances_with_flows(statistics)[2]
    failures: str | None = (
        _no_throughflow(core, known, rule)
        if statistics.total_system_throughflow == 0
        else _describe_failures(statistics, ids)
    )
    return DimensionCycling(
        dimension=dimension,
        unit=yearly_unit(dimension, network.summed_years),
        statistics=statistics,
        structure=network_structure(network, dimension),
        ids=ids,
        flows_used=int((known & (from_actor | to_actor)).sum()),
        flows_unknown_quantity=int((touching & ~known).sum()),
        balance_tolerance=tolerance,
        imbalanced_actors=int(np.count_nonzero(relative > tolerance)),
        problem=" ".join(p for p in (note, failures) if p) or None,
        ena=ena_metrics(matrix, statistics, _exports(core, known, n_actors)),
    )


def _exports(core, known: np.ndarray, n_actors: int) -> np.ndarray:
    """Known outputs of each actor to boundary nodes other than the environment (markets,
    disposal): Ulanowicz's exports, as against respiration (emissions)."""
    environment = core.has_role(core.target, "environment")
    pick = known & core.source_is_actor & ~core.target_is_actor & ~environment
    source = core.actor_index[core.source[pick]]
    return np.bincount(source, weights=core.value[pick], minlength=n_actors)


def _balanced(matrix, inputs, outputs, method: str, tolerance: float):
    """The system balanced by ``method`` (enaR's ``balance()``), or as recorded with a note
    saying why it could not be balanced (a loop that nothing leaves)."""
    try:
        result = balance_system(matrix, inputs, outputs, method=method, tolerance=tolerance)
    except ValueError as error:
        note = f"Not balanced ({method}): {error}; the metrics use the recorded flows."
        return matrix, inputs, outputs, note
    return result.flows, result.inputs, result.outputs, None


def _relative_imbalance(s: FlowStatistics) -> tuple[np.ndarray, np.ndarray]:
    """Each actor's imbalance (inflow - outflow) and |imbalance| / throughflow (0 without
    throughflow)."""
    imbalance = s.inflow - s.outflow
    return imbalance, _relative(imbalance, s.throughflow)


def _imbalances_with_flows(s: FlowStatistics) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """:func:`_relative_imbalance` of the actors with flows only, and their positions:
    the same values, without arrays over every actor. O(actors)."""
    with_flows = np.flatnonzero(_with_flows(s))
    inflow, outflow = s.inflow[with_flows], s.outflow[with_flows]
    throughflow = s.throughflow[with_flows]
    imbalance = inflow - outflow
    return with_flows, imbalance, _relative(imbalance, throughflow)


def _relative(imbalance: np.ndarray, throughflow: np.ndarray) -> np.ndarray:
    """|imbalance| / throughflow, 0 without throughflow; inf past the largest float (a
    denormal throughflow), without numpy's warning."""
    with np.errstate(over="ignore"):
        return np.divide(
            np.abs(imbalance), throughflow, out=np.zeros_like(imbalance), where=throughflow > 0
        )


def _with_flows(s: FlowStatistics) -> np.ndarray:
    """Mask of the actors with a flow in or out."""
    return (s.inflow > 0) | (s.outflow > 0)


def _actor_table(statistics: FlowStatistics, ids: pd.Index) -> pd.DataFrame:
    s = statistics
    imbalance, relative = _relative_imbalance(s)
    frame = pd.DataFrame(
        {
            "inflow": s.inflow,
            "outflow": s.outflow,
            "throughflow": s.throughflow,
            "unrecorded_input": s.unrecorded_input,
            "unrecorded_output": s.unrecorded_output,
            "imbalance": imbalance,
            "relative_imbalance": relative,
            "integral_diagonal": s.integral_diagonal,
        },
        index=ids,
    )
    frame.index.name = "id"
    return frame[_with_flows(s)]


# The flows whose sizes make the throughflow under each rule (enaR's "input" is "inflow").
_COUNTED_FLOWS = {
    "max": "to or from actors",
    "inflow": "between or into actors",
    "outflow": "between or out of actors",
}


def _no_throughflow(core: Core, known: np.ndarray, rule: str) -> str:
    """Why the total system throughflow is 0 under ``rule``: no flow of known size counts
    for it, or every one that does is 0 (sizes known, so not "no flow of known size", as
    a tester's two flows of 0 t were told). O(flows)."""
    into, out_of = core.target_is_actor[known], core.source_is_actor[known]
    counted = {"inflow": into, "outflow": out_of}.get(rule, into | out_of)
    where = _COUNTED_FLOWS.get(rule, _COUNTED_FLOWS["max"])
    if counted.any():
        return f"every flow of known size {where} is 0: no throughflow"
    return f"no flow of known size {where}"


def _describe_failures(statistics: FlowStatistics, ids: pd.Index) -> str | None:
    if not statistics.failures:
        return None
    parts = []
    for failure in statistics.failures[:5]:
        members = [str(ids[i]) for i in failure.members[:8]]
        more = len(failure.members) - len(members)
        names = ", ".join(members) + (f" and {more} more" if more > 0 else "")
        parts.append(f"{failure.reason} in the loop of {len(failure.members)} actors ({names})")
    extra = len(statistics.failures) - len(parts)
    text = "; ".join(parts) + (f"; and {extra} more such loops" if extra > 0 else "")
    return (
        "Finn cycling index not computed: I - G is singular or ill-conditioned: " + text + ". "
        "Record where these actors' material leaves (outputs to a boundary node)."
    )


def _number(value) -> float | None:
    value = float(value)
    return value if np.isfinite(value) else None
