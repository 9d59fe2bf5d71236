"""Firm criticality: a hand-computed network, a networkx dominator oracle, and each
incremental criterion against a full re-analysis of the network without the firm."""

import networkx as nx
import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from symbiosis import InputError, from_frames
from symbiosis import edits as ed
from symbiosis.analysis.criticality import criticality, immediate_dominators
from symbiosis.analysis.loops import find_loops
from symbiosis.analysis.reuse import residual_streams, reuse_accounts

COLUMNS = ["source", "target", "material", "quantity", "unit", "category"]


def network_of(rows, roles):
    firms = pd.DataFrame({"id": list(roles), "role": list(roles.values())})
    return from_frames(firms, pd.DataFrame(rows, columns=COLUMNS))


@pytest.fixture(scope="module")
def park():
    """A smelter fed by a mine and imports; slag to cement (and back: a loop), off-gas to
    an acid plant whose acid feeds a fertiliser plant."""
    return network_of(
        [
            ("MINE", "SM", "ore", 100, "t", "product"),
            ("MKT", "SM", "concentrate", 50, "t", "product"),
            ("SM", "CEM", "slag", 30, "t", "by-product"),
            ("SM", "LF", "slag", 10, "t", "waste"),
            ("SM", "AC", "off-gas", 20, "t", "by-product"),
            ("SM", "MKT", "metal", 60, "t", "product"),
            ("CEM", "SM", "limestone", 5, "t", "product"),
            ("AC", "FERT", "sulfuric acid", 15, "t", "by-product"),
            ("AC", "AIR", "SO2", 5, "t", "emission"),
            ("FERT", "LF", "gypsum", 10, "t", "waste"),
        ],
        {
            "MINE": "mine",
            "SM": "firm",
            "CEM": "firm",
            "AC": "firm",
            "FERT": "firm",
            "MKT": "market",
            "LF": "landfill",
            "AIR": "air",
        },
    )


def test_hand_computed_criticality(park):
    result = criticality(park, cut_off="all-paths")
    table = result.table
    assert result.reuse_share["mass"] == pytest.approx(65 / 90)
    assert table["loops_broken"].to_dict() == {"SM": 1, "CEM": 1, "AC": 0, "FERT": 0, "MINE": 0}
    assert table.loc["SM", "firms_cut_off"] == 3
    assert table.loc["SM", "cut_off"] == ("CEM", "AC", "FERT")  # in firms-table order
    assert table.loc["AC", "cut_off"] == ("FERT",)
    assert table.loc["MINE", "firms_cut_off"] == 0  # the smelter also imports
    change = table["reuse_share_change_mass"]
    assert change["SM"] == pytest.approx(15 / 30 - 65 / 90)
    assert change["AC"] == pytest.approx(30 / 70 - 65 / 90)
    assert change["CEM"] == pytest.approx(35 / 90 - 65 / 90)
    assert change["FERT"] == pytest.approx(50 / 80 - 65 / 90)
    assert change["MINE"] == 0
    assert table["orphaned_mass"].to_dict() == {
        "SM": 0,
        "CEM": 30,
        "AC": 20,
        "FERT": 15,
        "MINE": 0,
    }
    # the reuse that goes with each: what it generated reused and what it took, of the
    # 90 t generated (its own residues lost, not gone from the denominator)
    assert table["reuse_lost_mass"].to_dict() == pytest.approx(
        {"SM": 50 / 90, "CEM": 30 / 90, "AC": 35 / 90, "FERT": 15 / 90, "MINE": 0.0}
    )
    # score: mean of loops / 1, cut off / 3, reuse lost / (50/90), orphaned / 30
    assert table["score"].to_dict() == pytest.approx(
        {
            "CEM": (1 + 0 + 30 / 50 + 1) / 4,
            "SM": (1 + 1 + 1 + 0) / 4,
            "AC": (0 + 1 / 3 + 35 / 50 + 20 / 30) / 4,
            "FERT": (0 + 0 + 15 / 50 + 15 / 30) / 4,
            "MINE": 0.0,
        }
    )
    assert table.index.tolist() == ["SM", "CEM", "AC", "FERT", "MINE"]
    assert table["rank"].tolist() == [1, 2, 3, 4, 5]


