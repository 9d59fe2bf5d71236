"""Reading a CSV file into a :class:`Table` of text cells.

Stages, in order: refuse what is not a regular readable file or would not fit in memory;
take the separator from an Excel ``sep=`` line or sniff it from the header
(:mod:`~symbiosis.io.encoding`); refuse a header without names or with more than
:data:`MAX_COLUMNS` columns; parse with pyarrow's multi-threaded reader straight from the
bytes (the fast path, :mod:`~symbiosis.io.parsing`); when it cannot (not UTF-8, rows of
the wrong length, repeated column names, a pyarrow error), decode the text, locating the
first bad byte, and parse with pandas, whose errors carry line numbers
(:mod:`~symbiosis.io.pandas_fallback`), counting the fields of every row
(:mod:`~symbiosis.io.rows`: longer rows are refused here, shorter ones recorded for the
rules); refuse the cells with text after their closing quote, and a
quote never closed, the file then read with it taken as text so that the rows below it are
read (:mod:`~symbiosis.io.quotes`); strip every cell; drop blank rows, keeping the row numbers
a spreadsheet shows. The rows refused are raised, or kept for the caller to say with the
rules' problems (``read_table(..., collect=True)``).

Complexity: O(size of the file) on either path; the header is parsed alone first, so a file
with a million columns is refused after reading one line.
"""

from __future__ import annotations

import codecs
import csv
import dataclasses
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pyarrow as pa

from ..errors import InputError, Problem
from . import parsing, readahead
from .encoding import (
    decoded,
    excel_separator,
    excel_separator_text,
    refusal,
    sniff_separator,
    utf8_bytes,
)
from .pandas_fallback import read_with_pandas as _read_with_pandas
from .parsing import column_name, empty_mask
from .problems import in_row_order
from .quotes import Unclosed, check_quotes, stray_quotes, unclosed_quote

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "BROKEN_LINK",
    "MAX_COLUMNS",
    "MEMORY_PER_BYTE",
    "Parsed",
    "Table",
    "drop_blank_rows",
    "fast_parse",
    "fast_table",
    "path_problem",
    "read_table",
    "text_table",
]

MEMORY_PER_BYTE = 8  # memory needed to load a CSV file, per byte of it (see _check_memory)
MAX_COLUMNS = 1000  # columns read per file: beyond, a file is refused (see _check_width)


