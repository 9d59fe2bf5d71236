"""The network page at scale: aggregated links, expansion of a sector, the sector matrix,
the map and its optional basemap, checked against a network small enough to add up by
hand (3 sectors, 2 categories, 2 dimensions)."""

from __future__ import annotations

import math
import re
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
from html_networks import HOSTILE, hostile_network, random_network
from hypothesis import given, settings
from hypothesis import strategies as st
from test_network_html import REMOTE, payload, sym_data, without_library
from typer.testing import CliRunner

import symbiosis
from symbiosis import InputError, from_frames
from symbiosis.cli import app
from symbiosis.examples import example_path
from symbiosis.export import network_html as nh
from symbiosis.export import network_map
from symbiosis.export.network_aggregate import expansion_data, group_of_nodes
from symbiosis.export.network_map import check_basemap, map_data
from symbiosis.export.network_matrix import matrix_values
from symbiosis.export.palette import EDGE_WIDTH
from symbiosis.vocabulary import CATEGORIES

FIRMS = pd.DataFrame(
    {
        "id": ["a1", "a2", "b1", "b2", "c1"],
        "name": ["Alpha one", "Alpha two", "Beta one", "Beta two", "Gamma"],
        "sector": ["A", "A", "B", "B", "C"],
        "role": ["firm"] * 5,
        "lat": [31.0, 31.1, 31.2, 31.3, 31.4],
        "lon": [117.0, 117.1, 117.2, 117.3, 117.4],
    }
)
FLOWS = pd.DataFrame(
    {
        "source": ["a1", "a2", "a1", "b1", "b2", "b2", "a1", "c1"],
        "target": ["b1", "b1", "b2", "c1", "c1", "c1", "a2", "a1"],
        "material": ["steel", "steel", "slag", "heat", "ash", "ash", "scrap", "slag"],
        "category": [
            "by-product",
            "by-product",
            "waste",
            "by-product",
            "waste",
            "waste",
            "by-product",
            "by-product",
        ],
        "quantity": [10.0, 5.0, 4.0, 3.0, 2.0, 1000.0, 7.0, 6.0],
        "unit": ["t", "t", "t", "MWh", "t", "kg", "t", "t"],
    }
)
# By hand: (from sector, to sector, category, dimension) -> summed quantity (t or GJ).
LINKS = {
    ("A", "A", "by-product", "mass"): 7.0,
    ("A", "B", "by-product", "mass"): 15.0,  # 10 + 5
    ("A", "B", "waste", "mass"): 4.0,
    ("B", "C", "by-product", "energy"): 10.8,  # 3 MWh in GJ: never added to tonnes
    ("B", "C", "waste", "mass"): 3.0,  # 2 t + 1000 kg
    ("C", "A", "by-product", "mass"): 6.0,
}


@pytest.fixture(scope="module")
def small():
    return from_frames(FIRMS, FLOWS)


@pytest.fixture(scope="module")
def view(small):
    return nh.build_view(small, max_flows=1)  # aggregate although it is tiny


def sector_of(vid: str) -> str:
    return vid.removeprefix("g:s:")


# ---------------------------------------------------------------------------- links


def test_one_link_per_sector_pair_category_and_dimension(view):
    got = {
        (sector_of(e["from"]), sector_of(e["to"]), e["category"], e["dimension"]): e["value"]
        for e in view.edges
    }
    assert len(view.edges) == len(LINKS) == 6  # 8 flows, 3 sectors, 2 categories
    assert got == pytest.approx(LINKS)
    assert [n["name"] for n in view.nodes] == ["A", "B", "C"]


def test_link_widths_are_the_square_root_of_the_share_of_the_largest(view):
    low, high = EDGE_WIDTH
    top = {"mass": 15.0, "energy": 10.8}
    assert view.width_scale == "sqrt" and view.width_max == pytest.approx(top)
    for edge in view.edges:
        share = LINKS[
            (sector_of(edge["from"]), sector_of(edge["to"]), edge["category"], edge["dimension"])
        ]
        expected = low + (high - low) * math.sqrt(share / top[edge["dimension"]])
        assert edge["width"] == pytest.approx(expected)
    widths = {(sector_of(e["from"]), sector_of(e["to"]), e["category"]): e for e in view.edges}
    assert widths[("A", "B", "by-product")]["width"] == pytest.approx(high)  # 15 t, the largest
    assert widths[("B", "C", "by-product")]["width"] == pytest.approx(high)  # the only GJ link
    assert widths[("A", "B", "waste")]["width"] == pytest.approx(low + (high - low) * 0.516, 1e-3)


