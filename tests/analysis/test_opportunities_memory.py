"""The opportunities pass's memory savings change no result."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from symbiosis.analysis.opportunities import candidates as candidates_module
from symbiosis.analysis.opportunities import find_opportunities
from symbiosis.analysis.opportunities.candidates import SMALL_CODES, Candidates, constant

from .test_opportunities import networks


def _everything(network, **options):
    result = find_opportunities(network, top=5, **options)
    return (result.table, [repr(o) for o in result.listed], repr(result.plants),
            repr(result.cumulative), result.counts, result.uncovered)  # fmt: skip


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    network=networks(),
    per_stream=st.integers(1, 3),
    rank_by=st.sampled_from(["quantity", "distance", "value"]),
)
def test_int32_codes_give_the_int64_result(network, per_stream, rank_by):
    options = {"receivers_per_stream": per_stream, "rank_by": rank_by}
    small = _everything(network, **options)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(candidates_module, "SMALL_CODES", ())  # every code as it was made
        plain = _everything(network, **options)
    assert small[0].equals(plain[0])
    assert small[0].dtypes.equals(plain[0].dtypes)
    assert small[1:5] == plain[1:5]
    assert small[5].equals(plain[5])


def test_small_codes_are_int32_through_take_and_concat():
    n = 4
    ints = np.arange(n, dtype=np.int64)
    part = Candidates(
        stream=ints, pathway=ints - 1, rule=ints, kind=np.zeros(n, np.int8), receiver=ints,
        sector=constant(0, n, np.int64), distance_km=np.zeros(n), quantity=np.ones(n),
        replaced=constant(np.nan, n, float), replaced_key=constant(-1, n, np.int64),
        capacity=constant(np.nan, n, float), capacity_group=constant(-1, n, np.int64),
    )  # fmt: skip
    for rows in (part, part.take(np.array([3, 0])), Candidates.concat([part, part], part.rules)):
        for name in SMALL_CODES:
            assert getattr(rows, name).dtype == np.int32, name
        assert rows.stream.dtype == rows.receiver.dtype == np.int64
    assert part.sector.strides == (0,)  # a constant stays one
    np.testing.assert_array_equal(part.pathway, [-1, 0, 1, 2])


_KEYS = st.sampled_from(["int8", "int32", "int64", "bool", "float", "wide"])


def _key(kind: str, rng, n: int) -> np.ndarray:
    specials = np.array([0.0, -0.0, 1.5, -2.0, np.inf, -np.inf, np.nan, 3e300, 1e-300])
    if kind == "float":
        return np.where(rng.random(n) < 0.5, rng.choice(specials, n), rng.normal(0, 1e3, n))
    if kind == "bool":
        return rng.random(n) < 0.5
    if kind == "wide":
        return rng.integers(-(2**62), 2**62, n)
    return rng.integers(-100, 100, n).astype(kind)


@settings(max_examples=60, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    n=st.integers(1, 3000),
    kinds=st.lists(_KEYS, min_size=1, max_size=6),
)
def test_lexorder_in_place_passes_are_lexsort_and_leave_the_keys(seed, n, kinds):
    """The passes work on lexorder's own arrays in place: the caller's keys untouched."""
    from symbiosis._sorting import lexorder

    rng = np.random.default_rng(seed)
    keys = [_key(kind, rng, n) for kind in kinds]
    copies = [k.copy() for k in keys]
    assert (lexorder(*keys) == np.lexsort(keys)).all()
    for key, copy in zip(keys, copies, strict=True):
        np.testing.assert_array_equal(key, copy)


@settings(max_examples=80, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    n=st.integers(2, 4000),
    streams=st.sampled_from([1, 5, 600]),
    distinct=st.integers(1, 50),
    kinds=st.sampled_from([1, 3, 47]),
    nan=st.booleans(),
    block=st.sampled_from([1, 7, 1 << 16]),
)
def test_lexorder_refines_the_runs_its_coarse_pass_ties(
    seed, n, streams, distinct, kinds, nan, block
):
    """The one coarse pass keeps the top bits of a float key only: floats a few units in
    the last place apart tie there, and the runs they tie in (few or many: both ways of
    finding them) are sorted again by the rest; the order is np.lexsort's."""
    from symbiosis._sorting import lexorder

    rng = np.random.default_rng(seed)
    close = 1000.0 + rng.integers(0, distinct, n) * np.spacing(1000.0)
    close[rng.random(n) < 0.05] = 1e-3  # far apart too: the float's pieces are wide
    if nan:
        close[rng.random(n) < 0.2] = np.nan
    keys = [
        rng.integers(-1, 400, n).astype(np.int32),  # the pathway: the last tie-break
        np.where(rng.random(n) < 0.1, rng.choice([0.0, -0.0], n), close),
        rng.integers(0, kinds, n),
        np.sort(rng.integers(0, streams, n)),  # rows by stream, as the ranking has them
    ]
    from symbiosis import _sorting as sorting

    saved, sorting._BLOCK = sorting._BLOCK, block  # blocks of comparisons, as at 1M rows
    try:
        assert (lexorder(*keys) == np.lexsort(keys)).all()
        assert (lexorder(*keys[1:]) == np.lexsort(keys[1:])).all()
    finally:
        sorting._BLOCK = saved


