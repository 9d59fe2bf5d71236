"""Sector texts of three resource-based cities (Ordos, Karamay, Yichun: tester-cities5
defects 3 and 6): wordings of power plants and mushroom growers that matched no sector, and
a firm filed under a bare "chemicals" whose name says what it makes. Networks trimmed from
the tester's, names and sectors as written there."""

from __future__ import annotations

import pandas as pd
import pytest

from symbiosis import from_frames
from symbiosis.analysis.opportunities import count_opportunities, find_opportunities
from symbiosis.catalogue import sectors_for_code
from symbiosis.catalogue.sectors import default_sectors

COLUMNS = ["source", "target", "material", "quantity", "unit", "category"]


def _table(firms: list[tuple], flows: list[tuple]) -> pd.DataFrame:
    # (id, name, sector, role), or (id, sector, role): the id is the name
    columns = ["id", "name", "sector", "role"] if len(firms[0]) == 4 else ["id", "sector", "role"]
    frame = pd.DataFrame(firms, columns=columns)
    network = from_frames(frame, pd.DataFrame(flows, columns=COLUMNS))
    table = find_opportunities(network, top=0, impact=False).table
    assert len(table) == count_opportunities(network)  # the lean pass finds the same
    return table


def _rows(table: pd.DataFrame, source: str, material: str) -> pd.DataFrame:
    return table[(table["source"] == source) & (table["material"] == material)]


# -------------------------------------------------- defect 3: power plants, mushroom farms


def _ordos(power: str) -> tuple[list[tuple], list[tuple]]:
    """Ordos: two coal washeries dump gangue, one sells it to a gangue CFB power plant 6 km
    away (its sector says CFB: gangue-power is a fluidised bed's row, taxa14); a mine and
    the mine water plant discharge mine water to the river; the large power plant emits
    its stack SO2 after FGD."""
    firms = [("SW_MINE", "coal mining", "mine"), ("SW_WASH", "coal washing", "firm"),
             ("HDG_WASH", "coal washing", "firm"), ("MW_TP", "mine water treatment", "treatment"),
             ("DALAD", power, "power plant"), ("MT_CFB", "CFB power", "power plant"),
             ("GANGUE_DUMP", "", "dump"), ("RIVER", "", "river"), ("AIR", "", "air"),
             ("MKT", "", "market")]  # fmt: skip
    flows = [("SW_MINE", "SW_WASH", "raw coal", 16_000_000, "t", "product"),
             ("SW_WASH", "GANGUE_DUMP", "coal gangue", 2_000_000, "t", "waste"),
             ("HDG_WASH", "MT_CFB", "coal gangue", 1_500_000, "t", "by-product"),
             ("HDG_WASH", "GANGUE_DUMP", "coal gangue", 2_100_000, "t", "waste"),
             ("SW_MINE", "RIVER", "mine water", 6_000_000, "m3", "waste"),
             ("MW_TP", "RIVER", "treated mine water", 4_000_000, "m3", "waste"),
             ("MKT", "DALAD", "raw coal", 12_000_000, "t", "product"),
             ("DALAD", "AIR", "SO2", 8_000, "t", "emission")]  # fmt: skip
    return firms, flows


@pytest.mark.parametrize("power", ["coal power", "CFB power", "煤电"])
def test_a_coal_power_plant_takes_gangue_and_mine_water_and_its_stack_is_dilute(power):
    """Ordos with sector "coal power": the washeries' gangue went to new gangue-power
    plants beside the gangue CFB plant, mine water never to the power plants for
    cooling, and the power plant's stack SO2 (after FGD) to a new acid plant. Written
    "coal-fired power", none of this happened."""
    table = _table(*_ordos(power))
    gangue = _rows(table, "SW_WASH", "coal gangue")
    gangue = gangue[gangue["pathway"] == "gangue-power"]
    assert "MT_CFB" in set(gangue["target"]) and not gangue["new_plant"].any()
    for source, water in [("SW_MINE", "mine water"), ("MW_TP", "treated mine water")]:
        cooling = _rows(table, source, water)
        assert {"DALAD", "MT_CFB"} <= set(cooling[cooling["pathway"] == "minewater-cooling"]
                                         ["target"]), source  # fmt: skip
    assert _rows(table, "DALAD", "SO2").empty
    if power != "CFB power":
        assert table.equals(_table(*_ordos("coal-fired power")))
    else:  # a fluidised bed's too (gangue-power): as its "-fired" spelling, but for the
        # labels of its capacity groups (numbered by the order the text names its sectors)
        labels = ["capacity_within_group", "capacity_around_group"]
        fired = _table(*_ordos("CFB-fired power")).drop(columns=labels)
        assert table.drop(columns=labels).equals(fired)


