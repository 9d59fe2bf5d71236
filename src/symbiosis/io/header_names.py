"""Headers in Chinese read as the English names of the columns.

Chinese registers and park surveys head their tables in Chinese (``来源,去向,物料,数量``;
``名称,行业,类型``; a demands file ``企业,物料,数量,单位``). Their roles, categories and units
are read in Chinese already: their headers are too. A header that is a usual Chinese name
of a column symbiosis reads (:data:`FIRM_HEADERS`, :data:`FLOW_HEADERS`,
:data:`DEMAND_HEADERS`) is read as that column, per table, since one word names different
columns in two tables (``类型`` is a flow's category and a firm's role; ``单位`` a flow's unit,
and in ``接收单位`` a receiving organisation).
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
from .columns import shown_name
from .reading import Table

__all__ = [
    "DEMAND_HEADERS",
    "FIRM_HEADERS",
    "FLOW_HEADERS",
    "english_headers",
    "headers_of",
    "read_as_english",
    "read_in_chinese",
]

#: The Chinese headers of the firms' columns.
FIRM_HEADERS = {
    "id": ("编号", "企业编号", "节点编号"),
    "name": ("名称", "企业名称", "单位名称", "节点名称"),
    "sector": ("行业", "所属行业", "部门", "产业", "行业类别"),
    "role": ("角色", "类型", "节点类型", "企业类型"),
    "lat": ("纬度",),
    "lon": ("经度",),
}
#: The Chinese headers of the flows' columns (``产生量`` and ``利用量``, a register's
#: generated and used amounts, are two quantities: only suggested, by the rename hint).
FLOW_HEADERS = {
    "source": ("来源", "来源单位", "产生单位", "产生企业", "供方", "供应方"),
    "target": ("去向", "目标", "去向单位", "接收单位", "接收企业", "需方", "利用单位"),
    "material": ("物料", "物质", "物料名称", "废物名称"),
    "quantity": ("数量", "流量"),
    "unit": ("单位", "计量单位"),
    "category": ("类别", "类型", "种类"),
    "year": ("年份", "年度", "年"),
    "price": ("单价", "价格"),
}
#: The Chinese headers of a demands file's columns (:mod:`~symbiosis.io.demands`): the
#: flows' for the material, quantity and unit; for the firm, which takes the material,
#: the flows' receiver's and the firms' id's, with ``企业`` (firm) and ``需求企业`` /
#: ``需求单位`` (the firm, the unit that demands); ``需求量`` (the quantity demanded) and
#: ``备注`` (notes) besides.
DEMAND_HEADERS = {
    "firm": ("企业", "需求企业", "需求单位", *FIRM_HEADERS["id"], *FLOW_HEADERS["target"]),
    "material": FLOW_HEADERS["material"],
    "quantity": (*FLOW_HEADERS["quantity"], "需求量"),
    "unit": FLOW_HEADERS["unit"],
    "notes": ("备注",),
}
_TABLES = {"firms": FIRM_HEADERS, "flows": FLOW_HEADERS, "demands": DEMAND_HEADERS}


def headers_of(what: str) -> dict[str, str]:
    """Each Chinese header of the table ``what`` ("firms", "flows", "demands") to its
    column."""
    return {chinese: column for column, words in _TABLES[what].items() for chinese in words}


def _column(english: dict[str, str], name: str) -> str | None:
    """The column a header is read as (:func:`headers_of`), in simplified characters."""
    return english.get(name) or english.get(simplified(name))


def read_in_chinese(column: str, what: str) -> str:
    """The Chinese headers read as ``column`` of the table ``what``, for a hint: '企业,
    需求企业, 需求单位 ...' (the first three), or '' when there are none.

    >>> read_in_chinese("quantity", "demands")
    '数量, 流量, 需求量'
    """
    words = _TABLES[what].get(column, ())
    return ", ".join(words[:3]) + (" ..." if len(words) > 3 else "")


def english_headers(names: list[str], what: str) -> list[str]:
    """``names`` (stripped, lower-cased headers) with the Chinese ones of the table
    ``what`` as their English columns."""
    english = headers_of(what)
    return [_column(english, name) or name for name in names]


def read_as_english(table: Table, what: str) -> None:
    """Rename the columns of ``table`` (the ``what`` table, "firms", "flows" or
    "demands") headed by a Chinese name of a column to that column, in place. A header
    whose column the table has already (in English, or under an earlier Chinese header)
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
