"""The network and report pages of one year of several, in headless Chromium: the header
says which year, and the page loads without an error (tester-lib2, defect 5)."""

from __future__ import annotations

from test_network_page import assert_clean, open_network
from test_report_page import open_report

import symbiosis
from symbiosis.examples import example_path
from symbiosis.export.network_html import write_network_html
from symbiosis.export.report_html import write_report_html

HEADER = "Year 2021 (latest of 2019-2021)"


def test_both_pages_of_a_year_say_which_in_their_header(browser, tmp_path):
    year = symbiosis.select_year(symbiosis.load(example_path("years"), warn=False))
    network_page = write_network_html(year, tmp_path / "network.html")
    page, _ = open_network(browser, network_page)
    assert HEADER in page.evaluate("document.getElementById('sym-header').innerText")
    assert_clean(page)
    browser.close_page(page)
    report = symbiosis.analyze(year, sections=["summary", "reuse", "trends"])
    page = open_report(browser, write_report_html(year, report, tmp_path / "report.html"))
    assert HEADER in page.evaluate("document.getElementById('top').innerText")
    assert_clean(page)
    browser.close_page(page)
