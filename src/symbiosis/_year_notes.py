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
from typing import Any

__all__ = ["YearTaken", "in_other_years", "taken_note", "year_taken"]

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


def in_other_years(network: Any, source: str, target: str, key: str) -> tuple[str, str]:
    """For a flow ``source -> target`` of material key ``key`` that ``network`` (a
    ``FlowNetwork``), one year cut from several, lacks but the flows of every year (its
    ``history``) hold in other years: what to add to the message (the year analysed, the
    years that have it) and a hint naming ``--year``. Empty texts for a network not cut
    from several, or when no other year has the flow. O(F) (an error path)."""
    history = network.history
    if history is network:
        return "", ""
    flows, every = network.flows, history.flows
    if "year" not in every.columns or "year" not in flows.columns:
        return "", ""
    analysed = sorted({int(y) for y in flows["year"].dropna()})
    same = (every["source"] == source) & (every["target"] == target)
    found = every["year"][same & (every["material_key"] == key)].dropna()
    others = sorted({int(y) for y in found} - set(analysed))
    if len(analysed) != 1 or not others:
        return "", ""
    listed = ", ".join(str(year) for year in others)
    return (
        f" in {analysed[0]}, the year analysed (the flows of {listed} have one)",
        f"analyse {others[-1]} with --year {others[-1]} (select_year(network, {others[-1]}) "
        f"in Python), or select a flow of {analysed[0]}",
    )
