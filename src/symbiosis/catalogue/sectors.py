"""Sector names and their terms: which catalogue sectors a firm's ``sector`` text belongs to.

The vocabulary is ``sectors.csv`` (package data): one row per receiving sector of the
catalogue, with the wordings people use for it in park literature, in English and
Chinese, with Korean and Japanese beside the Chinese terms of the main sectors
(``sector,synonyms,notes,generic,specific,narrowed_by,heads,not_after,part``;
terms separated by ``;``). The words of texts and cells are read by
:mod:`symbiosis.catalogue.sector_words`.

Names are compared in a normal form (:func:`normalise_sector`): lower case, ``-`` and
``_`` as spaces, sulphur as sulfur, a plural ``s`` dropped from every word. Terms in a
script written without spaces (Chinese, Japanese, Korean) are matched character by
character, so that the term 水泥 (cement) is found in 水泥厂 and in 铜陵海螺水泥, and 电厂
(power plant) in 热电厂; whole words for everything else, so that ``power`` is not found in
``powder coatings``. An occurrence inside a longer term does not count: ``refinery`` in
``copper refinery``, 玻璃 (glass) in 玻璃棉 (glass wool). Nor does one after ``from``
(outside a term: ``energy from waste`` is one), which names a feedstock, not the plant: a
"titanium tetrachloride from blast furnace slag" plant is no blast furnace, as the
taxonomy's clause rule reads "solid wastes from gas treatment" as no gas.

Not every term says that a firm *is* the process a catalogue row needs. A *generic* term
(column ``generic``: ``mining``, ``chemicals``, ``metal recovery``) names only the family: it
makes a firm a full member where it stands alone in its clause (words such as ``plant``,
``company`` or ``industry`` aside; clauses are parted by punctuation and ``and``, ``or``,
``for``, ``with``, ``from``), not where other words qualify it: ``coal mining``, ``specialty
chemicals`` and ``mine water treatment`` merely contain the word. A *specific* term (column
``specific``, ``term (word, word)``) names one process or commodity of the sector: a
``chlor-alkali`` plant is a chemical plant, a ``nickel refinery`` recovers nickel, a ``coal
mine`` mines coal; it makes a firm a member only for the rows whose material or synonyms
name one of its words (:meth:`SectorVocabulary.memberships`). Both still count for a row
whose ``role`` is ``utility`` (steam, water, nitrogen, electricity: any plant of the sector
uses them). A generic term alone is *narrowed* where the same text names what the firm
does: a specific term of its sector (``chemicals; chlor-alkali`` is a chlor-alkali plant,
no receiver of coal tar or CO2) or a term of a sector that the generic's row lists in its
column ``narrowed_by`` (``chemicals; sulfuric acid`` is an acid plant; ``building
materials; plaster`` a plaster maker, no block plant for tailings); the generic term then
counts as a qualified one.

A term that only qualifies a material noun (:data:`MATERIAL_NOUNS`) in its clause names
that material, not the plant: a ``steel slag processing`` line is no steel works, a
``ground granulated blast furnace slag`` mill no blast furnace, a ``coke oven gas``
power plant no coke plant.

A *head* (column ``heads``, ``head (qualifier, qualifier)``) is a word that is no term
alone but is one after a qualifier: ``power`` alone is in ``power tools`` and ``power
grid``, but ``coal power``, ``gas-fired power``, ``coal-based power``, ``CFB power`` and
``biomass power`` are power plants, as 煤电 is (a qualifier in Latin letters may be
followed by ``fired`` or ``based``). The wordings practitioners and Chinese statistics use
for a plant by its fuel are all read so, without a list of each spelling. Column
``not_after`` lists words before which a term of the sector names another thing: ``wind
power plant``, ``hydro-electric power station``, 核电厂, 光伏发电 are no power plants of
the catalogue (no fuel, flue gas or cooling tower); each such word and term makes a term
of no sector, which hides the term inside it as a longer term does.

A *part* term (column ``part``, ``term (word, word)``, as a specific one) names a plant that
runs only part of the sector's process: a cement grinding station (``cement grinding
station``, ``clinker grinding``, 水泥粉磨站, 粉磨站) grinds clinker with slag, ash and gypsum
and has no kiln, so it takes no kiln fuel and no raw-meal corrective. A boiler plant
(``biomass boiler``, ``coal-fired boiler``, ``boiler house``, 锅炉房) raises steam for a
power plant's rows of fuel, co-combustion and boiler feed water, but has no turbine
condenser to cool. A part term makes a firm a member only for the rows that name one of
its words, as a specific term does, utility rows included (a boiler house takes no
cooling-tower water), and it says so whatever else the text says of the sector (``cement;
水泥粉磨站`` is a grinding station).

A firm's sector text that names a sector by a generic term alone (:meth:`SectorVocabulary.
read`: ``chemicals``) says nothing of its process; its name may
(:meth:`SectorVocabulary.processes_named`): "Ordos dimethyl ether plant" names the
specific term ``dimethyl ether``, read with the text as ``chemicals ; dimethyl ether``
(:mod:`symbiosis.analysis.opportunities.node_sectors`). So is a name that holds a part term
of a sector its text names (:meth:`SectorVocabulary.parts_named`): TEDA's grinding station,
filed under ``cement``, is named "水泥粉磨站 (cement grinding plant)".

Complexity: building the vocabulary is O(terms) (the qualified heads and the ``not_after``
terms are made then: O(qualifiers + words x terms of their sector));
:meth:`SectorVocabulary.sectors_of` is one scan of the text's words (cache it per distinct
sector string).
"""

