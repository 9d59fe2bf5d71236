"""Resource-city indicators: origin tracing, sector diversity and chain depth."""

from __future__ import annotations

import math
from pathlib import Path

import networkx as nx
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import symbiosis
from symbiosis.analysis import _condensation as condensation_module
from symbiosis.analysis.structure import (
    CHAIN_FLOWS,
    ORIGINS,
    chain_stages,
    resource_city_indicators,
    throughflow_origins,
)

from .reuse_networks import build, network, random_frames

TONGLING = Path(__file__).parents[2] / "examples" / "tongling"
PROPERTY = settings(max_examples=30, deadline=None)


def origins_of(net, dimension="mass") -> pd.DataFrame:
    return throughflow_origins(net, dimension).set_index("firm")


# --------------------------------------------------------------------------- origins


LOOP = network(
    [
        ("mine", "extraction"),
        ("smelter", "firm"),
        ("slagplant", "recycling"),
        ("imports", "market"),
        ("market", "market"),
        ("dump", "disposal"),
    ],
    [
        ("mine", "smelter", "concentrate", 100, "t", "product"),
        ("imports", "smelter", "concentrate", 100, "t", "product"),
        ("smelter", "slagplant", "slag", 40, "t", "by-product"),
        ("slagplant", "smelter", "slag concentrate", 40, "t", "by-product"),
        ("smelter", "market", "cathode", 150, "t", "product"),
        ("smelter", "dump", "waste", 50, "t", "waste"),
    ],
)


def test_actors_without_any_flow_of_known_size():
    """Found by fuzzing: a network whose actors have no flow of known size (a shock or a
    scenario that stops every flow leaves such a network) made the structure pass fail
    with an IndexError, an "internal error" on the command line."""
    from symbiosis import edits

    two = network([("A", "firm"), ("B", "firm")], [("A", "B", "slag", 10, "t", "by-product")])
    for empty in (
        edits.apply(two, [edits.RemoveFirm("A")]),  # no flow at all
        network([("A", "firm"), ("B", "firm")], [("A", "B", "slag", None, "t", "by-product")]),
    ):
        result = resource_city_indicators(empty)
        assert len(result.origins) == 0  # no actor has a throughflow
        assert symbiosis.analyze(empty).to_dict()["structure"]


def test_origin_tracing_through_a_loop_by_hand():
    # T: mine 100, smelter 240, slag plant 40 (TST 380). g(smelter->slag) = 40/240,
    # g(slag->smelter) = 1, so the smelter's extracted part x = 100 + x/6 = 120, the slag
    # plant's x/6 = 20; the same for imports.
    table = origins_of(LOOP)
    assert table.loc["smelter", "throughflow"] == 240
    assert table.loc["smelter", "extraction"] == pytest.approx(120)
    assert table.loc["smelter", "imports"] == pytest.approx(120)
    assert table.loc["slagplant", "extraction"] == pytest.approx(20)
    assert table.loc["mine", "extraction"] == 100 and table.loc["mine", "imports"] == 0
    mass = resource_city_indicators(LOOP)["mass"]
    assert mass["total_system_throughflow"] == 380
    assert mass["extraction_dependence"] == pytest.approx(240 / 380)
    assert mass["imports_share"] == pytest.approx(140 / 380)
    assert mass["unrecorded_share"] == pytest.approx(0, abs=1e-12)
    assert mass["extraction_dependence_recorded"] == pytest.approx(240 / 380)


def test_unrecorded_inputs_are_their_own_origin():
    net = network(
        [("quarry", "extraction"), ("kiln", "firm"), ("m", "market")],
        [
            ("quarry", "kiln", "limestone", 10, "t", "product"),
            ("kiln", "m", "clinker", 30, "t", "product"),
        ],
    )
    mass = resource_city_indicators(net)["mass"]
    # kiln: T 30, of which 10 from the quarry and 20 unrecorded (fuel, air)
    assert mass["extraction_dependence"] == pytest.approx(20 / 40)
    assert mass["unrecorded_share"] == pytest.approx(20 / 40)
    assert mass["extraction_dependence_recorded"] == 1.0


