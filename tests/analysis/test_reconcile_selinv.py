"""Selected inversion of reconciliation's ``S``: every entry on the pattern equals the
dense inverse's, for short patterns and long ones, levels in one batch or many."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from symbiosis.analysis import reconcile_selinv
from symbiosis.analysis.reconcile_selinv import factorise, selected_inverse


def grounded_laplacian(n: int, edges: list[tuple[int, int]], weights, ground) -> sp.csc_matrix:
    """``B V B^T`` of a graph whose ``ground`` nodes also join the environment: the form
    of reconciliation's ``S`` (positive definite when every part reaches the ground)."""
    rows, cols, data = [], [], []
    for (a, b), w in zip(edges, weights, strict=True):
        rows += [a, b, a, b]
        cols += [a, b, b, a]
        data += [w, w, -w, -w]
    for node, w in ground:
        rows.append(node)
        cols.append(node)
        data.append(w)
    return sp.csc_matrix((data, (rows, cols)), shape=(n, n))


def check(matrix: sp.csc_matrix) -> None:
    selected = selected_inverse(factorise(matrix))
    assert selected is not None
    dense = np.linalg.inv(matrix.toarray())
    coo = matrix.tocoo()
    assert selected.entries(coo.row, coo.col) == pytest.approx(dense[coo.row, coo.col], rel=1e-9)


@settings(max_examples=40, deadline=None)
@given(st.integers(2, 30), st.data())
def test_entries_on_the_pattern_equal_the_dense_inverse(n, data):
    edges = data.draw(
        st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)), max_size=3 * n)
    )
    edges = [(a, b) for a, b in edges if a != b]
    weights = data.draw(st.lists(st.floats(0.01, 1e4), min_size=len(edges), max_size=len(edges)))
    ground = [(node, data.draw(st.floats(0.01, 1e4))) for node in range(n)]  # every node
    check(grounded_laplacian(n, edges, weights, ground))


def test_long_patterns():
    # a dense graph of 40 nodes: the first eliminated columns have long patterns
    n = 40
    rng = np.random.default_rng(3)
    edges = [(a, b) for a in range(n) for b in range(a + 1, n) if rng.random() < 0.6]
    matrix = grounded_laplacian(n, edges, rng.uniform(1, 10, len(edges)), [(0, 5.0)])
    lu = factorise(matrix)
    assert (np.diff(sp.csc_matrix(lu.L).indptr) - 1).max() > 12
    check(matrix)


@pytest.mark.parametrize("thin", [0, 3, 10_000])
@pytest.mark.parametrize("batch", [1, 7, 1 << 20])
@pytest.mark.parametrize("seed", range(4))
def test_levels_in_batches_of_any_size(batch, thin, seed, monkeypatch):
    """One level per batch (the smallest batch), a few, or all at once; every level in
    numpy, the thin ones in Python floats, or all of them: the same entries. A random
    sparse graph and a path (a deep, thin tree)."""
    monkeypatch.setattr(reconcile_selinv, "BATCH_PAIRS", batch)
    monkeypatch.setattr(reconcile_selinv, "THIN_LEVEL", thin)
    rng = np.random.default_rng(seed)
    n = 60
    edges = [(int(a), int(b)) for a, b in rng.integers(0, n, (90, 2)) if a != b]
    ground = [(node, 1e-2) for node in range(n)]  # every part reaches the ground
    check(grounded_laplacian(n, edges, rng.uniform(0.1, 10, len(edges)), ground))
    path = [(i, i + 1) for i in range(n - 1)]
    check(grounded_laplacian(n, path, rng.uniform(0.1, 10, n - 1), [(n - 1, 1.0)]))


def test_entries_off_the_pattern_are_refused():
    matrix = grounded_laplacian(3, [(0, 1), (1, 2)], [1.0, 1.0], [(0, 1.0)])
    selected = selected_inverse(factorise(matrix))
    # a chain eliminated without fill: (0, 2) may be off the pattern; if on, it is exact
    try:
        value = selected.entries(np.array([0]), np.array([2]))
    except ValueError:
        return
    assert value == pytest.approx(np.linalg.inv(matrix.toarray())[0, 2])


@settings(max_examples=40, deadline=None)
@given(st.integers(3, 40), st.data())
def test_quadratic_forms_from_the_pattern_equal_the_dense_ones(n, data):
    """``w^T S^-1 w`` for sparse columns ``w``: from the selected inverse where every
    pair of a column's entries is on the pattern, by solves for the others; both equal
    the dense inverse's, and the columns answered from the pattern are answered right."""
    from symbiosis.analysis.reconcile_selinv import quadratic_forms, variance_taken

    edges = data.draw(
        st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)), max_size=2 * n)
    )
    edges = [(a, b) for a, b in edges if a != b]
    weights = [data.draw(st.floats(0.01, 1e3)) for _ in edges]
    matrix = grounded_laplacian(n, edges, weights, [(node, 1.0) for node in range(n)])
    lu = factorise(matrix)
    selected = selected_inverse(lu)
    assert selected is not None
    rng = np.random.default_rng(data.draw(st.integers(0, 2**32 - 1)))
    k = data.draw(st.integers(1, 30))
    density = data.draw(st.sampled_from([0.05, 0.15, 0.5]))
    columns = sp.random(n, k, density=density, format="csc", random_state=rng,
                        data_rvs=lambda size: rng.uniform(-5, 5, size))  # fmt: skip
    dense = np.linalg.inv(matrix.toarray())
    want = np.einsum("ij,ij->j", columns.toarray(), dense @ columns.toarray())
    forms, done = quadratic_forms(selected, columns)
    np.testing.assert_allclose(forms[done], want[done], rtol=1e-9, atol=1e-12)
    got = variance_taken(lu.solve, columns, selected)
    np.testing.assert_allclose(got, want, rtol=1e-9, atol=1e-12)


