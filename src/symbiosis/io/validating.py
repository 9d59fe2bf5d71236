"""Validating the tables :mod:`~symbiosis.io.loading` has read: every rule of the firms
(:mod:`~symbiosis.io.firms`) and the flows (:mod:`~symbiosis.io.flows`) applied, every
problem raised together, and the network built (:mod:`~symbiosis.io.building`) when there
is none. On a large flows table the firm ids are looked up on one thread while the flows'
other columns are checked on another (:func:`_looked_up`).

Complexity: O(rows), vectorised on Arrow arrays.
"""

from __future__ import annotations

import functools
from pathlib import Path

import numpy as np
import pandas as pd

from .._threads import side_by_side, worth_threads
from ..errors import InputError, Problem
from ..model import FlowNetwork
from .building import build_core
from .columns import check_columns, invisible_in_header, positions_in
from .firms import Firms, check_firms, firms_from_flows
from .flows import (
    FLOW_COLUMNS,
    FLOW_REQUIRED,
    FlowColumns,
    Flows,
    check_flow_columns,
    check_flows,
)
from .header_names import read_as_english
from .ids import normalise_ids
from .problems import Collector, in_row_order
from .reading import Table
from .sources import relabel
from .stray_rows import unused_firms
from .text_files import read_as_warnings

__all__: list[str] = []


def _validated(
    firms: Table | None,
    flows: Table | None,
    problems: list[Problem],
    files: tuple[Path, ...],
    *,
    notes: tuple[str, ...] = (),
) -> FlowNetwork:
    """Build the network, or raise every problem: those of reading and, when the flows
    were read, what the rules find in the readable tables; rows relabelled for in-memory
    tables. ``notes``: warnings of the reading, the network's first ones. Headers in
    Chinese are read as the English columns first (:mod:`~symbiosis.io.header_names`)."""
    for table, what in ((firms, "firms"), (flows, "flows")):
        if table is not None:
            read_as_english(table, what)
    if not problems and flows is not None:
        try:
            return _build(firms, flows, source_files=files, notes=notes)
        except InputError as exc:
            raise InputError(relabel(in_row_order(exc.problems), (firms, flows))) from None
    if flows is not None:
        try:
            _build(firms, flows, source_files=())
        except InputError as exc:
            problems.extend(p for p in exc.problems if p.file == flows.path)
    elif firms is not None:
        found = Collector(problems=list(firms.read_problems))
        found.skip(firms.path, firms.refused_rows)
        normalise_ids(firms, found)
        check_firms(firms, found)
        problems[:0] = found.problems
    if flows is None and not problems:  # said nothing: from_frames(None, None) was "invalid input"
        raise InputError(
            "no flows given; pass the flows as a table (a pandas or polars frame, a pyarrow "
            "Table), the firms too or None"
        )
    raise InputError(relabel(in_row_order(problems), (firms, flows)))


def _build(
    firms_table: Table | None,
    flows_table: Table,
    *,
    source_files: tuple[Path, ...],
    notes: tuple[str, ...] = (),
) -> FlowNetwork:
    found = Collector()
    found.warnings.extend(notes)
    for table in (firms_table, flows_table):
        found.warnings.extend(read_as_warnings(table) if table is not None else ())
    for table in (firms_table, flows_table):
        if table is not None:
            normalise_ids(table, found)
            found.warnings.extend(invisible_in_header(table))
            found.warnings.extend(table.read_warnings)  # a hidden sheet read
            found.problems.extend(table.read_problems)  # a formula without a value ...
            found.skip(table.path, table.refused_rows)  # ... a row longer than the header
    positions, firms, columns, flows_found = _looked_up(firms_table, flows_table, found)
    if firms_table is None and "source" in flows_table and "target" in flows_table:
        found.warnings.append(
            "no firms file: every flow endpoint is a node; ids named after a role "
            "(market, landfill, air ...) are boundary nodes, the others firms"
        )
    flows = None
    if columns is not None or flows_found is None:
        flows = check_flows(
            flows_table,
            None if firms is None else firms.ids,
            found if flows_found is None else flows_found,
            firms_table.path if firms_table else "firms.csv",
            None if positions is None else (positions[1], positions[2]),
            columns,
            None if firms is None else firms.frame["name"],  # read only for an unknown id
        )
    if flows_found is not None:
        found.extend(flows_found)
    if firms is not None and flows is not None and firms_table is not None:
        unused_firms(firms_table, _used(len(firms.ids), flows), found)
    if found.problems or flows is None:  # no flows only with a problem saying why
        # the firms' first, as read, also when only the flows' file had rows refused
        raise InputError(sorted(found.problems, key=lambda p: p.file == flows_table.path))
    firm_frame = firms_from_flows(flows.nodes) if firms is None else firms.frame
    core = build_core(firm_frame, flows)
    found.warnings.extend(_boundary_warnings(core, flows.frame["row"], flows_table.path))
    return FlowNetwork.from_validated(
        firm_frame,
        flows.frame,
        warnings=tuple(found.warnings),
        source_files=source_files,
        core=core,
    )