def test_no_glow_unless_a_link_carries_a_loop_arc(small):
    # One core: a1 -> b1 -> c1 -> a1 (and a2, b2 with it); the 'loops' of a report.
    report = {"loops": SimpleNamespace(cores=[{"members": ["a1", "a2", "b1", "b2", "c1"]}])}
    edges = nh.build_view(small, report, max_flows=1).edges
    assert all(e["loop"] and e["shadow"]["size"] == 6 for e in edges)
    only_ab = {"loops": SimpleNamespace(cores=[{"members": ["a1", "b1"]}])}
    glowing = [e for e in nh.build_view(small, only_ab, max_flows=1).edges if "shadow" in e]
    assert [(sector_of(e["from"]), sector_of(e["to"]), e["category"]) for e in glowing] == [
        ("A", "B", "by-product")  # a1 -> b1 only
    ]


def test_the_page_draws_the_largest_links_and_one_dimension_at_a_time(small):
    page = nh.network_html(small, max_flows=1)
    data = sym_data(page)
    assert data["linkLimit"] == 150 and data["widthScale"] == "sqrt"
    radios = re.findall(r'<input type="radio" name="sym-dimension"[^>]*>', page)
    assert len(radios) == 2 and sum("checked" in r for r in radios) == 1
    assert 'value="mass" checked' in page  # the size dimension is shown first
    assert "edge width: √ of quantity" in page


# ---------------------------------------------------------------------------- expansion


def test_expansion_data_lists_the_firms_and_their_links_capped(small):
    group, labels = group_of_nodes(small, 10_000)
    assert labels == ["s:A", "s:B", "s:C"]
    through = small.core.throughflow("mass")  # a1: max(6, 21) = 21, a2: max(7, 5) = 7
    data = expansion_data(small, group, 3, np.full(5, -1), through, np.full(5, 6.0), cap=1)
    assert data["members"] == [2, 2, 1]
    assert [[f[0] for f in firms] for firms in data["firms"]] == [["a1"], ["b1"], ["c1"]]
    assert data["firms"][0][0][5] == pytest.approx(21.0)
    mass, energy = 0, 1
    by_product, waste = CATEGORIES.index("by-product"), CATEGORIES.index("waste")
    # Group A: a1 is row 0, a2 (beyond the cap) is the remainder node 1; B is -2, C is -3.
    assert data["links"][0] == [
        [-3, 0, by_product, mass, 6.0, 1, 0],
        [0, -2, by_product, mass, 10.0, 1, 0],
        [0, -2, waste, mass, 4.0, 1, 0],
        [0, 1, by_product, mass, 7.0, 1, 0],
        [1, -2, by_product, mass, 5.0, 1, 0],
    ]
    # Group B (b1: 15 t in; b2, 4 t in, is the remainder), from the target's side too:
    # a1 and a2 are both group A there, and the two ash flows (2 t, 1000 kg) are one row.
    assert data["links"][1] == [
        [-1, 0, by_product, mass, 15.0, 2, 0],
        [-1, 1, waste, mass, 4.0, 1, 0],
        [0, -3, by_product, energy, 10.8, 1, 0],
        [1, -3, waste, mass, 3.0, 2, 0],
    ]


def test_the_page_embeds_expansion_data_within_the_cap():
    network = random_network(4000, 9000, seed=3)  # 17 sectors of about 235 firms
    page = nh.network_html(network, max_flows=1000)
    expand = sym_data(page)["expand"]
    nodes = payload(page, "nodes")
    assert expand["ids"] == [n["id"] for n in nodes]
    assert expand["members"] == [n["members"] for n in nodes]
    assert sum(expand["members"]) == network.n_firms
    assert max(expand["members"]) > expand["cap"] == 200  # some group is capped
    for firms, members in zip(expand["firms"], expand["members"], strict=True):
        assert len(firms) == min(members, 200)
        sizes = [f[5] for f in firms]
        assert sizes == sorted(sizes, reverse=True)  # the largest by throughflow
        assert all(isinstance(f, list) and len(f) == 6 for f in firms)  # arrays, not dicts
    # Every flow is in the expansion of its source's group (and of its target's, if other).
    counted = sum(link[5] for links in expand["links"] for link in links)
    between = sum(e["flows"] for e in payload(page, "edges") if e["from"] != e["to"])
    assert counted == network.n_flows + between


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 10_000), cap=st.integers(1, 30))
def test_expansion_links_keep_every_flow_s_quantity(seed, cap):
    network = random_network(60, 150, seed=seed)
    group, labels = group_of_nodes(network, 10_000)
    through = network.core.throughflow(network.dimensions[0])
    data = expansion_data(
        network, group, len(labels), np.full(network.core.n_nodes, -1), through, through, cap
    )
    core = network.core
    for g, links in enumerate(data["links"]):
        touching = (group[core.source] == g) | (group[core.target] == g)
        assert sum(link[5] for link in links) == int(touching.sum())
        for d in range(3):
            values = core.value[touching & (core.unit_dimension == d)]
            expected = np.nansum(values)
            got = sum(link[4] or 0.0 for link in links if link[3] == d)
            assert got == pytest.approx(expected, rel=1e-9, abs=1e-9)
        assert all(-len(labels) <= min(link[:2]) and max(link[:2]) <= cap for link in links)


