"""Distributors: actors that only pass on what they receive (role ``distributor``: a CO2
pipeline operator buying refinery CO2 for greenhouses, a steam network, a broker). The
reuse accounts count a residual once, where it ends: what enters a distributor goes where
the distributor's outputs go, in proportion to them (docs/reuse.md, "Distributors").

In one dimension, a distributor ``d`` with outputs ``w_dj`` (known sizes, any category)
hands on the share ``s_dj = w_dj / sum_j w_dj`` of what it receives to ``j``. A chain of
distributors is an absorbing Markov chain: with ``Q`` the shares among distributors that
pass on and ``R`` the shares to final receivers (any other node, or a distributor that
keeps what it gets),

```text
fractions F = (I - Q)^-1 R        what enters d ends at each fate, per unit
throughput x = (I - Q)^-T i       what passes through d of the inflow i from outside
```

A distributor *keeps* what it receives, as any actor would (its fate, ``reused``), when
none of its outputs in the dimension has a known size, or when its outputs go round a loop
of distributors that nothing leaves. Complexity: O(f) to find the flows, O(e) for the
reachability over the e flows among distributors, and one sparse solve over the
distributors only when they hand on to each other (none in the common case).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from ..core import Core
from ..vocabulary import ROLES

__all__ = ["DISTRIBUTOR", "Passing", "distributor_index", "passing"]

DISTRIBUTOR = ROLES.index("distributor")


@dataclass(frozen=True, eq=False)
class Passing:
    """How a network's distributors pass on what they receive, in one dimension (or by
    links, every outgoing flow weighing 1).

    Attributes
    ----------
    index : per node, its position among the distributors (-1: no distributor).
    passes : per distributor, whether it passes on (False: it keeps what it receives).
    fractions : ``(distributors, fates)``, the share of a unit entering each distributor
        that ends in each fate (a keeper's: all in its own fate, ``reused``).
    flows : positions of the flows by which distributors that pass on hand on to a final
        receiver (a node that is no distributor, or a distributor that keeps).
    shares : per such flow, the share of its distributor's outputs that it carries.
    """

    index: np.ndarray
    passes: np.ndarray
    fractions: np.ndarray
    flows: np.ndarray
    shares: np.ndarray
    _source: np.ndarray  # distributor of each of ``flows``
    _onward: Any  # the sparse (I - Q), None without flows among distributors

    def through(self, inflow: np.ndarray) -> np.ndarray:
        """What passes through each distributor of ``inflow`` (per distributor, what
        enters it from nodes that are not distributors that pass on): ``x = i + Q^T x``.
        O(distributors) without chains, else one sparse solve."""
        through = np.asarray(inflow, dtype=float)
        if self._onward is not None:
            from scipy.sparse.linalg import spsolve

            through = np.atleast_1d(spsolve(self._onward.T.tocsc(), through))
        return through

    def reached(self, inflow: np.ndarray) -> np.ndarray:
        """What of ``inflow`` (as in :meth:`through`) passes through each distributor at
        least once: :meth:`through` counts a unit each time a loop of distributors
        brings it back, so divide by the expected visits of a unit entering it, the
        diagonal of ``(I - Q)^-1`` (hitting probabilities ``N_ed / N_dd``). O(m)
        without chains, else a sparse solve with m right-hand sides."""
        through = self.through(inflow)
        if self._onward is None:
            return through
        from scipy.sparse import identity, issparse
        from scipy.sparse.linalg import spsolve

        m = len(self.passes)
        visits = spsolve(self._onward.tocsc(), identity(m, format="csc"))
        # one distributor: spsolve answers with a dense vector
        diagonal = visits.diagonal() if issparse(visits) else np.reshape(visits, (m, m)).diagonal()
        return through / diagonal

    def carried(self, inflow: np.ndarray) -> np.ndarray:
        """What each of :attr:`flows` carries of ``inflow`` (per distributor, what enters
        it from nodes that are not distributors that pass on), through every chain of
        distributors. Sums to the inflow of the distributors that pass on. O(flows)
        without chains, else one sparse solve."""
        return self.through(inflow)[self._source] * self.shares

    def to_nodes(self, core: Core, among: np.ndarray | None = None) -> Any:
        """``(distributors, nodes)`` sparse: the share of a unit entering each
        distributor that ends at each final receiver (a node that is no distributor, or
        a distributor that keeps), through every chain of distributors, by the final
        flows of :attr:`flows` that ``among`` selects (all by default); a keeper's row
        is empty (what it keeps is its own). One sparse solve over the distributors when
        they hand on to each other."""
        from scipy.sparse import csr_matrix

        m = len(self.passes)
        chosen = np.ones(len(self.flows), dtype=bool) if among is None else among
        ending = csr_matrix(
            (self.shares[chosen], (self._source[chosen], core.target[self.flows[chosen]])),
            shape=(m, core.n_nodes),
        )
        if self._onward is None:
            return ending
        from scipy.sparse.linalg import spsolve

        return csr_matrix(spsolve(self._onward.tocsc(), ending.tocsc()))


def distributor_index(core: Core) -> np.ndarray | None:
    """Per node, its position among the distributors (-1 for other nodes); None when the
    network has none. O(nodes), cached."""

    def build() -> np.ndarray:
        nodes = np.flatnonzero(core.role_code == DISTRIBUTOR)
        index = np.full(core.n_nodes, -1, dtype=np.int64)
        index[nodes] = np.arange(len(nodes))
        return index

    index = core.cached(("transit", "index"), build)
    return index if (index >= 0).any() else None


def passing(
    core: Core, dimension: int | None, fate_of_flow: np.ndarray, kept: int, n_fates: int
) -> Passing:
    """How the distributors of ``core`` pass on in ``dimension`` (an index into
    DIMENSIONS, outputs weighted by their known size; ``None``: by links, every outgoing
    flow weighing 1 whatever its size). ``fate_of_flow`` is the fate code of a stream
    by each flow (its receiver's, or the one what it carries gives it), ``kept`` the code
    of what a keeping distributor keeps. Call it only when :func:`distributor_index` is
    not None. Cached per dimension; O(f) and a sparse solve over the distributors."""
    return core.cached(
        ("transit", dimension),
        lambda: _passing(core, dimension, fate_of_flow, kept, n_fates),
    )


def _passing(
    core: Core, dimension: int | None, fate_of_flow: np.ndarray, kept: int, n_fates: int
) -> Passing:
    from scipy.sparse import csr_matrix, identity

    index = distributor_index(core)
    assert index is not None
    m = int(index.max()) + 1
    out = np.flatnonzero(index[core.source] >= 0)
    if dimension is None:
        weight = np.ones(len(out))
    else:
        out = out[core.dimension[out] == dimension]
        weight = core.value[out]
        out, weight = out[weight > 0], weight[weight > 0]
    source, target = index[core.source[out]], core.target[out]
    onward = index[target]  # -1: a node that is no distributor
    total = np.bincount(source, weight, minlength=m)
    passes = _reaching_out(m, source, onward, total > 0)
    keeps = np.append(~passes, False)  # the last entry read for onward == -1
    from_passing = passes[source]
    final = from_passing & ((onward < 0) | keeps[onward])
    among = from_passing & ~final
    shares = weight / np.where(total > 0, total, 1.0)[source]
    fate = np.where(onward < 0, fate_of_flow[out], kept)
    ending = np.bincount(
        source[final] * n_fates + fate[final], shares[final], minlength=m * n_fates
    ).reshape(m, n_fates)
    onward_matrix = None
    fractions = ending
    if among.any():
        q = csr_matrix((shares[among], (source[among], onward[among])), shape=(m, m))
        onward_matrix = (identity(m, format="csr") - q).tocsr()
        from scipy.sparse.linalg import spsolve

        solved = spsolve(onward_matrix.tocsc(), ending)
        fractions = np.asarray(solved, dtype=float).reshape(m, n_fates)
    fractions = fractions.copy()
    fractions[~passes] = np.eye(n_fates)[kept]
    return Passing(
        index=index,
        passes=passes,
        fractions=fractions,
        flows=out[final],
        shares=shares[final],
        _source=source[final],
        _onward=onward_matrix,
    )


def _reaching_out(m: int, source: np.ndarray, onward: np.ndarray, has_out: np.ndarray):
    """Per distributor, whether it passes on: it has outputs and a chain of them reaches
    a node that is no distributor or a distributor without outputs. Reverse breadth-first
    search from a sink over the flows among distributors; O(flows)."""
    exits = (onward < 0) | ~np.append(has_out, True)[onward]
    if exits.all():
        return has_out.copy()
    from scipy.sparse import csr_matrix
    from scipy.sparse.csgraph import breadth_first_order

    head = np.where(exits, m, onward)  # an exit leads to the sink, m
    reverse = csr_matrix((np.ones(len(source)), (head, source)), shape=(m + 1, m + 1))
    reached = breadth_first_order(reverse, m, directed=True, return_predecessors=False)
    passes = np.zeros(m + 1, dtype=bool)
    passes[reached] = True
    return passes[:m] & has_out
