"""Reading and validating the input tables.

A network is a folder holding ``firms.csv`` and ``flows.csv`` (or the two files given
separately, or ``flows.csv`` alone). :func:`load` reads both, checks every rule below,
and returns a :class:`~symbiosis.model.FlowNetwork`, or raises one
:class:`~symbiosis.errors.InputError` carrying every problem found, each located as
``file:row: column: what is wrong; what to do``. Rows are numbered as a spreadsheet
shows them: the header is row 1.

Accepted file forms: UTF-8 (with or without BOM) or UTF-16 with a BOM; separated by
``,``, ``;`` or tab (sniffed from the header); with ``;`` the decimal mark may be a comma
(``12,5``), as European spreadsheets export it; CRLF or LF line ends; quoted fields, also
with embedded newlines.

Rules checked for ``firms.csv``: an ``id`` column; ids present, unique and at most 200
characters; ``role`` one of :data:`~symbiosis.vocabulary.ROLES` or an alias (empty means
``firm``); ``lat``/``lon`` empty or numbers in range. For ``flows.csv``: the columns
``source, target, material, quantity, unit, category``; endpoints present and known
firms; no self-flows; material present; category known (energy and water are
dimensions, not categories); quantity empty (a link of unknown size) or a finite number
>= 0 with no thousands separator; unit known (:mod:`symbiosis.units`), and required when
a quantity is given; ``year`` an integer and ``price`` a number >= 0 when present; no
row repeating another exactly; one dimension per material.

When ``firms.csv`` is absent every flow endpoint becomes a node: an id that is a role
name or alias (``market``, ``landfill``, ``air`` ...) becomes a boundary node of that
role, every other id a ``firm``.

Complexity: O(r) in the number of rows, vectorised with pandas; every distinct unit,
role and category string is parsed once.
"""

from __future__ import annotations

import codecs
import csv
import dataclasses
import difflib
import io
import re
import warnings
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

try:  # pyarrow makes reading and lookups on large files several times faster
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.csv as pcsv
except ImportError:  # pragma: no cover - pyarrow is a dependency; keep working without it
    pa = pc = pcsv = None

from .errors import InputError, Problem
from .units import UnknownUnitError, parse_unit
from .vocabulary import (
    CATEGORIES,
    DIMENSION_WORDS,
    ROLES,
    canonical_category,
    canonical_role,
    material_key,
)

__all__ = [
    "FIRM_COLUMNS",
    "FLOW_COLUMNS",
    "from_frames",
    "load",
    "read_table",
    "validate_frames",
]

FIRM_COLUMNS = ("id", "name", "sector", "role", "lat", "lon")
FIRM_REQUIRED = ("id",)
FLOW_COLUMNS = ("source", "target", "material", "quantity", "unit", "category", "year", "price")
FLOW_REQUIRED = ("source", "target", "material", "quantity", "unit", "category")
MAX_ID_LENGTH = 200
MAX_NAME_LENGTH = 500
_YEAR_HINT = "write the year like 2019"
MEMORY_PER_BYTE = 8  # memory needed to load a CSV file, per byte of it (see _check_memory)
MAX_ROWS_PER_RULE = 1000  # rows listed per kind of problem; the rest are counted
MAX_GUESSES = 10  # fuzzy searches for a close id (each costs O(firms))
MAX_GUESS_FIRMS = 5000  # no fuzzy search among more firms (but still a loose match)
_NUMBER = re.compile(r"^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?$")  # ASCII only
_NON_FINITE = r"[+-]?(nan|inf|infinity|n/a|na)"
_SPREADSHEET_ERROR = r"#[a-z0-9/]+[!?]?"  # #N/A, #VALUE!, #DIV/0!, #REF!, #NAME?
# Groups of three digits with a comma, space, no-break space, thin space or apostrophe.
_GROUPED = r"[+-]?[0-9]{1,3}([, \u00a0\u202f'][0-9]{3})+(\.[0-9]+)?"


@dataclass
class Table:
    """A CSV file read as text: every cell a string, rows numbered as in a spreadsheet."""

    path: str
    frame: pd.DataFrame
    rows: np.ndarray  # spreadsheet row number of each record
    decimal_comma: bool = False


