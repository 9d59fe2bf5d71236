"""Ranking: one row per opportunity, ordered within its group.

All orderings are stable sorts on integer and float keys (:func:`lexorder`, the same
result as ``np.lexsort``), done as a few passes of ``np.sort`` on keys packed with the row
number into one int64: numpy's sort of plain integers is several times faster than its
argsort, and an order of c rows costs O(c log c) per pass.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np

from .candidates import Candidates
from .economics import Costs, Worth, worth
from .evidence import from_network
from .receivers import Context
from .result import FATES, GROUPS, KINDS
from .streams import Streams

__all__ = ["Ranked", "counts", "deduplicated", "filtered", "lexorder", "ranked", "total"]


@dataclass(frozen=True, eq=False)
class Ranked:
    """The opportunities in rank order: ``index`` points at the chosen candidates (one
    per stream and receiver, or stream and sector for new plants), with their ``group``
    (index into :data:`GROUPS`), ``value`` and the other economic parts (``worth``,
    :mod:`.economics`) and ``group_rank`` (1, 2, ... within the group). Candidate
    columns are gathered on demand (:meth:`take`, :meth:`column`, :attr:`rows`)."""

    candidates: Candidates
    index: np.ndarray
    group: np.ndarray
    value: np.ndarray
    worth: Worth
    group_rank: np.ndarray

    def __len__(self) -> int:
        return len(self.index)

    def column(self, name: str) -> np.ndarray:
        """One candidate column in rank order. O(c)."""
        return getattr(self.candidates, name)[self.index]

    def take(self, positions) -> Candidates:
        """The candidates at these rank positions."""
        return self.candidates.take(self.index[np.asarray(positions, dtype=np.int64)])

    @cached_property
    def rows(self) -> Candidates:
        """Every chosen candidate in rank order."""
        return self.candidates.take(self.index)

    def listed(self, top: int) -> np.ndarray:
        """Positions of the ``top`` first opportunities of each group."""
        return np.flatnonzero(self.group_rank <= top) if top else np.zeros(0, np.int64)


def filtered(candidates: Candidates, streams: Streams, kinds, fates) -> Candidates:
    """The candidates of the given kinds and stream fates (all when None). O(c)."""
    keep = np.ones(len(candidates), dtype=bool)
    if kinds:
        keep &= np.isin(candidates.kind, [KINDS.index(k) for k in kinds])
    if fates:
        wanted = np.isin(streams.fate_code, [FATES.index(f) for f in fates])
        keep &= wanted[candidates.stream]
    return candidates if keep.all() else candidates.take(keep)


def ranked(
    candidates: Candidates,
    ctx: Context,
    rank_by: str,
    costs: Costs | None = None,
    kept: np.ndarray | None = None,
) -> Ranked:
    """One row per opportunity, ranked within its group (see the package docstring):
    the strongest kind then most mature row per (stream, receiver); alternatives of a
    stream ordered; rounds of alternatives; within a round by ``rank_by``. ``kept``:
    :func:`deduplicated` of these candidates, when known already. O(c log c)."""
    streams = ctx.streams
    kept = deduplicated(candidates, ctx) if kept is None else kept
    stream = candidates.stream[kept]
    group = streams.group_order[stream].astype(np.int8)
    money = worth(ctx, candidates, kept, costs or Costs())
    value = money.net_value if rank_by == "net_value" else money.value
    far: np.ndarray | None = _far(candidates.distance_km[kept])
    alternative = _alternatives(candidates, kept, stream, far, ctx)
    if rank_by != "distance":
        far = None  # read no more: one array fewer under the round order's sorts
    quantity = candidates.quantity  # gathered in the call: _round_order's own array
    order = _round_order(rank_by, stream, quantity[kept], far, value, alternative, group, streams)
    del stream, far, alternative  # before the gathers below: a lower peak
    money = money.take(order)
    group = group[order]
    return Ranked(
        candidates=candidates,
        index=kept[order],
        group=group,
        value=money.value,
        worth=money,
        group_rank=_cumcount(group) + 1,
    )


def _alternatives(candidates: Candidates, kept, stream, far, ctx: Context) -> np.ndarray:
    """The number of each deduplicated row among its stream's alternatives, 0 for the
    best: emerging last; actors present before new plants; the more mature; the nearest;
    then pathway, then receiver (the rows are in receiver order within a stream, and
    every pass is stable)."""
    pathway, kind = candidates.pathway[kept], candidates.kind[kept]
    tier = _tiers(pathway, kind, ctx)
    mid = ((tier >= 2) * 8 + kind) * 4 + tier
    del tier, kind
    order = lexorder(pathway, far, mid, stream)
    alternative = np.empty(len(order), dtype=np.int64)
    alternative[order] = _cumcount(stream[order])
    return alternative


def _tiers(pathway: np.ndarray, kind: np.ndarray, ctx: Context) -> np.ndarray:
    """Maturity tier per candidate: its catalogue row's; 0 for an actor that already takes
    the material; 1 (as "demonstrated") for network evidence of a related material or a
    peer (kind ``new_link`` without a row), weaker than an established pathway."""
    tier = ctx.tier.astype(np.int8)[pathway]  # tiers 0-3: a byte per row
    return np.where((pathway < 0) & (kind == KINDS.index("new_link")), np.int8(1), tier)


def _far(distance: np.ndarray) -> np.ndarray:
    """Distances for sorting: unknown ones after every known one. A finite stand-in just
    above the largest keeps the keys' bits few (infinity would widen every pass)."""
    unknown = np.isnan(distance)
    if not unknown.any():
        return distance
    largest = float(distance[~unknown].max(initial=0.0))
    return np.where(unknown, np.nextafter(largest, np.inf), distance)


