"""Rationing: how a supplier that makes less shares what it still makes among its customers.

``"internal-first"`` (the default): the customers inside the network are served first
    A supplier cuts its sales to boundary nodes (the market, an export, the grid) before it
    cuts a customer of the network: an acid plant short of feed stops selling acid on the
    market before it starves the zinc smelter whose off-gas it burns, and a mill sends its
    landfill less of a residue before the plant that recycles it. Per supplier, material
    (material group, :mod:`._material_groups`) and dimension, let ``T`` be the flows of
    known size it sends, ``I`` those to actors and ``B = T - I`` those to boundary nodes.
    When it makes the share ``o`` of its outputs, its actors get the share
    ``r = min(1, o T / I)`` of their flows and the boundary nodes the rest,
    ``(o T - r I) / B``. A material that only goes to actors, or only to boundary nodes, is
    shared in proportion, as before. An **emission** (category ``emission``) to a boundary
    node is in no group: it is what the maker releases, not what it sells or dumps of a
    surplus, so it keeps ``o`` of its size, and ``T`` leaves it out (the nickel smelter at
    40 % releases 40 % of its stack SO2; cut first, the air got none and the acid plant
    more than the smelter's share: tester-metals9). No flow grows here (but see
    :mod:`._residue_outlets`: what a receiver no longer takes of a residue).

``"redirect"``: internal-first, and what is sold outside may be redirected
    As internal-first; besides, a customer in the network that lacks the material may take
    more than its recorded flow, from what its supplier still sells to boundary nodes: a
    yellow-phosphorus plant that loses one mine buys the rock the other mine sold on the
    market. Per split group, each flow into an actor of which the material is a necessary
    input (a product, or a main feed: the groups of :mod:`.leontief`) is *entitled* to
    ``e = o T / I`` of its size, its pro rata share of everything its supplier still makes
    of the material, boundary sales included; ``e`` exceeds 1 when the boundary sales
    exceed the network's shortfall. The receiver takes of its entitlement only what it
    needs (its input group's recorded size at the share it runs, its other suppliers'
    flows first); what it takes beyond ``r`` is taken from the boundary nodes' share,
    which is what the redirect moves. The by-products and wastes an actor takes as a
    secondary input are rationed internal-first (they are counted by their share, not
    needed per material). The entitlement is pro rata: a customer does not take the unused
    entitlement of another (a lower bound of what redirection could do when several
    customers of one supplier are short). Not the default: internal-first never raises a
    flow above its recorded size; redirection assumes that the receiver can take more from
    that supplier (its contract, its logistics, the grade sold outside), which the data do
    not say.

``"proportional"``: every customer loses the same share ``o`` (fixed allocation).

Which customer takes less because it runs less is another matter (its purchases,
:mod:`~symbiosis.analysis.propagation`). Under ``"internal-first"`` and ``"redirect"`` what
its actors do not take of their share ``r`` goes back to the supplier's sales (its flows
to market nodes), up to their recorded size (:meth:`Rationing.settle`): the supplier
serves what its customers still take, the market gets the rest. It goes back to the
sales, not to another actor of the group (one that lacks the material still gets ``r``):
what one customer takes would then lower what another gets, and the model would no
longer be a monotone map whose greatest fixed point policy iteration finds. The sales
do not feed back into the network (a boundary node's output is its cap), so the
actors' factors are those of the model; only the sales and the sales lost move. Under
``"proportional"`` nothing is settled: every customer keeps its share ``o``, and what it
does not take is its supplier's sale lost.

Complexity: O(F log F) to group the flows (one sort), O(F) per evaluation.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ..model import FlowNetwork
from ..vocabulary import CATEGORIES
from ._material_groups import material_groups

__all__ = ["DEFAULT_RATIONING", "RATIONINGS", "Rationing"]

#: The rationing rules, the default first.
RATIONINGS: tuple[str, ...] = ("internal-first", "proportional", "redirect")
#: The rules that serve the network first (split groups).
_SPLIT = ("internal-first", "redirect")
DEFAULT_RATIONING = RATIONINGS[0]
_EMISSION = CATEGORIES.index("emission")


@dataclass(frozen=True)
class Rationing:
    """The *split groups*: per supplier (an actor), material group and dimension, the
    flows of known size that go both to actors and to boundary nodes (emissions to
    boundary nodes left out: they keep the supplier's factor). ``group[f]``: the
    group of flow f of the core (-1: in none); per group its ``source`` node,
    ``dimension`` (index into :data:`~symbiosis.units.DIMENSIONS`), ``ratio`` ``T / I``
    (> 1), ``inside`` ``I`` and ``market`` ``m = M / B``, the share of its flows to
    boundary nodes that are sales (to market nodes); ``internal[f]``: flow f goes to an
    actor, ``sold[f]``: to a market node; ``redirect``: the rule is ``"redirect"``
    (module docstring)."""

    group: np.ndarray
    internal: np.ndarray
    source: np.ndarray
    dimension: np.ndarray
    ratio: np.ndarray
    inside: np.ndarray = field(default_factory=lambda: np.zeros(0))
    market: np.ndarray = field(default_factory=lambda: np.zeros(0))
    sold: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))
    redirect: bool = False

    @property
    def size(self) -> int:
        return len(self.ratio)

    @classmethod
    def of(cls, network: FlowNetwork, rule: str = DEFAULT_RATIONING) -> Rationing:
        """The split groups of ``network`` under ``rule`` (none when proportional)."""
        core = network.core
        group = np.full(core.n_flows, -1, dtype=np.int64)
        internal = core.target_is_actor.copy()
        # an emission released outside is no sale: it follows what its maker makes
        released = (core.category == _EMISSION) & ~internal
        rows = np.flatnonzero(
            (core.dimension >= 0) & (core.value > 0) & core.actor[core.source] & ~released
        )
        if rule not in _SPLIT or not len(rows):
            return cls(group, internal, *(np.zeros(0, dtype=np.int64),) * 2, np.zeros(0))
        dimension = core.dimension[rows].astype(np.int64)
        keys = np.stack([core.source[rows], material_groups(core)[rows], dimension])
        unique, inverse = np.unique(keys, axis=1, return_inverse=True)
        inverse = inverse.ravel()
        value = core.value[rows]
        total = np.bincount(inverse, value, minlength=unique.shape[1])
        inside = np.bincount(inverse, value * internal[rows], minlength=unique.shape[1])
        to_boundary = np.bincount(inverse, ~internal[rows], minlength=unique.shape[1]) > 0
        split = (inside > 0) & to_boundary
        number = np.full(unique.shape[1], -1, dtype=np.int64)
        number[split] = np.arange(int(split.sum()))
        group[rows] = number[inverse]
        sold = ~internal & core.has_role(core.target, "market")
        sales = np.bincount(inverse, value * sold[rows], minlength=unique.shape[1])
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = total[split] / inside[split]
            market = sales[split] / (total[split] - inside[split])
        return cls(group, internal, unique[0, split], unique[2, split], ratio, inside[split],
                   np.clip(np.nan_to_num(market), 0.0, 1.0), sold, rule == "redirect")  # fmt: skip

    def internal_share(self, factors: np.ndarray) -> np.ndarray:
        """Per group, ``r = min(1, o T / I)``: the share of their flows its actors get."""
        return np.minimum(1.0, self.ratio * factors[self.source, self.dimension])

    def entitlement(self, factors: np.ndarray) -> np.ndarray:
        """Per group, ``e = r + m max(0, o T / I - 1) = min(o T / I, 1 - m + m o T / I)``:
        the share of its flows a necessary input of an actor may take, redirecting (its
        pro rata share of what is sold outside, besides ``r``)."""
        supply = self.ratio * factors[self.source, self.dimension]
        return np.minimum(supply, 1.0 - self.market + self.market * supply)

    def delivered(
        self, network: FlowNetwork, factors: np.ndarray, needed: np.ndarray | None = None
    ) -> np.ndarray:
        """Per flow of the core, the share of it its source sends: its output factor in
        the flow's dimension (1 for a flow of no dimension), shared out as the module
        docstring says in a split group; with ``redirect``, a flow where ``needed`` (per
        core flow: a necessary input of its actor) gets its entitlement (:meth:`entitlement`),
        and the boundary nodes' share is before any redirection (:meth:`after_redirects`).
        O(F)."""
        core = network.core
        unit = core.unit_dimension.astype(np.int64)
        sent = np.where(unit >= 0, factors[core.source, np.maximum(unit, 0)], 1.0)
        if not self.size:
            return sent
        rows = np.flatnonzero(self.group >= 0)
        group = self.group[rows]
        share = self.internal_share(factors)[group]
        o = factors[self.source, self.dimension][group]
        ratio = self.ratio[group]
        # the boundary's share: (o T - r I) / B, with T / I = ratio: (o ratio - r) / (ratio - 1)
        outside = np.clip((o * ratio - share) / np.maximum(ratio - 1.0, 1e-300), 0.0, 1.0)
        inside = np.where(self.entitled(rows, needed), self.entitlement(factors)[group], share)
        sent[rows] = np.where(self.internal[rows], inside, outside)
        return sent

    def entitled(self, rows: np.ndarray, needed: np.ndarray | None) -> np.ndarray:
        """Per flow of ``rows`` (in split groups), whether it gets its entitlement: the rule
        redirects and the flow is a necessary input of an actor."""
        if not self.redirect or needed is None:
            return np.zeros(len(rows), dtype=bool)
        return self.internal[rows] & needed[rows]

    def settle(
        self, network: FlowNetwork, factors: np.ndarray, retained: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """Settle each split group's sales (its flows to market nodes) against what its
        actors take. ``retained`` (per core flow: the share each keeps, the receivers'
        takes included) has the sales at the boundary's share of what the supplier makes.
        What its actors do not take of their share ``r`` (they run less) goes back to the
        sales, up to their recorded size: it is sold outside as before, not a sale lost
        (tester15 D3: an acid plant at 75 % gave all its acid to a customer that ran at
        70 % and cut its market sales to nothing, its unsold acid counted as lost);
        redirecting, what its actors took beyond ``r`` leaves the sales. The supplier still
        sends at most ``o T``. Returns ``(retained, resold)``, ``resold[f]`` per core flow:
        the share of what flow f, into an actor, leaves of ``r`` that went back to the
        sales (what its receiver no longer takes of a residue goes to the maker's outlets
        only for the rest, :mod:`._residue_outlets`). O(F)."""
        resold = np.zeros(len(retained))
        if not self.size:
            return retained, resold
        rows = np.flatnonzero(self.group >= 0)
        group = self.group[rows]
        share = self.internal_share(factors)[group]
        value = network.core.value[rows]
        inside, sold = self.internal[rows], self.sold[rows]
        kept = retained[rows]
        left = np.where(inside, np.maximum(share - kept, 0.0), 0.0)
        beyond = np.where(inside, np.maximum(kept - share, 0.0), 0.0)
        leftover = np.bincount(group, value * left, minlength=self.size)
        moved = np.bincount(group, value * beyond, minlength=self.size)
        room = np.bincount(group, value * np.where(sold, 1.0 - kept, 0.0), minlength=self.size)
        back = np.minimum(leftover, room + moved)  # what of the leftover the sales take
        sales = self.market * self.inside * (self.ratio - 1.0)  # M = m B
        change = (back - moved) / np.maximum(sales, 1e-300)
        result = retained.copy()
        result[rows] = np.where(sold, np.clip(kept + change[group], 0.0, 1.0), kept)
        with np.errstate(divide="ignore", invalid="ignore"):
            fraction = np.where(leftover > 0, back / leftover, 0.0)
        resold[rows] = np.where(left > 0, fraction[group], 0.0)
        return result, resold
