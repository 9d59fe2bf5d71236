"""A redirect's substitution ratio: 1 t of the residue replaces ``r`` t of the purchase.

The capacity of a redirect was sized with the catalogue row's ``substitution_ratio`` (the
purchase over the ratio), but its impact cut the purchase tonne for tonne: 50 t of a
residue at 0.8 cut a purchase of 100 t by 50 t, where it replaces 40 t; and the cumulative
effect spent the purchase tonne for tonne too, so a receiver with room for 125 t of the
residue was given 100 t."""

from __future__ import annotations

import pandas as pd
import pytest

from symbiosis import edits as ed
from symbiosis import from_frames
from symbiosis.analysis.opportunities import find_opportunities
from symbiosis.catalogue import load_catalogue

COLUMNS = ["source", "target", "material", "quantity", "unit", "category", "price"]
FIRMS = pd.DataFrame(
    [("P1", "power station", "utility"), ("P2", "power station", "utility"),
     ("W", "plasterboard", "firm"), ("MKT", "", "market"), ("LF", "", "disposal")],
    columns=["id", "sector", "role"],
)  # fmt: skip


@pytest.fixture
def catalogue(tmp_path):
    path = tmp_path / "pathways.csv"
    path.write_text(
        "id,material,receiving_sector,substitutes,substitution_ratio,source\n"
        "fgd-board,FGD gypsum,plasterboard,natural gypsum,0.8,a study\n"
    )
    return load_catalogue(path, replace=True)


def _network(*streams):
    flows = [("MKT", "W", "natural gypsum", 100, "t", "product", 10.0)]
    flows += [(source, "LF", "FGD gypsum", tonnes, "t", "waste", None)
              for source, tonnes in streams]  # fmt: skip
    return from_frames(FIRMS, pd.DataFrame(flows, columns=COLUMNS))


def _purchase(network) -> float:
    flows = network.flows
    bought = (flows["target"] == "W") & (flows["material"] == "natural gypsum")
    return float(flows.loc[bought, "value"].sum())


def test_a_redirect_cuts_the_purchase_by_its_ratio(catalogue):
    """By hand: W buys 100 t of natural gypsum; 50 t of FGD gypsum at 0.8 replace 40 t
    of it (the capacity, 100 / 0.8 = 125 t, takes the whole 50 t): 60 t are left."""
    network = _network(("P1", 50))
    result = find_opportunities(network, catalogue, top=10)
    [o] = [o for o in result.listed if o.target == "W"]
    assert o.kind == "redirect" and o.quantity == pytest.approx(50)
    assert o.capacity["limit"] == pytest.approx(125)
    [scale] = [e for e in o.edits if isinstance(e, ed.ScaleFlow)]
    assert scale.factor == pytest.approx(0.6)  # 1 - 40 / 100 (was 1 - 50 / 100)
    assert _purchase(ed.apply(network, list(o.edits))) == pytest.approx(60)
    assert o.replaces["substitution_ratio"] == pytest.approx(0.8)  # said in the output


def test_a_redirect_saves_what_it_replaces(catalogue):
    """What 50 t at 0.8 save: the 40 t of the purchase they replace, at 10 a tonne
    (it was priced as 50 t replaced)."""
    result = find_opportunities(_network(("P1", 50)), catalogue, top=10)
    [o] = [o for o in result.listed if o.target == "W"]
    assert o.economics["avoided_purchase"] == pytest.approx(400)
    row = result.table.query("target == 'W'")
    assert row["avoided_purchase"].tolist() == pytest.approx([400])


def test_redirects_together_spend_the_purchase_by_their_ratio(catalogue):
    """Two streams to one purchase of 100 t at 0.8: 125 t of residue replace it all. The
    first (100 t) cuts 80 t, the second takes the 25 t that replace the 20 t left (it
    was skipped: the first had used up the purchase tonne for tonne)."""
    network = _network(("P1", 50), ("P2", 100))
    result = find_opportunities(network, catalogue, top=10)
    to_w = sorted((o for o in result.listed if o.target == "W"), key=lambda o: o.rank)
    assert [o.quantity for o in to_w] == pytest.approx([100, 50])
    effect = result.cumulative
    assert not effect.skipped
    assert effect.moved["mass"] == pytest.approx(125)
    after = ed.apply(network, list(result.edits()))
    assert _purchase(after) == pytest.approx(0, abs=1e-9)
    flows = after.flows
    given = (flows["target"] == "W") & (flows["material"] == "FGD gypsum")
    assert flows.loc[given, "value"].sum() == pytest.approx(125)


def test_a_redirect_never_cuts_more_than_the_purchase(catalogue, tmp_path):
    """At a ratio above 1 the purchase bounds the stream (80 t at 1.25 replace all 100 t):
    the cut is the whole purchase, never below zero."""
    path = tmp_path / "more.csv"
    path.write_text(
        "id,material,receiving_sector,substitutes,substitution_ratio,source\n"
        "fgd-board,FGD gypsum,plasterboard,natural gypsum,1.25,a study\n"
    )
    network = _network(("P1", 200))
    result = find_opportunities(network, load_catalogue(path, replace=True), top=10)
    [o] = [o for o in result.listed if o.target == "W"]
    assert o.quantity == pytest.approx(80)
    [scale] = [e for e in o.edits if isinstance(e, ed.ScaleFlow)]
    assert scale.factor == pytest.approx(0.0)
    assert result.cumulative.moved["mass"] == pytest.approx(80)
