"""Files read only as CSV text (a catalogue, a taxonomy, a demands file, a sector-code
file, a register), and what reading one says beside its rows.

- :func:`read_csv_file`: :func:`~symbiosis.io.reading.read_table`, except that a file of
  another kind, which the network reader would read (a workbook, a Parquet file, an SQLite
  database: :func:`~symbiosis.io.encoding.binary_kind`), is named for what it is, with
  what to do (:func:`other_kind_problem`), rather than said to be "not a text file". With
  ``collect``, the rows that reading refuses (longer than the header, a stray quote, a
  quote never closed) are kept in the table for the reader to say with its rules'
  problems, all at once.
- :func:`read_as_warnings`: a file read as Chinese GB18030 (Excel's 'CSV' on Chinese
  Windows) is said so, in the words the network's files get, by every reader of a file.

Complexity: O(1) (the first bytes of the file) beyond reading it.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import InputError, Problem
from .encoding import binary_kind
from .reading import Table, read_table

__all__ = ["other_kind", "other_kind_problem", "read_as_warnings", "read_csv_file"]

_HEAD = 4096  # bytes looked at for NUL bytes: any workbook, Parquet file or database has some
_KINDS = {
    "excel": "an Excel workbook",
    "parquet": "a Parquet file",
    "sqlite": "an SQLite database",
}
_SAVE_AS = {
    "excel": "save the sheet as 'CSV UTF-8' (Excel: Save As > CSV UTF-8)",
    "parquet": "write its table as a CSV file (UTF-8)",
    "sqlite": "export the table as a CSV file (UTF-8)",
}


def other_kind(path: Path) -> str | None:
    """``"excel"``, ``"parquet"`` or ``"sqlite"`` when ``path`` is such a file, told by
    :func:`~symbiosis.io.encoding.binary_kind` (its first bytes, else its suffix) and
    holding NUL bytes in its first 4 kB, as every one does: a CSV file named ``.xlsx`` is
    still read as text. None otherwise (or when it cannot be read: the reader says why).
    O(1)."""
    kind = binary_kind(path)
    if kind is None:
        return None
    try:
        with path.open("rb") as file:
            head = file.read(_HEAD)
    except OSError:
        return None
    return kind if b"\x00" in head else None


def other_kind_problem(path: Path, shown: str, *, read: str = "", hint: str = "") -> Problem | None:
    """The problem of a file of another kind (:func:`other_kind`) given where CSV text is
    read: ``is an Excel workbook, not a CSV file; save the sheet as 'CSV UTF-8' ...``;
    ``read``: the end of the message instead of ", not a CSV file"; ``hint``: what may be
    done besides saving it as CSV. None for any other file. O(1)."""
    kind = other_kind(path)
    if kind is None:
        return None
    what = f"is {_KINDS[kind]}{read or ', not a CSV file'}"
    return Problem(shown, None, None, what, _SAVE_AS[kind] + hint)


def read_csv_file(path: str | Path, *, shown: str | None = None, collect: bool = False) -> Table:
    """:func:`~symbiosis.io.reading.read_table` of a file that must be CSV text; a
    workbook, a Parquet file or a database refused as such (:func:`other_kind_problem`).
    ``collect``: the rows refused in reading kept in :attr:`~symbiosis.io.reading.Table.
    read_problems` and :attr:`~symbiosis.io.reading.Table.refused_rows` (else raised).
    O(size of the file)."""
    path = Path(path)
    shown = shown or str(path)
    problem = other_kind_problem(path, shown) if path.is_file() else None
    if problem is not None:
        raise InputError(problem)
    return read_table(path, shown=shown, collect=collect)


def read_as_warnings(table: Table) -> list[str]:
    """The warning of a file read as Chinese GB18030 text (:attr:`Table.read_as
    <symbiosis.io.reading.Table.read_as>`), or none. O(1)."""
    if not table.read_as:
        return []
    return [
        f"{table.path}: read as {table.read_as} text (Chinese Windows' code page, as Excel "
        "saves 'CSV' there), not UTF-8; check that the names read right, or save the file "
        "as 'CSV UTF-8'"
    ]
