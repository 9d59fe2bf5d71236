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
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..arguments import Arguments
from ..core import Core
from ..model import FlowNetwork
from ..units import DIMENSIONS, yearly_unit
from ..vocabulary import CATEGORIES, ROLES
from .markup import format_quantity, short_label
from .network_data import sorted_codes
from .sankey_draw import sankey_caption, sankey_svg
from .sankey_labels import Label, place_labels
from .sankey_layout import LABEL_SPACE, NODE_WIDTH, feedback_order, layout

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
#: The width (px) of the margin, the last column's nodes and their labels: a drawing must
#: be wider.
MIN_WIDTH = 10 + LABEL_SPACE + NODE_WIDTH


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
    years: int = 1  # the years of flows its quantities add up (FlowNetwork.summed_years)
    labels: dict[str, Label] = field(default_factory=dict)  # by node key; none: no room


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
    there are none). See the module docstring for the projection and the costs: the
    aggregation runs on the core's integer codes, strings are made only for the drawn
    nodes. ``width``: the drawing's, in px, more than :data:`MIN_WIDTH` (the room of the
    margin, the last column's nodes and their labels)."""
    arguments = Arguments()
    arguments.choice("dimension", dimension, DIMENSIONS)
    arguments.whole("max_nodes", max_nodes, minimum=1)
    arguments.whole("max_links", max_links, what=" (0: a caption only)")
    arguments.number("width", width, above=MIN_WIDTH, what=" (px)")
    arguments.check()
    core = network.core
    flows = np.flatnonzero(core.in_dimension(dimension) & (core.value > 0))
    if not len(flows):
        return None
    source, target = core.source[flows], core.target[flows]
    touched = np.zeros(core.n_nodes, dtype=bool)
    touched[source] = touched[target] = True
    grouped = int(touched.sum()) > max_nodes
    ends, keys, info = _node_keys(core, source, target, grouped)
    values = pd.Series(core.value[flows])
    self_loops = ends[0] == ends[1]
    total, within = float(values.sum()), float(values[self_loops].sum())
    inside = ~self_loops
    links, found = _links(core, flows[inside], ends[0][inside], ends[1][inside], keys, max_links)
    hidden = max(0, found - max_links)
    diagram = SankeyDiagram(
        dimension=dimension,
        unit=yearly_unit(dimension, network.summed_years),
        years=network.summed_years,
        nodes=_nodes(links, info),
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
    diagram.labels = place_labels(diagram)
    return diagram


def _node_keys(
    core: Core, source: np.ndarray, target: np.ndarray, grouped: bool
) -> tuple[tuple[np.ndarray, np.ndarray], list[str], dict[str, tuple[str, str]]]:
    """Each flow end as a node of the diagram: ``(source ids, target ids)`` numbered in the
    text order of the ``keys`` ("a:<id>" for an actor, "source:<id>"/"sink:<id>" for a
    boundary node; grouped: "a:s:<sector>" and "source:<role>"/"sink:<role>"), and the
    (name, role) of each key. O(flows) on codes, then O(distinct keys) strings."""
    n = core.n_nodes if not grouped else len(core.sectors) + 1 + len(ROLES)
    if grouped:
        role = core.role_code.astype(np.int64)
        inner = np.where(core.actor, core.sector_code + 1, len(core.sectors) + 1 + role)
    else:
        inner = np.arange(core.n_nodes)
    # three sides: actor, boundary as a source, boundary as a sink
    codes = (
        np.where(core.actor[source], 0, 1) * n + inner[source],
        np.where(core.actor[target], 0, 2) * n + inner[target],
    )
    distinct, inverse = sorted_codes(np.concatenate(codes))
    texts, info = [], {}
    for code in distinct.tolist():
        side, k = divmod(code, n)
        text, name_role = _key_text(core, side, k, grouped)
        texts.append(text)
        info[text] = name_role
    ids, keys = pd.factorize(np.array(texts, dtype=object))  # equal texts: one node
    order = np.argsort(np.array([str(k) for k in keys], dtype=object), kind="stable")
    rank = np.empty(len(keys), dtype=np.int64)
    rank[order] = np.arange(len(keys))
    per_flow = rank[ids][inverse]
    sorted_keys = [str(keys[i]) for i in order]
    return (per_flow[: len(source)], per_flow[len(source) :]), sorted_keys, info


def _key_text(core: Core, side: int, k: int, grouped: bool) -> tuple[str, tuple[str, str]]:
    """The text key of one diagram node and its (name, role)."""
    prefix = ("a:", "source:", "sink:")[side]
    if not grouped:
        return prefix + str(core.ids[k]), (str(core.names[k]), str(core.role[k]))
    sectors = len(core.sectors)
    if k > sectors:
        role = str(ROLES[k - sectors - 1])
        return prefix + role, (role, role)
    sector = str(core.sectors[k - 1]) if k else ""
    return prefix + "s:" + sector, (sector or "(no sector)", "firm")


def _links(
    core: Core,
    flows: np.ndarray,
    source: np.ndarray,
    target: np.ndarray,
    keys: list[str],
    max_links: int,
) -> tuple[list[SankeyLink], int]:
    """Flows summed per (source, target, category): the ``max_links`` largest links (ties
    in the text order of the three), with their materials largest first (ties: first
    met), and the number of links in all. O(flows log flows) on codes, then O(distinct
    (link, material) pairs of the links kept)."""
    if not len(flows):
        return [], 0
    categories = sorted(range(len(CATEGORIES)), key=CATEGORIES.__getitem__)
    category_rank = np.empty(len(CATEGORIES), dtype=np.int64)
    category_rank[categories] = np.arange(len(CATEGORIES))
    n, c = len(keys), len(CATEGORIES)
    key = (source * n + target) * c + category_rank[core.category[flows]]
    distinct, link = sorted_codes(key)
    value = pd.Series(core.value[flows])
    sums = value.groupby(link, sort=True).sum().to_numpy()
    sizes = np.bincount(link, minlength=len(distinct))
    totals = sums.tolist()
    kept = sorted(range(len(totals)), key=lambda i: -totals[i])[:max_links]
    # Only the kept links' materials: their flows keep their order, so each (link,
    # material) sum adds the same numbers in the same order as over all flows.
    keep = np.zeros(len(distinct), dtype=bool)
    keep[kept] = True
    shown = keep[link]
    materials = _link_materials(
        core, flows[shown], link[shown], pd.Series(value.to_numpy()[shown]), len(distinct)
    )
    codes, counts = distinct.tolist(), sizes.tolist()
    return [
        SankeyLink(
            source=keys[codes[i] // (c * n)],
            target=keys[codes[i] // c % n],
            category=CATEGORIES[categories[codes[i] % c]],
            value=float(totals[i]),
            materials=tuple(materials[i]),
            flows=int(counts[i]),
        )
        for i in kept
    ], len(distinct)


def _link_materials(
    core: Core, flows: np.ndarray, link: np.ndarray, value: pd.Series, n_links: int
) -> list[list[str]]:
    """The materials of each link, by quantity (largest first; ties: first met)."""
    width = len(core.materials) + 1
    pair = link.astype(np.int64) * width + core.material_code[flows] + 1
    codes, pairs = pd.factorize(pair)  # pairs in order of first appearance
    first = np.arange(len(pairs))
    sums = value.groupby(codes, sort=True).sum().to_numpy()
    pair_link, pair_material = pairs // width, pairs % width - 1
    names = [str(m) for m in core.materials]
    carried: list[list[str]] = [[] for _ in range(n_links)]
    for i in np.lexsort((first, -sums, pair_link)).tolist():
        carried[pair_link[i]].append(names[pair_material[i]])
    return carried


def _nodes(links: list[SankeyLink], info: dict[str, tuple[str, str]]) -> dict[str, SankeyNode]:
    """The drawn nodes, in order of first appearance in ``links``, with their sums."""
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
            name, role = info[key]
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
