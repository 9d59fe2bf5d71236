"""The optional ``substitutable`` column of ``flows.csv``.

A flow into an actor may be marked as an input its receiver can do without: ``yes`` (also
``true``, ``y``, ``1``, ``是``) says that the receiver makes up for its loss from outside
the recorded flows (a cement works blends more clinker when its slag powder is short, a
plant on a grid buys the power its own plant no longer makes), so in a supply shock it
never limits the receiver's output; ``no`` (``false``, ``n``, ``0``, ``否``) and an empty
cell leave the shock model's rule (:mod:`symbiosis.analysis.propagation`): every product
an actor takes is necessary, every residue counts by its share. Case and spacing are
ignored. Any other word is refused at its file, row and column, every row at once.

The model column holds pandas' nullable booleans (``<NA>`` for an empty cell).
O(rows) for the codes, one parse per distinct cell; messages for the failing rows only.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..vocabulary import SUBSTITUTABLE, yes_no
from .columns import encode
from .problems import Collector
from .reading import Table

__all__ = ["BAD", "SUBSTITUTABLE", "SUBSTITUTABLE_HINT", "check_substitutable", "flags",
           "yes_no_codes"]  # fmt: skip

SUBSTITUTABLE_HINT = (
    "write yes (its receiver makes up for its loss: it never limits the receiver in a "
    "supply shock), no, or leave the cell empty (the shock model's rule)"
)
BAD = 2  # the code of a refused word, beside 1 (yes), 0 (no) and -1 (empty)


def check_substitutable(table: Table, found: Collector) -> dict[str, pd.Series]:
    """``{"substitutable": nullable booleans}`` when ``table`` has the column (else
    ``{}``); every cell that is not yes, no or empty reported in ``found`` (and ``<NA>``
    in the column). O(rows)."""
    if SUBSTITUTABLE not in table:
        return {}
    return {SUBSTITUTABLE: flags(yes_no_codes(table, SUBSTITUTABLE, found, SUBSTITUTABLE_HINT))}


def yes_no_codes(table: Table, column: str, found: Collector, hint: str) -> np.ndarray:
    """Per row of the yes-or-no ``column``: 1 (yes), 0 (no), -1 (empty) or 2 (any other
    word, reported in ``found`` at its row with ``hint``). One parse per distinct cell."""
    cells = table.column(column)
    encoded = encode(cells)
    codes = encoded.lookup(_code, np.int8)[encoded.codes] if len(encoded) else np.zeros(0, np.int8)
    found.add_rows(table, codes == BAD, column, "'{value}' is not yes or no", hint, cells)
    return codes


def flags(codes: np.ndarray) -> pd.Series:
    """Nullable booleans of :func:`yes_no_codes`: ``<NA>`` for empty and refused cells."""
    marks = pd.array(codes == 1, dtype="boolean")
    marks[(codes < 0) | (codes == BAD)] = pd.NA
    return pd.Series(marks)


def _code(cell: str | None) -> int:
    try:
        flag = yes_no(cell or "")
    except ValueError:
        return BAD
    return -1 if flag is None else int(flag)
