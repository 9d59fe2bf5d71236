"""Raw streams: wastewater, spent liquors and what is sent to treatment, and the receivers
that are no takers of them (two rules of :func:`.takers.non_takers`).

A stream is *raw* when it is sent to treatment (fate ``treated``), or when it is a residue
that its name says is raw whatever its fate: a raw wastewater (the taxonomy's material
``wastewater``: process wastewater, sewage, "ammonium chloride wastewater") or a spent
liquor (a residue of the taxonomy's ``acid`` or ``alkali`` families: spent pickling
liquor, spent caustic). Such a stream is what it carries (ammonium, chlorides, ferrous
iron, metals), not the water or the fresh reagent it was made from:

``untreated``
    A raw stream meets the network's evidence only from a receiver that takes that same
    material: by name, or by the taxonomy when the receiver takes a material of the same
    class (its name resolved whole or without qualifiers,
    :func:`.materials.material_class`); never by the evidence of a related material or of
    a peer. Baotou's rare-earth separation wastewater (g/L of NH4Cl, dumped in the tailings
    dam in 2015) went to the power plant's cooling towers ("takes a related material"), and
    the rolling mill's FeCl2 pickle liquor to the rare-earth solvent-extraction plant
    ("takes this material (taxonomy)": it takes hydrochloric acid, which the liquor's name
    resolves to by a part of it).
``other wastewater``
    A wastewater treatment plant is built for the wastewaters it takes (its biology, its
    chemistry): a raw wastewater goes to an actor that already takes raw wastewater only
    when it takes one of the stream's class, whatever the rule that proposed it (the
    catalogue's ``wastewater-treatment`` row included). The rare-earth wastewater went to
    the municipal plant (whose nitrification NH4Cl at g/L stops) and the city's sewage to
    the rare-earth lime neutralisation station (which has no biology). An actor that takes
    no raw wastewater yet (a new treatment line, a lime station treating pickle liquor)
    stays a receiver of the catalogue's rows.
``treated water``
    The converse: a water that is no raw wastewater (treated effluent, cooling water,
    condensate) meets the network's evidence of a related material or of a peer only
    from a receiver that takes some water other than raw wastewater. A digester or a
    wastewater plant takes raw wastewater for the organic load its biology removes, which
    a treated effluent has no more: the Gebeng plant's treated effluent went to the POME
    digester 62 km away ("takes a related material") and to the ponds that treat its
    effluent.

Complexity: one taxonomy lookup per distinct material key, O(f) to index what the actors
take (once per pass), O(c) expected for c candidates. No Python loop over candidates.
"""

from __future__ import annotations

import numpy as np

from .candidates import Candidates
from .materials import takes_class, taxonomy_classes
from .receivers import Context
from .result import NETWORK_RULES

__all__ = [
    "RAW_WATER",
    "SPENT_LIQUOR_FAMILIES",
    "WATER_FAMILY",
    "other_wastewater",
    "raw_streams",
    "treated_water",
    "untreated",
]

#: The taxonomy material of raw wastewater.
RAW_WATER = "wastewater"
#: The taxonomy family of waters (raw wastewater among them).
WATER_FAMILY = "water"
#: Taxonomy families whose residues are spent liquors.
SPENT_LIQUOR_FAMILIES = frozenset({"acid", "alkali"})
_PRODUCT_FATE, _TREATED_FATE = 3, 4  # FATES.index of product, treated


def _kinds(ctx: Context) -> tuple[np.ndarray, np.ndarray]:
    """Per material key code, and one more for no key (-1): whether it is a raw wastewater,
    whether a material of a spent-liquor family. O(k)."""
    matches = taxonomy_classes(ctx)[4]
    wastewater = [bool(m) and m.material == RAW_WATER for m in matches]
    liquor = [bool(m) and m.family in SPENT_LIQUOR_FAMILIES for m in matches]
    return np.array([*wastewater, False], dtype=bool), np.array([*liquor, False], dtype=bool)


