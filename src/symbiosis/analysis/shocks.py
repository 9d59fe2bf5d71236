"""Supply shocks: cut the output of a node and follow the loss downstream.

A mine runs at half its output, a smelter closes, an overseas supplier stops shipping:
:func:`shock` propagates the loss through the network with the supply-driven model of
:mod:`~symbiosis.analysis.propagation` (Ghosh 1958; its equations, assumptions and solver
are documented there), one dimension at a time, and reports which actors lose what share
of their input, which flows and by-product exchanges break, which loops break, and every
headline indicator before and after (:mod:`~symbiosis.analysis.indicators`).

:func:`~symbiosis.analysis.propagation.shock_factors`,
:func:`~symbiosis.analysis.propagation.propagate` and
:func:`~symbiosis.analysis.propagation.suggest` (and ``name_hint``) are re-exported here.

Complexity: O(F + V) per dimension plus the LU of the affected loops; with the
indicators, plus two runs of the indicator passes (bounded loop search included).

References
----------
Ghosh, A. (1958). Input-output approach in an allocation system. *Economica* 25(97), 58-64.
Miller, R. E. & Blair, P. D. (2009). *Input-Output Analysis*, 2nd ed., ch. 12. Cambridge UP.
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
from ..units import DIMENSIONS
from ..vocabulary import CATEGORIES, RESIDUAL_CATEGORIES
from .propagation import (
    _check_dimensions,
    _check_shocks,
    _check_threshold,
    name_hint,
    propagate,
    shock_factors,
    suggest,
)

__all__ = [
    "DEFAULT_BREAK_BELOW",
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
        The dimensions propagated.
    break_below : float
        A flow is *broken* when it keeps less than this share of its size.
    firms : DataFrame
        One row per actor and dimension affected (index ``firm``, ``dimension``):
        ``recorded_input`` and ``input_after`` (recorded inputs before and after),
        ``input_lost`` and ``input_lost_share`` (share of the recorded inputs lost),
        ``output_factor`` (share of its outputs that remain; NaN, null in JSON, for an
        actor with no output in the dimension) and ``output_lost`` (quantity, in the
        dimension's canonical unit per year). Sorted by dimension, then by share lost,
        largest first.
    flows : DataFrame
        Every flow that shrinks (index: flow row in ``network.flows``): ``source``,
        ``target``, ``material``, ``category``, ``dimension``, ``value_before``,
        ``value_after``, ``retained``, ``broken``, ``exchange`` (True for a by-product,
        waste or emission passed from one actor to another). Largest loss first.
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
    break_below: float = DEFAULT_BREAK_BELOW,
    close_balances: bool = True,
    loops: list | None = None,
    indicators: bool = True,
    options: Options | None = None,
) -> ShockResult:
    """Propagate a supply shock and report its effects (see the module docstring).

    Parameters
    ----------
    network : FlowNetwork
    shocks : mapping of node id to change in [-1, 0]
        E.g. ``{"DGS": -0.5}`` (the mine at half output) or ``{"JL": -1}`` (closed).
    dimension : str, optional
        Propagate in this dimension only (default: every dimension of the network).
    break_below : float
        Share in (0, 1]: a flow keeping less than this share of its size is broken
        (default 0.5: a by-product exchange halved has usually lost its economic basis;
        pass a small value such as 0.01 to count only stopped flows).
    close_balances : bool
        See :func:`shock_factors`.
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

    Complexity: O(F + V) per dimension plus the LU of the affected loops; with
    ``indicators``, plus two runs of the indicator passes (bounded loop search included).
    """
    require_network(network)
    check = Arguments()
    shocks, break_below = _checked(network, shocks, dimension, break_below, check)
    check.flag("close_balances", close_balances)
    loops = _check_loops(loops, check)
    check.flag("indicators", indicators)
    check.instance("options", options, Options, what="a symbiosis.Options")
    check.check()
    # one shocked network, stopped flows removed; the tables read the values
    after, retained, factors = propagate(
        network, shocks, dimension=dimension, close_balances=close_balances, drop_stopped=True
    )
    values_after = network.core.value * retained.to_numpy()
    comparison = None
    if indicators:
        from .indicators import compare_networks, in_firm_order

        comparison = compare_networks(network, {"shock": after}, options=options)
        if loops is None:  # written as symbiosis loops writes them
            loops = list(in_firm_order(comparison.before.loops, network))
    dimensions = tuple(factors)
    flows = _flow_table(network, retained, dimensions, break_below)
    firms = _firm_table(network, values_after, factors)
    totals = _totals(network, values_after, flows, firms, dimensions)
    warnings = _shock_warnings(network, shocks, dimensions)
    broken = _broken_loops(loops, network, retained, break_below) if loops is not None else []
    return ShockResult(
        shocks=shocks,
        dimensions=dimensions,
        break_below=break_below,
        close_balances=close_balances,
        firms=firms,
        flows=flows,
        totals=totals,
        broken_loops=broken,
        comparison=comparison,
        network_after=after,
        warnings=warnings,
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


def _flow_table(
    network: FlowNetwork, retained: pd.Series, dimensions: tuple[str, ...], break_below: float
) -> pd.DataFrame:
    flows = network.flows
    shrinks = (retained < 1.0).to_numpy() & _in_dimensions(network, dimensions)
    chosen = flows[shrinks]
    before = chosen["value"].to_numpy(dtype=float)
    kept = retained[shrinks].to_numpy()
    internal = network.source_is_actor[shrinks] & network.target_is_actor[shrinks]
    table = pd.DataFrame(
        {
            "source": chosen["source"],
            "target": chosen["target"],
            "material": chosen["material"],
            "category": chosen["category"],
            "dimension": chosen["dimension"],
            "value_before": before,
            "value_after": before * kept,
            "retained": kept,
            "broken": kept < break_below,
            "exchange": internal & chosen["category"].isin(RESIDUAL_CATEGORIES).to_numpy(),
        },
        index=chosen.index,
    )
    table.index.name = "flow"
    lost = (table["value_before"] - table["value_after"]).fillna(0.0)
    return table.iloc[np.lexsort((table.index.to_numpy(), -lost.to_numpy()))]


def _in_dimensions(network: FlowNetwork, dimensions) -> np.ndarray:
    """Mask of the flows whose unit is of one of ``dimensions`` (known size or not)."""
    return _lookup(DIMENSIONS, dimensions)[network.core.unit_dimension]


def _lookup(names, chosen) -> np.ndarray:
    """A boolean table over the codes of ``names`` (and a last False entry for code -1):
    indexing it with a code column is a cheaper ``isin``."""
    table = np.zeros(len(names) + 1, dtype=bool)
    table[[names.index(name) for name in chosen]] = True
    return table


def _node_sums(network: FlowNetwork, values: np.ndarray, dimension: str, positions) -> np.ndarray:
    """Sum of known ``values`` of one dimension per node position. O(F), no groupby."""
    mask = _in_dimensions(network, [dimension]) & ~np.isnan(values)
    return np.bincount(positions[mask], values[mask], minlength=network.n_firms)


def _has_outputs(network: FlowNetwork, dimension: str, positions) -> np.ndarray:
    """Per node position: has it a flow out in ``dimension`` (of known size or not)? O(F)."""
    mask = _in_dimensions(network, [dimension])
    return np.bincount(positions[mask], minlength=network.n_firms) > 0


def _firm_table(
    network: FlowNetwork, after: np.ndarray, factors: dict[str, np.ndarray]
) -> pd.DataFrame:
    frames = []
    is_actor = network.firms["actor"].to_numpy(dtype=bool)
    before = network.core.value
    targets, sources = network.target_positions, network.source_positions
    for dimension, factor in factors.items():
        before_in = _node_sums(network, before, dimension, targets)
        after_in = _node_sums(network, after, dimension, targets)
        out = _node_sums(network, before, dimension, sources)
        # a share of outputs kept says nothing of an actor without one in the dimension
        kept = np.where(_has_outputs(network, dimension, sources), factor, np.nan)
        lost = before_in - after_in
        affected = is_actor & ((lost > 0) | ((factor < 1.0) & (out > 0)))
        with np.errstate(invalid="ignore", divide="ignore"):
            share = np.where(before_in > 0, lost / np.where(before_in > 0, before_in, 1), np.nan)
        frame = pd.DataFrame(
            {
                "firm": network.firms.index[affected],
                "dimension": dimension,
                "name": network.firms["name"].to_numpy()[affected]
                if "name" in network.firms
                else "",
                "recorded_input": before_in[affected],
                "input_after": after_in[affected],
                "input_lost": lost[affected],
                "input_lost_share": share[affected],
                "output_factor": kept[affected],
                "output_lost": out[affected] * (1.0 - factor[affected]),
            }
        )
        # Sort on rounded keys so that equal shares (up to solver rounding) tie by id.
        keys = (
            frame["firm"].to_numpy(dtype=str),
            -np.nan_to_num(frame["input_lost_share"].round(9).to_numpy(), nan=-1.0),
            frame["output_factor"].round(9).to_numpy(),
        )
        frame = frame.iloc[np.lexsort(keys)]
        frames.append(frame)
    columns = [
        "firm",
        "dimension",
        "name",
        "recorded_input",
        "input_after",
        "input_lost",
        "input_lost_share",
        "output_factor",
        "output_lost",
    ]
    table = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=columns)
    return table.set_index(["firm", "dimension"])


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


def _totals(network, after, flows, firms, dimensions) -> dict[str, dict[str, float | None]]:
    totals: dict[str, dict[str, float | None]] = {}
    internal = network.source_is_actor & network.target_is_actor
    from_actor = network.source_is_actor
    residual = _lookup(CATEGORIES, RESIDUAL_CATEGORIES)[network.core.category]
    before = network.core.value
    for dimension in dimensions:
        in_dim = _in_dimensions(network, [dimension])

        unknown = dimension not in network.sized_dimensions  # sums of no known size

        def total(values, mask, in_dim=in_dim, unknown=unknown):
            return None if unknown else float(np.nansum(values[mask & in_dim]))

        of_dimension = flows[flows["dimension"] == dimension]
        affected = (firms.index.get_level_values("dimension") == dimension).sum()
        affected_firms = None if unknown else int(affected)
        totals[dimension] = {
            "output_before": total(before, from_actor),
            "output_after": total(after, from_actor),
            "internal_before": total(before, internal),
            "internal_after": total(after, internal),
            "exchanged_before": total(before, internal & residual),
            "exchanged_after": total(after, internal & residual),
            "actors_affected": affected_firms,
            "flows_broken": int(of_dimension["broken"].sum()),
            "exchanges_broken": int((of_dimension["broken"] & of_dimension["exchange"]).sum()),
        }
    return totals


def _shock_warnings(network, shocks, dimensions) -> tuple[str, ...]:
    warnings = []
    core = network.core
    in_dimensions = _in_dimensions(network, dimensions)
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


def _broken_loops(
    loops: list, network: FlowNetwork, retained: pd.Series, break_below: float
) -> list[dict]:
    """Loops with at least one broken arc. An arc (firm a to firm b) is broken when every
    flow on it keeps less than ``break_below`` of its size (flows of no known dimension
    never break). On the core's node positions, only the loops' arcs looked up:
    O(F log A + loops x length) for A distinct arcs on the loops."""
    members = [list(loop) for loop in loops]
    ends = [(firms, firms[1:] + firms[:1]) for firms in members]
    at, n = network.firms.index.get_indexer, network.n_firms  # -1: not in the network
    heads = at([firm for head, _ in ends for firm in head])
    tails = at([firm for _, tail in ends for firm in tail])
    known = (heads >= 0) & (tails >= 0)  # an arc with an unknown firm is never cut
    keys = heads[known] * n + tails[known]
    wanted = np.unique(keys)
    if not len(wanted):
        return []
    core = network.core
    arc = core.source * n + core.target
    slot = np.minimum(np.searchsorted(wanted, arc), len(wanted) - 1)
    on_loops = wanted[slot] == arc
    breaks = (retained.to_numpy() < break_below) & (core.unit_dimension >= 0)
    flows = np.bincount(slot[on_loops], minlength=len(wanted))
    holding = np.bincount(slot[on_loops & ~breaks], minlength=len(wanted))
    broken = (flows > 0) & (holding == 0)  # every flow on the arc breaks
    cut = np.zeros(len(heads), dtype=bool)
    cut[known] = broken[np.searchsorted(wanted, keys)]
    bounds = np.cumsum([0, *(len(firms) for firms in members)]).tolist()
    result = []
    for k, (head, tail) in enumerate(ends):
        which = np.flatnonzero(cut[bounds[k] : bounds[k + 1]]).tolist()
        if which:
            arcs = [[head[i], tail[i]] for i in which]
            result.append({"firms": members[k], "broken_arcs": arcs})
    return result
