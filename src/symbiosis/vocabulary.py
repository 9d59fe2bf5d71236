"""The fixed vocabulary of the flow model: roles, categories and material names.

Roles
    Actors are inside the system; boundary nodes are outside it and never close a loop.

    ============  ========  =========================================================
    role          inside?   aliases accepted (case and spacing ignored)
    ============  ========  =========================================================
    firm          actor     (empty), company, plant, factory, processing, manufacturing,
                            industry, producer, process, facility, installation, farm,
                            port
    extraction    actor     mine, mining, quarry, well, extractor
    recycling     actor     recycler, recovery, reprocessing, scrap yard, recycling
                            plant, material recovery facility, composting, anaerobic
                            digestion
    treatment     actor     wastewater treatment, wwtp, sewage treatment plant, sewage
                            works, effluent treatment plant, incinerator, treatment
                            plant, waste to energy
    utility       actor     power plant, power, energy, utilities, chp, cogeneration,
                            district heating, heat plant, waterworks
    household     actor     households, residential, residents, city, municipality,
                            consumer
    distributor   actor     pipeline operator, grid operator, steam network, broker,
                            trader, dealer, wholesaler, hub, transfer station: a node that
                            only passes on what it receives (docs/reuse.md)
    market        boundary  import, imports, supply, supplier, export, exports, sales,
                            final demand, final-demand, customer, outside, external
    disposal      boundary  landfill, landfill site, tailings pond, tailings dam,
                            tailings, stack, dump, disposal site, ash pond,
                            hazardous waste landfill
    environment   boundary  air, atmosphere, river, lake, sea, water body, soil,
                            groundwater, nature, env
    ============  ========  =========================================================

    Each role has Chinese aliases too (企业, 矿山, 再生资源, 污水处理厂, 热电厂, 居民,
    市场, 填埋场, 尾矿库, 大气 ...).

    A role that says the node takes hazardous waste (``hazardous waste landfill``,
    危废填埋场, 危险废物填埋场, ``hazardous waste treatment``, 危废处置中心) marks the node
    :data:`HAZARDOUS` too (:func:`hazardous_role`).

Categories
    product, by-product (byproduct, co-product, coproduct, secondary product),
    waste (residue, refuse, solid waste, hazardous waste, industrial waste, wastewater,
    固废, 危险废物, 废水), emission (emissions, discharge, release, air emissions, air
    pollutants, exhaust, 废气). Energy and water are dimensions, given by the unit. A
    category that says hazardous (``hazardous waste``, 危险废物, 危废) reads as ``waste``
    and marks the flow :data:`HAZARDOUS` (:func:`hazardous_category`).

Material names
    Materials are matched on a key: :func:`material_key` lower-cases, turns ``_`` and
    ``-`` into spaces, collapses spaces, spells sulphur as sulfur, applies a short alias
    table (``SO2`` -> ``sulfur dioxide``) and drops a plural ``s`` (``es`` after s, sh,
    ch, x: ``ashes`` -> ``ash``) from the last word.

    A name written in two scripts, ``A (B)`` or ``A（B）``, one part in Chinese, Japanese,
    Korean or another script than the other's ("red mud (赤泥)", "동 슬래그 (copper slag)",
    as yearbooks, EIA reports and park studies write them), keeps its own key;
    :func:`bilingual_parts` gives its two parts, which the taxonomy, the opportunity
    matching and the scenario edits read when the whole name is not known.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from functools import lru_cache

__all__ = [
    "ACTOR_ROLES",
    "BOUNDARY_ROLES",
    "CATEGORIES",
    "EAST_ASIAN",
    "HAZARDOUS",
    "RESIDUAL_CATEGORIES",
    "ROLES",
    "SUBSTITUTABLE",
    "SUBSTITUTABLE_WORDS",
    "bilingual_parts",
    "canonical_category",
    "canonical_role",
    "category_words",
    "close_ids",
    "hazardous_category",
    "hazardous_role",
    "material_key",
    "non_latin_scripts",
    "role_words",
    "yes_no",
]

ACTOR_ROLES: tuple[str, ...] = (
    "firm",
    "extraction",
    "recycling",
    "treatment",
    "utility",
    "household",
    "distributor",
)
BOUNDARY_ROLES: tuple[str, ...] = ("market", "disposal", "environment")
ROLES: tuple[str, ...] = ACTOR_ROLES + BOUNDARY_ROLES
CATEGORIES: tuple[str, ...] = ("product", "by-product", "waste", "emission")
RESIDUAL_CATEGORIES: tuple[str, ...] = ("by-product", "waste", "emission")
#: The optional flow column that marks an input substitutable: its receiver makes up for
#: its loss from outside the recorded flows, so it never limits the receiver's output in a
#: supply shock (docs/scenarios.md); empty is the shock model's default rule.
SUBSTITUTABLE = "substitutable"
#: The words of that column (case and spacing ignored): yes first, then no.
SUBSTITUTABLE_WORDS: tuple[tuple[str, ...], tuple[str, ...]] = (
    ("yes", "y", "true", "1", "是"),
    ("no", "n", "false", "0", "否"),
)

#: The optional column of flows.csv and firms.csv that marks hazardous waste: a flow that
#: is hazardous waste (its category ``hazardous waste`` sets it), a node that takes only
#: hazardous waste (its role ``hazardous waste landfill`` sets it). Read by the
#: opportunities' hazard rules (docs/opportunities.md); yes, no or empty.
HAZARDOUS = "hazardous"

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
        *("工业固废", "废水"),
    ),
    "emission": (
        *("emissions", "discharge", "release", "releases"),
        *("air emission", "air emissions", "air pollutant", "air pollutants", "exhaust"),
        *("排放", "排放物", "废气", "大气排放", "污染物排放"),
    ),
}
# Category words people use that are really dimensions: the hint explains.
DIMENSION_WORDS = {"energy", "water", "heat", "electricity", "steam", "power"}


def _collapsed(text: str) -> str:
    """Runs of whitespace as one space, none at the ends: ``re.sub(r"\\s+", " ",
    text).strip()`` without a regular expression (``\\s`` and ``str.split`` agree on
    every code point; tests/test_vocabulary.py)."""
    return " ".join(text.split())


def _spaced(text: str) -> str:
    return " ".join(text.strip().lower().replace("_", " ").split())


def _alias_table(aliases: dict[str, tuple[str, ...]]) -> dict[str, str]:
    table = {}
    for canonical, words in aliases.items():
        table[canonical] = canonical
        table[_spaced(canonical)] = canonical
        for word in words:
            table[_spaced(word)] = canonical
            table[_spaced(word).replace("-", " ")] = canonical
    return table


_ROLE_TABLE = _alias_table(_ROLE_ALIASES)
_CATEGORY_TABLE = _alias_table(_CATEGORY_ALIASES)
# an alias that says hazardous waste or a radioactive store ("non hazardous waste" does not)
_SAYS_HAZARDOUS = re.compile(
    r"(?<!non )\bhazardous\b|\bradioactive\b|(?<!非)(?:危废|危险废物|放射性)"
)


def _hazardous_words(table: dict[str, str]) -> frozenset[str]:
    return frozenset(word for word in table if _SAYS_HAZARDOUS.search(word))


_HAZARDOUS_ROLES = _hazardous_words(_ROLE_TABLE)
_HAZARDOUS_CATEGORIES = _hazardous_words(_CATEGORY_TABLE)


def role_words() -> tuple[str, ...]:
    """Every word read as a role (the roles and their aliases, lower-cased), for a guess
    at a misspelt one."""
    return tuple(word for word in _ROLE_TABLE if word)


def category_words() -> tuple[str, ...]:
    """Every word read as a category (the categories and their aliases, lower-cased)."""
    return tuple(word for word in _CATEGORY_TABLE if word)


def canonical_role(text: str) -> str | None:
    """The canonical role for ``text`` (an alias or a role), or ``None`` if unknown."""
    key = _spaced(text)
    return _ROLE_TABLE.get(key) or _ROLE_TABLE.get(key.replace("-", " "))


def canonical_category(text: str) -> str | None:
    """The canonical category for ``text``, or ``None`` if unknown."""
    key = _spaced(text)
    return _CATEGORY_TABLE.get(key) or _CATEGORY_TABLE.get(key.replace("-", " "))


def hazardous_role(text: str) -> bool:
    """Whether a role as written says the node takes hazardous waste (``hazardous waste
    landfill``, ``危废填埋场``, ``危废处置中心``): it reads as its role (disposal,
    treatment) and marks the node :data:`HAZARDOUS`. O(len(text))."""
    key = _spaced(text)
    return key in _HAZARDOUS_ROLES or key.replace("-", " ") in _HAZARDOUS_ROLES


def hazardous_category(text: str) -> bool:
    """Whether a category as written says hazardous waste (``hazardous waste``, 危险废物,
    危废; not ``non-hazardous waste``): it reads as ``waste`` and marks the flow
    :data:`HAZARDOUS`. O(len(text))."""
    key = _spaced(text)
    return key in _HAZARDOUS_CATEGORIES or key.replace("-", " ") in _HAZARDOUS_CATEGORIES


_MATERIAL_ALIASES = {
    "so2": "sulfur dioxide",
    "co2": "carbon dioxide",
    "h2so4": "sulfuric acid",
    "sulfuric acid": "sulfuric acid",
    "pg": "phosphogypsum",
    "phospho gypsum": "phosphogypsum",
    "flue gas desulfurization gypsum": "fgd gypsum",
    "flue gas desulfurisation gypsum": "fgd gypsum",
    "desulfurization gypsum": "fgd gypsum",
    "desulfurisation gypsum": "fgd gypsum",
    "bf slag": "blast furnace slag",
    "bfs": "blast furnace slag",
    "ggbfs": "ground granulated blast furnace slag",
    "eaf dust": "electric arc furnace dust",
    "pfa": "fly ash",
    "pulverised fuel ash": "fly ash",
    "pulverized fuel ash": "fly ash",
    "msw": "municipal solid waste",
    "ggbs": "ground granulated blast furnace slag",
    "electric power": "electricity",
    "power": "electricity",
}
_NO_SINGULAR = ("ss", "us", "is", "as", "os")
_PLURAL_ES = ("sses", "shes", "ches", "xes")  # glasses, ashes, batches, boxes


@lru_cache(maxsize=1 << 16)  # names repeat: the catalogue, the taxonomy and every flow
def material_key(name: str) -> str:
    """The normalised key under which material names are matched.

    >>> material_key("  Copper_Slags ") == material_key("copper slag")
    True
    >>> material_key("SO2"), material_key("Sulphuric-acid")
    ('sulfur dioxide', 'sulfuric acid')
    """
    text = _spaced(str(name)).replace("-", " ").replace("sulph", "sulf")
    text = _collapsed(text)
    if text in _MATERIAL_ALIASES:
        return _MATERIAL_ALIASES[text]
    words = text.split(" ")
    last = words[-1]
    if len(last) > 3 and last.endswith(_PLURAL_ES):
        words[-1] = last[:-2]
    elif len(last) > 3 and last.endswith("s") and not last.endswith(_NO_SINGULAR):
        words[-1] = last[:-3] + "y" if last.endswith("ies") else last[:-1]
    text = " ".join(words)
    return _MATERIAL_ALIASES.get(text, text)


# "A (B)", "A（B）": one bracketed part at the end, brackets of either width
_BILINGUAL = re.compile(r"\s*(?P<a>[^()（）]+?)\s*[(（]\s*(?P<b>[^()（）]+?)\s*[)）]\s*")
# Han ideographs (hanzi, kanji, hanja: unified, extensions A to H, compatibility), kana
# (with the phonetic extensions, half-width forms, supplements), Hangul (syllables, jamo)
_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
_KANA = "\u3040-\u30ff\u31f0-\u31ff\uff66-\uff9f\U0001b000-\U0001b16f"
_HANGUL = "\u1100-\u11ff\u3130-\u318f\ua960-\ua97f\uac00-\ud7ff\uffa0-\uffdc"
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


def yes_no(text: str) -> bool | None:
    """A cell of a yes-or-no column (``substitutable``, ``hazardous``): True (yes), False
    (no), None (empty); a ValueError for any other word. O(len(text)).

    >>> yes_no(" Yes "), yes_no("FALSE"), yes_no("")
    (True, False, None)
    """
    word = str(text).strip().casefold()
    if not word:
        return None
    for value, words in zip((True, False), SUBSTITUTABLE_WORDS, strict=True):
        if word in words:
            return value
    raise ValueError(f"{text!r} is not yes or no")


def close_ids(value: str, known: list[str], n: int = 1) -> list[str]:
    """The ``n`` ids of ``known`` closest to ``value`` as a typo would leave them:
    difflib's ratio at least 0.75, or at least 0.6 with the same first character or the
    same letters (case ignored): "CEN" or "ECM" for "CEM", never "ANODE" for "NOPE"
    (0.67, a far match that a hint would only mislead with). O(len(known)) comparisons."""
    first = value[:1].lower()
    close = difflib.get_close_matches(value, known, n=max(n, 10), cutoff=0.6)
    letters = sorted(value.lower())
    near = [c for c in close if c[:1].lower() == first or sorted(c.lower()) == letters
            or difflib.SequenceMatcher(None, value, c).ratio() >= 0.75]  # fmt: skip
    return near[:n]
