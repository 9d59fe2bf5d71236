"""Integer codes for combinations of columns, shared by :mod:`.trends` and :mod:`.compare`
to match links and flows between two networks without hashing tuples of strings: the two
networks' flows are read from their cores' codes (:class:`StackedCodes`), each column's
two vocabularies read as one (:class:`SharedVocabulary`)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ..io.columns import text_series
from ..units import DIMENSIONS
from ..vocabulary import CATEGORIES

if TYPE_CHECKING:
    from ..model import FlowNetwork

__all__ = [
    "DIMENSION_NAMES",
    "SharedVocabulary",
    "StackedCodes",
    "combined_codes",
    "first_rows",
    "in_order_met",
]

#: The names of the flows' dimensions, "unknown" last (a unit of no known dimension).
DIMENSION_NAMES: tuple[str, ...] = (*DIMENSIONS, "unknown")


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
    the rows, as ``pd.factorize`` numbers the values they stand for. O(rows) and one sort
    of the n_codes first rows: no sort of the rows."""
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


#: Where each flow column's codes are in a core.
_CORE_CODES = {"source": "source", "target": "target", "material": "material_code",
               "material_key": "material_key_code", "category": "category",
               "dimension": "unit_dimension"}  # fmt: skip


@dataclass(frozen=True, eq=False)
class StackedCodes:
    """Columns of two networks' flows (any of ``source``, ``target``, ``material``,
    ``material_key``, ``category``, ``dimension``), stacked (``a``'s rows first) as codes
    into one vocabulary per column, read from the cores: no text hashed but the
    vocabularies (none when both networks list the same firms). A flow without a
    dimension has the dimension ``unknown``."""

    codes: dict[str, np.ndarray]
    vocabularies: dict[str, SharedVocabulary]

    @classmethod
    def of(
        cls,
        a: FlowNetwork,
        b: FlowNetwork,
        columns: Sequence[str],
        nodes: SharedVocabulary | None = None,
    ) -> StackedCodes:
        """``nodes``: the firms of both, when known already (years of one network share
        theirs: ranked once). O(F_a + F_b) plus the vocabularies'."""
        cores = (a.core, b.core)

        def vocabulary(name: str) -> SharedVocabulary:
            if name in ("source", "target"):
                return nodes or SharedVocabulary.of(cores[0].ids, cores[1].ids)
            if name in ("category", "dimension"):
                return _fixed(CATEGORIES if name == "category" else DIMENSION_NAMES)
            plural = {"material": "materials", "material_key": "material_keys"}[name]
            return SharedVocabulary.of(getattr(cores[0], plural), getattr(cores[1], plural))

        vocabularies: dict[str, SharedVocabulary] = {}
        codes = {}
        for name in columns:
            if name == "target" and "source" in vocabularies:
                vocabularies[name] = vocabularies["source"]
            else:
                vocabularies[name] = vocabulary(name)
            parts = [vocabularies[name].of_side(side, getattr(core, _CORE_CODES[name]))
                     for side, core in enumerate(cores)]  # fmt: skip
            codes[name] = np.concatenate(parts).astype(np.int64, copy=False)
        if "dimension" in codes:  # no dimension (-1): the name "unknown", last
            codes["dimension"][codes["dimension"] < 0] = len(DIMENSION_NAMES) - 1
        return cls(codes, vocabularies)

    def met(self, name: str) -> np.ndarray:
        """The column's codes numbered in the order first met, as factorising its texts
        numbers them: keys built from them, and their order, are those of the texts."""
        return in_order_met(self.codes[name], len(self.vocabularies[name].values))

    def rank(self, name: str, rows: np.ndarray) -> np.ndarray:
        """The rank of the rows' texts among the column's texts sorted."""
        return self.vocabularies[name].rank[self.codes[name][rows]]

    def texts(self, name: str, rows: np.ndarray) -> pd.Series:
        """The rows' texts, as the flow tables hold them."""
        return text_series(list(self.vocabularies[name].values), self.codes[name][rows])


def _fixed(names: Sequence[str]) -> SharedVocabulary:
    """A vocabulary both networks share by definition (categories, dimensions)."""
    values = np.array(names, dtype=object)
    return SharedVocabulary.of(values, values)