def deduplicated(candidates: Candidates, ctx: Context) -> np.ndarray:
    """Per (stream, place): the strongest kind, then a catalogue row before network
    evidence, then the most mature tier, then the lowest pathway, then the first row.
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
    place[plant] = -1 - candidates.sector[plant]
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
    secondary += _tiers(candidates.pathway, candidates.kind, ctx)
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
    on in place) and the key in that order: one np.sort of the key packed with the row
    number (``rows``: 0, 1, ...) when both fit in 63 bits (the sorted keys then come out
    of the packed values: no gather), else :func:`lexorder`."""
    if int(key.max(initial=0)).bit_length() + index_bits > 63:
        order = lexorder(key)
        return order, key[order]
    key <<= np.int64(index_bits)
    key |= rows
    key.sort()
    order = key & np.int64((1 << index_bits) - 1)
    key >>= np.int64(index_bits)
    return order, key


def _round_order(rank_by, stream, quantity, far, value, alternative, group, streams):
    """The rank order: groups, then rounds of alternatives, then ``rank_by``.
    ``quantity`` is worked on in place (the caller's gather, read by nothing else)."""
    unknown = np.isnan(quantity)
    size = np.negative(np.nan_to_num(quantity, copy=False), out=quantity)  # -quantity, 0 if NaN
    del quantity
    # The rows come in stream order (:func:`deduplicated`), so the last tie-break of
    # every order below, the stream, is the row order that a stable sort keeps anyway:
    # it is left out of the keys (one pass of np.sort fewer).
    if rank_by == "quantity":
        dimension = streams.dimension[stream]
        dimension = np.where(dimension >= 0, dimension, 9)
        # by block (group, unknown, alternative) and dimension, the largest first: the
        # turns of the dimensions within each block
        by_block = lexorder(size, dimension, alternative, unknown, group)
        del size  # each temporary let go as soon as it is read: a lower peak
        block = (group.astype(np.int64) * 2 + unknown) * (alternative.max(initial=0) + 1)
        block = (block + alternative) * 10
        block += dimension
        turn = np.empty(len(by_block), dtype=np.int64)
        turn[by_block] = _cumcount(block[by_block])
        del by_block, block
        return lexorder(dimension, turn, alternative, unknown, group)
    if rank_by == "distance":
        return lexorder(size, unknown, far, alternative, group)
    return lexorder(size, unknown, -np.nan_to_num(value), np.isnan(value), alternative, group)


def counts(table: Ranked) -> dict[str, dict[str, int]]:
    """Number of opportunities per group and kind. O(c)."""
    kind = table.column("kind")
    found = np.bincount(table.group * len(KINDS) + kind, minlength=3 * len(KINDS))
    return {
        group: {kind: int(found[g * len(KINDS) + k]) for k, kind in enumerate(KINDS)}
        for g, group in enumerate(GROUPS)
    }


