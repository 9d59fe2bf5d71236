"""Loading a network: the tables read (:mod:`~symbiosis.io.reading`, :mod:`~symbiosis.io.\
sources`), checked by every rule (:mod:`~symbiosis.io.firms`, :mod:`~symbiosis.io.flows`) and
built into a :class:`~symbiosis.model.FlowNetwork` (:mod:`~symbiosis.io.validating`, the
stage after reading). The package's docstring
(:mod:`symbiosis.io`) describes the pipeline; its names are this module's.
"""

from __future__ import annotations

import functools
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from .._memory import return_freed_memory
from .._year_notes import year_taken
from ..arguments import Arguments
from ..errors import InputError, Problem, SymbiosisWarning
from ..model import DERIVED_FIRM_COLUMNS, DERIVED_FLOW_COLUMNS, YEAR_OF_SEVERAL, FlowNetwork
from .firms import FIRM_REQUIRED
from .flows import FLOW_REQUIRED
from .folders import resolve_tables, resolved
from .graphs import graph_tables
from .headers import header_problem, swapped_problem, table_header_problem
from .reading import Table, read_table
from .sources import (
    binary_kind,
    container_columns,
    container_names,
    frame_table,
    is_graph,
    is_table,
    named_like,
    read_excel,
    read_parquet,
    read_sqlite,
)
from .validating import _validated

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["TableSource", "from_dict", "from_frames", "from_graph", "load", "validate_frames"]


#: What :func:`load` takes as a table: a path (CSV, Parquet, Excel), a pandas or polars
#: frame, a pyarrow Table or anything with ``__arrow_c_stream__``.
TableSource = str | Path | Any


#: The warning of :func:`from_graph` on the graph of a year cut from a network of several.
YEAR_NOT_CARRIED = (
    "graph: is one year cut from a network of several years (select_year); a graph does not "
    "carry the flows of the other years (FlowNetwork.history), so its report has no trends: "
    "keep the network itself, pickle it or save it with to_dict, or take the graph of every year"
)


def validate_frames(
    firms: Any,
    flows: Any,
    *,
    firms_name: str = "firms",
    flows_name: str = "flows",
) -> FlowNetwork:
    """Validate in-memory tables and build a network: pandas frames (any dtype backend),
    polars frames, pyarrow Tables (see :mod:`~symbiosis.io.sources` for how cells become
    text and rows are numbered). The rules are those of :func:`load`, and so is the limit
    of :data:`MAX_COLUMNS` columns. O(cells) hashing plus one conversion per distinct
    value of a typed column."""
    tables: list[Table | None] = []
    problems: list[Problem] = []
    for kind, name, frame, derived in (
        ("firms", firms_name, firms, DERIVED_FIRM_COLUMNS),
        ("flows", flows_name, flows, DERIVED_FLOW_COLUMNS),
    ):
        table = None
        try:
            table = None if frame is None else frame_table(name, frame, derived)
        except InputError as exc:
            problems.extend(exc.problems)
        swapped = None if table is None else swapped_problem(name, kind, table.names, file=False)
        if swapped is not None:
            problems.append(swapped)
            table = None
        tables.append(table)
    return _validated(tables[0], tables[1], problems, ())


def from_frames(firms: Any, flows: Any) -> FlowNetwork:
    """Validate in-memory tables with the same rules as the CSV files and build a
    :class:`~symbiosis.model.FlowNetwork` (``firms`` may be ``None``: nodes are then
    inferred from the flow endpoints). Takes pandas frames of any dtype backend, polars
    frames and pyarrow Tables, and the model's own :attr:`~FlowNetwork.firms` and
    :attr:`~FlowNetwork.flows` fed back. Raises :class:`~symbiosis.errors.InputError`
    listing every problem. Each data warning is also issued as a
    :class:`~symbiosis.errors.SymbiosisWarning`, as :func:`load` does. O(rows)."""
    network = validate_frames(firms, flows)
    for text in network.warnings:
        warnings.warn(text, SymbiosisWarning, stacklevel=2)
    return network


def from_graph(graph: nx.Graph) -> FlowNetwork:
    """:meth:`FlowNetwork.from_graph <symbiosis.model.FlowNetwork.from_graph>`: nodes are
    firms, edges flows, the rules of :func:`load`; its warnings not issued (the method
    and :func:`load` issue them at their caller). O(nodes + edges)."""
    notes: list[str] = []
    firms, flows = graph_tables(graph, notes)
    if graph.graph.get(YEAR_OF_SEVERAL):
        notes.append(YEAR_NOT_CARRIED)
    return _validated(firms, flows, [], (), notes=tuple(notes))


