"""How a name that is no listed name of the taxonomy is read: by its words (the head noun,
a remnant of processing, a kind named before the head), split from :mod:`symbiosis.taxonomy`
along that seam. Every function takes the :class:`~symbiosis.taxonomy.Taxonomy` it reads.

Complexity: O(w^2) dictionary lookups for a name of ``w`` words.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..vocabulary import material_key
from .names import (
    FLUID_FAMILIES,
    FORMS,
    NEGATIONS,
    PART_WORDS,
    REMNANTS,
    left_out,
    origin_or_content,
    qualifying_words,
    read_inverted,
    without_clauses,
)

if TYPE_CHECKING:
    from . import Taxonomy


def _closely(taxonomy: Taxonomy, name: str) -> tuple[str, str, float] | None:
    """The first two rules of :func:`_latin`: the name whole, then without qualifiers."""
    key = material_key(name)
    if key in taxonomy.by_key:
        return taxonomy.by_key[key], "taxonomy name", 1.0
    inverted = read_inverted(name)
    if inverted in taxonomy.by_key:
        return taxonomy.by_key[inverted], "inverted", 0.9
    gas = _named_gas(taxonomy, inverted) if inverted else None
    if gas is not None:  # "off-gas (SO2)"
        return gas, "inverted", 0.9
    cleaned = without_clauses(name)
    if cleaned and cleaned in taxonomy.by_key:
        material = taxonomy.by_key[cleaned]
        dropped = left_out(key, cleaned)
        if not taxonomy.clashes(material, dropped):  # "fly ash (biomass)": biomass ash
            kind = _kind_of(taxonomy, material, dropped.split(), cleaned)
            if kind is None and material in taxonomy.apart:  # "scrap metal (copper)"
                # a clause names an origin ("scrap metal from copper smelting"), no kind
                qualifying = {material_key(w) for w in qualifying_words(name)}
                stripped = (w.strip("()[]（）,;:") for w in dropped.split())
                named = [w for w in stripped if material_key(w) in qualifying]
                kind = _member_named(taxonomy, material, named)
            return kind or material, "qualifier", 0.9
    return None


def _named_gas(taxonomy: Taxonomy, key: str) -> str | None:
    """:meth:`Taxonomy.gas_named` by the longest final run of ``key`` that is a name."""
    words = key.split()
    for start in range(1, len(words)):
        head = " ".join(words[start:])
        if material_key(head) in taxonomy.by_key:
            return taxonomy.gas_named(head, left_out(key, head))
    return None


def _latin(taxonomy: Taxonomy, name: str) -> tuple[str, str, float] | None:
    found = _closely(taxonomy, name)
    if found is not None:
        return found
    key, cleaned = material_key(name), without_clauses(name)
    texts = [cleaned, key] if cleaned and cleaned != key else [key]
    if cleaned and origin_or_content(name):  # "wastes from gas treatment": not gas
        texts = [cleaned]
    for words in (t.split() for t in texts):
        for start in range(1, len(words)):  # longest final run first
            head = " ".join(words[start:])
            material = taxonomy.by_key.get(material_key(head))
            if material is not None:
                dropped = left_out(key, head)
                gas = taxonomy.gas_named(head, dropped)  # "SO2 off-gas": no fuel gas
                # a head its qualifier contradicts ("wood scraps"): of another family,
                # which no shorter run names better
                if gas is None and taxonomy.clashes(material, dropped):
                    return None
                chosen = gas or material
                if chosen == taxonomy.family_of[chosen]:  # a generic head: "fly ash and slag"
                    chosen = _first_part(taxonomy, words, start) or chosen
                named = None if gas else _remnant_of(taxonomy, words[:start], head)
                if named is not None:  # "BOF slag tailings": steel slag, no mine's tailings
                    return named, "qualifier material", 0.8
                kind = None if gas else _kind_of(taxonomy, chosen, dropped.split(), head)
                kind = kind or _member_named(taxonomy, chosen, words[:start])
                mixed = None if kind else _mixed(taxonomy, chosen, words[:start])
                if mixed is not None:  # "cobalt-nickel scrap": two metals' scrap
                    return mixed, "head noun", 0.8
                if kind is not None:  # "biomass fly ash": biomass ash, no coal's fly ash
                    return kind, "qualifier kind", 0.8
                return chosen, "head noun", 0.8
    for words in (t.split() for t in texts):
        for length in range(len(words) - 1, 0, -1):  # longest run anywhere
            for start in range(len(words) - length + 1):
                run = " ".join(words[start : start + length]).rstrip(",;:")
                material = taxonomy.by_key.get(material_key(run))
                if material is None or not _named_alone(taxonomy, material, words, start + length):
                    continue  # "coal gangue" is no coal
                if not taxonomy.clashes(material, left_out(key, run)):
                    # "copper-rich metal powder": copper scrap, no scrap of any metal
                    others = words[:start] + words[start + length :]
                    kind = _member_named(taxonomy, material, others)
                    return (kind, "qualifier kind", 0.8) if kind else (material, "contains", 0.6)
    return None


def _remnant_of(taxonomy: Taxonomy, words: list[str], head: str) -> str | None:
    """The material that ``words``, all the words before a head noun saying what
    processing left (:data:`.names.REMNANTS`: tailings, sludge, dust, cake), name whole or
    without qualifiers, when what is left of it is still it: "BOF slag tailings" and
    "steel slag sludge" are steel slag, "fly ash tailings" fly ash. ``None`` (the head
    stands) when they name no material ("iron ore tailings", "coke oven sludge": tailings,
    sludge), a family's generic one ("slag tailings": which slag?), one marked apart,
    whose uses are its own (copper slag's flotation and grit rows are not for its
    flotation tailings), unless one of its own names is such a remnant (steel slag's
    "steel slag tailings": its tailings keep its uses), or a fluid, which leaves no
    solid ("mine water sludge", "blast furnace gas sludge", "sulfuric acid sludge"). A
    head naming what is made of a material ("fly ash bricks"), what carries it ("spent
    caustic wastewater") or what it is for ("steam coal") is no remnant. O(w)."""
    if not words or material_key(head).split()[-1] not in REMNANTS:
        return None
    found = _closely(taxonomy, " ".join(words))
    if found is None:
        return None
    material = found[0]
    family = taxonomy.family_of[material]
    if material == family or material in taxonomy._gases:
        return None
    if material in taxonomy.apart and material not in taxonomy._named_remnants:
        return None
    return None if family in FLUID_FAMILIES else material


def _kind_of(taxonomy: Taxonomy, material: str, words: list[str], head: str) -> str | None:
    """The member of ``material``'s family that a qualifier naming a feedstock of another
    family names with the head's last noun, when it is another member than ``material``
    and no family's generic: a fuel's ash is that fuel's ("biomass fly ash", "wood bottom
    ash" and "fly ash (biomass)" are biomass ash, as "biomass ash" and "wood ash" are;
    they met coal fly ash's alumina and concrete rows, not wood ash's). The qualifier is a
    run of ``words`` (the words left out for ``head``, longest first) that is a name or a
    mark of a solid of another family (biomass, wood, straw, coal); not a fluid's or a
    gas's, whose sludge or dust is what it carried ("wastewater treatment sludge" is any
    sludge, though "wastewater sludge" names sewage sludge). ``None`` when no run is,
    when a word of it names ``material`` too ("coal bottom ash" is bottom ash, not coal's
    fly ash by "coal ash"), or when the run and the noun name no other member ("lignite
    fly ash" stays fly ash). O(w^2) look-ups for ``w`` words."""
    words = [w for w in (w.strip("()[]（）,;:") for w in words) if w]
    if not words:
        return None
    family = taxonomy.family_of[material]
    noun = material_key(head).split()[-1]
    own = taxonomy._own_words.get(material, frozenset())
    for length in range(len(words), 0, -1):  # longest run first, then leftmost
        for start in range(len(words) - length + 1):
            run = material_key(" ".join(words[start : start + length]))
            if own.intersection(run.split()):
                continue
            feed = taxonomy.by_key.get(run) or taxonomy.marks.get(run)
            if feed is None or feed in taxonomy._gases:
                continue
            if taxonomy.family_of.get(feed, family) in (family, *FLUID_FAMILIES):
                continue  # a fluid's sludge is what it carried ("wastewater treatment sludge")
            kind = taxonomy.by_key.get(material_key(f"{run} {noun}"), material)
            if kind not in (material, family) and taxonomy.family_of[kind] == family:
                return kind
    return None


def _member_named(taxonomy: Taxonomy, material: str, words: list[str]) -> str | None:
    """The member of ``material``'s family that a word of ``words`` (the words left out
    for its name) names with a word of ``material``'s own names, when ``material`` is its
    family's generic material marked apart: its kinds are no substitutes for each other,
    so the word that says which kind decides. Scrap of an unknown metal is some metal's:
    "copper-rich metal powder" (a printed-circuit-board line's metal fraction) is copper
    scrap by "copper" and "scrap", "aluminium-bearing metal fines" aluminium scrap,
    "iron-rich metal chips" steel scrap. ``None`` when ``material`` is no such generic,
    when no word names a member, when the words name two ("copper and aluminium radiator
    scrap": mixed scrap, for sorting) or when a word is denied ("non-ferrous metal
    scrap", "copper-free metal powder": :data:`.names.NEGATIONS`). O(w * n) look-ups for
    the ``n`` words of the generic's names."""
    family = taxonomy.family_of[material]
    if material != family or material not in taxonomy.apart:
        return None
    words = [material_key(w.strip("()[]（）,;:")) for w in words]
    before, after = NEGATIONS
    nouns = taxonomy._own_words.get(material, frozenset())
    named = set()
    for at, word in enumerate(words):
        if not word or " " in word or word in nouns:
            continue
        if (at and words[at - 1] in before) or (at + 1 < len(words) and words[at + 1] in after):
            continue
        for noun in nouns:
            for name in (f"{word} {noun}", f"{noun} {word}"):
                member = taxonomy.by_key.get(material_key(name))
                if member not in (None, material) and taxonomy.family_of[member] == family:
                    named.add(member)
    return named.pop() if len(named) == 1 else None


def _mixed(taxonomy: Taxonomy, material: str, words: list[str]) -> str | None:
    """The family's generic material when ``material`` is a member of a family whose
    generic is marked apart and ``words`` (the qualifier before its name) name another of
    its members: "cobalt-nickel scrap" is scrap of two metals, for a dealer or a refiner
    to sort, not nickel scrap by its last words. ``None`` otherwise. O(w * n), as
    :func:`_member_named`."""
    family = taxonomy.family_of[material]
    if material == family or family not in taxonomy.apart or family not in taxonomy.family_of:
        return None
    other = _member_named(taxonomy, family, words)
    return family if other not in (None, material) else None


def _named_alone(taxonomy: Taxonomy, material: str, words: list[str], end: int) -> bool:
    """Whether a run of ``words`` ending before ``words[end]``, naming ``material``, names
    the stream, not a noun after it: it ends the name or a part of it (a comma, ``and``,
    ``or``), or the word after it is a shape of it or a thing made of it
    (:data:`.names.FORMS`), or ``residue`` after a material named by what it is made of (one
    with marks: "PET residue" is plastic, but an "oily sludge residue" what is left of
    treating the sludge). In English the last noun of a
    compound is what the thing is: "coal gangue" is gangue, a "water-leach residue" a
    residue, "hydrogen fluoride" a fluoride."""
    if end >= len(words) or words[end - 1].endswith((",", ";", ":")):
        return True
    after = material_key(words[end])
    if after == "residue":
        return material in taxonomy._marked_materials
    return words[end] in PART_WORDS or after in FORMS


def _first_part(taxonomy: Taxonomy, words: list[str], start: int) -> str | None:
    """The material of the part before ``and`` when the head run begins right after it
    ("fly ash" in "fly ash and slag"), resolved whole or without qualifiers and no
    family's generic material; else ``None``."""
    if start < 2 or words[start - 1] != "and":
        return None
    found = _closely(taxonomy, " ".join(words[: start - 1]))
    if found is None or found[0] == taxonomy.family_of[found[0]]:
        return None
    return found[0]
