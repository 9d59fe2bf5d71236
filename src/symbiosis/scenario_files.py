"""Scenario files: reading and checking the TOML that lists a scenario's edits and shocks.

A scenario file lists edits (:mod:`symbiosis.edits`: ``add_firm``, ``remove_firm``, ``add_flow``,
``remove_flow``, ``scale_flow``, ``redirect``, ``scale_material``, ``mark_flow``) and,
optionally, supply shocks (``[[shock]]`` tables: ``firm``, ``change`` in [-1, 0],
optional ``dimension``; a top-level ``model = "proportional"`` propagates them with the
proportional model instead of the default Leontief one); :mod:`symbiosis.scenarios`
applies them and compares the indicators. This module only reads a file and checks its
structure (:func:`read_scenario`, :func:`parse_scenario`; the ``[[shock]]`` tables
:mod:`.scenario_shocks`); the checks against a network happen when it is applied.

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

import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import edits as ed
from ._edit_values import shown
from ._toml import syntax_problem
from .errors import InputError, Problem
from .io.reading import path_problem
from .scenario_shocks import SHOCK_TABLE, SupplyShock, read_shocks

__all__ = [
    "MAX_DEPTH",
    "MODEL_KEY",
    "SHOCK_MODELS",
    "SHOCK_TABLE",
    "Scenario",
    "SupplyShock",
    "load_scenario",
    "parse_scenario",
    "read_scenario",
    "scenario_from_text",
]

TEXT_KEYS = ("title", "description")
#: The top-level key naming the shock model, and its values (those of
#: :data:`symbiosis.analysis.propagation.MODELS`, repeated here so that reading a file
#: imports no analysis; a test keeps them equal), the default first.
MODEL_KEY = "model"
SHOCK_MODELS = ("leontief", "proportional")
#: The top-level key naming how a supplier shares out a shortfall, and its values (those
#: of :data:`symbiosis.analysis.propagation.RATIONINGS`, the default first; a test keeps
#: them equal): the Leontief model's default is internal-first.
RATIONING_KEY = "rationing"
RATIONINGS = ("internal-first", "proportional", "redirect")
_MAX_BYTES = 10_000_000


@dataclass(frozen=True)
class _Place:
    """Where a table sits in its file: its header line and the line of each key."""

    line: int
    keys: dict[str, int]


@dataclass(frozen=True)
class Scenario:
    """A parsed scenario file: its edits (in application order) and shocks.

    ``name`` labels its column in comparisons (the file name without ``.toml``); ``file``
    is the path as given; ``places`` locates each table (key ``"table #n"``) for errors;
    ``model`` is the shock model (:data:`SHOCK_MODELS`); ``rationing`` how a supplier
    shares out a shortfall (:data:`RATIONINGS`; None: the model's own, :attr:`rationing_used`).
    """

    name: str
    file: str
    title: str | None
    description: str | None
    edits: tuple[ed.Edit, ...]
    shocks: tuple[SupplyShock, ...]
    places: dict[str, _Place] = field(default_factory=dict, repr=False, compare=False)
    #: The shocks refused for a problem of their own (a change of 0.5, say) whose firm
    #: is text: checked against the network too, so that all their problems come at once.
    refused_shocks: tuple[SupplyShock, ...] = field(default=(), repr=False, compare=False)
    model: str = SHOCK_MODELS[0]
    rationing: str | None = None

    @property
    def rationing_used(self) -> str:
        """:attr:`rationing`, else the model's own rule (internal-first under Leontief)."""
        proportional = self.model == SHOCK_MODELS[1]  # the proportional model: always so
        return self.rationing or (RATIONINGS[1] if proportional else RATIONINGS[0])

    def to_dict(self) -> dict[str, Any]:
        """JSON-able; ``rationing`` the rule used (:attr:`rationing_used`), never None."""
        return {
            "name": self.name,
            "file": self.file,
            "title": self.title,
            "description": self.description,
            "model": self.model,
            "rationing": self.rationing_used,
            "edits": [{"table": e.table, **e.to_dict()} for e in self.edits],
            "shocks": [s.to_dict() for s in self.shocks],
        }


def read_scenario(path: str | Path, *, name: str | None = None) -> Scenario:
    """Read and check a scenario file (structure only; :func:`apply_scenario` checks it
    against a network). Raises InputError with every problem, located by line."""
    scenario, problems = load_scenario(path, name=name)
    if problems or scenario is None:
        raise InputError(problems)
    return scenario


def load_scenario(
    path: str | Path, *, name: str | None = None
) -> tuple[Scenario | None, list[Problem]]:
    """A scenario file read as far as it can be, and every problem found: the scenario
    holds the tables that are well formed (``None`` when the file cannot be read or is
    not TOML), so that they can still be checked against a network."""
    path = Path(path)
    shown = str(path)
    refused = path_problem(path, _FILE_HINT, missing="no such file")
    if refused is not None:  # read nothing from a FIFO (it blocks) or /dev/zero (no end)
        return None, [Problem(shown, None, None, *refused)]
    try:
        size = path.stat().st_size
        if size > _MAX_BYTES:
            return None, [
                Problem(shown, None, None, f"is {size:,} bytes", "a scenario file is a short list")
            ]
        raw = path.read_bytes()
    except OSError as exc:
        reason = exc.strerror or str(exc)
        return None, [
            Problem(shown, None, None, f"cannot be read ({reason})", "check its permissions")
        ]
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return None, [Problem(shown, line, None, "is not UTF-8 text", "save the file as UTF-8")]
    return scenario_from_text(text, file=shown, name=name or path.stem)


_FILE_HINT = "give the path of a scenario .toml file (see docs/scenarios.md)"


def parse_scenario(text: str, *, file: str = "scenario.toml", name: str | None = None) -> Scenario:
    """Parse scenario TOML ``text`` (see the module docstring). ``file`` names it in errors."""
    scenario, problems = scenario_from_text(text, file=file, name=name)
    if problems or scenario is None:
        raise InputError(problems)
    return scenario


def scenario_from_text(
    text: str, *, file: str = "scenario.toml", name: str | None = None
) -> tuple[Scenario | None, list[Problem]]:
    """Scenario TOML ``text`` parsed as far as it can be, and every problem, in the order
    of the lines (see :func:`load_scenario`)."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        return None, [syntax_problem(file, str(exc), _SYNTAX_HINT, text)]
    except RecursionError:  # tomllib reads nested arrays and inline tables recursively
        return None, [Problem(file, None, None, "arrays or inline tables are nested too deeply "
                              "to be read", _DEPTH_HINT)]  # fmt: skip
    places, top_keys = _locate_tables(text)
    problems = _too_deep(data, file, top_keys, places)  # before any walk of the values
    _place_inline_arrays(data, places, top_keys)

    def place_of(table: str, number: int, key: str | None) -> int | None:
        return _line(places, top_keys, table, number, key)

    for key, value in data.items():
        if key in TEXT_KEYS and not isinstance(value, str):
            problems.append(
                Problem(file, top_keys.get(key), key, "must be a text", f'write {key} = "..."')
            )
    model = data.pop(MODEL_KEY, SHOCK_MODELS[0])
    if model not in SHOCK_MODELS:
        problems.append(
            Problem(
                file,
                top_keys.get(MODEL_KEY),
                MODEL_KEY,
                f"unknown shock model {shown(model)}",
                'write model = "leontief" (the default: an actor runs at the share of its '
                'scarcest input) or model = "proportional"',
            )
        )
        model = SHOCK_MODELS[0]
    rationing = _rationing(data.pop(RATIONING_KEY, None), model, file, top_keys, problems)
    refused: list[SupplyShock] = []
    shocks = read_shocks(data.pop(SHOCK_TABLE, None), file, place_of, problems, refused)
    edits, found = ed.read_tables({k: v for k, v in data.items() if k not in TEXT_KEYS}, file=file)
    problems.extend(_relocate(p, file, places, top_keys) for p in found)
    if not problems and not edits and not shocks:
        tables = ", ".join((*ed.TABLE_ORDER, SHOCK_TABLE))
        problems.append(
            Problem(file, None, None, "holds no edit and no shock", f"add [[table]]s: {tables}")
        )
    scenario = Scenario(
        name=name or Path(file).stem,
        file=file,
        title=data["title"] if isinstance(data.get("title"), str) else None,
        description=data["description"] if isinstance(data.get("description"), str) else None,
        edits=tuple(edits),
        shocks=tuple(shocks),
        places=places,
        refused_shocks=tuple(refused),
        model=model,
        rationing=rationing,
    )
    return scenario, by_line(problems)


def _rationing(
    value: Any, model: str, file: str, top_keys: dict[str, int], problems: list[Problem]
) -> str | None:
    """The ``rationing`` key's value (None: not given), its problems noted: one of
    :data:`RATIONINGS`, and internal-first or redirect only with the Leontief model."""
    if value is None:
        return None
    line = top_keys.get(RATIONING_KEY)
    if value not in RATIONINGS:
        problems.append(
            Problem(file, line, RATIONING_KEY, f"unknown rationing {shown(value)}",
                    'write rationing = "internal-first" (the default: a supplier that makes '
                    'less cuts its sales to boundary nodes first), "redirect" or "proportional"')
        )  # fmt: skip
        return None
    if value in ("internal-first", "redirect") and model == "proportional":
        problems.append(
            Problem(file, line, RATIONING_KEY, f"{value} rationing needs the Leontief "
                    "model: the proportional model shares every loss in proportion",
                    'leave rationing out, or write model = "leontief"')
        )  # fmt: skip
        return None
    return str(value)


def by_line(problems: Iterable[Problem]) -> list[Problem]:
    """Problems in the order of their lines (those of the whole file first), stable."""
    return sorted(problems, key=lambda p: p.row or 0)


# A scenario needs three levels (the file, an array of tables, a table); values nested
# deeper than MAX_DEPTH are refused before anything walks them (repr and json recurse).
MAX_DEPTH = 8
_DEPTH_HINT = (
    f"a scenario needs no more than {MAX_DEPTH} levels of tables and arrays: "
    "[[table]]s of key = value lines (see docs/scenarios.md)"
)


def _too_deep(data: dict[str, Any], file: str, top_keys, places) -> list[Problem]:
    """A problem for each top-level key whose value nests tables or arrays more than
    :data:`MAX_DEPTH` levels deep; such keys are taken out of ``data``."""
    problems = []
    for key in [k for k, v in data.items() if _deeper_than(v, MAX_DEPTH)]:
        first = places.get(f"{key} #1")
        line = top_keys.get(key) or (first.line if first else None)
        message = f"nested more than {MAX_DEPTH} levels deep"
        problems.append(Problem(file, line, str(key), message, _DEPTH_HINT))
        del data[key]
    return problems


def _deeper_than(value: Any, limit: int) -> bool:
    """Whether a top-level ``value`` holds tables or arrays more than ``limit`` levels
    deep (the file is level 1, the value level 2). Iterative, O(size): any depth is safe."""
    stack: list[tuple[Any, int]] = [(value, 2)] if isinstance(value, dict | list) else []
    while stack:
        value, depth = stack.pop()
        children = value.values() if isinstance(value, dict) else value
        nested = [c for c in children if isinstance(c, dict | list)]
        if nested and depth == limit:
            return True
        stack.extend((child, depth + 1) for child in nested)
    return False


_SYNTAX_HINT = 'fix the syntax: tables are [[redirect]], values key = "text" or key = 1.5'


# The scan that gives tables and keys their lines.
_ARRAY_HEADER = re.compile(r"""^\s*\[\[\s*(?:"([^"]*)"|'([^']*)'|([A-Za-z0-9_-]+))\s*\]\]""")
_TABLE_HEADER = re.compile(r"^\s*\[[^\[]")
_TABLE_NAME = re.compile(r"""^\s*\[\s*(?:"([^"]*)"|'([^']*)'|([A-Za-z0-9_-]+))""")
_KEY = re.compile(r"""^\s*(?:"([^"]*)"|'([^']*)'|([A-Za-z0-9_-]+))\s*=""")


def _locate_tables(text: str) -> tuple[dict[str, _Place], dict[str, int]]:
    """Lines of each ``[[table]]`` (key ``"name #n"``) and of the keys inside it, and the
    lines of top-level keys and of plain ``[table]`` headers (a ``[shock]`` written for
    ``[[shock]]``). A line-by-line scan; multi-line strings are skipped."""
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
            current = None  # a plain [table]: not a scenario table, but its line is known
            name = _TABLE_NAME.match(line)
            if name:
                top.setdefault(next(g for g in name.groups() if g is not None), number)
        else:
            key = _KEY.match(line)
            if key and current is not None:
                current.setdefault(next(g for g in key.groups() if g is not None), number)
        for quote in ('"""', "'''"):
            if line.count(quote) % 2 == 1:
                in_string = quote
                break
    return places, top


def _place_inline_arrays(data: dict[str, Any], places, top_keys) -> None:
    """An inline array of tables (``redirect = [{...}, {...}]``) has no ``[[redirect]]``
    headers: each of its tables is placed at its key's line, so that the problems found
    later against the network (which see only the scenario's places) keep a line."""
    for key, value in data.items():
        if isinstance(value, list) and key in top_keys and f"{key} #1" not in places:
            for number in range(1, len(value) + 1):
                places[f"{key} #{number}"] = _Place(top_keys[key], {})


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
