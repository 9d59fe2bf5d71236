"""Catalogue rows met by a part of a material name written in two languages.

Practitioners name a stream in their language and in the catalogue's: "spent pot lining
(大修渣)", "原油 crude oil", "Elektroofenstaub EAF dust", "Elektroofenstaub (EAF dust)",
"EAF dust (Elektroofenstaub)". Such a name is no catalogue name, and the taxonomy reads
at best its head noun ("dust"), which a hazardous stream may not go by
(:mod:`.hazards`): Marienhütte's hazardous "Elektroofenstaub EAF dust" met no row where
"EAF dust" meets the Waelz kiln (tester-oilports13 defect 4). :func:`part_rows` gives the
rows that a part names, by the catalogue's names and synonyms (rules ``name``,
``synonym``), when the whole name meets none directly:

- a name in two scripts with a bracket, "A (B)"
  (:func:`~symbiosis.vocabulary.bilingual_parts`): the rows of A, else of B, where a part
  that the taxonomy resolves closely stops the search (the taxonomy then reads the whole
  as that part: :func:`.materials.rows_for`);
- else a *translated* name: the name is two parts, one bracket "A (B)" at its end or, with
  no bracket, a run of leading words and a run of the words after them, of which one (the
  *known* part) is a catalogue name and the other says nothing else
  (:func:`_translates`): written in another script and naming no other material by the
  taxonomy ("原油 crude oil": 原油 is a synonym of the same row; "fly ash 脱硫石膏" is
  not split: FGD gypsum is another material), or, in Latin letters both (the spaces of
  a Chinese name part no words), made of words that no name of the catalogue or the
  taxonomy holds, nor a word the matching reads (a hazard, a state, a shape, a spent
  reagent, an origin: :func:`known_words`). "waste slag", "treated fly ash" and "toxic
  fly ash" are no two-language names: their first word is English the tool reads, and
  the taxonomy reads them. The longest known part wins; either order, bracketed or not.
  When no part is a catalogue name and the taxonomy resolves the whole to nothing, the
  known part of a name in Latin letters only may be a name the taxonomy reads (score >=
  0.8: "lentotuhka (wood fly ash)",
  "hiilidioksidi (biogenic CO2)"), and the taxonomy then reads the whole as it
  (:func:`translated_match`, :func:`.materials.taxonomy_classes`); in one script, a part
  saying hazardous, toxic or radioactive in a European language (``ongelmajäte``,
  ``gefährlich``) is no gloss, and the name is not split.

A name that says it is hazardous (:func:`.hazards.hazardous_name`) is not split in one
script: the words it would leave out say which hazard.

Complexity: one call per distinct material key (and codes) of the streams: O(w) splits of
a name of ``w`` words, each one dictionary look-up; the known words are built once per
catalogue and taxonomy (cached on the catalogue).
"""

from __future__ import annotations

import re

from ...taxonomy import MaterialMatch
from ...vocabulary import bilingual_parts, material_key, non_latin_scripts
from .hazards import _WORDS as HAZARD_WORDS
from .hazards import hazardous_name
from .materials import taxonomy_of
from .receivers import Context

__all__ = ["known_words", "part_rows", "translated_match", "translated_part"]

