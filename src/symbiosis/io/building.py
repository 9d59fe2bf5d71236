"""From validated tables to a :class:`~symbiosis.model.FlowNetwork`, with its columnar core.

Validation has already dictionary-encoded the flow columns (endpoint positions, materials,
keys, categories, dimensions), so the core is assembled from those codes instead of being
encoded again from the pandas tables on first use: O(nodes) left to encode here.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..core import Core, encode
from ..vocabulary import ROLES
from .flows import Flows

__all__ = ["build_core"]


def _role_codes(roles: pd.Series) -> np.ndarray:
    """Index of each canonical role in :data:`~symbiosis.vocabulary.ROLES` (int8)."""
    codes, uniques = pd.factorize(roles)
    lookup = [ROLES.index(u) if u in ROLES else -1 for u in uniques] + [-1]
    return np.array(lookup, dtype=np.int8)[codes]


def build_core(firms: pd.DataFrame, flows: Flows) -> Core:
    """The core of a valid network whose nodes are ``firms`` (the model table before its
    ``id`` becomes the index, in node order), equal field by field to
    :meth:`Core.from_tables` of the same tables. ``flows.source`` and ``flows.target`` must
    be positions in ``firms``. O(nodes) plus O(flows) copies."""
    sector_code, sectors = encode(firms["sector"])
    return Core(
        ids=firms["id"].to_numpy(dtype=object),
        names=firms["name"].to_numpy(dtype=object),
        role_code=_role_codes(firms["role"]),
        sector_code=sector_code,
        sectors=sectors,
        source=flows.source,
        target=flows.target,
        value=flows.value,
        dimension=flows.dimension,
        unit_dimension=flows.unit_dimension,
        category=flows.category,
        material_code=flows.material_code,
        materials=flows.materials,
        material_key_code=flows.material_key_code,
        material_keys=flows.material_keys,
    )
