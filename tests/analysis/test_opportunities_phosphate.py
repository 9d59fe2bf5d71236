"""Catalogue rows and taxonomy names for a phosphate city and for Baotou (tester-cities4
defects 2, 7 and 8): the phosphate chain's own by-products (fluosilicic acid, the yellow
phosphorus furnace's CO tail gas, mud phosphorus, ferrophosphorus, phosphorus slag powder),
chlor-alkali brine sludge and coal gasification slag, a phosphorus furnace's precipitator
dust, and by-product hydrogen, on small networks made as the tester's are."""

from __future__ import annotations

import pandas as pd

from symbiosis import from_frames
from symbiosis.analysis.opportunities import count_opportunities, find_opportunities
from symbiosis.taxonomy import default_taxonomy

COLUMNS = ["source", "target", "material", "quantity", "unit", "category"]
OUTSIDE = [("MKT", "", "market"), ("LF", "", "landfill"), ("AIR", "", "air")]


def _table(firms: list[tuple[str, str, str]], flows: list[tuple]) -> pd.DataFrame:
    network = from_frames(pd.DataFrame(firms + OUTSIDE, columns=["id", "sector", "role"]),
                          pd.DataFrame(flows, columns=COLUMNS))  # fmt: skip
    result = find_opportunities(network, top=0, impact=False)
    assert len(result.table) == count_opportunities(network)  # the same candidates
    return result.table


def _of(table: pd.DataFrame, material: str) -> pd.DataFrame:
    return table[table["material"] == material]


def test_by_product_hydrogen_is_a_reagent_of_chemical_plants_not_a_utility_of_any():
    """Kaiyang: the chlor-alkali plant's hydrogen went to the PCl3 plant (P4 + Cl2) and
    to the thermal phosphoric acid plant as an established h2-chemicals link: the row was
    a utility, which any firm whose sector merely contains "chemicals" takes. A chemical
    plant as such still takes it; no plant is built for it."""
    firms = [
        ("CHLOR", "chlor-alkali", "firm"),
        ("PCL3", "phosphorus chemicals", "firm"),
        ("PPA", "fine phosphate chemicals", "firm"),
        ("CHEM", "chemical plant", "firm"),
    ]
    flows = [("MKT", "CHLOR", "salt", 300, "kt", "product"),
             ("MKT", "PCL3", "yellow phosphorus", 20, "kt", "product"),
             ("MKT", "PPA", "yellow phosphorus", 30, "kt", "product"),
             ("CHLOR", "PCL3", "chlorine", 60, "kt", "product"),
             ("CHLOR", "PPA", "caustic soda", 40, "kt", "product"),
             ("CHLOR", "CHEM", "caustic soda", 20, "kt", "product"),
             ("CHLOR", "AIR", "hydrogen", 2300, "t", "emission")]  # fmt: skip
    rows = _of(_table(firms, flows), "hydrogen")
    chemicals = rows[rows["pathway"] == "h2-chemicals"]
    assert set(chemicals["target"]) == {"CHEM"}  # no new chemical plant either


def test_chlor_alkali_brine_sludge_is_an_inorganic_sludge_no_fuel():
    """Kaiyang and Baotou: the chlor-alkali plant's brine sludge (盐泥: Mg(OH)2, CaCO3,
    BaSO4, no calorific value) went to the power plant and the cement kiln as a coal
    substitute (sludge-cocombustion-generic, sludge-kiln-generic) and to a new sludge
    incinerator, as neutralisation sludge did before it was an inorganic sludge."""
    firms = [("CHLOR", "chlor-alkali", "firm"), ("PP", "power generation", "utility"),
             ("CEM", "cement", "firm")]  # fmt: skip
    flows = [("MKT", "PP", "coal", 2, "Mt", "product"),
             ("MKT", "CEM", "coal", 300, "kt", "product"),
             ("CHLOR", "LF", "brine sludge", 6000, "t", "waste"),
             ("CHLOR", "LF", "盐泥", 5000, "t", "waste")]  # fmt: skip
    table = _table(firms, flows)
    for name in ("brine sludge", "盐泥"):
        assert _of(table, name).empty, name
    taxonomy = default_taxonomy()
    for name in ("brine sludge", "盐泥", "brine purification sludge", "Salt mud",
                 "chlor-alkali brine sludge"):  # fmt: skip
        assert taxonomy.resolve(name).family == "inorganic sludge", name
    # a brine sludge named otherwise is not read as an organic sludge by its head
    assert taxonomy.resolve("primary brine filter sludge") is None


