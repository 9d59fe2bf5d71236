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
    市场, 填埋场, 尾矿库, 大气 ...), and German, French, Spanish, Italian, Dutch, Finnish,
    Danish and Swedish ones (Firma, Werk, Bergwerk, Recyclinghof, Kläranlage,
    Müllverbrennungsanlage, Kraftwerk, Heizkraftwerk, Haushalte, Markt, Deponie, Umwelt,
    Luft; usine, centrale, station d'épuration, décharge; empresa, planta, vertedero;
    stortplaats; kaatopaikka ...), read without their umlauts and accents too (Klaeranlage,
    decharge). :mod:`symbiosis.vocabulary.european` lists them, and the words left out
    because they could name two roles (Entsorgung, Wasser, Halde, Station ...). Japanese
    and Korean ones (工場, 埋立地; 기업, 공장, 매립장, 하수처리장, 발전소, 대기 ...) are in
    :mod:`symbiosis.vocabulary.east_asian` and :mod:`symbiosis.vocabulary.korean`, with the
    Korean words left out (처리, 처분, 센터 ...).

    A role that says the node takes hazardous waste (``hazardous waste landfill``,
    危废填埋场, 危险废物填埋场, ``hazardous waste treatment``, 危废处置中心,
    ``Sondermülldeponie``) marks the node :data:`HAZARDOUS` too (:func:`hazardous_role`).

Categories
    product, by-product (byproduct, co-product, coproduct, secondary product),
    waste (residue, refuse, solid waste, hazardous waste, industrial waste, wastewater,
    固废, 危险废物, 废水), emission (emissions, discharge, release, air emissions, air
    pollutants, exhaust, 废气); in German, French, Spanish, Italian, Dutch, Finnish too
    (Produkt, produit; Nebenprodukt, sous-produit, subproducto; Abfall, Abwasser, déchet,
    residuo, afval, jäte; Emissionen, Abgas, rejet), Japanese and Korean (副産物, 廃棄物;
    부산물, 폐기물, 제품, 배출; 지정폐기물 says hazardous). Energy and water are dimensions, given
    by the unit. A category that says hazardous (``hazardous waste``, 危险废物, 危废,
    ``gefährliche Abfälle``, ``déchets dangereux``) reads as ``waste`` and marks the flow
    :data:`HAZARDOUS` (:func:`hazardous_category`).

Material names
    Materials are matched on a key: :func:`material_key` lower-cases, turns ``_`` and
    ``-`` into spaces, collapses spaces, spells sulphur as sulfur, applies a short alias
    table (``SO2`` -> ``sulfur dioxide``) and drops a plural ``s`` (``es`` after s, sh,
    ch, x: ``ashes`` -> ``ash``) from the last word; Chinese in traditional characters is
    keyed in simplified ones (``鋼渣`` as ``钢渣``, by OpenCC: :mod:`symbiosis._hanzi`), as
    are the roles and categories (``發電廠``, ``廢水``).

    A name written in two scripts, ``A (B)`` or ``A（B）``, one part in Chinese, Japanese,
    Korean or another script than the other's ("red mud (赤泥)", "동 슬래그 (copper slag)",
    as yearbooks, EIA reports and park studies write them), keeps its own key;
    :func:`bilingual_parts` gives its two parts, which the taxonomy, the opportunity
    matching and the scenario edits read when the whole name is not known.
"""

from __future__ import annotations

from .columns import HAZARDOUS, SUBSTITUTABLE, SUBSTITUTABLE_WORDS, yes_no
from .materials import material_key
from .roles import (
    ACTOR_ROLES,
    BOUNDARY_ROLES,
    CATEGORIES,
    DIMENSION_WORDS,
    RESIDUAL_CATEGORIES,
    ROLES,
    canonical_category,
    canonical_role,
    category_words,
    hazardous_category,
    hazardous_role,
    role_words,
)
from .scripts import EAST_ASIAN, bilingual_parts, non_latin_scripts
from .text import close_ids, close_words

__all__ = [
    "ACTOR_ROLES",
    "BOUNDARY_ROLES",
    "CATEGORIES",
    "DIMENSION_WORDS",
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
    "close_words",
    "hazardous_category",
    "hazardous_role",
    "material_key",
    "non_latin_scripts",
    "role_words",
    "yes_no",
]
