"""Inputs marked substitutable (the ``substitutable`` flow column): hand-computed cement
plants, mixed supplies, the warning on minor necessary inputs, the essential cut-off, and
properties (a mark never lowers any output; the solver agrees with its definition).

tester-cities3 defect 4: when the blast furnace stopped, the cement plant lost its ground
slag (0.6 of a 4.87 Mt intake) and the report said "CEMENT output kept 0.0 %", the brick
makers stopping with it; a cement works blends more clinker when slag is short.
"""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from symbiosis.analysis import shocks as shocks_module
from symbiosis.analysis.criticality import criticality
from symbiosis.analysis.leontief import leontief_activity
from symbiosis.analysis.propagation import propagate, shock_caps

from .test_leontief import factors_of, fixed_point, network_of, random_networks

CEMENT = [
    ("KILN", "CEM", "clinker", 880, "t", "product"),
    ("GGBS", "CEM", "slag powder", 120, "t", "product"),
    ("CEM", "MKT", "cement", 1000, "t", "product"),
    ("MKT", "KILN", "limestone", 1400, "t", "product"),
    ("MKT", "GGBS", "slag", 120, "t", "by-product"),
    ("CEM", "BRICK", "cement", 50, "t", "product"),
    ("MKT", "BRICK", "sand", 250, "t", "product"),
    ("BRICK", "MKT", "bricks", 300, "t", "product"),
]
ROLES = {"KILN": "firm", "GGBS": "firm", "CEM": "firm", "BRICK": "firm", "MKT": "market"}


def cement(marked=()):
    """Clinker 88 % and slag powder 12 % of the cement plant's 1,000 t; ``marked``: the
    (source, target) pairs whose flow is substitutable."""
    network = network_of(CEMENT, ROLES)
    if not marked:
        return network
    pairs = zip(network.flows["source"], network.flows["target"], strict=True)
    flags = [True if pair in marked else None for pair in pairs]
    return network.with_flows(network.flows.assign(substitutable=flags))


def shock(network, shocks, **options):
    return shocks_module.shock(network, shocks, **{"indicators": False, **options})


def retained(network, shocks, **options):
    _, kept, _ = propagate(network, shocks, **options)
    pairs = zip(network.flows["source"], network.flows["target"], strict=True)
    return dict(zip(pairs, kept, strict=True))


# ---------------------------------------------------------------------- hand-computed


def test_without_the_mark_the_cement_plant_stops_for_its_slag_and_says_so():
    """The model's rule, kept: every product is necessary; the result is flagged."""
    network = cement()
    assert factors_of(network, {"GGBS": -1})["CEM"] == 0.0
    assert factors_of(network, {"GGBS": -1})["BRICK"] == 0.0
    result = shock(network, {"GGBS": -1})
    assert result.firms.loc[("CEM", "mass"), "limited_by"] == "slag powder"
    assert result.firms.loc[("CEM", "mass"), "input_substituted"] == 0
    said = [w for w in result.warnings if w.startswith("'CEM' ")]
    assert len(said) == 1
    assert said[0].startswith(
        "'CEM' keeps 0.0 % of its output, limited by slag powder, 12.0 % of its recorded "
        "mass input (120 of 1,000 t/yr; from GGBS, row 3 of the flows)"
    )
    assert "mark the flow substitutable (substitutable = yes in the flows" in said[0]
    # the brick maker: 50 t of cement among its 300 t is minor too
    assert next(w for w in result.warnings if w.startswith("'BRICK' ")).startswith(
        "'BRICK' keeps 0.0 % of its output, limited by cement, 16.7 % of its recorded mass "
        "input (50 of 300 t/yr; from CEM, row 7 of the flows)"
    )
    assert result.to_dict()["warnings"] == list(result.warnings)


def test_marked_the_slag_is_made_up_and_the_plant_runs_on():
    network = cement({("GGBS", "CEM")})
    factors = factors_of(network, {"GGBS": -1})
    assert factors["CEM"] == 1.0 and factors["BRICK"] == 1.0
    kept = retained(network, {"GGBS": -1})
    assert kept[("GGBS", "CEM")] == 0.0  # the slag is not received: made up from outside
    assert kept[("CEM", "MKT")] == 1.0
    result = shock(network, {"GGBS": -1})
    row = result.firms.loc[("CEM", "mass")]
    assert row["input_lost_share"] == pytest.approx(0.12)
    assert row["input_substituted"] == pytest.approx(120)
    assert row["output_factor"] == 1.0 and pd.isna(row["limited_by"])
    assert ("BRICK", "mass") not in result.firms.index
    assert not [w for w in result.warnings if "'CEM'" in w]
    # half the slag: 60 t made up
    half = shock(network, {"GGBS": -0.5}).firms.loc[("CEM", "mass")]
    assert half["input_substituted"] == pytest.approx(60) and half["output_factor"] == 1.0


