"""Redirects: streams sent to actors that buy their material, or a substitute of it.

A redirect proposes that a stream now sold to the market or disposed of go to an existing
actor that buys the same material, or a primary material a catalogue row says the stream
replaces (its ``substitutes``), from primary supply: a market, the environment or an
extraction actor. For a substitute the taker must be of the row's receiving sector (its
pool, :mod:`.pools`), and is chosen among those buyers only (:func:`redirect_candidates`).
The quantity is bounded by the input replaced (:func:`replaceable`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..._sorting import lexorder
from ...units import DIMENSIONS
from ...vocabulary import CATEGORIES, ROLES
from .candidates import WEAK_CODES, Candidates, Pairs, constant
from .carriers import comparable, metered
from .pools import pools, row_pools
from .receivers import Context, choose
from .result import KINDS
from .streams import sorted_unique

__all__ = ["primary_mask", "redirect_candidates", "replaceable", "substitution_ratios"]

_PRIMARY_ROLES = ("market", "environment", "extraction")
_REDIRECT = np.int8(KINDS.index("redirect"))


def primary_mask(ctx: Context) -> np.ndarray:
    """Known-size product flows into actors from markets, the environment or extraction.
    O(f), cached on the core."""
    core = ctx.core

    def build() -> np.ndarray:
        roles = [ROLES.index(r) for r in _PRIMARY_ROLES]
        return (
            core.target_is_actor
            & np.isin(core.role_code, roles)[core.source]
            & (core.category == CATEGORIES.index("product"))
            & (core.dimension >= 0)
        )

    return core.cached(("opportunities", "primary_mask"), build)


@dataclass(frozen=True, eq=False)
class _Primary:
    """Primary inputs summed per (material key, dimension, receiver), sorted so."""

    group: np.ndarray  # key * n_dimensions + dimension
    receiver: np.ndarray
    value: np.ndarray

    def takers(self, group: int) -> tuple[np.ndarray, np.ndarray]:
        lo, hi = np.searchsorted(self.group, [group, group + 1])
        return self.receiver[lo:hi], self.value[lo:hi]


def _primary_inputs(ctx: Context) -> _Primary:
    core = ctx.core
    mask = primary_mask(ctx)
    dims = len(DIMENSIONS)
    group = core.material_key_code[mask].astype(np.int64) * dims + core.dimension[mask]
    receiver, value = core.target[mask], core.value[mask]
    composite = group * (core.n_nodes + 1) + receiver
    order = lexorder(composite)
    composite, value = composite[order], value[order]
    first = np.r_[True, composite[1:] != composite[:-1]] if len(composite) else np.zeros(0, bool)
    starts = np.flatnonzero(first)
    sums = np.add.reduceat(value, starts) if len(starts) else np.zeros(0)
    unique = composite[starts]
    return _Primary(unique // (core.n_nodes + 1), unique % (core.n_nodes + 1), sums)


def _wanted(ctx: Context, pairs: Pairs, primary: _Primary, rules: tuple[str, ...]):
    """(stream, key code, pathway, rule) rows a redirect could serve: the stream's own
    material (rule ``same material``), then each substitute of each matched row, in
    pairs order (rule ``substitutes <key>``, or the match's own rule when it is weak:
    ``taxonomy (family)``). Only keys some actor buys from primary supply are kept, and
    of a row of another dimension than the stream's only those its ratio relates to the
    stream (:func:`.carriers.comparable`)."""
    streams = ctx.streams
    known = np.flatnonzero(~np.isnan(streams.value) & (streams.fate_code != 3))
    bought_keys = primary.group // len(DIMENSIONS)
    same = known[np.isin(streams.key_code[known], bought_keys)]
    parts = [(same, streams.key_code[same], np.full(len(same), -1), np.full(len(same), 3))]
    if len(pairs):
        is_known = np.zeros(len(streams), dtype=bool)
        is_known[known] = True
        usable = np.flatnonzero(is_known[pairs.stream])
        path = pairs.pathway[usable]
        # only the substitutes bought from primary supply: the pairs of the others would
        # be dropped below (the same rows, in the same order, fewer built)
        count_of, start_of, bought = ctx.substitutes_where(
            np.isin(ctx.substitute_code, bought_keys)
        )
        count = count_of[path]
        row = np.repeat(usable, count)
        offset = np.arange(len(row)) - np.repeat(np.cumsum(count) - count, count)
        flat = bought[np.repeat(start_of[path], count) + offset]
        code = {rule: i for i, rule in enumerate(rules)}
        codes = [code["substitutes " + t] for t in ctx.substitute_text]
        # a row met only through the family keeps that weak rule: what the row documents
        # is another material of it, demonstrated at most (.result.match_maturity)
        met = pairs.rule[row]
        rule = np.where(np.isin(met, WEAK_CODES), met, np.array(codes, dtype=np.int64)[flat])
        stream, key, path = pairs.stream[row], ctx.substitute_code[flat], pairs.pathway[row]
        if metered(ctx):  # steam in tonnes on a row of GJ replaces no fuel bought in tonnes
            fits = comparable(ctx, path, stream, key)
            stream, key, path, rule = stream[fits], key[fits], path[fits], rule[fits]
        parts.append((stream, key, path, rule))
    stream, key, path, rule = (np.concatenate(c) for c in zip(*parts, strict=True))
    return stream, key, path, rule


def redirect_candidates(ctx: Context, pairs: Pairs, rules: tuple[str, ...]) -> Candidates:
    """Actors that take the stream's material (or, in a pathway's receiving sector, a
    primary material the stream substitutes) from primary supply: up to ``per_stream``
    per stream and pathway, the nearest of those buyers that the row admits (its pool,
    :func:`.pools.row_pools`; any buyer for the same material). The buyers are narrowed to
    the sector before the nearest are chosen, so that nearer buyers of other sectors never
    crowd out the sector's. Grouped by (key, dimension) in order of first use; the
    quantity is the smaller of the stream and the primary input it replaces. ``rules``
    holds :func:`.candidates.catalogue_rules`. O(s log a) for the receivers, plus O(f) for the
    primary inputs."""
    streams = ctx.streams
    primary = _primary_inputs(ctx)
    if not len(primary.group) or not len(streams):
        return Candidates.empty()
    stream, key, path, rule = _wanted(ctx, pairs, primary, rules)
    group = key * len(DIMENSIONS) + streams.dimension[stream]
    number, codes = pd.factorize(group)  # (key, dimension) groups in order of first use
    by_group = lexorder(number)
    bounds = np.searchsorted(number[by_group], np.arange(len(codes) + 1))
    pool_of = np.where(path >= 0, row_pools(ctx)[np.maximum(path, 0)], -1)  # -1: any buyer
    sector_pools = pools(ctx, pool_of[pool_of >= 0])
    found = []
    slot = np.empty(ctx.core.n_nodes, dtype=np.intp)  # a taker's place among its group's
    for g, code in enumerate(codes):
        receivers, values = primary.takers(int(code))
        if not len(receivers):
            continue
        slot[receivers] = np.arange(len(receivers))  # receivers: distinct, ascending
        in_group = by_group[bounds[g] : bounds[g + 1]]  # ascending: the sort is stable
        parts = []
        for rows, pool in _taker_pools(ctx, in_group, pool_of[in_group], receivers, sector_pools):
            ids = np.asarray(sorted_unique(stream[rows]))  # the array alone (typed as one)
            at = np.searchsorted(ids, stream[rows])
            index, receiver, distance = choose(ctx, ids, pool).expand(at, none=False)
            parts.append((rows[index], receiver, distance))
        if len(parts) > 1:  # back in row order, as one pool gives them (each row is in one)
            rows, receiver, distance = (np.concatenate(c) for c in zip(*parts, strict=True))
            order = np.argsort(rows, kind="stable")
            parts = [(rows[order], receiver[order], distance[order])]
        found += [(rows, receiver, distance, values[slot[receiver]])
                  for rows, receiver, distance in parts]  # fmt: skip
    if not found:
        return Candidates.empty()
    rows, receiver, distance, replaced = (np.concatenate(c) for c in zip(*found, strict=True))
    path = path[rows]
    chosen_stream = stream[rows]
    return Candidates(
        stream=chosen_stream,
        pathway=path,
        rule=rule[rows],
        kind=np.full(len(rows), _REDIRECT, dtype=np.int8),
        receiver=receiver,
        sector=np.where(path >= 0, ctx.path_sector[np.maximum(path, 0)], 0),
        distance_km=distance,
        quantity=_at_most(streams.value[chosen_stream], replaceable(ctx, path, replaced)),
        replaced=replaced,
        replaced_key=key[rows],
        capacity=constant(np.nan, len(rows), float),
        capacity_group=constant(-1, len(rows), np.int32),
    )


def _taker_pools(
    ctx: Context, rows: np.ndarray, pool_of: np.ndarray, receivers: np.ndarray,
    sector_pools: dict[int, np.ndarray],
) -> list[tuple[np.ndarray, np.ndarray]]:  # fmt: skip
    """The rows of one (key, dimension) group split by the actors they may be redirected
    to: ``receivers`` (the group's buyers, ascending) for a row of code -1 in ``pool_of``,
    else those of them in the row's pool (``sector_pools``; rows of an empty one left
    out). Pool codes that leave the same actors share one part (every buyer in the sector:
    one part, as without a sector), so that each distinct set is chosen from once; each
    part's rows ascending. O(rows + pool actors)."""
    codes = np.asarray(sorted_unique(pool_of))
    if len(codes) == 1 and codes[0] < 0:
        return [(rows, receivers)]
    member = np.zeros(ctx.core.n_nodes, dtype=bool)
    taker_sets: dict[bytes, tuple[np.ndarray, list[int]]] = {}
    for code in codes.tolist():
        if code < 0:
            takers = receivers
        else:
            pool = sector_pools.get(code)
            if pool is None:
                continue
            member[pool] = True
            takers = receivers[member[receivers]]
            member[pool] = False
            if not len(takers):
                continue
        taker_sets.setdefault(takers.tobytes(), (takers, []))[1].append(code)
    return [(rows[np.isin(pool_of, same)], takers) for takers, same in taker_sets.values()]


