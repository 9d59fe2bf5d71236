"""Supply shocks: cut the output of a node and follow the loss downstream.

A mine runs at half its output, a smelter closes, an overseas supplier stops shipping:
:func:`shock` propagates the loss through the network with a model of
:mod:`~symbiosis.analysis.propagation` (by default the Leontief model: an actor runs at
the share of its scarcest input; or the proportional, Ghosh model; their equations,
assumptions and solvers are documented there) and reports which actors lose what share
of their input and of their output, which suppliers lose sales, which flows and
by-product exchanges break, which loops break, and every headline indicator before and
after (:mod:`~symbiosis.analysis.indicators`).

:func:`~symbiosis.analysis.propagation.shock_factors`,
:func:`~symbiosis.analysis.propagation.propagate` and
:func:`~symbiosis.analysis.propagation.suggest` (and ``name_hint``) are re-exported here.

Complexity: that of :func:`~symbiosis.analysis.propagation.propagate`, plus O(F) for the
tables; with the indicators, two runs of the indicator passes (bounded loop search
included).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from .._frozen import FrozenResult
from ..arguments import Arguments, short_repr
from ..model import FlowNetwork, require_network
from ..options import Options
from . import shock_tables as tables
from ._residue_outlets import unplaced_warnings
from ._substitutable import minor_limit_warnings
from ._unused_supply import unused_supply_warnings
from .propagation import (
    MODELS,
    RATIONINGS,
    _check_dimensions,
    _check_model,
    _check_rationing,
    _check_shocks,
    _check_threshold,
    name_hint,
    propagate,
    propagate_caps,
    shock_factors,
    shocked_network,
    suggest,
)

__all__ = [
    "DEFAULT_BREAK_BELOW",
    "MODELS",
    "RATIONINGS",
    "ShockResult",
    "check_shock",
    "name_hint",
    "propagate",
    "shock",
    "shock_factors",
    "suggest",
]

#: An exchange "breaks" when it keeps less than this share of its size.
DEFAULT_BREAK_BELOW = 0.5


@dataclass(frozen=True)
class ShockResult(FrozenResult):
    """What a supply shock does, per dimension.

    Attributes
    ----------
    shocks : dict
        ``{node id: change}`` as applied.
    dimensions : tuple of str
        The dimensions reported: every dimension of the network under the Leontief
        model (an actor's activity crosses dimensions), the dimensions shocked under the
        proportional one.
    model : str
        ``"leontief"`` or ``"proportional"``.
    rationing : str
        How a supplier that makes less shares it out: ``"internal-first"`` (the Leontief
        model's default: its sales to boundary nodes are cut first), ``"redirect"`` (and
        its sales outside go to its customers in the network that lack them: the flows
        table then holds flows that grow, ``retained`` above 1) or ``"proportional"``
        (every customer loses the same share; always so under the proportional model).
        An input marked substitutable (the ``substitutable`` flow column) never limits
        its receiver under either model: what it loses of it is ``input_substituted``.
    shock_dimension : str or None
        The dimension the shocks cut (None: every dimension).
    break_below : float
        A flow is *broken* when it keeps less than this share of its size.
    firms : DataFrame
        One row per actor and dimension affected (index ``firm``, ``dimension``):
        ``recorded_input`` and ``input_after`` (recorded inputs before and after),
        ``input_lost`` and ``input_lost_share`` (share of the recorded inputs lost),
        ``input_substituted`` (what it lost of inputs marked substitutable and makes up
        from outside the network, in the dimension's canonical unit per year: it keeps
        running without them; see :mod:`symbiosis.io.substitutable`),
        ``output_factor`` (share of its output it still makes; NaN, null in JSON, for an
        actor with no output in the dimension), ``output_lost`` (what it no longer makes),
        ``sales_lost`` (what it makes but its customers no longer buy: a supplier of a
        plant that runs less; of products, and of residues it also sells to a market node
        and has no disposal flow of), ``residues_disposed`` (what it makes of
        by-products, wastes and emissions that its receivers no longer take, sent to its
        disposal or environment flows of that material, which grow) and
        ``residues_unplaced`` (the same, with no such flow in the data: in no flow after
        the shock, and warned of; see :mod:`~symbiosis.analysis._residue_outlets`), all in
        the dimension's canonical unit per year, and ``limited_by`` (Leontief model: the
        input group that limits it, ``shock`` when its own shock does, None when nothing
        does). ``output_lost + sales_lost + residues_unplaced`` is what its outputs lose:
        the rows add up to the totals' ``output_before - output_after``. Every actor whose
        inputs or outputs shrink has a row, a supplier that only loses sales or disposes
        of more too. Sorted by dimension, then by share of input lost, largest first.
    flows : DataFrame
        Every flow that changes (index: flow row in ``network.flows``): ``source``,
        ``target``, ``material``, ``category``, ``dimension``, ``value_before``,
        ``value_after``, ``retained``, ``broken``, ``exchange`` (True for a by-product,
        waste or emission passed from one actor to another), ``residue_added`` (for a
        maker's disposal or environment flow, what it takes in of the residue that its
        receivers no longer take, within ``value_after``; 0 for the others). Largest loss
        first, the flows that grow (``retained`` above 1) last: such an outlet, and with
        ``rationing="redirect"`` a customer's flow taking what its supplier sold outside.
    totals : dict
        Per dimension: ``internal_before/after`` (actor-to-actor flows),
        ``exchanged_before/after`` (residual exchanges between actors),
        ``output_before/after`` (all flows leaving actors), ``actors_affected``,
        ``flows_broken``, ``exchanges_broken``. In a dimension with no flow of known
        size, the sums and ``actors_affected`` (actors losing a known amount) are None:
        unknown, not 0; the counts of broken flows are read from the links.
    broken_loops : list of dict
        Loops (from :mod:`symbiosis.analysis.loops`) with at least one broken arc: their
        firms and the broken arcs. Empty when no loop breaks.
    comparison : symbiosis.analysis.indicators.ScenarioComparison or None
        Every headline indicator before and after (column ``shock``), and the loops
        opened (stopped flows only; see :attr:`broken_loops` for the threshold).
    network_after : FlowNetwork
        The shocked network, stopped flows removed (not in :meth:`to_dict`).
    warnings : tuple of str
        The shocks that change nothing, the residues receivers no longer take that have
        no disposal or environment flow to go to (unplaced), and each actor the Leontief
        model limits by a
        minor product input (under 20 % of its recorded input in the input's dimension:
        :func:`~symbiosis.analysis._substitutable.minor_limit_warnings`), with how to mark
        that input substitutable; and each actor limited by a material that still leaves
        the network or reaches it otherwise
        (:func:`~symbiosis.analysis._unused_supply.unused_supply_warnings`).
    """

    shocks: dict[str, float]
    dimensions: tuple[str, ...]
    break_below: float
    close_balances: bool
    firms: pd.DataFrame
    flows: pd.DataFrame
    totals: dict[str, dict[str, float | None]]
    broken_loops: list[dict] = field(default_factory=list)
    comparison: Any = field(default=None, repr=False, compare=False)
    network_after: FlowNetwork | None = field(default=None, repr=False, compare=False)
    warnings: tuple[str, ...] = ()
    model: str = "leontief"
    shock_dimension: str | None = None
    rationing: str = RATIONINGS[0]

    @property
    def broken_exchanges(self) -> pd.DataFrame:
        """The residual exchanges between actors that break."""
        return self.flows[self.flows["exchange"] & self.flows["broken"]]

    def to_frame(self) -> pd.DataFrame:
        """The affected firms (see :attr:`firms`)."""
        return self.firms

    def to_dict(self) -> dict:
        """The result as JSON-able data; the firm and flow tables as lists of records,
        converted a column at a time (a cell at a time took 0.7 s for the 50,000 flows a
        mine's closure shrinks at a million flows). O(cells)."""
        from ..jsonable import to_jsonable
        from ._records import records

        data = to_jsonable(
            {
                "shocks": dict(self.shocks),
                "model": self.model,
                "rationing": self.rationing,
                "shock_dimension": self.shock_dimension,
                "dimensions": list(self.dimensions),
                "break_below": self.break_below,
                "close_balances": self.close_balances,
                "totals": self.totals,
                "firms": None,  # set below, a column at a time (here: the key order)
                "flows": None,
                "broken_loops": self.broken_loops,
                "indicators": None if self.comparison is None else self.comparison.to_dict(),
                "warnings": list(self.warnings),
            }
        )
        data["firms"] = records(self.firms.reset_index())
        data["flows"] = records(self.flows.rename_axis("flow").reset_index())
        return data


def shock(
    network: FlowNetwork,
    shocks: Mapping[str, float],
    *,
    dimension: str | None = None,
    model: str = "leontief",
    break_below: float = DEFAULT_BREAK_BELOW,
    close_balances: bool = True,
    loops: list | None = None,
    indicators: bool = True,
    options: Options | None = None,
    rationing: str | None = None,
) -> ShockResult:
    """Propagate a supply shock and report its effects (see the module docstring).

    Parameters
    ----------
    network : FlowNetwork
    shocks : mapping of node id to change in [-1, 0]
        E.g. ``{"DGS": -0.5}`` (the mine at half output) or ``{"JL": -1}`` (closed).
    dimension : str, optional
        The shocks cut their nodes' outputs in this dimension only (default: every
        dimension of the network). The proportional model then propagates in it only;
        the Leontief model follows the loss into every dimension.
    model : str
        ``"leontief"`` (default: an actor runs at the share of its scarcest input) or
        ``"proportional"`` (Ghosh: at the share of its total input that remains); see
        :mod:`~symbiosis.analysis.propagation`.
    rationing : str, optional
        Leontief model: ``"internal-first"`` (default: a supplier that makes less cuts its
        sales to boundary nodes, the market, an export, the grid, before its customers in
        the network), ``"redirect"`` (and what it sells outside goes to its customers that
        lack it) or ``"proportional"`` (every customer loses the same share); see
        :mod:`~symbiosis.analysis._rationing`. The proportional model always rations
        proportionally.
    break_below : float
        Share in (0, 1]: a flow keeping less than this share of its size is broken
        (default 0.5: a by-product exchange halved has usually lost its economic basis;
        pass a small value such as 0.01 to count only stopped flows).
    close_balances : bool
        Proportional model only: see :func:`shock_factors`.
    loops : list, optional
        Loops as sequences of firm ids (each closing back to its first firm) whose
        breaking to report. By default, the loops found by the indicator comparison.
    indicators : bool
        Also compute every headline indicator before and after
        (:func:`symbiosis.analysis.indicators.compare_networks`; stopped flows are removed from
        the network after). Costs one analysis of each network.
    options : symbiosis.Options, optional
        Loop-search bounds for the indicators.

    Returns
    -------
    ShockResult

    Raises
    ------
    InputError
        Every bad argument at once, before any work, each named with the value it got
        (a shock that is not a number in [-1, 0] or names an unknown firm, a threshold
        outside (0, 1], loops that are not lists of firm ids ...).

    Complexity: that of :func:`propagate`, plus O(F) for the tables; with
    ``indicators``, plus two runs of the indicator passes (bounded loop search included).
    """
    require_network(network)
    check = Arguments()
    shocks, break_below = _checked(network, shocks, dimension, break_below, check)
    model = _check_model(model, close_balances, check)
    rationing = _check_rationing(rationing, model, check)
    loops = _check_loops(loops, check)
    check.flag("indicators", indicators)
    check.instance("options", options, Options, what="a symbiosis.Options")
    check.check()
    # one shocked network, stopped flows removed; the tables read the values
    found = propagate_caps(
        network, {dimension: shocks}, model=model, close_balances=close_balances,
        rationing=rationing,
    )  # fmt: skip
    after = shocked_network(network, found.retained, drop_stopped=True)
    retained = pd.Series(found.retained, index=network.flows.index, name="retained")
    values_after = network.core.value * found.retained
    comparison = None
    if indicators:
        from .indicators import compare_networks, in_firm_order

        comparison = compare_networks(network, {"shock": after}, options=options)
        if loops is None:  # written as symbiosis loops writes them
            loops = list(in_firm_order(comparison.before.loops, network))
    dimensions = found.dimensions
    added = None if found.outlets is None else found.outlets.added
    flows = tables.flow_table(network, retained, dimensions, break_below, added)
    firms = tables.firm_table(network, values_after, found)
    sums = tables.totals(network, values_after, flows, firms, dimensions)
    shocked_in = dimensions if dimension is None else (dimension,)
    warnings = _shock_warnings(network, shocks, shocked_in)
    if found.outlets is not None:  # residues no receiver takes, with nowhere recorded to go
        warnings += unplaced_warnings(network, found.outlets)
    if found.activity is not None:  # a result resting on a minor necessary input, or on
        # a material the network still has
        warnings += minor_limit_warnings(network, found.activity)
        warnings += unused_supply_warnings(network, found.activity, found.retained)
    broken = tables.broken_loops(loops, network, retained, break_below) if loops is not None else []
    return ShockResult(
        shocks=shocks,
        dimensions=dimensions,
        break_below=break_below,
        close_balances=close_balances,
        firms=firms,
        flows=flows,
        totals=sums,
        broken_loops=broken,
        comparison=comparison,
        network_after=after,
        warnings=warnings,
        model=model,
        shock_dimension=dimension,
        rationing=rationing,
    )


def _check_loops(loops: Any, check: Arguments) -> list | None:
    """``loops`` as a list of sequences of firm ids (``None`` stays ``None``); anything
    else noted in ``check``. O(total loop length), the size of the argument."""
    said = "loops must be a list of loops, each a list of firm ids, or None"
    if loops is None:
        return None
    if isinstance(loops, str | Mapping) or not isinstance(loops, Iterable):
        check.add(f"{said} (got {short_repr(loops)})")
        return None
    checked = []
    for loop in loops:
        if isinstance(loop, str | Mapping) or not isinstance(loop, Iterable):
            check.add(f"{said} (got {short_repr(loop)} in it)")
            return None
        firms = tuple(loop)
        if not all(isinstance(firm, str) for firm in firms):
            check.add(f"{said} (got {short_repr(loop)} in it)")
            return None
        checked.append(firms)
    return checked


def check_shock(
    network: FlowNetwork | None,
    shocks: Mapping[str, float] | None,
    *,
    dimension: str | None = None,
    break_below: float = DEFAULT_BREAK_BELOW,
) -> None:
    """Raise one :class:`~symbiosis.errors.InputError` naming every problem :func:`shock`
    finds with its shocks, dimension and threshold, without running it: for a caller that
    reports them with its own (the command line, with the options and the files). Without
    a ``network`` (it could not be read), the changes and the threshold alone; ``shocks``
    None: not checked (the caller found them wrong already). O(shocks)."""
    check = Arguments()
    if network is None:
        if shocks is not None:
            _check_shocks(None, shocks, check)
        _check_threshold(break_below, check)
    else:
        _checked(network, shocks, dimension, break_below, check)
    check.check()


def _checked(network, shocks, dimension, break_below, check) -> tuple[dict[str, float], float]:
    """The shocks and the threshold as :func:`shock` uses them, their problems noted
    (``shocks`` None: not checked)."""
    checked = {} if shocks is None else _check_shocks(network, shocks, check)
    _check_dimensions(network, dimension, check)
    return checked, _check_threshold(break_below, check)


def _shock_warnings(network, shocks, dimensions) -> tuple[str, ...]:
    warnings = []
    core = network.core
    in_dimensions = tables.in_dimensions(network, dimensions)
    for node in shocks:
        outgoing = core.value[(core.source == network.firms.index.get_loc(node)) & in_dimensions]
        if len(outgoing) == 0:
            warnings.append(
                f"'{node}' has no outgoing flow in {', '.join(dimensions) or 'any dimension'}: "
                "the shock changes nothing"
            )
        elif np.isnan(outgoing).all():
            warnings.append(
                f"every outgoing flow of '{node}' has an unknown size: nothing is passed on"
            )
    return tuple(warnings)
