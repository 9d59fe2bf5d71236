"""Coordinates written in degrees, minutes and seconds, as reports and Chinese registers give
them (``30°55′12″N``, ``117°49'E``, ``北纬30°55′``, ``北緯25°02′``, ``-30.5°``): each such cell
rewritten as decimal degrees before the number rules read the column, and the messages still
quote the cell as written. A cell with minutes or seconds of 60 or more, or a hemisphere of
the other axis (``E`` in a latitude), is left as written, and refused as not a coordinate.

Complexity: O(rows) for one vectorised test of the column; one parse per distinct cell
that holds a degree sign or a Chinese hemisphere.
"""

from __future__ import annotations

import re

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .parsing import is_ascii

__all__ = ["decimal_degrees"]

_NUMBER = r"([0-9]+(?:\.[0-9]+)?)"
_CELL = re.compile(
    rf"\s*(?P<prefix>[北南][纬緯]|[东東西][经經])?\s*(?P<sign>[+-])?\s*{_NUMBER}\s*°\s*"
    rf"(?:{_NUMBER}\s*['′’]\s*)?(?:{_NUMBER}\s*(?:[\"″”]|''|′′)\s*)?(?P<hemisphere>[NSEW])?\s*",
    re.IGNORECASE,
)
# in simplified and traditional characters (北緯, 東經)
_HEMISPHERES = {"lat": {"N": 1, "S": -1, "北纬": 1, "南纬": -1, "北緯": 1, "南緯": -1},
                "lon": {"E": 1, "W": -1, "东经": 1, "西经": -1, "東經": 1, "西經": -1}}  # fmt: skip


def decimal_degrees(column: pa.Array, axis: str) -> pa.Array | None:
    """``column`` (the ``lat`` or ``lon`` cells, by ``axis``) with each cell in degrees
    notation rewritten as decimal degrees; None when no cell is. A column of ASCII text
    (decimal degrees: nearly every file) is told by a look at its bytes, without the
    regular expression (whose first use costs 0.2 s)."""
    if is_ascii(column):
        return None
    marked = pc.match_substring_regex(column, "°|[纬緯经經]").to_numpy(zero_copy_only=False)
    marked = np.asarray(marked, dtype=bool)
    if not marked.any():
        return None
    positions = np.flatnonzero(marked)
    cells = column.take(pa.array(positions, pa.int64())).to_pylist()
    read = {cell: _decimal(cell, axis) for cell in set(cells)}
    text = np.asarray(column.to_pylist(), dtype=object)
    text[positions] = [read[cell] for cell in cells]
    return pa.array(text, pa.string())


def _decimal(cell: str, axis: str) -> str:
    """The cell as decimal degrees, or as written when it is not a coordinate of ``axis``."""
    found = _CELL.fullmatch(cell)
    if found is None:
        return cell
    degrees, minutes, seconds = (float(g) if g else 0.0 for g in found.group(3, 4, 5))
    marks = [m.upper() if m.isascii() else m for m in found.group("prefix", "hemisphere") if m]
    signs = _HEMISPHERES[axis]
    if minutes >= 60 or seconds >= 60 or len(marks) > 1 or any(m not in signs for m in marks):
        return cell
    sign = (-1 if found.group("sign") == "-" else 1) * (signs[marks[0]] if marks else 1)
    return repr(sign * (degrees + minutes / 60 + seconds / 3600))
