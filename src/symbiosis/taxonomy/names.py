"""How a material name is read, before any material is looked up: its clauses and
brackets, a name written head first, and the words the taxonomy's rules know (shapes,
origins, remnants, gas heads). Text only: :mod:`symbiosis.taxonomy` applies the rules.

Complexity: each function is one regular-expression pass or one pass over the words.
"""

from __future__ import annotations

import re

from ..vocabulary import EAST_ASIAN, material_key

__all__ = [
    "BRACKETS",
    "CJK",
    "CLAUSE",
    "FLUID_FAMILIES",
    "FORMS",
    "GAS_HEADS",
    "NEGATIONS",
    "ORIGINS",
    "PART_WORDS",
    "PRODUCT_WORDS",
    "REMNANTS",
    "SPENT_WORDS",
    "chinese_text",
    "left_out",
    "origin_or_content",
    "qualifying_words",
    "read_inverted",
    "slashed_parts",
    "spaced_slashes",
    "without_clauses",
]

BRACKETS = re.compile(r"\([^)]*\)|\[[^\]]*\]|（[^）]*）")
# a clause that says where a stream comes from, what it is for or what it holds; not a
# hyphenated word ("by-product", "sulphur-containing")
CLAUSE = re.compile(
    r"(?<!-)\b(?P<word>from|for|of|to|in|at|by|with|used as|after|via|containing|including"
    r"|other than)\b.*$"
)
# a name the Chinese rules read: Han ideographs, kana or Hangul (Japanese and Korean names
# too: written without spaces, or read without them, the head last)
CJK = re.compile(f"[{EAST_ASIAN}]")
# "head (qualifier)" and "head, qualifier": a qualifier of a few words, no clause
_BRACKETED = re.compile(r"\s*([^,()\[\]]+?)\s*[(\[]([^()\[\]]+)[)\]]\s*")
_INVERTED_WORDS = 3
# Words after which a mark names where a stream comes from, not what it is made of
# ("paper mill sludge", "food processing sludge"): Taxonomy.clashes
ORIGINS = frozenset({"mill", "plant", "factory", "work", "industry", "processing", "production",
                     "manufacturing", "shop", "booth", "line", "facility", "unit"})  # fmt: skip
# Words that say a stream is a product, not the waste that a family with marks is named
# for: a melt (molten glass), a precious metal, a virgin material (Taxonomy.clashes)
PRODUCT_WORDS = frozenset({"hot", "molten", "precious", "virgin"})
# Words after which a material named in a longer name (the contains rule) is still the
# stream: a shape of it or a thing made of it ("used PET bottles", "dry fly ash pellets",
# "plastic packaging waste", "natural gypsum rock"). Any other word after it makes it a
# modifier of another noun, which the stream is: "coal gangue" (waste rock), "water-leach
# residue", "hydrogen fluoride", "PET resin", "copper slag concentrate", "ammonium
# sulphate" (the taxonomy's _named_alone).
FORMS = frozenset({
    "waste", "scrap", "offcut", "cutting", "trimming", "reject", "bottle", "container",
    "packaging", "package", "can", "drum", "film", "bag", "sack", "sheet", "foil", "pallet",
    "crate", "box", "piece", "fragment", "chip", "shaving", "powder", "granule", "fine",
    "lump", "particle", "fibre", "fiber", "wire", "cable", "pellet", "briquette", "rock",
    "flake", "bale", "crumb", "shred", "granulate", "regrind",
})  # fmt: skip
# Words that end one part of a name and begin another ("caustic soda and chlorine")
PART_WORDS = frozenset({"and", "or", "&", "+", "/", "plus", "nor"})
# Heads that say what processing left of a material, not what it is: a material named
# before them whole is still the stream ("steel slag tailings": the taxonomy's _remnant_of)
REMNANTS = frozenset({"tailing", "sludge", "dust", "cake"})
# Families of fluids and energy, which leave no tailings, sludge or dust (_remnant_of)
FLUID_FAMILIES = frozenset({"water", "heat", "energy", "acid"})
# Heads that say a stream is a gas but not which ("off gas", "tail gas", "flue gas"): a gas
# that the qualifier names is the stream (Taxonomy.gas_named)
GAS_HEADS = frozenset({"gas", "offgas", "fume", "vapor", "vapour"})
# Words that deny the word they stand before or after ("non-ferrous", "copper-free",
# "lead-depleted"): what it names is not what the stream is of (.heads._member_named)
NEGATIONS = (frozenset({"non", "no", "not"}), frozenset({"free", "depleted", "poor", "less"}))
# Words that say a reagent was used up, not the product its buyers take: "waste
# hydrochloric acid", "dilute sulfuric acid", "sulfuric acid (spent)" are spent acids
# (Taxonomy.spent_of), never the acid an acid buyer takes
SPENT_WORDS = frozenset({"spent", "waste", "used", "exhausted", "contaminated", "dilute",
                         "diluted", "weak", "residual"})  # fmt: skip


