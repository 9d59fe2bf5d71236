"""``rank_by="value"`` on a network whose flows have no price ranked silently, by the
quantity (the value order's last key), though the help says it needs a price column
(tester-parks7): a warning now says so; none when a price, or for ``net_value`` a cost,
gives money to rank by."""

from __future__ import annotations

import pandas as pd
import pytest

from symbiosis import from_frames
from symbiosis.analysis.opportunities import find_opportunities

FIRMS = pd.DataFrame(
    [("PP", "power generation", "firm"), ("CEM", "cement", "firm"),
     ("MKT", "", "market"), ("LF", "", "landfill")],
    columns=["id", "sector", "role"],
)  # fmt: skip


def _network(price=None):
    flows = pd.DataFrame(
        [("MKT", "PP", "coal", 100, "kt", "product", None),
         ("MKT", "CEM", "limestone", 900, "kt", "product", None),
         ("PP", "LF", "fly ash", 30, "kt", "waste", price)],
        columns=["source", "target", "material", "quantity", "unit", "category", "price"],
    )  # fmt: skip
    return from_frames(FIRMS, flows if price is not None else flows.drop(columns="price"))


def _notes(result):
    return [w for w in result.warnings if "no flow has a price" in w]


@pytest.mark.parametrize("rank_by", ["value", "net_value"])
def test_ranking_by_money_with_no_price_says_so(rank_by):
    [note] = _notes(find_opportunities(_network(), rank_by=rank_by))
    assert f"--rank-by {rank_by}" in note and "ranks by the quantity instead" in note


@pytest.mark.parametrize(
    ("network", "options"),
    [
        (_network(price=12.0), {"rank_by": "value"}),
        (_network(), {"rank_by": "net_value", "disposal_cost": 60.0}),
        (_network(), {"rank_by": "quantity"}),
    ],
)
def test_no_note_when_there_is_money_or_none_is_asked(network, options):
    assert _notes(find_opportunities(network, **options)) == []
