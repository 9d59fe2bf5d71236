"""The node and edge tables of the network page, read from the network's columnar core
(:class:`~symbiosis.core.Core`), and the vis-network records built from them (builtin
types only).

Tables are small pandas frames: one row per node and per flow up to the aggregation
thresholds (10,000 nodes, 40,000 flows), one row per group and per link above them
(:mod:`.network_aggregate`, which never builds a per-flow string). Every number comes from
the core: node inflow and outflow from :meth:`Core.node_sums`, node sizes from
:meth:`Core.throughflow`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from ..core import Core
from ..model import FlowNetwork
from ..units import DIMENSIONS
from ..vocabulary import ACTOR_ROLES, CATEGORIES, ROLES
from .markup import short_label, visible
from .palette import (
    CATEGORY_COLORS,
    DISPOSAL_ROLES,
    EDGE_WIDTH,
    LOOP_COLOR,
    NODE_SIZE,
    OTHER_COLOR,
    ROLE_COLORS,
    SECTOR_PALETTE,
)

__all__ = [
    "edge_table",
    "edge_widths",
    "first_index",
    "flow_years",
    "given_dimension",
    "id_positions",
    "material_list",
    "node_cores",
    "node_sizes",
    "node_table",
    "sorted_codes",
    "sqrt_widths",
]


# ---------------------------------------------------------------------------- codes


def sorted_codes(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``np.unique(values, return_inverse=True)`` by hashing instead of sorting every
    value: O(n + u log u) for n values with u distinct ones."""
    codes, uniques = pd.factorize(values)
    order = np.argsort(uniques, kind="stable")
    rank = np.empty(len(uniques), dtype=np.int64)
    rank[order] = np.arange(len(uniques))
    return uniques[order], rank[codes]


def first_index(values: np.ndarray, size: int) -> np.ndarray:
    """For each integer in ``range(size)`` (each must occur in ``values``), the position of
    its first occurrence. O(n), no sort: factorize numbers values in order of first
    appearance, so a new number starts where the running maximum rises."""
    codes, uniques = pd.factorize(values)
    running = np.maximum.accumulate(codes)
    starts = np.flatnonzero(np.r_[True, running[1:] > running[:-1]])
    result = np.empty(size, dtype=np.int64)
    result[uniques] = starts
    return result


# ---------------------------------------------------------------------------- per-node arrays


def id_positions(core: Core) -> dict[Any, int]:
    """Position of each node id, as a dict (cached on the core): the pages look up a few
    thousand ids (loop members, firms named in tables), for which hashing the ids once in
    Python beats converting them all to Arrow. O(nodes) once."""

    def build() -> dict[Any, int]:
        return dict(zip(core.ids.tolist(), range(core.n_nodes), strict=True))

    return core.cached(("export", "id_positions"), build)


def node_cores(network: FlowNetwork, cores: Mapping[str, int] | None) -> np.ndarray:
    """The symbiosis core number of each node (-1 if none), from :func:`loop_cores`'s
    mapping. O(members) after :func:`id_positions`."""
    result = np.full(network.core.n_nodes, -1, dtype=np.int64)
    if cores:
        lookup = id_positions(network.core)
        for member, number in cores.items():
            position = lookup.get(member, -1)
            if position >= 0:
                result[position] = number
    return result


def given_dimension(network: FlowNetwork) -> np.ndarray:
    """Index in DIMENSIONS of each flow's unit (-1 if none). Unlike ``core.dimension``, a
    flow of unknown size keeps the dimension of its unit: the filter and the aggregated
    links group it with its dimension. The core's own column (``unit_dimension``)."""
    return network.core.unit_dimension


def flow_counts(core: Core) -> tuple[np.ndarray, np.ndarray]:
    """(flows in, flows out) of each node, every flow counted (known size or not)."""
    return (
        np.bincount(core.target, minlength=core.n_nodes),
        np.bincount(core.source, minlength=core.n_nodes),
    )


def disposed_flows(core: Core) -> np.ndarray:
    """Mask of the flows into a disposal or environment node (drawn dashed)."""
    codes = [ROLES.index(r) for r in DISPOSAL_ROLES]
    return np.isin(core.role_code, codes)[core.target]


def loop_flows(core: Core, node_core: np.ndarray) -> np.ndarray:
    """Mask of the flows whose two ends lie in the same symbiosis core (they glow)."""
    source_core = node_core[core.source]
    return (source_core >= 0) & (source_core == node_core[core.target])


