"""A network written as the files it is read from: ``firms.csv`` and ``flows.csv``.

What a scenario made (``symbiosis scenario --network DIR``,
:attr:`~symbiosis.analysis.indicators.ScenarioResult.network_after`), or any network, as
a folder that ``symbiosis analyze``, ``compare`` and :func:`symbiosis.load` read back to
the same network, and that other tools open as plain CSV:

``firms.csv``
    ``id``, then the firms table's columns as the model holds them: ``name``, ``sector``,
    ``role`` (its canonical name), ``lat``, ``lon``, ``hazardous`` and the input's own
    columns; not the derived ``actor`` and ``row``.
``flows.csv``
    the flows table's columns: ``source``, ``target``, ``material``, ``category``
    (canonical), ``quantity`` and ``unit`` as the flow states them, ``year``, ``price``,
    the spreads, ``substitutable``, ``hazardous`` and the input's own columns; not the
    derived ``material_key``, ``value``, ``dimension`` and ``row``.

A mark (``substitutable``, ``hazardous``) is written ``yes``, ``no`` or left empty, a
whole-number column (``year``) as whole numbers, a float with the digits that read back
to the same float, and every text as it is (:func:`~symbiosis.export.csv.network_csv_text`:
no apostrophe before a formula's first character, which symbiosis would keep as text).
Read back, the network has the same nodes, flows, quantities in their units, marks,
years and coordinates; only the rows are numbered anew. A network holding what no
flows file may hold (two rows that repeat each other cell for cell) is read back with
the reader's own message.

Both files are written together or neither (:func:`~symbiosis.export.files.write_files_atomic`),
never over an input file, and never into the folder of the network's own files (a
``firms.csv`` written beside its flows file would change what that folder reads as).
An existing folder is written into: its ``firms.csv`` and ``flows.csv`` are replaced, its
other files left alone (as ``reconcile --out`` does).

Complexity: O(cells) to format the tables, one pass per boolean column.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from .csv import network_csv_text
from .files import InputFile, ProtectedFileError, write_files_atomic

if TYPE_CHECKING:
    from ..model import FlowNetwork

__all__ = ["NETWORK_FILES", "network_file_texts", "network_outputs", "write_network"]

#: The files a written network holds, in its folder.
NETWORK_FILES = ("firms.csv", "flows.csv")


def network_file_texts(network: FlowNetwork) -> dict[str, str]:
    """``{"firms.csv": text, "flows.csv": text}``: the network as the CSV files it reads
    back from (module docstring). O(cells)."""
    from ..model import DERIVED_FIRM_COLUMNS, DERIVED_FLOW_COLUMNS, require_network

    require_network(network)
    firms = network.firms.drop(columns=list(DERIVED_FIRM_COLUMNS), errors="ignore")
    firms = firms.rename_axis("id").reset_index()
    flows = network.flows.drop(columns=list(DERIVED_FLOW_COLUMNS), errors="ignore")
    return {"firms.csv": network_csv_text(_as_cells(firms)),
            "flows.csv": network_csv_text(_as_cells(flows))}  # fmt: skip


def _as_cells(table: pd.DataFrame) -> pd.DataFrame:
    """``table`` with its boolean columns as ``yes``, ``no`` or empty, as the yes-or-no
    columns are written (``True`` would read back too, but says less to a person)."""
    table = table.copy()
    for column in table.columns:
        if pd.api.types.is_bool_dtype(table[column].dtype):
            marks = table[column].astype("boolean")
            words = marks.map({True: "yes", False: "no"}, na_action="ignore")
            table[column] = words.astype(object).where(marks.notna(), "")
    return table


def network_outputs(networks: Mapping[Path, FlowNetwork]) -> dict[str | Path, str | bytes]:
    """The files of each network, by folder (``{folder: network}``): ``folder/firms.csv``
    and ``folder/flows.csv``, for one write set. Raises
    :class:`~symbiosis.export.files.ProtectedFileError` (exit code 2) for a folder that
    holds one of its network's own files, before anything is made. O(cells)."""
    for folder, network in networks.items():
        _check_folder(Path(folder), network.source_files)
    return {
        Path(folder) / name: text
        for folder, network in networks.items()
        for name, text in network_file_texts(network).items()
    }


def write_network(
    network: FlowNetwork, folder: str | os.PathLike[str], *, protected: Iterable[Path] = ()
) -> list[Path]:
    """Write ``network`` into ``folder`` as ``firms.csv`` and ``flows.csv`` (module
    docstring), both or neither, never over the network's own files nor any of
    ``protected``; returns the paths written.

    Raises
    ------
    ProtectedFileError
        ``folder`` is the folder of the network's own files, or a file would replace an
        input (exit code 2).
    OutputError
        The files cannot be written (nothing is).

    Notes
    -----
    O(cells) to format, then the write set.
    """
    if not isinstance(folder, str | os.PathLike) or not str(folder).strip():
        from ..errors import InputError

        raise InputError(f"folder must be the path of a folder to write (got {folder!r})")
    contents = network_outputs({Path(folder): network})
    return write_files_atomic(contents, protected=(*network.source_files, *protected))


def _check_folder(folder: Path, own: Iterable[Path]) -> None:
    """Refuse the folder of one of the network's own files: writing there would replace
    them, or put a firms.csv beside its flows file that loading that folder would read."""
    for path in own:
        parent = InputFile(Path(path).parent)
        if parent.is_named_by(folder):
            raise ProtectedFileError(
                f"{folder}: refusing to write a network into the folder of the network's "
                f"own files ({Path(path).name}); give another folder"
            )
