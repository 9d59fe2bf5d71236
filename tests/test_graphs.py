"""symbiosis.io.graphs: attributes of a networkx graph named as what the graph gives."""

from __future__ import annotations

import networkx as nx
import pandas as pd
import pytest

from symbiosis import FlowNetwork, load
from symbiosis.errors import InputError, SymbiosisWarning


def _graph(node_id: str, source: str, target: str) -> nx.DiGraph:
    graph = nx.DiGraph()
    graph.add_node("A", role="firm", id=node_id)
    graph.add_node("B", role="firm")
    flow = {"material": "x", "quantity": 1, "unit": "t", "category": "waste"}
    graph.add_edge("A", "B", **flow, source=source, target=target)
    graph.add_edge("B", "A", **flow)
    return graph


def test_attributes_saying_something_else_are_kept_as_user_columns_with_a_warning():
    """Measured: a node attribute id and edge attributes source and target vanished without
    a word, while row, value and actor were kept as user_* with a warning."""
    with pytest.warns(SymbiosisWarning) as caught:
        network = load(_graph("ZZZ", "Q", "R"))
    said = [str(w.message) for w in caught]
    assert "graph nodes: attribute 'id' is kept as 'user_id': the node is the firm's id" in said
    assert any("attribute 'source' is kept as 'user_source'" in s for s in said)
    assert network.firms["user_id"].tolist() == ["ZZZ", ""]
    assert network.flows[["user_source", "user_target"]].iloc[0].tolist() == ["Q", "R"]
    assert network.firms.index.tolist() == ["A", "B"]  # the graph's own ids win


def test_attributes_repeating_the_graph_are_dropped_quietly():
    with_repeats = FlowNetwork.from_graph(_graph("A", "A", "B"))
    assert not [c for c in with_repeats.flows.columns if c.startswith("user_")]
    assert not [c for c in with_repeats.firms.columns if c.startswith("user_")]
    assert not with_repeats.warnings


@pytest.mark.parametrize("given", ["x", None, pd.DataFrame(), 3])
def test_what_is_not_a_graph_is_named(given):
    """A tester's AttributeError ('str' object has no attribute 'is_directed')."""
    name = type(given).__name__
    with pytest.raises(InputError, match=f"^graph: a {name} is not a graph; give a networkx Di"):
        FlowNetwork.from_graph(given)


def test_a_graph_without_edges_says_so():
    """A tester's empty graph was told "graph nodes:1: id: required column is missing"."""
    with pytest.raises(InputError, match=r"^graph: has no edges \(flows\) and no nodes \(firms\)"):
        load(nx.DiGraph())
    lonely = nx.MultiDiGraph()
    lonely.add_node("A", role="firm")
    with pytest.raises(InputError, match=r"^graph: has no edges \(flows\);.*add one edge per"):
        FlowNetwork.from_graph(lonely)
