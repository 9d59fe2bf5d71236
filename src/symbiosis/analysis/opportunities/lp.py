"""The linear program of the optimal allocation (:mod:`.allocation`), one dimension at a
time, on plain arrays: rows (candidate exchanges), streams and capacity groups.

Maximise ``sum_i gain_i x_i`` subject to ``0 <= x_i <= upper_i``, for each stream
``sum of its rows <= supply`` and for each capacity group ``sum of its rows <= limit``
(a row is in up to three groups: its own, the one that lies around it, a receiver's
whole intake around its intake of one family, and the one around that, its whole intake
around one use's share of its throughput around one family of that use); ``gain_i`` is
the gain per unit (1 for quantity, the net value per unit otherwise). Among the optima,
the better-ranked rows (``rank``: 0 first) are preferred, lexicographically after the
gain: a second stage.

Most of it is solved without the LP, exactly, for both stages:

* a row is *dominated* when its stream has free rows (in no group that could be
  overfilled, its own or the one around it), better (of more gain, or as much and better
  ranked), that together can take the whole stream: some such row always has room, and
  moving an amount there gains, or gains as much on a better-ranked row. Dominated rows
  are never used;
* a stream that then shares no group that could be overfilled with another stream is a
  problem of its own with one constraint: its rows take what is left, the most gain
  first, then the better-ranked;
* the other streams, linked through groups that could be overfilled, go to HiGHS
  together (``scipy.optimize.linprog(method="highs")``, a sparse matrix with one row per
  stream or group that can bind, amounts scaled by their median), in two stages. The
  first maximises the gain alone. The second stays on its optimal face: the columns of a
  reduced cost above ``EPSILON`` held at their value, the constraints of a dual above it
  held tight, so that every solution of it has the first stage's gain (LP duality:
  complementary slackness with the first stage's duals), and maximises
  ``sum_i x_i / (1 + k_i)``, ``k_i`` the row's place in rank order among the LP's rows
  linked to it (0 the best-ranked of its connected streams and groups). The gain of the
  plan is thus the LP's optimum within the solver's tolerances, never traded for rank
  (a tie-break term inside one objective, as before, cost up to 11 ppm of it and could
  not be made provably exact: two optima may differ by any small amount). Why 1/(1 + k):
  a unit on a better-ranked row always counts more, the more so the nearer the top, so
  that an optimum sending the #1 candidate's stream to a worse alternative to make room
  for worse-ranked rows loses (a weight falling linearly with rank did not: Daqing's
  #1, pure CO2 to the EOR block, went to #7, a new industrial-gases plant, so that #6,
  flue gas, could fill the block). It is not strictly lexicographic by rank (that needs
  weights halving per rank, below double precision after ~50 rows, or one LP per row);
  ranks are counted within a
  connected part so that the weights of one part stay apart (1/k^2 above the solver's
  1e-9 up to ~30,000 rows in one part; past that ties among the worst-ranked are the
  solver's). If the second stage fails, the first stage's solution stands.

The solution is then scaled down where the solver's tolerance overfilled a stream or a group, so
that it is always feasible. Complexity: O(c log c) for c rows, plus the two LPs of the linked rows
and their connected parts (O(l + nnz)) (the simplex is exponential in the worst case; measured in
benchmarks/bench_allocation.py). The greedy comparison takes the same rows in rank order: O(c log c)
for the streams alone, row by row for the linked ones.
"""

from __future__ import annotations

import time
from typing import Any

import numpy as np
import pandas as pd

from ...errors import AnalysisError

__all__ = ["EPSILON", "Allocation"]

#: A reduced cost or dual of the first stage above this is not zero: its column or
#: constraint is held in the second (the gain per unit at most it could trade for rank).
EPSILON = 1e-9
_HIGHS = {"dual_feasibility_tolerance": 1e-9, "primal_feasibility_tolerance": 1e-9}


