"""Units: parse a unit string and normalise quantities to one canonical unit per dimension.

Every flow is an annual quantity in one of three dimensions, each with a canonical unit:

===========  ==========  =================================================================
dimension    canonical   accepted (examples)
===========  ==========  =================================================================
mass         t / yr      g, kg, t, tonne(s), kt (kilotonne, never knot), Mt, Gg, lb,
                         t CO2 (a mass of carbon dioxide), g C, mg C, t C, gC (a mass
                         of carbon, as ecosystem models give it), 万t, 万吨, 百万吨, 亿吨,
                         千吨, 千t, トン, 千トン, 万トン (Japanese), 톤, 천톤, 만톤 (Korean),
                         Mio. t (German statistics; Mrd., Tsd. too), to (German ERP
                         exports), TNE and KGM (UN/ECE Recommendation 20: tonne, kilogram),
                         ADt, ADMT (the pulp industry's air-dry tonne), BDt, ODt
                         (bone- or oven-dry tonne), t DS, t DM (dry matter): tonnes
energy       GJ / yr     J, kJ, MJ, GJ, TJ, PJ, Wh, kWh, MWh, GWh, TWh, tce, toe, Btu,
                         MMBtu (a million Btu), therm, 万千瓦时, 亿千瓦时, 吨标准煤, 千kWh,
                         億kWh, 억kWh
volume       m3 / yr     l, L, ML, m3, m³, m^3, Nm3, Sm3, dm3, thousand m3, Mm3 (million
                         m3), Gm3 (billion m3), kNm3, MNm3, 立方米, 千立方米, 万立方米, 亿立方米,
                         千m3, 천m3, 만m3, ㎥ (and the other square units, ㎘, ㎏, ㌧)
===========  ==========  =================================================================

Traditional characters are read as the simplified ones (``萬噸``, ``億立方米``, ``萬千瓦時``;
Taiwan's ``公噸`` and ``立方公尺``: :func:`~symbiosis._unit_words.simplified`), and full-width
forms as ASCII (``千ｔ``, ``ｋＷｈ``). A tonne on a stated basis (an air-dry tonne of pulp,
90 % dry; a bone-dry tonne, a tonne of dry solids) is read as the tonnes it says, never
converted to another basis.

A unit without a time (``t``) is an amount per year. A rate (``t/d``, ``t/h``, ``MW``,
``MWth``, ``吨/日``, ``トン/日``, ``톤/일``) is converted to its yearly amount (a Julian year of
365.25 days); the abbreviations of the process industries read as rates too (``tpa``,
``ktpa``, ``Mtpa``, ``tpd``, ``tph``, ``Mt/y``), and so does a time with the exponent -1 of
ecology's notation (``kcal d-1``, ``g C yr-1``).

Per-area units (``g C m-2 d-1``, ``kcal/m2/yr``, ``t/ha``), as ecosystem models give
their flows, are refused with what to do: a network's flows are whole amounts; multiply by
the area, or drop the area (the ratios of ecological network analysis, FCI, APL and A/C,
are the same either way).

Refused, because a spreadsheet user may mean something else than pint reads (a silent
factor of 1,000 or more): ``ton``/``tons``/``kilotons`` (metric or US short ton? ``metric
ton`` is read), ``mt``/``MT``, ``MTPA``, ``MTPD`` (metric ton, or millitonne, or a million
tonnes?), ``T`` (tesla), ``kn`` (knot), ``km3`` (cubic kilometre = 1e9 m3, or thousand
m3?), ``nm3`` (cubic nanometre, or Nm3?), ``MBtu`` (a thousand Btu, or a million?), and
``mJ``, ``mWh``, ``mW`` (milli-, surely meant mega-), and barrels and gallons with any
prefix (``bbl``, ``Mbbl``, ``gal``: an oil barrel is 42 US gallons where pint's is 31.5,
oil statistics write M for a thousand, a gallon is US or imperial; ``oil_barrel``,
``US_liquid_gallon`` and ``imperial_gallon`` are read). Tonnes of CO2-equivalent (``t
CO2e``) are refused: they weigh a gas by its warming effect, not its mass. A factor of the
cubic metre is read as in the water and gas statistics: ``Mm3`` is a million m3 and
``Gm3`` a billion (never the SI cubic megametre), ``dm3``, ``cm3`` and ``mm3`` are SI.
Symbols are case-sensitive (``MWh`` is not ``mWh``); an unknown spelling that differs only
in case gets a hint. Unit names spelt out are read in any case (``Tonnes``, ``TONNES per
Annum``, ``Cubic Metres``).

Portuguese and Spanish statistics' numbers are read (:mod:`symbiosis._unit_words`):
``mil t``, ``mil. m3`` a thousand (never pint's angular mil), ``milhões de m3``,
``millones de t``, ``mill. t`` a million, ``tonelada(s)`` the tonne; ``mi t`` is refused
(milhões, or a mistyped mil?). Any pure number of pint's in a unit is refused, as it would
multiply the flow without a word: angles (``rad``, ``degree``, ``°``, ``rpm``), shares
(``percent``, ``%``, ``ppm``), ``count``, ``pi``, ``bit``.

Unit parsing uses a pint registry with a few definitions added (``kt``, ``Mt``, ``tce``,
``toe``); cubic metres are rewritten before pint reads them. Each distinct unit string is
parsed once, so normalising a million rows costs one dictionary lookup per row.
"""

