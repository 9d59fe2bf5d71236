"""Every number in the report's sortable tables carries its sort value (``data-v``, and
``data-d``, the dimension, for a quantity), so that a click sorts by value; blanks are
blank values. Checked on the generated HTML; tests/browser/test_report_page.py clicks."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

import symbiosis
from symbiosis.examples import example_path
from symbiosis.export.report_html import report_html

LOOKS_NUMERIC = re.compile(r"^(?:[-+]?\d.*|–|)$")  # a number, a dash or nothing


class SortableCells(HTMLParser):
    """The cells of ``table.sortable``: (attributes, text) per cell, per table."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: list[list[list[tuple[dict, str]]]] = []
        self.inside: list[bool] = []
        self.cell: list | None = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "table":
            self.inside.append("sortable" in (attributes.get("class") or ""))
            if self.inside[-1]:
                self.tables.append([])
        elif self.inside and self.inside[-1] and tag == "tr":
            self.tables[-1].append([])
        elif self.inside and self.inside[-1] and tag == "td":
            self.cell = [attributes, ""]

    def handle_endtag(self, tag):
        if tag == "table" and self.inside:
            self.inside.pop()
        elif tag == "td" and self.cell is not None:
            self.tables[-1][-1].append((self.cell[0], self.cell[1].strip()))
            self.cell = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell[1] += data


def sortable_cells(page: str) -> list[list[list[tuple[dict, str]]]]:
    parser = SortableCells()
    parser.feed(page)
    return parser.tables


def unsorted_numbers(page: str) -> list[str]:
    return [
        text
        for table in sortable_cells(page)
        for row in table
        for attributes, text in row
        if "data-v" not in attributes and LOOKS_NUMERIC.match(text)
    ]


@pytest.fixture(scope="module")
def tongling():
    network = symbiosis.load(example_path("tongling"))
    return network, symbiosis.analyze(network, samples=20, seed=1)


@pytest.fixture(scope="module")
def page(tongling):
    return report_html(*tongling, include_network=False)


def test_every_number_and_blank_has_a_sort_value(page):
    assert unsorted_numbers(page) == []


def test_cells_of_two_dimensions_sort_by_the_first_shown(tongling, page):
    _, report = tongling
    plants = report.opportunities.to_dict()["plants"]
    start = page.index("New plants the catalogue would add")
    table = sortable_cells(page[start:])[0]
    for plant, row in zip(plants, table[1:], strict=True):  # row 0: the header's (no td)
        attributes, text = row[1]  # "dumped"
        dumped = {d: v for d, v in (plant.get("dumped") or {}).items() if v is not None}
        if not dumped:
            assert attributes["data-v"] == "" and text == "–"
            continue
        first = next(iter(dumped))
        assert float(attributes["data-v"]) == pytest.approx(dumped[first])
        assert attributes["data-d"] == first


def test_quantities_carry_their_dimension(page):
    assert re.search(r'<td class="num" data-v="1100000\.0" data-d="mass">1\.10 Mt/yr</td>', page)
