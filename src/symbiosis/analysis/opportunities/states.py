"""Dilute emissions: gases released, and pollutants carried by effluents, at a concentration
no receiver can use.

A gas the network records as an *emission* (category ``emission``) has left its source in
the air it is released with. Where that air is a stack's flue gas or a mine's ventilation
air, the gas is dilute, and the catalogue's rows for it, written for a concentrated
stream, do not apply:

=======================  ===========================================  =====================
taxonomy family          emitted by an actor of the sectors            is
=======================  ===========================================  =====================
``sulfur dioxide``       power generation, district heating, waste     flue-gas SO2 at mg
                         incineration (:data:`COMBUSTION_SECTORS`);    per Nm3, often after
                         sinter, pellet and blast-furnace plants,      FGD: no acid plant
                         steel works, cement and lime kilns
                         (:data:`KILN_SECTORS`); sulfuric acid
                         plants and roasters before leaching
                         (:data:`TAIL_GAS_SECTORS`)
                                                                       (which needs a few %
                                                                       SO2) or ammonia
                                                                       scrubber liquor takes
                                                                       it
``hydrogen fluoride``    aluminium smelting, glass and ceramics        what the pots' dry
                         (:data:`FLUORIDE_SECTORS`), and the sectors   scrubbers (on the
                         above                                         smelter's alumina)
                                                                       and kiln scrubbers
                                                                       leave: mg per Nm3,
                                                                       no scrubber-to-
                                                                       fluoride plant
``fuel gases``           (coal) mining (:data:`VENTILATED_SECTORS`)         a mine's ventilation
                                                                       air methane, under
                                                                       1 % CH4: no engine,
                                                                       burner or chemical
                                                                       plant takes it
``ventilation air        any                                           the same, by its name
methane``
``effluent load``        any                                           a pollutant's mass in
                                                                       an effluent (ammonia
                                                                       nitrogen, COD, BOD,
                                                                       total nitrogen and
                                                                       phosphorus, suspended
                                                                       solids): a load the
                                                                       water carries at mg/L,
                                                                       no material
=======================  ===========================================  =====================

Such a stream gets no candidate at all (no catalogue row, redirect or network evidence): it
is listed among the streams with no known pathway. A sinter plant's waste gas
is a few million Nm3 an hour at a few hundred to a few thousand mg SO2 per Nm3 (well under
1 %), as a kiln's is: it is scrubbed (semi-dry or wet FGD), never sent to an acid plant.
An acid plant's own emission is the tail gas of its absorption towers (double absorption:
a few hundred mg SO2 per Nm3), and a roaster that leaches its calcine (``hydrometallurgy``:
rare-earth acid roasting) emits what its scrubbers leave: Kaiyang's two acid plants had been
proposed each other's tail gas, Baotou's chemical plant a new acid plant for its own 300 t.
SO2 that a smelter or roaster sends to
its acid plant is recorded as a by-product and is concentrated; a smelter's own SO2
emission, and a landfill's or an oil field's methane (captured by wells, recovered from
flares), keep their rows. An effluent load is dilute whatever its category or fate: 氨氮
(ammonia nitrogen) reported in tonnes beside a wastewater plant's discharge is the ammonium
its effluent carries, which no one can collect (Baotou's 14,480 t had gone to a PVC plant as
nitrogen for inerting); what can be recovered is the wastewater's ammonium, before it is
diluted (the catalogue's ammonia-nitrogen wastewater row). The families are the shipped
taxonomy's (:mod:`symbiosis.taxonomy`), the sectors the catalogue's
(:mod:`symbiosis.catalogue.sectors`).

Complexity: one scan of the sector vocabulary per distinct firm sector text, then O(s) for s
streams and O(c) for c candidates.
"""

from __future__ import annotations

import numpy as np

from ...vocabulary import CATEGORIES
from .candidates import Candidates
from .materials import taxonomy_classes
from .node_sectors import nodes_of_sectors
from .receivers import Context

