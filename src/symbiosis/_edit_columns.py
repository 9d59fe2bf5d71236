"""The flow columns an edit changes beside ``quantity`` and ``value``, and the merge rule.

Part of the network being edited (:class:`~symbiosis._edit_state._State`, which inherits
:class:`_Columns`): the marks ``substitutable`` and ``hazardous`` and the spreads
``quantity_low``, ``quantity_high`` and ``uncertainty`` of the original rows are copied
into arrays only once an edit changes one of them; added rows hold theirs in their dicts.

The merge rule. A flow added (``[[add_flow]]``, or the part a ``[[redirect]]`` moves) that
is identical to exactly one live flow (same source, target, material key, category and
unit) is merged into it, so that the edited network never holds two rows that are one flow
(a flows file holding them is refused: "row repeats row N"):

- a quantity joins the one identical flow of known size; a link of unknown size joins the
  one identical link of unknown size (a link and the same link are one link);
- **hazardous**: the merged flow is hazardous when either part is (a flow holding
  hazardous waste is hazardous waste), an explicit ``no`` of the flow stays unless the
  addition is hazardous;
- **substitutable**: the mark is of the exchange (whether the receiver makes up for the
  loss of this input from this source), not of its tonnes: an addition that gives one
  (``substitutable = true`` or ``false``) sets it for the merged flow, as a
  ``[[mark_flow]]`` would; one that gives none (a redirected part never does) leaves the
  flow's own;
- **spreads**: the quantity added is exact, so the bounds ``quantity_low`` and
  ``quantity_high`` move by it and the relative ``uncertainty`` keeps the flow's absolute
  spread (``u * q / (q + added)``); a ``quality`` score stays as it is.

An edit that multiplies a flow (``scale_flow``, ``scale_material``, the part a redirect
leaves) multiplies its bounds with it (the relative spread, like ``uncertainty``, stays),
so that ``quantity_low <= quantity <= quantity_high`` still holds.

Complexity: O(f) once per column an edit first changes (a copy of the column), then O(1)
per flow changed.
"""

from __future__ import annotations

import contextlib
from typing import Any

import numpy as np
import pandas as pd

from .vocabulary import HAZARDOUS, SUBSTITUTABLE, material_key

__all__: list[str] = []

#: The yes-or-no marks of a flow (nullable booleans in the model).
MARKS = (SUBSTITUTABLE, HAZARDOUS)
#: The bounds of a flow's quantity, in its own unit: they follow the quantity.
BOUNDS = ("quantity_low", "quantity_high")
#: The relative standard deviation of a flow's quantity.
RELATIVE_SD = "uncertainty"


