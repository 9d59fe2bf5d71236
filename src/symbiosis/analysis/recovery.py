"""The official recovery rate by waste code chapter, from the operations a register records.

A network imported from a shipment register (``symbiosis register import``) keeps on each
flow its List of Waste code (``waste_code``) and the operation it went to (``operation``).
The Waste Framework Directive (2008/98/EC) classes every operation as *recovery* (Annex II,
R1-R13) or *disposal* (Annex I, D1-D15), so for each chapter of the List of Waste
(Commission Decision 2000/532/EC as amended by 2014/955/EU: ``17`` construction and
demolition wastes, ``10`` wastes from thermal processes, ...):

``recovery_rate = recovered / (recovered + disposed)``

with ``recovered`` the tonnes sent to an R operation and ``disposed`` those sent to a D
operation, both *final* operations only. ``preliminary`` shows the tonnes sent to the
interim operations R12, R13 and D13-D15 (exchange, blending, repackaging, storage before
another operation), which are in neither: the waste is counted where it goes on to its
final operation (a transfer station's onward shipment), not twice, as in Eurostat's
treatment statistics under the Waste Statistics Regulation (EC) No 2150/2002, whose
treatment types are R1, R2-R11 (and backfilling), D10, D1/D5/D12 and D2-D4/D6/D7 only.
The reuse accounts of :mod:`.reuse` read the network by the receiver's role, and the
importer gives a receiver that performs both kinds a node per kind (``ID`` and
``ID:disposal``), so that for the flows sent by actors to final operations ``recovered =
reused + sold`` and ``disposed = treated + disposed`` (docs/registers.md says where they
part: a stated role, flows a boundary node sends, interim operations). Flows without a
code are counted under the chapter ``""``; flows without a valid operation, or not in
tonnes, are left out.

Rows per chapter, one ``all`` row for the total, and per ``year`` when the flows have one.
A network without the two columns gives an empty result (its report has no such section).
:func:`overall_recovery_rate` is the one rate of all the flows given, every chapter and
year together: the ``recovery_rate`` the trends show per year (:mod:`.trends`, each year's
network, its undated flows included) and ``compare`` per network.

Complexity: O(f) for f flows (one group-by over the coded flows).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from .._frozen import FrozenResult
from ..model import FlowNetwork
from ..registers.codes import PRELIMINARY, chapter_title

__all__ = [
    "COLUMNS",
    "RecoveryRates",
    "has_register_columns",
    "overall_recovery_rate",
    "recovery_of_flows",
    "recovery_rates",
]

COLUMNS = ("waste_code", "operation")
TABLE_COLUMNS = (
    "year",
    "chapter",
    "title",
    "recovered",
    "disposed",
    "preliminary",
    "recovery_rate",
)


@dataclass(frozen=True)
class RecoveryRates(FrozenResult):
    """Recovered and disposed tonnes and the recovery rate per List of Waste chapter.

    Attributes
    ----------
    table : DataFrame
        :data:`TABLE_COLUMNS`: ``year`` (None without a year column), ``chapter`` (two
        digits, ``""`` for flows without a code, ``all`` for the total), ``title``,
        ``recovered``, ``disposed`` (t sent to final R and D operations),
        ``preliminary`` (t sent to R12, R13, D13-D15: in neither), ``recovery_rate`` (NaN
        when nothing was recovered or disposed).
    """

    table: pd.DataFrame

    def to_frame(self) -> pd.DataFrame:
        return self.table

    def to_dict(self) -> dict[str, Any]:
        """``{"unit": "t", "rows": [...]}``, NaN as None (JSON-ready)."""
        rows = self.table.astype(object).where(self.table.notna(), None)
        return {"unit": "t", "rows": rows.to_dict(orient="records")}

    def __bool__(self) -> bool:
        return not self.table.empty


def has_register_columns(network: FlowNetwork) -> bool:
    """Whether the flows carry a waste code and an operation (a register import's do)."""
    return all(column in network.flows.columns for column in COLUMNS)


def recovery_rates(network: FlowNetwork) -> RecoveryRates:
    """The recovery rate per List of Waste chapter (and year), from the flows' operations.

    Parameters
    ----------
    network : FlowNetwork
        Flows with ``waste_code`` and ``operation`` columns; without them the result is
        empty.

    Returns
    -------
    RecoveryRates

    Notes
    -----
    ``recovery_rate = recovered / (recovered + disposed)`` per chapter; see the module
    docstring. O(f) for f flows.

    References
    ----------
    Directive 2008/98/EC on waste, Annexes I (disposal) and II (recovery); Commission
    Decision 2000/532/EC (List of Waste) as amended by Decision 2014/955/EU.
    """
    return recovery_of_flows(network.flows)


def recovery_of_flows(flows: pd.DataFrame) -> RecoveryRates:
    """:func:`recovery_rates` of a flows table (``value`` in the canonical unit,
    ``dimension``, and the optional ``waste_code``, ``operation``, ``year``). O(f)."""
    if not all(column in flows.columns for column in COLUMNS):
        return RecoveryRates(pd.DataFrame(columns=list(TABLE_COLUMNS)))
    usable, recovered, disposed, preliminary = _classes(flows)
    code = flows["waste_code"].astype("string").fillna("").str.replace(r"[\s.*-]", "", regex=True)
    years = flows["year"] if "year" in flows.columns else pd.Series(None, index=flows.index)
    parts = pd.DataFrame(
        {
            "year": years.to_numpy(object)[usable],
            "chapter": code.str[:2].to_numpy(object)[usable],
            "recovered": recovered[usable],
            "disposed": disposed[usable],
            "preliminary": preliminary[usable],
        }
    )
    return RecoveryRates(_table(parts))


def overall_recovery_rate(network: FlowNetwork) -> float | None:
    """``recovered / (recovered + disposed)`` over every flow of ``network`` with a valid
    operation, in tonnes, whatever its chapter or year (the ``all`` row of
    :func:`recovery_rates` for a network of one year); None without the register columns
    (:func:`has_register_columns`) or when nothing went to a final R or D operation.
    O(f) for f flows, no group-by."""
    if not has_register_columns(network):
        return None
    usable, recovered, disposed, _ = _classes(network.flows)
    r, d = float(recovered[usable].sum()), float(disposed[usable].sum())
    return r / (r + d) if r + d > 0 else None


def _classes(flows: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Which flows count (in tonnes, of known size, to an R or D operation) and each
    flow's tonnes recovered, disposed and sent to an interim operation. O(f)."""
    operation = flows["operation"].astype("string").str.strip().str.upper().fillna("")
    letter = operation.str[:1]
    # interim operations: the waste is counted at its final operation, not twice
    interim = operation.isin(PRELIMINARY).to_numpy()
    usable = (
        (flows["dimension"] == "mass").to_numpy()
        & flows["value"].notna().to_numpy()
        & letter.isin(["R", "D"]).to_numpy()
    )
    value = flows["value"].to_numpy(float)
    recovered = np.where((letter == "R").to_numpy() & ~interim, value, 0.0)
    disposed = np.where((letter == "D").to_numpy() & ~interim, value, 0.0)
    return usable, recovered, disposed, np.where(interim, value, 0.0)


def _table(parts: pd.DataFrame) -> pd.DataFrame:
    sums = ["recovered", "disposed", "preliminary"]
    by_chapter = parts.groupby(["year", "chapter"], dropna=False, sort=True)[sums].sum()
    total = parts.groupby("year", dropna=False, sort=True)[sums].sum()
    total["chapter"] = "all"
    table = pd.concat([by_chapter.reset_index(), total.reset_index()], ignore_index=True)
    table["title"] = table["chapter"].map(
        lambda c: "all chapters" if c == "all" else chapter_title(c) or "(no code)"
    )
    treated = table["recovered"] + table["disposed"]
    with np.errstate(divide="ignore", invalid="ignore"):
        table["recovery_rate"] = np.where(treated > 0, table["recovered"] / treated, np.nan)
    table["year"] = table["year"].astype(object).where(table["year"].notna(), None)
    order = table.assign(_total=table["chapter"] == "all").sort_values(
        ["year", "_total", "chapter"], kind="stable", na_position="first"
    )
    return order[list(TABLE_COLUMNS)].reset_index(drop=True)