def test_closed_loop_is_circulating_not_an_error():
    net = network(
        [("a", "firm"), ("b", "firm"), ("mine", "extraction"), ("c", "firm"), ("m", "market")],
        [
            ("a", "b", "steam", 10, "t", "by-product"),
            ("b", "a", "condensate", 10, "t", "by-product"),
            ("mine", "c", "ore", 5, "t", "product"),
            ("c", "m", "metal", 5, "t", "product"),
        ],
    )
    mass = resource_city_indicators(net)["mass"]
    assert mass["circulating_share"] == pytest.approx(20 / 30)
    assert mass["extraction_dependence"] == pytest.approx(10 / 30)
    table = origins_of(net)
    assert table.loc["a", "circulating"] == 10 and table.loc["c", "extraction"] == 5


def test_water_from_a_river_is_an_environment_origin():
    net = network(
        [("river", "environment"), ("plant", "firm"), ("m", "market")],
        [
            ("river", "plant", "water", 100, "m3", "product"),
            ("plant", "m", "bottled water", 100, "m3", "product"),
        ],
    )
    assert resource_city_indicators(net)["volume"]["environment_share"] == 1.0


@pytest.mark.parametrize("scale", [2.0**-1070, 1e-320, 1e-300, 1e-30, 1e30, 1e300])
def test_origin_tracing_is_scale_free(scale, recwarn):
    """Issue 18, item 10: the flows of a dimension multiplied by a denormal or a huge factor
    (past what validation accepts: the table is edited after loading) give the same shares,
    never "ill-conditioned" and never a numpy warning. The system is solved in units of
    the largest throughflow (a power of two)."""
    flows = LOOP.flows.copy()
    flows["value"] = flows["value"] * scale
    scaled = LOOP.with_tables(flows=flows)
    table, reference = origins_of(scaled), origins_of(LOOP)
    shares = table[list(ORIGINS)].div(table["throughflow"], axis=0)
    expected = reference[list(ORIGINS)].div(reference["throughflow"], axis=0)
    # a denormal keeps a few bits: 2**-1070 * 40 / 240 is exact to 1 part in 2**4
    tolerance = 0.1 if scale < 1e-307 else 1e-12
    assert np.allclose(shares.to_numpy(), expected.to_numpy(), rtol=tolerance, atol=tolerance)
    assert not [w for w in recwarn if issubclass(w.category, RuntimeWarning)]


def test_solver_failure_becomes_an_analysis_error(monkeypatch):
    def singular(*args, **kwargs):
        raise RuntimeError("Factor is exactly singular")

    monkeypatch.setattr(condensation_module, "_m_matrix_lu", singular)
    with pytest.raises(symbiosis.AnalysisError, match="origin tracing failed"):
        resource_city_indicators(LOOP)


# --------------------------------------------------------------------------- diversity


def test_sector_diversity_by_hand():
    net = network(
        [
            ("x", "firm", "metal"),
            ("y", "firm", "cement"),
            ("z", "firm", ""),
            ("w", "firm", "metal"),
            ("m", "market"),
        ],
        [
            ("x", "m", "a", 150, "t", "product"),
            ("w", "m", "b", 50, "t", "product"),
            ("y", "m", "c", 100, "t", "product"),
            ("z", "m", "d", 100, "t", "product"),
        ],
    )
    mass = resource_city_indicators(net)["mass"]
    # shares: metal 0.5 (two firms), cement 0.25, (no sector) 0.25
    entropy = -(0.5 * math.log(0.5) + 2 * 0.25 * math.log(0.25))
    assert mass["sectors"] == 3
    assert mass["sector_entropy"] == pytest.approx(entropy)
    assert mass["sector_evenness"] == pytest.approx(entropy / math.log(3))
    assert mass["sector_herfindahl"] == pytest.approx(0.375)
    assert mass["effective_sectors"] == pytest.approx(math.exp(entropy))
    sectors = resource_city_indicators(net).sectors.set_index("sector")
    assert sectors.loc["metal", "actors"] == 2 and "(no sector)" in sectors.index


