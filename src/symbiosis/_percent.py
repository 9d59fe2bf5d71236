"""A share (a fraction) as the text and the HTML report show it (a leaf: no project
imports): one decimal, ``14.0 %``, as every command and the report show it, and two
significant digits for a share too small for one (``0.028 %``, not ``0.0 %``: the spread
of a Finn cycling index of 0.3 %). One function for both, so that they agree: a tester
read ``14 %`` in ``uncertainty`` where the other commands said ``14.0 %``.
"""

from __future__ import annotations

import math

__all__ = ["percent"]

#: Decimals at most, for the smallest shares (0.000000000012 %).
_MOST_DECIMALS = 12


def percent(value: object) -> str:
    """``value`` (a fraction: 0.14) as a percentage (``14.0 %``); ``–`` for None or NaN.
    One decimal, or two significant digits when one decimal would show a nonzero share
    as 0.0 %. O(1)."""
    if value is None:
        return "–"
    number = 100 * float(value)  # type: ignore[arg-type]
    if number != number:
        return "–"
    if number == 0 or abs(number) >= 0.05 or not math.isfinite(number):
        return f"{number:.1f} %"
    decimals = min(_MOST_DECIMALS, 1 - math.floor(math.log10(abs(number))))
    return f"{number:.{decimals}f} %"