def left_out(key: str, kept: str) -> str:
    """The words of ``key`` that ``kept`` (a part of it) does not hold, each once."""
    held = set(kept.split())
    return " ".join(dict.fromkeys(w for w in key.split() if w not in held))


def read_inverted(name: str) -> str | None:
    """The key of a name written head first ("Slag, blast furnace", "scrap (copper)") in
    the usual order ("blast furnace slag"), when its qualifier is a few words and no
    clause ("sulfur (from refinery desulfurization)" is left to the qualifier rule)."""
    bracketed = _BRACKETED.fullmatch(name)
    if bracketed is not None:
        head, qualifier = bracketed.groups()
    elif name.count(",") == 1:
        head, qualifier = name.split(",")
    else:
        return None
    if (
        not head.strip()
        or len(qualifier.split()) > _INVERTED_WORDS
        or CLAUSE.search(qualifier.lower())
    ):
        return None
    return material_key(f"{qualifier} {head}")


def origin_or_content(name: str) -> bool:
    """Whether the name has a clause other than one of ``of`` ("solid wastes from gas
    treatment", "wastes containing heavy metals"): what it names is where the stream
    comes from, what it is for or what it holds, never the stream; "mixtures of
    concrete, bricks ..." names its content with ``of``."""
    found = CLAUSE.search(BRACKETS.sub(" ", name.lower()))
    return found is not None and found.group("word") != "of"


def qualifying_words(name: str) -> frozenset[str]:
    """The words that qualify what a name is: those before its clauses and those in its
    brackets, less any clause there ("spent" in "sulfuric acid (spent, from alkylation)";
    none of "sulfuric acid from spent acid regeneration", which names an origin). O(len)."""
    text = name.lower()
    parts = [BRACKETS.sub(" ", text), *(b.group(0)[1:-1] for b in BRACKETS.finditer(text))]
    return frozenset(w for part in parts for w in re.findall(r"[a-z]+", CLAUSE.sub("", part)))


def without_clauses(name: str) -> str:
    """The name less brackets and clauses, and the punctuation they leave ("Sludges, in
    particular from ..." is sludge)."""
    return material_key(CLAUSE.sub("", BRACKETS.sub(" ", name.lower())).strip(" ,;:"))


def chinese_text(name: str) -> str:
    """A name as the Chinese rules read it: brackets and spaces removed."""
    return re.sub(r"\s+", "", BRACKETS.sub("", name)) or name.strip()


# a slash between two words ("zinc dross/scrap") parts them as a spaced one does (a part
# word: "zinc dross / scrap", "dross or scrap"); a glued one made one unknown word of them
_GLUED_SLASH = re.compile(r"(?<=[^\W\d_])/(?=[^\W\d_])")
_SLASH = re.compile(r"\s+/\s+|(?<=\S)/(?=\S)")


def spaced_slashes(name: str) -> str:
    """``name`` with a slash glued between two words spaced: "zinc dross / scrap" for
    "zinc dross/scrap" (the slash then parts them, as ``or`` does). O(len(name))."""
    return _GLUED_SLASH.sub(" / ", name)


def slashed_parts(name: str) -> tuple[str, str] | None:
    """The two parts of a name written in two scripts about one slash, "lead scrap / 废铅"
    (one part holds Chinese, Japanese or Korean, the other none), read as "lead scrap
    (废铅)" is; ``None`` for any other name. O(len(name))."""
    parts = [p.strip() for p in _SLASH.split(name)]
    if len(parts) != 2 or not all(parts):
        return None
    a, b = parts
    return (a, b) if bool(CJK.search(a)) != bool(CJK.search(b)) else None
