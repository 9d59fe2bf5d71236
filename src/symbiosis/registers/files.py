"""What a register file is before an engine reads it, and how its rows are numbered.

- :func:`file_problem`: a register must be a regular, readable file (a folder, a link that
  leads nowhere, a FIFO or a device each have their own answer, as for the network files;
  a FIFO would block the read, ``/dev/zero`` never end), and :func:`repeated_files` refuses
  a file named twice, whose shipments would count twice. :func:`content_problem`: it must
  be CSV text or Parquet (told by its first bytes, whatever its name): a workbook, a
  database or binary data is said to be so, once.
- :func:`csv_layout`: the header of a CSV file (its column names and separator), read here
  so that the engine is told the width of every row rather than guessing it from a sample:
  DuckDB's guess took a row of nine fields for the header, and a row of three for a file of
  one column. A header without names, with a name twice or with more than
  :data:`~symbiosis.io.reading.MAX_COLUMNS` columns is refused at row 1, in the network
  reader's words. The first data row tells whether every row ends with the same empty
  fields (``a,b,c,,``, as some exports write them).
- :func:`blank_rows` and :func:`spreadsheet_rows`: the engines number the rows they read,
  and skip blank lines and the rows they refuse; a spreadsheet counts both. The rows of a
  problem are renumbered from the rows skipped.

Complexity: O(1) per file (the first MB) on a valid register; :func:`blank_rows` is
O(size of the file), vectorised, and runs only to name bad rows of a file with blank lines.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..errors import InputError, Problem
from ..io.encoding import binary_kind, decoded, sniff_separator
from ..io.reading import MAX_COLUMNS, path_problem
from ..io.text_files import other_kind_problem

__all__ = [
    "UTF8_HINT",
    "Layout",
    "blank_rows",
    "content_problem",
    "csv_layout",
    "file_problem",
    "is_parquet",
    "repeated_files",
    "spreadsheet_rows",
]

UTF8_HINT = "save the file as 'CSV UTF-8' (Excel: Save As > CSV UTF-8)"
_FILE_HINT = "give a register file (CSV or Parquet)"
_HEAD = 1 << 20  # bytes read for the header and the first data row
_SAMPLE = 4096  # bytes read to tell binary data (the network reader's sample)
_BLOCK = 1 << 23  # bytes scanned at a time for blank lines
_NEWLINE, _CR, _QUOTE = 10, 13, 34


def is_parquet(path: Path) -> bool:
    """Whether the register file ``path`` is read as Parquet: its first bytes say so
    (``PAR1``, whatever its name), or else its suffix (``.parquet``, ``.pq``), as the
    network reader tells one (:func:`~symbiosis.io.encoding.binary_kind`). O(1)."""
    return binary_kind(path) == "parquet"


def content_problem(path: Path) -> Problem | None:
    """Why the regular file ``path`` is neither a CSV register nor a Parquet one, in the
    network reader's words, or None: a workbook or a database (named, with what to do),
    an old Excel workbook (.xls), UTF-16 or UTF-32 text without a byte-order mark, binary
    data (``is not a text file``). A text file with a NUL byte in a cell is a register:
    the cell is said at its row. O(1): the first 4 kB."""
    if is_parquet(path):
        return None
    shown = str(path)
    other = other_kind_problem(path, shown, read=", which is not read as a register",
                               hint=", or as Parquet")  # fmt: skip
    if other is not None:
        return other
    with open(path, "rb") as file:
        head = file.read(_SAMPLE)
    if b"\x00" not in head:
        return None
    try:
        decoded(head, shown)  # with NUL bytes, always refused: as what?
    except InputError as exc:
        [problem] = exc.problems
        return problem if problem.row is None else None  # a row: a NUL in a cell
    return None


def file_problem(path: Path) -> Problem | None:
    """Why ``path`` cannot be read as a register file, or None. Nothing is read from a
    file that is not a regular one. O(1)."""
    shown = str(path)
    refused = path_problem(path, _FILE_HINT, missing="no such file")
    if refused is not None:
        return Problem(shown, None, None, *refused)
    try:
        with open(path, "rb"):
            pass
    except PermissionError:
        return Problem(
            shown, None, None, "cannot be read (permission denied)", "check the file permissions"
        )
    except OSError as exc:
        return Problem(shown, None, None, f"cannot be read ({exc.strerror})", "check the file")
    return None


def repeated_files(paths: Sequence[Path]) -> list[Problem]:
    """A problem for each file named again (by the same path, another one or a link): its
    shipments would be counted twice. O(files)."""
    seen: dict[tuple[int, int], str] = {}
    problems = []
    for path in paths:
        try:
            status = path.stat()
        except OSError:
            continue  # file_problem says why
        key = (status.st_dev, status.st_ino)
        if key not in seen:
            seen[key] = str(path)
            continue
        first = seen[key]
        said = "is named twice" if first == str(path) else f"is the same file as {first}"
        hint = "give each register file once: its shipments would be counted twice"
        problems.append(Problem(str(path), None, None, said, hint))
    return problems


@dataclass(frozen=True)
class Layout:
    """The header of a CSV register: the column names (stripped, as DuckDB names them:
    ``column7`` for an empty one), the separator, and how many empty fields every row
    ends with beyond the header (``tail``)."""

    names: tuple[str, ...]
    separator: str
    tail: int = 0


def csv_layout(path: Path) -> Layout:
    """The :class:`Layout` of the CSV file ``path``, from its first MB. Raises InputError
    on a header that is not UTF-8, has no names, a name twice, or too many columns."""
    shown = str(path)
    with open(path, "rb") as file:
        head = file.read(_HEAD)
        whole = not file.read(1)
    head = head.removeprefix(codecs.BOM_UTF8)
    try:
        text, bad = head.decode("utf-8"), None
    except UnicodeDecodeError as exc:
        text, bad = head[: exc.start].decode("utf-8"), exc.start
        whole = False
    separator = sniff_separator(text.replace("\r", "\n"))
    reader = csv.reader(io.StringIO(text, newline=None), delimiter=separator)
    lines = text.replace("\r\n", "\n").replace("\r", "\n").count("\n")
    try:
        header = next(reader, [])
        ended = whole or 0 < reader.line_num <= lines  # the header's last line has its end
    except csv.Error:
        header, ended = [], False
    try:
        first = next((row for row in reader if row), [])
    except csv.Error:
        first = []
    if not ended and bad is not None:
        raise InputError(
            Problem(
                shown,
                1 + head[:bad].count(b"\n"),
                None,
                f"is not UTF-8 text (byte 0x{head[bad]:02X})",
                UTF8_HINT,
            )
        )
    if not ended:
        raise InputError(
            Problem(
                shown,
                1,
                None,
                f"has a header row longer than {_HEAD:,} bytes",
                "check the quotes and the separator of the first row",
            )
        )
    return Layout(tuple(_names(header, shown)), separator, _tail(header, first))


def _names(header: list[str], shown: str) -> list[str]:
    """The column names as DuckDB gives them; InputError on the header problems of the
    network reader (:func:`~symbiosis.io.reading.read_table`)."""
    if not any(name.strip() for name in header):
        raise InputError(
            Problem(
                shown,
                1,
                None,
                "has no column names",
                "put the header (the column names) on the first row: delete the empty rows "
                "above it",
            )
        )
    if len(header) > MAX_COLUMNS:
        raise InputError(
            Problem(
                shown,
                1,
                None,
                f"has {len(header):,} columns; at most {MAX_COLUMNS:,} are read",
                "keep the columns the register needs (or check the separator)",
            )
        )
    names = [name.strip() or f"column{i}" for i, name in enumerate(header)]
    counts: dict[str, list[str]] = {}
    for name in names:  # DuckDB's names ignore case: Date and date are one column
        counts.setdefault(name.casefold(), []).append(name)
    repeated = [spelled[0] for spelled in counts.values() if len(spelled) > 1]
    if repeated:
        raise InputError(
            [
                Problem(shown, 1, name, "column appears more than once", "keep one")
                for name in repeated
            ]
        )
    return names


def _tail(header: list[str], first: list[str]) -> int:
    """How many empty fields the first data row has beyond the header (0 when it has
    none, when one of them is not empty, or when the header and they make more than
    :data:`~symbiosis.io.reading.MAX_COLUMNS` columns: a row of thousands of separators is
    no export's habit, and so many columns overflowed Ibis' recursion)."""
    extra = first[len(header) :]
    if len(first) > MAX_COLUMNS or any(field.strip() for field in extra):
        return 0
    return len(extra)


def spreadsheet_rows(rows: Sequence[int], skipped: np.ndarray) -> list[int]:
    """The ``rows`` an engine numbered (the header row 1, then its rows in order, from 2)
    as a spreadsheet shows them, given the rows it ``skipped`` (blank lines, rows it
    refused), as a spreadsheet numbers them. O((k + s) log s)."""
    skips = np.unique(np.asarray(skipped, dtype=np.int64))
    if not len(skips) or not len(rows):
        return [int(row) for row in rows]
    read_before = skips - 2 - np.arange(len(skips))  # rows read before each skipped one
    numbers = np.asarray(rows, dtype=np.int64)
    return (numbers + np.searchsorted(read_before, numbers - 2, side="right")).tolist()


def blank_rows(path: Path, separator: str, rows: int) -> np.ndarray:
    """The spreadsheet rows of the blank lines of the CSV file ``path`` (no character but
    a line end: the engines skip them without a word), among its first ``rows`` rows that
    are not blank. A line end inside a quoted cell ends no row.

    Vectorised (numpy, in blocks of 8 MB): O(size of the file), O(block) memory. When a
    quote stands where CSV puts none (inside a cell: ``5" pipe``), the quotes cannot tell
    the rows apart by counting, and Python's csv module reads the rows instead (O(rows),
    about 3 s per million rows)."""
    with open(path, "rb") as file:
        first = file.read(_HEAD)
    newline = _NEWLINE if b"\n" in first or not first else _CR  # CR alone: old Mac files
    if not _has_blank_line(path, newline):
        return np.zeros(0, dtype=np.int64)
    found = _blank_rows_by_quotes(path, ord(separator), newline, rows)
    return found if found is not None else _blank_rows_by_csv(path, separator, rows)


def _blocks(path: Path) -> Iterator[tuple[int, bytes, int, int]]:
    """The file in blocks of :data:`_BLOCK` bytes: (offset, bytes, the byte before, the
    byte after; a line end past either end of the file)."""
    with open(path, "rb") as file:
        start, previous, block = 0, _NEWLINE, file.read(_BLOCK)
        while block:
            following = file.read(_BLOCK)
            yield start, block, previous, following[0] if following else _NEWLINE
            start, previous, block = start + len(block), block[-1], following


def _has_blank_line(path: Path, newline: int) -> bool:
    """Whether two line ends follow each other anywhere (a CR between them, in a CRLF
    file): the quick test before :func:`_blank_rows_by_quotes`. O(size), at memchr speed."""
    marks = (b"\n\n", b"\n\r\n") if newline == _NEWLINE else (b"\r\r",)
    carried = b""
    for _, block, _, _ in _blocks(path):
        joined = carried + block
        if any(mark in joined for mark in marks):
            return True
        carried = joined[-2:]
    return False


def _blank_rows_by_quotes(path: Path, separator: int, newline: int, rows: int) -> np.ndarray | None:
    """:func:`blank_rows` by counting quotes: a line end ends a row when an even number of
    quotes comes before it. None when a quote neither opens nor closes a cell."""
    found: list[np.ndarray] = []
    parity, records, blanks, last_end = 0, 0, 0, -1
    bounds = np.array([separator, _NEWLINE, _CR, _QUOTE], dtype=np.uint8)
    for start, raw, previous, following in _blocks(path):
        block = np.frombuffer(raw, dtype=np.uint8)
        quotes = np.flatnonzero(block == _QUOTE)
        at_start = 3 - start if start == 0 and raw.startswith(codecs.BOM_UTF8) else -start
        neighbours = (previous, following, at_start)
        if len(quotes) and not _quotes_delimit(block, quotes, parity, bounds, neighbours):
            return None
        lines = np.flatnonzero(block == newline)
        ends = lines[(np.searchsorted(quotes, lines) + parity) % 2 == 0]
        parity = (parity + len(quotes)) % 2
        if not len(ends):
            continue
        gaps = np.diff(np.concatenate(([last_end - start], ends)))
        blank = gaps == 1
        if newline == _NEWLINE:  # a CRLF file: a line holding only its CR
            pairs = np.flatnonzero(gaps == 2)
            before = ends[pairs] - 1
            cr = np.where(before >= 0, block[np.maximum(before, 0)], previous)
            blank[pairs[cr == _CR]] = True
        numbers = records + 1 + np.flatnonzero(blank)
        found.append(numbers)
        records += len(ends)
        blanks += len(numbers)
        last_end = int(ends[-1]) + start
        if records - blanks > rows:
            break
    return np.concatenate(found) if found else np.zeros(0, dtype=np.int64)


def _quotes_delimit(
    block: np.ndarray,
    quotes: np.ndarray,
    parity: int,
    bounds: np.ndarray,
    neighbours: tuple[int, int, int],
) -> bool:
    """Whether every quote of ``block`` (at ``quotes``, ``parity`` quotes open before it)
    opens a cell (after a separator, a line end or the quote of a doubled pair) or closes
    one (before them), as CSV writes quotes. ``neighbours``: the bytes before and after
    the block, and where in the block the file's text starts (after a byte-order mark)."""
    previous, following, text_start = neighbours
    last = len(block) - 1
    opening = (np.arange(len(quotes)) + parity) % 2 == 0
    before = np.where(quotes > 0, block[np.maximum(quotes - 1, 0)], previous)
    after = np.where(quotes < last, block[np.minimum(quotes + 1, last)], following)
    fits = np.where(
        opening, np.isin(before, bounds) | (quotes == text_start), np.isin(after, bounds)
    )
    return bool(fits.all())


def _blank_rows_by_csv(path: Path, separator: str, rows: int) -> np.ndarray:
    """:func:`blank_rows` with Python's csv module (a quote inside a cell is text)."""
    blanks = []
    with open(path, encoding="utf-8", errors="replace", newline="") as file:
        reader = csv.reader(file, delimiter=separator)
        try:
            for number, record in enumerate(reader, start=1):
                if not record:
                    blanks.append(number)
                elif number - len(blanks) > rows:
                    break
        except csv.Error:
            pass  # the rows before are counted; the engine reports the rest
    return np.array(blanks, dtype=np.int64)