def test_a_removal_that_deletes_its_own_dumped_waste_is_not_rewarded():
    """tester-cities4 item 12: Bayan Obo's removal took its 30 Mt of waste rock out of the
    reuse share's denominator (+3.1 pp: no reuse lost). The plant here reuses 10 t of slag
    and dumps 100 t of tailings: without it the share rises from 20 / 130 to 10 / 20, yet
    10 t of reuse go with it; the score counts those."""
    rows = [
        ("MINE", "PLANT", "ore", 200, "t", "product"),
        ("PLANT", "CEM", "slag", 10, "t", "by-product"),
        ("PLANT", "LF", "tailings", 100, "t", "waste"),
        ("PLANT", "MKT", "metal", 90, "t", "product"),
        ("X", "CEM", "fly ash", 10, "t", "by-product"),
        ("X", "LF", "bottom ash", 10, "t", "waste"),
        ("IMP", "X", "coal", 50, "t", "product"),
        ("IMP", "CEM", "limestone", 80, "t", "product"),
        ("CEM", "MKT", "cement", 100, "t", "product"),
    ]
    roles = {"MINE": "mine", "PLANT": "firm", "X": "firm", "CEM": "firm", "IMP": "market",
             "MKT": "market", "LF": "landfill"}  # fmt: skip
    table = criticality(network_of(rows, roles), by="reuse_share_lost").table
    assert table.loc["PLANT", "reuse_share_change_mass"] == pytest.approx(10 / 20 - 20 / 130)
    assert table.loc["PLANT", "reuse_lost_mass"] == pytest.approx(10 / 130)
    assert table.loc["CEM", "reuse_lost_mass"] == pytest.approx(20 / 130)
    assert table.loc["X", "reuse_lost_mass"] == pytest.approx(10 / 130)
    assert table.index[:2].tolist() == ["CEM", "PLANT"]  # the plant ranked last with 0


def test_the_result_says_which_supply_chain_was_followed(park):
    result = criticality(park)
    assert result.supply_dimension == "mass"
    assert result.to_dict()["supply_dimension"] == "mass"


# A mine, a concentrator and a plant that buys grid power: the plant gets all its
# feedstock through the concentrator. Counted on every flow, the grid made it a supply
# source, and the concentrator cut off nothing.
GRID_POWER = [
    ("MINE", "CONC", "ore", 100, "t", "product"),
    ("CONC", "PLANT", "concentrate", 30, "t", "product"),
    ("CONC", "LF", "tailings", 70, "t", "waste"),
    ("GRID", "PLANT", "electricity", 50, "MWh", "product"),
    ("GRID", "CONC", "electricity", 20, "MWh", "product"),
    ("RIVER", "CONC", "water", 500, "m3", "product"),
    ("PLANT", "MKT", "metal", 25, "t", "product"),
]
GRID_ROLES = {
    "MINE": "mine",
    "CONC": "firm",
    "PLANT": "firm",
    "GRID": "market",
    "RIVER": "river",
    "LF": "landfill",
    "MKT": "market",
}


def test_power_and_water_from_outside_do_not_supply_a_plant():
    table = criticality(network_of(GRID_POWER, GRID_ROLES)).table
    assert table.loc["CONC", "cut_off"] == ("PLANT",)
    assert table.loc["MINE", "cut_off"] == ("CONC", "PLANT")
    assert table.loc["PLANT", "firms_cut_off"] == 0


def test_power_from_a_local_plant_does_not_supply_a_refinery():
    """Daqing in small: the refinery takes the oilfield's crude and the power plant's
    electricity; the power plant burns bought coal. By mass, the oilfield cuts the
    refinery off; by energy, the power plant does (the oilfield sends no energy)."""
    rows = [
        ("FIELD", "REF", "crude oil", 100, "t", "product"),
        ("COAL", "CHP", "coal", 50, "t", "product"),
        ("CHP", "REF", "electricity", 80, "MWh", "product"),
        ("CHP", "FIELD", "electricity", 90, "MWh", "product"),
        ("REF", "CHP", "refinery gas", 10, "GJ", "by-product"),
        ("REF", "MKT", "fuels", 95, "t", "product"),
    ]
    roles = {"FIELD": "extraction", "REF": "firm", "CHP": "utility", "COAL": "market",
             "MKT": "market"}  # fmt: skip
    net = network_of(rows, roles)
    mass = criticality(net).table
    assert mass.loc["FIELD", "cut_off"] == ("REF",) and mass.loc["CHP", "firms_cut_off"] == 0
    energy = criticality(net, dimension="energy")
    assert energy.supply_dimension == "energy"
    # in energy, the power plant has no input but the refinery gas of the refinery it
    # feeds: no supply source reaches either of them, so neither is cut off
    assert energy.table["firms_cut_off"].sum() == 0
    rows.append(("GRID", "CHP", "start-up power", 1, "MWh", "product"))
    energy = criticality(network_of(rows, roles | {"GRID": "market"}), dimension="energy")
    assert energy.table.loc["CHP", "cut_off"] == ("REF",)
    assert energy.table.loc["FIELD", "firms_cut_off"] == 0


