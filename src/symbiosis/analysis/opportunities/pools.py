"""Pools: the actors of a catalogue row's receiving sector that can take what the row needs.

A firm belongs to a receiving sector through the terms of its ``sector`` text
(:meth:`symbiosis.catalogue.SectorVocabulary.memberships`). Most terms make it a member for
every row of the sector; a generic term that other words qualify (``coal mining``) or a
specific one (``chlor-alkali``, ``copper refinery``) only for the rows whose material or
synonyms name one of the term's words, and for the rows of role ``utility``. So a row's pool
is its sector's full members plus the conditional members the row admits (a member by a
part term, a grinding station or a boiler house, for the utility rows too only by its
words: :data:`~symbiosis.catalogue.sectors.PART_MARK`); rows admitting
the same ones share a pool. :func:`row_pools` gives each row a pool code, :func:`pools`
the actors of each code.

Complexity: one vocabulary scan per distinct firm sector text and receiving sector (cached
on the context), O(rows x conditional texts) to give rows their pools, and one pass over the
actors grouped by sector text per pool.
"""

from __future__ import annotations

import numpy as np

from ..._hanzi import simplified
from ..._sorting import lexorder
from ...catalogue.sectors import HOSTED_SECTORS, PART_MARK, sector_terms
from ...vocabulary import ROLES
from .node_sectors import (
    node_readings,
    nodes_of_sectors,
    reading_families,
    reading_texts,
    text_memberships,
)
from .receivers import Context, own_words

_RECYCLING = ROLES.index("recycling")

__all__ = ["hostless", "in_row_pools", "pools", "row_pools", "runs_process", "unnamed_process"]


def _members(ctx: Context) -> dict[int, dict[int, frozenset[str] | None]]:
    """Per sector code, the readings of the firms' sector texts (:func:`.node_sectors.
    node_readings`) of its members: ``None`` for a full member, else the words a row must
    name. Cached on the context, with the readings of the sector's members by a family
    name only (:func:`.node_sectors.reading_families`)."""
    cache = ctx.__dict__
    if "_sector_members" not in cache:
        names = {name: code for code, name in enumerate(ctx.sectors) if code}
        own = [name for name in names if name in ctx.own_sectors]
        members: dict[int, dict[int, frozenset[str] | None]] = {}
        families: dict[int, list[int]] = {}
        texts = ctx.core.sectors[np.asarray(reading_texts(ctx), dtype=np.intp)]
        for text_code, (text, read, family) in enumerate(zip(
            texts, text_memberships(ctx), reading_families(ctx), strict=True
        )):  # fmt: skip
            label = "" if text is None or text != text else str(text)
            found = {s: w for s, w in read.items() if s in names}
            if own:  # sectors outside the vocabulary: their words, as whole words (Han
                # characters simplified on both sides: a sector written in traditional ones)
                words = f" {own_words(simplified(label))} "
                found.update({name: None for name in own if f" {simplified(name)} " in words})
            for sector, needs in found.items():
                members.setdefault(names[sector], {})[text_code] = needs
                if sector in family and needs is None:
                    families.setdefault(names[sector], []).append(text_code)
        cache["_sector_families"] = families
        cache["_sector_members"] = members
    return cache["_sector_members"]


def row_pools(ctx: Context) -> np.ndarray:
    """Per catalogue row, the code of its pool (:func:`pools`); rows of one sector that
    admit the same conditional members share one. O(rows x conditional texts)."""
    cache = ctx.__dict__
    if "_row_pools" not in cache:
        members = _members(ctx)
        table = ctx.catalogue.pathways
        utility = (table["role"] == "utility").to_numpy(dtype=bool)
        keys: dict[tuple[int, frozenset[int]], int] = {}
        codes = np.zeros(len(table), dtype=np.int64)
        conditional = {sector: {t: w for t, w in texts.items() if w is not None}
                       for sector, texts in members.items()}  # fmt: skip
        for row, sector in enumerate(ctx.path_sector.tolist()):
            admitted = frozenset(t for t, needs in conditional.get(sector, {}).items()
                                 if (utility[row] and PART_MARK not in needs)
                                 or _names(table, row, needs))  # fmt: skip
            codes[row] = keys.setdefault((sector, admitted), len(keys))
        # the texts first: the lanes of the candidate stages call this at once, and one
        # that finds the codes cached reads the texts at once (each lane's are the same)
        cache["_pool_texts"] = [
            sorted(t for t, w in members.get(sector, {}).items() if w is None or t in admitted)
            for sector, admitted in keys
        ]
        cache["_pool_sectors"] = [sector for sector, _ in keys]
        cache["_row_pools"] = codes
    return cache["_row_pools"]


def _names(table, row: int, needs: frozenset[str]) -> bool:
    """Whether the row's material, synonyms or product name one of ``needs`` (words in the
    form of :func:`sector_terms`) as whole words."""
    text = " ; ".join(str(table[c].iat[row]) for c in ("material", "synonyms", "product")
                      if c in table and isinstance(table[c].iat[row], str))  # fmt: skip
    words = f" {sector_terms(text)} "
    return any(f" {need} " in words for need in needs)