def test_one_sector_town():
    net = network(
        [("mine", "extraction", "copper"), ("m", "market")],
        [("mine", "m", "ore", 7, "t", "product")],
    )
    mass = resource_city_indicators(net)["mass"]
    assert mass["sector_entropy"] == 0 and mass["sector_herfindahl"] == 1
    assert mass["sector_evenness"] is None and mass["extraction_dependence"] == 1


# --------------------------------------------------------------------------- chain depth


CHAIN = network(
    [
        ("mine", "extraction"),
        ("smelter", "firm"),
        ("slagplant", "recycling"),
        ("fab", "firm"),
        ("quarry", "extraction"),
        ("plant", "firm"),
        ("mkt", "market"),
    ],
    [
        ("mine", "smelter", "concentrate", 500, "t", "product"),
        ("smelter", "slagplant", "slag", 50, "t", "by-product"),
        ("slagplant", "smelter", "slag concentrate", 5, "t", "by-product"),
        ("smelter", "fab", "cathode", 100, "t", "product"),
        ("fab", "mkt", "wire", 100, "t", "product"),
        ("smelter", "mkt", "cathode", 300, "t", "product"),
        ("fab", "quarry", "scrap", None, "", "by-product"),  # into an extraction actor
        ("quarry", "mkt", "gravel", 200, "t", "product"),
        ("mkt", "plant", "parts", 600, "t", "product"),
        ("plant", "mkt", "machines", 600, "t", "product"),
    ],
)


def test_chain_stages_by_hand():
    stages = chain_stages(CHAIN).set_index("firm")
    stage = stages["stage"]
    assert stage["mine"] == 1 and stage["quarry"] == 1  # extraction starts a chain
    # the smelter takes concentrate (a product): the slag concentrate it takes back does
    # not merge it with the slag plant, which takes slag only and comes after it
    assert stage["smelter"] == 2 and stage["slagplant"] == 3
    assert stage["fab"] == 3
    assert pd.isna(stage["plant"])  # fed by imports only
    assert stages["chain"].to_dict() == {
        "mine": "extraction",
        "quarry": "extraction",
        "smelter": "product",
        "slagplant": "residue",
        "fab": "product",
        "plant": None,
    }


def test_chain_stages_on_every_link_is_the_earlier_rule():
    stages = chain_stages(CHAIN, chain="links").set_index("firm")
    assert stages["stage"]["smelter"] == 2 and stages["stage"]["slagplant"] == 2  # one loop
    assert stages["stage"]["fab"] == 3 and pd.isna(stages["stage"]["plant"])
    assert set(stages["chain"].dropna()) == {"extraction", "link"}
    assert resource_city_indicators(CHAIN, chain="links").chain_rule == "links"


def test_an_unknown_chain_rule_is_an_input_error():
    with pytest.raises(symbiosis.InputError, match="chain"):
        chain_stages(CHAIN, chain="everything")
    with pytest.raises(symbiosis.InputError, match="chain"):
        resource_city_indicators(CHAIN, chain="mass")


