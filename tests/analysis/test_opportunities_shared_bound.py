"""One use's shared bound (a kiln's constituents at 0.5 of its throughput, GB 175) holds
whatever sizes each stream (tester12 defect 1: on Baotou, a demands.csv row for blast
furnace slag took the 3 Mt of slag the kiln takes out of the bound of the other
constituents, and the plan sent it over 6 Mt of constituents for 4 Mt of cement).

The kiln here takes 1,000 kt of granulated slag and 900 kt of fly ash and makes 4,500 kt
of cement from 4,100 kt of limestone: its throughput is its intake, 6,000 kt, and its
constituents may be 3,000 kt of it, 1,100 kt more than the 1,900 kt it takes."""

from __future__ import annotations

import shutil
import warnings
from pathlib import Path

import pandas as pd
import pytest

from symbiosis import SymbiosisWarning, from_frames, load, select_year
from symbiosis import edits as ed
from symbiosis.analysis.opportunities import find_opportunities
from symbiosis.analysis.opportunities.allocation import optimal_plan

COLUMNS = ["source", "target", "material", "quantity", "unit", "category"]
CONSTITUENTS = ("blast furnace slag", "fly ash", "steel slag")
ROOM = 3_000_000 - 1_900_000  # 0.5 of 6,000 kt, less the slag and ash it takes
BAOTOU = Path(__file__).parent.parent / "data" / "tester12" / "baotou"


def _kiln():
    firms = pd.DataFrame(
        [("BF", "blast furnace ironmaking", "firm"), ("BOF", "steelmaking", "firm"),
         ("PP", "coal-fired power", "utility"), ("CEM", "cement", "firm"),
         ("MKT", "", "market"), ("DAM", "", "disposal")],
        columns=["id", "sector", "role"],
    )  # fmt: skip
    flows = pd.DataFrame(
        [("MKT", "CEM", "limestone", 4_100, "kt", "product"),
         ("BF", "CEM", "granulated blast furnace slag", 1_000, "kt", "by-product"),
         ("PP", "CEM", "fly ash", 900, "kt", "by-product"),
         ("CEM", "MKT", "cement", 4_500, "kt", "product"),
         ("BF", "DAM", "blast furnace slag", 2_000, "kt", "waste"),
         ("PP", "DAM", "fly ash", 1_500, "kt", "waste"),
         ("BOF", "DAM", "steel slag", 1_500, "kt", "waste")],
        columns=COLUMNS,
    )  # fmt: skip
    return from_frames(firms, flows)


def _demands(tmp_path, *rows: str) -> Path:
    path = tmp_path / "demands.csv"
    path.write_text("firm,material,material_code,quantity,unit,notes\n" + "\n".join(rows) + "\n")
    return path


def _to_kiln(result) -> dict:
    found = {o.material: o for o in result.listed if o.target == "CEM"}
    assert set(found) >= set(CONSTITUENTS), found
    return found


def _planned(result) -> dict[str, float]:
    rows = optimal_plan(result).rows
    rows = rows[(rows["target"] == "CEM") & rows["material"].isin(CONSTITUENTS)]
    return rows.groupby("material")["amount"].sum().to_dict()


def test_without_demands_the_plan_keeps_the_constituents_within_their_share():
    """As much again as it takes of slag (1,000 kt) and of ash (900 kt) is less than the
    1,100 kt the share leaves, each on its own: but together they are 1,900 kt, and the
    plan gave both (the family groups lay outside the share's). Now each family's bound
    lies within the share's group."""
    result = find_opportunities(_kiln(), top=50, table=True)
    kiln = _to_kiln(result)
    for material in CONSTITUENTS:
        o = kiln[material]
        assert o.capacity["source"] == "intake", material
        assert o.capacity["within"]["source"] == "share"
        assert o.capacity["within"]["limit"] == pytest.approx(ROOM)
    assert kiln["fly ash"].capacity["limit"] == pytest.approx(900_000)
    assert kiln["steel slag"].capacity["limit"] == pytest.approx(1_000_000)
    assert sum(_planned(result).values()) == pytest.approx(ROOM)
    assert _applied_together(result) == pytest.approx(ROOM)


