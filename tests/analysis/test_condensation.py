"""The shared condensation solver on systems that use only some arcs of the graph, so that
its loop blocks fall apart into smaller loops and single nodes (the pieces of
:class:`~symbiosis.analysis._condensation._Pieces`), on a subset of its nodes, with one
right-hand side or several."""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
import scipy.sparse.linalg as spla
from hypothesis import given, settings
from hypothesis import strategies as st

from symbiosis.analysis._condensation import condensation

from .reuse_networks import build, random_frames


@st.composite
def systems(draw):
    n = draw(st.integers(1, 25))
    pairs = st.tuples(st.integers(0, n - 1), st.integers(0, n - 1))
    arcs = draw(st.lists(pairs, max_size=4 * n, unique=True))
    used = draw(st.lists(st.booleans(), min_size=len(arcs), max_size=len(arcs)))
    subset = draw(st.lists(st.booleans(), min_size=n, max_size=n))
    columns = draw(st.sampled_from([None, 1, 3]))
    seed = draw(st.integers(0, 2**32 - 1))
    return n, arcs, used, subset, columns, seed


@settings(max_examples=200, deadline=None)
@given(systems())
def test_solve_matches_a_direct_solve_when_blocks_fall_apart(system):
    n, arcs, used, subset, columns, seed = system
    rng = np.random.default_rng(seed)
    source = np.array([a for a, _ in arcs], dtype=np.int64)
    target = np.array([b for _, b in arcs], dtype=np.int64)
    graph = sp.csr_matrix((np.ones(len(arcs)), (source, target)), shape=(n, n))
    found = condensation(graph)
    nodes = np.flatnonzero(subset)
    local = np.full(n, -1, dtype=np.int64)
    local[nodes] = np.arange(len(nodes))
    # the system's arcs: some of the graph's, among the chosen nodes only
    pick = np.array(used, dtype=bool) & (local[source] >= 0) & (local[target] >= 0)
    weight = rng.random(int(pick.sum()))
    out = np.bincount(local[source[pick]], weight, minlength=len(nodes)) * 1.5 + 0.1
    size = len(nodes)
    received = sp.coo_matrix(
        (
            weight / out[local[source[pick]]],
            (local[target[pick]], local[source[pick]]),
        ),
        shape=(size, size),
    )
    shape = (size,) if columns is None else (size, columns)
    rhs = rng.random(shape)
    got = found.solve(received, rhs, nodes=nodes)
    assert got.shape == shape
    if size == 0:
        return
    expected = spla.spsolve((sp.identity(size) - received.tocsr()).tocsc(), rhs)
    np.testing.assert_allclose(got, np.reshape(expected, shape), rtol=1e-10, atol=1e-12)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.integers(0, 70_000), max_size=60),
    st.sampled_from([3, 65_535, 70_000]),
    st.integers(0, 2**32 - 1),
)
def test_deepest_first_is_the_stable_sort_by_descending_stage(stages, cap, seed):
    from symbiosis.analysis.structure import _deepest_first

    stage = np.minimum(np.array(stages, dtype=np.int64), cap)
    order = np.random.default_rng(seed).permutation(len(stage))
    expected = order[np.argsort(-stage[order], kind="stable")]
    np.testing.assert_array_equal(_deepest_first(order, stage), expected)


@settings(max_examples=40, deadline=None)
@given(random_frames())
def test_the_shared_components_give_the_structure_found_alone(frames):
    """The cycling structure of all flows reads the components the condensation found
    (network_components); the figures are those of a search of its own."""
    from symbiosis.analysis.cycling import network_structure
    from symbiosis.analysis.ena_flow import structure_statistics

    net = build(frames)
    shared = network_structure(net)
    alone = structure_statistics(net.core.adjacency(None))
    assert shared.to_dict() == alone.to_dict()
    assert [g.tolist() for g in shared.components] == [g.tolist() for g in alone.components]
    np.testing.assert_array_equal(shared.component_cyclicity, alone.component_cyclicity)
