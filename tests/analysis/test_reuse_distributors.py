"""Distributors (role ``distributor``): a node that passes on what it receives is counted
once in the reuse accounts (tester-oilports13, "Pass-through nodes count twice": OCAP's
400 + 300 kt in and 600 kt out to the greenhouses were 1.3 Mt reused for 600 kt used)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from symbiosis import from_frames
from symbiosis.analysis.opportunities.impact import accounts as impact_accounts
from symbiosis.analysis.reconcile import DEFAULT_ROLES
from symbiosis.analysis.reuse import FATES, residual_streams, reuse_accounts
from symbiosis.analysis.uncertainty_model import _linear_sums
from symbiosis.vocabulary import ACTOR_ROLES, canonical_role

from .reuse_networks import FLOW_COLUMNS, network, random_frames

PROPERTY = settings(max_examples=40, deadline=None)

# Rotterdam's CO2 chain, in kt (tester13/rotterdam): OCAP buys the H2 unit's and the
# bioethanol plant's CO2, delivers 600 kt to the greenhouses and vents 100 kt
OCAP_FIRMS = [
    ("SHH2", "firm"),
    ("ALCO", "firm"),
    ("OCAP", "pipeline operator"),
    ("GH", "farm"),
    ("MKT", "market"),
    ("AIR", "air"),
]
OCAP_FLOWS = [
    ("SHH2", "OCAP", "high-purity CO2", 400, "kt", "by-product"),
    ("SHH2", "AIR", "high-purity CO2", 300, "kt", "emission"),
    ("ALCO", "OCAP", "fermentation CO2", 300, "kt", "by-product"),
    ("ALCO", "MKT", "DDGS", 360, "kt", "by-product"),
    ("OCAP", "GH", "CO2", 600, "kt", "by-product"),
    ("OCAP", "AIR", "CO2", 100, "kt", "emission"),
    ("GH", "AIR", "CO2", 550, "kt", "emission"),
]


def _row(table: pd.DataFrame, **keys) -> pd.Series:
    mask = np.ones(len(table), dtype=bool)
    for key, value in keys.items():
        mask &= (table[key] == value).to_numpy()
    assert mask.sum() == 1, keys
    return table[mask].iloc[0]


def test_distributor_is_an_actor_role_with_aliases():
    assert "distributor" in ACTOR_ROLES
    for word in ("pipeline operator", "Steam network", "broker", "trader", "dealer", "hub",
                 "grid operator", "管网", "经销商", "中转站"):  # fmt: skip
        assert canonical_role(word) == "distributor", word
    assert canonical_role("scrap dealer") == "recycling"  # sorts and bales: it processes


def test_a_pipeline_operator_counts_the_co2_once():
    accounts = reuse_accounts(network(OCAP_FIRMS, OCAP_FLOWS))
    mass = accounts["mass"]
    # generated: SHH2 700 + ALCO 660 + GH 550 kt; OCAP's 700 kt out is what it bought
    assert mass["generated"] == pytest.approx(1_910_000)
    assert mass["reused"] == pytest.approx(600_000)  # was 1,300,000: 400 + 300 + 600
    assert mass["emitted"] == pytest.approx(300_000 + 100_000 + 550_000)
    assert mass["sold"] == pytest.approx(360_000)
    # by firm, the generator keeps the credit: 6/7 of what it sends OCAP is used
    generators = accounts.by_generator
    assert _row(generators, firm="SHH2")["reused"] == pytest.approx(400_000 * 6 / 7)
    assert _row(generators, firm="SHH2")["emitted"] == pytest.approx(300_000 + 400_000 / 7)
    assert _row(generators, firm="ALCO")["reused"] == pytest.approx(300_000 * 6 / 7)
    assert "OCAP" not in set(generators["firm"])
    # the greenhouses receive it, from OCAP; OCAP is no receiver
    receivers = accounts.by_receiver
    assert "OCAP" not in set(receivers["firm"])
    greenhouses = _row(receivers, firm="GH")
    assert greenhouses["received"] == pytest.approx(600_000)
    assert greenhouses["generators"] == 1 and greenhouses["streams"] == 1
    assert _row(receivers, firm="AIR")["received"] == pytest.approx(950_000)
    # counted once: OCAP's two outputs are no streams; both inputs reach the greenhouses
    counted = accounts.counted
    assert counted["streams"] == 5 and counted["reused"] == 2 and counted["emitted"] == 2
    streams = residual_streams(network(OCAP_FIRMS, OCAP_FLOWS))
    assert len(streams) == 5 and set(streams.loc[streams.target == "OCAP", "fate"]) == {"reused"}


def test_a_distributor_inputs_are_its_receivers_inputs():
    accounts = reuse_accounts(network(OCAP_FIRMS, OCAP_FLOWS))
    inputs = accounts.circular_inputs
    assert "OCAP" not in set(inputs["firm"])
    assert accounts["mass"]["inputs"] == pytest.approx(600_000)
    assert accounts["mass"]["secondary_inputs"] == pytest.approx(600_000)


def test_steam_sold_as_a_product_through_a_steam_network_is_a_secondary_input():
    # Botlek: AVR's and Cabot's waste steam through the steam network to LyondellBasell
    firms = [("AVR", "firm"), ("CAB", "firm"), ("STM", "steam network"), ("LYB", "firm"),
             ("GAS", "import")]  # fmt: skip
    flows = [
        ("AVR", "STM", "steam", 2.2, "PJ", "by-product"),
        ("CAB", "STM", "steam", 0.8, "PJ", "by-product"),
        ("GAS", "STM", "steam", 1.0, "PJ", "product"),  # a gas-fired top-up, bought
        ("STM", "LYB", "steam", 4.0, "PJ", "product"),
    ]
    accounts = reuse_accounts(network(firms, flows))
    energy = accounts["energy"]
    assert energy["generated"] == pytest.approx(3.0e6) and energy["reused"] == pytest.approx(3e6)
    assert _row(accounts.by_receiver, firm="LYB")["received"] == pytest.approx(3.0e6)
    assert energy["inputs"] == pytest.approx(4.0e6)
    assert energy["secondary_inputs"] == pytest.approx(3.0e6)  # 3 of the 4 PJ were residual


def test_chains_of_distributors_and_loops_among_them():
    firms = [("A", "firm"), ("D1", "broker"), ("D2", "dealer"), ("D3", "hub"), ("D4", "hub"),
             ("B", "firm"), ("LF", "landfill")]  # fmt: skip
    flows = [
        ("A", "D1", "slag", 100, "t", "waste"),
        ("D1", "D2", "slag", 60, "t", "waste"),
        ("D1", "LF", "slag", 40, "t", "waste"),
        ("D2", "D1", "slag", 20, "t", "waste"),  # back to the broker: a loop with exits
        ("D2", "B", "slag", 40, "t", "product"),
        ("A", "D3", "ash", 50, "t", "waste"),
        ("D3", "D4", "ash", 50, "t", "waste"),  # D3 <-> D4 nothing leaves: they keep it
        ("D4", "D3", "ash", 10, "t", "waste"),
    ]
    accounts = reuse_accounts(network(firms, flows))
    # D1 sends 60 % on to D2, which sends 1/3 back; absorbing chain: B gets
    # 0.6 * 2/3 / (1 - 0.6 / 3) = 0.5 of what enters D1, the landfill 0.5
    mass = accounts["mass"]
    assert mass["generated"] == pytest.approx(150)
    assert mass["reused"] == pytest.approx(50 + 50)  # B's 50 t, and the ash D3/D4 keep
    assert mass["disposed"] == pytest.approx(50)
    receivers = accounts.by_receiver.set_index("firm")["received"]
    assert receivers["B"] == pytest.approx(50) and receivers["LF"] == pytest.approx(50)
    assert receivers["D3"] == pytest.approx(50)  # a closed loop keeps, as an actor


def test_a_distributor_with_outputs_of_unknown_size_passes_on_by_links():
    firms = [("A", "firm"), ("D", "dealer"), ("B", "firm"), ("LF", "landfill")]
    kept = reuse_accounts(network(firms, [("A", "D", "slag", 100, "t", "waste")]))
    assert kept["mass"]["reused"] == 100  # no output at all: it keeps it, as an actor
    flows = [("A", "D", "slag", 100, "t", "waste"), ("D", "LF", "slag", None, "t", "waste")]
    dumped = reuse_accounts(network(firms, flows))
    assert dumped["mass"]["disposed"] == 100 and dumped["mass"]["reused"] == 0


def test_the_opportunities_and_uncertainty_start_from_the_same_accounts():
    net = network(OCAP_FIRMS, OCAP_FLOWS)
    accounts = reuse_accounts(net)
    fates = impact_accounts(net)["mass"]
    for fate in FATES:
        assert fates.get(fate, 0.0) == pytest.approx(accounts["mass"][fate])
    flows = np.flatnonzero(net.core.dimension >= 0)
    matrix, names, _ = _linear_sums(net, flows, 0)
    sums = dict(zip(names, net.core.value[flows] @ matrix, strict=True))
    for name in ("generated", *FATES, "inputs"):
        assert sums[("mass", name)] == pytest.approx(accounts["mass"][name]), name


def test_a_distributor_balances_in_reconciliation_by_default():
    assert "distributor" in DEFAULT_ROLES


# --------------------------------------------------------------------------- properties


@st.composite
def with_distributors(draw):
    """A random network (reuse_networks.random_frames) in which some actors distribute."""
    firms, flows = draw(random_frames())
    actors = firms.index[~firms["role"].isin(["market", "disposal", "environment"])]
    chosen = draw(st.lists(st.sampled_from(list(actors)), unique=True, max_size=3))
    firms.loc[chosen, "role"] = "distributor"
    return firms, flows


@PROPERTY
@given(with_distributors())
def test_fates_add_up_and_receivers_give_the_fates_with_distributors(frames):
    accounts = reuse_accounts(from_frames(*frames))
    for table in (accounts.network, accounts.by_category, accounts.by_material,
                  accounts.by_generator):  # fmt: skip
        parts = table[list(FATES)].sum(axis=1).to_numpy()
        np.testing.assert_allclose(parts, table["generated"], rtol=1e-9, atol=1e-6)
        assert ((table[list(FATES)] >= -1e-6).all()).all()
    by_fate = accounts.by_receiver.groupby(["dimension", "fate"])["received"].sum()
    for record in accounts.network.to_dict("records"):
        for fate in FATES:
            expected = by_fate.get((record["dimension"], fate), 0.0)
            assert record[fate] == pytest.approx(expected, rel=1e-9, abs=1e-6)
    rates = accounts.circular_inputs["circular_input_rate"].dropna()
    assert ((rates >= -1e-12) & (rates <= 1 + 1e-9)).all()


@PROPERTY
@given(random_frames(), st.data())
def test_inserting_a_distributor_between_a_source_and_its_receivers_changes_no_total(frames, data):
    firms, flows = frames
    actors = list(firms.loc[~firms["role"].isin(["market", "disposal", "environment"]), "id"])
    source = data.draw(st.sampled_from(actors))
    material = data.draw(st.sampled_from(sorted(set(flows["material"]))))
    mine = (flows["source"] == source) & (flows["material"] == material)
    mine &= flows["category"].isin(["by-product", "waste", "emission"])
    mine &= flows["quantity"].notna() & (flows["target"] != source)
    before = reuse_accounts(from_frames(firms, flows))
    # every quantified residual stream of one material from one source, through a hub
    moved = flows[mine]
    unit = moved["unit"].iloc[0] if len(moved) else "t"
    via = pd.DataFrame(
        [(source, "HUB", material, moved["quantity"].sum(), unit, "by-product")]
        if len(moved) else [], columns=FLOW_COLUMNS,
    )  # fmt: skip
    onward = moved.assign(source="HUB")
    flows = pd.concat([flows[~mine], via, onward], ignore_index=True)
    firms = pd.concat([firms, pd.DataFrame([("HUB", "distributor", "")], columns=firms.columns)])
    after = reuse_accounts(from_frames(firms, flows))
    left = before.network.set_index("dimension")
    right = after.network.set_index("dimension")
    for name in ("generated", *FATES):
        np.testing.assert_allclose(right[name], left[name], rtol=1e-9, atol=1e-6)
