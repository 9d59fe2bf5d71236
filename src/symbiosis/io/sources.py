"""Where a network's tables come from: every kind of source made the same :class:`Table`
of text cells that a CSV file gives, so that one set of rules checks them all.

Sources, and how their rows are numbered in problems:

- CSV files (:func:`~symbiosis.io.reading.read_table`): the spreadsheet row (header = 1);
- Excel workbooks (``.xlsx``, ``.xlsm``; sheets ``firms`` and ``flows`` unless named):
  the sheet's row, as Excel shows it;
- Parquet files (``.parquet``) and in-memory tables without an index (polars frames,
  pyarrow Tables and anything with the Arrow PyCapsule interface ``__arrow_c_stream__``):
  the row the record would have in a CSV file (the first record is row 2);
- pandas frames (any dtype backend: numpy, numpy_nullable, pyarrow): the index label; with
  the default index (0, 1, 2 ...), the spreadsheet row of the CSV the frame was read from
  (label + 2); for the model's own tables fed back, the ``row`` they came from;
- networkx graphs (directed, multi or not; :mod:`.graphs`): the node id, and
  ``source->target`` (with the edge key on a multigraph) for an edge.

Every cell becomes text as a CSV file would hold it: a missing value (``None``, NaN,
``pd.NA``, ``NaT``, an Arrow null) is an empty cell, a whole float is written as an
integer, other floats with their shortest round-trip digits. Columns the model derives
(:data:`~symbiosis.model.DERIVED_FLOW_COLUMNS`) are dropped when a table carries all of
them and is the model's own, fed back: marked, or holding what the model computes
(:mod:`.own_tables`); otherwise a column of the same name is the user's and is kept as
``user_<name>``.

Complexity: O(cells) to hash each column plus one conversion per distinct value of a typed
column (per cell for object columns, whose values may mix types).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from contextlib import closing
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ..errors import InputError, Problem
from ..model import TABLE_MARKER
from .encoding import EXCEL_SUFFIXES, PARQUET_SUFFIXES, binary_kind
from .own_tables import holds_derived_columns
from .parsing import column_name
from .reading import MAX_COLUMNS, Table, drop_blank_rows, text_table
from .sheets import sheet_cells

if TYPE_CHECKING:
    pass

__all__ = [
    "EXCEL_SUFFIXES",
    "PARQUET_SUFFIXES",
    "binary_kind",
    "container_columns",
    "container_names",
    "frame_table",
    "is_graph",
    "is_table",
    "named_like",
    "read_excel",
    "read_parquet",
    "read_sqlite",
    "relabel",
]

_EXCEL_HINT = "install the Excel reader: pip install 'symbiosis[excel]' (or pip install openpyxl)"


def is_table(value: object) -> bool:
    """True for a pandas frame, a pyarrow Table or anything with ``__arrow_c_stream__``
    but a column (a pandas or polars Series, a pyarrow array: they have it too)."""
    if isinstance(value, pd.DataFrame | pa.Table):
        return True
    return hasattr(value, "__arrow_c_stream__") and not _is_column(value)


def _is_column(value: object) -> bool:
    """A pandas or polars Series (by name: polars is not imported) or a pyarrow array."""
    return isinstance(value, pd.Series | pa.Array | pa.ChunkedArray) or (
        type(value).__name__ == "Series"
    )


def is_graph(value: object) -> bool:
    """True for a networkx graph (checked by duck typing: networkx is not imported)."""
    return all(hasattr(value, name) for name in ("nodes", "edges", "is_directed", "adj"))


# --------------------------------------------------------------------------- cells to text


def cell_text(value: object) -> str:
    """One cell as a CSV file would hold it (see the module docstring). O(1)."""
    if value is None or value is pd.NA or value is pd.NaT:
        return ""
    if isinstance(value, bool | np.bool_):
        return str(bool(value))
    if isinstance(value, float | np.floating):
        # a float32's shortest digits are its own (0.1, not the float64 0.10000000149...)
        number = float(str(value)) if isinstance(value, np.float32 | np.float16) else float(value)
        if np.isnan(number):
            return ""
        if number.is_integer() and abs(number) < 1e15:
            return str(int(number))
        return repr(number)  # numpy 2 writes repr(np.float64(x)) as 'np.float64(x)'
    if isinstance(value, np.integer):
        return str(int(value))
    if isinstance(value, bytes):  # an Arrow binary column: its text, not "b'...'"
        return value.decode("utf-8", errors="replace")
    return str(value)


def column_text(column: pd.Series) -> np.ndarray | pa.Array:
    """The cells of a column as stripped text (an object array of str, or an Arrow
    string array).

    A string column (pandas' string dtypes, Arrow strings) goes through Arrow, as the CSV
    reader's columns do; another column of one type is converted once per distinct value;
    an object column may mix types that hash alike (``1``, ``1.0``, ``True``), so it is
    converted cell by cell. O(rows) hashing plus the conversions.
    """
    if _is_text(column.dtype):
        arrow = pa.array(column, from_pandas=True)
        if arrow.type != pa.string():  # large_string, string_view (polars)
            arrow = arrow.cast(pa.string())
        return pc.utf8_trim_whitespace(arrow.fill_null(""))
    if column.dtype == object:
        return np.array([cell_text(v).strip() for v in column.to_numpy()], dtype=object)
    if _is_short_arrow_float(column.dtype):  # its values as numpy's float32, for their digits
        column = column.astype("Float32")
    try:
        codes, uniques = pd.factorize(column, use_na_sentinel=True)
    except (TypeError, NotImplementedError, pa.ArrowException):  # lists, structs: no hash
        return np.array([cell_text(v).strip() for v in column.to_numpy()], dtype=object)
    if uniques.dtype.kind == "f" and uniques.dtype.itemsize < 8:  # iterating gives float64
        uniques = np.asarray(uniques)  # float32 scalars: cell_text writes their own digits
    texts = np.array([*(cell_text(v).strip() for v in uniques), ""], dtype=object)
    return texts[codes]  # code -1 (a missing value) takes the last entry, ""


def _is_short_arrow_float(dtype: object) -> bool:
    """True for Arrow's 16- and 32-bit floats (polars' ``Float32``), whose values pandas
    hands out as float64."""
    if not isinstance(dtype, pd.ArrowDtype):
        return False
    kind = dtype.pyarrow_dtype
    return bool(pa.types.is_float32(kind) or pa.types.is_float16(kind))


def _is_text(dtype: object) -> bool:
    """True for pandas' string dtypes and Arrow string types (not ``object``)."""
    if isinstance(dtype, pd.StringDtype):
        return True
    if isinstance(dtype, pd.ArrowDtype):
        kind = dtype.pyarrow_dtype
        view = getattr(pa.types, "is_string_view", lambda _: False)  # pyarrow >= 16
        return bool(pa.types.is_string(kind) or pa.types.is_large_string(kind) or view(kind))
    return False


