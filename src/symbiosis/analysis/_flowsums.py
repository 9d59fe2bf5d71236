"""Vectorised sums over flows by integer keys, shared by the reuse, balance and structure
passes.

String-keyed pandas operations (groupby, map, reindex on firm ids) cost about half a second
each on a million rows of Arrow-backed strings; these helpers work on the integer node
positions the model caches (:attr:`FlowNetwork.source_positions`) and on small integer
codes, with ``np.unique`` and ``np.bincount``: O(f log f) at worst, a few tens of
milliseconds per million flows.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd

from .._sorting import lexorder
from .._sorting import unique as _unique
from ..core import Core
from ..jsonable import LazyRows, rows_of
from ..model import FlowNetwork
from ..units import DIMENSIONS, yearly_unit
from ._records import builtin_cells, first_per_group, row_dicts


@dataclass(frozen=True, eq=False)
class Arrays:
    """Plain numpy views of a network for the passes: a thin face on the network's
    :class:`~symbiosis.core.Core`, so that every pass shares its arrays and cached sums."""

    network: FlowNetwork

    @property
    def core(self) -> Core:
        return self.network.core

    @property
    def value(self) -> np.ndarray:
        return self.core.value

    @property
    def dimension(self) -> np.ndarray:
        """Index of each flow's dimension in :data:`DIMENSIONS` (int64); -1 when its size
        (and so possibly its dimension) is unknown."""
        return self.core.cached(
            ("int64", "dimension"), lambda: self.core.dimension.astype(np.int64)
        )

    @property
    def category(self) -> np.ndarray:
        """Index of each flow's category in :data:`CATEGORIES` (int64)."""
        return self.core.cached(("int64", "category"), lambda: self.core.category.astype(np.int64))

    def factorized(self, column: str) -> tuple[np.ndarray, np.ndarray]:
        """``(codes, distinct values)`` of a flows column; the core's own encoding for
        ``material`` and ``material_key``."""
        if column == "material":
            return self.core.material_code.astype(np.int64), self.core.materials
        if column == "material_key":
            return self.core.material_key_code.astype(np.int64), self.core.material_keys
        codes, uniques = pd.factorize(self.network.flows[column], use_na_sentinel=False)
        return codes, np.asarray(uniques, dtype=object)

    @property
    def source(self) -> np.ndarray:
        return self.core.source

    @property
    def target(self) -> np.ndarray:
        return self.core.target

    @property
    def actor(self) -> np.ndarray:
        return self.core.actor

    @property
    def role_code(self) -> np.ndarray:
        """Index of each node's role in :data:`ROLES`."""
        return self.core.role_code

    @property
    def role(self) -> np.ndarray:
        """The role of each node, as a numpy object array."""
        return self.core.role

    def has_role(self, nodes: np.ndarray, role: str) -> np.ndarray:
        return self.core.has_role(nodes, role)

    @property
    def ids(self) -> np.ndarray:
        return self.core.ids

    @property
    def names(self) -> np.ndarray:
        return self.core.names

    @property
    def rank(self) -> np.ndarray:
        """Alphabetical rank of each node id (a tie-breaker that ignores row order)."""
        return self.core.rank

    def node_sums(self, dimension: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Known inflow, known outflow and number of known flows of each node in
        ``dimension``, as arrays over all nodes. O(f) once per network (cached)."""
        sums = self.core.node_sums(dimension)
        return sums.inflow, sums.outflow, sums.count


def _codes(column: pd.Series, names: tuple[str, ...]) -> np.ndarray:
    """Index of each value of ``column`` in ``names`` (-1 if absent): one vectorised
    comparison per name, no per-row hashing of strings."""
    codes = np.full(len(column), -1, dtype=np.int64)
    for code, name in enumerate(names):
        codes[(column == name).to_numpy(dtype=bool, na_value=False)] = code
    return codes


def group_sums(
    keys: np.ndarray, columns: dict[str, np.ndarray]
) -> tuple[np.ndarray, dict[str, np.ndarray], np.ndarray]:
    """Sum each of ``columns`` per distinct non-negative integer key:
    ``(keys, sums, counts)``, keys ascending. O(k + K) with ``np.bincount`` when the
    largest key K is at most a few times the k rows, else O(k log k) with ``np.unique``."""
    if len(keys) == 0:
        return keys, {name: np.zeros(0) for name in columns}, np.zeros(0, dtype=np.int64)
    if keys.max() <= 4 * len(keys) + 1024:
        counts = np.bincount(keys)
        unique = np.flatnonzero(counts)
        sums = {name: np.bincount(keys, values)[unique] for name, values in columns.items()}
        return unique, sums, counts[unique]
    unique, inverse = _unique(keys, return_inverse=True)
    sums = {
        name: np.bincount(inverse, values, minlength=len(unique))
        for name, values in columns.items()
    }
    return unique, sums, np.bincount(inverse, minlength=len(unique))


def sort_rows(dimension: np.ndarray, size: np.ndarray, tie: np.ndarray) -> np.ndarray:
    """Row order: by dimension, then largest ``size`` first, then ``tie`` ascending.
    O(n log n): one sort of a combined key (:func:`symbiosis._sorting.lexorder`)."""
    return lexorder(tie, -size, dimension)


def unit_labels(dimension_codes: np.ndarray, years: int = 1) -> np.ndarray:
    """The unit of each row's dimension code, over ``years`` years added up
    (:func:`~symbiosis.units.yearly_unit`)."""
    units = np.array([yearly_unit(d, years) for d in DIMENSIONS], dtype=object)
    return units[dimension_codes]


def dimension_labels(dimension_codes: np.ndarray) -> np.ndarray:
    return np.array(DIMENSIONS, dtype=object)[dimension_codes]


@dataclass(frozen=True, eq=False)
class Columns:
    """A result table kept as numpy columns, turned into pandas only at the edge.

    Each column is an array, or a pair ``(vocabulary, codes)`` whose cells are
    ``vocabulary[codes]``: labels such as firm ids, names and roles are looked up only for
    the rows that are shown (:meth:`records`) or when the whole table is asked for
    (:attr:`frame`, built once). Row ``i`` of the table is row ``order[i]`` of the arrays
    (all of them in order when ``order`` is None): only the rows shown are ever taken.
    """

    columns: dict[str, np.ndarray | tuple[np.ndarray, np.ndarray]]
    order: np.ndarray | None = None
    # ``(dimension, size, tie)`` arrays: rows in ``sort_rows`` order of them, sorted only
    # when more than each dimension's first rows are asked for (see :func:`ranked`)
    ranking: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None
    # the rows of the arrays that the ranking's arrays stand for (None: all of them)
    subset: np.ndarray | None = None
    # when neither ``order`` nor ``ranking`` is given: a function giving the order, called
    # the first time the rows are needed in order
    sort: Callable[[], np.ndarray] | None = None

    @cached_property
    def _order(self) -> np.ndarray | None:
        if self.order is None and self.ranking is not None:
            return self._raw(sort_rows(*self.ranking))
        if self.order is None and self.sort is not None:
            return self.sort()
        return self.order

    def _raw(self, positions: np.ndarray) -> np.ndarray:
        """Rows of the arrays at ``positions`` of the ranking's arrays."""
        return positions if self.subset is None else self.subset[positions]

    def __len__(self) -> int:
        if self.ranking is not None:
            return len(self.ranking[0])
        if self.order is not None:
            return len(self.order)
        first = next(iter(self.columns.values()), np.zeros(0))
        return len(first[1] if isinstance(first, tuple) else first)

    def column(self, name: str, rows: np.ndarray | slice = slice(None)) -> np.ndarray:
        """The cells of one column, for ``rows`` (default: all)."""
        if self._order is not None:
            rows = self._order[rows]
        return self._cells(name, rows)

    def _cells(self, name: str, rows: np.ndarray | slice) -> np.ndarray:
        """The cells of one column at positions ``rows`` of its arrays (not of the table)."""
        data = self.columns[name]
        if isinstance(data, tuple):
            vocabulary, codes = data
            return vocabulary[codes[rows]]
        return data[rows]

    @cached_property
    def frame(self) -> pd.DataFrame:
        """The whole table as a DataFrame (object columns kept as objects). O(cells)."""
        return frame({name: self.column(name) for name in self.columns})

    def records(
        self, limit: int | None = None, *, lazy: bool = False
    ) -> list[dict[str, Any]] | LazyRows:
        """Rows as dicts of builtin values (NaN as None); with ``limit``, the first
        ``limit`` rows of each dimension. With ``lazy``, a listing past one block is a
        :class:`~symbiosis.jsonable.LazyRows` inside :func:`~symbiosis.jsonable.lazy_rows`
        (for a ``to_dict`` value the caller only encodes). O(rows) to choose, O(cells
        listed) to convert."""
        rows: np.ndarray | slice = slice(None)
        if limit is not None and len(self) > limit and self.ranking is not None:
            # the first rows of each dimension without sorting every row
            raw = self._raw(top_rows(*self.ranking, limit))
            if lazy:
                return rows_of(len(raw), lambda part: self._raw_records(raw[part]))
            return self._raw_records(raw)
        if limit is not None and len(self) > limit:
            if "dimension" in self.columns:
                rows = first_per_group(self._dimension_groups, len(self), limit)
            else:
                rows = slice(limit)
        if lazy:
            listed = np.arange(len(self))[rows]
            return rows_of(len(listed), lambda part: self._records(listed[part]))
        return self._records(rows)

    def _records(self, rows: np.ndarray | slice) -> list[dict[str, Any]]:
        """The dicts of the table's ``rows``."""
        return row_dicts({name: builtin_cells(self.column(name, rows)) for name in self.columns})

    def _raw_records(self, raw: np.ndarray) -> list[dict[str, Any]]:
        """The dicts of the arrays' rows ``raw`` (positions of the arrays, not the table)."""
        return row_dicts({name: builtin_cells(self._cells(name, raw)) for name in self.columns})

    def heads(self, limit: int) -> list[tuple[Any, pd.DataFrame, int]]:
        """Per dimension, in order of first appearance: its label, the frame of its first
        ``limit`` rows (as :attr:`frame` has them, index aside) and its number of rows;
        what a text report shows, without the whole frame. O(rows x dimensions) to
        group, O(cells shown) to build."""
        groups = self._dimension_groups()
        heads = []
        for group in pd.unique(groups):  # in order of appearance
            rows = np.flatnonzero(groups == group)
            columns = {name: self.column(name, rows[:limit]) for name in self.columns}
            heads.append((columns["dimension"][0], frame(columns), len(rows)))
        return heads

    def _dimension_groups(self, rows: slice = slice(None)) -> np.ndarray:
        """A code per row (in table order; ``rows`` of them) telling its dimension."""
        data = self.columns["dimension"]
        if not isinstance(data, tuple):
            return self.column("dimension", rows)
        return data[1][rows] if self._order is None else data[1][self._order[rows]]


def ordered(
    columns: dict[str, np.ndarray | tuple[np.ndarray, np.ndarray]], order: np.ndarray
) -> Columns:
    """``Columns`` whose rows are the arrays' rows in ``order`` (taken lazily)."""
    return Columns(columns, np.asarray(order))


def ranked(
    columns: dict[str, np.ndarray | tuple[np.ndarray, np.ndarray]],
    dimension: np.ndarray,
    size: np.ndarray,
    tie: np.ndarray,
    subset: np.ndarray | None = None,
) -> Columns:
    """``ordered(columns, sort_rows(dimension, size, tie))``, the sort made only when the
    whole table is asked for: a report lists each dimension's first rows, which
    :func:`top_rows` finds without sorting them all (``dimension`` must be the integer
    codes the ``dimension`` column shows, if there is one). With ``subset``, the table
    holds those rows of the arrays only, and the ranking's arrays are of them:
    ``ordered(columns, subset[sort_rows(dimension, size, tie)])``."""
    return Columns(columns, ranking=(dimension, size, tie), subset=subset)


def top_rows(dimension: np.ndarray, size: np.ndarray, tie: np.ndarray, limit: int) -> np.ndarray:
    """The rows that ``sort_rows(dimension, size, tie)`` puts first in each dimension,
    at most ``limit`` of each, in that order: per dimension, the rows as large as its
    ``limit``-th largest (every tie of it), sorted. O(n x dimensions + k log k)."""
    if limit <= 0:  # none listed (the headline's dicts)
        return np.zeros(0, dtype=np.int64)
    if np.isnan(size).any():  # NaN sizes sort last: take the plain way
        order = sort_rows(dimension, size, tie)
        return order[first_per_group(dimension[order].__getitem__, len(order), limit)]
    picks = []
    for code in _unique(dimension):
        rows = np.flatnonzero(dimension == code)
        if len(rows) > limit:
            sizes = size[rows]
            threshold = np.partition(sizes, len(rows) - limit)[len(rows) - limit]
            rows = rows[sizes >= threshold]
        # a stable sort of rows in position order: the full sort's order among them
        picks.append(rows[sort_rows(dimension[rows], size[rows], tie[rows])[:limit]])
    return np.concatenate(picks) if picks else np.zeros(0, dtype=np.int64)


DIMENSION_LABELS = np.array(DIMENSIONS, dtype=object)


def frame(
    columns: dict[str, np.ndarray], order: np.ndarray | None = None, *, fresh: bool = False
) -> pd.DataFrame:
    """A DataFrame that keeps object arrays as they are (no per-cell conversion of a
    million strings to Arrow); with ``order``, the rows taken in that order first (a numpy
    take per column is several times cheaper than ``DataFrame.iloc`` on object columns).
    The arrays taken in order, or given as ``fresh`` (the caller's to give away), become
    the frame's columns without a copy: pandas would otherwise copy every numeric column
    into one 2-D block."""
    if order is not None:
        columns, fresh = {k: v[order] for k, v in columns.items()}, True
    if not fresh:
        return pd.DataFrame(
            {k: pd.Series(v, dtype=object) if v.dtype == object else v for k, v in columns.items()}
        )
    series = {
        k: pd.Series(v, dtype=object if v.dtype == object else None, copy=False)
        for k, v in columns.items()
    }
    return pd.DataFrame(series, copy=False)


def constant(value: object, n: int) -> np.ndarray:
    """An object array of ``n`` times ``value`` (``np.full`` is four times slower on
    objects)."""
    array = np.empty(n, dtype=object)
    array[:] = value
    return array


def ratio(numerator: np.ndarray, denominator: np.ndarray) -> np.ndarray:
    """numerator / denominator, NaN where the denominator is 0; clipped into [0, 1]
    because a sum of parts can exceed its total by one rounding unit."""
    numerator = np.asarray(numerator, dtype=float)
    denominator = np.asarray(denominator, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        result = np.where(denominator > 0, numerator / denominator, np.nan)
    return np.clip(result, 0.0, 1.0)
