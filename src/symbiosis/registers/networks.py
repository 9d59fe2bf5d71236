"""Yearly networks from summed shipments: firms.csv and flows.csv per year, and for all years.

Layout of the output folder (each folder a network ``symbiosis analyze`` reads)::

    NETWORK_DIR/firms.csv         every firm of every year
    NETWORK_DIR/flows.csv         every flow, with its ``year`` (the trends read this one)
    NETWORK_DIR/2019/firms.csv    the firms with a flow in 2019
    NETWORK_DIR/2019/flows.csv    the flows of 2019

A flow is one (year, sender, receiver, waste code, operation): ``material`` is the List of
Waste entry's title (:func:`~.codes.material_names`), ``category`` is ``waste``, ``quantity``
in ``t`` (rounded to the gram), and the columns ``waste_code`` (``17 04 05``, ``*`` when
hazardous), ``operation``, ``material_code`` (the same code, which the opportunities
catalogue matches) and ``shipments`` are kept as attributes.

The firms and their roles come from :mod:`.roles`: a receiver's recovery and disposal
operations are a node each (``ID`` and ``ID:disposal``) when it performs both, so that the
network's fates follow the register's operation codes.

Complexity: O(g log g) for g summed flows; the CSV text is built by Arrow's writer.
"""

from __future__ import annotations

import contextlib
import io
import os
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv

from ..errors import InputError, OutputError
from ..export.files import InputFile, write_files_atomic
from ..io.quantities import LARGEST, short_number
from .codes import formatted, low_list, material_names
from .names import chosen_names, names_warning
from .notes import id_warnings, interim_warnings, self_warnings, star_warnings
from .roles import nodes

__all__ = ["csv_bytes", "network_frames", "write_networks"]

FLOW_COLUMNS = (
    "source",
    "target",
    "material",
    "quantity",
    "unit",
    "category",
    "year",
    "waste_code",
    "operation",
    "material_code",
    "shipments",
)


def network_frames(
    table: pa.Table, names: pd.DataFrame | None = None
) -> tuple[pd.DataFrame, pd.DataFrame, tuple[str, ...]]:
    """The firms and flows (all years) of the summed shipments ``table``
    (:class:`~.reading.RegisterFlows`), each firm named by its most frequent name of
    ``names`` (:mod:`.names`), and the warnings of :mod:`.notes`. Raises InputError on a
    stated role that is not one. O(g log g) for g summed flows (names and codes looked up
    once per distinct code)."""
    flows = table.to_pandas()
    _check_totals(flows)
    counts = names if names is not None else pd.DataFrame(columns=["id", "name", "rows"])
    found = nodes(flows, chosen_names(counts) if names is not None else None)
    warnings = (
        star_warnings(flows)
        + interim_warnings(flows)
        + self_warnings(flows)
        + id_warnings(flows)
        + names_warning(counts)
    )
    return found.firms, _flows(flows, found.targets), warnings


def _check_totals(summed: pd.DataFrame) -> None:
    """Refuse years whose shipments add up to more tonnes than a network may hold
    (:data:`~symbiosis.io.quantities.LARGEST`, each row being at most that): the network
    written would be refused when loaded. O(g)."""
    totals = summed.groupby("year")["tonnes"].sum()
    over = totals[~(totals <= LARGEST)]  # infinite sums too
    if len(over):
        years = ", ".join(str(int(year)) for year in over.index)
        raise InputError(
            f"the shipments of {years} add up to more than {short_number(LARGEST)} t; "
            "check the quantities and their units"
        )


def _flows(summed: pd.DataFrame, targets: np.ndarray) -> pd.DataFrame:
    """The flows table (``targets``: the node each row goes to, :func:`~.roles.nodes`);
    names and codes are computed once per distinct code (O(g))."""
    position, codes = pd.factorize(summed["code"].fillna(""), sort=False)
    names, listed = material_names(), low_list()
    plain = np.array([formatted(c) if c else "" for c in codes], dtype=object)
    starred = np.array([formatted(c, True) if c else "" for c in codes], dtype=object)
    named = np.array([names.get(c) or f"waste {formatted(c)}" for c in codes], dtype=object)
    listed_hazardous = np.array([bool(c in listed and listed[c].hazardous) for c in codes])
    unlisted = np.array([c not in listed for c in codes])
    # the list decides for its entries (an entry without '*' is never hazardous: Decision
    # 2014/955/EU); the register's star only for codes the list does not have
    register_star = summed["hazardous"].fillna(0).to_numpy(bool) & unlisted[position]
    hazardous = register_star | listed_hazardous[position]
    waste_code = np.where(hazardous, starred[position], plain[position])
    coded = plain[position] != ""
    material = np.where(coded, named[position], summed["material"].fillna("").to_numpy(object))
    return pd.DataFrame(
        {
            "source": summed["sender"],
            "target": targets,
            "material": material,
            "quantity": summed["tonnes"].round(6),
            "unit": "t",
            "category": "waste",
            "year": summed["year"].astype("int32"),
            "waste_code": waste_code,
            "operation": summed["op"],
            "material_code": waste_code,
            "shipments": summed["shipments"].astype("int64"),
        },
        columns=list(FLOW_COLUMNS),
    )


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """``frame`` as CSV (UTF-8, header row, quotes where needed), every text exactly as the
    register wrote it. No leading apostrophe against spreadsheet formulas (OWASP's guard,
    which symbiosis's reports and exports add): these files are the inputs of symbiosis,
    whose reader keeps an apostrophe as text, so a guarded id (``'-ACME``) came back as
    another id than the register's (``-ACME``), and the cells are the register's own,
    which the register file holds as they are. O(cells), in Arrow."""
    buffer = io.BytesIO()
    pacsv.write_csv(pa.Table.from_pandas(frame, preserve_index=False), buffer)
    return buffer.getvalue()


