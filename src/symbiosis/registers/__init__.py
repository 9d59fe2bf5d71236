"""Waste shipment registers in, yearly networks out (issue 17).

Authorities keep registers of waste shipments: every row a consignment with a date, a
sender, a receiver, a List of Waste code, the recovery or disposal operation (R1-R13,
D1-D15) and a quantity. :func:`import_registers` reads such files (CSV or Parquet), checks
every row inside the engine (:mod:`.reading`), sums the shipments per year, sender,
receiver, waste code and operation with one Ibis expression that runs on DuckDB or Spark
(:mod:`.aggregate`, :mod:`.engines`), gives each firm its role from the operations it
performs (:mod:`.codes`, :mod:`.networks`) and writes one network folder per year plus one
for all years.

The package sits at the io layer: it imports units, vocabulary, errors, io and
export.files, never analysis, report or the CLI. Ibis and DuckDB are imported only when a
register is read (``pip install "symbiosis[registers]"``; Spark: ``[spark]``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..export.files import InputFile
from .codes import OPERATION_ROLES, OPERATIONS, low_list, material_names
from .mapping import FIELDS, Mapping, read_mapping

__all__ = [
    "FIELDS",
    "OPERATIONS",
    "OPERATION_ROLES",
    "Mapping",
    "RegisterImport",
    "import_registers",
    "low_list",
    "material_names",
    "read_mapping",
    "steps",
]


@dataclass(frozen=True)
class RegisterImport:
    """What :func:`import_registers` wrote."""

    firms: pd.DataFrame
    """Every firm of every year: ``id``, ``name``, ``sector``, ``role``."""
    flows: pd.DataFrame
    """Every flow of every year (the columns of :data:`.networks.FLOW_COLUMNS`)."""
    years: dict[int, tuple[int, int]]
    """Year -> (firms, flows) of its network."""
    shipments: int
    """Shipment rows read."""
    warnings: tuple[str, ...] = ()


def steps(files: Sequence[Path], out: Path | None) -> int:
    """How many steps :func:`import_registers` reports to its ``progress``: one per file,
    then building the networks, then writing them (with ``out``). O(1)."""
    return len(files) + 1 + (out is not None)


def import_registers(
    files: Sequence[Path],
    out: Path | None,
    *,
    mapping: Mapping | None = None,
    engine: str = "duckdb",
    memory_limit: str = "1GB",
    session: object = None,
    progress: Callable[[str], None] | None = None,
) -> RegisterImport:
    """Read the register ``files``, sum them into yearly networks and write them to ``out``
    (nothing written when ``out`` is None).

    ``engine`` is ``duckdb`` (embedded; ``memory_limit`` bounds its memory, the rest
    spills to disk) or ``spark`` (``session``, or a new local session). Raises InputError
    with every bad row of every file (nothing is written then). Complexity: O(n) for n
    shipment rows in the engine, O(g log g) for the g flows in Python. ``progress``, if
    given, is called with each step's description as it starts: ``reading NAME`` for each
    file (the grouping scan: most of the time), ``building the networks``, and ``writing
    the networks`` with ``out`` (:func:`steps` of them in all).
    """
    from .engines import connect
    from .networks import network_frames, write_networks
    from .reading import read_registers

    step = progress or (lambda _: None)
    connection = connect(engine, memory_limit=memory_limit, session=session)
    try:
        summed = read_registers(files, mapping or Mapping(), connection, progress=step)
    finally:
        connection.close()
    step("building the networks")
    firms, flows, notes = network_frames(summed.table, summed.names)
    years: dict[int, tuple[int, int]] = {}
    warnings = summed.warnings + notes
    if out is not None:
        protected = [InputFile(Path(f), "a register file") for f in files]
        step("writing the networks")
        years, removed = write_networks(firms, flows, Path(out), protected=protected)
        if removed:
            warnings += (
                f"removed the network(s) of {', '.join(removed)} that an earlier import "
                f"wrote to {out} (these registers have no shipment then)",
            )
    else:
        for year, rows in flows.groupby("year"):
            ids = set(rows["source"]) | set(rows["target"])
            years[int(year)] = (len(ids), len(rows))
    return RegisterImport(firms, flows, years, summed.shipments, warnings)
