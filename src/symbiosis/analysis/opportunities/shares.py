"""Shares: the bound of a receiver by a share of its throughput.

A catalogue row may state the most its stream may be of the receiving plant's throughput
(``max_share``: a kiln's iron correctives 7.5 %, its set retarders 8.6 %, a plant's main
feed all of it); a receiver that takes none of the stream's family is bounded, for an
additive or a fuel of no such share or typical intake, by its role's share
(:mod:`.foreign`). The rows of one *use* of a receiver share one bound
(:func:`share_uses`), that share of its throughput (:func:`throughputs`) less what it takes
now of their materials (:func:`share_bounds`; docs/opportunities.md, *Capacity and
demands*).

Complexity: O(r) for r rows, plus the throughputs and the intakes of the materials (sums
cached on the core, O(f log f), or over the flows into the nodes asked for).
"""

from __future__ import annotations

from functools import partial

import numpy as np

from ...units import DIMENSIONS
from .intake import (
    IntakeLimits,
    _code,
    _into,
    _looked_up,
    _summed_intakes,
    _summed_whole,
    _whole_intakes,
)
from .materials import own_classes, taxonomy_classes, taxonomy_of
from .processes import plant_codes
from .shared import Takes, elsewhere

__all__ = ["main_feeds", "products_made", "share_bounds", "share_uses", "throughputs"]


def share_uses(ctx, shares: np.ndarray | None = None) -> np.ndarray:
    """Per catalogue row of a share (its ``max_share``, or the one of ``shares`` when
    given: a role's, :func:`.foreign.role_shares`), the code of its *use* of the
    receiving plant (-1 for a row of none): the rows of one receiving sector and one share
    that replace a common primary input (``substitutes``), directly or through another
    such row, or make the same product (one process, :func:`.processes.plant_codes`), are
    one use: the kiln's correctives (iron ore, clay, sand), its set retarders (gypsum),
    its constituents (clinker), its substitute fuels (coal). Rows that merely state the
    same share are not: until the 22nd round the share's value was the group, and a
    user's row at 7.5 % shared the correctives' bound, a steel works' sinter feed, pig
    iron and slabs (each 1, of three sectors) one bound of its throughput. Cached on the
    context per array of shares; O(rows x substitutes)."""
    pathways = ctx.catalogue.pathways
    shares = pathways["share"].to_numpy(dtype=float) if shares is None else shares
    cache = ctx.__dict__.setdefault("_share_uses", {})
    if shares.tobytes() not in cache:
        parent = list(range(len(shares)))

        def root(row: int) -> int:
            while parent[row] != row:
                parent[row] = parent[parent[row]]
                row = parent[row]
            return row

        first: dict[tuple, int] = {}  # a (sector, share, input or process) -> its first row
        for row, (sector, share, replaced, process) in enumerate(zip(
                ctx.path_sector.tolist(), shares.tolist(), pathways["substitute_keys"],
                plant_codes(ctx).tolist(), strict=True)):  # fmt: skip
            if share != share:  # NaN: no share
                continue
            for key in [*((sector, share, k) for k in replaced), (sector, share, process)]:
                parent[root(row)] = root(first.setdefault(key, row))
        uses = [root(row) if share == share else -1 for row, share in enumerate(shares.tolist())]
        cache[shares.tobytes()] = np.array(uses, dtype=np.int64)
    return cache[shares.tobytes()]


