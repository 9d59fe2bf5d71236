"""The sector-by-sector matrix (heat map) of the aggregated network page.

Rows are the sending groups, columns the receiving ones (actors' sectors first, then the
boundary roles); one table per dimension, since tonnes are never added to gigajoules. A
cell's quantity is the sum of the aggregated links of that (row, column) pair in that
dimension, across categories: a sum of flows, read from the link table of
:mod:`.network_aggregate` (the exporter computes no metric). Colour: a log scale from the
smallest to the largest cell of the table (a sequential blue ramp); the exact value is in
the cell's tooltip (``title``) and in ``data-v``. Names are escaped.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from ..units import DIMENSIONS
from .markup import esc, format_quantity, quantity_unit, short_label

__all__ = ["RAMP", "cell_color", "matrix_html", "matrix_values"]

#: Light to dark blue (ColorBrewer "Blues", 7 classes): readable on white, colour-blind safe.
RAMP = ("#eff3ff", "#c6dbef", "#9ecae1", "#6baed6", "#4292c6", "#2171b5", "#084594")


def matrix_values(nodes: pd.DataFrame, edges: pd.DataFrame, dimension: str) -> np.ndarray:
    """Square array (groups x groups, in the order of ``nodes``' rows): the summed
    ``value`` of the links of ``dimension`` from row group ``s`` to column group ``t``;
    NaN where no link of known size. O(links)."""
    n = len(nodes)
    matrix = np.zeros((n, n))
    known = np.zeros((n, n), dtype=bool)
    rows = edges[(edges["dimension"] == dimension) & edges["value"].notna()]
    s, t = rows["s"].to_numpy(dtype=np.int64), rows["t"].to_numpy(dtype=np.int64)
    np.add.at(matrix, (s, t), rows["value"].to_numpy(dtype=float))
    known[s, t] = True
    return np.where(known, matrix, np.nan)


def cell_color(value: float, low: float, high: float) -> str:
    """The ramp colour of ``value`` on a log scale from ``low`` to ``high`` (both > 0)."""
    if high <= low:
        return RAMP[-1]
    share = (math.log(value) - math.log(low)) / (math.log(high) - math.log(low))
    return RAMP[min(len(RAMP) - 1, max(0, int(share * len(RAMP))))]


def matrix_html(nodes: pd.DataFrame, edges: pd.DataFrame, dimensions: list[str]) -> str:
    """One ``<table>`` per dimension present (the first visible, the others ``hidden``),
    with a colour legend. O(groups^2 x dimensions)."""
    order = sorted(range(len(nodes)), key=lambda i: (not nodes["actor"].iat[i], i))
    names = [str(nodes["name"].iat[i]) for i in order]
    parts = []
    for index, dimension in enumerate(d for d in DIMENSIONS if d in dimensions):
        values = matrix_values(nodes, edges, dimension)[np.ix_(order, order)]
        hidden = "" if index == 0 else " hidden"
        parts.append(
            f'<div class="sym-matrix" data-dimension="{esc(dimension)}"{hidden}>'
            + _table(values, names, dimension)
            + "</div>"
        )
    return "".join(parts)


def _table(values: np.ndarray, names: list[str], dimension: str) -> str:
    positive = values[np.nan_to_num(values) > 0]
    low = float(positive.min()) if positive.size else 1.0
    high = float(positive.max()) if positive.size else 1.0
    unit = quantity_unit(dimension)  # within network_html: per year, or over its years
    head = "".join(
        f'<th scope="col" title="{esc(n)}"><span>{esc(short_label(n, 18))}</span></th>'
        for n in names
    )
    rows = [f'<table><thead><tr><th class="sym-corner">from \\ to</th>{head}</tr></thead><tbody>']
    for i, sender in enumerate(names):
        cells = []
        for j, receiver in enumerate(names):
            value = values[i, j]
            if math.isnan(value):
                cells.append("<td></td>")
                continue
            color = cell_color(value, low, high) if value > 0 else "#ffffff"
            tip = f"{sender} → {receiver}: {format_quantity(value, dimension)}"
            cells.append(
                f'<td style="background:{color}" data-v="{float(value)!r}" title="{esc(tip)}"></td>'
            )
        rows.append(
            f'<tr><th scope="row" title="{esc(sender)}">{esc(short_label(sender, 24))}</th>'
            + "".join(cells)
            + "</tr>"
        )
    rows.append("</tbody></table>")
    legend = "".join(f'<span style="background:{c}"></span>' for c in RAMP)
    rows.append(
        f'<p class="sym-ramp">{esc(format_quantity(low, dimension))} {legend} '
        f"{esc(format_quantity(high, dimension))} (log scale, {esc(unit)}; "
        "sum over categories of the flows from the row's group to the column's)</p>"
    )
    return "".join(rows)
