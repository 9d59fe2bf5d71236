"""The listed rows of result tables as dicts of builtin values: the first rows of each
dimension chosen a chunk at a time, text cells read through their distinct values, NaN
as ``None``. Shared by every pass's ``to_dict`` (through :func:`records`) and by the
lazily labelled tables of :mod:`._flowsums`."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any, Literal, overload

import numpy as np
import pandas as pd

from ..arguments import Arguments, unknown_dimension
from ..jsonable import LazyRows, gc_paused, rows_of

__all__ = [
    "LISTED_ROWS",
    "builtin_cells",
    "checked_limit",
    "dimension_record",
    "first_per_group",
    "records",
    "row_dicts",
]


# Rows per dimension that ``to_dict`` lists from each per-actor table by default (the
# report stays readable at a million flows; "rows" in the dict gives the full counts).
LISTED_ROWS = 1000


def dimension_record(table: pd.DataFrame, dimension: Any) -> dict[str, Any]:
    """The row of ``dimension`` of a table of one row per dimension (``result[dimension]``
    of the reuse accounts and the structure indicators), as a dict without its
    ``dimension``; for another a KeyError naming those the table has, as ``--dimension``
    does: never a bare ``KeyError('energy')``. O(rows)."""
    rows = records(table[table["dimension"] == dimension])
    if not rows:
        raise KeyError(unknown_dimension(dimension, table["dimension"].astype(str).tolist()))
    rows[0].pop("dimension")
    return rows[0]


def checked_limit(
    limit: Any, name: str = "limit", *, none: bool = True, check: Arguments | None = None
) -> int | None:
    """``limit`` as a number of rows (loops, actors) to list: a whole number >= 0 (0 lists
    none), or with ``none`` also ``None`` (every one). A bad value is an
    :class:`~symbiosis.errors.InputError` at the call (``limit must be a whole number >= 0
    or None (got -1)``), not a Python slice that drops the last row, a ``TypeError`` from
    inside or an empty list; with ``check``, it is noted there instead, for the caller to
    raise with its other problems. The public ``to_dict(limit=...)``, ``top(n)``, ...
    of the results check theirs through it. O(1)."""
    arguments = Arguments() if check is None else check
    value = arguments.whole(name, limit, minimum=0, none=none)
    if check is None:
        arguments.check()
    return value


@overload
def records(
    table: pd.DataFrame,
    limit: int | None = None,
    *,
    rows: np.ndarray | None = None,
    lazy: Literal[False] = False,
) -> list[dict[str, Any]]: ...
@overload
def records(
    table: pd.DataFrame, limit: int | None = None, *, rows: np.ndarray | None = None, lazy: bool
) -> list[dict[str, Any]] | LazyRows: ...
def records(
    table: pd.DataFrame,
    limit: int | None = None,
    *,
    rows: np.ndarray | None = None,
    lazy: bool = False,
) -> list[dict[str, Any]] | LazyRows:
    """The rows of ``table`` as dicts of builtin values, NaN as ``None``; with ``limit``,
    only the first ``limit`` rows of each dimension (tables are sorted largest first);
    with ``rows`` (positions), those rows in that order instead (no copy of the table in
    that order). With ``lazy``, a listing past one block is a
    :class:`~symbiosis.jsonable.LazyRows` inside :func:`~symbiosis.jsonable.lazy_rows`
    (for a ``to_dict`` value the caller only encodes). O(rows) to choose the rows, then
    O(cells listed): only listed rows are converted."""
    if rows is not None:
        listed = np.asarray(rows, dtype=np.int64)
        return _table_records(table, listed, lazy)
    rows = np.arange(len(table))
    if limit is not None and len(table) > limit:
        if "dimension" in table.columns:
            groups = table["dimension"].to_numpy()
            rows = first_per_group(groups.__getitem__, len(table), limit)
        else:
            rows = rows[:limit]

    return _table_records(table, rows, lazy)


def _table_records(table: pd.DataFrame, rows: np.ndarray, lazy: bool) -> list | LazyRows:
    """The dicts of the table's rows at positions ``rows`` (see :func:`records`)."""

    def make(part: slice) -> list[dict[str, Any]]:
        listed = rows[part]
        columns = {str(name): builtin_cells(_cells(table[name], listed)) for name in table.columns}
        return row_dicts(columns)

    return rows_of(len(rows), make) if lazy else make(slice(None))


def row_dicts(columns: dict[str, list[Any]]) -> list[dict[str, Any]]:
    """Dicts of the rows of equally long columns, keys in column order; filled a column
    at a time, twice as fast as ``dict(zip(names, row))`` per row."""
    with gc_paused():
        rows: list[dict[str, Any]] = [{} for _ in next(iter(columns.values()), ())]
        for name, cells in columns.items():
            for row, cell in zip(rows, cells, strict=True):
                row[name] = cell
    return rows


