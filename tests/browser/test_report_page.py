"""The HTML report in a real (headless) Chromium with the network cut off."""

from __future__ import annotations

import pytest
from chromium import READY, SHOW_NETWORK_FRAME, TRAP
from html_networks import HOSTILE, chain_network, hostile_network
from test_long_names import long_name_network

import symbiosis
from symbiosis.examples import example_path
from symbiosis.export.report_html import write_report_html


def open_report(browser, path):
    page = browser.open(path, init_script=TRAP)
    page.evaluate(SHOW_NETWORK_FRAME)  # Chromium does not draw off-screen sandboxed frames
    page.wait_for(READY, timeout=60)
    return page


def assert_clean(page):
    assert page.errors() == []
    assert page.external_requests() == []
    assert page.evaluate("window.__xss || []") == []


@pytest.fixture(scope="module")
def tongling(tmp_path_factory):
    network = symbiosis.load(example_path("tongling"))
    report = symbiosis.analyze(network)
    path = tmp_path_factory.mktemp("html") / "report.html"
    write_report_html(network, report, path)
    return network, report, path


def test_tongling_report_renders_every_section(browser, tongling):
    _, report, path = tongling
    page = open_report(browser, path)
    ids = page.evaluate(
        "Array.from(document.querySelectorAll('main > section')).map(function (s) { return s.id; })"
    )
    assert {"headline", "flows", "network"} <= set(ids)
    assert {f"section-{name}" for name in report.sections} <= set(ids)
    visible = page.evaluate(
        "document.querySelector('#sankey-mass svg').getBoundingClientRect().height"
    )
    assert visible > 200
    assert page.evaluate("document.documentElement.dataset.networkReady") == "1"
    assert_clean(page)  # no error in the page nor in the network frame
    browser.close_page(page)


COLUMN = """Array.from(document.querySelector('table.sortable').tBodies[0].rows)
  .map(function (row) { var c = row.cells[%d];
    return (c.getAttribute('data-d') || '') + ' ' + c.getAttribute('data-v'); })"""


def by_dimension(cells: list[str]) -> dict[str, list[float]]:
    """The sort values of a column, per dimension (quantities of two are never compared),
    the dimensions in the order met."""
    groups: dict[str, list[float]] = {}
    for cell in cells:
        dimension, value = cell.split(" ")
        if value:
            groups.setdefault(dimension, []).append(float(value))
    return groups


CLICK = """document.querySelector('table.sortable').tHead.rows[0].cells[%d]
  .querySelector('button').click()"""


def test_tables_sort_on_click(browser, tongling):
    page = open_report(browser, tongling[2])
    numeric = page.evaluate(
        "Array.from(document.querySelector('table.sortable').tBodies[0].rows[0].cells)"
        ".map(function (cell) { return cell.hasAttribute('data-v'); })"
    )
    column = numeric.index(True)
    page.evaluate(CLICK % column)
    ascending = by_dimension(page.evaluate(COLUMN % column))
    assert sum(len(v) for v in ascending.values()) > 1
    assert all(values == sorted(values) for values in ascending.values())
    page.evaluate(CLICK % column)
    descending = by_dimension(page.evaluate(COLUMN % column))
    assert list(descending) == list(ascending)  # mass, energy, volume either way
    assert all(descending[d] == sorted(values, reverse=True) for d, values in ascending.items())
    browser.close_page(page)


PLANTS = """Array.from(document.querySelectorAll('table.sortable')).filter(function (t) {
  return t.closest('details') && t.closest('details').querySelector('summary').textContent
    .indexOf('New plants') === 0; })[0]"""


