"""Reading a pathway file: every rule of its columns and cells (:mod:`symbiosis.catalogue`
describes the columns, :mod:`.figures` the published figures).

A malformed file raises :class:`~symbiosis.errors.InputError` with every problem as
``file:row: column: what is wrong; what to do``, like the network files, all at once: the
rows that reading refuses (more fields than the header, a stray quote, a quote never
closed) with the other rows' problems, and a missing required column with the problems of
the columns present. A row that stops before a required column is refused with its field
count (``has 3 fields where the header has 15``), and nothing else is said about it: its
cells are missing, not empty. Reading stops at a file that cannot be read as a table (not
text, no header, a column given twice, none of the required columns).

Complexity: O(r) for r rows, cell by cell in Python (a catalogue has hundreds of rows).
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import InputError, Problem, add_column_hint
from ..io.columns import written_names
from ..io.problems import in_row_order
from ..io.reading import Table
from ..io.rows import length_problems
from ..io.stray_rows import END_MARK, is_end_mark
from ..io.text_files import read_as_warnings, read_csv_file
from ..units import DIMENSIONS
from ..vocabulary import CATEGORIES, canonical_category, material_key
from . import figures
from .sectors import normalise_sector

__all__ = [
    "COLUMNS",
    "MATURITY",
    "PATHWAY_ROLES",
    "REQUIRED",
    "is_material_code",
    "normalise_code",
    "read_pathway_file",
    "read_pathways",
]

COLUMNS: tuple[str, ...] = (
    "id",
    "material",
    "synonyms",
    "material_code",
    "category",
    "dimension",
    "receiving_sector",
    "product",
    "substitutes",
    "maturity",
    "notes",
    "source",
    "substitution_ratio",
    "receiver_capacity",
    "capacity_unit",
    "co2_factor",
    "role",
    "max_share",
    "condition",
)
REQUIRED: tuple[str, ...] = ("id", "material", "receiving_sector", "source")
MATURITY: tuple[str, ...] = ("established", "demonstrated", "emerging")
#: What the stream is to the receiving plant: its main feed (the plant is built for it),
#: or an additive, a fuel or a utility of a plant built for something else, for which no
#: new plant is proposed (docs/opportunities.md).
PATHWAY_ROLES: tuple[str, ...] = ("feedstock", "additive", "fuel", "utility")
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$")
_CODE = re.compile(r"^[A-Za-z0-9 .\-*]+$")


def normalise_code(text: str) -> str:
    """A material code without spaces, dots, dashes or the hazard mark ``*``, upper-cased.

    >>> normalise_code("10 06 01*")
    '100601'
    """
    return _CODE_MARKS.sub("", str(text)).upper()


_CODE_MARKS = re.compile(r"[\s.\-*]")


def is_material_code(text: str) -> bool:
    """Whether ``text`` is one material code: letters, digits, spaces, dots, dashes and
    ``*``, with a letter or digit (the rule of the catalogue's and the demands'
    ``material_code`` cells).

    >>> is_material_code("10 06 01*"), is_material_code("abc$%")
    (True, False)
    """
    return bool(_CODE.match(text)) and bool(normalise_code(text))


def _split(text: str) -> list[str]:
    return [part.strip() for part in str(text).split(";") if part.strip()]


def read_pathways(path: str | Path, *, shown: str | None = None) -> pd.DataFrame:
    """Read and validate one pathway file; raise :class:`InputError` with every problem.

    Returns the cleaned table described in :class:`Catalogue` (without merging).
    """
    return read_pathway_file(path, shown=shown)[0]


def read_pathway_file(
    path: str | Path, *, shown: str | None = None
) -> tuple[pd.DataFrame, list[str]]:
    """:func:`read_pathways`, and the warnings of reading the file (read as Chinese
    GB18030: :func:`~symbiosis.io.text_files.read_as_warnings`)."""
    table = read_csv_file(path, shown=shown, collect=True)
    # Plain Python strings, by position (names may repeat): the checks go row by row, and
    # iterating Arrow-backed columns costs a conversion per cell.
    columns = [(n, table.data.column(i).to_pylist()) for i, n in enumerate(table.names)]
    short = (table.short_rows, table.short_fields)
    read = (table.read_problems, table.refused_rows)
    pathways = _validate(columns, table.rows, table.path, decimal_comma=table.decimal_comma,
                         short=short, written=written_names(table), read=read)  # fmt: skip
    return pathways, read_as_warnings(table)


#: What to do about a row stopping before a required column (as for the network files).
_SHORT_ROW_HINT = (
    "give every row one field per column (an empty cell still needs its separator); "
    "check for a missing separator or a line break in an unquoted cell"
)


def _validate(
    pairs: list[tuple[str, list[str]]],
    rows: np.ndarray,
    file: str,
    *,
    decimal_comma=False,
    short: tuple[np.ndarray, np.ndarray] | None = None,
    written: dict[str, str] | None = None,
    read: tuple[list[Problem], np.ndarray] | None = None,
) -> pd.DataFrame:
    """Every rule of a pathway file; ``short``: the rows with fewer fields than the
    header, and their field counts (:attr:`~symbiosis.io.reading.Table.short_rows`);
    ``written``: each column name to its header as the file writes it (for the hints);
    ``read``: the problems of the rows that reading refused, and those rows
    (:attr:`~symbiosis.io.reading.Table.read_problems`), said with the others."""
    problems: list[Problem] = list(read[0]) if read else []
    # rows refused as a whole: nothing more is said of them
    refused: set[int] = set(read[1].tolist()) if read else set()
    columns = [name for name, _ in pairs]
    absent = _header_problems(file, columns, written or {}, problems)

    def add(position: int | None, column: str | None, message: str, hint: str = "") -> None:
        row = None if position is None else int(rows[position])
        if row not in refused and column not in absent:  # a missing column is said once
            problems.append(Problem(file, row, column, message, hint))

    if not len(rows) and not absent:
        problems.append(Problem(file, None, None, "has a header but no data rows", "add rows"))
    if not len(rows) or len(absent) == len(REQUIRED):  # no row, or no column, to check
        raise InputError(in_row_order(problems))
    last = [values[-1] for _, values in pairs]
    if is_end_mark(last) and int(rows[-1]) not in refused:  # a DOS end-of-file mark
        problems.append(Problem(file, int(rows[-1]), None, *END_MARK))
        refused.add(int(rows[-1]))
    if short is not None and len(short[0]):
        needed = max(columns.index(column) for column in REQUIRED if column not in absent) + 1
        stops = short[1] < needed
        listed = list(zip(short[0][stops].tolist(), short[1][stops].tolist(), strict=True))
        listed = [(row, fields) for row, fields in listed if row not in refused]
        problems.extend(length_problems(file, listed, len(columns), _SHORT_ROW_HINT))
        refused.update(row for row, _ in listed)
    cells = dict(pairs)
    missing = [c for c in COLUMNS if c not in cells]
    cells |= {c: [""] * len(rows) for c in missing}
    _check_ids(cells["id"], rows, add)
    for column, message, hint in (
        ("material", "material is empty", "name the material as flows name it"),
        ("receiving_sector", "receiving_sector is empty", "name the sector that takes it"),
        ("source", "source is empty", "every pathway needs its source or standard"),
    ):
        for position, value in enumerate(cells[column]):
            if value == "":
                add(position, column, message, hint)
    derived = _checked(cells, add)
    ratio = figures.ratios(cells, add, decimal_comma)
    capacity, dimension = figures.capacities(cells, add, decimal_comma)
    co2 = figures.co2_factors(cells, add, decimal_comma)
    share = figures.shares(cells, add, decimal_comma)
    if problems:
        raise InputError(in_row_order(problems))
    return _table(cells, derived, file, rows, (ratio, capacity, dimension, co2, share), missing)


def _header_problems(
    file: str, columns: list[str], written: dict[str, str], problems: list[Problem]
) -> set[str]:
    """Add the header's problems (row 1) to ``problems``: a column given twice, a
    required column missing (a close misspelling gets a rename hint, the header as
    ``written``). The required columns missing, whose rules are not run; a column given
    twice raises :class:`InputError` at once (which of the two to read?)."""
    repeated = sorted({c for c in columns if columns.count(c) > 1})
    for column in repeated:
        problems.append(Problem(file, 1, column, "column appears more than once", "keep one"))
    absent = {column for column in REQUIRED if column not in columns}
    for column in (c for c in REQUIRED if c in absent):
        unknown = [c for c in columns if c not in COLUMNS]
        guess = _close(column, unknown)
        shown = written.get(guess, guess) if guess else ""
        hint = f"rename column '{shown}' to '{column}'" if guess else add_column_hint(column)
        problems.append(Problem(file, 1, column, "required column is missing", hint))
    if repeated:
        raise InputError(in_row_order(problems))
    return absent


def read_with_columns(
    path: str | Path, required: tuple[str, ...], *, shown: str | None = None
) -> Table:
    """A small catalogue file (:func:`~symbiosis.io.text_files.read_csv_file`), refused
    with every ``required`` column it lacks, or when it has no data rows: the start of the
    reach and sector-code readers. O(size of the file)."""
    table = read_csv_file(path, shown=shown)
    missing = [Problem(table.path, 1, column, "required column is missing",
                       add_column_hint(column))
               for column in required if column not in table.frame.columns]  # fmt: skip
    if missing:
        raise InputError(missing)
    if table.frame.empty:
        raise InputError(Problem(table.path, None, None, "has a header but no data rows",
                                 "add rows"))  # fmt: skip
    return table


def _check_ids(ids: list[str], rows: np.ndarray, add) -> None:
    first_row: dict[str, int] = {}
    for position, value in enumerate(ids):
        if not value:
            add(position, "id", "id is empty", "give every pathway a unique id")
        elif not _ID.match(value):
            add(position, "id", f"id '{value}' has spaces or symbols",
                "use letters, digits, '-', '_' or '.'")  # fmt: skip
        elif value in first_row:
            add(position, "id", f"id '{value}' is used again (first on row {first_row[value]})",
                "ids must be unique")  # fmt: skip
        else:
            first_row[value] = int(rows[position])


def _checked(cells: dict[str, list[str]], add) -> dict[str, list]:
    """Check the category, dimension, maturity, code and name-list cells; the canonical
    category, dimension and maturity (``dimension`` replaced in ``cells``: the capacity
    unit is checked against it)."""
    categories = []
    for position, text in enumerate(cells["category"]):
        category = canonical_category(text) if text else "by-product"
        if category is None:
            add(position, "category", f"unknown category '{text}'", "use " + ", ".join(CATEGORIES))
        categories.append(category or "")
    for position, text in enumerate(cells["dimension"]):
        if text and text.lower() not in DIMENSIONS:
            add(position, "dimension", f"unknown dimension '{text}'",
                "use " + ", ".join(DIMENSIONS) + " or leave it empty")  # fmt: skip
    cells["dimension"] = [text.lower() for text in cells["dimension"]]
    for position, text in enumerate(cells["maturity"]):
        if text and text.lower() not in MATURITY:
            add(position, "maturity", f"unknown maturity '{text}'",
                "use " + ", ".join(MATURITY) + " or leave it empty")  # fmt: skip
    for position, text in enumerate(cells["role"]):
        if text and text.lower() not in PATHWAY_ROLES:
            add(position, "role", f"unknown role '{text}'",
                "use " + ", ".join(PATHWAY_ROLES) + " or leave it empty")  # fmt: skip
    for position, text in enumerate(cells["material_code"]):
        for code in _split(text):
            if not is_material_code(code):
                add(position, "material_code", f"'{code}' is not a material code",
                    "write codes like 10 06 01, separated by ';'")  # fmt: skip
    for column in ("synonyms", "substitutes"):
        for position, text in enumerate(cells[column]):
            if text and not _split(text):
                add(position, column, f"'{text}' lists no name", "separate names with ';'")
    lower = {c: [text.lower() for text in cells[c]] for c in ("maturity", "role")}
    return {"category": categories, **lower}


def _table(cells, derived, file: str, rows: np.ndarray, figured, missing) -> pd.DataFrame:
    """The cleaned table, built once. Its column types are those of the cells written
    into a frame of objects one column at a time: the category, file, sector, capacity
    dimension and the ``missing`` optional columns as a list of str written into a
    frame is typed (``pd.Series(list)``: pandas' string type from pandas 3, objects
    before), the other text as objects."""
    ratio, capacity, dimension, co2, share = figured
    category = derived["category"]
    keys = [
        tuple(dict.fromkeys(material_key(n) for n in [m, *_split(s)]))
        for m, s in zip(cells["material"], cells["synonyms"], strict=True)
    ]
    codes = [tuple(normalise_code(c) for c in _split(t)) for t in cells["material_code"]]
    substitutes = [tuple(material_key(n) for n in _split(t)) for t in cells["substitutes"]]
    sectors = [normalise_sector(s) for s in cells["receiving_sector"]]

    def text(column: str, values: list) -> pd.Series:
        return pd.Series(values) if column in missing else _objects(values)

    data = {c: text(c, cells[c]) for c in COLUMNS} | {
        "category": pd.Series(category),
        "maturity": text("maturity", derived["maturity"]),
        "role": text("role", derived["role"]),
        "file": pd.Series([file] * len(rows)),
        "row": rows,
        "keys": _objects(keys),
        "codes": _objects(codes),
        "substitute_keys": _objects(substitutes),
        "sector": pd.Series(sectors),
        "downstream": np.array([c == "product" for c in category], dtype=bool),
        "ratio": ratio,
        "capacity": capacity,
        "capacity_dimension": pd.Series(dimension),
        "co2": co2,
        "share": share,
    }
    extra = [c for c in cells if c not in COLUMNS and c not in _DERIVED]
    data |= {c: _objects(cells[c]) for c in extra}
    return pd.DataFrame(data, columns=[*COLUMNS, *_DERIVED, *extra], copy=False)


def _objects(values: list) -> pd.Series:
    array = np.empty(len(values), dtype=object)
    array[:] = values  # element by element: tuples stay tuples
    return pd.Series(array, dtype=object, copy=False)  # a frame would infer strings


_DERIVED = (
    "file",
    "row",
    "keys",
    "codes",
    "substitute_keys",
    "sector",
    "downstream",
    "ratio",
    "capacity",
    "capacity_dimension",
    "co2",
    "share",
)


def _close(word: str, candidates: list[str]) -> str | None:
    import difflib

    guesses = difflib.get_close_matches(word, candidates, n=1)
    return guesses[0] if guesses else None
