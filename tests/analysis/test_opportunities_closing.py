"""The loop search of the opportunities' impact (closing.py): its per-level neighbours."""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from symbiosis.analysis.opportunities import closing


def _plain_neighbours(csr, frontier, extra_from, extra_to):
    """The neighbours the plain way: the extra links' senders found by np.isin."""
    begin, end = csr.indptr[frontier], csr.indptr[frontier + 1]
    count = end - begin
    rank = np.repeat(np.arange(len(frontier)), count)
    offset = np.arange(int(count.sum())) - np.repeat(np.cumsum(count) - count, count)
    child = csr.indices[np.repeat(begin, count) + offset].astype(np.int64)
    at = np.flatnonzero(np.isin(frontier, extra_from))
    if len(at):
        sender = np.repeat(at, [np.count_nonzero(extra_from == frontier[i]) for i in at])
        receiver = np.concatenate([extra_to[extra_from == frontier[i]] for i in at])
        rank, child = np.r_[rank, sender], np.r_[child, receiver]
        order = np.lexsort((child, rank))
        rank, child = rank[order], child[order]
    return frontier[rank], child


@settings(max_examples=150, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    n=st.integers(1, 60),
    arcs=st.integers(0, 200),
    extras=st.integers(0, 6),
)
def test_neighbours_with_marked_senders_are_the_plain_ones(seed, n, arcs, extras):
    rng = np.random.default_rng(seed)
    source, target = rng.integers(0, n, arcs), rng.integers(0, n, arcs)
    csr = sp.csr_matrix((np.ones(arcs), (source, target)), shape=(n, n))
    csr.sum_duplicates()
    csr.sort_indices()
    extra_from, extra_to = rng.integers(0, n, extras), rng.integers(0, n, extras)
    sends = np.zeros(n, dtype=bool)
    sends[extra_from] = True
    frontier = np.unique(rng.integers(0, n, rng.integers(1, n + 1)))
    rng.shuffle(frontier)
    fast = closing._neighbours(csr, frontier, (extra_from, extra_to, sends))
    plain = _plain_neighbours(csr, frontier, extra_from, extra_to)
    for got, want in zip(fast, plain, strict=True):
        np.testing.assert_array_equal(got, want)
