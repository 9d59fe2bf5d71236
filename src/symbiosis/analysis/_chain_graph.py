"""The material chain of a network: the flows that chain stages and supply paths follow.

Both "how many processing stages from the mine" (:mod:`~symbiosis.analysis.structure`) and
"which actors lose all their supply without this one" (:mod:`~symbiosis.analysis.criticality`)
ask about the chain that transforms a material, not about the utilities every plant buys
or the residues that circulate back. Counted on every flow, an electricity sale to the
mine or reclaimed water back to a concentrator puts a whole chain in one loop (one
stage), a plant buying grid power is always "supplied", and one by-product link lifts a
steelworks two stages. The rule, in one dimension (``mass`` for the stages):

material flows
    the flows into an actor whose unit is of the dimension; with ``mass``, also the
    flows with no unit (links of unknown size: nothing says they are a utility). Energy
    and water flows are never material flows of ``mass``.
chain flows
    the material flows of category ``product``; and every material flow (by-product,
    waste or emission too) into an actor that takes no product: an actor that takes a
    product is placed and supplied by its products, one that takes none (a slag plant,
    a brick maker, a tailings backfill) by the residues it takes.

So a residue never lifts, merges or supplies a plant that has a product feedstock (scrap
back to the smelter, cinder to the blast furnace, a waste acid back to its maker), yet
the plants built on residues stay on their chain through them. Resource-city studies
count the processing stages of the product chain (mining, beneficiation, smelting,
fabrication); the residue branches keep the by-product chains that circular-economy
planning adds to it (coal, gangue, power, building materials). Whether a plant takes a
product is read from every node that feeds it, boundary nodes included: an import
feedstock makes the local residues it also takes secondary inputs.

Complexity: O(actors + flows): masks over the flows and one ``bincount``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from ..core import Core
from ..units import DIMENSIONS
from ..vocabulary import CATEGORIES

__all__ = ["MATERIAL_DIMENSION", "ChainFlows", "chain_flows"]

#: The dimension the chain stages are counted in.
MATERIAL_DIMENSION = "mass"


@dataclass(frozen=True)
class ChainFlows:
    """The chain flows of one dimension: for each, its ``source`` (an actor position,
    :attr:`~symbiosis.core.Core.actor_nodes` order, or -1 for a boundary node) and
    ``target`` (an actor position); per actor, whether it ``takes_product``; ``flow``:
    each chain flow's row in the core."""

    source: np.ndarray
    target: np.ndarray
    takes_product: np.ndarray
    flow: np.ndarray

    def arcs(self, skip: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        """The chain flows between two actors, ``(source, target)`` actor positions,
        without those into the actors where ``skip`` (a boolean per actor) holds.
        O(flows)."""
        keep = self.source >= 0
        if skip is not None:
            keep &= ~skip[self.target]
        return self.source[keep], self.target[keep]

    def between_actors(self, skip: np.ndarray | None = None) -> sp.csr_matrix:
        """:meth:`arcs` as a binary actor x actor matrix. O(flows)."""
        n = len(self.takes_product)
        source, target = self.arcs(skip)
        graph = sp.csr_matrix((np.ones(len(source)), (source, target)), shape=(n, n))
        graph.sum_duplicates()
        graph.data[:] = 1.0
        return graph

    @property
    def fed_from_outside(self) -> np.ndarray:
        """Per actor: whether a chain flow reaches it from a boundary node."""
        fed = np.zeros(len(self.takes_product), dtype=bool)
        fed[self.target[self.source < 0]] = True
        return fed

    @property
    def has_input(self) -> np.ndarray:
        """Per actor: whether any chain flow reaches it (that is, any material flow)."""
        return np.bincount(self.target, minlength=len(self.takes_product)) > 0


def chain_flows(core: Core, dimension: str = MATERIAL_DIMENSION) -> ChainFlows:
    """The chain flows of ``dimension`` (the module docstring's rule). O(actors + flows)."""
    unit = core.unit_dimension
    material = unit == DIMENSIONS.index(dimension)
    if dimension == MATERIAL_DIMENSION:
        material = material | (unit < 0)
    material &= core.target_is_actor
    source = core.actor_index[core.source[material]]
    target = core.actor_index[core.target[material]]
    product = core.category[material] == CATEGORIES.index("product")
    takes_product = np.bincount(target[product], minlength=len(core.actor_nodes)) > 0
    keep = product | ~takes_product[target]
    return ChainFlows(source=source[keep], target=target[keep], takes_product=takes_product,
                      flow=np.flatnonzero(material)[keep])  # fmt: skip
