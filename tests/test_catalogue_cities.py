"""Catalogue rows for the streams of China's resource cities (tester-cities item 16):
Panzhihua's titanium-bearing blast-furnace slag, cobalt-bearing sulfide concentrate and
chlorination residue, Baotou's rare earth tailings, Daqing's pyrolysis gasoline, mixed C4
fraction and drilling cuttings. Each row has a source; the streams, named as the tester
named them, meet their rows and are proposed where the row says."""

from __future__ import annotations

import pandas as pd
import pytest

from symbiosis import from_frames
from symbiosis.analysis.opportunities import find_opportunities
from symbiosis.catalogue import default_catalogue
from symbiosis.vocabulary import material_key

_TI, _CO, _CUT = ("doi:10.3390/ma17246291", "doi:10.3390/pr8020200", "IOGP 2016, Report 557")
ROWS = {  # row: the stream as the tester named it, the receiving sector, a piece of its source
    "tibfs-ticl4": ("titanium-bearing blast furnace slag", "titanium", _TI),
    "ree-tailings-reprocessing": ("rare earth tailings", "mining", "doi:10.3390/app9142913"),
    "co-sulfide-cobalt": ("cobalt-bearing sulfide concentrate", "metal recovery", _CO),
    "pygas-aromatics": ("pyrolysis gasoline", "chemicals", "2017/2117"),
    "c4-butadiene": ("mixed C4 fraction", "chemicals", "Butadiene extraction by BASF"),
    "drill-cuttings-construction": ("drilling cuttings and mud",
                                    "construction and civil engineering", _CUT),
    "drill-cuttings-bricks": ("drilling cuttings and mud", "building materials", _CUT),
    "chlorination-residue-scandium": ("chlorination residue", "metal recovery", "SCALE project"),
}  # fmt: skip


@pytest.mark.parametrize("row", sorted(ROWS))
def test_each_row_is_sourced_and_met_by_the_stream_as_named(row):
    catalogue = default_catalogue()
    pathways = catalogue.pathways.set_index("id")
    material, sector, reference = ROWS[row]
    assert pathways.loc[row, "receiving_sector"] == sector
    assert reference in pathways.loc[row, "source"]
    matched = {int(p) for p, _ in catalogue.match(material_key(material))}
    assert pathways.index.get_loc(row) in matched


def _city(streams):
    firms = pd.DataFrame(
        [("A", "ironmaking and chemicals", "firm"), ("MKT", "", "market"),
         ("DUMP", "", "disposal")],
        columns=["id", "sector", "role"],
    )  # fmt: skip
    flows = pd.DataFrame(
        [("A", "MKT" if sold else "DUMP", material, 100, "kt", "by-product")
         for material, sold in streams],
        columns=["source", "target", "material", "quantity", "unit", "category"],
    )  # fmt: skip
    return from_frames(firms, flows)


def test_the_cities_streams_are_proposed_to_their_new_plants():
    """Titanium from the slag, cobalt from the sulfide concentrate, scandium from the
    chlorination residue, aromatics from pygas and butadiene from the C4 cut: a plant of
    each process; the cuttings to fill and road base, and only to existing brick makers
    (an additive: no brick works is built for them)."""
    network = _city([("titanium-bearing blast furnace slag", False),
                     ("cobalt-bearing sulfide concentrate", True),
                     ("chlorination residue", False), ("pyrolysis gasoline", True),
                     ("mixed C4 fraction", True),
                     ("drilling cuttings and mud", False)])  # fmt: skip
    result = find_opportunities(network, top=0)
    plants = {p.pathways[0]: p for p in result.plants}
    for row in ("tibfs-ticl4", "co-sulfide-cobalt", "chlorination-residue-scandium",
                "pygas-aromatics", "c4-butadiene", "drill-cuttings-construction"):  # fmt: skip
        assert row in plants, row
        assert plants[row].feeds[0]["material"] == ROWS[row][0]
    assert "drill-cuttings-bricks" not in plants


def test_an_ordinary_blast_furnace_slag_meets_no_titanium_row():
    """The titanium row is written for the titanium-bearing slag (22-25 % TiO2): a
    granulated or fluorine-bearing slag is not proposed for TiCl4."""
    network = _city([("granulated blast furnace slag", False),
                     ("fluorine-bearing blast furnace slag", False)])  # fmt: skip
    result = find_opportunities(network, top=0)
    assert "tibfs-ticl4" not in set(result.table["pathway"].dropna())
