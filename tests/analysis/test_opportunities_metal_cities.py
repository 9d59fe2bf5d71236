"""Three Chinese metal cities (tester-metals9: Panzhihua, Jinchang, Gejiu; defects 3, 4, 7
and the remarks on copper slag and CO2). Networks trimmed from the tester's, names and
sectors as written there.

- Ti-bearing blast-furnace slag went to the V-Ti magnetite mine and the titanium
  concentrator for chlorination: "titanium" in their sector texts named the ore;
- zinc leach residue never met its Waelz or fuming route, which zinc-residue-cement's
  condition names as the first step: a zinc smelter was read as running it (in-house)
  and a slag-fuming plant was no taker; the raw residue went straight to cement;
- copperas never met a coagulant plant (the coagulant row is an additive of a
  wastewater plant, which no plant is built for);
- copper slag flotation proposed a new copper smelter;
- every CO2 emitter got a satellite PCC plant where there is no paper mill.
"""

from __future__ import annotations

import pandas as pd
import pytest

from symbiosis import from_frames
from symbiosis.analysis.opportunities import find_opportunities
from symbiosis.catalogue import default_catalogue, load_catalogue
from symbiosis.catalogue.sectors import default_sectors

FLOWS = ["source", "target", "material", "quantity", "unit", "category"]


def _table(firms: list[tuple], flows: list[tuple], **options) -> pd.DataFrame:
    network = from_frames(pd.DataFrame(firms, columns=["id", "sector", "role"]),
                          pd.DataFrame(flows, columns=FLOWS))  # fmt: skip
    return find_opportunities(network, top=0, impact=False, **options).table


def _stream(table: pd.DataFrame, source: str, material: str) -> pd.DataFrame:
    return table[(table["source"] == source) & (table["material"] == material)]


def test_a_mines_sector_text_names_its_ore_not_a_plant():
    vocabulary = default_sectors()
    assert vocabulary.memberships("vanadium-titanium magnetite mining") == {"mining": frozenset()}
    assert vocabulary.sectors_of("titanium ore beneficiation") == {"mining", "ore concentration"}
    assert vocabulary.sectors_of("nickel ore beneficiation") == {"mining", "ore concentration"}
    assert "cement" not in vocabulary.sectors_of("水泥用灰岩矿山")  # a kiln's limestone quarry
    # a term after the mine's names a plant of its own
    assert "water treatment" in vocabulary.sectors_of("mine water treatment")
    assert "power generation" in vocabulary.sectors_of("煤矿坑口电厂")
    assert "titanium" in vocabulary.sectors_of("titanium mining; titanium sponge")
    assert vocabulary.sectors_of("titanium sponge") == {"titanium"}


PANZHIHUA = [("PZH_MINE", "vanadium-titanium magnetite mining", "extraction"),
             ("TICONC", "titanium ore beneficiation", "firm"),
             ("BF", "ironmaking", "firm"),
             ("TIO2C", "titanium sponge", "firm"),
             ("SLAGYARD", "", "landfill")]  # fmt: skip


def test_ti_bearing_slag_goes_to_the_chlorination_plant_not_the_mine():
    """Panzhihua #3: the slag's titanium route went to the mine and the concentrator."""
    slag = "Ti-bearing blast furnace slag"
    flows = [("PZH_MINE", "TICONC", "ilmenite ore", 2_000_000, "t", "product"),
             ("TICONC", "TIO2C", "titanium concentrate", 200_000, "t", "product"),
             ("BF", "SLAGYARD", slag, 3_600_000, "t", "by-product")]  # fmt: skip
    rows = _stream(_table(PANZHIHUA, flows), "BF", slag)
    ticl4 = rows[rows["pathway"] == "tibfs-ticl4"]
    assert list(ticl4["target"]) == ["TIO2C"]


ZINC = [("ZN", "zinc smelting", "firm"), ("CEM", "cement", "firm"), ("LF", "", "landfill")]
RESIDUE = ("ZN", "LF", "zinc leach residue", 60_000, "t", "waste")


def test_zinc_leach_residue_goes_to_a_waelz_kiln_before_the_cement_works():
    """Gejiu #4: the metals route the cement row names as its prerequisite was proposed
    nowhere; the raw (hazardous) residue went straight to a cement kiln."""
    table = _stream(_table(ZINC, [RESIDUE]), "ZN", "zinc leach residue")
    assert list(table["pathway"]) == ["zinc-residue-metals", "zinc-residue-cement"]
    assert list(table["target"]) == ["NEW_WAELZ_KILN", "CEM"]
    # one plant's intake: a Waelz kiln of about 100 kt/yr takes the 60 kt
    assert table["quantity"].iloc[0] == pytest.approx(60_000) and not table["unbounded"].iloc[0]


def test_a_zinc_smelter_buying_concentrate_runs_no_waelz_kiln():
    """It buys zinc concentrate, what the Waelz oxide replaces: the in-house rule read it
    as running the metals route, and no plant was proposed beside it."""
    flows = [("MKT", "ZN", "zinc concentrate", 100_000, "t", "product"), RESIDUE]
    table = _stream(_table([*ZINC, ("MKT", "", "market")], flows), "ZN", "zinc leach residue")
    assert list(table["target"]) == ["NEW_WAELZ_KILN", "CEM"]
    # a smelter that says it runs a Waelz kiln keeps its residue: proposed back to it
    own = [("ZN", "zinc smelting; Waelz kiln", "firm"), *ZINC[1:], ("MKT", "", "market")]
    table = _stream(_table(own, flows), "ZN", "zinc leach residue")
    assert list(table["target"]) == ["ZN", "CEM"]
    assert list(table["kind"])[:1] == ["in_house"]


