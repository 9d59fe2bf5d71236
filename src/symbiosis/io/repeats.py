"""The exact-repeat rule of ``flows.csv``: no row repeats another row cell for cell.

Rows are grouped on the columns the other rules encoded already (endpoints, material,
category, unit) by one sort of a combined integer key; only the rows that share a group
are compared on the other columns. O(rows log rows) for the sort, O(cells) for the rest.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pandas as pd
import pyarrow as pa

from .._sorting import sorted_values, unique
from .columns import Encoded, encode
from .firms import first_occurrences
from .problems import Collector
from .reading import Table

__all__ = ["check_repeated_rows"]

_KEY_LIMIT = 1 << 62  # combined row keys stay below this (int64)


def _compress(key: np.ndarray) -> tuple[np.ndarray, int]:
    codes, uniques = pd.factorize(key)
    return codes.astype(np.int64, copy=False), len(uniques)


def _combine(key: np.ndarray, size: int, codes: np.ndarray, count: int):
    """The key of ``(key, codes)`` as one int64, renumbered first if it would overflow.
    ``key`` (an int64 array of the caller's own) is updated in place: no temporary per
    column."""
    count = max(count, 1)
    if size * count >= _KEY_LIMIT:
        key, size = _compress(key)
    key *= count
    key += codes
    return key, size * count


def _repeated_keys(key: np.ndarray) -> np.ndarray:
    """Positions of the rows whose key equals another row's, found from the sorted keys
    (numpy's sort of integers is vectorised: a few times faster than hashing every key
    into a table), so that a file without repeats hashes nothing. O(rows log rows), O(rows)
    for a file in key order (:func:`~symbiosis._sorting.sorted_values`)."""
    ordered = sorted_values(key)
    repeated = unique(ordered[1:][ordered[1:] == ordered[:-1]])  # in order: sorted fast
    if not len(repeated):
        return np.zeros(0, dtype=np.int64)
    at = np.minimum(np.searchsorted(repeated, key), len(repeated) - 1)
    return np.flatnonzero(repeated[at] == key)


def _endpoint_codes(at: tuple[np.ndarray, np.ndarray], table: Table) -> list[np.ndarray]:
    """Source and target as codes equal exactly when the text is: their positions, with the
    unknown ids (position -1) numbered apart."""
    source_at, target_at = at
    if source_at.min(initial=0) >= 0 and target_at.min(initial=0) >= 0:
        return [source_at, target_at]  # every id known (the common case): no copy
    missing = np.concatenate([source_at < 0, target_at < 0])
    codes = np.concatenate([source_at, target_at])
    if missing.any():
        both = pa.chunked_array([table.column("source"), table.column("target")])
        unknown = encode(both.filter(pa.array(missing)).combine_chunks())
        codes = codes.copy()
        codes[missing] = int(codes.max(initial=-1)) + 1 + unknown.codes
    return [codes[: len(source_at)], codes[len(source_at) :]]


def check_repeated_rows(table: Table, at, encoded: tuple[Encoded, ...], found: Collector):
    """One problem per row that repeats an earlier row exactly (every cell equal as text).

    Rows are first grouped on the columns already encoded (endpoints, material, category,
    unit); only rows sharing a group with another row are compared on the other columns, so
    a file without repeats costs one sort of the row keys, and the check stays O(cells)
    (O(rows log rows) for the sort)."""
    endpoints = _endpoint_codes(at, table)
    size = int(max(endpoints[0].max(initial=0), endpoints[1].max(initial=0))) + 1
    key = endpoints[0].astype(np.int64)  # a copy: _combine updates it in place
    key, size = _combine(key, size, endpoints[1], size)
    for column in encoded:
        key, size = _combine(key, size, column.codes, len(column))
    candidates = _repeated_keys(key)
    key, size = _compress(key[candidates])
    shared = np.bincount(key, minlength=size)[key] > 1
    candidates, key = candidates[shared], key[shared]
    if not len(candidates):
        return
    taken = pa.array(candidates, pa.int64())
    keyed = {"source", "target", "material", "category", "unit"}
    for name in table.names:
        if name not in keyed:
            other = encode(table.column(name).take(taken))
            key, size = _combine(key, size, other.codes, len(other))
    key, _ = _compress(key)
    new = first_occurrences(key)
    repeated = candidates[~new]
    if not len(repeated):
        return
    first_position = candidates[np.flatnonzero(new)][key[~new]]
    hint = "delete it, or if both are real add a column (e.g. date) that tells them apart"

    def each(listed: np.ndarray) -> Iterator[tuple[str, str]]:  # the first of ``repeated``
        for position in first_position[: len(listed)]:
            yield f"row repeats row {table.rows[position]} exactly", hint

    found.add_listed(table, repeated, None, "delete the repeated rows", each)
