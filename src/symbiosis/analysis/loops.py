"""Where material goes round: symbiosis cores and circular loops among actors.

Symbiosis cores
    The strongly connected components of the actor network with two actors or more:
    every actor of a core can reach every other one through exchanges, so every loop lies
    inside one core. Boundary nodes (market, disposal, environment) are outside the system
    and never close a loop. Each core has its members, internal flows and their total per
    dimension, and its cyclicity (spectral radius of its binary adjacency).

Loops
    The simple cycles of the structural actor graph (every actor-to-actor flow, known size
    or not, every dimension; or one dimension with ``dimension=``). Each loop lists its
    actors in order (starting at the one that comes first in the firms table), the flows
    on each arc (several flows may join two actors), and:

    * ``kind``: ``"closed"`` when one material (the same :func:`material_key`) is on every
      arc, so it closes on itself (copper scrap back to the smelter that made the
      copper); ``"symbiotic"`` otherwise (different materials link different firms);
    * ``bottleneck[d]``, per dimension ``d`` in which the loop closes: the smallest arc
      quantity, the arc quantity being the sum of that arc's flows of dimension ``d``.
      The rule for arcs of another dimension or of unknown size: the loop *closes* in
      ``d`` when every arc carries at least one flow of dimension ``d``; its bottleneck
      in ``d`` is then known only when all those flows have a size, else it is ``None``.
      A loop that closes with water one way and steam the other closes in no dimension
      and has no bottleneck (it is still a loop of the structure);
    * ``total[d]``: the sum of all known flows of dimension ``d`` on its arcs.

    Loops are ranked by bottleneck in the *rank dimension* (the ``dimension`` asked for,
    else the first of mass, energy, volume in which a loop has a bottleneck, else the
    first present), largest first; then loops with a
    bottleneck in another dimension (by dimension, then bottleneck); then loops with no
    known bottleneck, shortest first.

Bounds
    The number of simple cycles explodes with their length (a park where 12 firms all
    trade with each other has 3.2 million of length 8 or less), so the search is bounded
    by ``max_length`` (actors per loop), ``max_loops`` and a ``time_budget`` in seconds.
    When a bound cuts the list, the result says so: ``truncated`` with ``stopped_by``
    (``"max_loops"``: at least one more loop exists; ``"time_budget"``), ``found`` the
    exact number of loops kept, and ``longer_loops_possible`` when a core has more actors
    than ``max_length`` (loops longer than the bound were not searched). When truncated,
    the ranking is among the loops found; which loops are found first depends only on
    the data (cores largest first; in a core, loops through the actors with the most
    links first), except under a time budget. The budget covers the whole call: the
    search stops early enough for the loops it found to be ranked in time (it keeps
    about a microsecond per arc of them), so the call ends within the budget plus a few
    hundredths of a second (the cores' own result objects, and the clock read every
    2,048 search steps), more on a machine several times slower than the one measured.

Algorithm
    A bounded depth-first search on the arcs inside each core. The actors are ranked
    (core, then most links first) and every cycle is found once, from its first-ranked
    actor ``s``: a reverse breadth-first search of depth ``max_length - 1`` from ``s``
    over later actors gives each actor's distance back to ``s``, and the search steps only
    onto later actors that can still close the loop within the bound. Taking the hubs
    first leaves sparse remainders, so those distance searches stay small. The output
    equals :func:`networkx.simple_cycles` with ``length_bound`` (the test oracle), a
    hundred times faster on industrial networks because it neither recomputes components
    nor leaves the cores. Cost: O(n + m) for the cores, then per start actor its ball of
    radius ``max_length - 1`` among later actors plus the paths explored, each of which
    can still close within the bound; bounded in practice by ``max_loops`` and the time
    budget (about 3 s at 1M flows, with four cores of ~7,700 firms).
"""

from __future__ import annotations

import time

import numpy as np

from .._frozen import FrozenDict
from .._sorting import lexorder
from .._sorting import unique as distinct_sorted
from ..arguments import Arguments
from ..model import FlowNetwork, require_network
from ..units import DIMENSIONS, yearly_unit
from ._loop_arcs import ArcDetails, RankedLoops
from .cycle_search import TRANSLATE_SECONDS_PER_ARC, CycleSearch, _cycles_on_arcs, simple_cycles
from .cycling import network_structure
from .loop_results import Loop, LoopFlow, LoopSearch, SymbiosisCore

# The time budget covers the whole call: the search keeps, per arc of the loops it has found,
# the time their handling takes after it (turned back to actors, then ranked: 0.4 to 0.7 us
# an arc in all measured on the 100k-flow benchmark, 2 shared cores, busy or not).
_SECONDS_PER_ARC = TRANSLATE_SECONDS_PER_ARC + 0.5e-6

__all__ = [
    "CycleSearch",
    "Loop",
    "LoopFlow",
    "LoopSearch",
    "SymbiosisCore",
    "find_loops",
    "simple_cycles",
]


# ====================================================================== network level