def test_a_residue_does_not_supply_a_plant_that_takes_a_product():
    """The smelter takes concentrate and scrap bought from outside by a recycler: losing
    the concentrator, it loses its feedstock; the scrap is a secondary input."""
    rows = [
        ("MINE", "CONC", "ore", 100, "t", "product"),
        ("CONC", "SM", "concentrate", 30, "t", "product"),
        ("MKT", "RECY", "end-of-life scrap", 5, "t", "waste"),
        ("RECY", "SM", "sorted scrap", 4, "t", "by-product"),
        ("SM", "SLAG", "slag", 10, "t", "by-product"),
        ("SLAG", "SM", "slag concentrate", 1, "t", "by-product"),
        ("SM", "MKT", "cathode", 20, "t", "product"),
        ("SLAG", "MKT", "slag sand", 9, "t", "product"),
    ]
    roles = {"MINE": "mine", "CONC": "firm", "SM": "firm", "RECY": "recycling",
             "SLAG": "recycling", "MKT": "market"}  # fmt: skip
    table = criticality(network_of(rows, roles)).table
    assert table.loc["CONC", "cut_off"] == ("SM", "SLAG")  # the slag plant takes slag only
    assert table.loc["SM", "cut_off"] == ("SLAG",)
    assert table.loc["RECY", "firms_cut_off"] == 0


def test_ranking_by_one_criterion(park):
    assert criticality(park, by="orphaned").table.index[0] == "CEM"
    ranked = criticality(park, by="firms_cut_off", cut_off="all-paths")
    assert ranked.table.index[:2].tolist() == ["SM", "AC"]
    # the smelter needs the mine's ore and the cement works' limestone, whatever it
    # imports: the mine cuts off all four, the cement works the three others
    ranked = criticality(park, by="firms_cut_off").table
    assert ranked["firms_cut_off"].to_dict() == {"MINE": 4, "CEM": 3, "SM": 3, "AC": 1, "FERT": 0}
    assert ranked.loc["MINE", "cut_off"] == ("SM", "CEM", "AC", "FERT")


def test_bad_parameters(park):
    with pytest.raises(InputError, match="unknown ranking 'size'"):
        criticality(park, by="size")
    with pytest.raises(InputError, match="cut_off: unknown rule 'some'; choose from essential"):
        criticality(park, cut_off="some")
    with pytest.raises(InputError, match="unknown dimension 'energy'"):
        criticality(park, dimension="energy")
    with pytest.raises(InputError, match="unknown dimension 'energy'"):
        criticality(network_of(GRID_POWER[:3], GRID_ROLES), dimension="energy")


def test_result_serialises(park):
    import json

    data = criticality(park, cut_off="all-paths").to_dict(top=2)
    assert data["cut_off_rule"] == "all-paths"
    assert [f["firm"] for f in data["firms"]] == ["SM", "CEM"]
    assert data["firms"][0]["cut_off"] == ["CEM", "AC", "FERT"]
    json.dumps(data, allow_nan=False)


# ---------------------------------------------------------------------- oracles


@settings(max_examples=100, deadline=None)
@given(st.integers(2, 12), st.lists(st.tuples(st.integers(0, 11), st.integers(0, 11))))
def test_immediate_dominators_match_networkx(n, arcs):
    arcs = [(a % n, b % n) for a, b in arcs]
    tails = np.array([a for a, _ in arcs], dtype=np.int64)
    heads = np.array([b for _, b in arcs], dtype=np.int64)
    graph = sp.csr_matrix((np.ones(len(arcs)), (tails, heads)), shape=(n, n))
    reference = nx.DiGraph()
    reference.add_nodes_from(range(n))
    reference.add_edges_from(arcs)
    expected = np.full(n, -1)
    for node, dominator in nx.immediate_dominators(reference, 0).items():
        expected[node] = dominator
    expected[0] = 0
    assert immediate_dominators(graph, 0).tolist() == expected.tolist()


