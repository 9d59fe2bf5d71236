"""A year of several: an actor with no flow that year (a plant built later) is no receiver
of opportunities, and a note says so once (tester-cities4 #11: with --year 2015, Kaiyang's
phosphogypsum building-materials park, built in 2022, was offered 10 candidates, one of
3.34 Mt unsized)."""

from __future__ import annotations

import io
import json

import pandas as pd
import pytest
from typer.testing import CliRunner

from symbiosis import load, select_year
from symbiosis.analysis.opportunities import count_opportunities, find_opportunities
from symbiosis.analysis.trends import split_years
from symbiosis.analysis.years import idle_actors
from symbiosis.cli import app

runner = CliRunner()

# the power plant dumps fly ash both years; the cement works CEM runs both years, the
# brick works BRK (a fly-ash taker's sector) only from 2022
FLOWS = [
    ("PP", "DUMP", "fly ash", "waste", 100, "t", 2015),
    ("PP", "DUMP", "fly ash", "waste", 60, "t", 2022),
    ("PP", "MKT", "electricity", "product", 50, "MWh", 2015),
    ("PP", "MKT", "electricity", "product", 50, "MWh", 2022),
    ("CEM", "MKT", "cement", "product", 300, "t", 2015),
    ("CEM", "MKT", "cement", "product", 300, "t", 2022),
    ("PP", "BRK", "fly ash", "by-product", 40, "t", 2022),
    ("BRK", "MKT", "bricks", "product", 90, "t", 2022),
]
FIRMS = [
    ("PP", "firm", "power generation", 26.0, 107.0),
    ("CEM", "firm", "cement", 26.1, 107.1),
    ("BRK", "firm", "bricks", 26.05, 107.05),
    ("PLAN", "firm", "bricks", 26.2, 107.2),  # in no flow of any year: a firm listed so
    ("DUMP", "disposal", "", None, None),
    ("MKT", "market", "", None, None),
]
NOTE = (
    "1 actor(s) have flows in other years but none in 2015 ('BRK'): taken as not running "
    "in 2015 (built later, or closed), they are proposed as receivers of no opportunity"
)


@pytest.fixture
def folder(tmp_path):
    columns = ["source", "target", "material", "category", "quantity", "unit", "year"]
    pd.DataFrame(FLOWS, columns=columns).to_csv(tmp_path / "flows.csv", index=False)
    columns = ["id", "role", "sector", "lat", "lon"]
    pd.DataFrame(FIRMS, columns=columns).to_csv(tmp_path / "firms.csv", index=False)
    return tmp_path


def _targets(folder, *options) -> set[str]:
    result = runner.invoke(app, ["opportunities", str(folder), "-q", "-f", "csv", *options])
    assert result.exit_code == 0, result.output
    return set(pd.read_csv(io.StringIO(result.stdout))["target"])


def test_an_actor_without_flows_that_year_is_no_receiver(folder):
    assert "BRK" in _targets(folder)  # 2022, the latest: it runs
    assert "CEM" in _targets(folder, "--year", "2015")
    assert "BRK" not in _targets(folder, "--year", "2015")  # built in 2022
    assert "PLAN" in _targets(folder, "--year", "2015")  # as in a network without years
    assert "BRK" in _targets(folder, "--year", "all")  # in flows of the years added up


def test_the_note_is_said_once(folder):
    result = runner.invoke(app, ["opportunities", str(folder), "--year", "2015"])
    assert result.exit_code == 0, result.output
    said = " ".join(result.stderr.split())
    assert said.count(NOTE) == 1, said
    assert (
        "actor(s) have flows in other years"
        not in runner.invoke(app, ["opportunities", str(folder)]).stderr
    )  # every actor has a flow in 2022


def test_library_year_cut_and_trends_agree(folder):
    network = load(folder)
    year = select_year(network, 2015)
    assert NOTE in year.warnings
    assert list(network.core.ids[idle_actors(year)]) == ["BRK"]
    assert not idle_actors(network).any()  # the years added up: BRK has flows
    assert "BRK" not in set(find_opportunities(year, top=0, impact=False).table["target"])
    # the trends' year of 2015 counts the same candidates as the year cut
    split = split_years(network).networks[2015]
    assert count_opportunities(split) == count_opportunities(year)
    # the trends' actors of 2015 (those with a flow) are the receivers the year has; the
    # summary counts the firms table's actors, the idle one too, as before
    trends = json.loads(runner.invoke(app, ["trends", str(folder), "-q", "-f", "json"]).stdout)
    actors = {y["year"]: y["values"]["all"]["actors"] for y in trends["per_year"]}
    assert actors == {2015: 2, 2022: 3}  # PLAN in no flow: counted in neither
    analyzed = runner.invoke(
        app, ["analyze", str(folder), "--year", "2015", "-q", "-f", "json", "-s", "summary"]
    )
    summary = json.loads(analyzed.stdout)["summary"]
    assert summary["actors"] == 4
