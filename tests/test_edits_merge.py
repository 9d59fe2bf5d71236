"""The merge rule of the edits (symbiosis._edit_columns): what a flow added to an identical
one keeps of the marks (hazardous, substitutable) and spreads of both, and what scaling
does to the bounds.

Reported: "a scenario's addition to an identical flow loses the hazard mark" (an
[[add_flow]] of hazardous waste merged into the same waste flow left it unmarked)."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from symbiosis import edits as ed
from symbiosis import from_frames, select_year
from symbiosis.scenarios import apply_scenario, parse_scenario

FIRMS = pd.DataFrame(
    {
        "id": ["MKT", "S", "C", "L"],
        "role": ["market", "firm", "firm", "disposal"],
    }
)


def network(**columns):
    """MKT -> S ore 10 t; S -> L sludge 5 t (waste); S -> C slag 4 t (by-product); and the
    given columns (one value per flow)."""
    flows = pd.DataFrame(
        {
            "source": ["MKT", "S", "S"],
            "target": ["S", "L", "C"],
            "material": ["ore", "sludge", "slag"],
            "quantity": [10.0, 5.0, 4.0],
            "unit": ["t", "t", "t"],
            "category": ["product", "waste", "by-product"],
            **columns,
        }
    )
    return from_frames(FIRMS, flows)


def flow(net, source, target, material):
    flows = net.flows
    rows = flows[(flows.source == source) & (flows.target == target) & (flows.material == material)]
    assert len(rows) == 1, rows
    return rows.iloc[0]


def mark(row: pd.Series, column: str) -> bool | None:
    """A flow's mark: True, False or None (empty, or no such column)."""
    value = row.get(column, pd.NA)
    return None if pd.isna(value) else bool(value)


def applied(net, text: str):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return apply_scenario(net, parse_scenario(text, file="s.toml"))


SLUDGE = 'source = "S"\ntarget = "L"\nmaterial = "sludge"\nunit = "t"\nquantity = 2\n'


# ------------------------------------------------------------------------------ hazardous


def test_hazardous_waste_added_to_an_identical_flow_marks_the_merged_flow():
    """The report: the addition merged (5 + 2 t, one row) and its hazard mark was lost."""
    after = applied(network(), f'[[add_flow]]\n{SLUDGE}category = "hazardous waste"\n')
    merged = flow(after, "S", "L", "sludge")
    assert merged["quantity"] == 7.0
    assert mark(merged, "hazardous") is True
    assert after.n_flows == 3


def test_hazardous_waste_added_to_a_flow_marked_no_makes_it_hazardous():
    net = network(hazardous=["", "no", ""])
    after = applied(net, f'[[add_flow]]\n{SLUDGE}category = "hazardous waste"\n')
    assert mark(flow(after, "S", "L", "sludge"), "hazardous") is True


def test_a_hazardous_flow_stays_hazardous_whatever_joins_it():
    net = network(hazardous=["", "yes", ""])
    after = applied(net, f'[[add_flow]]\n{SLUDGE}category = "waste"\n')
    merged = flow(after, "S", "L", "sludge")
    assert (merged["quantity"], mark(merged, "hazardous")) == (7.0, True)
    # a flow added to an unmarked one leaves it unmarked, and one marked no stays no
    plain = applied(network(), f"[[add_flow]]\n{SLUDGE}category = 'waste'\n")
    assert mark(flow(plain, "S", "L", "sludge"), "hazardous") is None
    marked_no = applied(network(hazardous=["", "no", ""]), f"[[add_flow]]\n{SLUDGE}"
                        "category = 'waste'\n")  # fmt: skip
    assert mark(flow(marked_no, "S", "L", "sludge"), "hazardous") is False


@pytest.mark.parametrize("quantity", [None, 2.0, 5.0])
def test_a_redirected_hazardous_flow_keeps_its_mark(quantity):
    """Part or all of a hazardous flow sent elsewhere is still hazardous waste (the moved
    part took only the year and price, and lost the mark)."""
    net = network(hazardous=["", "yes", ""])
    amount = "" if quantity is None else f"quantity = {quantity}\n"
    text = f'[[redirect]]\nsource = "S"\ntarget = "L"\nmaterial = "sludge"\nto = "C"\n{amount}'
    after = applied(net, text)
    assert mark(flow(after, "S", "C", "sludge"), "hazardous") is True
    if quantity == 2.0:  # the part left behind keeps its own
        assert mark(flow(after, "S", "L", "sludge"), "hazardous") is True


def test_a_redirected_hazardous_flow_merged_into_another_marks_it():
    """S -> L sludge (hazardous) moved onto S -> C sludge (unmarked, 1 t): one flow of 6 t,
    hazardous."""
    flows = pd.DataFrame(
        {
            "source": ["S", "S"], "target": ["L", "C"], "material": ["sludge", "sludge"],
            "quantity": [5.0, 1.0], "unit": ["t", "t"], "category": ["waste", "waste"],
            "hazardous": ["yes", ""],
        }
    )  # fmt: skip
    net = from_frames(FIRMS, flows)
    after = ed.apply(net, [ed.RedirectFlow("S", "L", "sludge", to="C")])
    merged = flow(after, "S", "C", "sludge")
    assert (merged["quantity"], mark(merged, "hazardous")) == (6.0, True)