# one bracket at the end, "A (B)", brackets of either width
_BRACKETED = re.compile(r"\s*(?P<a>[^()（）\[\]]+?)\s*[(（]\s*(?P<b>[^()（）\[\]]+?)\s*[)）]\s*")
_WORD = re.compile(r"[^\W\d_]+")
# the stems of "hazardous", "toxic" and "radioactive" in the Latin-script languages of
# Europe (Finnish, Swedish, Danish, Norwegian, German, Dutch, French, Spanish, Portuguese,
# Italian, Polish, Czech, Hungarian): a part in one of them that says so is no gloss of
# the English part, which would hide the hazard (hazards.py reads the English words)
_FOREIGN_HAZARD = re.compile(
    r"vaarallis|ongelmaj[aä]t|myrkyll|farlig|gef[aä]hrlich|gefaehrlich|giftig|gevaarlijk|"
    r"dangereu|peligros|perigos|pericolos|niebezpieczn|nebezpe[cč]n|vesz[eé]lyes|"
    r"toxisch|t[oó]xic|toxiqu|tossic|radioa[ck]tiv|radiacti|radioatti",
    re.IGNORECASE,
)
# English words the matching reads besides the names: clauses, parts, what a stream is
# for or made into, what state it is in (a word the taxonomy reads says no other language)
_READ_WORDS = frozenset({
    "from", "for", "of", "to", "in", "at", "by", "with", "used", "as", "after", "via",
    "containing", "including", "other", "than", "and", "or", "plus", "nor", "the", "a",
    "an", "non", "no", "not", "free", "depleted", "poor", "less", "rich", "bearing",
    "mixed", "wet", "dry", "fine", "coarse", "raw", "crude", "treated", "untreated",
    "clean", "dirty", "oily", "contaminated", "sorted", "unsorted", "recovered", "recycled",
    "hot", "cold", "liquid", "solid", "high", "low", "grade", "purity", "pure", "spent",
    "waste", "surplus", "excess", "residual", "secondary", "primary", "industrial",
    "municipal", "domestic", "process", "production", "plant", "mill", "works",
})  # fmt: skip


def part_rows(ctx: Context, key: str) -> list[tuple[int, str]]:
    """Catalogue rows that a material key meets by a part of its name (module docstring),
    when the whole is no catalogue name (the caller's direct match found none) and no
    taxonomy name by itself; empty when no part is known. "spent pot lining (大修渣)" meets
    ``spl-cement`` as "spent pot lining" does, "phosphorus slag (黄磷渣)"
    ``p-slag-cement``, not the slag rows its head noun would, "Gichtgasstaub BF dust"
    the ``bf-dust`` rows by their synonym "BF dust". O(len(key)) per distinct key."""
    taxonomy = taxonomy_of(ctx)
    whole = taxonomy.resolve(key)
    if whole is not None and whole.rule == "taxonomy name":  # a synonym written so
        return []
    parts = bilingual_parts(key)
    if parts is None:
        known = translated_part(ctx, key)
        return [] if known is None else ctx.catalogue.match(material_key(known))
    for part in parts:
        found = ctx.catalogue.match(material_key(part))
        if found or taxonomy.resolve_closely(part) is not None:
            return found
    return []


def translated_part(ctx: Context, key: str) -> str | None:
    """The known part of a translated name (module docstring), a catalogue name, the
    longest of them (a last one first among equals); None for any other name. O(w)
    look-ups for ``w`` words."""
    bracketed = _BRACKETED.fullmatch(key)
    if bracketed is not None:
        a, b = bracketed.group("a"), bracketed.group("b")
        splits = [(a, b), (b, a)]
    elif any(b in key for b in "()（）[]"):
        return None
    else:
        words = key.split()
        splits = [(" ".join(words[k:]), " ".join(words[:k])) for k in range(1, len(words))]
        splits += [(" ".join(words[:k]), " ".join(words[k:])) for k in range(1, len(words))]
        splits.sort(key=lambda s: -len(s[0].split()))  # stable: a known last part first
    for known, other in splits:
        rows = ctx.catalogue.match(material_key(known))
        if rows and _translates(ctx, key, known, other, rows):
            return known
    taxonomy = taxonomy_of(ctx)
    if taxonomy.resolve(key) is not None:  # the taxonomy reads the whole: no part needed
        return None
    for known, other in splits:  # a name the taxonomy reads: "wood fly ash", "biogenic CO2"
        if _writing(known) or _writing(other):  # in two scripts the taxonomy reads the parts
            continue
        found = taxonomy.resolve(known)
        if found is not None and found.score >= 0.8 and _translates(ctx, key, known, other, []):
            return known
    return None


