"""The two lanes at the end of the opportunities pass, side by side on large networks
(:func:`symbiosis._threads.side_by_side_for`): the ranking, the listed opportunities with
their impact and the uncovered streams in one (:func:`listed`); what the impact reads and
the new plants in the other (:func:`proposed`). Split from the package's ``__init__``."""

from __future__ import annotations

from concurrent.futures import Future

import numpy as np

from .candidates import Candidates
from .chain import plants
from .impact import accounts, impact_basis, new_link, with_impact
from .impact import cumulative as cumulative_impact
from .listing import behind, opportunity
from .receivers import Context
from .tables import coverage, not_searched, uncovered

__all__ = ["listed", "proposed"]


def listed(ctx: Context, candidates: Candidates, ranking, top: int, impact: bool, graph, asked):
    """One lane of the pass's end: the ranking, the listed opportunities with their
    impact and cumulative effect, the uncovered streams, the counts and the streams the
    filters left out (None unfiltered). ``asked``: the streams any candidate covers,
    the kinds and the fates asked for; ``candidates`` are those of these kinds and fates."""
    ranked = ranking()
    covered, kinds, fates, unmet = asked
    left_out = None
    if kinds or fates:
        left_out = not_searched(ctx.streams, covered, coverage(ctx.streams, candidates), fates)
    table = ranked.head(top)
    rows = np.arange(len(table))
    evidence = behind(candidates, table, rows)
    opportunities = [opportunity(ctx, table, int(i), evidence) for i in rows]
    cumulative = None
    if impact and opportunities:
        before = accounts(ctx.network)
        links = [new_link(table, int(i), ctx.streams) for i in rows]
        opportunities = [
            with_impact(o, before, graph, link)
            for o, link in zip(opportunities, links, strict=True)
        ]
        cumulative = cumulative_impact(opportunities, links, before, graph)
    return (
        ranked,
        opportunities,
        cumulative,
        uncovered(
            ctx.streams,
            covered,
            ctx.network.summed_years,
            fates,
            unmet,
            ctx.catalogue.pathways["id"].to_numpy(dtype=object),
        ),
        ranked.counts(),
        left_out,
    )


def proposed(ctx: Context, graph, new_plants: Future, basis: bool):
    """The other lane: what the impact reads (:func:`.impact.impact_basis`, when it is asked
    for), then, once they can be found, the new plants (their rows' order and the
    proposals, :func:`.chain.plants`): when the ranking is made, or when its keys are
    when the ranking is sized first (:func:`.sizing.ranking_call`). At a million flows
    the ranking takes 0.29 s and the impact's basis 0.15 s: the plants (0.08 s) fill
    the gap. Measured there, 8 + 8 interleaved runs: 3.66 -> 3.59 s, peaks 15-30 MB
    higher (five years of 200,000 flows: 904-931 MB against 872-894)."""
    if basis:
        impact_basis(graph)
    rows, group = new_plants.result()()
    return plants(rows, group, ctx)
