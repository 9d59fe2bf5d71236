"""The frozen result types of the opportunities pass and their JSON, TOML and frame forms."""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import pandas as pd

from ... import edits as ed
from ..._frozen import FrozenResult
from ...arguments import Arguments
from ...errors import AnalysisError
from ...jsonable import to_jsonable
from .rules import CAPPED_RULES as CAPPED_RULES
from .rules import NETWORK_RULES as NETWORK_RULES
from .rules import SOURCE_RULE as SOURCE_RULE
from .rules import WEAK_RULES as WEAK_RULES
from .rules import match_maturity as match_maturity

#: The kinds of opportunity, in the order of their codes (``in_house`` last: a code added
#: after the others, ranked first among a stream's alternatives all the same, :mod:`.ranking`).
KINDS: tuple[str, ...] = ("redirect", "expand", "new_link", "new_plant", "downstream",
                          "in_house")  # fmt: skip
FATES: tuple[str, ...] = ("disposed", "emitted", "sold", "product", "treated")
#: The fates searched unless asked otherwise: a stream sent to a treatment actor (a
#: wastewater plant, a neutralisation station) is searched only when ``treated`` is asked
#: for (``--fate treated``), so that the default results stay the network's leaving streams.
DEFAULT_FATES: tuple[str, ...] = FATES[:4]
GROUPS: dict[str, tuple[str, ...]] = {
    "dumped": ("disposed", "emitted", "treated"),
    "sold": ("sold",),
    "downstream": ("product",),
}
RANK_BY: tuple[str, ...] = ("quantity", "distance", "value", "net_value")
CAVEAT = (
    "Candidates for study, not verified exchanges: quality, contamination, logistics, "
    "capacity, prices and contracts are not checked."
)
_KIND_ORDER = {kind: i for i, kind in enumerate(KINDS)}


def plant_name(sector: str) -> str:
    """``"<sector> plant"``, or the sector alone when it already ends with ``plant``
    (``asphalt plant``, not ``asphalt plant plant``)."""
    text = str(sector).strip()
    return text if text.lower().split()[-1:] == ["plant"] else f"{text} plant"


_EARTH_RADIUS_KM = 6371.0088


@dataclass(frozen=True)
class Impact:
    """What one opportunity (or a set of them) would change, by applying its edits.

    ``reuse_share`` and ``utilization_rate`` map each dimension to ``(before, after)``;
    ``loops`` are the new actor loops closed (each a tuple of firm ids, starting at the
    sender); ``edits`` the number of edits applied.
    """

    reuse_share: dict[str, tuple[float | None, float | None]]
    utilization_rate: dict[str, tuple[float | None, float | None]]
    loops: tuple[tuple[str, ...], ...]
    edits: int

    @property
    def closes_loop(self) -> bool:
        return bool(self.loops)

    def to_dict(self) -> dict[str, Any]:
        return {
            "reuse_share": {d: {"before": b, "after": a} for d, (b, a) in self.reuse_share.items()},
            "utilization_rate": {
                d: {"before": b, "after": a} for d, (b, a) in self.utilization_rate.items()
            },
            "closes_loop": self.closes_loop,
            "loops": [list(loop) for loop in self.loops],
            "edits": self.edits,
        }


