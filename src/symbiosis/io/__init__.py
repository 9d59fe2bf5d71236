"""Reading and validating the input tables.

A network is a folder holding ``firms.csv`` and ``flows.csv`` (or the two files given
separately, or ``flows.csv`` alone). :func:`load` reads both, checks every rule, and returns
a :class:`~symbiosis.model.FlowNetwork`, or raises one :class:`~symbiosis.errors.InputError`
carrying every problem found, each located as ``file:row: column: what is wrong; what to
do``. Rows are numbered as a spreadsheet shows them: the header is row 1.
:func:`from_frames` (:func:`validate_frames`) applies the same rules to in-memory tables.

The pipeline, one module per stage:

- :mod:`~symbiosis.io.reading`: bytes to a :class:`Table` of text cells (encodings,
  separator sniffing, size, memory and width limits, pyarrow's reader, pandas' as fallback);
- :mod:`~symbiosis.io.problems`: the collector of located problems;
- :mod:`~symbiosis.io.columns` and :mod:`~symbiosis.io.numbers`: header checks, dictionary
  encoding, numeric cells;
- :mod:`~symbiosis.io.firms` and :mod:`~symbiosis.io.flows`: the rules of each file;
- :mod:`~symbiosis.io.quantities`: quantities converted to canonical units, within the range
  every analysis computes with;
- :mod:`~symbiosis.io.encoding` (bytes to text) and :mod:`~symbiosis.io.ids` (one Unicode
  form per id, no zero-width characters);
- :mod:`~symbiosis.io.building`: the network's columnar core from the validated codes.

When ``firms.csv`` is absent every flow endpoint becomes a node: an id that is a role
name or alias (``market``, ``landfill``, ``air`` ...) becomes a boundary node of that
role, every other id a ``firm``.

Complexity: O(rows) in the number of rows (O(cells) for the exact-repeat check), vectorised
on Arrow arrays; every distinct unit, role, category and material string is parsed once.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import InputError, Problem
from .building import build_core
from .columns import positions_in
from .firms import FIRM_COLUMNS, check_firms, firms_from_flows
from .flows import FLOW_COLUMNS, check_flows
from .ids import normalise_ids
from .problems import MAX_ROWS_PER_RULE, Collector
from .reading import MAX_COLUMNS, Table, read_table, text_table

__all__ = [
    "FIRM_COLUMNS",
    "FLOW_COLUMNS",
    "MAX_COLUMNS",
    "MAX_ROWS_PER_RULE",
    "Table",
    "from_frames",
    "load",
    "read_table",
    "validate_frames",
]


def validate_frames(
    firms: pd.DataFrame | None,
    flows: pd.DataFrame,
    *,
    firms_name: str = "firms",
    flows_name: str = "flows",
):
    """Validate in-memory tables (as from :func:`pandas.read_csv`) and build a network.

    Cells may be strings or numbers (a whole float is written as an integer, a missing value
    as an empty cell); the rules are those of :func:`load`, and so is the limit of
    :data:`MAX_COLUMNS` columns. O(cells) hashing plus one conversion per distinct value of
    a typed column.
    """
    tables = []
    problems = []
    for name, frame in ((firms_name, firms), (flows_name, flows)):
        if frame is None:
            tables.append(None)
            continue
        if frame.shape[1] > MAX_COLUMNS:
            problems.append(
                Problem(
                    name,
                    1,
                    None,
                    f"has {frame.shape[1]:,} columns; at most {MAX_COLUMNS:,} are read",
                    "keep the columns the network needs and move the others to a separate table",
                )
            )
            tables.append(None)
            continue
        columns = [
            (str(column).strip().lower(), _column_text(frame.iloc[:, i]))
            for i, column in enumerate(frame.columns)
        ]
        tables.append(text_table(name, columns, np.arange(2, len(frame) + 2)))
    if problems:
        raise InputError(problems)
    return _build(tables[0], tables[1], source_files=())


def from_frames(firms: pd.DataFrame | None, flows: pd.DataFrame):
    """Validate in-memory tables with the same rules as the CSV files and build a
    :class:`~symbiosis.model.FlowNetwork` (``firms`` may be ``None``: nodes are then
    inferred from the flow endpoints). Raises :class:`~symbiosis.errors.InputError`
    listing every problem. O(rows)."""
    return validate_frames(firms, flows)


def _cell_text(value: object) -> str:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return repr(value) if isinstance(value, float) else str(value)


def _column_text(column: pd.Series) -> np.ndarray:
    """The cells of a user column as stripped text (an object array of str).

    A column of one type is converted once per distinct value; an object column may mix
    types that hash alike (``1``, ``1.0``, ``True``), so it is converted cell by cell.
    """
    if column.dtype == object:
        return np.array([_cell_text(v).strip() for v in column.to_numpy()], dtype=object)
    codes, uniques = pd.factorize(column, use_na_sentinel=False)
    texts = np.array([_cell_text(v).strip() for v in uniques], dtype=object)
    return texts[codes]


def _resolve(path: str | Path | None, firms: str | Path | None, flows: str | Path | None):
    if path is not None:
        path = Path(path)
        if path.is_dir():
            flows = flows or path / "flows.csv"
            firms = firms or (path / "firms.csv" if (path / "firms.csv").exists() else None)
            if not Path(flows).exists():
                raise InputError(
                    Problem(
                        str(path),
                        None,
                        None,
                        "holds no flows.csv",
                        "a network folder needs flows.csv (and usually firms.csv)",
                    )
                )
        else:
            flows = flows or path
            sibling = path.parent / "firms.csv"
            if firms is None and sibling.exists() and sibling != path:
                firms = sibling
    if flows is None:
        raise InputError("no flows file given; pass a folder or a flows.csv file")
    return (Path(firms) if firms else None), Path(flows)


def load(
    path: str | Path | None = None,
    *,
    firms: str | Path | None = None,
    flows: str | Path | None = None,
):
    """Load and validate a network: a folder with ``firms.csv`` and ``flows.csv``, a
    flows file (``firms.csv`` beside it is used if present), or the two files by name.

    Returns a :class:`~symbiosis.model.FlowNetwork`; raises
    :class:`~symbiosis.errors.InputError` listing every problem in both files.
    Input files are only read, never modified. O(rows).
    """
    firms_path, flows_path = _resolve(path, firms, flows)
    problems: list[Problem] = []
    tables: list[Table | None] = []
    for file in (firms_path, flows_path):
        if file is None:
            tables.append(None)
            continue
        try:
            tables.append(read_table(file))
        except InputError as exc:
            problems.extend(exc.problems)
            tables.append(None)
    if problems:  # still report what is wrong in the readable file
        if tables[1] is not None:
            try:
                _build(tables[0], tables[1], source_files=())
            except InputError as exc:
                problems.extend(p for p in exc.problems if p.file == tables[1].path)
        elif tables[0] is not None:
            found = Collector()
            normalise_ids(tables[0], found)
            check_firms(tables[0], found)
            problems[:0] = found.problems
        raise InputError(problems)
    sources = tuple(p.resolve() for p in (firms_path, flows_path) if p is not None)
    return _build(tables[0], tables[1], source_files=sources)


def _build(firms_table: Table | None, flows_table: Table, *, source_files):
    from ..model import FlowNetwork

    found = Collector()
    for table in (firms_table, flows_table):
        if table is not None:
            normalise_ids(table, found)
    firms = None
    positions = _positions(firms_table, flows_table)
    if firms_table is not None:
        firms = check_firms(firms_table, found, None if positions is None else positions[0])
    elif "source" in flows_table and "target" in flows_table:
        found.warnings.append(
            "no firms file: every flow endpoint is a node; ids named after a role "
            "(market, landfill, air ...) are boundary nodes, the others firms"
        )
    flows = check_flows(
        flows_table,
        None if firms is None else firms.ids,
        found,
        firms_table.path if firms_table else "firms.csv",
        None if positions is None else positions[1:],
    )
    if found.problems:
        raise InputError(found.problems)
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


def _positions(firms: Table | None, flows: Table) -> list[np.ndarray] | None:
    """:func:`~symbiosis.io.columns.positions_in` of the firm ids, for the ids themselves
    and the flows' endpoints, when both tables have these columns once: one hash table of
    the ids for the two files' rules."""
    if firms is None or firms.names.count("id") != 1:
        return None
    if flows.names.count("source") != 1 or flows.names.count("target") != 1:
        return None
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
