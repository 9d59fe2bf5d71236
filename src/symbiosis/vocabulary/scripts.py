"""The scripts a name is written in, and the two parts of a name written in two."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from .._hanzi import HAN, HANGUL, KANA

# "A (B)", "A（B）": one bracketed part at the end, brackets of either width
_BILINGUAL = re.compile(r"\s*(?P<a>[^()（）]+?)\s*[(（]\s*(?P<b>[^()（）]+?)\s*[)）]\s*")
# Han ideographs (hanzi, kanji, hanja: unified, extensions A to H, compatibility), kana
# (with the phonetic extensions, half-width forms, supplements), Hangul (syllables, jamo)
_HAN, _KANA, _HANGUL = HAN, KANA, HANGUL
#: The letters of the East Asian scripts, as a character class: Han, kana and Hangul
EAST_ASIAN = _HAN + _KANA + _HANGUL
_EAST_ASIAN = re.compile(f"[{EAST_ASIAN}]")
_SCRIPTS = tuple((n, re.compile(f"[{r}]")) for n, r in (("Han", _HAN), ("Kana", _KANA),
                                                        ("Hangul", _HANGUL)))  # fmt: skip
# Letters that are no script's words in a Latin name: letterlike symbols (ℓ, Ω the ohm,
# K the kelvin) and mathematical alphanumerics
_SYMBOL_LETTERS = ((0x2100, 0x2150), (0x1D400, 0x1D800))


@lru_cache(maxsize=1 << 16)  # per distinct name, as material_key
def non_latin_scripts(text: str) -> frozenset[str]:
    """The scripts other than Latin that the letters of ``text`` are written in: "Han"
    (Chinese characters, and the kanji and hanja of Japanese and Korean), "Kana",
    "Hangul", else the script that Unicode names the letter by ("Cyrillic", "Arabic",
    "Hebrew", "Thai", "Devanagari" ...). Greek counts only as a word of its own, two
    Greek letters or more in a text without Latin letters: the α of "α-alumina" and the
    μ of "μm" are symbols of a Latin name. Digits, punctuation, symbols and modifier
    letters (ー, 々) belong to no script. O(len(text)).

    >>> sorted(non_latin_scripts("高炉スラグ")), sorted(non_latin_scripts("동 슬래그"))
    (['Han', 'Kana'], ['Hangul'])
    >>> sorted(non_latin_scripts("шлак")), non_latin_scripts("α-alumina (CaSO4)")
    (['Cyrillic'], frozenset())
    """
    text = str(text)
    if text.isascii():
        return frozenset()
    found = {name for name, script in _SCRIPTS if script.search(text)}
    latin, greek = False, 0
    for char in _EAST_ASIAN.sub("", text):
        point = ord(char)
        if not char.isalpha() or unicodedata.category(char) == "Lm":
            continue
        if point < 0x250:  # ASCII, Latin-1 (µ, ª too), Latin Extended A and B
            latin = True
            continue
        if any(low <= point < high for low, high in _SYMBOL_LETTERS):
            continue
        words = unicodedata.name(char, "").split()
        if not words or "LATIN" in words:  # fullwidth Latin, IPA, Latin Extended
            latin = latin or bool(words)
        elif words[0] == "GREEK":
            greek += 1
        else:
            found.add(words[0].title())
    if greek >= 2 and not latin:
        found.add("Greek")
    return frozenset(found)


def _writing(text: str) -> frozenset[str]:
    """The scripts of a part of a name as the split reads them: kana and Han as one
    (Japanese writes both in one name: スラグ（高炉）, slag from the blast furnace, is a
    qualifier, not a translation)."""
    scripts = non_latin_scripts(text)
    return scripts - {"Kana"} | {"Han"} if "Kana" in scripts else scripts


@lru_cache(maxsize=1 << 16)  # per distinct name, as material_key
def bilingual_parts(name: str) -> tuple[str, str] | None:
    """The two parts of a name written in two scripts, ``A (B)`` or ``A（B）`` (full-width
    brackets), whose parts are written in different scripts (:func:`non_latin_scripts`):
    one in Latin letters (or in none), the other in Chinese, Japanese, Korean, Cyrillic,
    Arabic ... (or two such scripts). ("red mud", "赤泥") for "red mud (赤泥)",
    ("磷石膏", "phosphogypsum") for "磷石膏（phosphogypsum）", ("동 슬래그", "copper slag")
    for "동 슬래그 (copper slag)", ("スチーム", "steam") for "スチーム (steam)"; ``None``
    for any other name: a bracket in the name's own script is a qualifier ("fly ash
    (biomass)", "FGD gypsum (CaSO4)", "赤泥（拜耳法）", "スラグ（高炉）": kana and Han are
    one script here, as Japanese writes them together), which the taxonomy's own rules
    read. O(len(name)).

    >>> bilingual_parts("spent pot lining (大修渣)"), bilingual_parts("alumina（氧化铝）")
    (('spent pot lining', '大修渣'), ('alumina', '氧化铝'))
    >>> bilingual_parts("동 슬래그 (copper slag)"), bilingual_parts("шлак (slag)")
    (('동 슬래그', 'copper slag'), ('шлак', 'slag'))
    >>> bilingual_parts("scrap (copper)") is None, bilingual_parts("赤泥（拜耳法）") is None
    (True, True)
    """
    found = _BILINGUAL.fullmatch(str(name))
    if found is None:
        return None
    a, b = found.group("a"), found.group("b")
    if _writing(a) == _writing(b):
        return None
    return a, b
