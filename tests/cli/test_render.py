"""cli.render.StackedTable: drawn as a plain rich table would be, with its rows stacked."""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys

import pandas as pd
import pytest
from rich.cells import cell_len
from rich.console import Console
from rich.table import Table

from symbiosis.cli.app import SafeConsole
from symbiosis.cli.render import StackedTable, frame_table, markup_safe, number

WIDTHS = (4, 8, 12, 30, 50, 80, 200)


def _drawn(table: Table, width: int, *, colour: bool) -> str:
    console = SafeConsole(
        file=io.StringIO(),
        width=width,
        force_terminal=colour,
        color_system="256" if colour else None,
        highlight=False,
        emoji=False,
    )
    console.print(table)
    return console.file.getvalue()  # type: ignore[attr-defined]


def _plain(table: StackedTable) -> Table:
    """The same table as a plain rich table (the same columns, cells and options)."""
    plain = Table()
    plain.__dict__.update(table.__dict__)
    return plain


def _drawn_plainly(table: StackedTable, width: int, *, colour: bool) -> str:
    """What plain rich tables draw of the parts ``table`` is fitted into (one part, the
    table itself, when rich would shrink no column)."""
    console = SafeConsole(width=width, color_system=None)
    parts = table.fitted(console, console.options)
    return "".join(_drawn(_plain(part), width, colour=colour) for part in parts)


def _frames() -> list[tuple[pd.DataFrame, dict]]:
    names = [
        "plant",
        "[bold]not markup[/]",
        "ends with \\",
        "a rather long name that has to wrap in a narrow terminal",
        "钢铁厂 wide",
        "trailing   ",
        "",
        "\x1b[31mred\u202e",
    ]
    frame = pd.DataFrame(
        {
            "name": names,
            "quantity": [1.5, 12345.0, float("nan"), 0.25, 7.0, 1e9, 0.0, 3.0],
            "count": range(8),
            "share": [0.1, 0.25, None, 1.0, 0.0, 0.5, 0.75, 0.3],
        }
    ).set_index("name")
    return [
        (frame, {"shares": ("share",)}),
        (frame, {"max_rows": 3}),  # a caption
        (frame.reset_index()[["count", "quantity"]], {}),  # numbers only
        (frame.iloc[:1], {}),  # one row: not stacked
        (pd.DataFrame({f"c{i}": [1, 22, 333] for i in range(30)}), {}),  # wider than rich can
    ]


@pytest.mark.parametrize("case", range(len(_frames())))
@pytest.mark.parametrize("colour", [False, True])
def test_stacked_table_draws_the_same_characters(case, colour):
    frame, options = _frames()[case]
    table = frame_table(frame, "Title [x] of a table", **options)
    assert isinstance(table, StackedTable)
    for width in WIDTHS:
        assert _drawn(table, width, colour=colour) == _drawn_plainly(table, width, colour=colour)


def test_markup_cells_and_styled_columns_draw_the_same():
    table = StackedTable(title="t", box=None, show_header=False)
    table.add_column(justify="right", style="bold")
    table.add_column(style="italic")
    table.add_column()
    rows = [
        ("1", "one", "[italic]one[/]"),
        ("22  ", "two", "2"),
        ("333", "three", markup_safe("[b]")),
    ]
    for row in rows:
        table.add_row(*row)
    for width in WIDTHS:
        for colour in (False, True):
            assert _drawn(table, width, colour=colour) == _drawn_plainly(
                table, width, colour=colour
            )


def test_rows_that_fit_are_stacked_and_rows_that_wrap_are_not():
    """The speed comes from stacking: a table that fits is one row for rich; in a narrow
    console only the rows that wrap stay rows of their own."""
    frame = pd.DataFrame(
        {"name": ["a", "b", "a long name that wraps", "c", "d"], "value": [1, 2, 3, 4, 5]}
    )
    table = frame_table(frame, "t")
    console = Console(file=io.StringIO(), width=200)
    stacked = table._stacked(console, console.options)
    assert stacked is not None and len(stacked.rows) == 1
    narrow = Console(file=io.StringIO(), width=16)
    stacked = table._stacked(narrow, narrow.options)
    assert stacked is not None and len(stacked.rows) == 3  # a-b, the long one, c-d


