"""The edit types behind :mod:`symbiosis.edits`: one frozen dataclass per change a
scenario can make (``add_firm`` ... ``remove_firm``), each reading itself from a TOML table
(:meth:`Edit.read`), writing itself back (:meth:`Edit.to_dict`) and applying itself to the
network being edited (:class:`~symbiosis._edit_state._State`); and :data:`EDIT_TYPES`, the
type of each table, in :data:`TABLE_ORDER`. :mod:`symbiosis.edits` re-exports them all and
describes what each edit does; import them from there.

Complexity: each edit is O(f) for f flows (vectorised masks over the flow table).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import MISSING, dataclass, field, fields
from typing import Any, ClassVar

import numpy as np
import pandas as pd

from ._edit_state import _State, _text
from ._edit_values import coordinate_problems, shown
from .arguments import firm_id as firm_id_text
from .errors import InputError, Problem
from .io.firms import MAX_ID_LENGTH
from .units import parse_unit
from .vocabulary import (
    HAZARDOUS,
    SUBSTITUTABLE,
    canonical_role,
    hazardous_category,
    hazardous_role,
    material_key,
)

__all__ = [
    "EDIT_TYPES",
    "TABLE_ORDER",
    "AddFirm",
    "AddFlow",
    "Edit",
    "MarkFlow",
    "RedirectFlow",
    "RemoveFirm",
    "RemoveFlow",
    "ScaleFlow",
    "ScaleMaterial",
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
        edit, problems = cls.read(data, where=where)
        if problems or edit is None:
            raise InputError(problems)
        return edit

    @classmethod
    def read(cls, data: Mapping[str, Any], *, where: str = "") -> tuple[Edit | None, list[Problem]]:
        """The edit of a TOML table and the problems of its keys (unknown, missing).
        Unknown keys are left out of the edit, so that the rest can still be checked;
        the edit is ``None`` when a required key is missing."""
        names = [f.name for f in fields(cls) if f.name != "where"]
        required = {
            f.name
            for f in fields(cls)
            if f.name != "where" and f.default is MISSING and f.default_factory is MISSING
        }
        place = where or f"[[{cls.table}]]"
        missing = sorted(required - set(data))
        problems = [
            Problem(place, None, str(key), "unknown key", f"use {', '.join(sorted(names))}")
            for key in data
            if key not in names
        ] + [Problem(place, None, key, "required key is missing", "") for key in missing]
        if missing:
            return None, problems
        return cls(**{k: v for k, v in data.items() if k in names}, where=where), problems

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
        firm_id = state.soft(_text, firm_id_text(self.id), "id", self, state)
        if firm_id in state.firm_index:
            state.note(self, "id", f"firm '{firm_id}' already exists", "choose a new id")
        elif isinstance(firm_id, str) and len(firm_id) > MAX_ID_LENGTH:  # firms.csv's rule
            state.note(
                self, "id", f"id is longer than {MAX_ID_LENGTH} characters", "use a short code"
            )
        for name in ("name", "sector"):
            state.soft(state.optional_text, self, name, getattr(self, name))
        role = canonical_role(self.role) if isinstance(self.role, str) else None
        if role is None:
            state.note(self, "role", f"unknown role {shown(self.role)}", "use firm, recycling, ...")
        for column, message, hint in coordinate_problems(self.lat, self.lon):
            state.note(self, column, message, hint)
        state.settle()  # every field checked, every problem raised together
        state.add_firm(
            firm_id,
            name=self.name or firm_id,
            sector=self.sector or "",
            role=role,
            lat=np.nan if self.lat is None else float(self.lat),
            lon=np.nan if self.lon is None else float(self.lon),
            **({HAZARDOUS: True} if hazardous_role(self.role) else {}),  # 危废填埋场: marked
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
    """Add a flow (merged into the one identical live flow of known size, or link of
    unknown size: :mod:`symbiosis._edit_columns`); ``substitutable`` (None: the default
    rule) marks it, or the flow it is merged into; a ``hazardous waste`` category marks it
    hazardous, and the flow it is merged into with it."""

    table: ClassVar[str] = "add_flow"
    source: str
    target: str
    material: str
    unit: str
    quantity: float | None = None
    category: str = "by-product"
    substitutable: bool | None = None

    def _apply(self, state: _State) -> None:
        source = state.soft(state.known_firm, self, "source", self.source)
        target = state.soft(state.known_firm, self, "target", self.target)
        material = state.soft(_text, self.material, "material", self, state)
        category = state.soft(state.category, self, self.category)
        info = state.soft(state.unit, self, self.unit)
        if self.quantity is not None:
            state.soft(state.amount, self, "quantity", self.quantity)
        extras = {}
        if self.substitutable is not None:
            extras[SUBSTITUTABLE] = state.soft(state.flag, self, SUBSTITUTABLE, self.substitutable)
        if isinstance(self.category, str) and hazardous_category(self.category):
            extras[HAZARDOUS] = True  # "hazardous waste" is waste, marked (io/hazardous.py)
        state.settle()  # every field checked, every problem raised together
        if source == target:
            state.fail(self, "target", f"flow from '{source}' to itself",
                       "give a target other than the source")  # fmt: skip
        quantity = None if self.quantity is None else float(self.quantity)
        state.check_dimension(self, material, info.dimension)
        if state.is_boundary(source) and state.is_boundary(target):
            state.warn(self, "target", f"a flow between two boundary nodes ('{source}' and "
                       f"'{target}') is outside the system: no analysis counts it",
                       "give an actor as source or target")  # fmt: skip
        state.add_flow(source, target, material, category, quantity, info, extras)


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
        positions = state.select(self, (state.amount, self, "factor", self.factor))
        state.scale_by(self, positions, float(self.factor))


@dataclass(frozen=True)
class MarkFlow(_FlowSelector):
    """Mark the flow(s) ``source -> target`` of ``material`` substitutable (``true``: its
    receiver makes up for its loss, so it never limits the receiver in a supply shock)
    or not (``false``)."""

    table: ClassVar[str] = "mark_flow"
    substitutable: bool = field(kw_only=True)

    def _apply(self, state: _State) -> None:
        check = (state.flag, self, SUBSTITUTABLE, self.substitutable)
        state.mark(state.select(self, check), self.substitutable)


@dataclass(frozen=True)
class ScaleMaterial(Edit):
    """Multiply every flow of ``material`` (optionally from ``source`` / to ``target``)."""

    table: ClassVar[str] = "scale_material"
    material: str
    factor: float
    source: str | None = None
    target: str | None = None

    def _apply(self, state: _State) -> None:
        factor = state.soft(state.amount, self, "factor", self.factor)
        firms = [None, None]
        for i, column in enumerate(("source", "target")):
            if getattr(self, column) is not None:
                firms[i] = state.soft(state.known_firm, self, column, getattr(self, column))
        state.soft(_text, self.material, "material", self, state)
        state.settle()  # every field checked, every problem raised together
        positions = state.find(*firms, material_key(self.material))
        if not len(positions):
            state.fail(self, "material", f"no flow of '{self.material}' matches")
        state.scale_by(self, positions, factor)


_SELF_REDIRECT = (
    "give to = the firm that is to take the flow instead of its target (to stop the flow, "
    "use [[remove_flow]]; for the firm's reuse of its own stream, add in_house = true)"
)


@dataclass(frozen=True)
class RedirectFlow(_FlowSelector):
    """Move ``quantity`` (all when ``None``) of one flow to a new target ``to``. With
    ``in_house`` true, ``to`` is the flow's source, which takes that part back itself (its
    reuse of its own stream, counted ``reused_internally``); without it, a redirect to the
    flow's source is refused (a slip of the id, most likely)."""

    table: ClassVar[str] = "redirect"
    to: str = field(kw_only=True)
    quantity: float | None = field(default=None, kw_only=True)
    unit: str | None = field(default=None, kw_only=True)
    category: str | None = field(default=None, kw_only=True)
    in_house: bool | None = field(default=None, kw_only=True)

    def _apply(self, state: _State) -> None:
        checks = [(state.known_firm, self, "to", self.to)]
        if self.in_house is not None:
            checks.append((state.flag, self, "in_house", self.in_house))
        if self.category is not None:
            checks.append((state.category, self, self.category))
        if self.quantity is not None:
            checks.append((state.amount, self, "quantity", self.quantity))
        if self.unit is not None:
            checks.append((state.unit, self, self.unit))
        positions = state.select(self, *checks)  # every field checked together
        if len(positions) > 1:
            rows = ", ".join(str(state.record(p)["row"]) for p in positions[:5])
            state.fail(self, "row", f"{len(positions)} flows match (rows {rows})",
                       "add row = N to pick one")  # fmt: skip
        position = int(positions[0])
        flow = state.record(position)
        to = state.known_firm(self, "to", self.to)
        if to == flow["source"] and self.in_house is not True:
            state.fail(self, "to", f"'{to}' is the flow's source: the redirect would make a "
                       f"flow from '{to}' to itself", _SELF_REDIRECT)  # fmt: skip
        if to != flow["source"] and self.in_house is True:
            state.fail(self, "to", f"in_house = true takes the flow back to its source "
                       f"'{flow['source']}', not to '{to}'",
                       f"give to = '{flow['source']}', or leave in_house out")  # fmt: skip
        category = flow["category"]
        if self.category is not None:
            category = state.category(self, self.category)
        if to == flow["target"] and category == flow["category"]:
            state.warn(self, "to", f"the flow already goes to '{to}': the redirect changes "
                       "nothing", "give to = another firm, or drop this table")  # fmt: skip
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
                state.fail(self, "quantity", *_too_much(self, flow))
            moved = min(moved, flow["quantity"])
        if self.quantity is not None and moved <= 0:
            return  # nothing to move
        extras = {c: flow[c] for c in ("year", "price") if c in flow}
        hazard = _moved_hazard(flow, self.category)
        if hazard is not pd.NA:  # what was hazardous waste stays so, wherever it goes
            extras[HAZARDOUS] = hazard
        whole = self.quantity is None or moved >= flow["quantity"] * (1 - 1e-12)
        if whole:
            state.drop([position])
        else:
            state.scale([position], (flow["quantity"] - moved) / flow["quantity"])
        quantity = (
            None if moved is None or (isinstance(moved, float) and np.isnan(moved)) else moved
        )
        if info is None:  # a link of unknown size and no unit: keep it as it was
            state.append_like(flow, to, category, hazard)
            return
        state.add_flow(flow["source"], to, flow["material"], category, quantity, info, extras)


