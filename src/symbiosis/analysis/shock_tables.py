"""The tables of a supply shock's report: the flows that shrink, the actors hit, the
totals per dimension and the loops broken (:func:`~symbiosis.analysis.shocks.shock`
builds its :class:`~symbiosis.analysis.shocks.ShockResult` from them).

Complexity: O(F) per dimension for the tables; the loops broken O(F log A + loops x
length) for A distinct arcs on the loops.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..model import FlowNetwork
from ..units import DIMENSIONS
from ..vocabulary import CATEGORIES, RESIDUAL_CATEGORIES
from .propagation import Propagation

__all__ = ["breaks", "broken_loops", "firm_table", "flow_table", "in_dimensions", "totals"]

#: A share this close to the break threshold is at it, not below (the Leontief solver's
#: tolerance): a flow that keeps exactly half, computed as 0.49999999999999994, kept 50 %.
_AT_THRESHOLD = 1e-9


def breaks(retained: np.ndarray, break_below: float) -> np.ndarray:
    """Whether each share of ``retained`` breaks its flow: less than ``break_below``, by
    more than the solver's rounding (tester cities3: a sludge flow keeping 4,000 of its
    8,000 t, "retained 50.0 %", was counted broken though the rule is "below 50 %"). O(n)."""
    return np.asarray(retained) < break_below - _AT_THRESHOLD


def flow_table(
    network: FlowNetwork,
    retained: pd.Series,
    dimensions: tuple[str, ...],
    break_below: float,
    added: np.ndarray | None = None,
) -> pd.DataFrame:
    """Every flow that changes (see :class:`ShockResult`); ``added``: per flow, the share
    of its size a maker's disposal or environment flow takes in of the residue its
    receivers no longer take (:mod:`~symbiosis.analysis._residue_outlets`). O(F)."""
    flows = network.flows
    added = np.zeros(len(flows)) if added is None else added
    # the flows that shrink, and those that grow (rationing "redirect": what a supplier
    # sold outside goes to its customers in the network; a maker's outlet: the residue
    # its receivers no longer take), and an outlet that takes some in but still shrinks
    shrinks = ((retained != 1.0).to_numpy() | (added > 0)) & in_dimensions(network, dimensions)
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
            "broken": breaks(kept, break_below),
            "exchange": internal & chosen["category"].isin(RESIDUAL_CATEGORIES).to_numpy(),
            "residue_added": before * added[shrinks],
        },
        index=chosen.index,
    )
    table.index.name = "flow"
    lost = (table["value_before"] - table["value_after"]).fillna(0.0)
    return table.iloc[np.lexsort((table.index.to_numpy(), -lost.to_numpy()))]


def in_dimensions(network: FlowNetwork, dimensions) -> np.ndarray:
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
    mask = in_dimensions(network, [dimension]) & ~np.isnan(values)
    return np.bincount(positions[mask], values[mask], minlength=network.n_firms)


def _has_outputs(network: FlowNetwork, dimension: str, positions) -> np.ndarray:
    """Per node position: has it a flow out in ``dimension`` (of known size or not)? O(F)."""
    mask = in_dimensions(network, [dimension])
    return np.bincount(positions[mask], minlength=network.n_firms) > 0


_FIRM_COLUMNS = [
    "firm",
    "dimension",
    "name",
    "recorded_input",
    "input_after",
    "input_lost",
    "input_lost_share",
    "input_substituted",
    "output_factor",
    "output_lost",
    "sales_lost",
    "residues_disposed",
    "residues_unplaced",
    "limited_by",
]


def firm_table(network: FlowNetwork, after: np.ndarray, found: Propagation) -> pd.DataFrame:
    """One row per actor and dimension whose inputs or outputs shrink (see
    :class:`ShockResult`). O(F) per dimension."""
    frames = []
    is_actor = network.firms["actor"].to_numpy(dtype=bool)
    before = network.core.value
    targets, sources = network.target_positions, network.source_positions
    for dimension, factor in found.factors.items():
        before_in = _node_sums(network, before, dimension, targets)
        after_in = _node_sums(network, after, dimension, targets)
        out = _node_sums(network, before, dimension, sources)
        # what a source still makes but its customers no longer take, flow by flow; of
        # residues, what goes to its outlets (those flows grow: the sum nets it out) and
        # what has none (unplaced: not a sale lost)
        unsold = before * (factor[sources] - found.retained)
        disposed, unplaced = _residues(network, found, dimension)
        sales_lost = _node_sums(network, unsold, dimension, sources) - unplaced
        # rationed internal-first, a supplier's flows gain and lose: their sum is its loss,
        # up to rounding (a residue of 1e-11 t is no sale lost)
        sales_lost[np.abs(sales_lost) <= 1e-9 * out] = 0.0
        # a share of outputs kept says nothing of an actor without one in the dimension
        kept = np.where(_has_outputs(network, dimension, sources), factor, np.nan)
        lost = before_in - after_in
        # what it lost of inputs marked substitutable and makes up from outside
        made_up = np.zeros(len(before)) if found.substituted is None else found.substituted
        replaced = before * made_up
        substituted = _node_sums(network, replaced, dimension, targets)
        affected = is_actor & ((lost > 0) | ((factor < 1.0) & (out > 0)) | (sales_lost > 0)
                               | (disposed > 0) | (unplaced > 0))  # fmt: skip
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
                "input_substituted": substituted[affected],
                "output_factor": kept[affected],
                "output_lost": out[affected] * (1.0 - factor[affected]),
                "sales_lost": sales_lost[affected],
                "residues_disposed": disposed[affected],
                "residues_unplaced": unplaced[affected],
                "limited_by": _limits(network, found, dimension, np.flatnonzero(affected)),
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
    table = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=_FIRM_COLUMNS)
    return table.set_index(["firm", "dimension"])


def _residues(network: FlowNetwork, found: Propagation, dimension: str):
    """Per node position, what its receivers no longer take of its residues in
    ``dimension``: sent to its disposal or environment flows, and unplaced (no such flow
    of the material, and none sold to a market node: that is a sale lost;
    :mod:`~symbiosis.analysis._residue_outlets`). O(F)."""
    outlets = found.outlets
    if outlets is None:
        return np.zeros(network.n_firms), np.zeros(network.n_firms)
    freed = network.core.value * outlets.freed  # 0 where nothing is freed, NaN unknown
    sources = network.source_positions
    disposed = np.where(outlets.placed, freed, 0.0)
    unplaced = np.where(outlets.unplaced, freed, 0.0)  # traded: a sale lost
    return (_node_sums(network, disposed, dimension, sources),
            _node_sums(network, unplaced, dimension, sources))  # fmt: skip


def _limits(network: FlowNetwork, found: Propagation, dimension: str, nodes: np.ndarray):
    """What limits each of ``nodes`` in ``dimension`` under the Leontief model (see
    :meth:`~symbiosis.analysis.leontief.Activity.limited_by`); None under the
    proportional model. O(nodes)."""
    activity = found.activity
    index = DIMENSIONS.index(dimension)
    if activity is None:
        return np.full(len(nodes), None, dtype=object)
    return np.array([activity.limited_by(network, k, index) for k in nodes], dtype=object)


def totals(network, after, flows, firms, dimensions) -> dict[str, dict[str, float | None]]:
    totals: dict[str, dict[str, float | None]] = {}
    internal = network.source_is_actor & network.target_is_actor
    from_actor = network.source_is_actor
    residual = _lookup(CATEGORIES, RESIDUAL_CATEGORIES)[network.core.category]
    before = network.core.value
    for dimension in dimensions:
        in_dim = in_dimensions(network, [dimension])

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


def broken_loops(
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
    cut_flows = breaks(retained.to_numpy(), break_below) & (core.unit_dimension >= 0)
    flows = np.bincount(slot[on_loops], minlength=len(wanted))
    holding = np.bincount(slot[on_loops & ~cut_flows], minlength=len(wanted))
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
