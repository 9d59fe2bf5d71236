"""A catalogue row's ``max_share``: a receiver takes at most that share of its throughput
of the stream, less what it takes of the material now (tester-cities item 9: Baotou's
cement works, 4.2 Mt of slag and fly ash in and 5 Mt of cement out, was given 4.2 Mt of
tailings as an iron corrective, and Daqing's refineries another 9 and 6 Mt of crude)."""

from __future__ import annotations

import pandas as pd
import pytest

from symbiosis import InputError, from_frames
from symbiosis import edits as ed
from symbiosis.analysis.opportunities import find_opportunities
from symbiosis.analysis.opportunities.allocation import optimal_plan
from symbiosis.catalogue import default_catalogue, load_catalogue

COLUMNS = ["source", "target", "material", "quantity", "unit", "category"]


def _baotou():
    firms = pd.DataFrame(
        [("CONC", "ore concentrator", "firm"), ("BF", "blast furnace ironmaking", "firm"),
         ("PP", "coal-fired power", "utility"), ("CEM", "cement", "firm"),
         ("SMELT", "rare earth metal smelting", "firm"), ("MKT", "", "market"),
         ("DAM", "", "disposal")],
        columns=["id", "sector", "role"],
    )  # fmt: skip
    flows = pd.DataFrame(
        [("BF", "CEM", "granulated blast furnace slag", 3_000, "kt", "by-product"),
         ("PP", "CEM", "fly ash", 1_200, "kt", "by-product"),
         ("CEM", "MKT", "cement", 5_000, "kt", "product"),
         ("CONC", "DAM", "copper slag flotation tailings", 9_200, "kt", "waste"),
         ("SMELT", "DAM", "copper slag", 2, "kt", "waste"),
         ("MKT", "CONC", "ore", 15_000, "kt", "product")],
        columns=COLUMNS,
    )  # fmt: skip
    return from_frames(firms, flows)


@pytest.fixture(scope="module")
def baotou():
    return find_opportunities(_baotou(), top=50)


def _to(result, material, target):
    [o] = [o for o in result.listed if o.material == material and o.target == target]
    return o


def test_an_iron_corrective_is_a_few_percent_of_the_kiln(baotou):
    """7.5 % of the 5 Mt of cement the works makes (its throughput: more than the 4.2 Mt
    it takes), 375 kt, within as much again as its whole intake (4.2 Mt, the bound
    before)."""
    o = _to(baotou, "copper slag flotation tailings", "CEM")
    assert o.quantity == pytest.approx(375_000) and o.stream_quantity == 9_200_000
    assert o.capacity["source"] == "share"
    assert o.capacity["limit"] == pytest.approx(375_000)
    assert "0.075 of its throughput of 5,000,000" in o.capacity["detail"]
    assert o.capacity["within"]["limit"] == pytest.approx(4_200_000)
    table = baotou.table
    tailings = table["material"] == "copper slag flotation tailings"
    row = table[tailings & (table["target"] == "CEM")]
    assert row["capacity"].tolist() == pytest.approx([375_000])


def test_a_constituent_of_the_same_family_leaves_the_correctives_room(baotou):
    """The works takes 3 Mt of slag as a constituent: a copper slag as an iron corrective
    still has its 7.5 % (less what it takes of copper slag itself: none)."""
    o = _to(baotou, "copper slag", "CEM")
    assert o.capacity["source"] == "share" and o.capacity["limit"] == pytest.approx(375_000)
    assert o.quantity == 2_000


def test_a_receiver_already_at_its_share_has_no_room():
    """Tongling's Conch takes 1 Mt of slag tailings for 15.1 Mt of clinker and limestone
    out: 7.5 % is 1.134 Mt, so 133,850 t more (426,000 t before, as much again as it
    takes); a set retarder stays bounded by the gypsum it takes (as much again, 393 kt:
    less than 8.6 % of its output)."""
    from symbiosis import load
    from symbiosis.examples import example_path

    result = find_opportunities(load(example_path("tongling")), top=50)
    slag = [o for o in result.listed
            if o.target == "CONCH" and o.pathway == "slag-tailings-cement"]  # fmt: skip
    assert slag and all(o.capacity["limit"] == pytest.approx(133_850) for o in slag)
    gypsum = [o for o in result.listed if o.target == "CONCH" and o.pathway == "pg-cement"]
    assert gypsum[0].capacity["source"] == "intake"


