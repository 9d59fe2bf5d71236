"""The headline indicators as functions of a matrix of sampled flow values, all samples at
once: the vectorised form of the reuse, cycling and structure passes for
:mod:`symbiosis.analysis.uncertainty`.

:class:`IndicatorModel` is built once from a network; :meth:`IndicatorModel.evaluate`
takes ``V``, a ``(samples, flows)`` matrix of values of the network's flows of known size
(columns in :attr:`IndicatorModel.flows` order), and returns every indicator for every
sample. The same definitions as the passes (tested against them on the recorded values):

* sums of residual streams by fate, the reuse share, the utilization rate, the circular
  input rate and the per-material reuse shares are ratios of linear sums
  (:mod:`~symbiosis.analysis.reuse`): one sparse product ``V @ W`` for them all;
* throughflow ``T_i = max(inflow_i, outflow_i)`` of each actor, TST, the cycled
  throughflow ``sum_i (1 - 1/n_ii) T_i`` and the Finn cycling index
  (:mod:`~symbiosis.analysis.cycling`, default throughflow rule, no balancing): ``n_ii``
  is the diagonal of ``(I - G_SS)^-1`` on each cyclic strongly connected component S of
  the dimension's actor matrix (:mod:`~symbiosis.analysis.uncertainty_blocks`).
  Components up to :data:`BATCH_BLOCK` actors are stacked over samples and inverted by
  batched LAPACK; larger ones are inverted one sample at a time by
  :func:`~symbiosis.analysis._linalg.integral_diagonal` (bounded: a sample costs what the
  cycling pass costs on that component). A sample whose block is singular,
  ill-conditioned (``cond_1 > 1e10``) or not an M-matrix gets NaN, never a number;
* extraction dependence (:mod:`~symbiosis.analysis.origins`): ``sum_j x_j / TST`` with
  ``x = p_ext + G^T x`` and ``p_ext`` the unrecorded surplus of the extraction actors.
  Up to :data:`DENSE_ACTORS` actors the systems of all samples are solved by one batched
  dense solve; above, one sample at a time along the network's condensation
  (:meth:`~symbiosis.analysis._condensation.Condensation.solve`), as the pass does.
  Actors of a closed loop on the recorded values keep that status in every sample.

The structure of the network (which flows exist, the strongly connected components) does
not vary between samples: every sampled value of a flow of known positive size is
positive. Memory: O(samples x (flows + actors)) per call, plus the stacked blocks; the
caller bounds ``samples`` per call (chunks).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp

from .._numeric import blas_threads_for
from ..model import FlowNetwork
from ..units import DIMENSIONS
from ._condensation import Condensation, network_condensation
from ._flowsums import Arrays
from ._linalg import strong_components
from .origins import origin_parts
from .reuse import FATES, secondary_inputs
from .reuse_streams import _counted_input, _passed_on, _residual, flow_fates
from .uncertainty_blocks import BATCH_BLOCK, Plan, integral_diagonals

__all__ = ["BATCH_BLOCK", "DENSE_ACTORS", "HEADLINE", "IndicatorModel"]

#: Networks up to this many actors solve the origin tracing densely for all samples.
DENSE_ACTORS = 100
#: The headline indicators per dimension, in display order.
HEADLINE: tuple[str, ...] = (
    "generated",
    "reused",
    "sold",
    "disposed",
    "emitted",
    "reuse_share",
    "utilization_rate",
    "circular_input_rate",
    "total_system_throughflow",
    "cycled_throughflow",
    "finn_cycling_index",
    "extraction_dependence",
)
_LINEAR = ("generated", *FATES, "inputs", "secondary_inputs")


@dataclass(eq=False)
class _Dimension:
    """What one dimension's cycling and tracing need, precomputed."""

    into: sp.csr_matrix  # flows x actors: flow -> its target actor (inflow)
    out_of: sp.csr_matrix  # flows x actors: flow -> its source actor (outflow)
    internal: np.ndarray  # columns (in model.flows) of the actor-to-actor flows
    source: np.ndarray  # actor index of their source
    target: np.ndarray  # actor index of their target
    blocks: list[np.ndarray]  # cyclic components (actor indices)
    extraction: np.ndarray  # mask over actors
    closed: np.ndarray  # mask over actors: a closed loop on the recorded values
    plan: Plan  # the arcs inside each group of cyclic components (uncertainty_blocks)
    topology: Condensation | None = field(default=None, repr=False)


