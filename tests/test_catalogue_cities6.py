"""Salt-lake and aluminium residues of tester-cities6 (defects 3 and 4): Qarhan's sodium
chloride tailings (尾盐) are salt, not mine tailings; bischofite (MgCl2), old brine (老卤),
the ammonia-soda distiller waste (蒸氨废液) and secondary aluminium dross (二次铝灰) have
sourced catalogue rows (old brine's lithium and boron rows and bischofite's magnesium metal
row, whose sectors came later: tests/test_catalogue_sectors6.py). Names are written plain
or in Chinese only (the reading of "English (中文)" is another helper's)."""

from __future__ import annotations

import pandas as pd
import pytest

from symbiosis import from_frames
from symbiosis.analysis.opportunities import find_opportunities
from symbiosis.catalogue import default_catalogue
from symbiosis.taxonomy import default_taxonomy
from symbiosis.vocabulary import material_key


@pytest.mark.parametrize(
    ("name", "material"),
    [
        ("sodium chloride tailings", "salt tailing"),
        ("尾盐", "salt tailing"),
        ("salt tailings", "salt tailing"),
        ("rock salt tailings", "salt tailing"),  # a salt named before the head
        ("industrial salt", "sodium chloride"),
        ("工业盐", "sodium chloride"),
        ("bischofite", "magnesium chloride"),
        ("水氯镁石", "magnesium chloride"),
        ("old brine", "old brine"),
        ("老卤", "old brine"),
        ("distiller waste", "distiller waste"),
        ("蒸氨废液", "distiller waste"),
        ("secondary aluminium ash", "secondary aluminium dross"),
        ("二次铝灰", "secondary aluminium dross"),  # not aluminium scrap by 铝灰
    ],
)
def test_salt_lake_and_dross_names_resolve_to_their_own_materials(name, material):
    found = default_taxonomy().resolve(name)
    assert found is not None and found.material == material


def test_tailings_still_name_a_mines_tailings():
    taxonomy = default_taxonomy()
    assert taxonomy.resolve("iron ore tailings").material == "tailing"
    assert taxonomy.resolve("铝灰").material == "aluminium scrap"  # the dross itself


ROWS = {  # row: names the stream is given, the receiving sector, a piece of its source
    "bischofite-mg-hydroxide": (("bischofite", "水氯镁石", "magnesium chloride"), "chemicals",
                                "Magnesium Compounds"),
    "bischofite-magnesia": (("bischofite", "氯化镁"), "chemicals", "Ullmann's"),
    "bischofite-deicing": (("bischofite",), "construction and civil engineering",
                           "GB/T 23851-2017"),
    "distiller-waste-cacl2": (("distiller waste", "蒸氨废液"), "chemicals",
                              "doi:10.1016/j.jclepro.2007.04.005"),
    "secondary-dross-cement": (("secondary aluminium ash", "二次铝灰"), "cement",
                               "Resour. Conserv. Recycl. 130:95-108"),
    "secondary-dross-refractory": (("secondary aluminium ash", "二次铝灰"), "ceramics",
                                   "doi:10.3969/j.issn.1007-7545.2020.09.014"),
    "secondary-dross-alum": (("secondary aluminium ash",), "chemicals",
                             "doi:10.1016/j.psep.2023.01.010"),
}  # fmt: skip


@pytest.mark.parametrize("row", sorted(ROWS))
def test_each_row_is_sourced_and_met_by_the_stream_as_named(row):
    catalogue = default_catalogue()
    pathways = catalogue.pathways.set_index("id")
    names, sector, reference = ROWS[row]
    assert pathways.loc[row, "receiving_sector"] == sector
    assert reference in pathways.loc[row, "source"]
    for name in names:
        matched = {int(p) for p, _ in catalogue.match(material_key(name))}
        assert pathways.index.get_loc(row) in matched, name


