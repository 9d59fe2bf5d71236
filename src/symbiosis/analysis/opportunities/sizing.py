"""Sizing and ranking: the candidates' capacities and the call that ranks them.

Two ways, the same listed rows (a test compares them on random, generated and published
networks):

- every capacity first (:func:`.capacity.with_capacities`), then the ranking
  (:meth:`.heads.Ranking.of`): when the whole ranked table is kept, ranked by other than
  quantity, or filtered by kinds or fates;
- otherwise (no table, by quantity: the report of ``symbiosis analyze``, the listing of
  ``symbiosis opportunities``, the Monte Carlo's) the capacities but the intake
  bounds (:class:`.capacity.Deferred`), then the ranking resolves the bounds its first
  rows need (:meth:`.heads.Ranking.sized_first`). At a million flows the intake bounds of
  all 1.4 million rows took 0.5-0.6 s of the pass; those of the ~1,800 receivers its
  first rows need, 0.04 s.

Either way the rows the ranking keeps (:func:`.deduplication.deduplicated`) are found beside
the sizing: the capacities change no row's stream, receiver, sector, kind or pathway,
which are all the deduplication reads.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future
from functools import partial

import numpy as np

from ..._threads import side_by_side_for
from ...io.demands import Demand
from .candidates import Candidates
from .capacity import Deferred, with_capacities
from .deduplication import deduplicated
from .economics import Costs, worth
from .heads import Ranking
from .ranking import filtered
from .receivers import Context

__all__ = ["ranking_call"]


def ranking_call(
    ctx: Context,
    candidates: Candidates,
    demands: tuple[Demand, ...],
    made: Future[Ranking],
    plants: Future[Callable[[], tuple[Candidates, np.ndarray]]],
    *,
    top: int,
    rank_by: str,
    table: bool,
    kinds,
    fates,
) -> tuple[Candidates, Callable[[], Ranking]]:
    """The candidates as the listing reads them (their streams, receivers and rules) and
    a call making the ranking, setting the context's capacity groups (the listing reads
    them) and handing the ranking to ``made`` too (or the error that stopped it), and
    to ``plants`` a call giving the new plants' rows (:meth:`.heads.Ranking.new_plants`),
    as soon as they can be listed: before the ranking is done, when sized first. From
    :data:`~symbiosis._threads.PARALLEL_FLOWS` flows on, the sizing and the
    deduplication run side by side (about 0.2 s each, cold, at a million flows)."""
    costs = ctx.costs or Costs()
    keeping = partial(deduplicated, candidates, ctx)
    if not table and rank_by == "quantity" and not (kinds or fates):
        deferring = partial(Deferred, ctx, candidates, demands)
        deferred, kept = side_by_side_for(ctx.core.n_flows, [deferring, keeping])
        first = partial(_first_sized, deferred, kept, top, ctx, costs, plants.set_result)
        return candidates, _made(made, plants, first)
    sizing = partial(with_capacities, ctx, candidates, demands)
    if kinds or fates:  # the rows kept are found among those left
        (candidates, capacities), kept = sizing(), None
    else:
        (candidates, capacities), kept = side_by_side_for(ctx.core.n_flows, [sizing, keeping])
    object.__setattr__(ctx, "capacities", capacities)
    candidates = filtered(candidates, ctx.streams, kinds, fates)
    return candidates, _made(made, plants, partial(_ranked, candidates, kept, rank_by, ctx, costs))


def _made(made: Future[Ranking], plants: Future, make: Callable[[], Ranking]):
    """``make``, its ranking (or the error that stopped it) handed to ``made`` too, and
    its :meth:`~.heads.Ranking.new_plants` to ``plants`` unless ``make`` did."""

    def ranking() -> Ranking:
        try:
            made.set_result(make())
            if not plants.done():
                plants.set_result(made.result().new_plants)
        except BaseException as exc:
            for future in (made, plants):
                if not future.done():
                    future.set_exception(exc)
            raise
        return made.result()

    return ranking


def _ranked(candidates: Candidates, kept, rank_by: str, ctx: Context, costs: Costs) -> Ranking:
    """The ranking of the sized candidates (``kept``: :func:`.deduplication.deduplicated` of
    them, made here when None) with their worth."""
    found = deduplicated(candidates, ctx) if kept is None else kept
    return Ranking.of(candidates, found, worth(ctx, candidates, found, costs), rank_by, ctx)


def _first_sized(deferred: Deferred, kept, top: int, ctx: Context, costs: Costs, plants) -> Ranking:
    """The ranking by quantity sized for its first ``top`` rows of each group; the
    context's capacity groups set to those resolved."""
    money = partial(_worth_of, ctx, kept, costs)
    ranking, capacities = Ranking.sized_first(deferred, kept, money, top, ctx, plants)
    object.__setattr__(ctx, "capacities", capacities)
    return ranking


def _worth_of(ctx: Context, kept: np.ndarray, costs: Costs, candidates: Candidates):
    return worth(ctx, candidates, kept, costs)
