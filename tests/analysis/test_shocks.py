"""Supply shocks under the proportional (Ghosh) model: hand-computed propagation, a dense
oracle, properties and errors; the report's tables. The Leontief model (the default) is
tested in test_leontief.py."""

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from symbiosis import AnalysisError, InputError, from_frames
from symbiosis.analysis import propagation, shock_tables
from symbiosis.analysis import shocks as shocks_module

COLUMNS = ["source", "target", "material", "quantity", "unit", "category"]


def network_of(rows, roles):
    firms = pd.DataFrame({"id": list(roles), "role": list(roles.values())})
    return from_frames(firms, pd.DataFrame(rows, columns=COLUMNS))


@pytest.fixture(scope="module")
def chain_with_loop():
    """Mine and import feed A; A feeds B; B and C exchange (a loop that leaks)."""
    return network_of(
        [
            ("MKT", "A", "ore", 100, "t", "product"),
            ("M", "A", "ore", 100, "t", "product"),
            ("A", "B", "metal", 150, "t", "product"),
            ("A", "LF", "slag", 50, "t", "waste"),
            ("B", "C", "scrap", 100, "t", "by-product"),
            ("B", "MKT", "goods", 50, "t", "product"),
            ("C", "B", "dross", 20, "t", "by-product"),
            ("C", "MKT", "goods", 80, "t", "product"),
            ("C", "D", "steam", 10, "GJ", "by-product"),
        ],
        {
            "M": "mine",
            "A": "firm",
            "B": "firm",
            "C": "firm",
            "D": "firm",
            "MKT": "market",
            "LF": "landfill",
        },
    )


PROPORTIONAL = {"model": "proportional"}


def shock(network, shocks, **options):
    """The proportional shock without the indicator comparison (tested once, below)."""
    return shocks_module.shock(network, shocks, **{"indicators": False, **PROPORTIONAL, **options})


def propagate(network, shocks, **options):
    return propagation.propagate(network, shocks, **{**PROPORTIONAL, **options})


def shock_factors(network, dimension, shocks, **options):
    return propagation.shock_factors(network, dimension, shocks, **{**PROPORTIONAL, **options})


def factor(network, dimension, shocks, node, **options):
    values = shock_factors(network, dimension, shocks, **options)
    return values[network.firms.index.get_loc(node)]


def test_hand_computed_chain_and_leaking_loop(chain_with_loop):
    # A: 200 in, loses 50 -> 0.75. B: x = 150 + 20 = 170, s_B = (150 s_A + 20 s_C) / 170,
    # C: s_C = 100 s_B / 100 = s_B  =>  150 s_B = 112.5  =>  s_B = s_C = 0.75.
    result = shock(chain_with_loop, {"M": -0.5}, dimension="mass")
    factors = result.firms["output_factor"].xs("mass", level="dimension")
    assert factors.to_dict() == pytest.approx({"M": 0.5, "A": 0.75, "B": 0.75, "C": 0.75})
    lost = result.firms["input_lost_share"].xs("mass", level="dimension")
    assert lost["A"] == pytest.approx(0.25)
    assert lost["B"] == pytest.approx((150 * 0.25 + 20 * 0.25) / 170)
    assert math.isnan(lost["M"])  # the mine records no input
    after = result.network_after.flows.set_index(["source", "target"])["value"]
    assert after[("B", "C")] == pytest.approx(75.0)
    assert after[("MKT", "A")] == 100.0  # boundary imports are unaffected
    assert after[("C", "D")] == 10.0  # energy is another dimension
    assert result.totals["mass"]["internal_before"] == pytest.approx(370.0)
    assert result.totals["mass"]["internal_after"] == pytest.approx(252.5)
    assert result.totals["mass"]["exchanges_broken"] == 0


