"""The throughflow rules of the cycling pass on unbalanced networks, worked by hand: what
"inflow" and "outflow" add (nothing), the ENA block under the report's rule, and the
read-only arrays of the result."""

import dataclasses

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp

from symbiosis import analyze, from_frames
from symbiosis.analysis import ena
from symbiosis.analysis.cycling import cycling, flow_statistics

FLOW_COLUMNS = ["source", "target", "material", "quantity", "unit", "category"]


def network(rows, roles):
    firms = pd.DataFrame({"id": list(roles), "role": list(roles.values())})
    flows = pd.DataFrame([(s, t, m, q, "t", c) for s, t, m, q, c in rows], columns=FLOW_COLUMNS)
    return from_frames(firms, flows)


def chain():
    """MKT -> A 100, A -> B 50, A -> LF 20, B -> MKT 80: A has 100 in, 70 out; B 50 in,
    80 out. Recorded z = (100, 0), y = (20, 80); internal flows 50."""
    rows = [
        ("MKT", "A", "ore", 100, "product"),
        ("A", "B", "metal", 50, "product"),
        ("B", "MKT", "goods", 80, "product"),
        ("A", "LF", "slag", 20, "waste"),
    ]
    return network(rows, {"A": "firm", "B": "firm", "MKT": "market", "LF": "disposal"})


# rule: (T_A, T_B), z, y. Under "max" A gets an unrecorded output of 30 and B an
# unrecorded input of 30: TST = 180, z = 130, TSTp = 50 + 130 + 130 = 310.
# Under "inflow" and "outflow" nothing is added: TST = 150, z = 100, TSTp = 250.
CHAIN = {
    "max": ((100, 80), (100, 30), (50, 80), (0, 30), (30, 0)),
    "inflow": ((100, 50), (100, 0), (20, 80), (0, 0), (0, 0)),
    "outflow": ((70, 80), (100, 0), (20, 80), (0, 0), (0, 0)),
}


@pytest.mark.parametrize("rule", list(CHAIN))
def test_each_rule_adds_only_what_it_says_by_hand(rule):
    through, z, y, unrecorded_in, unrecorded_out = CHAIN[rule]
    report = analyze(chain(), sections="cycling", throughflow=rule)
    mass = report.cycling["mass"]
    s = mass.statistics
    assert s.throughflow.tolist() == list(through)
    assert s.boundary_input.tolist() == list(z)
    assert s.boundary_output.tolist() == list(y)
    assert s.unrecorded_input.tolist() == list(unrecorded_in)
    assert s.unrecorded_output.tolist() == list(unrecorded_out)
    actors = mass.actors
    assert actors["unrecorded_input"].tolist() == list(unrecorded_in)
    assert actors["unrecorded_output"].tolist() == list(unrecorded_out)
    # the imbalance is the rule's business only through T: inflow - outflow
    assert actors["imbalance"].tolist() == [30, -30]
    assert actors["relative_imbalance"].tolist() == pytest.approx([30 / t for t in through])
    totals = report.to_dict()["cycling"]["dimensions"]["mass"]
    tst = sum(through)
    assert totals["total_system_throughflow"] == tst
    assert totals["boundary_input"] == sum(z)
    assert totals["average_path_length"] == pytest.approx(tst / sum(z))
    assert totals["total_system_throughput"] == 50 + sum(z) + sum(y)
    assert totals["unrecorded_input"] == sum(unrecorded_in)
    assert totals["unrecorded_output"] == sum(unrecorded_out)


def test_recorded_rules_give_apl_over_the_recorded_input():
    """APL = TST / recorded boundary input under both recorded rules: 150 / 100."""
    for rule in ("inflow", "outflow"):
        metrics = cycling(chain(), throughflow=rule)["mass"].metrics()
        assert metrics["average_path_length"] == 1.5


def loop():
    """MKT -> A 100, A -> B 60, B -> A 20, B -> MKT 90, A -> MKT 30.
    inflow (A, B) = (120, 60), outflow = (90, 110); z = (100, 0), y = (30, 90)."""
    rows = [
        ("MKT", "A", "ore", 100, "product"),
        ("A", "B", "metal", 60, "product"),
        ("B", "A", "scrap", 20, "by-product"),
        ("B", "MKT", "goods", 90, "product"),
        ("A", "MKT", "x", 30, "product"),
    ]
    return network(rows, {"A": "firm", "B": "firm", "MKT": "market"})