def test_a_biomass_power_plant_and_fungus_growers_are_no_new_plants_beside_themselves():
    """Yichun 2012: a new biomass boiler plant (bark-fuel, sawdust-boiler) and a new
    mushroom farm (sawdust-mushroom) were proposed beside the 30 MW biomass plant
    ("biomass power") and the black-fungus cooperatives ("edible fungus cultivation")."""
    firms = [("SAW1", "sawmill", "firm"), ("SAW2", "sawmill", "firm"),
             ("BIOPP", "biomass power", "power plant"),
             ("FUNGUS", "edible fungus cultivation", "farm"),
             ("LANDFILL", "", "landfill"), ("MKT", "", "market")]  # fmt: skip
    flows = [("SAW1", "BIOPP", "bark", 5_000, "t", "by-product"),
             ("SAW1", "FUNGUS", "sawdust", 4_000, "t", "by-product"),
             ("SAW2", "LANDFILL", "bark", 7_000, "t", "waste"),
             ("SAW2", "LANDFILL", "sawdust", 3_500, "t", "waste"),
             ("BIOPP", "MKT", "electricity", 180, "GWh", "product")]  # fmt: skip
    table = _table(firms, flows)
    for material, taker, pathway in [("bark", "BIOPP", "bark-fuel"),
                                     ("sawdust", "FUNGUS", "sawdust-mushroom"),
                                     ("sawdust", "BIOPP", "sawdust-boiler")]:  # fmt: skip
        rows = _rows(table, "SAW2", material)
        assert taker in set(rows[rows["pathway"] == pathway]["target"]), pathway
    plants = table[table["new_plant"]]
    assert not set(plants["target_sector"]) & {"power generation", "mushroom cultivation"}


@pytest.mark.parametrize(
    ("text", "sectors"),
    [
        # "<fuel> power", with or without -fired/-based, and what Chinese statistics write
        ("coal power", {"power generation"}),
        ("coal power plant", {"power generation"}),
        ("CFB power", {"power generation", "fluidised bed power"}),
        ("gangue CFB power plant", {"power generation", "fluidised bed power"}),
        ("coal gangue power", {"power generation", "fluidised bed power"}),
        ("gas-fired power", {"power generation"}),
        ("natural gas power", {"power generation"}),
        ("biomass power", {"power generation"}),
        ("coal-based power", {"power generation"}),
        ("captive power plant", {"power generation"}),
        ("combined cycle", {"power generation"}),
        ("coke oven gas power plant", {"power generation"}),
        ("煤电", {"power generation"}),
        ("火电", {"power generation"}),
        ("燃煤电站", {"power generation"}),
        ("生物质发电", {"power generation"}),
        # "power" alone, or after a source no catalogue row feeds, is no power plant
        ("power tools manufacturing", set()),
        ("power grid", set()),
        ("wind power plant", set()),
        ("solar power station", set()),
        ("photovoltaic power generation", set()),
        ("hydro-electric power station", set()),
        ("nuclear power plant", set()),
        ("核电厂", set()),
        ("水力发电", set()),
        ("光伏发电", set()),
        ("风电厂", set()),
        ("wind and coal power", {"power generation"}),
        # mining stays mining
        ("coal mining", {"coal mining", "mining"}),
        ("coal washing", {"coal washing"}),
        ("oil and gas extraction", {"oil and gas extraction"}),
        ("gas processing", set()),
        # mushroom growers as NE China writes them
        ("edible fungus", {"mushroom cultivation"}),
        ("edible fungus cultivation", {"mushroom cultivation"}),
        ("black fungus cultivation", {"mushroom cultivation"}),
        ("黑木耳", {"mushroom cultivation"}),
        ("食用菌", {"mushroom cultivation"}),
        # wood: a plywood mill is a panel mill (of no particleboard row); a sawmill takes
        # logs, which no catalogue row offers: a source only
        ("plywood", {"wood based panel"}),
        ("胶合板", {"wood based panel"}),
        ("particleboard", {"wood based panel"}),
        ("sawmill", set()),
        # products that say which chemical plant it is
        ("dimethyl ether", {"chemical"}),
        ("methanol", {"chemical"}),
        ("PVC", {"chemical"}),
        ("alkali recovery", {"paper", "kraft pulp"}),  # its causticising and lime kiln
    ],
)
def test_sector_texts_of_resource_cities(text, sectors):
    assert default_sectors().sectors_of(text) == sectors


