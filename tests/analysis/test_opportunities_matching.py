"""Physically wrong matches found on held-out parks (tester-real items 3 and 4), on
small networks of the same make: a rolling mill offered slag as sinter flux, wood
scraps sent to metal-scrap sorting, an ink sludge and a hazardous-waste incinerator's
residues offered to land and to the food chain."""

from __future__ import annotations

import pandas as pd

from symbiosis import from_frames
from symbiosis.analysis.opportunities import count_opportunities, find_opportunities
from symbiosis.catalogue.sectors import LAND_AND_FOOD_SECTORS, normalise_sector

COLUMNS = ["source", "target", "material", "quantity", "unit", "category"]


def _table(firms: list[tuple[str, str, str]], flows: list[tuple]) -> pd.DataFrame:
    network = from_frames(pd.DataFrame(firms, columns=["id", "sector", "role"]),
                          pd.DataFrame(flows, columns=COLUMNS))  # fmt: skip
    result = find_opportunities(network, top=0, impact=False)
    assert len(result.table) == count_opportunities(network)  # the same candidates
    return result.table


def _sectors(rows: pd.DataFrame) -> set[str]:
    return {normalise_sector(s) for s in rows["target_sector"].dropna()}


def _targets(table: pd.DataFrame, source: str, pathway: str) -> set[str]:
    return set(table[(table["source"] == source) & (table["pathway"] == pathway)]["target"])


def test_steel_slag_as_flux_goes_to_the_sinter_plant_and_blast_furnace_not_the_rolling_mill():
    """Jingtang: "new_link BOF slag -> ROLL" through steel-slag-sinter ("flux recycled to
    sinter plant and blast furnace"); the sinter plant, which takes BOF slag already, was
    no iron and steel firm."""
    firms = [("SINTER", "sintering", "firm"), ("BF", "ironmaking", "firm"),
             ("BOF", "steelmaking", "firm"), ("ROLL", "steel rolling", "firm"),
             ("MKT", "", "market"), ("LF", "", "disposal")]  # fmt: skip
    flows = [("MKT", "SINTER", "iron ore fines", 14, "Mt", "product"),
             ("SINTER", "BF", "sinter", 14, "Mt", "product"),
             ("BF", "BOF", "hot metal", 9, "Mt", "product"),
             ("BOF", "SINTER", "BOF slag", 400, "kt", "by-product"),
             ("BOF", "LF", "BOF slag", 700, "kt", "waste"),
             ("BOF", "ROLL", "steel slab", 9.7, "Mt", "product"),
             ("ROLL", "MKT", "hot rolled coil", 9.2, "Mt", "product")]  # fmt: skip
    table = _table(firms, flows)
    assert _targets(table, "BOF", "steel-slag-sinter") == {"SINTER", "BF"}
    assert "ROLL" not in set(table[table["source"] == "BOF"]["target"])
    # an iron and steel works named as a whole may take it (no finer sector given)
    firms[-3] = ("WORKS", "iron and steel", "firm")
    flows = [f for f in flows if "ROLL" not in f]
    assert "WORKS" in _targets(_table(firms, flows), "BOF", "steel-slag-sinter")