def write_networks(
    firms: pd.DataFrame,
    flows: pd.DataFrame,
    folder: Path,
    *,
    protected: list[InputFile] | None = None,
) -> tuple[dict[int, tuple[int, int]], list[str]]:
    """Write the networks of every year and of all years under ``folder``, whole or not at
    all (:func:`~symbiosis.export.files.write_files_atomic`), replacing the year folders
    of an earlier import into it: returns year -> (firms, flows), and the years whose
    folders were removed (:func:`_stale_year_files`). O(g) plus the writes."""
    contents: dict[str | Path, str | bytes] = {
        folder / "firms.csv": csv_bytes(firms),
        folder / "flows.csv": csv_bytes(flows),
    }
    counts: dict[int, tuple[int, int]] = {}
    for year, rows in flows.groupby("year", sort=True):
        present = np.union1d(rows["source"].to_numpy(str), rows["target"].to_numpy(str))
        year_firms = firms[firms["id"].isin(present)]
        contents[folder / str(year) / "firms.csv"] = csv_bytes(year_firms)
        contents[folder / str(year) / "flows.csv"] = csv_bytes(rows)
        counts[int(year)] = (len(year_firms), len(rows))
    stale = _stale_year_files(folder, {str(year) for year in counts})
    aside = _set_aside(stale)
    try:
        write_files_atomic(contents, protected=protected or ())
    except BaseException:
        _put_back(aside)
        raise
    _remove(aside)
    return counts, sorted({path.parent.name for path in stale}, key=int)


def _stale_year_files(folder: Path, years: set[str]) -> list[Path]:
    """The ``firms.csv`` and ``flows.csv`` of the year folders under ``folder`` that this
    import does not write: a folder named by a number (``2018``; ``0`` from an earlier
    version), left by an earlier import. Other files are never touched. O(entries)."""
    if not folder.is_dir():
        return []
    stale = []
    for year in folder.iterdir():
        if not (year.name.isascii() and year.name.isdigit()) or year.name in years:
            continue
        if year.is_dir() and not year.is_symlink():
            stale += [year / name for name in _NETWORK_FILES if (year / name).is_file()]
    return sorted(stale)


_NETWORK_FILES = ("firms.csv", "flows.csv")


def _set_aside(files: list[Path]) -> list[tuple[Path, Path]]:
    """Rename each of ``files`` to a hidden name beside it (atomic, on the same disk), so
    that a failed write can put it back; the files set aside so far are put back when
    one cannot be. Raises OutputError then."""
    aside: list[tuple[Path, Path]] = []
    for path in files:
        hidden = path.with_name(f".{path.name}.{os.getpid()}.stale")
        try:
            path.rename(hidden)
        except OSError as exc:
            _put_back(aside)
            raise OutputError(
                f"{path}: cannot remove this network of an earlier import "
                f"({exc.strerror or exc}); remove its folder, or import into another "
                "folder; nothing was written"
            ) from None
        aside.append((path, hidden))
    return aside


def _put_back(aside: list[tuple[Path, Path]]) -> None:
    for path, hidden in reversed(aside):
        with contextlib.suppress(OSError):
            hidden.rename(path)


def _remove(aside: list[tuple[Path, Path]]) -> None:
    """Delete the files set aside, and their folders left empty."""
    for _, hidden in aside:
        with contextlib.suppress(OSError):
            hidden.unlink()
    for folder in {hidden.parent for _, hidden in aside}:
        with contextlib.suppress(OSError):
            folder.rmdir()  # only when empty: the user's other files stay
