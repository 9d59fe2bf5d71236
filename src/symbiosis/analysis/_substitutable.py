"""Inputs marked substitutable, and the warning on minor inputs that limit an actor.

The mark (the ``substitutable`` flow column, :mod:`symbiosis.io.substitutable`; a scenario's
``[[mark_flow]]``) says that a flow's receiver makes up for its loss from outside the
recorded flows: the shock models hold it at its full size (:mod:`.leontief`, :mod:`.ghosh`)
and the essential cut-off counts it as an import (:mod:`._cut_off`).

No default rule marks an input: whether a plant can do without one is not in the data (a
cement works runs without its 12 % of slag powder, but not without its 3 % of gypsum, its
set retarder). Instead, a result that rests on a *minor* necessary input, under
:data:`MINOR_SHARE` of its actor's recorded input in its dimension, is flagged, with the
way to mark it: :func:`minor_limit_warnings` (shock) and :func:`minor_cut_off_warnings`
(criticality).

Complexity: O(F) to read the column and for each warning pass.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from .._percent import percent
from ..model import FlowNetwork
from ..units import CANONICAL_UNITS, DIMENSIONS
from ..vocabulary import SUBSTITUTABLE

if TYPE_CHECKING:
    from ._cut_off import AtRisk
    from .leontief import Activity

__all__ = [
    "MINOR_SHARE",
    "minor_cut_off_warnings",
    "minor_limit_warnings",
    "substitutable_flows",
]

#: A necessary input below this share of its actor's recorded input (in its dimension) is
#: minor: an actor limited or cut off by one is flagged.
MINOR_SHARE = 0.2
#: How many actors are named one by one; the others are counted in one more line.
LISTED = 10
_MARK = (
    "every product an actor takes counts as necessary: if {actor} can do without it (more "
    "of another input, a grid, a market), mark the flow substitutable (substitutable = yes "
    "in the flows, or [[mark_flow]] in a scenario file; docs/scenarios.md)"
)
_SAME = 1e-9  # the Leontief solver's tolerance: a tie names the input


def substitutable_flows(network: FlowNetwork) -> np.ndarray:
    """Per flow of ``network.flows`` (the core's order): whether it is marked
    substitutable (``yes``; ``no`` and empty: False). All False without the column."""
    flows = network.flows
    if SUBSTITUTABLE not in flows:
        return np.zeros(len(flows), dtype=bool)
    return flows[SUBSTITUTABLE].fillna(False).to_numpy(dtype=bool)


def minor_limit_warnings(network: FlowNetwork, activity: Activity) -> tuple[str, ...]:
    """One warning per actor whose output a minor product input limits under the Leontief
    model (its scarcest product group, under :data:`MINOR_SHARE` of its recorded input in
    the group's dimension, sets its output factor in some dimension), most cut first;
    the first :data:`LISTED` named, the others counted. O(F)."""
    core = network.core
    factors = activity.factors
    limited = (activity.limiting >= 0) & core.actor
    limited &= ((factors < 1.0) & (activity.activity[:, None] <= factors + _SAME)).any(axis=1)
    nodes = np.flatnonzero(limited)
    if not len(nodes):
        return ()
    pool, flow = activity.pool, activity.limiting[nodes]
    sized = pool >= 0
    supply = np.bincount(pool[sized], core.value[sized], minlength=len(activity.kept))
    size, dimension = supply[pool[flow]], core.dimension[flow].astype(np.int64)
    minor = _is_minor(network, nodes, size, dimension)
    nodes, flow, size, dimension = nodes[minor], flow[minor], size[minor], dimension[minor]
    order = np.lexsort((core.ids[nodes].astype(str), activity.activity[nodes]))
    found = []
    for k in order[:LISTED].tolist():
        members = np.flatnonzero(pool == pool[flow[k]])
        actor = _name(network, nodes[k])
        found.append(
            f"{actor} keeps {percent(activity.activity[nodes[k]])} of its output, limited by "
            f"{_said(network, nodes[k], members, size[k], dimension[k], activity)}: "
            f"{_MARK.format(actor=actor)}"
        )
    return _listed(found, len(nodes), "limited by")


def minor_cut_off_warnings(network: FlowNetwork, risk: AtRisk, dimension: str) -> tuple[str, ...]:
    """One warning per actor that the essential cut-off counts as cut off through a minor
    group (``risk``: the groups one actor's removal fails,
    :func:`~symbiosis.analysis._cut_off.essential_cut_off`), the first :data:`LISTED`
    named, the others counted. O(F)."""
    core = network.core
    nodes = core.actor_nodes[risk.owner].astype(np.int64)
    index = np.full(len(nodes), DIMENSIONS.index(dimension), dtype=np.int64)
    minor = np.flatnonzero(_is_minor(network, nodes, risk.size, index))
    minor = minor[np.argsort(core.ids[nodes[minor]].astype(str), kind="stable")]
    minor = minor[np.r_[True, nodes[minor][1:] != nodes[minor][:-1]][: len(minor)]]  # once
    found = []
    for k in minor[:LISTED].tolist():
        actor = _name(network, nodes[k])
        found.append(
            f"{actor} is counted as cut off when it loses "
            f"{_said(network, nodes[k], risk.rows(k), risk.size[k], index[k])}: "
            f"{_MARK.format(actor=actor)}"
        )
    return _listed(found, len(minor), "cut off through")


def _intake(network: FlowNetwork, nodes: np.ndarray, dimension: np.ndarray) -> np.ndarray:
    """Each node's recorded input (known sizes) in its dimension. O(F) per dimension."""
    intake = np.zeros(len(nodes))
    for index in np.unique(dimension).tolist():
        chosen = dimension == index
        intake[chosen] = network.core.node_sums(DIMENSIONS[index]).inflow[nodes[chosen]]
    return intake


def _is_minor(network, nodes, size, dimension) -> np.ndarray:
    """Whether each group (of a known ``size``) is under :data:`MINOR_SHARE` of its
    node's recorded input in its ``dimension``."""
    intake = _intake(network, nodes, dimension)
    return (intake > 0) & np.isfinite(size) & (size < MINOR_SHARE * intake)


def _said(
    network: FlowNetwork,
    node,
    members: np.ndarray,
    size: float,
    dimension,
    activity: Activity | None = None,
) -> str:
    """``material, 12.3 % of its recorded mass input (600 of 4,870 t/yr; from GGBS, row
    120 of the flows)``: the group ``members`` (core rows) of total ``size``; named as
    :meth:`~symbiosis.analysis.leontief.Activity.limit_name` does when it is the group
    that limits ``node`` in ``activity``, else by its first row's material."""
    core = network.core
    name = DIMENSIONS[int(dimension)]
    intake = float(core.node_sums(name).inflow[node])
    if activity is not None:
        material = activity.limit_name(network, node)
    else:
        material = str(core.materials[core.material_code[members[0]]])
    sources = ", ".join(dict.fromkeys(str(core.ids[s]) for s in core.source[members][:3]))
    rows = network.flows["row"].to_numpy()[members[:3]].tolist()
    more = " ..." if len(members) > 3 else ""
    where = f"row{'s' if len(rows) > 1 else ''} {', '.join(map(str, rows))}{more} of the flows"
    unit = f"{CANONICAL_UNITS[name]}/yr"
    return (
        f"{material}, {percent(size / intake)} of its recorded {name} input ({size:,.0f} of "
        f"{intake:,.0f} {unit}; from {sources}{more}, {where})"
    )


def _name(network: FlowNetwork, node: int) -> str:
    return f"'{network.core.ids[node]}'"


def _listed(found: list[str], total: int, what: str) -> tuple[str, ...]:
    """The warnings of the first :data:`LISTED` actors, and one line counting the others
    (``total`` in all)."""
    if total <= len(found):
        return tuple(found)
    rest = total - len(found)
    return (
        *found,
        f"... and {rest:,} more actor(s) {what} an input under {percent(MINOR_SHARE)} of "
        "their recorded input in its dimension (the same holds for them)",
    )
