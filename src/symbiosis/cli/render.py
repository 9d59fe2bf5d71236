"""Rendering results as rich tables (text output only; nothing is computed here).

Text from the input files (ids, names, materials, sectors) may hold anything: ANSI and OSC
escape sequences, other control characters, bidi overrides that reorder what the terminal
shows, or rich markup such as ``[bold]``. :func:`terminal_text` shows each such character
as an escape (``\\x1b``, ``\\u202e``), and :func:`markup_safe` also escapes rich markup; every
cell, column name and title of :func:`frame_table` goes through them, and the CLI's
consoles apply :func:`terminal_text` to every string they print (``cli.app``).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from rich.markup import escape

if TYPE_CHECKING:
    import pandas as pd
    from rich.table import Table


# Bidi_Control (Unicode): the embeddings, overrides, isolates and marks that reorder text.
_BIDI = (0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A))


def _escapes(keep: str) -> dict[int, str]:
    """A str.translate table: C0 and C1 controls, DEL and the bidi controls to escapes,
    except the characters of ``keep``."""
    table = {code: f"\\x{code:02x}" for code in (*range(0x20), *range(0x7F, 0xA0))}
    table.update({ord("\n"): "\\n", ord("\r"): "\\r", ord("\t"): "\\t"})
    table.update({code: f"\\u{code:04x}" for code in _BIDI})
    for char in keep:
        table.pop(ord(char))
    return table


_ONE_LINE = _escapes("")
_LINES = _escapes("\n\t")


def terminal_text(text: str, *, lines: bool = False) -> str:
    """``text`` with every control character (C0, DEL, C1) and bidi control shown as an
    escape, so that nothing in it acts on the terminal: ESC as ``\\x1b``, U+202E as
    ``\\u202e``, a newline as ``\\n``. ``lines=True`` keeps newlines and tabs. O(len)."""
    return text.translate(_LINES if lines else _ONE_LINE)


def markup_safe(text: object) -> str:
    """Text from the input, ready to go into a rich markup string: one line, control
    characters escaped (:func:`terminal_text`), and ``[...]`` not read as markup."""
    return escape(terminal_text(str(text)))


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
        return markup_safe(value)
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
    table = Table(title=markup_safe(title), title_justify="left", show_edge=False, pad_edge=False)
    index_names = [n for n in frame.index.names if n is not None]
    shown = frame.reset_index() if index_names else frame
    for column in shown.columns:
        numeric = pd.api.types.is_numeric_dtype(shown[column])
        table.add_column(markup_safe(column), justify="right" if numeric else "left")
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


def headline_tables(network: Any, data: Mapping[str, Any]) -> list[Table]:
    """The headline block of the HTML report as rich tables: the big numbers (value and
    label), then the headline indicators with one column per dimension. ``data`` holds
    the sections' dicts by name; the choice and the formatting of the numbers are the
    report's (:mod:`symbiosis.export.report_headline`). O(indicators x dimensions)."""
    from rich.table import Table

    from ..export.report_headline import headline_cards, headline_rows, headline_text

    tables = []
    cards = headline_cards(network, data)
    if cards:
        grid = Table(title="Headline", title_justify="left", show_header=False, box=None)
        grid.add_column(justify="right", style="bold")
        grid.add_column()
        for value, label in cards:
            grid.add_row(markup_safe(value), markup_safe(label))
        tables.append(grid)
    rows = headline_rows(network, data)
    if rows:
        dims = list(network.dimensions)
        table = Table(show_edge=False, pad_edge=False)  # cells carry their units
        table.add_column("indicator")
        for dimension in dims:
            table.add_column(markup_safe(dimension), justify="right")
        for label, kind, values in rows:
            cells = [headline_text(v, kind, d) for v, d in zip(values, dims, strict=True)]
            table.add_row(markup_safe(label), *(markup_safe(c) for c in cells))
        tables.append(table)
    return tables
