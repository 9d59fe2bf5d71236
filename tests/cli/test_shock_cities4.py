"""tester-cities4's shock and criticality cases, on its 2022 networks of Kaiyang (phosphate)
and Baotou (tests/data/resource_cities/kaiyang_2022, baotou_2022): items 5, 6 and 12."""

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from symbiosis.cli import app

CITIES = Path(__file__).parents[1] / "data" / "resource_cities"
KAIYANG, BAOTOU = CITIES / "kaiyang_2022", CITIES / "baotou_2022"
runner = CliRunner()


def shock(folder, firm, *options):
    """The shock's JSON: its output factors in mass by firm, its flows, its warnings."""
    result = runner.invoke(app, ["shock", str(folder), "--firm", firm, "--change", "-1",
                                 "-f", "json", *options])  # fmt: skip
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    kept = {r["firm"]: r["output_factor"] for r in data["firms"] if r["dimension"] == "mass"}
    return kept, data


def test_bayan_obo_closed_leaves_the_steelworks_its_imported_ore():
    """The sinter plant's 5.6 Mt of concentrate and 12 Mt of imported ore fines are one
    material (iron ore): it keeps 12 / 17.6, and so do the furnace and the converter."""
    kept, _ = shock(BAOTOU, "BYO")
    assert kept["SINTER"] == pytest.approx(12 / 17.6)
    assert kept["BF"] == pytest.approx(12 / 17.6) and kept["BOF"] == pytest.approx(12 / 17.6)
    assert kept["CONC"] == 0.0


def test_the_mine_keeps_extracting_when_its_backfill_falls():
    """Without the sulfur-burning acid plant the backfill station gets less phosphogypsum;
    the mine, an origin, keeps its output (it lost 32.2 %); the fluorine plant, fed on
    fluosilicic acid, runs as the phosphoric acid plant does (it kept 44.7 %)."""
    kept, _ = shock(KAIYANG, "SA_SULF")
    assert kept.get("KY_MINE", 1.0) == 1.0
    assert kept["PACID"] == pytest.approx(0.275)
    assert kept["FLUOR"] == pytest.approx(0.275)
    kept, _ = shock(KAIYANG, "KY_MINE")
    assert kept["FLUOR"] == 0.0  # it kept 94.4 % of its input's worth without the acid


def test_the_second_mine_s_market_rock_is_named_and_redirected_on_request():
    kept, data = shock(KAIYANG, "KY_MINE")
    assert kept["YP"] == pytest.approx(0.5)
    said = [w for w in data["warnings"] if w.startswith("'YP' keeps 50.0 %")]
    assert "by 'XF_MINE', which supplies it; to MKT" in said[0]
    assert "--rationing redirect" in said[0]
    kept, data = shock(KAIYANG, "KY_MINE", "--rationing", "redirect")
    assert kept.get("YP", 1.0) == 1.0  # no longer hit
    grown = [f for f in data["flows"] if f["retained"] > 1]
    assert [(f["source"], f["target"], f["value_after"]) for f in grown] == [
        ("XF_MINE", "YP", pytest.approx(800_000))
    ]
    assert data["rationing"] == "redirect"
    # the acid plant's 200 kt sold outside go to the phosphoric acid plant
    kept, _ = shock(KAIYANG, "SA_SULF", "--rationing", "redirect")
    assert kept["PACID"] == pytest.approx(750 / 2000)
    text = runner.invoke(app, ["shock", str(KAIYANG), "--firm", "KY_MINE", "--change", "-1",
                               "--rationing", "redirect", "-q"]).stdout  # fmt: skip
    assert "Flows that grow (1)" in text and "redirected" in text


def test_criticality_counts_a_removed_mine_s_waste_as_lost_not_as_gone():
    result = runner.invoke(app, ["criticality", str(BAOTOU), "-f", "json", "-q"])
    firms = {f["firm"]: f for f in json.loads(result.stdout)["firms"]}
    mine = firms["BYO"]
    assert mine["reuse_share_change_mass"] > 0.03  # its waste rock left the denominator
    assert mine["reuse_lost_mass"] == 0  # none of its residues is reused
    assert "SINTER" not in mine["cut_off"]  # imported ore
    # the slag-powder plant no longer ranks second: the furnaces' own reused slag counts
    assert firms["GGBS"]["rank"] > firms["BF"]["rank"]
    result = runner.invoke(app, ["criticality", str(KAIYANG), "-f", "json", "-q"])
    firms = json.loads(result.stdout)["firms"]
    assert firms[0]["firm"] == "BACKFILL"  # every loop closes through it
    assert max(firms, key=lambda f: f["reuse_lost_mass"])["firm"] == "PACID"
