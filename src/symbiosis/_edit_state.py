"""The network being edited: the state behind :func:`symbiosis.edits.apply`.

Edits (:mod:`symbiosis.edits`) say what to change; this module changes it. The original
flow table is never copied until the end: edits act on numpy arrays of its columns (built
lazily, once), a mask of the rows still alive and a short list of added rows, and
:meth:`_State.network` builds the edited :class:`~symbiosis.model.FlowNetwork` once.

Complexity: each edit is O(f) for f flows (vectorised masks over the flow table); building
the result copies the tables once.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

import numpy as np
import pandas as pd

from ._edit_columns import _Columns
from ._edit_values import number_said, shown
from ._year_notes import in_other_years
from .arguments import firm_id
from .arguments import is_number as _is_number
from .errors import InputError, Problem
from .io.quantities import LARGEST, short_number
from .model import FlowNetwork
from .units import CANONICAL_UNITS, UnknownUnitError, parse_unit
from .vocabulary import (
    ACTOR_ROLES,
    CATEGORIES,
    HAZARDOUS,
    SUBSTITUTABLE,
    bilingual_parts,
    canonical_category,
    material_key,
)

if TYPE_CHECKING:
    from ._edit_types import Edit, _FlowSelector

__all__: list[str] = []

T = TypeVar("T")


class _State(_Columns):
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
        self._edited: dict[str, np.ndarray] = {}  # optional columns an edit changed: _Columns
        self.firms = network.firms
        self.firm_index = set(
            self.firms.index.to_numpy(dtype=object)
        )  # 5x faster than iterating Arrow strings
        # Firms added (by id, in order) and original firms removed. Removing an added firm
        # forgets it; re-adding a removed original firm adds a new row: edits apply in order.
        self._new_firms: dict[str, pd.DataFrame] = {}
        self._removed_firms: set[str] = set()
        self.pending: list[Problem] = []  # problems of the current edit, not yet raised
        self.notes: list[Problem] = []  # edits that apply but change nothing: warnings

    # -- warnings
    def scaled_unsized(self, edit: Edit, positions) -> None:
        """A warning when none of the flows ``edit`` scales has a known quantity: a link
        of unknown size stays one whatever the factor, and the scenario would change
        nothing without saying so. O(len(positions))."""
        positions = np.asarray(positions, dtype=np.int64)
        if np.isfinite(self.quantity[positions[positions < self.n]]).any():
            return
        added = (self.added[p - self.n]["quantity"] for p in positions[positions >= self.n])
        if any(q is not None and np.isfinite(q) for q in added):
            return
        many = len(positions) > 1
        what = f"none of its {len(positions)} flows has a" if many else "the flow has no"
        self.warn(edit, "factor", f"{what} known quantity: scaling changes nothing",
                  "give the flow a quantity in flows.csv, or drop this table")  # fmt: skip

    def warn(self, edit: Edit, column: str | None, message: str, hint: str) -> None:
        """A warning on ``edit``, which applies but changes nothing (or nothing that counts)."""
        where = edit.where or f"{self.file}: edit #{self.number} ([[{edit.table}]])"
        self.notes.append(Problem(where, None, column, message, hint))

    def is_boundary(self, firm_id: str) -> bool:
        """Whether ``firm_id`` (a known firm, original or added) is a boundary node."""
        added = self._new_firms.get(firm_id)
        row = added.iloc[0] if added is not None else self.firms.loc[firm_id]
        return not bool(row["actor"])

    # -- errors
    def fail(self, edit: Edit, column: str | None, message: str, hint: str = "") -> None:
        """Stop the current edit: raise its problems so far and this one."""
        where = edit.where or f"{self.file}: edit #{self.number} ([[{edit.table}]])"
        problems, self.pending = [*self.pending, Problem(where, None, column, message, hint)], []
        raise InputError(problems)

    def note(self, edit: Edit, column: str | None, message: str, hint: str = "") -> None:
        """A problem of the current edit, raised with the others by :meth:`settle`."""
        self.soft(self.fail, edit, column, message, hint)

    def soft(self, check: Callable[..., T], *args: Any) -> T | None:
        """``check(*args)``, or ``None`` when it fails: its problems wait in ``pending``
        (raised by :meth:`settle`), so that every field of an edit is checked."""
        try:
            return check(*args)
        except InputError as exc:
            self.pending.extend(exc.problems)
            return None

    def settle(self) -> None:
        """Raise the problems :meth:`soft` collected for the current edit, if any."""
        if self.pending:
            problems, self.pending = self.pending, []
            raise InputError(problems)

    # -- lookups
    def array(self, column: str) -> np.ndarray:
        if column not in self._arrays:
            self._arrays[column] = self.base[column].to_numpy(dtype=object)
        return self._arrays[column]

    def known_firm(self, edit: Edit, column: str, value: Any) -> str:
        known = _text(firm_id(value), column, edit, self)  # RemoveFirm(101): the id '101'
        if known not in self.firm_index:
            self.fail(edit, column, f"unknown firm '{known}'", "check the id in firms.csv")
        return known

    def unit(self, edit: Edit, text: Any):
        if not isinstance(text, str):
            self.fail(edit, "unit", f"{shown(text)} is not a unit", 'write unit = "t", "GJ", ...')
        try:
            return parse_unit(str(text))
        except UnknownUnitError as exc:
            self.fail(edit, "unit", exc.message, exc.hint)

    def amount(self, edit: Edit, column: str, value: Any) -> float:
        if not _is_number(value) or not math.isfinite(value) or value < 0:
            self.fail(edit, column, *number_said(column, value, f"{shown(value)} is not a "
                                                 "finite number >= 0", ""))  # fmt: skip
        return float(value)

    def category(self, edit: Edit, value: Any) -> str:
        category = canonical_category(value) if isinstance(value, str) else None
        if category is None:
            self.fail(edit, "category", f"unknown category {shown(value)}",
                      "use " + ", ".join(CATEGORIES))  # fmt: skip
        return category

    def flag(self, edit: Edit, column: str, value: Any) -> bool:
        """A yes-or-no field: a TOML boolean."""
        if not isinstance(value, bool):
            self.fail(edit, column, f"{shown(value)} is not true or false",
                      f"write {column} = true or {column} = false")  # fmt: skip
        return value

    def optional_text(self, edit: Edit, column: str, value: Any) -> str | None:
        """An optional text field (a name, a sector): text or absent."""
        if value is not None and not isinstance(value, str):
            self.fail(edit, column, f"{shown(value)} is not a text", f'write {column} = "..."')
        return value

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

    def _keys_named(self, key: str) -> list[str]:
        """``key`` and the material keys of the flows written in two scripts, "A (B)",
        one of whose parts has that key (:func:`~symbiosis.vocabulary.bilingual_parts`):
        ``alumina`` selects a flow of "alumina (氧化铝)" too, and 氧化铝 both. One pass
        over the distinct keys, once; the added flows' keys on each call (they are few)."""
        if not hasattr(self, "_by_part"):
            by_part: dict[str, list[str]] = {}
            for whole in pd.unique(self.base["material_key"].to_numpy(dtype=object)):
                for part in bilingual_parts(str(whole)) or ():
                    by_part.setdefault(material_key(part), []).append(str(whole))
            self._by_part = by_part
        added = [f["material_key"] for f in self.added if f["_alive"]]
        added = [
            k for k in dict.fromkeys(added) if key in map(material_key, bilingual_parts(k) or ())
        ]
        return list(dict.fromkeys([key, *self._by_part.get(key, []), *added]))

    def pair_materials(self, source: str, target: str) -> list[str]:
        """The materials, as written, of the live flows ``source -> target`` (an error's
        hint). O(f): a scan, on the error path only."""
        same = self.alive & (self.array("source") == source) & (self.array("target") == target)
        names = [*self.array("material")[same], *(f["material"] for f in self.added
                 if f["_alive"] and (f["source"], f["target"]) == (source, target))]  # fmt: skip
        return list(dict.fromkeys(str(n) for n in names))

    def find(self, source, target, key, **equal: Any) -> np.ndarray:
        """Positions of the live flows with this source, target (``None``: any) and
        material key, or a name in two scripts one of whose parts has that key
        (:meth:`_keys_named`), and the given column values (``known=True``: of known size,
        ``known=False``: of unknown size)."""
        keys = self._keys_named(key)
        base = np.sort(np.concatenate([self._base_matches(source, target, k) for k in keys]))
        found = [
            int(p)
            for p in base
            if all(
                (not np.isnan(self.quantity[p])) == w if c == "known" else self.array(c)[p] == w
                for c, w in equal.items()
            )
        ]
        for i, flow in enumerate(self.added):
            if (
                flow["_alive"]
                and flow["material_key"] in keys
                and (source is None or flow["source"] == source)
                and (target is None or flow["target"] == target)
                and all(
                    (not np.isnan(flow["quantity"])) == w if c == "known" else flow.get(c) == w
                    for c, w in equal.items()
                )
            ):
                found.append(self.n + i)
        return np.asarray(found, dtype=np.int64)

    def record(self, position: int) -> dict[str, Any]:
        """One flow as a dict, with its current quantity, value and edited columns."""
        position = int(position)
        if position >= self.n:
            return dict(self.added[position - self.n])
        flow = self.base.iloc[position].to_dict()
        flow.update(quantity=self.quantity[position], value=self.value[position])
        flow.update({column: values[position] for column, values in self._edited.items()})
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

    def select(self, edit: _FlowSelector, *checks: tuple[Any, ...]) -> np.ndarray:
        """The live flows ``edit`` selects; ``checks`` (a function and its arguments) are
        the edit's other fields, checked with the selectors so that all fail together."""
        source = self.soft(self.known_firm, edit, "source", edit.source)
        target = self.soft(self.known_firm, edit, "target", edit.target)
        self.soft(_text, edit.material, "material", edit, self)
        if edit.row is not None and not (_is_number(edit.row) and float(edit.row).is_integer()):
            self.note(edit, "row", *number_said("row", edit.row, f"{shown(edit.row)} is not a "
                      "row number", "give the flow's row in flows.csv, as error messages show "
                      "it"))  # fmt: skip
        selectors_valid = not self.pending
        for check, *args in checks:
            self.soft(check, *args)
        positions = np.zeros(0, dtype=np.int64)
        if selectors_valid:
            positions = self.find(source, target, material_key(edit.material))
            if edit.row is not None:
                rows = [p for p in positions if self.record(p)["row"] == edit.row]
                positions = np.asarray(rows, dtype=np.int64)
            if not len(positions):
                row = f" on row {edit.row}" if edit.row is not None else ""
                key = material_key(edit.material)  # a year of several: another may have it
                year, hint = in_other_years(self.original, source, target, key)
                message = f"no flow {source} -> {target} of '{edit.material}'{row}{year}"
                carried = self.pair_materials(source, target) if not hint else []
                if carried:
                    listed = ", ".join(f"'{m}'" for m in carried[:5])
                    more = f" and {len(carried) - 5} more" if len(carried) > 5 else ""
                    hint = (f"{source} -> {target} carries {listed}{more}: give one of "
                            "these as material")  # fmt: skip
                self.note(edit, "material", message, hint)
        self.settle()
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
        marked = [HAZARDOUS] if HAZARDOUS in values and HAZARDOUS not in self.firms else []
        self._new_firms[firm_id] = addition[[*self.firms.columns, *marked]]
        self.firm_index.add(firm_id)

    def remove_firm(self, firm_id: str) -> None:
        self.firm_index.discard(firm_id)
        if self._new_firms.pop(firm_id, None) is None:  # an added firm leaves no trace
            self._removed_firms.add(firm_id)
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

    def scale_by(self, edit: Edit, positions, factor: float) -> None:
        """``edit`` multiplies the flows at ``positions`` by ``factor``; a factor of 0 stops
        them, whatever their size: they are dropped, as a shock drops the exchanges it
        stops (a link of 0 t would still close loops and count as a reused stream)."""
        if factor == 0:
            self.drop(positions)
        else:
            self.scaled_unsized(edit, positions)
            self.scale(positions, factor)

    def scale(self, positions, factor: float, *, spreads: bool = True) -> None:
        """Multiply the flows at ``positions`` by ``factor``, and (``spreads``) their
        bounds with them (:mod:`symbiosis._edit_columns`)."""
        positions = np.asarray(positions, dtype=np.int64)
        if spreads:
            self.scale_spreads(positions, factor)
        base = positions[positions < self.n]
        with np.errstate(over="ignore"):  # past the largest float: inf, refused by bounded()
            self.quantity[base] *= factor
            self.value[base] *= factor
        for position in positions[positions >= self.n]:
            flow = self.added[position - self.n]
            flow["quantity"] *= factor
            flow["value"] *= factor

    def bounded(self, edit: Edit) -> None:
        """Refuse ``edit`` when it left a flow larger than a network holds (1e30 of its
        dimension's unit a year, as in flows.csv; an overflow is infinite): a scenario could
        otherwise make what no input file may hold. O(flows)."""
        added = [f for f in self.added if f["_alive"]]
        values = np.concatenate(
            [self.value[self.alive], np.array([f["value"] for f in added], dtype=float)]
        )
        if not (np.nan_to_num(values, nan=0.0) > LARGEST).any():
            return
        largest = int(np.nanargmax(values))
        base = np.flatnonzero(self.alive)
        dimension = (
            self.array("dimension")[base[largest]]
            if largest < len(base)
            else added[largest - len(base)]["dimension"]
        )
        column = "factor" if hasattr(edit, "factor") else "quantity"
        self.fail(
            edit,
            column,
            f"makes a flow of {short_number(values[largest])} "
            f"{CANONICAL_UNITS.get(dimension, '')}/yr, more than a network holds "
            f"({short_number(LARGEST)} a year)",
            f"check the {column}" + (" and its unit" if column == "quantity" else ""),
        )

    def append_like(self, flow: dict[str, Any], target: str, category: str, hazard: Any) -> None:
        """A copy of ``flow`` (a link of unknown size without a unit) going to ``target``
        as ``category``, without its substitutable mark (another receiver) and with the
        ``hazard`` mark (True, False or ``pd.NA``); merged into the one identical link
        (:mod:`symbiosis._edit_columns`)."""
        links = self.find(flow["source"], target, flow["material_key"], category=category,
                          known=False)  # fmt: skip
        same = [int(p) for p in links if not _unit_text(self.record(p)["unit"])]
        if len(same) == 1:
            self._merge_marks(same[0], {HAZARDOUS: hazard})
            return
        copy = {**flow, "target": target, "category": category, "row": 0, "_alive": True}
        copy.pop(SUBSTITUTABLE, None)  # another receiver: the default, unmarked
        if hazard is not pd.NA or HAZARDOUS in copy:
            copy[HAZARDOUS] = hazard
        self.added.append(copy)

    def network(self) -> FlowNetwork:
        added = [{k: v for k, v in f.items() if k != "_alive"} for f in self.added if f["_alive"]]
        flows = self.with_columns(self.base, added)
        changed = not self.alive.all() or not (
            np.array_equal(self.quantity, flows["quantity"].to_numpy(dtype=float), equal_nan=True)
            and np.array_equal(self.value, flows["value"].to_numpy(dtype=float), equal_nan=True)
        )
        if changed:
            flows = flows.assign(quantity=self.quantity, value=self.value)[self.alive]
        if added:
            flows = pd.concat([flows, self._addition(flows, added)], ignore_index=True)
        firms = self.firms
        if self._removed_firms:  # before the additions: a removed firm may be added again
            firms = firms.drop(index=list(self._removed_firms))
        if self._new_firms:
            firms = pd.concat([firms, *self._new_firms.values()])
            if HAZARDOUS in firms:  # nullable booleans, as read (a new firm's NaN is <NA>)
                firms[HAZARDOUS] = firms[HAZARDOUS].astype("boolean")
        return self.original.with_tables(firms=firms, flows=flows)  # its warnings, files


def _unit_text(unit: Any) -> str:
    """A flow's unit as text: '' for a link without one (empty, or missing)."""
    return unit if isinstance(unit, str) else ""


def _text(value: Any, column: str, edit: Edit, state: _State) -> str:
    if not isinstance(value, str) or not value.strip():
        state.fail(edit, column, f"{shown(value)} is not a non-empty text",
                   f'write {column} = "..."')  # fmt: skip
    return value.strip()
