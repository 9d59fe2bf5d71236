"""Builtin JSON values from results: the one helper that both the analysis results'
``to_dict`` and the JSON writer use (a leaf: no project imports).

Long listings (the 900,000 origin rows of ``symbiosis structure -f json`` at a million
flows, the 700,000 changed flows of ``reconcile``) cost far more as dicts than as JSON:
a row is a dict of a dozen Python objects, some 600 bytes, where its JSON takes 250. Inside
:func:`lazy_rows`, a result's ``to_dict`` gives such a listing as :class:`LazyRows`, which
the JSON writer (:mod:`symbiosis.export.json`) encodes a block of rows at a time, so that
the rows' dicts are never all alive; everywhere else ``to_dict`` gives plain lists.
"""

from __future__ import annotations

import gc
import math
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["ROWS_PER_BLOCK", "LazyRows", "gc_paused", "lazy_rows", "rows_of", "to_jsonable"]

#: Rows of a :class:`LazyRows` listing made (and encoded) at a time: about 5 MB of dicts,
#: against 1.2 GB for all 700,000 changed flows of a million. Measured on the 890,000
#: origin rows of ``structure -f json`` at a million flows: peak 1,033 MB with blocks of
#: 65,536 rows, 888 with 16,384, 863 with 8,192, 842 with 4,096 (the output itself is
#: 237 MB), and no slower.
ROWS_PER_BLOCK = 1 << 13


class LazyRows:
    """A listing of ``count`` rows (dicts of builtin JSON values) made a block at a time
    by ``make(rows)``, ``rows`` a slice of the listing: what a result's ``to_dict`` gives
    for a long listing inside :func:`lazy_rows`, for the JSON writer. :meth:`to_list` and
    :func:`to_jsonable` give the plain list, the rows as ``make(slice(0, count))`` gives
    them."""

    __slots__ = ("_count", "_make")

    def __init__(self, count: int, make: Callable[[slice], list[dict[str, Any]]]):
        self._count = count
        self._make = make

    def __len__(self) -> int:
        return self._count

    def __repr__(self) -> str:
        return f"<LazyRows: {self._count} rows>"

    def blocks(self, size: int | None = None) -> Iterator[list[dict[str, Any]]]:
        """The rows, ``size`` (default :data:`ROWS_PER_BLOCK`) at a time, the last block
        shorter. O(cells) in all."""
        size = size or ROWS_PER_BLOCK
        for start in range(0, self._count, size):
            yield self._make(slice(start, min(start + size, self._count)))

    def to_list(self) -> list[dict[str, Any]]:
        """Every row, as one list."""
        return [row for block in self.blocks() for row in block]


_LAZY_ROWS: ContextVar[bool] = ContextVar("symbiosis_lazy_rows", default=False)


@contextmanager
def lazy_rows() -> Iterator[None]:
    """Within this block (in this thread or task), the listings that a result's
    ``to_dict`` makes with :func:`rows_of` come as :class:`LazyRows` when they are longer
    than one block: for a caller that only encodes the dict as JSON
    (:func:`symbiosis.export.json.json_pieces`). Nests; the previous state is restored."""
    token = _LAZY_ROWS.set(True)
    try:
        yield
    finally:
        _LAZY_ROWS.reset(token)


def rows_of(count: int, make: Callable[[slice], list[dict[str, Any]]]) -> list | LazyRows:
    """The ``count`` rows that ``make(slice(0, count))`` makes: that list, or, inside
    :func:`lazy_rows` and past :data:`ROWS_PER_BLOCK` rows, a :class:`LazyRows` that makes
    them a block at a time. ``make`` must give the same rows for the parts of a slice as
    for the whole."""
    if count > ROWS_PER_BLOCK and _LAZY_ROWS.get():
        return LazyRows(count, make)
    return make(slice(0, count))


def to_jsonable(value: Any) -> Any:
    """Turn results into builtin JSON types: numpy scalars to Python, NaN/inf to None,
    tuples and sets to lists, frames to lists of records. O(size of the result); the exact
    builtin types are tested first because reports at scale are millions of plain cells."""
    kind = type(value)
    if kind is str or kind is int or kind is bool or value is None:
        return value
    if kind is float:
        return value if math.isfinite(value) else None
    if kind is dict:
        return {k if type(k) is str else str(k): to_jsonable(v) for k, v in value.items()}
    if kind is list:
        return [to_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [to_jsonable(v) for v in value]
    if isinstance(value, pd.DataFrame):
        return to_jsonable(value.reset_index().to_dict("records"))
    if isinstance(value, pd.Series):
        return to_jsonable(value.to_dict())
    if isinstance(value, np.ndarray):
        return to_jsonable(value.tolist())
    if isinstance(value, np.generic):
        value = value.item()
    if value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, LazyRows):
        return to_jsonable(value.to_list())
    if hasattr(value, "to_dict") and not isinstance(value, str | int | float | bool):
        return to_jsonable(value.to_dict())
    return value


@contextmanager
def gc_paused() -> Iterator[None]:
    """Cyclic garbage collection paused while many small objects are built that hold no
    reference cycles: a result's JSON values (the tens of thousands of rows and loops a
    report at a million flows lists) and the HTML pages (0.2-0.5 s of a 100k-flow report
    page). Each collection would walk the analysis' whole heap (a full one 0.05 s); any
    cycle made meanwhile waits for the next one. Nests; the previous state is restored."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
