"""Impact: the edits that carry out an opportunity and what they change.

The reuse share and utilisation rate are ratios of sums over residual flows (see
:mod:`symbiosis.analysis.reuse`): moving ``q`` of a stream changes only its old and its
new fate by ``q``. So the impact of one opportunity, and of the listed ones together, is a
delta on the accounts, never a copy of the network; a new link closes a loop when its
receiver already reaches its sender (:mod:`.closing`). A redirect also cuts the primary
input it replaces, by what it moves times the catalogue row's substitution ratio (1 t of a
residue at a ratio of 0.8 replaces 0.8 t of the purchase), as its capacity was sized.
"""

from __future__ import annotations

from dataclasses import replace

from ... import edits as ed
from ...model import FlowNetwork
from ...units import DIMENSIONS
from ...vocabulary import RESIDUAL_CATEGORIES
from .._flowsums import Arrays
from .._utility_inputs import utility_material
from ..reuse import FATE_OF_ROLE
from ..reuse_streams import fate_sums
from .closing import ActorGraph
from .result import EMERGING, CumulativeImpact, Impact, Opportunity, Skipped, plant_name

__all__ = ["accounts", "cumulative", "opportunity_edits", "with_impact"]


def opportunity_edits(
    opportunity: Opportunity, *, quantity: float | None = None, add_plant: bool = True
) -> list[ed.Edit]:
    """The edits that carry out ``opportunity`` on the network it was found in
    (scenario order).

    An in-house opportunity's redirect goes back to the stream's source, marked
    ``in_house`` (a redirect to the source is refused without it).
    ``quantity`` (canonical unit) overrides the amount moved (what is left of the stream
    in a cumulative application); ``None`` moves the opportunity's quantity for a
    redirect, the whole stream otherwise. ``add_plant`` is False when the proposed plant
    already exists. A redirect also scales the receiver's primary input of the material
    it replaces down by what the amount moved replaces of it: the amount times the
    catalogue row's substitution ratio (``replaces["substitution_ratio"]``: 50 t of a
    residue at 0.8 cut a purchase of 100 t by 40 t), at most the whole purchase. O(1).
    """
    o = opportunity
    edits: list[ed.Edit] = []
    if o.new_plant and add_plant:
        edits.append(ed.AddFirm(o.target, name=f"Proposed {plant_name(o.target_sector)}",
                                sector=o.target_sector))  # fmt: skip
    bounded = o.kind == "redirect" or o.capacity is not None  # part of the stream only
    amount = quantity if quantity is not None else (o.quantity if bounded else None)
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
            in_house=True if o.kind == "in_house" else None,  # back to its own source
        )
    )
    if o.kind == "redirect" and o.replaces and o.replaces.get("quantity"):
        used = total if amount is None else min(amount, total)
        factor = max(0.0, 1.0 - used * _ratio(o) / o.replaces["quantity"])
        edits.extend(
            ed.ScaleFlow(f["source"], o.target, f["material"], row=f["row"], factor=factor)
            for f in o.replaces["flows"]
        )
    return ed.sort_edits(edits)


def _ratio(o: Opportunity) -> float:
    """What one unit of a redirect's stream replaces of the primary input: its
    ``substitution_ratio`` (:func:`.redirects.substitution_ratios`; 1 for a result made
    before it was recorded)."""
    ratio = o.replaces.get("substitution_ratio") if o.replaces else None
    return 1.0 if ratio is None else float(ratio)


def accounts(network: FlowNetwork) -> dict[str, dict[str, float]]:
    """Residual totals per dimension and fate, as :mod:`symbiosis.analysis.reuse` counts
    them (residual category, from an actor that is no distributor, known size; fate by
    the target's role, or where a distributor passes it on:
    :func:`~symbiosis.analysis.reuse_streams.fate_sums`). O(f); cached on the core."""
    core = network.core
    return core.cached(("opportunities", "accounts"), lambda: fate_sums(Arrays(network)))


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
        if new_fate == "treated" and (o.dimension == "energy" or utility_material(o.material)):
            new_fate = "reused"  # steam, heat, power a treatment plant uses (_utility_inputs)
        fates[new_fate] = fates.get(new_fate, 0.0) + amount
    return after