__all__ = [
    "COMBUSTION_SECTORS",
    "DILUTE_WHEN_EMITTED",
    "FLUORIDE_SECTORS",
    "KILN_SECTORS",
    "TAIL_GAS_SECTORS",
    "VENTILATED_SECTORS",
    "dilute_emissions",
    "dilute_streams",
]

#: Sectors whose emissions to air leave in a stack's flue gas.
COMBUSTION_SECTORS = frozenset({"power generation", "district heating", "waste incineration"})
#: Sectors whose stack gas is a kiln's or a sinter strand's: dilute like flue gas (a sinter
#: plant's SO2 is a few hundred to a few thousand mg/Nm3), unlike a smelter's off-gas.
KILN_SECTORS = frozenset({"ironmaking", "iron and steel", "steelmaking", "cement", "lime"})
#: Sectors whose SO2 to air is what an absorption tower or a scrubber leaves: an acid plant's
#: tail gas (double absorption: a few hundred mg/Nm3), a roaster-and-leach plant's scrubbed
#: stack. A smelter's (copper smelting) is not: it may vent its converter gas.
TAIL_GAS_SECTORS = frozenset({"sulfuric acid", "hydrometallurgy"})
#: Sectors whose fluoride to air is what their scrubbers leave: an aluminium smelter's pot
#: gas is dry-scrubbed on its alumina, which returns the fluoride to the pots (JRC 2017,
#: BREF Non-Ferrous Metals Industries); glass and ceramic kilns scrub theirs. A roaster's
#: or a fertiliser plant's off-gas before scrubbing is concentrated, its fluoride recovered.
FLUORIDE_SECTORS = frozenset({"aluminium smelting", "glass", "ceramics"})
#: Sectors whose emissions to air of a fuel gas leave in ventilation air (a coal mine).
VENTILATED_SECTORS = frozenset({"mining", "coal mining"})
#: Taxonomy family -> the sectors whose emission of it is dilute (module docstring).
DILUTE_WHEN_EMITTED = {
    "sulfur dioxide": COMBUSTION_SECTORS | KILN_SECTORS | TAIL_GAS_SECTORS,
    "hydrogen fluoride": FLUORIDE_SECTORS | COMBUSTION_SECTORS | KILN_SECTORS | TAIL_GAS_SECTORS,
    "fuel gases": VENTILATED_SECTORS,
}
#: Taxonomy families dilute whatever emits them, and however they leave (an effluent's load).
_DILUTE_ALWAYS = frozenset({"ventilation air methane", "effluent load"})
_EMISSION = CATEGORIES.index("emission")


def dilute_streams(ctx: Context) -> np.ndarray:
    """Per stream, whether it is a dilute emission (module docstring). O(s) once the firm
    sectors are read."""
    streams = ctx.streams
    matches = taxonomy_classes(ctx)[4]
    # per material key (and one more for no key: -1), the family's code among the names
    names = [*_DILUTE_ALWAYS, *DILUTE_WHEN_EMITTED]
    code = np.array([names.index(m.family) if m is not None and m.family in names else -1
                     for m in matches] + [-1], dtype=np.int64)  # fmt: skip
    family = code[streams.key_code]  # O(s): no Python loop over the streams
    emitted = streams.category == _EMISSION
    dilute = np.isin(family, [names.index(name) for name in _DILUTE_ALWAYS])
    for name, sectors in DILUTE_WHEN_EMITTED.items():
        of = emitted & (family == names.index(name))
        if of.any():
            dilute |= of & nodes_of_sectors(ctx, sectors)[streams.source_position]
    return dilute


def dilute_emissions(ctx: Context, candidates: Candidates) -> np.ndarray:
    """Per candidate, whether its stream is a dilute emission (:func:`dilute_streams`):
    such candidates are dropped. O(c)."""
    if not len(candidates):
        return np.zeros(0, dtype=bool)
    return dilute_streams(ctx)[candidates.stream]
