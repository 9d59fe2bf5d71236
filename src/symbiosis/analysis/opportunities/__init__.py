"""Symbiosis and chain-extension opportunities: where a stream that leaves could be an input.

The engine looks at every stream that leaves the system from an actor and asks, with the
pathway catalogue (:mod:`symbiosis.catalogue`), who inside the network could take it, or
which plant is missing to take it. These are **candidates for study, not verified
exchanges**: each says which catalogue row and which matching rule proposed it, and with
what source, but quality, contamination, logistics, prices and contracts are not checked.

Streams
    A *stream* is a flow from an actor to a boundary node. Its ``fate`` is ``disposed``
    (to a disposal node), ``emitted`` (to the environment) or ``sold`` (a by-product, waste
    or emission sold raw to the market); a ``product`` sold to the market is a candidate for
    *downstream* processing when the catalogue lists a further stage for it.

Opportunity kinds (one per stream and receiver; the strongest kind wins)
    ``redirect``
        An actor already takes the same material (same key), or a primary material that the
        stream substitutes for (the row's ``substitutes``), from primary supply: a market or
        environment node, or an extraction actor. The stream replaces that input at the
        row's substitution ratio (1 t of it replaces that many t; 1 when not given): the
        quantity is the smaller of the stream and the input over the ratio, and the input
        is cut by the quantity times the ratio.
    ``expand``
        An actor of a receiving sector already takes this material (from anyone); it could
        take this stream too.
    ``new_link``
        An actor of a receiving sector is in the network but takes nothing of the material.
    ``new_plant``
        No actor of the receiving sector is in the network (or within ``max_distance_km``
        and the stream's transport reach, :mod:`.reach`):
        a plant would have to be built, one per process (a receiving sector and product,
        :mod:`.processes`), never for a row whose ``role`` is an additive, a fuel or a
        utility, nor of a sector whose plants stand beside a host the network lacks (a
        satellite PCC plant, a paper mill: ``catalogue.sectors.HOSTED_SECTORS``). Such
        proposals are also listed with what one plant of typical size takes and the feed
        available (:class:`PlantProposal`): chain extension.
    ``downstream``
        A product leaving at an early stage (``product`` rows of the catalogue: copper
        cathode to rod, wire, foil) could be processed further by an actor of the downstream
        sector, or by a new plant (``new_plant`` is then true).

    ``in_house``
        A disposed stream back to its own source, which runs the row's process (an actor
        of the row's receiving sector: a kraft mill's lime mud to its lime kiln, a
        steelworks' dust to its sinter plant; :mod:`.in_house`), ranked first among the
        stream's alternatives.

    The stream's own source is its receiver in-house only, and no plant is proposed beside
    a source that runs the row's process. For each stream and receiving sector at
    most ``receivers_per_stream`` actors are proposed: the nearest ones when coordinates
    are known, else those with the most input flows (ties by firms-table order).

Matching
    Materials: :meth:`symbiosis.catalogue.Catalogue.match` (key of the name, synonyms, or a
    ``material_code`` column on both sides). Sectors: the catalogue's sector vocabulary
    (whole-word terms, leftmost-longest). A row with a ``dimension`` only matches streams
    of that dimension; an energy row also steam given in mass (:mod:`.carriers`).

Ranking
    Opportunities are ranked in three groups, in this order: streams disposed or emitted,
    residues sold raw, and early-stage products (downstream); ``top`` applies to each
    group. The alternatives for one stream are ordered first: pathways of emerging
    maturity last, and with them a row whose ``condition`` names another row of its
    material (:attr:`~symbiosis.catalogue.Catalogue.follows`: cement after the Waelz
    kiln); otherwise actors already in the network before new plants; a direct
    match before one through the taxonomy's family or the network's evidence of a related
    taker (:data:`.result.WEAK_RULES`, shown ``demonstrated`` at most); then the kind
    (redirect, expand, new link); then the more mature pathway (established, then
    demonstrated or unknown; a redirect to an actor that already buys the same material
    counts as established), then the nearest receiver. Each stream's first alternative comes before
    any second one, and so on. Within one round (``rank_by="quantity"``, the default) by
    the quantity that could be reused (ties: the more mature), *within each dimension*, the
    dimensions taking turns (the largest mass, the largest energy, the largest volume, the
    second largest mass, ...), since tonnes and gigajoules are never compared;
    ``rank_by="distance"``: the nearest first (unknown distances last); ``rank_by="value"``:
    the largest value first, where value = quantity moved x the stream's ``price`` (per
    unit of the flow's own unit) when flows have a price column. By quantity or value, rounds
    lie in size tiers: known, at most (``unbounded``), a proposed plant's further feeds, unknown
    (by distance, tie-breaks; :mod:`.ranking`). Ties are broken by the data, not row order: the
    stream's source (firms-table order), material key, then target (:func:`.streams.data_order`).

Impact
    For each listed opportunity (the ``top`` of each group), its edits
    (:mod:`symbiosis.edits`) and the reuse share and utilisation rate of
    :mod:`symbiosis.analysis.reuse` before and after. Both are ratios of sums over
    residual flows, so moving ``q`` of a stream changes only its old and its new fate by
    ``q``: the impact is a delta on the accounts, never a copy of the network (a test
    applies the edits and recounts). A new actor-to-actor link closes a loop when the
    receiver already reaches the sender (the shortest such loop is reported). The
    cumulative effect takes the listed opportunities in rank order, each taking what its
    predecessors left of its stream (an opportunity on an exhausted stream is skipped as
    an alternative; one whose receiver has no capacity known, ``unbounded``, is left out:
    its size is unknown); its loops are searched with every new link added.

Stages (modules)
    :mod:`.streams` (which flows leave), :mod:`.candidates`, :mod:`.receivers` (matching
    streams to receivers; their own source, :mod:`.in_house`), :mod:`.origins` (a plain
    slag by its source's process), :mod:`.takers` (no taker dropped) and :mod:`.purity`
    (CO2 grades), :mod:`.capacity` and :mod:`.intake` (what each receiver can take),
    :mod:`.sizing` (capacities and ranking, with the intake bounds of the listed rows
    only when no table is kept), :mod:`.ranking` (with :mod:`symbiosis._sorting`),
    :mod:`.heads` (the listed rows and the new plants' order, without ranking every
    candidate), :mod:`.listing` (the listed opportunities and their evidence), :mod:`.impact` and
    :mod:`.closing` (accounts and loops), run in the two :mod:`.lanes` of the pass's end,
    :mod:`.tables` (plants, uncovered streams, the public table) and :mod:`.result` (the
    frozen result types). Every stage reads the network's columnar core (integer codes),
    never its pandas string columns.

Complexity
    For f flows, s streams, a actors and c candidates: streams O(f); catalogue matching
    one lookup per distinct material; receivers per (stream, sector) by a k-d tree query
    per distinct source, O(s log a), or O(s k) without coordinates, never all pairs;
    ranking O(c log c) (a few stable passes of ``np.sort`` on packed integer keys; the
    listed rows by ``rank_by="quantity"`` O(c) once the rounds of alternatives are known,
    the whole order only for :attr:`Opportunities.table`);
    impact O(1) per listed opportunity for the accounts, plus one breadth-first search per
    new link, pruned by the condensation of the actor graph (cached on the core and shared
    with the structure pass; O(a + m) to build). On networks of
    :data:`~symbiosis._threads.PARALLEL_FLOWS` flows or more, the sector receivers are
    found on a second thread beside the redirects and the network's evidence (the same
    candidates). Measured in benchmarks/bench_opportunities.py and docs/opportunities.md.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from concurrent.futures import Future
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np

from ..._memory import return_freed_memory
from ..._threads import side_by_side_for, worth_threads
from ...catalogue import Catalogue, default_catalogue
from ...errors import SymbiosisWarning
from ...io.demands import Demand
from ...model import FlowNetwork, require_network
from ...taxonomy import Taxonomy, load_taxonomy
from ...units import yearly_unit
from . import lanes
from .candidates import (
    Candidates,
    Pairs,
    catalogue_rules,
    pathway_pairs,
    sector_candidates,
)
from .closing import ActorGraph
from .deduplication import total
from .demanded import unproposed_note
from .economics import Costs, unpriced_note
from .evidence import NETWORK_RULES, combined, network_candidates
from .hazards import hazardous_to_land, radioactive_note, target_note
from .heads import Ranking
from .impact import opportunity_edits
from .origins import with_source_materials
from .parameters import check_parameters, demand_rows
from .pools import in_row_pools
from .processes import name_plants
from .purity import graded_evidence, graded_kinds, off_grade, with_source_grades
from .reach import beyond_note, reach_of, reach_parameter
from .receivers import Context
from .redirects import redirect_candidates
from .result import (
    DEFAULT_FATES,
    FATES,
    GROUPS,
    KINDS,
    RANK_BY,
    CumulativeImpact,
    Impact,
    Opportunities,
    Opportunity,
    PlantProposal,
    Skipped,
)
from .scripts import script_note
from .sizing import ranking_call
from .states import dilute_emissions
from .streams import by_fate, find_streams, own_targets
from .tables import coverage, public_table, unmet_rows
from .takers import non_takers, swaps
from .treated import treated_note

__all__ = [
    "DEFAULT_FATES",
    "FATES",
    "GROUPS",
    "KINDS",
    "RANK_BY",
    "CumulativeImpact",
    "Impact",
    "Opportunities",
    "Opportunity",
    "PlantProposal",
    "Skipped",
    "count_opportunities",
    "find_opportunities",
    "opportunity_edits",
    "optimal_plan",
]


def __getattr__(name: str):
    # The optimal plan (an LP solver) loads only when asked for: most runs rank only.
    if name == "optimal_plan":
        from .allocation import optimal_plan

        return optimal_plan
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def find_opportunities(
    network: FlowNetwork,
    catalogue: Catalogue | None = None,
    *,
    top: int = 10,
    max_distance_km: float | None = None,
    receivers_per_stream: int = 3,
    kinds: tuple[str, ...] | list[str] | None = None,
    fates: tuple[str, ...] | list[str] | None = None,
    rank_by: str = "quantity",
    impact: bool = True,
    demands: str | Path | tuple[Demand, ...] | None = None,
    taxonomy: Taxonomy | str | Path | None = None,
    disposal_cost: float | None = None,
    transport_rate: float | None = None,
    currency: str | None = None,
    table: bool = True,
    reach: Any = True,
) -> Opportunities:
    """Find where streams leaving the network could become inputs, ranked and sourced.

    Parameters
    ----------
    network : FlowNetwork
    catalogue : Catalogue, optional
        Default: the shipped catalogue (:func:`symbiosis.catalogue.default_catalogue`).
    top : int
        Opportunities listed in detail (with impact) per group; 0 lists none (the full
        ranked table is always in :attr:`Opportunities.table`).
    max_distance_km : float, optional
        Drop receivers farther than this (great-circle) from the stream's source; pairs
        without coordinates are kept.
    reach : bool, path or Reach
        Also drop receivers farther than the stream's material can travel
        (:mod:`symbiosis.catalogue.reach`: steam 10 km, hot water 110 km, wastewater
        40 km; solids have no cap): True, the shipped table; False, none; a path, the
        shipped table with that file's rows added; or a :class:`~symbiosis.catalogue.
        reach.Reach` (``load_reach(path, replace=True)``: the file's rows alone).
    receivers_per_stream : int
        At most this many receiving actors per stream and receiving sector.
    kinds, fates : optional
        Keep only these kinds (:data:`KINDS`) or stream fates (:data:`FATES`). The
        default fates are :data:`DEFAULT_FATES`: the streams that leave the network; a
        residue sent to a treatment actor (fate ``treated``) is searched only when
        ``treated`` is among ``fates`` (and then, with ``fates=("treated",)``, alone).
    rank_by : {"quantity", "distance", "value"}
    impact : bool
        Compute the impact of the listed opportunities and their cumulative effect.
    demands : path or tuple of Demand, optional
        A ``demands.csv`` (:mod:`symbiosis.io.demands`): the most each listed firm can
        take of a material, used as its capacity (:mod:`.capacity`).
    taxonomy : Taxonomy or path, optional
        The material taxonomy (:mod:`symbiosis.taxonomy`); a path adds that file's rows to
        the shipped taxonomy. Default: the shipped one.
    disposal_cost, transport_rate, currency : optional
        Money per tonne disposed, per tonne-kilometre moved, and its label: the avoided
        disposal and transport cost of each opportunity (:mod:`.economics`), in its net
        value (``rank_by="net_value"`` ranks by it).
    table : bool
        Keep every candidate, ranked (:attr:`Opportunities.table`, what ``symbiosis
        opportunities`` writes). False leaves it out, and nothing else: the listed
        opportunities, plants, counts and uncovered streams are the same. For callers
        that read only those, as the report does: its columns are copies (at a
        million flows, 66 MB and 0.05 s at the end of the pass), and by quantity only
        the listed rows' receivers are bounded by their intake (:mod:`.sizing`; 0.5 s
        less at a million flows).

    Returns
    -------
    Opportunities

    Raises
    ------
    InputError
        For a bad parameter.

    Notes
    -----
    See the module docstring for the kinds, matching and ranking. Cost: O(f) for the
    streams and accounts, O(s log a) for the receivers (k-d tree queries), O(c log c) for
    the ranking, one pruned breadth-first search per new link listed; the full table of
    candidates is built on first use of :attr:`Opportunities.table`. The result holds no
    reference to the network once pickled.
    """
    require_network(network)
    kinds, fates = check_parameters(
        top, max_distance_km, receivers_per_stream, kinds, fates, rank_by, impact=impact,
        table=table, catalogue=catalogue, taxonomy=taxonomy, demands=demands, currency=currency,
    )  # fmt: skip
    catalogue, reach = catalogue or default_catalogue(), reach_of(reach)
    treated = bool(fates and "treated" in fates)
    streams = find_streams(network, treated=treated)
    if isinstance(taxonomy, str | Path):
        taxonomy = load_taxonomy(taxonomy)
        for warning in taxonomy.warnings:  # as for a demands file read here
            warnings.warn(warning, SymbiosisWarning, stacklevel=2)
    costs = Costs(disposal_cost, transport_rate, currency)
    ctx = Context(network, catalogue, streams, max_distance_km, receivers_per_stream,
                  taxonomy=taxonomy, costs=costs, reach=reach)  # fmt: skip
    candidates, pairs = _candidates(ctx)
    name_plants(ctx, candidates)
    covered = coverage(streams, candidates)  # before the kinds and fates asked filter them
    stream, path = unmet_rows(pairs, covered)  # and whether the source is of its sector
    unmet = (stream, path, in_row_pools(ctx, path, streams.source_position[stream]))
    unread = script_note(ctx, pairs)  # names in a script no row or material is written in
    del pairs
    return_freed_memory()  # the parts copied into candidates, and temporaries (0.2 GB at 1M)
    rows = demand_rows(demands, network, taxonomy)
    # streams hazardous by their target; residues to treatment the catalogue knows; demand
    # rows no candidate meets (before the kinds and fates asked filter them); no money
    notes = [target_note(ctx), radioactive_note(ctx), None if treated else treated_note(ctx),
             unproposed_note(ctx, candidates, rows),
             unpriced_note(network, rank_by, costs), unread,
             beyond_note(ctx, candidates, fates)]  # fmt: skip
    made: Future[Ranking] = Future()
    new_plants: Future[Callable[[], tuple[Candidates, np.ndarray]]] = Future()
    candidates, ranking = ranking_call(ctx, candidates, rows, made, new_plants, top=top,
                                       rank_by=rank_by, table=table, kinds=kinds,
                                       fates=fates)  # fmt: skip
    ctx.release_takes()  # read by the candidates and capacities only: 27 MB at 1M flows
    graph = ActorGraph(network)
    basis = bool(impact and top) and worth_threads(ctx.core.n_flows)  # else made on demand
    asked = (covered, kinds, fates, unmet)
    ends = [
        partial(lanes.listed, ctx, candidates, ranking, top, impact, graph, asked),
        partial(lanes.proposed, ctx, graph, new_plants, basis),
    ]
    (ranking, opportunities, cumulative, not_covered, found, left_out), proposed = side_by_side_for(
        ctx.core.n_flows, ends
    )
    del candidates, ends, made, new_plants
    ranked = public_table(ranking, ctx) if table else None
    del ranking
    return Opportunities(
        listed=tuple(opportunities),
        ranked=ranked,
        plants=proposed,
        cumulative=cumulative,
        uncovered=not_covered,
        counts=found,
        streams=len(streams),
        parameters={
            "top": top,
            "max_distance_km": max_distance_km,
            "reach_km": reach_parameter(reach),
            "receivers_per_stream": receivers_per_stream,
            "kinds": list(kinds) if kinds else list(KINDS),
            "fates": list(fates) if fates else list(DEFAULT_FATES),
            "rank_by": rank_by,
        },
        catalogue_files=catalogue.files,
        units={d: yearly_unit(d, network.summed_years) for d in network.dimensions},
        streams_by_fate=by_fate(streams, treated),
        warnings=tuple(filter(None, notes)),
        not_searched=left_out,
    )


def count_opportunities(
    network: FlowNetwork,
    catalogue: Catalogue | None = None,
    *,
    max_distance_km: float | None = None,
    receivers_per_stream: int = 3,
    reach: Any = True,
) -> int:
    """The number of opportunities :func:`find_opportunities` finds with these
    parameters, every group and kind (the sum of its :attr:`Opportunities.counts`),
    without sizing, ranking or listing them: the headline count of the trends and the
    scenario comparison, with the same transport ``reach``. Cost: the candidates'
    (O(s log a)) and one sort of them (O(c log c))."""
    require_network(network)
    check_parameters(
        0, max_distance_km, receivers_per_stream, None, None, "quantity", impact=True,
        table=True, catalogue=catalogue, taxonomy=None, demands=None, currency=None,
    )  # fmt: skip
    streams = find_streams(network)
    ctx = Context(network, catalogue or default_catalogue(), streams, max_distance_km,
                  receivers_per_stream, reach=reach_of(reach))  # fmt: skip
    return total(_candidates(ctx)[0], ctx)


def _candidates(ctx: Context) -> tuple[Candidates, Pairs]:
    """Every candidate: the sector receivers and the redirects (:mod:`.candidates`), then
    the network's evidence (:mod:`.evidence`), combined; and the catalogue rows each
    stream matched. The stages share only the
    context, and rule codes fixed before they start, so from
    :data:`~symbiosis._threads.PARALLEL_FLOWS` flows on they run on two threads (their
    k-d tree queries, sorts and gathers release the GIL), below in the caller: half of
    the receiving sectors then the redirects in one lane, the other half then the
    evidence in the other; the parts are combined in the same order, so the candidates
    are the same either way. Measured at a million flows on 2 cores: the sector stage
    beside the other two took the whole command from 5.33 to 4.62 s (medians of 7,
    interleaved), its peak memory 871-912 -> 895-929 MB; once the k-d trees' queries were
    faster (pykdtree), that lane (0.58 s) waited 0.17 s for the other (0.75 s), and
    halving the sectors between the lanes balanced them (docs/benchmarks.md)."""
    pairs = with_source_grades(ctx, with_source_materials(ctx, pathway_pairs(ctx)))  # sources
    rules = tuple(dict.fromkeys([*catalogue_rules(ctx), *NETWORK_RULES]))
    stages = [
        partial(_half_and, ctx, pairs, 0, partial(redirect_candidates, ctx, pairs, rules)),
        partial(_half_and, ctx, pairs, 1, partial(network_candidates, ctx, rules)),
    ]
    (first, redirects), (second, network) = side_by_side_for(ctx.core.n_flows, stages)
    catalogued = graded_kinds(ctx, [first, second, redirects])  # .purity
    network = graded_evidence(ctx, network)
    del first, second, redirects  # combined empties the lists: each part let go as copied
    found = combined(catalogued, network, rules, ctx.core.n_nodes)
    # the rows no receiver takes, dropped at once (one copy of the candidates' columns):
    # the rules of one row judge each half of the rows on a thread of its own, then no
    # two of the rows kept may swap a material (a rule of pairs of rows, over them all)
    half = len(found) // 2
    halves = [partial(_dropped, ctx, found.rows(0, half), pairs),
              partial(_dropped, ctx, found.rows(half, len(found)), pairs)]  # fmt: skip
    dropped = np.concatenate(side_by_side_for(ctx.core.n_flows, halves))
    dropped |= swaps(ctx, found, ~dropped)
    return (found.take(~dropped) if dropped.any() else found), pairs


def _dropped(ctx: Context, candidates: Candidates, pairs) -> np.ndarray:
    """Per candidate, whether a rule of one row drops it: hazardous to land
    (:mod:`.hazards`), a dilute emission (:mod:`.states`), the stream's own target
    (:mod:`.streams`), no taker (:mod:`.takers`, but for its swaps), CO2 of the wrong
    grade (:mod:`.purity`). Each rule reads its
    row alone (and what the context caches,
    the same for every row), so that the rows may be judged in parts, side by side
    (at a million flows ~0.2 s of CPU, on 1.8 million rows)."""
    dropped = hazardous_to_land(ctx, candidates) | dilute_emissions(ctx, candidates)
    dropped |= own_targets(ctx.streams, candidates) | non_takers(ctx, candidates, pairs)
    return dropped | off_grade(ctx, candidates)


def _half_and(ctx: Context, pairs, half: int, then: Callable[[], Any]) -> tuple[Candidates, Any]:
    """One half of the sector receivers, then ``then()``: a lane of :func:`_candidates`."""
    return sector_candidates(ctx, pairs, (half, 2)), then()
