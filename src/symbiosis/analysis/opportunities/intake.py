"""Intake: what an actor takes now, the bound of a receiver nothing else sizes.

The network records one size of a firm: what flows into it. A receiver proposed by the
network's evidence or by a catalogue row, whose capacity no demand row, replaced input or
purchase of substitutes gives, takes at most as much again as it takes now of the
stream's taxonomy family (of its material when it resolves to none), in the stream's
dimension, and as much again as its whole intake in that dimension for every stream
together. What it takes of other materials is no size of this one: a peer of a taker is
bounded by what the firms of its sector take of the family, and a catalogue row's receiver
that takes none of the family by the row's share of its throughput, its typical intake or
its role's share (:mod:`.foreign`, :mod:`.shares`); one that takes nothing in that
dimension by the row's typical intake, as a proposed plant is (:func:`typical_limits`),
else it has no bound known (:mod:`.capacity`).

Intakes are summed once per network and taxonomy (cached on the core): per (actor, intake
class, dimension) in a sorted table, O(f log f), and per (actor, dimension) in a dense
one, O(f); a candidate's bound is then one hash lookup, or one read.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any, NamedTuple

import numpy as np
import pandas as pd

from ..._sorting import unique
from ...units import DIMENSIONS
from .materials import own_classes, taxonomy_classes, taxonomy_of

__all__ = [
    "IntakeLimits",
    "intake_class",
    "intake_details",
    "intake_groups",
    "intake_limits",
    "typical_fits",
    "typical_limits",
]


class IntakeLimits(NamedTuple):
    """Per row: its group ``code`` (one per receiver, intake class or -1 for all, and
    dimension), its ``limit`` (NaN: none), the class ``wanted`` (-1: the whole intake),
    and the code and limit of the receiver's whole intake in the dimension
    (``whole_code``, ``whole_limit``), which a family's group lies within. ``foreign``
    marks the catalogue rows whose receiver takes none of the stream's family but takes
    something in its dimension (:mod:`.foreign`). A row bounded by a share of its
    receiver's throughput (:func:`.shares.share_bounds`) has its ``share``, the receiver's
    throughput (``through``), what it ``took`` of the family and, for a role's share
    (:func:`.foreign.role_shares`), its catalogue row (``role_row``); a row bounded by
    its catalogue row's typical intake (:func:`.foreign.typical_bounds`), that row
    (``typical``); a peer of a taker bounded by what a firm of its sector takes
    (:func:`.foreign.peer_bounds`), 1 in ``peer`` (NaN for the others). The rows asking
    for a share, their groups and what those subtract: ``takes``
    (:class:`.shared.Takes`; a row of a use's share group, or of its family's group
    within that one, is among its rows)."""

    code: np.ndarray
    limit: np.ndarray
    wanted: np.ndarray
    whole_code: np.ndarray
    whole_limit: np.ndarray
    foreign: np.ndarray
    share: np.ndarray | None = None
    through: np.ndarray | None = None
    took: np.ndarray | None = None
    role_row: np.ndarray | None = None
    typical: np.ndarray | None = None
    peer: np.ndarray | None = None
    made: np.ndarray | None = None
    takes: Any = None  # a .shared.Takes: the share groups' rows and details

    def fresh(self, name: str) -> np.ndarray:
        """The per-row field ``name`` (:data:`EXTRAS`), NaN where it is not set, as an
        array of its own to write into."""
        value = getattr(self, name)
        return np.full(len(self.limit), np.nan) if value is None else value.copy()


def intake_limits(ctx, candidates, rows, whole, catalogued, only=None) -> IntakeLimits:
    """The :class:`IntakeLimits` of the candidates at ``rows``. A row asks for its
    stream's family unless ``whole`` (a peer of a taker). A ``catalogued`` row whose
    receiver takes none of the family has no limit here: its intake of other materials
    is no size of this input (:mod:`.foreign` bounds it, ``foreign``, when the receiver
    takes something in the dimension; else a typical plant's intake does,
    :func:`.capacity._intake`; a recorded 0 is nothing). ``only``, a mask of the nodes
    every row's receiver is one of: the intakes summed over the flows into them (not
    cached), else over every flow (cached). O(r + f) for r rows."""
    stream = candidates.stream[rows]
    klass = intake_class(ctx)
    n_classes = int(klass.max(initial=-1)) + 1
    key = ctx.streams.key_code[stream]
    wanted = np.where(whole | (key < 0), -1, klass[np.maximum(key, 0)])
    receiver = candidates.receiver[rows].astype(np.int64)
    dims = ctx.streams.dimension[stream].astype(np.int64)
    limits = np.full(len(rows), np.nan)
    asking = np.flatnonzero(wanted >= 0)
    # nearly always every row: then without three gathers
    family: slice | np.ndarray = slice(None) if len(asking) == len(rows) else asking
    wanted_code = _code(receiver[family], wanted[family], dims[family] + 1, n_classes)
    intakes = _intakes(ctx) if only is None else _summed_intakes(ctx, _into(ctx.core, only))
    limits[family] = _looked_up(*intakes, wanted_code)
    totals = _whole_intakes(ctx) if only is None else _summed_whole(ctx.core, only)
    known = dims >= 0  # a stream of unknown dimension has no intake to compare with
    whole_limit = np.where(known, totals[receiver, np.where(known, dims, 0)], np.nan)
    none_of_it = catalogued & ~(limits > 0)  # of the family (or of no family known)
    foreign = none_of_it & (whole_limit > 0)  # it takes other materials in the dimension
    wanted[none_of_it & ~foreign] = -1  # it takes nothing there: within no whole intake
    everything = (wanted < 0) & ~catalogued  # a peer of a taker
    limits[everything] = whole_limit[everything]
    limits[none_of_it] = np.nan  # not the whole intake of other materials (.foreign)
    everyone = np.full(len(rows), -1, dtype=np.int64)
    return IntakeLimits(_code(receiver, wanted, dims + 1, n_classes), limits, wanted,
                        _code(receiver, everyone, dims + 1, n_classes), whole_limit,
                        foreign)  # fmt: skip


def intake_details(ctx, whole, key, catalogued, extras=None, subtracted=None) -> Callable:
    """A ``detail`` for :meth:`.capacity._Groups.add`: the text of a group of the stream
    family's intake (material ``key``'s) or of the ``whole`` intake, said as the network's
    evidence unless ``catalogued``; of a share of the receiver's throughput, or of a
    typical plant's intake, where ``extras`` (per row: the share, throughput, family
    intake, catalogue row of a role's share, catalogue row of a typical intake, a
    peer's mark and a main feed's mark, NaN where none: :class:`IntakeLimits`; then the
    row's share group and 1 for a family's group within a share's, NaN where none), a
    function of the groups' first rows, gives one: read for those rows alone, not built
    for every row (7 columns of ~1.5M rows at a million flows, 0.4 s). ``subtracted``
    (:class:`.shared.Subtracted`) names what each share group's bound subtracts."""
    families, names = taxonomy_classes(ctx)[4], ctx.core.material_keys
    pathways = ctx.catalogue.pathways
    ids, roles = (pathways[c].to_numpy(dtype=object) for c in ("id", "role"))

    def what(key: int) -> str:
        match = families[key] if key >= 0 else None
        return f"family {match.family}" if match else str(names[key]) if key >= 0 else "it"

    def text(whole: bool, key: int, catalogued: bool, extra) -> str:
        why = "" if catalogued else " (network evidence)"
        share, through, took, role_row, typical, peer, made, took_at, inside = extra
        if inside == 1:  # a family's group within a share's: its own text
            share = np.nan

        def less() -> str:  # what a share's bound subtracts (NaN: no place among takes)
            if took_at >= 0:
                return str(subtracted.less(int(took_at)))
            return f", less the {took:,.0f} of their materials it takes now"

        if not np.isnan(peer):
            return (f"as much as the firm of its sector taking the most of {what(key)} "
                    f"takes now{why}")  # fmt: skip
        if not np.isnan(typical):
            return (f"catalogue row {ids[int(typical)]} (a typical plant's intake: it takes "
                    f"none of {what(key)} now)")  # fmt: skip
        if not np.isnan(role_row):
            role = roles[int(role_row)]
            taken = f", less the {took:,.0f} of their materials it takes now" if took else ""
            return (f"at most {share:.3g} of its throughput of {through:,.0f} (a few "
                    f"percent for {'an' if role[0] in 'aeiou' else 'a'} {role} it takes "
                    f"none of now, the catalogue row giving no max_share or typical "
                    f"intake; one bound for every stream of that use){taken}")  # fmt: skip
        if not np.isnan(share) and not np.isnan(made):
            return (f"at most {share:.3g} of the {through:,.0f} of products it makes (the "
                    "catalogue's max_share of a main feed, one bound for every stream of "
                    f"that use){less()}; its other inputs are no room for it")  # fmt: skip
        if not np.isnan(share):
            return (f"at most {share:.3g} of its throughput of {through:,.0f} (the "
                    "catalogue's max_share, one bound for every stream of that use)"
                    f"{less()}")  # fmt: skip
        if whole:
            return f"as much again as its whole recorded intake{why}"
        return f"as much again as it takes of {what(key)} now{why}"

    def at(firsts: np.ndarray) -> Callable[[int], str]:
        none = extras is None  # the extras, then the share group and the mark within it
        table = np.full((len(firsts), len(EXTRAS) + 2), np.nan) if none else extras(firsts)
        kept = whole[firsts], key[firsts], catalogued[firsts], table
        return lambda j: text(bool(kept[0][j]), int(kept[1][j]), bool(kept[2][j]), kept[3][j])

    return at


