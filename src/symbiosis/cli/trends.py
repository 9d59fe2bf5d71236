"""``symbiosis trends``: every headline indicator per year, and what changed between years."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .analysis_options import (
    LOOP_TIME_BUDGET,
    MAX_LOOP_LENGTH,
    MAX_LOOPS,
    MaxLengthOption,
    MaxLoopsOption,
    TimeBudgetOption,
)
from .app import (
    FirmsOption,
    Format,
    FormatOption,
    NetworkPath,
    QuietOption,
    command,
    echo,
    example_path,
    handle_errors,
    load_network,
    print_warnings,
    stdout,
)
from .firm_labels import firm_names, loop_lines, name_and_id
from .paths import output_option
from .render import frame_table, markup_safe, number, share
from .validate import ExampleOption

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

    import numpy as np
    import pandas as pd

    from ..analysis.trends import Trends

__all__ = ["indicator_cell", "print_trends", "unknown_rows"]

HtmlOption = output_option(
    "--html",
    help="Also write the trends as an offline HTML page with charts (written whole or not at all).",
)
LISTED = 20  # links and loops printed per change; --format json lists them all


@command()
@handle_errors
def trends(
    path: NetworkPath = None,
    firms: FirmsOption = None,
    example: ExampleOption = None,
    max_length: MaxLengthOption = MAX_LOOP_LENGTH,
    max_loops: MaxLoopsOption = MAX_LOOPS,
    time_budget: TimeBudgetOption = LOOP_TIME_BUDGET,
    fmt: FormatOption = Format.text,
    html: HtmlOption = None,
    quiet: QuietOption = False,
) -> None:
    """Every headline indicator per year of the flows' year column, with the links and
    loops that appeared or vanished from one year to the next.

    Flows without a year count in every year (a warning says how many). With one year,
    or none, there is nothing to compare and the output says so. Definitions in
    docs/trends.md.
    """
    from ..analysis.trends import trends as yearly
    from ..export.json import to_json
    from ..io.flows import YEARS_ADDED_UP
    from ..options import Options
    from .inputs import read_all

    options, network = read_all(  # the options' problems with the files', at once
        lambda: Options(max_loop_length=max_length, max_loops=max_loops,
                        loop_time_budget=time_budget),
        lambda: load_network(example_path(example) if example else path, firms, command="trends"),
    )  # fmt: skip
    print_warnings([w for w in network.warnings if YEARS_ADDED_UP not in w], quiet)  # per year
    result = yearly(network, options)
    print_warnings(result.warnings, quiet)
    data = result.to_dict()
    if html is not None:
        from ..export.files import write_text_atomic
        from ..export.report_trends import trends_page_html

        write_text_atomic(html, trends_page_html(network, data), protected=network.source_files)
    if fmt is Format.json:
        echo(to_json(data))
        return
    print_trends(result, names=firm_names(network))


def indicator_cell(indicator: str, value: object) -> str:
    """An indicator's value for people: a share in %, else a number."""
    from ..analysis.indicators import SHARES

    if value is None or (isinstance(value, float) and value != value):
        return "–"
    if indicator in SHARES:
        return share(value)
    return number(value)


def unknown_rows(dimensions: Iterable[str], indicators: Iterable[str], unsized) -> np.ndarray:
    """The rows (given by their dimension and indicator) whose value is unknown for want of
    sizes: those of the ``unsized`` dimensions (no flow of known size) but the indicators
    read from the links (:data:`~symbiosis.analysis.indicators.LINK_INDICATORS`), as
    ``analyze`` marks them. O(rows)."""
    import numpy as np

    from ..analysis.indicators import LINK_INDICATORS

    return np.array(
        [
            d in unsized and i not in LINK_INDICATORS
            for d, i in zip(dimensions, indicators, strict=True)
        ],
        dtype=bool,
    )


def unknown_note(shown: pd.DataFrame, counted: str = "cyclicity and loops") -> str | None:
    """What an ``unknown`` cell of a table of indicators (index: dimension, indicator, or
    dimension alone) means, naming the dimensions concerned and what is ``counted`` from
    the links all the same; None when no cell is unknown."""
    import pandas as pd

    from ..export.markup import either
    from ..export.report_headline import UNKNOWN

    rows = shown.eq(UNKNOWN).any(axis=1).to_numpy()
    if not rows.any():
        return None
    dimensions = list(pd.unique(shown.index.get_level_values("dimension")[rows]))
    return (
        f"unknown: no {either(dimensions)} flow of known size there; sums and shares need "
        f"sizes ({counted} are read from the links)"
    )


def trends_frame(result: Trends) -> pd.DataFrame:
    """The indicators per year as display strings (rows: dimension and indicator); a
    quantity or share of a year whose dimension has no flow of known size is ``unknown``."""
    from ..export.report_headline import UNKNOWN

    table = result.to_frame()
    shown = table.copy()
    dimensions = table.index.get_level_values("dimension")
    indicators = table.index.get_level_values("indicator")
    for label, found in zip(result.labels, result.indicators, strict=True):
        unknown = unknown_rows(dimensions, indicators, found.unsized)
        shown[label] = [
            UNKNOWN if hidden else indicator_cell(i, v)
            for i, v, hidden in zip(indicators, table[label], unknown, strict=True)
        ]
    return shown.rename(index=lambda name: name.replace("_", " "), level="indicator")


def print_trends(result: Trends, *, names: Mapping[str, str] | None = None) -> None:
    """The indicators per year, then each year's appeared and vanished links and loops; a
    firm whose id is a code named by ``names`` too (id -> name: the network's firms,
    every year's; :func:`~.firm_labels.firm_names`)."""
    names = names or {}
    for note in result.notes:
        stdout.print(f"[italic]note:[/] {markup_safe(note)}", soft_wrap=True)
    shown = trends_frame(result)
    stdout.print(frame_table(shown, "Headline indicators per year", max_rows=200))
    if note := unknown_note(shown):
        stdout.print(note, soft_wrap=True)
    for change in result.changes:
        stdout.print(f"[bold]From {change.start} to {change.end}[/]")
        for label, links in (("appeared", change.appeared), ("vanished", change.vanished)):
            stdout.print(f"  Links that {label}: {len(links):,}")
            for row in links.head(LISTED).itertuples(index=False):
                source, target = (name_and_id(i, names.get(i)) for i in (row.source, row.target))
                stdout.print(
                    "    " + markup_safe(f"{source} → {target}: {row.material}"), soft_wrap=True
                )
            _more(len(links))
        for label, loops in (("appeared", change.loops_appeared),
                             ("vanished", change.loops_vanished)):  # fmt: skip
            stdout.print(f"  Loops that {label}: {len(loops):,}")
            for line in loop_lines(loops[:LISTED], names):
                stdout.print("    " + markup_safe(line), soft_wrap=True)
            _more(len(loops))
        if not change.loops_complete:
            stdout.print(
                "  [italic]note:[/] the loop search was bounded: loop changes may miss some"
            )


def _more(count: int) -> None:
    if count > LISTED:
        stdout.print(f"    ... and {count - LISTED:,} more (--format json lists all)")
