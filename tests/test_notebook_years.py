"""The notebook's report block of flows of several years added up (`select_year(net, "all")`,
`--year all`) says that its quantities are totals over the years, as the text and the HTML
report say (`quantities_over`): its headline said "620 kt/yr disposed" for three years'
620 kt. A year's report keeps "/yr", and so do the trends (each year's figures)."""

from __future__ import annotations

import re
import warnings
from pathlib import Path

import pytest

import symbiosis
from symbiosis import select_year
from symbiosis.export.notebook import report_block_html
from symbiosis.export.report_html import report_html

YEARS = Path(__file__).parents[1] / "examples" / "years"
CARDS = re.compile(r'<div class="big">([^<]*)</div><div>([^<]*)</div>')
PER_YEAR = re.compile(r"\w+/yr")


@pytest.fixture(scope="module")
def park():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return symbiosis.load(YEARS)


def _headline(block: str) -> str:
    """The block before its sections (the cards and the headline table)."""
    return block.split("<details", 1)[0]


def test_a_report_of_every_year_says_its_quantities_are_totals(park):
    network = select_year(park, "all")
    assert network.summed_years == 3
    report = symbiosis.analyze(network, sections=["summary", "reuse", "cycling"])
    page = report_html(network, report, include_network=False)
    headline = _headline(report_block_html(report))
    assert "kt over 3 years" in headline
    assert PER_YEAR.findall(headline) == []
    assert CARDS.findall(headline) == CARDS.findall(page)  # the report page's cards


def test_a_report_of_one_year_keeps_per_year_units(park):
    report = symbiosis.analyze(select_year(park), sections=["summary", "reuse"])
    headline = _headline(report_block_html(report))
    assert "kt/yr" in headline and "over 3 years" not in headline


def test_the_trends_keep_each_years_units(park):
    block = report_block_html(symbiosis.analyze(select_year(park, "all")))
    trends = block.split("<summary>trends</summary>", 1)[1]
    assert "t/yr" in trends and "over 3 years" not in trends
    assert "over 3 years" in _headline(block)
