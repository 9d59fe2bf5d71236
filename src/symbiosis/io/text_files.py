"""Files read only as CSV text (a catalogue, a taxonomy, a demands file), and what reading
one says beside its rows.

- :func:`read_as_warnings`: a file read as Chinese GB18030 (Excel's 'CSV' on Chinese
  Windows) is said so, in the words the network's files get, by every reader of a file.

Complexity: O(1) beyond reading the file.
"""

from __future__ import annotations

from .reading import Table

__all__ = ["read_as_warnings"]


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
