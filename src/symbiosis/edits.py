"""Edits: small, validated changes to a network, applied to a copy.

An *edit* is a frozen dataclass that says one thing to change: add or remove a firm, add,
remove, scale or redirect a flow, scale every flow of a material. :func:`apply` checks
each edit against the network as it stands after the previous ones and returns a new
:class:`~symbiosis.model.FlowNetwork`; the input network is never modified. The
opportunity engine (:mod:`symbiosis.analysis.opportunities`) turns each opportunity into
edits to measure its impact, and scenario files are lists of edits.

==================  ==========================================================================
edit (TOML table)   effect
==================  ==========================================================================
``add_firm``        a new node: ``id``, optional ``name``, ``sector``, ``role`` (default
                    ``firm``; any role or alias of :mod:`symbiosis.vocabulary`), ``lat``,
                    ``lon``
``add_flow``        a new flow ``source -> target`` of ``material``, ``quantity`` (omit it for
                    a link of unknown size) in ``unit``, ``category`` (default ``by-product``);
                    merged into an existing flow with the same source, target, material,
                    category and unit when there is exactly one of known size
``redirect``        move ``quantity`` (in ``unit``, default the flow's own unit; omit it to
                    move the whole flow) of the flow ``source -> target`` of ``material`` to a
                    new target ``to``; the moved part keeps the material, unit, year and price
                    and takes ``category`` if given; merged like ``add_flow``
``scale_flow``      multiply the flow(s) ``source -> target`` of ``material`` by ``factor``
                    (>= 0; 0 keeps the link with quantity 0)
``scale_material``  multiply every flow of ``material`` by ``factor``, optionally only those
                    from ``source`` and/or to ``target``
``remove_flow``     delete the flow(s) ``source -> target`` of ``material``
``remove_firm``     delete a node and every flow to or from it
==================  ==========================================================================

Flows are selected by ``source``, ``target`` and ``material`` (matched on
:func:`~symbiosis.vocabulary.material_key`, so ``Copper Slags`` selects ``copper slag``);
``row`` (the flow's row number in flows.csv, as error messages show it) picks one flow
when several match. ``redirect`` needs exactly one flow; the others act on all matches.
Every selector must match at least one flow.

Scenario files (TOML)
    A scenario file holds arrays of tables named as above, for example::

        title = "Plasterboard plant"

        [[add_firm]]
        id = "NEW_PLASTERBOARD"
        sector = "plasterboard"

        [[redirect]]
        source = "LG"
        target = "PGS"
        material = "phosphogypsum"
        to = "NEW_PLASTERBOARD"
        quantity = 1100000
        unit = "t"

    Because TOML keeps the order inside one array but not across arrays, edits are applied
    in this fixed order of tables (:data:`TABLE_ORDER`): ``add_firm``, ``add_flow``,
    ``redirect``, ``scale_flow``, ``scale_material``, ``remove_flow``, ``remove_firm``;
    within a table, in file order. :func:`to_toml` writes edits in that order and
    :func:`sort_edits` puts a list in it, so that writing and reading a list gives the
    same network. Top-level ``title`` and ``description`` strings are allowed.
    :func:`edits_from_tables` turns a parsed file (``tomllib.load``) into edits.

Complexity: each edit is O(f) for f flows (vectorised masks over the flow table), plus
one copy of the tables per :func:`apply` call, so a scenario of k edits costs O(k f).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import MISSING, dataclass, field, fields
from typing import Any, ClassVar

import numpy as np
import pandas as pd

from .errors import InputError, Problem
from .model import FlowNetwork
from .units import UnknownUnitError, parse_unit
from .vocabulary import ACTOR_ROLES, CATEGORIES, canonical_category, canonical_role, material_key

__all__ = [
    "EDIT_TYPES",
    "TABLE_ORDER",
    "AddFirm",
    "AddFlow",
    "Edit",
    "RedirectFlow",
    "RemoveFirm",
    "RemoveFlow",
    "ScaleFlow",
    "ScaleMaterial",
    "apply",
    "edits_from_tables",
    "sort_edits",
    "to_toml",
]


# ============================================================================ edit types


@dataclass(frozen=True)
class Edit:
    """Base class of the edits. ``where`` locates the edit in its file for error messages
    (e.g. ``"scenario.toml: [[redirect]] #2"``); it takes no part in equality."""

    table: ClassVar[str] = ""
    where: str = field(default="", compare=False, repr=False, kw_only=True)

    def to_dict(self) -> dict[str, Any]:
        """The edit as a TOML table: builtin values, ``None`` fields left out."""
        return {
            f.name: _plain(getattr(self, f.name))
            for f in fields(self)
            if f.name != "where" and getattr(self, f.name) is not None
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], *, where: str = "") -> Edit:
        """Build an edit from a TOML table; unknown or missing keys raise InputError."""
        names = {f.name for f in fields(cls) if f.name != "where"}
        required = {
            f.name
            for f in fields(cls)
            if f.name != "where" and f.default is MISSING and f.default_factory is MISSING
        }
        place = where or f"[[{cls.table}]]"
        unknown = sorted(set(data) - names)
        missing = sorted(required - set(data))
        problems = [
            Problem(place, None, key, "unknown key", f"use {', '.join(sorted(names))}")
            for key in unknown
        ] + [Problem(place, None, key, "required key is missing", "") for key in missing]
        if problems:
            raise InputError(problems)
        return cls(**dict(data), where=where)

    # Each subclass applies itself to a mutable _State.
    def _apply(self, state: _State) -> None:  # pragma: no cover - abstract
        raise NotImplementedError


@dataclass(frozen=True)
class AddFirm(Edit):
    """Add a node ``id`` (role ``firm`` unless given)."""

    table: ClassVar[str] = "add_firm"
    id: str
    name: str | None = None
    sector: str | None = None
    role: str = "firm"
    lat: float | None = None
    lon: float | None = None

    def _apply(self, state: _State) -> None:
        firm_id = _text(self.id, "id", self, state)
        if firm_id in state.firm_index:
            state.fail(self, "id", f"firm '{firm_id}' already exists", "choose a new id")
        role = canonical_role(str(self.role))
        if role is None:
            state.fail(self, "role", f"unknown role '{self.role}'", "use firm, recycling, ...")
        for name, value, limit in (("lat", self.lat, 90), ("lon", self.lon, 180)):
            if value is not None and not (_is_number(value) and abs(value) <= limit):
                state.fail(self, name, f"{value!r} is not a coordinate in [-{limit}, {limit}]")
        state.add_firm(
            firm_id,
            name=self.name or firm_id,
            sector=self.sector or "",
            role=role,
            lat=np.nan if self.lat is None else float(self.lat),
            lon=np.nan if self.lon is None else float(self.lon),
        )


@dataclass(frozen=True)
class RemoveFirm(Edit):
    """Remove node ``id`` and every flow to or from it."""

    table: ClassVar[str] = "remove_firm"
    id: str

    def _apply(self, state: _State) -> None:
        firm_id = state.known_firm(self, "id", self.id)
        state.remove_firm(firm_id)


@dataclass(frozen=True)
class AddFlow(Edit):
    """Add a flow (merged into an identical existing one of known size)."""

    table: ClassVar[str] = "add_flow"
    source: str
    target: str
    material: str
    unit: str
    quantity: float | None = None
    category: str = "by-product"

    def _apply(self, state: _State) -> None:
        source = state.known_firm(self, "source", self.source)
        target = state.known_firm(self, "target", self.target)
        if source == target:
            state.fail(self, "target", f"flow from '{source}' to itself")
        material = _text(self.material, "material", self, state)
        category = canonical_category(str(self.category))
        if category is None:
            state.fail(self, "category", f"unknown category '{self.category}'",
                       "use " + ", ".join(CATEGORIES))  # fmt: skip
        info = state.unit(self, self.unit)
        quantity = None if self.quantity is None else state.amount(self, "quantity", self.quantity)
        state.check_dimension(self, material, info.dimension)
        state.add_flow(source, target, material, category, quantity, info, extras={})


@dataclass(frozen=True)
class _FlowSelector(Edit):
    """Fields shared by the edits that act on existing flows."""

    source: str
    target: str
    material: str
    row: int | None = field(default=None, kw_only=True)


@dataclass(frozen=True)
class RemoveFlow(_FlowSelector):
    """Remove the flow(s) ``source -> target`` of ``material``."""

    table: ClassVar[str] = "remove_flow"

    def _apply(self, state: _State) -> None:
        state.drop(state.select(self))


@dataclass(frozen=True)
class ScaleFlow(_FlowSelector):
    """Multiply the flow(s) ``source -> target`` of ``material`` by ``factor``."""

    table: ClassVar[str] = "scale_flow"
    factor: float = field(kw_only=True)

    def _apply(self, state: _State) -> None:
        factor = state.amount(self, "factor", self.factor)
        state.scale(state.select(self), factor)


@dataclass(frozen=True)
class ScaleMaterial(Edit):
    """Multiply every flow of ``material`` (optionally from ``source`` / to ``target``)."""

    table: ClassVar[str] = "scale_material"
    material: str
    factor: float
    source: str | None = None
    target: str | None = None

    def _apply(self, state: _State) -> None:
        factor = state.amount(self, "factor", self.factor)
        source = None if self.source is None else state.known_firm(self, "source", self.source)
        target = None if self.target is None else state.known_firm(self, "target", self.target)
        positions = state.find(source, target, material_key(str(self.material)))
        if not len(positions):
            state.fail(self, "material", f"no flow of '{self.material}' matches")
        state.scale(positions, factor)


@dataclass(frozen=True)
class RedirectFlow(_FlowSelector):
    """Move ``quantity`` (all when ``None``) of one flow to a new target ``to``."""

    table: ClassVar[str] = "redirect"
    to: str = field(kw_only=True)
    quantity: float | None = field(default=None, kw_only=True)
    unit: str | None = field(default=None, kw_only=True)
    category: str | None = field(default=None, kw_only=True)

    def _apply(self, state: _State) -> None:
        positions = state.select(self)
        if len(positions) > 1:
            rows = ", ".join(str(state.record(p)["row"]) for p in positions[:5])
            state.fail(self, "row", f"{len(positions)} flows match (rows {rows})",
                       "add row = N to pick one")  # fmt: skip
        position = int(positions[0])
        flow = state.record(position)
        to = state.known_firm(self, "to", self.to)
        if to == flow["source"]:
            state.fail(self, "to", f"flow from '{to}' to itself")
        category = flow["category"]
        if self.category is not None:
            category = canonical_category(str(self.category))
            if category is None:
                state.fail(self, "category", f"unknown category '{self.category}'")
        info = parse_unit(flow["unit"]) if isinstance(flow["unit"], str) and flow["unit"] else None
        if self.quantity is None:
            moved = flow["quantity"]
        else:
            if info is None or not np.isfinite(flow["quantity"]):
                state.fail(self, "quantity", "the flow has no known quantity to split",
                           "omit quantity to move the whole flow")  # fmt: skip
            moved = state.amount(self, "quantity", self.quantity)
            if self.unit is not None:
                unit = state.unit(self, self.unit)
                if unit.dimension != info.dimension:
                    state.fail(self, "unit", f"'{self.unit}' is {unit.dimension}, "
                               f"the flow is {info.dimension}")  # fmt: skip
                moved = moved * unit.factor / info.factor
            if moved > flow["quantity"] * (1 + 1e-9):
                state.fail(self, "quantity", f"{self.quantity:g} is more than the flow's "
                           f"{flow['quantity']:g} {flow['unit']}")  # fmt: skip
            moved = min(moved, flow["quantity"])
        if self.quantity is not None and moved <= 0:
            return  # nothing to move
        extras = {c: flow[c] for c in ("year", "price") if c in flow}
        whole = self.quantity is None or moved >= flow["quantity"] * (1 - 1e-12)
        if whole:
            state.drop([position])
        else:
            state.scale([position], (flow["quantity"] - moved) / flow["quantity"])
        quantity = (
            None if moved is None or (isinstance(moved, float) and np.isnan(moved)) else moved
        )
        if info is None:  # a link of unknown size and no unit: keep it as it was
            state.append_like(flow, target=to, category=category)
            return
        state.add_flow(flow["source"], to, flow["material"], category, quantity, info, extras)


EDIT_TYPES: dict[str, type[Edit]] = {
    cls.table: cls
    for cls in (AddFirm, AddFlow, RedirectFlow, ScaleFlow, ScaleMaterial, RemoveFlow, RemoveFirm)
}
TABLE_ORDER: tuple[str, ...] = tuple(EDIT_TYPES)


# ============================================================================ applying


def apply(network: FlowNetwork, edits: Iterable[Edit], *, file: str = "edits") -> FlowNetwork:
    """Apply ``edits`` in order to a copy of ``network`` and return the new network.

    Parameters
    ----------
    network : FlowNetwork
        Left unchanged.
    edits : iterable of Edit
        Applied one after the other; each sees the result of the previous ones.
    file : str
        Named in error messages for edits without a ``where``.

    Returns
    -------
    FlowNetwork
        With the same warnings and source files as ``network``.

    Raises
    ------
    InputError
        At the first edit that does not fit the network (unknown firm, no matching flow,
        negative factor ...), naming the edit; nothing is returned half-applied.

    Notes
    -----
    O(k f) for k edits and f flows; the tables are copied once.
    """
    state = _State(network, file)
    for number, edit in enumerate(edits, start=1):
        if not isinstance(edit, Edit):
            raise InputError(f"{file}: edit #{number} is a {type(edit).__name__}, not an Edit")
        state.number = number
        edit._apply(state)
    return state.network()


def sort_edits(edits: Iterable[Edit]) -> list[Edit]:
    """The edits in the order a scenario file applies them (:data:`TABLE_ORDER`, stable)."""
    rank = {name: i for i, name in enumerate(TABLE_ORDER)}
    return sorted(edits, key=lambda edit: rank[edit.table])


def to_toml(
    edits: Sequence[Edit],
    *,
    title: str | None = None,
    description: str | None = None,
    comments: Sequence[str | None] | None = None,
) -> str:
    """Write edits as a scenario file (TOML text), in :data:`TABLE_ORDER`.

    ``comments`` (one per edit, or ``None``) are written as ``#`` lines above each table.
    Reading the text back with :func:`edits_from_tables` gives equal edits.
    """
    notes = list(comments) if comments is not None else [None] * len(edits)
    if len(notes) != len(edits):
        raise InputError("to_toml: one comment per edit")
    rank = {name: i for i, name in enumerate(TABLE_ORDER)}
    order = sorted(range(len(edits)), key=lambda i: rank[edits[i].table])
    lines = []
    if title is not None:
        lines.append(f"title = {_toml_value(title)}")
    if description is not None:
        lines.append(f"description = {_toml_value(description)}")
    for i in order:
        edit = edits[i]
        lines.append("")
        for line in (notes[i] or "").splitlines():
            lines.append(f"# {line}".rstrip())
        lines.append(f"[[{edit.table}]]")
        for key, value in edit.to_dict().items():
            lines.append(f"{key} = {_toml_value(value)}")
    return "\n".join(lines).lstrip("\n") + "\n"


def edits_from_tables(data: Mapping[str, Any], *, file: str = "scenario") -> list[Edit]:
    """Turn a parsed scenario file (``tomllib.load``) into edits, in application order.

    Every problem (unknown table or key, missing key) is reported at once as an
    :class:`InputError`; locations read ``file: [[table]] #n``.
    """
    problems: list[Problem] = []
    edits: list[Edit] = []
    for key, value in data.items():
        if key in ("title", "description"):
            if not isinstance(value, str):
                problems.append(Problem(file, None, key, "must be a string"))
            continue
        if key not in EDIT_TYPES:
            problems.append(
                Problem(file, None, key, "unknown table", "use " + ", ".join(TABLE_ORDER))
            )
            continue
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            problems.append(Problem(file, None, key, f"write it as [[{key}]] tables"))
    for table in TABLE_ORDER:
        entries = data.get(table)
        if not isinstance(entries, list):
            continue
        for number, entry in enumerate(entries, start=1):
            if not isinstance(entry, dict):
                continue
            try:
                edits.append(
                    EDIT_TYPES[table].from_dict(entry, where=f"{file}: [[{table}]] #{number}")
                )
            except InputError as exc:
                problems.extend(exc.problems)
    if problems:
        raise InputError(problems)
    return edits


# ============================================================================ state


class _State:
    """The network being edited.

    The original flow table is never copied until the end: edits act on numpy arrays of
    its columns (built lazily, once), a mask of the rows still alive, and a short list of
    added rows. A position below ``n`` is an original row, ``n + i`` the i-th added row.
    """

    def __init__(self, network: FlowNetwork, file: str):
        self.original = network
        self.file = file
        self.number = 0
        self.base = network.flows
        self.n = len(self.base)
        self.alive = np.ones(self.n, dtype=bool)
        self.quantity = self.base["quantity"].to_numpy(dtype=float, copy=True)
        self.value = self.base["value"].to_numpy(dtype=float, copy=True)
        self.added: list[dict[str, Any]] = []
        self._arrays: dict[str, np.ndarray] = {}
        self.firms = network.firms
        self.firm_index = set(
            self.firms.index.to_numpy(dtype=object)
        )  # 5x faster than iterating Arrow strings
        self._new_firms: list[pd.DataFrame] = []
        self._removed_firms: list[str] = []

    # -- errors
    def fail(self, edit: Edit, column: str | None, message: str, hint: str = "") -> None:
        where = edit.where or f"{self.file}: edit #{self.number} ([[{edit.table}]])"
        raise InputError(Problem(where, None, column, message, hint))

    # -- lookups
    def array(self, column: str) -> np.ndarray:
        if column not in self._arrays:
            self._arrays[column] = self.base[column].to_numpy(dtype=object)
        return self._arrays[column]

    def known_firm(self, edit: Edit, column: str, value: Any) -> str:
        firm_id = _text(value, column, edit, self)
        if firm_id not in self.firm_index:
            self.fail(edit, column, f"unknown firm '{firm_id}'", "check the id in firms.csv")
        return firm_id

    def unit(self, edit: Edit, text: Any):
        try:
            return parse_unit(str(text))
        except UnknownUnitError as exc:
            self.fail(edit, "unit", exc.message, exc.hint)

    def amount(self, edit: Edit, column: str, value: Any) -> float:
        if not _is_number(value) or not math.isfinite(value) or value < 0:
            self.fail(edit, column, f"{value!r} is not a finite number >= 0")
        return float(value)

    def _index(self):
        """Sorted codes of (source, target, material key) of the original rows, built once
        (O(f log f)), so that each selection is a binary search."""
        if not hasattr(self, "_sorted"):
            network = self.original
            keys, uniques = pd.factorize(self.base["material_key"].to_numpy(dtype=object))
            self._keys = pd.Index(uniques)
            self._firms = network.firms.index
            width = len(uniques) + 1
            codes = (
                network.source_positions.astype(np.int64) * (len(self._firms) + 1)
                + network.target_positions
            ) * width + keys
            self._order = np.argsort(codes, kind="stable")
            self._sorted = codes[self._order]
            self._width = width
        return self._order, self._sorted

    def _base_matches(self, source, target, key) -> np.ndarray:
        if source is None or target is None:  # a scan: only ScaleMaterial without ids
            mask = self.alive & (self.array("material_key") == key)
            if source is not None:
                mask &= self.array("source") == source
            if target is not None:
                mask &= self.array("target") == target
            return np.flatnonzero(mask)
        order, ordered = self._index()
        k = self._keys.get_indexer([key])[0]
        s, t = self._firms.get_indexer([source, target])
        if min(k, s, t) < 0:
            return np.zeros(0, dtype=np.int64)
        code = (s * (len(self._firms) + 1) + t) * self._width + k
        found = order[np.searchsorted(ordered, code) : np.searchsorted(ordered, code, "right")]
        return np.sort(found[self.alive[found]])

    def find(self, source, target, key, **equal: Any) -> np.ndarray:
        """Positions of the live flows with this source, target (``None``: any) and
        material key, and the given column values (``known=True``: of known size)."""
        base = self._base_matches(source, target, key)
        found = [
            int(p)
            for p in base
            if all(
                (not np.isnan(self.quantity[p])) if c == "known" else self.array(c)[p] == w
                for c, w in equal.items()
            )
        ]
        for i, flow in enumerate(self.added):
            if (
                flow["_alive"]
                and flow["material_key"] == key
                and (source is None or flow["source"] == source)
                and (target is None or flow["target"] == target)
                and all(
                    (not np.isnan(flow["quantity"])) if c == "known" else flow.get(c) == w
                    for c, w in equal.items()
                )
            ):
                found.append(self.n + i)
        return np.asarray(found, dtype=np.int64)

    def record(self, position: int) -> dict[str, Any]:
        """One flow as a dict, with its current quantity and value."""
        position = int(position)
        if position >= self.n:
            return dict(self.added[position - self.n])
        flow = self.base.iloc[position].to_dict()
        flow.update(quantity=self.quantity[position], value=self.value[position])
        return flow

    def check_dimension(self, edit: Edit, material: str, dimension: str) -> None:
        key = material_key(material)
        positions = self._base_matches(None, None, key)
        dims = {d for d in self.array("dimension")[positions] if isinstance(d, str)}
        dims |= {f["dimension"] for f in self.added if f["_alive"] and f["material_key"] == key}
        dims.discard(dimension)
        if dims:
            self.fail(edit, "unit", f"'{material}' is {sorted(dims)[0]} elsewhere, not {dimension}",
                      "use one dimension per material")  # fmt: skip

    def select(self, edit: _FlowSelector) -> np.ndarray:
        source = self.known_firm(edit, "source", edit.source)
        target = self.known_firm(edit, "target", edit.target)
        key = material_key(str(edit.material))
        positions = self.find(source, target, key)
        if edit.row is not None:
            positions = np.asarray(
                [p for p in positions if self.record(p)["row"] == edit.row], dtype=np.int64
            )
        if not len(positions):
            row = f" on row {edit.row}" if edit.row is not None else ""
            self.fail(edit, "material", f"no flow {source} -> {target} of '{edit.material}'{row}")
        return positions

    # -- changes
    def add_firm(self, firm_id: str, **values: Any) -> None:
        row = dict.fromkeys(self.firms.columns, np.nan)
        for column in self.firms.columns:
            if self.firms[column].dtype == object or pd.api.types.is_string_dtype(
                self.firms[column]
            ):
                row[column] = ""
        row.update(values, actor=values["role"] in ACTOR_ROLES, row=0)
        addition = pd.DataFrame([row], index=pd.Index([firm_id], name=self.firms.index.name))
        self._new_firms.append(addition[self.firms.columns])
        self.firm_index.add(firm_id)

    def remove_firm(self, firm_id: str) -> None:
        self.firm_index.discard(firm_id)
        self._removed_firms.append(firm_id)
        self.alive &= (self.array("source") != firm_id) & (self.array("target") != firm_id)
        for flow in self.added:
            if firm_id in (flow["source"], flow["target"]):
                flow["_alive"] = False

    def drop(self, positions) -> None:
        for position in np.asarray(positions, dtype=np.int64):
            if position >= self.n:
                self.added[position - self.n]["_alive"] = False
            else:
                self.alive[position] = False

    def scale(self, positions, factor: float) -> None:
        positions = np.asarray(positions, dtype=np.int64)
        base = positions[positions < self.n]
        self.quantity[base] *= factor
        self.value[base] *= factor
        for position in positions[positions >= self.n]:
            flow = self.added[position - self.n]
            flow["quantity"] *= factor
            flow["value"] *= factor

    def add_flow(self, source, target, material, category, quantity, info, extras) -> None:
        """Append a flow, or add to the one identical existing flow of known size."""
        key = material_key(material)
        if quantity is not None:
            same = self.find(source, target, key, category=category, unit=info.text, known=True)
            if len(same) == 1:
                position = int(same[0])
                base = float(self.record(position)["quantity"])
                if base > 0:
                    self.scale([position], (base + quantity) / base)
                    return
                if position < self.n:
                    self.quantity[position] = quantity
                    self.value[position] = quantity * info.factor
                else:
                    self.added[position - self.n].update(
                        quantity=float(quantity), value=quantity * info.factor
                    )
                return
        self.added.append(
            {
                "source": source,
                "target": target,
                "material": material,
                "material_key": key,
                "category": category,
                "quantity": np.nan if quantity is None else float(quantity),
                "unit": info.text,
                "value": np.nan if quantity is None else quantity * info.factor,
                "dimension": info.dimension,
                "row": 0,
                **extras,
                "_alive": True,
            }
        )

    def append_like(self, flow: dict[str, Any], **changes: Any) -> None:
        self.added.append({**flow, **changes, "row": 0, "_alive": True})

    def network(self) -> FlowNetwork:
        flows = self.base
        changed = not self.alive.all() or not (
            np.array_equal(self.quantity, flows["quantity"].to_numpy(dtype=float), equal_nan=True)
            and np.array_equal(self.value, flows["value"].to_numpy(dtype=float), equal_nan=True)
        )
        if changed:
            flows = flows.assign(quantity=self.quantity, value=self.value)[self.alive]
        added = [{k: v for k, v in f.items() if k != "_alive"} for f in self.added if f["_alive"]]
        if added:
            addition = pd.DataFrame(added)
            for column in flows.columns:
                if column not in addition:
                    addition[column] = "" if not pd.api.types.is_numeric_dtype(
                        flows[column]) else np.nan  # fmt: skip
            addition = addition[list(flows.columns)].astype({"row": flows["row"].dtype})
            flows = pd.concat([flows, addition], ignore_index=True)
        firms = self.firms
        if self._new_firms:
            firms = pd.concat([firms, *self._new_firms])
        if self._removed_firms:
            firms = firms.drop(index=[f for f in self._removed_firms if f in firms.index])
        return FlowNetwork(
            firms=firms,
            flows=flows.reset_index(drop=True),
            warnings=self.original.warnings,
            source_files=self.original.source_files,
        )


# ============================================================================ helpers


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float | np.integer | np.floating) and not isinstance(value, bool)


def _text(value: Any, column: str, edit: Edit, state: _State) -> str:
    if not isinstance(value, str) or not value.strip():
        state.fail(edit, column, f"{value!r} is not a non-empty text")
    return value.strip()


def _plain(value: Any) -> Any:
    if isinstance(value, np.generic):
        return value.item()
    return value


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | np.integer):
        return str(int(value))
    if isinstance(value, float | np.floating):
        value = float(value)
        if not math.isfinite(value):
            raise InputError(f"cannot write {value} in a scenario file")
        return repr(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    text = str(value)
    escaped = (
        text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t")
    )
    escaped = "".join(c if ord(c) >= 0x20 and c != "\x7f" else f"\\u{ord(c):04x}" for c in escaped)
    return f'"{escaped}"'
