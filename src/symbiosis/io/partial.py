"""The rules of the columns a table has, when some required column is missing.

A missing column is a problem of the header (row 1), and the rules that need it cannot
run. Before, it stopped every rule: a flows file without its `unit` column said that
alone, and its bad quantities and unknown firms came a round of fixes later. Here the
rules run on a stand-in of the table whose missing columns hold a distinct text on each
row (no number, never empty: nothing follows from them, and rows are no repeats for lack
of a column), and what they find is kept, but for what they say about the missing
columns themselves.

Complexity: the rules' own, once more, on the error path only.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import replace

import numpy as np
import pyarrow as pa

from .problems import Collector
from .reading import Table

__all__ = ["check_present_columns"]


def check_present_columns(
    table: Table,
    required: Iterable[str],
    check: Callable[[Table, Collector], object],
    found: Collector,
    short_rows: Callable[[Table, int, Collector], None],
) -> None:
    """When the only column problems of ``table`` are missing ``required`` columns (none
    repeated, and rows to check), the problems ``check`` (the table's rules: a table and
    a collector) finds in the columns present, added to ``found``; rows too short for a
    required column present said by ``short_rows`` (columns.check_short_rows). The rules'
    warnings are dropped: the table is refused anyway. O(rules)."""
    required = tuple(required)
    missing = [column for column in required if column not in table.names]
    if not missing or len(set(table.names)) != len(table.names) or not len(table):
        return
    # a cell of its own on every row, no number: rows are not repeats of each other for
    # lack of a column, and a missing quantity is no quantity given without a unit
    stand_in_cells = pa.array([f"\u2063missing {i}" for i in range(len(table))], pa.string())
    data = table.data
    for column in missing:
        data = data.append_column(column, stand_in_cells)
    none = np.zeros(0, dtype=np.int64)
    stand_in = replace(table, data=data, short_rows=none, short_fields=none, written=None)
    partial = Collector(skipped=dict(found.skipped))
    present = [table.names.index(column) for column in required if column in table.names]
    if present:
        short_rows(table, max(present) + 1, partial)
    check(stand_in, partial)
    found.problems.extend(p for p in partial.problems if p.column not in missing)
