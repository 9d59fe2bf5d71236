"""Self-flows: an actor's own recycling (a smelter re-melting its own scrap) is accepted,
counted in throughflow, cycling and reuse, and listed as a loop of one actor (issue 15)."""

import pandas as pd
import pytest

from symbiosis import analyze, from_frames
from symbiosis.analysis.cycling import cycling
from symbiosis.analysis.loops import find_loops
from symbiosis.analysis.reuse import reuse_accounts

COLUMNS = ["source", "target", "material", "quantity", "unit", "category"]


@pytest.fixture
def remelting():
    """A smelter buys 10 t of concentrate, re-melts 5 t of its own scrap, sells 10 t of
    copper and sends 2 t of slag to a cement plant, which sells 2 t of cement."""
    flows = pd.DataFrame(
        [
            ("MKT", "SMELT", "concentrate", 12, "t", "product"),
            ("SMELT", "SMELT", "copper scrap", 5, "t", "by-product"),
            ("SMELT", "MKT", "copper", 10, "t", "product"),
            ("SMELT", "CEM", "slag", 2, "t", "by-product"),
            ("CEM", "MKT", "cement", 2, "t", "product"),
        ],
        columns=COLUMNS,
    )
    firms = pd.DataFrame({"id": ["SMELT", "CEM", "MKT"], "role": ["firm", "firm", "market"]})
    return from_frames(firms, flows)


def test_throughflow_and_finn_cycling_index_count_the_self_flow(remelting):
    mass = cycling(remelting)["mass"].statistics
    # SMELT: in 12 + 5, out 5 + 10 + 2 = 17; g = 5/17, n = 1/(1 - 5/17) = 17/12.
    assert mass.throughflow.tolist() == [17.0, 2.0]
    assert mass.cycled_throughflow == pytest.approx((1 - 12 / 17) * 17)  # = 5
    assert mass.finn_cycling_index == pytest.approx(5 / 19)


def test_reuse_counts_internal_reuse_apart(remelting):
    mass = reuse_accounts(remelting)["mass"]
    assert mass["generated"] == 7.0
    assert mass["reused"] == 7.0 and mass["reused_internally"] == 5.0
    assert mass["reuse_share"] == 1.0


def test_a_self_flow_is_a_loop_of_one_actor(remelting):
    search = find_loops(remelting)
    (loop,) = search.loops
    assert loop.firms == ("SMELT",) and loop.bottleneck == {"mass": 5.0}
    assert [core.members for core in search.cores] == [("SMELT",)]


def test_the_report_runs_with_self_flows(remelting):
    report = analyze(remelting)
    assert report.loops.found == 1
    assert report.cycling.structure.links == 2  # SMELT -> SMELT and SMELT -> CEM
