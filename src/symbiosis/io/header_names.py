"""Headers in Chinese, Japanese and Korean read as the English names of the columns.

Chinese registers and park surveys head their tables in Chinese (``来源,去向,物料,数量``;
``名称,行业,类型``; a demands file ``企业,物料,数量,单位``), Japanese and Korean ones in
theirs (``出荷元,出荷先,品目,数量,単位``; ``공급처,수요처,물질,수량,단위``). Their roles,
categories and units are read in Chinese and Japanese already: their headers are too. A
header that is a usual name of a column symbiosis reads in one of those languages
(:mod:`symbiosis.vocabulary.headers`: :data:`FIRM_HEADERS`, :data:`FLOW_HEADERS`,
:data:`DEMAND_HEADERS` are the Chinese ones) is read as that column, per table, since one
word names different columns in two tables (``类型`` is a flow's category and a firm's
role; ``单位`` a flow's unit, and in ``接收单位`` a receiving organisation). A required
column still missing from such a table gets a hint naming the headers read as it, and
the table's headers read as none (:func:`~symbiosis.io.columns.check_columns`).
Headers in traditional characters are read as the simplified ones (``來源,去向,數量,單位``:
:func:`symbiosis._hanzi.simplified`). Messages still quote the header as written
(:attr:`~symbiosis.io.reading.Table.written`).

A header read as a column the table has already (``role`` beside ``类型``, or ``类型``
beside ``角色``) is refused at row 1, naming both: neither is chosen silently (found by a
tester: ``类型`` was not read, every landfill and market became a firm, and the reuse
share was 100 %).

Complexity: O(columns); the cells are not touched.
"""

from __future__ import annotations

from .._hanzi import simplified
from ..errors import Problem
from ..vocabulary.headers import DEMAND_HEADERS, FIRM_HEADERS, FLOW_HEADERS, headers_of
from .columns import shown_name
from .reading import Table

__all__ = [
    "DEMAND_HEADERS",
    "FIRM_HEADERS",
    "FLOW_HEADERS",
    "english_headers",
    "headers_of",
    "read_as_english",
]


def _column(english: dict[str, str], name: str) -> str | None:
    """The column a header is read as (:func:`headers_of`), in simplified characters."""
    return english.get(name) or english.get(simplified(name))


def english_headers(names: list[str], what: str) -> list[str]:
    """``names`` (stripped, lower-cased headers) with the Chinese, Japanese and Korean
    ones of the table ``what`` as their English columns."""
    english = headers_of(what)
    return [_column(english, name) or name for name in names]


def read_as_english(table: Table, what: str) -> None:
    """Rename the columns of ``table`` (the ``what`` table, "firms", "flows" or
    "demands") headed by a Chinese, Japanese or Korean name of a column to that column,
    in place. A header whose column the table has already (in English, or under an
    earlier such header)
    keeps its name, and a problem at row 1 in
    :attr:`~symbiosis.io.reading.Table.read_problems` says so (once, however often the
    table is looked at). O(columns)."""
    english = headers_of(what)
    names = list(table.names)
    if not any(_column(english, name) for name in names):
        return
    given = table.written if table.written and len(table.written) == len(names) else names
    written = [shown_name(header) for header in given]
    taken = {name: position for position, name in enumerate(names)
             if _column(english, name) is None}  # fmt: skip
    renamed = list(names)
    for position, name in enumerate(names):
        column = _column(english, name)
        if column is None:
            continue
        if column in taken:
            problem = _twice(table.path, written[position], column, written[taken[column]])
            if problem not in table.read_problems:
                table.read_problems.append(problem)
            continue
        taken[column] = position
        renamed[position] = column
    if renamed != names:
        table.data = table.data.rename_columns(renamed)
        table.__dict__.pop("_columns", None)
        table.__dict__.pop("frame", None)


def _twice(path: str, header: str, column: str, other: str) -> Problem:
    """The problem of ``header``, read as ``column``, which the header ``other`` is."""
    both = f"'{other}'" if other == column else f"'{other}' (read as '{column}')"
    return Problem(
        path,
        1,
        header,
        f"column '{header}' is read as '{column}', and the table has {both} already",
        f"keep one of the two columns, or rename '{header}' if it holds something else",
    )