def total(candidates: Candidates, ctx: Context) -> int:
    """The number of rows :func:`ranked` makes of the candidates (one per stream and
    receiver, or stream and sector for a new plant), without ranking them. O(c log c)."""
    return len(deduplicated(candidates, ctx))


def _cumcount(keys: np.ndarray) -> np.ndarray:
    """0, 1, 2, ... within each run of equal consecutive ``keys``."""
    if not len(keys):
        return np.zeros(0, dtype=np.int64)
    starts = np.r_[0, np.flatnonzero(keys[1:] != keys[:-1]) + 1]
    return np.arange(len(keys)) - np.repeat(starts, np.diff(np.r_[starts, len(keys)]))


# ---------------------------------------------------------------------------- sorting


def lexorder(*keys: np.ndarray) -> np.ndarray:
    """The order of ``np.lexsort(keys)``: the last key is the primary one, ties keep row
    order (NaN after every number, -0.0 equal to 0.0). Keys are cut into integer pieces
    (a float into two 32-bit halves of an order-preserving integer, :func:`_pieces`).

    The most significant pieces, as many bits of them as fit beside the row number in an
    int64, are sorted in one pass of ``np.sort``; only the runs that this coarse key
    leaves tied while the rest of the keys differ are sorted again, by the rest
    (:func:`_refined`). At a million ranked rows those runs are a few per cent of the
    rows: one pass of every row instead of two to four (:func:`_passes`, the least
    significant pieces first, does every pass). O(c log c)."""
    n = len(keys[0])
    if n < 2:
        return np.arange(n, dtype=np.int64)
    index_bits = (n - 1).bit_length()
    room = 63 - index_bits
    coarse, used, cut = None, 0, None
    for k in range(len(keys) - 1, -1, -1):  # the primary key first
        for piece, bits in reversed(list(_pieces(np.asarray(keys[k]), room))):
            take = min(bits, room - used)
            if take < bits:  # the top bits only (the piece is _pieces' own array)
                piece >>= np.int64(bits - take)
            if coarse is None:
                coarse = piece
            elif take:
                coarse <<= np.int64(take)
                coarse |= piece
            used += take
            if take < bits:
                cut = k
                break
        if cut is not None:
            break
    assert coarse is not None
    if np.all(coarse[1:] >= coarse[:-1]):  # in order already: a stable sort changes nothing
        order = np.arange(n, dtype=np.int64)
    else:  # in place, as in _pass, but the sorted coarse key kept for the runs
        coarse <<= np.int64(index_bits)
        coarse |= np.arange(n, dtype=np.int64)
        coarse.sort()
        order = coarse & np.int64((1 << index_bits) - 1)
        coarse >>= np.int64(index_bits)
    if cut is None:
        return order
    same = coarse[1:] == coarse[:-1]  # position p ties with p + 1
    del coarse  # let go before the runs are looked at: a lower peak
    return _refined(order, same, [np.asarray(key) for key in keys[: cut + 1]])


_BLOCK = 1 << 16  # rows per block of _refined's comparisons (0.5 MB per int64 temporary)


def _refined(order: np.ndarray, same: np.ndarray, rest) -> np.ndarray:
    """``order`` (by a coarse key, then row; ``same[p]``: positions p and p + 1 tie on
    it) with each run of tied positions in which the ``rest`` of the keys (the less
    significant ones, as in :func:`lexorder`) differ sorted by them: the runs' rows
    ascending, so a stable sort by (run, rest) is the order of every key. ``order`` is
    written in place."""
    count = np.count_nonzero(same)
    if not count:
        return order
    if count * 4 < len(order):  # few ties: the keys read at the tied pairs only
        tied = np.flatnonzero(same)
        differ = np.zeros(len(tied), dtype=bool)
        for at in range(0, len(tied), _BLOCK):  # in blocks: small temporaries
            pairs = tied[at : at + _BLOCK]
            first, second = order[pairs], order[pairs + 1]
            for key in rest:
                differ[at : at + _BLOCK] |= _unequal(key[first], key[second])
        tied = tied[differ]
    else:  # many: the keys in order, a block at a time, neighbours compared
        differ = np.zeros(len(same), dtype=bool)
        for at in range(0, len(same), _BLOCK):
            rows = order[at : at + _BLOCK + 1]
            for key in rest:
                in_order = key[rows]
                differ[at : at + _BLOCK] |= _unequal(in_order[1:], in_order[:-1])
        differ &= same
        tied = np.flatnonzero(differ)
    if not len(tied):
        return order
    # every position of the runs that hold such a pair (run numbers ascend with position)
    run = np.zeros(len(order), dtype=np.int32 if len(order) < 1 << 31 else np.int64)
    np.cumsum(~same, out=run[1:])
    del same, differ
    unsettled = np.zeros(int(run[-1]) + 1, dtype=bool)
    unsettled[run[tied]] = True
    positions = np.flatnonzero(unsettled[run])
    rows = order[positions]
    order[positions] = rows[_passes(*(key[rows] for key in rest), run[positions])]
    return order