# Rows read at a time when choosing the listed rows: the temporaries stay small (whole
# columns of int64 at a time left some 30 MB of freed heap in the RSS at 1M flows).
_CHUNK = 1 << 16
# More distinct groups than this in a chunk: ranked by one sort of the whole table.
_FEW_GROUPS = 16
_MISSING = object()  # the group of missing values (pd.factorize gives them -1)


def first_per_group(
    groups: Callable[[slice], np.ndarray], n: int, limit: int, chunk: int = _CHUNK
) -> np.ndarray:
    """Positions, ascending, of the first ``limit`` rows of each group among ``n`` rows
    whose groups ``groups(span)`` gives (missing values are one group, as in
    :func:`pandas.factorize`): the rows where ``_rank_in_group(groups) < limit``. Read
    ``chunk`` rows at a time: O(n x groups), temporaries O(chunk + rows kept)."""
    taken: dict[Any, int] = {}
    kept = []
    for start in range(0, n, chunk):
        codes, present = _group_codes(groups(slice(start, start + chunk)))
        if len(present) > _FEW_GROUPS:  # a pass per group would cost too much
            return np.flatnonzero(_rank_in_group(groups(slice(None))) < limit)
        for code, group in present:
            room = limit - taken.get(group, 0)
            if room > 0:
                rows = np.flatnonzero(codes == code)[:room]
                taken[group] = limit - room + len(rows)
                kept.append(rows + start)
    return np.sort(np.concatenate(kept)) if kept else np.zeros(0, dtype=np.int64)


def _group_codes(groups: np.ndarray) -> tuple[np.ndarray, list[tuple[Any, Any]]]:
    """``(codes, present)``: a code per row and the ``(code, group)`` pairs present.
    Small integers are their own codes, found by counting (no hashing); other values
    are coded by :func:`pandas.factorize`."""
    if groups.dtype.kind in "iu" and len(groups):
        low = int(groups.min())
        if int(groups.max()) - low < 1024:
            values = (np.flatnonzero(np.bincount(groups - low)) + low).tolist()
            return groups, [(value, value) for value in values]
    codes, uniques = pd.factorize(groups)
    present: list[tuple[Any, Any]] = list(enumerate(uniques))
    if (codes < 0).any():
        present.append((-1, _MISSING))
    return codes, present


def _rank_in_group(groups: np.ndarray) -> np.ndarray:
    """Position of each row among the rows of the same group, in row order. O(n log n)."""
    codes, _ = pd.factorize(groups)
    order = np.argsort(codes, kind="stable")
    ordered = codes[order]
    starts = np.flatnonzero(np.r_[True, ordered[1:] != ordered[:-1]])
    lengths = np.diff(np.r_[starts, len(ordered)])
    rank = np.empty(len(codes), dtype=np.int64)
    rank[order] = np.arange(len(codes)) - np.repeat(starts, lengths)
    return rank


def _cells(column: pd.Series, rows: np.ndarray) -> np.ndarray:
    """The listed cells of a column; nullable extension columns (Int64, boolean) as
    objects, so that integers stay integers beside missing values. A text column is read
    through its distinct values: one Python string each, shared by the rows that hold it
    (the 700,000 listed flows of a million-flow reconciliation name 333,000 firms and a
    few hundred materials), missing cells as None."""
    if isinstance(column.dtype, np.dtype):
        return column.to_numpy()[rows]
    if isinstance(column.dtype, pd.StringDtype):
        codes, distinct = pd.factorize(column.iloc[rows])
        cells = np.empty(len(distinct) + 1, dtype=object)  # the last one None: code -1
        cells[:-1] = np.asarray(distinct, dtype=object)
        return cells[codes]
    return column.iloc[rows].astype(object).to_numpy()


def builtin_cells(values: np.ndarray) -> list[Any]:
    """Python values of one column's listed cells: numpy scalars unboxed, NaN, infinities
    and NA as None (what ``to_jsonable`` of ``DataFrame.to_dict("records")`` gives). A
    nullable extension array (Int64) is read as objects, as :func:`records` reads such a
    column."""
    if not isinstance(values, np.ndarray):
        values = np.asarray(values.astype(object), dtype=object)
    cells = values.tolist()
    if values.dtype.kind == "f":  # found by numpy: no comparison per cell
        for row in np.flatnonzero(~np.isfinite(values)).tolist():
            cells[row] = None
        return cells
    if values.dtype == object:
        return [v if type(v) is str else _plain_cell(v) for v in cells]
    return cells


def _plain_cell(value: Any) -> Any:
    if isinstance(value, np.generic):
        value = value.item()
    if value is pd.NA or (isinstance(value, float) and not math.isfinite(value)):
        return None
    return value