@st.composite
def random_parks(draw):
    n = draw(st.integers(2, 7))
    actors = [f"F{i}" for i in range(n)]
    roles = {a: draw(st.sampled_from(["firm", "firm", "extraction", "treatment"])) for a in actors}
    roles |= {"MKT": "market", "LF": "landfill"}
    rows = []
    for k, (i, j) in enumerate(
        draw(st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)), max_size=3 * n))
    ):
        # i == j: an actor's own recycling, which goes with it (not also orphaned)
        category = draw(st.sampled_from(["product", "by-product", "waste"]))
        size = draw(st.one_of(st.integers(1, 100), st.just("")))  # "": unknown size
        rows.append((actors[i], actors[j], f"m{k}", size, "t", category))
    for a in actors:
        if draw(st.booleans()):
            rows.append(("MKT", a, "input", draw(st.integers(1, 100)), "t", "product"))
        rows.append((a, "LF", "residue", draw(st.integers(0, 30)), "t", "waste"))
    return network_of(rows, roles)


def without(network, firm):
    """The network after the removal as criticality defines it: the firm and its flows
    gone, the residual streams it took from other actors sent to a landfill instead."""
    flows = network.flows
    taken = flows[
        (flows["target"] == firm)
        & network.source_is_actor
        & flows["category"].isin(["by-product", "waste", "emission"])
    ]
    edits = [ed.AddFirm("DUMP", role="landfill")]
    edits += [
        ed.RedirectFlow(s, firm, m, to="DUMP")
        for s, m in zip(taken.source, taken.material, strict=True)
    ]
    return ed.apply(network, [*edits, ed.RemoveFirm(firm)])


def dumped(network, firm):
    """The network with every residual stream the firm generates, or takes from another
    actor, sent to a landfill instead: what its removal costs the reuse when its own
    residues count as lost (still generated, no longer reused), not as gone."""
    flows = network.flows
    residual = flows["category"].isin(["by-product", "waste", "emission"])
    own = residual & (flows["source"] == firm)
    taken = residual & (flows["target"] == firm) & (flows["source"] != firm)
    chosen = flows[own | (taken & network.source_is_actor)]
    edits = [ed.AddFirm("DUMP", role="landfill")]
    keys = dict.fromkeys(zip(chosen.source, chosen.target, chosen.material, strict=True))
    edits += [ed.RedirectFlow(s, t, m, to="DUMP") for s, t, m in keys]
    return ed.apply(network, edits)


def supply_graph(network):
    """The supply chain in mass written out from its rule (every flow of these parks is
    in tonnes): product flows, and every flow into an actor that takes no product; the
    supply sources (actors such a flow reaches from outside, extraction actors, actors
    with no input); the graph of those flows between actors (networkx)."""
    flows = network.flows
    into = flows[network.target_is_actor]
    takes_product = set(into["target"][into["category"] == "product"])
    kept = into[(into["category"] == "product") | ~into["target"].isin(takes_product)]
    actors = set(network.actors)
    fed = {t for s, t in zip(kept["source"], kept["target"], strict=True) if s not in actors}
    roles = network.firms["role"]
    sources = {
        a for a in actors if a in fed or roles[a] == "extraction" or a not in set(into["target"])
    }
    graph = nx.DiGraph()
    graph.add_nodes_from(actors)
    graph.add_edges_from(
        (s, t) for s, t in zip(kept["source"], kept["target"], strict=True) if s in actors
    )
    return sources, graph


def reached_from(graph, sources):
    """Actors reachable from ``sources`` in ``graph`` (networkx BFS)."""
    reached = set(sources)
    for source in sources:
        reached |= nx.descendants(graph, source)
    return reached


def reuse_share(network):
    """The mass reuse share recomputed from the residual streams (as reuse_accounts)."""
    streams = residual_streams(network)
    generated = streams["value"].sum()
    reused = streams["value"][streams["fate"] == "reused"].sum()
    return float(min(reused / generated, 1.0)) if generated > 0 else None


