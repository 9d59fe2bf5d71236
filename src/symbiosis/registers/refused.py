"""Rows of a CSV register that DuckDB refused to read, in the network reader's words.

DuckDB reads a register with the header's width, strictly (:meth:`.engines.Engine.read`),
and sets aside, with its row, every row it cannot read: a row of more or fewer fields than
the header, a quote that is never closed, bytes that are not UTF-8. Such a row is left out
of the sums, so each is a problem (and nothing is written). A row of blank fields is a
blank line, never reported. When every row ends with the same empty fields
(``a,b,c,,``), those fields are read as extra columns, which must stay empty. A row of very
many fields reaches DuckDB cut short, its field count written in it (:mod:`.wide_rows`).

Complexity: O(refused rows), at most :data:`.engines.REJECTS_LIMIT` of them kept by DuckDB;
the extra columns cost one more scan, only for a file whose rows end with empty fields.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ..errors import Problem
from ..io.problems import MAX_ROWS_PER_RULE
from ..io.quotes import field_count
from ..io.rows import length_problems
from ..io.stray_rows import END_MARK
from .engines import Engine, unreadable
from .wide_rows import cut_fields

__all__ = ["LONG_HINT", "SHORT_HINT", "Refused", "refused_rows", "tail_rows"]

# as the network reader says them (symbiosis.io.rows, symbiosis.io.columns)
LONG_HINT = "quote fields that contain the separator, or remove the extra separators"
SHORT_HINT = (
    "give every row one field per column (an empty cell still needs its separator); "
    "check for a missing separator or a line break in an unquoted cell"
)
_QUOTE = (
    'has a quote (") that is never closed',
    "close the quoted field, or remove the stray quote",
)


@dataclass(frozen=True)
class Refused:
    """The rows the engine refused: their ``problems``, the rows ``skipped`` (refused or
    blank, as a spreadsheet numbers them) and whether they are all known (``complete``:
    else the other rows cannot be numbered, nor is the file read well enough to check)."""

    problems: list[Problem] = field(default_factory=list)
    skipped: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    complete: bool = True


def refused_rows(engine: Engine, path: Path) -> Refused:
    """The rows of the CSV file ``path`` that ``engine`` refused while it read it (none for
    a Parquet file, or on Spark, whose files :func:`~.reading._structure_problems` checks
    with DuckDB first). Call it after a query has read the whole file."""
    read = engine.csv_files.get(str(path))
    if read is None:
        return Refused()
    rejects, capped = engine.rejects(read.rejects)
    shown, header = str(path), len(read.layout.names)
    width = header + read.layout.tail  # the other rows' fields
    if any(kind == "INVALID ENCODING" for _, kind, *_ in rejects):
        return Refused([unreadable(path, ValueError("not UTF-8"))], complete=False)
    by_row: dict[int, dict[str, tuple[int, int, str]]] = {}
    for line, kind, fewest, most, text in rejects:
        by_row.setdefault(int(line), {})[kind] = (fewest or 0, most or 0, text or "")
    long: list[tuple[int, int]] = []
    short: list[tuple[int, int]] = []
    quotes: list[int] = []
    other: list[Problem] = []
    for row, kinds in by_row.items():
        text = next(iter(kinds.values()))[2]
        cut = cut_fields(text) if read.cut and "TOO MANY COLUMNS" in kinds else None
        if cut is not None:  # a row of very many fields, cut short for DuckDB
            long.append((row, cut))
            continue
        if _blank(text, read.layout.separator):
            continue
        if text.strip("\r\n") == "\x1a":  # a DOS end-of-file mark after the last row
            other.append(Problem(shown, row, None, *END_MARK))
        elif "UNQUOTED VALUE" in kinds:
            quotes.append(row)
        elif "TOO MANY COLUMNS" in kinds:  # counted again: DuckDB's last count may be
            # of the fields it set aside before its rejects were full
            counted = field_count(text.lstrip("\r\n").encode(), read.layout.separator)
            long.append((row, max(kinds["TOO MANY COLUMNS"][1], counted)))
        elif "MISSING COLUMNS" in kinds:
            short.append((row, kinds["MISSING COLUMNS"][0]))
        else:
            kind = next(iter(kinds)).lower()
            other.append(Problem(shown, row, None, f"cannot be read ({kind})", LONG_HINT))
    problems = [Problem(shown, row, None, *_QUOTE) for row in quotes[:MAX_ROWS_PER_RULE]]
    problems += length_problems(shown, long, header, LONG_HINT)  # a value past the header
    problems += _length_problems(shown, short, width, header, SHORT_HINT)
    problems += other[:MAX_ROWS_PER_RULE]
    if capped:
        last = max(by_row)
        problems.append(
            Problem(
                shown,
                None,
                None,
                f"may have more rows that cannot be read after row {last:,}; only the first "
                f"{len(by_row):,} were looked at",
                "fix the rows above (or check the separator and the quotes), then import "
                "the file again",
            )
        )
    return Refused(problems, np.array(sorted(by_row), dtype=np.int64), not capped)


def _length_problems(
    shown: str, rows: list[tuple[int, int]], width: int, header: int, hint: str
) -> list[Problem]:
    """``has 9 fields where the header has 7`` for each row (the first
    :data:`~symbiosis.io.problems.MAX_ROWS_PER_RULE`, the rest counted); when every row
    ends with empty fields past the header, the width is the other rows'."""
    if width <= header + 1:  # a row may end with one separator more (DuckDB's rule)
        return length_problems(shown, rows, header, hint)
    problems = length_problems(shown, rows, width, hint)
    said = f"where the header has {width}"
    return [
        Problem(p.file, p.row, p.column, p.message.replace(said, f"where the other rows have "
                f"{width} (the header {header})"), p.hint, more_rows=p.more_rows)
        for p in problems
    ]  # fmt: skip


def _blank(text: str, separator: str) -> bool:
    """Whether every field of the row ``text`` is blank (a blank line). DuckDB's text of a
    row may start with the end of the line before."""
    text = text.lstrip("\r\n")
    try:
        fields = next(csv.reader(io.StringIO(text, newline=None), delimiter=separator), [])
    except csv.Error:
        return False
    return not any(value.strip() for value in fields)


def tail_rows(engine: Engine, path: Path) -> tuple[list[int], int]:
    """The rows (as the engine numbers them) of the CSV file ``path`` whose fields past
    the header are not empty, when the file's rows end with empty fields: the first
    :data:`~symbiosis.io.problems.MAX_ROWS_PER_RULE`, and how many there are. One scan."""
    import ibis

    read = engine.csv_files.get(str(path))
    if read is None or not read.extra:
        return [], 0
    whole = read.whole
    filled = ibis.literal(False)
    for name in read.extra:
        filled = filled | (whole[name].strip().fill_null("") != "")
    numbered = whole.mutate(row=ibis.row_number() + 2)
    found = numbered.filter(filled)
    count = int(engine.run(found.aggregate(n=found.count()))["n"][0].as_py() or 0)
    if not count:
        return [], 0
    rows = engine.run(found.select("row").order_by("row").limit(MAX_ROWS_PER_RULE))
    return [int(row) for row in rows["row"].to_pylist()], count
