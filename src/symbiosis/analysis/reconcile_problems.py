"""The problems of a reconciliation that cannot close: one per set of balances that the
flows known exactly contradict (or, with flows kept >= 0, that no such flows can close),
naming its actors and the rows of its first flows; and flows too uncertain by too little
to be weighed (:mod:`.reconcile`)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from ..arguments import short_repr
from ..errors import AnalysisError, InputError, Problem
from ..model import FlowNetwork
from ..units import CANONICAL_UNITS, DIMENSIONS

__all__ = ["cannot_close", "flows_file", "infeasible", "infeasible_problems", "no_spread"]
__all__ += ["sd_by_label", "sd_numbers", "unweighable"]

_KINDS = {"U": "text", "S": "text", "c": "complex numbers", "b": "booleans"}
_SD_HINT = "give an array or list of floats (standard deviations), in flow order"


def sd_numbers(sd: object) -> np.ndarray:
    """``reconcile``'s ``sd`` as floats (missing: NaN, for the rows' own check), or an
    :class:`InputError` naming ``sd``: text, a mapping, complex numbers, booleans or
    values that are not numbers. One conversion, O(flows)."""
    if isinstance(sd, str | bytes | dict) or not hasattr(sd, "__len__"):
        got = f"{type(sd).__name__} {short_repr(sd)}"
        raise InputError(f"sd must be one number per flow, not {got}; {_SD_HINT}")
    values = np.asarray(sd)
    if values.dtype.kind not in "iufO":  # text, complex, bool, dates: not a spread
        what = _KINDS.get(values.dtype.kind, f"an array of {values.dtype}")
        raise InputError(f"sd must be one number per flow, not {what}; {_SD_HINT}")
    if values.dtype.kind == "O" and hasattr(sd, "to_numpy"):  # a nullable Series: <NA>
        values = np.asarray(sd.to_numpy(dtype=object, na_value=np.nan))
    try:
        return values.astype(float)
    except (TypeError, ValueError) as exc:  # an object array of non-numbers
        raise InputError(f"sd holds a value that is not a number ({exc}); {_SD_HINT}") from None


def sd_by_label(network: FlowNetwork, sd: object) -> object:
    """A pandas Series ``sd`` in the order of ``network.flows`` by its index labels (a
    Series sorted or filtered and put back was read by position: each flow got another
    flow's spread); an InputError when its labels are not those of the flows. Anything
    else as it is. O(flows)."""
    index = getattr(sd, "index", None)
    if index is None or not hasattr(sd, "reindex") or getattr(sd, "ndim", 1) != 1:
        return sd
    flows = network.flows.index
    if index.equals(flows):
        return sd
    if len(index) == len(flows) and index.is_unique and flows.isin(index).all():
        return sd.reindex(flows)
    raise InputError(
        f"sd is a Series whose index does not match network.flows' ({len(index)} labels "
        f"for {len(flows)} flows, or other labels); give one value per row of "
        "network.flows, indexed as it is, or an array in flow order"
    )


def flows_file(network: FlowNetwork) -> str:
    """The flows file the network was read from, for a located problem: relative to the
    working folder when inside it (as the reader's own messages show a path given so),
    else its whole path (a bare ``flows.csv`` would name no folder where several
    networks are read, as ``compare`` does); ``flows.csv`` for a network built in
    memory."""
    if not network.source_files:
        return "flows.csv"
    path = network.source_files[-1]
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:  # outside the working folder (or on another drive)
        return str(path)


def cannot_close(network: FlowNetwork, problem, solution, sd: np.ndarray) -> list[Problem]:
    """The problems of balances that cannot close (``solution.infeasible``): one alone
    when no flow of known size has a spread (:func:`no_spread`: there is nothing to
    adjust, and every balance that does not close as recorded would be reported), else
    one per set of balances (:func:`infeasible_problems`). O(f log f)."""
    if not np.any(sd[np.isfinite(network.core.value)] > 0):
        sets = _closing_sets(network, problem, solution.infeasible)
        return [no_spread(network, [name for names, _ in sets for name in names])]
    return infeasible_problems(network, problem, solution.infeasible, solution.infeasible_bounds)


def no_spread(network: FlowNetwork, names: list[str]) -> Problem:
    """Every flow known exactly (no uncertainty in the file, no default) and balances,
    of the actors ``names``, that do not close as recorded: the spread is missing, not
    a flow. One problem naming the first five actors."""
    shown = ", ".join(names[:5]) + (f" and {len(names) - 5:,} more" if len(names) > 5 else "")
    return Problem(
        flows_file(network),
        None,
        None,
        "no flow has an uncertainty, so reconciliation can adjust none, and the balances "
        f"of {shown} do not close as recorded",
        "give the flows a spread: --uncertainty 0.1 (a standard deviation of 10 % for each "
        "flow whose row gives none), or an uncertainty column, a range (quantity_low, "
        "quantity_high) or a quality score (docs/reconciliation.md)",
    )


def infeasible_problems(network: FlowNetwork, problem, groups, bounds=False) -> list[Problem]:
    """One problem per set of balances that the exactly known flows contradict, or that no
    flows >= 0 can close (``bounds``): the actors of its keys and the rows of its first
    ten flows. O(f log f) for every set at once (a million flows without uncertainties
    have some 200,000 sets)."""
    return [infeasible(network, names, rows, bounds)
            for names, rows in _closing_sets(network, problem, groups)]  # fmt: skip


def _closing_sets(network: FlowNetwork, problem, groups) -> list[tuple[list[str], list[int]]]:
    """Each set of balances (``groups`` of keys) as the names of its actors and the rows
    of its first ten flows, both ascending. O(f log f) for every set at once."""
    core = network.core
    rows = network.flows["row"].to_numpy()
    keys = np.concatenate([*groups, np.zeros(0, dtype=np.int64)]).astype(np.int64)
    number = np.repeat(np.arange(len(groups)), [len(k) for k in groups])
    inside = ~problem.environment[keys]
    group = np.full(len(problem.environment) + 1, -1, dtype=np.int64)  # key -1: the last
    group[keys[inside]] = number[inside]
    by_tail, by_head = group[problem.tail], group[problem.head]
    flow = np.arange(len(by_tail))
    flows_of = _members(np.r_[by_tail, by_head], np.r_[flow, flow], len(groups))
    nodes_of = _members(np.r_[by_tail, by_head], np.r_[core.source, core.target], len(groups))
    return [
        (sorted(str(core.ids[node]) for node in nodes), sorted(int(r) for r in rows[flows[:10]]))
        for nodes, flows in zip(nodes_of, flows_of, strict=True)
    ]


def _members(group: np.ndarray, member: np.ndarray, n_groups: int) -> list[np.ndarray]:
    """The distinct members of each group (-1: none), ascending: one sort of the
    (group, member) pairs."""
    keep = group >= 0
    width = int(member.max(initial=0)) + 1
    pairs = np.unique(group[keep] * width + member[keep])
    bounds = np.searchsorted(pairs // width, np.arange(1, n_groups))
    return np.split(pairs % width, bounds)


def infeasible(network: FlowNetwork, names: list[str], rows: list[int], bounds: bool) -> Problem:
    where = f"(rows {', '.join(map(str, rows))})"
    if bounds:
        return Problem(
            flows_file(network),
            None,
            None,
            f"the balances of {', '.join(names)} cannot close with every adjusted flow >= 0: "
            f"their flows known exactly (standard deviation 0) ask more of the others than "
            f"they can give without going below 0 {where}",
            "give these flows an uncertainty, look for a missing flow, or reconcile without "
            "--nonnegative",
        )
    return Problem(
        flows_file(network),
        None,
        None,
        f"the balances of {', '.join(names)} cannot close: their flows known exactly "
        f"(standard deviation 0) do not balance and no uncertain flow can absorb the "
        f"difference {where}",
        "give these flows an uncertainty (an uncertainty column, a range, a quality "
        "score, or --uncertainty 0.1), or leave these roles out with --balance-roles",
    )


def unweighable(network: FlowNetwork, flows: np.ndarray) -> AnalysisError:
    """The error for adjusted flows (positions ``flows``) whose standard deviation is below
    1.5e-154 times the largest flow of their dimension
    (:class:`.reconcile_linalg.UnweighableFlows`): their rows (the first ten) and the
    largest flow of the first one's dimension. O(f)."""
    core = network.core
    rows = sorted(int(r) for r in network.flows["row"].to_numpy()[flows[:10]])
    dimension = int(core.unit_dimension[flows[0]])
    same = (core.unit_dimension == dimension) & np.isfinite(core.value)
    largest = float(np.abs(core.value[same]).max())
    name = DIMENSIONS[dimension]
    more = f" and {len(flows) - 10:,} more" if len(flows) > 10 else ""
    plural = len(flows) > 1
    them, it = ("these flows'", "them") if plural else ("the flow's", "it")
    problem = Problem(
        flows_file(network),
        None,
        None,
        f"the standard deviation{'s' if plural else ''} of row{'s' if plural else ''} "
        f"{', '.join(map(str, rows))}{more} {'are' if plural else 'is'} below "
        f"1.5e-154 times the largest {name} flow ({largest:.4g} "
        f"{CANONICAL_UNITS[name]}/yr): too small to weigh against it in floating point",
        f"check {them} quantit{'ies' if plural else 'y'} and unit{'s' if plural else ''}, "
        f"give {it} uncertainty 0 (and no range) to keep {it} as measured, or reconcile "
        f"{it} in a network of {'their' if plural else 'its'} own",
    )
    return AnalysisError(str(problem))
