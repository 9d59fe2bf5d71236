"""The option checks of the export functions: a wrong option is one InputError at the call,
naming the parameter and the value it got, before any work; valid calls are unchanged."""

from __future__ import annotations

import math
import re

import numpy as np
import pytest

import symbiosis
from symbiosis.errors import InputError
from symbiosis.examples import example_path
from symbiosis.export import network_html as nh
from symbiosis.export.csv import to_csv_text
from symbiosis.export.json import json_pieces, to_json, to_json_bytes
from symbiosis.export.layout import force_layout
from symbiosis.export.network_aggregate import group_of_nodes
from symbiosis.export.network_map import check_basemap, map_data
from symbiosis.export.notebook import report_block_html, section_block_html
from symbiosis.export.report_html import report_html
from symbiosis.export.report_trends import trends_page_html
from symbiosis.export.sankey import sankey, sankey_svg


@pytest.fixture(scope="module")
def tongling():
    network = symbiosis.load(example_path("tongling"))
    return network, symbiosis.analyze(network, sections=["loops", "reuse"])


SOURCES, TARGETS = np.array([0, 1, 2, 3]), np.array([1, 2, 0, 0])

# Each function under test, called with one keyword option: (network, report, options).
CALLS = {
    "network_html": lambda n, r, o: nh.network_html(n, **o),
    "network_html report": lambda n, r, o: nh.network_html(n, o["report"]),
    "report_html": lambda n, r, o: report_html(n, r, include_network=False, **o),
    "report_html network": lambda n, r, o: report_html(n, r, **o),
    "report_html report": lambda n, r, o: report_html(n, o["report"], include_network=False),
    "sankey": lambda n, r, o: sankey(n, **{"dimension": "mass", **o}),
    "to_json": lambda n, r, o: to_json({"a": [1]}, **o),
    "to_json_bytes": lambda n, r, o: to_json_bytes({"a": [1]}, **o),
    "json_pieces": lambda n, r, o: json_pieces({"a": [1]}, **o),
    "section_block_html": lambda n, r, o: section_block_html("reuse", r.reuse, **o),
    "report_block_html": lambda n, r, o: report_block_html(o.pop("report", r), **o),
    "force_layout": lambda n, r, o: force_layout(o.pop("n", 4), SOURCES, TARGETS, **o),
    "to_csv_text": lambda n, r, o: to_csv_text(n.firms, **o),
    "map_data": lambda n, r, o: map_data(n, **{"dimension": "mass", **o}),
    "group_of_nodes": lambda n, r, o: group_of_nodes(n, o["max_nodes"]),
    "trends_page_html": lambda n, r, o: trends_page_html(n, {}, **o),
}

BAD = [
    ("network_html", "physics_max_nodes", ["6", None, math.nan, math.inf, 2.5, True, 0]),
    ("network_html", "max_nodes", ["6", None, math.nan, 2.5, True, -1, [1]]),
    ("network_html", "max_flows", ["6", None, math.inf, 2.5, np.bool_(True), 0]),
    ("network_html", "seed", ["6", 2.5, -1, None, math.nan]),
    ("network_html", "basemap", [5, 2.5, True, 0, False, "bogus", "http://a.org/{z}/{x}/{y}"]),
    ("network_html", "color_by", ["size", None, 0]),
    ("network_html", "dimension", ["weight", 0]),
    ("network_html", "title", [5, False, ["x"]]),
    ("network_html report", "report", ["bogus", 5, True, [1]]),
    ("report_html", "network_options", ["6", 5, [("max_nodes", 3)], False]),
    ("report_html", "section_dicts", ["6", 5, ["summary"], False]),
    ("report_html network", "include_network", ["yes", 1, None]),
    ("report_html", "title", [5, math.nan]),
    ("report_html report", "report", ["bogus", 5, {"loops": {}}]),
    ("sankey", "max_nodes", [-1, 0, math.nan, 2.5, None, "6"]),
    ("sankey", "max_links", [-1, math.nan, 2.5, None, "6"]),
    ("sankey", "width", [-1, 0, 100, math.nan, math.inf, None, "6", True]),
    ("sankey", "dimension", ["weight", None, 0]),
    ("to_json", "indent", ["6", "bogus", 2.5, -1, True]),
    ("to_json_bytes", "indent", ["  ", 2.5, math.nan]),
    ("json_pieces", "indent", ["6", -2]),
    ("section_block_html", "max_rows", [-1, 0, 2.5, math.nan, "6", None]),
    ("report_block_html", "open_sections", ["yes", 1, None]),
    ("report_block_html", "report", ["bogus", 5]),
    ("force_layout", "spacing", [math.nan, math.inf, 0, -1, "6", None]),
    ("force_layout", "pivots", [math.nan, 0, -1, 2.5, "6"]),
    ("force_layout", "iterations", [math.nan, math.inf, -1, 2.5, "6", None]),
    ("force_layout", "seed", ["6", 2.5, -1, None]),
    ("force_layout", "n", ["6", -1, 2.5, True]),
    ("to_csv_text", "index", ["yes", 1, None]),
    ("map_data", "max_flows", ["6", 2.5, -1, None]),
    ("map_data", "dimension", ["weight", 0]),
    ("group_of_nodes", "max_nodes", ["6", 2.5, 0, None]),
    ("trends_page_html", "title", [5]),
]
CASES = [(call, name, value) for call, name, values in BAD for value in values]


