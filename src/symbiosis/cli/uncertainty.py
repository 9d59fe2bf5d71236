"""``symbiosis uncertainty``: Monte Carlo of every headline indicator, with intervals, the
flows that drive each one's spread, and how stable the opportunity ranking is."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Annotated

import typer

from ..errors import InputError
from .analysis_options import YearOption
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
    stderr,
    stdout,
)
from .firm_labels import firm_names, name_and_id
from .paths import output_option
from .progress import no_progress
from .render import markup_safe, number, share  # shares as every command shows them
from .validate import ExampleOption

if TYPE_CHECKING:
    from collections.abc import Mapping
    from concurrent.futures import Executor

    from ..analysis.uncertainty import UncertaintyResult


class Ranges(StrEnum):
    triangular = "triangular"
    uniform = "uniform"


SamplesOption = Annotated[
    int, typer.Option("--samples", "-n", help="Monte Carlo samples (>= 2).", min=2)
]
SeedOption = Annotated[
    int,
    typer.Option("--seed", help="Random seed (>= 0): the same seed gives the same result.", min=0),
]
UncertaintyOption = Annotated[
    float | None,
    typer.Option(
        "--uncertainty",
        "-u",
        help="Relative standard deviation of every flow whose row gives no spread of its own "
        "(0.1 = 10 %); without it such flows are fixed.",
        min=0.0,
        show_default=False,
    ),
]
RangesOption = Annotated[
    Ranges,
    typer.Option("--ranges", help="Distribution of a quantity_low..quantity_high range."),
]
TopOption = Annotated[
    int, typer.Option("--top", help="How often each opportunity is in the top N.", min=1)
]
SensitivityOption = Annotated[
    int,
    typer.Option("--sensitivity", help="Flows listed per indicator as driving its spread.", min=0),
]
OpportunitiesOption = Annotated[
    bool,
    typer.Option(
        "--opportunities/--no-opportunities", help="Rank the opportunities in every sample."
    ),
]
DaskOption = Annotated[
    str | None,
    typer.Option(
        "--dask",
        help="Run the samples on the Dask cluster whose scheduler is at this address "
        "(tcp://host:8786); needs pip install 'symbiosis\\[dask]'.",
        rich_help_panel="Execution",
        show_default=False,
    ),
]
ProcessesOption = Annotated[
    int,
    typer.Option(
        "--processes",
        "-p",
        help="Run the samples in this many local processes (1: in this one).",
        min=1,
        rich_help_panel="Execution",
    ),
]
OutOption = output_option(
    "--out", "-o", help="Also write the result as JSON to this file.", json=True
)
MATERIALS_SHOWN = 8  # per-material reuse shares shown (those that vary), all in the JSON
DRIVERS_SHOWN = ("reuse_share", "finn_cycling_index", "extraction_dependence")


@command()
@handle_errors
def uncertainty(
    path: NetworkPath = None,
    firms: FirmsOption = None,
    year: YearOption = None,
    example: ExampleOption = None,
    samples: SamplesOption = 1000,
    seed: SeedOption = 0,
    default: UncertaintyOption = None,
    ranges: RangesOption = Ranges.triangular,
    top: TopOption = 5,
    sensitivity: SensitivityOption = 5,
    opportunities: OpportunitiesOption = True,
    fmt: FormatOption = Format.text,
    out: OutOption = None,
    dask: DaskOption = None,
    processes: ProcessesOption = 1,
    quiet: QuietOption = False,
) -> None:
    """Monte Carlo of every headline indicator under uncertain flows: intervals, the flows
    that drive each spread, and how often each opportunity stays in the top N.

    Flows get their spread from the optional columns quantity_low/quantity_high,
    uncertainty or quality of flows.csv, else from --uncertainty. Formulas, distributions
    and sources: docs/uncertainty.md.
    """
    from ..analysis.uncertainty import monte_carlo
    from ..export.files import write_files_atomic
    from ..export.json import to_json
    from .inputs import read_all

    def one_executor() -> None:
        if dask is not None and processes > 1:
            raise InputError("give --dask or --processes, not both")

    network = read_all(  # the options' problem with the files', at once
        one_executor,
        lambda: load_network(example_path(example) if example else path, firms,
                             command="uncertainty", year=year),
    )[1]  # fmt: skip
    print_warnings(network.warnings, quiet)
    listed = None
    if opportunities:
        from ..analysis.opportunities import find_opportunities

        # the listed ones are ranked by their spread: no table of every candidate
        listed = find_opportunities(network, top=2 * top, impact=False, table=False)
    with _executor(dask, processes) as executor, _progress(samples, quiet) as progress:
        result = monte_carlo(
            network,
            samples=samples,
            seed=seed,
            default=default,
            ranges=ranges.value,
            sensitivity_top=sensitivity,
            opportunities=listed,
            top=top,
            executor=executor,
            progress=progress,
        )
    text = to_json(result.to_dict()) if out is not None or fmt is Format.json else ""
    write_files_atomic({out: text} if out is not None else {}, protected=network.source_files)
    if fmt is Format.json:
        echo(text)
        return
    print_uncertainty(result, names=firm_names(network))


class _executor:
    """The executor of the chunks: none (this process), a process pool, or a Dask
    cluster's; closed on exit."""

    def __init__(self, dask: str | None, processes: int):
        self.dask, self.processes, self.closing = dask, processes, []

    def __enter__(self) -> Executor | None:
        if self.dask is not None:
            return self._dask_executor()
        if self.processes > 1:
            from concurrent.futures import ProcessPoolExecutor

            pool = ProcessPoolExecutor(self.processes)
            self.closing.append(pool.shutdown)
            return pool
        return None

    def _dask_executor(self):
        try:
            from distributed import Client
        except ImportError:
            raise InputError(
                "--dask needs dask.distributed: pip install 'symbiosis[dask]'"
            ) from None
        try:
            client = Client(self.dask, timeout="10s")
        except (OSError, TimeoutError, ValueError) as exc:
            raise InputError(
                f"could not reach the Dask scheduler at {self.dask!r} ({exc}); check the "
                "address (tcp://host:8786) and that the scheduler runs"
            ) from None
        self.closing.append(client.close)
        return client.get_executor()

    def __exit__(self, *exc) -> None:
        for close in self.closing:
            close()