def _unequal(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """``a != b``, but NaN equal to NaN (as the pieces have it)."""
    unequal = a != b
    if a.dtype.kind == "f":
        unequal &= ~(np.isnan(a) & np.isnan(b))
    return unequal


def _passes(*keys: np.ndarray) -> np.ndarray:
    """:func:`lexorder` by passes of every piece, least significant first: as few stable
    passes of ``np.sort`` as the bits allow. A pass whose key is already in order is
    skipped. O(p c log c) for p passes."""
    n = len(keys[0])
    if n < 2:
        return np.arange(n, dtype=np.int64)
    index_bits = (n - 1).bit_length()
    room = 63 - index_bits
    order = None
    packed, used = None, 0
    for piece, bits in (p for key in keys for p in _pieces(np.asarray(key), room)):
        if packed is not None and used + bits > room:
            order = _pass(order, packed, index_bits)
            packed, used = None, 0
        if packed is None:
            packed = piece
        else:  # in place: the pieces are this function's own arrays
            piece <<= np.int64(used)
            packed |= piece
        used += bits
    if packed is not None:
        order = _pass(order, packed, index_bits)
    return np.arange(n, dtype=np.int64) if order is None else order


def _pieces(key: np.ndarray, room: int):
    """Non-negative int64 pieces of a key, least significant first, with their bits. Each
    piece is a new array (the caller's key is never written), worked on in place."""
    if key.dtype.kind == "f":
        key = key + 0.0  # -0.0 -> 0.0; a copy, this function's own from here on
        if key.min(initial=0.0) >= 0:  # no NaN and no negative: the bits are in order
            bits = key.view(np.int64)
        else:
            key[np.isnan(key)] = np.nan  # one NaN
            unsigned = key.view(np.uint64)
            negative = (unsigned >> np.uint64(63)).astype(bool)
            np.invert(unsigned, out=unsigned, where=negative)
            np.bitwise_or(unsigned, np.uint64(1 << 63), out=unsigned, where=~negative)
            bits = unsigned.view(np.int64)  # as unsigned halves below
        high = bits >> np.int64(32)
        high &= np.int64(0xFFFFFFFF)
        bits &= np.int64(0xFFFFFFFF)  # the low half, in the copy's memory
        parts = [bits, high]
    else:
        parts = [key.astype(np.int64)]  # a copy even of an int64 key
    for part in parts:
        low = int(part.min())
        if low:
            part -= low
        width = max(int(part.max()).bit_length(), 1)
        if width <= room:
            yield part, width
        else:  # wider than a pass: split (only for huge integer keys)
            for shift in range(0, width, room):
                yield (part >> np.int64(shift)) & np.int64((1 << room) - 1), room


def _pass(order, packed, index_bits) -> np.ndarray | None:
    """One stable pass: sort by ``packed`` (a key per row, :func:`lexorder`'s own array,
    worked on in place: no temporary of every row), rows in ``order``."""
    key = packed if order is None else packed[order]
    if np.all(key[1:] >= key[:-1]):
        return order  # already in order: a stable sort changes nothing
    key <<= np.int64(index_bits)
    key |= np.arange(len(key), dtype=np.int64)
    key.sort()  # distinct values: any sort is the stable one
    key &= np.int64((1 << index_bits) - 1)
    return key if order is None else order[key]
