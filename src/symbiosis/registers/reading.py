"""Read shipment registers: check every row inside the engine, sum the good ones per year.

:func:`read_registers` runs, per file, two queries of :mod:`.aggregate`: the distinct unit
spellings (each parsed once by :mod:`symbiosis.units`), then the yearly sums with the bad
rows counted in one group. A register with bad rows is read again, once per failing check,
for the first rows to name, and every problem of every file is raised at once as
:class:`~symbiosis.errors.InputError` (``file:row: column: what is wrong; what to do``,
at most :data:`~symbiosis.io.problems.MAX_ROWS_PER_RULE` rows per check, the rest counted;
the rows of one reason said once, :mod:`.row_problems`), with the rows the engine refused
to read (:mod:`.refused`) first. Rows are numbered as a spreadsheet shows them: the
engine's numbers skip blank lines and refused rows, which :func:`~.files.spreadsheet_rows`
puts back. A stated role that is not one is located at the first row stating it (one more
scan, only then). A valid register is scanned once more for the shipments it holds twice
(:mod:`.repeats`: a consignment number repeated is counted once, rows alike are said).

Complexity: O(n) for n shipment rows (three or four scans on a valid register), memory
O(g) for g groups of the result, but O(n) for the scan of :mod:`.repeats` (one group per
distinct row or consignment number, spilled to disk by DuckDB).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import pyarrow as pa

from ..errors import InputError, Problem
from ..io.problems import rows_like_above
from ..vocabulary import canonical_role
from .aggregate import KEYS, NAMES, field_text, grouped, shipments, single, standard, yearly_flows
from .china import china_notes, is_chinese
from .code_page import read_as_warning
from .codes import formatted, low_list
from .engines import Engine, connect, unreadable
from .fields import is_e_manifest, unit_factor
from .files import blank_rows, is_parquet, repeated_files, spreadsheet_rows
from .mapping import REQUIRED, Mapping
from .names import counted_names
from .notes import star_notes
from .refused import LONG_HINT, refused_rows, tail_rows
from .repeats import first_of_each, numbered, repeat_notes, row_numbers
from .row_problems import check_problems, said_once

if TYPE_CHECKING:
    import ibis.expr.types as ir

__all__ = ["RegisterFlows", "in_row_order", "read_registers"]

_ROLE_HINT = "use firm, recycling, treatment, utility, disposal, ... (README: roles)"


@dataclass
class _File:
    """A register file as read: its shipments' rows (:func:`.aggregate.shipments`), its
    fields' columns, and the rows the engine skipped (refused, as a spreadsheet numbers
    them), to name its rows."""

    path: Path
    rows: Any = None
    fields: dict[str, str | None] = dataclasses.field(default_factory=dict)
    skipped: np.ndarray = dataclasses.field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    index: int = 0
    names: pd.DataFrame | None = None
    notes: list[str] = dataclasses.field(default_factory=list)  # warnings of reading it

    @property
    def china(self) -> bool:
        """Whether China's operation codes are read (:mod:`.china`)."""
        return is_chinese(self.fields.get("operation"))


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
    names: pd.DataFrame | None = None
    """The rows per firm ``id`` and ``name`` (:func:`.names.counted_names`)."""


