"""Capacity: how much of a stream a receiver can take.

No single greenhouse takes 12.75 Mt of CO2: each candidate gets the most its receiver can
use, from the first of these that applies, and its quantity is the smaller of the stream
and that capacity:

=====================  ================================================================
source                 capacity
=====================  ================================================================
``demand``             a row of the user's ``demands.csv`` (:mod:`symbiosis.io.demands`)
                       for the receiver and the stream's material (same name, the same
                       taxonomy material, or a shared code), in the stream's dimension
``redirect``           the primary input the stream replaces (as before: a redirect cuts
                       that input by as much)
``substitutes``        the receiver's purchases from primary supply of the materials the
                       catalogue row says the stream replaces, divided by the row's
                       ``substitution_ratio`` (1 when not given)
``typical plant``      for a proposed plant, the catalogue row's ``receiver_capacity``
                       (in ``capacity_unit``): what one plant of the kind takes
=====================  ================================================================

Otherwise the capacity is unknown (NaN) and the whole stream is proposed, as before. Rows
sharing one limit share a *capacity group* (one demand row; one receiver's purchases of one
set of substitutes; one proposed plant per sector and dimension): the cumulative impact and
the optimal allocation never give a group more than its limit in all.

Complexity: O(c + f) for c candidates and f flows, plus one taxonomy lookup per distinct
(demand, stream material).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np

from ...io.demands import Demand
from ...units import DIMENSIONS, UnknownUnitError, parse_unit
from ...vocabulary import material_key
from .candidates import Candidates, primary_mask
from .materials import taxonomy_classes
from .receivers import Context

__all__ = ["CAPACITY_SOURCES", "Capacities", "with_capacities"]

CAPACITY_SOURCES = ("demand", "redirect", "substitutes", "typical plant")


@dataclass(frozen=True)
class Capacities:
    """Per capacity group: its ``limit`` (canonical unit of its dimension), its
    ``source`` (one of :data:`CAPACITY_SOURCES`) and a ``detail`` saying where the number
    comes from (a file and row, the substituted materials, the catalogue row)."""

    limit: tuple[float, ...] = ()
    source: tuple[str, ...] = ()
    detail: tuple[str, ...] = ()

    def describe(self, group: int) -> dict | None:
        if group < 0:
            return None
        return {"limit": self.limit[group], "source": self.source[group],
                "detail": self.detail[group]}  # fmt: skip


def with_capacities(
    ctx: Context, candidates: Candidates, demands: tuple[Demand, ...] = ()
) -> tuple[Candidates, Capacities]:
    """The candidates with ``capacity`` and ``capacity_group`` filled in (module
    docstring) and ``quantity`` cut to the capacity; and the groups. O(c + f)."""
    groups = _Groups()
    n = len(candidates)
    capacity = np.full(n, np.nan)
    group = np.full(n, -1, dtype=np.int64)
    for assign in (_demand, _redirect, _substitutes, _typical_plant):
        open_ = np.isnan(capacity)
        if not open_.any():
            break
        assign(ctx, candidates, open_, capacity, group, groups, demands)
    quantity = np.where(np.isnan(capacity), candidates.quantity,
                        np.minimum(candidates.quantity, capacity))  # fmt: skip
    updated = dataclasses.replace(
        candidates, capacity=capacity, capacity_group=group, quantity=quantity
    )
    return updated, groups.freeze()


class _Groups:
    def __init__(self):
        self.keys: dict[tuple, int] = {}
        self.limit: list[float] = []
        self.source: list[str] = []
        self.detail: list[str] = []

    def code(self, key: tuple, limit: float, source: str, detail: str) -> int:
        if key not in self.keys:
            self.keys[key] = len(self.limit)
            self.limit.append(float(limit))
            self.source.append(source)
            self.detail.append(detail)
        return self.keys[key]

    def freeze(self) -> Capacities:
        return Capacities(tuple(self.limit), tuple(self.source), tuple(self.detail))


def _demand(ctx, candidates, open_, capacity, group, groups, demands) -> None:
    """A demand row of the receiver for the stream's material, in its dimension."""
    if not demands:
        return
    core, streams = ctx.core, ctx.streams
    index = {str(i): p for p, i in enumerate(core.ids)}
    material, *_ = taxonomy_classes(ctx)
    stream_key = streams.key_code[candidates.stream]
    stream_material = np.where(stream_key >= 0, material[np.maximum(stream_key, 0)], -1)
    stream_dim = streams.dimension[candidates.stream]
    keys = {k: i for i, k in enumerate(core.material_keys)}
    for number, demand in enumerate(demands):
        receiver = index.get(demand.firm, -2)
        key = keys.get(material_key(demand.material), -3) if demand.material else -3
        kin = material[key] if key >= 0 else _resolved(ctx, demand.material, material)
        same = (stream_key == key) | ((stream_material == kin) & (kin >= 0))
        if demand.codes and streams.codes is not None:
            codes = set(demand.codes)
            same |= np.array([bool(codes & set(c)) for c in streams.codes[candidates.stream]])
        rows = open_ & (candidates.receiver == receiver) & same
        rows &= stream_dim == DIMENSIONS.index(demand.dimension)
        if rows.any():
            detail = f"{demand.file}:{demand.row}"
            g = groups.code(("demand", number), demand.value, "demand", detail)
            capacity[rows], group[rows] = demand.value, g


