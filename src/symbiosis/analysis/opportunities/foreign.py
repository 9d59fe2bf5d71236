"""Foreign inputs: the bound of a receiver that takes none of the stream's kind.

What a receiver takes now of the stream's taxonomy family is the record of how much of
that kind of input its process uses: it may take as much again (:mod:`.intake`). A
receiver that takes none of the family has no such record. What it takes of other
materials is the size of another process, not of this input: a pine-nut plant's 45 kt of
cones says nothing of the CO2 it could use, nor a coal washing plant's 30 Mt of raw coal
of the gasification slag its flotation circuit could float. A catalogue row's receiver
of that kind (``foreign``: it takes something recorded in the stream's dimension, none of
the family) is bounded by what the catalogue says such an input can be in a plant of its
kind, the first that applies:

1. the row's ``max_share`` of the receiver's throughput (:func:`.intake.share_bounds`);
2. the row's typical intake (``receiver_capacity``): what one plant of the kind takes of
   it (:func:`typical_bounds`; food-grade CO2, 2.4 kt: a brewery's; a PCC satellite
   plant, 18 kt of CO2);
3. for a row whose ``role`` is ``additive`` or ``fuel`` and which gives neither, a few
   percent of the throughput (:data:`ROLE_SHARES`, :func:`role_shares`): such a row is a
   minor input of a plant built for something else (a corrective, a reagent, a substitute
   fuel); the rows of one use share it (the kiln's substitute fuels for coal together);

each at most as much again as the receiver's whole recorded intake in the stream's
dimension (the ceiling of all it may take; the bound's group lies within that intake's).
A row of none of these (a feedstock or a utility of no typical intake) has no size known:
the candidate is *unbounded*, listed with the whole stream as an upper bound and left out
of every total, as a receiver that takes nothing recorded in the dimension has been.

Until the tester-cities5 round such a receiver took as much again as its whole intake: a
pine-nut plant 45 kt of a coal boiler's CO2, ranked first, and a washing plant 800 kt of
gasification slag; Yichun's listed opportunities together took the mass reuse share from
4.2 % to 19.3 %, 190 of the 196 kt moved being CO2.

Complexity: O(r) for r rows, plus the typical intakes (O(r)) and the throughputs
(:func:`.intake.throughputs`).
"""

from __future__ import annotations

import numpy as np

from ..._sorting import unique
from .intake import (
    IntakeLimits,
    _code,
    _into,
    _looked_up,
    _summed_intakes,
    intake_class,
    typical_fits,
    typical_limits,
)

__all__ = ["ROLE_SHARES", "peer_bounds", "role_shares", "typical_bounds"]

#: The share of its throughput that a receiver taking none of the stream's family may
#: take of an ``additive`` or a ``fuel`` whose catalogue row states no ``max_share`` or
#: typical intake: "a few percent of a plant built for another feed", as the catalogue
#: defines an additive (docs/opportunities.md, *No plant built for a minor input*). The
#: shipped rows that state one for a minor input give 2-8.6 % (spent pot lining 2 %,
#: washed MSWI fly ash 3 %, iron correctives 7.5 %, set retarders 8.6 %); sewage sludge
#: blended into coal up to 10 % by mass still burns like coal (Energies 2024, 17(11),
#: 2457, doi:10.3390/en17112457). An assumption of the role, not a measurement: a
#: ``max_share`` in the row, or a ``demands.csv`` row, says more.
ROLE_SHARES = {"additive": 0.05, "fuel": 0.05}


def role_shares(ctx) -> np.ndarray:
    """Per catalogue row, the share of :data:`ROLE_SHARES` for its role when the row
    states no ``max_share`` and no typical intake, NaN otherwise. Cached on the context;
    O(rows)."""
    cache = ctx.__dict__
    if "_role_shares" not in cache:
        pathways = ctx.catalogue.pathways
        role = pathways["role"].to_numpy(dtype=object)
        share = np.array([ROLE_SHARES.get(r, np.nan) for r in role.tolist()], dtype=float)
        stated = ~np.isnan(pathways["share"].to_numpy(dtype=float))
        stated |= ~np.isnan(pathways["capacity"].to_numpy(dtype=float))
        cache["_role_shares"] = np.where(stated, np.nan, share)
    return cache["_role_shares"]


