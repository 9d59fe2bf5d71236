"""The listed rows of result tables (analysis/_records.py; the lazily labelled tables of
analysis/_flowsums.py): the chunked choice of each dimension's first rows and the
column-wise records, against the plain ways."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from symbiosis.analysis._flowsums import Columns
from symbiosis.analysis._records import _rank_in_group, first_per_group, records

_LABELS = st.sampled_from(["t", "kWh", "m3", "", None, float("nan")])


def _plain_first(groups: np.ndarray, limit: int) -> np.ndarray:
    """The plain way: rank every row within its group by one sort of the whole table."""
    return np.arange(len(groups))[_rank_in_group(groups) < limit]


def _plain_records(columns: dict[str, list]) -> list[dict]:
    names = list(columns)
    return [dict(zip(names, values, strict=True)) for values in zip(*columns.values(), strict=True)]


@settings(max_examples=300, deadline=None)
@given(
    st.one_of(
        st.lists(st.integers(0, 4), max_size=60),
        st.lists(st.integers(-(2**40), 2**40), max_size=60),
        st.lists(st.integers(0, 40), max_size=60),  # more groups than a chunk's pass takes
    ),
    st.integers(1, 12),
    st.integers(1, 17),
)
def test_first_per_group_of_integers_is_the_rank_below_the_limit(groups, limit, chunk):
    codes = np.array(groups, dtype=np.int64)
    chosen = first_per_group(codes.__getitem__, len(codes), limit, chunk=chunk)
    np.testing.assert_array_equal(chosen, _plain_first(codes, limit))


@settings(max_examples=300, deadline=None)
@given(st.lists(_LABELS, max_size=60), st.integers(1, 12), st.integers(1, 17))
def test_first_per_group_of_labels_puts_missing_values_in_one_group(groups, limit, chunk):
    labels = np.array(groups, dtype=object)
    chosen = first_per_group(labels.__getitem__, len(labels), limit, chunk=chunk)
    np.testing.assert_array_equal(chosen, _plain_first(labels, limit))


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 2), st.floats(allow_nan=True), st.sampled_from(["a", "b"])),
        max_size=40,
    ),
    st.one_of(st.none(), st.integers(1, 8)),
    st.booleans(),
)
def test_columns_records_match_the_plain_rows(rows, limit, coded):
    """Coded or plain dimension column, in a given order or not: the rows the old way
    listed (rank in group below the limit, dict per row), cell for cell."""
    dimension = np.array([r[0] for r in rows], dtype=np.int64)
    value = np.array([r[1] for r in rows], dtype=float)
    firm = np.array([r[2] for r in rows], dtype=object)
    vocabulary = np.array(["t", "kWh", "m3"], dtype=object)
    dim_column = (vocabulary, dimension) if coded else vocabulary[dimension]
    order = np.arange(len(rows))[::-1]
    table = Columns({"dimension": dim_column, "value": value, "firm": firm}, order)
    listed = np.arange(len(rows))
    if limit is not None and len(rows) > limit:
        listed = _plain_first(vocabulary[dimension][order], limit)
    expected = _plain_records(
        {
            "dimension": vocabulary[dimension][order][listed].tolist(),
            # NaN and infinities as None: strict JSON, as to_jsonable has them
            "value": [v if math.isfinite(v) else None for v in value[order][listed].tolist()],
            "firm": firm[order][listed].tolist(),
        }
    )
    assert table.records(limit) == expected


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(_LABELS, st.integers(0, 9)), max_size=40), st.integers(1, 6))
def test_frame_records_list_the_first_rows_of_each_dimension(rows, limit):
    table = pd.DataFrame({"dimension": [r[0] for r in rows], "n": [r[1] for r in rows]})
    table["dimension"] = table["dimension"].astype(object)
    listed = np.arange(len(rows))
    if len(rows) > limit:
        listed = _plain_first(table["dimension"].to_numpy(), limit)
    expected = [
        {"dimension": None if d != d else d, "n": n}
        for d, n in zip(
            table["dimension"].to_numpy()[listed].tolist(),
            table["n"].to_numpy()[listed].tolist(),
            strict=True,
        )
    ]
    assert records(table, limit) == expected


@settings(max_examples=200, deadline=None)
@given(st.lists(st.floats(allow_nan=True, allow_infinity=True), max_size=30))
def test_builtin_floats_are_the_cells_with_nan_and_infinities_as_none(values):
    """What to_jsonable makes of the cells: strict JSON has no NaN and no infinity."""
    from symbiosis.analysis._records import builtin_cells as _builtin
    from symbiosis.jsonable import to_jsonable

    cells = _builtin(np.array(values, dtype=float))
    expected = [to_jsonable(v) for v in np.array(values, dtype=float).tolist()]
    assert cells == expected
    assert [type(c) for c in cells] == [type(c) for c in expected]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.integers(0, 2),
            st.sampled_from([0.0, -0.0, 1.0, 2.5, 7.0, float("nan")]) | st.floats(-10, 10),
            st.integers(0, 5),
        ),
        max_size=50,
    ),
    st.integers(0, 8),  # 0: the headline's dicts list no rows
    st.booleans(),
)
def test_ranked_columns_are_the_sorted_rows(rows, limit, nan_free):
    """``ranked`` lists, and as a whole gives, the rows of the table sorted the plain way
    (a full ``sort_rows``), ties of the limit's size and NaN included."""
    from symbiosis.analysis._flowsums import DIMENSION_LABELS, ordered, ranked, sort_rows

    dimension = np.array([r[0] for r in rows], dtype=np.int64)
    size = np.array([r[1] for r in rows], dtype=float)
    if nan_free:
        size = np.nan_to_num(size)
    tie = np.array([r[2] for r in rows], dtype=np.int64)
    columns = {
        "dimension": (DIMENSION_LABELS, dimension),
        "size": size,
        "tie": tie,
        "row": np.arange(len(rows)),
    }
    subset = np.flatnonzero(np.array([r[2] % 2 == 0 for r in rows], dtype=bool))
    order = sort_rows(dimension, size, tie)
    cases = [
        (ranked(columns, dimension, size, tie), ordered(columns, order)),
        (Columns(columns, sort=lambda: order), ordered(columns, order)),
        (
            ranked(columns, dimension[subset], size[subset], tie[subset], subset=subset),
            ordered(columns, subset[sort_rows(dimension[subset], size[subset], tie[subset])]),
        ),
    ]
    for lazy, plain in cases:
        assert len(lazy) == len(plain)
        assert repr(lazy.records(limit)) == repr(plain.records(limit))
        assert repr(lazy.records(None)) == repr(plain.records(None))
        pd.testing.assert_frame_equal(lazy.frame, plain.frame)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.one_of(st.none(), st.sampled_from(["F1", "F2", "铜", ""]), st.text(max_size=3)),
            st.floats(allow_nan=True, allow_infinity=True),
            st.one_of(st.none(), st.integers(-5, 5)),
            st.booleans(),
        ),
        max_size=30,
    ),
    st.one_of(st.none(), st.integers(1, 5)),
)
def test_frame_records_equal_to_jsonable_of_the_plain_records(rows, limit):
    """Text (pandas' str and string dtypes, missing cells too), floats with NaN and
    infinities, nullable integers and booleans: the cells records() lists are those of
    to_jsonable(frame.to_dict("records")), and the same text shares one string object."""
    from symbiosis.analysis._records import records
    from symbiosis.jsonable import to_jsonable

    text = [r[0] for r in rows]
    frame = pd.DataFrame(
        {
            "firm": pd.Series(text, dtype="str"),
            "name": pd.Series(text, dtype="string"),
            "value": pd.Series([r[1] for r in rows], dtype=float),
            "count": pd.Series([r[2] for r in rows], dtype="Int64"),
            "flag": pd.Series([r[3] for r in rows], dtype=bool),
        }
    )
    listed = records(frame, limit)
    plain = to_jsonable(frame.head(limit).to_dict("records"))
    assert listed == plain
    firms = [row["firm"] for row in listed]
    for a, b in itertools.combinations(range(len(firms)), 2):
        if firms[a] is not None and firms[a] == firms[b]:
            assert firms[a] is firms[b]