# A coal town (tests/data/resource_cities/shuozhou in small): the power plants sell
# electricity back to the mine and the preparation plant, and mine water comes back to the
# preparation plant through treatment. Counted on every flow, mine, preparation, power
# plant and treatment were one loop, all stage 1.
UTILITY_LOOP = network(
    [
        ("mine", "extraction"),
        ("prep", "firm"),
        ("power", "utility"),
        ("water", "treatment"),
        ("bricks", "firm"),
        ("mkt", "market"),
    ],
    [
        ("mine", "prep", "raw coal", 100, "t", "product"),
        ("prep", "power", "thermal coal", 20, "t", "product"),
        ("prep", "mkt", "thermal coal", 70, "t", "product"),
        ("power", "mine", "electricity", 5, "MWh", "product"),
        ("power", "prep", "electricity", 3, "MWh", "product"),
        ("power", "mkt", "electricity", 40, "MWh", "product"),
        ("mine", "water", "mine water", 50, "m3", "waste"),
        ("water", "prep", "reclaimed water", 30, "m3", "by-product"),
        ("power", "bricks", "fly ash", 4, "t", "by-product"),
        ("prep", "bricks", "coal gangue", 6, "t", "by-product"),
        ("bricks", "mkt", "bricks", 9, "t", "product"),
    ],
)


def test_utility_back_flows_do_not_collapse_the_chain():
    stages = chain_stages(UTILITY_LOOP).set_index("firm")["stage"]
    assert stages["mine"] == 1 and stages["prep"] == 2 and stages["power"] == 3
    assert stages["bricks"] == 4  # coal, gangue and ash: the coal-power-materials chain
    assert pd.isna(stages["water"])  # water is not on the material chain
    indicators = resource_city_indicators(UTILITY_LOOP)
    assert indicators.chain_depth_longest == 4
    # sales: coal 70 at stage 2, bricks 9 at stage 4 (electricity is energy)
    assert indicators["mass"]["chain_depth_mean"] == pytest.approx((70 * 2 + 9 * 4) / 79)
    assert indicators["energy"]["chain_depth_mean"] == 3
    links = chain_stages(UTILITY_LOOP, chain="links").set_index("firm")["stage"]
    assert (links[["mine", "prep", "power", "water"]] == 1).all()  # the earlier collapse


# A V-Ti steel town (tests/data/resource_cities/panzhihua in small): the acid plant
# roasts copperas from the TiO2 plant with bought sulfur and sends iron-oxide cinder to
# the blast furnace; a magnet maker's scrap comes back to the separation plant.
BY_PRODUCT_LINKS = network(
    [
        ("mine", "extraction"),
        ("conc", "firm"),
        ("iron", "firm"),
        ("steel", "firm"),
        ("tiplant", "firm"),
        ("tio2", "firm"),
        ("acid", "firm"),
        ("imports", "market"),
        ("mkt", "market"),
    ],
    [
        ("mine", "conc", "ore", 1000, "t", "product"),
        ("conc", "iron", "iron concentrate", 400, "t", "product"),
        ("iron", "steel", "hot metal", 250, "t", "product"),
        ("steel", "mkt", "steel", 240, "t", "product"),
        ("conc", "tiplant", "separation tailings", 600, "t", "by-product"),
        ("tiplant", "tio2", "ilmenite", 60, "t", "product"),
        ("tio2", "mkt", "pigment", 20, "t", "product"),
        ("tio2", "acid", "copperas", 50, "t", "by-product"),
        ("imports", "acid", "sulfur", 10, "t", "product"),
        ("acid", "tio2", "sulfuric acid", 40, "t", "product"),
        ("acid", "iron", "iron oxide cinder", 8, "t", "by-product"),
        ("steel", "iron", "steel slag", 5, "t", "by-product"),
    ],
)


def test_a_by_product_link_neither_lifts_nor_merges_a_product_chain():
    stages = chain_stages(BY_PRODUCT_LINKS).set_index("firm")["stage"]
    # mine, concentrator, blast furnace, converter: the cinder and the slag change nothing
    assert stages[["mine", "conc", "iron", "steel"]].tolist() == [1, 2, 3, 4]
    # the titanium chain starts from a by-product and stays on the chain through it
    assert stages["tiplant"] == 3 and stages["tio2"] == 4
    # the acid plant takes bought sulfur: its copperas is a secondary input, and its acid
    # (a product) does not merge it with the TiO2 plant, which takes ilmenite
    assert pd.isna(stages["acid"])
    links = chain_stages(BY_PRODUCT_LINKS, chain="links").set_index("firm")["stage"]
    # the slag merges furnace and converter, the cinder lifts them after the acid plant
    assert links["iron"] == links["steel"] == 5
    assert links["tio2"] == links["acid"] == 4  # one loop


