"""Selected inversion (analysis/_selinv.py): the diagonal of (I - G)^-1 from LU factors."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from symbiosis.analysis import _linalg, _selinv


def factors(g: sp.spmatrix):
    return _linalg._m_matrix_lu((sp.identity(g.shape[0]) - g).tocsc())


def leaky(a: np.ndarray, rng: np.random.Generator, leak: float) -> np.ndarray:
    """Random weights on the pattern ``a``, every row keeping at most 1 - leak."""
    g = a * rng.uniform(0.1, 1.0, a.shape)
    return g / g.sum(axis=1, keepdims=True).clip(min=1e-300) * (1 - leak)


@st.composite
def m_matrices(draw):
    """Strongly connected sparse patterns of the kinds industrial cores have: a ring with
    random chords, a hub trading with spokes, a chain of small loops; and a dense one."""
    size = draw(st.integers(2, 120))
    kind = draw(st.sampled_from(["ring", "hub", "chain", "dense"]))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    a = np.zeros((size, size))
    nodes = np.arange(size)
    if kind == "ring":
        a[nodes, np.roll(nodes, -1)] = 1
        chords = draw(st.integers(0, 3 * size))
        a[rng.integers(0, size, chords), rng.integers(0, size, chords)] = 1
    elif kind == "hub":
        a[0, 1:] = a[1:, 0] = 1
        a[rng.integers(1, size, size), rng.integers(1, size, size)] = 1
    elif kind == "chain":
        a[nodes[:-1], nodes[1:]] = 1
        a[nodes[1:], nodes[:-1]] = rng.random(size - 1) < 0.7
        a[-1, 0] = 1
    else:
        a = (rng.random((size, size)) < 0.5).astype(float)
        a[nodes, np.roll(nodes, -1)] = 1
    leak = draw(st.sampled_from([0.5, 0.1, 1e-3]))
    return leaky(a, rng, leak)


@settings(max_examples=150, deadline=None)
@given(g=m_matrices(), short=st.sampled_from([0, 1, 6, 10_000]))
def test_diagonal_equals_that_of_the_dense_inverse(monkeypatch_module, g, short):
    """Whatever the pattern and whichever path (plain floats for patterns up to ``short``,
    numpy blocks, bordered supernodes above), the diagonal is the dense inverse's."""
    monkeypatch_module.setattr(_selinv, "SHORT_PATTERN", short)
    diagonal = _selinv.diagonal_of_inverse(factors(sp.csr_matrix(g)))
    expected = np.diagonal(np.linalg.inv(np.eye(len(g)) - g))
    np.testing.assert_allclose(diagonal, expected, rtol=1e-11)


@pytest.fixture(scope="module")
def monkeypatch_module():
    with pytest.MonkeyPatch.context() as patch:
        yield patch


def test_long_ring_by_hand():
    # Round a ring of n firms each passing on w_i of its throughflow, the return
    # probability is the product of the w_i for every firm: n_jj = 1 / (1 - prod w).
    n = 20_000
    weights = np.where(np.arange(n) % 3 == 0, 1.0, 0.99995)
    ring = np.arange(n)
    g = sp.csr_matrix((weights, (ring, np.roll(ring, -1))), shape=(n, n))
    diagonal = _selinv.diagonal_of_inverse(factors(g))
    expected = 1 / (1 - np.prod(weights))
    np.testing.assert_allclose(diagonal, expected, rtol=1e-9)


def test_not_an_m_matrix_gives_no_diagonal():
    # rho(G) = sqrt(1.8) > 1: a pivot of I - G is negative.
    g = sp.csr_matrix(np.array([[0.0, 2.0], [0.9, 0.0]]))
    assert _selinv.diagonal_of_inverse(factors(g)) is None


