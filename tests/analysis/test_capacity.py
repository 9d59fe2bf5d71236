"""Receiver capacity in the opportunities pass (analysis/opportunities/capacity.py)."""

from __future__ import annotations

import pandas as pd
import pytest

from symbiosis import InputError, from_frames
from symbiosis import edits as ed
from symbiosis.analysis.opportunities import find_opportunities
from symbiosis.analysis.reuse import reuse_accounts
from symbiosis.catalogue import load_catalogue
from symbiosis.io.demands import read_demands

FIRMS = pd.DataFrame(
    [
        ("P1", "power station", "utility"),
        ("P2", "power station", "utility"),
        ("W", "plasterboard", "firm"),
        ("CEM", "cement", "firm"),
        ("MKT", "", "market"),
        ("LF", "", "disposal"),
    ],
    columns=["id", "sector", "role"],
)
FLOWS = pd.DataFrame(
    [
        ("P1", "LF", "FGD gypsum", 200, "kt", "waste"),
        ("P2", "LF", "FGD gypsum", 150, "kt", "waste"),
        ("MKT", "W", "natural gypsum", 120, "kt", "product"),
        ("MKT", "CEM", "natural gypsum", 30, "kt", "product"),
        ("MKT", "P1", "coal", 900, "kt", "product"),
    ],
    columns=["source", "target", "material", "quantity", "unit", "category"],
)
CATALOGUE = (
    "id,material,receiving_sector,substitutes,substitution_ratio,receiver_capacity,"
    "capacity_unit,source\n"
    "fgd-board,FGD gypsum,plasterboard,natural gypsum,1,,,a study\n"
    "fgd-acid,FGD gypsum,sulfuric acid,,,80,kt,a study\n"
)


@pytest.fixture
def catalogue(tmp_path):
    path = tmp_path / "pathways.csv"
    path.write_text(CATALOGUE)
    return load_catalogue(path, replace=True)


def listed(result, target):
    return [o for o in result.listed if o.target == target]


def test_purchases_of_what_the_stream_replaces_bound_the_receiver(catalogue):
    result = find_opportunities(from_frames(FIRMS, FLOWS), catalogue, top=50)
    to_board = listed(result, "W")
    # W buys 120 kt of natural gypsum: each stream is proposed up to that
    assert {o.quantity for o in to_board} == {120_000}
    assert all(o.capacity["source"] in {"redirect", "substitutes"} for o in to_board)
    # together the two streams never give W more than it buys: apply the edits and count
    after = ed.apply(from_frames(FIRMS, FLOWS), result.edits())
    gypsum = (after.flows["target"] == "W") & (after.flows["material"] == "FGD gypsum")
    assert 0 < after.flows.loc[gypsum, "value"].sum() <= 120_000 * (1 + 1e-9)


def test_a_proposed_plant_takes_its_typical_capacity(catalogue):
    result = find_opportunities(from_frames(FIRMS, FLOWS), catalogue, top=50)
    plants = [o for o in result.listed if o.new_plant and "acid" in o.target_sector]
    assert plants and all(o.quantity == 80_000 for o in plants)
    assert plants[0].capacity == {"limit": 80_000, "source": "typical plant",
                                  "detail": "catalogue row fgd-acid"}  # fmt: skip
    table = result.table
    rows = table[table["target"] == plants[0].target]
    assert (rows["capacity"] == 80_000).all() and rows["capacity_group"].nunique() == 1


def test_a_demand_row_sets_the_capacity(catalogue, tmp_path):
    demands = tmp_path / "demands.csv"
    demands.write_text("firm,material,quantity,unit\nCEM,desulfurization gypsum,50,kt\n")
    result = find_opportunities(from_frames(FIRMS, FLOWS), catalogue, top=50, demands=demands)
    table = result.table
    cem = table[table["target"] == "CEM"]
    assert not cem.empty and (cem["capacity"] == 50_000).all()
    assert (cem["quantity"] <= 50_000).all()
    o = next(o for o in result.listed if o.target == "CEM")
    assert o.capacity["source"] == "demand" and o.capacity["detail"].endswith(":2")