def with_impact(opportunity: Opportunity, before, graph: ActorGraph, link) -> Opportunity:
    """The opportunity with its edits and impact. Moving ``q`` of a residual stream
    changes only its old and new fate, exactly as :mod:`symbiosis.analysis.reuse` would
    count the edited network (a test checks this against applying the edits); a
    redirect's edits cut the primary input it replaces by ``q`` times the row's
    substitution ratio, at most all of it (:func:`opportunity_edits`); ``link``
    is the (sender, receiver) node positions, ``None`` for a new plant (a plant closes
    no loop). O(1) for the accounts plus one pruned breadth-first search."""
    edits = opportunity_edits(opportunity)
    after = _moved_accounts(before, opportunity, opportunity.quantity)
    share, rate = _compare(_shares(before), _shares(after))
    loop = None if link is None else graph.loop(*link)
    impact = Impact(share, rate, (loop,) if loop else (), len(edits))
    return replace(opportunity, impact=impact, edits=tuple(edits))


def distinct_cycles(loops) -> tuple[tuple[str, ...], ...]:
    """``loops`` (each a cycle of firm ids, from any of its firms) once per cycle, in the
    order first met: A -> B -> A and B -> A -> B are one cycle, closed by either of its
    two new links (tester cities3: a plan said it closed both); A -> B -> C -> A and
    A -> C -> B -> A run the other way round, through other links, and are two. A cycle
    is the same when one is a rotation of the other (a loop visits each firm once, so
    the rotation starting at its least id names it). O(total loop length)."""
    seen: dict[tuple[str, ...], tuple[str, ...]] = {}
    for loop in loops:
        start = loop.index(min(loop))
        seen.setdefault((*loop[start:], *loop[:start]), tuple(loop))
    return tuple(seen.values())


def cumulative(opportunities, links, before, graph: ActorGraph) -> CumulativeImpact:
    """Apply the listed opportunities together, in group then rank order: each takes
    what its predecessors left of its stream, within what they left of its receiver's
    capacity group and of the group that one lies within (or of the primary input it
    replaces, which a redirect cuts by what it moves times its substitution ratio, as its
    own edits do: :func:`opportunity_edits`); one whose stream, receiver or primary input
    is used up is skipped, with
    the one that took the last of it; one whose receiver has no capacity known
    (:attr:`~.result.Opportunity.unbounded`) is left out, what is left of its stream
    left to the others: its size is unknown, and the whole stream would be read as
    achievable; so is one of an ``emerging`` pathway (research or pilot scale: its
    quantity is what the stream offers, not what a plant of that stage takes). Each
    listed row is in one list, the first that applies: ``emerging``, ``unbounded``,
    then ``applied`` or ``skipped``. The
    accounts move by the amounts taken; loops are searched in the actor graph with every
    new link added. O(k) plus one search per new link."""
    remaining: dict[tuple, float | None] = {}  # what is left of a stream
    limits = _Limits()  # of the primary inputs and capacity groups
    taker: dict[tuple, tuple[str, int]] = {}  # the last to take from a stream
    added_plants: set[str] = set()
    edits: list[ed.Edit] = []
    applied, skipped, unbounded, emerging, moved, new_links = [], [], [], [], {}, []
    after = {d: dict(f) for d, f in before.items()}
    for o, link in zip(opportunities, links, strict=True):
        here = (o.group, o.rank)
        key = (o.source, o.stream_target, o.material, o.flow_row)
        # left out before anything is taken, whatever else applies (emerging first): a
        # pathway at pilot scale is said to be one even where its stream is used up
        if o.maturity == EMERGING or o.unbounded:  # its stream left to the others
            (emerging if o.maturity == EMERGING else unbounded).append(here)
            continue
        left = remaining.get(key, o.stream_quantity)
        if key in remaining and (left is None or left <= 0):
            skipped.append(Skipped(*here, "stream", taker[key]))
            continue
        amount = None if key not in remaining else left
        # a stream of unknown size is redirected whole, of no size known: it takes from
        # no limit and moves nothing in the sums (as its own impact, and a recount, say)
        bounds = _bounds(o) if left is not None else []
        if bounds:
            # what is left of each limit, in units of the stream (a purchase over the ratio)
            room = [limits.left(bound, limit) / per for bound, limit, per in bounds]
            amount = min(left, *room)
            if amount <= 0:
                spent = next((b for (b, _, _), r in zip(bounds, room, strict=True) if r <= 0),
                             bounds[0][0])  # fmt: skip
                used_up = "primary input" if spent[0] == "primary" else "capacity"
                # by None: no room from the start (a demand row's total below what its
                # firm takes now), not used up by an earlier one, nor by itself
                skipped.append(Skipped(*here, used_up, limits.taker.get(spent)))
                continue
            for bound, limit, per in bounds:
                limits.take(bound, limits.left(bound, limit), amount * per, here)
        step = opportunity_edits(o, quantity=amount, add_plant=o.target not in added_plants)
        if o.kind == "redirect":
            step = _compound(step, edits)
        if o.new_plant:
            added_plants.add(o.target)
        elif link is not None:  # in-house: no link between firms
            new_links.append(link)
        edits.extend(step)
        applied.append(here)
        taker[key] = here
        taken = left if amount is None else amount
        remaining[key] = 0.0 if left is None else left - (taken or 0.0)
        if o.dimension and taken is not None:
            moved[o.dimension] = moved.get(o.dimension, 0.0) + taken
        after = _moved_accounts(after, o, taken)
    ordered = ed.sort_edits(edits)
    share, rate = _compare(_shares(before), _shares(_nonzero(after)))
    links = list(dict.fromkeys(new_links))
    loops = [graph.loop(s, t, extra=links, new_only=False) for s, t in links
             if not graph.has_edge(s, t)]  # fmt: skip
    return CumulativeImpact(
        applied=tuple(applied),
        skipped=tuple(skipped),
        moved=moved,
        impact=Impact(share, rate, distinct_cycles(loop for loop in loops if loop), len(ordered)),
        edits=tuple(ordered),
        unbounded=tuple(unbounded),
        emerging=tuple(emerging),
    )


