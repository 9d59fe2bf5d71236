"""Rows with a number of fields other than the header's.

A row with more fields than the header (a separator in an unquoted cell) is refused, unless
every data row ends with the same empty fields (as some spreadsheet exports write them); the
reader keeps it, cut to the header's width, so that its problem is said with those of the
other rows, and the rules say nothing more of it (its cells are shifted). A row with fewer
fields is padded with empty cells by the readers, so it is recorded here and refused by the
rules when it stops before a required column (:func:`~symbiosis.io.columns.check_columns`):
its cells are missing, not empty. A row of blank fields is a blank line, never reported.

The rows are counted by pyarrow's parser, single-threaded so that it numbers them (as a
spreadsheet does: a quoted cell over several lines is one row), with a handler called for
the rows of the wrong length only: O(size of the file) in compiled code. Python's csv module
counts them instead (O(size of the file) in Python, about 3 s per million rows) when pyarrow
cannot parse the file or finds more than :data:`_MANY` such rows, and to decide whether
long rows all end with the same empty fields.

Only run on a file that pyarrow's fast path could not read as it is.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

import pyarrow as pa
import pyarrow.csv as pcsv

from ..errors import Problem
from .encoding import refusal
from .problems import MAX_ROWS_PER_RULE, rows_like_above

__all__ = ["Lengths", "length_problems", "row_lengths"]

_MANY = 2 * MAX_ROWS_PER_RULE  # beyond, the csv module counts (and checks empty tails)
_LONG_HINT = "quote fields that contain the separator, or remove the extra separators"


@dataclass(frozen=True)
class Lengths:
    """The rows of a file whose number of fields is not the header's ``width``:
    ``(row, fields)`` in row order, ``short`` the non-blank rows with fewer, ``long``
    the rows with more that are refused (none when every data row ends with the same
    empty fields)."""

    width: int
    short: list[tuple[int, int]]
    long: list[tuple[int, int]]
    wider: bool = False  # whether a row has more fields than the header (refused or not)

    def long_problems(self, shown: str) -> list[Problem]:
        """The problems of the :attr:`long` rows (:func:`length_problems`)."""
        return length_problems(shown, self.long, self.width, _LONG_HINT)


def row_lengths(text: str, separator: str, shown: str) -> Lengths:
    """The rows of ``text`` with fewer fields than the header, and those with more that
    are refused (module docstring); an :class:`~symbiosis.errors.InputError` when the
    csv module cannot read the text. O(size of the file)."""
    counted = _by_arrow(text, separator)
    if counted is None:
        return _by_csv(text, separator, shown)
    width, wrong = counted
    short = [(row, n) for row, n, line in wrong if n < width and not _blank(line, separator)]
    long = [(row, n) for row, n, _ in wrong if n > width]
    if long and not short and len({n for _, n in long}) == 1:
        tails = (line for _, n, line in wrong if n > width)
        if all(_empty_tail(line, width, separator) for line in tails):
            return _by_csv(text, separator, shown)  # perhaps every row ends so
    return Lengths(width, short, long, bool(long))


def _empty_tail(line: str, width: int, separator: str) -> bool:
    """Whether the fields of the record ``line`` past the first ``width`` are all blank.
    A split for a line without quotes: no list of its fields, which for a row of a
    million fields costs more than the rest of the file (the csv module reads a line with
    quotes). O(len(line))."""
    if '"' in line:
        fields = next(csv.reader(io.StringIO(line, newline=None), delimiter=separator), [])
        return not any(field.strip() for field in fields[width:])
    parts = line.split(separator, width)
    return len(parts) <= width or not parts[width].replace(separator, "").strip()


def _blank(line: str, separator: str) -> bool:
    """Whether every field of the record ``line`` is blank (a blank line)."""
    try:
        fields = next(csv.reader(io.StringIO(line, newline=None), delimiter=separator), [])
    except csv.Error:
        return False
    return not any(field.strip() for field in fields)


def _by_arrow(text: str, separator: str) -> tuple[int, list[tuple[int, int, str]]] | None:
    """(header width, [(row, fields, text)] of the rows of the wrong length), or ``None``
    when pyarrow cannot parse the text or finds more than :data:`_MANY` such rows."""
    wrong: list[tuple[int, int, str]] = []
    width = [0]

    def handler(row) -> str:
        if len(wrong) >= _MANY or row.number is None:
            return "error"  # pyarrow stops with ArrowInvalid (an exception here is lost)
        width[0] = row.expected_columns
        wrong.append((row.number, row.actual_columns, row.text))
        return "skip"

    try:
        table = pcsv.read_csv(
            pa.py_buffer(text.encode("utf-8")),
            read_options=pcsv.ReadOptions(use_threads=False, autogenerate_column_names=True),
            parse_options=pcsv.ParseOptions(
                delimiter=separator,
                newlines_in_values=True,
                ignore_empty_lines=False,
                invalid_row_handler=handler,
            ),
            convert_options=pcsv.ConvertOptions(
                include_columns=["f0"], column_types={"f0": pa.string()}
            ),
        )
    except pa.ArrowException:
        return None
    return (width[0] or table.num_columns), wrong


def _by_csv(text: str, separator: str, shown: str) -> Lengths:
    """:func:`row_lengths` with Python's csv module, which also tells whether the longer
    rows all end with the same empty fields, the only longer rows accepted."""
    # newline=None: a bare CR ends a line, as it does for pandas (and spreadsheets)
    reader = csv.reader(io.StringIO(text, newline=None), delimiter=separator)
    lengths, short_rows, long_rows, empty_tails = set(), [], [], True
    row = 0  # the last record read (the header is row 1)
    try:
        width = len(next(reader, []))
        row = 1
        for row, fields in enumerate(reader, start=2):
            if not any(field.strip() for field in fields):
                continue  # a blank line
            lengths.add(len(fields))
            if len(fields) > width:
                long_rows.append((row, len(fields)))
                empty_tails = empty_tails and not any(f.strip() for f in fields[width:])
            elif len(fields) < width:
                short_rows.append((row, len(fields)))
    except csv.Error as exc:
        raise _unreadable(shown, row + 1, exc) from None
    accepted = empty_tails and len(lengths) == 1  # every row ends with the same empty fields
    return Lengths(width, short_rows, [] if accepted else long_rows, bool(long_rows))


def _unreadable(shown: str, row: int, exc: csv.Error) -> Exception:
    """The error of a record the csv module cannot read: a cell past its limit of
    :func:`csv.field_size_limit` characters (131,072) is said as such at its row, the
    header's as a column name; anything else in the module's words."""
    limit = csv.field_size_limit()
    if "field larger than field limit" not in str(exc):
        return refusal(shown, f"is not a readable CSV file ({exc})", "check quotes")
    if row == 1:
        return refusal(shown, f"has a column name (a cell of the header) longer than "
                       f"{limit:,} characters", "shorten it: a column name is a few "
                       "words (or check the quotes of the first row)", 1)  # fmt: skip
    return refusal(shown, f"has a cell longer than {limit:,} characters", "check for a quote "
                   "that is never closed above it, or move the long text to another file",
                   row)  # fmt: skip


def length_problems(shown: str, rows: list, width: int, hint: str) -> list[Problem]:
    """One problem per row of ``(row, fields)``, the first :data:`MAX_ROWS_PER_RULE`."""
    problems = [
        Problem(shown, row, None, f"has {length} fields where the header has {width}", hint)
        for row, length in rows[:MAX_ROWS_PER_RULE]
    ]
    rest = rows[MAX_ROWS_PER_RULE:]
    if rest:
        problems.append(rows_like_above(shown, None, len(rest), hint, (rest[0][0], rest[-1][0])))
    return problems
