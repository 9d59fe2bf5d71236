"""Supply-shock propagation: the models, and the factor by which each output falls.

A mine runs at half its output, a smelter closes, an overseas supplier stops shipping:
:func:`propagate` follows the loss downstream and returns the shocked network (to
recompute every indicator), the share each flow keeps and the output factor of every
node; :mod:`~symbiosis.analysis.shocks` reports it (who loses what, which exchanges and
loops break). Two models, chosen with ``model``:

``"leontief"`` (the default): fixed-proportion technology
    An actor runs at the share of its scarcest *product* input (Leontief 1951): ore, acid
    and power are each necessary, so a plant that loses its ore stops however much acid it
    still gets, and all its outputs, in every dimension, follow this *activity*: a smelter
    without ore also stops its waste heat. Deliveries of one material (by material group:
    two names of one taxonomy material are one, :mod:`._material_groups`; and dimension) add
    up, whoever sends them. The by-products, wastes and emissions it takes replace part of a
    primary input or are what it processes: losing them costs its outputs of their dimension
    the share of its throughflow they made up, as in the proportional model (made necessary,
    recycled inputs would drive their loops to nothing), but its main feed (a residue of
    half its mass throughflow or more) is necessary. An extraction actor is an origin, in
    both models: nothing it takes limits it. What it buys falls with it (a plant that stops
    buys no more power): its suppliers lose those sales, which are reported, but do not cut
    their own output for them (the model stays supply-driven: nothing is passed upstream).
    Unrecorded inputs never limit; a household's inputs all count by their share (it is no
    technology). With loops the minimum makes the system piecewise linear; its greatest
    fixed point is found by policy iteration, each step one solve along the condensation:
    see :mod:`~symbiosis.analysis.leontief`.

``"proportional"``: the supply-driven model of Ghosh (1958)
    A customer's output falls by the share of its *total* input tonnage lost, one
    dimension at a time: reagents and fuels stand in for the lost feed (a plant with 300
    kt of ore and 420 kt of acid that loses the ore keeps 58 % of its output). Kept for
    comparison and for networks whose inputs are substitutes; solved in
    :mod:`~symbiosis.analysis.ghosh`.

Rationing (Leontief model). A supplier that makes less serves its customers in the
network first (``rationing="internal-first"``, the default): its sales of a material to
boundary nodes (the market, an export, the grid) are cut before any actor's, so a shock
does not feed back into the firms that cause it through a supplier that still sells
abroad; ``rationing="proportional"`` cuts every customer by the same share (fixed
allocation); ``rationing="redirect"`` also lets what a supplier sells outside go to its
customers in the network that lack it (a flow may then grow). See
:mod:`~symbiosis.analysis._rationing`. The proportional model always allocates
proportionally.

Shocks and dimensions. A shock caps the outputs of its node at ``1 + change`` in the
dimensions it applies to: every dimension, or one (``dimension``). Under ``"leontief"`` the
cap bounds the node's outputs in those dimensions, ``o = min(cap, activity, ...)``, and the
loss then crosses dimensions through the customers' activities; under ``"proportional"``
each dimension is propagated on its own with its caps. Shocks of one node that apply to
the same dimension add up (capped at -1): :func:`propagate_caps` takes them per dimension,
in one propagation (a scenario's ``[[shock]]`` tables).

Assumptions, and where they fail
--------------------------------
* **Allocation**: a firm serves its customers in the network before boundary nodes
  (internal-first; proportional: each customer in the same proportions); internal-first,
  what its customers in the network leave of their share goes back to its market sales, up
  to their recorded size (:meth:`~symbiosis.analysis._rationing.Rationing.settle`); past
  that, what a customer no longer buys is not sold elsewhere.
* **Fixed proportions** (Leontief): 30 % less of the scarcest product input, 30 % less of
  every output. Inputs of different materials (names the taxonomy does not make one) are
  complements: fuels burnt together, two ores
  that could replace each other, are each necessary (give substitutes one material name,
  mark an input its receiver can do without ``substitutable``, or use the proportional
  model: :mod:`symbiosis.io.substitutable`; an input so marked counts in full under both
  models, its loss made up from outside the network). With **no substitution** and no
  slack this is an upper bound of the knock-on, not a forecast: a smelter that loses its
  mine buys concentrate elsewhere. The proportional model assumes the opposite, that any input
  replaces any other, tonne for tonne.
* **No stocks**: flows are annual and stockpiles are not drawn down.
* **Supply-driven**: lost sales are not passed upstream (a supplier that loses a customer
  keeps producing: the unsold product leaves the accounts as its sales lost).
* **Residues follow what their maker processes**: its by-products, wastes and emissions
  are made at its output factor whoever takes them. An emission released outside keeps
  that share (it is not cut first as a sale); what a receiver no longer takes of a residue
  goes to its maker's disposal or environment flow of that material (the landfill, the
  air: those flows grow), or, with none in the data, is reported as unplaced
  (:mod:`~symbiosis.analysis._residue_outlets`).
* **Flows of unknown size** limit nobody (they are in no input group) but are scaled by
  their source's factor (and, into an actor, by what it buys); flows whose unit has no
  dimension are left as they are.

References
----------
Ghosh, A. (1958). Input-output approach in an allocation system. *Economica* 25(97), 58-64.
Leontief, W. (1951). *The Structure of American Economy 1919-1939*, 2nd ed. Oxford UP.
Miller, R. E. & Blair, P. D. (2009). *Input-Output Analysis*, 2nd ed., ch. 2 and 12.
Cambridge UP.
Oosterhaven, J. (1988). On the plausibility of the supply-driven input-output model.
*Journal of Regional Science* 28(2), 203-217.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..arguments import Arguments, firm_id, is_number, short_repr
from ..model import FlowNetwork
from ..units import DIMENSIONS
from ._rationing import DEFAULT_RATIONING, RATIONINGS
from ._residue_outlets import Outlets, route_residues
from ._substitutable import substitutable_flows
from .firm_hints import name_hint, suggest
from .ghosh import proportional_factors
from .leontief import Activity, leontief_activity

__all__ = [
    "MODELS",
    "RATIONINGS",
    "Propagation",
    "name_hint",
    "propagate",
    "propagate_caps",
    "shock_caps",
    "shock_factors",
    "suggest",
]

#: The shock models: the default first.
MODELS: tuple[str, ...] = ("leontief", "proportional")
#: Two factors closer than this are the same (above the Leontief solver's tolerance).
_SAME = 1e-9


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


# ---------------------------------------------------------------------------- the models


def _check_model(model: object, close_balances: object, check: Arguments) -> str:
    """``model`` as a name of :data:`MODELS` (the default when it is wrong, noted);
    ``close_balances`` a flag."""
    check.flag("close_balances", close_balances)
    return check.choice("model", model, MODELS) or MODELS[0]


def _check_rationing(rationing: object, model: str, check: Arguments) -> str:
    """``rationing`` as a name of :data:`RATIONINGS`, None for the model's own: the
    Leontief model rations internal-first by default, the proportional model always
    proportionally (Ghosh's fixed allocation), so ``"internal-first"`` with it is noted."""
    chosen = check.choice("rationing", rationing, RATIONINGS, none=True)
    if model != "proportional":
        return chosen or DEFAULT_RATIONING
    if chosen in ("internal-first", "redirect"):
        check.add(
            f"rationing '{chosen}' needs the Leontief model: the proportional model "
            "shares every loss in proportion; leave rationing out, or use model 'leontief'"
        )
    return "proportional"


def shock_caps(
    network: FlowNetwork, shocks: Mapping[str | None, Mapping[str, float]]
) -> np.ndarray:
    """``caps[k, d]``: 1 + the sum of the changes of node k that apply to dimension d
    (``shocks`` by dimension; None: every dimension), at least 0, in the order of
    :data:`~symbiosis.units.DIMENSIONS`. The shocks must be checked. O(shocks)."""
    change = np.zeros((network.n_firms, len(DIMENSIONS)))
    for dimension, of_dimension in shocks.items():
        columns = slice(None) if dimension is None else DIMENSIONS.index(dimension)
        for node, value in of_dimension.items():
            change[network.firms.index.get_loc(node), columns] += value
    return np.clip(1.0 + change, 0.0, 1.0)


def shock_factors(
    network: FlowNetwork,
    dimension: str,
    shocks: Mapping[str, float],
    *,
    close_balances: bool = True,
    model: str = "leontief",
    rationing: str | None = None,
) -> np.ndarray:
    """The output factor of every node in one dimension after the shocks.

    Parameters
    ----------
    network : FlowNetwork
    dimension : str
        ``mass``, ``energy`` or ``volume``: the shocks cut the outputs of their nodes in
        this dimension, and the factors of this dimension are returned (under
        ``"leontief"`` the loss may come back through other dimensions).
    shocks : mapping of node id to change
        ``{"DGS": -0.5}``: the node's outputs are capped at ``1 + change``. Changes lie in
        [-1, 0]. A boundary node (an import supplier) may be shocked: its deliveries fall.
    close_balances : bool
        Proportional model only: count unrecorded inputs (recorded outputs above recorded
        inputs) as unaffected supply (default), or only recorded inputs.
    model : str
        ``"leontief"`` (default) or ``"proportional"`` (module docstring).
    rationing : str, optional
        Leontief model: ``"internal-first"`` (default: a supplier cuts its sales to
        boundary nodes before its customers in the network), ``"redirect"`` (and its
        sales outside go to its customers that lack them) or ``"proportional"`` (module
        docstring).

    Returns
    -------
    numpy.ndarray
        ``s[k]`` for each node in :attr:`FlowNetwork.firms` order: the share of its
        outputs in ``dimension`` that remains (1 = unaffected, 0 = stopped).

    Raises :class:`~symbiosis.errors.InputError` naming every bad argument, before any work.
    Cost: see :func:`propagate`.
    """
    check = Arguments()
    check.choice("dimension", dimension, DIMENSIONS)
    shocks = _check_shocks(network, shocks, check)
    model = _check_model(model, close_balances, check)
    rationing = _check_rationing(rationing, model, check)
    check.check()
    caps = shock_caps(network, {dimension: shocks})
    if model == "proportional":
        return proportional_factors(network, dimension, caps, close_balances)
    activity = leontief_activity(network, caps, close_balances=close_balances, rationing=rationing)
    return activity.factors[:, DIMENSIONS.index(dimension)]


# ---------------------------------------------------------------------------- the shocked network


@dataclass(frozen=True)
class Propagation:
    """One propagation: ``model``; ``dimensions`` whose factors are given (``factors[d]``:
    the output factor of every node in d); ``retained`` (per flow of ``network.flows``:
    the share it keeps); ``caps`` (:func:`shock_caps`); ``activity``: the Leontief
    solution (None for the proportional model); ``substituted`` (per flow: the share of
    it that its receiver, which marked it substitutable, makes up from outside the
    network: what it would still take, less what it gets; 0 for every other flow);
    ``outlets``: what receivers no longer take of residues, placed at their makers'
    disposal or environment flows (in ``retained``) or unplaced
    (:mod:`~symbiosis.analysis._residue_outlets`)."""

    model: str
    dimensions: tuple[str, ...]
    retained: np.ndarray
    factors: dict[str, np.ndarray]
    caps: np.ndarray
    activity: Activity | None = None
    substituted: np.ndarray | None = None
    outlets: Outlets | None = None


def propagate_caps(
    network: FlowNetwork,
    shocks: Mapping[str | None, Mapping[str, float]],
    *,
    model: str = "leontief",
    close_balances: bool = True,
    rationing: str | None = None,
) -> Propagation:
    """Propagate checked shocks given per dimension (None: every dimension), all at once:
    the changes of a node that apply to one dimension add up (:func:`shock_caps`). The
    factors are those of every dimension of the network under ``"leontief"``, of the
    dimensions shocked under ``"proportional"``; ``rationing`` (checked; None: the
    default) applies to the Leontief model. Cost: see :func:`propagate`."""
    caps = shock_caps(network, shocks)
    if model == "leontief":
        activity = leontief_activity(
            network, caps, close_balances=close_balances, rationing=rationing or DEFAULT_RATIONING
        )
        factors = {name: activity.factors[:, DIMENSIONS.index(name)] for name in network.dimensions}
        retained, resold = _leontief_retained(network, activity)
        needed = _purchases(network, activity.factors)[network.core.target]
        substituted = _substituted(network, retained, needed)
        sent = activity.delivered  # what is sent, before any redirection
        if activity.shares is not None and activity.shares.redirect:
            sent = activity.shares.delivered(network, activity.factors)
        # what a receiver leaves of its share and its maker sells again is not freed
        sent = np.where(resold > 0, retained + (np.minimum(sent, 1.0) - retained) * (1 - resold),
                        sent)  # fmt: skip
        outlets = route_residues(network, sent, retained)
        return Propagation(model, network.dimensions, outlets.retained, factors, caps,
                           activity, substituted, outlets)  # fmt: skip
    if None in shocks:
        dimensions = network.dimensions
    else:
        dimensions = tuple(d for d in network.dimensions if d in shocks)
    factors = {d: proportional_factors(network, d, caps, close_balances) for d in dimensions}
    retained = np.ones(network.n_flows)
    needed = np.ones(network.n_flows)
    sent = np.ones(network.n_flows)
    core = network.core
    for name, factor in factors.items():
        index = DIMENSIONS.index(name)
        # A shocked actor also buys less: its inputs fall to its cap (or to what its
        # suppliers can still send, if that is less). Not passed upstream.
        demand = np.where(core.actor, caps[:, index], 1.0)
        in_dimension = core.unit_dimension == index
        needed[in_dimension] = demand[core.target[in_dimension]]
        sent[in_dimension] = factor[core.source[in_dimension]]
        retained[in_dimension] = np.minimum(sent[in_dimension], needed[in_dimension])
    substituted = _substituted(network, retained, needed)
    outlets = route_residues(network, sent, retained)
    return Propagation(model, dimensions, outlets.retained, factors, caps,
                       substituted=substituted, outlets=outlets)  # fmt: skip


def _substituted(network: FlowNetwork, retained: np.ndarray, needed: np.ndarray) -> np.ndarray:
    """Per flow, the share of it that its receiver makes up from outside: for a flow
    into an actor marked substitutable, what the actor would still take (``needed``:
    its purchases) less what it gets, else 0. O(F)."""
    marked = substitutable_flows(network) & network.core.target_is_actor
    return np.where(marked, np.clip(needed - retained, 0.0, 1.0), 0.0)


def _leontief_retained(network: FlowNetwork, activity: Activity) -> tuple[np.ndarray, np.ndarray]:
    """The share each flow keeps: what its source still sends it (its output factor in
    the flow's dimension, shared out by the rationing rule), times, into an actor, the
    share of that the actor still takes (its purchases over the kept share of the flow's
    input pool: an input that does not limit it is taken only as far as it runs). A flow
    of unknown size into an actor keeps the smaller of the two; a flow of no dimension
    keeps everything. A split group's sales then get back what its actors leave of their
    share (:meth:`~symbiosis.analysis._rationing.Rationing.settle`, which also gives the
    second array: per flow, the share of what it leaves that was sold again). O(F)."""
    core = network.core
    unit = core.unit_dimension.astype(np.int64)
    sent = activity.delivered
    buys = _purchases(network, activity.factors)[core.target]
    pool = activity.pool
    # redirecting, a flow may be entitled to more than its size: its size first, the rest
    # only as far as the pool still needs it
    base, extra = np.minimum(sent, 1.0), np.maximum(sent - 1.0, 0.0)
    pools = len(activity.kept)
    inside = pool >= 0
    size = np.bincount(pool[inside], core.value[inside], minlength=pools)
    size = np.where(size > 0, size, 1.0)
    shares = [np.append(np.bincount(pool[inside], core.value[inside] * part[inside],
                                    minlength=pools) / size, 1.0)[pool]
              for part in (base, extra)]  # fmt: skip
    kept, more = np.minimum(shares[0], 1.0), shares[1]
    with np.errstate(divide="ignore", invalid="ignore"):
        # all of it when the pool limits the actor (equal up to the solver's tolerance)
        taken = np.where(buys >= kept - _SAME, 1.0, np.where(kept > 0, buys / kept, 0.0))
        wanted = np.where(more > 0, np.clip((buys - kept) / more, 0.0, 1.0), 0.0)
    retained = np.where(inside, base * taken + extra * wanted, np.minimum(sent, buys))
    retained = np.where(core.actor[core.target], retained, sent)
    resold = np.zeros(len(retained))
    if activity.shares is not None:  # the sales get what the actors leave of r
        retained, resold = activity.shares.settle(network, activity.factors, retained)
    return np.where(unit >= 0, retained, 1.0), np.where(unit >= 0, resold, 0.0)


def _purchases(network: FlowNetwork, factors: np.ndarray) -> np.ndarray:
    """Per node, the share of its inputs an actor still buys: its largest output factor
    over the dimensions it sends in (every dimension when it sends nothing): a closed
    smelter buys nothing even if its ore still comes; 1 for boundary nodes. O(F)."""
    core = network.core
    sends = np.zeros((core.n_nodes, len(DIMENSIONS)), dtype=bool)
    known = core.unit_dimension >= 0
    sends[core.source[known], core.unit_dimension[known]] = True
    sends[~sends.any(axis=1)] = True
    return np.where(core.actor, np.where(sends, factors, 0.0).max(axis=1), 1.0)


def propagate(
    network: FlowNetwork,
    shocks: Mapping[str, float],
    *,
    dimension: str | None = None,
    model: str = "leontief",
    close_balances: bool = True,
    drop_stopped: bool = False,
    rationing: str | None = None,
) -> tuple[FlowNetwork, pd.Series, dict[str, np.ndarray]]:
    """Apply the shocks and return the shocked network.

    Returns ``(shocked network, retained share of each flow, factors per dimension)``.
    The shocks cut the outputs of their nodes in ``dimension`` (default: every
    dimension). The retained share is aligned with ``network.flows`` (see the module
    docstring for each model; 1 for flows of no known dimension, and under
    ``"proportional"`` for flows of dimensions not shocked); flow values are scaled by it
    (unknown sizes stay unknown). With ``drop_stopped`` the flows that keep nothing are
    removed from the shocked network: a stopped exchange no longer links its firms (and
    closes no loop). The factors: see :func:`propagate_caps`. ``rationing``: see
    :func:`shock_factors`.

    Cost: ``"proportional"``, O(F + V) per dimension plus the LU of the loops crossed;
    ``"leontief"``, O(F log F) plus, per policy iteration, O(F + V) and the LU of the
    loops crossed (:mod:`~symbiosis.analysis.leontief`). Raises
    :class:`~symbiosis.errors.InputError` naming every bad argument, before any work.
    """
    check = Arguments()
    shocks = _check_shocks(network, shocks, check)
    _check_dimensions(network, dimension, check)
    model = _check_model(model, close_balances, check)
    rationing = _check_rationing(rationing, model, check)
    check.flag("drop_stopped", drop_stopped)
    check.check()
    found = propagate_caps(
        network, {dimension: shocks}, model=model, close_balances=close_balances,
        rationing=rationing,
    )  # fmt: skip
    return (
        shocked_network(network, found.retained, drop_stopped),
        _series(network, found),
        found.factors,
    )


def _series(network: FlowNetwork, found: Propagation) -> pd.Series:
    return pd.Series(found.retained, index=network.flows.index, name="retained")


def shocked_network(network: FlowNetwork, retained: np.ndarray, drop_stopped: bool) -> FlowNetwork:
    """``network`` with every flow scaled by its retained share (``drop_stopped``: those
    keeping nothing removed), and its bounds ``quantity_low`` and ``quantity_high`` with
    it (the relative spread stays, so the bounds still hold the quantity); the core cut
    and given the new values, not encoded again from the strings. O(F)."""
    flows = network.flows
    shocked = flows.copy()
    shocked["value"] = flows["value"].to_numpy(dtype=float) * retained
    for column in ("quantity", "quantity_low", "quantity_high"):
        if column in shocked:
            shocked[column] = pd.to_numeric(flows[column], errors="coerce") * retained
    core = network.core
    if drop_stopped:
        kept = np.flatnonzero(retained > 0.0)
        shocked, core = shocked.iloc[kept], core.subset(kept)
    core = core.with_values(shocked["value"].to_numpy(dtype=float))
    return network.with_tables(flows=shocked, core=core)
