"""The receivers of each stream (:func:`receivers.choose`) against the plain way, and the
spatial order of the queries."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from symbiosis.analysis.opportunities import nearest, receivers
from symbiosis.analysis.opportunities.geo import Geo, _cells, great_circle, shared_sites
from symbiosis.analysis.opportunities.receivers import _nearest_local


def _nearest(geo, pool, sources, k):
    """The k nearest pool actors of each source, as node positions, the plain way: a
    stable argsort of every squared chord (ties by pool order)."""
    squared = nearest.squared_chords(geo.unit, pool, sources)
    return np.take(pool, np.argsort(squared, axis=1, kind="stable")[:, :k])


def _geo(lat: np.ndarray, lon: np.ndarray, size=None) -> Geo:
    phi, lam = np.radians(lat), np.radians(lon)
    unit = np.column_stack([np.cos(phi) * np.cos(lam), np.cos(phi) * np.sin(lam), np.sin(phi)])
    n = len(lat)
    located = ~np.isnan(lat) & ~np.isnan(lon)
    size = np.zeros(n, np.int64) if size is None else size
    return Geo(lat, lon, located, size, unit, phi, np.cos(phi), _cells(lat, lon),
               shared_sites(lat, lon, located))  # fmt: skip


def test_nearest_local_takes_each_distinct_source_once():
    """Repeated sources get the same rows as their first query."""
    rng = np.random.default_rng(3)
    lat, lon = rng.uniform(-60, 60, 50).round(0), rng.uniform(-170, 170, 50).round(0)
    geo = _geo(lat, lon)
    pool, sources = np.arange(0, 50, 2), rng.integers(0, 50, 400)
    got = np.take(pool, _nearest_local(geo, pool, sources, 3))
    np.testing.assert_array_equal(got, _nearest(geo, pool, sources, 3))


# ---------------------------------------------------------------------------- choose


def _plain_choose(ctx, stream_ids, pool):
    """:func:`receivers.choose` the plain way (node positions gathered by fancy indexing,
    one great_circle of the picks, a stable argsort of every row)."""
    n, per = len(stream_ids), ctx.per_stream
    chosen = receivers.Chosen(np.zeros(n, np.int64), np.full((n, per), -1),
                              np.full((n, per), np.nan))  # fmt: skip
    geo, want = ctx.geo, per + 1
    sources = ctx.streams.source_position[stream_ids]
    by_size = pool[np.argsort(-geo.size[pool], kind="stable")]
    pool_located = pool[geo.located[pool]]
    located = geo.located[sources]
    rest = np.arange(n)
    if len(pool_located) and located.any():
        rows = np.flatnonzero(located)
        picks = _nearest(geo, pool_located, sources[rows], min(want, len(pool_located)))
        if len(pool_located) < want:
            extra = by_size[~geo.located[by_size]][: want - len(pool_located)]
            picks = np.hstack([picks, np.broadcast_to(extra, (len(rows), len(extra)))])
        _plain_select(ctx, chosen, rows, sources[rows], picks)
        rest = np.flatnonzero(~located)
    if len(rest):
        top = by_size[:want]
        _plain_select(ctx, chosen, rest, sources[rest], np.broadcast_to(top, (len(rest), len(top))))
    return chosen


def _plain_select(ctx, chosen, rows, sources, picks):
    distance = great_circle(ctx.geo, sources[:, None], picks)
    valid = picks != sources[:, None]
    if ctx.max_distance_km is not None:
        valid &= ~(distance > ctx.max_distance_km)
    key = np.where(valid, np.where(np.isnan(distance), np.inf, distance), np.nan)
    width = min(ctx.per_stream, picks.shape[1])
    count = np.minimum(valid.sum(axis=1), ctx.per_stream)
    beyond = np.arange(width) >= count[:, None]
    order = np.argsort(key, axis=1, kind="stable")[:, :width]
    receiver = np.take_along_axis(picks, order, axis=1)
    distance = np.take_along_axis(distance, order, axis=1)
    chosen.count[rows] = count
    chosen.receiver[rows, :width] = np.where(beyond, -1, receiver)
    chosen.distance[rows, :width] = np.where(beyond, np.nan, distance)


@settings(max_examples=80, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    n=st.integers(2, 300),
    per=st.integers(1, 4),
    grid=st.sampled_from([0.5, 2.0, 40.0]),  # coarse grids: many equal distances
    unlocated=st.floats(0, 0.8),
    reach=st.sampled_from([None, 30.0, 300.0]),
    tree=st.booleans(),
)
def test_choose_agrees_with_the_plain_way(seed, n, per, grid, unlocated, reach, tree):
    rng = np.random.default_rng(seed)
    lat = np.round(rng.uniform(-60, 60, n) / grid) * grid
    lon = np.round(rng.uniform(-170, 170, n) / grid) * grid
    lat[rng.random(n) < unlocated] = np.nan
    lon[rng.random(n) < unlocated / 3] = np.nan
    geo = _geo(lat, lon, size=rng.integers(0, 3, n))
    small = rng.random() < 0.5  # few located actors: topped up with unlocated ones
    size = rng.integers(1, (min(n, 8) if small else n) + 1)
    pool = np.sort(rng.choice(n, size=size, replace=False))
    source = rng.integers(0, n, rng.integers(1, 2 * n))
    limits = None if reach is None else (np.full(len(source), float(reach)),) * 2
    ctx = SimpleNamespace(geo=geo, per_stream=per, max_distance_km=reach, limits=limits,
                          reach=None, streams=SimpleNamespace(source_position=source))  # fmt: skip
    ids = np.sort(rng.choice(len(source), size=rng.integers(1, len(source) + 1), replace=False))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(nearest, "BRUTE_FORCE_PAIRS", -1 if tree else 1 << 62)
        got, want = receivers.choose(ctx, ids, pool), _plain_choose(ctx, ids, pool)
    np.testing.assert_array_equal(got.count, want.count)
    np.testing.assert_array_equal(got.receiver, want.receiver)
    assert np.array_equal(got.distance, want.distance, equal_nan=True)
    assert np.array_equal(np.nan_to_num(got.distance).view(np.int64),
                          np.nan_to_num(want.distance).view(np.int64))  # fmt: skip


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(1, 500), m=st.integers(1, 600))
def test_nodes_in_space_by_marks_as_by_a_sort(seed, n, m):
    rng = np.random.default_rng(seed)
    lat, lon = rng.uniform(-60, 60, n).round(0), rng.uniform(-170, 170, n).round(0)
    lat[rng.random(n) < 0.1] = np.nan  # cell 0 for unknown coordinates, ties of cells
    geo = _geo(lat, lon)
    nodes = rng.integers(0, n, m)
    ordered, row = receivers._in_space(geo, nodes)
    distinct = np.unique(nodes)
    want = distinct[np.lexsort((distinct, geo.cell[distinct]))]
    np.testing.assert_array_equal(ordered, want)
    np.testing.assert_array_equal(ordered[row], nodes)
