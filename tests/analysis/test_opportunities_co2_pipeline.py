"""A pure-CO2 pipeline (tester-oilports13 defect 3, on a small hand-built network after
Rotterdam's OCAP): it takes a hydrogen unit's and a bioethanol plant's CO2 and supplies the
greenhouses. Flue gas and a refinery's CO2 are no expansion of what it takes and come after
the pure sources, of no size presented; the greenhouses' own exhaust is never proposed back
to the pipeline that supplies them, nor any stream to the actor that supplies its source
with that material."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from symbiosis import from_frames
from symbiosis.analysis.opportunities import find_opportunities

FIRMS = ["id", "name", "sector", "role", "lat", "lon"]
COLUMNS = ["source", "target", "material", "quantity", "unit", "category"]
PORT = [
    ("REF", "Refinery", "petroleum refining", "firm", 51.88, 4.39),
    ("H2", "Hydrogen unit", "hydrogen production", "firm", 51.885, 4.38),
    ("ETH", "Bioethanol plant", "bioethanol", "firm", 51.95, 4.13),
    ("PIPE", "CO2 pipeline", "CO2 transport and distribution", "utility", 51.93, 4.3),
    ("GH", "Greenhouses", "greenhouse horticulture", "farm", 52.0, 4.25),
    ("SMR", "Gas company SMR", "industrial gases", "firm", 51.87, 4.28),
    ("CB", "Carbon black plant", "carbon black", "firm", 51.87, 4.3),
    ("MKT", "market", "", "market", None, None),
    ("AIR", "atmosphere", "", "environment", None, None),
]  # fmt: skip
FLOWS = [
    ("MKT", "REF", "crude oil", 10, "Mt", "product"),
    ("REF", "AIR", "CO2", 4, "Mt", "emission"),
    ("MKT", "H2", "natural gas", 300, "kt", "product"),
    ("H2", "PIPE", "high-purity CO2", 400, "kt", "by-product"),
    ("MKT", "ETH", "wheat", 900, "kt", "product"),
    ("ETH", "PIPE", "fermentation CO2", 300, "kt", "by-product"),
    ("PIPE", "GH", "CO2", 600, "kt", "by-product"),
    ("MKT", "GH", "natural gas", 200, "kt", "product"),
    ("GH", "AIR", "CO2", 550, "kt", "emission"),
    ("MKT", "SMR", "natural gas", 250, "kt", "product"),
    ("SMR", "AIR", "high-purity CO2", 500, "kt", "emission"),
    ("MKT", "CB", "heavy oil", 300, "kt", "product"),
    ("CB", "AIR", "CO2", 500, "kt", "emission"),
]


@pytest.fixture(scope="module")
def port():
    network = from_frames(pd.DataFrame(PORT, columns=FIRMS), pd.DataFrame(FLOWS, columns=COLUMNS))
    return find_opportunities(network, top=0)


def _to(result, target: str) -> pd.DataFrame:
    return result.table[result.table["target"] == target]


def test_a_stream_of_a_purer_grade_taker_is_no_expansion_and_of_no_size(port):
    """Shell's and Exxon's 700 kt of refinery flue CO2 had ranked #1-#2 as "expand" into
    OCAP, whose intake is all hydrogen-unit and fermentation CO2, with the whole capacity
    as their size, while the evidence said only a concentrated part would do."""
    pipe = _to(port, "PIPE")
    for source in ("REF", "CB"):  # a refinery's (part pure) and one of unknown grade
        row = pipe[pipe["source"] == source].iloc[0]
        assert (row["kind"], row["rule"]) == ("new_link", "network: takes a purer grade")
        assert row["maturity"] == "demonstrated"
        assert math.isnan(row["quantity"])  # only a concentrated part of it: no size


def test_the_pure_sources_come_first(port):
    """The gas company's SMR CO2 (500 kt, vented) ranks above every stream of a lower
    grade to the pipeline, however large."""
    pipe = _to(port, "PIPE")
    ranks = dict(zip(pipe["source"], pipe["rank"], strict=True))
    assert ranks["SMR"] < min(ranks["REF"], ranks["CB"])
    smr = pipe[pipe["source"] == "SMR"].iloc[0]
    assert (smr["kind"], smr["quantity"]) == ("expand", 500_000)


def test_no_stream_goes_back_to_the_supplier_of_its_source(port):
    """The greenhouses' own boiler exhaust had been proposed to OCAP (an expansion of 550
    kt), the pipeline that supplies them with CO2; their exhaust still meets the other
    uses of CO2."""
    greenhouses = port.table[port.table["source"] == "GH"]
    assert "PIPE" not in set(greenhouses["target"])
    assert len(greenhouses)


def test_the_supplier_rule_is_not_one_of_co2():
    """A scrap dealer delivering steel scrap to a foundry is not proposed the foundry's
    own steel scrap, which it takes from others; a mill it does not supply still is."""
    firms = [("DLR", "Scrap dealer", "scrap metal recycling", "recycling", 45.0, 10.0),
             ("FDY", "Foundry", "iron foundry", "firm", 45.01, 10.01),
             ("MILL", "Rolling mill", "steel rolling", "firm", 45.02, 10.02),
             ("LF", "landfill", "", "landfill", None, None),
             ("MKT", "market", "", "market", None, None)]  # fmt: skip
    flows = [("MKT", "DLR", "steel scrap", 50, "kt", "product"),
             ("DLR", "FDY", "steel scrap", 20, "kt", "product"),
             ("DLR", "MKT", "steel scrap", 30, "kt", "product"),
             ("FDY", "LF", "steel scrap", 2, "kt", "waste"),
             ("MILL", "LF", "steel scrap", 3, "kt", "waste"),
             ("FDY", "MKT", "castings", 18, "kt", "product"),
             ("MKT", "MILL", "steel billets", 40, "kt", "product"),
             ("MILL", "MKT", "steel sections", 37, "kt", "product")]  # fmt: skip
    network = from_frames(pd.DataFrame(firms, columns=FIRMS), pd.DataFrame(flows, columns=COLUMNS))
    table = find_opportunities(network, top=0).table
    dealer = table[table["target"] == "DLR"]
    assert "FDY" not in set(dealer["source"])
    assert "MILL" in set(dealer["source"])
