"""``symbiosis analyze`` prints the passes' own warnings, as it prints the network's: the
opportunities pass warns of a stream that the node it goes to makes hazardous (a
hazardous-waste landfill); ``symbiosis opportunities`` and the HTML report showed it, but
the text of ``analyze`` did not (neither streamed, as it prints by default, nor from the
whole report that --xlsx needs). Each warning once; --quiet hides it as it hides the
others."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest
from typer.testing import CliRunner

import symbiosis
from symbiosis.cli import app

runner = CliRunner()


@pytest.fixture(scope="module")
def park(tmp_path_factory) -> tuple[Path, str, str]:
    """A rare-earth metal plant sending its slag to a hazardous-waste landfill (the pass's
    warning), and a flow of unknown size (the network's); both warnings' texts."""
    folder = tmp_path_factory.mktemp("hazard")
    (folder / "firms.csv").write_text(
        "id,name,sector,role\n"
        "REM,REE metal plant,rare earth metals,firm\n"
        "SIN,Sinter,sintering,firm\n"
        "FARM,Farm,agriculture,firm\n"
        "MKT,Market,,market\n"
        "HLF,Hazardous waste landfill,,landfill\n",
        encoding="utf-8",
    )
    (folder / "flows.csv").write_text(
        "source,target,material,quantity,unit,category\n"
        "MKT,SIN,limestone,500,kt,product\n"
        "MKT,FARM,lime,10,kt,product\n"
        "REM,HLF,molten salt slag,3,kt,waste\n"
        "SIN,FARM,dust,,t,waste\n",
        encoding="utf-8",
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        network = symbiosis.load(folder)
        (hazard,) = symbiosis.analyze(network, sections="opportunities").opportunities.warnings
    (unsized,) = [w for w in network.warnings if "have no quantity" in w]
    assert "takes hazardous waste" in hazard and "molten salt slag" in hazard
    return folder, hazard, unsized


def _said(text: str) -> str:
    return " ".join(text.split())  # the console wraps long lines


@pytest.mark.parametrize(
    "options",
    [
        pytest.param((), id="text"),  # each section's text made as it runs (streamed)
        pytest.param(("--xlsx", "{tmp}/tables.xlsx"), id="text-whole-report"),
        pytest.param(("--sections", "opportunities"), id="text-one-section"),
        pytest.param(("-f", "json"), id="json"),
    ],
)
def test_analyze_prints_the_pass_warnings_once(park, tmp_path, options):
    folder, hazard, unsized = park
    args = ["analyze", str(folder), *(o.format(tmp=tmp_path) for o in options)]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    stderr = _said(result.stderr)
    assert stderr.count(_said(f"warning: {hazard}")) == 1, result.stderr
    assert stderr.count(_said(f"warning: {unsized}")) == 1, result.stderr  # as before
    assert "hazardous" not in result.stdout.split("{", 1)[0]  # stderr only, not the text
    quiet = runner.invoke(app, [*args, "-q"])
    assert quiet.exit_code == 0, quiet.output
    assert quiet.stderr == ""


def test_report_prints_the_pass_warnings_once(park, tmp_path):
    """``symbiosis report`` printed the network's warnings on stderr, not the passes'
    (the page listed both)."""
    folder, hazard, unsized = park
    args = ["report", str(folder), "--out", str(tmp_path / "report.html")]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    stderr = _said(result.stderr)
    assert stderr.count(_said(f"warning: {hazard}")) == 1, result.stderr
    assert stderr.count(_said(f"warning: {unsized}")) == 1, result.stderr
    quiet = runner.invoke(app, [*args, "-q"])
    assert quiet.exit_code == 0, quiet.output
    assert quiet.stderr == ""
