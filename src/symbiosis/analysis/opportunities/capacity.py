"""Capacity: how much of a stream a receiver can take.

No single greenhouse takes 12.75 Mt of CO2: each candidate gets the most its receiver can
use, from the first of these that applies, and its quantity is the smaller of the stream
and that capacity:

=====================  ================================================================
source                 capacity
=====================  ================================================================
``demand``             a row of the user's ``demands.csv`` (:mod:`symbiosis.io.demands`)
                       for the receiver and the stream's material (same name, the same
                       taxonomy material, or a shared code), in the stream's dimension:
                       the firm's total intake of it, less what it takes of it now
``redirect``           the primary input the stream replaces, over the row's
                       substitution ratio as below (a redirect cuts that input by what
                       it moves times the ratio: :mod:`.impact`)
``substitutes``        the receiver's purchases from primary supply of the materials the
                       catalogue row says the stream replaces, divided by the row's
                       ``substitution_ratio`` (1 when not given; for a ``fuel`` row
                       without one, or with one below 1, no bound: a tonne of waste is
                       no tonne of coal, nor ten tonnes of wet sludge all of it);
                       the same for a redirect to such a substitute
``network``            for the network's own evidence (no catalogue row: an actor that
                       takes this material, a related one, or a peer of a taker): as
                       much again as the receiver already takes of the stream's
                       taxonomy family (of its material when it resolves to none), in
                       the stream's dimension; for a peer, which takes none of it, as
                       much as the firm of its sector that takes the most of the family
                       takes (:func:`.foreign.peer_bounds`). A receiver's present
                       intake is the only size the network records; doubling it is an
                       assumption, stated in the output
``intake``             for a catalogue row to an actor (expand, new link, downstream)
                       that none of the above bounds: the same, as much again as it
                       takes of the stream's family now (:mod:`.intake`); when it
                       takes none of the family, what the catalogue says such an input
                       can be in a plant of its kind (:mod:`.foreign`: the row's
                       ``max_share`` of its throughput, else its typical intake, else
                       for an additive or a fuel 5 % of its throughput), never its
                       intake of other materials; when it takes nothing recorded in
                       that dimension (a gap of the table, not a firm that takes
                       nothing), the row's typical intake, as a plant of its kind
``share``              for a catalogue row with a ``max_share``, when smaller than the
                       ``intake`` bound: that share of the receiver's throughput (what
                       it takes or makes, the larger) less what it takes now of the
                       materials of the streams of that use of it (the rows of one
                       share replacing a common input: a kiln's correctives), whatever
                       bounds them, and less what its demand rows give theirs; one
                       bound for all of them, around the smaller intake bounds
                       (:func:`.shares.share_uses`, :mod:`.shared`)
``typical plant``      for a proposed plant, the catalogue row's ``receiver_capacity``
                       (in ``capacity_unit``): what one plant of the kind takes; for a
                       catalogue row's actor that takes nothing recorded in the
                       stream's dimension; and, for an actor of a row whose role is
                       ``fuel``, a co-processing line's intake, which bounds every
                       source above but a demand (the smaller wins)
=====================  ================================================================

Otherwise the capacity is unknown (NaN) and the whole stream is proposed, as before. Rows
sharing one limit share a *capacity group* (one demand row; one receiver's purchases of one
set of substitutes; one receiver's intake of one family, or its whole intake, per dimension,
whether the network's evidence or a catalogue row proposed it; one proposed plant per
process (:mod:`.processes`), dimension and intake class, the stream's taxonomy family; one
actor bounded by a typical intake per dimension and intake class): the cumulative impact
and the optimal allocation never give a group more than its limit in all. A receiver's
family groups also lie *within* its whole-intake group of that dimension
(:attr:`Capacities.parent`): as much again as it takes of each family, and as much again
as its whole intake for all of them together with the streams of families it takes none
of. Else a building-materials maker that takes 300 kt of gypsum and 100 kt of tailings
(400 kt in all) could take 300 kt more gypsum, 100 kt more tailings and 400 kt of bottom
ash: twice what its intake allows.

Complexity: O(c + f) for c candidates and f flows (hash tables: the groups, the intakes of
a family), plus one taxonomy lookup per distinct (demand, stream material)."""

from __future__ import annotations