def test_quantities_sort_by_value_per_dimension_with_blanks_last(browser, tongling):
    page = open_report(browser, tongling[2])
    header = page.evaluate(
        f"Array.from({PLANTS}.tHead.rows[0].cells).map(function (c) {{ return c.textContent; }})"
    )
    for name in ("dumped", "sold"):
        column = next(i for i, text in enumerate(header) if text.startswith(name))
        for direction in ("ascending", "descending"):
            page.evaluate(f"{PLANTS}.tHead.rows[0].cells[{column}].querySelector('button').click()")
            assert page.evaluate(f"{PLANTS}.tHead.rows[0].cells[{column}].ariaSort") == direction
            cells = page.evaluate(
                f"Array.from({PLANTS}.tBodies[0].rows).map(function (r) {{ var c = r.cells"
                f"[{column}]; return [c.getAttribute('data-d'), c.getAttribute('data-v')]; }})"
            )
            known = [(d, float(v)) for d, v in cells if v]
            assert known and all(not v for _, v in cells[len(known) :])  # blanks last
            groups = [d for d, _ in known]
            assert groups == sorted(groups, key=["mass", "energy", "volume"].index)
            for dimension in set(groups):
                values = [v for d, v in known if d == dimension]
                assert values == sorted(values, reverse=direction == "descending")
    browser.close_page(page)


def test_dimension_tabs_switch_the_sankey(browser, tongling):
    network, _, path = tongling
    assert len(network.dimensions) >= 2
    page = open_report(browser, path)
    other = network.dimensions[1]
    page.evaluate(f"document.querySelector('.tab[data-target=\"sankey-{other}\"]').click()")
    assert page.evaluate(f"document.getElementById('sankey-{other}').hidden") is False
    assert page.evaluate("document.getElementById('sankey-mass').hidden") is True
    browser.close_page(page)


def test_hostile_names_stay_text_in_the_report(browser, tmp_path):
    network = hostile_network()
    path = write_report_html(network, symbiosis.analyze(network), tmp_path / "hostile.html")
    page = open_report(browser, path)
    browser.pump(0.5)
    assert_clean(page)
    assert page.evaluate("document.querySelectorAll('main img, main b, main script').length") == 0
    text = page.evaluate("document.body.textContent")
    assert HOSTILE["script"] in text and HOSTILE["img"] in text
    browser.close_page(page)


def test_a_long_name_keeps_table_cells_narrow(browser, tmp_path):
    network = long_name_network()
    path = write_report_html(network, symbiosis.analyze(network), tmp_path / "long.html")
    page = open_report(browser, path)
    widest = page.evaluate(
        "Math.max.apply(null, Array.from(document.querySelectorAll('main td, main th'))"
        ".map(function (c) { return c.getBoundingClientRect().width; }))"
    )
    assert widest < 600  # a name of 3,000 letters made a cell 25,000 px wide
    assert_clean(page)
    browser.close_page(page)


LABELS = """(function () {
  var figure = document.getElementById('sankey-mass'), svg = figure.querySelector('svg');
  var frame = svg.getBoundingClientRect(), overlaps = [], outside = [];
  var texts = Array.from(svg.querySelectorAll('text')).map(function (t) {
    return [t.textContent, t.getBoundingClientRect()]; });
  texts.forEach(function (a, i) {
    if (a[1].left < frame.left - 0.5 || a[1].right > frame.right + 0.5) outside.push(a[0]);
    texts.slice(i + 1).forEach(function (b) {
      if (a[1].left < b[1].right && b[1].left < a[1].right && a[1].top < b[1].bottom &&
          b[1].top < a[1].bottom) overlaps.push([a[0], b[0]]);
    });
  });
  return {labels: texts.length, nodes: svg.querySelectorAll('g.node').length,
          overlaps: overlaps, outside: outside};
})()"""


@pytest.mark.parametrize("network", ["chain", "tongling"])
def test_sankey_labels_do_not_overlap(browser, tmp_path, network):
    """A ring of 16 firms drew its 18 labels on one line: 17 overlapping pairs."""
    chosen = chain_network() if network == "chain" else symbiosis.load(example_path("tongling"))
    report = symbiosis.analyze(chosen, sections=["summary"])
    path = write_report_html(chosen, report, tmp_path / "r.html", include_network=False)
    page = open_report(browser, path)
    drawn = page.evaluate(LABELS)
    assert drawn["overlaps"] == [] and drawn["outside"] == []
    assert drawn["labels"] >= drawn["nodes"] - 2
    browser.close_page(page)
