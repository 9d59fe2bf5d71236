"""Shipments a register holds twice: rows repeating a consignment number, and rows alike.

A register exported twice over the same days, or a corrected manifest exported beside the
first, holds a shipment twice, and summing both overstates its tonnes:

- with the field ``consignment`` mapped (the consignment or manifest number: the German
  Begleitscheinnummer, China's 联单编号, a US manifest tracking number), a row repeating
  the number of an earlier row is left out (:func:`first_of_each`: the first row of each
  number counts), and a warning says how many, the first numbers repeated with their rows,
  and how many numbers have rows that differ (a corrected manifest: which is right?);
- without it, rows alike in every mapped field are all kept, as two shipments alike can be
  real (two containers collected the same day), and a warning names the first of them and
  how to map the number.

Rows are compared by two hashes of their mapped fields (64 bits each on DuckDB, so two
different rows match by chance with a probability below 1e-20 at 50 million rows; 32 bits
each on Spark). Rows are numbered as the engine reads them (from 2, the header row 1), as
:func:`.aggregate.failing_rows` numbers them.

Complexity: one more scan of the register, a hash aggregation into a group per
consignment number or per distinct row (memory O(n) for n rows, spilled to disk by
DuckDB past its memory limit); only the groups of repeated rows are kept.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import ibis.expr.types as ir

__all__ = ["ROW", "first_of_each", "numbered", "repeat_notes", "row_numbers"]

#: The column of a register's row number as the engine reads it (from 2), where one is kept.
ROW = "symbiosis_row"
#: The numbers or rows named in a warning; the rest are counted.
SHOWN = 5
#: Column names that look like a consignment number (to name in the warning's hint).
_NUMBER_COLUMN = re.compile(
    r"begleitschein|manifest|consignment|联单|schein|beleg|nachweis|tracking|waybill",
    re.IGNORECASE,
)


def numbered(table: ir.Table) -> ir.Table:
    """``table`` with :data:`ROW`, each row's number as the engine reads it (from 2)."""
    import ibis

    return table.mutate(**{ROW: ibis.row_number() + 2})


def row_numbers(rows: ir.Table) -> ir.IntegerValue:
    """The row number of each row of ``rows``: its :data:`ROW` where it has one (rows
    were left out: :func:`first_of_each`), else counted as the engine reads them."""
    import ibis

    return rows[ROW] if ROW in rows.columns else ibis.row_number() + 2


def first_of_each(table: ir.Table, column: str) -> ir.Table:
    """The rows of ``table`` (:func:`numbered`) but those repeating the consignment
    number (``column``, trimmed) of an earlier row; a row without a number is kept.
    O(n): a window per number."""
    key = table[column].cast("string").strip()
    # the window in a column of its own: Ibis's Spark SQL cannot filter on a window
    marked = table.mutate(symbiosis_first=table[ROW].min().over(group_by=key))
    number = marked[column].cast("string").strip()
    kept = number.isnull() | (number == "") | (marked[ROW] == marked.symbiosis_first)
    return marked.filter(kept).drop("symbiosis_first")


def repeat_notes(
    engine: Any,
    table: ir.Table,
    fields: dict[str, str | None],
    path: object,
    shown_rows: Callable[[list[int]], list[int]],
) -> list[str]:
    """The warning about the rows of the register ``path`` (``table``, :func:`numbered`
    when a consignment is mapped) that repeat a consignment number, or, without one,
    that are alike in every mapped field of ``fields``; ``shown_rows`` turns the
    engine's row numbers into a spreadsheet's. One scan (see the module docstring)."""
    column = fields.get("consignment")
    compared = sorted({c for f, c in fields.items() if c is not None and f != "consignment"})
    if not compared:  # every field a default: every row alike, and said so by no column
        return []
    if column is not None:
        return _consignment_notes(engine, table, column, compared, path, shown_rows)
    return _alike_notes(engine, numbered(table), compared, path, shown_rows)


def _hashes(table: ir.Table, columns: list[str]) -> dict[str, ir.Value]:
    """Two hashes of the ``columns`` of each row (a row's fingerprint)."""
    import ibis

    cells = {f"c{i}": table[c] for i, c in enumerate(columns)}
    salted = {**cells, "salt": ibis.literal("symbiosis")}
    return {"h1": ibis.struct(cells).hash(), "h2": ibis.struct(salted).hash()}


