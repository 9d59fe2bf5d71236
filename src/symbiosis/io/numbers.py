"""Numeric cells: plain ASCII numbers only, located messages for everything else.

Accepted: ``1200.5``, ``-3``, ``1e6``, ``.5``, in ASCII or in full-width forms (``２５００``,
as Chinese and Japanese input methods type digits); in a ``;``-separated file the decimal mark may
be a comma, and so in a tab-separated column that writes decimal commas
(:func:`_decimal_comma_column`). Refused, each with its own message: spreadsheet errors
(``#VALUE!``), non-finite values (``NaN``, ``inf``, ``N/A``, ``1e999``), numbers too close
to zero for a float (``1e-400``, which would be read as 0), thousands separators
(``1,200``, ``1 200``, ``1'200``, ``1.200.000``; in a ``;`` file ``1.200``, or ambiguous
when nothing in the column tells), and any other text. Every hint that suggests a number
gives the cell's own, in ASCII digits (:func:`plainly`: '1，200' -> 1200). Vectorised on
Arrow: a cell of digits only is recognised without a regular expression; the regular
expressions run on the other cells, and the bad cells are classified among themselves
only. O(rows).
"""

from __future__ import annotations

import re
from collections.abc import Callable

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ..units import HALF_WIDTH, UnknownUnitError, parse_unit
from .columns import is_empty
from .number_hints import (
    GROUPED,
    ambiguous_point_hint,
    in_full,
    plain_values,
    plainly,
)
from .problems import Collector, cells, shorten
from .reading import Table

__all__ = ["NUMBER", "ambiguous_point_hint", "grouped_values", "parse_numbers", "plainly"]

NUMBER = r"[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?"  # ASCII only
_NON_FINITE = r"[+-]?(nan|inf|infinity|n/a|na)"
_SPREADSHEET_ERROR = r"#[a-z0-9/]+[!?]?"  # #N/A, #VALUE!, #DIV/0!, #REF!, #NAME?
# A number (plain, grouped or with a decimal comma) followed by a unit: 1200 t, 3,5 MWh/a.
_WITH_UNIT = r"[+-]?[0-9][0-9, .\x{a0}\x{202f}']*([eE][+-]?[0-9]+)?\s*\pL[\pL\pN/³²·.\-]*"
_NUMBER_THEN = re.compile(
    r"\s*[+-]?[0-9][0-9, .\u00a0\u202f'\u2019]*(?:[eE][+-]?[0-9]+)?\s*(.+?)\s*$"
)
# A number with a Chinese, Japanese or Korean multiplier and no unit: 12万 (ten thousand;
# 萬, 만), 3.5亿 (a hundred million; 億, 억), 40千 (a thousand; 천).
_MULTIPLIED = r"[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)\s*[万萬만亿億억千천]"
_PLAIN = r"[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)"
# A range (2000-3000, 2000~3000, 2000至3000, 2000 to 3000) and an approximate number
# (约5500, ca. 40, ~300, 5500左右): a number the user knows, said with its spread
_RANGE = rf"{_PLAIN}\s*([-–—~～至到]|(?i:to))\s*{_PLAIN}"
_ABOUT = (
    rf"((约|大约|约为|近|~|～|≈|(?i:ca\.?|c\.|approx\.?|approximately|about|circa))\s*{_PLAIN})"
    rf"|({_PLAIN}\s*(左右|余|多))"
)
#: Columns whose cells give a size, with the unit in the ``unit`` column.
_SIZES = ("quantity", "quantity_low", "quantity_high")


def full_match(column: pa.Array, pattern: str, ignore_case: bool = False) -> np.ndarray:
    """Mask of the cells that ``pattern`` (RE2 syntax) matches whole. O(rows)."""
    matched = pc.match_substring_regex(column, f"^(?:{pattern})$", ignore_case=ignore_case)
    return matched.to_numpy(zero_copy_only=False)


def _where(mask: np.ndarray, column: pa.Array, pattern: str, ignore_case=False) -> np.ndarray:
    """``mask`` narrowed to the cells that ``pattern`` matches whole; the expression runs on
    the masked cells only."""
    positions = np.flatnonzero(mask)
    result = np.zeros(len(mask), dtype=bool)
    if len(positions):
        subset = column.take(pa.array(positions, pa.int64()))
        result[positions] = full_match(subset, pattern, ignore_case)
    return result


