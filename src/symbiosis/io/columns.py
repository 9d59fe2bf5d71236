"""Column-level helpers shared by the firm and flow rules: the header check, dictionary
encoding of a text column, and per-distinct-value lookups.

Validation works on Arrow arrays: a column is dictionary-encoded once (one hash per cell),
each distinct value is parsed once in Python (a role, a unit, a category), and the answer is
spread back to every row with one numpy ``take``. O(rows) hashing plus one call per distinct
value.
"""

from __future__ import annotations

import difflib
import itertools
import re
from collections.abc import Callable, Iterable

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from .._hanzi import simplified
from ..errors import add_column_hint
from ..units import usual_spelling
from ..vocabulary import close_words
from ..vocabulary.headers import header_language, read_in
from .ids import IdGuesses
from .parsing import INVISIBLE, empty_mask
from .problems import Collector, shorten
from .reading import Table
from .rows import length_problems
from .stray_rows import notes_below

__all__ = [
    "FIRM_OPTIONAL_NAMES",
    "FLOW_OPTIONAL_NAMES",
    "Encoded",
    "add_unknown_words",
    "check_columns",
    "check_short_rows",
    "encode",
    "invisible_in_header",
    "is_empty",
    "positions_in",
    "series",
    "shown_name",
    "text_series",
    "warn_usual_names",
    "with_extra_columns",
    "written_names",
]

STRING = pd.StringDtype("pyarrow", na_value=np.nan)  # pandas' default string dtype

# pandas 3 makes a column of Python strings its Arrow-backed string dtype; pandas 2 keeps
# object. The model tables hold what pandas makes of such a column, whichever pandas it is.
_INFERS_STRING = pd.Series(np.array(["x"], dtype=object)).dtype != object


def series(column: pa.Array) -> pd.Series:
    """An Arrow string column as a pandas string series (no copy of the text)."""
    return pd.Series(column.to_pandas(types_mapper={pa.string(): STRING}.get))


def text_series(values: list, codes: np.ndarray) -> pd.Series:
    """The series ``values[codes]`` (``None`` a missing value) as pandas would make it from
    Python strings, built from Arrow when that is the string dtype: no Python object per
    row. O(rows)."""
    if _INFERS_STRING:
        return series(pa.array(values, pa.string()).take(pa.array(codes)))
    return pd.Series(np.array([*values, None], dtype=object)[codes])


class Encoded:
    """A text column dictionary-encoded: ``codes`` (int32, one per row) into ``values`` (the
    distinct cells, in order of first appearance, as a Python list)."""

    def __init__(self, column: pa.Array):
        encoded = pc.dictionary_encode(column)
        self.codes = encoded.indices.to_numpy(zero_copy_only=False).astype(np.int32, copy=False)
        self.dictionary = encoded.dictionary
        self.values: list[str] = self.dictionary.to_pylist()

    def __len__(self) -> int:
        return len(self.values)

    def spread(self, function: Callable[[str], object], dtype=object) -> np.ndarray:
        """``function`` of each row's cell, called once per distinct cell."""
        return self.lookup(function, dtype)[self.codes]

    def lookup(self, function: Callable[[str], object], dtype=object) -> np.ndarray:
        """``function`` of each distinct cell, in the order of :attr:`values`."""
        return np.array([function(value) for value in self.values], dtype=dtype)

    def rows_where(self, distinct: np.ndarray) -> np.ndarray:
        """Mask of the rows whose cell is one of the distinct values where ``distinct``
        (a boolean array over :attr:`values`) holds."""
        return np.asarray(distinct, dtype=bool)[self.codes]


def encode(column: pa.Array) -> Encoded:
    return Encoded(column)


def positions_in(ids: pa.Array, *columns: pa.Array) -> list[np.ndarray]:
    """For ``ids`` and then each of ``columns``, the position in ``ids`` of each cell's first
    occurrence (-1 when absent): the ids' own answer tells repeated ids, the others are the
    flows' endpoints. One hash table of the ids serves every column, since building it costs
    about as much as a million lookups. O(ids + cells)."""
    found = pc.index_in(pa.chunked_array([ids, *columns]), value_set=ids).fill_null(-1)
    found = found.to_numpy().astype(np.int64, copy=False)
    bounds = np.cumsum([0, len(ids), *(len(column) for column in columns)])
    return [found[start:end] for start, end in itertools.pairwise(bounds)]