def from_dict(data: dict[str, Any]) -> FlowNetwork:
    """:meth:`FlowNetwork.from_dict <symbiosis.model.FlowNetwork.from_dict>`. O(rows)."""
    if not isinstance(data, dict) or not isinstance(data.get("flows"), list):
        raise InputError("not a network's data: expected a dict with a 'flows' list of records")
    if not data["flows"]:  # a network whose every flow an edit removed: nothing to check
        raise InputError(
            "the network's data holds no flows (its 'flows' list is empty); a network is "
            "read from at least one flow: keep one, or save the network before the edits "
            "that removed them all"
        )
    firms, history = data.get("firms"), data.get("history")
    network = _recorded(firms, data["flows"], data)
    if isinstance(history, dict) and isinstance(history.get("flows"), list):
        # a year cut from several (FlowNetwork.history): the network of every year, its
        # warnings kept, not issued (to_dict wrote them; the year's own say which year)
        every = _recorded(firms, history["flows"], {**data, **history}, "history flows")
        network.__dict__["_history"] = every
    elif (lost := history_lost(network.warnings)) is not None:
        network.__dict__["warnings"] = (*network.warnings, lost)
    return network


def history_lost(warnings: tuple[str, ...]) -> str | None:
    """The warning of the data of a year cut from several (its note among ``warnings``:
    :func:`~symbiosis._year_notes.year_taken`) saved without the flows of every year, as
    ``to_dict`` wrote it before it kept a year's ``history``: its report has no trends.
    None for other data (a network never cut has no note) and when ``warnings`` hold it
    already (a network read so and saved again). O(warnings)."""
    taken = year_taken(warnings)
    if taken is None:
        return None
    year, years = taken
    lost = (
        f"network data: is the year {year} cut from flows of {len(years)} years "
        f"({years[0]}-{years[-1]}), saved before to_dict kept the flows of every year (its "
        "'history': the data predates year histories), so its report has no trends: load "
        "the flows of every year again and take the year with select_year"
    )
    return None if lost in warnings else lost


def _recorded(
    firms: Any, flows: list[Any], data: dict[str, Any], flows_name: str = "flows"
) -> FlowNetwork:
    """The network of these records, validated (problems located in ``flows_name``), with
    the warnings and source files of ``data`` (validation names the tables, not the
    files). O(rows)."""
    tables = [
        None
        if records is None
        else frame_table(name, pd.DataFrame.from_records(records), derived, own=True)
        for name, records, derived in (
            ("firms", firms, DERIVED_FIRM_COLUMNS),
            (flows_name, flows, DERIVED_FLOW_COLUMNS),
        )
    ]
    network = _validated(tables[0], tables[1], [], ())
    state = {
        **network.__dict__,
        "warnings": tuple(map(str, data.get("warnings", network.warnings))),
        "source_files": tuple(Path(p) for p in data.get("source_files", ())),
    }
    return _restore_network(state)


def _restore_network(state: dict[str, Any]) -> FlowNetwork:
    """A network of its state (see ``FlowNetwork.__reduce__``), as it is. O(1)."""
    network = FlowNetwork.__new__(FlowNetwork)
    network.__dict__.update(state)
    return network


def unpickled(state: dict[str, Any]) -> FlowNetwork:
    """A network unpickled (``FlowNetwork.__reduce__``, through the package's hook). A
    year cut from several pickled before a year kept its history (no ``_history``, the
    note of the year taken among its warnings) gets the warning that :func:`from_dict`
    gives the same data as JSON (:func:`history_lost`): kept among its warnings and
    issued as a :class:`~symbiosis.errors.SymbiosisWarning` at the caller of
    :func:`pickle.loads`. Pickled again, the warning is kept as the others are, not
    issued again (a pickle issues none of the warnings it holds). O(warnings)."""
    network = _restore_network(state)
    if "_history" not in state and (lost := history_lost(network.warnings)) is not None:
        network.__dict__["warnings"] = (*network.warnings, lost)
        warnings.warn(lost, SymbiosisWarning, stacklevel=3)  # past the package's hook
    return network


