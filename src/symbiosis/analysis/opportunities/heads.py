"""The first rows of each group in rank order, and the new plants' rows in their rank
order, without ranking the whole table.

The analysis lists the ``top`` opportunities of each group and the new plants' largest
feeds; the whole ranked table (every candidate) is built only when it is asked for
(:attr:`Opportunities.table`). For ``rank_by="quantity"`` the rank order is, within a
group, by block (the size tier: known, at most, a further feed of a plant, unknown; then
the round of alternatives), then turn (the n-th largest of its dimension in the block),
then dimension (:func:`.ranking.rank_order`).
The first ``top`` rows of a group lie in its first blocks, and in a block they are among
the ``top`` largest of each dimension: a partition per dimension finds them, O(c) for c
rows, where the whole order costs two more sorts of every row (0.2 s at a million flows).
"""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property, partial

import numpy as np

from ..._sorting import cumcount, lexorder
from .candidates import Candidates
from .capacity import Capacities, Deferred
from .economics import Worth
from .grades import Grading, graded_rounds, graded_ties
from .processes import plant_codes
from .purity import grading as co2_grading
from .ranking import (
    AT_MOST,
    KNOWN,
    NO_ROOM,
    Ranked,
    after_reuse,
    alternatives,
    far_distances,
    in_rank_order,
    match_tiers,
    no_room_rows,
    plant_processes,
    rank_order,
    size_tiers,
    treated_rows,
    treatment_nodes,
    turn_dimension,
    unbounded_rows,
    unknown_and_size,
    with_further_feeds,
)
from .receivers import Context
from .result import GROUPS, KINDS
from .streams import Streams

__all__ = ["RankKeys", "Ranking", "head", "subset_order"]


@dataclass(frozen=True, eq=False)
class RankKeys:
    """What the rank order by quantity reads, per deduplicated row (in their order):
    ``group`` (index into GROUPS), ``block`` (size tier, :func:`.ranking.size_tiers`,
    times ``span``, the number of rounds, plus the round of alternatives: the order of
    blocks within a group), ``dimension`` (:func:`.ranking.turn_dimension`) and ``size``
    (-quantity, 0 when unknown), and ``maturity`` (:func:`.ranking.match_tiers`: of one
    size in a block, the more mature first; None: row order)."""

    group: np.ndarray
    block: np.ndarray
    dimension: np.ndarray
    size: np.ndarray
    span: int = 1
    maturity: np.ndarray | None = None

    @classmethod
    def of(
        cls,
        stream: np.ndarray,
        quantity: np.ndarray,
        alternative: np.ndarray,
        streams: Streams,
        unbounded: np.ndarray | None = None,
        plant: np.ndarray | None = None,
        treated: np.ndarray | None = None,
        no_room: np.ndarray | None = None,
        maturity: np.ndarray | None = None,
    ) -> RankKeys:
        """From the rows' streams, quantities (copied), rounds of alternatives, whether
        each is ``unbounded`` or has ``no_room`` (a capacity of 0) and the process of the
        plant it proposes (``plant``, -1 for none; :func:`.ranking.with_further_feeds`).
        O(c), plus O(p log p) for p plant rows."""
        unknown, size = unknown_and_size(quantity.astype(np.float64, copy=True))
        group = streams.group_order[stream].astype(np.int8)
        dimension = turn_dimension(streams, stream)
        tier = size_tiers(unknown, unbounded, no_room)
        ties = () if maturity is None else (maturity,)
        if plant is not None:
            tier = with_further_feeds(tier, plant, dimension, group,
                                      (*ties, size, alternative, tier))  # fmt: skip
        tier = after_reuse(tier, treated)  # a treatment receiver after every reuse
        span = int(alternative.max(initial=0)) + 1
        block = tier.astype(np.int64) * span + alternative
        return cls(group, block, dimension, size, span, maturity)


def _graded(rounds, candidates: Candidates, kept, stream, plant, ctx: Context) -> np.ndarray:
    """The rounds with CO2 short of its receiver's need after the pure CO2 offered to it
    (:func:`.grades.graded_rounds`). O(c)."""
    group = ctx.streams.group_order[stream]
    return graded_rounds(rounds, co2_grading(ctx), stream, candidates.pathway[kept],
                         candidates.receiver[kept], plant, group)  # fmt: skip


