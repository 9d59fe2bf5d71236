"""Generic materials read by their source's process: a plain ``slag`` from a steel works is
steel slag, from a copper smelter copper slag; a plain ``ash`` from a coal-fired plant fly
ash, from a biomass boiler biomass ash, from a waste incinerator MSWI bottom ash (the rows
of ``origins.csv`` refining ``ash``; docs/opportunities.md). The slags are described below;
the ashes are read the same way.

Every slag of the taxonomy is one process's (blast furnace, steel, copper, nickel, lead and
zinc, tin, ferroalloy slags: marked apart), so a stream whose name resolves only to the
generic ``slag`` (``slag``, ``slags``, ``furnace slag``, 渣, 冶炼渣, スラグ, 슬래그) meets
none of their catalogue rows by its name: a nickel smelter's slag had met GGBS. But its
source's sector says which slag it is. When that sector text names the process of a member
(:mod:`symbiosis.catalogue.origins`: ``ironmaking``, ``blast furnace`` -> blast furnace
slag; ``steelmaking``, ``BOF``, ``EAF``, ``steel works`` -> steel slag; ``iron and steel``,
钢铁, an integrated works -> both; ``copper smelting`` -> copper slag; ``nickel smelter``,
``ferronickel`` -> nickel slag; ``lead smelting``, ``zinc smelting``, ``slag fuming`` -> lead
and zinc slag; ``tin smelting`` -> tin slag; ``ferroalloys`` -> ferroalloy slag, or the
alloy's slag when it is named), the stream meets the rows a stream named as that member
would (its name and synonyms, else the taxonomy's rows of it), under the rule ``taxonomy
(source sector)``: shown in its evidence with a score of 0.9 times its name's resolution
(``taxonomy (source sector, family)``, 0.72 times it, weak as ``taxonomy (family)`` is,
for a member that is a family's generic material: a ferroalloy works of unknown alloy).

Only a name resolved closely (score >= 0.9), or by its head noun after words that say how
it was cooled, kept or left (``waste slag``, ``granulated slag``, ``water-quenched slag``:
:data:`NEUTRAL_WORDS`), is read so: a ``molten salt electrolysis slag`` or a ``cobalt slag``
may be another process's, and a name that only contains a Chinese word for slag (含铟浸出
液渣, a leach residue) is no slag at all. A stream that already meets a
catalogue row by name, synonym or code keeps its rows; a hazardous one meets only the
member's rows written for a hazardous grade (as through the taxonomy: :mod:`.hazards`), and
none when its name says it is hazardous. A source whose sector names no process (none, or
``smelting``, ``nickel refinery``) leaves the stream generic: no rows, as before. An
integrated works' slag is about two thirds blast furnace slag by mass; both slags' rows
are proposed for the whole stream, each a candidate for study (which slag, how much).

A member refined by the table (``fly ash``, ``bottom ash``, ``tailing``: coal's, any mine's
by the taxonomy) is read the same way, by a name that says no more than it
(:func:`_plain`: ``lentotuhka (fly ash)``, 尾矿 (tailings); not ``coal fly ash``), even when
the name meets rows: a pulp mill's or a biomass boiler's fly ash meets the biomass ash rows
in their place, a waste incinerator's the MSWI fly ash rows, a rare-earth concentrator's
tailings the rare earth tailings rows; a source naming the member itself too (co-firing)
keeps them beside. A source is named also by what it ships (the table's ``ships``: a
concentrator of sector ``ore dressing`` shipping 稀土精矿).

Complexity: O(s) to find the streams of a generic material, then one reading of the sector
text per distinct (material, source sector, hazardous) among them, and O(p log p) for the p
pairs when a stream is read.
"""

from __future__ import annotations

import numpy as np

from ...catalogue.origins import default_origins
from ...taxonomy import MaterialMatch
from ...vocabulary import CATEGORIES, bilingual_parts, material_key, non_latin_scripts
from .candidates import BASE_RULES, Pairs
from .hazards import hazardous_grade_rows, hazardous_name
from .materials import (
    SOURCE_SECTOR_RULES,
    TAXONOMY_RULES,
    rows_of,
    taxonomy_classes,
    taxonomy_of,
)
from .receivers import Context

__all__ = ["NEUTRAL_WORDS", "source_members", "with_source_materials"]

_BY_PRODUCT = CATEGORIES.index("by-product")


