"""Scenarios: what-if edits and supply shocks read from TOML files, and their effect on
every headline indicator.

A scenario file lists edits (:mod:`symbiosis.edits`: ``add_firm``, ``remove_firm``,
``add_flow``, ``remove_flow``, ``scale_flow``, ``redirect``, ``scale_material``) and,
optionally, supply shocks (``[[shock]]`` tables: ``firm``, ``change`` in [-1, 0],
optional ``dimension``) propagated downstream by :mod:`symbiosis.analysis.propagation`
(a top-level ``model = "proportional"`` chooses the proportional model over the
default, Leontief one)::

    title = "Jinlong closes"

    [[shock]]          # its customers lose what it supplied, and pass the loss on
    firm = "JL"
    change = -1.0

Reading and checking a file is :mod:`symbiosis.scenario_files`; the indicators and their
comparison are :mod:`symbiosis.analysis.indicators`. This module applies scenarios
(:func:`apply_scenario`) and compares them (:func:`compare_scenarios`); it re-exports the
names of both so that ``from symbiosis.scenarios import ...`` keeps working.

Order of application: the edits in the fixed table order of :data:`symbiosis.edits.TABLE_ORDER`
(within a table, file order), then the shocks, all together in one propagation: the
changes of a firm that apply to a dimension add up, capped at -1 (a shock without
``dimension`` applies to every dimension), whatever the order of the tables. Flows that
a shock stops entirely are removed; flows it only reduces are kept, smaller.

Validation. Every edit is checked against the network as it stands after the edits before
it (unknown firm, no matching flow, bad unit...). All problems are reported at once, each
as ``file:line: key: what is wrong; what to do``.

Complexity: reading is O(file); applying k edits O(k F); the indicators cost one run of
the reuse, cycling, structure and loop passes per network (before, and after each
scenario), each stating its own cost.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Sequence
from dataclasses import replace
from pathlib import Path

import numpy as np

from . import edits as ed
from .analysis._residue_outlets import unplaced_warnings
from .analysis._substitutable import minor_limit_warnings
from .analysis._unused_supply import unused_supply_warnings
from .analysis.indicators import (
    INDICATORS,
    NETWORK_INDICATORS,
    SHARES,
    Indicators,
    ScenarioComparison,
    ScenarioResult,
    compare_networks,
    indicators,
)
from .analysis.propagation import propagate_caps, shocked_network
from .analysis.shocks import name_hint, suggest
from .errors import InputError, Problem, SymbiosisWarning
from .model import FlowNetwork, require_network
from .options import Options, checked_options
from .scenario_files import (
    SHOCK_TABLE,
    Scenario,
    SupplyShock,
    _line,
    _relocate,
    by_line,
    load_scenario,
    parse_scenario,
    read_scenario,
)
from .units import DIMENSIONS
from .vocabulary import material_key

__all__ = [
    "INDICATORS",
    "NETWORK_INDICATORS",
    "SHARES",
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


def apply_scenario(network: FlowNetwork, scenario: Scenario | str | Path) -> FlowNetwork:
    """Apply a scenario (parsed, or a file to read) to a copy of ``network`` (see the
    module docstring for the order).

    Every edit is checked against the network as edited so far; a failing edit is
    skipped so that the checks go on, and all problems are raised together as one
    :class:`~symbiosis.errors.InputError`, each with its file and line. Nothing is
    returned half-applied. A shock that changes nothing (its firm sends no flow of known
    size in its dimension), a scaling of flows none of which has a known size, and a
    ``[[remove_firm]]`` that leaves actors it supplied with outputs but no input (a
    closure is a shock of -1), is a :class:`~symbiosis.errors.SymbiosisWarning`. O(k F)
    for k edits (one copy of the tables when every edit fits), plus the shock propagation.
    """
    applied, notes = _applied(network, scenario)
    for note in notes:
        warnings.warn(note, SymbiosisWarning, stacklevel=2)
    return applied


def _applied(
    network: FlowNetwork, scenario: Scenario | str | Path
) -> tuple[FlowNetwork, tuple[str, ...]]:
    """:func:`apply_scenario`'s network, and the warnings of its edits and shocks that
    change nothing (at their lines)."""
    require_network(network)
    if not isinstance(scenario, Scenario | str | Path):
        raise InputError(
            f"scenario must be a Scenario or the path of a scenario file (got "
            f"{type(scenario).__name__})"
        )
    if not isinstance(scenario, Scenario):  # a path: read as compare_scenarios reads it
        read, known = load_scenario(scenario)
        if read is None or known:
            raise InputError(known)
        scenario = read
    problems: list[Problem] = []
    idle: list[Problem] = []
    try:  # the usual case: every edit fits, one copy of the tables
        current, idle = ed.apply_noted(network, scenario.edits, file=scenario.file)
    except InputError:  # again edit by edit, skipping those that fail, to list them all
        current = network
        for edit in scenario.edits:
            try:
                current = _cut_as(ed.apply_noted(current, [edit], file=scenario.file)[0], network)
            except InputError as exc:
                problems.extend(_edit_problem(p, scenario, current, network) for p in exc.problems)
                current = _cut_as(_with_firm_of(edit, current, scenario.file), network)
    for refused in scenario.refused_shocks:  # its other problems are the file's
        problem = _check_shock(refused, scenario, current, network)
        if problem is not None:
            problems.append(problem)
    shocks_by_dimension: dict[str | None, dict[str, float]] = {}
    for shock in scenario.shocks:
        problem = _check_shock(shock, scenario, current, network)
        if problem is not None:
            problems.append(problem)
            continue
        group = shocks_by_dimension.setdefault(shock.dimension, {})
        group[shock.firm] = group.get(shock.firm, 0.0) + shock.change
    if problems:  # edits apply table by table: the problems said in the order of the lines
        raise InputError(by_line(problems))
    relocated = by_line(_relocate(note, scenario.file, scenario.places, {}) for note in idle)
    notes = tuple(str(note) for note in relocated)
    notes += _orphaned(scenario, network, current)
    notes += tuple(note for shock in scenario.shocks if (note := _idle(shock, scenario, current)))
    twice = _scaled_twice(scenario, network)  # at a [[shock]]'s firm, after its header's
    if shocks_by_dimension:  # all at once: a firm's changes in a dimension add up
        found = propagate_caps(
            current, shocks_by_dimension, model=scenario.model, rationing=scenario.rationing
        )
        line = _line(scenario.places, {}, SHOCK_TABLE, 1, None)
        where = scenario.file if line is None else f"{scenario.file}:{line}"
        # residues no receiver takes with nowhere recorded to go, then a result resting on
        # a minor necessary input or on a material still sold outside
        limits = () if found.outlets is None else unplaced_warnings(current, found.outlets)
        if found.activity is not None:
            limits += minor_limit_warnings(current, found.activity)
            limits += unused_supply_warnings(current, found.activity, found.retained)
        notes += tuple(f"{where}: [[shock]]: {note}" for note in limits)
        current = shocked_network(current, found.retained, drop_stopped=True)
    return current, notes + twice


def _orphaned(scenario: Scenario, before: FlowNetwork, after: FlowNetwork) -> tuple[str, ...]:
    """A warning per ``[[remove_firm]]`` that leaves actors it supplied in a dimension with
    outputs but no recorded input in it (tester-cities item 10: a mine removed, its
    concentrator still shipped 25 Mt from nothing and the reuse share rose): they produce
    from nothing, where a closure is a ``[[shock]]`` of change -1. O(F) per removal."""
    notes = []
    removals = [edit for edit in scenario.edits if isinstance(edit, ed.RemoveFirm)]
    actor = after.firms["actor"].to_numpy(dtype=bool)
    width = len(DIMENSIONS)
    unit = after.core.unit_dimension.astype(np.int64)
    known = unit >= 0  # (node, dimension) pairs sending and taking, known size or not
    sends = np.zeros(after.n_firms * width, dtype=bool)
    sends[after.source_positions[known] * width + unit[known]] = True
    takes = np.zeros(after.n_firms * width, dtype=bool)
    takes[after.target_positions[known] * width + unit[known]] = True
    flows, old_unit = before.flows, before.core.unit_dimension
    for number, removal in enumerate(removals, start=1):
        supplied = (flows["source"] == removal.id).to_numpy() & (old_unit >= 0)
        at = after.firms.index.get_indexer(flows["target"][supplied])  # -1: removed too
        pairs = np.unique((at * width + old_unit[supplied])[at >= 0])
        left = pairs[actor[pairs // width] & sends[pairs] & ~takes[pairs]]
        if not len(left):
            continue
        said = [f"'{after.firms.index[k // width]}' ({DIMENSIONS[k % width]})" for k in left]
        line = _line(scenario.places, {}, ed.RemoveFirm.table, number, "id")
        where = scenario.file if line is None else f"{scenario.file}:{line}"
        more = f" and {len(said) - 5} more" if len(said) > 5 else ""
        notes.append(
            f"{where}: id: [[remove_firm]] #{number}: removing '{removal.id}' leaves "
            f"{', '.join(said[:5])}{more} with outputs but no recorded input in that "
            f"dimension: {'it produces' if len(said) == 1 else 'they produce'} from nothing; "
            f"to close '{removal.id}' and follow the "
            f'loss downstream, write [[shock]] firm = "{removal.id}" change = -1 instead'
        )
    return tuple(notes)


def _idle(shock: SupplyShock, scenario: Scenario, network: FlowNetwork) -> str | None:
    """A warning when the shock changes nothing: a change of 0 (``-1e-400`` reads as
    -0.0), or a shocked firm that sends no flow of known size in the shock's dimension
    (or any, without one): a landfill, a firm of another dimension. O(1) after the node
    sums."""
    number = int(shock.where.rsplit("#", 1)[1]) if "#" in shock.where else 1
    if shock.change == 0:
        text = "a change of 0 changes nothing; give a change below 0 (-0.5 halves the output)"
        return _shock_note(scenario, number, "change", text)
    dimensions = (shock.dimension,) if shock.dimension else network.dimensions
    position = network.firms.index.get_loc(shock.firm)
    if any(network.core.node_sums(d).outflow[position] > 0 for d in dimensions):
        return None
    what = shock.dimension or "any dimension"
    return _shock_note(scenario, number, "firm", f"'{shock.firm}' sends no flow of known size "
                       f"in {what}: the shock changes nothing")  # fmt: skip


def _scaled_twice(scenario: Scenario, network: FlowNetwork) -> tuple[str, ...]:
    """A warning per ``[[shock]]`` whose firm takes a flow that a ``[[scale_flow]]`` or a
    ``[[scale_material]]`` of the same file scales down (tester15 remark 5: the rock to the
    acid plant scaled by 0.7 and the plant shocked by -0.3 cut the rock twice, 51 -> 35.7
    -> 25.0 万t): the edits apply first, then the shock, each cut on its own (documented;
    a user who meant one cut says it twice). O(shocks x scalings + F)."""
    flows = network.flows
    scalings = []  # (table, number, edit, rows of the network it scales into a firm)
    for table, kind in (("scale_flow", ed.ScaleFlow), ("scale_material", ed.ScaleMaterial)):
        chosen = [edit for edit in scenario.edits if isinstance(edit, kind)]
        for number, edit in enumerate(chosen, start=1):
            if not 0 <= edit.factor < 1:
                continue
            rows = flows["material_key"] == material_key(edit.material)
            for column in ("source", "target"):
                if getattr(edit, column) is not None:
                    rows &= flows[column] == getattr(edit, column)
            scalings.append((table, number, edit, rows))
    notes = []
    for shock in scenario.shocks:
        number = int(shock.where.rsplit("#", 1)[1]) if "#" in shock.where else 1
        for table, scaled, edit, rows in scalings:
            into = rows & (flows["target"] == shock.firm)
            if shock.change >= 0 or not into.any():
                continue
            line = _line(scenario.places, {}, table, scaled, None)
            at = f"[[{table}]] #{scaled}" + (f", line {line}" if line else "")
            source = flows["source"][into].iloc[0]
            notes.append(_shock_note(scenario, number, "firm", (
                f"'{shock.firm}' takes {source} -> {shock.firm} of '{edit.material}', "
                f"already scaled by {edit.factor:g} ({at}): the edits apply first, then the "
                f"shock, so its input is cut twice (by {edit.factor:g}, then "
                f"{shock.change * 100:+g} % as the firm runs less); if they are one cut, keep one "
                "of the two tables"
            )))  # fmt: skip
    return tuple(notes)


def _shock_note(scenario: Scenario, number: int, key: str, text: str) -> str:
    """A warning on the ``[[shock]]`` table ``number`` of ``scenario``, at its ``key``'s line."""
    line = _line(scenario.places, {}, SHOCK_TABLE, number, key)
    where = scenario.file if line is None else f"{scenario.file}:{line}"
    return f"{where}: {key}: [[shock]] #{number}: {text}"