def read_registers(
    files: Sequence[Path],
    mapping: Mapping,
    engine: Engine,
    *,
    progress: Callable[[str], None] | None = None,
) -> RegisterFlows:
    """Read, check and sum the register ``files`` on ``engine`` (see the module docstring);
    ``progress`` is called with ``reading NAME`` as each file's scan starts.

    Raises InputError with every problem of every file when any row is bad, and when a
    file is named twice (its shipments would count twice).
    """
    paths = [Path(path) for path in files]
    problems: list[Problem] = repeated_files(paths)
    repeated = {p.file for p in problems}
    parts: list[pa.Table] = []
    read: list[_File] = []
    for path in paths:
        if str(path) in repeated and any(f.path == path for f in read):
            continue
        file = _File(path, index=len(read))
        read.append(file)
        if progress is not None:
            progress(f"reading {path.name}")
        try:
            file_problems, part = _read_one(file, mapping, engine)
        except InputError as exc:  # a file that cannot be read, or lacks a column
            file_problems, part = exc.problems, None
        problems += file_problems
        if part is not None:
            parts.append(part)
    if problems:
        raise InputError(in_row_order(problems, paths))
    if not parts:
        raise InputError("no register file given")
    table = _combined(parts)
    wrong = _wrong_roles(table)
    if wrong:
        raise InputError(in_row_order(_role_problems(wrong, read, mapping, engine), paths))
    warnings = (
        tuple(read_as_warning(p) for p in engine.read_as)
        + tuple(note for f in read for note in f.notes)
        + _unlisted_codes(table)
    )
    counted = [f.names for f in read if f.names is not None]
    names = pd.concat(counted, ignore_index=True) if counted else None
    shipped = int(pa.compute.sum(table["shipments"]).as_py() or 0)
    return RegisterFlows(table, shipped, warnings, names)


def in_row_order(problems: list[Problem], paths: Sequence[Path]) -> list[Problem]:
    """``problems`` by file (in the order the files were given), and in each file by row
    (the checks of one row in the order of the fields), then the problems of no row in
    the order they were found (the counts of further rows, "more rows cannot be read
    after row ..."). A stable sort: O(p log p)."""
    order = {str(path): index for index, path in enumerate(paths)}

    def key(problem: Problem) -> tuple[int, int, int]:
        numbered = isinstance(problem.row, int)
        row = problem.row if isinstance(problem.row, int) else 0
        return order.get(problem.file, len(order)), 0 if numbered else 1, row

    return sorted(problems, key=key)


def _read_one(
    file: _File, mapping: Mapping, engine: Engine
) -> tuple[list[Problem], pa.Table | None]:
    if engine.name != "duckdb" and not is_parquet(file.path):
        problems = _structure_problems(file.path)
        if problems:
            return problems, None
    table = engine.read(file.path, skip_empty=_fills_every_field(mapping))
    file.fields = mapping.resolve(list(table.columns), str(file.path))
    try:
        return _checked(file, table, mapping, engine)
    except engine.input_errors as exc:  # the file is parsed as the queries read it
        raise InputError(unreadable(file.path, exc)) from None


def _fills_every_field(mapping: Mapping) -> bool:
    """Whether the mapping's defaults fill every required field: a row of empty fields
    would pass every check, so such rows are left out as the file is read. Otherwise they
    fail a check, and the file is read again without them only then (:func:`_checked`):
    the rows of a valid register are not tested for them."""
    return all(name in mapping.defaults for name in REQUIRED)