def test_residues_of_a_hazardous_waste_incinerator_go_neither_on_land_nor_into_food():
    """TEDA: the hazardous-waste centre's "incineration ash" was offered to forest soils
    (wood-ash-forest), as blasting grit (boiler-slag-grit) and to the coal-ash rows, and
    its CO2 to a soft-drink bottler. A municipal incinerator's ash keeps the
    incinerator-ash rows and its CO2 a greenhouse (not the bottler: flue gas, which a
    capture plant and a merchant's purification would have to make food grade, .purity)."""
    firms = [("HWC", "hazardous waste incineration", "treatment"),
             ("WTE", "waste-to-energy plant", "treatment"),
             ("FARM", "agriculture", "firm"), ("WOOD", "forestry", "firm"),
             ("COKE", "beverages", "firm"), ("BLOCK", "building materials", "firm"),
             ("MKT", "", "market"), ("LF", "", "disposal"), ("AIR", "", "environment")]  # fmt: skip
    flows = [("HWC", "LF", "incineration ash", 1, "kt", "waste"),
             ("HWC", "AIR", "CO2", 3, "kt", "emission"),
             ("WTE", "LF", "incineration ash", 50, "kt", "waste"),
             ("WTE", "AIR", "CO2", 300, "kt", "emission"),
             ("MKT", "FARM", "CO2", 2, "kt", "product"),  # a same-material redirect
             ("MKT", "BLOCK", "sand", 100, "kt", "product")]  # fmt: skip
    table = _table(firms, flows)
    hazardous = table[table["source"] == "HWC"]
    assert not set(hazardous["target"]) & {"FARM", "WOOD", "COKE"}
    assert not _sectors(hazardous) & LAND_AND_FOOD_SECTORS
    ash = table[table["material"] == "incineration ash"]
    assert set(ash["pathway"].dropna()) <= {"ibaa-road", "ibaa-metals", "ibaa-blocks",
                                            "ibaa-cement"}  # fmt: skip
    assert "BLOCK" in _targets(table, "HWC", "ibaa-blocks")
    municipal = table[table["source"] == "WTE"]
    assert "NEW_GREENHOUSE_HORTICULTURE" in set(municipal["target"])  # co2-horticulture
    assert "COKE" not in set(municipal["target"])  # flue gas: not food grade
    # its stack gas is no redirect of the farm's purchase, merchant (pure) CO2 (.purity)
    assert "FARM" not in set(municipal["target"])


def test_wood_scraps_are_not_metal_scrap_and_an_ink_sludge_not_sewage_sludge():
    """Burnside: "wood scraps" went to a new scrap-recycling plant through
    metal-scrap-sorting, and "ink sludge" to soil remediation through sludge-soil."""
    firms = [("FURN", "furniture", "firm"), ("PRINT", "printing", "firm"),
             ("SCRAP", "scrap recycling", "recycling"), ("SOIL", "soil remediation", "firm"),
             ("SOLV", "solvent recycling", "recycling"), ("WWTP", "wastewater treatment",
             "treatment"), ("FARM", "agriculture", "firm"), ("LF", "", "disposal")]  # fmt: skip
    flows = [("FURN", "LF", "wood scraps", 1, "t", "waste"),
             ("PRINT", "LF", "printing ink sludge", 1, "t", "waste"),
             ("FURN", "SCRAP", "metal scrap", 1, "t", "by-product"),
             ("WWTP", "FARM", "sewage sludge", 1, "kt", "by-product"),
             ("WWTP", "SOIL", "sewage sludge", 1, "kt", "by-product")]  # fmt: skip
    table = _table(firms, flows)
    wood = table[table["material"] == "wood scraps"]
    assert "SCRAP" not in set(wood["target"])
    assert "metal-scrap-sorting" not in set(wood["pathway"].dropna())
    ink = table[table["material"] == "printing ink sludge"]
    assert not set(ink["target"]) & {"SOIL", "FARM"}
    assert not _sectors(ink) & (LAND_AND_FOOD_SECTORS | {"soil remediation"})
    assert "SOLV" in _targets(table, "PRINT", "paint-ink-solvent")


