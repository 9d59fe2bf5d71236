"""The results of the loop search: loops, their flows, the symbiosis cores (see
:mod:`symbiosis.analysis.loops` for the definitions)."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from .._frozen import FrozenDict, FrozenResult
from ..jsonable import gc_paused
from ._records import LISTED_ROWS, checked_limit

if TYPE_CHECKING:
    from ._loop_arcs import RankedLoops

__all__ = ["LISTED_ARCS", "Loop", "LoopFlow", "LoopSearch", "SymbiosisCore"]

# Arcs listed at most by a report's loop list (``to_dict`` with a limit).
LISTED_ARCS = 20_000


@dataclass(frozen=True)
class LoopFlow:
    """One flow on an arc of a loop (``value`` in the canonical unit of its
    ``dimension``; ``None`` when unknown; ``row`` its row in flows.csv)."""

    material: str
    material_key: str
    category: str
    dimension: str | None
    value: float | None
    row: int | None

    def to_dict(self) -> dict:
        return {
            "material": self.material,
            "category": self.category,
            "dimension": self.dimension,
            "value": self.value,
            "row": self.row,
        }


@dataclass(frozen=True)
class Loop:
    """A circular loop: ``firms`` in order (the last one delivers to the first), the
    ``flows`` on each arc ``firms[k] -> firms[k + 1]``, and what closes it (see the
    module docstring for ``kind``, ``bottleneck`` and ``total``)."""

    rank: int
    core: int
    firms: tuple[str, ...]
    flows: tuple[tuple[LoopFlow, ...], ...]
    kind: str
    closing_materials: tuple[str, ...]
    closes_in: tuple[str, ...]
    bottleneck: dict[str, float | None]
    total: dict[str, float]
    unknown_flows: int

    def __post_init__(self) -> None:
        _frozen_dicts(self, "bottleneck", "total")

    @property
    def length(self) -> int:
        return len(self.firms)

    def to_dict(self) -> dict:
        firms = self.firms
        return {
            "rank": self.rank,
            "core": self.core,
            "length": len(firms),
            "kind": self.kind,
            "firms": list(firms),
            "arcs": [
                {"source": source, "target": target, "flows": [f.to_dict() for f in flows]}
                for source, target, flows in zip(
                    firms, firms[1:] + firms[:1], self.flows, strict=True
                )
            ],
            "closing_materials": list(self.closing_materials),
            "closes_in": list(self.closes_in),
            "bottleneck": dict(self.bottleneck),
            "total": dict(self.total),
            "unknown_flows": self.unknown_flows,
        }


@dataclass(frozen=True)
class SymbiosisCore:
    """A strongly connected component of two actors or more: ``members`` (ids, in
    firms-table order), ``internal_flows`` (flows between members), ``internal`` (their
    known total per dimension), ``cyclicity`` (spectral radius of the core's binary
    adjacency), ``loops`` (how many of the loops found lie in it)."""

    id: int
    members: tuple[str, ...]
    internal_flows: int
    internal: dict[str, float]
    cyclicity: float
    loops: int

    def __post_init__(self) -> None:
        _frozen_dicts(self, "internal")

    @property
    def size(self) -> int:
        return len(self.members)

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "size": self.size,
            "members": list(self.members),
            "internal_flows": self.internal_flows,
            "internal": dict(self.internal),
            "cyclicity": self.cyclicity,
            "loops": self.loops,
        }


def _frozen_dicts(result, *names: str) -> None:
    """The dicts ``names`` of a frozen ``result`` made read-only (a :class:`FrozenDict`,
    as a result's own dicts are; built as one where it is made, not copied here)."""
    for name in names:
        value = getattr(result, name)
        if type(value) is not FrozenDict:
            object.__setattr__(result, name, FrozenDict(value))


@dataclass(frozen=True, eq=False)
class LoopSearch(FrozenResult):
    """The symbiosis cores and the circular loops of a network, with the bounds used and
    whether they cut the list (see the module docstring)."""

    cores: tuple[SymbiosisCore, ...]
    ranked: RankedLoops = field(repr=False)
    max_length: int
    max_loops: int
    time_budget: float | None
    dimension: str | None
    rank_dimension: str | None
    truncated: bool
    stopped_by: str | None
    longer_loops_possible: bool
    units: dict[str, str] = field(default_factory=dict)
    # the cores' members: their ids and names (object arrays), read by :attr:`names`
    _members: tuple[np.ndarray, np.ndarray] | tuple[()] = field(default=(), repr=False)

    @property
    def found(self) -> int:
        """The exact number of loops found (and listed)."""
        return len(self.ranked)

    @cached_property
    def names(self) -> dict[str, str]:
        """The names of the cores' members whose name is not their id (id -> name), for
        the text tables (:meth:`to_dict` lists ids). Built on first use: O(members)."""
        if not self._members:
            return {}
        ids, names = self._members
        differ = names != ids
        return dict(
            zip(ids[differ].astype(str).tolist(), names[differ].astype(str).tolist(), strict=True)
        )

    @cached_property
    def loops(self) -> tuple[Loop, ...]:
        """Every loop found, in rank order (described on first use: O(total length))."""
        return tuple(self.ranked.top(len(self.ranked)))

    @cached_property
    def ranking(self) -> str:
        """How the loops are ordered, as the text and the HTML report say it: ``largest
        mass bottleneck first``; when no loop has a bottleneck, shortest first, and why:
        no loop closes within one dimension (coal one way, electricity back: a tester's
        coal city was told "no loop has a known size" where every flow had one), or
        those that do have a flow of unknown size. Empty without loops. O(1), or
        O(total loop length) when no loop has a bottleneck."""
        if not self.found:
            return ""
        if any(size is not None for size in self.top(1)[0].bottleneck.values()):
            return f"largest {self.rank_dimension} bottleneck first"
        if any(closes.any() for closes in self.ranked.closes_in().values()):
            return (
                "shortest first, as no loop that closes within one dimension has all its "
                "flows sized"
            )
        return "shortest first, as no loop closes within one dimension"

    def top(self, count: int | None) -> tuple[Loop, ...]:
        """The first ``count`` loops in rank order (all for ``None``; else a whole number
        >= 0, or an InputError); only those are described."""
        count = checked_limit(count, "count")
        if count is None or "loops" in self.__dict__:
            return self.loops[:count]
        return tuple(self.ranked.top(count))

    def to_dict(self, *, limit: int | None = LISTED_ROWS) -> dict:
        """JSON-ready; at most ``limit`` loops and cores are listed (the first in rank
        order; ``None`` lists all), and with a ``limit`` no more loops than fit in
        :data:`LISTED_ARCS` arcs (at least one): a search bounded at 300 actors can find
        loops of 250 arcs, and a thousand of them made an 80 MB report. ``found`` and
        ``cores_found`` always count them all; ``listed`` says how many loops are listed.
        A ``limit`` not a whole number >= 0 or None is an InputError."""
        limit = checked_limit(limit)
        with gc_paused():
            return self._as_dict(limit)

    def _as_dict(self, limit: int | None) -> dict:
        listed = slice(None) if limit is None else slice(limit)
        count = self.found if limit is None else self.ranked.fitting(limit, LISTED_ARCS)
        return {
            "dimension": self.dimension,
            "rank_dimension": self.rank_dimension,
            "max_length": self.max_length,
            "max_loops": self.max_loops,
            "time_budget": self.time_budget,
            "found": self.found,
            "ranking": self.ranking,
            "truncated": self.truncated,
            "stopped_by": self.stopped_by,
            "longer_loops_possible": self.longer_loops_possible,
            "units": dict(self.units),
            "cores_found": len(self.cores),
            "listed": count,
            "cores": [core.to_dict() for core in self.cores[listed]],
            "loops": [loop.to_dict() for loop in self.top(count)],
        }

    def to_frame(self, limit: int | None = None) -> pd.DataFrame:
        """One row per loop, in rank order: firms, materials per arc, bottleneck and total
        per dimension; the first ``limit`` loops only when given (describing a loop costs
        its length, so a text table of the top ten never describes thousands); a
        ``limit`` not a whole number >= 0 or None is an InputError."""
        limit = checked_limit(limit)
        dims = list(self.units)
        records = []
        for loop in self.loops if limit is None else self.top(limit):
            record = {
                "rank": loop.rank,
                "core": loop.core,
                "length": loop.length,
                "kind": loop.kind,
                "firms": " → ".join((*loop.firms, loop.firms[0])),
                "materials": " | ".join(" + ".join(f.material for f in arc) for arc in loop.flows),
            }
            for d in dims:
                record[f"bottleneck_{d}"] = loop.bottleneck.get(d)
            for d in dims:
                record[f"total_{d}"] = loop.total.get(d)
            records.append(record)
        columns = ["rank", "core", "length", "kind", "firms", "materials"]
        columns += [f"bottleneck_{d}" for d in dims] + [f"total_{d}" for d in dims]
        return pd.DataFrame.from_records(records, columns=columns).set_index("rank")

    def cores_frame(self) -> pd.DataFrame:
        """One row per symbiosis core."""
        dims = list(self.units)
        records = [
            {
                "core": core.id,
                "actors": core.size,
                "members": ", ".join(core.members),
                "internal_flows": core.internal_flows,
                **{f"internal_{d}": core.internal.get(d) for d in dims},
                "cyclicity": core.cyclicity,
                "loops": core.loops,
            }
            for core in self.cores
        ]
        columns = ["core", "actors", "members", "internal_flows"]
        columns += [f"internal_{d}" for d in dims] + ["cyclicity", "loops"]
        return pd.DataFrame.from_records(records, columns=columns).set_index("core")
