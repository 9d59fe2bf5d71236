"""The flow model shared by every analysis: :class:`FlowNetwork`.

A network holds two tidy tables and derives everything else from them:

``firms``
    One row per node, indexed by ``id``: ``name``, ``sector``, ``role`` (canonical, see
    :mod:`symbiosis.vocabulary`), ``actor`` (True inside the system), ``lat``, ``lon``,
    ``row`` (where it came from), and any extra column of the input.
``flows``
    One row per flow: ``source``, ``target``, ``material``, ``material_key``,
    ``category``, ``quantity`` and ``unit`` as given, ``value`` (the quantity in the
    canonical unit of its ``dimension``: t, GJ or m3 per year; NaN when unknown),
    ``dimension``, ``row``, and the optional and extra columns of the input.

The derived columns (:data:`DERIVED_FIRM_COLUMNS`, :data:`DERIVED_FLOW_COLUMNS`) are the
model's own: an input column of the same name is kept under another name
(``user_value``), and loading says so in a warning.

Several flows may join the same two firms. Analyses work on integer positions and
scipy sparse matrices (:meth:`FlowNetwork.matrix`), which scale to millions of flows;
a :class:`networkx.MultiDiGraph` (:attr:`FlowNetwork.graph`) is built on demand for
drawing and interoperability. Quantities are only summed within one dimension.
"""

from __future__ import annotations

import warnings as _warnings
from collections.abc import Callable, Iterable
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ._readers import READERS
from ._views import graph_of, records
from .arguments import Arguments
from .core import Core
from .errors import SymbiosisWarning
from .summary import NetworkSummary
from .units import DIMENSIONS
from .vocabulary import ACTOR_ROLES, CATEGORIES

if TYPE_CHECKING:
    import networkx as nx
    import scipy.sparse as sp

__all__ = [
    "DERIVED_FIRM_COLUMNS",
    "DERIVED_FLOW_COLUMNS",
    "GRAPH_MARKER",
    "TABLE_MARKER",
    "YEAR_OF_SEVERAL",
    "FlowNetwork",
    "NetworkSummary",
    "require_network",
]

#: Columns of :attr:`FlowNetwork.firms` derived from the input, with what they hold.
DERIVED_FIRM_COLUMNS: dict[str, str] = {
    "actor": "True for a node inside the system, from its role",
    "row": "the row of the node in the file",
}
#: Columns of :attr:`FlowNetwork.flows` derived from the input, with what they hold.
DERIVED_FLOW_COLUMNS: dict[str, str] = {
    "material_key": "the material name normalised for matching",
    "value": "the quantity in t, GJ or m3 per year",
    "dimension": "mass, energy or volume, from the unit",
    "row": "the row of the flow in the file",
}


#: Graph attribute marking :attr:`FlowNetwork.graph`: :meth:`FlowNetwork.from_graph` then
#: drops the derived node and edge attributes (they are computed again).
GRAPH_MARKER = "symbiosis_network"
#: Graph attribute of :attr:`FlowNetwork.graph` for a year cut from a network of several:
#: :meth:`FlowNetwork.from_graph` warns that the graph does not carry the other years.
YEAR_OF_SEVERAL = "symbiosis_year_of_several"
#: Key of ``DataFrame.attrs`` marking :attr:`FlowNetwork.firms` and :attr:`FlowNetwork.flows`
#: (and the frames pandas derives from them): fed back to :func:`symbiosis.load`, their
#: derived columns are dropped and computed again, instead of kept as ``user_<name>``.
TABLE_MARKER = "symbiosis_table"
# pandas >= 3 copies on write: a shallow copy handed out is then safe to change
_COPY_ON_WRITE = int(pd.__version__.split(".", 1)[0]) >= 3
# Validation lives in symbiosis.io, which this module must not import (the layer rules):
# io registers its functions in a leaf when it is imported, as it is for every network built.
_IO = READERS


def _io(name: str) -> Callable[..., Any]:
    try:
        return _IO[name]
    except KeyError:
        raise RuntimeError(
            f"FlowNetwork.{name} needs the readers of symbiosis.io: use symbiosis.FlowNetwork, "
            "or import symbiosis.io first"
        ) from None


