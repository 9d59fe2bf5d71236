"""Scenario files: reading and checking the TOML that lists a scenario's edits and shocks.

A scenario file lists edits (:mod:`symbiosis.edits`: ``add_firm``, ``remove_firm``,
``add_flow``, ``remove_flow``, ``scale_flow``, ``redirect``, ``scale_material``) and,
optionally, supply shocks (``[[shock]]`` tables: ``firm``, ``change`` in [-1, 0],
optional ``dimension``); :mod:`symbiosis.scenarios` applies them and compares the
indicators. This module only reads a file and checks its structure (:func:`read_scenario`,
:func:`parse_scenario`); the checks against a network happen when it is applied.

Validation. The file is read with :mod:`tomllib`. All problems are reported at once, each
as ``file:line: key: what is wrong; what to do``. :mod:`tomllib` gives no line numbers for
values, so each ``[[table]]`` is located by scanning the text for the ``[[name]]`` headers
in order (the n-th ``[[redirect]]`` header is the n-th redirect), and each key by its
``key =`` line inside that table; inline arrays of tables (``redirect = [{...}]``) are
located at their key's line. A header-like line inside a multi-line string could mislead
the scan; the line is then only approximate, the message is still right.

Complexity: O(file size).
"""

from __future__ import annotations

import math
import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from . import edits as ed
from .errors import InputError, Problem
from .units import DIMENSIONS

__all__ = ["SHOCK_TABLE", "Scenario", "SupplyShock", "parse_scenario", "read_scenario"]

SHOCK_TABLE = "shock"
TEXT_KEYS = ("title", "description")
_MAX_BYTES = 10_000_000


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


@dataclass(frozen=True)
class _Place:
    """Where a table sits in its file: its header line and the line of each key."""

    line: int
    keys: dict[str, int]


@dataclass(frozen=True)
class Scenario:
    """A parsed scenario file: its edits (in application order) and shocks.

    ``name`` labels its column in comparisons (the file name without ``.toml``); ``file``
    is the path as given; ``places`` locates each table (key ``"table #n"``) for errors.
    """

    name: str
    file: str
    title: str | None
    description: str | None
    edits: tuple[ed.Edit, ...]
    shocks: tuple[SupplyShock, ...]
    places: dict[str, _Place] = field(default_factory=dict, repr=False, compare=False)

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "file": self.file,
            "title": self.title,
            "description": self.description,
            "edits": [{"table": e.table, **e.to_dict()} for e in self.edits],
            "shocks": [s.to_dict() for s in self.shocks],
        }


def read_scenario(path: str | Path, *, name: str | None = None) -> Scenario:
    """Read and check a scenario file (structure only; :func:`apply_scenario` checks it
    against a network). Raises InputError with every problem, located by line."""
    path = Path(path)
    shown = str(path)
    if not path.exists():
        raise InputError(Problem(shown, None, None, "no such file", _FILE_HINT))
    if path.is_dir():
        raise InputError(Problem(shown, None, None, "is a folder", _FILE_HINT))
    try:
        size = path.stat().st_size
        if size > _MAX_BYTES:
            raise InputError(
                Problem(shown, None, None, f"is {size:,} bytes", "a scenario file is a short list")
            )
        raw = path.read_bytes()
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise InputError(
            Problem(shown, None, None, f"cannot be read ({reason})", "check its permissions")
        ) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise InputError(
            Problem(shown, line, None, "is not UTF-8 text", "save the file as UTF-8")
        ) from None
    return parse_scenario(text, file=shown, name=name or path.stem)


_FILE_HINT = "give the path of a scenario .toml file (see docs/scenarios.md)"


