"""Sets of catalogue sectors that the opportunity rules single out (normalised names, as
:func:`symbiosis.catalogue.sectors.normalise_sector` gives them), apart from the
vocabulary that reads a firm's sector text (:mod:`symbiosis.catalogue.sectors`, which
re-exports them). Constants only: no import, no computation.
"""

from __future__ import annotations

__all__ = [
    "EXTRACTION_SECTORS",
    "HAZARDOUS_WASTE_SECTORS",
    "HOSTED_SECTORS",
    "LAND_AND_FOOD_SECTORS",
    "SITE_BOUND_SECTORS",
]

#: Sectors that stand where a deposit is (an oil or gas field): a region without one cannot
#: build one to take a by-product, so no new plant of them is proposed, only their actors
#: are (CO2 for enhanced oil recovery went to "a new oil and gas extraction plant" in
#: Kitakyushu and in Tongling, neither of which has an oil field). Not mining: its new
#: plant in the catalogue reprocesses tailings, which stands at the tailings dam.
#: Normalised names.
SITE_BOUND_SECTORS: frozenset[str] = frozenset({"oil and gas extraction"})

#: Receiving sectors where a residue is spread on land or enters the food chain: no
#: hazardous stream goes to them, neither a residue of a hazardous-waste treater (a
#: hazardous-waste incinerator's ash was offered to forest soils, its CO2 to a soft-drink
#: bottler) nor a hazardous material (:mod:`symbiosis.analysis.opportunities.hazards`).
#: Normalised names.
LAND_AND_FOOD_SECTORS: frozenset[str] = frozenset({
    "agriculture", "forestry", "soil remediation", "land reclamation", "composting",
    "mushroom cultivation", "animal feed", "food and beverage", "aquaculture",
    "greenhouse horticulture",
})  # fmt: skip

#: Sectors of actors that treat hazardous waste (their residues are hazardous unless
#: shown otherwise): sources never proposed to :data:`LAND_AND_FOOD_SECTORS`.
HAZARDOUS_WASTE_SECTORS: frozenset[str] = frozenset({"hazardous waste treatment"})

#: Sectors of extraction: mines and the concentrators beside them. A term of another sector
#: that stands before one of theirs in its clause names what is mined or concentrated,
#: not a plant of that sector: a "vanadium-titanium magnetite mining" company and a
#: "titanium ore beneficiation" plant are no titanium (TiCl4, sponge) plants, as a
#: "水泥用灰岩矿山" (a cement company's limestone quarry) is no cement works
#: (:meth:`symbiosis.catalogue.sectors.SectorVocabulary.memberships`).
EXTRACTION_SECTORS: frozenset[str] = frozenset({"mining", "ore concentration", "coal mining"})

#: Sectors whose plants are built beside a plant of another sector, their host, and only
#: there: a satellite precipitated calcium carbonate (PCC) plant stands at a paper mill,
#: which takes its PCC as filler (and gives it its flue-gas CO2). No new plant of such a
#: sector is proposed in a network without an actor of a host sector: every CO2 emitter
#: of Panzhihua, Jinchang and Gejiu, three cities without a paper mill, was proposed a
#: new satellite PCC plant. Each maps to the host sectors.
HOSTED_SECTORS: dict[str, frozenset[str]] = {
    "precipitated calcium carbonate": frozenset({"paper"}),
}
