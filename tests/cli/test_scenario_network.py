"""symbiosis scenario --network DIR: the edited network written as firms.csv and flows.csv,
which compare and analyze read back to the scenario's own results; written whole or not
at all, never into the network's folder."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from symbiosis.cli import app

EXAMPLE = Path(__file__).parents[2] / "examples" / "tongling"
SCENARIOS = EXAMPLE / "scenarios"
runner = CliRunner()


@pytest.fixture(autouse=True)
def wide_console(monkeypatch):
    monkeypatch.setenv("COLUMNS", "250")


def invoke(*args):
    result = runner.invoke(app, [str(a) for a in args])
    assert "Traceback" not in result.output
    return result


def after_values(scenario_json: dict, index: int = 0) -> dict:
    """The scenario's indicators after, as ``(dimension, indicator) -> value``."""
    values = scenario_json["scenarios"][index]["after"]["values"]
    return {(d, k): v for d, found in values.items() for k, v in found.items()}


def compared_b(folder_a: Path, folder_b: Path) -> dict:
    result = invoke("compare", folder_a, folder_b, "-q", "-f", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    return data, {(row["dimension"], row["indicator"]): row["b"] for row in data["indicators"]}


def test_the_written_network_compares_as_the_scenario_analysed_it(tmp_path):
    """The report: the edited network could not be written, so not compared or reused."""
    out = tmp_path / "after"
    result = invoke("scenario", EXAMPLE, SCENARIOS / "jinlong_closed.toml", "--network", out,
                    "-f", "json")  # fmt: skip
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == ["firms.csv", "flows.csv"]
    assert f"wrote {out / 'firms.csv'}" in result.stderr.replace("\n", "")
    scenario = json.loads(result.stdout)
    data, read_back = compared_b(EXAMPLE, out)
    expected = after_values(scenario)
    assert expected.keys() <= read_back.keys()
    for key, value in expected.items():
        if value is None:
            assert read_back[key] is None, key
        else:
            assert read_back[key] == pytest.approx(value, rel=1e-12), key
    opened = {tuple(loop) for loop in scenario["scenarios"][0]["loops_opened"]}
    assert {tuple(loop) for loop in data["loops_only_in_a"]} == opened


def test_several_scenarios_each_in_a_folder_of_its_name(tmp_path):
    out = tmp_path / "after"
    names = ["jinlong_closed", "dongguashan_exhausted"]
    result = invoke("scenario", "--example", "tongling", *names, "--network", out, "-q",
                    "-f", "json")  # fmt: skip
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == sorted(names)
    scenario = json.loads(result.stdout)
    for index, name in enumerate(names):
        _, read_back = compared_b(EXAMPLE, out / name)
        for key, value in after_values(scenario, index).items():
            if value is not None:
                assert read_back[key] == pytest.approx(value, rel=1e-12), (name, key)


def test_the_network_s_own_folder_is_refused_before_any_work(tmp_path):
    network = tmp_path / "net"
    network.mkdir()
    for name in ("firms.csv", "flows.csv"):
        (network / name).write_bytes((EXAMPLE / name).read_bytes())
    before = {p.name: p.read_bytes() for p in network.iterdir()}
    result = invoke("scenario", network, SCENARIOS / "jinlong_closed.toml", "--network", network)
    assert result.exit_code == 2
    assert "refusing to write into a folder of input files: --network would overwrite" in (
        result.stderr.replace("\n", " ")
    )
    assert {p.name: p.read_bytes() for p in network.iterdir()} == before


def test_with_out_all_files_or_none(tmp_path):
    """--out and --network are one write set: a network file that cannot be written (a
    folder in its place) leaves no JSON either; a bad scenario writes nothing."""
    out = tmp_path / "after"
    blocked = tmp_path / "blocked"
    (blocked / "firms.csv").mkdir(parents=True)
    result = invoke("scenario", EXAMPLE, SCENARIOS / "jinlong_closed.toml", "--network",
                    blocked, "--out", tmp_path / "r.json")  # fmt: skip
    assert result.exit_code != 0
    assert "Traceback" not in result.output
    assert not (tmp_path / "r.json").exists() and not (blocked / "flows.csv").exists()
    bad = tmp_path / "bad.toml"
    bad.write_text('[[remove_firm]]\nid = "NOPE"\n')
    result = invoke("scenario", EXAMPLE, bad, "--network", out, "--out", tmp_path / "r.json")
    assert result.exit_code == 2
    assert not out.exists() and not (tmp_path / "r.json").exists()
    result = invoke("scenario", EXAMPLE, SCENARIOS / "jinlong_closed.toml", "--network", out,
                    "--out", tmp_path / "r.json", "-q")  # fmt: skip
    assert result.exit_code == 0, result.output
    assert (tmp_path / "r.json").exists() and (out / "flows.csv").exists()


def test_an_existing_folder_keeps_its_other_files(tmp_path):
    out = tmp_path / "after"
    out.mkdir()
    (out / "notes.txt").write_text("mine")
    (out / "flows.csv").write_text("old")
    result = invoke("scenario", EXAMPLE, SCENARIOS / "jinlong_closed.toml", "--network", out, "-q")
    assert result.exit_code == 0, result.output
    assert (out / "notes.txt").read_text() == "mine"
    assert (out / "flows.csv").read_text() != "old"
    assert invoke("analyze", out, "-q", "-f", "json").exit_code == 0


def test_the_help_names_the_option():
    result = invoke("scenario", "--help")
    assert "--network" in result.output
    assert "symbiosis compare PATH DIR" in result.output.replace("\n", " ")
