"""Who generates, reuses and takes the residual streams of one dimension, per node, as
the reuse accounts count them: what criticality removes with an actor
(:mod:`~symbiosis.analysis.criticality`).

A stream's fate is its receiver's (:data:`~symbiosis.analysis.reuse_streams.FATES`), but
a stream into a distributor that passes it on ends where the distributor's outputs go, in
proportion (docs/reuse.md, "Distributors"): its parts are reused, treated, disposed ... as
the reuse accounts split them, not all under the fate that takes the largest share (which
the count of streams keeps). Per node:

``generated``
    the streams it generates (a distributor generates none: what it passes on is its
    senders');
``reused_from``
    the part of them that is reused, wherever it ends (the generator's credit, as in
    ``by_generator``);
``reused_by`` and ``taken_by``
    what it reuses (and reuses or treats) of the streams of *other* nodes: a stream's
    direct receiver; a distributor, what passes through it (its removal leaves all of it
    without a taker); a final receiver behind distributors, the part that ends at it (as
    in ``by_receiver``), less the part of its own streams that comes back to it through
    them (that goes with it as what it generated, in ``reused_from``, as its own
    recycling does).

Complexity: O(f) for the streams; with distributors, per dimension and passing rule one
sparse solve over the distributors (when they hand on to each other) for the chains and
for the part of a generator's stream that comes back to it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..model import FlowNetwork
from ._flowsums import Arrays
from ._transit import Passing, distributor_index
from .reuse_streams import FATES, _dominant_fates, _passed_on, _passing, _residual, flow_fates

__all__ = ["Takers", "counted_takers", "takers"]

_REUSED = FATES.index("reused")
_TREATED = FATES.index("treated")


@dataclass(frozen=True)
class Takers:
    """Per node of the core (see the module docstring): ``generated``, ``reused_from``,
    ``reused_by``, ``taken_by``; ``total`` and ``reused``, the network's sums."""

    generated: np.ndarray
    reused_from: np.ndarray
    reused_by: np.ndarray
    taken_by: np.ndarray

    @property
    def total(self) -> float:
        return float(self.generated.sum())

    @property
    def reused(self) -> float:
        return float(self.reused_from.sum())


def takers(network: FlowNetwork, dimension: int) -> Takers:
    """The :class:`Takers` of the sized residual streams in ``dimension`` (an index into
    :data:`~symbiosis.units.DIMENSIONS`). O(f), plus the distributors' solves."""
    arrays = Arrays(network)
    core = arrays.core
    n = core.n_nodes
    positions = np.flatnonzero(_residual(arrays) & (arrays.dimension == dimension))
    value = arrays.value[positions]
    source, target = core.source[positions], core.target[positions]
    fate_of_flow = flow_fates(arrays)
    fate = fate_of_flow[positions]
    reused_share = (fate == _REUSED).astype(float)
    taken_share = np.isin(fate, (_REUSED, _TREATED)).astype(float)
    passed = _passed_on(arrays, positions, np.full(len(positions), dimension))
    if passed is not None:
        into, fractions = passed
        reused_share[into] = fractions[:, _REUSED]
        taken_share[into] = fractions[:, _REUSED] + fractions[:, _TREATED]
    reused, taken = value * reused_share, value * taken_share
    # taken from another node: an actor's own recycling goes with it, as what it generated
    other = target != source
    reused_by = np.bincount(target[other], reused[other], minlength=n)
    taken_by = np.bincount(target[other], taken[other], minlength=n)
    if passed is not None:
        _behind(arrays, dimension, positions[passed[0]], fate_of_flow, reused_by, taken_by)
    return Takers(
        generated=np.bincount(source, value, minlength=n),
        reused_from=np.bincount(source, reused, minlength=n),
        reused_by=reused_by,
        taken_by=taken_by,
    )


def counted_takers(network: FlowNetwork) -> Takers:
    """The :class:`Takers` of every residual stream, sized or not, each weighing one,
    every dimension together, under one fate: a stream into a distributor under the fate
    that takes the largest share of it, as the reuse accounts count streams
    (``counted``); taken from another node by its direct receiver. O(f)."""
    arrays = Arrays(network)
    core = arrays.core
    n = core.n_nodes
    positions = np.flatnonzero(_residual(arrays))
    fate = _dominant_fates(arrays, positions)
    source, target = core.source[positions], core.target[positions]
    reused = (fate == _REUSED).astype(float)
    taken = np.isin(fate, (_REUSED, _TREATED)).astype(float)
    other = target != source
    return Takers(
        generated=np.bincount(source, minlength=n).astype(float),
        reused_from=np.bincount(source, reused, minlength=n),
        reused_by=np.bincount(target[other], reused[other], minlength=n),
        taken_by=np.bincount(target[other], taken[other], minlength=n),
    )


def _behind(
    arrays: Arrays,
    dimension: int,
    positions: np.ndarray,
    fate_of_flow: np.ndarray,
    reused_by: np.ndarray,
    taken_by: np.ndarray,
) -> None:
    """Add to ``reused_by`` and ``taken_by`` what the streams at ``positions`` (into
    distributors that pass them on) leave at the distributors down a chain and at the
    final receivers, less a generator's own part that comes back to it. In place."""
    core = arrays.core
    index = distributor_index(core)
    assert index is not None
    receiver = index[core.target[positions]]
    links, sized = _passing(arrays, None), _passing(arrays, dimension)
    by_size = sized.passes[receiver]
    for rule, chosen in ((sized, by_size), (links, ~by_size)):
        if chosen.any():
            _left_by(core, rule, positions[chosen], receiver[chosen], fate_of_flow,
                     reused_by, taken_by)  # fmt: skip


def _left_by(core, rule: Passing, positions, receiver, fate_of_flow, reused_by, taken_by):
    """:func:`_behind` for the streams one passing ``rule`` carries. In place."""
    value = core.value[positions]
    m = len(rule.passes)
    inflow = np.bincount(receiver, value, minlength=m)
    # the final receivers, by the fate of the flow that hands on to each (a keeping
    # distributor reuses what it keeps)
    index = rule.index
    final = core.target[rule.flows]
    fate = np.where(index[final] >= 0, _REUSED, fate_of_flow[rule.flows])
    carried = rule.carried(inflow)
    reused_by += np.bincount(final, carried * (fate == _REUSED), minlength=len(reused_by))
    taken_by += np.bincount(final, carried * np.isin(fate, (_REUSED, _TREATED)),
                            minlength=len(taken_by))  # fmt: skip
    # the distributors down a chain: what reaches them from upstream (once, however
    # often a loop of distributors brings it back)
    onward = rule.reached(inflow) - inflow
    if (onward > 1e-12 * max(float(inflow.sum()), 1.0)).any():
        nodes = np.flatnonzero(index >= 0)  # in the order of their positions
        reused_by[nodes] += onward * rule.fractions[:, _REUSED]
        taken_by[nodes] += onward * (rule.fractions[:, _REUSED] + rule.fractions[:, _TREATED])
    # a generator's own stream that comes back to it through the distributors
    source = core.source[positions]
    if np.isin(source, final).any():
        for among, into in ((fate == _REUSED, reused_by),
                            (np.isin(fate, (_REUSED, _TREATED)), taken_by)):  # fmt: skip
            back = value * np.asarray(rule.to_nodes(core, among)[receiver, source]).ravel()
            into -= np.bincount(source, back, minlength=len(into))