# ---------------------------------------------------------------------------- matrix


def test_matrix_values_are_the_summed_flows_per_sector_pair_and_dimension(view, small):
    nodes, edges, _ = nh.aggregate_by_sector(small, np.full(5, -1), 10_000)
    index = {"A": 0, "B": 1, "C": 2}
    for dimension in ("mass", "energy"):
        expected = np.full((3, 3), np.nan)
        for (s, t, _, d), value in LINKS.items():
            if d == dimension:
                i, j = index[s], index[t]
                expected[i, j] = np.nan_to_num(expected[i, j]) + value
        got = matrix_values(nodes, edges, dimension)
        np.testing.assert_allclose(got, expected)
    assert matrix_values(nodes, edges, "mass")[0, 1] == pytest.approx(19.0)  # 15 + 4


def test_matrix_in_the_page_has_a_cell_per_pair_with_its_value(small):
    page = nh.network_html(small, max_flows=1)
    tables = re.findall(r'<div class="sym-matrix" data-dimension="(\w+)"( hidden)?>', page)
    assert tables == [("mass", ""), ("energy", " hidden")]
    mass = page[page.index('data-dimension="mass"') : page.index('data-dimension="energy"')]
    values = sorted(float(v) for v in re.findall(r'data-v="([^"]+)"', mass))
    assert values == [3.0, 6.0, 7.0, 19.0]
    assert 'title="A → B: 19 t/yr"' in mass


def test_matrix_names_are_escaped():
    page = nh.network_html(hostile_network(), max_flows=1)
    ours = without_library(page)
    assert 'class="sym-matrix"' in ours
    for text in HOSTILE.values():
        assert text not in page
    for tag in ("<img", "<svg", "<b>", "<a href", "<!--"):
        assert tag not in ours.lower()
    assert ours.count("<script") == ours.count("</script>")


# ---------------------------------------------------------------------------- map


def test_map_only_when_coordinates_exist(small, monkeypatch):
    assert nh.build_view(hostile_network()).map is None  # no lat/lon columns
    one = FIRMS.assign(lat=[31.0, None, None, None, None])
    assert map_data(from_frames(one, FLOWS), "mass") is None  # one located firm: no map
    data = map_data(small, "mass")
    assert data["lat"] == [31.0, 31.1, 31.2, 31.3, 31.4]
    assert data["name"] == list(FIRMS["name"])  # small maps carry names (labels, hover)
    assert map_data(small, "mass")["role"] == [0] * 5
    assert data["total"] == 7  # mass flows between located firms (not the MWh one)
    assert [f[3] for f in data["flows"]] == [10.0, 7.0, 6.0, 5.0, 4.0, 2.0, 1.0]
    assert map_data(small, "mass", max_flows=2)["flows"] == data["flows"][:2]
    monkeypatch.setattr(network_map, "MAP_NAMES", 4)
    assert map_data(small, "mass")["name"] is None  # big maps: no names (page size)
    page = nh.network_html(small)
    assert 'id="sym-map-canvas"' in page and 'name="sym-view"' in page
    assert 'id="sym-map-canvas"' not in nh.network_html(hostile_network())