def test_coal_gasification_slag_meets_its_own_uses_not_the_iron_and_steel_slag_rows():
    """Kaiyang: the coal-to-ammonia plant's gasification slag (a SiO2-Al2O3 glass with
    unburnt carbon) met the slag family's rows: the kiln "substitutes limestone" through
    ladle slag, new slag-wool, liming-fertiliser, asphalt and armourstone plants. Its
    uses are a clay and silica component of the raw meal, bricks and blocks, and its
    carbon recovered by flotation."""
    firms = [("NH3", "ammonia (coal gasification)", "firm"), ("CEM", "cement", "firm"),
             ("BRICK", "building materials; bricks", "firm")]  # fmt: skip
    flows = [("MKT", "CEM", "limestone", 2, "Mt", "product"),
             ("MKT", "CEM", "clay", 300, "kt", "product"),
             ("MKT", "BRICK", "clay", 100, "kt", "product"),
             ("NH3", "LF", "coal gasification slag", 70, "kt", "waste"),
             ("NH3", "LF", "气化细渣", 20, "kt", "waste")]  # fmt: skip
    table = _table(firms, flows)
    slag = _of(table, "coal gasification slag")
    # a slag of unknown grade goes to building materials; carbon recovery is for the
    # fine slag (tester-cities5 #10)
    assert set(slag["pathway"].dropna()) == {"gasification-slag-cement", "gasification-slag-blocks"}
    assert set(slag[slag["pathway"] == "gasification-slag-cement"]["target"]) == {"CEM"}
    assert "BRICK" in set(slag[slag["pathway"] == "gasification-slag-blocks"]["target"])
    assert set(_of(table, "气化细渣")["pathway"].dropna()) == {"gasification-slag-carbon"}
    taxonomy = default_taxonomy()
    for name in ("coal gasification slag", "gasification fine slag", "coal gasifier slag",
                 "气化渣", "煤气化渣", "gasification coarse slag (Texaco)"):  # fmt: skip
        assert taxonomy.resolve(name).family == "coal gasification slag", name


def test_a_dust_of_unknown_origin_meets_no_copper_smelter_flue_dust_row():
    """Kaiyang: the phosphorus furnace's precipitator dust went to a new metal-recovery
    plant as established (flue-dust, "Pb, Bi, Cu, Zn recovery"), a row written for copper
    smelter flue dust, through its synonym "flue dust" (any dust of the taxonomy). A copper
    smelter's flue dust, however written, still meets it."""
    firms = [
        ("YP", "yellow phosphorus (electric furnace)", "firm"),
        ("SMELT", "copper smelting", "firm"),
        ("BOILER", "power generation", "utility"),
    ]
    flows = [("YP", "LF", "precipitator dust", 12, "kt", "waste"),
             ("BOILER", "LF", "dust", 5, "kt", "waste"),
             ("BOILER", "LF", "flue dust", 4, "kt", "waste"),
             ("SMELT", "LF", "copper smelter flue dust", 8, "kt", "waste"),
             ("SMELT", "LF", "flue dust (copper smelter)", 3, "kt", "waste"),
             ("SMELT", "LF", "铜冶炼烟尘", 2, "kt", "waste")]  # fmt: skip
    table = _table(firms, flows)
    for name in ("precipitator dust", "dust", "flue dust"):
        assert "flue-dust" not in set(_of(table, name)["pathway"]), name
    for name in ("copper smelter flue dust", "flue dust (copper smelter)", "铜冶炼烟尘"):
        assert "flue-dust" in set(_of(table, name)["pathway"]), name


