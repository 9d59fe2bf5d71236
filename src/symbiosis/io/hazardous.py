"""The optional ``hazardous`` column of ``flows.csv`` and ``firms.csv``.

A flow marked hazardous is hazardous waste; a node marked hazardous takes hazardous waste
(a hazardous-waste landfill, treatment centre or radioactive store), so what is sent to it
is hazardous. The opportunities' hazard rules read both
(:mod:`symbiosis.analysis.opportunities.hazards`: no land or food receiver, only the
catalogue rows that name the material).

A cell is ``yes`` (``true``, ``y``, ``1``, ``是``), ``no`` (``false``, ``n``, ``0``,
``否``) or empty; case and spacing are ignored, and any other word is refused at its
file, row and column, every row at once. An empty cell (or a table without the column) is
read from what the row says: yes for a flow whose category says hazardous waste
(``hazardous waste``, 危险废物, 危废, read as ``waste``:
:func:`~symbiosis.vocabulary.hazardous_category`), and for a node whose role says it takes
it (``hazardous waste landfill``, 危废填埋场, read as ``disposal``:
:func:`~symbiosis.vocabulary.hazardous_role`); so the fact outlives the canonical category
or role, and the model's own tables fed back keep it. ``no`` on a flow says it is not
hazardous by its category or by the node it goes to (its material's name or code may
still say so).

The model column holds pandas' nullable booleans (``<NA>`` for empty), in a table that has
the column or a row that says hazardous; the others have none. O(rows) for the codes, one
parse per distinct cell and per distinct category or role.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from ..vocabulary import HAZARDOUS, hazardous_category, hazardous_role
from .columns import Encoded
from .problems import Collector
from .reading import Table
from .substitutable import flags, yes_no_codes

__all__ = ["HAZARDOUS", "HAZARDOUS_HINTS", "check_hazardous", "firm_hazards", "flow_hazards",
           "said_hazardous"]  # fmt: skip

#: The hint for a refused cell, per table.
HAZARDOUS_HINTS = {
    "flows": "write yes (the flow is hazardous waste: it is proposed to no land or food use "
    "and meets only the catalogue rows that name it), no (not hazardous by its category or "
    "by the node it goes to), or leave the cell empty",
    "firms": "write yes (the node takes hazardous waste, a hazardous-waste landfill or a "
    "radioactive store: what is sent to it is hazardous), no, or leave the cell empty",
}


def check_hazardous(
    table: Table, found: Collector, said: np.ndarray | None, what: str
) -> dict[str, pd.Series]:
    """``{"hazardous": nullable booleans}`` for the table ``what`` ("flows", "firms")
    when it has the column or ``said`` (per row, whether its category or role says
    hazardous: :func:`said_hazardous`) holds somewhere; else ``{}``. A refused cell is
    reported in ``found`` (and ``<NA>``); an empty one is yes where ``said``. O(rows)."""
    given = HAZARDOUS in table
    if not given and (said is None or not said.any()):
        return {}
    if given:
        codes = yes_no_codes(table, HAZARDOUS, found, HAZARDOUS_HINTS[what])
    else:
        codes = np.full(len(table), -1, dtype=np.int8)
    if said is not None:
        codes = np.where((codes < 0) & said, np.int8(1), codes)
    return {HAZARDOUS: flags(codes)}


def said_hazardous(words: Encoded, says: Callable[[str], bool]) -> np.ndarray:
    """Per row of an encoded column of categories or roles, whether its word ``says``
    hazardous. One call per distinct word."""
    if not len(words):
        return np.zeros(len(words.codes), dtype=bool)
    return words.lookup(lambda word: bool(word) and says(word), bool)[words.codes]


def flow_hazards(table: Table, found: Collector, categories: Encoded) -> dict[str, pd.Series]:
    """:func:`check_hazardous` of the flows, yes where the category says hazardous."""
    return check_hazardous(table, found, said_hazardous(categories, hazardous_category), "flows")


def firm_hazards(table: Table, found: Collector, roles: Encoded | None) -> dict[str, pd.Series]:
    """:func:`check_hazardous` of the firms, yes where the role says hazardous (no
    ``role`` column: ``roles`` None)."""
    said = None if roles is None else said_hazardous(roles, hazardous_role)
    return check_hazardous(table, found, said, "firms")
