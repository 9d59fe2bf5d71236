"""Stable orders of many rows by several keys, in a few passes of ``np.sort``
(:func:`lexorder`, the result of ``np.lexsort``), and run counts (:func:`cumcount`): what
every pass sorts its rows with (the opportunities' ranking, the tables' display order,
the loop search's adjacency), and any stable argsort of a large array (one key:
``np.argsort(key, kind="stable")``); :func:`sort_values`, numpy's faster sort for the
values at hand (keys made part by part come nearly in order); :func:`unique`, the distinct
values of an array as ``np.unique`` gives them, which on integer keys takes a hash-based
path in numpy 2.3+ about fifty times slower than sorting (1.2 s against 0.02 s for 800,000
int64 keys on this project's machine). A leaf: no project imports.

numpy's sort of plain integers is several times faster than its argsort, so the keys are
packed with the row number into one int64 and sorted as plain integers: one key of a
million small integers, 48 against 10 ms; 300,000 floats, 22 against 6 ms.
"""

from __future__ import annotations

import numpy as np

__all__ = ["cumcount", "lexorder", "sort_values", "sorted_values", "unique"]

# Values in order at a coarse scale (at most a quarter of the descents of random values
# between every 64th value) are sorted by numpy's stable sort, a timsort: it sorts short
# stretches by insertion and merges them, nearly free when they come in order; other
# values by numpy's default, an introsort (SIMD on x86-64) that never sees order. At a
# million flows (one thread): the opportunities' deduplication key, 2M values, 0.115 ->
# 0.035 s; the alternatives' coarse key 0.10 -> 0.02 s; on random values timsort is
# 10-20 % slower, so those keep the default.
_STRIDE = 64
# Below this many values the default sort is fast enough that looking is not worth it.
_ADAPTIVE_FROM = 1 << 15


def sort_values(values: np.ndarray) -> None:
    """Sort ``values`` (1-d) in place, by the faster of numpy's two sorts for them (the
    sorted values are the same either way, but for the order of -0.0 and 0.0 among
    floats, which compare equal): the stable one when the values are in
    order at a coarse scale (candidates made stream by stream, keys packed in row
    order), the default otherwise. O(n log n); O(n) for values in order."""
    if len(values) >= _ADAPTIVE_FROM and _coarsely_in_order(values):
        values.sort(kind="stable")
    else:
        values.sort()


def _coarsely_in_order(values: np.ndarray) -> bool:
    """Whether every 64th value descends from the one before at most an eighth of the
    time (a random order: half of the time). O(n / 64)."""
    sample = values[::_STRIDE]
    return bool(np.count_nonzero(sample[1:] < sample[:-1]) * 8 < len(sample))


def sorted_values(values: np.ndarray) -> np.ndarray:
    """``np.sort(values)`` (1-d) by :func:`sort_values`: a sorted copy."""
    copy = np.array(values, copy=True)
    sort_values(copy)
    return copy


# Integers spanning at most this many times as many values as there are (plus 1,024) are
# counted instead of sorted by :func:`unique`: O(n + span).
_DENSE = 4


def unique(
    values: np.ndarray, *, return_inverse: bool = False, return_counts: bool = False
) -> np.ndarray | tuple[np.ndarray, ...]:
    """The sorted distinct values of a 1-d array, as ``np.unique`` gives them, optionally
    with the inverse (``distinct[inverse] == values``) and the count of each. O(n + span)
    by counting for integers of a small span (:data:`_DENSE`), else O(n log n) by one
    sort (an argsort when the inverse is asked for)."""
    values = np.asarray(values).ravel()
    if values.dtype.kind in "iu" and len(values):
        low, high = int(values.min()), int(values.max())
        if high - low <= _DENSE * len(values) + 1024 and high <= np.iinfo(np.intp).max:
            return _counted(values, low, high, return_inverse, return_counts)
    if return_inverse:
        # Unstable: tied values share their rank whatever their order (and numpy's default
        # argsort is 1.2-2x faster than the stable one on int64).
        order = np.argsort(values)
        ordered = values[order]
    else:
        ordered = sorted_values(values)
    starts = np.ones(len(ordered), dtype=bool)
    if len(ordered):
        np.not_equal(ordered[1:], ordered[:-1], out=starts[1:])
    distinct = ordered[starts]
    result: list[np.ndarray] = [distinct]
    if return_inverse:
        inverse = np.empty(len(values), dtype=np.intp)
        inverse[order] = np.cumsum(starts) - 1
        result.append(inverse)
    if return_counts:
        first = np.flatnonzero(starts)
        result.append(np.diff(np.append(first, len(ordered))))
    return result[0] if len(result) == 1 else tuple(result)


