"""Receivers that run no process for what they are proposed, found by a tester on a phosphate
city (Kaiyang) and on Baotou (tester-cities4 defects 3, 4, 8 and 10). Networks trimmed from
the tester's, names and sectors as written there."""

from __future__ import annotations

import pandas as pd

from symbiosis import from_frames
from symbiosis.analysis.opportunities import count_opportunities, find_opportunities
from symbiosis.catalogue.sectors import default_sectors

COLUMNS = ["source", "target", "material", "quantity", "unit", "category"]
ALL_FATES = ("disposed", "emitted", "sold", "treated")


def _table(firms: list[tuple], flows: list[tuple], **options) -> pd.DataFrame:
    network = from_frames(pd.DataFrame(firms, columns=["id", "sector", "role"]),
                          pd.DataFrame(flows, columns=COLUMNS))  # fmt: skip
    result = find_opportunities(network, top=0, impact=False, **options)
    if not options:
        assert len(result.table) == count_opportunities(network)  # the same candidates
    return result.table


def _rows(table: pd.DataFrame, source: str, material: str) -> pd.DataFrame:
    return table[(table["source"] == source) & (table["material"] == material)]


def _pairs(table: pd.DataFrame) -> set[tuple[str, str, str]]:
    return set(zip(table["source"], table["material"], table["target"], strict=True))


# ------------------------------------------------------------- defect 8: words of a sector


def test_a_material_a_sector_term_qualifies_makes_no_plant_and_specific_terms_narrow():
    """Baotou: a slag grinding mill was classed ironmaking ("blast furnace"), the steel slag
    line a steel works ("steel"), and a chemical plant of chlor-alkali and sulfuric acid
    took everything filed under "chemicals"."""
    vocabulary = default_sectors()
    assert vocabulary.memberships("slag grinding; ground granulated blast furnace slag") == {}
    assert vocabulary.memberships("steel slag processing; slag recycling") == {}
    chemicals = vocabulary.memberships("chemicals; chlor-alkali; sulfuric acid")
    assert chemicals["sulfuric acid"] is None
    assert chemicals["chemical"] == vocabulary.memberships("chlor-alkali")["chemical"]
    assert vocabulary.memberships("chemicals; sulfuric acid")["chemical"] == frozenset()
    # unchanged: a term before its plant's noun, a generic term alone or beside another
    # sector's, a feedstock after "from"
    assert vocabulary.memberships("blast furnace slag cement") == {"cement": None}
    assert vocabulary.memberships("coke oven gas power plant") == {"power generation": None}
    assert vocabulary.memberships("chemicals and fertiliser manufacturer")["chemical"] is None
    assert vocabulary.memberships("chemical plant") == {"chemical": None}
    assert vocabulary.memberships("高炉渣微粉") == {}
    assert "ironmaking" in vocabulary.memberships("blast furnace")


def test_baotou_slag_lines_and_chemical_plant_take_only_what_they_process():
    firms = [("BF", "ironmaking", "firm"), ("BOF", "steelmaking", "firm"),
             ("ROLL", "steel rolling", "firm"), ("COKE", "coking", "firm"),
             ("SLAGP", "steel slag processing; slag recycling", "recycling"),
             ("GGBS", "slag grinding; ground granulated blast furnace slag", "firm"),
             ("CHEM", "chemicals; chlor-alkali; sulfuric acid", "firm"),
             ("PP", "power generation", "utility"), ("CITY", "sewage treatment", "treatment"),
             ("YARD", "", "disposal"), ("AIR", "", "environment"), ("MKT", "", "market"),
             ("RIVER", "", "environment")]  # fmt: skip
    flows = [("BF", "YARD", "blast furnace sludge", 100_000, "t", "waste"),
             ("BF", "GGBS", "granulated blast furnace slag", 2_600_000, "t", "by-product"),
             ("BF", "AIR", "blast furnace gas", 5_000_000, "GJ", "emission"),
             ("BOF", "SLAGP", "steel slag", 1_200_000, "t", "by-product"),
             ("SLAGP", "YARD", "steel slag tailings", 840_000, "t", "waste"),
             ("COKE", "MKT", "crude benzol", 70_000, "t", "by-product"),
             ("MKT", "CHEM", "salt", 500_000, "t", "product"),
             ("CITY", "RIVER", "treated effluent", 20, "Mm3", "waste")]  # fmt: skip
    table = _table(firms, flows)
    sludge = _rows(table, "BF", "blast furnace sludge")
    assert not sludge.empty and not set(sludge["target"]) & {"GGBS", "SLAGP"}
    tailings = _rows(table, "SLAGP", "steel slag tailings")
    assert "steel-slag-sinter" not in set(tailings[tailings["target"] == "GGBS"]["pathway"])
    assert "BF" in set(tailings[tailings["pathway"] == "steel-slag-sinter"]["target"])
    for material in ("crude benzol", "blast furnace gas"):
        source = "COKE" if material == "crude benzol" else "BF"
        assert "CHEM" not in set(_rows(table, source, material)["target"]), material
    assert "CHEM" in set(_rows(table, "CITY", "treated effluent")["target"])  # a utility


