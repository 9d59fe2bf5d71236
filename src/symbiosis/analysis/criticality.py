"""Firm criticality: what the network loses when one actor disappears.

For every actor ``f`` the effect of its removal (the actor and all its flows gone) is
measured on four counts, each from one pass over the whole network rather than a
re-analysis per actor:

``loops_broken``
    The circular loops through ``f``: every loop that visits ``f`` opens, and no loop
    can appear when a node is removed. Counted from the loop list of
    :func:`symbiosis.analysis.loops.find_loops` (O(total loop length)). When that search
    was cut by its bounds, the counts are lower bounds (``loops_truncated``).
``reuse_share_change`` (per dimension)
    The change of the network's reuse share (:mod:`symbiosis.analysis.reuse`). ``f``
    stops generating its own residual streams, and the residual streams it took from
    other actors lose their taker: their generators keep making them, so they are
    counted as generated but no longer reused (they would be disposed)::

        after = (reused - reused_f_generated - reused_f_taken) / (generated - generated_f)

    where ``reused_f_taken`` counts the streams ``f`` took from *other* actors: its own
    recycling (a flow to itself) goes with it once, as what it generated. Negative: ``f``
    was a taker or a good generator; positive: ``f`` dumped more than the network
    average. O(F) with one ``bincount`` per term.
``reuse_lost`` (per dimension)
    The reuse that goes with ``f``, as a share of the residues the network generates:
    ``(reused_f_generated + reused_f_taken) / generated``, the drop of the reuse share
    when ``f``'s own residues count as lost rather than gone (>= 0). The score reads it,
    not the change: removing a mine takes its 30 Mt of dumped waste rock out of the
    denominator, and Baotou's Bayan Obo "raised" the reuse share by 3.1 points, as any
    actor whose dumping outweighs its reuse would; counted so, an actor that reuses 1 Mt
    and dumps 10 Mt loses the network its 1 Mt.
``orphaned`` (per dimension)
    The tonnage (GJ, m3) of residual streams from other actors that ``f`` took
    (reused or treated): by-products and wastes left without a taker. The three sum a
    stream into a distributor as the reuse accounts split it (:mod:`._reuse_takers`): the
    share before is theirs, and a distributor takes all that passes through it, a
    receiver behind it the part that ends at it.
``reuse_share_change_streams``, ``reuse_lost_streams`` and ``orphaned_streams``
    The same three, every residual stream weighing one, sizes known or not and every
    dimension together (the reuse share by count of
    :attr:`~symbiosis.analysis.reuse.ReuseAccounts.counted`). They enter the score when
    no dimension has a flow of known size, as in most published parks: a taker of
    by-products then counts, where the tonnages gave it nothing.
``firms_cut_off``
    By default (``cut_off="essential"``) the actors that lose every supplier of a
    material they need, directly or through actors cut off before them: the necessary
    inputs grouped per material as the Leontief model of ``shock`` groups them, on the
    supply chain below; the rule, its method and its cost (near-linear on the networks
    tested, O(V F) at worst) are in :mod:`~symbiosis.analysis._cut_off`. With
    ``cut_off="all-paths"``, the actors that lose all their supply: every path that
    brings them material from a supply source passes through ``f``. Paths follow the
    supply chain of one dimension (``dimension``, else mass): its chain flows
    (:mod:`~symbiosis.analysis._chain_graph`, the rule of the chain stages), that is its
    ``product`` flows, and every flow of the dimension into an actor that takes no
    product; flows of other dimensions never count, so a plant buying grid power or
    river water is not "supplied" by it, and a plant that takes a product is supplied by
    its products only (a by-product or scrap taken beside them is a secondary input).
    Supply sources are the actors a chain flow reaches from a boundary node (imports),
    extraction actors and actors with no input in the dimension (households, farms, and
    actors whose inputs are recorded in another dimension or not at all). This is
    dominance in that graph with a virtual root joined to every supply source (Lengauer
    & Tarjan 1979): ``f`` cuts off exactly the actors of its subtree in the dominator
    tree, so one tree gives every actor's count. The graph is fixed before any removal
    (an actor that loses its product supply is cut off, whatever residues it still
    takes). The tree is built with the iterative algorithm of Cooper, Harvey & Kennedy
    (2001), in O(F x passes) with a pass count of 2 or 3 on flow graphs (their figures),
    plus O(F + V) for the chain flows and O(V) to count the subtrees. An actor whose
    only inputs come from ``f`` is the simplest case.

``score`` ranks the keystone actors: the mean over the four criteria of the actor's
value divided by the largest value among all actors (``reuse_lost`` and ``orphaned`` in
the rank dimension), so each
criterion weighs the same and the score lies in [0, 1]. Use ``by=`` to rank on one
criterion instead.

Complexity: O(F + V) for the sums and the graph, plus the bounded loop search, plus the
dominator passes; no per-actor re-analysis. What the removal would do downstream through
lost supply (a Ghosh-type knock-on) is :mod:`symbiosis.analysis.shocks`: run
``symbiosis shock --firm F --change -1`` on the keystones.

References
----------
Cooper, K.D., Harvey, T.J. & Kennedy, K. 2001. A simple, fast dominance algorithm.
Software Practice & Experience 4: 1-10.
Lengauer, T. & Tarjan, R.E. 1979. A fast algorithm for finding dominators in a flowgraph.
ACM TOPLAS 1(1): 121-141.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import scipy.sparse as sp

from .._frozen import FrozenResult
from ..arguments import Arguments
from ..jsonable import to_jsonable
from ..model import FlowNetwork, require_network
from ..units import DIMENSIONS, yearly_unit
from ._chain_graph import MATERIAL_DIMENSION, chain_flows
from ._cut_off import CUT_OFF_RULES, essential_cut_off
from ._dominators import dominated, immediate_dominators
from ._records import checked_limit, records
from ._reuse_takers import counted_takers, takers
from ._substitutable import minor_cut_off_warnings, substitutable_flows
from .loops import LoopSearch, find_loops

__all__ = [
    "CRITERIA",
    "CUT_OFF_RULES",
    "Criticality",
    "check_criticality",
    "criticality",
    "immediate_dominators",
]

CRITERIA: tuple[str, ...] = ("loops_broken", "reuse_share_lost", "orphaned", "firms_cut_off")
# How many cut-off actor ids are listed per actor (the count is always exact).
CUT_OFF_LISTED = 20


@dataclass(frozen=True)
class Criticality(FrozenResult):
    """The effect of removing each actor, ranked.

    Attributes
    ----------
    table : DataFrame
        One row per actor, indexed by ``firm``, in rank order: ``rank``, ``name``,
        ``role``, ``score``, ``loops_broken``, ``firms_cut_off``, ``cut_off`` (up to
        :data:`CUT_OFF_LISTED` ids), then per dimension ``d``:
        ``reuse_share_change_d`` (None where the share is undefined), ``reuse_lost_d``
        and ``orphaned_d``; last ``reuse_share_change_streams``, ``reuse_lost_streams``
        and ``orphaned_streams`` (by count).
    rank_dimension : str or None
        The dimension whose reuse share and orphaned tonnage enter the score; None when
        no dimension has a flow of known size: the counts of streams enter it instead.
    by : str
        ``score`` or one of :data:`CRITERIA`: what the table is sorted by.
    reuse_share : dict
        The network's reuse share per dimension before any removal, and by count of
        streams (key ``streams``).
    loops_found : int
        Loops in the list the counts come from.
    loops_truncated : bool
        True when the loop search hit a bound: loop counts are then lower bounds.
    units : dict
    actors_in_no_flow : int
        Actors of the table that no flow reaches or leaves (every criterion 0): the
        ``actors`` indicator of scenarios and trends, actors with a flow, leaves them out.
    supply_dimension : str
        The dimension whose supply chain ``firms_cut_off`` follows.
    cut_off_rule : str
        ``"essential"`` or ``"all-paths"`` (:data:`CUT_OFF_RULES`): what cuts an actor off.
    warnings : tuple of str
        ``"essential"``: each actor counted as cut off when it loses a minor necessary
        input (under 20 % of its recorded input in the supply dimension), with how to mark
        that input substitutable
        (:func:`~symbiosis.analysis._substitutable.minor_cut_off_warnings`).
    """

    table: pd.DataFrame
    rank_dimension: str | None
    by: str
    reuse_share: dict[str, float | None]
    loops_found: int
    loops_truncated: bool
    units: dict[str, str] = field(default_factory=dict)
    actors_in_no_flow: int = 0
    supply_dimension: str = MATERIAL_DIMENSION
    cut_off_rule: str = "essential"
    warnings: tuple[str, ...] = ()

    def top(self, n: int) -> pd.DataFrame:
        """The first ``n`` actors of the table (a whole number >= 0, else an InputError:
        ``head(-1)`` would drop the last one)."""
        checked_limit(n, "n", none=False)
        return self.table.head(n)

    def to_frame(self) -> pd.DataFrame:
        return self.table

    def to_dict(self, top: int | None = None) -> dict:
        """JSON-ready: the settings and one record per actor (``top``: only the first),
        built a column at a time: O(actors x columns), 0.6 s for 333,000 actors where a
        row at a time (``iterrows``) took 27 s. ``top``: a whole number >= 0 or None."""
        top = checked_limit(top, "top")
        table = self.table if top is None else self.table.head(top)
        head = to_jsonable(
            {
                "by": self.by,
                "rank_dimension": self.rank_dimension,
                "reuse_share": dict(self.reuse_share),
                "loops_found": self.loops_found,
                "loops_truncated": self.loops_truncated,
                "units": dict(self.units),
                "actors": len(self.table),
                "actors_in_no_flow": self.actors_in_no_flow,
                "supply_dimension": self.supply_dimension,
                "cut_off_rule": self.cut_off_rule,
                "warnings": list(self.warnings),
            }
        )
        return {**head, "firms": _firm_records(table)}


def _firm_records(table: pd.DataFrame) -> list[dict]:
    """The rows of the ranked table as records of builtin values, the firm first: NaN and
    infinities as None, tuples (the firms cut off) as lists."""
    frame = table.reset_index()
    rows = records(frame)
    for name in frame.columns:
        column = frame[name]
        if column.dtype.kind == "f":
            for at in np.flatnonzero(np.isinf(column.to_numpy(dtype=float))).tolist():
                rows[at][name] = None
        elif column.dtype == object:
            for row in rows:
                if isinstance(row[name], tuple):
                    row[name] = [to_jsonable(v) for v in row[name]]
    return rows


def criticality(
    network: FlowNetwork,
    *,
    loops: LoopSearch | None = None,
    by: str = "score",
    dimension: str | None = None,
    max_loop_length: int = 6,
    max_loops: int = 10_000,
    loop_time_budget: float | None = 10.0,
    cut_off: str = "essential",
) -> Criticality:
    """Rank the actors of ``network`` by what their removal would cost it.

    Parameters
    ----------
    network : FlowNetwork
    loops : LoopSearch, optional
        A loop search already made (else :func:`find_loops` runs with the bounds given).
    by : str
        ``"score"`` (default) or one of :data:`CRITERIA`.
    dimension : str, optional
        The dimension whose reuse share and orphaned tonnage count in the score and in
        ``by`` (default: the first of mass, energy, volume with a flow of known size;
        without one, the counts of streams count), and whose supply chain the firms cut
        off follow (default: mass, or the dimension of the flows when none is in mass).
    max_loop_length, max_loops, loop_time_budget
        Bounds of the loop search (see :func:`find_loops`).
    cut_off : str
        What cuts an actor off (:data:`CUT_OFF_RULES`): ``"essential"`` (default), the
        loss of every supplier of one of its necessary materials, as the shock model
        groups them; ``"all-paths"``, the loss of every supply path.

    Returns
    -------
    Criticality

    Raises
    ------
    InputError
        Every bad argument at once, before any work, each named with the value it got.

    Notes
    -----
    See the module docstring for the definitions and the O(F + V) cost.
    """
    require_network(network)
    check_criticality(network, loops, by, dimension, max_loop_length, max_loops, loop_time_budget,
                      cut_off)  # fmt: skip
    if loops is None:
        loops = find_loops(
            network, max_length=max_loop_length, max_loops=max_loops, time_budget=loop_time_budget
        )
    rank_dimension = dimension or next(iter(network.sized_dimensions), None)
    supply_dimension = dimension or _supply_dimension(network)
    actors = network.actors
    firms = network.firms.loc[actors]
    table = pd.DataFrame(
        {"name": firms["name"].to_numpy(), "role": firms["role"].to_numpy()},
        index=pd.Index(actors, name="firm"),
    )
    table["loops_broken"] = loops_through(loops, actors)
    cut_off_count, cut_off_ids, warnings = _cut_off(network, supply_dimension, cut_off)
    table["firms_cut_off"] = cut_off_count
    table["cut_off"] = cut_off_ids
    shares = {}
    for d in network.dimensions:
        change, lost, orphaned, before = reuse_contributions(network, d)
        shares[d] = before
        table[f"reuse_share_change_{d}"] = change
        table[f"reuse_lost_{d}"] = lost
        table[f"orphaned_{d}"] = orphaned
    change, lost, orphaned, shares["streams"] = count_contributions(network)
    table["reuse_share_change_streams"] = change
    table["reuse_lost_streams"] = lost
    table["orphaned_streams"] = orphaned.astype(np.int64)
    table = _ranked(table, rank_dimension, by)
    return Criticality(
        table=table,
        rank_dimension=rank_dimension,
        by=by,
        reuse_share=shares,
        loops_found=loops.found,
        loops_truncated=loops.truncated or loops.longer_loops_possible,
        units={d: yearly_unit(d, network.summed_years) for d in network.dimensions},
        actors_in_no_flow=_in_no_flow(network),
        supply_dimension=supply_dimension,
        cut_off_rule=cut_off,
        warnings=warnings,
    )


def _in_no_flow(network: FlowNetwork) -> int:
    """How many actors no flow reaches or leaves. O(F + V)."""
    in_a_flow = np.zeros(network.n_firms, dtype=bool)
    in_a_flow[network.source_positions] = in_a_flow[network.target_positions] = True
    return int((network.firms["actor"].to_numpy() & ~in_a_flow).sum())


def check_criticality(
    network, loops, by, dimension, max_length, max_loops, time_budget, cut_off="essential"
) -> None:
    """Raise one :class:`~symbiosis.errors.InputError` naming every bad argument of
    :func:`criticality` (its own parameter names, not :func:`find_loops`'s), without
    running it; without a ``network`` (it could not be read), a dimension is checked by
    its name alone. O(1)."""
    check = Arguments()
    check.instance("loops", loops, LoopSearch, what="a LoopSearch (from find_loops)")
    if not isinstance(by, str) or by not in ("score", *CRITERIA):
        check.add(f"by: unknown ranking {by!r}; choose from score, {', '.join(CRITERIA)}")
    if not isinstance(cut_off, str) or cut_off not in CUT_OFF_RULES:
        check.add(f"cut_off: unknown rule {cut_off!r}; choose from {', '.join(CUT_OFF_RULES)}")
    if network is None:
        check.choice("dimension", dimension, DIMENSIONS, none=True)
    else:
        check.present_dimension(dimension, network.dimensions)
    check.whole("max_loop_length", max_length, minimum=1)
    check.whole("max_loops", max_loops, minimum=0)
    check.number("loop_time_budget", time_budget, above=0, infinite=True, none=True,
                 what=" (seconds)")  # fmt: skip
    check.check()


# ---------------------------------------------------------------------------- criteria


def loops_through(loops: LoopSearch, actors: pd.Index) -> np.ndarray:
    """Number of loops of ``loops`` that visit each actor. O(total loop length)."""
    counts = pd.Series(0, index=actors, dtype=np.int64)
    visits = pd.Series([firm for loop in loops.loops for firm in loop.firms], dtype=object)
    if len(visits):
        tally = visits.value_counts()
        counts = counts.add(tally.reindex(actors, fill_value=0), fill_value=0)
    return counts.to_numpy(dtype=np.int64)


def reuse_contributions(
    network: FlowNetwork, dimension: str
) -> tuple[np.ndarray, np.ndarray, np.ndarray, float | None]:
    """Per actor: the change of the reuse share in ``dimension`` if it were removed, the
    reuse lost with it (the share of the network's residues that it reused or generated
    reused: the drop of the share with its residues counted as lost) and the residual
    tonnage it takes from other actors (orphaned by its removal); plus the share before,
    that of :func:`~symbiosis.analysis.reuse.reuse_accounts` (a stream into a distributor
    split where it is passed on, :mod:`._reuse_takers`). Shares are NaN where undefined.
    O(F)."""
    found = takers(network, DIMENSIONS.index(dimension))
    actors = network.core.actor_nodes
    return _contributions(
        found.generated[actors], found.reused_from[actors], found.reused_by[actors],
        found.taken_by[actors],
    )  # fmt: skip


def count_contributions(
    network: FlowNetwork,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, float | None]:
    """:func:`reuse_contributions` with every residual stream weighing one, sizes known or
    not, every dimension together, under the fate the reuse accounts count it in
    (:func:`._reuse_takers.counted`): the change of the reuse share by count, the number
    of other actors' residual streams each actor takes, and the share before. O(F)."""
    found = counted_takers(network)
    actors = network.core.actor_nodes
    return _contributions(
        found.generated[actors], found.reused_from[actors], found.reused_by[actors],
        found.taken_by[actors],
    )  # fmt: skip


def _contributions(
    generated_by: np.ndarray, reused_from: np.ndarray, reused_by: np.ndarray, taken: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, float | None]:
    """:func:`reuse_contributions` from what each actor generates, generates reused,
    reuses and takes (reuses or treats) of other actors' streams. O(actors)."""
    total, total_reused = float(generated_by.sum()), float(reused_from.sum())
    before = total_reused / total if total > 0 else None
    n = len(generated_by)
    remaining = total - generated_by
    with np.errstate(divide="ignore", invalid="ignore"):
        after = np.where(
            remaining > total * 1e-12,
            (total_reused - reused_from - reused_by) / remaining,
            np.nan,
        )
    after = np.clip(after, 0.0, 1.0)
    change = after - before if before is not None else np.full(n, np.nan)
    # its residues counted as lost, not gone: dumping more never makes a removal look good
    lost = (reused_from + reused_by) / total if total > 0 else np.full(n, np.nan)
    return change, lost, taken.astype(float), before


def firms_cut_off(
    network: FlowNetwork, dimension: str = MATERIAL_DIMENSION, rule: str = "essential"
) -> tuple[np.ndarray, list[tuple[str, ...]]]:
    """Per actor: how many actors its removal cuts off in ``dimension`` under ``rule``
    (:data:`~symbiosis.analysis._cut_off.CUT_OFF_RULES`), and (up to
    :data:`CUT_OFF_LISTED` of) their ids. See the module docstring and
    :mod:`~symbiosis.analysis._cut_off` for the cost."""
    return _cut_off(network, dimension, rule)[:2]


def _cut_off(
    network: FlowNetwork, dimension: str, rule: str
) -> tuple[np.ndarray, list[tuple[str, ...]], tuple[str, ...]]:
    """:func:`firms_cut_off`, and the warnings on the actors cut off through a minor
    necessary input (``"essential"``: :func:`minor_cut_off_warnings`)."""
    ids = np.asarray(network.actors, dtype=object)
    if rule == "essential":
        marked = substitutable_flows(network)
        counts, positions, risk = essential_cut_off(network.core, dimension, CUT_OFF_LISTED,
                                                    marked)  # fmt: skip
        warnings = minor_cut_off_warnings(network, risk, dimension)
        return counts, [tuple(ids[p].tolist()) if p else () for p in positions], warnings
    return (*_all_paths_cut_off(network, dimension), ())


def _all_paths_cut_off(
    network: FlowNetwork, dimension: str
) -> tuple[np.ndarray, list[tuple[str, ...]]]:
    """:func:`firms_cut_off` under the ``"all-paths"`` rule: one dominator tree. O(F + V)
    for the graph, plus the dominator passes, O(F x passes)."""
    core = network.core
    n = len(core.actor_nodes)
    flows = chain_flows(core, dimension)
    extraction = core.has_role(core.actor_nodes, "extraction")
    supplied = flows.fed_from_outside | extraction | ~flows.has_input
    # Graph on n actors plus a root (position n) joined to every supply source; the
    # flows into a source change nothing (the root feeds it) and are left out.
    source, target = flows.arcs(skip=supplied)
    sources = np.concatenate([source, np.full(int(supplied.sum()), n)])
    targets = np.concatenate([target, np.flatnonzero(supplied)])
    graph = sp.csr_matrix((np.ones(len(sources)), (sources, targets)), shape=(n + 1, n + 1))
    idom = immediate_dominators(graph, n)
    counts, members = dominated(idom, n, CUT_OFF_LISTED)
    ids = np.asarray(network.actors, dtype=object)
    listed = [tuple(ids[m].tolist()) if len(m) else () for m in members]
    return counts, listed


def _supply_dimension(network: FlowNetwork) -> str:
    """Mass when a flow into an actor is in mass or has no unit; else the first of
    DIMENSIONS such a flow is in (mass when there is none). O(F)."""
    core = network.core
    unit = core.unit_dimension[core.target_is_actor]
    if len(unit) == 0 or np.any((unit < 0) | (unit == DIMENSIONS.index(MATERIAL_DIMENSION))):
        return MATERIAL_DIMENSION
    return DIMENSIONS[int(unit.min())]


def _ranked(table: pd.DataFrame, rank_dimension: str | None, by: str) -> pd.DataFrame:
    criteria = pd.DataFrame(index=table.index)
    criteria["loops_broken"] = table["loops_broken"].astype(float)
    criteria["firms_cut_off"] = table["firms_cut_off"].astype(float)
    basis = "streams" if rank_dimension is None else rank_dimension  # no size: by count
    criteria["reuse_share_lost"] = table[f"reuse_lost_{basis}"].fillna(0.0)
    criteria["orphaned"] = table[f"orphaned_{basis}"].astype(float)
    largest = criteria.max().replace(0.0, np.nan)
    score = (criteria / largest).fillna(0.0).mean(axis=1)
    table.insert(2, "score", score)
    key = score if by == "score" else criteria[by]
    order = np.lexsort((table.index.to_numpy(dtype=str), -score.to_numpy(), -key.to_numpy()))
    table = table.iloc[order]
    table.insert(0, "rank", np.arange(1, len(table) + 1))
    return table
