"""Monte Carlo of the headline indicators (symbiosis.analysis.uncertainty).

The vectorised indicators equal the passes (reuse, cycling, structure) on the recorded
values and on re-weighted networks of sampled values; on hand-made linear cases the
Monte Carlo mean and variance agree with analytic error propagation (property tests),
and the sensitivity's contributions with the first-order variance decomposition; the
same seed gives the same result whatever the chunking backend.
"""

import math
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from symbiosis import from_frames, load
from symbiosis.analysis import uncertainty
from symbiosis.analysis.cycling import cycling
from symbiosis.analysis.reuse import reuse_accounts
from symbiosis.analysis.spread import draw, flow_spreads
from symbiosis.analysis.structure import resource_city_indicators
from symbiosis.analysis.uncertainty import chunk_sizes, monte_carlo
from symbiosis.analysis.uncertainty_model import IndicatorModel
from symbiosis.errors import InputError
from symbiosis.examples import example_path

REUSE = ("generated", "reused", "sold", "disposed", "emitted", "reuse_share")
REUSE += ("utilization_rate", "circular_input_rate")
CYCLING = ("total_system_throughflow", "cycled_throughflow", "finn_cycling_index")


@pytest.fixture(scope="module")
def tongling():
    return load(example_path("tongling"))


def passes(network) -> dict[tuple[str, str], float]:
    """The headline indicators as the passes compute them."""
    reuse, cycles, structure = (
        reuse_accounts(network),
        cycling(network),
        resource_city_indicators(network),
    )
    values = {}
    for d in network.dimensions:
        for name in REUSE:
            values[d, name] = reuse[d][name]
        for name in CYCLING:
            values[d, name] = cycles[d].metrics()[name]
        values[d, "extraction_dependence"] = structure[d]["extraction_dependence"]
    return values


def assert_model_equals_passes(model: IndicatorModel, row: np.ndarray, network) -> None:
    expected = passes(network)
    for (d, name), value in zip(model.names, row, strict=True):
        if (d, name) not in expected:
            continue
        want = expected[d, name]
        if want is None:
            assert np.isnan(value), (d, name)
        else:
            assert value == pytest.approx(want, rel=1e-9, abs=1e-12), (d, name)


def test_recorded_values_give_the_passes_results(tongling):
    model = IndicatorModel.of(tongling)
    row = model.evaluate(tongling.core.value[model.flows][None, :])[0]
    assert_model_equals_passes(model, row, tongling)


def test_each_sample_equals_the_passes_on_the_reweighted_network(tongling):
    model = IndicatorModel.of(tongling)
    spreads = flow_spreads(tongling, default=0.3)
    values = draw(spreads, np.random.default_rng(3), 3, model.flows)
    rows = model.evaluate(values)
    for sample in range(3):
        flows = tongling.flows.copy()
        flows.loc[model.flows, "value"] = values[sample]
        assert_model_equals_passes(model, rows[sample], tongling.with_tables(flows=flows))


def test_per_material_reuse_shares_match_the_reuse_pass(tongling):
    model = IndicatorModel.of(tongling, materials=5)
    row = model.evaluate(tongling.core.value[model.flows][None, :])[0]
    table = reuse_accounts(tongling).by_material
    for (d, name), value in zip(model.names, row, strict=True):
        if name.startswith("reuse_share:"):
            key = name.split(":", 1)[1]
            match = table[(table["dimension"] == d) & (table["material_key"] == key)]
            assert value == pytest.approx(float(match["reuse_share"].iloc[0]))


def residual_network(values, spreads, fates):
    """One firm sending residual flows to a cement plant (reused) or a landfill."""
    n = len(values)
    flows = pd.DataFrame(
        {
            "source": ["SMELT"] * n,
            "target": ["CEMENT" if f else "LANDFILL" for f in fates],
            "material": [f"m{i}" for i in range(n)],
            "quantity": values,
            "unit": ["t"] * n,
            "category": ["waste"] * n,
            "uncertainty": spreads,
        }
    )
    firms = pd.DataFrame(
        {"id": ["SMELT", "CEMENT", "LANDFILL"], "role": ["firm", "firm", "disposal"]}
    )
    return from_frames(firms, flows)


