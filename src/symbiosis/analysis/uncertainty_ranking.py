"""The opportunity ranking under uncertain data: how often each proposal stays in the top N,
and the spread of what it would move, for :mod:`symbiosis.analysis.uncertainty`.

The opportunity engine (:mod:`symbiosis.analysis.opportunities`) runs once, on the
recorded values. Each listed opportunity moves part of one stream (the flows from its
source to its stream's target of its material). In a sample, the quantity it moves is
``min(stream, bound)``: the stream's sampled size, bounded by what the receiver could take
when the recorded proposal was bounded (a capacity, a demand, the primary input it
replaces); the bound is held at its recorded value (an approximation: a bound set by a
primary input flow does not follow that flow's draws). Its impact on the reuse share of
its dimension is ``quantity / generated`` (the residuals generated in that sample):
moving ``q`` of a stream to a reuse changes the reused sum by ``q`` (the engine's own
impact model).

Ranking: within each group of the listing (disposed, sold, downstream) and dimension
(tonnes are never ranked against gigajoules), the distinct streams are ranked by the
quantity their proposal moves; an opportunity is *in the top N* in a sample when its
stream is among the N largest. ``top_share`` is the share of samples where it is.

Complexity: O(samples x opportunities x log) for the ranks; mapping opportunities to
flows is O(flows).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..model import FlowNetwork

__all__ = ["OpportunityStreams", "rank_opportunities"]

_COLUMNS = ("material", "dimension", "quantity")


@dataclass(eq=False)
class OpportunityStreams:
    """The listed opportunities as streams of the Monte Carlo's flow columns."""

    table: pd.DataFrame
    """One row per opportunity: ``group``, ``rank``, ``kind``, ``source``, ``target``,
    ``material``, ``dimension``, ``quantity`` (recorded)."""
    columns: list[np.ndarray]
    """Per opportunity, its stream's columns among the sampled flows."""
    bound: np.ndarray
    """Per opportunity, the receiver's bound (inf when the whole stream moves)."""

    @classmethod
    def of(cls, network: FlowNetwork, opportunities, flows: np.ndarray) -> OpportunityStreams:
        """Map each listed opportunity of a known size to its stream's columns among
        ``flows`` (positions in ``network.flows``). O(flows + opportunities): one pass
        over the sources, then the streams grouped among the flows of the listed
        opportunities' sources only (grouping every flow by its three texts took 3.4 s
        at a million flows, for 30 opportunities)."""
        table = network.flows
        column_of = np.full(len(table), -1, dtype=np.int64)
        column_of[flows] = np.arange(len(flows))
        groups = _streams_of(table, [o.source for o in opportunities])
        rows, columns, bound = [], [], []
        for o in opportunities:
            if o.quantity is None or o.stream_quantity is None or o.dimension is None:
                continue
            positions = groups.get((o.source, o.stream_target, o.material))
            if positions is None:
                continue
            if o.flow_row is not None:
                positions = positions[table["row"].to_numpy()[positions] == o.flow_row]
            picked = column_of[positions]
            if not len(picked) or np.any(picked < 0):
                continue
            rows.append(_describe(o))
            columns.append(picked)
            whole = o.quantity >= o.stream_quantity * (1 - 1e-12)
            bound.append(np.inf if whole else float(o.quantity))
        frame = pd.DataFrame(
            rows,
            columns=[*("group", "rank", "kind", "source", "target"), *_COLUMNS],
        )
        return cls(table=frame, columns=columns, bound=np.array(bound, dtype=float))

    def __len__(self) -> int:
        return len(self.columns)

    def quantities(self, values: np.ndarray) -> np.ndarray:
        """What each opportunity moves in each sample: ``(samples, opportunities)``.
        O(samples x stream flows)."""
        out = np.empty((len(values), len(self)))
        for k, columns in enumerate(self.columns):
            out[:, k] = np.minimum(values[:, columns].sum(axis=1), self.bound[k])
        return out


def _streams_of(table: pd.DataFrame, sources: list[str]) -> dict[tuple, np.ndarray]:
    """The positions (ascending) of the flows of each (source, target, material), as
    texts, for the flows sent by ``sources``. O(flows) for the sources' flows, then
    O(their flows)."""
    near = np.flatnonzero(table["source"].isin(list(dict.fromkeys(sources))).to_numpy(dtype=bool))
    taken = table.iloc[near]
    key = pd.MultiIndex.from_arrays(
        [taken["source"].astype(str), taken["target"].astype(str), taken["material"]]
    )
    groups = pd.Series(np.arange(len(taken))).groupby(key.to_flat_index()).indices
    return {stream: near[at] for stream, at in groups.items()}


def _describe(o) -> list:
    return [o.group, o.rank, o.kind, o.source, o.target, o.material, o.dimension, o.quantity]


def rank_opportunities(
    streams: OpportunityStreams,
    quantities: np.ndarray,
    generated: dict[str, np.ndarray],
    top: int,
    percentiles: tuple[float, ...],
) -> pd.DataFrame:
    """The opportunity table with, per opportunity: ``top_share`` (share of samples in
    the top ``top`` of its group and dimension), the mean and percentiles of its
    ``quantity`` and of its ``reuse_share_gain`` (quantity / generated in its dimension).
    O(samples x opportunities log opportunities)."""
    table = streams.table.copy()
    if not len(table):
        return table
    stream_of = pd.factorize(pd.Series([tuple(c.tolist()) for c in streams.columns]).astype(str))[0]
    in_top = np.zeros(quantities.shape, dtype=bool)
    for _, rows in table.groupby(["group", "dimension"]).indices.items():
        streams_here, first = np.unique(stream_of[rows], return_index=True)
        sizes = quantities[:, rows[first]]  # one column per distinct stream
        order = np.argsort(-sizes, axis=1, kind="stable")
        rank = np.empty_like(order)
        np.put_along_axis(rank, order, np.arange(len(streams_here))[None, :], axis=1)
        position = np.searchsorted(streams_here, stream_of[rows])
        in_top[:, rows] = rank[:, position] < top
    table["top_share"] = in_top.mean(axis=0)
    # a product processed downstream is no residual: it changes no reuse share
    residual = (table["group"] != "downstream").to_numpy()
    gain = np.column_stack(
        [
            quantities[:, k] / np.where(generated[d] > 0, generated[d], np.nan)
            if residual[k]
            else np.full(len(quantities), np.nan)
            for k, d in enumerate(table["dimension"])
        ]
    )
    for name, sampled in (("quantity", quantities), ("reuse_share_gain", gain)):
        table[f"{name}_mean"] = np.nanmean(sampled, axis=0)
        for p, values in zip(
            percentiles, np.nanpercentile(sampled, percentiles, axis=0), strict=True
        ):
            table[f"{name}_p{p:g}"] = values
    return table
