"""Units: parse a unit string and normalise quantities to one canonical unit per dimension.

Every flow is an annual quantity in one of three dimensions, each with a canonical unit:

===========  ==========  =================================================================
dimension    canonical   accepted (examples)
===========  ==========  =================================================================
mass         t / yr      g, kg, t, tonne(s), kt (kilotonne, never knot), Mt, Gg, lb, 万t
energy       GJ / yr     J, kJ, MJ, GJ, TJ, PJ, Wh, kWh, MWh, GWh, TWh, tce, toe
volume       m3 / yr     l, L, ML, m3, m³, m^3, Nm3, thousand m3, Mm3 (million m3)
===========  ==========  =================================================================

A unit without a time (``t``) is an amount per year. A rate (``t/d``, ``t/h``, ``MW``)
is converted to its yearly amount (a Julian year of 365.25 days). ``ton``/``tons`` are refused
as ambiguous (pint reads them as the US short ton). Unit parsing uses a pint registry
with a few definitions added (``kt``, ``m3``, ``Nm3``, ``tce``); each distinct unit
string is parsed once, so normalising a million rows costs one dictionary lookup per row.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache

__all__ = [
    "CANONICAL_UNITS",
    "DIMENSIONS",
    "UnitInfo",
    "UnknownUnitError",
    "convert",
    "parse_unit",
]

DIMENSIONS: tuple[str, ...] = ("mass", "energy", "volume")
CANONICAL_UNITS: dict[str, str] = {"mass": "t", "energy": "GJ", "volume": "m3"}
_PINT_CANONICAL = {
    "mass": "tonne / year",
    "energy": "gigajoule / year",
    "volume": "meter ** 3 / year",
}
_DIMENSIONALITY = {
    "mass": {"[mass]": 1},
    "energy": {"[mass]": 1, "[length]": 2, "[time]": -2},
    "volume": {"[length]": 3},
}

# pint's own reading of these is wrong for flow data, or ambiguous: refuse with a hint.
_REFUSED = {
    "ton": "'ton' is ambiguous (metric tonne or US short ton); write t for metric tonnes",
    "tons": "'tons' is ambiguous (metric tonne or US short ton); write t for metric tonnes",
    "short ton": "write short_ton if you mean US short tons, or t for metric tonnes",
    "T": "'T' is the tesla in SI; write t for metric tonnes",
    "kn": "'kn' is a knot; write kt for kilotonnes",
}

# Words and symbols found in spreadsheets, rewritten before pint reads the unit.
_REWRITES = [
    (re.compile(r"^\s*万\s*"), "1e4 "),
    (re.compile(r"吨"), "t"),
    (re.compile(r"千瓦时|度"), "kWh"),
    (re.compile(r"立方米|方"), "m3"),
    (re.compile(r"\bthousands?\b", re.I), "1e3"),
    (re.compile(r"\bmillions?\b", re.I), "1e6"),
    (re.compile(r"\bbillions?\b", re.I), "1e9"),
    (re.compile(r"\b(tpa|t/y)\b", re.I), "t/yr"),
    (re.compile(r"\bper\b", re.I), "/"),
    (re.compile(r"\b(annum|anno)\b", re.I), "year"),
    (re.compile(r"³"), "**3"),
]


class UnknownUnitError(ValueError):
    """A unit string that is not a mass, energy or volume unit; ``hint`` says what to do."""

    def __init__(self, unit: str, message: str, hint: str):
        self.unit, self.hint = unit, hint
        super().__init__(f"{message}; {hint}")
        self.message = message


@dataclass(frozen=True, slots=True)
class UnitInfo:
    """A parsed unit: its dimension and the factor to the canonical unit per year."""

    text: str
    dimension: str
    factor: float

    @property
    def canonical(self) -> str:
        return CANONICAL_UNITS[self.dimension]


@cache
def _registry():
    import pint  # imported lazily: it costs ~0.3 s and only unit parsing needs it

    ureg = pint.UnitRegistry(on_redefinition="ignore", cache_folder=None)
    ureg.define("kilotonne = 1e3 * tonne = kt")
    ureg.define("megatonne = 1e6 * tonne = Mt")
    ureg.define("m3 = meter ** 3")
    ureg.define("normal_cubic_meter = meter ** 3 = Nm3")
    ureg.define("tce = 29.3076 * gigajoule")
    ureg.define("toe = 41.868 * gigajoule")
    return ureg


@lru_cache(maxsize=4096)
def parse_unit(text: str) -> UnitInfo:
    """Parse a unit string into its dimension and factor to the canonical yearly unit.

    Raises :class:`UnknownUnitError` for empty, unknown, ambiguous or wrong-dimension
    units. O(1) after the first call for a given string (cached).

    >>> parse_unit("kt").factor, parse_unit("MWh").factor, parse_unit("MWh").dimension
    (1000.0, 3.6, 'energy')
    """
    raw = text.strip()
    if not raw:
        raise UnknownUnitError(text, "unit is empty", "write t, MWh, GJ or m3")
    if raw in _REFUSED or raw.lower() in {"ton", "tons"}:
        hint = _REFUSED.get(raw) or _REFUSED[raw.lower()]
        raise UnknownUnitError(text, f"unit '{raw}' is refused", hint)
    expression = raw
    for pattern, replacement in _REWRITES:
        expression = pattern.sub(replacement, expression)
    import pint

    ureg = _registry()
    try:
        quantity = ureg.parse_expression(expression)
    except (
        pint.errors.UndefinedUnitError,
        pint.errors.DefinitionSyntaxError,
        AttributeError,
        SyntaxError,
        TypeError,
        ValueError,
        TokenError,
    ) as exc:
        raise UnknownUnitError(
            text,
            f"unknown unit '{raw}'",
            "use a mass (t, kt), energy (MWh, GJ) or volume (m3) unit",
        ) from exc
    if not isinstance(quantity, ureg.Quantity) or quantity.dimensionless:
        raise UnknownUnitError(text, f"'{raw}' is a number, not a unit", "write t, MWh, GJ or m3")
    as_read = f"{quantity.units:~}"
    dims = dict(quantity.dimensionality)
    if dims.get("[time]", 0) < 0 and dims != _DIMENSIONALITY["energy"]:
        quantity = quantity * ureg.year  # a rate: the amount in one year
        dims = dict(quantity.dimensionality)
    elif dims.get("[time]", 0) == -3:  # power (MW): energy per unit of time
        quantity = quantity * ureg.year
        dims = dict(quantity.dimensionality)
    for dimension, dimensionality in _DIMENSIONALITY.items():
        if dims == dimensionality:
            factor = float(quantity.to(_PINT_CANONICAL[dimension].replace(" / year", "")).magnitude)
            return UnitInfo(raw, dimension, factor)
    raise UnknownUnitError(
        text,
        f"unit '{raw}' is not a mass, energy or volume (it reads as {as_read})",
        "use a mass (t, kt), energy (MWh, GJ) or volume (m3) unit",
    )


def convert(quantity: float, unit: str, to: str) -> float:
    """Convert ``quantity`` from ``unit`` to ``to`` (same dimension), both yearly amounts."""
    source, target = parse_unit(unit), parse_unit(to)
    if source.dimension != target.dimension:
        raise UnknownUnitError(
            to,
            f"cannot convert {source.dimension} ({unit}) to {target.dimension} ({to})",
            "quantities of different dimensions are never mixed",
        )
    return quantity * source.factor / target.factor


from tokenize import TokenError  # noqa: E402  (pint raises it on unbalanced brackets)
