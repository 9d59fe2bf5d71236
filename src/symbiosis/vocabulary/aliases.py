"""The aliases of the roles and the categories (the table of :mod:`symbiosis.vocabulary`):
every word a practitioner writes for one, in the languages the data come in: English and
(simplified) Chinese here, the European languages in :mod:`symbiosis.vocabulary.european`,
Japanese in :mod:`symbiosis.vocabulary.east_asian`, Korean in
:mod:`symbiosis.vocabulary.korean`; traditional Chinese is read in
simplified characters (:mod:`symbiosis.vocabulary.roles`)."""

from __future__ import annotations

from .east_asian import JAPANESE_CATEGORY_ALIASES, JAPANESE_ROLE_ALIASES
from .european import EUROPEAN_CATEGORY_ALIASES, EUROPEAN_ROLE_ALIASES
from .korean import KOREAN_CATEGORY_ALIASES, KOREAN_ROLE_ALIASES


def _once(words: tuple[str, ...], *others: tuple[str, ...]) -> tuple[str, ...]:
    """The words, then the others', each once."""
    return tuple(dict.fromkeys((*words, *(w for more in others for w in more))))


_ROLE_ALIASES: dict[str, tuple[str, ...]] = {
    "firm": (
        "",
        "company",
        "plant",
        "factory",
        "processing",
        "manufacturing",
        "manufacturer",
        "industry",
        "producer",
        "process",
        "processor",
        "enterprise",
        # registers' words for a reporting site (E-PRTR, US TRI, China's permits)
        *("facility", "installation", "establishment", "production plant", "manufacturing plant"),
        *("farm", "farms", "agriculture", "port", "harbour", "harbor"),
        *("企业", "工厂", "厂", "公司", "生产企业", "工业企业", "排污单位"),
        *("农场", "农业", "养殖场", "港口"),
    ),
    "extraction": (
        *("mine", "mining", "quarry", "well", "extractor", "extractive"),
        *("矿山", "矿", "采矿", "开采", "矿井"),
    ),
    "recycling": (
        *("recycler", "recovery", "reprocessing", "reprocessor", "scrap yard"),
        *("recycling plant", "recycling facility", "recycling centre", "recycling center"),
        *("recycling company", "recovery facility", "material recovery facility", "mrf"),
        *("scrap dealer", "scrap merchant"),
        # composting and digestion recover the waste as a product (EU recovery code R3)
        *("composting", "composting plant", "compost plant", "anaerobic digestion"),
        *("堆肥厂", "堆肥"),
        *("回收", "再生", "回收企业", "再生资源", "资源回收", "回收利用", "回收站", "再生资源企业"),
    ),
    "treatment": (
        "wastewater treatment",
        "wwtp",
        "incinerator",
        "incineration",
        "treatment plant",
        "waste treatment",
        *("wastewater treatment plant", "sewage treatment plant", "sewage treatment", "stp"),
        *("water treatment plant", "waste treatment plant", "waste treatment facility"),
        *("incineration plant", "waste to energy", "waste to energy plant", "wte", "efw"),
        *("hazardous waste treatment", "waste water treatment plant", "sewage works"),
        *("effluent treatment plant", "etp", "common effluent treatment plant", "cetp"),
        *("污水处理厂", "污水处理", "处理厂", "焚烧厂", "焚烧", "无害化处理", "垃圾焚烧厂"),
        *("垃圾处理厂", "危废处置中心", "危险废物处置中心", "污水厂", "污水处理站"),
    ),
    "utility": (
        *("power plant", "power", "energy", "utilities", "power station"),
        *("chp", "chp plant", "combined heat and power", "cogeneration", "cogeneration plant"),
        *("district heating", "heat plant", "heating plant", "boiler house"),
        *("waterworks", "water works", "water utility"),
        *("电厂", "发电厂", "热电厂", "供热", "供电", "公用事业", "热力公司", "热源厂"),
        *("自来水厂", "水厂"),
    ),
    "household": (
        *("households", "residential", "city", "municipality", "consumer", "consumers"),
        *("residents", "population", "urban residents"),
        *("居民", "家庭", "城市", "生活", "居民区", "城镇居民"),
    ),
    # passes on what it receives, makes nothing (docs/reuse.md): counted once in reuse
    "distributor": (
        *("distribution", "pipeline", "pipeline operator", "pipeline company", "grid operator"),
        *("network operator", "steam network", "heat network", "transmission", "hub"),
        *("broker", "trader", "trading company", "dealer", "wholesaler", "merchant"),
        *("transfer station", "pass through", "transit"),
        *("管网", "管网公司", "经销商", "分销商", "批发商", "贸易商", "中间商", "中转站", "转运站"),
    ),
    "market": (
        "import",
        "imports",
        "supply",
        "supplier",
        "export",
        "exports",
        "final demand",
        "customer",
        "customers",
        "outside",
        "external",
        "economy",
        *("sales", "buyer", "buyers", "end user", "end users", "domestic market"),
        *("export market", "world market", "rest of world"),
        *("市场", "外部市场", "外销", "销售", "进口", "出口", "国内市场"),
    ),
    "disposal": (
        *("landfill", "tailings pond", "tailings", "stack", "dump", "disposal site", "sink"),
        *("landfill site", "sanitary landfill", "tailings dam"),
        # a hazardous-waste landfill or store: every residue sent there is hazardous
        *("hazardous waste landfill", "hazardous landfill", "危废填埋场", "危险废物填埋场"),
        *("tailings storage facility", "tsf", "slag dump", "waste dump", "waste rock dump"),
        *("ash pond", "ash yard", "spoil heap"),
        *("填埋场", "填埋", "尾矿库", "堆场", "渣场", "排土场", "处置", "灰场", "赤泥库", "渣库"),
    ),
    "environment": (
        "air",
        "atmosphere",
        "river",
        "lake",
        "sea",
        "water body",
        "nature",
        "env",
        "ocean",
        *("soil", "groundwater", "surface water", "receiving water", "land"),
        *("环境", "大气", "空气", "河流", "水体", "自然", "土壤", "地下水", "海洋"),
        "海",  # as a Chinese table writes the sea (海洋, 海域 the longer words)
    ),
}
_CATEGORY_ALIASES: dict[str, tuple[str, ...]] = {
    "product": ("products", "main product", "goods", "good", "产品", "主产品", "商品"),
    "by-product": (
        "byproduct",
        "by product",
        "byproducts",
        "by-products",
        "co-product",
        "coproduct",
        "co product",
        "secondary product",
        *("副产品", "副产物", "联产品"),
    ),
    "waste": (
        *("wastes", "residue", "residues", "refuse"),
        # the classes registers report waste under
        *("solid waste", "hazardous waste", "non hazardous waste", "industrial waste"),
        *("industrial solid waste", "general waste", "wastewater"),
        *("废物", "废弃物", "固体废物", "固废", "危险废物", "危废", "一般固废", "一般工业固体废物"),
        *("工业固废", "废水", "废渣"),
    ),
    "emission": (
        *("emissions", "discharge", "release", "releases"),
        *("air emission", "air emissions", "air pollutant", "air pollutants", "exhaust"),
        *("排放", "排放物", "废气", "大气排放", "污染物排放"),
    ),
}
#: Every alias of each role and category, English and Chinese first (a Japanese word
#: written as a Chinese one, 家庭, once).
ROLE_ALIASES = {
    r: _once(words, EUROPEAN_ROLE_ALIASES[r], JAPANESE_ROLE_ALIASES[r], KOREAN_ROLE_ALIASES[r])
    for r, words in _ROLE_ALIASES.items()
}
CATEGORY_ALIASES = {
    c: _once(
        words,
        EUROPEAN_CATEGORY_ALIASES[c],
        JAPANESE_CATEGORY_ALIASES[c],
        KOREAN_CATEGORY_ALIASES[c],
    )
    for c, words in _CATEGORY_ALIASES.items()
}
# Category words people use that are really dimensions: the hint explains.
DIMENSION_WORDS = {"energy", "water", "heat", "electricity", "steam", "power"}