def test_hazardous_materials_go_neither_on_land_nor_into_food():
    """A hazardous *material* (a List of Waste code marked ``*``, in ``waste_code`` or
    ``material_code``, or a name that says hazardous or toxic) from an ordinary firm was
    offered to farms, forest soils and composting (fly-ash-soil, sludge-land,
    sludge-compost; and to a farm that takes fly ash, by the network's evidence): only a
    hazardous-waste treater's residues were kept off land. The same materials without
    the mark still go there."""
    firms = [("CHEM", "chemicals", "firm"), ("PWR", "power plant", "utility"),
             ("WWTP", "wastewater treatment", "treatment"),
             ("FARM", "agriculture", "firm"), ("COMP", "composting", "recycling"),
             ("CEM", "cement", "firm"), ("LF", "", "disposal")]  # fmt: skip
    flows = pd.DataFrame(
        [("CHEM", "LF", "sewage sludge", 1, "kt", "waste", "19 08 13*", None),
         ("CHEM", "LF", "fly ash", 2, "kt", "waste", None, "10 01 16*"),
         ("CHEM", "LF", "Toxic fly ash", 3, "kt", "waste", None, None),
         ("CHEM", "LF", "有毒污泥", 4, "kt", "waste", None, None),  # toxic sludge
         ("WWTP", "LF", "sewage sludge", 5, "kt", "waste", "19 08 05", None),
         ("PWR", "LF", "fly ash", 6, "kt", "by-product", None, "10 01 02"),
         ("PWR", "FARM", "fly ash", 1, "kt", "by-product", None, None)],
        columns=[*COLUMNS, "waste_code", "material_code"],
    )  # fmt: skip
    network = from_frames(pd.DataFrame(firms, columns=["id", "sector", "role"]), flows)
    table = find_opportunities(network, top=0, impact=False).table
    hazardous = table[table["source"] == "CHEM"]
    assert set(hazardous["material"]) >= {"sewage sludge", "fly ash"}
    assert not set(hazardous["target"]) & {"FARM", "COMP"}
    assert not _sectors(hazardous) & LAND_AND_FOOD_SECTORS
    assert "CEM" in set(hazardous["target"])  # the industrial uses stay
    plain = table[table["source"].isin(["PWR", "WWTP"])]
    assert {"FARM", "COMP"} <= set(plain["target"])


def test_an_acid_plant_taking_so2_off_gas_is_no_taker_of_fuel_gas():
    """ "SO2 off-gas" (a smelter's SO2-rich gas, the acid plant's feed: Harjavalta) was a
    fuel gas by its head noun: the acid plant was offered a coking plant's surplus gas as
    a taker of "the same material", and a second smelter's SO2 only through the
    catalogue."""
    firms = [("SMELT", "copper smelting", "firm"), ("ZINC", "zinc smelting", "firm"),
             ("ACID", "sulphuric acid plant", "firm"), ("COKE", "coking", "firm"),
             ("AIR", "", "environment")]  # fmt: skip
    flows = [("SMELT", "ACID", "SO2 off-gas", 500, "kt", "by-product"),
             ("ZINC", "AIR", "sulphur dioxide", 50, "kt", "emission"),
             ("COKE", "AIR", "surplus gas", 100, "TJ", "emission")]  # fmt: skip
    table = _table(firms, flows)
    assert "ACID" not in set(table[table["source"] == "COKE"]["target"])
    so2 = table[(table["source"] == "ZINC") & (table["target"] == "ACID")]
    assert so2["kind"].tolist() == ["expand"]  # it takes SO2 already


def test_a_melt_shop_taking_hot_metal_takes_no_scrap_under_another_name():
    """ "hot metal" (liquid pig iron, the BOF's main feed) was scrap metal by its head
    noun: a scrap dealer's mixed scrap went to the BOF as "the same material under another
    name"; a second blast furnace's hot metal is the BOF's own material."""
    firms = [("BF", "blast furnace", "firm"), ("BF2", "blast furnace", "firm"),
             ("BOF", "steelmaking", "firm"), ("SCRAP", "scrap dealer", "recycling"),
             ("LF", "", "disposal"), ("MKT", "", "market")]  # fmt: skip
    flows = [("BF", "BOF", "hot metal", 9, "Mt", "product"),
             ("SCRAP", "LF", "scrap metal", 5, "kt", "waste"),
             ("BF2", "LF", "liquid iron", 1, "kt", "by-product")]  # fmt: skip
    table = _table(firms, flows)
    scrap = table[table["source"] == "SCRAP"]
    assert "network: takes this material (taxonomy)" not in set(scrap["rule"])
    iron = table[(table["source"] == "BF2") & (table["target"] == "BOF")]
    # through the taxonomy: pig-iron-steel (a by-product meets the product rows), an
    # expansion by the network's evidence
    assert iron[["kind", "pathway"]].values.tolist() == [["expand", "pig-iron-steel"]]


