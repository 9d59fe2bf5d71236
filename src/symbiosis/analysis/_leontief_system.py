"""The policy iteration of the Leontief shock model: its unknowns, options and solves.

See :mod:`~symbiosis.analysis.leontief` for the model and the proof; this module holds
the linear-algebra side: the unknowns (the output factor of each affected actor in each
dimension, and the share its actors get of each split group of an affected supplier,
:mod:`~symbiosis.analysis._rationing`), their options, and the iteration.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
import scipy.sparse.csgraph as csgraph

from ..errors import AnalysisError
from ..units import DIMENSIONS
from ._condensation import Condensation, condensation
from .ghosh import check_solution

#: An unknown switches option only when that lowers it by more than this.
_SWITCH_TOLERANCE = 1e-11
#: Policy iterations before giving up (each strictly lowers the factors; never reached).
_MAX_ITERATIONS = 500


def starts(keys: np.ndarray) -> np.ndarray:
    """Mask of the first entry of each run of equal ``keys`` (sorted)."""
    return np.r_[True, keys[1:] != keys[:-1]][: len(keys)]


def reached(graph: sp.csr_matrix, starts: np.ndarray) -> np.ndarray:
    """The nodes of ``graph`` reached from ``starts`` (themselves included): one
    breadth-first search from a virtual node joined to them. O(V + E)."""
    n = graph.shape[0]
    coo = graph.tocoo()
    rows = np.concatenate([coo.row, np.full(len(starts), n)])
    cols = np.concatenate([coo.col, starts])
    joined = sp.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(n + 1, n + 1))
    order = csgraph.breadth_first_order(joined, n, directed=True, return_predecessors=False)
    seen = np.zeros(n + 1, dtype=bool)
    seen[order] = True
    return seen[:n]


@dataclass(frozen=True)
class System:
    """The unknowns and their options.

    Unknown ``r = k * D + d``: the output factor of the k-th affected actor (``actors``) in
    the d-th dimension of :data:`~symbiosis.units.DIMENSIONS`; after them, one per split
    group of an affected supplier (``groups``, :mod:`~symbiosis.analysis._rationing`): the
    share its actors get; redirecting, one more per group: the entitlement of its necessary
    inputs (two functions). ``upper``: the largest value any unknown can take (1;
    redirecting, the largest entitlement). ``cap[r]`` its cap (1 for a share). The options
    other than the cap are affine *functions* ``constant + weights @ s``: the product groups
    of the affected actors (an option of every unknown of their actor), the secondary shares,
    the fuel options (an actor's secondary fuels in one dimension, an option of its energy
    output) and the rationed shares ``ratio * o`` (an option of one unknown each,
    ``unknown_of``);
    ``actor_of``: the actor (k) of each product group, -1 for the others; ``rationed``: the
    function is a rationed share; ``leaks``: the function has a part held fixed.
    ``topology``: the condensation of the arcs of every option, for the solves; ``active``:
    the unknowns a loss reaches (the others keep their cap, all their options being 1).
    """

    actors: np.ndarray
    groups: np.ndarray
    cap: np.ndarray
    weights: sp.csr_matrix
    constant: np.ndarray
    leaks: np.ndarray
    actor_of: np.ndarray
    unknown_of: np.ndarray
    rationed: np.ndarray
    topology: Condensation
    active: np.ndarray
    upper: float = 1.0

    @property
    def size(self) -> int:
        return len(self.cap)

    @classmethod
    def build(cls, inputs, shares, caps: np.ndarray, affected: np.ndarray) -> System:
        """O(D (F + V)) and the condensation of the unknowns' graph (``inputs``: the
        model's ``_Inputs``; ``shares``: its :class:`~symbiosis.analysis._rationing.Rationing`)."""
        width = len(DIMENSIONS)
        actors = np.flatnonzero(affected)
        local = np.full(len(affected), -1, dtype=np.int64)
        local[actors] = np.arange(len(actors))
        base = len(actors) * width  # the first rationed share
        groups = np.flatnonzero(affected[shares.source])
        # per group its share r (cap 1); redirecting, also its entitlement e (cap T / I)
        copies = 2 if shares.redirect else 1
        rationed_count = copies * len(groups)
        group_local = np.full(shares.size, -1, dtype=np.int64)
        group_local[groups] = base + np.arange(len(groups))
        entitled_local = np.full(shares.size, -1, dtype=np.int64)
        entitled_local[groups] = base + (copies - 1) * len(groups) + np.arange(len(groups))
        into = np.flatnonzero(affected[inputs.target])
        # a secondary fuel is also an input of its actor's fuel option in its dimension,
        # an option of the actor's energy output (``bound``)
        fuels = inputs.fuel_row[affected[inputs.target[inputs.fuel_row]]]
        fuel_weight = inputs.fuel_weight[affected[inputs.target[inputs.fuel_row]]]
        copy = np.r_[np.zeros(len(into), dtype=bool), np.ones(len(fuels), dtype=bool)]
        weight = np.r_[inputs.weight[into], fuel_weight]
        into = np.concatenate([into, fuels])
        target, source = local[inputs.target[into]], inputs.source[into]
        dimension = inputs.dimension[into]
        bound = np.where(copy, DIMENSIONS.index("energy"), dimension)
        product = inputs.product[into]
        group = shares.group[inputs.flow[into]]
        # the functions: product groups, then secondary shares and fuel options (one per
        # actor and dimension of its fuels), renumbered from 0
        option = (copy * len(actors) + target) * width + dimension
        keys = np.where(product, inputs.pool[into], inputs.pools + option)
        unique, first, function = np.unique(keys, return_index=True, return_inverse=True)
        is_product = product[first]
        # an input marked substitutable is made up by its receiver: held fixed at 1
        substitutable = inputs.substitutable[into]
        moving = affected[source] & ~substitutable
        # a flow of a split group reads its group's share (redirecting, a necessary input
        # its entitlement), not its source's output factor
        entitled = shares.redirect & product & (group >= 0)
        own = local[source] * width + dimension
        shared = np.where(entitled, np.append(entitled_local, -1)[group],
                          np.append(group_local, -1)[group])  # fmt: skip
        column = np.where((group >= 0) & moving, shared, own)
        fixed = ~moving
        sent = caps[source, dimension]
        at = np.where(group >= 0, group, -1)
        ratio, market = np.append(shares.ratio, 1.0)[at], np.append(shares.market, 0.0)[at]
        supply = ratio * sent  # an entitlement: min(supply, 1 - m + m supply) (_rationing)
        entitlement = np.minimum(supply, 1.0 - market + market * supply)
        sent = np.where(group >= 0, np.where(entitled, entitlement, np.minimum(1.0, supply)), sent)
        sent = np.where(substitutable, 1.0, sent)
        count = len(unique)
        held = np.bincount(function[fixed], weight[fixed] * sent[fixed], count)
        # a secondary share starts from 1 and loses what each of its inputs loses
        share = np.bincount(function, weight, count)
        constant = np.where(is_product, held, 1.0 - share + held)
        moved = np.bincount(function[moving], weight[moving], count)
        leaks = (np.bincount(function[fixed], minlength=count) > 0) | (
            ~is_product & (moved < 1.0 - 1e-12)
        )
        # the rationed shares, ratio * o of their supplier; redirecting, the entitlements
        # too: min(ratio * o, 1 - m + m ratio * o), two functions of one unknown
        supplier = local[shares.source[groups]] * width + shares.dimension[groups]
        ratio_g, market_g = shares.ratio[groups], shares.market[groups]
        count_g = len(groups)
        if shares.redirect:
            supplier = np.tile(supplier, 3)
            g_data = np.r_[ratio_g, ratio_g, market_g * ratio_g]
            g_constant = np.r_[np.zeros(2 * count_g), 1.0 - market_g]
            g_unknown = base + np.r_[np.arange(count_g), count_g + np.tile(np.arange(count_g), 2)]
        else:
            g_data, g_constant, g_unknown = ratio_g, np.zeros(count_g), base + np.arange(count_g)
        functions = len(supplier)
        g_rows = count + np.arange(functions)
        size = base + rationed_count
        rows = np.concatenate([function[moving], g_rows])
        cols = np.concatenate([column[moving], supplier])
        data = np.concatenate([weight[moving], g_data])
        weights = sp.csr_matrix((data, (rows, cols)), shape=(count + functions, size))
        rationed = np.r_[np.zeros(count, dtype=bool), np.ones(functions, dtype=bool)]
        actor_of = np.r_[np.where(is_product, target[first], -1), np.full(functions, -1)]
        unknown_of = np.r_[
            np.where(is_product, -1, target[first] * width + bound[first]), g_unknown
        ]
        # every arc an option may use: each input -> the unknowns of its function
        owner = np.where(is_product[function], target, -1)
        arcs_from = np.concatenate(
            [np.repeat(column[moving & product], width), column[moving & ~product], supplier]
        )
        arcs_to = np.concatenate(
            [
                (owner[moving & product][:, None] * width + np.arange(width)).ravel(),
                target[moving & ~product] * width + bound[moving & ~product],
                g_unknown,
            ]
        )
        graph = sp.csr_matrix((np.ones(len(arcs_from)), (arcs_from, arcs_to)), shape=(size, size))
        # a share is at most 1, an entitlement 1 + m (T / I - 1) (its supplier makes o <= 1)
        cap = np.r_[caps[actors].ravel(), np.ones(count_g),
                    1.0 + market_g * (ratio_g - 1.0) if shares.redirect else []]  # fmt: skip
        # the unknowns a loss reaches: from a capped one, or one with an option fed by a
        # node that sends less held fixed; the others keep their cap (their options are 1)
        lossy = np.bincount(function[fixed], sent[fixed] < 1.0, count) > 0
        starts = np.concatenate(
            [
                np.flatnonzero(cap < 1.0),
                (target[first][lossy & is_product][:, None] * width + np.arange(width)).ravel(),
                unknown_of[:count][lossy & ~is_product],
            ]
        )
        return cls(
            actors=actors,
            groups=groups,
            cap=cap,
            weights=weights,
            constant=np.r_[constant, g_constant],
            leaks=np.r_[leaks, g_constant > 0],
            actor_of=actor_of,
            unknown_of=unknown_of,
            rationed=rationed,
            topology=condensation(graph),
            active=reached(graph, starts),
            # every value lies below the largest entitlement (1 when none)
            upper=float(np.max(1.0 + shares.market * (shares.ratio - 1.0), initial=1.0))
            if shares.redirect
            else 1.0,
        )

    # ------------------------------------------------------------------ options

    def best(self, s: np.ndarray, *, ties: bool = False) -> tuple[np.ndarray, np.ndarray]:
        """Per unknown, the value and index of its smallest option at ``s`` (-1: the
        cap, else a function; ``ties``: a function as small as the cap is taken, for the
        first policy). O(nnz + G log G) for G functions."""
        width = len(DIMENSIONS)
        smaller = np.less_equal if ties else np.less
        values = self.constant + self.weights @ s
        value, index = self.cap.copy(), np.full(self.size, -1, dtype=np.int64)
        products = np.flatnonzero(self.actor_of >= 0)
        # per actor its smallest product group, an option of all its unknowns
        order = products[np.lexsort((values[products], self.actor_of[products]))]
        first = order[starts(self.actor_of[order])]
        rows = (self.actor_of[first][:, None] * width + np.arange(width)).ravel()
        candidate = np.repeat(values[first], width)
        better = smaller(candidate, value[rows]) & self.active[rows]
        value[rows[better]] = candidate[better]
        index[rows[better]] = np.repeat(first, width)[better]
        shares = np.flatnonzero(self.actor_of < 0)  # one function per unknown (two for an
        # entitlement): its smallest
        order = shares[np.lexsort((values[shares], self.unknown_of[shares]))]
        shares = order[starts(self.unknown_of[order])]
        rows = self.unknown_of[shares]
        better = (values[shares] < value[rows]) & self.active[rows]
        value[rows[better]] = values[shares[better]]
        index[rows[better]] = shares[better]
        return value, index

    def linear(self, policy: np.ndarray) -> tuple[sp.csr_matrix, np.ndarray]:
        """``(P, c)`` of the policy: ``s = P s + c``."""
        rows = np.flatnonzero(policy >= 0)
        picked = self.weights[policy[rows]].tocoo()
        rhs = self.cap.copy()
        rhs[rows] = self.constant[policy[rows]]
        matrix = sp.csr_matrix(
            (picked.data, (rows[picked.row], picked.col)), shape=(self.size, self.size)
        )
        return matrix, rhs

    def mean(self) -> tuple[sp.csr_matrix, np.ndarray]:
        """``(P, c)`` of the first estimate: each active unknown the mean of its options
        (its cap among them when below 1, so that a capped one leaks), the others their
        cap, a rationed share 1. Nonsingular: every active unknown reaches a loss, which
        leaks."""
        width = len(DIMENSIONS)
        products = np.flatnonzero(self.actor_of >= 0)
        shares = np.flatnonzero((self.actor_of < 0) & ~self.rationed)
        rows = np.concatenate(
            [
                (self.actor_of[products][:, None] * width + np.arange(width)).ravel(),
                self.unknown_of[shares],
            ]
        )
        functions = np.concatenate([np.repeat(products, width), shares])
        keep = self.active[rows]
        rows, functions = rows[keep], functions[keep]
        options = np.bincount(rows, minlength=self.size)
        capped = (self.cap < 1.0) | (options == 0)
        count = options + capped
        spread = sp.csr_matrix(
            (1.0 / count[rows], (rows, functions)), shape=(self.size, len(self.constant))
        )
        rhs = spread @ self.constant + np.where(capped, self.cap / count, 0.0)
        return (spread @ self.weights).tocsr(), rhs

    def proper(self, policy: np.ndarray) -> np.ndarray:
        """The policy with every unknown that reaches no leaking one (through the options
        chosen) set to its cap: a proper policy. O(nnz)."""
        matrix, _ = self.linear(policy)
        leaking = (policy < 0) | self.leaks[np.maximum(policy, 0)]
        # row depends on col: what reaches a leak is reached from it along col -> row
        reaching = reached(matrix.T.tocsr(), np.flatnonzero(leaking))
        return np.where(reaching, policy, -1)

    def unlooped(self, policy: np.ndarray) -> np.ndarray:
        """The policy with every rationed share that lies on a loop of the options chosen
        set to its cap (1): the first policy then has substochastic loops only (a rationed
        share's weight ``ratio`` exceeds 1), so its fixed point lies above the greatest
        one. O(nnz) for the strong components."""
        matrix, _ = self.linear(policy)
        _, label = csgraph.connected_components(matrix, directed=True, connection="strong")
        looped = (np.bincount(label)[label] > 1) | (matrix.diagonal() != 0)
        chosen = np.maximum(policy, 0)
        return np.where((policy >= 0) & self.rationed[chosen] & looped, -1, policy)

    # ------------------------------------------------------------------ solving

    def solve_linear(self, matrix: sp.csr_matrix, rhs: np.ndarray) -> np.ndarray:
        try:
            solution = self.topology.solve(matrix, rhs)
        except np.linalg.LinAlgError as exc:  # exactly singular: a loop with no leak at all
            raise AnalysisError(
                f"the supply-shock system is singular ({exc}): a loop of exchanges has no "
                "inflow from outside; check its flows"
            ) from None
        check_solution(matrix, rhs, solution, upper=self.upper)
        return solution

    def solve(self) -> tuple[np.ndarray, int]:
        """The greatest fixed point by policy iteration (module docstring), and the
        number of iterations."""
        estimate = self.solve_linear(*self.mean())
        policy = self.proper(self.unlooped(self.best(estimate, ties=True)[1]))
        for iteration in range(1, _MAX_ITERATIONS + 1):
            s = self.solve_linear(*self.linear(policy))
            value, index = self.best(s)
            switch = value < s - _SWITCH_TOLERANCE
            if not switch.any():
                return s, iteration
            policy = np.where(switch, index, policy)
        raise AnalysisError(  # pragma: no cover - each iteration lowers the factors
            f"the Leontief shock model did not settle in {_MAX_ITERATIONS} policy iterations"
        )
