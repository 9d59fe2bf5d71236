"""Transport reach: how far a stream of a material may go to a receiver.

Steam and hot water cool and condense along their pipes, and reclaimed water is pumped to
its user: a receiver of them hundreds of km away is no opportunity, whatever the
catalogue row says. Solids go by truck, rail or ship, and valuable liquids by tanker: no
reach caps them. ``reach.csv`` (package data) gives, per material, the farthest distance
at which such a transfer is documented (a line built, a planning radius, a study's
search radius), with its source; the opportunities pass drops a receiver farther than
the stream's reach (:mod:`symbiosis.analysis.opportunities.reach`).

Columns of a reach file
    ============  ========  ==============================================================
    column        required  meaning
    ============  ========  ==============================================================
    ``material``  yes       a material or family of the taxonomy (``steam``, ``heat``), or
                            a material as flows name it
    ``reach_km``  yes       km (great circle) above 0; empty: no cap (a user row lifts a
                            shipped one so)
    ``source``    yes       the line, rule or study that gives the distance
    ``notes``               free text
    ============  ========  ==============================================================

A stream's reach is that of the row of its material's own name (its
:func:`~symbiosis.vocabulary.material_key`), else of its taxonomy material, else of that
material's family: ``steam`` has a row, so steam (and "LP steam", resolved to it) goes
10 km; ``district heat``, ``waste heat`` and ``warm water`` have none and take the
``heat`` family's. A material no row names has no cap.

User files add rows to the shipped table (:func:`load_reach`; a row of the same
material replaces the shipped one), or replace it. Errors are reported as
``file:row: column: what is wrong; what to do``, every problem of every file at once.

Complexity: reading is O(rows); :meth:`Reach.of` is a dictionary lookup per name.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

import numpy as np

from ..errors import InputError, Problem
from ..io.problems import in_row_order
from ..vocabulary import material_key
from . import figures
from .reading import read_with_columns

__all__ = ["REACH_COLUMNS", "Reach", "default_reach", "load_reach", "read_reach"]

#: The columns of a reach file; all but ``notes`` are required.
REACH_COLUMNS: tuple[str, ...] = ("material", "reach_km", "source", "notes")
_REQUIRED = ("material", "reach_km", "source")


@dataclass(frozen=True)
class Reach:
    """Reach per material key: km (``inf`` for a row that lifts the cap), the material
    as its row writes it, and the files read (shipped first)."""

    km: dict[str, float]
    names: dict[str, str]
    files: tuple[str, ...] = ()

    def of(self, *names: str | None) -> float:
        """The reach of the first of ``names`` (materials, families or flow names) that a
        row names, ``inf`` when none does. O(names)."""
        for name in names:
            if name:
                found = self.km.get(material_key(name))
                if found is not None:
                    return found
        return np.inf

    def capped(self) -> dict[str, float]:
        """The materials with a cap (as their rows write them) and their km, in table
        order: what a result's parameters show."""
        return {self.names[k]: km for k, km in self.km.items() if km < np.inf}


def read_reach(path: str | Path, *, shown: str | None = None) -> Reach:
    """Read and validate one reach file; raise :class:`InputError` with every problem."""
    table = read_with_columns(path, _REQUIRED, shown=shown)
    frame, rows, file = table.frame, table.rows, table.path
    problems: list[Problem] = []

    def add(position: int, column: str | None, what: str, hint: str) -> None:
        problems.append(Problem(file, int(rows[position]), column, what, hint))

    cells = {c: [str(t) for t in frame[c]] for c in _REQUIRED}
    km = figures.reaches(cells, add, table.decimal_comma)
    first: dict[str, int] = {}
    found: dict[str, float] = {}
    names: dict[str, str] = {}
    for position, (material, source) in enumerate(zip(cells["material"], cells["source"],
                                                      strict=True)):  # fmt: skip
        key = material_key(material) if material else ""
        if not key:
            add(
                position,
                "material",
                "material is empty",
                "name a material or a family of "
                "the taxonomy (e.g. steam, heat), or a material as your flows name it",
            )
        elif key in first:
            add(position, "material", f"'{material}' is listed again (first on row "
                f"{first[key]})", "keep one row per material")  # fmt: skip
        else:
            first[key] = int(rows[position])
            found[key] = float(km[position]) if km[position] > 0 else np.inf
            names[key] = material
        if not source:
            add(position, "source", "source is empty",
                "cite the line, rule or study that gives the distance")  # fmt: skip
    if problems:
        raise InputError(in_row_order(problems))
    return Reach(found, names, (file,))


@cache
def default_reach() -> Reach:
    """The shipped ``reach.csv`` (read once per process)."""
    name = resources.files("symbiosis.catalogue") / "reach.csv"
    with resources.as_file(name) as path:
        return read_reach(path, shown="reach.csv")


def load_reach(paths: str | Path | list | tuple | None = None, *, replace: bool = False) -> Reach:
    """The shipped reach with the rows of user files added (a row of a material already
    listed replaces it), or, with ``replace``, the files' rows alone. Every problem of
    every file is reported at once. O(rows)."""
    if paths is None or isinstance(paths, str | Path):
        paths = [] if paths is None else [paths]
    shipped = default_reach()
    km = {} if replace else dict(shipped.km)
    names = {} if replace else dict(shipped.names)
    files = [] if replace else list(shipped.files)
    problems: list[Problem] = []
    for path in paths:
        try:
            read = read_reach(path)
        except InputError as exc:
            problems.extend(exc.problems)
            continue
        km.update(read.km)
        names.update(read.names)
        files.extend(read.files)
    if problems:
        raise InputError(problems)
    return Reach(km, names, tuple(files))
