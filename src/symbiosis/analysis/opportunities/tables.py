"""Tables built from the ranked opportunities: the streams nothing covers, and the
public table of every candidate (the new plants' table is :mod:`.plants`).

The public table (:class:`PublicTable`) is built on first use of :attr:`Opportunities.table`;
it keeps what it needs, not the network, and pickles as the finished frame.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

import numpy as np
import pandas as pd

from ..._memory import return_freed_memory
from ..._sorting import cumcount
from ...units import DIMENSIONS, yearly_unit
from .candidates import CAPPED_CODES, WEAK_CODES, Candidates, constant
from .economics import Worth
from .grades import Grading
from .heads import Ranking
from .processes import plant_codes, plant_ids
from .ranking import rank_order
from .receivers import Context
from .result import FATES, GROUPS, KINDS
from .streams import Streams

__all__ = [
    "PublicTable",
    "coverage",
    "not_searched",
    "public_table",
    "uncovered",
    "unmet_rows",
    "within_fates",
    "without_replaced",
]  # fmt: skip


def _units(years: int) -> dict[str, str]:
    """Each dimension's unit, over ``years`` years added up (:func:`yearly_unit`)."""
    return {d: yearly_unit(d, years) for d in DIMENSIONS}


_GROUP_NAMES = np.array(list(GROUPS), dtype=object)


def _text(values: np.ndarray) -> pd.Series:
    """An object column (numpy strings stay as they are, no Arrow conversion)."""
    return pd.Series(values, dtype=object)


def coverage(streams: Streams, candidates: Candidates) -> np.ndarray:
    """Whether each stream has a candidate (a boolean per stream). O(c)."""
    covered = np.zeros(len(streams), dtype=bool)
    covered[candidates.stream] = True
    return covered


def within_fates(streams: Streams, fates) -> np.ndarray:
    """Whether each stream's fate is among ``fates`` (every stream when None). O(s)."""
    if not fates:
        return np.ones(len(streams), dtype=bool)
    return np.isin(streams.fate_code, [FATES.index(f) for f in fates])


def not_searched(streams: Streams, covered: np.ndarray, kept: np.ndarray, fates) -> int:
    """The streams the fates and kinds asked for leave out: those of another fate, and
    those within whose every candidate (``covered``: any candidate; ``kept``: one of the
    kinds asked) is of another kind. Whether the catalogue covers them is not said: a
    run without the filters does. O(s)."""
    searched = within_fates(streams, fates)
    return int(np.count_nonzero(~searched) + np.count_nonzero(searched & covered & ~kept))