def test_a_slag_fuming_plant_takes_the_residue_first():
    """Gejiu's tin-slag fuming furnaces are the natural taker, ahead of the cement works."""
    firms = [*ZINC, ("FUME", "tin slag fuming", "firm"), ("MKT", "", "market")]
    flows = [("MKT", "ZN", "zinc concentrate", 100_000, "t", "product"),
             ("MKT", "FUME", "tin smelting slag", 60_000, "t", "product"),
             ("MKT", "CEM", "limestone", 1_000_000, "t", "product"), RESIDUE]  # fmt: skip
    table = _stream(_table(firms, flows), "ZN", "zinc leach residue")
    assert list(table["target"]) == ["FUME", "CEM"]
    assert list(table["kind"]) == ["new_link", "new_link"]


def test_a_row_that_names_its_prerequisite_follows_it():
    catalogue = default_catalogue()
    follows = set(catalogue.pathways["id"][catalogue.follows])
    assert {"zinc-residue-cement", "bf-dust"} <= follows
    assert not {"zinc-residue-metals", "spent-h2so4-regen"} & follows  # another material's


def test_a_user_row_naming_its_prerequisite_ranks_after_it(tmp_path):
    """The rule reads the condition, not a list: a user's row is ordered by it too."""
    rows = tmp_path / "rows.csv"
    rows.write_text(
        "id,material,receiving_sector,maturity,source,condition\n"
        "widget-dust-kiln,widget dust,cement,established,test,after widget-dust-wash\n"
        "widget-dust-wash,widget dust,washing,demonstrated,test,\n",
        encoding="utf-8",
    )
    firms = [("W", "widgets", "firm"), ("CEM", "cement", "firm"), ("LF", "", "landfill")]
    flows = [("W", "LF", "widget dust", 1_000, "t", "waste")]
    table = _table(firms, flows, catalogue=load_catalogue(rows))
    assert list(table["pathway"]) == ["widget-dust-wash", "widget-dust-kiln"]


TIO2 = [("TIO2S", "titanium dioxide pigment", "firm"), ("GYPSTACK", "", "landfill"),
        ("MKT", "", "market")]  # fmt: skip
COPPERAS = ("TIO2S", "GYPSTACK", "copperas", 550_000, "t", "by-product")


def test_copperas_makes_a_coagulant_plant():
    """Panzhihua #7: ferrous or polyferric sulfate, the first outlet a TiO2 maker names,
    was never proposed: its row sent copperas to a wastewater plant as an additive."""
    rows = _stream(_table(TIO2, [COPPERAS]), "TIO2S", "copperas")
    pfs = rows[rows["pathway"] == "copperas-pfs"]
    assert list(pfs["target"]) == ["NEW_WATER_TREATMENT_CHEMICALS"]
    assert "copperas-coagulant" not in set(rows["pathway"])  # no plant built for an additive
    # a wastewater plant still doses it
    firms = [*TIO2, ("WWTP", "wastewater treatment", "treatment")]
    rows = _stream(_table(firms, [COPPERAS]), "TIO2S", "copperas")
    assert "WWTP" in set(rows.loc[rows["pathway"] == "copperas-coagulant", "target"])
    assert "WWTP" not in set(rows.loc[rows["pathway"] == "copperas-pfs", "target"])


def test_copper_slag_flotation_is_a_slag_concentrator_not_a_new_smelter():
    """Jinchang and Gejiu: copper slag flotation proposed a new copper smelting plant;
    the concentrate returns to the smelter, the plant to build is a slag concentrator."""
    firms = [("CUSM", "copper smelting", "firm"), ("CU2", "copper smelting", "firm"),
             ("SLAGYARD", "", "landfill"), ("MKT", "", "market")]  # fmt: skip
    flows = [("MKT", "CUSM", "copper concentrate", 1_000_000, "t", "product"),
             ("CUSM", "SLAGYARD", "copper slag", 700_000, "t", "by-product")]  # fmt: skip
    table = _table(firms, flows)
    flotation = table[table["pathway"] == "copper-slag-flotation"]
    assert list(flotation["target"]) == ["NEW_SLAG_FLOTATION"]
    firms.append(("SLAGC", "slag beneficiation", "recycling"))
    table = _table(firms, flows)
    assert list(table.loc[table["pathway"] == "copper-slag-flotation", "target"]) == ["SLAGC"]


CO2_TOWN = [("COKE", "coking", "firm"), ("AIR", "", "environment")]
CO2 = ("COKE", "AIR", "CO2", 1_100_000, "t", "emission")


def test_a_satellite_pcc_plant_needs_a_paper_mill():
    """Every CO2 emitter of the three cities got a satellite PCC plant; none has a paper
    mill, the PCC's customer and the plant's host."""
    assert "co2-pcc" not in set(_table(CO2_TOWN, [CO2])["pathway"])
    firms = [*CO2_TOWN, ("PM", "paper mill", "firm"), ("MKT", "", "market")]
    flows = [CO2, ("MKT", "PM", "wood pulp", 200_000, "t", "product")]
    pcc = _table(firms, flows)
    assert list(pcc.loc[pcc["pathway"] == "co2-pcc", "target"]) == [
        "NEW_PRECIPITATED_CALCIUM_CARBONATE"
    ]