@dataclass
class Table:
    """A CSV file read as text: every cell a stripped string, rows numbered as in a
    spreadsheet (``rows[i]`` is the spreadsheet row of record ``i``; the header is row 1).

    ``data`` is an Arrow table (column names stripped and lower-cased; they may repeat);
    :attr:`frame` is the same as a pandas frame, built on first use.
    """

    path: str
    data: pa.Table
    rows: np.ndarray
    decimal_comma: bool = False
    # rows with fewer fields than the header (padded with empty cells), and their field
    # counts: the rules refuse those short of a required column (columns.check_columns)
    short_rows: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    short_fields: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    # in-memory tables: the label shown for a row number (a frame's index label, a node id);
    # the rules number rows, sources.relabel puts the labels in the problems
    labels: dict[int, object] | None = None
    # the encoding the text was read in, when it was one the user should hear of (Chinese
    # GB18030, found without a mark: encoding.chinese_text); None for UTF-8 and the like
    read_as: str | None = None
    # the column names as the header writes them (case kept, spaces stripped), for the
    # messages that name a column of the user's; None when unknown
    written: list[str] | None = None
    # the separator of a CSV file (None for other tables): in a tab-separated file a
    # column of decimal commas is read as one (numbers.parse_numbers)
    separator: str | None = None
    # what reading found that the rules do not see: problems of cells (a workbook's
    # formula without a computed value) and warnings (a hidden sheet read)
    read_problems: list[Problem] = field(default_factory=list)
    read_warnings: list[str] = field(default_factory=list)
    # rows that reading refused, in read_problems (more fields than the header, cut to
    # its width; a cell with text after its closing quote): the rules say nothing of them
    refused_rows: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))

    @property
    def names(self) -> list[str]:
        return self.data.column_names

    def __len__(self) -> int:
        return self.data.num_rows

    def __contains__(self, name: str) -> bool:
        return name in self.data.column_names

    def column(self, name: str) -> pa.Array:
        """The column ``name`` as one contiguous Arrow string array (cached)."""
        columns = self.__dict__.setdefault("_columns", {})
        if name not in columns:
            chunked = self.data.column(name)  # one chunk as read: no copy
            columns[name] = (
                chunked.chunk(0) if chunked.num_chunks == 1 else chunked.combine_chunks()
            )
        return columns[name]

    def refuse(self, problems: list[Problem], rows: np.ndarray) -> None:
        """Add the ``problems`` that reading found on ``rows``, which the rules then say
        nothing of."""
        self.read_problems.extend(problems)
        self.refused_rows = np.union1d(self.refused_rows, rows).astype(np.int64)

    def replace(self, name: str, column: pa.Array) -> None:
        """Replace the column ``name`` (present once) by ``column``, same length."""
        self.data = self.data.set_column(self.names.index(name), name, column)
        self.__dict__.setdefault("_columns", {})[name] = column
        self.__dict__.pop("frame", None)

    @cached_property
    def frame(self) -> pd.DataFrame:
        """The table as a pandas frame of strings (pandas' Arrow-backed string dtype)."""
        import pandas as pd  # not at import: the read-ahead parses files without pandas

        from .columns import STRING

        columns = [
            pd.Series(self.data.column(i).to_pandas(types_mapper={pa.string(): STRING}.get))
            for i in range(self.data.num_columns)
        ]
        if not columns:
            return pd.DataFrame(index=pd.RangeIndex(self.data.num_rows))
        frame = pd.concat(columns, axis=1, ignore_index=True)
        frame.columns = self.names
        return frame


def text_table(path: str, columns: dict | list, rows: np.ndarray, decimal_comma=False) -> Table:
    """A :class:`Table` from ``(name, strings)`` pairs (names may repeat); the strings an
    Arrow string array or any sequence of str."""
    pairs = list(columns.items()) if isinstance(columns, dict) else list(columns)
    arrays = [
        values if isinstance(values, pa.Array) else pa.array(values, type=pa.string())
        for _, values in pairs
    ]
    data = pa.Table.from_arrays(arrays, names=[name for name, _ in pairs])
    return Table(path, data, rows, decimal_comma)


# --------------------------------------------------------------------------- whole files


_problem = refusal


def _check_memory(path: Path, shown: str) -> None:
    """Refuse, with a clear message, a file that cannot fit in the memory available
    (rather than let the system kill the process with no word). Loading takes about
    :data:`MEMORY_PER_BYTE` bytes of memory per byte of CSV (measured: 1M flows, 82 MB
    of CSV, 0.6 GB)."""
    try:
        size = path.stat().st_size
    except OSError:
        return  # reading will say what is wrong
    available = _available_memory()
    if available is None or size * MEMORY_PER_BYTE <= available:
        return
    raise _problem(
        shown,
        f"is too large for this machine: {size / 1e9:.1f} GB of CSV needs about "
        f"{size * MEMORY_PER_BYTE / 1e9:.0f} GB of memory to load, and "
        f"{available / 1e9:.1f} GB are available",
        "split the network into smaller regions, or run on a machine with more memory",
    )


def _available_memory() -> int | None:
    """Memory the process can still use, in bytes (Linux: MemAvailable plus free swap),
    or ``None`` when unknown."""
    try:
        with open("/proc/meminfo", encoding="ascii") as info:
            fields = dict(line.split(":", 1) for line in info)
        return sum(int(fields[k].split()[0]) * 1024 for k in ("MemAvailable", "SwapFree"))
    except (OSError, KeyError, ValueError):
        return None


#: What a symbolic link that leads to no file is, and what to do about it.
BROKEN_LINK = (
    "is a symbolic link that leads to no file (its target is missing, or the links lead "
    "back to themselves)",
    "point the link at the file, or put the file in its place",
)