def raw_streams(ctx: Context) -> np.ndarray:
    """Per stream, whether it is raw (module docstring). O(s)."""
    streams = ctx.streams
    wastewater, liquor = _kinds(ctx)
    residue = streams.fate_code != _PRODUCT_FATE
    named = residue & (wastewater | liquor)[streams.key_code]
    return (streams.fate_code == _TREATED_FATE) | named


def untreated(ctx: Context, candidates: Candidates) -> np.ndarray:
    """Per candidate, whether it sends a raw stream (:func:`raw_streams`) to a receiver
    by the network's evidence of a related material or of a peer, or by the taxonomy
    while the receiver takes no material of the stream's class: a mill that takes fresh
    water is no taker of another mill's raw process wastewater, a solvent-extraction plant
    that takes hydrochloric acid none of spent pickle liquor. Such a stream meets catalogue
    rows, and takers of that very material. O(c)."""
    rules = candidates.rules
    network = (candidates.pathway < 0) & raw_streams(ctx)[candidates.stream]
    weak = [rules.index(r) for r in NETWORK_RULES[2:] if r in rules]
    found = network & np.isin(candidates.rule, weak)
    if NETWORK_RULES[1] in rules:
        rows = np.flatnonzero(network & (candidates.rule == rules.index(NETWORK_RULES[1])))
        key = ctx.streams.key_code[candidates.stream[rows]]
        found[rows] = ~takes_class(ctx, candidates.receiver[rows], key)
    return found


def other_wastewater(ctx: Context, candidates: Candidates) -> np.ndarray:
    """Per candidate, whether it sends a raw wastewater to an actor that takes raw
    wastewater but none of the stream's class (module docstring). O(f + c)."""
    core = ctx.core
    found = np.zeros(len(candidates), dtype=bool)
    wastewater = _kinds(ctx)[0]
    key = ctx.streams.key_code[candidates.stream]
    rows = np.flatnonzero(wastewater[key] & (candidates.receiver >= 0))
    if not len(rows):
        return found
    into = core.target_is_actor & wastewater[core.material_key_code]
    treats = np.zeros(core.n_nodes, dtype=bool)
    treats[core.target[into]] = True
    rows = rows[treats[candidates.receiver[rows]]]
    found[rows] = ~takes_class(ctx, candidates.receiver[rows], key[rows])
    return found


def treated_water(ctx: Context, candidates: Candidates) -> np.ndarray:
    """Per candidate, whether it sends a water of the taxonomy's water family that is no
    raw wastewater to a receiver by the network's evidence of a related material or of a
    peer, while every water the receiver takes is raw wastewater (module docstring: a
    digester, a wastewater plant). O(f + c)."""
    core = ctx.core
    found = np.zeros(len(candidates), dtype=bool)
    rules = candidates.rules
    weak = [rules.index(r) for r in NETWORK_RULES[2:] if r in rules]
    if not weak:
        return found
    wastewater = _kinds(ctx)[0]
    water = _water(ctx)
    key = ctx.streams.key_code[candidates.stream]
    rows = np.flatnonzero(water[key] & ~wastewater[key] & np.isin(candidates.rule, weak)
                          & (candidates.pathway < 0) & (candidates.receiver >= 0))  # fmt: skip
    if not len(rows):
        return found
    into = core.target_is_actor & water[core.material_key_code]
    raw = into & wastewater[core.material_key_code]
    takes_raw = np.zeros(core.n_nodes, dtype=bool)
    takes_raw[core.target[raw]] = True
    takes_other = np.zeros(core.n_nodes, dtype=bool)
    takes_other[core.target[into & ~raw]] = True
    receiver = candidates.receiver[rows]
    found[rows] = takes_raw[receiver] & ~takes_other[receiver]
    return found


def _water(ctx: Context) -> np.ndarray:
    """Per material key code, and one more for no key (-1): whether the taxonomy puts it
    in the water family. O(k)."""
    matches = taxonomy_classes(ctx)[4]
    return np.array([*(bool(m) and m.family == WATER_FAMILY for m in matches), False], dtype=bool)
