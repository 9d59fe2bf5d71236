"""The listed rows and the new plants' order, found without the whole rank order, are
the whole order's."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import symbiosis
from symbiosis._sorting import lexorder
from symbiosis.analysis.opportunities import find_opportunities
from symbiosis.analysis.opportunities.heads import (
    Ranking,
    RankKeys,
    head,
    subset_order,
)
from symbiosis.analysis.opportunities.ranking import _round_order
from symbiosis.examples import example_path

from .test_opportunities import networks

# few distinct amounts, so that many rows tie; 0 and NaN (unknown) among them
AMOUNTS = [0.0, 1.0, 2.5, 2.5000000000000004, 7.0, 1e6, np.nan]


# The check the new plants' rows once made before trusting the subset's order (now they
# read no order the subset cannot give: heads.new_plant_rows); kept as the oracle of where
# the subset's order is the whole order.
def same_order_within(keys: RankKeys, ordered: np.ndarray, *ties: np.ndarray) -> bool:
    """Whether ``ordered`` (positions in :func:`subset_order`) is the true rank order
    among every set of them that share the ``ties`` (arrays in the order of
    ``ordered``; NaN equal to NaN): it is unless two of a set lie in one group and
    block with different dimensions (a rare tie: equal amounts of two dimensions).
    O(r log r)."""
    if len(ordered) < 2:
        return True
    group, block, dimension = keys.group[ordered], keys.block[ordered], keys.dimension[ordered]
    by_set = lexorder(dimension, block, group, *reversed(ties))
    same = np.ones(len(ordered) - 1, dtype=bool)
    for key in (*ties, group, block):
        in_order = key[by_set]
        equal = in_order[1:] == in_order[:-1]
        if in_order.dtype.kind == "f":
            equal |= np.isnan(in_order[1:]) & np.isnan(in_order[:-1])
        same &= equal
    differ = dimension[by_set]
    return not (same & (differ[1:] != differ[:-1])).any()


def _codes(n: int, low: int, high: int):
    return st.lists(st.integers(low, high), min_size=n, max_size=n)


@st.composite
def rank_inputs(draw, max_rows=120):
    """Rows as the ranking has them: by stream, each stream of a group and dimension
    (-1: none), each row with a quantity and a round of alternatives."""
    n = draw(st.integers(0, max_rows))
    n_streams = draw(st.integers(1, 12))
    stream = np.sort(np.array(draw(_codes(n, 0, n_streams - 1)), dtype=np.int64))
    streams = SimpleNamespace(
        group_order=np.array(draw(_codes(n_streams, 0, 2)), dtype=np.int64),
        dimension=np.array(draw(_codes(n_streams, -1, 2)), dtype=np.int64),
    )
    quantity = np.array(draw(st.lists(st.sampled_from(AMOUNTS), min_size=n, max_size=n)))
    rounds = np.array(draw(_codes(n, 0, 3)), dtype=np.int64)
    return stream, quantity, rounds, streams


def whole_order(stream, quantity, rounds, streams) -> np.ndarray:
    group = streams.group_order[stream].astype(np.int8)
    value = np.full(len(stream), np.nan)
    return _round_order("quantity", stream, quantity.copy(), None, value, rounds, group, streams)


@settings(max_examples=300, deadline=None)
@given(inputs=rank_inputs(), top=st.integers(0, 15))
@example(  # one group, a block of 2 rows of two dimensions, then a second block
    inputs=(
        np.array([0, 0, 1]),
        np.array([1.0, 2.0, 3.0]),
        np.array([0, 1, 0]),
        SimpleNamespace(group_order=np.array([0, 0]), dimension=np.array([0, 1])),
    ),
    top=2,
)
def test_head_is_the_first_rows_of_each_group_of_the_whole_order(inputs, top):
    stream, quantity, rounds, streams = inputs
    order = whole_order(stream, quantity, rounds, streams)
    group = streams.group_order[stream][order]
    first = np.concatenate([order[group == g][:top] for g in range(3)]).astype(np.int64)
    keys = RankKeys.of(stream, quantity, rounds, streams)
    assert head(keys, top, 3).tolist() == first.tolist()


def _ties_in_order(order, rows, tie) -> list[list[int]]:
    """The rows of each tie value, in ``order``."""
    at = {int(r): t for r, t in zip(rows, tie, strict=True)}
    found: dict[float, list[int]] = {}
    for r in order:
        if int(r) in at:
            found.setdefault(at[int(r)], []).append(int(r))
    return sorted(found.values())


@settings(max_examples=300, deadline=None)
@given(inputs=rank_inputs(max_rows=60), data=st.data())
def test_subset_order_is_the_whole_order_where_it_says(inputs, data):
    stream, quantity, rounds, streams = inputs
    n = len(stream)
    rows = np.array(sorted(data.draw(st.sets(st.integers(0, max(n - 1, 0)), max_size=n)))
                    if n else [], dtype=np.int64)  # fmt: skip
    keys = RankKeys.of(stream, quantity, rounds, streams)
    ordered = subset_order(keys, rows)
    whole = whole_order(stream, quantity, rounds, streams)
    position = np.empty(n, dtype=np.int64)
    position[whole] = np.arange(n)
    place = {int(r): i for i, r in enumerate(ordered)}
    assert sorted(place) == rows.tolist()
    for a in rows:  # every pair of other blocks, or of one block and dimension
        for b in rows:
            apart = (keys.group[a], keys.block[a]) != (keys.group[b], keys.block[b])
            if apart or keys.dimension[a] == keys.dimension[b]:
                assert (place[a] < place[b]) == (position[a] < position[b])
    tie = np.array(data.draw(st.lists(st.sampled_from([1.0, 2.0, np.nan]), min_size=len(rows),
                                      max_size=len(rows))))  # fmt: skip
    tie_codes = np.where(np.isnan(tie), -1, tie)  # NaN as one value
    if same_order_within(keys, ordered, tie[np.searchsorted(rows, ordered)]):
        assert _ties_in_order(ordered, rows, tie_codes) == _ties_in_order(whole, rows, tie_codes)


def test_equal_amounts_of_two_dimensions_in_one_block_are_not_in_order():
    """Row 2 (energy) is the first of its dimension, row 1 (mass) the second: the whole
    order puts 2 first; among rows 1 and 2 alone, 1 is the first of mass and comes
    first. The two share a tie (their amount): the subset's order cannot be trusted."""
    stream, rounds = np.array([0, 1, 2]), np.array([0, 0, 0])
    quantity = np.array([9.0, 5.0, 5.0])
    streams = SimpleNamespace(group_order=np.array([0, 0, 0]), dimension=np.array([0, 0, 1]))
    keys = RankKeys.of(stream, quantity, rounds, streams)
    rows = np.array([1, 2])
    ordered = subset_order(keys, rows)
    assert ordered.tolist() == [1, 2]
    assert whole_order(stream, quantity, rounds, streams).tolist() == [0, 2, 1]
    assert not same_order_within(keys, ordered, np.array([5.0, 5.0]))
    assert same_order_within(keys, ordered, np.array([5.0, 6.0]))  # no tie between them