class Allocation:
    """One dimension's problem (module docstring). ``stream`` codes index ``supply``;
    ``group`` is each row's capacity group (-1 none) and ``capacity`` its limit (NaN
    unknown; a group's limit is the smallest stated); ``rank`` orders the rows among
    optima of equal gain (smaller first); ``within`` and ``within_capacity``
    the same for the group it lies within (None: none does), ``around`` and
    ``around_capacity`` for the group that one lies within. The columns name groups of
    one numbering: a receiver's whole-intake group is the ``group`` of the rows that ask
    for the whole intake and the ``within`` of those of its families."""

    def __init__(self, gain, upper, stream, supply, group, capacity, rank, within=None,
                 within_capacity=None, around=None, around_capacity=None):  # fmt: skip
        top = gain.max(initial=0)
        self.gain = gain / top if top > 0 else gain
        self.use = (self.gain > 0) & (upper > 0)
        self.upper = np.where(self.use, upper, 0.0)
        # each row's place in the order the optimum prefers: gain, then rank (0 best)
        order = np.lexsort((np.arange(len(gain)), rank, -self.gain))
        self.key = np.empty(len(gain), dtype=np.int64)
        self.key[order] = np.arange(len(gain))
        self.rank = np.asarray(rank)
        self.stream, self.stream_code = np.unique(stream, return_inverse=True)
        self.supply = supply[self.stream]
        self.member, self.group_code, self.limit = _memberships(
            group, capacity, (within, within_capacity), (around, around_capacity)
        )
        self.open = self._undominated()
        self.linked = np.flatnonzero(self._linked(self.open) & (self.open > 0))

    def _binding(self, upper: np.ndarray) -> np.ndarray:
        """Per row: is it in a group whose rows together could take more than its
        limit?"""
        totals = np.bincount(self.group_code, upper[self.member], len(self.limit))
        over = totals > self.limit * (1 + 1e-12)
        binding = np.zeros(len(upper), dtype=bool)
        binding[self.member[over[self.group_code]]] = True
        return binding

    def _linked(self, upper: np.ndarray) -> np.ndarray:
        """Per row: is its stream in a group that could be overfilled?"""
        linked = np.zeros(len(self.supply), dtype=bool)
        linked[self.stream_code[self._binding(upper) & (upper > 0)]] = True
        return linked[self.stream_code]

    def _undominated(self) -> np.ndarray:
        """``upper``, with 0 for the dominated rows (module docstring)."""
        free = np.flatnonzero(~self._binding(self.upper) & self.use)
        order = free[np.lexsort((self.key[free], self.stream_code[free]))]
        code = self.stream_code[order]
        covering = self._before(order, self.upper) + self.upper[order] >= self.supply[code]
        bar = np.full(len(self.supply), np.iinfo(np.int64).max)
        np.minimum.at(bar, code[covering], self.key[order][covering])
        return np.where(self.key > bar[self.stream_code], 0.0, self.upper)

    def _before(self, order: np.ndarray, upper: np.ndarray) -> np.ndarray:
        """For the rows in ``order`` (grouped by stream): the sum of ``upper`` over the
        rows of the same stream before them."""
        code, amount = self.stream_code[order], upper[order]
        before = np.cumsum(amount) - amount
        first = np.r_[True, code[1:] != code[:-1]] if len(code) else np.zeros(0, dtype=bool)
        return before - np.maximum.accumulate(np.where(first, before, 0.0))

    def _fill(self, order: np.ndarray, upper: np.ndarray) -> np.ndarray:
        """Each stream's rows take, in ``order`` (grouped by stream), what it has left."""
        x = np.zeros(len(upper))
        code = self.stream_code[order]
        x[order] = np.clip(self.supply[code] - self._before(order, upper), 0.0, upper[order])
        return x

    def solve(self) -> tuple[np.ndarray, dict[str, Any]]:
        """The amounts, and how it went: variables, rows in the LP, its constraints and
        iterations, seconds."""
        start = time.perf_counter()
        x = self._fill(np.lexsort((self.key, self.stream_code)), self.open)
        info = {"variables": int(self.use.sum()), "in_lp": len(self.linked), "constraints": 0,
                "iterations": 0}  # fmt: skip
        if len(self.linked):
            x[self.linked] = self._lp(self.linked, info)
        info["seconds"] = time.perf_counter() - start
        return self._feasible(x), info

    def _lp(self, rows: np.ndarray, info: dict[str, Any]) -> np.ndarray:
        """The LP of the linked rows: one constraint per stream or group that can bind."""
        from scipy.optimize import linprog
        from scipy.sparse import csr_matrix

        upper, parts, offset = self.open[rows], [], 0
        at = np.full(len(self.upper), -1)
        at[rows] = np.arange(len(rows))
        inside = at[self.member] >= 0
        for column, code, limit in ((np.arange(len(rows)), self.stream_code[rows], self.supply),
                                    (at[self.member[inside]], self.group_code[inside],
                                     self.limit)):  # fmt: skip
            binds = np.bincount(code, upper[column], len(limit)) > limit * (1 + 1e-12)
            index = np.cumsum(binds) - 1 + offset
            kept = np.flatnonzero(binds[code])
            parts.append((index[code[kept]], column[kept], limit[binds]))
            offset += int(binds.sum())
        i, j, rhs = (np.concatenate(part) for part in zip(*parts, strict=True))
        scale = max(float(np.median(upper)), 1e-12 * upper.max())
        matrix = csr_matrix((np.ones(len(i)), (i, j)), shape=(len(rhs), len(rows)))
        bounds = np.c_[np.zeros(len(rows)), upper / scale]
        gain = self.gain[rows]
        solved = linprog(-gain, A_ub=matrix, b_ub=rhs / scale, bounds=bounds, method="highs",
                         options=_HIGHS)  # fmt: skip
        if solved.status != 0:
            raise AnalysisError(f"the allocation LP was not solved: {solved.message}")
        iterations = int(getattr(solved, "nit", 0))
        # the second stage on the first one's optimal face (docstring)
        lower, upper_rc = solved.lower.marginals, solved.upper.marginals
        fixed = (lower > EPSILON) | (upper_rc < -EPSILON)
        face = bounds.copy()
        face[fixed] = np.c_[solved.x[fixed], solved.x[fixed]]
        tight = np.abs(solved.ineqlin.marginals) > EPSILON
        part = _parts(i, j, len(rows))
        ranked = linprog(-1.0 / (1.0 + _places(self.rank[rows], part)),
                         A_ub=matrix[~tight], b_ub=rhs[~tight] / scale,
                         A_eq=matrix[tight] if tight.any() else None,
                         b_eq=rhs[tight] / scale if tight.any() else None,
                         bounds=face, method="highs", options=_HIGHS)  # fmt: skip
        if ranked.status == 0:
            solved = ranked
            iterations += int(getattr(ranked, "nit", 0))
        info.update(constraints=len(rhs), iterations=iterations)
        return np.clip(solved.x * scale, 0.0, upper)

    def _feasible(self, x: np.ndarray) -> np.ndarray:
        """``x`` scaled down where the solver's tolerance overfilled a stream or group,
        and solver noise (below 1e-9 of the row's quantity) dropped. A row in two groups
        takes the smaller factor: each group then holds at most its limit."""
        x[x < 1e-9 * self.upper] = 0.0
        x *= _factor(np.bincount(self.stream_code, x, len(self.supply)), self.supply)[
            self.stream_code
        ]
        factor = _factor(np.bincount(self.group_code, x[self.member], len(self.limit)),
                         self.limit)  # fmt: skip
        by_row = np.ones(len(x))
        np.minimum.at(by_row, self.member, factor[self.group_code])
        return x * by_row

    def greedy(self) -> np.ndarray:
        """The same rows taken in row (rank) order, each what its stream and groups have
        left: the streams alone at once, the linked ones row by row."""
        x = self._fill(np.argsort(self.stream_code, kind="stable"), self.upper)
        rows = np.flatnonzero(self._linked(self.upper))
        left_s, left_g = self.supply.tolist(), self.limit.tolist()
        member, group = self.member, self.group_code.tolist()  # by row (_memberships)
        first, last = np.searchsorted(member, rows), np.searchsorted(member, rows, side="right")
        for i, s, u, a, b in zip(rows.tolist(), self.stream_code[rows].tolist(),
                                 self.upper[rows].tolist(), first.tolist(), last.tolist(),
                                 strict=True):  # fmt: skip
            mine = group[a:b]
            x[i] = take = max(0.0, min(u, left_s[s], *(left_g[g] for g in mine)))
            left_s[s] -= take
            for g in mine:
                left_g[g] -= take
        return x


