"""``symbiosis export`` and ``symbiosis report``: HTML files that open offline anywhere.

``export --html FILE`` writes the interactive network; ``report --out FILE`` writes the
whole analysis as one page (headline indicators, Sankey view, network, every section).
``analyze --html FILE`` writes the same report as a side effect of ``analyze``. Messages
go to stderr, so that ``analyze --format json --html FILE`` keeps stdout pure JSON.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape

from ..errors import InputError, Problem
from .analysis_options import YearOption
from .app import (
    FirmsOption,
    NetworkPath,
    QuietOption,
    command,
    example_path,
    handle_errors,
    load_network,
    print_warnings,
    stderr,
)
from .paths import output_option
from .progress import no_progress
from .uncertainty import UncertaintyOption
from .validate import ExampleOption

__all__ = ["HtmlReportOption", "ReportSeedOption", "sampling_problems", "say_written",
           "write_report_file"]  # fmt: skip


class ColorBy(StrEnum):
    role = "role"
    sector = "sector"


HtmlOption = output_option(
    "--html", help="Write the interactive network to this HTML file (one file, works offline)."
)
HtmlReportOption = output_option(
    "--html",
    help="Also write the report as one HTML page (works offline; see symbiosis report).",
)
ReportOutOption = output_option("--out", "-o", help="The HTML file to write, e.g. report.html.")
ReportSamplesOption = Annotated[
    int,
    typer.Option(
        "--samples",
        help="Monte Carlo samples for 95 % intervals of the headline indicators (0: none; "
        "a spread per flow from quantity_low/high, uncertainty or quality, see --uncertainty).",
        min=0,
    ),
]
ReportSeedOption = Annotated[
    int | None,
    typer.Option(
        "--seed",
        help="Random seed of the samples (>= 0; default 0): the same seed gives the same "
        "intervals. Only with --samples.",
        min=0,
        show_default=False,
    ),
]
ColorByOption = Annotated[
    ColorBy,
    typer.Option(
        "--color-by", help="Colour the nodes by role or by sector.", rich_help_panel="View"
    ),
]
SizeDimensionOption = Annotated[
    str | None,
    typer.Option(
        "--dimension",
        "-d",
        help="Size the nodes by throughflow in this dimension (mass, energy or volume); "
        "default: the first present.",
        rich_help_panel="View",
        show_default=False,
    ),
]
TitleOption = Annotated[
    str | None,
    typer.Option(
        "--title",
        help="Title shown on the page (default: the network's folder name).",
        rich_help_panel="View",
        show_default=False,
    ),
]
BasemapOption = Annotated[
    str | None,
    typer.Option(
        "--basemap",
        help="Draw map tiles from this server under the map view: a URL template with "
        "{z}/{x}/{y}, https only, e.g. 'https://tile.openstreetmap.org/{z}/{x}/{y}.png'. "
        "The page then loads tiles from that server; without it the map is drawn offline.",
        rich_help_panel="View",
        show_default=False,
    ),
]
NoNetworkOption = Annotated[
    bool,
    typer.Option(
        "--no-network",
        help="Leave the interactive network out of the report (a smaller file).",
        rich_help_panel="View",
    ),
]


@command()
@handle_errors
def export(
    path: NetworkPath = None,
    firms: FirmsOption = None,
    year: YearOption = None,
    example: ExampleOption = None,
    html: HtmlOption = None,
    color_by: ColorByOption = ColorBy.role,
    dimension: SizeDimensionOption = None,
    title: TitleOption = None,
    basemap: BasemapOption = None,
    quiet: QuietOption = False,
) -> None:
    """Write the network as an interactive HTML file that opens anywhere, offline.

    Nodes are coloured by role (or sector) and sized by throughflow; flows are coloured
    by category, dashed when disposed, glowing on a loop; hover for details, filter by
    material, category or dimension. Big networks are drawn by sector (click a sector
    for its firms) beside a sector-by-sector matrix; firms with lat/lon get a map, drawn
    offline (tiles only from a --basemap server). Example:
    [bold]symbiosis export examples/tongling --html network.html[/]
    """
    from ..export.network_html import write_network_html
    from ..report import SECTIONS
    from .inputs import read_and_check

    def nothing_to_write(network) -> None:
        if html is None:
            raise InputError("nothing to export: give the file to write, e.g. --html network.html")

    def basemap_checked(network) -> None:  # a bad template is refused before any work
        if basemap is not None:
            from ..export.network_map import check_basemap

            check_basemap(basemap)

    def dimension_checked(network) -> None:  # one it has flows in, once the network is read
        _check_dimension(dimension, None if network is None else network.dimensions)

    # every problem of the options at once, and the files' too (before the loop search)
    network = read_and_check(
        lambda: load_network(example_path(example) if example else path, firms,
                             command="export", year=year),
        nothing_to_write, dimension_checked, basemap_checked,
    )  # fmt: skip
    print_warnings(network.warnings, quiet)
    # Loops are marked from the loops section; the exporter itself computes nothing.
    wanted = [name for name in ("loops",) if name in SECTIONS]
    report = _analyse(network, quiet, sections=wanted) if wanted else None
    written = write_network_html(
        network,
        html,
        report,
        color_by=color_by.value,
        dimension=dimension,
        title=title,
        basemap=basemap,
    )
    say_written(written, quiet)


@command()
@handle_errors
def report(
    path: NetworkPath = None,
    firms: FirmsOption = None,
    year: YearOption = None,
    example: ExampleOption = None,
    out: ReportOutOption = None,
    title: TitleOption = None,
    no_network: NoNetworkOption = False,
    samples: ReportSamplesOption = 0,
    seed: ReportSeedOption = None,
    uncertainty: UncertaintyOption = None,
    quiet: QuietOption = False,
) -> None:
    """Run every analysis and write the report as one HTML page that opens offline.

    Headline indicators per dimension, a Sankey view of the main flows, the interactive
    network and every analysis section, with sortable tables; with --samples, the headline
    shares with their 95 % intervals and an uncertainty section. Example:
    [bold]symbiosis report examples/tongling --out report.html --samples 1000[/]
    """
    from .._memory import return_freed_memory

    problems = sampling_problems(samples, seed, uncertainty)
    if out is None:
        problems.insert(0, "no output file: give the page to write, e.g. --out report.html")
    if problems:
        raise InputError([Problem("", None, None, problem) for problem in problems])
    network = load_network(
        example_path(example) if example else path, firms, command="report", year=year
    )
    from ..report import Report

    print_warnings(network.warnings, quiet)
    # Each section becomes its dict as soon as it is made (the typed results of a million
    # flows hold ~0.5 GB); the page read from the dicts is the same, byte for byte.
    data = _analyse(
        network, quiet, to_dict=True, samples=samples, seed=seed or 0, uncertainty=uncertainty
    )
    # then the passes' own (streams taken as hazardous by the node they go to), as the
    # page lists them after the network's
    from ..export.report_headline import report_warnings

    printed = set(network.warnings)
    print_warnings([w for w in report_warnings((), data) if w not in printed], quiet)
    # The page reads the network's tables and a few sums, not what the passes cached on
    # it (the matrices, the condensation: ~250 MB at a million flows): let those go first,
    # as the network page peaks at ~300 MB of its own.
    network = network.uncached()
    return_freed_memory(whole=True)
    write_report_file(
        network,
        Report.from_dict(data),
        out,
        quiet=quiet,
        title=title,
        include_network=not no_network,
    )


def sampling_problems(samples: int, seed: int | None, uncertainty: float | None) -> list[str]:
    """--seed and --uncertainty act on the Monte Carlo samples only: without --samples
    they would change nothing, and are refused rather than passed over in silence (as
    opportunities refuses --scenario with --no-impact)."""
    given = [name for name, value in (("--seed", seed), ("--uncertainty", uncertainty))
             if value is not None]  # fmt: skip
    if samples or not given:
        return []
    change, them = ("change", "them") if len(given) > 1 else ("changes", given[0])
    return [
        f"{' and '.join(given)} {change} nothing without --samples (the Monte Carlo "
        f"intervals); add --samples N, e.g. --samples 1000, or leave {them} out"
    ]


def write_report_file(network, result, path: Path, *, quiet: bool = False, **options: Any) -> None:
    """Write the HTML report; say so on stderr."""
    from ..export.report_html import write_report_html

    written = write_report_html(network, result, path, **options)
    say_written(written, quiet)


def _analyse(
    network, quiet: bool, sections: list[str] | None = None, *, to_dict: bool = False, **options
):
    """The report (:func:`~symbiosis.report.analyze`), or with ``to_dict`` its data
    (:func:`~symbiosis.report.analyze_to_dict`), with a spinner on stderr."""
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    from ..report import analyze, analyze_to_dict

    run_analysis = analyze_to_dict if to_dict else analyze
    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        TimeElapsedColumn(),
        console=stderr,
        transient=True,
        disable=no_progress(quiet),
    ) as progress:
        task = progress.add_task("analysing", total=None)
        return run_analysis(
            network,
            sections=sections,
            progress=lambda name: progress.update(task, description=f"analysing: {name}"),
            **options,
        )


def _check_dimension(dimension: str | None, present: tuple[str, ...] | None = None) -> None:
    """A dimension name, and once the network is read (``present``: its dimensions), one
    it has flows in, as the library's view checks it."""
    from ..arguments import Arguments
    from ..units import DIMENSIONS

    if dimension is not None and dimension not in DIMENSIONS:
        raise InputError(
            f"--dimension: unknown dimension {dimension!r}; choose from {', '.join(DIMENSIONS)}"
        )
    if present is not None:
        check = Arguments()
        check.present_dimension(dimension, present)
        check.check()


def say_written(path: Path, quiet: bool) -> None:
    """Say on stderr that ``path`` was written, and its size (unless ``quiet``, or when
    it went to standard output as ``-``)."""
    if not quiet and str(path) != "-":
        size = path.stat().st_size
        stderr.print(f"wrote {escape(str(path))} ({size / 1e6:.2f} MB)", soft_wrap=True)
