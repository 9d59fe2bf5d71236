"""--year on every command that analyses one network: the latest year by default, with a
note; a year asked for; 'all' adds them up, as before; a year the flows lack, exit 2
(tester cities2, defect 5: "12.7 Mt/yr disposed" was the sum of three years)."""

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from symbiosis.cli import app

YEARS = Path(__file__).parents[2] / "examples" / "years"
runner = CliRunner()

#: Every command that analyses one network, with what it needs besides the network.
COMMANDS = {
    "analyze": [],
    "report": ["--out", "{tmp}/report.html"],
    "opportunities": [],
    "reuse": [],
    "balance": [],
    "structure": [],
    "loops": [],
    "shock": ["--firm", "STL", "--change", "-0.5"],
    "criticality": [],
    "scenario": [],
    "uncertainty": ["-n", "20", "--uncertainty", "0.1"],
    "reconcile": ["--uncertainty", "0.1"],
    "export": ["--html", "{tmp}/network.html"],
}


def invoke(*args):
    result = runner.invoke(app, [str(a) for a in args])
    assert "Traceback" not in result.output
    return result


def run(command, tmp_path, *more):
    extra = [a.format(tmp=tmp_path) for a in COMMANDS[command]]
    if command == "scenario":
        (tmp_path / "s.toml").write_text('[[shock]]\nfirm = "STL"\nchange = -0.5\n')
        extra = [tmp_path / "s.toml"]
    return invoke(command, YEARS, *extra, *more)


def disposed(*options) -> float:
    result = invoke("analyze", YEARS, "-f", "json", "-s", "reuse", "-q", *options)
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)["reuse"]["by_category"]
    return sum(r["disposed"] for r in rows if r["dimension"] == "mass")


def test_analyze_sums_the_latest_year_not_every_year():
    trends = json.loads(invoke("trends", YEARS, "-f", "json", "-q").stdout)["per_year"]
    by_year = {year["year"]: year["values"]["mass"]["disposed"] for year in trends}
    assert disposed() == by_year[2021]  # it was the sum of 2019, 2020 and 2021
    assert disposed("--year", "2019") == by_year[2019]
    assert disposed("--year", "all") == pytest.approx(sum(by_year.values()))


def test_opportunities_list_each_stream_once_with_the_year_said():
    result = invoke("opportunities", YEARS, "-f", "json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)["opportunities"]
    keys = [(r["source"], r["stream_target"], r["material"], r["target"]) for r in rows]
    assert len(keys) == len(set(keys))  # once per year, before
    assert "the figures are for 2021, the latest year" in result.stderr
    assert "--year all adds them all up" in result.stderr


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_takes_the_latest_year_and_says_so(command, tmp_path):
    result = run(command, tmp_path)
    assert result.exit_code == 0, result.output
    assert "the figures are for 2021, the latest year" in result.stderr
    assert "are added up" not in result.stderr


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_refuses_a_year_the_flows_lack(command, tmp_path):
    result = run(command, tmp_path, "--year", "2018")
    assert result.exit_code == 2, result.output
    assert (
        "error: --year must be a year of the flows (2019, 2020, 2021), 'latest' or 'all'; "
        "got 2018" in " ".join(result.stderr.split())
    )


@pytest.mark.parametrize("command", ["analyze", "reuse", "export"])
def test_all_years_added_up_on_request_with_the_warning(command, tmp_path):
    result = run(command, tmp_path, "--year", "all")
    assert result.exit_code == 0, result.output
    said = " ".join(result.stderr.split())
    assert "flows of 3 years (2019-2021) are added up" in said
    assert "each quantity is their total, labelled so (t over 3 years)" in said
    assert "the figures are for" not in said


def test_a_year_asked_of_flows_without_one_is_refused():
    result = invoke("reuse", "--example", "tongling", "--year", "2020")
    assert result.exit_code == 2
    assert "--year must be 'latest' or 'all': the flows have no year; got 2020" in " ".join(
        result.stderr.split()
    )
    assert invoke("reuse", "--example", "tongling", "--year", "all").exit_code == 0


def test_the_report_says_which_year_among_its_data_warnings(tmp_path):
    result = invoke("report", YEARS, "--out", tmp_path / "r.html", "--year", "2020", "-q")
    assert result.exit_code == 0, result.output
    page = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert "flows of 3 years (2019, 2020, 2021): the figures are for 2020" in page


def test_the_report_of_the_latest_year_keeps_the_trends_of_every_year():
    """A year's report still shows how it came about: the trends section of every year
    (the network's history), as `symbiosis trends` gives them, beside the latest year's
    figures."""
    report = json.loads(invoke("analyze", YEARS, "-f", "json", "-q").stdout)
    trends = json.loads(invoke("trends", YEARS, "-f", "json", "-q").stdout)
    assert [y["year"] for y in report["trends"]["per_year"]] == [2019, 2020, 2021]
    assert report["trends"]["per_year"] == trends["per_year"]
    latest = trends["per_year"][-1]["values"]["mass"]["disposed"]
    assert report["reuse"]["dimensions"]["mass"]["disposed"] == latest


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_validate_says_it_checks_every_year_and_the_commands_take_the_latest(fmt):
    """Tester cities3, defect 9: validate said the years "are added up: every sum and share
    is over all of them", which no command does unless asked (--year all)."""
    result = invoke("validate", YEARS, "-f", fmt)
    assert result.exit_code == 0, result.output
    said = " ".join(result.stderr.split())
    assert "are added up" not in said
    assert (
        "flows.csv: flows of 3 years (2019, 2020, 2021): validate checks the flows of every "
        "year; the commands that analyse one network take the latest year, 2021, unless "
        "--year says otherwise (--year all adds the years up), and 'symbiosis trends' gives "
        "each year" in said
    )
    if fmt == "json":
        (warning,) = [w for w in json.loads(result.stdout)["warnings"] if "years" in w]
        assert "validate checks the flows of every year" in warning
