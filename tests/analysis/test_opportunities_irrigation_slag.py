"""Two rankings of tester-bioports14 defect 7.

(b) A pulp mill's treated effluent in Central Finland was proposed first to "a new
agriculture plant: irrigation", before the water reclamation plant and the board mill next
door: irrigation with reclaimed water is a practice of dry regions (Regulation (EU)
2020/741 lets a member state rule it out for its geographic and climatic conditions, Art.
2(2)), which a network does not describe. Its rows' condition now says "where irrigation
water is in demand", and a row of such a condition ranks after the stream's other
pathways, as a row that follows another does.

(c) Kawasaki's steel slag went to the cement works before the granulated blast furnace
slag it already takes, both capped at the works' room: of one size and one maturity, they
were ordered by material key. Steel slag is no longer an established constituent of cement
(GB 175-2023 drops it from common Portland cement; EN 197-1 and JIS R 5211 never took
it): steel-slag-cement is demonstrated, so the blast furnace slag comes first.
"""

from __future__ import annotations

import pandas as pd
import pytest

from symbiosis import from_frames
from symbiosis.analysis.opportunities import find_opportunities
from symbiosis.catalogue import load_catalogue

COLUMNS = ["source", "target", "material", "quantity", "unit", "category"]


def mill_town():
    """A kraft pulp mill sending 2 Mm3 of treated effluent to the river, a paper mill
    beside it taking 1.5 Mm3 of river water."""
    firms = pd.DataFrame(
        [("PULP", "pulp mill", "firm", 61.0, 25.0), ("PAPER", "paper", "firm", 61.002, 25.0),
         ("WOOD", "", "market", None, None), ("RIVER", "", "environment", None, None),
         ("WATER", "", "market", None, None), ("MKT", "", "market", None, None)],
        columns=["id", "sector", "role", "lat", "lon"],
    )  # fmt: skip
    flows = pd.DataFrame(
        [("WOOD", "PULP", "pulpwood", 500_000, "t", "product"),
         ("PULP", "PAPER", "pulp", 200_000, "t", "product"),
         ("PULP", "RIVER", "treated effluent", 2_000_000, "m3", "emission"),
         ("WATER", "PAPER", "fresh water", 1_500_000, "m3", "product"),
         ("PAPER", "MKT", "paper", 210_000, "t", "product")],
        columns=COLUMNS,
    )  # fmt: skip
    return from_frames(firms, flows)


def _pathway(row) -> str | None:
    return row.evidence[0].get("id") if row.evidence else None


def test_irrigation_ranks_after_the_reuse_by_industry_next_door():
    result = find_opportunities(mill_town(), top=50, table=True)
    effluent = [o for o in result.listed if o.material == "treated effluent"]
    order = [_pathway(o) for o in effluent]
    assert "effluent-irrigation" in order and "effluent-paper" in order
    assert order.index("effluent-paper") < order.index("effluent-irrigation")
    assert order.index("effluent-reclamation") < order.index("effluent-irrigation")
    assert order[-1] == "effluent-irrigation"
    irrigation = effluent[order.index("effluent-irrigation")]
    assert irrigation.evidence[0]["condition"].startswith("where irrigation water is in demand")


def test_a_condition_of_a_place_ranks_a_users_row_last(tmp_path):
    """A user's row whose condition begins with "where" (a place or climate the network
    does not describe) ranks after the stream's other pathways; without it, first."""
    header = "id,material,receiving_sector,product,maturity,source,dimension,condition\n"
    row = ("effluent-snowmaking,treated effluent,agriculture,artificial snow,established,"
           "a ski resort's report,volume,{}\n")  # fmt: skip
    for condition, last in (("where winters are cold enough", True), ("", False)):
        path = tmp_path / f"own{int(last)}.csv"
        path.write_text(header + row.format(condition), encoding="utf-8")
        catalogue = load_catalogue(path)
        own = catalogue.pathways["id"] == "effluent-snowmaking"
        assert bool(catalogue.regional[own.to_numpy()][0]) is last
        result = find_opportunities(mill_town(), top=50, table=True, catalogue=catalogue)
        order = [_pathway(o) for o in result.listed if o.material == "treated effluent"]
        # with a place named, after the others, with irrigation (the earlier row); else
        # among the others, before irrigation
        assert (order.index("effluent-snowmaking") > order.index("effluent-irrigation")) is last


@pytest.mark.parametrize(
    ("bfs", "steel"),
    [("granulated blast furnace slag", "converter slag"), ("blast furnace slag", "steel slag")],
)
def test_blast_furnace_slag_before_steel_slag_of_one_size_to_cement(bfs, steel):
    firms = pd.DataFrame(
        [("STEEL", "iron and steel", "firm"), ("CEM", "cement", "firm"),
         ("IMP", "", "market"), ("MKT", "", "market")],
        columns=["id", "sector", "role"],
    )  # fmt: skip
    flows = pd.DataFrame(
        [("IMP", "STEEL", "iron ore", 3_000, "kt", "product"),
         ("STEEL", "MKT", "steel", 2_000, "kt", "product"),
         ("STEEL", "CEM", bfs, 300, "kt", "by-product"),
         ("STEEL", "MKT", bfs, 400, "kt", "by-product"),
         ("STEEL", "MKT", steel, 400, "kt", "by-product"),
         ("IMP", "CEM", "clinker", 700, "kt", "product"),
         ("CEM", "MKT", "cement", 1_000, "kt", "product")],
        columns=COLUMNS,
    )  # fmt: skip
    result = find_opportunities(from_frames(firms, flows), top=50, table=True)
    to_cement = [o for o in result.listed if o.target == "CEM"]
    assert [o.material for o in to_cement[:2]] == [bfs, steel]
    assert to_cement[0].quantity == to_cement[1].quantity  # one size: the tie the order breaks
    assert to_cement[1].maturity == "demonstrated"
