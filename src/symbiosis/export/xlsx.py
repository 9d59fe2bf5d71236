"""The tables of each result, as one Excel workbook (a sheet per table) or CSV files.

:func:`section_tables` picks the tables a section result already holds (its frames and
``to_frame()``); nothing is computed here. :func:`workbook_bytes` writes them as one
``.xlsx`` file, and :func:`csv_files` as one CSV text per table; the CLI hands either to
:func:`~symbiosis.export.files.write_files_atomic`, so that they are written whole or not
at all.

Names come from input files and are untrusted. In an ``.xlsx`` file a cell is a formula
only when it is stored as one: openpyxl stores any string starting with ``=`` as a
formula (``cell.data_type == "f"``), which Excel evaluates on opening. Every text cell is
therefore written as a string cell (``data_type = "s"``), and a text cell that starts with
``=``, ``+``, ``-``, ``@``, a tab or a carriage return also gets Excel's *quote prefix*
(the leading apostrophe Excel shows), so that editing the cell does not turn it into a
formula either. Characters XML 1.0 cannot hold (most C0 controls) are written as
``\\xNN`` escapes; nothing else about the text changes.

References: OWASP, "CSV Injection"; ECMA-376 Part 1, 18.3.1.4 (cell types) and
18.8.45 (``quotePrefix``).
"""

from __future__ import annotations

import io
import math
import re
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
import pandas as pd

from ..errors import OutputError
from .csv import FORMULA_STARTS, to_csv_text
from .recorded import is_recorded, not_tabled

__all__ = [
    "MAX_SHEET_NAME",
    "SHEET_CANDIDATES",
    "csv_files",
    "report_tables",
    "section_tables",
    "sheet_names",
    "sheet_tables",
    "workbook_bytes",
]

MAX_SHEET_NAME = 31  # Excel's limit
MAX_SHEET_ROWS = 1_048_576  # Excel's limit, header included
# The ranked opportunities a sheet holds per group (sheet_tables): every candidate is
# 1.2 million cells at 20,000 flows, 18 s to write; a reader filters a few thousand.
SHEET_CANDIDATES = 1_000
_PROGRESS_ROWS = 20_000  # rows written between two calls of workbook_bytes' progress
# Text openpyxl stores as an error cell (data_type "e"): written as a string cell.
_ERROR_CODES = frozenset(("#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A"))
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
# XML 1.0 refuses C0 controls other than tab, newline and carriage return.
_XML_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def section_tables(name: str, result: Any) -> dict[str, pd.DataFrame]:
    """The tables of one report section, by table name, in reading order.

    Known sections give every table they hold (reuse: each breakdown; structure:
    dimensions, sectors, stages, origins; loops: loops and cores; ...); any other result
    gives its ``to_frame()``. A result with no table gives none. O(cells) at most (frames
    are selected, copied only where an index becomes a column).

    A section read back from JSON (:meth:`~symbiosis.report.Report.from_dict`) has no
    typed result, and its dict not the whole of these tables: a ``TypeError`` says to
    analyze the network again (:func:`~.recorded.not_tabled`).
    """
    if is_recorded(result):
        raise TypeError(not_tabled([name]))
    picker = _PICKERS.get(name)
    tables = picker(result) if picker is not None else _generic(result)
    return {key: frame for key, frame in tables.items() if frame is not None}


def _generic(result: Any) -> dict[str, pd.DataFrame]:
    frame = result.to_frame() if hasattr(result, "to_frame") else None
    return {"table": frame} if isinstance(frame, pd.DataFrame) else {}


def _counts(mapping: Mapping[str, int], key: str, value: str) -> pd.DataFrame:
    return pd.DataFrame({key: list(mapping), value: list(mapping.values())})


def _summary(summary: Any) -> dict[str, pd.DataFrame]:
    return {
        "totals": summary.to_frame(),
        "nodes_by_role": _counts(summary.firms_by_role, "role", "nodes"),
        "flows_by_category": _counts(summary.flows_by_category, "category", "flows"),
        "flows_by_dimension": _counts(summary.flows_by_dimension, "dimension", "flows"),
    }


def _cycling(cycling: Any) -> dict[str, pd.DataFrame]:
    statistics = getattr(cycling, "structure", None)
    tables = {"dimensions": cycling.to_frame()}
    if statistics is not None and hasattr(statistics, "__dataclass_fields__"):
        tables["structure"] = pd.DataFrame([vars(statistics)])
    return tables