@settings(max_examples=10, deadline=None)
@given(
    flows=st.lists(
        st.tuples(st.floats(1, 1e6), st.floats(0.01, 0.5), st.booleans()),
        min_size=1,
        max_size=6,
    ),
    seed=st.integers(0, 2**32 - 1),
)
def test_sums_agree_with_analytic_error_propagation(flows, seed):
    values, spreads, fates = (list(c) for c in zip(*flows, strict=True))
    network = residual_network(values, spreads, fates)
    samples = 4000
    result = monte_carlo(network, samples=samples, seed=seed)
    row = result._row("mass", "generated")
    mean, variance = sum(values), sum((v * s) ** 2 for v, s in zip(values, spreads, strict=True))
    assert row["recorded"] == pytest.approx(mean)
    # the mean of n draws is within 5 standard errors; the variance within a relative
    # 5 / sqrt(n / 2) * kurtosis allowance (lognormal tails: spreads up to 50 %)
    assert abs(row["mean"] - mean) < 5 * math.sqrt(variance / samples)
    assert row["sd"] ** 2 == pytest.approx(variance, rel=0.35)
    # sensitivity: each flow's share of the variance, a_f^2 var(x_f) / var(sum)
    listed = result.sensitivity[result.sensitivity["indicator"] == "generated"]
    for flow in listed.itertuples():
        i = flow.row - 2
        assert flow.contribution == pytest.approx(
            (values[i] * spreads[i]) ** 2 / variance, abs=0.08
        )


def test_a_share_follows_the_delta_method():
    # reuse share R = a / (a + b), cv 2 %: var(R) ~ (b^2 var(a) + a^2 var(b)) / (a + b)^4
    a, b, cv = 300.0, 700.0, 0.02
    network = residual_network([a, b], [cv, cv], [True, False])
    result = monte_carlo(network, samples=20000, seed=5)
    row = result._row("mass", "reuse_share")
    sd = math.sqrt(b**2 * (cv * a) ** 2 + a**2 * (cv * b) ** 2) / (a + b) ** 2
    assert row["mean"] == pytest.approx(0.3, abs=5 * sd / math.sqrt(20000) + 1e-4)
    assert row["sd"] == pytest.approx(sd, rel=0.05)
    assert row["p2.5"] < 0.3 < row["p97.5"]


def test_fixed_flows_give_no_spread(tongling):
    spreads = ["quality", "quantity_low", "quantity_high"]
    fixed = tongling.with_tables(flows=tongling.flows.drop(columns=spreads))
    result = monte_carlo(fixed, samples=10, seed=1)
    table = result.indicators
    finite = table["recorded"].notna()
    assert np.allclose(table.loc[finite, "mean"], table.loc[finite, "recorded"], rtol=1e-12)
    assert result.sensitivity.empty
    # exactly: no spread from the rounding of sums taken in another order
    assert (table.loc[finite, "sd"] == 0).all()
    assert (table.loc[finite, "mean"] == table.loc[finite, "recorded"]).all()
    assert (table.loc[finite, "p2.5"] == table.loc[finite, "recorded"]).all()


@pytest.mark.filterwarnings("error::RuntimeWarning")  # numpy's "All-NaN slice" was one
def test_a_spread_of_rounding_alone_is_none():
    recorded = np.array([0.182, 500_703.0, 0.3, np.nan])
    draws = np.array([[0.182 * (1 + 1e-15), 500_703.0 + 4.7e-10, 0.31, 1.0],
                      [0.182, 500_703.0, 0.29, 2.0]])  # fmt: skip
    assert uncertainty._rounding_only(draws, recorded).tolist() == [True, True, False, False]


def test_same_seed_same_result_on_any_backend(tongling, monkeypatch):
    monkeypatch.setattr(uncertainty, "CHUNK_SAMPLES", 16)
    assert chunk_sizes(50, 66) == [16, 16, 16, 2]
    alone = monte_carlo(tongling, samples=50, seed=11, default=0.2)
    with ThreadPoolExecutor(2) as threads:
        threaded = monte_carlo(tongling, samples=50, seed=11, default=0.2, executor=threads)
    with ProcessPoolExecutor(2) as processes:
        pooled = monte_carlo(tongling, samples=50, seed=11, default=0.2, executor=processes)
    for other in (threaded, pooled):
        assert np.array_equal(alone.draws, other.draws, equal_nan=True)
        pd.testing.assert_frame_equal(alone.sensitivity, other.sensitivity)
    other_seed = monte_carlo(tongling, samples=50, seed=12, default=0.2)
    assert not np.array_equal(alone.draws, other_seed.draws, equal_nan=True)


def test_dask_cluster_gives_the_same_result(tongling, monkeypatch):
    distributed = pytest.importorskip("distributed")
    monkeypatch.setattr(uncertainty, "CHUNK_SAMPLES", 16)
    alone = monte_carlo(tongling, samples=40, seed=3, default=0.2)
    with (
        distributed.LocalCluster(n_workers=2, processes=False, dashboard_address=None) as cluster,
        distributed.Client(cluster) as client,
    ):
        clustered = monte_carlo(
            tongling, samples=40, seed=3, default=0.2, executor=client.get_executor()
        )
    assert np.array_equal(alone.draws, clustered.draws, equal_nan=True)
    pd.testing.assert_frame_equal(alone.indicators, clustered.indicators)