def _to_float(text: pa.Array, valid: np.ndarray) -> np.ndarray:
    """Floats of the cells where ``valid`` (already checked to be plain numbers), NaN
    elsewhere."""
    if not valid.any():
        return np.full(len(text), np.nan)
    missing = pa.scalar(None, pa.string())
    chosen = text if valid.all() else pc.if_else(pa.array(valid), text, missing)
    try:
        return pc.cast(chosen, pa.float64()).to_numpy(zero_copy_only=False).astype(float)
    except (TypeError, ValueError, pa.ArrowException):
        parsed = pd.to_numeric(pd.Series(chosen.to_pandas()), errors="coerce")
        return parsed.to_numpy(dtype=float, na_value=np.nan)


def _plain_numbers(text: pa.Array, candidates: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Mask of the ``candidates`` that are plain numbers (:data:`NUMBER`), and the floats
    of those cells (NaN elsewhere; ``inf`` for a number too large for a float).

    Fast path: Arrow casts every candidate at once. A finite float from Arrow's parser is
    only ever read from a cell that :data:`NUMBER` matches (digits, one optional point,
    an optional exponent: ``tests/test_io_numbers_fast.py`` checks this on random text),
    so only the cells it reads as ``nan`` or ``inf`` go through the regular expression.
    When Arrow refuses some cell, every cell takes the slow path: digits recognised
    without a regular expression, the others matched against :data:`NUMBER`."""
    missing = pa.scalar(None, pa.string())
    chosen = text if candidates.all() else pc.if_else(pa.array(candidates), text, missing)
    try:
        values = pc.cast(chosen, pa.float64()).to_numpy(zero_copy_only=False).astype(float)
    except (TypeError, ValueError, pa.ArrowException):
        return _plain_numbers_slowly(text, candidates)
    finite = np.isfinite(values)
    valid = candidates & finite
    unusual = candidates & ~finite  # 1e999 (a number, too large) or nan, inf (not numbers)
    if unusual.any():
        large = _where(unusual, text, NUMBER)
        valid |= large
        values[unusual & ~large] = np.nan
    return valid, values


def _half_width(text: pa.Array, failed: np.ndarray) -> tuple[pa.Array, np.ndarray]:
    """``text`` with the cells of ``failed`` (those not ASCII) written in full-width forms
    (:data:`~symbiosis.units.HALF_WIDTH`) rewritten in ASCII and stripped, and the mask of
    those cells: then read as numbers, or refused with the message of the ASCII text
    (``２,５００`` has a thousands separator), quoting the cell as written. O(failed
    cells)."""
    positions = np.flatnonzero(failed)
    rewritten = np.zeros(len(text), dtype=bool)
    if not len(positions):
        return text, rewritten
    before = text.take(pa.array(positions, pa.int64())).to_pylist()
    after = [cell.translate(HALF_WIDTH).strip() for cell in before]
    changed = [i for i, (old, new) in enumerate(zip(before, after, strict=True)) if old != new]
    if not changed:
        return text, rewritten
    rewritten[positions[changed]] = True
    new_cells = pa.array([after[i] for i in changed], pa.string())
    return pc.replace_with_mask(text, pa.array(rewritten), new_cells), rewritten


def _not_ascii(text: pa.Array) -> np.ndarray:
    """Mask of the cells that hold a character past ASCII. The usual column, all ASCII,
    is told from its bytes at once (a scan of its data buffer, about 1 ms a million
    cells, where the check cell by cell takes some 50 ms). O(bytes)."""
    data = text.buffers()[2] if pa.types.is_string(text.type) else None
    if data is not None and not text.offset:
        end = text.buffers()[1]  # the offsets: only the bytes of the cells are read
        last = int(np.frombuffer(end, np.int32, count=len(text) + 1)[-1]) if end else 0
        if np.frombuffer(data, np.uint8, count=last).max(initial=0) < 0x80:
            return np.zeros(len(text), dtype=bool)
    return ~pc.string_is_ascii(text).fill_null(True).to_numpy(zero_copy_only=False)


def _underflow(text: pa.Array, zero: np.ndarray) -> np.ndarray:
    """Mask of the cells read as 0 (``zero``) whose digits before the exponent are not all
    zero: ``1e-400``, a number too small for a float, which the parse rounds to 0. The
    expression runs on the zeros only. O(rows)."""
    if not zero.any():
        return zero
    return _where(zero, text, r"[+-]?[0-9.]*[1-9][0-9.]*([eE][+-]?[0-9]+)?")


def _plain_numbers_slowly(text: pa.Array, candidates: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """:func:`_plain_numbers` cell by cell pattern: digits recognised without a regular
    expression, the other cells matched against :data:`NUMBER`."""
    digits = pc.ascii_is_decimal(text).to_numpy(zero_copy_only=False)  # the common case
    valid = (digits | _where(~digits & candidates, text, NUMBER)) & candidates
    return valid, _to_float(text, valid)


def parse_numbers(
    table: Table,
    column: str,
    found: Collector,
    *,
    minimum=None,
    what="a number",
    hint="write a plain number like 1200.5 (or leave it empty if unknown)",
    negative_hint="quantities are >= 0; reverse source and target for a flow the other way",
    cells: pa.Array | None = None,
) -> np.ndarray:
    """Parse a text column as floats; empty cells become NaN; bad cells are reported.

    Plain ASCII numbers only (``1200.5``, ``-3``, ``1e6``); a number too large for a
    float is refused like ``inf``, and one too close to zero (``1e-400``, which the
    parse rounds to 0) too. In a ``;``-separated file the decimal mark may be a
    comma; there a dot before three digits (``1.200``) is refused as a thousands
    separator when the column uses decimal commas, and as ambiguous when nothing in the
    column tells (it is read as a decimal point only if other cells of the column use
    one). ``cells``: the column's cells as rewritten before parsing (coordinates in
    degrees and minutes), the messages still quoting the cells as written. O(rows),
    vectorised.
    """
    original = table.column(column)  # messages quote the cell as written
    text = original if cells is None else cells  # cells to parse, when rewritten first
    # Full-width forms read as ASCII first, so that every rule below (decimal commas,
    # separators) and every hint (the number as it should be written) sees ASCII; the
    # translation runs on the cells that are not ASCII only.
    text, _ = _half_width(text, _not_ascii(text))
    written = text  # before the decimal commas become points: the hints' numbers
    reported = np.zeros(len(text), dtype=bool)
    if table.decimal_comma or (table.separator == "\t" and _decimal_comma_column(text)):
        text, reported = _decimal_commas(table, column, text, found, original)
    empty = is_empty(text)
    valid, values = _plain_numbers(text, ~empty & ~reported)
    overflow = valid & ~empty & ~np.isfinite(values)  # 1e999, or unparsed
    if overflow.any():
        found.add_rows(
            table,
            overflow,
            column,
            "'{value}' is not a finite number",
            "leave the cell empty if the value is unknown",
            original,
        )
        values[overflow] = np.nan
    underflow = _underflow(text, valid & (values == 0))
    if underflow.any():
        found.add_rows(
            table,
            underflow,
            column,
            "'{value}' is too close to zero for a float (the least is about 5e-324)",
            "check the unit; write 0 if the value is nothing",
            original,
        )
        values[underflow] = np.nan
    bad = ~valid & ~empty & ~reported
    if bad.any():
        nonfinite = _where(bad, text, _NON_FINITE, ignore_case=True)
        formula = _where(bad, text, _SPREADSHEET_ERROR, ignore_case=True)
        grouped = _where(bad, text, GROUPED)
        unit = _with_unit(bad & ~nonfinite & ~grouped, text) if column in _SIZES else None
        other = bad & ~nonfinite & ~formula & ~grouped
        if column in _SIZES:
            multiplied = _where(other, text, _MULTIPLIED)
            _add_each(table, multiplied, column, found, (original, text),
                      "write the number in full", lambda shown, cell: (
                f"'{shown}' holds a multiplier (万 is ten thousand, 亿 a hundred million, 千 a "
                "thousand; 萬 and 만, 億 and 억, 천 the same)",
                f"write the number in full ({in_full(cell)}), or the number alone and the "
                "multiplier in the unit (万t, 亿m3, 천m3)"))  # fmt: skip
            other &= ~multiplied
            other &= ~_spread_said(table, column, other, text, found, original)
        if unit is not None:
            found.add_rows(
                table,
                unit,
                column,
                "'{value}' holds a unit",
                "write the number alone, and the unit in the unit column",
                original,
            )
            other &= ~unit
        found.add_rows(
            table,
            formula,
            column,
            "'{value}' is a spreadsheet error, not a number",
            "fix the formula that gave it, or leave the cell empty if the value is unknown",
            original,
        )
        found.add_rows(
            table,
            nonfinite,
            column,
            "'{value}' is not a finite number",
            "leave the cell empty if the value is unknown",
            original,
        )
        _add_grouped(
            table, grouped, column, found, (original, written), decimal_comma=table.decimal_comma
        )
        comma = _where(other, text, r"[+-]?[0-9]*,[0-9]+")  # a decimal comma, out of place
        found.add_rows(table, other & ~comma, column, f"'{{value}}' is not {what}", hint, original)
        _add_each(table, comma, column, found, (original, text),
                  "write it with a decimal point", lambda shown, cell: (
            f"'{shown}' is not {what} (a decimal comma?)",
            f"write it with a decimal point, e.g. {cell.strip().replace(',', '.')}: a decimal "
            "comma is read in ';'-separated and tab-separated files only"))  # fmt: skip
    if minimum is not None:
        negative = values < minimum
        found.add_rows(table, negative, column, "{value} is negative", negative_hint, original)
    return values


def grouped_values(text: pa.Array, *, decimal_comma: bool = False) -> np.ndarray:
    """What the cells of ``text`` written with thousands separators say, as the hint of
    their problem writes it (:func:`plainly`: '1,200' and '１，２００' are 1200); NaN for
    the other cells. ``decimal_comma``: the file's decimal mark is a comma. For a rule
    comparing what cells say (a row repeating another, its quantity written otherwise).
    Vectorised; O(len(text)), the cells past ASCII read one by one."""
    text, _ = _half_width(text, _not_ascii(text))
    grouped = full_match(text, GROUPED).astype(bool)  # a missing cell (None): False
    values = np.full(len(text), np.nan)
    if grouped.any():
        cells = text.filter(pa.array(grouped))
        values[grouped] = plain_values(cells, decimal_comma=decimal_comma)
    return values


def _add_each(
    table: Table,
    mask: np.ndarray,
    column: str,
    found: Collector,
    text: tuple[pa.Array, pa.Array],
    rest: str,
    say: Callable[[str, str], tuple[str, str]],
) -> None:
    """One problem per cell of ``mask``, ``say(shown, cell)`` giving its message and hint
    from the cell as written (``text[0]``, shortened) and its ASCII form (``text[1]``), so
    that the hint may give the cell's own number; ``rest``: the hint of the line counting
    the rows past those listed. O(listed cells)."""

    def each(listed: np.ndarray) -> list[tuple[str, str]]:
        quoted, ascii_cells = (cells(values, listed) for values in text)
        return [say(shorten(shown), cell) for shown, cell in zip(quoted, ascii_cells, strict=True)]

    found.add_listed(table, np.flatnonzero(mask), column, rest, each)


def _add_grouped(
    table: Table,
    mask: np.ndarray,
    column: str,
    found: Collector,
    text: tuple[pa.Array, pa.Array],
    *,
    decimal_comma: bool,
) -> None:
    """One problem per cell of ``mask`` written with a thousands separator, quoting the
    cell as written (``text[0]``) and the hint giving its own number as it should be
    written, read from its ASCII form (``text[1]``): '1,234' and '1，234' -> 1234; a year
    '2,019' -> 2019; a coordinate, which has no thousands, with one decimal mark.
    ``decimal_comma``: the column's decimal mark is a comma (so a dot groups).
    O(listed cells)."""
    mark = "." if decimal_comma else ","

    def hint(cell: str) -> str:
        if column == "year":
            return f"write the year as {plainly(cell, decimal_comma=decimal_comma)}"
        if column in ("lat", "lon"):
            other = "," if decimal_comma else "."
            return (
                f"a coordinate has no thousands: write decimal degrees with one "
                f"decimal mark, e.g. {cell.strip().replace(mark, other, 1)}"
            )
        return f"write plain digits, e.g. {plainly(cell, decimal_comma=decimal_comma)}"

    _add_each(table, mask, column, found, text, "write plain digits",
              lambda shown, cell: (f"'{shown}' has a thousands separator", hint(cell)))  # fmt: skip


def _with_unit(mask: np.ndarray, text: pa.Array) -> np.ndarray:
    """``mask`` narrowed to the cells that are a number followed by a unit symbiosis
    reads (``1200 t``, ``3.5MWh/a``; not ``0x1F``): one unit parse per distinct cell."""
    shaped = _where(mask, text, _WITH_UNIT)
    positions = np.flatnonzero(shaped)
    if not len(positions):
        return shaped
    cells = text.take(pa.array(positions, pa.int64())).to_pylist()
    known = {cell: _is_unit(_NUMBER_THEN.match(cell)) for cell in set(cells)}
    shaped[positions] = [known[cell] for cell in cells]
    return shaped


def _is_unit(found: re.Match[str] | None) -> bool:
    """Whether the text after the number is a unit symbiosis reads."""
    if found is None:
        return False
    try:
        parse_unit(found.group(1))
    except UnknownUnitError:
        return False
    return True


def _decimal_comma_column(text: pa.Array) -> bool:
    """Whether a column of a tab-separated file writes its numbers with decimal commas,
    as Excel's 'Unicode Text' export does on European locales: some cell has a comma
    that cannot group thousands ('150,5', '1234,25'), and none has both a comma and a
    point ('1,234.5' groups with the comma). A column of '1,234' alone is left to the
    thousands rule, as in a ',' file. The expressions run on the cells with a comma
    only. O(rows)."""
    comma = pc.match_substring(text, ",").to_numpy(zero_copy_only=False)
    if not comma.any():
        return False
    if (comma & pc.match_substring(text, ".").to_numpy(zero_copy_only=False)).any():
        return False
    decimal = _where(comma, text, r"[+-]?[0-9]*,[0-9]+")
    grouping = _where(decimal, text, r"[+-]?[0-9]{1,3}(,[0-9]{3})+")
    return bool((decimal & ~grouping).any())


def _decimal_commas(
    table: Table, column: str, text: pa.Array, found: Collector, original: pa.Array
) -> tuple[pa.Array, np.ndarray]:
    """Read a column of decimal commas (a ``;`` file's, or a tab file's that writes
    them): decimal commas become points; cells whose ``.`` may be
    a thousands separator are reported, quoting the cell as written (``original``), each
    hint giving the cell's own number. Returns the rewritten text and the reported mask."""
    comma = pc.match_substring(text, ",").to_numpy(zero_copy_only=False)
    dot = pc.match_substring(text, ".").to_numpy(zero_copy_only=False)
    both = comma & dot
    grouped = _where(dot, text, r"[+-]?[1-9][0-9]{0,2}(\.[0-9]{3})+")
    one_group = _where(grouped, text, r"[+-]?[0-9]+\.[0-9]{3}")
    comma_column = bool((comma & ~both).any())
    point_column = bool((dot & ~both & ~grouped).any())
    shown = (original, text)
    _add_each(table, both, column, found, shown, "write plain digits", lambda quoted, cell: (
        f"'{quoted}' mixes '.' and ',' in one number",
        f"write the number without thousands separators, e.g. "
        f"{plainly(cell, decimal_comma=True)}"))  # fmt: skip
    _add_grouped(
        table, grouped & (~one_group | comma_column), column, found, shown, decimal_comma=True
    )
    ambiguous = one_group & (not comma_column) & (not point_column)
    hint = "write the whole number in plain digits, or the decimals with a comma"
    _add_each(table, ambiguous, column, found, shown, hint, lambda quoted, cell: (
        f"'{quoted}' is ambiguous in a ';'-separated file (a thousands separator or a "
        "decimal point?)", ambiguous_point_hint(cell)))  # fmt: skip
    reported = both | (grouped & (~one_group | comma_column)) | ambiguous
    return pc.replace_substring(text, ",", "."), reported


def _spread_said(table, column, bad, text, found, original) -> np.ndarray:
    """The ``bad`` size cells that give a range or an approximate number, each reported
    with where its spread goes (quantity_low and quantity_high). O(bad cells)."""
    ranged = _where(bad, text, _RANGE)
    about = _where(bad & ~ranged, text, _ABOUT)
    spread = "the spread in quantity_low and quantity_high (columns of flows.csv)"
    found.add_rows(table, ranged, column, "'{value}' is a range, not a number",
                   f"write one number (the likeliest) here and {spread}", original)  # fmt: skip
    found.add_rows(table, about, column, "'{value}' says the number is approximate",
                   f"write the number alone, and {spread} if known",
                   original)  # fmt: skip
    return ranged | about