def test_fluosilicic_acid_by_its_usual_names_goes_to_the_fluorine_plant():
    """Kaiyang 2015 dumped 38 kt of 'fluosilicic acid' (HG/T 2832's name; H2SiF6, 氟硅酸),
    which no row knew: only 'hexafluorosilicic acid' met a row, and that one only a new
    sodium fluorosilicate plant, never the network's aluminium fluoride plant. Fluorine
    recovery makes aluminium fluoride and anhydrous HF of it; the AlF3 plant, which buys
    fluorspar, is offered it as a redirect on the fluorine the acid brings. The acid
    fluoridates drinking water at waterworks (fluorosilicic-water), not at the municipal
    wastewater plant, a 'water treatment' firm too."""
    firms = [
        ("PACID", "phosphoric acid", "firm"),
        ("FLUOR", "fluorochemicals; aluminium fluoride", "firm"),
        ("WWTP", "wastewater treatment", "treatment"),
        ("WW", "waterworks", "utility"),
    ]
    names = [
        "fluosilicic acid",
        "H2SiF6",
        "氟硅酸",
        "hexafluorosilicic acid",
        "fluosilicic acid (18 % H2SiF6)",
    ]
    flows = [
        ("MKT", "FLUOR", "fluorspar", 30, "kt", "product"),
        *[("PACID", "LF", name, 10, "kt", "waste") for name in names],
    ]
    network = from_frames(pd.DataFrame(firms + OUTSIDE, columns=["id", "sector", "role"]),
                          pd.DataFrame(flows, columns=COLUMNS))  # fmt: skip
    result = find_opportunities(network, top=0, impact=False)
    assert result.uncovered.empty
    table = result.table
    for name in names:
        rows = _of(table, name)
        fluor = rows[rows["target"] == "FLUOR"]
        assert set(fluor["pathway"]) & {"fsa-aluminium-fluoride", "fsa-ahf"}, name
        assert "fluorosilicic" in set(rows["pathway"]), name  # sodium fluorosilicate: still one
    redirect = _of(table, "fluosilicic acid").query("kind == 'redirect'")
    assert set(redirect["target"]) == {"FLUOR"}
    # drinking-water fluoridation is done at waterworks, not at a wastewater plant
    water = table[table["pathway"] == "fluorosilicic-water"]
    assert set(water["target"]) == {"WW"}


def test_yellow_phosphorus_tail_gas_goes_to_c1_chemicals_a_lime_kiln_and_boilers():
    """Kaiyang: the yellow phosphorus furnace's CO tail gas (黄磷尾气, 85-90 % CO) went only
    to the coal power plant, through refinery-gas-power (any fuel gas by the head 'tail
    gas'); its chemical routes (sodium formate and formic acid, methanol) and the lime
    kiln were missing. A new formate plant is proposed (no chemical plant as such is
    here), the methanol plant takes it for methanol, the lime kiln as a fuel."""
    firms = [("YP", "yellow phosphorus (electric furnace)", "firm"),
             ("METH", "methanol plant", "firm"), ("PP", "power generation", "utility"),
             ("LIME", "lime kiln", "firm")]  # fmt: skip
    names = [
        "yellow phosphorus tail gas (CO-rich)",
        "黄磷尾气",
        "CO-rich tail gas",
        "yellow phosphorus off-gas",
    ]
    flows = [("MKT", "METH", "natural gas", 5, "PJ", "product"),
             ("MKT", "PP", "coal", 2, "Mt", "product"),
             ("MKT", "LIME", "natural gas", 400, "TJ", "product"),
             *[("YP", "AIR", name, 500, "TJ", "emission") for name in names]]  # fmt: skip
    table = _table(firms, flows)
    for name in names:
        rows = _of(table, name)
        by_row = {p: set(rows[rows["pathway"] == p]["target"])
                  for p in set(rows["pathway"].dropna())}  # fmt: skip
        formate = by_row.get("yp-gas-formate")
        assert formate in ({"NEW_YP_GAS_FORMATE"}, {"NEW_CHEMICALS"}), (name, by_row)
        assert by_row.get("yp-gas-methanol") == {"METH"}, (name, by_row)
        assert by_row.get("yp-gas-lime") == {"LIME"}, (name, by_row)
        assert "PP" in by_row.get("yp-gas-boiler", set()), (name, by_row)
        assert "refinery-gas-power" not in by_row, name  # a refinery's gas row no longer
    taxonomy = default_taxonomy()
    for name in names:
        assert taxonomy.resolve(name).material == "yellow phosphorus tail gas", name
    assert taxonomy.resolve("tail gas").material == "fuel gas"  # of unknown origin: any


