"""Reconciliation: a published worked example, hand-computed cases, bad input, and
properties against a dense reference solution."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

import symbiosis
from symbiosis.analysis.reconcile import reconcile, reconciled_flows
from symbiosis.analysis.reconcile_linalg import FLOW_KINDS
from symbiosis.analysis.reconcile_problems import infeasible
from symbiosis.errors import AnalysisError, InputError
from symbiosis.examples import load_example

# Narasimhan & Jordache (2000), "Data Reconciliation and Gross Error Detection", Gulf
# Publishing: the heat exchanger with a bypass (process units E1 splitter, E2 exchanger,
# E3 bypass valve, E4 mixer), six flows measured with variance 1. The measurements, variances
# and incidence matrix are also in E.C. do Valle's benchmark collection of literature problems
# (github.com/EDSONCV/dr-ged-benchmarks, trunk/data_reconciliation/linear/scilab/P4/P4.sce),
# which holds no reconciled values: those below are the exact weighted least-squares answer
# to two decimals (by hand in docs/reconciliation.md, and with numpy below).
HEAT_EXCHANGER_MEASURED = [101.91, 64.45, 34.65, 64.20, 36.44, 98.88]
HEAT_EXCHANGER_RECONCILED = [100.22, 64.50, 35.72, 64.50, 35.72, 100.22]


def network(flows: list[tuple], roles: dict[str, str] | None = None):
    """A network from ``(source, target, quantity)`` rows in tonnes; nodes named ``M*`` are
    markets, the others firms unless ``roles`` says otherwise."""
    nodes = sorted({n for s, t, _ in flows for n in (s, t)})
    roles = roles or {}
    firms = pd.DataFrame(
        {"id": nodes, "role": [roles.get(n, "market" if n[0] == "M" else "firm") for n in nodes]}
    )
    frame = pd.DataFrame(
        {
            "source": [s for s, _, _ in flows],
            "target": [t for _, t, _ in flows],
            "material": [f"m{i}" for i in range(len(flows))],
            "quantity": [q for _, _, q in flows],
            "unit": "t",
            "category": "product",
        }
    )
    return symbiosis.from_frames(firms, frame)


def heat_exchanger(quantities=HEAT_EXCHANGER_MEASURED):
    ends = [("MIN", "E1"), ("E1", "E2"), ("E1", "E3"), ("E2", "E4"), ("E3", "E4"), ("E4", "MOUT")]
    return network([(s, t, q) for (s, t), q in zip(ends, quantities, strict=True)])


def test_narasimhan_jordache_heat_exchanger():
    result = reconcile(heat_exchanger(), np.ones(6))
    flows = result.flows
    assert flows["reconciled"].round(2).tolist() == HEAT_EXCHANGER_RECONCILED
    # the minimised objective is the sum of squared adjustments of the published values
    published = np.array(HEAT_EXCHANGER_RECONCILED) - HEAT_EXCHANGER_MEASURED
    test = result.tests.iloc[0]
    assert test["statistic"] == pytest.approx((published**2).sum(), abs=1e-3)  # 6.4075
    assert test["dof"] == 4 and not test["gross_error"]  # chi2(4) at 95 %: 9.49
    # V_hat is the projection on the null space of A, spanned by (1,1,0,1,0,1) and
    # (1,0,1,0,1,1): its diagonal is 1/3 (worked by hand in docs/reconciliation.md)
    assert flows["reconciled_sd"].to_numpy() == pytest.approx(np.full(6, np.sqrt(1 / 3)))
    assert (flows["status"] == "adjusted").all() and not flows["flagged"].any()


def test_heat_exchanger_with_a_gross_error_in_the_bypass():
    # flow 2 reads 9 sd too high (the gross error do Valle's script suggests): flagged
    measured = list(HEAT_EXCHANGER_MEASURED)
    measured[1] += 9
    result = reconcile(heat_exchanger(measured), np.ones(6))
    assert result.tests.iloc[0]["gross_error"]
    assert result.flagged.index[0] == 1


def test_one_process_equal_uncertainties_share_the_gap():
    # STAN's help, "Data reconciliation": import and export of one process with the same
    # absolute uncertainty change by the same amount; here 100 and 110, sd 10 each
    result = reconcile(network([("MA", "P", 100.0), ("P", "MB", 110.0)]), np.array([10, 10.0]))
    flows = result.flows
    assert flows["reconciled"].tolist() == pytest.approx([105, 105])
    assert flows["reconciled_sd"].tolist() == pytest.approx([10 / np.sqrt(2)] * 2)
    assert flows["adjustment_sd"].tolist() == pytest.approx([10 / np.sqrt(2)] * 2)
    assert flows["z"].tolist() == pytest.approx([5 / (10 / np.sqrt(2))] * 2)
    assert result.tests.iloc[0]["statistic"] == pytest.approx(0.5)  # 10^2 / (10^2 + 10^2)


def test_only_the_uncertain_flow_moves_and_weights_follow_variances():
    exact = reconcile(network([("MA", "P", 100.0), ("P", "MB", 110.0)]), np.array([0, 10.0]))
    assert exact.flows["reconciled"].tolist() == [100, 100]
    assert exact.flows["status"].tolist() == ["fixed", "adjusted"]
    assert exact.flows["reconciled_sd"].tolist() == [0, 0]
    weighted = reconcile(network([("MA", "P", 100.0), ("P", "MB", 110.0)]), np.array([5, 10.0]))
    # adjustments in proportion to the variances: 25 : 100 of the gap of 10
    assert weighted.flows["reconciled"].tolist() == pytest.approx([102, 102])


def test_one_zero_too_many_is_flagged():
    # STAN's help: "the import flow contained a gross error. One zero too much"
    flows = [("MA", "P", 1000.0), ("P", "Q", 100.0), ("Q", "MB", 100.0), ("P", "MB", 0.5)]
    result = reconcile(network(flows), np.array([100, 10, 10, 1.0]))
    assert result.tests.iloc[0]["gross_error"]
    assert 0 in result.flagged.index


def test_unmeasured_flow_is_estimated_with_its_sd():
    flows = [("MA", "P", 100.0), ("P", "Q", np.nan), ("Q", "MB", 90.0)]
    result = reconcile(network(flows), np.array([10, 0, 10.0]))
    table = result.flows
    assert table["status"].tolist() == ["adjusted", "estimated", "adjusted"]
    assert table["reconciled"].tolist() == pytest.approx([95, 95, 95])
    assert table["reconciled_sd"][1] == pytest.approx(10 / np.sqrt(2))
    assert result.tests.iloc[0]["dof"] == 1  # P and Q merged: one balance left


def test_two_unmeasured_exits_are_unobservable_but_their_actor_is_not_checked():
    flows = [("MA", "P", 100.0), ("P", "MB", np.nan), ("P", "MC", np.nan)]
    result = reconcile(network(flows), np.array([10, 0, 0.0]))
    assert result.flows["status"].tolist() == ["not redundant", "unobservable", "unobservable"]
    assert result.flows["reconciled"][0] == 100 and np.isnan(result.flows["reconciled"][1])
    assert result.tests.iloc[0]["dof"] == 0


def test_roles_choose_who_balances_and_one_sided_actors_are_left_out():
    flows = [("MA", "P", 100.0), ("P", "X", 120.0), ("X", "MB", 50.0), ("P", "L", 7.0)]
    roles = {"X": "extraction"}
    result = reconcile(network(flows, roles), np.full(4, 5.0))
    assert result.tests.iloc[0]["balancing_actors"] == 1  # P; X is extraction; L one-sided
    assert result.one_sided.to_dict("records") == [
        {"dimension": "mass", "firm": "L", "side": "inputs only"}
    ]
    both = reconcile(network(flows, roles), np.full(4, 5.0), balance_roles=["firm", "extraction"])
    assert both.tests.iloc[0]["balancing_actors"] == 2


def test_tolerance_leaves_small_gaps_and_closes_large_ones_to_the_bound():
    flows = [("MA", "P", 100.0), ("P", "MB", 104.0)]
    loose = reconcile(network(flows), np.array([10, 10.0]), tolerance=0.05)
    assert loose.flows["adjustment"].tolist() == [0, 0]
    tight = reconcile(network(flows), np.array([10, 10.0]), tolerance=0.01)
    reconciled = tight.flows["reconciled"].to_numpy()
    # the gap shrinks to 1 % of the larger recorded side (1.04), split equally
    assert reconciled[1] - reconciled[0] == pytest.approx(1.04)
    assert reconciled.tolist() == pytest.approx([101.48, 102.52])
    # the tests are those of the exact balances
    assert tight.tests.iloc[0]["statistic"] == pytest.approx(16 / 200)


def test_infeasible_exact_balances_are_reported_with_the_actors():
    # Q's output is uncertain, P's flows are all exact and do not balance
    flows = [("MA", "P", 100.0), ("P", "Q", 90.0), ("Q", "MB", 90.0)]
    with pytest.raises(InputError) as caught:
        reconcile(network(flows), np.array([0.0, 0.0, 1.0]))
    message = str(caught.value)
    assert "P" in message and "cannot close" in message and "--uncertainty" in message


def test_no_flow_with_a_spread_is_one_problem_naming_the_balances():
    """Every flow exact (no spread given at all): one problem saying so and how to give
    one, not one per set of balances (a tester's park: 8 "cannot close" errors)."""
    flows = [("MA", "P", 100.0), ("P", "MB", 90.0), ("MA", "Q", 10.0), ("Q", "MB", 9.0)]
    with pytest.raises(InputError) as caught:
        reconcile(network(flows), np.zeros(4))
    [problem] = caught.value.problems
    assert problem.message.startswith("no flow has an uncertainty")
    assert "the balances of P, Q do not close as recorded" in problem.message
    assert "--uncertainty 0.1" in problem.hint and "uncertainty column" in problem.hint
    with pytest.raises(InputError) as caught:  # the default spread 0 is no spread either
        reconcile(network(flows), default_uncertainty=0)
    assert len(caught.value.problems) == 1
    assert reconcile(network(flows), default_uncertainty=0.1).tests is not None


@pytest.mark.parametrize("seed", range(12))
def test_many_infeasible_parts_are_each_reported_as_a_scan_of_each_finds_them(seed):
    """Each set of contradicting exact balances: its actors and the rows of its first ten
    flows, found for every set at once, equal to what a scan of every key and flow for
    each set gives."""
    from symbiosis.analysis import reconcile as rec
    from symbiosis.analysis import reconcile_linalg as linalg

    rng = np.random.default_rng(seed)
    n = int(rng.integers(3, 40))
    firms = [f"F{i:02d}" for i in range(n)]
    flows = [(f"M{rng.integers(3)}", firms[i], float(rng.integers(1, 50))) for i in range(n)]
    flows += [(firms[rng.integers(n)], firms[rng.integers(n)], float(rng.integers(1, 50)))
              for _ in range(int(rng.integers(0, 3 * n)))]  # fmt: skip
    flows = [f for f in flows if f[0] != f[1]]
    flows += [(firms[i], f"M{rng.integers(3)}", float(rng.integers(1, 50))) for i in range(n)]
    net = network(flows)
    sd = np.where(rng.random(len(flows)) < 0.2, 1.0, 0.0)  # some uncertain: fewer parts
    captured = {}
    original = linalg._keys_of_parts

    def keep(system, row_part, parts, n_parts):
        captured.update(system=system, row_part=row_part, parts=parts)
        return original(system, row_part, parts, n_parts)

    linalg._keys_of_parts = keep
    try:
        with pytest.raises(InputError) as caught:
            reconcile(net, sd)
    finally:
        linalg._keys_of_parts = original
    system, row_part, parts = captured["system"], captured["row_part"], captured["parts"]
    plain_groups = [
        np.flatnonzero(np.isin(system.row[system.group], np.flatnonzero(row_part == p)))
        for p in parts
    ]
    for got, want in zip(original(system, row_part, parts, row_part.max() + 1),
                         plain_groups, strict=True):  # fmt: skip
        np.testing.assert_array_equal(got, want)
    problem, _ = rec._problem(net, rec._checked_sd(net, sd, None), rec.DEFAULT_ROLES, 0.0)
    core, want = net.core, []
    for keys in plain_groups:
        keys = keys[~problem.environment[keys]]
        pairs = np.flatnonzero(np.isin(problem.tail, keys) | np.isin(problem.head, keys))
        nodes = np.r_[core.source[np.isin(problem.tail, keys)],
                      core.target[np.isin(problem.head, keys)]]  # fmt: skip
        names = sorted({str(core.ids[node]) for node in nodes})
        rows = sorted(int(r) for r in net.flows["row"].to_numpy()[pairs][:10])
        want.append(infeasible(net, names, rows, False))
    assert caught.value.problems == want
    assert len(want) == len(parts) >= 1


def test_negative_and_missing_sd_name_every_row():
    flows = [("MA", "P", 100.0), ("P", "Q", 90.0), ("Q", "MB", 90.0)]
    with pytest.raises(InputError) as caught:
        reconcile(network(flows), np.array([-1, np.nan, 1.0]))
    problems = caught.value.problems
    assert [(p.row, p.column) for p in problems] == [(2, "uncertainty"), (3, "uncertainty")]
    assert problems[0].message == "standard deviation -1 is negative or missing"  # no np.float64


@pytest.mark.parametrize(
    ("sd", "said"),
    [
        ("x", "not str 'x'"),
        (1.0, "not float 1.0"),
        ({0: 1.0}, "not dict"),
        (["a", "b", "c"], "not text"),
        (np.ones(3) * 1j, "not complex numbers"),
        (np.ones(3, dtype=bool), "not booleans"),
        (np.array([object()] * 3), "holds a value that is not a number"),
    ],
)
def test_an_sd_that_is_not_numbers_is_named(sd, said):
    flows = [("MA", "P", 100.0), ("P", "Q", 90.0), ("Q", "MB", 90.0)]
    with pytest.raises(InputError, match=f"sd must be one number per flow, {said}|sd {said}"):
        reconcile(network(flows), sd)


def test_a_nullable_sd_reports_its_missing_rows():
    flows = [("MA", "P", 100.0), ("P", "Q", 90.0), ("Q", "MB", 90.0)]
    with pytest.raises(InputError, match="standard deviation nan is negative or missing"):
        reconcile(network(flows), pd.Series([None, 1.0, 1.0], dtype="Float64"))


def test_a_series_sd_is_read_by_its_labels():
    """A Series of the flows' spreads sorted (or any order of the same labels) was read
    by position: each flow got another's spread. Now aligned by label; other labels are
    an error that says so."""
    net = heat_exchanger()
    sd = pd.Series(np.linspace(1.0, 6.0, 6), index=net.flows.index)
    want = reconcile(net, sd.to_numpy()).to_dict()
    assert reconcile(net, sd.sort_values(ascending=False)).to_dict() == want
    assert reconcile(net, sd.sample(frac=1.0, random_state=1)).to_dict() == want
    for other in (sd.iloc[:5], sd.set_axis(range(10, 16))):
        with pytest.raises(InputError, match=r"index does not match network\.flows'"):
            reconcile(net, other)


def test_a_default_that_overflows_is_the_default_s_fault():
    """Found by fuzzing: --uncertainty 1e308 blamed a row of flows.csv ("standard deviation
    np.float64(inf) is negative or missing") after a numpy overflow warning. Since such a
    default is above the uncertainty column's bound, that bound refuses it first."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(
            InputError, match=r"default_uncertainty \(--uncertainty\) is above 1,000"
        ):
            reconcile(heat_exchanger(), default_uncertainty=1e308)


@pytest.mark.parametrize(
    ("options", "text"),
    [
        ({"balance_roles": ["market"]}, "boundary role"),
        ({"balance_roles": ["smelter"]}, "unknown role"),
        ({"tolerance": -0.1}, "--tolerance"),
        ({"alpha": 1.5}, "--alpha"),
    ],
)
def test_bad_settings(options, text):
    with pytest.raises(InputError, match=text):
        reconcile(heat_exchanger(), np.ones(6), **options)


def test_default_sd_comes_from_the_spreads():
    result = reconcile(heat_exchanger(), default_uncertainty=0.01)
    assert result.flows["sd"].tolist() == pytest.approx(np.array(HEAT_EXCHANGER_MEASURED) / 100)


def test_reconciled_flows_are_written_in_each_row_s_unit():
    firms = pd.DataFrame({"id": ["MA", "P", "MB"], "role": ["market", "firm", "market"]})
    frame = pd.DataFrame(
        {
            "source": ["MA", "P"],
            "target": ["P", "MB"],
            "material": ["ore", "metal"],
            "quantity": [100.0, 110_000.0],
            "unit": ["kt", "t"],
            "category": "product",
            "uncertainty": [0.1, 0.1],
            "note": ["a", "b"],
        }
    )
    net = symbiosis.from_frames(firms, frame)
    result = reconcile(net)
    table = reconciled_flows(net, result)
    # sd 10 kt and 11 kt: the gap of 10 kt splits 100 : 121 (in proportion to variances)
    closed = 100 + 10 * 100 / 221
    assert table["quantity"].tolist() == pytest.approx([closed, closed * 1000])
    assert table["quantity_measured"].tolist() == [100.0, 110_000.0]
    assert table["quantity_measured_sd"].tolist() == pytest.approx([10.0, 11_000.0])
    # the prior spread relative to the reconciled quantity; the reduced sd beside it
    assert table["uncertainty"].tolist() == pytest.approx(
        table["quantity_measured_sd"] / table["quantity"]
    )
    reduced = np.sqrt(1 / (1 / 10**2 + 1 / 11**2))  # kt: two measurements of one flow
    assert table["reconciled_sd"].tolist() == pytest.approx([reduced, reduced * 1000])
    assert table["note"].tolist() == ["a", "b"] and "value" not in table and "row" not in table
    # read back: the reconciled network balances, and reconciles to the same sds
    again = reconcile(symbiosis.from_frames(firms, table))
    assert again.flows["adjustment"].abs().max() == pytest.approx(0, abs=1e-6)
    assert again.flows["reconciled_sd"].tolist() == pytest.approx(result.flows["reconciled_sd"])


def test_to_dict_lists_the_tests_and_flags():
    result = reconcile(network([("MA", "P", 1000.0), ("P", "MB", 100.0)]), np.array([10, 10.0]))
    data = result.to_dict()
    assert data["tests"][0]["gross_error"] is True
    assert data["rows"]["flagged"] == 2 and len(data["flagged"]) == 2
    assert data["flows_by_status"]["adjusted"] == 2


def _plain_dict(result, limit):
    """to_dict the plain way: every table's records through to_jsonable, cell by cell."""
    from symbiosis.jsonable import to_jsonable

    flows = result.flows
    changed = flows[flows["status"].isin(("adjusted", "estimated"))]
    changed = changed.reindex(
        changed["adjustment"].abs().sort_values(ascending=False, kind="stable").index
    )
    status = flows["status"].value_counts()
    return to_jsonable(
        {
            "balance_roles": list(result.balance_roles),
            "tolerance": result.tolerance,
            "nonnegative": result.nonnegative,
            "losses": list(result.losses),
            "alpha": result.alpha,
            "z_critical": result.z_critical,
            "tests": result.tests.to_dict("records"),
            "flows_by_status": {s: int(status.get(s, 0)) for s in FLOW_KINDS},
            "negative_reconciled": int((flows["reconciled"] < 0).sum()),
            "flagged": result.flagged.head(limit).to_dict("records"),
            "changed": changed.head(limit).to_dict("records"),
            **{
                k.replace(" ", "_"): flows[flows["status"] == k].head(limit).to_dict("records")
                for k in ("estimated", "unobservable", "not redundant", "fixed")
            },
            "one_sided": result.one_sided.to_dict("records"),
            "loss_actors": result.loss_actors.to_dict("records"),
            "rows": {"flagged": int(flows["flagged"].sum()), "changed": len(changed)}
            | {
                k.replace(" ", "_"): int((flows["status"] == k).sum())
                for k in ("estimated", "unobservable", "not redundant", "fixed")
            },
        }
    )


@pytest.mark.parametrize("limit", [None, 1, 3])
@pytest.mark.parametrize("case", ["tongling", "estimated", "one-sided", "losses"])
def test_to_dict_equals_the_records_cell_by_cell(case, limit):
    """The listed flows are made a column at a time: the same keys, values and order as
    to_jsonable of each table's records (NaN as None, unmeasured and estimated flows,
    one-sided actors, a limit)."""
    if case == "tongling":
        result = reconcile(load_example("tongling"), default_uncertainty=0.1)
    elif case == "estimated":
        flows = [("MA", "P", 100.0), ("P", "Q", np.nan), ("Q", "MB", 90.0), ("P", "MC", 5.0)]
        result = reconcile(network(flows), np.array([5.0, np.nan, 5.0, 0.0]))
    elif case == "one-sided":
        flows = [("MA", "P", 100.0), ("P", "MB", 95.0), ("MA", "S", 7.0)]
        result = reconcile(network(flows, {"S": "firm"}), np.array([5.0, 5.0, 1.0]))
    else:  # energy lost at P, more energy out than in at Q (impossible: z 4.1 for sd 5)
        flows = [("MA", "P", 100.0), ("P", "MB", 95.0), ("MA", "P", 9.0), ("P", "MB", 3.0)]
        net = network([*flows, ("MA", "Q", 1.0), ("Q", "MB", 30.0)])
        frame = net.flows.assign(unit=["t", "t", "GJ", "GJ", "GJ", "GJ"])
        net = symbiosis.from_frames(net.firms.reset_index(), frame.drop(columns=["row"]))
        result = reconcile(net, np.full(6, 5.0))
        assert result.loss_actors["impossible"].tolist() == [True, False]
    data = result.to_dict(limit=limit)
    assert data == _plain_dict(result, limit)
    assert list(data) == list(_plain_dict(result, limit))
    assert data["changed"], "the case lists adjusted or estimated flows"


@pytest.mark.parametrize(
    ("tolerance", "expected"), [(0.01, [1.216, 1.196]), (0.3, [1.68, 1.08]), (0.6, [2, 1])]
)
def test_a_closed_loop_within_a_tolerance(tolerance, expected):
    # two firms trading in a loop, no boundary: their two balances are one (dependent rows).
    # Gap b - a = -1 must shrink to 2 x tolerance (the larger side is 2 at both); the
    # reduction splits 1 : 0.25 like the variances: at 1 %, a = 2 - 0.98 x 0.8 = 1.216
    flows = [("F0", "F1", 2.0), ("F1", "F0", 1.0), ("MA", "MB", 5.0)]
    result = reconcile(network(flows), np.array([1.0, 0.5, 1.0]), tolerance=tolerance)
    assert result.flows["reconciled"][:2].tolist() == pytest.approx(expected)


def test_nonnegative_keeps_a_flow_at_zero_and_shares_the_rest():
    # in 100 (sd 1), out 110 (sd 1) and 1 (sd 100): least squares takes the gap of -11
    # almost all from the uncertain small flow, to -9.998; kept >= 0 it stops at 0 and the
    # remaining gap of -10 splits equally between the two others: 105 and 105
    flows = [("MA", "P", 100.0), ("P", "MB", 110.0), ("P", "MC", 1.0)]
    sd = np.array([1.0, 1.0, 100.0])
    free = reconcile(network(flows), sd)
    assert free.flows["reconciled"][2] == pytest.approx(1 - 11 * 1e4 / (1e4 + 2))
    bounded = reconcile(network(flows), sd, nonnegative=True)
    assert bounded.flows["reconciled"].tolist() == pytest.approx([105, 105, 0])
    assert bounded.to_dict()["nonnegative"] is True
    # the tests judge the unbounded problem: same statistic, same z
    for column in ("z", "reconciled_sd"):
        assert bounded.flows[column].tolist() == pytest.approx(free.flows[column].tolist())
    assert bounded.tests["statistic"].tolist() == pytest.approx(free.tests["statistic"])


def test_the_measurement_test_judges_the_exact_adjustment_whatever_the_tolerance():
    flows = [("MA", "P", 100.0), ("P", "MB", 130.0)]
    exact = reconcile(network(flows), np.array([5.0, 5.0]))
    loose = reconcile(network(flows), np.array([5.0, 5.0]), tolerance=0.2)
    assert loose.flows["adjustment"].abs().max() < exact.flows["adjustment"].abs().max()
    assert loose.flows["z"].tolist() == pytest.approx(exact.flows["z"].tolist())
    assert loose.flows["flagged"].tolist() == exact.flows["flagged"].tolist() == [True, True]


def test_nonnegative_combines_with_a_tolerance():
    # the case above within 1 %: the gap may stay open by 1.11 (1 % of the larger side,
    # 111); with the small flow held at 0 the gap is 10, and 8.89 is shared equally
    flows = [("MA", "P", 100.0), ("P", "MB", 110.0), ("P", "MC", 1.0)]
    sd = np.array([1.0, 1.0, 100.0])
    both = reconcile(network(flows), sd, nonnegative=True, tolerance=0.01)
    assert both.flows["reconciled"].tolist() == pytest.approx([104.445, 105.555, 0])
    assert both.to_dict()["nonnegative"] is True and both.tolerance == 0.01


def test_bounds_that_no_flows_can_keep_are_reported_with_the_actors():
    # P receives 10 t and sends 30 t on, both exactly: its uncertain output closes the
    # balance only at -20; Q beside it balances and is not named
    flows = [("MA", "P", 10.0), ("P", "MB", 30.0), ("P", "MC", 5.0), ("MA", "Q", 4.0)]
    flows += [("Q", "MB", 3.0)]
    sd = np.array([0.0, 0.0, 1.0, 1.0, 1.0])
    assert reconcile(network(flows), sd).flows["reconciled"][2] == pytest.approx(-20)
    with pytest.raises(InputError) as caught:
        reconcile(network(flows), sd, nonnegative=True)
    message = str(caught.value)
    assert "the balances of P cannot close with every adjusted flow >= 0" in message
    assert "(rows 2, 3, 4)" in message and "--nonnegative" in message


def _scaled(net, scale: float):
    flows = net.flows.copy()
    flows["value"] = flows["value"] * scale
    return net.with_tables(flows=flows)


def _assert_scaled(tiny, ordinary, scale: float) -> None:
    """``tiny`` is ``ordinary`` with every quantity times ``scale`` (relative 1e-9)."""
    largest = ordinary.flows["measured"].abs().max()
    for column in ("reconciled", "reconciled_sd", "adjustment_sd", "adjustment"):
        np.testing.assert_allclose(
            tiny.flows[column] / scale, ordinary.flows[column], rtol=1e-9, atol=1e-9 * largest
        )
    np.testing.assert_allclose(tiny.flows["z"], ordinary.flows["z"], rtol=1e-9, atol=1e-12)
    assert tiny.flows["status"].tolist() == ordinary.flows["status"].tolist()
    assert tiny.flows["flagged"].tolist() == ordinary.flows["flagged"].tolist()
    np.testing.assert_allclose(tiny.tests["statistic"], ordinary.tests["statistic"], rtol=1e-9)


@pytest.mark.parametrize("scale", [1e-155, 1e-200, 1e-300, 2.0**-1000])
def test_tiny_flows_reconcile_as_ordinary_ones_times_the_scale(scale):
    """tester58 item 4: from 1e-155 t the variances (sd^2) underflowed to 0 and the
    reduced balance matrix was singular (exit 1). Each dimension is now solved in units
    of its largest flow: Tongling (adjusted, not redundant and unobservable flows; mass
    and volume balances) gives the scale-1 result times the scale."""
    tongling = load_example("tongling")
    from symbiosis.analysis.spread import flow_spreads

    sd = flow_spreads(tongling, 0.1).sd
    ordinary = reconcile(tongling, sd)
    assert (ordinary.flows["status"] == "adjusted").any()
    _assert_scaled(reconcile(_scaled(tongling, scale), sd * scale), ordinary, scale)


@pytest.mark.parametrize("options", [{"nonnegative": True}, {"tolerance": 0.01},
                                     {"nonnegative": True, "tolerance": 0.01}])  # fmt: skip
def test_tiny_flows_keep_their_bounds_and_tolerances(options):
    flows = [("MA", "P", 100.0), ("P", "MB", 110.0), ("P", "MC", 1.0)]
    sd = np.array([1.0, 1.0, 100.0])
    ordinary = reconcile(network(flows), sd, **options)
    tiny = reconcile(_scaled(network(flows), 1e-200), sd * 1e-200, **options)
    _assert_scaled(tiny, ordinary, 1e-200)


@pytest.mark.parametrize(
    ("flows", "said"),
    [
        # P balances two flows of 1e-300 t only: its row of S was 0 (singular)
        ([("MA", "Q", 100.0), ("Q", "P", 1e-300), ("P", "Q", 1e-300), ("Q", "MB", 100.0)],
         "the standard deviations of rows 3, 4 are below 1.5e-154 times the largest mass "
         "flow (100 t/yr)"),
        # one such flow between two balances: its entry fell off the pattern of S
        # (ValueError, an internal error)
        ([("MA", "Q", 100.0), ("Q", "P", 1e-200), ("P", "MB", 5.0), ("Q", "MB", 95.0)],
         "the standard deviation of row 3 is below"),
    ],
)  # fmt: skip
def test_sds_too_small_to_weigh_beside_the_others_are_a_clear_error(flows, said):
    """tester58 item 4: what stays singular in units of the dimension's largest flow (an
    sd below 1.5e-154 of it, whose square is 0) is refused, naming the rows and what to
    do; the advice (uncertainty 0 keeps them as measured) works."""
    sd = np.array([q / 10 for _, _, q in flows])
    with pytest.raises(AnalysisError) as caught:
        reconcile(network(flows), sd)
    message = str(caught.value)
    assert message.startswith("flows.csv: ") and said in message
    assert "give them uncertainty 0" in message or "give it uncertainty 0" in message
    fixed = np.where(sd < 1e-100, 0.0, sd)
    result = reconcile(network(flows), fixed)
    assert (result.flows["status"][fixed == 0] == "fixed").all()