@dataclass(frozen=True)
class Opportunity:
    """One candidate: a stream, where it could go, why, and what it would change.

    ``quantity`` is in the canonical unit of ``dimension`` per year (``None`` when the
    stream's size is unknown); ``stream_quantity`` is the whole stream. ``target`` is the
    receiving actor's id, or the id a proposed plant would get (``new_plant`` true); the
    stream's own source for ``in_house`` (its process takes its disposed stream back).
    ``evidence`` lists the catalogue rows behind it (id, rule, receiving sector, product,
    condition: a pre-treatment the row needs, maturity, source, file and row); a redirect
    on the same material has a row with id ``None`` and rule ``same material``.
    ``replaces`` names the primary input a redirect substitutes (supplier ids, material,
    quantity). ``capacity`` is the most the receiver can take (``limit``, its ``source``
    and ``detail``, and ``within``, the same for a larger limit it shares with other
    streams, when there is one, and so on: :mod:`.capacity`), ``None`` when unknown;
    ``quantity`` never exceeds it. ``unbounded`` (:attr:`unbounded`) when no capacity is
    known for a stream of known size: ``quantity`` is then the whole stream, an upper
    bound, and its impact too; the cumulative effect and the optimal plan leave it out.
    ``economics`` gives the value, avoided disposal cost,
    avoided purchase, transport cost, net value and CO2 avoided of moving ``quantity``
    (:mod:`symbiosis.analysis.opportunities.economics`; ``None`` for an unknown part).
    """

    rank: int
    group: str
    kind: str
    fate: str
    source: str
    source_name: str
    material: str
    category: str
    stream_target: str
    dimension: str | None
    unit: str | None
    quantity: float | None
    stream_quantity: float | None
    target: str
    target_name: str
    target_sector: str
    new_plant: bool
    distance_km: float | None
    value: float | None
    maturity: str
    evidence: tuple[dict[str, Any], ...]
    replaces: dict[str, Any] | None = None
    impact: Impact | None = None
    edits: tuple[ed.Edit, ...] = field(default=(), repr=False)
    target_role: str = field(default="firm", repr=False)
    stream_unit: str | None = field(default=None, repr=False)
    stream_amount: float | None = field(default=None, repr=False)
    flow_row: int | None = field(default=None, repr=False)
    capacity: dict[str, Any] | None = None
    capacity_group: int = field(default=-1, repr=False)
    economics: dict[str, Any] | None = None
    capacity_within_group: int = field(default=-1, repr=False)  # the group around capacity_group
    capacity_around_group: int = field(default=-1, repr=False)  # and the one around that
    stream_target_name: str = field(default="", repr=False)  # the text tables' ("": unknown)

    @property
    def pathway(self) -> str | None:
        """The id of the main catalogue row (``None`` for a same-material redirect)."""
        return self.evidence[0]["id"] if self.evidence else None

    @property
    def no_room(self) -> bool:
        """Whether its receiver's capacity is 0 from the start (a demand row's total no
        more than what the firm takes now, a share of its throughput it fills already):
        listed with a quantity of 0, never applied (skipped with ``by`` None)."""
        return self.capacity is not None and self.capacity["limit"] <= 0

    @property
    def unbounded(self) -> bool:
        """Whether the quantity is the whole stream because no capacity of the receiver
        is known (none of the stream's family, or nothing, recorded in its intake in the
        stream's dimension, no share or typical intake in the catalogue, no demand row):
        an upper bound, not a size (a stream of unknown size has no quantity instead)."""
        return self.quantity is not None and self.capacity is None and self.kind != "redirect"

    @property
    def sources(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(e["source"] for e in self.evidence if e.get("source")))

    def describe(self) -> str:
        """One line for people: what would move where."""
        amount = "" if self.quantity is None else f"{_short(self.quantity)} {self.unit} "
        if self.kind == "in_house":  # its own process takes it back
            return f"{amount}{self.material} back into the process of {self.source_name}, in-house"
        where = f"a new {plant_name(self.target_sector)}" if self.new_plant else self.target_name
        verb = {
            "redirect": "instead of primary supply, to",
            "expand": "to",
            "new_link": "to",
            "new_plant": "to",
            "downstream": "for further processing at",
        }[self.kind]
        return f"{amount}{self.material} from {self.source_name} {verb} {where}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "rank": self.rank,
            "group": self.group,
            "kind": self.kind,
            "fate": self.fate,
            "source": self.source,
            "source_name": self.source_name,
            "material": self.material,
            "category": self.category,
            "stream_target": self.stream_target,
            "dimension": self.dimension,
            "unit": self.unit,
            "quantity": to_jsonable(self.quantity),
            "stream_quantity": to_jsonable(self.stream_quantity),
            "target": self.target,
            "target_name": self.target_name,
            "target_sector": self.target_sector,
            "new_plant": self.new_plant,
            "distance_km": to_jsonable(self.distance_km),
            "value": to_jsonable(self.value),
            "maturity": self.maturity or None,
            "pathway": self.pathway,
            "description": self.describe(),
            "evidence": [dict(e) for e in self.evidence],
            "replaces": None if self.replaces is None else dict(self.replaces),
            "capacity": None if self.capacity is None else dict(self.capacity),
            "unbounded": self.unbounded,
            "economics": None if self.economics is None else dict(self.economics),
            "impact": None if self.impact is None else self.impact.to_dict(),
            "edits": [{"table": e.table, **e.to_dict()} for e in self.edits],
        }


