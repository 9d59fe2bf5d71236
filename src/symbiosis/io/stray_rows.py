"""Rows that are not part of the table: a totals row, the header again, notes below the
table, firms that no flow uses.

Spreadsheets carry more than the table: a totals row at the bottom (``Total,,,450``),
a source note under it (``Source: field survey 2019``). Read as rows, a totals row is
a flow from an unknown firm 'Total' (with a hint to add a firm 'Total'), or a firm
'Total: 5 firms' that silently joins the network; a note is a row "with 1 field where the
header has 6" (a missing separator, says the hint). Here they are told for what they
are, in one problem each, and their rows are said no more. So is a row that repeats the
header (two exports pasted one under the other), which the rules read as a flow from a firm
'source' of a quantity 'quantity' in a unit 'unit' (five problems, one of them "it reads as
µnit"). A firm that no flow uses is
worth a warning: a typo in its id, a stale row, or a totals row.

Complexity: only rows that already fail a cheap check are looked at (an endpoint empty
or unknown, a firm unused, the last :data:`SEARCHED` rows), cell by cell in Python.
"""

from __future__ import annotations

import re

import numpy as np
import pyarrow as pa

from .problems import MAX_ROWS_PER_RULE, Collector, shorten
from .reading import Table

__all__ = [
    "END_MARK",
    "header_rows",
    "is_end_mark",
    "looks_like_totals",
    "notes_below",
    "totals_rows",
    "unused_firms",
    "without_totals_rows",
]

#: Trailing rows looked at for notes below the table.
SEARCHED = 20
# in simplified and traditional characters (合計, 總計: a row, so no OpenCC per cell), and
# in Korean (합계, 총계, 소계: total, grand total, subtotal)
_TOTALS = re.compile(
    r"\s*(grand total|sub-?total|totals?|sum|合[计計]|[总總][计計]|小[计計]|共[计計]|[합총소]계)"
    r"(?![a-z])",
    re.IGNORECASE,
)
_SHOWN_UNUSED = 5  # ids named in the warning on firms no flow uses


#: What to say of a last row that is a DOS end-of-file mark (:func:`is_end_mark`).
END_MARK = (
    "holds a Ctrl-Z (0x1A) after the last row, the end-of-file mark of old DOS programs",
    "delete it (it is read as a row of its own)",
)


def is_end_mark(cells: list) -> bool:
    """Whether a row's cells are a Ctrl-Z (character 0x1A) alone, which old DOS programs
    write after the last line of a file. O(len(cells))."""
    return bool(cells) and (cells[0] or "").strip() == "\x1a" and not any(cells[1:])


def looks_like_totals(cell: str) -> bool:
    """Whether a row's first cell says it is a totals row: 'Total', 'TOTAL:', 'Sum',
    'Total: 5 firms', '合计', '합계' (not 'Sumitomo' nor 'Totalgaz'). O(len(cell))."""
    return _TOTALS.match(cell) is not None


def _first_cells(table: Table, positions: np.ndarray) -> list[str]:
    """The first non-empty cell of each row at ``positions`` ('' for none)."""
    taken = table.data.take(pa.array(positions, pa.int64()))
    columns = [taken.column(i).to_pylist() for i in range(taken.num_columns)]
    return [next((c for c in row if c), "") for row in zip(*columns, strict=True)]


def totals_rows(table: Table, candidates: np.ndarray, found: Collector) -> np.ndarray:
    """Among the rows of ``candidates`` (a mask: rows already failing, such as a flow
    with an empty endpoint), those whose first cell says they are a totals row: each is
    one problem, and its rows are said no more (:meth:`Collector.skip`). Their rows'
    numbers (spreadsheet rows). O(candidate rows), at most :data:`MAX_ROWS_PER_RULE`."""
    positions = np.flatnonzero(candidates)[:MAX_ROWS_PER_RULE]
    if not len(positions):
        return np.zeros(0, dtype=np.int64)
    firsts = _first_cells(table, positions)
    totals = [p for p, cell in zip(positions, firsts, strict=True) if looks_like_totals(cell)]
    for position in totals:
        cell = firsts[list(positions).index(position)]
        found.add(
            table.path,
            table.rows[position],
            None,
            f"looks like a totals row ('{shorten(cell, 30)}'), not a flow",
            "delete it: symbiosis adds the flows up itself",
        )
    rows = table.rows[np.array(totals, dtype=np.int64)]
    found.skip(table.path, rows)
    return rows