# -------------------------------------- defect 3: a process the receiver's sector names


def test_a_map_dap_plant_runs_no_metathesis_and_a_plaster_maker_makes_no_blocks():
    """Kaiyang: the plan's biggest item sent 1.01 Mt/yr of phosphogypsum to the MAP/DAP
    plant ("phosphate fertilizers": every fertilizer row) for ammonium sulfate by
    metathesis (pg-ammonium-sulfate), which it does not run; the flotation tailings went
    to a building-gypsum powder plant ("building materials; plaster") for aerated blocks.
    The conversion now proposes a new plant; the MAP/DAP plant keeps the rows of its own
    process (sulfuric acid, phosphoric acid), and the plaster maker phosphogypsum."""
    firms = [("PACID", "phosphoric acid", "firm"), ("MAPDAP", "phosphate fertilizers", "firm"),
             ("BENEF", "phosphate beneficiation; ore concentration", "firm"),
             ("PG_BM", "building materials; plaster", "firm"),
             ("BRICK", "building materials; bricks", "firm"),
             ("FERT", "fertilizer plant", "firm"), ("STACK", "", "disposal"),
             ("POND", "", "disposal"), ("MKT", "", "market")]  # fmt: skip
    flows = [("PACID", "STACK", "phosphogypsum", 1_650_000, "t", "by-product"),
             ("PACID", "MAPDAP", "phosphoric acid", 500_000, "t", "product"),
             ("PACID", "MKT", "sulfuric acid", 20_000, "t", "by-product"),
             ("BENEF", "POND", "phosphate flotation tailings", 450_000, "t", "waste")]  # fmt: skip
    table = _table(firms, flows)
    conversion = table[table["pathway"] == "pg-ammonium-sulfate"]
    assert "MAPDAP" not in set(conversion["target"]) and "FERT" in set(conversion["target"])
    assert "MAPDAP" in set(table[table["pathway"] == "acid-fertilizer"]["target"])
    tailings = _rows(table, "BENEF", "phosphate flotation tailings")
    assert "PG_BM" not in set(tailings["target"]) and "BRICK" in set(tailings["target"])
    assert "PG_BM" in set(_rows(table, "PACID", "phosphogypsum")["target"])
    # with no fertilizer plant that names it, the conversion is a new plant
    alone = _table([f for f in firms if f[0] != "FERT"], flows)
    conversion = alone[alone["pathway"] == "pg-ammonium-sulfate"]
    assert set(conversion["kind"]) == {"new_plant"}


def test_fertilizer_plants_are_members_by_what_their_process_uses():
    vocabulary = default_sectors()
    assert vocabulary.memberships("fertilizer plant") == {"fertilizer": None}
    for text, word in [("phosphate fertilizers", "phosphoric"), ("磷肥", "phosphate"),
                       ("nitrogen fertilizer", "ammonia"),
                       ("compound fertilizers", "npk")]:  # fmt: skip
        assert word in vocabulary.memberships(text)["fertilizer"], text
    assert vocabulary.memberships("building materials; plaster")["building material"] == {
        "plaster", "gypsum", "石 膏"}  # fmt: skip
    assert vocabulary.memberships("building materials; bricks") == {"building material": None}
    assert vocabulary.memberships("building materials") == {"building material": None}
    assert vocabulary.memberships("new building materials") == {"building material": None}


# ------------------------------------------------- defect 4: stack gases and their takers