def test_a_demand_row_bounds_the_redirects_applied_together(catalogue, tmp_path):
    """Found by a tester: the cumulative effect read a redirect's primary input only, not
    the demand row that bounds it first: two streams redirected to a firm that can take
    50 kt moved 140 kt there (the listing said 50 kt each)."""
    demands = tmp_path / "demands.csv"
    demands.write_text("firm,material,quantity,unit\nW,FGD gypsum,50,kt\n")
    network = from_frames(FIRMS, FLOWS)
    result = find_opportunities(network, catalogue, top=50, demands=demands)
    to_w = [o for o in result.listed if o.target == "W"]
    assert len(to_w) == 2 and all(o.capacity["source"] == "demand" for o in to_w)
    first, second = sorted(to_w, key=lambda o: o.rank)
    assert (first.group, first.rank) in result.cumulative.applied
    skipped = {(s.group, s.rank): s for s in result.cumulative.skipped}
    skip = skipped[(second.group, second.rank)]
    assert skip.used_up == "capacity" and skip.by == (first.group, first.rank)
    after = ed.apply(network, result.edits())
    into_w = (after.flows["target"] == "W") & (after.flows["material"] == "FGD gypsum")
    assert after.flows.loc[into_w, "value"].sum() == pytest.approx(50_000)


def test_a_stream_of_unknown_size_moves_nothing_in_the_cumulative_sums(tmp_path):
    """Found by a tester: on Kwinana a CO2 stream of unknown size, bounded by its
    receiver's intake (70 kt), counted 70 kt moved in the cumulative effect and took the
    mass reuse share from 100 % to 200 %; its own impact and a recount said unchanged."""
    flows = pd.concat([FLOWS, pd.DataFrame([("P2", "LF", "fly ash", None, "kt", "waste"),
                                            ("MKT", "CEM", "fly ash", 40, "kt", "product")],
                                           columns=FLOWS.columns)])  # fmt: skip
    network = from_frames(FIRMS, flows)
    result = find_opportunities(network, top=50)
    ash = [o for o in result.listed if o.material == "fly ash" and o.source == "P2"]
    assert ash and ash[0].stream_quantity is None and ash[0].capacity is not None
    cumulative = result.cumulative
    before, after = cumulative.impact.reuse_share["mass"]
    recounted = reuse_accounts(ed.apply(network, result.edits()))["mass"]["reuse_share"]
    assert (ash[0].group, ash[0].rank) in cumulative.applied  # redirected, of no size
    assert after == pytest.approx(recounted) and before <= after <= 1


def test_a_catalogue_receiver_takes_as_much_again_as_it_takes_now(tmp_path):
    """A catalogue row to an actor had no capacity: the whole stream was proposed (the
    Tongling plan sent 20.7 Mt of CO2 to one chemical plant). CEM takes 30 kt of natural
    gypsum: it takes at most as much again of the gypsum family; a farm taking nothing
    has no bound known and is proposed the whole stream."""
    path = tmp_path / "pathways.csv"
    path.write_text("id,material,receiving_sector,source\nx,FGD gypsum,cement,a study\n"
                    "y,FGD gypsum,agriculture,a study\n")  # fmt: skip
    farm = pd.DataFrame([("FARM", "agriculture", "firm")], columns=FIRMS.columns)
    network = from_frames(pd.concat([FIRMS, farm]), FLOWS)
    result = find_opportunities(network, load_catalogue(path, replace=True), top=50)
    to_cem = [o for o in result.listed if o.target == "CEM"]
    assert {o.source for o in to_cem} == {"P1", "P2"}
    for o in to_cem:
        assert o.quantity == 30_000
        detail = "as much again as it takes of family gypsum now"
        assert o.capacity == {"limit": 30_000, "source": "intake", "detail": detail,
                              "within": {"limit": 30_000, "source": "intake",
                                         "detail": "as much again as its whole recorded "
                                                   "intake"}}  # fmt: skip
    assert len({o.capacity_group for o in to_cem}) == 1  # one room for both streams
    o = next(o for o in result.listed if o.target == "FARM" and o.source == "P1")
    assert o.kind == "new_link" and o.capacity is None and o.quantity == 200_000


CO2_FIRMS = pd.DataFrame(
    [("P1", "power station", "utility"), ("C1", "cement", "firm"),
     ("K", "chemicals", "firm"), ("B", "plasterboard", "firm"), ("MKT", "", "market"),
     ("AIR", "", "environment"), ("LF", "", "disposal")],
    columns=["id", "sector", "role"],
)  # fmt: skip
CO2_FLOWS = pd.DataFrame(
    [("P1", "AIR", "carbon dioxide", 500, "kt", "emission"),
     ("C1", "AIR", "carbon dioxide", 300, "kt", "emission"),
     ("MKT", "K", "pyrite", 70, "kt", "product"),
     ("MKT", "K", "lime", 30, "kt", "product"),
     ("MKT", "K", "steam", 5, "TJ", "product"),
     ("MKT", "B", "paper", 60, "kt", "product"),
     ("C1", "B", "FGD gypsum", 40, "kt", "by-product"),
     ("P1", "LF", "FGD gypsum", 200, "kt", "waste")],
    columns=["source", "target", "material", "quantity", "unit", "category"],
)  # fmt: skip
CO2_CATALOGUE = (
    "id,material,receiving_sector,receiver_capacity,capacity_unit,source\n"
    "co2-chem,carbon dioxide,chemicals,80,kt,a study\n"
    "fgd-board,FGD gypsum,plasterboard,,,a study\n"
)


