"""The k-d tree of the receivers, loaded without scipy.spatial's package."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from symbiosis.analysis.opportunities import receivers
from symbiosis.analysis.opportunities.receivers import Geo, _nearest, kd_tree_class


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
