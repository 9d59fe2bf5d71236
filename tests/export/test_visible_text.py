"""Bidi and other active characters in names show as the same visible escape
(``\\u202e``) everywhere in the pages, the network page's vis-network data included."""

from __future__ import annotations

import html
import json
import re

import pandas as pd

import symbiosis
from symbiosis import from_frames
from symbiosis._visible import BIDI_CONTROLS
from symbiosis.export.network_html import network_html
from symbiosis.export.report_html import report_html

RLO, PDF = "\u202e", "\u202c"  # right-to-left override, pop directional formatting


def bidi_network():
    firms = pd.DataFrame(
        {
            "id": [f"A{RLO}", "B", "M"],
            "name": [f"{RLO}evil{PDF} RTL", "Plain", "Market"],
            "sector": [f"{RLO}steel", "cement", ""],
            "role": ["firm", "firm", "market"],
        }
    )
    flows = pd.DataFrame(
        {
            "source": ["M", f"A{RLO}"],
            "target": [f"A{RLO}", "B"],
            "material": [f"{RLO}ore", "slag\u2067x"],
            "quantity": [5.0, 2.0],
            "unit": ["t", "t"],
            "category": ["product", "by-product"],
        }
    )
    return from_frames(firms, flows)


def vis_data(page: str, name: str) -> list[dict]:
    """The records given to ``new vis.DataSet(...)``, as the browser decodes them."""
    match = re.search(rf"{name} = new vis\.DataSet\((.*?)\);\n", page)
    assert match, f"no {name} DataSet in the page"
    return json.loads(match.group(1))


def live_controls(records) -> set[str]:
    """The bidi controls left live in any string of ``records``."""
    text = json.dumps(records, ensure_ascii=False)
    return {chr(c) for c in BIDI_CONTROLS if chr(c) in text}


def test_vis_network_data_shows_bidi_controls_as_escapes():
    page = network_html(bidi_network())
    nodes, edges = vis_data(page, "nodes"), vis_data(page, "edges")
    assert live_controls(nodes) == set() and live_controls(edges) == set()
    by_name = {n["name"]: n for n in nodes}
    evil = by_name["\\u202eevil\\u202c RTL"]  # as the legend, tables and Sankey show it
    assert evil["label"] == "\\u202eevil\\u202c RTL" and evil["sector"] == "\\u202esteel"
    assert evil["id"] == "n:A\\u202e"
    assert {e["material"] for e in edges} == {"\\u202eore", "slag\\u2067x"}
    assert {e["from"] for e in edges} <= {n["id"] for n in nodes}


def test_material_filter_values_match_the_edges_keys():
    page = network_html(bidi_network())
    options = re.findall(r'<option value="([^"]+)">', page)
    keys = {e["mkey"] for e in vis_data(page, "edges")}
    assert {html.unescape(o) for o in options} == keys


def test_the_reports_network_frame_shows_them_as_escapes():
    network = bidi_network()
    page = report_html(network, symbiosis.analyze(network))
    frame = html.unescape(re.search(r'srcdoc="([^"]*)"', page).group(1))
    assert live_controls(vis_data(frame, "nodes") + vis_data(frame, "edges")) == set()