@settings(max_examples=40, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    n=st.integers(0, 500),
    low=st.integers(-(2**40), 2**40),
    span=st.sampled_from([1, 100, 300, 40_000, 2**31, 2**40]),
    gathered=st.booleans(),
)
def test_packed_casts_as_small_does(seed, n, low, span, gathered):
    """A column cast as it is copied into the buffer equals the column cast after."""
    from symbiosis.analysis.opportunities.tables import _packed, _small_type

    rng = np.random.default_rng(seed)
    values = rng.integers(low, low + span, n, dtype=np.int64)
    at = rng.permutation(n)[: n // 2] if gathered else None
    out = _packed({"v": (values, at), "f": (rng.random(n), None)}, {"v": _small_type(values)})
    small = values.astype(_small_type(values))  # what a cast after the copy would give
    want = small if at is None else small[at]
    assert out["v"].dtype == want.dtype
    np.testing.assert_array_equal(out["v"], want)


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(1, 400), share=st.floats(0, 1))
def test_sparse_capacity_spreads_back_to_the_full_column(seed, n, share):
    """The public table keeps a capacity only where there is one: spread back and
    gathered in rank order, it is the full column gathered."""
    from symbiosis.analysis.opportunities.tables import _spread_at

    rng = np.random.default_rng(seed)
    capacity = np.where(rng.random(n) < share, rng.random(n) * 100, np.nan)
    group = np.where(np.isnan(capacity), -1, rng.integers(0, 50, n)).astype(np.int16)
    index = rng.permutation(n)[: rng.integers(0, n + 1)]
    limited = np.flatnonzero(~np.isnan(capacity) | (group >= 0))
    spread = _spread_at(limited, capacity[limited], np.nan, n, index)
    np.testing.assert_array_equal(spread, capacity[index])  # NaN where NaN
    codes = _spread_at(limited, group[limited], -1, n, index)
    assert codes.dtype == group.dtype
    np.testing.assert_array_equal(codes, group[index])


@settings(max_examples=40, deadline=None)
@given(counts=st.lists(st.integers(0, 5), min_size=1, max_size=60), seed=st.integers(0, 99))
def test_substitute_index_in_place_is_the_plain_one(counts, seed):
    """capacity._substitutes: each (row, substitute)'s index as (start - first place)
    repeated plus 0, 1, 2, ... equals start repeated plus the place within the row."""
    rng = np.random.default_rng(seed)
    count = np.array(counts, dtype=np.int64)
    start = rng.integers(0, 1000, len(count))
    receiver = rng.integers(0, 10**6, len(count))
    each = np.repeat(np.arange(len(count)), count)
    offset = np.arange(len(each)) - np.repeat(np.cumsum(count) - count, count)
    plain = np.repeat(start, count) + offset
    flat = np.repeat(start - (np.cumsum(count) - count), count)
    flat += np.arange(len(flat))
    np.testing.assert_array_equal(flat, plain)
    np.testing.assert_array_equal(np.repeat(receiver, count), receiver[each])