def test_acid_plants_swap_no_tail_gas_and_a_roasters_stack_is_dilute():
    """Kaiyang: the sulfur-burning and the pyrite-roasting acid plants were proposed each
    other's stack SO2 (double-absorption tail gas, a few hundred mg/Nm3), both in the
    plan; Baotou's chemical plant got a new acid plant for its own 300 t, and the
    rare-earth roaster's scrubbed stack went to it."""
    firms = [("SA_SULF", "sulfuric acid", "firm"), ("SA_PYR", "sulfuric acid", "firm"),
             ("MAPDAP", "phosphate fertilizers", "firm"),
             ("CHEM", "chemicals; chlor-alkali; sulfuric acid", "firm"),
             ("REHYD", "rare earth hydrometallurgy", "firm"), ("AIR", "", "environment"),
             ("MKT", "", "market")]  # fmt: skip
    flows = [("MKT", "SA_SULF", "sulfur", 160_000, "t", "product"),
             ("MKT", "SA_PYR", "pyrite", 600_000, "t", "product"),
             ("SA_SULF", "AIR", "SO2", 900, "t", "emission"),
             ("SA_PYR", "AIR", "SO2", 1_500, "t", "emission"),
             ("CHEM", "AIR", "SO2", 300, "t", "emission"),
             ("REHYD", "AIR", "SO2", 800, "t", "emission")]  # fmt: skip
    table = _table(firms, flows)
    assert table[table["material"] == "SO2"].empty


def test_smelter_off_gas_still_goes_to_an_acid_plant_that_emits_its_tail_gas():
    """The case the old exception was made for: an acid plant emits the SO2 its towers
    leave, it still takes a smelter's off-gas (it converts SO2)."""
    firms = [("SMELT", "copper smelting", "firm"), ("ACID", "sulfuric acid", "firm"),
             ("AIR", "", "environment"), ("MKT", "", "market")]  # fmt: skip
    flows = [("SMELT", "AIR", "sulfur dioxide", 5_000, "t", "emission"),
             ("ACID", "AIR", "sulfur dioxide", 800, "t", "emission"),
             ("MKT", "ACID", "sulfur", 100_000, "t", "product")]  # fmt: skip
    table = _table(firms, flows)
    smelter = _rows(table, "SMELT", "sulfur dioxide")
    assert "ACID" in set(smelter[smelter["pathway"] == "so2-acid"]["target"])
    assert _rows(table, "ACID", "sulfur dioxide").empty


def test_no_plant_takes_anothers_emission_of_what_it_emits_and_no_pair_goes_both_ways():
    """An oil field (its heaters' stack: 1.5 Mt of CO2) and a greenhouse (its boilers':
    20 kt) were each proposed the other's CO2, both as takers that convert it (enhanced
    oil recovery, enrichment): only the larger stream goes to the smaller plant. A coke
    plant that flares its own coke oven gas is no taker of another's because it buys
    natural gas ("takes a related material"): it converts none."""
    firms = [("OIL", "oil and gas extraction", "extraction"), ("GH", "greenhouse", "firm"),
             ("COKE1", "coking", "firm"), ("COKE2", "coking", "firm"),
             ("AIR", "", "environment"), ("MKT", "", "market")]  # fmt: skip
    flows = [("OIL", "AIR", "carbon dioxide", 1_500_000, "t", "emission"),
             ("GH", "AIR", "carbon dioxide", 20_000, "t", "emission"),
             ("MKT", "GH", "natural gas", 400_000, "GJ", "product"),
             ("COKE1", "AIR", "coke oven gas", 1_000_000, "GJ", "emission"),
             ("COKE2", "AIR", "coke oven gas", 800_000, "GJ", "emission"),
             ("MKT", "COKE2", "natural gas", 300_000, "GJ", "product")]  # fmt: skip
    pairs = _pairs(_table(firms, flows))
    assert ("OIL", "carbon dioxide", "GH") in pairs
    assert ("GH", "carbon dioxide", "OIL") not in pairs
    assert ("COKE1", "coke oven gas", "COKE2") not in pairs
    # of two of a size, neither
    flows[1] = ("GH", "AIR", "carbon dioxide", 1_500_000, "t", "emission")
    pairs = _pairs(_table(firms, flows))
    assert not {("OIL", "carbon dioxide", "GH"), ("GH", "carbon dioxide", "OIL")} & pairs