def test_a_refinery_running_on_crude_has_room_only_beside_it():
    """A main feed's max_share is 1, of what the plant makes (a main feed: tester-cities6,
    a smelter's anodes were room for alumina): a refinery taking 8 Mt of crude and 1 Mt of
    other feeds, making 8.5 Mt of products, has room for 0.5 Mt of crude, not another 8 Mt
    (nor the 1 Mt of its other feeds: of its 9 Mt of intake, 0.5 Mt is lost or burnt)."""
    firms = pd.DataFrame(
        [("OF", "oil and gas extraction", "extraction"), ("REF", "petroleum refinery", "firm"),
         ("ETH", "ethylene cracker", "firm"), ("PIPE", "", "market")],
        columns=["id", "sector", "role"],
    )  # fmt: skip
    flows = pd.DataFrame(
        [("OF", "REF", "crude oil", 8_000, "kt", "product"),
         ("ETH", "REF", "pyrolysis fuel oil", 1_000, "kt", "by-product"),
         ("REF", "PIPE", "gasoline and diesel", 8_500, "kt", "product"),
         ("OF", "PIPE", "crude oil", 15_000, "kt", "product")],
        columns=COLUMNS,
    )  # fmt: skip
    result = find_opportunities(from_frames(firms, flows), top=50)
    [o] = [o for o in result.listed if o.pathway == "crude-refining"]
    assert o.target == "REF" and o.capacity["source"] == "share"
    assert o.quantity == pytest.approx(500_000)
    assert "less the 8,000,000 it takes now of crude oil;" in o.capacity["detail"]
    assert "of the 8,500,000 of products it makes" in o.capacity["detail"]


def test_without_the_table_the_same_shares():
    """The lean pass bounds the listed rows' receivers when the ranking needs them
    (capacity.Deferred): the same listing."""
    network = _baotou()
    full = find_opportunities(network, top=50)
    lean = find_opportunities(network, top=50, table=False)
    assert [o.to_dict() for o in lean.listed] == [o.to_dict() for o in full.listed]


def test_shipped_shares_are_fractions_of_known_roles():
    rows = default_catalogue().pathways
    given = rows[rows["share"].notna()]
    assert len(given) >= 10
    assert ((given["share"] > 0) & (given["share"] <= 1)).all()
    assert set(given["role"]) <= {"additive", "feedstock", ""}  # empty: a feedstock
    assert given["notes"].str.contains("max_share").all()  # each says where it comes from


@pytest.mark.parametrize(
    ("cell", "message"),
    [("5%", "'5%' is not a fraction from 0 to 1"), ("1.5", "'1.5' is not a fraction"),
     ("0", "'0' is not above 0"), ("-0.1", "'-0.1' is not above 0"),
     ("abc", "'abc' is not a number")],
)  # fmt: skip
def test_a_bad_share_is_refused_at_its_cell(tmp_path, cell, message):
    path = tmp_path / "mine.csv"
    path.write_text(f"id,material,receiving_sector,source,max_share\na,slag,cement,EN,{cell}\n")
    with pytest.raises(InputError) as error:
        load_catalogue(path)
    [problem] = error.value.problems
    assert (problem.row, problem.column) == (2, "max_share")
    assert message in problem.message and problem.hint


def _kiln():
    """A cement plant making 2.2 Mt (tester-cities2 defect 1, Jinchang) offered two
    correctives (mill tailings, slag flotation tailings), bottom ash and nickel slag."""
    firms = pd.DataFrame(
        [("CONC", "ore concentrator", "firm"), ("FLOT", "copper slag flotation", "firm"),
         ("NI", "nickel smelting", "firm"), ("PP", "coal-fired power", "utility"),
         ("CEM", "cement", "firm"), ("MKT", "", "market"), ("DAM", "", "disposal")],
        columns=["id", "sector", "role"],
    )  # fmt: skip
    flows = pd.DataFrame(
        [("MKT", "CEM", "limestone", 2_000, "kt", "product"),
         ("CEM", "MKT", "cement", 2_200, "kt", "product"),
         ("CONC", "DAM", "mill tailings", 2_000, "kt", "waste"),
         ("FLOT", "DAM", "copper slag flotation tailings", 840, "kt", "waste"),
         ("NI", "DAM", "nickel slag", 1_700, "kt", "waste"),
         ("PP", "DAM", "bottom ash", 100, "kt", "waste")],
        columns=COLUMNS,
    )  # fmt: skip
    return from_frames(firms, flows)


