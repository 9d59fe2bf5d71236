"""Industry codes mapped to the catalogue's receiving sectors.

``sector_codes.csv`` (package data) maps codes of three classifications to the sectors of
``sectors.csv``, so that a firm given as NACE ``19.20``, ISIC ``1920`` or GB/T 4754 ``2511``
is a ``petroleum refining`` firm like one whose sector text says "oil refinery":

=========  ===========================================================  ====================
scheme     classification                                               codes
=========  ===========================================================  ====================
``NACE``   NACE Rev. 2 (Regulation (EC) No 1893/2006)                   ``19``, ``19.2``,
                                                                        ``19.20``
``ISIC``   ISIC Rev. 4 (UN Statistics Division, ST/ESA/STAT/SER.M/4/    ``19``, ``192``,
           Rev.4, 2008)                                                 ``1920``
``GB``     GB/T 4754-2017 国民经济行业分类 (China)                        ``25``, ``251``,
                                                                        ``2511``
=========  ===========================================================  ====================

Columns of the file: ``scheme``, ``code``, ``title`` and ``sector`` (required; ``sector``
may list several sectors separated by ``;``, or be empty for a code that is known but
feeds no catalogue sector), ``notes`` (optional). A code not listed takes the sector of
its nearest listed parent (``23.52`` -> ``23.5``), within its scheme.

Reading a code (:func:`sectors_for_code`)
    Spaces and dots are ignored, a leading section letter is dropped (``C 19.20``,
    ``C1920``), and so are national extensions (WZ 2008 ``23.52.1``, NAF ``23.52Z``, ATECO
    ``23.52.10``: read as their NACE class). The scheme may be given as an argument
    (``nace``, ``NACE Rev. 2``, ``isic``, ``gb``, ``GB/T 4754-2017``, ``cn``) or written
    before the code (``NACE 19.20``, ``GB/T 4754-2017: 2511``).

    Without a scheme, a dotted code is NACE. A bare code is read in every scheme that
    lists it (exact codes first, then parents); a bare two-digit code in every scheme that
    has the division, listed or not. When the readings agree, that is the answer (NACE and
    ISIC ``1920`` are both refining); when they disagree (``25``: NACE fabricated metal
    products, GB petroleum and coal processing) the code is ambiguous and maps to no
    sector; :meth:`SectorCodes.lookup` shows each reading. A bare code listed in one scheme
    only (GB ``3011``) is read in that scheme, so give the scheme to be sure, or let
    :meth:`SectorCodes.infer_scheme` choose it for a whole column.

Errors
    A malformed file raises :class:`~symbiosis.errors.InputError` with every problem as
    ``file:row: column: what is wrong; what to do``.

Complexity: reading is O(rows); a lookup is at most three dictionary probes per scheme.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import pandas as pd

from ..errors import InputError, Problem
from ..io.problems import in_row_order
from .reading import read_with_columns
from .sectors import normalise_sector

__all__ = [
    "SCHEMES",
    "CodeMatch",
    "SectorCodes",
    "canonical_scheme",
    "default_sector_codes",
    "load_sector_codes",
    "sectors_for_code",
]

SCHEMES: dict[str, str] = {
    "NACE": "NACE Rev. 2",
    "ISIC": "ISIC Rev. 4",
    "GB": "GB/T 4754-2017",
}
_REQUIRED = ("scheme", "code", "title", "sector")
_FORMS = {  # how each scheme writes its codes in the file
    "NACE": re.compile(r"^\d{2}(\.\d{1,2})?$"),
    "ISIC": re.compile(r"^\d{2,4}$"),
    "GB": re.compile(r"^\d{2,4}$"),
}
_HINTS = {"NACE": "e.g. 19, 19.2 or 19.20", "ISIC": "e.g. 19, 192 or 1920",
          "GB": "e.g. 25, 251 or 2511"}  # fmt: skip
_NAMED = re.compile(
    r"^(?P<scheme>nace(\s*rev\.?\s*2)?|isic(\s*rev\.?\s*4)?|gb(\s*/\s*t)?(\s*4754(\s*-\s*\d{4})?)?"
    r"|cn|china)\s*[:\s]\s*(?P<code>.*)$",
    re.IGNORECASE,
)
_WORD = re.compile(r"^(?P<scheme>[A-Za-z][A-Za-z/.\-]+)\s*[:\s]\s*[A-Za-z]?\s*\d")
_CODE = re.compile(r"^(?P<section>[A-Za-z])?\s*(?P<digits>\d[\d.\s]*?)\s*(?P<suffix>[A-Za-z])?$")
# Every division of each scheme (NACE Rev. 2 and ISIC Rev. 4 share theirs; GB/T 4754-2017
# has 01 to 97): a bare two-digit code is read in every scheme that has the division,
# listed in sector_codes.csv or not, so that "25" is ambiguous (NACE 25 is fabricated
# metal products, GB 25 is petroleum and coal processing).
_NACE_GAPS = {4, 34, 40, 44, 48, 54, 57, 67, 76, 83, 89}  # numbers 01-99 with no division
_NACE_DIVISIONS = frozenset(f"{d:02d}" for d in range(1, 100) if d not in _NACE_GAPS)
_DIVISIONS = {
    "NACE": _NACE_DIVISIONS,
    "ISIC": _NACE_DIVISIONS,
    "GB": frozenset(f"{d:02d}" for d in range(1, 98)),
}


def canonical_scheme(text: str) -> str | None:
    """``NACE``, ``ISIC`` or ``GB`` for any usual spelling of a scheme, else ``None``.

    >>> canonical_scheme("NACE Rev. 2"), canonical_scheme("gb/t 4754-2017")
    ('NACE', 'GB')
    """
    key = re.sub(r"[^a-z0-9]", "", str(text).lower())
    if key.startswith("nace"):
        return "NACE"
    if key.startswith("isic"):
        return "ISIC"
    if key.startswith(("gb", "gbt4754")) or key in ("cn", "china", "cic", "4754"):
        return "GB"
    return None


@dataclass(frozen=True)
class CodeMatch:
    """One reading of a code: the scheme, the listed code it matched (the code itself, or
    its nearest listed parent when ``exact`` is false), its title and its sectors."""

    scheme: str
    code: str
    title: str
    sectors: frozenset[str]
    exact: bool


@dataclass(frozen=True)
class SectorCodes:
    """Codes of each scheme (digits only) -> (listed code, title, normalised sectors)."""

    entries: dict[tuple[str, str], tuple[str, str, frozenset[str]]]

    def __len__(self) -> int:
        return len(self.entries)

    @classmethod
    def from_frame(cls, frame: pd.DataFrame) -> SectorCodes:
        entries = {}
        for scheme, code, title, sector in zip(
            frame["scheme"], frame["code"], frame["title"], frame["sector"], strict=True
        ):
            scheme = canonical_scheme(scheme)
            sectors = frozenset(normalise_sector(s) for s in str(sector).split(";") if s.strip())
            entries[(scheme, _digits(code))] = (code, title, sectors)
        return cls(entries)

    def _find(self, scheme: str, digits: str) -> CodeMatch | None:
        for length in range(len(digits), 1, -1):
            entry = self.entries.get((scheme, digits[:length]))
            if entry is not None:
                code, title, sectors = entry
                return CodeMatch(scheme, code, title, sectors, length == len(digits))
        if len(digits) == 2 and digits in _DIVISIONS[scheme]:  # a division, not listed
            return CodeMatch(scheme, digits, "", frozenset(), True)
        return None

    def lookup(self, code: str, scheme: str | None = None) -> tuple[CodeMatch, ...]:
        """Every reading of ``code``: one per scheme that knows it (or its parent).

        Raises :class:`ValueError` for an unknown scheme or a text that is not a code.
        """
        schemes, digits, dotted = _parse(code, scheme)
        if dotted and len(schemes) > 1:
            schemes = ("NACE",)
        found = [m for s in schemes if (m := self._find(s, digits)) is not None]
        exact = [m for m in found if m.exact]
        return tuple(exact or found)

    def infer_scheme(self, codes) -> str | None:
        """The scheme that lists the most of ``codes`` exactly (a firms table's column),
        or ``None`` when none does or two tie. Dotted codes count for NACE. Codes that are
        not codes are skipped. O(n)."""
        counts = dict.fromkeys(SCHEMES, 0)
        for code in codes:
            try:
                schemes, digits, dotted = _parse(code, None)
            except ValueError:
                continue
            for scheme in ("NACE",) if dotted else schemes:
                counts[scheme] += (scheme, digits) in self.entries
        best = sorted(counts.values(), reverse=True)
        if best[0] == 0 or best[0] == best[1]:
            return None
        return max(counts, key=counts.__getitem__)

    def sectors_of(self, code: str, scheme: str | None = None) -> frozenset[str]:
        """The catalogue sectors (normalised names) of ``code``; empty when the code maps
        to no sector, is unknown, or is read differently by two schemes (give ``scheme``)."""
        readings = {m.sectors for m in self.lookup(code, scheme)}
        return next(iter(readings)) if len(readings) == 1 else frozenset()


def _digits(code: str) -> str:
    return re.sub(r"[^0-9]", "", str(code))


def _parse(code: str, scheme: str | None) -> tuple[tuple[str, ...], str, bool]:
    text = str(code).strip()
    named = None
    prefixed = _NAMED.match(text)
    if prefixed:
        named, text = canonical_scheme(prefixed["scheme"]), prefixed["code"]
    elif (word := _WORD.match(text)) is not None:
        raise ValueError(f"'{word['scheme']}' is not a known classification; use NACE, "
                         "ISIC or GB (GB/T 4754-2017)")  # fmt: skip
    match = _CODE.match(text)
    digits = _digits(match["digits"]) if match else ""
    if not match or not 2 <= len(digits) <= 6:
        raise ValueError(f"'{code}' is not an industry code; write e.g. NACE 19.20, "
                         "ISIC 1920 or GB 2511")  # fmt: skip
    if scheme is not None:
        given = canonical_scheme(scheme)
        if given is None:
            raise ValueError(f"'{scheme}' is not a known classification; use NACE, ISIC "
                             "or GB (GB/T 4754-2017)")  # fmt: skip
        if named is not None and named != given:
            raise ValueError(f"'{code}' names {named} but the scheme given is {given}")
        named = given
    schemes = (named,) if named else tuple(SCHEMES)
    return schemes, digits, "." in text


def read_sector_codes(path: str | Path, *, shown: str | None = None) -> SectorCodes:
    """Read and validate a sector-code file; raise :class:`InputError` with every problem."""
    table = read_with_columns(path, _REQUIRED, shown=shown)
    frame, rows, file = table.frame, table.rows, table.path
    problems: list[Problem] = []
    first: dict[tuple[str, str], int] = {}
    for position, (scheme, code) in enumerate(zip(frame["scheme"], frame["code"], strict=True)):
        row = int(rows[position])
        canonical = canonical_scheme(scheme) if scheme else None
        if canonical is None:
            problems.append(Problem(file, row, "scheme", f"unknown scheme '{scheme}'",
                                    "use NACE, ISIC or GB"))  # fmt: skip
            continue
        if not _FORMS[canonical].match(code):
            problems.append(Problem(file, row, "code", f"'{code}' is not a {canonical} code",
                                    f"write it as {_HINTS[canonical]}"))  # fmt: skip
            continue
        key = (canonical, _digits(code))
        if key in first:
            again = f"{canonical} {code} is listed again (first on row {first[key]})"
            problems.append(Problem(file, row, "code", again, "keep one row per code"))
        else:
            first[key] = row
    for position, title in enumerate(frame["title"]):
        if not title:
            problems.append(Problem(file, int(rows[position]), "title", "title is empty",
                                    "give the code's title in its classification"))  # fmt: skip
    for position, sector in enumerate(frame["sector"]):
        parts = str(sector).split(";")
        if sector and any(not normalise_sector(p) for p in parts):
            problems.append(Problem(file, int(rows[position]), "sector", f"'{sector}' names "
                                    "an empty sector", "separate sector names with ';' or "
                                    "leave the cell empty"))  # fmt: skip
    if problems:
        raise InputError(in_row_order(problems))
    return SectorCodes.from_frame(frame)


_DEFAULT: SectorCodes | None = None


def default_sector_codes() -> SectorCodes:
    """The shipped ``sector_codes.csv`` (read once per process)."""
    global _DEFAULT
    if _DEFAULT is None:
        name = resources.files("symbiosis.catalogue") / "sector_codes.csv"
        with resources.as_file(name) as path:
            _DEFAULT = read_sector_codes(path, shown="sector_codes.csv")
    return _DEFAULT


def load_sector_codes(paths: str | Path | list | tuple | None = None) -> SectorCodes:
    """The shipped codes, with rows of user files added (a user row replaces the shipped
    row of the same scheme and code). Every problem of every file is reported at once."""
    if paths is None or isinstance(paths, str | Path):
        paths = [] if paths is None else [paths]
    entries = dict(default_sector_codes().entries)
    problems: list[Problem] = []
    for path in paths:
        try:
            entries.update(read_sector_codes(path).entries)
        except InputError as exc:
            problems.extend(exc.problems)
    if problems:
        raise InputError(problems)
    return SectorCodes(entries)


def sectors_for_code(code: str, scheme: str | None = None) -> frozenset[str]:
    """The catalogue sectors of an industry code, with the shipped taxonomy.

    >>> sorted(sectors_for_code("19.20")), sorted(sectors_for_code("2511", "gb"))
    (['petroleum refining'], ['petroleum refining'])
    """
    return default_sector_codes().sectors_of(code, scheme)
