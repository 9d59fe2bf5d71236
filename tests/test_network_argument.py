"""Public functions given something else than a FlowNetwork say so, with what to do.

Found by fuzzing: a path, a frame or None given as the network went on to fail deep
inside with ``AttributeError: 'str' object has no attribute 'core'``.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import symbiosis
from symbiosis import edits
from symbiosis.analysis.balance import firm_balances
from symbiosis.analysis.compare import compare
from symbiosis.analysis.criticality import criticality
from symbiosis.analysis.cycling import cycling
from symbiosis.analysis.indicators import indicators
from symbiosis.analysis.loops import find_loops
from symbiosis.analysis.opportunities import count_opportunities, find_opportunities
from symbiosis.analysis.reconcile import reconcile
from symbiosis.analysis.reuse import reuse_accounts
from symbiosis.analysis.shocks import shock
from symbiosis.analysis.structure import resource_city_indicators
from symbiosis.analysis.trends import trends
from symbiosis.analysis.uncertainty import monte_carlo
from symbiosis.export.network_html import network_html
from symbiosis.report import analyze_to_dict, run_sections
from symbiosis.scenarios import apply_scenario, compare_scenarios

TONGLING = Path(__file__).parents[1] / "examples" / "tongling"

CALLS = {
    "analyze": lambda n: symbiosis.analyze(n),
    "analyze_to_dict": lambda n: analyze_to_dict(n),
    "run_sections": lambda n: list(run_sections(n)),
    "firm_balances": firm_balances,
    "compare": lambda n: compare(n, n),
    "criticality": criticality,
    "cycling": cycling,
    "indicators": indicators,
    "find_loops": find_loops,
    "find_opportunities": find_opportunities,
    "count_opportunities": count_opportunities,
    "reconcile": reconcile,
    "reuse_accounts": reuse_accounts,
    "shock": lambda n: shock(n, {"JG": -0.5}),
    "resource_city_indicators": resource_city_indicators,
    "trends": trends,
    "monte_carlo": lambda n: monte_carlo(n, samples=10),
    "network_html": network_html,
    "edits.apply": lambda n: edits.apply(n, []),
    "apply_scenario": lambda n: apply_scenario(n, "plan.toml"),
    "compare_scenarios": lambda n: compare_scenarios(n, []),
}


@pytest.mark.parametrize("name", list(CALLS))
@pytest.mark.parametrize(
    ("given", "said"),
    [
        (str(TONGLING), "load it first: symbiosis.load("),
        (TONGLING, "load it first"),
        (pd.DataFrame(), "not DataFrame; make one with symbiosis.load"),
        (None, "not NoneType"),
    ],
)
def test_a_network_that_is_not_one_is_a_type_error(name, given, said):
    with pytest.raises(TypeError, match="must be a FlowNetwork") as caught:
        CALLS[name](given)
    assert said in str(caught.value)


def test_compare_names_the_argument():
    network = symbiosis.load(TONGLING)
    with pytest.raises(TypeError, match=r"^b must be a FlowNetwork"):
        compare(network, str(TONGLING))
