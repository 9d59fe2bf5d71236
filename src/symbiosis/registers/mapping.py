"""Which column of a register file holds which field: ``--map`` options and mapping files.

A shipment register names its columns its own way (the E-PRTR's ``totalWasteQuantityTNE`` is
our ``quantity``). :class:`Mapping` says, for each field of :data:`FIELDS`, the column that
holds it, or a constant that fills it (``unit = "t"`` when every quantity is in tonnes, or
where a cell is empty: ``receiver = "unnamed receiver"``). A mapping file is TOML::

    [columns]            # field = "column in the register"
    sender = "Facility_INSPIRE_ID"
    quantity = "totalWasteQuantityTNE"

    [defaults]           # field = "value" where the column is absent or its cell empty
    unit = "t"

A default receiver may contain ``{operation}``, replaced by the row's operation code
(``unnamed {operation} receiver``: the E-PRTR names few receivers, and one node per
operation keeps recovery and disposal apart). ``--map field=column`` options override the
file. Unmapped fields are read from the
column of their own name. Complexity: O(fields).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import InputError, Problem

__all__ = ["FIELDS", "OPTIONAL", "REQUIRED", "Mapping", "read_mapping"]

REQUIRED: tuple[str, ...] = (
    "date",
    "sender",
    "receiver",
    "waste_code",
    "operation",
    "quantity",
    "unit",
)
#: Optional fields: names and the sender's sector for firms.csv; the receiver's role where
#: the register states it (it overrides the role the operation gives); a material name for
#: rows without a waste code (the E-PRTR reports only hazardous or not).
OPTIONAL: tuple[str, ...] = (
    "sender_name",
    "sender_sector",
    "receiver_name",
    "receiver_role",
    "material",
)
FIELDS: tuple[str, ...] = REQUIRED + OPTIONAL


@dataclass(frozen=True)
class Mapping:
    """Field -> register column, and field -> constant (see the module docstring)."""

    columns: dict[str, str] = field(default_factory=dict)
    defaults: dict[str, str] = field(default_factory=dict)

    def column(self, name: str) -> str:
        """The register column that holds field ``name``. O(1)."""
        return self.columns.get(name, name)

    def resolve(self, present: list[str], file: str) -> dict[str, str | None]:
        """Field -> column of this file (``None``: filled by its default, or absent and
        optional). Raises InputError naming every required field with neither a column
        nor a default. O(fields + columns)."""
        found: dict[str, str | None] = {}
        missing = []
        for name in FIELDS:
            column = self.column(name)
            if column in present:
                found[name] = column
            elif name in self.defaults or name in OPTIONAL:
                found[name] = None
            else:
                missing.append((name, column))
        if missing:
            raise InputError(
                [
                    Problem(
                        file,
                        None,
                        column,
                        f"no column {column!r} for the field {name}",
                        f"map it with --map {name}=COLUMN (columns: {', '.join(present)})",
                    )
                    for name, column in missing
                ]
            )
        return found


def read_mapping(path: Path | None, options: list[str] | None) -> Mapping:
    """The mapping of a ``--mapping`` file (TOML) with the ``--map field=column`` options
    laid over it. Raises InputError on an unknown field, a malformed option or file.
    O(size of the file + options)."""
    columns: dict[str, str] = {}
    defaults: dict[str, str] = {}
    problems: list[Problem] = []
    if path is not None:
        columns, defaults = _read_file(path, problems)
    for option in options or []:
        name, sep, column = option.partition("=")
        if not sep or not column.strip():
            problems.append(Problem("--map", None, None, f"{option!r} is not field=column"))
            continue
        columns[name.strip()] = column.strip()
    for where, table in (("columns", columns), ("defaults", defaults)):
        for name in table:
            if name not in FIELDS:
                problems.append(
                    Problem(
                        str(path) if path else "--map",
                        None,
                        where,
                        f"unknown field {name!r}",
                        f"use one of {', '.join(FIELDS)}",
                    )
                )
    if problems:
        raise InputError(problems)
    return Mapping(columns, defaults)


def _read_file(path: Path, problems: list[Problem]) -> tuple[dict[str, str], dict[str, str]]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        problems.append(Problem(str(path), None, None, f"cannot read the mapping ({exc})"))
        return {}, {}
    tables = []
    for key in ("columns", "defaults"):
        table = data.get(key, {})
        if not isinstance(table, dict) or not all(isinstance(v, str) for v in table.values()):
            problems.append(Problem(str(path), None, key, "must be a table of text values"))
            table = {}
        tables.append(dict(table))
    extra = sorted(set(data) - {"columns", "defaults"})
    if extra:
        problems.append(
            Problem(str(path), None, None, f"unknown table(s) {', '.join(extra)}", "use "
            "[columns] and [defaults]")
        )  # fmt: skip
    return tables[0], tables[1]