def share_bounds(ctx, candidates, rows, catalogued, limits: IntakeLimits, only=None,
                 defaults: np.ndarray | None = None, bound=None) -> IntakeLimits:  # fmt: skip
    """The :class:`IntakeLimits` of the candidates at ``rows`` with the bound of their
    catalogue row's ``max_share`` where it is smaller (or the intake gives none); for a
    ``foreign`` row (:mod:`.foreign`) of no ``max_share``, of its role's share where
    ``defaults`` (per catalogue row, :func:`.foreign.role_shares`) gives one. The
    rows of one receiver and dimension whose catalogue rows are one use of the plant
    (:func:`share_uses`: its raw-meal correctives, its set retarders, its constituents)
    share one bound: that share of the receiver's throughput in the stream's dimension
    (:func:`throughputs`; of a main feed, :func:`main_feeds`, what it makes of products
    where it records them: a smelter's anodes are no room for alumina) less what it takes
    now of the materials of the use's streams (each by name, or the same taxonomy
    material, counted once: a kiln's 3 Mt of slag as a constituent leave its room for a
    slag as an iron corrective), whatever source sizes each of them (``bound``, the
    capacities so far: a demand row's material counts), and less the room the receiver's
    demand rows give their materials of that use, at least 0 (:mod:`.shared`). Two iron
    correctives at one kiln are a few percent of its raw meal together, not each. Such a
    group (receiver, use, dimension) lies within the receiver's whole intake; a row
    whose own family's bound (as much again as it takes of it) is the smaller keeps it,
    in a group of that use and family that lies within the use's (``takes``,
    :class:`.shared.Takes`, says which rows): the use's rows together never pass its
    bound. A foreign row whose share would give as much or more is bounded by that whole
    intake, as much again as everything it takes. ``catalogued`` marks the catalogue
    rows (the others have none). O(r), plus the throughputs (cached, or over the flows
    of the nodes ``only``) and the rows ``bound`` sizes (:func:`.shared.elsewhere`)."""
    shares = ctx.catalogue.pathways["share"].to_numpy(dtype=float)
    n = len(shares)
    path = np.where(catalogued, candidates.pathway[rows], -1)
    share = np.where(path >= 0, shares[np.maximum(path, 0)], np.nan)
    by_role = np.zeros(len(rows), dtype=bool)
    if defaults is not None:
        by_role = limits.foreign & np.isnan(share)
        by_role[by_role] = ~np.isnan(defaults[path[by_role]])
        share[by_role] = defaults[path[by_role]]
    asking = np.flatnonzero(~np.isnan(share))
    if not len(asking):
        return limits
    receiver = candidates.receiver[rows[asking]].astype(np.int64)
    stream = candidates.stream[rows[asking]]
    dims = ctx.streams.dimension[stream].astype(np.int64)
    through = np.where(dims >= 0, throughputs(ctx, only)[receiver, np.maximum(dims, 0)], np.nan)
    # a main feed: of what the plant makes, where it records its products
    made = np.where(dims >= 0, products_made(ctx)[receiver, np.maximum(dims, 0)], np.nan)
    made[~main_feeds(ctx)[np.maximum(path[asking], 0)] | by_role[asking]] = np.nan
    through = np.where(np.isnan(made), through, made)
    role = by_role[asking]  # a role's uses numbered after the max_share ones
    use = share_uses(ctx)[path[asking]]  # a catalogue row number: below n
    if role.any():
        use[role] = share_uses(ctx, defaults)[path[asking][role]] + n
    code = (receiver * 2 * n + use) * 4 + dims + 1
    key = ctx.streams.key_code[stream]
    other = elsewhere(ctx, candidates, bound, receiver, share_uses(ctx), n)
    if other is not None:  # the use's streams sized elsewhere: their materials too
        code, receiver = np.r_[code, other.code], np.r_[receiver, other.receiver]
        key, dims = np.r_[key, other.key], np.r_[dims, other.dims]
    took, material = _taken_of_material(ctx, receiver, key, dims, only)
    takes = Takes.of(ctx, code, material, np.nan_to_num(took), other)
    code = code[: len(asking)]
    room = np.maximum(share[asking] * through - takes.took - takes.reserved, 0.0)
    foreign = limits.foreign[asking]
    ceiling = np.where(foreign, limits.whole_limit[asking], limits.limit[asking])
    binding = (through > 0) & ~(ceiling <= room)  # smaller, or no limit
    # its family's bound the smaller: within the use's (a role's rows are all foreign)
    inside = (through > 0) & ~foreign & (ceiling <= room)
    takes = takes.placed(asking, inside, -1 - code, room)
    at, within = asking[binding], asking[inside]
    out = {f: getattr(limits, f).copy() for f in ("code", "limit", "wanted")}
    out["limit"][at] = room[binding]
    out["code"][at] = -1 - code[binding]  # below every intake group's code (never < 0)
    wanted = limits.wanted[within]  # one group per use and family, below the uses'
    width = int(wanted.max(initial=0)) + 2
    out["code"][within] = -(1 << 62) + code[inside] * width + wanted + 1
    whole = asking[foreign & ~binding]  # no smaller than all it takes: that is the bound
    out["limit"][whole] = limits.whole_limit[whole]
    out["code"][whole], out["wanted"][whole] = limits.whole_code[whole], -1
    extra = {f: limits.fresh(f) for f in ("share", "through", "took", "role_row", "made")}
    for rows_at, mask in ((at, binding), (within, inside)):
        extra["share"][rows_at], extra["through"][rows_at] = share[rows_at], through[mask]
        extra["made"][rows_at] = np.where(np.isnan(made[mask]), np.nan, 1.0)
        extra["took"][rows_at] = takes.took[mask]
    extra["role_row"][at[role[binding]]] = path[at[role[binding]]]
    return limits._replace(**out, **extra, takes=takes)


def _taken_of_material(ctx, receiver, key, dims, only) -> tuple[np.ndarray, np.ndarray]:
    """What each ``receiver`` takes now of material ``key`` (by name, or the same taxonomy
    material), in dimension ``dims``, NaN for none; and that material's class (-1 for
    none). Sums cached on the core (over the flows into the nodes ``only`` when given,
    not cached). O(f log f), then a lookup."""
    material = taxonomy_classes(ctx)[0]
    own = int(material.max(initial=-1)) + 1 + own_classes(ctx)  # unresolved: its own
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


def main_feeds(ctx) -> np.ndarray:
    """Per catalogue row, whether it is a plant's main feed with a share: ``role``
    ``feedstock`` (said, not an empty role) and a ``max_share`` (the product rows:
    alumina to a smelter, crude to a refinery, cathode to a fabricator). Such a feed is
    turned into the plant's products; the plant's other inputs (a smelter's anodes and
    aluminium fluoride, a fertilizer plant's ammonia) are consumed beside it, no room
    for more of it. Cached on the context. O(rows)."""
    cache = ctx.__dict__
    if "_main_feeds" not in cache:
        pathways = ctx.catalogue.pathways
        role = pathways["role"].to_numpy(dtype=object) == "feedstock"
        cache["_main_feeds"] = role & ~np.isnan(pathways["share"].to_numpy(dtype=float))
    return cache["_main_feeds"]


def products_made(ctx) -> np.ndarray:
    """What each node makes of products, per dimension: a (nodes, dimensions) array, NaN
    where none is recorded. Cached on the core; O(f)."""
    return ctx.core.cached(("opportunities", "products made"), partial(_products_made, ctx.core))


def throughputs(ctx, only=None) -> np.ndarray:
    """What each node takes in all or makes of products, whichever is larger, per
    dimension: a (nodes, dimensions) array, NaN where neither is recorded. Of the nodes
    ``only`` (a mask; NaN for the others) when given. O(f); the products made cached on
    the core."""
    core = ctx.core
    intake = _whole_intakes(ctx) if only is None else _summed_whole(core, only)
    return np.fmax(intake, products_made(ctx))


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
