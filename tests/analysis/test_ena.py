"""The rest of ENA (symbiosis.analysis.ena) against enaR on its whole model library,
hand-computed systems and properties.

The fixtures in tests/data/enar/ are enaR's 104 models with what enaR 3.1.0 printed for
each (written by tools/enar_library.py); every expected value below comes from them or
from a hand computation in the test's docstring.
"""

from __future__ import annotations

import contextlib
import json
import math
from fractions import Fraction

import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.sparse.csgraph import connected_components

from symbiosis.analysis import ena

from .enar_models import PATHS, RTOL, load_model

MODELS = {path.name.split(".")[0]: load_model(path) for path in PATHS}
IDS = list(MODELS)


def _system(model: dict):
    n = model["n"]
    triples = np.array(model["flows"], dtype=float).reshape(-1, 3)
    rows, cols = triples[:, 0].astype(int), triples[:, 1].astype(int)
    flows = sp.csr_matrix((triples[:, 2], (rows, cols)), shape=(n, n))
    return flows, np.array(model["inputs"]), np.array(model["outputs"])


def _close(mine, reference, rtol: float = RTOL, atol: float = 1e-12) -> bool:
    """enaR prints NaN/Inf as strings: a number of ours must then be None."""
    if isinstance(reference, str):
        return mine is None or not math.isfinite(mine)
    return mine is not None and math.isclose(mine, reference, rel_tol=rtol, abs_tol=atol)


def _check(pairs: dict) -> None:
    wrong = {k: v for k, v in pairs.items() if not _close(*v)}
    assert not wrong, wrong


def test_library_is_complete():
    assert len(MODELS) == 104
    versions = {json.dumps(m["enar"]["versions"], sort_keys=True) for m in MODELS.values()}
    assert len(versions) == 1  # every reference from one R + enaR installation
    assert json.loads(versions.pop())["enaR"] == "3.1.0"


# ---------------------------------------------------------------------- fixtures


@pytest.mark.parametrize("key", IDS)
def test_fixture_reproduces_enar_flow_totals(key):
    """The fixture's data give enaR's TST, TSTp, boundary, APL and FCI (enaFlow ns) and
    throughflow, by the definitions (dense here: at most 125 nodes): the fixtures are
    the models enaR analysed, self-flows included."""
    model = MODELS[key]
    flows, z, y = _system(model)
    dense = flows.toarray()
    through = dense.sum(axis=0) + z
    scale = np.divide(1.0, through, out=np.zeros_like(through), where=through > 0)
    integral = np.linalg.pinv(np.eye(model["n"]) - scale[:, None] * dense)
    cycled = float(np.sum((1 - 1 / np.diag(integral)) * through))
    ref = model["enar"]["enaFlow"]
    np.testing.assert_allclose(through, model["enar"]["enaFlow_T"], rtol=RTOL, atol=1e-12)
    _check(
        {
            "TST": (through.sum(), ref["TST"]),
            "TSTp": (dense.sum() + z.sum() + y.sum(), ref["TSTp"]),
            "Boundary": (z.sum(), ref["Boundary"]),
            "APL": (through.sum() / z.sum(), ref["APL"]),
            "FCI": (cycled / through.sum(), ref["FCI"], RTOL, 1e-9),
        }
    )
    np.testing.assert_allclose(y, np.add(model["exports"], model["respirations"]), rtol=1e-12)


# ---------------------------------------------------------------------- against enaR


