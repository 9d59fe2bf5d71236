"""A pass's own warnings reach the HTML report and the notebook's report block: the
opportunities pass warns of streams that the node they go to makes hazardous (a
hazardous-waste landfill), and `symbiosis opportunities` printed it, but the report page
(`analyze --html`, `report`, `report_html`) did not: a planner reading only the page never
learnt that a proposed stream was hazardous waste. The warning is shown in the
opportunities section and, with the network's data warnings, in the page's warnings block,
as escaped text (the names come from the input files)."""

from __future__ import annotations

import html
import warnings
from pathlib import Path

import pytest
from typer.testing import CliRunner

import symbiosis
from symbiosis.cli import app
from symbiosis.export.notebook import report_block_html
from symbiosis.export.report_html import report_html

#: A material named as markup: shown as text, never run.
MATERIAL = "molten salt <script>alert('slag')</script>"


def _park(tmp_path: Path) -> Path:
    """A rare-earth metal plant sending its slag to a hazardous-waste landfill (which makes
    it hazardous: the pass's warning), and a flow of unknown size (a data warning)."""
    folder = tmp_path / "park"
    folder.mkdir()
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
        f'REM,HLF,"{MATERIAL}",3,kt,waste\n'
        "SIN,FARM,dust,,t,waste\n",
        encoding="utf-8",
    )
    return folder


@pytest.fixture(scope="module")
def park(tmp_path_factory):
    folder = _park(tmp_path_factory.mktemp("hazard"))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        network = symbiosis.load(folder)
        report = symbiosis.analyze(network)
    (hazard,) = report.opportunities.warnings
    assert "takes hazardous waste" in hazard and MATERIAL in hazard
    (unsized,) = [w for w in network.warnings if "have no quantity" in w]
    return folder, network, report, hazard, unsized


def _section(page: str, anchor: str) -> str:
    start = page.index(f'<section id="{anchor}">')
    return page[start : page.index("</section>", start)]


def _pages(park, tmp_path: Path) -> dict[str, str]:
    folder, network, report, _, _ = park
    runner = CliRunner()
    pages = {"report_html": report_html(network, report, include_network=False)}
    for name, args in (
        ("analyze --html", ["analyze", folder, "-q", "--html", tmp_path / "analyze.html"]),
        ("report", ["report", folder, "-q", "--no-network", "--out", tmp_path / "report.html"]),
    ):
        result = runner.invoke(app, [str(a) for a in args])
        assert result.exit_code == 0, result.output
        pages[name] = Path(args[-1]).read_text(encoding="utf-8")
    return pages


def test_the_report_page_shows_the_hazard_warning_as_text(park, tmp_path):
    _, _, _, hazard, unsized = park
    for name, page in _pages(park, tmp_path).items():
        said = html.escape(hazard, quote=True)
        opportunities = _section(page, "section-opportunities")
        assert said in opportunities, name  # where the candidates are listed
        block = _section(page, "warnings")
        assert said in block, name  # and among the page's warnings
        assert html.escape(unsized, quote=True) in block, name  # the network's, as before
        assert "<script>alert(" not in page, name  # the name is text, not markup


def test_the_notebook_report_block_shows_it_too(park):
    _, _, report, hazard, unsized = park
    block = report_block_html(report)
    assert html.escape(hazard, quote=True) in block
    assert html.escape(unsized, quote=True) in block
    assert "<script>alert(" not in block


def test_each_warning_is_listed_once(park):
    _, network, report, hazard, unsized = park
    block = _section(report_html(network, report, include_network=False), "warnings")
    assert block.count(html.escape(hazard, quote=True)) == 1
    assert block.count(html.escape(unsized, quote=True)) == 1