def _too_much(edit: RedirectFlow, flow: dict[str, Any]) -> tuple[str, str]:
    """The message and hint of a redirect of more than its flow holds. Without ``unit``
    the quantity is read in the flow's unit, which the message says: ``500000`` against
    a flow of ``1.6 Mt`` reads as 500000 Mt, not the 500000 t the user likely meant."""
    have = f"the flow's {flow['quantity']:g} {flow['unit']}"
    if edit.unit is not None:
        return (
            f"{edit.quantity:g} {edit.unit} is more than {have}",
            "move at most the flow's quantity, or leave quantity out to move all of it",
        )
    return (
        f"{edit.quantity:g} {flow['unit']} (read in the flow's unit, as no unit is given) is "
        f"more than {have}",
        "move at most the flow's quantity, or give the number's own unit (unit = \"t\", say); "
        "leave quantity out to move all of it",
    )  # fmt: skip


EDIT_TYPES: dict[str, type[Edit]] = {
    cls.table: cls
    for cls in (
        *(AddFirm, AddFlow, RedirectFlow, ScaleFlow, ScaleMaterial),
        *(MarkFlow, RemoveFlow, RemoveFirm),
    )
}
TABLE_ORDER: tuple[str, ...] = tuple(EDIT_TYPES)


# ============================================================================ helpers


def _moved_hazard(flow: Mapping[str, Any], category: Any) -> Any:
    """The ``hazardous`` mark of the part of ``flow`` a redirect moves: the flow's own
    (yes, no or ``pd.NA``), yes when the category given says hazardous waste."""
    if isinstance(category, str) and hazardous_category(category):
        return True
    mark = flow.get(HAZARDOUS, pd.NA)
    return pd.NA if mark is None or pd.isna(mark) else bool(mark)


def _plain(value: Any) -> Any:
    if isinstance(value, np.generic):
        return value.item()
    return value