from __future__ import annotations

import bisect
import itertools
import re
from dataclasses import dataclass, field
from functools import cached_property
from importlib import resources

import pandas as pd

from ..io import read_table
from .sector_sets import (
    EXTRACTION_SECTORS,
    HAZARDOUS_WASTE_SECTORS,
    HOSTED_SECTORS,
    LAND_AND_FOOD_SECTORS,
    SITE_BOUND_SECTORS,
)
from .sector_words import (
    MATERIAL_NOUNS,
    _alone,
    _clauses,
    _feedstock_start,
    _latin,
    _qualified_heads,
    _qualifies_material,
    _specific,
    _split,
    normalise_sector,
    sector_terms,
)

__all__ = [
    "EXTRACTION_SECTORS",
    "HAZARDOUS_WASTE_SECTORS",
    "HOSTED_SECTORS",
    "LAND_AND_FOOD_SECTORS",
    "MATERIAL_NOUNS",
    "PART_MARK",
    "SITE_BOUND_SECTORS",
    "SectorVocabulary",
    "default_sectors",
    "hazardous_waste_texts",
    "normalise_sector",
    "sector_terms",
    "treats_hazardous_waste",
]

#: The word a membership by a part term holds beside the words of its rows
#: (:meth:`SectorVocabulary.memberships`): no row names it (it is no word of
#: :func:`sector_terms`), and it tells that the sector's utility rows need those words too.
PART_MARK = "<part>"

# "non-hazardous waste landfill" holds the term "hazardous waste landfill"
_NOT_HAZARDOUS = re.compile(r"\bnon hazardous\b")


def treats_hazardous_waste(vocabulary: SectorVocabulary, text: str) -> bool:
    """Whether a firm's sector text is one of :data:`HAZARDOUS_WASTE_SECTORS` (and not
    "non-hazardous ..."). One :meth:`SectorVocabulary.sectors_of` scan."""
    if not isinstance(text, str) or not vocabulary.sectors_of(text) & HAZARDOUS_WASTE_SECTORS:
        return False
    return not (_NOT_HAZARDOUS.search(normalise_sector(text)) or "非危" in text)


def hazardous_waste_texts(vocabulary: SectorVocabulary, texts: list) -> list[bool]:
    """:func:`treats_hazardous_waste` of each text (False for one that is not a string).
    Only texts holding the first word of a term of those sectors (a necessary
    condition: a word's normal form, less a final ``y``, is in its lower-case text) are
    scanned, found by :meth:`str.find` on all the texts joined: a register's many sector
    texts cost one pass over their characters per such word (no Python loop over
    texts)."""
    firsts = {term.split(" ")[0] for term, sectors in vocabulary.terms.items()
              if sectors & HAZARDOUS_WASTE_SECTORS}  # fmt: skip
    strings = [t.lower() if isinstance(t, str) else "" for t in texts]
    joined = "\n".join(strings)
    ends = list(itertools.accumulate(len(t) + 1 for t in strings))  # past each text's "\n"
    maybe: set[int] = set()
    for word in {w[:-1] if w.endswith("y") and len(w) > 3 else w for w in firsts}:
        at = joined.find(word)
        while at >= 0:
            maybe.add(bisect.bisect_right(ends, at))
            at = joined.find(word, at + 1)
    found = [False] * len(texts)
    for index in maybe:
        found[index] = treats_hazardous_waste(vocabulary, texts[index])
    return found