def pools(ctx: Context, codes: np.ndarray) -> dict[int, np.ndarray]:
    """Positions of the actors of each pool code of :func:`row_pools`, ascending; codes
    whose pool is empty are left out. The actors are grouped by sector text once."""
    row_pools(ctx)
    cache = ctx.__dict__.setdefault("_pools", {})
    wanted = set(np.unique(codes).tolist()) - set(cache)
    if wanted:
        for code in wanted:
            cache[code] = _actors(ctx, ctx.__dict__["_pool_texts"][code])
    return {c: cache[c] for c in np.unique(codes).tolist() if cache.get(c) is not None}


def _actors(ctx: Context, texts: list[int]) -> np.ndarray | None:
    """Positions of the actors (:attr:`.receivers.Context.receiving`) of the readings
    ``texts``, ascending; ``None`` for no reading. The actors are grouped by reading once
    per pass."""
    if not texts:
        return None
    cache = ctx.__dict__
    if "_actors_by_reading" not in cache:
        actors = np.flatnonzero(ctx.receiving)  # not one idle in a year of several
        labels = node_readings(ctx)[actors]
        bounds = np.searchsorted(np.sort(labels), np.arange(len(reading_texts(ctx)) + 1))
        cache["_actors_by_reading"] = (actors[lexorder(labels)], bounds)
    by_label, bounds = cache["_actors_by_reading"]
    return np.sort(np.concatenate([by_label[bounds[t] : bounds[t + 1]] for t in texts]))


def unnamed_process(ctx: Context, code: int, picked: np.ndarray) -> np.ndarray | None:
    """Per row of ``picked`` (the receivers chosen from pool ``code`` for each stream, -1
    padded), whether every one is a member of the pool's sector by a family name only
    (``chemicals``, ``fertilizer plant``: no process named, not narrowed by its name):
    no actor is known to run the row's process, so a new plant is proposed beside them.
    ``None`` when the pool has no such member. O(picked)."""
    family = _family_actors(ctx, code)
    if not len(family):
        return None
    named = (picked >= 0) & ~np.isin(picked, family)  # a receiver that names the process
    return np.asarray(~named.any(axis=1), dtype=bool)


def _family_actors(ctx: Context, code: int) -> np.ndarray:
    """The actors of pool ``code``'s sector that are members by a family name only,
    ascending (cached per sector on the context)."""
    _members(ctx)
    cache = ctx.__dict__
    sector = cache["_pool_sectors"][code]
    family = cache.setdefault("_family_actors", {}).get(sector)
    if family is None:  # the lanes may both make it: the same array
        family = _actors(ctx, cache["_sector_families"].get(sector, []))
        cache["_family_actors"][sector] = family = np.zeros(0, int) if family is None else family
    return family


def runs_process(ctx: Context, code: int, pool: np.ndarray | None, nodes: np.ndarray) -> np.ndarray:
    """Per node of ``nodes``, whether it is an actor of pool ``code`` (``pool``, its
    actors ascending) that names the row's process, a member by more than a family name
    (:func:`unnamed_process`), and no collector (role ``recycling``: shipping what it
    collects is its trade): it runs the process a new plant of the row would, so its own
    stream gets no such plant beside it (:func:`.candidates.sector_candidates`).
    O(n log p)."""
    if pool is None or not len(pool) or not len(nodes):
        return np.zeros(len(nodes), dtype=bool)
    member = pool[np.minimum(np.searchsorted(pool, nodes), len(pool) - 1)] == nodes
    member &= ctx.core.role_code[nodes] != _RECYCLING
    if member.any():
        family = _family_actors(ctx, code)
        if len(family):
            member &= ~np.isin(nodes, family)
    return member


def in_row_pools(ctx: Context, path: np.ndarray, receiver: np.ndarray) -> np.ndarray:
    """Whether each receiver is an actor of the row's receiving sector that the row admits
    (its pool, :func:`row_pools`; a row of code -1: False). O(p c) for c rows of p pools."""
    code = np.where(path >= 0, row_pools(ctx)[np.maximum(path, 0)], -1)
    member = np.zeros(len(path), dtype=bool)
    mask = np.zeros(ctx.core.n_nodes, dtype=bool)
    for pool_code, pool in pools(ctx, code[code >= 0]).items():
        rows = np.flatnonzero(code == pool_code)
        mask[pool] = True
        member[rows] = mask[receiver[rows]]
        mask[pool] = False
    return member


def hostless(ctx: Context) -> np.ndarray:
    """Per sector code of the context, whether its plants stand beside a host plant
    (:data:`~symbiosis.catalogue.sectors.HOSTED_SECTORS`: a satellite PCC plant at a paper
    mill) and the network has no actor of a host sector: no new plant of it is proposed
    (:func:`.candidates.sector_candidates`). Cached on the context; O(n) per such
    sector."""
    cache = ctx.__dict__
    if "_hostless" not in cache:
        found = np.zeros(len(ctx.sectors), dtype=bool)
        for code, sector in enumerate(ctx.sectors.tolist()):
            hosts = HOSTED_SECTORS.get(sector)
            if hosts is not None:
                found[code] = not (nodes_of_sectors(ctx, hosts) & ctx.receiving).any()
        cache["_hostless"] = found
    return cache["_hostless"]