@pytest.mark.parametrize(
    ("code", "scheme", "power"),
    [("4411", "gb", True), ("4417", "gb", True), ("4413", "gb", False), ("4414", "gb", False),
     ("4415", "gb", False), ("4416", "gb", False), ("4420", "gb", False),
     ("35.11", "nace", True), ("35.12", "nace", False), ("35.13", "nace", False)],
)  # fmt: skip
def test_industry_codes_of_power_plants_that_burn_nothing_and_of_the_grid(code, scheme, power):
    """As the sector texts: a hydro, nuclear, wind or solar plant and the grid take no
    power-generation row (they inherited it from GB 441 and NACE 35.1)."""
    assert (sectors_for_code(code, scheme) == {"power generation"}) is power
    assert power or sectors_for_code(code, scheme) == frozenset()


def test_a_plywood_mill_and_an_alkali_recovery_plant_take_only_their_own_rows():
    """A plywood mill peels and glues logs: it makes no particleboard of sawdust. A kraft
    mill's alkali recovery plant burns black liquor: Yichun's was offered wood chips for
    pulping and the city's effluent as a paper mill ("alkali recovery" was a synonym)."""
    vocabulary = default_sectors()
    assert vocabulary.memberships("plywood")["wood based panel"] == {"plywood", "veneer",
                                                                     "胶 合 板"}  # fmt: skip
    recovery = vocabulary.memberships("alkali recovery")["paper"]
    assert recovery is not None and "black liquor" in recovery
    firms = [("SAW", "sawmill", "firm"), ("PULP", "pulp and paper", "firm"),
             ("PULP_REC", "alkali recovery", "firm"), ("PLY", "plywood", "firm"),
             ("LANDFILL", "", "landfill")]  # fmt: skip
    flows = [("PULP", "PULP_REC", "black liquor", 400_000, "t", "by-product"),
             ("SAW", "LANDFILL", "sawmill chips", 20_000, "t", "waste"),
             ("SAW", "LANDFILL", "sawdust", 8_000, "t", "waste")]  # fmt: skip
    table = _table(firms, flows)
    chips = _rows(table, "SAW", "sawmill chips")
    assert "PULP" in set(chips["target"]) and "PULP_REC" not in set(chips["target"])
    assert "PLY" not in set(_rows(table, "SAW", "sawdust")["target"])


# ------------------------------------------- defect 6: a bare "chemicals" and its name


def _coking(name: str, *more: tuple) -> tuple[list[tuple], list[tuple]]:
    """Ordos: the coking plant sells coal tar and crude benzol; a methanol plant sells
    methanol to a plant filed under "chemicals" and named ``name``; ``more`` firms."""
    firms = [("QPJ_COKE", "Qipanjing coking plant", "coking", "firm"),
             ("DME", name, "chemicals", "firm"),
             ("JT_MEOH", "Jiutai coal-to-methanol (久泰甲醇)", "methanol", "firm"),
             ("MKT", "Fuels and chemicals market", "", "market"), *more]  # fmt: skip
    flows = [("QPJ_COKE", "MKT", "coal tar", 80_000, "t", "by-product"),
             ("QPJ_COKE", "MKT", "crude benzol", 25_000, "t", "by-product"),
             ("MKT", "JT_MEOH", "raw coal", 2_200_000, "t", "product"),
             ("JT_MEOH", "DME", "methanol", 300_000, "t", "product"),
             ("DME", "MKT", "dimethyl ether", 200_000, "t", "product")]  # fmt: skip
    return firms, flows


def test_a_chemicals_firm_named_for_dimethyl_ether_takes_no_coal_tar():
    """Ordos: the DME plant (sector "chemicals") was offered coal tar and crude benzol,
    and because an actor of the receiving sector existed, no tar-distillation or benzol
    plant was proposed. Its name says what it makes: methanol dehydration, none of
    these; the new plants are proposed."""
    vocabulary = default_sectors()
    assert vocabulary.processes_named("Ordos dimethyl ether plant", frozenset({"chemical"})) \
        == ("dimethyl ether",)  # fmt: skip
    assert vocabulary.processes_named("Dalad power plant", frozenset({"chemical"})) == ()
    pvc = ("PVC", "Wuhai carbide PVC plant (电石法聚氯乙烯)", "chemicals", "firm")
    firms, flows = _coking("Ordos dimethyl ether plant", pvc,
                           ("CA", "Chlor-alkali plant", "chlor-alkali", "firm"))  # fmt: skip
    flows += [("CA", "MKT", "chlorine", 50_000, "t", "product"),
              ("MKT", "PVC", "calcium carbide", 500_000, "t", "product")]  # fmt: skip
    table = _table(firms, flows)
    for material, pathway in [("coal tar", "coal-tar-distillation"),
                              ("crude benzol", "crude-benzol")]:  # fmt: skip
        rows = _rows(table, "QPJ_COKE", material)
        assert not {"DME", "PVC"} & set(rows["target"]), material
        assert rows[rows["pathway"] == pathway]["new_plant"].all(), material
        assert len(rows[rows["pathway"] == pathway]) == 1, material
    # each firm by its own name: the PVC plant takes chlorine (for VCM), the DME plant not
    chlorine = _rows(table, "CA", "chlorine")
    assert "PVC" in set(chlorine["target"]) and "DME" not in set(chlorine["target"])