def _parts(i: np.ndarray, j: np.ndarray, n: int) -> np.ndarray:
    """The connected part of each of ``n`` LP columns, columns ``j`` sharing constraints
    ``i`` (streams and groups) linked. O(n + nnz)."""
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    m = int(i.max(initial=-1)) + 1
    graph = coo_matrix((np.ones(len(i)), (j, n + i)), shape=(n + m, n + m))
    return connected_components(graph, directed=False)[1][:n]


def _places(rank: np.ndarray, part: np.ndarray) -> np.ndarray:
    """Each row's place in ``rank`` order among the rows of its ``part``: 0, 1, ...
    O(n log n)."""
    order = np.lexsort((np.arange(len(rank)), rank, part))
    first = np.r_[True, part[order][1:] != part[order][:-1]] if len(order) else order == 0
    start = np.maximum.accumulate(np.where(first, np.arange(len(order)), 0))
    place = np.empty(len(rank))
    place[order] = np.arange(len(order)) - start
    return place


def _factor(total: np.ndarray, limit: np.ndarray) -> np.ndarray:
    """Per stream or group: what scales its total down to its limit (1 when within)."""
    return np.where(total > limit, limit / np.where(total > 0, total, 1.0), 1.0)


def _memberships(group, capacity, *around):
    """The (row, group) memberships of the rows in groups of a known limit: rows,
    group codes 0.., and each code's limit (the smallest stated for it, as a row's own
    ``capacity`` or as the capacity of a group around a row's, ``around``: pairs of
    group and limit columns, None for none), ordered by row. A row named twice in one
    group (a hand-made table) is in it once."""
    rows = np.arange(len(group))
    ids, limits = group, capacity
    for outer, outer_capacity in around:
        if outer is not None:
            rows = np.r_[rows, np.arange(len(group))]
            ids, limits = np.r_[ids, outer], np.r_[limits, outer_capacity]
    named = ids >= 0
    rows, ids, limits = rows[named], ids[named].astype(np.int64), limits[named]
    stated = pd.Series(limits).groupby(ids).min().dropna()
    code = stated.index.get_indexer(ids)
    known = code >= 0
    key = np.unique(rows[known].astype(np.int64) * (len(stated) + 1) + code[known])
    return key // (len(stated) + 1), key % (len(stated) + 1), stated.to_numpy(dtype=float)
