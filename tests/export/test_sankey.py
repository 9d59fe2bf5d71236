"""The Sankey view: an acyclic projection that keeps every quantity, and its drawing."""

from __future__ import annotations

import re

import networkx as nx
import pytest
from html_networks import (
    HOSTILE,
    chain_network,
    chinese_network,
    hostile_network,
    random_network,
)
from hypothesis import example, given, settings
from hypothesis import strategies as st

import symbiosis
from symbiosis.examples import example_path
from symbiosis.export.sankey import (
    NODE_WIDTH,
    SankeyLink,
    feedback_order,
    format_quantity,
    sankey,
    sankey_caption,
    sankey_svg,
)


@pytest.fixture(scope="module")
def tongling():
    return symbiosis.load(example_path("tongling"))


def link(source, target, value=1.0):
    return SankeyLink(source, target, "product", value, ("m",), 1)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 9), st.integers(0, 9), st.floats(0.1, 100)), max_size=40))
def test_dropping_backward_arcs_leaves_a_dag(arcs):
    keys = [f"k{i}" for i in range(10)]
    links = [link(f"k{a}", f"k{b}", w) for a, b, w in arcs if a != b]
    order = {k: i for i, k in enumerate(feedback_order(keys, links))}
    assert sorted(order) == sorted(keys)
    forward = nx.DiGraph(
        (lk.source, lk.target) for lk in links if order[lk.source] < order[lk.target]
    )
    assert nx.is_directed_acyclic_graph(forward)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 9), st.integers(0, 9)), max_size=30))
def test_an_acyclic_graph_has_no_backward_arc(arcs):
    keys = [f"k{i}" for i in range(10)]
    links = [link(f"k{a}", f"k{b}") for a, b in arcs if a < b]  # i < j: acyclic
    order = {k: i for i, k in enumerate(feedback_order(keys, links))}
    assert all(order[lk.source] < order[lk.target] for lk in links)


def test_a_two_cycle_loses_its_lighter_arc():
    links = [link("a", "b", 10.0), link("b", "a", 1.0), link("x", "a", 5.0)]
    order = feedback_order(["a", "b", "x"], links)
    assert order.index("a") < order.index("b")  # the 1-unit return is the back arc


def test_tongling_mass_diagram_keeps_every_quantity(tongling):
    diagram = sankey(tongling, "mass")
    known = tongling.flows_in("mass", known=True)["value"].sum()
    assert diagram.total == pytest.approx(known)
    assert diagram.shown == pytest.approx(known)  # nothing left out at this size
    assert sum(lk.value for lk in diagram.links) == pytest.approx(known)
    last = max(n.column for n in diagram.nodes.values())
    for node in diagram.nodes.values():
        if node.side == "source":
            assert node.column == 0 and node.inflow == 0
        if node.side == "sink":
            assert node.column == last and node.outflow == 0
        assert node.height == pytest.approx(max(node.value * diagram.scale, 1.5))
    for lk in diagram.links:
        source, target = diagram.nodes[lk.source], diagram.nodes[lk.target]
        if lk.back:
            assert source.side == target.side == "actor"  # only actors close loops
            assert source.column >= target.column
        else:
            assert source.column < target.column
    # the copper slag loop closes: at least one return flow among the smelters' core
    backs = {(lk.source, lk.target) for lk in diagram.links if lk.back}
    assert backs
    assert "return flow" in sankey_caption(diagram)


def test_boundary_nodes_are_split_into_supply_and_sales(tongling):
    diagram = sankey(tongling, "mass")
    market = [n for n in diagram.nodes.values() if n.key.endswith(":MKT")]
    assert {n.side for n in market} == {"source", "sink"}
    assert {n.label.rsplit(" ", 1)[-1] for n in market} == {"(supply)", "(sales)"}


def test_big_networks_are_grouped_and_trimmed():
    network = random_network(300, 900, seed=2)
    diagram = sankey(network, "mass", max_nodes=40, max_links=30)
    assert diagram.grouped and len(diagram.links) == 30 and diagram.hidden_links > 0
    assert diagram.shown < diagram.total
    assert "smallest links are left out" in sankey_caption(diagram)
    assert "grouped by sector" in sankey_caption(diagram)


def test_links_sum_the_flows_between_their_ends(tongling):
    """Ungrouped: each link is the sum of the known flows of one category between two
    firms; nothing is drawn twice and nothing is lost (Tongling has fewer links than
    the cap)."""
    diagram = sankey(tongling, "mass")
    flows = tongling.flows_in("mass", known=True)
    flows = flows[flows["value"] > 0]
    sums = flows.groupby(["source", "target", "category"])["value"].sum()
    drawn = {
        (link.source.split(":", 1)[1], link.target.split(":", 1)[1], link.category): link.value
        for link in diagram.links
    }
    assert drawn.keys() == set(sums.index)
    for key, value in drawn.items():
        assert value == pytest.approx(sums[key], rel=1e-12)


def test_no_known_flow_gives_no_diagram(tongling):
    flows = tongling.flows.assign(value=float("nan"))
    assert sankey(tongling.with_tables(flows=flows), "mass") is None


