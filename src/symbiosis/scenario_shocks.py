"""Supply shocks of a scenario file: its ``[[shock]]`` tables read and checked.

A ``[[shock]]`` table names a ``firm`` (an id), a ``change`` of its output in [-1, 0] (-0.5
halves it, -1 closes the firm) and, optionally, the ``dimension`` it is in (every dimension
otherwise). :func:`read_shocks` keeps the well-formed tables and notes every problem of every
table, each located by the table's number and key (:mod:`.scenario_files` turns these into
lines); a number in quotes (``change = "-0.5"``) gets the hint every numeric field of a
scenario gets (:func:`._edit_values.number_said`). The shocks are checked against a network,
and propagated, when the scenario is applied (:mod:`symbiosis.scenarios`).

Complexity: O(tables).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from ._edit_values import number_said, shown
from .arguments import firm_id
from .errors import Problem
from .units import DIMENSIONS

__all__ = ["SHOCK_TABLE", "SupplyShock", "read_shocks"]

SHOCK_TABLE = "shock"


@dataclass(frozen=True)
class SupplyShock:
    """A ``[[shock]]`` table: cut the output of ``firm`` by ``change`` (in [-1, 0]) and
    propagate it downstream, in ``dimension`` or in every dimension."""

    firm: str
    change: float
    dimension: str | None = None
    where: str = field(default="", compare=False, repr=False, kw_only=True)

    def to_dict(self) -> dict[str, Any]:
        data = {"firm": self.firm, "change": self.change}
        if self.dimension is not None:
            data["dimension"] = self.dimension
        return data


_SHOCK_KEYS = ("firm", "change", "dimension")


def read_shocks(
    value, file: str, place_of, problems: list[Problem], refused: list[SupplyShock]
) -> list[SupplyShock]:
    """The well-formed ``[[shock]]`` tables (unknown keys left out); every problem of
    every table is added to ``problems``, each located by its table's number and key;
    the others whose firm is text go to ``refused`` (their firm checked all the same)."""
    if value is None:
        return []
    if not isinstance(value, list):
        problems.append(
            Problem(
                file,
                place_of(SHOCK_TABLE, 1, None),
                SHOCK_TABLE,
                "must be [[shock]] tables",
                "write [[shock]] then firm = ... on new lines",
            )
        )
        return []
    shocks = []
    for number, entry in enumerate(value, start=1):
        if isinstance(entry, dict) and "firm" in entry:  # firm = 101: the id '101', as edits
            entry = {**entry, "firm": firm_id(entry["firm"])}
        found = _shock_problems(entry, number, file, place_of)
        problems.extend(found)
        # unknown keys aside, a well-formed shock is kept, to be checked against the network
        where = f"{file}: [[{SHOCK_TABLE}]] #{number}"
        if all(p.column not in (*_SHOCK_KEYS, SHOCK_TABLE) for p in found):
            shock = SupplyShock(entry["firm"].strip(), float(entry["change"]),
                                entry.get("dimension"), where=where)  # fmt: skip
            shocks.append(shock)
        elif (
            isinstance(entry, dict)
            and isinstance(entry.get("firm"), str)
            and all(p.column != "firm" for p in found)
        ):
            refused.append(SupplyShock(entry["firm"].strip(), -1.0, where=where))
    return shocks


def _shock_problems(entry, number: int, file: str, place_of) -> list[Problem]:
    """Every problem of the ``number``-th ``[[shock]]`` table."""
    table = f"[[{SHOCK_TABLE}]] #{number}"

    def problem(key: str | None, message: str, hint: str, column: str | None = None) -> Problem:
        line = place_of(SHOCK_TABLE, number, key)
        return Problem(file, line, column or key, f"{table}: {message}", hint)

    if not isinstance(entry, dict):
        return [problem(None, f"{shown(entry)} is not a table",
                        "write [[shock]] then firm = ... on new lines", SHOCK_TABLE)]  # fmt: skip
    found = [
        problem(str(key), "unknown key", "use firm, change, dimension")
        for key in entry
        if key not in _SHOCK_KEYS
    ]
    found += [
        problem(None, "required key is missing", f"add {key} = ... to the table", key)
        for key in ("firm", "change")
        if key not in entry
    ]
    firm, change, dimension = entry.get("firm"), entry.get("change"), entry.get("dimension")
    if "firm" in entry and not (isinstance(firm, str) and firm.strip()):
        found.append(problem("firm", f"{shown(firm)} is not a firm id",
                             'write firm = "ID" with an id from firms.csv'))  # fmt: skip
    if "change" in entry and not _is_change(change):
        said = number_said(
            "change",
            change,
            f"{shown(change)} is not a change between -1 and 0",
            "write change = -0.5 for half the output, -1 for closed",
        )
        found.append(problem("change", *said))
    if "dimension" in entry and not (isinstance(dimension, str) and dimension in DIMENSIONS):
        found.append(problem("dimension", f"unknown dimension {shown(dimension)}",
                             f"use one of {', '.join(DIMENSIONS)}, or leave it out"))  # fmt: skip
    return found


def _is_change(value) -> bool:
    return (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and math.isfinite(value)
        and -1.0 <= value <= 0.0
    )
