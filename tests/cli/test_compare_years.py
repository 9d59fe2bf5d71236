"""symbiosis compare on flows of several years: the latest year of each side by default,
with the note the other commands give; --year as they take it; the year of each side
said when they differ (it added every year up, its totals sums over the years)."""

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from symbiosis.cli import app

YEARS = Path(__file__).parents[2] / "examples" / "years"
runner = CliRunner()
FIRMS = "id,role\nA,firm\nB,firm\nLF,landfill\n"


def invoke(*args):
    result = runner.invoke(app, [str(a) for a in args])
    assert "Traceback" not in result.output
    return result


def said(text: str) -> str:
    return " ".join(text.split())


def park(folder: Path, rows: dict[int, float]) -> Path:
    """A two-firm park whose A sends B's slag to landfill: ``rows`` gives the tonnes of
    each year (one flow of slag to B and one of ash to landfill a year)."""
    folder.mkdir()
    (folder / "firms.csv").write_text(FIRMS)
    lines = ["source,target,material,quantity,unit,category,year"]
    for year, tonnes in rows.items():
        lines += [
            f"A,B,slag,{tonnes},t,by-product,{year}",
            f"A,LF,ash,{tonnes / 10},t,waste,{year}",
        ]
    (folder / "flows.csv").write_text("\n".join(lines) + "\n")
    return folder


def indicator(data: dict, dimension: str, name: str) -> dict:
    return next(
        r for r in data["indicators"] if (r["dimension"], r["indicator"]) == (dimension, name)
    )


def per_year_disposed() -> dict[int, float]:
    trends = json.loads(invoke("trends", YEARS, "-f", "json", "-q").stdout)["per_year"]
    return {year["year"]: year["values"]["mass"]["disposed"] for year in trends}


def test_compare_takes_the_latest_year_of_each_network_and_says_so():
    result = invoke("compare", YEARS, YEARS, "-f", "json")
    assert result.exit_code == 0, result.output
    disposed = indicator(json.loads(result.stdout), "mass", "disposed")
    assert disposed["a"] == disposed["b"] == per_year_disposed()[2021]  # was 2019 + 2020 + 2021
    stderr = said(result.stderr)
    # the same note as the other commands, once for the two sides of the same years
    assert stderr.count("the figures are for 2021, the latest year, and its flows alone") == 1
    assert "--year YEAR takes another year" in stderr
    assert "are added up" not in stderr
    notes = json.loads(result.stdout)["notes"]
    assert f"{YEARS} and {YEARS}: the figures are for 2021 (latest of 2019-2021)" in notes


@pytest.mark.parametrize("year", ["2019", "2020"])
def test_compare_takes_the_year_asked_of_both(year):
    result = invoke("compare", YEARS, YEARS, "--year", year, "-f", "json")
    assert result.exit_code == 0, result.output
    disposed = indicator(json.loads(result.stdout), "mass", "disposed")
    assert disposed["a"] == disposed["b"] == per_year_disposed()[int(year)]
    assert f"the figures are for {year} and its flows alone" in said(result.stderr)


def test_compare_adds_every_year_up_on_request():
    result = invoke("compare", YEARS, YEARS, "--year", "all", "-f", "json", "-q")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert indicator(data, "mass", "disposed")["a"] == pytest.approx(
        sum(per_year_disposed().values())
    )
    assert any("compare adds them up" in note for note in data["notes"])


def test_sides_of_different_years_each_say_their_year(tmp_path):
    a = park(tmp_path / "a", {2019: 100, 2020: 200})
    b = park(tmp_path / "b", {2021: 300, 2022: 400})
    result = invoke("compare", a, b, "-f", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    # the latest year of each: 200 t of slag in A, 400 t in B, not 300 and 700
    changed = data["flows"]["changed"]
    assert {(f["material"], f["a"], f["b"]) for f in changed} == {
        ("ash", 20, 40),
        ("slag", 200, 400),
    }
    assert (
        f"different years: the figures of {a} are for 2020 (latest of 2019-2020), those of "
        f"{b} for 2022 (latest of 2021-2022)" in data["notes"]
    )
    stderr = said(result.stderr)
    assert (
        f"{a}: flows of 2 years (2019, 2020): the figures are for 2020, the latest year" in stderr
    )
    assert (
        f"{b}: flows of 2 years (2021, 2022): the figures are for 2022, the latest year" in stderr
    )
    text = invoke("compare", a, b, "-q")
    assert f"different years: the figures of {a} are for 2020" in said(text.stdout)


def test_a_side_of_one_year_or_none_is_compared_as_it_is(tmp_path):
    a = park(tmp_path / "a", {2019: 100, 2020: 200})
    b = park(tmp_path / "b", {2020: 250})
    result = invoke("compare", a, b, "-f", "json", "-q")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    slag = next(f for f in data["flows"]["changed"] if f["material"] == "slag")
    assert (slag["a"], slag["b"]) == (200, 250)
    assert (
        f"the figures of {a} are for 2020 (latest of 2019-2020), those of {b} for 2020 "
        "(its one year)" in said(" ".join(data["notes"]))
    )


def test_a_year_one_side_lacks_is_refused_naming_that_side(tmp_path):
    a = park(tmp_path / "a", {2019: 100, 2020: 200})
    b = park(tmp_path / "b", {2020: 300, 2021: 400})
    assert invoke("compare", a, b, "--year", "2020", "-q").exit_code == 0
    result = invoke("compare", a, b, "--year", "2021")
    assert result.exit_code == 2
    assert said(result.stderr) == (
        f"error: {a}: --year must be a year of the flows (2019, 2020), 'latest' or 'all'; got 2021"
    )
    assert result.stdout == ""