def test_the_headline_from_short_dicts_is_the_headline_from_whole_ones():
    """print_headline converts only what the headline reads (no listed rows): the
    numbers must be those of the whole section dicts the HTML report uses."""
    from symbiosis.examples import example_path
    from symbiosis.export.report_headline import (
        headline_cards,
        headline_data,
        headline_rows,
        section_dict,
    )
    from symbiosis.io import load
    from symbiosis.report import analyze

    network = load(example_path("tongling"))
    sections = analyze(network, samples=20).sections
    whole = {name: section_dict(result) for name, result in sections.items()}
    short = headline_data(sections)
    assert {"reuse", "loops", "structure", "balance", "uncertainty"} <= set(short)
    assert headline_cards(network, short) == headline_cards(network, whole)
    assert headline_rows(network, short) == headline_rows(network, whole)


def test_dimension_rows_are_groupby_groups():
    from symbiosis.cli.render import dimension_rows

    table = pd.DataFrame({"dimension": ["b", "a", "b", None, "a"], "v": range(5)})
    groups = table.groupby("dimension", sort=False)
    expected = [(key, list(group.index)) for key, group in groups]
    assert [(key, list(rows)) for key, rows in dimension_rows(table)] == expected


def test_headline_cards_skip_a_dimension_of_unknown_sizes_only():
    """Every mass flow of unknown size: the cards' quantities are those of energy, not
    "0 t/yr disposed"; no dimension with known sizes: no quantity card at all."""
    from symbiosis import from_frames
    from symbiosis.export.report_headline import headline_cards, section_dict
    from symbiosis.report import analyze

    flows = pd.DataFrame(
        {
            "source": ["A", "B", "A", "B"],
            "target": ["B", "DUMP", "B", "DUMP"],
            "material": ["slag", "slag", "steam", "heat"],
            "quantity": ["", "", "5", "2"],
            "unit": ["t", "t", "GJ", "GJ"],
            "category": ["by-product", "waste", "by-product", "waste"],
        }
    )
    firms = pd.DataFrame({"id": ["A", "B", "DUMP"], "role": ["firm", "firm", "disposal"]})

    def labels(flows):
        network = from_frames(firms, flows)
        sections = analyze(network, sections=["summary", "reuse", "loops"]).sections
        return [label for _, label in headline_cards(network, {
            name: section_dict(result) for name, result in sections.items()})]  # fmt: skip

    assert labels(flows)[:2] == ["reuse share (energy)", "disposed (energy)"]
    unknown = flows.assign(quantity="")
    # no known size at all: the reuse share by count instead (A to B reused, B dumps)
    assert labels(unknown) == [
        "reuse share (by count: 2 of 4 streams)",
        "loops found",
        "symbiosis cores",
    ]


def test_one_sum_taken_in_two_orders_shows_one_number():
    """914.05 summed in two orders differs in the last bits: it showed as 914.1 beside
    914.0 in one table."""
    low, high = 914.0499999999999, 914.0500000000001
    assert number(low) == number(high) == number(914.05)
    assert number(0.1 + 0.2) == "0.3" and number(1234.5, "t") == "1,234 t"


def test_whole_numbers_show_no_decimals_whatever_their_size():
    """A tester saw `inputs 140.0` beside `generated 65` and `1,050`: below 1,000 as
    above, a whole number has no `.0`, and a fraction keeps about four digits."""
    assert [number(v) for v in (65.0, 140.0, 760.0, 999.0, 1050.0)] == [
        "65", "140", "760", "999", "1,050"
    ]  # fmt: skip
    assert [number(v) for v in (86.5, 140.5, 123.45, -760.0)] == ["86.5", "140.5", "123.5", "-760"]
    assert number(999.96) == "1,000" and number(140.0, "t/yr") == "140 t/yr"


