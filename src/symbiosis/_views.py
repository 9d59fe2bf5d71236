"""A network's tables as builtin Python values and as a networkx graph: what
:meth:`~symbiosis.model.FlowNetwork.to_dict` and :attr:`~symbiosis.model.FlowNetwork.graph`
hand out (a leaf: no project imports)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["graph_of", "plain", "records"]


def plain(value: object) -> object:
    """A builtin Python value (JSON and pyvis reject numpy scalars); NaN becomes None."""
    if value is None or value is pd.NA:
        return None
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and np.isnan(value):
        return None
    return value


def records(table: pd.DataFrame) -> list[dict[str, object]]:
    """The rows of ``table`` as dicts of builtin values, every column. O(cells)."""
    return [{k: plain(v) for k, v in record.items()} for record in table.to_dict("records")]


def graph_of(firms: pd.DataFrame, flows: pd.DataFrame, marker: str) -> nx.MultiDiGraph:
    """A new graph of the tables: one node per firm (its id, its columns as attributes),
    one edge per flow keyed by its position, every column as an attribute, and the graph
    attribute ``marker`` set. O(firms + flows)."""
    import networkx as nx  # only drawing and interop need it: not loaded at start-up

    graph = nx.MultiDiGraph(**{marker: True})
    for node, attrs in zip(firms.index, firms.to_dict("records"), strict=True):
        graph.add_node(node, **{k: plain(v) for k, v in attrs.items()})
    # every column, so that FlowNetwork.from_graph(network.graph) is the same network
    columns = [c for c in flows.columns if c not in ("source", "target")]
    for key, source, target, *values in flows[["source", "target", *columns]].itertuples():
        graph.add_edge(
            source, target, key=key, **{c: plain(v) for c, v in zip(columns, values, strict=True)}
        )
    return graph