@settings(max_examples=60, deadline=None)
@given(
    counts=st.lists(st.integers(0, 5), min_size=1, max_size=40),
    seed=st.integers(0, 2**32 - 1),
    share=st.floats(0, 1),
)
def test_substitutes_where_builds_the_kept_pairs_of_the_whole_list(counts, seed, share):
    """Context.substitutes_where: (row, substitute) pairs built from the kept lists are
    the pairs of the whole list that the mask keeps, in the same order."""
    from types import SimpleNamespace

    from symbiosis.analysis.opportunities.receivers import Context

    rng = np.random.default_rng(seed)
    count = np.array(counts, dtype=np.int64)
    keep = rng.random(int(count.sum())) < share
    rows = rng.integers(0, len(count), 30)  # catalogue rows of some candidates, repeated
    whole = [(i, int(np.cumsum(count)[r] - count[r]) + j)
             for i, r in enumerate(rows) for j in range(count[r])]  # fmt: skip
    expected = [(i, flat) for i, flat in whole if keep[flat]]
    fake = SimpleNamespace(substitute_count=count)
    kept, start, index = Context.substitutes_where(fake, keep)  # type: ignore[arg-type]
    n = kept[rows]
    each = np.repeat(np.arange(len(rows)), n)
    flat = np.repeat(start[rows] - (np.cumsum(n) - n), n)
    flat += np.arange(len(flat))
    assert list(zip(each.tolist(), index[flat].tolist(), strict=True)) == expected


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(1, 300), receivers=st.integers(1, 12))
def test_deduplicated_keeps_the_first_of_each_pair_by_the_plain_order(seed, n, receivers):
    """deduplication.deduplicated (keys built in place, the small one in int32) keeps, per
    (stream, receiver or the process of a proposed plant), the row that a plain lexsort
    by kind, network evidence, tier, pathway and row puts first; by stream, then place."""
    from types import SimpleNamespace

    from symbiosis.analysis.opportunities.deduplication import deduplicated
    from symbiosis.analysis.opportunities.result import KINDS

    rng = np.random.default_rng(seed)
    rows = 7  # catalogue rows; tier per row, and 0 at index -1 (same material)
    ctx = SimpleNamespace(
        tier=np.array([*rng.integers(0, 4, rows), 0], dtype=np.int64),
        _plant_codes=rng.integers(0, 4, rows),
    )  # each row's process
    pathway = rng.integers(-1, rows, n)
    receiver = rng.integers(-1, receivers, n)
    kind = rng.integers(0, len(KINDS), n).astype(np.int8)
    sector = rng.integers(0, 4, n)
    ints, floats = np.zeros(n, np.int64), np.zeros(n)
    found = Candidates(rng.integers(0, 20, n), pathway, ints, kind, receiver, sector, floats,
                       floats, floats, ints, floats, ints)  # fmt: skip
    network = (pathway < 0) & (kind != KINDS.index("redirect"))
    tier = np.where((pathway < 0) & (kind == KINDS.index("new_link")), 1, ctx.tier[pathway])
    plant = np.where(pathway >= 0, ctx._plant_codes[np.maximum(pathway, 0)], -1)
    place = np.where(receiver >= 0, receiver, -2 - plant)
    order = np.lexsort((np.arange(n), np.where(network, rows + 1, pathway + 1), tier,
                        kind * 2 + network, place, found.stream))  # fmt: skip
    pair = found.stream[order] * 100 + place[order]
    expected = order[np.r_[True, pair[1:] != pair[:-1]]]
    np.testing.assert_array_equal(deduplicated(found, ctx), expected)  # type: ignore[arg-type]


def test_concat_lets_each_part_go_as_it_copies_it():
    """Candidates.concat empties the list of parts and, once nothing else holds them,
    their columns are let go; the rows are the parts' one after the other."""
    import gc
    import weakref

    def part(n: int, first: int) -> Candidates:
        ints = np.arange(first, first + n, dtype=np.int64)
        return Candidates(ints, ints, ints, np.zeros(n, np.int8), ints + 1, ints,
                          ints * 0.5, ints * 2.0, constant(np.nan, n, float), ints,
                          constant(np.nan, n, float), constant(-1, n, np.int32))  # fmt: skip

    parts = [part(3, 0), part(0, 3), part(4, 3)]
    expected = {name: np.concatenate([getattr(p, name) for p in parts])
                for name in ("stream", "receiver", "distance_km", "quantity")}  # fmt: skip
    held = [weakref.ref(p.receiver) for p in parts]
    joined = Candidates.concat(parts, Candidates.empty().rules)
    gc.collect()
    assert parts == []
    assert all(ref() is None for ref in held)
    for name, column in expected.items():
        np.testing.assert_array_equal(getattr(joined, name), column)
    assert joined.capacity_group.strides == (0,)  # a constant in every part stays one
