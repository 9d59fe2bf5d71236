"""The pathway catalogue: known reuse pathways for by-products and wastes, with sources.

A *pathway* says that a material (a by-product, waste or emission; or, for chain
extension, an early-stage product) can feed a *receiving sector*, which makes a
*product* of it, and which source or standard says so. The catalogue ships as package
data (``pathways.csv``, with ``sectors.csv`` for sector names); users add their own rows
with :func:`load_catalogue` (merged with the default, or replacing it).

Columns of a pathway file
    ==================  ========  ==================================================================
    column              required  meaning
    ==================  ========  ==================================================================
    ``id``              yes       unique name of the row (letters, digits, ``-``, ``_``, ``.``);
                                  a user row with the id of a default row replaces it
    ``material``        yes       the material, as flows name it
    ``synonyms``                  other names, separated by ``;``
    ``material_code``             codes, separated by ``;`` (e.g. the EU List of Waste code
                                  ``10 06 01``); spaces, dots and ``*`` are ignored
    ``category``                  by-product, waste, emission or product (default by-product).
                                  ``product`` rows are *downstream* pathways: an early-stage
                                  product that a further stage could process locally
    ``dimension``                 mass, energy or volume; the row only matches flows of it
    ``receiving_sector``  yes     the sector that takes the material (see below)
    ``product``                   what the receiving sector makes of it
    ``substitutes``               primary materials it replaces, separated by ``;`` (an actor
                                  buying one of them is a candidate for a *redirect*)
    ``maturity``                  established (industrial practice or a standard), demonstrated
                                  (commercial examples, pilot plants) or emerging (research);
                                  empty means unknown
    ``notes``                     free text
    ``source``          yes       the literature, standard or report that documents the pathway
    ``condition``                 a pre-treatment the stream needs first (free text, shown with
                                  the listed opportunity: "after Waelz or fuming"); the id of
                                  another row of the material in it names the pathway to take
                                  first (:attr:`Catalogue.follows`); one that begins with
                                  "where" names a place or climate the pathway needs, which
                                  the network does not say ("where irrigation water is in
                                  demand": :attr:`Catalogue.regional`)
    ==================  ========  ==================================================================

Published figures (optional columns, see :mod:`symbiosis.catalogue.figures`)
    ``substitution_ratio`` is the t of primary material replaced per t of the stream (GJ per
    GJ, m3 per m3), one number above 0 and at most 100; ``receiver_capacity`` and
    ``capacity_unit`` are the typical intake of the material by *one* receiving plant per
    year (t, kt, Mt, GJ, MWh, m3, Mm3...; a rate such as ``t/d`` or ``MW`` is a yearly
    amount at full load), the unit required with a capacity and of the row's dimension;
    ``co2_factor`` is the t CO2 avoided per t (GJ, m3) of the stream, 0 or more (the
    opportunities' ``co2_avoided``). All are left empty where no source gives them, and a
    file without these columns loads as before. A range ("0.2-0.5") is refused: give one
    typical value, the range in notes.

Material matching
    A flow matches a row when its :func:`~symbiosis.vocabulary.material_key` equals the key
    of the row's ``material`` or of one of its ``synonyms`` (rule ``"name"`` or
    ``"synonym"``; synonyms are pooled over the rows of the same material), or when the
    flow has a ``material_code`` column and one of its codes equals one of the row's (rule
    ``"material code"``). Keys are compared whole: ``copper slag`` does not match ``copper
    slag flotation tailings`` unless a synonym says so.

Sector matching
    Sector names are normalised (lower case, ``-`` and ``_`` as spaces, sulphur as sulfur,
    a plural ``s`` dropped from every word). A firm belongs to a receiving sector when one of
    the sector's *terms* occurs as whole words in the firm's ``sector`` text (Chinese terms
    character by character: 水泥 is found in 水泥厂). The terms of a sector are its name and
    the synonyms in ``sectors.csv`` (a receiving sector not listed there has its own name as
    its only term). An occurrence inside a longer one does not count, so ``construction
    materials`` is a building-materials firm, not a construction firm, and ``primary copper
    refinery`` is not an oil refinery. A firm may belong to several sectors (``clinker and
    cement; kiln co-processing`` is a cement firm). See :mod:`symbiosis.catalogue.sectors`;
    industry codes (NACE Rev. 2, ISIC Rev. 4, GB/T 4754-2017) are mapped to the same
    sectors by :mod:`symbiosis.catalogue.sector_codes`.

Errors
    A malformed file raises :class:`~symbiosis.errors.InputError` with every problem as
    ``file:row: column: what is wrong; what to do``, like the network files. A row that
    stops before a required column is refused with its field count (``has 3 fields where
    the header has 15``), and nothing else is said about it: its cells are missing, not
    empty. Figures follow the network's number rules (:mod:`.figures`).

Complexity: reading is O(r) for r rows; :meth:`Catalogue.match` is a dictionary lookup;
:meth:`SectorVocabulary.sectors_of` is one regular-expression scan of the text (cache it
per distinct sector string).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import InputError, Problem
from .reading import (
    COLUMNS,
    MATURITY,
    REQUIRED,
    is_material_code,
    normalise_code,
    read_pathway_file,
    read_pathways,
)
from .sector_codes import SectorCodes, default_sector_codes, load_sector_codes, sectors_for_code
from .sectors import SectorVocabulary, default_sectors, normalise_sector, sector_terms

__all__ = [
    "COLUMNS",
    "MATURITY",
    "REQUIRED",
    "Catalogue",
    "SectorCodes",
    "SectorVocabulary",
    "default_catalogue",
    "default_sector_codes",
    "default_sectors",
    "is_material_code",
    "load_catalogue",
    "load_sector_codes",
    "normalise_code",
    "normalise_sector",
    "read_pathways",
    "sector_terms",
    "sectors_for_code",
]


def _package_file(name: str):
    return resources.files("symbiosis.catalogue") / name


# The words of a condition that may be a row's id (letters, digits, "-", "_", ".")
_ROW_ID_WORDS = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.\-]*[A-Za-z0-9]")

#: Rules of a match by material code: the entry itself, then its EU List of Waste headings.
CODE_RULES = ("material code", "material code (sub-chapter)", "material code (chapter)")


@dataclass(frozen=True)
class Catalogue:
    """Validated pathways and the sector vocabulary used to match receivers.

    ``pathways`` has the columns of :data:`COLUMNS` (cleaned: category and maturity
    canonical, empty optional cells as ``""``) plus ``file`` and ``row`` (where the row
    came from), ``keys`` (material keys of the material and its synonyms), ``codes``
    (normalised codes), ``substitute_keys``, ``sector`` (normalised receiving sector),
    ``downstream`` (True for ``product`` rows), ``ratio`` (the substitution ratio as a
    float, NaN when unknown), ``capacity`` (the receiver capacity in the canonical unit of
    its dimension per year: t, GJ or m3; NaN when unknown), ``capacity_dimension``
    (``""`` when unknown) and ``co2`` (the CO2 factor, t CO2 avoided per t, GJ or m3 of
    the stream; NaN when unknown). Its index is 0..n-1. :attr:`follows` marks the rows whose
    condition names another row of their material, :attr:`regional` those whose condition
    names a place or climate ("where ...").
    """

    pathways: pd.DataFrame
    sectors: SectorVocabulary
    files: tuple[str, ...] = field(default=())
    #: what reading the user's files found that is no error (a file read as Chinese
    #: GB18030), for the caller to show: the command line prints them
    warnings: tuple[str, ...] = field(default=())

    def __len__(self) -> int:
        return len(self.pathways)

    @cached_property
    def _by_key(self) -> dict[str, list[tuple[int, str]]]:
        # Synonyms belong to the material, not to one row: rows of the same material
        # share all the synonyms any of them declares.
        pooled: dict[str, set[str]] = {}
        for keys in self.pathways["keys"]:
            pooled.setdefault(keys[0], set()).update(keys)
        index: dict[str, list[tuple[int, str]]] = {}
        for position, keys in enumerate(self.pathways["keys"]):
            for key in sorted(pooled[keys[0]]):
                index.setdefault(key, []).append(
                    (position, "name" if key == keys[0] else "synonym")
                )
        return index

    @cached_property
    def _by_code(self) -> dict[str, list[int]]:
        index: dict[str, list[int]] = {}
        for position, codes in enumerate(self.pathways["codes"]):
            for code in codes:
                index.setdefault(code, []).append(position)
        return index

    def match(self, key: str, codes: tuple[str, ...] = ()) -> list[tuple[int, str]]:
        """The rows a material matches, as (row position, rule), best rule per row.

        ``key`` is a :func:`material_key`; ``codes`` are normalised material codes of the
        flow (empty when it has none). Rules: ``name``, ``synonym``, ``material code``, and,
        the EU List of Waste being a hierarchy, ``material code (sub-chapter)`` and
        ``material code (chapter)`` for a row written for the 4- or 2-digit heading of a
        6-digit entry (a row for ``10 01`` covers ``10 01 02``; the hazard mark is ignored).
        """
        found: dict[int, str] = {}
        for position, rule in self._by_key.get(key, ()):
            found.setdefault(position, rule)
        for code in codes:
            for position in self._by_code.get(code, ()):
                found.setdefault(position, "material code")
        for code in codes:
            if len(code) == 6 and code.isdigit():
                for heading, rule in ((code[:4], CODE_RULES[1]), (code[:2], CODE_RULES[2])):
                    for position in self._by_code.get(heading, ()):
                        found.setdefault(position, rule)
        return sorted(found.items())

    @cached_property
    def follows(self) -> np.ndarray:
        """Per row, whether its ``condition`` names another row of its material by ``id``:
        the pathway the stream must go through first (zinc-residue-cement, "after its
        zinc, lead and silver are recovered (Waelz kiln or fuming: zinc-residue-metals)";
        bf-dust, after bf-dust-zinc). Such a row comes after the other pathways of its
        stream (:mod:`symbiosis.analysis.opportunities`, *Ranking*). O(r) words."""
        ids = dict(zip(self.pathways["id"], range(len(self.pathways)), strict=True))
        material = [keys[0] for keys in self.pathways["keys"]]
        found = np.zeros(len(self.pathways), dtype=bool)
        for row, text in enumerate(self.pathways["condition"]):
            named = (ids.get(w) for w in _ROW_ID_WORDS.findall(str(text)))
            found[row] = any(at is not None and at != row and material[at] == material[row]
                             for at in named)  # fmt: skip
        return found

    @cached_property
    def regional(self) -> np.ndarray:
        """Per row, whether its ``condition`` begins with "where": it names a place or a
        climate the pathway needs, which a network does not describe (effluent-irrigation,
        "where irrigation water is in demand ...": Regulation (EU) 2020/741 lets a member
        state rule irrigation with reclaimed water out for its geographic and climatic
        conditions, Art. 2(2)). Such a row comes after the other pathways of its stream, as
        one that :attr:`follows` another does: a pulp mill's treated effluent in Central
        Finland went to a new irrigation farm before the board mill next door. O(r)."""
        condition = self.pathways["condition"].astype(str).str.strip().str.lower()
        return condition.str.match(r"where\b").to_numpy(dtype=bool)

    @cached_property
    def receiving_sectors(self) -> tuple[str, ...]:
        """The normalised receiving sectors of the rows, in first-seen order."""
        return tuple(dict.fromkeys(self.pathways["sector"]))


_DEFAULT: Catalogue | None = None


def default_catalogue() -> Catalogue:
    """The catalogue shipped with symbiosis (read once per process)."""
    global _DEFAULT
    if _DEFAULT is None:
        with resources.as_file(_package_file("pathways.csv")) as path:
            pathways = read_pathways(path, shown="pathways.csv")
        sectors = default_sectors().including(pathways["receiving_sector"])
        _DEFAULT = Catalogue(pathways, sectors, ("pathways.csv",))
    return _DEFAULT


def load_catalogue(
    paths: str | Path | list[str | Path] | tuple[str | Path, ...] | None = None,
    *,
    replace: bool = False,
) -> Catalogue:
    """The default catalogue, merged with (or, with ``replace``, replaced by) user files.

    Parameters
    ----------
    paths : path or list of paths, optional
        Pathway CSV files in the format above. Rows whose ``id`` is already present (in
        the default or an earlier file) replace that row; the others are added.
    replace : bool
        Use only the given files (at least one is required).

    Returns
    -------
    Catalogue
        With the warnings of reading the files (a file read as Chinese GB18030) in
        :attr:`Catalogue.warnings`: not issued, the caller shows them.

    Raises
    ------
    InputError
        Listing every problem of every file.
    """
    if paths is None or isinstance(paths, str | Path):
        paths = [] if paths is None else [paths]
    if replace and not paths:
        raise InputError("replacing the catalogue needs a catalogue file (--catalogue FILE)")
    base = default_catalogue()
    tables = [] if replace else [base.pathways]
    problems: list[Problem] = []
    warnings: list[str] = []
    for path in paths:
        try:
            table, said = read_pathway_file(path)
        except InputError as exc:
            problems.extend(exc.problems)
        else:
            tables.append(table)
            warnings.extend(said)
    if problems:
        raise InputError(problems)
    if not paths:
        return base
    merged = pd.concat(tables, ignore_index=True)
    merged = merged.drop_duplicates(subset="id", keep="last").reset_index(drop=True)
    sectors = default_sectors().including(merged["receiving_sector"])
    files = (() if replace else base.files) + tuple(str(p) for p in paths)
    return Catalogue(merged, sectors, files, tuple(warnings))
