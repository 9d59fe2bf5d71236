"""The recovery rate by List of Waste chapter: a hand-computed network, the report hook,
and hypothesis properties (rates in [0, 1]; totals are the sums of the chapters)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import symbiosis
from symbiosis.analysis.recovery import has_register_columns, recovery_of_flows, recovery_rates
from symbiosis.report import analyze

FIRMS = pd.DataFrame(
    {
        "id": ["SMELT", "REC", "LF", "KILN", "STORE"],
        "role": ["firm", "recycling", "disposal", "utility", "treatment"],
    }
)
# (source, target, quantity, unit, waste_code, operation, year)
FLOWS = [
    ("SMELT", "REC", 10.5, "t", "17 04 05", "R4", 2019),
    ("SMELT", "LF", 20, "t", "10 06 01", "D1", 2019),
    ("SMELT", "LF", 5, "t", "10 06 01", "D1", 2020),
    ("SMELT", "KILN", 3000, "kg", "10 01 02", "R1", 2020),
    ("SMELT", "REC", 4, "t", "100601", "R5", 2020),
    ("SMELT", "STORE", 2, "t", "17 04 09*", "D15", 2020),
    ("STORE", "LF", 2, "t", "17 04 09*", "D1", 2020),
    ("SMELT", "REC", 7, "t", "", "R13", 2020),
    ("SMELT", "LF", 100, "t", "10 06 01", "", 2020),  # no operation: left out
    ("SMELT", "KILN", 50, "GJ", "10 01 02", "R1", 2020),  # not tonnes: left out
]


def network(flows=FLOWS):
    frame = pd.DataFrame(
        flows,
        columns=["source", "target", "quantity", "unit", "waste_code", "operation", "year"],
    ).assign(material="waste", category="waste")
    frame.loc[frame["unit"] == "GJ", "material"] = "waste heat"
    return symbiosis.from_frames(FIRMS, frame)


def rows(result):
    table = result.table.set_index(["year", "chapter"])
    return {key: tuple(row) for key, row in table.drop(columns="title").iterrows()}


def test_hand_computed_rates():
    result = recovery_rates(network())
    found = rows(result)
    assert found[(2019, "10")] == (0.0, 20.0, 0.0, 0.0)
    assert found[(2019, "17")] == (10.5, 0.0, 0.0, 1.0)
    assert found[(2019, "all")] == pytest.approx((10.5, 20.0, 0.0, 10.5 / 30.5))
    assert found[(2020, "10")] == pytest.approx((3 + 4, 5.0, 0.0, 7 / 12))
    # D15 is interim: its 2 t count once, at their final D1 (Regulation (EC) 2150/2002)
    assert found[(2020, "17")] == (0.0, 2.0, 2.0, 0.0)
    no_code = found[(2020, "")]  # no code; R13 is interim: in neither, no rate
    assert no_code[:3] == (0.0, 0.0, 7.0) and np.isnan(no_code[3])
    assert found[(2020, "all")] == pytest.approx((7.0, 7.0, 9.0, 0.5))
    titles = dict(zip(result.table["chapter"], result.table["title"], strict=False))
    assert titles["10"] == "Wastes from thermal processes" and titles[""] == "(no code)"
    assert list(result.table.columns)[:2] == ["year", "chapter"]


def test_without_the_columns_the_result_is_empty_and_the_report_has_no_section():
    plain = symbiosis.load("examples/tongling")
    assert not has_register_columns(plain)
    assert not recovery_rates(plain)
    assert "recovery" not in analyze(plain).sections
    with pytest.raises(symbiosis.InputError, match="section 'recovery' needs flows with"):
        analyze(plain, sections=["summary", "recovery"])  # named: it was left out silently
    coded = network()
    report = analyze(coded, sections=["summary", "recovery"])
    assert report.sections["recovery"].to_dict()["rows"][0]["year"] == 2019


def test_without_years_one_row_per_chapter():
    frame = network().flows.drop(columns="year")
    result = recovery_of_flows(frame)
    assert result.table["year"].isna().all()
    assert list(result.table["chapter"]) == ["", "10", "17", "all"]


def test_to_dict_is_json_ready():
    data = recovery_rates(network()).to_dict()
    assert data["unit"] == "t"
    empty = [r for r in data["rows"] if r["recovered"] + r["disposed"] == 0]
    assert all(r["recovery_rate"] is None for r in empty)


flow = st.tuples(
    st.sampled_from(["17 04 05", "10 01 02", "19 12 12", ""]),
    st.sampled_from(["R1", "R4", "R13", "D1", "D10", "D15"]),
    st.floats(0, 1e9, allow_nan=False),
    st.sampled_from([2019, 2020]),
)


@settings(max_examples=50, deadline=None)
@given(st.lists(flow, min_size=1, max_size=40))
def test_rates_are_shares_and_totals_add_up(flows):
    frame = pd.DataFrame(flows, columns=["waste_code", "operation", "value", "year"])
    table = recovery_of_flows(frame.assign(dimension="mass")).table
    rates = table["recovery_rate"].dropna()
    assert ((rates >= 0) & (rates <= 1)).all()
    for _, rows_of_year in table.groupby("year"):
        chapters = rows_of_year[rows_of_year["chapter"] != "all"]
        total = rows_of_year[rows_of_year["chapter"] == "all"].iloc[0]
        for column in ("recovered", "disposed", "preliminary"):
            assert chapters[column].sum() == pytest.approx(total[column], rel=1e-9, abs=1e-6)
    # every tonne is in exactly one of the three (interim operations in neither class)
    assert table["recovered"].add(table["disposed"]).add(table["preliminary"]).sum() == (
        pytest.approx(2 * frame["value"].sum(), rel=1e-9, abs=1e-6)
    )
