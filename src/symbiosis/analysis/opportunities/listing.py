"""The listed opportunities, plant proposals, uncovered streams and the public table."""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import pandas as pd

from ...model import FlowNetwork
from ...units import CANONICAL_UNITS, DIMENSIONS
from .candidates import _frame, _primary_mask
from .result import _KIND_ORDER, _MATURITY_TIER, Opportunity, PlantProposal, _none
from .streams import _Streams, _translate


def _plant_id(network: FlowNetwork, sector: str) -> str:
    base = "NEW_" + re.sub(r"[^A-Z0-9]+", "_", sector.upper()).strip("_")
    plant, number = base, 2
    while plant in network.firms.index:
        plant, number = f"{base}_{number}", number + 1
    return plant


def _evidence(catalogue, candidates, stream, receiver, sector) -> tuple[dict[str, Any], ...]:
    """Every catalogue row behind one opportunity, best first."""
    mask = candidates["stream"].to_numpy() == stream
    if receiver >= 0:
        mask &= candidates["receiver"].to_numpy() == receiver
    else:
        mask &= (candidates["receiver"].to_numpy() < 0) & (
            candidates["sector"].to_numpy(dtype=object) == sector
        )
    rows = candidates[mask]
    rows = rows.iloc[np.lexsort((rows["pathway"].to_numpy(), rows["kind"].map(_KIND_ORDER)))]
    pathways = catalogue.pathways
    out: list[dict[str, Any]] = []
    for path, rule, kind in zip(rows["pathway"], rows["rule"], rows["kind"], strict=True):
        if path < 0:
            entry = {"id": None, "rule": rule, "kind": kind, "receiving_sector": None,
                     "product": None, "maturity": "established",
                     "source": "the receiver already takes this material", "file": None,
                     "row": None}  # fmt: skip
        else:
            row = pathways.iloc[int(path)]
            entry = {
                "id": row["id"],
                "rule": rule,
                "kind": kind,
                "receiving_sector": row["receiving_sector"],
                "product": row["product"] or None,
                "maturity": row["maturity"] or None,
                "source": row["source"],
                "file": row["file"],
                "row": int(row["row"]),
            }
        if entry not in out:
            out.append(entry)
    return tuple(out)


def _opportunity(row, streams, network, catalogue, candidates) -> Opportunity:
    s = int(row.stream)
    firms = network.firms
    new_plant = row.receiver < 0
    if row.pathway >= 0:
        target_sector = catalogue.pathways["receiving_sector"].iat[int(row.pathway)]
    else:
        target_sector = str(firms["sector"].iat[row.receiver])
    if new_plant:
        target, target_role = _plant_id(network, target_sector), "firm"
        target_name = f"new {target_sector} plant (proposed)"
    else:
        target = str(firms.index[row.receiver])
        target_name = str(firms["name"].iat[row.receiver])
        target_role = str(firms["role"].iat[row.receiver])
    dimension = streams.dimension[s] if isinstance(streams.dimension[s], str) else None
    replaces = None
    if row.kind == "redirect":
        replaces = _replaced_inputs(network, row.receiver, row.replaced_key, dimension)
        replaces["quantity"] = _none(row.replaced)
    return Opportunity(
        rank=int(row.group_rank),
        group=row.group,
        kind=row.kind,
        fate=streams.fate[s],
        source=str(streams.source[s]),
        source_name=str(firms["name"].iat[streams.source_position[s]]),
        material=str(streams.material[s]),
        category=str(streams.category[s]),
        stream_target=str(streams.target[s]),
        dimension=dimension,
        unit=None if dimension is None else f"{CANONICAL_UNITS[dimension]}/yr",
        quantity=_none(row.quantity),
        stream_quantity=_none(streams.value[s]),
        target=target,
        target_name=target_name,
        target_sector=target_sector,
        new_plant=bool(new_plant),
        distance_km=_none(row.distance_km),
        value=_none(row.value),
        maturity=row.maturity,
        evidence=_evidence(catalogue, candidates, s, row.receiver, row.sector),
        replaces=replaces,
        target_role=target_role,
        stream_unit=None if not isinstance(streams.unit[s], str) else streams.unit[s],
        stream_amount=_none(streams.quantity[s]),
        flow_row=int(streams.row[s]) if streams.ambiguous[s] else None,
    )


