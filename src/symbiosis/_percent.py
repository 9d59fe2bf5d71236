"""A share (a fraction) as the text and the HTML report show it (a leaf: no project
imports): one decimal, ``14.0 %``, as every command and the report show it, and two
significant digits for a share too small for one (``0.028 %``, not ``0.0 %``: the spread
of a Finn cycling index of 0.3 %). One function for both, so that they agree: a tester
read ``14 %`` in ``uncertainty`` where the other commands said ``14.0 %``.

An amount as the text tables show it (:func:`plain_number`), here too so that the
warnings of the io and the registers write ``3,680,000 t`` as the tables do.
"""

from __future__ import annotations

import math

__all__ = ["percent", "plain_number"]

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


def plain_number(value: float) -> str:
    """A quantity as the text tables show it (:func:`symbiosis.cli.render.number`
    calls this): thousands separators and no decimals from 1,000 (``3,680,000``), about four
    significant digits below (``140.5``, ``0.0007853``), never an exponent above 1e-4.
    O(1)."""
    # twelve significant digits first: one sum taken in two orders (914.05 and
    # 914.0499999) would otherwise show as 914.1 beside 914.0
    value = float(f"{value:.12g}")
    magnitude = abs(value)
    if magnitude == 0:
        return "0"
    if magnitude >= 1000 or not math.isfinite(value):
        return f"{value:,.0f}" if math.isfinite(value) else f"{value}"
    if magnitude >= 1:
        return f"{value:,.4g}"  # below 1,000, 4g never writes an exponent
    return f"{value:.4g}"
