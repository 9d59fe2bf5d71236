"""Streams: the flows that leave the system from an actor, with their fate."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from ...catalogue import normalise_code
from ...model import FlowNetwork
from ...vocabulary import RESIDUAL_CATEGORIES
from ..reuse import FATE_OF_ROLE


@dataclass(frozen=True)
class _Streams:
    """The streams leaving actors, as numpy arrays indexed 0..n-1 (``flow`` is the
    position in ``network.flows``)."""

    flow: np.ndarray
    source: np.ndarray
    target: np.ndarray
    material: np.ndarray
    key: np.ndarray
    category: np.ndarray
    quantity: np.ndarray
    unit: np.ndarray
    value: np.ndarray
    dimension: np.ndarray
    row: np.ndarray
    fate: np.ndarray
    source_position: np.ndarray
    price: np.ndarray
    codes: np.ndarray
    ambiguous: np.ndarray  # another flow has the same source, target and material key
    group_order: np.ndarray  # 0 disposed or emitted, 1 sold, 2 product

    def __len__(self) -> int:
        return len(self.flow)


def _streams(network: FlowNetwork) -> _Streams:
    """Flows from actors to boundary nodes with their fate. O(f), vectorised; only the
    leaving flows are converted to numpy object arrays."""
    flows = network.flows
    roles = network.firms["role"].to_numpy(dtype=object)
    target_role = roles[network.target_positions]
    residual = flows["category"].isin(RESIDUAL_CATEGORIES).to_numpy()
    leaving = network.source_is_actor & ~network.target_is_actor
    is_product = (flows["category"] == "product").to_numpy() & (target_role == "market")
    positions = np.flatnonzero(leaving & (residual | is_product))
    fate = _translate(target_role[positions], FATE_OF_ROLE, "")
    fate = np.where(is_product[positions], "product", fate).astype(object)

    def column(name, dtype=object):
        return flows[name].take(positions).to_numpy(dtype=dtype)

    key = column("material_key")
    # Another leaving flow with the same source, target and material: a selector needs
    # the row number (flows to actors never share a target with a stream).
    out = np.flatnonzero(leaving)
    out_keys = pd.factorize(flows["material_key"].take(out).to_numpy(dtype=object))[0]
    code = (network.source_positions[out].astype(np.int64) * (network.n_firms + 1)
            + network.target_positions[out]) * (out_keys.max(initial=0) + 1) + out_keys  # fmt: skip
    order = np.argsort(code, kind="stable")
    ordered = code[order]
    same = np.r_[False, ordered[1:] == ordered[:-1]]
    duplicated = np.zeros(len(out), dtype=bool)
    duplicated[order] = same | np.r_[same[1:], False]
    flag = np.zeros(len(flows), dtype=bool)
    flag[out] = duplicated
    if "material_code" in flows:
        raw = column("material_code")
        raw = np.where(pd.isna(raw), "", raw).astype(str)
        table = {t: tuple(normalise_code(c) for c in t.split(";") if c.strip()) for t in set(raw)}
        codes = np.empty(len(positions), dtype=object)
        codes[:] = [table[t] for t in raw]
    else:
        codes = np.empty(len(positions), dtype=object)
        codes[:] = [()] * len(positions)
    return _Streams(
        flow=positions,
        source=column("source"),
        target=column("target"),
        material=column("material"),
        key=key,
        category=column("category"),
        quantity=column("quantity", float),
        unit=column("unit"),
        value=column("value", float),
        dimension=column("dimension"),
        row=column("row", np.int64),
        fate=fate,
        source_position=network.source_positions[positions],
        price=column("price", float) if "price" in flows else np.full(len(positions), np.nan),
        codes=codes,
        ambiguous=flag[positions],
        group_order=np.where(
            is_product[positions], 2, np.where(target_role[positions] == "market", 1, 0)
        ).astype(np.int64),
    )


def _unique(values: np.ndarray) -> np.ndarray:
    """Sorted distinct values by sorting (numpy >= 2.3's hash-based np.unique is much
    slower on large integer arrays)."""
    values = np.sort(np.asarray(values))
    return values[np.r_[True, values[1:] != values[:-1]]] if len(values) else values


def _lookup(values: np.ndarray, table: dict, default: int) -> np.ndarray:
    """``table[v]`` for each value, as int64, through the distinct values (fast on large
    object arrays)."""
    codes, uniques = pd.factorize(np.asarray(values, dtype=object), use_na_sentinel=False)
    return np.array([table.get(u, default) for u in uniques], dtype=np.int64)[codes]


def _translate(values: np.ndarray, table: dict, default: Any = None) -> np.ndarray:
    """``table[v]`` for each value, as an object array, through the distinct values."""
    codes, uniques = pd.factorize(np.asarray(values, dtype=object), use_na_sentinel=False)
    out = np.empty(len(uniques), dtype=object)
    out[:] = [table.get(u, default) for u in uniques]
    return out[codes]


def _objects(frame: pd.DataFrame, values) -> pd.Series:
    """A column for ``frame.assign`` that stays a numpy object array."""
    return pd.Series(np.asarray(values, dtype=object), index=frame.index, dtype=object)
