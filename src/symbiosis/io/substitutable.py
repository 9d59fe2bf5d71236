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

from ..vocabulary import SUBSTITUTABLE, substitutable_flag
from .columns import encode
from .problems import Collector
from .reading import Table

__all__ = ["SUBSTITUTABLE", "SUBSTITUTABLE_HINT", "check_substitutable"]

SUBSTITUTABLE_HINT = (
    "write yes (its receiver makes up for its loss: it never limits the receiver in a "
    "supply shock), no, or leave the cell empty (the shock model's rule)"
)
_BAD = 2  # the code of a refused word, beside 1 (yes), 0 (no) and -1 (empty)


def check_substitutable(table: Table, found: Collector) -> dict[str, pd.Series]:
    """``{"substitutable": nullable booleans}`` when ``table`` has the column (else
    ``{}``); every cell that is not yes, no or empty reported in ``found`` (and ``<NA>``
    in the column). O(rows)."""
    if SUBSTITUTABLE not in table:
        return {}
    cells = table.column(SUBSTITUTABLE)
    encoded = encode(cells)
    codes = encoded.lookup(_code, np.int8)[encoded.codes] if len(encoded) else np.zeros(0, np.int8)
    found.add_rows(table, codes == _BAD, SUBSTITUTABLE, "'{value}' is not yes or no",
                   SUBSTITUTABLE_HINT, cells)  # fmt: skip
    flags = pd.array(codes == 1, dtype="boolean")
    flags[(codes < 0) | (codes == _BAD)] = pd.NA
    return {SUBSTITUTABLE: pd.Series(flags)}


def _code(cell: str | None) -> int:
    try:
        flag = substitutable_flag(cell or "")
    except ValueError:
        return _BAD
    return -1 if flag is None else int(flag)
