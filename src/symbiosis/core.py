"""The columnar core of a network: dictionary-encoded columns and the derived quantities
that several passes share, each computed once.

:class:`Core` holds plain numpy arrays, one per column: node positions for each flow's
``source`` and ``target`` (int32), small integer codes for dimensions, categories and roles
(int8 indexes into :data:`~symbiosis.units.DIMENSIONS`, :data:`~symbiosis.vocabulary.CATEGORIES`
and :data:`~symbiosis.vocabulary.ROLES`), dictionary codes with one vocabulary per column for
materials, material keys and sectors (int32 codes, ``-1`` for a missing value), and the
flow values in canonical units. The shared derived quantities (node sums per dimension,
throughflow, the actor positions, the per-dimension CSR matrices) are computed on first use
and cached; :meth:`Core.cached` keeps any other shared quantity (the condensation, say) under a
key so that two passes never compute it twice.

Node positions are int64 so that combined keys (``node * k + code``) never overflow.

A :class:`~symbiosis.model.FlowNetwork` builds its core once (:attr:`FlowNetwork.core`);
analysis passes read it instead of the pandas tables, which stay at the edges (user frames in,
``to_frame()`` out). Building the core is O(flows + nodes): one hash per string column.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import TYPE_CHECKING, Any, TypeVar

import numpy as np

from ._numeric import first_positions, weighted_counts
from .errors import InputError
from .options import THROUGHFLOW_RULES
from .units import DIMENSIONS
from .vocabulary import ACTOR_ROLES, CATEGORIES, ROLES

if TYPE_CHECKING:
    import pandas as pd
    import scipy.sparse as sp

__all__ = [
    "THROUGHFLOW_RULES",
    "Core",
    "NodeSums",
    "dimension_index",
    "encode",
    "positions_of",
    "read_only",
]

T = TypeVar("T")
_MISSING = object()


@dataclass(frozen=True)
class NodeSums:
    """Known inflow, known outflow and the number of known flows touching each node, in one
    dimension, as arrays over all nodes (boundary nodes included)."""

    inflow: np.ndarray
    outflow: np.ndarray
    count: np.ndarray


def dimension_index(dimension: Any) -> int:
    """The position of ``dimension`` in :data:`~symbiosis.units.DIMENSIONS`; an
    :class:`~symbiosis.errors.InputError` naming the choices for anything else. O(1)."""
    if isinstance(dimension, str) and dimension in DIMENSIONS:
        return DIMENSIONS.index(dimension)
    raise InputError(f"unknown dimension {dimension!r}; choose from {', '.join(DIMENSIONS)}")


def encode(values: Any) -> tuple[np.ndarray, np.ndarray]:
    """Dictionary-encode a column: ``(codes, vocabulary)`` with int32 codes, ``-1`` for a
    missing value, and the distinct values in order of first appearance. Hashing is done by
    Arrow for Arrow-backed columns. O(rows)."""
    import pandas as pd

    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    return codes.astype(np.int32, copy=False), np.asarray(uniques, dtype=object)


def positions_of(values: Any, ids: Any) -> np.ndarray:
    """Position of each value in ``ids`` (unique), ``-1`` when absent. O(rows + ids) hashing,
    by pyarrow when it can (pandas' own lookup on Arrow strings is ten times slower)."""
    import pandas as pd
    import pyarrow as pa
    import pyarrow.compute as pc

    ids = pd.Index(ids)
    try:
        value_array = values.array if hasattr(values, "array") else values
        found = pc.index_in(pa.array(value_array), value_set=pa.array(ids.array))
        return found.fill_null(-1).to_numpy(zero_copy_only=False).astype(np.int64)
    except (TypeError, ValueError, pa.ArrowException):
        return ids.get_indexer(pd.Index(np.asarray(values, dtype=object))).astype(np.int64)


def _codes_in(values: Any, names: tuple[str, ...]) -> np.ndarray:
    """Index of each value in the small fixed vocabulary ``names`` (-1 if absent or missing):
    one hash per distinct value."""
    codes, uniques = encode(values)
    lookup = np.array([names.index(u) if u in names else -1 for u in uniques] + [-1], np.int8)
    return lookup[codes]  # code -1 (missing) picks the trailing -1


def _first_seen(codes: np.ndarray, vocabulary: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Codes into ``vocabulary`` renumbered by first appearance, with the vocabulary of the
    values that appear (what :func:`encode` gives for the decoded values); -1 stays."""
    first = first_positions(codes, len(vocabulary))
    used = np.flatnonzero(first < len(codes))
    used = used[np.argsort(first[used], kind="stable")]  # in order of first appearance
    renumber = np.full(len(vocabulary) + 1, -1, dtype=np.int32)  # the last slot: code -1
    renumber[used] = np.arange(len(used), dtype=np.int32)
    return renumber[codes], vocabulary[used]


def read_only(value: T) -> T:
    """``value`` as the core hands it out, read-only: a numpy array as a read-only view
    (the array it views stays as it was: a caller's array passed in is not frozen under
    it), a scipy sparse matrix with read-only ``data``, ``indices`` and ``indptr``,
    :class:`NodeSums` with read-only arrays; anything else as it is. The core's arrays
    are every pass's shared cache: ``t = core.throughflow("mass"); t *= 2`` changed every
    later analysis of the network. O(1) per array."""
    if isinstance(value, np.ndarray):
        if not value.flags.writeable:  # read-only already (a core's, shared): as it is
            return value
        view = value.view()
        view.flags.writeable = False
        return view  # type: ignore[return-value]
    if isinstance(value, NodeSums):
        return NodeSums(*(read_only(a) for a in (value.inflow, value.outflow, value.count)))  # type: ignore[return-value]
    if all(hasattr(value, name) for name in ("data", "indices", "indptr", "tocsr")):
        for name in ("data", "indices", "indptr"):
            getattr(value, name).flags.writeable = False  # the matrix's own: never shared
        return value
    return value


def _sized_dimension(value: np.ndarray, unit_dimension: np.ndarray) -> np.ndarray:
    """The dimension of each flow's size: its unit's, -1 where the size is unknown."""
    return np.where(np.isnan(value), np.int8(-1), unit_dimension).astype(np.int8)


def _shared(method: Callable[[Any], np.ndarray]) -> cached_property[np.ndarray]:
    """A cached property of the core handing out a read-only array (:func:`read_only`)."""

    @functools.wraps(method)
    def build(self: Any) -> np.ndarray:
        return read_only(method(self))

    return cached_property(build)


@dataclass(frozen=True, eq=False)
class Core:
    """The network as arrays (see the module docstring). Immutable; derived quantities are
    cached on first use. Build it with :meth:`from_tables`."""

    # nodes
    ids: np.ndarray  # object array of node ids, in the order of the firms table
    names: np.ndarray  # object array of display names
    role_code: np.ndarray  # int8 index into ROLES
    sector_code: np.ndarray  # int32 code into ``sectors`` (-1 missing)
    sectors: np.ndarray
    # flows
    source: np.ndarray  # int64 node position (int64: keys such as node * k + code fit)
    target: np.ndarray  # int64 node position
    value: np.ndarray  # float64, canonical unit of its dimension, NaN when unknown
    dimension: np.ndarray  # int8 index into DIMENSIONS, -1 when the size is unknown
    unit_dimension: np.ndarray  # int8 index into DIMENSIONS of the unit, known size or not
    category: np.ndarray  # int8 index into CATEGORIES
    material_code: np.ndarray  # int32 code into ``materials``
    materials: np.ndarray
    material_key_code: np.ndarray  # int32 code into ``material_keys``
    material_keys: np.ndarray
    _cache: dict = field(default_factory=dict, repr=False)
    _building: dict = field(default_factory=dict, repr=False)  # key -> lock, see cached

    def __post_init__(self) -> None:
        """Every array read-only (:func:`read_only`): O(1) each."""
        for name, value in vars(self).items():
            if isinstance(value, np.ndarray):
                object.__setattr__(self, name, read_only(value))

    @classmethod
    def from_tables(cls, firms: pd.DataFrame, flows: pd.DataFrame) -> Core:
        """Encode validated model tables (``firms`` indexed by id). O(flows + nodes)."""
        ids = firms.index
        source = positions_of(flows["source"], ids)
        target = positions_of(flows["target"], ids)
        value = flows["value"].to_numpy(dtype=float, na_value=np.nan)
        unit_dimension = _codes_in(flows["dimension"], DIMENSIONS)
        dimension = _sized_dimension(value, unit_dimension)
        material_code, materials = encode(flows["material"])
        key_code, keys = encode(flows["material_key"])
        sector_code, sectors = encode(firms["sector"])
        return cls(
            ids=ids.to_numpy(dtype=object),
            names=firms["name"].to_numpy(dtype=object),
            role_code=_codes_in(firms["role"], ROLES),
            sector_code=sector_code,
            sectors=sectors,
            source=source,
            target=target,
            value=value,
            dimension=dimension,
            unit_dimension=unit_dimension,
            category=_codes_in(flows["category"], CATEGORIES),
            material_code=material_code,
            materials=materials,
            material_key_code=key_code,
            material_keys=keys,
        )

    def subset(self, rows: np.ndarray) -> Core:
        """The core of the same nodes and only the flows at ``rows`` (ascending
        positions), as :meth:`from_tables` would encode the tables cut to those rows:
        the materials and material keys renumbered in order of first appearance among
        the kept flows, every other code kept. No string is hashed again; nothing
        derived is carried over. O(rows + vocabulary)."""
        material_code, materials = _first_seen(self.material_code[rows], self.materials)
        key_code, keys = _first_seen(self.material_key_code[rows], self.material_keys)
        return Core(
            ids=self.ids,
            names=self.names,
            role_code=self.role_code,
            sector_code=self.sector_code,
            sectors=self.sectors,
            source=self.source[rows],
            target=self.target[rows],
            value=self.value[rows],
            dimension=self.dimension[rows],
            unit_dimension=self.unit_dimension[rows],
            category=self.category[rows],
            material_code=material_code,
            materials=materials,
            material_key_code=key_code,
            material_keys=keys,
        )

    def with_values(self, value: np.ndarray) -> Core:
        """The same flows with other values (float64, canonical units, NaN where unknown),
        as :meth:`from_tables` would encode the table with that ``value`` column: the
        dimensions of the sizes follow; nothing is encoded again, nothing derived carried
        over. O(flows)."""
        dimension = _sized_dimension(value, self.unit_dimension)
        return replace(self, value=value, dimension=dimension, _cache={}, _building={})

    def uncached(self) -> Core:
        """This core's arrays, shared, with nothing derived yet. O(1)."""
        return replace(self, _cache={}, _building={})

    # ------------------------------------------------------------------ sizes

    @property
    def n_nodes(self) -> int:
        return len(self.ids)

    @property
    def n_flows(self) -> int:
        return len(self.source)

    # ------------------------------------------------------------------ nodes

    @_shared
    def actor(self) -> np.ndarray:
        """True for the nodes inside the system (firms, mines, recyclers, ...)."""
        actor_codes = [ROLES.index(r) for r in ACTOR_ROLES]
        return np.isin(self.role_code, actor_codes)

    @_shared
    def actor_nodes(self) -> np.ndarray:
        """Node positions of the actors, in node order."""
        return np.flatnonzero(self.actor)

    @_shared
    def actor_index(self) -> np.ndarray:
        """For each node, its position among the actors (``-1`` for a boundary node)."""
        index = np.full(self.n_nodes, -1, dtype=np.int64)
        index[self.actor_nodes] = np.arange(len(self.actor_nodes))
        return index

    @_shared
    def role(self) -> np.ndarray:
        """The role of each node, as an object array."""
        return np.array(ROLES, dtype=object)[self.role_code]

    def has_role(self, nodes: np.ndarray, role: str) -> np.ndarray:
        return self.role_code[nodes] == ROLES.index(role)

    @_shared
    def rank(self) -> np.ndarray:
        """Alphabetical rank of each node id (a tie-breaker that ignores row order)."""
        rank = np.empty(self.n_nodes, dtype=np.int64)
        rank[np.argsort(self.ids.astype(str), kind="stable")] = np.arange(self.n_nodes)
        return rank

    # ------------------------------------------------------------------ flows

    @_shared
    def source_is_actor(self) -> np.ndarray:
        return self.actor[self.source]

    @_shared
    def target_is_actor(self) -> np.ndarray:
        return self.actor[self.target]

    @cached_property
    def dimensions(self) -> tuple[str, ...]:
        """The dimensions with at least one flow of known size, in the order of DIMENSIONS."""
        present = np.unique(self.dimension[self.dimension >= 0])
        return tuple(DIMENSIONS[i] for i in present)

    def in_dimension(self, dimension: str) -> np.ndarray:
        """Mask of the flows of known size in ``dimension``. O(flows), cached."""
        index = dimension_index(dimension)
        return self.cached(("in_dimension", dimension), lambda: self.dimension == index)

    # ------------------------------------------------------------------ shared sums

    def node_sums(self, dimension: str) -> NodeSums:
        """Known inflow, outflow and flow count of every node in ``dimension``. O(flows),
        cached per dimension."""

        def build() -> NodeSums:
            known = self.in_dimension(dimension)
            n = self.n_nodes
            source, target, value = self.source[known], self.target[known], self.value[known]
            return NodeSums(
                inflow=weighted_counts(target, value, n),
                outflow=weighted_counts(source, value, n),
                count=np.bincount(target, minlength=n) + np.bincount(source, minlength=n),
            )

        return self.cached(("node_sums", dimension), build)

    def throughflow(self, dimension: str, rule: str = "max") -> np.ndarray:
        """Throughflow of every node in ``dimension`` under ``rule`` (see
        :data:`THROUGHFLOW_RULES`): ``max(inflow, outflow)`` by default. O(nodes) after
        :meth:`node_sums`, cached."""
        if not isinstance(rule, str) or rule not in THROUGHFLOW_RULES:
            raise InputError(
                f"unknown throughflow rule {rule!r}; choose from {', '.join(THROUGHFLOW_RULES)}"
            )
        dimension_index(dimension)

        def build() -> np.ndarray:
            sums = self.node_sums(dimension)
            if rule == "inflow":
                return sums.inflow
            if rule == "outflow":
                return sums.outflow
            return np.maximum(sums.inflow, sums.outflow)

        return self.cached(("throughflow", dimension, rule), build)

    def matrix(self, dimension: str | None = None, *, actors_only: bool = True) -> sp.csr_matrix:
        """``F[i, j]``, the flow from node i to node j: with a ``dimension``, the sum of its
        known values (parallel flows add up); without, the binary adjacency of every flow,
        known size or not. ``actors_only`` numbers the actors (:attr:`actor_nodes`), else
        every node. O(flows) to build, cached; treat the result as read-only."""

        if dimension is not None:
            dimension_index(dimension)

        def build() -> sp.csr_matrix:
            import scipy.sparse as sp

            mask = np.ones(self.n_flows, dtype=bool)
            if actors_only:
                mask &= self.source_is_actor & self.target_is_actor
            if dimension is not None:
                mask &= self.in_dimension(dimension)
                data = self.value[mask]
            else:
                data = np.ones(int(mask.sum()))
            if actors_only:
                lookup, n = self.actor_index, len(self.actor_nodes)
            else:
                lookup, n = np.arange(self.n_nodes), self.n_nodes
            rows, cols = lookup[self.source[mask]], lookup[self.target[mask]]
            matrix = sp.coo_matrix((data, (rows, cols)), shape=(n, n)).tocsr()
            matrix.sum_duplicates()
            if dimension is None:
                matrix.data[:] = 1.0
            return matrix

        return self.cached(("matrix", dimension, actors_only), build)

    def adjacency(self, dimension: str | None = None) -> sp.csr_matrix:
        """The binary actor adjacency (actors numbered as :attr:`actor_nodes`): an arc
        wherever an actor sends an actor a flow, of any size, known or not; with a
        ``dimension``, only flows whose unit is of that dimension. O(flows), cached;
        read-only."""

        def build() -> sp.csr_matrix:
            import scipy.sparse as sp

            mask = self.source_is_actor & self.target_is_actor
            if dimension is not None:
                mask &= self.unit_dimension == dimension_index(dimension)
            rows = self.actor_index[self.source[mask]]
            cols = self.actor_index[self.target[mask]]
            n = len(self.actor_nodes)
            matrix = sp.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(n, n))
            matrix.sum_duplicates()
            matrix.data[:] = 1.0
            return matrix

        if dimension is None:
            return self.matrix(None)
        return self.cached(("adjacency", dimension), build)

    # ------------------------------------------------------------------ any other

    def cached(self, key: Hashable, build: Callable[[], T]) -> T:
        """The value stored under ``key``, built by ``build()`` on first use. For derived
        quantities that several passes read (keys are tuples naming the quantity).
        Passes on two threads build a value once: the second waits for the first (a
        lock per key while it is built; dict operations are atomic under the GIL)."""
        value = self._cache.get(key, _MISSING)
        if value is not _MISSING:
            return value
        lock = self._building.setdefault(key, threading.Lock())
        try:
            with lock:
                value = self._cache.get(key, _MISSING)
                if value is _MISSING:
                    value = self._cache[key] = read_only(build())
        finally:
            self._building.pop(key, None)  # none left once built: the core pickles
        return value
