"""Aggregation of big networks for the network page: actors by sector, boundary nodes by
role, flows summed per (source group, target group, category, dimension).

Everything runs on the core's integer codes (:class:`~symbiosis.core.Core`): a group
number per node, a link number per flow, hashing and ``np.bincount``; strings are
made only for the groups, links and materials drawn. Quantities are summed by pandas'
grouped sum (compensated, so a link's total has the same last digits as before).
O(flows log flows + nodes).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ..arguments import Arguments
from ..model import FlowNetwork
from ..units import CANONICAL_UNITS, DIMENSIONS
from ..vocabulary import CATEGORIES, ROLES
from .network_data import (
    disposed_flows,
    first_index,
    flow_counts,
    given_dimension,
    loop_flows,
    sorted_codes,
)

__all__ = ["EXPAND_CAP", "aggregate_by_sector", "expansion_data", "group_of_nodes"]

OTHER_GROUP = "s:\x00other"


def aggregate_by_sector(
    network: FlowNetwork, node_core: np.ndarray, max_nodes: int
) -> tuple[pd.DataFrame, pd.DataFrame, str]:
    """Group actors by sector and boundary nodes by role; sum flows of the same
    (source group, target group, category, dimension). Beyond ``max_nodes`` groups, the
    smallest sectors are pooled into "other sectors". Returns the group table, the link
    table and a sentence for the page. O(flows log flows + nodes)."""
    _check_max_nodes(max_nodes)
    core = network.core
    group, labels = _groups(network, max_nodes)
    nodes = _group_table(network, group, labels, node_core)
    edges = _link_table(network, group, labels, node_core)
    sentence = (
        f"{core.n_nodes:,} nodes aggregated into {len(nodes):,}: actors by sector, "
        f"boundary nodes by role; {core.n_flows:,} flows into {len(edges):,} links"
    )
    return nodes, edges, sentence


# ---------------------------------------------------------------------------- groups


def _groups(network: FlowNetwork, max_nodes: int) -> tuple[np.ndarray, list[str]]:
    """The group of each node (numbered in the sorted order of the labels) and the
    labels ("s:<sector>" for actors, "r:<role>" for boundary nodes). O(nodes)."""
    core = network.core
    sectors = len(core.sectors)
    # role codes are int8: widened, else 127 sectors or more overflow it (NumPy 2 raises)
    role = core.role_code.astype(np.int64)
    combo = np.where(core.actor, core.sector_code.astype(np.int64) + 1, sectors + 1 + role)
    combos, inverse = sorted_codes(combo)
    texts = [f"s:{core.sectors[c - 1]}" if c else "s:" for c in combos[combos <= sectors]]
    texts += [f"r:{ROLES[c - sectors - 1]}" for c in combos[combos > sectors]]
    codes, names = pd.factorize(np.array(texts, dtype=object))  # two codes may read the same
    group, labels = codes[inverse], [str(n) for n in names]
    if len(labels) > max_nodes:  # rare (more sectors than nodes drawn): as before, by size
        per_node = np.array(labels, dtype=object)[group]
        keep = set(pd.Series(per_node).value_counts().index[: max_nodes - 1])
        kept = [label if label in keep else OTHER_GROUP for label in labels]
        codes, names = pd.factorize(np.array(kept, dtype=object))
        group, labels = codes[group], [str(n) for n in names]
    order = sorted(range(len(labels)), key=labels.__getitem__)
    rank = np.empty(len(labels), dtype=np.int64)
    rank[order] = np.arange(len(labels))
    return rank[group], [labels[i] for i in order]


def _group_table(
    network: FlowNetwork, group: np.ndarray, labels: list[str], node_core: np.ndarray
) -> pd.DataFrame:
    """One row per group, in label order, with the columns of :func:`node_table`."""
    core = network.core
    sums: dict[str, np.ndarray] = {}
    for dim in network.dimensions:
        node_sums = core.node_sums(dim)
        sums[f"in_{dim}"], sums[f"out_{dim}"] = node_sums.inflow, node_sums.outflow
    sums["n_in"], sums["n_out"] = flow_counts(core)
    sums["members"] = np.ones(core.n_nodes, dtype=np.int64)
    table = pd.DataFrame(sums).groupby(group, sort=True).sum().reset_index(drop=True)
    first = first_index(group, len(labels))  # the first member stands for the group
    sector_text = np.array([*(str(s) for s in core.sectors), ""], dtype=object)
    table["sector"] = sector_text[core.sector_code[first]]
    table["role"] = core.role[first]
    table["actor"] = core.actor[first]
    in_core = np.zeros(len(labels), dtype=bool)
    in_core[group[node_core >= 0]] = True
    table["core"] = np.where(in_core, 0, -1)
    label = np.array(labels, dtype=object)
    table["vid"] = "g:" + label
    table["id"] = label
    table["name"] = np.where(
        table["actor"], table["sector"].where(table["sector"] != "", "(no sector)"), table["role"]
    )
    other = label == OTHER_GROUP
    table.loc[other, ["name", "sector"]] = "other sectors"
    table.loc[~table["actor"], "sector"] = ""
    return table


# ---------------------------------------------------------------------------- links


def _link_table(
    network: FlowNetwork, group: np.ndarray, labels: list[str], node_core: np.ndarray
) -> pd.DataFrame:
    """One row per link, sorted by (source label, target label, category, dimension) as
    text, with the columns :func:`edge_records` reads."""
    core = network.core
    n_groups = len(labels)
    category_rank = _text_rank(list(CATEGORIES))
    dimension_rank = _text_rank(["", *DIMENSIONS])  # "" (no dimension) sorts first
    source, target = group[core.source], group[core.target]
    category = category_rank[core.category]
    dimension = dimension_rank[given_dimension(network).astype(np.int64) + 1]
    width_c, width_d = len(CATEGORIES), len(DIMENSIONS) + 1
    key = ((source * n_groups + target) * width_c + category) * width_d + dimension
    keys, link = sorted_codes(key)
    n_links = len(keys)
    dimension_of = np.array(["", *DIMENSIONS], dtype=object)[np.argsort(dimension_rank)]
    category_of = np.array(CATEGORIES, dtype=object)[np.argsort(category_rank)]
    link_dimension = dimension_of[keys % width_d]
    value = pd.Series(core.value).groupby(link, sort=True).sum(min_count=1).to_numpy()
    label = np.array(["g:" + s for s in labels], dtype=object)
    s_group = keys // (width_d * width_c * n_groups)
    t_group = keys // (width_d * width_c) % n_groups
    table = pd.DataFrame(
        {
            "source": label[s_group],
            "target": label[t_group],
            "s": s_group,
            "t": t_group,
            "category": category_of[keys // width_d % width_c],
            "flows": np.bincount(link, minlength=n_links),
            "loop": np.bincount(link, loop_flows(core, node_core), n_links) > 0,
            "disposed": np.bincount(link, disposed_flows(core), n_links) > 0,
            "value": value,
            "material": _link_names(core, link, n_links),
            "mkeys": _link_keys(core, link, n_links),
            "material_key": "",
        }
    )
    table["dimension"] = [d or None for d in link_dimension]
    table["quantity"] = table["value"]
    table["unit"] = [CANONICAL_UNITS.get(d, "") if d else "" for d in link_dimension]
    table["eid"] = ["a:" + str(i) for i in range(n_links)]
    return table


def _text_rank(words: list[str]) -> np.ndarray:
    """Rank of each word in sorted order (so integer codes sort as their text)."""
    rank = np.empty(len(words), dtype=np.int64)
    rank[sorted(range(len(words)), key=words.__getitem__)] = np.arange(len(words))
    return rank


def _link_names(core, link: np.ndarray, n_links: int) -> list[str]:
    """Per link: its most common material (ties: the first in text order), and how many
    others it carries. O(flows log flows)."""
    materials = [str(m) for m in core.materials]
    rank = _text_rank(materials)
    width = len(materials) + 1
    pairs, codes = sorted_codes(link.astype(np.int64) * width + core.material_code + 1)
    count = np.bincount(codes)
    pair_link, pair_material = pairs // width, pairs % width - 1
    order = np.lexsort((rank[pair_material], -count, pair_link))
    first = order[np.r_[True, pair_link[order][1:] != pair_link[order][:-1]]]
    more = np.bincount(pair_link, minlength=n_links) - 1
    names = []
    for code, others in zip(pair_material[first].tolist(), more.tolist(), strict=True):
        name = materials[code]
        names.append(name if others == 0 else f"{name} and {others:,} more materials")
    return names


def _link_keys(core, link: np.ndarray, n_links: int) -> list[list[str]]:
    """Per link: the material keys it carries, sorted (the page's material filter)."""
    keys = [str(k) for k in core.material_keys]
    rank = _text_rank(keys)
    width = len(keys)
    pairs = np.sort(pd.unique(link.astype(np.int64) * width + rank[core.material_key_code]))
    by_rank = np.array([keys[i] for i in np.argsort(rank)], dtype=object)
    carried = by_rank[pairs % width].tolist()  # link by link, keys sorted
    return _cut(carried, np.bincount(pairs // width, minlength=n_links))


# ---------------------------------------------------------------------------- expansion

#: Firms of one group drawn when it is expanded (the largest by throughflow).
EXPAND_CAP = 200


def group_of_nodes(network: FlowNetwork, max_nodes: int) -> tuple[np.ndarray, list[str]]:
    """The group number of each node and the group labels, as :func:`aggregate_by_sector`
    numbers them (a vis id is ``"g:" + label``). O(nodes)."""
    _check_max_nodes(max_nodes)
    return _groups(network, max_nodes)


def _check_max_nodes(max_nodes: Any) -> None:
    arguments = Arguments()
    arguments.whole("max_nodes", max_nodes, minimum=1)
    arguments.check()


def expansion_data(
    network: FlowNetwork,
    group: np.ndarray,
    n_groups: int,
    node_core: np.ndarray,
    throughflow: np.ndarray,
    sizes: np.ndarray,
    cap: int = EXPAND_CAP,
) -> dict[str, list]:
    """What the page needs to expand each group into its firms, as compact arrays.

        For group ``g``: ``members[g]`` (its number of nodes); ``firms[g]``, the ``cap``
        largest members by ``throughflow``, as rows ``[id, name, radius px, role, loop,
        throughflow]``; ``links[g]``, the flows with an end in ``g`` summed per (end, end,
        category, dimension), as rows ``[from, to, category, dimension, value, flows,
        flags]``. An end is a firm's row in ``firms[g]`` (``>= 0``; ``cap`` stands for the
        group's remaining members, drawn as one node), or ``-1 - h`` for another group
        ``h``; category and dimension index CATEGORIES and DIMENSIONS (-1: no dimension);
        value is ``None`` when no flow of the row has a known size; flags: 1 on a loop, 2 to
        disposal. Quantities
    are summed within one dimension only. O(flows log flows + nodes).
    """
    core = network.core
    known_throughflow = np.nan_to_num(throughflow)
    order = np.lexsort((np.arange(core.n_nodes), -known_throughflow, group))
    starts = np.searchsorted(group[order], np.arange(n_groups))
    rank = np.empty(core.n_nodes, dtype=np.int64)
    rank[order] = np.arange(core.n_nodes) - starts[group[order]]
    local = np.minimum(rank, cap)
    members = np.bincount(group, minlength=n_groups)
    return {
        "cap": cap,
        "members": members.tolist(),
        "firms": _expansion_firms(
            core,
            order[rank[order] < cap],
            np.minimum(members, cap),
            node_core,
            known_throughflow,
            sizes,
        ),
        "links": _expansion_links(network, group, n_groups, local, node_core),
    }


def _expansion_firms(
    core,
    drawn: np.ndarray,
    counts: np.ndarray,
    node_core: np.ndarray,
    throughflow: np.ndarray,
    sizes: np.ndarray,
) -> list[list[list]]:
    """The ``firms`` of :func:`expansion_data`: the rows of the ``drawn`` nodes (group by
    group, largest first), cut into one list per group of ``counts`` rows. O(rows)."""
    rows = list(
        map(
            list,
            zip(
                [str(i) for i in core.ids[drawn].tolist()],
                [str(n) for n in core.names[drawn].tolist()],
                [round(s, 1) for s in sizes[drawn].astype(float).tolist()],
                [str(r) for r in core.role[drawn].tolist()],
                (node_core[drawn] >= 0).astype(int).tolist(),
                throughflow[drawn].astype(float).tolist(),
                strict=True,
            ),
        )
    )
    return _cut(rows, counts)


def _cut(rows: list, counts: np.ndarray) -> list[list]:
    """``rows`` cut into consecutive lists of ``counts[g]`` rows."""
    ends = np.cumsum(counts).tolist()
    return [rows[start:end] for start, end in zip([0, *ends[:-1]], ends, strict=True)]


def _expansion_links(
    network: FlowNetwork,
    group: np.ndarray,
    n_groups: int,
    local: np.ndarray,
    node_core: np.ndarray,
) -> list[list[list]]:
    """The ``links`` of :func:`expansion_data`: each flow once for its source's group and,
    when the target lies in another group, once for the target's; rows summed per
    (group, from, to, category, dimension), in that order. O(flows log flows)."""
    core = network.core
    gs, gt = group[core.source], group[core.target]
    other = gs != gt
    flags = loop_flows(core, node_core).astype(np.int64) + 2 * disposed_flows(core)
    dimension = given_dimension(network).astype(np.int64)
    g = np.r_[gs, gt[other]]
    a = np.r_[local[core.source], -1 - gs[other]]
    b = np.r_[np.where(other, -1 - gt, local[core.target]), local[core.target][other]]
    c = np.r_[core.category, core.category[other]].astype(np.int64)
    d = np.r_[dimension, dimension[other]]
    # Ends are shifted by n_groups and the dimension by 1, so that every code is >= 0.
    ends = n_groups + int(local.max(initial=0)) + 1
    row, n_rows = _row_codes(
        [g, a + n_groups, b + n_groups, c, d + 1],
        [n_groups, ends, ends, len(CATEGORIES), len(DIMENSIONS) + 1],
    )
    first = first_index(row, n_rows)
    value = np.r_[core.value, core.value[other]]
    # pandas' grouped sum (compensated, in row order): the same digits as before
    sums = pd.Series(np.nan_to_num(value)).groupby(row, sort=True).sum().to_numpy()
    known = np.bincount(row, ~np.isnan(value), n_rows) > 0
    loop = np.bincount(row, np.r_[flags & 1, (flags & 1)[other]], n_rows) > 0
    disposed = np.bincount(row, np.r_[flags & 2, (flags & 2)[other]], n_rows) > 0
    rows = list(
        map(
            list,
            zip(
                a[first].tolist(),
                b[first].tolist(),
                c[first].tolist(),
                d[first].tolist(),
                [v if k else None for v, k in zip(sums.tolist(), known.tolist(), strict=True)],
                np.bincount(row, minlength=n_rows).tolist(),
                (loop + 2 * disposed).tolist(),
                strict=True,
            ),
        )
    )
    return _cut(rows, np.bincount(g[first], minlength=n_groups))


def _row_codes(columns: list[np.ndarray], widths: list[int]) -> tuple[np.ndarray, int]:
    """The number of each row of ``columns`` (integers ``0 <= x < width``) among the
    distinct rows, in lexicographic order, and how many there are. The columns are mixed
    into one int64 key; keys are renumbered densely whenever the next column could
    overflow it. O(rows), plus O(u log u) per renumbering of u distinct keys."""
    key, bound = np.zeros(len(columns[0]), dtype=np.int64), 1
    for column, width in zip(columns, widths, strict=True):
        if bound * width >= 2**62:
            uniques, key = sorted_codes(key)
            bound = len(uniques)
        key, bound = key * width + column, bound * width
    uniques, key = sorted_codes(key)
    return key, len(uniques)
