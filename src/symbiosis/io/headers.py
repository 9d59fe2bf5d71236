"""Where a CSV table's header really is.

Spreadsheet exports often carry a title or a source note above the header ("Flows of the
Kalundborg symbiosis, 2015"), and a file given by mistake (a README, a report) has no
header at all. Either way the reader takes the first line for the header: every row is then
"longer than the header", or every required column "missing", and the one thing to fix is
said nowhere. Here, when the first line names none of the columns a table needs, the first
:data:`SEARCHED` lines are searched for one that names them all, under each separator
symbiosis reads: found, the problem is where the header is; not found (and the file could
not be read as a table), the problem is that this is not such a table. Either replaces the
problems that followed from the wrong header.

A file whose first line has more fields under ``|`` than under the separator the reader
tells (``,``, ``;``, tab) is separated by pipes, which are read only after a ``sep=|``
line: said once, at row 1, instead of every column missing or every row too long
(:func:`unread_separator_problem`).

A workbook's sheet is searched the same way, in its first rows as read
(:func:`table_header_problem`).

Complexity: O(lines looked at); the file is read again only on this error path.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from pathlib import Path

from ..errors import InputError, Problem
from .encoding import decode, sniff_separator
from .flows import FLOW_REQUIRED
from .header_names import english_headers
from .reading import Table

__all__ = [
    "SEARCHED",
    "header_problem",
    "swapped_problem",
    "table_header_problem",
    "unread_separator_problem",
]

#: Lines searched for the header (a title and notes above a table take a few).
SEARCHED = 20
#: At most this many non-empty fields on a first line taken for a title, when no line
#: below names the columns: a wider one is a header with other names, whose own problems
#: (misspelt columns) are the right ones.
_TITLE_FIELDS = 3
_SEPARATORS = (",", ";", "\t", "|")
#: Separators the reader does not tell from a header (only from a ``sep=`` line).
_UNREAD_SEPARATORS = ("|",)
_READ = 1 << 16  # bytes read from the start of the file


def header_problem(
    path: Path, shown: str, what: str, required: Iterable[str], *, readable: bool
) -> Problem | None:
    """The problem to say instead of those that followed from taking the first line of a
    CSV file for its header, or None when the first line may well be the header (it is
    blank, wide, or names a required column, in English or, when no line below names them
    all in English, in Chinese (:mod:`~symbiosis.io.header_names`); a line separated by
    ``|`` is said as such).
    ``what``: "flows", "firms"; ``readable``: whether the file was read as a table (then a
    file with no header found keeps its problems: the missing columns, with their rename
    hints)."""
    required = tuple(required)
    lines = _first_lines(path, shown)
    if not lines or not lines[0].strip():
        return None
    if lines[0].strip().lower().startswith("sep="):  # Excel's separator line, read as such
        return None
    unread = unread_separator_problem(lines[0], shown)
    if unread is not None and _header_row(lines, required) is None:  # not a title above
        return unread
    if _names(lines[0], required):
        return None
    row = _header_row(lines, required)
    if row is not None:  # a line below names them all: the first is a title, however wide
        return _below(shown, row, "file")
    if set(required) & set(english_headers(_fields(lines[0]), what)):  # a Chinese header
        return None
    # empty cells do not count: Excel writes a title in A1 as 'Title,,,,,'
    if readable or len([f for f in _fields(lines[0]) if f]) > _TITLE_FIELDS:
        return None
    return Problem(
        shown,
        1,
        None,
        f"is not a {what} table: no line names the columns it needs ({', '.join(required)})",
        f"give the {what} file: a CSV file whose first line names its columns",
    )


def unread_separator_problem(header: str, shown: str) -> Problem | None:
    """The problem of a file separated by a separator the reader does not tell (``|``):
    its first line, ``header``, has more non-empty fields under that one than under the
    separator the reader sniffs (:func:`~symbiosis.io.encoding.sniff_separator`), and
    more than one. None otherwise. O(len(header))."""
    read = len(_fields(header, sniff_separator(header)))
    for separator in _UNREAD_SEPARATORS:
        if len([field for field in _fields(header, separator) if field]) > max(read, 1):
            return Problem(
                shown,
                1,
                None,
                f"seems separated by '{separator}', which symbiosis does not detect",
                f"add the line sep={separator} above the header, or save it as CSV with commas",
            )
    return None


def table_header_problem(table: Table, required: Iterable[str]) -> Problem | None:
    """:func:`header_problem` for a table read from a sheet (a workbook, whose first row
    is taken for the header): when it names none of the ``required`` columns and one of
    its first :data:`SEARCHED` rows names them all (below a title in A1, merged across
    the columns or not), the one problem to say; else None. O(columns x SEARCHED)."""
    required = tuple(required)
    if any(column in table.names for column in required):
        return None
    first = table.data.slice(0, SEARCHED - 1).to_pylist()
    for position, cells in enumerate(first):
        named = {str(cell).strip().lower() for cell in cells.values()}
        if set(required) <= named:
            return _below(table.path, int(table.rows[position]), "sheet")
    return None


def _below(shown: str, row: int, where: str) -> Problem:
    """The problem of a header on ``row``, below lines that are not part of the table."""
    above = "a line that is" if row == 2 else f"{row - 1} lines that are"
    return Problem(
        shown,
        1,
        None,
        f"the header is on row {row}, below {above} not part of the table",
        f"delete the {'line' if row == 2 else 'lines'} above row {row} (a title, notes), "
        f"so that the {where} starts with the header",
    )


def swapped_problem(
    shown: str, what: str, names: Iterable[str], *, file: bool = True
) -> Problem | None:
    """When a table read as ``what`` ("flows", "firms") names none of its required
    columns but is plainly the other table (a firms file given as the flows, or the
    flows as the firms): the one problem to say, else None. ``file``: whether the table
    came from a file (else from a frame in memory, and the hint says so). O(columns)."""
    names = set(names)
    if what == "flows" and "id" in names and not names & set(FLOW_REQUIRED):
        return Problem(
            shown,
            1,
            None,
            "is a firms table (an 'id' column, none of the flows columns), not the flows table",
            f"give the flows file ({', '.join(FLOW_REQUIRED)}), or the folder that holds both files"
            if file
            else "pass the flows table as the flows: from_frames(firms, flows)",
        )
    if what == "firms" and "id" not in names and {"source", "target"} <= names:
        return Problem(
            shown,
            1,
            None,
            "is a flows table (source and target columns, no 'id'), not the firms table",
            (
                "give the firms file (an 'id' column) as the firms"
                if file
                else "pass the firms table (an 'id' column) as the firms"
            )
            + ", or none: the nodes are then the flows' endpoints",
        )
    return None


def _first_lines(path: Path, shown: str) -> list[str]:
    """The first :data:`SEARCHED` lines of the file's text (none when it cannot be read
    as text: those problems are said already)."""
    try:
        with path.open("rb") as file:
            raw = file.read(_READ)
    except OSError:
        return []
    end = raw.rfind(b"\n")
    if end > 0 and len(raw) == _READ:  # whole lines only: no character cut in two
        raw = raw[: end + 1]
    try:
        text = decode(raw, shown)
    except InputError:
        return []
    return text.splitlines()[:SEARCHED]


def _header_row(lines: list[str], required: tuple[str, ...]) -> int | None:
    """The row (1 = the first line) of the first line naming every required column."""
    for number, line in enumerate(lines[1:], start=2):
        if _names(line, required) == len(required):
            return number
    return None


def _names(line: str, required: tuple[str, ...]) -> int:
    """How many of the required columns the line names, under the best separator (names
    compared as the reader compares them: stripped, lower-cased)."""
    return max(len(set(required) & set(_fields(line, separator))) for separator in _SEPARATORS)


def _fields(line: str, separator: str | None = None) -> list[str]:
    """The line's fields under ``separator`` (default: the one giving the most), stripped
    and lower-cased."""
    if separator is None:
        return max((_fields(line, s) for s in _SEPARATORS), key=len)
    try:
        fields = next(csv.reader([line], delimiter=separator), [])
    except csv.Error:
        fields = line.split(separator)
    return [field.strip().lower().lstrip("\ufeff") for field in fields]
