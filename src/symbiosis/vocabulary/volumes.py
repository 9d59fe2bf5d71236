"""What a flow in cubic metres is: water, a gas, a solid, or a liquid fuel or chemical.

The one volume dimension adds every flow given in m3 (a unit of volume), whatever its
material: a steelworks' blast-furnace gas, a city's wastewater, a forest's logs. The
loader warns of such a mix (:mod:`symbiosis.io.gases`), and the reports split the volume
figures by these kinds where they mix (:mod:`symbiosis._volume_mix`); both read the names
and units by the rules here, so that they agree on every flow.

A flow in m3 is

* a **gas** when its unit is a gas volume (``Nm3``, ``Sm3``, normal or standard cubic
  metres, ``标方``: :func:`is_gas_unit`) or its material is named as a gas (natural,
  associated, fuel or blast-furnace gas, biogas, hydrogen, CO2, 煤气, 沼气 ...) and not as
  a liquid (gas oil, gas condensate, LNG, 液化气);
* else a **solid** when its material is named as one measured by volume (logs, timber,
  sawnwood, chips, overburden, sand, gravel, 原木, 土方 ...), not as a liquid;
* else a **liquid fuel or chemical** when its material is named so (ethanol, diesel, crude
  oil, molasses, acids, 乙醇 ...) and not as water (oily wastewater, palm oil mill effluent
  and acid mine drainage are water);
* else **water** (and every other liquid: what the volume dimension was made for).

Complexity: one vectorised regular expression (RE2, Arrow's) per kind over the distinct
names, one match per distinct unit.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np

from .._hanzi import simplified

__all__ = [
    "FUEL",
    "GAS",
    "SOLID",
    "VOLUME_KINDS",
    "WATER",
    "is_gas_unit",
    "matches",
    "name_kinds",
    "volume_kinds",
]

#: The kinds of volume, by code: a flow's kind is its index here.
VOLUME_KINDS: tuple[str, ...] = ("water", "gas", "solid", "liquid fuel or chemical")
WATER, GAS, SOLID, FUEL = range(len(VOLUME_KINDS))

#: A material named as a gas (an RE2 expression, matched ignoring case).
GAS_NAME = (
    r"\bgas(es)?\b|biogas|syngas|biomethane|\bmethane\b|\bhydrogen\b|\boxygen\b|\bnitrogen\b"
    r"|\bargon\b|\bhelium\b|\bco2\b|carbon dioxide|\bair\b|\bozone\b"
    r"|气|瓦斯"  # 天然气, 伴生气, 沼气, 煤气, 氢气, 氧气, 氮气, 烟气, 废气 ...; coal-mine methane
)
#: ... unless named as a liquid: gas oil, gas condensate, LNG, gas-field water, 液化气.
LIQUID_NAME = (
    r"water|effluent|sewage|leachate|liquor|brine|slurry|sludge|\boil|condensate|liquefied"
    r"|liquid|\blng\b|\blpg\b|peroxide|solution|acid|vinegar|水|液|油"
)
#: A material named as a solid measured by volume: wood and its products, earthworks and
#: bulk minerals (an RE2 expression, matched ignoring case; liquids and gases excepted).
SOLID_NAME = (
    r"\blogs?\b|sawlogs?|timber|round ?wood|sawn ?wood|lumber|pulpwood|fuelwood|firewood"
    r"|plywood|veneer|particle ?board|fib(re|er) ?board|\bmdf\b|\bosb\b|\bwood\b|\bpanels?\b"
    r"|overburden|waste rock|\bspoil\b|\bearth\b|\bsoil\b|\bsand\b|gravel|\baggregates?\b"
    r"|concrete|rubble|\bore\b"
    r"|\bchips?\b|sawdust|shavings|\bbark\b|hackschnitzel|rundholz|schnittholz|\bholz\b"
    r"|\bflis\b|(saha|koivu|mets[äa]|puu|kuusi|m[äa]nty|energia|kokopuu|latva|kanto|ranka)hake"
    r"|\bhake\b|原木|木材|锯材|板材|木片|木屑|锯末|树皮|薪材|土方|石方|剥离|砂石"
)
#: A material named as a liquid fuel or chemical, not water (an RE2 expression, matched
#: ignoring case; in English, Portuguese, Spanish and Chinese; gases and solids excepted).
FUEL_NAME = (
    r"ethanol|methanol|\balcohols?\b|[aá]lcool|etanol|metanol|diesel|gasoline|gasolina|\bpetrol\b"
    r"|kerosene|querosene|queroseno|jet fuel|naphtha|\bnafta\b|fuel oil|\bcrude\b|petr[oó]leo"
    r"|\boils?\b|[oó]leo|aceite|\blng\b|\blpg\b|\bglp\b|\bgnl\b|liquefied|glycerin|glicerina"
    r"|molasses|mela[çc]o|melaza|acetone|toluene|xylene|benzene|solvents?\b|\bacids?\b|[áa]cido"
    r"|乙醇|甲醇|酒精|油|液化|溶剂|酸|糖蜜"
)
#: ... unless named as water: oily wastewater, palm oil mill effluent, acid mine drainage.
WATER_NAME = (
    r"water|effluent|sewage|leachate|brine|sludge|slurry|drainage|vinasse|vinha[çc]a|vinaza"
    r"|stillage|\bpome\b|[aá]gua|efluente|esgoto|chorume|lixiviado|\blodo\b|水|泥|渗滤液"
)
#: A unit of gas volume, lower-cased without spaces: kNm3, MMSm3/d, normal m3, standard cubic
#: metres.
_GAS_UNIT = re.compile(r"(k|m|mm|g|b|thousand|million|billion)?([ns]m[3³]|normal|standard)")


def is_gas_unit(unit: str) -> bool:
    """Whether ``unit`` is a volume of gas at normal or standard conditions (``Nm3``,
    ``Sm3``, ``normal m3``, ``标方``). O(len(unit))."""
    key = unit.lower().replace(" ", "")
    return _GAS_UNIT.match(key) is not None or any(word in unit for word in ("标方", "标准立方"))


def matches(names, pattern: str) -> np.ndarray:
    """Mask of ``names`` (a sequence of str or an Arrow string array) that ``pattern`` (RE2)
    matches, ignoring case, as written or in simplified characters (traditional Chinese,
    高爐煤氣, read as 高炉煤气 is: :func:`symbiosis._hanzi.simplified`). O(total length), one
    more search when a name is in traditional characters."""
    import pyarrow as pa
    import pyarrow.compute as pc

    array = (
        names
        if isinstance(names, pa.Array | pa.ChunkedArray)
        else pa.array(list(names), type=pa.string())
    )
    if not len(array):
        return np.zeros(0, dtype=bool)

    def search(texts) -> np.ndarray:
        found = pc.match_substring_regex(texts, pattern, ignore_case=True).fill_null(False)
        return found.to_numpy(zero_copy_only=False).astype(bool, copy=False)

    found = search(array)
    written = array.to_pylist()
    other = [simplified(name) if isinstance(name, str) else name for name in written]
    if other != written:
        found |= search(pa.array(other, type=pa.string()))
    return found


def name_kinds(names) -> np.ndarray:
    """The kind each of ``names`` (distinct material names; str or an Arrow string array)
    gives a flow in m3 of a unit that is no gas volume (module docstring): codes into
    :data:`VOLUME_KINDS`. O(total length)."""
    liquid = matches(names, LIQUID_NAME)
    gas = matches(names, GAS_NAME) & ~liquid
    solid = matches(names, SOLID_NAME) & ~liquid & ~gas
    fuel = matches(names, FUEL_NAME) & ~matches(names, WATER_NAME) & ~gas & ~solid
    kinds = np.full(len(liquid), WATER, dtype=np.int8)
    kinds[fuel] = FUEL
    kinds[solid] = SOLID
    kinds[gas] = GAS
    return kinds


def volume_kinds(
    material_codes: np.ndarray, names: Sequence[str], unit_codes: np.ndarray, units: Sequence[str]
) -> np.ndarray:
    """The kind of each flow in m3 (codes into :data:`VOLUME_KINDS`), from its material
    (``material_codes`` into the distinct ``names``) and its unit (``unit_codes`` into the
    distinct ``units``): a gas volume unit makes it a gas, else its name says. O(flows) on
    the codes, and the distinct names and units once."""
    named = name_kinds(names)
    gas_unit = np.array([is_gas_unit(str(u)) for u in units], dtype=bool)
    kinds = named[material_codes]
    return np.where(gas_unit[unit_codes], np.int8(GAS), kinds).astype(np.int8)
