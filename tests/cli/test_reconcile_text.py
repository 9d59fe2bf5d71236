"""What reconcile's and uncertainty's text say, and what they must not claim: no |z| bound
when nothing was tested, a warning for a tolerance that disables every balance, the z of
the exact balances beside a bounded value, every headline indicator of the Monte Carlo."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from symbiosis.cli import app

runner = CliRunner()
FIRMS = "id,role\nS,market\nX,firm\nM,market\n"


@pytest.fixture(autouse=True)
def wide_console(monkeypatch):
    monkeypatch.setenv("COLUMNS", "250")


def invoke(*args):
    result = runner.invoke(app, [str(a) for a in args])
    assert "Traceback" not in result.output
    return result


def folder(tmp_path: Path, flows: str) -> Path:
    path = tmp_path / "net"
    path.mkdir()
    (path / "firms.csv").write_text(FIRMS, encoding="utf-8")
    (path / "flows.csv").write_text(
        "source,target,material,quantity,unit,category,uncertainty\n" + flows, encoding="utf-8"
    )
    return path


def test_nothing_tested_claims_no_z_bound(tmp_path):
    # tester-recon #6: two unmeasured flows ('allfree'): no z computed, yet "|z| <= 1.96"
    net = folder(tmp_path, "S,X,a,,t,product,\nX,M,b,,t,product,\n")
    result = invoke("reconcile", net, "-q")
    assert result.exit_code == 0, result.output
    assert "|z|" not in result.stdout
    assert "No adjustment was tested: no flow is both uncertain and checked by a balance." in (
        result.stdout
    )


def test_a_tolerance_of_one_or_more_is_warned_of(tmp_path):
    net = folder(tmp_path, "S,X,a,100,t,product,0.1\nX,M,b,90,t,product,0.1\n")
    result = invoke("reconcile", net, "--tolerance", "5")
    assert result.exit_code == 0, result.output
    assert (
        "warning: --tolerance 5 lets every balance stay open by 500 % of its larger side, at "
        "least any gap between flows >= 0: nothing is adjusted; a tolerance is a share "
        "(0.05 = 5 %)"
    ) in result.stderr.replace("\n", " ")
    assert "--tolerance" not in invoke("reconcile", net, "--tolerance", "0.99").stderr


def test_the_flagged_table_says_its_z_is_the_exact_balances_under_bounds(tmp_path):
    # 'nnconf': reconciled 12 beside z 15 with --nonnegative --tolerance 0.2
    net = folder(tmp_path, "S,X,a,80,t,product,0\nX,M,b,90,t,product,0\nX,M,c,20,t,product,0.1\n")
    said = "z is that of the exact balances, reconciled within the bounds"
    bounded = invoke("reconcile", net, "-q", "--nonnegative", "--tolerance", "0.2")
    assert bounded.exit_code == 0, bounded.output
    assert said in " ".join(bounded.stdout.split())
    assert said not in " ".join(invoke("reconcile", net, "-q").stdout.split())


def test_uncertainty_text_shows_every_headline_indicator(tmp_path):
    # generated, reused, sold and total_system_throughflow were in the JSON only
    net = folder(tmp_path, "S,X,a,100,t,product,0.1\nX,M,b,60,t,by-product,0.2\n"
                           "X,M,c,40,t,waste,0.3\n")  # fmt: skip
    result = invoke("uncertainty", net, "-q", "-n", "50", "--no-opportunities")
    assert result.exit_code == 0, result.output
    shown = {line.split("│")[0].strip() for line in result.stdout.splitlines() if "│" in line}
    assert {"generated", "sold", "total_system_throughflow", "utilization_rate"} <= shown
    assert "0 in every sample, or never defined: reused, disposed, emitted, reuse_share" in (
        " ".join(result.stdout.split())
    )