def test_the_clinker_stays_necessary_and_only_what_is_still_needed_is_made_up():
    network = cement({("GGBS", "CEM")})
    # half the clinker: the plant runs at half, and takes half its slag, which still comes
    assert factors_of(network, {"KILN": -0.5})["CEM"] == pytest.approx(0.5)
    assert retained(network, {"KILN": -0.5})[("GGBS", "CEM")] == pytest.approx(0.5)
    row = shock(network, {"KILN": -0.5}).firms.loc[("CEM", "mass")]
    assert row["input_substituted"] == 0 and row["limited_by"] == "clinker"
    # half the clinker and no slag: at half, it makes up the 60 t it still needs
    both = shock(network, {"KILN": -0.5, "GGBS": -1}).firms.loc[("CEM", "mass")]
    assert both["output_factor"] == pytest.approx(0.5)
    assert both["input_substituted"] == pytest.approx(60)


def test_the_proportional_model_counts_a_marked_input_in_full():
    plain, marked = cement(), cement({("GGBS", "CEM")})
    # its throughflow is its 1,050 t of output, of which 120 t of slag no longer come
    expected = (1050 - 120) / 1050
    assert factors_of(plain, {"GGBS": -1}, model="proportional")["CEM"] == pytest.approx(expected)
    assert factors_of(marked, {"GGBS": -1}, model="proportional")["CEM"] == 1.0
    row = shock(marked, {"GGBS": -1}, model="proportional").firms.loc[("CEM", "mass")]
    assert row["input_substituted"] == pytest.approx(120)


def test_a_mark_holds_its_flow_not_the_whole_material():
    """Power from the works' own plant (marked: the grid makes it up) and from the grid
    (not marked): the grid's own loss still counts, the plant's does not."""
    rows = [
        ("PWR", "P", "electricity", 50, "GJ", "product"),
        ("GRID", "P", "electricity", 50, "GJ", "product"),
        ("MKT", "PWR", "gas", 200, "GJ", "product"),
        ("P", "MKT", "heat", 90, "GJ", "product"),
    ]
    roles = {"PWR": "utility", "P": "firm", "GRID": "market", "MKT": "market"}
    network = network_of(rows, roles)
    network = network.with_flows(network.flows.assign(substitutable=["yes", "", "", ""]))
    assert factors_of(network, {"PWR": -1}, "energy")["P"] == 1.0
    assert factors_of(network, {"GRID": -0.5}, "energy")["P"] == pytest.approx(0.75)
    assert factors_of(network_of(rows, roles), {"PWR": -1}, "energy")["P"] == 0.5


def test_a_marked_by_product_costs_nothing():
    """A secondary input counts by its share of the throughflow; marked, by nothing."""
    rows = [
        ("M", "S", "ore", 100, "t", "product"),
        ("R", "S", "scrap", 50, "t", "by-product"),
        ("S", "MKT", "metal", 150, "t", "product"),
        ("MKT", "R", "old metal", 50, "t", "waste"),
    ]
    roles = {"M": "mine", "S": "firm", "R": "recycling", "MKT": "market"}
    network = network_of(rows, roles)
    assert factors_of(network, {"R": -1})["S"] == pytest.approx(100 / 150)
    marked = network.with_flows(network.flows.assign(substitutable=[None, True, None, None]))
    assert factors_of(marked, {"R": -1})["S"] == 1.0


def test_no_should_be_the_default_rule():
    network = cement()
    unmarked = network.with_flows(network.flows.assign(substitutable=["no"] * len(CEMENT)))
    assert unmarked.flows["substitutable"].tolist() == [False] * len(CEMENT)
    assert factors_of(unmarked, {"GGBS": -1}) == factors_of(network, {"GGBS": -1})


def test_many_actors_limited_by_minor_inputs_are_counted_past_the_listed():
    """A slag grinder feeding LISTED + 3 cement plants: each one named up to LISTED."""
    from symbiosis.analysis._substitutable import LISTED, minor_limit_warnings

    plants = [f"C{i:02d}" for i in range(LISTED + 3)]
    rows = [("MKT", "G", "slag", 100, "t", "by-product")]
    for plant in plants:
        rows += [("G", plant, "slag powder", 10, "t", "product"),
                 ("MKT", plant, "clinker", 90, "t", "product"),
                 (plant, "MKT", "cement", 100, "t", "product")]  # fmt: skip
    network = network_of(rows, {"G": "firm", "MKT": "market", **dict.fromkeys(plants, "firm")})
    activity = leontief_activity(network, shock_caps(network, {None: {"G": -1}}))
    said = minor_limit_warnings(network, activity)
    assert len(said) == LISTED + 1
    assert [w.split()[0] for w in said[:LISTED]] == [f"'{p}'" for p in plants[:LISTED]]
    assert said[-1].startswith("... and 3 more actor(s) limited by an input under 20.0 %")