#: Words before a generic material's head that say how it was cooled, kept or left, not
#: which process made it: ``granulated slag``, ``waste slag`` are the source's slag, a
#: ``molten salt electrolysis slag`` or a ``cobalt slag`` may be another process's.
NEUTRAL_WORDS = frozenset({
    "waste", "granulated", "granular", "water", "quenched", "air", "cooled", "crushed",
    "ground", "raw", "unprocessed", "untreated", "dumped", "stockpiled", "landfilled",
    "fresh", "old", "aged", "weathered", "hot", "cold", "liquid", "molten", "solid", "dry",
    "wet", "residual", "discard", "discarded", "coarse", "fine", "lump", "bulk", "mixed",
    "by", "product", "byproduct", "industrial", "process",
    # the part of the plant it leaves from: a biomass boiler's "boiler ash" is its ash
    "boiler", "furnace", "combustion",
})  # fmt: skip


def _key_generics(ctx: Context) -> np.ndarray:
    """Per material key code, and one more for no key (-1): the position in
    :attr:`~symbiosis.catalogue.origins.Origins.generics` of the generic material its name
    resolves to closely (score >= 0.9), or by its head noun after words of
    :data:`NEUTRAL_WORDS` only; for a member refined (``fly ash``, ``tailing``), a name
    that says no more than it (:func:`_plain`); -1 for none. Cached."""
    cache = ctx.__dict__
    if "_origin_keys" not in cache:
        generics = default_origins().generics
        index = {g: i for i, g in enumerate(generics)}
        specific = _specific(ctx)
        keys, matches = ctx.core.material_keys, taxonomy_classes(ctx)[4]
        found = []
        for k, m in enumerate(matches):
            at = index.get(m.material, -1) if m and _read(str(keys[k]), m) else -1
            if at >= 0 and specific[at] and not _plain(ctx, str(keys[k]), generics[at]):
                at = -1
            found.append(at)
        cache["_origin_keys"] = np.array([*found, -1], dtype=np.int64)
    return cache["_origin_keys"]


def _specific(ctx: Context) -> np.ndarray:
    """Per generic of the table, whether it is a member of its family, not the family's
    generic material (``fly ash``, ``tailing``): its name already meets rows of its own,
    which the source's reading replaces (:func:`with_source_materials`)."""
    taxonomy = taxonomy_of(ctx)
    return np.array([taxonomy.family(g) not in (None, g) for g in default_origins().generics],
                    dtype=bool)  # fmt: skip


def _plain(ctx: Context, key: str, member: str) -> bool:
    """Whether a name (its material key) says no more than ``member``: its words, or its
    Latin part's (a name in two scripts, "尾矿 (tailings)") or the part a translated name
    glosses ("lentotuhka (fly ash)": :func:`.parts.translated_part`), less
    :data:`NEUTRAL_WORDS`, are the member's own. "coal fly ash", "copper tailings" and
    "PFA" say which; "fly ash", "boiler fly ash" and "tailings" do not. O(len(key))."""
    from .parts import translated_part  # (it reads .materials, as this module does)

    parts = bilingual_parts(key)
    if parts is not None:
        latin = [p for p in parts if not non_latin_scripts(p)]
        text = latin[0] if latin else ""
    else:
        text = translated_part(ctx, key) or key
    own = set(material_key(member).split())
    words = set(material_key(text).split()) - NEUTRAL_WORDS
    return bool(words) and words <= own


def _read(key: str, match: MaterialMatch) -> bool:
    """Whether a name (its material key) resolved to ``match`` is read by its source:
    resolved closely, or by its head noun after neutral words only."""
    if match.score >= 0.9:
        return True
    own = set(material_key(match.material).split())
    words = [w for w in key.split() if w not in own and w.removesuffix("s") not in own]
    return match.rule == "head noun" and set(words) <= NEUTRAL_WORDS


def source_members(ctx: Context, key_code: int, sector_code: int) -> tuple[str, ...]:
    """The members of the generic material of ``key_code`` that the sector text of code
    ``sector_code`` (of ``core.sectors``; -1: none) names the process of, in the table's
    order; empty when the key is no such generic or the text names none. Cached."""
    generic = int(_key_generics(ctx)[key_code])
    if generic < 0 or sector_code < 0:
        return ()
    cache = ctx.__dict__.setdefault("_origin_members", {})
    found = cache.get((generic, sector_code))
    if found is None:
        origins, taxonomy = default_origins(), taxonomy_of(ctx)
        families = {m: f for m in origins.order if (f := taxonomy.family(m)) is not None}
        text = ctx.core.sectors[sector_code]
        found = cache[(generic, sector_code)] = origins.members(
            origins.generics[generic], text, families
        )
    return found