def _everything(network, **options):
    result = find_opportunities(network, top=5, **options)
    return (result.table, [repr(o) for o in result.listed], repr(result.plants),
            repr(result.cumulative), result.counts)  # fmt: skip


def _with_whole_order(monkeypatch):
    """Every Ranking makes its whole order first: the listed rows, the new plants and
    the public table then come from it (the way of other rank_by)."""
    made = Ranking.of.__func__

    def eager(cls, *args, **kwargs):
        ranking = made(cls, *args, **kwargs)
        _ = ranking.order
        return ranking

    monkeypatch.setattr(Ranking, "of", classmethod(eager))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(network=networks(), per_stream=st.integers(1, 3), top=st.integers(0, 6))
def test_heads_give_what_the_whole_order_gives(network, per_stream, top):
    options = {"receivers_per_stream": per_stream, "top": top}
    fast = find_opportunities(network, **options)
    with pytest.MonkeyPatch.context() as patch:
        _with_whole_order(patch)
        whole = find_opportunities(network, **options)
    assert fast.table.equals(whole.table)
    assert [repr(o) for o in fast.listed] == [repr(o) for o in whole.listed]
    assert (repr(fast.plants), fast.counts) == (repr(whole.plants), whole.counts)


@pytest.mark.parametrize("rank_by", ["quantity", "distance", "value", "net_value"])
def test_tongling_the_same_by_every_way(monkeypatch, rank_by):
    network = symbiosis.load(example_path("tongling"))
    options = {"rank_by": rank_by, "disposal_cost": 20.0, "transport_rate": 0.1}
    fast = _everything(network, **options)
    with monkeypatch.context() as patch:
        _with_whole_order(patch)
        assert _everything(network, **options)[1:] == fast[1:]


@settings(max_examples=150, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    rows=st.integers(0, 400),
    streams=st.integers(1, 40),
    distances=st.integers(1, 6),  # few distinct distances: many ties
)
def test_alternatives_in_runs_are_those_of_the_whole(seed, rows, streams, distances):
    """Rows in stream order numbered in runs of whole streams on two threads: the same
    numbers as one sort of every row (the plain np.lexsort)."""
    from symbiosis import _threads
    from symbiosis.analysis.opportunities import ranking

    rng = np.random.default_rng(seed)
    stream = np.sort(rng.integers(0, streams, rows))
    pathway = rng.integers(-1, 5, rows).astype(np.int32)
    kind = rng.integers(0, 5, rows).astype(np.int8)
    far = rng.integers(0, distances, rows) * 1.5
    rule = rng.integers(0, 14, rows).astype(np.int32)  # weak ones among them
    columns = SimpleNamespace(pathway=pathway, kind=kind, rule=rule)
    kept, tier = np.arange(rows), rng.integers(0, 4, 6)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(_threads, "PARALLEL_FLOWS", 0)  # in runs on two threads, however few
        got = ranking.alternatives(columns, kept, stream, far, tier)
    mid = ranking._alternative_class(pathway, kind, rule, tier)
    order = np.lexsort((pathway, far, mid, stream))
    want = np.empty(rows, dtype=np.int64)
    want[order] = np.arange(rows) - np.searchsorted(stream[order], stream[order])
    np.testing.assert_array_equal(got, want)
