"""The words of sector texts: their normal form, clauses and the cells of ``sectors.csv``.

The reading rules themselves are :mod:`symbiosis.catalogue.sectors`' (its docstring); this
module holds the word-level helpers it is built on: :func:`normalise_sector` and
:func:`sector_terms` (the forms in which names and terms are compared), the ``term (word,
word)`` cells of the ``specific``, ``part`` and ``heads`` columns, a text's clauses, and the
tests of a term's place in its text (alone in its clause, qualifying a material noun, after
a feedstock's ``from``). Complexity: O(len(text)) each.
"""

from __future__ import annotations

import re

from .._hanzi import simplified_characters

__all__ = ["MATERIAL_NOUNS", "normalise_sector", "sector_terms"]

_NO_SINGULAR = ("ss", "us", "is", "as", "os")
# Words after which a sector text names what the plant is fed, not what it is
_FEEDSTOCK_WORDS = frozenset({"from"})
#: Nouns of materials (residues, by-products) that a sector term may qualify in a firm's
#: sector text: "blast furnace slag", "steel slag", "coke oven gas", 高炉渣, 电厂粉煤灰. The
#: term then names the material, not the plant (:meth:`SectorVocabulary.memberships`).
MATERIAL_NOUNS: tuple[str, ...] = (
    "slag", "slags", "dust", "sludge", "ash", "fly ash", "bottom ash", "scale", "tailings",
    "residue", "gas", "gases", "scrap", "mud", "dross", "cullet", "waste", "sand",
    "渣", "矿渣", "灰", "粉煤灰", "尘", "泥", "煤气",
    "슬래그", "가스", "슬러지", "분진", "더스트", "スラグ", "ガス", "ダスト", "汚泥",
)  # fmt: skip
# Scripts written without spaces: CJK ideographs (with extensions A and the compatibility
# block), kana and hangul. Each character is one "word" of the normal form.
_UNSPACED = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3040-\u30ff\uac00-\ud7af"
_TOKENS = re.compile(rf"[a-z0-9]+|[{_UNSPACED}]")
# Words and the marks that part a sector text into clauses (a generic term must stand alone
# in its clause)
_PIECES = re.compile(rf"[a-z0-9]+|[{_UNSPACED}]|[,;:()\[\]/&+|]")
_CLAUSE_WORDS = frozenset({"and", "or", "for", "with", "from"})
# Words that say nothing of the process beside a generic term: "mining company", 化工厂
_FILLERS = frozenset({
    "plant", "company", "industry", "work", "factory", "group", "sector", "manufacturer",
    "manufacturing", "producer", "production", "firm", "facility", "complex", "corporation",
    "enterprise", "operation", "site", "co", "ltd", "inc", "limited", "the", "general",
    "integrated", "industrial", "park", "zone", "new", "type", "green", "厂", "公", "司", "企",
    "业", "集", "团", "园", "区",
})  # fmt: skip


def normalise_sector(text: str) -> str:
    """The form in which sector names are compared (Latin letters and digits only).

    >>> normalise_sector("Phosphate and Compound Fertilizers")
    'phosphate and compound fertilizer'
    >>> normalise_sector("coal-fired power")
    'coal fired power'
    """
    text = str(text).lower().replace("_", " ").replace("-", " ").replace("sulph", "sulf")
    words = re.findall(r"[a-z0-9]+", text)
    return " ".join(_singular(word) for word in words)


def _lowered(text: object) -> str:
    """A text as its words are read: Han characters simplified (traditional Chinese,
    鋼鐵廠, read as 钢铁厂: :func:`symbiosis._hanzi.simplified_characters`, each character
    on its own, in a Japanese text too, as the terms are), lower case, ``_`` and ``-`` as
    spaces, sulphur as sulfur."""
    text = simplified_characters(str(text)).lower()
    return text.replace("_", " ").replace("-", " ").replace("sulph", "sulf")


def sector_terms(text: str) -> str:
    """The form in which terms are found in a firm's sector text: :func:`normalise_sector`,
    keeping characters of unspaced scripts, each as one word (in text order), Han ones in
    simplified characters.

    >>> sector_terms("铜陵海螺水泥 (Conch Cement)"), sector_terms("水泥廠")
    ('铜 陵 海 螺 水 泥 conch cement', '水 泥 厂')
    """
    return " ".join(_singular(word) for word in _TOKENS.findall(_lowered(text)))