@settings(max_examples=20, deadline=None)
@given(random_parks())
def test_incremental_criteria_equal_a_full_reanalysis(network):
    result = criticality(network, cut_off="all-paths").table
    search = find_loops(network)
    loops_before = {frozenset(zip(loop.firms, loop.firms[1:] + loop.firms[:1], strict=True))
                    for loop in search.loops}  # fmt: skip
    share_before = reuse_share(network)
    assert share_before == reuse_accounts(network).to_dict()["dimensions"]["mass"]["reuse_share"]
    counted_before = reuse_accounts(network).counted["reuse_share"]
    sources, graph = supply_graph(network)
    supplied = reached_from(graph, sources)
    for firm in network.actors:
        after = without(network, firm)
        # removing a firm never adds a loop, and breaks exactly those through it
        loops_after = {
            frozenset(zip(loop.firms, loop.firms[1:] + loop.firms[:1], strict=True))
            for loop in find_loops(after).loops
        }
        assert loops_after <= loops_before
        assert len(loops_before - loops_after) == result.loc[firm, "loops_broken"]
        share_after = reuse_share(after)
        expected = (
            None if share_before is None or share_after is None else share_after - share_before
        )
        change = result.loc[firm, "reuse_share_change_mass"]
        if expected is None:
            assert np.isnan(change)
        else:
            assert change == pytest.approx(expected, abs=1e-12)
        # the reuse lost: its residues and those it took sent to a landfill
        kept = dumped(network, firm)
        lost, lost_streams = result.loc[firm, ["reuse_lost_mass", "reuse_lost_streams"]]
        if share_before is None:
            assert np.isnan(lost)
        else:
            assert lost == pytest.approx(share_before - reuse_share(kept), abs=1e-12)
        if counted_before is not None:
            counted_kept = reuse_accounts(kept).counted["reuse_share"]
            assert lost_streams == pytest.approx(counted_before - counted_kept, abs=1e-12)
        # by count: every residual stream weighs one, sized or not (reuse's own count)
        counted_after = reuse_accounts(after).counted["reuse_share"]
        change = result.loc[firm, "reuse_share_change_streams"]
        if counted_before is None or counted_after is None:
            assert np.isnan(change)
        else:
            assert change == pytest.approx(counted_after - counted_before, abs=1e-12)
        flows = network.flows
        taken = (flows["target"] == firm) & (flows["source"] != firm) & network.source_is_actor
        taken &= flows["category"].isin(["by-product", "waste", "emission"])
        assert result.loc[firm, "orphaned_streams"] == int(taken.sum())
        sized = pd.to_numeric(flows["quantity"][taken & flows["value"].notna()]).sum()
        assert result.loc[firm, "orphaned_mass"] == pytest.approx(sized)
        # cut off: supplied before, not reached from the (original) supply sources along
        # the (original) supply chain without the firm
        lost = supplied - {firm} - reached_from(nx.restricted_view(graph, [firm], []),
                                                sources - {firm})  # fmt: skip
        assert result.loc[firm, "firms_cut_off"] == len(lost)
        assert set(result.loc[firm, "cut_off"]) == lost


@pytest.mark.parametrize("folder", ["examples/tongling", "tests/data/literature/kalundborg"])
def test_the_dict_holds_every_row_as_the_table_does(folder):
    """The records, built a column at a time, are the table's rows one by one: firm
    first, builtin values, NaN and infinities as None, tuples as lists."""
    from pathlib import Path

    from symbiosis import load
    from symbiosis.jsonable import to_jsonable

    result = criticality(load(Path(__file__).parents[2] / folder))
    table = result.table.copy()
    table.iloc[0, table.columns.get_loc("score")] = np.inf  # as a division could give
    table.iloc[1, table.columns.get_loc("score")] = np.nan
    result = type(result)(**{**result.__dict__, "table": table})
    listed = [
        {k: list(v) if isinstance(v, tuple) else v for k, v in row.items()}
        for _, row in table.iterrows()
    ]
    want = [to_jsonable({"firm": f, **row}) for f, row in zip(table.index, listed, strict=True)]
    data = result.to_dict()
    assert data["firms"] == want
    assert [list(r) for r in data["firms"]] == [list(r) for r in want]  # key order
    assert data["firms"][0]["score"] is None and data["firms"][1]["score"] is None
    assert result.to_dict(top=3)["firms"] == want[:3]
    assert data["actors"] == len(table)