@pytest.mark.parametrize("key", IDS)
def test_ascendency_matches_enar(key):
    model = MODELS[key]
    flows, z, y = _system(model)
    result = ena.ascendency(flows, z, y, exports=model["exports"])
    ref = model["enar"]["enaAscendency"]
    pairs = {
        "H": (result.flow_diversity, ref["H"]),
        "AMI": (result.mutual_information, ref["AMI"]),
        "Hr": (result.residual_diversity, ref["Hr"]),
        "CAP": (result.development_capacity, ref["CAP"]),
        "ASC": (result.ascendency, ref["ASC"]),
        "OH": (result.overhead, ref["OH"]),
        "ASC.CAP": (result.ascendency_ratio, ref["ASC.CAP"]),
        "OH.CAP": (result.overhead_ratio, ref["OH.CAP"]),
        "robustness": (result.robustness, ref["robustness"]),
        "ELD": (result.effective_link_density, ref["ELD"]),
        "TD": (result.trophic_depth, ref["TD"]),
    }
    parts = {"A": "ascendency_parts", "OH": "overhead_parts", "CAP": "capacity_parts"}
    for prefix, attribute in parts.items():
        for block, value in getattr(result, attribute).to_dict().items():
            pairs[f"{prefix}.{block}"] = (value, ref[f"{prefix}.{block}"], RTOL, 1e-9)
    _check(pairs)


@pytest.mark.parametrize("key", IDS)
def test_indirect_flow_matches_enar(key):
    flows, z, y = _system(MODELS[key])
    result = ena.indirect_flow(flows, z, y)
    ref = MODELS[key]["enar"]["enaFlow"]
    _check(
        {
            "ID.F": (result.ratio, ref["ID.F"]),
            "ID.F.O": (result.ratio_output, ref["ID.F.O"]),
            "ID.F.I": (result.ratio_input, ref["ID.F.I"]),
            "BFI": (result.boundary_share, ref["BFI"]),
            "DFI": (result.direct_share, ref["DFI"]),
            "IFI": (result.indirect_share, ref["IFI"]),
            "TST": (result.total_system_throughflow, ref["TST"]),
        }
    )


@pytest.mark.parametrize("key", IDS)
def test_pathway_proliferation_matches_enar(key):
    flows, _, _ = _system(MODELS[key])
    result = ena.pathway_proliferation(flows)
    ref = MODELS[key]["enar"]["enaStructure"]
    _check({"ppr": (result.rate, ref["ppr"]), "lam1A": (result.spectral_radius, ref["lam1A"])})


@pytest.mark.parametrize("key", IDS)
def test_flow_utility_matches_enar(key):
    flows, z, y = _system(MODELS[key])
    result = ena.flow_utility(flows, z, y)
    ref = MODELS[key]["enar"]["enaUtility_flow"]
    _check(
        {
            "mutualism.F": (result.mutualism, ref["mutualism.F"]),
            "synergism.F": (result.synergism, ref["synergism.F"]),
            "lam1D": (result.spectral_radius, ref["lam1D"]),
        }
    )


CYCLED = [key for key in IDS if isinstance(MODELS[key]["enar"].get("enaCycle"), dict)]


def test_enar_ran_the_cycle_analysis_on_most_models():
    """enaR's enaCycle was given 90 s (some models 600 s); the fixtures say which it did
    not finish."""
    assert len(CYCLED) >= 65


@pytest.mark.parametrize("key", CYCLED)
def test_cycle_analysis_matches_enar(key):
    model = MODELS[key]
    flows, z, y = _system(model)
    result = ena.cycle_analysis(flows, z, y)
    ref = model["enar"]["enaCycle"]
    assert (result.cycles, result.nexuses) == (ref["NCYCS"], ref["NNEX"])
    _check({"CI": (result.cycling_index, ref["CI"])})
    if "CycleDist" in model["enar"]:
        np.testing.assert_allclose(
            result.distribution, model["enar"]["CycleDist"], rtol=RTOL, atol=1e-9
        )
        np.testing.assert_allclose(
            result.normalized, model["enar"]["NormDist"], rtol=RTOL, atol=1e-12
        )


