"""Impact: the edits that carry out an opportunity and what they change."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd
import scipy.sparse as sp
from scipy.sparse.csgraph import breadth_first_order

from ... import edits as ed
from ...model import FlowNetwork
from ...units import DIMENSIONS
from ...vocabulary import RESIDUAL_CATEGORIES
from ..reuse import FATE_OF_ROLE
from .result import CumulativeImpact, Impact, Opportunity


def opportunity_edits(
    opportunity: Opportunity, *, quantity: float | None = None, add_plant: bool = True
) -> list[ed.Edit]:
    """The edits that carry out ``opportunity`` on the network it was found in
    (scenario order).

    ``quantity`` (canonical unit) overrides the amount moved (what is left of the stream
    in a cumulative application); ``None`` moves the opportunity's quantity for a
    redirect, the whole stream otherwise. ``add_plant`` is False when the proposed plant
    already exists. A redirect also scales the receiver's primary input of the material
    it replaces down by the amount moved. O(1).
    """
    o = opportunity
    edits: list[ed.Edit] = []
    if o.new_plant and add_plant:
        edits.append(ed.AddFirm(o.target, name=f"Proposed {o.target_sector} plant",
                                sector=o.target_sector))  # fmt: skip
    amount = quantity if quantity is not None else (o.quantity if o.kind == "redirect" else None)
    total = o.stream_quantity
    whole = amount is None or total is None or amount >= total * (1 - 1e-12)
    moved = None
    if not whole and total and o.stream_amount is not None:
        moved = float(amount * o.stream_amount / total)
    edits.append(
        ed.RedirectFlow(
            o.source,
            o.stream_target,
            o.material,
            row=o.flow_row,
            to=o.target,
            quantity=moved,
            unit=None if moved is None else o.stream_unit,
        )
    )
    if o.kind == "redirect" and o.replaces and o.replaces.get("quantity"):
        used = total if amount is None else min(amount, total)
        factor = max(0.0, 1.0 - used / o.replaces["quantity"])
        edits.extend(
            ed.ScaleFlow(f["source"], o.target, f["material"], row=f["row"], factor=factor)
            for f in o.replaces["flows"]
        )
    return ed.sort_edits(edits)


def _accounts(network: FlowNetwork) -> dict[str, dict[str, float]]:
    """Residual totals per dimension and fate, as :mod:`symbiosis.analysis.reuse` counts
    them (residual category, from an actor, known size; fate by the target's role). O(f),
    with integer fate codes per firm and one bincount per dimension."""
    flows = network.flows
    values = flows["value"].to_numpy(dtype=float)
    mask = flows["category"].isin(RESIDUAL_CATEGORIES).to_numpy()
    mask = mask & network.source_is_actor & ~np.isnan(values)
    fates = list(dict.fromkeys(FATE_OF_ROLE.values()))
    firm_fate = network.firms["role"].map({r: fates.index(f) for r, f in FATE_OF_ROLE.items()})
    fate = firm_fate.to_numpy(dtype=np.int64)[network.target_positions]
    out: dict[str, dict[str, float]] = {}
    for dimension in network.dimensions:
        chosen = mask & (flows["dimension"] == dimension).to_numpy()
        if chosen.any():
            sums = np.bincount(fate[chosen], weights=values[chosen], minlength=len(fates))
            out[dimension] = {f: float(v) for f, v in zip(fates, sums, strict=True) if v != 0}
    return out


def _shares(accounts: dict[str, dict[str, float]]) -> dict[str, dict[str, float | None]]:
    out = {}
    for dimension in DIMENSIONS:
        if dimension not in accounts:
            continue
        fates = accounts[dimension]
        generated = sum(fates.values())
        reused, sold = fates.get("reused", 0.0), fates.get("sold", 0.0)
        out[dimension] = {
            "reuse_share": reused / generated if generated > 0 else None,
            "utilization_rate": (reused + sold) / generated if generated > 0 else None,
        }
    return out


def _compare(before, after) -> tuple[dict, dict]:
    dims = [d for d in DIMENSIONS if d in before or d in after]

    def pick(d, name):
        return (before.get(d, {}).get(name), after.get(d, {}).get(name))

    return {d: pick(d, "reuse_share") for d in dims}, {d: pick(d, "utilization_rate") for d in dims}


def _moved_accounts(accounts, opportunity, amount):
    """The accounts after ``amount`` of the opportunity's stream goes to its target."""
    o = opportunity
    after = {d: dict(f) for d, f in accounts.items()}
    if o.category in RESIDUAL_CATEGORIES and o.dimension and amount:
        fates = after.setdefault(o.dimension, {})
        fates[o.fate] = fates.get(o.fate, 0.0) - amount
        new_fate = FATE_OF_ROLE.get(o.target_role, "reused")
        fates[new_fate] = fates.get(new_fate, 0.0) + amount
    return after


def _actor_adjacency(network: FlowNetwork) -> tuple[sp.csr_matrix, pd.Index]:
    return network.matrix(None, actors_only=True)


def _loop_through(
    adjacency, nodes: pd.Index, source: str, target: str, *, new_only: bool = True
) -> tuple[str, ...] | None:
    """The shortest loop a link ``source -> target`` closes: the path target -> ... ->
    source in ``adjacency``, prefixed by source; ``None`` if target cannot reach source,
    or (``new_only``) if the link already exists. O(a + m) breadth-first search."""
    if source not in nodes or target not in nodes:
        return None
    s, t = nodes.get_loc(source), nodes.get_loc(target)
    if new_only and adjacency[s, t] != 0:
        return None
    order, predecessors = breadth_first_order(adjacency, t, directed=True)
    if not np.any(order == s):
        return None
    path = [s]
    while path[-1] != t:
        path.append(int(predecessors[path[-1]]))
    cycle = [s, *reversed(path[1:])]
    return tuple(str(nodes[i]) for i in cycle)


def _with_impact(opportunity, accounts, adjacency) -> Opportunity:
    """The opportunity's edits and impact. The indicators are updated incrementally:
    moving ``q`` of a residual stream changes only its old and new fate, exactly as
    :mod:`symbiosis.analysis.reuse` would count the edited network (the tests check this
    against applying the edits); loops by one breadth-first search. O(a + m)."""
    edits = opportunity_edits(opportunity)
    moved = opportunity.quantity
    share, rate = _compare(_shares(accounts), _shares(_moved_accounts(accounts, opportunity,
                                                                      moved)))  # fmt: skip
    loops = ()
    if not opportunity.new_plant:
        loop = _loop_through(*adjacency, opportunity.source, opportunity.target)
        loops = (loop,) if loop else ()
    impact = Impact(share, rate, loops, len(edits))
    return replace(opportunity, impact=impact, edits=tuple(edits))


def _cumulative(opportunities, network, accounts) -> CumulativeImpact:
    """Apply the listed opportunities together, in group then rank order; one
    application of all their edits to a copy of the network. O(f + k)."""
    remaining: dict[tuple, float | None] = {}
    used_by: dict[tuple, int] = {}
    primary_left: dict[tuple, float] = {}
    added_plants: set[str] = set()
    edits: list[ed.Edit] = []
    applied, skipped, moved, new_links = [], {}, {}, []
    for number, o in enumerate(opportunities, start=1):
        key = (o.source, o.stream_target, o.material, o.flow_row)
        left = remaining.get(key, o.stream_quantity)
        if key in remaining and (left is None or left <= 0):
            skipped[number] = used_by[key]
            continue
        amount = None if key not in remaining else left
        if o.kind == "redirect":
            substitute = (o.target, o.replaces["material"])
            available = primary_left.get(substitute, o.replaces["quantity"] or 0.0)
            amount = min(left, available)
            if amount <= 0:
                skipped[number] = used_by.get(key, number)
                continue
            primary_left[substitute] = available - amount
        step = opportunity_edits(o, quantity=amount, add_plant=o.target not in added_plants)
        if o.kind == "redirect":
            step = _compound(step, edits)
        added_plants.add(o.target) if o.new_plant else new_links.append((o.source, o.target))
        edits.extend(step)
        applied.append(number)
        used_by[key] = number
        taken = left if amount is None else amount
        remaining[key] = 0.0 if left is None else left - (taken or 0.0)
        if o.dimension and taken is not None:
            moved[o.dimension] = moved.get(o.dimension, 0.0) + taken
    ordered = ed.sort_edits(edits)
    after = ed.apply(network, ordered, file="opportunities")
    share, rate = _compare(_shares(accounts), _shares(_accounts(after)))
    base_matrix, base_nodes = _actor_adjacency(network)
    matrix, nodes = _actor_adjacency(after)
    loops = []
    for source, target in dict.fromkeys(new_links):
        existed = source in base_nodes and target in base_nodes and (
            base_matrix[base_nodes.get_loc(source), base_nodes.get_loc(target)] != 0)  # fmt: skip
        loop = None if existed else _loop_through(matrix, nodes, source, target, new_only=False)
        if loop:
            loops.append(loop)
    ranks = {n: o.rank for n, o in enumerate(opportunities, start=1)}
    return CumulativeImpact(
        applied=tuple(ranks[n] for n in applied),
        skipped={ranks[n]: ranks[m] for n, m in skipped.items()},
        moved=moved,
        impact=Impact(share, rate, tuple(loops), len(ordered)),
        edits=tuple(ordered),
    )


def _compound(step: list[ed.Edit], earlier: list[ed.Edit]) -> list[ed.Edit]:
    """Make a substitution's scale factors relative to what earlier substitutions of the
    same primary input left (factors compound in scenario order)."""
    out = []
    for edit in step:
        if isinstance(edit, ed.ScaleFlow):
            done = 1.0
            for other in earlier:
                if isinstance(other, ed.ScaleFlow) and (other.source, other.target,
                        other.material, other.row) == (edit.source, edit.target, edit.material,
                        edit.row):  # fmt: skip
                    done *= other.factor
            if done < 1.0:
                used = (1.0 - edit.factor) / done if done > 0 else 1.0
                edit = replace(edit, factor=max(0.0, 1.0 - used))
        out.append(edit)
    return out
