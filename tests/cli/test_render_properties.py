"""Property test of cli.render.StackedTable: for any cells, options and width, the stacked
table draws exactly what plain rich tables with the same content draw (of the parts it is
fitted into so as to cut no number)."""

from __future__ import annotations

import io

from hypothesis import given, settings
from hypothesis import strategies as st
from rich.table import Table

from symbiosis.cli.app import SafeConsole
from symbiosis.cli.render import StackedTable, markup_safe

# Words of narrow, wide (CJK), combining and markup-like characters, spaces at the ends.
_cell = st.text(alphabet=st.sampled_from([*"ab Z9.-_[]/\\", "钢", "é", "\u0301", " "]), max_size=24)


def _drawn(table: Table, width: int) -> str:
    console = SafeConsole(
        file=io.StringIO(), width=width, color_system=None, highlight=False, emoji=False
    )
    console.print(table)
    return console.file.getvalue()  # type: ignore[attr-defined]


@settings(max_examples=300, deadline=None)
@given(
    rows=st.integers(0, 7).flatmap(
        lambda n: (
            st.lists(st.lists(_cell, min_size=n, max_size=n), min_size=0, max_size=9)
            if n
            else st.just([])
        )
    ),
    justify=st.lists(st.sampled_from(["left", "right"]), min_size=7, max_size=7),
    width=st.integers(3, 120),
    title=st.one_of(st.none(), _cell),
    show_header=st.booleans(),
    styled=st.booleans(),
)
def test_stacked_draws_what_a_plain_table_draws(rows, justify, width, title, show_header, styled):
    columns = len(rows[0]) if rows else 0
    stacked = StackedTable(
        title=None if title is None else markup_safe(title),
        title_justify="left",
        show_edge=False,
        pad_edge=False,
        show_header=show_header,
    )
    for i in range(columns):
        stacked.add_column(f"c{i}", justify=justify[i])  # type: ignore[arg-type]
    for row in rows:
        # cells as the CLI gives them (escaped), some with markup of their own
        cells = [markup_safe(cell) for cell in row]
        stacked.add_row(
            *(f"[italic]{c}[/]" if styled and k % 2 else c for k, c in enumerate(cells))
        )
    console = SafeConsole(width=width, color_system=None)
    plainly = ""
    for part in stacked.fitted(console, console.options):  # as many as keep numbers whole
        plain = Table()
        plain.__dict__.update(part.__dict__)
        plainly += _drawn(plain, width)
    assert _drawn(stacked, width) == plainly


def test_a_rich_without_the_internals_stacking_reads_draws_plainly(monkeypatch):
    """Stacking reads rich's private table layout; if a rich release lays it out
    otherwise, the table is still drawn, as a plain rich table."""
    table = StackedTable(title="t")
    table.add_column("name")
    table.add_column("value", justify="right")
    for k in range(5):
        table.add_row(f"firm {k}", str(k))
    plain = Table()
    plain.__dict__.update(table.__dict__)

    def missing(self, console, options):
        raise AttributeError("'Column' object has no attribute '_cells'")

    monkeypatch.setattr(StackedTable, "_stacked", missing)
    assert _drawn(table, 40) == _drawn(plain, 40)