import bisect
import dataclasses
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..._sorting import unique
from ...io.demands import Demand
from .candidates import Candidates
from .carriers import comparable, metered
from .demanded import demand_capacities as _demand
from .evidence import NETWORK_RULES, from_network
from .foreign import peer_bounds, role_shares, typical_bounds
from .intake import intake_groups, intake_limits, typical_limits
from .processes import plant_of
from .receivers import Context
from .redirects import primary_mask, replaceable
from .shares import share_bounds

__all__ = ["CAPACITY_SOURCES", "Capacities", "Deferred", "with_capacities"]

CAPACITY_SOURCES = (
    "demand", "redirect", "substitutes", "network", "intake", "share", "typical plant",
)  # fmt: skip


@dataclass(frozen=True)
class Capacities:
    """Per capacity group: its ``limit`` (canonical unit of its dimension), its
    ``source`` (one of :data:`CAPACITY_SOURCES`), a ``detail`` saying where the number
    comes from (a file and row, the substituted materials, the catalogue row), each text
    made when first read (:class:`_Details`), and the group it lies within (``parent``:
    its whole intake's for a family's or a share's, a share's for a family's of its use;
    -1 for none; module docstring). A group with no row of its own may be a parent."""

    limit: tuple[float, ...] = ()
    source: tuple[str, ...] = ()
    detail: Sequence[str] = ()
    parent: tuple[int, ...] = ()

    def within(self, group: int) -> int:
        """The group that ``group`` lies within, -1 for none (or for no group). O(1)."""
        return self.parent[group] if 0 <= group < len(self.parent) else -1

    def describe(self, group: int) -> dict | None:
        """The group's limit, source and detail; with the group it lies within as
        ``within`` (its limit, source and detail) when there is one. O(1)."""
        if group < 0:
            return None
        described = {"limit": self.limit[group], "source": self.source[group],
                     "detail": self.detail[group]}  # fmt: skip
        parent = self.within(group)
        if parent >= 0:
            described["within"] = self.describe(parent)
        return described


class _Details(Sequence[str]):
    """The groups' details, each made when read: a run of groups added at once (from
    group ``base`` on) has one ``text(j)`` for its ``j``-th group. Tens of thousands of
    groups at 100k flows, of which the listing reads a few: making them all took as long
    as finding the groups. O(log r) a read for r runs."""

    def __init__(self, runs: list[tuple[int, Callable[[int], str]]], n: int):
        self._bases = [base for base, _ in runs]
        self._texts = [text for _, text in runs]
        self._n = n

    def __len__(self) -> int:
        return self._n

    def __getitem__(self, group):  # type: ignore[override]
        if not -self._n <= group < self._n:
            raise IndexError(group)
        group %= self._n
        run = bisect.bisect_right(self._bases, group) - 1
        return self._texts[run](group - self._bases[run])


def with_capacities(
    ctx: Context, candidates: Candidates, demands: tuple[Demand, ...] = ()
) -> tuple[Candidates, Capacities]:
    """The candidates with ``capacity`` and ``capacity_group`` filled in (module
    docstring) and ``quantity`` cut to the capacity; and the groups. O(c + f)."""
    groups = _Groups()
    n = len(candidates)
    capacity = np.full(n, np.nan)
    group = np.full(n, -1, dtype=np.int32)
    for assign in (_demand, _redirect, _substitutes, _fuel_line, _intake, _typical_plant):
        open_ = np.isnan(capacity)
        if not open_.any():
            break
        assign(ctx, candidates, open_, capacity, group, groups, demands)
    quantity = _cut(candidates.quantity, capacity)
    updated = dataclasses.replace(
        candidates, capacity=capacity, capacity_group=group, quantity=quantity
    )
    return updated, groups.freeze()