@dataclass(eq=False)
class IndicatorModel:
    """The indicators of one network as functions of sampled flow values (module
    docstring). Build with :meth:`of`; picklable, so that chunks can run in other
    processes."""

    flows: np.ndarray
    """Positions (in ``network.flows``) of the flows of known size: the columns of V."""
    names: list[tuple[str, str]]
    """``(dimension, indicator)`` of each output column; indicator ``reuse_share:KEY`` is
    the reuse share of the material KEY."""
    linear: sp.csr_matrix
    """flows x linear sums (named in :attr:`linear_names`)."""
    linear_names: list[tuple[str, str]]
    dimensions: dict[str, _Dimension]
    materials: list[tuple[str, str]]
    n_actors: int

    @classmethod
    def of(cls, network: FlowNetwork, *, materials: int = 20) -> IndicatorModel:
        """Precompute the model of ``network``; the ``materials`` largest residual
        materials (by generated quantity, per dimension) get their own reuse share.
        O(flows) plus the condensation and the components of each dimension."""
        core = network.core
        flows = np.flatnonzero(core.dimension >= 0)
        linear, linear_names, chosen = _linear_sums(network, flows, materials)
        dimensions = {d: _dimension(network, flows, d) for d in network.dimensions}
        names = [(d, name) for d in network.dimensions for name in HEADLINE]
        names += [(d, f"reuse_share:{key}") for d, key in chosen]
        return cls(
            flows=flows,
            names=names,
            linear=linear,
            linear_names=linear_names,
            dimensions=dimensions,
            materials=chosen,
            n_actors=len(core.actor_nodes),
        )

    def evaluate(self, values: np.ndarray) -> np.ndarray:
        """Every indicator for every sample: ``(samples, len(names))``; NaN where an
        indicator is undefined (a zero denominator, a failed block). O(samples x (flows +
        actors)) plus the loop blocks and the origin tracing (module docstring)."""
        largest = max((len(b) for d in self.dimensions.values() for b in d.blocks), default=0)
        with blas_threads_for(largest):  # one BLAS thread: many small factorizations
            return self._evaluate(values)

    def _evaluate(self, values: np.ndarray) -> np.ndarray:
        samples = values.shape[0]
        sums = np.asarray(values @ self.linear)  # (samples, linear columns)
        column = {name: i for i, name in enumerate(self.linear_names)}
        out = np.full((samples, len(self.names)), np.nan)
        at = 0
        for dimension in self.dimensions:
            get = {k: sums[:, column[(dimension, k)]] for k in _LINEAR}
            cycling = self._cycling(values, dimension)
            row = {
                **{k: get[k] for k in ("generated", *FATES)},
                "reuse_share": _ratio(get["reused"], get["generated"]),
                "utilization_rate": _ratio(get["reused"] + get["sold"], get["generated"]),
                "circular_input_rate": _ratio(get["secondary_inputs"], get["inputs"]),
                **cycling,
            }
            for k, name in enumerate(HEADLINE):
                out[:, at + k] = row[name]
            at += len(HEADLINE)
        for dimension, key in self.materials:
            reused = sums[:, column[(dimension, f"reused:{key}")]]
            generated = sums[:, column[(dimension, f"generated:{key}")]]
            out[:, at] = _ratio(reused, generated)
            at += 1
        return out

    # ------------------------------------------------------------------ cycling

    def _cycling(self, values: np.ndarray, dimension: str) -> dict[str, np.ndarray]:
        d = self.dimensions[dimension]
        inflow = np.asarray(values @ d.into)
        outflow = np.asarray(values @ d.out_of)
        through = np.maximum(inflow, outflow)  # (samples, actors)
        tst = through.sum(axis=1)
        cycled = np.zeros(len(values))
        failed = np.zeros(len(values), dtype=bool)
        flow_values = values[:, d.internal]
        for members, diagonal in integral_diagonals(d, flow_values, through):
            bad = ~np.all(np.isfinite(diagonal), axis=1)
            failed |= bad
            share = np.where(
                bad[:, None], 0.0, (diagonal - 1.0) / np.where(bad[:, None], 1, diagonal)
            )
            cycled += (share * through[:, members]).sum(axis=1)
        cycled = np.where(failed, np.nan, cycled)
        extraction = self._extraction(d, values, flow_values, through, inflow)
        return {
            "total_system_throughflow": tst,
            "cycled_throughflow": cycled,
            "finn_cycling_index": _ratio(cycled, tst),
            "extraction_dependence": _ratio(extraction, tst),
        }

    def _extraction(self, d, values, flow_values, through, inflow) -> np.ndarray:
        """``sum_j x_j`` of the extraction origin, per sample (module docstring)."""
        samples, n = through.shape
        if not d.extraction.any():
            return np.zeros(samples)
        surplus = np.where(d.extraction, through - inflow, 0.0)
        surplus[:, d.closed] = 0.0
        keep = ~d.closed[d.source]
        source, target = d.source[keep], d.target[keep]
        weight = np.divide(
            flow_values[:, keep],
            through[:, source],
            out=np.zeros((samples, int(keep.sum()))),
            where=through[:, source] > 0,
        )
        if n <= DENSE_ACTORS:
            system = np.tile(np.eye(n), (samples, 1, 1))
            np.add.at(system, (slice(None), target, source), -weight)
            with np.errstate(all="ignore"):
                try:
                    x = np.linalg.solve(system, surplus[:, :, None])[:, :, 0]
                except np.linalg.LinAlgError:
                    return _one_by_one_dense(system, surplus)
            return np.where(np.all(np.isfinite(x), axis=1), x.sum(axis=1), np.nan)
        unit = _power_of_two(float(through.max(initial=0.0)))
        try:  # every sample at once: S copies of the system, one block-diagonal solve
            x = _copies(d.topology, samples).solve(
                _block_diagonal(weight, target, source, n), surplus.ravel() / unit
            )
            x = x.reshape(samples, n) * unit
        except np.linalg.LinAlgError:  # a singular sample: find it, one at a time
            x = np.vstack(
                [
                    _one_sample(d, w, target, source, p / unit)
                    for w, p in zip(weight, surplus, strict=True)
                ]
            )
            x *= unit
        return np.where(np.all(np.isfinite(x), axis=1), x.sum(axis=1), np.nan)


