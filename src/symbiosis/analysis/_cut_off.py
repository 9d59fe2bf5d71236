"""The actors an actor cuts off: those that lose a necessary input when it goes
(``firms_cut_off`` of :mod:`~symbiosis.analysis.criticality`).

Two rules, both on the supply chain of one dimension (the chain flows of
:mod:`~symbiosis.analysis._chain_graph`: product flows, and every flow into an actor
that takes no product; with ``"essential"``, also the main feeds of the actors that take
a product, :mod:`._material_groups`):

``"essential"`` (the default)
    An actor's necessary inputs are grouped as the Leontief model of ``shock`` groups its
    recipe (:mod:`~symbiosis.analysis.leontief`): one group per material (material group,
    :mod:`._material_groups`: iron ore concentrate and imported iron ore fines are one) of
    the products it takes and of its main feeds (a residue that is at least half of what
    it processes, of a material it takes no product of), each necessary; an actor that
    takes no product (a slag plant, a brick maker) and a household (no technology) have
    one group, every chain flow it takes. A group holding an input marked substitutable
    (the ``substitutable`` flow column: its receiver makes up for its loss) never loses
    its supply, as an imported one. An actor is cut off when one of its groups loses every
    supplier, the removed actor or actors cut off before it (transitively), so a refinery
    that loses its only matte supplier is cut off whatever acid and chlorine it still
    gets. A group fed from a boundary node (an import) never loses its supply; supply
    sources (extraction actors, actors without a chain input, actors whose every group is
    imported) are cut off by nothing. Over loops the supply must come from a source: a
    loop that loses it through one actor is cut off whole, even when its members still
    feed each other.
``"all-paths"``
    An actor is cut off when every path from a supply source to it passes through the
    removed actor, any of its inputs keeping it supplied: one group per actor.

Method. Graph H: a node per actor, per group and a root; arcs supplier -> group, group
-> its actor, root -> supply source; imported groups are left out (they never fail).
Actors no source reaches in H (a loop that feeds only itself) cut off nothing and are cut
off by nothing, as with ``"all-paths"``. In the dominator tree of H (Cooper, Harvey &
Kennedy 2001, :mod:`._dominators`) the subtree of ``f`` is what loses every path from
the root through ``f``. An actor with one group (the common case) fails exactly with it,
so when no actor with two or more groups has a group in ``f``'s subtree without being in
it, the subtree is the answer: its size from prefix sums over the preorder. Otherwise
the failure spreads from ``f`` explicitly: a failed node fails its whole subtree, a
failed actor removes itself from the suppliers of its customers' groups, a group left
without suppliers fails its actor. Over loops this explicit spread is exact when one
failed node carries a loop's outside supply (its subtree holds the loop); a loop whose
outside supply goes through several actors that fail for different reasons, none
carrying it all, is kept (its members count each other as suppliers): a lower bound in
that corner.

Complexity: O(F + V) for H and the tree (plus the dominator passes, O(F) each, 2 or 3 on
flow graphs); then O(|S(f)| + the flows out of S(f)) for each actor ``f`` whose subtree
reaches an actor with several groups from outside, S(f) what it cuts off: near-linear on
networks whose actors with several necessary materials are few or shallow in the tree,
O(V F) in the worst case (a long chain of single suppliers feeding actors with several
groups).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from ..core import Core
from ..units import DIMENSIONS
from ._chain_graph import ChainFlows, chain_flows
from ._dominators import immediate_dominators
from ._material_groups import main_feeds, material_groups

__all__ = ["CUT_OFF_RULES", "AtRisk", "essential_cut_off"]

#: The rules of ``firms_cut_off``: necessary input groups, or every supply path.
CUT_OFF_RULES: tuple[str, ...] = ("essential", "all-paths")


@dataclass(frozen=True)
class AtRisk:
    """The necessary groups that one actor's removal fails (its immediate dominator is an
    actor, not the root), each cutting its ``owner`` off (a position in
    ``core.actor_nodes``); ``size``: the group's known total (NaN: a flow of unknown
    size); :meth:`rows`: its flows' rows in the core."""

    owner: np.ndarray
    size: np.ndarray
    group: np.ndarray
    flow_group: np.ndarray
    flow_rows: np.ndarray

    def rows(self, k: int) -> np.ndarray:
        """The core rows of the k-th group's flows. O(chain flows)."""
        return self.flow_rows[self.flow_group == self.group[k]]


