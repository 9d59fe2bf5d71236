"""Deduplication: one row per stream and place (a receiver, or a proposed plant's
process), the strongest of the candidates there, before any ranking.

Split from :mod:`.ranking`, which orders the rows this keeps.
"""

from __future__ import annotations

import numpy as np

from ..._sorting import lexorder, sort_values
from .candidates import Candidates
from .evidence import from_network
from .processes import plant_of
from .ranking import match_tiers
from .receivers import Context
from .result import KINDS

__all__ = ["deduplicated", "total"]


def deduplicated(candidates: Candidates, ctx: Context) -> np.ndarray:
    """Per (stream, place: a receiver, or a proposed plant's process): the strongest
    kind, then a catalogue row before network evidence, then the most mature tier, then
    the lowest pathway, then the first row.
    Positions, by stream then place: one sort by (stream, place) and one minimum per run.

    The keys are built in place in arrays of this function's own, the small one in int32
    when it fits: at a million flows (1.8M candidates) 150 -> 80 MB of temporaries, and
    fewer fresh pages (this runs beside the capacities, at the pass's peak)."""
    n = len(candidates)
    if not n:
        return np.zeros(0, dtype=np.int64)
    secondary = _secondary(candidates, ctx)
    place = candidates.receiver.astype(np.int64)  # a copy, worked on in place
    plant = place < 0
    place[plant] = -2 - plant_of(ctx, candidates, plant)  # one per process (-1: none)
    del plant
    place -= place.min()
    width = int(place.max()) + 1
    index_bits = (n - 1).bit_length()
    if (int(secondary.max()) + 1).bit_length() + index_bits > 63:  # too wide to pack
        order = lexorder(secondary, place, candidates.stream)
        key = candidates.stream[order] * width + place[order]
        return order[np.flatnonzero(np.r_[True, key[1:] != key[:-1]])]
    key = candidates.stream * width
    key += place
    del place
    rows = np.arange(n, dtype=np.int64)
    order, key = _sorted_with_keys(key, index_bits, rows)
    starts = np.flatnonzero(np.r_[True, key[1:] != key[:-1]])
    del key
    packed = secondary[order].astype(np.int64)
    del secondary
    packed <<= np.int64(index_bits)
    packed |= rows
    del rows
    best = np.minimum.reduceat(packed, starts)
    best &= np.int64((1 << index_bits) - 1)
    return order[best]


def _secondary(candidates: Candidates, ctx: Context) -> np.ndarray:
    """The order of the rows of one (stream, place) in :func:`deduplicated`, as one
    integer: ``((kind * 2 + network) * 4 + tier) * (rows + 2) + pathway``, where a
    catalogue row (sourced) comes before network evidence (pathway -1) of the same kind
    (a same-material redirect, pathway -1 too, keeps its place before substitute rows).
    In int32 when the largest value fits (it does for any catalogue of fewer than some
    50 million rows), else int64."""
    network = from_network(candidates)
    rows = len(ctx.tier)
    largest = ((len(KINDS) * 2 + 1) * 4 + int(ctx.tier.max(initial=0))) * (rows + 2) + rows
    dtype = np.int32 if largest < np.iinfo(np.int32).max else np.int64
    secondary: np.ndarray = candidates.kind.astype(dtype)
    secondary *= 2
    secondary += network
    secondary *= 4
    secondary += match_tiers(candidates.pathway, candidates.kind, candidates.rule, ctx.tier)
    secondary *= rows + 2
    pathway: np.ndarray = candidates.pathway.astype(dtype)
    pathway += 1
    pathway[network] = rows
    secondary += pathway
    return secondary


def _sorted_with_keys(
    key: np.ndarray, index_bits: int, rows: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """The stable order of a non-negative int64 ``key`` (this caller's own array, worked
    on in place) and the key in that order: one sort of the key packed with the row
    number (``rows``: 0, 1, ...) when both fit in 63 bits (the sorted keys then come out
    of the packed values: no gather), else :func:`lexorder`. The candidates come stream
    by stream in a few parts, so the packed keys are nearly in order: numpy's timsort
    (:func:`~symbiosis._sorting.sort_values`) takes 0.035 s of its introsort's 0.115 s
    at a million flows."""
    if int(key.max(initial=0)).bit_length() + index_bits > 63:
        order = lexorder(key)
        return order, key[order]
    key <<= np.int64(index_bits)
    key |= rows
    sort_values(key)
    order = key & np.int64((1 << index_bits) - 1)
    key >>= np.int64(index_bits)
    return order, key


def total(candidates: Candidates, ctx: Context) -> int:
    """The number of rows the ranking makes of the candidates (one per stream and
    receiver, or stream and process for a new plant), without ranking them. O(c log c)."""
    return len(deduplicated(candidates, ctx))
