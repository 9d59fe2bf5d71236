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
import re
from collections.abc import Mapping
from copy import copy
from dataclasses import replace
from itertools import chain, groupby
from operator import le
from typing import TYPE_CHECKING, Any

from rich.cells import cell_len
from rich.markup import escape
from rich.segment import Segment, Segments
from rich.table import Row, Table
from rich.text import Text

from .._percent import percent, plain_number
from .._visible import escapes

if TYPE_CHECKING:
    from collections.abc import Iterator

    import numpy as np
    import pandas as pd
    from rich.console import Console, ConsoleOptions, RenderResult
    from rich.containers import Lines


_ONE_LINE = escapes("")
_LINES = escapes("\n\t")


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
    """A number for people: thousands separators, about four significant digits, no
    trailing zeros below 1,000 (``140``, ``140.5``, ``86``, ``0.25``), none after the
    point from 1,000 (``1,050``)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        text = f"{value:,}"
    elif isinstance(value, float):
        text = plain_number(value)  # as the warnings write them
    else:
        return markup_safe(value)
    return f"{text} {unit}".rstrip()


def share(value: object) -> str:
    """A fraction as a percentage, as the HTML report shows it
    (:func:`~symbiosis._percent.percent`)."""
    return percent(value)


def frame_table(
    frame: pd.DataFrame,
    title: str,
    *,
    units: Mapping[str, str] | None = None,
    shares: tuple[str, ...] = (),
    max_rows: int = 50,
    hide: tuple[str, ...] = (),
    headers: Mapping[str, str] | None = None,
    rows: int | None = None,
    right: tuple[str, ...] = ("km",),
) -> Table:
    """A rich table of ``frame`` (index included), numbers formatted, names escaped;
    the columns named in ``hide`` left out, others renamed by ``headers`` (``shares`` and
    ``units`` name them so). ``rows``: how many rows the table has in all when ``frame``
    holds only its first ones. Numbers are justified right, and so are the columns named
    in ``right`` (numbers already written: distances to the 100 m). Dropping and
    renaming here spares pandas copying frames and building column indexes, which costs
    more than drawing a small table."""
    import pandas as pd

    units = units or {}
    headers = headers or {}
    table = StackedTable(
        title=TableTitle(title), title_justify="left", show_edge=False, pad_edge=False
    )
    index_names = [n for n in frame.index.names if n is not None]
    table.keys = max(1, len(index_names))
    head = frame.head(max_rows)  # only the rows shown are reset and read
    shown = head.reset_index() if index_names else head
    columns = []  # formatted a column at a time (the values itertuples would give)
    for k, name in enumerate(shown.columns):
        if name in hide:
            continue
        values = shown.iloc[:, k]
        column = headers.get(name, name)
        numeric = pd.api.types.is_numeric_dtype(values) or column in right
        # folded, not cut with "…", should a word be wider than its column (table_fit)
        table.add_column(
            markup_safe(column), justify="right" if numeric else "left", overflow="fold"
        )
        if column in shares:
            columns.append([share(value) for value in values])
        else:
            unit = units.get(column, "")
            columns.append([number(value, unit) for value in values])
    for cells in zip(*columns, strict=True):
        table.add_row(*cells)
    total = len(frame) if rows is None else rows
    if total > max_rows:
        table.caption = f"{max_rows} of {total:,} rows shown"
    return table


#: Where a title's space must not break: between a number and its % or unit, between a
#: comparison and its number ("tolerance 5 %", "|z| > 3.33", "7 t/yr").
_KEPT_TOGETHER = re.compile(
    r"(?<=\d) (?=%|pp\b|(?:[kMG]?t|[GTP]J|[MG]Wh|m3|m³|million m³)(?:/yr)?(?![\w/]))"
    r"|(?<=[<>=≤≥]) (?=[-+]?\d)"
)
#: What stands for a kept space while rich wraps the title: one cell wide, no space to
#: rich's wrapping, which breaks at every whitespace character, U+00A0 included.
_NO_BREAK = "\u2800"


class TableTitle(Text):
    """A table's title (plain text, shown as it is: no markup), in the style of rich's
    titles, wrapped at its spaces when the table is narrower, but never between a number
    and its % or unit: "Firm balances (tolerance 5 %)" broke before its "%". The spaces
    kept are plain spaces again once the lines are made. O(length)."""

    def __init__(self, title: str) -> None:
        super().__init__(_KEPT_TOGETHER.sub(_NO_BREAK, terminal_text(title)), style="table.title")

    def wrap(self, console: Console, width: int, **options: Any) -> Lines:
        lines = super().wrap(console, width, **options)
        for line in lines:
            line.plain = line.plain.replace(_NO_BREAK, " ")
        return lines


def dimension_rows(table: pd.DataFrame) -> Iterator[tuple[Any, np.ndarray]]:
    """Each value of ``table["dimension"]`` with the positions of its rows, in order of
    first appearance (as ``groupby("dimension", sort=False)``, without making a frame per
    group: the text shows a few rows of each). O(rows x dimensions)."""
    import numpy as np
    import pandas as pd

    values = table["dimension"].to_numpy()
    for value in pd.unique(values):  # in order of appearance
        if not pd.isna(value):  # groupby leaves out a missing dimension
            yield value, np.flatnonzero(values == value)


def headline_tables(network: Any, data: Mapping[str, Any]) -> list[Table | Text]:
    """The headline block of the HTML report as rich tables: the big numbers (value and
    label), then the headline indicators with one column per dimension. ``data`` holds
    the sections' dicts by name; the choice and the formatting of the numbers are the
    report's (:mod:`symbiosis.export.report_headline`); a line instead of the second
    table when no flow has a known size. O(indicators x dimensions)."""
    from ..export.markup import quantities_over

    with quantities_over(network.summed_years):  # per year, or over the years added up
        return _headline_tables(network, data)


def _headline_tables(network: Any, data: Mapping[str, Any]) -> list[Table | Text]:
    from ..export.report_headline import (
        dimension_header,
        headline_cards,
        headline_rows,
        headline_text,
        marked,
        mixed_kinds,
        mixed_notes,
        no_sizes,
    )

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
    empty = no_sizes(network)
    if empty is not None:
        tables.append(Text(empty))
    if rows:
        dims = list(network.dimensions)
        table = StackedTable(show_edge=False, pad_edge=False)  # cells carry their units
        table.add_column("indicator")
        mixed = mixed_kinds(data)  # a dimension adding gas and water: marked, and said
        for dimension in dims:
            table.add_column(markup_safe(dimension_header(dimension, mixed)), justify="right")
        for label, kind, values in rows:
            cells = [
                marked(headline_text(v, kind, d), kind, d, mixed)
                for v, d in zip(values, dims, strict=True)
            ]
            table.add_row(markup_safe(label), *(markup_safe(c) for c in cells))
        tables.append(table)
        tables += [Text(note) for note in mixed_notes(data)]
    return tables


class StackedTable(Table):
    """A rich table drawn with far fewer cells: consecutive rows that each fit on one line
    are drawn as one row whose cells hold one line per row. The characters are the same
    (rich's column widths depend only on the widest line of each column, and a line that
    fits is not wrapped), but rich lays out one multi-line cell instead of one cell per
    row, and a table costs mostly rich's per-cell work. Rows with a cell that must wrap
    are drawn alone, as any rich table draws them. O(cells)."""

    #: How many leading columns name the row: repeated in each part of a table that is
    #: split to keep its numbers whole (:func:`~symbiosis.cli.table_fit.fitted`).
    keys: int = 1

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        for part in self.fitted(console, options):
            yield from part._drawn(console, options)

    def fitted(self, console: Console, options: ConsoleOptions) -> list[StackedTable]:
        """This table as the tables that draw it in ``options.max_width`` with no number
        cut (:func:`~symbiosis.cli.table_fit.fitted`): itself when rich shrinks nothing."""
        from .table_fit import fitted

        try:
            return fitted(self, console, options, self.keys)  # type: ignore[return-value]
        except (AttributeError, TypeError, ValueError, IndexError, KeyError):
            return [self]  # a rich laid out otherwise: drawn as rich draws it

    def _drawn(self, console: Console, options: ConsoleOptions) -> RenderResult:
        # Stacking reads rich's table internals (column cells, width calculation), as of
        # the rich release tests/cli/test_render*.py check; should another release lay
        # them out otherwise, the table is drawn plainly rather than not at all.
        try:
            stacked = self._stacked(console, options)
            drawn = list(Table.__rich_console__(stacked or self, console, options))
        except (AttributeError, TypeError, ValueError, IndexError, KeyError):
            drawn = list(Table.__rich_console__(self, console, options))
        yield from drawn

    def _stacked(self, console: Console, options: ConsoleOptions) -> Table | None:
        """This table with its one-line rows stacked and its widths fixed, or None when
        neither can be done."""
        cells = [column._cells for column in self.columns]
        if len(self.rows) < 2 or not self._plain_layout() or not all(map(_one_line, cells)):
            return None
        texts = [_lines(console, column) for column in cells]
        # The widths rich gives this table row by row: they depend on the widest lines only.
        available = (options.max_width if self.width is None else self.width) - self._extra_width
        whole = self._with_rows([[text] for text in texts])
        widths = whole._calculate_column_widths(console, options.update_width(available))
        room = [width - self._get_padding_width(i) for i, width in enumerate(widths)]
        if min(room, default=0) < 1:
            return None
        # Fixed widths spare rich measuring again; a table wider than the console (rich
        # could not squeeze it) must be measured as it is, or rich would squeeze it more.
        fixed = room if sum(widths) <= available else None
        lines = [text.plain.split("\n") for text in texts]
        fits = [all(map(le, map(cell_len, row), room)) for row in zip(*lines, strict=True)]
        runs = [(fit, len(list(run))) for fit, run in groupby(fits)]
        if not any(fit and size > 1 for fit, size in runs):
            return None if fixed is None else self._with_rows(cells, fixed)
        pieces = [
            _pieces(column, text, line, width, justify, runs, fixed is not None)
            for column, text, line, width, justify in zip(
                cells, texts, lines, room, (c.justify for c in self.columns), strict=True
            )
        ]
        return self._with_rows(pieces, fixed)

    def _with_rows(self, columns: list[list[Any]], widths: list[int] | None = None) -> Table:
        """A copy of this table whose columns hold ``columns`` (one list of cells each),
        with these fixed ``widths`` (inside the padding) when given."""
        table = copy(self)
        table.columns = [
            replace(c, _cells=cs, width=c.width if widths is None else widths[i])
            for i, (c, cs) in enumerate(zip(self.columns, columns, strict=True))
        ]
        table.rows = [Row() for _ in columns[0]]
        return table

    def _plain_layout(self) -> bool:
        """No option that makes a row look different from its neighbours or sizes a column
        otherwise than by its widest cell or a fixed width; every column justified left or
        right."""
        return not (
            self.show_lines
            or self.show_footer
            or self.row_styles
            or self.expand
            or self.leading
            or self.min_width is not None
            or any(row.style is not None or row.end_section for row in self.rows)
            or any(
                c.min_width is not None
                or c.max_width is not None
                or c.ratio is not None
                or c.no_wrap
                or c.justify not in ("left", "right")
                for c in self.columns
            )
        )


def _one_line(cells: list[Any]) -> bool:
    """Every cell a string that the console shows on one line (before any wrapping)."""
    return all(isinstance(c, str) and "\n" not in c and "\t" not in c for c in cells)


def _lines(console: Console, cells: list[str]) -> Text:
    """The cells of a column as one text, one line per cell, each read as the console
    reads a cell (markup, and the console's escapes)."""
    if not any("[" in cell for cell in cells):  # no markup: one read for all
        return console.render_str("\n".join(cells))
    return Text("\n").join(console.render_str(cell) for cell in cells)


def _pieces(
    cells: list[str],
    text: Text,
    lines: list[str],
    room: int,
    justify: str,
    runs: list[tuple[bool, int]],
    fixed: bool,
) -> list[Any]:
    """The cells of one column for rows grouped in ``runs`` (fits, rows): a run of rows
    that fit is one cell of their lines, a row that does not keeps its cell. Plain lines
    are justified here as rich justifies a line that fits in ``room`` cells, and rich is
    told not to do it again (``overflow="ignore"``): that is most of rich's work. With
    ``fixed`` widths rich measures no cell, so the lines go as rich's own segments (what
    the text would render to) and are not split into texts again."""
    justified = None if text.spans else _JUSTIFIED[justify]
    pieces: list[Any] = []
    row = start = 0  # the run's first row, and where its line starts in ``text``
    for fit, size in runs:
        end = start + sum(len(line) + 1 for line in lines[row : row + size])
        if not fit:
            pieces.extend(cells[row : row + size])
        elif justified is not None and fixed:
            newline = Segment.line()
            block = [(Segment(justified(line, room)), newline) for line in lines[row : row + size]]
            pieces.append(Segments(list(chain.from_iterable(block))))
        elif justified is not None:
            block = "\n".join(justified(line, room) for line in lines[row : row + size])
            pieces.append(Text(block, overflow="ignore"))
        else:
            pieces.append(text[start : end - 1])  # without the run's last newline
        row, start = row + size, end
    return pieces


def _left(line: str, room: int) -> str:
    """``line`` as rich justifies it left in ``room`` cells: padded with spaces."""
    return line + " " * (room - cell_len(line))


def _right(line: str, room: int) -> str:
    """``line`` as rich justifies it right in ``room`` cells: trailing spaces dropped,
    then spaces before it."""
    line = line.rstrip()
    return " " * (room - cell_len(line)) + line


_JUSTIFIED = {"left": _left, "right": _right}
