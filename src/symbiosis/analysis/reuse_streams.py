"""The residual streams of :mod:`~symbiosis.analysis.reuse`: which flows are residual,
which are secondary inputs, the fate of each stream (:data:`FATES`, set by the role of the
node it goes to, :data:`FATE_OF_ROLE`), and the quantified streams' sums per dimension and
key (category, material, node) from which the reuse accounts' tables are made.
:mod:`~symbiosis.analysis.reuse` re-exports :data:`FATES` and :data:`FATE_OF_ROLE` and
describes the fates and indicators.

Complexity: O(f) for the masks and fates of f flows; O(f log f) for a breakdown (one
``np.unique`` over integer keys and a ``np.bincount`` per column).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .._sorting import unique as distinct_sorted
from ..core import Core
from ..taxonomy import Taxonomy
from ..units import DIMENSIONS
from ..vocabulary import CATEGORIES, RESIDUAL_CATEGORIES, ROLES
from ._flowsums import DIMENSION_LABELS, Arrays, Columns, group_sums, ranked, ratio

__all__ = ["FATES", "FATE_OF_ROLE"]

FATES: tuple[str, ...] = ("reused", "treated", "sold", "disposed", "emitted")
FATE_OF_ROLE: dict[str, str] = {
    "firm": "reused",
    "extraction": "reused",
    "recycling": "reused",
    "utility": "reused",
    "household": "reused",
    "treatment": "treated",
    "market": "sold",
    "disposal": "disposed",
    "environment": "emitted",
}


# --------------------------------------------------------------------------- masks


def _residual_category(arrays: Arrays) -> np.ndarray:
    # a table lookup on the core's int8 codes (-1, unknown, reads the last entry: False)
    residual = np.zeros(len(CATEGORIES) + 1, dtype=bool)
    residual[[CATEGORIES.index(c) for c in RESIDUAL_CATEGORIES]] = True
    return residual[arrays.core.category]


def _residual(arrays: Arrays) -> np.ndarray:
    """Residual flows leaving actors (any size)."""
    return _residual_category(arrays) & arrays.core.source_is_actor


def _secondary(arrays: Arrays) -> np.ndarray:
    from_recycler = arrays.has_role(arrays.source, "recycling")
    return (_residual_category(arrays) | from_recycler) & _counted_input(arrays)


def _counted_input(arrays: Arrays) -> np.ndarray:
    """Flows into actors other than treatment plants (inputs for the circular rate)."""
    return arrays.core.target_is_actor & ~arrays.has_role(arrays.target, "treatment")


def _fate_codes(arrays: Arrays) -> np.ndarray:
    """Index in :data:`FATES` of the fate of a stream ending at each node."""
    fate_of_role = np.array([FATES.index(FATE_OF_ROLE[r]) for r in ROLES], dtype=np.int64)
    return fate_of_role[arrays.role_code]


# --------------------------------------------------------------------------- breakdowns


class _Streams:
    """The quantified residual streams as arrays, and their breakdowns."""

    def __init__(self, arrays: Arrays, mask: np.ndarray):
        self.arrays = arrays
        self.mask = mask
        self.dimension = arrays.dimension[mask]
        self.value = arrays.value[mask]
        self.fate = _fate_codes(arrays)[arrays.target[mask]]
        self.amounts = {"generated": self.value} | {
            f: np.where(self.fate == i, self.value, 0.0) for i, f in enumerate(FATES)
        }
        internal = arrays.source[mask] == arrays.target[mask]  # an actor's own recycling
        self.amounts["reused_internally"] = np.where(internal, self.value, 0.0)

    def account(self, keys: np.ndarray, n_keys: int) -> tuple[dict[str, np.ndarray], np.ndarray]:
        """Amounts, shares and stream counts per (dimension, key) for integer ``keys`` in
        ``range(n_keys)``, as columns; returns them and the key of each row."""
        unique, sums, counts = group_sums(self.dimension * n_keys + keys, self.amounts)
        columns = {"dimension": (DIMENSION_LABELS, unique // n_keys), **sums}
        columns["reuse_share"] = ratio(sums["reused"], sums["generated"])
        columns["utilization_rate"] = ratio(sums["reused"] + sums["sold"], sums["generated"])
        columns["streams"] = counts
        return columns, unique

    def ordered(
        self,
        columns: dict[str, np.ndarray],
        labels: dict[str, np.ndarray],
        unique: np.ndarray,
        n_keys: int,
        tie: np.ndarray,
        by: str = "generated",
    ) -> Columns:
        """The table with the ``labels`` columns after ``dimension``, rows by dimension,
        largest ``by`` first, then ``tie``."""
        dimension, *rest = columns
        merged = {dimension: columns[dimension], **labels, **{k: columns[k] for k in rest}}
        # the dimension column's codes (one array, not a second)
        return ranked(merged, columns[dimension][1], columns[by], tie)

    def by_category(self) -> Columns:
        codes = self.arrays.category[self.mask]
        n = len(CATEGORIES)
        columns, unique = self.account(codes, n)
        labels = {"category": (np.array(CATEGORIES, dtype=object), unique % n)}
        return self.ordered(columns, labels, unique, n, unique % n)

    def by_material(self, taxonomy: Taxonomy) -> Columns:
        """Per dimension and material (docs/reuse.md, "Matching material names"): flows
        whose names ``taxonomy`` lists for one material (:meth:`Taxonomy.listed`) make one
        row, others one row per material key. ``names`` lists the row's names, those
        that are the material's own name first, then the most frequent (ties:
        alphabetically), joined by "; "; ``material`` is the first of them and
        ``material_key`` its key. One look-up per distinct key; O(f log f)."""
        core = self.arrays.core
        group, n, canonical = _material_groups(core, taxonomy)
        rows = self.dimension * n + group[self.mask]
        columns, unique = self.account(group[self.mask], n)
        spelling = core.material_code[self.mask].astype(np.int64)  # -1: no name, the last
        spellings = np.append(core.materials, "").astype(object)
        key_of = _key_of_spelling(core)
        first, listing = _row_names(rows, spelling, spellings, unique, canonical[key_of])
        keys = np.append(core.material_keys, "").astype(object)[key_of[first]]
        index = np.arange(len(unique))
        labels = {
            "material": (spellings[first], index),
            "material_key": (keys, index),
            "names": (listing, index),
        }
        alphabetical = np.empty(len(keys), dtype=np.int64)
        alphabetical[np.argsort(keys, kind="stable")] = index
        return self.ordered(columns, labels, unique, n, alphabetical)

    def by_node(self, nodes: np.ndarray, by: str) -> Columns:
        arrays = self.arrays
        n = len(arrays.ids)
        columns, unique = self.account(nodes, n)
        node = unique % n
        labels = _node_labels(arrays, node)
        return self.ordered(columns, labels, unique, n, arrays.rank[node], by)

    def by_receiver(self, network_table: pd.DataFrame) -> Columns:
        arrays = self.arrays
        n = len(arrays.ids)
        target = arrays.target[self.mask]
        keys = self.dimension * n + target
        unique, sums, counts = group_sums(keys, {"received": self.value})
        # distinct generators per receiver: distinct (receiver, source) pairs
        pairs = distinct_sorted(keys * n + arrays.source[self.mask])
        generators = np.bincount(np.searchsorted(unique, pairs // n), minlength=len(unique))
        node, dimension = unique % n, unique // n
        generated = network_table.set_index("dimension")["generated"]
        total = generated.reindex(list(DIMENSIONS)).fillna(0.0).to_numpy()[dimension]
        # labels as (vocabulary, codes): only the listed rows are ever looked up
        columns = {
            "dimension": (DIMENSION_LABELS, dimension),
            **_node_labels(arrays, node),
            "fate": (np.array(FATES, dtype=object), _fate_codes(arrays)[node]),
            "received": sums["received"],
            "share": ratio(sums["received"], total),
            "streams": counts,
            "generators": generators,
        }
        return ranked(columns, dimension, sums["received"], arrays.rank[node])


def _material_groups(core: Core, taxonomy: Taxonomy) -> tuple[np.ndarray, int, np.ndarray]:
    """Per flow, its material group (:meth:`_Streams.by_material`); the number of codes;
    per material key (and a last entry, no material), whether it is the key of its
    group's material. A key that ``taxonomy`` lists has the code of its material, past
    every key; else its own. One look-up per distinct key (by its first spelling), O(f)."""
    keys = core.material_keys
    first = np.full(len(keys), -1, dtype=np.int64)
    named = np.flatnonzero(core.material_key_code >= 0)[::-1]  # the last write: the first row
    first[core.material_key_code[named]] = core.material_code[named]
    listed = [taxonomy.listed(str(core.materials[s])) if s >= 0 else None for s in first]
    materials = {m: i for i, m in enumerate(sorted({m for m in listed if m is not None}))}
    code = [k if m is None else len(keys) + materials[m] for k, m in enumerate(listed)]
    n = len(keys) + len(materials) + 1  # the last code: flows without a material
    group = np.array([*code, n - 1], dtype=np.int64)[core.material_key_code]
    canonical = np.array([m == str(k) for m, k in zip(listed, keys, strict=True)] + [False])
    return group, n, canonical


def _row_names(
    rows: np.ndarray,
    spelling: np.ndarray,
    spellings: np.ndarray,
    unique: np.ndarray,
    canonical: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """For each row of ``unique`` (``rows``: the row key of each stream; ``spelling`` its
    code in ``spellings``, -1 the last; ``canonical`` per spelling, whether it is its
    material's own name), the code of its first spelling and its spellings joined by
    "; ": own names first, then the most frequent, then alphabetically. Works on the
    distinct (row, spelling) pairs only."""
    width = len(spellings)
    pairs, counts = distinct_sorted(rows * width + spelling % width, return_counts=True)
    code = pairs % width
    table = pd.DataFrame(
        {
            "row": np.searchsorted(unique, pairs // width),
            "own": canonical[code],
            "n": counts,
            "code": code,
            "spelling": spellings[code],
        }
    ).sort_values(["row", "own", "n", "spelling"], ascending=[True, False, False, True])
    listing = table.groupby("row", sort=True)["spelling"].agg("; ".join)
    first = table.drop_duplicates("row")["code"].to_numpy(dtype=np.int64)
    return first, listing.to_numpy(dtype=object)


def _key_of_spelling(core: Core) -> np.ndarray:
    """The material key code of each spelling of ``core.materials``; the last entry (no
    material) and a spelling without a key: ``len(core.material_keys)``. O(f)."""
    code = np.full(len(core.materials) + 1, len(core.material_keys), dtype=np.int64)
    named = (core.material_code >= 0) & (core.material_key_code >= 0)
    code[core.material_code[named]] = core.material_key_code[named]
    return code


def _node_labels(arrays: Arrays, node: np.ndarray) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Id, name and role columns of the nodes at positions ``node`` (looked up lazily)."""
    roles = np.array(ROLES, dtype=object)
    return {
        "firm": (arrays.ids, node),
        "name": (arrays.names, node),
        "role": (roles, arrays.role_code[node]),
    }
