"""Role and category aliases in Japanese, merged into the tables of
:mod:`symbiosis.vocabulary.aliases` (whose Chinese is simplified).

Japanese words are listed as Japanese reports write them (``工場``, ``埋立地``, ``廃棄物``,
``産業廃棄物``, ``副産物``; Kawasaki's eco-town, the e-Stat waste statistics), and are looked
up as written. Traditional Chinese (Taiwan, Hong Kong, older mainland sources) needs no
list: a word is looked up in simplified characters too (:mod:`.roles`, by OpenCC:
:func:`symbiosis._hanzi.simplified`), so that ``企業``, ``發電廠``, ``廢水``, ``副產品`` read
as ``企业``, ``发电厂``, ``废水``, ``副产品`` do. Hazardous ones (``特別管理産業廃棄物``,
Japan's specially controlled industrial waste; ``危險廢物``, as ``危险废物``) mark the node or
flow hazardous, as the others do.
"""

from __future__ import annotations

__all__ = ["JAPANESE_CATEGORY_ALIASES", "JAPANESE_ROLE_ALIASES"]

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
