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

A hazardous material meets only the catalogue rows that name it or list its code, none
through the taxonomy (:func:`.candidates.pathway_pairs`): a row is written for a material's
ordinary grade, and resolving a name drops the words that say it is hazardous
("construction and demolition wastes containing PCB" is no rubble for recycled aggregate).
A hazardous-waste treater's residue keeps them: its name says what it is (incinerator ash).
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
code cell of the streams; then O(c) for c candidates.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from ...catalogue.sectors import LAND_AND_FOOD_SECTORS, hazardous_waste_texts
from .candidates import Candidates
from .node_sectors import nodes_of_sectors
from .receivers import Context

__all__ = [
    "CODE_COLUMNS",
    "hazardous_code",
    "hazardous_materials",
    "hazardous_name",
    "hazardous_names",
    "hazardous_streams",
    "hazardous_to_land",
]

#: Columns of flows.csv whose codes can mark a material hazardous.
CODE_COLUMNS = ("waste_code", "material_code")

# the words, less a negation before them ("non-hazardous", "neither liquids nor other
# hazardous components": the List of Waste's 16 01 06, "free of toxic ...", 非危险)
_NEGATIONS = ("non ", "non-", "not ", "nor ", "nor other ", "free of ", "without ")
_LATIN = ("hazardous", "toxic", "dangerous", "radioactive", "radionuclides?", "thorium",
          "uranium", "radium", "norm", "tenorm", "monazite",
          r"(?:rare earth|ree) tailings?")  # fmt: skip
_CHINESE = ("危险", "危废", "有毒", "有害", "放射性", "钍", "铀", "镭", "稀土尾矿")
# what hazardous_names looks for first in the lower-case names (each word's plain text)
_WORDS = ("hazardous", "toxic", "dangerous", "radioactive", "radionuclide", "thorium",
          "uranium", "radium", "norm", "monazite", "tailing", *_CHINESE)  # fmt: skip
_NAME = re.compile(
    "".join(rf"(?<!\b{n})" for n in _NEGATIONS)
    + rf"\b(?:{'|'.join(_LATIN)})\b|(?<!非)(?:{'|'.join(_CHINESE)})",
    re.IGNORECASE,
)
_CHINESE_CATEGORY = re.compile(r"HW\d{2}", re.IGNORECASE)
_SEPARATORS = re.compile(r"[\s.\-]")


def hazardous_name(name: object) -> bool:
    """Whether a material's name says it is hazardous (module docstring). O(len)."""
    return isinstance(name, str) and _NAME.search(name) is not None


def hazardous_names(names: np.ndarray) -> np.ndarray:
    """:func:`hazardous_name` of each name. The words are found by :meth:`str.find` in
    the names joined (lower-case, by line breaks), and only the names holding one are
    searched: a pass over the characters per word (100,000 names: 0.65 s by one search
    of the joined names with the expression, 0.09 s so). O(total length)."""
    texts = [n.lower().replace("\n", " ") if isinstance(n, str) else "" for n in names]
    ends = np.cumsum([len(t) + 1 for t in texts])  # past each name's line break
    joined, holding = "\n".join(texts), set()
    for word in _WORDS:
        at = joined.find(word)
        while at >= 0:
            holding.add(int(np.searchsorted(ends, at, side="right")))
            at = joined.find(word, at + 1)
    found = np.zeros(len(texts), dtype=bool)
    for index in holding:
        found[index] = hazardous_name(names[index])
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
    core, streams = ctx.core, ctx.streams
    sources = np.array([*hazardous_waste_texts(ctx.catalogue.sectors, list(core.sectors)), False])
    from_source = sources[core.sector_code][streams.source_position]  # code -1: no sector
    return from_source | ctx.hazardous_material


def hazardous_materials(ctx: Context) -> np.ndarray:
    """Per stream, whether its material is hazardous by its codes or its name (module
    docstring). One test per distinct name and code cell."""
    core, streams = ctx.core, ctx.streams
    hazardous = hazardous_names(core.materials)[streams.material_code]
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
