"""The hints of the number messages: each cell's own number as it should be written,
in ASCII digits ('1，200' -> 1200, '3.5亿' -> 350000000), whatever marks and forms the cell
was written with. O(len(cell)) each; called on the listed cells of a message only.
"""

from __future__ import annotations

import re
from decimal import Decimal

from ..units import HALF_WIDTH

__all__ = ["SPACES_AND_MARKS", "ambiguous_point_hint", "in_full", "plainly"]

#: What groups thousands besides the comma (after the full-width forms are read as ASCII,
#: so a full-width comma, apostrophe or ideographic space is one of these): a space, a
#: no-break, narrow no-break, thin or figure space (the SI brochure's thin space), an
#: apostrophe (Swiss: ASCII, right single quote, modifier letter) or the Arabic thousands
#: separator.
SPACES_AND_MARKS = " \u00a0\u202f\u2009\u2007'\u2019\u02bc\u066c"


def plainly(cell: str, *, decimal_comma: bool = False) -> str:
    """``cell``, a number written with thousands separators (any of a comma, a dot,
    :data:`SPACES_AND_MARKS`, or their full-width forms), in plain digits, with the
    column's decimal mark (a comma when ``decimal_comma``). The decimal mark written is
    the later of a dot and a comma when both are there; a comma alone when the column
    writes decimal commas, or when it is followed by other than three digits (1 200,5);
    a dot alone when it is the only one and the column writes decimal points. O(len(cell)).

    >>> plainly("1，200"), plainly("1.200,5"), plainly("1 200.5"), plainly("1.200.000")
    ('1200', '1200.5', '1200.5', '1200000')
    >>> plainly("1.200", decimal_comma=True), plainly("1,200.5", decimal_comma=True)
    ('1200', '1200,5')
    """
    body = cell.translate(HALF_WIDTH).strip()
    dot, comma = body.rfind("."), body.rfind(",")
    if dot >= 0 and comma >= 0:
        decimal = "." if dot > comma else ","
    elif comma >= 0:
        alone = body.count(",") == 1 and len(body) - comma - 1 != 3
        decimal = "," if decimal_comma or alone else ""
    elif dot >= 0:
        decimal = "." if not decimal_comma and body.count(".") == 1 else ""
    else:
        decimal = ""
    whole, fraction = body.rsplit(decimal, 1) if decimal else (body, None)
    whole = re.sub(f"[.,{SPACES_AND_MARKS}]", "", whole)
    if fraction is None:
        return whole
    return f"{whole}{',' if decimal_comma else '.'}{fraction}"


#: What each multiplier of :data:`symbiosis.io.numbers._MULTIPLIED` multiplies by.
_MULTIPLIERS = dict.fromkeys("万萬만", 4) | dict.fromkeys("亿億억", 8) | dict.fromkeys("千천", 3)


def in_full(cell: str) -> str:
    """The hint's own example for a number with a multiplier (``cell``, in ASCII digits):
    '12万 is 120000'; exact in decimal, so 3.5亿 is 350000000, not 350000000.00000006.

    >>> in_full("3.5亿")
    '3.5亿 is 350000000'
    """
    number, multiplier = cell.strip()[:-1].strip(), cell.strip()[-1]
    value = Decimal(number).scaleb(_MULTIPLIERS[multiplier]).normalize()
    return f"{number}{multiplier} is {value:f}"


def ambiguous_point_hint(cell: str) -> str:
    """What to write instead of ``cell``, one group of three digits after a point in a
    file of decimal commas (``1.234``): the cell's own number either way.

    >>> ambiguous_point_hint("1.234")
    'write 1234 for the whole number, or 1,234 with a decimal comma'
    """
    cell = cell.strip()
    return (
        f"write {cell.replace('.', '')} for the whole number, or {cell.replace('.', ',')} "
        "with a decimal comma"
    )