def test_opportunity_ranking_counts_the_top(tongling):
    from symbiosis.analysis.opportunities import find_opportunities

    listed = find_opportunities(tongling, top=10, impact=False)
    result = monte_carlo(tongling, samples=200, seed=2, default=0.3, opportunities=listed, top=2)
    table = result.opportunities
    assert len(table) > 0 and table["top_share"].between(0, 1).all()
    # the largest disposed streams of each dimension are in the top 2 most of the time
    # (Tongling's three largest in mass tie at 300 kt: together they fill the top 2)
    dumped = table[table["group"] == "dumped"]
    for _, rows in dumped.groupby("dimension"):
        largest = rows[rows["quantity"] == rows["quantity"].max()]
        assert largest["top_share"].sum() > 0.5 * min(2, len(largest))
    # at most two distinct streams per sample are in the top 2 (a stream's listed
    # alternatives share its place: counted once)
    streams = dumped.drop_duplicates(["source", "material"])
    assert (streams.groupby("dimension")["top_share"].sum() <= 2 + 1e-9).all()
    capped = table[table["quantity_p97.5"] == table["quantity_p2.5"]]
    assert (capped["quantity"] == capped["quantity_p50"]).all()


def test_to_dict_is_json_ready(tongling):
    import json

    result = monte_carlo(tongling, samples=20, seed=1, default=0.1)
    data = json.loads(json.dumps(result.to_dict()))
    assert data["samples"] == 20 and data["percentiles"][0] == 2.5
    mass = data["dimensions"]["mass"]
    assert mass["reuse_share"]["valid"] == 20
    assert {"p2.5", "p97.5", "mean", "sd", "recorded"} <= set(mass["reuse_share"])
    assert mass["materials"]
    assert data["sensitivity"]["mass"]["reuse_share"][0]["position"] == 1


def test_bad_options_are_input_errors(tongling):
    for options in (
        {"samples": 1},
        {"samples": 10, "top": 0},
        {"samples": 10, "default": -1},
        {"samples": 10, "seed": -1},  # was numpy's ValueError: an "internal error" on the CLI
        {"samples": 10, "seed": 1.5},
    ):
        with pytest.raises(InputError):
            monte_carlo(tongling, **options)


@settings(max_examples=8, deadline=None)
@given(
    ranges=st.lists(
        st.tuples(st.floats(1, 1e4), st.floats(0, 1e4), st.floats(0, 1e4)), min_size=1, max_size=5
    ),
    uniform=st.booleans(),
)
def test_ranges_propagate_like_their_moments(ranges, uniform):
    """A sum of triangular (or uniform) flows: mean sum of the distributions' means,
    variance sum of their variances (the moments of docs/uncertainty.md section 1)."""
    modes = [m for m, _, _ in ranges]
    flows = pd.DataFrame(
        {
            "source": ["A"] * len(ranges),
            "target": ["LF"] * len(ranges),
            "material": [f"m{i}" for i in range(len(ranges))],
            "quantity": modes,
            "unit": ["t"] * len(ranges),
            "category": ["waste"] * len(ranges),
            "quantity_low": [m * (1 - left / 1e4) for m, left, _ in ranges],  # never < 0
            "quantity_high": [m + right for m, _, right in ranges],
        }
    )
    firms = pd.DataFrame({"id": ["A", "LF"], "role": ["firm", "disposal"]})
    network = from_frames(firms, flows)
    spreads = flow_spreads(network, ranges="uniform" if uniform else "triangular")
    mean, variance = spreads.mean.sum(), (spreads.sd**2).sum()
    samples = 4000
    result = monte_carlo(
        network, samples=samples, seed=1, ranges="uniform" if uniform else "triangular"
    )
    row = result._row("mass", "disposed")
    assert abs(row["mean"] - mean) <= 5 * math.sqrt(variance / samples) + 1e-9 * mean
    if variance > 1e-9 * mean**2:
        assert row["sd"] ** 2 == pytest.approx(variance, rel=0.15)


