"""The years of a network: which years its flows have, one network per year, and the one
year that the analyses of a single network take.

``flows.csv`` may have a ``year`` column (a whole year from 1000 to 9999, checked when the
file is read). A flow *without* a year counts in **every** year: it is read as a standing
exchange recorded once (a pipeline, a long-term contract), by the trends
(:func:`split_years`) and by :func:`select_year` alike, and a warning says how many such
flows there are.

One year of several (:func:`select_year`)
    Every sum and share of a network is over all of its flows: a network holding three
    years would give three years' totals, labelled per year (a tester's "12.7 Mt/yr
    disposed" was 2008 + 2015 + 2022; 2022 alone disposed 3.56 Mt). So the commands that
    analyse one network take its **latest** year by default, or the year asked for, and
    say which in a note among the network's warnings; adding the years up is asked for
    explicitly (``all``), and keeps the warning the network was read with.

Complexity: O(F) for F flows: the year column is factorised once, the rows grouped by a
stable sort of the integer codes, and each year's rows merged with the undated ones (two
sorted runs); the network of one year shares the firms table and cuts its core from the
network's (:meth:`~symbiosis.model.FlowNetwork.with_rows`).
"""

from __future__ import annotations

import operator
from dataclasses import dataclass
from typing import SupportsIndex, cast

import numpy as np
import pandas as pd

from .._year_notes import taken_note
from ..errors import InputError, Problem
from ..io.flows import YEARS_ADDED_UP
from ..model import FlowNetwork, require_network

__all__ = [
    "ALL_YEARS",
    "LATEST_YEAR",
    "LIBRARY_CHOICE",
    "YearSplit",
    "idle_actors",
    "select_year",
    "split_years",
    "year_cut",
    "year_rows",
    "year_said",
    "years_of",
]

#: What :func:`select_year` takes for the latest year (also its default, None) and for
#: every year added up.
LATEST_YEAR = "latest"
ALL_YEARS = "all"
#: How the note of :func:`select_year` says to choose otherwise, in Python (the command
#: line says it with its ``--year`` option).
LIBRARY_CHOICE = (
    "select_year(network, YEAR) takes another year, select_year(network, 'all') adds them "
    "all up, and symbiosis.analysis.trends.trends gives each year"
)


def select_year(
    network: FlowNetwork, year: int | str | None = None, *, how: str = LIBRARY_CHOICE
) -> FlowNetwork:
    """The network of one year of ``network``'s flows, for the analyses of one network.

    ``year``: None or ``"latest"`` (the default), the latest year of the flows; a year (an
    int, or its digits as text), that year; ``"all"``, ``network`` itself, its years added
    up (with the warning it was read with). A network whose flows have one year, or none,
    is returned as it is for None, ``"latest"`` and ``"all"`` (and for its one year).
    Flows without a year are kept in the year taken, as :func:`split_years` counts them
    in every year (a warning says how many).

    The network returned has the firms of ``network`` and the flows of that year, in file
    order; its warnings are those of ``network`` but the one that the years are added up,
    then a note naming the year taken among the years there are, and how to choose
    otherwise (``how``: the command line says it with ``--year``), and one naming the
    actors with flows in other years but none in this one (not running: no receivers of
    opportunities, :func:`idle_actors`). A year the flows do not
    have, or a ``year`` that is not one, is an :class:`~symbiosis.errors.InputError`
    listing the years there are. O(F) (see the module docstring).

    A year already cut by this function is returned as it is for None, ``"latest"`` and
    its own year; another year, and ``"all"``, are taken from the network it was cut from
    (its :attr:`~symbiosis.model.FlowNetwork.history`): ``select_year(year, 2020)`` is
    ``select_year(year.history, 2020)``."""
    network = require_network(network)
    wanted = _wanted(year)
    history = network.history
    if history is not network and wanted != LATEST_YEAR and (wanted,) != years_of(network):
        return select_year(history, wanted, how=how)
    if wanted == ALL_YEARS:
        return network
    rows, undated, _ = year_rows(network)
    if rows is None:
        if wanted == LATEST_YEAR:
            return network
        raise _refused(f"'{LATEST_YEAR}' or '{ALL_YEARS}': the flows have no year", wanted)
    years = tuple(rows)
    if wanted != LATEST_YEAR and wanted not in rows:
        raise _refused(f"a year of the flows ({_listed(years)}), '{LATEST_YEAR}' or "
                       f"'{ALL_YEARS}'", wanted)  # fmt: skip
    if len(years) == 1:
        return network  # nothing is added up
    chosen = years[-1] if wanted == LATEST_YEAR else int(wanted)
    which = f"{chosen}, the latest year," if wanted == LATEST_YEAR else str(chosen)
    notes = [taken_note(years, which, how)]
    if undated:
        notes.append(
            f"{undated:,} flows have no year: they are counted in {chosen}, as in every year "
            "(the trends count them so); give each flow its year if that is not what they mean"
        )
    cut = year_cut(network, rows[chosen])
    notes.extend(_idle_note(cut, chosen))
    kept = tuple(warning for warning in network.warnings if YEARS_ADDED_UP not in warning)
    return cut.with_warnings((*kept, *notes), history=network)