def _cut_as(edited: FlowNetwork, network: FlowNetwork) -> FlowNetwork:
    """``edited`` (``network`` edited, on the way to listing a scenario's problems), as
    cut from the years ``network`` was cut from: a flow its year lacks is then said to be
    in another year's flows, with ``--year`` (:mod:`symbiosis._edit_state`)."""
    if network.history is network or edited is network:
        return edited
    return edited.with_warnings(edited.warnings, history=network.history)


def _with_firm_of(edit: ed.Edit, network: FlowNetwork, file: str) -> FlowNetwork:
    """After a refused ``[[add_firm]]`` (a bad role, a coordinate), the network with its
    id alone, so that the tables naming the new firm are checked, not refused again."""
    if not isinstance(edit, ed.AddFirm):
        return network
    try:
        return ed.apply(network, [ed.AddFirm(edit.id)], file=file)
    except InputError:  # the id itself is what was wrong
        return network


def _edit_problem(
    problem: Problem, scenario: Scenario, network: FlowNetwork, before: FlowNetwork
) -> Problem:
    """``problem`` at its line; an unknown firm that ``before`` (the network the scenario
    edits) has was removed by an earlier table, and is said so; else a close id."""
    located = _relocate(problem, scenario.file, scenario.places, {})
    if located.message.endswith("'") and "unknown firm '" in located.message:
        name = located.message.rsplit("unknown firm '", 1)[1][:-1]
        if _had(name, before, scenario):
            head = located.message.rsplit("unknown firm '", 1)[0]
            return replace(located, message=f"{head}{_REMOVED.format(name)}", hint=_REMOVED_HINT)
        close = name_hint(network, name) or suggest(name, network.firms.index)
        if close:
            return replace(located, hint=f"{close.strip()[1:-1]}; check the id in firms.csv")
    return located


