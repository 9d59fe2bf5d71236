"""Physically wrong matches found on held-out parks (tester-real items 3 and 4), on
small networks of the same make: a rolling mill offered slag as sinter flux."""

from __future__ import annotations

import pandas as pd

from symbiosis import from_frames
from symbiosis.analysis.opportunities import count_opportunities, find_opportunities

COLUMNS = ["source", "target", "material", "quantity", "unit", "category"]


def _table(firms: list[tuple[str, str, str]], flows: list[tuple]) -> pd.DataFrame:
    network = from_frames(pd.DataFrame(firms, columns=["id", "sector", "role"]),
                          pd.DataFrame(flows, columns=COLUMNS))  # fmt: skip
    result = find_opportunities(network, top=0, impact=False)
    assert len(result.table) == count_opportunities(network)  # the same candidates
    return result.table


def _targets(table: pd.DataFrame, source: str, pathway: str) -> set[str]:
    return set(table[(table["source"] == source) & (table["pathway"] == pathway)]["target"])


def test_steel_slag_as_flux_goes_to_the_sinter_plant_and_blast_furnace_not_the_rolling_mill():
    """Jingtang: "new_link BOF slag -> ROLL" through steel-slag-sinter ("flux recycled to
    sinter plant and blast furnace"); the sinter plant, which takes BOF slag already, was
    no iron and steel firm."""
    firms = [("SINTER", "sintering", "firm"), ("BF", "ironmaking", "firm"),
             ("BOF", "steelmaking", "firm"), ("ROLL", "steel rolling", "firm"),
             ("MKT", "", "market"), ("LF", "", "disposal")]  # fmt: skip
    flows = [("MKT", "SINTER", "iron ore fines", 14, "Mt", "product"),
             ("SINTER", "BF", "sinter", 14, "Mt", "product"),
             ("BF", "BOF", "hot metal", 9, "Mt", "product"),
             ("BOF", "SINTER", "BOF slag", 400, "kt", "by-product"),
             ("BOF", "LF", "BOF slag", 700, "kt", "waste"),
             ("BOF", "ROLL", "steel slab", 9.7, "Mt", "product"),
             ("ROLL", "MKT", "hot rolled coil", 9.2, "Mt", "product")]  # fmt: skip
    table = _table(firms, flows)
    assert _targets(table, "BOF", "steel-slag-sinter") == {"SINTER", "BF"}
    assert "ROLL" not in set(table[table["source"] == "BOF"]["target"])
    # an iron and steel works named as a whole may take it (no finer sector given)
    firms[-3] = ("WORKS", "iron and steel", "firm")
    flows = [f for f in flows if "ROLL" not in f]
    assert "WORKS" in _targets(_table(firms, flows), "BOF", "steel-slag-sinter")
