"""The rules for ``firms.csv``, and the nodes inferred from the flows when it is absent.

Rules: an ``id`` column; ids present, unique and at most :data:`MAX_ID_LENGTH` characters;
``role`` one of :data:`~symbiosis.vocabulary.ROLES` or an alias (empty means ``firm``);
``lat``/``lon`` empty or numbers in range; ``hazardous`` yes, no or empty (:mod:`.hazardous`:
a role ``hazardous waste landfill`` marks the node). Very long names are a warning. O(rows):
one hash per id, one call per distinct role.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ..model import DERIVED_FIRM_COLUMNS
from ..vocabulary import HAZARDOUS, ROLES, canonical_role, hazardous_role, role_words
from .columns import (
    add_unknown_words,
    check_columns,
    check_short_rows,
    encode,
    is_empty,
    positions_in,
    series,
    text_series,
    warn_usual_names,
    with_extra_columns,
    written_names,
)
from .degrees import decimal_degrees
from .hazardous import firm_hazards, said_hazardous
from .numbers import parse_numbers
from .parsing import SPREADSHEET_HINT, spreadsheet_error_mask
from .partial import check_present_columns
from .problems import Collector, shorten
from .reading import Table
from .substitutable import flags

__all__ = ["FIRM_COLUMNS", "Firms", "check_firms", "firms_from_flows", "unknown_id_hint"]

FIRM_COLUMNS = ("id", "name", "sector", "role", "lat", "lon", HAZARDOUS)
FIRM_REQUIRED = ("id",)
MAX_ID_LENGTH = 200
MAX_NAME_LENGTH = 500
#: At most this many distinct cells in a column of roles (the roles and their aliases,
#: in English and Chinese, are about a hundred words).
_MOST_ROLES = 200
_DEGREES = "give decimal degrees (30.93) or degrees and minutes (30°55.8′N, minutes below 60)"


@dataclass
class Firms:
    """Validated firms: the model table (one row per node, ``id`` a column) and the ids as
    an Arrow array, in the same order, for the flows' lookups."""

    frame: pd.DataFrame
    ids: pa.Array


def first_occurrences(codes: np.ndarray) -> np.ndarray:
    """For codes numbered in order of first appearance (as dictionary encoding numbers
    them), the mask of the rows where a code appears for the first time. O(rows)."""
    if not len(codes):
        return np.zeros(0, dtype=bool)
    seen = np.maximum.accumulate(codes)
    new = np.empty(len(codes), dtype=bool)
    new[0] = True
    new[1:] = seen[1:] > seen[:-1]
    return new


def check_firms(table: Table, found: Collector, first: np.ndarray | None = None) -> Firms | None:
    """Check every firm rule; ``None`` when the columns do not allow it. ``first``, when
    given, is :func:`~symbiosis.io.columns.positions_in` of the ids. O(rows)."""
    if not check_columns(table, FIRM_REQUIRED, FIRM_COLUMNS, found, "firms"):
        check_present_columns(table, FIRM_REQUIRED, check_firms, found, check_short_rows)
        return None
    warn_usual_names(table, found, said=_roles_not_read(table, found))
    id_column = table.column("id")
    empty = is_empty(id_column)
    found.add_rows(table, empty, "id", "id is empty", "give every firm a unique id")
    found.add_rows(
        table,
        spreadsheet_error_mask(id_column),
        "id",
        "'{value}' is a spreadsheet error, not a firm id",
        SPREADSHEET_HINT,
        id_column,
    )
    found.add_rows(
        table,
        pc.greater(pc.utf8_length(id_column), MAX_ID_LENGTH),
        "id",
        f"id is longer than {MAX_ID_LENGTH} characters",
        "use a short code as id and put the full name in 'name'",
    )
    first = positions_in(id_column)[0] if first is None else first
    duplicate = (first != np.arange(len(first))) & ~empty
    unique = "ids must be unique: rename or merge the rows"

    def each(listed: np.ndarray) -> list[tuple[str, str]]:
        cells = id_column.take(pa.array(listed, pa.int64())).to_pylist()
        return [
            (f"id '{shorten(value)}' is used again (first on row {table.rows[first[p]]})", unique)
            for p, value in zip(listed, cells, strict=True)
        ]

    found.add_listed(table, np.flatnonzero(duplicate), "id", unique, each)
    roles = encode(table.column("role")) if "role" in table else None
    if roles is not None:
        canonical = roles.lookup(canonical_role)
        add_unknown_words(table, "role", roles, pd.isna(canonical), found, role_words(), ROLES)
        role = text_series(list(canonical), roles.codes)
    else:
        role = text_series([canonical_role("")], np.zeros(len(table), dtype=np.int32))
    ids = series(id_column)
    result = pd.DataFrame({"id": ids})
    names = series(table.column("name")) if "name" in table else ids
    result["name"] = names.where(names != "", ids)
    long_names = result["name"].str.len() > MAX_NAME_LENGTH
    if long_names.any():
        found.warnings.append(
            f"{table.path}: {int(long_names.sum())} name(s) longer than {MAX_NAME_LENGTH} "
            "characters; they are shortened in tables and diagrams"
        )
    result["sector"] = series(table.column("sector")) if "sector" in table else ""
    result["role"] = role.fillna("firm")
    coordinates = {
        column: parse_numbers(table, column, found, what="a coordinate", hint=_DEGREES,
                              cells=decimal_degrees(table.column(column), column))
        for column in ("lat", "lon")
        if column in table
    }  # fmt: skip
    swapped = _swapped(coordinates, len(table))
    found.add_rows(
        table,
        swapped,
        "lat",
        "{value} is outside [-90, 90]; lat and lon look swapped",
        "lat is the north-south coordinate (-90 to 90), lon the east-west one: swap the two "
        "values (or the two column names, if every row is so)",
        table.column("lat") if "lat" in table else None,
    )
    _half_positions(table, coordinates, found)
    for column, low, high in (("lat", -90, 90), ("lon", -180, 180)):
        if column in coordinates:
            values = coordinates[column]
            outside = (values < low) | (values > high)
            found.add_rows(
                table,
                outside & ~swapped,
                column,
                f"{{value}} is outside [{low}, {high}]",
                "give decimal degrees (WGS 84)",
                table.column(column),
            )
            result[column] = values
        else:
            result[column] = np.nan
    result = result.assign(**firm_hazards(table, found, roles))  # 危废填埋场: disposal, marked
    result = with_extra_columns(result, table, FIRM_COLUMNS, DERIVED_FIRM_COLUMNS, found)
    result["row"] = table.rows
    return Firms(result, id_column)