def header_rows(table: Table, candidates: np.ndarray | None, found: Collector) -> np.ndarray:
    """Among the rows of ``candidates`` (a mask: rows already failing), those that repeat
    the header: at least three cells, and every non-empty one, equal to their column's
    name (as the header writes it or as it is read, case ignored). One problem each, and
    their rows are said no more (:meth:`Collector.skip`). Their row numbers. O(candidate
    rows), at most :data:`MAX_ROWS_PER_RULE`."""
    if candidates is None:
        return np.zeros(0, dtype=np.int64)
    positions = np.flatnonzero(candidates)[:MAX_ROWS_PER_RULE]
    if not len(positions):
        return np.zeros(0, dtype=np.int64)
    names = [n.lower() for n in table.data.column_names]
    written = [w.lower() for w in table.written] if table.written else names
    taken = table.data.take(pa.array(positions, pa.int64()))
    columns = [taken.column(i).to_pylist() for i in range(taken.num_columns)]
    header = []
    for position, cells in zip(positions, zip(*columns, strict=True), strict=True):
        filled = [(c.strip().lower(), n, w) for c, n, w in zip(cells, names, written, strict=False)
                  if c and c.strip()]  # fmt: skip
        if len(filled) >= 3 and all(c in (n, w) for c, n, w in filled):
            header.append(position)
    for position in header:
        found.add(table.path, table.rows[position], None,
                  "repeats the header (two files pasted one under the other?), not a flow",
                  "delete the row")  # fmt: skip
    rows = table.rows[np.array(header, dtype=np.int64)]
    found.skip(table.path, rows)
    return rows


def notes_below(table: Table, found: Collector) -> None:
    """The rows after the data that hold one cell, in the first column (a source note,
    a footnote): one problem, and their rows said no more. Only for a table of several
    required columns (a flow needs them: a firm may be an id alone). O(:data:`SEARCHED`
    rows)."""
    start = max(len(table) - SEARCHED, 0)
    tail = table.data.slice(start)
    columns = [tail.column(i).to_pylist() for i in range(tail.num_columns)]
    first_note = len(table)
    for offset in range(tail.num_rows - 1, -1, -1):
        cells = [column[offset] for column in columns]
        if not cells[0] or any(cells[1:]) or looks_like_totals(cells[0]):
            break  # a totals row is said as such (totals_rows)
        first_note = start + offset
    if first_note == len(table) or first_note == 0:  # no notes, or nothing but notes
        return
    rows = table.rows[first_note:]
    if len(rows) == 1 and is_end_mark([column[-1] for column in columns]):
        found.add(table.path, rows[0], None, *END_MARK)
        found.skip(table.path, rows)
        return
    span = f"row {rows[0]}" if len(rows) == 1 else f"rows {rows[0]}-{rows[-1]}"
    them = "it" if len(rows) == 1 else "them"
    flows = "source" in table.names  # a demands file's rows are no flows
    found.add(
        table.path,
        rows[0],
        None,
        f"notes below the table ({span}): one cell of text after the last "
        + ("flow" if flows else "row of data"),
        f"delete {them}, or move {them} to another file: every row is read as "
        + ("a flow" if flows else "data"),
    )
    found.skip(table.path, rows)


def unused_firms(firms: Table, used: np.ndarray, found: Collector) -> None:
    """For the firms no flow uses (``used``: a mask over the firms' rows): a totals row
    ('Total: 5 firms', not a firm) is a problem each, and so is a last row holding a DOS
    end-of-file mark (:func:`is_end_mark`: its other cells are empty, as it is the whole
    line, but only its id is looked at); the others one warning naming a few of their ids.
    O(firms), the ids of the unused ones read."""
    unused = np.flatnonzero(~used)
    if not len(unused):
        return
    ids = firms.column("id").take(pa.array(unused, pa.int64())).to_pylist()
    if unused[-1] == len(firms) - 1 and is_end_mark([ids[-1]]):  # the DOS end-of-file mark
        found.add(firms.path, firms.rows[unused[-1]], None, *END_MARK)
        unused, ids = unused[:-1], ids[:-1]
    totals = [(p, i) for p, i in zip(unused, ids, strict=True) if looks_like_totals(i)]
    for position, cell in totals[:MAX_ROWS_PER_RULE]:
        found.add(
            firms.path,
            firms.rows[position],
            "id",
            f"'{shorten(cell, 30)}' looks like a totals row, not a firm (no flow uses it)",
            "delete the row",
        )
    others = [i for i in ids if i and not looks_like_totals(i)]
    if others:
        named = ", ".join(f"'{shorten(i, 30)}'" for i in others[:_SHOWN_UNUSED])
        more = f" and {len(others) - _SHOWN_UNUSED:,} more" if len(others) > _SHOWN_UNUSED else ""
        found.warnings.append(
            f"{firms.path}: {len(others):,} firm(s) are in no flow ({named}{more}); they "
            "count as nodes with nothing in or out, and a firm among them can still be "
            "proposed as a receiver of opportunities, as a planned one is: check their ids "
            "against the flows, and remove a firm that has closed"
        )


def without_totals_rows(
    table: Table, endless: np.ndarray, columns_found: Collector, found: Collector,
    unknown: np.ndarray | None = None,
) -> None:  # fmt: skip
    """Say the totals rows among the flows with an empty endpoint (``endless``), and the
    rows that repeat the header among those from an unknown firm (``unknown``), once each
    (:func:`totals_rows`, :func:`header_rows`, into ``found``), and nothing else of them:
    not what the columns' rules found on their rows meanwhile (dropped from
    ``columns_found``)."""
    rows = np.union1d(totals_rows(table, endless, found), header_rows(table, unknown, found))
    if len(rows):
        said = set(rows.tolist())
        columns_found.problems = [
            p for p in columns_found.problems if p.file != table.path or p.row not in said
        ]
