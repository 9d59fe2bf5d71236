"""Words of a unit read or refused around pint's parse (:func:`symbiosis.units.parse_unit`).

Refused before pint reads the unit (:func:`ambiguity`), because a spreadsheet user may mean
something else than pint reads, a silent factor of 1,000 or more: tons (metric or US
short?), ``mt``/``MT``, ``MTPA``, ``T`` (tesla), ``kn`` (knot), ``MBtu``, milli- where
mega- is meant, barrels and gallons with any prefix, CO2-equivalents (a gas weighed by its
warming, not its mass), units per area.

Read as the numbers they are in Portuguese and Spanish statistics (:func:`latin_numbers`;
UNICA, ANP, CONAB, the Spanish and Latin American ministries write them so): ``mil`` (and
``mil.``) before a unit is a thousand (``250 mil t`` is 250,000 t; pint would read the
angular mil, pi/32,000), ``milhões``, ``milhão``, ``millones``, ``millón`` and ``mill.`` a
million (``de`` after them is read too: ``milhões de m3``, ``mil millones de m3`` = 1e9
m3), ``miles de`` a thousand (``miles`` alone is pint's mile), ``tonelada(s)`` the metric
tonne. Not read: ``mi`` (``mi t``: milhões to a Brazilian journalist, mil to a hurried
typist, a mile to pint: refused with what to write), ``mill`` without its point, ``billón``
and ``bilião`` (a million million), ``bilhão`` (a thousand million in Brazil): written out
as ``1e9 m3`` or ``Gm3`` instead. ``mil`` is never the English slang for a million here.

Read as the simplified characters the rewrites of :mod:`symbiosis.units` know
(:func:`simplified`): the traditional ones of Hong Kong and Taiwan sources, and of Chinese
statistics reprinted there (``萬噸``, ``億立方米``, ``萬千瓦時``, ``噸標準煤``, ``噸/小時``), by
OpenCC (:func:`symbiosis._hanzi.simplified`; a unit with kana or Hangul is left as
written), and Taiwan's own names: ``公噸`` (the metric tonne; ``公吨`` in older mainland
text), ``立方公尺`` (the cubic metre) and ``公秉`` (a kilolitre, a cubic metre). ``時`` is
read as ``时`` only in ``瓦時`` (kWh) and ``小時`` (an hour): Japanese units write ``時``
and ``時間`` (an hour) themselves, read as they are.

Refused after pint reads the unit (:func:`mere_number`): a pure number of pint's in a flow
unit, which would multiply the flow silently. Any unit of no dimension: angles (``rad``,
``degree``, ``°``, ``turn``, ``sr``, ``mil`` elsewhere than first), shares (``percent``,
``%``, ``permille``, ``ppm``), ``count``, ``pi``, ``bit`` and ``byte``; and any unit whose
definition holds an angle or a bit (``rpm``, ``baud``). ``250 percent t`` was 2.5 t,
``100 degree t`` 1.745 t. A unit that is a number and nothing else (``%``, ``ppm``) is
"a number, not a unit" (:mod:`symbiosis.units`).

Complexity: one regular expression search per word, once per distinct unit (the parses are
cached).
"""

from __future__ import annotations

import re
from typing import Any

from ._hanzi import chinese
from ._hanzi import simplified as _simplified

__all__ = ["ambiguity", "latin_numbers", "mere_number", "simplified"]

