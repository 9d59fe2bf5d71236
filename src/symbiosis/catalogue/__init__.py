"""The pathway catalogue: known reuse pathways for by-products and wastes, with sources.

A *pathway* says that a material (a by-product, waste or emission; or, for chain
extension, an early-stage product) can feed a *receiving sector*, which makes a
*product* of it, and which source or standard says so. The catalogue ships as package
data (``pathways.csv``, with ``sectors.csv`` for sector names); users add their own rows
with :func:`load_catalogue` (merged with the default, or replacing it).

Columns of a pathway file
    ==================  ========  ==================================================================
    column              required  meaning
    ==================  ========  ==================================================================
    ``id``              yes       unique name of the row (letters, digits, ``-``, ``_``, ``.``);
                                  a user row with the id of a default row replaces it
    ``material``        yes       the material, as flows name it
    ``synonyms``                  other names, separated by ``;``
    ``material_code``             codes, separated by ``;`` (e.g. the EU List of Waste code
                                  ``10 06 01``); spaces, dots and ``*`` are ignored
    ``category``                  by-product, waste, emission or product (default by-product).
                                  ``product`` rows are *downstream* pathways: an early-stage
                                  product that a further stage could process locally
    ``dimension``                 mass, energy or volume; the row only matches flows of it
    ``receiving_sector``  yes     the sector that takes the material (see below)
    ``product``                   what the receiving sector makes of it
    ``substitutes``               primary materials it replaces, separated by ``;`` (an actor
                                  buying one of them is a candidate for a *redirect*)
    ``maturity``                  established (industrial practice or a standard), demonstrated
                                  (commercial examples, pilot plants) or emerging (research);
                                  empty means unknown
    ``notes``                     free text
    ``source``          yes       the literature, standard or report that documents the pathway
    ==================  ========  ==================================================================

Published figures (optional columns, see :mod:`symbiosis.catalogue.figures`)
    ``substitution_ratio`` is the t of primary material replaced per t of the stream (GJ per
    GJ, m3 per m3), one number above 0 and at most 100; ``receiver_capacity`` and
    ``capacity_unit`` are the typical intake of the material by *one* receiving plant per
    year (t, kt, Mt, GJ, MWh, m3, Mm3...; a rate such as ``t/d`` or ``MW`` is a yearly
    amount at full load), the unit required with a capacity and of the row's dimension.
    Both are left empty where no source gives them, and a file without these columns loads
    as before. A range ("0.2-0.5") is refused: give one typical value, the range in notes.

Material matching
    A flow matches a row when its :func:`~symbiosis.vocabulary.material_key` equals the key
    of the row's ``material`` or of one of its ``synonyms`` (rule ``"name"`` or
    ``"synonym"``; synonyms are pooled over the rows of the same material), or when the
    flow has a ``material_code`` column and one of its codes equals one of the row's (rule
    ``"material code"``). Keys are compared whole: ``copper slag`` does not match ``copper
    slag flotation tailings`` unless a synonym says so.

Sector matching
    Sector names are normalised (lower case, ``-`` and ``_`` as spaces, sulphur as sulfur,
    a plural ``s`` dropped from every word). A firm belongs to a receiving sector when one of
    the sector's *terms* occurs as whole words in the firm's ``sector`` text (Chinese terms
    character by character: 水泥 is found in 水泥厂). The terms of a sector are its name and
    the synonyms in ``sectors.csv`` (a receiving sector not listed there has its own name as
    its only term). An occurrence inside a longer one does not count, so ``construction
    materials`` is a building-materials firm, not a construction firm, and ``primary copper
    refinery`` is not an oil refinery. A firm may belong to several sectors (``clinker and
    cement; kiln co-processing`` is a cement firm). See :mod:`symbiosis.catalogue.sectors`;
    industry codes (NACE Rev. 2, ISIC Rev. 4, GB/T 4754-2017) are mapped to the same
    sectors by :mod:`symbiosis.catalogue.sector_codes`.

Errors
    A malformed file raises :class:`~symbiosis.errors.InputError` with every problem as
    ``file:row: column: what is wrong; what to do``, like the network files. A row that
    stops before a required column is refused with its field count (``has 3 fields where
    the header has 15``), and nothing else is said about it: its cells are missing, not
    empty. Figures follow the network's number rules (:mod:`.figures`).

Complexity: reading is O(r) for r rows; :meth:`Catalogue.match` is a dictionary lookup;
:meth:`SectorVocabulary.sectors_of` is one regular-expression scan of the text (cache it
per distinct sector string).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import InputError, Problem, add_column_hint
from ..io import read_table
from ..io.columns import written_names
from ..io.problems import in_row_order
from ..io.rows import length_problems
from ..units import DIMENSIONS
from ..vocabulary import CATEGORIES, canonical_category, material_key
from . import figures
from .sector_codes import SectorCodes, default_sector_codes, load_sector_codes, sectors_for_code
from .sectors import SectorVocabulary, default_sectors, normalise_sector, sector_terms

__all__ = [
    "COLUMNS",
    "MATURITY",
    "REQUIRED",
    "Catalogue",
    "SectorCodes",
    "SectorVocabulary",
    "default_catalogue",
    "default_sector_codes",
    "default_sectors",
    "is_material_code",
    "load_catalogue",
    "load_sector_codes",
    "normalise_code",
    "normalise_sector",
    "read_pathways",
    "sector_terms",
    "sectors_for_code",
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
)
REQUIRED: tuple[str, ...] = ("id", "material", "receiving_sector", "source")
MATURITY: tuple[str, ...] = ("established", "demonstrated", "emerging")
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$")
_CODE = re.compile(r"^[A-Za-z0-9 .\-*]+$")


# ============================================================================ names


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


def _package_file(name: str):
    return resources.files("symbiosis.catalogue") / name


# ============================================================================ pathways


#: Rules of a match by material code: the entry itself, then its EU List of Waste headings.
CODE_RULES = ("material code", "material code (sub-chapter)", "material code (chapter)")


@dataclass(frozen=True)
class Catalogue:
    """Validated pathways and the sector vocabulary used to match receivers.

    ``pathways`` has the columns of :data:`COLUMNS` (cleaned: category and maturity
    canonical, empty optional cells as ``""``) plus ``file`` and ``row`` (where the row
    came from), ``keys`` (material keys of the material and its synonyms), ``codes``
    (normalised codes), ``substitute_keys``, ``sector`` (normalised receiving sector),
    ``downstream`` (True for ``product`` rows), ``ratio`` (the substitution ratio as a
    float, NaN when unknown), ``capacity`` (the receiver capacity in the canonical unit of
    its dimension per year: t, GJ or m3; NaN when unknown) and ``capacity_dimension``
    (``""`` when unknown). Its index is 0..n-1.
    """

    pathways: pd.DataFrame
    sectors: SectorVocabulary
    files: tuple[str, ...] = field(default=())

    def __len__(self) -> int:
        return len(self.pathways)

    @cached_property
    def _by_key(self) -> dict[str, list[tuple[int, str]]]:
        # Synonyms belong to the material, not to one row: rows of the same material
        # share all the synonyms any of them declares.
        pooled: dict[str, set[str]] = {}
        for keys in self.pathways["keys"]:
            pooled.setdefault(keys[0], set()).update(keys)
        index: dict[str, list[tuple[int, str]]] = {}
        for position, keys in enumerate(self.pathways["keys"]):
            for key in sorted(pooled[keys[0]]):
                index.setdefault(key, []).append(
                    (position, "name" if key == keys[0] else "synonym")
                )
        return index

    @cached_property
    def _by_code(self) -> dict[str, list[int]]:
        index: dict[str, list[int]] = {}
        for position, codes in enumerate(self.pathways["codes"]):
            for code in codes:
                index.setdefault(code, []).append(position)
        return index

    def match(self, key: str, codes: tuple[str, ...] = ()) -> list[tuple[int, str]]:
        """The rows a material matches, as (row position, rule), best rule per row.

        ``key`` is a :func:`material_key`; ``codes`` are normalised material codes of the
        flow (empty when it has none). Rules: ``name``, ``synonym``, ``material code``, and,
        the EU List of Waste being a hierarchy, ``material code (sub-chapter)`` and
        ``material code (chapter)`` for a row written for the 4- or 2-digit heading of a
        6-digit entry (a row for ``10 01`` covers ``10 01 02``; the hazard mark is ignored).
        """
        found: dict[int, str] = {}
        for position, rule in self._by_key.get(key, ()):
            found.setdefault(position, rule)
        for code in codes:
            for position in self._by_code.get(code, ()):
                found.setdefault(position, "material code")
        for code in codes:
            if len(code) == 6 and code.isdigit():
                for heading, rule in ((code[:4], CODE_RULES[1]), (code[:2], CODE_RULES[2])):
                    for position in self._by_code.get(heading, ()):
                        found.setdefault(position, rule)
        return sorted(found.items())

    @cached_property
    def receiving_sectors(self) -> tuple[str, ...]:
        """The normalised receiving sectors of the rows, in first-seen order."""
        return tuple(dict.fromkeys(self.pathways["sector"]))


def read_pathways(path: str | Path, *, shown: str | None = None) -> pd.DataFrame:
    """Read and validate one pathway file; raise :class:`InputError` with every problem.

    Returns the cleaned table described in :class:`Catalogue` (without merging).
    """
    table = read_table(path, shown=shown)
    # Plain Python strings, by position (names may repeat): the checks go row by row, and
    # iterating Arrow-backed columns costs a conversion per cell.
    columns = [(n, table.data.column(i).to_pylist()) for i, n in enumerate(table.names)]
    short = (table.short_rows, table.short_fields)
    return _validate(columns, table.rows, table.path, decimal_comma=table.decimal_comma,
                     short=short, written=written_names(table))  # fmt: skip


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
) -> pd.DataFrame:
    """Every rule of a pathway file; ``short``: the rows with fewer fields than the
    header, and their field counts (:attr:`~symbiosis.io.reading.Table.short_rows`);
    ``written``: each column name to its header as the file writes it (for the hints)."""
    problems: list[Problem] = []
    refused: set[int] = set()  # rows refused as a whole: nothing more is said of them

    def add(position: int | None, column: str | None, message: str, hint: str = "") -> None:
        row = None if position is None else int(rows[position])
        if row not in refused:
            problems.append(Problem(file, row, column, message, hint))

    columns = [name for name, _ in pairs]
    for column in sorted({c for c in columns if columns.count(c) > 1}):
        problems.append(Problem(file, 1, column, "column appears more than once", "keep one"))
    for column in REQUIRED:
        if column not in columns:
            unknown = [c for c in columns if c not in COLUMNS]
            guess = _close(column, unknown)
            shown = (written or {}).get(guess, guess) if guess else ""
            hint = f"rename column '{shown}' to '{column}'" if guess else add_column_hint(column)
            problems.append(Problem(file, 1, column, "required column is missing", hint))
    if problems:
        raise InputError(problems)
    if not len(rows):
        raise InputError(Problem(file, None, None, "has a header but no data rows", "add rows"))
    if short is not None and len(short[0]):
        needed = max(columns.index(column) for column in REQUIRED) + 1
        stops = short[1] < needed
        listed = list(zip(short[0][stops].tolist(), short[1][stops].tolist(), strict=True))
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
    if problems:
        raise InputError(in_row_order(problems))
    return _table(cells, derived, file, rows, (ratio, capacity, dimension), missing)


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
    for position, text in enumerate(cells["material_code"]):
        for code in _split(text):
            if not is_material_code(code):
                add(position, "material_code", f"'{code}' is not a material code",
                    "write codes like 10 06 01, separated by ';'")  # fmt: skip
    for column in ("synonyms", "substitutes"):
        for position, text in enumerate(cells[column]):
            if text and not _split(text):
                add(position, column, f"'{text}' lists no name", "separate names with ';'")
    return {"category": categories, "maturity": [text.lower() for text in cells["maturity"]]}


def _table(cells, derived, file: str, rows: np.ndarray, figured, missing) -> pd.DataFrame:
    """The cleaned table, built once. Its column types are those of the cells written
    into a frame of objects one column at a time: the category, file, sector, capacity
    dimension and the ``missing`` optional columns as a list of str written into a
    frame is typed (``pd.Series(list)``: pandas' string type from pandas 3, objects
    before), the other text as objects."""
    ratio, capacity, dimension = figured
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
)


def _close(word: str, candidates: list[str]) -> str | None:
    import difflib

    guesses = difflib.get_close_matches(word, candidates, n=1)
    return guesses[0] if guesses else None


_DEFAULT: Catalogue | None = None


def default_catalogue() -> Catalogue:
    """The catalogue shipped with symbiosis (read once per process)."""
    global _DEFAULT
    if _DEFAULT is None:
        with resources.as_file(_package_file("pathways.csv")) as path:
            pathways = read_pathways(path, shown="pathways.csv")
        sectors = default_sectors().including(pathways["receiving_sector"])
        _DEFAULT = Catalogue(pathways, sectors, ("pathways.csv",))
    return _DEFAULT


def load_catalogue(
    paths: str | Path | list[str | Path] | tuple[str | Path, ...] | None = None,
    *,
    replace: bool = False,
) -> Catalogue:
    """The default catalogue, merged with (or, with ``replace``, replaced by) user files.

    Parameters
    ----------
    paths : path or list of paths, optional
        Pathway CSV files in the format above. Rows whose ``id`` is already present (in
        the default or an earlier file) replace that row; the others are added.
    replace : bool
        Use only the given files (at least one is required).

    Raises
    ------
    InputError
        Listing every problem of every file.
    """
    if paths is None or isinstance(paths, str | Path):
        paths = [] if paths is None else [paths]
    if replace and not paths:
        raise InputError("replacing the catalogue needs a catalogue file (--catalogue FILE)")
    base = default_catalogue()
    tables = [] if replace else [base.pathways]
    problems: list[Problem] = []
    for path in paths:
        try:
            tables.append(read_pathways(path))
        except InputError as exc:
            problems.extend(exc.problems)
    if problems:
        raise InputError(problems)
    if not paths:
        return base
    merged = pd.concat(tables, ignore_index=True)
    merged = merged.drop_duplicates(subset="id", keep="last").reset_index(drop=True)
    sectors = default_sectors().including(merged["receiving_sector"])
    files = (() if replace else base.files) + tuple(str(p) for p in paths)
    return Catalogue(merged, sectors, files)