def _member_rows(ctx: Context, member: str) -> list[tuple[int, str]]:
    """The rows a stream named ``member`` meets (its name and synonyms, else the taxonomy's
    rows of it: :func:`.materials.rows_of`), each under a rule of
    :data:`.materials.SOURCE_SECTOR_RULES` (its own, or across its family). Cached."""
    cache = ctx.__dict__.setdefault("_origin_rows", {})
    if member not in cache:
        direct = ctx.catalogue.match(material_key(member))
        if direct:
            cache[member] = [(p, SOURCE_SECTOR_RULES[0]) for p, _ in direct]
        else:
            family = taxonomy_of(ctx).family(member)
            match = None if family is None else MaterialMatch(member, family, "taxonomy name", 1.0)
            cache[member] = [
                (p, SOURCE_SECTOR_RULES[0] if r == TAXONOMY_RULES[0] else SOURCE_SECTOR_RULES[1])
                for p, r in rows_of(ctx, match)
            ]
    return cache[member]


def _shipped_bits(ctx: Context) -> tuple[np.ndarray, list[tuple[str, str]]]:
    """Per material key code, a bit per (generic, member) of the table's ``ships`` column
    (:meth:`~symbiosis.catalogue.origins.Origins.shipped`) whose names the key is, by
    itself or by a part (a name in two scripts, a translated name: "稀土精矿 (rare earth
    concentrate)"); and those pairs. Cached; O(k) once."""
    cache = ctx.__dict__
    if "_origin_ships" not in cache:
        from .parts import translated_part  # (it reads .materials, as this module does)

        origins = default_origins()
        pairs = [(g, m, names) for g in origins.generics for m, names in origins.shipped(g)]
        bit_of: dict[str, int] = {}
        for at, (_, _, names) in enumerate(pairs[:62]):
            for name in names:
                bit_of[material_key(name)] = bit_of.get(material_key(name), 0) | (1 << at)
        bits = np.zeros(len(ctx.core.material_keys), dtype=np.int64)
        if bit_of:
            for k, key in enumerate(map(str, ctx.core.material_keys)):
                for part in (key, *(bilingual_parts(key) or ()), translated_part(ctx, key)):
                    if part is not None:
                        bits[k] |= bit_of.get(material_key(part), 0)
        cache["_origin_ships"] = (bits, [(g, m) for g, m, _ in pairs[:62]])
    return cache["_origin_ships"]


def _source_ships(ctx: Context, sources: np.ndarray) -> np.ndarray:
    """Per source node of ``sources``, the bits (:func:`_shipped_bits`) of the materials
    its flows carry out. O(f) for f flows, when any key has a bit."""
    bits = _shipped_bits(ctx)[0]
    found = np.zeros(len(sources), dtype=np.int64)
    if not bits.any():
        return found
    core = ctx.core
    keyed = core.material_key_code >= 0
    flow_bits = np.zeros(len(keyed), dtype=np.int64)
    flow_bits[keyed] = bits[core.material_key_code[keyed]]
    carrying = np.flatnonzero(flow_bits)
    if len(carrying):
        node_bits = np.zeros(core.n_nodes, dtype=np.int64)
        np.bitwise_or.at(node_bits, core.source[carrying].astype(np.int64), flow_bits[carrying])
        found = node_bits[sources]
    return found


def _rows(
    ctx: Context, key_code: int, sector_code: int, ships: int, hazardous: bool
) -> tuple[bool, list[tuple[int, str]], bool]:
    """Whether the stream of this key, source sector, shipments (bits) and hazard is read
    as members, the rows it then meets (row position, rule), in catalogue order, and
    whether it keeps the rows it meets already (a refined member named beside another:
    a co-firing plant's fly ash is coal's and biomass ash)."""
    members = source_members(ctx, key_code, sector_code)
    generic = int(_key_generics(ctx)[key_code])
    if ships:
        named = {m for at, (g, m) in enumerate(_shipped_bits(ctx)[1])
                 if ships >> at & 1 and g == default_origins().generics[generic]}  # fmt: skip
        order = default_origins().order
        members = tuple(sorted(set(members) | named, key=lambda m: order.get(m, len(order))))
    keep = False
    if members and _specific(ctx)[generic]:  # its own rows stay, as its name met them
        own = default_origins().generics[generic]
        keep = own in members
        members = tuple(m for m in members if m != own)
    if not members:
        return False, [], False
    if hazardous and hazardous_name(ctx.core.material_keys[key_code]):
        return True, [], keep
    found: dict[int, str] = {}
    for member in members:
        for position, rule in _member_rows(ctx, member):
            if found.get(position) != SOURCE_SECTOR_RULES[0]:
                found[position] = rule
    if hazardous:  # only a hazardous grade's rows of the member itself
        grade = hazardous_grade_rows(ctx)
        found = {p: r for p, r in found.items() if r == SOURCE_SECTOR_RULES[0] and grade[p]}
    return True, sorted(found.items()), keep


