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
  above :data:`MAX_NODES` nodes (or :data:`MAX_FLOWS` flows) firms are aggregated by sector;
* the aggregated view: links per (group pair, category, dimension), one dimension shown at
  a time, widths on a square-root scale, the largest 150 drawn (the panel offers more); a
  click on a group shows its 200 largest firms and their links (:func:`expansion_data`),
  and a group-by-group heat map sits beside the graph (:mod:`.network_matrix`);
* a map view when nodes have coordinates (:mod:`.network_map`): drawn offline, tiles only
  from a ``basemap`` template the user gives.

pyvis is the renderer, used as ``docs`` and ``../shared/research/ecosystem.md`` (section 2)
advise against its pitfalls: ``cdn_resources="in_line"``, ``generate_html()`` only (never
``show()``/``write_html()``, which write a ``lib/`` folder or open a browser; its template
is rendered as ``generate_html()`` renders it, without importing pyvis, see
:func:`~.network_page.render_view`), options as a
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

The exporter computes no metric: everything is read from the network's columnar core
(:attr:`FlowNetwork.core`: inflow and outflow from ``node_sums``, node sizes from
``throughflow``, codes for materials, sectors, roles and categories), loop membership from
the report's ``loops`` section. A group of the aggregated view is sized by the same rule,
max(inflow, outflow), applied to its members' summed inflow and outflow.