def _applied_together(result) -> float:
    """What the listed opportunities, applied together (the cumulative effect), add to
    the kiln's constituents."""
    network = _kiln()
    flows = ed.apply(network, list(result.edits())).flows
    flows = flows[(flows["target"] == "CEM") & (flows["material"] != "limestone")]
    return float(flows["value"].sum()) - 1_900_000


def test_a_demand_row_bounds_its_material_and_keeps_the_others_within_the_share(tmp_path):
    """The kiln says it takes 1,500 kt of slag in all: 500 kt more of it (source demand).
    The slag it takes still counts in the share of the others, and so does the 500 kt
    the demand gives it: fly ash and steel slag share 1,100 - 500 = 600 kt (the slag had
    dropped out of their bound, 2,100 kt, and the plan sent 2,400 kt)."""
    path = _demands(tmp_path, "CEM,blast furnace slag,,1500,kt,")
    result = find_opportunities(_kiln(), top=50, table=True, demands=path)
    kiln = _to_kiln(result)
    slag = kiln["blast furnace slag"]
    assert slag.capacity["source"] == "demand" and slag.quantity == pytest.approx(500_000)
    for material in ("fly ash", "steel slag"):
        o = kiln[material]
        assert o.capacity["source"] == "share", material
        assert o.capacity["limit"] == pytest.approx(600_000)
        detail = o.capacity["detail"]
        assert "less the 1,900,000 it takes now of blast furnace slag (1,000,000) and fly " \
               "ash (900,000)" in detail, detail  # fmt: skip
        assert f"the 500,000 more that {path}:2 gives blast furnace slag" in detail, detail
        assert "family" not in detail
    planned = _planned(result)
    assert planned["blast furnace slag"] == pytest.approx(500_000)
    assert sum(planned.values()) == pytest.approx(ROOM)
    assert _applied_together(result) == pytest.approx(ROOM)
    lean = find_opportunities(_kiln(), top=50, table=False, demands=path)
    assert [o.to_dict() for o in lean.listed] == [o.to_dict() for o in result.listed]


def test_a_demand_above_the_share_stands_for_its_material_alone(tmp_path):
    """A demand that says more than the share leaves (a slag cement holds more): the
    firm's figure stands for its slag, 2,000 kt more, and the others have no room."""
    path = _demands(tmp_path, "CEM,blast furnace slag,,3000,kt,")
    result = find_opportunities(_kiln(), top=50, table=True, demands=path)
    kiln = _to_kiln(result)
    assert kiln["blast furnace slag"].quantity == pytest.approx(2_000_000)
    assert kiln["fly ash"].no_room and kiln["steel slag"].no_room
    assert kiln["fly ash"].capacity["limit"] == 0
    planned = _planned(result)
    assert sum(planned.values()) == pytest.approx(2_000_000)


def test_demands_for_two_constituents_leave_the_third_what_is_left(tmp_path):
    """Slag 1,300 kt in all (300 more) and fly ash 1,200 kt (300 more): 600 kt of the
    1,100 kt, and the steel slag has the 500 kt left."""
    path = _demands(tmp_path, "CEM,blast furnace slag,,1300,kt,", "CEM,fly ash,,1200,kt,")
    result = find_opportunities(_kiln(), top=50, table=True, demands=path)
    kiln = _to_kiln(result)
    assert kiln["blast furnace slag"].quantity == pytest.approx(300_000)
    assert kiln["fly ash"].quantity == pytest.approx(300_000)
    steel = kiln["steel slag"]
    assert steel.capacity["limit"] == pytest.approx(500_000)
    assert "the 600,000 more that" in steel.capacity["detail"]
    assert sum(_planned(result).values()) == pytest.approx(ROOM)


