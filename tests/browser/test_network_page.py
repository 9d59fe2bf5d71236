"""The network HTML in a real (headless) Chromium with the network cut off."""

from __future__ import annotations

import time

import pytest
from chromium import TRAP
from html_networks import HOSTILE, chinese_network, hostile_network, random_network
from pages import node_point
from test_long_names import LONG, long_name_network
from test_visible_text import bidi_network

import symbiosis
from symbiosis.examples import example_path
from symbiosis.export.network_html import write_network_html

READY = "document.documentElement.dataset.ready === '1'"


def open_network(browser, path, timeout=60.0):
    page = browser.open(path, init_script=TRAP)
    waited = page.wait_for(READY, timeout=timeout)
    return page, waited


def assert_clean(page):
    assert page.errors() == []
    assert page.external_requests() == []
    assert page.evaluate("window.__xss || []") == []


def hover_node(browser, page, node_id):
    """Move the mouse onto a node; return the tooltip's text once it shows."""
    point = node_point(page, node_id)
    for dx in (0, 1):
        page.send(
            "Input.dispatchMouseEvent",
            {"type": "mouseMoved", "x": point[0] + dx, "y": point[1], "button": "none"},
        )
    page.wait_for(
        "(function () { var t = document.querySelector('div.vis-tooltip');"
        " return t && t.style.visibility !== 'hidden' && t.textContent.length > 0; })()",
        timeout=10,
    )
    return page


@pytest.fixture(scope="module")
def tongling(tmp_path_factory):
    network = symbiosis.load(example_path("tongling"))
    report = symbiosis.analyze(network)
    path = tmp_path_factory.mktemp("html") / "tongling.html"
    write_network_html(network, path, report)
    return network, report, path


def test_tongling_renders_offline_without_errors(browser, tongling):
    network, _, path = tongling
    page, waited = open_network(browser, path)
    assert waited < 30
    assert page.evaluate("document.querySelectorAll('#mynetwork canvas').length") == 1
    assert page.evaluate("window.symbiosisNetwork.body.data.nodes.length") == network.n_firms
    assert page.evaluate("window.symbiosisNetwork.body.data.edges.length") == network.n_flows
    drawn = page.evaluate("Object.keys(window.symbiosisNetwork.getPositions()).length")
    assert drawn == network.n_firms
    assert_clean(page)
    browser.close_page(page)


def test_layout_stops_moving_once_settled(browser, tongling):
    page, _ = open_network(browser, tongling[2])
    assert page.evaluate("window.symbiosisNetwork.physics.physicsEnabled") is False
    before = page.evaluate("JSON.stringify(window.symbiosisNetwork.getPositions())")
    browser.pump(1.0)
    assert page.evaluate("JSON.stringify(window.symbiosisNetwork.getPositions())") == before
    browser.close_page(page)


def test_tooltip_shows_the_firm_as_text(browser, tongling):
    network, _, path = tongling
    page, _ = open_network(browser, path)
    hover_node(browser, page, "n:JG")
    text = page.evaluate("document.querySelector('div.vis-tooltip').textContent")
    assert network.firms.loc["JG", "name"] in text  # the full name, Chinese included
    assert "primary copper smelting" in text and "t/yr" in text
    assert_clean(page)
    browser.close_page(page)


def test_filter_by_material_shows_only_its_flows(browser, tongling):
    network, _, path = tongling
    page, _ = open_network(browser, path)
    page.evaluate("window.symbiosisFilter({material: 'copper slag'})")
    shown = page.evaluate(
        "window.symbiosisNetwork.body.data.edges.get({filter: function (e) {"
        " return !e.hidden; }}).map(function (e) { return e.material; })"
    )
    expected = (network.flows["material_key"] == "copper slag").sum()
    assert len(shown) == expected and set(shown) == {"copper slag"}
    visible_nodes = page.evaluate(
        "window.symbiosisNetwork.body.data.nodes.get({filter: function (n) {"
        " return !n.hidden; }}).length"
    )
    assert visible_nodes == 3  # the two smelters and the slag plant
    assert "of 66 links shown" in page.evaluate("document.getElementById('sym-count').textContent")
    page.evaluate("document.getElementById('sym-reset').click()")
    assert (
        page.evaluate(
            "window.symbiosisNetwork.body.data.edges.get({filter: function (e) {"
            " return e.hidden; }}).length"
        )
        == 0
    )
    assert_clean(page)
    browser.close_page(page)