def path_problem(
    path: Path, hint: str, *, missing: str = "does not exist"
) -> tuple[str, str] | None:
    """Why ``path`` is no regular file to read, as a message and what to do (``hint``,
    the kind of file wanted), or None: missing (``missing``), a symbolic link that leads
    nowhere, a folder, a device, a pipe or a socket (/dev/zero grows without end, a FIFO
    blocks for ever: nothing is read from them). The one check of every input file. O(1)."""
    if not path.exists():
        if path.is_symlink():  # there, but leading nowhere: a missing target or a loop
            return BROKEN_LINK
        return missing, "check the path"
    if path.is_dir():
        return "is a folder, not a file", hint
    if not path.is_file():
        return "is not a regular file (a device, a pipe or a socket)", hint
    return None


def _read_bytes(path: Path, shown: str) -> bytes:
    refused = path_problem(path, "give a CSV file")
    if refused is not None:
        raise _problem(shown, *refused)
    _check_memory(path, shown)
    try:
        return path.read_bytes()
    except PermissionError:
        raise _problem(
            shown, "cannot be read (permission denied)", "check the file permissions"
        ) from None
    except OSError as exc:
        raise _problem(shown, f"cannot be read ({exc.strerror})", "check the file") from None


def _header(text: str, separator: str) -> list[str]:
    """The fields of the first record (the column names), as written. Reads only the
    lines the header spans."""
    try:
        return next(csv.reader(_lines(text), delimiter=separator), [])
    except csv.Error:  # a stray carriage return: fall back to a plain split
        return text.split("\n", 1)[0].rstrip("\r").split(separator)


def _lines(text: str):
    """The lines of ``text``, with their ends, one at a time (no copy of the whole)."""
    start = 0
    while start < len(text):
        end = text.find("\n", start)
        end = len(text) if end < 0 else end + 1
        yield text[start:end]
        start = end


def _check_width(header: list[str], shown: str) -> None:
    """Refuse a file with more than :data:`MAX_COLUMNS` columns before its rows are parsed:
    a network needs a few columns, and a file of a million columns is a mistake (or an
    attack) that would otherwise cost minutes and gigabytes. A first row without any name
    (a blank line above the header) is refused too."""
    if not any(name.strip() for name in header):
        raise _problem(
            shown,
            "has no column names",
            "put the header (the column names) on the first row: delete the empty rows above it",
            1,
        )
    if len(header) > MAX_COLUMNS:
        raise _problem(
            shown,
            f"has {len(header):,} columns; at most {MAX_COLUMNS:,} are read",
            "keep the columns the network needs and move the others to a separate file "
            "(or check the separator)",
            1,
        )


def read_table(path: str | Path, *, shown: str | None = None, collect: bool = False) -> Table:
    """Read one CSV file into a :class:`Table` of strings, or raise :class:`InputError`.

    Column names are stripped and lower-cased; cells are stripped of surrounding spaces;
    fully empty rows are dropped (row numbers keep counting them). A first line ``sep=X``
    names the separator and is skipped (:mod:`~symbiosis.io.encoding`). Rows with more
    fields than the header and cells with text after their closing quote are refused: an
    :class:`InputError` listing them all; with ``collect``, the table with them
    (:attr:`Table.read_problems`, :attr:`Table.refused_rows`), for the caller to give them
    with the problems of the other rows. O(size of the file).
    """
    path = Path(path)
    table = _read(path, shown or str(path))
    if table.read_problems and not collect:
        raise InputError(in_row_order(table.read_problems))
    return table


