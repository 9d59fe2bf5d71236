"""The listed opportunities: one :class:`Opportunity` per listed row, with its evidence
(every catalogue row behind it) and, for a redirect, the primary input it replaces.

Only the listed rows (``top`` per group) reach this module, so it may read the pandas
tables cell by cell; every whole-column question goes to the core's arrays.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import numpy as np

from ...jsonable import to_jsonable as _none  # a builtin number, None for NaN
from ...units import yearly_unit
from ...vocabulary import CATEGORIES
from .candidates import Candidates
from .evidence import EVIDENCE_TEXT, from_network
from .materials import rule_score
from .processes import plant_ids, plant_of
from .ranking import Ranked, match_tiers
from .receivers import Context
from .redirects import primary_mask, substitution_ratios
from .result import GROUPS, KINDS, Opportunity, match_maturity, plant_name

__all__ = ["behind", "opportunity"]


def _row_maturity(pathways, path: int, kind: str) -> str | None:
    """The catalogue row's maturity; without a row (the network's evidence), a new link
    from a related material or a peer is ``demonstrated``, as it is ranked (None: a
    receiver that takes the material already, :func:`.result.match_maturity`)."""
    if path >= 0:
        return pathways["maturity"].iat[path]
    return "demonstrated" if kind == "new_link" else None


def behind(candidates: Candidates, table: Ranked, listed: np.ndarray) -> Candidates:
    """The candidates of the listed opportunities' streams (their evidence). O(c)."""
    wanted = np.zeros(int(candidates.stream.max(initial=-1)) + 1, dtype=bool)
    wanted[table.take(listed).stream] = True
    return candidates.take(wanted[candidates.stream])


def opportunity(ctx: Context, table: Ranked, i: int, evidence_rows: Candidates) -> Opportunity:
    """The :class:`Opportunity` of row ``i`` of the ranked table. O(f) for a redirect
    (its primary input is looked up in the core's arrays), else O(1)."""
    rows, streams, firms = table.take([i]), ctx.streams, _columns(ctx)
    s, receiver, path = int(rows.stream[0]), int(rows.receiver[0]), int(rows.pathway[0])
    pathways = ctx.catalogue.pathways
    if path >= 0:
        target_sector = pathways["receiving_sector"].iat[path]
    else:
        target_sector = str(firms["sector"].iat[receiver])
    new_plant = receiver < 0
    if new_plant:
        target, target_role = plant_ids(ctx)[int(plant_of(ctx, rows)[0])], "firm"
        target_name = f"new {plant_name(target_sector)} (proposed)"
    else:
        target = str(ctx.core.ids[receiver])
        target_name = str(firms["name"].iat[receiver])
        target_role = str(ctx.core.role[receiver])
    dimension = streams.dimension_text[s]
    kind = KINDS[rows.kind[0]]
    replaces = None
    if kind == "redirect":
        replaces = _replaced_inputs(ctx, receiver, int(rows.replaced_key[0]), streams.dimension[s])
        replaces["quantity"] = _none(rows.replaced[0])
        # what one unit of the stream replaces of it: the cut is quantity x this
        replaces["substitution_ratio"] = float(substitution_ratios(ctx, rows.pathway[:1])[0])
    return Opportunity(
        rank=int(table.group_rank[i]),
        group=list(GROUPS)[table.group[i]],
        kind=kind,
        fate=streams.fate[s],
        source=str(streams.source[s]),
        source_name=str(firms["name"].iat[streams.source_position[s]]),
        material=str(streams.material[s]),
        category=CATEGORIES[streams.category[s]],
        stream_target=str(streams.target[s]),
        stream_target_name=str(firms["name"].iat[streams.target_position[s]]),
        dimension=dimension,
        unit=None if dimension is None else yearly_unit(dimension, ctx.network.summed_years),
        quantity=_none(rows.quantity[0]),
        stream_quantity=_none(streams.value[s]),
        target=target,
        target_name=target_name,
        target_sector=target_sector,
        new_plant=bool(new_plant),
        distance_km=_none(rows.distance_km[0]),
        value=_none(table.value[i]),
        maturity=match_maturity(_row_maturity(pathways, path, kind), rows.rules[rows.rule[0]]),
        evidence=_evidence(ctx, evidence_rows, s, receiver, int(plant_of(ctx, rows)[0])),
        replaces=replaces,
        target_role=target_role,
        stream_unit=streams.unit(s),
        stream_amount=_none(streams.quantity[s]),
        flow_row=int(streams.row[s]) if streams.ambiguous[s] else None,
        capacity=ctx.capacities.describe(int(rows.capacity_group[0])),
        capacity_group=int(rows.capacity_group[0]),
        economics=table.worth.row(i, ctx.costs.currency if ctx.costs else None),
        capacity_within_group=ctx.capacities.within(int(rows.capacity_group[0])),
        capacity_around_group=ctx.capacities.within(
            ctx.capacities.within(int(rows.capacity_group[0]))
        ),
    )


