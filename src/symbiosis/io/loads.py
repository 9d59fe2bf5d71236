"""An effluent's pollutant load in tonnes beside other masses: a load counted as material.

Chinese statistics and discharge permits report what a wastewater carries as a mass (氨氮,
COD, 总氮, 总磷 in t/a), and so do others (BOD, TSS in kg/d): given as a flow in t, the mass
dimension reads it as it reads coal. A tester's Baotou sent the Yellow River 14,480 t of
ammonia nitrogen from its rare-earth zone's WWTP, counted in the disposed mass and the mass
reuse share beside its ores and slags, although those tonnes are a few mg/L to g/L of the
wastewater that carries them (itself a flow, in 万吨 or m3). Not refused (a table may mean
its loads so): a warning names the loads and says to leave them out of the flows, where a
column of the wastewater's row keeps them as an attribute (docs/cycling.md, "Effluent loads
in tonnes"; docs/errors.md). There is no dimension of its own to give a load: the network's
are mass, energy and volume.

A flow is a load when its material is of the shipped taxonomy's ``effluent load`` family
(:mod:`symbiosis.taxonomy`: ammonia, nitrate and total nitrogen, total phosphorus, COD, BOD,
suspended solids; 氨氮, 总氮, 总磷, 化学需氧量, 悬浮物, 全窒素, 총인 ...), by any of its rules:
not the wastewater named by its load (``ammonia-nitrogen wastewater (氨氮废水)``, a water:
:mod:`.waters`), nitrogen gas (氮气), an ammonium salt or phosphorus. The opportunities read
the same family as dilute (:mod:`symbiosis.analysis.opportunities.states`). And ``SS``,
the suspended solids of Chinese tables, as the whole name only (:data:`WHOLE_NAMES`). Only
when another mass flow is in the table: a table of loads alone adds like with like.

Complexity: one vectorised regular expression over the distinct materials (Arrow's), which
keeps the names that may name a load (:data:`MAYBE_LOAD`, a word of every name of the
family: a test keeps the two in step); then, only when one of them is on a row of a mass
unit, numpy passes over the rows' codes and one taxonomy look-up per such name
(:func:`.beside.family_in_mass`).
"""

from __future__ import annotations

import numpy as np

from .beside import IN_MASS, Said, beside, family_in_mass
from .columns import Encoded
from .reading import Table

__all__ = ["LOAD_FAMILY", "MAYBE_LOAD", "WHOLE_NAMES", "load_in_mass"]

#: A material that may name an effluent load (an RE2 expression, matched ignoring case): a
#: word of every name of the taxonomy's family, in English (as written, NH3-N, and as the
#: taxonomy keys it, nh3 n), Chinese, Japanese and Korean; not nitrogen oxides nor nitrogen
#: gas, which a park gives in t; and SS as the whole name (:data:`WHOLE_NAMES`). The
#: taxonomy decides.
MAYBE_LOAD = (
    r"(ammon\w*|total|kjeldahl|nitrate)[ -]nitrogen|\bn\b|\btn\b|\btkn\b|total[ -]phosphorus|\btp\b"
    r"|\btotal p\b|\bcod|\bbod|oxygen demand"
    r"|permanganate|suspended|\btss\b|^\s*ss\s*$|氮|磷|需氧量|耗氧量|高锰酸盐|悬浮|窒素|リン|燐"
    r"|酸素要求量|浮遊物質|懸濁物質|질소|총인|산소요구량|부유물질"
)
#: The taxonomy family whose materials are the loads an effluent carries.
LOAD_FAMILY = "effluent load"
#: Loads by their whole name only (material keys): SS, the suspended solids (悬浮物) of
#: Chinese permits and EIA tables beside COD and 氨氮. Not a taxonomy synonym, which its
#: rules would read inside other names: "SS dust", "SS powder", "stainless steel SS" are
#: stainless steel, "SS scrap" a scrap metal.
WHOLE_NAMES = frozenset({"ss"})


def load_in_mass(
    table: Table, materials: Encoded, units: Encoded, unit_dimension: np.ndarray
) -> list[str]:
    """The warning of rows of ``table`` whose material is an effluent load and whose unit a
    mass, beside other mass rows (module docstring), naming a few of each with their unit
    and the first load row; none otherwise. ``unit_dimension``: the dimension code of each
    distinct unit. O(distinct materials), and O(rows) on integer codes only when a name that
    may be a load is on a row of a mass unit."""
    found = family_in_mass(
        materials, units, unit_dimension, MAYBE_LOAD, LOAD_FAMILY, also=WHOLE_NAMES
    )
    if found is None:
        return []
    load, mass = found
    return beside(table, materials, units, load, mass & ~load, _SAID)


#: What the warning says (:class:`.beside.Said`).
_SAID = Said(
    "a load an effluent carries in a unit of mass",
    IN_MASS,
    ": its tonnes are a pollutant dissolved or suspended in a wastewater (mg/L to g/L), no "
    "material anyone sends or takes, yet they swell the mass throughput, the disposed and "
    "reused masses and the reuse share, beside the water that carries them when it is a flow "
    "too; leave the load out of the flows table (as a column of the wastewater's row, e.g. "
    "nh3_n_t, it is kept as an attribute and counted nowhere), or read the mass figures as "
    "counting it (docs/cycling.md, 'Effluent loads in tonnes')",
)