def _text(vocabulary: np.ndarray, codes: np.ndarray, missing: str) -> np.ndarray:
    """Decode dictionary codes into an object array of str (``missing`` for -1)."""
    words = np.array([*(str(v) for v in vocabulary), missing], dtype=object)
    return words[codes]


# ---------------------------------------------------------------------------- tables


def node_table(network: FlowNetwork, cores: Mapping[str, int] | None) -> pd.DataFrame:
    """One row per node: ``vid`` (vis id), name, sector, role, actor, ``members``,
    ``in_<dim>``/``out_<dim>`` per dimension (canonical unit), ``n_in``, ``n_out``,
    ``core`` (-1 if none). O(firms + flows), from the core's arrays."""
    core = network.core
    ids = np.array([str(i) for i in core.ids], dtype=object)
    table = pd.DataFrame(
        {
            "vid": "n:" + ids,
            "id": ids,
            "name": np.array([str(n) for n in core.names], dtype=object),
            "sector": _text(core.sectors, core.sector_code, ""),
            "role": core.role,
            "actor": core.actor,
            "members": np.ones(core.n_nodes, dtype=np.int64),
        }
    )
    for dim in network.dimensions:
        sums = core.node_sums(dim)
        table[f"in_{dim}"] = sums.inflow
        table[f"out_{dim}"] = sums.outflow
    table["n_in"], table["n_out"] = flow_counts(core)
    table["core"] = node_cores(network, cores)
    return table


def edge_table(network: FlowNetwork, cores: Mapping[str, int] | None) -> pd.DataFrame:
    """One row per flow: ``eid``, ``source``/``target`` vis ids (and ``s``/``t``, their
    node positions), material, category, quantity and unit as given, value (canonical),
    dimension, ``flows`` (1), ``loop`` and ``disposed`` flags, and ``year`` (None where
    not given) when the flows have years. O(flows)."""
    core, flows = network.core, network.flows
    ids = np.array(["n:" + str(i) for i in core.ids], dtype=object)
    dimension = np.array([*DIMENSIONS, None], dtype=object)[given_dimension(network)]
    table = pd.DataFrame(
        {
            "eid": ["f:" + str(i) for i in flows.index],
            "source": ids[core.source],
            "target": ids[core.target],
            "s": core.source,
            "t": core.target,
            "material": _text(core.materials, core.material_code, "nan"),
            "material_key": _text(core.material_keys, core.material_key_code, "nan"),
            "category": np.array(CATEGORIES, dtype=object)[core.category],
            "quantity": flows["quantity"].to_numpy(dtype=float, na_value=np.nan),
            "unit": flows["unit"].fillna("").astype(str).to_numpy(dtype=object),
            "value": core.value,
            "dimension": dimension,
            "flows": np.ones(core.n_flows, dtype=np.int64),
            "loop": loop_flows(core, node_cores(network, cores)),
            "disposed": disposed_flows(core),
        }
    )
    if "year" in flows.columns and flows["year"].notna().any():
        year = flows["year"].astype(object).to_numpy()
        table["year"] = np.where(pd.isna(year), None, year)
    return table


def flow_years(network: FlowNetwork) -> list[int]:
    """The distinct years of the flows, ascending (empty when they have none). O(flows)."""
    if "year" not in network.flows.columns:
        return []
    return sorted(int(y) for y in pd.unique(network.flows["year"].dropna()))


def material_list(network: FlowNetwork) -> list[tuple[str, str, int]]:
    """(key, most common name, number of flows) per material key, most flows first (then
    by name). A tie between names goes to the one met first. O(flows) on codes."""
    core = network.core
    if core.n_flows == 0:
        return []
    keys = core.material_key_code.astype(np.int64)
    width = len(core.materials) + 1
    pair = keys * width + core.material_code.astype(np.int64) + 1
    codes, pairs = pd.factorize(pair)  # pairs in order of first appearance
    count, first = np.bincount(codes), np.arange(len(pairs))
    pair_key, pair_name = pairs // width, pairs % width - 1
    order = np.lexsort((first, -count, pair_key))  # per key: most flows, then first met
    starts = np.r_[True, pair_key[order][1:] != pair_key[order][:-1]]
    best = order[starts]
    flows = np.bincount(keys, minlength=len(core.material_keys))[pair_key[best]]
    key_text = _text(core.material_keys, pair_key[best], "nan")
    name_text = _text(core.materials, pair_name[best], "nan")
    rows = sorted(zip(key_text, name_text, flows.tolist(), strict=True), key=lambda r: r[0])
    rows.sort(key=lambda r: (-r[2], r[1].lower()))  # stable: ties stay in key order
    return [(str(k), str(n), int(c)) for k, n, c in rows]