def replaceable(ctx: Context, path: np.ndarray, replaced: np.ndarray) -> np.ndarray:
    """How much of a stream a redirect's primary input ``replaced`` can take: the input
    itself for the same material (``path`` -1); for a catalogue row's substitute, the
    input over the row's ``substitution_ratio`` (t replaced per t of the stream; 1 when
    not given), but NaN (no bound known) for a ``fuel`` row without one, or with one
    below 1: a tonne of municipal waste (5-8 GJ) is no tonne of coal (25 GJ), and a
    tonne of wet sludge, 0.1 t of coal by its heat, cannot replace all of a kiln's coal
    at ten tonnes for one (its water and ash limit it to a few percent of the fuel, not
    its heat): the co-processing line, or the fuel role's share of the receiver's
    throughput, bounds it (:mod:`.capacity`, :mod:`.foreign`). A fuel at least as rich
    as the one it replaces (petroleum coke for coal, 1.3) may replace all of it. O(r)."""
    pathways = ctx.catalogue.pathways
    # per catalogue row, then one gather per redirect (not a text comparison of each);
    # the last entry, read by path -1, is the same material's
    given = pathways["ratio"].to_numpy(dtype=float) >= 1
    unbounded = np.append((pathways["role"].to_numpy(dtype=object) == "fuel") & ~given, False)
    converted = replaced / substitution_ratios(ctx, path)
    converted[unbounded[path]] = np.nan
    return converted


def substitution_ratios(ctx: Context, path: np.ndarray) -> np.ndarray:
    """Per redirect of catalogue row ``path``, the primary input one unit of the stream
    replaces: the row's ``substitution_ratio``, 1 when it gives none, and 1 for the same
    material (``path`` -1). What a redirect of ``q`` cuts from the purchase is ``q``
    times this (at most the purchase: :mod:`.impact`), and what it saves ``q`` times this
    times the purchase's price (:mod:`.economics`); a ``fuel`` row without one is taken
    tonne for tonne there, the catalogue giving no better (it bounds no capacity:
    :func:`replaceable`). O(r)."""
    ratio = ctx.catalogue.pathways["ratio"].to_numpy(dtype=float)
    return np.append(np.where(ratio > 0, ratio, 1.0), 1.0)[path]  # path -1: the last, 1


def _at_most(quantity: np.ndarray, limit: np.ndarray) -> np.ndarray:
    """The quantity cut to the limit where there is one (NaN: none)."""
    return np.where(np.isnan(limit), quantity, np.minimum(quantity, limit))