@settings(max_examples=100, deadline=None)
@given(
    flows=st.lists(
        st.tuples(st.sampled_from("ABCD"), st.sampled_from("ABCDE"), st.sampled_from("xyz")),
        max_size=30,
    ),
    sources=st.lists(st.sampled_from("ABCDQ"), max_size=4),
)
def test_streams_of_the_listed_sources_group_as_all_flows_do(flows, sources):
    """The streams looked up among the listed opportunities' sources only are the groups
    that grouping every flow by (source, target, material) gives them: same positions,
    ascending, repeated streams included, unknown sources absent."""
    from symbiosis.analysis.uncertainty_ranking import _streams_of

    table = pd.DataFrame(flows, columns=["source", "target", "material"], dtype=object)
    found = _streams_of(table, sources)
    everything: dict[tuple, list[int]] = {}
    for position, stream in enumerate(flows):
        everything.setdefault(stream, []).append(position)
    wanted = {k: v for k, v in everything.items() if k[0] in sources}
    assert {k: v.tolist() for k, v in found.items()} == wanted


def copper_network(scale: float):
    """tester58's hand-made network (a smelter, cement, a recycler; one energy flow), every
    quantity times ``scale``."""
    flows = pd.DataFrame(
        [
            ("M", "S", "ore", 100, "t", "product"),
            ("S", "C", "slag", 30, "t", "by-product"),
            ("S", "LF", "slag", 20, "t", "waste"),
            ("S", "MKT", "copper", 40, "t", "product"),
            ("S", "AIR", "SO2", 10, "t", "emission"),
            ("C", "MKT", "cement", 30, "t", "product"),
            ("C", "R", "dust", 5, "t", "waste"),
            ("R", "S", "dust concentrate", 5, "t", "product"),
            ("S", "R", "heat", 1000, "GJ", "by-product"),
        ],
        columns=["source", "target", "material", "quantity", "unit", "category"],
    )
    flows["quantity"] = flows["quantity"] * scale
    roles = {"M": "extraction", "S": "firm", "C": "firm", "R": "recycling"}
    roles |= {"MKT": "market", "LF": "disposal", "AIR": "environment"}
    firms = pd.DataFrame({"id": list(roles), "role": list(roles.values())})
    return from_frames(firms, flows)


@pytest.mark.parametrize("scale", [1e-300, 1e-160, 2.0**-1000])
def test_tiny_flows_give_the_spread_and_drivers_of_ordinary_ones(scale):
    """tester58 item 3: at 1e-300 t the sd of every total was 0 (squares underflowing)
    while the interval was not, and the sensitivity was empty. The result is now the
    ordinary one times the scale: sds of totals, identical shares and drivers."""
    ordinary = monte_carlo(copper_network(1.0), samples=400, seed=7, default=0.1)
    tiny = monte_carlo(copper_network(scale), samples=400, seed=7, default=0.1)
    table, small = ordinary.indicators, tiny.indicators
    totals = table["unit"].notna().to_numpy()
    assert (table.loc[totals, "sd"] > 0).any()
    for column in ("sd", "mean", "p2.5", "p97.5"):
        np.testing.assert_allclose(
            small.loc[totals, column] / scale, table.loc[totals, column], rtol=1e-12
        )
        np.testing.assert_allclose(small.loc[~totals, column], table.loc[~totals, column],
                                   rtol=1e-12, atol=1e-15)  # fmt: skip
    assert not ordinary.sensitivity.empty
    labels = ["dimension", "indicator", "position", "row"]
    pd.testing.assert_frame_equal(tiny.sensitivity[labels], ordinary.sensitivity[labels])
    np.testing.assert_allclose(
        tiny.sensitivity["correlation"], ordinary.sensitivity["correlation"], rtol=1e-9
    )


def test_units_leave_ordinary_results_bit_for_bit():
    """The powers of two the sd and the correlations are taken in scale exactly: the same
    numbers as numpy's std and Pearson's r on the raw values."""
    result = monte_carlo(copper_network(1.0), samples=300, seed=2, default=0.1)
    varying = result.indicators["sd"].to_numpy() > 0
    raw = np.nanstd(result.draws, axis=0, ddof=1)
    assert (result.indicators["sd"].to_numpy()[varying] == raw[varying]).all()


def test_an_interval_of_what_there_is_not_names_what_there_is():
    """It was a bare KeyError(('energy', 'reuse_share')), as the reuse accounts' was."""
    mass = from_frames(
        pd.DataFrame({"id": ["A", "B"], "role": ["firm", "firm"]}),
        pd.DataFrame({"source": ["A"], "target": ["B"], "material": ["slag"], "quantity": [10],
                      "unit": ["t"], "category": ["waste"]}),
    )  # fmt: skip
    result = monte_carlo(mass, samples=4, default=0.1)
    with pytest.raises(KeyError, match="unknown dimension 'energy'; this network has flows in"):
        result.interval("energy", "reuse_share")
    with pytest.raises(KeyError, match="unknown indicator 'nope'; choose from generated, "):
        result.interval("mass", "nope")
