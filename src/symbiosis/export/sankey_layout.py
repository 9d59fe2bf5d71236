"""Layout of a Sankey diagram: the feedback-arc order, columns, barycentre sweeps and
the routing of bands and return arcs (see :mod:`symbiosis.export.sankey`)."""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

from .palette import ROLE_COLORS

if TYPE_CHECKING:
    from .sankey import SankeyDiagram, SankeyLink

__all__ = ["feedback_order", "layout"]

NODE_WIDTH = 14.0
LABEL_SPACE = 200.0  # px right of the last column, for its labels


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


def layout(diagram: SankeyDiagram) -> None:
    nodes, links = diagram.nodes, diagram.links
    if not nodes:  # every known flow loops on one node, or none is drawn: a caption only
        diagram.scale, diagram.height = 0.0, 60.0
        return
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
