"""Candidates: matching streams to receivers through the catalogue.

A candidate is one (stream, receiver, catalogue row) triple with its kind. Streams match
catalogue rows by material (:meth:`~symbiosis.catalogue.Catalogue.match`, one lookup per
distinct material); each (stream, receiving sector) pair gets its receivers from the
actors of that sector (:mod:`.receivers`); actors that buy the stream's material, or a
primary material it substitutes, from primary supply give redirects (:mod:`.redirects`).

Everything is held as numpy arrays of integer codes (:class:`Candidates`); text appears
only when a listed opportunity or the public table is built.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np
import pandas as pd

from ...catalogue import CODE_RULES
from ...vocabulary import CATEGORIES
from .carriers import admits
from .hazards import hazardous_rows_for
from .in_house import IN_HOUSE, in_house_rows, takes_back
from .materials import SOURCE_SECTOR_RULES, TAXONOMY_RULES, rows_for
from .parts import part_rows
from .pools import hostless, pools, row_pools, runs_process, unnamed_process
from .receivers import Context, choose
from .result import CAPPED_RULES, KINDS, NETWORK_RULES, SOURCE_RULE, WEAK_RULES
from .streams import Streams

__all__ = [
    "BASE_RULES",
    "CAPPED_CODES",
    "SMALL_CODES",
    "WEAK_CODES",
    "Candidates",
    "catalogue_rules",
    "constant",
    "pathway_pairs",
    "sector_candidates",
]

#: Rule codes 0..15: the network's (:data:`.result.NETWORK_RULES`), then a row met by its
#: source's process and the network's evidence of a purer grade (:mod:`.purity`), then a
#: row met as the member of a generic material its source's sector makes (:mod:`.origins`);
#: the ``substitutes <key>`` rules follow (:func:`catalogue_rules`). Fixed codes: the
#: ranking and the public table tell the :data:`WEAK_CODES` and :data:`CAPPED_CODES` from
#: them.
BASE_RULES = ("name", "synonym", "material code", "same material", *TAXONOMY_RULES,
              *CODE_RULES[1:], *NETWORK_RULES, SOURCE_RULE, *CAPPED_RULES,
              *SOURCE_SECTOR_RULES)  # fmt: skip
#: The codes of :data:`.result.WEAK_RULES` in :data:`BASE_RULES`.
WEAK_CODES = np.array([BASE_RULES.index(rule) for rule in WEAK_RULES], dtype=np.int32)
#: The codes of :data:`.result.CAPPED_RULES` (``demonstrated`` at most, not weak).
CAPPED_CODES = np.array([BASE_RULES.index(rule) for rule in CAPPED_RULES], dtype=np.int32)
_BY_PRODUCT = CATEGORIES.index("by-product")
_KIND = {kind: np.int8(i) for i, kind in enumerate(KINDS)}


@dataclass(frozen=True, eq=False)
class Candidates:
    """Candidates as parallel arrays: ``stream`` (index into the streams), ``pathway``
    (catalogue row, -1 for a same-material redirect), ``rule`` (index into ``rules``),
    ``kind`` (index into :data:`KINDS`), ``receiver`` (node position, -1 for a new
    plant), ``sector`` (index into the context's sector vocabulary, 0 = none),
    ``distance_km``, ``quantity``, ``replaced`` (a redirect's primary input),
    ``replaced_key`` (its material key code, -1 for none), and the receiver's
    ``capacity`` for the stream (NaN: unknown) with its ``capacity_group`` (rows sharing
    one limit, -1 for none; see :mod:`.capacity`).

    The small codes (``pathway``, ``rule``, ``sector``, ``replaced_key`` and
    ``capacity_group``: catalogue rows, rules, sectors, material keys, groups) are held
    as int32 (:data:`SMALL_CODES`), 40 MB less at 1M flows; ``stream`` and ``receiver``
    stay int64, since keys are computed from them (``stream * (n_nodes + 1) +
    receiver``), and an int32 code only meets int64 arrays or indexes."""

    stream: np.ndarray
    pathway: np.ndarray
    rule: np.ndarray
    kind: np.ndarray
    receiver: np.ndarray
    sector: np.ndarray
    distance_km: np.ndarray
    quantity: np.ndarray
    replaced: np.ndarray
    replaced_key: np.ndarray
    capacity: np.ndarray
    capacity_group: np.ndarray
    rules: tuple[str, ...] = BASE_RULES

    def __post_init__(self):
        for name in SMALL_CODES:
            column = getattr(self, name)
            if column.dtype != np.int32:
                object.__setattr__(self, name, _as_int32(column))

    def __len__(self) -> int:
        return len(self.stream)

    def rows(self, start: int, stop: int) -> Candidates:
        """The rows ``start`` to ``stop`` (exclusive), as views of the columns. O(1)."""
        columns = {f.name: getattr(self, f.name)[start:stop] for f in fields(self)
                   if f.name != "rules"}  # fmt: skip
        return Candidates(**columns, rules=self.rules)

    def take(self, index: np.ndarray) -> Candidates:
        """The rows at ``index`` (a boolean mask or positions), in that order."""
        columns = {f.name: _taken(getattr(self, f.name), index) for f in fields(self)
                   if f.name != "rules"}  # fmt: skip
        return Candidates(**columns, rules=self.rules)

    @staticmethod
    def concat(parts: list[Candidates], rules: tuple[str, ...]) -> Candidates:
        """The parts one after the other. The list is emptied: each part's column is
        let go as soon as it is copied (when nothing else holds the parts), so that the
        peak is the parts and one column more, not twice the parts (at a million flows,
        2M rows: ~100 MB less)."""
        names = [f.name for f in fields(Candidates) if f.name != "rules"]
        if not parts:
            return Candidates.empty(rules)
        held = [{n: getattr(p, n) for n in names} for p in parts]
        parts.clear()
        columns = {n: _concatenated([h.pop(n) for h in held]) for n in names}
        return Candidates(**columns, rules=rules)

    @staticmethod
    def empty(rules: tuple[str, ...] = BASE_RULES) -> Candidates:
        ints, small, floats = np.zeros(0, np.int64), np.zeros(0, np.int32), np.zeros(0)
        return Candidates(ints, small, small, ints.astype(np.int8), ints, small, floats, floats,
                          floats, small, floats, small, rules)  # fmt: skip


#: Candidate columns held as int32 (see :class:`Candidates`).
SMALL_CODES = ("pathway", "rule", "sector", "replaced_key", "capacity_group")


def _as_int32(column: np.ndarray) -> np.ndarray:
    """An integer column as int32 (a constant stays one); its values must fit."""
    if len(column) and not column.strides[0]:  # a broadcast constant
        return constant(column[0], len(column), np.int32)
    return column.astype(np.int32)


def _is_constant(column: np.ndarray) -> bool:
    return len(column) > 0 and not column.strides[0]


def _taken(column: np.ndarray, index: np.ndarray) -> np.ndarray:
    """``column[index]``; a constant stays one (no array of every row)."""
    if _is_constant(column):
        index = np.asarray(index)
        n = int(np.count_nonzero(index)) if index.dtype == bool else len(index)
        return constant(column[0], n, column.dtype)
    return column[index]


def _concatenated(columns: list[np.ndarray]) -> np.ndarray:
    """``np.concatenate(columns)``; one constant in every (non-empty) part stays one:
    the capacities, filled in later, are not copied."""
    full = [c for c in columns if len(c)]
    if full and all(_is_constant(c) for c in full):
        first = full[0][:1]
        if all(c.dtype == first.dtype and c[:1].tobytes() == first.tobytes() for c in full):
            return constant(first[0], sum(len(c) for c in full), first.dtype)
    return np.concatenate(columns)


def constant(value, n: int, dtype) -> np.ndarray:
    """``n`` copies of ``value``, read-only, in the memory of one: a column of a part
    that :meth:`Candidates.concat` copies anyway (the capacities are filled in later)."""
    return np.broadcast_to(np.array(value, dtype=dtype), (n,))


def catalogue_rules(ctx: Context) -> tuple[str, ...]:
    """The rules of the candidates: :data:`BASE_RULES` (the network's included), then a
    ``substitutes <key>`` rule per substitute the catalogue names, in catalogue order.
    Known before any candidate is found, so that the stages (which may run side by side)
    share fixed codes."""
    return tuple(dict.fromkeys([*BASE_RULES, *("substitutes " + t for t in ctx.substitute_text)]))


# ---------------------------------------------------------------------------- pairs


@dataclass(frozen=True, eq=False)
class Pairs:
    """(stream, pathway, rule) for every catalogue row a stream matches, in stream order
    and, for one stream, in catalogue order."""

    stream: np.ndarray
    pathway: np.ndarray
    rule: np.ndarray

    def __len__(self) -> int:
        return len(self.stream)


def pathway_pairs(ctx: Context) -> Pairs:
    """Match every stream against the catalogue: one :meth:`Catalogue.match` per distinct
    (material key, codes), then a vectorised expansion. A product stream only matches
    downstream rows and a residue only the others, but a by-product meets both: a
    material the catalogue lists as a product (pig iron from titanium-slag furnaces, sold
    raw) is one whatever the flow's category; a row with a dimension only matches
    streams of it, but an energy row also steam in tonnes (:mod:`.carriers`).
    O(s + matches)."""
    streams, catalogue = ctx.streams, ctx.catalogue
    combo, keys, codes, key_codes, hazardous = _combos(streams, ctx.hazardous_material)
    # a name in two scripts, "A (B)", that is no catalogue name: by a part's name
    matched = [catalogue.match(k, c) or part_rows(ctx, k) for k, c in zip(keys, codes, strict=True)]
    # names the catalogue does not know directly: through the taxonomy; a hazardous one
    # only to its material's rows of a hazardous grade (a row is written for the
    # material's ordinary grade unless a code of it is hazardous: .hazards)
    matched = [m or (hazardous_rows_for(ctx, int(k)) if h else rows_for(ctx, int(k)))
               for m, k, h in zip(matched, key_codes, hazardous, strict=True)]  # fmt: skip
    count = np.array([len(m) for m in matched], dtype=np.int64)
    flat_path = np.array([p for m in matched for p, _ in m], dtype=np.int64)
    flat_rule = np.array([BASE_RULES.index(r) for m in matched for _, r in m], dtype=np.int64)
    per_stream = count[combo]
    stream = np.repeat(np.arange(len(streams)), per_stream)
    start = (np.cumsum(count) - count)[combo]
    offset = np.arange(len(stream)) - np.repeat(np.cumsum(per_stream) - per_stream, per_stream)
    flat = np.repeat(start, per_stream) + offset
    path, rule = flat_path[flat], flat_rule[flat]
    is_product = streams.fate_code[stream] == 3  # FATES.index("product")
    by_product = streams.category[stream] == _BY_PRODUCT
    keep = np.where(ctx.downstream[path], is_product | by_product, ~is_product)
    keep &= admits(ctx, path, stream)  # the row's dimension, or steam in t on a GJ row
    return Pairs(stream[keep], path[keep], rule[keep])


def _combos(streams: Streams, hazardous: np.ndarray) -> tuple[np.ndarray, list, list, list, list]:
    """Each stream's index among the distinct (key, codes, hazardous) it carries, and
    those: key texts, code tuples, key codes and whether hazardous."""
    if streams.codes is None:
        combo, distinct = pd.factorize(streams.key_code * 2 + hazardous)
        keys = list(streams.core.material_keys[distinct // 2])
        return (combo.astype(np.int64), keys, [()] * len(keys), list(distinct // 2),
                list(distinct % 2 == 1))  # fmt: skip
    triples = zip(streams.key_code, streams.codes, hazardous.tolist(), strict=True)
    combo, distinct = pd.factorize(pd.Series(list(triples), dtype=object))
    keys = [streams.core.material_keys[k] for k, _, _ in distinct]
    return (combo.astype(np.int64), keys, [c for _, c, _ in distinct],
            [k for k, _, _ in distinct], [h for _, _, h in distinct])  # fmt: skip


# ---------------------------------------------------------------------------- sectors


def sector_candidates(ctx: Context, pairs: Pairs, part: tuple[int, int] = (0, 1)) -> Candidates:
    """Receivers of each (stream, receiving sector): up to ``per_stream`` actors of the
    sector, or a new plant (receiver -1) when none is left, or beside them, after them,
    when each is a member by a family name only (:func:`.pools.unnamed_process`). Kinds:
    ``expand`` if the
    receiver already takes the material, ``new_link`` if not, ``new_plant`` (never of a
    sector that stands where a deposit is: an oil field, nor for a row of a minor role,
    :data:`.receivers.MINOR_ROLES`), ``downstream`` for a
    product stream on a product row (a by-product on one is a residue like any other),
    and ``in_house`` for a disposed stream back to its source, which runs the row's
    process (:mod:`.in_house`). Parts by receiving sector in order of first use,
    then stream. ``part`` ``(i, n)``: only the i-th of n runs of those sectors, of about
    as many pairs each; the n parts, one after the other, are the whole (two threads
    each find one). O(s log a) for s (stream, sector) pairs and a actors (one k-d tree
    query per distinct source and sector)."""
    if not len(pairs):
        return Candidates.empty()
    sector = ctx.path_sector[pairs.pathway]
    parts = []
    number, codes = pd.factorize(sector)  # receiving sectors in order of first use
    # the rows of each, ascending: one stable sort of the few codes (a radix sort of
    # small integers), not a scan of every row per sector
    small = np.uint16 if len(codes) <= np.iinfo(np.uint16).max else np.int64
    by_sector = np.argsort(number.astype(small), kind="stable")
    bounds = np.searchsorted(number[by_sector], np.arange(len(codes) + 1))
    first, last = np.searchsorted(
        bounds, [len(pairs) * i / part[1] for i in (part[0], part[0] + 1)]
    )
    if first == last:
        return Candidates.empty()
    pool_of = row_pools(ctx)[pairs.pathway]  # the sector's actors that the row admits
    pooled = pools(ctx, pool_of[by_sector[bounds[first] : bounds[last]]])
    for g in range(first, last):
        in_sector = by_sector[bounds[g] : bounds[g + 1]]
        for pool in dict.fromkeys(pool_of[in_sector].tolist()):  # mostly one per sector
            rows = in_sector[pool_of[in_sector] == pool]
            stream = pairs.stream[rows]  # ascending: pairs are in stream order
            ids = stream[np.r_[True, stream[1:] != stream[:-1]]]
            chosen = choose(ctx, ids, pooled.get(pool))
            beside = unnamed_process(ctx, pool, chosen.receiver) if chosen.count.any() else None
            at = np.searchsorted(ids, stream)
            index, receiver, distance = chosen.expand(at, none=True, beside=beside)
            own = runs_process(ctx, pool, pooled.get(pool), ctx.streams.source_position[ids])
            if own.any():  # no new plant beside a source that could reuse its stream
                plant = np.flatnonzero((receiver < 0) & own[at[index]])
                plant = plant[takes_back(ctx, rows[index[plant]], pairs)]
                keep = np.ones(len(index), dtype=bool)
                keep[plant] = False
                index, receiver, distance = index[keep], receiver[keep], distance[keep]
            parts.append((rows[index], receiver, distance))
            if own.any():  # and its disposed stream proposed back to it (.in_house)
                mine = in_house_rows(ctx, rows, pairs, own[at])
                parts.append((mine, ctx.streams.source_position[pairs.stream[mine]],
                              np.zeros(len(mine))))  # fmt: skip
    rows = np.concatenate([p[0] for p in parts])
    receiver = np.concatenate([p[1] for p in parts])
    distance = np.concatenate([p[2] for p in parts])
    del parts  # before the columns below are made: a lower peak
    plant = np.flatnonzero(receiver < 0)  # looked at alone: a few of the rows
    plant_path = pairs.pathway[rows[plant]]
    # no new oil field (only the sector's actors take it), no satellite without its host
    # (a PCC plant without a paper mill), and no plant built for an additive, a fuel or a
    # utility (the row's role): dropped here, not copied first
    plant_sector = ctx.path_sector[plant_path]
    unbuilt = plant[ctx.site_bound[plant_sector] | hostless(ctx)[plant_sector]
                    | ctx.minor_role[plant_path]]  # fmt: skip
    if len(unbuilt):
        keep = np.ones(len(rows), dtype=bool)
        keep[unbuilt] = False
        rows, receiver, distance = rows[keep], receiver[keep], distance[keep]
    stream, path = pairs.stream[rows], pairs.pathway[rows]
    has = receiver >= 0
    expand = np.zeros(len(rows), dtype=bool)
    expand[has] = ctx.takes(receiver[has], ctx.streams.key_code[stream[has]])
    kind = np.where(has, np.where(expand, _KIND["expand"], _KIND["new_link"]), _KIND["new_plant"])
    downstream = ctx.downstream[path] & (ctx.streams.fate_code[stream] == 3)  # a product
    kind = np.where(downstream, _KIND["downstream"], kind).astype(np.int8)
    # the stream's own source, which no other rule proposes (.receivers.choose): in-house
    kind[has & (receiver == ctx.streams.source_position[stream])] = IN_HOUSE
    return Candidates(
        stream=stream,
        pathway=path,
        rule=pairs.rule[rows],
        kind=kind,
        receiver=receiver,
        sector=ctx.path_sector[path],
        distance_km=distance,
        quantity=ctx.streams.value[stream],
        replaced=constant(np.nan, len(rows), float),
        replaced_key=constant(-1, len(rows), np.int32),
        capacity=constant(np.nan, len(rows), float),
        capacity_group=constant(-1, len(rows), np.int32),
    )
