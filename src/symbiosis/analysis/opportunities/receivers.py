"""Receivers: which actors could take a stream, nearest first.

:class:`Context` gathers what every stage of the pass reads (the core, the streams, the
catalogue as integer arrays, the firms' coordinates); :func:`choose` picks up to
``per_stream`` receivers per stream from a pool of actors with one k-d tree query per
distinct source (:mod:`.nearest`; the coordinates and distances: :mod:`.geo`), never
all (stream, actor) pairs.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np

from ..._sorting import lexorder
from ...catalogue import Catalogue
from ...catalogue.reading import PATHWAY_ROLES
from ...core import Core
from ...model import FlowNetwork
from ...units import DIMENSIONS
from .geo import Geo, great_circle, pair_distances
from .nearest import in_order, nearest
from .rules import MATURITY_TIER
from .streams import Streams, sorted_unique

__all__ = [
    "Chosen",
    "Context",
    "Geo",
    "choose",
    "great_circle",
    "own_words",
]

_BITMAP_LIMIT = 1 << 28  # bytes for the (node, key) bitmap of Context.takes


#: Catalogue roles of a row that proposes existing receivers only, never a new plant: a
#: plant is not built for an additive, a fuel or a utility (:mod:`.processes`).
MINOR_ROLES: tuple[str, ...] = tuple(r for r in PATHWAY_ROLES if r != "feedstock")

#: Receiving sectors whose plants treat what they take into a product the network reuses
#: (reclaimed water; a waste-to-energy plant's electricity and heat, energy recovery R1 of
#: Directive 2008/98/EC, Annex II): a treatment actor reached through a row of one of them
#: ranks among the reuse receivers, not after them (:func:`.ranking.treated_rows`). TEDA's
#: own waste-to-energy plant, with room for the 20,000 t of refuse landfilled, came 112th
#: of 116, behind kiln co-processing at a grinding station and two coal power plants.
#: Normalised names.
RECLAMATION_SECTORS: frozenset[str] = frozenset({"water reclamation", "waste incineration"})


@dataclass(frozen=True, eq=False)
class Context:
    """What the stages share: network, streams, options, and the catalogue as arrays
    (``path_sector`` codes index ``sectors``, whose code 0 is "no sector")."""

    network: FlowNetwork
    catalogue: Catalogue
    streams: Streams
    max_distance_km: float | None
    per_stream: int
    capacities: Any = None  # the capacity groups (:class:`.capacity.Capacities`), once known
    taxonomy: Any = None  # a :class:`symbiosis.taxonomy.Taxonomy`; None: the shipped one
    costs: Any = None  # the user's costs (:class:`.economics.Costs`)
    reach: Any = None  # a :class:`symbiosis.catalogue.reach.Reach`; None: no reach
    beyond: list = field(default_factory=list)  # receivers beyond reach (:mod:`.reach`)

    @cached_property
    def limits(self) -> tuple[np.ndarray, np.ndarray] | None:
        """Per stream, how far its receivers may be, and its material's reach
        (:func:`.reach.limits`); None when nothing limits them."""
        from .reach import limits

        return limits(self)

    @property
    def core(self) -> Core:
        return self.network.core

    @cached_property
    def geo(self) -> Geo:
        return Geo.of(self.network)

    @cached_property
    def receiving(self) -> np.ndarray:
        """Per node, whether it may be proposed as an existing receiver: an actor, but,
        in one year of several, not one with flows in other years only (it does not run
        that year: :func:`~symbiosis.analysis.years.idle_actors`)."""
        from ..years import idle_actors

        return self.core.actor & ~idle_actors(self.network)

    @cached_property
    def sector_keys(self) -> list[str]:
        """Each row's receiving sector as it is matched: the catalogue's normalised name,
        or, when that is empty (a name in Chinese or Cyrillic, or only punctuation), the
        name's own words in any script (:func:`own_words`), so that 水泥 and 化工 are
        two sectors, not one."""
        pathways = self.catalogue.pathways
        return [
            sector or own_words(text) or text.strip() or "?"
            for sector, text in zip(pathways["sector"], pathways["receiving_sector"], strict=True)
        ]

    @cached_property
    def sectors(self) -> np.ndarray:
        return np.array(["", *dict.fromkeys(self.sector_keys)], dtype=object)

    @cached_property
    def site_bound(self) -> np.ndarray:
        """Per sector code, whether it stands where a deposit is
        (:data:`~symbiosis.catalogue.sectors.SITE_BOUND_SECTORS`): no new plant of it."""
        from ...catalogue.sectors import SITE_BOUND_SECTORS

        return np.isin(self.sectors, list(SITE_BOUND_SECTORS))

    @cached_property
    def minor_role(self) -> np.ndarray:
        """Per catalogue row, whether its ``role`` is an additive, a fuel or a utility
        (:data:`MINOR_ROLES`): it proposes existing receivers only, never a new plant."""
        roles = self.catalogue.pathways["role"].to_numpy(dtype=object)
        return np.isin(roles, MINOR_ROLES)

    @cached_property
    def reclaims(self) -> np.ndarray:
        """Per catalogue row, whether its receiving sector is one of
        :data:`RECLAMATION_SECTORS`: what a treatment actor takes through it is reused."""
        return np.isin(np.array(self.sector_keys, dtype=object), list(RECLAMATION_SECTORS))

    @cached_property
    def own_sectors(self) -> frozenset[str]:
        """The sector keys that are not in the sector vocabulary (see :attr:`sector_keys`)."""
        return frozenset(self.sector_keys) - set(self.catalogue.pathways["sector"])

    @cached_property
    def path_sector(self) -> np.ndarray:
        index = {s: i for i, s in enumerate(self.sectors)}
        return np.array([index[s] for s in self.sector_keys], dtype=np.int64)

    @cached_property
    def downstream(self) -> np.ndarray:
        return self.catalogue.pathways["downstream"].to_numpy(dtype=bool)

    @cached_property
    def row_dimension(self) -> np.ndarray:
        """Each row's dimension code, -1 for any."""
        dims = self.catalogue.pathways["dimension"]
        return np.array([DIMENSIONS.index(d) if d in DIMENSIONS else -1 for d in dims])

    @cached_property
    def tier(self) -> np.ndarray:
        """Maturity tier per row, and 0 (established) at index -1 for same-material; 3
        for a row that follows another of its material (its condition names it:
        :attr:`~symbiosis.catalogue.Catalogue.follows`) or that needs a place or climate
        the network does not describe (its condition begins with "where":
        :attr:`~symbiosis.catalogue.Catalogue.regional`), which ranks after the stream's
        other pathways as an emerging one (2) does."""
        maturity = self.catalogue.pathways["maturity"]
        tier = np.array([*(MATURITY_TIER.get(m, 1) for m in maturity), 0], dtype=np.int64)
        tier[:-1][self.catalogue.follows | self.catalogue.regional] = 3
        return tier

    @cached_property
    def _substitutes(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        lists = list(self.catalogue.pathways["substitute_keys"])
        count = np.array([len(s) for s in lists], dtype=np.int64)
        text = np.array([k for s in lists for k in s], dtype=object)
        index = {k: i for i, k in enumerate(self.core.material_keys)}
        code = np.array([index.get(k, -1) for k in text], dtype=np.int64)
        return count, np.cumsum(count) - count, text, code

    @property
    def substitute_count(self) -> np.ndarray:
        return self._substitutes[0]

    @property
    def substitute_start(self) -> np.ndarray:
        return self._substitutes[1]

    @property
    def substitute_text(self) -> np.ndarray:
        return self._substitutes[2]

    @property
    def substitute_code(self) -> np.ndarray:
        return self._substitutes[3]

    def substitutes_where(self, keep: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The substitutes that ``keep`` (a mask in :attr:`substitute_code` order) holds:
        per catalogue row their number and first place, and the position of each in the
        whole list, in the row's order. (row, substitute) pairs built from these are
        those of the whole list that ``keep`` holds, in the same order: fewer to build
        when most substitutes are materials no flow carries. O(substitutes)."""
        count = self.substitute_count
        index = np.flatnonzero(keep)
        kept = np.bincount(np.repeat(np.arange(len(count)), count)[index], minlength=len(count))
        return kept, np.cumsum(kept) - kept, index

    @cached_property
    def hazardous_material(self) -> np.ndarray:
        """Per stream, whether its material is hazardous by its codes, name or flow's
        mark, or by the node it goes to (:func:`.hazards.hazardous_materials`)."""
        from .hazards import hazardous_materials  # hazards reads this module's Context

        return hazardous_materials(self)

    @cached_property
    def taken(self) -> np.ndarray:
        """Mask of the flows showing an actor takes a material: into an actor, of a known
        material, not of 0 t (it carried nothing; NaN, unknown, did): for :mod:`.evidence`,
        :meth:`takes` and :mod:`.suppliers` alike. O(f)."""
        core = self.core
        return core.target_is_actor & (core.material_key_code >= 0) & (core.value != 0)

    @cached_property
    def _takes(self) -> np.ndarray:
        """The (node, key) pairs of the flows :attr:`taken` marks, encoded ``node * width
        + key``: a bitmap when nodes x keys is small enough (one byte per pair: 27 MB for a
        1M-flow network with 82 materials), else the sorted codes."""
        core = self.core
        into = self.taken
        width = len(core.material_keys)
        encoded = core.target[into] * width + core.material_key_code[into]
        if core.n_nodes * width > _BITMAP_LIMIT:
            return sorted_unique(encoded)
        taken = np.zeros(core.n_nodes * width, dtype=bool)
        taken[encoded] = True
        return taken

    def release_takes(self) -> None:
        """Drop the (node, key) index of :meth:`takes` (rebuilt if asked again)."""
        self.__dict__.pop("_takes", None)

    def takes(self, receivers: np.ndarray, keys: np.ndarray) -> np.ndarray:
        """Whether each receiver already takes the material key (from anyone): O(1) per
        pair with the bitmap, O(log f) with sorted codes."""
        taken, width = self._takes, len(self.core.material_keys)
        encoded = receivers.astype(np.int64)  # a copy: worked on in place
        encoded *= width
        encoded += np.maximum(keys, 0)
        if taken.dtype == bool:
            return (keys >= 0) & taken[encoded]
        where = np.minimum(np.searchsorted(taken, encoded), max(len(taken) - 1, 0))
        return (keys >= 0) & (len(taken) > 0) & (taken[where] == encoded)


def own_words(text: str) -> str:
    """The words of ``text`` in any script (letters, marks and digits; NFKC, case-folded),
    joined by single spaces: ``"水泥"`` stays ``"水泥"``, ``"Цемент!"`` is ``"цемент"``."""
    folded = unicodedata.normalize("NFKC", str(text)).casefold()
    kept = "".join(c if c.isalnum() or unicodedata.category(c)[0] == "M" else " " for c in folded)
    return " ".join(kept.split())


@dataclass(frozen=True)
class Chosen:
    """Receivers per stream: ``count[i]`` of them in ``receiver[i, :count[i]]``, nearest
    first (distance NaN when unknown)."""

    count: np.ndarray
    receiver: np.ndarray
    distance: np.ndarray

    def expand(
        self, at: np.ndarray, *, none: bool, beside: np.ndarray | None = None
    ) -> tuple[np.ndarray, ...]:
        """For rows whose stream is ``at`` (an index into the chosen streams): the row
        index repeated once per receiver, the receivers and distances; with ``none``, a
        stream without receivers keeps one row with receiver -1, and with ``beside`` (per
        chosen stream) a stream with receivers whose value is true one more, after them
        (a new plant beside them)."""
        count = self.count[at]
        rows = np.maximum(count, 1) if none else count
        if beside is not None:
            rows = rows + (beside[at] & (count > 0))
        index = np.repeat(np.arange(len(at)), rows)
        column = np.arange(len(index)) - np.repeat(np.cumsum(rows) - rows, rows)
        stream = at[index]
        if beside is None:
            return index, self.receiver[stream, column], self.distance[stream, column]
        past = column >= self.count[stream]  # -1 and NaN (the matrix may be full)
        column = np.minimum(column, self.receiver.shape[1] - 1)
        receiver = np.where(past, -1, self.receiver[stream, column])
        return index, receiver, np.where(past, np.nan, self.distance[stream, column])


def choose(ctx: Context, stream_ids: np.ndarray, pool: np.ndarray | None) -> Chosen:
    """Up to ``per_stream`` receivers from ``pool`` (ascending node positions) for each
    stream of ``stream_ids`` (ascending), never the stream's source: the nearest when
    coordinates are known (by chord between unit vectors, ties by node order, through a
    k-d tree for large pools: :mod:`.nearest`; one query per distinct source, topped up
    with the largest unlocated actors), else the ones with the most input flows (ties by
    node order). Receivers farther than the stream's limit (``max_distance_km``, its
    material's reach: :mod:`.reach`) are dropped. O(q log p) for
    q distinct sources and p pool actors."""
    n, per = len(stream_ids), ctx.per_stream
    chosen = Chosen(np.zeros(n, np.int64), np.full((n, per), -1), np.full((n, per), np.nan))
    if pool is None or not len(pool):
        return chosen
    geo, want = ctx.geo, per + 1  # one more, in case the source itself is in the pool
    sources = ctx.streams.source_position[stream_ids]

    def by_size() -> np.ndarray:  # only for the few streams or pools without coordinates
        return pool[np.argsort(-geo.size[pool], kind="stable")]

    pool_located = pool[geo.located[pool]]
    located = geo.located[sources]
    rest = np.arange(n)
    if len(pool_located) and located.any():
        rows = np.flatnonzero(located)
        members = pool_located  # the picks as positions among these
        local = _nearest_local(geo, pool_located, sources[rows], min(want, len(pool_located)))
        if len(pool_located) < want:  # top up with the largest actors without coordinates
            largest = by_size()
            extra = largest[~geo.located[largest]][: want - len(pool_located)]
            members = np.concatenate([pool_located, extra])
            tail = np.arange(len(pool_located), len(members))
            local = np.hstack([local, np.broadcast_to(tail, (len(rows), len(extra)))])
        _select(ctx, chosen, rows, stream_ids[rows], sources[rows], members, local)
        rest = np.flatnonzero(~located)
    if len(rest):
        top = by_size()[:want]
        local = np.broadcast_to(np.arange(len(top)), (len(rest), len(top)))
        _select(ctx, chosen, rest, stream_ids[rest], sources[rest], top, local)
    return chosen


def _nearest_local(geo: Geo, pool: np.ndarray, sources: np.ndarray, k: int) -> np.ndarray:
    """The k nearest pool actors of each source (a row per source, nearest first, ties
    by pool order), as positions in ``pool`` (:func:`.nearest.nearest`, asked once per
    distinct source, in spatial order)."""
    distinct, inverse = _in_space(geo, sources)
    local = nearest(geo.unit, pool, distinct, k, geo.sites(pool))
    # rows gathered by np.take: several times faster than fancy indexing of rows
    return np.take(local, inverse, axis=0)


def _in_space(geo: Geo, nodes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The distinct nodes in spatial order (by cell, then position) and each node's
    index among them. Queries in this order (by the tree's own cells, roughly) visit
    the same tree nodes one after the other: about 15 % faster than in node order. Many
    nodes are marked and read in the cached spatial order of all (O(n_nodes), no sort);
    a few are sorted."""
    n_nodes = len(geo.size)
    if len(nodes) * 32 < n_nodes:
        distinct = sorted_unique(nodes)
        inverse = np.searchsorted(distinct, nodes)
        spatial = lexorder(geo.cell[distinct])
        rank = np.empty(len(spatial), dtype=np.intp)
        rank[spatial] = np.arange(len(spatial))
        return distinct[spatial], rank[inverse]
    mark = np.zeros(n_nodes, dtype=bool)
    mark[nodes] = True
    ordered = geo.by_cell[mark[geo.by_cell]]
    slot = np.empty(n_nodes, dtype=np.intp)
    slot[ordered] = np.arange(len(ordered))
    return ordered, slot[nodes]


def _select(ctx: Context, chosen: Chosen, rows, ids, sources, members, local) -> None:
    """Keep the picks (``members[local]``) that are not the source and within their
    stream's limit (of ``ids``: ``max_distance_km`` and its reach, :mod:`.reach`), order
    each row by distance (unknown last, ties in pick order), store the first ``per_stream``."""
    picks = np.take(members, local)
    distance = pair_distances(ctx.geo, sources, members, local)
    valid = picks != sources[:, None]
    if ctx.limits is not None:
        within = ~(distance > ctx.limits[0][ids][:, None])
        if ctx.reach is not None:  # what the reach drops, said when nothing else is left
            from .reach import record_beyond

            record_beyond(ctx, ids, valid & ~within, distance)
        valid &= within
    key = np.where(valid, np.where(np.isnan(distance), np.inf, distance), np.nan)
    width = min(ctx.per_stream, picks.shape[1])
    count = np.minimum(valid.sum(axis=1), ctx.per_stream)
    beyond = np.arange(width) >= count[:, None]  # dropped picks sorted to the end
    receiver, distance = in_order(key, width, picks, distance)
    at = slice(None) if len(rows) == len(chosen.count) else rows  # all: no scatter of rows
    chosen.count[at] = count
    chosen.receiver[at, :width] = np.where(beyond, -1, receiver)
    chosen.distance[at, :width] = np.where(beyond, np.nan, distance)