@pytest.mark.parametrize(
    ("call", "name", "value"), CASES, ids=[f"{c}-{n}-{v!r}" for c, n, v in CASES]
)
def test_a_wrong_option_is_named_with_its_value(tongling, call, name, value):
    network, report = tongling
    with pytest.raises(InputError, match=re.escape(name)) as raised:
        CALLS[call](network, report, {name: value})
    assert repr(value) in str(raised.value)


@pytest.mark.parametrize(
    ("options", "named"),
    [
        ({"max_nodes": "6"}, "network_options['max_nodes']"),
        ({"seed": -1}, "network_options['seed']"),
        ({"basemap": 5}, "network_options['basemap']"),
        ({"colour_by": "role"}, "unknown network_options key 'colour_by'"),
    ],
)
def test_network_options_are_checked_as_network_html_checks_them(tongling, options, named):
    network, report = tongling
    with pytest.raises(InputError, match=re.escape(named)):
        report_html(network, report, network_options=options)


def test_every_wrong_option_of_a_call_in_one_error(tongling):
    network, report = tongling
    with pytest.raises(InputError) as raised:
        nh.network_html(network, "bogus", max_nodes="6", seed=-1, basemap=5, title=0)
    for name in ("report", "max_nodes", "seed", "basemap", "title"):
        assert name in str(raised.value)
    with pytest.raises(InputError) as raised:
        report_html(
            network,
            report,
            include_network="no",
            network_options={"max_flows": 0, "bogus": 1},
            section_dicts=5,
        )
    for name in ("include_network", "network_options['max_flows']", "'bogus'", "section_dicts"):
        assert name in str(raised.value)
    with pytest.raises(InputError) as raised:
        force_layout(4, SOURCES, TARGETS, spacing=math.nan, pivots=0, iterations=-1)
    assert all(n in str(raised.value) for n in ("spacing", "pivots", "iterations"))


def test_options_are_checked_before_any_work(tongling, monkeypatch):
    network, _ = tongling

    def no_work(*args, **kwargs):
        raise AssertionError("the view was built before the options were checked")

    monkeypatch.setattr(nh, "build_view", no_work)
    with pytest.raises(InputError, match="max_nodes"):
        nh.network_html(network, max_nodes=2.5)


def test_nodes_are_not_sized_by_a_dimension_with_no_flow():
    """As criticality and shocks refuse it: every node would be drawn alike."""
    network = symbiosis.load(example_path("years"))  # mass and energy
    with pytest.raises(InputError, match="this network has flows in: mass, energy"):
        nh.network_html(network, dimension="volume")


def test_the_cli_basemap_message_is_unchanged():
    with pytest.raises(InputError) as raised:
        check_basemap("http://tile.example.org/{z}/{x}/{y}.png")
    text = str(raised.value)
    assert text.startswith("--basemap 'http://tile.example.org/{z}/{x}/{y}.png': it must start")
    assert text.endswith("Example: --basemap 'https://tile.openstreetmap.org/{z}/{x}/{y}.png'")
    assert check_basemap(None) is None


# ---------------------------------------------------------------------------- valid calls


def test_numpy_numbers_are_valid_options(tongling):
    network, report = tongling
    plain = nh.network_html(network, report, physics_max_nodes=5, max_nodes=25, seed=3)
    numpy = nh.network_html(
        network, report, physics_max_nodes=np.int64(5), max_nodes=np.int32(25), seed=np.int64(3)
    )
    assert numpy == plain
    assert nh.network_html(network, report.sections) == nh.network_html(network, report)
    assert sankey_svg(sankey(network, "mass", max_nodes=np.int64(10), width=np.float32(900))) == (
        sankey_svg(sankey(network, "mass", max_nodes=10, width=900))
    )
    assert sankey(network, "mass", max_links=0).links == []  # a caption only, as before
    assert to_json([1], indent=np.int64(2)) == to_json([1], indent=2) == "[\n  1\n]"
    assert to_json([1], indent=0) == "[\n1\n]" and to_json([1], indent=None) == "[1]"
    assert to_json_bytes({"a": 1}, indent=4) == b'{\n    "a": 1\n}'
    block = section_block_html("reuse", report.reuse, max_rows=np.int64(3))
    assert block == section_block_html("reuse", report.reuse, max_rows=3)
    assert report_block_html(report, open_sections=True).count("<details open>") >= 2
    layout = force_layout(np.int64(4), SOURCES, TARGETS, seed=np.int64(2), spacing=np.float32(30))
    assert np.array_equal(layout, force_layout(4, SOURCES, TARGETS, seed=2, spacing=30.0))
    assert np.isfinite(force_layout(4, SOURCES, TARGETS, iterations=0)).all()


def test_report_html_accepts_its_documented_options(tongling):
    network, report = tongling
    page = report_html(
        network,
        report,
        title="Tongling",
        include_network=True,
        network_options={"max_nodes": np.int64(25), "color_by": "sector"},
        section_dicts=report.to_dict(),
    )
    assert "<h1>Tongling</h1>" in page
    assert report_html(network, None, include_network=False).startswith("<!DOCTYPE html>")
