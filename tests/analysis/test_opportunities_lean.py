"""The lean opportunities pass: the shortcuts it takes give exactly what the plain
computations give (in-place haversine, rows already in order, the compact public table,
the all-NaN worth parts), and the result keeps no candidates, context or network."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from symbiosis import from_frames
from symbiosis.analysis.opportunities import find_opportunities
from symbiosis.analysis.opportunities.geo import great_circle
from symbiosis.analysis.opportunities.nearest import in_order
from symbiosis.analysis.opportunities.tables import _packed, _small_type

from .test_opportunities import FIRMS, FLOWS


def _plain_great_circle(geo, a, b):
    dphi = geo.phi[b] - geo.phi[a]
    dlam = np.radians(geo.lon[b] - geo.lon[a])
    h = np.sin(dphi / 2) ** 2 + geo.cos_phi[a] * geo.cos_phi[b] * np.sin(dlam / 2) ** 2
    return 2 * 6371.0088 * np.arcsin(np.sqrt(np.clip(h, 0.0, 1.0)))


def _geo(n: int, seed: int) -> SimpleNamespace:
    rng = np.random.default_rng(seed)
    lat, lon = rng.uniform(-89, 89, n), rng.uniform(-180, 180, n)
    lat[::17], lon[::13] = np.nan, np.nan  # unknown coordinates give NaN
    phi = np.radians(lat)
    return SimpleNamespace(phi=phi, lon=lon, cos_phi=np.cos(phi))


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_in_place_haversine_is_bit_identical(seed):
    geo, rng = _geo(500, seed), np.random.default_rng(seed)
    a, b = rng.integers(0, 500, 200), rng.integers(0, 500, (200, 4))
    for x, y in ((a[:, None], b), (a, b[:, 0]), (3, 7), (a[:, None], b[0])):
        got, want = great_circle(geo, x, y), _plain_great_circle(geo, x, y)
        assert np.shape(got) == np.shape(want)
        assert np.array_equal(np.asarray(got), np.asarray(want), equal_nan=True)
        assert np.array_equal(np.nan_to_num(got).view(np.int64), np.nan_to_num(want).view(np.int64))


def test_rows_in_order_as_a_stable_argsort_with_nan_last():
    rng = np.random.default_rng(3)
    key = np.sort(rng.integers(0, 4, (2000, 4)).astype(float), axis=1)  # mostly in order
    shuffled = rng.random(2000) < 0.3
    key[shuffled] = rng.permuted(key[shuffled], axis=1)
    key[rng.random((2000, 4)) < 0.1] = np.nan
    key[rng.random((2000, 4)) < 0.05] = np.inf
    picks = rng.integers(0, 100, (2000, 4))
    for width in (1, 3, 4):
        order = np.argsort(key, axis=1, kind="stable")[:, :width]
        got_picks, got_key = in_order(key, width, picks, key)
        assert np.array_equal(got_picks, np.take_along_axis(picks, order, axis=1))
        want_key = np.take_along_axis(key, order, axis=1)
        assert np.array_equal(got_key, want_key, equal_nan=True)
    ordered = np.sort(rng.random((50, 3)), axis=1)
    assert np.array_equal(in_order(ordered, 3, ordered)[0], ordered)


def test_packed_columns_keep_values_and_types():
    rng = np.random.default_rng(4)
    source = rng.integers(-5, 300, 1000)
    index = rng.permutation(1000)[:700]
    floats = rng.random(1000)
    small = source.astype(_small_type(source))
    assert small.dtype == np.int16 and np.array_equal(small, source)
    assert _small_type(np.array([0, 2**40])) == np.int64
    out = _packed(
        {"a": (small, index), "b": (floats, index), "c": (np.arange(3, dtype=np.int8), None)}
    )
    assert np.array_equal(out["a"], source[index]) and out["a"].dtype == np.int16
    assert np.array_equal(out["b"], floats[index]) and out["b"].dtype == float
    assert np.array_equal(out["c"], [0, 1, 2])
    assert out["a"].base is out["b"].base  # one buffer


@pytest.fixture(scope="module")
def park():
    return from_frames(FIRMS, FLOWS)


@pytest.mark.parametrize("costs", [{}, {"disposal_cost": 30.0, "transport_rate": 0.1}])
def test_without_the_table_everything_else_is_the_same(park, costs):
    """table=False leaves out the ranked table (what the JSON report never shows), and
    nothing else; asking for the table then says how to get it."""
    from symbiosis import AnalysisError
    from symbiosis.export.json import to_json_bytes

    full = find_opportunities(park, top=3, **costs)
    lean = find_opportunities(park, top=3, table=False, **costs)
    assert to_json_bytes(lean.to_dict()) == to_json_bytes(full.to_dict())
    assert lean.ranked is None and len(full.table) > 0
    with pytest.raises(AnalysisError, match="table=True"):
        _ = lean.table
    with pytest.raises(AnalysisError, match="table=True"):
        lean.to_frame()


@pytest.mark.parametrize("costs", [{}, {"disposal_cost": 30.0, "transport_rate": 0.1}])
def test_the_public_table_keeps_no_context(park, costs):
    import pickle

    result = find_opportunities(park, top=3, **costs)
    parts = result.ranked._parts
    kept = [type(v).__name__ for v in vars(parts).values()]
    assert not {"Context", "Candidates", "Ranked", "FlowNetwork"} & set(kept)
    table = result.table
    assert len(table) > 0
    money = table[["value", "avoided_disposal_cost", "transport_cost", "net_value"]]
    if costs:  # parts known somewhere are kept, the others are all NaN
        assert money["avoided_disposal_cost"].notna().any()
        assert money["transport_cost"].notna().any()
    else:
        assert money[["avoided_disposal_cost", "transport_cost"]].isna().all().all()
    restored = pickle.loads(pickle.dumps(result))
    pd.testing.assert_frame_equal(restored.table, table)


def test_rows_come_in_stream_order_to_the_round_order(park):
    """_round_order leaves the stream out of its keys because deduplicated gives the
    rows in stream order: that must stay true."""
    from symbiosis.analysis.opportunities import _candidates, receivers, streams
    from symbiosis.analysis.opportunities.deduplication import deduplicated
    from symbiosis.catalogue import default_catalogue

    found = streams.find_streams(park)
    ctx = receivers.Context(park, default_catalogue(), found, None, 3)
    candidates, _ = _candidates(ctx)
    kept = deduplicated(candidates, ctx)
    assert len(kept) and np.all(np.diff(candidates.stream[kept]) >= 0)


@settings(max_examples=60, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    n_streams=st.integers(1, 50),
    n_nodes=st.integers(1, 40),
    rows=st.integers(0, 400),
    pairs=st.integers(1, 300),
)
def test_network_kinds_by_slots_as_by_binary_search(seed, n_streams, n_nodes, rows, pairs):
    from symbiosis.analysis.opportunities.candidates import Candidates, constant
    from symbiosis.analysis.opportunities.evidence import _Slots, _upgraded

    rng = np.random.default_rng(seed)
    key = np.unique(rng.integers(0, n_streams, pairs) * (n_nodes + 1)
                    + rng.integers(0, n_nodes, pairs))  # fmt: skip
    strongest = rng.integers(0, 5, len(key)).astype(np.int8)
    stream = rng.integers(0, n_streams, rows)
    receiver = rng.integers(-1, n_nodes, rows)  # -1: a new plant
    ints, floats = constant(0, rows, np.int32), constant(np.nan, rows, float)
    part = Candidates(stream, ints, ints, rng.integers(0, 5, rows).astype(np.int8), receiver,
                      ints, floats, floats, floats, ints, floats, ints)  # fmt: skip
    slots = _Slots.of(key // (n_nodes + 1), key % (n_nodes + 1), strongest, n_streams)
    want = _upgraded(part, key, strongest, n_nodes).kind
    if slots is None:  # more receivers for a stream than slots
        assert np.bincount(key // (n_nodes + 1)).max() > 8
    else:
        np.testing.assert_array_equal(slots.upgraded(part).kind, want)


@settings(max_examples=60, deadline=None)
@given(
    sizes=st.lists(st.integers(0, 5), min_size=1, max_size=4),
    values=st.lists(st.sampled_from([np.nan, -1.0, 0.0, 2.0]), min_size=4, max_size=4),
    real=st.lists(st.booleans(), min_size=4, max_size=4),
    mask=st.integers(0, 2**20),
)
def test_constant_columns_concatenated_and_taken_as_plain_ones(sizes, values, real, mask):
    from symbiosis.analysis.opportunities.candidates import _concatenated, _taken, constant

    parts = [np.full(n, v) if r else constant(v, n, float)
             for n, v, r in zip(sizes, values, real, strict=False)]  # fmt: skip
    got, want = _concatenated(parts), np.concatenate(parts)
    assert got.dtype == want.dtype and np.array_equal(got, want, equal_nan=True)
    keep = np.array([(mask >> i) & 1 for i in range(len(want))], dtype=bool)
    for index in (keep, np.flatnonzero(keep)[::-1]):
        assert np.array_equal(_taken(got, index), want[index], equal_nan=True)


class _PlainFound:
    """The receivers found per stream the plain way: every pair sorted at each add."""

    def __init__(self, n_streams: int, n_nodes: int):
        self.width, self.pairs = n_nodes + 1, np.zeros(0, dtype=np.int64)
        self.n_streams = n_streams

    def add(self, rows) -> None:
        stream = np.concatenate([r[0] for r in rows])
        receiver = np.concatenate([r[1] for r in rows])
        self.pairs = np.unique(np.concatenate([self.pairs, stream * self.width + receiver]))

    def has(self, streams, receivers) -> np.ndarray:
        return np.isin(streams * self.width + receivers, self.pairs)

    def count(self, streams) -> np.ndarray:
        return np.bincount(self.pairs // self.width, minlength=self.n_streams)[streams]


@settings(max_examples=60, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    n_streams=st.integers(1, 30),
    n_nodes=st.integers(1, 12),
    levels=st.integers(1, 5),
)
def test_found_receivers_by_slots_as_the_plain_way(seed, n_streams, n_nodes, levels):
    from symbiosis.analysis.opportunities.evidence import _Found

    rng = np.random.default_rng(seed)
    found, plain = _Found(n_streams, n_nodes), _PlainFound(n_streams, n_nodes)
    streams = np.arange(n_streams).repeat(n_nodes)
    receivers = np.tile(np.arange(n_nodes), n_streams)
    for _ in range(levels):
        rows = []  # pairs in any order, repeated, met before or not
        for _ in range(rng.integers(1, 4)):
            size = rng.integers(0, 3 * n_streams)
            rows.append((rng.integers(0, n_streams, size), rng.integers(0, n_nodes, size)))
        found.add(rows)
        plain.add(rows)
        np.testing.assert_array_equal(found.has(streams, receivers), plain.has(streams, receivers))
        np.testing.assert_array_equal(found.count(streams), plain.count(streams))
