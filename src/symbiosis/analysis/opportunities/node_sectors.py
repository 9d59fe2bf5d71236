"""The receiving sectors of the network's nodes: each distinct firm sector text read by the
catalogue's sector vocabulary once per pass (:meth:`SectorVocabulary.memberships`), for
every step that asks which sectors a node belongs to (the pools of receivers, the hazard,
dilute-emission and no-taker filters).

Complexity: one vocabulary scan per distinct sector text (cached on the pass's context),
then O(n) per question for n nodes.
"""

from __future__ import annotations

import numpy as np

from .receivers import Context

__all__ = ["nodes_of_sectors", "text_memberships", "text_sector_sets"]


def text_memberships(ctx: Context) -> list[dict[str, frozenset[str] | None]]:
    """Per distinct sector text of the nodes (``core.sectors``; a missing text read as
    empty), its memberships (:meth:`symbiosis.catalogue.SectorVocabulary.memberships`).
    Cached on the context: the candidate stages' lanes may ask at once, and each computes
    the same list."""
    cache = ctx.__dict__
    if "_text_memberships" not in cache:
        vocabulary = ctx.catalogue.sectors
        texts = [t if isinstance(t, str) else "" for t in ctx.core.sectors]
        cache["_text_memberships"] = [vocabulary.memberships(text) for text in texts]
    return cache["_text_memberships"]


def text_sector_sets(ctx: Context) -> list[frozenset[str]]:
    """Per distinct sector text of the nodes, the set of vocabulary sectors it names (the
    keys of :func:`text_memberships`): what two actors of one kind of plant share. O(texts)."""
    return [frozenset(m) for m in text_memberships(ctx)]


def nodes_of_sectors(ctx: Context, sectors: frozenset[str]) -> np.ndarray:
    """Per node, whether its sector text names one of ``sectors`` (as a receiving sector
    is matched: :meth:`~symbiosis.catalogue.SectorVocabulary.sectors_of`). O(n)."""
    member = np.array([not sectors.isdisjoint(m) for m in text_memberships(ctx)], dtype=bool)
    return np.append(member, False)[ctx.core.sector_code]