@pytest.fixture
def co2(tmp_path):
    path = tmp_path / "pathways.csv"
    path.write_text(CO2_CATALOGUE)
    network = from_frames(CO2_FIRMS, CO2_FLOWS)
    return network, find_opportunities(network, load_catalogue(path, replace=True), top=50)


def test_one_intake_bounds_every_stream_sent_to_the_actor(co2):
    """K takes 100 kt (pyrite and lime; and 5 TJ), no carbon dioxide: a typical plant's
    80 kt (the catalogue row's), within as much again as its whole mass intake, shared by
    both CO2 streams in the listing's cumulative effect and in the plan."""
    from symbiosis.analysis.opportunities.allocation import optimal_plan

    network, result = co2
    to_k = [o for o in result.listed if o.target == "K"]
    assert {o.source for o in to_k} == {"P1", "C1"} and {o.kind for o in to_k} == {"new_link"}
    for o in to_k:
        assert o.quantity == pytest.approx(80_000)
        assert o.capacity == {
            "limit": pytest.approx(80_000), "source": "typical plant",
            "detail": "catalogue row co2-chem (a typical plant's intake: it takes none of "
                      "family carbon dioxide now)",
            "within": {"limit": pytest.approx(100_000), "source": "intake",
                       "detail": "as much again as its whole recorded intake"}}  # fmt: skip
    assert len({o.capacity_group for o in to_k}) == 1
    table = result.table
    assert table.loc[table["target"] == "K", "capacity_group"].nunique() == 1
    # the listing done together: K gets 80 kt in all, one stream skipped
    after = ed.apply(network, result.edits())
    co2_to_k = (after.flows["target"] == "K") & (after.flows["material"] == "carbon dioxide")
    assert after.flows.loc[co2_to_k, "value"].sum() == pytest.approx(80_000)
    plan = optimal_plan(result).to_frame()
    assert plan.loc[plan["target"] == "K", "amount"].sum() == pytest.approx(80_000)


def test_an_expanding_receiver_is_bounded_by_its_family(co2):
    """B takes 40 kt of FGD gypsum and 60 kt of paper: the FGD gypsum of P1 (expand) is
    bounded by the gypsum it takes (40 kt), not by its whole intake (100 kt)."""
    _, result = co2
    o = next(o for o in result.listed if o.target == "B")
    assert o.kind == "expand" and o.pathway == "fgd-board"
    assert o.quantity == 40_000 and o.capacity["source"] == "intake"
    assert o.capacity["detail"] == "as much again as it takes of family gypsum now"


def test_bad_demand_files_report_every_problem(tmp_path):
    path = tmp_path / "demands.csv"
    path.write_text(
        "firm,material,quantity,unit\n"
        ",gypsum,5,kt\n"
        "W,,5,kt\n"
        "W,gypsum,-3,kt\n"
        "W,gypsum,5,furlongs\n"
        "NOPE,gypsum,5,kt\n"
    )
    with pytest.raises(InputError) as caught:
        read_demands(path)
    text = "\n".join(str(p) for p in caught.value.problems)
    assert ":2: firm: firm is empty" in text
    assert ":3: material: material is empty" in text
    assert ":4: quantity: '-3' is not a positive number" in text
    assert ":5: unit:" in text
    with pytest.raises(InputError, match=r":2: firm: 'NOPE' is not in the network"):
        path.write_text("firm,material,quantity,unit\nNOPE,gypsum,5,kt\n")
        find_opportunities(from_frames(FIRMS, FLOWS), top=5, demands=path)
    path.write_text("firm,quantity\nW,5\n")
    with pytest.raises(InputError, match="unit: required column is missing"):
        read_demands(path)


