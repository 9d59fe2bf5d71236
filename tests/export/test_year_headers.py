"""The pages of one year cut from a network of several say which year they show in their
header (tester-lib2, defect 5: only the data warnings said "the figures are for 2021")."""

from __future__ import annotations

import re

import pytest

import symbiosis
from symbiosis import select_year
from symbiosis.examples import example_path
from symbiosis.export.network_html import network_html
from symbiosis.export.report_html import report_html


@pytest.fixture(scope="module")
def park():
    return symbiosis.load(example_path("years"), warn=False)


def network_subtitle(page: str) -> str:
    return re.search(r'<p id="sym-subtitle">([^<]*)</p>', page).group(1)


def report_subtitle(page: str) -> str:
    return re.search(r'<p class="subtitle">([^<]*)</p>', page).group(1)


def test_the_year_is_said_with_the_years_it_was_cut_from(park):
    from symbiosis.analysis.years import year_said

    assert year_said(select_year(park)) == "2021 (latest of 2019-2021)"
    assert year_said(select_year(park, 2020)) == "2020 (of 2019-2021)"
    assert year_said(park) is None
    assert year_said(symbiosis.load(example_path("tongling"), warn=False)) is None


def test_the_network_page_of_a_year_says_which(park):
    assert network_subtitle(network_html(select_year(park))).startswith(
        "Year 2021 (latest of 2019-2021) · "
    )
    assert network_subtitle(network_html(select_year(park, 2019))).startswith(
        "Year 2019 (of 2019-2021) · "
    )
    assert "Year" not in network_subtitle(network_html(park))  # every year: its own header


def test_the_report_page_of_a_year_says_which(park):
    year = select_year(park, 2020)
    page = report_html(year, symbiosis.analyze(year, sections=["summary", "reuse"]))
    assert report_subtitle(page).startswith("Year 2020 (of 2019-2021) · ")
    every = report_html(park, symbiosis.analyze(park, sections=["summary"]))
    assert "Year" not in report_subtitle(every)


@pytest.mark.parametrize(
    "command", [["analyze", "--html"], ["report", "--out"], ["export", "--html"]]
)
def test_the_pages_the_commands_write_say_the_year(tmp_path, command):
    """The commands let the passes' caches go before writing a page
    (``FlowNetwork.uncached``), which lost the year: ``analyze --html`` and ``report``
    of Kaiyang's 2022 said "31 nodes (21 actors, 10 boundary) · 103 flows" with no year
    (tester-cities4 #13), where the network page said it."""
    from typer.testing import CliRunner

    from symbiosis.cli import app

    page = tmp_path / "page.html"
    name, option = command
    args = [name, str(example_path("years")), "--year", "2020", option, str(page), "-q"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    text = page.read_text(encoding="utf-8")
    found = re.search(r'<p (?:class="subtitle"|id="sym-subtitle")>([^<]*)</p>', text)
    assert found.group(1).startswith("Year 2020 (of 2019-2021) · "), found.group(1)


def test_a_year_uncached_is_still_that_year(park):
    year = select_year(park, 2020)
    assert year.uncached().history is park
    every = park.uncached()
    assert every.history is every  # a network of every year is its own
