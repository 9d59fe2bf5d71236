"""The uncertainty command: text and JSON output, the --out file, backends, bad options."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from symbiosis.cli import app

TONGLING = Path(__file__).parents[2] / "examples" / "tongling"
runner = CliRunner()


def invoke(*args):
    return runner.invoke(app, [str(a) for a in args])


@pytest.fixture(autouse=True)
def wide_console(monkeypatch):
    monkeypatch.setenv("COLUMNS", "250")


def test_text_shows_intervals_drivers_and_opportunities():
    result = invoke("uncertainty", TONGLING, "-n", "200", "-u", "0.1", "--quiet")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "Monte Carlo: 200 samples, seed 0" in out
    assert "Indicators: mass" in out and "reuse_share" in out and "95 % interval" in out
    assert "What drives the spread" in out
    assert "Opportunities: how often in the top 5" in out


def test_shares_are_shown_as_every_other_command_shows_them(tmp_path):
    """One decimal, as analyze, reuse and the HTML report show them: a tester read '14 %',
    '65 %' and '100 %' here, '14.0 %' elsewhere (three significant digits)."""
    flows = tmp_path / "flows.csv"
    flows.write_text(
        "source,target,material,quantity,unit,category\nA,B,slag,14,t,by-product\n"
        "A,LF,slag,86,t,waste\nM,A,ore,100,t,product\n",
        encoding="utf-8",
    )
    (tmp_path / "firms.csv").write_text("id,role\nA,firm\nB,firm\nLF,disposal\nM,extraction\n")
    result = invoke("uncertainty", tmp_path, "-n", "50", "-u", "0.1", "--quiet")
    assert result.exit_code == 0, result.output
    reuse = next(line for line in result.stdout.splitlines() if "reuse_share" in line)
    assert reuse.split("│")[1].strip() == "14.0 %", reuse
    shares = re.findall(r"(\S+) %", result.stdout.replace("95 %", ""))
    assert shares and all(re.fullmatch(r"-?\d+\.\d", text) for text in shares), shares


def test_json_and_out_file_agree_and_repeat_with_the_seed(tmp_path):
    out = tmp_path / "mc.json"
    args = ("uncertainty", TONGLING, "-n", "100", "-u", "0.2", "--seed", "4", "-f", "json")
    first = invoke(*args, "--out", out, "--quiet")
    assert first.exit_code == 0, first.output
    data = json.loads(first.stdout)
    assert json.loads(out.read_text()) == data
    assert data["samples"] == 100 and data["seed"] == 4
    reuse = data["dimensions"]["mass"]["reuse_share"]
    assert reuse["p2.5"] < reuse["recorded"] < reuse["p97.5"]
    assert json.loads(invoke(*args, "--quiet").stdout) == data


def test_processes_give_the_same_json():
    args = ("uncertainty", TONGLING, "-n", "600", "-u", "0.2", "-f", "json", "--quiet")
    one = invoke(*args, "--no-opportunities")
    two = invoke(*args, "--no-opportunities", "--processes", "2")
    assert one.exit_code == two.exit_code == 0, two.output
    assert json.loads(one.stdout) == json.loads(two.stdout)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("-n", "1"), "--samples"),
        (("-u", "-0.1"), "--uncertainty"),
        (("-n", "5", "--seed", "-1"), "--seed"),
        (("--dask", "tcp://127.0.0.1:9", "--processes", "2"), "not both"),
    ],
)
def test_bad_options_exit_2(args, message):
    result = invoke("uncertainty", TONGLING, *args)
    assert result.exit_code == 2
    assert message in result.output


def test_bad_uncertainty_columns_are_located(tmp_path):
    (tmp_path / "flows.csv").write_text(
        "source,target,material,quantity,unit,category,uncertainty\nA,B,slag,10,t,waste,-1\n",
        encoding="utf-8",
    )
    result = invoke("uncertainty", tmp_path / "flows.csv")
    assert result.exit_code == 2
    assert "flows.csv:2: uncertainty: -1 is negative" in result.output
    assert "Traceback" not in result.output


def test_an_unreachable_dask_scheduler_is_a_clear_error():
    pytest.importorskip("distributed")
    result = invoke("uncertainty", TONGLING, "-n", "10", "--dask", "tcp://127.0.0.1:9")
    assert result.exit_code == 2
    assert "could not reach the Dask scheduler" in result.output
