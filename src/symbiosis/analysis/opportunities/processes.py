"""Proposed plants: one per process, named once per run, never built for a minor input.

A *process* is what a proposed plant would do: the catalogue rows of one receiving sector
that make the same ``product`` (its words, case and spacing aside; a row without a
product is a process of its own). A new chemicals plant making alumina from fly ash and
one making urea from CO2 are two plants, each with its own feed, typical intake and id:
before processes, every new plant of a sector was one plant, and Shuozhou's fly-ash
alumina was hidden in a "chemicals" plant fed 14.5 Mt of power-plant CO2, 1.4 Mt of fly
ash, 20 Mm3 of effluent and 3 kt of SO2.

A row whose ``role`` is ``additive``, ``fuel`` or ``utility`` proposes existing receivers
only: nobody builds a refinery, a steelworks or a cement kiln to use treated effluent,
steam or an iron corrective (:data:`.receivers.MINOR_ROLES`; such new-plant candidates
are never made: :func:`.candidates.sector_candidates`).
"""

from __future__ import annotations

import hashlib

import numpy as np

from .candidates import Candidates
from .receivers import MINOR_ROLES, Context, own_words

__all__ = [
    "MINOR_ROLES",
    "name_plants",
    "plant_codes",
    "plant_ids",
    "plant_of",
]

#: The roles of a stream that a plant is not built for (the catalogue's ``role``).
_PLANT_NAME_LENGTH = 48


def plant_codes(ctx: Context) -> np.ndarray:
    """Per catalogue row, the code of its process (0, 1, ... in catalogue order of the
    processes' first rows): one per receiving sector and product. Cached on the
    context, O(rows)."""
    cache = ctx.__dict__
    if "_plant_codes" not in cache:
        pathways = ctx.catalogue.pathways
        index: dict[tuple[int, str], int] = {}
        codes = []
        for sector, product, row in zip(ctx.path_sector.tolist(), pathways["product"],
                                        pathways["id"], strict=True):  # fmt: skip
            words = " ".join(str(product).lower().split()) or f"#{row}"
            codes.append(index.setdefault((sector, words), len(index)))
        cache["_plant_codes"] = np.array(codes, dtype=np.int64)
    return cache["_plant_codes"]


def plant_of(ctx: Context, candidates: Candidates, rows: np.ndarray | None = None) -> np.ndarray:
    """The process code of each new-plant candidate (at ``rows``, or every one); -1 for
    a candidate of no catalogue row. O(r)."""
    path = candidates.pathway if rows is None else candidates.pathway[rows]
    return np.where(path >= 0, plant_codes(ctx)[np.maximum(path, 0)], -1)


def name_plants(ctx: Context, candidates: Candidates) -> None:
    """Give every process an id once per run (:func:`plant_ids`), from the candidates:
    the new plant of a sector is ``NEW_<SECTOR>`` when the candidates propose one process
    of that sector, else each is ``NEW_<ROW>``, after the id of its first catalogue row
    (``NEW_FLY_ASH_ALUMINA``, ``NEW_CO2_CHEMICALS``). The same whatever is listed, since
    every candidate is read; O(c + rows)."""
    proposed = np.unique(plant_of(ctx, candidates, np.flatnonzero(candidates.receiver < 0)))
    ctx.__dict__["_plant_ids"] = _ids(ctx, proposed[proposed >= 0])


def plant_ids(ctx: Context) -> np.ndarray:
    """The id of the proposed plant of each process (indexed by process code): as
    :func:`name_plants` gave them, or, before, as if every process were proposed. An
    id already taken (by a node of the network, or by an earlier process) gets ``_2``,
    ``_3``...: unique. ``NEW_SECTOR_`` and six hex digits of a hash of the name when it
    has no letter or digit."""
    cache = ctx.__dict__
    if "_plant_ids" not in cache:
        cache["_plant_ids"] = _ids(ctx, np.unique(plant_codes(ctx)))
    return cache["_plant_ids"]


def _ids(ctx: Context, proposed: np.ndarray) -> np.ndarray:
    """The ids of the ``proposed`` processes (:func:`plant_ids`), in catalogue order of
    their first rows, which decide which sectors name their plants by process; ``""``
    for the others (no candidate names them)."""
    codes = plant_codes(ctx)
    _, first = np.unique(codes, return_index=True)  # codes number processes 0, 1, ...
    pathways = ctx.catalogue.pathways
    sector_of = ctx.path_sector[first]
    shared = np.bincount(sector_of[proposed], minlength=len(ctx.sectors)) > 1
    ids = np.full(len(first), "", dtype=object)
    taken = _plant_like(ctx.network.firms.index)
    for code in np.sort(proposed).tolist():
        row = int(first[code])
        text = pathways["id"].iat[row] if shared[sector_of[code]] else None
        base = _plant_base(str(text or pathways["receiving_sector"].iat[row]))
        plant, n = base, 2
        while plant in taken:
            plant, n = f"{base}_{n}", n + 1
        taken.add(plant)
        ids[code] = plant
    return ids


def _plant_like(ids) -> set:
    """The firm ids a plant id could clash with (those starting with ``NEW_``): one
    vectorised scan, not a hash table of every id (0.08 s for 333k firms)."""
    try:
        return set(ids[ids.str.startswith("NEW_", na=False)])
    except (AttributeError, TypeError):  # ids that are not all strings
        return {i for i in ids if isinstance(i, str) and i.startswith("NEW_")}


def _plant_base(name: str) -> str:
    """``NEW_`` and the name's words in capitals (any script), or a hash of it."""
    text = "_".join(own_words(name).upper().split())[:_PLANT_NAME_LENGTH].rstrip("_")
    if not text:
        digest = hashlib.blake2b(name.encode("utf-8", "surrogatepass"), digest_size=3)
        text = f"SECTOR_{digest.hexdigest().upper()}"
    return f"NEW_{text}"
