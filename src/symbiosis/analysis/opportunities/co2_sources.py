"""CO2 grades of the sources: what a flow's name, and else its source's sector, say of how
pure its CO2 is (:mod:`.purity` reads them).

A flow of the taxonomy's carbon dioxide family has a *grade*, by its name first, else by
its source's sector:

==========  ================================================  ================================
grade       named                                             or from a source of
==========  ================================================  ================================
``pure``    as the catalogue's high-purity CO2 (fermentation  ammonia, hydrogen (steam methane
            CO2, ammonia plant CO2 ...), or food-grade,       reforming), fermentation
            liquid, liquefied, purified, dry ice, 食品级,     (ethanol, breweries,
            液态, 发酵, Rectisol, 甲醇洗                       distilleries), ethylene oxide,
                                                              natural gas processing, biogas
                                                              upgrading, an industrial-gas
                                                              plant (what it purified); a
                                                              purchase from a market
``part``    --                                                a petroleum refinery: heaters'
                                                              and FCC flue gas, with a
                                                              hydrogen plant's pure CO2 at
                                                              some (Shell Pernis to OCAP)
``flue``    flue, stack, exhaust, combustion, boiler, kiln,   power, district heating, waste
            烟气                                              incineration, cement, lime,
                                                              iron and steel, alumina
                                                              refining, glass, ceramics, pulp
                                                              and paper, mineral wool,
                                                              sulfuric acid; a steam cracker
                                                              (ethylene, olefins); a boiler,
                                                              kiln, calciner or incinerator by
                                                              its sector's words; a CO2
                                                              purifier's vent
==========  ================================================  ================================

IPCC's Special Report on Carbon Dioxide Capture and Storage (2005, chapter 2, table 2.3) gives
the concentrations: ammonia, hydrogen, ethylene oxide and fermentation streams are about
100 % CO2 and natural gas processing strips it pure, while a power station's flue gas holds
3-15 %, a cement kiln's 14-33 % and a refinery's heaters about 8 %; ethylene production is
among the sources of low concentration: a steam cracker's CO2 is its cracking furnaces'
flue gas (Ren, Patel & Blok 2006, Energy 31:425-451: the furnaces burn the cracker's own
fuel gas), unless the plant also makes ethylene oxide, whose CO2 is pure. A sulfuric acid
plant makes no CO2 of its own (it burns sulfur, roasts pyrite or takes a smelter's SO2);
the CO2 it emits is a kiln's or a boiler's: Lubei's 磷石膏制硫酸联产水泥 plant reduces
phosphogypsum with coke in a rotary kiln, its SO2 to acid, its residue to clinker (the
Müller-Kühne process). A source of several (a refinery with a hydrogen plant named, an
ammonia and lime works) takes the purest. A name saying ``biogenic`` (where the carbon comes
from, not how pure the gas is) is flue gas unless its source is pure.

A *purifier*, a node that takes CO2 in and liquefies or purifies it (its sector says a CO2
plant, CO2 purification, liquefaction or recovery, liquid CO2, dry ice, 二氧化碳回收, 干冰,
液化炭酸ガス, 액화탄산가스; or it sends out CO2 named pure: ``food-grade liquid CO2``), sells
the pure CO2 and vents the rest: a residue (disposed or emitted) of plain CO2 from it is
its *vent*, the non-condensables purged from its liquefier with the CO2 they still carry,
graded ``flue`` (:func:`vents`): no liquid-CO2 plant, bottler or greenhouse takes it as it
is. Jurong's food-grade CO2 plant (``carbon dioxide purification``, fed with the EO plant's
CO2) had had its 10 kt vent offered back to an air-separation unit ("closes a loop"), to a
new food plant and to greenhouses, as established pure CO2.

Complexity: one regular-expression search per distinct material key and per distinct
sector text, cached on the context; O(f) for the vents when a node takes CO2 and emits
plain CO2.
"""

from __future__ import annotations

import re

import numpy as np

from ..._hanzi import simplified
from ...catalogue.sectors import normalise_sector
from ...vocabulary import ROLES, material_key
from .materials import taxonomy_classes
from .node_sectors import node_readings, reading_texts, text_memberships
from .receivers import Context

__all__ = [
    "BIOGENIC",
    "FAMILY",
    "FLUE",
    "HIGH_PURITY",
    "PART",
    "PURE",
    "UNKNOWN",
    "key_grades",
    "node_grades",
    "pure_rows",
    "vents",
]

