"""Carbon recovery is for the fine gasification slag (tester-cities5 #10): Ordos' coal
chemical plants sent their coarse and unspecified gasification slag, 300-800 kt at a time,
to the coal washing plants as residual-carbon flotation feed. Only the fine slag (the black
water's filter cake and fly ash, 20-30 % unburnt carbon) is worth it; the coarse slag (a
few % carbon, most of the slag) goes to building materials, roads and backfill."""

from __future__ import annotations

import pandas as pd
import pytest

from symbiosis import from_frames
from symbiosis.analysis.opportunities import find_opportunities
from symbiosis.taxonomy import default_taxonomy

FINE = ["fine gasification slag", "gasification fine slag", "coal gasification fine slag",
        "gasifier fine slag", "气化细渣", "煤气化细渣"]  # fmt: skip
NOT_FINE = ["coarse gasification slag", "gasification coarse slag", "gasification slag",
            "coal gasification slag", "气化粗渣", "气化渣", "gasifier coarse slag"]  # fmt: skip


@pytest.fixture(scope="module")
def table() -> pd.DataFrame:
    firms = pd.DataFrame(
        [("CTL", "coal to liquids", "firm"), ("WASH", "coal preparation plant", "firm"),
         ("CEM", "cement", "firm"), ("BRICK", "building materials; bricks", "firm"),
         ("MKT", "", "market"), ("LF", "", "disposal")],
        columns=["id", "sector", "role"],
    )  # fmt: skip
    flows = pd.DataFrame(
        [("MKT", "WASH", "raw coal", 16, "Mt", "product"),
         ("MKT", "CEM", "clay", 300, "kt", "product"),
         *[("CTL", "LF", name, 100, "kt", "waste") for name in FINE + NOT_FINE]],
        columns=["source", "target", "material", "quantity", "unit", "category"],
    )  # fmt: skip
    return find_opportunities(from_frames(firms, flows), top=0, impact=False).table


def _pathways(table: pd.DataFrame, name: str) -> set[str]:
    return set(table[table["material"] == name]["pathway"].dropna())


@pytest.mark.parametrize("name", FINE)
def test_the_fine_slag_goes_to_carbon_recovery(table, name):
    assert "gasification-slag-carbon" in _pathways(table, name)
    taker = table[(table["material"] == name) & (table["pathway"] == "gasification-slag-carbon")]
    assert set(taker["target"]) == {"WASH"}


@pytest.mark.parametrize("name", NOT_FINE)
def test_a_coarse_or_unspecified_slag_goes_to_building_materials_not_flotation(table, name):
    met = _pathways(table, name)
    assert "gasification-slag-carbon" not in met
    assert {"gasification-slag-cement", "gasification-slag-blocks"} <= met


def test_the_grades_resolve_apart_in_one_family():
    taxonomy = default_taxonomy()
    fine = {taxonomy.resolve(n).material for n in FINE}
    coarse = {taxonomy.resolve(n).material for n in NOT_FINE}
    assert fine == {"coal gasification fine slag"}
    assert coarse == {"coal gasification slag"}
    assert {taxonomy.resolve(n).family for n in FINE + NOT_FINE} == {"coal gasification slag"}
    assert not taxonomy.interchangeable("coal gasification fine slag")
