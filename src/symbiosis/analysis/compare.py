"""Two networks side by side: every headline indicator, the flows and firms that differ.

:func:`compare` answers "how did the park change?" for two networks read from two places
(a park before and after its plan, two years kept in two folders, two regions):

Indicators
    Every headline indicator (:func:`~symbiosis.analysis.trends.headline`) of ``a`` and
    ``b`` and the difference ``b - a`` (``None`` where either is undefined), laid side by
    side by the scenario comparison's code
    (:class:`~symbiosis.analysis.indicators.ScenarioComparison`); the loops found only in
    ``a`` and only in ``b``.
Flows
    Flows are matched on (source, target, material, category), the material on its
    normalised key (``Slag`` and ``slag`` match), and summed per dimension in its
    canonical unit (t, GJ or m3 per year; quantities of different dimensions are never
    added). A key found only in ``b`` is *added*, only in ``a`` *removed*; a key in both
    is *changed* when, in some dimension, its known total differs (relative tolerance
    1e-9) or its number of flows of unknown size differs, else *unchanged*. The change of
    an added or removed key counts the missing side as 0; a total with no known quantity
    is ``None`` and so is its change.
Firms
    Ids found only in ``b`` (added) and only in ``a`` (removed).

A network holding flows of several years is compared as a whole (its years added up);
a note says so (:mod:`.trends` compares years). A year cut from such a network
(:func:`~.years.select_year`, what ``symbiosis compare`` does by default) is compared as
that year, and a note says which year each side is, above all when they differ.

Complexity: one :func:`~symbiosis.analysis.trends.headline` per network, each stating
its own cost, plus O(F_a + F_b) hashing for the flows and O(N_a + N_b) for the firms.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import pandas as pd

from .._frozen import FrozenResult
from .._memory import return_freed_memory
from .._sorting import lexorder
from ..arguments import Arguments, short_repr
from ..errors import InputError
from ..jsonable import to_jsonable
from ..model import FlowNetwork, require_network
from ..options import Options, checked_options
from ..units import CANONICAL_UNITS, yearly_unit
from ._records import LISTED_ROWS, checked_limit, records
from .indicators import (
    Indicators,
    ScenarioComparison,
    ScenarioResult,
    dimensions_of,
    lost_loops,
    with_dimensions,
)
from .trends import OPTIONAL_INDICATORS, headline
from .trends_keys import DIMENSION_NAMES, StackedCodes, combined_codes, first_rows
from .years import year_said, years_of

__all__ = ["FLOW_KEY", "STATUSES", "NetworkComparison", "compare"]

#: What matches a flow of one network with a flow of the other.
FLOW_KEY: tuple[str, ...] = ("source", "target", "material_key", "category")
#: The status of a flow key, in display order.
STATUSES: tuple[str, ...] = ("added", "removed", "changed", "unchanged")
RELATIVE_TOLERANCE = 1e-9  # totals recomputed from other rows may differ by rounding only
_SHOWN = ["source", "target", "material", "category", "dimension", "unit"]


@dataclass(frozen=True)
class NetworkComparison(FrozenResult):
    """Networks ``a`` and ``b`` side by side (see the module docstring).

    ``indicators`` holds the headline indicators of both (``before`` is ``a``, the one
    result is ``b``); ``flows`` one row per flow key and dimension: ``source``,
    ``target``, ``material`` (as first written), ``material_key``, ``category``,
    ``dimension``, ``unit``, ``a`` and ``b`` (known totals), ``change``, ``unknown_a``
    and ``unknown_b`` (flows of unknown size) and ``status`` (:data:`STATUSES`); ``firms_added`` and
    ``firms_removed`` the ids found in one network only; ``flow_keys`` the number of
    distinct flow keys (:data:`FLOW_KEY`, whatever their dimensions) of each status.
    """

    a_label: str
    b_label: str
    indicators: ScenarioComparison = field(repr=False)
    flows: pd.DataFrame = field(repr=False)
    firms_added: tuple[str, ...]
    firms_removed: tuple[str, ...]
    flow_keys: dict[str, int]
    years_notes: tuple[str, ...] = ()

    @property
    def loops_only_in_a(self) -> tuple[tuple[str, ...], ...]:
        """Loops of ``a`` that ``b`` lacks, each from its actor that comes first in ``a``'s
        firms table (as ``symbiosis loops`` writes it)."""
        return self.indicators.results[0].opened

    @property
    def loops_only_in_b(self) -> tuple[tuple[str, ...], ...]:
        """Loops of ``b`` that ``a`` lacks, each from its actor that comes first in ``b``'s
        firms table."""
        return self.indicators.results[0].closed

    @property
    def notes(self) -> tuple[str, ...]:
        """The notes of both indicator sets (a value missing, a bounded loop search)."""
        a, b = self.indicators.before.notes, self.indicators.results[0].after.notes
        return (
            *self.years_notes,
            *(f"{self.a_label}: {n}" for n in a),
            *(f"{self.b_label}: {n}" for n in b),
        )

    def flows_with(self, status: str, limit: int | None = None) -> pd.DataFrame:
        """The rows of :attr:`flows` of one status (``added``, ``removed``, ...), the
        first ``limit`` of them when given. O(rows) to find them, then only those taken.
        An unknown status, or a ``limit`` not a whole number >= 0 or None, is an
        InputError."""
        check = Arguments()
        check.choice("status", status, STATUSES)
        limit = checked_limit(limit, check=check)
        check.check()
        return self._taken(self._rows_with(status), limit)

    def _rows_with(self, status: str) -> np.ndarray:
        return np.flatnonzero((self.flows["status"] == status).to_numpy(dtype=bool))

    def _taken(self, rows: np.ndarray, limit: int | None) -> pd.DataFrame:
        return self.flows.iloc[rows if limit is None else rows[:limit]].reset_index(drop=True)

    def to_frame(self) -> pd.DataFrame:
        """The indicators: one row per (``dimension``, ``indicator``), columns ``unit``,
        ``a``, ``b`` and ``difference`` (b - a)."""
        table = self.indicators.to_frame()
        return table.rename(columns={"before": "a", "b change": "difference"})

    def to_dict(self, *, limit: int | None = LISTED_ROWS) -> dict[str, Any]:
        """JSON-ready: the indicators as records, the flows added, removed and changed
        (at most ``limit`` rows of each, in display order; ``None``: all; ``rows`` gives
        each list's full length, as the report's per-firm tables do; unchanged ones only
        counted), firms, loops and notes. O(indicators + flow keys)."""
        limit = checked_limit(limit)
        indicators = [
            {"dimension": d, "indicator": i, **{k: to_jsonable(v) for k, v in row.items()}}
            for (d, i), row in self.to_frame().iterrows()
        ]
        found = {s: self._rows_with(s) for s in STATUSES[:3]}  # each status looked up once
        return {
            "a": self.a_label,
            "b": self.b_label,
            "indicators": indicators,
            "loops_only_in_a": [list(loop) for loop in self.loops_only_in_a],
            "loops_only_in_b": [list(loop) for loop in self.loops_only_in_b],
            "flow_keys": dict(self.flow_keys),
            "flows": {s: _records(self._taken(rows, limit)) for s, rows in found.items()},
            "rows": {s: len(rows) for s, rows in found.items()},
            "firms_added": list(self.firms_added),
            "firms_removed": list(self.firms_removed),
            "notes": list(self.notes),
        }


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """The flows as records without their status, a column at a time
    (:func:`._records.records`; ``DataFrame.to_dict`` makes a Python call per cell)."""
    return records(frame.drop(columns=["status"]))


def compare(
    a: FlowNetwork,
    b: FlowNetwork,
    *,
    labels: tuple[str, str] = ("A", "B"),
    options: Options | None = None,
) -> NetworkComparison:
    """Networks ``a`` and ``b`` side by side: headline indicators, flows added, removed
    and changed, firms added and removed (definitions in the module docstring).

    ``labels`` name the two networks in notes and output. Cost: one
    :func:`~symbiosis.analysis.trends.headline` per network plus O(F_a + F_b + N_a + N_b);
    what each headline computes on its network is let go before the next starts (two
    million-flow networks: the command 2.56 -> 2.32 GB).
    """
    require_network(a, "a")
    require_network(b, "b")
    options = checked_options(options)
    if not (
        isinstance(labels, tuple | list)
        and len(labels) == 2
        and all(isinstance(label, str) for label in labels)
    ):
        shown = short_repr(labels)
        raise InputError(f"labels must be two names, e.g. ('before', 'after') (got {shown})")
    first, second = _headline(a, options), _headline(b, options)
    shared = dimensions_of(first) | dimensions_of(second)  # one side's lacks show 0
    first, second = (_own_rows(with_dimensions(found, shared)) for found in (first, second))
    if a.summed_years != b.summed_years:  # one unit column for both sides' totals
        first = _each_over_its_years(first)
    result = ScenarioResult(
        name="b",  # a column name of the side-by-side table: the labels may be anything
        scenario=None,
        after=second,
        opened=lost_loops(first.loops, a, second.loops, b, complete=not second.loops_truncated),
        closed=lost_loops(second.loops, b, first.loops, a, complete=not first.loops_truncated),
        network_after=b,
    )
    # the ids as Python strings at once (tolist), not by iterating the Arrow-backed index
    # (a Python call per id: 0.5 s for two networks of 333,000 firms)
    ids_a, ids_b = set(map(str, a.firms.index.tolist())), set(map(str, b.firms.index.tolist()))
    flows, flow_keys = _matched(a, b)
    return NetworkComparison(
        a_label=labels[0],
        b_label=labels[1],
        indicators=ScenarioComparison(before=first, results=(result,)),
        flows=flows,
        firms_added=tuple(sorted(ids_b - ids_a)),
        firms_removed=tuple(sorted(ids_a - ids_b)),
        flow_keys=flow_keys,
        years_notes=_years_notes(labels, a, b),
    )


def _own_rows(found: Indicators) -> Indicators:
    """``found`` without the rows that :func:`with_dimensions` gave a dimension for an
    indicator of another dimension only (the recovery rate, of mass alone). O(rows)."""
    table = found.table
    own = table["indicator"].map(OPTIONAL_INDICATORS)
    stray = (own.notna() & (own != table["dimension"])).to_numpy(bool)
    return replace(found, table=table[~stray].reset_index(drop=True)) if stray.any() else found


def _each_over_its_years(found: Indicators) -> Indicators:
    """``found`` with each quantity's unit said as a total over each network's own years
    (:func:`_unit`): the two networks add up different numbers of years. O(rows)."""
    table = found.table
    pairs = zip(table["dimension"], table["unit"], strict=True)
    units = [_own_years_unit(d) if unit else "" for d, unit in pairs]
    return replace(found, table=table.assign(unit=units))


def _headline(network: FlowNetwork, options: Options | None) -> Indicators:
    """The network's headline indicators, computed on a copy whose caches go with it (two
    networks' passes never held at once), the memory they freed handed back before the
    next step (the count of opportunities runs on a thread of its own, whose heap glibc
    keeps otherwise: 200 MB more at the matching of two million-flow networks)."""
    found = headline(network.uncached(), options)
    return_freed_memory(whole=True)
    return found


def _years_notes(labels: tuple[str, str], a: FlowNetwork, b: FlowNetwork) -> tuple[str, ...]:
    """The notes on the years of ``a`` and ``b``: each network of several years added up
    (:func:`_years`), then, when either is one year cut from several (:func:`~.years.\
select_year`), which year each side is. O(F_a + F_b)."""
    added = tuple(note for label, net in zip(labels, (a, b), strict=True)
                  if (note := _years(label, net)))  # fmt: skip
    cut = [year_said(net) for net in (a, b)]
    if cut == [None, None]:
        return added
    said = [year or _own_years(net) for year, net in zip(cut, (a, b), strict=True)]
    if said[0] == said[1]:
        which = f"{labels[0]} and {labels[1]}: the figures are for {said[0]}"
    else:
        differ = "different years: " if all(years_of(net) for net in (a, b)) else ""
        which = (
            f"{differ}the figures of {labels[0]} are for {said[0]}, those of {labels[1]} "
            f"for {said[1]}"
        )
    return (*added, which)


def _own_years(network: FlowNetwork) -> str:
    """The years of a network not cut from several, as :func:`_years_notes` says them."""
    years = years_of(network)
    if not years:
        return "flows without a year"
    if len(years) == 1:
        return f"{years[0]} (its one year)"
    return f"{years[0]}-{years[-1]}, added up"


def _years(label: str, network: FlowNetwork) -> str | None:
    """A note when ``network`` holds flows of several years: compare adds them up."""
    if "year" not in network.flows.columns:
        return None
    year = network.flows["year"]
    years = sorted(int(y) for y in year.dropna().unique())
    if len(years) < 2:
        return None
    undated = int(year.isna().sum())
    flows = "flow" if undated == 1 else "flows"
    once = f" ({undated:,} {flows} without a year counted once)" if undated else ""
    return (
        f"{label} holds flows of {len(years)} years ({years[0]}-{years[-1]}): compare adds "
        f"them up{once}; symbiosis trends compares them year by year (and counts a flow "
        "without a year in every year)"
    )


def flow_changes(a: FlowNetwork, b: FlowNetwork) -> pd.DataFrame:
    """The flows of ``a`` and ``b`` matched on :data:`FLOW_KEY` and summed per dimension,
    with each key's status (see :class:`NetworkComparison` for the columns). See
    :func:`_matched` for the cost."""
    return _matched(a, b)[0]


def _matched(a: FlowNetwork, b: FlowNetwork) -> tuple[pd.DataFrame, dict[str, int]]:
    """:func:`flow_changes`, and the number of distinct flow keys of each status.

    Read from the two cores' integer codes (:class:`~.trends_keys.StackedCodes`): the
    matching and the sums are integer work (``bincount``), the display order an integer
    sort of the values' ranks, and the table's texts are taken from the vocabularies.
    O(F_a + F_b), plus O(V log V) to rank the V distinct firms and materials, plus
    O(K log K) to sort the K keys that differ for display (unchanged keys keep their
    order)."""
    columns = StackedCodes.of(a, b, _TEXTS)
    side = np.repeat(np.array([0, 1], dtype=np.int64), [a.n_flows, b.n_flows])
    key4 = combined_codes([columns.met(c) for c in FLOW_KEY])
    key5 = combined_codes([key4, columns.met("dimension")])
    n4, n5 = int(key4.max(initial=-1)) + 1, int(key5.max(initial=-1)) + 1
    # the first row of each key (a's rows come first): its names, and its key4
    first = first_rows(key5)
    four_of = key4[first]
    value = np.concatenate([a.core.value, b.core.value])
    known = ~np.isnan(value)

    def per_side(weights: np.ndarray, n: int, keys: np.ndarray) -> tuple[np.ndarray, ...]:
        return tuple(np.bincount(keys[side == k], weights[side == k], minlength=n) for k in (0, 1))

    count_a, count_b = per_side(np.ones(len(side)), n5, key5)
    known_a, known_b = per_side(known.astype(float), n5, key5)
    sum_a, sum_b = per_side(np.where(known, value, 0.0), n5, key5)
    in4_a, in4_b = (c > 0 for c in per_side(np.ones(len(side)), n4, key4))
    total_a = np.where(known_a > 0, sum_a, np.nan)  # no known quantity: no total
    total_b = np.where(known_b > 0, sum_b, np.nan)
    unknown_a = (count_a - known_a).astype(np.int64)
    unknown_b = (count_b - known_b).astype(np.int64)
    has_a, has_b = count_a > 0, count_b > 0
    change = np.where(has_b, total_b, 0.0) - np.where(has_a, total_a, 0.0)
    differs = _differs(np.where(has_a, total_a, 0.0), np.where(has_b, total_b, 0.0))
    differs |= unknown_a != unknown_b
    key_differs = np.bincount(four_of, differs.astype(float), minlength=n4)[four_of] > 0
    status = np.select(  # codes into STATUSES, which are in display order
        [~in4_a[four_of], ~in4_b[four_of], key_differs], [0, 1, 2], default=3
    ).astype(np.int8)
    key_status = np.zeros(n4, dtype=np.int8)  # a key's rows (one per dimension) share it
    key_status[four_of] = status
    per_key = np.bincount(key_status, minlength=len(STATUSES))
    # Sorted for display, status first; the unchanged keys (most of them, usually) keep
    # their order, which saves sorting them.
    moved = np.flatnonzero(status != 3)
    ranks = [columns.rank(c, first[moved]) for c in reversed(_SHOWN[:5])]
    moved = moved[lexorder(*ranks, status[moved])]  # stable: ties keep their order
    order = np.concatenate([moved, np.flatnonzero(status == 3)])
    rows = first[order]
    units = pd.Series([_unit(d, a.summed_years, b.summed_years) for d in DIMENSION_NAMES])
    frame = pd.DataFrame(
        {
            **{name: columns.texts(name, rows) for name in _TEXTS},
            "unit": units.take(columns.codes["dimension"][rows]).reset_index(drop=True),
            "a": _nullable(total_a[order]),
            "b": _nullable(total_b[order]),
            "change": _nullable(change[order]),
            "unknown_a": unknown_a[order],
            "unknown_b": unknown_b[order],
            "status": pd.Series(list(STATUSES)).take(status[order]).reset_index(drop=True),
        }
    )
    return frame, {s: int(n) for s, n in zip(STATUSES, per_key, strict=True)}


#: The text columns of :func:`flow_changes`, in order.
_TEXTS = ("source", "target", "material", "material_key", "category", "dimension")


def _nullable(values: np.ndarray) -> np.ndarray:
    """Floats as an object array with None where a value is missing."""
    out = values.astype(object)
    out[np.isnan(values)] = None
    return out


def _differs(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Element-wise: the two totals differ (NaN equals NaN: both have no known size)."""
    both_nan = np.isnan(a) & np.isnan(b)
    with np.errstate(invalid="ignore"):
        close = np.abs(a - b) <= RELATIVE_TOLERANCE * np.maximum(np.abs(a), np.abs(b))
    return ~(both_nan | close)


def _unit(dimension: str, years_a: int = 1, years_b: int = 1) -> str:
    """The unit of a dimension's totals: per year, or over the years both networks add
    up (:func:`~symbiosis.units.yearly_unit`); over each network's own years when they
    add up different numbers of years (their years note says which)."""
    if dimension not in CANONICAL_UNITS:
        return ""
    if years_a != years_b:
        return _own_years_unit(dimension)
    return yearly_unit(dimension, years_a)


def _own_years_unit(dimension: str) -> str:
    return f"{CANONICAL_UNITS[dimension]} (each network's total over its years)"
