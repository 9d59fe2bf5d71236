"""Names over 500 characters (io warns that they are shortened in tables and diagrams)
are shortened in the report's tables, the Sankey's tooltips and the network page's
tooltip, the whole name in the cell's ``title``; long text cells wrap."""

from __future__ import annotations

import html
import re

import pandas as pd

import symbiosis
from symbiosis import from_frames
from symbiosis.export.report_html import report_html

LONG = "Long" + "x" * 2996  # one word of 3,000 letters, as a tester's firm had
TEXT_LENGTH = 200  # markup.TEXT_LENGTH: what is shown of a longer text


def clip(text: str) -> str:
    return text if len(text) <= TEXT_LENGTH else text[: TEXT_LENGTH - 1] + "…"


def long_name_network():
    firms = pd.DataFrame(
        {
            "id": ["L" * 200, "B", "M", "D"],
            "name": [LONG, "Cement works", "Market", "Landfill"],
            "sector": ["steel", "cement", "", ""],
            "role": ["firm", "firm", "market", "landfill"],
        }
    )
    flows = pd.DataFrame(
        {
            "source": ["M", "L" * 200, "L" * 200, "B"],
            "target": ["L" * 200, "B", "D", "D"],
            "material": ["ore", "slag", "dust", "waste"],
            "quantity": [100.0, 30.0, 20.0, 5.0],
            "unit": ["t", "t", "t", "t"],
            "category": ["product", "by-product", "waste", "waste"],
        }
    )
    return from_frames(firms, flows)


def cells(page: str) -> list[tuple[str, str]]:
    """(attributes, text) of every table cell of the report (the frame left out)."""
    outer = re.sub(r'srcdoc="[^"]*"', "", page)
    return re.findall(r"<t[dh]([^>]*)>([^<]*)</t[dh]>", outer)


def test_report_tables_and_sankey_shorten_long_names():
    network = long_name_network()
    page = report_html(network, symbiosis.analyze(network))
    shown = [(attributes, html.unescape(text)) for attributes, text in cells(page)]
    assert max(len(text) for _, text in shown) <= TEXT_LENGTH
    named = [attributes for attributes, text in shown if text == clip(LONG)]
    assert len(named) >= 4  # reuse by generator, balance, structure, ...
    assert all(f'title="{LONG}"' in a and 'class="long"' in a for a in named)
    ids = [attributes for attributes, text in shown if text == "L" * 200]
    assert ids and all('class="long"' in a for a in ids)  # wraps: no space to break at
    titles = re.findall(r"<title>([^<]*)</title>", re.sub(r'srcdoc="[^"]*"', "", page))
    assert titles and LONG not in "".join(titles)
    assert any(clip(LONG) in t for t in titles)
