"""Firms as the text tables name them: by id where the id reads, by name where it is a code.

The tables showed ids only, unreadable where the ids are codes: a register's credit codes
and licence numbers (91340700MA2N0005B5, 皖危废经第340700008号), an ENA model's N3 and
N6, generated F0001 (``register import`` makes such ids by design). Tongling's ids (CONCH,
JG) read already, and its names are long descriptions: there the id stays alone.

An id is a *code* when it holds a digit; a code whose firm has a name of its own (not
the id again, up to case and punctuation) is shown with that name, cut to
:data:`NAME_WIDTH` cells. The labels are plain text: the tables escape them as any cell
(:func:`~symbiosis.cli.render.frame_table`). Nothing here computes a result.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import TYPE_CHECKING

from rich.cells import cell_len

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

__all__ = ["NAME_WIDTH", "code_name", "loop_labels", "name_and_id", "shortened"]

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
