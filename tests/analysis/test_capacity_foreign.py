"""A receiver that takes none of the stream's family (analysis/opportunities/foreign.py):
bounded by what such an input can be in a plant of its kind, never by its intake of other
materials (tester-cities5 defect 2, and the capacity part of defect 10)."""

from __future__ import annotations

import pandas as pd
import pytest

from symbiosis import from_frames
from symbiosis.analysis.opportunities import find_opportunities
from symbiosis.analysis.opportunities.allocation import optimal_plan
from symbiosis.catalogue import load_catalogue

COLUMNS = ["source", "target", "material", "quantity", "unit", "category"]


def _network(firms, flows):
    return from_frames(pd.DataFrame(firms, columns=["id", "sector", "role"]),
                       pd.DataFrame(flows, columns=COLUMNS))  # fmt: skip


def _to(result, target):
    return [o for o in result.listed if o.target == target]


@pytest.mark.parametrize("table", [True, False])
def test_a_food_plant_takes_a_typical_plants_co2_not_its_fruit(table):
    """Yichun: a pine-nut plant taking 45 kt of cones was offered 45 kt of a coal heating
    plant's stack CO2 (ranked first), a blueberry plant 35 kt, and the listed ones together
    took the reuse share from 4.2 to 19.3 %. A food plant uses food-grade CO2 as a brewery
    does, 2.4 kt a year (the catalogue's typical intake), within its whole intake. (A
    stack's flue gas is not food grade, .purity: the CO2 here is a distillery's.)"""
    network = _network(
        [("HEAT", "ethanol distillery", "firm"), ("NUT", "food processing", "firm"),
         ("BERRY", "food processing", "firm"), ("MKT", "", "market"),
         ("AIR", "", "environment")],
        [("MKT", "HEAT", "coal", 400, "kt", "product"),
         ("HEAT", "AIR", "CO2", 950, "kt", "emission"),
         ("MKT", "NUT", "pine cones", 45, "kt", "product"),
         ("MKT", "BERRY", "blueberries", 35, "kt", "product")],
    )  # fmt: skip
    result = find_opportunities(network, top=20, table=table)
    for target, whole in (("NUT", 45_000), ("BERRY", 35_000)):
        [o] = _to(result, target)
        assert o.pathway == "co2pure-food" and o.quantity == pytest.approx(2_400)
        assert o.capacity == {
            "limit": pytest.approx(2_400), "source": "typical plant",
            "detail": "catalogue row co2pure-food (a typical plant's intake: it takes none of "
                      "family carbon dioxide now)",
            "within": {"limit": pytest.approx(whole), "source": "intake",
                       "detail": "as much again as its whole recorded intake"}}  # fmt: skip
    moved = {o.target: o.quantity for o in result.listed
             if (o.group, o.rank) in result.cumulative.applied}  # fmt: skip
    assert moved.get("NUT", 0) <= 2_400 and moved.get("BERRY", 0) <= 2_400
    if table:
        plan = optimal_plan(result).to_frame()
        food = plan["target"].isin(["NUT", "BERRY"])
        assert plan.loc[food, "amount"].sum() == pytest.approx(4_800)


def test_a_washing_plant_is_no_size_for_gasification_slag():
    """Ordos: the plan sent 800 kt of a gasifier's slag to a coal washing plant for carbon
    flotation, as much again as its 16 Mt of raw coal. The catalogue gives that row no size
    (no typical intake, no max_share): the washing plant is of unknown size for it, listed
    with the whole stream as an upper bound and left out of the totals and the plan (fine
    slag: only it meets the carbon row since the catalogue told the grades apart)."""
    network = _network(
        [("MINE", "coal mining", "extraction"), ("WASH", "coal washing", "firm"),
         ("CTL", "coal to liquids", "firm"), ("LF", "", "disposal")],
        [("MINE", "WASH", "raw coal", 16, "Mt", "product"),
         ("WASH", "CTL", "clean coal", 10, "Mt", "product"),
         ("CTL", "LF", "gasification fine slag", 800, "kt", "waste")],
    )  # fmt: skip
    result = find_opportunities(network, top=50)
    [o] = [o for o in _to(result, "WASH") if o.pathway == "gasification-slag-carbon"]
    assert o.unbounded and o.capacity is None and o.quantity == pytest.approx(800_000)
    assert (o.group, o.rank) in result.cumulative.unbounded
    plan = optimal_plan(result).to_frame()
    assert not (plan["target"] == "WASH").any()