@pytest.mark.parametrize("scale", [2.0**-1060, 1e-300, 1e-30, 1e30, 1e300])
def test_shock_factors_do_not_depend_on_the_magnitude_of_the_flows(chain_with_loop, scale, recwarn):
    """Issue 18, item 10: the loop block solve (_condensation) gives the factors of the
    hand-computed case whatever the size of the flows (scaled past what validation
    accepts, by editing the table), without a numpy warning."""
    flows = chain_with_loop.flows.copy()
    flows["value"] = flows["value"] * scale
    scaled = chain_with_loop.with_tables(flows=flows)
    result = shock(scaled, {"M": -0.5}, dimension="mass")
    factors = result.firms["output_factor"].xs("mass", level="dimension")
    assert factors.to_dict() == pytest.approx({"M": 0.5, "A": 0.75, "B": 0.75, "C": 0.75})
    assert not [w for w in recwarn if issubclass(w.category, RuntimeWarning)]


def test_shocked_firm_inside_a_loop_is_damped_by_its_own_loss():
    # A: x = max(100 + 50, 100) = 150; B: x = 100.  s_B = 0.5 * s_A,
    # s_A = (100 + 50 s_B) / 150  =>  125 s_A = 100  =>  s_A = 0.8, s_B = 0.4.
    network = network_of(
        [
            ("MKT", "A", "ore", 100, "t", "product"),
            ("A", "B", "metal", 100, "t", "product"),
            ("B", "A", "scrap", 50, "t", "by-product"),
            ("B", "MKT", "goods", 50, "t", "product"),
        ],
        {"A": "firm", "B": "firm", "MKT": "market"},
    )
    assert factor(network, "mass", {"B": -0.5}, "A") == pytest.approx(0.8)
    assert factor(network, "mass", {"B": -0.5}, "B") == pytest.approx(0.4)
    result = shock(network, {"B": -0.5}, loops=[["A", "B"]])
    assert result.broken_loops == [{"firms": ["A", "B"], "broken_arcs": [["B", "A"]]}]


def test_unrecorded_inputs_cushion_the_loss_unless_balances_are_not_closed():
    # CEM records 100 t of ash but makes 400 t: 300 t of its input is unrecorded.
    network = network_of(
        [
            ("P", "CEM", "fly ash", 100, "t", "by-product"),
            ("CEM", "MKT", "cement", 400, "t", "product"),
        ],
        {"P": "utility", "CEM": "firm", "MKT": "market"},
    )
    assert factor(network, "mass", {"P": -1}, "CEM") == pytest.approx(0.75)
    assert factor(network, "mass", {"P": -1}, "CEM", close_balances=False) == 0.0
    result = shock(network, {"P": -1})
    assert result.firms.loc[("CEM", "mass"), "input_lost_share"] == 1.0
    assert result.firms.loc[("CEM", "mass"), "output_lost"] == pytest.approx(100.0)


def test_a_shocked_import_supplier_passes_its_cut_on(chain_with_loop):
    assert factor(chain_with_loop, "mass", {"MKT": -1}, "A") == pytest.approx(0.5)
    assert factor(chain_with_loop, "mass", {"MKT": -1}, "MKT") == 0.0
    # the mine is not downstream of the market
    assert factor(chain_with_loop, "mass", {"MKT": -1}, "M") == 1.0


def test_flows_of_unknown_size_keep_their_source_factor():
    network = network_of(
        [
            ("M", "A", "ore", 100, "t", "product"),
            ("A", "B", "slag", None, "t", "by-product"),
            ("A", "MKT", "metal", 100, "t", "product"),
        ],
        {"M": "mine", "A": "firm", "B": "firm", "MKT": "market"},
    )
    result = shock(network, {"M": -1})
    row = result.flows[(result.flows["source"] == "A") & (result.flows["target"] == "B")].iloc[0]
    assert row["retained"] == 0.0 and row["broken"] and row["exchange"]
    assert math.isnan(row["value_after"])
    assert len(result.broken_exchanges) == 1


