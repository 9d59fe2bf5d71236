"""Quantities in canonical units: the conversion of each row, and the largest value every
analysis can compute with.

A quantity is converted when it is read to the canonical unit of its dimension, per year
(:mod:`symbiosis.units`). A converted value must be at most :data:`LARGEST`, and so must
the total of each dimension: ``1e306 Mt`` or ``1e306 t/d`` would overflow to infinity, and
no real flow comes near the bound (1e30 t is a hundred million Earth masses). Below it the
sums never overflow, and neither do the products of ecological network analysis
(``F_ij * TST``, ``T_i * T_j``) for up to 10^8 flows. Prices are bounded by
:data:`LARGEST` per unit too (they multiply quantities). Small values, down to a float's
denormals (``5e-324``), are accepted: they are numbers, and the analyses must (and origin
tracing does) handle them.

Vectorised: one comparison per row against the bound of its distinct unit (computed once
per unit, in Python floats, so that no numpy overflow is ever raised), one ``bincount`` per
file for the totals; messages are built for the failing rows only. O(rows).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from typing import Any

import numpy as np

from .._percent import plain_number
from ..units import CANONICAL_UNITS, DIMENSIONS, UnknownUnitError, parse_unit
from .numbers import NUMBER
from .parsing import SPREADSHEET_HINT, is_spreadsheet_error
from .problems import Collector, cells, shorten
from .reading import Table

__all__ = [
    "LARGEST",
    "check_prices",
    "continuous_rate_warning",
    "convert",
    "full_load_warning",
    "one_dimension_hint",
    "short_number",
    "size_warnings",
]

LARGEST = 1e30  # largest value, and largest total per dimension, in canonical units per year


def convert(
    table: Table,
    quantity: np.ndarray,
    unit_codes: np.ndarray,
    factor: np.ndarray,
    dimension: np.ndarray,
    found: Collector,
) -> np.ndarray:
    """Each row's quantity in the canonical unit of its dimension, per year (NaN where the
    quantity or the unit is unknown, or the value too large). ``factor`` and ``dimension``
    are per distinct unit (``unit_codes`` index them; NaN and -1 when unknown). Reports
    every value above :data:`LARGEST` and every dimension whose total is. O(rows); when no
    total can reach the bound (rows x largest quantity x largest factor), one product."""
    largest = _largest(quantity) * _largest(factor)
    if largest * len(quantity) <= LARGEST:  # the common case: no value, no total is near
        return quantity * factor[unit_codes]
    if largest > LARGEST:
        high = np.array([_bound(f) for f in factor.tolist()] + [np.nan])[unit_codes]
        too_large = np.abs(quantity) > high  # NaN compares False: unknown ones pass
        if too_large.any():  # a negative one is reported as negative already
            row_factor, row_dimension = factor[unit_codes], dimension[unit_codes]
            positive = too_large & (quantity > 0)
            _report(table, positive, quantity, row_factor, row_dimension, found)
            quantity = np.where(too_large, np.nan, quantity)
    value = quantity * factor[unit_codes]  # at most LARGEST: no overflow
    _check_totals(table, value, dimension[unit_codes], found)
    return value


def _largest(values: np.ndarray) -> float:
    """The largest absolute value, NaN ignored (0 when there is none), a Python float."""
    if not len(values):
        return 0.0
    largest = max(float(np.fmax.reduce(values)), -float(np.fmin.reduce(values)))
    return largest if largest == largest else 0.0


def _bound(factor: float) -> float:
    """The quantity that converts to :data:`LARGEST` under ``factor`` (a Python float: inf
    on overflow, never a numpy warning)."""
    return LARGEST / factor if math.isfinite(factor) and factor > 0 else math.nan


def _canonical(quantity: float, factor: float) -> str:
    """``quantity * factor`` for a message, also when it overflows a float."""
    if quantity <= 0 or not math.isfinite(quantity):
        return f"{quantity:.3g}"
    exponent = math.log10(quantity) + math.log10(factor)
    if -300 < exponent < 300:
        return short_number(quantity * factor)
    whole = math.floor(exponent)
    return f"{10 ** (exponent - whole):.3g}e{whole}"


def short_number(value: float) -> str:
    """``1e+30`` as ``1e30``: for bounds and overflows, which need an exponent."""
    return f"{value:.3g}".replace("e+", "e")


def _report(table, mask, quantity, factor, dimension, found: Collector) -> None:
    """One problem per row of ``mask``: its quantity converted, and the bound."""
    hint = "check the unit and the exponent"

    def each(listed: np.ndarray) -> Iterator[tuple[str, str]]:
        quantities = cells(table.column("quantity"), listed)
        units = cells(table.column("unit"), listed)
        for position, text, unit in zip(listed, quantities, units, strict=True):
            canonical = CANONICAL_UNITS[DIMENSIONS[dimension[position]]]
            converted = _canonical(float(quantity[position]), float(factor[position]))
            yield (
                (
                    f"'{shorten(text, 30)}' {shorten(unit, 20)} is {converted} {canonical} per "
                    f"year, more than any real flow ({short_number(LARGEST)} {canonical} per year)"
                ),
                hint,
            )

    found.add_listed(table, np.flatnonzero(mask), "quantity", hint, each)


def _check_totals(table: Table, value: np.ndarray, dimension: np.ndarray, found) -> None:
    """One problem per dimension whose flows add up to more than :data:`LARGEST` (a node's
    inflow or outflow is part of that total, so it is bounded too), naming its largest
    rows. Values are at most :data:`LARGEST` each, so the sums never overflow; the totals
    per dimension are only computed when the grand total passes the bound."""
    if not np.nansum(value) > LARGEST:  # values are >= 0 (a negative one is refused)
        return
    known = ~np.isnan(value)
    totals = np.bincount(dimension[known], value[known], minlength=len(DIMENSIONS))
    for code in np.flatnonzero(totals > LARGEST):
        rows = np.flatnonzero(known & (dimension == code))
        largest = rows[np.argsort(-value[rows], kind="stable")[:3]]
        name = DIMENSIONS[code]
        unit = CANONICAL_UNITS[name]
        shown = ", ".join(str(table.rows[p]) for p in sorted(largest))
        found.add(
            table.path,
            None,
            "quantity",
            f"the {name} flows add up to {short_number(totals[code])} {unit} per year, more than "
            f"any real network ({short_number(LARGEST)} {unit} per year); the largest are on rows "
            f"{shown}",
            "check the units and exponents of the largest quantities",
        )


def check_prices(table: Table, price: np.ndarray, found: Collector) -> np.ndarray:
    """Prices above :data:`LARGEST` per unit are refused (they multiply quantities); the
    prices with those rows set to NaN. O(rows)."""
    too_large = price > LARGEST
    if too_large.any():
        found.add_rows(
            table,
            too_large,
            "price",
            f"'{{value}}' is more than any real price ({short_number(LARGEST)} per unit)",
            "check the exponent, or give the price per a smaller unit",
            table.column("price"),
        )
        price = np.where(too_large, np.nan, price)
    return price


_NUMBER = re.compile(NUMBER)


def unit_factors(
    table: Table, units: Any, found: Collector, *, hint: str, skip_empty: bool
) -> tuple[np.ndarray, np.ndarray]:
    """Each distinct unit of ``units`` (an encoded column: ``values``, ``codes``) parsed
    once: its dimension code (-1 unknown) and its factor to the canonical unit per year
    (NaN unknown). Every row whose unit is refused is reported with the unit's own
    message (``hint`` for the rows past the listed ones); a number is "a number, not a
    unit". With ``skip_empty``, empty units are left to the caller. O(distinct units)
    parses plus O(rows)."""
    dimension = np.full(len(units.values), -1, dtype=np.int8)
    factor = np.full(len(units.values), np.nan)
    errors: list[UnknownUnitError | None] = [None] * len(units.values)
    for i, text in enumerate(units.values):
        if text == "" and skip_empty:
            continue
        if is_spreadsheet_error(text):
            errors[i] = UnknownUnitError(
                text, f"'{text}' is a spreadsheet error, not a unit", SPREADSHEET_HINT
            )
            continue
        if text and _NUMBER.fullmatch(text):  # no need to ask pint
            errors[i] = UnknownUnitError(
                text, f"'{text}' is a number, not a unit", "write t, MWh, GJ or m3"
            )
            continue
        try:
            info = parse_unit(text)
        except UnknownUnitError as exc:
            errors[i] = exc
            continue
        dimension[i], factor[i] = DIMENSIONS.index(info.dimension), info.factor
    if any(error is not None for error in errors):
        has_error = np.array([error is not None for error in errors], dtype=bool)

        def each(listed: np.ndarray) -> list[tuple[str, str]]:
            shown = (errors[units.codes[p]] for p in listed)
            return [(e.message, e.hint) if e else ("", "") for e in shown]

        found.add_listed(table, np.flatnonzero(has_error[units.codes]), "unit", hint, each)
    return dimension, factor


#: Rows named by the warning of :func:`full_load_warning`.
_NAMED_ROWS = 5


def size_warnings(table: Table, quantity: np.ndarray) -> list[str]:
    """The warnings of the flows with no size: those with no quantity (a link of unknown
    size) and those of a quantity of 0, the first :data:`_NAMED_ROWS` named with their
    material. Both are kept as links (loops, structure, and a stream each in the reuse
    share by count) and add nothing to any sum: a 0 said so, since a link that carried
    nothing in the year counts as a stream as much as a river does (a tester's mill kept
    two such links, its reuse share by count moved by them unsaid). O(rows)."""
    found = []
    unknown_size = int(np.isnan(quantity).sum())
    if unknown_size:
        found.append(
            f"{table.path}: {unknown_size} flow(s) have no quantity: they count as links in "
            "loops and structure, and are left out of every sum"
        )
    zero = np.flatnonzero(quantity == 0)
    if len(zero):
        materials = cells(table.column("material"), zero[:_NAMED_ROWS])
        rows = ", ".join(
            f"{table.rows[p]} '{shorten(m, 30)}'" for p, m in zip(zero, materials, strict=False)
        )
        plural = "s" if len(zero) > 1 else ""
        found.append(
            f"{table.path}: {len(zero)} flow(s) have a quantity of 0 (row{plural} "
            f"{rows}{' ...' if len(zero) > _NAMED_ROWS else ''}): each is kept as a link, in "
            "loops and structure and as a stream of the reuse share by count, and adds nothing "
            "to any sum; delete the rows of links that carried nothing, or leave the quantity "
            "empty where the size is unknown"
        )
    return found


def full_load_warning(
    table: Table, units: Any, dimension: np.ndarray, value: np.ndarray
) -> list[str]:
    """A warning naming the rows whose unit is a power with no time of its own (``MW``,
    ``kW``, ``MWth``: :attr:`~symbiosis.units.UnitInfo.power`), read as running all year
    at full load: an analyst often means a capacity (500 MW of a plant that runs 5,000 h
    delivers 2,500 GWh, not 4,383). ``units``: the encoded unit column; ``dimension``:
    the code of each distinct unit. O(distinct units), and O(rows) only with such a unit."""
    energy = DIMENSIONS.index("energy")
    power = np.array(
        [bool(d == energy) and _is_power(u) for u, d in zip(units.values, dimension, strict=True)],
        dtype=bool,
    )
    if not power.any():
        return []
    count, rows, example = _rows_of_units(table, units, power, dimension, value)
    return [
        f"{table.path}: {count} flow(s) give a power, not an energy ({rows}): "
        f"read as running all year at full load, 8,766 h ({example}); if it is a capacity, "
        "give the energy delivered in the year instead (MWh, GWh or GJ)"
    ]


def continuous_rate_warning(
    table: Table, units: Any, dimension: np.ndarray, value: np.ndarray
) -> list[str]:
    """A warning naming the rows whose unit is a rate per hour or per day (``t/h``,
    ``Nm3/h``, ``m3/d``, ``吨/日``: :attr:`~symbiosis.units.UnitInfo.continuous`), read as
    running all year without a stop: plants rarely do (7,000-8,000 h, 330 days), so the
    year's quantity is likely less. O(distinct units), and O(rows) only with such a unit."""
    pairs = zip(units.values, dimension, strict=True)
    rate = np.array([d >= 0 and _is_continuous(u) for u, d in pairs], dtype=bool)
    if not rate.any():
        return []
    count, rows, example = _rows_of_units(table, units, rate, dimension, value)
    return [
        f"{table.path}: {count} flow(s) give a rate per hour or per day ({rows}): read as "
        f"running all year without a stop, 8,766 h or 365.25 d ({example}); if the plant "
        "runs less (7,000-8,000 h is common), give the quantity of the year instead"
    ]


