"""Supply-shock propagation: the model, and the factor by which each output falls.

A mine runs at half its output, a smelter closes, an overseas supplier stops shipping:
:func:`shock` propagates the loss through the network with a supply-driven model of the
Ghosh type (Ghosh 1958; Miller & Blair 2009, ch. 12), one dimension at a time, and
reports which actors lose what share of their input, which flows and by-product
exchanges break (:mod:`~symbiosis.analysis.shocks`), and the shocked network itself (to
recompute every indicator). This module holds the model and its solver:
:func:`shock_factors` (the factor of each node) and :func:`propagate` (the shocked network).

The model
---------
For a dimension (tonnes with tonnes, GJ with GJ), let ``F[i, j]`` be the known flow from
node i to actor j. An actor's throughflow is ``x_j = max(recorded inputs, recorded
outputs)``: when a firm's recorded outputs exceed its recorded inputs, the difference is
an *unrecorded input* ``u_j`` (ore from the ground, air, limestone from the firm's own
quarry, data gaps) that closes its balance, the same convention as the cycling metrics.
Each actor's outputs are scaled by one factor ``s_j`` (1 = unchanged, 0 = stopped):

.. math::

    s_j = d_j \\, \\frac{u_j + \\sum_{i \\in B} F_{ij} f_i + \\sum_{i \\in A} F_{ij} s_i}{x_j}

where ``A`` are the actors, ``B`` the boundary nodes (their supply ``f_i`` = 1, or
``1 + change`` when the shock is applied to an import supplier), and ``d_j = 1 + change``
for a shocked actor and 1 otherwise. An actor without any input (``x_j = 0`` or only
unrecorded input) is an origin: ``s_j = d_j``. In matrix form ``(I - D B) s = D c`` with
``B[j, i] = F[i, j] / x_j`` (the input-side intensity of ecological network analysis,
transposed): the allocation of each actor's output over its customers is fixed, and a
customer's output falls in proportion to the share of its input that is lost. Every
flow leaving node i is then ``F[i, j] * s_i``.

With no shock ``s = 1`` solves the system, and ``0 <= s <= 1`` for every shock: the
solution is the least fixed point of a monotone map that sends [0, 1] into itself, so
**a shock never raises any flow**.

Loops and solvability. Only actors downstream of a shocked node can change, so the
system is solved on that set only. There, every strongly connected component (a loop
of exchanges) either holds a shocked actor (whose factor ``d < 1`` damps the loop) or
is entered by a flow from outside it (it is downstream of the shock), so each loop
leaks and ``I - D B`` is a nonsingular M-matrix: no iteration to convergence is needed.
A loop that keeps almost everything in (leak below ~1e-12) is ill-conditioned: the
result is checked (``0 <= s <= 1`` and the residual) and an
:class:`~symbiosis.errors.AnalysisError` says so rather than print a wrong number.

Solution method. The system is solved along the condensation of the dimension's actor
graph (strongly connected components in topological order, computed once per network and
dimension and shared with origin tracing: :mod:`~symbiosis.analysis._condensation`),
restricted to the affected actors: one sparse LU of all loop blocks together (SuperLU,
``MMD_AT_PLUS_A`` ordering, so fill-in stays inside each loop) and one sparse triangular
solve for the whole block forward substitution. Complexity per dimension: O(F + V) to
build, plus the LU cost of the loops it crosses, with a fixed number of numpy calls
whatever the depth of the graph (a ring of 20,000 firms, one loop, is solved in
milliseconds; see ``benchmarks/bench_scenarios.py``).

Assumptions, and where they fail
--------------------------------
* **Fixed allocation and fixed-proportion technology**: a firm that loses 30 % of its
  input cuts every output by 30 %, and keeps selling to each customer in the same
  proportions. In reality a firm may run at lower utilisation, ration a favoured
  customer, or cut its by-products first. Ghosh's model is a plausible upper bound of
  the direct knock-on effect, not a forecast (Oosterhaven 1988 criticises it as a
  model of production; it is a fair model of *where the lost material would have
  gone*).
* **No substitution**: a firm that loses its concentrate does not buy more elsewhere;
  boundary imports are not raised to compensate (nor cut, unless their supplier is the
  node shocked). In practice smelters import more concentrate: read the result as the
  exposure before substitution.
* **No stocks**: flows are annual and stockpiles are not drawn down.
* **A shocked actor buys less too**: its recorded inputs fall to ``1 + change`` of their
  size (a closed smelter takes no concentrate). What its suppliers can no longer sell
  it is not rerouted and not passed upstream (that would be a demand-driven, Leontief
  model): it simply leaves the accounts.
* **Unrecorded inputs are unaffected** (``close_balances=True``): when a firm's recorded
  inputs are a small part of what it makes (a cement plant recording only the slag and
  ash it takes, not its limestone), losing one of them cuts its output by its share of
  the *throughflow*, not of the recorded inputs. With ``close_balances=False`` only
  recorded inputs count (the strict Ghosh model on the data as given), which
  overstates the loss of firms with data gaps.
* **One dimension at a time**: a power plant that loses coal (mass) keeps its
  electricity (energy) output. Shock each dimension you want to follow.
* **Flows of unknown size** carry no loss to their customers (they are not in the
  matrix) but are scaled by their source's factor: their retained share is reported.

References
----------
Ghosh, A. (1958). Input-output approach in an allocation system. *Economica* 25(97), 58-64.
Miller, R. E. & Blair, P. D. (2009). *Input-Output Analysis*, 2nd ed., ch. 12. Cambridge UP.
Oosterhaven, J. (1988). On the plausibility of the supply-driven input-output model.
*Journal of Regional Science* 28(2), 203-217.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping

import numpy as np
import pandas as pd
import scipy.sparse as sp
import scipy.sparse.csgraph as csgraph

from ..arguments import Arguments, firm_id, is_number, short_repr
from ..errors import AnalysisError
from ..model import FlowNetwork
from ..units import DIMENSIONS
from ._condensation import network_condensation

__all__ = ["name_hint", "propagate", "shock_factors", "suggest"]

# Tolerances of the solution check: factors must lie in [0, 1] up to rounding.
_RANGE_TOLERANCE = 1e-9
_RESIDUAL_TOLERANCE = 1e-9


# ---------------------------------------------------------------------------- validation


def _check_shocks(
    network: FlowNetwork | None, shocks: object, check: Arguments
) -> dict[str, float]:
    """The shocks as ``{node id: change}``; every bad entry noted in ``check`` (without a
    ``network``, one that could not be read, the changes alone). O(shocks)."""
    if not isinstance(shocks, Mapping):
        check.add(
            "shocks must be a mapping of firm id to change in [-1, 0], e.g. {'DGS': -0.5} "
            f"(got {short_repr(shocks)})"
        )
        return {}
    if not shocks:
        check.add("no shock given: shocks must map a firm id to its change, e.g. {'DGS': -0.5}")
    checked = {}
    for given, change in shocks.items():
        node = firm_id(given)  # {101: -0.5} names the firm '101'
        known = network is None or node in network.firms.index
        if network is not None and not known:  # its change checked too: every problem at once
            hint = name_hint(network, node) or suggest(node, network.firms.index)
            check.add(f"shocks: unknown firm '{node}'{hint or '; give an id of firms.csv'}")
        if not is_number(change):  # not text: a change is a number, not "-0.5"
            said = f"shocks: change for '{node}' must be a number"
            check.add(f"{said} (got {short_repr(change)})")
        elif not -1.0 <= change <= 0.0:
            percent = f"; a cut of {-change:g} % is written {change / 100:g}"
            check.add(
                f"shocks: change for '{node}' must be between -1 (stopped) and 0 (unchanged) "
                f"(got {change!r}); a supply shock only reduces output"
                + (percent if -100 <= change < -1 else "")
            )
        elif known:
            checked[str(node)] = float(change)
    return checked


def name_hint(network: FlowNetwork, name: object) -> str:
    """`` (the name of X: give its id)`` when ``name`` is a firm's display name (case
    ignored) rather than its id, else ``""``. O(firms)."""
    wanted = str(name).casefold()
    core = network.core
    # a name of its own (a firm without one is named by its id: suggest() speaks of that)
    ids = [
        str(i)
        for i, n in zip(core.ids, core.names, strict=True)
        if n != i and str(n).casefold() == wanted
    ]
    if not ids:
        return ""
    return f" (the name of {', '.join(ids[:3])}: give {'its id' if len(ids) == 1 else 'an id'})"


def suggest(name: str, ids) -> str:
    """`` (did you mean X, Y?)`` for ids close to ``name`` (case ignored), or ``""``."""
    by_lower = {}
    for known in map(str, ids):
        by_lower.setdefault(known.lower(), known)
    close = difflib.get_close_matches(str(name).lower(), list(by_lower), n=3, cutoff=0.6)
    return f" (did you mean {', '.join(by_lower[c] for c in close)}?)" if close else ""


def _check_dimensions(network: FlowNetwork, dimension: object, check: Arguments) -> tuple[str, ...]:
    """The dimensions to propagate: ``dimension``, or every one of the network when
    ``None``; an unknown one noted in ``check``."""
    if dimension is None:
        return network.dimensions
    return (dimension,) if check.present_dimension(dimension, network.dimensions) else ()


def _check_threshold(break_below: float, check: Arguments) -> float:
    """``break_below`` as a float; noted in ``check`` unless a share in (0, 1]."""
    if not (is_number(break_below) and 0.0 < break_below <= 1.0):
        check.add(
            f"break_below must be a share in (0, 1], the break threshold (got "
            f"{short_repr(break_below)}; e.g. 0.5: an exchange breaks when it keeps less than "
            "half its size)"
        )
        return 0.0
    return float(break_below)


# ---------------------------------------------------------------------------- the solver


def shock_factors(
    network: FlowNetwork,
    dimension: str,
    shocks: Mapping[str, float],
    *,
    close_balances: bool = True,
) -> np.ndarray:
    """The output factor of every node in one dimension after the shocks.

    Parameters
    ----------
    network : FlowNetwork
    dimension : str
        ``mass``, ``energy`` or ``volume``.
    shocks : mapping of node id to change
        ``{"DGS": -0.5}``: the node's outputs are multiplied by ``1 + change`` (on top of
        what it loses from its suppliers). Changes lie in [-1, 0]. A boundary node (an
        import supplier) may be shocked: its deliveries fall, nothing flows into it.
    close_balances : bool
        Count unrecorded inputs (recorded outputs above recorded inputs) as unaffected
        boundary supply (default), or only recorded inputs.

    Returns
    -------
    numpy.ndarray
        ``s[k]`` for each node in :attr:`FlowNetwork.firms` order: the share of its
        outputs in ``dimension`` that remains (1 = unaffected, 0 = stopped).

    Notes
    -----
    Solves ``(I - D B) s = D c`` on the actors downstream of a shocked node, along the
    shared condensation of the dimension's actor graph (see the module docstring).
    O(F + V) to build, plus the sparse LU of the loops among the affected actors.
    Raises :class:`~symbiosis.errors.InputError` naming every bad argument, before any work.
    """
    check = Arguments()
    check.choice("dimension", dimension, DIMENSIONS)
    shocks = _check_shocks(network, shocks, check)
    check.flag("close_balances", close_balances)
    check.check()
    core = network.core
    n = core.n_nodes
    is_actor = core.actor
    damping = np.ones(n)
    for node, change in shocks.items():
        damping[network.firms.index.get_loc(node)] = 1.0 + change

    mask = core.in_dimension(dimension) & (core.value > 0)
    source, target, quantity = core.source[mask], core.target[mask], core.value[mask]
    inflow = core.node_sums(dimension).inflow
    throughflow = core.throughflow(dimension) if close_balances else inflow
    unrecorded = throughflow - inflow  # >= 0; zero when balances are not closed

    factors = np.ones(n)
    factors[~is_actor] = damping[~is_actor]  # boundary suppliers: only their own shock
    affected = _downstream(n, source, target, is_actor, damping < 1.0)
    if not affected.any():
        return factors

    # Unknowns: the affected actors. Everything else feeds them a known supply.
    local = np.full(n, -1, dtype=np.int64)
    nodes = np.flatnonzero(affected)
    local[nodes] = np.arange(len(nodes))
    into = affected[target]
    inner = into & affected[source]
    outer = into & ~inner
    known_supply = np.bincount(target[outer], quantity[outer] * factors[source[outer]], minlength=n)
    denominator = np.where(throughflow > 0, throughflow, 1.0)
    origin = throughflow[nodes] <= 0  # a shocked actor with no input: s = 1 + change
    constant = np.where(
        origin,
        1.0,
        (unrecorded[nodes] + known_supply[nodes]) / denominator[nodes],
    )
    # s = D (c + B s): the right-hand side D c and the matrix D B, B[j, i] = F_ij / x_j
    weight = damping[target[inner]] * quantity[inner] / denominator[target[inner]]
    size = len(nodes)
    received = sp.coo_matrix(
        (weight, (local[target[inner]], local[source[inner]])), shape=(size, size)
    )
    rhs = damping[nodes] * constant
    topology = network_condensation(network, dimension)
    try:
        solution = topology.solve(received, rhs, nodes=core.actor_index[nodes])
    except np.linalg.LinAlgError as exc:  # exactly singular: a loop with no leak at all
        raise AnalysisError(
            f"the supply-shock system is singular ({exc}): a loop of exchanges has no "
            "inflow from outside; check its flows"
        ) from None
    _check_solution(received.tocsr(), rhs, solution)
    factors[nodes] = np.clip(solution, 0.0, 1.0)
    return factors


def _check_solution(received: sp.csr_matrix, rhs: np.ndarray, solution: np.ndarray) -> None:
    """Raise AnalysisError unless ``solution`` lies in [0, 1] and solves the system: a
    loop that keeps almost everything in gives an inaccurate answer."""
    if not np.isfinite(solution).all():
        residual = np.inf
    else:
        residual = np.abs(solution - rhs - received @ solution).max(initial=0.0)
    low, high = solution.min(initial=0.0), solution.max(initial=0.0)
    if low < -_RANGE_TOLERANCE or high > 1.0 + _RANGE_TOLERANCE or not np.isfinite(residual):
        raise AnalysisError(
            "the supply-shock system is ill-conditioned: a loop of exchanges keeps almost "
            "all of its material in (no inflow or outflow to speak of), so its loss cannot "
            "be computed reliably; check the loop's flows"
        )
    if not residual <= _RESIDUAL_TOLERANCE * max(1.0, np.abs(rhs).max(initial=0.0)):
        raise AnalysisError(
            f"the supply-shock system is ill-conditioned (residual {residual:.2g}): a loop "
            "of exchanges leaks almost nothing; check its flows"
        )


def _downstream(
    n: int, source: np.ndarray, target: np.ndarray, is_actor: np.ndarray, shocked: np.ndarray
) -> np.ndarray:
    """Actors reachable from a shocked node along flows into actors (shocked actors
    included). Boundary nodes pass nothing on. O(F + V) breadth-first search."""
    keep = is_actor[target] & (is_actor[source] | shocked[source])
    graph = sp.csr_matrix((np.ones(int(keep.sum())), (source[keep], target[keep])), shape=(n, n))
    seen = np.zeros(n, dtype=bool)
    for start in np.flatnonzero(shocked):
        if seen[start]:
            continue
        order = csgraph.breadth_first_order(graph, start, directed=True, return_predecessors=False)
        seen[order] = True
    return seen & is_actor


# ---------------------------------------------------------------------------- the shocked network


def propagate(
    network: FlowNetwork,
    shocks: Mapping[str, float],
    *,
    dimension: str | None = None,
    close_balances: bool = True,
    drop_stopped: bool = False,
) -> tuple[FlowNetwork, pd.Series, dict[str, np.ndarray]]:
    """Apply the shocks and return the shocked network.

    Returns ``(shocked network, retained share of each flow, factors per dimension)``.
    The retained share is aligned with ``network.flows``: the output factor of the
    flow's source in the flow's dimension (1 for flows of other dimensions, or of no
    known dimension), and for a flow into a shocked actor at most ``1 + change`` (a
    closed smelter buys nothing; suppliers do not pass that loss upstream). Flow values
    are scaled by it (unknown sizes stay unknown). With ``drop_stopped`` the flows that
    keep nothing (retained share 0) are removed from the shocked network: a stopped
    exchange no longer links its firms (and closes no loop).
    O(F + V) per dimension plus the loop solves (see :func:`shock_factors`). Raises
    :class:`~symbiosis.errors.InputError` naming every bad argument, before any work.
    """
    check = Arguments()
    shocks = _check_shocks(network, shocks, check)
    dimensions = _check_dimensions(network, dimension, check)
    check.flag("close_balances", close_balances)
    check.flag("drop_stopped", drop_stopped)
    check.check()
    flows = network.flows
    retained = np.ones(len(flows))
    factors = {}
    # A shocked actor also buys less: its inputs fall to 1 + change (or to what its
    # suppliers can still send, if that is less). Not passed upstream.
    demand = np.ones(network.n_firms)
    for node, change in shocks.items():
        position = network.firms.index.get_loc(node)
        if network.firms["actor"].iat[position]:
            demand[position] = 1.0 + change
    for name in dimensions:
        factors[name] = shock_factors(network, name, shocks, close_balances=close_balances)
        in_dimension = network.core.unit_dimension == DIMENSIONS.index(name)
        retained[in_dimension] = np.minimum(
            factors[name][network.source_positions[in_dimension]],
            demand[network.target_positions[in_dimension]],
        )
    shocked = flows.copy()
    shocked["value"] = flows["value"].to_numpy(dtype=float) * retained
    if "quantity" in shocked:
        shocked["quantity"] = pd.to_numeric(flows["quantity"], errors="coerce") * retained
    core = network.core
    if drop_stopped:
        kept = np.flatnonzero(retained > 0.0)
        shocked, core = shocked.iloc[kept], core.subset(kept)
    # the core cut and given the new values, not encoded again from the strings
    core = core.with_values(shocked["value"].to_numpy(dtype=float))
    return (
        network.with_tables(flows=shocked, core=core),
        pd.Series(retained, index=flows.index, name="retained"),
        factors,
    )