def _bounds(o: Opportunity) -> list[tuple[tuple, float, float]]:
    """The limits an opportunity takes from besides its stream, each ``(key, whole
    limit, what one unit of the stream takes of it)``: the primary input a redirect
    replaces (the stream's substitution ratio of it per unit, as its own edits cut it);
    its capacity group (a redirect's too: a demand row bounds it before the input it
    replaces), the group that one lies within and the one around that (one unit per
    unit)."""
    bounds = []
    if o.kind == "redirect":
        primary = ("primary", o.target, o.replaces["material"])
        bounds.append((primary, o.replaces["quantity"] or 0.0, _ratio(o)))
    if o.capacity is not None:
        bounds.append((("capacity", o.capacity_group), o.capacity["limit"], 1.0))
        within = o.capacity.get("within")
        if within is not None and o.capacity_within_group >= 0:
            bounds.append((("capacity", o.capacity_within_group), within["limit"], 1.0))
            around = within.get("within")
            if around is not None and o.capacity_around_group >= 0:
                bounds.append((("capacity", o.capacity_around_group), around["limit"], 1.0))
    return bounds


class _Limits:
    """What the opportunities applied so far left of each limit (by key), and the last
    (group, rank) that took from it."""

    def __init__(self) -> None:
        self.amount: dict[tuple, float] = {}
        self.taker: dict[tuple, tuple[str, int]] = {}

    def left(self, key: tuple, whole: float) -> float:
        return self.amount.get(key, whole)

    def take(self, key: tuple, left: float, amount: float, by: tuple[str, int]) -> None:
        self.amount[key] = left - amount
        self.taker[key] = by


def _nonzero(accounts):
    """The accounts without fates moved down to nothing (as a recount would give)."""
    return {d: {f: v for f, v in fates.items() if v} for d, fates in accounts.items()}


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


def impact_basis(graph: ActorGraph) -> None:
    """What the impact of the listed opportunities reads and no ranking changes: the
    fates' accounts and the actor graph with its condensation (cached on the core, as
    the structure pass reads it too), made beside the ranking (at a million flows, 0.15 s
    beside the ranking's 0.29 s)."""
    accounts(graph.network)
    graph.prepare()


def new_link(table, i: int, streams) -> tuple[int, int] | None:
    """(sender, receiver) node positions of an opportunity's new link; None for a plant
    and for the stream's own source (in-house: a firm's own reuse closes no loop of
    exchanges, :mod:`.in_house`)."""
    row = table.take([i])
    receiver, sender = int(row.receiver[0]), int(streams.source_position[row.stream[0]])
    return None if receiver < 0 or receiver == sender else (sender, receiver)