def intake_groups(ctx, candidates, rows, found, catalogued, limits_of, capacity, group,
                   groups) -> None:  # fmt: skip
    """The capacity groups (``groups``, :class:`.capacity._Groups`) of the rows of
    :func:`.capacity._intake` whose limit was ``found`` in their intake (or their
    share of its throughput, or a typical plant's intake: :mod:`.foreign`), and their
    ``capacity`` and ``group``. A family's (or a share's, or a typical intake's) group
    lies within its receiver's whole intake; a family's group of one use of the
    receiver (:func:`.shares.share_bounds`) within the use's share group, itself within
    the whole intake. O(r)."""
    rows, limits = rows[found], limits_of.limit[found]
    if not len(rows):
        return
    key = ctx.streams.key_code[candidates.stream[rows]]
    at = np.flatnonzero(found)  # the rows' positions in limits_of
    shared, typical = (_given(limits_of, name, found) for name in ("share", "typical"))
    takes = limits_of.takes
    within, place = _within(takes, at)
    inside = np.zeros(len(rows), dtype=bool)
    inside[within] = True
    shared &= ~inside  # a family's group within a share's is no share's group
    known = ~np.isnan(limits_of.whole_limit[found])
    family = np.flatnonzero(((limits_of.wanted[found] >= 0) | shared & known) & ~inside)
    uses, firsts = _firsts(takes.code[place] if len(within) else within)
    place = place[firsts]
    firsts = within[firsts]  # a share group's first row among those within it
    around = firsts[known[firsts]]
    # the groups around: their keys and limits added after the rows' own, as rows of
    # them (one group per key: the rows asking for the whole intake, or in the share's
    # group, if any, are in it too), a share's once
    whole_code, whole_limit = limits_of.whole_code[found], limits_of.whole_limit[found]
    sizes = (len(rows), len(family), len(firsts), len(around))
    code = np.concatenate([limits_of.code[found], whole_code[family],
                           takes.code[place] if len(firsts) else firsts,
                           whole_code[around]])  # fmt: skip
    limit = np.concatenate([limits, whole_limit[family],
                            takes.room[place] if len(firsts) else np.zeros(0),
                            whole_limit[around]])  # fmt: skip
    whole_asked = np.concatenate(
        [
            limits_of.wanted[found] < 0,
            np.ones(len(family), bool),
            np.zeros(len(firsts), bool),
            np.ones(len(around), bool),
        ]
    )
    key = np.concatenate([key, key[family], key[firsts], key[around]])
    mine = catalogued[found]
    catalogued = np.concatenate([mine, mine[family], mine[firsts], mine[around]])
    detail = intake_details(ctx, whole_asked, key, catalogued,
                            partial(_extras_at, limits_of, at, sizes, at[firsts], inside),
                            takes.subtracted if takes is not None else None)  # fmt: skip
    start = sizes[0] + sizes[1]  # the share groups entered for the rows within them
    shared = np.concatenate([shared, np.zeros(len(code) - len(rows), bool)])
    shared[start : start + sizes[2]] = True
    typical = np.concatenate([typical, np.zeros(len(code) - len(rows), bool)])

    def source(firsts: np.ndarray) -> list[str]:
        kind = np.where(catalogued[firsts], "intake", "network")
        kind = np.where(typical[firsts], "typical plant", kind)
        return np.where(shared[firsts], "share", kind).tolist()

    codes = groups.add(code, limit, source, detail)
    own, wholes, shares, outer = np.split(codes, np.cumsum(sizes)[:-1])
    groups.nest(np.concatenate([own[family], own[within], shares[known[firsts]]]),
                np.concatenate([wholes, shares[uses], outer]))  # fmt: skip
    capacity[rows], group[rows] = limits, own