def head(keys: RankKeys, top: int, groups: int) -> np.ndarray:
    """Positions of the first ``top`` rows of each of ``groups`` groups, in rank order
    by quantity (group after group): the rows :func:`.ranking.rank_order` puts first.
    O(c) for a large group (its first block holds ``top`` rows), plus a scan of the
    group's rows per further block it reads."""
    if top <= 0:
        return np.zeros(0, dtype=np.int64)
    picked = []
    for g in range(groups):
        rows = np.flatnonzero(keys.group == g)
        block = keys.block[rows]
        need = top
        for b in np.flatnonzero(np.bincount(block)):  # the blocks present, in order
            if need <= 0:
                break
            first = _first_of_block(keys, rows[block == b], need)
            picked.append(first)
            need -= len(first)
    return np.concatenate(picked) if picked else np.zeros(0, dtype=np.int64)


def _first_of_block(keys: RankKeys, rows: np.ndarray, need: int) -> np.ndarray:
    """The first ``need`` rows (ascending positions) of one block in rank order: by
    turn, then dimension. A row's turn is its place in its dimension by size, then
    maturity, then position; the first ``need`` rows have turns below ``need``, so only
    the ``need`` largest of each dimension (with those tied at the last) are sorted."""
    found, turns, dimensions = [], [], []
    dimension = keys.dimension[rows]
    for d in np.flatnonzero(np.bincount(dimension)):
        mine = rows[dimension == d]
        size = keys.size[mine]
        if len(mine) > need:
            cut = np.partition(size, need - 1)[need - 1]
            within = np.flatnonzero(size <= cut)  # at least need rows, positions ascending
            mine, size = mine[within], size[within]
        if keys.maturity is None:
            largest = np.argsort(size, kind="stable")[:need]  # ties by position
        else:  # ties by maturity, then position
            largest = lexorder(keys.maturity[mine], size)[:need]
        found.append(mine[largest])
        turns.append(np.arange(len(largest)))
        dimensions.append(np.full(len(largest), d))
    rows, turn, dimension = (np.concatenate(a) for a in (found, turns, dimensions))
    return rows[np.lexsort((dimension, turn))[:need]]


def subset_order(keys: RankKeys, rows: np.ndarray) -> np.ndarray:
    """``rows`` (ascending positions) in the rank order by quantity that they would have
    if they were the only rows: the true rank order for any two of them in different
    groups or blocks, or of one dimension in a block (their turns then compare as their
    sizes and positions do). Two rows of one block and different dimensions compare by
    their turns among ``rows`` only. O(r log r)."""
    group, block = keys.group[rows], keys.block[rows]
    dimension, size = keys.dimension[rows], keys.size[rows]
    ties = () if keys.maturity is None else (keys.maturity[rows],)
    by_block = lexorder(*ties, size, dimension, block, group)
    code = (group.astype(np.int64) * (int(block.max(initial=0)) + 1) + block) * 10 + dimension
    turn = np.empty(len(rows), dtype=np.int64)
    turn[by_block] = cumcount(code[by_block])
    return rows[lexorder(dimension, turn, block, group)]