from __future__ import annotations

import math
import numbers
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache, lru_cache

from ._unit_words import ambiguity, latin_numbers, mere_number, simplified

__all__ = [
    "CANONICAL_UNITS",
    "DIMENSIONS",
    "HALF_WIDTH",
    "UnitInfo",
    "UnknownUnitError",
    "convert",
    "parse_unit",
    "period_suffix",
    "usual_spelling",
    "yearly_unit",
]

DIMENSIONS: tuple[str, ...] = ("mass", "energy", "volume")
CANONICAL_UNITS: dict[str, str] = {"mass": "t", "energy": "GJ", "volume": "m3"}


def yearly_unit(dimension: str, years: int = 1) -> str:
    """The unit every result gives a dimension's quantities in: t/yr, GJ/yr, m3/yr for a
    network of one year (or none); for one whose flows of ``years`` years are added up
    (``--year all``, :attr:`~symbiosis.model.FlowNetwork.summed_years`), their total over
    them: ``t over 3 years`` (:func:`period_suffix`)."""
    return f"{CANONICAL_UNITS[dimension]}{period_suffix(years)}"


def period_suffix(years: int = 1) -> str:
    """What a quantity's unit says of the time it covers: ``/yr`` for the flows of one
    year, `` over 3 years`` for the flows of 3 years added up (every sum is their total
    over those years, not a yearly figure)."""
    return "/yr" if years < 2 else f" over {years} years"


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
_POWER = {"[mass]": 1, "[length]": 2, "[time]": -3}  # energy per time: W, MW

# pint's own reading of some words is wrong for flow data, or ambiguous: they are refused
# with a hint (symbiosis._unit_words).
_METRIC_TON = re.compile(r"\bmetric[\s_]+ton(?:ne)?s?\b", re.IGNORECASE)
_REFUSED_CUBIC = {
    "k": "'km3' is ambiguous (cubic kilometre = 1e9 m3, or thousand m3); write 'thousand m3' "
    "or '1e9 m3'",
    "n": "'nm3' reads as cubic nanometres; write Nm3 for normal cubic metres",
}
# A cubic metre with an optional factor, as written in water and gas statistics (the SI
# reading of Mm3 and Gm3, 1e18 and 1e27 m3, is never meant). Pint does not see 'm3':
# its prefixes would read km3 as 1e3 m3 and dm3 as 0.1 m3.
_CUBIC = re.compile(r"(?<![A-Za-z_])([kKhdcmnMG]?)([NS]?)m(?:3|³|\^3|\*\*3)(?![A-Za-z0-9_])")
_CUBIC_FACTORS = {"": 1, "h": 1e6, "d": 1e-3, "c": 1e-6, "m": 1e-9, "M": 1e6, "G": 1e9}
_NORMAL_CUBIC_FACTORS = {"": 1, "k": 1e3, "M": 1e6, "G": 1e9}
# Usual spellings, to suggest one when a unit differs from it only in case.
_SPELLINGS = {
    text.lower(): text
    for text in (  # noqa: SIM905
        "t kg g kt Mt Gt tonne tonnes Wh kWh MWh GWh TWh J kJ MJ GJ TJ PJ tce toe "
        "l m3 Nm3 Mm3 t/yr t/d"
    ).split()
}