def test_a_recycling_loop_keeps_its_stages():
    net = network(
        [("mine", "extraction"), ("sep", "firm"), ("metal", "firm"), ("magnets", "firm"),
         ("recycler", "recycling"), ("mkt", "market")],
        [
            ("mine", "sep", "concentrate", 100, "t", "product"),
            ("sep", "metal", "oxide", 20, "t", "product"),
            ("metal", "magnets", "metal", 15, "t", "product"),
            ("magnets", "mkt", "magnets", 14, "t", "product"),
            ("magnets", "recycler", "scrap", 3, "t", "by-product"),
            ("recycler", "sep", "recovered oxide", 1, "t", "by-product"),
        ],
    )  # fmt: skip
    stages = chain_stages(net).set_index("firm")["stage"]
    assert stages[["mine", "sep", "metal", "magnets", "recycler"]].tolist() == [1, 2, 3, 4, 5]
    assert resource_city_indicators(net).chain_depth_longest == 4
    assert resource_city_indicators(net, chain="links").chain_depth_longest == 2


def test_flows_of_no_unit_count_as_material():
    net = network(
        [("mine", "extraction"), ("a", "firm"), ("b", "firm"), ("mkt", "market")],
        [
            ("mine", "a", "ore", None, "", "product"),
            ("a", "b", "residue", None, "", "by-product"),
            ("b", "mkt", "goods", None, "", "product"),
        ],
    )
    assert chain_stages(net).set_index("firm")["stage"].tolist() == [3, 2, 1]
    assert resource_city_indicators(net).chain_depth_longest == 3


def test_the_result_says_what_stages_are_counted_on():
    data = resource_city_indicators(CHAIN).to_dict()
    assert data["chain_rule"] == "material"
    assert data["chain_flows"] == CHAIN_FLOWS["material"]
    assert "product flows in mass" in data["chain_flows"]
    assert {row["firm"]: row["chain"] for row in data["stages"]}["slagplant"] == "residue"
    links = resource_city_indicators(CHAIN, chain="links").to_dict()
    assert links["chain_flows"] == CHAIN_FLOWS["links"]


def test_chain_depth_by_hand():
    indicators = resource_city_indicators(CHAIN)
    assert indicators.chain_depth_longest == 3
    mass = indicators["mass"]
    # sales: wire 100 at stage 3, cathode 300 at 2, gravel 200 at 1; machines 600 unstaged
    assert mass["chain_depth_mean"] == pytest.approx((100 * 3 + 300 * 2 + 200) / 600)
    assert mass["market_sales_staged"] == pytest.approx(600 / 1200)


def test_no_extraction_no_chain():
    net = network([("a", "firm"), ("m", "market")], [("a", "m", "goods", 1, "t", "product")])
    indicators = resource_city_indicators(net)
    assert indicators.chain_depth_longest is None
    assert indicators["mass"]["chain_depth_mean"] is None
    assert indicators["mass"]["extraction_dependence"] == 0


# --------------------------------------------------------------------------- Tongling


@pytest.fixture(scope="module")
def tongling():
    assert (TONGLING / "flows.csv").exists(), "the Tongling example is missing"
    return resource_city_indicators(symbiosis.load(TONGLING))


