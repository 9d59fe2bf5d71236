"""Builtin JSON values from results: the one helper that both the analysis results'
``to_dict`` and the JSON writer use (a leaf: no project imports)."""

from __future__ import annotations

import gc
import math
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["gc_paused", "to_jsonable"]


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
