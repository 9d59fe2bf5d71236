"""The published figures of a pathway row: substitution ratio and receiver capacity.

Three optional columns of a pathway file (see :mod:`symbiosis.catalogue`):

``substitution_ratio``
    t of primary material replaced per t of the stream (GJ per GJ, m3 per m3): one number
    above 0 and at most :data:`MAX_RATIO`.
``receiver_capacity`` and ``capacity_unit``
    the typical intake of the material by one receiving plant per year, and its unit (any
    unit of :func:`symbiosis.units.parse_unit`: ``t``, ``kt``, ``Mt``, ``GJ``, ``MWh``,
    ``m3``, ``Mm3``...; a rate such as ``t/d`` or ``MW`` is the yearly amount at full
    load). The unit is required with a capacity and must be of the row's dimension.
``co2_factor``
    t CO2 avoided per t (GJ, m3) of the stream: one number from 0 to
    :data:`MAX_CO2_FACTOR` (a pathway that avoids nothing is 0; one that emits more than
    it avoids is not told by this column).
``max_share``
    the most the stream's material (its taxonomy family) may be of the receiving plant's
    throughput, a fraction above 0 and at most 1 (0.075 for an iron corrective of a
    cement kiln's raw meal): docs/opportunities.md, *Capacity*.

A cell is one number written with a ``.`` (or a ``,`` when the file is separated by
``;``, as European spreadsheets export it), in ASCII or full-width forms (``１２００``). A
range, a thousands separator (``1,000``, ``1 000``, ``1'000``, ``1.000.000``, ``１，０００``;
in a ``;`` file ``1.000``, as the network's files read it, see :mod:`symbiosis.io.numbers`),
a number at or below 0 (below 0 for ``co2_factor``), ``nan`` or ``inf`` is refused with a
hint, which gives the cell's own number in ASCII digits
(:func:`~symbiosis.io.number_hints.plainly`). A capacity above
:data:`~symbiosis.io.quantities.LARGEST` (1e30 t, GJ or m3 per year) once converted is
refused too, as the network's quantities are: no plant comes near, and below it no sum
overflows. Each check is O(1) per cell.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import numpy as np

from ..io.number_hints import GROUPED, ambiguous_point_hint, plainly
from ..io.quantities import LARGEST, _canonical, short_number
from ..units import CANONICAL_UNITS, DIMENSIONS, HALF_WIDTH, UnknownUnitError, parse_unit

__all__ = [
    "MAX_CO2_FACTOR",
    "MAX_RATIO",
    "capacities",
    "co2_factors",
    "ratios",
    "reaches",
    "shares",
]

MAX_RATIO = 100.0
#: t CO2 avoided per unit of a stream, at most: above the strongest greenhouse gas's
#: warming potential (SF6, about 24,000 t CO2e per t), so a factor in kg per t is caught.
MAX_CO2_FACTOR = 1e5
_NUMBER = re.compile(r"^\+?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
_NEGATIVE = re.compile(r"^-(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
_RANGE = re.compile(r"^[\d.,]+\s*(-|\u2013|\u2014|~|to)\s*[\d.,]+$", re.IGNORECASE)
# groups of three digits after a space, no-break space, thin space or apostrophe (any file)
_SPACED = re.compile("^[+-]?\\d{1,3}([ \u00a0\u202f'][0-9]{3})+([.,]\\d+)?$")
# groups of three digits after a point, in a ';' file (where the comma is the decimal mark)
_DOTTED = re.compile(r"^[+-]?[1-9]\d{0,2}(\.\d{3})+$")

Add = Callable[..., None]  # add(position, column, message, hint)


Cells = dict[str, list[str]]  # the text of each column of a pathway file, by name


# An example for a cell that is not a number: a ratio, or a plant's intake.
_EXAMPLES = {
    "substitution_ratio": "0.95",
    "receiver_capacity": "200",
    "co2_factor": "0.8",
    "max_share": "0.05",
    "reach_km": "10",
}
_NOT_POSITIVE = "give a positive number or leave the cell empty"
_NEGATIVE_HINT = "give 0 or a positive number, or leave the cell empty"


def _numbers(
    frame: Cells, column: str, add: Add, decimal_comma: bool, *, zero: bool = False
) -> np.ndarray:
    """The column as floats (NaN when empty); a problem for each cell that is not one
    number above 0 (``zero``: at or above 0)."""
    values = np.full(len(frame[column]), np.nan)
    # full-width forms read as ASCII, as the network's numbers are; messages quote the cell
    cells = [text.translate(HALF_WIDTH).strip() for text in frame[column]]
    dotted = _dotted(cells) if decimal_comma else {}
    for position, (written, text) in enumerate(zip(frame[column], cells, strict=True)):
        if not text:
            continue
        number = text.replace(",", ".") if decimal_comma and text.count(",") == 1 else text
        if _SPACED.match(text) or dotted.get(text) == "thousands":
            plain = plainly(text, decimal_comma=decimal_comma)
            add(position, column, f"'{written}' has a thousands separator",
                f"write plain digits, e.g. {plain}")  # fmt: skip
        elif dotted.get(text) == "ambiguous":
            add(position, column, f"'{written}' is ambiguous in a ';'-separated file (a "
                "thousands separator or a decimal point?)", ambiguous_point_hint(text))  # fmt: skip
        elif _NUMBER.match(number):
            value = float(number)
            if 0 < value < np.inf or (zero and value == 0):
                values[position] = value
            elif value == 0:
                add(position, column, f"'{written}' is not above 0", _NOT_POSITIVE)
            else:  # 1e400: a number, but no float holds it
                add(position, column, f"'{written}' is too large", "give a realistic value")
        elif _RANGE.match(text):
            add(position, column, f"'{written}' is a range",
                "give one typical value and write the range in notes")  # fmt: skip
        elif re.fullmatch(GROUPED, text) and not decimal_comma:  # as the network's are
            add(position, column, f"'{written}' has a thousands separator",
                f"write plain digits, e.g. {plainly(text)}")  # fmt: skip
        elif _NEGATIVE.match(number) and zero:
            add(position, column, f"'{written}' is negative", _NEGATIVE_HINT)
        elif _NEGATIVE.match(number):
            add(position, column, f"'{written}' is not above 0", _NOT_POSITIVE)
        else:
            example = _EXAMPLES.get(column, "1")
            add(position, column, f"'{written}' is not a number",
                f"write one number, e.g. {example}, or leave the cell empty")  # fmt: skip
    return values


def _dotted(cells: list[str]) -> dict[str, str]:
    """In a ``;`` file, what the point in ``1.000`` is, as :mod:`symbiosis.io.numbers`
    decides it: a thousands separator when there are several groups or the column writes
    decimal commas; ambiguous when nothing in the column tells; a decimal point (absent
    here) when other cells of the column write one."""
    grouped = [text for text in cells if _DOTTED.match(text)]
    if not grouped:
        return {}
    commas = any("," in text and "." not in text for text in cells)
    points = any("." in text and "," not in text and not _DOTTED.match(text) for text in cells)
    found = {}
    for text in grouped:
        if text.count(".") > 1 or commas:
            found[text] = "thousands"
        elif not points:
            found[text] = "ambiguous"
    return found


def ratios(frame: Cells, add: Add, decimal_comma: bool = False) -> np.ndarray:
    """The ``substitution_ratio`` column as floats (NaN when empty), every problem added."""
    values = _numbers(frame, "substitution_ratio", add, decimal_comma)
    for position in np.flatnonzero(values > MAX_RATIO):
        text = frame["substitution_ratio"][position]
        add(int(position), "substitution_ratio", f"'{text}' is too large for a substitution "
            "ratio", f"it is t of primary material replaced per t of the stream, at most "
            f"{MAX_RATIO:g}")  # fmt: skip
        values[position] = np.nan
    return values


def co2_factors(frame: Cells, add: Add, decimal_comma: bool = False) -> np.ndarray:
    """The ``co2_factor`` column as floats (NaN when empty), every problem added."""
    values = _numbers(frame, "co2_factor", add, decimal_comma, zero=True)
    for position in np.flatnonzero(values > MAX_CO2_FACTOR):
        text = frame["co2_factor"][position]
        add(int(position), "co2_factor", f"'{text}' is too large for a CO2 factor",
            f"it is t CO2 avoided per t (GJ, m3) of the stream, at most "
            f"{MAX_CO2_FACTOR:,.0f}")  # fmt: skip
        values[position] = np.nan
    return values


def reaches(frame: Cells, add: Add, decimal_comma: bool = False) -> np.ndarray:
    """The ``reach_km`` column of a reach file (:mod:`.reach`) as floats (NaN when empty:
    no cap), every problem added: one number of km above 0."""
    return _numbers(frame, "reach_km", add, decimal_comma)


def shares(frame: Cells, add: Add, decimal_comma: bool = False) -> np.ndarray:
    """The ``max_share`` column as floats (NaN when empty), every problem added: a
    fraction above 0 and at most 1 (a percentage such as ``5`` or ``5%`` is refused)."""
    percent = [p for p, text in enumerate(frame["max_share"]) if text.rstrip().endswith("%")]
    cells = {"max_share": ["" if p in percent else t for p, t in enumerate(frame["max_share"])]}
    values = _numbers(cells, "max_share", add, decimal_comma)
    for position in [*percent, *np.flatnonzero(values > 1).tolist()]:
        text = frame["max_share"][position]
        add(int(position), "max_share", f"'{text}' is not a fraction from 0 to 1",
            "write the share of the receiver's throughput as a fraction, e.g. 0.05 for "
            "5 %")  # fmt: skip
        values[position] = np.nan
    return values


def capacities(frame: Cells, add: Add, decimal_comma: bool = False) -> tuple[np.ndarray, list[str]]:
    """Receiver capacities in the canonical unit of their dimension per year (NaN when
    unknown), and their dimensions (``""`` when unknown); every problem added."""
    amounts = _numbers(frame, "receiver_capacity", add, decimal_comma)
    n = len(frame["receiver_capacity"])
    capacity, dimensions = np.full(n, np.nan), [""] * n
    cells = zip(amounts, frame["receiver_capacity"], frame["capacity_unit"], frame["dimension"],
                strict=True)  # fmt: skip
    for position, (amount, given, text, row_dimension) in enumerate(cells):
        if not text:
            if given:
                add(position, "capacity_unit", "receiver_capacity has no unit",
                    "give its unit, e.g. t, kt, GJ, MWh or m3 (per year)")  # fmt: skip
            continue
        if not given:
            add(position, "capacity_unit", f"unit '{text}' but no receiver_capacity",
                "give the capacity or leave the unit empty")  # fmt: skip
            continue
        try:
            unit = parse_unit(text)
        except UnknownUnitError as exc:
            add(position, "capacity_unit", exc.message, exc.hint)
            continue
        if row_dimension in DIMENSIONS and unit.dimension != row_dimension:
            add(position, "capacity_unit", f"'{text}' is a unit of {unit.dimension} but the "
                f"row's dimension is {row_dimension}", f"give the capacity in a unit of "
                f"{row_dimension} (e.g. {CANONICAL_UNITS[row_dimension]})")  # fmt: skip
            continue
        if np.isnan(amount):
            continue
        value = float(amount) * unit.factor  # a Python float: inf, never a warning
        if not value <= LARGEST:
            canonical = CANONICAL_UNITS[unit.dimension]
            add(position, "receiver_capacity", f"'{given}' {text} is too large: "
                f"{_canonical(float(amount), unit.factor)} {canonical} per year, more than "
                f"any real plant takes ({short_number(LARGEST)} {canonical} per year)",
                "give the typical intake of one plant per year; check the unit and the "
                "exponent")  # fmt: skip
            continue
        capacity[position], dimensions[position] = value, unit.dimension
    return capacity, dimensions