def test_map_flows_carry_what_the_filters_read():
    """Material, loop, disposed and dimension flags, and the year: the map follows the
    filter panel (it drew every exchange whatever was chosen)."""
    network = symbiosis.load(example_path("tongling"))
    report = symbiosis.analyze(network, sections=["loops"])
    view = nh.build_view(network, report)
    data = view.map
    keys = {key for key, _, _ in view.materials}
    assert set(data["materials"]) >= keys
    slag = [f for f in data["flows"] if data["materials"][f[4]] == "copper slag"]
    assert len(slag) == 2 and all(f[5] & 1 for f in slag)  # on a loop
    disposed = [f for f in data["flows"] if f[5] & 2]
    assert disposed and all(data["role"][f[1]] >= 7 for f in disposed)  # disposal, environment
    assert {(f[5] >> 2) - 1 for f in data["flows"]} == {0}  # mass, the sizing dimension
    assert all(len(f) == 6 for f in data["flows"])  # no years
    years = symbiosis.load(example_path("years"))
    firms = years.firms.reset_index().assign(lat=30.0, lon=117.0)
    firms.loc[0, "lat"] = 30.5
    located = symbiosis.from_frames(firms, years.flows)
    rows = nh.build_view(located).map["flows"]
    assert {f[6] for f in rows} == {2019, 2020, 2021}


def test_map_page_loads_nothing_without_a_basemap(small):
    page = nh.network_html(small, max_flows=1)
    assert not REMOTE.search(page)
    assert sym_data(page)["basemap"] is None
    assert "img-src data:;" in page
    assert "map (offline, no tiles)" in page


def test_basemap_allows_images_from_that_server_only(small):
    template = "https://tiles.example.org/{z}/{x}/{y}.png"
    page = nh.network_html(small, basemap=template)
    assert sym_data(page)["basemap"] == template
    assert "img-src data: https://tiles.example.org;" in page
    assert "default-src &#x27;none&#x27;" in page or "default-src 'none'" in page
    assert not REMOTE.search(page)  # the template is data, never a src or href


@pytest.mark.parametrize(
    "template",
    [
        "http://tiles.example.org/{z}/{x}/{y}.png",
        "https://tiles.example.org/tiles.png",
        "https://tiles.example.org/{z}/{x}.png",
        "//tiles.example.org/{z}/{x}/{y}.png",
        "https:///{z}/{x}/{y}.png",
        "https://tiles.example.org/{z}/{x}/{y}.png?a='\"><script>",
        "javascript:alert(1)//{z}/{x}/{y}",
        "https://user@tiles.example.org/{z}/{x}/{y}.png",
        "https://[::1]/{z}/{x}/{y}.png",  # CSP cannot name an IPv6 address
        "https://[::1/{z}/{x}/{y}.png",  # urlsplit raises
        "https://-tiles.example.org/{z}/{x}/{y}.png",
        "https://tiles..example.org/{z}/{x}/{y}.png",
        "https://tiles.example.org:0/{z}/{x}/{y}.png",
        "https://tiles.example.org:/{z}/{x}/{y}.png",
        "https://tiles.example.org/{z}/{x}/{y}.png\n",
    ],
)
def test_bad_basemaps_are_refused(template, small):
    with pytest.raises(InputError, match="--basemap"):
        check_basemap(template)
    with pytest.raises(InputError):
        nh.network_html(small, basemap=template)


@pytest.mark.parametrize(
    "template",
    [
        "https://tiles.example.org/{z}/{x}/{y}.png#top",
        "HTTPS://Tiles.Example.org:8443/{z}/{x}/{y}.png?key=1&style=2",
        "https://10.0.0.1:8080/{z}/{x}/{y}.png",
    ],
)
def test_basemaps_a_url_parser_reads_as_one_origin_are_accepted(template):
    assert check_basemap(template) == template


def test_cli_basemap_bad_port_scheme_and_tab_say_what_is_wrong(tmp_path):
    """Found by a tester: a port of 99999 and a tab in the host were accepted (urlsplit,
    as browsers do, drops the tab), ':abc' was called a bad host; a template without its
    scheme was told to need a host it had. Each is exit 2, before any work, naming the
    option and what to do."""
    out = tmp_path / "n.html"
    example = "Example: --basemap 'https://tile.openstreetmap.org/{z}/{x}/{y}.png'"
    cases = {
        "https://tile.example.org:99999/{z}/{x}/{y}.png": "the port '99999' is not a number "
        "from 1 to 65535; give the server's port, or none for https's 443",
        "https://tile.example.org:abc/{z}/{x}/{y}.png": "the port 'abc' is not a number from "
        "1 to 65535",
        "https://tile.exa\tmple.org/{z}/{x}/{y}.png": "it contains a tab, a line break or "
        "another control character; write the URL without them",
        "tile.example.org/{z}/{x}/{y}.png": "it must start with https:// and the tile server's "
        "host. Example",
        "https://[::1/{z}/{x}/{y}.png": "it is not a URL (Invalid IPv6 URL)",  # internal error
    }
    for template, message in cases.items():
        result = CliRunner().invoke(
            app, ["export", "--example", "tongling", "--html", str(out), "--basemap", template]
        )
        assert result.exit_code == 2, result.output
        line = result.stderr.strip()
        assert line.startswith(f"error: --basemap {template!r}: {message}"), line
        assert line.endswith(example) and line.count("\n") == 0
        assert not out.exists()