# Unit names spelt out, read whatever their case ('Tonnes', 'TONNES', 'Cubic Metres'): a
# word of four letters or more cannot be mistaken for a symbol, where case matters
# (MWh, mWh). The ambiguous words ('Tons') are refused before this.
_NAMED_WORDS = re.compile(
    r"\b(?:(?:kilo|mega|giga)?(?:tonne|gram|joule)s?|(?:kilo|mega)?(?:litre|liter)s?|"
    r"metres?|meters?|cubic|pounds?|therms?|years?|annum|months?|weeks?|days?|hours?|"
    r"thousands?|millions?|billions?)\b",
    re.IGNORECASE,
)


# A mass of carbon: a gram or tonne symbol with its prefix, then C alone (C is pint's
# coulomb; CO2 is a word of its own above).
_CARBON = re.compile(r"(?<![A-Za-z])([pnuµmkMGTP]?g|[kMG]?t)\s*C(?![A-Za-z0-9])")


#: Full-width forms (U+FF01 to U+FF5E: ``２５００``, ``ｔ``, ``ｋＷｈ``, ``／``), as a Chinese or
#: Japanese input method types them, and the ideographic space, as their ASCII
#: characters: in a unit (``千ｔ``) and in a number (:mod:`symbiosis.io.numbers`). Only
#: these: NFKC would also read a superscript ``10²`` as ``102``.
HALF_WIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}

# The pulp industry's tonnes: the air-dry tonne (ADt, ADT, ADMT, kADt, air-dry tonne,
# air-dried metric ton), a tonne of pulp at 90 % dry matter (10 % moisture: Environment
# Canada, Code of practice for the management of air emissions from pulp and paper
# facilities, appendix 3; the EU's BAT conclusions for pulp, paper and board,
# 2014/687/EU), and the bone- or oven-dry tonne (BDt, ODt, BDMT, ODMT), a tonne of its dry
# matter. Read as the tonnes they are, of the pulp as weighed or of its dry matter; one
# is never converted into the other (a BDt is 1/0.9 ADt of that pulp). The US air-dried
# short ton (ADST) is a short ton.
_PULP_TONNE = re.compile(r"(?<![A-Za-z])([kM]?)(?i:AD|BD|OD)(?i:M?T)(?![A-Za-z0-9])")
_PULP_WORDS = re.compile(
    r"\b(?:air[-\s]?dr(?:y|ied)|bone[-\s]?dry|oven[-\s]?dry)\s+(?:tonnes?|t)\b", re.I
)
# A mass of dry matter, as sludge and biomass are weighed (t DS, tDM, t TS, the German
# Trockensubstanz, t MS, the French matière sèche, t dry matter): the mass itself.
_DRY_MATTER = re.compile(
    r"(?<![A-Za-z])([pnuµmkMG]?g|[kMG]?t)\s*(?:DM|DS|TS|MS|(?i:dry\s+(?:matter|solids)))"
    r"(?![A-Za-z0-9])"
)


def _lower(match: re.Match[str]) -> str:
    return match.group(0).lower()