def test_no_warning_for_a_major_input_or_under_the_proportional_model():
    network = cement()
    # the clinker is 88 % of the plant's input: its limit is no minor input's
    result = shock(network, {"KILN": -0.5})
    assert result.firms.loc[("CEM", "mass"), "limited_by"] == "clinker"
    assert result.firms.loc[("CEM", "mass"), "input_substituted"] == 0  # nothing marked
    assert not [w for w in result.warnings if "'CEM'" in w]
    assert not shock(network, {"GGBS": -1}, model="proportional").warnings


# ---------------------------------------------------------------------- criticality


def test_the_essential_cut_off_follows_the_mark():
    plain = criticality(cement()).table
    assert plain.loc["GGBS", "cut_off"] == ("CEM", "BRICK")
    marked = criticality(cement({("GGBS", "CEM")}))
    assert marked.table.loc["GGBS", "firms_cut_off"] == 0
    assert marked.table.loc["KILN", "cut_off"] == ("CEM", "BRICK")  # clinker still needed
    assert not [w for w in marked.warnings if "'CEM'" in w]
    # all-paths is about supply paths, not necessity: unchanged
    assert criticality(cement(), cut_off="all-paths").table.equals(
        criticality(cement({("GGBS", "CEM")}), cut_off="all-paths").table
    )


def test_criticality_warns_of_actors_cut_off_through_a_minor_input():
    result = criticality(cement())
    said = [w for w in result.warnings if w.startswith("'CEM' ")]
    assert said == [
        "'CEM' is counted as cut off when it loses slag powder, 12.0 % of its recorded mass "
        "input (120 of 1,000 t/yr; from GGBS, row 3 of the flows): every product an actor "
        "takes counts as necessary: if 'CEM' can do without it (more of another input, a "
        "grid, a market), mark the flow substitutable (substitutable = yes in the flows, or "
        "[[mark_flow]] in a scenario file; docs/scenarios.md)"
    ]
    assert result.to_dict()["warnings"] == list(result.warnings)
    assert criticality(cement(), cut_off="all-paths").warnings == ()


# ---------------------------------------------------------------------- properties


@st.composite
def marked_networks(draw):
    network, shocked, dimension = draw(random_networks())
    flags = draw(st.lists(st.booleans(), min_size=len(network.flows), max_size=len(network.flows)))
    marked = network.with_flows(network.flows.assign(substitutable=flags))
    return network, marked, shocked, dimension


@settings(max_examples=60, deadline=None)
@given(marked_networks(), st.floats(-1.0, -0.01), st.sampled_from(["leontief", "proportional"]))
def test_marking_inputs_substitutable_never_lowers_any_output(case, change, model):
    """And with every input marked, no actor but the shocked one loses any output."""
    network, marked, shocked, dimension = case
    dimension = dimension if dimension in network.dimensions else None
    options = {"dimension": dimension, "model": model}
    _, _, plain = propagate(network, {shocked: change}, **options)
    _, _, more = propagate(marked, {shocked: change}, **options)
    everything = network.with_flows(network.flows.assign(substitutable=True))
    _, _, made_up = propagate(everything, {shocked: change}, **options)
    others = network.firms.index != shocked
    for name, values in plain.items():
        assert (more[name] >= values - 1e-9).all()
        assert (made_up[name][others] == 1.0).all()


@settings(max_examples=60, deadline=None)
@given(marked_networks(), st.floats(-1.0, 0.0), st.sampled_from(["internal-first", "proportional"]))
def test_policy_iteration_holds_marked_inputs_as_the_definition_does(case, change, rule):
    _, marked, shocked, dimension = case
    caps = shock_caps(marked, {dimension: {shocked: change}})
    found = leontief_activity(marked, caps, rationing=rule)
    flags = marked.flows["substitutable"].fillna(False).to_numpy(dtype=bool)
    expected = fixed_point(marked, caps, True, rule, marked=flags)
    np.testing.assert_allclose(found.factors, expected, atol=1e-9)


def test_a_network_without_the_column_gives_the_same_result_as_before():
    network = cement()
    assert "substitutable" not in network.flows
    flags = pd.array([None] * len(CEMENT), dtype="boolean")
    empty = network.with_flows(network.flows.assign(substitutable=flags))
    assert str(empty.flows["substitutable"].dtype) == "boolean"  # read, all empty
    for firm in ("KILN", "GGBS", "CEM"):
        assert factors_of(empty, {firm: -0.7}) == factors_of(network, {firm: -0.7})
