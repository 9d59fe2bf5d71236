"""CSV output that a spreadsheet cannot execute.

Names in input files are untrusted: a firm called ``=cmd|' /C calc'!A0`` or ``@SUM(1)``
becomes a formula when a CSV file is opened in Excel or LibreOffice (CSV injection).
Following OWASP's rule, every *text* cell that starts with ``=``, ``+``, ``-``, ``@``, a tab
or a carriage return is written with a leading apostrophe, which spreadsheets show as text
and do not evaluate. Numbers are written as numbers (a negative imbalance stays ``-3.5``).

The exception: a network's own files (``firms.csv``, ``flows.csv``) written for symbiosis to
read back (:func:`network_csv_text`, as ``reconcile --out`` and ``register import`` write
them), where every text stays as it was read: symbiosis keeps an apostrophe as text, so a
guarded id (``'-ACME``) would come back as another id.

Reference: OWASP, "CSV Injection" (https://owasp.org/www-community/attacks/CSV_Injection).
"""

from __future__ import annotations

import csv
import io

import pandas as pd

from ..arguments import Arguments

__all__ = ["FORMULA_STARTS", "network_csv_text", "neutralise", "to_csv_text"]

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: object) -> object:
    """``value`` with a leading apostrophe when it is text a spreadsheet would evaluate."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def to_csv_text(frame: pd.DataFrame, *, index: bool = False) -> str:
    """``frame`` as CSV text with every text cell (and column name) neutralised.
    O(cells); only text columns are visited."""
    arguments = Arguments()
    arguments.flag("index", index)
    arguments.check()
    safe = frame.copy()
    for name in safe.columns:
        column = safe[name]
        if column.dtype == object or pd.api.types.is_string_dtype(column.dtype):
            safe[name] = column.map(neutralise, na_action="ignore").astype(object)
    safe.columns = [neutralise(str(name)) for name in safe.columns]
    if index:
        safe.index = safe.index.map(neutralise)
    if any(_has_carriage_return(safe[name]) for name in safe.columns):
        return _python_csv(safe, index=index)
    return safe.to_csv(index=index)


def network_csv_text(frame: pd.DataFrame) -> str:
    """``frame`` as the CSV of a network's table for symbiosis to read back: every text as
    it is, no apostrophe before a formula's first character (see the module docstring).
    O(cells)."""
    if any(_has_carriage_return(frame[name]) for name in frame.columns):
        return _python_csv(frame, index=False)
    return frame.to_csv(index=False)


def _has_carriage_return(column: pd.Series) -> bool:
    if not (column.dtype == object or pd.api.types.is_string_dtype(column.dtype)):
        return False
    return bool(column.map(lambda v: isinstance(v, str) and "\r" in v).any())


def _python_csv(frame: pd.DataFrame, *, index: bool) -> str:
    """CSV by the standard library, which quotes a cell holding a carriage return
    (pandas' writer leaves it bare, and a reader then splits the row)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")  # RFC 4180; "\r" in it: quoted
    header = ([frame.index.name or ""] if index else []) + list(frame.columns)
    writer.writerow(header)
    for label, row in zip(frame.index, frame.itertuples(index=False), strict=True):
        cells = ["" if pd.isna(v) else v for v in row]
        writer.writerow(([label] if index else []) + cells)
    return buffer.getvalue()
