"""Scenarios: what-if edits and supply shocks read from TOML files, and their effect on
every headline indicator.

A scenario file lists edits (:mod:`symbiosis.edits`: ``add_firm``, ``remove_firm``,
``add_flow``, ``remove_flow``, ``scale_flow``, ``redirect``, ``scale_material``) and,
optionally, supply shocks (``[[shock]]`` tables: ``firm``, ``change`` in [-1, 0],
optional ``dimension``) propagated downstream by :mod:`symbiosis.analysis.shocks`::

    title = "Jinlong closes"

    [[shock]]          # its customers lose what it supplied, and pass the loss on
    firm = "JL"
    change = -1.0

Order of application: the edits in the fixed table order of :data:`symbiosis.edits.TABLE_ORDER`
(within a table, file order), then the shocks, all together (those of one dimension in
one propagation; a shock without ``dimension`` acts in every dimension). Flows that a
shock stops entirely are removed; flows it only reduces are kept, smaller.

Validation. The file is read with :mod:`tomllib`; every edit is checked against the
network as it stands after the edits before it (unknown firm, no matching flow, bad
unit...). All problems are reported at once, each as ``file:line: key: what is wrong;
what to do``. :mod:`tomllib` gives no line numbers for values, so each ``[[table]]``
is located by scanning the text for the ``[[name]]`` headers in order (the n-th
``[[redirect]]`` header is the n-th redirect), and each key by its ``key =`` line inside
that table; inline arrays of tables (``redirect = [{...}]``) are located at their key's
line. A header-like line inside a multi-line string could mislead the scan; the line is
then only approximate, the message is still right.

Indicators (:func:`indicators`). Per dimension: ``generated``, ``reused``, ``disposed``
(tonnage of residual streams), ``reuse_share``, ``utilization_rate`` and
``circular_input_rate`` (:mod:`~symbiosis.analysis.reuse`), ``finn_cycling_index`` and
``total_system_throughflow`` (:mod:`~symbiosis.analysis.cycling`), ``cyclicity`` of that
dimension's flows, ``loops`` closing in it (:mod:`~symbiosis.analysis.loops`),
``extraction_dependence`` (:mod:`~symbiosis.analysis.structure`). For the whole actor
network (dimension ``all``): ``actors`` (with at least one flow), ``flows``,
``cyclicity``, ``loops``. Loops
*opened* by a scenario are loops of the network before that no longer exist after;
loops *closed* are new ones. When the bounded loop search is cut, the comparison says so.

Complexity: reading is O(file); applying k edits O(k F); the indicators cost one run of
the reuse, cycling, structure and loop passes per network (before, and after each
scenario), each stating its own cost.
"""

from __future__ import annotations

import math
import re
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from . import edits as ed
from .analysis.shocks import propagate, suggest
from .errors import AnalysisError, InputError, Problem
from .model import FlowNetwork
from .report import Options
from .units import CANONICAL_UNITS, DIMENSIONS

__all__ = [
    "INDICATORS",
    "Indicators",
    "Scenario",
    "ScenarioComparison",
    "ScenarioResult",
    "SupplyShock",
    "apply_scenario",
    "compare_networks",
    "compare_scenarios",
    "indicators",
    "parse_scenario",
    "read_scenario",
]

SHOCK_TABLE = "shock"
TEXT_KEYS = ("title", "description")
#: Headline indicators per dimension, in display order, and whether each is a share.
INDICATORS: dict[str, bool] = {
    "generated": False,
    "reused": False,
    "disposed": False,
    "reuse_share": True,
    "utilization_rate": True,
    "circular_input_rate": True,
    "finn_cycling_index": True,
    "total_system_throughflow": False,
    "extraction_dependence": True,
    "cyclicity": False,
    "loops": False,
}
NETWORK_INDICATORS: tuple[str, ...] = ("actors", "flows", "cyclicity", "loops")
_MAX_BYTES = 10_000_000


# ============================================================================ files


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


# ============================================================================ applying


