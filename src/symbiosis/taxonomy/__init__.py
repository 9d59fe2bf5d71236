"""The material taxonomy: materials as people write them, resolved to one material and family.

Park literature, registers and workshops name the same stream in many ways: "FGD gypsum",
"power plant gypsum", "flue gas desulphurisation gypsum", "脱硫石膏"; "elemental sulfur (from
refinery desulfurization)"; "surplus yeast from insulin production (pig feed)". The taxonomy
(``materials.csv``, shipped as package data; users may add their own file) lists *families*
(gypsum, ash, slag, heat, ...), the *materials* in each, and their synonyms in English and
Chinese. :meth:`Taxonomy.resolve` maps any name to a material with the rule that matched and a
score, trying in turn:

===================  =====  ===============================================================
rule                 score  when
===================  =====  ===============================================================
``taxonomy name``    1.0    the :func:`~symbiosis.vocabulary.material_key` of the name is a
                            material or one of its synonyms
``inverted``         0.9    a name written as registers write it, the head first and its
                            qualifier after a comma or in brackets ("Slag, blast furnace",
                            "scrap (copper)", "ash, fly"), read in the usual order ("blast
                            furnace slag", "copper scrap", "fly ash")
``qualifier``        0.9    the same after removing qualifiers: text in brackets, and
                            clauses from ``from``, ``for``, ``of``, ``to``, ``in``, ``at``,
                            ``by``, ``with``, ``used as``, ``after``, ``via``,
                            ``containing``, ``including``, ``other than`` on ("sulfur
                            (from refinery desulfurization)" is sulfur; "waste paper
                            containing foreign matter" waste paper)
``head noun``        0.8    the longest run of final words is one ("power plant gypsum",
                            "FGD gypsum slurry" -> no: the head is slurry, a sludge); a
                            head that names only a gas (off-gas, tail gas, flue gas)
                            yields to a gas named before it ("SO2 off-gas" is sulfur
                            dioxide, :meth:`Taxonomy.gas_named`); a head naming a
                            family's generic material after ``and`` yields to a first
                            part that names a material ("fly ash and slag": fly ash)
``qualifier          0.8    a head saying what processing left (tailings, sludge, dust,
material``                  cake) yields to the material its qualifier names whole ("BOF
                            slag tailings" is steel slag, not a mine's tailings), unless
                            that is generic, apart or a fluid (:func:`_remnant_of`)
``qualifier kind``   0.8    a head yields to another member of its family that a word
                            naming a solid feedstock of another family names with the
                            head's noun: a fuel's ash is its own ("biomass fly ash",
                            "wood bottom ash": biomass ash, as "wood ash" is; the same
                            under ``qualifier``: "fly ash (biomass)"; :func:`_kind_of`)
``contains``         0.6    the longest run of words anywhere is one ("used PET bottles",
                            "mill scale and offcuts") that ends the name or a part of it,
                            or is followed by a word saying what was made of it or its
                            shape (bottles, packaging, pellets, waste: :data:`.names.FORMS`);
                            a run followed by another noun only modifies it and is not
                            the stream ("coal gangue", "water-leach residue", "hydrogen
                            fluoride", "PET resin", "copper slag concentrate": none)
``name (zh)``        0.9    a Chinese name, or the longest Chinese name contained in the text
                            (Chinese heads come last, so a suffix is preferred; a name of
                            one character counts only as the head: 电 ends 余电, not 电池;
                            never inside a generic word for residue or waste that ends
                            the text: 残渣 is any residue, not 渣 slag; and such a word
                            alone, 残渣, 废渣, 工业固废, names nothing: :mod:`.chinese`)
===================  =====  ===============================================================

The head-noun and contains rules read the name less its clauses, and the whole name only
when its clause is one of ``of`` ("mixtures of concrete, bricks ..."): what a clause of
origin, purpose or content names is never the stream ("solid wastes from gas treatment" is
no gas, "wastes containing heavy metals" no scrap metal).

A word left out by the rules that drop words (qualifier, head noun, contains) must not name
another family: families named by what their members are made of have *marks* (column
``marks``: ``wood`` for wood waste, ``paper``, ``plastic``, ``ink``, ``metal`` ...), and a
name does not resolve to such a family's material when a dropped word marks another
family (:meth:`Taxonomy.clashes`): "wood scraps" is no scrap metal, "glass sludge" no
sludge. A clash at the head noun resolves the name to nothing.

A reagent used up is not the product its buyers take: spent sulfuric acid and spent pickle
liquor are materials of their own. A name resolved by any rule but the whole name to a
material whose family has a member named ``spent <material>`` (:attr:`Taxonomy.spent_of`)
is that member when a word qualifying it (before its clauses, or in its brackets) says spent,
waste, used, dilute, weak ... (:data:`.names.SPENT_WORDS`; 废 in Chinese outside a generic
word for residue): "dilute sulfuric acid", "waste hydrochloric acid", 硫酸废液 (rule and score
unchanged; :meth:`Taxonomy.unspent`). A clause names an origin: "sulfuric acid from spent acid
regeneration" is sulfuric acid. A material of such a family with no spent member is none then
("spent phosphoric acid").

A name that none of these resolves is ``None``: never guessed. Two materials of one family
(FGD gypsum, phosphogypsum) are *related*: a receiver of one may take the other, with less
confidence (the opportunities pass scores it so). A family groups materials that are
interchangeable as an input, not merely alike: fuel gases are one family, and CO2, flue gas
and nitrogen each their own (a boiler burning blast-furnace gas cannot burn CO2), as are
elemental sulfur, SO2 and H2S (a sulfur burner, a smelter-gas acid plant, a Claus unit).
A material marked ``interchangeable`` ``no`` is classified in its family but related to none of its
other members: steel, copper and aluminium scrap are all metal, but copper is a tramp
element in steel, so a steelworks taking steel scrap is no evidence that it could take
copper scrap. The family's generic material (``scrap metal``) still covers such a member
one way: a receiver of the generic (a scrap dealer) may take the member, but a stream of
the generic (of unknown metal) is not proposed to a receiver of the member.

A user's file (:func:`load_taxonomy`, ``--taxonomy``) has the columns ``family`` and
``material`` (required), ``synonyms`` and ``names_zh`` (names separated by ``;``), ``notes``,
``interchangeable`` (``yes``, the default, or ``no``) and ``marks`` (single words separated
by ``;``; :mod:`.files` reads it).
It is read as the network files are (:func:`read_taxonomy`, docs/errors.md: any encoding,
separator and header spelling they accept), and every problem is reported at once as
``file:row: column``. A name belongs to one material and a material to one family; rows of
one material in one family pool their synonyms.

Complexity: building the index is O(synonyms); :meth:`Taxonomy.resolve` is O(w^2) dictionary
lookups for a name of ``w`` words (names are short), cached per distinct name.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from ..vocabulary import material_key
from .chinese import contained_chinese, spent_zh, whole_chinese
from .files import COLUMNS, parse_taxonomy, read_taxonomy
from .names import (
    BRACKETS,
    CJK,
    CLAUSE,
    FLUID_FAMILIES,
    FORMS,
    GAS_HEADS,
    ORIGINS,
    PART_WORDS,
    PRODUCT_WORDS,
    REMNANTS,
    SPENT_WORDS,
    chinese_text,
    left_out,
    origin_or_content,
    qualifying_words,
    read_inverted,
    without_clauses,
)

__all__ = [
    "COLUMNS",
    "MaterialMatch",
    "Taxonomy",
    "default_taxonomy",
    "load_taxonomy",
    "parse_taxonomy",
    "read_taxonomy",
]


@dataclass(frozen=True)
class MaterialMatch:
    """What a name resolved to: the material and its family, the rule and its score."""

    material: str
    family: str
    rule: str
    score: float


@dataclass(frozen=True)
class Taxonomy:
    """Materials by key (every name and synonym, as a material key) and Chinese name."""

    family_of: dict[str, str]  # material -> family
    by_key: dict[str, str]  # material key of a name or synonym -> material
    by_chinese: dict[str, str]  # Chinese name -> material
    files: tuple[str, ...] = ()
    # materials related to no other member of their family (column ``interchangeable``)
    apart: frozenset[str] = frozenset()
    # a word that says what a stream is made of -> its material (column ``marks``)
    marks: dict[str, str] = field(default_factory=dict)
    # what reading the user's file found that is no error (read as Chinese GB18030), for
    # the caller to show: the command line prints them, find_opportunities issues them
    warnings: tuple[str, ...] = ()

    def resolve(self, name: str) -> MaterialMatch | None:
        """The material a name stands for, or ``None`` (see the module docstring)."""
        return _resolve(self, str(name))

    def resolve_closely(self, name: str) -> MaterialMatch | None:
        """:meth:`resolve` when it scores 0.9 or more (the name whole, without qualifiers,
        or a whole Chinese name), else ``None``; the rules scoring less (runs of words, a
        contained Chinese name) decide nothing here, and a Latin name skips them."""
        return _resolve_closely(self, str(name))

    def family(self, material: str) -> str | None:
        return self.family_of.get(material)

    def qualifier_material(self, name: str) -> str | None:
        """The material that a qualifier of ``name`` (text in brackets, a clause: the
        parts the ``qualifier`` rule leaves out) names, resolved whole or without its own
        qualifiers, else ``None``: "copper slag" for "flotation tailings of copper slag",
        none for "waste heat (smelter and acid plant)" or "CO2 from fermentation". O(w)."""
        text = str(name).lower()
        parts = [found.group(0)[1:-1] for found in BRACKETS.finditer(text)]
        clause = CLAUSE.search(BRACKETS.sub(" ", text))
        if clause is not None:
            parts.append(clause.group(0)[len(clause.group("word")) :])
        for part in parts:
            found = _closely(self, part.strip(" ,;:")) if part.strip(" ,;:") else None
            if found is not None:
                return found[0]
        return None

    def interchangeable(self, material: str) -> bool:
        """Whether a receiver of another material of the family could take this one
        (module docstring); False for a material marked ``interchangeable`` ``no``."""
        return material not in self.apart

    def merged(self, other: Taxonomy) -> Taxonomy:
        """This taxonomy with ``other``'s rows added; ``other`` wins on a shared name."""
        return Taxonomy(
            {**self.family_of, **other.family_of},
            {**self.by_key, **other.by_key},
            {**self.by_chinese, **other.by_chinese},
            self.files + other.files,
            (self.apart - other.family_of.keys()) | other.apart,  # other's rows decide
            {**self.marks, **other.marks},
            self.warnings + other.warnings,
        )

    def clashes(self, material: str, dropped: str) -> bool:
        """Whether words left out to resolve a name to ``material`` say the stream is of
        another family: one of them is a mark (column ``marks``) of a material of
        another family, ``material``'s family has marks of its own (its members are
        named by what they are made of: scrap *metal*, *wood* waste, *sewage* sludge),
        no name of ``material`` uses that word, and it names no origin (a mark before
        "mill", "plant", "processing" ...: "paper mill biosludge", "food processing
        sludge"). "wood scraps" is not scrap metal, "ink sludge" not sewage sludge. A
        family without marks (water, heat, ash, slag, dust) is named by its form or its
        process, and takes any qualifier as the stream's origin ("paper mill
        wastewater", "BOF dust"). A family with marks is named for a waste: a word that
        says the stream is a product (hot, molten, precious, virgin) clashes too
        ("molten metal", "precious metals", "virgin plastics"). O(words)."""
        family = self.family_of[material]
        if family not in self._marked_families:
            return False
        own = self._own_words.get(material, frozenset())
        words = dropped.split()
        for word, after in zip(words, [*words[1:], ""][: len(words)], strict=True):
            single = material_key(word)  # "plastics" marks as "plastic" does
            if single in PRODUCT_WORDS and not {word, single} & own:
                return True
            marked = self.marks.get(single)
            if (marked and self.family_of.get(marked) != family and not {word, single} & own
                    and material_key(after) not in ORIGINS):  # fmt: skip
                return True
        return False

    def gas_named(self, head: str, dropped: str) -> str | None:
        """The gas that words left out before a gas head (``head`` ends in gas, off-gas,
        fume, vapour) name: the first of them that is a name or a mark of a material
        known as a gas (one of its names ends in such a head), else ``None``. "SO2
        off-gas" is sulfur dioxide and "H2S-rich tail gas" hydrogen sulfide, not fuel
        gases; "coke oven off-gas", "coal gas" and "wood gas" name no gas before the
        head (coal and wood are none) and stay fuel gases. O(words)."""
        if material_key(head).split()[-1] not in GAS_HEADS:
            return None
        for word in dropped.split():
            single = material_key(word)
            for material in (self.by_key.get(single), self.marks.get(single)):
                if material in self._gases:
                    return material
        return None

    @functools.cached_property
    def spent_of(self) -> dict[str, str]:
        """Per material, the material it is once used up, when the taxonomy names one
        apart: another member of its family that ``spent <material>`` names ("sulfuric
        acid": "spent sulfuric acid"; "hydrochloric acid": "spent pickle liquor"; not
        "biomass", whose "spent biomass" is a sludge). O(materials)."""
        family = self.family_of
        found = {m: self.by_key.get(material_key(f"spent {m}")) for m in family}
        return {m: s for m, s in found.items() if s not in (None, m) and family[s] == family[m]}

    def unspent(self, name: str, material: str, rule: str) -> str | None:
        """The material a name resolved to by ``rule``, read again for the words that say a
        reagent was used up (:data:`.names.SPENT_WORDS`, 废): ``material`` unchanged when
        the name is one of its own names whole, its family has no material named for what
        is left once it is used up (:attr:`spent_of`), or no such word qualifies it; else
        that spent material, or ``None`` when the material has none ("spent phosphoric
        acid" is no phosphoric acid, and no other acid either). "waste hydrochloric acid"
        is spent pickle liquor, "dilute sulfuric acid" and 硫酸废液 spent sulfuric acid;
        "sulfuric acid from spent acid regeneration" stays sulfuric acid (a clause names
        its origin). O(len(name))."""
        if rule == "taxonomy name" or self.family_of[material] not in self._spent_families:
            return material
        if material in self.spent_of.values():
            return material
        own = self._own_words.get(material, frozenset())
        spent = bool(SPENT_WORDS & qualifying_words(name) - own) or (
            bool(CJK.search(name)) and spent_zh(name)
        )
        return self.spent_of.get(material) if spent else material

    @functools.cached_property
    def _spent_families(self) -> frozenset[str]:
        return frozenset(self.family_of[m] for m in self.spent_of)

    @functools.cached_property
    def _gases(self) -> frozenset[str]:
        return frozenset(m for k, m in self.by_key.items() if k.split()[-1] in GAS_HEADS)

    @functools.cached_property
    def _named_remnants(self) -> frozenset[str]:
        """The materials one of whose names ends in a remnant head ("steel slag
        tailings"): what processing leaves of them is still them (:func:`_remnant_of`)."""
        return frozenset(m for k, m in self.by_key.items() if k.split()[-1] in REMNANTS)

    @functools.cached_property
    def _marked_materials(self) -> frozenset[str]:
        return frozenset(self.marks.values())

    @functools.cached_property
    def _marked_families(self) -> frozenset[str]:
        return frozenset(self.family_of[m] for m in self.marks.values() if m in self.family_of)

    @functools.cached_property
    def _own_words(self) -> dict[str, frozenset[str]]:
        """The words of every name of each material."""
        words: dict[str, set[str]] = {}
        for key, material in self.by_key.items():
            words.setdefault(material, set()).update(key.split())
        return {material: frozenset(w) for material, w in words.items()}

    def __hash__(self) -> int:  # cached per instance: dictionaries are not hashable
        return id(self)


