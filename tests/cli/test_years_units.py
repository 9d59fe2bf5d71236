"""--year all: every quantity is a total over the years, and its unit says so (text, HTML,
JSON): "t over 3 years", not "t/yr" (the command warned that they were totals, but every
label still said per year). One year's outputs keep "t/yr", and so do the trends (each
year's figures)."""

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from symbiosis.cli import app

YEARS = Path(__file__).parents[2] / "examples" / "years"
runner = CliRunner()
#: What the catalogue says of a real plant (a source's text, not a unit of the network).
CATALOGUE_TEXT = "42 kt/yr satellite PCC plant"


def invoke(*args):
    result = runner.invoke(app, [str(a) for a in args])
    assert "Traceback" not in result.output
    assert result.exit_code == 0, result.output
    return result


def two_years(tmp_path: Path) -> Path:
    """A hand-made park of two years: A sends B slag and landfills ash, each year."""
    folder = tmp_path / "park"
    folder.mkdir()
    (folder / "firms.csv").write_text("id,role\nA,firm\nB,firm\nLF,landfill\n")
    (folder / "flows.csv").write_text(
        "source,target,material,quantity,unit,category,year\n"
        "A,B,slag,100,t,by-product,2020\nA,LF,ash,10,t,waste,2020\n"
        "A,B,slag,200,t,by-product,2021\nA,LF,ash,20,t,waste,2021\n"
    )
    return folder


def per_year_units(text: str) -> list[str]:
    """The '/yr' units in ``text`` but the catalogue's own words."""
    return re.findall(r"\w+/yr", text.replace(CATALOGUE_TEXT, ""))


def test_json_units_say_a_total_over_the_years():
    data = json.loads(invoke("analyze", YEARS, "--year", "all", "-f", "json", "-q").stdout)
    over = {"mass": "t over 3 years", "energy": "GJ over 3 years"}
    for section in ("summary", "reuse", "structure", "opportunities", "loops"):
        assert data[section]["units"] == over, section
    for section in ("reuse", "cycling", "balance"):
        units = {d: block["unit"] for d, block in data[section]["dimensions"].items()}
        assert units == over, section
    # a year's figures: per year, as before
    data = json.loads(invoke("analyze", YEARS, "-f", "json", "-q").stdout)
    assert data["reuse"]["units"] == {"mass": "t/yr", "energy": "GJ/yr"}


def test_text_headline_and_tables_say_a_total_over_the_years():
    text = invoke("analyze", YEARS, "--year", "all", "-q").stdout
    before_trends = text.split("Headline indicators per year")[0]
    assert "kt over 3 years  disposed (mass)" in before_trends
    assert "Mt over 3 years" in before_trends
    assert per_year_units(before_trends) == []
    trends = text.split("Headline indicators per year")[1]
    assert "t/yr" in trends and "over 3 years" not in trends  # each year's figures
    latest = invoke("analyze", YEARS, "-q").stdout
    assert "over 3 years" not in latest and "kt/yr  disposed (mass)" in latest


def test_html_report_says_a_total_over_the_years(tmp_path):
    invoke("report", YEARS, "--year", "all", "--out", tmp_path / "all.html", "-q")
    page = (tmp_path / "all.html").read_text(encoding="utf-8")
    assert "(t over 3 years)" in page  # the headline table's unit
    assert re.search(r"\d kt over 3 years", page)  # the cards and cells
    trends = page[page.index('id="section-trends"') :]
    body = page[: page.index('id="section-trends"')].split("<body", 1)[1]
    # the network view's page (its own document) gives a flow's own quantity, per year
    body = re.sub(r'srcdoc="[^"]*"', "", re.sub(r"<script.*?</script>", "", body, flags=re.S))
    assert per_year_units(body) == []
    assert "Mt/yr" in trends  # the trends charts: each year's
    invoke("report", YEARS, "--out", tmp_path / "latest.html", "-q")
    assert "over 3 years" not in (tmp_path / "latest.html").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("command", "extra"),
    [
        ("reuse", []),
        ("balance", []),
        ("structure", []),
        ("shock", ["--firm", "A", "--change", "-1"]),
    ],
)
def test_a_hand_made_park_of_two_years_added_up_says_so(tmp_path, command, extra):
    park = two_years(tmp_path)
    text = invoke(command, park, *extra, "--year", "all", "-q").stdout
    assert "t over 2 years" in text
    assert per_year_units(text) == []
    one = invoke(command, park, *extra, "--year", "2021", "-q").stdout
    assert "over 2 years" not in one and "t/yr" in one


def test_compare_of_every_year_says_a_total_over_them(tmp_path):
    park = two_years(tmp_path)
    data = json.loads(invoke("compare", park, park, "--year", "all", "-f", "json", "-q").stdout)
    units = {r["unit"] for r in data["indicators"] if r["unit"]}
    assert units == {"t over 2 years"}
    # sides of different numbers of years: each side's total over its own years
    one = tmp_path / "one"
    one.mkdir()
    (one / "firms.csv").write_text((park / "firms.csv").read_text())
    flows = (park / "flows.csv").read_text().splitlines()
    (one / "flows.csv").write_text("\n".join(flows[:3]) + "\n")
    data = json.loads(invoke("compare", park, one, "--year", "all", "-f", "json", "-q").stdout)
    units = {r["unit"] for r in data["indicators"] if r["unit"]}
    assert units == {"t (each network's total over its years)"}
    assert {f["unit"] for f in data["flows"]["changed"]} == units