def _resolved(ctx, name: str, material: np.ndarray) -> int:
    """The taxonomy material code (as in ``material``) of a name no flow carries."""
    from ...taxonomy import default_taxonomy

    match = default_taxonomy().resolve(name)
    if match is None:
        return -1
    names = taxonomy_classes(ctx)[4]
    for code, found in enumerate(names):
        if found is not None and found.material == match.material:
            return int(material[code])
    return -1


def _redirect(ctx, candidates, open_, capacity, group, groups, demands) -> None:
    """A redirect: the primary input it replaces (one group per receiver and input)."""
    rows = np.flatnonzero(open_ & ~np.isnan(candidates.replaced))
    for row in rows.tolist():
        receiver, key = int(candidates.receiver[row]), int(candidates.replaced_key[row])
        material = str(ctx.core.material_keys[key]) if key >= 0 else "?"
        g = groups.code(("redirect", receiver, key), candidates.replaced[row], "redirect",
                        f"its purchases of {material}")  # fmt: skip
        capacity[row], group[row] = candidates.replaced[row], g


def _substitutes(ctx, candidates, open_, capacity, group, groups, demands) -> None:
    """An actor receiver on a catalogue row with substitutes: its primary purchases of
    them (in the stream's dimension) over the row's substitution ratio."""
    pathways = ctx.catalogue.pathways
    rows = np.flatnonzero(open_ & (candidates.receiver >= 0) & (candidates.pathway >= 0))
    if not len(rows):
        return
    bought = _primary_purchases(ctx)
    keys = {k: i for i, k in enumerate(ctx.core.material_keys)}
    ratio = _numbers(pathways, "substitution_ratio")
    dims = ctx.streams.dimension[candidates.stream]
    for row in rows.tolist():
        path, receiver, dim = int(candidates.pathway[row]), int(candidates.receiver[row]), dims[row]
        substitutes = [keys[k] for k in pathways["substitute_keys"].iat[path] if k in keys]
        total = sum(bought.get((receiver, k, int(dim)), 0.0) for k in substitutes)
        if total <= 0:
            continue
        factor = ratio[path] if ratio[path] > 0 else 1.0
        limit = total / factor
        names = ", ".join(pathways["substitute_keys"].iat[path])
        g = groups.code(("substitutes", receiver, tuple(substitutes), int(dim)), limit,
                        "substitutes", f"its purchases of {names}")  # fmt: skip
        capacity[row], group[row] = limit, g


def _primary_purchases(ctx) -> dict[tuple[int, int, int], float]:
    """(receiver, material key, dimension) -> quantity bought from primary supply."""
    core = ctx.core
    mask = primary_mask(ctx)
    out: dict[tuple[int, int, int], float] = {}
    for t, k, d, v in zip(core.target[mask].tolist(), core.material_key_code[mask].tolist(),
                          core.dimension[mask].tolist(), core.value[mask].tolist(),
                          strict=True):  # fmt: skip
        out[(t, k, d)] = out.get((t, k, d), 0.0) + v
    return out


def _typical_plant(ctx, candidates, open_, capacity, group, groups, demands) -> None:
    """A proposed plant: the catalogue row's typical intake (one group per plant)."""
    pathways = ctx.catalogue.pathways
    if "receiver_capacity" not in pathways:
        return
    rows = np.flatnonzero(open_ & (candidates.receiver < 0) & (candidates.pathway >= 0))
    dims = ctx.streams.dimension[candidates.stream]
    for row in rows.tolist():
        path = int(candidates.pathway[row])
        limit = _typical(pathways, path, int(dims[row]))
        if limit is None:
            continue
        key = ("plant", int(candidates.sector[row]), int(dims[row]))
        g = groups.code(key, limit, "typical plant", f"catalogue row {pathways['id'].iat[path]}")
        capacity[row], group[row] = groups.limit[g], g


def _typical(pathways, path: int, dimension: int) -> float | None:
    text = str(pathways["receiver_capacity"].iat[path] or "").strip()
    unit = str(pathways.get("capacity_unit", {}).iat[path] if "capacity_unit" in pathways
               else "").strip()  # fmt: skip
    try:
        value = float(text)
        info = parse_unit(unit)
    except (ValueError, UnknownUnitError):
        return None
    if dimension < 0 or info.dimension != DIMENSIONS[dimension] or not value > 0:
        return None
    return value * info.factor


def _numbers(pathways, column: str) -> np.ndarray:
    if column not in pathways:
        return np.zeros(len(pathways))
    return np.array([_float(x) for x in pathways[column]])


def _float(text) -> float:
    try:
        return float(text)
    except (TypeError, ValueError):
        return 0.0
