"""The two code lists a waste register uses: the EU List of Waste and the R and D operations.

**List of Waste** (Commission Decision 2000/532/EC, replaced in its annex by Commission
Decision 2014/955/EU, in force since 1 June 2015): 20 chapters (two digits), 111
sub-chapters (four) and 842 entries (six), 408 of them hazardous (marked ``*``).
``low_codes.csv`` (package data) holds every heading and entry with its title, as published
in the List of Waste (England) Regulations' data by Defra (Open Government Licence v3.0),
whose codes and titles are those of Decision 2014/955/EU. A code is written ``17 04 05``,
``170405``, ``17.04.05`` or ``17 04 05*`` in registers: :func:`digits` reads all of them.

**Operations** (Directive 2008/98/EC on waste, the Waste Framework Directive): Annex I lists
the disposal operations D1-D15, Annex II the recovery operations R1-R13. A receiver's role in
the network follows from the operation it performs (:data:`OPERATION_ROLES`): recovery
(R2-R13) is ``recycling``, R1 (use principally as a fuel or other means to generate energy)
is ``utility``, D8 and D9 (biological and physico-chemical treatment) are ``treatment``, and
every other disposal operation is ``disposal``. The bare letters ``R`` and ``D`` (the
E-PRTR reports no more than that) are accepted as recovery and disposal of unstated kind.
R12, R13 and D13-D15 are *preliminary* operations (exchange, blending, repackaging,
storage) before another R or D operation.

Complexity: the list is read once per process (O(973) rows); every lookup is a dict access.
"""

from __future__ import annotations

import csv
import functools
import io
import re
from dataclasses import dataclass
from importlib import resources

__all__ = [
    "FATES",
    "OPERATIONS",
    "OPERATION_ROLES",
    "PRELIMINARY",
    "LowEntry",
    "digits",
    "fate",
    "formatted",
    "low_list",
    "material_names",
]

RECOVERY = tuple(f"R{n}" for n in range(1, 14))
DISPOSAL = tuple(f"D{n}" for n in range(1, 16))
#: Every operation code accepted, in the order of the Directive's annexes; R and D alone last.
OPERATIONS: tuple[str, ...] = RECOVERY + DISPOSAL + ("R", "D")
#: Preliminary operations: the waste goes on to another operation afterwards.
PRELIMINARY: frozenset[str] = frozenset({"R12", "R13", "D13", "D14", "D15"})
FATES = ("recovered", "disposed")


def _role(code: str) -> str:
    if code == "R1":
        return "utility"  # energy recovery: cement kilns, power plants, incinerators (R1)
    if code.startswith("R"):
        return "recycling"
    return "treatment" if code in ("D8", "D9") else "disposal"


#: The receiver's role for each operation code.
OPERATION_ROLES: dict[str, str] = {code: _role(code) for code in OPERATIONS}

_SEPARATORS = re.compile(r"[\s.\-*]")


def fate(operation: str) -> str:
    """``recovered`` for an R code, ``disposed`` for a D code (Directive 2008/98/EC,
    Annexes II and I). O(1)."""
    return FATES[0] if operation.startswith("R") else FATES[1]


def digits(code: str) -> str:
    """The six digits of a List of Waste code as registers write it (``17 04 05*``,
    ``17.04.05``, ``170405``); the text without separators if it is not one. O(len)."""
    return _SEPARATORS.sub("", code)


def formatted(six: str, hazardous: bool = False) -> str:
    """``170405`` as the Decision prints it: ``17 04 05``, with ``*`` when hazardous. O(1)."""
    return f"{six[:2]} {six[2:4]} {six[4:]}" + ("*" if hazardous else "")


@dataclass(frozen=True, slots=True)
class LowEntry:
    """One heading or entry of the List of Waste."""

    code: str
    """The digits: 2 for a chapter, 4 for a sub-chapter, 6 for an entry."""
    title: str
    """Its title in the Decision (English)."""
    hazardous: bool
    """Whether the entry is marked ``*`` (always False for headings)."""


@functools.cache
def low_list() -> dict[str, LowEntry]:
    """Every chapter, sub-chapter and entry of the List of Waste, by its digits (read once
    per process from ``low_codes.csv``: O(973))."""
    text = resources.files(__package__).joinpath("low_codes.csv").read_text("utf-8")
    return {
        digits(row["code"]): LowEntry(digits(row["code"]), row["title"], row["hazardous"] == "yes")
        for row in csv.DictReader(io.StringIO(text))
    }


@functools.cache
def material_names() -> dict[str, str]:
    """The material name of every entry: its title, with its code in brackets when several
    entries share the title (``wastes not otherwise specified (10 01 99)``), so that the
    network never merges two different wastes under one name. O(842), once per process."""
    entries = [e for e in low_list().values() if len(e.code) == 6]
    counts: dict[str, int] = {}
    for entry in entries:
        counts[entry.title.lower()] = counts.get(entry.title.lower(), 0) + 1
    return {
        e.code: e.title if counts[e.title.lower()] == 1 else f"{e.title} ({formatted(e.code)})"
        for e in entries
    }


def material_name(six: str) -> str:
    """The material name for the code ``six`` (see :func:`material_names`); a code missing
    from the list is named ``waste 12 34 56``. O(1)."""
    return material_names().get(six) or f"waste {formatted(six)}"


def chapter_title(chapter: str) -> str:
    """The title of a two-digit chapter, or '' when the chapter does not exist. O(1)."""
    entry = low_list().get(chapter)
    return entry.title if entry else ""
