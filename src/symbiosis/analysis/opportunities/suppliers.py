"""Suppliers: a stream is never proposed to an actor that supplies its source with it.

An actor that delivers a material to the stream's source (a flow of the same material
class, :func:`.materials.material_class`: its taxonomy material when the name resolves
whole or without qualifiers, else its material key) is no taker of that source's own
residue of it: what the source has left over replaces what it buys (an in-house use), it
does not travel back up the chain to be delivered again. On the tester's Rotterdam the
greenhouses' boiler exhaust had been proposed to OCAP, the pipeline that supplies the
greenhouses with CO2 (tester-oilports13 defect 3). A catalogue row whose receiving
sector holds the supplier (:func:`.pools.in_row_pools`: a catalyst maker's reclaiming
line, an acid plant regenerating the spent acid it sold) still proposes it: the row says
that the supplier's process converts the residue.

Complexity: O(s + f) to index the (source, class) pairs that some actor supplies (a
hash table of the streams' codes, the flows into their sources looked up in it), O(c)
for c candidates (a gather, then a hash lookup of the few whose source is so supplied).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..._sorting import unique
from .candidates import Candidates
from .materials import material_class
from .pools import in_row_pools
from .receivers import Context

__all__ = ["supplied_back"]


def supplied_back(ctx: Context, candidates: Candidates) -> np.ndarray:
    """Per candidate, whether its receiver supplies the stream's source with a material of
    the stream's class (a flow of it, of a size not 0) and no catalogue row of the
    candidate names the receiver's process (module docstring). O(c) after the index."""
    found = np.zeros(len(candidates), dtype=bool)
    supplied, pairs = _supplied(ctx)
    if pairs is None:
        return found
    rows = np.flatnonzero(supplied[candidates.stream] & (candidates.receiver >= 0))
    if not len(rows):
        return found
    code = candidates.stream[rows].astype(np.int64) * (ctx.core.n_nodes + 1)
    rows = rows[pairs.get_indexer(code + candidates.receiver[rows]) >= 0]
    if len(rows):
        found[rows] = ~in_row_pools(ctx, candidates.pathway[rows], candidates.receiver[rows])
    return found


def _supplied(ctx: Context) -> tuple[np.ndarray, pd.Index | None]:
    """Per stream, whether an actor supplies its source with its class; and the (stream,
    supplier) codes, ``stream * (n_nodes + 1) + supplier`` (None: no such stream).
    Cached on the context."""
    cache = ctx.__dict__
    if "_supplied_back" not in cache:
        streams, core = ctx.streams, ctx.core
        klass = material_class(ctx)
        width = np.int64(len(klass) + 1)
        known = np.flatnonzero(streams.key_code >= 0)
        wanted = streams.source_position[known].astype(np.int64) * width
        wanted += klass[streams.key_code[known]]
        into = core.source_is_actor & ctx.taken  # a link of nothing supplies nothing
        flows = np.flatnonzero(into)
        code = core.target[flows] * width + klass[core.material_key_code[flows]]
        hit = pd.Index(unique(wanted)).get_indexer(code) >= 0  # into a stream's source
        flows, code = flows[hit], code[hit]
        supplied = np.zeros(len(streams.key_code), dtype=bool)
        pairs = None
        if len(flows):
            offered = pd.DataFrame({"code": wanted, "stream": known})
            given = pd.DataFrame({"code": code, "supplier": core.source[flows]})
            met = offered.merge(given, on="code")
            supplied[met["stream"].to_numpy()] = True
            pairs = pd.Index(unique(met["stream"].to_numpy(np.int64) * (core.n_nodes + 1)
                                    + met["supplier"].to_numpy(np.int64)))  # fmt: skip
        cache["_supplied_back"] = (supplied, pairs)
    return cache["_supplied_back"]
