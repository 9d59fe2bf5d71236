"""Role and category aliases in Japanese and in traditional Chinese, merged into the tables
of :mod:`symbiosis.vocabulary.aliases` (whose Chinese is simplified).

Japanese words are listed as Japanese reports write them (``工場``, ``埋立地``, ``廃棄物``,
``産業廃棄物``, ``副産物``; Kawasaki's eco-town, the e-Stat waste statistics). Traditional
Chinese (Taiwan, Hong Kong, older mainland sources) is each simplified alias written in
traditional characters (:data:`TRADITIONAL`, a map of the characters that differ), so that
``企業``, ``廢水``, ``副產品`` read as ``企业``, ``废水``, ``副产品`` do. Hazardous ones
(``特別管理産業廃棄物``, Japan's specially controlled industrial waste; ``危險廢物``) mark
the node or flow hazardous, as the others do.
"""

from __future__ import annotations

__all__ = ["JAPANESE_CATEGORY_ALIASES", "JAPANESE_ROLE_ALIASES", "traditional"]

JAPANESE_ROLE_ALIASES: dict[str, tuple[str, ...]] = {
    "firm": (
        *("企業", "工場", "会社", "製造業", "事業所", "製造所", "製作所", "製鉄所", "工業"),
        *("事業者", "農場", "港湾"),
    ),
    "extraction": ("鉱山", "採掘", "採石場"),
    "recycling": (
        *("リサイクル", "リサイクル施設", "リサイクル工場", "再資源化", "再資源化施設"),
        *("再生利用", "資源化施設", "堆肥化施設", "リサイクル業者"),
    ),
    "treatment": (
        *("処理施設", "下水処理場", "浄化センター", "水処理センター", "焼却施設", "焼却場"),
        *("清掃工場", "中間処理施設", "廃棄物処理施設", "特別管理産業廃棄物処理施設"),
    ),
    "utility": ("発電所", "電力会社", "火力発電所", "熱供給", "地域冷暖房", "浄水場"),
    "household": ("家庭", "世帯", "市民", "住民", "一般家庭"),
    "distributor": ("卸売業者", "問屋", "商社"),
    "market": ("市場", "輸出", "輸入", "販売", "出荷"),
    "disposal": ("最終処分場", "埋立地", "埋立処分場", "管理型処分場", "埋立"),
    "environment": ("大気", "河川", "海域", "土壌", "環境", "地下水"),
}

JAPANESE_CATEGORY_ALIASES: dict[str, tuple[str, ...]] = {
    "product": ("製品", "主製品"),
    "by-product": ("副産物", "副生成物", "副生物"),
    "waste": (
        *("廃棄物", "産業廃棄物", "一般廃棄物", "廃物", "排水", "廃水"),
        "特別管理産業廃棄物",
    ),
    "emission": ("排出", "排出物", "排ガス", "大気排出"),
}

#: Simplified characters of the Chinese aliases and their traditional forms (those that
#: differ).
TRADITIONAL: dict[str, str] = dict(
    zip(
        "业厂矿采处废弃产电热气环场销进库险资烧无发经贸转运网单农养镇区体联门头营现属",
        "業廠礦採處廢棄產電熱氣環場銷進庫險資燒無發經貿轉運網單農養鎮區體聯門頭營現屬",
        strict=True,
    )
)
_TABLE = str.maketrans(TRADITIONAL)


def traditional(words: tuple[str, ...]) -> tuple[str, ...]:
    """The words written in traditional characters, those that differ from the simplified."""
    written = (word.translate(_TABLE) for word in words)
    return tuple(w for w, s in zip(written, words, strict=True) if w != s)