def test_a_redirect_as_hazardous_waste_marks_the_moved_part():
    after = ed.apply(
        network(), [ed.RedirectFlow("S", "L", "sludge", to="C", category="hazardous waste")]
    )
    moved = flow(after, "S", "C", "sludge")
    assert (moved["category"], mark(moved, "hazardous")) == ("waste", True)


# --------------------------------------------------------------------------- substitutable


@pytest.mark.parametrize(
    ("before", "given", "after"),
    [
        ("", None, None),  # no mark given: the flow's own
        ("yes", None, True),
        ("no", None, False),
        ("", True, True),  # a mark given: set for the exchange, as [[mark_flow]] would
        ("yes", False, False),
        ("no", True, True),
    ],
)
def test_the_substitutable_mark_of_a_merged_flow(before, given, after):
    net = network(substitutable=["", "", before])
    edit = ed.AddFlow("S", "C", "slag", "t", quantity=1.0, substitutable=given)
    merged = flow(ed.apply(net, [edit]), "S", "C", "slag")
    assert merged["quantity"] == 5.0
    assert mark(merged, "substitutable") is after


def test_a_redirected_part_merged_into_a_marked_flow_leaves_its_mark():
    flows = pd.DataFrame(
        {
            "source": ["S", "S"], "target": ["L", "C"], "material": ["slag", "slag"],
            "quantity": [5.0, 1.0], "unit": ["t", "t"],
            "category": ["by-product", "by-product"], "substitutable": ["", "yes"],
        }
    )  # fmt: skip
    after = ed.apply(from_frames(FIRMS, flows), [ed.RedirectFlow("S", "L", "slag", to="C")])
    merged = flow(after, "S", "C", "slag")
    assert (merged["quantity"], mark(merged, "substitutable")) == (6.0, True)


# ------------------------------------------------------------------------ links and years


def test_a_link_added_twice_is_one_link():
    """A link of unknown size added to the same link made two rows that repeat each other
    cell for cell: a network no flows file may hold (and two streams where there is one)."""
    net = network()
    unsized = net.with_flows(net.flows.assign(quantity=[10.0, np.nan, 4.0]))
    edit = ed.AddFlow("S", "L", "sludge", "t", category="hazardous waste")
    after = ed.apply(unsized, [edit])
    assert after.n_flows == 3
    assert mark(flow(after, "S", "L", "sludge"), "hazardous") is True


def test_an_added_flow_takes_the_year_of_a_network_of_one_year():
    flows = network().flows
    years = from_frames(
        FIRMS,
        pd.concat([flows.assign(year=2021), flows.assign(year=2022)]).drop(
            columns=["material_key", "value", "dimension", "row"]
        ),
    )
    edit = ed.AddFlow("C", "L", "dust", "t", quantity=1.0, category="waste")
    after = ed.apply(select_year(years, 2022), [edit])
    assert str(after.flows["year"].dtype) == "Int64"
    assert after.flows["year"].tolist() == [2022] * 4
    # a network of several years: no year to take
    assert pd.isna(ed.apply(years, [edit]).flows["year"].iloc[-1])


# ------------------------------------------------------------------------------ spreads


def test_scaling_a_flow_scales_its_bounds():
    """The bounds stayed, the quantity left them: the network written out was refused
    (`quantity_low: '...' is above the quantity`)."""
    net = network(quantity_low=[9.0, 4.0, 3.0], quantity_high=[11.0, 6.0, 5.0])
    after = ed.apply(net, [ed.ScaleFlow("S", "L", "sludge", factor=0.5)])
    halved = flow(after, "S", "L", "sludge")
    assert (halved["quantity_low"], halved["quantity"], halved["quantity_high"]) == (2, 2.5, 3)
    part = ed.apply(net, [ed.RedirectFlow("S", "L", "sludge", to="C", quantity=1.0)])
    left = flow(part, "S", "L", "sludge")  # 4 t of 5: the bounds by 0.8
    assert (left["quantity_low"], left["quantity"], left["quantity_high"]) == pytest.approx(
        (3.2, 4.0, 4.8)
    )


def test_an_exact_quantity_merged_moves_the_bounds_and_keeps_the_absolute_spread():
    bounded = network(quantity_low=[9.0, 4.0, 3.0], quantity_high=[11.0, 6.0, 5.0])
    after = ed.apply(bounded, [ed.AddFlow("S", "L", "sludge", "t", quantity=2.0, category="waste")])
    merged = flow(after, "S", "L", "sludge")
    assert (merged["quantity_low"], merged["quantity"], merged["quantity_high"]) == (6, 7, 8)
    relative = network(uncertainty=[0.1, 0.2, 0.1])
    after = ed.apply(
        relative, [ed.AddFlow("S", "L", "sludge", "t", quantity=5.0, category="waste")]
    )
    assert flow(after, "S", "L", "sludge")["uncertainty"] == pytest.approx(0.1)  # 1 t of 10


def test_a_shock_scales_the_bounds_of_the_flows_it_reduces():
    net = network(quantity_low=[9.0, 4.0, 3.0], quantity_high=[11.0, 6.0, 5.0])
    after = applied(net, '[[shock]]\nfirm = "MKT"\nchange = -0.5\n')
    slag = flow(after, "S", "C", "slag")
    assert slag["quantity"] == pytest.approx(2.0)
    assert (slag["quantity_low"], slag["quantity_high"]) == pytest.approx((1.5, 2.5))
