"""Residues a receiver no longer takes: to their maker's disposal, or unplaced.

In a supply shock, what an actor makes of a by-product, a waste or an emission follows
what it processes (its output factor), whoever takes it: a residue is made, not sold to
order. When a receiver (an actor) takes less of one than its maker still sends it (the
receiver runs less, or is shocked itself), the rest is still made. It goes to the
maker's **outlets** of that residue: its flows of known size of the same material group
(:mod:`._material_groups`) and dimension to a boundary node of role ``disposal`` (a
landfill, a tailings pond, an ash pond) or ``environment`` (the air, a river), shared in
proportion to their recorded sizes; those flows grow. The palm mill whose estates mulch
6,000 t less of its empty fruit bunches in a crop failure dumps them on its landfill
(tester-agro11: they were its "sales lost", the disposed tonnage fell and the reuse share
rose); the acid plant that takes less off-gas sends it up its maker's stack.

Without such an outlet, a residue its maker also sells to a market node (a smelter's
acid, sold to the fertilizer plant and on the market) is traded: what a customer no longer
takes is its maker's **sales lost**, as for a product (the supply-driven model: what a
customer no longer buys is not sold elsewhere, and nothing is passed upstream). Rationed
internal-first, what a receiver leaves of its share first goes back to the maker's market
sales of it, up to their recorded size (:meth:`._rationing.Rationing.settle`); only the
rest is freed here (``sent`` says so). A residue
with neither is **unplaced**: made, not taken, and in no flow after the shock. No node is
invented for it (where it would go is not in the data: a stockpile, a field, a drain the
data leave out): it is reported per actor and warned of (:func:`unplaced_warnings`), so
that the indicators after the shock, which leave it out, are read with it; record the
outlet (a flow of the material to a disposal or environment node) to place it.

A product is another matter: what its customers no longer buy is its supplier's sales
lost. A residue sent to a market node is sold there: the market node does not shrink, so
nothing of that flow is freed.

Complexity: O(F), plus one sort of the flows concerned (residues freed and outlets).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..model import FlowNetwork
from ..units import CANONICAL_UNITS, DIMENSIONS
from ..vocabulary import CATEGORIES, RESIDUAL_CATEGORIES
from ._material_groups import material_groups

__all__ = ["Outlets", "route_residues", "unplaced_warnings"]

#: Shares freed below this are the solver's rounding, not material.
_ROUNDING = 1e-9
#: How many residues are named one by one; the others are counted in one more line.
LISTED = 10
_RESIDUAL = np.array([c in RESIDUAL_CATEGORIES for c in CATEGORIES] + [False])


@dataclass(frozen=True)
class Outlets:
    """Per flow of the network: ``retained``, the share it keeps, its maker's outlets
    grown by what they take in; ``freed``, the share of its size that its maker still
    sends but its receiver no longer takes (a residue into an actor; 0 for every other
    flow); ``placed``, whether that goes to an outlet; ``traded``, whether, with no outlet,
    its maker sells the material to a market node (it is then a sale lost; neither: it is
    unplaced); ``added``, the share of its size an outlet takes in (0 for every other
    flow)."""

    retained: np.ndarray
    freed: np.ndarray
    placed: np.ndarray
    traded: np.ndarray
    added: np.ndarray

    @property
    def unplaced(self) -> np.ndarray:
        """Per flow: what it frees goes nowhere recorded (no outlet, not traded)."""
        return (self.freed > 0) & ~self.placed & ~self.traded


def route_residues(network: FlowNetwork, sent: np.ndarray, retained: np.ndarray) -> Outlets:
    """Send what receivers no longer take of a residue to its maker's outlets (module
    docstring). ``sent``: per flow, the share of it its source sends (before any
    redirection: a receiver that takes more than that takes it from sales, not from a
    residue); ``retained``: the share each keeps, the receivers' takes included. O(F) plus
    one sort of the flows concerned."""
    core = network.core
    value = core.value
    sized = (core.dimension >= 0) & (value > 0)  # NaN > 0 is False: unknown sizes stay
    from_actor = core.actor[core.source]
    taken = sized & from_actor & _RESIDUAL[core.category] & core.target_is_actor
    freed = np.where(taken, np.minimum(sent, 1.0) - retained, 0.0)
    freed = np.where(freed > _ROUNDING, freed, 0.0)
    placed = np.zeros(core.n_flows, dtype=bool)
    traded = np.zeros(core.n_flows, dtype=bool)
    added = np.zeros(core.n_flows)
    if not freed.any():
        return Outlets(retained, freed, placed, traded, added)
    outlet = (
        sized
        & from_actor
        & (core.has_role(core.target, "disposal") | core.has_role(core.target, "environment"))
    )
    sold = sized & from_actor & core.has_role(core.target, "market")
    makers = np.zeros(core.n_nodes, dtype=bool)  # only their flows matter
    makers[core.source[freed > 0]] = True
    rows = np.flatnonzero((freed > 0) | ((outlet | sold) & makers[core.source]))
    group = material_groups(core)[rows].astype(np.int64) + 1  # -1: no material
    width = len(DIMENSIONS)
    key = (core.source[rows] * (int(group.max()) + 1) + group) * width + core.dimension[rows]
    _, inverse = np.unique(key, return_inverse=True)
    inverse = inverse.ravel()
    amount = np.bincount(inverse, value[rows] * freed[rows])
    room = np.bincount(inverse, value[rows] * outlet[rows])
    has_room = room[inverse] > 0
    placed[rows] = (freed[rows] > 0) & has_room
    market = np.bincount(inverse, sold[rows].astype(float))[inverse] > 0
    traded[rows] = (freed[rows] > 0) & ~has_room & market
    grows = outlet[rows] & has_room
    added[rows[grows]] = (amount[inverse] / np.where(has_room, room[inverse], 1.0))[grows]
    return Outlets(retained + added, freed, placed, traded, added)


def unplaced_warnings(network: FlowNetwork, outlets: Outlets) -> tuple[str, ...]:
    """One warning per maker, material and dimension of which receivers no longer take
    some and that has no outlet in the data (module docstring), largest first; the first
    :data:`LISTED` named, the others counted. O(F) plus a sort of the flows unplaced."""
    core = network.core
    rows = np.flatnonzero(outlets.unplaced)
    if not len(rows):
        return ()
    amount = core.value[rows] * outlets.freed[rows]
    key = core.source[rows] * len(core.materials) + core.material_code[rows]
    key = key * len(DIMENSIONS) + core.dimension[rows]
    unique, first, inverse = np.unique(key, return_index=True, return_inverse=True)
    inverse = inverse.ravel()
    total = np.bincount(inverse, amount)
    order = np.lexsort((unique, -total))
    said = []
    for k in order[:LISTED].tolist():
        flow = int(rows[first[k]])
        receivers = dict.fromkeys(f"'{core.ids[t]}'" for t in core.target[rows[inverse == k]])
        dimension = DIMENSIONS[int(core.dimension[flow])]
        said.append(
            f"'{core.ids[core.source[flow]]}' makes {total[k]:,.0f} "
            f"{CANONICAL_UNITS[dimension]}/yr of {core.materials[core.material_code[flow]]} "
            f"that {', '.join(receivers)} no longer {'takes' if len(receivers) == 1 else 'take'}"
            ", and sends none of it to a "
            "disposal or environment node nor sells it to a market: it is unplaced, in no flow "
            "after the shock (the indicators leave it out); to place it, record where the rest "
            "goes (a flow of it to a landfill, a river, the air)"
        )
    if len(order) > LISTED:
        said.append(
            f"... and {len(order) - LISTED:,} more residue(s) that receivers no longer take, "
            "with no disposal or environment flow of them in the data (unplaced, as above)"
        )
    return tuple(said)