@dataclass
class _Collector:
    problems: list[Problem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def add(self, file, row, column, message, hint=""):
        self.problems.append(
            Problem(file, None if row is None else int(row), column, message, hint)
        )

    def add_rows(self, table: Table, mask, column, message, hint, values=None):
        """One problem per row where ``mask`` holds; ``message`` may use ``{value}``."""
        positions, rest = _split(np.flatnonzero(np.asarray(mask)))
        cells = [""] * len(positions) if values is None else np.asarray(values)[positions]
        for position, value in zip(positions, cells, strict=True):
            self.add(
                table.path,
                table.rows[position],
                column,
                message.format(value=_shorten(value)),
                hint,
            )
        self.add_rest(table, rest, column, hint)

    def add_rest(self, table: Table, rest: np.ndarray, column, hint) -> None:
        """One problem counting the rows left out by :func:`_split`."""
        if len(rest):
            self.add(
                table.path,
                None,
                column,
                f"{len(rest):,} more rows (rows {table.rows[rest[0]]} to "
                f"{table.rows[rest[-1]]}) have the same problem as the rows above",
                hint,
            )


def _split(positions: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The first :data:`MAX_ROWS_PER_RULE` positions, to list, and the rest, to count: a
    file wrong on every row costs neither minutes nor gigabytes to report."""
    return positions[:MAX_ROWS_PER_RULE], positions[MAX_ROWS_PER_RULE:]


def _shorten(value: object, width: int = 60) -> str:
    text = str(value).replace("\n", "\\n")
    return text if len(text) <= width else text[: width - 1] + "…"


# --------------------------------------------------------------------------- reading text


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
    raise InputError(
        Problem(
            shown,
            None,
            None,
            f"is too large for this machine: {size / 1e9:.1f} GB of CSV needs about "
            f"{size * MEMORY_PER_BYTE / 1e9:.0f} GB of memory to load, and "
            f"{available / 1e9:.1f} GB are available",
            "split the network into smaller regions, or run on a machine with more memory",
        )
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


def _decode(path: Path, raw: bytes, shown: str) -> str:
    if raw.startswith(codecs.BOM_UTF8):
        encoding = "utf-8-sig"
    elif raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"
    else:
        encoding = "utf-8"
        if b"\x00" in raw[:4096]:
            raise InputError(
                Problem(
                    shown,
                    None,
                    None,
                    "is not a text file (it contains NUL bytes)",
                    "give a CSV file saved as UTF-8 text",
                )
            )
    try:
        return raw.decode(encoding)
    except UnicodeDecodeError as exc:
        before = raw[: exc.start].decode(encoding, errors="replace")
        raise InputError(
            Problem(
                shown,
                _record_number(before),
                None,
                f"is not {encoding.upper().replace('-SIG', '')} text (byte 0x{raw[exc.start]:02X})",
                "save the file as 'CSV UTF-8' (Excel: Save As > CSV UTF-8)",
            )
        ) from None


def _record_number(before: str) -> int:
    """The spreadsheet row (1 = header) of the record that follows the text ``before``:
    quoted newlines do not start a row. O(len(before)); only used to locate an error."""
    reader = csv.reader(io.StringIO(before + "x", newline=None), delimiter=_sniff_separator(before))
    try:
        return max(1, sum(1 for _ in reader))
    except csv.Error:
        return before.count("\n") + 1


def _sniff_separator(text: str) -> str:
    header = text.split("\n", 1)[0]
    counts = {sep: header.count(sep) for sep in (",", ";", "\t")}
    return max(counts, key=lambda sep: (counts[sep], sep == ","))


def read_table(path: str | Path, *, shown: str | None = None) -> Table:
    """Read one CSV file into a :class:`Table` of strings, or raise :class:`InputError`.

    Column names are stripped and lower-cased; cells are stripped of surrounding spaces;
    fully empty rows are dropped (row numbers keep counting them). O(size of the file).
    """
    path = Path(path)
    shown = shown or str(path)
    if not path.exists():
        raise InputError(Problem(shown, None, None, "does not exist", "check the path"))
    if path.is_dir():
        raise InputError(Problem(shown, None, None, "is a folder, not a file", "give a CSV file"))
    _check_memory(path, shown)
    try:
        raw = path.read_bytes()
    except PermissionError:
        raise InputError(
            Problem(
                shown,
                None,
                None,
                "cannot be read (permission denied)",
                "check the file permissions",
            )
        ) from None
    except OSError as exc:
        raise InputError(
            Problem(shown, None, None, f"cannot be read ({exc.strerror})", "check the file")
        ) from None
    text = _decode(path, raw, shown)
    if "\n" not in text and "\r" in text:  # old Mac line ends: CR alone
        text = text.replace("\r", "\n")
    if not text.strip():
        raise InputError(
            Problem(shown, None, None, "is empty", "add a header row and data rows")
        ) from None
    separator = _sniff_separator(text)
    frame = _read_with_arrow(text, separator)
    if frame is not None:
        rows = np.arange(2, len(frame) + 2)
        return _drop_blank_rows(Table(shown, frame, rows, decimal_comma=separator == ";"))
    frame = _read_with_pandas(text, separator, shown)
    header = _header(text, separator)
    if len(header) == frame.shape[1]:  # pandas renames a repeated 'x' to 'x.1': undo it
        frame.columns = [
            str(name).strip().lower() or f"unnamed: {i}" for i, name in enumerate(header)
        ]
    else:
        frame.columns = [str(column).strip().lower() for column in frame.columns]
    for position in range(frame.shape[1]):  # by position: names may repeat
        frame.isetitem(position, frame.iloc[:, position].str.strip())
    rows = np.arange(2, len(frame) + 2)
    return _drop_blank_rows(Table(shown, frame, rows, decimal_comma=separator == ";"))


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


def _read_with_pandas(text: str, separator: str, shown: str) -> pd.DataFrame:
    """Every cell as text, with pandas' C parser. Rows longer than the header are
    errors, except when every data row ends with the same empty fields (as some
    spreadsheet exports write them)."""
    options = {
        "sep": separator,
        "dtype": str,
        "keep_default_na": False,
        "na_filter": False,
        "skip_blank_lines": False,
        "quoting": csv.QUOTE_MINIMAL,
    }
    try:
        frame = pd.read_csv(io.StringIO(text), **options)
        long_rows = not isinstance(frame.index, pd.RangeIndex)  # an implied index column
    except pd.errors.ParserError as exc:
        unclosed = re.search(r"EOF inside string starting at row (\d+)", str(exc))
        if unclosed:
            raise InputError(
                Problem(
                    shown,
                    int(unclosed.group(1)) + 1,
                    None,
                    'has a quote (") that is never closed',
                    "close the quoted field, or remove the stray quote",
                )
            ) from None
        if not re.search(r"Expected \d+ fields", str(exc)):
            raise InputError(
                Problem(
                    shown,
                    None,
                    None,
                    f"is not a readable CSV file ({exc})",
                    "check quotes and separators",
                )
            ) from None
        long_rows = True
    except pd.errors.EmptyDataError:
        raise InputError(
            Problem(shown, None, None, "is empty", "add a header row and data rows")
        ) from None
    if long_rows:
        _check_row_lengths(text, separator, shown)
        try:
            with warnings.catch_warnings():  # only empty trailing fields are dropped
                warnings.simplefilter("ignore", pd.errors.ParserWarning)
                frame = pd.read_csv(io.StringIO(text), index_col=False, **options)
        except pd.errors.ParserError as exc:
            raise InputError(
                Problem(
                    shown,
                    None,
                    None,
                    f"is not a readable CSV file ({exc})",
                    "check quotes and separators",
                )
            ) from None
    return frame


def _check_row_lengths(text: str, separator: str, shown: str) -> None:
    """Raise an :class:`InputError` listing every row with more fields than the header,
    unless all data rows end with the same number of empty fields. O(size of the
    file), in Python: only run on a file that pandas cannot read as it is."""
    # newline=None: a bare CR ends a line, as it does for pandas (and spreadsheets)
    reader = csv.reader(io.StringIO(text, newline=None), delimiter=separator)
    lengths, long_rows, empty_tails = set(), [], True
    try:
        width = len(next(reader, []))
        for row, fields in enumerate(reader, start=2):
            if not fields:
                continue  # a blank line
            lengths.add(len(fields))
            if len(fields) > width:
                long_rows.append((row, len(fields)))
                empty_tails = empty_tails and not any(f.strip() for f in fields[width:])
    except csv.Error as exc:
        raise InputError(
            Problem(shown, None, None, f"is not a readable CSV file ({exc})", "check quotes")
        ) from None
    if not long_rows or (empty_tails and len(lengths) == 1):
        return
    hint = "quote fields that contain the separator, or remove the extra separators"
    problems = [
        Problem(shown, row, None, f"has {length} fields where the header has {width}", hint)
        for row, length in long_rows[:MAX_ROWS_PER_RULE]
    ]
    rest = long_rows[MAX_ROWS_PER_RULE:]
    if rest:
        problems.append(
            Problem(
                shown,
                None,
                None,
                f"{len(rest):,} more rows (rows {rest[0][0]} to {rest[-1][0]}) have the same "
                "problem as the rows above",
                hint,
            )
        )
    raise InputError(problems)


def _drop_blank_rows(table: Table) -> Table:
    """Drop rows whose cells are all empty; row numbers keep counting them."""
    frame = table.frame
    if len(frame):
        blank = (frame == "").all(axis=1).to_numpy()
        if blank.any():
            table.frame, table.rows = frame.loc[~blank].reset_index(drop=True), table.rows[~blank]
    return table


def _read_with_arrow(text: str, separator: str) -> pd.DataFrame | None:
    """The fast path: pyarrow's multi-threaded CSV reader, every column as text.

    Returns ``None`` (and the caller falls back to pandas, whose errors carry line
    numbers) when pyarrow is missing, the file has blank lines (which pyarrow would skip,
    shifting row numbers) or it does not parse cleanly.
    """
    if pa is None:
        return None
    if re.search(r"\n[ \t]*\r?\n", text):
        return None
    names = [name.strip().lower() for name in _header(text, separator)]
    if len(set(names)) != len(names) or "" in names:
        return None  # the pandas path reports duplicated or empty column names
    try:
        table = pcsv.read_csv(
            pa.py_buffer(text.encode("utf-8")),
            read_options=pcsv.ReadOptions(column_names=names, skip_rows=1),
            parse_options=pcsv.ParseOptions(delimiter=separator, newlines_in_values=True),
            convert_options=pcsv.ConvertOptions(
                column_types=dict.fromkeys(names, pa.string()),
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
                null_values=[],
            ),
        )
    except (pa.ArrowInvalid, pa.ArrowException):
        return None
    columns = {name: pc.utf8_trim_whitespace(table[name]) for name in names}
    string = pd.StringDtype("pyarrow", na_value=np.nan)
    return pa.table(columns).to_pandas(types_mapper={pa.string(): string}.get)


def _to_float(text: pd.Series) -> pd.Series:
    """Parse strings already checked to be plain numbers (or missing) as floats."""
    if pa is None:
        return pd.to_numeric(text, errors="coerce").astype(float)
    try:
        parsed = pc.cast(pa.array(text.array), pa.float64()).to_numpy(zero_copy_only=False)
        return pd.Series(parsed, index=text.index, dtype=float)
    except (TypeError, ValueError, pa.ArrowException):
        return pd.to_numeric(text, errors="coerce").astype(float)


def _map_unique(values: pd.Series, function, dtype=object) -> np.ndarray:
    """``function`` applied to each distinct value once, spread back to every row.
    O(rows) hashing plus one call per distinct value."""
    codes, uniques = pd.factorize(values)
    mapped = np.array([function(u) for u in uniques] + [None], dtype=dtype)
    return mapped[codes]  # code -1 (missing) picks the trailing None


def _positions(values: pd.Series | pd.Index, ids: pd.Index) -> np.ndarray:
    """Position of each value in ``ids`` (unique), -1 when absent. O(rows + ids) hashing,
    done by pyarrow when the columns are Arrow strings (pandas' own lookup on them is
    ten times slower)."""
    if pa is None:
        return ids.get_indexer(pd.Index(np.asarray(values, dtype=object))).astype(np.int64)
    try:
        found = pc.index_in(pa.array(values.array), value_set=pa.array(ids.array))
        return found.fill_null(-1).to_numpy(zero_copy_only=False).astype(np.int64)
    except (TypeError, ValueError, pa.ArrowException):
        return ids.get_indexer(pd.Index(np.asarray(values, dtype=object))).astype(np.int64)


# --------------------------------------------------------------------------- checks


def _check_columns(
    table: Table, required: Iterable[str], known: Iterable[str], found: _Collector
) -> bool:
    columns = list(table.frame.columns)
    ok = True
    duplicated = {c for c in columns if columns.count(c) > 1}
    for column in sorted(duplicated):
        found.add(table.path, 1, column, "column appears more than once", "keep one")
        ok = False
    for column in required:
        if column in columns:
            continue
        guess = difflib.get_close_matches(column, [c for c in columns if c not in known], n=1)
        hint = f"rename column '{guess[0]}' to '{column}'" if guess else f"add a '{column}' column"
        found.add(table.path, 1, column, "required column is missing", hint)
        ok = False
    if not ok:
        return False
    if table.frame.empty:
        found.add(table.path, None, None, "has a header but no data rows", "add data rows")
        return False
    return True


def _parse_numbers(
    table: Table,
    column: str,
    found: _Collector,
    *,
    minimum=None,
    what="a number",
    hint="write a plain number like 1200.5 (or leave it empty if unknown)",
    negative_hint="quantities are >= 0; reverse source and target for a flow the other way",
) -> pd.Series:
    """Parse a text column as floats; empty cells become NaN; bad cells are reported.

    Plain ASCII numbers only (``1200.5``, ``-3``, ``1e6``); a number too large for a
    float is refused like ``inf``. In a ``;``-separated file the decimal mark may be a
    comma; there a dot before three digits (``1.200``) is refused as a thousands
    separator when the column uses decimal commas, and as ambiguous when nothing in the
    column tells (it is read as a decimal point only if other cells of the column use
    one). O(rows), vectorised.
    """
    text = original = table.frame[column]  # messages quote the cell as written
    reported = np.zeros(len(text), dtype=bool)
    if table.decimal_comma:
        text, reported = _decimal_commas(table, column, text, found)
    empty = (text == "").to_numpy()
    valid = text.str.fullmatch(_NUMBER).fillna(False).astype(bool).to_numpy() & ~reported
    values = _to_float(text.where(valid & ~empty))
    numbers = values.to_numpy()
    overflow = valid & ~empty & ~np.isfinite(numbers)  # 1e999, or unparsed
    if overflow.any():
        found.add_rows(
            table,
            overflow,
            column,
            "'{value}' is not a finite number",
            "leave the cell empty if the value is unknown",
            original,
        )
        values = values.where(~overflow)
    bad = ~valid & ~empty & ~reported
    if bad.any():
        lowered = text.str.lower()
        nonfinite = bad & lowered.str.fullmatch(_NON_FINITE).fillna(False).to_numpy(bool)
        formula = bad & lowered.str.fullmatch(_SPREADSHEET_ERROR).fillna(False).to_numpy(bool)
        grouped = bad & text.str.fullmatch(_GROUPED).fillna(False).to_numpy(dtype=bool)
        other = bad & ~nonfinite & ~formula & ~grouped
        found.add_rows(
            table,
            formula,
            column,
            "'{value}' is a spreadsheet error, not a number",
            "fix the formula that gave it, or leave the cell empty if the value is unknown",
            original,
        )
        found.add_rows(
            table,
            nonfinite,
            column,
            "'{value}' is not a finite number",
            "leave the cell empty if the value is unknown",
            original,
        )
        found.add_rows(
            table,
            grouped,
            column,
            "'{value}' has a thousands separator",
            "write plain digits, e.g. 1200000",
            original,
        )
        found.add_rows(table, other, column, f"'{{value}}' is not {what}", hint, original)
    if minimum is not None:
        negative = values < minimum
        found.add_rows(table, negative, column, "{value} is negative", negative_hint, original)
    return values


def _decimal_commas(
    table: Table, column: str, text: pd.Series, found: _Collector
) -> tuple[pd.Series, np.ndarray]:
    """Read a ``;``-file column: decimal commas become points; cells whose ``.`` may be
    a thousands separator are reported. Returns the rewritten text and the reported mask."""
    comma = text.str.contains(",", regex=False).to_numpy(dtype=bool)
    dot = text.str.contains(".", regex=False).to_numpy(dtype=bool)
    both = comma & dot
    grouped = text.str.fullmatch(r"[+-]?[1-9][0-9]{0,2}(\.[0-9]{3})+").to_numpy(dtype=bool)
    one_group = grouped & text.str.fullmatch(r"[+-]?[0-9]+\.[0-9]{3}").to_numpy(dtype=bool)
    comma_column = bool((comma & ~both).any())
    point_column = bool((dot & ~both & ~grouped).any())
    found.add_rows(
        table,
        both,
        column,
        "'{value}' mixes '.' and ',' in one number",
        "write the number without thousands separators, e.g. 1200,5",
        text,
    )
    found.add_rows(
        table,
        grouped & (~one_group | comma_column),
        column,
        "'{value}' has a thousands separator",
        "write plain digits, e.g. 1200000",
        text,
    )
    ambiguous = one_group & (not comma_column) & (not point_column)
    found.add_rows(
        table,
        ambiguous,
        column,
        "'{value}' is ambiguous in a ';'-separated file (a thousands separator or a "
        "decimal point?)",
        "write 1200 for twelve hundred, or 1,2 with a decimal comma",
        text,
    )
    reported = both | (grouped & (~one_group | comma_column)) | ambiguous
    return text.str.replace(",", ".", regex=False), reported


def _check_firms(table: Table, found: _Collector) -> pd.DataFrame | None:
    if not _check_columns(table, FIRM_REQUIRED, FIRM_COLUMNS, found):
        return None
    frame = table.frame
    ids = frame["id"]
    found.add_rows(table, ids == "", "id", "id is empty", "give every firm a unique id")
    found.add_rows(
        table,
        ids.str.len() > MAX_ID_LENGTH,
        "id",
        f"id is longer than {MAX_ID_LENGTH} characters",
        "use a short code as id and put the full name in 'name'",
    )
    duplicate = (ids.duplicated(keep="first") & (ids != "")).to_numpy()
    if duplicate.any():
        codes, _ = pd.factorize(ids)
        _, first_position = np.unique(codes, return_index=True)  # codes count from 0
    listed, rest = _split(np.flatnonzero(duplicate))
    found.add_rest(table, rest, "id", "ids must be unique: rename or merge the rows")
    for position in listed:
        value = ids.iloc[position]
        first_row = table.rows[first_position[codes[position]]]
        found.add(
            table.path,
            table.rows[position],
            "id",
            f"id '{_shorten(value)}' is used again (first on row {first_row})",
            "ids must be unique: rename or merge the rows",
        )
    roles = frame["role"] if "role" in frame else pd.Series("", index=frame.index)
    canonical = pd.Series(_map_unique(roles, canonical_role), index=roles.index)
    found.add_rows(
        table,
        canonical.isna(),
        "role",
        "unknown role '{value}'",
        "use one of " + ", ".join(ROLES),
        roles,
    )
    result = pd.DataFrame({"id": ids})
    names = frame.get("name", ids)
    result["name"] = names.where(names != "", ids)
    long_names = result["name"].str.len() > MAX_NAME_LENGTH
    if long_names.any():
        found.warnings.append(
            f"{table.path}: {int(long_names.sum())} name(s) longer than {MAX_NAME_LENGTH} "
            "characters; they are shortened in tables and diagrams"
        )
    result["sector"] = frame.get("sector", "")
    result["role"] = canonical.fillna("firm")
    for column, low, high in (("lat", -90, 90), ("lon", -180, 180)):
        if column in frame:
            values = _parse_numbers(
                table, column, found, what="a coordinate", hint="give decimal degrees, e.g. 30.93"
            )
            outside = (values < low) | (values > high)
            found.add_rows(
                table,
                outside,
                column,
                f"{{value}} is outside [{low}, {high}]",
                "give decimal degrees (WGS 84)",
                frame[column],
            )
            result[column] = values
        else:
            result[column] = np.nan
    for column in frame.columns:
        if column not in result:
            result[column] = frame[column]
    result["row"] = table.rows
    return result


def _firms_from_flows(flows: pd.DataFrame) -> pd.DataFrame:
    """Nodes inferred from flow endpoints when there is no firms file."""
    ids = pd.Series(pd.unique(pd.concat([flows["source"], flows["target"]], ignore_index=True)))
    ids = ids[ids != ""].reset_index(drop=True)
    roles = pd.Series(_map_unique(ids, canonical_role)).fillna("firm")
    return pd.DataFrame(
        {
            "id": ids,
            "name": ids,
            "sector": "",
            "role": roles,
            "lat": np.nan,
            "lon": np.nan,
            "row": 0,
        }
    )


class _Guesses:
    """Close matches for unknown firm ids: the same id up to case, spaces and
    punctuation (any number of firms), else difflib's closest (a few ids, small files).
    Built on first use, so valid files pay nothing."""

    def __init__(self, firm_ids: pd.Index | None):
        self.firm_ids, self.loose, self.searches = firm_ids, None, 0

    def guess(self, value: str) -> str | None:
        if self.loose is None:
            self.loose = {_loose(i): i for i in self.firm_ids}
        if _loose(value) in self.loose:
            return self.loose[_loose(value)]
        if self.searches >= MAX_GUESSES or len(self.firm_ids) > MAX_GUESS_FIRMS:
            return None
        self.searches += 1
        close = difflib.get_close_matches(value, self.firm_ids, n=1)
        return close[0] if close else None


def _loose(text: str) -> str:
    return re.sub(r"[\W_]+", "", text.lower())


def _check_flows(
    table: Table, firm_ids: pd.Index | None, found: _Collector, firms_file: str | None
) -> pd.DataFrame | None:
    if not _check_columns(table, FLOW_REQUIRED, FLOW_COLUMNS, found):
        return None
    frame = table.frame
    source, target = frame["source"], frame["target"]
    guesses = _Guesses(firm_ids)
    for column, values in (("source", source), ("target", target)):
        found.add_rows(
            table,
            values == "",
            column,
            f"{column} is empty",
            f"give the id of the {'sending' if column == 'source' else 'receiving'} firm",
        )
        if firm_ids is not None:
            unknown = (_positions(values, firm_ids) < 0) & (values != "").to_numpy()
            hints: dict[str, str] = {}
            listed, rest = _split(np.flatnonzero(unknown))
            found.add_rest(table, rest, column, f"add the missing ids to {firms_file}")
            for position in listed:
                value = values.iloc[position]
                if value not in hints:
                    guess = guesses.guess(value)
                    hints[value] = (
                        f"did you mean '{guess}'?"
                        if guess
                        else f"add a row with id '{_shorten(value)}' to {firms_file}"
                    )
                hint = hints[value]
                found.add(
                    table.path,
                    table.rows[position],
                    column,
                    f"unknown firm '{_shorten(value)}'",
                    hint,
                )
    found.add_rows(
        table,
        (source == target) & (source != ""),
        "target",
        "flow from '{value}' to itself",
        "leave internal recycling out, or model the unit that receives it as its own firm",
        source,
    )
    material = frame["material"]
    found.add_rows(table, material == "", "material", "material is empty", "name the material")

    categories = frame["category"]
    canonical = pd.Series(_map_unique(categories, canonical_category), index=categories.index)
    unknown = canonical.isna()
    if unknown.any():
        is_dimension = categories.str.lower().isin(DIMENSION_WORDS)
        found.add_rows(
            table,
            unknown & is_dimension,
            "category",
            "'{value}' is a dimension, not a category",
            "the unit gives the dimension; use product, by-product, waste or emission",
            categories,
        )
        found.add_rows(
            table,
            unknown & ~is_dimension & (categories == ""),
            "category",
            "category is empty",
            "use " + ", ".join(CATEGORIES),
        )
        found.add_rows(
            table,
            unknown & ~is_dimension & (categories != ""),
            "category",
            "unknown category '{value}'",
            "use " + ", ".join(CATEGORIES),
            categories,
        )

    quantity = _parse_numbers(table, "quantity", found, minimum=0)
    units = frame["unit"]
    unit_info, unit_errors = {}, {}
    unit_codes, distinct_units = pd.factorize(units)
    for text in distinct_units:
        if text == "":
            continue
        if _NUMBER.fullmatch(text):  # no need to ask pint
            unit_errors[text] = UnknownUnitError(
                text, f"'{text}' is a number, not a unit", "write t, MWh, GJ or m3"
            )
            continue
        try:
            unit_info[text] = parse_unit(text)
        except UnknownUnitError as exc:
            unit_errors[text] = exc
    if unit_errors:
        error_of = [unit_errors.get(text) for text in distinct_units]
        listed, rest = _split(np.flatnonzero([error_of[code] is not None for code in unit_codes]))
        found.add_rest(table, rest, "unit", "use a mass (t, kt), energy (MWh, GJ) or volume unit")
        for position in listed:
            exc = error_of[unit_codes[position]]
            found.add(table.path, table.rows[position], "unit", exc.message, exc.hint)
    found.add_rows(
        table,
        (units == "") & quantity.notna(),
        "unit",
        "unit is empty but a quantity is given",
        "write t, MWh, GJ or m3",
    )
    dimension = pd.Series(
        _map_unique(units, lambda t: unit_info[t].dimension if t in unit_info else None),
        index=units.index,
    )
    factor = _map_unique(
        units, lambda t: unit_info[t].factor if t in unit_info else np.nan, dtype=float
    )
    value = quantity * factor

    result = pd.DataFrame(
        {
            "source": source,
            "target": target,
            "material": material,
            "material_key": _map_unique(material, material_key),
            "category": canonical,
            "quantity": quantity,
            "unit": units,
            "value": value,
            "dimension": dimension,
        }
    )
    _check_material_dimensions(table, result, found)
    if "year" in frame:
        years = _parse_numbers(table, "year", found, what="a year", hint=_YEAR_HINT)
        not_whole = years.notna() & (years != years.round())
        found.add_rows(
            table, not_whole, "year", "{value} is not a whole year", _YEAR_HINT, frame["year"]
        )
        outside = years.notna() & ~not_whole & ((years < 1000) | (years > 9999))
        found.add_rows(
            table, outside, "year", "{value} is not a four-digit year", _YEAR_HINT, frame["year"]
        )
        good = years.where(~not_whole & ~outside)
        result["year"] = good if (not_whole | outside).any() else good.astype("Int64")
    if "price" in frame:
        result["price"] = _parse_numbers(
            table,
            "price",
            found,
            minimum=0,
            what="a price",
            negative_hint="prices are >= 0; leave the cell empty if unknown",
        )
    for column in frame.columns:
        if column not in result:
            result[column] = frame[column]
    result["row"] = table.rows

    duplicated = frame.duplicated(keep="first")
    if duplicated.any():
        first = frame.groupby(list(frame.columns), sort=False, dropna=False).ngroup()
        first_row = pd.Series(table.rows).groupby(first.to_numpy()).transform("first")
        listed, rest = _split(np.flatnonzero(duplicated.to_numpy()))
        found.add_rest(table, rest, None, "delete the repeated rows")
        for position in listed:
            found.add(
                table.path,
                table.rows[position],
                None,
                f"row repeats row {first_row.iloc[position]} exactly",
                "delete it, or if both are real add a column (e.g. date) that tells them apart",
            )
    unknown_size = int(quantity.isna().sum())
    if unknown_size:
        found.warnings.append(
            f"{table.path}: {unknown_size} flow(s) have no quantity: they count as links in "
            "loops and structure, and are left out of every sum"
        )
    return result


def _check_material_dimensions(table: Table, flows: pd.DataFrame, found: _Collector) -> None:
    known = flows.dropna(subset=["dimension"])
    firsts = known.drop_duplicates(["material_key", "dimension"])  # in row order
    mixed = firsts["material_key"].duplicated(keep=False)
    for _, first in firsts[mixed.to_numpy()].groupby("material_key", sort=False):
        described = ", ".join(
            f"{d} on row {table.rows[i]} ('{_shorten(u, 20)}')"
            for d, i, u in zip(first["dimension"], first.index, first["unit"], strict=True)
        )
        found.add(
            table.path,
            int(table.rows[first.index[1]]),
            "unit",
            f"material '{_shorten(first['material'].iloc[0])}' is given in more than one "
            f"dimension: {described}",
            "use one dimension per material (e.g. water 1 t = 1 m3), or name them apart",
        )


def _boundary_warnings(network, path: str) -> list[str]:
    """Flows joining two boundary nodes lie outside the system: say so."""
    outside_only = ~network.source_is_actor & ~network.target_is_actor
    if not outside_only.any():
        return []
    first = int(network.flows["row"].to_numpy()[outside_only][0])
    return [
        f"{path}: {int(outside_only.sum())} flow(s) join two boundary nodes (e.g. row {first}); "
        "they lie outside the system and no analysis counts them"
    ]


# --------------------------------------------------------------------------- entry points


def validate_frames(
    firms: pd.DataFrame | None,
    flows: pd.DataFrame,
    *,
    firms_name: str = "firms",
    flows_name: str = "flows",
):
    """Validate in-memory tables (as from :func:`pandas.read_csv`) and build a network.

    Cells may be strings or numbers; the rules are those of :func:`load`.
    """
    tables = []
    for name, frame in ((firms_name, firms), (flows_name, flows)):
        if frame is None:
            tables.append(None)
            continue
        text = frame.copy()
        text.columns = [str(c).strip().lower() for c in text.columns]
        for column in text.columns:
            text[column] = text[column].map(_cell_text).astype(str).str.strip()
        tables.append(Table(name, text.reset_index(drop=True), np.arange(2, len(text) + 2)))
    return _build(tables[0], tables[1], source_files=())


def from_frames(firms: pd.DataFrame | None, flows: pd.DataFrame):
    """Validate in-memory tables with the same rules as the CSV files and build a
    :class:`~symbiosis.model.FlowNetwork` (``firms`` may be ``None``: nodes are then
    inferred from the flow endpoints). Raises :class:`~symbiosis.errors.InputError`
    listing every problem. O(rows)."""
    return validate_frames(firms, flows)


def _cell_text(value: object) -> str:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return repr(value) if isinstance(value, float) else str(value)


def _resolve(path: str | Path | None, firms: str | Path | None, flows: str | Path | None):
    if path is not None:
        path = Path(path)
        if path.is_dir():
            flows = flows or path / "flows.csv"
            firms = firms or (path / "firms.csv" if (path / "firms.csv").exists() else None)
            if not Path(flows).exists():
                raise InputError(
                    Problem(
                        str(path),
                        None,
                        None,
                        "holds no flows.csv",
                        "a network folder needs flows.csv (and usually firms.csv)",
                    )
                )
        else:
            flows = flows or path
            sibling = path.parent / "firms.csv"
            if firms is None and sibling.exists() and sibling != path:
                firms = sibling
    if flows is None:
        raise InputError("no flows file given; pass a folder or a flows.csv file")
    return (Path(firms) if firms else None), Path(flows)


def load(
    path: str | Path | None = None,
    *,
    firms: str | Path | None = None,
    flows: str | Path | None = None,
):
    """Load and validate a network: a folder with ``firms.csv`` and ``flows.csv``, a
    flows file (``firms.csv`` beside it is used if present), or the two files by name.

    Returns a :class:`~symbiosis.model.FlowNetwork`; raises
    :class:`~symbiosis.errors.InputError` listing every problem in both files.
    Input files are only read, never modified. O(rows).
    """
    firms_path, flows_path = _resolve(path, firms, flows)
    problems: list[Problem] = []
    tables: list[Table | None] = []
    for file in (firms_path, flows_path):
        if file is None:
            tables.append(None)
            continue
        try:
            tables.append(read_table(file))
        except InputError as exc:
            problems.extend(exc.problems)
            tables.append(None)
    if problems:  # still report what is wrong in the readable file
        if tables[1] is not None:
            try:
                _build(tables[0], tables[1], source_files=())
            except InputError as exc:
                problems.extend(p for p in exc.problems if p.file == tables[1].path)
        elif tables[0] is not None:
            found = _Collector()
            _check_firms(tables[0], found)
            problems[:0] = found.problems
        raise InputError(problems)
    sources = tuple(p.resolve() for p in (firms_path, flows_path) if p is not None)
    return _build(tables[0], tables[1], source_files=sources)


def _build(firms_table: Table | None, flows_table: Table, *, source_files):
    from .model import FlowNetwork

    found = _Collector()
    firms = None
    firm_ids = None
    if firms_table is not None:
        firms = _check_firms(firms_table, found)
        if firms is not None:
            firm_ids = pd.Index(firms["id"][firms["id"] != ""].unique())
    elif (
        flows_table is not None and "source" in flows_table.frame and "target" in flows_table.frame
    ):
        found.warnings.append(
            "no firms file: every flow endpoint is a node; ids named after a role "
            "(market, landfill, air ...) are boundary nodes, the others firms"
        )
    flows = _check_flows(
        flows_table, firm_ids, found, firms_table.path if firms_table else "firms.csv"
    )
    if found.problems:
        raise InputError(found.problems)
    if firms is None:
        firms = _firms_from_flows(flows)
    network = FlowNetwork.from_validated(
        firms, flows, warnings=tuple(found.warnings), source_files=source_files
    )
    extra = _boundary_warnings(network, flows_table.path)
    return (
        dataclasses.replace(network, warnings=network.warnings + tuple(extra)) if extra else network
    )