EXTRAS = ("share", "through", "took", "role_row", "typical", "peer", "made")


def _given(limits_of: IntakeLimits, name: str, found: np.ndarray) -> np.ndarray:
    """Which ``found`` rows have the extra field ``name`` set."""
    value = getattr(limits_of, name)
    return np.zeros(int(found.sum()), bool) if value is None else ~np.isnan(value[found])


def _within(takes, at: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The rows that keep their family's bound within their share's group
    (:class:`.shared.Takes`): their positions among the rows found (whose positions
    among the rows bounded are ``at``), and their places among the rows of ``takes``.
    O(w log r) for w of them."""
    if takes is None or takes.inside is None or not takes.inside.any():
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    place = np.flatnonzero(takes.inside)
    rows = takes.rows[place]
    found = np.searchsorted(at, rows)
    kept = found < len(at)
    kept[kept] = at[found[kept]] == rows[kept]  # always: such a row has its limit
    return found[kept], place[kept]


def _firsts(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Codes 0.. of the distinct ``keys`` by first appearance, and each one's first
    position. O(n)."""
    codes, uniques = pd.factorize(keys)
    first = np.empty(len(uniques), dtype=np.int64)
    first[codes[::-1]] = np.arange(len(keys))[::-1]  # the last write is the first row
    return codes.astype(np.int64, copy=False), first


def _extras_at(limits_of: IntakeLimits, at: np.ndarray, sizes: tuple, shares: np.ndarray,
               inside: np.ndarray, firsts: np.ndarray) -> np.ndarray:  # fmt: skip
    """The extra fields (:data:`EXTRAS`, then the row's share group in ``takes`` and 1
    for a row within that group) of the groups' first rows ``firsts``, positions among
    :func:`intake_groups`' entries: the rows (at ``at`` in ``limits_of``; ``inside``:
    those within a share's group), the whole intakes around the families (none set),
    the share groups of the rows within them (their first row's fields, at ``shares``:
    as a share's), the whole intakes around those (none set); ``sizes``, how many of
    each. Filled a column at a time (a view of the transposed table). O(g)."""
    table = np.full((len(EXTRAS) + 2, len(firsts)), np.nan)
    own = np.flatnonzero(firsts < sizes[0])
    start = sizes[0] + sizes[1]
    share = np.flatnonzero((firsts >= start) & (firsts < start + sizes[2]))
    read = np.concatenate([own, share])
    rows = np.concatenate([at[firsts[own]], shares[firsts[share] - start]])
    for column, name in enumerate(EXTRAS):
        value = getattr(limits_of, name)
        if value is not None:
            table[column, read] = value[rows]
    takes, asked = limits_of.takes, np.flatnonzero(~np.isnan(table[0, read]))  # a share's
    if takes is not None and takes.rows is not None and len(asked):
        place = takes.at(rows[asked])
        table[len(EXTRAS), read[asked]] = np.where(place >= 0, takes.group[place], np.nan)
    table[len(EXTRAS) + 1, own[inside[firsts[own]]]] = 1.0
    return table.T


def _code(receiver, wanted, dims, n_classes: int) -> np.ndarray:
    """The code of (receiver, intake class ``0 .. n_classes - 1`` or -1 for all,
    dimension + 1), as :func:`_intakes` sums under."""
    return (receiver * (n_classes + 1) + wanted + 1) * 4 + dims


def _looked_up(codes, values, wanted) -> np.ndarray:
    """The values of the ``wanted`` codes among the distinct ``codes`` (NaN: not there),
    through a hash table made for the call (:meth:`pandas.Index.get_indexer`), O(n + w):
    a binary search per code took 4 times as long, and a table kept with the intakes would
    hold ~16 MB at a million flows."""
    at = pd.Index(codes).get_indexer(wanted)
    return np.append(values, np.nan)[at]  # -1, not there: the NaN at the end


def intake_class(ctx) -> np.ndarray:
    """Per material key: its taxonomy family code, or (unresolved) a code of its own
    (:func:`.materials.own_classes`: a name in two scripts is one with its parts)."""
    _, family, *_ = taxonomy_classes(ctx)
    n_families = int(family.max(initial=-1)) + 1
    return np.where(family >= 0, family, n_families + own_classes(ctx))


def _into(core, only=None) -> np.ndarray:
    """The flows an actor takes (one of the nodes ``only`` when given), of a known
    dimension and quantity."""
    into = core.target_is_actor & (core.dimension >= 0) & ~np.isnan(core.value)
    if only is not None:
        into[into] = only[core.target[into]]
    return into


def _intakes(ctx) -> tuple[np.ndarray, np.ndarray]:
    """What each actor takes, summed per (actor, intake class, dimension): sorted codes
    (:func:`_code`) and the quantities. O(f log f), cached on the core."""

    def build() -> tuple[np.ndarray, np.ndarray]:
        return _summed_intakes(ctx, _into(ctx.core))

    key = ("opportunities", "intakes", taxonomy_of(ctx))  # the taxonomy held: no id reuse
    return ctx.core.cached(key, build)


def _summed_intakes(ctx, into: np.ndarray, klass=None) -> tuple[np.ndarray, np.ndarray]:
    """:func:`_intakes` of the flows ``into`` (a mask), per intake class (``klass`` per
    material key when given). O(f + i log i) for i of them."""
    core = ctx.core
    klass = intake_class(ctx) if klass is None else klass
    n_classes = int(klass.max(initial=-1)) + 1
    into = into & (core.material_key_code >= 0)
    key = core.material_key_code[into]
    dims = core.dimension[into].astype(np.int64) + 1
    code = _code(core.target[into].astype(np.int64), klass[key], dims, n_classes)
    distinct, inverse = unique(code, return_inverse=True)
    return distinct, np.bincount(inverse, weights=core.value[into], minlength=len(distinct))


def _whole_intakes(ctx) -> np.ndarray:
    """What each node takes in all, per dimension: a (nodes, dimensions) array, NaN where it takes
    nothing of a known quantity in that dimension. O(f), cached on the core."""
    core = ctx.core
    return core.cached(("opportunities", "whole intakes"), partial(_summed_whole, core, None))


def _summed_whole(core, only: np.ndarray | None) -> np.ndarray:
    """:func:`_whole_intakes` of the flows into the nodes ``only`` (every node when None;
    NaN for the others). O(f)."""
    into = _into(core, only)
    width = len(DIMENSIONS)
    at = core.target[into].astype(np.int64) * width + core.dimension[into]
    size = width * core.n_nodes
    total = np.bincount(at, weights=core.value[into], minlength=size)
    taken = np.bincount(at, minlength=size) > 0
    return np.where(taken, total, np.nan).reshape(core.n_nodes, width)


def typical_limits(ctx, candidates, rows, owner) -> tuple[np.ndarray, ...]:
    """The catalogue row's typical intake (``receiver_capacity``, in the stream's
    dimension) for the candidates at ``rows`` (catalogue rows), grouped per ``owner``
    (an array per candidate: a proposed plant's sector, or an actor receiver), dimension
    and intake class of the stream (its taxonomy family, as for an actor's intake): a
    plasterboard plant takes 200 kt of gypsum, phosphogypsum and titanium gypsum alike;
    a cement plant 300 kt of fly ash and, apart, 50 kt of FGD gypsum. Rows of one group
    whose catalogue rows differ take the largest, of the first such row in catalogue
    order: not the row met first, which followed the order of flows.csv. Returns the
    rows that have one, their group keys, limits and the catalogue row each limit comes
    from. O(r) for r rows."""
    none = np.zeros(0, dtype=np.int64)
    if not len(rows):
        return none, none, np.zeros(0), none
    typical = _typical(ctx.catalogue.pathways)[0]
    rows = rows[typical_fits(ctx, candidates, rows)]
    path = candidates.pathway[rows]
    dims = ctx.streams.dimension[candidates.stream[rows]]
    if not len(rows):
        return none, none, np.zeros(0), none
    klass = intake_class(ctx)
    key = ctx.streams.key_code[candidates.stream[rows]]
    family = np.where(key >= 0, klass[np.maximum(key, 0)], -1).astype(np.int64) + 1
    keys = (owner[rows].astype(np.int64) * (len(klass) + 1) + family) * 4 + dims + 1
    chosen = _largest_row(keys, path, typical[path])
    return rows, keys, typical[chosen], chosen


def typical_fits(ctx, candidates, rows) -> np.ndarray:
    """Which candidates at ``rows`` (catalogue rows) have a typical intake in their
    stream's dimension (:func:`typical_limits`). O(r)."""
    typical, typical_dim = _typical(ctx.catalogue.pathways)
    path = candidates.pathway[rows]
    dims = ctx.streams.dimension[candidates.stream[rows]]
    return ~np.isnan(typical[path]) & (typical_dim[path] == dims) & (dims >= 0)


def _largest_row(keys: np.ndarray, path: np.ndarray, limit: np.ndarray) -> np.ndarray:
    """Per row, the catalogue row its group (``keys``) takes its limit from: the largest
    ``limit`` of the group's rows, of the first catalogue row among equals. O(n)."""
    number, _ = pd.factorize(keys)
    largest = np.full(int(number.max()) + 1, -np.inf)
    np.maximum.at(largest, number, limit)
    first = np.full(len(largest), np.iinfo(np.int64).max)
    top = limit == largest[number]
    np.minimum.at(first, number[top], path[top])
    return first[number]


def _typical(pathways) -> tuple[np.ndarray, np.ndarray]:
    """Per catalogue row: the typical plant intake in canonical units (NaN when not
    given) and its dimension code (-2 when none), as the catalogue loader converted them
    (``capacity``, ``capacity_dimension``)."""
    values = pathways["capacity"].to_numpy(dtype=float)
    dims = [str(d) for d in pathways["capacity_dimension"]]
    return values, np.array([DIMENSIONS.index(d) if d in DIMENSIONS else -2 for d in dims])
