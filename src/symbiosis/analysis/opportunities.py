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
    group. The alternatives for one stream are ordered first: the most mature pathway
    (established, then demonstrated or unknown, then emerging; a redirect to an actor that
    already buys the same material counts as established), then actors already in the
    network (redirect, expand, new link) before new plants, then the nearest. Each
    stream's first alternative comes before any second one, and so on. Within one round
    (``rank_by="quantity"``, the default) by quantity *within each dimension*, the
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
from dataclasses import dataclass, field
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
    table: pd.DataFrame
    plants: tuple[PlantProposal, ...]
    cumulative: CumulativeImpact | None
    uncovered: pd.DataFrame
    counts: dict[str, dict[str, int]]
    streams: int
    parameters: dict[str, Any]
    catalogue_files: tuple[str, ...]
    units: dict[str, str]
    caveat: str = CAVEAT

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
    table = _ranked(candidates, streams, network, catalogue, rank_by)
    listed = _listed(table, top)
    behind = candidates[np.isin(candidates["stream"].to_numpy(), listed["stream"].to_numpy())]
    opportunities = [
        _opportunity(row, streams, network, catalogue, behind) for row in listed.itertuples()
    ]
    cumulative = None
    if impact and opportunities:
        base = _indicators(network)
        adjacency = _actor_adjacency(network)
        opportunities = [_with_impact(o, network, base, adjacency) for o in opportunities]
        cumulative = _cumulative(opportunities, network, base, streams)
    plants = _plants(table, streams, network, catalogue)
    return Opportunities(
        listed=tuple(opportunities),
        table=_public_table(table, streams, network, catalogue),
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


def _streams(network: FlowNetwork) -> pd.DataFrame:
    """Flows from actors to boundary nodes with their fate; index = flow position. O(f)."""
    flows = network.flows
    roles = network.firms["role"].to_numpy()
    target_role = roles[network.target_positions]
    residual = flows["category"].isin(RESIDUAL_CATEGORIES).to_numpy()
    leaving = network.source_is_actor & ~network.target_is_actor
    fate = pd.Series(target_role).map(FATE_OF_ROLE).to_numpy(dtype=object)
    is_product = (flows["category"] == "product").to_numpy() & (target_role == "market")
    mask = leaving & (residual | is_product)
    positions = np.flatnonzero(mask)
    columns = ["source", "target", "material", "material_key", "category", "quantity", "unit"]
    columns += ["value", "dimension", "row"]
    streams = flows.iloc[positions][columns].copy()
    streams.index = positions
    streams["fate"] = np.where(is_product[positions], "product", fate[positions])
    streams["source_position"] = network.source_positions[positions]
    streams["price"] = (
        flows["price"].to_numpy(dtype=float)[positions] if "price" in flows else np.nan
    )
    if "material_code" in flows:
        raw = flows["material_code"].iloc[positions].fillna("").astype(str)
        codes = {t: tuple(normalise_code(c) for c in t.split(";") if c.strip()) for t in set(raw)}
        streams["codes"] = raw.map(codes).to_numpy()
    else:
        streams["codes"] = [()] * len(streams)
    return streams


# ============================================================================ candidates


def _candidates(network, catalogue, streams, max_distance_km, per_stream) -> pd.DataFrame:
    """Every (stream, receiver) candidate with its kind, pathway and rule."""
    pairs = _pathway_pairs(catalogue, streams)
    sector_candidates = _sector_candidates(
        network, catalogue, streams, pairs, max_distance_km, per_stream
    )
    redirects = _redirect_candidates(
        network, catalogue, streams, pairs, max_distance_km, per_stream
    )
    frames = [f for f in (sector_candidates, redirects) if len(f)]
    if not frames:
        return _empty_candidates()
    return pd.concat(frames, ignore_index=True)


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


def _pathway_pairs(catalogue: Catalogue, streams: pd.DataFrame) -> pd.DataFrame:
    """(stream, pathway, rule) for every catalogue row a stream matches. O(s + matches)."""
    if not len(streams):
        return pd.DataFrame({"stream": [], "pathway": [], "rule": []})
    combos = pd.DataFrame({"key": streams["material_key"].to_numpy(), "codes": streams["codes"]})
    combo_id, uniques = pd.factorize(
        pd.Series(list(zip(combos["key"], combos["codes"], strict=True)))
    )
    rows = []
    for number, (key, codes) in enumerate(uniques):
        for position, rule in catalogue.match(key, codes):
            rows.append((number, position, rule))
    if not rows:
        return pd.DataFrame({"stream": [], "pathway": [], "rule": []})
    matches = pd.DataFrame(rows, columns=["combo", "pathway", "rule"])
    left = pd.DataFrame({"stream": streams.index.to_numpy(), "combo": combo_id})
    pairs = left.merge(matches, on="combo").drop(columns="combo")
    pathways = catalogue.pathways
    downstream = pathways["downstream"].to_numpy()[pairs["pathway"].to_numpy()]
    is_product = (streams.loc[pairs["stream"], "fate"] == "product").to_numpy()
    row_dim = pathways["dimension"].to_numpy()[pairs["pathway"].to_numpy()]
    stream_dim = streams.loc[pairs["stream"], "dimension"].to_numpy(dtype=object)
    same_dim = (row_dim == "") | pd.isna(stream_dim) | (row_dim == stream_dim)
    return pairs[(downstream == is_product) & same_dim].reset_index(drop=True)


def _sector_candidates(network, catalogue, streams, pairs, max_distance_km, per_stream):
    if not len(pairs):
        return _empty_candidates()
    pathways = catalogue.pathways
    pairs = pairs.assign(sector=pathways["sector"].to_numpy()[pairs["pathway"].to_numpy()])
    pools = _sector_pools(network, catalogue, set(pairs["sector"]))
    takes = _TakesIndex(network)
    frames = []
    for sector, group in pairs.groupby("sector", sort=False):
        stream_ids = np.unique(group["stream"].to_numpy())
        chosen = _choose(
            network, streams, stream_ids, pools.get(sector), max_distance_km, per_stream
        )
        merged = group.merge(chosen, on="stream", how="left")
        merged["receiver"] = merged["receiver"].fillna(-1).astype("int64")
        frames.append(merged)
    found = pd.concat(frames, ignore_index=True)
    receiver = found["receiver"].to_numpy()
    stream_keys = streams.loc[found["stream"], "material_key"].to_numpy()
    has = receiver >= 0
    expand = np.zeros(len(found), dtype=bool)
    expand[has] = takes.contains(receiver[has], stream_keys[has])
    downstream = pathways["downstream"].to_numpy()[found["pathway"].to_numpy()]
    kind = np.where(has, np.where(expand, "expand", "new_link"), "new_plant")
    kind = np.where(downstream, "downstream", kind)
    values = streams.loc[found["stream"], "value"].to_numpy(dtype=float)
    return pd.DataFrame(
        {
            "stream": found["stream"].to_numpy(),
            "pathway": found["pathway"].to_numpy(),
            "rule": found["rule"].to_numpy(),
            "kind": kind,
            "receiver": receiver,
            "sector": found["sector"].to_numpy(),
            "distance_km": found["distance_km"].to_numpy(dtype=float),
            "quantity": values,
            "replaced": np.nan,
            "replaced_key": None,
        }
    )


def _sector_pools(network, catalogue, sectors) -> dict[str, np.ndarray]:
    """Positions of the actors of each receiving sector. One regex scan per distinct
    sector text of the actors."""
    firms = network.firms
    actor = firms["actor"].to_numpy()
    texts = firms["sector"].fillna("").astype(str).to_numpy()
    codes, uniques = pd.factorize(texts)
    members: dict[str, list[int]] = {}
    for code, text in enumerate(uniques):
        for sector in catalogue.sectors.sectors_of(text) & sectors:
            members.setdefault(sector, []).append(code)
    pools = {}
    for sector, text_codes in members.items():
        mask = np.isin(codes, text_codes) & actor
        pools[sector] = np.flatnonzero(mask)
    return pools


class _TakesIndex:
    """Which actors take which material keys (from anyone), for O(log n) lookups."""

    def __init__(self, network: FlowNetwork):
        flows = network.flows
        into_actor = network.target_is_actor
        keys = flows["material_key"].to_numpy()[into_actor]
        self.codes, self.uniques = pd.factorize(keys)
        width = max(len(self.uniques), 1)
        self.width = width
        self.pairs = np.unique(network.target_positions[into_actor] * width + self.codes)

    def contains(self, receivers: np.ndarray, keys: np.ndarray) -> np.ndarray:
        codes = pd.Index(self.uniques).get_indexer(pd.Index(keys)).astype(np.int64)
        encoded = receivers.astype(np.int64) * self.width + codes
        found = np.isin(encoded, self.pairs)
        return found & (codes >= 0)


def _redirect_candidates(network, catalogue, streams, pairs, max_distance_km, per_stream):
    """Actors that take the stream's material (or a substitute) from primary supply."""
    primary = _primary_inputs(network)
    if not len(primary) or not len(streams):
        return _empty_candidates()
    known = streams[streams["value"].notna() & (streams["fate"] != "product")]
    wanted = [
        pd.DataFrame(
            {
                "stream": known.index.to_numpy(),
                "key": known["material_key"].to_numpy(),
                "pathway": -1,
                "rule": "same material",
            }
        )
    ]
    if len(pairs):
        substitutes = catalogue.pathways["substitute_keys"].to_numpy()
        known_ids = set(known.index.tolist())
        rows = [
            (s, key, p, f"substitutes {key}")
            for s, p in zip(pairs["stream"].tolist(), pairs["pathway"].tolist(), strict=True)
            if s in known_ids
            for key in substitutes[p]
        ]
        if rows:
            wanted.append(pd.DataFrame(rows, columns=["stream", "key", "pathway", "rule"]))
    wanted = pd.concat(wanted, ignore_index=True)
    wanted = wanted[wanted["key"].isin(primary["key"].unique())]
    if not len(wanted):
        return _empty_candidates()
    wanted["dimension"] = streams.loc[wanted["stream"], "dimension"].to_numpy()
    frames = []
    for (key, dimension), group in wanted.groupby(["key", "dimension"], sort=False):
        takers = primary[(primary["key"] == key) & (primary["dimension"] == dimension)]
        if not len(takers):
            continue
        pool = takers["receiver"].to_numpy()
        stream_ids = np.unique(group["stream"].to_numpy())
        chosen = _choose(network, streams, stream_ids, pool, max_distance_km, per_stream)
        chosen = chosen[chosen["receiver"] >= 0]
        merged = group.merge(chosen, on="stream")
        merged = merged.merge(takers[["receiver", "value"]], on="receiver")
        frames.append(merged)
    if not frames:
        return _empty_candidates()
    found = pd.concat(frames, ignore_index=True)
    # A substitute only counts at an actor of the pathway's receiving sector.
    path = found["pathway"].to_numpy()
    if (path >= 0).any():
        pools = _sector_pools(
            network, catalogue, set(catalogue.pathways["sector"].iloc[path[path >= 0]])
        )
        sector = catalogue.pathways["sector"].to_numpy()[np.maximum(path, 0)]
        member = np.array(
            [p < 0 or r in pools.get(sec, ()) for p, r, sec in
             zip(path.tolist(), found["receiver"].tolist(), sector.tolist(), strict=True)],
            dtype=bool,
        )  # fmt: skip
        found = found[member]
    stream_value = streams.loc[found["stream"], "value"].to_numpy(dtype=float)
    pathways = catalogue.pathways
    path = found["pathway"].to_numpy()
    sector = np.where(path >= 0, pathways["sector"].to_numpy()[np.maximum(path, 0)], "")
    return pd.DataFrame(
        {
            "stream": found["stream"].to_numpy(),
            "pathway": path,
            "rule": found["rule"].to_numpy(),
            "kind": "redirect",
            "receiver": found["receiver"].to_numpy(),
            "sector": sector,
            "distance_km": found["distance_km"].to_numpy(dtype=float),
            "quantity": np.minimum(stream_value, found["value"].to_numpy(dtype=float)),
            "replaced": found["value"].to_numpy(dtype=float),
            "replaced_key": found["key"].to_numpy(),
        }
    )


def _primary_inputs(network: FlowNetwork) -> pd.DataFrame:
    """Known-size product inputs of actors from markets, the environment or extraction
    actors, summed per (receiver, key, dimension)."""
    flows = network.flows
    roles = network.firms["role"].to_numpy()
    source_role = roles[network.source_positions]
    primary_source = np.isin(source_role, ("market", "environment", "extraction"))
    mask = (
        network.target_is_actor
        & primary_source
        & (flows["category"] == "product").to_numpy()
        & flows["value"].notna().to_numpy()
    )
    if not mask.any():
        return pd.DataFrame(columns=["receiver", "key", "dimension", "value"])
    table = pd.DataFrame(
        {
            "receiver": network.target_positions[mask],
            "key": flows["material_key"].to_numpy()[mask],
            "dimension": flows["dimension"].to_numpy()[mask],
            "value": flows["value"].to_numpy()[mask],
        }
    )
    return table.groupby(["receiver", "key", "dimension"], as_index=False)["value"].sum()


def _choose(network, streams, stream_ids, pool, max_distance_km, per_stream) -> pd.DataFrame:
    """Up to ``per_stream`` receivers from ``pool`` for each stream (never its source):
    nearest first when coordinates are known, else most input flows first. Streams with
    no receiver left get receiver -1. O(s log p) with a k-d tree, never s x p."""
    empty = pd.DataFrame({"stream": stream_ids, "receiver": -1, "distance_km": np.nan}).astype(
        {"receiver": "int64", "distance_km": "float64"}
    )
    if pool is None or not len(pool):
        return empty
    pool = np.asarray(pool, dtype=np.int64)
    sources = streams.loc[stream_ids, "source_position"].to_numpy()
    lat = network.firms["lat"].to_numpy(dtype=float)
    lon = network.firms["lon"].to_numpy(dtype=float)
    size = _input_counts(network)
    by_size = pool[np.lexsort((pool, -size[pool]))]
    want = per_stream + 1  # one more, in case the source itself is in the pool
    rows_stream, rows_receiver = [], []
    located = ~np.isnan(lat[pool]) & ~np.isnan(lon[pool])
    source_located = ~np.isnan(lat[sources]) & ~np.isnan(lon[sources])
    if located.any() and source_located.any():
        from scipy.spatial import cKDTree

        pool_located = pool[located]
        tree = cKDTree(_unit_vectors(lat[pool_located], lon[pool_located]))
        k = min(want, len(pool_located))
        _, nearest = tree.query(_unit_vectors(lat[sources[source_located]],
                                              lon[sources[source_located]]), k=k)  # fmt: skip
        nearest = np.asarray(nearest).reshape(len(nearest), -1)
        ids = stream_ids[source_located]
        rows_stream.append(np.repeat(ids, nearest.shape[1]))
        rows_receiver.append(pool_located[nearest].ravel())
        unlocated = pool[~located]
        if len(unlocated) and len(pool_located) < want:
            extra = unlocated[np.lexsort((unlocated, -size[unlocated]))][: want - k]
            rows_stream.append(np.repeat(ids, len(extra)))
            rows_receiver.append(np.tile(extra, len(ids)))
        rest = stream_ids[~source_located]
    else:
        rest = stream_ids
    if len(rest):
        pick = by_size[:want]
        rows_stream.append(np.repeat(rest, len(pick)))
        rows_receiver.append(np.tile(pick, len(rest)))
    chosen = pd.DataFrame(
        {"stream": np.concatenate(rows_stream), "receiver": np.concatenate(rows_receiver)}
    )
    source_of = streams["source_position"]
    chosen = chosen[chosen["receiver"].to_numpy() != source_of.loc[chosen["stream"]].to_numpy()]
    chosen["distance_km"] = _great_circle(
        lat[source_of.loc[chosen["stream"]].to_numpy()],
        lon[source_of.loc[chosen["stream"]].to_numpy()],
        lat[chosen["receiver"].to_numpy()],
        lon[chosen["receiver"].to_numpy()],
    )
    if max_distance_km is not None:
        chosen = chosen[~(chosen["distance_km"] > max_distance_km)]
    chosen = chosen.assign(_order=np.arange(len(chosen)))
    chosen = chosen.sort_values(["stream", "distance_km", "_order"], na_position="last")
    chosen = chosen.groupby("stream", sort=False).head(per_stream).drop(columns="_order")
    missing = np.setdiff1d(stream_ids, chosen["stream"].to_numpy())
    if len(missing):
        chosen = pd.concat([chosen, empty[empty["stream"].isin(missing)]], ignore_index=True)
    return chosen.reset_index(drop=True)


def _input_counts(network: FlowNetwork) -> np.ndarray:
    return np.bincount(network.target_positions, minlength=network.n_firms)


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
        candidates = candidates[candidates["kind"].isin(list(kinds))]
    if fates:
        fate = streams.loc[candidates["stream"], "fate"].to_numpy()
        candidates = candidates[np.isin(fate, list(fates))]
    return candidates.reset_index(drop=True)


def _ranked(candidates, streams, network, catalogue, rank_by) -> pd.DataFrame:
    """One row per opportunity (best candidate per stream and receiver, or per stream and
    sector for new plants), ranked within its group. O(c log c)."""
    if not len(candidates):
        return candidates.assign(group="", tier=0, group_rank=0, value=np.nan, maturity="")
    pathways = catalogue.pathways
    path = candidates["pathway"].to_numpy()
    maturity = np.where(path >= 0, pathways["maturity"].to_numpy()[np.maximum(path, 0)], "")
    same_material = path < 0
    tier = np.array([_MATURITY_TIER.get(m, 1) for m in maturity])
    tier = np.where(same_material, 0, tier)
    table = candidates.assign(
        maturity=np.where(same_material, "established", maturity),
        tier=tier,
        kind_order=candidates["kind"].map(_KIND_ORDER).to_numpy(),
        place=np.where(
            candidates["receiver"].to_numpy() >= 0,
            candidates["receiver"].astype(str).to_numpy(),
            "new:" + candidates["sector"].astype(str).to_numpy(),
        ),
    )
    table = table.sort_values(["stream", "place", "kind_order", "tier", "pathway"], kind="stable")
    table = table.drop_duplicates(["stream", "place"], keep="first")
    fate = streams.loc[table["stream"], "fate"].to_numpy()
    group = np.select(
        [np.isin(fate, GROUPS["dumped"]), fate == "sold"], ["dumped", "sold"], "downstream"
    )
    dimension = streams.loc[table["stream"], "dimension"].to_numpy(dtype=object)
    price = streams.loc[table["stream"], "price"].to_numpy(dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        value_ratio = streams.loc[table["stream"], "quantity"].to_numpy(dtype=float) / streams.loc[
            table["stream"], "value"
        ].to_numpy(dtype=float)
    table = table.assign(
        group=group,
        dimension=dimension,
        value=table["quantity"].to_numpy(dtype=float) * value_ratio * price,
        unknown=np.isnan(table["quantity"].to_numpy(dtype=float)).astype(int),
        negative_quantity=-table["quantity"].fillna(0.0).to_numpy(),
        dim_order=pd.Series(dimension)
        .map({d: i for i, d in enumerate(DIMENSIONS)})
        .fillna(9)
        .to_numpy(),
    )
    group_order = {"dumped": 0, "sold": 1, "downstream": 2}
    table["group_order"] = table["group"].map(group_order)
    # Alternatives for one stream: the most mature pathway first, then actors already in
    # the network (redirect, expand, new link) before new plants, then the nearest.
    table = table.assign(no_distance=table["distance_km"].isna().astype(int))
    table = table.sort_values(
        ["stream", "tier", "kind_order", "no_distance", "distance_km", "pathway", "place"],
        kind="stable",
    )
    table["alternative"] = table.groupby("stream", sort=False).cumcount()
    if rank_by == "quantity":
        table = table.sort_values(
            ["group_order", "unknown", "alternative", "negative_quantity", "stream"],
            kind="stable",
        )
        turn = table.groupby(["group_order", "unknown", "alternative", "dim_order"], sort=False)
        table = table.assign(turn=turn.cumcount().to_numpy()).sort_values(
            ["group_order", "unknown", "alternative", "turn", "dim_order"], kind="stable"
        )
    elif rank_by == "distance":
        table = table.sort_values(
            ["group_order", "alternative", "no_distance", "distance_km", "unknown",
             "negative_quantity", "stream"], kind="stable")  # fmt: skip
    else:
        table = table.assign(no_value=table["value"].isna().astype(int), neg_value=-table["value"])
        table = table.sort_values(
            ["group_order", "alternative", "no_value", "neg_value", "unknown",
             "negative_quantity", "stream"], kind="stable")  # fmt: skip
    table["group_rank"] = table.groupby("group_order", sort=False).cumcount() + 1
    return table.reset_index(drop=True)


def _listed(table: pd.DataFrame, top: int) -> pd.DataFrame:
    if not len(table) or top == 0:
        return table.iloc[0:0]
    return table[table["group_rank"] <= top]


def _counts(table: pd.DataFrame) -> dict[str, dict[str, int]]:
    counts = {}
    for group in GROUPS:
        kinds = table.loc[table["group"] == group, "kind"].value_counts() if len(table) else {}
        counts[group] = {kind: int(kinds.get(kind, 0)) for kind in KINDS}
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
            candidates["sector"].to_numpy() == sector
        )
    rows = candidates[mask].assign(k=lambda f: f["kind"].map(_KIND_ORDER))
    rows = rows.sort_values(["k", "pathway"], kind="stable")
    pathways = catalogue.pathways
    out = []
    for record in rows.itertuples():
        if record.pathway < 0:
            entry = {"id": None, "rule": record.rule, "kind": record.kind}
            entry.update(receiving_sector=None, product=None, maturity="established")
            entry.update(source="the receiver already takes this material", file=None, row=None)
        else:
            row = pathways.iloc[record.pathway]
            entry = {
                "id": row["id"],
                "rule": record.rule,
                "kind": record.kind,
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
    stream = streams.loc[row.stream]
    firms = network.firms
    new_plant = row.receiver < 0
    pathways = catalogue.pathways
    if row.pathway >= 0:
        target_sector = pathways["receiving_sector"].iat[row.pathway]
    elif not new_plant:
        target_sector = str(firms["sector"].iat[row.receiver])
    else:  # pragma: no cover - a redirect always has a receiver
        target_sector = ""
    if new_plant:
        target = _plant_id(network, target_sector)
        target_name = f"new {target_sector} plant (proposed)"
    else:
        target = str(firms.index[row.receiver])
        target_name = str(firms["name"].iat[row.receiver])
    dimension = None if pd.isna(stream["dimension"]) else str(stream["dimension"])
    replaces = None
    if row.kind == "redirect":
        suppliers = _primary_suppliers(network, row.receiver, row.replaced_key, dimension)
        replaces = {
            "material": suppliers[1],
            "suppliers": suppliers[0],
            "quantity": _none(row.replaced),
        }
    return Opportunity(
        rank=int(row.group_rank),
        group=row.group,
        kind=row.kind,
        fate=stream["fate"],
        source=str(stream["source"]),
        source_name=str(firms["name"].iat[stream["source_position"]]),
        material=str(stream["material"]),
        category=str(stream["category"]),
        stream_target=str(stream["target"]),
        dimension=dimension,
        unit=None if dimension is None else f"{CANONICAL_UNITS[dimension]}/yr",
        quantity=_none(row.quantity),
        stream_quantity=_none(stream["value"]),
        target=target,
        target_name=target_name,
        target_sector=target_sector,
        new_plant=bool(new_plant),
        distance_km=_none(row.distance_km),
        value=_none(row.value),
        maturity=row.maturity,
        evidence=_evidence(catalogue, candidates, row.stream, row.receiver, row.sector),
        replaces=replaces,
        edits=(),
    )


def _primary_suppliers(network, receiver, key, dimension):
    flows = network.flows
    roles = network.firms["role"].to_numpy()
    mask = (
        (network.target_positions == receiver)
        & (flows["material_key"].to_numpy() == key)
        & np.isin(roles[network.source_positions], ("market", "environment", "extraction"))
        & (flows["category"] == "product").to_numpy()
        & flows["value"].notna().to_numpy()
        & (flows["dimension"].to_numpy() == dimension)
    )
    chosen = flows[mask]
    material = str(chosen["material"].iat[0]) if len(chosen) else key
    return list(dict.fromkeys(chosen["source"].astype(str))), material


def _public_table(table, streams, network, catalogue) -> pd.DataFrame:
    """The ranked candidates as a readable table (ids, names, units)."""
    columns = [
        "group", "rank", "kind", "fate", "source", "material", "stream_target", "dimension",
        "quantity", "unit", "target", "target_sector", "new_plant", "distance_km", "value",
        "maturity", "pathway", "rule",
    ]  # fmt: skip
    if not len(table):
        empty = pd.DataFrame({c: pd.Series(dtype=object) for c in columns})
        return empty.astype({"rank": "int64", "quantity": float, "distance_km": float,
                             "value": float, "new_plant": bool})  # fmt: skip
    stream = streams.loc[table["stream"]]
    firms = network.firms
    receiver = table["receiver"].to_numpy()
    new_plant = receiver < 0
    path = table["pathway"].to_numpy()
    pathways = catalogue.pathways
    sector_text = np.where(
        path >= 0,
        pathways["receiving_sector"].to_numpy()[np.maximum(path, 0)],
        firms["sector"].astype(str).to_numpy()[np.maximum(receiver, 0)],
    )
    ids = firms.index.to_numpy()[np.maximum(receiver, 0)].astype(object)
    plants = {s: _plant_id(network, s) for s in set(sector_text[new_plant])}
    target = np.where(new_plant, [plants.get(s, "") for s in sector_text], ids)
    dimension = stream["dimension"].to_numpy(dtype=object)
    unit = [None if pd.isna(d) else f"{CANONICAL_UNITS[d]}/yr" for d in dimension]
    return pd.DataFrame(
        {
            "group": table["group"].to_numpy(),
            "rank": table["group_rank"].to_numpy(),
            "kind": table["kind"].to_numpy(),
            "fate": stream["fate"].to_numpy(),
            "source": stream["source"].to_numpy(),
            "material": stream["material"].to_numpy(),
            "stream_target": stream["target"].to_numpy(),
            "dimension": dimension,
            "quantity": table["quantity"].to_numpy(dtype=float),
            "unit": unit,
            "target": target,
            "target_sector": sector_text,
            "new_plant": new_plant,
            "distance_km": table["distance_km"].to_numpy(dtype=float),
            "value": table["value"].to_numpy(dtype=float),
            "maturity": table["maturity"].to_numpy(),
            "pathway": np.where(path >= 0, pathways["id"].to_numpy()[np.maximum(path, 0)], None),
            "rule": table["rule"].to_numpy(),
        }
    )


def _plants(table, streams, network, catalogue, max_feeds: int = 20) -> tuple[PlantProposal, ...]:
    """New-plant opportunities grouped by receiving sector, with their total feed (the
    ``max_feeds`` largest feeds are listed). O(c log c), vectorised."""
    if not len(table):
        return ()
    plants = table[table["receiver"].to_numpy() < 0]
    if not len(plants):
        return ()
    pathways = catalogue.pathways
    stream = streams.loc[plants["stream"]]
    feeds = pd.DataFrame(
        {
            "sector": plants["sector"].to_numpy(),
            "group": plants["group"].to_numpy(),
            "source": stream["source"].astype(str).to_numpy(),
            "material": stream["material"].astype(str).to_numpy(),
            "fate": stream["fate"].to_numpy(),
            "dimension": stream["dimension"].to_numpy(dtype=object),
            "quantity": stream["value"].to_numpy(dtype=float),
            "pathway": pathways["id"].to_numpy()[plants["pathway"].to_numpy()],
            "row": plants["pathway"].to_numpy(),
        }
    )
    totals = (
        feeds.dropna(subset=["dimension", "quantity"])
        .groupby(["sector", "group", "dimension"])["quantity"]
        .sum()
    )
    proposals = []
    for sector, group in feeds.groupby("sector", sort=False):
        rows = pathways.iloc[np.unique(group["row"].to_numpy())]
        name = rows["receiving_sector"].iat[0]

        def total(kind, sector=sector):
            if (sector, kind) not in totals.index.droplevel(2):
                return {}
            part = totals.loc[(sector, kind)]
            return {d: float(part[d]) for d in DIMENSIONS if d in part.index}

        largest = group.sort_values("quantity", ascending=False, na_position="last")
        listed = [
            {k: _none(v) for k, v in record.items() if k not in ("sector", "group", "row")}
            for record in largest.head(max_feeds).to_dict("records")
        ]
        tiers = [_MATURITY_TIER.get(m, 1) for m in rows["maturity"]]
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


def _uncovered(streams: pd.DataFrame, candidates: pd.DataFrame) -> pd.DataFrame:
    """Residual streams that no candidate covers, summed by material, dimension and fate."""
    columns = ["material", "material_key", "dimension", "fate", "streams", "quantity", "unit"]
    residual = streams[streams["fate"] != "product"]
    left = residual[~residual.index.isin(candidates["stream"].unique())]
    if not len(left):
        return pd.DataFrame(columns=columns)
    grouped = left.groupby(["material_key", "dimension", "fate"], dropna=False, sort=False)
    table = grouped.agg(
        material=("material", "first"), streams=("value", "size"), quantity=("value", "sum")
    ).reset_index()
    table["unit"] = [None if pd.isna(d) else f"{CANONICAL_UNITS[d]}/yr" for d in table["dimension"]]
    table = table.sort_values(["dimension", "quantity"], ascending=[True, False])
    return table[columns].reset_index(drop=True)


# ============================================================================ edits


def opportunity_edits(
    opportunity: Opportunity,
    network: FlowNetwork,
    *,
    quantity: float | None = None,
    add_plant: bool = True,
) -> list[ed.Edit]:
    """The edits that carry out ``opportunity`` on ``network`` (scenario order).

    ``quantity`` (canonical unit) overrides the amount moved (what is left of the stream
    in a cumulative application); ``None`` moves the opportunity's quantity, or the
    whole stream for kinds other than redirect. ``add_plant`` is False when the proposed
    plant already exists.
    """
    flows = network.flows
    selector = (flows["source"] == opportunity.source) & (
        flows["target"] == opportunity.stream_target
    )
    selector &= flows["material"] == opportunity.material
    matches = flows[selector.to_numpy()]
    if not len(matches):
        raise InputError(
            f"no flow {opportunity.source} -> {opportunity.stream_target} of "
            f"'{opportunity.material}' in the network"
        )
    flow = matches.iloc[0]
    row = int(flow["row"]) if len(matches) > 1 else None
    edits: list[ed.Edit] = []
    if opportunity.new_plant and add_plant:
        edits.append(
            ed.AddFirm(
                opportunity.target,
                name=f"Proposed {opportunity.target_sector} plant",
                sector=opportunity.target_sector,
                role="firm",
            )
        )
    amount = quantity
    if amount is None and opportunity.kind == "redirect":
        amount = opportunity.quantity
    whole = (
        amount is None or not np.isfinite(flow["value"]) or amount >= flow["value"] * (1 - 1e-12)
    )
    moved = None
    if not whole:
        moved = amount * flow["quantity"] / flow["value"]
    edits.append(
        ed.RedirectFlow(
            opportunity.source,
            opportunity.stream_target,
            opportunity.material,
            row=row,
            to=opportunity.target,
            quantity=None if moved is None else float(moved),
            unit=None if moved is None else str(flow["unit"]),
        )
    )
    if opportunity.kind == "redirect" and opportunity.replaces:
        substituted = flow["value"] if amount is None else min(amount, flow["value"])
        edits.extend(_substitution_edits(opportunity, network, substituted))
    return ed.sort_edits(edits)


def _substitution_edits(opportunity, network, amount: float) -> list[ed.Edit]:
    """Scale the receiver's primary inputs of the substituted material down by ``amount``."""
    flows = network.flows
    roles = network.firms["role"]
    material = opportunity.replaces["material"]
    from ..vocabulary import material_key

    key = material_key(material)
    mask = (
        (flows["target"] == opportunity.target).to_numpy()
        & (flows["material_key"] == key).to_numpy()
        & flows["source"].map(roles).isin(["market", "environment", "extraction"]).to_numpy()
        & (flows["category"] == "product").to_numpy()
        & flows["value"].notna().to_numpy()
        & (flows["dimension"] == opportunity.dimension).to_numpy()
    )
    inputs = flows[mask]
    total = float(inputs["value"].sum())
    if total <= 0:
        return []
    factor = max(0.0, 1.0 - amount / total)
    out = []
    for record in inputs.itertuples():
        same = (
            (flows["source"] == record.source)
            & (flows["target"] == record.target)
            & (flows["material_key"] == record.material_key)
        ).sum()
        out.append(
            ed.ScaleFlow(
                record.source,
                record.target,
                record.material,
                row=int(record.row) if same > 1 else None,
                factor=factor,
            )
        )
    return out


# ============================================================================ impact


def _indicators(network: FlowNetwork) -> dict[str, dict[str, float | None]]:
    """Reuse share and utilisation rate per dimension, with the residual streams and fates
    of :mod:`symbiosis.analysis.reuse` (same mask, same role-to-fate table). O(f), numpy."""
    flows = network.flows
    values = flows["value"].to_numpy(dtype=float)
    residual = flows["category"].isin(RESIDUAL_CATEGORIES).to_numpy()
    mask = residual & network.source_is_actor & ~np.isnan(values)
    roles = network.firms["role"].to_numpy()
    fate = pd.Series(roles).map(FATE_OF_ROLE).to_numpy(dtype=object)[network.target_positions]
    dimension = flows["dimension"].to_numpy(dtype=object)
    out = {}
    for dim in DIMENSIONS:
        in_dim = mask & (dimension == dim)
        if not in_dim.any():
            continue
        generated = float(values[in_dim].sum())
        reused = float(values[in_dim & (fate == "reused")].sum())
        sold = float(values[in_dim & (fate == "sold")].sum())
        out[dim] = {
            "reuse_share": reused / generated if generated > 0 else None,
            "utilization_rate": (reused + sold) / generated if generated > 0 else None,
        }
    return out


def _compare(before, after) -> tuple[dict, dict]:
    dims = [d for d in DIMENSIONS if d in before or d in after]
    share = {
        d: (before.get(d, {}).get("reuse_share"), after.get(d, {}).get("reuse_share")) for d in dims
    }
    rate = {
        d: (before.get(d, {}).get("utilization_rate"), after.get(d, {}).get("utilization_rate"))
        for d in dims
    }
    return share, rate


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
    if s not in set(order.tolist()):
        return None
    path = [s]
    while path[-1] != t:
        path.append(int(predecessors[path[-1]]))
    cycle = [s, *reversed(path[1:])]
    return tuple(str(nodes[i]) for i in cycle)


def _with_impact(opportunity, network, base, adjacency) -> Opportunity:
    edits = opportunity_edits(opportunity, network)
    after = ed.apply(network, edits, file="opportunity")
    share, rate = _compare(base, _indicators(after))
    loops = ()
    if not opportunity.new_plant:
        loop = _loop_through(*adjacency, opportunity.source, opportunity.target)
        loops = (loop,) if loop else ()
    impact = Impact(share, rate, loops, len(edits))
    return _replace(opportunity, impact=impact, edits=tuple(edits))


def _cumulative(opportunities, network, base, streams) -> CumulativeImpact:
    """Apply the listed opportunities together, in group then rank order."""
    remaining: dict[tuple, float] = {}
    used_by: dict[tuple, int] = {}
    added_plants: set[str] = set()
    edits: list[ed.Edit] = []
    applied, skipped, moved = [], {}, {}
    new_links = []
    primary_left: dict[tuple, float] = {}
    for number, opportunity in enumerate(opportunities, start=1):
        key = (opportunity.source, opportunity.stream_target, opportunity.material)
        stream_total = opportunity.stream_quantity
        left = remaining.get(key, stream_total)
        if key in remaining and (left is None or left <= 0):
            skipped[number] = used_by[key]
            continue
        amount = None
        if opportunity.kind == "redirect":
            substitute = (opportunity.target, opportunity.replaces["material"])
            available = primary_left.get(substitute, opportunity.replaces["quantity"])
            amount = min(left, available)
            if amount <= 0:
                skipped[number] = used_by.get(key, number)
                continue
            primary_left[substitute] = available - amount
        elif left is not None and key in remaining:
            amount = left
        step = opportunity_edits(
            opportunity, network, quantity=amount, add_plant=opportunity.target not in added_plants
        )
        if opportunity.kind == "redirect":
            step = _rescale_substitution(step, opportunity, network, amount, edits)
        if opportunity.new_plant:
            added_plants.add(opportunity.target)
        edits.extend(step)
        applied.append(number)
        used_by[key] = number
        taken = left if amount is None else amount
        remaining[key] = (left or 0) - (taken or 0) if left is not None else 0
        if opportunity.dimension and taken is not None:
            moved[opportunity.dimension] = moved.get(opportunity.dimension, 0.0) + taken
        if not opportunity.new_plant:
            new_links.append((opportunity.source, opportunity.target))
    ordered = ed.sort_edits(edits)
    after = ed.apply(network, ordered, file="opportunities")
    share, rate = _compare(base, _indicators(after))
    base_matrix, base_nodes = _actor_adjacency(network)
    matrix, nodes = _actor_adjacency(after)
    loops = []
    for source, target in dict.fromkeys(new_links):
        known = source in base_nodes and target in base_nodes
        if known and base_matrix[base_nodes.get_loc(source), base_nodes.get_loc(target)] != 0:
            continue
        loop = _loop_through(matrix, nodes, source, target, new_only=False)
        if loop:
            loops.append(loop)
    impact = Impact(share, rate, tuple(loops), len(ordered))
    ranks = {n: o.rank for n, o in enumerate(opportunities, start=1)}
    groups = {n: o.group for n, o in enumerate(opportunities, start=1)}
    return CumulativeImpact(
        applied=tuple(ranks[n] for n in applied),
        skipped={ranks[n]: ranks[m] for n, m in skipped.items() if groups[n] == groups[m]},
        moved=moved,
        impact=impact,
        edits=tuple(ordered),
    )


def _rescale_substitution(step, opportunity, network, amount, earlier) -> list[ed.Edit]:
    """Scale factors for a substitution relative to what earlier redirects left of the
    primary input (they compound in scenario order)."""
    scales = [e for e in step if isinstance(e, ed.ScaleFlow)]
    if not scales:
        return step
    done = 1.0
    for edit in earlier:
        if (
            isinstance(edit, ed.ScaleFlow)
            and edit.target == opportunity.target
            and edit.material == scales[0].material
            and edit.source == scales[0].source
        ):
            done *= edit.factor
    total = opportunity.replaces["quantity"] * done
    factor = max(0.0, 1.0 - amount / total) if total > 0 else 0.0
    rest = [e for e in step if not isinstance(e, ed.ScaleFlow)]
    return rest + [_replace(e, factor=factor) for e in scales]


# ============================================================================ helpers


def _replace(obj, **changes):
    from dataclasses import replace

    return replace(obj, **changes)


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
        if isinstance(edit, ed.RedirectFlow):
            o = by_stream.get((edit.source, edit.target, edit.material, edit.to))
            if o is not None:
                ids = ", ".join(e["id"] or e["rule"] for e in o.evidence)
                notes.append(f"{o.group} #{o.rank} {o.kind}: {o.describe()}\npathway: {ids}")
                continue
        notes.append(None)
    return notes
