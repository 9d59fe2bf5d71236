"""A workbook's sheet as its cells, with what pandas' reader does not say.

pandas reads an Excel error value (``#N/A``, ``#REF!``) as an empty cell, so a failed
lookup became a flow of unknown size without a word; and a formula whose workbook was
written by a program and never opened in a spreadsheet has no computed value, read as
empty too. Here error values are kept as their text (the rules then say "a spreadsheet
error", as for a CSV file), each formula without a value is a located problem, and a
hidden sheet read is a warning.

Complexity: O(cells): the sheet is read by pandas, its error cells found in the
workbook pandas opened, and its formulas in a second, read-only pass of openpyxl.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd

from ..errors import Problem
from .problems import shorten

__all__ = ["sheet_cells"]

_FORMULA_HINT = (
    "open and save the workbook in Excel or LibreOffice, which compute it (a program "
    "that writes workbooks may leave formulas uncomputed)"
)


def sheet_cells(
    path: Path, shown: str, book: Any, sheet: str, options: dict
) -> tuple[pd.DataFrame, list[Problem], list[str]]:
    """The cells of ``sheet`` of ``book`` (a pandas ``ExcelFile`` on openpyxl) as
    ``pd.read_excel`` reads them with ``options``, error values kept as text; the
    problems of its formulas without a computed value (located at their row and column,
    the column named by the sheet's first row); the warning of a hidden sheet."""
    cells = pd.read_excel(book, sheet, **options)
    worksheet = book.book[sheet]
    for row, column, value in _error_cells(worksheet):
        if row <= cells.shape[0] and column <= cells.shape[1]:
            cells.iat[row - 1, column - 1] = value
    header = cells.iloc[0] if len(cells) else pd.Series(dtype=object)
    try:
        uncomputed = list(_uncomputed_formulas(path, sheet, cells))
    except Exception:  # pandas read it; a second reader's failure takes nothing from that
        uncomputed = []
    problems = [
        Problem(
            shown,
            row,
            _name(header, column),
            f"a formula without a computed value ({shorten(formula, 40)})",
            _FORMULA_HINT,
        )
        for row, column, formula in uncomputed
    ]
    warnings = []
    if worksheet.sheet_state != "visible":
        visible = [
            str(s) for s in book.sheet_names if s != sheet and book.book[s].sheet_state == "visible"
        ]
        warnings.append(
            f"{shown}: the sheet '{sheet}' is hidden in the workbook, and is read; check "
            f"that it is the one meant (visible sheets: {', '.join(visible) or 'none'})"
        )
    return cells, problems, warnings


def _name(header: pd.Series, column: int) -> str | None:
    """The column name a sheet's first row gives column ``column`` (1-based)."""
    if column > len(header) or _empty(header.iloc[column - 1]):
        return None
    return str(header.iloc[column - 1]).strip().lower()


def _empty(value: object) -> bool:
    return (
        value is None or (isinstance(value, float) and value != value) or str(value).strip() == ""
    )


def _error_cells(worksheet: Any) -> Iterator[tuple[int, int, str]]:
    """(row, column, error) of the cells holding an error value (1-based, as Excel
    numbers them). O(cells)."""
    for row in worksheet.iter_rows():
        for cell in row:
            if getattr(cell, "data_type", None) == "e" and cell.value is not None:
                yield cell.row, cell.column, str(cell.value)


def _uncomputed_formulas(
    path: Path, sheet: str, cells: pd.DataFrame
) -> Iterator[tuple[int, int, str]]:
    """(row, column, formula) of the formulas whose cell holds no computed value (empty
    as pandas read it): the workbook read again, formulas as written. O(cells)."""
    import openpyxl

    with path.open("rb") as handle:  # a file, not a name: a workbook named .csv is read too
        book = openpyxl.load_workbook(handle, read_only=True, data_only=False, keep_links=False)
        try:
            for row in book[sheet].iter_rows():
                for cell in row:
                    if getattr(cell, "data_type", None) != "f":
                        continue
                    r, c = cell.row, cell.column
                    inside = r <= cells.shape[0] and c <= cells.shape[1]
                    if not inside or _empty(cells.iat[r - 1, c - 1]):
                        yield r, c, str(cell.value)
        finally:
            book.close()
