"""Heat to its takers (tester-parks7 defect 2, on the Äänekoski forest-industry park): a
pulp mill's 3 PJ of low-temperature heat went to the district-heating utility (as much
again as its 1.19 PJ), straight to the households it supplies (another 1.08 PJ, "takes
this material under another name": they buy district heat) and to a CMC plant that takes
only process steam ("a related material"): 2.87 PJ planned, twice the town's heat use.

District heat is delivered heat, a material apart from waste heat; steam is apart from
low-grade heat (its temperature); a household is proposed a residue by the network's
evidence only for what it takes as a residue itself, never for what it buys."""

from __future__ import annotations

import pandas as pd

from symbiosis import from_frames
from symbiosis.analysis.opportunities import find_opportunities
from symbiosis.analysis.opportunities.allocation import optimal_plan
from symbiosis.taxonomy import default_taxonomy

COLUMNS = ["source", "target", "material", "quantity", "unit", "category"]
FIRMS = [
    ("MILL", "pulp mill", "firm"), ("CHP", "CHP", "utility"),
    ("DH", "district heating", "utility"), ("HH", "", "household"),
    ("CMC", "chemicals (carboxymethyl cellulose)", "firm"), ("SHOP", "machinery", "firm"),
    ("SAW", "sawmill", "firm"), ("LAKE", "lake", "environment"),
    ("LF", "", "disposal"), ("MKT", "", "market"),
]  # fmt: skip


def _town(bought: str = "district heat", shop: str | None = None) -> pd.DataFrame:
    """The Äänekoski heat flows, in GJ: the mill and a CHP plant deliver district heat
    to the utility, which delivers the households' 1,080,000 GJ; the CMC plant takes the
    mill's process steam; 3 PJ of low-temperature heat go to the lake."""
    rows = [
        ("MILL", "DH", bought, 900_000, "GJ", "product"),
        ("CHP", "DH", bought, 288_000, "GJ", "product"),
        ("DH", "HH", bought, 1_080_000, "GJ", "product"),
        ("MILL", "CMC", "steam", 600_000, "GJ", "product"),
        ("MILL", "LAKE", "low-temperature heat", 3_000_000, "GJ", "emission"),
        ("MILL", "MKT", "softwood pulp", 1_000_000, "t", "product"),
        ("CMC", "MKT", "CMC", 60_000, "t", "product"),
    ]
    if shop is not None:  # a firm that buys the utility's heat for its premises
        rows.append(("DH", "SHOP", shop, 20_000, "GJ", "product"))
    return pd.DataFrame(rows, columns=COLUMNS)


def _network(flows: pd.DataFrame):
    return from_frames(pd.DataFrame(FIRMS, columns=["id", "sector", "role"]), flows)


def _heat(network) -> pd.DataFrame:
    table = find_opportunities(network, top=0, impact=False).table
    return table[table["material"] == "low-temperature heat"]


def test_district_heat_and_hot_water_are_delivered_heat_steam_is_apart():
    taxonomy = default_taxonomy()
    for name in ("district heat", "district heating", "hot water", "供热"):
        assert taxonomy.resolve(name).material == "district heat", name
    for name in ("waste heat", "surplus heat", "heat", "low-temperature heat"):
        assert taxonomy.resolve(name).material == "waste heat", name
    # one family (a utility's heat intake still bounds it), but related to no other member
    assert taxonomy.family("district heat") == taxonomy.family("steam") == "heat"
    assert not taxonomy.interchangeable("district heat")
    assert not taxonomy.interchangeable("steam")
    assert taxonomy.interchangeable("waste heat")


def test_a_buyer_of_district_heat_is_no_taker_of_waste_heat():
    """The utility still takes the mill's heat (heat-district), within as much again as
    it takes of heat; a firm that buys district heat for its premises is no taker of it
    ("takes this material under another name" before), nor are the households."""
    heat = _heat(_network(_town(shop="district heat")))
    assert not {"SHOP", "HH"} & set(heat["target"])
    row = heat[heat["target"] == "DH"].iloc[0]
    assert row["pathway"] == "heat-district"
    assert row["quantity"] == 1_188_000


def test_low_grade_heat_goes_to_no_steam_user():
    """The CMC plant takes only process steam: low-temperature heat cannot replace it
    without a heat pump ("takes a related material" before). A surplus of steam still
    goes to it, and to the utility by the catalogue's steam row."""
    heat = _heat(_network(_town()))
    assert "CMC" not in set(heat["target"])
    flows = _town()
    flows.loc[len(flows)] = ("CHP", "LAKE", "surplus steam", 100_000, "GJ", "emission")
    table = find_opportunities(_network(flows), top=0, impact=False).table
    steam = table[table["material"] == "surplus steam"]
    assert {"CMC", "DH"} <= set(steam["target"])


def test_households_are_proposed_nothing_they_buy():
    """Households buying "heat" (a name of waste heat itself) from the utility are no
    taker of the mill's heat: their purchase is their consumption. Households that take
    a sawmill's offcuts as firewood (a residue) still may take more of them."""
    flows = _town(bought="heat")
    flows.loc[len(flows)] = ("SAW", "HH", "wood offcuts", 5_000, "t", "by-product")
    flows.loc[len(flows)] = ("SAW", "LF", "wood offcuts", 4_000, "t", "waste")
    network = _network(flows)
    table = find_opportunities(network, top=0, impact=False).table
    heat = table[table["material"] == "low-temperature heat"]
    assert "HH" not in set(heat["target"])
    assert "DH" in set(heat["target"])
    offcuts = table[(table["material"] == "wood offcuts") & (table["target"] == "HH")]
    assert len(offcuts) == 1


def test_the_plan_sends_the_town_its_heat_once():
    """The plan moves at most the utility's heat intake (1.188 PJ, the town's 1.08 PJ and
    its losses), not 2.87 PJ to the utility, the households and a steam user."""
    result = find_opportunities(_network(_town()), top=0, impact=False)
    plan = optimal_plan(result, dimension="energy")
    rows = plan.rows
    assert set(rows["target"]) == {"DH"}
    assert plan.totals["energy"]["moved"] <= 1_188_000 + 1e-6