@pytest.mark.parametrize("method", ["AVG", "AVG2", "IO", "OI"])
@pytest.mark.parametrize("key", IDS)
def test_balance_matches_enar(key, method):
    """Against enaR's balancing steps on the extended matrix (for the unbalanced models,
    the fixture records that enaR's balance() returned exactly these flows). enaR solves
    with an SVD pseudo-inverse: its smallest values carry errors of about 1e-15 of the
    largest, hence the absolute tolerance relative to the model's scale."""
    model = MODELS[key]
    flows, z, y = _system(model)
    ref = model["enar"]["balance_composite"][method]
    result = ena.balance(flows, z, y, method=method)
    expected_y = np.add(ref["export"], ref["respiration"])
    tolerance = {"rtol": RTOL, "atol": 1e-12 * max(flows.max(), z.max(), y.max())}
    np.testing.assert_allclose(result.inputs, ref["input"], **tolerance)
    np.testing.assert_allclose(result.outputs, expected_y, **tolerance)
    if "flows" in ref:
        coo = flows.tocoo()
        mine = np.asarray(result.flows[coo.row, coo.col]).ravel()
        np.testing.assert_allclose(mine, ref["flows"], **tolerance)
    if ref.get("balance_run"):
        assert ref["balance_max_abs_diff_vs_composite"] == 0
    unchanged = ena.balance(flows, z, y, method=method, tolerance=0.05)
    assert unchanged.changed is not model["enar"]["ssCheck"]["balanced"]


# ---------------------------------------------------------------------- by hand


def test_ascendency_of_a_chain_is_all_order():
    """z -> 0 -> 1 -> respiration, one unit each: three entries of 1 whose rows and
    columns hold nothing else, TSTp = 3: A = C = 3 log2 3, OH = 0."""
    flows = sp.csr_matrix(([1.0], ([0], [1])), shape=(2, 2))
    result = ena.ascendency(flows, [1, 0], [0, 1])
    assert result.ascendency == pytest.approx(3 * math.log2(3))
    assert result.development_capacity == pytest.approx(3 * math.log2(3))
    assert result.overhead == pytest.approx(0, abs=1e-12)
    assert result.ascendency_ratio == pytest.approx(1)
    # -(A/C) ln(A/C) at A/C = 1 is 0: it was -0.0, written so in the JSON (a tester's)
    assert math.copysign(1.0, result.robustness) == 1.0 and result.robustness == 0


def test_ascendency_partitions_of_one_node():
    """One node, input 2, export 1, respiration 1 (TSTp 4): C = 2*1 + 2*(1*2) = 6,
    A.input = 2 log2(2*4/(2*2)) = 2, A.export = A.respiration = log2(4/2) = 1,
    OH.input = 0, OH.export = OH.respiration = -log2(1/2) = 1."""
    result = ena.ascendency(sp.csr_matrix((1, 1)), [2], [2], exports=[1])
    assert result.development_capacity == pytest.approx(6)
    assert result.ascendency_parts.to_dict() == pytest.approx(
        {"input": 2, "internal": 0, "export": 1, "respiration": 1}
    )
    assert result.overhead_parts.to_dict() == pytest.approx(
        {"input": 0, "internal": 0, "export": 1, "respiration": 1}
    )


def test_indirect_flow_of_a_chain():
    """0 -> 1 -> 2, one unit: direct = 1, N's row sums w = (3, 2, 1), indirect =
    z.w - sum z - direct = 1, ID.F = 1; ID.F.O = (6 - 3 - 2) / 2 = 0.5."""
    flows = sp.csr_matrix(([1.0, 1.0], ([0, 1], [1, 2])), shape=(3, 3))
    result = ena.indirect_flow(flows, [1, 0, 0], [0, 0, 1])
    assert (result.direct, result.indirect, result.ratio) == pytest.approx((1, 1, 1))
    assert result.ratio_output == pytest.approx(0.5)


def test_indirect_flow_reports_a_loop_nothing_leaves():
    flows = sp.csr_matrix(([1.0, 1.0], ([0, 1], [1, 0])), shape=(2, 2))
    result = ena.indirect_flow(flows, [0, 0], [0, 0])
    assert result.ratio is None and "singular" in result.problem


