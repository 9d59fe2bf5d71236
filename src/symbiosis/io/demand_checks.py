"""The rules of demand rows against a network (:func:`~symbiosis.io.demands.check_demands`).

Refused: a firm that is not a node of the network (with the flows' "did you mean", naming
the characters that differ when they look alike, :func:`~symbiosis.io.ids.difference`); a
boundary node as the firm (it never receives a proposal); a material the network carries by
that very name in another dimension only (the unit is wrong). Warned about: a material no
flow carries, by name, through the taxonomy or by a shared code, or only in another
dimension under other names: the row sets no capacity; a quantity below what the firm
takes of the material now: the row leaves it no room. The materials are matched as the
opportunities pass matches them (:mod:`symbiosis.analysis.opportunities.capacity`).

Complexity: one dictionary lookup per row; the dimensions of the network's materials in
O(flows) once; one taxonomy resolution per distinct material name of the network, only
when a row names none of them directly.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import pyarrow as pa

from ..catalogue import normalise_code
from ..units import CANONICAL_UNITS, DIMENSIONS
from ..vocabulary import material_key
from .flows import IdGuesses
from .ids import difference
from .problems import MAX_ROWS_PER_RULE, Collector, rows_like_above, shorten

if TYPE_CHECKING:
    from ..model import FlowNetwork
    from ..taxonomy import Taxonomy
    from .demands import Demand

__all__ = ["check_against"]

_LISTED = 5  # rows named in a warning; the others are counted


def check_against(
    entries: list[Demand],
    network: FlowNetwork,
    taxonomy: Taxonomy | str | Path | None,
    found: Collector,
) -> None:
    """Add the problems and warnings of ``entries`` against ``network`` to ``found``
    (module docstring). Entries whose firm or dimension is unknown (``""``: refused by
    the file's rules already) skip the rules that need it."""
    _check_firms(entries, network, found)
    materials = _Materials(network, taxonomy)
    wrong: list[tuple[Demand, str]] = []
    unused: dict[str, list[str]] = {}
    elsewhere: dict[str, list[str]] = {}
    for entry in entries:
        if not entry.dimension or not (entry.material or entry.codes):
            continue
        dimensions, by_name = materials.dimensions(entry)
        if DIMENSIONS.index(entry.dimension) in dimensions:
            continue
        if by_name:
            wrong.append((entry, DIMENSIONS[min(by_name)]))
        else:
            kind = elsewhere if dimensions else unused
            kind.setdefault(entry.file, []).append(f"{_named(entry)} (row {entry.row})")

    def dimension_problem(item: tuple[Demand, str]) -> tuple[str, str]:
        entry, carried = item
        unit = CANONICAL_UNITS[carried]
        return (
            f"the network's flows of '{shorten(entry.material)}' are {carried} ({unit}), "
            f"but this row's unit is one of {entry.dimension}",
            f"give the quantity in a unit of {carried} (e.g. {unit}), as its flows are",
        )

    _add_listed(found, wrong, "unit", dimension_problem)
    _check_totals(entries, network, materials, found)
    for file, listed in unused.items():
        found.warnings.append(
            f"{file}: material: {len(listed)} row(s) name a material that no flow of the "
            f"network carries (by name, through the taxonomy or by material code): "
            f"{_listing(listed)}; they set no capacity"
        )
    for file, listed in elsewhere.items():
        found.warnings.append(
            f"{file}: unit: {len(listed)} row(s) name a material that the network carries "
            f"only in another dimension: {_listing(listed)}; they set no capacity"
        )


def _check_totals(entries: list[Demand], network: FlowNetwork, materials, found) -> None:
    """A warning for each row whose quantity is below what its firm takes of that material
    now (by name, taxonomy material or code, in the row's dimension): a demand is the
    firm's total intake, so the row leaves no room; a file written when it meant an amount
    on top reads so. O(f) once for the flows into the rows' firms, then O(their flows)
    per row."""
    core = network.core
    position = {str(node): at for at, node in enumerate(core.ids.tolist())}
    rows = [e for e in entries if e.firm in position and e.dimension and e.value == e.value]
    if not rows:
        return
    into = np.flatnonzero(np.isin(core.target, [position[e.firm] for e in rows])
                          & (core.dimension >= 0) & ~np.isnan(core.value))  # fmt: skip
    target, dimension, value = core.target[into], core.dimension[into], core.value[into]
    keys = core.material_key_code[into]
    names = core.material_code[into]
    codes = materials.codes_of(into)
    for entry in rows:
        mine = (target == position[entry.firm]) & (dimension == DIMENSIONS.index(entry.dimension))
        if not mine.any():
            continue
        same = materials.same_material(entry, keys, names, codes)
        taken = float(value[mine & same].sum())
        if taken > entry.value:
            unit = CANONICAL_UNITS[entry.dimension]
            found.warnings.append(
                f"{entry.file}:{entry.row}: quantity: {_named(entry)} for "
                f"'{shorten(entry.firm, 40)}' is {entry.value:,.6g} {unit} in all, less than "
                f"the {taken:,.6g} {unit} it takes now: a demand is the firm's total intake "
                "of the material, what it takes now included, so this row leaves it no room "
                f"(for {entry.value:,.6g} {unit} more, write {taken + entry.value:,.6g})"
            )


def _check_firms(entries: list[Demand], network: FlowNetwork, found: Collector) -> None:
    """A firm not in the network, with a guess at the id meant; a boundary node."""
    core = network.core
    ids = [str(i) for i in core.ids.tolist()]
    position = {node: at for at, node in enumerate(ids)}
    guesses = IdGuesses(pa.array(ids, pa.string()))
    hints: dict[str, str] = {}

    def unknown(entry: Demand) -> tuple[str, str]:
        if entry.firm not in hints:
            guess = guesses.guess(entry.firm)
            hints[entry.firm] = (
                f"did you mean '{guess}'?{difference(entry.firm, guess)}"
                if guess
                else "use an id of firms.csv (or of flows.csv)"
            )
        return f"'{shorten(entry.firm)}' is not in the network", hints[entry.firm]

    def boundary(entry: Demand) -> tuple[str, str]:
        role = core.role[position[entry.firm]]
        return (
            f"'{shorten(entry.firm)}' is a boundary node ({role}), not a firm",
            "a demand is what a firm of the network could take: name a firm, not a "
            "market, disposal or environment node",
        )

    named = [entry for entry in entries if entry.firm]
    _add_listed(found, [e for e in named if e.firm not in position], "firm", unknown)
    outside = [e for e in named if e.firm in position and not core.actor[position[e.firm]]]
    _add_listed(found, outside, "firm", boundary)


def _add_listed(found: Collector, items: list, column: str, message: Callable) -> None:
    """One problem per item (``message(item)``: its message and hint), located at its
    entry's file and row, the first :data:`MAX_ROWS_PER_RULE`; then one counting the
    rest, as the network's rules list them."""

    def entry(item) -> Demand:
        return item[0] if isinstance(item, tuple) else item

    for item in items[:MAX_ROWS_PER_RULE]:
        found.add(entry(item).file, entry(item).row, column, *message(item))
    rest = items[MAX_ROWS_PER_RULE:]
    if rest:
        first, last = entry(rest[0]), entry(rest[-1])
        hint = message(rest[0])[1]
        found.problems.append(
            rows_like_above(first.file, column, len(rest), hint, (first.row, last.row))
        )


def _named(entry: Demand) -> str:
    if entry.material:
        return f"'{shorten(entry.material, 40)}'"
    return "material code " + "; ".join(entry.codes)


def _listing(listed: list[str]) -> str:
    shown = ", ".join(listed[:_LISTED])
    return shown + (f" and {len(listed) - _LISTED} more" if len(listed) > _LISTED else "")


class _Materials:
    """The dimensions the network carries each material in: by key, by code, by taxonomy
    material, each built on first use and cached on the network's core (the command line
    checks a file as it reads it, and the opportunities pass its rows again)."""

    def __init__(self, network: FlowNetwork, taxonomy: Taxonomy | str | Path | None):
        self.network, self.given = network, taxonomy

    def _grouped(self, codes: np.ndarray, names: Iterable) -> dict:
        """The dimensions of the flows of each code (``codes`` per flow), by name."""
        unit_dimension = self.network.core.unit_dimension
        known = np.flatnonzero(unit_dimension >= 0)
        dimension = unit_dimension[known].astype(np.int64)
        pairs = np.unique(codes[known].astype(np.int64) * len(DIMENSIONS) + dimension)
        found: dict = {}
        names = list(names)
        for pair in pairs.tolist():
            found.setdefault(names[pair // len(DIMENSIONS)], set()).add(pair % len(DIMENSIONS))
        return found

    @cached_property
    def by_key(self) -> dict[str, set[int]]:
        core = self.network.core

        def build() -> dict[str, set[int]]:
            return self._grouped(core.material_key_code, (str(k) for k in core.material_keys))

        return core.cached(("demands", "dimensions by key"), build)

    @cached_property
    def by_code(self) -> dict[str, set[int]]:
        def build() -> dict[str, set[int]]:
            flows = self.network.flows
            if "material_code" not in flows:
                return {}
            cells = flows["material_code"].astype(object)
            number, distinct = pd.factorize(cells.where(cells.notna(), "").astype(str))
            found: dict[str, set[int]] = {}
            for text, dimensions in self._grouped(number, distinct).items():
                for part in str(text).split(";"):
                    if part.strip():
                        found.setdefault(normalise_code(part), set()).update(dimensions)
            return found

        return self.network.core.cached(("demands", "dimensions by code"), build)

    @cached_property
    def taxonomy(self) -> Taxonomy:
        from ..taxonomy import Taxonomy, default_taxonomy, load_taxonomy

        given = self.given
        return given if isinstance(given, Taxonomy) else (
            load_taxonomy(given) if given is not None else default_taxonomy()
        )  # fmt: skip

    @cached_property
    def by_class(self) -> dict[str, set[int]]:
        """By taxonomy material: one resolution per distinct material name."""
        core, taxonomy = self.network.core, self.taxonomy

        def build() -> dict[str, set[int]]:
            by_name = self._grouped(core.material_code, (str(m) for m in core.materials))
            found: dict[str, set[int]] = {}
            for name, dimensions in by_name.items():
                match = taxonomy.resolve(name)
                if match is not None:
                    found.setdefault(match.material, set()).update(dimensions)
            return found

        # keyed by the taxonomy itself (held: its id is not reused), as the pass keys it
        return core.cached(("demands", "dimensions by taxonomy", taxonomy), build)

    @cached_property
    def key_codes(self) -> dict[str, int]:
        return {str(k): c for c, k in enumerate(self.network.core.material_keys)}

    @functools.cache  # noqa: B019 (one per check: let go with it)
    def resolved(self, name_code: int) -> str | None:
        """The taxonomy material of the network's material name of that code."""
        match = self.taxonomy.resolve(str(self.network.core.materials[name_code]))
        return None if match is None else match.material

    def codes_of(self, flows: np.ndarray) -> list[frozenset[str]]:
        """The material codes of the flows at positions ``flows`` (none without the
        column). O(len(flows))."""
        table = self.network.flows
        if "material_code" not in table or not len(flows):
            return [frozenset()] * len(flows)
        cells = table["material_code"].to_numpy(dtype=object)[flows]
        return [frozenset(normalise_code(p) for p in str(c).split(";") if p.strip())
                if isinstance(c, str) else frozenset() for c in cells]  # fmt: skip

    def same_material(
        self, entry: Demand, keys: np.ndarray, names: np.ndarray, codes
    ) -> np.ndarray:
        """Which flows (by material key code, material name code and codes) carry the
        entry's material: the same key, the same taxonomy material, or a shared code."""
        same = np.zeros(len(keys), dtype=bool)
        if entry.material:
            key = material_key(entry.material)
            same |= keys == self.key_codes.get(key, -2)
            match = self.taxonomy.resolve(entry.material)
            if match is not None:
                of = {int(n): self.resolved(int(n)) for n in np.unique(names)}
                same |= np.isin(names, [n for n, m in of.items() if m == match.material])
        if entry.codes:
            wanted = set(entry.codes)
            same |= np.array([bool(wanted & c) for c in codes], dtype=bool)
        return same

    def dimensions(self, entry: Demand) -> tuple[set[int], set[int]]:
        """The dimensions of the flows the entry matches (by name, taxonomy or code), and
        of those it names directly. The taxonomy is only read when the others miss."""
        key = material_key(entry.material) if entry.material else None
        by_name = set(self.by_key.get(key, ())) if key is not None else set()
        found = set(by_name)
        for code in entry.codes:
            found |= self.by_code.get(code, set())
        if entry.material and DIMENSIONS.index(entry.dimension) not in found:
            match = self.taxonomy.resolve(entry.material)
            if match is not None:
                found |= self.by_class.get(match.material, set())
        return found, by_name
