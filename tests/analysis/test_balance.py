"""Firm balances: hand-computed cases, tolerance handling and properties."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import symbiosis
from symbiosis.analysis.balance import firm_balances, throughflow
from symbiosis.export.json import to_json

from .reuse_networks import build, network, park, random_frames

PROPERTY = settings(max_examples=30, deadline=None)


def row(balances, dimension, firm):
    table = balances.table.set_index(["dimension", "firm"])
    return table.loc[(dimension, firm)]


@pytest.fixture(scope="module")
def balances():
    return firm_balances(park())


def test_park_by_hand(balances):
    smelter = row(balances, "mass", "smelter")
    # in: 1000 ore + 50 scrap; out: 300 + 100 slag, 500 acid, 2 SO2, 400 cathode
    assert (smelter["inputs"], smelter["outputs"], smelter["imbalance"]) == (1050, 1302, -252)
    assert smelter["relative_imbalance"] == pytest.approx(-252 / 1302)
    assert smelter["status"] == "more out" and smelter["flagged"]
    assert smelter["unsized_flows"] == 1  # the flue dust of unknown size
    backfill = row(balances, "mass", "backfill")
    assert backfill["status"] == "no outputs" and backfill["relative_imbalance"] == 1.0
    assert row(balances, "mass", "recycler")["status"] == "no inputs"
    mine = row(balances, "mass", "mine")
    assert mine["status"] == "not checked" and not mine["flagged"] and mine["outputs"] == 1800
    sewage = row(balances, "volume", "sewage")
    assert sewage["status"] == "balanced" and sewage["relative_imbalance"] == 0
    assert row(balances, "volume", "smelter")["status"] == "no inputs"
    assert ("mass", "market") not in balances.table.set_index(["dimension", "firm"]).index


def test_park_summary(balances):
    summary = balances.summary.set_index("dimension")
    assert summary.loc["mass", ["actors", "checked", "flagged"]].tolist() == [5, 4, 4]
    assert summary.loc["mass", "inputs"] == 2050 and summary.loc["mass", "outputs"] == 5202
    assert summary.loc["volume", "flagged_share"] == 0.5
    # per dimension, flagged rows first
    assert list(balances.table["flagged"][:5]) == [True, True, True, True, False]
    assert list(balances.table["dimension"][4:6]) == ["mass", "volume"]


def test_tolerance_decides_the_flag():
    relaxed = firm_balances(park(), tolerance=0.2)  # smelter is off by 19.4 %
    assert row(relaxed, "mass", "smelter")["status"] == "balanced"
    assert not row(relaxed, "mass", "smelter")["flagged"]


def test_more_in_and_exact_boundary_of_tolerance():
    net = network(
        [("a", "firm"), ("b", "firm"), ("m", "market")],
        [
            ("m", "a", "ore", 100, "t", "product"),
            ("a", "m", "metal", 80, "t", "product"),
            ("m", "b", "ore", 100, "t", "product"),
            ("b", "m", "metal", 95, "t", "product"),
        ],
    )
    balances = firm_balances(net, tolerance=0.05)
    assert row(balances, "mass", "a")["status"] == "more in"
    assert row(balances, "mass", "b")["relative_imbalance"] == pytest.approx(0.05)
    assert row(balances, "mass", "b")["status"] == "balanced"  # not beyond the tolerance


@pytest.mark.parametrize("bad", [-0.1, float("nan"), "5%", None])
def test_bad_tolerance_is_an_input_error(bad):
    with pytest.raises(symbiosis.InputError, match="tolerance"):
        firm_balances(park(), tolerance=bad)


def test_report_uses_the_option():
    report = symbiosis.analyze(park(), sections=["balance"], balance_tolerance=0.2)
    assert report.balance.tolerance == 0.2
    with pytest.raises(symbiosis.InputError, match="balance_tolerance"):
        symbiosis.analyze(park(), sections=["balance"], balance_tolerance=-1)


def test_json_lists_flagged_rows_and_optionally_all(balances):
    data = json.loads(to_json(balances.to_dict()))
    assert data["tolerance"] == 0.05 and data["dimensions"]["mass"]["flagged"] == 4
    assert {r["firm"] for r in data["flagged"]} == {"smelter", "cement", "backfill", "recycler"}
    every = json.loads(to_json(balances.to_dict(every_firm=True)))
    assert len(every["firms"]) == len(balances.table)


def test_throughflow_is_the_larger_side():
    flows = throughflow(park(), "mass")
    assert flows["smelter"] == 1302 and flows["backfill"] == 600 and flows["sewage"] == 0
    assert list(flows.index) == list(park().actors)


def test_throughflow_in_a_dimension_without_flows_is_float_zeros():
    """A tester's int64 zeros (numpy's bincount of no rows), where every other sum is a
    float."""
    mass_only = network([("A", "firm"), ("B", "firm")], [("A", "B", "slag", 10, "t", "waste")])
    flows = throughflow(mass_only, "energy")
    assert flows.dtype == np.float64 and flows.tolist() == [0.0, 0.0]
    assert mass_only.throughflow("energy").dtype == np.float64


@PROPERTY
@given(random_frames(), st.floats(0, 1))
def test_flags_follow_the_definition(frames, tolerance):
    net = build(frames)
    table = firm_balances(net, tolerance).table
    relative = table["relative_imbalance"].to_numpy()
    assert ((relative >= -1) & (relative <= 1)).all()
    expected = (np.abs(relative) > tolerance) & (table["role"] != "extraction").to_numpy()
    assert (table["flagged"].to_numpy() == expected).all()
    for dimension, group in table.groupby("dimension"):
        inflow = net.inflow(dimension)
        np.testing.assert_allclose(group["inputs"], inflow[group["firm"]].to_numpy())
    assert set(table["firm"]) <= set(net.actors)


@pytest.mark.parametrize("every_firm", [False, True])
@pytest.mark.parametrize("limit", [1, 3, 1000])
def test_heads_are_the_first_rows_of_each_dimension_of_the_table(every_firm, limit):
    """What the text report prints, without the whole table: per dimension (in order of
    appearance) its first rows of the flagged (or whole) table and its row count."""
    from pathlib import Path

    from symbiosis import load

    root = Path(__file__).parents[2]
    for folder in ("examples/tongling", "benchmarks/parks/kwinana"):
        balances = firm_balances(load(root / folder), tolerance=0.01)
        table = balances.table if every_firm else balances.flagged
        heads = balances.heads(limit, every_firm=every_firm)
        expected = list(table.groupby("dimension", sort=False))
        assert [name for name, _, _ in heads] == [name for name, _ in expected]
        for (_, head, rows), (_, group) in zip(heads, expected, strict=True):
            assert rows == len(group)
            pd.testing.assert_frame_equal(
                head.reset_index(drop=True), group.head(limit).reset_index(drop=True)
            )


@PROPERTY
@given(random_frames(), st.floats(0, 1), st.integers(1, 4))
def test_flagged_rows_are_the_flagged_rows_of_the_sorted_table(frames, tolerance, limit):
    """The flagged rows (ranked lazily; a report's first rows without a full sort) are
    the plain way's: the whole sorted table filtered on ``flagged``."""
    from symbiosis.analysis._records import records

    balances = firm_balances(build(frames), tolerance)
    listed = balances.to_dict(limit=limit)["flagged"]
    table = balances.table
    plain = table[table["flagged"].to_numpy(dtype=bool)].reset_index(drop=True)
    pd.testing.assert_frame_equal(balances.flagged.reset_index(drop=True), plain)
    assert repr(listed) == repr(records(plain, limit))


def test_unsized_flows_count_only_the_rows_dimension():
    """A mass flow of unknown size is no hint for an energy gap: counted in the mass rows
    only; a flow without a unit (its dimension unknown) in every dimension."""
    firms = [("PP", "utility"), ("PAPER", "firm"), ("MKT", "market")]
    flows = [
        ("MKT", "PP", "coal", 100, "t", "product"),
        ("PP", "PAPER", "steam", 500, "GJ", "by-product"),
        ("PAPER", "PP", "sludge", None, "t", "waste"),
    ]
    balances = firm_balances(network(firms, flows))
    assert row(balances, "mass", "PP")["unsized_flows"] == 1
    assert row(balances, "energy", "PP")["unsized_flows"] == 0
    assert row(balances, "energy", "PAPER")["unsized_flows"] == 0
    no_unit = firm_balances(network(firms, [*flows, ("PAPER", "PP", "mix", None, "", "waste")]))
    assert row(no_unit, "mass", "PP")["unsized_flows"] == 2
    assert row(no_unit, "energy", "PP")["unsized_flows"] == 1
    assert row(no_unit, "energy", "PAPER")["unsized_flows"] == 1
    # the park's flue dust has no unit: a hint in the smelter's volume row too
    assert row(firm_balances(park()), "volume", "smelter")["unsized_flows"] == 1


@PROPERTY
@given(random_frames())
def test_unsized_flows_are_the_flows_of_unknown_size_of_the_row_dimension(frames):
    net = build(frames)
    flows = net.flows
    unsized = flows["value"].isna()
    for r in firm_balances(net).table.itertuples():
        same = unsized & (flows["dimension"].isna() | (flows["dimension"] == r.dimension))
        touching = (flows["source"] == r.firm).astype(int) + (flows["target"] == r.firm)
        assert r.unsized_flows == int(touching[same].sum())