def _checked(
    file: _File, table: ir.Table, mapping: Mapping, engine: Engine
) -> tuple[list[Problem], pa.Table | None]:
    """The problems of the rows of ``table``, or its summed groups (:func:`_read_one`):
    the rows the engine refused, then those failing a check. Rows of empty fields
    (``,,,,,,``, which Excel writes for formatted empty rows) are blank lines: a file
    whose rows fail a check and has such rows is read again without them."""
    path, fields = file.path, file.fields
    units = _units(table, fields, mapping, engine)
    factors = {text: factor for text, (factor, _) in units.items() if factor is not None}
    decimal_comma = engine.separator(path) not in (None, ",")
    local_time = engine.local_time(path, fields.get("date"))
    consignment = fields.get("consignment")
    table = numbered(table) if consignment is not None else table
    counted = first_of_each(table, consignment) if consignment is not None else table
    file.rows = shipments(counted, fields, mapping.defaults, factors, decimal_comma, local_time,
                          mapping.dayfirst)  # fmt: skip
    clean = standard(engine.materialize(grouped(file.rows)), mapping.defaults, engine.materialize,
                     file.china)  # fmt: skip
    groups = engine.run(yearly_flows(clean))
    refused = refused_rows(engine, path)  # the queries above read every row
    file.skipped = refused.skipped
    if not refused.complete:
        return said_once(refused.problems), None
    bad = groups["bad"].to_numpy(zero_copy_only=False).astype(bool)
    if bad.any() and str(path) not in engine.skipping_empty and len(engine.empty_rows(path)):
        return _checked(file, engine.read(path, skip_empty=True), mapping, engine)
    tails, tail_count = tail_rows(engine, path)
    if groups.num_rows == 0 and not refused.problems and not tail_count:
        hint = "give a file with a header row and one row per shipment"
        return [Problem(str(path), None, None, "no shipment rows", hint)], None
    if not bad.any() and not refused.problems and not tail_count:
        file.names = counted_names(engine, clean, file.rows, file.index)
        file.notes += china_notes(engine, clean, path) if file.china else []
        file.notes += star_notes(engine, clean, path)
        file.notes += repeat_notes(engine, table, fields, path,
                                   lambda rows: _spreadsheet(engine, file, rows))  # fmt: skip
        return [], groups.drop_columns(["bad"])
    problems = _tail_problems(engine, path, tails, tail_count)
    if bad.any():
        reasons = {text: reason for text, (_, reason) in units.items()}
        problems += check_problems(engine, clean, file, mapping, reasons)
    return said_once(refused.problems + _renumbered(engine, file, problems)), None


def _structure_problems(path: Path) -> list[Problem]:
    """The rows of the CSV file ``path`` that DuckDB's strict reading refuses (a row of
    more or fewer fields than the header, a quote never closed, bytes that are not
    UTF-8, a value past the header where every row ends with empty fields), as the
    DuckDB path reports them: for an engine that reads such rows without a word (Spark
    drops the fields past the header and leaves the missing ones empty). A file with
    such rows is not summed on that engine: its other rows' problems follow once it
    reads cleanly. One scan of the file by DuckDB (embedded, installed with the
    ``spark`` extra)."""
    checker = connect("duckdb")
    try:
        table = checker.read(path)
        checker.run(table.aggregate(rows=table.count()))  # DuckDB refuses rows as it reads
        refused = refused_rows(checker, path)
        if not refused.complete:
            return said_once(refused.problems)
        tails, count = tail_rows(checker, path)
        file = _File(path, skipped=refused.skipped)
        tail = _tail_problems(checker, path, tails, count)
        return said_once(refused.problems + _renumbered(checker, file, tail))
    except InputError as exc:
        return exc.problems
    except checker.input_errors as exc:
        return [unreadable(path, exc)]
    finally:
        checker.close()


def _tail_problems(engine: Engine, path: Path, rows: list[int], count: int) -> list[Problem]:
    """The rows with a value past the header, where every row ends with empty fields."""
    if not count:
        return []
    read = engine.csv_files[str(path)]
    width, fields = len(read.layout.names), len(read.layout.names) + read.layout.tail
    message = f"has {fields} fields where the header has {width}"
    problems = [Problem(str(path), row, None, message, LONG_HINT) for row in rows]
    if count > len(rows):
        problems.append(rows_like_above(str(path), None, count - len(rows), LONG_HINT))
    return problems


def _renumbered(engine: Engine, file: _File, problems: list[Problem]) -> list[Problem]:
    """``problems`` with their rows as a spreadsheet shows them: the engine's numbers
    count neither the blank lines, nor the rows of empty fields, nor the rows it refused.
    The blank lines and the rows of empty fields are looked for only here, when a row is
    named (:func:`~.files.blank_rows`, :meth:`~.engines.Engine.empty_rows`)."""
    rows = [p.row for p in problems if isinstance(p.row, int)]
    if not rows:
        return problems
    shown = dict(zip(rows, _spreadsheet(engine, file, rows), strict=True))
    return [
        dataclasses.replace(p, row=shown[p.row]) if isinstance(p.row, int) else p for p in problems
    ]


