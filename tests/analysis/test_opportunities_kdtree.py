"""The k-d tree of the receivers, loaded without scipy.spatial's package."""

from __future__ import annotations

import subprocess
import sys
from types import SimpleNamespace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from symbiosis.analysis.opportunities import receivers
from symbiosis.analysis.opportunities.receivers import Geo, _nearest_local, kd_tree_class


def _nearest(geo, pool, sources, k):
    """The k nearest pool actors of each source, as node positions."""
    return np.take(pool, _nearest_local(geo, pool, sources, k))


def test_tree_loads_alone_and_is_scipys_class():
    code = (
        "import sys\n"
        "from symbiosis.analysis.opportunities.receivers import kd_tree_class\n"
        "tree = kd_tree_class()\n"
        "assert 'scipy.spatial' not in sys.modules, 'package loaded'\n"
        "assert 'scipy.special' not in sys.modules, 'special loaded'\n"
        "import scipy.spatial\n"
        "assert scipy.spatial.cKDTree is tree\n"
        "assert kd_tree_class() is tree\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_threads_loading_the_tree_at_once_all_get_the_class():
    """The candidate stages load the tree from two threads at once: a thread that finds
    the module registered but not yet run must wait for it, not read it half made
    (the analysis of a network with years failed so, 'no attribute cKDTree')."""
    code = (
        "import threading, scipy.sparse\n"
        "from symbiosis.analysis.opportunities.receivers import kd_tree_class\n"
        "start, got = threading.Barrier(4), []\n"
        "def load():\n"
        "    start.wait()\n"
        "    try:\n"
        "        got.append(kd_tree_class())\n"
        "    except Exception as exc:\n"
        "        got.append(exc)\n"
        "threads = [threading.Thread(target=load) for _ in range(4)]\n"
        "[t.start() for t in threads]; [t.join() for t in threads]\n"
        "assert len(got) == 4 and all(g is got[0] for g in got), got\n"
        "assert got[0].__name__ == 'cKDTree'\n"
    )
    for _ in range(5):  # each run a fresh interpreter: the first load is the racy one
        subprocess.run([sys.executable, "-c", code], check=True)


def test_tree_class_after_the_package_is_the_packages():
    import scipy.spatial

    assert kd_tree_class() is scipy.spatial.cKDTree


def _geo(lat: np.ndarray, lon: np.ndarray) -> Geo:
    phi, lam = np.radians(lat), np.radians(lon)
    unit = np.column_stack([np.cos(phi) * np.cos(lam), np.cos(phi) * np.sin(lam), np.sin(phi)])
    n = len(lat)
    located = np.ones(n, dtype=bool)
    return Geo(lat, lon, located, np.zeros(n, np.int64), unit, phi, np.cos(phi),
               receivers._cells(lat, lon))  # fmt: skip


@settings(max_examples=40, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    n=st.integers(5, 400),
    k=st.integers(1, 4),
    queries=st.integers(1, 300),
)
def test_tree_query_agrees_with_brute_force(seed, n, k, queries):
    rng = np.random.default_rng(seed)
    lat, lon = rng.uniform(-60, 60, n), rng.uniform(-170, 170, n)
    geo = _geo(lat, lon)
    pool = np.sort(rng.choice(n, size=rng.integers(k, n + 1), replace=False))
    sources = rng.integers(0, n, queries)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(receivers, "_BRUTE_FORCE_PAIRS", -1)  # always the tree
        by_tree = _nearest(geo, pool, sources, k)
        patch.setattr(receivers, "_BRUTE_FORCE_PAIRS", 1 << 62)  # never the tree
        plain = _nearest(geo, pool, sources, k)
    # random coordinates: no ties, so the same neighbours in the same order
    np.testing.assert_array_equal(by_tree, plain)


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
    distance = receivers.great_circle(ctx.geo, sources[:, None], picks)
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
    geo = _geo(lat, lon)
    geo = Geo(lat, lon, ~np.isnan(lat) & ~np.isnan(lon), rng.integers(0, 3, n), geo.unit,
              geo.phi, geo.cos_phi, geo.cell)  # fmt: skip
    small = rng.random() < 0.5  # few located actors: topped up with unlocated ones
    size = rng.integers(1, (min(n, 8) if small else n) + 1)
    pool = np.sort(rng.choice(n, size=size, replace=False))
    source = rng.integers(0, n, rng.integers(1, 2 * n))
    ctx = SimpleNamespace(geo=geo, per_stream=per, max_distance_km=reach,
                          streams=SimpleNamespace(source_position=source))  # fmt: skip
    ids = np.sort(rng.choice(len(source), size=rng.integers(1, len(source) + 1), replace=False))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(receivers, "_BRUTE_FORCE_PAIRS", -1 if tree else 1 << 62)
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


@settings(max_examples=200, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    rows=st.integers(1, 30),
    columns=st.integers(1, 60),
    k=st.integers(1, 8),
    levels=st.integers(1, 1000),
)
def test_first_k_is_a_stable_argsorts_first_columns(seed, rows, columns, k, levels):
    """The brute force's partial selection against the plain stable argsort, with ties
    (few distinct values) and without."""
    squared = np.random.default_rng(seed).integers(0, levels, (rows, columns)) / 7.0
    plain = np.argsort(squared, axis=1, kind="stable")[:, :k]
    np.testing.assert_array_equal(receivers._first_k(squared, k), plain)


@settings(max_examples=200, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    sources=st.integers(1, 300),
    pool=st.integers(1, 200),
    close=st.booleans(),
)
def test_squared_chords_are_the_fixed_order_sum(seed, sources, pool, close):
    """The brute force's squared chords, a coordinate at a time, bit for bit the squares
    added in one fixed order, (x + z) + y (the order einsum used when the brute force
    summed the (sources, pool, 3) gaps with it, so near-equal distances kept their
    order), and within rounding of einsum's sum, whose order of addition may change with
    the CPU and the numpy release."""
    rng = np.random.default_rng(seed)
    n = sources + pool
    lat, lon = rng.uniform(-90, 90, n), rng.uniform(-180, 180, n)
    if close:  # near-duplicates of one place: distances equal but for the last bits
        lat[sources:] = lat[0] + rng.normal(0, 1e-7, pool)
        lon[sources:] = lon[0] + rng.normal(0, 1e-7, pool)
    unit = _geo(lat, lon).unit
    source_ids, pool_ids = np.arange(sources), np.arange(sources, n)
    gaps = unit[source_ids][:, None, :] - unit[pool_ids][None, :, :]
    x, y, z = (gaps[..., axis] * gaps[..., axis] for axis in range(3))
    fast = receivers._squared_chords(unit, pool_ids, source_ids)
    np.testing.assert_array_equal(fast.view(np.int64), ((x + z) + y).view(np.int64))
    einsum = np.einsum("ijk,ijk->ij", gaps, gaps)
    np.testing.assert_allclose(fast, einsum, rtol=4 * np.finfo(float).eps, atol=1e-300)
