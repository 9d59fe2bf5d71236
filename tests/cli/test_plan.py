"""``symbiosis opportunities --plan``: the optimal allocation printed, as JSON and CSV, and
written as a scenario file that ``symbiosis scenario`` reads back."""

from __future__ import annotations

import io
import json
import shutil
import tomllib

import pandas as pd
import pytest
from typer.testing import CliRunner

import symbiosis
from symbiosis import edits as ed
from symbiosis.analysis.reuse import reuse_accounts
from symbiosis.cli import app
from symbiosis.examples import example_path

from .test_opportunities import HOSTILE, _hostile_network, assert_terminal_safe

runner = CliRunner()
TONGLING = str(example_path("tongling"))


def run(*args: str):
    result = runner.invoke(app, ["opportunities", *map(str, args)])
    assert "Traceback" not in result.output
    return result


def test_plan_prints_its_exchanges_and_totals():
    result = run(TONGLING, "--plan", "--top", "2", "--quiet")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "Optimal allocation" in out and "Planned exchanges" in out
    assert "phosphogypsum" in out and "district heating" in out  # a plant of no known size
    assert "mass: " in out and "moved of" in out and "taken in rank order" in out
    assert "reuse share 28.3 % ->" in out
    assert "left out: 1 candidate(s) of unknown quantity" in out
    # the plan is beside the ranking, not instead of it
    assert "Streams disposed or emitted" in out
    assert "Optimal allocation" not in run(TONGLING, "--top", "2", "-q").stdout


def test_plan_in_json_and_csv():
    result = run(TONGLING, "--plan", "--format", "json", "--quiet")
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    plan = payload["plan"]
    assert plan["objective"] == "quantity" and plan["exchanges"]
    # the heat and the effluent go only to receivers of no capacity known (a new district
    # heating plant; the power plant, which takes no water in the table): left out
    assert set(plan["totals"]) == {"mass"} and plan["left_out"]["unbounded"] > 0
    assert not any(e["target"] == "NEW_DISTRICT_HEATING" for e in plan["exchanges"])
    mass = plan["totals"]["mass"]
    assert mass["moved"] >= mass["greedy_moved"] * (1 - 2e-5)
    assert plan["impact"]["reuse_share"]["mass"]["before"] == pytest.approx(0.2831, abs=1e-4)
    assert payload["opportunities"]  # the listed opportunities are still there
    assert "plan" not in json.loads(run(TONGLING, "--format", "json", "-q").stdout)

    csv = run(TONGLING, "--plan", "--format", "csv", "--quiet")
    assert csv.exit_code == 0, csv.output
    table = pd.read_csv(io.StringIO(csv.stdout))
    assert len(table) == len(plan["exchanges"])
    assert {"amount", "quantity", "target", "transport_cost", "net_value"} <= set(table.columns)


def test_plan_scenario_reads_back_with_symbiosis_scenario(tmp_path):
    out = tmp_path / "plan.toml"
    result = run(TONGLING, "--plan-scenario", out, "--format", "json", "--plan", "--quiet")
    assert result.exit_code == 0, result.output
    plan = json.loads(result.stdout)["plan"]
    edits = ed.edits_from_tables(tomllib.loads(out.read_text(encoding="utf-8")))
    after = reuse_accounts(ed.apply(symbiosis.load(TONGLING), edits))
    for dimension, shares in plan["impact"]["reuse_share"].items():
        assert after[dimension]["reuse_share"] == pytest.approx(shares["after"], abs=1e-12)
    scenario = runner.invoke(app, ["scenario", TONGLING, str(out), "--quiet"])
    assert scenario.exit_code == 0, scenario.output
    assert "Optimal allocation found by symbiosis" in scenario.stdout
    # without --plan the file is written and said so, the plan is not printed
    other = tmp_path / "again.toml"
    text = run(TONGLING, "--plan-scenario", other, "--top", "1", "-q")
    assert text.exit_code == 0, text.output
    assert "plan scenario written to" in text.stdout and "Planned exchanges" not in text.stdout
    assert other.read_text(encoding="utf-8") == out.read_text(encoding="utf-8")


