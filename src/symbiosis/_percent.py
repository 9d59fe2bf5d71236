"""A share (a fraction) as the text and the HTML report show it (a leaf: no project
imports): at least two significant digits, whatever its size, so that the shares of one
column compare: one decimal from 1 % (``14.0 %``, ``1.2 %``), two significant digits below
(``0.40 %``, ``0.013 %``, ``0.00099 %``). A tester's column of shares read ``0.4 %`` beside
``0.013 %`` and ``0.00099 %``: one significant digit for the larger ones (0.35 to 0.45 %),
two for the smaller, under a rule of one decimal down to 0.05 %, and 0.05 % itself shown as
``0.1 %``. An exact 0 stays ``0.0 %``. One function for the text and the HTML, so that they
agree: a tester read ``14 %`` in ``uncertainty`` where the other commands said ``14.0 %``.
The JSON keeps every share as the number it is.

An amount as the text tables show it (:func:`plain_number`), here too so that the
warnings of the io and the registers write ``3,680,000 t`` as the tables do; and a distance
in km (:func:`distance_text`), one rule for the text and the HTML.
"""

from __future__ import annotations

import math

__all__ = ["distance_text", "percent", "plain_number"]

#: Decimals at most, for the smallest shares (0.000000000012 %).
_MOST_DECIMALS = 12


def percent(value: object) -> str:
    """``value`` (a fraction: 0.14) as a percentage (``14.0 %``); ``–`` for None or NaN.
    One decimal from 1 %, two significant digits below (``0.40 %``, ``0.028 %``): every
    nonzero share with two significant digits at least. O(1)."""
    if value is None:
        return "–"
    number = 100 * float(value)  # type: ignore[arg-type]
    if number != number:
        return "–"
    if number == 0 or not math.isfinite(number):
        return f"{number:.1f} %"
    rounded = float(f"{number:.2g}")  # 0.996 is 1.0 and 0.0996 is 0.10: the digits shown
    if abs(rounded) >= 1:
        return f"{number:.1f} %"
    decimals = min(_MOST_DECIMALS, 1 - math.floor(math.log10(abs(rounded))))
    return f"{rounded:.{decimals}f} %"


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


#: Below this many km a distance reads to the 100 m, from it to the km.
_WHOLE_KM = 10.0


def distance_text(km: object) -> str:
    """A distance in km as the text tables and the HTML report show it: to the 100 m below
    10 km (``0.2``, ``8.7``), to the km from it (``15``, ``1,240``), ``< 0.1`` for a
    distance under 50 m but not 0; ``–`` for None or NaN. The points are sites (a mill,
    a plant, given by one coordinate), so metres say nothing: a tester's table read
    ``0.1771`` km. The JSON keeps every distance as computed. O(1)."""
    if km is None or isinstance(km, bool):
        return "–"
    value = float(km)  # type: ignore[arg-type]
    if value != value:
        return "–"
    if value == 0 or not math.isfinite(value):
        return f"{value:.0f}" if math.isfinite(value) else f"{value}"
    if abs(value) < 0.05:
        return "< 0.1"
    if abs(value) < _WHOLE_KM:
        return f"{value:.1f}"
    return f"{value:,.0f}"
