"""How much an opportunity moves when its receiver's intake is not recorded (testers'
TEDA and Jingtang networks, shipped catalogue): an actor taking nothing recorded in the
stream's dimension is bounded by the catalogue row's typical intake, as a new plant is;
a receiver of no capacity known at all is marked ``unbounded`` and left out of the
cumulative effect and the plan."""

from __future__ import annotations

import io

import pandas as pd
import pytest

import symbiosis
from symbiosis import edits as ed
from symbiosis.analysis.opportunities import find_opportunities, optimal_plan
from symbiosis.analysis.reuse import reuse_accounts

# TEDA (tester-real): a Coca-Cola bottler and a noodle maker take no mass in the table (the
# noodle maker only steam); food-grade CO2 (co2pure-food) gives one plant ~2.4 kt/yr. The
# stacks' flue gas is not food grade (.purity): the fermentation plant's CO2 is offered
TEDA_FIRMS = """id,name,sector,role
PWR,TEDA Energy (coal-fired CHP),coal-fired power and heat,utility
TINGYI,Tingyi instant noodles,food processing,firm
COKE,Coca-Cola Tianjin bottling,beverages,firm
TPCO,Tianjin Pipe (steel works),iron and steel,firm
BIO,Enzyme plant,fermentation,firm
MKT,Outside market,,market
AIR,Atmosphere,,environment
IMP,Coal and raw material suppliers,,supply
"""
TEDA_FLOWS = """source,target,material,quantity,unit,category
IMP,PWR,coal,1.1,Mt,product
PWR,TINGYI,steam,900000,GJ,by-product
PWR,AIR,CO2,2.6,Mt,emission
TINGYI,MKT,instant noodles,400000,t,product
COKE,MKT,soft drinks,500000,t,product
IMP,TPCO,iron ore,4.5,Mt,product
TPCO,MKT,steel pipe,3,Mt,product
TPCO,AIR,CO2,5.5,Mt,emission
BIO,AIR,CO2,60000,t,emission
"""
# Jingtang (tester-real), cut down: no chemicals or building-materials maker in the park, and
# co2-chemicals and co2-carbonation give no typical intake
JINGTANG_FIRMS = """id,name,sector,role
BF,Blast furnaces,iron and steel,firm
PM,Paper mill (the satellite PCC plant's host),paper mill,firm
MKT,Outside market,,market
AIR,Atmosphere,,environment
"""
JINGTANG_FLOWS = """source,target,material,quantity,unit,category
MKT,BF,iron ore,14,Mt,product
MKT,PM,wood pulp,0.5,Mt,product
BF,MKT,hot metal,9,Mt,product
BF,AIR,CO2,14,Mt,emission
"""
TYPICAL = "catalogue row co2pure-food (a typical plant's intake: none of its own is recorded in "


def _network(firms: str, flows: str):
    return symbiosis.load(pd.read_csv(io.StringIO(firms)), pd.read_csv(io.StringIO(flows)))


@pytest.fixture(scope="module")
def teda():
    network = _network(TEDA_FIRMS, TEDA_FLOWS)
    return network, find_opportunities(network, top=30)


def _into(network, result, target: str) -> float:
    """The CO2 the listed opportunities done together send to ``target``."""
    flows = ed.apply(network, result.edits()).flows
    into = (flows["target"] == target) & (flows["material"] == "CO2")
    return float(flows.loc[into, "value"].sum())


def test_a_firm_of_no_recorded_intake_takes_the_catalogues_typical_intake(teda):
    """The bottler was given the steel works' 5.5 Mt of CO2 (reuse share 5.1 % -> 65.9 %)
    and the noodle maker 2.6 Mt, a thousand times what one plant takes (the stacks' CO2
    now goes to neither: flue gas is not food grade)."""
    network, result = teda
    to_food = [o for o in result.listed if o.target in ("COKE", "TINGYI")]
    assert {(o.source, o.target) for o in to_food} == {("BIO", "TINGYI"), ("BIO", "COKE")}
    for o in to_food:
        assert o.pathway == "co2pure-food" and o.quantity == pytest.approx(2_400)
        assert o.capacity["limit"] == pytest.approx(2_400)
        assert o.capacity["source"] == "typical plant"
        assert o.capacity["detail"] == TYPICAL + "the stream's dimension)"
        assert not o.unbounded
    # one plant's intake for the CO2 of any emitter: one group per receiver
    for target in ("COKE", "TINGYI"):
        assert len({o.capacity_group for o in to_food if o.target == target}) == 1
        assert _into(network, result, target) == pytest.approx(2_400)
        plan = optimal_plan(result).to_frame()
        assert plan.loc[plan["target"] == target, "amount"].sum() <= 2_400 * (1 + 1e-9)
    table = result.table
    rows = table[table["target"].isin(["COKE", "TINGYI"])]
    assert len(rows) == 2 and (rows["capacity"] == 2_400).all() and not rows["unbounded"].any()