def test_tongling_origins_by_hand(tongling):
    origins = tongling.origins[tongling.origins["dimension"] == "mass"].set_index("firm")
    # Tongguan: 700 kt pyrite from the Dongguashan mine, 700 kt bought iron ore, and
    # 2,040 kt out, so 640 kt of unrecorded inputs
    assert origins.loc["TGYH", "extraction"] == pytest.approx(700_000)
    assert origins.loc["TGYH", "imports"] == pytest.approx(700_000)
    assert origins.loc["TGYH", "unrecorded"] == pytest.approx(640_000)
    assert origins.loc["DGS_BF", "extraction_share"] == 1.0  # mine tailings only
    sums = origins[list(ORIGINS)].sum(axis=1)
    np.testing.assert_allclose(sums, origins["throughflow"], rtol=1e-9)


def test_tongling_chain(tongling):
    stages = tongling.stages.set_index("firm")["stage"]
    assert stages["DGS"] == 1 and stages["JG"] == 2 and stages["FOIL"] == 3
    assert stages["WHX"] == 2 and pd.isna(stages["CITY"])
    # the scrap loops no longer merge the fabricators with the smelter; the park takes
    # scrap only, so it comes after the fabricators
    assert stages["ROD"] == 3 and stages["RCP"] == 4
    # Jinlong smelts bought concentrate: the slag concentrate it takes back does not place it
    assert pd.isna(stages["JL"]) and pd.isna(stages["LG"])
    assert stages["SLAGC"] == 3 and stages["CONCH"] == 4  # cement, via the slag tailings
    assert tongling.chain_depth_longest == 4
    mass = tongling["mass"]
    assert 0 < mass["extraction_dependence"] < mass["extraction_dependence_recorded"] < 1
    assert mass["sectors"] == 17


# --------------------------------------------------------------------------- properties


@PROPERTY
@given(random_frames())
def test_origins_add_up_and_shares_are_bounded(frames):
    net = build(frames)
    indicators = resource_city_indicators(net)
    origins = indicators.origins
    np.testing.assert_allclose(
        origins[list(ORIGINS)].sum(axis=1), origins["throughflow"], rtol=1e-8, atol=1e-6
    )
    assert (origins[list(ORIGINS)].to_numpy() >= 0).all()
    shares = [
        "extraction_dependence",
        "imports_share",
        "environment_share",
        "unrecorded_share",
        "circulating_share",
    ]
    for record in indicators.dimensions.to_dict("records"):
        if record["total_system_throughflow"] > 0:
            assert sum(record[s] for s in shares) == pytest.approx(1.0)
            assert all(0 <= record[s] <= 1 + 1e-12 for s in shares)
            assert 1 / record["sectors"] - 1e-12 <= record["sector_herfindahl"] <= 1 + 1e-12


def _chain_arcs(net, chain):
    """The (source, target) pairs stages are counted on, from the flows table: every
    actor-to-actor flow (``links``), or the material chain written out from its rule."""
    flows = net.flows
    between = net.source_is_actor & net.target_is_actor
    if chain == "links":
        return list(zip(flows["source"][between], flows["target"][between], strict=True))
    unit = flows["dimension"]
    material = (unit.isna() | (unit == "mass")).to_numpy() & net.target_is_actor
    takes_product = set(flows["target"][material & (flows["category"] == "product")])
    roles = net.firms["role"]
    arcs = []
    for k in np.flatnonzero(material & between):
        source, target, category = flows.iloc[k][["source", "target", "category"]]
        placed_by = category == "product" or target not in takes_product
        if placed_by and roles[target] != "extraction":
            arcs.append((source, target))
    return arcs


