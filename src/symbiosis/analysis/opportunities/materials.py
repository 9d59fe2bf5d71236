"""Materials of the network and of the catalogue resolved through the taxonomy.

Both matching stages read the same resolution: :func:`taxonomy_classes` gives every
material key of the network its taxonomy material and family (:mod:`symbiosis.taxonomy`),
and :func:`catalogue_rows` indexes the catalogue's rows the same way, so that a stream
named "Gypsum (from flue gas desulfurization)" meets the rows written for "FGD gypsum".

Complexity: one :meth:`~symbiosis.taxonomy.Taxonomy.resolve` per distinct material name of
the network and per name or synonym of the catalogue, cached (on the core, on the context).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from ..._numeric import first_positions
from ..._sorting import unique
from ...taxonomy import MaterialMatch, Taxonomy, default_taxonomy
from ...vocabulary import bilingual_parts, material_key
from .receivers import Context

__all__ = [
    "SOURCE_SECTOR_RULES",
    "TAXONOMY_RULES",
    "catalogue_rows",
    "material_class",
    "own_classes",
    "rows_for",
    "rows_of",
    "rule_score",
    "takes_class",
    "taxonomy_classes",
    "taxonomy_of",
]

#: Rules of catalogue rows matched through the taxonomy (after the direct ones fail).
TAXONOMY_RULES = ("taxonomy", "taxonomy (family)")
#: Rules of catalogue rows that a stream of a generic material (a plain ``slag``) meets as
#: the member its source's sector makes (:mod:`.origins`: a steel works' slag on the steel
#: slag rows): the member's own rows and, for a member that is a family's generic material
#: (a ferroalloy works' slag), the rows across its family (weak: :data:`.result.WEAK_RULES`).
SOURCE_SECTOR_RULES = ("taxonomy (source sector)", "taxonomy (source sector, family)")


def taxonomy_of(ctx: Context) -> Taxonomy:
    """The context's taxonomy (a user's, merged or alone), else the shipped one."""
    return ctx.taxonomy or default_taxonomy()


def taxonomy_classes(ctx: Context) -> tuple[np.ndarray, ...]:
    """Per material key code of the core: the taxonomy material and family codes (-1 when
    the name resolves to none), the match score, and whether the material is its family's
    generic one (``gypsum`` in the gypsum family, which stands for any of its members).
    One resolution per distinct material name (the first seen under each key); a name
    that resolves to none, written in another language beside a name the taxonomy reads,
    is read as that part (:func:`.parts.translated_match`: "lentotuhka (wood fly ash)" is
    biomass ash, "hiilidioksidi (biogenic CO2)" carbon dioxide). Cached on the core
    (the translation reads the catalogue's words: one catalogue per core, as the pass
    runs it). The fifth element is the list of matches themselves; the sixth, whether the
    material is related to no other member of its family (``interchangeable`` ``no``:
    steel, copper and aluminium scrap)."""
    core = ctx.core
    taxonomy = taxonomy_of(ctx)

    def build() -> tuple[np.ndarray, ...]:
        from .parts import translated_match  # (it reads this module)

        names = _first_names(core)
        matches = [taxonomy.resolve(n) if n is not None else None for n in names]
        for at, key in enumerate(core.material_keys):  # "lentotuhka (wood fly ash)"
            if matches[at] is None and " " in str(key):
                matches[at] = translated_match(ctx, str(key))
        materials = _codes(x.material for x in matches if x)
        families = _codes(x.family for x in matches if x)
        material = np.array([materials[m.material] if m else -1 for m in matches], np.int64)
        family = np.array([families[m.family] if m else -1 for m in matches], np.int64)
        score = np.array([m.score if m else 0.0 for m in matches])
        generic = np.array([bool(m) and m.material == m.family for m in matches], dtype=bool)
        apart = np.array([bool(m) and not taxonomy.interchangeable(m.material) for m in matches],
                         dtype=bool)  # fmt: skip
        return material, family, score, generic, matches, apart

    return core.cached(("opportunities", "taxonomy", taxonomy), build)  # held: no id reuse


def own_classes(ctx: Context) -> np.ndarray:
    """Per material key code, the code (``0 .. keys - 1``) of the material it is by its
    name alone, for the keys the taxonomy leaves unresolved: one per key, except that a
    name written in two scripts, "A (B)" (:func:`~symbiosis.vocabulary.bilingual_parts`),
    is one with the keys of its parts, and so with the other names of those parts: Baise's
    smelter taking "alumina (氧化铝)" takes alumina, which the taxonomy does not know (it
    had been taken to take none, and given room for its whole throughput of alumina where
    its peers buying "alumina" had none); so is a name translated beside a catalogue name
    with the key of that name (:func:`.parts.translated_part`: "原油 crude oil" is one
    with "crude oil", which a refinery running on crude oil takes). One split per
    distinct key, then the connected components of the keys and parts (scipy), cached
    on the core; O(k)."""
    core = ctx.core

    def build() -> np.ndarray:
        from .parts import translated_part  # (it reads this module)

        keys = [str(key) for key in core.material_keys]
        code = {key: at for at, key in enumerate(keys)}

        pairs = []  # (key, a part's key): a part no flow carries alone is a node of its own
        for at, key in enumerate(keys):
            for part in bilingual_parts(key) or _listed(translated_part(ctx, key)):
                pairs.append((at, code.setdefault(material_key(part), len(code))))
        if not pairs:
            return np.arange(len(keys), dtype=np.int64)
        ends = np.array(pairs, dtype=np.int64).T
        links = coo_matrix((np.ones(ends.shape[1]), (ends[0], ends[1])), shape=(len(code),) * 2)
        _, label = connected_components(links, directed=False)
        return np.unique(label[: len(keys)], return_inverse=True)[1].astype(np.int64)

    return core.cached(("opportunities", "own classes"), build)


def material_class(ctx: Context) -> np.ndarray:
    """Per material key code: its taxonomy material code when the name resolves whole or
    without qualifiers, else a code of its own (the number of materials plus
    :func:`own_classes`): two names resolved only by their head noun ("sinter ESP dust",
    "converter secondary dust") are two kinds of the material, not known to be one (as in
    :mod:`.evidence`). O(k)."""
    material, _, score = taxonomy_classes(ctx)[:3]
    own = len(material) + own_classes(ctx)
    return np.where((material >= 0) & (score >= 0.9), material, own).astype(np.int64)


def takes_class(ctx: Context, receivers: np.ndarray, keys: np.ndarray) -> np.ndarray:
    """Whether each receiver (node position) already takes, from anyone, a material of the
    class (:func:`material_class`) of the material key beside it (-1: none, False). The
    (target, class) pairs of the flows into actors are indexed once per pass (cached on
    the context): O(f log f), then O(1) expected per pair."""
    cache = ctx.__dict__
    klass = material_class(ctx)
    width = np.int64(2 * len(klass) + 1)
    if "_taken_classes" not in cache:
        core = ctx.core
        into = core.target_is_actor & (core.material_key_code >= 0)
        codes = core.target[into].astype(np.int64) * width
        codes += klass[core.material_key_code[into]]
        cache["_taken_classes"] = pd.Index(unique(codes))
    found = np.zeros(len(receivers), dtype=bool)
    asked = np.flatnonzero((receivers >= 0) & (keys >= 0))
    if len(asked):
        wanted = receivers[asked].astype(np.int64) * width + klass[keys[asked]]
        found[asked] = cache["_taken_classes"].get_indexer(wanted) >= 0
    return found


def _listed(part: str | None) -> tuple[str, ...]:
    return () if part is None else (part,)


def _codes(names) -> dict[str, int]:
    return {name: i for i, name in enumerate(dict.fromkeys(names))}


def _first_names(core) -> list[str | None]:
    """A material name (as written) for each material key code."""
    names: list[str | None] = [None] * len(core.material_keys)
    first = first_positions(core.material_key_code, len(core.material_keys))
    keys = np.flatnonzero(first < len(core.material_key_code))
    codes = core.material_code[first[keys]]
    for key, code in zip(keys.tolist(), codes.tolist(), strict=True):
        names[key] = str(core.materials[code])
    for key, text in enumerate(core.material_keys):  # keys no flow carries (none today)
        if names[key] is None:
            names[key] = str(text)
    return names


def catalogue_rows(ctx: Context) -> tuple[dict[str, list[int]], dict[str, list[int]]]:
    """Catalogue rows by the taxonomy material, and by family, of their material or any
    synonym resolved whole or after removing qualifiers (:func:`_row_materials`), in
    catalogue order. A pure function of the catalogue and the taxonomy: cached on the
    catalogue, per taxonomy (held there, so that its id is not reused), for the next
    pass in the process."""
    taxonomy = taxonomy_of(ctx)
    cache = ctx.catalogue.__dict__.setdefault("_taxonomy_rows", {})
    held = cache.get(id(taxonomy))
    if held is None or held[0] is not taxonomy:  # (an unpickled cache's ids are stale)
        by_material: dict[str, set[int]] = {}
        by_family: dict[str, set[int]] = {}
        for position, keys in enumerate(ctx.catalogue.pathways["keys"]):
            for match in _row_materials(taxonomy, keys):
                by_material.setdefault(match.material, set()).add(position)
                by_family.setdefault(match.family, set()).add(position)
        rows = (
            {k: sorted(v) for k, v in by_material.items()},
            {k: sorted(v) for k, v in by_family.items()},
        )
        cache[id(taxonomy)] = (taxonomy, rows)
    return cache[id(taxonomy)][1]


def _row_materials(taxonomy: Taxonomy, keys: tuple[str, ...]) -> list[MaterialMatch]:
    """The taxonomy materials a catalogue row is written for: those its material (the
    first key) and its synonyms resolve to with a score of 0.9 or more, except

    - a name resolved only without its qualifiers, to another material than the row's
      own: the qualifier said which one ("bottom ash (biomass)" on the wood-ash rows is
      not any bottom ash; "furnace slag (copper)" not any slag); when the row's own
      material resolves to none, such a name still may not make it the family's
      generic material's, nor another material's when the qualifier names a material
      ("flotation tailings of copper slag", on the copper-slag tailings rows, is no
      tailings of any ore: Baotou's rare earth tailings met them);
    - a Chinese name that resolves only once its bracket is dropped (a qualifier in one
      script, not a translation: :func:`_qualified_zh`), to another material than the
      row's own, or to any when the row's own resolves to none: the qualifier, which
      the taxonomy does not read, says which kind. 碱渣 (炼油) on the refinery
      spent-caustic row is no soda residue (碱渣), 菌渣 (食用菌) on the spent mushroom
      substrate row no fermentation sludge (菌渣), 锌渣 (热镀锌) on the galvanizing
      zinc-ash row no lead and zinc slag;
    - the family's generic material, named by a synonym of a row written for a member
      related to no other (``interchangeable`` ``no``): 污泥 (any sludge) on the
      sewage-sludge rows, which an unknown sludge must not meet (a row written for the
      generic itself keeps it, marked apart as scrap metal is or not)."""
    matches = [taxonomy.resolve_closely(key) for key in keys]  # rows need score >= 0.9
    own = matches[0] if matches else None
    kept = []
    for key, match in zip(keys, matches, strict=True):
        if match is None:
            continue
        if _qualified_zh(key, match) and (own is None or match.material != own.material):
            continue
        generic = match.material == match.family
        if match.rule == "qualifier" and (
            (generic or taxonomy.qualifier_material(key) not in (None, match.material))
            if own is None
            else match.material != own.material
        ):
            continue
        if (own is not None and generic and own.family == match.family
                and own.material != match.material  # the generic's own row: apart or not
                and not taxonomy.interchangeable(own.material)):  # fmt: skip
            continue
        kept.append(match)
    return kept


def _qualified_zh(key: str, match: MaterialMatch) -> bool:
    """Whether ``match`` is a Chinese name read without the bracket that qualifies it:
    ``key`` holds a bracket, Chinese, and is no name in two scripts, "赤泥 (red mud)",
    whose bracket translates it (:func:`~symbiosis.vocabulary.bilingual_parts`). O(len)."""
    return (
        match.rule == "name (zh)" and any(b in key for b in "(（[") and bilingual_parts(key) is None
    )


def rows_for(ctx: Context, key_code: int) -> list[tuple[int, str]]:
    """Catalogue rows for a material key that matched none directly: rows of the same
    taxonomy material (rule ``taxonomy``), then rows across one family's generic
    material and its members (``taxonomy (family)``: an "FGD gypsum" stream may use a
    "gypsum" row, and a plain "Gypsum" stream the rows of FGD gypsum or phosphogypsum;
    never between two members, nor from the generic to a member related to no other:
    :func:`_generic_rows`). A name resolved by its head noun (score 0.8: "copper
    slag dust" is a dust) meets rows of its material only; when that material is its
    family's generic one and no row is written for it ("boiler ash", "waste ash": no row
    is for any ash), the family's rows, as the bare name meets them ("waste slag" and 冶炼
    废渣 meet none, as "slag" does: every slag is one process's, marked apart). Else the
    family step needs a name resolved whole or after removing qualifiers (score >= 0.9).
    A Chinese, Japanese or Korean name of a material, whole (rule ``name (zh)``, 0.9),
    meets the rows the material's English name meets directly, when it meets some: it is
    a translation (이산화탄소 and 炭酸ガス had met ``co2pure-gases`` through its synonym
    ``fermentation CO2``, which ``carbon dioxide`` does not meet; 蒸気 the waste-heat steam
    row, 廃タイヤ the crumb-rubber rows)."""
    match = taxonomy_classes(ctx)[4][key_code] if key_code >= 0 else None
    if match is not None and match.rule == "name (zh)" and match.score >= 0.9:
        english = ctx.catalogue.match(material_key(match.material))
        if english:
            return [(p, TAXONOMY_RULES[0]) for p, _ in english]
    return rows_of(ctx, match)


def rows_of(ctx: Context, match: MaterialMatch | None) -> list[tuple[int, str]]:
    """The rows of :func:`rows_for` for a name resolved to ``match`` (None: none), as
    (row position, rule), in catalogue order."""
    if match is None or match.score < 0.8:
        return []
    by_material, by_family = catalogue_rows(ctx)
    found = dict.fromkeys(by_material.get(match.material, []), TAXONOMY_RULES[0])
    generic = match.material == match.family
    related = (_generic_rows(ctx, match.family, by_family) if generic
               else _others_not(ctx, match, by_material.get(match.family, [])))  # fmt: skip
    for position in related if match.score >= 0.9 or (generic and not found) else ():
        found.setdefault(position, TAXONOMY_RULES[1])
    return sorted(found.items())


def _others_not(ctx: Context, match, rows: list[int]) -> list[int]:
    """The rows of the family's generic material (``rows``) that are not written for
    another member: a row whose own material (its first name, resolved closely) is a
    member other than ``match``'s is another member's use, which a synonym naming the
    generic (``gypsum`` on the FGD-gypsum rows) does not make the family's. Plasterboard
    scrap had met ``fgd-plasterboard`` (a new FGD-plasterboard plant) so. O(rows)."""
    taxonomy = taxonomy_of(ctx)
    keys = ctx.catalogue.pathways["keys"]
    kept = []
    for position in rows:
        own = taxonomy.resolve_closely(keys.iat[position][0]) if keys.iat[position] else None
        if own is None or own.material in (match.family, match.material):
            kept.append(position)
    return kept


def _generic_rows(ctx: Context, family: str, by_family: dict[str, list[int]]) -> list[int]:
    """The family's rows that its generic material stands for: all but those written for
    a member related to no other (a ``scrap metal`` stream of unknown metal is not copper
    scrap). O(rows of the family)."""
    taxonomy = taxonomy_of(ctx)
    if not any(taxonomy.family_of.get(m) == family for m in taxonomy.apart):
        return by_family.get(family, [])
    by_material = catalogue_rows(ctx)[0]
    apart = {p for m in taxonomy.apart if taxonomy.family_of.get(m) == family
             for p in by_material.get(m, [])}  # fmt: skip
    own = set(by_material.get(family, []))  # a row also written for the generic stays
    return [p for p in by_family.get(family, []) if p not in apart or p in own]


#: How strongly each rule ties a stream to its receiver, 0 to 1 (documented in
#: docs/opportunities.md). Rules through the taxonomy take the name's own resolution score
#: (1.0 whole, 0.9 without qualifiers, 0.8 by the head noun or the material named before
#: a head of what processing left, 0.6 by words it contains), times
#: the factor here (a generic slag read as its source's: 0.9 as a row met by the source's
#: process, times 0.8 again across the member's family).
_RULE_SCORES = {
    "name": 1.0, "synonym": 1.0, "material code": 1.0, "same material": 1.0,
    "material code (sub-chapter)": 0.8, "material code (chapter)": 0.6,
    "network: takes this material": 1.0, "source process": 0.9,
    "network: takes a purer grade": 0.8,
}  # fmt: skip
_TAXONOMY_FACTORS = {
    TAXONOMY_RULES[0]: 1.0, TAXONOMY_RULES[1]: 0.8,
    SOURCE_SECTOR_RULES[0]: 0.9, SOURCE_SECTOR_RULES[1]: 0.72,
    "network: takes this material (taxonomy)": 1.0,
    "network: takes a related material": 0.6, "network: peer of a taker": 0.5,
}  # fmt: skip


def rule_score(ctx: Context, rule: str, key_code: int) -> float:
    """The score of a match by ``rule`` for a stream of material key ``key_code``; a
    ``substitutes ...`` rule counts as its pathway's name match (1.0)."""
    if rule in _TAXONOMY_FACTORS:
        match = taxonomy_classes(ctx)[4][key_code] if key_code >= 0 else None
        base = match.score if match is not None else 1.0
        return round(base * _TAXONOMY_FACTORS[rule], 3)
    return _RULE_SCORES.get(rule, 1.0)