# Words and symbols found in spreadsheets, rewritten before pint reads the unit.
_REWRITES: list[tuple[re.Pattern[str], str | Callable[[re.Match[str]], str]]] = [
    (_NAMED_WORDS, _lower),
    # UN/ECE Recommendation 20 codes, as the E-PRTR and other registers write them
    (re.compile(r"^\s*TNE\s*$"), "t"),
    (re.compile(r"^\s*KGM\s*$"), "kg"),
    # German statistics: Mio. t (a million), Mrd. m3 (a billion), Tsd. t (a thousand)
    (re.compile(r"^\s*Mio\.?\s*"), "1e6 "),
    (re.compile(r"^\s*Mrd\.?\s*"), "1e9 "),
    (re.compile(r"^\s*Tsd\.?\s*"), "1e3 "),
    (re.compile(r"(?<![A-Za-z_])to(?![A-Za-z0-9_])"), "t"),  # German ERP exports' tonne
    (_PULP_TONNE, r"\1t"),
    (_PULP_WORDS, "t"),
    (re.compile(r"(?<![A-Za-z])(?i:AD|BD|OD)ST(?![A-Za-z0-9])"), "short_ton"),
    (_DRY_MATTER, r"\1"),
    # Chinese, Japanese and Korean numbers before the unit (万吨, 万トン, 만톤, 億kWh, 천m3); 千
    # only before m3, a Latin symbol or a tonne (千m3): 千吨, 千克, 千瓦 are words (below)
    (re.compile(r"^\s*(?:百万|백만)\s*"), "1e6 "),  # before 万 and 만
    (re.compile(r"^\s*[万萬만]\s*"), "1e4 "),
    (re.compile(r"^\s*[亿億억]\s*"), "1e8 "),  # 亿千瓦时, 亿立方米
    (re.compile(r"^\s*千\s*(?=立方米|方|标|[A-Za-z]|トン|톤)"), "1e3 "),
    (re.compile(r"^\s*천\s*"), "1e3 "),
    (re.compile(r"吨标准煤|吨标煤"), "tce"),
    (re.compile(r"千吨"), "kt"),
    (re.compile(r"吨|トン|톤"), "t"),  # the tonne in Chinese, Japanese, Korean
    (re.compile(r"千克|公斤"), "kg"),
    (re.compile(r"兆瓦时"), "MWh"),
    (re.compile(r"千瓦时|度"), "kWh"),
    (re.compile(r"兆瓦"), "MW"),
    (re.compile(r"千瓦"), "kW"),
    (re.compile(r"吉焦"), "GJ"),
    (re.compile(r"兆焦"), "MJ"),
    (re.compile(r"标准立方米|标立方米|标方"), "Nm3"),
    (re.compile(r"立方米|方"), "m3"),
    (re.compile(r"/\s*[年년]$"), "/yr"),  # and the Japanese and Korean times: トン/日, 톤/년
    (re.compile(r"/\s*[日天일]$"), "/d"),
    (re.compile(r"/\s*(?:小时|时|時間|時|시간|시)$"), "/h"),  # 톤/시, t/h of steam
    (re.compile(r"/\s*[月월]$"), "/month"),
    (re.compile(r"/\s*(?:周|星期|週|주)$"), "/week"),
    (re.compile(r"\bthousands?\b"), "1e3"),
    (re.compile(r"\bmillions?\b"), "1e6"),
    (re.compile(r"\bbillions?\b"), "1e9"),
    # per annum, per day, per hour, as mining and process industries abbreviate them
    (re.compile(r"\b(t|kt|Mt)p([adyh])\b", re.I), lambda m: _per_abbreviated(*m.groups())),
    (re.compile(r"/\s*y\b"), "/yr"),  # Mt/y, GWh/y
    (re.compile(r"\bper\b", re.I), "/"),
    (re.compile(r"\b(annum|anno)\b", re.I), "year"),
    # thermal or electric power (MWth, MWe) is power: the energy it carries
    (re.compile(r"\b([kMGT]?W)(?:th|el|e)\b"), r"\1"),
    (re.compile(r"\bmmbtu\b", re.I), "(1e6 Btu)"),  # US energy statistics: a million Btu
    # a mass of carbon dioxide, said in the unit: the tonnes themselves (CO2-equivalents,
    # a climate measure, are refused before this)
    (re.compile(r"(?<![A-Za-z])([kMG]?t)\s*CO2(?![A-Za-z0-9])"), r"\1"),
    # a mass of carbon, as ecosystem models give their flows (g C, mg C, gC, t C): the
    # mass itself, never pint's coulomb times a gram
    (_CARBON, r"\1"),
    # a time with ecology's exponent -1 (d-1, yr-1, y-1): a rate, per that time
    (
        re.compile(r"\s*\b(d|day|yr|y|a|h|hr|s|wk|week|month)\s*(?:\^\s*)?(?:-1|⁻¹)(?![0-9])"),
        lambda m: "/" + ("yr" if m.group(1) == "y" else m.group(1)),
    ),
]