def test_two_correctives_at_one_kiln_share_one_bound():
    """Each corrective had its own 7.5 % (mill tailings none: 886 kt, as much again as
    the whole intake): together they are 7.5 % of the 2.2 Mt made, 165 kt, in the
    cumulative effect and in the plan."""
    result = find_opportunities(_kiln(), top=50)
    correctives = [o for o in result.listed if o.target == "CEM" and o.material in
                   ("mill tailings", "copper slag flotation tailings")]  # fmt: skip
    assert len(correctives) == 2
    assert {o.capacity_group for o in correctives} == {correctives[0].capacity_group}
    assert all(o.capacity["limit"] == pytest.approx(165_000) for o in correctives)
    assert all(o.capacity["source"] == "share" for o in correctives)
    plan = optimal_plan(find_opportunities(_kiln(), top=50, table=True))
    rows = plan.rows[plan.rows["target"] == "CEM"]
    moved = rows[rows["material"].isin([o.material for o in correctives])]["amount"].sum()
    assert moved <= 165_000 + 1e-6


def test_every_cement_additive_has_a_share():
    """Every catalogue row of a constituent, corrective or raw-meal component of cement
    states its max_share (tailings to cement had none: as much again as the kiln's whole
    intake); only the kiln's fuels and the clinker itself go without."""
    rows = default_catalogue().pathways
    cement = rows[(rows["receiving_sector"] == "cement") & (rows["role"] != "fuel")]
    assert cement["share"].notna().all(), cement.loc[cement["share"].isna(), "id"].tolist()


def _kiln_and_others(tmp_path, row: str):
    """A kiln making 1 Mt of cement, offered 2 Mt of mill tailings (a corrective of the
    shipped catalogue, 7.5 %) and 200 kt of a user's material at 7.5 % by the row
    ``row`` of a user's catalogue (added to the shipped one). What the listed
    opportunities give the kiln of both, applied together, and the two to the kiln."""
    firms = pd.DataFrame(
        [("CONC", "ore concentrator", "firm"), ("OIL", "edible oil refinery", "firm"),
         ("CEM", "cement", "firm"), ("MKT", "", "market"), ("DAM", "", "disposal")],
        columns=["id", "sector", "role"],
    )  # fmt: skip
    flows = pd.DataFrame(
        [("MKT", "CEM", "limestone", 800, "kt", "product"),
         ("MKT", "CEM", "coal", 100, "kt", "product"),
         ("CEM", "MKT", "cement", 1_000, "kt", "product"),
         ("CONC", "DAM", "mill tailings", 2_000, "kt", "waste"),
         ("OIL", "DAM", "spent filter earth", 200, "kt", "waste")],
        columns=COLUMNS,
    )  # fmt: skip
    path = tmp_path / "mine.csv"
    path.write_text("id,material,receiving_sector,substitutes,role,max_share,source\n" + row + "\n")
    network = from_frames(firms, flows)
    result = find_opportunities(network, load_catalogue(path), top=50)
    by_material = {o.material: o for o in result.listed if o.target == "CEM"}
    given = ed.apply(network, list(result.edits())).flows
    given = given[(given["target"] == "CEM") & given["material"].isin(by_material)]
    return (
        float(given["value"].sum()),
        by_material["mill tailings"],
        by_material["spent filter earth"],
    )


def test_an_unrelated_row_of_the_same_share_has_a_bound_of_its_own(tmp_path):
    """A user's kiln fuel at 7.5 % shares nothing with the shipped correctives at 7.5 %:
    each may be 75 kt of the kiln's 1 Mt (they shared one 75 kt bound, the share's value
    being the group)."""
    given, tailings, earth = _kiln_and_others(
        tmp_path, "sfe-kiln,spent filter earth,cement,,fuel,0.075,a study"
    )
    assert tailings.pathway == "tailings-cement" and earth.pathway == "sfe-kiln"
    for o in (tailings, earth):
        assert o.capacity["source"] == "share"
        assert o.capacity["limit"] == pytest.approx(75_000)
    assert tailings.capacity_group != earth.capacity_group
    assert given == pytest.approx(150_000)  # applied together: 75 kt each


def test_a_row_replacing_a_corrective_s_input_shares_its_bound(tmp_path):
    """A user's row at 7.5 % that replaces iron ore, as the shipped correctives do, is one
    of the kiln's correctives: one 75 kt bound for both."""
    given, tailings, earth = _kiln_and_others(
        tmp_path, "sfe-cement,spent filter earth,cement,iron ore,additive,0.075,a study"
    )
    assert tailings.capacity_group == earth.capacity_group
    assert tailings.capacity["limit"] == pytest.approx(75_000)
    assert given == pytest.approx(75_000)  # applied together