# --------------------------------------------------------------------------- frames


def frame_table(
    name: str, frame: Any, derived: Mapping[str, str] | None = None, *, own: bool = False
) -> Table:
    """A :class:`Table` of text from an in-memory table (pandas, polars, pyarrow, any
    ``__arrow_c_stream__``), rows labelled as the module docstring says. ``derived``: the
    model's derived columns, dropped when all are present in one of the model's own tables
    (``own``, or a frame marked with :data:`~symbiosis.model.TABLE_MARKER`). Raises
    :class:`InputError` for what is not a table or is too wide. O(cells)."""
    if not isinstance(frame, pd.DataFrame):
        frame = _arrow_frame(name, frame)
    own = own or TABLE_MARKER in frame.attrs
    if frame.shape[1] > MAX_COLUMNS:
        raise InputError(
            Problem(
                name,
                1,
                None,
                f"has {frame.shape[1]:,} columns; at most {MAX_COLUMNS:,} are read",
                "keep the columns the network needs and move the others to a separate table",
            )
        )
    labels = frame.index
    frame = _with_index_columns(frame)
    names = [column_name(column) for column in frame.columns]
    rows = np.arange(2, len(frame) + 2)
    own_rows = None
    own = own or holds_derived_columns(frame, names, derived or {})  # its mark lost
    if own and derived and set(derived) <= set(names):  # the model's own table, fed back
        own_rows = frame.iloc[:, names.index("row")] if "row" in derived else None
        keep = [i for i, column in enumerate(names) if column not in derived]
        frame, names = frame.iloc[:, keep], [names[i] for i in keep]
    table = text_table(
        name,
        [(n, column_text(_year_of_dates(n, frame.iloc[:, i]))) for i, n in enumerate(names)],
        rows,
    )
    table.written = [str(column).strip() for column in frame.columns]
    if own_rows is not None and _whole_unique(own_rows):
        table.rows = own_rows.to_numpy(dtype=np.int64)
    elif not _default_index(labels):
        table.labels = dict(zip(rows.tolist(), labels.tolist(), strict=True))
    return drop_blank_rows(table)


def _year_of_dates(name: str, column: pd.Series) -> pd.Series:
    """A ``year`` column of dates (``read_csv(parse_dates=...)``, a spreadsheet's date
    cells, Arrow dates) as its years: the date 2020-01-01, or 2020-12-31 for a year that
    ends there, is the year 2020. Any other column as it is. O(rows) for dates, else O(1)."""
    if name != "year" or not pd.api.types.is_datetime64_any_dtype(column.dtype):
        return column
    return column.dt.year


