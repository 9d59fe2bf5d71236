"""An emerging pathway (research or pilot scale) is listed, but left out of the cumulative
effect and of the plan (tester-cities2 defect 1: Jinchang's plan sent 470 kt of slag
tailings to a pilot-scale iron recovery and 300 kt of CO2 to carbonation curing)."""

from __future__ import annotations

import pandas as pd

from symbiosis import from_frames
from symbiosis.analysis.opportunities import find_opportunities
from symbiosis.analysis.opportunities.allocation import optimal_plan
from symbiosis.catalogue import load_catalogue

COLUMNS = ["source", "target", "material", "quantity", "unit", "category"]


def _network():
    firms = pd.DataFrame(
        [("SM", "copper smelting", "firm"), ("REC", "metal recovery", "firm"),
         ("MKT", "", "market"), ("LF", "", "disposal")],
        columns=["id", "sector", "role"],
    )  # fmt: skip
    flows = pd.DataFrame(
        [("MKT", "SM", "copper concentrate", 1_000, "kt", "product"),
         ("SM", "MKT", "copper cathode", 200, "kt", "product"),
         ("SM", "LF", "copper slag", 500, "kt", "waste"),
         ("MKT", "REC", "scrap", 600, "kt", "product")],
        columns=COLUMNS,
    )  # fmt: skip
    return from_frames(firms, flows)


def test_an_emerging_pathway_is_listed_but_not_counted():
    result = find_opportunities(_network(), top=50, table=True)
    emerging = [o for o in result.listed if o.target == "REC" and o.maturity == "emerging"]
    assert emerging and emerging[0].quantity > 0
    here = [(o.group, o.rank) for o in emerging]
    cumulative = result.cumulative
    assert set(here) <= set(cumulative.emerging)
    assert not set(here) & set(cumulative.applied)
    assert cumulative.to_dict()["emerging"]
    plan = optimal_plan(result)
    assert plan.left_out["emerging"] >= len(emerging)
    assert not (plan.rows["target"] == "REC").any()


def test_every_listed_emerging_row_is_said_emerging_first(tmp_path):
    # tester-lib2 defect 3: an emerging row whose stream an earlier one used up was filed
    # as "skipped: stream", an emerging new plant of unknown size as "unbounded" only
    firms = pd.DataFrame(
        [("SM", "copper smelting", "firm"), ("REC", "metal recovery", "firm"),
         ("CEM", "cement", "firm"), ("CE2", "cement", "firm"), ("MKT", "", "market"),
         ("LF", "", "disposal")],
        columns=["id", "sector", "role"],
    )  # fmt: skip
    flows = pd.DataFrame(
        [("MKT", "SM", "copper concentrate", 1_000, "kt", "product"),
         ("SM", "LF", "copper slag", 500, "kt", "waste"),
         ("MKT", "REC", "scrap", 600, "kt", "product"),
         ("MKT", "CEM", "limestone", 2_000, "kt", "product"),
         ("MKT", "CE2", "limestone", 100, "kt", "product")],
        columns=COLUMNS,
    )  # fmt: skip
    path = tmp_path / "cat.csv"
    path.write_text(
        "id,material,category,dimension,receiving_sector,product,maturity,source,role,"
        "receiver_capacity,capacity_unit\n"
        "cs-cement,copper slag,waste,mass,cement,cement,established,Test 2024,feedstock,"
        "600,kt\n"
        "cs-iron,copper slag,waste,mass,metal recovery,iron,emerging,Test 2024,feedstock\n"
        "cs-wool,copper slag,waste,mass,mineral wool,mineral wool,emerging,Test 2024,feedstock\n",
        encoding="utf-8",
    )
    result = find_opportunities(from_frames(firms, flows), load_catalogue(path, replace=True))
    emerging = [(o.group, o.rank) for o in result.listed if o.maturity == "emerging"]
    # REC is a metal recovery firm by its family name only: the new plant of cs-iron is
    # proposed beside it (and cs-wool's, with no actor)
    assert len(emerging) == 3 and any(o.unbounded for o in result.listed)
    cumulative = result.cumulative
    # CEM takes the whole stream (a typical plant's 600 kt: it takes no slag); CE2, of
    # known size (as much again as its 100 kt, smaller), finds it used up; the emerging rows
    # (one a new plant of unknown size) are emerging, not skipped nor unbounded
    first = next(o for o in result.listed if o.target == "CEM")
    second = next(o for o in result.listed if o.target == "CE2")
    assert cumulative.applied == (("dumped", first.rank),) and not cumulative.unbounded
    assert [s.to_dict() for s in cumulative.skipped] == [
        {"group": "dumped", "rank": second.rank, "used_up": "stream",
         "by": {"group": "dumped", "rank": first.rank}}
    ]  # fmt: skip
    assert list(cumulative.emerging) == emerging
    assert optimal_plan(result).left_out == {"unknown_quantity": 0, "unbounded": 0,
                                              "emerging": 3}  # fmt: skip
