"""The interactive network view: one self-contained, offline HTML file.

:func:`network_html` turns a :class:`~symbiosis.model.FlowNetwork` (and, optionally, the
:class:`~symbiosis.report.Report` of it, for the loops) into a page that opens anywhere,
with no server and no internet:

* nodes coloured by role (or sector) with a legend, sized by throughflow in one dimension
  (area proportional to max(inflow, outflow), so that a firm twice as big looks twice as
  big); boundary nodes (market, disposal, environment) are squares;
* edges coloured by category, width log-scaled by quantity *within each dimension* (tonnes
  are never compared with gigajoules), arrows; streams to disposal or the environment are
  dashed; arcs that lie on a loop (both ends in the same symbiosis core) glow;
* tooltips with the firm's name, sector, inputs and outputs per dimension, and the flow's
  material, category, quantity and unit; a filter by material, category and dimension, a
  "loops only" and a "disposed only" switch, and a search box;
* the layout settles, then stops moving: small networks run vis-network's physics and
  freeze it after stabilization; above :data:`PHYSICS_MAX_NODES` nodes the positions are
  computed here (:func:`force_layout`) and physics is off, so 5,000 nodes open in seconds;
  above :data:`MAX_NODES` nodes (or :data:`MAX_FLOWS` flows) firms are aggregated by sector.

pyvis is the renderer, used as ``docs`` and ``../shared/research/ecosystem.md`` (section 2)
advise against its pitfalls: ``cdn_resources="in_line"``, ``generate_html()`` only (never
``show()``/``write_html()``, which write a ``lib/`` folder or open a browser), options as a
dict, every value a builtin type, and the output post-processed: the two Bootstrap CDN tags
and the empty headings are removed, a doctype and a Content-Security-Policy that forbids
every network load are added, and the file is written as UTF-8 by
:func:`~symbiosis.export.files.write_text_atomic`.

Untrusted names. Firm, sector and material names come from user files. Nothing from them
is ever put into markup unescaped: the legend and filter lists are escaped with
:func:`html.escape`; the node and edge data are embedded as JSON with ``<``, ``>`` and
``&`` written as ``\\u003c``, ``\\u003e``, ``\\u0026`` (so ``</script>`` in a name cannot end
the script); labels are drawn on the canvas; tooltips are built as DOM text nodes by
``assets/network.js``. pyvis's ``title`` is never used: pyvis switches to an ``innerHTML``
popup when any title contains ``href``, which a hostile name could trigger.

The exporter computes no metric: sizes come from :meth:`FlowNetwork.inflow` and
:meth:`FlowNetwork.outflow`, loop membership from the report's ``loops`` section.
"""

from __future__ import annotations

import html
import json
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..errors import InputError
from ..model import FlowNetwork
from ..units import CANONICAL_UNITS, DIMENSIONS
from ..vocabulary import ACTOR_ROLES, CATEGORIES, ROLES
from .files import write_text_atomic

__all__ = [
    "CATEGORY_COLORS",
    "MAX_FLOWS",
    "MAX_NODES",
    "PHYSICS_MAX_NODES",
    "ROLE_COLORS",
    "force_layout",
    "network_html",
    "write_network_html",
]

#: Above this many nodes, positions are computed in Python and physics is off.
PHYSICS_MAX_NODES = 300
#: Above this many nodes, firms are aggregated by sector (and boundary nodes by role).
MAX_NODES = 10_000
#: Above this many flows, firms are aggregated by sector too.
MAX_FLOWS = 40_000

