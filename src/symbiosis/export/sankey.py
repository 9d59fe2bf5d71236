"""A Sankey view of the main chains of one dimension, drawn as inline SVG.

Industrial-symbiosis networks have loops, and a Sankey diagram needs a direction from
left to right. The view is an *acyclic projection*, built in three steps:

1. **Boundary nodes are split.** The outside economy both supplies imports and buys
   products; a landfill only receives. Each boundary node that sends flows is drawn as
   a source on the far left ("... (supply)"), each one that receives as a sink on the far
   right. Boundary nodes never close a loop (they are outside the system), so after the
   split every cycle runs among actors.
2. **Return flows are the feedback arcs of a good actor order.** The actors are ordered
   by the greedy heuristic of Eades, Lin and Smyth (1993), weighted by quantity: sinks
   go last, sources first, otherwise the actor with the largest (outflow - inflow) goes
   next. An actor-to-actor flow that runs forward in that order is drawn as a band; one
   that runs backward closes a loop and is drawn as a *return arc*, routed below the
   chart (dashed), so the loop stays visible and the main chains read left to right.
   The heuristic keeps the backward weight small (it is within a factor of the optimum
   on sparse graphs; the exact minimum feedback arc set is NP-hard).
3. **Columns** are the longest path of forward flows from the sources (actors fed only
   from outside are in column 1), sinks in the last column; the order inside a column
   is improved by a few barycentre sweeps, as in layered graph drawing (Sugiyama et al.).

Large networks are aggregated first (actors by sector, boundary nodes by role) when they
have more than ``max_nodes`` nodes, and only the ``max_links`` largest links are drawn; the
caption says how much of the total is shown. Everything is computed in Python and drawn
as SVG text (no script, no library): O(flows) to aggregate, then O(n^2 + links) on the
at most ``max_nodes`` drawn nodes.

References
----------
P. Eades, X. Lin, W. F. Smyth, "A fast and effective heuristic for the feedback arc set
problem", Information Processing Letters 47(6), 1993.
K. Sugiyama, S. Tagawa, M. Toda, "Methods for visual understanding of hierarchical
system structures", IEEE Trans. SMC 11(2), 1981.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..model import FlowNetwork
from ..units import CANONICAL_UNITS
from .network_html import CATEGORY_COLORS, OTHER_COLOR, ROLE_COLORS, esc, short_label

__all__ = ["SankeyDiagram", "format_quantity", "sankey", "sankey_svg"]

NODE_WIDTH = 14.0
LABEL_SPACE = 200.0  # px right of the last column, for its labels
LABEL_CHARS = 24


@dataclass
class SankeyNode:
    key: str
    label: str
    name: str
    role: str
    side: str  # "source", "actor" or "sink"
    column: int = 0
    x: float = 0.0
    y: float = 0.0
    height: float = 0.0
    inflow: float = 0.0
    outflow: float = 0.0

    @property
    def value(self) -> float:
        return max(self.inflow, self.outflow)


@dataclass
class SankeyLink:
    source: str
    target: str
    category: str
    value: float
    materials: tuple[str, ...]
    flows: int
    back: bool = False
    width: float = 0.0
    path: str = ""


@dataclass
class SankeyDiagram:
    """A laid-out Sankey diagram (see the module docstring); draw it with
    :func:`sankey_svg`."""

    dimension: str
    unit: str
    nodes: dict[str, SankeyNode]
    links: list[SankeyLink]
    width: float
    height: float
    total: float
    shown: float
    within_groups: float
    grouped: bool
    hidden_links: int = 0
    scale: float = 0.0  # px per unit of quantity


# ---------------------------------------------------------------------------- build


def sankey(
    network: FlowNetwork,
    dimension: str,
    *,
    max_nodes: int = 40,
    max_links: int = 70,
    width: float = 1300.0,
) -> SankeyDiagram | None:
    """The laid-out Sankey diagram of the known flows of ``dimension`` (``None`` when
    there are none). See the module docstring for the projection and the costs."""
    flows = network.flows_in(dimension, known=True)
    flows = flows[flows["value"].to_numpy() > 0]
    if flows.empty:
        return None
    firms = network.firms
    src_pos = firms.index.get_indexer(flows["source"])
    tgt_pos = firms.index.get_indexer(flows["target"])
    actor = firms["actor"].to_numpy()
    names = firms["name"].astype(str).to_numpy()
    sectors = firms["sector"].fillna("").astype(str).to_numpy()
    roles = firms["role"].astype(str).to_numpy()
    ids = np.array([str(i) for i in firms.index], dtype=object)

    touched = np.unique(np.concatenate([src_pos, tgt_pos]))
    grouped = len(touched) > max_nodes

    def key(pos: np.ndarray, side: str) -> np.ndarray:
        if grouped:
            inner = np.where(actor[pos], "s:" + sectors[pos].astype(object), roles[pos])
        else:
            inner = ids[pos]
        prefix = np.where(actor[pos], "a:", side + ":")
        return prefix.astype(object) + inner.astype(object)

    table = pd.DataFrame(
        {
            "source": key(src_pos, "source"),
            "target": key(tgt_pos, "sink"),
            "category": flows["category"].astype(str).to_numpy(),
            "material": flows["material"].astype(str).to_numpy(),
            "value": flows["value"].to_numpy(dtype=float),
        }
    )
    total = float(table["value"].sum())
    self_loops = table["source"] == table["target"]
    within = float(table.loc[self_loops, "value"].sum())
    links = _links(table[~self_loops])
    hidden = max(0, len(links) - max_links)
    links = sorted(links, key=lambda link: -link.value)[:max_links]
    nodes = _nodes(links, grouped, ids, names, sectors, roles, actor)
    diagram = SankeyDiagram(
        dimension=dimension,
        unit=f"{CANONICAL_UNITS[dimension]}/yr",
        nodes=nodes,
        links=links,
        width=width,
        height=0.0,
        total=total,
        shown=float(sum(link.value for link in links)),
        within_groups=within,
        grouped=grouped,
        hidden_links=hidden,
    )
    _layout(diagram)
    return diagram


def _links(table: pd.DataFrame) -> list[SankeyLink]:
    """Flows summed per (source, target, category); materials largest first.
    Vectorised: O(flows log flows), then O(distinct (link, material) pairs)."""
    keys = ["source", "target", "category"]
    if table.empty:
        return []
    totals = table.groupby(keys, sort=True)["value"].agg(["sum", "size"])
    by_material = table.groupby([*keys, "material"], sort=False)["value"].sum().reset_index()
    by_material = by_material.sort_values([*keys, "value"], ascending=[True, True, True, False])
    materials: dict[tuple, list[str]] = {}
    for source, target, category, material, _ in by_material.itertuples(index=False, name=None):
        materials.setdefault((source, target, category), []).append(str(material))
    return [
        SankeyLink(
            source=str(source),
            target=str(target),
            category=str(category),
            value=float(total),
            materials=tuple(materials[(source, target, category)]),
            flows=int(size),
        )
        for (source, target, category), total, size in zip(
            totals.index, totals["sum"], totals["size"], strict=True
        )
    ]


def _nodes(links, grouped, ids, names, sectors, roles, actor) -> dict[str, SankeyNode]:
    lookup = {str(i): k for k, i in enumerate(ids)}
    inner_sides: dict[str, set[str]] = defaultdict(set)
    for link in links:
        for key in (link.source, link.target):
            side, inner = key.split(":", 1)
            inner_sides[inner].add(side)
    nodes: dict[str, SankeyNode] = {}
    for link in links:
        for key in (link.source, link.target):
            if key in nodes:
                continue
            side, inner = key.split(":", 1)
            side = {"a": "actor"}.get(side, side)
            if grouped:
                if inner.startswith("s:"):
                    name, role = inner[2:] or "(no sector)", "firm"
                else:
                    name, role = inner, inner
            else:
                k = lookup[inner]
                name, role = str(names[k]), str(roles[k])
            # A boundary node drawn twice (supplier and buyer) says which copy is which.
            suffix = ""
            if side != "actor" and inner_sides[inner] >= {"source", "sink"}:
                suffix = " (supply)" if side == "source" else " (sales)"
            nodes[key] = SankeyNode(
                key=key,
                label=short_label(name, LABEL_CHARS) + suffix,
                name=name + suffix,
                role=role,
                side=side,
            )
    for link in links:
        nodes[link.source].outflow += link.value
        nodes[link.target].inflow += link.value
    return nodes


def feedback_order(keys: list[str], links: list[SankeyLink]) -> list[str]:
    """Eades-Lin-Smyth greedy order of ``keys`` (weighted by ``link.value``): arcs that
    run backward in it form a small feedback arc set. O(n^2 + links)."""
    out_w: dict[str, dict[str, float]] = defaultdict(dict)
    in_w: dict[str, dict[str, float]] = defaultdict(dict)
    members = set(keys)
    for link in links:
        if link.source in members and link.target in members:
            out_w[link.source][link.target] = out_w[link.source].get(link.target, 0) + link.value
            in_w[link.target][link.source] = in_w[link.target].get(link.source, 0) + link.value
    remaining = list(keys)
    alive = set(keys)
    head: list[str] = []
    tail: list[str] = []

    def degree(node: str, table) -> float:
        return sum(w for other, w in table[node].items() if other in alive)

    while alive:
        changed = True
        while changed:
            changed = False
            for node in [n for n in remaining if n in alive]:
                if degree(node, out_w) == 0:
                    tail.append(node)
                    alive.discard(node)
                    changed = True
                elif degree(node, in_w) == 0:
                    head.append(node)
                    alive.discard(node)
                    changed = True
        if alive:
            best = max(
                (n for n in remaining if n in alive),
                key=lambda n: degree(n, out_w) - degree(n, in_w),
            )
            head.append(best)
            alive.discard(best)
    return head + tail[::-1]


def _layout(diagram: SankeyDiagram) -> None:
    nodes, links = diagram.nodes, diagram.links
    actors = [k for k, n in nodes.items() if n.side == "actor"]
    order = {k: i for i, k in enumerate(feedback_order(actors, links))}
    for link in links:
        both = link.source in order and link.target in order
        link.back = both and order[link.source] >= order[link.target]
    forward = [link for link in links if not link.back]
    # Columns: longest path of forward flows (actors in feedback order are topological).
    column = {k: 0 for k, n in nodes.items() if n.side == "source"}
    preds: dict[str, list[str]] = defaultdict(list)
    for link in forward:
        preds[link.target].append(link.source)
    for key in sorted(actors, key=order.get):
        column[key] = 1 + max((column.get(p, 0) for p in preds[key]), default=0)
    last = max([column[k] for k in actors], default=0) + 1
    for key, node in nodes.items():
        node.column = last if node.side == "sink" else column[key]
    # A backward arc that happens to point to a later column is drawn as a plain band:
    # every cycle still has at least one arc that goes back (columns cannot all rise).
    for link in links:
        link.back = nodes[link.source].column >= nodes[link.target].column
    forward = [link for link in links if not link.back]
    columns: dict[int, list[str]] = defaultdict(list)
    roles = list(ROLE_COLORS)
    initial = sorted(
        nodes,
        key=lambda k: (
            order.get(k, 0),
            roles.index(nodes[k].role) if nodes[k].role in roles else len(roles),
            -nodes[k].value,
        ),
    )
    for key in initial:
        columns[nodes[key].column].append(key)
    _place(diagram, columns, last, forward)
    _route(diagram)


def _place(diagram, columns, last, forward) -> None:
    """Heights proportional to value, columns centred, barycentre sweeps for order."""
    nodes = diagram.nodes
    crowd = max(len(v) for v in columns.values())
    padding = 16.0 if crowd < 14 else 10.0
    chart = max(420.0, min(1200.0, 40.0 * crowd + 100))
    busiest = max(sum(nodes[k].value for k in keys) for keys in columns.values())
    scale = (chart - padding * (crowd - 1)) / busiest if busiest > 0 else 0.0
    diagram.scale = scale
    for node in nodes.values():
        node.height = max(node.value * scale, 1.5)
    span = diagram.width - 10 - LABEL_SPACE - NODE_WIDTH  # the last column's labels: right
    for node in nodes.values():
        node.x = 10 + (span * node.column / last if last else 0)

    def stack(keys):
        height = sum(nodes[k].height for k in keys) + padding * (len(keys) - 1)
        y = 20 + (chart - height) / 2
        for k in keys:
            nodes[k].y = y
            y += nodes[k].height + padding

    def centre(k):
        return nodes[k].y + nodes[k].height / 2

    for keys in columns.values():
        stack(keys)
    succ, pred = defaultdict(list), defaultdict(list)
    for link in forward:
        succ[link.source].append((link.target, link.value))
        pred[link.target].append((link.source, link.value))
    for sweep in range(6):
        neighbours = pred if sweep % 2 == 0 else succ
        order = range(1, last + 1) if sweep % 2 == 0 else range(last - 1, -1, -1)
        for c in order:
            keys = columns.get(c, [])

            def barycentre(k, neighbours=neighbours):
                pairs = neighbours.get(k)
                if not pairs:
                    return centre(k)
                weight = sum(w for _, w in pairs)
                return sum(centre(o) * w for o, w in pairs) / weight

            keys.sort(key=barycentre)
            stack(keys)
    diagram.height = 20 + chart + 20


def _route(diagram: SankeyDiagram) -> None:
    """Ports on each node side (forward links first, return links below them) and the
    SVG path of each link; return links get lanes under the chart."""
    nodes, links = diagram.nodes, diagram.links
    for link in links:
        link.width = max(link.value * diagram.scale, 1.0)

    def centre(k):
        return nodes[k].y + nodes[k].height / 2

    out_next = {k: n.y for k, n in nodes.items()}
    in_next = dict(out_next)
    ports_out, ports_in = {}, {}
    for link in sorted(links, key=lambda lk: (lk.back, centre(lk.target))):
        ports_out[id(link)] = out_next[link.source] + link.width / 2
        out_next[link.source] += link.width
    for link in sorted(links, key=lambda lk: (lk.back, centre(lk.source))):
        ports_in[id(link)] = in_next[link.target] + link.width / 2
        in_next[link.target] += link.width
    lane = diagram.height
    backs = sorted(
        (lk for lk in links if lk.back),
        key=lambda lk: nodes[lk.source].x - nodes[lk.target].x,
    )
    for link in links:
        source, target = nodes[link.source], nodes[link.target]
        x0, y0 = source.x + NODE_WIDTH, ports_out[id(link)]
        x1, y1 = target.x, ports_in[id(link)]
        if not link.back:
            xm = (x0 + x1) / 2
            link.path = f"M{x0:.1f},{y0:.1f}C{xm:.1f},{y0:.1f} {xm:.1f},{y1:.1f} {x1:.1f},{y1:.1f}"
    for link in backs:
        source, target = nodes[link.source], nodes[link.target]
        x0, y0 = source.x + NODE_WIDTH, ports_out[id(link)]
        x1, y1 = target.x, ports_in[id(link)]
        yl = lane + 8 + link.width / 2
        lane = yl + link.width / 2
        r = max(18.0, link.width)
        link.path = (
            f"M{x0:.1f},{y0:.1f}C{x0 + r:.1f},{y0:.1f} {x0 + r:.1f},{yl:.1f} {x0:.1f},{yl:.1f}"
            f"L{x1:.1f},{yl:.1f}C{x1 - r:.1f},{yl:.1f} {x1 - r:.1f},{y1:.1f} {x1:.1f},{y1:.1f}"
        )
    diagram.height = lane + 12


# ---------------------------------------------------------------------------- draw


def format_quantity(value: float | None, dimension: str, *, per_year: bool = True) -> str:
    """A quantity in the canonical unit of ``dimension`` with a readable prefix:
    ``15.0 Mt/yr``, ``36.0 PJ/yr``, ``40.0 million m³/yr``."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    steps = {
        "mass": ((1e9, "Gt"), (1e6, "Mt"), (1e3, "kt"), (1, "t")),
        "energy": ((1e9, "EJ"), (1e6, "PJ"), (1e3, "TJ"), (1, "GJ")),
        "volume": ((1e9, "billion m³"), (1e6, "million m³"), (1e3, "thousand m³"), (1, "m³")),
    }.get(dimension)
    suffix = "/yr" if per_year else ""
    if steps is None:
        return f"{value:,.4g}"
    magnitude = abs(value)
    for factor, unit in steps:
        if magnitude >= factor or factor == 1:
            scaled = value / factor
            if scaled == 0:
                text = "0"
            elif abs(scaled) >= 100 or (factor == 1 and abs(scaled) >= 10):
                text = f"{scaled:,.0f}"
            elif abs(scaled) >= 10:
                text = f"{scaled:,.1f}"
            else:
                text = f"{scaled:,.3g}" if factor == 1 else f"{scaled:,.2f}"
            return f"{text} {unit}{suffix}"
    raise AssertionError("unreachable")


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
            f"{nodes[link.source].name} → {nodes[link.target].name}\n{materials}\n"
            f"{link.category}: {format_quantity(link.value, dim)}"
            + (f" ({link.flows:,} flows)" if link.flows > 1 else "")
            + ("\nreturn flow: closes a loop" if link.back else "")
        )
        kind = "link back" if link.back else "link"
        parts.append(
            f'<path class="{kind}" d="{link.path}" stroke="{color}" '
            f'stroke-width="{link.width:.1f}"><title>{esc(tip)}</title></path>'
        )
    parts.append('</g><g class="nodes">')
    for node in nodes.values():
        color = ROLE_COLORS.get(node.role, OTHER_COLOR)
        tip = (
            f"{node.name}\nin: {format_quantity(node.inflow, dim)}"
            f"\nout: {format_quantity(node.outflow, dim)}"
        )
        tx = node.x + NODE_WIDTH + 5
        ty = node.y + node.height / 2
        parts.append(
            f'<g class="node"><title>{esc(tip)}</title>'
            f'<rect x="{node.x:.1f}" y="{node.y:.1f}" width="{NODE_WIDTH:.0f}" '
            f'height="{node.height:.1f}" fill="{color}"></rect>'
            f'<text x="{tx:.1f}" y="{ty:.1f}" text-anchor="start" dy="0.35em">'
            f"{esc(node.label)}"
            f'<tspan class="value"> {esc(format_quantity(node.value, dim, per_year=False))}'
            "</tspan></text></g>"
        )
    parts.append("</g></svg>")
    return "".join(parts)


def sankey_caption(diagram: SankeyDiagram) -> str:
    """What the diagram shows and leaves out, as plain text."""
    dim = diagram.dimension
    backs = [link for link in diagram.links if link.back]
    text = [
        f"{format_quantity(diagram.shown, dim)} drawn of "
        f"{format_quantity(diagram.total, dim)} of known {dim} flows"
    ]
    if diagram.hidden_links:
        text.append(f"the {diagram.hidden_links:,} smallest links are left out")
    if diagram.grouped:
        text.append("actors grouped by sector, boundary nodes by role")
    if diagram.within_groups:
        text.append(f"{format_quantity(diagram.within_groups, dim)} flow within groups")
    if backs:
        returned = sum(link.value for link in backs)
        text.append(
            f"{len(backs)} return flow{'s' if len(backs) > 1 else ''} "
            f"({format_quantity(returned, dim)}) close loops: drawn dashed below the chart"
        )
    return "; ".join(text) + "."