def unmet_rows(pairs, covered: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The (stream, catalogue row) pairs (:func:`.candidates.pathway_pairs`) of the
    streams no candidate covers: rows their material matched that found no receiver
    (no actor of the receiving sector, no plant for a minor input) or that a rule ruled
    out. O(p) for p pairs."""
    left = ~covered[pairs.stream]
    return pairs.stream[left], pairs.pathway[left]


def uncovered(
    streams: Streams, covered: np.ndarray, years: int = 1, fates=None,
    unmet: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None, ids=None,
) -> pd.DataFrame:  # fmt: skip
    """Residual streams that no candidate covers (``covered``, :func:`coverage` of every
    candidate, before the kinds asked for filter them), among the ``fates`` asked for
    (all when None), summed by material, dimension and fate, largest first within a
    dimension; their unit over ``years`` years added up (the network's
    :attr:`~symbiosis.model.FlowNetwork.summed_years`); ``pathways``, the catalogue rows
    (``ids`` by row) their material matches all the same (:func:`unmet_rows`), joined
    by "; ", empty when the catalogue knows none (:func:`_pathways`). O(s + p)."""
    columns = ["material", "material_key", "dimension", "fate", "streams", "quantity", "unit",
               "pathways"]  # fmt: skip
    left = ~covered & (streams.fate_code != FATES.index("product"))
    if fates:
        left &= within_fates(streams, fates)
    left = np.flatnonzero(left)
    if not len(left):
        return pd.DataFrame({c: pd.Series(dtype=object) for c in columns})
    keys = (streams.key[left], streams.dimension_text[left], streams.fate[left])
    table = _summed(keys, streams.material[left], streams.value[left])
    table["unit"] = table["dimension"].map(_units(years))
    table["pathways"] = _pathways(streams, table, unmet, ids)
    table = table.sort_values(["dimension", "quantity"], ascending=[True, False])
    return table[columns].reset_index(drop=True)


def _pathways(streams: Streams, table: pd.DataFrame, unmet, ids) -> list[str]:
    """Per row of the uncovered ``table``, the ids of the catalogue rows its streams
    matched (:func:`unmet_rows`), in catalogue order, joined by "; "; ``(in-house)`` after
    one whose sector a source of them is of (``unmet``'s third array): it could reuse them."""
    if unmet is None or ids is None or not len(unmet[0]):
        return [""] * len(table)
    (stream, path, own), keys = unmet, ["material_key", "dimension", "fate"]
    pairs = pd.DataFrame({"material_key": _text(streams.key[stream]), "path": path, "own": own,
                          "dimension": _text(streams.dimension_text[stream]),
                          "fate": _text(streams.fate[stream])})  # fmt: skip
    pairs = pairs.groupby([*keys, "path"], sort=False, dropna=False)["own"].any().reset_index()
    pairs = pairs.sort_values("path", kind="stable")
    pairs["id"] = np.asarray(ids, dtype=object)[pairs["path"].to_numpy()]
    pairs["id"] = pairs["id"].where(~pairs["own"], pairs["id"] + " (in-house)")
    joined = pairs.groupby(keys, sort=False, dropna=False)["id"].agg("; ".join)
    found = pd.MultiIndex.from_frame(table[keys].astype(object))
    return joined.reindex(found).fillna("").tolist()


def _summed(keys, material: np.ndarray, value: np.ndarray) -> pd.DataFrame:
    """Per (material key, dimension, fate), in order of first appearance: the first
    material, the number of streams and their summed value, as
    :func:`_summed_by_pandas` gives them, its frame's named aggregation spared (10 ms on
    a handful of rows): one integer code per group, the sum by the same grouped sum (the
    same compensated addition, the same bits). A missing dimension or material takes
    the plain way (pandas' own handling of a missing key or first value)."""
    if any(pd.isna(k).any() for k in keys) or pd.isna(material).any():
        return _summed_by_pandas(keys, material, value)
    code = np.zeros(len(value), dtype=np.int64)
    for column in keys:
        number, distinct = pd.factorize(column)
        code = code * (len(distinct) + 1) + number
    group, _ = pd.factorize(code)  # in order of first appearance
    first = np.unique(group, return_index=True)[1]
    quantity = pd.Series(value).groupby(group, sort=False).sum().to_numpy()
    columns = dict(zip(("material_key", "dimension", "fate"), keys, strict=True))
    return pd.DataFrame(
        {c: np.asarray(k, dtype=object)[first] for c, k in columns.items()}
        | {"material": _text(material[first]), "streams": np.bincount(group), "quantity": quantity}
    )


def _summed_by_pandas(keys, material: np.ndarray, value: np.ndarray) -> pd.DataFrame:
    """:func:`_summed` by a grouped frame's named aggregation."""
    frame = pd.DataFrame(
        {
            "material_key": _text(keys[0]),
            "dimension": _text(keys[1]),
            "fate": _text(keys[2]),
            "material": _text(material),
            "value": value,
        }
    )
    grouped = frame.groupby(["material_key", "dimension", "fate"], dropna=False, sort=False)
    return grouped.agg(
        material=("material", "first"), streams=("value", "size"), quantity=("value", "sum")
    ).reset_index()


_PUBLIC_COLUMNS = [
    "group", "rank", "kind", "fate", "source", "material", "stream_target", "row",
    "dimension", "quantity", "stream_quantity", "unit", "target", "target_sector",
    "new_plant", "distance_km", "value", "maturity", "pathway", "rule", "capacity",
    "capacity_group", "capacity_within", "capacity_within_group", "capacity_around",
    "capacity_around_group", "unbounded",
    "avoided_disposal_cost", "avoided_purchase", "transport_cost", "net_value", "co2_avoided",
]  # fmt: skip


class PublicTable:
    """Builds the ranked candidates as a readable table (ids, names, units) on call: the
    rank order (O(c log c), unless the pass made it already), then the text (O(c)).
    Keeps only compact columns (integer codes in the smallest type that holds them, the
    float columns, no all-NaN one) and the few lookup arrays the ranking and the text
    need: not the candidates, the context or the network. Pickled as the finished
    frame, so a pickled result needs no network."""

    def __init__(self, ranking: Ranking, ctx: Context):
        self._parts: _Parts | None = _Parts.of(ranking, ctx) if len(ranking.kept) else None
        self._frame: pd.DataFrame | None = None if len(ranking.kept) else _empty_table()

    def __call__(self) -> pd.DataFrame:
        if self._frame is None:
            assert self._parts is not None
            self._frame = next(self._parts.frames(None))
            self._parts = None
        return self._frame

    def frames(self, rows: int) -> Iterator[pd.DataFrame]:
        """The table in pieces of ``rows`` rows, in order (at least one piece), none kept
        here: slices of the frame once it is built, else each piece built alone."""
        if self._frame is not None:
            n = len(self._frame)
            for start in range(0, max(n, 1), rows):
                yield self._frame.iloc[start : start + rows]
        else:
            assert self._parts is not None
            yield from self._parts.frames(rows)

    def __getstate__(self) -> dict[str, Any]:
        return {"_frame": self(), "_parts": None}


def _empty_table() -> pd.DataFrame:
    empty = pd.DataFrame({c: pd.Series(dtype=object) for c in _PUBLIC_COLUMNS})
    numeric = {"rank": "int64", "row": "int64", "quantity": float, "stream_quantity": float,
               "distance_km": float, "capacity": float, "capacity_group": "int64",
               "capacity_within": float, "capacity_within_group": "int64",
               "capacity_around": float, "capacity_around_group": "int64",
               "avoided_disposal_cost": float, "avoided_purchase": float,
               "transport_cost": float, "net_value": float, "co2_avoided": float}  # fmt: skip
    return empty.astype({**numeric, "value": float, "new_plant": bool, "unbounded": bool})


_CODES = ("stream", "receiver", "pathway", "rule", "kind", "sector")
_FLOATS = ("quantity", "distance_km")
_PATHWAY_COLUMNS = ("receiving_sector", "maturity", "id")


@dataclass(frozen=True, eq=False)
class _Parts:
    """What the public table is built from (see :class:`PublicTable`): the candidate
    columns as they are, ``kept`` (the deduplicated rows: positions into them) with
    their ``group`` and worth, and the rank ``order`` of the kept rows when the pass
    made it (else made from these columns when the table is built, as
    :func:`.ranking.rank_order` makes it: the same order). A worth part is None when it
    is NaN on every row. The capacity and its group are kept only for the candidates
    that have one (``limited``, ascending: 4 % of them at 1M flows); per group, the
    group it lies within (``within``, -1 for none) and its limit (``limit``)."""

    codes: dict[str, np.ndarray]
    floats: dict[str, np.ndarray]
    limited: np.ndarray
    capacity: np.ndarray
    capacity_group: np.ndarray
    within: np.ndarray
    limit: np.ndarray
    kept: np.ndarray
    group: np.ndarray
    order: np.ndarray | None
    worth: dict[str, np.ndarray | None]
    rank_by: str
    tier: np.ndarray
    rules: tuple[str, ...]
    streams: Streams
    ids: np.ndarray
    pathways: dict[str, np.ndarray]
    firm_sector: pd.Series  # the network's column, not a copy
    plant_ids: np.ndarray
    plant_codes: np.ndarray  # per catalogue row, its process (:mod:`.processes`)
    reclaims: np.ndarray | None  # per catalogue row, whether its sector reclaims
    grading: Grading | None  # the CO2 grades (.grades.graded_ties, .grades.graded_rounds)
    years: int  # the network's summed_years: the units say a total over them

    @classmethod
    def of(cls, ranking: Ranking, ctx: Context) -> _Parts:
        candidates, kept, worth = ranking.candidates, ranking.kept, ranking.money
        order = ranking.cached().get("order")  # when the pass made it
        pathways = ctx.catalogue.pathways
        codes = {c: getattr(candidates, c) for c in _CODES}
        capacity, group = candidates.capacity, candidates.capacity_group
        limited = np.flatnonzero(~np.isnan(capacity) | (group >= 0))
        types = {c: _small_type(column) for c, column in codes.items()}
        types |= {"kept": _small_type(kept), "group": np.dtype(np.int8),
                  "limited": _small_type(limited),
                  "capacity_group": _small_type(group)}  # fmt: skip
        if order is not None:
            types["order"] = _small_type(order)
        columns = _packed(
            {
                **{c: (column, None) for c, column in codes.items()},
                **{c: (getattr(candidates, c), None) for c in _FLOATS},
                "limited": (limited, None),
                "capacity": (capacity, limited),
                "capacity_group": (group, limited),
                "kept": (kept, None),
                "group": (ranking.group, None),
                **({} if order is None else {"order": (order, None)}),
                **{p: (getattr(worth, p), None) for p in Worth.PARTS if p not in worth.unknown},
            },
            types,  # cast as they are copied in: no small copy of each column first
        )
        return cls(
            codes={c: columns[c] for c in _CODES},
            floats={c: columns[c] for c in _FLOATS},
            limited=columns["limited"],
            capacity=columns["capacity"],
            capacity_group=columns["capacity_group"],
            within=np.array(ctx.capacities.parent, dtype=np.int64),
            limit=np.array(ctx.capacities.limit, dtype=float),
            kept=columns["kept"],
            group=columns["group"],
            order=columns.get("order"),
            worth={p: columns.get(p) for p in Worth.PARTS},
            rank_by=ranking.rank_by,
            tier=ranking.tier,
            rules=candidates.rules,
            streams=ctx.streams,
            ids=ctx.core.ids,
            pathways={c: pathways[c].to_numpy(dtype=object) for c in _PATHWAY_COLUMNS},
            firm_sector=ctx.network.firms["sector"],
            plant_ids=plant_ids(ctx),
            plant_codes=plant_codes(ctx),
            reclaims=ranking.reclaims,
            grading=ranking.grading,
            years=ctx.network.summed_years,
        )

    def _ranked(self) -> tuple[np.ndarray, np.ndarray, dict[str, np.ndarray]]:
        """The candidates in rank order (positions), their groups, and the worth parts
        in that order (NaN for an unknown part)."""
        n = len(self.kept)
        money = {p: np.full(n, np.nan) if part is None else part for p, part in self.worth.items()}
        order = self.order
        if order is None:
            columns = SimpleNamespace(**self.codes, **self.floats)
            order = rank_order(columns, self.kept, self.streams, self.tier, self.rank_by,
                               Worth(**money), self.plant_codes, self._kept_capacity(),
                               self.reclaims, self.grading)  # fmt: skip
        return self.kept[order], self.group[order], {p: m[order] for p, m in money.items()}

    def _kept_capacity(self) -> np.ndarray:
        """The capacity of each kept row (NaN for none): a binary search among the
        ``limited`` rows, O(k log l), no column of every candidate."""
        if not len(self.limited):
            return np.full(len(self.kept), np.nan)
        at = np.minimum(np.searchsorted(self.limited, self.kept), len(self.limited) - 1)
        return np.where(self.limited[at] == self.kept, self.capacity[at], np.nan)

    def _spread(self, values: np.ndarray, fill, index: np.ndarray) -> np.ndarray:
        return _spread_at(self.limited, values, fill, len(self.codes["stream"]), index)

    def frames(self, rows: int | None) -> Iterator[pd.DataFrame]:
        """The public table in pieces of ``rows`` rows (None: one piece), in rank order:
        the order made once, each piece's text when it is asked for. O(c log c) for the
        order (unless the pass made it), then O(rows) a piece."""
        index, group, money = self._ranked()
        rank = cumcount(group) + 1
        sectors = self.firm_sector.astype(str).to_numpy(dtype=object)
        step = max(len(index), 1) if rows is None else rows
        for start in range(0, max(len(index), 1), step):
            part = slice(start, start + step)
            yield self._frame(index[part], group[part], rank[part],
                              {p: m[part] for p, m in money.items()}, sectors)  # fmt: skip

    def _frame(self, index, group, rank, money, sectors) -> pd.DataFrame:
        """The rows ``index`` of the table (candidate positions in rank order) with their
        ``group``, ``rank`` and worth parts ``money``; ``sectors`` the firms' sectors as
        text."""
        codes = {c: column[index] for c, column in self.codes.items()}
        floats = {c: column[index] for c, column in self.floats.items()}
        floats["capacity"] = self._spread(self.capacity, np.nan, index)
        codes["capacity_group"] = self._spread(self.capacity_group, -1, index)
        within = _within(self.within, codes["capacity_group"])
        around = _within(self.within, within)
        streams = self.streams
        stream, receiver, path = codes["stream"], codes["receiver"], codes["pathway"]
        pathways = self.pathways
        new_plant = receiver < 0
        sector_text = np.where(
            path >= 0,
            pathways["receiving_sector"][np.maximum(path, 0)],
            sectors[np.maximum(receiver, 0)],
        )
        target = self.ids[np.maximum(receiver, 0)]
        target[new_plant] = self.plant_ids[self.plant_codes[path[new_plant]]]
        dimension = streams.dimension_text[stream]
        maturity = np.array([*pathways["maturity"], "established"], dtype=object)[path]
        # a match by a weak rule (the family, the network's evidence of a related taker):
        # demonstrated at most, as it is ranked (.result.match_maturity)
        weak = np.isin(codes["rule"], WEAK_CODES) | np.isin(codes["rule"], CAPPED_CODES)
        weak &= maturity == "established"
        maturity[weak] = "demonstrated"
        pathway = np.array([*pathways["id"], None], dtype=object)[path]
        units = np.array([*_units(self.years).values(), None], dtype=object)
        units = units[streams.dimension[stream]]
        return pd.DataFrame(
            {
                "group": _text(_GROUP_NAMES[group]),
                "rank": rank,
                "kind": _text(np.array(KINDS, dtype=object)[codes["kind"]]),
                "fate": _text(streams.fate[stream]),
                "source": _text(streams.source[stream]),
                "material": _text(streams.material[stream]),
                "stream_target": _text(streams.target[stream]),
                "row": streams.row[stream],
                "dimension": _text(dimension),
                "quantity": floats["quantity"],
                "stream_quantity": streams.value[stream],  # the plan's supply
                "unit": _text(units),
                "target": _text(target),
                "target_sector": _text(sector_text),
                "new_plant": new_plant,
                "distance_km": floats["distance_km"],
                "value": money["value"],
                "maturity": _text(maturity),
                "pathway": _text(pathway),
                "rule": _text(np.array(self.rules, dtype=object)[codes["rule"]]),
                "capacity": floats["capacity"],
                "capacity_group": codes["capacity_group"].astype(np.int64),
                "capacity_within": np.append(self.limit, np.nan)[within],
                "capacity_within_group": within,
                "capacity_around": np.append(self.limit, np.nan)[around],
                "capacity_around_group": around,
                # no capacity known for the receiver: the quantity is the whole stream
                "unbounded": np.isnan(floats["capacity"])
                & ~np.isnan(floats["quantity"])
                & (codes["kind"] != KINDS.index("redirect")),
                **{part: money[part] for part in Worth.PARTS if part != "value"},
            }
        )


def _within(parent: np.ndarray, group: np.ndarray) -> np.ndarray:
    """The group each row's ``group`` lies within (``parent``, per group), -1 for none
    (and for a row of no group)."""
    within = np.append(parent, -1)[np.where(group >= 0, group, len(parent))]
    return within.astype(np.int64, copy=False)


def _spread_at(limited, values, fill, n: int, index) -> np.ndarray:
    """``values`` of the rows ``limited`` among ``n``, ``fill`` elsewhere, at ``index``."""
    full = np.full(n, fill, dtype=values.dtype)
    full[limited] = values
    return full[index]


def _small_type(values: np.ndarray) -> np.dtype:
    """The smallest signed integer type that holds every one of ``values``."""
    low, high = int(values.min(initial=0)), int(values.max(initial=0))
    for kind in (np.int8, np.int16, np.int32):
        info = np.iinfo(kind)
        if info.min <= low and high <= info.max:
            return np.dtype(kind)
    return values.dtype


def _packed(
    columns: dict[str, tuple[np.ndarray, np.ndarray | None]],
    types: dict[str, np.dtype] | None = None,
) -> dict[str, np.ndarray]:
    """Each column (at its index, when one is given) gathered into one shared buffer, in
    its type in ``types`` (its own when not named; the values must fit). Why one buffer:
    kept arrays of a few MB each would live in the C heap among the pass's freed
    temporaries and keep that memory from being given back (0.3 GB of resident memory at
    1M flows); one large buffer is mapped on its own. Gathered in place: no copy."""
    types = {name: (types or {}).get(name, a.dtype) for name, (a, _) in columns.items()}
    lengths = [len(a) if at is None else len(at) for a, at in columns.values()]
    widths = [t.itemsize for t in types.values()]
    sizes = [-(-n * w // 8) * 8 for n, w in zip(lengths, widths, strict=True)]  # aligned
    buffer = np.empty(sum(sizes), dtype=np.uint8)
    out, start = {}, 0
    for (name, (array, at)), n, size in zip(columns.items(), lengths, sizes, strict=True):
        dtype = types[name]
        view = buffer[start : start + n * dtype.itemsize].view(dtype)
        if at is None:
            view[:] = array  # cast here when the type is smaller
        elif dtype == array.dtype:
            np.take(array, at, out=view)
        else:
            view[:] = array[at]
        out[name], start = view, start + size
    return out


def without_replaced(ranking: Ranking) -> Ranking:
    """The ranking with its candidates' ``replaced`` and ``replaced_key`` as constants
    (the public table does not show them)."""
    candidates, n = ranking.candidates, len(ranking.candidates)
    slim = dataclasses.replace(candidates, replaced=constant(np.nan, n, float),
                               replaced_key=constant(-1, n, np.int32))  # fmt: skip
    slimmed = dataclasses.replace(ranking, candidates=slim)
    slimmed.__dict__.update(ranking.cached())  # what it made already: not made again
    return slimmed


def public_table(ranking: Ranking, ctx: Context) -> PublicTable:
    """The ranked table, as :attr:`Opportunities.table` builds it. It copies the columns
    it shows: built last, once the columns only a redirect's listing reads are let go
    (32 MB of the pass's peak at 1M flows); the ranking's freed temporaries handed back
    first: else the table's new buffer is mapped on top of them (60-80 MB of the run's
    peak RSS at 1M flows)."""
    ranking = without_replaced(ranking)
    return_freed_memory()
    return PublicTable(ranking, ctx)
