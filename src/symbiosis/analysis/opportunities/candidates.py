"""Candidates: matching streams to receivers through the catalogue."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ...catalogue import Catalogue
from ...model import FlowNetwork
from .result import _EARTH_RADIUS_KM
from .streams import _objects, _Streams, _unique

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
