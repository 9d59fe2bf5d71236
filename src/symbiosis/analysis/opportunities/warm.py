"""Warm discharges: a water warmed in a condenser or a cooler is no cooling water.

A power station takes seawater (or river water) cold and sends it back warm: ``warm cooling
seawater``, ``温排海水``, ``heated water``, ``thermal effluent``. The taxonomy reads the warm
discharge as the water it was (``warm cooling seawater`` is seawater by its head noun), so
the network's evidence (:mod:`.evidence`) took a cooler's cold intake for a taker of the
warm discharge: Jurong's TMUC, which takes seawater, made the Sembcorp cogeneration plant,
a peer of its sector, a taker of TMUC's own warm condenser water ("peer of a taker",
demonstrated), where a condenser needs cold water (the colder the better: its vacuum, and
so the station's efficiency, depend on it). A warm stream (:data:`WARM_WORDS`: every name of
the taxonomy's ``warm water`` holds one, a test keeps them in step) is no evidence of a
taker from the intake of a *cooler*: an actor of the ``power generation`` sector, or one
that sends out a warm water itself (it warms what it takes), unless that intake is warm
too (:func:`cooling_intakes`). Its other takers (a desalination plant, an aquaculture farm,
a bromine plant, which take seawater for what it holds, warm or not) still count, and so
do the catalogue's rows (warm water to aquaculture, greenhouses, district heating).

Complexity: one regular-expression search per distinct material key, O(f) for the flows
from and into the coolers, only when a warm stream leaves the network.
"""

from __future__ import annotations

import re

import numpy as np

from ...catalogue.sectors import normalise_sector
from .node_sectors import nodes_of_sectors
from .receivers import Context

__all__ = ["WARM_WORDS", "cooling_intakes", "warm_keys"]

#: Words of a water's name that say it was warmed: a discharge, no cooling water.
WARM_WORDS = re.compile(
    r"\b(?:warm|warmed|heated|hot (?:sea)?water|thermal (?:effluent|discharge|water)"
    r"|cooling (?:sea)?water (?:return|discharge|outflow)|return cooling (?:sea)?water"
    r"|condenser (?:discharge|outlet|water))\b|温排|温水|温海水|热排水|温排水|昇温|온배수|온수",
    re.IGNORECASE,
)
_COOLING_SECTORS = frozenset({normalise_sector("power generation")})


def warm_keys(ctx: Context) -> np.ndarray:
    """Per material key code (and one more for -1), whether its name says it was warmed
    (:data:`WARM_WORDS`). One search per distinct key. Cached."""
    cache = ctx.__dict__
    if "_warm_keys" not in cache:
        keys = ctx.core.material_keys
        found = [bool(WARM_WORDS.search(str(k).replace("-", " "))) for k in keys]
        cache["_warm_keys"] = np.array([*found, False], dtype=bool)
    return cache["_warm_keys"]


def cooling_intakes(ctx: Context, into: np.ndarray) -> np.ndarray:
    """Per flow of ``into`` (flows into actors: a mask or positions), whether it is a cooler's cold
    intake (module docstring): into an actor of the power generation sector or one that
    sends out a flow of a warm name, and not of a warm name itself. O(f)."""
    core = ctx.core
    warm = warm_keys(ctx)
    cooler = nodes_of_sectors(ctx, _COOLING_SECTORS)
    cooler[core.source[warm[core.material_key_code]]] = True
    return cooler[core.target[into]] & ~warm[core.material_key_code[into]]
