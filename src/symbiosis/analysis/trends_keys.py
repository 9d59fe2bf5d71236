"""Integer codes for combinations of columns, shared by :mod:`.trends` and :mod:`.compare`
to match links and flows between two networks without hashing tuples of strings."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["SharedVocabulary", "combined_codes", "first_rows", "in_order_met"]


def combined_codes(columns: Sequence[Any]) -> np.ndarray:
    """One dense int64 code per distinct combination of the columns' values (text columns
    or int64 code arrays), built pairwise so that no product of cardinalities can
    overflow. O(rows) hashing per text column, and an O(rows log rows) integer sort per
    pair (numpy's sort beats hashing integers at a million rows)."""
    code = _codes(columns[0])
    if len(columns) == 1:
        code = np.unique(code, return_inverse=True)[1]
    for column in columns[1:]:
        other = _codes(column)
        code = np.unique(code * (int(other.max(initial=0)) + 1) + other, return_inverse=True)[1]
    return code.astype(np.int64, copy=False)


@dataclass(frozen=True, eq=False)
class SharedVocabulary:
    """Two vocabularies (arrays of distinct strings, such as two cores' ids or material
    keys) read as one: ``codes[side][i]`` is the shared code of ``side``'s value ``i``,
    ``values[code]`` the value, and ``rank[code]`` its place in sorted order (Python's
    order of strings, code point by code point: the order of ``sort_values`` on a text
    column)."""

    codes: tuple[np.ndarray, np.ndarray]
    values: np.ndarray
    rank: np.ndarray

    @classmethod
    def of(cls, a: np.ndarray, b: np.ndarray) -> SharedVocabulary:
        """O(V) hashing for V values in all (nothing when both are the same array, as for
        networks cut from one), and O(V log V) string comparisons for the ranks."""
        if a is b or (len(a) == len(b) and bool(np.all(a == b))):
            same = np.arange(len(a))
            return cls((same, same), a, _ranks(a))
        codes, distinct = pd.factorize(np.concatenate([a, b]))
        values = np.asarray(distinct, dtype=object)
        return cls((codes[: len(a)], codes[len(a) :]), values, _ranks(values))

    def of_side(self, side: int, code: np.ndarray) -> np.ndarray:
        """The shared codes of one side's codes (-1, a missing value, stays -1). O(rows)."""
        return np.append(self.codes[side], -1)[code]  # code -1 reads the appended -1


def _ranks(values: np.ndarray) -> np.ndarray:
    """Each value's place among the values sorted (distinct values: no ties)."""
    rank = np.empty(len(values), dtype=np.int64)
    rank[sorted(range(len(values)), key=values.__getitem__)] = np.arange(len(values))
    return rank


def in_order_met(codes: np.ndarray, n_codes: int) -> np.ndarray:
    """The codes (0 <= code < ``n_codes``) renumbered in the order they are first met in
    the rows, as ``pd.factorize`` numbers the values they stand for. O(rows + n_codes),
    no sort of the rows."""
    first = np.full(n_codes, len(codes), dtype=np.int64)
    np.minimum.at(first, codes, np.arange(len(codes)))  # each code's first row
    renumbered = np.empty(n_codes, dtype=np.int64)
    renumbered[np.argsort(first, kind="stable")] = np.arange(n_codes)
    return renumbered[codes]


def first_rows(codes: np.ndarray) -> np.ndarray:
    """The row of each code's first occurrence, in code order. O(rows log rows)."""
    return np.unique(codes, return_index=True)[1]


def _codes(column: Any) -> np.ndarray:
    """Codes from 0: a missing value (-1) becomes 0 and the others move up by one, so that
    no combination of a missing value can equal another combination's code."""
    if isinstance(column, np.ndarray):
        return column.astype(np.int64) + 1
    return pd.factorize(column)[0].astype(np.int64) + 1
