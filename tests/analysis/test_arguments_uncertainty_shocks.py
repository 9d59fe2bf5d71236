"""Option checks of monte_carlo, flow_spreads, reconcile, shock, propagate and criticality
(symbiosis.arguments): a wrong option is one InputError naming the parameter and the value
it got, before any work; valid calls give what they gave before."""

from __future__ import annotations

import math
import re

import numpy as np
import pandas as pd
import pytest

import symbiosis
from symbiosis import load
from symbiosis.analysis.criticality import criticality
from symbiosis.analysis.loops import find_loops
from symbiosis.analysis.propagation import shock_factors
from symbiosis.analysis.reconcile import check_settings, reconcile
from symbiosis.analysis.shocks import propagate, shock
from symbiosis.analysis.spread import flow_spreads
from symbiosis.analysis.uncertainty import monte_carlo
from symbiosis.errors import InputError
from symbiosis.examples import example_path

# fmt: off
WHOLE = ["6", None, [1], math.nan, math.inf, 1e300, 2.5, True, np.bool_(True), -1]
NUMBER = ["6", [1], math.nan, math.inf, True, -1]
# fmt: on


@pytest.fixture(scope="module")
def tongling():
    return load(example_path("tongling"))


def refused(call, name: str, value, shown: str | None = None) -> str:
    """The message of the InputError ``call()`` raises; it names ``name`` and shows
    ``value`` (or the part of it that is wrong, ``shown``)."""
    with pytest.raises(InputError, match=re.escape(name)) as caught:
        call()
    message = str(caught.value)
    assert (shown or repr(value)[:50]) in message, message
    return message


# ---------------------------------------------------------------------- monte_carlo


@pytest.mark.parametrize("name", ["sensitivity_top", "materials", "top"])
@pytest.mark.parametrize("value", WHOLE)
def test_monte_carlo_counts(tongling, name, value):
    message = refused(lambda: monte_carlo(tongling, samples=2, **{name: value}), name, value)
    assert f"{name} must be a whole number >= {1 if name == 'top' else 0}" in message


@pytest.mark.parametrize("value", ["6", 1.5, True, 1])
def test_monte_carlo_samples_shows_the_value(tongling, value):
    message = refused(lambda: monte_carlo(tongling, samples=value), "samples", value)
    assert f"(got {value!r})" in message


@pytest.mark.parametrize("value", NUMBER)
def test_default_uncertainty_of_the_monte_carlo(tongling, value):
    message = refused(lambda: monte_carlo(tongling, samples=2, default=value), "default", value)
    assert "default must be a finite number >= 0" in message
    refused(lambda: flow_spreads(tongling, value), "default", value)


@pytest.mark.parametrize(
    ("options", "name"),
    [
        ({"opportunities": "6"}, "opportunities"),
        ({"opportunities": 5}, "opportunities"),
        ({"opportunities": [1]}, "opportunities"),
        ({"executor": 5}, "executor"),
        ({"executor": "pool"}, "executor"),
        ({"progress": 5}, "progress"),
        ({"ranges": "normal"}, "ranges"),
        ({"ranges": None}, "ranges"),
        ({"seed": "1"}, "seed"),
    ],
)
def test_monte_carlo_objects(tongling, options, name):
    ((_, value),) = options.items()
    refused(lambda: monte_carlo(tongling, samples=2, **options), name, value)


def test_monte_carlo_names_every_bad_option_at_once(tongling):
    with pytest.raises(InputError) as caught:
        monte_carlo(tongling, samples="6", top=0, default=True, progress=5)
    message = str(caught.value)
    for part in ("samples", "'6'", "top", "default", "progress"):
        assert part in message


def test_valid_monte_carlo_calls_still_work(tongling):
    first = monte_carlo(tongling, samples=4, seed=1, default=0.2, top=1, sensitivity_top=0)
    again = monte_carlo(
        tongling, samples=np.int64(4), seed=np.int64(1), default=np.float64(0.2), top=1,
        sensitivity_top=0, materials=np.int32(20), progress=lambda done: None,
    )  # fmt: skip
    assert np.array_equal(first.draws, again.draws, equal_nan=True)
    assert type(again.samples) is int and type(again.seed) is int
    largest = monte_carlo(tongling, samples=2, default=1000)  # the uncertainty column's bound
    assert largest.default == 1000
    with pytest.raises(InputError, match=r"default is above 1,000 \(a standard deviation"):
        monte_carlo(tongling, samples=2, default=1e300)  # tester-recon #5: was allowed