@dataclass(frozen=True)
class PlantProposal:
    """Chain extension: a plant of a process absent from the network (one per receiving
    sector and product), with what it would take.

    ``dumped``, ``sold`` and ``products_in`` total, per dimension (canonical unit per
    year), what *one* plant of typical size takes of the disposed or emitted, the
    sold-raw and the product streams it could take: within the catalogue's typical intake
    (``receiver_capacity``) where the catalogue gives one, else the whole streams, an
    upper bound (``unbounded``). ``available`` is all of those streams per dimension,
    ``typical_intake`` one plant's intake per dimension where every feed has one, and
    :attr:`plants_of_typical_size` how many such plants the available feed would fill.
    ``feeds`` lists the largest streams (source, material, fate, dimension, quantity,
    ``taken``: what one plant takes of it, pathway); ``pathways`` the catalogue rows and
    ``products`` what the plant would make.
    """

    sector: str
    plant_id: str
    dumped: dict[str, float]
    sold: dict[str, float]
    products_in: dict[str, float]
    feeds: tuple[dict[str, Any], ...]
    pathways: tuple[str, ...]
    products: tuple[str, ...]
    maturity: str
    sources: tuple[str, ...]
    available: dict[str, float] = field(default_factory=dict)
    typical_intake: dict[str, float] = field(default_factory=dict)
    unbounded: bool = False

    @property
    def plants_of_typical_size(self) -> dict[str, int]:
        """Per dimension of a known typical intake, the plants of that size the available
        feed would fill (rounded up)."""
        return {
            d: math.ceil(self.available[d] / size)
            for d, size in self.typical_intake.items()
            if size > 0 and self.available.get(d, 0) > 0
        }

    def to_dict(self) -> dict[str, Any]:
        return {
            "sector": self.sector,
            "plant_id": self.plant_id,
            "dumped": dict(self.dumped),
            "sold": dict(self.sold),
            "products_in": dict(self.products_in),
            "available": dict(self.available),
            "typical_intake": dict(self.typical_intake),
            "plants_of_typical_size": self.plants_of_typical_size,
            "unbounded": self.unbounded,
            "feeds": [dict(f) for f in self.feeds],
            "pathways": list(self.pathways),
            "products": list(self.products),
            "maturity": self.maturity or None,
            "sources": list(self.sources),
        }


@dataclass(frozen=True)
class Skipped:
    """A listed opportunity the cumulative effect could not apply: its ``group`` and
    ``rank``, what the ones before it had ``used_up`` (its ``"stream"``, its receiver's
    ``"capacity"`` or the ``"primary input"`` a redirect replaces), and ``by``, the
    (group, rank) of the one that took the last of it, None when there was no room from
    the start (a limit of 0: a demand row's total no more than what its firm takes now)."""

    group: str
    rank: int
    used_up: str
    by: tuple[str, int] | None

    def to_dict(self) -> dict[str, Any]:
        by = None if self.by is None else {"group": self.by[0], "rank": self.by[1]}
        return {"group": self.group, "rank": self.rank, "used_up": self.used_up, "by": by}


