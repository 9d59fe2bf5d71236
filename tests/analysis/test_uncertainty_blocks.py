"""The cyclic components' n_ii for every sample (analysis/uncertainty_blocks.py), batched
by size with a plan made once, against a plain inverse of each component and sample."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from symbiosis.analysis import uncertainty_blocks
from symbiosis.analysis.uncertainty_blocks import Plan, integral_diagonals


def _plain(blocks, source, target, values, through):
    """n_ii of each block for each sample, by a dense inverse of I - G on the block."""
    found = []
    for members in blocks:
        k, where = len(members), {int(a): i for i, a in enumerate(members)}
        rows = []
        for s in range(len(values)):
            g = np.zeros((k, k))
            for arc, (u, v) in enumerate(zip(source, target, strict=True)):
                if int(u) in where and int(v) in where:
                    g[where[int(u)], where[int(v)]] += values[s, arc]
            g /= through[s, members][:, None]
            rows.append(np.diag(np.linalg.inv(np.eye(k) - g)))
        found.append(np.array(rows))
    return found


@st.composite
def networks(draw):
    sizes = draw(st.lists(st.integers(2, 6), min_size=1, max_size=6))
    n = sum(sizes) + draw(st.integers(0, 3))
    order = np.array(draw(st.permutations(range(n))))
    blocks, at = [], 0
    for size in sizes:
        blocks.append(np.sort(order[at : at + size]))
        at += size
    arcs = []
    for members in blocks:  # a cycle through each block, then a few chords
        ring = draw(st.permutations(list(members)))
        arcs += list(zip(ring, ring[1:] + ring[:1], strict=True))
        arcs += draw(st.lists(st.tuples(st.sampled_from(list(members)),
                                        st.sampled_from(list(members))), max_size=4))  # fmt: skip
    arcs += draw(st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)), max_size=5))
    samples = draw(st.integers(1, 4))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    values = rng.uniform(0.5, 2.0, size=(samples, len(arcs)))
    source = np.array([u for u, _ in arcs], dtype=np.int64)
    target = np.array([v for _, v in arcs], dtype=np.int64)
    outflow = np.zeros((samples, n))
    for arc, u in enumerate(source):
        outflow[:, u] += values[:, arc]
    through = outflow * rng.uniform(1.2, 3.0, size=(samples, n)) + 1.0  # leaks: invertible
    return blocks, source, target, values, through, n


@settings(max_examples=80, deadline=None)
@given(network=networks(), batch=st.integers(2, 7), stack=st.integers(4, 200))
def test_batched_diagonals_equal_a_plain_inverse(network, batch, stack):
    """Small and large components (BATCH_BLOCK drawn), groups and sample chunks split
    (STACK_VALUES drawn), repeated arcs, arcs between components: every component's n_ii
    in every sample, in component order within each size, as a plain inverse gives."""
    blocks, source, target, values, through, n = network
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(uncertainty_blocks, "BATCH_BLOCK", batch)
        patch.setattr(uncertainty_blocks, "STACK_VALUES", stack)
        plan = Plan.of(blocks, source, target, n)
        d = SimpleNamespace(blocks=blocks, plan=plan)
        found = list(integral_diagonals(d, values, through))
    expected = _plain(blocks, source, target, values, through)
    by_size: dict[int, list[int]] = {}
    for b, members in enumerate(blocks):
        by_size.setdefault(len(members), []).append(b)
    order = [b for numbers in by_size.values() for b in numbers]
    assert [m.tolist() for m, _ in found] == [blocks[b].tolist() for b in order]
    for (_, diagonal), b in zip(found, order, strict=True):
        np.testing.assert_allclose(diagonal, expected[b], rtol=1e-9)