def _power_of_two(largest: float) -> float:
    """The power of two at or below ``largest`` (1 when it is 0): the unit the origin
    tracing solves in (:func:`.origins._unit`), exact scaling."""
    return math.ldexp(1.0, math.frexp(largest)[1] - 1) if largest > 0 else 1.0


def _copies(topology: Condensation, samples: int) -> Condensation:
    """The condensation of ``samples`` disjoint copies of a graph: copy ``s`` numbers its
    nodes ``s * n + i`` and its components ``s * count + c`` (reverse topological order
    is kept within each copy; copies share no arc)."""
    count = topology.count
    shift = np.arange(samples, dtype=np.int64)[:, None]
    return Condensation(
        count=count * samples,
        labels=(topology.labels[None, :] + shift * count).ravel(),
        cyclic=np.tile(topology.cyclic, samples),
        dag=sp.csr_matrix((count * samples, count * samples)),  # not used by solve
    )


def _block_diagonal(weight, target, source, n) -> sp.coo_matrix:
    samples = len(weight)
    shift = (np.arange(samples, dtype=np.int64) * n)[:, None]
    rows = (target[None, :] + shift).ravel()
    cols = (source[None, :] + shift).ravel()
    return sp.coo_matrix((weight.ravel(), (rows, cols)), shape=(samples * n, samples * n))


def _one_sample(d, weight, target, source, rhs) -> np.ndarray:
    n = len(rhs)
    try:
        return d.topology.solve(sp.coo_matrix((weight, (target, source)), shape=(n, n)), rhs)
    except np.linalg.LinAlgError:
        return np.full(n, np.nan)


def _one_by_one_dense(system: np.ndarray, rhs: np.ndarray) -> np.ndarray:
    """The batched solve failed on a singular sample: solve each sample alone."""
    result = np.full(len(system), np.nan)
    for s in range(len(system)):
        try:
            x = np.linalg.solve(system[s], rhs[s])
        except np.linalg.LinAlgError:
            continue
        result[s] = x.sum() if np.all(np.isfinite(x)) else np.nan
    return result


# ---------------------------------------------------------------------- precomputation