@PROPERTY
@given(random_frames(), st.sampled_from(["material", "links"]))
def test_stages_follow_the_longest_path_rule(frames, chain):
    net = build(frames)
    stages = chain_stages(net, chain=chain).set_index("firm")
    stage = stages["stage"]
    assert (stage[stages["role"] == "extraction"] == 1).all()
    arcs = _chain_arcs(net, chain)
    graph = nx.DiGraph()
    graph.add_nodes_from(net.actors)
    graph.add_edges_from(arcs)
    component = {}
    for k, members in enumerate(nx.strongly_connected_components(graph)):
        component.update(dict.fromkeys(members, k))
    best = {}  # component -> largest stage + 1 among staged feeders in other components
    for source, target in arcs:
        if pd.isna(stage[source]) or component[source] == component[target]:
            continue
        key = component[target]
        best[key] = max(best.get(key, 0), int(stage[source]) + 1)
    starts = {component[f] for f in stages.index[stages["role"] == "extraction"]}
    for firm in stages.index:
        key = component[firm]
        if key in starts:
            assert stage[firm] == 1
        elif key in best:
            assert stage[firm] == best[key]  # the longest path, not only a bound
        else:
            assert pd.isna(stage[firm])


def _dense_origins(net, dimension):
    """Independent oracle: X = P (I - G)^-1 with a dense inverse, built row by row."""
    actors = list(net.actors)
    index = {a: i for i, a in enumerate(actors)}
    roles = net.firms["role"]
    n = len(actors)
    flows = np.zeros((n, n))
    inflow, outflow, imports, environment = (np.zeros(n) for _ in range(4))
    known = net.flows[(net.flows["dimension"] == dimension) & net.flows["value"].notna()]
    for source, target, value in zip(known["source"], known["target"], known["value"], strict=True):
        if source in index:
            outflow[index[source]] += value
        if target in index:
            inflow[index[target]] += value
            if source in index:
                flows[index[source], index[target]] += value
            elif roles[source] == "market":
                imports[index[target]] += value
            else:
                environment[index[target]] += value
    total = np.maximum(inflow, outflow)
    extraction = np.array([roles[a] == "extraction" for a in actors])
    surplus = total - inflow
    primary = np.column_stack(
        [np.where(extraction, surplus, 0), imports, environment, np.where(extraction, 0, surplus)]
    )
    with np.errstate(divide="ignore", invalid="ignore"):
        coefficients = np.where(total[:, None] > 0, flows / total[:, None], 0.0)
    system = np.eye(n) - coefficients
    return actors, total, primary.T @ np.linalg.inv(system) if n else primary.T, system


@PROPERTY
@given(random_frames())
def test_origins_match_a_dense_inverse(frames):
    net = build(frames)
    for dimension in net.dimensions:
        actors, total, expected, system = _dense_origins(net, dimension)
        if np.linalg.cond(system) > 1e8:  # a closed loop: reported as circulating instead
            continue
        table = throughflow_origins(net, dimension).set_index("firm")
        for i, actor in enumerate(actors):
            if total[i] > 0:
                got = table.loc[actor, list(ORIGINS[:4])].to_numpy(dtype=float)
                np.testing.assert_allclose(got, expected[:, i], rtol=1e-7, atol=1e-6)


def test_dense_oracle_agrees_on_the_loop_by_hand():
    actors, _, expected, _ = _dense_origins(LOOP, "mass")
    smelter = actors.index("smelter")
    np.testing.assert_allclose(expected[:, smelter], [120, 120, 0, 0], atol=1e-9)
    table = throughflow_origins(LOOP, "mass").set_index("firm")
    np.testing.assert_allclose(
        table.loc[actors, list(ORIGINS[:4])].to_numpy(dtype=float), expected.T, atol=1e-9
    )


def test_to_dict_limits_the_long_tables():
    indicators = resource_city_indicators(CHAIN)
    data = indicators.to_dict(limit=2)
    assert data["rows"]["stages"] == 6 and len(data["stages"]) == 2
    assert [r["firm"] for r in data["stages"]] == ["fab", "slagplant"]  # deepest first
    assert len(indicators.to_dict(limit=None)["stages"]) == 6


# --------------------------------------------------------------------------- one huge loop