PURE, PART, FLUE, UNKNOWN = 0, 1, 2, -1
BIOGENIC = 3  # a key's grade: its source's when pure, else flue gas
#: The catalogue's material of concentrated CO2 (its rows need no capture step).
HIGH_PURITY = "high-purity CO2"
#: The taxonomy family whose flows have a grade.
FAMILY = "carbon dioxide"

_PURE_NAME = re.compile(
    r"\b(?:food grade|beverage grade|liquid|liquefied|purified|pure|high purity|dry ice"
    r"|fermentation|ammonia plant|hydrogen plant|rectisol)\b|食品级|液态|液体|干冰|发酵|高纯|高浓度"
    r"|甲醇洗"  # Rectisol: the acid-gas removal of gasification syngas strips nearly pure CO2
)
_FLUE_NAME = re.compile(r"\b(?:flue|stack|exhaust|combustion|boiler|kiln)\b|烟气|烟道")
#: A name saying where the carbon comes from, not how pure the gas is: most biogenic CO2 is
#: a biomass boiler's or a gas engine's stack, pure only from a fermentation source.
_BIOGENIC_NAME = re.compile(r"\bbiogenic\b")
#: Words of a sector text whose plant gives nearly pure CO2 (module docstring).
_PURE_WORDS = re.compile(
    r"\b(?:ammonia(?! soda)|hydrogen (?:plant|production|unit|generation)|steam methane"
    r"|smr|fermentation|bioethanol|ethanol|brewery|breweries|brewing|distillery"
    r"|distilleries|ethylene oxide|ethylene glycol|gas processing|gas treating|lng"
    r"|biogas upgrading|biomethane)\b|合成氨|氨厂|制氢|发酵|酒精|乙醇|啤酒|环氧乙烷|天然气净化"
    r"|酸化エチレン|エチレンオキシド|エチレングリコール|산화에틸렌|에틸렌 ?옥사이드|에틸렌 ?글리콜"
)
#: Words of a sector text whose plant's CO2 is flue gas: a boiler, a kiln, a calciner, an
#: incinerator; a steam cracker's furnaces (ethylene, olefins; not coal or methanol to
#: olefins, whose gasification gives Rectisol CO2).
_FLUE_WORDS = re.compile(
    r"\b(?:boilers?|kilns?|calciners?|incinerators?|crackers?|steam cracking|ethylene"
    r"|(?<!\bto )olefins?)\b|锅炉|窑|焚烧|乙烯|裂解|(?<!制)烯烃|エチレン|에틸렌"
)
#: Words of a sector text of a CO2 purifier (module docstring).
_PURIFIER_WORDS = re.compile(
    r"\b(?:co2|carbon dioxide) (?:plant|purification|liquefaction|recovery|capture)\b"
    r"|\b(?:liquid|liquefied|food grade|merchant) (?:co2|carbon dioxide)\b|\bdry ice\b"
    r"|二氧化碳(?:回收|提纯|精制|液化|捕集)|液态二氧化碳|液体二氧化碳|食品级二氧化碳|干冰"
    r"|液化炭酸|炭酸ガス|ドライアイス|액화 ?탄산|탄산 ?가스|드라이아이스"
)
#: Catalogue sectors (normalised) whose CO2 is pure, partly pure, or flue gas.
_PURE_SECTORS = frozenset(map(normalise_sector, ("ethanol", "industrial gases")))
_PART_SECTORS = frozenset(map(normalise_sector, ("petroleum refining",)))
_FLUE_SECTORS = frozenset(map(normalise_sector, (
    "power generation", "district heating", "waste incineration", "cement", "lime",
    "ironmaking", "iron and steel", "steelmaking", "alumina refining", "glass", "ceramics",
    "paper", "kraft pulp", "mineral wool", "sulfuric acid",
)))  # fmt: skip
_DISTRIBUTOR = ROLES.index("distributor")
_RESIDUE_FATES = (0, 1)  # FATES.index: disposed, emitted


