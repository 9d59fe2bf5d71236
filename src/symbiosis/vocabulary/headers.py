"""The headers in Chinese, Japanese and Korean read as the English names of the columns of
``firms.csv``, ``flows.csv`` and a demands file (:mod:`symbiosis.io.header_names` reads
them; the hint for a column still missing names them).

Per table, since one word names different columns in two tables (``类型`` is a flow's
category and a firm's role; ``单位`` a flow's unit, and in ``接收单位`` a receiving
organisation). Chinese is listed in simplified characters, each word in traditional
characters too where they differ (``數量``, ``單位``, ``來源``: Taiwan, Hong Kong); Japanese
as its reports and e-Stat tables head them (``出荷元``, ``品目``, ``単位``, ``区分``); Korean
as its statistics do (``공급처``, ``수요처``, ``물질``, ``수량``, ``단위``). Words that may name
something else (``企业`` a firm's id or its name, ``产生量`` one of two quantities) are not
here: the rename hint suggests them (:mod:`symbiosis.io.columns`).
"""

from __future__ import annotations

__all__ = [
    "DEMAND_HEADERS",
    "FIRM_HEADERS",
    "FLOW_HEADERS",
    "HEADERS",
    "LANGUAGES",
    "header_language",
    "headers_of",
    "read_in",
]

#: The Chinese headers of the firms' columns.
FIRM_HEADERS = {
    "id": ("编号", "企业编号", "节点编号", "企业代码", "代号"),
    "name": ("名称", "企业名称", "单位名称", "节点名称", "公司名称", "企业名", "公司名"),
    "sector": ("行业", "所属行业", "部门", "产业", "行业类别"),
    "role": ("角色", "类型", "节点类型", "企业类型"),
    "lat": ("纬度",),
    "lon": ("经度",),
}
#: The Chinese headers of the flows' columns (``产生量`` and ``利用量``, a register's
#: generated and used amounts, are two quantities: only suggested, by the rename hint).
FLOW_HEADERS = {
    "source": (
        *("来源", "来源单位", "产生单位", "产生企业", "供方", "供应方", "来源企业"),
        *("产废单位", "产废企业", "供应企业"),  # a waste manifest's generator
    ),
    "target": (
        *("去向", "目标", "去向单位", "接收单位", "接收企业", "需方", "利用单位"),
        *("去处", "流向", "去向企业", "接收方", "利用企业", "处置单位", "利用处置单位"),
    ),
    "material": ("物料", "物质", "物料名称", "废物名称", "材料", "物品"),
    "quantity": ("数量", "流量", "重量"),
    "unit": ("单位", "计量单位", "数量单位"),
    "category": ("类别", "类型", "种类", "分类", "物料类别"),
    "year": ("年份", "年度", "年"),
    "price": ("单价", "价格"),
}
#: The Chinese headers of a demands file's columns (:mod:`~symbiosis.io.demands`): the
#: flows' for the material, quantity and unit; for the firm, which takes the material,
#: the flows' receiver's and the firms' id's, with ``企业`` (firm) and ``需求企业`` /
#: ``需求单位`` (the firm, the unit that demands); ``需求量`` (the quantity demanded) and
#: ``备注`` (notes) besides.
DEMAND_HEADERS = {
    "firm": ("企业", "需求企业", "需求单位", *FIRM_HEADERS["id"], *FLOW_HEADERS["target"]),
    "material": FLOW_HEADERS["material"],
    "quantity": (*FLOW_HEADERS["quantity"], "需求量"),
    "unit": FLOW_HEADERS["unit"],
    "notes": ("备注",),
}

_JAPANESE_FIRMS = {
    "id": ("番号", "企業番号", "事業所番号", "コード", "企業コード", "事業所コード"),
    "name": ("名称", "企業名", "事業所名", "会社名", "事業者名"),
    "sector": ("業種", "産業", "業界", "産業分類", "業種分類"),
    "role": ("役割", "種別", "区分", "事業所区分"),
    "lat": ("緯度",),
    "lon": ("経度",),
}
_JAPANESE_FLOWS = {
    "source": ("出荷元", "供給元", "排出元", "発生元", "排出事業者", "搬出元"),
    "target": ("出荷先", "供給先", "受入先", "搬出先", "処分先", "搬入先", "受入事業者"),
    "material": ("品目", "品名", "物質", "物質名", "材料", "廃棄物の種類"),
    "quantity": ("数量", "量", "重量"),
    "unit": ("単位", "数量単位"),
    "category": ("区分", "種別", "分類", "種類"),
    "year": ("年度", "年"),
    "price": ("単価", "価格"),
}
_JAPANESE_DEMANDS = {
    "firm": ("企業", "需要家", "需要事業所", *_JAPANESE_FIRMS["id"], *_JAPANESE_FLOWS["target"]),
    "material": _JAPANESE_FLOWS["material"],
    "quantity": (*_JAPANESE_FLOWS["quantity"], "需要量"),
    "unit": _JAPANESE_FLOWS["unit"],
    "notes": ("備考",),
}
_KOREAN_FIRMS = {
    "id": ("번호", "코드", "기업코드", "업체코드", "사업장코드"),
    "name": ("이름", "명칭", "기업명", "업체명", "회사명", "사업장명"),
    "sector": ("업종", "산업", "산업분류", "업종분류"),
    "role": ("역할", "유형", "구분", "사업장유형"),
    "lat": ("위도",),
    "lon": ("경도",),
}
_KOREAN_FLOWS = {
    "source": (
        *("출처", "공급처", "배출처", "배출업체", "공급업체", "발생처"),
        *("출발", "출발지", "배출원", "발생원", "인계자", "배출자"),  # a manifest's 인계
    ),
    "target": (
        *("수요처", "목적지", "납품처", "수령처", "처리업체", "인수업체"),
        *("도착", "도착지", "반입처", "인수자", "수요업체"),
    ),
    "material": ("물질", "자재", "품목", "물질명", "품명", "폐기물종류"),
    "quantity": ("수량", "양", "물량", "중량"),
    "unit": ("단위", "계량단위"),
    "category": ("구분", "분류", "유형", "종류"),
    "year": ("연도", "년도"),
    "price": ("단가", "가격"),
}
_KOREAN_DEMANDS = {
    "firm": ("기업", "업체", "수요기업", *_KOREAN_FIRMS["id"], *_KOREAN_FLOWS["target"]),
    "material": _KOREAN_FLOWS["material"],
    "quantity": (*_KOREAN_FLOWS["quantity"], "수요량"),
    "unit": _KOREAN_FLOWS["unit"],
    "notes": ("비고",),
}

