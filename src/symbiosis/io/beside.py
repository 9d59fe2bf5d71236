"""Flows added to others of their dimension that they do not belong with: the warnings' shape.

A dimension adds every flow it holds: gas volumes to water's (:mod:`.gases`), steam's
tonnes (:mod:`.steam`), water's (:mod:`.waters`) and an effluent's load (:mod:`.loads`) to
the materials'. Each of these warnings has one shape, made here: the flows it is about (a
mask of rows) beside the others of the dimension, a few materials of either side named with
the unit of their first row there, the first row of the flows warned about, and what to do;
none when either side is empty (a table of steam alone adds like with like).
:func:`family_in_mass` finds the flows of a taxonomy family given in a unit of mass, for the
warnings whose flows the taxonomy recognises (water, loads).

Complexity: :func:`matching` one vectorised regular expression over the distinct materials
(Arrow's); :func:`beside` O(rows) numpy passes over the rows' codes;
:func:`family_in_mass` O(distinct materials), and O(rows) on integer codes plus one taxonomy
look-up per distinct name the pattern keeps, only when such a name is on a row of a mass
unit (the taxonomy is loaded then, not before).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .._hanzi import simplified
from ..units import DIMENSIONS
from ..vocabulary import material_key
from .columns import Encoded
from .problems import shorten
from .reading import Table

__all__ = ["IN_MASS", "Said", "beside", "family_in_mass", "matching", "named"]

_MASS = DIMENSIONS.index("mass")
#: Materials named per side of a warning.
_NAMED = 3
#: What the warnings of flows in a unit of mass say they are added to.
IN_MASS = "is added to the materials of the mass dimension"


class Said(NamedTuple):
    """What a warning says: ``what`` the flows are, what they are ``added`` to (before the
    others' names), and ``then`` (after them: the consequence and what to do)."""

    what: str
    added: str
    then: str


def beside(table: Table, materials: Encoded, units: Encoded, some: np.ndarray,
           others: np.ndarray, said: Said) -> list[str]:  # fmt: skip
    """The warning of the rows ``some`` (a mask) beside the rows ``others``: ``path: what
    (names; first on row N) added (names)then``; none when either side is empty. O(rows)."""
    if not some.any() or not others.any():
        return []
    first = int(np.argmax(some))
    return [
        f"{table.path}: {said.what} ({named(materials, units, some)}; first on row "
        f"{table.rows[first]}) {said.added} ({named(materials, units, others)}){said.then}"
    ]


def family_in_mass(materials: Encoded, units: Encoded, unit_dimension: np.ndarray,
                   maybe: str, family: str, also: frozenset[str] = frozenset()
                   ) -> tuple[np.ndarray, np.ndarray] | None:  # fmt: skip
    """The rows whose material the shipped taxonomy reads as one of ``family`` and whose
    unit is a mass, and the rows of a mass unit (two masks), or ``None`` when there are
    none of the first. ``maybe``: a pattern (RE2, ignoring case) every name of the family
    matches, which spares the taxonomy the other names; ``also``: the material keys
    (:func:`~symbiosis.vocabulary.material_key`) of the family as whole names only, which
    the taxonomy is not to read inside other names (``ss``); ``unit_dimension``: the
    dimension code of each distinct unit. O(distinct materials), then O(rows) on codes
    only when a name ``maybe`` keeps is on a row of a mass unit."""
    if not len(materials.values):
        return None
    mass_unit = np.asarray(unit_dimension) == _MASS
    if not mass_unit.any():
        return None
    kept = matching(materials, maybe)
    if not kept.any():
        return None
    mass = mass_unit[units.codes]
    in_mass = np.zeros(len(materials.values), dtype=bool)
    in_mass[materials.codes[mass]] = True
    asked = np.flatnonzero(kept & in_mass)
    if not len(asked):
        return None
    of_family = np.zeros(len(materials.values), dtype=bool)
    of_family[asked] = [
        material_key(name) in also or _family(name) == family
        for name in (materials.values[at] for at in asked.tolist())
    ]
    rows = mass & of_family[materials.codes]
    return (rows, mass) if rows.any() else None


def _family(name: str) -> str | None:
    """The family of the shipped taxonomy's material ``name`` is, if any."""
    from ..taxonomy import default_taxonomy  # only for a possible match in a unit of mass

    match = default_taxonomy().resolve(name)
    return None if match is None else match.family


def matching(materials: Encoded, pattern: str) -> np.ndarray:
    """Mask of the distinct materials that ``pattern`` matches (ignoring case), as written
    or in simplified characters (traditional Chinese, 高爐煤氣, read as 高炉煤气 is:
    :func:`symbiosis._hanzi.simplified`; the Japanese words of a pattern, 懸濁物質, are found
    as written). One more vectorised search when a name is in traditional characters."""
    names = materials.dictionary
    if not len(names):
        return np.zeros(0, dtype=bool)
    found = _matching(names, pattern)
    other = [simplified(name) if isinstance(name, str) else name for name in materials.values]
    if other != materials.values:
        found |= _matching(pa.array(other, pa.string()), pattern)
    return found


def _matching(names: pa.Array, pattern: str) -> np.ndarray:
    found = pc.match_substring_regex(names, pattern, ignore_case=True).fill_null(False)
    return found.to_numpy(zero_copy_only=False).astype(bool, copy=False)


def named(materials: Encoded, units: Encoded, rows: np.ndarray) -> str:
    """A few of the materials on ``rows`` (a mask), in order of first row, each with the
    unit of its first row there: ``'natural gas' (亿立方米), 'biogas' (Nm3) ...``."""
    at = np.flatnonzero(rows)
    codes, first = np.unique(materials.codes[at], return_index=True)
    order = np.argsort(first)
    shown = [
        f"'{shorten(materials.values[codes[i]], 40)}' ({units.values[units.codes[at[first[i]]]]})"
        for i in order[:_NAMED]
    ]
    return ", ".join(shown) + (" ..." if len(codes) > _NAMED else "")