def _fits(ctx: Context, stream: np.ndarray, path: np.ndarray) -> np.ndarray:
    """Per (stream, row) pair, whether the row may take the stream, as
    :func:`.candidates.pathway_pairs` filters its pairs: a product stream only a downstream
    row, a residue only the others, a by-product both; a row with a dimension only a
    stream of it (the slags' rows are all of mass). O(pairs)."""
    streams = ctx.streams
    is_product = streams.fate_code[stream] == 3  # FATES.index("product")
    by_product = streams.category[stream] == _BY_PRODUCT
    row_dim, stream_dim = ctx.row_dimension[path], streams.dimension[stream]
    same_dim = (row_dim < 0) | (stream_dim < 0) | (row_dim == stream_dim)
    return np.where(ctx.downstream[path], is_product | by_product, ~is_product) & same_dim


def with_source_materials(ctx: Context, pairs: Pairs) -> Pairs:
    """``pairs`` with the rows of the members its source's sector names for each stream of
    a generic material that meets no row by name, synonym or code (module docstring),
    in place of its rows through the taxonomy (the generic's, a ferroalloy slag's family
    rows), in stream then catalogue order; the same pairs when no stream is read so.
    O(s), then O(p log p) when one is."""
    streams = ctx.streams
    generic = _key_generics(ctx)[streams.key_code]
    wanted = generic >= 0
    if not wanted.any():
        return pairs
    through = [BASE_RULES.index(rule) for rule in TAXONOMY_RULES]
    named = np.zeros(len(wanted), dtype=bool)
    named[pairs.stream[~np.isin(pairs.rule, through)]] = True  # met by name or code
    wanted &= ~named | _specific(ctx)[np.maximum(generic, 0)]  # a member's name: read again
    stream = np.flatnonzero(wanted)
    if not len(stream):
        return pairs
    source = streams.source_position[stream]
    sector = ctx.core.sector_code[source].astype(np.int64) + 1
    bits = _source_ships(ctx, source)
    _, ships = np.unique(bits, return_inverse=True)
    keys = np.stack([streams.key_code[stream], sector, ships.ravel(),
                     ctx.hazardous_material[stream].astype(np.int64)])  # fmt: skip
    distinct, combo = np.unique(keys, axis=1, return_inverse=True)
    combo = combo.ravel()
    first = np.unique(combo, return_index=True)[1]
    found = [
        _rows(ctx, int(k), int(c) - 1, int(b), bool(h))
        for (k, c, _, h), b in zip(distinct.T.tolist(), bits[first].tolist(), strict=True)
    ]
    read = np.array([r for r, _, _ in found], dtype=bool)[combo]
    if not read.any():
        return pairs
    kept = np.array([k for _, _, k in found], dtype=bool)[combo]
    count = np.array([len(rows) for _, rows, _ in found], dtype=np.int64)
    flat_path = np.array([p for _, rows, _ in found for p, _ in rows], dtype=np.int64)
    flat_rule = np.array([BASE_RULES.index(r) for _, rows, _ in found for _, r in rows],
                         dtype=np.int64)  # fmt: skip
    per = count[combo]
    added = np.repeat(stream, per)
    start = np.repeat((np.cumsum(count) - count)[combo], per)
    flat = start + np.arange(len(added)) - np.repeat(np.cumsum(per) - per, per)
    path, rule = flat_path[flat], flat_rule[flat]
    fits = _fits(ctx, added, path)
    old = ~np.isin(pairs.stream, stream[read & ~kept])  # a read stream's rows go
    stream = np.concatenate([pairs.stream[old], added[fits]])
    path = np.concatenate([pairs.pathway[old], path[fits]])
    rule = np.concatenate([pairs.rule[old], rule[fits].astype(pairs.rule.dtype)])
    order = np.lexsort((path, stream))
    stream, path, rule = stream[order], path[order], rule[order]
    if kept.any():  # a kept row met again as the member's: once, as its name met it
        first = np.r_[True, (stream[1:] != stream[:-1]) | (path[1:] != path[:-1])]
        stream, path, rule = stream[first], path[first], rule[first]
    return Pairs(stream, path, rule)
