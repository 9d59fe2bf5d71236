"""In-house reuse, kraft lime mud and plasterboard offcuts (tester-parks7 defects 4, 5).

Kalundborg's Gyproc, the one plasterboard plant, was proposed a new plasterboard plant
beside it for its own 5 kt of plasterboard waste (plasterboard-recycling): a source that
runs the row's process (it takes what the stream replaces, natural gypsum) could take its
stream back in-house, and gets no plant of its own sector next door. A TiO2 pigment plant,
of sector ``pigments``, runs no iron-oxide pigment process: its copperas keeps the new
plant. Lime mud is re-burnt in a kraft mill's lime kiln, not at a board mill (the row's
sector was ``paper``). "plasterboard offcuts" was a stream with no known pathway, and
"plasterboard scrap" met fgd-plasterboard (a new FGD-plasterboard plant); a demands.csv
row for a material that streams carry but that no candidate proposes to its firm bounded
nothing, silently.
"""

from __future__ import annotations

import pandas as pd
import pytest

from symbiosis import from_frames
from symbiosis.analysis.opportunities import find_opportunities
from symbiosis.catalogue.sectors import default_sectors
from symbiosis.io.demands import Demand
from symbiosis.taxonomy import default_taxonomy
from symbiosis.vocabulary import material_key

FLOW_COLUMNS = ["source", "target", "material", "quantity", "unit", "category"]


def _network(firms, flows):
    return from_frames(
        pd.DataFrame(firms, columns=["id", "sector", "role"]),
        pd.DataFrame(flows, columns=FLOW_COLUMNS),
    )


def _plasterboard(waste: str = "plasterboard waste", buys: bool = True):
    firms = [("GYP", "plasterboard", "firm"), ("LF", "", "disposal"), ("MKT", "", "market")]
    flows = [("GYP", "MKT", "plasterboard", 200, "kt", "product"),
             ("GYP", "LF", waste, 5, "kt", "waste")]  # fmt: skip
    if buys:
        flows.append(("MKT", "GYP", "natural gypsum", 50, "kt", "product"))
    return _network(firms, flows)


def test_no_new_plant_of_its_own_sector_beside_a_source_that_runs_the_process():
    result = find_opportunities(_plasterboard(), top=10, impact=False)
    table = result.table
    mine = table[table["source"] == "GYP"]
    # its own line takes it back (test_opportunities_in_house_kind), no plant beside it
    assert list(mine["kind"]) == ["in_house"], mine[["kind", "target", "pathway"]]
    assert list(mine["target"]) == ["GYP"]
    assert result.uncovered.empty


def test_a_member_of_the_sector_that_runs_another_process_keeps_the_plant():
    # takes no natural gypsum: nothing says it runs the process (a plaster-products maker)
    table = find_opportunities(_plasterboard(buys=False), top=0, impact=False).table
    rows = table[(table["source"] == "GYP") & (table["pathway"] == "plasterboard-recycling")]
    assert list(rows["kind"]) == ["new_plant"]
    firms = [("ANN", "titanium dioxide (sulfate route)", "firm"), ("MKT", "", "market")]
    flows = [("ANN", "MKT", "copperas", 386, "kt", "by-product"),
             ("MKT", "ANN", "ilmenite", 250, "kt", "product")]  # fmt: skip
    table = find_opportunities(_network(firms, flows), top=0, impact=False).table
    rows = table[table["pathway"] == "copperas-pigment"]
    assert list(rows["kind"]) == ["new_plant"]


def test_another_plant_of_the_sector_is_still_a_new_plant_for_a_stranger():
    # a ready-mix plant's plasterboard waste: Gyproc runs the process, the stream is not its
    firms = [("GYP", "plasterboard", "firm"), ("RMX", "demolition contractor", "firm"),
             ("LF", "", "disposal"), ("MKT", "", "market")]  # fmt: skip
    flows = [("MKT", "GYP", "natural gypsum", 50, "kt", "product"),
             ("RMX", "LF", "plasterboard waste", 5, "kt", "waste")]  # fmt: skip
    table = find_opportunities(_network(firms, flows), top=0, impact=False).table
    rows = table[table["pathway"] == "plasterboard-recycling"]
    assert list(rows["target"]) == ["GYP"]


def test_lime_mud_is_reburnt_at_a_kraft_mill_not_a_board_mill():
    vocabulary = default_sectors()
    assert "kraft pulp" in vocabulary.sectors_of("pulp mill")
    assert "kraft pulp" in vocabulary.sectors_of("kraft pulp mill")
    assert "paper" in vocabulary.sectors_of("kraft pulp mill")  # still a paper-sector firm
    for board in ("paperboard", "board mill", "tissue mill", "paper mill"):
        assert "kraft pulp" not in vocabulary.sectors_of(board), board
    firms = [("SAW", "sawmill", "firm"), ("MB", "paperboard", "firm"),
             ("KM", "kraft pulp mill", "firm"), ("LF", "", "disposal")]  # fmt: skip
    flows = [("SAW", "LF", "lime mud", 6, "kt", "waste")]
    table = find_opportunities(_network(firms, flows), top=0, impact=False).table
    rows = table[table["pathway"] == "lime-mud-reburning"]
    assert list(rows["target"]) == ["KM"]


@pytest.mark.parametrize("name", [
    "plasterboard offcuts", "plasterboard off-cuts", "plasterboard trimmings",
    "plasterboard scrap", "drywall offcuts", "drywall waste", "gypsum board offcuts",
    "gypsum board scrap", "wallboard offcuts", "waste plasterboard", "石膏板边角料",
])  # fmt: skip
def test_plasterboard_offcuts_are_plasterboard_waste(name):
    match = default_taxonomy().resolve(material_key(name))
    assert match is not None and match.material == "plasterboard scrap", match
    firms = [("DEM", "demolition contractor", "firm"), ("LF", "", "disposal")]
    table = find_opportunities(
        _network(firms, [("DEM", "LF", name, 3, "kt", "waste")]), top=0, impact=False
    ).table
    assert set(table["pathway"]) == {"plasterboard-recycling"}, set(table["pathway"])


def test_a_demand_that_no_candidate_meets_is_said():
    firms = [("GYP", "plasterboard", "firm"), ("CEM", "cement", "firm"),
             ("ASN", "power station", "firm"), ("LF", "", "disposal"),
             ("MKT", "", "market")]  # fmt: skip
    # its offcuts sold raw: not proposed back to it (only a disposed stream is, in-house)
    flows = [("MKT", "GYP", "natural gypsum", 50, "kt", "product"),
             ("GYP", "MKT", "plasterboard offcuts", 5, "kt", "by-product"),
             ("ASN", "LF", "fly ash", 40, "kt", "waste")]  # fmt: skip
    network = _network(firms, flows)
    demands = (Demand("GYP", "plasterboard offcuts", (), "mass", 8000.0, "demands.csv", 3),
               Demand("CEM", "fly ash", (), "mass", 30000.0, "demands.csv", 2))  # fmt: skip
    result = find_opportunities(network, top=0, impact=False, demands=demands)
    said = [w for w in result.warnings if "demand row" in w]
    assert len(said) == 1 and "'plasterboard offcuts' for 'GYP'" in said[0], result.warnings
    assert "fly ash" not in said[0]
    quiet = find_opportunities(network, top=0, impact=False, demands=demands[1:])
    assert not [w for w in quiet.warnings if "demand row" in w]