def idle_actors(network: FlowNetwork) -> np.ndarray:
    """Per node (in the firms table's order), whether it is an actor with flows in other
    years of the network it was cut from (its :attr:`~symbiosis.model.FlowNetwork.history`:
    a year of :func:`select_year`, of :func:`split_years`, of the trends) but none in this
    one: it does not run that year (built later, or closed), and the opportunities
    propose it as no receiver. All false for a network not cut from several years; an
    actor in no flow of any year is left as it is, as in a network without years (a firm
    listed without flows, warned of when read). O(F)."""
    core, history = network.core, network.history
    if history is network:
        return np.zeros(core.n_nodes, dtype=bool)
    every = history.core
    ever = _in_flows(every.source, every.target, every.n_nodes)
    if every.ids is not core.ids and not np.array_equal(every.ids, core.ids):
        at = pd.Index(every.ids).get_indexer(core.ids)  # firms added or removed since
        ever = np.where(at >= 0, ever[np.maximum(at, 0)], False)
    return core.actor & ever & ~_in_flows(core.source, core.target, core.n_nodes)


def year_cut(network: FlowNetwork, rows: np.ndarray) -> FlowNetwork:
    """The network of the flows at ``rows`` (one year's, undated ones included) as a year
    cut from ``network`` (its :attr:`~symbiosis.model.FlowNetwork.history`): its actors
    in flows of other years only are not running (:func:`idle_actors`). O(rows)."""
    year = network.with_rows(rows)
    return year.with_warnings(year.warnings, history=network)


def _in_flows(source: np.ndarray, target: np.ndarray, n_nodes: int) -> np.ndarray:
    """Per node, whether a flow of ``source``/``target`` (node positions) uses it. O(F)."""
    used = np.zeros(n_nodes, dtype=bool)
    used[source] = True
    used[target] = True
    return used


def _idle_note(network: FlowNetwork, year: int) -> list[str]:
    """The note on the actors of ``network`` (a year cut) in flows of other years but
    none of ``year`` (:func:`idle_actors`): not running that year, no receivers of
    opportunities. O(F)."""
    idle = np.flatnonzero(idle_actors(network))
    if not len(idle):
        return []
    ids = network.core.ids
    named = ", ".join(f"'{ids[i]}'" for i in idle[:_NAMED])
    more = f" and {len(idle) - _NAMED:,} more" if len(idle) > _NAMED else ""
    return [
        f"{len(idle):,} actor(s) have flows in other years but none in {year} ({named}{more}): "
        f"taken as not running in {year} (built later, or closed), they are proposed as "
        "receivers of no opportunity"
    ]


_NAMED = 5  # actors named in the note of _idle_note


def year_said(network: FlowNetwork) -> str | None:
    """Which year a network cut by :func:`select_year` holds, for a page's header:
    ``"2021 (latest of 2019-2021)"``, ``"2020 (of 2019-2021)"``; None for a network not
    cut from several years. O(F)."""
    history = network.history
    own = years_of(network) if history is not network else ()
    if len(own) != 1:
        return None
    years = years_of(history)
    which = "latest of" if own[0] == years[-1] else "of"
    return f"{own[0]} ({which} {years[0]}-{years[-1]})"


