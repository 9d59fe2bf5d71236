"""Symbiosis and chain-extension opportunities: where a stream that leaves could be an input.

The engine looks at every stream that leaves the system from an actor and asks, with the
pathway catalogue (:mod:`symbiosis.catalogue`), who inside the network could take it, or
which plant is missing to take it. These are **candidates for study, not verified
exchanges**: each says which catalogue row and which matching rule proposed it, and with
what source, but quality, contamination, logistics, prices and contracts are not checked.

Streams
    A *stream* is a flow from an actor to a boundary node. Its ``fate`` is ``disposed``
    (to a disposal node), ``emitted`` (to the environment) or ``sold`` (a by-product, waste
    or emission sold raw to the market); a ``product`` sold to the market is a candidate for
    *downstream* processing when the catalogue lists a further stage for it.

Opportunity kinds (one per stream and receiver; the strongest kind wins)
    ``redirect``
        An actor already takes the same material (same key), or a primary material that the
        stream substitutes for (the row's ``substitutes``), from primary supply: a market or
        environment node, or an extraction actor. The stream replaces that input: the
        quantity is the smaller of the two, and the primary input is cut by as much.
    ``expand``
        An actor of a receiving sector already takes this material (from anyone); it could
        take this stream too.
    ``new_link``
        An actor of a receiving sector is in the network but takes nothing of the material.
    ``new_plant``
        No actor of the receiving sector is in the network (or within ``max_distance_km``):
        a plant would have to be built. Such proposals are also grouped by sector with the
        total feed available (:class:`PlantProposal`): chain extension.
    ``downstream``
        A product leaving at an early stage (``product`` rows of the catalogue: copper
        cathode to rod, wire, foil) could be processed further by an actor of the downstream
        sector, or by a new plant (``new_plant`` is then true).

    The stream's own source is never its receiver. For each stream and receiving sector at
    most ``receivers_per_stream`` actors are proposed: the nearest ones when coordinates
    are known, else those with the most input flows (ties by firms-table order).

Matching
    Materials: :meth:`symbiosis.catalogue.Catalogue.match` (key of the name, synonyms, or a
    ``material_code`` column on both sides). Sectors: the catalogue's sector vocabulary
    (whole-word terms, leftmost-longest). A row with a ``dimension`` only matches streams
    of that dimension.

Ranking
    Opportunities are ranked in three groups, in this order: streams disposed or emitted,
    residues sold raw, and early-stage products (downstream); ``top`` applies to each
    group. The alternatives for one stream are ordered first: pathways of emerging
    maturity last; otherwise actors already in the network (redirect, expand, new link)
    before new plants, then the more mature pathway (established, then demonstrated or
    unknown; a redirect to an actor that already buys the same material counts as
    established), then the nearest receiver. Each stream's first alternative comes before
    any second one, and so on. Within one round (``rank_by="quantity"``, the default) by
    the quantity that could be reused, *within each dimension*, the
    dimensions taking turns (the largest mass, the largest energy, the largest volume, the
    second largest mass, ...), since tonnes and gigajoules are never compared;
    ``rank_by="distance"``: the nearest first (unknown distances last); ``rank_by="value"``:
    the largest value first, where value = quantity moved x the stream's ``price`` (per
    unit of the flow's own unit) when flows have a price column. Streams of unknown size
    come last.

Impact
    For each listed opportunity (the ``top`` of each group), its edits
    (:mod:`symbiosis.edits`) are applied to a copy of the network and the reuse share and
    utilisation rate of :mod:`symbiosis.analysis.reuse` are computed again; a new
    actor-to-actor link closes a loop when the receiver already reaches the sender (the
    shortest such loop is reported). The cumulative effect applies the listed opportunities
    in rank order, each taking what its predecessors left of its stream (an opportunity on
    an exhausted stream is skipped as an alternative).

Complexity
    Streams O(f); catalogue matching one lookup per distinct material; receivers per
    (stream, sector) by a k-d tree query, O(s log a) for s stream-sector pairs and a
    actors, or O(s k) without coordinates; never all pairs. Impact: O(f) per listed
    opportunity plus one breadth-first search O(a + m); so O(f (1 + L)) for L listed
    opportunities (measured in benchmarks/bench_opportunities.py).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd
import scipy.sparse as sp
from scipy.sparse.csgraph import breadth_first_order

from .. import edits as ed
from ..catalogue import Catalogue, default_catalogue, normalise_code
from ..errors import InputError
from ..model import FlowNetwork
from ..units import CANONICAL_UNITS, DIMENSIONS
from ..vocabulary import RESIDUAL_CATEGORIES
from .reuse import FATE_OF_ROLE

__all__ = [
    "FATES",
    "GROUPS",
    "KINDS",
    "RANK_BY",
    "CumulativeImpact",
    "Impact",
    "Opportunities",
    "Opportunity",
    "PlantProposal",
    "find_opportunities",
    "opportunity_edits",
]

KINDS: tuple[str, ...] = ("redirect", "expand", "new_link", "new_plant", "downstream")
FATES: tuple[str, ...] = ("disposed", "emitted", "sold", "product")
GROUPS: dict[str, tuple[str, ...]] = {
    "dumped": ("disposed", "emitted"),
    "sold": ("sold",),
    "downstream": ("product",),
}
RANK_BY: tuple[str, ...] = ("quantity", "distance", "value")
CAVEAT = (
    "Candidates for study, not verified exchanges: quality, contamination, logistics, "
    "capacity, prices and contracts are not checked."
)
_KIND_ORDER = {kind: i for i, kind in enumerate(KINDS)}
_MATURITY_TIER = {"established": 0, "demonstrated": 1, "": 1, "emerging": 2}
_EARTH_RADIUS_KM = 6371.0088


# ============================================================================ results


@dataclass(frozen=True)
class Impact:
    """What one opportunity (or a set of them) would change, by applying its edits.

    ``reuse_share`` and ``utilization_rate`` map each dimension to ``(before, after)``;
    ``loops`` are the new actor loops closed (each a tuple of firm ids, starting at the
    sender); ``edits`` the number of edits applied.
    """

    reuse_share: dict[str, tuple[float | None, float | None]]
    utilization_rate: dict[str, tuple[float | None, float | None]]
    loops: tuple[tuple[str, ...], ...]
    edits: int

    @property
    def closes_loop(self) -> bool:
        return bool(self.loops)

    def to_dict(self) -> dict[str, Any]:
        return {
            "reuse_share": {d: {"before": b, "after": a} for d, (b, a) in self.reuse_share.items()},
            "utilization_rate": {
                d: {"before": b, "after": a} for d, (b, a) in self.utilization_rate.items()
            },
            "closes_loop": self.closes_loop,
            "loops": [list(loop) for loop in self.loops],
            "edits": self.edits,
        }


@dataclass(frozen=True)
class Opportunity:
    """One candidate: a stream, where it could go, why, and what it would change.

    ``quantity`` is in the canonical unit of ``dimension`` per year (``None`` when the
    stream's size is unknown); ``stream_quantity`` is the whole stream. ``target`` is the
    receiving actor's id, or the id a proposed plant would get (``new_plant`` true).
    ``evidence`` lists the catalogue rows behind it (id, rule, receiving sector, product,
    maturity, source, file and row); a redirect on the same material has a row with id
    ``None`` and rule ``same material``. ``replaces`` names the primary input a redirect
    substitutes (supplier ids, material, quantity).
    """

    rank: int
    group: str
    kind: str
    fate: str
    source: str
    source_name: str
    material: str
    category: str
    stream_target: str
    dimension: str | None
    unit: str | None
    quantity: float | None
    stream_quantity: float | None
    target: str
    target_name: str
    target_sector: str
    new_plant: bool
    distance_km: float | None
    value: float | None
    maturity: str
    evidence: tuple[dict[str, Any], ...]
    replaces: dict[str, Any] | None = None
    impact: Impact | None = None
    edits: tuple[ed.Edit, ...] = field(default=(), repr=False)
    target_role: str = field(default="firm", repr=False)
    stream_unit: str | None = field(default=None, repr=False)
    stream_amount: float | None = field(default=None, repr=False)
    flow_row: int | None = field(default=None, repr=False)

    @property
    def pathway(self) -> str | None:
        """The id of the main catalogue row (``None`` for a same-material redirect)."""
        return self.evidence[0]["id"] if self.evidence else None

    @property
    def sources(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(e["source"] for e in self.evidence if e.get("source")))

    def describe(self) -> str:
        """One line for people: what would move where."""
        amount = "" if self.quantity is None else f"{_short(self.quantity)} {self.unit} "
        where = f"a new {self.target_sector} plant" if self.new_plant else f"{self.target_name}"
        verb = {
            "redirect": "instead of primary supply, to",
            "expand": "to",
            "new_link": "to",
            "new_plant": "to",
            "downstream": "for further processing at",
        }[self.kind]
        return f"{amount}{self.material} from {self.source_name} {verb} {where}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "rank": self.rank,
            "group": self.group,
            "kind": self.kind,
            "fate": self.fate,
            "source": self.source,
            "source_name": self.source_name,
            "material": self.material,
            "category": self.category,
            "stream_target": self.stream_target,
            "dimension": self.dimension,
            "unit": self.unit,
            "quantity": _none(self.quantity),
            "stream_quantity": _none(self.stream_quantity),
            "target": self.target,
            "target_name": self.target_name,
            "target_sector": self.target_sector,
            "new_plant": self.new_plant,
            "distance_km": _none(self.distance_km),
            "value": _none(self.value),
            "maturity": self.maturity or None,
            "pathway": self.pathway,
            "description": self.describe(),
            "evidence": [dict(e) for e in self.evidence],
            "replaces": None if self.replaces is None else dict(self.replaces),
            "impact": None if self.impact is None else self.impact.to_dict(),
            "edits": [{"table": e.table, **e.to_dict()} for e in self.edits],
        }


@dataclass(frozen=True)
class PlantProposal:
    """Chain extension: a sector absent from the network, with the feed available to it.

    ``dumped`` and ``sold`` total, per dimension (canonical unit per year), the disposed or
    emitted and the sold-raw streams it could take; ``feeds`` lists them (source,
    material, fate, dimension, quantity); ``pathways`` the catalogue rows and ``products``
    what the plant would make.
    """

    sector: str
    plant_id: str
    dumped: dict[str, float]
    sold: dict[str, float]
    products_in: dict[str, float]
    feeds: tuple[dict[str, Any], ...]
    pathways: tuple[str, ...]
    products: tuple[str, ...]
    maturity: str
    sources: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "sector": self.sector,
            "plant_id": self.plant_id,
            "dumped": dict(self.dumped),
            "sold": dict(self.sold),
            "products_in": dict(self.products_in),
            "feeds": [dict(f) for f in self.feeds],
            "pathways": list(self.pathways),
            "products": list(self.products),
            "maturity": self.maturity or None,
            "sources": list(self.sources),
        }


@dataclass(frozen=True)
class CumulativeImpact:
    """The listed opportunities applied together, in rank order.

    ``applied`` are their ranks; ``skipped`` maps a rank to the rank whose stream it
    would have used (alternatives on the same stream); ``moved`` is the quantity moved per
    dimension; ``impact`` the before/after indicators and the loops closed.
    """

    applied: tuple[int, ...]
    skipped: dict[int, int]
    moved: dict[str, float]
    impact: Impact
    edits: tuple[ed.Edit, ...] = field(repr=False, default=())

    def to_dict(self) -> dict[str, Any]:
        return {
            "applied": list(self.applied),
            "skipped": {str(k): v for k, v in self.skipped.items()},
            "moved": dict(self.moved),
            **self.impact.to_dict(),
        }


@dataclass(frozen=True)
class Opportunities:
    """The result of :func:`find_opportunities`.

    ``listed`` are the opportunities reported in detail (the ``top`` of each group, with
    their impact); ``table`` every candidate found, ranked (one row per opportunity:
    :meth:`to_frame`); ``plants`` the new-plant proposals grouped by sector, largest
    disposed feed first; ``uncovered`` the streams for which the catalogue knows no
    pathway and no actor takes the material, summed by material and fate; ``counts`` the
    number of candidates per group and kind.
    """

    listed: tuple[Opportunity, ...]
    ranked: Any = field(repr=False, compare=False)  # builds ``table`` on first use
    plants: tuple[PlantProposal, ...]
    cumulative: CumulativeImpact | None
    uncovered: pd.DataFrame
    counts: dict[str, dict[str, int]]
    streams: int
    parameters: dict[str, Any]
    catalogue_files: tuple[str, ...]
    units: dict[str, str]
    caveat: str = CAVEAT

    @cached_property
    def table(self) -> pd.DataFrame:
        """Every candidate, ranked: one row per opportunity. Built on first use, O(c)."""
        return self.ranked()

    def __iter__(self):
        return iter(self.listed)

    def __len__(self) -> int:
        return len(self.listed)

    def group(self, name: str) -> tuple[Opportunity, ...]:
        return tuple(o for o in self.listed if o.group == name)

    def edits(self) -> list[ed.Edit]:
        """The edits that apply the listed opportunities together (scenario order)."""
        return [] if self.cumulative is None else list(self.cumulative.edits)

    def to_toml(self) -> str:
        """The listed opportunities as a scenario file (see :mod:`symbiosis.edits`)."""
        edits = self.edits()
        notes = _edit_comments(edits, self.listed)
        title = "Top opportunities found by symbiosis"
        description = (
            f"{len(self.cumulative.applied) if self.cumulative else 0} opportunities "
            f"applied together, in rank order. {self.caveat}"
        )
        return ed.to_toml(edits, title=title, description=description, comments=notes)

    def to_frame(self) -> pd.DataFrame:
        """Every candidate, ranked (what ``--format csv`` writes)."""
        return self.table

    def to_dict(self) -> dict[str, Any]:
        return {
            "caveat": self.caveat,
            "parameters": dict(self.parameters),
            "catalogue": list(self.catalogue_files),
            "units": dict(self.units),
            "streams": self.streams,
            "counts": {g: dict(c) for g, c in self.counts.items()},
            "opportunities": [o.to_dict() for o in self.listed],
            "plants": [p.to_dict() for p in self.plants],
            "cumulative": None if self.cumulative is None else self.cumulative.to_dict(),
            "uncovered": _records(self.uncovered),
        }


# ============================================================================ entry point


def find_opportunities(
    network: FlowNetwork,
    catalogue: Catalogue | None = None,
    *,
    top: int = 10,
    max_distance_km: float | None = None,
    receivers_per_stream: int = 3,
    kinds: tuple[str, ...] | list[str] | None = None,
    fates: tuple[str, ...] | list[str] | None = None,
    rank_by: str = "quantity",
    impact: bool = True,
) -> Opportunities:
    """Find where streams leaving the network could become inputs, ranked and sourced.

    Parameters
    ----------
    network : FlowNetwork
    catalogue : Catalogue, optional
        Default: the shipped catalogue (:func:`symbiosis.catalogue.default_catalogue`).
    top : int
        Opportunities listed in detail (with impact) per group; 0 lists none (the full
        ranked table is always in :attr:`Opportunities.table`).
    max_distance_km : float, optional
        Drop receivers farther than this (great-circle) from the stream's source; pairs
        without coordinates are kept.
    receivers_per_stream : int
        At most this many receiving actors per stream and receiving sector.
    kinds, fates : optional
        Keep only these kinds (:data:`KINDS`) or stream fates (:data:`FATES`).
    rank_by : {"quantity", "distance", "value"}
    impact : bool
        Compute the impact of the listed opportunities and their cumulative effect.

    Returns
    -------
    Opportunities

    Raises
    ------
    InputError
        For a bad parameter.

    Notes
    -----
    See the module docstring for the kinds, matching, ranking and cost.
    """
    _check_parameters(top, max_distance_km, receivers_per_stream, kinds, fates, rank_by)
    catalogue = catalogue or default_catalogue()
    streams = _streams(network)
    candidates = _candidates(network, catalogue, streams, max_distance_km, receivers_per_stream)
    candidates = _filtered(candidates, streams, kinds, fates)
    table = _ranked(candidates, streams, catalogue, rank_by)
    listed = _listed(table, top)
    wanted = np.zeros(len(streams), dtype=bool)
    wanted[listed["stream"].to_numpy()] = True
    behind = candidates[wanted[candidates["stream"].to_numpy()]]
    opportunities = [
        _opportunity(row, streams, network, catalogue, behind) for row in listed.itertuples()
    ]
    cumulative = None
    if impact and opportunities:
        accounts = _accounts(network)
        adjacency = _actor_adjacency(network)
        opportunities = [_with_impact(o, accounts, adjacency) for o in opportunities]
        cumulative = _cumulative(opportunities, network, accounts)
    plants = _plants(table, streams, network, catalogue)
    return Opportunities(
        listed=tuple(opportunities),
        ranked=lambda: _public_table(table, streams, network, catalogue),
        plants=plants,
        cumulative=cumulative,
        uncovered=_uncovered(streams, candidates),
        counts=_counts(table),
        streams=len(streams),
        parameters={
            "top": top,
            "max_distance_km": max_distance_km,
            "receivers_per_stream": receivers_per_stream,
            "kinds": list(kinds) if kinds else list(KINDS),
            "fates": list(fates) if fates else list(FATES),
            "rank_by": rank_by,
        },
        catalogue_files=catalogue.files,
        units={d: f"{CANONICAL_UNITS[d]}/yr" for d in network.dimensions},
    )


def _check_parameters(top, max_distance_km, per_stream, kinds, fates, rank_by) -> None:
    problems = []
    if not isinstance(top, int | np.integer) or top < 0:
        problems.append(f"top must be a whole number >= 0 (got {top!r})")
    if max_distance_km is not None and not (
        isinstance(max_distance_km, int | float) and max_distance_km > 0
    ):
        problems.append(f"max distance must be a number of km > 0 (got {max_distance_km!r})")
    if not isinstance(per_stream, int | np.integer) or per_stream < 1:
        problems.append(f"receivers per stream must be >= 1 (got {per_stream!r})")
    for name, values, allowed in (("kind", kinds, KINDS), ("fate", fates, FATES)):
        bad = [v for v in values or () if v not in allowed]
        if bad:
            problems.append(f"unknown {name} {', '.join(map(str, bad))}; use {', '.join(allowed)}")
    if rank_by not in RANK_BY:
        problems.append(f"rank_by must be one of {', '.join(RANK_BY)} (got {rank_by!r})")
    if problems:
        raise InputError("; ".join(problems))


# ============================================================================ streams


@dataclass(frozen=True)
class _Streams:
    """The streams leaving actors, as numpy arrays indexed 0..n-1 (``flow`` is the
    position in ``network.flows``)."""

    flow: np.ndarray
    source: np.ndarray
    target: np.ndarray
    material: np.ndarray
    key: np.ndarray
    category: np.ndarray
    quantity: np.ndarray
    unit: np.ndarray
    value: np.ndarray
    dimension: np.ndarray
    row: np.ndarray
    fate: np.ndarray
    source_position: np.ndarray
    price: np.ndarray
    codes: np.ndarray
    ambiguous: np.ndarray  # another flow has the same source, target and material key
    group_order: np.ndarray  # 0 disposed or emitted, 1 sold, 2 product

    def __len__(self) -> int:
        return len(self.flow)


def _streams(network: FlowNetwork) -> _Streams:
    """Flows from actors to boundary nodes with their fate. O(f), vectorised; only the
    leaving flows are converted to numpy object arrays."""
    flows = network.flows
    roles = network.firms["role"].to_numpy(dtype=object)
    target_role = roles[network.target_positions]
    residual = flows["category"].isin(RESIDUAL_CATEGORIES).to_numpy()
    leaving = network.source_is_actor & ~network.target_is_actor
    is_product = (flows["category"] == "product").to_numpy() & (target_role == "market")
    positions = np.flatnonzero(leaving & (residual | is_product))
    fate = _translate(target_role[positions], FATE_OF_ROLE, "")
    fate = np.where(is_product[positions], "product", fate).astype(object)

    def column(name, dtype=object):
        return flows[name].take(positions).to_numpy(dtype=dtype)

    key = column("material_key")
    # Another leaving flow with the same source, target and material: a selector needs
    # the row number (flows to actors never share a target with a stream).
    out = np.flatnonzero(leaving)
    out_keys = pd.factorize(flows["material_key"].take(out).to_numpy(dtype=object))[0]
    code = (network.source_positions[out].astype(np.int64) * (network.n_firms + 1)
            + network.target_positions[out]) * (out_keys.max(initial=0) + 1) + out_keys  # fmt: skip
    order = np.argsort(code, kind="stable")
    ordered = code[order]
    same = np.r_[False, ordered[1:] == ordered[:-1]]
    duplicated = np.zeros(len(out), dtype=bool)
    duplicated[order] = same | np.r_[same[1:], False]
    flag = np.zeros(len(flows), dtype=bool)
    flag[out] = duplicated
    if "material_code" in flows:
        raw = column("material_code")
        raw = np.where(pd.isna(raw), "", raw).astype(str)
        table = {t: tuple(normalise_code(c) for c in t.split(";") if c.strip()) for t in set(raw)}
        codes = np.empty(len(positions), dtype=object)
        codes[:] = [table[t] for t in raw]
    else:
        codes = np.empty(len(positions), dtype=object)
        codes[:] = [()] * len(positions)
    return _Streams(
        flow=positions,
        source=column("source"),
        target=column("target"),
        material=column("material"),
        key=key,
        category=column("category"),
        quantity=column("quantity", float),
        unit=column("unit"),
        value=column("value", float),
        dimension=column("dimension"),
        row=column("row", np.int64),
        fate=fate,
        source_position=network.source_positions[positions],
        price=column("price", float) if "price" in flows else np.full(len(positions), np.nan),
        codes=codes,
        ambiguous=flag[positions],
        group_order=np.where(
            is_product[positions], 2, np.where(target_role[positions] == "market", 1, 0)
        ).astype(np.int64),
    )


def _unique(values: np.ndarray) -> np.ndarray:
    """Sorted distinct values by sorting (numpy >= 2.3's hash-based np.unique is much
    slower on large integer arrays)."""
    values = np.sort(np.asarray(values))
    return values[np.r_[True, values[1:] != values[:-1]]] if len(values) else values


def _lookup(values: np.ndarray, table: dict, default: int) -> np.ndarray:
    """``table[v]`` for each value, as int64, through the distinct values (fast on large
    object arrays)."""
    codes, uniques = pd.factorize(np.asarray(values, dtype=object), use_na_sentinel=False)
    return np.array([table.get(u, default) for u in uniques], dtype=np.int64)[codes]


def _translate(values: np.ndarray, table: dict, default: Any = None) -> np.ndarray:
    """``table[v]`` for each value, as an object array, through the distinct values."""
    codes, uniques = pd.factorize(np.asarray(values, dtype=object), use_na_sentinel=False)
    out = np.empty(len(uniques), dtype=object)
    out[:] = [table.get(u, default) for u in uniques]
    return out[codes]


def _objects(frame: pd.DataFrame, values) -> pd.Series:
    """A column for ``frame.assign`` that stays a numpy object array."""
    return pd.Series(np.asarray(values, dtype=object), index=frame.index, dtype=object)


# ============================================================================ candidates


_CANDIDATE_COLUMNS = {
    "stream": "int64",
    "pathway": "int64",  # -1: no catalogue row (same-material redirect)
    "rule": "object",
    "kind": "object",
    "receiver": "int64",  # firm position, -1 for a new plant
    "sector": "object",  # normalised receiving sector ("" for a same-material redirect)
    "distance_km": "float64",
    "quantity": "float64",
    "replaced": "float64",  # redirect: the primary input's total in the stream's dimension
    "replaced_key": "object",
}


def _empty_candidates() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=t) for c, t in _CANDIDATE_COLUMNS.items()})


def _frame(**columns) -> pd.DataFrame:
    """A DataFrame whose text columns stay numpy object arrays: pandas would otherwise
    convert them to Arrow strings and back at every merge and lookup."""
    return pd.DataFrame(
        {
            k: pd.Series(v, dtype=object) if isinstance(v, np.ndarray) and v.dtype == object else v
            for k, v in columns.items()
        }
    )


def _candidates(network, catalogue, streams, max_distance_km, per_stream) -> pd.DataFrame:
    """Every (stream, receiver) candidate with its kind, pathway and rule."""
    geo = _Geo(network)
    pairs = _pathway_pairs(catalogue, streams)
    sector_candidates = _sector_candidates(
        network, catalogue, streams, pairs, geo, max_distance_km, per_stream
    )
    redirects = _redirect_candidates(
        network, catalogue, streams, pairs, geo, max_distance_km, per_stream
    )
    frames = [f for f in (sector_candidates, redirects) if len(f)]
    if not frames:
        return _empty_candidates()
    return pd.concat(frames, ignore_index=True)


def _pathway_pairs(catalogue: Catalogue, streams: _Streams) -> pd.DataFrame:
    """(stream, pathway, rule) for every catalogue row a stream matches. O(s + matches)."""
    empty = pd.DataFrame({"stream": np.zeros(0, np.int64), "pathway": np.zeros(0, np.int64),
                          "rule": np.zeros(0, object)})  # fmt: skip
    if not len(streams):
        return empty
    combo_id, uniques = pd.factorize(
        pd.Series(list(zip(streams.key, streams.codes, strict=True)), dtype=object)
    )
    rows = [
        (number, position, rule)
        for number, (key, codes) in enumerate(uniques)
        for position, rule in catalogue.match(key, codes)
    ]
    if not rows:
        return empty
    matches = pd.DataFrame(rows, columns=["combo", "pathway", "rule"]).astype({"rule": object})
    left = pd.DataFrame({"stream": np.arange(len(streams)), "combo": combo_id})
    pairs = left.merge(matches, on="combo").drop(columns="combo")
    path = pairs["pathway"].to_numpy()
    stream = pairs["stream"].to_numpy()
    pathways = catalogue.pathways
    downstream = pathways["downstream"].to_numpy(dtype=bool)[path]
    is_product = streams.fate[stream] == "product"
    row_dim = pathways["dimension"].to_numpy(dtype=object)[path]
    stream_dim = streams.dimension[stream]
    same_dim = (row_dim == "") | pd.isna(stream_dim) | (row_dim == stream_dim)
    return pairs[(downstream == is_product) & same_dim].reset_index(drop=True)


class _Geo:
    """Coordinates and size of the firms, shared by every receiver choice."""

    def __init__(self, network: FlowNetwork):
        self.lat = network.firms["lat"].to_numpy(dtype=float)
        self.lon = network.firms["lon"].to_numpy(dtype=float)
        self.located = ~np.isnan(self.lat) & ~np.isnan(self.lon)
        self.size = np.bincount(network.target_positions, minlength=network.n_firms)


def _sector_candidates(network, catalogue, streams, pairs, geo, max_distance_km, per_stream):
    if not len(pairs):
        return _empty_candidates()
    pathways = catalogue.pathways
    path = pairs["pathway"].to_numpy()
    pairs = pairs.assign(sector=_objects(pairs, pathways["sector"].to_numpy(dtype=object)[path]))
    pools = _sector_pools(network, catalogue, set(pairs["sector"]))
    frames = []
    for sector, group in pairs.groupby("sector", sort=False):
        ids = _unique(group["stream"].to_numpy())
        chosen = _choose(streams, ids, pools.get(sector), geo, max_distance_km, per_stream)
        frames.append(group.merge(chosen, on="stream"))
    found = pd.concat(frames, ignore_index=True)
    stream = found["stream"].to_numpy()
    receiver = found["receiver"].to_numpy()
    has = receiver >= 0
    expand = np.zeros(len(found), dtype=bool)
    expand[has] = _TakesIndex(network, streams).contains(receiver[has], stream[has])
    downstream = pathways["downstream"].to_numpy(dtype=bool)[found["pathway"].to_numpy()]
    kind = np.where(has, np.where(expand, "expand", "new_link"), "new_plant")
    kind = np.where(downstream, "downstream", kind).astype(object)
    return _frame(
        stream=stream,
        pathway=found["pathway"].to_numpy(),
        rule=found["rule"].to_numpy(dtype=object),
        kind=kind,
        receiver=receiver,
        sector=found["sector"].to_numpy(dtype=object),
        distance_km=found["distance_km"].to_numpy(dtype=float),
        quantity=streams.value[stream],
        replaced=np.full(len(found), np.nan),
        replaced_key=np.full(len(found), None, dtype=object),
    )


def _sector_pools(network, catalogue, sectors) -> dict[str, np.ndarray]:
    """Positions of the actors of each receiving sector. One scan per distinct sector
    text of the firms."""
    actor = network.firms["actor"].to_numpy(dtype=bool)
    codes, uniques = pd.factorize(network.firms["sector"].fillna("").astype(str))
    members: dict[str, list[int]] = {}
    for code, text in enumerate(uniques):
        for sector in catalogue.sectors.sectors_of(text) & set(sectors):
            members.setdefault(sector, []).append(code)
    return {s: np.flatnonzero(np.isin(codes, c) & actor) for s, c in members.items()}


class _TakesIndex:
    """Which actors take which material keys (from anyone), as sorted encoded pairs, for
    binary-search lookups of (receiver, stream's key)."""

    def __init__(self, network: FlowNetwork, streams: _Streams):
        into = np.flatnonzero(network.target_is_actor)
        keys = network.flows["material_key"].take(into).to_numpy(dtype=object)
        codes, uniques = pd.factorize(keys)
        self.width = len(uniques) + 1
        self.pairs = _unique(network.target_positions[into].astype(np.int64) * self.width + codes)
        self.stream_codes = pd.Index(uniques, dtype=object).get_indexer(
            pd.Index(streams.key, dtype=object)
        )

    def contains(self, receivers: np.ndarray, stream_ids: np.ndarray) -> np.ndarray:
        codes = self.stream_codes[stream_ids].astype(np.int64)
        encoded = receivers.astype(np.int64) * self.width + codes
        where = np.searchsorted(self.pairs, encoded)
        found = where < len(self.pairs)
        found[found] = self.pairs[where[found]] == encoded[found]
        return found & (codes >= 0)


def _redirect_candidates(network, catalogue, streams, pairs, geo, max_distance_km, per_stream):
    """Actors that take the stream's material (or, in a pathway's receiving sector, a
    primary material the stream substitutes) from primary supply."""
    primary = _primary_inputs(network)
    if not len(primary) or not len(streams):
        return _empty_candidates()
    known = np.flatnonzero(~np.isnan(streams.value) & (streams.fate != "product"))
    wanted = [_frame(stream=known, key=streams.key[known], pathway=np.full(len(known), -1),
                     rule=np.full(len(known), "same material", dtype=object))]  # fmt: skip
    substitutes = catalogue.pathways[["substitute_keys"]].reset_index(names="pathway")
    substitutes = substitutes.explode("substitute_keys").dropna()
    if len(pairs) and len(substitutes):
        is_known = np.zeros(len(streams), dtype=bool)
        is_known[known] = True
        usable = pairs[is_known[pairs["stream"].to_numpy()]]
        subs = usable[["stream", "pathway"]].merge(substitutes, on="pathway")
        subs = subs.rename(columns={"substitute_keys": "key"})
        subs["rule"] = "substitutes " + subs["key"].astype(object)
        wanted.append(subs[["stream", "key", "pathway", "rule"]])
    wanted = pd.concat(wanted, ignore_index=True)
    wanted = wanted[wanted["key"].isin(set(primary["key"].unique()))]
    if not len(wanted):
        return _empty_candidates()
    wanted = wanted.assign(dimension=streams.dimension[wanted["stream"].to_numpy()])
    frames = []
    for (key, dimension), group in wanted.groupby(["key", "dimension"], sort=False):
        takers = primary[(primary["key"] == key) & (primary["dimension"] == dimension)]
        if not len(takers):
            continue
        ids = _unique(group["stream"].to_numpy())
        chosen = _choose(streams, ids, takers["receiver"].to_numpy(), geo, max_distance_km,
                         per_stream)  # fmt: skip
        chosen = chosen[chosen["receiver"].to_numpy() >= 0]
        merged = group.merge(chosen, on="stream").merge(
            takers[["receiver", "value"]], on="receiver"
        )
        frames.append(merged)
    if not frames:
        return _empty_candidates()
    found = pd.concat(frames, ignore_index=True)
    path = found["pathway"].to_numpy()
    sector = np.where(path >= 0, catalogue.pathways["sector"].to_numpy(dtype=object)[
        np.maximum(path, 0)], "")  # fmt: skip
    if (path >= 0).any():  # a substitute only counts at an actor of the pathway's sector
        pools = _sector_pools(network, catalogue, set(sector[path >= 0]))
        members = _frame(
            sector=np.concatenate([np.full(len(p), s, dtype=object) for s, p in pools.items()]
                                  or [np.zeros(0, object)]),
            receiver=np.concatenate(list(pools.values()) or [np.zeros(0, np.int64)]),
        ).assign(member=True)  # fmt: skip
        check = _frame(sector=sector.astype(object), receiver=found["receiver"].to_numpy())
        member = check.merge(members, on=["sector", "receiver"], how="left")["member"]
        keep = (path < 0) | member.fillna(False).to_numpy(dtype=bool)
        found, path, sector = found[keep], path[keep], sector[keep]
    stream = found["stream"].to_numpy()
    replaced = found["value"].to_numpy(dtype=float)
    return _frame(
        stream=stream,
        pathway=path,
        rule=found["rule"].to_numpy(dtype=object),
        kind=np.full(len(found), "redirect", dtype=object),
        receiver=found["receiver"].to_numpy(),
        sector=sector.astype(object),
        distance_km=found["distance_km"].to_numpy(dtype=float),
        quantity=np.minimum(streams.value[stream], replaced),
        replaced=replaced,
        replaced_key=found["key"].to_numpy(dtype=object),
    )


_PRIMARY_ROLES = ("market", "environment", "extraction")


def _primary_mask(network: FlowNetwork) -> np.ndarray:
    """Known-size product flows into actors from markets, the environment or extraction."""
    flows = network.flows
    roles = network.firms["role"].to_numpy(dtype=object)
    return (
        network.target_is_actor
        & np.isin(roles[network.source_positions], _PRIMARY_ROLES)
        & (flows["category"] == "product").to_numpy()
        & flows["value"].notna().to_numpy()
    )


def _primary_inputs(network: FlowNetwork) -> pd.DataFrame:
    """Primary inputs summed per (receiver, key, dimension)."""
    mask = _primary_mask(network)
    flows = network.flows
    table = _frame(
        receiver=network.target_positions[mask],
        key=flows["material_key"].to_numpy(dtype=object)[mask],
        dimension=flows["dimension"].to_numpy(dtype=object)[mask],
        value=flows["value"].to_numpy(dtype=float)[mask],
    )
    return table.groupby(["receiver", "key", "dimension"], as_index=False)["value"].sum()


def _choose(streams, stream_ids, pool, geo, max_distance_km, per_stream) -> pd.DataFrame:
    """Up to ``per_stream`` receivers from ``pool`` for each stream (never its source):
    nearest first when coordinates are known, else most input flows first; receiver -1
    for a stream with none left. O(s log p) with a k-d tree; never s x p pairs."""
    stream_ids = np.asarray(stream_ids, dtype=np.int64)
    none = pd.DataFrame({"stream": stream_ids, "receiver": np.full(len(stream_ids), -1),
                         "distance_km": np.full(len(stream_ids), np.nan)})  # fmt: skip
    if pool is None or not len(pool):
        return none
    pool = np.asarray(pool, dtype=np.int64)
    want = per_stream + 1  # one more, in case the source itself is in the pool
    sources = streams.source_position[stream_ids]
    by_size = pool[np.lexsort((pool, -geo.size[pool]))]
    pool_located = pool[geo.located[pool]]
    located = geo.located[sources]
    picked_stream, picked_receiver = [], []
    if len(pool_located) and located.any():
        from scipy.spatial import cKDTree

        tree = cKDTree(_unit_vectors(geo.lat[pool_located], geo.lon[pool_located]))
        k = min(want, len(pool_located))
        _, nearest = tree.query(_unit_vectors(geo.lat[sources[located]],
                                              geo.lon[sources[located]]), k=k)  # fmt: skip
        nearest = np.asarray(nearest).reshape(int(located.sum()), -1)
        ids = stream_ids[located]
        picked_stream.append(np.repeat(ids, nearest.shape[1]))
        picked_receiver.append(pool_located[nearest].ravel())
        if len(pool_located) < want:  # top up with the largest firms without coordinates
            extra = by_size[~geo.located[by_size]][: want - len(pool_located)]
            picked_stream.append(np.repeat(ids, len(extra)))
            picked_receiver.append(np.tile(extra, len(ids)))
        rest = stream_ids[~located]
    else:
        rest = stream_ids
    if len(rest):
        top = by_size[:want]
        picked_stream.append(np.repeat(rest, len(top)))
        picked_receiver.append(np.tile(top, len(rest)))
    stream = np.concatenate(picked_stream)
    receiver = np.concatenate(picked_receiver)
    source = streams.source_position[stream]
    distance = _great_circle(geo.lat[source], geo.lon[source], geo.lat[receiver],
                             geo.lon[receiver])  # fmt: skip
    keep = receiver != source
    if max_distance_km is not None:
        keep &= ~(distance > max_distance_km)
    stream, receiver, distance = stream[keep], receiver[keep], distance[keep]
    order = np.lexsort((np.arange(len(stream)), np.nan_to_num(distance, nan=np.inf), stream))
    stream, receiver, distance = stream[order], receiver[order], distance[order]
    starts = np.r_[0, np.flatnonzero(np.diff(stream)) + 1] if len(stream) else np.zeros(0, int)
    first = np.repeat(starts, np.diff(np.r_[starts, len(stream)]))
    keep = (np.arange(len(stream)) - first) < per_stream
    chosen = pd.DataFrame(
        {"stream": stream[keep], "receiver": receiver[keep], "distance_km": distance[keep]}
    )
    seen = np.zeros(len(streams), dtype=bool)
    seen[chosen["stream"].to_numpy()] = True
    missing = ~seen[stream_ids]
    if missing.any():
        chosen = pd.concat([chosen, none[missing]], ignore_index=True)
    return chosen


def _unit_vectors(lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    phi, lam = np.radians(lat), np.radians(lon)
    return np.column_stack([np.cos(phi) * np.cos(lam), np.cos(phi) * np.sin(lam), np.sin(phi)])


def _great_circle(lat1, lon1, lat2, lon2) -> np.ndarray:
    """Haversine distance in km (NaN where a coordinate is missing)."""
    phi1, phi2 = np.radians(lat1), np.radians(lat2)
    dphi, dlam = phi2 - phi1, np.radians(np.asarray(lon2) - np.asarray(lon1))
    a = np.sin(dphi / 2) ** 2 + np.cos(phi1) * np.cos(phi2) * np.sin(dlam / 2) ** 2
    return 2 * _EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))


# ============================================================================ ranking


def _filtered(candidates, streams, kinds, fates) -> pd.DataFrame:
    if kinds:
        candidates = candidates[candidates["kind"].isin(list(kinds)).to_numpy()]
    if fates:
        keep = np.array([f in fates for f in FATES])
        codes = pd.Series(streams.fate, dtype=object).map({f: i for i, f in enumerate(FATES)})
        candidates = candidates[keep[codes.to_numpy(np.int64)[candidates["stream"].to_numpy()]]]
    return candidates.reset_index(drop=True)


def _ranked(candidates, streams, catalogue, rank_by) -> pd.DataFrame:
    """One row per opportunity (best candidate per stream and receiver, or per stream and
    sector for new plants), ranked within its group (module docstring). O(c log c), with
    numpy lexsorts on integer keys."""
    columns = ["group", "tier", "group_rank", "value", "maturity", "alternative"]
    if not len(candidates):
        return candidates.assign(**{c: pd.Series(dtype=object) for c in columns})
    pathways = catalogue.pathways
    stream = candidates["stream"].to_numpy()
    receiver = candidates["receiver"].to_numpy()
    path = candidates["pathway"].to_numpy()
    kind = candidates["kind"].to_numpy(dtype=object)
    maturity = np.where(path >= 0, pathways["maturity"].to_numpy(dtype=object)[np.maximum(path, 0)],
                        "established").astype(object)  # fmt: skip
    tier = _lookup(maturity, _MATURITY_TIER, 1)
    kind_order = _lookup(kind, _KIND_ORDER, len(KINDS))
    place = np.where(receiver >= 0, receiver, -1 - pd.factorize(candidates["sector"])[0])

    # one row per (stream, place): the strongest kind, then the most mature pathway
    secondary = (kind_order * 4 + tier) * (len(pathways) + 2) + path + 1
    order = np.lexsort((secondary, place, stream))
    first = np.r_[True, (stream[order][1:] != stream[order][:-1])
                  | (place[order][1:] != place[order][:-1])]  # fmt: skip
    keep = order[first]
    stream, receiver, path, tier, kind_order, place = (
        a[keep] for a in (stream, receiver, path, tier, kind_order, place)
    )
    maturity = maturity[keep]
    quantity = candidates["quantity"].to_numpy(dtype=float)[keep]
    distance = candidates["distance_km"].to_numpy(dtype=float)[keep]
    group_order = streams.group_order[stream]
    dim_order = _lookup(streams.dimension[stream], {d: i for i, d in enumerate(DIMENSIONS)}, 9)
    with np.errstate(divide="ignore", invalid="ignore"):
        value = quantity * streams.quantity[stream] / streams.value[stream] * streams.price[stream]
    unknown = np.isnan(quantity).astype(np.int64)
    no_distance = np.isnan(distance).astype(np.int64)
    far = np.nan_to_num(distance, nan=np.inf)

    # alternatives for one stream: emerging last; actors present before new plants; the
    # more mature; the nearest
    order = np.lexsort((place, path, far, no_distance, tier, kind_order, tier >= 2, stream))
    alternative = np.empty(len(order), dtype=np.int64)
    alternative[order] = _cumcount(stream[order])
    if rank_by == "quantity":
        order = np.lexsort((stream, -np.nan_to_num(quantity), alternative, unknown, group_order))
        block = ((group_order * 2 + unknown) * (alternative.max() + 1) + alternative) * 10
        turn = np.empty(len(order), dtype=np.int64)
        by_block = order[np.argsort(block[order] + dim_order[order], kind="stable")]
        turn[by_block] = _cumcount((block + dim_order)[by_block])
        order = np.lexsort((dim_order, turn, alternative, unknown, group_order))
    elif rank_by == "distance":
        order = np.lexsort((stream, -np.nan_to_num(quantity), unknown, far, no_distance,
                            alternative, group_order))  # fmt: skip
    else:
        order = np.lexsort((stream, -np.nan_to_num(quantity), unknown, -np.nan_to_num(value),
                            np.isnan(value), alternative, group_order))  # fmt: skip
    group_rank = _cumcount(group_order[order]) + 1
    rows = keep[order]
    names = np.array(["dumped", "sold", "downstream"], dtype=object)
    return _frame(
        stream=stream[order],
        pathway=path[order],
        rule=candidates["rule"].to_numpy(dtype=object)[rows],
        kind=kind[rows],
        receiver=receiver[order],
        sector=candidates["sector"].to_numpy(dtype=object)[rows],
        distance_km=distance[order],
        quantity=quantity[order],
        replaced=candidates["replaced"].to_numpy(dtype=float)[rows],
        replaced_key=candidates["replaced_key"].to_numpy(dtype=object)[rows],
        maturity=maturity[order],
        tier=tier[order],
        group=names[group_order[order]],
        value=value[order],
        alternative=alternative[order],
        group_rank=group_rank,
    )


def _cumcount(keys: np.ndarray) -> np.ndarray:
    """0, 1, 2, ... within each run of equal consecutive ``keys``."""
    if not len(keys):
        return np.zeros(0, dtype=np.int64)
    starts = np.r_[0, np.flatnonzero(keys[1:] != keys[:-1]) + 1]
    return np.arange(len(keys)) - np.repeat(starts, np.diff(np.r_[starts, len(keys)]))


def _listed(table: pd.DataFrame, top: int) -> pd.DataFrame:
    if not len(table) or top == 0:
        return table.iloc[0:0]
    return table[table["group_rank"].to_numpy() <= top]


def _counts(table: pd.DataFrame) -> dict[str, dict[str, int]]:
    counts = {group: dict.fromkeys(KINDS, 0) for group in GROUPS}
    if len(table):
        pairs = _frame(
            g=table["group"].to_numpy(dtype=object), k=table["kind"].to_numpy(dtype=object)
        ).value_counts()
        for (group, kind), n in pairs.items():
            counts[group][kind] = int(n)
    return counts


# ============================================================================ objects


def _plant_id(network: FlowNetwork, sector: str) -> str:
    base = "NEW_" + re.sub(r"[^A-Z0-9]+", "_", sector.upper()).strip("_")
    plant, number = base, 2
    while plant in network.firms.index:
        plant, number = f"{base}_{number}", number + 1
    return plant


def _evidence(catalogue, candidates, stream, receiver, sector) -> tuple[dict[str, Any], ...]:
    """Every catalogue row behind one opportunity, best first."""
    mask = candidates["stream"].to_numpy() == stream
    if receiver >= 0:
        mask &= candidates["receiver"].to_numpy() == receiver
    else:
        mask &= (candidates["receiver"].to_numpy() < 0) & (
            candidates["sector"].to_numpy(dtype=object) == sector
        )
    rows = candidates[mask]
    rows = rows.iloc[np.lexsort((rows["pathway"].to_numpy(), rows["kind"].map(_KIND_ORDER)))]
    pathways = catalogue.pathways
    out: list[dict[str, Any]] = []
    for path, rule, kind in zip(rows["pathway"], rows["rule"], rows["kind"], strict=True):
        if path < 0:
            entry = {"id": None, "rule": rule, "kind": kind, "receiving_sector": None,
                     "product": None, "maturity": "established",
                     "source": "the receiver already takes this material", "file": None,
                     "row": None}  # fmt: skip
        else:
            row = pathways.iloc[int(path)]
            entry = {
                "id": row["id"],
                "rule": rule,
                "kind": kind,
                "receiving_sector": row["receiving_sector"],
                "product": row["product"] or None,
                "maturity": row["maturity"] or None,
                "source": row["source"],
                "file": row["file"],
                "row": int(row["row"]),
            }
        if entry not in out:
            out.append(entry)
    return tuple(out)


def _opportunity(row, streams, network, catalogue, candidates) -> Opportunity:
    s = int(row.stream)
    firms = network.firms
    new_plant = row.receiver < 0
    if row.pathway >= 0:
        target_sector = catalogue.pathways["receiving_sector"].iat[int(row.pathway)]
    else:
        target_sector = str(firms["sector"].iat[row.receiver])
    if new_plant:
        target, target_role = _plant_id(network, target_sector), "firm"
        target_name = f"new {target_sector} plant (proposed)"
    else:
        target = str(firms.index[row.receiver])
        target_name = str(firms["name"].iat[row.receiver])
        target_role = str(firms["role"].iat[row.receiver])
    dimension = streams.dimension[s] if isinstance(streams.dimension[s], str) else None
    replaces = None
    if row.kind == "redirect":
        replaces = _replaced_inputs(network, row.receiver, row.replaced_key, dimension)
        replaces["quantity"] = _none(row.replaced)
    return Opportunity(
        rank=int(row.group_rank),
        group=row.group,
        kind=row.kind,
        fate=streams.fate[s],
        source=str(streams.source[s]),
        source_name=str(firms["name"].iat[streams.source_position[s]]),
        material=str(streams.material[s]),
        category=str(streams.category[s]),
        stream_target=str(streams.target[s]),
        dimension=dimension,
        unit=None if dimension is None else f"{CANONICAL_UNITS[dimension]}/yr",
        quantity=_none(row.quantity),
        stream_quantity=_none(streams.value[s]),
        target=target,
        target_name=target_name,
        target_sector=target_sector,
        new_plant=bool(new_plant),
        distance_km=_none(row.distance_km),
        value=_none(row.value),
        maturity=row.maturity,
        evidence=_evidence(catalogue, candidates, s, row.receiver, row.sector),
        replaces=replaces,
        target_role=target_role,
        stream_unit=None if not isinstance(streams.unit[s], str) else streams.unit[s],
        stream_amount=_none(streams.quantity[s]),
        flow_row=int(streams.row[s]) if streams.ambiguous[s] else None,
    )


def _replaced_inputs(network, receiver, key, dimension) -> dict[str, Any]:
    """The primary flows of ``key`` into ``receiver``: their suppliers and selectors."""
    flows = network.flows
    mask = _primary_mask(network) & (network.target_positions == receiver)
    mask &= flows["material_key"].to_numpy(dtype=object) == key
    mask &= flows["dimension"].to_numpy(dtype=object) == dimension
    chosen = flows[mask]
    target = chosen["target"].iat[0] if len(chosen) else None
    same = (flows["target"] == target).to_numpy() & (
        flows["material_key"].to_numpy(dtype=object) == key
    )
    counts = flows[same].groupby("source").size()
    selectors = [
        {"source": str(s), "material": str(m), "row": int(r) if counts.get(s, 0) > 1 else None}
        for s, m, r in zip(chosen["source"], chosen["material"], chosen["row"], strict=True)
    ]
    material = str(chosen["material"].iat[0]) if len(chosen) else key
    return {
        "material": material,
        "suppliers": list(dict.fromkeys(str(s) for s in chosen["source"])),
        "flows": selectors,
    }


def _public_table(table, streams, network, catalogue) -> pd.DataFrame:
    """The ranked candidates as a readable table (ids, names, units). O(c)."""
    columns = [
        "group", "rank", "kind", "fate", "source", "material", "stream_target", "row",
        "dimension", "quantity", "unit", "target", "target_sector", "new_plant", "distance_km",
        "value", "maturity", "pathway", "rule",
    ]  # fmt: skip
    if not len(table):
        empty = pd.DataFrame({c: pd.Series(dtype=object) for c in columns})
        numeric = {"rank": "int64", "row": "int64", "quantity": float, "distance_km": float}
        return empty.astype({**numeric, "value": float, "new_plant": bool})
    stream = table["stream"].to_numpy()
    firms = network.firms
    receiver = table["receiver"].to_numpy()
    new_plant = receiver < 0
    path = table["pathway"].to_numpy()
    pathways = catalogue.pathways
    sector_text = np.where(
        path >= 0,
        pathways["receiving_sector"].to_numpy(dtype=object)[np.maximum(path, 0)],
        firms["sector"].astype(str).to_numpy(dtype=object)[np.maximum(receiver, 0)],
    )
    ids = firms.index.to_numpy(dtype=object)[np.maximum(receiver, 0)]
    plants = {s: _plant_id(network, s) for s in set(sector_text[new_plant])}
    target = np.where(new_plant, _translate(sector_text, plants), ids)
    dimension = streams.dimension[stream]
    units = {d: f"{CANONICAL_UNITS[d]}/yr" for d in DIMENSIONS}
    return _frame(
        **{
            "group": table["group"].to_numpy(dtype=object),
            "rank": table["group_rank"].to_numpy(),
            "kind": table["kind"].to_numpy(dtype=object),
            "fate": streams.fate[stream],
            "source": streams.source[stream],
            "material": streams.material[stream],
            "stream_target": streams.target[stream],
            "row": streams.row[stream],
            "dimension": dimension,
            "quantity": table["quantity"].to_numpy(dtype=float),
            "unit": _translate(dimension, units),
            "target": target,
            "target_sector": sector_text,
            "new_plant": new_plant,
            "distance_km": table["distance_km"].to_numpy(dtype=float),
            "value": table["value"].to_numpy(dtype=float),
            "maturity": table["maturity"].to_numpy(dtype=object),
            "pathway": np.where(
                path >= 0, pathways["id"].to_numpy(dtype=object)[np.maximum(path, 0)], None
            ),
            "rule": table["rule"].to_numpy(dtype=object),
        }
    )


def _plants(table, streams, network, catalogue, max_feeds: int = 20) -> tuple[PlantProposal, ...]:
    """New-plant opportunities grouped by receiving sector, with their total feed (the
    ``max_feeds`` largest feeds are listed). O(c log c)."""
    if not len(table):
        return ()
    plants = table[table["receiver"].to_numpy() < 0]
    if not len(plants):
        return ()
    pathways = catalogue.pathways
    stream = plants["stream"].to_numpy()
    feeds = _frame(
        sector=plants["sector"].to_numpy(dtype=object),
        group=plants["group"].to_numpy(dtype=object),
        source=streams.source[stream],
        material=streams.material[stream],
        fate=streams.fate[stream],
        dimension=streams.dimension[stream],
        quantity=streams.value[stream],
        pathway=pathways["id"].to_numpy(dtype=object)[plants["pathway"].to_numpy()],
        row=plants["pathway"].to_numpy(),
    )
    sums = (
        feeds.dropna(subset=["dimension", "quantity"])
        .groupby(["sector", "group", "dimension"])["quantity"]
        .sum()
    )
    totals: dict[tuple[str, str], dict[str, float]] = {}
    for (sector, group, dimension), amount in sums.items():
        totals.setdefault((sector, group), {})[dimension] = float(amount)
    proposals = []
    for sector, group in feeds.groupby("sector", sort=False):
        rows = pathways.iloc[np.unique(group["row"].to_numpy())]
        name = rows["receiving_sector"].iat[0]
        largest = group.sort_values("quantity", ascending=False, na_position="last")
        listed = [
            {k: _none(v) for k, v in record.items() if k not in ("sector", "group", "row")}
            for record in largest.head(max_feeds).to_dict("records")
        ]
        tiers = [_MATURITY_TIER.get(m, 1) for m in rows["maturity"]]

        def total(kind, sector=sector):
            found = totals.get((sector, kind), {})
            return {d: found[d] for d in DIMENSIONS if d in found}

        proposals.append(
            PlantProposal(
                sector=name,
                plant_id=_plant_id(network, name),
                dumped=total("dumped"),
                sold=total("sold"),
                products_in=total("downstream"),
                feeds=tuple(listed),
                pathways=tuple(dict.fromkeys(rows["id"])),
                products=tuple(dict.fromkeys(p for p in rows["product"] if p)),
                maturity=rows["maturity"].iat[int(np.argmin(tiers))],
                sources=tuple(dict.fromkeys(rows["source"])),
            )
        )

    def order(plant: PlantProposal):
        amounts = plant.dumped or plant.sold or plant.products_in
        first = next((amounts[d] for d in DIMENSIONS if d in amounts), 0.0)
        dims = [i for i, d in enumerate(DIMENSIONS) if d in amounts] or [9]
        empty = 0 if plant.dumped else 1 if plant.sold else 2
        return (empty, _MATURITY_TIER.get(plant.maturity, 1), dims[0], -first, plant.sector)

    return tuple(sorted(proposals, key=order))


def _uncovered(streams: _Streams, candidates: pd.DataFrame) -> pd.DataFrame:
    """Residual streams that no candidate covers, summed by material, dimension and fate."""
    columns = ["material", "material_key", "dimension", "fate", "streams", "quantity", "unit"]
    covered = np.zeros(len(streams), dtype=bool)
    covered[candidates["stream"].to_numpy()] = True
    left = np.flatnonzero(~covered & (streams.fate != "product"))
    if not len(left):
        return pd.DataFrame({c: pd.Series(dtype=object) for c in columns})
    frame = _frame(
        material_key=streams.key[left],
        dimension=streams.dimension[left],
        fate=streams.fate[left],
        material=streams.material[left],
        value=streams.value[left],
    )
    grouped = frame.groupby(["material_key", "dimension", "fate"], dropna=False, sort=False)
    table = grouped.agg(
        material=("material", "first"), streams=("value", "size"), quantity=("value", "sum")
    ).reset_index()
    units = {d: f"{CANONICAL_UNITS[d]}/yr" for d in DIMENSIONS}
    table["unit"] = table["dimension"].map(units)
    table = table.sort_values(["dimension", "quantity"], ascending=[True, False])
    return table[columns].reset_index(drop=True)


# ============================================================================ edits


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


# ============================================================================ impact


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


# ============================================================================ helpers


def _none(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def _short(value: float) -> str:
    magnitude = abs(value)
    for limit, suffix in ((1e9, "G"), (1e6, "M"), (1e3, "k")):
        if magnitude >= limit:
            return f"{value / limit:.3g}{suffix}"
    return f"{value:.3g}"


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    return [{k: _none(v) for k, v in row.items()} for row in frame.to_dict("records")]


def _edit_comments(edits, listed) -> list[str | None]:
    """A comment for each redirect: which opportunity it carries out."""
    notes: list[str | None] = []
    by_stream = {}
    for o in listed:
        by_stream.setdefault((o.source, o.stream_target, o.material, o.target), o)
    for edit in edits:
        o = by_stream.get((edit.source, edit.target, edit.material, edit.to)) if isinstance(
            edit, ed.RedirectFlow) else None  # fmt: skip
        if o is None:
            notes.append(None)
            continue
        ids = ", ".join(e["id"] or e["rule"] for e in o.evidence)
        notes.append(f"{o.group} #{o.rank} {o.kind}: {o.describe()}\npathway: {ids}")
    return notes
