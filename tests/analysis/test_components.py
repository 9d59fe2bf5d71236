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


@settings(max_examples=200, deadline=None)
@given(graph_and_subgraph())
def test_the_joined_large_blocks_are_their_block_diagonal(graphs):
    whole, _ = graphs
    groups = strong_components(whole).cyclic()
    blocks = _split_blocks(whole, groups, batch_limit=1)
    if not blocks.large:
        assert blocks.joined is None
        return
    expected = sp.block_diag([block for _, block in blocks.large], format="csr")
    joined = blocks.joined
    assert np.array_equal(joined.indptr, expected.indptr)
    assert np.array_equal(joined.indices, expected.indices)
    assert np.array_equal(joined.data, expected.data)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.integers(2, 12), min_size=1, max_size=8), st.integers(0, 2**32 - 1))
def test_power_iteration_drops_finished_blocks_without_changing_any_radius(sizes, seed):
    """Rings with random chords and weights converge at different steps; dropping the
    finished ones from the product gives each block the radius of the whole iteration."""
    from symbiosis.analysis import _spectral

    rng = np.random.default_rng(seed)
    blocks = []
    for size in sizes:
        ring = np.arange(size)
        rows = np.concatenate([ring, rng.integers(0, size, size)])
        cols = np.concatenate([np.roll(ring, -1), rng.integers(0, size, size)])
        block = sp.csr_matrix((rng.random(len(rows)) + 0.01, (rows, cols)), shape=(size, size))
        blocks.append(block)
    joined = sp.block_diag(blocks, format="csr")
    found = _spectral._power_bounds(joined, np.array(sizes))
    whole = _power_bounds_without_dropping(joined, np.array(sizes))
    np.testing.assert_array_equal(found, whole)


def _power_bounds_without_dropping(diagonal, sizes):
    """The power iteration of :func:`_spectral._power_bounds` before it dropped blocks."""
    from symbiosis.analysis._spectral import CHECK_EVERY, MAX_STEPS, RADIUS_TOLERANCE

    starts = np.cumsum(sizes) - sizes
    block_of = np.repeat(np.arange(len(sizes)), sizes)
    vector = np.ones(diagonal.shape[0])
    radii = np.full(len(starts), np.nan)
    open_blocks = np.ones(len(starts), dtype=bool)
    for step in range(1, MAX_STEPS + 1):
        product = diagonal @ vector
        if step % CHECK_EVERY == 0:
            ratios = product / vector
            lower = np.minimum.reduceat(ratios, starts)
            upper = np.maximum.reduceat(ratios, starts)
            done = open_blocks & (upper - lower <= RADIUS_TOLERANCE * upper)
            radii[done] = 0.5 * (lower[done] + upper[done])
            open_blocks &= ~done
            if not open_blocks.any():
                break
        vector = vector + product
        vector /= np.maximum.reduceat(vector, starts)[block_of]
    return radii


@settings(max_examples=200, deadline=None)
@given(graph_and_subgraph(), st.integers(0, 2**32 - 1))
def test_a_dense_block_diagonal_is_that_of_the_sparse_system(graphs, seed):
    """Blocks up to the dense limit are inverted from I - g formed densely; the figures are
    those of the sparse I - g made dense, and the closed test reads the same row sums."""
    from symbiosis.analysis import _linalg

    whole, _ = graphs
    rng = np.random.default_rng(seed)
    g = whole.copy()
    g.data = rng.random(g.nnz) / max(1, whole.shape[0]) * rng.choice([1.0, 3.0])
    size = g.shape[0]
    found = _linalg._block_diagonal(g)
    if np.all(np.asarray(g.sum(axis=1)).ravel() >= 1.0 - _linalg.CLOSED_TOLERANCE):
        assert found == _linalg._NO_EXIT
        return
    expected = _linalg._dense_diagonal((sp.identity(size, format="csc") - g).tocsc().toarray())
    if isinstance(expected, tuple):
        assert found == expected
    else:
        np.testing.assert_array_equal(found, expected)
