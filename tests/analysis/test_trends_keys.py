"""Integer codes for combinations of columns, and two vocabularies read as one."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from symbiosis.analysis.trends_keys import (
    SharedVocabulary,
    combined_codes,
    first_rows,
    in_order_met,
)

WORDS = ["A", "B", "b", "Z", "Ä", "ä", "10", "9", "", "slag", "Slag"]


def test_a_missing_value_never_shares_a_code_with_another_combination():
    # packed as code * (largest + 1) + other, (1, missing) would be 1 * 2 - 1 = 1, the
    # code of (0, 1): two different links matched as one
    codes = combined_codes([np.array([1, 0, 1]), np.array([-1, 1, -1])])
    assert codes[0] != codes[1]
    assert codes[0] == codes[2]


def test_a_single_column_gets_dense_codes_from_zero():
    assert combined_codes([np.array([5, -1, 5, 7])]).tolist() == [1, 0, 1, 2]


@settings(max_examples=50, deadline=None)
@given(st.lists(st.tuples(*[st.sampled_from(["x", "y", None])] * 3), min_size=1, max_size=30))
def test_codes_are_equal_exactly_where_the_rows_are(rows):
    frame = pd.DataFrame(rows, columns=["a", "b", "c"], dtype=object)
    codes = combined_codes([frame[c] for c in frame.columns])
    for i, row in enumerate(rows):
        for j, other in enumerate(rows):
            assert (codes[i] == codes[j]) == (row == other)
    assert sorted(codes[first_rows(codes)].tolist()) == sorted(set(codes.tolist()))


@settings(max_examples=50, deadline=None)
@given(st.lists(st.sampled_from(WORDS), unique=True), st.lists(st.sampled_from(WORDS), unique=True))
def test_shared_codes_match_values_and_ranks_follow_sorted_order(a, b):
    first, second = np.array(a, dtype=object), np.array(b, dtype=object)
    shared = SharedVocabulary.of(first, second)
    values = {}  # each shared code stands for one value, on both sides
    for side, vocabulary in enumerate((first, second)):
        for i, value in enumerate(vocabulary):
            assert values.setdefault(int(shared.codes[side][i]), value) == value
    assert len(values) == len(set(a) | set(b))
    by_rank = [values[code] for code in sorted(values, key=lambda c: shared.rank[c])]
    assert by_rank == sorted(values.values())
    assert shared.of_side(0, np.array([-1])).tolist() == [-1]


def test_the_same_vocabulary_is_read_without_hashing():
    words = np.array(["b", "a", "c"], dtype=object)
    shared = SharedVocabulary.of(words, words)
    assert shared.codes[0].tolist() == shared.codes[1].tolist() == [0, 1, 2]
    assert shared.rank.tolist() == [1, 0, 2]


@settings(max_examples=50, deadline=None)
@given(st.lists(st.integers(0, 9), min_size=1, max_size=40))
def test_codes_in_order_met_are_factorize_s(codes):
    values = np.array(codes)
    expected = pd.factorize(values)[0]
    assert in_order_met(values, 10).tolist() == expected.tolist()
