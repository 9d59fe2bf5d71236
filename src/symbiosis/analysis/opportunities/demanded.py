"""Demand rows as capacities: what a firm says it can take of a material in all.

A row of ``demands.csv`` (:mod:`symbiosis.io.demands`) is the firm's *total* intake of
that material per year, not an amount on top of what it takes now: a backfill plant that
"can take 3.5 Mt of tailings" and takes 2.5 Mt now has room for 1 Mt more (it was offered
3.5 Mt more until the tester-cities2 round). The capacity of the streams of that material
to the firm is the row's quantity less what the firm takes of the material now (the
same names, the same taxonomy material), at least 0 (:mod:`.capacity`, source
``demand``).

Complexity: O(f) once for the flows into the demands' firms, then per demand row O(c)
for c candidates plus the flows into its firm.
"""

from __future__ import annotations

import numpy as np

from ...units import DIMENSIONS
from ...vocabulary import material_key
from .materials import taxonomy_classes, taxonomy_of

__all__ = ["demand_capacities", "unproposed_note"]


def demand_capacities(ctx, candidates, open_, capacity, group, groups, demands) -> None:
    """A demand row of the receiver for the stream's material, in its dimension: the
    firm's total intake of that material, less what it takes of it now
    (:func:`_taken_now`), at least 0."""
    if not demands:
        return
    core, streams = ctx.core, ctx.streams
    index = {str(i): p for p, i in enumerate(core.ids)}
    material, *_ = taxonomy_classes(ctx)
    stream_key = streams.key_code[candidates.stream]
    stream_dim = streams.dimension[candidates.stream]
    keys = {k: i for i, k in enumerate(core.material_keys)}
    intakes = _intakes_of(core, [index.get(d.firm, -2) for d in demands])
    for demand in demands:
        receiver = index.get(demand.firm, -2)
        key, kin, same = _same(ctx, demand, candidates.stream, keys, material)
        rows = open_ & (candidates.receiver == receiver) & same
        dimension = DIMENSIONS.index(demand.dimension)
        rows &= stream_dim == dimension
        if rows.any():
            where = np.flatnonzero(rows)
            kinds = np.unique(np.r_[stream_key[where], key])
            taken = _taken_now(intakes, receiver, dimension, kinds, material, kin)
            limit = max(demand.value - taken, 0.0)
            detail = f"{demand.file}:{demand.row}"
            if taken > 0:
                detail += (f" (its total of {demand.value:,.0f}, less the {taken:,.0f} it "
                           "takes now)")  # fmt: skip
            limits = np.full(len(where), limit)
            same_row = np.zeros(len(where), dtype=np.int64)
            codes = groups.add(same_row, limits, "demand", lambda _, d=detail: lambda _j: d)
            capacity[where], group[where] = limit, codes


def _same(ctx, demand, stream: np.ndarray, keys: dict, material: np.ndarray):
    """The demand's material key code (-3: none), its taxonomy material code (-1: none),
    and per stream of ``stream`` whether it carries that material: the same name, the
    same taxonomy material or a shared code. O(len(stream))."""
    streams = ctx.streams
    key = keys.get(material_key(demand.material), -3) if demand.material else -3
    kin = material[key] if key >= 0 else _resolved(ctx, demand.material, material)
    stream_key = streams.key_code[stream]
    stream_material = np.where(stream_key >= 0, material[np.maximum(stream_key, 0)], -1)
    same = (stream_key == key) | ((stream_material == kin) & (kin >= 0))
    if demand.codes and streams.codes is not None:
        codes = set(demand.codes)
        same |= np.array([bool(codes & set(c)) for c in streams.codes[stream]], dtype=bool)
    return key, kin, same


def unproposed_note(ctx, candidates, demands) -> str | None:
    """The note on the demand rows that bound nothing though a stream leaving the network
    carries their material in their dimension: no candidate proposes such a stream to
    their firm (a firm is proposed its own stream only back into a process of it, when it
    is disposed: :mod:`.in_house`; nor one a rule ruled out), so the row sets no
    capacity. The reader warns of rows whose material no flow carries
    (:mod:`symbiosis.io.demand_checks`); these it cannot tell, as they depend on the
    candidates. None when there is none. O(d (s + c)) for d rows."""
    if not demands:
        return None
    core, streams = ctx.core, ctx.streams
    index = {str(i): p for p, i in enumerate(core.ids)}
    keys = {k: i for i, k in enumerate(core.material_keys)}
    material, *_ = taxonomy_classes(ctx)
    everyone = np.arange(len(streams))
    unmet = []
    for demand in demands:
        if demand.firm not in index or not demand.dimension:
            continue
        dimension = DIMENSIONS.index(demand.dimension)
        carried = _same(ctx, demand, everyone, keys, material)[2]
        carried &= streams.dimension == dimension
        if not carried.any():
            continue
        mine = np.flatnonzero(candidates.receiver == index[demand.firm])
        if _same(ctx, demand, candidates.stream[mine], keys, material)[2].any():
            continue
        own = (streams.source_position[carried] == index[demand.firm]).all()
        named = demand.material or "; ".join(demand.codes)
        unmet.append(f"'{named}' for '{demand.firm}' ({demand.file}:{demand.row}"
                     + (": its own stream" if own else "") + ")")  # fmt: skip
    if not unmet:
        return None
    shown = "; ".join(unmet[:5]) + (f" and {len(unmet) - 5} more" if len(unmet) > 5 else "")
    return (
        f"{len(unmet)} demand row(s) name a material that streams leaving the network carry, "
        f"but no opportunity proposes one of them to the row's firm: {shown}; they set no "
        "capacity (a firm is proposed its own stream only when it disposes of it and runs "
        "a catalogue pathway's process for it, in-house; what it takes back of it is "
        "recorded as a flow from the firm to itself)"
    )


def _intakes_of(core, receivers: list[int]) -> tuple[np.ndarray, ...]:
    """The flows of known quantity into the ``receivers`` (node positions): their
    target, material key code, dimension and quantity. O(f), once for every demand."""
    into = np.isin(core.target, np.asarray(receivers, dtype=np.int64))
    into &= (core.dimension >= 0) & ~np.isnan(core.value) & (core.material_key_code >= 0)
    return (core.target[into], core.material_key_code[into], core.dimension[into],
            core.value[into])  # fmt: skip


def _taken_now(intakes, receiver: int, dimension: int, keys, material, kin: int) -> float:
    """What ``receiver`` takes now, in ``dimension``, of the material keys ``keys`` (the
    demand's and its streams') or of the taxonomy material ``kin`` (none when < 0): a
    demand's quantity is the firm's total of that material, not more on top of it."""
    target, key, dims, value = intakes
    mine = (target == receiver) & (dims == dimension)
    same = np.isin(key, keys) | ((material[key] == kin) & (kin >= 0))
    return float(value[mine & same].sum())


def _resolved(ctx, name: str, material: np.ndarray) -> int:
    """The taxonomy material code (as in ``material``) of a name no flow carries."""
    match = taxonomy_of(ctx).resolve(name)
    if match is None:
        return -1
    names = taxonomy_classes(ctx)[4]
    for code, found in enumerate(names):
        if found is not None and found.material == match.material:
            return int(material[code])
    return -1