class Deferred:
    """Capacities known but the intake bounds (``intake`` and ``network`` sources), which
    are found per receiver when asked (:meth:`resolve`): the ranking by quantity reads
    the exact quantities of its first rows only, and the other sources are exact for
    every row. Every row's capacity is the one :func:`with_capacities` gives (the intake
    bound of a row depends on its receiver's intake alone, and its group on the rows of
    that receiver, all resolved at once); only the group numbers differ, which no
    listing shows. ``pending`` marks the rows still to resolve; :meth:`quantity` gives
    the rows' quantities so far: exact, or an upper bound while pending.

    At a million flows the intake bounds of all 1.4 million rows take 0.5-0.6 s; those
    of the ~1,800 receivers the ranking's first rows need, 0.04 s."""

    def __init__(self, ctx: Context, candidates: Candidates, demands: tuple[Demand, ...] = ()):
        self.ctx, self.candidates, self.groups = ctx, candidates, _Groups()
        n = len(candidates)
        self.capacity = np.full(n, np.nan)
        self.group = np.full(n, -1, dtype=np.int32)
        for assign in (_demand, _redirect, _substitutes, _fuel_line, _typical_plant):
            open_ = np.isnan(self.capacity)
            if not open_.any():
                break
            assign(ctx, candidates, open_, self.capacity, self.group, self.groups, demands)
        self.pending = np.isnan(self.capacity) & _asked(candidates)

    def quantity(self, rows: np.ndarray) -> np.ndarray:
        """The quantities of the candidates at ``rows``, cut to the capacities resolved so
        far: exact, or an upper bound while pending (a bound only cuts)."""
        return _cut(self.candidates.quantity[rows], self.capacity[rows])

    def resolve(self, nodes: np.ndarray) -> None:
        """The intake bounds of the pending rows whose receiver is one of ``nodes`` (a
        mask of node positions). O(c) for c candidates, plus the receivers' rows and
        the flows into them."""
        rows = self.pending.copy()
        rows[rows] = nodes[self.candidates.receiver[rows]]  # a pending row's is an actor
        self._resolve(rows, nodes)

    def resolve_all(self) -> None:
        """Every pending row's intake bound. O(c + f)."""
        self._resolve(self.pending.copy(), None)

    def _resolve(self, rows: np.ndarray, nodes: np.ndarray | None) -> None:
        if not rows.any():
            return
        _intake(self.ctx, self.candidates, rows, self.capacity, self.group, self.groups, (),
                only=nodes)  # fmt: skip
        self.pending &= ~rows

    def copy(self) -> Deferred:
        """A copy to resolve further, this one and what :meth:`sized` gave unchanged."""
        other = object.__new__(Deferred)
        other.ctx, other.candidates, other.groups = self.ctx, self.candidates, _Groups()
        other.groups.limit, other.groups.source = list(self.groups.limit), list(self.groups.source)
        other.groups.details = list(self.groups.details)
        other.groups.parent = list(self.groups.parent)
        other.capacity, other.group = self.capacity.copy(), self.group.copy()
        other.pending = self.pending.copy()
        return other

    def sized(self) -> tuple[Candidates, Capacities]:
        """The candidates with the capacities resolved so far, and the groups: the
        capacity columns are this object's own (resolve a :meth:`copy` further)."""
        quantity = _cut(self.candidates.quantity, self.capacity)
        updated = dataclasses.replace(self.candidates, capacity=self.capacity,
                                      capacity_group=self.group, quantity=quantity)  # fmt: skip
        return updated, self.groups.freeze()


def _asked(candidates: Candidates, network: np.ndarray | None = None) -> np.ndarray:
    """The rows :func:`_intake` bounds when open: an actor receiver, proposed by the
    network's evidence (``network``: :func:`.evidence.from_network`, when known) or a
    catalogue row."""
    network = from_network(candidates) if network is None else network
    return (candidates.receiver >= 0) & (network | (candidates.pathway >= 0))


def _cut(quantity: np.ndarray, capacity: np.ndarray) -> np.ndarray:
    """The quantity cut to the capacity where there is one."""
    return np.where(np.isnan(capacity), quantity, np.minimum(quantity, capacity))