def test_mill_scale_and_offcuts_are_no_wood_waste():
    """examples/years: "mill scale and offcuts" (a steelworks' iron oxide scale and steel
    offcuts) was wood waste by its head noun "offcuts": offered to a biomass boiler, a
    pulp mill and a pellet plant, and a recycler taking it was a taker of sawdust."""
    firms = [("STL", "iron and steel", "firm"), ("RCY", "scrap recycling", "recycling"),
             ("SAW", "sawmill", "firm"), ("CHP", "biomass power plant", "utility"),
             ("LF", "", "disposal")]  # fmt: skip
    flows = [("STL", "RCY", "mill scale and offcuts", 30, "kt", "by-product"),
             ("STL", "LF", "mill scale and offcuts", 10, "kt", "waste"),
             ("SAW", "LF", "sawdust", 5, "kt", "by-product")]  # fmt: skip
    table = _table(firms, flows)
    scale = table[table["source"] == "STL"]
    assert not set(scale["pathway"].dropna()) & {"bark-fuel", "chips-pulp", "sawdust-pellets"}
    assert "CHP" not in set(scale["target"])
    assert "RCY" not in set(table[table["source"] == "SAW"]["target"])


def test_elemental_sulfur_is_not_scrubbed_so2_nor_smelter_off_gas():
    """Kalundborg: the refinery's "Liquid sulfur" met the smelter off-gas row
    (offgas-acid) and ammonia scrubbing of SO2 at the stack (so2-fertilizer): sulfur,
    SO2 and H2S were one family, elemental sulfur its generic material. They are not
    interchangeable as an input (a sulfur burner, a smelter-gas acid plant, a Claus unit)."""
    firms = [("REF", "oil refinery", "firm"), ("KEM", "sulfuric acid producer", "firm"),
             ("SMELT", "copper smelting", "firm"), ("LF", "", "disposal"),
             ("AIR", "", "environment")]  # fmt: skip
    flows = [("REF", "LF", "Liquid sulfur", 20, "kt", "by-product"),
             ("SMELT", "AIR", "SO2", 50, "kt", "emission")]  # fmt: skip
    table = _table(firms, flows)
    sulfur = table[table["source"] == "REF"]
    assert set(sulfur["pathway"]) == {"sulfur-acid"}
    assert set(sulfur["target"]) == {"KEM"}
    so2 = table[table["source"] == "SMELT"]
    assert "sulfur-acid" not in set(so2["pathway"])


def test_molasses_and_filter_mud_are_no_substitutes_for_other_biomass():
    """Guitang: molasses was offered to the pulp plant (it takes bagasse) and the cement
    mill (it takes filter mud), and filter mud to the alcohol plant (it takes molasses),
    as takers of "a material of the same family": the biomass family holds fuels, feeds
    and soil products that do not replace one another."""
    firms = [("SUGAR", "sugar refinery", "firm"), ("OTHERS", "sugar refinery", "firm"),
             ("ALC", "alcohol plant", "firm"), ("PULP", "pulp plant", "firm"),
             ("CEM", "cement mill", "firm"), ("LF", "", "disposal")]  # fmt: skip
    flows = [("SUGAR", "LF", "Molasses", 1, "kt", "by-product"),
             ("SUGAR", "LF", "Filter mud", 1, "kt", "by-product"),
             ("OTHERS", "ALC", "Molasses", 1, "kt", "by-product"),
             ("OTHERS", "PULP", "Bagasse", 1, "kt", "by-product"),
             ("OTHERS", "CEM", "Filter mud", 1, "kt", "by-product")]  # fmt: skip
    table = _table(firms, flows)
    related = table[table["rule"] == "network: takes a related material"]
    assert related.empty, related[["material", "target"]]
    assert {"ALC", "CEM"} <= set(table[table["source"] == "SUGAR"]["target"])


def test_treated_waste_water_is_not_sent_to_be_treated_again():
    """Kalundborg: the refinery's "Treated waste water" was read as raw wastewater and
    met only the row that sends wastewater to a treatment plant."""
    firms = [("STAT", "oil refinery", "firm"), ("ASN", "coal-fired power station", "utility"),
             ("WWTP", "wastewater treatment plant", "treatment"),
             ("SEA", "", "environment")]  # fmt: skip
    flows = [("STAT", "SEA", "Treated waste water", 1, "Mm3", "by-product")]
    table = _table(firms, flows)
    assert "wastewater-treatment" not in set(table["pathway"])
    assert "ASN" in _targets(table, "STAT", "effluent-cooling")


