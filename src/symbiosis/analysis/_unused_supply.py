"""The warning on an actor limited by a material that the network still has.

The Leontief model limits an actor by the scarcest material it needs (:mod:`.leontief`),
and the deliveries of a material add up per material group (:mod:`._material_groups`).
Where the same material is still sold outside the network after the shock (an actor
sends it to a market node: the market, an export) or still reaches the actor in a flow
outside the group that limits it (taken as a by-product), the limit may be no more than
the data's allocation: the yellow-phosphorus plant that lost one mine, while the other
mine still sells 1.5 Mt of the same rock on the market, would buy it. Such a result is
flagged (:func:`unused_supply_warnings`), with what could change it: rationing
``"redirect"`` (:mod:`._rationing`: a supplier's sales outside go to its customers in the
network first), or a flow added or marked substitutable.

Complexity: O(F log F) (one sort of the flows by material and dimension).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from .._percent import percent
from ..model import FlowNetwork
from ..units import CANONICAL_UNITS, DIMENSIONS
from ._material_groups import material_groups

if TYPE_CHECKING:
    from .leontief import Activity

__all__ = ["unused_supply_warnings"]

#: How many actors are named one by one; the others are counted in one more line.
LISTED = 10
_SAME = 1e-9  # the Leontief solver's tolerance: a tie names the input
#: Quantities below this share of the limiting group are rounding, not supply.
_NOTHING = 1e-9
_REDIRECT = (
    "rationing 'redirect' (--rationing redirect; rationing = \"redirect\" in a scenario "
    "file) lets a supplier send its customers in the network what it sells outside"
)
_ADD = (
    "if {actor} could take it, add the flow ([[add_flow]] in a scenario file) or mark its "
    "input substitutable (docs/scenarios.md)"
)


def unused_supply_warnings(
    network: FlowNetwork, activity: Activity, retained: np.ndarray
) -> tuple[str, ...]:
    """One warning per actor whose output its scarcest material limits while some of that
    material (same material group and dimension) is still sold outside the network (to a
    market node) by another actor after the shock (``retained``: the share each flow
    keeps), or is still sent to it outside that group, most cut first; the first
    :data:`LISTED` named, the others counted. A material the actor itself sends out is
    never counted as its supply: a coal washery limited by raw coal is not told of the
    clean coal other washeries sell (its product, not its feed). O(F log F) + O(F) per
    limited actor."""
    core = network.core
    factors = activity.factors
    limited = (activity.limiting >= 0) & core.actor
    limited &= ((factors < 1.0) & (activity.activity[:, None] <= factors + _SAME)).any(axis=1)
    nodes = np.flatnonzero(limited)
    if not len(nodes):
        return ()
    group = material_groups(core)
    sized = (core.dimension >= 0) & (core.value > 0)
    key = (group + 1) * len(DIMENSIONS) + np.where(sized, core.dimension, 0)
    left = np.where(sized, core.value * retained, 0.0)  # what each flow still carries
    # what its supplier still sends the actor, whatever the actor still buys
    offered = np.where(sized, core.value * np.minimum(activity.delivered, 1.0), 0.0)
    # sold outside: to a market node (a stack's or the air's share is no sale)
    leaving = sized & core.actor[core.source] & core.has_role(core.target, "market") & (left > 0)
    flow = activity.limiting[nodes]
    pool = activity.pool
    size = np.bincount(pool[pool >= 0], core.value[pool >= 0], minlength=len(activity.kept))
    found = []
    for k in np.lexsort((core.ids[nodes].astype(str), activity.activity[nodes])).tolist():
        node, limit = int(nodes[k]), int(flow[k])
        scale = _NOTHING * size[pool[limit]]
        sold = np.flatnonzero(leaving & (key == key[limit]))
        sold = sold[(left[sold] > scale) & (core.source[sold] != node)]  # not its own
        beside = np.flatnonzero(sized & (core.target == node) & (key == key[limit])
                                & (pool != pool[limit]) & (offered > scale))  # fmt: skip
        # a grade the actor makes of the group is not its feed (a washery's clean coal)
        made = core.material_code[sized & (core.source == node)]
        sold = sold[~np.isin(core.material_code[sold], made)]
        beside = beside[~np.isin(core.material_code[beside], made)]
        if len(sold) or len(beside):
            found.append(_said(network, activity, node, limit, sold, beside, left, offered))
    if len(found) <= LISTED:
        return tuple(found)
    return (
        *found[:LISTED],
        f"... and {len(found) - LISTED:,} more actor(s) limited by a material that is still "
        "sold outside or reaches them otherwise (the same holds for them)",
    )


def _said(network, activity, node, limit, sold, beside, left, offered) -> str:
    """The warning of one actor: its limit, where the same material still goes."""
    core = network.core
    name = DIMENSIONS[int(core.dimension[limit])]
    unit = f"{CANONICAL_UNITS[name]}/yr"
    material = activity.limit_name(network, node)
    actor = f"'{core.ids[node]}'"
    suppliers = set(core.source[activity.pool == activity.pool[limit]].tolist())
    parts, hints = [], []
    if len(sold):
        sellers = list(dict.fromkeys(core.source[sold].tolist()))
        own = [s for s in sellers if s in suppliers]
        named = ", ".join(
            f"'{core.ids[s]}'" + (", which supplies it" if s in suppliers else "")
            for s in sellers[:3]
        )
        more = " ..." if len(sellers) > 3 else ""
        places = ", ".join(dict.fromkeys(str(core.ids[t]) for t in core.target[sold][:3]))
        parts.append(
            f"{left[sold].sum():,.0f} {unit} of it are still sold outside (by {named}{more}; "
            f"to {places})"
        )
        if own and activity.rationing != "redirect":
            hints.append(_REDIRECT)
    if len(beside):
        sources = ", ".join(dict.fromkeys(f"'{core.ids[s]}'" for s in core.source[beside][:3]))
        parts.append(f"{offered[beside].sum():,.0f} {unit} of it still reach it otherwise "
                     f"(as a by-product or waste, from {sources})")  # fmt: skip
    hints.append(_ADD.format(actor=actor))
    return (
        f"{actor} keeps {percent(activity.activity[node])} of its output, limited by "
        f"{material}, while {' and '.join(parts)}: {'; '.join(hints)}"
    )
