"""reconcile's and uncertainty's options that say nothing or too much: an empty --losses or
--balance-roles (an unset shell variable), and an --uncertainty beyond the column's bound."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from symbiosis.cli import app

runner = CliRunner()

FIRMS = "id,role\nMA,market\nP,firm\nMB,market\n"
FLOWS = (
    "source,target,material,quantity,unit,category\n"
    "MA,P,ore,100,t,product\nP,MB,metal,90,t,product\nMA,P,fuel,10,GJ,product\n"
    "P,MB,heat,5,GJ,product\n"
)


@pytest.fixture(autouse=True)
def wide_console(monkeypatch):
    monkeypatch.setenv("COLUMNS", "250")


@pytest.fixture
def network(tmp_path) -> Path:
    folder = tmp_path / "net"
    folder.mkdir()
    (folder / "firms.csv").write_text(FIRMS, encoding="utf-8")
    (folder / "flows.csv").write_text(FLOWS, encoding="utf-8")
    return folder


def invoke(*args):
    result = runner.invoke(app, [str(a) for a in args])
    assert "Traceback" not in result.output
    return result


@pytest.mark.parametrize("value", ["", " , ", ","])
def test_an_empty_losses_is_exit_2_not_none(network, value):
    # '' was read as 'none': energy then balanced exactly, the wrong data the default avoids
    result = invoke("reconcile", network, "-u", "0.1", "--losses", value)
    assert result.exit_code == 2, result.output
    assert (
        "error: --losses: empty; use mass, energy, volume (comma-separated), or none"
        in result.stderr
    )


@pytest.mark.parametrize("value", ["", " , "])
def test_an_empty_balance_roles_is_exit_2_with_the_roles(network, value):
    result = invoke("reconcile", network, "-u", "0.1", "--balance-roles", value, "--losses", "")
    assert result.exit_code == 2, result.output
    assert "error: --balance-roles: empty; use actor roles: firm, extraction" in result.stderr
    assert "error: --losses: empty" in result.stderr  # both at once
    assert "2 problems found" in result.stderr


def test_the_library_still_takes_no_loss_dimension(network):
    from symbiosis import load
    from symbiosis.analysis.reconcile import reconcile

    assert reconcile(load(network), default_uncertainty=0.1, losses=()).losses == ()


@pytest.mark.parametrize("command", ["reconcile", "uncertainty"])
def test_an_uncertainty_above_the_column_s_bound_is_exit_2_with_its_message(network, command):
    # -u 1e9 drew lognormals of median 1e-7 of their mean: a circular input rate of 99.9 %
    extra = ["-n", "10"] if command == "uncertainty" else []
    result = invoke(command, network, "-u", "1e9", *extra)
    assert result.exit_code == 2, result.output
    assert (
        "error: --uncertainty is above 1,000 (a standard deviation of 100,000 % of the "
        "quantity) (got 1000000000.0); write the relative standard deviation as a fraction"
        in result.stderr
    )
    assert invoke(command, network, "-q", "-u", "1000", *extra).exit_code == 0  # the bound
