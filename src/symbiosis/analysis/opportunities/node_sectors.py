"""The receiving sectors of the network's nodes: each distinct firm sector text read by the
catalogue's sector vocabulary once per pass (:meth:`SectorVocabulary.memberships`), for
every step that asks which sectors a node belongs to (the pools of receivers, the hazard,
dilute-emission and no-taker filters).

A text that names a sector only by a generic term alone (``chemicals``, ``mining``,
``fertilizer plant``: a family, no process) is read with the firm's name: the terms of the
name that say which process of the sector the firm runs
(:meth:`SectorVocabulary.processes_named`: a specific term, a term of a sector in its
``narrowed_by``, or another term of the sector) are read as if the text had said them.
The DME plant of Ordos, filed under ``chemicals`` and named "Ordos dimethyl ether plant",
is read ``chemicals ; dimethyl ether``: a chemical plant for the rows that name dimethyl
ether (and the utility rows), no longer a taker of coal tar, crude benzol, fly ash for
alumina, CO2 and coke oven gas. Tongling's "building-materials makers (aerated blocks,
bricks, ...)" are block and brick makers. A name is read so too when it holds a *part*
term of a sector the text names (:meth:`SectorVocabulary.parts_named`: a plant of part of
the sector's process): TEDA's "水泥粉磨站 (cement grinding plant)", filed under ``cement``,
is a grinding station, which takes slag, ash, gypsum and clinker but no kiln fuel (it had
been proposed the city's refuse for kiln co-processing). So a node's *reading* is its
sector text, or that text with the terms its name adds; nodes of one reading share their sectors. A
reading that still names a sector by its family only (:func:`reading_families`) says
nothing of the process: its actors do not stand in for a new plant
(:func:`.pools.unnamed_process`).

Complexity: one vocabulary scan per distinct sector text (cached on the pass's context);
for the nodes of the few texts that name a family only, one search of their names, joined,
for the first words of the process terms (:func:`_may_name`: 1 ms for the 5,800 names of
the million-flow benchmark's fertilizer plants), and for a word of each part term of the
texts naming a sector that has some (:meth:`SectorVocabulary.part_markers`: ``grinding``,
not ``cement``, so that the 9,500 cement works' names are searched, not scanned), and one
scan of each name that holds one;
then O(n) per question for n nodes.
"""

from __future__ import annotations

import numpy as np

from ..._hanzi import simplified_characters
from .receivers import Context

__all__ = [
    "node_readings",
    "nodes_of_sectors",
    "reading_families",
    "reading_texts",
    "text_memberships",
    "text_sector_sets",
]


def _readings(ctx: Context) -> tuple[list, list, list[int], np.ndarray]:
    """Per reading, its memberships, its family-only sectors
    (:meth:`~symbiosis.catalogue.SectorVocabulary.read`) and the code of its sector text
    (``core.sectors``); per node, the code of its reading (-1: no sector text). The first
    readings are the texts themselves, in their order. Cached on the context: the
    candidate stages' lanes may ask at once, and each computes the same."""
    cache = ctx.__dict__
    if "_sector_readings" not in cache:
        vocabulary, core = ctx.catalogue.sectors, ctx.core
        texts = [t if isinstance(t, str) else "" for t in core.sectors]
        reads = [vocabulary.read(text) for text in texts]
        memberships = [read for read, _ in reads]
        families = [family for _, family in reads]
        sources = list(range(len(texts)))
        code = core.sector_code.astype(np.int64)
        added: dict[tuple[int, tuple[str, ...]], int] = {}
        for text_code, (read, family) in enumerate(reads):
            parted = frozenset(s for s in read if s in vocabulary.parts)
            if not family and not parted:
                continue
            nodes = np.flatnonzero(code == text_code)
            may = np.zeros(len(nodes), dtype=bool)
            if family:
                may |= _may_name(core.names[nodes], vocabulary.process_terms(family))
            if parted:
                may |= _may_name(core.names[nodes], vocabulary.part_markers(parted), whole=True)
            for node in nodes[may].tolist():  # the few names that hold a word of such a term
                name = core.names[node]
                terms = (vocabulary.processes_named(name, family)
                         + vocabulary.parts_named(name, parted))  # fmt: skip
                if not terms:
                    continue
                key = (text_code, terms)
                if key not in added:
                    added[key] = len(memberships)
                    read, left = vocabulary.read(" ; ".join([texts[text_code], *terms]))
                    memberships.append(read)
                    families.append(left)
                    sources.append(text_code)
                code[node] = added[key]
        cache["_sector_readings"] = (memberships, families, sources, code)
    return cache["_sector_readings"]