_REMOVED = "firm '{}' was removed by an earlier table of this scenario"
_REMOVED_HINT = "drop this table, or the one that removes the firm"


def _had(firm: str, before: FlowNetwork, scenario: Scenario) -> bool:
    """Whether ``firm`` was there before the scenario, or one of its tables adds it."""
    added = (e.id for e in scenario.edits if isinstance(e, ed.AddFirm))
    return firm in before.firms.index or firm in added


def _check_shock(
    shock: SupplyShock, scenario: Scenario, network: FlowNetwork, before: FlowNetwork
) -> Problem | None:
    number = int(shock.where.rsplit("#", 1)[1]) if "#" in shock.where else 1

    def at(key: str) -> int | None:
        return _line(scenario.places, {}, SHOCK_TABLE, number, key)

    if shock.firm not in network.firms.index and _had(shock.firm, before, scenario):
        said = f"[[shock]] #{number}: {_REMOVED.format(shock.firm)}"
        return Problem(scenario.file, at("firm"), "firm", said, _REMOVED_HINT)
    if shock.firm not in network.firms.index:
        close = (name_hint(network, shock.firm) or suggest(shock.firm, network.firms.index)).strip()
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
    require_network(network)
    options = checked_options(options)
    if isinstance(scenarios, str | Path | Scenario):  # one, not a sequence of characters
        scenarios = [scenarios]
    if not isinstance(scenarios, Iterable):
        raise InputError(
            f"scenarios must be a list of Scenario objects or scenario files (got "
            f"{type(scenarios).__name__})"
        )
    problems: list[Problem] = []
    parsed: list[Scenario] = []
    found: dict[int, list[Problem]] = {}  # the problems of each file, by its place in parsed
    for item in scenarios:
        if not isinstance(item, Scenario | str | Path):
            problems.append(Problem("scenarios", None, None, f"holds a {type(item).__name__}",
                                    "give Scenario objects or scenario files"))  # fmt: skip
            continue
        scenario, known = (item, []) if isinstance(item, Scenario) else load_scenario(item)
        if scenario is None:
            problems.extend(known)
            continue
        found[len(parsed)] = known
        parsed.append(scenario)
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
    notes: list[str] = []
    for i, scenario in enumerate(parsed):
        # A file with problems is still applied as far as it is well formed: all the
        # problems of a file are reported together, in the order of its lines.
        try:
            afters[scenario.name], found_notes = _applied(network, scenario)
            notes.extend(found_notes)
        except InputError as exc:
            found[i] = [*found[i], *exc.problems]
        problems.extend(by_line(found[i]))
    if problems:
        raise InputError(problems)
    comparison = compare_networks(
        network, afters, options=options, scenarios={s.name: s for s in parsed}
    )
    return replace(comparison, warnings=tuple(notes))
