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


MIXED = (  # the metal estimated from the ore (which no balance then checks), a trade between
    # two markets (not redundant); below, energy flows of unknown size in a loop (unobservable)
    "S,X,ore,100,t,product,0.05\nX,M,metal,,t,product,\nS,M,trade,5,t,product,0.1\n"
)


def test_text_lists_estimated_unobservable_and_not_redundant_flows(tmp_path):
    # tester-recon #3: the estimated value, and which flows are unobservable or not
    # redundant, were shown nowhere (the JSON and --out only)
    net = folder(tmp_path, MIXED + "S,X,fuel,,GJ,product,\nX,M,heat,,GJ,product,\n"
                                   "X,S,heat,,GJ,product,\n")  # fmt: skip
    result = invoke("reconcile", net, "-q", "--losses", "none")
    assert result.exit_code == 0, result.output
    text, said = result.stdout, " ".join(result.stdout.split())
    assert "Estimated: flows of unknown size that the balances determine (value ± sd)" in said
    estimated = next(line for line in text.splitlines() if "│ metal" in line)
    assert [c.strip() for c in estimated.split("│")] == ["3", "X", "M", "metal", "100", "5", "t/yr"]
    assert "Unobservable: flows of unknown size that the balances do not determine" in said
    assert {"fuel", "heat"} <= {
        line.split("│")[3].strip()
        for line in text.splitlines()
        if "│ GJ" not in line and line.count("│") == 4
    }
    assert "Not redundant: no balance checks these flows" in said
    assert (
        next(line for line in text.splitlines() if "│ trade" in line).split("│")[0].strip() == "4"
    )


def test_json_holds_a_record_per_flow_of_each_class(tmp_path):
    import json

    net = folder(tmp_path, MIXED + "S,X,fuel,,GJ,product,\nX,M,heat,,GJ,product,\n"
                                   "X,S,heat,,GJ,product,\n")  # fmt: skip
    data = json.loads(invoke("reconcile", net, "-q", "-f", "json", "--losses", "none").stdout)
    rows = {kind: [r["row"] for r in data[kind]] for kind in ("estimated", "unobservable",
                                                             "not_redundant", "fixed")}  # fmt: skip
    assert rows == {
        "estimated": [3],
        "unobservable": [5, 6, 7],
        "not_redundant": [2, 4],
        "fixed": [],
    }
    assert data["rows"] == {"flagged": 0, "changed": 1, "estimated": 1, "unobservable": 3,
                            "not_redundant": 2, "fixed": 0}  # fmt: skip
    assert data["estimated"][0]["reconciled_sd"] == 5.0
