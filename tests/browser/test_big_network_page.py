"""The aggregated network page of a 20k-flow benchmark network in a real (headless)
Chromium, network cut off: it loads without errors, a click on a sector shows its firms and
a second click folds them back, the matrix follows the dimension, the map draws."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import numpy as np
import pytest
from chromium import TRAP
from pages import node_point

import symbiosis
from symbiosis.export.network_html import write_network_html

FLOW_COLUMNS = ["source", "target", "material", "category", "quantity", "unit"]
GENERATE = Path(__file__).parents[2] / "benchmarks" / "generate.py"
READY = "document.documentElement.dataset.ready === '1'"
VISIBLE_NODES = (
    "window.symbiosisNetwork.body.data.nodes.get({filter: function (n) { return !n.hidden; }})"
    ".length"
)


@pytest.fixture(scope="module")
def page_path(tmp_path_factory):
    spec = importlib.util.spec_from_file_location("bench_generate", GENERATE)
    generate = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(generate)
    folder = tmp_path_factory.mktemp("bench20k")
    generate.generate(20_000, seed=1, out_dir=folder)
    network = symbiosis.load(folder)
    path = folder / "network.html"
    write_network_html(network, path, max_flows=10_000)  # aggregated, as at 100k flows
    return path


@pytest.fixture(scope="module")
def page(browser, page_path):
    opened = browser.open(page_path, init_script=TRAP)
    opened.wait_for(READY, timeout=60)
    yield opened
    browser.close_page(opened)


def click(page, node_id: str) -> None:
    """A real mouse click on a node of the graph."""
    x, y = node_point(page, node_id)
    for kind in ("mouseMoved", "mousePressed", "mouseReleased"):
        page.send(
            "Input.dispatchMouseEvent",
            {"type": kind, "x": x, "y": y, "button": "left", "clickCount": 1},
        )


def test_loads_without_errors_and_draws_the_largest_links(page):
    assert page.errors() == [] and page.external_requests() == []
    assert page.evaluate("window.__xss || []") == []
    count = page.evaluate("document.getElementById('sym-count').textContent")
    assert count.startswith("150 of ") and "(the largest)" in count
    shown = page.evaluate(
        "window.symbiosisNetwork.body.data.edges.get({filter: function (e) { return !e.hidden; }})"
        ".length"
    )
    assert shown == 150


def test_clicking_a_sector_shows_its_firms_and_a_second_click_folds_them(page, browser):
    before = page.evaluate(VISIBLE_NODES)
    groups = page.evaluate("JSON.parse(document.getElementById('sym-data').textContent).expand")
    g = max(range(len(groups["ids"])), key=lambda i: groups["members"][i])  # the biggest
    click(page, groups["ids"][g])
    page.wait_for(f"{VISIBLE_NODES} > {before}", timeout=20)
    shown = min(groups["members"][g], groups["cap"])
    remainder = 1 if groups["members"][g] > groups["cap"] else 0
    assert page.evaluate(VISIBLE_NODES) == before - 1 + shown + remainder
    note = page.evaluate("document.getElementById('sym-expanded').textContent")
    assert f"the {shown} largest of {groups['members'][g]:,} firms" in note
    assert "links of the open sector's firms" in page.evaluate(
        "document.getElementById('sym-count').textContent"
    )
    browser.pump(0.3)
    click(page, f"x:{g}")  # the remainder node folds the sector back
    page.wait_for(f"{VISIBLE_NODES} === {before}", timeout=20)
    assert page.evaluate("window.symbiosisNetwork.body.data.nodes.get('x:' + 0)") is None
    assert page.errors() == []


def test_the_matrix_follows_the_dimension(page):
    shown = "Array.from(document.querySelectorAll('.sym-matrix')).filter(t => !t.hidden)"
    assert page.evaluate(f"{shown}.map(t => t.dataset.dimension)") == ["mass"]
    page.evaluate("document.querySelector('input.sym-dimension[value=energy]').click()")
    assert page.evaluate(f"{shown}.map(t => t.dataset.dimension)") == ["energy"]
    page.evaluate("document.getElementById('sym-reset').click()")
    assert page.evaluate(f"{shown}.map(t => t.dataset.dimension)") == ["mass"]


def test_the_map_draws_offline(page, browser):
    assert page.evaluate("window.symbiosisShowMap()") >= 1
    browser.pump(0.3)
    inked = page.evaluate(
        """(function () {
          var c = document.getElementById('sym-map-canvas'), d = c.getContext('2d')
            .getImageData(0, 0, c.width, c.height).data, n = 0;
          for (var i = 0; i < d.length; i += 4) if (d[i] < 200) n++;
          return n;
        })()"""
    )
    assert inked > 1000  # dots and lines, not an empty canvas
    note = page.evaluate("document.getElementById('sym-map-note').textContent")
    assert "no tiles (offline)" in note
    assert page.errors() == [] and page.external_requests() == []
    page.evaluate("document.querySelector('input[name=sym-view][value=network]').click()")


def test_a_map_of_links_of_unknown_size_draws_them(browser, tmp_path):
    """Kalundborg's published park, given coordinates, has no tonnages: the map drew its
    firms and no link. Every link is drawn now, alike, and the note says so."""
    import pandas as pd

    park = Path(__file__).parents[2] / "benchmarks" / "parks" / "kalundborg"
    firms = pd.read_csv(park / "firms.csv")
    rng = np.random.default_rng(1)
    firms["lat"] = 55.68 + rng.uniform(-0.03, 0.03, len(firms))
    firms["lon"] = 11.1 + rng.uniform(-0.05, 0.05, len(firms))
    path = tmp_path / "unsized.html"
    write_network_html(symbiosis.from_frames(firms, pd.read_csv(park / "flows.csv")), path)
    page = browser.open(path, init_script=TRAP)
    page.wait_for(READY, timeout=60)
    page.evaluate("window.symbiosisShowMap()")
    browser.pump(0.3)
    ink = """(function () {
      var c = document.getElementById('sym-map-canvas'), d = c.getContext('2d')
        .getImageData(0, 0, c.width, c.height).data, n = 0;
      for (var i = 0; i < d.length; i += 4) if (d[i] < 235 && d[i + 1] > d[i] + 20) n++;
      return n; })()"""  # greenish pixels: the by-product lines (the dots are blue-grey)
    assert page.evaluate(ink) > 3000  # the dots alone: under 1,000
    note = page.evaluate("document.getElementById('sym-map-note').textContent")
    assert "30 exchanges between them, none of known size (lines alike)" in note
    assert page.errors() == [] and page.external_requests() == []
    browser.close_page(page)


def test_a_basemap_loads_tiles_from_that_server_only(browser, tmp_path):
    from html_networks import random_network

    network = random_network(300, 700, seed=2)
    firms = network.firms.reset_index()
    rng = np.random.default_rng(2)
    firms["lat"], firms["lon"] = rng.uniform(30, 32, len(firms)), rng.uniform(116, 118, len(firms))
    located = symbiosis.from_frames(firms, network.flows.reset_index(drop=True)[FLOW_COLUMNS])
    path = tmp_path / "basemap.html"
    template = "https://tiles.example.org/{z}/{x}/{y}.png"
    write_network_html(located, path, basemap=template)
    page = browser.open(path, init_script=TRAP)
    page.wait_for(READY, timeout=60)
    assert page.external_requests() == []  # nothing until the map is shown
    page.evaluate("window.symbiosisShowMap()")
    browser.pump(1.0)
    requested = page.external_requests()
    assert requested and all(u.startswith("https://tiles.example.org/") for u in requested)
    assert all(re.fullmatch(r"https://tiles\.example\.org/\d+/\d+/\d+\.png", u) for u in requested)
    note = page.evaluate("document.getElementById('sym-map-note').textContent")
    assert "tiles from tiles.example.org" in note
    browser.close_page(page)


def test_hostile_names_stay_text_when_a_sector_opens(browser, tmp_path):
    from html_networks import HOSTILE, hostile_network

    path = tmp_path / "hostile.html"
    write_network_html(hostile_network(), path, max_flows=1)
    page = browser.open(path, init_script=TRAP)
    page.wait_for(READY, timeout=60)
    ids = page.evaluate("JSON.parse(document.getElementById('sym-data').textContent).expand.ids")
    opened = [i for i in ids if HOSTILE["script"] in i]
    assert opened, ids
    assert page.evaluate(f"window.symbiosisExpand({opened[0]!r})") >= 1
    note = page.evaluate("document.getElementById('sym-expanded').textContent")
    assert HOSTILE["script"] in note  # shown literally, as text
    assert page.evaluate("document.querySelectorAll('#sym-expanded *').length") == 0
    cells = page.evaluate(
        "Array.from(document.querySelectorAll('.sym-matrix th')).map(t => t.title)"
    )
    assert HOSTILE["script"] in cells
    assert (
        page.evaluate("document.querySelectorAll('.sym-matrix img, .sym-matrix svg').length") == 0
    )
    assert page.evaluate("window.__xss || []") == [] and page.errors() == []
    browser.close_page(page)