def test_mud_phosphorus_ferrophosphorus_and_phosphorus_slag_powder_have_their_rows():
    """Kaiyang: mud phosphorus (泥磷) and ferrophosphorus (磷铁) were streams with no known
    pathway, and the phosphorus slag went only to the cement kiln. Mud phosphorus is
    distilled for its phosphorus at a yellow phosphorus plant or burnt to acid at a thermal
    acid plant; ferrophosphorus is a phosphorus addition of steel and cast iron; ground slag
    powder is a mineral admixture of concrete (GB/T 26751)."""
    firms = [
        ("YP", "yellow phosphorus (electric furnace)", "firm"),
        ("TPA", "thermal phosphoric acid", "firm"),
        ("BOF", "steelmaking", "firm"),
        ("FOUNDRY", "iron foundry", "firm"),
        ("RMC", "ready-mix concrete", "firm"),
    ]
    flows = [("MKT", "TPA", "yellow phosphorus", 30, "kt", "product"),
             ("MKT", "BOF", "pig iron", 2, "Mt", "product"),
             ("MKT", "FOUNDRY", "pig iron", 50, "kt", "product"),
             ("MKT", "RMC", "ground granulated blast furnace slag", 80, "kt", "product"),
             ("YP", "LF", "mud phosphorus", 3, "kt", "waste"),
             ("YP", "LF", "泥磷", 1, "kt", "waste"),
             ("YP", "MKT", "ferrophosphorus", 10, "kt", "by-product"),
             ("YP", "MKT", "磷铁", 2, "kt", "by-product"),
             ("YP", "LF", "phosphorus slag", 470, "kt", "waste")]  # fmt: skip
    network = from_frames(pd.DataFrame(firms + OUTSIDE, columns=["id", "sector", "role"]),
                          pd.DataFrame(flows, columns=COLUMNS))  # fmt: skip
    result = find_opportunities(network, top=0, impact=False)
    assert result.uncovered.empty
    table = result.table

    def targets(material, pathway):
        rows = _of(table, material)
        return set(rows[rows["pathway"] == pathway]["target"])

    for name in ("mud phosphorus", "泥磷"):
        assert targets(name, "mud-phosphorus-acid") == {"TPA"}, name
        assert not _of(table, name)["new_plant"].any(), name  # a minor feed of either plant
    for name in ("ferrophosphorus", "磷铁"):
        assert targets(name, "ferrophos-steel") == {"BOF"}, name
        assert targets(name, "ferrophos-foundry") == {"FOUNDRY"}, name
    assert targets("phosphorus slag", "p-slag-concrete") == {"RMC"}
    # mud phosphorus is no sludge: none of the sludge fuel rows
    assert not _of(table, "mud phosphorus")["pathway"].fillna("").str.startswith("sludge").any()
    assert default_taxonomy().resolve("phosphorus sludge").material == "mud phosphorus"