# Checked word by word (a word is a run of letters and _), so 'tons/yr' is refused too.
_TON_HINT = "write t for metric tonnes (short_ton if you really mean US short tons)"
_REFUSED_WORDS_ANY_CASE = {
    word: f"'{word}' is ambiguous (metric tonne or US short ton); " + _TON_HINT
    for word in (
        "ton",
        "tons",
        "kton",
        "ktons",
        "kiloton",
        "kilotons",
        "mton",
        "mtons",
        "megaton",
        "megatons",
        "gigaton",
        "gigatons",
    )
}
_REFUSED_WORDS = {
    "mt": "'mt' is ambiguous (metric ton, or millitonne = 1 kg); write t for tonnes or Mt "
    "for megatonnes",
    "MT": "'MT' is ambiguous (metric ton, or megatonne); write t for tonnes or Mt for megatonnes",
    "T": "'T' is the tesla in SI; write t for metric tonnes",
    "kn": "'kn' is a knot; write kt for kilotonnes",
    "mJ": "'mJ' is a millijoule; write MJ for megajoules",
    "mWh": "'mWh' is a milliwatt-hour; write MWh for megawatt-hours",
    "mW": "'mW' is a milliwatt; write MW for megawatts",
    "MBtu": "'MBtu' is ambiguous (a thousand Btu in US usage, a million Btu to pint); write "
    "MMBtu for a million Btu, or GJ",
}
# Abbreviated rates whose M is a metric tonne to some and a million to others (MTPA is a
# million tonnes per annum in mining and LNG, MTPD metric tonnes per day in India).
_REFUSED_WORDS.update(
    (word, f"'{word}' is ambiguous (metric tonnes, or millions of tonnes); write t/{per} "
     f"for tonnes or Mt/{per} for millions of tonnes")
    for word, per in (("MTPA", "yr"), ("mtpa", "yr"), ("MTPY", "yr"), ("mtpy", "yr"),
                      ("MTPD", "d"), ("mtpd", "d"), ("MTPH", "h"), ("mtph", "h"))
)  # fmt: skip
_REFUSED_WORDS["MBTU"] = _REFUSED_WORDS["MBtu"]
# MMT is a million metric tonnes in US and energy statistics (EIA, USGS): not pint's
_REFUSED_WORDS_ANY_CASE["mmt"] = (
    "'MMT' reads as million metric tonnes (MMT CO2 in US statistics); write Mt for a million tonnes"
)
# Tonnes of CO2-equivalent weigh a gas by its warming effect, not by its mass.
_CO2_EQUIVALENT = re.compile(r"CO2[-\s_]?e", re.IGNORECASE)
# Barrels and gallons, with any prefix: an oil barrel is 42 US gallons where pint's barrel
# is 31.5, a gallon is US or imperial, and oil statistics write M for a thousand (Mbbl).
_VESSEL = re.compile(r"(?:k|m|mm|g)?(bbls?|barrels?|gals?|gallons?)", re.IGNORECASE)
_VESSEL_HINTS = {
    "b": "is ambiguous (an oil barrel is 42 US gallons = 0.159 m3, pint's barrel 31.5 US "
    "gallons; oil statistics write M for a thousand); write m3, or oil_barrel for barrels "
    "of oil",
    "g": "is ambiguous (a US gallon is 3.785 L, an imperial gallon 4.546 L); write "
    "US_liquid_gallon, imperial_gallon or m3",
}
# 'mi' first: milhões to a Brazilian journalist, a mistyped mil, pint's mile.
_MI = re.compile(r"^\s*mi\.?\s+\S", re.IGNORECASE)
_MI_HINT = (
    "'mi' is ambiguous (milhões, or a mistyped mil; a mile to pint); write 'milhões t' or "
    "Mt for a million tonnes, 'mil t' or kt for a thousand"
)
# Counts of pieces: appliances (万台), vehicles (辆), sets (套), heads of livestock (头)
_PIECES = re.compile(
    r"[台个個件套辆輛头頭枚只隻대개]|\b(?i:pcs|pieces?|units?|items?|sets?|heads?|vehicles?)\b"
)
_PIECES_HINT = (
    "'{word}' counts pieces, which have no mass, energy or volume to add up: give the "
    "stream's mass (t) by the mass of one piece, and say the count in notes"
)
# Per area: m-2, m^-2, /m2, per m², /km2, /ha, ha-1 (ecosystem models' flows per square
# metre of the habitat). Checked before pint, which would misread or refuse them.
_PER_AREA = re.compile(
    r"(?:/\s*\(?\s*|(?i:\bper)\s+)(?:[kcd]?m\s*(?:2|²|\^\s*2|\*\*\s*2)|(?i:ha|hectares?|acres?)\b)"
    r"(?![0-9])"
    r"|(?<![A-Za-z])(?:[kcd]?m\s*(?:\^\s*|\*\*\s*)?\(?(?:-2|⁻²)|(?i:ha|hectares?|acres?)\s*"
    r"(?:\^\s*|\*\*\s*)?\(?(?:-1|⁻¹))(?![0-9])"
)
_PER_AREA_HINT = (
    "per-area units are not read: multiply by the area, or drop the {area}: FCI, APL and "
    "every ratio are unchanged; give carbon as a mass (g C) or energy as kcal"
)


def ambiguity(raw: str) -> tuple[str, str] | None:
    """``(message, hint)`` when a word of ``raw`` is one pint would misread (module
    docstring), or ``raw`` is per area; None otherwise. O(len(raw))."""
    area = _PER_AREA.search(raw)
    if area:
        return f"unit '{raw}' is per area", _PER_AREA_HINT.format(area=area.group(0).strip())
    if _CO2_EQUIVALENT.search(raw):
        return (
            f"unit '{raw}' is refused: CO2-equivalents weigh a gas by its warming effect, "
            "not by its mass",
            "give the stream's own mass (t; for carbon dioxide itself, t CO2 is its mass)",
        )
    if _MI.match(raw):
        return f"unit '{raw}' is refused", _MI_HINT
    pieces = _PIECES.search(raw)
    if pieces:
        return f"unit '{raw}' is refused", _PIECES_HINT.format(word=pieces.group(0))
    for word in re.findall(r"[A-Za-z_]+", raw):
        hint = _REFUSED_WORDS.get(word) or _REFUSED_WORDS_ANY_CASE.get(word.lower())
        vessel = _VESSEL.fullmatch(word)
        if vessel:
            hint = f"'{word}' {_VESSEL_HINTS[vessel.group(1)[0].lower()]}"
        if hint:
            return f"unit '{raw}' is refused", hint
    return None