def find_loops(
    network: FlowNetwork,
    *,
    max_length: int = 6,
    max_loops: int = 10_000,
    time_budget: float | None = 10.0,
    dimension: str | None = None,
) -> LoopSearch:
    """The symbiosis cores and circular loops of ``network``, ranked by bottleneck.

    ``max_length`` (actors per loop, >= 1), ``max_loops`` (>= 0) and ``time_budget``
    (seconds, > 0, or ``None`` for no limit) bound the search; ``dimension`` restricts
    the graph to flows of one dimension (``mass``, ``energy`` or ``volume``) that the
    network has. Bad values raise :class:`~symbiosis.errors.InputError`. See the module
    docstring for the definitions, the ranking and the cost.
    """
    started = time.monotonic()  # the budget covers the whole call, not the search alone
    require_network(network)
    check_bounds(max_length, max_loops, time_budget, dimension, present=network.dimensions)
    core = network.core
    ids = network.actors
    keep = core.source_is_actor & core.target_is_actor
    if dimension is not None:
        keep &= core.unit_dimension == DIMENSIONS.index(dimension)
    rows = np.flatnonzero(keep)
    source = core.actor_index[core.source[rows]]
    target = core.actor_index[core.target[rows]]
    n = len(ids)
    structure = network_structure(network, dimension)
    groups = list(structure.components)
    core_of = np.full(n, -1, dtype=np.int64)
    for k, members in enumerate(groups):
        core_of[members] = k
    inner = core_of[source] >= 0
    inner &= core_of[source] == core_of[target]
    order = _search_order(core_of, source[inner], target[inner], len(groups))
    arcs = distinct_sorted(source[inner] * n + target[inner])
    search = _cycles_on_arcs(arcs // n, arcs % n, n, max_length, max_loops, time_budget, order,
                             started=started, seconds_per_arc=_SECONDS_PER_ARC)  # fmt: skip
    rows, source, target = rows[inner], source[inner], target[inner]
    details = ArcDetails(network, rows, source, target, n)
    present = tuple(d for d in DIMENSIONS if d in set(details.dimension.tolist()))
    in_cores = np.concatenate(groups) if groups else np.zeros(0, dtype=np.int64)
    member_ids = ids[in_cores]
    names = dict(zip(in_cores.tolist(), member_ids.astype(str).tolist(), strict=True))
    # the members' ids and names, for the text tables (a register's ids are credit codes):
    # LoopSearch.names reads them when asked
    members = (member_ids.to_numpy(dtype=object), core.names[core.actor_nodes[in_cores]])
    ranked = RankedLoops.of(search.cycles, details, core_of, names, present, dimension)

    # Python numbers throughout: this builds one object per core (100,000 for a network of
    # two-firm exchanges).
    radii = structure.component_cyclicity.tolist()
    per_core = np.bincount(ranked.core - 1, minlength=len(groups)).tolist()
    counts, totals = details.per_core(core_of, len(groups), present)
    counts = counts.tolist()
    totals = {d: (t.tolist(), known.tolist()) for d, (t, known) in totals.items()}
    cores = tuple(
        SymbiosisCore(
            id=k + 1,
            members=tuple(map(names.__getitem__, members.tolist())),
            internal_flows=counts[k],
            internal=FrozenDict({d: t[k] for d, (t, known) in totals.items() if known[k]}),
            cyclicity=radii[k],
            loops=per_core[k],
        )
        for k, members in enumerate(groups)
    )
    stopped_by = {"max_cycles": "max_loops"}.get(search.stopped_by, search.stopped_by)
    return LoopSearch(
        cores=cores,
        ranked=ranked,
        max_length=max_length,
        max_loops=max_loops,
        time_budget=time_budget,
        dimension=dimension,
        rank_dimension=ranked.rank_dimension,
        truncated=search.truncated,
        stopped_by=stopped_by,
        longer_loops_possible=any(len(g) > max_length for g in groups),
        units={d: yearly_unit(d, network.summed_years) for d in present},
        _members=members,
    )


def _search_order(core_of, source, target, cores: int) -> np.ndarray:
    """The order in which actors start the search: cores largest first; inside a core,
    actors with the most links in the core first (ties: firms-table order). Removing the
    hubs first leaves later searches a sparse remainder, so the distance searches stay
    small: 4x faster on hub-dominated cores of 8,000 firms than firms-table order."""
    n = len(core_of)
    degree = np.bincount(source, minlength=n) + np.bincount(target, minlength=n)
    core_rank = np.where(core_of >= 0, core_of, cores)
    return lexorder(np.arange(n), -degree, core_rank)


def check_bounds(max_length, max_loops, time_budget, dimension, present=None, **names: str) -> None:
    """Raise :class:`~symbiosis.errors.InputError` naming every bad search parameter;
    ``names`` renames them in the message for a caller with other parameter names (e.g.
    ``max_length="max_loop_length"``); ``present``, the network's dimensions when known:
    a dimension not among them (unknown, or with no flow here) is refused naming them
    (as :func:`.shocks.shock` does)."""
    check = Arguments()
    check.whole(names.get("max_length", "max_length"), max_length, minimum=1)
    check.whole(names.get("max_loops", "max_loops"), max_loops, minimum=0)
    check.number(names.get("time_budget", "time_budget"), time_budget, above=0, infinite=True,
                 none=True, what=" (seconds)")  # fmt: skip
    if present is None:
        check.choice(names.get("dimension", "dimension"), dimension, DIMENSIONS, none=True)
    else:  # unknown, or no flow of it here
        check.present_dimension(dimension, present)
    check.check()