class _Groups:
    """Capacity groups as they are found, each kind of source adding many at once."""

    def __init__(self) -> None:
        self.limit: list[float] = []
        self.source: list[str] = []
        self.details: list[tuple[int, Callable[[int], str]]] = []
        self.parent: list[int] = []

    def add(self, keys: np.ndarray, limits: np.ndarray, source, detail) -> np.ndarray:
        """Group codes for rows with the given int64 ``keys`` (rows with one key share a
        group and its limit, the first row's). ``source`` is one for all, or
        ``source(firsts)`` gives one per group from the positions of their first rows;
        ``detail(firsts)`` gives ``text(j)``, the detail of the ``j``-th new group, called
        only when read (:class:`_Details`)."""
        number, firsts = _factorize(keys)
        base = len(self.limit)
        self.limit.extend(limits[firsts].tolist())
        self.source.extend([source] * len(firsts) if isinstance(source, str)
                           else source(firsts))  # fmt: skip
        self.details.append((base, detail(firsts)))
        self.parent.extend([-1] * len(firsts))
        return base + number

    def nest(self, groups: np.ndarray, parents: np.ndarray) -> None:
        """Each of ``groups`` lies within the group at the same place in ``parents`` (a
        group repeated has the same parent each time). O(groups)."""
        if len(groups):
            parent = np.asarray(self.parent, dtype=np.int64)
            parent[groups] = parents
            self.parent = parent.tolist()

    def freeze(self) -> Capacities:
        details = _Details(self.details, len(self.limit))
        return Capacities(tuple(self.limit), tuple(self.source), details, tuple(self.parent))


def _per_group(values: np.ndarray, text: Callable) -> Callable:
    """A ``detail`` for :meth:`_Groups.add`: ``text`` of the value at each group's first
    row (only the groups' values are kept)."""

    def at(firsts: np.ndarray) -> Callable[[int], str]:
        kept = values[firsts]
        return lambda j: text(kept[j])

    return at