@functools.lru_cache(maxsize=65536)
def _resolve(taxonomy: Taxonomy, name: str) -> MaterialMatch | None:
    found = _latin(taxonomy, name)
    if found is None and CJK.search(name):
        found = contained_chinese(taxonomy.by_chinese, chinese_text(name))
    return _matched(taxonomy, name, found)


def _matched(
    taxonomy: Taxonomy, name: str, found: tuple[str, str, float] | None
) -> MaterialMatch | None:
    """The match of a rule's finding, its material read again for spent words
    (:meth:`Taxonomy.unspent`): none when a used-up reagent has no material of its own."""
    if found is None:
        return None
    material = taxonomy.unspent(name, *found[:2])
    if material is None:
        return None
    return MaterialMatch(material, taxonomy.family_of[material], found[1], found[2])


@functools.lru_cache(maxsize=65536)
def _resolve_closely(taxonomy: Taxonomy, name: str) -> MaterialMatch | None:
    found = _closely(taxonomy, name)
    if found is None and CJK.search(name) and _latin(taxonomy, name) is None:
        # the Chinese rule, whole names only: a contained one scores 0.8
        found = whole_chinese(taxonomy.by_chinese, chinese_text(name))
    return _matched(taxonomy, name, found)


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
                    return material, "contains", 0.6
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


@functools.cache
def default_taxonomy() -> Taxonomy:
    """The taxonomy shipped with symbiosis (``materials.csv``), read once per process."""
    text = resources.files(__package__).joinpath("materials.csv").read_text(encoding="utf-8")
    return parse_taxonomy(text, "materials.csv")


def load_taxonomy(path: str | Path | None = None, *, replace: bool = False) -> Taxonomy:
    """The default taxonomy, with a user file's rows added (or alone with ``replace``).

    The file is read by :func:`read_taxonomy`, with every rule of the network files;
    :class:`InputError` lists every problem, located."""
    if path is None:
        return default_taxonomy()
    user = read_taxonomy(path)
    return user if replace else default_taxonomy().merged(user)