# Portuguese and Spanish numbers (module docstring). 'mil' only first and followed by no
# letter nor digit ('milhões', 'miles', 'mill.' are others); a million anywhere, so that
# 'mil millones de m3' (Spanish for a thousand million) is 1e3 times 1e6.
_MILLION = r"\b(?:milh(?:ões|oes|ão|ao)|mill(?:ones|ón|on))\b(?:\s+de\b)?|\bmill\."
_LATIN_NUMBERS = [
    (re.compile(r"^\s*(?:mil|Mil|MIL)(?:\.|(?!\w))\s*"), "1e3 "),
    (re.compile(r"^\s*miles\s+de\b\s*", re.IGNORECASE), "1e3 "),
    (re.compile(_MILLION, re.IGNORECASE), " 1e6 "),
    (re.compile(r"\btoneladas?\b", re.IGNORECASE), "t"),
]


def latin_numbers(expression: str) -> str:
    """``expression`` with the Portuguese and Spanish numbers and tonnes of the module
    docstring written as pint reads them (``mil t`` as ``1e3 t``). O(len(expression))."""
    for pattern, replacement in _LATIN_NUMBERS:
        expression = pattern.sub(replacement, expression)
    return expression


# Taiwan's names of the tonne and the cubic metre (module docstring), rewritten before the
# characters; 時 aside from OpenCC (時間, a Japanese hour, would read 时间) and read as 时
# after 瓦 (kWh) and 小 (an hour) only
_TAIWAN = [
    (re.compile(r"公[噸吨]"), "吨"),  # the metric tonne (Taiwan; older mainland text)
    (re.compile(r"立方公尺|公秉"), "立方米"),  # the cubic metre; a kilolitre (Taiwan)
]
_KEPT = re.compile(r"(時間|時)")
_HOUR = re.compile(r"(?<=[瓦小])時")


def simplified(expression: str) -> str:
    """``expression`` with the traditional characters of a unit and Taiwan's names of the
    tonne and the cubic metre (module docstring) in the simplified characters that
    :mod:`symbiosis.units` reads: ``萬噸`` is ``万吨``. O(len(expression)).

    >>> simplified("萬噸/年"), simplified("萬千瓦時"), simplified("立方公尺/小時")
    ('万吨/年', '万千瓦时', '立方米/小时')
    """
    for pattern, replacement in _TAIWAN:
        expression = pattern.sub(replacement, expression)
    if chinese(expression):
        pieces = _KEPT.split(expression)  # 時 and 時間 at the odd places, kept
        pieces[::2] = map(_simplified, pieces[::2])
        expression = "".join(pieces)
    return _HOUR.sub("时", expression)


def mere_number(quantity: Any, ureg: Any, raw: str) -> str | None:
    """The hint refusing ``quantity`` (pint's reading of the unit ``raw``) when one of its
    units is a pure number (module docstring): an angle, a share, a count or an amount of
    information, or a unit defined with one; None otherwise. O(units of the quantity)."""
    for name, _ in quantity.unit_items():
        factor, root = ureg.get_root_units(name)
        roots = {root_name for root_name, _ in ureg.Quantity(1, root).unit_items()}
        if ureg.get_dimensionality(name) and not roots & {"radian", "bit"}:
            continue  # a unit of a dimension, with no angle nor bit in its definition
        if roots & {"radian"}:
            kind = "an angle"
        elif roots & {"bit"}:
            kind = "an amount of information"
        else:
            kind = "a share" if factor < 1 else "a number"
        mil = " (for mil, a thousand in Portuguese and Spanish, write it first: mil t)"
        return (
            f"{_written(name, ureg, raw)} is {kind} to pint (a factor of {factor:.4g}), not a "
            "unit of an amount; write the unit alone (t, MWh, GJ or m3) and the flow's whole "
            "amount in quantity" + (mil if name == "mil" else "")
        )
    return None


def _written(name: str, ureg: Any, raw: str) -> str:
    """The word of ``raw`` that pint reads as its unit ``name``, quoted, with pint's name
    when it differs (``'%' (percent)``); else ``name`` quoted. Only for a refused unit."""
    for word in re.findall(r"[^\s\d.*/()^+-]+", raw):
        try:
            if name in dict(ureg.Quantity(1, word).unit_items()):
                return f"'{word}'" if word == name else f"'{word}' ({name})"
        except Exception:  # pint raises many types for a word it does not know
            continue
    return f"'{name}'"