def _spreadsheet(engine: Engine, file: _File, rows: list[int]) -> list[int]:
    """The ``rows`` of ``file`` as the engine numbers them, as a spreadsheet does
    (:func:`_renumbered`)."""
    if not rows:
        return []
    skipped = file.skipped
    separator = engine.separator(file.path)
    if separator is not None:
        empty = engine.skipped_empty_rows(file.path)  # numbered among the rows read
        blanks = blank_rows(
            engine.source(file.path), separator, max(rows) + len(skipped) + len(empty)
        )
        skipped = np.concatenate([skipped, blanks])
        skipped = np.concatenate([skipped, spreadsheet_rows(empty.tolist(), skipped)])
    return spreadsheet_rows(rows, skipped)


def _units(
    table: ir.Table, fields: dict[str, str | None], mapping: Mapping, engine: Engine
) -> dict:
    """Each unit spelling of the file -> (factor to tonnes or None, why it is refused)."""
    spelled = field_text(table, fields.get("unit"), mapping.defaults.get("unit"))
    distinct = table.select(unit=spelled.strip()).distinct()
    found = engine.run(distinct)["unit"].to_pylist()
    e_manifest = is_e_manifest(list(table.columns))
    return {text: unit_factor(text or "", e_manifest) for text in found}


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
            ("starred", "sum"),  # the rows written with a star (notes.star_warnings)
            ("hazardous", "max"),
            *((name, "max") for name in NAMES),
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
    shown = ", ".join(formatted(c) for c in sorted(codes)[:10]) + (
        " ..." if len(codes) > 10 else ""
    )
    return (
        f"{len(codes)} waste code(s) are not in the List of Waste of Decision 2014/955/EU "
        f"({shown}); their flows are named 'waste NN NN NN'",
    )


def _wrong_roles(table: pa.Table) -> list[tuple[str, str]]:
    """(receiver, stated role) of each receiver whose role, as the networks take it (the
    greatest stated), is not a role. O(g)."""
    stated = table.group_by("receiver").aggregate([("receiver_role", "max")])
    pairs = zip(
        stated["receiver"].to_pylist(), stated["receiver_role_max"].to_pylist(), strict=True
    )
    return sorted(
        (firm, text)
        for firm, text in pairs
        if text is not None and canonical_role(str(text)) is None
    )


def _role_problems(
    wrong: list[tuple[str, str]], read: list[_File], mapping: Mapping, engine: Engine
) -> list[Problem]:
    """A problem for each wrong stated role, at the first file and row that states it for
    its receiver. One scan of each file with a ``receiver_role`` column, only then."""
    first: dict[tuple[str, str], Problem] = {}
    texts = sorted({text for _, text in wrong})
    for file in read:
        column = file.fields.get("receiver_role")
        if column is None or file.rows is None:
            continue
        rows = standard(single(file.rows.mutate(row=row_numbers(file.rows))), mapping.defaults,
                        china=file.china)  # fmt: skip
        role = rows.receiver_role.strip()
        hits = rows.filter(role.isin(texts)).group_by(receiver=rows.receiver, role=role)
        found = engine.run(hits.aggregate(row=rows.row.min())).to_pylist()
        keys = [(hit["receiver"], hit["role"]) for hit in found]
        located = [
            _role_problem(str(file.path), hit["row"], column, *key)
            for hit, key in zip(found, keys, strict=True)
        ]
        for key, problem in zip(keys, _renumbered(engine, file, located), strict=True):
            if key in wrong:
                first.setdefault(key, problem)
    return [
        first.get(key) or _role_problem("register", None, "receiver_role", *key) for key in wrong
    ]


def _role_problem(file: str, row: int | None, column: str, firm: str, text: str) -> Problem:
    return Problem(file, row, column, f"{text!r} (for {firm!r}) is not a role", _ROLE_HINT)