# Units set in one square character in Chinese, Japanese and Korean text (the CJK
# compatibility block: ㎥, ㎘, ㎏, ㎾, ㌧), read as the letters they stand for (NFKC)
_SQUARED = re.compile(r"[\u3300-\u33ff]")


def _per_abbreviated(amount: str, per: str) -> str:
    """tpa, ktpa, Mtpa, tpd, tph as a rate pint reads ('MTPA' and 'mtpa' are refused
    before this: a metric tonne or a million?)."""
    amount = {"t": "t", "kt": "kt", "mt": "Mt"}[amount.lower()]
    per = {"a": "yr", "y": "yr"}.get(per.lower(), per.lower())
    return f"{amount}/{per}"


class UnknownUnitError(ValueError):
    """A unit string that is not a mass, energy or volume unit; ``hint`` says what to do."""

    def __init__(self, unit: str, message: str, hint: str):
        self.unit, self.hint = unit, hint
        super().__init__(f"{message}; {hint}")
        self.message = message


@dataclass(frozen=True, slots=True)
class UnitInfo:
    """A parsed unit: its dimension and the factor to the canonical unit per year.
    ``power``: a power with no time of its own (``MW``, ``kW``, ``MWth``), whose factor
    reads it as running all year at full load (8,766 h); a rate written as one
    (``MWh/d``, ``GJ/h``) is not. ``continuous``: a rate per hour or per day (``t/h``,
    ``Nm3/h``, ``m3/d``, ``吨/日``), whose factor reads it as running all year without a
    stop (8,766 h, 365.25 d)."""

    text: str
    dimension: str
    factor: float
    power: bool = False
    continuous: bool = False

    @property
    def canonical(self) -> str:
        return CANONICAL_UNITS[self.dimension]


# The most common spellings, read without pint (importing it and building its registry
# costs about 0.6 s at start-up). tests/test_units.py checks every entry against pint.
_COMMON: dict[str, tuple[str, float]] = {
    "t": ("mass", 1.0),
    "tonne": ("mass", 1.0),
    "tonnes": ("mass", 1.0),
    "kg": ("mass", 1e-3),
    "g": ("mass", 1e-6),
    "kt": ("mass", 1e3),
    "Mt": ("mass", 1e6),
    "J": ("energy", 1e-9),
    "kJ": ("energy", 1e-6),
    "MJ": ("energy", 1e-3),
    "GJ": ("energy", 1.0),
    "TJ": ("energy", 1e3),
    "PJ": ("energy", 1e6),
    "kWh": ("energy", 3.6e-3),
    "MWh": ("energy", 3.6),
    "GWh": ("energy", 3.6e3),
    "TWh": ("energy", 3.6e6),
    "m3": ("volume", 1.0),
    "m³": ("volume", 1.0),
    "Nm3": ("volume", 1.0),
    "Mm3": ("volume", 1e6),  # a million m3 (as documented above), not pint's cubic megametre
    "L": ("volume", 1e-3),
    "l": ("volume", 1e-3),
}


