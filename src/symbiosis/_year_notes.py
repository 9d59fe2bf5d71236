"""The note of one year taken from flows of several, written and read back.

:func:`symbiosis.analysis.years.select_year` says in a note among the network's warnings
which year it took (:func:`taken_note`). The note is all that data saved before a year
kept the flows of every year (its ``history``, written by ``FlowNetwork.to_dict`` and in
a report's ``trends`` section) says of the other years: :func:`year_taken` reads it back,
so that such data can be told from a network that never had other years. A leaf: it
imports no project module. O(length of the warnings).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

__all__ = ["YearTaken", "taken_note", "year_taken"]

#: The year taken and the years of the flows it was taken from, ascending.
YearTaken = tuple[int, tuple[int, ...]]

_TAKEN = re.compile(r"flows of \d+ years \((\d{4}(?:, \d{4})+)\): the figures are for (\d{4})\b")


def taken_note(years: Iterable[int], which: str, how: str) -> str:
    """The note of a year taken from the flows of ``years``: ``which`` says the year
    (``"2021, the latest year,"``), ``how`` how to choose another."""
    years = tuple(years)
    listed = ", ".join(str(year) for year in years)
    return (
        f"flows of {len(years)} years ({listed}): the figures are for {which} and its flows "
        f"alone; {how}"
    )


def year_taken(warnings: Iterable[object]) -> YearTaken | None:
    """The year and the years of the first note of :func:`taken_note` among
    ``warnings`` (texts), or None when none is one."""
    for warning in warnings:
        found = _TAKEN.match(warning) if isinstance(warning, str) else None
        if found:
            years = tuple(int(year) for year in found.group(1).split(", "))
            return int(found.group(2)), years
    return None