def _read(path: Path, shown: str) -> Table:
    """:func:`read_table`, the rows it refuses in the table."""
    ahead = readahead.taken(path, shown)  # read on the CLI's thread meanwhile, if it was
    if ahead is not None:
        return ahead
    raw, named = excel_separator(_read_bytes(path, shown), shown)
    data = utf8_bytes(raw)
    table = None if data is None else _utf8_table(data, named, shown)
    if table is not None:
        return table
    text, read_as = decoded(raw, shown)
    if named is None:  # UTF-16 and UTF-32: the sep= line once decoded
        text, named = excel_separator_text(text, shown)
    if "\n" not in text and "\r" in text:  # old Mac line ends: CR alone
        text = text.replace("\r", "\n")
    if not text.strip():
        raise _problem(shown, "is empty", "add a header row and data rows")
    separator = named or sniff_separator(text)
    text, unclosed = _quote_closed(text, separator)
    header = _header(text, separator)
    _check_width(header, shown)
    read = _text_table(text, raw, data is None or read_as is not None, separator, header, shown)
    read.read_as = read_as
    if unclosed is not None:
        _refuse_unclosed(read, unclosed, header)
    return read


def _quote_closed(text: str, separator: str) -> tuple[str, Unclosed | None]:
    """``text`` with its quote that is never closed taken as text (:class:`Unclosed`),
    and that quote; ``text`` and None when every quoted cell is closed. O(size of the
    text); only on a file that did not take the fast path."""
    if '"' not in text:
        return text, None
    encoded = text.encode("utf-8")
    unclosed = unclosed_quote(encoded, separator)
    if unclosed is None:
        return text, None
    return unclosed.closed(encoded).decode("utf-8"), unclosed


def _text_table(
    text: str, raw: bytes, arrow: bool, separator: str, header: list[str], shown: str
) -> Table:
    """The :class:`Table` of decoded ``text``: with pyarrow when ``arrow`` (text that was
    not UTF-8, re-encoded) and it parses cleanly, else with pandas."""
    if arrow and not raw.startswith(codecs.BOM_UTF8):  # the fast path now
        encoded = text.encode("utf-8")
        table = parsing.read_with_arrow(encoded, separator)
        if table is not None:
            return _table(
                shown, table, separator, header, stray_quotes(encoded, separator, shown, header)
            )
    frame, lengths = _read_with_pandas(text, separator, shown)
    if len(header) == frame.shape[1]:  # pandas renames a repeated 'x' to 'x.1': undo it
        names = [column_name(name) or f"unnamed: {i}" for i, name in enumerate(header)]
    else:
        names = [column_name(column) for column in frame.columns]
    columns = []
    for position, name in enumerate(names):  # by position: names may repeat
        column = frame.iloc[:, position].fillna("").astype(str).str.strip()
        columns.append((name, column.to_numpy(dtype=object)))
    table = text_table(shown, columns, np.arange(2, len(frame) + 2), separator == ";")
    table.written = [str(name).strip() for name in header] if len(header) == len(names) else None
    table.separator = separator
    if lengths.short:
        table.short_rows, table.short_fields = np.array(lengths.short, dtype=np.int64).T
    long_rows = np.array([row for row, _ in lengths.long], dtype=np.int64)
    table.refuse(lengths.long_problems(shown), long_rows)
    if '"' in text:
        table.refuse(*stray_quotes(text.encode("utf-8"), separator, shown, header))
    return drop_blank_rows(table)


def fast_table(path: Path, *, threads: bool = True) -> Table | None:
    """:func:`read_table` of a UTF-8 file that pyarrow parses cleanly (the fast path, no
    pandas: what :mod:`~symbiosis.io.readahead` reads on its thread); ``None`` for any
    other file, which only ``read_table`` reads. Raises what ``read_table`` raises on
    the way (a missing file, too many columns ...). ``threads``: pyarrow parses blocks
    on its thread pool (else on the calling thread only). O(size of the file)."""
    parsed = fast_parse(path, threads=threads)
    return None if parsed is None else parsed.table()


@dataclass(frozen=True, eq=False)
class Parsed:
    """A file as pyarrow parsed it, before its columns are made contiguous and stripped
    (:meth:`table`): the first half of :func:`fast_table`, the one that runs without the
    GIL."""

    shown: str
    data: pa.Table
    separator: str
    header: list[str]  # the column names as written
    strays: tuple[list[Problem], np.ndarray]  # the cells with a stray quote (stray_quotes)
    unclosed: Unclosed | None = None  # a quote never closed, taken as text in ``data``

    def table(self) -> Table:
        """The :class:`Table` of :func:`fast_table`. O(rows x columns)."""
        finished = parsing.finish(self.data)
        table = _table(self.shown, finished, self.separator, self.header, self.strays)
        if self.unclosed is not None:
            _refuse_unclosed(table, self.unclosed, self.header)
        return table


