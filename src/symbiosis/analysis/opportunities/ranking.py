"""Ranking: one row per opportunity, ordered within its group."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ...units import DIMENSIONS
from .candidates import _frame
from .result import _KIND_ORDER, _MATURITY_TIER, FATES, GROUPS, KINDS
from .streams import _lookup


def _filtered(candidates, streams, kinds, fates) -> pd.DataFrame:
    if kinds:
        candidates = candidates[candidates["kind"].isin(list(kinds)).to_numpy()]
    if fates:
        keep = np.array([f in fates for f in FATES])
        codes = pd.Series(streams.fate, dtype=object).map({f: i for i, f in enumerate(FATES)})
        candidates = candidates[keep[codes.to_numpy(np.int64)[candidates["stream"].to_numpy()]]]
    return candidates.reset_index(drop=True)


def _ranked(candidates, streams, catalogue, rank_by) -> pd.DataFrame:
    """One row per opportunity (best candidate per stream and receiver, or per stream and
    sector for new plants), ranked within its group (module docstring). O(c log c), with
    numpy lexsorts on integer keys."""
    columns = ["group", "tier", "group_rank", "value", "maturity", "alternative"]
    if not len(candidates):
        return candidates.assign(**{c: pd.Series(dtype=object) for c in columns})
    pathways = catalogue.pathways
    stream = candidates["stream"].to_numpy()
    receiver = candidates["receiver"].to_numpy()
    path = candidates["pathway"].to_numpy()
    kind = candidates["kind"].to_numpy(dtype=object)
    maturity = np.where(path >= 0, pathways["maturity"].to_numpy(dtype=object)[np.maximum(path, 0)],
                        "established").astype(object)  # fmt: skip
    tier = _lookup(maturity, _MATURITY_TIER, 1)
    kind_order = _lookup(kind, _KIND_ORDER, len(KINDS))
    place = np.where(receiver >= 0, receiver, -1 - pd.factorize(candidates["sector"])[0])

    # one row per (stream, place): the strongest kind, then the most mature pathway
    secondary = (kind_order * 4 + tier) * (len(pathways) + 2) + path + 1
    order = np.lexsort((secondary, place, stream))
    first = np.r_[True, (stream[order][1:] != stream[order][:-1])
                  | (place[order][1:] != place[order][:-1])]  # fmt: skip
    keep = order[first]
    stream, receiver, path, tier, kind_order, place = (
        a[keep] for a in (stream, receiver, path, tier, kind_order, place)
    )
    maturity = maturity[keep]
    quantity = candidates["quantity"].to_numpy(dtype=float)[keep]
    distance = candidates["distance_km"].to_numpy(dtype=float)[keep]
    group_order = streams.group_order[stream]
    dim_order = _lookup(streams.dimension[stream], {d: i for i, d in enumerate(DIMENSIONS)}, 9)
    with np.errstate(divide="ignore", invalid="ignore"):
        value = quantity * streams.quantity[stream] / streams.value[stream] * streams.price[stream]
    unknown = np.isnan(quantity).astype(np.int64)
    no_distance = np.isnan(distance).astype(np.int64)
    far = np.nan_to_num(distance, nan=np.inf)

    # alternatives for one stream: emerging last; actors present before new plants; the
    # more mature; the nearest
    order = np.lexsort((place, path, far, no_distance, tier, kind_order, tier >= 2, stream))
    alternative = np.empty(len(order), dtype=np.int64)
    alternative[order] = _cumcount(stream[order])
    if rank_by == "quantity":
        order = np.lexsort((stream, -np.nan_to_num(quantity), alternative, unknown, group_order))
        block = ((group_order * 2 + unknown) * (alternative.max() + 1) + alternative) * 10
        turn = np.empty(len(order), dtype=np.int64)
        by_block = order[np.argsort(block[order] + dim_order[order], kind="stable")]
        turn[by_block] = _cumcount((block + dim_order)[by_block])
        order = np.lexsort((dim_order, turn, alternative, unknown, group_order))
    elif rank_by == "distance":
        order = np.lexsort((stream, -np.nan_to_num(quantity), unknown, far, no_distance,
                            alternative, group_order))  # fmt: skip
    else:
        order = np.lexsort((stream, -np.nan_to_num(quantity), unknown, -np.nan_to_num(value),
                            np.isnan(value), alternative, group_order))  # fmt: skip
    group_rank = _cumcount(group_order[order]) + 1
    rows = keep[order]
    names = np.array(["dumped", "sold", "downstream"], dtype=object)
    return _frame(
        stream=stream[order],
        pathway=path[order],
        rule=candidates["rule"].to_numpy(dtype=object)[rows],
        kind=kind[rows],
        receiver=receiver[order],
        sector=candidates["sector"].to_numpy(dtype=object)[rows],
        distance_km=distance[order],
        quantity=quantity[order],
        replaced=candidates["replaced"].to_numpy(dtype=float)[rows],
        replaced_key=candidates["replaced_key"].to_numpy(dtype=object)[rows],
        maturity=maturity[order],
        tier=tier[order],
        group=names[group_order[order]],
        value=value[order],
        alternative=alternative[order],
        group_rank=group_rank,
    )


def _cumcount(keys: np.ndarray) -> np.ndarray:
    """0, 1, 2, ... within each run of equal consecutive ``keys``."""
    if not len(keys):
        return np.zeros(0, dtype=np.int64)
    starts = np.r_[0, np.flatnonzero(keys[1:] != keys[:-1]) + 1]
    return np.arange(len(keys)) - np.repeat(starts, np.diff(np.r_[starts, len(keys)]))


def _listed(table: pd.DataFrame, top: int) -> pd.DataFrame:
    if not len(table) or top == 0:
        return table.iloc[0:0]
    return table[table["group_rank"].to_numpy() <= top]


def _counts(table: pd.DataFrame) -> dict[str, dict[str, int]]:
    counts = {group: dict.fromkeys(KINDS, 0) for group in GROUPS}
    if len(table):
        pairs = _frame(
            g=table["group"].to_numpy(dtype=object), k=table["kind"].to_numpy(dtype=object)
        ).value_counts()
        for (group, kind), n in pairs.items():
            counts[group][kind] = int(n)
    return counts