NESTED_FIRMS = pd.DataFrame(
    [("P1", "power station", "utility"), ("B", "plasterboard", "firm"),
     ("MKT", "", "market"), ("LF", "", "disposal")],
    columns=["id", "sector", "role"],
)  # fmt: skip
NESTED_FLOWS = pd.DataFrame(
    [("MKT", "B", "natural gypsum", 60, "kt", "product"),
     ("MKT", "B", "paper", 40, "kt", "product"),
     ("P1", "LF", "FGD gypsum", 200, "kt", "waste"),
     ("P1", "LF", "fly ash", 150, "kt", "waste")],
    columns=["source", "target", "material", "quantity", "unit", "category"],
)  # fmt: skip


@pytest.fixture
def nested(tmp_path):
    path = tmp_path / "pathways.csv"
    # fly ash to a plasterboard plant: of a typical intake (150 kt) larger than all B takes
    path.write_text("id,material,receiving_sector,receiver_capacity,capacity_unit,source\n"
                    "fgd-board,FGD gypsum,plasterboard,,,a study\n"
                    "ash-board,fly ash,plasterboard,150,kt,a study\n")  # fmt: skip
    network, catalogue = from_frames(NESTED_FIRMS, NESTED_FLOWS), load_catalogue(path, replace=True)
    return network, catalogue, find_opportunities(network, catalogue, top=50)


def test_a_family_lies_within_the_receivers_whole_intake(nested):
    """B takes 100 kt: 60 kt of gypsum and 40 kt of paper. FGD gypsum may take up to as
    much again as its gypsum (60 kt), fly ash (none taken) a typical plant's 150 kt, cut to
    as much again as its whole intake (100 kt); both together no more than 100 kt. The
    listing and the plan took 160 kt before the family's group lay within the whole
    intake's."""
    from symbiosis.analysis.opportunities.allocation import optimal_plan

    network, _, result = nested
    gypsum, ash = (next(o for o in result.listed if o.target == "B" and o.material == m)
                   for m in ("FGD gypsum", "fly ash"))  # fmt: skip
    assert (gypsum.quantity, ash.quantity) == (60_000, 100_000)
    whole = {"limit": 100_000, "source": "intake",
             "detail": "as much again as its whole recorded intake"}  # fmt: skip
    assert ash.capacity == whole
    assert gypsum.capacity == {"limit": 60_000, "source": "intake",
                               "detail": "as much again as it takes of family gypsum now",
                               "within": whole}  # fmt: skip
    assert gypsum.capacity_within_group == ash.capacity_group != gypsum.capacity_group
    # together: the ash (ranked first, larger) takes the whole room; the gypsum is skipped
    cumulative = result.cumulative
    assert (ash.group, ash.rank) in cumulative.applied
    skip = next(s for s in cumulative.skipped if (s.group, s.rank) == (gypsum.group, gypsum.rank))
    assert skip.used_up == "capacity" and skip.by == (ash.group, ash.rank)
    after = ed.apply(network, result.edits())
    residues = after.flows["material"].isin(["FGD gypsum", "fly ash"])
    into_b = (after.flows["target"] == "B") & residues
    assert after.flows.loc[into_b, "value"].sum() == pytest.approx(100_000)
    # the table names the group around, with its limit, and the plan keeps to it
    table = result.table
    rows = table[(table["target"] == "B") & (table["material"] == "FGD gypsum")]
    assert rows["capacity_within"].tolist() == [100_000]
    assert rows["capacity_within_group"].tolist() == [ash.capacity_group]
    plan = optimal_plan(result).to_frame()
    assert plan.loc[plan["target"] == "B", "amount"].sum() == pytest.approx(100_000)


def test_the_lean_listing_nests_the_groups_as_the_table_does(nested):
    """Without the table, the intake bounds are found per receiver when the ranking
    needs them (:class:`~symbiosis.analysis.opportunities.capacity.Deferred`): the same
    listing, the groups around included, and the same cumulative effect."""
    network, catalogue, result = nested
    lean = find_opportunities(network, catalogue, top=50, table=False)
    assert [o.to_dict() for o in lean.listed] == [o.to_dict() for o in result.listed]
    assert lean.cumulative.to_dict() == result.cumulative.to_dict()