def fast_parse(path: Path, *, threads: bool = True) -> Parsed | None:
    """The parse of :func:`fast_table` (its ``None`` and its errors); the parse's
    :meth:`Parsed.table` is ``fast_table``'s table. O(size of the file)."""
    shown = str(path)
    raw, named = excel_separator(_read_bytes(path, shown), shown)
    data = utf8_bytes(raw)
    return None if data is None else _utf8_parse(data, named, shown, threads=threads)


def _utf8_table(data: bytes, named: str | None, shown: str) -> Table | None:
    """The fast path, straight from UTF-8 bytes (``named``: the separator of a ``sep=``
    line); ``None`` when pyarrow does not parse them cleanly."""
    parsed = _utf8_parse(data, named, shown)
    return None if parsed is None else parsed.table()


def _utf8_parse(
    data: bytes, named: str | None, shown: str, *, threads: bool = True
) -> Parsed | None:
    separator = named or sniff_separator(data[:65536].decode("utf-8", errors="replace"))
    header = parsing.bytes_header(data, separator)
    if header is None:
        return None
    _check_width(header, shown)
    table = parsing.parse(data, separator, threads=threads, header=header)
    if table is None:
        return None
    quoting = check_quotes(data, separator, shown, header)
    if quoting.unclosed is not None:
        return _quote_closed_parse(data, quoting.unclosed, separator, shown, threads=threads)
    return Parsed(shown, table, separator, header, quoting.strays)


def _quote_closed_parse(
    data: bytes, unclosed: Unclosed, separator: str, shown: str, *, threads: bool
) -> Parsed | None:
    """:func:`_utf8_parse` of ``data`` with its quote that is never closed taken as text
    (:class:`Unclosed`), that quote's row refused. Only for a file with such a quote."""
    parsed = _utf8_parse(unclosed.closed(data), separator, shown, threads=threads)
    return None if parsed is None else dataclasses.replace(parsed, unclosed=unclosed)


def _refuse_unclosed(table: Table, unclosed: Unclosed, header: list[str]) -> None:
    """Refuse the row of a quote never closed, read with that quote taken as text: its
    problem replaces what reading found on that row (its fields read so are not the
    row's fields: too many, say, where the cell held a separator)."""
    table.read_problems = [p for p in table.read_problems if p.row != unclosed.row]
    rows = np.array([unclosed.row] if unclosed.row > 1 else [], dtype=np.int64)
    table.refuse([unclosed.problem(table.path, header)], rows)


def _table(
    shown: str,
    data: pa.Table,
    separator: str,
    header: list[str],
    strays: tuple[list[Problem], np.ndarray],
) -> Table:
    rows = np.arange(2, data.num_rows + 2)
    table = Table(shown, data, rows, decimal_comma=separator == ";")
    table.written = [name.strip() for name in header]
    table.separator = separator
    table.refuse(*strays)
    return drop_blank_rows(table)


def drop_blank_rows(table: Table) -> Table:
    """Drop rows whose cells are all empty; row numbers keep counting them. O(rows) per
    column, and only while some row is still blank in every column seen."""
    data = table.data
    if not (data.num_rows and data.num_columns):
        return table
    first = data.column_names[0]  # by position when repeated: the rules report that
    repeated = data.column_names.count(first) > 1
    blank = empty_mask(data.column(0).combine_chunks() if repeated else table.column(first))
    for i in range(1, data.num_columns):
        if not blank.any():
            return table
        blank &= empty_mask(data.column(i).combine_chunks())
    if blank.any():
        keep = ~blank
        table.data = data.filter(pa.array(keep))
        table.rows = table.rows[keep]
        table.__dict__.pop("_columns", None)
    return table