#: The maturity of a pathway at research or pilot scale: left out of the cumulative
#: effect and of the plan (docs/opportunities.md, *Capacity and demands*).
EMERGING = "emerging"


@dataclass(frozen=True)
class CumulativeImpact:
    """The listed opportunities applied together, in group then rank order.

    ``applied`` are the (group, rank) of those applied (ranks restart in each group);
    ``skipped`` the others (:class:`Skipped`: what was used up, and by which);
    ``unbounded`` the (group, rank) of those left out because no capacity is known for
    their receiver (:attr:`Opportunity.unbounded`: their size is unknown, at most their
    stream); ``emerging`` those left out because their pathway is of ``emerging``
    maturity (research or pilot scale: no plant takes hundreds of kt of it). Each
    listed opportunity is in one of these lists, the first that applies: ``emerging``
    (whatever else applies: of unknown size, or on a stream an earlier one used up),
    ``unbounded``, then ``applied`` or ``skipped``;
    ``moved`` is the quantity moved per dimension; ``impact`` the before/after
    indicators and the loops closed.
    """

    applied: tuple[tuple[str, int], ...]
    skipped: tuple[Skipped, ...]
    moved: dict[str, float]
    impact: Impact
    edits: tuple[ed.Edit, ...] = field(repr=False, default=())
    unbounded: tuple[tuple[str, int], ...] = ()
    emerging: tuple[tuple[str, int], ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "applied": [{"group": group, "rank": rank} for group, rank in self.applied],
            "skipped": [s.to_dict() for s in self.skipped],
            "unbounded": [{"group": group, "rank": rank} for group, rank in self.unbounded],
            "emerging": [{"group": group, "rank": rank} for group, rank in self.emerging],
            "moved": dict(self.moved),
            **self.impact.to_dict(),
        }