class _progress:
    """A progress bar on stderr, advanced with the number of samples done."""

    def __init__(self, samples: int, quiet: bool):
        self.samples, self.quiet = samples, quiet

    def __enter__(self):
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

        columns = ("sampling", BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
        self.bar = Progress(
            *columns, console=stderr, transient=True, disable=no_progress(self.quiet)
        )
        self.bar.__enter__()
        task = self.bar.add_task("sampling", total=self.samples)
        return lambda done: self.bar.update(task, completed=done)

    def __exit__(self, *exc) -> None:
        self.bar.__exit__(*exc)


def print_uncertainty(result: UncertaintyResult, *, names: Mapping[str, str] | None = None) -> None:
    """The Monte Carlo result as text: intervals per dimension, drivers, opportunities;
    a firm whose id is a code named by ``names`` too (id -> name,
    :func:`~.firm_labels.firm_names`)."""
    from rich.table import Table

    flows = result.spreads
    sources = ", ".join(f"{k} {v:,}" for k, v in flows["by_source"].items() if v and k != "none")
    stdout.print(
        f"[bold]Monte Carlo[/]: {result.samples:,} samples, seed {result.seed}; "
        f"{flows['uncertain_flows']:,} of {flows['flows']:,} flows uncertain"
        + (f" ({sources})" if sources else "")
    )
    if not flows["uncertain_flows"]:
        stdout.print(
            "no flow has an uncertainty, so every indicator is as recorded: give flows one "
            "(an uncertainty column, a range, a quality score 1-5) or use --uncertainty 0.1"
        )
    table = result.indicators
    for dimension, rows in table.groupby("dimension", sort=False):
        if (rows["sd"].fillna(0) == 0).all():
            stdout.print(f"{dimension}: no indicator varies")
            continue
        shown = Table(title=f"Indicators: {dimension}", title_justify="left", show_edge=False)
        for column in ("indicator", "recorded", "mean", "95 % interval", "sd", "valid"):
            shown.add_column(column, justify="left" if column == "indicator" else "right")
        materials = rows[rows["indicator"].str.startswith("reuse_share:") & (rows["sd"] > 0)]
        # nothing to say about an indicator that is 0 in every sample, or never defined
        silent = (rows["valid"] == 0) | ((rows["sd"] == 0) & (rows["recorded"] == 0))
        # every headline indicator (the intro's promise), then some materials' shares
        picked = ~rows["indicator"].str.contains(":", regex=False) & ~silent
        picked |= rows.index.isin(materials.index[:MATERIALS_SHOWN])
        for row in rows[picked].to_dict("records"):
            name, unit = row["indicator"], row["unit"]
            form = (lambda v, u=unit: number(v, u)) if isinstance(unit, str) else share
            shown.add_row(
                markup_safe(name.replace("reuse_share:", "reuse share: ")),
                form(row["recorded"]),
                form(row["mean"]),
                f"{form(row['p2.5'])} – {form(row['p97.5'])}",
                form(row["sd"]),
                f"{row['valid']:,}",
            )
        stdout.print(shown)
        left_out = rows["indicator"][~rows["indicator"].str.contains(":", regex=False) & silent]
        if len(left_out):
            stdout.print(f"0 in every sample, or never defined: {', '.join(left_out)}")
    _print_drivers(result, names or {})
    _print_opportunities(result, names or {})


def _link(source: str, target: str, names: Mapping[str, str]) -> str:
    """``source → target``, a firm whose id is a code by its name too (plain text)."""
    return f"{name_and_id(source, names.get(source))} → {name_and_id(target, names.get(target))}"


def _print_drivers(result: UncertaintyResult, names: Mapping[str, str]) -> None:
    from rich.table import Table

    drivers = result.sensitivity
    drivers = drivers[drivers["indicator"].isin(DRIVERS_SHOWN)]
    if drivers.empty:
        return
    shown = Table(title="What drives the spread", title_justify="left", show_edge=False)
    for column in ("dimension", "indicator", "flow (row)", "material", "share of variance"):
        shown.add_column(column, justify="right" if column.startswith("share") else "left")
    for row in drivers.itertuples(index=False):
        shown.add_row(
            row.dimension,
            row.indicator,
            markup_safe(f"{_link(row.source, row.target, names)} ({row.row})"),
            markup_safe(row.material),
            share(row.contribution),
        )
    stdout.print(shown)


def _print_opportunities(result: UncertaintyResult, names: Mapping[str, str]) -> None:
    from rich.table import Table

    listed = result.opportunities
    if listed.empty:
        return
    shown = Table(
        title=f"Opportunities: how often in the top {result.top}",
        title_justify="left",
        show_edge=False,
    )
    for column in ("group", "rank", "from → to", "material", "in top", "quantity, 95 %"):
        shown.add_column(column, justify="right" if column in ("rank", "in top") else "left")
    for row in listed.to_dict("records"):
        shown.add_row(
            row["group"],
            str(row["rank"]),
            markup_safe(_link(row["source"], row["target"], names)),
            markup_safe(row["material"]),
            share(row["top_share"]),
            f"{number(row['quantity_p2.5'])} – {number(row['quantity_p97.5'])}",
        )
    stdout.print(shown)