def with_extra_columns(
    result: pd.DataFrame,
    table: Table,
    read: Iterable[str],
    derived: dict[str, str],
    found: Collector,
) -> pd.DataFrame:
    """``result`` followed by the table's other columns (those not in ``read``, the columns
    the rules consumed), kept as attributes. A column named like one of ``result`` or of the
    ``derived`` columns added later is kept as ``user_<name>`` (``user_<name>_2`` ... if
    that is taken too), with a warning: never overwritten, never dropped. One concat, not
    one insertion per column: linear in cells however wide the file."""
    consumed = set(read)
    extra = [name for name in dict.fromkeys(table.names) if name not in consumed]
    if not extra:
        return result
    taken = set(table.names) | set(result.columns) | set(derived)
    written = written_names(table)
    names = []
    for name in extra:
        if name not in result.columns and name not in derived:
            names.append(name)
            continue
        new, number = f"user_{name}", 2
        while new in taken:
            new, number = f"user_{name}_{number}", number + 1
        taken.add(new)
        names.append(new)
        found.warnings.append(
            f"{table.path}: column '{written[name]}' is kept as '{new}': '{name}' is a column "
            f"symbiosis computes ({derived.get(name, 'from the input')})"
        )
    columns = table.data.select(extra).to_pandas(types_mapper={pa.string(): STRING}.get)
    return pd.concat([result, columns.set_axis(names, axis=1).set_axis(result.index)], axis=1)


def add_unknown_words(
    table: Table,
    column: str,
    encoded: Encoded,
    unknown: np.ndarray,
    found: Collector,
    words: tuple[str, ...],
    choices: tuple[str, ...],
) -> None:
    """One problem per row whose cell of ``column`` (``encoded``) is one of the distinct
    values where ``unknown`` holds: ``unknown role 'extration'``, with a guess among the
    ``words`` read (:class:`~symbiosis.io.ids.IdGuesses`, as for a firm id: ``did you mean
    'extraction'?``; a typo's few edits only, :func:`~symbiosis.vocabulary.close_words`:
    the words are many languages'; a word in traditional characters guessed in simplified
    ones, as it is read) and the ``choices``. One guess per distinct value listed."""
    use = "use one of " + ", ".join(choices)
    guesses = IdGuesses(pa.array(words, pa.string()), close=close_words)
    hints: dict[int, str] = {}

    def hint(code: int) -> str:
        if code not in hints:
            guess = guesses.guess(simplified(encoded.values[code]))  # 汙水處理場: 污水处理厂
            hints[code] = f"did you mean '{guess}'? otherwise {use}" if guess else use
        return hints[code]

    def each(listed: np.ndarray) -> list[tuple[str, str]]:
        return [
            (f"unknown {column} '{shorten(encoded.values[code])}'", hint(code))
            for code in encoded.codes[listed].tolist()
        ]

    mask = encoded.rows_where(unknown)
    if table.path in found.skipped:
        mask &= ~np.isin(table.rows, found.skipped[table.path])
    found.add_listed(table, np.flatnonzero(mask), column, use, each)


def is_empty(column: pa.Array) -> np.ndarray:
    """Mask of the empty cells. O(rows), from the offsets."""
    return empty_mask(column)


def check_columns(
    table: Table,
    required: Iterable[str],
    known: Iterable[str],
    found: Collector,
    what: str | None = None,
) -> bool:
    """Row 1 problems: a repeated column, a required column missing (with a rename hint for
    a close misspelling). Then a table with no rows. True when the rules can run.
    ``what``: the table ("firms", "flows", "demands"), whose headers in Chinese, Japanese
    and Korean :mod:`~symbiosis.io.header_names` read: in a table so headed, the hint for
    a missing column names its headers read as it and those of the table read as none
    (:func:`_hint_in`)."""
    columns = list(table.names)
    ok = True
    counts: dict[str, int] = {}
    for column in columns:
        counts[column] = counts.get(column, 0) + 1
    for column in sorted(c for c, n in counts.items() if n > 1):
        found.add(table.path, 1, column, "column appears more than once", "keep one")
        ok = False
    written = written_names(table)
    suggested: set[str] = set()  # one column is the rename of one required column at most
    missing = [column for column in required if column not in counts]
    language = header_language(list(written.values()), what) if what is not None else None
    for column in missing:
        others = [c for c in columns if c not in known and c not in suggested]
        guess = _usual_name(column, others) or difflib.get_close_matches(column, others, n=1)
        suggested.update(guess)
        hint = (
            f"rename column '{written[guess[0]]}' to '{column}'"
            if guess
            else add_column_hint(column)
            if language is None or what is None
            else _hint_in(language, (column, what), others, written, len(missing) == 1)
        )
        if column == "unit" and (given := _unit_in_header(columns)) is not None:
            hint += f", '{given[1]}' on every row (as the header '{written[given[0]]}' says)"
        if column == "quantity" and len(years := _year_columns(others)) > 1:
            shown = ", ".join(written[year] for year in years[:3])
            hint = (f"the columns {shown}{' ...' if len(years) > 3 else ''} "
                    "look like one quantity per year: give one row per flow and year, with "
                    "the value in 'quantity' and the year in a 'year' column")  # fmt: skip
        found.add(table.path, 1, column, "required column is missing", hint)
        ok = False
    if not ok:
        return False
    if len(table) == 0:
        found.add(table.path, None, None, "has a header but no data rows", "add data rows")
        return False
    if len(tuple(required)) > 1:  # a flow needs several cells; a firm may be an id alone
        notes_below(table, found)
    check_short_rows(table, max(columns.index(c) for c in required) + 1, found)
    return True


