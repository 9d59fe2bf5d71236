"""Rationing: how a supplier that makes less shares what it still makes among its customers.

``"internal-first"`` (the default): the customers inside the network are served first
    A supplier cuts its sales to boundary nodes (the market, an export, the grid) before it
    cuts a customer of the network: an acid plant short of feed stops selling acid on the
    market before it starves the zinc smelter whose off-gas it burns. Per supplier,
    material (by material key) and dimension, let ``T`` be the flows of known size it
    sends, ``I`` those to actors and ``B = T - I`` those to boundary nodes. When it makes
    the share ``o`` of its outputs, its actors get the share ``r = min(1, o T / I)`` of
    their flows and the boundary nodes the rest, ``(o T - r I) / B``. A material that only
    goes to actors, or only to boundary nodes, is shared in proportion, as before.

``"proportional"``: every customer loses the same share ``o`` (fixed allocation).

Which customer takes less because it runs less is another matter (its purchases,
:mod:`~symbiosis.analysis.propagation`): that output is not sold elsewhere either way.

Complexity: O(F log F) to group the flows (one sort), O(F) per evaluation.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..model import FlowNetwork

__all__ = ["DEFAULT_RATIONING", "RATIONINGS", "Rationing"]

#: The rationing rules, the default first.
RATIONINGS: tuple[str, ...] = ("internal-first", "proportional")
DEFAULT_RATIONING = RATIONINGS[0]


@dataclass(frozen=True)
class Rationing:
    """The *split groups*: per supplier (an actor), material key and dimension, the flows
    of known size that go both to actors and to boundary nodes. ``group[f]``: the group of
    flow f of the core (-1: in none); per group its ``source`` node, ``dimension`` (index
    into :data:`~symbiosis.units.DIMENSIONS`) and ``ratio`` ``T / I`` (> 1); ``internal[f]``:
    flow f goes to an actor."""

    group: np.ndarray
    internal: np.ndarray
    source: np.ndarray
    dimension: np.ndarray
    ratio: np.ndarray

    @property
    def size(self) -> int:
        return len(self.ratio)

    @classmethod
    def of(cls, network: FlowNetwork, rule: str = DEFAULT_RATIONING) -> Rationing:
        """The split groups of ``network`` under ``rule`` (none when proportional)."""
        core = network.core
        group = np.full(core.n_flows, -1, dtype=np.int64)
        internal = core.target_is_actor.copy()
        rows = np.flatnonzero((core.dimension >= 0) & (core.value > 0) & core.actor[core.source])
        if rule != "internal-first" or not len(rows):
            return cls(group, internal, *(np.zeros(0, dtype=np.int64),) * 2, np.zeros(0))
        dimension = core.dimension[rows].astype(np.int64)
        keys = np.stack([core.source[rows], core.material_key_code[rows], dimension])
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
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = total[split] / inside[split]
        return cls(group, internal, unique[0, split], unique[2, split], ratio)

    def internal_share(self, factors: np.ndarray) -> np.ndarray:
        """Per group, ``r = min(1, o T / I)``: the share of their flows its actors get."""
        return np.minimum(1.0, self.ratio * factors[self.source, self.dimension])

    def delivered(self, network: FlowNetwork, factors: np.ndarray) -> np.ndarray:
        """Per flow of the core, the share of it its source sends: its output factor in
        the flow's dimension (1 for a flow of no dimension), shared out as the module
        docstring says in a split group. O(F)."""
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
        sent[rows] = np.where(self.internal[rows], share, outside)
        return sent