def _arrow_frame(name: str, value: Any) -> pd.DataFrame:
    """A polars frame, pyarrow Table or Arrow stream as a pandas frame of Arrow dtypes."""
    if not is_table(value):
        raise InputError(
            Problem(
                name,
                None,
                None,
                f"a {type(value).__name__} is not a table",
                "give a pandas or polars DataFrame, a pyarrow Table, a file or a folder",
            )
        )
    try:
        arrow = value if isinstance(value, pa.Table) else pa.table(value)
    except (pa.ArrowException, TypeError, ValueError) as exc:
        raise InputError(
            Problem(name, None, None, f"cannot be read as an Arrow table ({exc})", "")
        ) from None
    return arrow.to_pandas(types_mapper=pd.ArrowDtype)


def _with_index_columns(frame: pd.DataFrame) -> pd.DataFrame:
    """A named index (``id`` of the model's firms table) becomes columns, once."""
    named = [n for n in frame.index.names if n is not None and n not in frame.columns]
    if not named:
        return frame.reset_index(drop=True)
    return frame.reset_index(level=named).reset_index(drop=True)


def _default_index(index: pd.Index) -> bool:
    return isinstance(index, pd.RangeIndex) and index.start == 0 and index.step == 1


def _whole_unique(column: pd.Series) -> bool:
    try:
        values = pd.to_numeric(column, errors="raise").to_numpy(dtype=np.float64)
    except (TypeError, ValueError):
        return False
    whole = bool(np.isfinite(values).all() and (values == np.round(values)).all())
    return whole and len(np.unique(values)) == len(values)


# --------------------------------------------------------------------------- binary files


def read_parquet(path: Path, shown: str) -> Table:
    """A Parquet file as a :class:`Table`. O(size of the file)."""
    import pyarrow.parquet as pq

    try:
        data = pq.read_table(path)
    except (OSError, pa.ArrowException) as exc:
        raise InputError(
            Problem(shown, None, None, f"is not a readable Parquet file ({exc})", "check it")
        ) from None
    return frame_table(shown, data)


def read_excel(path: Path, shown: str, sheets: Iterable[str | None]) -> list[Table | None]:
    """The named sheets of a workbook as :class:`Table` objects (``None`` asks for no
    sheet), rows numbered as Excel shows them; a missing sheet is a problem listing the
    sheets there are. O(cells)."""
    try:
        import openpyxl  # noqa: F401  (pandas' reader of .xlsx)
    except ImportError:
        raise InputError(
            Problem(
                shown, None, None, "is an Excel workbook, and no reader is installed", _EXCEL_HINT
            )
        ) from None
    try:
        book = pd.ExcelFile(path, engine="openpyxl")
    except Exception as exc:  # zip, XML and openpyxl errors alike: the file is unreadable
        raise InputError(
            Problem(
                shown,
                None,
                None,
                f"is not a readable Excel workbook ({exc})",
                "save it again from Excel as .xlsx",
            )
        ) from None
    with book:
        present = [str(name) for name in book.sheet_names]
        sheets = [None if s is None else named_like(s, present) for s in sheets]
        wanted = [s for s in sheets if s is not None]
        missing = [s for s in wanted if s not in present]
        if missing:
            raise InputError(
                [
                    Problem(
                        shown,
                        None,
                        None,
                        f"has no sheet '{sheet}'",
                        f"name a sheet '{sheet}', or pass the sheet's name; its sheets: "
                        + ", ".join(map(str, book.sheet_names)),
                    )
                    for sheet in missing
                ]
            )
        # cells as written: pandas would read 'n/a', 'NA', 'null' ... as missing
        options: dict[str, Any] = {
            "header": None,
            "dtype": object,
            "keep_default_na": False,
            "na_values": [],
        }
        return [
            None if s is None else _workbook_sheet(path, f"{shown}[{s}]", book, s, options)
            for s in sheets
        ]


def _workbook_sheet(path: Path, shown: str, book: Any, sheet: str, options: dict) -> Table:
    """One sheet of a workbook as a :class:`Table`, with what reading its cells found
    (:func:`~symbiosis.io.sheets.sheet_cells`). O(cells)."""
    cells, problems, warnings = sheet_cells(path, shown, book, sheet, options)
    table = _sheet_table(shown, cells)
    table.read_problems.extend(problems)
    table.read_warnings.extend(warnings)
    return table


