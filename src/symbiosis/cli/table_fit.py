"""Fitting a text table to the console without cutting a number.

rich shrinks the widest columns of a table wider than the console and cuts what no longer
fits with "…": "20,75…" for 20,750,000 t reads as twenty thousand. Here a column of
quantities (every cell a number, with its unit, % or ≤) keeps the width of its widest cell,
and every other column at least that of the longest number in it; the text columns wrap
(or fold a word longer than the column) into what is left. When even that is too wide the
columns are dealt into several tables, one under the other, each repeating the row's
leading (key) columns. Nothing here computes or rounds a value.
"""

from __future__ import annotations

import re
from copy import copy
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from rich.cells import cell_len
from rich.text import Text

if TYPE_CHECKING:
    from rich.console import Console, ConsoleOptions
    from rich.table import Table

#: A cell that is a quantity: a number, maybe after ≤ or ≥, maybe with % or a unit of one
#: or two words ("t/yr", "million m³/yr"), or the dash of a missing value.
_QUANTITY = re.compile(
    r"(?:[≤≥<>~±] ?)?[-+−]?\d[\d,]*(?:\.\d+)?(?:[eE][-+]?\d+)?(?: ?%| [^\s\d(\[][^\s]*){0,2}"
    r"|[–-]|"
)
#: A number inside text, kept on one line.
_NUMBER = re.compile(r"[-+−]?\d[\d,.]*")
#: Text columns wrap down to this many cells (less when their widest cell is narrower),
#: or to their longest word up to WORD_FLOOR; a longer word is folded.
TEXT_FLOOR = 8
WORD_FLOOR = 14
#: A header over narrow numbers folds down to this many cells (less if it is shorter).
HEADER_FLOOR = 8


def _plain(cell: Any) -> str | None:
    """The text a cell shows when it is a string or a Text, else None."""
    if isinstance(cell, Text):
        return cell.plain
    return cell if isinstance(cell, str) else None


def _floor(header: Any, cells: list[Any], natural: int) -> tuple[bool, int]:
    """Whether a column holds quantities only, and the fewest cells (inside the padding)
    it may be given: its widest quantity, or its longest number and a few cells of text.
    O(cells)."""
    texts = [_plain(cell) for cell in cells]
    if texts and all(t is not None and _QUANTITY.fullmatch(t) for t in texts):
        heading = _plain(header) or ""
        words = max(map(cell_len, heading.split()), default=0)
        widest = max(map(cell_len, texts))  # type: ignore[arg-type]
        return bool(widest), max(widest, min(words, HEADER_FLOOR))
    numbers = (cell_len(n) for t in texts if t for n in _NUMBER.findall(t))
    words = max((cell_len(w) for t in texts if t for w in t.split()), default=0)
    text = min(natural, max(TEXT_FLOOR, min(words, WORD_FLOOR)))  # "established" whole
    return False, max(max(numbers, default=0), text)


def _shrunk(natural: list[int], floors: list[int], room: int) -> list[int]:
    """``natural`` widths narrowed to ``room`` in all, the widest first, none below its
    floor (their sum must fit). O(excess x columns)."""
    widths = list(natural)
    excess = sum(widths) - room
    while excess > 0:
        k = max(
            (i for i in range(len(widths)) if widths[i] > floors[i]),
            key=lambda i: widths[i],
        )
        widths[k] -= 1
        excess -= 1
    return widths


def _part(table: Table, columns: list[int], first: bool, last: bool) -> Table:
    """A copy of ``table`` with only ``columns`` (widths not yet fixed); the title on the
    first part only, the caption on the last."""
    part = copy(table)
    part.columns = [replace(table.columns[i], _index=k) for k, i in enumerate(columns)]
    if not first:
        part.title = None
    if not last:
        part.caption = None
    return part


def _room(part: Table, available: int) -> int:
    """The cells ``part``'s columns may fill, borders and padding left out."""
    pads = sum(part._get_padding_width(k) for k in range(len(part.columns)))
    return available - part._extra_width - pads


def _fixed(part: Table, widths: list[int]) -> Table:
    part.columns = [replace(c, width=w) for c, w in zip(part.columns, widths, strict=True)]
    return part


def fitted(table: Table, console: Console, options: ConsoleOptions, keys: int) -> list[Table]:
    """``table`` as one or more tables that fit the console with every number whole:
    ``table`` itself when rich would not shrink it, or copies with fixed column widths,
    each holding the first ``keys`` columns and as many others as fit. ``table`` when no
    split fits either (a console narrower than a key and one number). O(cells)."""
    columns = table.columns
    if not columns:
        return [table]
    available = options.max_width if table.width is None else min(table.width, options.max_width)
    natural = [  # inside the padding
        table._measure_column(console, options, c).maximum - table._get_padding_width(i)
        for i, c in enumerate(columns)
    ]
    if sum(natural) <= _room(table, available):
        return [table]
    floors = []
    for column, width in zip(columns, natural, strict=True):
        numeric, floor = _floor(column.header, column._cells, width)
        floors.append(max(1, floor if numeric else min(width, floor)))
    whole = _part(table, list(range(len(columns))), True, True)
    if sum(floors) <= _room(whole, available):
        return [_fixed(whole, _shrunk(natural, floors, _room(whole, available)))]
    keys = max(0, min(keys, len(columns) - 1))
    head = list(range(keys))
    groups: list[list[int]] = []
    for i in range(keys, len(columns)):
        if groups:
            wider = [*head, *groups[-1], i]
            if sum(floors[j] for j in wider) <= _room(_part(table, wider, True, True), available):
                groups[-1].append(i)
                continue
        groups.append([i])
    parts = []
    for n, group in enumerate(groups):
        shown = [*head, *group]
        part = _part(table, shown, n == 0, n == len(groups) - 1)
        space = _room(part, available)
        if sum(floors[j] for j in shown) > space:
            return [table]
        parts.append(
            _fixed(part, _shrunk([natural[j] for j in shown], [floors[j] for j in shown], space))
        )
    return parts