def test_the_dross_kiln_row_is_an_additive_bound_with_the_correctives():
    pathways = default_catalogue().pathways.set_index("id")
    assert pathways.loc["secondary-dross-cement", "role"] == "additive"
    assert float(pathways.loc["secondary-dross-cement", "max_share"]) == pytest.approx(0.075)
    assert "0.06 %" in pathways.loc["secondary-dross-cement", "notes"]  # chloride, GB 175


def _table(firms, flows) -> pd.DataFrame:
    network = from_frames(
        pd.DataFrame(firms, columns=["id", "sector", "role"]),
        pd.DataFrame(flows, columns=["source", "target", "material", "quantity", "unit",
                                     "category"]),
    )  # fmt: skip
    return find_opportunities(network, top=0, impact=False).table


FIRMS = [("POTASH", "potash fertilizer (KCl)", "firm"), ("CEM", "cement", "firm"),
         ("SODA", "soda ash", "firm"), ("CA", "chlor-alkali", "firm"),
         ("MG", "magnesium metal (electrolytic)", "firm"), ("AL", "aluminium smelter", "firm"),
         ("MKT", "", "market"), ("DUMP", "", "dump"), ("LAKE", "", "lake"),
         ("HWL", "", "hazardous waste landfill")]  # fmt: skip


@pytest.mark.parametrize("name", ["sodium chloride tailings", "尾盐"])
def test_salt_tailings_go_to_the_salt_buyers_not_to_the_kiln_or_tailings_plants(name):
    """The soda-ash and chlor-alkali plants buy industrial salt; the cement works is no
    receiver (chloride), and no tailings backfill, block, sand or reprocessing plant is
    proposed. Before, the stream met tailings-cement and four tailings new plants."""
    flows = [("MKT", "SODA", "industrial salt", 2000, "kt", "product"),
             ("MKT", "CA", "工业盐", 500, "kt", "product"),
             ("MKT", "CEM", "limestone", 600, "kt", "product"),
             ("POTASH", "DUMP", name, 13000, "kt", "waste")]  # fmt: skip
    table = _table(FIRMS, flows)
    assert not table["pathway"].fillna("").str.startswith("tailings").any()
    assert "CEM" not in set(table["target"])
    assert {"SODA", "CA"} <= set(table["target"])


def test_the_qarhan_residues_get_their_plants_and_receivers():
    """Bischofite to new Mg(OH)2, magnesia and de-icing plants; distiller waste (m3) to a
    new calcium chloride plant; secondary aluminium ash (hazardous) to the kiln as an
    additive (no new kiln) and a new refractory plant, never to aluminium remelting.
    Before, distiller waste and the dross were left uncovered and bischofite had no row."""
    flows = [("MKT", "CEM", "limestone", 600, "kt", "product"),
             ("POTASH", "LAKE", "bischofite", 30000, "kt", "waste"),
             ("SODA", "DUMP", "distiller waste", 13, "Mm3", "waste"),
             ("AL", "HWL", "secondary aluminium ash", 13.5, "kt", "hazardous waste"),
             ("AL", "HWL", "二次铝灰", 5, "kt", "hazardous waste")]  # fmt: skip
    table = _table(FIRMS, flows)

    def at(row):
        rows = table[table["pathway"] == row]
        return set(rows["target"]), set(rows["kind"])

    for row in (
        "bischofite-mg-hydroxide",
        "bischofite-magnesia",
        "bischofite-deicing",
        "distiller-waste-cacl2",
        "secondary-dross-refractory",
    ):
        assert at(row)[1] == {"new_plant"}, row
    assert at("secondary-dross-cement") == ({"CEM"}, {"new_link"})
    dross = table[table["material"].isin(["secondary aluminium ash", "二次铝灰"])]
    assert set(dross["source"]) == {"AL"} and len(set(dross["material"])) == 2
    assert not dross["pathway"].isin(["dross-aluminium", "aluminium-scrap"]).any()
    assert "AL" not in set(dross["target"])
