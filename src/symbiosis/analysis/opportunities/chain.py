"""Chain extension: the new plants proposed, one per process (:mod:`.processes`), with
what one plant of typical size takes and the feed available to it.

Before processes and typical sizes, a plant's feed was every stream its sector could take,
summed whole: Shuozhou's one "chemicals" plant took 14.5 Mt of CO2, 1.4 Mt of CFB fly ash,
0.55 Mt of fly ash, 20 Mm3 of effluent and 3 kt of SO2, and a "precipitated calcium
carbonate" plant 16 to 43 Mt of CO2 where the catalogue's satellite plant takes 18 kt.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from ...jsonable import to_jsonable as _none  # a builtin number, None for NaN
from ...units import DIMENSIONS
from .candidates import Candidates
from .intake import typical_limits
from .processes import plant_ids, plant_of
from .receivers import Context
from .result import PlantProposal
from .rules import MATURITY_TIER

__all__ = ["plants"]


def plants(
    rows: Candidates, group: np.ndarray, ctx: Context, max_feeds: int = 20
) -> tuple[PlantProposal, ...]:
    """New-plant opportunities grouped by process (:mod:`.processes`: one plant per
    receiving sector and product), with what one plant takes per group and dimension
    and the feed available to it; the ``max_feeds`` largest feeds are listed (largest
    first; ties in rank order). ``rows``: the new plants' candidates in rank order, with
    their ``group`` (:meth:`.heads.Ranking.new_plants`). O(r log r)."""
    if not len(rows):
        return ()
    streams = ctx.streams
    plant = plant_of(ctx, rows)
    # The catalogue's columns as arrays once: a pandas lookup per plant and feed costs
    # more than the rest of this function on a small network.
    pathways = {
        c: ctx.catalogue.pathways[c].to_numpy(dtype=object)
        for c in ("receiving_sector", "id", "product", "maturity", "source")
    }
    dimension = streams.dimension[rows.stream]
    quantity = streams.value[rows.stream]
    taken, limit_key, limit = _one_plant_takes(ctx, rows, plant, quantity)
    proposals = []
    for code in pd.unique(plant):  # processes in rank order of their first feed
        here = np.flatnonzero(plant == code)
        picked = np.unique(rows.pathway[here])
        maturity = pathways["maturity"][picked]
        totals = _totals(group[here], dimension[here], taken[here])
        available = _totals(np.zeros(len(here), dtype=int), dimension[here], quantity[here])
        typical = _typical(dimension[here], limit_key[here], limit[here], quantity[here])
        largest = _largest_first(quantity[here], dimension[here])[:max_feeds]
        feeds = [_feed(ctx, rows, int(j), pathways["id"], taken[j]) for j in here[largest]]
        tiers = [MATURITY_TIER.get(m, 1) for m in maturity]
        proposals.append(
            PlantProposal(
                sector=pathways["receiving_sector"][picked[0]],
                plant_id=plant_ids(ctx)[int(code)],
                dumped=totals.get(0, {}),
                sold=totals.get(1, {}),
                products_in=totals.get(2, {}),
                feeds=tuple(feeds),
                pathways=tuple(dict.fromkeys(pathways["id"][picked])),
                products=tuple(dict.fromkeys(p for p in pathways["product"][picked] if p)),
                maturity=maturity[int(np.argmin(tiers))],
                sources=tuple(dict.fromkeys(pathways["source"][picked])),
                available=available.get(0, {}),
                typical_intake=typical,
                unbounded=bool((np.isnan(limit[here]) & ~np.isnan(quantity[here])).any()),
            )
        )
    return tuple(sorted(proposals, key=_plant_order))


def _one_plant_takes(ctx: Context, rows: Candidates, plant: np.ndarray, quantity: np.ndarray):
    """Per row, what one plant of its process takes of its stream: within the catalogue
    row's typical intake (:func:`.intake.typical_limits`, one group per process,
    dimension and intake class, as the capacities group them), the group's rows taking
    it in rank order; the whole stream where no typical intake is known (NaN for a
    stream of unknown size). And per row its group's key and limit (-1 and NaN: none).
    O(r log r)."""
    taken = quantity.copy()
    key, limit = np.full(len(rows), -1, dtype=np.int64), np.full(len(rows), np.nan)
    at, keys, limits, _ = typical_limits(ctx, rows, np.arange(len(rows)), plant)
    if not len(at):
        return taken, key, limit
    key[at], limit[at] = keys, limits
    number, _ = pd.factorize(keys)
    order = np.argsort(number, kind="stable")  # a group's rows in rank order
    given = np.nan_to_num(quantity[at][order])  # a stream of unknown size takes nothing known
    runs = np.flatnonzero(np.r_[True, number[order][1:] != number[order][:-1]])
    before = np.cumsum(given) - given
    before -= np.repeat(before[runs], np.diff(np.r_[runs, len(order)]))
    took = np.minimum(given, np.maximum(limits[order] - before, 0.0))
    taken[at[order]] = np.where(np.isnan(quantity[at][order]), np.nan, took)
    return taken, key, limit


def _typical(dimension, key, limit, quantity) -> dict[str, float]:
    """One plant's typical intake per dimension: the sum of its groups' limits, in the
    dimensions where every feed of a known size has one."""
    out: dict[str, float] = {}
    for d in np.unique(dimension[dimension >= 0]):
        here = dimension == d
        if (np.isnan(limit[here]) & ~np.isnan(quantity[here])).any() or not (key[here] >= 0).any():
            continue
        _, first = np.unique(key[here], return_index=True)
        out[DIMENSIONS[d]] = math.fsum(limit[here][first])
    return out


def _largest_first(values: np.ndarray, dimension: np.ndarray) -> np.ndarray:
    """Positions of the values largest first, ties by dimension, then in position (rank)
    order, NaN last. A stable sort: pandas' default quicksort left ties in an order that
    depends on the CPU (numpy picks a SIMD sort by the instructions it finds), so the
    listed feeds differed between machines. Ties of different dimensions by dimension,
    not rank: their rank order interleaves the dimensions by turn among every candidate,
    which the lean pass does not know (:func:`.heads.new_plant_rows`). O(n log n)."""
    return np.lexsort((dimension, -values))  # -NaN is NaN: sorted last; lexsort is stable


def _totals(group, dimension, quantity) -> dict[int, dict[str, float]]:
    """Summed feed per group and dimension (dimensions in canonical order)."""
    known = (dimension >= 0) & ~np.isnan(quantity)
    out: dict[int, dict[str, float]] = {}
    for g in np.unique(group[known]):
        for d in np.unique(dimension[known & (group == g)]):
            chosen = known & (group == g) & (dimension == d)
            out.setdefault(int(g), {})[DIMENSIONS[d]] = math.fsum(quantity[chosen])
    return out


def _feed(ctx: Context, rows: Candidates, j: int, pathway_ids: np.ndarray, taken) -> dict[str, Any]:
    s, streams = int(rows.stream[j]), ctx.streams
    return {
        "source": str(streams.source[s]),
        "material": str(streams.material[s]),
        "fate": streams.fate[s],
        "dimension": streams.dimension_text[s],
        "quantity": _none(streams.value[s]),
        "taken": _none(taken),
        "pathway": pathway_ids[int(rows.pathway[j])],
    }


def _plant_order(plant: PlantProposal):
    amounts = plant.dumped or plant.sold or plant.products_in
    first = next((amounts[d] for d in DIMENSIONS if d in amounts), 0.0)
    dims = [i for i, d in enumerate(DIMENSIONS) if d in amounts] or [9]
    empty = 0 if plant.dumped else 1 if plant.sold else 2
    return (empty, MATURITY_TIER.get(plant.maturity, 1), dims[0], -first, plant.sector,
            plant.plant_id)  # fmt: skip
