"""Firms as the text tables name them: by id where the id reads, by name where it is a code.

The tables showed ids only, unreadable where the ids are codes: a register's credit codes
and licence numbers (91340700MA2N0005B5, 皖危废经第340700008号), an ENA model's N3 and
N6, generated F0001 (``register import`` makes such ids by design). Tongling's ids (CONCH,
JG) read already, and its names are long descriptions: there the id stays alone.

An id is a *code* when it holds a digit; a code whose firm has a name of its own (not
the id again, up to case and punctuation) is shown with that name, cut to
:data:`NAME_WIDTH` cells. The labels are plain text: the tables escape them as any cell
(:func:`~symbiosis.cli.render.frame_table`), and the lines print them through
:func:`~symbiosis.cli.render.markup_safe`. Nothing here computes a result.

Two forms: a firm alone in a cell or a line (a stream's source, a shock's firm) is
``name (id)`` (:func:`name_and_id`, :func:`labelled`); the firms of a path or a list (a
loop, the firms an actor cuts off) are named alone, with the id only where two would
read the same (:func:`loop_labels`, :func:`loop_lines`). The names are looked up in
:func:`firm_names` of the network the ids belong to, only for the rows shown.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from rich.cells import cell_len

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

    import pandas as pd

    from ..model import FlowNetwork

__all__ = [
    "NAME_WIDTH",
    "FirmNames",
    "code_name",
    "firm_names",
    "labelled",
    "loop_labels",
    "loop_lines",
    "name_and_id",
    "named_rows",
    "shortened",
]

#: The most cells a name takes in a table; a longer one ends in "…".
NAME_WIDTH = 30
_DIGIT = re.compile(r"\d")
_NOT_WORD = re.compile(r"[\W_]+")


def shortened(text: str, width: int = NAME_WIDTH) -> str:
    """``text`` cut to ``width`` terminal cells (a CJK character takes two), ending in "…"
    when cut. O(len)."""
    if cell_len(text) <= width:
        return text
    kept, cells = [], 1  # the "…"
    for char in text:
        cells += cell_len(char)
        if cells > width:
            break
        kept.append(char)
    return "".join(kept).rstrip().rstrip("…") + "…"  # a name cut already: one "…"


def code_name(identifier: str, name: object) -> str | None:
    """The name to show for the firm ``identifier``: its name, shortened, when the id is
    a code (holds a digit) and the name is not the id again (up to case and
    punctuation: "Firm 1" for firm_1); else ``None`` (the id reads, or there is no
    other name). O(len)."""
    if not isinstance(name, str) or not _DIGIT.search(identifier):
        return None
    name = " ".join(name.split())
    if not name or _NOT_WORD.sub("", name).casefold() == _NOT_WORD.sub("", identifier).casefold():
        return None
    return shortened(name)


def name_and_id(identifier: str, name: object) -> str:
    """``name (id)`` for a firm whose id is a code and whose name differs (see
    :func:`code_name`), else the id alone. O(len)."""
    shown = code_name(identifier, name)
    return identifier if shown is None else f"{shown} ({identifier})"


def loop_labels(ids: Iterable[str], names: Mapping[str, str]) -> dict[str, str]:
    """How each of ``ids`` is named in a list of loops: its name alone where the id is
    a code (:func:`code_name`; ``names`` maps an id to its name, an id absent from it
    has none), ``name (id)`` where two of ``ids`` would read the same, else the id.
    O(ids)."""
    ids = list(dict.fromkeys(ids))
    shown = {i: code_name(i, names.get(i)) for i in ids}
    count = Counter(i if s is None else s for i, s in shown.items())
    return {i: i if s is None else s if count[s] == 1 else f"{s} ({i})" for i, s in shown.items()}


def labelled(ids: Iterable[Any], names: Mapping[str, str] | None) -> list[str]:
    """:func:`name_and_id` of each of ``ids`` (``names``: id -> name; ``None``, or an id
    absent from it, leaves the id alone). O(len(ids))."""
    names = names or {}
    return [name_and_id(str(i), names.get(str(i))) for i in ids]


def named_rows(rows: pd.DataFrame, names: Mapping[str, str] | None, *columns: str) -> pd.DataFrame:
    """``rows`` (the few a table shows) with the firms of ``columns`` (those it has)
    labelled by :func:`labelled`; the other columns as they are. O(rows)."""
    return rows.assign(**{c: labelled(rows[c], names) for c in columns if c in rows})


def loop_lines(
    loops: Iterable[Iterable[str]], names: Mapping[str, str] | None, arrow: str = " → "
) -> list[str]:
    """Each of ``loops`` (its firms' ids, from any of them) as one line, back to its first
    firm, the firms labelled by :func:`loop_labels` over every loop given (two firms
    named alike read apart in the whole list). Plain text. O(firms of the loops)."""
    listed = [[str(firm) for firm in loop] for loop in loops]
    labels = loop_labels((firm for loop in listed for firm in loop), names or {})
    return [arrow.join(labels[firm] for firm in (*loop, loop[0])) for loop in listed if loop]


class FirmNames(Mapping[str, str]):
    """The firms' names by id, read from a column indexed by id as they are asked for:
    O(1) to make, O(1) a look-up (the index's hash table, built at the first, O(firms))."""

    def __init__(self, names: pd.Series) -> None:
        self._names = names

    def __getitem__(self, identifier: str) -> str:
        name = self._names.get(identifier)
        if name is None:
            raise KeyError(identifier)
        return str(name)

    def __iter__(self) -> Iterator[str]:
        return iter(self._names.index)

    def __len__(self) -> int:
        return len(self._names)


def firm_names(network: FlowNetwork) -> FirmNames:
    """The names of ``network``'s firms by id (its firms table's ``name``: the id where
    the file gave none). O(firms) to copy the column out of the model's table."""
    return FirmNames(network.firms["name"])