def read_sqlite(path: Path, shown: str, names: Iterable[str | None]) -> list[Table | None]:
    """The named tables of an SQLite database (``None`` asks for no table), opened read
    only; rows numbered as the records would be in a CSV file (first record = 2); a
    missing table is a problem listing the tables there are. O(rows)."""
    import sqlite3

    names = list(names)
    try:
        with closing(_connect(path)) as connection:
            present = _database_tables(connection)
            names = [None if name is None else named_like(name, present) for name in names]
            missing = [name for name in names if name is not None and name not in present]
            if missing:
                listed = ", ".join(present) or "none"
                raise InputError(
                    [
                        Problem(shown, None, None, f"has no table '{name}'",
                                f"name a table '{name}', or pass its name; its tables: {listed}")
                        for name in missing
                    ]
                )  # fmt: skip
            return [
                None if name is None else frame_table(f"{shown}[{name}]", pd.read_sql_query(
                    'SELECT * FROM "{}"'.format(name.replace('"', '""')), connection))
                for name in names
            ]  # fmt: skip
    except sqlite3.Error as exc:
        raise InputError(
            Problem(shown, None, None, f"is not a readable SQLite database ({exc})", "check it")
        ) from None


def _connect(path: Path) -> Any:
    import sqlite3

    return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)  # never written


def _database_tables(connection: Any) -> list[str]:
    query = "SELECT name FROM sqlite_master WHERE type IN ('table', 'view') ORDER BY name"
    return [row[0] for row in connection.execute(query)]


def named_like(name: str, present: Iterable[str]) -> str:
    """``name`` as the container spells it: the sheet or table of that name, else the
    only one equal to it but for case (Excel's sheet names and SQLite's table names
    ignore case: "Flows" is the sheet "flows"), else ``name`` itself. O(names)."""
    present = list(present)
    if name in present:
        return name
    alike = [other for other in present if other.casefold() == name.casefold()]
    return alike[0] if len(alike) == 1 else name


def container_columns(path: Path, kind: str, names: Iterable[str]) -> dict[str, set[str]]:
    """The column names (stripped, lower-cased) of these sheets of a workbook (their first
    row) or tables of a database; a name that cannot be read has none. O(cells of the
    first rows)."""
    columns: dict[str, set[str]] = {}
    try:
        if kind == "sqlite":
            with closing(_connect(path)) as connection:
                for name in names:
                    quoted = name.replace('"', '""')
                    rows = connection.execute(f'PRAGMA table_info("{quoted}")').fetchall()
                    columns[name] = {str(row[1]).strip().lower() for row in rows}
            return columns
        with pd.ExcelFile(path, engine="openpyxl") as book:
            for name in names:
                first = pd.read_excel(book, name, header=None, nrows=1, dtype=object)
                cells = first.iloc[0] if len(first) else []
                columns[name] = {column_name(cell_text(v)) for v in cells}
    except Exception:  # unreadable: the reader says why when it reads the tables
        pass
    return columns


def container_names(path: Path, kind: str) -> set[str]:
    """The sheets of a workbook or the tables of a database; empty when unreadable (the
    reader then says why). O(1) in the rows."""
    try:
        if kind == "sqlite":
            with closing(_connect(path)) as connection:
                return set(_database_tables(connection))
        with pd.ExcelFile(path, engine="openpyxl") as book:
            return {str(name) for name in book.sheet_names}
    except Exception:  # any reader's error: read_excel / read_sqlite report it
        return set()


def _sheet_table(shown: str, cells: pd.DataFrame) -> Table:
    """A sheet read without a header: its first row is the header (sheet row 1)."""
    if cells.empty or cells.iloc[0].isna().all():
        raise InputError(
            Problem(
                shown,
                1,
                None,
                "has no column names",
                "put the header (the column names) on the first row of the sheet",
            )
        )
    header = [cell_text(v).strip() or f"unnamed: {i}" for i, v in enumerate(cells.iloc[0])]
    body = cells.iloc[1:].set_axis(header, axis=1)
    return frame_table(shown, body.reset_index(drop=True))  # position + 2 = sheet row


# --------------------------------------------------------------------------- problems


def relabel(problems: list[Problem], tables: Iterable[Table | None]) -> list[Problem]:
    """Problems on in-memory tables located by the tables' own labels (index labels, node
    ids) instead of the row numbers the rules use. O(problems)."""
    labels = {t.path: t.labels for t in tables if t is not None and t.labels}
    if not labels:
        return problems
    return [_relabelled(p, labels[p.file]) if p.file in labels else p for p in problems]


def _relabelled(problem: Problem, labels: Mapping[int, object]) -> Problem:
    def labelled(match: re.Match[str]) -> str:
        number = int(match.group(2))
        return f"{match.group(1)}{labels[number]!r}" if number in labels else match.group(0)

    message = re.sub(r"\b(rows? |to )(\d+)\b", labelled, problem.message)
    row: int | str | None = problem.row
    if isinstance(row, int) and row in labels:
        label = labels[row]
        row = label if isinstance(label, int) and not isinstance(label, bool) else str(label)
    return replace(problem, row=row, message=message)