def translated_match(ctx: Context, key: str) -> MaterialMatch | None:
    """The taxonomy's reading of a translated name that it does not resolve whole: its
    known part's (:func:`translated_part`), read whole, without qualifiers or by its
    head noun (score >= 0.8); None for any other name. "lentotuhka (wood fly ash)" is
    biomass ash, as "wood fly ash" is, and "hiilidioksidi (biogenic CO2)" carbon dioxide.
    O(w) look-ups for ``w`` words."""
    taxonomy = taxonomy_of(ctx)
    if taxonomy.resolve(key) is not None:
        return None
    known = translated_part(ctx, key)
    found = None if known is None else taxonomy.resolve(known)
    return found if found is not None and found.score >= 0.8 else None


def _translates(ctx: Context, key: str, known: str, other: str, rows: list) -> bool:
    """Whether ``other`` says nothing beside ``known`` (a catalogue name, of ``rows``):
    in another script, written in one script, naming no other material by the taxonomy
    (none, the known part's, or one of the same rows by the catalogue); in the same
    script, Latin (a Chinese name's spaces part no words), of words that no name holds
    and the matching does not read, in a name that does not say it is hazardous."""
    mine, theirs = _writing(known), _writing(other)
    if mine != theirs:
        if not _one_writing(known) or not _one_writing(other):
            return False
        taxonomy = taxonomy_of(ctx)
        said = taxonomy.resolve(other)
        if said is None:
            return True
        own = taxonomy.resolve(known)
        if own is not None and own.material == said.material:
            return True
        named = {p for p, _ in ctx.catalogue.match(material_key(other))}
        return bool(named & {p for p, _ in rows})
    if mine or hazardous_name(key):  # one script: Latin words only (no spaces part CJK)
        return False
    if _FOREIGN_HAZARD.search(other):  # the part left unread says which hazard
        return False
    words = _WORD.findall(other)
    vocabulary = known_words(ctx)
    return bool(words) and not any(w in vocabulary or material_key(w) in vocabulary for w in words)


def _writing(text: str) -> frozenset[str]:
    """The scripts of a part, kana and Han as one (as :func:`bilingual_parts` reads)."""
    scripts = non_latin_scripts(text)
    return scripts - {"Kana"} | {"Han"} if "Kana" in scripts else scripts


def _one_writing(text: str) -> bool:
    """Whether every word of ``text`` that has letters is in the same writing: "crude oil"
    and 原油 are, "原油 crude" is not (no split inside a part)."""
    writings = {_writing(w) for w in text.split() if _WORD.search(w)}
    return len(writings) == 1


def known_words(ctx: Context) -> frozenset[str]:
    """Every word (lower case, letters only) of the catalogue's names and synonyms, of
    the taxonomy's names, and those the matching reads (:data:`_READ_WORDS`, the words of
    a hazard, :mod:`symbiosis.taxonomy.names`' shapes, origins, remnants, spent words,
    gas heads), each also as its material key (singular). Cached on the catalogue per
    taxonomy; O(total length of the names)."""
    from ...taxonomy import names

    taxonomy = taxonomy_of(ctx)
    cache = ctx.catalogue.__dict__.setdefault("_known_words", {})
    held = cache.get(id(taxonomy))
    if held is None or held[0] is not taxonomy:
        pathways = ctx.catalogue.pathways
        texts = [*pathways["material"].astype(str), *pathways["synonyms"].fillna("").astype(str)]
        texts += [k for keys in pathways["keys"] for k in keys]
        texts += list(taxonomy.by_key) + list(taxonomy.marks)
        found = {w for text in texts for w in _WORD.findall(text.lower())}
        found |= _READ_WORDS | set(HAZARD_WORDS) | names.FORMS | names.ORIGINS
        found |= names.REMNANTS | names.SPENT_WORDS | names.GAS_HEADS | names.PRODUCT_WORDS
        found |= {material_key(w) for w in found}
        cache[id(taxonomy)] = (taxonomy, frozenset(found))
    return cache[id(taxonomy)][1]
