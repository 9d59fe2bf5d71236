"""The network HTML file, checked without a browser: offline, UTF-8, escaped, right data."""

from __future__ import annotations

import json
import math
import re
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
from html_networks import HOSTILE, chinese_network, hostile_network, random_network
from hypothesis import given, settings
from hypothesis import strategies as st

import symbiosis
from symbiosis import InputError, OutputError
from symbiosis.examples import example_path
from symbiosis.export import network_html as nh
from symbiosis.export.network_html import (
    EDGE_WIDTH,
    NODE_SIZE,
    edge_widths,
    force_layout,
    network_html,
    node_sizes,
    script_json,
    write_network_html,
)

REMOTE = re.compile(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//|url\(\s*["']?\s*(?:https?:)?//""")


@pytest.fixture(scope="module")
def tongling():
    return symbiosis.load(example_path("tongling"))


@pytest.fixture(scope="module")
def tongling_page(tongling):
    return network_html(tongling)


def without_library(page: str) -> str:
    """The page without the inlined vis-network library (whose code mentions tags)."""
    start = page.index("<script>/**\n * vis-network")
    end = page.index("</script>", start) + len("</script>")
    return page[:start] + page[end:]


def payload(page: str, name: str) -> list[dict]:
    """The JSON given to ``new vis.DataSet(...)`` for ``nodes`` or ``edges``."""
    match = re.search(rf"{name} = new vis\.DataSet\((.*?)\);\n", page)
    assert match, f"no {name} DataSet in the page"
    return json.loads(match.group(1))


def sym_data(page: str) -> dict:
    match = re.search(r'<script type="application/json" id="sym-data">(.*?)</script>', page)
    return json.loads(match.group(1))


# ---------------------------------------------------------------------------- offline


def test_page_references_no_network_resource(tongling_page):
    assert not REMOTE.search(tongling_page)
    assert "bootstrap" not in tongling_page.lower()
    assert "cdnjs" not in tongling_page and "jsdelivr" not in tongling_page
    assert "@import" not in tongling_page


def test_page_forbids_network_loads_by_policy(tongling_page):
    policy = re.search(r'http-equiv="Content-Security-Policy" content="([^"]*)"', tongling_page)
    assert policy and "default-src 'none'" in policy.group(1)


def test_page_is_standard_and_has_one_heading(tongling_page):
    assert tongling_page.startswith("<!DOCTYPE html>")
    assert tongling_page.count("<h1") == 1  # pyvis's two empty headings are gone
    ours = without_library(tongling_page)
    assert ours.count("<script") == ours.count("</script>")


def test_page_inlines_vis_network(tongling_page):
    assert "vis-network" in tongling_page and len(tongling_page) > 400_000


def test_remote_check_catches_a_leftover_cdn_tag(tongling):
    view = nh.build_view(tongling)
    from pyvis.network import Network

    net = Network(directed=True, cdn_resources="remote")  # pyvis's own CDN mode
    net.nodes, net.node_ids, net.edges = view.nodes, [n["id"] for n in view.nodes], view.edges
    net.options = nh.vis_options(view)
    with pytest.raises(RuntimeError, match="network resource"):
        nh.postprocess(net.generate_html(), view, title="x")


@pytest.mark.parametrize(
    "options",
    [{}, {"physics_max_nodes": 1}, {"max_nodes": 5, "max_flows": 5}, {"color_by": "sector"}],
)
def test_shared_template_environment_renders_what_pyvis_renders(tongling, options):
    """render_view renders pyvis's template without pyvis, through one Jinja environment
    that inlines pyvis's libraries verbatim; the page must be the one pyvis's own
    ``generate_html`` gives (physics on and off, aggregated or not)."""
    from pyvis.network import Network

    view = nh.build_view(tongling, **options)
    net = Network(height="100%", width="100%", directed=True, heading="", cdn_resources="in_line")
    net.nodes, net.node_ids, net.edges = view.nodes, [n["id"] for n in view.nodes], view.edges
    net.node_map = {n["id"]: n for n in view.nodes}
    net.options = nh.vis_options(view)
    expected = nh.postprocess(net.generate_html(), view, title="x")
    assert nh.render_view(view, title="x") == expected
    assert nh.render_view(view, title="x") == expected  # the cached environment, again


def test_postprocess_refuses_an_unknown_template():
    view = nh.build_view(chinese_network())
    with pytest.raises(RuntimeError, match="unexpected pyvis template"):
        nh.postprocess("<html><body></body></html>", view, title="x")


def test_no_lib_folder_and_no_file_in_the_working_directory(tmp_path, monkeypatch, tongling):
    monkeypatch.chdir(tmp_path)
    network_html(tongling)
    assert list(tmp_path.iterdir()) == []


# ---------------------------------------------------------------------------- data


def test_nodes_and_edges_match_the_network(tongling, tongling_page):
    nodes, edges = payload(tongling_page, "nodes"), payload(tongling_page, "edges")
    assert sorted(n["id"] for n in nodes) == sorted("n:" + str(i) for i in tongling.firms.index)
    assert len(edges) == tongling.n_flows
    by_id = {n["id"]: n for n in nodes}
    cement = by_id["n:CONCH"]
    assert cement["name"] == tongling.firms.loc["CONCH", "name"]
    assert cement["inputs"]["mass"] == pytest.approx(tongling.inflow("mass")["CONCH"])
    assert cement["outputs"]["mass"] == pytest.approx(tongling.outflow("mass")["CONCH"])
    assert by_id["n:SLF"]["shape"] == "square" and by_id["n:JG"]["shape"] == "dot"
    slag = [e for e in edges if e["from"] == "n:JG" and e["to"] == "n:SLAGC"]
    assert slag[0]["material"] == "copper slag" and slag[0]["quantity"] == 1_100_000
    assert slag[0]["color"] == nh.CATEGORY_COLORS["by-product"]
    # no pyvis title anywhere: pyvis switches to an innerHTML popup when one contains "href"
    assert all("title" not in item for item in nodes + edges)


def test_disposed_streams_are_dashed(tongling, tongling_page):
    edges = payload(tongling_page, "edges")
    roles = tongling.firms["role"]
    for edge in edges:
        disposed = roles[edge["to"][2:]] in ("disposal", "environment")
        assert edge["disposed"] is disposed
        assert ("dashes" in edge) is disposed


def test_node_area_is_proportional_to_throughflow(tongling, tongling_page):
    nodes = payload(tongling_page, "nodes")
    through = {n["id"]: max(n["inputs"]["mass"], n["outputs"]["mass"]) for n in nodes}
    top = max(through.values())
    low, high = NODE_SIZE
    for node in nodes:
        expected = low + (high - low) * math.sqrt(through[node["id"]] / top)
        assert node["size"] == pytest.approx(expected)


def test_loops_are_marked_from_the_report(tongling):
    report = SimpleNamespace(
        sections={"loops": SimpleNamespace(cores=[SimpleNamespace(members=("JG", "SLAGC"))])}
    )
    page = network_html(tongling, report)
    edges = {(e["from"], e["to"], e["material"]): e for e in payload(page, "edges")}
    assert edges[("n:JG", "n:SLAGC", "copper slag")]["loop"] is True
    assert edges[("n:SLAGC", "n:JG", "copper slag concentrate")]["loop"] is True
    assert "shadow" in edges[("n:JG", "n:SLAGC", "copper slag")]
    assert edges[("n:JG", "n:ROD", "copper cathode")]["loop"] is False  # ROD not in the core
    nodes = {n["id"]: n for n in payload(page, "nodes")}
    assert nodes["n:JG"]["loop"] and not nodes["n:ROD"]["loop"]
    assert sym_data(page)["loopsKnown"] is True
    assert sym_data(network_html(tongling))["loopsKnown"] is False


def test_loops_from_a_real_report(tongling):
    report = symbiosis.analyze(tongling)
    assert "loops" in report.sections
    page = network_html(tongling, report)
    looped = {(e["from"], e["to"]) for e in payload(page, "edges") if e["loop"]}
    for loop in report.loops.loops:
        firms = ["n:" + f for f in loop.firms]
        for a, b in zip(firms, firms[1:] + firms[:1], strict=True):
            assert (a, b) in looped


def test_color_by_sector_gives_one_colour_per_sector(tongling):
    page = network_html(tongling, color_by="sector")
    nodes = {n["id"]: n["color"]["background"] for n in payload(page, "nodes")}
    assert nodes["n:JG"] == nodes["n:JL"]  # both primary copper smelting
    assert nodes["n:JG"] != nodes["n:CONCH"]
    legend = page[page.index('<ul class="sym-legend">') : page.index("</ul>")]
    assert "primary copper smelting and refining" in legend


def test_bad_parameters_are_input_errors(tongling):
    with pytest.raises(InputError, match="color_by"):
        network_html(tongling, color_by="size")
    with pytest.raises(InputError, match="dimension"):
        network_html(tongling, dimension="weight")
    with pytest.raises(InputError, match="max_nodes"):
        network_html(tongling, max_nodes=0)


# ---------------------------------------------------------------------------- text safety


def test_utf8_file_with_chinese_names(tmp_path):
    network = chinese_network()
    path = write_network_html(network, tmp_path / "网络.html")
    text = path.read_bytes().decode("utf-8")  # strict: fails on anything but UTF-8
    assert '<meta charset="utf-8">' in text
    names = {n["name"] for n in payload(text, "nodes")}
    assert {"冬瓜山铜矿", "金冠铜业", "渣选矿"} <= names
    assert "铜精矿" in text  # the material filter lists it as UTF-8 text


def test_hostile_names_never_appear_as_markup():
    page = network_html(hostile_network(), color_by="sector")
    ours = without_library(page)
    for text in HOSTILE.values():
        assert text not in page
    for tag in ("<img", "<svg", "<b>", "<a href", "<!--"):
        assert tag not in ours.lower()  # as text they are there, escaped: &lt;img ...
    assert ours.count("<script") == ours.count("</script>")
    # but they are all there, escaped, as data and as text
    names = {n["name"] for n in payload(page, "nodes")}
    assert HOSTILE["script"] in names and HOSTILE["json"] in names
    materials = {e["material"] for e in payload(page, "edges")}
    assert HOSTILE["json"] in materials
    assert "&lt;img src=x onerror=alert(&#x27;img&#x27;)&gt;" in page  # legend / filter


def test_script_json_cannot_close_its_element():
    text = script_json({"a": "</script><script>alert(1)</script>", "b": "&", "c": "\u2028"})
    assert "<" not in text and ">" not in text and "&" not in text and "\u2028" not in text
    assert json.loads(text) == {"a": "</script><script>alert(1)</script>", "b": "&", "c": "\u2028"}


def test_refuses_to_overwrite_an_input_file(tongling):
    with pytest.raises(OutputError, match="input file"):
        write_network_html(tongling, tongling.source_files[0])


# ---------------------------------------------------------------------------- scale


def test_big_networks_get_positions_and_no_physics(tongling):
    page = network_html(tongling, physics_max_nodes=5)
    nodes = payload(page, "nodes")
    assert all("x" in n and "y" in n for n in nodes)
    assert '"physics": {"enabled": false}' in page
    assert sym_data(page)["physics"] is False


def test_small_networks_settle_with_physics_then_freeze(tongling_page):
    assert '"solver": "forceAtlas2Based"' in tongling_page
    assert "symbiosisAttach(network, nodes, edges);" in tongling_page
    assert "stabilizationIterationsDone" in tongling_page


def test_aggregation_by_sector_keeps_totals(tongling):
    page = network_html(tongling, max_nodes=25)  # 28 nodes: grouped into 21
    nodes, edges = payload(page, "nodes"), payload(page, "edges")
    actor_sectors = set(tongling.firms.loc[tongling.firms["actor"], "sector"])
    boundary_roles = set(tongling.firms.loc[~tongling.firms["actor"], "role"])
    assert len(nodes) == len(actor_sectors) + len(boundary_roles)
    assert sum(n["members"] for n in nodes) == tongling.n_firms
    assert sum(e["flows"] for e in edges) == tongling.n_flows
    for dim in tongling.dimensions:
        known = tongling.flows_in(dim, known=True)["value"].sum()
        drawn = sum(e["value"] or 0 for e in edges if e["dimension"] == dim)
        assert drawn == pytest.approx(known)
    assert "aggregated" in page
    carried = {k for e in edges for k in e["mkeys"]}  # the material filter still works
    assert carried == set(tongling.flows["material_key"])
    materials = page[page.index('<select id="sym-material">') :]
    materials = materials[: materials.index("</select>")]
    assert materials.count('<option value="') - 1 == len(carried)


def test_aggregated_links_match_a_pandas_grouping_of_the_flows():
    """The code-based aggregation against the plain one: group the per-flow table's ends
    by sector (actors) or role (boundary nodes) and sum per link."""
    network = random_network(400, 1200, seed=4)
    view = nh.build_view(network, max_nodes=100)
    nodes, edges = nh.node_table(network, None), nh.edge_table(network, None)
    group = np.where(nodes["actor"], "g:s:" + nodes["sector"], "g:r:" + nodes["role"])
    lookup = dict(zip(nodes["vid"], group, strict=True))
    flows = edges.assign(
        source=edges["source"].map(lookup),
        target=edges["target"].map(lookup),
        dimension=edges["dimension"].fillna(""),
    )
    keys = ["source", "target", "category", "dimension"]
    expected = flows.groupby(keys, sort=True).agg(
        flows=("flows", "sum"),
        value=("value", lambda v: v.sum(min_count=1)),
        mkeys=("material_key", lambda k: sorted(set(k))),
        loop=("loop", "any"),
    )
    got = [(e["from"], e["to"], e["category"], e["dimension"] or "") for e in view.edges]
    assert got == list(expected.index)  # same links, same order
    for edge, (_, row) in zip(view.edges, expected.iterrows(), strict=True):
        assert edge["flows"] == row["flows"] and edge["mkeys"] == row["mkeys"]
        assert edge["value"] == pytest.approx(row["value"], rel=1e-12, nan_ok=True)
    members = {n["id"]: n["members"] for n in view.nodes}
    assert members == pd.Series(group).value_counts().to_dict()


def test_material_list_counts_every_flow(tongling):
    view = nh.build_view(tongling)
    counts = tongling.flows["material_key"].value_counts()
    assert {k: n for k, _, n in view.materials} == counts.to_dict()
    assert [n for _, _, n in view.materials] == sorted(counts, reverse=True)


@given(
    st.lists(
        st.tuples(
            st.one_of(st.floats(0, 1e9), st.just(float("nan"))),
            st.sampled_from(["mass", "energy", "volume"]),
        ),
        min_size=1,
        max_size=40,
    )
)
def test_edge_widths_are_log_scaled_within_each_dimension(rows):
    values = np.array([v for v, _ in rows], dtype=float)
    dims = np.array([d for _, d in rows], dtype=object)
    widths = edge_widths(values, dims)
    assert np.all((widths >= EDGE_WIDTH[0] - 1e-9) & (widths <= EDGE_WIDTH[1] + 1e-9))
    for dim in set(dims):
        mask = (dims == dim) & (np.nan_to_num(values) > 0)
        order = np.argsort(values[mask], kind="stable")
        assert np.all(np.diff(widths[mask][order]) >= -1e-9)  # monotone in quantity
    # another dimension's quantities never change a width
    other = values.copy()
    other[dims != "mass"] *= 1000
    same = dims == "mass"
    assert np.allclose(edge_widths(other, dims)[same], widths[same])


def test_edge_widths_span_the_range_per_dimension():
    values = np.array([1.0, 10.0, 100.0, 5.0, 5e6])
    dims = np.array(["mass", "mass", "mass", "energy", "energy"], dtype=object)
    widths = edge_widths(values, dims)
    low, high = EDGE_WIDTH
    assert widths.tolist() == pytest.approx([low, (low + high) / 2, high, low, high])


def test_node_sizes_without_flows_are_the_minimum():
    assert node_sizes(np.zeros(3)).tolist() == [NODE_SIZE[0]] * 3


def test_force_layout_is_deterministic_and_keeps_neighbours_close():
    network = random_network(600, 1500, seed=3)
    nodes, edges = nh.node_table(network, None), nh.edge_table(network, None)
    index = {v: i for i, v in enumerate(nodes["vid"])}
    src = edges["source"].map(index).to_numpy()
    tgt = edges["target"].map(index).to_numpy()
    first = force_layout(len(nodes), src, tgt, seed=5)
    assert np.array_equal(first, force_layout(len(nodes), src, tgt, seed=5))
    assert first.shape == (len(nodes), 2) and np.isfinite(first).all()
    edge_length = np.hypot(*(first[src] - first[tgt]).T).mean()
    rng = np.random.default_rng(0)
    a, b = rng.integers(0, len(nodes), (2, 5000))
    assert edge_length < 0.8 * np.hypot(*(first[a] - first[b]).T).mean()


@settings(max_examples=25, deadline=None)
@given(st.integers(1, 30), st.lists(st.tuples(st.integers(0, 29), st.integers(0, 29)), max_size=60))
def test_force_layout_handles_any_small_graph(n, pairs):
    pairs = [(a % n, b % n) for a, b in pairs]
    src = np.array([a for a, _ in pairs], dtype=np.int64)
    tgt = np.array([b for _, b in pairs], dtype=np.int64)
    pos = force_layout(n, src, tgt)
    assert pos.shape == (n, 2) and np.isfinite(pos).all()


def test_five_thousand_nodes_are_prepared_quickly():
    import time

    network = random_network(5000, 12000, seed=1)
    start = time.perf_counter()  # the full view, as asked (by default it is aggregated)
    page = network_html(network, max_nodes=10_000, max_flows=40_000)
    elapsed = time.perf_counter() - start
    assert len(payload(page, "nodes")) == network.n_firms
    assert elapsed < 30, f"5,000 nodes took {elapsed:.1f} s to prepare"


def test_a_self_flow_is_drawn_as_a_loop_on_its_firm():
    """Internal recycling (issue 15): the smelter's own scrap is an edge from the smelter to
    itself, marked as a loop once the report knows the core of one actor."""
    from symbiosis import analyze, from_frames

    flows = pd.DataFrame(
        [
            ("MKT", "SMELT", "concentrate", 12, "t", "product"),
            ("SMELT", "SMELT", "copper scrap", 5, "t", "by-product"),
            ("SMELT", "MKT", "copper", 10, "t", "product"),
        ],
        columns=["source", "target", "material", "quantity", "unit", "category"],
    )
    firms = pd.DataFrame({"id": ["SMELT", "MKT"], "role": ["firm", "market"]})
    network = from_frames(firms, flows)
    page = network_html(network, analyze(network, sections=["loops"]))
    edges = {(e["from"], e["to"], e["material"]): e for e in payload(page, "edges")}
    assert edges[("n:SMELT", "n:SMELT", "copper scrap")]["loop"] is True