def _linear_sums(network: FlowNetwork, flows: np.ndarray, materials: int):
    """The sparse matrix of linear sums (columns named ``(dimension, name)``) and the
    materials given their own reuse share."""
    core = network.core
    arrays = Arrays(network)
    residual = _residual(arrays)  # but a distributor's outputs: its senders generated them
    # the fate of each flow as the reuse accounts count it (a treatment plant's steam used)
    fate = flow_fates(arrays) if core.n_nodes else np.zeros(0, np.int64)
    # a stream into a distributor ends where it passes it on: its shares of the fates at
    # the point values (linear in the stream, the shares held fixed)
    share = np.zeros((core.n_flows, 0))
    positions = np.flatnonzero(residual)
    passed = _passed_on(arrays, positions, arrays.dimension[positions])
    if passed is not None:
        share = np.full((core.n_flows, len(FATES)), np.nan)
        share[positions[passed[0]]] = passed[1]
    counted = _counted_input(arrays)
    secondary = secondary_inputs(network)
    rows, cols, weights, names = [], [], [], []

    def add(mask: np.ndarray, name, fate_index: int | None = None, of=residual) -> None:
        """The flows at ``mask`` summed; with a ``fate_index``, the streams of ``of``
        into distributors too, by their share of that fate."""
        names.append(name)
        picked = np.flatnonzero(mask[flows])
        weight = np.ones(len(picked))
        if fate_index is not None and share.shape[1]:
            split = share[flows, fate_index]
            picked = np.flatnonzero(mask[flows] | (of[flows] & ~np.isnan(split)))
            weight = np.where(np.isnan(split[picked]), 1.0, split[picked])
            kept = weight > 0
            picked, weight = picked[kept], weight[kept]
        rows.append(picked)
        cols.append(np.full(len(picked), len(names) - 1))
        weights.append(weight)

    chosen: list[tuple[str, str]] = []
    for dimension in network.dimensions:
        in_dimension = core.dimension == DIMENSIONS.index(dimension)
        stream = residual & in_dimension
        add(stream, (dimension, "generated"))
        for i, name in enumerate(FATES):
            add(stream & (fate == i), (dimension, name), i, stream)
        add(counted & in_dimension, (dimension, "inputs"))
        add(secondary & in_dimension, (dimension, "secondary_inputs"))
        keys = core.material_key_code[stream]
        generated = np.bincount(keys, core.value[stream], minlength=len(core.material_keys))
        for code in np.argsort(-generated, kind="stable")[:materials]:
            if generated[code] <= 0:
                break
            key = str(core.material_keys[code])
            of_key = stream & (core.material_key_code == code)
            add(of_key, (dimension, f"generated:{key}"))
            reused = FATES.index("reused")
            add(of_key & (fate == reused), (dimension, f"reused:{key}"), reused, of_key)
            chosen.append((dimension, key))
    matrix = sp.csr_matrix(
        (np.concatenate(weights), (np.concatenate(rows), np.concatenate(cols))),
        shape=(len(flows), len(names)),
    )
    return matrix, names, chosen


def _dimension(network: FlowNetwork, flows: np.ndarray, dimension: str) -> _Dimension:
    core = network.core
    in_dimension = (core.dimension == DIMENSIONS.index(dimension))[flows]
    source, target = core.source[flows], core.target[flows]
    n = len(core.actor_nodes)
    to_actor, from_actor = core.target_is_actor[flows], core.source_is_actor[flows]

    def incidence(mask: np.ndarray, nodes: np.ndarray) -> sp.csr_matrix:
        picked = np.flatnonzero(mask)
        return sp.csr_matrix(
            (np.ones(len(picked)), (picked, core.actor_index[nodes[picked]])),
            shape=(len(flows), n),
        )

    internal = np.flatnonzero(in_dimension & to_actor & from_actor)
    a_source = core.actor_index[source[internal]]
    a_target = core.actor_index[target[internal]]
    blocks = [
        np.asarray(b, dtype=np.int64) for b in strong_components(core.matrix(dimension)).cyclic()
    ]
    _, parts = origin_parts(network, dimension)
    large = n > DENSE_ACTORS
    return _Dimension(
        into=incidence(in_dimension & to_actor, target),
        out_of=incidence(in_dimension & from_actor, source),
        internal=internal,
        source=a_source,
        target=a_target,
        blocks=blocks,
        extraction=core.has_role(core.actor_nodes, "extraction"),
        closed=parts[:, 4] > 0,
        plan=Plan.of(blocks, a_source, a_target, n),
        topology=network_condensation(network) if large else None,
    )


def _ratio(numerator: np.ndarray, denominator: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(
            denominator > 0, numerator / np.where(denominator > 0, denominator, 1), np.nan
        )