@pytest.mark.parametrize(
    ("arcs", "n", "rate", "radius"),
    [
        ([(0, 1), (1, 2), (2, 0)], 3, 1.0, 1.0),  # a ring
        ([(i, j) for i in range(3) for j in range(3) if i != j], 3, 2.0, 2.0),
        ([(0, 1), (1, 2)], 3, None, 0.0),  # a chain: enaR's 0/0
        ([(0, 0)], 1, 1.0, 1.0),  # a self-flow is a cycle
    ],
)
def test_pathway_proliferation_by_hand(arcs, n, rate, radius):
    rows, cols = zip(*arcs, strict=True)
    flows = sp.csr_matrix((np.ones(len(arcs)), (rows, cols)), shape=(n, n))
    result = ena.pathway_proliferation(flows)
    assert result.rate == (None if rate is None else pytest.approx(rate))
    assert result.spectral_radius == pytest.approx(radius)


@pytest.mark.parametrize("size", [2, 3, 7, 64, 401, 1500])
def test_the_radius_of_a_simple_ring_is_exactly_one(size):
    """Measured: a 3-firm loop had cyclicity 1.0000000000000002, read as interlocking
    cycles (> 1). A block whose rows all sum alike has that sum for radius, exactly."""
    ring = sp.csr_matrix((np.ones(size), (np.arange(size), np.roll(np.arange(size), -1))))
    assert ena.pathway_proliferation(ring).spectral_radius == 1.0
    complete = sp.csr_matrix(np.ones((5, 5)) - np.eye(5))
    assert ena.pathway_proliferation(complete).spectral_radius == 4.0


def test_flow_utility_of_a_pair():
    """0 -> 1 one unit, T = (1, 1): D = [[0, -1], [1, 0]], U = (I - D)^-1 =
    [[1, -1], [1, 1]] / 2: three positive entries, one negative; synergism 1.5/0.5;
    D's eigenvalues are +-i."""
    flows = sp.csr_matrix(([1.0], ([0], [1])), shape=(2, 2))
    result = ena.flow_utility(flows, [1, 0], [0, 1])
    assert (result.positive, result.negative) == (3, 1)
    assert result.mutualism == pytest.approx(3)
    assert result.synergism == pytest.approx(3)
    assert result.spectral_radius == pytest.approx(1)


def test_flow_utility_limits_blas_threads_by_its_largest_component(monkeypatch):
    """The dense inverses run in one context sized by the largest weak component (one BLAS
    thread for mid-sized blocks: threads only contend there), and the figures are the
    same as without it."""
    from symbiosis.analysis import ena_utility

    chain = sp.csr_matrix((np.ones(4), ([0, 1, 2, 5], [1, 2, 0, 6])), shape=(7, 7))
    before = ena.flow_utility(chain, [1, 0, 0, 0, 0, 1, 0], [0, 0, 1, 0, 0, 0, 1])
    sizes = []

    def recording(largest):
        sizes.append(largest)
        return contextlib.nullcontext()

    monkeypatch.setattr(ena_utility, "blas_threads_for", recording)
    after = ena.flow_utility(chain, [1, 0, 0, 0, 0, 1, 0], [0, 0, 1, 0, 0, 0, 1])
    assert sizes == [3]
    assert after == before


def test_cycle_analysis_of_a_pair_and_a_self_flow():
    """A -> B 1, B -> A 0.5, A -> A 0.3: the self-flow is the weakest arc (a cycle of
    one arc, 0.3), then the pair's cycle takes the weak arc's 0.5 off both arcs (cycled
    flow 2 x 0.5 = 1). TSTp = 1.8 + 1 (z) + 1 (y) = 3.8."""
    flows = sp.csr_matrix(([0.3, 1.0, 0.5], ([0, 0, 1], [0, 1, 0])), shape=(2, 2))
    result = ena.cycle_analysis(flows, [1, 0], [0.5, 0.5])
    assert (result.cycles, result.nexuses) == (2, 2)
    assert result.distribution.tolist() == pytest.approx([0.3, 1.0])
    assert result.cycling_index == pytest.approx(1.3 / 3.8)
    np.testing.assert_allclose(result.residual.toarray(), [[0, 0.5], [0, 0]], atol=1e-15)


