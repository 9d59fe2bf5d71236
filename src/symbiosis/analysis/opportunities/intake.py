"""Intake: what an actor takes now, the bound of a receiver nothing else sizes.

The network records one size of a firm: what flows into it. A receiver proposed by the
network's evidence or by a catalogue row, whose capacity no demand row, replaced input or
purchase of substitutes gives, takes at most as much again as it takes now of the
stream's taxonomy family (of its material when it resolves to none), in the stream's
dimension; a peer of a taker, and a catalogue row's receiver that takes none of the
family, as much again as its whole intake in that dimension. A catalogue row's receiver
that takes nothing in that dimension takes at most the row's typical intake, as a proposed
plant does (:func:`typical_limits`), else has no bound known (:mod:`.capacity`).

Intakes are summed once per network and taxonomy (cached on the core): per (actor, intake
class, dimension) in a sorted table, O(f log f), and per (actor, dimension) in a dense
one, O(f); a candidate's bound is then one hash lookup, or one read.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import NamedTuple

import numpy as np
import pandas as pd

from ..._sorting import unique
from ...units import DIMENSIONS
from .materials import taxonomy_classes, taxonomy_of
from .processes import plant_codes

__all__ = [
    "IntakeLimits",
    "intake_class",
    "intake_details",
    "intake_groups",
    "intake_limits",
    "share_bounds",
    "share_uses",
    "throughputs",
    "typical_limits",
]


class IntakeLimits(NamedTuple):
    """Per row: its group ``code`` (one per receiver, intake class or -1 for all, and
    dimension), its ``limit`` (NaN: none), the class ``wanted`` (-1: the whole intake),
    and the code and limit of the receiver's whole intake in the dimension
    (``whole_code``, ``whole_limit``), which a family's group lies within. A row bounded
    by its catalogue row's ``max_share`` (:func:`share_bounds`) has its ``share``, the
    receiver's throughput (``through``) and what it ``took`` of the family (NaN for the
    others)."""

    code: np.ndarray
    limit: np.ndarray
    wanted: np.ndarray
    whole_code: np.ndarray
    whole_limit: np.ndarray
    share: np.ndarray | None = None
    through: np.ndarray | None = None
    took: np.ndarray | None = None


def intake_limits(ctx, candidates, rows, whole, catalogued, only=None) -> IntakeLimits:
    """The :class:`IntakeLimits` of the candidates at ``rows``. A row asks for its
    stream's family unless ``whole``; a ``catalogued`` row whose receiver takes none of
    the family asks for its whole intake, and has no limit when it takes nothing in the
    dimension (a recorded 0 included). ``only``, a mask of the nodes every row's receiver
    is one of: the intakes summed over the flows into them (not cached), else over every
    flow (cached). O(r + f) for r rows."""
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
    wanted[catalogued & ~(limits > 0)] = -1  # none of the family: the whole intake
    totals = _whole_intakes(ctx) if only is None else _summed_whole(ctx.core, only)
    known = dims >= 0  # a stream of unknown dimension has no intake to compare with
    whole_limit = np.where(known, totals[receiver, np.where(known, dims, 0)], np.nan)
    everything = wanted < 0
    limits[everything] = whole_limit[everything]
    limits[catalogued & ~(limits > 0)] = np.nan  # nothing recorded: no bound known
    everyone = np.full(len(rows), -1, dtype=np.int64)
    return IntakeLimits(_code(receiver, wanted, dims + 1, n_classes), limits, wanted,
                        _code(receiver, everyone, dims + 1, n_classes), whole_limit)  # fmt: skip


def intake_details(ctx, whole, key, catalogued, shares=None) -> Callable:
    """A ``detail`` for :meth:`.capacity._Groups.add`: the text of a group of the stream
    family's intake (material ``key``'s) or of the ``whole`` intake, said as the network's
    evidence unless ``catalogued``; of a row's ``max_share`` where ``shares`` (the share,
    throughput and family intake per row, NaN where none) gives one."""
    families, names = taxonomy_classes(ctx)[4], ctx.core.material_keys

    def what(key: int) -> str:
        match = families[key]
        return f"family {match.family}" if match else str(names[key])

    def text(whole: bool, key: int, catalogued: bool, share) -> str:
        why = "" if catalogued else " (network evidence)"
        if not np.isnan(share[0]):
            return (f"at most {share[0]:.3g} of its throughput of {share[1]:,.0f} (the "
                    "catalogue's max_share, one bound for every stream of that use), "
                    f"less the {share[2]:,.0f} of {what(key)} and the other streams' "
                    "materials it takes now")  # fmt: skip
        if whole:
            return f"as much again as its whole recorded intake{why}"
        return f"as much again as it takes of {what(key)} now{why}"

    none = np.full((len(key), 3), np.nan)
    table = none if shares is None else np.column_stack(shares)

    def at(firsts: np.ndarray) -> Callable[[int], str]:
        kept = whole[firsts], key[firsts], catalogued[firsts], table[firsts]
        return lambda j: text(bool(kept[0][j]), int(kept[1][j]), bool(kept[2][j]), kept[3][j])

    return at


def share_uses(ctx) -> np.ndarray:
    """Per catalogue row of a ``max_share``, the code of its *use* of the receiving plant
    (-1 for a row of none): the rows of one receiving sector and one share that replace a
    common primary input (``substitutes``), directly or through another such row, or make
    the same product (one process, :func:`.processes.plant_codes`), are one use: the
    kiln's correctives (iron ore, clay, sand), its set retarders (gypsum), its
    constituents (clinker). Rows that merely state the same share are not: until the 22nd
    round the share's value was the group, and a user's row at 7.5 % shared the
    correctives' bound, a steel works' sinter feed, pig iron and slabs (each 1, of three
    sectors) one bound of its throughput. Cached on the context; O(rows x substitutes)."""
    cache = ctx.__dict__
    if "_share_uses" not in cache:
        pathways = ctx.catalogue.pathways
        shares = pathways["share"].to_numpy(dtype=float).tolist()
        parent = list(range(len(shares)))

        def root(row: int) -> int:
            while parent[row] != row:
                parent[row] = parent[parent[row]]
                row = parent[row]
            return row

        first: dict[tuple, int] = {}  # a (sector, share, input or process) -> its first row
        for row, (sector, share, replaced, process) in enumerate(zip(
                ctx.path_sector.tolist(), shares, pathways["substitute_keys"],
                plant_codes(ctx).tolist(), strict=True)):  # fmt: skip
            if share != share:  # NaN: no share
                continue
            for key in [*((sector, share, k) for k in replaced), (sector, share, process)]:
                parent[root(row)] = root(first.setdefault(key, row))
        uses = [root(row) if share == share else -1 for row, share in enumerate(shares)]
        cache["_share_uses"] = np.array(uses, dtype=np.int64)
    return cache["_share_uses"]


def share_bounds(ctx, candidates, rows, catalogued, limits: IntakeLimits, only=None):
    """The :class:`IntakeLimits` of the candidates at ``rows`` with the bound of their
    catalogue row's ``max_share`` where it is smaller (or the intake gives none). The
    rows of one receiver and dimension whose catalogue rows are one use of the plant
    (:func:`share_uses`: its raw-meal correctives, its set retarders, its constituents)
    share one bound: that share of the receiver's throughput in the stream's dimension
    (:func:`throughputs`) less what it takes now of their streams' materials (each by
    name, or the same taxonomy material, counted once: a kiln's 3 Mt of slag as a
    constituent leave its room for a slag as an iron corrective), at least 0. Two iron
    correctives at one kiln are a few percent of its raw meal together, not each. Such a
    group (receiver, use, dimension) lies within the receiver's whole intake.
    ``catalogued`` marks the catalogue rows (the others have none). O(r), plus the
    throughputs (cached, or over the flows of the nodes ``only``)."""
    shares = ctx.catalogue.pathways["share"].to_numpy(dtype=float)
    path = np.where(catalogued, candidates.pathway[rows], -1)
    share = np.where(path >= 0, shares[np.maximum(path, 0)], np.nan)
    asking = np.flatnonzero(~np.isnan(share))
    if not len(asking):
        return limits
    receiver = candidates.receiver[rows[asking]].astype(np.int64)
    stream = candidates.stream[rows[asking]]
    dims = ctx.streams.dimension[stream].astype(np.int64)
    through = np.where(dims >= 0, throughputs(ctx, only)[receiver, np.maximum(dims, 0)], np.nan)
    took, material = _taken_of_material(ctx, receiver, ctx.streams.key_code[stream], dims, only)
    use = share_uses(ctx)[path[asking]]  # a catalogue row number: below len(shares)
    code = (receiver * len(shares) + use) * 4 + dims + 1
    took = _taken_by_group(code, material, np.nan_to_num(took))
    room = np.maximum(share[asking] * through - took, 0.0)
    binding = (through > 0) & ~(limits.limit[asking] <= room)  # smaller, or no limit
    at = asking[binding]
    out = {f: getattr(limits, f).copy() for f in ("code", "limit")}
    out["limit"][at] = room[binding]
    out["code"][at] = -1 - code[binding]  # below every intake group's code (never < 0)
    extra = {f: np.full(len(rows), np.nan) for f in ("share", "through", "took")}
    extra["share"][at], extra["through"][at] = share[at], through[binding]
    extra["took"][at] = took[binding]
    return limits._replace(**out, **extra)


def _taken_by_group(code: np.ndarray, material: np.ndarray, took: np.ndarray) -> np.ndarray:
    """Per row, what its receiver takes now of the materials of every row of its share
    group (``code``): each distinct ``material`` of the group counted once. O(r)."""
    group, _ = pd.factorize(code)
    pair, _ = pd.factorize(group.astype(np.int64) * (int(material.max(initial=0)) + 2)
                           + material + 1)  # fmt: skip
    first = np.full(int(pair.max(initial=-1)) + 1, -1, dtype=np.int64)
    first[pair[::-1]] = np.arange(len(pair))[::-1]  # the last write is the first row
    total = np.bincount(group[first], weights=took[first], minlength=int(group.max(initial=-1)) + 1)
    return total[group]


def _taken_of_material(ctx, receiver, key, dims, only) -> tuple[np.ndarray, np.ndarray]:
    """What each ``receiver`` takes now of material ``key`` (by name, or the same taxonomy
    material), in dimension ``dims``, NaN for none; and that material's class (-1 for
    none). Sums cached on the core (over the flows into the nodes ``only`` when given,
    not cached). O(f log f), then a lookup."""
    material = taxonomy_classes(ctx)[0]
    own = int(material.max(initial=-1)) + 1 + np.arange(len(material))  # unresolved: its own
    klass = np.where(material >= 0, material, own)
    n_classes = int(klass.max(initial=-1)) + 1

    def build(into) -> tuple[np.ndarray, np.ndarray]:
        return _summed_intakes(ctx, into, klass)

    if only is None:
        key_of = ("opportunities", "material intakes", taxonomy_of(ctx))
        sums = ctx.core.cached(key_of, partial(build, _into(ctx.core)))
    else:
        sums = build(_into(ctx.core, only))
    wanted = np.where(key >= 0, klass[np.maximum(key, 0)], -1)
    codes, values = sums
    taken = _looked_up(codes, values, _code(receiver, wanted, dims + 1, n_classes))
    return np.where((key >= 0) & (dims >= 0), taken, np.nan), wanted


def throughputs(ctx, only=None) -> np.ndarray:
    """What each node takes in all or makes of products, whichever is larger, per
    dimension: a (nodes, dimensions) array, NaN where neither is recorded. Of the nodes
    ``only`` (a mask; NaN for the others) when given. O(f); the products made cached on
    the core."""
    core = ctx.core
    intake = _whole_intakes(ctx) if only is None else _summed_whole(core, only)
    made = core.cached(("opportunities", "products made"), partial(_products_made, core))
    return np.fmax(intake, made)


def _products_made(core) -> np.ndarray:
    """The products each actor makes, per dimension (NaN where none is recorded). O(f)."""
    from ...vocabulary import CATEGORIES

    made = core.source_is_actor & (core.category == CATEGORIES.index("product"))
    made &= (core.dimension >= 0) & ~np.isnan(core.value)
    width = len(DIMENSIONS)
    at = core.source[made].astype(np.int64) * width + core.dimension[made]
    size = width * core.n_nodes
    total = np.bincount(at, weights=core.value[made], minlength=size)
    found = np.bincount(at, minlength=size) > 0
    return np.where(found, total, np.nan).reshape(core.n_nodes, width)


def intake_groups(ctx, candidates, rows, found, catalogued, limits_of, capacity, group,
                   groups) -> None:  # fmt: skip
    """The capacity groups (``groups``, :class:`.capacity._Groups`) of the rows of
    :func:`.capacity._intake` whose limit was ``found`` in their intake (or their
    share of its throughput), and their ``capacity`` and ``group``. O(r)."""
    rows, limits = rows[found], limits_of.limit[found]
    if not len(rows):
        return
    key = ctx.streams.key_code[candidates.stream[rows]]
    shared = np.zeros(len(rows), bool) if limits_of.share is None else ~np.isnan(
        limits_of.share[found])  # fmt: skip
    nested = (limits_of.wanted[found] >= 0) | shared & ~np.isnan(limits_of.whole_limit[found])
    family = np.flatnonzero(nested)
    # a family's (or a share's) group, within its receiver's whole intake: that group's
    # key and limit added after the rows' own, as rows of it (one group per key: the rows
    # asking for the whole intake, if any, are in it too)
    code = np.concatenate([limits_of.code[found], limits_of.whole_code[found][family]])
    limit = np.concatenate([limits, limits_of.whole_limit[found][family]])
    whole_asked = np.concatenate([limits_of.wanted[found] < 0, np.ones(len(family), bool)])
    key = np.concatenate([key, key[family]])
    catalogued = np.concatenate([catalogued[found], catalogued[found][family]])
    shares = None if limits_of.share is None else [
        np.concatenate([part[found], np.full(len(family), np.nan)])
        for part in (limits_of.share, limits_of.through, limits_of.took)]  # fmt: skip
    detail = intake_details(ctx, whole_asked, key, catalogued, shares)
    shared = np.concatenate([shared, np.zeros(len(family), bool)])

    def source(firsts: np.ndarray) -> list[str]:
        kind = np.where(catalogued[firsts], "intake", "network")
        return np.where(shared[firsts], "share", kind).tolist()

    codes = groups.add(code, limit, source, detail)
    own, parents = codes[: len(rows)], codes[len(rows) :]
    groups.nest(own[family], parents)
    capacity[rows], group[rows] = limits, own


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
    """Per material key: its taxonomy family code, or (unresolved) a code of its own."""
    _, family, *_ = taxonomy_classes(ctx)
    n_families = int(family.max(initial=-1)) + 1
    return np.where(family >= 0, family, n_families + np.arange(len(family)))


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
    typical, typical_dim = _typical(ctx.catalogue.pathways)
    path = candidates.pathway[rows]
    dims = ctx.streams.dimension[candidates.stream[rows]]
    fits = ~np.isnan(typical[path]) & (typical_dim[path] == dims) & (dims >= 0)
    rows, path, dims = rows[fits], path[fits], dims[fits]
    if not len(rows):
        return none, none, np.zeros(0), none
    klass = intake_class(ctx)
    key = ctx.streams.key_code[candidates.stream[rows]]
    family = np.where(key >= 0, klass[np.maximum(key, 0)], -1).astype(np.int64) + 1
    keys = (owner[rows].astype(np.int64) * (len(klass) + 1) + family) * 4 + dims + 1
    chosen = _largest_row(keys, path, typical[path])
    return rows, keys, typical[chosen], chosen


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
