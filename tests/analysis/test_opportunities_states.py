"""Materials and their state, found by a tester on three Chinese resource cities (Jinchang,
Huaibei, Baiyin): inorganic sludges, dilute emissions, mine water, nickel slag, and the
pre-treatment a catalogue row needs."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from symbiosis import from_frames
from symbiosis.analysis.opportunities import count_opportunities, find_opportunities
from symbiosis.catalogue import load_catalogue
from symbiosis.taxonomy import default_taxonomy

COLUMNS = ["source", "target", "material", "quantity", "unit", "category"]


def _found(firms, flows, top: int = 0):
    network = from_frames(pd.DataFrame(firms, columns=["id", "sector", "role"]),
                          pd.DataFrame(flows, columns=COLUMNS))  # fmt: skip
    found = find_opportunities(network, top=top, impact=False)
    assert len(found.table) == count_opportunities(network)  # the same candidates
    return found


def _rows(table: pd.DataFrame, source: str, material: str) -> pd.DataFrame:
    return table[(table["source"] == source) & (table["material"] == material)]


def test_neutralisation_sludge_is_no_organic_sludge_for_co_combustion():
    """Jinchang #9: lime neutralisation sludge of acid wastewater (gypsum and metal
    hydroxides) went to the power plant as a coal substitute (sludge-cocombustion-generic)
    and to a new incinerator: every "... sludge" was one family. The city's sewage sludge
    keeps its co-combustion row, and a sludge of unknown kind still meets the generic
    rows (Kymenlaakso: a mill's "wastewater treatment sludge" to the power plant)."""
    firms = [("WWTP", "industrial wastewater treatment", "treatment"),
             ("CITY", "sewage treatment", "treatment"), ("MILL", "paper mill", "firm"),
             ("POWER", "power generation", "utility"), ("CEM", "cement", "firm"),
             ("COAL", "", "market"), ("LF", "", "disposal")]  # fmt: skip
    flows = [("COAL", "POWER", "coal", 1_000_000, "t", "product"),
             ("WWTP", "LF", "neutralization sludge", 80_000, "t", "waste"),
             ("CITY", "LF", "sewage sludge", 10_000, "t", "waste"),
             ("MILL", "LF", "wastewater treatment sludge", 5_000, "t", "waste")]  # fmt: skip
    table = _found(firms, flows).table
    neutral = _rows(table, "WWTP", "neutralization sludge")
    assert not neutral["pathway"].fillna("").str.contains("sludge-").any()
    assert "POWER" not in set(neutral["target"])
    assert "sludge-cocombustion" in set(_rows(table, "CITY", "sewage sludge")["pathway"])
    mill = _rows(table, "MILL", "wastewater treatment sludge")
    assert "sludge-cocombustion-generic" in set(mill["pathway"])


def test_inorganic_sludges_resolve_apart_from_organic_ones():
    taxonomy = default_taxonomy()
    for name in ("neutralization sludge", "calcium fluoride sludge", "中和渣",
                 "nickel hydroxide sludge"):  # fmt: skip
        assert taxonomy.resolve(name).family == "inorganic sludge", name
    for name in ("sewage sludge", "paper sludge", "Sludge", "Wastewater treatment sludge"):
        assert taxonomy.resolve(name).family == "sludge", name
    assert not taxonomy.interchangeable("electroplating sludge")  # no metal-poor sludge


def test_stack_so2_of_a_power_plant_meets_no_acid_plant_but_smelter_off_gas_does():
    """Jinchang #16 and Baiyin #18: a coal plant's residual stack SO2 (after FGD, mg per
    Nm3) went to the smelter acid plant (so2-acid, "above a few % SO2"), 41 km away, and
    to the fertilizer plant. A smelter's SO2 still goes to the acid plant: as a
    by-product cut from it, or as its own emission."""
    firms = [("PP", "power generation", "utility"), ("SMELT", "copper smelting", "firm"),
             ("ACID", "sulfuric acid", "firm"), ("FERT", "phosphate fertilizer", "firm"),
             ("AIR", "", "environment"), ("LF", "", "disposal")]  # fmt: skip
    flows = [("PP", "AIR", "sulfur dioxide", 3_000, "t", "emission"),
             ("SMELT", "AIR", "sulfur dioxide", 5_000, "t", "emission"),
             ("SMELT", "LF", "sulfur dioxide", 500_000, "t", "by-product"),
             ("SMELT", "ACID", "sulfur dioxide", 100_000, "t", "by-product")]  # fmt: skip
    table = _found(firms, flows).table
    assert _rows(table, "PP", "sulfur dioxide").empty
    smelter = _rows(table, "SMELT", "sulfur dioxide")
    assert set(smelter[smelter["stream_target"] == "LF"]["target"]) >= {"ACID"}
    assert set(smelter[smelter["stream_target"] == "AIR"]["target"]) >= {"ACID"}


def test_ventilation_air_methane_meets_no_gas_engine():
    """Huaibei #16-18 and #39-41: the mines' emitted methane (ventilation air, under 1 %
    CH4) went to the drained-gas engines and to the coke-oven-gas methanol plant. The
    drained gas keeps its row; a landfill's emitted methane keeps the landfill-gas row."""
    firms = [("MINE", "coal mining", "extraction"), ("CBM", "gas power", "utility"),
             ("METH", "methanol", "firm"), ("COKE", "coking", "firm"),
             ("LFILL", "landfill", "treatment"), ("PP", "power generation", "utility"),
             ("AIR", "", "environment")]  # fmt: skip
    flows = [("MINE", "CBM", "coal mine methane", 800_000, "GJ", "by-product"),
             ("COKE", "METH", "coke oven gas", 500_000, "GJ", "by-product"),
             ("MINE", "AIR", "methane", 30_000, "t", "emission"),
             ("LFILL", "AIR", "landfill gas", 200_000, "GJ", "emission")]  # fmt: skip
    table = _found(firms, flows).table
    assert _rows(table, "MINE", "methane").empty
    assert "lfg-power" in set(_rows(table, "LFILL", "landfill gas")["pathway"])
    assert default_taxonomy().resolve("ventilation air methane").family == "ventilation air methane"
    cmm = load_catalogue().pathways.set_index("id").loc["cmm-power"]
    assert "ventilation air methane" not in cmm["synonyms"].lower()


def test_treated_mine_water_goes_to_the_power_plant_washery_and_mines():
    """Huaibei: 12 Mm3 of treated mine water went to the river while the big power plant
    drew 20 Mm3 of river water for cooling; no pathway knew mine water (矿井水)."""
    firms = [("MWTP", "mine water treatment", "treatment"), ("PP", "power generation", "utility"),
             ("WASH", "coal washing", "firm"), ("MINE", "coal mining", "extraction"),
             ("RIVER", "", "environment")]  # fmt: skip
    flows = [("MINE", "MWTP", "mine water", 15, "Mm3", "waste"),
             ("RIVER", "PP", "river water", 20, "Mm3", "product"),
             ("MWTP", "RIVER", "treated mine water", 12, "Mm3", "waste")]  # fmt: skip
    table = _found(firms, flows).table
    water = _rows(table, "MWTP", "treated mine water")
    assert {"minewater-cooling", "minewater-washing", "minewater-dust"} <= set(water["pathway"])
    assert set(water[water["pathway"] == "minewater-cooling"]["kind"]) == {"redirect"}


def test_nickel_slag_goes_to_mineral_wool_and_iron_recovery():
    rows = load_catalogue().pathways.set_index("id")
    assert rows.loc["nickel-slag-wool", "receiving_sector"] == "mineral wool"
    assert rows.loc["nickel-slag-iron", "maturity"] == "emerging"
    firms = [("SMELT", "nickel smelting", "firm"), ("WOOL", "rock wool", "firm"),
             ("LF", "", "disposal")]  # fmt: skip
    table = _found(firms, [("SMELT", "LF", "nickel slag", 1_000_000, "t", "by-product")]).table
    assert "WOOL" in set(table[table["pathway"] == "nickel-slag-wool"]["target"])


@pytest.mark.parametrize("output", ["text", "json"])
def test_a_row_that_needs_a_pre_treatment_says_so(output, capsys):
    """Baiyin #26: zinc leach residue (hazardous) went to cement as if directly; the row's
    note says "after Waelz or fuming". The condition is shown beside the row."""
    from symbiosis.cli.opportunities_text import print_opportunities

    firms = [("ZN", "zinc smelting", "firm"), ("CEM", "cement", "firm"), ("LF", "", "disposal")]
    flows = [("ZN", "LF", "zinc leach residue", 200_000, "t", "waste")]
    found = _found(firms, flows, top=10)
    cement = [o for o in found.listed if o.target == "CEM"]
    assert cement, found.table
    entry = next(e for e in cement[0].evidence if e["id"] == "zinc-residue-cement")
    assert "Waelz" in entry["condition"]
    if output == "json":
        assert "Waelz" in json.dumps(found.to_dict(), ensure_ascii=False)
    else:
        print_opportunities(found)
        assert "zinc-residue-cement only after" in capsys.readouterr().out


def test_sinter_stack_so2_is_dilute_like_a_power_plants():
    """Ma'anshan #42 and #68: the sinter plant's residual SO2 after FGD (8 kt/yr, a few
    hundred mg/Nm3) got a new sulfuric acid plant and a new SO2 fertilizer plant; a
    sinter strand's waste gas is as dilute as a boiler's. A smelter's SO2 keeps them."""
    firms = [("SINTER", "sintering", "firm"), ("SMELT", "copper smelting", "firm"),
             ("AIR", "", "environment")]  # fmt: skip
    flows = [("SINTER", "AIR", "sulfur dioxide", 8_000, "t", "emission"),
             ("SMELT", "AIR", "sulfur dioxide", 5_000, "t", "emission")]  # fmt: skip
    table = _found(firms, flows).table
    assert _rows(table, "SINTER", "sulfur dioxide").empty
    assert "so2-acid" in set(_rows(table, "SMELT", "sulfur dioxide")["pathway"])