def _factorize(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Codes 0.. by first appearance, and the position of each code's first row. A hash
    table (:func:`pandas.factorize`), O(n): a stable sort took 2.5 times as long."""
    codes, uniques = pd.factorize(keys)
    first = np.empty(len(uniques), dtype=np.int64)
    first[codes[::-1]] = np.arange(len(keys))[::-1]  # the last write is the first row
    return codes.astype(np.int64, copy=False), first


def _redirect(ctx, candidates, open_, capacity, group, groups, demands) -> None:
    """A redirect: the primary input it replaces, over the row's substitution ratio
    (:func:`.redirects.replaceable`; a fuel row of no ratio, or one below 1: none), one group per
    receiver and input."""
    rows = np.flatnonzero(open_ & ~np.isnan(candidates.replaced))
    limits = replaceable(ctx, candidates.pathway[rows], candidates.replaced[rows])
    rows, limits = rows[~np.isnan(limits)], limits[~np.isnan(limits)]
    if not len(rows):
        return
    keys_text = ctx.core.material_keys
    receiver, key = candidates.receiver[rows], candidates.replaced_key[rows]
    width = len(keys_text) + 1
    codes = groups.add(receiver * width + key + 1, limits, "redirect",
                       _per_group(key, lambda k: f"its purchases of {keys_text[k]}"))  # fmt: skip
    capacity[rows], group[rows] = limits, codes


def _substitutes(ctx, candidates, open_, capacity, group, groups, demands) -> None:
    """An actor receiver on a catalogue row with substitutes: its primary purchases of
    them in the stream's dimension (:func:`.carriers.comparable`) over the row's ratio.
    Vectorised: one row per (candidate, substitute), looked up among the sorted ones."""
    rows = np.flatnonzero(open_ & (candidates.receiver >= 0) & (candidates.pathway >= 0))
    if not len(rows):
        return
    # only the substitutes some flow carries can be bought (at a million flows a third
    # of the 2.1M pairs); a row with none of them has no limit
    count_of, start_of, known = ctx.substitutes_where(ctx.substitute_code >= 0)
    rows = rows[count_of[candidates.pathway[rows]] > 0]
    path = candidates.pathway[rows]
    count = count_of[path]
    if not len(rows):
        return
    each = np.repeat(np.arange(len(rows)), count)
    # the substitute's place among the known ones: its row's start, plus its place among
    # the row's ones, as (start - first place) repeated + 0, 1, 2, ... (in place)
    flat = np.repeat(start_of[path] - (np.cumsum(count) - count), count)
    flat += np.arange(len(flat))
    key = ctx.substitute_code[known[flat]]
    del flat
    receiver = np.repeat(candidates.receiver[rows], count)  # candidates.receiver[rows][each]
    # a purchase is a flow the receiver takes: the takes bitmap (O(1) a pair) rules out
    # most pairs before the lookup among the purchases
    maybe = np.flatnonzero(ctx.takes(receiver, key))
    each, receiver, key = each[maybe], receiver[maybe], key[maybe]
    if metered(ctx):  # steam in t: not bounded by fuel bought in t
        fits = comparable(ctx, path[each], candidates.stream[rows][each], key)
        each, receiver, key = each[fits], receiver[fits], key[fits]
    dimension = ctx.streams.dimension[candidates.stream[rows][each]]
    codes, values = _primary_purchases(ctx)
    total: np.ndarray = np.zeros(len(rows))
    if len(codes) and len(each):
        at = pd.Index(codes).get_indexer(_purchase_code(ctx, receiver, key, dimension))
        found = at >= 0  # a hash lookup: 4 times as fast as a binary search
        total = np.bincount(each[found], weights=values[at[found]], minlength=len(rows))
    limits = replaceable(ctx, path, total)  # over the ratio; a fuel row of none: NaN
    bought = np.flatnonzero(limits > 0)
    if not len(bought):
        return
    rows, path, limits = rows[bought], path[bought], limits[bought]
    subset = _substitute_sets(ctx)[path]
    dims = ctx.streams.dimension[candidates.stream[rows]].astype(np.int64) + 1
    keys = (candidates.receiver[rows] * (int(subset.max()) + 1) + subset) * 4 + dims
    text = ctx.catalogue.pathways["substitute_keys"].to_numpy(dtype=object)
    detail = _per_group(path, lambda p: "its purchases of " + ", ".join(text[p]))
    codes = groups.add(keys, limits, "substitutes", detail)
    capacity[rows], group[rows] = limits, codes


def _substitute_sets(ctx) -> np.ndarray:
    """Per catalogue row, a code shared by the rows with the same substitutes."""
    lists = [tuple(k) for k in ctx.catalogue.pathways["substitute_keys"]]
    index: dict[tuple, int] = {}
    return np.array([index.setdefault(k, len(index)) for k in lists], dtype=np.int64)


def _purchase_code(ctx, receiver, key, dimension) -> np.ndarray:
    width = len(ctx.core.material_keys) + 1
    return (receiver.astype(np.int64) * width + key + 1) * 4 + dimension.astype(np.int64) + 1


def _primary_purchases(ctx) -> tuple[np.ndarray, np.ndarray]:
    """Purchases from primary supply summed per (receiver, material key, dimension): the
    sorted codes (:func:`_purchase_code`) and their quantities. O(f log f)."""
    core = ctx.core
    mask = primary_mask(ctx)
    codes = _purchase_code(ctx, core.target[mask], core.material_key_code[mask],
                           core.dimension[mask])  # fmt: skip
    distinct, inverse = unique(codes, return_inverse=True)
    return distinct, np.bincount(inverse, weights=core.value[mask], minlength=len(distinct))


def _intake(ctx, candidates, open_, capacity, group, groups, demands, only=None) -> None:
    """An actor receiver no earlier source bounds, proposed by the network's evidence or
    by a catalogue row: as much again as it takes of the stream's family now; a peer of a
    taker as much as a firm of its sector takes (:func:`.foreign.peer_bounds`); a
    catalogue row's receiver that takes none of the family what the row says such an input
    can be there (:func:`.shares.share_bounds`, :func:`.foreign.typical_bounds`); one that
    takes nothing recorded in that dimension, the row's typical intake
    (:func:`_typical_intake`), else none (module docstring). Each within as much again as
    its whole intake in the dimension. One group per (receiver, family or all, dimension),
    shared by both kinds of proposal: source ``intake`` when a catalogue row is in it,
    ``network`` otherwise; a family's group lies within the receiver's whole-intake group
    of the dimension (made for it when no row asks for the whole intake). ``only``, a mask
    of nodes, when every open row's receiver is one of them: the intakes are then summed
    over the flows into them alone (a peer's sector's, over the flows into its firms).
    O(c + f)."""
    network = from_network(candidates)
    asked = open_ & _asked(candidates, network)
    # catalogue rows first: a group's first row is one whenever the group has one
    first, then = np.flatnonzero(asked & ~network), np.flatnonzero(asked & network)
    rows = np.concatenate([first, then])
    if not len(rows):
        return
    catalogued = np.arange(len(rows)) < len(first)
    peer = NETWORK_RULES[3]
    whole = ~catalogued & (candidates.rule[rows] == candidates.rules.index(peer)
                           if peer in candidates.rules else False)  # fmt: skip
    limits_of = intake_limits(ctx, candidates, rows, whole, catalogued, only)
    limits_of = peer_bounds(ctx, candidates, rows, whole, limits_of)
    limits_of = share_bounds(ctx, candidates, rows, catalogued, limits_of, only,
                             role_shares(ctx), (capacity, group, groups))  # fmt: skip
    limits_of = typical_bounds(ctx, candidates, rows, limits_of)  # none of the family
    found = ~np.isnan(limits_of.limit)
    intake_groups(ctx, candidates, rows, found, catalogued, limits_of, capacity, group, groups)
    # nothing recorded in the stream's dimension: what one plant of the kind takes (a
    # stream of no material known, taken by a receiver of other materials, alike)
    foreign = limits_of.foreign
    for open_, why in ((~foreign, "none of its own is recorded in the stream's dimension"),
                       (foreign, "it takes none of the stream's material now")):  # fmt: skip
        unrecorded = rows[catalogued & ~found & open_]
        _typical_intake(ctx, candidates, unrecorded, candidates.receiver, capacity, group,
                        groups, f" (a typical plant's intake: {why})")  # fmt: skip


def _fuel_line(ctx, candidates, open_, capacity, group, groups, demands) -> None:
    """An actor receiver of a catalogue row whose role is ``fuel`` and which gives a
    typical intake: that intake (:func:`.intake.typical_limits`), one group per actor,
    dimension and intake class, bounding whatever bound an earlier source gave (the
    smaller wins), but a user's demand. A kiln co-processes waste through a line of its
    own (MSW: a gasifier of ~300 t/d), not as much again as it takes, nor as much as
    the coal it buys: Huaibei's cement plant was given the city's 400 kt of MSW, and
    Ma'anshan's the 300 kt of coal it buys."""
    demanded = np.zeros(len(candidates), dtype=bool)
    if groups.source:
        bound = group >= 0
        demanded[bound] = np.asarray(groups.source, dtype=object)[group[bound]] == "demand"
    rows = ~demanded & (candidates.receiver >= 0) & (candidates.pathway >= 0)
    fuel = ctx.catalogue.pathways["role"].to_numpy(dtype=object) == "fuel"  # per catalogue row
    rows[rows] = fuel[candidates.pathway[rows]]
    rows, keys, limits, chosen = typical_limits(ctx, candidates, np.flatnonzero(rows),
                                                candidates.receiver)  # fmt: skip
    tighter = ~(capacity[rows] <= limits)  # open (NaN), or the line is smaller
    rows, keys, limits, chosen = rows[tighter], keys[tighter], limits[tighter], chosen[tighter]
    if not len(rows):
        return
    ids = ctx.catalogue.pathways["id"].to_numpy(dtype=object)
    why = " (a typical co-processing line's intake)"
    codes = groups.add(keys, limits, "typical plant",
                       _per_group(chosen, lambda p: f"catalogue row {ids[p]}{why}"))  # fmt: skip
    capacity[rows], group[rows] = limits, codes


def _typical_plant(ctx, candidates, open_, capacity, group, groups, demands) -> None:
    """A proposed plant: the catalogue row's typical intake (:func:`_typical_intake`),
    one group per plant process (:mod:`.processes`), dimension and intake class."""
    rows = np.flatnonzero(open_ & (candidates.receiver < 0) & (candidates.pathway >= 0))
    owner = np.zeros(len(candidates), dtype=np.int64)
    owner[rows] = plant_of(ctx, candidates, rows)
    _typical_intake(ctx, candidates, rows, owner, capacity, group, groups, "")


def _typical_intake(ctx, candidates, rows, owner, capacity, group, groups, why: str) -> None:
    """The catalogue row's typical intake for the candidates at ``rows``
    (:func:`.intake.typical_limits`): one group per ``owner`` (a proposed plant's sector,
    or an actor receiver), dimension and intake class of the stream. ``why`` ends each
    group's detail. O(r) for r rows."""
    rows, keys, limits, chosen = typical_limits(ctx, candidates, rows, owner)
    if not len(rows):
        return
    ids = ctx.catalogue.pathways["id"].to_numpy(dtype=object)
    codes = groups.add(keys, limits, "typical plant",
                       _per_group(chosen, lambda p: f"catalogue row {ids[p]}{why}"))  # fmt: skip
    capacity[rows], group[rows] = limits, codes
