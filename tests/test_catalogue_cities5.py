"""Catalogue rows for the streams of tester-cities5's coal, oil and forest cities (wish 1):
lime mud re-burnt in the kraft mill's lime kiln, spent mushroom substrate as biomass fuel,
petroleum coke to calcining for anodes and as CFB and kiln fuel, rubber scrap and waste
polymer by their names. Each row has a source; the streams, named as the tester named
them, meet their rows and are proposed where the row says."""

from __future__ import annotations

import pandas as pd
import pytest

from symbiosis import from_frames
from symbiosis.analysis.opportunities import find_opportunities
from symbiosis.catalogue import default_catalogue
from symbiosis.vocabulary import material_key

ROWS = {  # row: the stream as the tester named it, the receiving sector, a piece of its source
    "lime-mud-reburning": ("lime mud", "kraft pulp", "Tran & Vakkilainen 2008"),
    "sms-biomass-fuel": ("spent mushroom substrate", "power generation", "apj.5500110205"),
    "petcoke-calcining": ("petroleum coke", "carbon products", "JOM 67(2)"),
    "petcoke-cfb": ("petroleum coke", "power generation", "Fuel 83(10)"),
    "petcoke-kiln": ("petroleum coke", "cement", "BREF Production of Cement"),
    "rubber-scrap-reclaim": ("rubber scrap", "tyre recycling", "doi:10.3390/ma13030782"),
    "rubber-scrap-kiln": ("rubber scrap", "cement", "GB 30485-2013"),
    "plastics-recycling": ("waste polymer", "plastics recycling", "EN 15342"),
    "coke-breeze-sinter": ("coke breeze", "ironmaking", "BREF Iron and Steel"),
}


@pytest.mark.parametrize("row", sorted(ROWS))
def test_each_row_is_sourced_and_met_by_the_stream_as_named(row):
    catalogue = default_catalogue()
    pathways = catalogue.pathways.set_index("id")
    material, sector, reference = ROWS[row]
    assert pathways.loc[row, "receiving_sector"] == sector
    assert reference in pathways.loc[row, "source"]
    matched = {int(p) for p, _ in catalogue.match(material_key(material))}
    assert pathways.index.get_loc(row) in matched


def _table(firms, flows) -> pd.DataFrame:
    network = from_frames(
        pd.DataFrame(firms, columns=["id", "sector", "role"]),
        pd.DataFrame(flows, columns=["source", "target", "material", "quantity", "unit",
                                     "category"]),
    )  # fmt: skip
    return find_opportunities(network, top=0, impact=False).table


def test_the_forest_and_oil_cities_streams_go_where_their_rows_say():
    """Lime mud to the kraft mill's lime kiln (an existing mill: no mill is built for
    it), spent mushroom substrate to the biomass power plant's boilers (a fuel), the
    refinery's petroleum coke to a new calciner and to the power plant and the kiln as a
    fuel, rubber scrap to a crumb and reclaim plant."""
    firms = [("REC", "alkali recovery", "firm"), ("KRAFT", "kraft mill", "firm"),
             ("FUNGUS", "mushroom cultivation", "firm"), ("BIOPP", "biomass power plant", "firm"),
             ("REF", "petroleum refinery", "firm"), ("CEM", "cement", "firm"),
             ("TYRE", "tyre manufacturing", "firm"), ("MKT", "", "market"),
             ("LF", "", "disposal")]  # fmt: skip
    flows = [("MKT", "KRAFT", "quicklime", 3, "kt", "product"),
             ("MKT", "BIOPP", "wood chips", 200, "kt", "product"),
             ("MKT", "CEM", "coal", 300, "kt", "product"),
             ("REC", "LF", "lime mud", 20, "kt", "waste"),
             ("FUNGUS", "LF", "spent mushroom substrate", 16, "kt", "waste"),
             ("REF", "MKT", "petroleum coke", 450, "kt", "by-product"),
             ("TYRE", "LF", "rubber scrap", 4, "kt", "waste")]  # fmt: skip
    table = _table(firms, flows)

    def at(row):
        rows = table[table["pathway"] == row]
        return set(rows["target"]), set(rows["kind"])

    # the alkali recovery plant re-burns its own in its lime kiln (in-house), the kraft
    # mill buying quicklime the rest
    assert at("lime-mud-reburning") == ({"REC", "KRAFT"}, {"in_house", "redirect"})
    assert at("sms-biomass-fuel") == ({"BIOPP"}, {"new_link"})  # a fuel: no new plant
    assert at("petcoke-calcining")[1] == {"new_plant"}
    assert at("petcoke-kiln") == ({"CEM"}, {"redirect"})
    assert "new_plant" in at("rubber-scrap-reclaim")[1]
    kraft = table[(table["pathway"] == "lime-mud-reburning") & (table["target"] == "KRAFT")]
    assert kraft["quantity"].tolist() == pytest.approx([3000 / 0.4])  # the quicklime it replaces


def test_coke_breeze_meets_no_petroleum_coke_row():
    """The taxonomy reads petroleum coke and coke breeze as one coke: the breeze has a row
    of its own (the sinter plant's fuel), so no calciner is proposed for it."""
    firms = [("COKE", "coking", "firm"), ("SINTER", "sinter plant", "firm"),
             ("ANODE", "carbon anodes", "firm"), ("LF", "", "disposal")]  # fmt: skip
    flows = [("COKE", "LF", "coke breeze", 90, "kt", "by-product")]
    table = _table(firms, flows)
    met = set(table["pathway"].dropna())
    assert "coke-breeze-sinter" in met
    assert not {p for p in met if p.startswith("petcoke")}
    assert "ANODE" not in set(table["target"])
