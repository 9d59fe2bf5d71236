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
from collections.abc import Iterable, Iterator

import numpy as np
import pandas as pd

from ..arguments import Arguments

__all__ = [
    "FORMULA_STARTS",
    "csv_text_pieces",
    "network_csv_text",
    "neutralise",
    "to_csv_text",
]

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: object) -> object:
    """``value`` with a leading apostrophe when it is text a spreadsheet would evaluate."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def to_csv_text(frame: pd.DataFrame, *, index: bool = False) -> str:
    """``frame`` as CSV text with every text cell (and column name) neutralised.
    O(cells); only text columns are visited, each distinct cell once (a hash table per
    column: a Python call per cell took 2.1 of the 3.9 s of the 180,000 ranked
    opportunities of 100,000 flows)."""
    arguments = Arguments()
    arguments.flag("index", index)
    arguments.check()
    safe, carriage_return = _safe(frame, index=index)
    if carriage_return:
        return _python_csv(safe, index=index)
    return safe.to_csv(index=index)


def csv_text_pieces(frames: Iterable[pd.DataFrame]) -> Iterator[str]:
    """The frames, pieces of one table (same columns, in order), as the pieces of one
    CSV text: what :func:`to_csv_text` makes of their concatenation, the header once,
    without holding more than one piece (a writer of a table too large to hold whole
    as text: the 1.8 million ranked opportunities of a million flows make 340 MB of
    CSV). Where a piece holds a carriage return, it and every later piece are written
    by the standard library, as :func:`to_csv_text` writes a whole table holding one
    (cells quoted, CRLF line ends): the earlier pieces keep their LF. O(cells)."""
    carriage_return = False
    for position, frame in enumerate(frames):
        safe, returns = _safe(frame, index=False)
        carriage_return |= returns
        header = position == 0
        if carriage_return:
            yield _python_csv(safe, index=False, header=header)
        else:
            yield safe.to_csv(index=False, header=header)


def _safe(frame: pd.DataFrame, *, index: bool) -> tuple[pd.DataFrame, bool]:
    """A copy of ``frame`` with every text cell (and column name, and label of the
    ``index`` when written) neutralised, and whether a text holds a carriage return."""
    safe = frame.copy()
    carriage_return = False
    for name in safe.columns:
        column = safe[name]
        if column.dtype == object or pd.api.types.is_string_dtype(column.dtype):
            safe[name], returns = _neutralised(column)
            carriage_return |= returns
    safe.columns = [neutralise(str(name)) for name in safe.columns]
    if index:
        safe.index = safe.index.map(neutralise)
        carriage_return |= _has_carriage_return(pd.Series(safe.index, dtype=object))
    return safe, carriage_return


def _neutralised(column: pd.Series) -> tuple[pd.Series, bool]:
    """A text column neutralised (an object column, missing cells as they were), and
    whether a cell holds a carriage return: :func:`neutralise` of each distinct value.
    O(rows) in a hash table, plus a call per distinct value."""
    values = column.to_numpy(dtype=object)
    if pd.api.types.infer_dtype(values, skipna=True) not in ("string", "empty"):
        # other objects among the texts: one call per cell (a hash table would take
        # 1, 1.0 and True for one value)
        out = column.map(neutralise, na_action="ignore").astype(object)
        return out, bool(_has_carriage_return(out))
    codes, distinct = pd.factorize(values)
    distinct = pd.Index(distinct, dtype=object).to_numpy(dtype=object)
    guarded = np.array([neutralise(v) for v in distinct] + [None], dtype=object)
    out = guarded[codes]  # -1, a missing cell: the None at the end, then put back
    missing = codes < 0
    if missing.any():
        out[missing] = values[missing]
    returns = any(isinstance(v, str) and "\r" in v for v in guarded[:-1])
    return pd.Series(out, index=column.index, name=column.name, dtype=object), returns


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


def _python_csv(frame: pd.DataFrame, *, index: bool, header: bool = True) -> str:
    """CSV by the standard library, which quotes a cell holding a carriage return
    (pandas' writer leaves it bare, and a reader then splits the row)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")  # RFC 4180; "\r" in it: quoted
    if header:
        writer.writerow(([frame.index.name or ""] if index else []) + list(frame.columns))
    for label, row in zip(frame.index, frame.itertuples(index=False), strict=True):
        cells = ["" if pd.isna(v) else v for v in row]
        writer.writerow(([label] if index else []) + cells)
    return buffer.getvalue()
