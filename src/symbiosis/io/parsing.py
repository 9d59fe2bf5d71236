"""pyarrow's parse of UTF-8 bytes into columns of text: the fast path of
:mod:`~symbiosis.io.reading`.

:func:`parse` reads the header with Python's csv module (the names, stripped and
lower-cased) and the rows with pyarrow's CSV reader, every column as text; it gives
``None`` where the file does not parse cleanly (reading then falls back to pandas, whose
errors carry line numbers). :func:`finish` makes each column one contiguous array and
strips its cells. The parse runs without the GIL; the finish takes it at each of its
short steps (see :mod:`~symbiosis.io.readahead`, which parses every file before it
finishes any). Neither loads pandas.

Complexity: O(size of the bytes) for the parse, O(cells) for the finish.
"""

from __future__ import annotations

import csv

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pcsv

__all__ = [
    "INVISIBLE",
    "bytes_header",
    "column_name",
    "empty_mask",
    "finish",
    "is_ascii",
    "is_spreadsheet_error",
    "parse",
    "read_with_arrow",
    "spreadsheet_error_mask",
    "stripped",
]


#: Invisible characters that Word, Excel and web pages leave in pasted text (zero-width
#: space, non-joiner, joiner, word joiner, byte-order mark): never part of a name.
INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff"
_NO_INVISIBLE = str.maketrans("", "", INVISIBLE)


def column_name(written: object) -> str:
    """A header cell as the rules name its column: without invisible characters
    (:data:`INVISIBLE`) and surrounding spaces (a no-break space too), lower-cased, so that
    'Category\u200b' is the column 'category'. O(len(written))."""
    return str(written).translate(_NO_INVISIBLE).strip().lower()


#: The error values a spreadsheet writes in a cell whose formula failed, as exported
#: to CSV or read from a workbook: never an id, a material, a unit or a category.
SPREADSHEET_ERRORS = frozenset(
    (
        "#N/A",
        "#VALUE!",
        "#REF!",
        "#DIV/0!",
        "#NAME?",
        "#NUM!",
        "#NULL!",
        "#SPILL!",
        "#CALC!",
        "#GETTING_DATA",
    )
)
SPREADSHEET_HINT = "fix the formula that gave it (or the cell it refers to), then export again"


def is_spreadsheet_error(cell: str) -> bool:
    """Whether ``cell`` is a spreadsheet's error value (:data:`SPREADSHEET_ERRORS`, any
    case). O(1)."""
    return cell[:1] == "#" and cell.upper() in SPREADSHEET_ERRORS


def spreadsheet_error_mask(column: pa.Array) -> np.ndarray:
    """Mask of the cells of a string column that are spreadsheet errors: a vectorised
    look at each cell's first byte, then a set lookup for the few cells starting with
    '#'. O(rows)."""
    hashed = pc.starts_with(column, "#").to_numpy(zero_copy_only=False)
    mask = np.zeros(len(column), dtype=bool)
    positions = np.flatnonzero(hashed)
    if len(positions):
        texts = column.take(pa.array(positions, pa.int64())).to_pylist()
        mask[positions] = [is_spreadsheet_error(text) for text in texts]
    return mask


def bytes_header(data: bytes, separator: str) -> list[str] | None:
    """The header fields of UTF-8 ``data``, or ``None`` when the header is not UTF-8 (the
    text path then says where). Decodes only the lines the header spans."""

    def lines():
        start = 0
        while start < len(data):
            end = data.find(b"\n", start)
            end = len(data) if end < 0 else end + 1
            yield data[start:end].decode("utf-8")
            start = end

    try:
        return next(csv.reader(lines(), delimiter=separator), [])
    except UnicodeDecodeError:
        return None
    except csv.Error:  # a stray carriage return: fall back to a plain split
        end = data.find(b"\n")
        first = data if end < 0 else data[:end]
        try:
            return first.decode("utf-8").rstrip("\r").split(separator)
        except UnicodeDecodeError:
            return None


def read_with_arrow(
    data: bytes, separator: str, check_utf8: bool | None = None, *, threads: bool = True
) -> pa.Table | None:
    """The fast path: pyarrow's multi-threaded CSV reader on UTF-8 bytes, every column as
    stripped text.

    Returns ``None`` (and the caller falls back to pandas, whose errors carry line numbers)
    when the file does not parse cleanly: not UTF-8, rows of the wrong length, blank lines in
    a file of several columns (pyarrow would skip them, shifting row numbers), repeated or
    empty column names.

    ``check_utf8`` (default: unless the bytes are all ASCII, which is valid UTF-8) has
    pyarrow check every cell's UTF-8; ``bytes.isascii`` scans a file several times faster.
    """
    table = parse(data, separator, check_utf8, threads=threads)
    return None if table is None else finish(table)