# ----------------------------------- defect 10: raw wastewater and spent liquor, any fate


def _baotou_water(neutralised: tuple[str, ...]) -> tuple[list[tuple], list[tuple]]:
    """Baotou's water: the rare-earth separation plant's NH4Cl wastewater dumped in the
    tailings dam, the rolling mill's pickle liquor and ``neutralised`` sent to the lime
    neutralisation station, the city's sewage and the coke plant's wastewater to the
    municipal plant; the power plant draws river water for its cooling towers."""
    firms = [("RESEP", "rare earth separation", "firm"),
             ("REHYD", "rare earth hydrometallurgy", "firm"),
             ("ROLL", "steel rolling", "firm"), ("COKE", "coking", "firm"),
             ("PPCOAL", "combined heat and power", "CHP"),
             ("NEUTR", "wastewater treatment", "treatment"),
             ("WWTP", "wastewater treatment", "wwtp"), ("HH", "", "household"),
             ("DAM", "", "tailings dam"), ("RIVER", "", "river"),
             ("MKT", "", "market")]  # fmt: skip
    flows = [("RESEP", "DAM", "ammonium chloride wastewater", 3_000_000, "m3", "waste"),
             ("MKT", "RESEP", "hydrochloric acid", 40_000, "t", "product"),
             ("ROLL", "NEUTR", "spent pickling liquor", 50_000, "t", "waste"),
             ("HH", "WWTP", "municipal wastewater", 70_000_000, "m3", "waste"),
             ("COKE", "WWTP", "coking wastewater", 2_000_000, "m3", "waste"),
             ("RIVER", "PPCOAL", "cooling water", 22_000_000, "m3", "product"),
             ("NEUTR", "RIVER", "treated wastewater", 3_000_000, "m3", "waste")]  # fmt: skip
    for material in neutralised:
        flows.append(("REHYD", "NEUTR", material, 1_000_000, "m3", "waste"))
    return firms, flows


def test_raw_wastewater_meets_no_related_evidence_nor_another_wastewaters_plant():
    """Baotou 2015: the NH4Cl wastewater (dumped, not sent to treatment) went to the power
    plant's cooling towers ("takes a related material") and to the municipal plant, whose
    nitrification it stops. The neutralisation station, which takes no raw wastewater
    yet, stays its receiver."""
    table = _table(*_baotou_water(()), fates=ALL_FATES)
    nh4cl = _rows(table, "RESEP", "ammonium chloride wastewater")
    assert not set(nh4cl["target"]) & {"PPCOAL", "WWTP"}
    # tester-resources12: the NH4Cl wastewater meets its own row (ammonium salt recovery),
    # not the generic wastewater rows; a raw wastewater of no row of its own still does
    assert set(nh4cl["pathway"]) == {"nh4-wastewater-salts"}
    firms, flows = _baotou_water(())
    flows[0] = ("RESEP", "DAM", "rare earth separation wastewater", *flows[0][3:])
    raw = _rows(_table(firms, flows, fates=ALL_FATES), "RESEP", "rare earth separation wastewater")
    assert not set(raw["target"]) & {"PPCOAL", "WWTP"}
    assert "NEUTR" in set(raw["target"])


def test_sewage_and_pickle_liquor_go_to_no_plant_built_for_another_stream():
    """Baotou 2022, --fate treated: the city's sewage went to the rare-earth lime
    neutralisation station (no biology), the coke plant's wastewater too, and the FeCl2
    pickle liquor to the solvent-extraction plant ("takes this material (taxonomy)": it
    takes hydrochloric acid). The liquor still goes to the municipal plant as a
    coagulant."""
    table = _table(*_baotou_water(("ammonium sulfate wastewater",)), fates=ALL_FATES)
    assert "NEUTR" not in set(_rows(table, "HH", "municipal wastewater")["target"])
    assert "NEUTR" not in set(_rows(table, "COKE", "coking wastewater")["target"])
    liquor = _rows(table, "ROLL", "spent pickling liquor")
    assert "RESEP" not in set(liquor["target"])
    assert "WWTP" in set(liquor[liquor["pathway"] == "pickle-liquor-coagulant"]["target"])