def test_cli_basemap_exit_2_before_any_work(tmp_path):
    runner = CliRunner()
    out = tmp_path / "n.html"
    for template in ("http://tile.example.org/{z}/{x}/{y}.png", "https://tile.example.org/a.png"):
        result = runner.invoke(
            app, ["export", "--example", "tongling", "--html", str(out), "--basemap", template]
        )
        assert result.exit_code == 2, result.output
        assert "--basemap" in result.output and "Traceback" not in result.output
        assert not out.exists()
    good = "https://tile.example.org/{z}/{x}/{y}.png"
    result = runner.invoke(
        app, ["export", "--example", "tongling", "--html", str(out), "--basemap", good, "-q"]
    )
    assert result.exit_code == 0, result.output
    assert "img-src data: https://tile.example.org;" in out.read_text(encoding="utf-8")


@settings(max_examples=20, deadline=None)
@given(seed=st.integers(0, 10_000))
def test_matrix_adds_up_to_every_known_flow_of_its_dimension(seed):
    network = random_network(80, 240, seed=seed)
    nodes, edges, _ = nh.aggregate_by_sector(network, np.full(network.core.n_nodes, -1), 10_000)
    for dimension in network.dimensions:
        total = network.flows_in(dimension, known=True)["value"].sum()
        assert np.nansum(matrix_values(nodes, edges, dimension)) == pytest.approx(total)


def test_a_map_of_links_without_sizes_draws_every_link_alike():
    """A park mapped with coordinates but no tonnages: the map drew the firms and no
    link ("no exchanges of known size"); every link now, value 0, in the flows' order,
    and the page sizes nothing by a dimension that has no size."""
    unsized = from_frames(FIRMS, FLOWS.assign(quantity=""))
    data = map_data(unsized, None)
    assert data["total"] == len(FLOWS) and data["dimension"] is None
    at = {firm: i for i, firm in enumerate(FIRMS["id"])}
    links = zip(FLOWS["source"], FLOWS["target"], strict=True)
    assert [(f[0], f[1]) for f in data["flows"]] == [(at[a], at[b]) for a, b in links]
    assert {f[3] for f in data["flows"]} == {0.0}
    assert map_data(unsized, None, max_flows=3)["flows"] == data["flows"][:3]
    assert map_data(unsized, "mass")["flows"] == []  # in a dimension: the sized ones only
    view = nh.build_view(unsized)
    assert view.size_dimension is None and view.map["flows"] == data["flows"]
    assert "no flow of known size" in nh.network_html(unsized)
    assert nh.build_view(from_frames(FIRMS, FLOWS)).size_dimension == "mass"


def chain(nodes: int, flows: int, sectors: int = 4) -> symbiosis.FlowNetwork:
    """``nodes`` firms of ``sectors`` sectors and ``flows`` flows between them (a ring, then more
    laps)."""
    ids = [f"f{i}" for i in range(nodes)]
    firms = pd.DataFrame({"id": ids, "sector": [f"s{i % sectors}" for i in range(nodes)]})
    k = np.arange(flows)
    links = pd.DataFrame(
        {
            "source": [ids[i % nodes] for i in k],
            "target": [ids[(i + 1 + i // nodes) % nodes] for i in k],
            "material": "slag",
            "quantity": 1.0 + k,
            "unit": "t",
            "category": "by-product",
        }
    )
    return from_frames(firms, links)


def test_the_view_is_aggregated_from_a_few_thousand_nodes_or_flows():
    """At 9,667 nodes the page drew every node and flow (15.4 MB, a hairball), at 10,334
    it was aggregated (4.7 MB): the cut-off is now 2,000 nodes or 6,000 flows."""
    assert nh.build_view(chain(nh.MAX_NODES + 1, nh.MAX_NODES + 1)).aggregated
    assert nh.build_view(chain(2_001, 2_001)).aggregated
    assert nh.build_view(chain(1_500, 6_001)).aggregated
    assert not nh.build_view(chain(1_500, 6_000)).aggregated


def test_a_network_of_many_sectors_is_aggregated():
    """213 sectors (a tester's 20,000-flow network): the group codes overflowed int8."""
    view = nh.build_view(chain(2_500, 2_500, sectors=213))
    assert view.aggregated and len(view.nodes) == 213