def test_a_hazardous_stream_meets_no_catalogue_row_through_the_taxonomy():
    """Register titles: "Construction and demolition wastes containing pcb" (17 09 02*)
    resolved to construction waste without its clause and met the recycled-aggregate
    rows, written for ordinary rubble; "Toxic fly ash" met coal fly ash's blocks and
    road rows. A hazardous stream keeps the rows that name it or list its code."""
    firms = [("SITE", "demolition", "firm"), ("CHEM", "chemicals", "firm"),
             ("CEM", "cement", "firm"), ("LF", "", "disposal")]  # fmt: skip
    flows = pd.DataFrame(
        [("SITE", "LF", "Construction and demolition wastes containing pcb", 1, "kt", "waste",
          "17 09 02*"),
         ("SITE", "LF", "Mixed construction and demolition wastes", 2, "kt", "waste", "17 09 04"),
         ("CHEM", "LF", "Toxic fly ash", 3, "kt", "waste", None),
         ("CHEM", "LF", "Spent catalysts containing hazardous transition metals", 4, "kt",
          "waste", "16 08 02*")],
        columns=[*COLUMNS, "material_code"],
    )  # fmt: skip
    network = from_frames(pd.DataFrame(firms, columns=["id", "sector", "role"]), flows)
    table = find_opportunities(network, top=0, impact=False).table
    through = table[table["rule"].isin(["taxonomy", "taxonomy (family)"])]
    assert set(through["material"]) == {"Mixed construction and demolition wastes"}


def test_a_word_inside_a_compound_name_does_not_make_two_materials_one():
    """Baotou and Panzhihua (tester-cities item 2): "thorium-bearing water-leach residue"
    resolved to process water by the word it contains and went to the steelworks, which
    takes fresh water, as an established expansion; "coal gangue" (waste rock) went to
    the coke ovens, which take coking coal."""
    firms = [("REHYD", "rare earth smelting", "firm"), ("STEEL", "steelmaking", "firm"),
             ("COAL", "coal mining and washing", "extraction"), ("COKE", "coking", "firm"),
             ("BRICK", "building materials", "firm"), ("RADW", "", "disposal"),
             ("DUMP", "", "disposal"), ("RIVER", "", "environment")]  # fmt: skip
    flows = [("RIVER", "STEEL", "fresh water", 40, "Mm3", "product"),
             ("REHYD", "RADW", "thorium-bearing water-leach residue", 150, "kt", "waste"),
             ("COAL", "COKE", "coking coal", 2, "Mt", "product"),
             ("COAL", "BRICK", "coal gangue", 400, "kt", "by-product"),
             ("COAL", "DUMP", "coal gangue", 800, "kt", "waste")]  # fmt: skip
    table = _table(firms, flows)
    assert "STEEL" not in set(table[table["source"] == "REHYD"]["target"])
    gangue = table[table["source"] == "COAL"]
    assert "COKE" not in set(gangue["target"])
    assert "BRICK" in set(gangue["target"])  # it takes coal gangue already


def test_a_radioactive_residue_is_hazardous_and_never_proposed_by_the_network():
    """Baotou: a residue radioactive by its name (thorium, uranium, NORM, 放射性) is
    hazardous: kept off land and out of the taxonomy's rows, and the network's evidence
    proposes no hazardous material but to a taker of the very same one ("Toxic fly ash"
    went to a cement works taking fly ash as "the same material under another name")."""
    firms = [("REHYD", "rare earth smelting", "firm"), ("CHEM", "chemicals", "firm"),
             ("CEM", "cement", "firm"), ("FARM", "agriculture", "firm"),
             ("PWR", "power plant", "utility"), ("LF", "", "disposal")]  # fmt: skip
    flows = [("PWR", "CEM", "fly ash", 1, "Mt", "by-product"),
             ("PWR", "FARM", "fly ash", 1, "kt", "by-product"),
             ("CHEM", "LF", "Toxic fly ash", 3, "kt", "waste"),
             ("REHYD", "LF", "radioactive fly ash", 3, "kt", "waste"),
             ("REHYD", "LF", "放射性粉煤灰", 3, "kt", "waste"),
             ("REHYD", "LF", "NORM scale", 3, "kt", "waste"),
             ("CHEM", "CEM", "spent catalyst (hazardous)", 1, "kt", "waste"),
             ("REHYD", "LF", "spent catalyst (hazardous)", 1, "kt", "waste")]  # fmt: skip
    table = _table(firms, flows)
    hazardous = table[table["source"].isin(["CHEM", "REHYD"])]
    network = hazardous[hazardous["pathway"].isna()]
    assert set(network["material"]) == {"spent catalyst (hazardous)"}  # its very material
    assert set(network["rule"]) == {"network: takes this material"}
    assert "FARM" not in set(hazardous["target"])
    assert not set(hazardous["rule"]) & {"taxonomy", "taxonomy (family)"}