def key_grades(ctx: Context) -> tuple[np.ndarray, np.ndarray]:
    """Per material key code (and one more for no key, -1): whether it is of the CO2
    family (by the taxonomy, or a name of the catalogue's high-purity CO2: "CO2 da
    fermentação", which the taxonomy does not know), and the grade its name gives
    (:data:`UNKNOWN` when none). Cached."""
    cache = ctx.__dict__
    if "_co2_keys" not in cache:
        core, catalogue = ctx.core, ctx.catalogue
        matches = taxonomy_classes(ctx)[4]
        high = set(pure_rows(ctx).tolist())
        names = {k for r in high for k in catalogue.pathways["keys"].iat[r]}
        family = np.array([bool(m) and m.family == FAMILY for m in matches] + [False])
        family[:-1] |= np.isin(core.material_keys, list(names))
        grade = np.full(len(family), UNKNOWN, dtype=np.int8)
        for code in np.flatnonzero(family).tolist():
            key = str(core.material_keys[code])
            rows = {p for p, _ in catalogue.match(key) or ()}
            if (rows and rows <= high) or _PURE_NAME.search(key):
                grade[code] = PURE
            elif _FLUE_NAME.search(key):
                grade[code] = FLUE
            elif _BIOGENIC_NAME.search(key):
                grade[code] = BIOGENIC
        cache["_co2_keys"] = (family, grade)
    return cache["_co2_keys"]


def pure_rows(ctx: Context) -> np.ndarray:
    """Positions of the catalogue's high-purity CO2 rows."""
    keys = ctx.catalogue.pathways["keys"]
    wanted = material_key(HIGH_PURITY)
    return np.array([i for i, k in enumerate(keys) if k and k[0] == wanted], dtype=np.int64)


def node_grades(ctx: Context) -> np.ndarray:
    """Per node, the grade its sector gives its CO2 (module docstring), :data:`UNKNOWN`
    for none. One search per reading of the nodes. Cached."""
    return _node_readings(ctx)[0]


def _node_readings(ctx: Context) -> tuple[np.ndarray, np.ndarray]:
    """Per node, its sector's grade and whether its sector says it is a CO2 purifier
    (:data:`_PURIFIER_WORDS`). One search per reading. Cached."""
    cache = ctx.__dict__
    if "_co2_nodes" not in cache:
        texts, memberships = ctx.core.sectors, text_memberships(ctx)
        grades, purifiers = [], []
        for member, text in zip(memberships, reading_texts(ctx), strict=True):
            words = simplified(str(texts[text])).lower().replace("-", " ") if text >= 0 else ""
            sectors = set(member)
            if sectors & _PURE_SECTORS or _PURE_WORDS.search(words):
                grades.append(PURE)
            elif sectors & _PART_SECTORS:
                grades.append(PART)
            elif sectors & _FLUE_SECTORS or _FLUE_WORDS.search(words):
                grades.append(FLUE)
            else:
                grades.append(UNKNOWN)
            purifiers.append(bool(_PURIFIER_WORDS.search(words)))
        readings = node_readings(ctx)
        cache["_co2_nodes"] = (np.array([*grades, UNKNOWN], dtype=np.int8)[readings],
                               np.array([*purifiers, False], dtype=bool)[readings])  # fmt: skip
    return cache["_co2_nodes"]


def vents(ctx: Context, into: np.ndarray) -> np.ndarray:
    """Per stream, whether it is a purifier's vent (module docstring): a residue (disposed
    or emitted) of the family whose name gives no grade, from an actor (not of the role
    ``distributor``, which passes on what it takes: a pipeline's vented surplus is the
    pure CO2 it carries) that takes CO2 (``into``: the positions of the flows of the
    family into actors; one of 0 t carried nothing) and whose sector says it purifies CO2
    or that sends out CO2 named pure. O(s), and O(f) for the flows named pure when such
    a stream is found. Cached."""
    cache = ctx.__dict__
    if "_co2_vents" not in cache:
        core, streams = ctx.core, ctx.streams
        family, named = key_grades(ctx)
        purifier = _node_readings(ctx)[1]
        found = np.zeros(len(streams), dtype=bool)
        if purifier.any() or (named == PURE).any():  # else no purifier: O(n + k)
            found = (family & (named == UNKNOWN))[streams.key_code]
        if found.any():
            found &= np.isin(streams.fate_code, _RESIDUE_FATES)
        if found.any():
            takes = np.zeros(core.n_nodes, dtype=bool)
            takes[core.target[into[ctx.taken[into]]]] = True
            takes &= core.role_code != _DISTRIBUTOR
            found &= takes[streams.source_position]
        if found.any():
            purifier = purifier.copy()
            sent = np.flatnonzero(named[core.material_key_code] == PURE)
            purifier[core.source[sent]] = True
            found &= purifier[streams.source_position]
        cache["_co2_vents"] = found
    return cache["_co2_vents"]
