"""The model's own tables fed back without their mark: their derived columns recognised by
what they hold.

``net.flows`` and ``net.firms`` carry a mark (:data:`~symbiosis.model.TABLE_MARKER` in
``DataFrame.attrs``) that pandas keeps through filtering and ``assign`` but not always
through ``pd.concat`` (it keeps ``attrs`` only when every frame has the same), nor through
a CSV or Parquet file. A table without the mark is still the model's own when it holds
*every* derived column (:data:`~symbiosis.model.DERIVED_FLOW_COLUMNS`,
:data:`~symbiosis.model.DERIVED_FIRM_COLUMNS`) and each holds, wherever it holds
something, what the model computes from the other columns: ``material_key`` from
``material``, ``dimension`` and ``value`` from ``unit`` and ``quantity``, ``actor`` from
``role``, and ``row`` a whole number >= 0. Rows without them (appended by ``pd.concat``)
are computed like any new row. A user column of one of these names that holds anything
else (an economic ``value`` in dollars) makes the table the user's: it is kept as
``user_<name>`` with a warning, never dropped.

Complexity: O(rows) vectorised, plus one parse per distinct material, unit and role.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
import pandas as pd

from ..units import UnknownUnitError, parse_unit
from ..vocabulary import ACTOR_ROLES, canonical_role, material_key

__all__ = ["holds_derived_columns"]


def holds_derived_columns(
    frame: pd.DataFrame, names: list[str], derived: Mapping[str, Any]
) -> bool:
    """Whether ``frame`` (its columns named ``names``, lower case) holds every column of
    ``derived`` and each holds what the model computes (module docstring)."""
    if not derived or not set(derived) <= set(names):
        return False
    columns = {name: frame.iloc[:, names.index(name)] for name in dict.fromkeys(names)}
    if not _rows_alike(columns["row"]):
        return False
    if "actor" in derived:
        return _actors_alike(columns.get("role"), columns["actor"])
    return _keys_alike(columns.get("material"), columns["material_key"]) and _sizes_alike(
        columns.get("unit"), columns.get("quantity"), columns["dimension"], columns["value"]
    )


def _present(column: pd.Series) -> np.ndarray:
    """Mask of the cells that hold something (not missing, not blank text)."""
    text = column.astype("string").str.strip()
    return (text.notna() & (text != "")).to_numpy(dtype=bool)


def _each_distinct(column: pd.Series, compute: Callable[[str], Any]) -> np.ndarray:
    """``compute`` of each cell's text, called once per distinct text (an object array)."""
    codes, uniques = pd.factorize(column.astype("string").fillna(""))
    return np.array([compute(str(u)) for u in uniques] + [None], dtype=object)[codes]


def _rows_alike(row: pd.Series) -> bool:
    numbers = pd.to_numeric(row[_present(row)], errors="coerce").to_numpy(dtype=float)
    whole = np.isfinite(numbers) & (numbers >= 0) & (numbers == np.round(numbers))
    return bool(whole.all())  # text that is not a number is NaN: not whole


def _keys_alike(material: pd.Series | None, key: pd.Series) -> bool:
    given = _present(key)
    if material is None:
        return not given.any()
    computed = _each_distinct(material[given], material_key)
    return bool((computed == key[given].astype(str).to_numpy(dtype=object)).all())


def _sizes_alike(
    unit: pd.Series | None, quantity: pd.Series | None, dimension: pd.Series, value: pd.Series
) -> bool:
    if unit is None or quantity is None:
        return not (_present(dimension).any() or _present(value).any())
    parsed = _each_distinct(unit, _unit_or_none)
    known = np.array([info is not None for info in parsed], dtype=bool)
    given = _present(dimension)
    if not known[given].all():
        return False
    dimensions = np.array([info.dimension for info in parsed[given]], dtype=object)
    if not (dimensions == dimension[given].astype(str).to_numpy(dtype=object)).all():
        return False
    sized = _present(value)
    if not known[sized].all():
        return False
    factors = np.array([info.factor for info in parsed[sized]], dtype=float)
    amounts = pd.to_numeric(quantity[sized], errors="coerce").to_numpy(dtype=float)
    values = pd.to_numeric(value[sized], errors="coerce").to_numpy(dtype=float)
    return bool(np.isclose(values, amounts * factors, rtol=1e-12, atol=0.0).all())


def _unit_or_none(text: str) -> Any:
    try:
        return parse_unit(text)
    except UnknownUnitError:
        return None


def _actors_alike(role: pd.Series | None, actor: pd.Series) -> bool:
    given = _present(actor)
    if role is None:
        return not given.any()
    roles = _each_distinct(role[given], canonical_role)  # a blank role is a firm's
    computed = np.array([str(r in ACTOR_ROLES) if r else "?" for r in roles], dtype=object)
    said = actor[given].astype(str).str.strip().str.capitalize().to_numpy(dtype=object)
    return bool((computed == said).all())
