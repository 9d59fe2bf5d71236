"""In-house reuse: a disposed stream proposed back into its own source's process.

A kraft mill that landfills lime mud runs the lime kiln that re-burns it
(``lime-mud-reburning``); an integrated steelworks that dumps its iron-bearing dust runs
the sinter plant that takes it (``steel-dust-sinter``); a plasterboard maker recycles its
offcuts on its own line (``plasterboard-recycling``). No other firm is needed: the
opportunity, of kind ``in_house``, proposes the stream to its own source, at distance 0.
It is proposed for a pair (stream, catalogue row) when:

- the stream is *disposed* (to a disposal node: what a residue sold raw, emitted or sent
  to treatment becomes is another question);
- the source runs the row's process: it is an actor of the row's receiving sector that the
  row admits, a member by more than a family name, no collector (role ``recycling``:
  shipping what it collects is its trade), :func:`.pools.runs_process`;
- and either the row's ``role`` is a minor input (an additive, a fuel or a utility:
  :data:`.receivers.MINOR_ROLES`), which goes into a plant of that sector, which the
  source is; or the source already takes the stream's material, or one the row says the
  stream replaces (:func:`takes_back`): a feedstock row's plant may be one process among
  several of a broad sector (a TiO2 pigment plant, of sector ``pigments``, makes no
  iron-oxide pigment of its copperas, and is proposed a new plant beside it instead).

Such a candidate is sized as any actor's (:mod:`.capacity`: what the source's process can
take: its purchases of what the stream replaces, its intake of the stream's family, the
row's share of its throughput, a demand row), ranked first among its stream's
alternatives (:mod:`.ranking`), and its edits move the part proposed from the disposal
node back to the source (a ``[[redirect]]`` with ``in_house = true``): reused internally
in the reuse accounts, the disposal avoided. The rules of another actor's surplus do not
apply to it (:mod:`.takers`: the source disposes of the stream by definition, and a
stream "sent back" to its source is no swap). A firm's own stream is never proposed to
it any other way.

Complexity: O(p) for the p (stream, row) pairs whose source is of the row's pool (a few
look-ups each), inside the sector stage (:func:`.candidates.sector_candidates`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from .result import FATES, KINDS

if TYPE_CHECKING:
    from .candidates import Candidates, Pairs
    from .receivers import Context

__all__ = ["IN_HOUSE", "in_house_mask", "in_house_rows", "takes_back"]

#: The kind code of an in-house opportunity (:data:`.result.KINDS`).
IN_HOUSE = np.int8(KINDS.index("in_house"))
_DISPOSED = FATES.index("disposed")


def takes_back(ctx: Context, rows: np.ndarray, pairs: Pairs) -> np.ndarray:
    """Per pair of ``rows`` (whose stream's source is a member of the row's receiving
    sector that names its process: :func:`.pools.runs_process`), whether the source runs
    the row's process: it already takes the stream's material, or one the row says the
    stream replaces (its ``substitutes``: natural gypsum for plasterboard waste). Its own
    stream could then go back into its process, in-house: no new plant of its sector is
    proposed beside it. A member that takes none of them (a TiO2 pigment plant, of sector
    ``pigments``, for the iron-oxide pigments made of its copperas) may run another
    process of the sector, and keeps the new plant. O(p) for p (row, substitute) pairs."""
    stream, path = pairs.stream[rows], pairs.pathway[rows]
    source = ctx.streams.source_position[stream]
    found = ctx.takes(source, ctx.streams.key_code[stream])
    count = ctx.substitute_count[path]
    each = np.repeat(np.arange(len(rows)), count)
    start = np.repeat(ctx.substitute_start[path] - (np.cumsum(count) - count), count)
    substitute = ctx.substitute_code[start + np.arange(len(each))]
    known = substitute >= 0
    takes = ctx.takes(source[each[known]], substitute[known])
    found[each[known][takes]] = True
    return found


def in_house_rows(ctx: Context, rows: np.ndarray, pairs: Pairs, runs: np.ndarray) -> np.ndarray:
    """The pairs of ``rows`` (positions into ``pairs``, of one pool) proposed in-house
    (module docstring); ``runs``: per row, whether its stream's source runs the row's
    process (:func:`.pools.runs_process`). O(r) for r rows."""
    rows = rows[runs]
    rows = rows[ctx.streams.fate_code[pairs.stream[rows]] == _DISPOSED]
    if not len(rows):
        return rows
    minor = ctx.minor_role[pairs.pathway[rows]]
    if not minor.all():
        open_ = np.flatnonzero(~minor)
        minor[open_] = takes_back(ctx, rows[open_], pairs)
    return rows[minor]


def in_house_mask(candidates: Candidates) -> np.ndarray:
    """Per candidate, whether it is an in-house one (kind ``in_house``). O(c)."""
    return candidates.kind == IN_HOUSE