ROLE_COLORS: dict[str, str] = {
    "firm": "#4e79a7",
    "extraction": "#9c755f",
    "recycling": "#59a14f",
    "treatment": "#76b7b2",
    "utility": "#edc948",
    "household": "#b07aa1",
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
LABEL_LENGTH = 34

_ASSETS = "symbiosis.export"


# ---------------------------------------------------------------------------- public API


def network_html(
    network: FlowNetwork,
    report: Any = None,
    *,
    color_by: str = "role",
    dimension: str | None = None,
    title: str | None = None,
    physics_max_nodes: int = PHYSICS_MAX_NODES,
    max_nodes: int = MAX_NODES,
    max_flows: int = MAX_FLOWS,
    seed: int = 1,
) -> str:
    """The interactive network view of ``network`` as one self-contained HTML page.

    Parameters
    ----------
    network
        The network to draw.
    report
        Its :class:`~symbiosis.report.Report` (optional): arcs inside a symbiosis core of
        the ``loops`` section are marked. Without it, loops are not marked and the legend
        says so.
    color_by
        ``"role"`` (default) or ``"sector"``.
    dimension
        The dimension whose throughflow sizes the nodes (default: the first present of
        mass, energy, volume).
    title
        The page title (default: the name of the input folder).
    physics_max_nodes, max_nodes, max_flows
        Thresholds: physics layout up to ``physics_max_nodes`` nodes, precomputed
        positions above; aggregation by sector above ``max_nodes`` nodes or ``max_flows``
        flows.
    seed
        Seed of the layout, so that the same input gives the same picture.

    Returns
    -------
    str
        The HTML text (write it as UTF-8, e.g. with :func:`write_network_html`).

    Notes
    -----
    O(firms + flows) to prepare the data, plus the layout above ``physics_max_nodes``
    nodes (:func:`force_layout`, O(iterations * (nodes + edges))). The page itself is
    about 0.75 MB plus about 0.3 KB per node and per flow.
    """
    view = build_view(
        network,
        report,
        color_by=color_by,
        dimension=dimension,
        physics_max_nodes=physics_max_nodes,
        max_nodes=max_nodes,
        max_flows=max_flows,
        seed=seed,
    )
    return render_view(view, title=title or default_title(network))


def write_network_html(
    network: FlowNetwork, path: str | Path, report: Any = None, **options: Any
) -> Path:
    """Write :func:`network_html` to ``path`` (UTF-8, atomically, never over an input
    file). Returns the path written."""
    text = network_html(network, report, **options)
    return write_text_atomic(path, text, protected=network.source_files)


def default_title(network: FlowNetwork) -> str:
    """A title for pages about ``network``: the folder of its input files, if known."""
    if network.source_files:
        first = Path(network.source_files[0])
        return first.parent.name or first.stem
    return "network"


# ---------------------------------------------------------------------------- the view


@dataclass(frozen=True)
class NetworkView:
    """Everything drawn, as builtin types: vis-network node and edge records, the legend
    and the page's settings. Built by :func:`build_view`."""

    nodes: list[dict[str, Any]]
    edges: list[dict[str, Any]]
    legend_nodes: list[tuple[str, str, str]]  # (label, colour, shape)
    materials: list[tuple[str, str, int]]  # (key, shown name, number of flows)
    dimensions: list[str]
    categories: list[str]
    size_dimension: str | None
    physics: bool
    loops_known: bool
    aggregated: str  # "" or a sentence saying how nodes were grouped
    firms: int
    flows: int


def build_view(
    network: FlowNetwork,
    report: Any = None,
    *,
    color_by: str = "role",
    dimension: str | None = None,
    physics_max_nodes: int = PHYSICS_MAX_NODES,
    max_nodes: int = MAX_NODES,
    max_flows: int = MAX_FLOWS,
    seed: int = 1,
) -> NetworkView:
    """Prepare every node and edge attribute in Python (builtin types only).

    O(firms + flows), plus :func:`force_layout` above ``physics_max_nodes`` nodes.
    """
    if color_by not in ("role", "sector"):
        raise InputError(f"color_by must be 'role' or 'sector' (got {color_by!r})")
    if dimension is not None and dimension not in DIMENSIONS:
        raise InputError(f"unknown dimension {dimension!r}; choose from {', '.join(DIMENSIONS)}")
    for name, value in (
        ("physics_max_nodes", physics_max_nodes),
        ("max_nodes", max_nodes),
        ("max_flows", max_flows),
    ):
        if value < 1:
            raise InputError(f"{name} must be >= 1 (got {value})")
    size_dimension = dimension or (network.dimensions[0] if network.dimensions else None)
    cores = loop_cores(report)
    nodes, edges = node_table(network, cores), edge_table(network, cores)
    materials = _material_list(edges)
    aggregated = ""
    if len(nodes) > max_nodes or len(edges) > max_flows:
        nodes, edges, aggregated = aggregate_by_sector(nodes, edges, max_nodes)
    node_colors, legend = _node_colors(nodes, color_by)
    physics = len(nodes) <= physics_max_nodes
    positions = None if physics else _positions(nodes, edges, seed)
    return NetworkView(
        nodes=_node_records(nodes, node_colors, size_dimension, positions),
        edges=_edge_records(edges, smooth=physics),
        legend_nodes=legend,
        materials=materials,
        dimensions=[d for d in DIMENSIONS if d in set(edges["dimension"].dropna())],
        categories=[c for c in CATEGORIES if c in set(edges["category"])],
        size_dimension=size_dimension,
        physics=physics,
        loops_known=cores is not None,
        aggregated=aggregated,
        firms=network.n_firms,
        flows=network.n_flows,
    )


def loop_cores(report: Any) -> dict[str, int] | None:
    """Map each actor in a symbiosis core (a strongly connected component of more than
    one actor, or with a self-loop) to the core's number, from the report's ``loops``
    section; ``None`` when the report has none. An arc lies on a loop exactly when both
    its ends are actors of the same core."""
    if report is None:
        return None
    sections = getattr(report, "sections", report)
    loops = sections.get("loops") if isinstance(sections, Mapping) else None
    if loops is None:
        return None
    cores = getattr(loops, "cores", None)
    if cores is None and hasattr(loops, "to_dict"):
        cores = loops.to_dict().get("cores")
    if cores is None:
        return None
    membership: dict[str, int] = {}
    for number, core in enumerate(cores):
        members = core.get("members") if isinstance(core, Mapping) else core.members
        for member in members:
            membership[str(member)] = number
    return membership


def node_table(network: FlowNetwork, cores: Mapping[str, int] | None) -> pd.DataFrame:
    """One row per node: ``vid`` (vis id), name, sector, role, actor, ``members``,
    ``in_<dim>``/``out_<dim>`` per dimension (canonical unit), ``n_in``, ``n_out``,
    ``core`` (-1 if none). O(firms + flows)."""
    firms = network.firms
    n = len(firms)
    table = pd.DataFrame(
        {
            "vid": ["n:" + str(i) for i in firms.index],
            "id": [str(i) for i in firms.index],
            "name": firms["name"].astype(str).to_numpy(),
            "sector": firms["sector"].fillna("").astype(str).to_numpy(),
            "role": firms["role"].astype(str).to_numpy(),
            "actor": firms["actor"].to_numpy(dtype=bool),
            "members": np.ones(n, dtype=np.int64),
        }
    )
    for dim in network.dimensions:
        table[f"in_{dim}"] = network.inflow(dim).to_numpy(dtype=float)
        table[f"out_{dim}"] = network.outflow(dim).to_numpy(dtype=float)
    table["n_in"] = np.bincount(network.target_positions, minlength=n)
    table["n_out"] = np.bincount(network.source_positions, minlength=n)
    table["core"] = [cores.get(i, -1) for i in table["id"]] if cores else -1
    return table


def edge_table(network: FlowNetwork, cores: Mapping[str, int] | None) -> pd.DataFrame:
    """One row per flow: ``eid``, ``source``/``target`` vis ids, material, category,
    quantity and unit as given, value (canonical), dimension, ``flows`` (1), ``loop``
    and ``disposed`` flags. O(flows)."""
    flows = network.flows
    roles = network.firms["role"].to_numpy()
    core = np.full(len(network.firms), -1, dtype=np.int64)
    if cores:
        ids = [str(i) for i in network.firms.index]
        core = np.array([cores.get(i, -2) for i in ids], dtype=np.int64)
    source_core = core[network.source_positions]
    target_core = core[network.target_positions]
    return pd.DataFrame(
        {
            "eid": ["f:" + str(i) for i in flows.index],
            "source": ["n:" + str(s) for s in flows["source"]],
            "target": ["n:" + str(t) for t in flows["target"]],
            "material": flows["material"].astype(str).to_numpy(),
            "material_key": flows["material_key"].astype(str).to_numpy(),
            "category": flows["category"].astype(str).to_numpy(),
            "quantity": flows["quantity"].to_numpy(dtype=float),
            "unit": flows["unit"].fillna("").astype(str).to_numpy(),
            "value": flows["value"].to_numpy(dtype=float),
            "dimension": flows["dimension"].to_numpy(dtype=object),
            "flows": np.ones(len(flows), dtype=np.int64),
            "loop": (source_core >= 0) & (source_core == target_core),
            "disposed": np.isin(roles[network.target_positions], DISPOSAL_ROLES),
        }
    )


def aggregate_by_sector(
    nodes: pd.DataFrame, edges: pd.DataFrame, max_nodes: int
) -> tuple[pd.DataFrame, pd.DataFrame, str]:
    """Group actors by sector and boundary nodes by role; sum flows of the same
    (source group, target group, category, dimension, material). Beyond ``max_nodes``
    groups, the smallest sectors are pooled into "other sectors". O(firms + flows)."""
    group = np.where(nodes["actor"], "s:" + nodes["sector"], "r:" + nodes["role"])
    if len(set(group)) > max_nodes:
        sizes = pd.Series(group).value_counts()
        keep = set(sizes.index[: max_nodes - 1])
        group = np.where(np.isin(group, list(keep)), group, "s:\x00other")
    nodes = nodes.assign(group=group)
    measures = [c for c in nodes.columns if c.startswith(("in_", "out_"))]
    grouped = nodes.groupby("group", sort=True)
    table = grouped[[*measures, "n_in", "n_out", "members"]].sum()
    first = grouped[["sector", "role", "actor"]].first()
    table = table.join(first).reset_index()
    core = grouped["core"].max().to_numpy()
    table["core"] = np.where(core >= 0, 0, -1)
    other = table["group"] == "s:\x00other"
    table["vid"] = "g:" + table["group"]
    table["id"] = table["group"]
    table["name"] = np.where(
        table["actor"],
        table["sector"].where(table["sector"] != "", "(no sector)"),
        table["role"],
    )
    table.loc[other, ["name", "sector"]] = "other sectors"
    table.loc[~table["actor"], "sector"] = ""
    lookup = dict(zip(nodes["vid"], "g:" + nodes["group"], strict=True))
    edges = edges.assign(
        source=edges["source"].map(lookup),
        target=edges["target"].map(lookup),
        dimension=edges["dimension"].fillna(""),
    )
    keys = ["source", "target", "category", "dimension"]
    grouped_edges = edges.groupby(keys, sort=True)
    summed = grouped_edges.agg(
        flows=("flows", "sum"), loop=("loop", "any"), disposed=("disposed", "any")
    )
    summed["value"] = grouped_edges["value"].sum(min_count=1)  # all unknown stays unknown
    names, carried = _link_materials(edges, keys)
    summed = summed.join(names).join(carried).reset_index()
    summed["material_key"] = ""
    summed["dimension"] = summed["dimension"].replace("", None)
    summed["quantity"] = summed["value"]
    summed["unit"] = [CANONICAL_UNITS.get(d, "") if d else "" for d in summed["dimension"]]
    summed["eid"] = ["a:" + str(i) for i in range(len(summed))]
    sentence = (
        f"{len(nodes):,} nodes aggregated into {len(table):,}: actors by sector, "
        f"boundary nodes by role; {len(edges):,} flows into {len(summed):,} links"
    )
    return table.drop(columns="group"), summed, sentence


def _link_materials(edges: pd.DataFrame, keys: list[str]) -> tuple[pd.Series, pd.Series]:
    """Per aggregated link: a name (the most common material, and how many others) and
    the material keys it carries. Vectorised: O(flows log flows), then O(distinct
    (link, material) pairs) in Python."""
    counts = edges.groupby([*keys, "material"], sort=False).size().rename("n").reset_index()
    counts = counts.sort_values([*keys, "n", "material"], ascending=[True] * 4 + [False, True])
    first = counts.drop_duplicates(keys).set_index(keys)
    distinct = counts.groupby(keys, sort=True).size()
    name = first["material"].astype(str)
    more = distinct.reindex(name.index) - 1
    name = name.where(
        more == 0, name + " and " + more.map("{:,}".format) + " more materials"
    ).rename("material")
    pairs = edges[[*keys, "material_key"]].drop_duplicates()
    carried: dict[tuple, list[str]] = {}
    for *link, key in pairs.itertuples(index=False, name=None):
        carried.setdefault(tuple(link), []).append(str(key))
    mkeys = pd.Series(
        [sorted(v) for v in carried.values()],
        index=pd.MultiIndex.from_tuples(list(carried), names=keys),
        name="mkeys",
        dtype=object,
    )
    return name, mkeys


# ---------------------------------------------------------------------------- records


def _node_colors(
    nodes: pd.DataFrame, color_by: str
) -> tuple[list[str], list[tuple[str, str, str]]]:
    """The colour of each node and the legend entries (label, colour, shape)."""
    if color_by == "role":
        colors = [ROLE_COLORS.get(r, OTHER_COLOR) for r in nodes["role"]]
        present = set(nodes["role"])
        legend = [
            (role, ROLE_COLORS[role], "dot" if role in ACTOR_ROLES else "square")
            for role in ROLES
            if role in present
        ]
        return colors, legend
    sectors = nodes.loc[nodes["actor"], "sector"].value_counts()
    palette = dict(zip(sectors.index, SECTOR_PALETTE[:-1], strict=False))
    colors = [
        palette.get(s, OTHER_COLOR) if actor else ROLE_COLORS.get(r, OTHER_COLOR)
        for s, r, actor in zip(nodes["sector"], nodes["role"], nodes["actor"], strict=True)
    ]
    legend = [(s or "(no sector)", c, "dot") for s, c in palette.items()]
    if len(sectors) > len(palette):
        legend.append((f"{len(sectors) - len(palette):,} other sectors", OTHER_COLOR, "dot"))
    present = set(nodes.loc[~nodes["actor"], "role"])
    legend += [(r, ROLE_COLORS[r], "square") for r in ROLES if r in present]
    return colors, legend


def _throughflow(nodes: pd.DataFrame, dimension: str | None) -> np.ndarray:
    """max(inflow, outflow) of each node in ``dimension`` (0 where absent)."""
    if dimension is None or f"in_{dimension}" not in nodes:
        return np.zeros(len(nodes))
    return np.maximum(nodes[f"in_{dimension}"].to_numpy(), nodes[f"out_{dimension}"].to_numpy())


def node_sizes(throughflow: np.ndarray) -> np.ndarray:
    """Radius in px: area proportional to throughflow, from NODE_SIZE[0] to NODE_SIZE[1]."""
    low, high = NODE_SIZE
    top = float(throughflow.max()) if len(throughflow) else 0.0
    if top <= 0:
        return np.full(len(throughflow), low)
    return low + (high - low) * np.sqrt(np.clip(throughflow, 0, None) / top)


def edge_widths(values: np.ndarray, dimensions: np.ndarray) -> np.ndarray:
    """Width in px, log-scaled within each dimension: the smallest known quantity of a
    dimension gets EDGE_WIDTH[0], its largest EDGE_WIDTH[1], and log(q) in between.
    Unknown (and zero) quantities get the thinnest line. O(flows)."""
    low, high = EDGE_WIDTH
    widths = np.full(len(values), low)
    positive = np.nan_to_num(values, nan=0.0) > 0
    logs = np.log(np.where(positive, values, 1.0))
    for dim in {d for d in dimensions if isinstance(d, str)}:
        mask = (dimensions == dim) & positive
        if not mask.any():
            continue
        bottom, top = logs[mask].min(), logs[mask].max()
        spread = (logs[mask] - bottom) / (top - bottom) if top > bottom else 0.5
        widths[mask] = low + (high - low) * spread
    return widths


def short_label(name: str, length: int = LABEL_LENGTH) -> str:
    """A label for the canvas: the name up to its first parenthesis, shortened."""
    head = name.split(" (", 1)[0].strip() if " (" in name else name.strip()
    head = head if len(head) >= 3 else name.strip()
    return head if len(head) <= length else head[: length - 1].rstrip() + "…"


def _plain(value: Any) -> Any:
    """Builtin scalar for JSON (numpy scalars fail in pyvis); NaN becomes None."""
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def _node_records(
    nodes: pd.DataFrame,
    colors: list[str],
    dimension: str | None,
    positions: np.ndarray | None,
) -> list[dict[str, Any]]:
    sizes = node_sizes(_throughflow(nodes, dimension))
    dims = [c[3:] for c in nodes.columns if c.startswith("in_")]
    records = []
    for i, row in enumerate(nodes.itertuples(index=False)):
        in_loop = int(row.core) >= 0
        record = {
            "id": str(row.vid),
            "label": short_label(str(row.name)),
            "shape": "dot" if row.actor else "square",
            "size": float(sizes[i]),
            "color": {
                "background": colors[i],
                "border": LOOP_COLOR if in_loop else "#3b3b3b",
                "highlight": {"background": colors[i], "border": "#111111"},
            },
            "borderWidth": 3 if in_loop else 1,
            "name": str(row.name),
            "sector": str(row.sector),
            "role": str(row.role),
            "members": int(row.members),
            "inputs": {d: _plain(getattr(row, f"in_{d}")) for d in dims},
            "outputs": {d: _plain(getattr(row, f"out_{d}")) for d in dims},
            "n_in": int(row.n_in),
            "n_out": int(row.n_out),
            "loop": in_loop,
        }
        if positions is not None:
            record["x"], record["y"] = float(positions[i, 0]), float(positions[i, 1])
        records.append(record)
    return records


def _edge_records(edges: pd.DataFrame, *, smooth: bool) -> list[dict[str, Any]]:
    dims = edges["dimension"].to_numpy(dtype=object)
    widths = edge_widths(edges["value"].to_numpy(dtype=float), dims)
    bends = _parallel_rank(edges) if smooth else None
    # Plain object arrays: iterating pandas' Arrow-backed strings is ten times slower.
    columns = {
        c: edges[c].to_numpy(dtype=object)
        for c in ("eid", "source", "target", "material", "material_key", "category", "unit")
    }
    quantity = edges["quantity"].to_numpy(dtype=float).tolist()
    value = edges["value"].to_numpy(dtype=float).tolist()
    flows = edges["flows"].to_numpy().tolist()
    loop = edges["loop"].to_numpy(dtype=bool).tolist()
    disposed = edges["disposed"].to_numpy(dtype=bool).tolist()
    mkeys = edges["mkeys"].tolist() if "mkeys" in edges else None
    records = []
    for i in range(len(edges)):
        category = str(columns["category"][i])
        color = CATEGORY_COLORS.get(category, OTHER_COLOR)
        dimension = dims[i]
        record = {
            "id": str(columns["eid"][i]),
            "from": str(columns["source"][i]),
            "to": str(columns["target"][i]),
            "width": float(widths[i]),
            "color": color,  # highlight, hover and opacity come from the global options
            "material": str(columns["material"][i]),
            "mkey": str(columns["material_key"][i]),
            "category": category,
            "dimension": dimension if isinstance(dimension, str) else None,
            "quantity": _plain(quantity[i]),
            "unit": str(columns["unit"][i]),
            "value": _plain(value[i]),
            "flows": int(flows[i]),
            "loop": loop[i],
            "disposed": disposed[i],
        }
        if disposed[i]:
            record["dashes"] = [8, 6]
        if loop[i]:
            record["shadow"] = {"enabled": True, "color": LOOP_COLOR, "size": 12, "x": 0, "y": 0}
        if mkeys is not None:  # an aggregated link: every material it carries
            record["mkeys"] = list(mkeys[i])
        if bends is not None:
            record["smooth"] = {"enabled": True, "type": "curvedCW", "roundness": bends[i]}
        records.append(record)
    return records


def _parallel_rank(edges: pd.DataFrame) -> list[float]:
    """Curvature of each edge: parallel edges between the same two nodes get growing
    curvature so that none hides another. O(flows)."""
    pair = edges["source"].astype(str) + "\x00" + edges["target"].astype(str)
    rank = pair.groupby(pair).cumcount().to_numpy()
    return [0.12 + 0.18 * int(r) for r in rank]


def _material_list(edges: pd.DataFrame) -> list[tuple[str, str, int]]:
    """(key, most common name, number of flows) per material, most flows first."""
    if edges.empty:
        return []
    counts = edges.groupby("material_key")["flows"].sum()
    names = edges.groupby("material_key")["material"].agg(lambda s: s.value_counts().index[0])
    order = sorted(counts.index, key=lambda k: (-int(counts[k]), str(names[k]).lower()))
    return [(str(k), str(names[k]), int(counts[k])) for k in order]


# ---------------------------------------------------------------------------- layout


def _positions(nodes: pd.DataFrame, edges: pd.DataFrame, seed: int) -> np.ndarray:
    index = {vid: i for i, vid in enumerate(nodes["vid"])}
    sources = edges["source"].map(index).to_numpy(dtype=np.int64)
    targets = edges["target"].map(index).to_numpy(dtype=np.int64)
    return force_layout(len(nodes), sources, targets, seed=seed)


def force_layout(
    n: int,
    sources: np.ndarray,
    targets: np.ndarray,
    *,
    seed: int = 1,
    spacing: float = 60.0,
    pivots: int = 40,
    iterations: int = 25,
) -> np.ndarray:
    """Node positions (n x 2, in px) for big networks, computed without physics.

    Each connected component (edges taken as undirected) is placed by *pivot MDS*
    (Brandes and Pich 2006): breadth-first distances from ``pivots`` far-apart nodes,
    double-centred, and the two main singular vectors as coordinates, which keeps the
    global shape (chains stay chains, clusters stay together). The component is then
    scaled to about ``spacing`` px per node and nodes that landed on top of each other
    are pushed apart by a short repulsion pass with a cut-off (k-d tree). Components are
    packed in rows, largest first. Deterministic for a given ``seed``.

    O(pivots * (n + edges) + iterations * n log n); about a second for 5,000 nodes and
    12,000 edges.

    References
    ----------
    U. Brandes and C. Pich, "Eigensolver methods for progressive multidimensional
    scaling of large data", Graph Drawing 2006, LNCS 4372.
    """
    import scipy.sparse as sp
    from scipy.sparse.csgraph import connected_components

    if n == 0:
        return np.zeros((0, 2))
    rng = np.random.default_rng(seed)
    keep = sources != targets
    ones = np.ones(int(keep.sum()))
    adjacency = sp.coo_matrix((ones, (sources[keep], targets[keep])), shape=(n, n)).tocsr()
    undirected = ((adjacency + adjacency.T) > 0).astype(np.float64).tocsr()
    count, labels = connected_components(undirected, directed=False)
    members = np.argsort(labels, kind="stable")
    bounds = np.searchsorted(labels[members], np.arange(count + 1))
    parts = [members[bounds[c] : bounds[c + 1]] for c in range(count)]
    parts.sort(key=len, reverse=True)
    placed = []
    for nodes in parts:
        local = _pivot_mds(undirected[nodes][:, nodes], rng, pivots)
        placed.append((nodes, _spread(local, rng, iterations)))
    return _pack(placed, n) * spacing


def _pivot_mds(graph, rng: np.random.Generator, pivots: int) -> np.ndarray:
    """Pivot-MDS coordinates (in hops) of one connected graph."""
    from scipy.sparse.csgraph import shortest_path

    m = graph.shape[0]
    if m <= 2:
        return np.array([[0.0, 0.0], [1.0, 0.0]])[:m]
    k = min(pivots, m)
    distances = np.empty((m, k))
    nearest = np.full(m, np.inf)
    chosen = int(rng.integers(m))
    for i in range(k):  # farthest-first pivots spread over the whole graph
        distances[:, i] = shortest_path(graph, unweighted=True, indices=chosen)
        nearest = np.minimum(nearest, distances[:, i])
        chosen = int(np.argmax(nearest))
    squared = distances**2
    centred = (
        squared - squared.mean(axis=0) - squared.mean(axis=1)[:, None] + squared.mean()
    ) * -0.5
    # The two main singular vectors via the small k x k eigenproblem: C V = U S.
    _, vectors = np.linalg.eigh(centred.T @ centred)
    coords = centred @ vectors[:, ::-1][:, :2]
    if coords.shape[1] < 2:
        coords = np.column_stack([coords, np.zeros(m)])
    return coords


def _spread(pos: np.ndarray, rng: np.random.Generator, iterations: int) -> np.ndarray:
    """Scale to about one unit of area per node, then push apart nodes closer than 1."""
    from scipy.spatial import cKDTree

    m = len(pos)
    if m <= 2:
        return pos.astype(float)
    low, high = np.percentile(pos, [2, 98], axis=0)
    extent = np.maximum(high - low, 1.0)  # a chain has no height: keep its length
    pos = (pos - pos.mean(axis=0)) * np.sqrt(m / (extent[0] * extent[1]))
    pos += rng.normal(0.0, 0.05, size=pos.shape)  # twins (same distances) get apart
    for step in range(iterations):
        close = cKDTree(pos).query_pairs(1.0, output_type="ndarray")
        if not len(close):
            break
        i, j = close[:, 0], close[:, 1]
        delta = pos[i] - pos[j]
        dist = np.maximum(np.hypot(delta[:, 0], delta[:, 1]), 1e-3)
        push = ((1.0 - dist) / dist)[:, None] * delta * 0.5
        move = _scatter(i, push, m) - _scatter(j, push, m)
        length = np.maximum(np.hypot(move[:, 0], move[:, 1]), 1e-9)
        cap = 0.5 * (1 - step / iterations) + 0.05
        pos += move * (np.minimum(length, cap) / length)[:, None]
    return pos


def _pack(placed: list[tuple[np.ndarray, np.ndarray]], n: int) -> np.ndarray:
    """Components side by side in rows (largest first), one unit of margin."""
    result = np.zeros((n, 2))
    total = sum(max(np.ptp(p[:, 0]), 1) * max(np.ptp(p[:, 1]), 1) for _, p in placed)
    row_width = max(np.sqrt(total) * 1.3, 1.0)
    x = y = row_height = 0.0
    for nodes, pos in placed:
        pos = pos - pos.min(axis=0)
        width, height = np.ptp(pos[:, 0]) + 2, np.ptp(pos[:, 1]) + 2
        if x > 0 and x + width > row_width:
            x, y, row_height = 0.0, y + row_height, 0.0
        result[nodes] = pos + np.array([x, y])
        x += width
        row_height = max(row_height, height)
    return result - result.mean(axis=0)


def _scatter(index: np.ndarray, vectors: np.ndarray, n: int) -> np.ndarray:
    """Sum ``vectors`` into ``n`` rows by ``index`` (np.bincount, much faster than add.at)."""
    return np.column_stack(
        [
            np.bincount(index, weights=vectors[:, 0], minlength=n),
            np.bincount(index, weights=vectors[:, 1], minlength=n),
        ]
    )


# ---------------------------------------------------------------------------- rendering


def asset(name: str) -> str:
    """The text of one of the package's HTML assets (``export/assets/<name>``)."""
    return resources.files(_ASSETS).joinpath("assets", name).read_text(encoding="utf-8")


def script_json(value: Any) -> str:
    """JSON that is safe inside ``<script>``: ``<``, ``>``, ``&`` and the two JavaScript
    line separators escaped, so no string can close the element."""
    text = json.dumps(value, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    return (
        text.replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


def esc(value: Any) -> str:
    """Text for HTML content or a quoted attribute (``<>&"'`` escaped)."""
    return html.escape(str(value), quote=True)


#: No network access of any kind: everything the page needs is inline.
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
    "img-src data:; font-src data:; frame-src 'self' about:; base-uri 'none'; "
    "form-action 'none'"
)


def head_meta(title: str) -> str:
    """``<meta>`` tags and the title every page of ours starts with."""
    return (
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{CONTENT_SECURITY_POLICY}">\n'
        '<meta name="generator" content="symbiosis">\n'
        f"<title>{esc(title)}</title>\n"
    )


def render_view(view: NetworkView, *, title: str) -> str:
    """The page for a :class:`NetworkView`: pyvis's output, post-processed."""
    from pyvis.network import Network  # slow import (IPython): only when drawing

    net = Network(height="100%", width="100%", directed=True, heading="", cdn_resources="in_line")
    # Fill pyvis's lists directly: add_node/add_edge scan Python lists (O(n^2)).
    net.nodes = view.nodes
    net.node_ids = [n["id"] for n in view.nodes]
    net.node_map = {n["id"]: n for n in view.nodes}
    net.edges = view.edges
    net.options = vis_options(view)
    page = net.generate_html()
    return postprocess(page, view, title=title)


def vis_options(view: NetworkView) -> dict[str, Any]:
    """vis-network options (a dict, serialised by pyvis with json.dumps)."""
    options: dict[str, Any] = {
        "autoResize": True,
        "nodes": {
            # multi=False: labels are plain text, never vis's <b>/<i> label markup.
            "font": {"size": 14, "face": "system-ui, sans-serif", "strokeWidth": 3, "multi": False},
            "widthConstraint": {"maximum": 170},
        },
        "edges": {
            "arrows": {"to": {"enabled": True, "scaleFactor": 0.55}},
            "color": {"inherit": False, "opacity": 0.85},
            "selectionWidth": 2,
        },
        "interaction": {
            "hover": True,
            "tooltipDelay": 120,
            "navigationButtons": False,
            "keyboard": False,
            "multiselect": True,
        },
    }
    if view.physics:
        options["layout"] = {"randomSeed": 7, "improvedLayout": True}
        options["physics"] = {
            "enabled": True,
            "solver": "forceAtlas2Based",
            "forceAtlas2Based": {
                "gravitationalConstant": -90,
                "centralGravity": 0.01,
                "springLength": 130,
                "springConstant": 0.05,
                "avoidOverlap": 0.5,
            },
            "stabilization": {"enabled": True, "iterations": 400, "updateInterval": 25},
            "minVelocity": 1.0,
        }
    else:
        options["layout"] = {"improvedLayout": False}
        options["physics"] = {"enabled": False}
        options["edges"]["smooth"] = False
        options["interaction"].update({"hideEdgesOnDrag": True, "hideEdgesOnZoom": True})
    return options


_BOOTSTRAP = re.compile(
    r"<link[^>]*bootstrap[^>]*>|<script[^>]*bootstrap[^>]*>\s*</script>", re.IGNORECASE
)
_HEADING = re.compile(r"<center>\s*<h1>\s*</h1>\s*</center>")
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
# A tag that loads from elsewhere (names cannot form tags: they are escaped everywhere).
_REMOTE = re.compile(
    r"<(?:script|link|img|iframe|source|object|embed)\b[^>]*?\b(?:src|href|data)\s*=\s*"
    r"[\"']?\s*(?:https?:)?//",
    re.IGNORECASE,
)
_CREATE = "network = new vis.Network(container, data, options);"
_RETURN = "return network;"


def postprocess(page: str, view: NetworkView, *, title: str) -> str:
    """Make pyvis's page offline, standard and ours (see the module docstring).

    Raises RuntimeError if pyvis's template changed so that an anchor is missing: a
    silently half-processed page could load from a CDN or lack its safeguards.
    """
    for anchor in ("<html>", '<meta charset="utf-8">', "<body>", "</head>", _CREATE, _RETURN):
        if page.count(anchor) != 1:
            raise RuntimeError(f"unexpected pyvis template: {anchor!r} found {page.count(anchor)}x")
    page = _BOOTSTRAP.sub("", page)
    page = _HEADING.sub("", page)
    page = _COMMENT.sub("", page)
    page = page.replace("<html>", '<!DOCTYPE html>\n<html lang="en">', 1)
    page = page.replace('<meta charset="utf-8">', '<meta charset="utf-8">\n' + head_meta(title))
    page = page.replace(
        "</head>",
        f"<style>{asset('network.css')}</style>\n"
        f'<script type="application/json" id="sym-data">{script_json(page_data(view))}</script>\n'
        f"<script>{asset('network.js')}</script>\n</head>",
    )
    page = page.replace("<body>", "<body>\n" + panel_html(view, title))
    page = page.replace(_CREATE, "symbiosisPrepare(nodes, edges, options);\n" + _CREATE)
    page = page.replace(_RETURN, "symbiosisAttach(network, nodes, edges);\n" + _RETURN)
    if _REMOTE.search(page):
        raise RuntimeError("the page still references a network resource")
    return page


def page_data(view: NetworkView) -> dict[str, Any]:
    """What assets/network.js needs besides the nodes and edges."""
    return {
        "units": {d: f"{CANONICAL_UNITS[d]}/yr" for d in DIMENSIONS},
        "sizeDimension": view.size_dimension,
        "physics": view.physics,
        "loopsKnown": view.loops_known,
    }


def panel_html(view: NetworkView, title: str) -> str:
    """The header, legend and filter panel (every name escaped)."""
    size = (
        f"node area ∝ {esc(view.size_dimension)} throughflow"
        if view.size_dimension
        else "no flow of known size"
    )
    layout = "physics, frozen once settled" if view.physics else "positions precomputed"
    subtitle = (
        f"{view.firms:,} nodes · {view.flows:,} flows · {size} · edge width: log of quantity, "
        f"per dimension · layout: {layout}"
    )
    parts = [
        '<header id="sym-header">',
        f'<h1 id="sym-title">{esc(title)}</h1>',
        f'<p id="sym-subtitle">{esc(subtitle)}</p>',
    ]
    if view.aggregated:
        parts.append(f'<p id="sym-aggregated">{esc(view.aggregated)}</p>')
    parts += ["</header>", '<aside id="sym-panel">', _legend_html(view), _filter_html(view)]
    parts.append("</aside>")
    return "\n".join(parts) + "\n"


def _legend_html(view: NetworkView) -> str:
    rows = ['<section class="sym-box"><h2>Nodes</h2><ul class="sym-legend">']
    for label, color, shape in view.legend_nodes:
        rows.append(
            f'<li><span class="sym-swatch sym-{shape}" style="background:{esc(color)}">'
            f"</span>{esc(label)}</li>"
        )
    rows.append(
        f'<li><span class="sym-swatch sym-dot sym-loop-node"></span>in a loop '
        f"{'(gold ring)' if view.loops_known else '(loops not analysed)'}</li>"
    )
    rows.append('</ul><h2>Flows</h2><ul class="sym-legend">')
    for category in view.categories:
        rows.append(
            f'<li><span class="sym-line" style="background:{CATEGORY_COLORS[category]}">'
            f"</span>{esc(category)}</li>"
        )
    rows.append('<li><span class="sym-line sym-dashed"></span>to disposal or environment</li>')
    if view.loops_known:
        rows.append('<li><span class="sym-line sym-glow"></span>on a loop (glow)</li>')
    rows.append("</ul></section>")
    return "\n".join(rows)


def _filter_html(view: NetworkView) -> str:
    rows = [
        '<section class="sym-box"><h2>Filter</h2>',
        '<label for="sym-material">Material</label>',
        '<select id="sym-material"><option value="">all materials</option>',
    ]
    for key, name, count in view.materials:
        rows.append(f'<option value="{esc(key)}">{esc(name)} ({count:,})</option>')
    rows.append('</select><fieldset id="sym-categories"><legend>Category</legend>')
    rows += _checkboxes("category", view.categories)
    rows.append('</fieldset><fieldset id="sym-dimensions"><legend>Dimension</legend>')
    rows += _checkboxes("dimension", view.dimensions)
    rows.append("</fieldset>")
    if view.loops_known:
        rows.append('<label><input type="checkbox" id="sym-only-loops"> only loops</label>')
    rows += [
        '<label><input type="checkbox" id="sym-only-disposed"> only disposed or emitted</label>',
        '<p id="sym-count" aria-live="polite"></p>',
        '<button type="button" id="sym-reset">Reset</button>',
        "</section>",
        '<section class="sym-box"><h2>Find a firm</h2>',
        '<input type="search" id="sym-search" placeholder="name or id" autocomplete="off">',
        '<p id="sym-found"></p></section>',
    ]
    return "\n".join(rows)


def _checkboxes(kind: str, values: Iterable[str]) -> list[str]:
    return [
        f'<label><input type="checkbox" class="sym-{kind}" value="{esc(v)}" checked> '
        f"{esc(v)}</label>"
        for v in values
    ]
