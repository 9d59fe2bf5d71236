"""The reconciled network written by ``reconcile --out`` (tester-recon #1, tester-cities2
#7): reconciling it again moves neither values nor standard deviations, its spreads are
the prior ones (conservative for independent draws), and a flow below 0 is not written."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import symbiosis
from symbiosis.analysis.reconcile import reconcile, reconciled_flows
from symbiosis.analysis.reconcile_output import negative_flows

HEAT_EXCHANGER = [  # Narasimhan & Jordache (2000): six flows measured with sd 1 t
    ("FEED", "E1", 101.91), ("E1", "E2", 64.45), ("E1", "E3", 34.65),
    ("E2", "E4", 64.20), ("E3", "E4", 36.44), ("E4", "OUT", 98.88),
]  # fmt: skip


def network(flows, sd=1.0):
    nodes = sorted({n for s, t, _ in flows for n in (s, t)})
    roles = ["market" if n in ("FEED", "OUT", "MA", "MB") else "firm" for n in nodes]
    frame = pd.DataFrame(
        {
            "source": [f[0] for f in flows],
            "target": [f[1] for f in flows],
            "material": [f"m{i}" for i in range(len(flows))],
            "quantity": [f[2] for f in flows],
            "unit": "t",
            "category": "product",
            "uncertainty": [np.nan if np.isnan(f[2]) else sd / f[2] for f in flows],
        }
    )
    return symbiosis.from_frames(pd.DataFrame({"id": nodes, "role": roles}), frame)


def again(net, result):
    """The written flows table loaded and reconciled again."""
    table = reconciled_flows(net, result)
    return reconcile(symbiosis.from_frames(net.firms.reset_index(), table))


def test_reconciling_the_written_network_again_moves_neither_values_nor_sds():
    # sd 1 -> 0.5774 (sqrt(1/3)); the written folder read back gave 0.3333, then 0.1925
    net = network(HEAT_EXCHANGER)
    first = reconcile(net)
    assert first.flows["reconciled_sd"].tolist() == pytest.approx([np.sqrt(1 / 3)] * 6)
    second = again(net, first)
    assert second.flows["adjustment"].abs().max() == pytest.approx(0, abs=1e-9)
    assert second.flows["reconciled_sd"].tolist() == pytest.approx([np.sqrt(1 / 3)] * 6)
    assert second.flows["sd"].tolist() == pytest.approx([1.0] * 6)  # the prior spreads
    assert second.tests["dof"].tolist() == first.tests["dof"].tolist()


def test_an_estimated_flow_is_estimated_again_not_read_as_a_measurement():
    # flow 1 unmeasured: 99.375 +- 0.7071 from the balances, dof 3; read back as a
    # measurement it made dof 4 and shrank the others' sds
    flows = [("FEED", "E1", np.nan), *HEAT_EXCHANGER[1:]]
    net = network(flows)
    first = reconcile(net)
    assert first.flows["status"].iloc[0] == "estimated"
    table = reconciled_flows(net, first)
    assert table["uncertainty"].iloc[0] == pytest.approx(np.sqrt(0.5) / 99.375)  # its own sd
    assert np.isnan(table["quantity_measured"].iloc[0])
    second = again(net, first)
    assert second.flows["status"].tolist() == first.flows["status"].tolist()
    assert second.tests["dof"].tolist() == [3]
    assert second.flows["reconciled"].tolist() == pytest.approx(first.flows["reconciled"])
    assert second.flows["reconciled_sd"].tolist() == pytest.approx(first.flows["reconciled_sd"])


def test_a_flow_below_0_is_named_with_its_row_and_what_to_do():
    # P receives 10 t and sends out 5 t and 50 t: the exact balance drives the 5 t below 0
    flows = [("MA", "P", 10.0), ("P", "MB", 5.0), ("P", "MA", 50.0)]
    net = network(flows, sd=3.0)
    result = reconcile(net)
    (problem,) = negative_flows(net, result)
    assert (problem.row, problem.column) == (3, "quantity")
    assert "below 0: --out would write a network that does not load" in problem.message
    assert problem.hint.startswith("reconcile with --nonnegative")
    assert negative_flows(net, reconcile(net, nonnegative=True)) == []