def _counted(values: np.ndarray, low: int, high: int, inverse: bool, counts: bool):
    """:func:`unique` of integers between ``low`` and ``high`` by counting each value."""
    shifted = values.astype(np.intp)  # each value fits: high is within intp
    shifted -= low
    count = np.bincount(shifted, minlength=high - low + 1)
    present = count > 0
    result: list[np.ndarray] = [(np.flatnonzero(present) + low).astype(values.dtype)]
    if inverse:
        result.append((np.cumsum(present) - 1)[shifted])
    if counts:
        result.append(count[present])
    return result[0] if len(result) == 1 else tuple(result)


def cumcount(keys: np.ndarray) -> np.ndarray:
    """0, 1, 2, ... within each run of equal consecutive ``keys``."""
    if not len(keys):
        return np.zeros(0, dtype=np.int64)
    starts = np.r_[0, np.flatnonzero(keys[1:] != keys[:-1]) + 1]
    return np.arange(len(keys)) - np.repeat(starts, np.diff(np.r_[starts, len(keys)]))


def lexorder(*keys: np.ndarray) -> np.ndarray:
    """The order of ``np.lexsort(keys)``: the last key is the primary one, ties keep row
    order (NaN after every number, -0.0 equal to 0.0). Keys are cut into integer pieces
    (a float into two 32-bit halves of an order-preserving integer, :func:`_pieces`).

    The most significant pieces, as many bits of them as fit beside the row number in an
    int64, are sorted in one pass of ``np.sort``; only the runs that this coarse key
    leaves tied while the rest of the keys differ are sorted again, by the rest
    (:func:`_refined`). At a million ranked rows those runs are a few per cent of the
    rows: one pass of every row instead of two to four (:func:`_passes`, the least
    significant pieces first, does every pass). Keys of other kinds (text, dates) and
    unsigned integers past the int64 range are left to ``np.lexsort``. O(c log c)."""
    arrays = [np.asarray(key) for key in keys]
    n = len(arrays[0])
    if n < 2:
        return np.arange(n, dtype=np.int64)
    if not all(_packable(key) for key in arrays):
        return np.lexsort(arrays)
    index_bits = (n - 1).bit_length()
    room = 63 - index_bits
    coarse, used, cut = None, 0, None
    for k in range(len(arrays) - 1, -1, -1):  # the primary key first
        for piece, bits in reversed(list(_pieces(arrays[k], room))):
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
    elif cut is None and used <= 2 * _DIGIT:  # every key in a few bits: no refinement
        return _radix_order(coarse, used)
    else:  # in place, as in _pass, but the sorted coarse key kept for the runs
        coarse <<= np.int64(index_bits)
        coarse |= np.arange(n, dtype=np.int64)
        sort_values(coarse)
        order = coarse & np.int64((1 << index_bits) - 1)
        coarse >>= np.int64(index_bits)
    if cut is None:
        return order
    same = coarse[1:] == coarse[:-1]  # position p ties with p + 1
    del coarse  # let go before the runs are looked at: a lower peak
    return _refined(order, same, arrays[: cut + 1])


# numpy's stable argsort of 16-bit integers is a radix sort: O(n), and several times
# faster than a sort of 64-bit values (333,000 keys of 6 bits: 2.8 against 16 ms; 2M
# keys of 8 bits: 8 against 115 ms).
_DIGIT = 16


def _radix_order(key: np.ndarray, bits: int) -> np.ndarray:
    """The stable order of a non-negative int64 ``key`` of at most ``2 * _DIGIT`` bits: a
    radix sort of its low digit, then, for a wider key, of its high digit in that order
    (a stable pass keeps the low digit's order among equal high digits). O(n)."""
    low = (key & np.int64((1 << _DIGIT) - 1)).astype(np.uint16)
    order = np.argsort(low, kind="stable").astype(np.int64, copy=False)
    if bits <= _DIGIT:
        return order
    high = (key >> np.int64(_DIGIT)).astype(np.uint16)[order]
    return order[np.argsort(high, kind="stable")]


def _packable(key: np.ndarray) -> bool:
    """Whether :func:`_pieces` can cut ``key``: booleans, floats, and integers within the
    int64 range."""
    if key.dtype.kind == "u" and key.itemsize == 8:
        return int(key.max()) <= np.iinfo(np.int64).max
    return key.dtype.kind in "biuf"


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
        # -0.0 -> 0.0, narrower floats widened (exactly: the pieces read 64 bits); a
        # copy, this function's own from here on
        key = np.add(key, 0.0, dtype=np.float64)
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
    sort_values(key)  # distinct values: any sort is the stable one
    key &= np.int64((1 << index_bits) - 1)
    return key if order is None else order[key]
