"""Demands: what receivers say they can take (the "wants" of matchmaking workshops).

A ``demands.csv`` lists, per row, a firm of the network and a material (by name, or by
code) with the most it could take per year::

    firm,material,material_code,quantity,unit,notes
    GYP,gypsum,,300,kt,"wallboard line 2, from 2027"
    CEM,,10 01 02,150,kt,fly ash as clinker substitute

``material`` or ``material_code`` (codes separated by ``;``) is required on every row;
``quantity`` is a positive number in ``unit`` (a mass, energy or volume unit, per year).
The opportunities pass uses a row as the receiver's capacity for every stream of that
material (matched by name, through the material taxonomy, or by code). Every problem of
the file is reported at once, as ``file:row: column: message; hint`` (exit code 2).

Complexity: O(rows).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from pathlib import Path

from ..catalogue import normalise_code
from ..errors import InputError, Problem
from ..units import UnknownUnitError, parse_unit
from .reading import read_table

__all__ = ["DEMAND_COLUMNS", "Demand", "read_demands"]

DEMAND_COLUMNS = ("firm", "material", "material_code", "quantity", "unit", "notes")


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


def read_demands(path: str | Path) -> tuple[Demand, ...]:
    """Read and validate a demands file; :class:`InputError` with every problem."""
    table = read_table(path)
    file, frame = table.path, table.frame
    problems = [
        Problem(file, 1, column, "required column is missing", f"add a '{column}' column")
        for column in ("firm", "quantity", "unit")
        if column not in frame.columns
    ]
    if "material" not in frame.columns and "material_code" not in frame.columns:
        problems.append(Problem(file, 1, "material", "required column is missing",
                                "add a 'material' or a 'material_code' column"))  # fmt: skip
    if problems:
        raise InputError(problems)
    demands = []
    for position, record in enumerate(frame.to_dict("records")):
        row = int(table.rows[position])
        found = _demand(record, file, row, problems)
        if found is not None:
            demands.append(found)
    if problems:
        raise InputError(problems)
    if not demands:
        raise InputError(Problem(file, None, None, "has a header but no data rows", "add rows"))
    return tuple(demands)


def _demand(record: dict, file: str, row: int, problems: list[Problem]) -> Demand | None:
    def add(column: str, message: str, hint: str) -> None:
        problems.append(Problem(file, row, column, message, hint))

    firm = str(record.get("firm") or "").strip()
    material = str(record.get("material") or "").strip()
    text = str(record.get("material_code") or "")
    codes = tuple(c for c in (normalise_code(x) for x in re.split(r"[;,]", text)) if c)
    before = len(problems)
    if not firm:
        add("firm", "firm is empty", "give the id of the firm that could take the material")
    if not material and not codes:
        add("material", "material is empty", "name the material or give its material_code")
    quantity = _quantity(str(record.get("quantity") or "").strip())
    if quantity is None:
        add("quantity", f"'{record.get('quantity') or ''}' is not a positive number",
            "give the most the firm could take per year, e.g. 300")  # fmt: skip
    unit = str(record.get("unit") or "").strip()
    try:
        info = parse_unit(unit)
    except UnknownUnitError as exc:
        add("unit", exc.message, exc.hint)
        info = None
    if len(problems) > before or info is None or quantity is None:
        return None
    value = quantity * info.factor
    if not math.isfinite(value):
        add("quantity", f"{quantity:g} {unit} is too large", "check the quantity and its unit")
        return None
    return Demand(firm, material, codes, info.dimension, value, file, row)


def _quantity(text: str) -> float | None:
    try:
        value = float(text.replace(" ", ""))
    except ValueError:
        return None
    return value if math.isfinite(value) and value > 0 else None
