"""Internal-first rationing serves what the customers in the network still take
(tester15 D3).

Lubei, the phosphate rock at -30 %: the acid plant ran at 75 % and made 300 kt of acid;
rationing gave all of it to the phosphoric acid plant, which had wanted 380 kt before the
shock, and cut the 20 kt it sold on the market to nothing; the phosphoric acid plant, at
70 %, then took only 266 kt, and the 34 kt left over were the acid plant's "sales lost"
while the outside buyer got none. What the actors leave of their share now goes back to
the sales, up to their recorded size.
"""

import pandas as pd
import pytest

from symbiosis import from_frames
from symbiosis.analysis.propagation import propagate
from symbiosis.analysis.shocks import shock

COLUMNS = ["source", "target", "material", "quantity", "unit", "category"]
ROLES = {"IMP_F": "market", "IMP_O": "market", "S": "firm", "A": "firm", "MKT": "market",
         "LF": "disposal"}  # fmt: skip


def network(rows):
    firms = pd.DataFrame({"id": list(ROLES), "role": list(ROLES.values())})
    return from_frames(firms, pd.DataFrame(rows, columns=COLUMNS))


@pytest.fixture(scope="module")
def acid():
    """S makes acid from an imported feed and sells 38 t to A, 2 t on the market; A
    needs the acid and an imported ore."""
    return network([
        ("IMP_F", "S", "feed", 100, "t", "product"),
        ("S", "A", "acid", 38, "t", "product"),
        ("S", "MKT", "acid", 2, "t", "product"),
        ("IMP_O", "A", "ore", 100, "t", "product"),
        ("A", "MKT", "metal", 50, "t", "product"),
    ])  # fmt: skip


def retained(net, shocks, **options):
    _, kept, factors = propagate(net, shocks, **options)
    flows = net.flows
    keys = zip(flows["source"], flows["target"], flows["material"], strict=True)
    return dict(zip(keys, kept, strict=True)), factors["mass"]


def test_the_market_keeps_what_the_internal_customer_no_longer_takes(acid):
    """By hand: S at 75 % makes 30 t of acid; A's share is r = min(1, 30/38) = 78.9 %,
    but A runs at 50 % (its ore) and takes 19 t. The market gets the 11 t left, up to
    the 2 t it bought: all of it (before: 30 - 0.789 x 38 = 0 t); S's sales lost are
    30 - 19 - 2 = 9 t (before: 11 t)."""
    flows, factors = retained(acid, {"IMP_F": -0.25, "IMP_O": -0.5})
    assert list(factors[[2, 3]]) == pytest.approx([0.75, 0.5])  # S and A (firms order)
    assert flows[("S", "A", "acid")] == pytest.approx(0.5)
    assert flows[("S", "MKT", "acid")] == pytest.approx(1.0)
    rows = shock(acid, {"IMP_F": -0.25, "IMP_O": -0.5}, indicators=False).firms
    assert rows.loc[("S", "mass"), "sales_lost"] == pytest.approx(9.0)
    assert rows.loc[("S", "mass"), "output_lost"] == pytest.approx(10.0)


def test_the_market_gets_part_of_what_it_bought_when_the_leftover_is_smaller(acid):
    """A at 75 % takes 28.5 t of the 30 t: the market gets 1.5 t of its 2 t (75 %), and
    S loses no sale."""
    flows, _ = retained(acid, {"IMP_F": -0.25, "IMP_O": -0.25})
    assert flows[("S", "A", "acid")] == pytest.approx(0.75)
    assert flows[("S", "MKT", "acid")] == pytest.approx(0.75)
    rows = shock(acid, {"IMP_F": -0.25, "IMP_O": -0.25}, indicators=False).firms
    assert rows.loc[("S", "mass"), "sales_lost"] == pytest.approx(0.0, abs=1e-9)


def test_when_the_customer_takes_its_whole_share_the_market_still_loses_first(acid):
    """A at 80 % would take 30.4 t, more than its share (30 t): the market gets none."""
    flows, _ = retained(acid, {"IMP_F": -0.25, "IMP_O": -0.2})
    assert flows[("S", "A", "acid")] == pytest.approx(30 / 38)
    assert flows[("S", "MKT", "acid")] == pytest.approx(0.0, abs=1e-12)


def test_proportional_rationing_is_unchanged(acid):
    """Proportionally the market keeps S's 75 %, and A's leftover is S's sale lost."""
    flows, _ = retained(acid, {"IMP_F": -0.25, "IMP_O": -0.5}, rationing="proportional")
    assert flows[("S", "MKT", "acid")] == pytest.approx(0.75)
    assert flows[("S", "A", "acid")] == pytest.approx(0.5)


def test_redirect_settles_the_leftover_too(acid):
    """Redirecting, A takes no more than it needs (19 t): the market gets the rest."""
    flows, _ = retained(acid, {"IMP_F": -0.25, "IMP_O": -0.5}, rationing="redirect")
    assert flows[("S", "MKT", "acid")] == pytest.approx(1.0)


def test_a_residue_left_over_is_sold_before_it_is_dumped():
    """S sends 40 t of slag to A, sells 10 t and dumps 10 t. At 50 % it makes 30 t, all
    A's share (r = 0.75, the boundary gets 0); A, at 50 % by its ore, takes 20 t. The
    10 t left go back to the market (its recorded 10 t), none to the landfill, and
    nothing is reported as sent to disposal or unplaced."""
    net = network([
        ("IMP_F", "S", "feed", 100, "t", "product"),
        ("S", "A", "slag", 40, "t", "by-product"),
        ("S", "MKT", "slag", 10, "t", "by-product"),
        ("S", "LF", "slag", 10, "t", "by-product"),
        ("IMP_O", "A", "ore", 100, "t", "product"),
        ("A", "MKT", "metal", 50, "t", "product"),
    ])  # fmt: skip
    flows, _ = retained(net, {"IMP_F": -0.5, "IMP_O": -0.5})
    assert flows[("S", "A", "slag")] == pytest.approx(0.5)
    assert flows[("S", "MKT", "slag")] == pytest.approx(1.0)
    assert flows[("S", "LF", "slag")] == pytest.approx(0.0, abs=1e-12)
    rows = shock(net, {"IMP_F": -0.5, "IMP_O": -0.5}, indicators=False).firms
    row = rows.loc[("S", "mass")]
    assert row["residues_disposed"] == pytest.approx(0.0, abs=1e-9)
    assert row["residues_unplaced"] == pytest.approx(0.0, abs=1e-9)
    assert row["sales_lost"] == pytest.approx(0.0, abs=1e-9)
    # A at 20 % takes 8 t: 22 t left over, 10 t sold again, the other 12 t to the landfill
    flows, _ = retained(net, {"IMP_F": -0.5, "IMP_O": -0.8})
    assert flows[("S", "MKT", "slag")] == pytest.approx(1.0)
    assert flows[("S", "LF", "slag")] == pytest.approx(1.2)
    row = shock(net, {"IMP_F": -0.5, "IMP_O": -0.8}, indicators=False).firms.loc[("S", "mass")]
    assert row["residues_disposed"] == pytest.approx(12.0)
    assert row["sales_lost"] == pytest.approx(0.0, abs=1e-9)
