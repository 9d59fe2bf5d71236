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

from collections import defaultdict
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..model import FlowNetwork
from ..units import CANONICAL_UNITS
from .markup import format_quantity, short_label
from .sankey_draw import sankey_caption, sankey_svg
from .sankey_layout import NODE_WIDTH, feedback_order, layout

__all__ = [
    "NODE_WIDTH",
    "SankeyDiagram",
    "SankeyLink",
    "SankeyNode",
    "feedback_order",
    "format_quantity",
    "sankey",
    "sankey_caption",
    "sankey_svg",
]

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
    layout(diagram)
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