def _consignment_notes(
    engine: Any,
    table: ir.Table,
    column: str,
    compared: list[str],
    path: object,
    shown_rows: Callable[[list[int]], list[int]],
) -> list[str]:
    hashed = table.mutate(number=table[column].cast("string").strip(), **_hashes(table, compared))
    hashed = hashed.filter(hashed.number.notnull() & (hashed.number != ""))
    per_number = hashed.group_by("number").aggregate(
        rows=hashed.count(),
        first=hashed[ROW].min(),
        last=hashed[ROW].max(),
        differ=(hashed.h1.min() != hashed.h1.max()) | (hashed.h2.min() != hashed.h2.max()),
    )
    repeated = per_number.filter(per_number.rows > 1)
    numbers, extra, differ, listed = _first(engine, repeated, shown_rows)
    if not numbers:
        return []
    more = f", and {numbers - SHOWN:,} more numbers" if numbers > SHOWN else ""
    said = (
        f"{path}: {extra:,} row(s) repeat the consignment number ({column}) of an earlier "
        f"row and are counted once, the first row of each number kept: {listed}{more}"
    )
    if differ:
        changed = _first(engine, repeated.filter(repeated.differ), shown_rows)[3]
        changed += ", ..." if differ > SHOWN else ""
        said += (
            f"; {differ:,} of these numbers have rows that differ ({changed}): a corrected "
            "manifest? Delete the row that is wrong (the first is kept)"
        )
    return [said]


def _alike_notes(
    engine: Any,
    table: ir.Table,
    compared: list[str],
    path: object,
    shown_rows: Callable[[list[int]], list[int]],
) -> list[str]:
    hashed = table.mutate(**_hashes(table, compared))
    per_row = hashed.group_by("h1", "h2").aggregate(
        rows=hashed.count(), first=hashed[ROW].min(), last=hashed[ROW].max()
    )
    groups, extra, _, listed = _first(engine, per_row.filter(per_row.rows > 1), shown_rows)
    if not groups:
        return []
    more = f", and {groups - SHOWN:,} more" if groups > SHOWN else ""
    guessed = [c for c in table.columns if c not in compared and _NUMBER_COLUMN.search(c)]
    option = f"--map consignment={guessed[0]}" if guessed else "--map consignment=COLUMN"
    return [
        f"{path}: {extra:,} row(s) are alike in every mapped field to an earlier row "
        f"({listed}{more}); they are summed as shipments of their own (two alike can be "
        f"real); if they are one shipment exported twice, map the consignment number "
        f"({option}): a row repeating a number is then counted once (docs/registers.md)"
    ]


def _first(
    engine: Any, repeated: ir.Table, shown_rows: Callable[[list[int]], list[int]]
) -> tuple[int, int, int, str]:
    """How many groups of repeated rows there are, their rows past the first of each,
    how many differ (a consignment's rows), and the first :data:`SHOWN` groups by their
    first row: ``'BS12' (rows 5 and 9)``, ``4 rows: 5 ... 90``. One query (the totals
    as windows beside the first groups: the engine computes the groups once)."""
    totals = {"groups": repeated.rows.count().over(), "extra": (repeated.rows - 1).sum().over()}
    if "differ" in repeated.columns:
        totals["differing"] = repeated.differ.cast("int64").sum().over()
    found = engine.run(repeated.mutate(**totals).order_by("first").limit(SHOWN)).to_pylist()
    if not found:
        return 0, 0, 0, ""
    rows = shown_rows([r["first"] for r in found] + [r["last"] for r in found])
    said = []
    for group, first, last in zip(found, rows[: len(found)], rows[len(found) :], strict=True):
        count = group["rows"]
        rows_said = (
            f"rows {first} and {last}" if count == 2 else f"{count} rows: {first} ... {last}"
        )
        said.append(f"{group['number']!r} ({rows_said})" if "number" in group else rows_said)
    top = found[0]
    return int(top["groups"]), int(top["extra"]), int(top.get("differing") or 0), ", ".join(said)