def parse_scenario(text: str, *, file: str = "scenario.toml", name: str | None = None) -> Scenario:
    """Parse scenario TOML ``text`` (see the module docstring). ``file`` names it in errors."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InputError(_syntax_problem(file, str(exc))) from None
    places, top_keys = _locate_tables(text)
    problems: list[Problem] = []

    def place_of(table: str, number: int, key: str | None) -> int | None:
        return _line(places, top_keys, table, number, key)

    for key, value in data.items():
        if key in TEXT_KEYS and not isinstance(value, str):
            problems.append(
                Problem(file, top_keys.get(key), key, "must be a text", f'write {key} = "..."')
            )
    shocks = _read_shocks(data.pop(SHOCK_TABLE, None), file, place_of, problems)
    edit_data = {k: v for k, v in data.items() if k not in TEXT_KEYS}
    edits: list[ed.Edit] = []
    try:
        edits = ed.edits_from_tables(edit_data, file=file)
    except InputError as exc:
        problems.extend(_relocate(p, file, places, top_keys) for p in exc.problems)
    edits = [
        replace(edit, where=f"{file}: [[{edit.table}]] #{number}")
        for edit, number in _numbered(edits)
    ]
    if not problems and not edits and not shocks:
        tables = ", ".join((*ed.TABLE_ORDER, SHOCK_TABLE))
        problems.append(
            Problem(file, None, None, "holds no edit and no shock", f"add [[table]]s: {tables}")
        )
    if problems:
        raise InputError(problems)
    return Scenario(
        name=name or Path(file).stem,
        file=file,
        title=data.get("title"),
        description=data.get("description"),
        edits=tuple(edits),
        shocks=tuple(shocks),
        places=places,
    )


def _numbered(edits: list[ed.Edit]) -> Iterable[tuple[ed.Edit, int]]:
    """Each edit with its number among the tables of its kind (1-based, file order)."""
    seen: dict[str, int] = {}
    for edit in edits:
        seen[edit.table] = seen.get(edit.table, 0) + 1
        yield edit, seen[edit.table]


_POSITION = re.compile(r"\s*\(at line (\d+), column (\d+)\)\s*$")
_END_OF_DOCUMENT = re.compile(r"\s*\(at end of document\)\s*$")


def _syntax_problem(file: str, message: str) -> Problem:
    match = _POSITION.search(message)
    line = int(match.group(1)) if match else None
    message = _END_OF_DOCUMENT.sub("", _POSITION.sub("", message))
    return Problem(
        file,
        line,
        None,
        f"not valid TOML: {message[:1].lower()}{message[1:]}",
        'fix the syntax: tables are [[redirect]], values key = "text" or key = 1.5',
    )


# The scan that gives tables and keys their lines.
_ARRAY_HEADER = re.compile(r"""^\s*\[\[\s*(?:"([^"]*)"|'([^']*)'|([A-Za-z0-9_-]+))\s*\]\]""")
_TABLE_HEADER = re.compile(r"^\s*\[[^\[]")
_KEY = re.compile(r"""^\s*(?:"([^"]*)"|'([^']*)'|([A-Za-z0-9_-]+))\s*=""")


def _locate_tables(text: str) -> tuple[dict[str, _Place], dict[str, int]]:
    """Lines of each ``[[table]]`` (key ``"name #n"``) and of the keys inside it, and the
    lines of top-level keys. A line-by-line scan; multi-line strings are skipped."""
    places: dict[str, _Place] = {}
    top: dict[str, int] = {}
    counts: dict[str, int] = {}
    current: dict[str, int] | None = top
    in_string: str | None = None
    for number, line in enumerate(text.splitlines(), start=1):
        if in_string is not None:
            if line.count(in_string) % 2 == 1:
                in_string = None
            continue
        header = _ARRAY_HEADER.match(line)
        if header:
            name = next(g for g in header.groups() if g is not None)
            counts[name] = counts.get(name, 0) + 1
            current = {}
            places[f"{name} #{counts[name]}"] = _Place(number, current)
        elif _TABLE_HEADER.match(line):
            current = None  # a plain [table]: not a scenario table
        else:
            key = _KEY.match(line)
            if key and current is not None:
                current.setdefault(next(g for g in key.groups() if g is not None), number)
        for quote in ('"""', "'''"):
            if line.count(quote) % 2 == 1:
                in_string = quote
                break
    return places, top


def _line(places, top_keys, table: str, number: int, key: str | None) -> int | None:
    place = places.get(f"{table} #{number}")
    if place is None:  # an inline array: the line of its key
        return top_keys.get(table)
    return place.keys.get(key, place.line) if key else place.line


