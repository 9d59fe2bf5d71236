"""Read shipment registers: check every row inside the engine, sum the good ones per year.

:func:`read_registers` runs, per file, two queries of :mod:`.aggregate`: the distinct unit
spellings (each parsed once by :mod:`symbiosis.units`), then the yearly sums with the bad
rows counted in one group. A register with bad rows is read again, once per failing check,
for the first rows to name, and every problem of every file is raised at once as
:class:`~symbiosis.errors.InputError` (``file:row: column: what is wrong; what to do``,
at most :data:`~symbiosis.io.problems.MAX_ROWS_PER_RULE` rows per check, the rest counted).

Complexity: O(n) for n shipment rows (two or three scans on a valid register), memory
O(g) for g groups of the result, independent of n.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyarrow as pa

from ..errors import InputError, Problem
from ..io.encoding import sniff_separator
from ..io.problems import MAX_ROWS_PER_RULE, rows_like_above, shorten
from ..io.quantities import LARGEST, short_number
from ..units import UnknownUnitError, parse_unit
from .aggregate import (
    CHECKS,
    KEYS,
    failing_rows,
    field_text,
    grouped,
    problem_counts,
    shipments,
    standard,
    yearly_flows,
)
from .codes import low_list
from .engines import Engine, unreadable
from .mapping import Mapping

if TYPE_CHECKING:
    import ibis.expr.types as ir

__all__ = ["RegisterFlows", "read_registers"]

_HINTS = {
    "date": "write the date as YYYY-MM-DD, or the year alone",
    "sender": "every shipment needs its sender; fill the cell or give a default in the mapping",
    "receiver": "every shipment needs its receiver; fill the cell or give a default in the mapping",
    "waste_code": "write the six digits of the List of Waste, e.g. 17 04 05 or 170405 (* for "
    "hazardous: 17 04 09*)",
    "operation": "use a recovery or disposal code, R1-R13 or D1-D15 (Directive 2008/98/EC, "
    "Annexes II and I)",
    "quantity": "write a number >= 0 with a dot for decimals, e.g. 12.5",
}


@dataclass(frozen=True)
class RegisterFlows:
    """Shipments summed per year, sender, receiver, waste code and operation.

    ``table`` (Arrow) has the columns ``year``, ``sender``, ``receiver``, ``code`` (six
    digits, '' with a ``material``), ``op``, ``material``, ``tonnes``, ``shipments``,
    ``hazardous`` and the firms' ``sender_name``, ``sender_sector``, ``receiver_name``,
    ``receiver_role`` (null where the register gives none).
    """

    table: pa.Table
    shipments: int
    warnings: tuple[str, ...] = ()


def read_registers(files: Sequence[Path], mapping: Mapping, engine: Engine) -> RegisterFlows:
    """Read, check and sum the register ``files`` on ``engine`` (see the module docstring).

    Raises InputError with every problem of every file when any row is bad.
    """
    problems: list[Problem] = []
    parts: list[pa.Table] = []
    for path in files:
        try:
            file_problems, part = _read_one(Path(path), mapping, engine)
        except InputError as exc:  # a file that cannot be read, or lacks a column
            file_problems, part = exc.problems, None
        problems += file_problems
        if part is not None:
            parts.append(part)
    if problems:
        raise InputError(problems)
    if not parts:
        raise InputError("no register file given")
    table = _combined(parts)
    warnings = _unlisted_codes(table)
    return RegisterFlows(table, int(pa.compute.sum(table["shipments"]).as_py() or 0), warnings)


def _read_one(
    path: Path, mapping: Mapping, engine: Engine
) -> tuple[list[Problem], pa.Table | None]:
    table = engine.read(path)
    fields = mapping.resolve(list(table.columns), str(path))
    try:
        return _checked(path, table, fields, mapping, engine)
    except engine.input_errors as exc:  # the file is parsed as the queries read it
        raise InputError(unreadable(path, exc)) from None


def _checked(
    path: Path, table: ir.Table, fields: dict[str, str | None], mapping: Mapping, engine: Engine
) -> tuple[list[Problem], pa.Table | None]:
    """The problems of the rows of ``table``, or its summed groups (:func:`_read_one`)."""
    units = _units(table, fields, mapping, engine)
    factors = {text: factor for text, (factor, _) in units.items() if factor is not None}
    rows = shipments(table, fields, mapping.defaults, factors, _decimal_comma(path))
    clean = standard(engine.materialize(grouped(rows)), mapping.defaults, engine.materialize)
    groups = engine.run(yearly_flows(clean))
    if groups.num_rows == 0:
        hint = "give a file with a header row and one row per shipment"
        return [Problem(str(path), None, None, "no shipment rows", hint)], None
    bad = groups["bad"].to_numpy(zero_copy_only=False).astype(bool)
    if not bad.any():
        return [], groups.drop_columns(["bad"])
    reasons = {text: reason for text, (_, reason) in units.items()}
    return _problems(engine, clean, rows, path, fields, mapping, reasons), None


def _decimal_comma(path: Path) -> bool:
    """Whether the CSV file ``path`` is separated by ``;`` or tabs (its header line tells):
    its quantities may then have decimal commas. O(1): the first 64 kB only."""
    if path.suffix.lower() in (".parquet", ".pq"):
        return False
    with open(path, "rb") as file:
        head = file.read(1 << 16).decode("utf-8", errors="replace")
    return sniff_separator(head.replace("\r", "\n")) != ","


def _units(
    table: ir.Table, fields: dict[str, str | None], mapping: Mapping, engine: Engine
) -> dict:
    """Each unit spelling of the file -> (factor to tonnes or None, why it is refused)."""
    spelled = field_text(table, fields.get("unit"), mapping.defaults.get("unit"))
    distinct = table.select(unit=spelled.strip()).distinct()
    found = engine.run(distinct)["unit"].to_pylist()
    return {text: _unit_factor(text or "") for text in found}


def _unit_factor(text: str) -> tuple[float | None, str]:
    if not text:
        return None, "no unit; write t or kg"
    if "/" in text or " per " in f" {text.lower()} ":
        return None, f"{text!r} is a rate; a shipment is an amount: write t or kg"
    try:
        info = parse_unit(text)
    except UnknownUnitError as exc:
        return None, f"{exc.message}; {exc.hint}"
    if info.dimension != "mass":
        return None, (
            f"{text!r} is a unit of {info.dimension}; a register's quantities are masses: "
            "write t or kg"
        )
    return info.factor, ""


def _problems(
    engine: Engine,
    clean: ir.Table,
    rows: ir.Table,
    path: Path,
    fields: dict[str, str | None],
    mapping: Mapping,
    unit_reasons: dict[str, str],
) -> list[Problem]:
    counts = engine.run(problem_counts(clean)).to_pylist()[0]
    problems = []
    for field, flag in CHECKS.items():
        count = int(counts[flag] or 0)
        if not count:
            continue
        column = fields.get(field) or f"{mapping.column(field)} (default)"
        listed = failing_rows(rows, mapping.defaults, flag, MAX_ROWS_PER_RULE)
        for row in engine.run(listed).to_pylist():
            value = row[field]
            message, hint = _message(field, value, unit_reasons)
            problems.append(Problem(str(path), row["row"], column, message, hint))
        if count > MAX_ROWS_PER_RULE:
            rest = count - MAX_ROWS_PER_RULE
            problems.append(rows_like_above(str(path), column, rest, _HINTS.get(field, "")))
    return problems


def _message(field: str, value: Any, unit_reasons: dict[str, str]) -> tuple[str, str]:
    shown = shorten(value) if value not in (None, "") else ""
    if field == "unit":
        reason = unit_reasons.get((value or "").strip(), "no unit; write t or kg")
        message, _, hint = reason.partition("; ")
        return message, hint
    if not shown:
        return "empty", _HINTS[field]
    if field == "quantity":
        try:
            number = float(value)
        except (TypeError, ValueError):
            return f"{shown!r} is not a number", _HINTS[field]
        if math.isnan(number):
            return f"{shown} is not a number", _HINTS[field]
        if math.isinf(number):
            return f"{shown} is not a finite number", _HINTS[field]
        if number < 0:
            return f"{shown} is negative", _HINTS[field]
        return (
            f"{shown} is more than {short_number(LARGEST)} t once converted",
            "check the unit and the decimal separator",
        )
    what = {
        "date": "is not a date",
        "waste_code": "is not a List of Waste code",
        "operation": "is not a recovery or disposal operation",
    }[field]
    return f"{shown!r} {what}", _HINTS[field]


def _combined(parts: list[pa.Table]) -> pa.Table:
    """The files' groups summed again over the files (one register may be split by year
    or by region over several files). O(g log g)."""
    table = pa.concat_tables(parts, promote_options="permissive")
    if len(parts) == 1:
        return table.sort_by([(k, "ascending") for k in KEYS])
    summed = table.group_by(list(KEYS)).aggregate(
        [
            ("tonnes", "sum"),
            ("shipments", "sum"),
            ("hazardous", "max"),
            *((name, "max") for name in ("sender_name", "sender_sector", "receiver_name")),
            ("receiver_role", "max"),
        ]
    )
    summed = summed.rename_columns([n.rsplit("_", 1)[0] if n.endswith(("_sum", "_max")) else n
                                    for n in summed.column_names])  # fmt: skip
    return summed.sort_by([(k, "ascending") for k in KEYS])


def _unlisted_codes(table: pa.Table) -> tuple[str, ...]:
    listed = low_list()
    codes = {c for c in table["code"].to_pylist() if c and c not in listed}
    if not codes:
        return ()
    shown = ", ".join(sorted(codes)[:10]) + (" ..." if len(codes) > 10 else "")
    return (
        f"{len(codes)} waste code(s) are not in the List of Waste of Decision 2014/955/EU "
        f"({shown}); their flows are named 'waste NN NN NN'",
    )