def test_balance_a_chain_by_hand():
    """0 -> 1 carries 1 but 2 enter 0 and 1 leaves 1: the input step keeps z = 2 and
    makes the chain carry 2; the output step keeps y = 1 and cuts the input to 1; AVG
    is their mean, 1.5 everywhere."""
    flows = sp.csr_matrix(([1.0], ([0], [1])), shape=(2, 2))
    steps = {m: ena.balance(flows, [2, 0], [0, 1], method=m) for m in ("i", "o", "avg")}
    assert (steps["i"].flows[0, 1], steps["i"].inputs[0], steps["i"].outputs[1]) == (2, 2, 2)
    assert (steps["o"].flows[0, 1], steps["o"].inputs[0], steps["o"].outputs[1]) == (1, 1, 1)
    assert steps["avg"].throughflow.tolist() == pytest.approx([1.5, 1.5])


def test_unknown_rule_or_method_is_refused():
    flows = sp.csr_matrix((1, 1))
    with pytest.raises(ValueError, match="throughflow"):
        ena.indirect_flow(flows, [1], [1], throughflow="throughput")
    with pytest.raises(ValueError, match="balance method"):
        ena.balance(flows, [1], [1], method="median")


# ---------------------------------------------------------------------- properties


@st.composite
def systems(draw, max_nodes: int = 6):
    """Random flow systems with self-flows; every node has some input and output, so
    that every step is well defined."""
    n = draw(st.integers(1, max_nodes))
    values = st.floats(0.01, 100, allow_subnormal=False)
    cells = draw(st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1), values)))
    dense = np.zeros((n, n))
    for i, j, value in cells:
        dense[i, j] = value
    z = np.array(draw(st.lists(values, min_size=n, max_size=n)))
    y = np.array(draw(st.lists(values, min_size=n, max_size=n)))
    return sp.csr_matrix(dense), z, y


def _balanced(flows, z, y) -> bool:
    inflow = np.asarray(flows.sum(axis=0)).ravel() + z
    outflow = np.asarray(flows.sum(axis=1)).ravel() + y
    return np.allclose(inflow, outflow, rtol=1e-9, atol=1e-9)


@settings(max_examples=60, deadline=None)
@given(systems(), st.sampled_from(ena.THROUGHFLOW_RULES))
def test_ascendency_is_at_most_capacity(system, rule):
    result = ena.ascendency(*system, throughflow=rule)
    cap = result.development_capacity
    assert result.ascendency <= cap * (1 + 1e-12)
    assert result.ascendency + result.overhead == pytest.approx(cap, rel=1e-9)
    assert sum(result.capacity_parts.to_dict().values()) == pytest.approx(cap, rel=1e-9)
    assert 0 <= result.ascendency_ratio <= 1 + 1e-12


@settings(max_examples=60, deadline=None)
@given(systems(), st.sampled_from(["avg", "avg2", "io", "oi", "i", "o"]))
def test_balance_gives_a_balanced_system(system, method):
    result = ena.balance(*system, method=method)
    assert _balanced(result.flows, result.inputs, result.outputs)
    again = ena.balance(result.flows, result.inputs, result.outputs, method=method)
    np.testing.assert_allclose(again.flows.toarray(), result.flows.toarray(), rtol=1e-7)


@settings(max_examples=40, deadline=None)
@given(systems())
def test_avg2_is_the_mean_of_io_and_oi(system):
    results = {m: ena.balance(*system, method=m) for m in ("avg2", "io", "oi", "avg", "i", "o")}
    for combined, (a, b) in {"avg2": ("io", "oi"), "avg": ("i", "o")}.items():
        mean = (results[a].flows + results[b].flows) * 0.5
        np.testing.assert_allclose(results[combined].flows.toarray(), mean.toarray(), rtol=1e-9)
        mean_z = (results[a].inputs + results[b].inputs) / 2
        np.testing.assert_allclose(results[combined].inputs, mean_z, rtol=1e-9)