@dataclass(frozen=True, eq=False)
class Ranking:
    """The deduplicated candidates (``kept``, positions by stream then place) with their
    ``money`` (:class:`.economics.Worth`), and what their rank order reads. The listed
    rows (:meth:`head`) and the new plants' rows (:meth:`new_plants`) are found without
    the whole order when ``rank_by`` is quantity (``keys``); else, or when a rare tie
    needs it, the whole order is made (:meth:`order`, once)."""

    candidates: Candidates
    kept: np.ndarray
    money: Worth
    rank_by: str
    streams: Streams
    tier: np.ndarray
    process: np.ndarray  # per catalogue row, its plant process (.processes.plant_codes)
    keys: RankKeys | None
    #: a ranking sized for its first rows only (:meth:`sized_first`): that ``top`` and
    #: the positions of those rows, and the call that makes the whole ranking
    first: tuple[int, np.ndarray] | None = None
    whole: Callable[[], Ranking] | None = None
    #: per catalogue row, whether its sector reclaims (:attr:`.receivers.Context.reclaims`)
    reclaims: np.ndarray | None = None
    #: the CO2 grades (:func:`.grades.graded_ties`, :func:`.grades.graded_rounds`)
    grading: Grading | None = None

    @classmethod
    def of(
        cls, candidates: Candidates, kept: np.ndarray, money: Worth, rank_by: str, ctx: Context
    ) -> Ranking:
        """O(c log c): the rounds of alternatives, for ``rank_by="quantity"``."""
        keys = None
        if rank_by == "quantity":
            stream = candidates.stream[kept]
            far = far_distances(candidates.distance_km[kept])
            treated = _treated(candidates, kept, ctx)
            maturity = _maturity(candidates, kept, ctx)
            rounds = alternatives(candidates, kept, stream, far, ctx.tier, treated,
                                  tiers=maturity)  # fmt: skip
            del far
            quantity = candidates.quantity[kept]
            capacity = candidates.capacity[kept]
            unbounded = unbounded_rows(candidates.kind[kept], quantity, capacity)
            plant = plant_processes(candidates, kept, plant_codes(ctx))
            rounds = _graded(rounds, candidates, kept, stream, plant, ctx)
            ties = graded_ties(maturity, co2_grading(ctx), stream)
            keys = RankKeys.of(stream, quantity, rounds, ctx.streams, unbounded, plant, treated,
                               no_room_rows(capacity), ties)  # fmt: skip
        return cls(candidates, kept, money, rank_by, ctx.streams, ctx.tier, plant_codes(ctx), keys,
                   reclaims=ctx.reclaims, grading=co2_grading(ctx))  # fmt: skip

    @classmethod
    def sized_first(
        cls,
        deferred: Deferred,
        kept: np.ndarray,
        money: Callable[[Candidates], Worth],
        top: int,
        ctx: Context,
        plants: Callable[[Callable[[], tuple[Candidates, np.ndarray]]], None] | None = None,
    ) -> tuple[Ranking, Capacities]:
        """The ranking by quantity with the intake bounds (:class:`.capacity.Deferred`)
        resolved only where its first ``top`` rows of each group need them, and the
        capacity groups. ``money`` gives the worth of the ``kept`` rows of candidates.
        ``plants``, when given, is handed a call giving :meth:`new_plants` as soon as
        the keys are known, before any bound is resolved: the new plants' rows have
        exact keys from the start (no intake bounds them), so another thread can list
        the plants meanwhile (their rows' own columns: stream, sector, pathway; the
        others unsized).

        The first rows are found with the pending rows' quantities as upper bounds (a bound
        only cuts): when none of them is pending, they are the first rows of the exact
        ranking, since a row behind them stays behind once it is resolved: its quantity cut
        (its size and position only grow), or, of no capacity, moved to a later block (at
        most a size); the groups and dimensions do not change. Else the receivers of the
        pending rows among the first :data:`WIDER` x WIDER times as many are resolved, and
        the rows found again, at most :data:`ROUNDS` times (each reading WIDER times as
        many), then every receiver. The first ``top`` rows of a group are the first of its
        first ``wide`` (:func:`head` of a larger number): one :func:`head` a round finds
        both. The whole ranking (:attr:`order`, and :meth:`head` with another ``top``) is
        made with every row resolved, on first use. O(c) a round."""
        candidates = deferred.candidates
        stream = candidates.stream[kept]
        far = far_distances(candidates.distance_km[kept])
        treated = _treated(candidates, kept, ctx)
        maturity = _maturity(candidates, kept, ctx)
        rounds = alternatives(candidates, kept, stream, far, ctx.tier, treated,
                              tiers=maturity)  # fmt: skip
        del far
        # a pending row is taken as bounded: resolved, it stays so or moves to a later
        # block (at most a size), as a cut moves it later in its own
        quantity, capacity = deferred.quantity(kept), deferred.capacity[kept]
        unbounded = unbounded_rows(candidates.kind[kept], quantity, capacity)
        unbounded &= ~deferred.pending[kept]
        empty = no_room_rows(capacity) & ~deferred.pending[kept]
        plant = plant_processes(candidates, kept, plant_codes(ctx))
        rounds = _graded(rounds, candidates, kept, stream, plant, ctx)
        keys = RankKeys.of(stream, quantity, rounds, ctx.streams, unbounded, plant, treated,
                           empty, graded_ties(maturity, co2_grading(ctx), stream))  # fmt: skip
        del quantity, capacity, unbounded, plant, empty
        resolved = threading.Event()  # set when the rounds end: the whole ranking waits
        whole = _once(partial(_resolved_ranking, deferred, kept, money, ctx, resolved))
        if plants is not None:
            plants(partial(new_plant_rows, candidates, kept, keys))
        try:
            keys, first = _resolved_first(deferred, kept, keys, top, ctx)
        finally:
            resolved.set()
        sized, capacities = deferred.sized()
        ranking = cls(sized, kept, money(sized), "quantity", ctx.streams, ctx.tier,
                      plant_codes(ctx), keys, first=(top, first), whole=whole,
                      reclaims=ctx.reclaims, grading=co2_grading(ctx))  # fmt: skip
        return ranking, capacities

    def cached(self) -> dict[str, np.ndarray]:
        """What it made already (the whole order, the groups), for a copy."""
        return {k: v for k, v in self.__dict__.items() if k in ("order", "group")}

    @cached_property
    def group(self) -> np.ndarray:
        """The group of each kept row."""
        if self.keys is not None:
            return self.keys.group
        return self.streams.group_order[self.candidates.stream[self.kept]].astype(np.int8)

    @cached_property
    def order(self) -> np.ndarray:
        """The whole rank order (positions into ``kept``). O(c log c)."""
        if self.whole is not None:
            return self.whole().order
        return rank_order(self.candidates, self.kept, self.streams, self.tier, self.rank_by,
                          self.money, self.process, reclaims=self.reclaims,
                          grading=self.grading)  # fmt: skip

    def head(self, top: int) -> Ranked:
        """The first ``top`` rows of each group, ranked (their group ranks 1, 2, ...)."""
        if self.first is not None and self.first[0] == top:
            first = self.first[1]
        elif self.whole is not None:
            return self.whole().head(top)
        elif self.keys is None or "order" in self.__dict__:
            order = self.order
            first = order[cumcount(self.group[order]) < top]
        else:
            first = head(self.keys, top, len(GROUPS))
        return in_rank_order(self.candidates, self.kept, self.streams, self.money, first)

    def new_plants(self) -> tuple[Candidates, np.ndarray]:
        """The new plants' rows and their groups, in rank order (:func:`new_plant_rows`)."""
        if self.keys is None or "order" in self.__dict__:
            ordered = self.order[self.candidates.receiver[self.kept][self.order] < 0]
            return self.candidates.take(self.kept[ordered]), self.group[ordered]
        return new_plant_rows(self.candidates, self.kept, self.keys)

    def counts(self) -> dict[str, dict[str, int]]:
        """Number of opportunities per group and kind. O(c)."""
        kind = self.candidates.kind[self.kept]
        found = np.bincount(self.group * len(KINDS) + kind, minlength=len(GROUPS) * len(KINDS))
        return {
            group: {kind: int(found[g * len(KINDS) + k]) for k, kind in enumerate(KINDS)}
            for g, group in enumerate(GROUPS)
        }


