"""Energy carriers a treatment plant uses: its utility inputs, not what it treats.

A residual stream's fate is its receiver's role (:data:`.reuse_streams.FATE_OF_ROLE`): what
a wastewater plant or an incinerator (role ``treatment``) takes it makes harmless,
``treated``. That is right for wastewater, sludge and waste, wrong for the steam, heat,
power or fuel gas it runs on: Pohang's sewage plant dries its sludge with 150 kt of the
steelworks' surplus steam, which it uses as any plant would (tester15 D7: it was counted
treated, and the steam's reuse share 78.6 % instead of 100 %). Such a flow is **used**
(fate ``reused``) when it is:

* metered in a unit of energy (GJ, MWh: heat, power, steam given as energy), or
* of a material the taxonomy reads closely (its name whole, without qualifiers, a
  Chinese, Japanese or Korean name whole, or ending in one: the head of such a name is
  its end, so 잉여증기 is steam and 焦炉煤气废水 wastewater) as steam, waste heat, district
  heat or electricity, or as a fuel gas burnt as a fuel (natural gas, biogas, hydrogen,
  coke oven, blast furnace and converter gas, or ``fuel gas`` under its own name: fuel
  gas, 燃料气). Not a waste gas (tail gas, off-gas, 废气, 尾气: the taxonomy lists them
  under fuel gas, but a thermal oxidiser destroys them), nor landfill gas, nor warm
  water or condensate (water).

Complexity: O(f) over the flows' codes, and one taxonomy look-up per distinct material of
the flows into treatment plants (cached per name); nothing when no flow enters one.
"""

from __future__ import annotations

import re

import numpy as np

from ..core import Core
from ..taxonomy import Taxonomy, default_taxonomy
from ..taxonomy.names import CJK
from ..units import DIMENSIONS
from ..vocabulary import ROLES

__all__ = ["USED_CARRIERS", "utility_inputs", "utility_material"]

#: The materials a plant runs on, whatever its role.
USED_CARRIERS: frozenset[str] = frozenset(
    {"steam", "waste heat", "district heat", "electricity", "natural gas", "biogas",
     "hydrogen", "coke oven gas", "blast furnace gas", "converter gas"}
)  # fmt: skip
_TREATMENT = ROLES.index("treatment")
_ENERGY = DIMENSIONS.index("energy")


def utility_material(name: str, taxonomy: Taxonomy | None = None) -> bool:
    """Whether a material named ``name`` is an energy carrier a plant uses (module
    docstring). Cached per name by the taxonomy's look-ups; O(len(name))."""
    taxonomy = taxonomy or default_taxonomy()
    name = str(name)
    if taxonomy.listed(name) == "fuel gas":  # named as a fuel: fuel gas, 燃料气
        return True
    found = taxonomy.resolve_closely(name)
    material = None if found is None else found.material
    if material is None and CJK.search(name):
        text = re.sub(r"\s+", "", name)
        heads = [n for n in taxonomy.by_chinese if len(n) > 1 and text.endswith(n)]
        material = taxonomy.by_chinese[max(heads, key=len)] if heads else None
    return material in USED_CARRIERS


def utility_inputs(core: Core) -> np.ndarray:
    """Per flow of ``core``: whether it is an energy carrier into a treatment plant (its
    unit of energy, or its material: :func:`utility_material`), which the plant uses.
    Cached per core; O(f) plus a look-up per distinct material of such flows."""

    def build() -> np.ndarray:
        into = core.role_code[core.target] == _TREATMENT
        used = into & (core.unit_dimension == _ENERGY)
        rows = np.flatnonzero(into & ~used & (core.material_code >= 0))
        if len(rows):
            codes = np.unique(core.material_code[rows])
            carrier = np.zeros(len(core.materials), dtype=bool)
            carrier[codes] = [utility_material(core.materials[c]) for c in codes.tolist()]
            used[rows] = carrier[core.material_code[rows]]
        return used

    return core.cached(("utility", "inputs"), build)
