"""reconcile --out writes only a network the tool itself reads (tester-cities2 #7: a flow
reconciled to -451.86 t was written, and validate refused the folder), and a folder that
reconciles again to the same values and standard deviations (tester-recon #1)."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from symbiosis.cli import app

runner = CliRunner()


@pytest.fixture(autouse=True)
def wide_console(monkeypatch):
    monkeypatch.setenv("COLUMNS", "250")


def invoke(*args):
    result = runner.invoke(app, [str(a) for a in args])
    assert "Traceback" not in result.output
    return result


@pytest.fixture
def overdrawn(tmp_path) -> Path:
    """P receives 10 t and sends out 5 t and 50 t (sd 3 t each): the 5 t goes to -10 t."""
    folder = tmp_path / "net"
    folder.mkdir()
    (folder / "firms.csv").write_text("id,role\nMA,market\nP,firm\nMB,market\n")
    (folder / "flows.csv").write_text(
        "source,target,material,quantity,unit,category,uncertainty\n"
        "MA,P,ore,10,t,product,0.3\nP,MB,metal,5,t,product,0.6\nP,MA,slag,50,t,waste,0.06\n"
    )
    return folder


def test_a_negative_flow_is_not_written_exit_2_with_its_row(overdrawn, tmp_path):
    out = tmp_path / "out"
    result = invoke("reconcile", overdrawn, "--out", out)
    assert result.exit_code == 2, result.output
    assert not out.exists()  # nothing written
    assert "Global test" in result.stdout  # the result is still shown
    assert (
        "net/flows.csv:3: quantity: reconciles to -10 t/yr (P -> MB, metal), below 0: --out "
        "would write a network that does not load (quantities are >= 0), so nothing is "
        "written; reconcile with --nonnegative"
    ) in " ".join(result.stderr.split())
    assert "flows are negative after reconciliation" not in result.stderr  # said once


def test_with_nonnegative_the_folder_is_written_and_validates(overdrawn, tmp_path):
    out = tmp_path / "out"
    result = invoke("reconcile", overdrawn, "-q", "--nonnegative", "--out", out)
    assert result.exit_code == 0, result.output
    assert invoke("validate", out).exit_code == 0


def test_the_written_folder_reconciles_again_to_the_same_sds(overdrawn, tmp_path):
    (overdrawn / "flows.csv").write_text(  # Narasimhan & Jordache's heat exchanger, sd 1 t
        "source,target,material,quantity,unit,category,uncertainty\n"
        "MA,P,feed,101.91,t,product,\nP,MB,product,98.88,t,product,\n"
    )
    first, second = tmp_path / "first", tmp_path / "second"
    done = invoke("reconcile", overdrawn, "-q", "-u", "0.01", "--out", first, "-f", "json")
    assert done.exit_code == 0, done.output
    written = pd.read_csv(first / "flows.csv")
    assert {"reconciled_sd", "uncertainty", "quantity_measured_sd"} <= set(written)
    assert "quantity_sd" not in written
    redone = invoke("reconcile", first, "-q", "--out", second, "-f", "json")
    sds = [[f["reconciled_sd"] for f in json.loads(r.stdout)["changed"]] for r in (done, redone)]
    assert sds[1] == pytest.approx(sds[0])  # they shrank at every pass
    assert pd.read_csv(second / "flows.csv")["reconciled_sd"].tolist() == pytest.approx(
        written["reconciled_sd"]
    )