Modules: :mod:`.network_data` (node and edge tables, records), :mod:`.network_aggregate`
(grouping by sector, expansion data), :mod:`.network_matrix` (the heat map),
:mod:`.network_map` (the map's data, the basemap check), :mod:`.layout` (positions),
:mod:`.network_page` (the page).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..analysis.years import year_said
from ..arguments import Arguments
from ..jsonable import gc_paused
from ..model import FlowNetwork, require_network
from ..units import DIMENSIONS
from ..vocabulary import CATEGORIES
from ._arguments import note_report, note_view_options
from .files import write_text_atomic
from .layout import force_layout
from .markup import asset, esc, head_meta, quantities_over, script_json, short_label
from .network_aggregate import aggregate_by_sector, expansion_data, group_of_nodes
from .network_data import (
    edge_records,
    edge_table,
    edge_widths,
    flow_years,
    material_list,
    node_colors,
    node_cores,
    node_records,
    node_sizes,
    node_table,
    sqrt_widths,
)
from .network_map import map_data
from .network_matrix import matrix_html
from .network_page import postprocess, render_view, vis_options
from .palette import (
    CATEGORY_COLORS,
    EDGE_WIDTH,
    LOOP_COLOR,
    NODE_SIZE,
    OTHER_COLOR,
    ROLE_COLORS,
    SECTOR_PALETTE,
)

__all__ = [
    "CATEGORY_COLORS",
    "EDGE_WIDTH",
    "LOOP_COLOR",
    "MAX_FLOWS",
    "MAX_NODES",
    "NODE_SIZE",
    "OTHER_COLOR",
    "PHYSICS_MAX_NODES",
    "ROLE_COLORS",
    "SECTOR_PALETTE",
    "aggregate_by_sector",
    "asset",
    "edge_table",
    "edge_widths",
    "esc",
    "force_layout",
    "head_meta",
    "network_html",
    "node_sizes",
    "node_table",
    "postprocess",
    "render_view",
    "script_json",
    "short_label",
    "vis_options",
    "write_network_html",
]

#: Above this many nodes, positions are computed in Python and physics is off.
PHYSICS_MAX_NODES = 300
#: Above this many nodes, firms are aggregated by sector (and boundary nodes by role):
#: a full view of 2,000 nodes is a 3.8 MB page, of 3,000 a 5.3 MB hairball, where the
#: aggregated page is ~1 MB (docs/html.md, "Where the view is aggregated").
MAX_NODES = 2_000
#: Above this many flows, firms are aggregated by sector too.
MAX_FLOWS = 6_000


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
    basemap: str | None = None,
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
        The dimension whose throughflow sizes the nodes, one the network has flows in
        (default: the first present of mass, energy, volume).
    title
        The page title (default: the name of the input folder).
    physics_max_nodes, max_nodes, max_flows
        Thresholds: physics layout up to ``physics_max_nodes`` nodes, precomputed
        positions above; aggregation by sector above ``max_nodes`` nodes or ``max_flows``
        flows.
    seed
        Seed of the layout, so that the same input gives the same picture.
    basemap
        A tile URL template (``https://...{z}/{x}/{y}...``) for the map view. The page
        then loads tiles from that server; without it (the default) the map is drawn
        offline, without tiles.

    Returns
    -------
    str
        The HTML text (write it as UTF-8, e.g. with :func:`write_network_html`).

    Notes
    -----
    O(firms + flows log flows) to prepare the data, plus the layout above
    ``physics_max_nodes`` nodes (:func:`force_layout`, O(iterations * (nodes + edges))).
    The page itself is about 0.75 MB plus about 0.3 KB per node and per flow; aggregated,
    it holds the groups' links, the expansion data and the map instead (6.4 MB for 100,000
    flows and 33,000 nodes, see docs/html.md).
    """
    require_network(network)
    arguments = Arguments()
    note_report(arguments, report, sections=True)
    note_view_options(arguments, locals())  # the keyword options, by name
    arguments.check()
    with gc_paused(), quantities_over(network.summed_years):  # its units say so
        view = build_view(
            network,
            report,
            color_by=color_by,
            dimension=dimension,
            physics_max_nodes=physics_max_nodes,
            max_nodes=max_nodes,
            max_flows=max_flows,
            seed=seed,
            basemap=basemap,
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
    width_scale: str = "log"  # how edge width follows quantity: "log" or "sqrt"
    width_max: dict[str, float] | None = None  # sqrt scale: largest link per dimension
    expand: dict[str, Any] | None = None  # aggregated: each group's firms and links
    matrix: str = ""  # aggregated: the sector-by-sector heat map (HTML)
    map: dict[str, Any] | None = None  # firms with coordinates: the map's arrays
    basemap: str | None = None  # a tile URL template, only when the user gave one
    years: tuple[int, ...] = ()  # the flows' distinct years: several are added up
    year: str | None = None  # one year cut from several (select_year): which, for the header


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
    basemap: str | None = None,
) -> NetworkView:
    """Prepare every node and edge attribute in Python (builtin types only).

    Aggregated views also get: one link per (group pair, category, dimension), widths
    on a square-root scale, each group's firms and links for expansion on click, and the
    group-by-group matrix. Networks with coordinates get the map's arrays.

    O(firms + flows log flows), plus :func:`force_layout` above ``physics_max_nodes``
    nodes.
    """
    arguments = Arguments()
    note_report(arguments, report, sections=True)
    checked = note_view_options(arguments, locals())  # the keyword options, by name
    arguments.present_dimension(checked["dimension"], network.dimensions)  # a known name
    arguments.check()
    # as ints: a numpy integer would make numpy values of the page's settings
    physics_max_nodes, max_nodes, max_flows, seed = (
        checked[key] for key in ("physics_max_nodes", "max_nodes", "max_flows", "seed")
    )
    # the first dimension with a flow of known size: a park mapped without tonnages has
    # none, and its page says so (uniform nodes; its map draws every link alike)
    size_dimension = dimension or next(iter(network.sized_dimensions), None)
    cores = loop_cores(report)
    core = network.core
    node_core = node_cores(network, cores)
    extras: dict[str, Any] = {}
    if core.n_nodes > max_nodes or core.n_flows > max_flows:
        nodes, edges, aggregated = aggregate_by_sector(network, node_core, max_nodes)
        sizes = node_sizes(_group_throughflow(nodes, size_dimension))
        extras = _aggregated_extras(network, nodes, edges, node_core, size_dimension, max_nodes)
    else:
        nodes, edges, aggregated = node_table(network, cores), edge_table(network, cores), ""
        sizes = node_sizes(_throughflow(network, size_dimension))
    colors, legend = node_colors(nodes, color_by)
    physics = len(nodes) <= physics_max_nodes
    positions = None
    if not physics:
        positions = force_layout(
            len(nodes), edges["s"].to_numpy(), edges["t"].to_numpy(), seed=seed
        )
    dimensions, categories = set(edges["dimension"].dropna()), set(edges["category"])
    edge_list = edge_records(edges, smooth=physics)
    if extras:
        widths = sqrt_widths(edges["value"].to_numpy(dtype=float), extras["width_max"], edges)
        for record, width in zip(edge_list, widths.tolist(), strict=True):
            record["width"] = width
            if record.get("shadow"):  # a quieter glow: many links of a big core carry loops
                record["shadow"]["size"] = 6
    node_list = node_records(nodes, colors, sizes, positions)
    if extras:  # the expansion data are indexed like the group records
        extras["expand"]["ids"] = [record["id"] for record in node_list]
    return NetworkView(
        nodes=node_list,
        edges=edge_list,
        legend_nodes=legend,
        materials=material_list(network),
        dimensions=[d for d in DIMENSIONS if d in dimensions],
        categories=[c for c in CATEGORIES if c in categories],
        size_dimension=size_dimension,
        physics=physics,
        loops_known=cores is not None,
        aggregated=aggregated,
        firms=network.n_firms,
        flows=network.n_flows,
        width_scale="sqrt" if extras else "log",
        width_max=extras.get("width_max"),
        expand=extras.get("expand"),
        matrix=extras.get("matrix", ""),
        map=map_data(network, size_dimension, node_core=node_core),
        basemap=basemap,
        years=tuple(flow_years(network)),
        year=year_said(network),
    )


def _aggregated_extras(
    network: FlowNetwork,
    nodes: pd.DataFrame,
    edges: pd.DataFrame,
    node_core: np.ndarray,
    size_dimension: str | None,
    max_nodes: int,
) -> dict[str, Any]:
    """The aggregated view's expansion data, matrix and width scale. O(flows log flows)."""
    group, labels = group_of_nodes(network, max_nodes)
    throughflow = _throughflow(network, size_dimension)
    known = edges[edges["value"].notna() & edges["dimension"].notna()]
    width_max = {str(d): float(v) for d, v in known.groupby("dimension")["value"].max().items()}
    return {
        "width_max": width_max,
        "expand": expansion_data(
            network, group, len(labels), node_core, throughflow, node_sizes(throughflow)
        ),
        "matrix": matrix_html(nodes, edges, sorted(width_max)),
    }


def _throughflow(network: FlowNetwork, dimension: str | None) -> np.ndarray:
    """Each node's throughflow in ``dimension``, from the core (0 where it has no flow)."""
    if dimension is None or dimension not in network.dimensions:
        return np.zeros(network.core.n_nodes)
    return network.core.throughflow(dimension)


def _group_throughflow(groups: pd.DataFrame, dimension: str | None) -> np.ndarray:
    """A group's size: the core's rule, max(inflow, outflow), applied to the group's summed
    inflow and outflow (the core has no groups)."""
    if dimension is None or f"in_{dimension}" not in groups:
        return np.zeros(len(groups))
    return np.maximum(groups[f"in_{dimension}"].to_numpy(), groups[f"out_{dimension}"].to_numpy())


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
