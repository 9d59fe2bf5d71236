"""Where a network's tables come from: a directed networkx graph, made the two
:class:`~symbiosis.io.reading.Table` s of text cells that CSV files give (through
:func:`~symbiosis.io.sources.frame_table`), rows labelled by node id and
``source->target`` (with the edge key on a multigraph).

Complexity: O(nodes + edges), one record per node and per edge.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import pandas as pd

from ..errors import InputError, Problem
from ..model import DERIVED_FIRM_COLUMNS, DERIVED_FLOW_COLUMNS, GRAPH_MARKER
from .reading import Table
from .sources import frame_table, is_graph

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["graph_tables"]


def graph_tables(graph: nx.Graph, notes: list[str] | None = None) -> tuple[Table, Table]:
    """The firms (one row per node: ``id`` and its attributes) and flows (one row per
    edge: ``source``, ``target`` and its attributes) of a directed networkx graph. On the
    graph of a :class:`~symbiosis.model.FlowNetwork` the derived attributes are dropped.
    An attribute named as what the graph gives (a node's ``id``, an edge's ``source`` or
    ``target``) that says something else is kept as ``user_<name>``, with a warning in
    ``notes``, as a column named like a derived one is. O(nodes + edges)."""
    notes = [] if notes is None else notes
    _check_graph(graph)
    own = bool(graph.graph.get(GRAPH_MARKER, False))
    nodes = pd.DataFrame.from_records(
        [{**_attributes(attrs), "id": node} for node, attrs in graph.nodes(data=True)],
        index=pd.Index([str(node) for node in graph.nodes], dtype=object),
    )
    nodes = _given_attributes(nodes, "graph nodes", notes)
    multi = graph.is_multigraph()
    edges = list(graph.edges(keys=True, data=True) if multi else graph.edges(data=True))
    if own and multi:  # the network's own graph: its keys are the flows' positions
        edges.sort(key=lambda edge: edge[2])
    labels = [f"{e[0]}->{e[1]}" + (f" (key {e[2]})" if multi else "") for e in edges]
    records = [{"source": e[0], "target": e[1], **_attributes(e[-1])} for e in edges]
    flows = pd.DataFrame.from_records(records, index=pd.Index(labels, dtype=object))
    flows = _given_attributes(flows, "graph edges", notes)
    if not len(edges):
        flows = pd.DataFrame(columns=["source", "target"])
    return (
        frame_table("graph nodes", nodes, DERIVED_FIRM_COLUMNS, own=own),
        frame_table("graph edges", flows, DERIVED_FLOW_COLUMNS, own=own),
    )


def _check_graph(graph: Any) -> None:
    """An :class:`InputError` for what is not a directed graph with edges: another object
    (a path, ``None``, a frame: ``load`` takes those, ``from_graph`` does not), an
    undirected graph, a graph without edges (its firms' columns would be named missing,
    which misleads). O(1)."""
    if not is_graph(graph):
        what = f"a {type(graph).__name__} is not a graph"
    elif not graph.is_directed():
        what = "is undirected, but a flow goes from a source to a target"
    elif not graph.number_of_edges():
        nodes = "" if graph.number_of_nodes() else " and no nodes (firms)"
        what = f"has no edges (flows){nodes}; a network is read from at least one flow"
    else:
        return
    hint = _GRAPH_HINT if is_graph(graph) and graph.is_directed() else _DIRECTED_HINT
    raise InputError(Problem("graph", None, None, what, hint))


_DIRECTED_HINT = "give a networkx DiGraph or MultiDiGraph"
_GRAPH_HINT = (
    "add one edge per flow: graph.add_edge(source, target, material=..., quantity=..., "
    "unit=..., category=...)"
)
_GIVEN = ("id", "source", "target")  # what the graph itself gives a node or an edge
_SHADOW = "\0attribute "  # the prefix of an attribute named as one of these, for a moment


def _attributes(attrs: Mapping[str, Any]) -> dict[str, Any]:
    """A node's or edge's attributes, one named as what the graph gives under a shadow
    name (:func:`_given_attributes` decides what becomes of it)."""
    return {(_SHADOW + k if k in _GIVEN else k): v for k, v in attrs.items()}


def _given_attributes(frame: pd.DataFrame, where: str, notes: list[str]) -> pd.DataFrame:
    """``frame`` without the shadow columns of :func:`_attributes` that repeat what the
    graph gives (as text, or missing), e.g. an ``id`` attribute equal to its node; one that
    says something else is kept as ``user_<name>`` with a warning: never dropped silently,
    never taken for the graph's. O(rows) per such column."""
    for column in [c for c in frame.columns if str(c).startswith(_SHADOW)]:
        name = column[len(_SHADOW) :]
        given = frame[name].map(str)
        values = frame[column]
        if (values.isna() | (values.map(str) == given)).all():
            frame = frame.drop(columns=column)
            continue
        new, number = f"user_{name}", 2
        while new in frame.columns:
            new, number = f"user_{name}_{number}", number + 1
        frame = frame.rename(columns={column: new})
        what = "the node is the firm's id" if name == "id" else f"the edge gives the {name}"
        notes.append(f"{where}: attribute '{name}' is kept as '{new}': {what}")
    return frame
