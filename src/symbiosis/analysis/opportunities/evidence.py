"""Network evidence: receivers proposed by what the network itself already does.

A firm that already takes a material is the best evidence that it could take more of it,
whatever the catalogue says. For every residue stream, in turn and only while fewer than
``per_stream`` receivers have been found (so the first levels are never crowded out):

=====================================  ==========  ==========================================
rule                                   kind        receivers
=====================================  ==========  ==========================================
``network: takes this material``       expand      actors that take a flow of the same
                                                   material key, from anyone
``network: takes this material         expand      actors that take the same material under
(taxonomy)``                                       another name ("FGD gypsum" for "power
                                                   plant gypsum"; :mod:`symbiosis.taxonomy`);
                                                   not when both names resolve only by a
                                                   part of them (head noun, words
                                                   contained: "magnetic separation
                                                   tailings", "vanadium extraction
                                                   tailings"), two kinds of the material
                                                   not known to be one: at most related
                                                   (so too two names of a family's generic
                                                   material by their head noun: "blast
                                                   furnace sludge", "biochemical sludge");
                                                   a taker of a generic whose kinds are no
                                                   substitutes (scrap metal) only when it
                                                   names it as such, not "cobalt-nickel
                                                   scrap"
``network: takes a related material``  new_link    actors that take a material of the same
                                                   family (phosphogypsum for FGD gypsum;
                                                   never a material marked not
                                                   interchangeable: copper scrap for
                                                   steel scrap)
``network: peer of a taker``           new_link    actors of the same sector as an actor that
                                                   takes the material (either name)
=====================================  ==========  ==========================================

A warm discharge (:mod:`.warm`: ``warm cooling seawater``, 温排海水) is evidence of no taker
from a cooler's cold intake: a power station's seawater, or a peer's of its sector, is no
taker of another's warm condenser water (Jurong's cogeneration plant had been TMUC's "peer").

A hazardous material (:mod:`.hazards`: by its name or code, radioactive included) is
proposed only by the first rule, to an actor that takes that very material: a taker of
what its name resolves to takes the ordinary grade. But the first, these rules say that an
actor takes something related, not that a pathway exists: their matches are shown and
ranked ``demonstrated`` at most, after the catalogue's direct matches
(:data:`.result.WEAK_RULES`).

Receivers are chosen as everywhere in the pass (:func:`.receivers.choose`: nearest first,
never the stream's own source, within ``max_distance_km``). These candidates have no
catalogue row (pathway -1); the evidence names the rule. Product streams are left to the
downstream rows of the catalogue.

Complexity: O(f) to index the takers, one :func:`.receivers.choose` per distinct material
(or family, or sector set) among the streams, O(s log a) in all.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np

from ..._sorting import lexorder, sorted_values, unique
from .candidates import Candidates, constant
from .materials import taxonomy_classes
from .receivers import Context, choose
from .result import CAPPED_RULES, NETWORK_RULES
from .streams import sorted_unique
from .warm import cooling_intakes, warm_keys

__all__ = [
    "EVIDENCE_TEXT",
    "NETWORK_RULES",
    "combined",
    "from_network",
    "network_candidates",
]

#: What each rule says about the receiver (the ``source`` of its evidence entry).
EVIDENCE_TEXT = {
    None: "the receiver already takes this material",
    NETWORK_RULES[1]: "the receiver already takes this material under another name",
    NETWORK_RULES[2]: "the receiver takes a material of the same family",
    NETWORK_RULES[3]: "a firm of the receiver's sector takes this material in the network",
    CAPPED_RULES[0]: "the receiver takes this material of a purer grade (CO2 from an ammonia, "
    "hydrogen or fermentation plant): only a concentrated part of the stream would do",
}
_REDIRECT, _EXPAND, _NEW_LINK = np.int8(0), np.int8(1), np.int8(2)  # their KINDS.index


def network_candidates(ctx: Context, rules: tuple[str, ...]) -> list[Candidates]:
    """Receivers of every residue stream by the network's own evidence (module
    docstring), one part per rule level; ``rules`` (which holds :data:`NETWORK_RULES`)
    gives their codes."""
    streams, core = ctx.streams, ctx.core
    residue = np.flatnonzero(streams.fate_code != 3)  # FATES.index("product")
    if not len(residue):
        return []
    material, family, score, generic, _, apart = taxonomy_classes(ctx)
    into = ctx.taken  # a flow of 0 t carried nothing: no evidence of a taker
    taker, taker_key = core.target[into], core.material_key_code[into]
    hazardous = ctx.hazardous_material[residue]  # only its very material: the first level
    stream_key = streams.key_code[residue]
    s_family = _known(family, stream_key)
    s_generic = (stream_key >= 0) & generic[np.maximum(stream_key, 0)]
    s_apart = (stream_key >= 0) & apart[np.maximum(stream_key, 0)]
    together = np.where(apart, -1, family)  # a member apart is no kin of the others
    closely = score >= 0.9  # resolved whole or without qualifiers
    s_material, s_close = _known(material, stream_key), _known(closely, stream_key) > 0
    as_such = np.where(closely | ~apart, material, -1)  # a taker's key naming its material
    # a taker of the generic stands for the family, but one of a generic apart (scrap
    # metal) only when it names it as such: "cobalt-nickel scrap" is some metal's scrap
    stands = np.where(generic & (closely | ~apart), family, -1)
    same, related = NETWORK_RULES[1], NETWORK_RULES[2]
    levels = (  # (rule, class wanted per stream, class offered per taker's key, kind)
        (NETWORK_RULES[0], stream_key, np.arange(len(material)), _EXPAND),
        # two names resolved only by a part of them are two kinds of the material, not
        # known to be one ("vanadium extraction tailings", "magnetic separation
        # tailings"): related at most, by the family level below; of a material whose
        # kinds are no substitutes (apart: tailings of different ores), the taker's name
        # must name it as such
        (same, np.where(s_close, s_material, -1), as_such, _EXPAND),
        (same, np.where(s_close, -1, s_material), np.where(closely, material, -1), _EXPAND),
        # the generic material of a family stands for any member, both ways, but a
        # stream of it (of unknown kind) not for a member apart (scrap metal: copper?)
        (
            same,
            np.where(s_generic & s_close, s_family, -1),
            np.where(generic, stands, together),
            _EXPAND,
        ),
        # two generic names resolved only by their head noun ("blast furnace sludge",
        # "biochemical sludge") are two unknown kinds: related at most, as above
        (
            same,
            np.where(s_generic & ~s_close, s_family, -1),
            np.where(generic, np.where(closely, family, -1), together),
            _EXPAND,
        ),
        (same, np.where(s_generic | s_apart, -1, s_family), stands, _EXPAND),
        # a member apart, only to a taker of the generic by its very name: "press scrap"
        # (the generic by its head noun) is some metal's scrap, not any
        (same, np.where(s_apart, s_family, -1), np.where(closely & generic, family, -1), _EXPAND),
        (related, np.where(s_apart, -1, s_family), together, _NEW_LINK),
    )
    found = _Found(len(streams), core.n_nodes)
    # a warm discharge is evidence of no cooler's cold intake (.warm): a lane of its own,
    # with its own takers (the streams' ``mine``: None for all of them)
    lanes: list[tuple[np.ndarray | None, np.ndarray, np.ndarray]] = [(None, taker, taker_key)]
    warm = warm_keys(ctx)[stream_key]
    if warm.any():
        cold = cooling_intakes(ctx, into)
        if cold.any():
            lanes = [(~warm, taker, taker_key), (warm, taker[~cold], taker_key[~cold])]
    pools = [_Takers.of(t, k, len(material)) for _, t, k in lanes]
    parts = []
    for level, (rule, wanted, offered, kind) in enumerate(levels):
        wanted = np.where(hazardous, -1, wanted) if level else wanted
        part = []
        for (mine, _, _), pool in zip(lanes, pools, strict=True):
            asked = wanted if mine is None else np.where(mine, wanted, -1)
            part += _by_class(ctx, residue, asked, pool, offered, found)
        parts.append(_as_candidates(ctx, part, kind, rules.index(rule)))
    classes = (material, family, generic, apart, closely)
    peers = []
    for mine, t, k in lanes:
        ids = residue[~hazardous if mine is None else mine & ~hazardous]
        peers += _peers(ctx, ids, t, k, _kin(k, classes), classes, found)
    parts.append(_as_candidates(ctx, peers, _NEW_LINK, rules.index(NETWORK_RULES[3])))
    return parts


def _kin(taker_key: np.ndarray, classes: tuple) -> tuple:
    """What :func:`_peers` reads of each taker's key: its material, its family, whether it
    stands for its family (and resolves closely), is apart, resolves closely."""
    material, family, generic, apart, closely = classes
    t_generic = (taker_key >= 0) & generic[np.maximum(taker_key, 0)]
    t_apart = (taker_key >= 0) & apart[np.maximum(taker_key, 0)]
    t_closely = (taker_key >= 0) & closely[np.maximum(taker_key, 0)]
    stands_for = t_generic & (t_closely | ~t_apart)  # as ``stands`` above
    return (_known(material, taker_key), _known(family, taker_key),
            (stands_for, t_generic & t_closely), t_apart, t_closely)  # fmt: skip


def from_network(candidates: Candidates) -> np.ndarray:
    """Which rows are the network's evidence (no catalogue row, not a same-material
    redirect, which has none either). O(c)."""
    return (candidates.pathway < 0) & (candidates.kind != _REDIRECT)


def combined(
    catalogued: list[Candidates], network: list[Candidates], rules: tuple[str, ...], n_nodes: int
) -> Candidates:
    """Both sets of candidates (given as parts, concatenated here once, in order), a
    catalogue row taking the strongest kind that network evidence gives its (stream,
    receiver): the pathway (sourced) is then the one ranked and shown, with the kind the
    network justifies; the network rows stay as evidence. Both lists are emptied, so
    that :meth:`Candidates.concat` lets each part go as it is copied. O(c log c)."""
    if any(len(p) for p in network) and any(len(p) for p in catalogued):
        stream, receiver, kind = (np.concatenate([getattr(p, c) for p in network])
                                  for c in ("stream", "receiver", "kind"))  # fmt: skip
        key = stream * (n_nodes + 1) + receiver
        if int(key.max()).bit_length() + 3 <= 63:  # kinds are 0..4: packed, one np.sort
            packed = sorted_values((key << np.int64(3)) | kind.astype(np.int64))
            key, strongest = packed >> np.int64(3), (packed & np.int64(7)).astype(np.int8)
        else:
            order = np.lexsort((kind, key))
            key, strongest = key[order], kind[order]
        first = np.r_[True, key[1:] != key[:-1]]
        key, strongest = key[first], strongest[first]
        n_streams = 1 + max(int(p.stream.max(initial=0)) for p in [*catalogued, *network])
        slots = _Slots.of(key // (n_nodes + 1), key % (n_nodes + 1), strongest, n_streams)
        if slots is None:  # many network receivers for some stream: a binary search
            catalogued[:] = [_upgraded(part, key, strongest, n_nodes) for part in catalogued]
        else:
            catalogued[:] = [slots.upgraded(part) for part in catalogued]
    parts = [*catalogued, *network]
    catalogued.clear()
    network.clear()
    return Candidates.concat(parts, rules)


def _upgraded(part: Candidates, key, strongest, n_nodes: int) -> Candidates:
    """The part with each row's kind raised to the strongest the network gives its
    (stream, receiver) (``key`` sorted, ``strongest`` its kind)."""
    rows = np.flatnonzero(part.receiver >= 0)  # a new plant has no evidence
    wanted = part.stream[rows] * (n_nodes + 1) + part.receiver[rows]
    at = np.minimum(np.searchsorted(key, wanted), len(key) - 1)
    hit = key[at] == wanted
    kind = part.kind.copy()
    kind[rows[hit]] = np.minimum(kind[rows[hit]], strongest[at[hit]])
    return dataclasses.replace(part, kind=kind)


_MOST_SLOTS = 8  # network receivers per stream read slot by slot (at most per_stream)


@dataclass(frozen=True, eq=False)
class _Slots:
    """The network's distinct receivers of each stream (``receiver[j, stream]``, -2 in
    unused slots) with their strongest kind: a row's evidence is found by comparing its
    receiver with its stream's few slots, O(c) per slot, not by a binary search of
    every (stream, receiver) key (random reads: 0.18 s at 1M flows)."""

    receiver: np.ndarray
    kind: np.ndarray

    @classmethod
    def of(cls, stream, receiver, kind, n_streams: int) -> _Slots | None:
        """From distinct (stream, receiver) pairs sorted by stream; None when a stream
        has more than :data:`_MOST_SLOTS` of them."""
        count = np.bincount(stream, minlength=n_streams)
        width = int(count.max(initial=0))
        if width > _MOST_SLOTS:
            return None
        slot = np.arange(len(stream)) - (np.cumsum(count) - count)[stream]
        shape = (width, n_streams)
        slots = cls(np.full(shape, -2, np.int64), np.zeros(shape, np.int8))
        slots.receiver[slot, stream] = receiver
        slots.kind[slot, stream] = kind
        return slots

    def upgraded(self, part: Candidates) -> Candidates:
        """:func:`_upgraded` by the slots (a new plant's receiver -1 is in none)."""
        kind = part.kind.copy()
        for receivers, kinds in zip(self.receiver, self.kind, strict=True):
            hit = np.take(receivers, part.stream) == part.receiver
            np.minimum(kind, np.take(kinds, part.stream), out=kind, where=hit)
        return dataclasses.replace(part, kind=kind)


def _known(classes: np.ndarray, keys: np.ndarray) -> np.ndarray:
    return np.where(keys >= 0, classes[np.maximum(keys, 0)], -1)


class _Takers:
    """The actors taking each material key, from the flows into actors sorted once by
    key: every level's class is a function of the key, so its takers are a union of
    these runs (no sort per level)."""

    def __init__(self, taker: np.ndarray, bounds: np.ndarray):
        self.taker, self.bounds = taker, bounds

    @classmethod
    def of(cls, taker: np.ndarray, taker_key: np.ndarray, n_keys: int) -> _Takers:
        order = lexorder(taker_key)
        bounds = np.searchsorted(taker_key[order], np.arange(n_keys + 1))
        return cls(taker[order], bounds)

    def of_keys(self, keys: np.ndarray) -> np.ndarray:
        """The distinct actors taking any of ``keys``, ascending."""
        runs = [self.taker[self.bounds[k] : self.bounds[k + 1]] for k in keys.tolist()]
        return sorted_unique(np.concatenate(runs)) if runs else np.zeros(0, np.int64)


def _by_class(ctx, residue, wanted, takers: _Takers, offered, found):
    """(stream, receiver, distance) rows: for each class among the streams still short of
    receivers, the actors taking a key of that class (``offered``: the class of each
    key). ``found`` holds the receivers per stream."""
    rows: list[tuple[np.ndarray, ...]] = []
    open_ = (wanted >= 0) & (found.count(residue) < ctx.per_stream)
    if not open_.any():
        return rows
    for code in unique(wanted[open_]).tolist():
        pool = takers.of_keys(np.flatnonzero(offered == code))
        rows.append(_chosen(ctx, residue[open_ & (wanted == code)], pool, found))
    found.add(rows)
    return rows


def _peers(ctx, residue, taker, taker_key, kin, classes, found):
    """Actors sharing a sector with a taker of the stream's material (the same key, the
    same taxonomy material, or either one its family's generic), taking none of it. A
    taker without a sector (none given, or a blank one) has no peers."""
    core, rows = ctx.core, []
    t_material, t_family, (t_generic, t_close), t_apart, t_closely = kin
    material, family, generic, apart, closely = classes
    sector = core.sector_code[taker]
    named = np.array([bool(str(t).strip()) for t in core.sectors] + [False])  # -1: the last
    sector = np.where(named[sector], sector, -1)  # a blank sector is none
    keys = ctx.streams.key_code[residue]
    open_ = (keys >= 0) & (found.count(residue) < ctx.per_stream)
    for key in unique(keys[open_]).tolist():
        takes = taker_key == key
        if material[key] >= 0:
            same_family = t_family == family[key]
            # as in network_candidates: a member apart only with takers of the generic
            # by its very name, the generic with no member apart
            member = (t_close if apart[key] else t_generic) | (generic[key] & ~t_apart)
            # no two kinds of it, nor a kind of a material apart for its plain name
            same = (t_material == material[key]) & (t_closely | (closely[key] & ~apart[key]))
            takes |= same | (same_family & member)
        sectors = unique(sector[takes & (sector >= 0)])
        if not len(sectors):
            continue
        members = np.flatnonzero(np.isin(core.sector_code, sectors) & ctx.receiving)
        pool = np.setdiff1d(members, taker[takes])
        rows.append(_chosen(ctx, residue[open_ & (keys == key)], pool, found))
    return rows


def _chosen(ctx, ids, pool, found):
    """The nearest receivers of each stream, no more than its room left (``per_stream``
    less the distinct receivers earlier levels gave it)."""
    chosen = choose(ctx, ids, pool)
    index, receiver, distance = chosen.expand(np.arange(len(ids)), none=False)
    fresh = ~found.has(ids[index], receiver)
    index, receiver, distance = index[fresh], receiver[fresh], distance[fresh]
    starts = np.flatnonzero(np.r_[True, index[1:] != index[:-1]]) if len(index) else index
    column = np.arange(len(index)) - np.repeat(starts, np.diff(np.r_[starts, len(index)]))
    keep = column < (ctx.per_stream - found.count(ids))[index]
    return ids[index][keep], receiver[keep], distance[keep]


class _Found:
    """Distinct receivers proposed so far per stream (so that a receiver met again at a
    weaker level does not use up a stream's room), in per-stream slots
    (``receiver[j, stream]``, -2 when unused; a stream rarely has more than
    ``per_stream``): a lookup compares a row with its stream's few slots, and an added
    level sorts only its own pairs, not every pair found so far."""

    def __init__(self, n_streams: int, n_nodes: int):
        self.width = n_nodes + 1
        self.receiver = np.full((0, n_streams), -2, dtype=np.int64)
        self.per_stream = np.zeros(n_streams, dtype=np.int64)

    def add(self, rows) -> None:
        if not rows:
            return
        stream = np.concatenate([r[0] for r in rows])
        receiver = np.concatenate([r[1] for r in rows])
        fresh = ~self.has(stream, receiver)
        pairs = unique(stream[fresh] * self.width + receiver[fresh])  # by stream
        stream, receiver = pairs // self.width, pairs % self.width
        starts = np.flatnonzero(np.r_[True, stream[1:] != stream[:-1]]) if len(pairs) else pairs
        column = np.arange(len(pairs)) - np.repeat(starts, np.diff(np.r_[starts, len(pairs)]))
        slot = self.per_stream[stream] + column
        more = int(slot.max(initial=-1)) + 1 - len(self.receiver)
        if more > 0:
            empty = np.full((more, len(self.per_stream)), -2, dtype=np.int64)
            self.receiver = np.concatenate([self.receiver, empty])
        self.receiver[slot, stream] = receiver
        self.per_stream += np.bincount(stream, minlength=len(self.per_stream))

    def has(self, streams: np.ndarray, receivers: np.ndarray) -> np.ndarray:
        found = np.zeros(len(streams), dtype=bool)
        for slots in self.receiver:
            found |= np.take(slots, streams) == receivers
        return found

    def count(self, streams: np.ndarray) -> np.ndarray:
        return self.per_stream[streams]


def _as_candidates(ctx: Context, parts, kind: np.int8, rule: int) -> Candidates:
    if not parts:
        return Candidates.empty()
    stream, receiver, distance = (np.concatenate(c) for c in zip(*parts, strict=True))
    n = len(stream)
    return Candidates(
        stream=stream,
        pathway=constant(-1, n, np.int32),
        rule=constant(rule, n, np.int32),
        kind=constant(kind, n, np.int8),
        receiver=receiver,
        sector=constant(0, n, np.int32),
        distance_km=distance,
        quantity=ctx.streams.value[stream],
        replaced=constant(np.nan, n, float),
        replaced_key=constant(-1, n, np.int32),
        capacity=constant(np.nan, n, float),
        capacity_group=constant(-1, n, np.int32),
    )