def test_a_column_of_one_flow_between_two_balances_is_on_the_pattern():
    matrix = grounded_laplacian(4, [(0, 1), (1, 2), (2, 3)], [1.0, 2.0, 3.0], [(0, 1.0)])
    selected = selected_inverse(factorise(matrix))
    columns = sp.csc_matrix(np.array([[1.0], [-1.0], [0.0], [0.0]]))  # a flow 0 -> 1
    from symbiosis.analysis.reconcile_selinv import quadratic_forms

    forms, done = quadratic_forms(selected, columns)
    assert done.all()
    w = columns.toarray()[:, 0]
    assert forms[0] == pytest.approx(w @ np.linalg.inv(matrix.toarray()) @ w, rel=1e-12)


@settings(max_examples=40, deadline=None)
@given(st.integers(3, 60), st.data())
def test_forms_by_reach_equal_the_dense_ones(n, data):
    """Every column's ``w^T S^-1 w`` by solves on the rows its entries reach in the
    elimination tree equals the dense inverse's: sparse graphs (deep trees, short
    reaches) and denser ones, empty columns, and more columns than one block holds."""
    from symbiosis.analysis.reconcile_selinv import REACH_BLOCK, forms_by_reach

    pairs = data.draw(st.integers(0, 3 * n))
    rng = np.random.default_rng(data.draw(st.integers(0, 2**32 - 1)))
    edges = [(int(a), int(b)) for a, b in rng.integers(0, n, (pairs, 2)) if a != b]
    weights = rng.uniform(0.01, 1e3, len(edges))
    ground = [(int(node), 1.0) for node in rng.choice(n, data.draw(st.integers(1, n)), False)]
    ground += [(node, 1e-3) for node in range(n)]  # every part reaches the ground
    matrix = grounded_laplacian(n, edges, weights, ground)
    selected = selected_inverse(factorise(matrix))
    assert selected is not None
    k = data.draw(st.sampled_from([1, 5, REACH_BLOCK + 7, 2 * REACH_BLOCK + 1]))
    density = data.draw(st.sampled_from([0.0, 0.05, 0.2, 1.0]))
    columns = sp.random(n, k, density=density, format="csc", random_state=rng,
                        data_rvs=lambda size: rng.uniform(-5, 5, size))  # fmt: skip
    dense = columns.toarray()
    want = np.einsum("ij,ij->j", dense, np.linalg.solve(matrix.toarray(), dense))
    share = data.draw(st.sampled_from([0.0, 0.25, 1.0]))  # none, some or every block
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(reconcile_selinv, "REACH_SHARE", share)
        forms, done = forms_by_reach(selected, columns)
    if share == 1.0:
        assert done.all()
    np.testing.assert_allclose(forms[done], want[done], rtol=1e-9, atol=1e-12)
    assert (forms[~done] == 0).all()


def test_forms_by_reach_read_only_the_rows_reached(monkeypatch):
    """A path graph eliminated in order: a column with one entry at the start of the path
    reaches the whole path, one at its end only the last rows, and both are exact."""
    from symbiosis.analysis.reconcile_selinv import _reach, _tree_parents, forms_by_reach

    n = 6
    matrix = grounded_laplacian(n, [(i, i + 1) for i in range(n - 1)], [1.0] * (n - 1),
                                [(n - 1, 1.0)])  # fmt: skip
    selected = selected_inverse(factorise(matrix))
    parent = _tree_parents(selected.keys, n).tolist()
    assert sorted(_reach(parent, list(range(n)), n).tolist()) == list(range(n))
    assert _reach(parent, list(range(n)), n - 1) is None  # past the limit: no answer
    root = next(node for node in range(n) if parent[node] < 0)
    assert _reach(parent, [root], n).tolist() == [root]
    columns = sp.csc_matrix(np.eye(n))
    want = np.diag(np.linalg.inv(matrix.toarray()))
    monkeypatch.setattr(reconcile_selinv, "REACH_SHARE", 1.0)
    forms, done = forms_by_reach(selected, columns)
    assert done.all()
    np.testing.assert_allclose(forms, want, rtol=1e-12)
    # a column that names one row twice (not summed yet) counts both entries
    repeated = sp.csc_matrix((np.array([1.0, 2.0]), np.array([0, 0]), np.array([0, 2])),
                             shape=(n, 1))  # fmt: skip
    assert forms_by_reach(selected, repeated)[0][0] == pytest.approx(9 * want[0], rel=1e-12)


def test_a_deep_tree_leaves_its_blocks_to_full_solves():
    """A path of balances eliminated into a tree as deep as half its length: the blocks
    whose reach would pass REACH_SHARE of the rows are left (not done), and the quadratic
    forms of reconciliation answer them by full solves, right."""
    from symbiosis.analysis.reconcile_selinv import forms_by_reach, variance_taken

    n = 400
    rng = np.random.default_rng(5)
    path = [(i, i + 1) for i in range(n - 1)]
    matrix = grounded_laplacian(n, path, rng.uniform(0.5, 5, n - 1), [(0, 1.0), (n - 1, 1.0)])
    lu = factorise(matrix)
    selected = selected_inverse(lu)
    columns = sp.csc_matrix(rng.uniform(-1, 1, (n, 40)) * (rng.random((n, 40)) < 0.01))
    _, done = forms_by_reach(selected, columns)
    assert not done.all()
    dense = columns.toarray()
    want = np.einsum("ij,ij->j", dense, np.linalg.solve(matrix.toarray(), dense))
    np.testing.assert_allclose(variance_taken(lu.solve, columns, selected), want, rtol=1e-9)
