"""Strongly connected components searched among the cyclic nodes of a larger graph
(``strong_components(matrix, within)``) are those of the whole search, and the blocks cut
from the members' rows are those cut from the whole matrix."""

import numpy as np
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from symbiosis.analysis._linalg import _split_blocks, strong_components


@st.composite
def graph_and_subgraph(draw):
    """A random directed graph (self-loops allowed) and a random part of its arcs."""
    n = draw(st.integers(1, 25))
    arcs = draw(st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)), max_size=60))
    kept = draw(st.lists(st.booleans(), min_size=len(arcs), max_size=len(arcs)))
    rows = np.array([a for a, _ in arcs], dtype=np.int64)
    cols = np.array([b for _, b in arcs], dtype=np.int64)
    weights = np.arange(1, len(arcs) + 1, dtype=float)
    whole = sp.csr_matrix((weights, (rows, cols)), shape=(n, n))
    pick = np.array(kept, dtype=bool)
    part = sp.csr_matrix((weights[pick], (rows[pick], cols[pick])), shape=(n, n))
    return whole, part


def partition(components):
    """The components as a set of frozensets, labels forgotten."""
    groups: dict[int, set[int]] = {}
    for node, label in enumerate(components.labels.tolist()):
        groups.setdefault(label, set()).add(node)
    return {frozenset(g) for g in groups.values()}


def cyclic_nodes(matrix):
    groups = strong_components(matrix).cyclic()
    return np.sort(np.concatenate(groups)) if groups else np.zeros(0, dtype=np.int64)


@settings(max_examples=300, deadline=None)
@given(graph_and_subgraph())
def test_search_within_the_cyclic_nodes_of_a_larger_graph(graphs):
    whole, part = graphs
    plain = strong_components(part)
    within = strong_components(part, cyclic_nodes(whole))
    assert partition(within) == partition(plain)
    assert within.count == plain.count
    assert np.array_equal(np.sort(within.sizes), np.sort(plain.sizes))
    assert np.array_equal(within.self_loops, plain.self_loops)
    assert [g.tolist() for g in within.cyclic()] == [g.tolist() for g in plain.cyclic()]


@settings(max_examples=300, deadline=None)
@given(graph_and_subgraph())
def test_blocks_cut_from_members_rows_match_the_dense_blocks(graphs):
    whole, _ = graphs
    groups = strong_components(whole).cyclic()
    blocks = _split_blocks(whole, groups)
    dense = whole.toarray()
    for ids, stack in blocks.stacks.values():
        for slot, group in enumerate(ids.tolist()):
            members = groups[group]
            assert np.array_equal(stack[slot], dense[np.ix_(members, members)])
    for group, block in blocks.large:
        members = groups[group]
        assert np.array_equal(block.toarray(), dense[np.ix_(members, members)])


def test_a_node_outside_within_is_its_own_component():
    # 0 <-> 1 is a loop; 2 -> 0 is not: searched within {0, 1}, node 2 stands alone
    matrix = sp.csr_matrix(np.array([[0, 1, 0], [1, 0, 0], [1, 0, 0]], dtype=float))
    found = strong_components(matrix, np.array([0, 1]))
    assert found.count == 2
    assert found.labels[0] == found.labels[1] != found.labels[2]
    assert [g.tolist() for g in found.cyclic()] == [[0, 1]]


def test_a_block_above_the_batch_limit_is_cut_whole():
    # a ring of 80 nodes with chords, fed by a chain of 20 nodes that are in no loop
    ring = np.arange(20, 100)
    chords = ring[::7]
    rows = np.concatenate([ring, chords, np.arange(19), [19]])
    cols = np.concatenate([np.roll(ring, -1), np.roll(chords, 2), np.arange(1, 20), [20]])
    weights = np.arange(1.0, len(rows) + 1)
    matrix = sp.csr_matrix((weights, (rows, cols)), shape=(100, 100))
    groups = strong_components(matrix).cyclic()
    assert [len(g) for g in groups] == [80]
    ((_, block),) = _split_blocks(matrix, groups).large
    assert np.array_equal(block.toarray(), matrix.toarray()[np.ix_(ring, ring)])
