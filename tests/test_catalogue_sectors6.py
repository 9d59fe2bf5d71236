"""The salt-lake sectors of tester-cities6 and the aluminium rows' receivers.

Magnesium metal, lithium carbonate and boron chemicals are sectors of ``sectors.csv``, so
that bischofite's magnesium metal row and old brine's lithium and boron rows (held back
while their sectors were missing) reach Qarhan's magnesium and lithium plants as Chinese
and English sources name them, and no chlor-alkali or magnesium compounds plant. Surplus
electricity goes to the potlines, anode butts to an anode plant, neither to a foil mill or
a remelter. A smelter whose alumina is written "alumina (氧化铝)" takes alumina: it is
bounded as its peers buying "alumina" are (Baise's SM_HL had room for 500 kt more)."""

from __future__ import annotations

import pandas as pd
import pytest

from symbiosis import from_frames
from symbiosis.analysis.opportunities import find_opportunities
from symbiosis.catalogue import default_catalogue
from symbiosis.catalogue.sectors import default_sectors
from symbiosis.vocabulary import material_key

SECTOR_TEXTS = [  # a firm's sector text, as sources write it: the sector it is of
    ("magnesium metal (electrolytic)", "magnesium metal"),
    ("金属镁", "magnesium metal"),
    ("镁冶炼厂", "magnesium metal"),
    ("府谷 硅热法炼镁", "magnesium metal"),  # Pidgeon (silicothermic) smelters of Fugu
    ("Pidgeon magnesium plant", "magnesium metal"),
    ("primary magnesium smelter", "magnesium metal"),
    ("碳酸锂 lithium carbonate from brine", "lithium carbonate"),
    ("lithium carbonate (adsorption)", "lithium carbonate"),
    ("盐湖提锂", "lithium carbonate"),
    ("lithium salts", "lithium carbonate"),
    ("boric acid", "boron chemical"),
    ("硼酸厂", "boron chemical"),
    ("borax", "boron chemical"),
    ("硼化工", "boron chemical"),
]


@pytest.mark.parametrize(("text", "sector"), SECTOR_TEXTS)
def test_salt_lake_plants_are_of_their_own_sectors_only(text, sector):
    assert default_sectors().sectors_of(text) == {sector}


@pytest.mark.parametrize(
    "text",
    ["magnesium hydroxide", "magnesium compounds", "magnesium metal scrap processing",
     "lithium battery recycling", "lithium-ion battery manufacturing", "chlor-alkali",
     "烧碱 chlor-alkali", "potassium chloride production"],
)  # fmt: skip
def test_other_plants_are_not_of_them(text):
    found = default_sectors().sectors_of(text)
    assert not found & {"magnesium metal", "lithium carbonate", "boron chemical"}, found


ROWS = {  # row: names the stream is given, the receiving sector, a piece of its source
    "bischofite-mg-metal": (("bischofite", "水氯镁石", "氯化镁"), "magnesium metal",
                            "174328509X431427"),
    "old-brine-lithium": (("old brine", "老卤"), "lithium carbonate",
                          "doi:10.1016/j.desal.2024.117659"),
    "old-brine-boron": (("old brine", "老卤"), "boron chemicals", "48(10):20"),
}  # fmt: skip


@pytest.mark.parametrize("row", sorted(ROWS))
def test_the_held_back_rows_are_back_sourced_and_met(row):
    catalogue = default_catalogue()
    pathways = catalogue.pathways.set_index("id")
    names, sector, reference = ROWS[row]
    assert pathways.loc[row, "receiving_sector"] == sector
    assert reference in pathways.loc[row, "source"]
    for name in names:
        matched = {int(p) for p, _ in catalogue.match(material_key(name))}
        assert pathways.index.get_loc(row) in matched, name


def _table(firms, flows) -> pd.DataFrame:
    network = from_frames(
        pd.DataFrame(firms, columns=["id", "sector", "role"]),
        pd.DataFrame(flows, columns=["source", "target", "material", "quantity", "unit",
                                     "category"]),
    )  # fmt: skip
    return find_opportunities(network, top=0, impact=False).table


QARHAN = [("POTASH", "氯化钾 potash fertilizer (KCl)", "firm"),
          ("LI", "碳酸锂 lithium carbonate from brine", "firm"),
          ("LI2", "lithium carbonate (adsorption)", "firm"),
          ("MG", "magnesium metal (electrolytic)", "firm"),
          ("CA", "烧碱 chlor-alkali", "firm"), ("SODA", "纯碱 soda ash", "firm"),
          ("MKT", "", "market"), ("LAKE", "", "lake")]  # fmt: skip


