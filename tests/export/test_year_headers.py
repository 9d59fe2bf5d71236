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