def _evidence(ctx: Context, candidates: Candidates, stream, receiver, plant):
    """Every catalogue row and network rule behind one opportunity (to a ``receiver``,
    or, when it is -1, the new plant of process ``plant``), the one the ranking chose
    first (its ``pathway``)."""
    mask = candidates.stream == stream
    if receiver >= 0:
        mask &= candidates.receiver == receiver
    else:
        mask &= (candidates.receiver < 0) & (plant_of(ctx, candidates) == plant)
    rows = candidates.take(mask)
    # as the ranking chose (deduplication.deduplicated): the strongest kind, a catalogue row
    # before the network's evidence, the more mature match, then catalogue order
    tiers = match_tiers(rows.pathway, rows.kind, rows.rule, ctx.tier)
    order = np.lexsort((rows.pathway, tiers, from_network(rows), rows.kind))
    pathways = _columns(ctx)
    out: list[dict[str, Any]] = []
    for path, rule, kind in zip(rows.pathway[order], rows.rule[order], rows.kind[order],
                                strict=True):  # fmt: skip
        rule, kind = rows.rules[rule], KINDS[kind]
        if path < 0:
            entry = {"id": None, "rule": rule, "kind": kind, "receiving_sector": None,
                     "product": None, "condition": None, "maturity": match_maturity(None, rule),
                     "source": EVIDENCE_TEXT.get(rule, EVIDENCE_TEXT[None]), "file": None,
                     "row": None}  # fmt: skip
        else:
            at = int(path)
            entry = {
                "id": pathways["id"][at],
                "rule": rule,
                "kind": kind,
                "receiving_sector": pathways["receiving_sector"][at],
                "product": pathways["product"][at] or None,
                "condition": pathways["condition"][at] or None,
                "maturity": match_maturity(pathways["maturity"][at], rule) or None,
                "source": pathways["source"][at],
                "file": pathways["file"][at],
                "row": int(pathways["row"][at]),
            }
        entry["score"] = rule_score(ctx, rule, int(ctx.streams.key_code[stream]))
        if entry not in out:
            out.append(entry)
    return tuple(out)


_EVIDENCE_COLUMNS = ("id", "receiving_sector", "product", "condition", "maturity", "source",
                     "file", "row")  # fmt: skip


def _columns(ctx: Context) -> dict[str, Any]:
    """What the listing reads row by row, taken once per pass (cached on the context):
    the firms' ``name`` and ``sector`` (each ``network.firms`` is a copy of the table)
    and the catalogue's evidence columns as lists (a row of the catalogue by ``iloc``
    builds a Series: 0.1 ms)."""
    cache = ctx.__dict__
    if "_listing_columns" not in cache:
        firms, pathways = ctx.network.firms, ctx.catalogue.pathways
        columns = {c: pathways[c].tolist() for c in _EVIDENCE_COLUMNS}
        cache["_listing_columns"] = columns | {"name": firms["name"], "sector": firms["sector"]}
    return cache["_listing_columns"]


def _replaced_inputs(ctx: Context, receiver: int, key: int, dimension: int) -> dict[str, Any]:
    """The primary flows of material ``key`` into ``receiver``: suppliers and selectors
    (a row number when the supplier sends the material more than once). O(f): one scan
    for the receiver's input flows, then only those (a listing of many redirects made
    four scans of every flow for each)."""
    core = ctx.core
    into = np.flatnonzero(core.target == receiver)
    same = into[core.material_key_code[into] == key]
    chosen = same[primary_mask(ctx)[same] & (core.dimension[same] == dimension)]
    counts = Counter(core.source[same].tolist())
    repeated = [counts[core.source[p]] > 1 for p in chosen]
    # the flows table (a copy of its columns at each reading) only for a row number
    row = ctx.network.flows["row"] if any(repeated) else None
    selectors = [
        {
            "source": str(core.ids[core.source[p]]),
            "material": str(core.materials[core.material_code[p]]),
            "row": int(row.iat[p]) if row is not None and again else None,
        }
        for p, again in zip(chosen, repeated, strict=True)
    ]
    material = selectors[0]["material"] if selectors else str(core.material_keys[key])
    return {
        "material": material,
        "suppliers": list(dict.fromkeys(s["source"] for s in selectors)),
        "flows": selectors,
    }