def load(
    source: TableSource | nx.Graph | None = None,
    flows: TableSource | None = None,
    *,
    firms: TableSource | None = None,
    firms_sheet: str = "firms",
    flows_sheet: str = "flows",
    warn: bool = True,
) -> FlowNetwork:
    """Load and validate a network from any source, with the same rules and the same
    located problems for each:

    - ``load("folder")``: ``firms.csv`` and ``flows.csv`` in it;
    - ``load("flows.csv")`` (or ``.parquet``): the flows (``firms.csv`` beside it is used if
      present); ``load("firms.csv", "flows.csv")`` or ``load(firms=..., flows=...)``;
    - ``load("network.xlsx")``: the workbook's sheets ``firms`` (optional) and ``flows``, or
      those named by ``firms_sheet`` and ``flows_sheet`` (needs ``openpyxl``);
      ``load("network.sqlite")``: the database's tables of these names;
    - ``load(flows_frame)``, ``load(firms_frame, flows_frame)``: pandas frames (any dtype
      backend), polars frames, pyarrow Tables, in any mix with paths;
    - ``load(graph)``: a directed networkx graph (:meth:`FlowNetwork.from_graph`).

    Returns a :class:`~symbiosis.model.FlowNetwork`; raises
    :class:`~symbiosis.errors.InputError` listing every problem in both tables.
    Input files are only read, never modified. Each data warning of the network
    (:attr:`FlowNetwork.warnings`) is also issued as a
    :class:`~symbiosis.errors.SymbiosisWarning` through :func:`warnings.warn`; with
    ``warn=False`` they are only kept there (the command line prints them itself). O(rows).
    """
    check = Arguments()
    check.instance("firms_sheet", firms_sheet, str, none=False, what="text (a sheet or table name)")
    check.instance("flows_sheet", flows_sheet, str, none=False, what="text (a sheet or table name)")
    warn = check.flag("warn", warn)
    check.check()
    network = _load(source, flows, firms=firms, firms_sheet=firms_sheet, flows_sheet=flows_sheet)
    for text in network.warnings if warn else ():
        warnings.warn(text, SymbiosisWarning, stacklevel=2)
    return network


def _memory_returned(read: Callable[..., FlowNetwork]) -> Callable[..., FlowNetwork]:
    """``read``, then the memory its buffers held given back (160 MB at a million flows):
    once they are out of scope, so after the call."""

    @functools.wraps(read)
    def reading(*args: Any, **kwargs: Any) -> FlowNetwork:
        network = read(*args, **kwargs)
        return_freed_memory()
        return network

    return reading


@_memory_returned
def _load(
    source: TableSource | nx.Graph | None = None,
    flows: TableSource | None = None,
    *,
    firms: TableSource | None = None,
    firms_sheet: str = "firms",
    flows_sheet: str = "flows",
) -> FlowNetwork:
    """:func:`load`, without issuing the warnings (``symbiosis.notebook`` issues them from
    the cell)."""
    if source is not None and not is_table(source) and is_graph(source):
        if flows is not None or firms is not None:
            raise InputError("a graph holds both firms and flows: give it alone")
        return from_graph(source)
    if isinstance(source, str | Path):
        path = Path(source)
        kind = binary_kind(path) if path.is_file() else None
        if kind in ("excel", "sqlite"):
            if flows is not None or firms is not None:
                raise InputError(f"{path} holds both tables: name its sheets, not other files")
            return _load_container(path, kind, firms_sheet, flows_sheet)
        firms, flows = resolve_tables(path, firms, flows)
    elif source is not None:
        if flows is None:
            flows = source
        elif firms is not None:
            raise InputError("firms given twice: as the first argument and as firms=")
        else:
            firms = source
    if flows is None:
        raise InputError("no flows given; pass a folder, a flows file or a flows table")
    problems: list[Problem] = []
    tables: list[Table | None] = []
    for given, name, sheet, derived in (
        (firms, "firms", firms_sheet, DERIVED_FIRM_COLUMNS),
        (flows, "flows", flows_sheet, DERIVED_FLOW_COLUMNS),
    ):
        table = None
        try:
            table = None if given is None else _table(given, name, sheet, derived)
        except InputError as exc:
            header = _header_problem(given, name, None)
            problems.extend(exc.problems if header is None else [header])
        else:
            header = _header_problem(given, name, table)
            if header is not None:
                problems.append(header)
                table = None
        tables.append(table)
    files = tuple(resolved(Path(t)) for t in (firms, flows) if isinstance(t, str | Path))
    return _validated(tables[0], tables[1], problems, files)


