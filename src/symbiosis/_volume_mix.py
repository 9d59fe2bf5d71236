"""Where the volume dimension adds gas, water, solids or fuels: its kinds, and their sizes.

Quantities are summed within one dimension, and every unit of volume is one dimension: a
steelworks' 9 billion m3 of blast-furnace gas and a smelter's 2 million m3 of wastewater
add up, so that Baotou's volume reuse share read 100.0 % (the gas, all burnt by the power
plant) while its only wastewater went to the river (tester-bioports14). The loader warns
(:mod:`symbiosis.io.gases`); the summary and the reuse accounts say which of their volume
figures mix kinds, and the reuse accounts split them by kind
(:data:`~symbiosis.vocabulary.volumes.VOLUME_KINDS`: water, gas, solid, liquid fuel or
chemical, read from the names and units by :mod:`symbiosis.vocabulary.volumes`). The kinds
are no new dimensions: every other figure is as before.

Complexity: O(F) on integer codes, and the distinct names and units of the volume flows
once per network (cached on its core).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from .units import DIMENSIONS
from .vocabulary.volumes import VOLUME_KINDS, volume_kinds

if TYPE_CHECKING:
    from .model import FlowNetwork

__all__ = ["VOLUME", "kind_sizes", "mixed_label", "volume_kind_codes"]

#: The dimension whose flows may be of several kinds.
VOLUME = "volume"
_VOLUME = DIMENSIONS.index(VOLUME)


def volume_kind_codes(network: FlowNetwork) -> np.ndarray:
    """Per flow of ``network`` (the core's order): the code of its kind in
    :data:`~symbiosis.vocabulary.volumes.VOLUME_KINDS` when its unit is a volume, else -1.
    Cached on the core. O(F)."""
    core = network.core

    def build() -> np.ndarray:
        codes = np.full(core.n_flows, -1, dtype=np.int8)
        rows = np.flatnonzero(core.unit_dimension == _VOLUME)
        if not len(rows):
            return codes
        used, material = np.unique(core.material_code[rows], return_inverse=True)
        unit, units = pd.factorize(network.flows["unit"].to_numpy()[rows])
        names = [str(core.materials[m]) for m in used.tolist()]
        codes[rows] = volume_kinds(material.ravel(), names, unit, [str(u) for u in units])
        return codes

    return core.cached(("volume_kinds",), build)


def kind_sizes(network: FlowNetwork, rows: np.ndarray | None = None) -> dict[str, float]:
    """The total of the volume flows of known positive size (of ``rows``, a mask, when
    given) per kind, the largest first, when they are of two kinds or more;
    empty when of one kind or none (nothing mixes). O(F)."""
    core = network.core
    kinds = volume_kind_codes(network)
    sized = (core.dimension == _VOLUME) & (core.value > 0) & (kinds >= 0)
    if rows is not None:
        sized &= rows
    if not sized.any():
        return {}
    totals = np.bincount(kinds[sized], core.value[sized], minlength=len(VOLUME_KINDS))
    present = np.flatnonzero(totals > 0)
    if len(present) < 2:
        return {}
    present = present[np.argsort(-totals[present], kind="stable")]  # the largest first
    return {VOLUME_KINDS[k]: float(totals[k]) for k in present.tolist()}


def mixed_label(kinds) -> str:
    """``mixed: gas + water``: what a share of a dimension adding these kinds is marked
    with (the kinds in the order given)."""
    return "mixed: " + " + ".join(kinds)
