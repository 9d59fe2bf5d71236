"""Where the labels of a laid-out Sankey diagram go, so that none covers another.

A label sits right of its node, with the node's value, when there is room: a diagram of a
few columns. A long chain (16 stages in 1,300 px: 63 px between columns) has no room
there, and its labels overprinted each other in one line. Labels are therefore placed
greedily, the largest nodes first, at the first candidate that overlaps no label placed
before, no other node, and stays inside the drawing: right of the node with its value,
right without it, then centred above or below the node, each with the whole label, then
shortened to 14 and to 8 characters. A node whose label finds no place has none: its name
is in its tooltip, as every node's is.

Text widths are estimated (the page's fonts are not known here) from the advance widths of
DejaVu Sans, the widest of the usual sans-serif fonts (Debian's default; Segoe UI and
Helvetica draw narrower), in classes of letters; tests/browser/test_report_page.py measures
the drawn labels in Chromium. O(n^2 x candidates) for n drawn nodes (at most the
diagram's 40).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .markup import format_quantity
from .sankey_layout import NODE_WIDTH

if TYPE_CHECKING:
    from .sankey import SankeyDiagram

__all__ = ["Label", "place_labels", "text_width"]

_SIZE = 11.0  # px: the font size of the diagram's text (report.css)
# Advance widths (em) of DejaVu Sans by class of character; the first class that holds a
# character gives its width.
_WIDTHS = (
    (" ", 0.318),
    ("ijl.,:;'!|", 0.3),
    ("ftrIJ()[]-", 0.38),
    ("mw", 0.9),
    ("MW…", 1.0),
    ("ABCDEFGHKLNOPQRSTUVXYZ", 0.72),
    ("0123456789", 0.636),
    ("abcdeghknopqsuvxyz", 0.61),
)
_OTHER = 0.65  # em: any other character, but a wide (CJK) one, 1 em
_HEIGHT = 13.0  # px of a line of 11 px text
_GAP = 5.0  # px between a node and its label
_SHORTER = (14, 8)  # characters of the shortened labels tried


@dataclass(frozen=True)
class Label:
    """A node's label: ``text`` centred vertically at ``y``, starting at ``x``
    (``anchor`` "start") or centred on it ("middle"); ``value``: the node's value
    follows the text."""

    x: float
    y: float
    anchor: str
    text: str
    value: str = ""


def text_width(text: str) -> float:
    """The estimated width (px) of ``text`` at 11 px. O(len(text))."""
    return _SIZE * sum(_em(c) for c in text)


def _em(character: str) -> float:
    for members, width in _WIDTHS:
        if character in members:
            return width
    return 1.0 if unicodedata.east_asian_width(character) in "WF" else _OTHER


def place_labels(diagram: SankeyDiagram) -> dict[str, Label]:
    """The label of each node that has room for one, by node key (see the module
    docstring)."""
    nodes = diagram.nodes
    taken = [(key, _box(n.x, n.y, NODE_WIDTH, n.height)) for key, n in nodes.items()]
    placed: dict[str, Label] = {}
    for key in sorted(nodes, key=lambda k: -nodes[k].value):
        for label in _candidates(diagram, key):
            box = _label_box(label)
            if _inside(box, diagram) and not any(
                _overlap(box, other) for owner, other in taken if owner != key
            ):
                placed[key] = label
                taken.append(("", box))
                break
    return placed


def _candidates(diagram: SankeyDiagram, key: str) -> list[Label]:
    """A node's labels, in order of preference."""
    node = diagram.nodes[key]
    value = " " + format_quantity(node.value, diagram.dimension, per_year=False)
    right = (node.x + NODE_WIDTH + _GAP, node.y + node.height / 2, "start")
    above = (node.x + NODE_WIDTH / 2, node.y - _GAP - _HEIGHT / 2, "middle")
    below = (node.x + NODE_WIDTH / 2, node.y + node.height + _GAP + _HEIGHT / 2, "middle")
    texts = [node.label] + [_shorten(node.label, n) for n in _SHORTER if len(node.label) > n]
    found = [Label(*right, node.label, value)]
    for text in texts:
        found += [Label(*at, text) for at in (right, above, below)]
    return found


def _shorten(text: str, length: int) -> str:
    return text[: length - 1].rstrip() + "…"


Box = tuple[float, float, float, float]  # left, top, right, bottom


def _box(x: float, y: float, width: float, height: float) -> Box:
    return (x, y, x + width, y + height)


def _label_box(label: Label) -> Box:
    width = text_width(label.text + label.value)
    left = label.x if label.anchor == "start" else label.x - width / 2
    return (left, label.y - _HEIGHT / 2, left + width, label.y + _HEIGHT / 2)


def _inside(box: Box, diagram: SankeyDiagram) -> bool:
    return box[0] >= 0 and box[1] >= 0 and box[2] <= diagram.width and box[3] <= diagram.height


def _overlap(a: Box, b: Box, margin: float = 2.0) -> bool:
    return a[0] < b[2] + margin and b[0] < a[2] + margin and a[1] < b[3] and b[1] < a[3]