def test_break_threshold_decides_what_breaks(chain_with_loop):
    # at the default 0.5, M -> A keeps exactly half: not broken (strictly below breaks)
    assert shock(chain_with_loop, {"M": -0.5}).totals["mass"]["flows_broken"] == 0
    assert shock(chain_with_loop, {"M": -0.51}).totals["mass"]["flows_broken"] == 1
    strict = shock(chain_with_loop, {"M": -0.5}, break_below=0.8)
    assert strict.totals["mass"]["flows_broken"] == 7
    assert strict.totals["mass"]["exchanges_broken"] == 2
    loops = shock(chain_with_loop, {"M": -0.5}, break_below=0.8, loops=[["B", "C"]])
    assert loops.broken_loops[0]["broken_arcs"] == [["B", "C"], ["C", "B"]]


def test_a_closed_firm_buys_nothing_and_its_suppliers_do_not_pass_that_on():
    # B closes: A's metal to B stops, but A keeps its output otherwise (supply-driven).
    network = network_of(
        [
            ("MKT", "A", "ore", 100, "t", "product"),
            ("A", "B", "metal", 60, "t", "product"),
            ("A", "MKT", "metal", 40, "t", "product"),
            ("B", "C", "scrap", 30, "t", "by-product"),
            ("C", "MKT", "goods", 30, "t", "product"),
        ],
        {"A": "firm", "B": "firm", "C": "firm", "MKT": "market"},
    )
    _, retained, factors = propagate(network, {"B": -1.0})
    assert retained.tolist() == [1.0, 0.0, 1.0, 0.0, 0.0]
    assert factors["mass"][network.firms.index.get_loc("A")] == 1.0
    half, retained, _ = propagate(network, {"B": -0.5}, drop_stopped=True)
    assert retained.tolist() == [1.0, 0.5, 1.0, 0.5, 0.5]
    assert len(half.flows) == 5
    closed, _, _ = propagate(network, {"B": -1.0}, drop_stopped=True)
    assert closed.flows["source"].tolist() == ["MKT", "A"]  # stopped flows are gone


def test_indicators_before_and_after(chain_with_loop):
    result = shocks_module.shock(chain_with_loop, {"M": -1.0}, **PROPORTIONAL)
    comparison = result.comparison
    assert comparison.results[0].name == "shock"
    # residuals: B->C 100, C->B 20 reused, A->LF 50 disposed; after: x 0.5 each
    assert comparison.before.value("mass", "reuse_share") == pytest.approx(120 / 170)
    assert comparison.results[0].after.value("mass", "disposed") == pytest.approx(25.0)
    assert comparison.results[0].opened == ()  # the B-C loop only halves
    assert result.to_dict()["indicators"]["changes"]["shock"]["mass"]["disposed"] == -25.0


def test_zero_change_changes_nothing(chain_with_loop):
    result = shock(chain_with_loop, {"M": 0.0})
    assert result.flows.empty and result.firms.empty


def test_result_serialises_without_nan(chain_with_loop):
    import json

    text = json.dumps(shock(chain_with_loop, {"M": -0.5}).to_dict(), allow_nan=False)
    assert '"output_factor": 0.75' in text


@pytest.mark.parametrize("cut", [{"M": -0.5}, {"M": -1.0}, {"A": -1.0}, {"M": 0.0}])
def test_tables_serialise_as_their_records_cell_by_cell(chain_with_loop, cut):
    """The firm and flow tables, converted a column at a time, are the records that the
    cell-by-cell conversion of the frames gives (ids, bools, NaN as null, the flow row)."""
    from symbiosis.jsonable import to_jsonable

    result = shock(chain_with_loop, cut)
    data = result.to_dict()
    assert data["firms"] == to_jsonable(result.firms)
    plain = to_jsonable(result.flows.rename_axis("flow"))
    assert data["flows"] == plain
    types = [[type(v) for v in row.values()] for row in data["flows"]]
    assert types == [[type(v) for v in row.values()] for row in plain]  # True is not 1


