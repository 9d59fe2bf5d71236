"""The exact-repeat rule of flows.csv against the plain way: rows compared as tuples of
text, each repeat naming the first row it repeats."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
from hypothesis import given, settings
from hypothesis import strategies as st

from symbiosis.io import repeats as repeats_module
from symbiosis.io.columns import encode, positions_in
from symbiosis.io.problems import Collector
from symbiosis.io.reading import text_table

_ENDPOINT = st.sampled_from(["A", "B", "C", "", "D"])  # C, D and "" are not firms
_ROW = st.tuples(
    _ENDPOINT,
    _ENDPOINT,
    st.sampled_from(["x", "y"]),
    st.sampled_from(["p", "w"]),
    st.sampled_from(["t", "kt"]),
    st.sampled_from(["1", "2", ""]),
)
_NAMES = ("source", "target", "material", "category", "unit", "note")


def _repeats(rows: list[tuple]) -> list[tuple[int, str]]:
    first: dict[tuple, int] = {}
    found = []
    for i, row in enumerate(rows):
        if row in first:
            found.append((i + 2, f"row repeats row {first[row] + 2} exactly"))
        else:
            first[row] = i
    return found


@settings(max_examples=300, deadline=None)
@given(st.lists(_ROW, max_size=30), st.booleans())
def test_repeated_rows_are_those_the_plain_way_finds(rows, narrow):
    """Also with the combined key renumbered at every step (a tiny key limit)."""
    columns = [(name, [row[k] for row in rows]) for k, name in enumerate(_NAMES)]
    table = text_table("flows.csv", columns, np.arange(2, len(rows) + 2))
    source, target = table.column("source"), table.column("target")
    _, source_at, target_at = positions_in(pa.array(["A", "B"]), source, target)
    encoded = tuple(encode(table.column(name)) for name in ("material", "category", "unit"))
    found = Collector()
    limit = repeats_module._KEY_LIMIT
    repeats_module._KEY_LIMIT = 4 if narrow else limit
    try:
        repeats_module.check_repeated_rows(table, (source_at, target_at), encoded, found)
    finally:
        repeats_module._KEY_LIMIT = limit
    assert [(p.row, p.message) for p in found.problems] == _repeats(rows)