def essential_cut_off(
    core: Core, dimension: str, cap: int, substitutable: np.ndarray | None = None
) -> tuple[np.ndarray, list[list[int]], AtRisk]:
    """Per actor (``core.actor_nodes`` order): how many actors it cuts off under the
    ``"essential"`` rule, and up to ``cap`` of their positions, ascending; and the groups
    :class:`AtRisk`. ``substitutable`` (per core flow): inputs marked so, whose group
    counts as imported (its receiver makes up for their loss). See the module docstring
    for the rule and its cost."""
    n = len(core.actor_nodes)
    flows = _with_main_feeds(core, chain_flows(core, dimension), dimension)
    group, groups, imported = _groups(core, flows)
    if substitutable is not None:
        imported[group[substitutable[flows.flow]]] = True
    source_actor = core.has_role(core.actor_nodes, "extraction")
    source_actor |= np.bincount(flows.target, minlength=n) == 0
    owner = np.full(groups, -1, dtype=np.int64)
    owner[group] = flows.target
    failing = ~imported & ~source_actor[np.maximum(owner, 0)] & (owner >= 0)
    # an actor whose every group is imported (or that is a source) is fed by the root
    source_actor |= np.bincount(owner[failing], minlength=n) == 0
    failing &= ~source_actor[np.maximum(owner, 0)]
    graph, root = _graph(n, flows, group, owner, failing, source_actor)
    idom = immediate_dominators(graph, root)
    tree = _Tree.of(idom, root, n)
    several = np.bincount(owner[failing], minlength=n) > 1
    leaking = tree.leaking(np.flatnonzero(failing) + n, owner[failing], several[owner[failing]])
    # distinct suppliers per node, among those a source reaches
    by_target = graph.tocsc()
    reached = (tree.number[by_target.indices] >= 0).astype(np.int64)
    suppliers = np.add.reduceat(np.append(reached, 0), by_target.indptr[:-1])
    suppliers[np.diff(by_target.indptr) == 0] = 0
    counts = np.zeros(n, dtype=np.int64)
    members: list[list[int]] = [[] for _ in range(n)]
    for f in range(n):
        if tree.number[f] < 0:
            continue  # not supplied before: cuts off nothing
        if leaking[f]:
            lost = _spread(f, graph, tree, owner, suppliers)
            counts[f] = len(lost)
            members[f] = sorted(lost)[:cap]
        else:
            inside = tree.actors_below(f)
            counts[f] = len(inside)
            members[f] = sorted(inside[:cap].tolist())
    return counts, members, _at_risk(core, flows, group, owner, failing, idom, root, n)


def _at_risk(core, flows, group, owner, failing, idom, root, n) -> AtRisk:
    """The failing groups one actor's removal fails: immediate dominator an actor. O(F)."""
    node = np.arange(len(owner)) + n
    risk = np.flatnonzero(failing & (idom[node] >= 0) & (idom[node] != root))
    value = core.value[flows.flow]
    size = np.bincount(group, np.nan_to_num(value), minlength=len(owner))
    unknown = np.bincount(group, np.isnan(value), minlength=len(owner)) > 0
    size = np.where(unknown, np.nan, size)
    return AtRisk(owner[risk], size[risk], risk, group, flows.flow)


def _with_main_feeds(core: Core, flows: ChainFlows, dimension: str) -> ChainFlows:
    """The chain flows and the main feeds of ``dimension`` into actors that take a product
    (:func:`~symbiosis.analysis._material_groups.main_feeds`): necessary groups of their
    own, as in the shock model. O(F log F)."""
    feeds = main_feeds(core) & (core.dimension == DIMENSIONS.index(dimension))
    rows = np.flatnonzero(feeds)
    rows = rows[flows.takes_product[core.actor_index[core.target[rows]]]]
    if not len(rows):
        return flows
    return ChainFlows(
        source=np.concatenate([flows.source, core.actor_index[core.source[rows]]]),
        target=np.concatenate([flows.target, core.actor_index[core.target[rows]]]),
        takes_product=flows.takes_product,
        flow=np.concatenate([flows.flow, rows]),
    )


def _groups(core: Core, flows: ChainFlows) -> tuple[np.ndarray, int, np.ndarray]:
    """Each chain flow's group (numbered from 0), the number of groups, and per group
    whether a boundary node feeds it. A product taker (not a household) has a group per
    material key; every other actor one. O(F log F)."""
    household = core.has_role(core.actor_nodes, "household")
    by_material = flows.takes_product[flows.target] & ~household[flows.target]
    material = material_groups(core)
    kind = np.where(by_material, material[flows.flow] + 1, 0)
    keys = flows.target.astype(np.int64) * np.int64(material.max(initial=-1) + 2) + kind
    unique, group = np.unique(keys, return_inverse=True)
    imported = np.zeros(len(unique), dtype=bool)
    imported[group[flows.source < 0]] = True
    return group.astype(np.int64), len(unique), imported


