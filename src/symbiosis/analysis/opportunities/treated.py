"""Residues sent to treatment that the default search leaves out, though the catalogue
knows a use for them.

A residue an actor sends to another whose role is ``treatment`` (a waste acid to a
neutralisation station, oily sludge to a sludge plant) has fate ``treated`` and is
searched only when that fate is asked for (``--fate treated``): most such streams are
wastewater to its plant, which the note leaves out (the taxonomy's ``water`` family).
But Kaiyang's 13 kt of fluosilicic acid, neutralised at the works' wastewater plant, is
the textbook fluorine recovery (an aluminium fluoride plant 68 km away), and a default run
said nothing of it (tester-cities6). :func:`treated_note` says which of those streams the
catalogue has rows for, so that the analyst knows to ask.

Complexity: O(f) vectorised over the core's arrays, plus one catalogue look-up per
distinct material of the streams to treatment.
"""

from __future__ import annotations

import numpy as np

from ...vocabulary import CATEGORIES, RESIDUAL_CATEGORIES, ROLES
from .._utility_inputs import utility_inputs
from .hazards import quoted_few
from .materials import rows_for, taxonomy_classes
from .parts import part_rows
from .receivers import Context

__all__ = ["treated_note"]

_TREATMENT = ROLES.index("treatment")


def treated_note(ctx: Context) -> str | None:
    """The note on the residues sent to a treatment actor whose material the catalogue
    has rows for (by name or synonym, a part of a name in two scripts, or the taxonomy),
    water aside: how many, their materials, where they go and how to search them; None
    when there is none."""
    core = ctx.core
    to_treatment = core.role_code[core.target] == _TREATMENT
    to_treatment &= core.source_is_actor & (core.source != core.target)
    to_treatment &= ~utility_inputs(core)  # the steam, power it uses: reused, not treated
    residual = [CATEGORIES.index(c) for c in RESIDUAL_CATEGORIES]
    positions = np.flatnonzero(to_treatment & np.isin(core.category, residual))
    if not len(positions):
        return None
    key_codes = core.material_key_code[positions]
    water = [bool(m) and m.family == "water" for m in taxonomy_classes(ctx)[4]]
    known = [int(k) for k in np.unique(key_codes) if not water[k] and _has_rows(ctx, int(k))]
    if not known:
        return None
    shown = positions[np.isin(key_codes, known)]
    materials = list(dict.fromkeys(core.material_keys[key_codes[np.isin(key_codes, known)]]))
    targets = list(dict.fromkeys(core.ids[core.target[shown]].tolist()))
    return (
        f"{len(shown)} residue stream(s) sent to treatment have catalogue pathways "
        f"({quoted_few(materials)} to {quoted_few(targets)}) and were not searched: "
        "--fate treated (fates=('treated',) in Python) proposes their reuse too"
    )


def _has_rows(ctx: Context, key_code: int) -> bool:
    key = str(ctx.core.material_keys[key_code])
    return bool(ctx.catalogue.match(key) or part_rows(ctx, key) or rows_for(ctx, key_code))
