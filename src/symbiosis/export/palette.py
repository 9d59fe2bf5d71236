"""Colours and sizes shared by the network page, the report and the Sankey view."""

from __future__ import annotations

ROLE_COLORS: dict[str, str] = {
    "firm": "#4e79a7",
    "extraction": "#9c755f",
    "recycling": "#59a14f",
    "treatment": "#76b7b2",
    "utility": "#edc948",
    "household": "#b07aa1",
    "distributor": "#ff9da7",
    "market": "#8c8c8c",
    "disposal": "#e15759",
    "environment": "#a0cbe8",
}
CATEGORY_COLORS: dict[str, str] = {
    "product": "#5b6b80",
    "by-product": "#2f9e44",
    "waste": "#f08c00",
    "emission": "#9c36b5",
}
#: Sector colours, in order of sector size; further sectors share the last, grey, colour.
SECTOR_PALETTE = (
    "#4e79a7",
    "#f28e2b",
    "#59a14f",
    "#e15759",
    "#76b7b2",
    "#edc948",
    "#b07aa1",
    "#ff9da7",
    "#9c755f",
    "#86bcb6",
    "#d4a6c8",
    "#fabfd2",
)
OTHER_COLOR = "#bab0ac"
LOOP_COLOR = "#ffb000"
DISPOSAL_ROLES = ("disposal", "environment")
NODE_SIZE = (6.0, 42.0)
EDGE_WIDTH = (1.0, 9.0)