# Rates of a common unit read without pint: the amount in one year (pint's year, 365.25 d).
# tests/test_units.py checks them against pint too.
_PER: dict[str, float] = {
    "yr": 1.0, "a": 1.0, "year": 1.0,
    "d": 365.25, "day": 365.25, "h": 8766.0, "hr": 8766.0,
}  # fmt: skip
# A rate per hour, minute, second, day or week, as a unit reads once rewritten for pint:
# read as running all year without a stop (UnitInfo.continuous).
_SHORT_TIME = re.compile(
    r"/\s*\(?\s*(?:h|hr|hours?|min|minutes?|s|sec|seconds?|d|days?|wk|weeks?)\b"
)


@cache
def _registry():
    import pint  # imported lazily: it costs ~0.3 s and only unit parsing needs it

    try:  # pint caches its parsed definitions in the user's cache folder: 0.9 s -> 0.1 s
        ureg = pint.UnitRegistry(on_redefinition="ignore", cache_folder=":auto:")
    except Exception:  # an unwritable or broken cache must never stop a run
        ureg = pint.UnitRegistry(on_redefinition="ignore", cache_folder=None)
    ureg.define("kilotonne = 1e3 * tonne = kt")
    ureg.define("megatonne = 1e6 * tonne = Mt")
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
    known = _without_pint(raw) or _without_pint(_NAMED_WORDS.sub(_lower, raw))
    if known is not None:
        return UnitInfo(raw, *known)
    if not raw:
        raise UnknownUnitError(text, "unit is empty", "write t, MWh, GJ or m3")
    expression = _SQUARED.sub(lambda m: unicodedata.normalize("NFKC", m.group(0)), raw)
    expression = simplified(expression.translate(HALF_WIDTH))  # 千ｔ, 萬噸: as 千t, 万吨
    expression = _METRIC_TON.sub("t", expression)  # the one ton that is no question
    _refuse_ambiguous(text, expression)
    expression = latin_numbers(expression)  # mil t, milhões de m3: before the words below
    for pattern, replacement in _REWRITES:
        expression = pattern.sub(replacement, expression)
    expression = _CUBIC.sub(_cubic_metres, expression)
    ureg = _registry()
    try:
        quantity = ureg.parse_expression(expression)
    except Exception as exc:  # pint raises many types (even AssertionError, ZeroDivisionError)
        spelling = _SPELLINGS.get(raw.lower())
        hint = (
            f"did you mean '{spelling}'? (units are case-sensitive)"
            if spelling
            else _AREA_HINT
            if _AREA.search(raw)
            else "use a mass (t, kt), energy (MWh, GJ) or volume (m3) unit"
        )
        raise UnknownUnitError(text, f"unknown unit '{raw}'", hint) from exc
    if not isinstance(quantity, ureg.Quantity) or quantity.dimensionless:
        raise UnknownUnitError(text, f"'{raw}' is a number, not a unit", "write t, MWh, GJ or m3")
    number = mere_number(quantity, ureg, raw)  # 'degree t', '% t': a silent factor
    if number:
        raise UnknownUnitError(text, f"unit '{raw}' is refused", number)
    as_read = f"{quantity.units:~}"
    dims = dict(quantity.dimensionality)
    power = dims == _POWER and "/" not in expression
    if dims.get("[time]", 0) < 0 and dims != _DIMENSIONALITY["energy"]:
        quantity = quantity * ureg.year  # a rate: the amount in one year
        dims = dict(quantity.dimensionality)
    elif dims.get("[time]", 0) == -3:  # power (MW): energy per unit of time
        quantity = quantity * ureg.year
        dims = dict(quantity.dimensionality)
    for dimension, dimensionality in _DIMENSIONALITY.items():
        if dims == dimensionality:
            factor = float(quantity.to(_PINT_CANONICAL[dimension].replace(" / year", "")).magnitude)
            if not (math.isfinite(factor) and factor > 0):
                raise UnknownUnitError(
                    text,
                    f"unit '{raw}' has a factor of {factor:g}",
                    "write the unit alone (t, MWh, GJ, m3) and the amount in quantity",
                )
            return UnitInfo(raw, dimension, factor, power, bool(_SHORT_TIME.search(expression)))
    raise UnknownUnitError(
        text,
        f"unit '{raw}' is not a mass, energy or volume (it reads as {as_read})",
        _AREA_HINT
        if dims == {"[length]": 2}
        else "use a mass (t, kt), energy (MWh, GJ) or volume (m3) unit",
    )


