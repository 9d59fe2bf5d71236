"""Rendering results as rich tables (text output only; nothing is computed here)."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import TYPE_CHECKING

from rich.markup import escape

if TYPE_CHECKING:
    import pandas as pd
    from rich.table import Table


def number(value: object, unit: str = "") -> str:
    """A number for people: thousands separators, about four significant digits."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        text = f"{value:,}"
    elif isinstance(value, float):
        magnitude = abs(value)
        if magnitude == 0:
            text = "0"
        elif magnitude >= 1000:
            text = f"{value:,.0f}"
        elif magnitude >= 1:
            text = f"{value:,.4g}" if magnitude < 100 else f"{value:,.1f}"
        else:
            text = f"{value:.4g}"
    else:
        return escape(str(value))
    return f"{text} {unit}".rstrip()


def share(value: object) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    return f"{100 * float(value):.1f} %"


def frame_table(
    frame: pd.DataFrame,
    title: str,
    *,
    units: Mapping[str, str] | None = None,
    shares: tuple[str, ...] = (),
    max_rows: int = 50,
) -> Table:
    """A rich table of ``frame`` (index included), numbers formatted, names escaped."""
    import pandas as pd
    from rich.table import Table

    units = units or {}
    table = Table(title=escape(title), title_justify="left", show_edge=False, pad_edge=False)
    index_names = [n for n in frame.index.names if n is not None]
    shown = frame.reset_index() if index_names else frame
    for column in shown.columns:
        numeric = pd.api.types.is_numeric_dtype(shown[column])
        table.add_column(escape(str(column)), justify="right" if numeric else "left")
    for record in shown.head(max_rows).itertuples(index=False):
        cells = []
        for column, value in zip(shown.columns, record, strict=True):
            if column in shares:
                cells.append(share(value))
            else:
                cells.append(number(value, units.get(column, "")))
        table.add_row(*cells)
    if len(shown) > max_rows:
        table.caption = f"{max_rows} of {len(shown):,} rows shown"
    return table
