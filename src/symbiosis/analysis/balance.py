"""Firm balances: recorded inputs against recorded outputs of every actor, per dimension.

A firm transforms what it takes in into what it sends out, so in a complete account its
inputs and outputs of one dimension match (in a steady year, with no stock change). In a
symbiosis inventory they rarely do: air, oxygen, fuels, water, moisture and losses are
seldom recorded as flows. An imbalance is therefore normal; this pass is a *data-gap
finder* that shows where the records are thin before anyone trusts the indicators built
on them (the reuse share, the origin tracing of :mod:`symbiosis.analysis.structure`).

For actor ``j`` and one dimension, over its flows of known size (boundary flows included):

``imbalance = inputs - outputs`` and
``relative_imbalance = imbalance / max(inputs, outputs)`` (in [-1, 1]; 0 when both are 0).

The actor is *flagged* when ``|relative_imbalance| > tolerance``. ``status`` says which
way: ``balanced``; ``more in`` (unrecorded outputs: emissions, losses, stock); ``more
out`` (unrecorded inputs: air, fuel, water); ``no inputs`` / ``no outputs`` (a whole side
missing); ``not checked`` for extraction actors, whose main input (ore from the ground,
crops from the field) is never a flow, so their imbalance is shown but never flagged.
A row with a whole side missing names in ``other_dimensions`` the other dimensions in which
the actor has that side (known inputs, or outputs, above 0): a biogas plant that takes its
effluent in m3 and sends digestate in t has ``no inputs`` in mass, its inputs in
``volume``; dimensions are never balanced against each other, so that is a hint, not a gap.
Flows of unknown size cannot be balanced: ``unsized_flows`` counts those touching the
actor in the row's dimension (their unit's; a flow without a unit counts in every
dimension, since it may be any), a hint that the imbalance may be a gap rather than a
loss: a missing mass figure cannot explain an energy gap.

Conventions compared: enaR's ``ssCheck`` tests ``|Tin - Tout| / Tout < 5 %`` per node;
STAN and flodym check ``inputs - outputs - stock change`` per process against a tolerance
(flodym: a relative tolerance times the flow magnitude, PR #127). The symmetric
denominator used here equals enaR's to first order for nearly balanced nodes, stays in
[-1, 1] for one-sided nodes, and treats missing inputs and missing outputs alike. The
default tolerance, 5 %, is enaR's.

Complexity: O(f) for f flows (``np.bincount`` over node positions, per dimension).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property, partial
from typing import Any

import numpy as np
import pandas as pd

from .._frozen import FrozenResult
from .._sorting import lexorder
from ..arguments import Arguments
from ..model import FlowNetwork, require_network
from ..units import DIMENSIONS, yearly_unit
from ..vocabulary import ROLES
from ._flowsums import DIMENSION_LABELS, Arrays, Columns, ranked
from ._records import LISTED_ROWS, checked_limit, records

__all__ = ["STATUSES", "FirmBalances", "check_tolerance", "firm_balances", "throughflow"]

STATUSES: tuple[str, ...] = (
    "balanced",
    "more in",
    "more out",
    "no inputs",
    "no outputs",
    "not checked",
)
STATUS_LABELS = np.array(STATUSES, dtype=object)
ROLE_LABELS = np.array(ROLES, dtype=object)
DEFAULT_TOLERANCE = 0.05


@dataclass(frozen=True)
class FirmBalances(FrozenResult):
    """Inputs against outputs of every actor, per dimension.

    Attributes
    ----------
    table : DataFrame
        One row per (dimension, actor) with flows of known size in that dimension:
        ``dimension``, ``firm``, ``name``, ``role``, ``inputs``, ``outputs``,
        ``imbalance``, ``relative_imbalance``, ``status``, ``flagged``,
        ``unsized_flows``, ``other_dimensions`` (a row of status ``no inputs`` or ``no
        outputs``: the other dimensions, joined by ``, ``, in which the actor has that side;
        else None); flagged rows first, then largest ``|imbalance|``.
    tolerance : float
        The relative tolerance used.
    summary : DataFrame
        One row per dimension: ``unit``, ``actors``, ``checked``, ``flagged``,
        ``flagged_share`` (of checked), ``inputs``, ``outputs`` (sums over actors).
    """

    rows: Columns = field(repr=False)
    tolerance: float
    summary: pd.DataFrame
    # the alphabetical rank of each row's actor (the arrays' rows): the flagged rows' tie
    ranks: np.ndarray = field(repr=False)

    @property
    def table(self) -> pd.DataFrame:
        return self.rows.frame

    @property
    def flagged(self) -> pd.DataFrame:
        """The rows beyond the tolerance."""
        return self._flagged_rows.frame

    @cached_property
    def _flagged_rows(self) -> Columns:
        # The table's order restricted to the flagged rows is (dimension, largest
        # |imbalance|, id): ranked, so that a report's first rows need no full sort.
        columns = self.rows.columns
        flagged = np.flatnonzero(columns["flagged"])
        dimension = columns["dimension"][1][flagged]
        size = np.abs(columns["imbalance"][flagged])
        return ranked(columns, dimension, size, self.ranks[flagged], subset=flagged)

    def to_frame(self) -> pd.DataFrame:
        return self.table

    def heads(self, limit: int, *, every_firm: bool = False) -> list[tuple[str, pd.DataFrame, int]]:
        """Per dimension: its name, its first ``limit`` flagged rows (``every_firm``: rows)
        as a frame, and how many it has; the text report's view, without building the
        whole table (460k flagged rows at a million flows). O(rows)."""
        check = Arguments()
        checked_limit(limit, none=False, check=check)
        every_firm = check.flag("every_firm", every_firm)
        check.check()
        return (self.rows if every_firm else self._flagged_rows).heads(limit)

    def to_dict(
        self, *, every_firm: bool = False, limit: int | None = LISTED_ROWS
    ) -> dict[str, Any]:
        """Summary per dimension and the flagged rows (at most ``limit`` per dimension,
        largest imbalance first; ``None``: all); with ``every_firm`` also the whole table
        under ``"firms"`` (``symbiosis balance --all``). ``rows`` gives the full counts.
        A ``limit`` that is not a whole number >= 0 or None is an InputError."""
        check = Arguments()
        limit = checked_limit(limit, check=check)
        every_firm = check.flag("every_firm", every_firm)
        check.check()
        dimensions = {row.pop("dimension"): row for row in records(self.summary)}
        flagged = self._flagged_rows
        result = {
            "tolerance": self.tolerance,
            "dimensions": dimensions,
            "flagged": flagged.records(limit, lazy=True),
            "rows": {"flagged": len(flagged)},
        }
        if every_firm:
            result["firms"] = self.rows.records(limit, lazy=True)
            result["rows"]["firms"] = len(self.rows)
        return result


def throughflow(network: FlowNetwork, dimension: str) -> pd.Series:
    """Throughflow of each actor in ``dimension``: ``T_j = max(inputs_j, outputs_j)``.

    The larger side closes the balance: when outputs exceed the recorded inputs, the
    difference is an unrecorded input (ore from the ground, air, fuel); when inputs
    exceed outputs, an unrecorded output (losses, emissions, stock). Indexed by actor
    id, in the order of ``network.actors``. O(f) once per network (the core's).
    """
    core = network.core
    through = core.throughflow(dimension)[core.actor_nodes]
    return pd.Series(through, index=network.actors, name="throughflow")


def check_tolerance(tolerance: float) -> None:
    """Raise :class:`~symbiosis.errors.InputError` unless ``tolerance`` is a number >= 0:
    what :func:`firm_balances` checks first, for a caller that reports it with the files'
    problems. O(1)."""
    check = Arguments()
    check.number("tolerance", tolerance, minimum=0, infinite=True, what=" (a share)")
    check.check()


def firm_balances(network: FlowNetwork, tolerance: float = DEFAULT_TOLERANCE) -> FirmBalances:
    """Compare each actor's recorded inputs and outputs, per dimension.

    Parameters
    ----------
    network : FlowNetwork
    tolerance : float, default 0.05
        Largest ``|relative_imbalance|`` still counted as balanced (0.05 = 5 %).

    Returns
    -------
    FirmBalances

    Raises
    ------
    InputError
        If ``tolerance`` is negative or not a number.

    Notes
    -----
    See the module docstring for the definitions. O(f) time and memory for f flows
    (``np.bincount`` over the flows' node positions, one pass per dimension).
    """
    require_network(network)
    check_tolerance(tolerance)
    tolerance = float(tolerance)
    arrays = Arrays(network)
    parts = [_dimension_rows(arrays, d) for d in network.dimensions]
    columns = (
        {key: np.concatenate([p[key] for p in parts]) for key in parts[0]}
        if parts
        else {
            "dimension": np.zeros(0, np.int64),
            "node": np.zeros(0, np.int64),
            "inputs": np.zeros(0),
            "outputs": np.zeros(0),
        }
    )
    ranks = arrays.rank[columns["node"]]
    rows = _classify(columns, arrays, tolerance, ranks, _sides(arrays, network.dimensions))
    return FirmBalances(
        rows=rows, tolerance=tolerance, summary=_summary(rows, network), ranks=ranks
    )


def _dimension_rows(arrays: Arrays, dimension: str) -> dict[str, np.ndarray]:
    """Actors with at least one flow of known size in ``dimension``."""
    inputs, outputs, touched = arrays.node_sums(dimension)
    node = np.flatnonzero(arrays.actor & (touched > 0))
    code = np.full(len(node), DIMENSIONS.index(dimension), dtype=np.int64)
    return {"dimension": code, "node": node, "inputs": inputs[node], "outputs": outputs[node]}


#: Each set of dimensions (a bit per dimension of :data:`DIMENSIONS`) as the
#: ``other_dimensions`` column writes it; None for the empty set.
SIDE_LABELS = np.array(
    [", ".join(d for k, d in enumerate(DIMENSIONS) if bits >> k & 1) or None
     for bits in range(2 ** len(DIMENSIONS))],
    dtype=object,
)  # fmt: skip


def _sides(arrays: Arrays, dimensions: tuple[str, ...]) -> tuple[np.ndarray, np.ndarray]:
    """Per node, the dimensions in which it has known inputs above 0, and those in which it
    has known outputs above 0, as bits of :data:`DIMENSIONS`. O(nodes x dimensions) on
    the cached node sums."""
    ins = np.zeros(len(arrays.ids), dtype=np.int64)
    outs = np.zeros(len(arrays.ids), dtype=np.int64)
    for dimension in dimensions:
        inputs, outputs, _ = arrays.node_sums(dimension)
        bit = 1 << DIMENSIONS.index(dimension)
        ins |= np.where(inputs > 0, bit, 0)
        outs |= np.where(outputs > 0, bit, 0)
    return ins, outs


def _classify(
    columns: dict[str, np.ndarray],
    arrays: Arrays,
    tolerance: float,
    ranks: np.ndarray,
    sides: tuple[np.ndarray, np.ndarray],
) -> Columns:
    """The table's columns; ``ranks``, the alphabetical rank of each row's actor;
    ``sides``, the dimensions of each node's inputs and outputs (:func:`_sides`)."""
    node, inputs, outputs = columns["node"], columns["inputs"], columns["outputs"]
    imbalance = inputs - outputs
    larger = np.maximum(inputs, outputs)
    with np.errstate(divide="ignore", invalid="ignore"):
        relative = np.where(larger > 0, imbalance / larger, 0.0)
    checked = ~arrays.has_role(node, "extraction")
    beyond = np.abs(relative) > tolerance
    status = np.select(
        [~checked, ~beyond, outputs == 0, inputs == 0, relative > 0],
        [STATUSES.index(s) for s in ("not checked", "balanced", "no outputs", "no inputs")]
        + [STATUSES.index("more in")],
        default=STATUSES.index("more out"),
    )
    flagged = checked & beyond
    # a side missing here but recorded in another dimension: name that dimension
    own = np.left_shift(1, columns["dimension"])
    other = np.select(
        [status == STATUSES.index("no inputs"), status == STATUSES.index("no outputs")],
        [sides[0][node] & ~own, sides[1][node] & ~own],
        default=0,
    )
    # sorted only when the whole table is asked for (a partial: results stay picklable)
    order = partial(_table_order, columns["dimension"], flagged, imbalance, ranks)
    return Columns(
        {
            "dimension": (DIMENSION_LABELS, columns["dimension"]),
            "firm": (arrays.ids, node),
            "name": (arrays.names, node),
            "role": (ROLE_LABELS, arrays.role_code[node]),
            "inputs": inputs,
            "outputs": outputs,
            "imbalance": imbalance,
            "relative_imbalance": relative,
            "status": (STATUS_LABELS, status),
            "flagged": flagged,
            "unsized_flows": _unsized_counts(arrays, node, columns["dimension"]),
            "other_dimensions": (SIDE_LABELS, other),
        },
        sort=order,
    )


def _table_order(
    dimension: np.ndarray, flagged: np.ndarray, imbalance: np.ndarray, rank: np.ndarray
) -> np.ndarray:
    """Rows by dimension, flagged first, largest |imbalance| first, then by id."""
    return lexorder(rank, -np.abs(imbalance), ~flagged, dimension)


def _unsized_counts(arrays: Arrays, node: np.ndarray, dimension: np.ndarray) -> np.ndarray:
    """Number of flows of unknown size touching each row's actor (as source or target) in
    the row's dimension: those whose unit is of that dimension, and those without a unit
    (their dimension unknown, they may be the missing figure of any). One ``np.bincount``
    over (node, unit dimension) keys: O(f + nodes + rows)."""
    unsized = np.flatnonzero(np.isnan(arrays.value))
    kinds = len(DIMENSIONS) + 1  # the last column: no unit, dimension unknown
    unit = arrays.core.unit_dimension[unsized].astype(np.int64)
    unit[unit < 0] = len(DIMENSIONS)
    ends = np.concatenate([arrays.source[unsized], arrays.target[unsized]])
    keys = ends * kinds + np.concatenate([unit, unit])
    counts = np.bincount(keys, minlength=len(arrays.ids) * kinds).reshape(-1, kinds)
    return counts[node, dimension] + counts[node, len(DIMENSIONS)]


def _summary(rows: Columns, network: FlowNetwork) -> pd.DataFrame:
    """One row per dimension of the network: counts and sums over its actors. O(rows)."""
    present = np.array([DIMENSIONS.index(d) for d in network.dimensions], dtype=np.int64)
    codes = rows.columns["dimension"][1]  # summed over every row: the order does not matter
    checked = rows.columns["status"][1] != STATUSES.index("not checked")

    def per_dimension(weights=None):
        return np.bincount(codes, weights, minlength=len(DIMENSIONS))[present]

    actors = per_dimension().astype(np.int64)
    checked_count = per_dimension(checked.astype(float)).astype(np.int64)
    flagged = per_dimension(rows.columns["flagged"].astype(float)).astype(np.int64)
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(checked_count > 0, flagged / checked_count, np.nan)
    return pd.DataFrame(
        {
            "dimension": list(network.dimensions),
            "unit": [yearly_unit(d, network.summed_years) for d in network.dimensions],
            "actors": actors,
            "checked": checked_count,
            "flagged": flagged,
            "flagged_share": share,
            "inputs": per_dimension(rows.columns["inputs"]),
            "outputs": per_dimension(rows.columns["outputs"]),
        }
    )