def _baotou(tmp_path, demands: str | None):
    """tester12's Baotou (2021): the cement works takes 3.0 Mt of granulated slag and
    0.35 Mt of fly ash, 3.35 Mt of 6.43 Mt of intake, more than 0.5 of it."""
    network = select_year(load(BAOTOU), 2021)
    path = None
    if demands is not None:
        path = tmp_path / "demands.csv"
        shutil.copy(BAOTOU / "demands.csv", path)
        if demands != "all":
            text = [line for line in path.read_text().splitlines() if "CEM" not in line
                    or demands in line]  # fmt: skip
            path.write_text("\n".join(text) + "\n")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SymbiosisWarning)
        return find_opportunities(network, top=100, table=True, demands=path)


def _baotou_constituents(result) -> tuple[dict, float]:
    mine = [o for o in result.listed if o.target == "CEM" and o.pathway in
            ("bfs-ggbs", "fly-ash-cement", "steel-slag-cement")]  # fmt: skip
    rows = optimal_plan(result).rows
    rows = rows[(rows["target"] == "CEM") & rows["pathway"].isin(
        ["bfs-ggbs", "fly-ash-cement", "steel-slag-cement"])]  # fmt: skip
    return {o.material: o for o in mine}, float(rows["amount"].sum())


@pytest.mark.parametrize(
    ("demands", "planned"),
    [(None, 0.0), ("blast furnace slag", 1_000_000.0), ("fly ash", 450_000.0),
     ("all", 1_450_000.0)],
)  # fmt: skip
def test_baotou_s_kiln_has_no_room_beside_what_its_demands_say(tmp_path, demands, planned):
    """With no demand row the kiln has no room for any constituent; a demand row gives its
    own material the firm's figure (4 Mt of slag in all: 1 Mt more; 800 kt of fly ash:
    450 kt more), and the steel-slag tailings stay without room (they had 1.4 Mt, and
    the plan over 6 Mt of constituents for 4 Mt of cement)."""
    kiln, moved = _baotou_constituents(_baotou(tmp_path, demands))
    steel = kiln["steel slag tailings (钢渣尾渣)"]
    assert steel.no_room and steel.capacity["source"] == "share"
    assert "3,350,000 it takes now of blast furnace slag (3,000,000) and fly ash (350,000)" \
        in steel.capacity["detail"]  # fmt: skip
    assert moved == pytest.approx(planned)


def test_a_family_within_a_share_stays_within_the_whole_intake():
    """A kiln recording 10 kt of fly ash and 40 kt of cement made: its fly ash keeps its
    family's bound (as much again, 10 kt) within the constituents' share (half of 40 kt,
    less 10 kt), itself within as much again as its whole intake (10 kt), which an iron
    corrective shares: the plan gives them 10 kt together, not 13 kt."""
    firms = pd.DataFrame(
        [("PP", "coal-fired power", "utility"), ("SM", "copper smelting", "firm"),
         ("CE", "cement", "firm"), ("MKT", "", "market"), ("LF", "", "disposal")],
        columns=["id", "sector", "role"],
    )  # fmt: skip
    flows = pd.DataFrame(
        [("PP", "CE", "fly ash", 10, "kt", "by-product"),
         ("CE", "MKT", "cement", 40, "kt", "product"),
         ("PP", "LF", "fly ash", 20, "kt", "waste"),
         ("SM", "LF", "copper slag", 50, "kt", "waste")],
        columns=COLUMNS,
    )  # fmt: skip
    result = find_opportunities(from_frames(firms, flows), top=50, table=True)
    ash = next(o for o in result.listed if o.target == "CE" and o.material == "fly ash")
    assert ash.capacity["source"] == "intake" and ash.capacity["limit"] == 10_000
    assert ash.capacity["within"]["source"] == "share"
    assert ash.capacity["within"]["within"]["limit"] == 10_000  # the whole intake, again
    table = result.table
    row = table[(table["target"] == "CE") & (table["material"] == "fly ash")].iloc[0]
    assert row["capacity_around"] == 10_000
    assert row["capacity_around_group"] == ash.capacity_around_group >= 0
    rows = optimal_plan(result).rows
    assert rows.loc[rows["target"] == "CE", "amount"].sum() == pytest.approx(10_000)
