"""tester-cities3 defect 4 on the command line: Ma'anshan's blast furnace closed. Without a
mark, the cement plant stops for its ground slag (0.6 of a 4.87 Mt intake) and the brick
makers with it, and shock and criticality say that a minor input decides it; with the slag
marked substitutable (a flows.csv column, or [[mark_flow]] in a scenario), both run on."""

import csv
import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from symbiosis.cli import app

MAANSHAN = Path(__file__).parents[1] / "data" / "maanshan"
runner = CliRunner()


def invoke(*args):
    return runner.invoke(app, [str(a) for a in args])


def marked(tmp_path: Path, cell: str = "yes") -> Path:
    """Ma'anshan with a substitutable column: ``cell`` on the GGBS -> CEMENT row."""
    folder = tmp_path / "maanshan"
    folder.mkdir()
    shutil.copy(MAANSHAN / "firms.csv", folder / "firms.csv")
    with open(MAANSHAN / "flows.csv", encoding="utf-8", newline="") as file:
        rows = list(csv.reader(file))
    rows[0].append("substitutable")
    for row in rows[1:]:
        row.append(cell if (row[0], row[1]) == ("GGBS", "CEMENT") else "")
    with open(folder / "flows.csv", "w", encoding="utf-8", newline="") as file:
        csv.writer(file).writerows(rows)
    return folder


def shock_json(folder: Path) -> dict:
    result = invoke("shock", folder, "--firm", "BF", "--change", "-1", "-f", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def kept(data: dict, firm: str) -> float | None:
    rows = [r for r in data["firms"] if r["firm"] == firm and r["dimension"] == "mass"]
    return rows[0]["output_factor"] if rows else None


def test_without_the_mark_the_cement_plant_stops_and_the_result_is_flagged():
    data = shock_json(MAANSHAN)
    assert kept(data, "CEMENT") == 0.0 and kept(data, "BRICK") == 0.0
    said = [w for w in data["warnings"] if w.startswith("'CEMENT' ")]
    assert len(said) == 1 and said[0].startswith(
        "'CEMENT' keeps 0.0 % of its output, limited by ground granulated blast furnace slag, "
        "12.3 % of its recorded mass input (600,000 of 4,870,000 t/yr; from GGBS, row 127 "
        "of the flows)"
    )
    text = invoke("shock", MAANSHAN, "--firm", "BF", "--change", "-1")
    assert text.exit_code == 0
    assert "warning: 'CEMENT' keeps 0.0 % of its output, limited by ground" in text.output
    assert "made up" not in text.stdout  # no input marked: no such column


def test_with_the_slag_marked_the_cement_plant_and_the_brick_makers_run_on(tmp_path):
    folder = marked(tmp_path)
    data = shock_json(folder)
    cement = next(r for r in data["firms"] if r["firm"] == "CEMENT" and r["dimension"] == "mass")
    # what is left is the 300 kt of slag it takes straight from the furnace, a by-product
    # counted by its share of the plant's 6.15 Mt throughflow, as the model documents
    share = 1 - 300_000 / 6_150_000
    assert cement["output_factor"] == pytest.approx(share)
    assert cement["limited_by"] == "by-products and wastes taken (mass)"
    assert cement["input_substituted"] == pytest.approx(600_000 * share)  # what it still needs
    # the brick makers get all their cement: the plant cuts its market sales first
    assert kept(data, "BRICK") is None
    assert kept(data, "BOF") == 0.0  # the hot metal stays necessary
    assert not [w for w in data["warnings"] if "'CEMENT'" in w or "'BRICK'" in w]
    text = invoke("shock", folder, "--firm", "BF", "--change", "-1", "--top", "40")
    assert text.exit_code == 0
    assert "made up" in text.stdout and "Made up: what an actor lost" in text.stdout


def test_criticality_follows_the_mark_and_flags_the_minor_inputs(tmp_path):
    def first(folder):
        result = invoke("criticality", folder, "-f", "json")
        assert result.exit_code == 0, result.output
        data = json.loads(result.stdout)
        return next(r for r in data["firms"] if r["firm"] == "BF"), data["warnings"]

    plain, warned = first(MAANSHAN)
    assert {"CEMENT", "BRICK"} <= set(plain["cut_off"])
    assert any(w.startswith("'CEMENT' is counted as cut off when it loses ground") for w in warned)
    bf, warned = first(marked(tmp_path))
    assert bf["cut_off"] == ["BOF", "HROLL", "CROLL", "SLAGPROC", "GGBS"]
    assert not [w for w in warned if w.startswith("'CEMENT'")]
    text = invoke("criticality", MAANSHAN, "--top", "3")
    assert "warning: 'CEMENT' is counted as cut off" in text.output


def test_a_scenario_marks_the_flow_without_editing_the_files(tmp_path):
    shock = '[[shock]]\nfirm = "BF"\nchange = -1\n'
    closed = tmp_path / "closed.toml"
    closed.write_text(shock, encoding="utf-8")
    blended = tmp_path / "blended.toml"
    blended.write_text(
        '[[mark_flow]]\nsource = "GGBS"\ntarget = "CEMENT"\n'
        'material = "ground granulated blast furnace slag"\nsubstitutable = true\n\n' + shock,
        encoding="utf-8",
    )
    result = invoke("scenario", MAANSHAN, closed, blended, "-f", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    after = [s["after"]["values"]["all"]["actors"] for s in data["scenarios"]]
    # 27 actors; closed: BF and 7 more stop; blended: CEMENT and BRICK run on
    assert (data["before"]["values"]["all"]["actors"], *after) == (27, 19, 21)
    text = invoke("scenario", MAANSHAN, closed, blended)
    assert f"{closed}:1: [[shock]]: 'CEMENT' keeps 0.0 % of its output" in text.output
    assert f"{blended}:7: [[shock]]: 'CEMENT'" not in text.output


def test_a_bad_mark_is_refused_at_its_row(tmp_path):
    folder = marked(tmp_path, "perhaps")
    result = invoke("shock", folder, "--firm", "BF", "--change", "-1")
    assert result.exit_code == 2
    assert "flows.csv:127: substitutable: 'perhaps' is not yes or no; write yes" in result.output
