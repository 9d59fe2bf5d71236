"""The material taxonomy: materials as people write them, resolved to one material and family.

Park literature, registers and workshops name the same stream in many ways: "FGD gypsum",
"power plant gypsum", "flue gas desulphurisation gypsum", "脱硫石膏"; "elemental sulfur (from
refinery desulfurization)"; "surplus yeast from insulin production (pig feed)". The taxonomy
(``materials.csv``, shipped as package data; users may add their own file) lists *families*
(gypsum, ash, slag, heat, ...), the *materials* in each, and their synonyms in English and
Chinese, and for the common residues and utilities in Japanese and Korean (read as Chinese
names are: ``name (zh)`` below). :meth:`Taxonomy.resolve` maps any name to a material with
the rule that matched and a score, trying in turn:

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
                            that is generic, apart or a fluid (:func:`.heads._remnant_of`)
``qualifier kind``   0.8    a head yields to another member of its family that a word
                            naming a solid feedstock of another family names with the
                            head's noun: a fuel's ash is its own ("biomass fly ash",
                            "wood bottom ash": biomass ash, as "wood ash" is; the same
                            under ``qualifier``: "fly ash (biomass)"; :func:`.heads._kind_of`);
                            a metal named before the head of a generic marked apart names
                            its scrap ("copper-rich metal powder": copper scrap, also from
                            ``contains``; :func:`.heads._member_named`)
``contains``         0.6    the longest run of words anywhere is one ("used PET bottles",
                            "mill scale and offcuts") that ends the name or a part of it,
                            or is followed by a word saying what was made of it or its
                            shape (bottles, packaging, pellets, waste: :data:`.names.FORMS`);
                            a run followed by another noun only modifies it and is not
                            the stream ("coal gangue", "water-leach residue", "hydrogen
                            fluoride", "PET resin", "copper slag concentrate": none)
``name (zh)``        0.9    a Chinese, Japanese or Korean name (spaces removed; Chinese
                            in traditional characters read in simplified ones: 鋼渣 as
                            钢渣, :func:`symbiosis._hanzi.simplified`), or the
                            longest such name contained in the text (0.8; a longer name
                            beats one it contains: 硫酸亚铁 copperas over 硫酸, 炼锡炉渣
                            tin slag over 炉渣; Chinese heads come last, so a suffix is
                            preferred; a name of one character counts only as the head:
                            电 ends 余电, not 电池; never inside a generic word for residue
                            or waste that ends the text: 残渣 is any residue, not 渣 slag;
                            such a word alone, 残渣, 废渣, 工业固废, names nothing; an
                            acid's name followed by a cation names a salt, not the acid:
                            硫酸镍, 硫酸铵: :mod:`.chinese`)
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

A name written in two scripts, "English (中文)", "中文 (English)" or "한글 (English)"
(brackets of either width, the parts in two scripts:
:func:`~symbiosis.vocabulary.bilingual_parts`), that
these rules do not resolve with a score of 0.9 or more is its first part, else its second,
when that part resolves so (:meth:`Taxonomy.resolve_closely`; rule and score the part's):
"bauxite residue slurry (赤泥)" is red mud by its Chinese part. The English part comes
first: the bracket is a translation, and the qualifier rule already reads the name less
its brackets; two parts naming two materials ("slag (赤泥)") are the first part's. A part
that resolves only by a weaker rule (a head noun, a contained Chinese name) decides only
between the name's match and a more specific one: when the name resolves to a family's
generic material (by 渣 ending 提钒尾渣, by the head noun slag), a part resolving to a
material other than a generic one, by any rule, says which ("钼尾渣 (molybdenum
tailings)" is tailings, not slag; the Chinese part does not win by default). It never
resolves a name that nothing else resolves ("aluminium liquid (铝水)" is no water by its
水), and a generic reading stays ("phosphorus slag (黄磷渣)" stays slag by its head
noun: the opportunities pass meets the catalogue's "phosphorus slag" row by the part's
name first). Nor does a part naming a gas of another family replace a definite gas (a
family's generic material: CO2, SO2, flue gas) that the name names: a gas head (尾气,
废气: tail gas, waste gas) says only that it is a gas, and the other part which one
("high-purity CO2 (低温甲醇洗尾气)" is CO2, not fuel gas; "converter off-gas (二氧化碳)" CO2
too, by its part).

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
the generic (of unknown metal) is not proposed to a receiver of the member. The generic
is marked so too: two scraps named only by a part of their names ("press scrap",
"cobalt-nickel scrap") may be two metals, and are not related.

A user's file (:func:`load_taxonomy`, ``--taxonomy``) has the columns ``family`` and
``material`` (required), ``synonyms``, ``names_zh``, ``names_ja`` and ``names_ko`` (names
separated by ``;``: English, Chinese, Japanese and Korean; the taxonomy's Japanese names follow
the Waste Management and Public Cleansing Act's kinds of industrial waste, 廃棄物の処理及び清掃に
関する法律施行令 art. 2, and JIS A 5011, A 6201 and A 6206 for slags and fly ash; its Korean
names the Wastes Control Act's classification, 폐기물관리법 시행규칙 별표 4), ``notes``,
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
import re
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from .._hanzi import simplified
from ..vocabulary import bilingual_parts, material_key
from .chinese import contained_chinese, spent_zh, whole_chinese
from .files import COLUMNS, parse_taxonomy, read_taxonomy
from .heads import _closely, _latin
from .listing import listed_name as _listed
from .listing import listed_whole as _listed_whole
from .names import (
    BRACKETS,
    CJK,
    CLAUSE,
    GAS_HEADS,
    ORIGINS,
    PRODUCT_WORDS,
    REMNANTS,
    SPENT_WORDS,
    chinese_text,
    qualifying_words,
    slashed_parts,
    spaced_slashes,
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
    # Chinese, Japanese and Korean name (as written, and its simplified form) -> material
    by_chinese: dict[str, str]
    files: tuple[str, ...] = ()
    # materials related to no other member of their family (column ``interchangeable``)
    apart: frozenset[str] = frozenset()
    # a word that says what a stream is made of -> its material (column ``marks``)
    marks: dict[str, str] = field(default_factory=dict)
    # what reading the user's file found that is no error (read as Chinese GB18030), for
    # the caller to show: the command line prints them, find_opportunities issues them
    warnings: tuple[str, ...] = ()
    # a material's own name in Chinese, Japanese, Korean (spaces removed): the first of its
    # names_zh, names_ja, names_ko, as ``material`` is its own name in English; the others
    # are its synonyms in that language, which may be kinds of it (转炉渣, 电炉渣 of 钢渣)
    own_names: dict[str, str] = field(default_factory=dict)

    def resolve(self, name: str) -> MaterialMatch | None:
        """The material a name stands for, or ``None`` (see the module docstring)."""
        return _resolve(self, simplified(str(name)))

    def resolve_closely(self, name: str) -> MaterialMatch | None:
        """:meth:`resolve` when it scores 0.9 or more (the name whole, without qualifiers,
        or a whole Chinese name), else ``None``; the rules scoring less (runs of words, a
        contained Chinese name) decide nothing here, and a Latin name skips them."""
        return _resolve_closely(self, simplified(str(name)))

    def listed(self, name: str) -> str | None:
        """The material that lists ``name`` exactly, else ``None``: its own name (by
        :func:`~symbiosis.vocabulary.material_key`, which reads "PG" as phosphogypsum),
        its own name in Chinese, Japanese or Korean whole (the first of its ``names_zh``,
        ``names_ja``, ``names_ko``: spaces removed; never a generic word for residue,
        残渣), or a name written in two scripts, "English (中文)"
        (:func:`~symbiosis.vocabulary.bilingual_parts`), of which a part is such a name
        and no part such a name of another material: "red mud (赤泥)" and "bauxite
        residue (赤泥)" are red mud, "gypsum (磷石膏)" is none (gypsum and
        phosphogypsum). A synonym alone is not, in any language ("bauxite residue",
        "bark", "aluminium dross"; 电炉渣, 전기로 슬래그, 電気炉スラグ: the taxonomy lists
        kinds among its synonyms, tester15 D6). No rule of
        :meth:`resolve` that reads a name less its words applies: "copper slag" is
        copper slag, "slag" slag, "赤泥（拜耳法）" and "FGD gypsum slurry" none
        (docs/reuse.md groups residues so). Cached per name; O(len(name))."""
        # as written first: a Japanese own name in kanji (排熱) is no Chinese name once
        # simplified (排热 is a kind among waste heat's Chinese names)
        return _listed(self, str(name)) or _listed(self, simplified(str(name)))

    def own_name(self, name: str) -> bool:
        """Whether ``name`` is the own name of the material :meth:`listed` gives it: in
        English (its key is the material's), or in Chinese, Japanese or Korean (the first
        name of that language), not a name in two scripts. O(len(name))."""
        found = _listed_whole(self, str(name))
        return found is not None and (
            material_key(str(name)) == found or re.sub(r"\s+", "", str(name)) in self.own_names
        )

    def family(self, material: str) -> str | None:
        return self.family_of.get(material)

    def qualifier_material(self, name: str) -> str | None:
        """The material that a qualifier of ``name`` (text in brackets, a clause: the
        parts the ``qualifier`` rule leaves out) names, resolved whole or without its own
        qualifiers, else ``None``: "copper slag" for "flotation tailings of copper slag",
        none for "waste heat (smelter and acid plant)" or "CO2 from fermentation". O(w)."""
        text = simplified(str(name)).lower()
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
            {**self.own_names, **other.own_names},
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
        tailings"): what processing leaves of them is still them (:func:`.heads._remnant_of`)."""
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
    name = spaced_slashes(name)
    found = _latin(taxonomy, name)
    if found is None and CJK.search(name):
        found = contained_chinese(taxonomy.by_chinese, chinese_text(name))
    return _by_part(taxonomy, name, _matched(taxonomy, name, found))