#: Simplified characters of the Chinese headers and their traditional forms (those that
#: differ).
_TRADITIONAL = str.maketrans(
    dict(
        zip(
            "编号业称单产类经纬门来数计价废处质种应标节点别码备注属",
            "編號業稱單產類經緯門來數計價廢處質種應標節點別碼備註屬",
            strict=True,
        )
    )
)


def _with_traditional(table: dict[str, tuple[str, ...]]) -> dict[str, tuple[str, ...]]:
    """``table`` with each word also in traditional characters, where they differ."""
    return {
        column: tuple(dict.fromkeys((*words, *(w.translate(_TRADITIONAL) for w in words))))
        for column, words in table.items()
    }


#: The languages of the headers read, each with the tables' headers: column -> words.
HEADERS: dict[str, dict[str, dict[str, tuple[str, ...]]]] = {
    "Chinese": {
        "firms": _with_traditional(FIRM_HEADERS),
        "flows": _with_traditional(FLOW_HEADERS),
        "demands": _with_traditional(DEMAND_HEADERS),
    },
    "Japanese": {"firms": _JAPANESE_FIRMS, "flows": _JAPANESE_FLOWS, "demands": _JAPANESE_DEMANDS},
    "Korean": {"firms": _KOREAN_FIRMS, "flows": _KOREAN_FLOWS, "demands": _KOREAN_DEMANDS},
}
LANGUAGES = tuple(HEADERS)


def headers_of(what: str, language: str | None = None) -> dict[str, str]:
    """Each header of the table ``what`` ("firms", "flows", "demands") in ``language``
    (every language when None) to its column. A word two languages share (``名称``,
    ``数量``) names one column in both. O(words).

    >>> headers_of("flows")["出荷元"], headers_of("flows")["數量"], headers_of("firms")["업종"]
    ('source', 'quantity', 'sector')
    """
    languages = LANGUAGES if language is None else (language,)
    return {
        word: column
        for name in reversed(languages)  # the first language's reading wins, if any differs
        for column, words in HEADERS[name][what].items()
        for word in words
    }


def header_language(names: list[str], what: str) -> str | None:
    """The language of the header ``names`` (stripped, lower-cased) of the table ``what``:
    the one in which most of them are headers of its; among none, Korean for a name in
    Hangul, Japanese for one in kana, Chinese for one in Han characters; None for a
    header in none of those scripts. O(names x words).

    >>> header_language(["出荷元", "出荷先", "品目", "量", "単位"], "flows")
    'Japanese'
    >>> header_language(["来源", "去向", "量"], "flows"), header_language(["a", "b"], "flows")
    ('Chinese', None)
    """
    counts = {}
    for language in LANGUAGES:
        words = headers_of(what, language)
        counts[language] = sum(name in words for name in names)
    best = max(LANGUAGES, key=counts.__getitem__)
    if counts[best]:
        return best
    text = "".join(names)
    if any("\uac00" <= c <= "\ud7a3" or "\u1100" <= c <= "\u11ff" for c in text):
        return "Korean"
    if any("\u3040" <= c <= "\u30ff" for c in text):
        return "Japanese"
    if any("\u4e00" <= c <= "\u9fff" or "\u3400" <= c <= "\u4dbf" for c in text):
        return "Chinese"
    return None


def read_in(column: str, what: str, language: str) -> str:
    """The headers in ``language`` read as ``column`` of the table ``what``, for a hint:
    '企业, 需求企业, 需求单位 ...' (the first three), or '' when there are none.

    >>> read_in("quantity", "flows", "Japanese")
    '数量, 量, 重量'
    """
    words = HEADERS[language][what].get(column, ())
    return ", ".join(words[:3]) + (" ..." if len(words) > 3 else "")