def test_large_block_goes_through_selected_inversion(monkeypatch):
    """Above the dense limit, integral_diagonal uses the factors: same numbers, and a
    block above the Perron limit is still refused with its reason."""
    monkeypatch.setattr(_linalg, "FILL_SHARE_LIMIT", 1.0)  # never the dense fallback
    calls = []
    original = _linalg.diagonal_of_inverse
    monkeypatch.setattr(_linalg, "diagonal_of_inverse", lambda lu: calls.append(1) or original(lu))
    rng = np.random.default_rng(3)
    n = _linalg.DENSE_LIMIT + 50
    a = np.zeros((n, n))
    a[np.arange(n), np.roll(np.arange(n), -1)] = 1
    a[rng.integers(0, n, n), rng.integers(0, n, n)] = 1
    g = leaky(a, rng, 0.2)
    diagonal, failures = _linalg.integral_diagonal(sp.csr_matrix(g), [np.arange(n)])
    assert calls and failures == []
    expected = np.diagonal(np.linalg.inv(np.eye(n) - g))
    np.testing.assert_allclose(diagonal, expected, rtol=1e-11)


@settings(max_examples=100, deadline=None)
@given(g=m_matrices(), short=st.sampled_from([0, 1, 6]))
def test_bordering_columns_follow_the_rule(monkeypatch_module, g, short):
    """A column borders the next one (its block is the next one's, one row and column
    larger) exactly when its pattern is ``{j + 1}`` and then the next column's pattern,
    both long: the rule the blocks were once checked by, column by column."""
    monkeypatch_module.setattr(_selinv, "SHORT_PATTERN", short)
    _, lower, upper_t = _selinv.unit_factors(factors(sp.csr_matrix(g)))
    indptr, indices = _selinv._filled_pattern(lower, upper_t)
    found = _selinv._borders(indptr, indices)
    for j in range(len(indptr) - 1):
        mine = indices[indptr[j] : indptr[j + 1]].tolist()
        if j + 1 == len(indptr) - 1:
            assert not found[j]
            continue
        following = indices[indptr[j + 1] : indptr[j + 2]].tolist()
        long = len(following) > short and len(mine) > short
        assert found[j] == (long and mine == [j + 1, *following])


def _closure_by_loop(lower: sp.csc_matrix) -> list[list[int]]:
    """The filled pattern by its definition: each column passes its rows but the first
    to the column of its first row, in column order."""
    size = lower.shape[0]
    columns = [set(lower.indices[lower.indptr[j] : lower.indptr[j + 1]].tolist())
               for j in range(size)]  # fmt: skip
    for j in range(size):
        if columns[j]:
            first = min(columns[j])
            columns[first] |= columns[j] - {first}
    return [sorted(c) for c in columns]


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 25), st.data())
def test_filled_pattern_is_the_closure_whether_closed_already_or_not(size, data):
    """Random strictly lower patterns (most not closed), and their closures (closed: the
    fast path, which must give the same pattern)."""
    cells = data.draw(st.lists(st.tuples(st.integers(0, size - 1), st.integers(0, size - 1))))
    cells = [(max(a, b), min(a, b)) for a, b in cells if a != b]
    rows, cols = [r for r, _ in cells], [c for _, c in cells]
    lower = sp.csc_matrix((np.ones(len(cells)), (rows, cols)), shape=(size, size))
    want = _closure_by_loop(lower)
    for matrix in (lower, _as_matrix(want, size)):
        indptr, indices = _selinv._filled_pattern(matrix)
        got = [indices[indptr[j] : indptr[j + 1]].tolist() for j in range(size)]
        assert got == want
        assert _selinv._closed(indptr, indices)
    assert _selinv._closed(lower.indptr.astype(np.int64), lower.indices.astype(np.int64)) == (
        _closure_by_loop(lower)
        == [sorted(set(lower[:, [j]].indices.tolist())) for j in range(size)]
    )


def _as_matrix(columns: list[list[int]], size: int) -> sp.csc_matrix:
    rows = [r for c in columns for r in c]
    cols = [j for j, c in enumerate(columns) for _ in c]
    return sp.csc_matrix((np.ones(len(rows)), (rows, cols)), shape=(size, size))
