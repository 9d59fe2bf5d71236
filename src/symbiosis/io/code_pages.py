"""Text that is not UTF-8: Chinese GB18030 (read, with a warning), or another code page
named in the refusal.

Excel saves "CSV" in the machine's Windows code page: GBK (936, which GB18030 extends) in
China, EUC-KR (949) in Korea, Windows-1251 in Russia, Windows-1252 in Western Europe.
Chinese text is read (:func:`chinese_text`); any other is refused, its encoding named when
it can be told (:func:`other_encoding`: the hint to save the file as UTF-8 then says what
it is). GB18030 decodes most 8-bit text without an error, to hanzi: so the GB18030 reading
is taken only when it reads as Chinese and no other reading is as plausible:

- fewer than a quarter of its characters outside ASCII lie outside GB2312 (the 7,445
  characters Chinese text is written with; a name may hold a rarer hanzi: 喆, 镕);
- at least 90 % of them are hanzi, punctuation, digits or symbols (not letters of another
  script, nor private-use characters, which GB18030 gives its user-defined codes);
- they are not mostly single characters inside Latin words: Windows-1252's accented
  letter and the letter after it make one GB18030 pair, often a common hanzi ('Compañía'
  reads 'Compa耥a', 'Ação' 'A玢o');
- the bytes do not read as Korean (:func:`_korean`) nor as Cyrillic (:func:`_cyrillic`).
  Hangul in EUC-KR lies inside GB2312's hanzi rows, and Cyrillic words of an even length
  pair up into GB2312 hanzi too: both decode as GB18030 to text the tests above take for
  Chinese ('광석' reads '堡籍', 'руда' '痼溧').

Measured on the 1,070 Chinese words of this package's taxonomy, catalogue and docs (as
files of k of them, one per cell, in GBK): 7 words alone read as Korean (words of four or
five hanzi from GB2312's first rows: 火力发电), none as Cyrillic; files of 2 words are
refused so once in 120, of 3 or 4 words once in 400, of 6 once in 6,000, of 10 never.
Korean and Russian files of three names or more (광석, 슬래그, 분진; руда, шлак, пыль) are all
told. A file with less text than that may be read as Chinese: too little to tell.

Complexity: O(size) to decode; the other readings are looked at in the first
:data:`_SAMPLE` bytes. Only for a file that is not UTF-8.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter

__all__ = ["CHINESE", "chinese_text", "other_encoding"]

#: The encoding of Excel's 'CSV' on Chinese Windows (code page 936, GBK), which GB18030
#: extends: :func:`chinese_text`.
CHINESE = "GB18030"
_SAMPLE = 1 << 20  # bytes looked at to tell another encoding (cut at a line end)


def chinese_text(raw: bytes) -> str | None:
    """The text of ``raw`` read as :data:`CHINESE` when it is Chinese text (module
    docstring); else None. O(size)."""
    try:
        text = raw.decode(CHINESE)
    except UnicodeDecodeError:
        return None
    wide = len(raw) - len(text)  # two-byte characters (four-byte ones count three)
    if wide <= 0:
        return None
    rare = text.encode("gb2312", errors="replace").count(b"?") - text.count("?")
    if rare * 4 >= wide or _accents_in_words(text) or not _mostly_hanzi(text):
        return None
    return None if other_encoding(raw) is not None else text


def other_encoding(raw: bytes) -> str | None:
    """The encoding other than UTF-8 and Chinese that ``raw`` reads as, named for a
    message ("Korean (EUC-KR)", "Cyrillic (Windows-1251)"), or None when none reads
    plausibly (module docstring). O(:data:`_SAMPLE`)."""
    sample = raw[:_SAMPLE]
    if len(raw) > _SAMPLE and b"\n" in sample:  # whole lines: no character cut in two
        sample = sample[: sample.rindex(b"\n")]
    for name, plausible in (("Korean (EUC-KR)", _korean), ("Cyrillic (Windows-1251)", _cyrillic)):
        if plausible(sample):
            return name
    return None


#: One character outside ASCII between two ASCII letters: 'Compa耥a', 'A玢o', 'Gr鲞e'.
_INSIDE_A_WORD = re.compile(r"(?<=[A-Za-z])[^\x00-\x7f](?=[A-Za-z])")
_OUTSIDE_ASCII = re.compile(r"[^\x00-\x7f]+")
_HANZI = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003ffff]")


def _accents_in_words(text: str) -> bool:
    """Whether ``text`` (8-bit text read as GB18030) reads like Latin text: at least
    half of its runs of characters outside ASCII are one character inside a word of
    ASCII letters. Chinese text has runs of hanzi, beside spaces, digits and
    punctuation, seldom one hanzi inside a Latin word. O(len(text))."""
    runs = len(_OUTSIDE_ASCII.findall(text))
    return runs > 0 and 2 * len(_INSIDE_A_WORD.findall(text)) >= runs


def _mostly_hanzi(text: str) -> bool:
    """Whether at least 90 % of the characters of ``text`` outside ASCII are hanzi or
    no letter at all (punctuation, digits, symbols: ，、（）℃ ① ...): not letters of another
    script, nor private-use characters. O(len(text)), then a look per distinct character."""
    counts = Counter("".join(_OUTSIDE_ASCII.findall(text)))
    foreign = sum(
        n
        for char, n in counts.items()
        if not _HANZI.match(char) and unicodedata.category(char)[0] in "LC"
    )
    return foreign * 10 <= sum(counts.values())


# Hangul syllables, and the shape of a Sino-Korean one: the initial not tense (ㄲ ㄸ ㅃ ㅆ
# ㅉ), the final none or one of ㄱ ㄴ ㄹ ㅁ ㅂ ㅇ (syllable = 0xAC00 + (initial * 21 +
# medial) * 28 + final)
_SYLLABLES = (0xAC00, 0xD7A3)
_TENSE_INITIALS = frozenset((1, 4, 8, 10, 13))
_SINO_FINALS = frozenset((0, 1, 4, 8, 16, 17, 21))


def _korean(raw: bytes) -> bool:
    """Whether ``raw`` reads as Korean text in EUC-KR (code page 949): it decodes so; at
    least 90 % of its letters outside ASCII (at least 4) are Hangul syllables; and at
    least 80 % of those have the shape of Sino-Korean syllables, which Korean names and
    technical words are mostly made of (the Korean words the module docstring was
    measured with: 99 %). Chinese text read as EUC-KR gives Hanja, or syllables of every
    shape (60 % Sino-Korean, as the 2,350 syllables of KS X 1001). O(len(raw))."""
    try:
        text = raw.decode("cp949")
    except UnicodeDecodeError:
        return False
    letters = [char for char in "".join(_OUTSIDE_ASCII.findall(text)) if char.isalpha()]
    codes = [
        ord(char) - _SYLLABLES[0] for char in letters if _SYLLABLES[0] <= ord(char) <= _SYLLABLES[1]
    ]
    if len(codes) < 4 or len(codes) * 10 < len(letters) * 9:
        return False
    sino = sum(code // 588 not in _TENSE_INITIALS and code % 28 in _SINO_FINALS for code in codes)
    return sino * 10 >= len(codes) * 8


_UPPER, _LOWER = "А-ЯЁЂЃЄЅІЇЈЉЊЋЌЎЏҐ", "а-яёђѓєѕіїјљњћќўџґ"  # Windows-1251's letters
_CYRILLIC = re.compile(f"[{_UPPER}{_LOWER}]+")
# a word: Cyrillic letters not touching a Latin one ('Mьller' is Windows-1252's 'Müller'),
# cased as words are: lower case, capitalised, or all capitals
_CYRILLIC_WORD = re.compile(
    f"(?<![A-Za-z{_UPPER}{_LOWER}])(?:[{_UPPER}]?[{_LOWER}]+|[{_UPPER}]{{2,}})(?![A-Za-z{_UPPER}{_LOWER}])"
)


def _cyrillic(raw: bytes) -> bool:
    """Whether ``raw`` reads as Cyrillic text in Windows-1251: at least 95 % of its
    characters outside ASCII are Cyrillic letters; at least 90 % of those letters are in
    words (:data:`_CYRILLIC_WORD`); and at least 6 letters are in words with a small
    letter (all capitals alone are too easily chance). Chinese text read as Windows-1251
    mixes letters with symbols (the bytes A1 to BF) and cases at random. O(len(raw))."""
    try:
        text = raw.decode("cp1251")
    except UnicodeDecodeError:  # 0x98 is no character
        return False
    outside = sum(map(len, _OUTSIDE_ASCII.findall(text)))
    letters = sum(map(len, _CYRILLIC.findall(text)))
    if not outside or letters * 20 < outside * 19:
        return False
    words = _CYRILLIC_WORD.findall(text)
    if sum(map(len, words)) * 10 < letters * 9:
        return False
    return sum(len(word) for word in words if word.upper() != word) >= 6