class FlowNetwork:
    """A validated network of firms and flows. Build it with :func:`symbiosis.load`,
    :func:`symbiosis.from_frames` or :meth:`from_graph`.

    Immutable to callers: :attr:`firms` and :attr:`flows` are copies (shallow, copied on
    write), so changing them never changes the network; derive a changed network with
    :meth:`with_flows` / :meth:`with_firms`, which validate and derive everything again.
    Picklable (with :mod:`pickle`, joblib, multiprocessing), and JSON-able with
    :meth:`to_dict` / :meth:`from_dict`.
    """

    _firms: pd.DataFrame
    _flows: pd.DataFrame
    warnings: tuple[str, ...]
    source_files: tuple[Path, ...]

    def __init__(self, *args: object, **kwargs: object) -> None:
        """Not a way to build a network: the tables would be taken unchecked (raw frames
        lack the derived columns, and failed later with a KeyError). A TypeError says
        what to call instead."""
        raise TypeError(
            "FlowNetwork(...) is not built directly; symbiosis.load(firms, flows) (also "
            "symbiosis.from_frames(firms, flows), FlowNetwork.from_graph(graph)) checks the "
            "tables and builds one"
        )

    @classmethod
    def _wrap(
        cls,
        firms: pd.DataFrame,
        flows: pd.DataFrame,
        warnings: tuple[str, ...] = (),
        source_files: tuple[Path, ...] = (),
    ) -> FlowNetwork:
        """Tables in model form, wrapped (internal: they are taken as validated). O(1)."""
        network = cls.__new__(cls)
        for name, value in (
            ("_firms", firms),
            ("_flows", flows),
            ("warnings", tuple(warnings)),
            ("source_files", tuple(source_files)),
        ):
            object.__setattr__(network, name, value)
        return network

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"FlowNetwork is immutable: cannot set {name!r}; use with_flows")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"FlowNetwork is immutable: cannot delete {name!r}")

    def __repr__(self) -> str:
        origin = ", ".join(str(path) for path in self.source_files) or "in memory"
        return (
            f"<FlowNetwork: {self.n_firms} firms ({len(self.actors)} inside), "
            f"{self.n_flows} flows, {', '.join(self.dimensions) or 'no quantities'}; {origin}>"
        )

    def __reduce__(self) -> tuple[Callable[..., FlowNetwork], tuple[dict[str, Any]]]:
        """Pickled as its tables (and the core, if built); restored through io's hook
        when io built it, so that the restored network can validate again."""
        state = {k: v for k, v in self.__dict__.items() if k in _PICKLED}
        return _IO.get("restore", _restore), (state,)

    @property
    def firms(self) -> pd.DataFrame:
        """One row per node, indexed by ``id`` (see the module docstring); a copy that the
        caller may change. O(columns) with pandas' copy-on-write, O(cells) without."""
        return _marked(self._firms, "firms")

    @property
    def flows(self) -> pd.DataFrame:
        """One row per flow (see the module docstring); a copy that the caller may
        change. O(columns) with pandas' copy-on-write, O(cells) without."""
        return _marked(self._flows, "flows")

    # ------------------------------------------------------------------ construction

    @classmethod
    def from_validated(
        cls,
        firms: pd.DataFrame,
        flows: pd.DataFrame,
        *,
        warnings: tuple[str, ...] = (),
        source_files: tuple[Path, ...] = (),
        core: Core | None = None,
    ) -> FlowNetwork:
        """Wrap tables that :mod:`symbiosis.io` has validated (internal). ``core``, when
        the reader has already encoded the columns, saves building it again. O(rows)."""
        firms = firms.set_index("id", drop=True)
        firms.index.name = "id"
        firms.insert(firms.columns.get_loc("role") + 1, "actor", firms["role"].isin(ACTOR_ROLES))
        flows = flows.reset_index(drop=True)
        network = cls._wrap(firms, flows, warnings, source_files)
        if core is not None:
            network.__dict__["core"] = core  # the cached_property's slot
        return network

    @classmethod
    def from_graph(cls, graph: nx.Graph) -> FlowNetwork:
        """A network from a directed networkx graph (``DiGraph`` or ``MultiDiGraph``):
        nodes with their attributes are the firms (the node is the ``id``), edges with
        their attributes the flows (``material``, ``quantity``, ``unit``, ``category``
        ...). The rules of :func:`symbiosis.load` apply; problems are located by node id
        and ``source->target``. What is not a directed graph with edges is an
        :class:`~symbiosis.errors.InputError` saying so. :attr:`graph` round-trips.
        O(nodes + edges)."""
        return _issued(_io("from_graph")(graph))

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> FlowNetwork:
        """The network that :meth:`to_dict` wrote, validated again: an
        :class:`~symbiosis.errors.InputError` lists its problems, and says so when the data
        holds no flows (a network whose every flow edits removed is not read back). A year
        saved before ``to_dict`` wrote its ``history`` is read with a warning that its
        report has no trends. O(rows)."""
        return _issued(_io("from_dict")(data))

    def to_dict(self) -> dict[str, Any]:
        """The network as JSON-able data: both tables as lists of records (every column,
        ``id`` first for firms), the warnings and the source files; for a year cut from a
        network of several, also ``history``: that network's ``flows`` and ``warnings``
        (its firms are the year's), which :meth:`from_dict` reads back. O(cells)."""
        data: dict[str, Any] = {
            "firms": records(self._firms.reset_index()),
            "flows": records(self._flows),
            "warnings": list(self.warnings),
            "source_files": [str(path) for path in self.source_files],
        }
        history = self.history
        if history is not self:  # its report shows the trends of every year
            data["history"] = {"flows": records(history._flows), "warnings": [*history.warnings]}
        return data

    def with_flows(self, flows: Any) -> FlowNetwork:
        """A new network with this network's firms and the given flow table (any table
        :func:`symbiosis.load` takes; the model's own :attr:`flows`, filtered or edited,
        included), validated and derived again: no stale ``value``. O(rows)."""
        return self._validated(_marked(self._firms, "firms"), flows)

    def with_firms(self, firms: Any) -> FlowNetwork:
        """A new network with the given firm table and this network's flows, validated
        and derived again (see :meth:`with_flows`). O(rows)."""
        return self._validated(firms, _marked(self._flows, "flows"))

    def _validated(self, firms: Any, flows: Any) -> FlowNetwork:
        return _issued(_io("from_frames")(firms, flows), stacklevel=4)

    def with_tables(
        self,
        firms: pd.DataFrame | None = None,
        flows: pd.DataFrame | None = None,
        *,
        core: Core | None = None,
    ) -> FlowNetwork:
        """A new network with the given tables replaced, taken as already in model form
        and valid (internal: the passes use it on tables they derived; callers use
        :meth:`with_flows` / :meth:`with_firms`, which validate). ``core``, when given, is
        the new tables' core, already built. O(1)."""
        network = FlowNetwork._wrap(
            self._firms if firms is None else firms,
            self._flows if flows is None else flows.reset_index(drop=True),
            self.warnings,
            self.source_files,
        )
        if core is not None:
            network.__dict__["core"] = core  # the cached_property's slot
        return network

    def with_rows(self, rows: np.ndarray) -> FlowNetwork:
        """A new network with the same firms and only the flows at ``rows`` (ascending
        positions), in model form (internal, like :meth:`with_tables`). Its core is cut
        from this network's (:meth:`Core.subset`), not encoded again from the strings;
        nothing derived is shared, so what is computed on the new network is let go with
        it. O(rows) once this network's core is built."""
        return self.with_tables(flows=self._flows.iloc[rows], core=self.core.subset(rows))

    def with_warnings(
        self, warnings: tuple[str, ...], *, history: FlowNetwork | None = None
    ) -> FlowNetwork:
        """The same network (its tables and core, shared; nothing derived yet) with these
        data warnings instead of its own (internal: a year cut from a network of several
        says which year it is, not that the years are added up), and, given ``history``,
        that network as its :attr:`history`. O(1)."""
        network = FlowNetwork._wrap(self._firms, self._flows, warnings, self.source_files)
        network.__dict__["core"] = self.core  # the cached_property's slot
        if history is not None:
            network.__dict__["_history"] = history
        return network

    @property
    def history(self) -> FlowNetwork:
        """The network of every year that this one was cut from
        (:func:`symbiosis.select_year`), whose trends the report of this year shows;
        the network itself when it was not cut from one. O(1)."""
        history: FlowNetwork = self.__dict__.get("_history", self)
        return history

    def uncached(self) -> FlowNetwork:
        """The same network (its tables and its core's arrays, shared) with nothing derived
        yet, so that what is computed on it is let go with it (internal: a pass that runs
        others on a network it was given, and should not leave their caches on it). O(1)
        once this network's core is built. A year cut keeps its :attr:`history`: it is
        what the network is, not derived (a report page says which year it shows)."""
        network = self.with_tables(core=self.core.uncached())
        if self.history is not self:
            network.__dict__["_history"] = self.history
        return network

    # ------------------------------------------------------------------ nodes

    @cached_property
    def actors(self) -> pd.Index:
        """Ids of the nodes inside the system (firms, mines, recyclers, ...)."""
        return self._firms.index[self._firms["actor"].to_numpy()]

    @cached_property
    def boundary(self) -> pd.Index:
        """Ids of the boundary nodes (market, disposal, environment)."""
        return self._firms.index[~self._firms["actor"].to_numpy()]

    @property
    def n_firms(self) -> int:
        return len(self._firms)

    @property
    def n_flows(self) -> int:
        return len(self._flows)

    @cached_property
    def dimensions(self) -> tuple[str, ...]:
        """The dimensions that have at least one flow, in the order mass, energy, volume.
        O(flows): the core's codes of the units' dimensions, counted."""
        codes = self.core.unit_dimension
        present = np.bincount(codes[codes >= 0], minlength=len(DIMENSIONS))
        return tuple(d for d, count in zip(DIMENSIONS, present, strict=False) if count)

    @cached_property
    def summed_years(self) -> int:
        """How many years of flows each sum of this network adds up: the distinct years of
        the flows' ``year`` column, 1 for flows of one year or none (their sums are per
        year, as the flows are). Above 1 for flows of several years analysed together
        (``select_year(network, "all")``, ``--year all``): every quantity is then a total
        over them, and its unit says so (``t over 3 years``:
        :func:`~symbiosis.units.yearly_unit`). O(F) once."""
        if "year" not in self._flows.columns:
            return 1
        return max(1, int(self._flows["year"].nunique()))

    @property
    def sized_dimensions(self) -> tuple[str, ...]:
        """The :attr:`dimensions` with at least one flow of known size (the core's
        :attr:`~symbiosis.core.Core.dimensions`): a park mapped without tonnages has none,
        and its sums are 0 for want of sizes. O(flows) once, cached on the core."""
        return self.core.dimensions

    # ------------------------------------------------------------------ the core

    @cached_property
    def core(self) -> Core:
        """The network as dictionary-encoded arrays, with the derived quantities that
        several passes share (node sums, throughflow, matrices), each computed once. Built
        on first use: O(flows + nodes)."""
        return Core.from_tables(self._firms, self._flows)

    @property
    def source_positions(self) -> np.ndarray:
        """Position in :attr:`firms` of each flow's source. O(flows), cached."""
        return self.core.source

    @property
    def target_positions(self) -> np.ndarray:
        """Position in :attr:`firms` of each flow's target. O(flows), cached."""
        return self.core.target

    @property
    def source_is_actor(self) -> np.ndarray:
        return self.core.source_is_actor

    @property
    def target_is_actor(self) -> np.ndarray:
        return self.core.target_is_actor

    def throughflow(self, dimension: str, rule: str = "max") -> np.ndarray:
        """Throughflow of every node (firms table order) in ``dimension``:
        ``max(inflow, outflow)`` by default (see :data:`~symbiosis.core.THROUGHFLOW_RULES`).
        O(flows) once, cached."""
        return self.core.throughflow(dimension, rule)

    # ------------------------------------------------------------------ flow queries

    def flows_in(
        self,
        dimension: str | None = None,
        *,
        categories: Iterable[str] | None = None,
        known: bool = False,
    ) -> pd.DataFrame:
        """Flows of one dimension (all when ``None``), optionally of some categories (a
        list, or one as a string) and only those with a known quantity. An unknown
        dimension or category is an :class:`~symbiosis.errors.InputError`."""
        check = Arguments()
        check.choice("dimension", dimension, DIMENSIONS, none=True)
        wanted = check.names("categories", categories, CATEGORIES)
        check.check()
        mask: np.ndarray = np.ones(len(self._flows), dtype=np.bool_)
        if dimension is not None:
            mask = mask & (self._flows["dimension"] == dimension).to_numpy()
        if wanted is not None:
            mask = mask & self._flows["category"].isin(list(wanted)).to_numpy()
        if known:
            mask = mask & self._flows["value"].notna().to_numpy()
        return self._flows[mask]

    def inflow(self, dimension: str) -> pd.Series:
        """Total known inflow of each node in ``dimension`` (canonical unit). O(flows)."""
        return pd.Series(self.core.node_sums(dimension).inflow, index=self._firms.index)

    def outflow(self, dimension: str) -> pd.Series:
        """Total known outflow of each node in ``dimension`` (canonical unit). O(flows)."""
        return pd.Series(self.core.node_sums(dimension).outflow, index=self._firms.index)

    def matrix(
        self, dimension: str | None = None, *, actors_only: bool = True
    ) -> tuple[sp.csr_matrix, pd.Index]:
        """The flow matrix ``F[i, j]`` = flow from node i to node j, and its node ids.

        With a ``dimension``: the sum of known values of that dimension (parallel flows
        of different materials add up). Without: the binary adjacency of all flows,
        known size or not, every dimension (the structure). ``actors_only`` keeps the
        nodes inside the system. O(flows) to build (duplicates summed by scipy); built
        once per network and returned as a copy that the caller may change.
        """
        matrix = self.core.matrix(dimension, actors_only=actors_only)
        return matrix.copy(), self.actors if actors_only else self._firms.index

    # ------------------------------------------------------------------ views

    @property
    def graph(self) -> nx.MultiDiGraph:
        """The network as a :class:`networkx.MultiDiGraph`, one edge per flow (key =
        flow row index), node and edge attributes from the tables: a new graph at each
        access, the caller's to change (one cached graph, changed by a caller, changed
        every later ``net.graph``). O(firms + flows) time and ~0.7 KB per flow, not kept
        by the network: meant for drawing and interop, so keep it in a variable. A year
        cut from a network of several is marked :data:`YEAR_OF_SEVERAL` (the graph does
        not carry its :attr:`history`)."""
        graph = graph_of(self._firms, self._flows, GRAPH_MARKER)
        if self.history is not self:  # which from_graph says it does not carry
            graph.graph[YEAR_OF_SEVERAL] = True
        return graph

    def summary(self) -> NetworkSummary:
        """Counts and totals: firms by role, flows by category and dimension. O(flows)."""
        return NetworkSummary.of(self)