def parse(
    data: bytes,
    separator: str,
    check_utf8: bool | None = None,
    *,
    threads: bool = True,
    header: list[str] | None = None,
) -> pa.Table | None:
    """The parse of :func:`read_with_arrow`: columns of text as pyarrow read them (in
    chunks, not stripped). ``header``: :func:`bytes_header` of ``data``, when the caller
    has it already."""
    names = bytes_header(data, separator) if header is None else header
    if names is None:
        return None
    names = [column_name(name) for name in names]
    if not names or len(set(names)) != len(names) or "" in names:
        return None  # the pandas path reports duplicated or empty column names
    try:
        return pcsv.read_csv(
            pa.py_buffer(data),
            read_options=pcsv.ReadOptions(column_names=names, skip_rows=1, use_threads=threads),
            parse_options=pcsv.ParseOptions(
                delimiter=separator,
                # values hold newlines only inside quotes; without quotes the faster parser
                newlines_in_values=b'"' in data,
                ignore_empty_lines=False,  # a blank line is a row, and keeps its number
            ),
            convert_options=pcsv.ConvertOptions(
                check_utf8=not data.isascii() if check_utf8 is None else check_utf8,
                column_types=dict.fromkeys(names, pa.string()),
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
                null_values=[],
            ),
        )
    except (pa.ArrowInvalid, pa.ArrowException):
        return None


def finish(table: pa.Table) -> pa.Table:
    """One contiguous array per column (the rules read offsets and take rows from
    them), its cells stripped."""
    columns = [stripped(table.column(i).combine_chunks()) for i in range(table.num_columns)]
    return pa.Table.from_arrays(columns, names=table.column_names)


def stripped(column: pa.Array) -> pa.Array:
    """The cells stripped of surrounding whitespace; the column itself when no cell starts
    or ends with a byte that may begin or end whitespace (ASCII space and controls, any
    non-ASCII byte): a look at two bytes per cell instead of a copy of the text (and
    instead of a scan of every byte: the first and last bytes decide alone)."""
    if column.type != pa.string() or column.null_count or column.buffers()[2] is None:
        return pc.utf8_trim_whitespace(column)
    offsets = np.frombuffer(
        column.buffers()[1], np.int32, count=len(column) + 1, offset=column.offset * 4
    )
    text = np.frombuffer(column.buffers()[2], np.uint8)
    if offsets[0] == offsets[-1]:  # every cell empty (or none): nothing to strip
        return column
    # an empty cell reads a neighbour's byte (clipped at the ends): a false alarm at worst
    first = text.take(offsets[:-1], mode="clip")
    last = text.take(offsets[1:] - 1, mode="clip")
    if _suspect(first).any() or _suspect(last).any():
        return pc.utf8_trim_whitespace(column)
    return column


def _suspect(text: np.ndarray) -> np.ndarray:
    """Bytes that may be part of whitespace: ASCII space and controls, non-ASCII."""
    return (text <= 0x20) | (text >= 0x80)


def is_ascii(column: pa.Array) -> bool:
    """Whether every byte of a string column's text is ASCII: a look at its bytes, O(bytes)
    and vectorised, where a regular expression's first use costs 0.2 s. True for a string
    column with no text at all; False for any other type (the caller then looks at the
    cells themselves)."""
    if column.type != pa.string() or column.buffers()[2] is None:
        return column.type == pa.string()  # a string column with no text at all
    offsets = np.frombuffer(column.buffers()[1], np.int32, len(column) + 1, column.offset * 4)
    text = np.frombuffer(column.buffers()[2], np.uint8)[offsets[0] : offsets[-1]]
    return not len(text) or int(text.max()) < 0x80


def empty_mask(column: pa.Array) -> np.ndarray:
    """Mask of the empty cells of a string column, from its offsets (no pass over the
    text). O(rows)."""
    if column.type not in (pa.string(), pa.large_string()) or column.null_count:
        return pc.equal(pc.utf8_length(column), 0).fill_null(True).to_numpy(zero_copy_only=False)
    width = np.int32 if column.type == pa.string() else np.int64
    offsets = np.frombuffer(
        column.buffers()[1], width, count=len(column) + 1, offset=column.offset * width().itemsize
    )
    return offsets[1:] == offsets[:-1]