@pytest.mark.parametrize(
    ("shocks", "options", "message"),
    [
        ({"X": -0.5}, {}, "unknown firm 'X'; give an id of firms.csv"),  # what to do
        ({"a": -0.5}, {}, "did you mean 'A'"),
        ({"A": 0.5}, {}, "between -1 (stopped) and 0"),
        ({"A": -1.5}, {}, "between -1 (stopped) and 0"),
        ({"A": "half"}, {}, "must be a number"),
        ({}, {}, "no shock given"),
        ({"A": -0.5}, {"dimension": "volume"}, "unknown dimension 'volume'"),
        ({"A": -0.5}, {"break_below": 0}, "break threshold"),
    ],
)
def test_bad_parameters_are_input_errors(chain_with_loop, shocks, options, message):
    with pytest.raises(InputError, match=message.replace("(", r"\(").replace(")", r"\)")):
        shock(chain_with_loop, shocks, **options)


def test_warns_when_the_shocked_firm_has_nothing_to_pass_on(chain_with_loop):
    assert "no outgoing flow" in shock(chain_with_loop, {"D": -1}).warnings[0]


def test_a_loop_that_keeps_everything_is_reported_not_solved_wrongly():
    # B and C pass 1e6 t round and round; the only leak is 1e-9 t.
    network = network_of(
        [
            ("MKT", "A", "ore", 1, "t", "product"),
            ("A", "B", "metal", 1, "t", "product"),
            ("B", "C", "x", 1e6, "t", "by-product"),
            ("C", "B", "y", 1e6, "t", "by-product"),
            ("C", "MKT", "z", 1e-9, "t", "product"),
        ],
        {"A": "firm", "B": "firm", "C": "firm", "MKT": "market"},
    )
    try:
        values = shock_factors(network, "mass", {"A": -0.5})
    except AnalysisError as error:
        assert "ill-conditioned" in str(error) or "singular" in str(error)
    else:
        assert ((values >= 0) & (values <= 1)).all()


# ---------------------------------------------------------------------- oracle and properties


def dense_factors(network, dimension, shocks):
    """Reference: solve (I - D B) s = D c over all actors with numpy (every actor imports)."""
    firms = network.firms
    n = len(firms)
    flows = network.flows[network.flows["dimension"] == dimension]
    src = firms.index.get_indexer(flows["source"])
    tgt = firms.index.get_indexer(flows["target"])
    F = np.zeros((n, n))
    np.add.at(F, (src, tgt), flows["value"].to_numpy())
    inflow, outflow = F.sum(axis=0), F.sum(axis=1)
    x = np.maximum(inflow, outflow)
    actor = firms["actor"].to_numpy()
    d = np.ones(n)
    for node, change in shocks.items():
        d[firms.index.get_loc(node)] = 1 + change
    fixed = np.where(actor, 1.0, d)
    a = np.flatnonzero(actor)
    b = np.flatnonzero(~actor)
    xa = np.where(x[a] > 0, x[a], 1.0)
    coupling = F[np.ix_(a, a)].T / xa[:, None]
    constant = ((x[a] - inflow[a]) + F[np.ix_(b, a)].T @ fixed[b]) / xa
    constant[x[a] <= 0] = 1.0
    s = np.linalg.solve(np.eye(len(a)) - d[a, None] * coupling, d[a] * constant)
    result = fixed.copy()
    result[a] = s
    return result


@st.composite
def random_networks(draw):
    n = draw(st.integers(2, 9))
    actors = [f"F{i}" for i in range(n)]
    edges = draw(
        st.lists(
            st.tuples(st.integers(0, n - 1), st.integers(0, n - 1), st.integers(1, 1000)),
            max_size=3 * n,
        )
    )
    rows = [("MKT", a, "input", draw(st.integers(1, 500)), "t", "product") for a in actors]
    rows += [
        (actors[i], actors[j], f"m{k}", q, "t", "by-product")
        for k, (i, j, q) in enumerate(edges)
        if i != j
    ]
    rows += [(a, "LF", "residue", draw(st.integers(0, 50)), "t", "waste") for a in actors]
    roles = dict.fromkeys(actors, "firm") | {"MKT": "market", "LF": "landfill"}
    network = network_of(rows, roles)
    shocked = draw(st.sampled_from([*actors, "MKT"]))
    change = draw(st.floats(-1.0, 0.0))
    return network, {shocked: change}