def _singular(word: str) -> str:
    if len(word) > 3 and word.endswith("s") and not word.endswith(_NO_SINGULAR):
        return word[:-3] + "y" if word.endswith("ies") else word[:-1]
    return word


def _split(text: str) -> list[str]:
    if not isinstance(text, str):  # an empty cell of an optional column
        return []
    return [part.strip() for part in text.split(";") if part.strip()]


_SPECIFIC = re.compile(r"^(?P<term>[^()]+?)\s*\((?P<words>[^()]+)\)$")


def _specific(text: str, column: str = "specific") -> list[tuple[str, tuple[str, ...]]]:
    """The ``specific`` cell of a sector: ``term (word, word); ...`` as (term, words), both
    in the form of :func:`sector_terms`. A part without words in brackets is an error."""
    found = []
    for part in _split(text):
        match = _SPECIFIC.match(part)
        if match is None:
            raise ValueError(f"sectors.csv: {column} term {part!r} has no '(word, word)'")
        words = (sector_terms(w) for w in match["words"].split(","))
        found.append((sector_terms(match["term"]), tuple(w for w in words if w)))
    return found


#: Words between a qualifier and its head that keep the qualified head a term ("coal-fired
#: power", "gas-based power"), for qualifiers in Latin letters
_QUALIFIER_JOINTS = ("", "fired", "based")


def _latin(term: str) -> bool:
    """Whether a term (of :func:`sector_terms`) holds a Latin letter or digit."""
    return re.search("[a-z0-9]", term) is not None


def _qualified_heads(text: str) -> list[str]:
    """The terms of a ``heads`` cell, ``head (qualifier, qualifier); ...``: each qualifier
    before the head (coal power, 煤电), also with a word of :data:`_QUALIFIER_JOINTS`
    between for a qualifier in Latin letters (coal-fired power), in the form of
    :func:`sector_terms`."""
    found = []
    for head, qualifiers in _specific(text, "heads"):
        for qualifier in qualifiers:
            joints = _QUALIFIER_JOINTS if _latin(qualifier) else ("",)
            found += [" ".join(w for w in (qualifier, joint, head) if w) for joint in joints]
    return found


def _clauses(text: str) -> tuple[list[str], list[int]]:
    """The words of :func:`sector_terms` and the clause of each (a clause word is a clause
    of its own). O(len(text))."""
    words, clauses, clause = [], [], 0
    for piece in _PIECES.findall(_lowered(text)):
        if piece[0].isalnum() and piece not in _CLAUSE_WORDS:
            words.append(_singular(piece))
            clauses.append(clause)
            continue
        if piece in _CLAUSE_WORDS:
            words.append(piece)
            clauses.append(-1 - len(words))  # alone
        clause += 1
    return words, clauses


_MATERIAL_PHRASES = tuple(tuple(sector_terms(noun).split()) for noun in MATERIAL_NOUNS)


def _qualifies_material(words: list[str], clauses: list[int], end: int) -> bool:
    """Whether the words from ``end`` on, in the clause of the word before it, begin with
    one of :data:`MATERIAL_NOUNS` (the term ending at ``end`` qualifies it)."""
    return (
        end < len(words)
        and clauses[end] == clauses[end - 1]
        and any(tuple(words[end : end + len(phrase)]) == phrase for phrase in _MATERIAL_PHRASES)
    )


def _alone(words: list[str], clauses: list[int], start: int, end: int) -> bool:
    """Whether the words ``start:end`` stand alone in their clause, fillers aside."""
    clause = clauses[start]
    return all(
        start <= at < end or clauses[at] != clause or words[at] in _FILLERS
        for at in range(len(words))
    )


def _feedstock_start(words: list[str], spans: list[tuple[int, int, str]]) -> int:
    """The position of the first word of :data:`_FEEDSTOCK_WORDS` that no term found holds
    (``energy from waste`` is a term), else the number of words. O(w x spans)."""
    for at, word in enumerate(words):
        if word in _FEEDSTOCK_WORDS and not any(s <= at < e for s, e, _ in spans):
            return at
    return len(words)
