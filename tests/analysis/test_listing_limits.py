"""The results' listings check their row counts at the call: ``limit=-1`` was a Python
slice that dropped the last loop, ``"a"`` a TypeError from inside, ``1.5`` numpy's
"Partition index must be integer"; each is one InputError naming the value."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

import symbiosis
from symbiosis.analysis.compare import compare
from symbiosis.analysis.criticality import criticality
from symbiosis.analysis.reconcile import reconcile
from symbiosis.analysis.trends import trends
from symbiosis.errors import InputError

PAIRS = [("A", "B"), ("B", "A"), ("B", "C"), ("C", "B"), ("C", "D"), ("D", "C")]
COLUMNS = ["source", "target", "material", "quantity", "unit", "category", "year"]
BAD = [-1, "a", 1.5, True, float("nan")]


def _network(years: tuple[int, ...]) -> symbiosis.FlowNetwork:
    firms = pd.DataFrame({"id": list("ABCD"), "role": ["firm"] * 4})
    rows = [
        (s, t, "x", k + 1 + y % 2, "t", "by-product", y)
        for y in years
        for k, (s, t) in enumerate(PAIRS[: 6 if y % 2 else 4])
    ]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return symbiosis.load(firms, pd.DataFrame(rows, columns=COLUMNS))


@pytest.fixture(scope="module")
def results():
    """Every result that lists rows, of one small network (two years for the trends)."""
    net, older = _network((2021,)), _network((2020,))
    report = symbiosis.analyze(net, sections="loops,reuse,structure,balance")
    return {
        "loops": report.loops,
        "reuse": report.reuse,
        "structure": report.structure,
        "balance": report.balance,
        "criticality": criticality(net),
        "compare": compare(older, net),
        "reconcile": reconcile(net, default_uncertainty=0.1),
        "trends": trends(_network((2020, 2021))),
    }


def _listings(results):
    """(name, call of one count) for every public listing that takes a count or None."""
    r = results
    trend_change = r["trends"].changes[0]
    return [
        ("loops.to_dict", lambda n: r["loops"].to_dict(limit=n)),
        ("loops.to_frame", lambda n: r["loops"].to_frame(limit=n)),
        ("loops.top", lambda n: r["loops"].top(n)),
        ("reuse.to_dict", lambda n: r["reuse"].to_dict(limit=n)),
        ("structure.to_dict", lambda n: r["structure"].to_dict(limit=n)),
        ("balance.to_dict", lambda n: r["balance"].to_dict(limit=n)),
        ("balance.to_dict all", lambda n: r["balance"].to_dict(every_firm=True, limit=n)),
        ("criticality.to_dict", lambda n: r["criticality"].to_dict(top=n)),
        ("compare.to_dict", lambda n: r["compare"].to_dict(limit=n)),
        ("compare.flows_with", lambda n: r["compare"].flows_with("added", limit=n)),
        ("reconcile.to_dict", lambda n: r["reconcile"].to_dict(limit=n)),
        ("trends.to_dict", lambda n: r["trends"].to_dict(limit=n)),
        ("trends change.to_dict", lambda n: trend_change.to_dict(limit=n)),
    ]


@pytest.mark.parametrize("bad", BAD, ids=repr)
def test_a_bad_limit_is_one_input_error_at_the_call(results, bad):
    for name, call in _listings(results):
        with pytest.raises(InputError) as raised:
            call(bad)
        said = str(raised.value)
        assert "must be a whole number >= 0 or None" in said, name
        assert f"(got {bad!r})" in said, name


def test_the_message_names_the_value():
    firms = pd.DataFrame({"id": list("ABCD"), "role": ["firm"] * 4})
    rows = [(s, t, "x", k + 1, "t", "by-product") for k, (s, t) in enumerate(PAIRS)]
    flows = pd.DataFrame(rows, columns=COLUMNS[:-1])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        report = symbiosis.analyze(symbiosis.load(firms, flows), sections="loops")
    assert report.loops.found == 3
    with pytest.raises(InputError, match=r"limit must be a whole number >= 0 or None \(got -1\)"):
        report.loops.to_dict(limit=-1)  # was: the last loop silently left out


@pytest.mark.parametrize("bad", [*BAD, None])
def test_counts_without_none_refuse_it_too(results, bad):
    with pytest.raises(InputError, match=r"n must be a whole number >= 0 \(got"):
        results["criticality"].top(bad)
    with pytest.raises(InputError, match=r"limit must be a whole number >= 0 \(got"):
        results["balance"].heads(bad)


def test_good_counts_in_any_integer_form_list_that_many(results):
    for name, call in _listings(results):
        call(None)
        assert repr(call(np.int64(1))) == repr(call(1)), name
        call(0)
    loops = results["loops"]
    assert loops.found == 3
    assert len(loops.to_dict(limit=np.int64(2))["loops"]) == 2
    assert len(loops.to_dict(limit=0)["loops"]) == 0
    assert len(loops.to_frame(limit=np.int32(1))) == 1
    assert len(results["criticality"].top(np.int64(2))) == 2


def test_other_listing_options_are_checked_with_the_limit(results):
    with pytest.raises(InputError) as raised:
        results["reuse"].to_dict(tables=["by_materials"], limit=-1)
    said = str(raised.value)
    assert "unknown tables 'by_materials'; choose from network, by_category" in said
    assert "limit must be" in said  # both problems in one error
    with pytest.raises(InputError, match="unknown status 'gone'; choose from added"):
        results["compare"].flows_with("gone")
    with pytest.raises(InputError, match="every_firm must be True or False"):
        results["balance"].to_dict(every_firm="yes")
    one = results["reuse"].to_dict(tables="by_material")  # one name as a string
    assert "by_material" in one and "by_category" not in one