def test_indirect_flow_ratio_uses_the_rule_of_the_report_by_hand():
    """ID.F (enaR's enaFlow): g_ij = F_ij / T_i, w = (I - G)^-1 1, direct = z . G1,
    indirect = z . w - sum z - direct.

    outflow: T = (90, 110), G = [[0, 2/3], [2/11, 0]], det(I - G) = 29/33,
    w_A = 33/29 (1 + 2/3) = 55/29; direct = 100 * 2/3, indirect = 100 (55/29 - 5/3)
    = 2000/87: ID.F = 10/29.
    inflow: T = (120, 60), G = [[0, 1/2], [1/3, 0]], w_A = 6/5 * 3/2 = 9/5;
    direct = 50, indirect = 180 - 150 = 30: ID.F = 3/5."""
    for rule, expected in (("outflow", 10 / 29), ("inflow", 3 / 5)):
        found = cycling(loop(), throughflow=rule)["mass"].ena
        assert found["indirect_direct_ratio"] == pytest.approx(expected, rel=1e-12), rule


def three_firms():
    """A 3-firm web whose mutualism differs by rule: F = [[0, 0, 10], [20, 0, 30],
    [0, 20, 0]], z = (0, 50, 100), y = (50, 50, 100); inflow (20, 70, 140), outflow
    (60, 100, 120)."""
    flows = np.array([[0.0, 0.0, 10.0], [20.0, 0.0, 30.0], [0.0, 20.0, 0.0]])
    z, y = np.array([0.0, 50.0, 100.0]), np.array([50.0, 50.0, 100.0])
    names = ["A", "B", "C"]
    rows = [
        (names[i], names[j], "m", flows[i, j], "product")
        for i, j in zip(*np.nonzero(flows), strict=True)
    ]
    rows += [("MKT", names[i], "in", z[i], "product") for i in np.flatnonzero(z)]
    rows += [(names[i], "MKT", "out", y[i], "product") for i in np.flatnonzero(y)]
    roles = {"A": "firm", "B": "firm", "C": "firm", "MKT": "market"}
    return network(rows, roles), flows, z, y


def numpy_indirect_ratio(flows, z, through):
    """enaR's ID.F with the dense inverse."""
    g = flows / through[:, None]
    n = len(z)
    integral = np.linalg.inv(np.eye(n) - g)
    direct = z @ g.sum(axis=1)
    return (z @ (integral - np.eye(n) - g).sum(axis=1)) / direct


def numpy_utility(flows, through):
    """(mutualism, synergism) of enaR's enaUtility: D = (F' - F) / T by rows, U rounded
    to 10 decimals, Y = diag(T) U."""
    direct = (flows.T - flows) / through[:, None]
    u = np.round(np.linalg.inv(np.eye(len(through)) - direct), 10)
    y = through[:, None] * u
    return (y > 0).sum() / (y < 0).sum(), y[y > 0].sum() / -y[y < 0].sum()


def test_ena_block_under_outflow_equals_numpy_with_t_outflow():
    net, flows, z, y = three_firms()
    outflow, inflow = flows.sum(axis=1) + y, flows.sum(axis=0) + z
    assert numpy_utility(flows, outflow)[0] == 2.0  # and 3.0 with T = inflow
    assert numpy_utility(flows, inflow)[0] == 3.0
    for rule, through in (("outflow", outflow), ("inflow", inflow)):
        found = cycling(net, throughflow=rule)["mass"].ena
        assert found["indirect_direct_ratio"] == pytest.approx(
            numpy_indirect_ratio(flows, z, through), rel=1e-12
        )
        assert found["mutualism"] == numpy_utility(flows, through)[0]
    # the matrix functions: synergism too, and ID.F
    system = (sp.csr_matrix(flows), z, y)
    utility = ena.flow_utility(*system, throughflow="outflow")
    assert (utility.mutualism, utility.synergism) == pytest.approx(numpy_utility(flows, outflow))
    indirect = ena.indirect_flow(*system, throughflow="outflow")
    assert indirect.total_system_throughflow == outflow.sum()
    assert indirect.ratio == pytest.approx(numpy_indirect_ratio(flows, z, outflow), rel=1e-12)


def test_ascendency_depends_on_throughput_not_on_the_rule():
    """Ascendency reads the flows and the recorded boundary flows, never T: "inflow" and
    "outflow" give the same figures, those of the matrix function."""
    net, flows, z, y = three_firms()
    keys = ("development_capacity", "ascendency", "overhead", "robustness")
    by_rule = {r: cycling(net, throughflow=r)["mass"].ena for r in ("inflow", "outflow")}
    direct = ena.ascendency(sp.csr_matrix(flows), z, y, exports=y, throughflow="outflow")
    for key in keys:
        assert by_rule["outflow"][key] == by_rule["inflow"][key], key
        assert by_rule["outflow"][key] == pytest.approx(getattr(direct, key), rel=1e-12), key