#: At most this many rounds of :meth:`Ranking.sized_first` resolve the receivers of its
#: first rows: the first round those of WIDER x WIDER times ``top`` first rows of each
#: group, each next one WIDER times as many; then every receiver is resolved. At a
#: million flows and at 100,000, one round (the rows of ~1,800 and ~1,600 receivers) and
#: a look that finds none pending; the receivers of the first ``top`` rows alone took 30
#: rounds, of 8 x ``top`` first two (each round O(c)).
ROUNDS, WIDER = 6, 8


def new_plant_rows(candidates: Candidates, kept, keys: RankKeys) -> tuple[Candidates, np.ndarray]:
    """The new plants' rows among ``kept`` and their groups, in rank order as
    :func:`.chain.plants` reads them (:func:`subset_order`): the true rank order but
    between rows of one block and different dimensions, whose order the plants do not
    read (their feeds' ties go by dimension first, their processes by plant id). The
    whole rank order was made when two feeds of one sector had streams of one size in two
    dimensions (a tie of round numbers, frequent in generated networks: 1.5 s and 0.35 GB
    at a million flows). O(p log p) for p such rows."""
    new = candidates.receiver[kept] < 0
    ordered = subset_order(keys, np.flatnonzero(new))
    return candidates.take(kept[ordered]), keys.group[ordered]