def test_a_fuel_of_no_share_or_typical_intake_takes_a_few_percent():
    """A kiln taking 2 Mt of limestone and 200 kt of coal was offered 400 kt of rubber
    scrap and 300 kt of waste plastics as kiln fuels (rows of role fuel, of no ratio,
    share or typical intake), as much again as its whole intake each, 2.2 Mt. Its
    substitute fuels for coal together take 5 % of its throughput: 110 kt, one bound.
    (Sewage sludge was the first fuel here; its row now has a ratio, 0.1 t of coal per
    t, so its bound is the coal it can replace: the kiln's purchases over the ratio.)"""
    network = _network(
        [("CEM", "cement", "firm"), ("WWTP", "wastewater treatment", "treatment"),
         ("CITY", "households", "firm"), ("MKT", "", "market"), ("LF", "", "disposal")],
        [("MKT", "CEM", "limestone", 2_000, "kt", "product"),
         ("MKT", "CEM", "coal", 200, "kt", "product"),
         ("WWTP", "LF", "rubber scrap", 400, "kt", "waste"),
         ("CITY", "LF", "waste plastics", 300, "kt", "waste")],
    )  # fmt: skip
    result = find_opportunities(network, top=50)
    kiln_fuels = {"rubber-scrap-kiln", "plastics-kiln"}
    fuels = [o for o in _to(result, "CEM") if o.pathway in kiln_fuels]
    assert {o.pathway for o in fuels} == kiln_fuels
    for o in fuels:
        assert o.quantity == pytest.approx(110_000) and o.capacity["source"] == "share"
        detail = "at most 0.05 of its throughput of 2,200,000 (a few percent for a fuel"
        assert o.capacity["detail"].startswith(detail)
    assert len({o.capacity_group for o in fuels}) == 1  # one use of the kiln: its fuels
    table = result.table
    fuel = table["pathway"].isin(list(kiln_fuels))
    kiln = table[(table["target"] == "CEM") & fuel]
    assert kiln["capacity_group"].nunique() == 1
    plan = optimal_plan(result).to_frame()
    burnt = (plan["target"] == "CEM") & plan["material"].isin(["rubber scrap", "waste plastics"])
    assert plan.loc[burnt, "amount"].sum() == pytest.approx(110_000)


@pytest.mark.parametrize("table", [True, False])
def test_a_peer_takes_what_a_firm_of_its_sector_takes(table, tmp_path):
    """Network evidence: a brewery takes 2 kt of CO2, so a pine-nut plant of the same
    sector ('food processing') is its peer. It was offered as much again as its 45 kt of
    cones; a plant of its kind, as recorded, takes 2 kt."""
    network = _network(
        [("BREW", "food processing", "firm"), ("NUT", "food processing", "firm"),
         ("PP", "power station", "utility"), ("MKT", "", "market"),
         ("AIR", "", "environment")],
        [("MKT", "BREW", "carbon dioxide", 2, "kt", "product"),
         ("MKT", "BREW", "malt", 60, "kt", "product"),
         ("MKT", "NUT", "pine cones", 45, "kt", "product"),
         ("PP", "AIR", "carbon dioxide", 900, "kt", "emission")],
    )  # fmt: skip
    path = tmp_path / "slag.csv"  # a catalogue of no CO2 row: the network's evidence alone
    path.write_text("id,material,receiving_sector,source\nx,slag,cement,a study\n")
    catalogue = load_catalogue(path, replace=True)
    result = find_opportunities(network, catalogue, top=10, table=table)
    [o] = _to(result, "NUT")
    assert o.kind == "new_link" and o.quantity == pytest.approx(2_000)
    assert o.capacity["source"] == "network" and o.capacity["limit"] == pytest.approx(2_000)
    assert o.capacity["detail"] == (
        "as much as the firm of its sector taking the most of "
        "family carbon dioxide takes now (network evidence)"
    )
    assert o.capacity["within"]["limit"] == pytest.approx(45_000)
    # the peer's 2 kt only: the brewery buys merchant CO2 (a pure grade), which the power
    # station's flue gas does not replace (.purity; it had been a redirect of 2 kt too)
    assert result.cumulative.moved["mass"] == pytest.approx(2_000)