def test_a_bare_chemicals_firm_still_takes_coal_tar_but_no_longer_hides_the_new_plant():
    """A firm filed under a bare "chemicals" and named for nothing it makes may distil
    tar, or may not: it keeps the proposal, ranked first, and the new tar-distillation
    plant is proposed beside it."""
    table = _table(*_coking("Ordos Chemical Co."))
    for material, pathway in [("coal tar", "coal-tar-distillation"),
                              ("crude benzol", "crude-benzol")]:  # fmt: skip
        rows = _rows(table, "QPJ_COKE", material)
        rows = rows[rows["pathway"] == pathway]
        assert list(rows["new_plant"]) == [False, True], material
        assert rows["target"].iloc[0] == "DME"
    # a firm whose name names a process of the family is no guess: a brick maker
    firms = [("BRICK", "Jungar gangue fired-brick plant", "building materials", "firm"),
             ("WASH", "coal preparation plant", "coal washing", "firm"),
             ("DUMP", "gangue dump", "", "dump")]  # fmt: skip
    flows = [("WASH", "DUMP", "coal gangue", 2_000_000, "t", "waste")]
    gangue = _rows(_table(firms, flows), "WASH", "coal gangue")
    bricks = gangue[gangue["target"] == "BRICK"]
    assert not bricks.empty
    assert not gangue[gangue["pathway"].isin(bricks["pathway"])]["new_plant"].any()


def test_a_generic_firms_name_may_make_it_a_plant_of_another_sector():
    """A "chemicals" firm named for sulfuric acid is an acid plant (the narrowed_by of
    chemicals), as the text "chemicals; sulfuric acid" is: no crude benzol for it."""
    firms = [("COKE", "Coking plant", "coking", "firm"),
             ("ACID", "Tongling Sulphuric Acid Works", "chemicals", "firm"),
             ("SMELT", "Copper smelter", "copper smelting", "firm"),
             ("AIR", "Atmosphere", "", "environment"), ("MKT", "Market", "", "market")]  # fmt: skip
    flows = [("COKE", "MKT", "crude benzol", 25_000, "t", "by-product"),
             ("SMELT", "AIR", "sulfur dioxide", 5_000, "t", "emission")]  # fmt: skip
    table = _table(firms, flows)
    assert "ACID" not in set(_rows(table, "COKE", "crude benzol")["target"])
    off_gas = _rows(table, "SMELT", "sulfur dioxide")
    assert "ACID" in set(off_gas[off_gas["pathway"] == "so2-acid"]["target"])


def test_a_dimethyl_ether_plant_still_takes_methanol():
    """Once a bare "chemicals" firm was narrowed by its name, the DME plant took only the
    rows naming DME, and the methanol row named formaldehyde, acetic acid and olefins: the
    methanol sold on the market was proposed to a new plant, not to the DME plant beside
    it that buys methanol (dehydration to DME is the row's product too now)."""
    firms = [("JT_MEOH", "Jiutai coal-to-methanol (久泰甲醇)", "methanol", "firm"),
             ("DME", "Ordos dimethyl ether plant", "chemicals", "firm"),
             ("MKT", "Fuels and chemicals market", "", "market")]  # fmt: skip
    flows = [("MKT", "JT_MEOH", "raw coal", 2_200_000, "t", "product"),
             ("JT_MEOH", "MKT", "methanol", 600_000, "t", "product"),
             ("MKT", "DME", "methanol", 300_000, "t", "product"),
             ("DME", "MKT", "dimethyl ether", 200_000, "t", "product")]  # fmt: skip
    rows = _rows(_table(firms, flows), "JT_MEOH", "methanol")
    assert "DME" in set(rows[rows["pathway"] == "methanol-chemicals"]["target"])