def _replaced_inputs(network, receiver, key, dimension) -> dict[str, Any]:
    """The primary flows of ``key`` into ``receiver``: their suppliers and selectors."""
    flows = network.flows
    mask = _primary_mask(network) & (network.target_positions == receiver)
    mask &= flows["material_key"].to_numpy(dtype=object) == key
    mask &= flows["dimension"].to_numpy(dtype=object) == dimension
    chosen = flows[mask]
    target = chosen["target"].iat[0] if len(chosen) else None
    same = (flows["target"] == target).to_numpy() & (
        flows["material_key"].to_numpy(dtype=object) == key
    )
    counts = flows[same].groupby("source").size()
    selectors = [
        {"source": str(s), "material": str(m), "row": int(r) if counts.get(s, 0) > 1 else None}
        for s, m, r in zip(chosen["source"], chosen["material"], chosen["row"], strict=True)
    ]
    material = str(chosen["material"].iat[0]) if len(chosen) else key
    return {
        "material": material,
        "suppliers": list(dict.fromkeys(str(s) for s in chosen["source"])),
        "flows": selectors,
    }


def _public_table(table, streams, network, catalogue) -> pd.DataFrame:
    """The ranked candidates as a readable table (ids, names, units). O(c)."""
    columns = [
        "group", "rank", "kind", "fate", "source", "material", "stream_target", "row",
        "dimension", "quantity", "unit", "target", "target_sector", "new_plant", "distance_km",
        "value", "maturity", "pathway", "rule",
    ]  # fmt: skip
    if not len(table):
        empty = pd.DataFrame({c: pd.Series(dtype=object) for c in columns})
        numeric = {"rank": "int64", "row": "int64", "quantity": float, "distance_km": float}
        return empty.astype({**numeric, "value": float, "new_plant": bool})
    stream = table["stream"].to_numpy()
    firms = network.firms
    receiver = table["receiver"].to_numpy()
    new_plant = receiver < 0
    path = table["pathway"].to_numpy()
    pathways = catalogue.pathways
    sector_text = np.where(
        path >= 0,
        pathways["receiving_sector"].to_numpy(dtype=object)[np.maximum(path, 0)],
        firms["sector"].astype(str).to_numpy(dtype=object)[np.maximum(receiver, 0)],
    )
    ids = firms.index.to_numpy(dtype=object)[np.maximum(receiver, 0)]
    plants = {s: _plant_id(network, s) for s in set(sector_text[new_plant])}
    target = np.where(new_plant, _translate(sector_text, plants), ids)
    dimension = streams.dimension[stream]
    units = {d: f"{CANONICAL_UNITS[d]}/yr" for d in DIMENSIONS}
    return _frame(
        **{
            "group": table["group"].to_numpy(dtype=object),
            "rank": table["group_rank"].to_numpy(),
            "kind": table["kind"].to_numpy(dtype=object),
            "fate": streams.fate[stream],
            "source": streams.source[stream],
            "material": streams.material[stream],
            "stream_target": streams.target[stream],
            "row": streams.row[stream],
            "dimension": dimension,
            "quantity": table["quantity"].to_numpy(dtype=float),
            "unit": _translate(dimension, units),
            "target": target,
            "target_sector": sector_text,
            "new_plant": new_plant,
            "distance_km": table["distance_km"].to_numpy(dtype=float),
            "value": table["value"].to_numpy(dtype=float),
            "maturity": table["maturity"].to_numpy(dtype=object),
            "pathway": np.where(
                path >= 0, pathways["id"].to_numpy(dtype=object)[np.maximum(path, 0)], None
            ),
            "rule": table["rule"].to_numpy(dtype=object),
        }
    )


