"""Aggregation of big networks: actors by sector, boundary nodes by role."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..units import CANONICAL_UNITS

__all__ = ["aggregate_by_sector"]


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