@settings(max_examples=60, deadline=None)
@given(random_networks())
def test_sparse_level_solver_matches_the_dense_solve(case):
    network, shocks = case
    expected = dense_factors(network, "mass", shocks)
    np.testing.assert_allclose(shock_factors(network, "mass", shocks), expected, atol=1e-9)


@settings(max_examples=60, deadline=None)
@given(random_networks(), st.floats(0.0, 1.0))
def test_a_shock_never_raises_a_flow_and_a_deeper_shock_cuts_more(case, deeper):
    network, shocks = case
    after, retained, _ = propagate(network, shocks)
    before = network.flows["value"].to_numpy()
    assert (after.flows["value"].to_numpy() <= before + 1e-9).all()
    assert ((retained >= 0) & (retained <= 1)).all()
    ((node, change),) = shocks.items()
    worse = {node: change - deeper * (1 + change)}
    _, retained_worse, _ = propagate(network, worse)
    assert (retained_worse.to_numpy() <= retained.to_numpy() + 1e-9).all()


def test_a_ring_of_20000_firms_solves_fast_and_exactly():
    """Issue 18 item 9: a shock on one loop of 100,000 firms took minutes. The loop is one
    block of the condensation, factored once (O(n) entries for a ring); the factors satisfy
    the model's fixed point ``s_j = d_j (u_j + sum_i F_ij s_i) / x_j``. Generous bound."""
    import time

    size = 20_000
    ids = [f"F{i}" for i in range(size)]
    roles = {**dict.fromkeys(ids, "firm"), "MKT": "market"}
    after = ids[1:] + ids[:1]
    rows = [(a, b, "scrap", 100.0, "t", "by-product") for a, b in zip(ids, after, strict=True)]
    rows += [("MKT", "F0", "scrap", 10.0, "t", "by-product")]
    rows += [(f"F{i}", "MKT", "scrap", 1.0, "t", "by-product") for i in range(10)]
    net = network_of(rows, roles)
    start = time.process_time()
    factors = shock_factors(net, "mass", {"F5": -0.5})
    result = shocks_module.shock(net, {"F5": -0.5}, indicators=False, **PROPORTIONAL)
    assert time.process_time() - start < 10.0
    position = {firm: k for k, firm in enumerate(net.firms.index)}
    s = factors[[position[f] for f in ids]]
    inflow = np.full(size, 100.0)
    inflow[0] += 10.0
    throughflow = np.maximum(inflow, np.where(np.arange(size) < 10, 101.0, 100.0))
    supply = np.roll(s, 1) * 100.0
    supply[0] += 10.0  # the import is not shocked
    damping = np.ones(size)
    damping[5] = 0.5
    expected = damping * (throughflow - inflow + supply) / throughflow
    np.testing.assert_allclose(s, expected, rtol=1e-9, atol=1e-12)
    assert s[5] <= 0.5 and s.min() > 0.0
    assert len(result.firms) == size


@pytest.mark.parametrize("folder", ["examples/tongling", "tests/data/literature/kalundborg"])
@pytest.mark.parametrize("drop_stopped", [True, False])
@pytest.mark.parametrize("model", ["proportional", "leontief"])
def test_the_shocked_network_has_the_core_its_tables_encode(folder, drop_stopped, model):
    """The shocked network's core is cut from the network's and given the new values, not
    encoded again from the strings: the same arrays and codes as Core.from_tables."""
    from dataclasses import fields
    from pathlib import Path

    from symbiosis import load
    from symbiosis.core import Core

    network = load(Path(__file__).parents[2] / folder)
    sent = np.bincount(network.source_positions, minlength=network.n_firms)
    firm = network.firms.index[np.argmax(np.where(network.core.actor, sent, -1))]  # busiest
    after, retained, _ = propagate(network, {firm: -1.0}, drop_stopped=drop_stopped, model=model)
    assert (retained == 0).any()
    assert after.n_flows < network.n_flows if drop_stopped else after.n_flows == network.n_flows
    encoded = Core.from_tables(after.firms, after.flows)
    for field in fields(Core):
        if not field.name.startswith("_"):
            a, b = getattr(after.core, field.name), getattr(encoded, field.name)
            assert a.dtype == b.dtype, field.name
            assert np.array_equal(a, b, equal_nan=a.dtype.kind == "f"), field.name


