"""The Chinese rules of the material taxonomy: a name written in Chinese, whole or contained.

Chinese writes no spaces and puts the head last, so a name is looked up whole (rule
``name (zh)``, score 0.9), else the longest Chinese name of the taxonomy it contains is
taken, among equals one that ends it (0.8): 电厂粉煤灰 is fly ash. A name of one character
counts only as the head (电 ends 余电, not 电池), never inside a generic word for residue
or waste that ends the text (残渣 is any residue, not 渣 slag); and such a word alone,
after qualifiers that say nothing of the material (工业, 其他 ...), names nothing.

The functions take the text with brackets and spaces removed (the taxonomy's
``_chinese_text``) and the taxonomy's Chinese names. O(names) for a contained name.
"""

from __future__ import annotations

import re

__all__ = ["contained_chinese", "generic_zh", "spent_zh", "whole_chinese"]

# Chinese words for "residue" and "waste" in general, and for a leach or filter residue
# (浸出渣, 水浸渣: what is left of an ore, not slag): they name no material. A name that is
# one of them, after qualifiers that say nothing of the material (工业, 其他 ...), resolves to
# none; and a one-character name is not the head of one that ends a name (渣 is slag, but
# 残渣 is any residue: a scrap yard's 残渣 is not slag).
_GENERIC_ZH = ("残渣", "废渣", "废物", "废料", "废弃物", "固体废物", "固废", "残余物", "杂物",
               "浸出渣", "浸渣", "滤渣")  # fmt: skip
_VAGUE_ZH = re.compile(r"^(?:工业|一般|其他|其它|生产|混合|综合)+")


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
    # (coal gas); 硫 (sulfur) inside 硫酸 (sulfuric acid)
    generic_end = [g for g in _GENERIC_ZH if text.endswith(g)]
    contained = [n for n in by_chinese
                 if n in text and (len(n) > 1 or text.endswith(n))
                 and not (len(n) == 1 and any(n in g for g in generic_end))]  # fmt: skip
    if not contained:
        return None
    # The longest contained name; among equals, one that ends the text (the head).
    best = max(contained, key=lambda n: (len(n), text.endswith(n)))
    return by_chinese[best], "name (zh)", 0.8
