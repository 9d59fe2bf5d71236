"""Ranking: one row per opportunity, ordered within its group.

All orderings are stable sorts on integer and float keys (:func:`lexorder`, the same
result as ``np.lexsort``), done as a few passes of ``np.sort`` on keys packed with the row
number into one int64: numpy's sort of plain integers is several times faster than its
argsort, and an order of c rows costs O(c log c) per pass.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property, partial

import numpy as np

from ..._sorting import cumcount, lexorder
from ..._threads import side_by_side, worth_threads
from ...vocabulary import ROLES
from .candidates import CAPPED_CODES, WEAK_CODES, Candidates
from .economics import Worth
from .grades import Grading, graded_rounds, graded_ties
from .result import FATES, KINDS
from .streams import Streams

__all__ = [
    "Ranked",
    "alternatives",
    "far_distances",
    "filtered",
    "in_rank_order",
    "lexorder",
    "match_tiers",
    "no_room_rows",
    "plant_processes",
    "rank_order",
    "size_tiers",
    "turn_dimension",
    "unbounded_rows",
    "unknown_and_size",
    "with_further_feeds",
]

#: The size tiers of a group's rows (:func:`size_tiers`), in rank order: a known size;
#: at most a size (``unbounded``: no capacity known for the receiver); a further feed of
#: a plant its group proposes already (:func:`with_further_feeds`); an unknown size; no
#: room (a receiver's capacity of 0: it moves nothing, and Kaiyang's cement kiln, full of
#: phosphogypsum already, took ranks 9 and 12 of its top list with "0 t").
KNOWN, AT_MOST, FURTHER_FEED, UNKNOWN, NO_ROOM = 0, 1, 2, 3, 4
#: The tiers of a treatment receiver's rows: its own five, after every tier of reuse (an
#: incinerator of known intake after a textiles plant of no known size: its intake is
#: treated, not reused).
TREATMENT_TIERS = 5


@dataclass(frozen=True, eq=False)
class Ranked:
    """The opportunities in rank order: ``index`` points at the chosen candidates (one
    per stream and receiver, or stream and sector for new plants), with their ``group``
    (index into :data:`GROUPS`), ``value`` and the other economic parts (``worth``,
    :mod:`.economics`) and ``group_rank`` (1, 2, ... within the group). Candidate
    columns are gathered on demand (:meth:`take`, :meth:`column`, :attr:`rows`)."""

    candidates: Candidates
    index: np.ndarray
    group: np.ndarray
    value: np.ndarray
    worth: Worth
    group_rank: np.ndarray

    def __len__(self) -> int:
        return len(self.index)

    def column(self, name: str) -> np.ndarray:
        """One candidate column in rank order. O(c)."""
        return getattr(self.candidates, name)[self.index]

    def take(self, positions) -> Candidates:
        """The candidates at these rank positions."""
        return self.candidates.take(self.index[np.asarray(positions, dtype=np.int64)])

    @cached_property
    def rows(self) -> Candidates:
        """Every chosen candidate in rank order."""
        return self.candidates.take(self.index)

    def listed(self, top: int) -> np.ndarray:
        """Positions of the ``top`` first opportunities of each group."""
        return np.flatnonzero(self.group_rank <= top) if top else np.zeros(0, np.int64)


def filtered(candidates: Candidates, streams: Streams, kinds, fates) -> Candidates:
    """The candidates of the given kinds and stream fates (all when None). O(c)."""
    keep = np.ones(len(candidates), dtype=bool)
    if kinds:
        keep &= np.isin(candidates.kind, [KINDS.index(k) for k in kinds])
    if fates:
        wanted = np.isin(streams.fate_code, [FATES.index(f) for f in fates])
        keep &= wanted[candidates.stream]
    return candidates if keep.all() else candidates.take(keep)


def in_rank_order(candidates: Candidates, kept, streams: Streams, money: Worth, order) -> Ranked:
    """The :class:`Ranked` rows ``kept[order]``: ``order`` (positions into ``kept``) is
    the rank order of the whole table or its first rows of each group (a head)."""
    money = money.take(order)
    index = kept[order]
    group = streams.group_order[candidates.stream[index]].astype(np.int8)
    return Ranked(
        candidates=candidates,
        index=index,
        group=group,
        value=money.value,
        worth=money,
        group_rank=cumcount(group) + 1,
    )


def rank_order(
    columns,
    kept: np.ndarray,
    streams: Streams,
    tier: np.ndarray,
    rank_by: str,
    money: Worth,
    process: np.ndarray,
    capacity: np.ndarray | None = None,
    reclaims: np.ndarray | None = None,
    grading: Grading | None = None,
) -> np.ndarray:
    """The rank order of the rows ``kept`` (positions into them): ``columns`` has the
    candidates' ``stream``, ``pathway``, ``kind``, ``receiver``, ``distance_km`` and
    ``quantity`` (:class:`Candidates`, or the public table's compact copies), ``tier``
    the maturity tier and ``process`` the plant process (:func:`.processes.plant_codes`)
    of each catalogue row, ``money`` the worth of the kept rows, ``capacity`` theirs
    (default ``columns.capacity[kept]``), ``reclaims`` whether each catalogue row's
    sector reclaims (:attr:`.receivers.Context.reclaims`; None: none), ``grading``
    the CO2 grades (:func:`.grades.graded_ties`, :func:`.grades.graded_rounds`; None: none).
    O(c log c)."""
    stream = columns.stream[kept]
    group = streams.group_order[stream].astype(np.int8)
    value = money.net_value if rank_by == "net_value" else money.value
    far: np.ndarray | None = far_distances(columns.distance_km[kept])
    treated = treated_rows(columns.receiver[kept], treatment_nodes(streams),
                           columns.pathway[kept], reclaims)  # fmt: skip
    maturity = match_tiers(columns.pathway[kept], columns.kind[kept], columns.rule[kept], tier)
    alternative = alternatives(columns, kept, stream, far, tier, treated, tiers=maturity)
    if rank_by != "distance":
        far = None  # read no more: one array fewer under the round order's sorts
    quantity = columns.quantity[kept]  # _round_order's own array
    capacity = columns.capacity[kept] if capacity is None else capacity
    unbounded = unbounded_rows(columns.kind[kept], quantity, capacity)
    empty = no_room_rows(capacity)
    del capacity
    plant = plant_processes(columns, kept, process)
    alternative = graded_rounds(alternative, grading, stream, columns.pathway[kept],
                                columns.receiver[kept], plant, group)  # fmt: skip
    return _round_order(rank_by, stream, quantity, far, value, alternative, group, streams,
                        unbounded=unbounded, plant=plant, treated=treated,
                        no_room=empty, maturity=graded_ties(maturity, grading, stream))  # fmt: skip


def unbounded_rows(kind: np.ndarray, quantity: np.ndarray, capacity: np.ndarray) -> np.ndarray:
    """Whether each row is ``unbounded`` (:attr:`.result.Opportunity.unbounded`): a
    stream of known size to a receiver of no capacity known, not a redirect. O(c)."""
    unbounded = np.isnan(capacity)
    unbounded &= ~np.isnan(quantity)
    unbounded &= kind != KINDS.index("redirect")
    return unbounded


def no_room_rows(capacity: np.ndarray) -> np.ndarray:
    """Whether each row has no room (:attr:`.result.Opportunity.no_room`): a capacity of
    0 (a demand row's total no more than what the firm takes now, a share of its
    throughput it fills already). O(c)."""
    return capacity <= 0


def plant_processes(columns, kept: np.ndarray, process: np.ndarray) -> np.ndarray:
    """Per kept row, the process of the plant it proposes (``process``: per catalogue
    row), -1 for an actor receiver. O(c)."""
    path = columns.pathway[kept]
    plant = (columns.receiver[kept] < 0) & (path >= 0)
    return np.where(plant, process[np.maximum(path, 0)], -1)


def treated_rows(receiver: np.ndarray, treated: np.ndarray | None, pathway=None,
                 reclaims=None) -> np.ndarray | None:  # fmt: skip
    """Per row, whether its receiver is a treatment node (``treated``, a mask of the
    nodes, :func:`treatment_nodes`; None when there is none) that it reaches through no
    catalogue row of a reclaiming sector (``reclaims``, per catalogue row, beside the
    rows' ``pathway``): a water reclamation plant's intake is reused, as the water it
    sells (secondary effluent went to a power plant's cooling towers and a farm before
    Kwinana's reclamation plant, its one documented taker). O(c)."""
    if treated is None:
        return None
    rows = np.take(treated, receiver) & (receiver >= 0)
    if reclaims is not None and reclaims.any():
        at = np.flatnonzero(rows)
        path = pathway[at]
        rows[at[(path >= 0) & reclaims[np.maximum(path, 0)]]] = False
    return rows


def after_reuse(tier: np.ndarray, treated: np.ndarray | None) -> np.ndarray:
    """``tier`` with a treatment receiver's rows moved to its own tiers
    (:data:`TREATMENT_TIERS`), after every tier of reuse. O(c)."""
    if treated is None:
        return tier
    return tier + (np.int8(TREATMENT_TIERS) * treated).astype(tier.dtype)


def size_tiers(
    unknown: np.ndarray, unbounded: np.ndarray | None, no_room: np.ndarray | None = None
) -> np.ndarray:
    """Each row's size tier (:data:`KNOWN`, :data:`AT_MOST`, :data:`UNKNOWN` or
    :data:`NO_ROOM`; the further feeds are marked by :func:`with_further_feeds`), as
    int8."""
    tier = np.where(unknown, np.int8(UNKNOWN), np.int8(KNOWN))
    if unbounded is not None:
        tier[unbounded & ~unknown] = AT_MOST
    if no_room is not None:
        tier[no_room & ~unknown] = NO_ROOM
    return tier


def with_further_feeds(tier, plant, dimension, group, keys) -> np.ndarray:
    """``tier`` with the further feeds of each proposed plant marked
    :data:`FURTHER_FEED`: of the rows of known size or at most a size that propose one
    plant (``plant``: its process, -1 for none) in one group and ``dimension``, every
    one but the first by ``keys`` (:func:`lexorder` keys, the last the primary one; ties
    by position): the order the ranking gives them, which no other row changes. A plant
    is proposed once per group and dimension: three CO2 emitters gave three rows "18,000
    t to a new precipitated calcium carbonate plant", each taking the one plant's
    typical intake. O(p log p) for p plant rows."""
    rows = np.flatnonzero(plant >= 0)
    if len(rows) < 2:
        return tier
    ordered = rows[lexorder(*(key[rows] for key in keys), dimension[rows], plant[rows],
                            group[rows])]  # fmt: skip
    same = np.ones(len(ordered) - 1, dtype=bool)
    for key in (group, plant, dimension):
        by = key[ordered]
        same &= by[1:] == by[:-1]
    later = ordered[1:][same]
    later = later[tier[later] < FURTHER_FEED]  # not of unknown size, nor of no room
    if not len(later):
        return tier
    tier = tier.copy()
    tier[later] = FURTHER_FEED
    return tier


def treatment_nodes(streams: Streams) -> np.ndarray | None:
    """Per node, whether its role is ``treatment`` (a stream sent there is *treated*, not
    reused, in the reuse accounts); None when no node has it. O(n), cached on the core."""
    core = streams.core

    def build() -> np.ndarray | None:
        treated = core.role_code == ROLES.index("treatment")
        return treated if treated.any() else None

    return core.cached(("opportunities", "treatment_nodes"), build)


def alternatives(
    columns, kept, stream, far, tier: np.ndarray, treated=None, tiers=None
) -> np.ndarray:
    """The number of each deduplicated row among its stream's alternatives, 0 for the
    best: a row to a treatment receiver (``treated``, a mask of the rows,
    :func:`treated_rows`; its intake is treated, not reused) after every other; emerging
    last of the others; actors present before new plants; a direct match before one
    through the taxonomy's family or the network's evidence of a related taker; the
    stronger kind; the more mature; the nearest; then pathway, then receiver (the rows
    are in receiver order within a stream, and every pass is stable). Rows in stream
    order (as :func:`deduplicated` gives them) are numbered in runs of whole streams,
    from :data:`~symbiosis._threads.PARALLEL_FLOWS` rows on eight runs, four on each of
    two threads: a stream's rows all lie in one run, so the numbers are the same. Each
    run's sort is also cheaper than a share of the whole one (fewer rows and streams
    leave more bits of its coarse key to the distance: at a million flows, 1.8M rows,
    0.169 s in one run, 0.112 s in eight, one thread; the sort is the largest step of
    the ranking, which the new plants' lane waits for). ``tiers``: the rows'
    :func:`match_tiers`, when the caller has them."""
    pathway, kind = columns.pathway[kept], columns.kind[kept]
    mid = _alternative_class(pathway, kind, columns.rule[kept], tier, tiers)  # below 256
    del kind
    if treated is not None:  # after every reuse: 256 more
        mid = mid + (treated.astype(np.int64) << 8)
    n = len(stream)
    if n < _RUNS or not worth_threads(n) or not np.all(stream[1:] >= stream[:-1]):
        return _numbered(pathway, far, mid, stream)
    cuts = np.unique(np.searchsorted(stream, stream[np.arange(1, _RUNS) * n // _RUNS]))
    runs = [slice(a, b) for a, b in zip([0, *cuts.tolist()], [*cuts.tolist(), n], strict=True)]
    half = len(runs) // 2
    lanes = [partial(_numbered_runs, runs[:half], pathway, far, mid, stream),
             partial(_numbered_runs, runs[half:], pathway, far, mid, stream)]  # fmt: skip
    return np.concatenate(side_by_side(lanes))


#: Runs of whole streams that :func:`alternatives` numbers one by one (on two threads).
_RUNS = 8


def _numbered_runs(runs: list[slice], pathway, far, mid, stream) -> np.ndarray:
    """:func:`_numbered` of each run, one after the other, concatenated."""
    if not runs:
        return np.zeros(0, dtype=np.int64)
    parts = [_numbered(pathway[r], far[r], mid[r], stream[r]) for r in runs]
    return np.concatenate(parts)


def _numbered(pathway, far, mid, stream) -> np.ndarray:
    """:func:`alternatives` of some whole streams' rows."""
    order = lexorder(pathway, far, mid, stream)
    alternative = np.empty(len(order), dtype=np.int64)
    alternative[order] = cumcount(stream[order])
    return alternative


def _alternative_class(pathway, kind, rule, tier: np.ndarray, tiers=None) -> np.ndarray:
    """The order of a stream's alternatives before distance, as one integer below 256:
    emerging pathways last; actors present before new plants; a direct match before one
    by a weak rule (:data:`.result.WEAK_RULES`: through the family, or the network's
    evidence of a related taker); the stronger kind (in-house first: :data:`_STRENGTH`);
    the more mature (:func:`match_tiers`)."""
    tiers = match_tiers(pathway, kind, rule, tier) if tiers is None else tiers
    plant = kind == KINDS.index("new_plant")
    weak = np.isin(rule, WEAK_CODES)
    return ((((tiers >= 2) * 2 + plant) * 2 + weak) * 8 + _STRENGTH[kind]) * 4 + tiers


#: Per kind code, its place among a stream's alternatives (:func:`_alternative_class`):
#: in-house first (its source runs the process already: no transport, no new partner,
#: :mod:`.in_house`), then redirect, expand, new link, new plant, downstream.
_STRENGTH = np.array([1 + KINDS.index(k) if k != "in_house" else 0 for k in KINDS],
                     dtype=np.int64)  # fmt: skip


def match_tiers(
    pathway: np.ndarray, kind: np.ndarray, rule: np.ndarray, tier: np.ndarray
) -> np.ndarray:
    """Maturity tier per candidate: its catalogue row's (``tier``, indexed by row, -1 for
    a same-material redirect and the network's evidence: 0); at least 1 (as
    "demonstrated") for a match by one of :data:`.result.WEAK_RULES` (a row of another
    material of the family, a taker of the material under another name, of a related
    material, a peer), weaker than an established pathway (:func:`.result.match_maturity`
    shows the same). ``kind`` is unused: every network match but a taker of the very
    material is weak; the network's evidence of a purer grade (:data:`.candidates.
    CAPPED_CODES`) is at least 1 too."""
    tiers = tier.astype(np.int8)[pathway]  # tiers 0-3: a byte per row
    weak = np.isin(rule, _AT_MOST_DEMONSTRATED)
    return np.where(weak & (tiers < 1), np.int8(1), tiers)


#: The rules whose matches are ``demonstrated`` at most (:func:`match_tiers`), one array.
_AT_MOST_DEMONSTRATED = np.concatenate([WEAK_CODES, CAPPED_CODES])


def far_distances(distance: np.ndarray) -> np.ndarray:
    """Distances for sorting: unknown ones after every known one. A finite stand-in just
    above the largest keeps the keys' bits few (infinity would widen every pass)."""
    unknown = np.isnan(distance)
    if not unknown.any():
        return distance
    largest = float(distance[~unknown].max(initial=0.0))
    return np.where(unknown, np.nextafter(largest, np.inf), distance)


def _round_order(rank_by, stream, quantity, far, value, alternative, group, streams, *,
                 unbounded=None, plant=None, treated=None, no_room=None,
                 maturity=None):  # fmt: skip
    """The rank order: groups, then rounds of alternatives, then ``rank_by``; by
    quantity or value, each group's size tiers (:func:`size_tiers`: ``unbounded`` and
    ``no_room``, masks, and ``plant``, the plant processes, when given) before the rounds; by
    distance after it (a tie-break: distance reads no size). By quantity, rows of one
    size in a block come the more mature first (``maturity``: :func:`match_tiers`; Kwinana's
    refinery CO2 had filled the CO2 plant before the ammonia plant's, by the firms table),
    then in row order. ``quantity`` is worked on in place (the caller's gather)."""
    unknown, size = unknown_and_size(quantity)
    del quantity
    tier = size_tiers(unknown, unbounded, no_room)
    del unknown
    dimension = turn_dimension(streams, stream)
    # The rows come in stream order (:func:`deduplicated`), so the last tie-break of
    # every order below, the stream, is the row order that a stable sort keeps anyway:
    # it is left out of the keys (one pass of np.sort fewer).
    if rank_by == "quantity":
        ties = () if maturity is None else (maturity,)  # of one size, the more mature first
        if plant is not None:
            tier = with_further_feeds(tier, plant, dimension, group,
                                      (*ties, size, alternative, tier))  # fmt: skip
        tier = after_reuse(tier, treated)
        # by block (group, tier, alternative) and dimension, the largest first: the
        # turns of the dimensions within each block
        by_block = lexorder(*ties, size, dimension, alternative, tier, group)
        del size  # each temporary let go as soon as it is read: a lower peak
        block = group.astype(np.int64) * 2 * TREATMENT_TIERS + tier
        block *= alternative.max(initial=0) + 1
        block = (block + alternative) * 10
        block += dimension
        turn = np.empty(len(by_block), dtype=np.int64)
        turn[by_block] = cumcount(block[by_block])
        del by_block, block
        return lexorder(dimension, turn, alternative, tier, group)
    if rank_by == "distance":
        if plant is not None:
            tier = with_further_feeds(tier, plant, dimension, group, (size, tier, far, alternative))
        # no room last of the group even here: it moves nothing, however near
        return lexorder(size, after_reuse(tier, treated), far, alternative, tier == NO_ROOM,
                        group)  # fmt: skip
    by_value = (size, -np.nan_to_num(value), np.isnan(value), alternative, tier)
    if plant is not None:
        tier = with_further_feeds(tier, plant, dimension, group, by_value)
    return lexorder(*by_value[:-1], after_reuse(tier, treated), group)


def unknown_and_size(quantity: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Whether each quantity is unknown, and its size for sorting: -quantity, 0 when
    unknown (the largest first). ``quantity`` is worked on in place."""
    unknown = np.isnan(quantity)
    return unknown, np.negative(np.nan_to_num(quantity, copy=False), out=quantity)


def turn_dimension(streams: Streams, stream: np.ndarray) -> np.ndarray:
    """Each row's dimension as the turns of ``rank_by="quantity"`` take it: mass,
    energy, volume (0-2), then none (9)."""
    dimension = streams.dimension[stream]
    return np.where(dimension >= 0, dimension, 9)
