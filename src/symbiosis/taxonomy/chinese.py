"""The Chinese rules of the material taxonomy: a name written in Chinese, whole or contained.

Chinese writes no spaces and puts the head last, so a name is looked up whole (rule
``name (zh)``, score 0.9), else the longest Chinese name of the taxonomy it contains is
taken, among equals one that ends it (0.8): 电厂粉煤灰 is fly ash. A name of one character
counts only as the head (电 ends 余电, not 电池), as do 石油 and 原油 (crude oil ends 进口原油,
but 液化石油气 is LPG), never inside a generic word for residue
or waste that ends the text (残渣 is any residue, not 渣 slag); and such a word alone,
after qualifiers that say nothing of the material (工业, 其他 ...), names nothing. An acid
(a name ending in 酸) followed by a cation names that acid's salt, not the acid, as Chinese
names salts: 硫酸亚铁 (ferrous sulfate), 硫酸镍, 硫酸铵 and 磷酸二铵 contain no sulfuric or
phosphoric acid (:func:`_salt_of_acid`).

The functions take the text with brackets and spaces removed (the taxonomy's
``_chinese_text``) and the taxonomy's Chinese names. O(names) for a contained name.
"""

from __future__ import annotations

import re

__all__ = ["contained_chinese", "generic_zh", "spent_zh", "whole_chinese"]

# Chinese words for "residue" and "waste" in general, and for a filter residue (滤渣: what
# is left on a filter, not slag): they name no material. A name that is one of them, after
# qualifiers that say nothing of the material (工业, 其他 ...), resolves to none; and a
# one-character name is not the head of one that ends a name (渣 is slag, but 残渣 is any
# residue: a scrap yard's 残渣 is not slag). A leach residue (浸出渣, 浸渣, 水浸渣) is no slag
# either, but a material of the taxonomy (the leach residue family's generic one), longer
# than 渣 and so preferred to it.
_GENERIC_ZH = ("残渣", "废渣", "废物", "废料", "废弃物", "固体废物", "固废", "残余物", "杂物",
               "滤渣")  # fmt: skip
_VAGUE_ZH = re.compile(r"^(?:工业|一般|其他|其它|生产|混合|综合)+")
# What follows an acid's name in the name of one of its salts: a metal or ammonium (亚 of
# 亚铁, ferrous), hydrogen (硫酸氢钠), a count (磷酸二铵, diammonium phosphate), or the words
# for salt, ester, radical and anhydride (硫酸盐, 磷酸酯, 硫酸根, 磷酸酐)
_CATIONS = frozenset("亚铁铜锌镍钴锰铬铝铅锡钛钒钼钨银锂钠钾钙镁钡锶铵氢一二三盐酯根酐")
# Names of more than one character that count only as the head, as one character does:
# crude oil ends 进口原油 and 俄罗斯石油, but qualifies another material before it: 液化石油气
# (LPG), 石油类 (petroleum hydrocarbons, an effluent load), 石油醚, 石油沥青, 原油罐底泥 (a
# crude tank's bottom sludge)
_HEAD_ONLY_ZH = frozenset({"石油", "原油"})


def generic_zh(text: str) -> bool:
    """Whether a Chinese name is only a generic word for residue or waste (_GENERIC_ZH)."""
    return (_VAGUE_ZH.sub("", text) or text) in _GENERIC_ZH


# "waste" before a material's name: 废 in Chinese, 廃 in Japanese, 廢 in traditional
# characters, 폐 in Korean (廃硫酸, 폐황산: spent sulfuric acid)
_SPENT = ("废", "廃", "廢", "폐")


def spent_zh(text: str) -> bool:
    """Whether a Chinese, Japanese or Korean name says a reagent was used up: 废 (waste;
    廃, 廢, 폐) outside a generic word for residue (盐酸废液, 硫酸（废）, 廃希硫酸; not the 废渣
    of 硫酸厂废渣, a residue). O(len)."""
    for word in _GENERIC_ZH:
        text = text.replace(word, "")
    return any(mark in text for mark in _SPENT)


def whole_chinese(by_chinese: dict[str, str], text: str) -> tuple[str, str, float] | None:
    """The material of a whole Chinese name (score 0.9), none for a generic word."""
    if text in by_chinese and not generic_zh(text):
        return by_chinese[text], "name (zh)", 0.9
    return None


def contained_chinese(by_chinese: dict[str, str], text: str) -> tuple[str, str, float] | None:
    """The material of a whole Chinese name, else of the longest one ``text`` contains
    (0.8), else ``None``."""
    if generic_zh(text):
        return None
    if text in by_chinese:
        return by_chinese[text], "name (zh)", 0.9
    # a name of one character counts only as the head: 电 (electricity) ends 余电 but is
    # inside 电池 (battery), 电机 (motor), 电解液 (electrolyte); 煤 (coal) inside 煤气
    # (coal gas); 硫 (sulfur) inside 硫酸 (sulfuric acid); so do the _HEAD_ONLY_ZH
    generic_end = [g for g in _GENERIC_ZH if text.endswith(g)]
    contained = [n for n in by_chinese
                 if n in text and ((len(n) > 1 and n not in _HEAD_ONLY_ZH) or text.endswith(n))
                 and not (len(n) == 1 and any(n in g for g in generic_end))
                 and not _salt_of_acid(n, text)]  # fmt: skip
    if not contained:
        return None
    # The longest contained name; among equals, one that ends the text (the head).
    best = max(contained, key=lambda n: (len(n), text.endswith(n)))
    return by_chinese[best], "name (zh)", 0.8


def _salt_of_acid(name: str, text: str) -> bool:
    """Whether every occurrence of ``name`` in ``text`` is an acid's name followed by a
    cation (:data:`_CATIONS`): the name of one of its salts, not the acid (硫酸 in 硫酸亚铁,
    硫酸镍, 七水硫酸亚铁; not in 浓缩回用硫酸 or 钛白废酸). O(len(text))."""
    if not name.endswith("酸"):
        return False
    after = [text[at + len(name) : at + len(name) + 1] for at in _occurrences(name, text)]
    return bool(after) and all(a and a in _CATIONS for a in after)


def _occurrences(name: str, text: str) -> list[int]:
    found, at = [], text.find(name)
    while at >= 0:
        found.append(at)
        at = text.find(name, at + 1)
    return found
