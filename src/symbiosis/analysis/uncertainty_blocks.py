"""The Finn cycling index's ``n_ii`` for every sample: the cyclic components of a
dimension, batched by size, for :mod:`symbiosis.analysis.uncertainty_model`.

``n_ii`` is the diagonal of ``(I - G_SS)^-1`` on each cyclic strongly connected component
S. Components up to :data:`BATCH_BLOCK` actors are stacked over samples (at most
:data:`STACK_VALUES` entries at a time) and inverted by batched LAPACK; larger ones one
sample at a time by :func:`~symbiosis.analysis._linalg.integral_diagonal`. A sample whose
block is singular, ill-conditioned (``cond_1 > 1e10``) or not an M-matrix gets NaN.

Which arcs lie in which group of components does not depend on the samples: it is found
once per dimension (:class:`Plan`, O(flows + actors)) and kept, so that each evaluation
costs O(samples x arcs inside the components) plus the inverses (the arcs were looked for
among all of the dimension's flows for every group and every chunk of samples: 2.8 of the
14 s of 20 samples at a million flows).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np
import scipy.sparse as sp

from ._linalg import CONDITION_LIMIT, integral_diagonal

__all__ = ["BATCH_BLOCK", "STACK_VALUES", "Plan", "integral_diagonals"]

#: Cyclic components up to this many actors are inverted for all samples at once.
BATCH_BLOCK = 400
#: Largest stack of matrix entries inverted at once (8 bytes each: 32 MB).
STACK_VALUES = 1 << 22


@dataclass(frozen=True, eq=False)
class _Group:
    """Components of one size inverted together: their numbers, their actors
    ``(blocks, size)``, the arcs inside them (positions among the dimension's
    actor-to-actor flows, ascending) and each arc's (component slot, local source,
    local target)."""

    blocks: list[int]
    size: int
    members: np.ndarray
    pick: np.ndarray
    index: tuple[np.ndarray, np.ndarray, np.ndarray]


@dataclass(frozen=True, eq=False)
class _Large:
    """A component solved one sample at a time: its number, the arcs inside it
    (ascending) and their local (source, target)."""

    block: int
    pick: np.ndarray
    rows: np.ndarray
    cols: np.ndarray


@dataclass(frozen=True, eq=False)
class Plan:
    """The steps of :func:`integral_diagonals` for one dimension: a :class:`_Group` of
    small components or a :class:`_Large` component, in the order their diagonals are
    given."""

    steps: list[_Group | _Large]

    @classmethod
    def of(cls, blocks: list[np.ndarray], source, target, n_actors: int) -> Plan:
        """The plan for components ``blocks`` of the arcs ``source -> target`` (actor
        indices). O(arcs + actors), plus a sort of the arcs inside components."""
        block_of = np.full(n_actors, -1, dtype=np.int64)
        local = np.zeros(n_actors, dtype=np.int64)
        for b, members in enumerate(blocks):
            block_of[members] = b
            local[members] = np.arange(len(members))
        inside = (block_of[source] >= 0) & (block_of[source] == block_of[target])
        arcs = np.flatnonzero(inside)
        arc_block = block_of[source[arcs]]
        by_block = arcs[np.argsort(arc_block, kind="stable")]  # ascending within a block
        bounds = np.searchsorted(np.sort(arc_block), np.arange(len(blocks) + 1))
        by_size: dict[int, list[int]] = {}
        for b, members in enumerate(blocks):
            by_size.setdefault(len(members), []).append(b)
        steps: list[_Group | _Large] = []
        for size, numbers in by_size.items():
            if size > BATCH_BLOCK:
                for b in numbers:
                    pick = by_block[bounds[b] : bounds[b + 1]]
                    steps.append(_Large(b, pick, local[source[pick]], local[target[pick]]))
                continue
            per_group = max(1, STACK_VALUES // (size * size))
            for start in range(0, len(numbers), per_group):
                group = numbers[start : start + per_group]  # ascending
                runs = [by_block[bounds[b] : bounds[b + 1]] for b in group]
                pick = np.sort(np.concatenate(runs))
                slot = np.searchsorted(np.asarray(group), block_of[source[pick]])
                index = (slot, local[source[pick]], local[target[pick]])
                members = np.stack([blocks[b] for b in group])
                steps.append(_Group(group, size, members, pick, index))
        return cls(steps)


def integral_diagonals(
    d: Any, flow_values: np.ndarray, through: np.ndarray
) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """Per cyclic component of dimension ``d`` (its ``blocks`` and their ``plan``): its
    actors and ``n_ii`` for every sample ``(samples, k)``, NaN for a sample whose block
    cannot be trusted. ``flow_values`` are the samples' values of ``d``'s actor-to-actor
    flows, ``through`` the actors' throughflows."""
    samples = len(through)
    for step in d.plan.steps:
        if isinstance(step, _Large):
            members = d.blocks[step.block]
            yield members, _large_block(step, members, flow_values, through)
            continue
        chunk = max(1, STACK_VALUES // (len(step.blocks) * step.size * step.size))
        diagonal = np.concatenate(
            [
                _stack(step, flow_values[s : s + chunk], through[s : s + chunk])
                for s in range(0, samples, chunk)
            ]
        )
        for k, b in enumerate(step.blocks):
            yield d.blocks[b], diagonal[:, k, :]


def _stack(group: _Group, flow_values: np.ndarray, through: np.ndarray) -> np.ndarray:
    """``n_ii`` of the group's components for the samples given: ``(samples, blocks,
    size)``, by one batched inverse."""
    size = group.size
    stack = np.zeros((len(through), len(group.blocks), size, size))
    cells: Any = (slice(None), *group.index)  # every sample, each arc's cell
    np.add.at(stack, cells, flow_values[:, group.pick])
    totals = through[:, group.members]  # (samples, blocks, size)
    g = np.divide(stack, totals[..., None], out=stack, where=totals[..., None] > 0)
    return _stacked_diagonal(g)


def _stacked_diagonal(g: np.ndarray) -> np.ndarray:
    """Diagonal of ``(I - g)^-1`` for a stack of matrices ``(..., k, k)``; NaN for a matrix
    that is singular, ill-conditioned or not an M-matrix (a negative inverse entry)."""
    k = g.shape[-1]
    system = np.eye(k) - g
    with np.errstate(all="ignore"):
        try:
            inverse = np.linalg.inv(system)
        except np.linalg.LinAlgError:
            inverse = _inverse_one_by_one(system)
        norm = np.abs(system).sum(axis=-2).max(axis=-1)
        inverse_norm = np.abs(inverse).sum(axis=-2).max(axis=-1)
        bad = ~np.all(np.isfinite(inverse), axis=(-2, -1))
        bad |= np.any(inverse < -1e-9, axis=(-2, -1)) | ~(norm * inverse_norm <= CONDITION_LIMIT)
    diagonal = np.diagonal(inverse, axis1=-2, axis2=-1).copy()
    diagonal[bad] = np.nan
    return diagonal


def _inverse_one_by_one(system: np.ndarray) -> np.ndarray:
    flat = system.reshape(-1, *system.shape[-2:])
    out = np.full(flat.shape, np.nan)
    for i, matrix in enumerate(flat):
        try:
            out[i] = np.linalg.inv(matrix)
        except np.linalg.LinAlgError:
            continue
    return out.reshape(system.shape)


def _large_block(step: _Large, members, flow_values, through) -> np.ndarray:
    """``n_ii`` of one large component, one sample at a time (sparse, as the pass)."""
    k = len(members)
    rows, cols = step.rows, step.cols
    out = np.empty((len(through), k))
    for s in range(len(through)):
        totals = through[s, members]
        share = np.divide(
            flow_values[s, step.pick],
            totals[rows],
            out=np.zeros(len(step.pick)),
            where=totals[rows] > 0,
        )
        g = sp.csr_matrix((share, (rows, cols)), shape=(k, k))
        diagonal, failures = integral_diagonal(g, [np.arange(k)])
        out[s] = np.nan if failures else diagonal
    return out