def _rows_of_units(
    table: Table, units: Any, unit_mask: np.ndarray, dimension: np.ndarray, value: np.ndarray
) -> tuple[int, str, str]:
    """For the rows whose unit is one of ``unit_mask`` (a mask of the distinct units):
    their count, the first :data:`_NAMED_ROWS` named (``rows 2, 3 ...``) and the first
    one's reading (``'50000' Nm3/h is 438,300,000 m3``). O(rows)."""
    at = np.flatnonzero(unit_mask[units.codes])
    first = int(at[0])
    quantity, unit = cells(table.column("quantity"), at[:1])[0], units.values[units.codes[first]]
    rows = ", ".join(str(table.rows[p]) for p in at[:_NAMED_ROWS])
    more = " ..." if len(at) > _NAMED_ROWS else ""
    canonical = CANONICAL_UNITS[DIMENSIONS[int(dimension[units.codes[first]])]]
    example = (
        f"'{shorten(quantity, 20)}' {shorten(unit, 20)} is {plain_number(value[first])} {canonical}"
        if np.isfinite(value[first])
        else f"{shorten(unit, 20)} is read so"
    )
    return len(at), f"row{'s' if len(at) > 1 else ''} {rows}{more}", example


def _is_power(unit: str) -> bool:
    """Whether ``unit`` is a power with no time of its own (its parse is cached)."""
    try:
        return parse_unit(unit).power
    except UnknownUnitError:
        return False


def _is_continuous(unit: str) -> bool:
    """Whether ``unit`` is a rate per hour or per day (its parse is cached)."""
    try:
        return parse_unit(unit).continuous
    except UnknownUnitError:
        return False


def one_dimension_hint(material: str) -> str:
    """How to give a material in one dimension: steam by its heat, else as water."""
    if "steam" in str(material).lower() or "蒸汽" in str(material):
        return ("use one dimension per material (steam: about 2.7 GJ per t saturated, up "
                "to 3.5 superheated), or name them apart")  # fmt: skip
    return "use one dimension per material (e.g. water 1 t = 1 m3), or name them apart"