def test_loops_are_marked(browser, tongling):
    _, report, path = tongling
    assert "loops" in report.sections
    page, _ = open_network(browser, path)
    page.evaluate(
        "document.getElementById('sym-only-loops').checked = true;"
        "document.getElementById('sym-only-loops').dispatchEvent(new Event('change'))"
    )
    looped = page.evaluate(
        "window.symbiosisNetwork.body.data.edges.get({filter: function (e) {"
        " return !e.hidden; }}).length"
    )
    members = {m for core in report.loops.cores for m in core.members}
    assert looped > 0
    assert page.evaluate(
        "window.symbiosisNetwork.body.data.nodes.get({filter: function (n) {"
        " return !n.hidden; }}).length"
    ) == len(members)
    browser.close_page(page)


def test_chinese_names_display(browser, tmp_path):
    path = write_network_html(chinese_network(), tmp_path / "cn.html")
    page, _ = open_network(browser, path)
    labels = page.evaluate(
        "window.symbiosisNetwork.body.data.nodes.get().map(function (n) { return n.label; })"
    )
    assert "冬瓜山铜矿" in labels and "金冠铜业" in labels
    options = page.evaluate("document.getElementById('sym-material').textContent")
    assert "铜精矿" in options
    hover_node(browser, page, "n:SMELT")
    assert "金冠铜业" in page.evaluate("document.querySelector('div.vis-tooltip').textContent")
    assert_clean(page)
    browser.close_page(page)


def test_hostile_names_stay_text(browser, tmp_path):
    path = write_network_html(hostile_network(), tmp_path / "hostile.html", color_by="sector")
    page, _ = open_network(browser, path)
    browser.pump(0.5)
    assert_clean(page)  # no alert ran, no console error, nothing fetched
    assert page.evaluate("document.querySelectorAll('img, svg, b, a[href], iframe').length") == 0
    panel = page.evaluate("document.getElementById('sym-panel').textContent")
    assert HOSTILE["style"].split(" ")[0] in panel  # a sector, shown literally
    materials = page.evaluate(
        "Array.from(document.querySelectorAll('#sym-material option'))"
        ".map(function (o) { return o.textContent; }).join('\\n')"
    )
    assert HOSTILE["json"] in materials and HOSTILE["img"] in materials
    for node in ("n:<b>A</b>", "n:B", "n:C", "n:D"):
        hover_node(browser, page, node)
        tip = page.evaluate("document.querySelector('div.vis-tooltip').innerHTML")
        assert "<img" not in tip and "<script" not in tip and "<svg" not in tip
    text = page.evaluate("document.querySelector('div.vis-tooltip').textContent")
    assert HOSTILE["href"] in text
    assert_clean(page)
    browser.close_page(page)


def test_bidi_controls_show_as_escapes_in_tooltips_search_and_filter(browser, tmp_path):
    path = write_network_html(bidi_network(), tmp_path / "bidi.html")
    page, _ = open_network(browser, path)
    hover_node(browser, page, "n:A\\u202e")
    tip = page.evaluate("document.querySelector('div.vis-tooltip').textContent")
    assert "\\u202eevil\\u202c RTL" in tip and "\u202e" not in tip
    assert "firm" in tip  # not reversed into "mrif"
    page.evaluate(
        "var box = document.getElementById('sym-search'); box.value = 'evil';"
        " box.dispatchEvent(new Event('change'))"
    )
    assert page.evaluate("document.getElementById('sym-found').textContent") == (
        "1 found: \\u202eevil\\u202c RTL"
    )
    page.evaluate("window.symbiosisFilter({material: '\\\\u202eore'})")
    shown = page.evaluate(
        "window.symbiosisNetwork.body.data.edges.get({filter: function (e) {"
        " return !e.hidden; }}).map(function (e) { return e.material; })"
    )
    assert shown == ["\\u202eore"]
    assert_clean(page)
    browser.close_page(page)


def test_years_are_told_apart(browser, tmp_path):
    network = symbiosis.load(example_path("years"))
    path = write_network_html(network, tmp_path / "years.html")
    page, _ = open_network(browser, path)
    header = page.evaluate("document.getElementById('sym-header').innerText")
    assert "Flows of 3 years (2019-2021) are added up" in header
    page.evaluate("window.symbiosisFilter({year: 2020})")
    shown = page.evaluate(
        "window.symbiosisNetwork.body.data.edges.get({filter: function (e) {"
        " return !e.hidden; }}).map(function (e) { return e.year; })"
    )
    assert shown and set(shown) == {2020}
    assert len(shown) == (network.flows["year"] == 2020).sum()
    edge = page.evaluate("window.symbiosisNetwork.body.data.edges.getIds()[0]")
    page.evaluate(f"void window.symbiosisNetwork.emit('showPopup', {edge!r})")
    assert "year2019" in page.evaluate("window.symbiosisTip.textContent")
    page.evaluate("void window.symbiosisNetwork.emit('showPopup', 'n:STL')")
    assert "3 years 2019-2021 added up" in page.evaluate("window.symbiosisTip.textContent")
    page.evaluate("document.getElementById('sym-reset').click()")
    hidden = (
        "window.symbiosisNetwork.body.data.edges.get({filter: function (e) { return e.hidden; }})"
    )
    assert page.evaluate(hidden + ".length") == 0
    assert_clean(page)
    browser.close_page(page)


