"""The Leontief supply-shock model: an actor runs at the share of its scarcest input.

:mod:`~symbiosis.analysis.propagation` applies it (the default, ``model="leontief"``);
this module finds the output factor of every actor.

The model
---------
Let ``o[i, d]`` be the share of its outputs in dimension ``d`` that node ``i`` still
makes (its *output factor*); a boundary node's is its cap ``c[i, d]`` (1, or ``1 +
change`` when shocked). An actor's recorded inputs of known size are of two kinds:

* **Products it takes** are its recipe: each material (by material key and dimension) is
  necessary, in fixed proportions (a Leontief technology). The deliveries of one
  material add up, whoever sends them: it keeps the share ``k_g = sum_i F_ij o[i, d] /
  sum_i F_ij``. The actor's *activity* is the share of its scarcest product input,
  ``a_j = min(1, min_g k_g)``, and limits its outputs in **every** dimension: a smelter
  without ore makes no metal, no slag and no waste heat, whatever acid and power it
  still gets.
* **By-products, wastes and emissions it takes** (its *secondary inputs*) replace part
  of a primary input (slag or fly ash in cement, scrap in a smelter, reclaimed water for
  river water) or are what a recycler or a treatment plant processes. Losing them costs
  the outputs of their dimension the share of the actor's throughflow they made up, as in
  the proportional model: ``q[j, d] = 1 - sum_i F_ij (1 - o[i, d]) / x[j, d]`` over the
  secondary inputs in ``d``, with ``x`` the throughflow (``max(in, out)``: an unrecorded
  input such as the limestone of a cement plant cushions the loss; only the recorded
  inputs with ``close_balances=False``). Made necessary too, every by-product would be:
  Tongling's copper smelter needs its 86 kt of recycled slag concentrate as much as its
  1.7 Mt of concentrate, so closing the other smelter (whose slag goes to the same slag
  plant) would stop every firm in the city.

An actor's output factor is then ``o[j, d] = min(c[j, d], a_j, q[j, d])``; one with no
recorded input is an origin (``a = q = 1``). Unrecorded inputs never limit it. A
*household* is no technology: every input it takes counts by its share, as a secondary
input does (the city whose district heat falls does not cut its wastewater with it).

The map from ``o`` to ``o`` is monotone and maps [0, 1] into itself; the model takes its
**greatest** fixed point (the largest outputs the supplies allow). The least can be
absurd: in a loop where a plant's only supply of a product comes back from its own
customer, every output 0 is a fixed point.

Solution: policy iteration
--------------------------
Every unknown (an affected actor's output factor in a dimension) is the minimum of
affine functions, its *options*: the cap (a constant), each product group of the actor,
and its secondary share ``q``. Fix one option per unknown (a *policy*): the system is
linear, ``s = P s + c`` with ``P`` substochastic, and is solved along its condensation
(:mod:`~symbiosis.analysis._condensation`: one sparse LU of all loop blocks, one
triangular solve). Then every unknown switches to its smallest option if that is smaller
by more than 1e-11, and so on until none switches (Howard 1960; for the greatest fixed
point of a monotone min of affine maps, Costan et al. 2005).

* A policy is *proper* when every unknown reaches, through the options chosen, one whose
  option leaks (a constant, or a function with a part held fixed): ``I - P`` is then a
  nonsingular M-matrix. The fixed point of any proper policy lies above the model's
  greatest fixed point (the policy's map lies above the model's), and below 1.
* Switching only on strict improvement keeps a proper policy proper: a set of unknowns
  closed under the new options, with no leak, would have its smallest value equal to a
  weighted mean of values of the set, so its minimisers switched nothing and were closed
  under the old policy already. So the factors fall at every step, never below the
  greatest fixed point, and when nothing switches they are a fixed point: the greatest.
* The first policy is the best option of each unknown at the solution of one linear
  system in which each takes the mean of its options (nonsingular: each mean holds a
  constant), unknowns that reach no leak set to their cap. In a chain or a ring each
  actor has one product input, and one more solve confirms the first policy.

Only the actors downstream of a flow that loses something (from a node capped in the
flow's dimension) are unknowns; every other actor keeps its cap.

Complexity: O(F log F) to group the inputs; then, per policy iteration, O(D (F + V))
for D dimensions plus the sparse LU of the loop blocks among the affected actors. The
number of iterations is finite (the factors fall at every step, and there are finitely
many policies): 1 to 4 on the networks tested, 2 on a chain or a ring of 20,000 firms.

References
----------
Leontief, W. (1951). *The Structure of American Economy 1919-1939*, 2nd ed. Oxford UP.
Howard, R. A. (1960). *Dynamic Programming and Markov Processes*. MIT Press.
Costan, A., Gaubert, S., Goubault, E., Martel, M. & Putot, S. (2005). A policy iteration
algorithm for computing fixed points in static analysis of programs. *CAV 2005*, LNCS
3576, 462-475.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
import scipy.sparse.csgraph as csgraph

from ..errors import AnalysisError
from ..model import FlowNetwork
from ..units import DIMENSIONS
from ..vocabulary import CATEGORIES
from ._condensation import Condensation, condensation
from .ghosh import check_solution

__all__ = ["SECONDARY", "Activity", "leontief_activity"]

#: How the secondary inputs of an actor (by-products, wastes, emissions) are named.
SECONDARY = "by-products and wastes taken"
#: An unknown switches option only when that lowers it by more than this.
_SWITCH_TOLERANCE = 1e-11
#: Policy iterations before giving up (each strictly lowers the factors; never reached).
_MAX_ITERATIONS = 500
_PRODUCT = CATEGORIES.index("product")
#: Two factors closer than this are the same (what limits an actor: a tie names the input).
_SAME = 1e-9


@dataclass(frozen=True)
class Activity:
    """The solution of the Leontief model on a network.

    ``factors[k, d]``: the output factor of node k in dimension d (the order of
    :data:`~symbiosis.units.DIMENSIONS`); ``activity[k]``: ``a``, the share of its
    scarcest product input (1 for boundary nodes and actors without product inputs);
    ``secondary[k, d]``: ``q``; ``pool[f]``: the input pool of flow f (one per product
    group, one per actor's secondary inputs in a dimension; -1 for flows in none: of
    unknown size, into a boundary node, of no dimension) and ``kept[p]`` the share of
    its supply pool p keeps; ``limiting[k]``: a flow of the product group that sets
    ``a`` (-1 when ``a`` is 1); ``iterations``: the policy iterations.
    """

    factors: np.ndarray
    activity: np.ndarray
    secondary: np.ndarray
    pool: np.ndarray
    kept: np.ndarray
    limiting: np.ndarray
    iterations: int

    def limited_by(self, network: FlowNetwork, node: int, dimension: int) -> str | None:
        """What sets the output factor of an actor in a dimension: ``shock`` (its cap),
        the material of its scarcest product input, :data:`SECONDARY` (with the
        dimension), or None when nothing cuts it. O(1)."""
        value = self.factors[node, dimension]
        if value >= 1.0:
            return None
        reached = value + _SAME  # the solver's tolerance: a tie names the input
        if self.activity[node] <= reached and self.limiting[node] >= 0:
            core = network.core
            return str(core.materials[core.material_code[self.limiting[node]]])
        if self.secondary[node, dimension] <= reached:
            return f"{SECONDARY} ({DIMENSIONS[dimension]})"
        return "shock"


def leontief_activity(
    network: FlowNetwork, caps: np.ndarray, *, close_balances: bool = True
) -> Activity:
    """The output factors under the caps (``caps[k, d]``: 1 + change of node k in
    dimension d, in the order of :data:`~symbiosis.units.DIMENSIONS`); see the module
    docstring. Raises :class:`~symbiosis.errors.AnalysisError` when a loop's system is
    singular or ill-conditioned (the solution is checked)."""
    inputs = _Inputs.of(network, close_balances)
    core = network.core
    losing = caps[inputs.source, inputs.dimension] < 1.0
    affected = _downstream(core.n_nodes, inputs.source, inputs.target, core.actor, losing)
    factors = caps.copy()
    iterations = 0
    if affected.any():
        system = _System.build(inputs, caps, affected)
        solution, iterations = system.solve()
        factors[system.actors] = np.clip(solution, 0.0, 1.0).reshape(-1, len(DIMENSIONS))
    return inputs.activity(factors, iterations)


@dataclass(frozen=True)
class _Inputs:
    """The flows of known positive size into actors (``flow``: their rows), with their
    ``source``, ``target``, ``dimension``, whether each is a ``product``, its ``pool``
    (product group or secondary pool) and its ``weight`` in its option: its share of its
    product group's supply, or of its target's throughflow in its dimension."""

    network: FlowNetwork
    flow: np.ndarray
    source: np.ndarray
    target: np.ndarray
    dimension: np.ndarray
    product: np.ndarray
    pool: np.ndarray
    pools: int
    weight: np.ndarray
    pool_supply: np.ndarray

    @classmethod
    def of(cls, network: FlowNetwork, close_balances: bool) -> _Inputs:
        """O(F log F): one sort of the pool keys."""
        core = network.core
        flow = np.flatnonzero((core.dimension >= 0) & (core.value > 0) & core.target_is_actor)
        source, target = core.source[flow], core.target[flow]
        dimension = core.dimension[flow].astype(np.int64)
        value = core.value[flow]
        # a household is no technology: what it takes counts by its share, as a by-product
        product = (core.category[flow] == _PRODUCT) & ~core.has_role(target, "household")
        kind = np.where(product, core.material_key_code[flow].astype(np.int64) + 1, 0)
        width = np.int64(len(core.material_keys) + 1) * len(DIMENSIONS)
        keys = target * width + kind * len(DIMENSIONS) + dimension
        unique, pool = np.unique(keys, return_inverse=True)
        supply = np.bincount(pool, value, minlength=len(unique))
        throughflow = np.zeros((core.n_nodes, len(DIMENSIONS)))
        for index, name in enumerate(DIMENSIONS):
            if name in network.sized_dimensions:
                sums = core.node_sums(name)
                throughflow[:, index] = (
                    np.maximum(sums.inflow, sums.outflow) if close_balances else sums.inflow
                )
        through = throughflow[target, dimension]
        weight = value / np.where(product, supply[pool], np.where(through > 0, through, 1.0))
        return cls(network, flow, source, target, dimension, product, pool, len(unique),
                   np.minimum(weight, 1.0), supply)  # fmt: skip

    def activity(self, factors: np.ndarray, iterations: int) -> Activity:
        """The :class:`Activity` of final output factors (every quantity recomputed from
        them: O(F))."""
        core = self.network.core
        n = core.n_nodes
        sent = factors[self.source, self.dimension]
        value = core.value[self.flow]
        kept = np.bincount(self.pool, value * sent, minlength=self.pools)
        kept = np.clip(kept / np.where(self.pool_supply > 0, self.pool_supply, 1.0), 0.0, 1.0)
        activity = np.ones(n)
        limiting = np.full(n, -1, dtype=np.int64)
        products = np.flatnonzero(self.product)
        # per actor, its scarcest product group (a flow of it names it)
        order = products[np.lexsort((kept[self.pool[products]], self.target[products]))]
        first = order[_starts(self.target[order])]
        scarce = kept[self.pool[first]] < 1.0
        activity[self.target[first]] = np.minimum(1.0, kept[self.pool[first]])
        limiting[self.target[first[scarce]]] = self.flow[first[scarce]]
        lost = ~self.product  # what each secondary input no longer brings, per unknown
        width = len(DIMENSIONS)
        key = self.target[lost] * width + self.dimension[lost]
        loss = np.bincount(key, self.weight[lost] * (1.0 - sent[lost]), minlength=n * width)
        return Activity(
            factors=factors,
            activity=activity,
            secondary=np.clip(1.0 - loss.reshape(n, width), 0.0, 1.0),
            pool=_per_flow(core.n_flows, self.flow, self.pool),
            kept=kept,
            limiting=limiting,
            iterations=iterations,
        )


def _starts(keys: np.ndarray) -> np.ndarray:
    """Mask of the first entry of each run of equal ``keys`` (sorted)."""
    return np.r_[True, keys[1:] != keys[:-1]][: len(keys)]


def _reached(graph: sp.csr_matrix, starts: np.ndarray) -> np.ndarray:
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


def _per_flow(n_flows: int, rows: np.ndarray, values: np.ndarray) -> np.ndarray:
    out = np.full(n_flows, -1, dtype=np.int64)
    out[rows] = values
    return out


def _downstream(
    n: int, source: np.ndarray, target: np.ndarray, actor: np.ndarray, losing: np.ndarray
) -> np.ndarray:
    """Actors downstream of a flow that loses something (``losing``: its source is capped
    in its dimension): the targets of those flows and what they reach along the flows
    between actors. O(F + V)."""
    inner = actor[source] & actor[target]
    graph = sp.csr_matrix((np.ones(int(inner.sum())), (source[inner], target[inner])), shape=(n, n))
    return _reached(graph, np.unique(target[losing])) & actor


@dataclass(frozen=True)
class _System:
    """The unknowns and their options.

    Unknown ``r = k * D + d``: the output factor of the k-th affected actor (``actors``)
    in the d-th dimension of :data:`~symbiosis.units.DIMENSIONS`; ``cap[r]`` its cap.
    The options other than the cap are affine *functions* ``constant + weights @ s``:
    the product groups of the affected actors (an option of every unknown of their
    actor) and the secondary shares (an option of one unknown each, ``unknown_of``);
    ``actor_of``: the actor (k) of each product group, -1 for a secondary share;
    ``leaks``: the function has a part held fixed. ``topology``: the condensation of the
    arcs of every option, for the solves; ``active``: the unknowns a loss reaches (the
    others keep their cap, all their options being 1).
    """

    actors: np.ndarray
    cap: np.ndarray
    weights: sp.csr_matrix
    constant: np.ndarray
    leaks: np.ndarray
    actor_of: np.ndarray
    unknown_of: np.ndarray
    topology: Condensation
    active: np.ndarray

    @property
    def size(self) -> int:
        return len(self.cap)

    @classmethod
    def build(cls, inputs: _Inputs, caps: np.ndarray, affected: np.ndarray) -> _System:
        """O(D (F + V)) and the condensation of the unknowns' graph."""
        width = len(DIMENSIONS)
        actors = np.flatnonzero(affected)
        local = np.full(len(affected), -1, dtype=np.int64)
        local[actors] = np.arange(len(actors))
        into = np.flatnonzero(affected[inputs.target])
        target, source = local[inputs.target[into]], inputs.source[into]
        dimension, weight = inputs.dimension[into], inputs.weight[into]
        product = inputs.product[into]
        # the functions: product groups, then secondary shares, renumbered from 0
        keys = np.where(product, inputs.pool[into], inputs.pools + target * width + dimension)
        unique, first, function = np.unique(keys, return_index=True, return_inverse=True)
        is_product = product[first]
        actor_of = np.where(is_product, target[first], -1)
        unknown_of = np.where(is_product, -1, target[first] * width + dimension[first])
        moving = affected[source]
        column = local[source] * width + dimension
        size = len(actors) * width
        weights = sp.csr_matrix(
            (weight[moving], (function[moving], column[moving])), shape=(len(unique), size)
        )
        fixed = ~moving
        held = np.bincount(
            function[fixed], weight[fixed] * caps[source[fixed], dimension[fixed]], len(unique)
        )
        # a secondary share starts from 1 and loses what each of its inputs loses
        share = np.bincount(function, weight, len(unique))
        constant = np.where(is_product, held, 1.0 - share + held)
        moved = np.bincount(function[moving], weight[moving], len(unique))
        leaks = (np.bincount(function[fixed], minlength=len(unique)) > 0) | (
            ~is_product & (moved < 1.0 - 1e-12)
        )
        # every arc an option may use: each input -> the unknowns of its function
        owner = np.where(is_product[function], target, -1)
        arcs_from = np.concatenate(
            [np.repeat(column[moving & product], width), column[moving & ~product]]
        )
        arcs_to = np.concatenate(
            [
                (owner[moving & product][:, None] * width + np.arange(width)).ravel(),
                target[moving & ~product] * width + dimension[moving & ~product],
            ]
        )
        graph = sp.csr_matrix((np.ones(len(arcs_from)), (arcs_from, arcs_to)), shape=(size, size))
        cap = caps[actors].ravel()
        # the unknowns a loss reaches: from a capped one, or one with an option fed by a
        # capped node held fixed; the others keep their cap (their options are all 1)
        lossy = (
            np.bincount(function[fixed], caps[source[fixed], dimension[fixed]] < 1.0, len(unique))
            > 0
        )
        starts = np.concatenate(
            [
                np.flatnonzero(cap < 1.0),
                (actor_of[lossy & is_product][:, None] * width + np.arange(width)).ravel(),
                unknown_of[lossy & ~is_product],
            ]
        )
        return cls(
            actors=actors,
            cap=cap,
            weights=weights,
            constant=constant,
            leaks=leaks,
            actor_of=actor_of,
            unknown_of=unknown_of,
            topology=condensation(graph),
            active=_reached(graph, starts),
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
        first = order[_starts(self.actor_of[order])]
        rows = (self.actor_of[first][:, None] * width + np.arange(width)).ravel()
        candidate = np.repeat(values[first], width)
        better = smaller(candidate, value[rows]) & self.active[rows]
        value[rows[better]] = candidate[better]
        index[rows[better]] = np.repeat(first, width)[better]
        shares = np.flatnonzero(self.actor_of < 0)
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
        cap. Nonsingular: every active unknown reaches a loss, which leaks."""
        width = len(DIMENSIONS)
        products = np.flatnonzero(self.actor_of >= 0)
        shares = np.flatnonzero(self.actor_of < 0)
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
        reached = _reached(matrix.T.tocsr(), np.flatnonzero(leaking))
        return np.where(reached, policy, -1)

    # ------------------------------------------------------------------ solving

    def solve_linear(self, matrix: sp.csr_matrix, rhs: np.ndarray) -> np.ndarray:
        try:
            solution = self.topology.solve(matrix, rhs)
        except np.linalg.LinAlgError as exc:  # exactly singular: a loop with no leak at all
            raise AnalysisError(
                f"the supply-shock system is singular ({exc}): a loop of exchanges has no "
                "inflow from outside; check its flows"
            ) from None
        check_solution(matrix, rhs, solution)
        return solution

    def solve(self) -> tuple[np.ndarray, int]:
        """The greatest fixed point by policy iteration (module docstring), and the
        number of iterations."""
        estimate = self.solve_linear(*self.mean())
        policy = self.proper(self.best(estimate, ties=True)[1])
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
