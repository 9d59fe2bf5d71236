"""Hazardous streams kept off land and out of the food chain.

A stream is *hazardous* when its source treats hazardous waste (sector ``hazardous waste
treatment``: :data:`~symbiosis.catalogue.sectors.HAZARDOUS_WASTE_SECTORS`), or when the
material itself is known to be hazardous:

- a material code of the flow (column ``waste_code`` or ``material_code``, codes separated
  by ``;``) carries the hazard mark of the EU List of Waste (``19 01 13*``), is an entry
  the List marks hazardous written without its mark (``190113``), or is a category of
  China's National Catalogue of Hazardous Wastes (``HW17``);
- its name says so: ``hazardous``, ``toxic`` or ``dangerous`` (the List of Waste's
  "containing dangerous substances"), 危险, 危废, 有毒 or 有害, but not ``non-hazardous``,
  ``non-toxic``, "neither ... nor other hazardous ..." or 非危险;
- its name says it is radioactive (naturally occurring radioactive material, NORM):
  ``radioactive``, ``radionuclide``, ``thorium``, ``uranium``, ``radium``, ``NORM``,
  ``TENORM``, ``monazite``, 放射性, 钍, 铀 or 镭 ("thorium-bearing water-leach residue"),
  or it is the tailings of rare-earth ore ("rare earth tailings", 稀土尾矿: they hold
  the ore's thorium), but not ``non-radioactive`` or "free of thorium".

The analyst's own word counts too (the ``hazardous`` column of flows.csv and firms.csv,
:mod:`symbiosis.io.hazardous`): a flow marked hazardous (its category ``hazardous waste``,
危险废物 or 危废 marks it) is a hazardous material, and so is a stream sent to a node that
takes hazardous waste, unless its flow is marked ``no``: a node marked so (its role
``hazardous waste landfill``, 危废填埋场, ``hazardous waste treatment`` marks it), one of
sector ``hazardous waste treatment`` (``hazardous waste landfill`` ...), or a disposal,
treatment or recycling node whose name says hazardous or radioactive (the words above, but
not a rare-earth tailings dam: the tailings name themselves) ("Hazardous waste landfill",
"Radioactive residue store (放射性废渣库)"), unless the node is marked ``no``. Such a
stream is hazardous as a material: the analyst who sent it there judged it so (but for a
hazardous-waste treater's residue, hazardous by its source already, below). A warning
names the streams that only their target makes hazardous (:func:`target_note`).

A hazardous material meets the catalogue rows that name it or list its code, and, through
the taxonomy, only the rows of its own material written for a hazardous grade of it
(:func:`hazardous_rows_for`, :func:`.candidates.pathway_pairs`): a row is written for a
material's ordinary grade unless one of its codes is hazardous, and resolving a name drops
the words that say it is hazardous ("construction and demolition wastes containing PCB" is
no rubble for recycled aggregate, "toxic fly ash" no coal ash for blocks). A row that lists
a hazardous code (``16 08 02*`` on the metal recovery of spent hydroprocessing catalysts,
``05 01 11*`` on the spent-caustic rows) is written for the hazardous material, and a
qualifier that names the process ("spent hydrotreating catalyst", "naphthenic spent
caustic", hazardous by their category or codes) makes it no other hazard. Not a name that
says it is hazardous: resolving it drops the words that say which hazard ("radioactive",
"containing hazardous substances"). A hazardous-waste treater's residue keeps every row:
its name says what it is (incinerator ash).
Nor does the network's evidence propose a hazardous material other than to an actor taking
the very same material (:mod:`.evidence`): a receiver of its ordinary grade, or of a
material its name resolves to ("thorium-bearing water-leach residue" had resolved to
process water), is no evidence that it could take the hazardous one.
No candidate sends a hazardous stream to land or the food chain
(:data:`~symbiosis.catalogue.sectors.LAND_AND_FOOD_SECTORS`: agriculture, forestry,
composting, animal feed, food and beverages ...), by the pathway's receiving sector or the
receiver's own sectors (the network's evidence and same-material redirects have no
pathway).

Complexity: a regular-expression search per distinct firm sector text, material name and
code cell of the streams, and per name of a disposal, treatment or recycling node; O(s) for
the flows' marks; then O(c) for c candidates.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ..._hanzi import simplified
from ...catalogue.sectors import LAND_AND_FOOD_SECTORS, hazardous_waste_texts
from ...vocabulary import HAZARDOUS, ROLES
from .materials import TAXONOMY_RULES, rows_for
from .node_sectors import nodes_of_sectors
from .receivers import Context

if TYPE_CHECKING:  # candidates reads this module (hazardous_rows_for)
    from .candidates import Candidates

__all__ = [
    "CODE_COLUMNS",
    "hazardous_code",
    "hazardous_materials",
    "hazardous_name",
    "hazardous_names",
    "hazardous_rows_for",
    "hazardous_streams",
    "hazardous_targets",
    "hazardous_to_land",
    "radioactive_note",
    "target_note",
]

#: Columns of flows.csv whose codes can mark a material hazardous.
CODE_COLUMNS = ("waste_code", "material_code")

# the words, less a negation before them ("non-hazardous", "neither liquids nor other
# hazardous components": the List of Waste's 16 01 06, "free of toxic ...", 非危险)
_NEGATIONS = ("non ", "non-", "not ", "nor ", "nor other ", "free of ", "without ")
_LATIN = ("hazardous", "toxic", "dangerous", "radioactive", "radionuclides?", "thorium",
          "uranium", "radium", "norm", "tenorm", "monazite")  # fmt: skip
_CHINESE = ("危险", "危废", "有毒", "有害", "放射性", "钍", "铀", "镭")
# what hazardous_names looks for first in the lower-case names (each word's plain text)
_WORDS = ("hazardous", "toxic", "dangerous", "radioactive", "radionuclide", "thorium",
          "uranium", "radium", "norm", "monazite", *_CHINESE)  # fmt: skip


def _expression(latin: tuple[str, ...], chinese: tuple[str, ...]) -> re.Pattern:
    return re.compile(
        "".join(rf"(?<!\b{n})" for n in _NEGATIONS)
        + rf"\b(?:{'|'.join(latin)})\b|(?<!非)(?:{'|'.join(chinese)})",
        re.IGNORECASE,
    )


# a material's name, and the tailings of rare-earth ore (they hold the ore's thorium)
_NAME = _expression((*_LATIN, r"(?:rare earth|ree) tailings?"), (*_CHINESE, "稀土尾矿"))
_NAME_WORDS = (*_WORDS, "tailing", "稀土尾矿")
# a name that says radioactive (NORM), less the words of other hazards
_RADIOACTIVE = _expression(
    (*_LATIN[3:], r"(?:rare earth|ree) tailings?"), (*_CHINESE[4:], "稀土尾矿")
)
_RADIOACTIVE_WORDS = (*_WORDS[3:10], *_CHINESE[4:], "tailing", "稀土尾矿")
# a node's name: not by the rare-earth tailings (a tailings dam named for them holds the
# iron ore tailings too; the streams' own names say which they are)
_STORE_NAME = _expression(_LATIN, _CHINESE)
#: The roles of a node whose name may say that it takes hazardous waste.
_WASTE_ROLES = ("disposal", "treatment", "recycling")
_CHINESE_CATEGORY = re.compile(r"HW\d{2}", re.IGNORECASE)
_SEPARATORS = re.compile(r"[\s.\-]")


def hazardous_name(name: object) -> bool:
    """Whether a material's name says it is hazardous (module docstring), in simplified
    characters (危險廢物 as 危险废物: :func:`symbiosis._hanzi.simplified`). O(len)."""
    return isinstance(name, str) and _NAME.search(simplified(name)) is not None


def hazardous_rows_for(ctx: Context, key_code: int) -> list[tuple[int, str]]:
    """The catalogue rows a hazardous material of key ``key_code`` meets through the
    taxonomy (when it meets none by name or code): the rows of its own taxonomy material
    (rule ``taxonomy``, :func:`.materials.rows_for`; never across the family, whose
    members differ) written for a hazardous grade of it (:func:`hazardous_grade_rows`);
    none for a name that says it is hazardous (:func:`hazardous_name`): resolving it drops
    the very words that say which hazard ("radioactive", "containing hazardous
    substances"), where a qualifier naming the process ("hydrotreating") makes it no other
    hazard. O(rows of the material)."""
    if key_code < 0 or hazardous_name(ctx.core.material_keys[key_code]):
        return []
    grade = hazardous_grade_rows(ctx)
    return [(p, r) for p, r in rows_for(ctx, key_code) if r == TAXONOMY_RULES[0] and grade[p]]


def hazardous_grade_rows(ctx: Context) -> np.ndarray:
    """Per catalogue row, whether it is written for a hazardous grade of its material: one
    of its codes is hazardous (:func:`hazardous_code`: ``16 08 02*``, an entry the List
    of Waste marks hazardous, an ``HW`` category). One test per row, cached on the
    catalogue (a user's catalogue is another object)."""
    cache = ctx.catalogue.__dict__
    if "_hazardous_grade_rows" not in cache:
        cells = ctx.catalogue.pathways["material_code"].tolist()
        cache["_hazardous_grade_rows"] = np.array([hazardous_code(c) for c in cells], bool)
    return cache["_hazardous_grade_rows"]


def hazardous_names(names: np.ndarray, *, stores: bool = False) -> np.ndarray:
    """:func:`hazardous_name` of each name (``stores``: of each node's name, without the
    rare-earth tailings). The words are found by :meth:`str.find` in
    the names joined (lower-case, by line breaks), and only the names holding one are
    searched: a pass over the characters per word (100,000 names: 0.65 s by one search
    of the joined names with the expression, 0.09 s so). O(total length)."""
    pattern, words = (_STORE_NAME, _WORDS) if stores else (_NAME, _NAME_WORDS)
    return _names_matching(names, pattern, words)


def _names_matching(names: np.ndarray, pattern: re.Pattern, words: tuple[str, ...]) -> np.ndarray:
    """Per name, whether ``pattern`` finds it, searched only in the names holding one of
    ``words`` (:func:`hazardous_names`), in simplified characters (:func:`hazardous_name`).
    O(total length)."""
    names = np.array([simplified(n) if isinstance(n, str) else n for n in names], dtype=object)
    texts = [n.lower().replace("\n", " ") if isinstance(n, str) else "" for n in names]
    ends = np.cumsum([len(t) + 1 for t in texts])  # past each name's line break
    joined, holding = "\n".join(texts), set()
    for word in words:
        at = joined.find(word)
        while at >= 0:
            holding.add(int(np.searchsorted(ends, at, side="right")))
            at = joined.find(word, at + 1)
    found = np.zeros(len(texts), dtype=bool)
    for index in holding:
        found[index] = isinstance(names[index], str) and bool(pattern.search(names[index]))
    return found


def hazardous_code(cell: object) -> bool:
    """Whether a cell of material codes (separated by ``;``) holds a hazardous one: marked
    ``*``, an entry the EU List of Waste marks hazardous, or a Chinese ``HW`` category.
    The List is read (once per process) only for a six-digit code without the mark."""
    if not isinstance(cell, str):
        return False
    for part in cell.split(";"):
        code = _SEPARATORS.sub("", part)
        if "*" in code or _CHINESE_CATEGORY.match(code):
            return True
        if len(code) == 6 and code.isdigit():
            from ...registers.codes import low_list  # the List of Waste, read on first use

            entry = low_list().get(code)
            if entry is not None and entry.hazardous:
                return True
    return False


def hazardous_streams(ctx: Context) -> np.ndarray:
    """Per stream, whether it is hazardous: by its source's sector, or as a material
    (:attr:`.receivers.Context.hazardous_material`). One test per distinct sector text."""
    return _treaters(ctx)[ctx.streams.source_position] | ctx.hazardous_material


def _treaters(ctx: Context) -> np.ndarray:
    """Per node, whether its sector treats hazardous waste. One test per distinct text."""
    core = ctx.core
    sectors = np.array([*hazardous_waste_texts(ctx.catalogue.sectors, list(core.sectors)), False])
    return sectors[core.sector_code]  # code -1: no sector


def hazardous_materials(ctx: Context) -> np.ndarray:
    """Per stream, whether its material is hazardous: by its codes, its name or its
    flow's mark, or by the node it goes to (:func:`target_hazards`; module docstring).
    One test per distinct name and code cell."""
    return _own_hazards(ctx) | target_hazards(ctx)


def target_hazards(ctx: Context) -> np.ndarray:
    """Per stream, whether it goes to a node that takes hazardous waste
    (:func:`hazardous_targets`) and its flow is not marked ``no``; not a hazardous-waste
    treater's residue, hazardous by its source already and named for what it is (its
    incinerator ash keeps the rows it resolves to). O(s)."""
    streams, treaters = ctx.streams, _treaters(ctx)
    sent = hazardous_targets(ctx, treaters)[streams.target_position]
    return sent & (_flow_marks(streams) != 0) & ~treaters[streams.source_position]


def hazardous_targets(ctx: Context, treaters: np.ndarray | None = None) -> np.ndarray:
    """Per node, whether it takes hazardous waste (module docstring): marked so in the
    firms' ``hazardous`` column, else of a hazardous-waste sector (``treaters``, per node,
    when known) or, for a disposal, treatment or recycling node, named so. One test per
    distinct sector text and per name of such a node."""
    core, firms = ctx.core, ctx.network.firms
    found = (_treaters(ctx) if treaters is None else treaters).copy()
    waste = np.flatnonzero(np.isin(core.role_code, [ROLES.index(r) for r in _WASTE_ROLES]))
    found[waste] |= hazardous_names(core.names[waste], stores=True)
    if HAZARDOUS in firms:
        marks = firms[HAZARDOUS].to_numpy(dtype=np.int8, na_value=-1)
        found = np.where(marks >= 0, marks == 1, found)
    return found


def target_note(ctx: Context) -> str | None:
    """The warning on the streams that only the node they go to makes hazardous (none
    when there is none): the analyst sees why they meet so few rows. O(s)."""
    only = target_hazards(ctx)
    if only.any():
        only &= ~_own_hazards(ctx)
    if not only.any():
        return None
    streams = ctx.streams
    targets = list(dict.fromkeys(streams.target[only].tolist()))
    materials = list(dict.fromkeys(streams.material[only].tolist()))
    return (
        f"{int(only.sum())} stream(s) go to a node that takes hazardous waste "
        f"({quoted_few(targets)}: a hazardous-waste landfill, treatment or store, by its role, "
        f"name or sector) and are taken as hazardous ({quoted_few(materials)}): they are "
        "proposed to no land or food use and meet only the catalogue rows that name them; "
        "write no in the flow's 'hazardous' column of flows.csv if one is not hazardous"
    )


def radioactive_note(ctx: Context) -> str | None:
    """The note on the residue streams whose names say they are radioactive (none when
    there is none): a naturally occurring radioactive residue (thorium-bearing leach
    residue, rare-earth tailings) is a regulated material, not one that merely has no
    known pathway; the few rows written for it (re-processing) are all the pass proposes.
    One search per distinct material name among the residues; O(s)."""
    streams = ctx.streams
    residue = np.flatnonzero(streams.fate_code != 3)  # FATES.index("product")
    if not len(residue):
        return None
    codes, at = np.unique(streams.material_code[residue], return_inverse=True)
    named = _names_matching(ctx.core.materials[codes], _RADIOACTIVE, _RADIOACTIVE_WORDS)
    found = residue[named[at]]
    if not len(found):
        return None
    materials = list(dict.fromkeys(streams.material[found].tolist()))
    return (
        f"{len(found)} residue stream(s) are radioactive by their names "
        f"({quoted_few(materials)}): naturally occurring radioactive material (thorium, "
        "uranium, radium) is regulated, not merely without a pathway: its storage, "
        "disposal and any reuse need a licence under radiation-protection law (China: Law "
        "on the Prevention and Control of Radioactive Pollution, 2003; IAEA Safety Reports "
        "Series No. 68, 2011, on the thorium residues of rare-earth production); none is "
        "proposed for land, building materials or any use but the rows written for it"
    )


def quoted_few(texts: list[str], most: int = 3) -> str:
    """The first ``most`` texts quoted, then how many more: a warning's short list."""
    shown = ", ".join(f"'{t}'" for t in texts[:most])
    return shown + (f" and {len(texts) - most} more" if len(texts) > most else "")


def _flow_marks(streams) -> np.ndarray:
    """Per stream, its flow's ``hazardous`` mark: 1 yes, 0 no, -1 none."""
    if HAZARDOUS not in streams.flows:
        return np.full(len(streams), -1, dtype=np.int8)
    marks = streams.flows[HAZARDOUS].take(streams.flow)
    return marks.to_numpy(dtype=np.int8, na_value=-1)


def _own_hazards(ctx: Context) -> np.ndarray:
    """Per stream, whether its material is hazardous by its codes, its name or its
    flow's mark (``yes``: the category ``hazardous waste``)."""
    core, streams = ctx.core, ctx.streams
    hazardous = hazardous_names(core.materials)[streams.material_code] | (_flow_marks(streams) == 1)
    for column in CODE_COLUMNS:
        if column in streams.flows:
            cells = streams.flows[column].take(streams.flow).to_numpy(dtype=object)
            codes, distinct = pd.factorize(pd.Series(cells, dtype=object), sort=False)
            marked = np.array([*(hazardous_code(c) for c in distinct), False])
            hazardous = hazardous | marked[codes]  # code -1: an empty cell
    return hazardous


def hazardous_to_land(ctx: Context, candidates: Candidates) -> np.ndarray:
    """Per candidate, whether it sends a hazardous stream (:func:`hazardous_streams`)
    to land or the food chain (``LAND_AND_FOOD_SECTORS``), by the pathway's receiving
    sector or the receiver's own sectors: such candidates are dropped. When a stream is
    hazardous, one scan of the sector vocabulary per firm sector text and O(c). Applied
    to the candidates found (a stream's room for ``per_stream`` receivers may hold one
    dropped here)."""
    hazardous = hazardous_streams(ctx)
    if not hazardous.any():
        return np.zeros(len(candidates), dtype=bool)
    land = nodes_of_sectors(ctx, LAND_AND_FOOD_SECTORS)  # per node
    land_sector = np.isin(ctx.sectors, list(LAND_AND_FOOD_SECTORS))
    receiver = candidates.receiver
    to_land = land_sector[candidates.sector] | ((receiver >= 0) & land[np.maximum(receiver, 0)])
    return hazardous[candidates.stream] & to_land