class _Columns:
    """The optional flow columns of the network being edited, and the merge rule (module
    docstring). Mixed into :class:`~symbiosis._edit_state._State`, whose ``base``, ``n``,
    ``added``, ``quantity``, ``value``, :meth:`find` and :meth:`scale` it uses."""

    base: pd.DataFrame
    n: int
    added: list[dict[str, Any]]
    quantity: np.ndarray
    value: np.ndarray
    _edited: dict[str, np.ndarray]

    def find(self, source, target, key, **equal: Any) -> np.ndarray:  # pragma: no cover
        raise NotImplementedError

    def scale(self, positions, factor: float, *, spreads: bool = True) -> None:  # pragma: no cover
        raise NotImplementedError

    def edited(self, column: str) -> np.ndarray:
        """``column`` over the original rows as the edits leave it, copied on the first
        change: objects (True, False, ``pd.NA``) for a mark, floats for a spread; a mark
        the table lacks starts as ``pd.NA`` everywhere. O(f) once."""
        if column not in self._edited:
            given = column in self.base
            if column in MARKS:
                self._edited[column] = (
                    self.base[column].to_numpy(dtype=object).copy()
                    if given
                    else np.full(self.n, pd.NA, dtype=object)
                )
            else:
                values = pd.to_numeric(self.base[column], errors="coerce")
                self._edited[column] = values.to_numpy(dtype=float, na_value=np.nan).copy()
        return self._edited[column]

    def set_mark(self, positions, column: str, value: bool) -> None:
        """Set the mark ``column`` of the flows at ``positions`` to ``value``."""
        for position in np.asarray(positions, dtype=np.int64).tolist():
            if position >= self.n:
                self.added[position - self.n][column] = value
            else:
                self.edited(column)[position] = value

    def mark(self, positions, substitutable: bool) -> None:
        """Mark the flows at ``positions`` substitutable (or not): the column
        :data:`~symbiosis.vocabulary.SUBSTITUTABLE`."""
        self.set_mark(positions, SUBSTITUTABLE, substitutable)

    def scale_spreads(self, positions: np.ndarray, factor: float) -> None:
        """Multiply the bounds of the flows at ``positions`` (original rows and added
        ones) by ``factor``, as their quantities are. O(len(positions))."""
        base = positions[positions < self.n]
        for column in BOUNDS:
            if column in self.base and len(base):
                with np.errstate(over="ignore"):
                    self.edited(column)[base] *= factor
        for position in positions[positions >= self.n].tolist():
            flow = self.added[position - self.n]
            for column in BOUNDS:
                if column in flow:
                    flow[column] = flow[column] * factor

    def _shift_spreads(self, position: int, before: float, quantity: float) -> None:
        """The spreads of the flow at an original row ``position`` of quantity ``before``
        once the exact ``quantity`` joins it: the bounds move by it, the relative
        uncertainty keeps the absolute spread."""
        for column in BOUNDS:
            if column in self.base:
                self.edited(column)[position] += quantity
        if RELATIVE_SD in self.base and before + quantity > 0:
            spread = self.edited(RELATIVE_SD)
            spread[position] = spread[position] * before / (before + quantity)

    def add_flow(self, source, target, material, category, quantity, info, extras) -> None:
        """Append a flow, or merge it into the one identical live flow (module docstring:
        a quantity into the one of known size, a link of unknown size into the one link of
        unknown size). ``extras``: the added flow's other columns (its marks, year, price)."""
        key = material_key(material)
        same = self.find(source, target, key, category=category, unit=info.text,
                         known=quantity is not None)  # fmt: skip
        if len(same) != 1:
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
            return
        position = int(same[0])
        self._merge_marks(position, extras)
        if quantity is None:
            return  # the link is there already
        before = float(self.quantity[position] if position < self.n else
                       self.added[position - self.n]["quantity"])  # fmt: skip
        if position < self.n:
            self._shift_spreads(position, before, quantity)
        if before > 0:
            self.scale([position], (before + quantity) / before, spreads=False)
        elif position < self.n:
            self.quantity[position] = quantity
            self.value[position] = quantity * info.factor
        else:
            self.added[position - self.n].update(
                quantity=float(quantity), value=quantity * info.factor
            )

    def _merge_marks(self, position: int, extras: dict[str, Any]) -> None:
        """The marks of the flow at ``position`` once an addition with ``extras`` joins it:
        hazardous when either is, the substitutable mark the addition gives (if any)."""
        if extras.get(SUBSTITUTABLE) is not None:  # the mark given holds for the exchange
            self.mark([position], extras[SUBSTITUTABLE])
        if extras.get(HAZARDOUS) is True:  # hazardous waste joined it: hazardous, whatever it was
            self.set_mark([position], HAZARDOUS, True)

    def _addition(self, flows: pd.DataFrame, added: list[dict[str, Any]]) -> pd.DataFrame:
        """The added rows as a frame of ``flows``' columns: marks as nullable booleans, a
        column they lack empty (text) or missing (numbers), a column of whole numbers or
        booleans of the table kept so (a year stays 2021, not 2021.0). An added flow
        without a year, in a table of one year, takes that year: the year a scenario
        edits (``--year``), not a flow "of every year". O(added) per column."""
        addition = pd.DataFrame(added)
        for column in flows.columns:
            if column in MARKS:  # nullable booleans, never NaN or ""
                addition[column] = pd.array([f.get(column, pd.NA) for f in added], dtype="boolean")
            elif column not in addition:
                numeric = pd.api.types.is_numeric_dtype(flows[column])
                addition[column] = np.nan if numeric else ""
        if "year" in flows:
            years = self.base["year"].dropna().unique()
            if len(years) == 1:
                addition["year"] = addition["year"].where(addition["year"].notna(), years[0])
        addition = addition[list(flows.columns)].astype({"row": flows["row"].dtype})
        for column in flows.columns:
            dtype = flows[column].dtype
            whole = pd.api.types.is_integer_dtype(dtype) or pd.api.types.is_bool_dtype(dtype)
            if column not in MARKS and whole and pd.api.types.is_extension_array_dtype(dtype):
                with contextlib.suppress(TypeError, ValueError):  # else as pandas joins them
                    addition[column] = addition[column].astype(dtype)
        return addition

    def with_columns(self, flows: pd.DataFrame, added: list[dict[str, Any]]) -> pd.DataFrame:
        """The original ``flows`` (every row, before the dead ones are dropped) with the
        columns the edits changed, and a mark column (all ``<NA>``) where an added row
        has a mark the table lacks. O(f) per such column."""
        columns = {}
        for column, values in self._edited.items():
            if column in MARKS:
                columns[column] = pd.array(values, dtype="boolean")
            else:
                columns[column] = values
        for column in MARKS:
            if column not in flows and column not in columns and any(column in f for f in added):
                columns[column] = pd.array([pd.NA] * len(flows), dtype="boolean")
        return flows.assign(**columns) if columns else flows
