"""The Leontief supply-shock model: an actor runs at the share of its scarcest input.

:mod:`~symbiosis.analysis.propagation` applies it (the default, ``model="leontief"``);
this module finds the output factor of every actor.

The model
---------
Let ``o[i, d]`` be the share of its outputs in dimension ``d`` that node ``i`` still
makes (its *output factor*); a boundary node's is its cap ``c[i, d]`` (1, or ``1 +
change`` when shocked). An actor's recorded inputs of known size are of two kinds:

* **Products it takes** are its recipe: each material (by material group,
  :mod:`._material_groups`: names the taxonomy resolves to one material are one, else
  equal material keys; and dimension) is necessary, in fixed proportions (a Leontief
  technology). The deliveries of one material add up, whoever sends them: it keeps the
  share ``k_g = sum_i F_ij o[i, d] / sum_i F_ij``. The actor's *activity* is the share of
  its scarcest product input, ``a_j = min(1, min_g k_g)``, and limits its outputs in
  **every** dimension: a smelter without ore makes no metal, no slag and no waste heat,
  whatever acid and power it still gets.
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
  plant) would stop every firm in the city. Only its *main feed* is: a material of
  residues in mass that makes half its throughflow or more, of which it takes no product
  (:mod:`._material_groups`; half its recorded input in mass): it joins the product groups.
* **A fuel** among the secondary inputs (:func:`._material_groups.fuel_flows`, in mass or
  volume, of an actor with energy outputs, not a household) also bounds the energy output
  factor: ``f[j, d] = 1 - sum_i F_ij (1 - o[i, d]) / fuel[j, d]`` over the secondary fuels
  in ``d``, ``fuel`` being every fuel the actor takes in ``d`` (a product's or a main feed's
  loss is in ``a`` already). A power plant's steam falls with its fuel.

An actor's output factor is then ``o[j, d] = min(c[j, d], a_j, q[j, d])`` (and the ``f``
in energy); one with no
recorded input is an origin (``a = q = 1``), and so is an extraction actor, whatever it
takes back (its inputs are in no group). Unrecorded inputs never limit it. A
*household* is no technology: every input it takes counts by its share, as a secondary
input does (the city whose district heat falls does not cut its wastewater with it). An
input marked *substitutable* (:mod:`symbiosis.io.substitutable`) is made up by its receiver
from outside the recorded flows: in the sums above it counts in full, ``o = 1`` whatever its
source keeps (the others of its group still count theirs), so it never limits its receiver.

**Rationing** (:mod:`~symbiosis.analysis._rationing`). What a supplier still makes goes
first to its customers in the network (``"internal-first"``, the default): per supplier,
material and dimension, when part of the flows goes to boundary nodes (``B``) and part to
actors (``I``), the actors get the share ``r = min(1, o T / I)`` of their flows (``T = I
+ B``) and the boundary nodes the rest. So in the sums above an input from such a group
counts ``r`` of its size, not ``o``. With ``"redirect"`` a necessary input (product or
main feed) of such a group counts its *entitlement* ``e = min((T / I) o, 1 - m + m (T /
I) o)`` (``m``: the sales' share of ``B``), which exceeds 1 when the supplier sells more
outside than its actors lack: what a supplier sells outside may go to its customers in
the network. With ``"proportional"`` every customer gets ``o``.

The map from ``o`` to ``o`` is monotone and maps [0, 1] into itself; the model takes its
**greatest** fixed point (the largest outputs the supplies allow). The least can be
absurd: in a loop where a plant's only supply of a product comes back from its own
customer, every output 0 is a fixed point.

Solution: policy iteration
--------------------------
Every unknown (an affected actor's output factor in a dimension; internal-first, also the
share ``r`` of each split group of an affected supplier) is the minimum of affine
functions, its *options*: the cap (a constant; 1 for ``r``), each product group of the
actor, and its secondary share ``q``; for ``r``, ``(T / I) o``; redirecting, one more
unknown per split group, ``e``, whose options are its cap ``1 + m (T / I - 1)`` (its value
at ``o = 1``), ``(T / I) o`` and ``1 - m + m (T / I) o`` (a constant part: it leaks). Fix
one option per unknown (a *policy*): the system is linear, ``s = P s + c`` with ``P >= 0``
and ``c >= 0`` (``P`` substochastic but in the rows ``r = (T / I) o``), and is solved
along its condensation (:mod:`~symbiosis.analysis._condensation`: one sparse LU of all
loop blocks, one triangular solve). Then every unknown switches to its smallest option if
that is smaller by more than 1e-11, and so on until none switches (Howard 1960; for the
greatest fixed point of a monotone min of affine maps, Costan et al. 2005).

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
  constant; every ``r`` there 1, every ``e`` its cap), a share ``r = (T / I) o`` (or
  ``e``) that lies on a loop of the options chosen set to its cap, unknowns that reach no
  leak set to their cap: its loops are substochastic and leak, so its fixed point lies
  above the greatest. In a chain or a ring each actor has one product input, and one more
  solve confirms the first policy. Redirecting, a value may exceed 1 (an entitlement, a
  product group of held entitlements) but never the largest entitlement cap, each option
  being a convex combination of values at most that: the solutions are checked against it.
* With rationing a later policy may hold a loop through ``r = (T / I) o`` whose gain
  exceeds 1. The argument still holds: each policy switched to lies below the current
  factors ``s`` (``f(s) <= s``), so the factors it gives are the limit of ``f`` iterated
  from ``s`` (its unique fixed point, when ``I - P`` is nonsingular): at most ``s``, at
  least the greatest fixed point (``g <= f(g)``, so ``g <= f^n(g) <= f^n(s)``); on a loop
  of gain above 1 that limit is 0 with ``c = 0``, as Perron's vector shows. A loop of gain
  exactly 1 (a singular system) is reported as an error, never answered wrongly.

Only the actors downstream of a flow that loses something (from a node capped in the
flow's dimension) are unknowns; every other actor keeps its cap.

Complexity: O(F log F) to group the inputs; then, per policy iteration, O(D (F + V))
for D dimensions plus the sparse LU of the loop blocks among the affected actors. The
number of iterations is finite (the factors fall at every step, and there are finitely
many policies): 1 to 4 on the networks tested, 2 on a chain or a ring of 20,000 firms;
internal-first rationing adds at most one iteration per supplier along a chain whose
sales to boundary nodes run out (1 to 6 closing or halving any actor of three Chinese
mining cities of 18 to 24 actors). The split groups
cost O(F log F) to find (:mod:`~symbiosis.analysis._rationing`).

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

from ..model import FlowNetwork
from ..units import DIMENSIONS
from ..vocabulary import CATEGORIES
from ._leontief_system import System, reached, starts
from ._material_groups import (
    fuel_flows,
    group_material,
    main_feeds,
    material_groups,
    throughflows,
)
from ._rationing import DEFAULT_RATIONING, Rationing
from ._substitutable import substitutable_flows

__all__ = ["FUELS", "SECONDARY", "Activity", "leontief_activity"]

#: How the secondary inputs of an actor (by-products, wastes, emissions) are named.
SECONDARY = "by-products and wastes taken"
#: What limits an actor's energy outputs when its secondary fuels do.
FUELS = "fuels taken"
_PRODUCT = CATEGORIES.index("product")
_ENERGY = DIMENSIONS.index("energy")
#: The dimensions of the fuels that bound an actor's energy outputs (a fuel metered in
#: energy counts there already, by its share).
_FUEL_DIMENSIONS = np.array([DIMENSIONS.index("mass"), DIMENSIONS.index("volume")])
#: Two factors closer than this are the same (what limits an actor: a tie names the input).
_SAME = 1e-9
#: The other names of a limiting material group that :meth:`Activity.limit_name` lists.
_NAMED = 2


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
    ``a`` (-1 when ``a`` is 1); ``delivered[f]``: the share of flow f its source sends
    (its output factor, shared out by the ``rationing`` rule,
    :mod:`~symbiosis.analysis._rationing`; redirecting, a necessary input's entitlement,
    which may exceed 1); ``iterations``: the policy iterations; ``shares``: the split
    groups of the rule; ``fuels[k, d]``: the share of its energy outputs an actor's fuels
    in dimension d allow (1 where it has none, or no energy output). ``limiting[k]`` is
    the flow of the group that lost the most; ``alike``: ``(offsets, codes)``, the group's
    other material names (core material codes; node k's are
    ``codes[offsets[k]:offsets[k + 1]]``), which :meth:`limit_name` mentions.
    """

    factors: np.ndarray
    activity: np.ndarray
    secondary: np.ndarray
    pool: np.ndarray
    kept: np.ndarray
    limiting: np.ndarray
    iterations: int
    delivered: np.ndarray
    rationing: str = DEFAULT_RATIONING
    shares: Rationing | None = None
    fuels: np.ndarray | None = None
    alike: tuple[np.ndarray, np.ndarray] | None = None

    def limit_name(self, network: FlowNetwork, node: int) -> str:
        """The name of the product group that limits ``node`` (``limiting[node] >= 0``):
        the material of its input that fell and, when the group adds up other names of
        that material (:mod:`._material_groups`), those too: ``iron ore concentrate (one iron
        ore with imported iron ore fines)``. O(1) but the names."""
        core = network.core
        code = int(core.material_code[self.limiting[node]])
        name = str(core.materials[code])
        if self.alike is None:
            return name
        offsets, codes = self.alike
        others = codes[offsets[node] : offsets[node + 1]].tolist()
        if not others:
            return name
        listed = ", ".join(str(core.materials[c]) for c in others[:_NAMED])
        if len(others) > _NAMED:
            listed += f" and {len(others) - _NAMED:,} more"
        found = group_material(core, code)
        return f"{name} (one {found or 'material'} with {listed})"

    def limited_by(self, network: FlowNetwork, node: int, dimension: int) -> str | None:
        """What sets the output factor of an actor in a dimension: ``shock`` (its cap),
        the material of its scarcest product input, :data:`SECONDARY` (with the
        dimension), or None when nothing cuts it. O(1)."""
        value = self.factors[node, dimension]
        if value >= 1.0:
            return None
        reached = value + _SAME  # the solver's tolerance: a tie names the input
        if self.activity[node] <= reached and self.limiting[node] >= 0:
            return self.limit_name(network, node)
        if self.secondary[node, dimension] <= reached:
            return f"{SECONDARY} ({DIMENSIONS[dimension]})"
        if dimension == _ENERGY and self.fuels is not None:
            fuel = int(np.argmin(self.fuels[node]))
            if self.fuels[node, fuel] <= reached:
                return f"{FUELS} ({DIMENSIONS[fuel]})"
        return "shock"


