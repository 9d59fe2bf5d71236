"""Criticality counts the residues that pass through a distributor as the reuse accounts
do (tester15 D4: Pohang's criticality gave a baseline reuse share of 21.0 % where
`analyze` gave 20.6 %: the 700 kt of surplus steam sent into the steam network counted
all as reused, under the fate that takes the largest share of it, while the network
passes 150 kt of it on to the sewage plant, treated)."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, note, settings
from hypothesis import strategies as st

from symbiosis import edits as ed
from symbiosis import from_frames
from symbiosis.analysis.criticality import criticality
from symbiosis.analysis.reuse import reuse_accounts

COLUMNS = ["source", "target", "material", "quantity", "unit", "category"]


def network_of(rows, roles):
    firms = pd.DataFrame({"id": list(roles), "role": list(roles.values())})
    return from_frames(firms, pd.DataFrame(rows, columns=COLUMNS))


ROLES = {"G1": "firm", "G2": "firm", "D": "distributor", "A": "firm", "W": "treatment",
         "X": "firm", "LF": "landfill"}  # fmt: skip


@pytest.fixture(scope="module")
def broker():
    """G1 and G2 send 700 t and 100 t of sludge into the broker D, which passes it on to
    A (400 t), the treatment plant W (200 t) and back to G2 (200 t); X sends A 300 t of
    slag; G1 dumps 100 t. (Sludge, not steam: the steam a treatment plant uses is reused,
    test_reuse_utilities.)"""
    return network_of(
        [
            ("G1", "D", "sludge", 700, "t", "by-product"),
            ("G2", "D", "sludge", 100, "t", "by-product"),
            ("D", "A", "sludge", 400, "t", "product"),
            ("D", "W", "sludge", 200, "t", "product"),
            ("D", "G2", "sludge", 200, "t", "product"),
            ("X", "A", "slag", 300, "t", "by-product"),
            ("G1", "LF", "ash", 100, "t", "waste"),
        ],
        ROLES,
    )


def test_the_baseline_is_the_reuse_accounts_share(broker):
    """By hand: 1,200 t generated (700 + 100 + 300 + 100); D passes on 3/4 of its 800 t
    to actors that reuse (A, G2) and 1/4 to the treatment plant: 600 + 300 = 900 t
    reused, 75 % (the dominant fate counted the 800 t reused: 1,100 / 1,200)."""
    result = criticality(broker)
    share = reuse_accounts(broker).to_dict()["dimensions"]["mass"]["reuse_share"]
    assert share == pytest.approx(0.75)
    assert result.reuse_share["mass"] == pytest.approx(share)


def test_the_reuse_lost_is_against_that_baseline(broker):
    """By hand, in t of the 1,200: G1 generated 525 t reused (3/4 of 700); G2 75 t of its
    own and takes 175 t of G1's back through D (its own 25 t go with it once); D passes
    on 600 t reused; A reuses 400 t from D and 300 t of slag; W treats 200 t (orphaned,
    no reuse); X's 300 t."""
    table = criticality(broker).table
    lost = table["reuse_lost_mass"] * 1200
    expected = {"G1": 525, "G2": 250, "D": 600, "A": 700, "W": 0, "X": 300}
    assert {k: lost[k] for k in expected} == pytest.approx(expected)
    orphaned = table["orphaned_mass"]
    assert {k: orphaned[k] for k in expected} == pytest.approx(
        {"G1": 0, "G2": 175, "D": 800, "A": 700, "W": 200, "X": 0}
    )
    # the change: G2 removed, (900 - 75 - 175) / (1,200 - 100)
    assert table.loc["G2", "reuse_share_change_mass"] == pytest.approx(650 / 1100 - 0.75)


def dumped(network, firm):
    """The network with the firm's residual streams, those it takes from other actors and
    what distributors pass on to it sent to a landfill: what its removal costs the reuse
    when its own residues count as lost (the rule of test_criticality, with distributors)."""
    flows = network.flows
    residual = flows["category"].isin(["by-product", "waste", "emission"])
    roles = network.firms["role"]
    from_distributor = flows["source"].map(roles).eq("distributor").to_numpy()
    # a distributor generates nothing: its outputs say where what it takes ends
    own = residual & (flows["source"] == firm) & (roles[firm] != "distributor")
    taken = (flows["target"] == firm) & (flows["source"] != firm)
    taken &= (residual & network.source_is_actor) | from_distributor
    chosen = flows[own | taken]
    edits = [ed.AddFirm("DUMP", role="landfill")]
    keys = dict.fromkeys(zip(chosen.source, chosen.target, chosen.material, strict=True))
    edits += [ed.RedirectFlow(s, t, m, to="DUMP") for s, t, m in keys]
    return ed.apply(network, edits)


def share(network):
    found = reuse_accounts(network).to_dict()["dimensions"].get("mass", {})
    return found.get("reuse_share")


@st.composite
def parks_with_distributors(draw):
    n = draw(st.integers(2, 6))
    actors = [f"F{i}" for i in range(n)]
    kinds = ["firm", "firm", "treatment", "distributor", "distributor"]
    roles = {a: draw(st.sampled_from(kinds)) for a in actors}
    roles |= {"MKT": "market", "LF": "landfill"}
    rows = []
    pairs = st.tuples(st.integers(0, n - 1), st.integers(0, n - 1))
    for k, (i, j) in enumerate(draw(st.lists(pairs, max_size=3 * n))):
        category = draw(st.sampled_from(["product", "by-product", "waste"]))
        size = draw(st.one_of(st.integers(1, 100), st.just("")))
        rows.append((actors[i], actors[j], f"m{k}", size, "t", category))
    for a in actors:
        if draw(st.booleans()):
            rows.append((a, "LF", "residue", draw(st.integers(0, 30)), "t", "waste"))
    # every distributor hands on to a node that is none: one whose every output ends in a
    # loop of distributors keeps what it gets, and removing the loop would open it (the
    # accounts' rule, not what a removal costs)
    others = [a for a in actors if roles[a] != "distributor"] + ["LF"]
    for a in actors:
        if roles[a] == "distributor":
            exit_to = draw(st.sampled_from(others))
            rows.append((a, exit_to, "passed", draw(st.integers(1, 50)), "t", "product"))
    rows.append(("MKT", actors[0], "input", 10, "t", "product"))
    return network_of(rows, roles)


@settings(max_examples=40, deadline=None)
@given(parks_with_distributors())
def test_the_reuse_lost_equals_a_reanalysis_with_distributors(network):
    note(network.flows[COLUMNS].to_string())
    note(network.firms["role"].to_string())
    before = share(network)
    table = criticality(network, cut_off="all-paths").table
    if before is None:
        assert "reuse_lost_mass" not in table or table["reuse_lost_mass"].isna().all()
        return
    for firm in network.actors:
        lost = table.loc[firm, "reuse_lost_mass"]
        after = share(dumped(network, firm))
        assert lost == pytest.approx(before - (after or 0.0), abs=1e-9), firm
    assert not np.isnan(table["reuse_lost_mass"]).any()