#: An area (万平方米 of plasterboard, as yearbooks publish it; m2 of glass or tiles).
_AREA = re.compile(r"平方米|平米|平方公尺|平方メートル|㎡|m²|m2\b|\bsq\.? ?m|square met", re.I)
_AREA_HINT = "an area is no flow: give the product's mass in t (its area times its mass per m2)"


def _without_pint(unit: str) -> tuple[str, float, bool, bool] | None:
    """The dimension, factor, power and continuous flags (:class:`UnitInfo`) of a common
    unit (t, GJ) or of a common rate of one (t/d, kt/yr, m3/h), read without pint; None
    for any other unit."""
    if unit in _COMMON:
        return (*_COMMON[unit], False, False)
    amount, _, per = unit.partition("/")
    if amount in _COMMON and per in _PER:
        dimension, factor = _COMMON[amount]
        return dimension, factor * _PER[per], False, _PER[per] > 1.0
    return None


def _refuse_ambiguous(text: str, raw: str) -> None:
    """Raise :class:`UnknownUnitError` if a word of ``raw`` is one pint would misread, or
    ``raw`` is per area (:func:`~symbiosis._unit_words.ambiguity`)."""
    refused = ambiguity(raw)
    if refused:
        raise UnknownUnitError(text, *refused)
    for match in _CUBIC.finditer(raw):
        prefix, normal = match.group(1), match.group(2)
        if not normal and prefix.lower() in _REFUSED_CUBIC:
            hint = _REFUSED_CUBIC[prefix.lower()]
            raise UnknownUnitError(text, f"unit '{raw}' is refused", hint)
        factors = _NORMAL_CUBIC_FACTORS if normal else _CUBIC_FACTORS
        if prefix not in factors:
            raise UnknownUnitError(
                text,
                f"unknown unit '{raw}'",
                "write m3, Nm3, thousand m3 or Mm3 (million m3)",
            )


def _cubic_metres(match: re.Match) -> str:
    prefix, normal = match.group(1), match.group(2)
    factor = (_NORMAL_CUBIC_FACTORS if normal else _CUBIC_FACTORS)[prefix]
    return "(meter ** 3)" if factor == 1 else f"({factor:g} * meter ** 3)"


def usual_spelling(text: str) -> str:
    """A unit as usually spelt when ``text`` differs from it only in case (``gj`` is
    ``GJ``, ``mwh`` ``MWh``), else ``text``: for units seen lower-cased (a header's). O(1)."""
    return _SPELLINGS.get(text.strip().lower(), text)


def convert(quantity: float, unit: str, to: str) -> float:
    """Convert ``quantity`` from ``unit`` to ``to`` (same dimension), both yearly amounts.
    :class:`UnknownUnitError` (a ValueError) for a unit that is not text or not known,
    or a quantity that is not a number."""
    for name, value in (("unit", unit), ("to", to)):
        if not isinstance(value, str):
            raise UnknownUnitError(repr(value), f"{name} must be text (got {value!r})",
                                   "write a unit such as t, MWh, GJ or m3")  # fmt: skip
    if isinstance(quantity, bool) or not isinstance(quantity, numbers.Real):
        raise UnknownUnitError(unit, f"quantity must be a number (got {quantity!r})",
                               "give the amount as a float")  # fmt: skip
    source, target = parse_unit(unit), parse_unit(to)
    if source.dimension != target.dimension:
        raise UnknownUnitError(
            to,
            f"cannot convert {source.dimension} ({unit}) to {target.dimension} ({to})",
            "quantities of different dimensions are never mixed",
        )
    return quantity * source.factor / target.factor