def _table(given: Any, name: str, sheet: str, derived: dict[str, str]) -> Table:
    """One table from a path (CSV, Parquet, one sheet of a workbook) or an in-memory
    table."""
    if not isinstance(given, str | Path):
        return frame_table(name, given, derived)
    path = Path(given)
    kind = binary_kind(path) if path.is_file() else None
    if kind == "parquet":
        return read_parquet(path, str(path))
    if kind in ("excel", "sqlite"):
        reader = read_excel if kind == "excel" else read_sqlite
        table = reader(path, str(path), [sheet])[0]
        assert table is not None
        return table
    return read_table(path, collect=True)  # its refused rows said with the rules' problems


def _header_problem(given: Any, name: str, table: Table | None) -> Problem | None:
    """For a CSV file whose first line names none of the columns its table needs (the
    other table, a title above the header, or no such table at all): the one problem to
    say about it (:mod:`~symbiosis.io.headers`). ``table``: the table read (None when
    the file was refused). O(1) for a table read with its header."""
    if not isinstance(given, str | Path):
        return None
    required = FLOW_REQUIRED if name == "flows" else FIRM_REQUIRED
    if table is not None and any(column in table.names for column in required):
        return None
    if table is not None and (swapped := swapped_problem(table.path, name, table.names)):
        return swapped
    path = Path(given)
    if not path.is_file() or binary_kind(path):
        return None
    shown = str(given) if table is None else table.path
    readable = table is not None and not table.read_problems  # no row refused in reading
    return header_problem(path, shown, name, required, readable=readable)


def _load_container(path: Path, kind: str, firms_name: str, flows_name: str) -> FlowNetwork:
    """Both tables from the sheets of a workbook or the tables of an SQLite database; the
    default ``firms`` may be absent (nodes are then inferred from the flows). Where no
    sheet bears a default name, the one sheet whose columns are that table's is read
    (:func:`_by_columns`), and a warning says which."""
    names = container_names(path, kind)
    notes: list[str] = []
    columns = functools.cache(lambda: container_columns(path, kind, sorted(names)))  # once
    flows_name = _by_columns(path, kind, names, columns, flows_name, "flows", FLOW_REQUIRED,
                             notes)  # fmt: skip
    rest = names - {flows_name}
    firms_name = _by_columns(path, kind, rest, columns, firms_name, "firms", FIRM_REQUIRED,
                             notes)  # fmt: skip
    absent = named_like(firms_name, names) not in names
    wanted_firms = None if firms_name == "firms" and absent else firms_name
    reader = read_excel if kind == "excel" else read_sqlite
    firms, flows = reader(path, str(path), [wanted_firms, flows_name])
    assert flows is not None
    problems = [
        problem
        for table, required in ((firms, FIRM_REQUIRED), (flows, FLOW_REQUIRED))
        if table is not None and (problem := table_header_problem(table, required))
    ]
    if problems:  # a title above a header: said once, not as every column missing
        firms, flows = (
            None if t is not None and t.path in {p.file for p in problems} else t
            for t in (firms, flows)
        )
    return _validated(firms, flows, problems, (path.resolve(),), notes=tuple(notes))


def _by_columns(path: Path, kind: str, names: set[str],
                columns: Callable[[], dict[str, set[str]]], name: str, default: str,
                required: tuple[str, ...], notes: list[str]) -> str:  # fmt: skip
    """``name``, or, when it is the ``default`` and no sheet (table) bears it, the one
    sheet among ``names`` whose first row holds every ``required`` column and not all of
    the flows' (a firms sheet may have no more than an id), said in ``notes``. Two or
    none such: ``name``, and the reader says it is missing. O(sheets), their first rows."""
    if name != default or named_like(name, names) in names:
        return name
    heads = columns()  # every sheet's first row, read once for both tables
    fit = [sheet for sheet in sorted(names) if set(required) <= heads.get(sheet, set())
           and (required == FLOW_REQUIRED or not set(FLOW_REQUIRED) <= heads[sheet])]  # fmt: skip
    if len(fit) != 1:
        return name
    what = "sheet" if kind == "excel" else "table"
    notes.append(f"{path}: no {what} is named '{default}': the {what} '{fit[0]}' is read as the "
                 f"{default}, as it has their columns")  # fmt: skip
    return fit[0]
