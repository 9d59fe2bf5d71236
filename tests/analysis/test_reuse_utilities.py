"""Steam, heat, power and fuel gas a treatment plant uses are reused, not treated
(tester15 D7: Pohang's sewage plant dries its sludge with 150 kt of the steelworks'
surplus steam, passed on by the steam network; counted treated, the steam's reuse share
was 78.6 % instead of 100 %). The fate by receiver role stays for what it treats."""

import numpy as np
import pandas as pd
import pytest

from symbiosis import from_frames
from symbiosis.analysis._utility_inputs import utility_material
from symbiosis.analysis.criticality import criticality
from symbiosis.analysis.opportunities import find_opportunities
from symbiosis.analysis.opportunities.impact import accounts as impact_accounts
from symbiosis.analysis.reuse import residual_streams, reuse_accounts
from symbiosis.analysis.uncertainty_model import _linear_sums

COLUMNS = ["source", "target", "material", "quantity", "unit", "category"]
ROLES = {"WORKS": "firm", "NET": "steam network", "CUST": "firm", "STP": "sewage works",
         "HH": "household", "PWR": "firm", "RIVER": "river", "AIR": "air"}  # fmt: skip


def network_of(rows):
    firms = pd.DataFrame({"id": list(ROLES), "role": list(ROLES.values())})
    return from_frames(firms, pd.DataFrame(rows, columns=COLUMNS))


@pytest.fixture(scope="module")
def pohang():
    """By hand: the works sends 700 t of surplus steam into the network, which passes
    550 t to a customer and 150 t to the sewage plant; the power plant sends the sewage
    plant 36 GJ of power and its CO2 to the air; households send 1,000 m3 of sewage,
    which the plant treats and discharges."""
    return network_of([
        ("WORKS", "NET", "잉여증기", 700, "t", "by-product"),
        ("NET", "CUST", "잉여증기", 550, "t", "product"),
        ("NET", "STP", "잉여증기", 150, "t", "product"),
        ("WORKS", "AIR", "이산화탄소", 300, "t", "emission"),
        ("PWR", "STP", "electricity", 36, "GJ", "by-product"),
        ("HH", "STP", "하수", 1000, "m3", "waste"),
        ("STP", "RIVER", "방류수", 950, "m3", "emission"),
    ])  # fmt: skip


def test_steam_passed_on_to_a_sewage_plant_is_reused(pohang):
    """Mass: 1,000 t generated (700 steam + 300 CO2), 700 reused: 70 % (it was 550 of
    1,000, 55 %, the 150 t treated); energy: the 36 GJ of power used, 100 %; volume: the
    sewage still treated, its effluent emitted."""
    accounts = reuse_accounts(pohang)
    assert accounts["mass"]["reused"] == pytest.approx(700)
    assert accounts["mass"].get("treated", 0) == 0
    assert accounts["mass"]["reuse_share"] == pytest.approx(0.7)
    assert accounts["energy"]["reused"] == pytest.approx(36)
    assert accounts["volume"]["treated"] == pytest.approx(1000)
    steam = accounts.by_material.set_index("material").loc["잉여증기"]
    assert steam["reuse_share"] == pytest.approx(1.0)
    receivers = accounts.by_receiver.set_index(["dimension", "firm"])
    assert receivers.loc[("mass", "STP"), "fate"] == "reused"
    assert receivers.loc[("volume", "STP"), "fate"] == "treated"
    # criticality and the uncertainty model count as the accounts do
    assert criticality(pohang).reuse_share["mass"] == pytest.approx(0.7)


def test_a_utility_sent_straight_to_a_treatment_plant_is_reused():
    rows = [("WORKS", "STP", "process steam", 150, "t", "by-product"),
            ("WORKS", "STP", "waste gas", 50, "t", "waste"),
            ("WORKS", "STP", "焦炉煤气废水", 80, "t", "waste"),
            ("PWR", "STP", "余热蒸汽", 20, "t", "by-product")]  # fmt: skip
    fates = residual_streams(network_of(rows)).set_index("material")["fate"]
    assert fates.to_dict() == {"process steam": "reused", "waste gas": "treated",
                               "焦炉煤气废水": "treated", "余热蒸汽": "reused"}  # fmt: skip


@pytest.mark.parametrize(
    ("name", "used"),
    [
        ("steam", True),
        ("잉여증기", True),
        ("surplus steam (잉여증기)", True),
        ("电力", True),
        ("natural gas", True),
        ("沼气", True),
        ("燃料气", True),
        ("fuel gas", True),
        ("waste heat", True),
        ("tail gas", False),
        ("废气", False),
        ("尾气", False),
        ("landfill gas", False),
        ("焦炉煤气废水", False),
        ("steam condensate", False),
        ("steam coal", False),
        ("wastewater", False),
        ("warm water", False),
        ("sewage sludge", False),
    ],
)
def test_which_materials_a_plant_uses(name, used):
    assert utility_material(name) is used


def test_the_opportunities_and_uncertainty_count_as_the_accounts(pohang):
    accounts = reuse_accounts(pohang)
    flows = np.flatnonzero(pohang.core.dimension >= 0)
    matrix, names, _ = _linear_sums(pohang, flows, 0)
    sums = dict(zip(names, pohang.core.value[flows] @ matrix, strict=True))
    impact = impact_accounts(pohang)
    for dimension in ("mass", "energy", "volume"):
        for fate in ("reused", "treated"):
            expected = accounts[dimension].get(fate, 0.0)
            assert sums[(dimension, fate)] == pytest.approx(expected), (dimension, fate)
            assert impact[dimension].get(fate, 0.0) == pytest.approx(expected)


def test_the_steam_it_uses_is_no_treated_stream_to_search(pohang):
    result = find_opportunities(pohang, fates=("treated",))
    assert all(o.material != "잉여증기" for o in result.listed)
    assert result.streams_by_fate.get("treated", 0) == 1  # the sewage only


def test_only_what_it_treats_is_searched_as_treated():
    net = network_of([("WORKS", "STP", "process steam", 150, "t", "by-product"),
                      ("WORKS", "STP", "waste gas", 50, "t", "waste"),
                      ("HH", "STP", "sewage", 1000, "m3", "waste")])  # fmt: skip
    result = find_opportunities(net, fates=("treated",))
    assert result.streams_by_fate.get("treated", 0) == 2
    assert all(o.material != "process steam" for o in result.listed)