def test_max_and_inflow_ena_blocks_are_unchanged():
    """Under "max" the closed system's inflow is T: the ENA block equals enaR's rule on
    (F, z + unrecorded, y + unrecorded); under "inflow", enaR's rule on the recorded flows."""
    net, flows, _, y = three_firms()
    for rule in ("max", "inflow"):
        s = cycling(net, throughflow=rule)["mass"]
        system = (sp.csr_matrix(flows), s.statistics.boundary_input, s.statistics.boundary_output)
        assert s.ena["indirect_direct_ratio"] == ena.indirect_flow(*system).ratio
        assert s.ena["mutualism"] == ena.flow_utility(*system).mutualism
        assert (
            s.ena["ascendency"]
            == ena.ascendency(*system, exports=np.minimum(y, system[2])).ascendency
        )


def test_cycle_analysis_under_outflow_weighs_cycles_by_the_outflow():
    """P = F / T with T = outflow: the same as enaR's rule on a system whose inflow is that
    outflow (z' = outflow - column sums), and not enaR's rule on (F, z, y). The weak arc
    0 -> 1 closes two cycles whose weights depend on T_2 (inflow 4, outflow 23)."""
    flows = np.array([[0, 1.0, 0], [6.0, 0, 4.0], [3.0, 0, 0]])
    z, y = np.array([10.0, 0, 0]), np.array([11.0, 0.0, 20.0])
    matrix = sp.csr_matrix(flows)
    shifted = flows.sum(axis=1) + y - flows.sum(axis=0)  # (3, 9, 19) >= 0
    out = ena.cycle_analysis(matrix, z, y, throughflow="outflow")
    mirror = ena.cycle_analysis(matrix, shifted, y, throughflow="inflow")
    enar = ena.cycle_analysis(matrix, z, y, throughflow="inflow")
    np.testing.assert_allclose(out.distribution, mirror.distribution, rtol=1e-12)
    assert not np.allclose(out.distribution, enar.distribution)


@pytest.mark.parametrize("rule", ["max", "inflow", "outflow"])
def test_result_arrays_are_read_only(rule):
    mass = analyze(loop(), sections="cycling", throughflow=rule).cycling["mass"]
    before = mass.to_dict()
    s = mass.statistics
    arrays = [f.name for f in dataclasses.fields(s) if isinstance(getattr(s, f.name), np.ndarray)]
    assert len(arrays) == 8
    for name in arrays:
        with pytest.raises(ValueError, match="read-only"):
            getattr(s, name)[0] = 1e6
    structure = mass.structure
    with pytest.raises(ValueError, match="read-only"):
        structure.components[0][0] = 5
    with pytest.raises(ValueError, match="read-only"):
        structure.component_cyclicity[0] = 5.0
    assert mass.to_dict() == before


def test_read_only_results_leave_the_callers_arrays_writable():
    """Inputs are never modified: the caller's z and y keep their flags."""
    matrix = sp.csr_matrix(np.array([[0.0, 4.0], [1.0, 0.0]]))
    z, y = np.array([5.0, 0.0]), np.array([1.0, 8.0])
    for rule in ("max", "inflow", "outflow"):
        stats = flow_statistics(matrix, z, y, throughflow=rule)
        assert not stats.boundary_input.flags.writeable
        assert z.flags.writeable and y.flags.writeable
        z[0] = 5.0


def test_failed_blocks_hold_read_only_members():
    matrix = sp.csr_matrix(np.array([[0.0, 10.0], [10.0, 0.0]]))
    stats = flow_statistics(matrix, np.zeros(2), np.zeros(2))
    assert stats.failures
    with pytest.raises(ValueError, match="read-only"):
        stats.failures[0].members[0] = 1


@pytest.mark.parametrize(
    ("rows", "rule", "said"),
    [
        ([("A", "B", 0), ("B", "A", 0)], "max",
         "every flow of known size to or from actors is 0: no throughflow"),
        ([("A", "B", 0), ("B", "A", 0)], "inflow",
         "every flow of known size between or into actors is 0: no throughflow"),
        ([("A", "M", 5)], "inflow", "no flow of known size between or into actors"),
        ([("M", "A", 5)], "outflow", "no flow of known size between or out of actors"),
    ],
)  # fmt: skip
def test_no_throughflow_says_whether_the_counted_flows_are_0_or_missing(rows, rule, said):
    """A tester's two flows of 0 t (A -> B, B -> A) were told "no flow of known size
    between or into actors", with flows_used 2 and no flow of unknown size."""
    net = network([(s, t, f"m{i}", q, "by-product") for i, (s, t, q) in enumerate(rows)],
                  {"A": "firm", "B": "firm", "M": "market"})  # fmt: skip
    mass = cycling(net, throughflow=rule).to_dict()["dimensions"]["mass"]
    assert mass["problem"] == said and mass["flows_unknown_quantity"] == 0
