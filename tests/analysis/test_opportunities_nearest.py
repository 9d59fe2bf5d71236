"""The k nearest pool actors (:mod:`symbiosis.analysis.opportunities.nearest`): the k-d
tree's way gives the brute force's actors in the brute force's order, ties included."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from symbiosis.analysis.opportunities import nearest


def _unit(lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    phi, lam = np.radians(lat), np.radians(lon)
    return np.column_stack([np.cos(phi) * np.cos(lam), np.cos(phi) * np.sin(lam), np.sin(phi)])


def _plain(unit, pool, sources, k):
    """The definition: a stable argsort of every squared chord, the first k columns."""
    squared = nearest.squared_chords(unit, pool, sources)
    return np.argsort(squared, axis=1, kind="stable")[:, :k]


def _sites(lat, lon):
    """A code per node, equal for nodes at one coordinate (as Geo makes them)."""
    return np.unique(np.column_stack([lat, lon]), axis=0, return_inverse=True)[1].ravel()


def _by_tree(unit, pool, sources, k, site=None):
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(nearest, "BRUTE_FORCE_PAIRS", -1)  # always the tree
        return nearest.nearest(unit, pool, sources, k, site)


@settings(max_examples=150, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    n=st.integers(2, 400),
    k=st.integers(1, 6),
    queries=st.integers(1, 300),
    grid=st.sampled_from([0.0, 0.05, 1.0, 10.0, 60.0]),  # 0: no grid, no ties
    sites=st.booleans(),
)
def test_tree_gives_the_brute_forces_answer(seed, n, k, queries, grid, sites):
    """On random points, and on grids where many actors share a site and many sites lie
    at one distance: the same actors in the same order, with the sites grouped or each
    actor alone in the tree."""
    rng = np.random.default_rng(seed)
    lat, lon = rng.uniform(-60, 60, n), rng.uniform(-170, 170, n)
    if grid:
        lat, lon = np.round(lat / grid) * grid, np.round(lon / grid) * grid
    unit = _unit(lat, lon)
    pool = np.sort(rng.choice(n, size=rng.integers(min(k, n), n + 1), replace=False))
    k = min(k, len(pool))
    sources = rng.integers(0, n, queries)
    site = _sites(lat, lon) if sites else None
    got = _by_tree(unit, pool, sources, k, site)
    np.testing.assert_array_equal(got, _plain(unit, pool, sources, k))


def test_a_whole_site_is_taken_in_pool_order():
    """Ten actors at one site, three at another one a little farther: the nearest three
    are the first three of the near site by position, whatever the tree's order."""
    lat = np.r_[np.full(10, 45.0), np.full(3, 45.1), 44.0]
    lon = np.r_[np.full(10, 7.0), np.full(3, 7.0), 7.0]
    unit = _unit(lat, lon)
    pool = np.arange(13)
    source = np.array([13])
    for site in (None, _sites(lat, lon)):
        np.testing.assert_array_equal(_by_tree(unit, pool, source, 3, site), [[0, 1, 2]])
        np.testing.assert_array_equal(_by_tree(unit, pool, source, 12, site)[0, 10:], [10, 11])


def test_sites_at_one_distance_merge_by_pool_order():
    """Two sites at exactly the same distance from the source (mirror images across its
    meridian): their actors merge by pool position, not site after site."""
    lat = np.array([0.0, 0.0, 0.0, 0.0, 0.0, 0.0])
    lon = np.array([-1.0, 1.0, -1.0, 1.0, 5.0, 0.0])  # sites at -1 and +1, both 1 degree away
    unit = _unit(lat, lon)
    chords = nearest.squared_chords(unit, np.arange(4), np.array([5]))[0]
    assert chords[0] == chords[1]  # the case this test is about: an exact tie
    pool, source = np.arange(5), np.array([5])
    for site in (None, _sites(lat, lon)):
        np.testing.assert_array_equal(_by_tree(unit, pool, source, 3, site), [[0, 1, 2]])


def test_sites_group_actors_in_pool_order():
    points = np.arange(6 * 3, dtype=float).reshape(6, 3)
    sites = nearest.Sites.of(points, np.array([7, 3, 7, 9, 3, 7]))
    groups = zip(sites.start, sites.count, strict=True)
    assert [list(sites.members[s : s + c]) for s, c in groups] == [[0, 2, 5], [1, 4], [3]]
    np.testing.assert_array_equal(sites.points, points[[0, 1, 3]])
    assert not sites.singles and nearest.Sites.each(points).singles


def test_small_pools_never_load_the_tree():
    code = (
        "import sys\n"
        "import numpy as np\n"
        "from symbiosis.analysis.opportunities import nearest\n"
        "unit = np.eye(3)[[0, 1, 2, 0]]\n"
        "nearest.nearest(unit, np.arange(3), np.array([3]), 2)\n"
        "assert 'pykdtree' not in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_the_queries_leave_openmp_as_they_found_it():
    """One OpenMP thread for the queries, in the asking thread only, restored after."""
    unit = _unit(np.linspace(-50, 50, 400), np.linspace(-100, 100, 400))
    before = [info["num_threads"] for info in nearest._openmp().info()]  # before any query
    assert before
    _by_tree(unit, np.arange(0, 400, 2), np.arange(400), 3)
    assert [info["num_threads"] for info in nearest._openmp().info()] == before


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
    np.testing.assert_array_equal(nearest.first_k(squared, k), plain)


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
    unit = _unit(lat, lon)
    source_ids, pool_ids = np.arange(sources), np.arange(sources, n)
    gaps = unit[source_ids][:, None, :] - unit[pool_ids][None, :, :]
    x, y, z = (gaps[..., axis] * gaps[..., axis] for axis in range(3))
    fast = nearest.squared_chords(unit, pool_ids, source_ids)
    np.testing.assert_array_equal(fast.view(np.int64), ((x + z) + y).view(np.int64))
    einsum = np.einsum("ijk,ijk->ij", gaps, gaps)
    np.testing.assert_allclose(fast, einsum, rtol=4 * np.finfo(float).eps, atol=1e-300)
