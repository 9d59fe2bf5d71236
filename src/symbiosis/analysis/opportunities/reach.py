"""Transport reach: no receiver farther than its stream's material can travel.

Each stream's *limit* is the smaller of the user's ``max_distance_km`` and its material's
reach (:mod:`symbiosis.catalogue.reach`: steam 10 km, hot water and waste heat 110 km,
treated effluent and wastewater 40 km; solids and the materials no row names have none).
:func:`.receivers.choose` drops a receiver farther than the limit in every path that
proposes an existing actor (the sector receivers, the redirects, the network's evidence);
pairs without coordinates are kept, as with ``max_distance_km`` alone. A receiver dropped
for the reach alone (within ``max_distance_km``) is recorded, so that a stream left with
no existing receiver says so (:func:`beyond_note`) rather than vanish.

Complexity: the reach of each distinct material key is looked up once (the taxonomy's
resolution is cached on the core), then gathered per stream: O(k + s). Each choice
compares its pairs with their stream's limit, O(pairs), as ``max_distance_km`` did.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from ...catalogue.reach import Reach, default_reach, load_reach
from ...errors import InputError

__all__ = ["beyond_note", "limits", "reach_of", "reach_parameter", "record_beyond"]

#: The least taxonomy score at which a stream's material counts as its taxonomy material
#: for its reach: the whole name, its qualifiers removed or its head noun ("LP steam
#: header" is steam), not a word contained anywhere ("steam coal" is no steam).
_SCORE = 0.8
_LISTED = 5  # materials named in the note, the others counted


def reach_of(reach: Any) -> Reach | None:
    """The reach table a ``reach`` argument asks for: the shipped one for True, none for
    False or None, the shipped one with a file's rows added for a path, a
    :class:`~symbiosis.catalogue.reach.Reach` itself (:func:`~symbiosis.catalogue.reach.
    load_reach` with ``replace=True`` for a file's rows alone)."""
    if reach is True:
        return default_reach()
    if reach is False or reach is None:
        return None
    if isinstance(reach, str | Path):
        return load_reach(reach)
    if isinstance(reach, Reach):
        return reach
    raise InputError(
        f"reach must be True (the shipped table), False (no reach), a reach file's path or "
        f"symbiosis.catalogue.reach.load_reach(...) (got {type(reach).__name__})"
    )


def reach_parameter(reach: Reach | None) -> dict[str, float] | None:
    """What the result's parameters say of the reach used: km per capped material, in
    table order; None when no reach was used."""
    return None if reach is None else reach.capped()


def _key_reach(ctx) -> np.ndarray:
    """Per material key code of the core, its reach (``inf``: none): the row of the key
    itself, else of its taxonomy material, else of its family (:meth:`Reach.of`)."""
    from .materials import taxonomy_classes

    classes = taxonomy_classes(ctx)
    score, matches = classes[2], classes[4]
    reach = ctx.reach
    km = np.full(len(ctx.core.material_keys), np.inf)
    for code, key in enumerate(ctx.core.material_keys):  # distinct materials: a few hundred
        match = matches[code] if score[code] >= _SCORE else None
        km[code] = reach.of(str(key), *((match.material, match.family) if match else ()))
    return km


def limits(ctx) -> tuple[np.ndarray, np.ndarray] | None:
    """Per stream, its limit (the smaller of ``max_distance_km`` and its material's
    reach) and its material's reach alone (``inf``: none); None when nothing limits any
    stream (no reach, no ``max_distance_km``). O(k + s)."""
    key_code = ctx.streams.key_code
    if ctx.reach is None:
        if ctx.max_distance_km is None:
            return None
        return np.full(len(key_code), float(ctx.max_distance_km)), np.full(len(key_code), np.inf)
    reach = np.append(_key_reach(ctx), np.inf)[key_code]  # key -1 (none): the last, inf
    if ctx.max_distance_km is None:
        return reach, reach
    return np.minimum(reach, float(ctx.max_distance_km)), reach


def record_beyond(ctx, ids: np.ndarray, dropped: np.ndarray, distance: np.ndarray) -> None:
    """Record the streams ``ids`` (a row each of ``dropped``, the pairs their limit
    dropped, and ``distance``) that lost a receiver to their material's reach alone
    (nearer than ``max_distance_km``), with the nearest such receiver's distance, in
    ``ctx.beyond`` (a list: appended from either lane). O(pairs)."""
    reach = ctx.limits[1][ids]
    rows = np.flatnonzero((reach < np.inf) & dropped.any(axis=1))
    if not len(rows):
        return
    far = dropped[rows] & (distance[rows] > reach[rows, None])
    if ctx.max_distance_km is not None:
        far &= ~(distance[rows] > ctx.max_distance_km)
    nearest = np.where(far, distance[rows], np.inf).min(axis=1)
    found = nearest < np.inf
    if found.any():
        ctx.beyond.append((ids[rows[found]], nearest[found]))


def beyond_note(ctx, candidates, fates) -> str | None:
    """A warning naming the materials of the streams (among ``fates``, all when None)
    that had receivers beyond their reach and are left with no existing receiver (a new
    plant may still be proposed): the number of streams, the reach and the nearest
    receiver dropped, per material. None when there are none. O(r log r) for r records."""
    if not ctx.beyond:
        return None
    from .tables import within_fates

    ids = np.concatenate([b[0] for b in ctx.beyond])
    km = np.concatenate([b[1] for b in ctx.beyond])
    streams = ctx.streams
    served = np.zeros(len(streams), dtype=bool)
    served[candidates.stream[candidates.receiver >= 0]] = True
    left = np.zeros(len(streams), dtype=bool)
    left[ids] = True
    left &= ~served & within_fates(streams, fates)
    if not left.any():
        return None
    nearest = np.full(len(streams), np.inf)
    np.minimum.at(nearest, ids, km)
    at = np.flatnonzero(left)
    keys = np.asarray(streams.key, dtype=object)[at]
    parts = []
    for key in dict.fromkeys(keys.tolist()):  # distinct materials, in stream order
        mine = at[keys == key]
        first = mine[0]
        parts.append((-len(mine), f"{streams.material[first]} ({len(mine)} "
                      f"stream{'s' if len(mine) > 1 else ''}, reach "
                      f"{ctx.limits[1][first]:g} km; the nearest receiver "
                      f"{nearest[mine].min():.0f} km away)"))  # fmt: skip
    parts.sort(key=lambda p: p[0])  # the most streams first (stable: then stream order)
    named = "; ".join(p[1] for p in parts[:_LISTED])
    more = f"; and {len(parts) - _LISTED} more materials" if len(parts) > _LISTED else ""
    return (
        f"transport reach: {len(at)} stream{'s' if len(at) > 1 else ''} had receivers only "
        f"beyond their material's reach, not proposed: {named}{more} (the reach table: "
        f"docs/opportunities.md, Transport reach; reach=False or --no-reach proposes them, "
        f"a reach file with --reach sets other distances)"
    )