def _may_name(names: np.ndarray, terms: frozenset[str], whole: bool = False) -> np.ndarray:
    """Per name, whether it holds the first word of one of ``terms`` (in the form of
    :func:`~symbiosis.catalogue.sectors.sector_terms`; a final ``y`` dropped, as in a
    plural ``-ies``), or with ``whole`` one of ``terms`` themselves, single words: a
    necessary condition for the name to hold the term. The names are joined once and each
    word found by :meth:`str.find` (a pass over their characters per word, no Python loop
    over names): 1 ms for 5,800 names, where a regular expression per name took 11 to 17.
    O(characters x words)."""
    firsts = set(terms) if whole else {t.split(" ")[0] for t in terms}
    firsts = {w[:-1] if w.endswith("y") and len(w) > 3 else w for w in firsts}
    firsts |= {w.replace("sulf", "sulph") for w in firsts if "sulf" in w}
    found = np.zeros(len(names), dtype=bool)
    if not firsts or not len(names):
        return found
    # in the terms' form: Han characters simplified (a name in traditional characters)
    strings = [simplified_characters(n).lower() if isinstance(n, str) else ""
               for n in names.tolist()]  # fmt: skip
    joined = "\n".join(strings)
    ends = np.cumsum([len(n) + 1 for n in strings])  # past each name's "\n"
    hits = []
    for word in firsts:
        at = joined.find(word)
        while at >= 0:
            hits.append(at)
            at = joined.find(word, at + 1)
    found[np.searchsorted(ends, np.array(hits, dtype=np.int64), side="right")] = True
    return found


def text_memberships(ctx: Context) -> list[dict[str, frozenset[str] | None]]:
    """Per reading of the nodes (:func:`node_readings`), its memberships
    (:meth:`symbiosis.catalogue.SectorVocabulary.memberships`)."""
    return _readings(ctx)[0]


def reading_families(ctx: Context) -> list[frozenset[str]]:
    """Per reading, the sectors it makes a full member of by a generic term alone only
    (a family, no process named: ``chemicals``, ``fertilizer plant``)."""
    return _readings(ctx)[1]


def reading_texts(ctx: Context) -> list[int]:
    """Per reading, the code of its sector text in ``core.sectors``."""
    return _readings(ctx)[2]


def node_readings(ctx: Context) -> np.ndarray:
    """Per node, the code of its reading (-1: no sector text): its sector text's code in
    ``core.sectors``, or past them, the code of that text read with the terms of its name
    that narrow it (module docstring)."""
    return _readings(ctx)[3]


def text_sector_sets(ctx: Context) -> list[frozenset[str]]:
    """Per reading of the nodes, the set of vocabulary sectors it names (the keys of
    :func:`text_memberships`): what two actors of one kind of plant share. O(readings)."""
    return [frozenset(m) for m in text_memberships(ctx)]


def nodes_of_sectors(ctx: Context, sectors: frozenset[str]) -> np.ndarray:
    """Per node, whether its reading names one of ``sectors`` (as a receiving sector
    is matched: :meth:`~symbiosis.catalogue.SectorVocabulary.sectors_of`). O(n)."""
    member = np.array([not sectors.isdisjoint(m) for m in text_memberships(ctx)], dtype=bool)
    return np.append(member, False)[node_readings(ctx)]
