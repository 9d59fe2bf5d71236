"""Firm ids as people see them: one Unicode form, no invisible characters.

The same id can be stored as different code points: ``Café`` with a precomposed ``é``
(NFC, what most software writes) or ``e`` followed by a combining accent (NFD, what macOS
file names and some exports give), or with a zero-width space pasted from a web page
(``MINE\u200b``). They look the same in a spreadsheet, so they must be the same id. The ids
of ``firms.csv`` and the ``source`` and ``target`` of ``flows.csv`` are NFC-normalised and
stripped of zero-width characters (U+200B to U+200D, U+FEFF) before any rule runs; a warning
says when zero-width characters were removed. Ids that still differ only in a way hard to
see (a Cyrillic ``С`` for a Latin ``C``, a word joiner) get a "did you mean" that names the
differing characters (:func:`difference`).

Complexity: one pass over the bytes of each id column when it is pure ASCII (the common
case: nothing else to do); otherwise Arrow's NFC normalisation and one regular expression
over the column, O(size of the column).
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ..vocabulary import close_ids
from .problems import Collector
from .reading import Table

__all__ = ["ID_COLUMNS", "ZERO_WIDTH", "IdGuesses", "difference", "normalise_ids"]

ID_COLUMNS = ("id", "source", "target")
ZERO_WIDTH = "\u200b\u200c\u200d\ufeff"  # zero-width space, non-joiner, joiner; BOM
_ZERO_WIDTH_PATTERN = "[\u200b-\u200d\ufeff]"
MAX_GUESSES = 10  # fuzzy searches for a close id (each costs O(firms))
MAX_GUESS_FIRMS = 5000  # no fuzzy search among more firms (but still a loose match)
_INVISIBLE = {"Cf", "Cc", "Mn", "Me", "Zs", "Zl", "Zp"}  # format, control, marks, spaces


def _is_ascii(column: pa.Array) -> bool:
    """Whether every byte of a string column's text is ASCII: a check of its data buffer
    (which may hold more than the column's slice, so it may say False for an ASCII
    slice, never True for a non-ASCII one). O(bytes)."""
    buffers = column.buffers()
    if len(buffers) < 3 or buffers[2] is None:
        return True
    data = np.frombuffer(buffers[2], dtype=np.uint8)
    return not len(data) or int(data.max()) < 0x80


def normalise_ids(table: Table, found: Collector, columns: tuple[str, ...] = ID_COLUMNS) -> None:
    """NFC-normalise the id columns of ``table`` (those of ``columns`` present once,
    default :data:`ID_COLUMNS`) and remove their zero-width characters, in place; a
    warning per column that held any. O(size of the columns)."""
    for name in columns:
        if table.names.count(name) != 1:
            continue  # missing or repeated: the column rules say so
        column = table.column(name)
        if _is_ascii(column):
            continue
        invisible = pc.match_substring_regex(column, _ZERO_WIDTH_PATTERN)
        invisible = invisible.to_numpy(zero_copy_only=False).astype(bool, copy=False)
        if invisible.any():  # removed first: between a letter and its accent, one blocks NFC
            stripped = pc.replace_substring_regex(column, _ZERO_WIDTH_PATTERN, "")
            column = pc.utf8_trim_whitespace(stripped)
            rows = table.rows[invisible]
            found.warnings.append(
                f"{table.path}: {name}: {len(rows)} id(s) held zero-width characters "
                f"(U+200B to U+200D, U+FEFF; first on row {rows[0]}); they were removed"
            )
        table.replace(name, pc.utf8_normalize(column, form="NFC"))


def _describe(text: str) -> str:
    if not text:
        return "nothing"
    shown = ", ".join(f"U+{ord(c):04X} {unicodedata.name(c, 'unnamed')}" for c in text[:3])
    return shown + (", ..." if len(text) > 3 else "")


def _script(char: str) -> str:
    return unicodedata.name(char, "?").split(" ")[0]


def _subtle(a: str, b: str) -> bool:
    """Whether two differing runs of characters may look alike: an invisible character, a
    character written differently (full-width, ligature), or letters of different scripts
    (Cyrillic ``С`` for Latin ``C``). Case and accents of one script are visible."""
    both = a + b
    if both.isascii():
        return False
    if any(unicodedata.category(c) in _INVISIBLE for c in both):
        return True
    if unicodedata.normalize("NFKC", both) != both:
        return True
    return len({_script(c) for c in both if c.isalpha()}) > 1


def difference(value: str, guess: str) -> str:
    """Why ``value`` is not the id ``guess`` when the two may look alike (see
    :func:`_subtle`), e.g. ``(the cell has U+0421 CYRILLIC CAPITAL LETTER ES where the id
    has U+0043 LATIN CAPITAL LETTER C)``; empty otherwise."""
    matcher = difflib.SequenceMatcher(None, value, guess, autojunk=False)
    parts = [
        f"the cell has {_describe(value[i1:i2])} where the id has {_describe(guess[j1:j2])}"
        for tag, i1, i2, j1, j2 in matcher.get_opcodes()
        if tag != "equal" and _subtle(value[i1:i2], guess[j1:j2])
    ]
    return f" ({'; '.join(parts[:2])})" if parts else ""


class IdGuesses:
    """Close matches for unknown firm ids: the same id up to case, spaces and
    punctuation (any number of firms), or the same number ('7' for '007'), else
    difflib's closest (a few ids, small files).
    Built on first use, so valid files pay nothing."""

    def __init__(
        self,
        firm_ids: pa.Array,
        firm_names: Iterable[str] | None = None,
        close: Callable[[str, list[str]], list[str]] = close_ids,
    ):
        """``close`` gives the closest of the ids to a value (:func:`close_ids`, or
        :func:`close_words` for the words of a vocabulary)."""
        self.column, self.searches, self.close = firm_ids, 0, close
        self.firm_ids: list[str] | None = None  # the distinct ids, on first use
        self.loose: dict[str, str] = {}
        self.numeric: dict[float, str] = {}
        self.names_column = firm_names
        self.by_name: dict[str, str] | None = None

    def named(self, value: str) -> str | None:
        """The id of the one firm whose name is ``value`` (up to case, spaces and
        punctuation), where flows name firms by their names instead of their ids."""
        if self.names_column is None:
            return None
        if self.by_name is None:
            loose = [_loose(str(name)) for name in self.names_column]
            ids = self.column.to_pylist()
            count = Counter(loose)
            self.by_name = {n: i for n, i in zip(loose, ids, strict=True)
                            if count[n] == 1 and n != _loose(i)}  # fmt: skip
        return self.by_name.get(_loose(value))

    def guess(self, value: str) -> str | None:
        if self.firm_ids is None:  # the distinct non-empty ids, in file order
            self.firm_ids = [i for i in pc.unique(self.column).to_pylist() if i != ""]
            self.loose = {_loose(i): i for i in self.firm_ids}
            self.numeric = {}
            for i in reversed(self.firm_ids):  # the first id of a number wins
                if (number := _number(i)) is not None:
                    self.numeric[number] = i
        if _loose(value) in self.loose:
            return self.loose[_loose(value)]
        if (number := _number(value)) is not None and number in self.numeric:
            return self.numeric[number]  # '7' for '007', '3.0' for '3': as Excel rewrites ids
        if self.searches >= MAX_GUESSES or len(self.firm_ids) > MAX_GUESS_FIRMS:
            return None
        self.searches += 1
        close = self.close(value, self.firm_ids)
        return close[0] if close else None


def _number(text: str) -> float | None:
    """The number an id of ASCII digits (and one point) writes, else None: Excel drops
    the leading zeros of '007' and writes '3' as '3.0'."""
    if not text.isascii() or not text.replace(".", "", 1).isdigit():
        return None
    return float(text)


def _loose(text: str) -> str:
    return re.sub(r"[\W_]+", "", text.lower())
