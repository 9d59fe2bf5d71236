"""The hints of the number messages: each cell's own number as it should be written,
in ASCII digits ('1，200' -> 1200, '3.5亿' -> 350000000), whatever marks and forms the cell
was written with. O(len(cell)) each; called on the listed cells of a message only.
"""

from __future__ import annotations

import re
from decimal import Decimal

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ..units import HALF_WIDTH

__all__ = [
    "GROUPED",
    "SPACES_AND_MARKS",
    "ambiguous_point_hint",
    "in_full",
    "plain_values",
    "plainly",
]

#: What groups thousands besides the comma (after the full-width forms are read as ASCII,
#: so a full-width comma, apostrophe or ideographic space is one of these): a space, a
#: no-break, narrow no-break, thin or figure space (the SI brochure's thin space), an
#: apostrophe (Swiss: ASCII, right single quote, modifier letter) or the Arabic thousands
#: separator.
SPACES_AND_MARKS = " \u00a0\u202f\u2009\u2007'\u2019\u02bc\u066c"
#: A number written with thousands separators (an RE2 and Python expression, ASCII): groups
#: of three digits after one of :data:`SPACES_AND_MARKS` or a comma; or several groups with
#: dots (1.200.000: two dots are never one decimal point), or with a dot and a decimal
#: comma (1.200,5) or a space and a decimal comma (1 200,5), as continental Europe writes
#: them.
GROUPED = (
    f"[+-]?[0-9]{{1,3}}(([,{SPACES_AND_MARKS}][0-9]{{3}})+(\\.[0-9]+)?"
    f"|(\\.[0-9]{{3}}){{2,}}|([.{SPACES_AND_MARKS}][0-9]{{3}})+,[0-9]+)"
)


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
    elif comma >= 0:  # one comma before other than a group of three digits: 1,5 1,2345
        alone = body.count(",") == 1 and not re.match(r"[0-9]{3}(?![0-9])", body[comma + 1 :])
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


def plain_values(cells: pa.Array, *, decimal_comma: bool = False) -> np.ndarray:
    """The numbers :func:`plainly` writes for ``cells`` (ASCII, stripped: full-width forms
    read first), as floats, NaN where it writes no number: the same choice of the decimal
    mark, made on the whole column at once. Vectorised on Arrow, O(total length).

    >>> plain_values(pa.array(["1,200", "1.200,5", "1 200.5", "x"])).tolist()
    [1200.0, 1200.5, 1200.5, nan]
    """
    if not len(cells):
        return np.zeros(0)
    dots, commas = (pc.count_substring(cells, mark).to_numpy() for mark in ".,")
    backwards = pc.utf8_reverse(cells)  # where the last mark is: characters after it
    after_dot, after_comma = (pc.find_substring(backwards, m).to_numpy() for m in ".,")
    both = (dots > 0) & (commas > 0)  # the later is the decimal mark
    point = both & (after_dot < after_comma)
    point |= ~both & (dots == 1) & (commas == 0) & (not decimal_comma)
    group = pc.match_substring_regex(cells, ",[0-9]{3}([^0-9]|$)").to_numpy(zero_copy_only=False)
    alone = (commas == 1) & ~group  # 1,5 but not 1,200
    comma = both & (after_comma < after_dot)
    comma |= ~both & (dots == 0) & (commas > 0) & (alone | decimal_comma)
    whole, fraction = cells, pa.nulls(len(cells), pa.string())
    for mask, mark in ((point, r"\."), (comma, ",")):  # split at the decimal mark
        if mask.any():
            parts = pc.extract_regex(cells, f"^(?P<whole>.*){mark}(?P<fraction>[^{mark}]*)$")
            chosen = pa.array(mask)
            whole = pc.if_else(chosen, pc.struct_field(parts, "whole"), whole)
            fraction = pc.if_else(chosen, pc.struct_field(parts, "fraction"), fraction)
    digits = pc.replace_substring_regex(whole, f"[.,{SPACES_AND_MARKS}]", "")
    number = pc.coalesce(pc.binary_join_element_wise(digits, fraction, "."), digits)
    plain = pc.match_substring_regex(number, r"^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)$")
    read = pc.if_else(plain, number, pa.scalar(None, pa.string()))
    return pc.cast(read, pa.float64()).to_numpy(zero_copy_only=False).astype(float)


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
