"""Chinese in traditional characters read as simplified (a leaf: no project imports).

Taiwan, Hong Kong and older mainland sources write Chinese in traditional characters
(``鋼渣``, ``廢水``, ``發電廠``, ``萬噸``) where the vocabularies of symbiosis (the taxonomy,
the catalogue, the sectors, the roles and categories, the units) are written in simplified
ones (``钢渣``, ``废水``, ``发电厂``, ``万吨``). :func:`simplified` is the key under which such
a text is matched: OpenCC's ``t2s`` conversion (https://github.com/BYVoid/OpenCC, phrases
first, then characters), which leaves simplified characters, Latin letters, digits and
punctuation as they are. Only a matching key: names are shown as written everywhere.

Japanese and Korean are left as written: a text that holds kana or Hangul is no Chinese
(``製鋼スラグ``, steelmaking slag, would read ``制钢スラグ``, which no Japanese name of the
taxonomy is). A Japanese word in kanji alone (``工場``, ``産業廃棄物``) is converted as
Chinese is (``工场``, ``产业廃弃物``: OpenCC leaves Japanese forms such as 廃, 発, 鉄 as they
are); every vocabulary that reads such words converts its own the same way, or looks them
up as written too (the roles and categories, the taxonomy's Chinese names), so that their
matches stay.

Texts matched character by character (a firm's sector text, in which the term 水泥 is found
in 水泥厂) are read by :func:`simplified_characters`: each Han character on its own, in any
text (kana and Hangul have no traditional forms to convert), so that a term and a text read
the same way whatever script surrounds them: 製鉄所 is found in JFEスチール製鉄所 as it was.

Complexity: OpenCC is imported and its dictionaries loaded on the first text that holds a
Han character (6 ms measured, once per process; a Latin text costs one ``str.isascii``); a
conversion is about 1 µs a short name, cached per distinct text (per distinct character
for :func:`simplified_characters`).
"""

from __future__ import annotations

import re
from functools import cache, lru_cache
from typing import Any

__all__ = ["HAN", "HANGUL", "KANA", "chinese", "simplified", "simplified_characters"]

#: Han ideographs (hanzi, kanji, hanja: unified, extensions A to H, compatibility), as a
#: character class
HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
#: Kana (with the phonetic extensions, half-width forms, supplements)
KANA = "\u3040-\u30ff\u31f0-\u31ff\uff66-\uff9f\U0001b000-\U0001b16f"
#: Hangul (syllables, jamo)
HANGUL = "\u1100-\u11ff\u3130-\u318f\ua960-\ua97f\uac00-\ud7ff\uffa0-\uffdc"
# the patterns of symbiosis.vocabulary.scripts, compiled once (re caches them by their text:
# the Han class takes 5 ms to compile)
_HAN, _KANA, _HANGUL = (re.compile(f"[{r}]") for r in (HAN, KANA, HANGUL))


def chinese(text: str) -> bool:
    """Whether ``text`` is read as Chinese: it holds a Han character and no kana nor
    Hangul (module docstring). O(len(text))."""
    return (not text.isascii() and bool(_HAN.search(text))
            and not _KANA.search(text) and not _HANGUL.search(text))  # fmt: skip


@lru_cache(maxsize=1 << 16)  # per distinct name: the same names are asked by every pass
def simplified(text: str) -> str:
    """``text`` in simplified characters when it is Chinese (:func:`chinese`), else as it
    is: the key under which it is matched. O(len(text)), cached.

    >>> simplified("鋼渣"), simplified("發電廠"), simplified("Steel slag 高爐煤氣")
    ('钢渣', '发电厂', 'Steel slag 高炉煤气')
    >>> simplified("製鋼スラグ"), simplified("fly ash")
    ('製鋼スラグ', 'fly ash')
    """
    if not chinese(text):
        return text
    converted: str = _converter().convert(text)
    return converted


def simplified_characters(text: str) -> str:
    """``text`` with each Han character in its simplified form, converted on its own (kana,
    Hangul, Latin letters and the rest as they are): the form of a text matched character
    by character (module docstring). O(len(text)).

    >>> simplified_characters("發電廠"), simplified_characters("JFEスチール製鉄所")
    ('发电厂', 'JFEスチール制鉄所')
    """
    if text.isascii() or not _HAN.search(text):
        return text
    return text.translate(_CHARACTERS)


class _Characters(dict[int, int | str]):
    """The translation table of :func:`simplified_characters`, filled as characters are
    met: a Han character's simplified form, any other character itself."""

    def __missing__(self, code: int) -> int | str:
        char = chr(code)
        found: str = _converter().convert(char) if _HAN.match(char) else char
        self[code] = code if found == char else found
        return self[code]


_CHARACTERS = _Characters()


@cache
def _converter() -> Any:
    """OpenCC's traditional-to-simplified converter, made on first use: importing and
    loading it is left to the commands that read a Chinese name (``--help`` reads none)."""
    from opencc import OpenCC

    return OpenCC("t2s")