def _plants(table, streams, network, catalogue, max_feeds: int = 20) -> tuple[PlantProposal, ...]:
    """New-plant opportunities grouped by receiving sector, with their total feed (the
    ``max_feeds`` largest feeds are listed). O(c log c)."""
    if not len(table):
        return ()
    plants = table[table["receiver"].to_numpy() < 0]
    if not len(plants):
        return ()
    pathways = catalogue.pathways
    stream = plants["stream"].to_numpy()
    feeds = _frame(
        sector=plants["sector"].to_numpy(dtype=object),
        group=plants["group"].to_numpy(dtype=object),
        source=streams.source[stream],
        material=streams.material[stream],
        fate=streams.fate[stream],
        dimension=streams.dimension[stream],
        quantity=streams.value[stream],
        pathway=pathways["id"].to_numpy(dtype=object)[plants["pathway"].to_numpy()],
        row=plants["pathway"].to_numpy(),
    )
    sums = (
        feeds.dropna(subset=["dimension", "quantity"])
        .groupby(["sector", "group", "dimension"])["quantity"]
        .sum()
    )
    totals: dict[tuple[str, str], dict[str, float]] = {}
    for (sector, group, dimension), amount in sums.items():
        totals.setdefault((sector, group), {})[dimension] = float(amount)
    proposals = []
    for sector, group in feeds.groupby("sector", sort=False):
        rows = pathways.iloc[np.unique(group["row"].to_numpy())]
        name = rows["receiving_sector"].iat[0]
        largest = group.sort_values("quantity", ascending=False, na_position="last")
        listed = [
            {k: _none(v) for k, v in record.items() if k not in ("sector", "group", "row")}
            for record in largest.head(max_feeds).to_dict("records")
        ]
        tiers = [_MATURITY_TIER.get(m, 1) for m in rows["maturity"]]

        def total(kind, sector=sector):
            found = totals.get((sector, kind), {})
            return {d: found[d] for d in DIMENSIONS if d in found}

        proposals.append(
            PlantProposal(
                sector=name,
                plant_id=_plant_id(network, name),
                dumped=total("dumped"),
                sold=total("sold"),
                products_in=total("downstream"),
                feeds=tuple(listed),
                pathways=tuple(dict.fromkeys(rows["id"])),
                products=tuple(dict.fromkeys(p for p in rows["product"] if p)),
                maturity=rows["maturity"].iat[int(np.argmin(tiers))],
                sources=tuple(dict.fromkeys(rows["source"])),
            )
        )

    def order(plant: PlantProposal):
        amounts = plant.dumped or plant.sold or plant.products_in
        first = next((amounts[d] for d in DIMENSIONS if d in amounts), 0.0)
        dims = [i for i, d in enumerate(DIMENSIONS) if d in amounts] or [9]
        empty = 0 if plant.dumped else 1 if plant.sold else 2
        return (empty, _MATURITY_TIER.get(plant.maturity, 1), dims[0], -first, plant.sector)

    return tuple(sorted(proposals, key=order))


def _uncovered(streams: _Streams, candidates: pd.DataFrame) -> pd.DataFrame:
    """Residual streams that no candidate covers, summed by material, dimension and fate."""
    columns = ["material", "material_key", "dimension", "fate", "streams", "quantity", "unit"]
    covered = np.zeros(len(streams), dtype=bool)
    covered[candidates["stream"].to_numpy()] = True
    left = np.flatnonzero(~covered & (streams.fate != "product"))
    if not len(left):
        return pd.DataFrame({c: pd.Series(dtype=object) for c in columns})
    frame = _frame(
        material_key=streams.key[left],
        dimension=streams.dimension[left],
        fate=streams.fate[left],
        material=streams.material[left],
        value=streams.value[left],
    )
    grouped = frame.groupby(["material_key", "dimension", "fate"], dropna=False, sort=False)
    table = grouped.agg(
        material=("material", "first"), streams=("value", "size"), quantity=("value", "sum")
    ).reset_index()
    units = {d: f"{CANONICAL_UNITS[d]}/yr" for d in DIMENSIONS}
    table["unit"] = table["dimension"].map(units)
    table = table.sort_values(["dimension", "quantity"], ascending=[True, False])
    return table[columns].reset_index(drop=True)