def apply_scenario(network: FlowNetwork, scenario: Scenario) -> FlowNetwork:
    """Apply a scenario to a copy of ``network`` (see the module docstring for the order).

    Every edit is checked against the network as edited so far; a failing edit is
    skipped so that the checks go on, and all problems are raised together as one
    :class:`~symbiosis.errors.InputError`, each with its file and line. Nothing is
    returned half-applied. O(k F) for k edits (one copy of the tables when every edit
    fits), plus the shock propagation.
    """
    problems: list[Problem] = []
    try:  # the usual case: every edit fits, one copy of the tables
        current = ed.apply(network, scenario.edits, file=scenario.file)
    except InputError:  # again edit by edit, skipping those that fail, to list them all
        current = network
        for edit in scenario.edits:
            try:
                current = ed.apply(current, [edit], file=scenario.file)
            except InputError as exc:
                problems.extend(_edit_problem(p, scenario, current) for p in exc.problems)
    shocks_by_dimension: dict[str | None, dict[str, float]] = {}
    for shock in scenario.shocks:
        problem = _check_shock(shock, scenario, current)
        if problem is not None:
            problems.append(problem)
            continue
        group = shocks_by_dimension.setdefault(shock.dimension, {})
        group[shock.firm] = group.get(shock.firm, 0.0) + shock.change
    if problems:
        raise InputError(problems)
    for dimension, shocks in shocks_by_dimension.items():
        combined = {firm: max(change, -1.0) for firm, change in shocks.items()}
        current = propagate(current, combined, dimension=dimension, drop_stopped=True)[0]
    return current


def _edit_problem(problem: Problem, scenario: Scenario, network: FlowNetwork) -> Problem:
    located = _relocate(problem, scenario.file, scenario.places, {})
    if located.message.endswith("'") and "unknown firm '" in located.message:
        name = located.message.rsplit("unknown firm '", 1)[1][:-1]
        close = suggest(name, network.firms.index)
        if close:
            return replace(located, hint=f"{close.strip()[1:-1]}; check the id in firms.csv")
    return located


def _check_shock(shock: SupplyShock, scenario: Scenario, network: FlowNetwork) -> Problem | None:
    number = int(shock.where.rsplit("#", 1)[1]) if "#" in shock.where else 1

    def at(key: str) -> int | None:
        return _line(scenario.places, {}, SHOCK_TABLE, number, key)

    if shock.firm not in network.firms.index:
        close = suggest(shock.firm, network.firms.index).strip()
        return Problem(
            scenario.file,
            at("firm"),
            "firm",
            f"[[shock]] #{number}: unknown firm '{shock.firm}'",
            (f"{close[1:-1]}; " if close else "") + "check the id in firms.csv",
        )
    if shock.dimension is not None and shock.dimension not in network.dimensions:
        known = ", ".join(network.dimensions) or "none"
        return Problem(
            scenario.file,
            at("dimension"),
            "dimension",
            f"[[shock]] #{number}: the network has no {shock.dimension} flows",
            f"use one of: {known}",
        )
    return None


# ============================================================================ indicators


@dataclass(frozen=True)
class Indicators:
    """The headline indicators of one network.

    ``table`` has one row per (``dimension``, ``indicator``) with its ``value`` (None when
    undefined) and ``unit``; ``dimension`` is ``all`` for the whole actor network.
    ``loops`` holds each loop as a tuple of firm ids starting at the smallest id.
    ``notes`` says why a value is missing or a count is a lower bound.
    """

    table: pd.DataFrame
    loops: frozenset[tuple[str, ...]]
    loops_truncated: bool
    notes: tuple[str, ...] = ()

    def value(self, dimension: str, indicator: str) -> float | None:
        rows = self.table[
            (self.table["dimension"] == dimension) & (self.table["indicator"] == indicator)
        ]
        return None if rows.empty else rows["value"].iloc[0]

    def to_frame(self) -> pd.DataFrame:
        return self.table

    def to_dict(self) -> dict[str, Any]:
        values: dict[str, dict[str, Any]] = {}
        for row in self.table.itertuples(index=False):
            values.setdefault(row.dimension, {})[row.indicator] = _plain(row.value)
        return {
            "values": values,
            "loops_truncated": self.loops_truncated,
            "notes": list(self.notes),
        }