# ---------------------------------------------------------------------- reconcile


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("default_uncertainty", "6"),
        ("default_uncertainty", [1]),
        ("default_uncertainty", True),
        ("default_uncertainty", math.inf),
        ("default_uncertainty", -0.1),
        ("balance_roles", None),
        ("balance_roles", 0),
        ("balance_roles", 2.5),
        ("tolerance", True),
        ("tolerance", "0.1"),
        ("tolerance", math.nan),
        ("tolerance", None),
        ("alpha", True),
        ("alpha", "0.05"),
        ("alpha", 1.0),
        ("nonnegative", "no"),
        ("nonnegative", None),
    ],
)
def test_reconcile_options(tongling, name, value):
    message = refused(lambda: reconcile(tongling, **{name: value}), name, value)
    assert message.startswith(name)


def test_reconcile_names_every_bad_option_at_once(tongling):
    with pytest.raises(InputError) as caught:
        reconcile(tongling, tolerance=True, default_uncertainty="6", balance_roles=5)
    message = str(caught.value)
    for name in ("tolerance", "default_uncertainty", "balance_roles"):
        assert name in message


def test_one_role_as_a_plain_string_is_one_role(tongling):
    """'firm' was read letter by letter: unknown roles 'f', 'i', 'r', 'm'."""
    one = reconcile(tongling, default_uncertainty=0.1, balance_roles="firm")
    listed = reconcile(tongling, default_uncertainty=0.1, balance_roles=["firm"])
    assert one.balance_roles == listed.balance_roles == ("firm",)
    assert one.to_dict() == listed.to_dict()
    with pytest.raises(InputError, match="unknown role 'firm,recycling'"):
        reconcile(tongling, balance_roles="firm,recycling")
    with pytest.raises(InputError, match=r"balance_roles .* list of names \(got 3 in it\)"):
        reconcile(tongling, balance_roles=["firm", 3])


def test_the_cli_s_settings_check_keeps_naming_the_flags():
    with pytest.raises(InputError) as caught:
        check_settings(["firm"], -1.0, 2.0, -2.0)
    assert [p.message.split(" must")[0] for p in caught.value.problems] == [
        "--uncertainty",
        "--tolerance",
        "--alpha",
    ]
    # a large tolerance stays; energy may lose (the default losses)
    assert check_settings(["plant"], 1e300, 0.05) == (("firm",), ("energy",))


# ---------------------------------------------------------------------- shocks


@pytest.mark.parametrize(
    ("shocks", "text"),
    [
        ("6", "shocks must be a mapping"),
        (5, "shocks must be a mapping"),
        ([1], "shocks must be a mapping"),
        ({"DGS": "-0.5"}, "shocks: change for 'DGS' must be a number (got '-0.5')"),
        ({"DGS": True}, "shocks: change for 'DGS' must be a number (got True)"),
        ({"DGS": None}, "shocks: change for 'DGS' must be a number (got None)"),
        ({"DGS": math.nan}, "shocks: change for 'DGS' must be between -1"),
        ({"DGS": -50}, "a supply shock only reduces output; a cut of 50 % is written -0.5"),
        ({"DGS": -500}, "a supply shock only reduces output"),
        ({"dgs": -0.5}, "shocks: unknown firm 'dgs' (did you mean 'DGS'"),
        ({"NOWHERE": -0.5}, "shocks: unknown firm 'NOWHERE'; give an id of firms.csv"),
        ({}, "no shock given: shocks must map"),
    ],
)
@pytest.mark.parametrize("function", ["shock", "propagate", "shock_factors"])
def test_shocks(tongling, shocks, text, function):
    call = {
        "shock": lambda: shock(tongling, shocks, indicators=False),
        "propagate": lambda: propagate(tongling, shocks),
        "shock_factors": lambda: shock_factors(tongling, "mass", shocks),
    }[function]
    with pytest.raises(InputError, match=re.escape(text)):
        call()


