"""What one use's shared bound subtracts: the materials the receiver takes now, and the
room its demand rows give.

The rows of one *use* of a receiver (:func:`.shares.share_uses`: a kiln's constituents,
at 0.5 of its throughput) share one bound, that share less what the receiver takes now
of the materials of the use's streams, each counted once (:func:`.shares.share_bounds`).
Every stream of the use counts, whatever sizes it: a stream a ``demands.csv`` row bounds
(source ``demand``) is no longer bounded by the share, but what the firm takes of its
material is still taken now, and the room the row gives it (the firm's total, less what
it takes now) is room the others do not have. Until tester12 such a stream dropped out of
the others' bound: a demand row for Baotou's blast furnace slag (4 Mt in all, 3 Mt taken)
left the kiln's steel-slag tailings 1.4 Mt of room beside its 3 Mt of slag and 0.35 Mt of
fly ash, and the plan sent it over 6 Mt of constituents for 4 Mt of cement.

So the use's rows a demand bounds take at most what the firm says, and the others share
what the share leaves beside that: together they never pass the share, but where the
firm's own figure says more (a slag cement holds more than a composite one), by that
figure (docs/opportunities.md, *Capacity and demands*).

Complexity: O(c) for c candidates to find the rows an earlier source sized, then O(r) for
the r rows of the uses asked, one hash factorization each.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
import pandas as pd

from .intake import _firsts
from .materials import own_classes, taxonomy_classes

__all__ = ["Elsewhere", "Subtracted", "Takes", "elsewhere"]


class Elsewhere(NamedTuple):
    """The streams of the uses asked that an earlier source sized (a demand, the
    purchases they replace, a co-processing line), one per candidate row: their use
    group's ``code`` (receiver, use, dimension), their receiver, material key and
    dimension, their ``demand`` group (-1: none), its ``limit`` (the room it gives) and
    its ``label`` (file:row)."""

    code: np.ndarray
    receiver: np.ndarray
    key: np.ndarray
    dims: np.ndarray
    demand: np.ndarray
    limit: np.ndarray
    label: dict[int, str]


def elsewhere(ctx, candidates, bound, receivers, uses, n: int) -> Elsewhere | None:
    """The :class:`Elsewhere` rows of a use of a share (``uses`` per catalogue row,
    :func:`.shares.share_uses`; coded ``(receiver * 2 n + use) * 4 + dimension + 1``)
    whose receiver is one of ``receivers`` (those of the rows asking for a share), among
    the rows that ``bound`` (the capacities so far, their groups and the
    :class:`.capacity._Groups`) sizes. None when none. O(c) for c candidates, plus the
    rows found."""
    if bound is None:
        return None
    capacity, group, groups = bound
    of_a_use = np.append(uses >= 0, False)  # per catalogue row; the last: no row (-1)
    rows = np.flatnonzero(of_a_use[candidates.pathway] & ~np.isnan(capacity))
    use = uses[candidates.pathway[rows]]
    receiver = candidates.receiver[rows].astype(np.int64)
    asked = np.zeros(ctx.core.n_nodes + 1, dtype=bool)  # the last: a proposed plant's
    asked[receivers] = True
    mine = asked[receiver]
    if not mine.any():
        return None
    rows, use, receiver = rows[mine], use[mine], receiver[mine]
    stream = candidates.stream[rows]
    dims = ctx.streams.dimension[stream].astype(np.int64)
    codes = (receiver * 2 * n + use) * 4 + dims + 1
    gid = group[rows].astype(np.int64)
    first = 0  # the demand rows' groups come first (.capacity._demand is the first source)
    while first < len(groups.source) and groups.source[first] == "demand":
        first += 1
    demand = np.where(gid < first, gid, -1)  # a group: >= 0
    ids = pd.unique(demand[demand >= 0]).tolist()
    limit = np.full(len(rows), np.nan)
    limit[demand >= 0] = [groups.limit[g] for g in demand[demand >= 0].tolist()]
    texts = dict(groups.details) if ids else {}  # a demand row's group: a run of its own
    label = {g: texts[g](0).split(" (its total of ")[0] for g in ids}
    key = ctx.streams.key_code[stream]
    return Elsewhere(codes, receiver, key, dims, demand, limit, label)


@dataclass(frozen=True)
class Subtracted:
    """What the use groups' bounds subtract, for their details (:meth:`less`): the
    materials each group's receiver takes now with what it takes of each (``pairs``:
    group, class, amount, none of 0), its demand rows (``demands``: group, class of
    their material, room given, file:row), and what names a class (``names``,
    :func:`_class_name`). Kept with the groups' details: the groups' rows are not."""

    pairs: tuple[np.ndarray, np.ndarray, np.ndarray]
    demands: tuple[np.ndarray, np.ndarray, np.ndarray, list[str]]
    names: tuple

    def less(self, group: int) -> str:
        """What the bound of the use group ``group`` subtracts, as the end of its detail:
        ", less the 1,900,000 it takes now of blast furnace slag (1,000,000) and fly ash
        (900,000), and the 500,000 more that demands.csv:2 gives blast furnace slag", or
        ", less the 0 it takes now of their materials". O(pairs) once read."""
        number, klass, taken = self.pairs
        mine = np.flatnonzero(number == group)
        parts = []
        if len(mine):
            parts.append(f"the {taken[mine].sum():,.0f} it takes now of "
                         + _listed(self.names, klass[mine], taken[mine]))  # fmt: skip
        number, klass, room, label = self.demands
        mine = np.flatnonzero(number == group)
        if len(mine):
            rows = [label[i] for i in mine.tolist()]
            says = rows[0] + " gives" if len(rows) == 1 else _and(rows) + " give"
            parts.append(f"the {room[mine].sum():,.0f} more that {says} "
                         + _listed(self.names, klass[mine], room[mine]))  # fmt: skip
        if not parts:
            return ", less the 0 it takes now of their materials"
        return ", less " + ", and ".join(parts)


@dataclass(frozen=True)
class Takes:
    """Per row asking for a share (:func:`.shares.share_bounds`): its use group's index
    (``group``), what the receiver takes now of the group's materials (``took``) and the
    room its demand rows give theirs (``reserved``); once placed (:meth:`placed`), the
    rows' positions among the rows bounded (``rows``, ascending), whether each keeps its
    family's bound within the group's (``inside``), and the group's code and room
    (``code``, ``room``); and what the groups subtract, for their details
    (``subtracted``)."""

    group: np.ndarray
    took: np.ndarray
    reserved: np.ndarray
    subtracted: Subtracted
    rows: np.ndarray | None = None
    inside: np.ndarray | None = None
    code: np.ndarray | None = None
    room: np.ndarray | None = None

    @classmethod
    def of(cls, ctx, code, material, took, other: Elsewhere | None) -> Takes:
        """The takes of the rows with use group ``code``, the class of their stream's
        material and what the receiver takes of it now, the rows' first, then those of
        ``other`` (the use's rows sized elsewhere). Each distinct material of a group
        counted once. O(r)."""
        k = len(code) - (0 if other is None else len(other.code))
        number, _ = pd.factorize(code)
        number = number.astype(np.int64)
        size = int(number.max(initial=-1)) + 1
        first = _firsts(number * (int(material.max(initial=0)) + 2) + material + 1)[1]
        total = np.bincount(number[first], weights=took[first], minlength=size)
        reserved: np.ndarray = np.zeros(size)
        demands: tuple = (np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0), [])
        if other is not None and (other.demand >= 0).any():
            at = np.flatnonzero(other.demand >= 0)
            groups, demand = number[k + at], other.demand[at]
            once = at[_firsts(groups * (int(demand.max()) + 1) + demand)[1]]
            reserved = np.bincount(number[k + once], weights=other.limit[once], minlength=size)
            demands = (number[k + once], material[k + once], other.limit[once],
                       [other.label[d] for d in other.demand[once].tolist()])  # fmt: skip
        kept = first[took[first] > 0]
        pairs = (number[kept], material[kept], took[kept])
        classes = taxonomy_classes(ctx)
        names = (classes[0], classes[4], own_classes(ctx), ctx.core.material_keys)
        mine = number[:k]
        return cls(mine, total[mine], reserved[mine], Subtracted(pairs, demands, names))

    def placed(self, rows, inside, code, room) -> Takes:
        """These takes with, per row, its position among the rows bounded, whether it
        keeps its family's bound ``inside`` the group's, and the group's code and
        room."""
        return dataclasses.replace(self, rows=rows, inside=inside, code=code, room=room)

    def at(self, rows: np.ndarray) -> np.ndarray:
        """The place among these rows of the ``rows`` (positions among the rows bounded),
        -1 for one not among them. O(r log t)."""
        mine = self.rows if self.rows is not None else np.zeros(0, dtype=np.int64)
        place = np.searchsorted(mine, rows)
        found = place < len(mine)
        found[found] = mine[place[found]] == rows[found]
        return np.where(found, place, -1)


def _listed(names: tuple, klass: np.ndarray, amount: np.ndarray) -> str:
    """The classes' names (:func:`_class_name`), each with its amount when there are
    several, the largest first."""
    said = [_class_name(names, int(c)) for c in klass.tolist()]
    if len(said) == 1:
        return said[0]
    named = sorted(zip(amount.tolist(), said, strict=True), key=lambda p: (-p[0], p[1]))
    return _and([f"{n} ({a:,.0f})" for a, n in named])


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _class_name(names: tuple, klass: int) -> str:
    """The name of a material class (:func:`.shares._taken_of_material`): its taxonomy
    material's, or for a class of its own, the first material key in it. O(keys)."""
    material, matches, own, keys = names
    n_materials = int(material.max(initial=-1)) + 1
    if klass < n_materials:
        return str(matches[int(np.flatnonzero(material == klass)[0])].material)
    key = np.flatnonzero((material < 0) & (own == klass - n_materials))
    return str(keys[int(key[0])]) if len(key) else "it"
