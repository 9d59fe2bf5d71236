"""Text that is not UTF-8: Chinese GB18030 (read, with a warning), or another code page
named in the refusal.

Excel saves "CSV" in the machine's Windows code page: GBK (936, which GB18030 extends) in
China, EUC-KR (949) in Korea, Windows-1251 in Russia, Windows-1252 in Western Europe.
Chinese text is read (:func:`chinese_text`); any other is refused, its encoding named when
it can be told (:func:`other_encoding`, then :func:`western_text`: the hint to save the
file as UTF-8 then says what it is, and how to convert it). Western European text
(Windows-1252, Latin-1: 'vinhaça' from a Brazilian Excel) is told by its accents, one to
three letters inside words; Central European text (Windows-1250: 'Příbram' reads
'Pøíbram') looks so too, and the hint to convert from Windows-1252 says "if its text is
Western European". GB18030 decodes most 8-bit text without an error, to hanzi: so the
GB18030 reading is taken only when it reads as Chinese and no other reading is as
plausible:

- fewer than a quarter of its characters outside ASCII lie outside GB2312 (the 7,445
  characters Chinese text is written with; a name may hold a rarer hanzi: 喆, 镕);
- at least 90 % of them are hanzi, punctuation, digits or symbols (not letters of another
  script, nor private-use characters, which GB18030 gives its user-defined codes);
- they are not mostly single characters inside Latin words: Windows-1252's accented
  letter and the letter after it make one GB18030 pair, often a common hanzi ('Compañía'
  reads 'Compa耥a', 'Ação' 'A玢o');
- the bytes do not read as Korean (:func:`_korean`) nor as Cyrillic (:func:`_cyrillic`),
  or else at least two thirds of its hanzi are common in Chinese industrial names
  (:data:`_COMMON_HANZI`: this package's own Chinese names, words of firm names, units,
  provinces). Hangul in EUC-KR lies inside GB2312's hanzi rows, and Cyrillic words of an
  even length pair up into GB2312 hanzi too: both decode as GB18030 to text the tests
  above take for Chinese ('광석' reads '堡籍', 'руда' '痼溧'), but to hanzi of every kind,
  seldom common ones; while a short Chinese text whose hanzi all lie in GB2312's first rows
  reads as Hangul (火力发电厂 as '삽제랙든낍', 大气排放 as '댕폭탤렴'), the shapes the Korean
  test looks for by chance.

Measured on the 1,065 Chinese words of this package's data and docs (as files of k of
them, one per row, in GBK): none alone reads as another code page (before the common
hanzi, 8 did as Korean: 火力发电); files of 2 words are refused as Korean or Cyrillic once
in 1,100 (once in 110 before), of 3 once in 7,000 (once in 350), of 4 or more never in
20,000. These words gave the common hanzi; on 224 names written apart (plants, firms,
places, materials: 热电厂, 宝钢, 合肥, 铜渣), files of 2 names are refused once in 4,000
(once in 45 before), of 3 or more never but once in 20,000. The other way, files of 2
words of 150 Korean industrial words (폐수, 슬래그, 코크스 ...) are read as Chinese once in
400, of 3 once in 2,500, of 4 never (코크스 reads '内农胶'): with the warning that names
GB18030 and says to save the file as 'CSV UTF-8'. The tests' Korean and Russian files
(광석, 슬래그, 분진; руда, шлак, пыль) are told. A file with less text than that may be read
as Chinese: too little to tell.

Complexity: O(size) to decode; the other readings are looked at in the first
:data:`_SAMPLE` bytes. Only for a file that is not UTF-8.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter

__all__ = ["CHINESE", "WESTERN", "chinese_text", "other_encoding", "western_text"]

#: The encoding of Excel's 'CSV' on Chinese Windows (code page 936, GBK), which GB18030
#: extends: :func:`chinese_text`.
CHINESE = "GB18030"
_SAMPLE = 1 << 20  # bytes looked at to tell another encoding (cut at a line end)
#: The name of Western European 8-bit text (Excel's 'CSV' in Western Europe and the
#: Americas) for a message: :func:`western_text`.
WESTERN = "Windows-1252 or Latin-1 (Western European)"


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
    return text if other_encoding(raw) is None or _common_hanzi(text) else None


#: Hanzi of Chinese industrial files: those of this package's Chinese names (the
#: taxonomy's, the catalogue's, its sectors' and sector codes', the Tongling example's
#: firms), of the words of firm names (公司, 集团, 有限, 股份, 总厂 ...), of units (吨,
#: 立方米, 千瓦时, 吉焦), of China's provinces, of directions and of numbers. Korean and
#: Cyrillic text read as GB18030 gives hanzi of every kind, seldom these
#: (:func:`_common_hanzi`); not 企 (企业), which EUC-KR reads as 폐 (폐수, 폐기물).
_COMMON_HANZI = frozenset(
    "一七万三上下不与专丙业东丝中乙九乡乳二云五井亚产京人他件任份似位低体余作供便修催元充兆克"
    "八公六其养内再农冠冬冲冶冷净凝出分刨利制刷刻剂剩副力加务动助包化北区医十千卉华南印危却厂"
    "压厌原厨县及发古台叶号司合吉吨含和品商啤喷四回团园固国土地场圾块坯垃型垦埋城域基堆塑塔填"
    "境墙墨壤壳处复夏大天失妥子学宁安实室宰密富尔尘尾屋屑展属屠山岛岩川州工市布干平年广庆应底"
    "废度延建开弃微徽态性总成房技投拆拌排控搅收放政效整料斯新方无日旧时明易月有服木末机杂材村"
    "来松板极构林果柑染柠柴树棉棒棕棚植榈槽橘橡檬残殖母毛气氟氢氧氨氮氯水江池污汽沟沥沫河油治"
    "沼法泡泥洗津活浆浓浙浚浮海浸涂消润液淀淤淬混清渔渣温港湖湾湿源溶滑滤漆澳火灰炉炬炭炼烟烧"
    "热烯焚焦然煤熟燃片牛牧物猪玉环玻球理璃瓜瓦瓶瓷甘甜生用田甲电畜疆疏白百皂的皮盐省石矸矾矿"
    "砂砌砖础硅硝硫碎碱碳磷磺福离禽禾秆种科秸稀程稻空窑立站第等筑箔米类粉粒粕粗粘粪精糖糟糠红"
    "纤纳纸纺线细织结给维综绿缆罐置羽耐联聚肃肉股肥胎胶能脂脏脚脱膏膜自致色节芒芯花苏苯苹茶草"
    "药菇菌菜萄葡蒙蒸蓄蔗蔬薄薯藏蘑蚀蜜螺衍衬裂装西角解设谷责质贵贸资赤路车轧转轮轻辅边辽达过"
    "选造道酒酵酸醇采重金釜钒钙钛钠钢钴铁铂铃铅铜铝铣铬铵银铸锂锅锈锌锯锰镀镇镍门阳阴际陆限陕"
    "除险陵陶隆隔集青非面音预颗颜风飞食餐饮饲馏香马驰高鱼鳞鸟鸡麦黄黏黑龙"
)


def _common_hanzi(text: str) -> bool:
    """Whether at least two thirds of the hanzi of ``text`` (in its first
    :data:`_SAMPLE` characters) are in :data:`_COMMON_HANZI`: Chinese industrial names,
    which a short file's bytes may read as Korean too (火力发电厂 as five Hangul
    syllables). O(:data:`_SAMPLE`)."""
    hanzi = _HANZI.findall(text, 0, _SAMPLE)
    return bool(hanzi) and 3 * sum(char in _COMMON_HANZI for char in hanzi) >= 2 * len(hanzi)


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


#: A run of characters outside ASCII that Western European text has: up to three letters
#: or signs of Windows-1252 (ç, ã, é, ß, °, ², µ, €, ’ ...), read as that code page.
_WESTERN_RUN = re.compile(
    r"[\u00a0-\u00ff\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u2013-\u20ac\u2122]{1,3}"
)


def western_text(raw: bytes) -> bool:
    """Whether ``raw`` (not UTF-8, not Chinese nor another code page named) reads as
    Western European text in Windows-1252 or Latin-1, as Excel saves 'CSV' in Brazil,
    Spain, France or Germany ('vinhaça', 'Müller', 'Compañía'): it decodes so; at least 90 %
    of its runs of characters outside ASCII are one to three letters or signs of that code
    page; and at least half of them touch an ASCII letter (an accent inside a word). Greek
    or Central European text read so gives long runs, Chinese runs apart from Latin words.
    Only to name the encoding in a refusal; O(:data:`_SAMPLE`)."""
    try:
        text = raw[:_SAMPLE].decode("cp1252")
    except UnicodeDecodeError:  # 0x81, 0x8D, 0x8F, 0x90, 0x9D are no character
        return False
    runs = _OUTSIDE_ASCII.findall(text)
    western = sum(_WESTERN_RUN.fullmatch(run) is not None for run in runs)
    if not runs or western * 10 < len(runs) * 9:
        return False
    touching = sum(1 for match in _OUTSIDE_ASCII.finditer(text) if _touches(text, match))
    return 2 * touching >= len(runs)


def _touches(text: str, match: re.Match[str]) -> bool:
    """Whether the run ``match`` of ``text`` has an ASCII letter right before or after it."""
    start, end = match.span()
    before = text[start - 1] if start else ""
    after = text[end] if end < len(text) else ""
    return (before.isascii() and before.isalpha()) or (after.isascii() and after.isalpha())


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
