"""The k nearest actors of a pool to each of some sources, by chord, ties by position.

One definition, two ways to compute it: for each source, the ``k`` pool actors of the
smallest squared chord between unit vectors (the three squared coordinate gaps added in
one fixed order, ``(x + z) + y``), among equal chords the one earlier in the pool (the
pool is in ascending node position). :func:`nearest` computes every pairwise chord for
small inputs and asks a k-d tree (pykdtree's, OpenMP-parallel queries) for large ones:
the tree only proposes candidates, whose chords are then computed as the brute force
does, and a source whose candidates cannot settle its ties (an equal or nearly equal
chord just outside them) asks the tree again for twice as many. Both ways give the same
actors in the same order, whatever the tree's own order among equal distances (tests
compare them on coarse grids full of ties). Actors sharing a site (one coordinate for a
whole park, as registers often give) are one point of the tree, their members taken in
pool order.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

import numpy as np

__all__ = ["BRUTE_FORCE_PAIRS", "Sites", "first_k", "in_order", "nearest", "squared_chords"]

# Below this many (source, pool actor) pairs all chords are computed directly: faster
# than building a k-d tree.
BRUTE_FORCE_PAIRS = 100_000

# Chords computed in another order differ by a few units in the last place; a candidate
# set is only trusted when the tree's first distance left out exceeds the chord of the
# last actor kept by this relative margin (far above rounding, far below any real gap).
_MARGIN = 1e-9


def nearest(unit: np.ndarray, pool: np.ndarray, sources: np.ndarray, k: int,
            site: np.ndarray | None = None) -> np.ndarray:  # fmt: skip
    """The ``k`` nearest pool actors of each source (a row per source, nearest first,
    ties by pool order), as positions in ``pool``. ``unit``: the nodes' unit vectors;
    ``pool``: node positions, ascending, ``k`` of them at least; ``sources``: node
    positions; ``site``: a code per node, equal for nodes at one coordinate (None when
    no two share one). O(q p) by brute force for q sources and p pool actors when q p
    is small, else O(p log p + q k log p) (more where many sites lie at one distance)."""
    if len(sources) * len(pool) <= BRUTE_FORCE_PAIRS:
        return first_k(squared_chords(unit, pool, sources), k)
    points = np.take(unit, pool, axis=0)
    sites = Sites.each(points) if site is None else Sites.of(points, site[pool])
    return _by_tree(sites, np.take(unit, sources, axis=0), k)


def squared_chords(unit: np.ndarray, pool: np.ndarray, sources: np.ndarray) -> np.ndarray:
    """The squared chord between each source (a row) and pool actor (a column), a
    coordinate at a time: four times faster than the (sources, pool, 3) gaps summed by
    ``np.einsum("ijk,ijk->ij")``. The squares are added in one fixed order, (x + z) + y
    (einsum's, when it was used here), on every machine: einsum's order may change with
    the CPU and the numpy release, and so would the picks among near-equal distances."""
    a, b = np.take(unit, sources, axis=0).T, np.take(unit, pool, axis=0).T
    return _chords(a[:, :, None], b[:, None, :])


def _chords(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Squared chords between the points ``a`` and ``b`` (coordinates first, broadcast
    over the rest), the squares added as (x + z) + y: the same bits wherever computed."""
    squared = a[0] - b[0]
    squared *= squared
    for axis in (2, 1):
        gap = a[axis] - b[axis]
        gap *= gap
        squared += gap
    return squared


def first_k(squared: np.ndarray, k: int) -> np.ndarray:
    """The first ``k`` columns of a stable argsort of each row (no NaN): each row's k-th
    smallest value by a partition, then only the entries up to it sorted (by value,
    then column). O(cells) but for ties with the k-th value; a full sort of every row
    took 80 % of the brute force."""
    if k >= squared.shape[1]:
        return np.argsort(squared, axis=1, kind="stable")[:, :k]
    kth = np.partition(squared, k - 1, axis=1)[:, k - 1 : k]
    row, column = np.nonzero(squared <= kth)  # at least k per row, columns ascending
    order = np.lexsort((squared[row, column], row))  # stable: ties stay by column
    count = np.bincount(row, minlength=len(squared))
    first = (np.cumsum(count) - count)[:, None] + np.arange(k)
    return column[order][first]


@dataclass(frozen=True, eq=False)
class Sites:
    """A pool's actors grouped by site: ``points`` (one unit vector per site), and the
    members of site ``s``, ``members[start[s]:start[s] + count[s]]``, as ascending
    positions in the pool; ``first`` is each site's first member."""

    points: np.ndarray
    members: np.ndarray
    start: np.ndarray
    count: np.ndarray

    @property
    def first(self) -> np.ndarray:
        return self.members[self.start]

    @property
    def singles(self) -> bool:
        """Whether every site holds one actor (then site s is pool position s)."""
        return len(self.members) == len(self.start)

    @classmethod
    def each(cls, points: np.ndarray) -> Sites:
        """One site per actor (no two share a coordinate). O(1) but for the arrays."""
        n = len(points)
        index = np.arange(n)
        return cls(points, index, index, np.ones(n, dtype=np.int64))

    @classmethod
    def of(cls, points: np.ndarray, site: np.ndarray) -> Sites:
        """The pool's actors grouped by ``site`` (a code per actor, equal for actors at
        one coordinate), sites in order of their first member. O(p log p)."""
        by_site = np.argsort(site, kind="stable")  # a site's members stay in pool order
        new = np.r_[True, site[by_site][1:] != site[by_site][:-1]]
        leader = np.empty(len(site), dtype=np.intp)  # each actor's site's first member
        leader[by_site] = by_site[np.flatnonzero(new)][np.cumsum(new) - 1]
        members = np.argsort(leader, kind="stable")  # by site (first member), then pool order
        start = np.flatnonzero(np.r_[True, leader[members][1:] != leader[members][:-1]])
        count = np.diff(np.r_[start, len(site)])
        return cls(np.take(points, members[start], axis=0), members, start, count)


def _by_tree(sites: Sites, queries: np.ndarray, k: int) -> np.ndarray:
    """:func:`nearest` through a k-d tree of the sites: ``k + 1`` sites asked first (one
    beyond the last needed shows that no outside site ties it), twice as many for the
    sources left unsettled, until every site is asked for."""
    from pykdtree.kdtree import KDTree  # for large pools only: a small network never loads it

    tree = KDTree(sites.points)
    n_sites = len(sites.points)
    asked = min(k + 1, n_sites)
    with _openmp().limit(limits=1):  # in this thread only, restored after
        settled, out = _settle(tree, sites, queries, k, asked, every_site=asked == n_sites)
        rows = np.flatnonzero(~settled)
        while len(rows):
            asked = min(2 * asked, n_sites)
            settled, picks = _settle(tree, sites, np.take(queries, rows, axis=0), k, asked,
                                     every_site=asked == n_sites)  # fmt: skip
            out[rows[settled]] = picks[settled]
            rows = rows[~settled]
    return out


@functools.cache
def _openmp() -> Any:
    """The OpenMP runtimes loaded (pykdtree's among them), through threadpoolctl: the
    tree's queries run on one thread, in the thread that asks. The candidate stages
    already share the cores, and the runtime's own threads on top of them cost more CPU
    than they saved (the command at a million flows 3.43 -> 3.37 s, 5.33 -> 5.17 s of
    CPU, medians of 8 interleaved runs); with one thread, no thread of the runtime stays
    behind in the process either (a later fork finds none)."""
    from pykdtree import kdtree  # noqa: F401  (loaded first, so that its runtime is found)
    from threadpoolctl import ThreadpoolController

    return ThreadpoolController().select(user_api="openmp")


def _settle(tree, sites: Sites, queries: np.ndarray, k: int, asked: int, *, every_site: bool):
    """Which rows the tree's ``asked`` nearest sites settle (no site left out could
    come as near as the last member kept), and each row's ``k`` nearest members (pool
    positions; meaningless in the rows not settled), nearest first, ties by pool order.
    Where the tree's first ``k + 1`` distances are apart by more than the margin and
    its first ``k`` sites hold one actor each (nearly every row), its order is the brute
    force's: only the other rows have their chords computed."""
    n = len(queries)
    tree_squared, found = tree.query(queries, k=asked, sqr_dists=True)
    found = found.astype(np.intp).reshape(n, asked)
    distance = np.asarray(tree_squared).reshape(n, asked)
    if asked < k:  # fewer sites asked than actors wanted: sites of several actors
        return _exact(sites, queries, found, distance, k, every_site)
    near = distance[:, : k + 1]
    apart = np.asarray((near[:, 1:] > near[:, :-1] * (1 + _MARGIN)).all(axis=1))
    if sites.singles:
        picks = found[:, :k]
    else:  # the rows whose first k sites hold one actor each
        apart &= (sites.count[found[:, :k]] == 1).all(axis=1)
        picks = sites.members[sites.start[found[:, :k]]]
    rows = np.flatnonzero(~apart)
    if not len(rows):
        return apart, picks
    settled, picks[rows] = _exact(sites, np.take(queries, rows, axis=0), found[rows],
                                  distance[rows], k, every_site)  # fmt: skip
    apart[rows] = settled
    return apart, picks


def _exact(sites: Sites, queries, found, distance, k: int, every_site: bool):
    """:func:`_settle` by the chords as the brute force computes them: the sites
    ordered by chord, then first member, and their members taken in that order (those
    of sites at one chord merged by pool order)."""
    n = len(queries)
    outside = distance[:, -1] * (1 - _MARGIN)
    chord = _chords(queries.T[:, :, None], np.take(sites.points, found, axis=0).transpose(2, 0, 1))
    if sites.singles:  # each site one actor: the sites in order are the answer
        found, chord = _ordered(found, chord, found)
        return _settled(every_site, outside, chord[:, k - 1], np.ones(n, dtype=bool)), found[:, :k]
    found, chord = _ordered(found, chord, sites.first[found])
    count = sites.count[found]
    reached = np.cumsum(count, axis=1)
    last = np.argmax(reached >= k, axis=1)  # the column holding the k-th member
    bound = np.take_along_axis(chord, last[:, None], axis=1)[:, 0]
    settled = _settled(every_site, outside, bound, reached[:, -1] >= k)
    picks = np.zeros((n, k), dtype=np.intp)
    rows = np.flatnonzero(settled)
    found, chord, count, reached = found[rows], chord[rows], count[rows], reached[rows]
    # sites of equal chord share their members by pool order: only where two of them lie
    # within the kept columns (up to the last one of the bound's chord)
    within = chord <= bound[rows, None]
    tied = (within[:, 1:] & (chord[:, 1:] == chord[:, :-1])).any(axis=1)
    plain = ~tied
    picks[rows[plain]] = _members_in_order(sites, found[plain], count[plain], reached[plain], k)
    if tied.any():
        picks[rows[tied]] = _members_merged(sites, found[tied], chord[tied], within[tied], k)
    return settled, picks


def _settled(every_site: bool, outside, bound, enough) -> np.ndarray:
    """Rows with members enough whose last kept chord (``bound``) lies below every site
    left out (``outside``: the tree's distance to the last site asked, less the margin)."""
    return enough if every_site else enough & (outside > bound)


def _ordered(found: np.ndarray, chord: np.ndarray, first: np.ndarray):
    """Each row's sites and chords ordered by chord, then first member: the tree gives
    them by its own distances, so only rows out of order (rounding, ties) are sorted."""
    same = chord[:, 1:] == chord[:, :-1]
    in_order = (chord[:, 1:] > chord[:, :-1]) | (same & (first[:, 1:] > first[:, :-1]))
    rows = np.flatnonzero(~in_order.all(axis=1))
    if len(rows):
        n, width = len(rows), found.shape[1]
        row = np.repeat(np.arange(n), width)
        order = np.lexsort((first[rows].ravel(), chord[rows].ravel(), row)).reshape(n, width)
        order -= (np.arange(n) * width)[:, None]
        found[rows] = np.take_along_axis(found[rows], order, axis=1)
        chord[rows] = np.take_along_axis(chord[rows], order, axis=1)
    return found, chord


def _members_in_order(sites: Sites, found, count, reached, k: int) -> np.ndarray:
    """The first ``k`` members of each row's sites, site after site (no two of the
    sites needed share a chord). O(rows (width + k log width))."""
    n, width = found.shape
    capped = np.minimum(reached, k) + (np.arange(n, dtype=np.int64) * k)[:, None]
    slot = np.arange(n * k, dtype=np.int64)
    at = np.searchsorted(capped.ravel(), slot, side="right")  # the column of each slot
    row, column = np.divmod(at, width)
    site = found[row, column]
    before = reached[row, column] - count[row, column]
    return sites.members[sites.start[site] + (slot - row * k) - before].reshape(n, k)


def _members_merged(sites: Sites, found, chord, within, k: int) -> np.ndarray:
    """:func:`_members_in_order` where sites of one chord merge their members by pool
    order: each site's first ``k`` members with their site's chord, sorted by (row,
    chord, member). O(rows width k log)."""
    n = len(found)
    row, column = np.nonzero(within)
    site = found[row, column]
    take = np.minimum(sites.count[site], k)
    index = np.repeat(np.arange(len(site)), take)
    offset = np.arange(len(index)) - np.repeat(np.cumsum(take) - take, take)
    member = sites.members[sites.start[site[index]] + offset]
    order = np.lexsort((member, chord[row, column][index], row[index]))
    member, owner = member[order], row[index][order]
    begin = np.searchsorted(owner, np.arange(n))
    return member[begin[:, None] + np.arange(k)]


def in_order(key: np.ndarray, width: int, *columns: np.ndarray) -> list[np.ndarray]:
    """The first ``width`` columns of each array, each row ordered as a stable argsort
    of its ``key`` row (NaN last) orders it. The k-d tree gives the picks nearest first,
    so most rows are in order already: only the others are sorted and gathered."""
    out = [c[:, :width].copy() for c in columns]
    unordered = np.flatnonzero(~(key[:, 1:] >= key[:, :-1]).all(axis=1))  # NaN: unordered
    if len(unordered):
        order = np.argsort(np.take(key, unordered, axis=0), axis=1, kind="stable")[:, :width]
        for done, column in zip(out, columns, strict=True):
            done[unordered] = np.take_along_axis(np.take(column, unordered, axis=0), order, axis=1)
    return out