def _issued(network: FlowNetwork, stacklevel: int = 3) -> FlowNetwork:
    """``network``, each of its data warnings issued as a :class:`SymbiosisWarning` at
    the caller of the public method that built it (``stacklevel``), as
    :func:`symbiosis.load` does: every way to build a network warns alike. O(warnings)."""
    for text in network.warnings:
        _warnings.warn(text, SymbiosisWarning, stacklevel=stacklevel)
    return network


def _marked(table: pd.DataFrame, kind: str) -> pd.DataFrame:
    """A copy of a model table for callers, marked as the model's own. O(columns) with
    copy-on-write."""
    copy = table.copy(deep=not _COPY_ON_WRITE)
    copy.attrs[TABLE_MARKER] = kind
    return copy


_PICKLED = ("_firms", "_flows", "warnings", "source_files", "core", "_history")


def _restore(state: dict[str, Any]) -> FlowNetwork:
    """A network from its pickled state (:meth:`FlowNetwork.__reduce__`)."""
    network = FlowNetwork.__new__(FlowNetwork)
    network.__dict__.update(state)
    return network


def require_network(value: object, what: str = "network") -> FlowNetwork:
    """``value`` when it is a :class:`FlowNetwork`, else a TypeError that says how to
    make one (a public function's first check: a path or a frame given instead went on
    to fail deep inside with an AttributeError). O(1)."""
    if isinstance(value, FlowNetwork):
        return value
    how = (
        f"load it first: symbiosis.load({str(value)!r})"
        if isinstance(value, str | Path)
        else "make one with symbiosis.load(...) or symbiosis.from_frames(firms, flows)"
    )
    raise TypeError(f"{what} must be a FlowNetwork, not {type(value).__name__}; {how}")