def test_the_listing_without_the_table_bounds_them_alike(teda):
    """Without the table the intake bounds are found per receiver when the ranking needs
    them (capacity.Deferred): the typical intake comes after, the same."""
    network, result = teda
    lean = find_opportunities(network, top=30, table=False)
    assert [o.to_dict() for o in lean.listed] == [o.to_dict() for o in result.listed]
    assert lean.cumulative.to_dict() == result.cumulative.to_dict()


@pytest.fixture(scope="module")
def jingtang():
    network = _network(JINGTANG_FIRMS, JINGTANG_FLOWS)
    return network, find_opportunities(network, top=30)


def test_a_receiver_of_no_capacity_known_is_marked_and_left_out(jingtang):
    """A new chemicals plant took all 14 Mt of the blast furnaces' CO2 and the cumulative
    reuse share read 100 %: it is of unknown size, an upper bound, and left out."""
    network, result = jingtang
    by_target = {o.target: o for o in result.listed}
    for plant in ("NEW_CHEMICALS", "NEW_BUILDING_MATERIALS"):
        o = by_target[plant]
        assert o.unbounded and o.capacity is None and o.quantity == pytest.approx(14e6)
        assert o.to_dict()["unbounded"] is True
        # emerging pathways (co2-chemicals, co2-carbonation): said emerging first
        assert o.maturity == "emerging" and (o.group, o.rank) in result.cumulative.emerging
    bounded = [o for o in result.listed if not o.unbounded]
    assert {o.target for o in bounded} >= {"NEW_PRECIPITATED_CALCIUM_CARBONATE"}
    assert all(o.capacity is not None and not o.to_dict()["unbounded"] for o in bounded)
    cumulative = result.cumulative
    named = [*cumulative.applied, *((s.group, s.rank) for s in cumulative.skipped),
             *cumulative.unbounded, *cumulative.emerging]  # fmt: skip
    assert sorted(named) == sorted((o.group, o.rank) for o in result.listed)
    assert cumulative.to_dict()["unbounded"] == [
        {"group": g, "rank": r} for g, r in cumulative.unbounded
    ]
    # the first alternatives bounded: a PCC plant (18 kt), a greenhouse (0.7 kt), no food
    # plant (a blast furnace's flue gas is not food grade); the unbounded ones move
    # nothing and add no plant
    assert cumulative.moved["mass"] == pytest.approx(18_000 + 700)
    after = ed.apply(network, result.edits())
    assert not {"NEW_CHEMICALS", "NEW_BUILDING_MATERIALS"} & set(after.firms.index)
    share = reuse_accounts(after)["mass"]["reuse_share"]
    assert share == pytest.approx(cumulative.impact.reuse_share["mass"][1])
    assert share < 0.01


def test_the_table_and_the_plan_leave_unbounded_rows_out(jingtang):
    _, result = jingtang
    table = result.table
    unbounded = table[table["unbounded"]]
    assert set(unbounded["target"]) >= {"NEW_CHEMICALS", "NEW_BUILDING_MATERIALS"}
    assert unbounded["capacity"].isna().all()
    assert not table.loc[~table["unbounded"], "capacity"].isna().any()
    plan = optimal_plan(result)
    emerging = unbounded["maturity"] == "emerging"  # counted as emerging first
    assert plan.left_out["unbounded"] == len(unbounded[~emerging]) and emerging.any()
    assert plan.left_out["emerging"] == (table["maturity"] == "emerging").sum()
    planned = plan.to_frame()
    assert not set(planned["target"]) & set(unbounded["target"])
    assert plan.totals["mass"]["moved"] == pytest.approx(18_000 + 700)