def indicators(network: FlowNetwork, options: Options | None = None) -> Indicators:
    """The headline indicators of ``network`` (see the module docstring).

    Each pass that cannot give a trustworthy number (a singular system, say) leaves its
    indicators ``None`` and adds a note rather than failing the whole comparison. Cost:
    one run of the reuse, cycling, structure and loop passes.
    """
    from .analysis.cycling import cycling
    from .analysis.loops import find_loops
    from .analysis.reuse import reuse_accounts
    from .analysis.structure import resource_city_indicators

    options = options or Options()
    notes: list[str] = []
    values: dict[tuple[str, str], Any] = {}

    def attempt(label: str, compute):
        try:
            return compute()
        except AnalysisError as exc:
            notes.append(f"{label}: {exc}")
            return None

    reuse = attempt("reuse", lambda: reuse_accounts(network))
    if reuse is not None:
        for row in reuse.network.to_dict("records"):
            for key in ("generated", "reused", "disposed", "reuse_share", "utilization_rate",
                        "circular_input_rate"):  # fmt: skip
                values[(row["dimension"], key)] = row[key]
    result = attempt(
        "cycling", lambda: cycling(network, balance_tolerance=options.balance_tolerance)
    )
    if result is not None:
        values[("all", "cyclicity")] = result.structure.cyclicity
        for d, item in result.dimensions.items():
            values[(d, "finn_cycling_index")] = item.finn_cycling_index
            values[(d, "total_system_throughflow")] = item.statistics.total_system_throughflow
            values[(d, "cyclicity")] = item.structure.cyclicity
            if item.problem:
                notes.append(f"{d} FCI: {item.problem}")
    structure = attempt("structure", lambda: resource_city_indicators(network))
    if structure is not None:
        for row in structure.dimensions.to_dict("records"):
            values[(row["dimension"], "extraction_dependence")] = row["extraction_dependence"]
    search = find_loops(
        network,
        max_length=options.max_loop_length,
        max_loops=options.max_loops,
        time_budget=options.loop_time_budget,
    )
    values[("all", "loops")] = search.found
    for d in network.dimensions:
        values[(d, "loops")] = sum(d in loop.closes_in for loop in search.loops)
    active = np.zeros(network.n_firms, dtype=bool)
    active[network.source_positions] = True
    active[network.target_positions] = True
    values[("all", "actors")] = int((active & network.firms["actor"].to_numpy()).sum())
    values[("all", "flows")] = network.n_flows
    truncated = search.truncated or search.longer_loops_possible
    if truncated:
        notes.append(
            f"the loop search was bounded (max length {options.max_loop_length}, "
            f"max {options.max_loops:,} loops): loop counts are lower bounds"
        )
    return Indicators(
        table=_indicator_table(values, network.dimensions),
        loops=frozenset(_canonical(loop.firms) for loop in search.loops),
        loops_truncated=truncated,
        notes=tuple(notes),
    )


def _indicator_table(values: Mapping[tuple[str, str], Any], dimensions) -> pd.DataFrame:
    rows = []
    for name in NETWORK_INDICATORS:
        rows.append(("all", name, _plain(values.get(("all", name))), ""))
    for d in DIMENSIONS:
        if d not in dimensions:
            continue
        unit = f"{CANONICAL_UNITS[d]}/yr"
        for name, is_share in INDICATORS.items():
            shown = "" if is_share or name in ("cyclicity", "loops") else unit
            rows.append((d, name, _plain(values.get((d, name))), shown))
    table = pd.DataFrame(rows, columns=["dimension", "indicator", "value", "unit"], dtype=object)
    return table.astype({"dimension": str, "indicator": str, "unit": str})


def _plain(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def _canonical(firms: Sequence[str]) -> tuple[str, ...]:
    """A loop as a tuple starting at its smallest id (the same loop, however found)."""
    firms = tuple(str(f) for f in firms)
    start = firms.index(min(firms))
    return firms[start:] + firms[:start]


# ============================================================================ comparing


@dataclass(frozen=True)
class ScenarioResult:
    """One scenario applied: the indicators after, and the loops it opens and closes."""

    name: str
    scenario: Scenario | None
    after: Indicators
    opened: tuple[tuple[str, ...], ...]
    closed: tuple[tuple[str, ...], ...]
    network_after: FlowNetwork = field(repr=False, compare=False)

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "scenario": None if self.scenario is None else self.scenario.to_dict(),
            "after": self.after.to_dict(),
            "loops_opened": [list(loop) for loop in self.opened],
            "loops_closed": [list(loop) for loop in self.closed],
        }