_SIZES = st.one_of(st.sampled_from([0.0, 1.0, -1.0, 2.5]), st.just(float("nan")), st.floats(-5, 5))


@settings(max_examples=200, deadline=None)
@given(
    sizes=st.lists(_SIZES, max_size=40),
    chosen=st.lists(st.booleans(), max_size=40),
    limit=st.one_of(st.none(), st.integers(0, 10)),
)
def test_largest_first_positions_list_what_the_sorted_frame_lists(sizes, chosen, limit):
    """reconcile's listings by position (no reordered copy of the flows) give the rows of
    the plain way, ``rows.sort_values(ascending=False, kind="stable").head(limit)``: ties
    in row order, missing sizes last."""
    from symbiosis.analysis.reconcile import _largest_first

    n = min(len(sizes), len(chosen))
    table = pd.DataFrame(
        {
            "firm": [f"F{i}" for i in range(n)],
            "size": sizes[:n],
            "chosen": np.array(chosen[:n], dtype=bool),
        },
        index=pd.Index([f"row {i}" for i in range(n)]),
    )
    plain = table[table["chosen"]].sort_values("size", ascending=False, kind="stable")
    positions = _largest_first(table["chosen"], table["size"])
    assert records(table, rows=positions[:limit]) == records(plain.head(limit))
    assert records(table, rows=positions) == records(plain)


def test_a_dimension_the_network_has_no_flows_in_is_a_key_error_naming_those_it_has():
    """A tester's ``reuse_accounts(net)["energy"]`` on a network of mass alone was a bare
    ``KeyError: 'energy'``; ``resource_city_indicators`` the same."""
    from symbiosis.analysis.reuse import reuse_accounts
    from symbiosis.analysis.structure import resource_city_indicators

    from .reuse_networks import network

    mass = network(
        [("A", "firm"), ("B", "firm")],
        [("A", "B", "slag", 10, "t", "by-product"), ("B", "A", "scrap", 5, "t", "waste")],
    )
    said = "unknown dimension 'energy'; this network has flows in: mass"
    for result in (reuse_accounts(mass), resource_city_indicators(mass)):
        assert result["mass"]["unit"] == "t/yr"
        with pytest.raises(KeyError) as raised:
            result["energy"]
        assert raised.value.args == (said,)