def leontief_activity(
    network: FlowNetwork,
    caps: np.ndarray,
    *,
    close_balances: bool = True,
    rationing: str = DEFAULT_RATIONING,
) -> Activity:
    """The output factors under the caps (``caps[k, d]``: 1 + change of node k in
    dimension d, in the order of :data:`~symbiosis.units.DIMENSIONS`), each supplier
    sharing what it makes by the ``rationing`` rule (``"internal-first"`` or
    ``"proportional"``, :mod:`~symbiosis.analysis._rationing`); see the module
    docstring. Raises :class:`~symbiosis.errors.AnalysisError` when a loop's system is
    singular or ill-conditioned (the solution is checked)."""
    inputs = _Inputs.of(network, close_balances)
    shares = Rationing.of(network, rationing)
    core = network.core
    # an input marked substitutable passes no loss on: its receiver makes it up
    passes = ~inputs.substitutable
    losing = caps[inputs.source[passes], inputs.dimension[passes]] < 1.0
    affected = _downstream(core.n_nodes, inputs.source[passes], inputs.target[passes],
                           core.actor, losing)  # fmt: skip
    factors = caps.copy()
    iterations = 0
    if affected.any():
        system = System.build(inputs, shares, caps, affected)
        solution, iterations = system.solve()
        solution = solution[: len(system.actors) * len(DIMENSIONS)]  # the output factors
        factors[system.actors] = np.clip(solution, 0.0, 1.0).reshape(-1, len(DIMENSIONS))
    return inputs.activity(factors, iterations, shares, rationing)


