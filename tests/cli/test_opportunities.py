"""``symbiosis opportunities`` and the ``opportunities`` section of ``analyze``."""

from __future__ import annotations

import io
import json
import tomllib

import pandas as pd
import pytest
from typer.testing import CliRunner

import symbiosis
from symbiosis import edits as ed
from symbiosis.analysis.reuse import reuse_accounts
from symbiosis.cli import app
from symbiosis.examples import example_path

runner = CliRunner()
TONGLING = str(example_path("tongling"))


def run(*args: str):
    result = runner.invoke(app, ["opportunities", *args])
    assert "Traceback" not in result.output
    return result


def test_text_lists_groups_sources_plants_and_the_caveat():
    result = run(TONGLING, "--top", "3", "--quiet")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "Candidates for study, not verified exchanges" in out
    assert "Streams disposed or emitted" in out
    assert "Residues sold raw out of the network" in out
    assert "Early-stage products leaving the network" in out
    assert "New plants (chain extension), by sector" in out
    assert "plasterboard" in out and "1,511,000 t/yr" in out
    assert "If the" in out and "reuse share" in out
    assert "heat-district" in out  # the catalogue row behind an opportunity is named


def test_json_is_valid_and_complete():
    result = run(TONGLING, "--format", "json", "--top", "2", "--quiet")
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert {o["group"] for o in payload["opportunities"]} == {"dumped", "sold", "downstream"}
    assert all(o["evidence"][0]["source"] for o in payload["opportunities"])
    assert payload["cumulative"]["applied"]
    assert payload["parameters"]["top"] == 2


def test_csv_holds_every_candidate():
    result = run(TONGLING, "--format", "csv", "--quiet")
    assert result.exit_code == 0
    table = pd.read_csv(io.StringIO(result.stdout))
    assert len(table) > 50
    assert {"kind", "source", "material", "target", "pathway", "rule"} <= set(table.columns)


def test_filters_and_max_distance():
    result = run(TONGLING, "--format", "csv", "--kind", "new_plant", "--fate", "emitted", "-q")
    table = pd.read_csv(io.StringIO(result.stdout))
    assert set(table["kind"]) == {"new_plant"} and set(table["fate"]) == {"emitted"}
    near = pd.read_csv(io.StringIO(run(TONGLING, "--format", "csv", "--max-distance", "3",
                                       "-q").stdout))  # fmt: skip
    assert (near["distance_km"].dropna() <= 3).all()


def test_scenario_file_applies_to_the_cumulative_effect(tmp_path):
    out = tmp_path / "top.toml"
    result = run(TONGLING, "--scenario", str(out), "--format", "json", "--quiet")
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    edits = ed.edits_from_tables(tomllib.loads(out.read_text(encoding="utf-8")))
    after = ed.apply(symbiosis.load(TONGLING), edits)
    expected = payload["cumulative"]["reuse_share"]["mass"]["after"]
    assert reuse_accounts(after)["mass"]["reuse_share"] == pytest.approx(expected)


def test_user_catalogue_and_bad_options(tmp_path):
    mine = tmp_path / "mine.csv"
    mine.write_text("id,material,receiving_sector,source\nx,carbon dioxide,cement,my study\n")
    result = run(TONGLING, "--catalogue", str(mine), "--replace-catalogue", "--format", "csv",
                 "-q")  # fmt: skip
    table = pd.read_csv(io.StringIO(result.stdout))
    assert set(table["pathway"].dropna()) == {"x"}
    bad = run(TONGLING, "--replace-catalogue")
    assert bad.exit_code == 2 and "needs a catalogue file" in bad.stderr
    assert run(TONGLING, "--top", "-1").exit_code == 2
    assert run(TONGLING, "--kind", "teleport").exit_code == 2
    assert run().exit_code == 2


def test_analyze_has_an_opportunities_section():
    result = runner.invoke(app, ["analyze", TONGLING, "--format", "json", "--quiet"])
    assert result.exit_code == 0, result.output
    section = json.loads(result.stdout)["opportunities"]
    assert section["parameters"]["top"] == 10
    assert section["plants"]