_PICKERS = {
    "summary": _summary,
    "reuse": lambda accounts: accounts.tables(),
    "balance": lambda balances: {"summary": balances.summary, "firms": balances.table},
    "structure": lambda indicators: {
        "dimensions": indicators.dimensions,
        "sectors": indicators.sectors,
        "stages": indicators.stages,
        "origins": indicators.origins,
    },
    "opportunities": lambda found: {
        "opportunities": found.to_frame(),
        "uncovered": found.uncovered,
    },
    "cycling": _cycling,
    "loops": lambda search: {"loops": search.to_frame(), "cores": search.cores_frame()},
}


def report_tables(sections: Mapping[str, Any]) -> dict[str, pd.DataFrame]:
    """Every table of every section, keyed ``section_table`` (``section`` alone when the
    table is named after its section). Sections read back from JSON are refused, all
    named in one ``TypeError`` (:func:`section_tables`). O(tables)."""
    recorded = [name for name, result in sections.items() if is_recorded(result)]
    if recorded:
        raise TypeError(not_tabled(recorded))
    found = {}
    for section, result in sections.items():
        for table, frame in section_tables(section, result).items():
            key = section if table in (section, "table") else f"{section}_{table}"
            found[key] = frame
    return found


def sheet_names(names: list[str]) -> list[str]:
    """Excel sheet names for ``names``, in order: characters Excel refuses (``[]:*?/\\``)
    replaced by ``_``, at most 31 characters, unique regardless of case (a clash gets a
    ``~2``, ``~3`` ... suffix within the 31 characters). O(n^2) worst case in clashes."""
    taken: set[str] = set()
    chosen = []
    for name in names:
        base = _SHEET_FORBIDDEN.sub("_", name).strip("'") or "sheet"
        # cut, then stripped again: the cut may end on an apostrophe, which Excel refuses
        candidate = base[:MAX_SHEET_NAME].rstrip("'")
        counter = 1
        while candidate.lower() in taken:
            counter += 1
            suffix = f"~{counter}"
            candidate = base[: MAX_SHEET_NAME - len(suffix)].rstrip("'") + suffix
        taken.add(candidate.lower())
        chosen.append(candidate)
    return chosen


def sheet_tables(
    tables: Mapping[str, pd.DataFrame], listed: int = 0
) -> tuple[dict[str, pd.DataFrame], dict[str, str]]:
    """``tables`` as a workbook holds them, and a note for each table cut: the ranked
    opportunities (the table named ``opportunities``, every candidate: 1.2 million cells
    at 20,000 flows) keep each group's first :data:`SHEET_CANDIDATES` by rank, or its
    first ``listed`` (the opportunities listed in the report, ``top``) when more; the
    note says how many were left out and where to find them all (CSV writes every
    table whole). Other tables are kept whole. O(rows) for the cut table, O(1) else."""
    shown = dict(tables)
    notes: dict[str, str] = {}
    frame = tables.get("opportunities")
    if frame is None or not {"group", "rank"} <= set(frame.columns):
        return shown, notes
    keep = max(SHEET_CANDIDATES, int(listed))
    kept = frame["rank"].to_numpy() <= keep
    left = int(len(frame) - kept.sum())
    if left:
        shown["opportunities"] = frame[kept]
        notes["opportunities"] = (
            f"{left:,} of {len(frame):,} candidates left out: this sheet holds the first "
            f"{keep:,} of each group by rank; --csv (or opportunities --format csv) "
            "writes every one"
        )
    return shown, notes