@dataclass(frozen=True)
class _Inputs:
    """The flows of known positive size into actors (``flow``: their rows), with their
    ``source``, ``target``, ``dimension``, whether each is a ``product``, its ``pool``
    (product group or secondary pool) and its ``weight`` in its option: its share of its
    product group's supply, or of its target's throughflow in its dimension; and whether
    it is marked ``substitutable`` (its receiver makes up for its loss: held at 1).
    ``fuel_row``: the secondary inputs that are fuels (rows of these arrays) of actors
    with energy outputs, each also an input of its actor's fuel option in its dimension
    with ``fuel_weight``: its share of the fuels the actor takes in that dimension."""

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
    substitutable: np.ndarray
    fuel_row: np.ndarray
    fuel_weight: np.ndarray

    @classmethod
    def of(cls, network: FlowNetwork, close_balances: bool) -> _Inputs:
        """O(F log F): one sort of the pool keys."""
        core = network.core
        # an extraction actor is an origin: what it takes back (backfill) never limits it
        origin = core.has_role(core.target, "extraction")
        flow = np.flatnonzero(
            (core.dimension >= 0) & (core.value > 0) & core.target_is_actor & ~origin
        )
        source, target = core.source[flow], core.target[flow]
        dimension = core.dimension[flow].astype(np.int64)
        value = core.value[flow]
        throughflow = throughflows(core, close_balances)
        # a household is no technology: what it takes counts by its share, as a by-product;
        # a residue that is an actor's main feed is necessary, as a product
        product = (core.category[flow] == _PRODUCT) & ~core.has_role(target, "household")
        product |= main_feeds(core)[flow]
        group = material_groups(core)
        kind = np.where(product, group[flow] + 1, 0)
        width = np.int64(group.max(initial=-1) + 2) * len(DIMENSIONS)
        keys = target * width + kind * len(DIMENSIONS) + dimension
        unique, pool = np.unique(keys, return_inverse=True)
        supply = np.bincount(pool, value, minlength=len(unique))
        through = throughflow[target, dimension]
        weight = value / np.where(product, supply[pool], np.where(through > 0, through, 1.0))
        fuel_row, fuel_weight = _fuels(core, flow, target, dimension, value, product)
        return cls(network, flow, source, target, dimension, product, pool, len(unique),
                   np.minimum(weight, 1.0), supply, substitutable_flows(network)[flow],
                   fuel_row, fuel_weight)  # fmt: skip

    def activity(
        self, factors: np.ndarray, iterations: int, shares: Rationing, rationing: str
    ) -> Activity:
        """The :class:`Activity` of final output factors (every quantity recomputed from
        them: O(F))."""
        core = self.network.core
        n = core.n_nodes
        needed = np.zeros(core.n_flows, dtype=bool)
        needed[self.flow[self.product]] = True  # redirecting: entitled to more (_rationing)
        delivered = shares.delivered(self.network, factors, needed)
        sent = delivered[self.flow]
        kept = self._kept(sent)  # what the pools get
        # what limits the receivers: an input marked substitutable is made up, held at 1
        seen = np.where(self.substitutable, 1.0, sent)
        enough = self._kept(seen)
        activity = np.ones(n)
        limiting = np.full(n, -1, dtype=np.int64)
        products = np.flatnonzero(self.product)
        # per actor, its scarcest product group
        order = products[np.lexsort((enough[self.pool[products]], self.target[products]))]
        first = order[starts(self.target[order])]
        scarce = enough[self.pool[first]] < 1.0
        activity[self.target[first]] = np.minimum(1.0, enough[self.pool[first]])
        named, alike = self._fallen(products, first[scarce], seen)
        limiting[self.target[named]] = self.flow[named]
        lost = ~self.product  # what each secondary input no longer brings, per unknown
        width = len(DIMENSIONS)
        key = self.target[lost] * width + self.dimension[lost]
        loss = np.bincount(key, self.weight[lost] * (1.0 - seen[lost]), minlength=n * width)
        row = self.fuel_row
        key = self.target[row] * width + self.dimension[row]
        burnt = np.bincount(key, self.fuel_weight * (1.0 - seen[row]), minlength=n * width)
        return Activity(
            factors=factors,
            activity=activity,
            secondary=np.clip(1.0 - loss.reshape(n, width), 0.0, 1.0),
            pool=_per_flow(core.n_flows, self.flow, self.pool),
            kept=kept,
            limiting=limiting,
            iterations=iterations,
            delivered=delivered,
            rationing=rationing,
            shares=shares,
            fuels=np.clip(1.0 - burnt.reshape(n, width), 0.0, 1.0),
            alike=alike,
        )

    def _fallen(
        self, products: np.ndarray, first: np.ndarray, seen: np.ndarray
    ) -> tuple[np.ndarray, tuple[np.ndarray, np.ndarray]]:
        """The flow that names each limiting group (``first``: a row of each), the one
        that lost the most (ties: the first row): a group of two names of one material
        (Baotou's steelworks: the concentrator's iron ore concentrate and the purchased
        ore) is named by the input that fell, not by the other. And per node, the other
        material names of its limiting group, as ``(offsets, codes)`` (core material codes:
        node k's are ``codes[offsets[k]:offsets[k + 1]]``). O(F log F)."""
        core = self.network.core
        n = core.n_nodes
        chosen = np.full(n, -1, dtype=np.int64)  # per node, its limiting group
        chosen[self.target[first]] = self.pool[first]
        rows = products[self.pool[products] == chosen[self.target[products]]]
        lost = core.value[self.flow[rows]] * (1.0 - seen[rows])
        order = rows[np.lexsort((-lost, self.target[rows]))]  # stable: ties keep row order
        named = order[starts(self.target[order])]
        # the group's other names, once each, in row order
        code = core.material_code[self.flow[rows]].astype(np.int64)
        own = core.material_code[self.flow[named]]  # the name of each node's group
        other = code != own[np.searchsorted(self.target[named], self.target[rows])]
        key = self.target[rows[other]] * (len(core.materials) + 1) + code[other]
        _, once = np.unique(key, return_index=True)
        once = np.sort(once)
        node, code = self.target[rows[other]][once], code[other][once]
        by_node = np.argsort(node, kind="stable")
        offsets = np.searchsorted(node[by_node], np.arange(n + 1))
        return named, (offsets, code[by_node])

    def _kept(self, sent: np.ndarray) -> np.ndarray:
        """Per pool, the share of its supply it keeps when each input keeps ``sent``."""
        kept = np.bincount(
            self.pool, self.network.core.value[self.flow] * sent, minlength=self.pools
        )
        return np.clip(kept / np.where(self.pool_supply > 0, self.pool_supply, 1.0), 0.0, 1.0)


def _fuels(core, flow, target, dimension, value, product) -> tuple[np.ndarray, np.ndarray]:
    """The secondary inputs (of ``flow``, not ``product``) that are fuels
    (:func:`~symbiosis.analysis._material_groups.fuel_flows`) in mass or volume, of actors
    with energy outputs (not households: no technology), and each one's share of its
    actor's fuels in its dimension (products, main feeds and secondary fuels together).
    O(F)."""
    width = len(DIMENSIONS)
    fuel = fuel_flows(core)[flow] & np.isin(dimension, _FUEL_DIMENSIONS)
    fuel &= (core.node_sums("energy").outflow > 0)[target] & ~core.has_role(target, "household")
    key = target * width + dimension
    total = np.bincount(key[fuel], value[fuel], minlength=core.n_nodes * width)
    row = np.flatnonzero(fuel & ~product)
    return row, np.minimum(value[row] / total[key[row]], 1.0)


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
    return reached(graph, np.unique(target[losing])) & actor
