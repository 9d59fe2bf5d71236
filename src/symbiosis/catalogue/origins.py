"""Which member of a generic material a source's process makes: a plain ``slag`` from a
blast furnace is blast furnace slag, from a copper smelter copper slag; a plain ``ash`` from
a coal-fired plant fly ash, from a biomass boiler biomass ash.

Every slag of the taxonomy is one process's, so a stream named only ``slag`` (``slags``,
``furnace slag``, 渣, 冶炼渣, スラグ, 슬래그) meets none of their catalogue rows by its
name; real data writes it so for a steel works' or a smelter's slag all the same. The
table ``origins.csv`` (package data) says, per member material, the terms of a firm's
``sector`` text that name the process making it: column ``refines`` lists the generic
materials it refines (``slag``; ``ferroalloy slag`` too for the ferroalloy slags), column
``terms`` the terms (English, Chinese, Japanese, Korean; ``;``-separated), column
``alone`` terms that count only alone in their clause (``steel``, not ``steel pipe``),
column ``notes`` why, column ``ships`` the materials (names, ``;``-separated) whose shipment
tells the process where the sector text does not: a concentrator filed under ``ore
dressing`` that ships a rare-earth concentrate leaves rare earth tailings.

A row may refine a member of a family, not only its generic material: ``fly ash`` and
``bottom ash`` are coal's by the taxonomy, and a pulp mill's or a biomass boiler's is
biomass ash, a waste incinerator's fly ash MSWI fly ash; ``tailing`` is any mine's, and a
rare-earth concentrator's is rare earth tailings (the analysis reads such a member only
when the name says no more than it: :mod:`symbiosis.analysis.opportunities.origins`).

The terms are found as the catalogue's receiving sectors are
(:class:`~symbiosis.catalogue.sectors.SectorVocabulary`): whole words, Chinese character by
character, the longest term at each word (``nickel pig iron`` is no ``pig iron``), never
inside a longer term, after a feedstock's ``from``, nor qualifying a material noun
(``steel slag processing`` is no steel works). A term of two members names both: an
integrated works (``iron and steel``, 钢铁, 製鉄所) makes both blast furnace and steel slag,
a ``copper and nickel smelter`` both copper and nickel slag. A family's generic material
named beside a member of its family yields to it (``ferroalloy; ferrosilicon`` is
ferrosilicon slag).

Complexity: the vocabularies are built once per process (O(terms)); :meth:`Origins.members`
is one scan of the text (O(w x L) for w words and terms of up to L words), cached per
(generic, text) by the caller.
"""

from __future__ import annotations

import csv
import dataclasses
import io
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

import pandas as pd

from .sectors import SectorVocabulary, normalise_sector, sector_terms

__all__ = ["Origins", "default_origins", "origins_rows"]


@dataclass(frozen=True)
class Origins:
    """The rows of ``origins.csv`` (dicts of its columns), read as per generic material
    (its name, as the taxonomy writes it) the vocabulary of the processes making each of
    its members, built when first asked for (the streams of most networks name no
    generic material that any row refines)."""

    rows: tuple[dict[str, str], ...]
    _built: dict[str, SectorVocabulary] = field(default_factory=dict, compare=False)

    @property
    def generics(self) -> tuple[str, ...]:
        """The generic materials some member refines, in table order. O(rows)."""
        return tuple(dict.fromkeys(g for row in self.rows for g in _split(row["refines"])))

    @property
    def order(self) -> dict[str, int]:
        """Each member material, and its row in the table."""
        return {row["material"]: at for at, row in reversed(list(enumerate(self.rows)))}

    def vocabulary(self, generic: str) -> SectorVocabulary | None:
        """The vocabulary of the rows refining ``generic`` (each a member's terms), whose
        terms are only those listed: a member's own name is none (a ``steel slag
        processing`` line makes no steel slag by its words). None when no row refines it.
        Built once, O(terms)."""
        if generic not in self._built:
            rows = [{"sector": r["material"], "synonyms": r["terms"], "generic": r["alone"]}
                    for r in self.rows if generic in _split(r["refines"])]  # fmt: skip
            if not rows:
                return None
            built = SectorVocabulary.from_table(pd.DataFrame(rows))
            listed = {sector_terms(t) for r in rows
                      for t in _split(r["synonyms"]) + _split(r["generic"])}  # fmt: skip
            terms = {t: s for t, s in built.terms.items() if t in listed}
            self._built[generic] = dataclasses.replace(built, terms=terms)
        return self._built[generic]

    def shipped(self, generic: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
        """The members of ``generic`` that a shipment names (column ``ships``), each with
        its names, in table order. O(rows)."""
        rows = [r for r in self.rows if generic in _split(r["refines"]) and r.get("ships")]
        return tuple((r["material"], tuple(_split(r["ships"]))) for r in rows)

    def members(self, generic: str, text: str, families: dict[str, str]) -> tuple[str, ...]:
        """The members of ``generic`` that a firm's sector ``text`` names the process of
        (full members of the vocabulary: a term alone in its clause when it is one of the
        column ``alone``), in table order; a member that is its family's generic material
        (``families``: member -> family) left out when another of its family is named.
        Empty for a text naming none, or a generic no row refines. O(w x L)."""
        vocabulary = self.vocabulary(generic)
        if vocabulary is None or not isinstance(text, str) or not text:
            return ()
        names = {normalise_sector(r["material"]): r["material"] for r in self.rows}
        found = [names[s] for s, need in vocabulary.memberships(text).items() if need is None]
        found = [
            m for m in found
            if not (families.get(m) == m and any(families.get(o) == m for o in found if o != m))
        ]  # fmt: skip
        order = self.order
        return tuple(sorted(found, key=order.__getitem__))


def _split(text) -> list[str]:
    if not isinstance(text, str):
        return []
    return [part.strip() for part in text.split(";") if part.strip()]


def origins_rows() -> tuple[dict[str, str], ...]:
    """``origins.csv`` as shipped, its rows as dicts of its columns (UTF-8, comma-separated,
    read by :mod:`csv`: a small file of ours, which needs none of the network reader's
    sniffing, 80 ms of a pass's start)."""
    text = (resources.files("symbiosis.catalogue") / "origins.csv").read_text(encoding="utf-8")
    return tuple({k: v or "" for k, v in row.items()} for row in csv.DictReader(io.StringIO(text)))


@cache
def default_origins() -> Origins:
    """The shipped origins (read once per process)."""
    return Origins(origins_rows())