_WHERE = re.compile(r"^(?P<file>.*): \[\[(?P<table>[^\]]+)\]\] #(?P<number>\d+)$")


def _relocate(problem: Problem, file: str, places, top_keys) -> Problem:
    """A problem of :mod:`symbiosis.edits` (located as ``file: [[table]] #n``) with the
    file and line instead, and a hint on what to do."""
    match = _WHERE.match(problem.file)
    if match:
        table, number = match.group("table"), int(match.group("number"))
        line = _line(places, top_keys, table, number, problem.column)
        message = f"[[{table}]] #{number}: {problem.message}"
    elif problem.file == file and problem.column is not None:  # a top-level key or table
        line = top_keys.get(problem.column)
        if line is None and f"{problem.column} #1" in places:
            line = places[f"{problem.column} #1"].line
        message = problem.message
        if message == "unknown table":
            tables = ", ".join((*ed.TABLE_ORDER, SHOCK_TABLE))
            return Problem(file, line, problem.column, message, f"use {tables}")
    else:
        return problem
    return Problem(file, line, problem.column, message, problem.hint or _hint(problem))


def _hint(problem: Problem) -> str:
    if "no flow" in problem.message:
        return "check source, target and material against flows.csv"
    if "missing" in problem.message:
        return f"add {problem.column} = ... to the table"
    if problem.column == "factor":
        return "give a factor >= 0 (0.5 halves the flow, 0 stops it)"
    if problem.column == "quantity" and "more than" in problem.message:
        return "move at most the flow's quantity, or leave quantity out to move all of it"
    if problem.column == "quantity":
        return "give a quantity >= 0 in the flow's unit, or leave it out"
    return "see docs/scenarios.md for the tables and their keys"


_SHOCK_KEYS = ("firm", "change", "dimension")


def _read_shocks(value, file: str, place_of, problems: list[Problem]) -> list[SupplyShock]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
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
        where = f"{file}: [[{SHOCK_TABLE}]] #{number}"
        found = len(problems)
        for key in sorted(set(entry) - set(_SHOCK_KEYS)):
            problems.append(
                Problem(
                    file,
                    place_of(SHOCK_TABLE, number, key),
                    key,
                    f"[[shock]] #{number}: unknown key",
                    "use firm, change, dimension",
                )
            )
        for key in ("firm", "change"):
            if key not in entry:
                problems.append(
                    Problem(
                        file,
                        place_of(SHOCK_TABLE, number, None),
                        key,
                        f"[[shock]] #{number}: required key is missing",
                        f"add {key} = ... to the table",
                    )
                )
        change = entry.get("change")
        if "change" in entry and not _is_change(change):
            problems.append(
                Problem(
                    file,
                    place_of(SHOCK_TABLE, number, "change"),
                    "change",
                    f"[[shock]] #{number}: {change!r} is not a change between -1 and 0",
                    "write change = -0.5 for half the output, -1 for closed",
                )
            )
        dimension = entry.get("dimension")
        if dimension is not None and dimension not in DIMENSIONS:
            problems.append(
                Problem(
                    file,
                    place_of(SHOCK_TABLE, number, "dimension"),
                    "dimension",
                    f"[[shock]] #{number}: unknown dimension {dimension!r}",
                    f"use one of {', '.join(DIMENSIONS)}, or leave it out",
                )
            )
        firm = entry.get("firm")
        if "firm" in entry and not (isinstance(firm, str) and firm.strip()):
            problems.append(
                Problem(
                    file,
                    place_of(SHOCK_TABLE, number, "firm"),
                    "firm",
                    f"[[shock]] #{number}: {firm!r} is not a firm id",
                    'write firm = "ID" with an id from firms.csv',
                )
            )
        if len(problems) == found:
            shocks.append(SupplyShock(firm.strip(), float(change), dimension, where=where))
    return shocks


def _is_change(value) -> bool:
    return (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and math.isfinite(value)
        and -1.0 <= value <= 0.0
    )
