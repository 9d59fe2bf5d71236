"""Water in tonnes beside other masses: a water balance counted as material.

Chinese plants and statistics report wastewater, reclaimed and cooling water in 万吨 (and
Japanese and Korean ones in t), which the mass dimension reads as it reads coal: a tester's
Ningdong coal-chemical base sent its zero-liquid-discharge centre 8 Mt of high-salinity
wastewater and took back 6.8 Mt of reclaimed water, so that its mass reuse share (10.3 %)
and its mass Finn cycling index (4.8 %, all of it the CTL -> ZLD -> CTL water loop) measured
water more than materials. Not refused (a water balance in tonnes is a choice, as steam's is:
:mod:`.steam`): a warning names the waters and says to give them in m3 (1 t of water is
about 1 m3), where the volume dimension holds them apart from the materials (docs/cycling.md,
"Water in tonnes"; docs/errors.md).

A flow is water when its material is of the shipped taxonomy's ``water`` family
(:mod:`symbiosis.taxonomy`: wastewater, effluent and sewage, treated and reclaimed water,
process, fresh, cooling, mine and desalinated water, condensate; 废水, 污水, 中水, 回用水,
冷却水, 排水, 폐수 ...), by any of its rules (``high-salinity wastewater (高盐废水)`` by its
head noun): not a sludge (``wastewater sludge``), a brine, steam (:mod:`.steam`), a slag
quenched in water (高炉水渣) or a load an effluent carries (``ammonia nitrogen``, COD: the
taxonomy's ``effluent load`` family, warned of by :mod:`.loads`). Only when another mass
flow is in the table: a table of water alone adds like with like.

Complexity: one vectorised regular expression over the distinct materials (Arrow's), which
keeps the names that may name a water (:data:`MAYBE_WATER`, a word of every name of the
family: a test keeps the two in step); then, only when one of them is on a row of a mass
unit, numpy passes over the rows' codes and one taxonomy look-up per such name (the
taxonomy is loaded then, not before: a table whose waters are in m3 never loads it).
"""

from __future__ import annotations

import numpy as np

from .beside import IN_MASS, Said, beside, family_in_mass
from .columns import Encoded
from .loads import load_in_mass
from .reading import Table
from .steam import steam_in_mass

__all__ = ["MAYBE_WATER", "mixed_masses", "water_in_mass"]

#: A material that may name a water (an RE2 expression, matched ignoring case): a word of
#: every name of the taxonomy's water family, in English, Portuguese, Spanish, Chinese,
#: Japanese and Korean. The taxonomy decides; this only spares it the other names.
MAYBE_WATER = (
    r"water|effluent|sewage|condensate|blowdown|drainage|[aá]gua|efluente|esgoto"
    r"|水|復水|수"
)
#: The taxonomy family whose materials are waters.
WATER_FAMILY = "water"


def water_in_mass(
    table: Table, materials: Encoded, units: Encoded, unit_dimension: np.ndarray
) -> list[str]:
    """The warning of rows of ``table`` whose material is a water and whose unit a mass,
    beside other mass rows (module docstring), naming a few of each with their unit and
    the first water row; none otherwise. ``unit_dimension``: the dimension code of each
    distinct unit. O(distinct materials), and O(rows) on integer codes only when a name
    that may be a water is in the table."""
    found = family_in_mass(materials, units, unit_dimension, MAYBE_WATER, WATER_FAMILY)
    if found is None:
        return []
    water, mass = found
    return beside(table, materials, units, water, mass & ~water, _SAID)


#: What the warning says (:class:`.beside.Said`).
_SAID = Said(
    "water in a unit of mass",
    IN_MASS,
    ": its tonnes swell the mass throughput, the reused and disposed masses and the reuse "
    "share, and a water loop counts as cycled material in the mass cycling index, so that "
    "these measure water more than materials; give water in m3 (1 t of water is about 1 m3: "
    "万吨 as 万m3), which the volume dimension holds apart, or read the mass figures as "
    "counting that water (docs/cycling.md, 'Water in tonnes')",
)


def mixed_masses(
    table: Table,
    materials: Encoded,
    units: Encoded,
    unit_dimension: np.ndarray,
    categories: Encoded,
    canonical: np.ndarray,
) -> list[str]:
    """The warnings of flows given in a unit of mass that are no materials: steam
    (:func:`.steam.steam_in_mass`), water (:func:`water_in_mass`) and the loads an effluent
    carries (:func:`.loads.load_in_mass`), each beside other mass flows.
    ``canonical``: the category each distinct category stands for."""
    return [
        *steam_in_mass(table, materials, units, unit_dimension, categories, canonical),
        *water_in_mass(table, materials, units, unit_dimension),
        *load_in_mass(table, materials, units, unit_dimension),
    ]
