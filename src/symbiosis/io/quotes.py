"""Stray quotes: a quoted cell with text after its closing quote, or one never closed.

CSV quotes a cell whole (``"a, b"``), a quote inside it written twice (``"say ""hi"" twice"``).
A cell written ``"b"c`` is no such cell: pyarrow, pandas and Python's csv module all read it
as ``bc``, and ``"a"b"c"`` as ``ab"c"``, dropping quotes without a word. A name or an id
changed silently is data lost, so such a cell is refused, at its row and column, the cell
as written. A quote inside an unquoted cell (``12" pipe``) is read as written, as
spreadsheets read it, and spaces after a closing quote (``"b" ,``) are stripped with the
cell's: neither is said.

A quote that opens a cell and is never closed makes the cell run to the end of the file:
pyarrow reads it so without a word when the cell is the last of its row, every row below
swallowed into it (:func:`unclosed_quote`). The reader refuses that row, at its row and
column, and reads the file with that quote taken as text (:meth:`Unclosed.closed`): the
rows below are then read and checked as written.

Found without a loop over the rows, in numpy, for a file with a quote in it (a file without
is looked at for one ``in``). First, whether the quotes are all simple pairs, an opening at
a field's start and a closing at a field's end (:func:`_paired`, the quotes of most files:
O(size of the file), in chunks that stay in the processor's cache); else, exactly: only a
run of consecutive quotes changes whether the bytes after it are inside a quoted cell, and
how it does so is one of three functions of that state (keep, flip, end it: :func:`_runs`),
so the state before every run is a prefix scan, O(size of the file). The rows and columns
of the cells found cost a pass over the line ends, and Python for the listed cells only.
Measured on a million flows: every field quoted (16 M quotes, 60 MB), 0.1 s for
:func:`_paired` beside 0.16 s for pyarrow's parse; a quoted note per row, 0.02 s.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from ..errors import Problem
from .parsing import column_name
from .problems import MAX_ROWS_PER_RULE, rows_like_above, shorten

__all__ = [
    "UNCLOSED",
    "QuoteCheck",
    "Unclosed",
    "check_quotes",
    "field_count",
    "stray_quotes",
    "unclosed_quote",
]

_QUOTE, _LF, _CR = (ord(c) for c in '"\n\r')
_CHUNK = 1 << 20  # bytes of text looked at at once by _paired
_SPACES = {True: re.compile(rb" *"), False: re.compile(rb"[ \t]*")}  # key: tab-separated
_HINT = "a quote in a cell is written twice, and the cell quoted ({escaped}); or remove the quote"
#: The problem of a quote never closed, and what to do.
UNCLOSED = (
    'has a quote (") that is never closed',
    "close the quoted field, or remove the stray quote",
)


@dataclass(frozen=True)
class _Runs:
    """The runs of consecutive quotes of a text: ``starts`` and ``ends`` (byte offsets,
    end exclusive), whether each is at the start of a field (after a separator or a line
    end: a quote opens a cell only there), whether each is followed by the end of a
    field, and whether the text is inside a quoted cell before and after each."""

    starts: np.ndarray
    ends: np.ndarray
    at_start: np.ndarray
    at_end: np.ndarray
    inside_before: np.ndarray
    inside_after: np.ndarray


@dataclass(frozen=True)
class Unclosed:
    """A quote that opens a cell and is never closed: the text from it to the end of the
    file would be that cell. ``offset``: the quote's byte; ``row``: its record's row (a
    spreadsheet's: the header is row 1); ``field``: the cell's position in the row (0
    for the first)."""

    offset: int
    row: int
    field: int

    def closed(self, data: bytes) -> bytes:
        """``data`` with this quote made a space, so that the cell holds the rest of its
        line and the lines below are rows again: the quotes after it are all in pairs
        (any odd run would have closed the cell), so none opens another cell that runs to
        the end. O(size) for the copy; only for a file that has such a quote."""
        return data[: self.offset] + b" " + data[self.offset + 1 :]

    def problem(self, shown: str, header: list[str]) -> Problem:
        """The problem of this quote: its row and column (``header``: the column names
        as written)."""
        column = None
        if self.row > 1 and self.field < len(header):
            column = column_name(header[self.field]) or None
        return Problem(shown, self.row, column, *UNCLOSED)


@dataclass(frozen=True)
class QuoteCheck:
    """What :func:`check_quotes` found: the cells with a stray quote (as
    :func:`stray_quotes` gives them) and a quote never closed (then no stray quote is
    looked for: look again in :meth:`Unclosed.closed` of the bytes)."""

    strays: tuple[list[Problem], np.ndarray]
    unclosed: Unclosed | None = None


def stray_quotes(
    data: bytes, separator: str, shown: str, header: list[str]
) -> tuple[list[Problem], np.ndarray]:
    """The problems of the cells of the CSV bytes ``data`` with text after their closing
    quote (module docstring), the first :data:`MAX_ROWS_PER_RULE` listed and the others
    counted; and the data rows of all of them (spreadsheet rows: the header is row 1, a
    quoted cell over several lines one row). ``header``: the column names as written.
    O(size of the file) in numpy."""
    return check_quotes(data, separator, shown, header).strays


def check_quotes(data: bytes, separator: str, shown: str, header: list[str]) -> QuoteCheck:
    """:func:`stray_quotes`, or the quote that is never closed when there is one (one look
    at the quotes for both). O(size of the file) in numpy; one ``in`` for a file without
    a quote."""
    none = np.zeros(0, dtype=np.int64)
    if b'"' not in data:
        return QuoteCheck(([], none))
    text = np.frombuffer(data, dtype=np.uint8)
    field_end = _field_ends(separator)
    if _paired(text, field_end):
        return QuoteCheck(([], none))
    runs = _runs(text, field_end)
    unclosed = _unclosed(data, runs, separator)
    if unclosed is not None:
        return QuoteCheck(([], none), unclosed)
    closing = np.where(runs.inside_before, _odd(runs), runs.at_start & ~_odd(runs))
    found = np.flatnonzero(closing & ~runs.at_end)
    found = found[[_text_follows(data, int(runs.ends[i]), separator) for i in found]]
    if not len(found):
        return QuoteCheck(([], none))
    record_ends = _record_ends(text, runs)
    rows = np.searchsorted(record_ends, runs.starts[found]) + 1  # the header is row 1
    problems = [
        _problem(data, runs, record_ends, int(run), int(row), separator, shown, header)
        for run, row in zip(found[:MAX_ROWS_PER_RULE], rows[:MAX_ROWS_PER_RULE], strict=True)
    ]
    rest = np.unique(rows[MAX_ROWS_PER_RULE:])
    rest = rest[~np.isin(rest, rows[:MAX_ROWS_PER_RULE])]
    if len(rest):
        hint = _HINT.format(escaped='"""b""c" for "b"c')
        problems.append(rows_like_above(shown, None, len(rest), hint, (rest[0], rest[-1])))
    return QuoteCheck((problems, np.unique(rows[rows > 1]).astype(np.int64)))


def unclosed_quote(data: bytes, separator: str) -> Unclosed | None:
    """The quote of the CSV bytes ``data`` that opens a cell never closed (the file ends
    inside it), or None. O(size of the file) in numpy; one ``in`` for a file without a
    quote."""
    if b'"' not in data:
        return None
    text = np.frombuffer(data, dtype=np.uint8)
    field_end = _field_ends(separator)
    if _paired(text, field_end):
        return None
    return _unclosed(data, _runs(text, field_end), separator)


def field_count(record: bytes, separator: str) -> int:
    """The number of fields of one record's bytes (that start outside a quoted cell): its
    separators outside quoted cells, and one. No list of the fields: O(len(record)) in
    numpy."""
    text = np.frombuffer(record, dtype=np.uint8)
    separators = np.flatnonzero(text == ord(separator))
    if b'"' not in record:
        return len(separators) + 1
    runs = _runs(text, _field_ends(separator))
    return int(np.count_nonzero(~_inside_at(separators, runs))) + 1


def _unclosed(data: bytes, runs: _Runs, separator: str) -> Unclosed | None:
    """The quote opening the cell the text ends inside (the last run that goes from
    outside a quoted cell to inside: its first quote), or None. O(size of the text)."""
    if not runs.inside_after[-1]:
        return None
    opening = int(np.flatnonzero(~runs.inside_before & runs.inside_after)[-1])
    offset = int(runs.starts[opening])
    record_ends = _record_ends(np.frombuffer(data, dtype=np.uint8), runs)
    row = int(np.searchsorted(record_ends, offset)) + 1  # the header is row 1
    field, _ = _field_start(data, runs, record_ends, offset, row, separator)
    return Unclosed(offset, row, field)


def _paired(text: np.ndarray, field_end: np.ndarray) -> bool:
    """Whether the quotes of ``text``, in order, are pairs of an opening quote at a
    field's start (after a separator, a line end or nothing) and a closing quote at a
    field's end (before one of them): then none is stray (each opening opens a cell, the
    next quote is the only one inside it and closes it, or is right after it: an empty
    cell ``""``). False also for some files without a stray quote (a quote written twice
    inside a cell, a quote in an unquoted cell), which :func:`_runs` then reads. A look
    at the bytes around every quote, a chunk of :data:`_CHUNK` bytes at a time
    (``field_end``: :func:`_field_ends`). O(size of the text)."""
    closing = 0  # 1 when the next quote closes a cell opened in an earlier chunk
    for start in range(0, len(text), _CHUNK):
        quotes = np.flatnonzero(text[start : start + _CHUNK] == _QUOTE) + start
        opening, closes = quotes[closing::2], quotes[1 - closing :: 2]
        before = text.take(opening - 1)
        if len(opening) and opening[0] == 0:
            before[0] = _LF  # the text's start is a field's
        after = text.take(closes + 1, mode="clip")
        if len(closes) and closes[-1] == len(text) - 1:
            after[-1] = _LF  # and so is its end
        if not (field_end.take(before).all() and field_end.take(after).all()):
            return False
        closing ^= len(quotes) & 1
    return not closing


def _field_ends(separator: str) -> np.ndarray:
    """Whether each byte value ends a field (the separator, LF, CR): a table to look
    bytes up in."""
    ends = np.zeros(256, dtype=bool)
    ends[[ord(separator), _LF, _CR]] = True
    return ends


def _odd(runs: _Runs) -> np.ndarray:
    return ((runs.ends - runs.starts) & 1).astype(bool)


def _runs(text: np.ndarray, field_end: np.ndarray) -> _Runs:
    """The runs of quotes of ``text`` (at least one; ``field_end``: :func:`_field_ends`). A run
    of ``k`` quotes, as pyarrow's parser reads it: inside a quoted cell, pairs are quotes
    of the cell and an odd one closes it (after which the field's quotes are text);
    outside, at the start of a field, the first opens a cell and the others are read as
    inside; elsewhere they are text. So a run keeps the state (``k`` even), flips it (odd,
    at a field's start) or ends a quoted cell (odd, elsewhere): the state before a run is
    the parity of the flips since the last end. O(size of the text)."""
    quotes = np.flatnonzero(text == _QUOTE)
    breaks = np.flatnonzero(np.diff(quotes) != 1)
    starts = quotes[np.r_[0, breaks + 1]]
    stops = quotes[np.r_[breaks, len(quotes) - 1]] + 1
    at_start = (starts == 0) | field_end.take(text.take(starts - 1))
    at_end = (stops == len(text)) | field_end.take(text.take(stops, mode="clip"))
    odd = ((stops - starts) & 1).astype(bool)
    flips, closes = odd & at_start, odd & ~at_start
    last_close = np.maximum.accumulate(np.where(closes, np.arange(len(starts)), -1))
    close_before = np.r_[-1, last_close[:-1]]
    flipped = np.cumsum(flips)
    since = flipped - flips - np.where(close_before >= 0, flipped[np.maximum(close_before, 0)], 0)
    inside_before = (since & 1).astype(bool)
    inside_after = np.where(inside_before, ~odd, at_start & odd)
    return _Runs(starts, stops, at_start, at_end, inside_before, inside_after)


def _text_follows(data: bytes, end: int, separator: str) -> bool:
    """Whether text other than spaces follows a closing quote ending at ``end`` before
    the field ends (spaces are stripped with the cell's)."""
    spaces = _SPACES[separator == "\t"].match(data, end)
    stop = spaces.end() if spaces else end
    return stop < len(data) and data[stop : stop + 1] not in (separator.encode(), b"\n", b"\r")


def _record_ends(text: np.ndarray, runs: _Runs) -> np.ndarray:
    """The offsets of the line ends that end a record (a line end inside a quoted cell is
    part of the cell): LF, and CR alone. O(size of the text)."""
    returns = np.flatnonzero(text == _CR)
    following = text[np.minimum(returns + 1, len(text) - 1)]
    alone = returns[(returns + 1 == len(text)) | (following != _LF)]
    line_ends = np.union1d(np.flatnonzero(text == _LF), alone)
    return line_ends[~_inside_at(line_ends, runs)]


def _inside_at(offsets: np.ndarray, runs: _Runs) -> np.ndarray:
    """Whether each offset (not a quote's) is inside a quoted cell."""
    run = np.searchsorted(runs.starts, offsets) - 1
    return np.where(run >= 0, runs.inside_after[np.maximum(run, 0)], False)


def _problem(
    data: bytes, runs: _Runs, record_ends: np.ndarray, run: int, row: int, separator: str,
    shown: str, header: list[str],
) -> Problem:  # fmt: skip
    """The problem of the cell whose closing quote is the last of ``run``, on ``row``."""
    field, start, end = _cell(data, runs, record_ends, run, row, separator)
    cell = data[start:end]
    close = int(runs.ends[run]) - 1 - start  # the cell opens at its start
    read_as = cell[1:close].replace(b'""', b'"') + cell[close + 1 :]
    written, read = (c.decode("utf-8", "replace").strip() for c in (cell, read_as))
    escaped = '"' + written.replace('"', '""') + '"'
    return Problem(
        shown,
        row,
        column_name(header[field]) if row > 1 and field < len(header) else None,
        f"'{shorten(written)}' has text after its closing quote: it would be read as "
        f"'{shorten(read)}'",
        _HINT.format(escaped=shorten(escaped, 40)),
    )


def _cell(
    data: bytes, runs: _Runs, record_ends: np.ndarray, run: int, row: int, separator: str
) -> tuple[int, int, int]:
    """The field (0 for the first) of the cell whose closing quote is the last of
    ``run``, on ``row``, and the offsets of its bytes as written. O(length of the row)
    in numpy."""
    close = int(runs.ends[run]) - 1
    field, start = _field_start(data, runs, record_ends, close, row, separator)
    end = re.compile(rb"[\r\n" + re.escape(separator.encode()) + rb"]").search(data, close)
    return field, start, len(data) if end is None else end.start()


def _field_start(
    data: bytes, runs: _Runs, record_ends: np.ndarray, offset: int, row: int, separator: str
) -> tuple[int, int]:
    """The field (0 for the first) of the byte at ``offset``, on ``row``, and the offset
    where that field starts. O(length of the row) in numpy."""
    text = np.frombuffer(data, dtype=np.uint8)
    record = 0 if row == 1 else int(record_ends[row - 2]) + 1
    separators = record + np.flatnonzero(text[record:offset] == ord(separator))
    separators = separators[~_inside_at(separators, runs)]
    start = int(separators[-1]) + 1 if len(separators) else record
    return len(separators), start