@dataclass(frozen=True)
class Opportunities(FrozenResult):
    """The result of :func:`find_opportunities`.

    ``listed`` are the opportunities reported in detail (the ``top`` of each group, with
    their impact); ``table`` every candidate found, ranked (one row per opportunity:
    :meth:`to_frame`); ``plants`` the new-plant proposals, one per process, largest
    disposed feed first; ``uncovered`` the streams no candidate covers, summed by material and
    fate, with the catalogue rows their material matched (``pathways``, "" for none); ``counts`` the
    number of candidates per group and kind; ``streams_by_fate`` the streams that leave,
    per fate (every fate of :data:`FATES`), which say why none was found when none is;
    ``warnings`` what the analyst should know of the results (streams taken as hazardous
    by the node they go to: :func:`.hazards.target_note`), in the dict when there is one.
    With kinds or fates asked for, ``uncovered`` holds only the streams of those fates
    (a stream whose candidates are all of other kinds is covered), and ``not_searched``
    counts the streams they left out: of another fate, or found candidates of other
    kinds only (None when neither was asked for).
    """

    listed: tuple[Opportunity, ...]
    # a callable (picklable) building ``table``; None when made without it (table=False)
    ranked: Any = field(repr=False, compare=False)
    plants: tuple[PlantProposal, ...]
    cumulative: CumulativeImpact | None
    uncovered: pd.DataFrame
    counts: dict[str, dict[str, int]]
    streams: int
    parameters: dict[str, Any]
    catalogue_files: tuple[str, ...]
    units: dict[str, str]
    # the streams per fate (:data:`FATES`): what there was to find opportunities for
    streams_by_fate: dict[str, int] = field(default_factory=dict)
    # the streams the kinds and fates asked for left out; None when none was asked
    not_searched: int | None = None
    caveat: str = CAVEAT
    warnings: tuple[str, ...] = ()

    @cached_property
    def table(self) -> pd.DataFrame:
        """Every candidate, ranked: one row per opportunity. Built on first use, O(c).
        Raises :class:`~symbiosis.errors.AnalysisError` for a result made without it
        (``find_opportunities(..., table=False)``)."""
        if self.ranked is None:
            raise AnalysisError(
                "these opportunities were found without their ranked table (table=False); "
                "find_opportunities(network, ...) with table=True (the default) keeps it"
            )
        return self.ranked()

    def __iter__(self):
        return iter(self.listed)

    def __len__(self) -> int:
        return len(self.listed)

    def group(self, name: str) -> tuple[Opportunity, ...]:
        return tuple(o for o in self.listed if o.group == name)

    def edits(self) -> list[ed.Edit]:
        """The edits that apply the listed opportunities together (scenario order)."""
        return [] if self.cumulative is None else list(self.cumulative.edits)

    def to_toml(self) -> str:
        """The listed opportunities as a scenario file (see :mod:`symbiosis.edits`)."""
        edits = self.edits()
        notes = _edit_comments(edits, self.listed)
        title = "Top opportunities found by symbiosis"
        description = (
            f"{len(self.cumulative.applied) if self.cumulative else 0} opportunities "
            f"applied together, in rank order. {self.caveat}"
        )
        return ed.to_toml(edits, title=title, description=description, comments=notes)

    def to_frame(self) -> pd.DataFrame:
        """Every candidate, ranked (what ``--format csv`` writes)."""
        return self.table

    def frames(self, rows: int = 100_000) -> Iterator[pd.DataFrame]:
        """:meth:`to_frame` in pieces of ``rows`` rows, in rank order (at least one piece,
        perhaps empty), none kept here: for writers of every candidate. At a million
        flows the whole table holds ~1.7 GB of Python objects (1.8 million rows of
        text), a piece of 100,000 rows ~90 MB. Slices of the table when it was built
        already; else each piece is built when it is asked for and the table is never
        kept. Same errors as :attr:`table`, raised at the call. O(c log c) for the rank
        order (unless the pass made it), then O(rows) a piece."""
        check = Arguments()
        check.whole("rows", rows, minimum=1)
        check.check()
        if self.ranked is None:
            return iter([self.table])  # raises: found without the table
        return self.ranked.frames(rows)  # slices of the table once it is built

    def to_dict(self) -> dict[str, Any]:
        data = {
            "caveat": self.caveat,
            "parameters": dict(self.parameters),
            "catalogue": list(self.catalogue_files),
            "units": dict(self.units),
            "streams": self.streams,
            "streams_by_fate": dict(self.streams_by_fate),
            "counts": {g: dict(c) for g, c in self.counts.items()},
            "opportunities": [o.to_dict() for o in self.listed],
            "plants": [p.to_dict() for p in self.plants],
            "cumulative": None if self.cumulative is None else self.cumulative.to_dict(),
            "uncovered": _records(self.uncovered),
        }
        # the keys of a result that has them only: the report's dict is otherwise unchanged
        if self.warnings:
            data["warnings"] = list(self.warnings)
        if self.not_searched is not None:
            data["not_searched"] = self.not_searched
        return data


def _short(value: float) -> str:
    magnitude = abs(value)
    for limit, suffix in ((1e9, "G"), (1e6, "M"), (1e3, "k")):
        if magnitude >= limit:
            return f"{value / limit:.3g}{suffix}"
    return f"{value:.3g}"


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    return [{k: to_jsonable(v) for k, v in row.items()} for row in frame.to_dict("records")]


def _edit_comments(edits, listed) -> list[str | None]:
    """A comment for each redirect: which opportunity it carries out."""
    notes: list[str | None] = []
    by_stream = {}
    for o in listed:
        by_stream.setdefault((o.source, o.stream_target, o.material, o.target), o)
    for edit in edits:
        o = by_stream.get((edit.source, edit.target, edit.material, edit.to)) if isinstance(
            edit, ed.RedirectFlow) else None  # fmt: skip
        if o is None:
            notes.append(None)
            continue
        ids = ", ".join(e["id"] or e["rule"] for e in o.evidence)
        notes.append(f"{o.group} #{o.rank} {o.kind}: {o.describe()}\npathway: {ids}")
    return notes