@pytest.mark.parametrize("max_links", [70, 0])
def test_flows_that_draw_no_band_give_a_caption_only(max_links):
    """Found by fuzzing: a network whose only known flow goes from a firm to itself (or a
    diagram allowed no link) failed with "max() arg is an empty sequence", so the HTML
    report of such a network was an internal error."""
    import pandas as pd

    firms = pd.DataFrame({"id": ["A"], "name": ["a"], "sector": ["copper"], "role": ["firm"]})
    flows = pd.DataFrame(
        {
            "source": ["A"],
            "target": ["A"],
            "material": ["copper scrap"],
            "quantity": [10.0],
            "unit": ["t"],
            "category": ["waste"],
        }
    )
    diagram = sankey(symbiosis.from_frames(firms, flows), "mass", max_links=max_links)
    assert diagram.nodes == {} and diagram.links == []
    svg = sankey_svg(diagram)
    assert "<path" not in svg
    assert "10 t/yr flow from a node to itself" in sankey_caption(diagram)


def test_svg_escapes_every_name():
    network = hostile_network()
    svg = sankey_svg(sankey(network, "mass"))
    for text in HOSTILE.values():
        assert text not in svg
    assert not re.search(r"<(?!/?(svg|g|path|rect|text|tspan|title)\b)", svg)
    assert "&lt;script&gt;" in svg


def test_svg_draws_every_node_and_link(tongling):
    diagram = sankey(tongling, "mass")
    svg = sankey_svg(diagram)
    assert svg.count("<rect") == len(diagram.nodes)
    assert svg.count("<path") == len(diagram.links)
    assert svg.count('class="link back"') == sum(lk.back for lk in diagram.links)
    assert f'width="{NODE_WIDTH:.0f}"' in svg


def label_boxes(svg: str) -> list[tuple[str, tuple[float, float, float, float]]]:
    """Each label of the drawing and its box, at 5 px a character (less than any font
    draws at 11 px: an overlap found is one on screen)."""
    found = []
    for x, y, anchor, inner in re.findall(
        r'<text x="([-\d.]+)" y="([-\d.]+)" text-anchor="(\w+)"[^>]*>(.*?)</text>', svg
    ):
        text = re.sub(r"<[^>]+>", "", inner)
        width = 5.0 * len(text)
        left = float(x) - (width / 2 if anchor == "middle" else 0)
        found.append((text, (left, float(y) - 5, left + width, float(y) + 5)))
    return found


@pytest.mark.parametrize("stages", [4, 16])
def test_labels_of_a_long_chain_do_not_overlap(stages):
    """16 stages in 1,300 px: the labels sat on one line and overprinted each other."""
    diagram = sankey(chain_network(stages), "mass")
    boxes = label_boxes(sankey_svg(diagram))
    assert len(boxes) >= len(diagram.nodes) - 2  # a label may give way to a tooltip
    for i, (a, box) in enumerate(boxes):
        assert box[0] >= 0 and box[2] <= diagram.width, a
        for b, other in boxes[i + 1 :]:
            apart = box[2] <= other[0] or other[2] <= box[0] or box[3] <= other[1]
            assert apart or other[3] <= box[1], (a, b)
    if stages == 4:  # room enough: every label right of its node, with its value
        assert all(re.search(r"\d (k?t)$", text) for text, _ in boxes)


def test_chinese_labels(tmp_path):
    svg = sankey_svg(sankey(chinese_network(), "mass"))
    assert "金冠铜业" in svg and "铜精矿" in svg


@pytest.mark.parametrize(
    ("value", "dimension", "text"),
    [
        (15_000_000, "mass", "15.0 Mt/yr"),
        (2_371_000, "mass", "2.37 Mt/yr"),
        (426_000, "mass", "426 kt/yr"),
        (260, "mass", "260 t/yr"),
        (4.5, "mass", "4.5 t/yr"),
        (0, "mass", "0 t/yr"),
        (36_000_000, "energy", "36.0 PJ/yr"),
        (40_000_000, "volume", "40.0 million m³/yr"),
        (250_000, "volume", "250 thousand m³/yr"),
        (None, "mass", "–"),
        # below one unit, the smaller ones (an ecosystem model in kcal m-2 d-1 showed
        # "0.00035 GJ/yr")
        (0.00035, "energy", "350 kJ/yr"),
        (0.0123, "energy", "12.3 MJ/yr"),
        (0.5, "mass", "500 kg/yr"),
        (0.0025, "volume", "2.5 L/yr"),
        (-0.5, "mass", "-500 kg/yr"),
        (1e-9, "energy", "1 J/yr"),
        (1e-13, "energy", "0.0001 J/yr"),
    ],
)
def test_format_quantity(value, dimension, text):
    assert format_quantity(value, dimension) == text


_FACTORS = {"kJ": 1e-6, "MJ": 1e-3, "GJ": 1, "TJ": 1e3, "PJ": 1e6, "EJ": 1e9, "J": 1e-9}


@given(st.floats(min_value=1e-8, max_value=1e13, allow_nan=False))
@example(10.5)  # found by hypothesis: 10.5 GJ was written '10 GJ/yr'
def test_format_quantity_reads_back_to_three_digits(value):
    """Whatever the prefix, the text is the value to its three or more significant digits."""
    number, unit = format_quantity(value, "energy").removesuffix("/yr").split(" ")
    read = float(number.replace(",", "")) * _FACTORS[unit]
    assert read == pytest.approx(value, rel=6e-3)