def test_metal_bearing_slags_are_not_blast_furnace_or_steel_slag():
    """Panzhihua and Baotou: every slag was one "slag": Ti-bearing blast furnace slag
    (22-25 % TiO2) and steel slag went to the vanadium plant (it takes vanadium slag) and
    the chloride TiO2 plant (it takes titanium slag), and a rare earth plant's molten
    salt electrolysis slag to copper smelting (copper-slag-flotation)."""
    firms = [("IRON", "ironmaking", "firm"), ("STEEL", "steelmaking", "firm"),
             ("VAN", "vanadium plant", "firm"), ("TISLAG", "titanium slag smelting", "firm"),
             ("TICL", "chloride-process titanium dioxide", "firm"),
             ("REMET", "rare earth metal smelting", "firm"), ("YARD", "", "disposal")]  # fmt: skip
    flows = [("STEEL", "VAN", "vanadium slag", 230, "kt", "by-product"),
             ("TISLAG", "TICL", "titanium slag", 200, "kt", "product"),
             ("IRON", "YARD", "titanium-bearing blast furnace slag", 3.3, "Mt", "waste"),
             ("STEEL", "YARD", "steel slag", 420, "kt", "waste"),
             ("REMET", "YARD", "molten salt electrolysis slag", 2, "kt", "waste")]  # fmt: skip
    table = _table(firms, flows)
    assert not set(table["target"]) & {"VAN", "TICL"}
    electrolysis = table[table["source"] == "REMET"]
    assert not {p for p in electrolysis["pathway"].dropna() if p.startswith("copper-slag")}


def test_tailings_of_different_ores_are_not_one_material():
    """Panzhihua: the vanadium plant's roasted "vanadium extraction tailings" went to the
    ilmenite flotation plant, which takes the concentrator's "magnetic separation
    tailings", by the head noun alone, and closed a loop in the plan; Baotou's rare
    earth tailings went to cement through the copper-slag tailings row."""
    firms = [("CONC", "iron ore beneficiation", "firm"), ("TISEP", "ilmenite beneficiation",
             "firm"), ("VAN", "vanadium plant", "firm"), ("CEM", "cement", "firm"),
             ("BGCONC", "rare earth beneficiation", "firm"), ("LF", "", "disposal"),
             ("TAIL", "", "disposal")]  # fmt: skip
    flows = [("CONC", "TISEP", "magnetic separation tailings", 15, "Mt", "by-product"),
             ("VAN", "LF", "vanadium extraction tailings", 230, "kt", "waste"),
             ("BGCONC", "TAIL", "rare earth tailings", 9.2, "Mt", "waste"),
             ("CONC", "CEM", "mill tailings", 100, "kt", "by-product")]  # fmt: skip
    table = _table(firms, flows)
    assert "TISEP" not in set(table[table["source"] == "VAN"]["target"])
    rare_earth = table[table["source"] == "BGCONC"]
    assert not {p for p in rare_earth["pathway"].dropna() if p.startswith("slag-tailings")}
    assert "CEM" not in set(rare_earth["target"])  # radioactive: only its very material