def typical_bounds(ctx, candidates, rows, limits: IntakeLimits) -> IntakeLimits:
    """The :class:`~.intake.IntakeLimits` of the candidates at ``rows`` with, for each
    foreign row (module docstring) that no share bounds and whose stream has a family
    (or a material of its own), its catalogue row's typical intake in the stream's
    dimension (:func:`.intake.typical_limits`: one per receiver, dimension and family,
    the largest of its rows), or the receiver's whole intake where that is smaller. The
    row keeps its family's group code, which lies within the whole intake's. O(r)."""
    at = np.flatnonzero(limits.foreign & np.isnan(limits.limit) & (limits.wanted >= 0))
    if len(at):
        at = at[typical_fits(ctx, candidates, rows[at])]
    if not len(at):
        return limits
    _, _, typical, chosen = typical_limits(ctx, candidates, rows[at], candidates.receiver)
    whole = limits.whole_limit[at]
    smaller = typical < whole  # one answer per group: its receiver's, of its largest row
    out = {f: getattr(limits, f).copy() for f in ("code", "limit", "wanted")}
    out["limit"][at] = np.where(smaller, typical, whole)
    ceiling = at[~smaller]  # a plant smaller than one of its kind: all it takes, again
    out["code"][ceiling], out["wanted"][ceiling] = limits.whole_code[ceiling], -1
    kept = limits.fresh("typical")
    kept[at[smaller]] = chosen[smaller]
    return limits._replace(**out, typical=kept)


def peer_bounds(ctx, candidates, rows, peer, limits: IntakeLimits) -> IntakeLimits:
    """The :class:`~.intake.IntakeLimits` of the candidates at ``rows`` with, for each
    ``peer`` of a taker (network evidence: a firm of its sector takes the stream's
    material, it takes none), as much as the firm of its sector that takes the most of the
    stream's family takes of it, in the stream's dimension: the network's own record of a
    plant of its kind using that input. At most as much again as its whole intake there
    (that bound where it is smaller); none when no firm of its sector takes the family in
    that dimension. One group per receiver, family and dimension, apart from the family
    groups (:func:`.intake._code` shifted past them), within its whole intake. O(r), plus
    the flows into the firms of the peers' sectors."""
    at = np.flatnonzero(peer)
    stream = candidates.stream[rows[at]]
    key, dims = ctx.streams.key_code[stream], ctx.streams.dimension[stream].astype(np.int64)
    known = (key >= 0) & (dims >= 0)
    at, key, dims = at[known], key[known], dims[known]
    if not len(at):
        return limits
    klass = intake_class(ctx)
    n_classes = int(klass.max(initial=-1)) + 1
    wanted = klass[key].astype(np.int64)
    receiver = candidates.receiver[rows[at]].astype(np.int64)
    sector = ctx.core.sector_code[receiver].astype(np.int64)
    most = _looked_up(*_sector_most(ctx, np.asarray(unique(sector)), n_classes),
                      _code(sector, wanted, dims + 1, n_classes))  # fmt: skip
    whole = limits.whole_limit[at]
    smaller = most < whole  # NaN (none of its sector takes it there): no bound
    out = {f: getattr(limits, f).copy() for f in ("code", "limit", "wanted")}
    out["limit"][at] = np.where(smaller | np.isnan(most), most, whole)
    mine = at[smaller]
    span = ctx.core.n_nodes * (n_classes + 1) * 4  # past every intake group's code
    out["code"][mine] = _code(receiver, wanted, dims + 1, n_classes)[smaller] + span
    out["wanted"][mine] = wanted[smaller]  # so within the whole intake's group
    marked = limits.fresh("peer")
    marked[mine] = 1.0
    return limits._replace(**out, peer=marked)


def _sector_most(ctx, sectors: np.ndarray, n_classes: int) -> tuple[np.ndarray, np.ndarray]:
    """Per (sector, intake class, dimension) of the ``sectors`` (the core's sector codes):
    the most one actor of the sector takes, as codes (:func:`.intake._code` with the sector
    for the receiver, sorted) and quantities. O(f + i log i) for the i flows into the
    actors of those sectors."""
    core = ctx.core
    codes, values = _summed_intakes(ctx, _into(core, np.isin(core.sector_code, sectors)))
    width = (n_classes + 1) * 4
    node = codes // width
    key = core.sector_code[node].astype(np.int64) * width + (codes - node * width)
    distinct, inverse = unique(key, return_inverse=True)
    most = np.full(len(distinct), -np.inf)
    np.maximum.at(most, inverse, values)
    return distinct, most
