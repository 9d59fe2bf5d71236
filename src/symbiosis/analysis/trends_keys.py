"""Integer codes for combinations of columns, shared by :mod:`.trends` and :mod:`.compare`
to match links and flows between two networks without hashing tuples of strings."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["combined_codes", "first_rows"]


def combined_codes(columns: Sequence[Any]) -> np.ndarray:
    """One dense int64 code per distinct combination of the columns' values (text columns
    or int64 code arrays), built pairwise so that no product of cardinalities can
    overflow. O(rows) hashing per text column, and an O(rows log rows) integer sort per
    pair (numpy's sort beats hashing integers at a million rows)."""
    code = _codes(columns[0])
    for column in columns[1:]:
        other = _codes(column)
        code = np.unique(code * (int(other.max(initial=0)) + 1) + other, return_inverse=True)[1]
    return code.astype(np.int64, copy=False)


def first_rows(codes: np.ndarray) -> np.ndarray:
    """The row of each code's first occurrence, in code order. O(rows log rows)."""
    return np.unique(codes, return_index=True)[1]


def _codes(column: Any) -> np.ndarray:
    if isinstance(column, np.ndarray):
        return column.astype(np.int64, copy=False)
    return pd.factorize(column)[0].astype(np.int64)