def test_qarhan_bischofite_and_old_brine_reach_their_plants_by_the_rows():
    """As on the tester's Golmud: bischofite to the magnesium plant by its catalogue row
    (before, by network evidence only), old brine to both lithium plants by
    old-brine-lithium and to a new boric acid plant; neither to the chlor-alkali or soda
    ash plant."""
    flows = [("POTASH", "MG", "bischofite (水氯镁石)", 400, "kt", "by-product"),
             ("POTASH", "LAKE", "bischofite (水氯镁石)", 30000, "kt", "waste"),
             ("POTASH", "LI", "old brine (老卤)", 20, "Mm3", "by-product"),
             ("POTASH", "LAKE", "old brine", 100, "Mm3", "waste"),
             ("SODA", "LI", "soda ash", 30, "kt", "product"),
             ("MKT", "CA", "industrial salt", 500, "kt", "product"),
             ("MG", "MKT", "magnesium metal", 10, "kt", "product"),
             ("LI", "MKT", "lithium carbonate", 13.6, "kt", "product"),
             ("LI2", "MKT", "lithium carbonate", 7, "kt", "product")]  # fmt: skip
    table = _table(QARHAN, flows)

    def at(row):
        rows = table[table["pathway"] == row]
        return set(rows["target"]), set(rows["kind"])

    assert at("bischofite-mg-metal")[0] == {"MG"}
    assert at("old-brine-lithium")[0] == {"LI", "LI2"}
    assert at("old-brine-boron")[1] == {"new_plant"}
    brine = table[table["material"].str.contains("brine|bischofite")]
    assert not set(brine["target"]) & {"CA", "SODA"}


ALUMINIUM = [("SM", "electrolytic aluminium", "firm"), ("FOIL", "aluminium foil", "firm"),
             ("SCRAP", "secondary aluminium", "firm"),
             ("ANODE", "预焙阳极 carbon anode production", "firm"),
             ("SRC", "mixed industry", "firm"), ("LF", "", "disposal"),
             ("MKT", "", "market")]  # fmt: skip


def test_the_aluminium_rows_go_to_the_plants_that_use_them():
    """Surplus electricity to the smelter's potlines, anode butts to the anode plant;
    neither to the foil mill or the remelter (all were receivers of ``aluminium``); scrap
    and dross stay rows of every aluminium plant."""
    pathways = default_catalogue().pathways.set_index("id")
    assert pathways.loc["elec-aluminium", "receiving_sector"] == "aluminium smelting"
    assert pathways.loc["anode-butts", "receiving_sector"] == "carbon products"
    for row in ("aluminium-scrap", "dross-aluminium"):
        assert pathways.loc[row, "receiving_sector"] == "aluminium"
    flows = [("MKT", "SM", "alumina", 965, "kt", "product"),
             ("ANODE", "SM", "prebaked anodes", 250, "kt", "product"),
             ("MKT", "ANODE", "petroleum coke", 520, "kt", "product"),
             ("MKT", "FOIL", "aluminium ingot", 150, "kt", "product"),
             ("MKT", "SCRAP", "aluminium scrap", 50, "kt", "product"),
             ("MKT", "SM", "electricity", 6000, "GWh", "product"),
             ("MKT", "FOIL", "electricity", 100, "GWh", "product"),
             ("MKT", "SCRAP", "electricity", 50, "GWh", "product"),
             ("SM", "LF", "anode butts", 45, "kt", "waste"),
             ("SRC", "LF", "surplus electricity", 100, "GWh", "waste")]  # fmt: skip
    table = _table(ALUMINIUM, flows)
    butts = table[table["pathway"] == "anode-butts"]
    power = table[table["pathway"] == "elec-aluminium"]
    assert set(butts["target"]) == {"ANODE"}
    assert set(power["target"]) == {"SM"}


def test_a_smelter_buying_alumina_in_two_scripts_is_bounded_as_its_peers():
    """Two smelters making 500 kt of aluminium from 965 kt of alumina each, one buying it
    as "alumina (氧化铝)": neither has room for the alumina sold (before, the one whose
    feed was written in two scripts took none of alumina, and had 500 kt of room)."""
    firms = [("AL", "alumina refinery", "firm"), ("SM", "电解铝 electrolytic aluminium", "firm"),
             ("SM2", "aluminium smelter", "firm"), ("MKT", "", "market")]  # fmt: skip
    flows = [("AL", "SM", "alumina (氧化铝)", 965, "kt", "product"),
             ("AL", "SM2", "alumina", 965, "kt", "product"),
             ("AL", "MKT", "alumina", 1035, "kt", "product"),
             ("SM", "MKT", "aluminium ingot", 500, "kt", "product"),
             ("SM2", "MKT", "aluminium ingot", 500, "kt", "product")]  # fmt: skip
    table = _table(firms, flows)
    rows = table[table["pathway"] == "alumina-smelting"]
    assert set(rows["target"]) == {"SM", "SM2"}
    assert rows["capacity"].tolist() == pytest.approx([0.0, 0.0])