def test_a_proposed_plants_capacity_does_not_follow_the_order_of_the_flows(tmp_path):
    """Found by a tester: a new cement plant took the typical intake of whichever
    catalogue row came first in flows.csv (fly ash first: 300 kt for both streams; FGD
    gypsum first: 50 kt). Each intake class now has its own group: fly ash 300 kt, FGD
    gypsum 50 kt, in either order. (The shipped cement rows are additives now, for which
    no plant is proposed: two rows of one process of a catalogue of the test's own.)"""
    path = tmp_path / "mine.csv"
    path.write_text(
        "id,material,dimension,receiving_sector,product,source,receiver_capacity,capacity_unit\n"
        "ash-blend,fly ash,mass,cement,blended cement,EN 197-1,300,kt\n"
        "gypsum-blend,FGD gypsum,mass,cement,blended cement,EN 197-1,50,kt\n",
        encoding="utf-8",
    )
    catalogue = load_catalogue(path, replace=True)
    firms = pd.DataFrame([("PP", "power station", "utility"), ("MKT", "", "market"),
                          ("LF", "", "disposal")], columns=["id", "sector", "role"])  # fmt: skip
    rows = [("PP", "LF", "fly ash", 500, "kt", "waste"),
            ("PP", "LF", "FGD gypsum", 100, "kt", "waste"),
            ("MKT", "PP", "coal", 2000, "kt", "product")]  # fmt: skip
    found = []
    for order in (rows, [rows[1], rows[0], rows[2]]):
        flows = pd.DataFrame(order, columns=FLOWS.columns)
        network = from_frames(firms, flows)
        result = find_opportunities(network, catalogue, top=50, kinds=["new_plant"])
        cement = {o.material: o for o in result.listed if o.target == "NEW_CEMENT"}
        found.append({m: (o.quantity, o.capacity["detail"]) for m, o in cement.items()})
    assert (
        found[0]
        == found[1]
        == {
            "fly ash": (300_000, "catalogue row ash-blend"),
            "FGD gypsum": (50_000, "catalogue row gypsum-blend"),
        }
    )


def _backfill(quantity: str, tmp_path):
    """A backfill plant taking 2.5 Mt of tailings now, and a demand row for them."""
    firms = pd.DataFrame(
        [("MILL", "ore concentrator", "firm"), ("BF", "mine backfill", "recycling"),
         ("DAM", "", "disposal"), ("MKT", "", "market")],
        columns=["id", "sector", "role"],
    )  # fmt: skip
    flows = pd.DataFrame(
        [("MILL", "BF", "mill tailings", 2_500, "kt", "waste"),
         ("MILL", "DAM", "mill tailings", 7_000, "kt", "waste"),
         ("MKT", "BF", "cement", 250, "kt", "product")],
        columns=["source", "target", "material", "quantity", "unit", "category"],
    )  # fmt: skip
    demands = tmp_path / "demands.csv"
    demands.write_text(f"firm,material,quantity,unit\nBF,mill tailings,{quantity},t\n")
    result = find_opportunities(from_frames(firms, flows), top=50, demands=demands)
    return next(o for o in result.listed if o.target == "BF")


def test_a_demand_is_the_firms_total_intake_of_the_material(tmp_path):
    """tester-cities2 item 11: a backfill plant that can take 3.5 Mt of tailings and
    takes 2.5 Mt now was offered 3.31 Mt more; it has room for 1 Mt."""
    o = _backfill("3500000", tmp_path)
    assert o.capacity["source"] == "demand" and o.quantity == pytest.approx(1_000_000)
    assert o.capacity["limit"] == pytest.approx(1_000_000)
    assert "its total of 3,500,000, less the 2,500,000 it takes now" in o.capacity["detail"]


def test_a_demand_below_what_the_firm_takes_leaves_no_room(tmp_path):
    o = _backfill("2000000", tmp_path)
    assert o.capacity["source"] == "demand" and o.quantity == 0


@pytest.mark.parametrize("table", [True, False])
def test_a_kiln_co_processes_msw_through_one_typical_line(table):
    """tester-cities2 12: Huaibei's cement plant was given the city's 400 kt of MSW, as
    much again as its whole intake; a co-processing line takes ~100 kt/yr (300 t/d)."""
    firms = pd.DataFrame(
        [("CITY", "households", "firm"), ("CEM", "cement", "firm"),
         ("LF", "", "disposal"), ("MKT", "", "market")],
        columns=["id", "sector", "role"],
    )  # fmt: skip
    flows = pd.DataFrame(
        [("CITY", "LF", "municipal solid waste", 400, "kt", "waste"),
         ("MKT", "CEM", "limestone", 4_000, "kt", "product"),
         ("CEM", "MKT", "cement", 4_400, "kt", "product")],
        columns=["source", "target", "material", "quantity", "unit", "category"],
    )  # fmt: skip
    result = find_opportunities(from_frames(firms, flows), top=50, table=table)
    [o] = [o for o in result.listed if o.pathway == "msw-kiln"]
    assert o.target == "CEM" and o.quantity == pytest.approx(100_000)
    assert o.capacity["source"] == "typical plant"
    assert "co-processing line" in o.capacity["detail"]
