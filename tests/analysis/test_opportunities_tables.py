"""The uncovered streams' table (tables.py): its grouped sums without pandas' named
aggregation."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from symbiosis.analysis.opportunities import chain, tables

_VALUES = st.one_of(
    st.floats(allow_nan=False, allow_infinity=False, min_value=-1e12, max_value=1e12),
    st.sampled_from([0.1, 0.2, 0.3, 0.7, 1e16, 1.0, -1e16, 3.3e-8, float("nan")]),
)


@settings(max_examples=300, deadline=None)
@given(
    rows=st.lists(
        st.tuples(
            st.sampled_from(["slag", "ash", "gypsum", "heat"]),
            st.sampled_from(["mass", "energy", "volume", None]),
            st.sampled_from(["disposed", "emitted", "sold"]),
            st.sampled_from(["Slag", "slags", "Ash", "fly ash", "Gypsum", "heat"]),
            _VALUES,
        ),
        min_size=1,
        max_size=60,
    ),
    no_missing=st.booleans(),
    few_groups=st.booleans(),
)
def test_summed_is_the_named_aggregation(rows, no_missing, few_groups):
    """The same frame, the sums bit for bit: long groups (``few_groups``) tell a
    compensated sum from a plain one."""
    columns = (np.array(c, dtype=object) for c in zip(*rows, strict=True))
    key, dimension, fate, material, value = columns
    if few_groups:
        key, fate = np.where(key == "heat", "heat", "slag"), np.full(len(key), "disposed")
    if no_missing:  # the fast way's case (a missing dimension takes the plain way)
        dimension = np.where(dimension == None, "mass", dimension)  # noqa: E711
    value = value.astype(float)
    keys = (key, dimension, fate)
    fast = tables._summed(keys, material, value)
    plain = tables._summed_by_pandas(keys, material, value)
    pd.testing.assert_frame_equal(fast, plain, check_exact=True)
    assert list(fast.dtypes) == list(plain.dtypes)
    np.testing.assert_array_equal(fast["quantity"].to_numpy().view(np.int64),
                                  plain["quantity"].to_numpy().view(np.int64))  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from([0.0, 1.0, 2.5, 2.5, 7.0, 1e9, -3.0, float("nan")]) | _VALUES,
                min_size=0, max_size=80))  # fmt: skip
def test_largest_first_breaks_ties_by_position(values):
    """The plants' feeds largest first, ties in rank (position) order, NaN last: the same
    order on every machine (a plain Python sort as the reference)."""
    values = np.array(values, dtype=float)
    dimension = np.arange(len(values)) % 2  # ties of two dimensions go by dimension
    plain = sorted(range(len(values)),
                   key=lambda i: (np.isnan(values[i]), np.nan_to_num(-values[i]), dimension[i],
                                  i))  # fmt: skip
    assert chain._largest_first(values, dimension).tolist() == plain


def test_frames_are_the_table_in_pieces():
    """The table in pieces of any size, concatenated, is the table, whether the pieces
    are built alone (the table never kept) or sliced from the table once it is built;
    every piece but the last has ``rows`` rows, and the pieces' ranks run on."""
    import pytest

    from symbiosis import load
    from symbiosis.analysis.opportunities import find_opportunities
    from symbiosis.errors import InputError
    from symbiosis.examples import example_path

    network = load(example_path("tongling"))
    whole = find_opportunities(network).to_frame()
    assert len(whole) > 20
    for rows in (1, 3, 7, len(whole) - 1, len(whole), len(whole) + 5):
        fresh = find_opportunities(network)
        pieces = list(fresh.frames(rows))
        assert "table" not in fresh.__dict__  # not built by the pieces
        assert [len(p) for p in pieces[:-1]] == [rows] * (len(pieces) - 1)
        joined = pd.concat(pieces, ignore_index=True)
        pd.testing.assert_frame_equal(joined, whole, check_exact=True)
        fresh.to_frame()  # built: now sliced from it
        sliced = pd.concat(fresh.frames(rows), ignore_index=True)
        pd.testing.assert_frame_equal(sliced, whole, check_exact=True)
    empty = find_opportunities(network, kinds=["redirect"])  # none in this network
    (piece,) = empty.frames(5)
    pd.testing.assert_frame_equal(piece, find_opportunities(network, kinds=["redirect"]).to_frame())
    assert piece.empty and list(piece.columns) == list(whole.columns)
    for bad in (0, -1, 2.5, None):
        with pytest.raises(InputError, match="rows must be a whole number"):
            find_opportunities(network).frames(bad)