def _broken_by_scan(loops, network, retained, break_below):
    """The broken loops by the definition, arc by arc over the flow table."""
    flows = network.flows
    breaks = (retained.to_numpy() < break_below) & flows["dimension"].notna().to_numpy()
    on_arc: dict[tuple[str, str], list[bool]] = {}
    for source, target, flag in zip(flows["source"], flows["target"], breaks, strict=True):
        on_arc.setdefault((source, target), []).append(bool(flag))
    result = []
    for loop in loops:
        firms = list(loop)
        arcs = [[a, b] for a, b in zip(firms, firms[1:] + firms[:1], strict=True)
                if all(on_arc.get((a, b), [False]))]  # fmt: skip
        if arcs:
            result.append({"firms": firms, "broken_arcs": arcs})
    return result


@settings(max_examples=60, deadline=None)
@given(
    arcs=st.lists(st.tuples(st.integers(0, 5), st.integers(0, 5), st.booleans()), min_size=1,
                  max_size=25),
    kept=st.lists(st.floats(0, 1), min_size=25, max_size=25),
    loops=st.lists(st.lists(st.integers(0, 6), min_size=1, max_size=5), max_size=8),
    break_below=st.sampled_from([0.01, 0.5, 1.0]),
)  # fmt: skip
def test_broken_loops_are_those_of_the_definition(arcs, kept, loops, break_below):
    """Every flow on an arc must break for the arc to break (a flow of no known unit never
    does); ids not in the network (F6) cut nothing."""
    rows = [(f"F{a}", f"F{b}", f"m{i}", 1.0 if known else None, "t" if known else "",
             "by-product") for i, (a, b, known) in enumerate(arcs)]  # fmt: skip
    roles = {f"F{i}": "firm" for i in range(6)}
    network = network_of(rows, roles)
    retained = pd.Series(kept[: network.n_flows], index=network.flows.index)
    named = [[f"F{i}" for i in loop] for loop in loops]
    expected = _broken_by_scan(named, network, retained, break_below)
    assert shock_tables.broken_loops(named, network, retained, break_below) == expected


def test_an_arc_breaks_only_when_every_flow_on_it_breaks_and_unknown_ids_cut_nothing():
    roles = {"X": "firm", "A": "firm", "B": "firm", "L": "firm"}
    network = network_of(
        [("A", "B", "slag", 10, "t", "by-product"), ("A", "B", "steam", 5, "GJ", "by-product"),
         ("B", "A", "scrap", 4, "t", "by-product"), ("X", "L", "dust", 1, "t", "waste")],
        roles,
    )  # fmt: skip
    retained = pd.Series([0.0, 1.0, 0.0, 0.0], index=network.flows.index)
    # A -> B keeps its steam: only B -> A breaks. ("A", "ZZ"): a position of -1 must not
    # be read as a key (A's position x n - 1 is the key of X -> L, which breaks).
    loops = [("A", "B"), ("A", "ZZ")]
    broken = shock_tables.broken_loops(loops, network, retained, 0.5)
    assert broken == [{"firms": ["A", "B"], "broken_arcs": [["B", "A"]]}]


def test_an_integer_names_the_firm_whose_id_is_its_digits():
    """Ids are text (a firms.csv id 101 is '101'): {101: -0.5} shocks it, as {'101': -0.5}."""
    net = network_of(
        [("M", "101", "ore", 10, "t", "product"), ("101", "MKT", "metal", 10, "t", "product")],
        {"M": "mine", "101": "firm", "MKT": "market"},
    )
    by_int = shock(net, {101: -0.5}).to_dict()
    assert by_int == shock(net, {"101": -0.5}).to_dict()
    assert by_int == shock(net, {np.int64(101): -0.5}).to_dict()
    with pytest.raises(InputError, match="unknown firm '102'"):
        shock(net, {102: -0.5})