def _maturity(candidates: Candidates, kept: np.ndarray, ctx: Context) -> np.ndarray:
    """The kept rows' maturity tiers (:func:`.ranking.match_tiers`)."""
    rows = (candidates.pathway[kept], candidates.kind[kept], candidates.rule[kept])
    return match_tiers(*rows, ctx.tier)


def _resolved_first(
    deferred: Deferred, kept, keys: RankKeys, top: int, ctx: Context
) -> tuple[RankKeys, np.ndarray]:
    """The rounds of :meth:`Ranking.sized_first`: the keys with the resolved rows' sizes
    and blocks (in arrays of their own: ``keys`` is left as it is) and the first rows."""
    pending, receiver = deferred.pending[kept], deferred.candidates.receiver[kept]
    keys = dataclasses.replace(keys, size=keys.size.copy(), block=keys.block.copy())
    wide = top * WIDER * WIDER
    for _ in range(ROUNDS):
        near = head(keys, wide, len(GROUPS))
        first = near[cumcount(keys.group[near]) < top]  # group by group, in rank order
        if not pending[first].any():
            return keys, first
        nodes = np.zeros(ctx.core.n_nodes, dtype=bool)
        nodes[receiver[near[pending[near]]]] = True
        deferred.resolve(nodes)
        now = np.flatnonzero(pending)
        now = now[nodes[receiver[now]]]  # a pending row's receiver is an actor
        pending[now] = False
        _resolved(keys, deferred, kept, now)
        wide *= WIDER
    deferred.resolve_all()
    _resolved(keys, deferred, kept, np.flatnonzero(pending))
    return keys, head(keys, top, len(GROUPS))


def _resolved(keys: RankKeys, deferred: Deferred, kept, now: np.ndarray) -> None:
    """The keys of the rows ``now`` (positions into ``kept``), just resolved: their
    sizes cut, and those left with no capacity (unbounded) moved from their block among
    the rows of known size to their round's among those of at most a size, those of a
    capacity of 0 to their round's among those of no room. In place."""
    rows = kept[now]
    quantity = deferred.quantity(rows)
    capacity = deferred.capacity[rows]
    unbounded = unbounded_rows(deferred.candidates.kind[rows], quantity, capacity)
    keys.size[now] = unknown_and_size(quantity)[1]
    keys.block[now[unbounded]] += (AT_MOST - KNOWN) * keys.span
    keys.block[now[no_room_rows(capacity)]] += (NO_ROOM - KNOWN) * keys.span


def _treated(candidates: Candidates, kept: np.ndarray, ctx: Context) -> np.ndarray | None:
    """:func:`.ranking.treated_rows` of the kept rows (None: no treatment node)."""
    return treated_rows(candidates.receiver[kept], treatment_nodes(ctx.streams),
                        candidates.pathway[kept], ctx.reclaims)  # fmt: skip


def _resolved_ranking(deferred: Deferred, kept, money, ctx: Context, resolved) -> Ranking:
    """The ranking of a copy of ``deferred`` with every row resolved, once ``resolved``
    (an event) is set: the first rows' rounds resolve it meanwhile."""
    resolved.wait()
    deferred = deferred.copy()
    deferred.resolve_all()
    sized, _ = deferred.sized()
    return Ranking.of(sized, kept, money(sized), "quantity", ctx)


def _once(make: Callable[[], Ranking]) -> Callable[[], Ranking]:
    """``make`` called on first use only, its value kept (two threads may ask)."""
    lock, made = threading.Lock(), list[Ranking]()

    def once() -> Ranking:
        with lock:
            if not made:
                made.append(make())
        return made[0]

    return once
