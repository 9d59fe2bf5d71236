"""Rows of a CSV register with very many fields, cut short before DuckDB reads them.

DuckDB's strict reading sets aside a row with more fields than the header with a problem
for every field past the header, each costing time in proportion to the row's length: a
row of 30,000 fields took 11 s and 0.8 GB, one of 100,000 fields two minutes and 1.5 GB;
and its first 20,000 fields filled the rejects (:data:`.engines.REJECTS_LIMIT`), so that
the row was said to have 20,007 fields and the rows below were said not to be read. Such a
row is long: each line longer than :data:`LONG` bytes is looked at here, and one with more
fields than the other rows is given to DuckDB as a short row that it sets aside alike, at
the same row, its field count written in it (:data:`MARKER`, read back by
:mod:`.refused`), in a copy of the file that DuckDB reads instead (:func:`cut_copy`).

A shorter row has at most :data:`LONG` / 2 fields: DuckDB sets it aside in about 0.1 s. A
line inside a quoted cell (an odd number of quotes before it) is never cut.

Complexity: a look for a line end in each block of :data:`LONG` bytes (memchr, through a
memory map: measured 0.02 s for 212 MB of 53-byte rows, where DuckDB's one scan of it took
1.9 s; O(1) memory); the long lines are counted in numpy; the copy, O(size of the file) on
disk, is written only for a file with such a row.
"""

from __future__ import annotations

import mmap
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..io.quotes import field_count
from .files import Layout

__all__ = ["LONG", "MARKER", "Cut", "cut_copy", "cut_fields", "long_rows"]

LONG = 1 << 12  # bytes: a longer line is looked at
#: The text of a row cut short, before its field count.
MARKER = "symbiosis-row-cut-short-of-fields-"
_MARKED = re.compile(re.escape(MARKER) + r"(\d+)")
_CHUNK = 1 << 23  # bytes copied at a time


@dataclass(frozen=True)
class Cut:
    """A line of a file (``start`` and ``end`` bytes, its line end excluded) whose
    record has ``fields`` fields."""

    start: int
    end: int
    fields: int


def long_rows(path: Path, layout: Layout) -> list[Cut]:
    """The lines of the CSV file ``path`` longer than :data:`LONG` bytes whose record has
    more fields than the file's rows (the header's, and the empty fields every row ends
    with): the lines that start a record, outside a quoted cell. O(size / LONG) looks for
    a line end, then O(length) for each long line."""
    width = len(layout.names) + layout.tail
    found: list[Cut] = []
    with open(path, "rb") as file:
        if os.fstat(file.fileno()).st_size <= LONG:
            return found
        with mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ) as data:
            quotes = _QuoteCount(data)
            try:
                found = _long_lines(data, layout.separator, width, quotes)
            finally:
                quotes.close()  # the map closes only once no array looks at it
    return found


def _long_lines(data: mmap.mmap, separator: str, width: int, quotes: _QuoteCount) -> list[Cut]:
    """:func:`long_rows` in the memory map ``data``."""
    found: list[Cut] = []
    newline = b"\n" if data.find(b"\n", 0, 1 << 20) >= 0 else b"\r"  # CR alone: old Macs
    start, size = 0, len(data)
    while start + LONG < size:
        end = data.rfind(newline, start, start + LONG)
        if end >= 0:  # a line end in the next LONG bytes: on from the last of them
            start = end + 1
            continue
        end = data.find(newline, start + LONG)
        end = size if end < 0 else end
        fields = field_count(data[start:end].rstrip(b"\r"), separator)
        if fields > width and not quotes.odd_before(start):
            found.append(Cut(start, end, fields))
        start = end + 1
    return found


class _QuoteCount:
    """The parity of the quotes before an offset of a memory map, counted on from the
    offset asked before (asked in increasing order): O(size) over all asks."""

    def __init__(self, data: mmap.mmap) -> None:
        self.text: np.ndarray | None = np.frombuffer(data, dtype=np.uint8)
        self.at, self.count = 0, 0

    def odd_before(self, offset: int) -> bool:
        assert self.text is not None
        self.count += int(np.count_nonzero(self.text[self.at : offset] == ord('"')))
        self.at = offset
        return bool(self.count & 1)

    def close(self) -> None:
        self.text = None


def cut_copy(path: Path, layout: Layout, cuts: list[Cut]) -> Path:
    """A copy of the CSV file ``path`` in the temporary folder with each of ``cuts``
    replaced by a row DuckDB sets aside as having too many fields (:data:`MARKER` and the
    line's field count, then one empty field more than the rows have, and an ``x``); the
    caller removes it. O(size of the file), in chunks of :data:`_CHUNK` bytes."""
    separator = layout.separator
    handle, name = tempfile.mkstemp(prefix="symbiosis-register-", suffix=".csv")
    empty = separator * (len(layout.names) + layout.tail + 1)
    with (
        os.fdopen(handle, "wb") as out,
        open(path, "rb") as file,
        mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ) as data,
    ):
        position = 0
        for cut in cuts:
            _copy(data, position, cut.start, out)
            out.write(f"{MARKER}{cut.fields}{empty}x".encode())
            position = cut.end
        _copy(data, position, len(data), out)
    return Path(name)


def _copy(data: mmap.mmap, start: int, end: int, out) -> None:
    for at in range(start, end, _CHUNK):
        out.write(data[at : min(at + _CHUNK, end)])


def cut_fields(text: str) -> int | None:
    """The field count written in a row cut short (:func:`cut_copy`), from the row's text
    as DuckDB gives it; None for any other row."""
    found = _MARKED.match(text.lstrip("\r\n"))
    return int(found.group(1)) if found else None