def _hint_in(
    language: str, missing: tuple[str, str], others: list[str], written: dict, alone: bool
) -> str:
    """The hint for the column ``missing[0]`` of the table ``missing[1]``, missing from a
    table headed in ``language``: its headers in that language read as it (a tester's
    demands file headed 需求方企业 was told 'add a firm column'), and the headers of the
    table read as no column (``others`` past ASCII), the one to rename when it is the only
    one and the column the only one missing (``alone``)."""
    column, what = missing
    words = read_in(column, what, language)
    said = f"a {language} header read as it: {words}" if words else ""
    unread = [written[c] for c in others if not c.isascii()]
    if len(unread) == 1 and alone:
        return f"rename column '{unread[0]}' to '{column}' if that is what it holds" + (
            f" ({said})" if said else ""
        )
    if unread:
        shown = ", ".join(f"'{c}'" for c in unread[:3]) + (" ..." if len(unread) > 3 else "")
        return (
            f"{add_column_hint(column)}, or rename to '{column}' the one of {shown} that holds "
            f"it (headers symbiosis reads as no column{'; ' + said if said else ''})"
        )
    return add_column_hint(column) + (f" ({said})" if said else "")


def invisible_in_header(table: Table) -> list[str]:
    """A warning naming the columns whose header held invisible characters, which the
    reader removed (:func:`~symbiosis.io.parsing.column_name`), as it removes them from
    ids: pasted from Word, Excel or a web page, they would make 'category' another
    column. O(columns)."""
    held = [name for name in table.written or () if any(c in INVISIBLE for c in name)]
    if not held:
        return []
    shown = ", ".join(f"'{shown_name(name)}'" for name in held[:5])
    return [
        f"{table.path}: the header held invisible characters (zero-width spaces, U+200B "
        f"to U+200D, U+2060, U+FEFF) in {shown}; they were removed"
    ]


def written_names(table: Table) -> dict[str, str]:
    """Each column name (stripped, lower-cased) to the header as the file writes it
    (``Type`` for ``type``; the first, for a name given twice), as a message quotes it
    (:func:`shown_name`). The names themselves when the header as written is not known.
    O(columns)."""
    names = list(table.names)
    given = table.written if table.written and len(table.written) == len(names) else names
    written: dict[str, str] = {}
    for name, header in zip(names, given, strict=True):
        written.setdefault(name, shown_name(header))
    return written


def shown_name(name: str) -> str:
    """A column name as a message shows it: invisible and control characters escaped
    (a zero-width space as a backslash, 'u' and 200b), so that a name holding one is
    not printed as the name without it."""
    return "".join(
        c if c.isprintable() and c not in INVISIBLE else f"\\u{ord(c):04x}" for c in name
    )


#: Other names of the required columns, as spreadsheets and registers head them: a
#: column so named is the one to rename (said in the hint; never renamed silently). The
#: Chinese headers that are the column are read as it (:mod:`~symbiosis.io.header_names`);
#: those here may be something else (产品 a product's name, 产生量 one of two quantities).
_USUAL_NAMES = {
    "source": "from; origin; supplier; producer; sender; generator; emitter; source firm; "
    "source id; from firm",
    "target": "to; destination; receiver; recipient; consumer; user; target firm; target id; "
    "to firm",
    "material": "substance; product; resource; stream; material name; flow name; waste type; 产品",
    "quantity": "amount; value; flow; mass; tonnage; qty; annual quantity; 产生量; 利用量",
    "unit": "units; uom; unit of measure",
    "category": "type; flow type; kind; flow category; class",
    "id": "firm; firm id; company; company id; node; node id; code; 代码; 企业; 公司; 企業; 会社; "
    "기업; 업체; 회사",
}