# ---------------------------------------------------------------------------- records


def node_colors(nodes: pd.DataFrame, color_by: str) -> tuple[list[str], list[tuple[str, str, str]]]:
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


def sqrt_widths(values: np.ndarray, top: Mapping[str, float], edges: pd.DataFrame) -> np.ndarray:
    """Width in px of aggregated links, on a square-root scale within each dimension:
    EDGE_WIDTH[0] + (EDGE_WIDTH[1] - EDGE_WIDTH[0]) * sqrt(q / top[dimension]), so that a
    link's width tells its share of the largest link of its dimension (a log scale would
    make a sum of 1,000 flows look like one). Unknown quantities get the thinnest line.
    ``assets/network.js`` applies the same rule to the links of an expanded group."""
    low, high = EDGE_WIDTH
    dims = edges["dimension"].to_numpy(dtype=object)
    scale = np.array([top.get(d, 0.0) if isinstance(d, str) else 0.0 for d in dims])
    share = np.divide(
        np.nan_to_num(values, nan=0.0), scale, out=np.zeros(len(values)), where=scale > 0
    )
    return low + (high - low) * np.sqrt(np.clip(share, 0.0, 1.0))


def _plain(value: Any) -> Any:
    """Builtin scalar for JSON (numpy scalars fail in pyvis); NaN becomes None."""
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def node_records(
    nodes: pd.DataFrame,
    colors: list[str],
    sizes: np.ndarray,
    positions: np.ndarray | None,
) -> list[dict[str, Any]]:
    """vis-network node records (``sizes`` in px, one per row). Strings are
    :func:`~.markup.visible` (a bidi control shows as ``\\u202e``, as in every other
    place of the pages): Jinja's ``tojson`` writes them for pyvis. O(nodes)."""
    dims = [c[3:] for c in nodes.columns if c.startswith("in_")]
    records = []
    for i, row in enumerate(nodes.itertuples(index=False)):
        in_loop = int(row.core) >= 0
        name = visible(str(row.name))
        record = {
            "id": visible(str(row.vid)),
            "label": short_label(name),
            "shape": "dot" if row.actor else "square",
            "size": float(sizes[i]),
            "color": {
                "background": colors[i],
                "border": LOOP_COLOR if in_loop else "#3b3b3b",
                "highlight": {"background": colors[i], "border": "#111111"},
            },
            "borderWidth": 3 if in_loop else 1,
            "name": name,
            "sector": visible(str(row.sector)),
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


def edge_records(edges: pd.DataFrame, *, smooth: bool) -> list[dict[str, Any]]:
    """vis-network edge records, one per row; strings :func:`~.markup.visible`, as in
    :func:`node_records`. O(rows)."""
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
    years = edges["year"].tolist() if "year" in edges else None
    records = []
    for i in range(len(edges)):
        category = str(columns["category"][i])
        dimension = dims[i]
        record = {
            "id": visible(str(columns["eid"][i])),
            "from": visible(str(columns["source"][i])),
            "to": visible(str(columns["target"][i])),
            "width": float(widths[i]),
            "color": CATEGORY_COLORS.get(category, OTHER_COLOR),  # the rest: global options
            "material": visible(str(columns["material"][i])),
            "mkey": visible(str(columns["material_key"][i])),
            "category": category,
            "dimension": dimension if isinstance(dimension, str) else None,
            "quantity": _plain(quantity[i]),
            "unit": visible(str(columns["unit"][i])),
            "value": _plain(value[i]),
            "flows": int(flows[i]),
            "loop": loop[i],
            "disposed": disposed[i],
        }
        if disposed[i]:
            record["dashes"] = [8, 6]
        if loop[i]:
            record["shadow"] = {"enabled": True, "color": LOOP_COLOR, "size": 12, "x": 0, "y": 0}
        if years is not None:
            record["year"] = None if years[i] is None else int(years[i])
        if mkeys is not None:  # an aggregated link: every material it carries
            record["mkeys"] = [visible(str(key)) for key in mkeys[i]]
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
