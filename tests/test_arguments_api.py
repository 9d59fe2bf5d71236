"""The public functions check their option arguments at the call: one InputError naming
each bad parameter and the value it got (a survey found TypeErrors from inside the
passes, crashes while formatting messages, and nonsense accepted)."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest
import scipy.sparse as sp

import symbiosis
from symbiosis import edits, units
from symbiosis.analysis.balance import firm_balances
from symbiosis.analysis.compare import compare
from symbiosis.analysis.cycle_search import simple_cycles
from symbiosis.analysis.cycling import cycling
from symbiosis.analysis.indicators import indicators
from symbiosis.analysis.loops import find_loops
from symbiosis.analysis.opportunities import count_opportunities, find_opportunities
from symbiosis.analysis.trends import trends
from symbiosis.errors import InputError
from symbiosis.report import Report, analyze_to_dict, run_sections
from symbiosis.scenarios import apply_scenario, compare_scenarios

TONGLING = Path(__file__).parents[1] / "examples" / "tongling"


@pytest.fixture(scope="module")
def net():
    with pytest.warns(symbiosis.errors.SymbiosisWarning):
        return symbiosis.load(TONGLING)


BAD = [
    # (call, the words the message must hold)
    (lambda n: symbiosis.analyze(n, sections=-1), "sections must be a list of names (got -1)"),
    (lambda n: symbiosis.analyze(n, sections=[1]), "sections must be a list of names (got 1 in"),
    (lambda n: symbiosis.analyze(n, progress="6"), "progress must be a function or None"),
    (lambda n: analyze_to_dict(n, parallel="no"), "parallel must be True or False (got 'no')"),
    (lambda n: list(run_sections(n, convert=1)), "convert must be a function or None (got 1)"),
    (lambda n: symbiosis.analyze(n, max_distance_km=-1), "max_distance_km must be a number > 0"),
    (lambda n: symbiosis.analyze(n, opportunities_top=-1), "opportunities_top must be a whole"),
    (lambda n: symbiosis.analyze(n, seed=-1), "seed must be a whole number >= 0 (got -1)"),
    (lambda n: symbiosis.analyze(n, uncertainty=float("inf")), "uncertainty must be a finite"),
    (lambda n: symbiosis.analyze(n, samples=True), "samples must be a whole number >= 2"),
    (lambda n: find_loops(n, time_budget="6"), "time_budget must be a number > 0 (seconds)"),
    (lambda n: find_loops(n, max_length=True), "max_length must be a whole number >= 1 (got True"),
    (lambda n: find_loops(n, dimension="tons"), "unknown dimension 'tons'"),
    (lambda n: cycling(n, balance_tolerance="6"), "balance_tolerance must be a number >= 0"),
    (lambda n: cycling(n, throughflow=[1]), "unknown throughflow rule [1]"),
    (lambda n: cycling(n, balance="avg3"), "unknown balance method 'avg3'"),
    (lambda n: firm_balances(n, tolerance=True), "tolerance must be a number >= 0"),
    (lambda n: n.throughflow("bogus"), "unknown dimension 'bogus'; choose from mass, energy"),
    (lambda n: n.throughflow("mass", "avg"), "unknown throughflow rule 'avg'"),
    (lambda n: n.matrix(2.5), "unknown dimension 2.5"),
    (lambda n: n.inflow(None), "unknown dimension None"),
    (lambda n: n.flows_in("bogus"), "unknown dimension 'bogus'"),
    (lambda n: n.flows_in(categories=["wastes"]), "unknown categories 'wastes'"),
    (lambda n: find_opportunities(n, receivers_per_stream=10**9), "receivers_per_stream must be"),
    (lambda n: find_opportunities(n, receivers_per_stream=True), "receivers_per_stream must be"),
    (lambda n: find_opportunities(n, kinds=5), "kinds must be a list of names (got 5)"),
    (lambda n: find_opportunities(n, fates=["gone"]), "unknown fates 'gone'"),
    (lambda n: find_opportunities(n, catalogue="x.csv"), "catalogue must be a Catalogue or None"),
    (lambda n: find_opportunities(n, taxonomy=5), "taxonomy must be a Taxonomy or the path"),
    (lambda n: find_opportunities(n, demands=[1]), "demands must be the path of a demands file"),
    (lambda n: find_opportunities(n, currency=5), "currency must be text or None"),
    (lambda n: find_opportunities(n, impact="yes"), "impact must be True or False"),
    (lambda n: find_opportunities(n, disposal_cost=True), "disposal_cost must be a finite number"),
    (lambda n: find_opportunities(n, top=2.5), "top must be a whole number >= 0 (got 2.5)"),
    (lambda n: count_opportunities(n, max_distance_km="far"), "max_distance_km must be a number"),
    (lambda n: trends(n, options="6"), "options must be symbiosis.Options(...) or None"),
    (lambda n: indicators(n, options=0), "options must be symbiosis.Options(...) or None"),
    (lambda n: compare(n, n, labels="AB"), "labels must be two names"),
    (lambda n: compare(n, n, options={"max_loops": 3}), "options must be symbiosis.Options"),
    (lambda n: compare_scenarios(n, 5), "scenarios must be a list of Scenario objects"),
    (lambda n: compare_scenarios(n, [1]), "scenarios: holds a int"),
    (lambda n: apply_scenario(n, None), "scenario must be a Scenario or the path"),
    (lambda n: edits.apply(n, None), "edits must be a list of edits (got NoneType)"),
    (lambda n: edits.apply(n, edits.RemoveFirm("SMELT")), "edits must be a list of edits"),
    (lambda n: edits.to_toml([edits.RemoveFirm("SMELT")], title=5), "title must be text or None"),
    (lambda n: edits.to_toml([1]), "edits must be Edit objects (got a int)"),
    (lambda n: simple_cycles(sp.eye(3), 3, max_cycles=-1), "max_cycles must be a whole number"),
    (lambda n: simple_cycles(sp.eye(3), 3, order=[0, 0, 1]), "order must hold each node"),
    (lambda n: simple_cycles(sp.eye(3), "3"), "max_length must be a whole number >= 1 (got '3')"),
    (lambda n: Report.from_dict({"options": {}, "warnings": 5}), "not a report's data"),
]


@pytest.mark.parametrize(("call", "words"), BAD)
def test_a_bad_option_is_named_at_the_call(net, call, words):
    with pytest.raises(InputError) as raised:
        call(net)
    assert words in str(raised.value)


def test_units_convert_names_what_is_not_text_or_a_number():
    for call, words in [
        (lambda: units.convert(1.0, None, "t"), "unit must be text (got None)"),
        (lambda: units.convert(1.0, "t", 5), "to must be text (got 5)"),
        (lambda: units.convert("6", "t", "kt"), "quantity must be a number (got '6')"),
    ]:
        with pytest.raises(units.UnknownUnitError, match=re.escape(words)):
            call()


def test_every_bad_option_of_a_call_in_one_error(net):
    with pytest.raises(InputError) as raised:
        find_loops(net, max_length=0, max_loops="many", time_budget=float("nan"))
    text = str(raised.value)
    assert "max_length" in text and "max_loops" in text and "time_budget" in text


def test_good_values_in_other_forms_give_the_same_results(net):
    """numpy integers for counts, one name as a string for a list of names."""
    as_numpy = find_loops(net, max_length=np.int64(4), max_loops=np.int32(50))
    plain = find_loops(net, max_length=4, max_loops=50)
    assert as_numpy.loops == plain.loops and len(plain.loops) > 0
    one = find_opportunities(net, kinds="expand", fates="disposed", impact=False)
    listed = find_opportunities(net, kinds=["expand"], fates=["disposed"], impact=False)
    assert one.to_dict() == listed.to_dict()
    assert net.flows_in(categories="waste").equals(net.flows_in(categories=["waste"]))
    opts = symbiosis.Options(max_loop_length=np.int64(4), seed=np.uint8(3))
    assert opts.max_loop_length == 4
    assert list(symbiosis.analyze(net, sections="summary, reuse").sections) == ["summary", "reuse"]
