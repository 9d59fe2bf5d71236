"""One longest industrial chain, actor by actor, so that the chain depth can be checked.

``structure`` counts the stages of the chain (:mod:`~symbiosis.analysis.structure`): an
actor's stage is one more than the largest stage among the components that feed it. The
path shown ends at the deepest actor that sells to a market node (the one with the
smallest id among ties) and walks back one stage at a time: into the current actor's
component, through a chain arc whose source is exactly one stage before it, taking the
source with the smallest id. Such an arc always exists (that is how the stage was
counted), so the path has one actor per stage, stage 1 first. A component of several
actors (a loop) is one stage, and the path names one of its actors: the one it steps
back from, or the deepest actor.

Complexity: O(F) for the arcs (one ``minimum.at`` over them) plus O(stages) for the walk.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from ..model import FlowNetwork
from ._chain_graph import chain_flows
from ._condensation import Condensation, condensation, network_condensation

if TYPE_CHECKING:
    from ._flowsums import Arrays

__all__ = ["chain_path", "longest_chain", "material_condensation"]


def chain_path(
    arrays: Arrays, chain: str, stage: np.ndarray, sellers: np.ndarray, by_id: np.ndarray
) -> tuple[tuple[str, str, int], ...]:
    """One longest chain of the network of ``arrays`` under the ``chain`` rule of
    :mod:`~symbiosis.analysis.structure`, stage 1 first: ``(firm, name, stage)`` per
    stage. ``stage``: each actor's; ``sellers``: actors selling to a market node;
    ``by_id``: the actor positions sorted by id. O(F + V)."""
    network = arrays.network
    core = network.core
    extraction = core.has_role(core.actor_nodes, "extraction")
    if chain == "links":
        labels = network_condensation(network).labels
        arcs = core.matrix(None).tocoo()
        source, target = arcs.row.astype(np.int64), arcs.col.astype(np.int64)
    else:
        labels = material_condensation(network, extraction)[0].labels
        source, target = chain_flows(core).arcs(skip=extraction)
    rank = np.empty(len(by_id), dtype=np.int64)
    rank[by_id] = np.arange(len(by_id))
    path = longest_chain(source, target, labels, stage, rank, sellers)
    nodes = core.actor_nodes[path]
    return tuple(
        (str(arrays.ids[k]), _text(arrays.names[k]), int(stage[p]))
        for k, p in zip(nodes.tolist(), path, strict=True)
    )


def material_condensation(
    network: FlowNetwork, extraction: np.ndarray
) -> tuple[Condensation, np.ndarray]:
    """The condensation of the material chain between actors (without the flows into
    an extraction actor, which starts the chain whatever feeds it), and per actor
    whether it takes a product; cached on the core. O(n + f)."""
    core = network.core

    def build() -> tuple[Condensation, np.ndarray]:
        flows = chain_flows(core)
        return condensation(flows.between_actors(skip=extraction)), flows.takes_product

    return core.cached(("material chain condensation",), build)


def longest_chain(
    source: np.ndarray,
    target: np.ndarray,
    labels: np.ndarray,
    stage: np.ndarray,
    rank: np.ndarray,
    sellers: np.ndarray,
) -> list[int]:
    """The actor positions of one longest chain, stage 1 first (empty when no seller has
    a stage). ``source``, ``target``: the chain arcs between actors; ``labels``: each
    actor's component; ``stage``: each actor's stage (0: none); ``rank``: each actor's
    position in id order (ties go to the smallest); ``sellers``: the actors that sell to
    a market node. O(arcs + actors)."""
    sellers = sellers[stage[sellers] > 0]
    if len(sellers) == 0:
        return []
    deepest = sellers[stage[sellers] == stage[sellers].max()]
    actor = int(deepest[np.argmin(rank[deepest])])
    step = (stage[source] >= 1) & (stage[source] == stage[target] - 1)
    none = len(rank)
    best = np.full(labels.max(initial=0) + 1, none, dtype=np.int64)  # smallest rank in
    np.minimum.at(best, labels[target[step]], rank[source[step]])
    by_rank = np.empty(len(rank), dtype=np.int64)
    by_rank[rank] = np.arange(len(rank))
    path = [actor]
    while stage[actor] > 1:
        actor = int(by_rank[best[labels[actor]]])
        path.append(actor)
    return path[::-1]


def _text(value: object) -> str:
    """A name as text; a missing one (None, NaN) as ""."""
    return value if isinstance(value, str) else ""
