"""What an opportunity is worth (analysis/opportunities/economics.py), by hand."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from symbiosis import InputError, from_frames
from symbiosis.analysis.opportunities import find_opportunities

FIRMS = pd.DataFrame(
    [
        ("SM", "copper smelting", "firm", 30.0, 117.0),
        ("CE", "cement", "firm", 30.0, 117.1),
        ("MKT", "", "market", None, None),
        ("LF", "", "disposal", None, None),
    ],
    columns=["id", "sector", "role", "lat", "lon"],
)
FLOWS = pd.DataFrame(
    [
        ("SM", "LF", "copper slag", 40, "t", "waste", None),
        ("MKT", "CE", "iron ore", 10, "t", "product", 80.0),
        ("MKT", "SM", "copper concentrate", 100, "t", "product", None),
    ],
    columns=["source", "target", "material", "quantity", "unit", "category", "price"],
)


def redirect(**options):
    result = find_opportunities(from_frames(FIRMS, FLOWS), top=50, **options)
    return next(o for o in result.listed if o.kind == "redirect" and o.target == "CE"), result


def test_parts_by_hand():
    o, result = redirect(disposal_cost=50, transport_rate=0.2, currency="CNY")
    # 10 t of slag replace 10 t of iron ore bought at 80 per t
    km = 2 * 6371.0088 * math.asin(math.cos(math.radians(30)) * math.sin(math.radians(0.05)))
    assert o.quantity == 10 and o.distance_km == pytest.approx(km)
    money = o.economics
    assert money["avoided_purchase"] == pytest.approx(800)
    assert money["avoided_disposal_cost"] == pytest.approx(500)
    assert money["transport_cost"] == pytest.approx(10 * km * 0.2)
    assert money["net_value"] == pytest.approx(800 + 500 - 10 * km * 0.2)
    assert money["value"] is None and money["co2_avoided"] is None
    assert money["currency"] == "CNY"
    row = result.table[(result.table["kind"] == "redirect") & (result.table["target"] == "CE")]
    assert row["net_value"].iloc[0] == pytest.approx(money["net_value"])


def test_unknown_parts_stay_unknown():
    o, _ = redirect()
    assert o.economics["avoided_disposal_cost"] is None
    assert o.economics["transport_cost"] is None
    assert o.economics["net_value"] == pytest.approx(800)  # the one known part


def test_rank_by_net_value_and_bad_costs():
    # 20 t of fly ash to the cement works is worth 20 x 50 of disposal: 1,000; the 10 t of
    # slag redirect 1,300. By quantity fly ash comes first, by net value slag does. (The
    # cement works takes 110 t: room for as much again; with only its 10 t of iron ore the
    # fly ash would be cut to 10 t, level with the slag.)
    more = [("SM", "LF", "fly ash", 20, "t", "waste", None),
            ("MKT", "CE", "clay", 100, "t", "product", None)]  # fmt: skip
    flows = pd.concat([FLOWS, pd.DataFrame(more, columns=FLOWS.columns)])
    network = from_frames(FIRMS, flows)
    firsts = {}
    for rank_by in ("quantity", "net_value"):
        result = find_opportunities(network, top=50, disposal_cost=50, rank_by=rank_by)
        firsts[rank_by] = [o.material for o in result.group("dumped")][:2]
    assert firsts["quantity"] == ["fly ash", "copper slag"]
    assert firsts["net_value"] == ["copper slag", "fly ash"]
    with pytest.raises(InputError, match="disposal_cost must be a finite number >= 0"):
        redirect(disposal_cost=-1)
    for infinite in (float("inf"), float("nan")):  # inf was accepted: a numpy warning, then
        with pytest.raises(InputError, match="transport_rate must be a finite number"):
            redirect(transport_rate=infinite)  # inf or NaN costs