def _wanted(year: object) -> int | str:
    """``year`` as :func:`select_year` takes it: a year (int), ``"latest"`` or ``"all"``."""
    if year is None:
        return LATEST_YEAR
    if isinstance(year, str):
        said = year.strip().lower()
        if said in (LATEST_YEAR, ALL_YEARS):
            return said
        if said.isascii() and said.isdigit():
            return int(said)
    elif not isinstance(year, bool) and hasattr(year, "__index__"):  # an int, numpy's too
        return operator.index(cast(SupportsIndex, year))
    raise _refused(f"a year like 2019, '{LATEST_YEAR}' or '{ALL_YEARS}'", repr(year))


def _refused(expected: str, got: object) -> InputError:
    """A ``year`` refused: said as ``year must be ...`` (the command line names its
    ``--year`` option: :func:`~symbiosis.cli.option_names.with_option_names`)."""
    return InputError([Problem("", None, None, f"year must be {expected}; got {got}")])


def _listed(years: tuple[int, ...]) -> str:
    return ", ".join(str(year) for year in years)


@dataclass(frozen=True)
class YearSplit:
    """A network cut into years: ``networks`` by year, ascending (``{None: network}``
    when no flow has a year); ``undated`` the number of flows without a year, counted in
    every year; ``warnings`` what the split assumed."""

    networks: dict[int | None, FlowNetwork]
    undated: int
    warnings: tuple[str, ...] = ()

    @property
    def years(self) -> tuple[int | None, ...]:
        """The years, ascending (``(None,)`` for a network without years)."""
        return tuple(self.networks)


def years_of(network: FlowNetwork) -> tuple[int, ...]:
    """The distinct years of the flows' ``year`` column, ascending (empty without one):
    whether the report has a trends section. O(F)."""
    if "year" not in network.flows.columns:
        return ()
    return tuple(sorted(int(y) for y in pd.unique(network.flows["year"].dropna())))


def split_years(network: FlowNetwork) -> YearSplit:
    """One network per year of the flows' ``year`` column (see the module docstring for
    flows without a year). Each yearly network has the firms table of ``network`` and its
    flows of that year, in file order; nothing is read again, and its core is cut from
    the network's (:meth:`~symbiosis.model.FlowNetwork.with_rows`). Of several years,
    each is a year cut from ``network`` (:func:`year_cut`), as :func:`select_year`'s.

    O(F) for F flows: the year column is factorised once, the rows are grouped by a
    stable sort of the integer codes, and each year's rows are merged with the undated
    ones (two sorted runs: linear for numpy's stable sort).
    """
    rows, undated, warnings = year_rows(network)
    if rows is None:
        return YearSplit({None: network}, undated=network.n_flows)
    cut = year_cut if len(rows) > 1 else FlowNetwork.with_rows  # one year of several
    networks: dict[int | None, FlowNetwork] = {y: cut(network, kept) for y, kept in rows.items()}
    return YearSplit(networks, undated=undated, warnings=warnings)


def year_rows(
    network: FlowNetwork,
) -> tuple[dict[int, np.ndarray] | None, int, tuple[str, ...]]:
    """The flow rows of each year, ascending (the undated ones in every year), by year;
    the number of undated flows; the split's warning. None for the rows when no flow has
    a year. O(F) (see :func:`split_years`)."""
    if "year" not in network.flows.columns:
        return None, network.n_flows, ()
    codes, uniques = pd.factorize(network.flows["year"], use_na_sentinel=True)
    if not len(uniques):
        return None, network.n_flows, ()
    order = np.argsort(codes, kind="stable")
    bounds = np.concatenate([[0], np.cumsum(np.bincount(codes + 1, minlength=len(uniques) + 1))])
    undated = order[: bounds[1]]  # code -1 sorts first
    rows: dict[int, np.ndarray] = {}
    for code in np.argsort(np.asarray(uniques, dtype=np.int64), kind="stable"):
        dated = order[bounds[code + 1] : bounds[code + 2]]
        rows[int(uniques[code])] = np.sort(np.concatenate([dated, undated]), kind="stable")
    warnings: tuple[str, ...] = ()
    if len(undated):
        years = ", ".join(str(y) for y in rows)
        warnings = (
            f"{len(undated):,} flows have no year: they are counted in every year ({years}); "
            "give each flow its year if that is not what they mean",
        )
    return rows, len(undated), warnings
