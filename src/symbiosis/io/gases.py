"""Gas volumes beside liquid volumes: one ``volume`` dimension adding both.

A cubic metre of natural gas at normal conditions and a cubic metre of water are both
"m3", so both are read into the volume dimension, and every sum of it adds them: a
tester's oilfield (45 亿立方米 of associated gas beside produced water) had a volume
cycling index of 15.6 % and an extraction dependence of 97.3 %, which the same network
with the gas in GJ put at 73.8 % and 0 %. The README's promise, "quantities of different
dimensions are never added", is kept by a warning naming the materials: a flow is a gas
volume when its unit is one (``Nm3``, ``Sm3``, normal or standard cubic metres, ``标方``)
or its material is a gas (natural, associated, fuel gas, biogas, hydrogen, CO2 ... in
m3), a liquid volume otherwise.

Not refused: a network whose volumes are all gases (a biogas plant's Nm3) adds like with
like, and so does one whose gases are given in GJ or t; the warning says what to do.

Solids in cubic metres are the same mistake (:func:`mixed_volumes`): forestry
statistics give logs, sawnwood and panels in m3 (原木, 锯材), mines their overburden and
earthworks (土方); a tester's forest city added 0.5 Mm3 of timber to its sewage, so its
volume throughflow, extraction dependence (logs over water) and the paper mill's capacity
for effluent (its pulpwood in m3) meant nothing. A solid named so (wood, logs, timber,
boards, overburden, sand, gravel ...) beside other volumes gets its own warning.

So do liquid fuels and chemicals in cubic metres (ethanol, methanol, diesel, gasoline, fuel
and crude oil, LPG, molasses, solvents, acids ...): fuel statistics give them in m3 (Brazil's
ANP its ethanol, oil companies their products), and a tester's sugarcane mill added 135,000
m3 of ethanol to its vinasse and wastewater in the one water balance, without a word. A
material named so and not as water (oily wastewater, palm oil mill effluent, acid mine
drainage are water) beside other volumes gets the third warning.

The rules (names and units) are :mod:`symbiosis.vocabulary.volumes`, which the reports'
split of the volume figures by kind reads too.

Complexity: nothing for a table without volume units; else one vectorised regular
expression per kind over the distinct materials (Arrow's), a call per distinct volume unit,
and, only when some volume is a gas, numpy passes over the rows' codes.
"""

from __future__ import annotations

import numpy as np

from ..units import DIMENSIONS
from ..vocabulary.volumes import FUEL, GAS, SOLID, is_gas_unit, name_kinds
from .beside import Said, beside
from .columns import Encoded
from .reading import Table

__all__ = ["is_gas_unit", "mixed_volumes"]

_VOLUME = DIMENSIONS.index("volume")


def mixed_volumes(
    table: Table, materials: Encoded, units: Encoded, unit_dimension: np.ndarray
) -> list[str]:
    """The warnings of volume flows of ``table`` that mix gases with others, solids with
    others, and liquid fuels and chemicals with others (module docstring), each naming a few
    materials of both sides with their unit and the first row of the gas, solid or fuel;
    none otherwise. ``unit_dimension``: the
    dimension code of each distinct unit. The masks of the distinct units and names are
    made once for all. O(distinct values), and O(rows) on integer codes only when a
    volume is a gas, a solid or a fuel."""
    volume_unit = np.asarray(unit_dimension) == _VOLUME
    if not volume_unit.any():
        return []
    gas_unit = volume_unit & np.array([is_gas_unit(u) for u in units.values], dtype=bool)
    kinds = name_kinds(materials.dictionary)  # the rules of symbiosis.vocabulary.volumes
    gas_name, solid_name, fuel_name = kinds == GAS, kinds == SOLID, kinds == FUEL
    volume = volume_unit[units.codes]
    found = []
    if gas_unit.any() or gas_name.any():
        gas = volume & (gas_unit[units.codes] | gas_name[materials.codes])
        found += beside(table, materials, units, gas, volume & ~gas, _GAS_SAID)
    if solid_name.any():
        solid = volume & solid_name[materials.codes] & ~gas_unit[units.codes]
        found += beside(table, materials, units, solid, volume & ~solid, _SOLID_SAID)
    if fuel_name.any():
        fuel = volume & fuel_name[materials.codes] & ~gas_unit[units.codes]
        found += beside(table, materials, units, fuel, volume & ~fuel, _FUEL_SAID)
    return found


#: What each warning of :func:`mixed_volumes` says (:class:`.beside.Said`): gases, solids, fuels.
_ADDED = "are added to other volumes"
_GAS_SAID = Said(
    "gas volumes",
    _ADDED,
    " in the one volume dimension, so its totals, cycling and dependence mix m3 of gas "
    "with m3 of water; give the gases as energy (GJ, by their heating value) or mass (t)",
)
_SOLID_SAID = Said(
    "solid volumes",
    _ADDED,
    " in the one volume dimension, so its totals, cycling, dependence and the capacities "
    "of the opportunities mix m3 of solids with m3 of water; give the solids as mass "
    "(t, by their density: green wood about 0.7-1.0 t/m3, sawnwood about 0.5)",
)
_FUEL_SAID = Said(
    "volumes of liquid fuels and chemicals",
    _ADDED,
    " in the one volume dimension, so its totals, cycling and dependence mix m3 of fuels and "
    "chemicals with m3 of water; give them as mass (t, by their density: ethanol about 0.79 "
    "t/m3, diesel 0.84, crude oil 0.85) or energy (GJ, by their heating value: ethanol about "
    "21 GJ/m3, diesel 36)",
)
