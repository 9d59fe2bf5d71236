"""A network page of flows of several years says that they are added up, gives each
flow's year and offers a year filter."""

from __future__ import annotations

import json
import re

import symbiosis
from symbiosis.examples import example_path
from symbiosis.export.network_html import network_html


def vis_edges(page: str) -> list[dict]:
    return json.loads(re.search(r"edges = new vis\.DataSet\((.*?)\);\n", page).group(1))


def test_the_header_warns_that_the_years_are_added_up():
    network = symbiosis.load(example_path("years"))
    page = network_html(network)
    header = re.search(r'<p id="sym-years">([^<]*)</p>', page)
    assert header and "Flows of 3 years (2019-2021) are added up" in header.group(1)
    edges = vis_edges(page)
    assert {e["year"] for e in edges} == {2019, 2020, 2021}
    options = re.findall(r'<option value="(\d+)">', page[page.index('id="sym-year"') :])
    assert options == ["2019", "2020", "2021"]


def test_one_year_or_none_says_nothing():
    page = network_html(symbiosis.load(example_path("tongling")))
    assert 'id="sym-years"' not in page and 'id="sym-year"' not in page
    assert all("year" not in e for e in vis_edges(page))


def test_the_aggregated_view_warns_without_a_year_filter():
    page = network_html(symbiosis.load(example_path("years")), max_nodes=3, max_flows=3)
    assert 'id="sym-years"' in page and 'id="sym-year"' not in page
