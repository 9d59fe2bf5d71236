"""The node and edge tables of the network page, and the vis-network records built from
them (builtin types only)."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from ..model import FlowNetwork
from ..vocabulary import ACTOR_ROLES, ROLES
from .layout import force_layout
from .markup import short_label
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

__all__ = ["edge_table", "edge_widths", "node_sizes", "node_table"]


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


def _positions(nodes: pd.DataFrame, edges: pd.DataFrame, seed: int) -> np.ndarray:
    index = {vid: i for i, vid in enumerate(nodes["vid"])}
    sources = edges["source"].map(index).to_numpy(dtype=np.int64)
    targets = edges["target"].map(index).to_numpy(dtype=np.int64)
    return force_layout(len(nodes), sources, targets, seed=seed)