@dataclass(frozen=True)
class ScenarioComparison:
    """The indicators before and after each scenario, side by side."""

    before: Indicators
    results: tuple[ScenarioResult, ...]

    def to_frame(self) -> pd.DataFrame:
        """One row per indicator (``dimension``, ``indicator``, ``unit``, ``before``), then
        ``<name>`` (after) and ``<name> change`` per scenario."""
        table = self.before.table.rename(columns={"value": "before"})
        table = table[["dimension", "indicator", "unit", "before"]]
        for result in self.results:
            after = result.after.table.set_index(["dimension", "indicator"])["value"]
            keys = pd.MultiIndex.from_frame(table[["dimension", "indicator"]])
            column = after.reindex(keys).to_numpy(dtype=object)
            # A dimension that appears only after the scenario gets rows of its own.
            extra = result.after.table[
                ~pd.MultiIndex.from_frame(result.after.table[["dimension", "indicator"]]).isin(keys)
            ]
            if len(extra):
                table = pd.concat(
                    [
                        table,
                        extra.rename(columns={"value": "_"})[["dimension", "indicator", "unit"]],
                    ],
                    ignore_index=True,
                )
                keys = pd.MultiIndex.from_frame(table[["dimension", "indicator"]])
                column = after.reindex(keys).to_numpy(dtype=object)
            table[result.name] = column
            table[f"{result.name} change"] = [
                _difference(b, a) for b, a in zip(table["before"], column, strict=True)
            ]
        return table.set_index(["dimension", "indicator"])

    def to_dict(self) -> dict[str, Any]:
        return {
            "before": self.before.to_dict(),
            "scenarios": [r.to_dict() for r in self.results],
            "changes": {r.name: _changes(self.before, r.after) for r in self.results},
        }


def _difference(before: Any, after: Any) -> float | None:
    if before is None or after is None:
        return None
    if isinstance(before, float) and math.isnan(before):
        return None
    if isinstance(after, float) and math.isnan(after):
        return None
    return after - before


def _changes(before: Indicators, after: Indicators) -> dict[str, dict[str, Any]]:
    b, a = before.to_dict()["values"], after.to_dict()["values"]
    return {
        d: {k: _difference(b.get(d, {}).get(k), a.get(d, {}).get(k)) for k in a.get(d, {})}
        for d in a
    }


def compare_networks(
    before: FlowNetwork,
    afters: Mapping[str, FlowNetwork],
    *,
    options: Options | None = None,
    scenarios: Mapping[str, Scenario] | None = None,
    before_indicators: Indicators | None = None,
) -> ScenarioComparison:
    """Indicators of ``before`` and of each network of ``afters`` (by name), with the loops
    each opens and closes. Cost: one :func:`indicators` per network."""
    start = before_indicators or indicators(before, options)
    results = []
    for name, network in afters.items():
        after = indicators(network, options)
        results.append(
            ScenarioResult(
                name=name,
                scenario=(scenarios or {}).get(name),
                after=after,
                opened=tuple(sorted(start.loops - after.loops)),
                closed=tuple(sorted(after.loops - start.loops)),
                network_after=network,
            )
        )
    return ScenarioComparison(before=start, results=tuple(results))


def compare_scenarios(
    network: FlowNetwork,
    scenarios: Sequence[Scenario | str | Path],
    *,
    options: Options | None = None,
) -> ScenarioComparison:
    """Apply each scenario (parsed, or a file to read) to ``network`` on its own and
    compare the indicators.

    Every scenario is read and checked against the network before any indicator is
    computed, and the problems of all of them are raised together as one InputError.
    Scenario names must be unique (they label columns).
    """
    problems: list[Problem] = []
    parsed: list[Scenario] = []
    for item in scenarios:
        try:
            parsed.append(item if isinstance(item, Scenario) else read_scenario(item))
        except InputError as exc:
            problems.extend(exc.problems)
    names = [s.name for s in parsed]
    duplicated = sorted({n for n in names if names.count(n) > 1})
    if duplicated:
        problems.append(
            Problem(
                "",
                None,
                None,
                f"two scenarios are named {', '.join(duplicated)}",
                "give the files different names (the name labels each column)",
            )
        )
    afters: dict[str, FlowNetwork] = {}
    for scenario in parsed:
        try:
            afters[scenario.name] = apply_scenario(network, scenario)
        except InputError as exc:
            problems.extend(exc.problems)
    if problems:
        raise InputError(problems)
    return compare_networks(network, afters, options=options, scenarios={s.name: s for s in parsed})