def search(page, text):
    page.evaluate(
        f"var box = document.getElementById('sym-search'); box.value = {text!r};"
        " box.dispatchEvent(new Event('change'))"
    )
    found = page.evaluate("document.getElementById('sym-found').textContent")
    return found, page.evaluate("window.symbiosisNetwork.getSelectedNodes()")


def test_search_clears_on_no_match_and_reads_names_as_shown(browser, tmp_path):
    network = chinese_network()
    firms = network.firms.reset_index()
    firms.loc[firms["id"] == "CEM", "name"] = "line1\nline2"
    network = symbiosis.from_frames(firms, network.flows)
    page, _ = open_network(browser, write_network_html(network, tmp_path / "search.html"))
    assert search(page, "金冠")[1] == ["n:SMELT"]
    assert search(page, "zzz") == ("no match", [])  # the earlier match is not left selected
    found, selected = search(page, "  LINE1   line2 ")
    assert found.startswith("1 found: line1") and selected == ["n:CEM"]
    assert_clean(page)
    browser.close_page(page)


def test_a_long_name_is_shortened_in_a_tooltip_that_wraps(browser, tmp_path):
    path = write_network_html(long_name_network(), tmp_path / "long.html")
    page, _ = open_network(browser, path)
    hover_node(browser, page, "n:" + "L" * 200)
    name = page.evaluate("document.querySelector('div.vis-tooltip strong').textContent")
    assert name == LONG[:199] + "…"  # markup.TEXT_LENGTH
    box = page.evaluate(
        "(function () { var r = document.querySelector('div.vis-tooltip')"
        ".getBoundingClientRect(); return [r.width, r.right, window.innerWidth]; })()"
    )
    assert box[0] <= 400 and box[1] <= box[2]  # wraps, inside the window
    assert_clean(page)
    browser.close_page(page)


def shown_on_map(page):
    return page.evaluate("window.symbiosisMapShown")


def test_the_map_follows_the_filters_and_its_labels_do_not_overprint(browser, tongling):
    network, _, path = tongling
    page, _ = open_network(browser, path)
    page.evaluate("window.symbiosisShowMap()")
    everything = shown_on_map(page)
    located = network.firms["lat"].notna().sum()
    assert everything["nodes"] == located and everything["flows"] > 20
    # Tongling's district-precision points: two pairs of firms share coordinates
    boxes = [box for _, box in everything["labels"]]
    assert len(boxes) == located
    for i, a in enumerate(boxes):
        assert a[0] >= 0 and a[1] >= 0
        for b in boxes[i + 1 :]:
            assert a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1], (a, b)
    page.evaluate("window.symbiosisFilter({material: 'copper slag'})")
    slag = shown_on_map(page)
    assert slag["flows"] == 2 and slag["nodes"] == 3  # the two smelters and the slag plant
    assert "the filters leave 2 exchanges" in page.evaluate(
        "document.getElementById('sym-map-note').textContent"
    )
    page.evaluate("document.getElementById('sym-reset').click()")
    assert shown_on_map(page)["flows"] == everything["flows"]
    page.evaluate(
        "var box = document.querySelector('.sym-category[value=product]'); box.checked = false;"
        " box.dispatchEvent(new Event('change'))"
    )
    assert 0 < shown_on_map(page)["flows"] < everything["flows"]
    assert_clean(page)
    browser.close_page(page)


def test_five_thousand_nodes_open_and_respond(browser, tmp_path):
    network = random_network(5000, 12000, seed=1)
    # the full view of 5,000 nodes (aggregated by default from 2,000: docs/html.md)
    path = write_network_html(network, tmp_path / "big.html", max_nodes=10_000, max_flows=40_000)
    page, waited = open_network(browser, path, timeout=120)
    assert waited < 60, f"5,000 nodes took {waited:.1f} s to open"
    assert page.evaluate("window.symbiosisNetwork.body.data.nodes.length") == network.n_firms
    start = time.monotonic()
    page.evaluate("window.symbiosisFilter({material: 'material 3'})")
    page.evaluate(
        "new Promise(function (done) { window.symbiosisNetwork.once('afterDrawing', done);"
        " window.symbiosisNetwork.redraw(); })"
    )
    assert time.monotonic() - start < 10
    assert_clean(page)
    browser.close_page(page)