def _used(count: int, flows: Flows) -> np.ndarray:
    """Mask of the firms (``count``, the nodes the flows were looked up in) that some
    flow joins. O(flows)."""
    used = np.zeros(count, dtype=bool)
    for at in (flows.source, flows.target):
        used[at[at >= 0]] = True
    return used


def _looked_up(
    firms: Table | None, flows: Table, found: Collector
) -> tuple[list[np.ndarray] | None, Firms | None, FlowColumns | None, Collector | None]:
    """The firm ids' positions (:func:`_positions`) and the firms checked
    (:func:`~symbiosis.io.firms.check_firms`, into ``found``; None without a firms
    table); on a large flows table, also the rules of its columns but the endpoints
    (:func:`check_flow_columns`), made meanwhile on a second thread: the id lookup is
    one hash table in Arrow, which holds no lock of the interpreter (at a million
    flows, the lookup and the firms 0.17 s beside the columns' 0.2 s). The flows'
    column check (:func:`~symbiosis.io.columns.check_columns`) runs first, into a
    collector of the flows' problems of their own (the fourth value; None when not
    run): merged after the firms' ones, the problems come in the same order as one
    after the other."""
    looking = functools.partial(_firms_looked_up, firms, flows, found)
    if not worth_threads(len(flows)) or _positions_unknown(firms, flows):
        return *looking(), None, None
    flows_found = Collector(skipped=dict(found.skipped))  # the rows refused by reading
    if not check_columns(flows, FLOW_REQUIRED, FLOW_COLUMNS, flows_found, "flows"):
        return *looking(), None, None  # check_flows says it all, with the columns present
    (positions, checked), columns = side_by_side(
        [looking, functools.partial(check_flow_columns, flows, flows_found.skipped)]
    )
    return positions, checked, columns, flows_found


def _firms_looked_up(
    firms: Table | None, flows: Table, found: Collector
) -> tuple[list[np.ndarray] | None, Firms | None]:
    """:func:`_positions`, then the firms checked with them (None without firms)."""
    positions = _positions(firms, flows)
    if firms is None:
        return positions, None
    return positions, check_firms(firms, found, None if positions is None else positions[0])


def _positions_unknown(firms: Table | None, flows: Table) -> bool:
    """Whether :func:`_positions` gives None (the tables lack their id columns)."""
    if firms is None or firms.names.count("id") != 1:
        return True
    return flows.names.count("source") != 1 or flows.names.count("target") != 1


def _positions(firms: Table | None, flows: Table) -> list[np.ndarray] | None:
    """:func:`~symbiosis.io.columns.positions_in` of the firm ids, for the ids themselves
    and the flows' endpoints, when both tables have these columns once: one hash table of
    the ids for the two files' rules."""
    if _positions_unknown(firms, flows):
        return None
    assert firms is not None
    return positions_in(firms.column("id"), flows.column("source"), flows.column("target"))


def _boundary_warnings(core, rows: pd.Series, path: str) -> list[str]:
    """Flows joining two boundary nodes lie outside the system: say so."""
    outside_only = ~core.source_is_actor & ~core.target_is_actor
    if not outside_only.any():
        return []
    first = int(rows.to_numpy()[outside_only][0])
    return [
        f"{path}: {int(outside_only.sum())} flow(s) join two boundary nodes (e.g. row {first}); "
        "they lie outside the system and no analysis counts them"
    ]