@dataclass(frozen=True)
class SectorVocabulary:
    """Sector names and their terms; tells which sectors a firm's sector text belongs to.

    ``terms`` maps each term (in the form of :func:`sector_terms`) to the sectors
    (normalised names, :func:`normalise_sector`) it stands for (none for a ``not_after``
    term: ``wind power plant``); ``generic`` each generic
    term to the sectors it names only as a family, ``needs`` each specific term to the
    words, per sector, that a row must name for the term to make a firm its member, and
    ``narrowed_by`` a sector to the sectors whose terms narrow its generic terms (see the
    module's docstring).
    """

    terms: dict[str, frozenset[str]]
    generic: dict[str, frozenset[str]] = field(default_factory=dict)
    needs: dict[str, dict[str, tuple[str, ...]]] = field(default_factory=dict)
    narrowed_by: dict[str, frozenset[str]] = field(default_factory=dict)
    parts: dict[str, frozenset[str]] = field(default_factory=dict)

    @classmethod
    def from_table(cls, table: pd.DataFrame) -> SectorVocabulary:
        """The vocabulary of a table with the columns ``sector`` and ``synonyms`` (and
        optionally ``generic``, ``specific``, ``narrowed_by``, ``heads``, ``not_after``,
        ``part``); generic, specific and part terms and qualified heads are terms too, and
        the ``not_after`` ones terms of no sector."""
        terms: dict[str, set[str]] = {}
        generic: dict[str, set[str]] = {}
        needs: dict[str, dict[str, tuple[str, ...]]] = {}
        narrowed_by: dict[str, frozenset[str]] = {}
        parts: dict[str, frozenset[str]] = {}
        unsaid: set[str] = set()  # terms of no sector: "wind power plant"
        empty = [""] * len(table)
        for sector, synonyms, broad, narrow, narrowers, heads, not_after, part in zip(
            table["sector"], table["synonyms"], table.get("generic", empty),
            table.get("specific", empty), table.get("narrowed_by", empty),
            table.get("heads", empty), table.get("not_after", empty),
            table.get("part", empty), strict=True,
        ):  # fmt: skip
            name = normalise_sector(sector)
            if not name:
                continue
            if _split(narrowers):
                narrowed_by[name] = frozenset(normalise_sector(n) for n in _split(narrowers))
            specific = _specific(narrow) + _specific(part, "part")
            if _split(part):
                parts[name] = frozenset(term for term, _ in _specific(part, "part"))
            own = [sector_terms(t) for t in [sector, *_split(synonyms), *_split(broad)]]
            for term in own:
                terms.setdefault(term, set()).add(name)
            for term in _split(broad):
                generic.setdefault(sector_terms(term), set()).add(name)
            for term, words in specific:
                terms.setdefault(term, set()).add(name)
                needs.setdefault(term, {})[name] = words
            for term in _qualified_heads(heads):
                terms.setdefault(term, set()).add(name)
            own += [term for term, _ in specific]
            for word in map(sector_terms, _split(not_after)):  # a word and a term of a script
                unsaid.update(f"{word} {t}" for t in own if t and _latin(t) == _latin(word))
        for term in unsaid:
            terms.setdefault(term, set())
        return cls(
            {t: frozenset(s) for t, s in terms.items() if t},
            {t: frozenset(s) for t, s in generic.items() if t},
            needs,
            narrowed_by,
            parts,
        )

    def including(self, sectors) -> SectorVocabulary:
        """The vocabulary with each of ``sectors`` added as its own term if unknown.

        A sector whose name has no Latin letter or digit (水泥) is left out: the
        opportunity engine matches those on their own words."""
        terms = dict(self.terms)
        for sector in sectors:
            name = normalise_sector(sector)
            if name and name not in terms and not any(name in s for s in terms.values()):
                terms[name] = frozenset({name})
        return SectorVocabulary(terms, self.generic, self.needs, self.narrowed_by, self.parts)

    @cached_property
    def _longest(self) -> int:
        """Words in the longest term."""
        return max((term.count(" ") + 1 for term in self.terms), default=0)

    def sectors_of(self, text: str) -> frozenset[str]:
        """The sectors whose terms occur in ``text`` as whole words; an occurrence inside
        a longer one (``refinery`` in ``copper refinery``) does not count, nor one after a
        ``from`` that no term holds (a feedstock: "titanium tetrachloride from blast
        furnace slag"). Generic and specific terms count (the firm is of the sector for
        some rows at least: :meth:`memberships` says which).

        At every word, the longest term starting there is looked up (one dictionary
        probe per length): O(w x L) for w words of text and terms of up to L words."""
        return frozenset(self.memberships(text))

    def memberships(self, text: str) -> dict[str, frozenset[str] | None]:
        """The sectors of :meth:`sectors_of`, each with the rows the firm is a member
        for: ``None`` for every row (a term that is neither generic nor specific, or a
        generic one alone in its clause and not narrowed), else the words of which a row's
        material or synonyms must name one (its specific terms; none for a generic term
        that other words qualify, ``coal mining``, or that the text narrows), a row of role
        ``utility`` aside; a part term (``cement grinding station``, 水泥粉磨站, ``biomass
        boiler``) says that only, whatever other terms of its sector the text holds, and for
        the utility rows too (its words and :data:`PART_MARK`). A term that qualifies a
        material noun (``steel slag``) counts for nothing. O(w x L)."""
        return self.read(text)[0]

    def read(self, text: str) -> tuple[dict[str, frozenset[str] | None], frozenset[str]]:
        """:meth:`memberships`, and the sectors among them that the text makes full
        members of by a generic term alone only (``chemicals``, ``mining company``,
        ``fertilizer plant``: a family, no process named), whose process the firm's name
        may say (:meth:`processes_named`). O(w x L)."""
        found: dict[str, frozenset[str] | None] = {}
        if not self.terms or not isinstance(text, str) or not text:
            return found, frozenset()
        words, clauses = _clauses(text)
        kept = self._kept(words, clauses)
        narrowed = self._narrowed([term for _, _, term in kept])
        family, named = set(), set()  # full members by a generic term alone, by another
        partial: dict[str, frozenset[str]] = {}  # sector: the words of its part terms
        for start, end, term in kept:
            alone = _alone(words, clauses, start, end)
            for sector in self.terms[term]:
                if sector in self.needs.get(term, {}):
                    words_needed = frozenset(self.needs[term][sector])
                    if term in self.parts.get(sector, ()):
                        partial[sector] = partial.get(sector, frozenset()) | words_needed
                elif sector in self.generic.get(term, ()):
                    if alone and sector not in narrowed:
                        family.add(sector)
                        continue
                    words_needed = frozenset()
                else:
                    named.add(sector)
                    continue
                if found.get(sector, ()) is not None:
                    found[sector] = found.get(sector, frozenset()) | words_needed  # type: ignore[operator]
        found.update(dict.fromkeys(family | named))
        # a plant of part of the process, whatever else is said
        found.update({s: w | {PART_MARK} for s, w in partial.items()})
        return found, frozenset(family - named - set(partial))

    def _kept(self, words: list[str], clauses: list[int]) -> list[tuple[int, int, str]]:
        """The terms found in the words (start, end, term): the longest term at each word,
        not inside a longer one, not after a feedstock's ``from``, not qualifying a
        material noun, nor, of another sector, a term of :data:`EXTRACTION_SECTORS` after
        it in its clause (the ore mined). O(w x L)."""
        spans = []
        for start in range(len(words)):
            for size in range(min(self._longest, len(words) - start), 0, -1):
                term = " ".join(words[start : start + size])
                if term in self.terms:
                    spans.append((start, start + size, term))
                    break
        cut = _feedstock_start(words, spans)
        kept = [
            (start, end, term)
            for start, end, term in spans
            if start < cut
            and not any(s <= start and end <= e and (s, e) != (start, end) for s, e, _ in spans)
            and not _qualifies_material(words, clauses, end)
        ]
        # a term before a mine's or a concentrator's in its clause names the ore: "vanadium
        # titanium magnetite mining" is no titanium plant (EXTRACTION_SECTORS)
        mined = [(start, clauses[start]) for start, _, term in kept
                 if self.terms[term] & EXTRACTION_SECTORS]  # fmt: skip
        return [
            (start, end, term) for start, end, term in kept
            if self.terms[term] & EXTRACTION_SECTORS or not self.terms[term]
            or not any(end <= at and clauses[start] == clause for at, clause in mined)
        ]  # fmt: skip

    def process_terms(self, sectors: frozenset[str]) -> frozenset[str]:
        """The terms that say which process of ``sectors`` a firm runs, for a firm whose
        sector text names them by a family only (:meth:`read`): their terms that are not
        generic (``bricks``, ``chlor-alkali``, ``dimethyl ether``) and the terms of the
        sectors in their ``narrowed_by`` (``sulfuric acid``). O(terms), once per set."""
        found = self._process_terms.get(sectors)
        if found is None:
            wider = set().union(*(self.narrowed_by.get(s, ()) for s in sectors))
            found = self._process_terms[sectors] = frozenset(
                term for term, of in self.terms.items()
                if (of & (sectors | wider)) - self.generic.get(term, frozenset())
            )  # fmt: skip
        return found

    @cached_property
    def _process_terms(self) -> dict[frozenset[str], frozenset[str]]:
        return {}

    def processes_named(self, name: str, sectors: frozenset[str]) -> tuple[str, ...]:
        """The terms of :meth:`process_terms` in a firm's ``name``, found as in a sector
        text, in the name's order: the DME plant of Ordos, filed under ``chemicals``, is
        named "Ordos dimethyl ether plant". Read with its sector text, they say what the
        firm does (a specific term or a ``narrowed_by`` sector's term narrows the generic
        term; another term of the sector names its process). O(w x L)."""
        if not sectors or not isinstance(name, str) or not name:
            return ()
        wanted = self.process_terms(sectors)
        words, clauses = _clauses(name)
        return tuple(dict.fromkeys(t for _, _, t in self._kept(words, clauses) if t in wanted))

    def parts_named(self, name: str, sectors) -> tuple[str, ...]:
        """The part terms of ``sectors`` (column ``part``) in a firm's ``name``, found as in
        a sector text, in the name's order: a firm filed under ``cement`` and named
        "水泥粉磨站 (cement grinding plant)" is a grinding station, no kiln. O(w x L)."""
        wanted = set().union(*(self.parts.get(s, ()) for s in sectors))
        if not wanted or not isinstance(name, str) or not name:
            return ()
        words, clauses = _clauses(name)
        return tuple(dict.fromkeys(t for _, _, t in self._kept(words, clauses) if t in wanted))

    def part_markers(self, sectors) -> frozenset[str]:
        """One word of each part term of ``sectors`` that every name holding the term holds
        (in the lower case of the name; the longest of its words that no other term of its
        sector has, so that a cement works' name is not one: ``grinding``, 粉): a
        necessary condition to search names by (:func:`~symbiosis.analysis.opportunities.
        node_sectors.node_readings`). O(terms of the sectors)."""
        found = set()
        for sector in sectors:
            others = {w for term, of in self.terms.items()
                      if sector in of and term not in self.parts.get(sector, ())
                      for w in term.split(" ")}  # fmt: skip
            for term in self.parts.get(sector, ()):
                words = term.split(" ")
                found.add(max([w for w in words if w not in others] or words, key=len))
        return frozenset(found)

    def _narrowed(self, terms: list[str]) -> set[str]:
        """The sectors whose generic terms the text's ``terms`` narrow: a specific term of
        the sector, or a term of a sector in its ``narrowed_by``."""
        narrowed = {sector for term in terms for sector in self.needs.get(term, {})}
        named = {sector for term in terms for sector in self.terms[term]
                 if sector not in self.generic.get(term, ())}  # fmt: skip
        narrowed.update(s for s, narrowers in self.narrowed_by.items() if narrowers & named)
        return narrowed


def sector_table() -> pd.DataFrame:
    """``sectors.csv`` as shipped (columns ``sector``, ``synonyms``, ``notes``)."""
    with resources.as_file(resources.files("symbiosis.catalogue") / "sectors.csv") as path:
        return read_table(path, shown="sectors.csv").frame


def default_sectors() -> SectorVocabulary:
    """The shipped sector vocabulary."""
    return SectorVocabulary.from_table(sector_table())