def _roles_not_read(table: Table, found: Collector) -> set[str]:
    """Without a ``role`` column, refuse each other column whose every non-empty cell is a
    role or an alias, some not ``firm`` (``Type`` or ``kind`` holding ``landfill``,
    ``market``): every node would be read as a firm, a landfill too, so nothing would
    leave the network. The columns refused, which need no other word. O(rows) per column
    not read, only without a ``role`` column."""
    if "role" in table:
        return set()
    written = written_names(table)
    refused: set[str] = set()
    for name in dict.fromkeys(table.names):
        if name in FIRM_COLUMNS or table.names.count(name) > 1:
            continue
        cells = [cell for cell in pc.unique(table.column(name)).to_pylist() if cell]
        roles = [canonical_role(cell) for cell in cells[: _MOST_ROLES + 1]]
        if len(cells) > _MOST_ROLES or None in roles or set(roles) <= {"firm"}:
            continue
        refused.add(name)
        shown = ", ".join(f"'{shorten(cell, 20)}'" for cell in cells[:4])
        found.add(
            table.path,
            1,
            written[name],
            f"column '{written[name]}' holds roles ({shown}{' ...' if len(cells) > 4 else ''})"
            " but the table has no 'role' column",
            "rename it 'role': without a 'role' column every node is read as a firm (a "
            "landfill or a market too)",
        )
    return refused


def unknown_id_hint(value: str, firms_file: str | None) -> str:
    """The hint for a flow's endpoint ``value`` that is no firm of ``firms_file`` (and
    like none): add a firm of that id, unless the firms file would refuse that id (longer
    than :data:`MAX_ID_LENGTH`, a description or a note in the cell): then the cell is
    to fix. O(1)."""
    if len(value) > MAX_ID_LENGTH:
        return (
            f"an id has at most {MAX_ID_LENGTH} characters ({len(value)} here): "
            f"write the id of a firm of {firms_file}"
        )
    return f"add a row with id '{shorten(value)}' to {firms_file}"


def _half_positions(table, coordinates: dict[str, np.ndarray], found) -> None:
    """A warning for the firms given one coordinate of the two (found by a tester: they
    silently had no position, and no distance to any receiver)."""
    if not coordinates:
        return
    known = {c: ~np.isnan(v) for c, v in coordinates.items()}
    lat = known.get("lat", np.zeros(len(table), dtype=bool))
    lon = known.get("lon", np.zeros(len(table), dtype=bool))
    half = np.flatnonzero(lat != lon)
    if len(half):
        found.warnings.append(
            f"{table.path}: {len(half)} firm(s) have one coordinate of lat and lon (first on "
            f"row {table.rows[half[0]]}); they get no position: give both, or neither"
        )


def _swapped(coordinates: dict[str, np.ndarray], rows: int) -> np.ndarray:
    """Rows whose latitude is out of range where it would be a longitude, and whose
    longitude would be a latitude: the two swapped (none without both columns)."""
    if len(coordinates) < 2:
        return np.zeros(rows, dtype=bool)
    lat, lon = np.abs(coordinates["lat"]), np.abs(coordinates["lon"])
    with np.errstate(invalid="ignore"):
        return (lat > 90) & (lat <= 180) & (lon <= 90)


def firms_from_flows(ids: pa.Array) -> pd.DataFrame:
    """Nodes inferred from flow endpoints when there is no firms file: ``ids`` are the
    distinct non-empty endpoints in order of first appearance (sources, then targets); an id
    that is a role name or alias is a boundary node of that role, every other a firm."""
    names = series(ids)
    encoded = encode(ids)
    roles = text_series(list(encoded.lookup(canonical_role)), encoded.codes).fillna("firm")
    frame = pd.DataFrame(
        {"id": names, "name": names, "sector": "", "role": roles, "lat": np.nan, "lon": np.nan}
    )
    said = said_hazardous(encoded, hazardous_role)  # an id 危废填埋场: a marked landfill
    if said.any():
        frame[HAZARDOUS] = flags(np.where(said, 1, -1).astype(np.int8)).array
    return frame.assign(row=0)
