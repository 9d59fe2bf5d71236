"""Nickel scrap to a stainless melt shop (helpers' note27): the stainless industry is the
largest user of nickel units from scrap, yet nickel scrap went only to a nickel refinery,
new if none was near, never to an EAF-AOD stainless shop that buys ferronickel. The row
``nickel-scrap-stainless`` (an additive of the new ``stainless steelmaking`` sector)
sends it there; a carbon-steel mini mill, for which nickel is a tramp element, is offered
none (docs/opportunities.md, "The catalogue")."""

from __future__ import annotations

import pandas as pd
import pytest

from symbiosis import from_frames
from symbiosis.analysis.opportunities import find_opportunities
from symbiosis.catalogue import load_catalogue

COLUMNS = ["source", "target", "material", "quantity", "unit", "category"]


def _table(stainless: str) -> pd.DataFrame:
    """A machine shop landfills nickel scrap; a stainless shop of ``stainless`` buys
    ferronickel and stainless scrap and makes 1 Mt of slab; a mini mill melts steel
    scrap into rebar."""
    firms = [("FAB", "machinery", "firm"), ("SS", stainless, "firm"),
             ("MM", "electric arc furnace mini mill", "firm"),
             ("MKT", "", "market"), ("LF", "", "landfill")]  # fmt: skip
    flows = [("FAB", "LF", "镍废料", 2, "kt", "waste"),
             ("FAB", "LF", "nickel alloy scrap", 1, "kt", "waste"),
             ("MKT", "SS", "ferronickel", 100, "kt", "product"),
             ("MKT", "SS", "stainless steel scrap", 400, "kt", "product"),
             ("SS", "MKT", "stainless steel slab", 1000, "kt", "product"),
             ("MKT", "MM", "steel scrap", 500, "kt", "product"),
             ("MM", "MKT", "rebar", 450, "kt", "product")]  # fmt: skip
    network = from_frames(pd.DataFrame(firms, columns=["id", "sector", "role"]),
                          pd.DataFrame(flows, columns=COLUMNS))  # fmt: skip
    return find_opportunities(network, top=0, impact=False).table


@pytest.mark.parametrize(
    "stainless",
    ["stainless steel", "EAF-AOD stainless steel melt shop", "不锈钢冶炼", "不锈钢厂",
     "stainless steelmaking"],
)  # fmt: skip
def test_nickel_scrap_goes_to_the_stainless_melt_shop(stainless):
    table = _table(stainless)
    for name in ("镍废料", "nickel alloy scrap"):
        rows = table[(table["material"] == name) & (table["pathway"] == "nickel-scrap-stainless")]
        assert list(rows["target"]) == ["SS"], table[["material", "target", "pathway"]]
        assert set(rows["kind"]) <= {"new_link", "redirect"}
        assert (rows["quantity"] > 0).all()
    assert "MM" not in set(table["target"])  # nickel is a tramp element in carbon steel


def test_the_row_is_an_additive_bounded_by_the_grades_nickel_and_sourced():
    rows = load_catalogue().pathways.set_index("id")
    row = rows.loc["nickel-scrap-stainless"]
    assert row["receiving_sector"] == "stainless steelmaking"
    assert row["role"] == "additive"
    assert 0 < row["share"] <= 0.14
    assert "Nickel Institute" in row["source"]
