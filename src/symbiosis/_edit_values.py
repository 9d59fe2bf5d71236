"""Values of a scenario file as its messages show them, and the checks of its numbers.

A scenario file is TOML, where ``factor = "0.5"`` is text: every numeric field of it (an
edit's ``factor``, ``quantity``, ``row``, a new firm's ``lat`` and ``lon``, a shock's
``change``) that holds a number in quotes is refused with the one message and hint,
"'0.5' is text, not a number; remove the quotes: factor = 0.5" (:func:`number_said`), and
other values with their field's own words. Shared by the edits (:mod:`._edit_state`,
:mod:`._edit_types`) and the shocks (:mod:`.scenario_shocks`).

Complexity: O(1) per value (a value is shown without walking it).
"""

from __future__ import annotations

import datetime
import math
from typing import Any

from .arguments import is_number

__all__ = ["coordinate_problems", "number_said", "quoted_number", "shown"]


def shown(value: Any) -> str:
    """A value of a scenario file as messages show it: scalars as Python writes them
    (cut at 40 characters), an array or a table by its kind, never walked (it may be
    nested thousands of levels deep)."""
    if isinstance(value, list):
        return f"an array of {len(value)}"
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, bool):  # as TOML writes them, not Python's True
        return "true" if value else "false"
    if isinstance(value, datetime.date | datetime.time):  # a TOML date, not datetime.date(...)
        return f"the {'time' if isinstance(value, datetime.time) else 'date'} {value.isoformat()}"
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def quoted_number(value: Any) -> bool:
    """Whether ``value`` is a finite number in quotes (TOML's ``factor = "0.5"`` is text)."""
    if not isinstance(value, str):
        return False
    try:
        return math.isfinite(float(value))
    except ValueError:
        return False


def number_said(column: str, value: Any, message: str, hint: str) -> tuple[str, str]:
    """The message and hint for ``value``, refused in the numeric field ``column``: a number
    in quotes is said to be text, with the quotes to remove (the same for every field);
    anything else gets the field's own ``message`` and ``hint``."""
    if quoted_number(value):
        return (f"{shown(value)} is text, not a number",
                f"remove the quotes: {column} = {value.strip()}")  # fmt: skip
    return message, hint


def coordinate_problems(lat: Any, lon: Any) -> list[tuple[str, str, str]]:
    """``(column, message, hint)`` for each bad coordinate of a new firm, with the rules
    and words of firms.csv: a number within [-90, 90] (lat) or [-180, 180] (lon), and a
    latitude that would be a longitude beside a longitude that would be a latitude is
    said to look swapped; a number in quotes as in every numeric field (:func:`number_said`).
    None (not given) passes. O(1)."""
    swapped = is_number(lat) and is_number(lon) and 90 < abs(lat) <= 180 and abs(lon) <= 90
    problems = []
    for column, value, limit, example in (("lat", lat, 90, 30.93), ("lon", lon, 180, 117.81)):
        hint = (f"give {column} in decimal degrees (WGS 84) from -{limit} to {limit}, "
                f"e.g. {column} = {example}, or leave it out")  # fmt: skip
        if value is None:
            continue
        if not is_number(value) or math.isnan(value):
            said = number_said(column, value, f"{shown(value)} is not a coordinate", hint)
            problems.append((column, *said))
        elif column == "lat" and swapped:
            problems.append((column, f"{shown(value)} is outside [-90, 90]; lat and lon look "
                             "swapped", "lat is the north-south coordinate (-90 to 90), lon the "
                             "east-west one: swap the two values"))  # fmt: skip
        elif not abs(value) <= limit:
            problems.append((column, f"{shown(value)} is outside [-{limit}, {limit}]", hint))
    return problems