@pytest.mark.parametrize(
    ("title", "kept"),
    [
        ("Firm balances (tolerance 5 %)", "5 %)"),
        ("Global test; flows reconciled within a tolerance of 12.5 %", "12.5 %"),
        ("Adjustments too large to be noise (|z| > 3.33): check these flows", "> 3.33"),
        ("Moved in all: 1,200 t/yr of slag", "1,200 t/yr"),
    ],
)
def test_a_title_never_breaks_between_a_number_and_its_unit(title, kept):
    """A tester's `analyze` on the Baltic N model: "Firm balances (tolerance 5 %)" wrapped
    between "5" and "%" over a narrow table (rich breaks at every space, U+00A0 too). The
    title still wraps at its other spaces, and its lines have plain spaces."""
    frame = pd.DataFrame({"quantity": ["inputs"], "mass": [44.51]}).set_index("quantity")
    for width in range(4, 40, 3):
        table = frame_table(frame.rename(columns={"mass": "m" * width}), title)
        lines = [line.rstrip() for line in _drawn(table, 200, colour=False).splitlines()]
        title_lines = lines[: lines.index(next(x for x in lines if "┃" in x))]
        assert " ".join(" ".join(title_lines).split()) == title
        assert any(kept in line for line in title_lines), title_lines
        assert not any("\u2800" in line or "\xa0" in line for line in lines)
    wide = frame_table(frame.rename(columns={"mass": "m" * 80}), title)
    assert _drawn(wide, 200, colour=False).splitlines()[0].rstrip() == title


def _numbers_whole(text: str, numbers: list[str]) -> list[str]:
    """The numbers of ``numbers`` that ``text`` does not show whole on one line."""
    return [n for n in numbers if n not in text]


@pytest.mark.parametrize("width", [40, 60, 80, 100])
def test_no_number_is_cut_whatever_the_width(width):
    """tester8 defect 1: rich shrank the number columns of a wide table and cut them with
    "…" ("20,75…" for 20,750,000 t); the text columns wrap instead, and the columns that
    do not fit go to a second table under the first."""
    frame = pd.DataFrame(
        {
            "material": [
                "copper slag flotation tailings from the second smelter line",
                "carbon dioxide",
                "crop straw and forestry residues",
            ],
            "generated": [20_750_000.0, 1_926_000.0, 300_000.0],
            "reused": [10_177_500.0, 1_000_000.0, 300_000.0],
            "sold": [2_646_000.0, 500_000.0, 0.0],
            "disposed": [2_371_000.0, 426_000.0, 0.0],
            "emitted": [20_751_098.0, 0.0, 0.0],
            "reused_internally": [0.0, 0.0, 0.0],
            "reuse": [0.283, 0.519, 1.0],
        }
    ).set_index("material")
    table = frame_table(frame, "Residuals by material", units={"reused": "t"}, shares=("reuse",))
    text = _drawn(table, width, colour=False)
    numbers = [number(v) for v in frame.drop(columns=["reused", "reuse"]).to_numpy().ravel()]
    numbers += [number(v, "t") for v in frame["reused"]]
    numbers += ["28.3 %", "51.9 %", "100.0 %"]
    assert _numbers_whole(text, numbers) == []
    assert "…" not in text
    assert max(map(cell_len, text.splitlines())) <= width


def test_the_tongling_report_cuts_no_number_at_80_columns():
    """The README's own example, piped with COLUMNS=80 as a default terminal is wide
    (tester8 defect 1: 42 numbers were cut, "20,75…" for 20,750,000 t)."""
    env = {**os.environ, "COLUMNS": "80", "NO_COLOR": "1"}
    command = [sys.executable, "-m", "symbiosis", "analyze", "--example", "tongling", "-q"]
    result = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    assert result.returncode == 0, result.stderr
    assert re.findall(r"\S*\d…", result.stdout) == []
    assert "20,750,000" in result.stdout  # carbon dioxide