def test_net_value_objective_with_economics_options():
    economics = ("--disposal-cost", "40", "--transport-rate", "0.3", "--currency", "CNY")
    result = run(TONGLING, "--plan", "--plan-objective", "net_value", *economics, "-f", "json")
    assert result.exit_code == 0, result.output
    plan = json.loads(result.stdout)["plan"]
    assert plan["objective"] == "net_value" and plan["transport_rate"] == {"mass": 0.3}
    assert plan["exchanges"] and all(e["net_value"] > 0 for e in plan["exchanges"])
    assert plan["left_out"]["unknown_value"] > 0  # no price column: sold streams unknown
    text = run(TONGLING, "--plan", "--plan-objective", "net_value", *economics, "-q")
    assert "net value" in text.stdout and "CNY/yr" in text.stdout
    ranked = run(TONGLING, "--rank-by", "net_value", "--disposal-cost", "40", "-q")
    assert ranked.exit_code == 0, ranked.output


def test_bad_plan_options_are_usage_errors(tmp_path):
    assert run(TONGLING, "--plan", "--transport-rate", "-1").exit_code == 2
    assert run(TONGLING, "--plan", "--plan-objective", "tonnes").exit_code == 2
    assert run(TONGLING, "--plan-scenario", "").exit_code == 2
    same = tmp_path / "same.toml"
    both = run(TONGLING, "--scenario", same, "--plan-scenario", same)
    assert both.exit_code == 2 and "--plan-scenario" in both.stderr and not same.exists()


def test_plan_scenario_never_replaces_an_input(tmp_path):
    folder = tmp_path / "net"
    shutil.copytree(TONGLING, folder)
    flows = folder / "flows.csv"
    before = flows.read_bytes()
    result = run(folder, "--plan-scenario", flows)
    assert result.exit_code == 2 and "--plan-scenario" in result.stderr
    assert flows.read_bytes() == before


def test_plan_text_is_terminal_safe(tmp_path):
    folder = _hostile_network(tmp_path / "net")
    out = tmp_path / "plan.toml"
    result = run(folder, "--plan", "--plan-scenario", out, "-q")
    assert result.exit_code == 0, result.output
    assert_terminal_safe(result.stdout + result.stderr)
    assert "Planned exchanges" in result.stdout
    assert "\\x1b]0;pwned" in result.stdout.replace("\n", "").replace(" ", "")
    edits = ed.edits_from_tables(tomllib.loads(out.read_text(encoding="utf-8")))
    # CE takes 5 t of fly ash: as much again of the 50 t it is proposed; the rest would go
    # to a new plant of no typical intake, which the plan leaves out (size unknown)
    targets = [e.to for e in edits if isinstance(e, ed.RedirectFlow)]
    assert targets == [f"CE{HOSTILE}"]
    assert "of no capacity known for the receiver (size unknown)" in result.stdout


def test_a_catalogue_receivers_intake_bounds_the_listing_and_the_plan(tmp_path):
    """One chemical plant took the whole of every CO2 stream proposed to it by a catalogue
    row (Tongling: 20.7 Mt to TGYH). Taking no CO2, it takes at most a typical plant's
    intake (the row's 80 kt), within as much again as its recorded intake, one room for
    every stream, said in the text and in JSON."""
    from tests.analysis.test_capacity import CO2_CATALOGUE, CO2_FIRMS, CO2_FLOWS

    CO2_FIRMS.to_csv(tmp_path / "firms.csv", index=False)
    CO2_FLOWS.to_csv(tmp_path / "flows.csv", index=False)
    (tmp_path / "mine.csv").write_text(CO2_CATALOGUE)
    common = [tmp_path, "--catalogue", tmp_path / "mine.csv", "--replace-catalogue", "-q"]
    text = run(*common, "--plan")
    assert text.exit_code == 0, text.output
    out = " ".join(text.stdout.split())
    assert out.count("any other actor takes at most as much again as it takes of the "
                     "stream's family now") == 2  # fmt: skip
    assert "an actor with no recorded intake in that dimension" in out
    payload = json.loads(run(*common, "--plan", "--format", "json").stdout)
    to_k = [o for o in payload["opportunities"] if o["target"] == "K"]
    assert len(to_k) == 2
    for o in to_k:
        detail = "as much again as its whole recorded intake"
        assert o["capacity"]["within"] == {"limit": 100_000, "source": "intake", "detail": detail}
        assert (o["capacity"]["limit"], o["capacity"]["source"]) == (80_000, "typical plant")
    planned = [e for e in payload["plan"]["exchanges"] if e["target"] == "K"]
    assert sum(e["amount"] for e in planned) == pytest.approx(80_000)