def test_coal_tar_and_co2_go_to_no_acid_or_vanadium_plant():
    """Panzhihua: the acid plant ("sulfuric acid") and the vanadium plant ("vanadium
    chemicals") were chemical plants: coal tar and crude benzol went to both as
    established new links, and the plan sent the steelworks' CO2 to the acid plant. The
    acid plant still takes copperas; the steel plant's stack SO2 is dilute (Ma'anshan: a
    sinter or converter stack is no acid-plant feed), so it takes none."""
    firms = [("COKE", "coking", "firm"), ("VAN", "vanadium chemicals", "firm"),
             ("ACID", "sulfuric acid", "firm"), ("STEEL", "steelmaking", "firm"),
             ("TIO2", "titanium dioxide (sulfate route)", "firm"), ("MKT", "", "market"),
             ("AIR", "", "environment"), ("LF", "", "disposal")]  # fmt: skip
    flows = [("COKE", "MKT", "coal tar", 120, "kt", "by-product"),
             ("COKE", "MKT", "crude benzol", 35, "kt", "by-product"),
             ("STEEL", "AIR", "carbon dioxide", 500, "kt", "emission"),
             ("STEEL", "AIR", "sulfur dioxide", 6, "kt", "emission"),
             ("TIO2", "LF", "copperas", 350, "kt", "waste")]  # fmt: skip
    table = _table(firms, flows)
    assert not set(table[table["source"] == "COKE"]["target"]) & {"VAN", "ACID"}
    co2 = table[table["material"] == "carbon dioxide"]
    assert not set(co2["target"]) & {"VAN", "ACID"}
    assert not _targets(table, "STEEL", "so2-acid")
    assert "ACID" in _targets(table, "TIO2", "copperas-acid")


def test_a_by_product_meets_the_rows_written_for_it_as_a_product():
    """Panzhihua (tester-cities item 7): the titanium-slag furnaces' pig iron, sold raw as
    a by-product, was listed among the "streams with no known pathway in the catalogue",
    though the catalogue has pig-iron-steel (a product row) and the network a converter
    shop. A product stream of it stays a downstream proposal."""
    firms = [("TISLAG", "titanium slag smelting", "firm"), ("BOF", "steelmaking", "firm"),
             ("BF", "ironmaking", "firm"), ("MKT", "", "market")]  # fmt: skip
    flows = [("MKT", "BOF", "steel scrap", 300, "kt", "product"),
             ("TISLAG", "MKT", "pig iron", 110, "kt", "by-product"),
             ("BF", "MKT", "pig iron", 2, "Mt", "product")]  # fmt: skip
    network = from_frames(pd.DataFrame(firms, columns=["id", "sector", "role"]),
                          pd.DataFrame(flows, columns=COLUMNS))  # fmt: skip
    result = find_opportunities(network, top=0, impact=False)
    assert result.uncovered.empty, result.uncovered
    table = result.table
    sold = table[(table["source"] == "TISLAG") & (table["target"] == "BOF")]
    assert sold[["kind", "pathway"]].values.tolist() == [["new_link", "pig-iron-steel"]]
    product = table[(table["source"] == "BF") & (table["target"] == "BOF")]
    assert product["kind"].tolist() == ["downstream"]


def test_tailings_of_a_steel_slag_meet_the_steel_slag_rows():
    """A slag plant's "BOF slag tailings" (what magnetic separation leaves of converter
    slag) met the mining-tailings rows by the head noun: tailings blocks, tailings to
    cement, backfill and the ore concentrator; they are steel slag ("steel slag
    tailings", a synonym, was the only name that said so)."""
    firms = [("SLAG", "slag processing", "recycling"), ("CEM", "cement", "firm"),
             ("SINTER", "sintering", "firm"), ("BRICK", "building materials", "firm"),
             ("FILL", "mine backfill", "firm"), ("CONC", "ore concentrator", "firm"),
             ("MKT", "", "market"), ("LF", "", "disposal")]  # fmt: skip
    flows = [("MKT", "CEM", "clinker", 800, "kt", "product"),
             ("MKT", "SINTER", "iron ore fines", 5, "Mt", "product"),
             ("MKT", "CONC", "iron ore", 3, "Mt", "product"),
             ("SLAG", "LF", "BOF slag tailings", 400, "kt", "waste")]  # fmt: skip
    rows = _table(firms, flows)
    pathways = set(rows["pathway"].dropna())
    assert not {p for p in pathways if p.startswith("tailings-")}, pathways
    assert {"steel-slag-cement", "steel-slag-sinter"} <= pathways
    assert "CONC" not in set(rows["target"])