def _by_part(taxonomy: Taxonomy, name: str, match: MaterialMatch | None) -> MaterialMatch | None:
    """``match``, unless it scores under 0.9 and ``name`` is written in two scripts: then
    the close match of its first part, else of its second, else ``match`` or, when that
    is a family's generic material, a part's match naming a material
    (:func:`_more_specific`; module docstring); never a part's other gas for a gas
    ``match`` names (:func:`_another_gas`). O(len(name)) more, for such names only."""
    if match is not None and match.score >= 0.9:
        return match
    parts = bilingual_parts(name) or slashed_parts(name)
    if parts is None:
        return match
    for part in parts:
        found = _resolve_closely(taxonomy, part)
        if found is not None and not _another_gas(taxonomy, match, found):
            return found
    if match is None or match.material != match.family:
        return match
    return _more_specific(taxonomy, match, [_resolve(taxonomy, part) for part in parts])


def _more_specific(
    taxonomy: Taxonomy, generic: MaterialMatch, matches: list[MaterialMatch | None]
) -> MaterialMatch:
    """The first of ``matches`` with the highest score that names a material other than
    its family's generic one, else ``generic``. The parts of a name in two scripts
    translate each other: when the name resolves by a weak rule to a family's generic
    material (渣, slag, ending 提钒尾渣) and a part to a material ("vanadium extraction
    tailings": tailings), that part says which. A part alone never resolves a name that
    nothing else resolves ("aluminium liquid (铝水)" is no water by 水), nor names another
    gas (:func:`_another_gas`). O(len(matches))."""
    named = [m for m in matches if m is not None and m.material != m.family
             and not _another_gas(taxonomy, generic, m)]  # fmt: skip
    return max(named, key=lambda m: m.score) if named else generic


def _another_gas(taxonomy: Taxonomy, match: MaterialMatch | None, part: MaterialMatch) -> bool:
    """Whether a part's match names a gas of another family than the definite gas that the
    name's own ``match`` is (a family's generic material: CO2, SO2, flue gas), which it
    does not replace: a gas head (尾气, 废气: tail gas, waste gas, read as fuel gas) names
    only a gas, and the other part says which, as :meth:`Taxonomy.gas_named` reads "SO2
    off-gas". "high-purity CO2 (低温甲醇洗尾气)" is CO2, Rectisol's tail gas, and no fuel
    gas by 尾气 (it was proposed to a power plant burning blast-furnace gas as a related
    material). A name whose own match is only a gas head ("converter off-gas (二氧化碳)")
    takes the part's gas. O(1)."""
    gases = taxonomy._gases
    if match is None or match.material != match.family or match.material not in gases:
        return False
    return part.material in gases and part.family != match.family


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
    return _by_part(taxonomy, name, _matched(taxonomy, name, found))


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
