"""Steam in tonnes beside other masses: boiler feed water counted as material.

Steam given in a unit of mass (t, kg, 万吨) is read into the mass dimension, so every sum of
it adds the steam's tonnes to the materials': a tester's palm oil complex sent its mill
165,000 t of process steam from a boiler fired with 48,500 t of the mill's fibre and shell;
the loop mill → boiler → mill then cycled the steam's tonnes, two fifths of the complex's
cycled mass (mass Finn cycling index 10.3 %, 9.0 % with the steam in GJ). Those tonnes are
feed water, not the fuel. Not refused (a water balance in tonnes is a choice): a warning
names the steam and says to give it as energy (docs/cycling.md, "Steam in tonnes").

A flow is steam when its material is named so (steam, 蒸汽, 蒸気, 스팀, vapor, Dampf ...), but
not condensate (water) nor steam coal (a fuel), and is not an emission (water vapour
released to the air is a mass output like any other). Only when another mass flow is in the
table: a table of steam alone adds like with like.

Complexity: one vectorised regular expression over the distinct materials (Arrow's), and
numpy passes over the rows' codes only when some material is named as steam.
"""

from __future__ import annotations

import numpy as np

from ..units import DIMENSIONS
from .beside import IN_MASS, Said, beside, matching
from .columns import Encoded
from .reading import Table

__all__ = ["steam_in_mass"]

_MASS = DIMENSIONS.index("mass")
#: A material named as steam (an RE2 expression, matched ignoring case): English, Portuguese
#: and Spanish (vapor), French, German (in compounds too: Prozessdampf), Italian, Chinese,
#: Japanese, Korean.
_STEAM = (
    r"\bsteam\b|\bvapor\b|\bvapour\b|\bvapeur\b|dampf\b|\bvapore\b"
    r"|蒸汽|余汽|蒸気|スチーム|스팀|증기"
)
#: ... unless named as condensate (water), a coal (steam coal) or a cracker's product.
_NOT_STEAM = r"condensat|冷凝|凝结|凝水|凝縮|응축|coal|carv[aã]o|煤|crack|裂解"


def steam_in_mass(
    table: Table,
    materials: Encoded,
    units: Encoded,
    unit_dimension: np.ndarray,
    categories: Encoded,
    canonical: np.ndarray,
) -> list[str]:
    """The warning of rows of ``table`` whose material is steam and whose unit a mass,
    beside other mass rows (module docstring), naming a few of each with their unit and
    the first steam row; none otherwise. ``unit_dimension``: the dimension code of each
    distinct unit; ``canonical``: the category each distinct category stands for. O(distinct
    materials), and O(rows) on integer codes only when a material is named as steam."""
    if not len(materials.values):
        return []
    steam_name = matching(materials, _STEAM) & ~matching(materials, _NOT_STEAM)
    if not steam_name.any():
        return []
    emission = categories.rows_where(np.asarray(canonical == "emission", dtype=bool))
    mass = (np.asarray(unit_dimension) == _MASS)[units.codes]
    steam = mass & steam_name[materials.codes] & ~emission
    others = mass & ~steam_name[materials.codes]
    return beside(table, materials, units, steam, others, _SAID)


#: What the warning says (:class:`.beside.Said`).
_SAID = Said(
    "steam in a unit of mass",
    IN_MASS,
    ": its tonnes are boiler feed water, not the fuel a boiler takes in, yet the mass totals "
    "count them and the mass cycling index counts a fuel -> boiler -> steam loop as cycled "
    "material; give steam as energy (GJ: about 2.7-2.8 GJ per t saturated, up to 3.5 "
    "superheated), or read the mass figures as counting that water (docs/cycling.md, "
    "'Steam in tonnes')",
)