def _graph(n, flows, group, owner, failing, source_actor) -> tuple[sp.csr_matrix, int]:
    """H: actors 0..n-1, groups n.., the root last; arcs supplier -> failing group ->
    owner, root -> source actor. O(F + V)."""
    groups = len(owner)
    root = n + groups
    supplied = (flows.source >= 0) & failing[group]
    kept = np.flatnonzero(failing)
    sources = np.concatenate([flows.source[supplied], kept + n, np.full(source_actor.sum(), root)])
    targets = np.concatenate([group[supplied] + n, owner[kept], np.flatnonzero(source_actor)])
    size = root + 1
    graph = sp.csr_matrix((np.ones(len(sources)), (sources, targets)), shape=(size, size))
    graph.sum_duplicates()
    return graph, root


class _Tree:
    """The dominator tree in preorder: ``number[v]`` (-1: unreachable), ``end[v]`` (one
    past the last of v's subtree), the actors in preorder and per preorder position how
    many actors come before it. O(V)."""

    def __init__(self, idom, number, end, order, actors_before, n):
        self.idom, self.number, self.end, self.order = idom, number, end, order
        self.actors_before, self.n = actors_before, n
        self.actor_order = order[order < n]

    @classmethod
    def of(cls, idom: np.ndarray, root: int, n: int) -> _Tree:
        size = len(idom)
        child = np.flatnonzero((idom >= 0) & (np.arange(size) != root))
        child = child[np.argsort(idom[child], kind="stable")]
        bounds = np.searchsorted(idom[child], np.arange(size + 1)).tolist()
        children = child.tolist()
        number = np.full(size, -1, dtype=np.int64)
        end = np.full(size, -1, dtype=np.int64)
        order: list[int] = []
        stack = [(root, False)]
        while stack:
            node, done = stack.pop()
            if done:
                end[node] = len(order)
                continue
            number[node] = len(order)
            order.append(node)
            stack.append((node, True))
            stack.extend((c, False) for c in reversed(children[bounds[node] : bounds[node + 1]]))
        order_array = np.asarray(order, dtype=np.int64)
        actors_before = np.concatenate([[0], np.cumsum(order_array < n)])
        return cls(idom, number, end, order_array, actors_before, n)

    def below(self, v: int) -> np.ndarray:
        """The nodes of v's subtree, v first."""
        return self.order[self.number[v] : self.end[v]]

    def actors_below(self, v: int) -> np.ndarray:
        """The actors of v's subtree but v (v is an actor: first in its range)."""
        start, stop = self.actors_before[self.number[v]], self.actors_before[self.end[v]]
        return self.actor_order[start + 1 : stop]

    def leaking(self, group: np.ndarray, owner: np.ndarray, several: np.ndarray) -> np.ndarray:
        """Per actor: whether its subtree holds a group of an actor with several groups
        that is not in it. Such a group counts +1 at itself and -1 at the lowest node
        above both it and its owner (its owner if above it, else the owner's immediate
        dominator, which is above every group of its owner); a subtree sum above 0
        leaks. O(V)."""
        keep = several & (self.number[group] >= 0)
        group, owner = group[keep], owner[keep]
        weight = np.zeros(len(self.order) + 1, dtype=np.int64)
        np.add.at(weight, self.number[group], 1)
        above = (self.number[owner] <= self.number[group]) & (self.number[group] < self.end[owner])
        meet = np.where(above, owner, self.idom[owner])
        np.add.at(weight, self.number[meet], -1)
        prefix = np.concatenate([[0], np.cumsum(weight)])
        actors = np.arange(self.n)
        reached = self.number[actors] >= 0
        sums = np.zeros(self.n, dtype=np.int64)
        sums[reached] = prefix[self.end[actors[reached]]] - prefix[self.number[actors[reached]]]
        return sums > 0


def _spread(
    f: int, graph: sp.csr_matrix, tree: _Tree, owner: np.ndarray, suppliers: np.ndarray
) -> set[int]:
    """The actors but ``f`` that fail with it: a failed node fails its subtree; a failed
    actor leaves its customers' groups, a group left with no supplier fails its owner.
    O(failed nodes + their out-arcs)."""
    indptr, indices, n = graph.indptr, graph.indices, tree.n
    failed: set[int] = set()
    left: dict[int, int] = {}  # suppliers a group still has
    queue = [f]
    while queue:
        for node in tree.below(queue.pop()).tolist():
            if node in failed:
                continue
            failed.add(node)
            if node >= n:  # a group: its owner goes
                queue.append(int(owner[node - n]))
                continue
            for g in indices[indptr[node] : indptr[node + 1]].tolist():
                if g in failed:
                    continue
                remaining = left.get(g, int(suppliers[g])) - 1
                left[g] = remaining
                if remaining == 0:
                    queue.append(g)
    return {v for v in failed if v < n and v != f}