def test_a_firm_given_by_its_name_is_told_its_id():
    flows = pd.DataFrame(
        {
            "source": ["MINE"],
            "target": ["MILL"],
            "material": ["ore"],
            "quantity": [5],
            "unit": ["t"],
            "category": ["product"],
        }
    )
    firms = pd.DataFrame({"id": ["MINE", "MILL"], "name": ["Copper mine", "Mill"]})
    network = symbiosis.from_frames(firms, flows)
    with pytest.raises(InputError, match=re.escape("unknown firm 'copper MINE' (the name of MINE")):
        shock(network, {"copper MINE": -0.5}, indicators=False)


@pytest.mark.parametrize("value", ["6", None, "bogus", "0.5", True, math.nan, 0, 1.5, [0.5]])
def test_break_below(tongling, value):
    message = refused(
        lambda: shock(tongling, {"DGS": -0.5}, break_below=value, indicators=False),
        "break_below",
        value,
    )
    assert "break threshold" in message


@pytest.mark.parametrize(
    ("value", "shown"),
    [("bogus", None), (5, None), ({"A": ["B"]}, None), (["ab"], "'ab' in it"),
     ([[1, 2]], "[1, 2] in it"), ([5], "5 in it")],
)  # fmt: skip
def test_shock_loops(tongling, value, shown):
    call = lambda: shock(tongling, {"DGS": -0.5}, loops=value, indicators=False)  # noqa: E731
    assert "each a list of firm ids" in refused(call, "loops", value, shown)


@pytest.mark.parametrize(
    ("options", "name"),
    [
        ({"indicators": "no"}, "indicators"),
        ({"close_balances": None}, "close_balances"),
        ({"options": {"max_loops": 5}}, "options"),
        ({"dimension": "heat"}, "dimension"),
    ],
)
def test_shock_other_options(tongling, options, name):
    ((_, value),) = options.items()
    refused(lambda: shock(tongling, {"DGS": -0.5}, **options), name, value)


def test_shock_names_every_bad_argument_at_once(tongling):
    with pytest.raises(InputError) as caught:
        shock(tongling, {"DGS": "-0.5"}, break_below="6", loops="bogus")
    message = str(caught.value)
    for part in ("shocks", "'-0.5'", "break_below", "'6'", "loops", "'bogus'"):
        assert part in message


def test_valid_shocks_still_work(tongling):
    loops = [("DGS", "JL"), ["JG", "SLAGC"]]
    result = shock(tongling, {"DGS": np.float64(-0.5)}, break_below=np.float64(0.5),
                   loops=iter(loops), indicators=False)  # fmt: skip
    again = shock(tongling, {"DGS": -0.5}, loops=loops, indicators=False)
    assert result.to_dict() == again.to_dict() and result.shocks == {"DGS": -0.5}
    _, retained, _ = propagate(tongling, {"DGS": -1}, drop_stopped=True)
    assert retained.min() == 0.0


# ---------------------------------------------------------------------- criticality


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("loops", "6"),
        ("loops", 5),
        ("loops", [1]),
        ("max_loop_length", "6"),
        ("max_loop_length", 0),
        ("max_loop_length", 2.5),
        ("max_loops", True),
        ("max_loops", -1),
        ("loop_time_budget", "6"),
        ("loop_time_budget", 0),
        ("loop_time_budget", math.nan),
        ("loop_time_budget", True),
        ("by", "size"),
        ("by", 5),
    ],
)
def test_criticality_options(tongling, name, value):
    message = refused(lambda: criticality(tongling, **{name: value}), name, value)
    assert message.startswith(name)  # criticality's own names, not find_loops's


def test_criticality_names_every_bad_option_at_once(tongling):
    with pytest.raises(InputError) as caught:
        criticality(tongling, loops="6", loop_time_budget="6", max_loop_length=0)
    message = str(caught.value)
    for name in ("loops must", "loop_time_budget", "max_loop_length"):
        assert name in message
    assert "time_budget must" not in message.replace("loop_time_budget", "")


def test_valid_criticality_still_works(tongling):
    search = find_loops(tongling, max_length=4)
    given = criticality(tongling, loops=search, loop_time_budget=None)
    found = criticality(tongling, max_loop_length=np.int64(4), loop_time_budget=math.inf)
    assert given.table.equals(found.table)
