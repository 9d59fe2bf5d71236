"""Demands: what receivers say they can take (the "wants" of matchmaking workshops).

A ``demands.csv`` lists, per row, a firm of the network and a material (by name, or by
code) with the most it could take per year *in all*: its total intake of that material,
what it takes now included (not an amount on top of it)::

    firm,material,material_code,quantity,unit,notes
    GYP,gypsum,,300,kt,"wallboard line 2, from 2027"
    CEM,,10 01 02,150,kt,fly ash as clinker substitute

``material`` or ``material_code`` (codes separated by ``;``) is required on every row;
``quantity`` is a positive number in ``unit`` (a mass, energy or volume unit, per year).
The opportunities pass uses a row, less what the firm takes of that material now, as the
receiver's capacity for every stream of that material (matched by name, through the
material taxonomy, or by code): :mod:`symbiosis.analysis.opportunities.demanded`.

The file is read like the network's files, by the same helpers: Chinese headers are read
as the flows' are (``企业,物料,数量,单位``: :data:`~symbiosis.io.header_names.DEMAND_HEADERS`),
a repeated or missing column is refused at row 1, a row stopping before a required
column is refused with its field count (``has 2 fields where the header has 6``) and
nothing else about it; numbers follow the network's rules (:mod:`~symbiosis.io.numbers`:
decimal commas in a ``;`` file, thousands separators refused), and a quantity above
:data:`~symbiosis.io.quantities.LARGEST` (1e30 t, GJ or m3 per year once converted) is
refused; firm ids are NFC-normalised and stripped of zero-width characters, with a
warning, as the network's are (:mod:`~symbiosis.io.ids`); a material code follows the
catalogue's rule (:func:`~symbiosis.catalogue.is_material_code`). Two rows for one firm
and one material (the same name, or a shared code) are refused: the later one names the
earlier (only one could count).

Against the network (:func:`check_demands`), a row that can never apply is refused when
its value is wrong, and only flagged when it is merely unused:

- refused (exit code 2): a firm not in the network (with a "did you mean" as for the
  flows' endpoints); a boundary node (market, disposal, environment) as the firm, which
  never receives a proposal; a material the network carries by that very name in another
  dimension (phosphogypsum in GJ where its flows are in t): the unit is wrong.
- a warning: a material no flow of the network carries (by name, through the taxonomy or
  by code), or carries only in another dimension under other names: the row sets no
  capacity (the network may simply not have that stream); a quantity below what the firm
  takes of that material now: the row leaves it no room (a file written when a row meant
  an amount on top reads so).

Every problem of the file is reported at once, as ``file:row: column: message; hint``
(exit code 2), those against the network with those of the file.

Complexity: O(rows) vectorised rules on the file (one parse per distinct unit and code
cell); against the network, one dictionary lookup per row, plus one taxonomy resolution
per distinct material of the network, only when a row names none of them directly.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pyarrow as pa

from ..catalogue import is_material_code, normalise_code
from ..errors import InputError
from ..units import DIMENSIONS
from ..vocabulary import material_key
from .columns import check_columns, check_short_rows, encode, is_empty
from .header_names import read_as_english
from .ids import normalise_ids
from .numbers import parse_numbers
from .partial import check_present_columns
from .problems import Collector, in_row_order, shorten
from .quantities import convert, unit_factors
from .reading import Table
from .text_files import read_as_warnings, read_csv_file

if TYPE_CHECKING:
    from ..model import FlowNetwork
    from ..taxonomy import Taxonomy

__all__ = ["DEMAND_COLUMNS", "CheckedDemands", "Demand", "check_demands", "read_demands"]

DEMAND_COLUMNS = ("firm", "material", "material_code", "quantity", "unit", "notes")
_QUANTITY_HINT = (
    "give the most the firm could take per year in all (what it takes now included), e.g. 300"
)
_CODE_HINT = "write codes like 10 01 02, separated by ';'"
_CODE_SEPARATORS = re.compile(r"[;,]")


@dataclass(frozen=True)
class Demand:
    """One row: the firm, the material's name and codes, and the most it takes per year
    in the canonical unit of its dimension."""

    firm: str
    material: str
    codes: tuple[str, ...]
    dimension: str
    value: float
    file: str
    row: int


@dataclass(frozen=True)
class CheckedDemands:
    """Demand rows checked against a network (:func:`check_demands`), and the warnings
    about them (rows that set no capacity, ids cleaned), to show once."""

    rows: tuple[Demand, ...]
    warnings: tuple[str, ...] = ()


@dataclass
class _Read:
    """What reading a file gave: one entry per row not refused as a whole (a field whose
    cell is wrong left empty: ``dimension`` ``""``, ``value`` NaN), and its problems."""

    entries: list[Demand] = field(default_factory=list)
    found: Collector = field(default_factory=Collector)


def read_demands(path: str | Path, *, shown: str | None = None) -> tuple[Demand, ...]:
    """Read and validate a demands file; :class:`InputError` with every problem of the
    file (for the rules against a network as well, use :func:`check_demands`)."""
    read = _read(path, shown)
    if read.found.problems:
        raise InputError(in_row_order(read.found.problems))
    return tuple(read.entries)


def check_demands(
    demands: str | Path | Iterable[Demand],
    network: FlowNetwork | None,
    taxonomy: Taxonomy | str | Path | None = None,
) -> CheckedDemands:
    """The demand rows of a file (or given as :class:`Demand` rows), checked against
    ``network`` (module docstring), with their warnings; one :class:`InputError` with
    every problem of the file and against the network. ``network`` ``None`` (it could
    not be read): the file's rules only. ``taxonomy``: the one the opportunities pass
    matches materials with (default: the shipped one). O(rows), plus one taxonomy
    resolution per distinct material of the network when needed."""
    from .demand_checks import check_against

    read = _read(demands) if isinstance(demands, str | Path) else _Read(list(demands))
    if network is not None:
        check_against(read.entries, network, taxonomy, read.found)
    if read.found.problems:
        raise InputError(in_row_order(read.found.problems))
    return CheckedDemands(tuple(read.entries), tuple(dict.fromkeys(read.found.warnings)))


# ----------------------------------------------------------------------------- the file


def _read(path: str | Path, shown: str | None = None) -> _Read:
    """Every rule of the file (module docstring); the problems in ``found``, not raised:
    the rows that reading refused (longer than the header, a stray quote, a quote never
    closed) with the others' problems, and a missing column with the problems of the
    columns present (:func:`~symbiosis.io.partial.check_present_columns`)."""
    table = read_csv_file(path, shown=shown, collect=True)
    read_as_english(table, "demands")  # 企业,物料,数量,单位 as the flows' headers are read
    found = Collector(problems=list(table.read_problems))
    found.skip(table.path, table.refused_rows)  # said by reading: nothing more of them
    found.warnings.extend(read_as_warnings(table))
    if not _check_header(table, found):

        def rules(stand_in: Table, partial: Collector) -> None:
            _rows(stand_in, partial)

        check_present_columns(table, _required(table), rules, found, check_short_rows)
        return _Read([], found)
    return _Read(_rows(table, found), found)


def _rows(table: Table, found: Collector) -> list[Demand]:
    """The rules of the rows of a table whose columns are right (:func:`_check_header`);
    the rows not refused as a whole."""
    normalise_ids(table, found, ("firm",))  # as the network's ids are made
    firm = table.column("firm")
    found.add_rows(table, is_empty(firm), "firm", "firm is empty",
                   "give the id of the firm that could take the material")  # fmt: skip
    material = _text(table, "material")
    codes, code_text = _codes(table, found)
    nameless = is_empty(material) & is_empty(code_text)
    found.add_rows(table, nameless, "material", "material is empty",
                   "name the material or give its material_code")  # fmt: skip
    quantity = _quantities(table, found)
    units = encode(table.column("unit"))
    hint = "use a mass (t, kt), energy (MWh, GJ) or volume (m3) unit"
    dimension, factor = unit_factors(table, units, found, hint=hint, skip_empty=False)
    value = convert(table, quantity, units.codes, factor, dimension, found)
    row_dimension = dimension[units.codes]
    skipped = np.isin(table.rows, found.skipped.get(table.path, np.zeros(0, np.int64)))
    columns = (firm.to_pylist(), material.to_pylist(), codes, row_dimension.tolist(),
               value.tolist(), table.rows.tolist(), skipped.tolist())  # fmt: skip
    entries = [
        Demand(f, m, c, DIMENSIONS[d] if d >= 0 else "", float(v), table.path, int(r))
        for f, m, c, d, v, r, s in zip(*columns, strict=True)
        if not s  # a row refused as a whole: nothing more is said of it
    ]
    _check_repeats(entries, found)
    return entries


def _required(table: Table) -> tuple[str, ...]:
    """The required columns: ``material`` or ``material_code`` (the first given, else
    ``material``) with the others."""
    present = [name for name in ("material", "material_code") if name in table.names]
    return ("firm", "quantity", "unit", *(present[:1] or ["material"]))


def _check_header(table: Table, found: Collector) -> bool:
    """The network's column rules (a repeated column, a missing one with a rename hint,
    no data rows, rows stopping before a required column): ``material`` or
    ``material_code`` is required. True when the rows can be read. In a file headed in
    Chinese, Japanese or Korean, the hint for a missing column names the headers read as
    it (:func:`~symbiosis.io.columns.check_columns`)."""
    present = [name for name in ("material", "material_code") if name in table.names]
    before = len(found.problems)
    ok = check_columns(table, _required(table), DEMAND_COLUMNS, found, "demands")
    material = "add a 'material' column"
    for position in range(before, len(found.problems)):
        problem = found.problems[position]
        if not present and problem.hint.startswith(material):
            hint = "add a 'material' or a 'material_code' column" + problem.hint[len(material) :]
            found.problems[position] = dataclasses.replace(problem, hint=hint)
    return ok


def _text(table: Table, name: str) -> pa.Array:
    """The column ``name``, or empty cells when the file has none."""
    return table.column(name) if name in table else pa.array([""] * len(table), pa.string())


def _codes(table: Table, found: Collector) -> tuple[list[tuple[str, ...]], pa.Array]:
    """The normalised codes of each row (``;`` or ``,`` between them), and the column;
    a cell with a code the catalogue would refuse, or listing none, is reported. One
    parse per distinct cell."""
    column = _text(table, "material_code")
    cells = encode(column)
    parsed: list[tuple[str, ...]] = []
    problems: list[tuple[str, str] | None] = []
    for text in cells.values:
        parts = [part.strip() for part in _CODE_SEPARATORS.split(text) if part.strip()]
        bad = [part for part in parts if not is_material_code(part)]
        parsed.append(tuple(normalise_code(part) for part in parts if part not in bad))
        if bad:
            shown = ", ".join(f"'{shorten(part, 30)}'" for part in bad[:3])
            what = "is not a material code" if len(bad) == 1 else "are not material codes"
            problems.append((f"{shown} {what}", _CODE_HINT))
        elif text and not parts:
            problems.append((f"'{shorten(text, 30)}' lists no code", _CODE_HINT))
        else:
            problems.append(None)
    wrong = np.array([problem is not None for problem in problems], dtype=bool)
    if wrong.any():

        def each(listed: np.ndarray) -> list[tuple[str, str]]:
            return [problems[cells.codes[p]] or ("", "") for p in listed]

        positions = np.flatnonzero(wrong[cells.codes])
        found.add_listed(table, positions, "material_code", _CODE_HINT, each)
    return [parsed[code] for code in cells.codes.tolist()], column


def _quantities(table: Table, found: Collector) -> np.ndarray:
    """The quantities as floats by the network's number rules, NaN where empty, not a
    number or not above 0 (each reported)."""
    quantity = parse_numbers(table, "quantity", found, hint=_QUANTITY_HINT)
    cells = table.column("quantity")
    found.add_rows(table, is_empty(cells), "quantity", "quantity is empty",
                   _QUANTITY_HINT + ", or delete the row")  # fmt: skip
    not_positive = quantity <= 0  # NaN compares False: reported already
    found.add_rows(table, not_positive, "quantity", "'{value}' is not a positive number",
                   _QUANTITY_HINT, cells)  # fmt: skip
    return np.where(not_positive, np.nan, quantity)


def _check_repeats(entries: list[Demand], found: Collector) -> None:
    """A row for a firm and a material (the same name, or a shared code) that an earlier
    row already gives is refused, naming that row: only one of them could count."""
    first: dict[tuple[str, str, str], int] = {}
    for entry in entries:
        if not entry.firm:
            continue
        keys = [("name", material_key(entry.material))] if entry.material else []
        keys += [("code", code) for code in entry.codes]
        earlier = None
        for kind, key in keys:
            if earlier is None and (entry.firm, kind, key) in first:
                earlier = (kind, key, first[(entry.firm, kind, key)])
            first.setdefault((entry.firm, kind, key), entry.row)
        if earlier is not None:
            kind, key, row = earlier
            what = f"material '{shorten(entry.material)}'" if kind == "name" else (
                f"material code {key}"
            )  # fmt: skip
            found.add(entry.file, entry.row, None,
                      f"repeats firm '{shorten(entry.firm)}' and {what} of row {row}",
                      "keep one row: the most the firm could take of it in all")  # fmt: skip