def ring(size: int):
    """``size`` firms in one loop (F0 -> F1 -> ... -> F0, 100 t each), fed by an import of
    10 t into F0 and leaking 1 t from each of F0..F9 to the market."""
    ids = [f"F{i}" for i in range(size)]
    firms = pd.DataFrame({"id": [*ids, "MKT"], "role": ["firm"] * size + ["market"]})
    flows = pd.DataFrame(
        {
            "source": [*ids, "MKT", *ids[:10]],
            "target": [*ids[1:], ids[0], "F0", *["MKT"] * 10],
            "material": "scrap",
            "quantity": [100.0] * size + [10.0] + [1.0] * 10,
            "unit": "t",
            "category": "by-product",
        }
    )
    return symbiosis.from_frames(firms, flows)


def test_a_ring_of_20000_firms_is_one_cheap_loop_block():
    """Issue 18 item 9: one loop of 100,000 firms took minutes (a pass over its levels or
    columns); the loop block is one sparse LU with O(n) entries, so this is milliseconds.
    The bound is generous (a shared, loaded machine)."""
    import time

    net = ring(20_000)
    start = time.process_time()
    result = resource_city_indicators(net)
    elapsed = time.process_time() - start
    assert elapsed < 10.0
    origins = throughflow_origins(net, "mass")
    np.testing.assert_allclose(
        origins[list(ORIGINS)].sum(axis=1), origins["throughflow"], rtol=1e-9
    )
    # the only recorded entry is the import; the rest of each firm's throughflow closes
    # its balance as unrecorded input (F0..F9 send 1 t more than they receive)
    assert result["mass"]["imports_share"] > 0
    assert result.chain_depth_longest is None  # no extraction actor


# --------------------------------------------------------------------------- the condensation


def test_condensation_solve_and_stages_match_direct_computations():
    """The shared solver (one LU of the loop blocks, one triangular solve) against a direct
    sparse solve, on random graphs: the whole graph, a downstream-closed subset, and systems
    that use only some arcs (blocks that fall apart); the stages against a longest path
    computed by relaxation in topological order."""
    import scipy.sparse as sp
    import scipy.sparse.linalg as spla
    from scipy.sparse.csgraph import breadth_first_order

    from symbiosis.analysis._condensation import condensation

    rng = np.random.default_rng(1)
    for trial in range(120):
        n = int(rng.integers(1, 50))
        arcs = int(rng.integers(0, 4 * n))
        source, target = rng.integers(0, n, arcs), rng.integers(0, n, arcs)
        graph = sp.csr_matrix((np.ones(arcs), (source, target)), shape=(n, n))
        graph.sum_duplicates()
        found = condensation(graph)
        coo = graph.tocoo()
        weight = rng.random(len(coo.row)) * (rng.random(len(coo.row)) > 0.3 * (trial % 2))
        out = np.bincount(coo.row, weight, minlength=n) * 1.3 + 0.1
        received = sp.csr_matrix((weight / out[coo.row], (coo.col, coo.row)), shape=(n, n))
        rhs = rng.random((n, 3))
        expected = spla.spsolve((sp.identity(n) - received).tocsc(), rhs).reshape(n, 3)
        np.testing.assert_allclose(found.solve(received, rhs), expected, rtol=1e-10, atol=1e-12)
        subset = np.sort(breadth_first_order(graph, 0, return_predecessors=False))
        part = received[subset][:, subset]
        expected = spla.spsolve((sp.identity(len(subset)) - part).tocsc(), rhs[subset, 0])
        np.testing.assert_allclose(
            found.solve(part, rhs[subset, 0], nodes=subset), expected, rtol=1e-10, atol=1e-12
        )
        starts = rng.random(found.count) < 0.3
        stage = starts.astype(int)
        dag = found.dag.tocoo()
        for component in range(found.count - 1, -1, -1):  # topological: descending labels
            for a, b in zip(dag.row, dag.col, strict=True):
                if a == component and not starts[b] and stage[a] > 0:
                    stage[b] = max(stage[b], stage[a] + 1)
        np.testing.assert_array_equal(found.stages(starts), stage)