def workbook_bytes(
    tables: Mapping[str, pd.DataFrame],
    notes: Mapping[str, str] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> bytes:
    """An ``.xlsx`` workbook with one sheet per table (named by :func:`sheet_names`),
    header in bold and frozen, every text cell a string cell (never a formula). A named
    index is written as the first columns; a table's note (``notes``, e.g. from
    :func:`sheet_tables`) is one text row below it, after an empty row. ``progress`` is
    called with the rows written so far and the rows in all. Raises
    :class:`OutputError` when a table has more rows than a sheet holds.

    O(cells): numbers, missing values and plain text go to openpyxl as values, a cell
    object (its style) only for text Excel would read as a formula or an error code:
    ~5 us a cell instead of ~10 (openpyxl writes each as an XML element either way).
    """
    try:
        from openpyxl import Workbook
        from openpyxl.cell import WriteOnlyCell
        from openpyxl.styles import Font
    except ImportError:
        raise OutputError(
            "writing .xlsx needs openpyxl, which is not installed: "
            "pip install 'symbiosis[excel]' (or write the tables with --csv)"
        ) from None

    notes = notes or {}
    book = Workbook(write_only=True)
    bold = Font(bold=True)
    shown_tables = {name: _with_index(frame) for name, frame in tables.items()}
    total = sum(len(frame) for frame in shown_tables.values())
    done = 0
    for title, (name, shown) in zip(sheet_names(list(tables)), shown_tables.items(), strict=True):
        if len(shown) + 1 > MAX_SHEET_ROWS:
            raise OutputError(
                f"table {name} has {len(shown):,} rows; an Excel sheet holds at most "
                f"{MAX_SHEET_ROWS - 1:,}: write it with --csv instead"
            )
        sheet = book.create_sheet(title)
        sheet.freeze_panes = "A2"
        header = []
        for column in shown.columns:
            cell = _cell(WriteOnlyCell(sheet), str(column))
            cell.font = bold
            header.append(cell)
        sheet.append(header)
        columns = [
            _column_values(sheet, WriteOnlyCell, shown.iloc[:, j]) for j in range(shown.shape[1])
        ]
        for start in range(0, len(shown), _PROGRESS_ROWS):
            rows = (column[start : start + _PROGRESS_ROWS] for column in columns)
            for row in zip(*rows, strict=True):
                sheet.append(row)
            done += min(_PROGRESS_ROWS, len(shown) - start)
            if progress is not None:
                progress(done, total)
        if name in notes:
            sheet.append([])
            sheet.append([_cell(WriteOnlyCell(sheet), notes[name])])
    if not tables:
        book.create_sheet("empty")  # a workbook needs a sheet
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _with_index(frame: pd.DataFrame) -> pd.DataFrame:
    if any(name is not None for name in frame.index.names):
        return frame.reset_index()
    return frame


def _column_values(sheet: Any, make_cell: Any, column: pd.Series) -> list[Any]:
    """What openpyxl is given for each value of ``column``: a number, None or plain text
    as itself, a cell object where the text needs one (:func:`_value`). Numbers a whole
    column at a time. O(rows)."""
    kind = column.dtype.kind if isinstance(column.dtype, np.dtype) else "O"  # not Int64
    if kind in "biu":
        return column.tolist()
    if kind == "f":
        numbers = column.to_numpy()
        values = numbers.astype(object)
        values[np.isnan(numbers)] = None
        infinite = np.flatnonzero(np.isinf(numbers))
        for i in infinite:  # written as text, as _plain makes them
            values[i] = _value(sheet, make_cell, float(numbers[i]))
        return values.tolist()
    return [_value(sheet, make_cell, value) for value in column.tolist()]


def _value(sheet: Any, make_cell: Any, value: Any) -> Any:
    """``value`` as openpyxl is to be given it: plain when openpyxl stores it as it is
    (numbers, None, text that is neither formula-like nor an error code such as
    ``#N/A``), else a string cell (:func:`_cell`)."""
    value = _plain(value)
    if value is None or isinstance(value, bool | int | float):
        return value
    text = _XML_ILLEGAL.sub(lambda m: f"\\x{ord(m.group()):02x}", str(value))
    if text.startswith(FORMULA_STARTS) or text in _ERROR_CODES:
        return _cell(make_cell(sheet), text)
    return text


def _cell(cell: Any, value: Any) -> Any:
    """``cell`` holding ``value``: numbers as numbers, missing values empty, anything
    else as a string cell that Excel never evaluates."""
    value = _plain(value)
    if value is None or isinstance(value, bool | int | float):
        cell.value = value
        return cell
    text = _XML_ILLEGAL.sub(lambda m: f"\\x{ord(m.group()):02x}", str(value))
    cell.value = text
    cell.data_type = "s"  # openpyxl makes "=..." a formula: keep it text
    if text.startswith(FORMULA_STARTS):
        cell.quotePrefix = True
    return cell


def _plain(value: Any) -> Any:
    """numpy scalars as Python numbers; NaN, NA and None as None; containers as text."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if hasattr(value, "item") and not isinstance(value, str | bytes):
        try:
            value = value.item()
        except (ValueError, TypeError):
            return str(value)
    if isinstance(value, float) and (math.isnan(value) or math.isinf(value)):
        return None if math.isnan(value) else str(value)
    if isinstance(value, list | tuple | set | frozenset):
        return ", ".join(str(v) for v in value)
    return value


def csv_files(tables: Mapping[str, pd.DataFrame]) -> dict[str, str]:
    """Each table as CSV text (:func:`~symbiosis.export.csv.to_csv_text`: text cells a
    spreadsheet would evaluate get a leading apostrophe), keyed ``<name>.csv``. O(cells)."""
    return {f"{name}.csv": to_csv_text(_with_index(frame)) for name, frame in tables.items()}
