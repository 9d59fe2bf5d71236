"""The exact-repeat rule of ``flows.csv``: no row repeats another row cell for cell, nor
with its quantity written otherwise in the same unit (``600`` and ``６００``, ``600.0``,
``6e2``; ``1,200``, refused for its separator, and ``1200``), nor in another unit (the same
flow, ``15000000 GJ/a`` on one row and ``4170 GWh`` on the next).

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
from ..units import UnknownUnitError, parse_unit
from .columns import Encoded, encode
from .firms import first_occurrences
from .numbers import grouped_values
from .problems import Collector, cells, shorten
from .reading import Table

__all__ = ["check_repeated_rows"]

_KEY_LIMIT = 1 << 62  # combined row keys stay below this (int64)
#: The columns the grouping key holds already.
_KEYED = {"source", "target", "material", "category", "unit"}
#: The columns whose cells follow the unit: they differ with it for the same flow.
_WITH_THE_UNIT = {"quantity", "price", "quantity_low", "quantity_high"}
#: Two quantities at most this far apart (relative) are one: 4,170 GWh is 15,012,000 GJ,
#: written as 15,000,000 GJ.
SAME_SIZE = 0.01


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


def check_repeated_rows(
    table: Table,
    at,
    encoded: tuple[Encoded, ...],
    found: Collector,
    value: np.ndarray | None = None,
    quantity: np.ndarray | None = None,
) -> None:
    """One problem per row that repeats an earlier row exactly (every cell equal as text);
    given the rows' parsed ``quantity``, per row that repeats one with its quantity
    written otherwise (:func:`_written_otherwise`); given their converted ``value``, per
    row that repeats one in another unit (:func:`_in_other_units`). A row is said to
    repeat another once, the first way that holds.

    Rows are first grouped on the columns already encoded (endpoints, material, category;
    ``encoded`` ends with the unit); only rows sharing a group with another row are
    compared on the other columns, so a file without repeats costs one sort of the row
    keys, and the check stays O(cells) (O(rows log rows) for the sort)."""
    *grouping, units = encoded
    endpoints = _endpoint_codes(at, table)
    size = int(max(endpoints[0].max(initial=0), endpoints[1].max(initial=0))) + 1
    key = endpoints[0].astype(np.int64)  # a copy: _combine updates it in place
    key, size = _combine(key, size, endpoints[1], size)
    for column in grouping:
        key, size = _combine(key, size, column.codes, len(column))
    candidates = _repeated_keys(key)
    if not len(candidates):
        return
    group, size = _compress(key[candidates])
    repeated = _exact_repeats(table, candidates, group, size, units, found, quantity)
    if value is not None:
        if len(repeated):  # a repeat in one unit is said as such alone
            said = ~np.isin(candidates, repeated)
            candidates, group = candidates[said], _compress(group[said])[0]
        _in_other_units(table, candidates, group, size, units, value, found)


def _exact_repeats(
    table, candidates, group, size, units: Encoded, found: Collector, quantity=None
) -> np.ndarray:
    """:func:`check_repeated_rows`' repeats in one unit among the ``candidates`` (rows
    sharing their ``group`` of endpoints, material and category with another row): exact,
    and with the quantity written otherwise when the parsed ``quantity`` is given; their
    positions. The other columns are encoded once for both."""
    key, size = _combine(group.copy(), size, units.codes[candidates], len(units))
    key, size = _compress(key)
    shared = np.bincount(key, minlength=size)[key] > 1
    candidates, key = candidates[shared], key[shared]
    if not len(candidates):
        return candidates
    key = _other_columns(table, candidates, key, _KEYED | {"quantity"})
    written = None
    exact = key
    if "quantity" in table:
        written = encode(table.column("quantity").take(pa.array(candidates, pa.int64())))
        exact, _ = _combine(key.copy(), int(key.max()) + 1, written.codes, len(written))
        exact = _compress(exact)[0]
    new = first_occurrences(exact)
    repeated = candidates[~new]
    if len(repeated):
        first_position = candidates[np.flatnonzero(new)][exact[~new]]
        hint = "delete it, or if both are real add a column (e.g. date) that tells them apart"

        def each(listed: np.ndarray) -> Iterator[tuple[str, str]]:  # the first of ``repeated``
            for position in first_position[: len(listed)]:
                yield f"row repeats row {table.rows[position]} exactly", hint

        found.add_listed(table, repeated, None, "delete the repeated rows", each)
    if quantity is None or written is None:
        return repeated
    rows, key, codes = candidates[new], key[new], written.codes[new]
    return np.concatenate([repeated, _written_otherwise(table, rows, key, codes, quantity, found)])


def _written_otherwise(table: Table, rows, key, written, quantity, found: Collector) -> np.ndarray:
    """The ``rows`` (no two alike as text) that repeat an earlier one of them with the
    quantity written otherwise: the same ``key`` (every other cell, the unit too) and the
    same number, as parsed (``quantity``) or, for a cell refused for its thousands
    separators, as its hint gives it (:func:`~symbiosis.io.numbers.grouped_values`); a
    cell that says no number is compared as text (``written``, its codes). One problem
    each; their positions. O(rows)."""
    shared = np.bincount(key)[key] > 1  # only those may repeat: no number read for the others
    rows, key, written = rows[shared], key[shared], written[shared]
    number = quantity[rows] + 0.0  # -0 is 0
    unread = np.isnan(number)
    if unread.any():
        refused = table.column("quantity").take(pa.array(rows[unread], pa.int64()))
        number[unread] = grouped_values(refused, decimal_comma=table.decimal_comma)
        unread = np.isnan(number)
    codes, numbers = pd.factorize(number)  # NaN is -1: the text's codes, after the numbers
    said = np.where(unread, len(numbers) + written, codes).astype(np.int64)
    size = len(numbers) + int(written.max(initial=-1)) + 1
    key, _ = _combine(key.astype(np.int64), int(key.max(initial=-1)) + 1, said, size)
    key = _compress(key)[0]
    new = first_occurrences(key)
    repeated, earlier = rows[~new], rows[np.flatnonzero(new)][key[~new]]
    if not len(repeated):
        return repeated
    quantities = table.column("quantity")
    hint = (
        "delete one of the two, or if both are real add a column (e.g. date) that tells them apart"
    )

    def each(listed: np.ndarray) -> Iterator[tuple[str, str]]:  # the first of ``repeated``
        for row, before in zip(listed, earlier[: len(listed)], strict=True):
            here, there = cells(quantities, np.array([row, before]))
            yield (
                f"row repeats row {table.rows[before]} with its quantity written otherwise: "
                f"'{shorten(here, 20)}' is '{shorten(there, 20)}'",
                hint,
            )

    found.add_listed(table, repeated, "quantity", "delete the repeated rows", each)
    return repeated


def _other_columns(table: Table, candidates, key, keyed: set[str]) -> np.ndarray:
    """``key`` (codes of the ``candidates``' groups) refined by every column of the
    table not ``keyed``, renumbered in order of first appearance. O(candidates x
    columns)."""
    size = int(key.max(initial=-1)) + 1
    taken = pa.array(candidates, pa.int64())
    for name in dict.fromkeys(table.names):
        if name not in keyed:
            other = encode(table.column(name).take(taken))
            key, size = _combine(key, size, other.codes, len(other))
    return _compress(key)[0]


def _in_other_units(
    table: Table, candidates, group, size, units: Encoded, value: np.ndarray, found: Collector
) -> None:
    """Rows that give the flow of an earlier row (same endpoints, material, category and
    every other cell, but the quantity, unit, price and bounds, which go with the unit) in
    another unit: the same quantity once converted (within :data:`SAME_SIZE`) is refused
    as the exact repeat is (a tester's district heat, 15,000,000 GJ/a and 4,170 GWh,
    was counted twice; ``t`` and ``tonnes`` too); another quantity in a unit of another
    factor is warned of, once for the file. O(candidates) on integer codes; the other
    columns only for groups holding two units, a unit parse (cached) per row warned of."""
    unit_codes = units.codes[candidates]
    group_first = np.flatnonzero(first_occurrences(group))
    mixed = np.zeros(size, dtype=bool)
    mixed[group[unit_codes != unit_codes[group_first[group]]]] = True
    keep = mixed[group]
    if not keep.any():
        return
    candidates, group = candidates[keep], _compress(group[keep])[0]
    key = _other_columns(table, candidates, group, _KEYED | _WITH_THE_UNIT)
    reference = candidates[np.flatnonzero(first_occurrences(key))[key]]
    other_unit = units.codes[candidates] != units.codes[reference]
    rows, earlier = candidates[other_unit], reference[other_unit]
    size_known = np.isfinite(value[rows]) & np.isfinite(value[earlier])
    same = size_known & np.isclose(value[rows], value[earlier], rtol=SAME_SIZE, atol=0)
    _say_same(table, rows[same], earlier[same], units, found)
    differ = size_known & ~same
    differ[differ] = [  # GJ/a beside GJ is the same unit: two flows, as in one spelling
        _factor(units.values[units.codes[r]]) != _factor(units.values[units.codes[e]])
        for r, e in zip(rows[differ], earlier[differ], strict=True)
    ]
    if differ.any():
        first, before = rows[differ][0], earlier[differ][0]
        found.warnings.append(
            f"{table.path}: {int(differ.sum())} row(s) give the flow of an earlier row in "
            f"another unit, with another quantity (row {table.rows[first]} in "
            f"'{units.values[units.codes[first]]}', row {table.rows[before]} in "
            f"'{units.values[units.codes[before]]}'); both are counted: if one repeats the "
            "other, delete it"
        )


def _factor(unit: str) -> float | None:
    """The factor of ``unit`` to its canonical unit (None when unknown: said already)."""
    try:
        return parse_unit(unit).factor
    except UnknownUnitError:
        return None


def _say_same(table: Table, rows, earlier, units: Encoded, found: Collector) -> None:
    """One problem per row of ``rows`` giving the quantity of the row ``earlier`` beside
    it, in another unit."""
    quantities = table.column("quantity")
    hint = (
        "delete one of the two, or if both are real add a column (e.g. date) that tells them apart"
    )

    def each(listed: np.ndarray) -> Iterator[tuple[str, str]]:
        positions = np.searchsorted(rows, listed)
        for row, before in zip(listed, earlier[positions], strict=True):
            here, there = cells(quantities, np.array([row, before]))
            yield (
                f"row repeats row {table.rows[before]} in another unit: "
                f"'{shorten(here, 20)}' {shorten(units.values[units.codes[row]], 20)} is "
                f"'{shorten(there, 20)}' {shorten(units.values[units.codes[before]], 20)} "
                f"(within {SAME_SIZE:.0%})",
                hint,
            )

    found.add_listed(table, rows, "unit", "delete the repeated rows", each)
