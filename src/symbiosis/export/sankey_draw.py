"""A laid-out Sankey diagram as SVG text, and its caption (every name escaped)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .markup import clip, esc, format_quantity
from .palette import CATEGORY_COLORS, OTHER_COLOR, ROLE_COLORS
from .sankey_layout import NODE_WIDTH

if TYPE_CHECKING:
    from .sankey import SankeyDiagram
    from .sankey_labels import Label

__all__ = ["sankey_caption", "sankey_svg"]


def sankey_svg(diagram: SankeyDiagram) -> str:
    """The diagram as an ``<svg>`` element; every name is escaped text."""
    dim = diagram.dimension
    nodes = diagram.nodes
    parts = [
        f'<svg class="sankey" viewBox="0 0 {diagram.width:.0f} {diagram.height:.0f}" '
        f'width="100%" role="img" aria-label="{esc(f"Sankey diagram of {dim} flows")}">',
        '<g class="links">',
    ]
    for link in sorted(diagram.links, key=lambda lk: -lk.width):
        color = CATEGORY_COLORS.get(link.category, OTHER_COLOR)
        materials = ", ".join(link.materials[:4]) + (" …" if len(link.materials) > 4 else "")
        tip = (
            f"{clip(nodes[link.source].name)} → {clip(nodes[link.target].name)}\n"
            f"{clip(materials)}\n"
            f"{link.category}: {_quantity(link.value, diagram)}"
            + (f" ({link.flows:,} flows)" if link.flows > 1 else "")
            + ("\nreturn flow: closes a loop" if link.back else "")
        )
        kind = "link back" if link.back else "link"
        parts.append(
            f'<path class="{kind}" d="{link.path}" stroke="{color}" '
            f'stroke-width="{link.width:.1f}"><title>{esc(tip)}</title></path>'
        )
    parts.append('</g><g class="nodes">')
    for key, node in nodes.items():
        color = ROLE_COLORS.get(node.role, OTHER_COLOR)
        tip = (
            f"{clip(node.name)}\nin: {_quantity(node.inflow, diagram)}"
            f"\nout: {_quantity(node.outflow, diagram)}"
        )
        parts.append(
            f'<g class="node"><title>{esc(tip)}</title>'
            f'<rect x="{node.x:.1f}" y="{node.y:.1f}" width="{NODE_WIDTH:.0f}" '
            f'height="{node.height:.1f}" fill="{color}"></rect>'
            f"{_label_svg(diagram.labels.get(key))}</g>"
        )
    parts.append("</g></svg>")
    return "".join(parts)


def _label_svg(label: Label | None) -> str:
    """A node's label (:mod:`.sankey_labels`): none where there was no room for one."""
    if label is None:
        return ""
    value = f'<tspan class="value">{esc(label.value)}</tspan>' if label.value else ""
    return (
        f'<text x="{label.x:.1f}" y="{label.y:.1f}" text-anchor="{label.anchor}" '
        f'dy="0.35em">{esc(label.text)}{value}</text>'
    )


def sankey_caption(diagram: SankeyDiagram) -> str:
    """What the diagram shows and leaves out, as plain text."""
    dim = diagram.dimension
    backs = [link for link in diagram.links if link.back]
    text = [
        f"{_quantity(diagram.shown, diagram)} drawn of "
        f"{_quantity(diagram.total, diagram)} of known {dim} flows"
    ]
    if diagram.hidden_links:
        text.append(f"the {diagram.hidden_links:,} smallest links are left out")
    if diagram.grouped:
        text.append("actors grouped by sector, boundary nodes by role")
    if diagram.within_groups:  # flows whose two ends are one node of the diagram
        where = "within groups" if diagram.grouped else "from a node to itself"
        text.append(f"{_quantity(diagram.within_groups, diagram)} flow {where}")
    if backs:
        returned = sum(link.value for link in backs)
        text.append(
            f"{len(backs)} return flow{'s' if len(backs) > 1 else ''} "
            f"({_quantity(returned, diagram)}) close loops: drawn dashed below the chart"
        )
    return "; ".join(text) + "."


def _quantity(value: float, diagram: SankeyDiagram) -> str:
    """A quantity of the diagram's dimension, per year or over the years its network
    adds up (:attr:`SankeyDiagram.years`)."""
    return format_quantity(value, diagram.dimension, years=diagram.years)