@settings(max_examples=40, deadline=None)
@given(systems())
def test_rules_agree_on_a_balanced_system(system):
    balanced = ena.balance(*system, method="avg2")
    args = (balanced.flows, balanced.inputs, balanced.outputs)
    for function in (ena.indirect_flow, ena.flow_utility, ena.ascendency):
        rules = ("inflow", "outflow", "max")
        inflow, *others = (function(*args, throughflow=r).to_dict() for r in rules)
        for other in others:
            for key, value in inflow.items():
                if isinstance(value, float):
                    assert other[key] == pytest.approx(value, rel=1e-6, abs=1e-9), key


@settings(max_examples=60, deadline=None)
@given(systems(), st.sampled_from(ena.THROUGHFLOW_RULES))
def test_indirect_flow_equals_the_dense_inverse(system, rule):
    """ID.F from one solve equals enaR's formula with the full inverse."""
    result = ena.indirect_flow(*system, throughflow=rule)
    flows, z, y = system
    dense = flows.toarray()
    inflow, outflow = dense.sum(axis=0) + z, dense.sum(axis=1) + y
    through = {"inflow": inflow, "outflow": outflow}.get(rule, np.maximum(inflow, outflow))
    z_used = z if rule != "max" else z + through - inflow
    g = dense / through[:, None]
    n = len(z)
    integral = np.linalg.inv(np.eye(n) - g)
    direct = float(z_used @ g.sum(axis=1))
    indirect = float(z_used @ (integral - np.eye(n) - g).sum(axis=1))
    if direct > 0:
        assert result.ratio == pytest.approx(indirect / direct, rel=1e-8, abs=1e-10)


def _pathway_counts(adjacency: list[list[int]], length: int) -> list[int]:
    """sum(A^k) for k = 1..length, in exact integers."""
    columns = list(zip(*adjacency, strict=True))
    power, totals = adjacency, []
    for _ in range(length):
        totals.append(sum(map(sum, power)))
        power = [[sum(a * b for a, b in zip(r, c, strict=True)) for c in columns] for r in power]
    return totals


@settings(max_examples=60, deadline=None)
@given(systems(max_nodes=5))
def test_pathway_proliferation_equals_exact_matrix_powers(system):
    adjacency = [[int(v > 0) for v in row] for row in system[0].toarray()]
    totals = _pathway_counts(adjacency, ena.PPR_POWER)
    result = ena.pathway_proliferation(system[0])
    if totals[-2] == 0:
        assert result.rate is None
    else:
        assert result.rate == pytest.approx(float(Fraction(totals[-1], totals[-2])), rel=1e-9)


@settings(max_examples=60, deadline=None)
@given(systems(max_nodes=4))
def test_cycle_analysis_leaves_acyclic_flows_and_balanced_cycles(system):
    """Up to 4 nodes, where enaR's n // 2 + 1 reachability sweeps always find the whole
    nexus: what is left is acyclic; what was removed is a sum of cycles (its rows and
    columns balance) and equals the cycled flow."""
    flows, z, y = system
    result = ena.cycle_analysis(flows, z, y)
    residual = result.residual.copy()
    residual.data[residual.data < 1e-12] = 0
    residual.eliminate_zeros()
    count, _ = connected_components(residual, directed=True, connection="strong")
    assert count == flows.shape[0] and residual.diagonal().max(initial=0) == 0
    aggregated = result.aggregated.toarray()
    np.testing.assert_allclose(aggregated.sum(axis=0), aggregated.sum(axis=1), atol=1e-9)
    assert aggregated.sum() == pytest.approx(result.distribution.sum(), abs=1e-9)
    assert 0 <= result.cycling_index <= 1
