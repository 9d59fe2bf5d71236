"""The recovery rate in the trends and in compare: a register network (flows with a waste
code and an operation, as ``register import`` writes them) gets it per year, equal to
the ``all`` row of the ``recovery`` section; other networks have no such row (tester-areas8:
``trends`` on a register network had no recovery rate)."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

import symbiosis
from symbiosis.analysis.compare import compare
from symbiosis.analysis.recovery import overall_recovery_rate, recovery_rates
from symbiosis.analysis.trends import trends
from symbiosis.analysis.years import select_year
from symbiosis.cli import app
from symbiosis.export.report_trends import trends_page_html

from .test_recovery import network

YEARS = Path(__file__).parents[2] / "examples" / "years"
runner = CliRunner()


def _all_rows(net):
    table = recovery_rates(net).table
    rows = table[table["chapter"] == "all"]
    return dict(zip(rows["year"], rows["recovery_rate"], strict=True))


def test_each_year_has_the_recovery_rate_of_its_flows():
    net = network()
    found = trends(net)
    expected = _all_rows(net)  # 2019: 10.5 / 30.5; 2020: 7 / 14 (interim ones in neither)
    assert expected == pytest.approx({2019: 10.5 / 30.5, 2020: 0.5})
    for year, indicators in zip(found.years, found.indicators, strict=True):
        assert indicators.value("mass", "recovery_rate") == pytest.approx(expected[year])
    frame = found.to_frame()
    assert list(frame.loc[("mass", "recovery_rate")][["2019", "2020"]]) == pytest.approx(
        [10.5 / 30.5, 0.5]
    )
    assert frame.loc[("mass", "recovery_rate"), "unit"] == ""  # a share
    per_year = found.to_dict()["per_year"]
    assert [y["values"]["mass"]["recovery_rate"] for y in per_year] == pytest.approx(
        [10.5 / 30.5, 0.5]
    )
    # a share only of mass: the energy flow (waste heat in GJ) gets no such row
    assert ("energy", "recovery_rate") not in frame.index


def test_a_network_without_the_register_columns_has_no_recovery_row():
    plain = symbiosis.load(YEARS)
    assert overall_recovery_rate(plain) is None
    found = trends(plain)
    assert "recovery_rate" not in found.to_frame().index.get_level_values("indicator")
    assert all("recovery_rate" not in y["values"].get("mass", {})
               for y in found.to_dict()["per_year"])  # fmt: skip
    page = trends_page_html(plain, found.to_dict())
    assert "recovery rate" not in page


def test_compare_sets_the_rates_side_by_side():
    net = network()
    result = compare(select_year(net, 2019), select_year(net, 2020))
    row = result.to_frame().loc[("mass", "recovery_rate")]
    assert (row["a"], row["b"], row["difference"]) == pytest.approx(
        (10.5 / 30.5, 0.5, 0.5 - 10.5 / 30.5)
    )
    # beside a network without the columns: one mass row, no rate made up for energy
    other = compare(select_year(net, 2020), select_year(symbiosis.load(YEARS), 2021))
    frame = other.to_frame()
    rows = frame[frame.index.get_level_values("indicator") == "recovery_rate"]
    assert list(rows.index) == [("mass", "recovery_rate")]
    assert rows.iloc[0]["a"] == pytest.approx(0.5) and pd.isna(rows.iloc[0]["b"])
    listed = [r for r in other.to_dict()["indicators"] if r["indicator"] == "recovery_rate"]
    assert [(r["dimension"], r["b"], r["difference"]) for r in listed] == [("mass", None, None)]


def test_the_commands_show_the_rate(tmp_path):
    folder = tmp_path / "register"
    folder.mkdir()
    net = network()
    net.firms.reset_index().to_csv(folder / "firms.csv", index=False)
    columns = ["source", "target", "material", "quantity", "unit", "category", "year",
               "waste_code", "operation"]  # fmt: skip
    net.flows[columns].to_csv(folder / "flows.csv", index=False)
    text = runner.invoke(app, ["trends", str(folder), "-q"])
    assert text.exit_code == 0, text.output
    line = next(line for line in text.stdout.splitlines() if "recovery rate" in line)
    assert line.startswith("mass")
    assert [cell.strip() for cell in line.split("│")[-2:]] == ["34.4 %", "50.0 %"]
    data = json.loads(runner.invoke(app, ["trends", str(folder), "-q", "-f", "json"]).stdout)
    assert data["per_year"][1]["values"]["mass"]["recovery_rate"] == 0.5
    page = tmp_path / "trends.html"
    assert runner.invoke(app, ["trends", str(folder), "-q", "--html", str(page)]).exit_code == 0
    assert "recovery rate" in page.read_text()  # a line of the shares chart, and the table