#: Other names of optional columns whose absence changes the analysis without a word:
#: with no 'role' every node is a firm (a landfill too, so nothing leaves the network),
#: with no 'sector' no receiver is found. What is lost is said with the column.
_NO_POSITION = "no firm has a position: receivers are not ranked by distance"
FIRM_OPTIONAL_NAMES = {
    "role": (
        "type; node type; firm type; kind",
        "every node is read as a firm (a landfill or a market too)",
    ),
    "sector": (
        "industry; industry sector; activity; branch",
        "no firm has a sector, so no receiver or missing plant is found",
    ),
    "name": (
        "company; company name; firm name; 企业; 公司; 企業; 会社; 기업; 업체; 회사",
        "firms show their ids",
    ),
    "lat": ("latitude", _NO_POSITION),
    "lon": ("longitude; lng; long", _NO_POSITION),
}


#: The flows' optional columns whose absence changes the analysis without a word.
FLOW_OPTIONAL_NAMES = {
    "year": (
        "reporting year; fiscal year",
        "every flow counts in one network, whatever its year (the years are summed)",
    ),
    "price": ("unit price", "no opportunity is valued"),
}


def warn_usual_names(
    table: Table,
    found: Collector,
    optional: dict[str, tuple[str, str]] = FIRM_OPTIONAL_NAMES,
    *,
    said: Iterable[str] = (),
) -> None:
    """A warning for each ``optional`` column absent from ``table`` while a column under
    one of its usual other names is there (``Type`` for ``role``, ``Industry`` for
    ``sector``, ``Fiscal Year`` for ``year``): that column is kept as an attribute, and
    the analysis goes on without it. Columns ``said`` (refused already) get no warning.
    (Chinese headers are read as the columns: :mod:`~symbiosis.io.header_names`.)
    O(columns)."""
    said = set(said)
    columns = [name for name in table.names if name not in said]
    written = written_names(table)
    for column, (names, effect) in optional.items():
        if column in columns:
            continue
        usual = {name.strip() for name in names.split(";")}
        other = next((c for c in columns if _spaced(c) in usual), None)
        if other is not None:
            found.warnings.append(
                f"{table.path}: column '{written[other]}' is not read as '{column}': rename it "
                f"'{column}' if that is what it holds; without a '{column}' column {effect}"
            )


def _spaced(name: str) -> str:
    """A header name with spaces, underscores and hyphens alike."""
    return re.sub(r"[\s_-]+", " ", name).strip()


def _usual_name(column: str, others: list[str]) -> list[str]:
    """The first of ``others`` (header names) that is a usual other name of the required
    ``column`` (:data:`_USUAL_NAMES`; spaces, underscores and hyphens alike), as a list
    of one; else an empty list."""
    usual = {name.strip() for name in _USUAL_NAMES.get(column, "").split(";")}
    return [c for c in others if _spaced(c) in usual][:1]


def _year_columns(columns: list[str]) -> list[str]:
    """The columns named like a year (``2019``, ``y2020``, ``quantity_2021``, ``2019年``):
    a table with a column of quantities per year, as statistics print them."""
    return [c for c in columns if re.fullmatch(r"(?:quantity[ _]?|y|fy)?(?:19|20)\d\d年?", c)]


def _unit_in_header(columns: list[str]) -> tuple[str, str] | None:
    """``(column, unit)`` for a header that gives the quantities' unit, as spreadsheets
    write it (``quantity (t/yr)``, ``Quantity [GJ]``): the unit then goes in a column of
    its own. None when no column does."""
    for column in columns:
        written = re.fullmatch(r"quantity\s*[(\[]\s*(.+?)\s*[)\]]", column)
        if written is not None:
            return column, usual_spelling(written.group(1))
    return None


def check_short_rows(table: Table, needed: int, found: Collector) -> None:
    """Rows with fewer than ``needed`` fields (so short of a required column) are refused
    with their field count, and nothing else is said about them: their empty cells are
    missing, not empty. Rows short of optional columns only keep them empty. O(short
    rows)."""
    short = table.short_fields < needed
    if table.path in found.skipped:  # notes below the table, said as such
        short &= ~np.isin(table.short_rows, found.skipped[table.path])
    if not short.any():
        return
    rows = [*zip(table.short_rows[short].tolist(), table.short_fields[short].tolist(), strict=True)]
    hint = (
        "give every row one field per column (an empty cell still needs its separator); "
        "check for a missing separator or a line break in an unquoted cell"
    )
    found.problems.extend(length_problems(table.path, rows, len(table.names), hint))
    found.skip(table.path, table.short_rows[short])
