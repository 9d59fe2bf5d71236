"""``symbiosis analyze``: every analysis pass on one network, as tables or JSON."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import asdict
from functools import partial
from importlib import import_module
from typing import TYPE_CHECKING, Annotated, Any

import typer

from .. import _interrupts as interrupts
from .analysis_options import (
    BALANCE_TOLERANCE,
    LOOP_TIME_BUDGET,
    MAX_LOOP_LENGTH,
    MAX_LOOPS,
    Balance,
    BalanceOption,
    MaxLengthOption,
    MaxLoopsOption,
    TablesFolderOption,
    Throughflow,
    ThroughflowOption,
    TimeBudgetOption,
    ToleranceOption,
    XlsxOption,
    YearOption,
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
    listed_top,
    load_network,
    print_warnings,
    stderr,
    stdout,
    table_outputs,
)
from .export import HtmlReportOption, ReportSamplesOption, ReportSeedOption, sampling_problems
from .firm_labels import firm_names
from .paths import output_option
from .progress import no_progress
from .render import frame_table, headline_tables
from .uncertainty import UncertaintyOption
from .validate import ExampleOption

if TYPE_CHECKING:
    from pathlib import Path

    from ..model import FlowNetwork
    from ..report import Report

OutOption = output_option("--out", "-o", help="Also write the JSON report to this file.", json=True)
SectionsOption = Annotated[
    str | None,
    typer.Option(
        "--sections",
        "-s",
        help="Only these sections, comma-separated, e.g. reuse,loops (the keys of the JSON "
        "report; an unknown name lists them); default: all.",
        rich_help_panel="Analysis",
        show_default=False,
    ),
]


@command()
@handle_errors
def analyze(
    path: NetworkPath = None,
    firms: FirmsOption = None,
    year: YearOption = None,
    example: ExampleOption = None,
    fmt: FormatOption = Format.text,
    out: OutOption = None,
    html: HtmlReportOption = None,
    xlsx: XlsxOption = None,
    csv: TablesFolderOption = None,
    sections: SectionsOption = None,
    max_length: MaxLengthOption = MAX_LOOP_LENGTH,
    max_loops: MaxLoopsOption = MAX_LOOPS,
    time_budget: TimeBudgetOption = LOOP_TIME_BUDGET,
    tolerance: ToleranceOption = BALANCE_TOLERANCE,
    throughflow: ThroughflowOption = Throughflow.max,
    balance: BalanceOption = Balance.none,
    samples: ReportSamplesOption = 0,
    seed: ReportSeedOption = None,
    uncertainty: UncertaintyOption = None,
    quiet: QuietOption = False,
) -> None:
    """Run every analysis on a network and print the report.

    The text opens with the headline numbers (reuse share, Finn cycling index, disposed,
    loops, cores, cyclicity, chain depth, opportunities), then each section. Try it on the
    bundled example: [bold]symbiosis analyze --example tongling[/].
    """
    from .._memory import return_freed_memory
    from ..errors import InputError
    from ..export.files import write_files_atomic
    from ..options import Options
    from .export import say_written
    from .inputs import read_all, with_problems_of

    def read() -> FlowNetwork:
        return load_network(
            example_path(example) if example else path, firms, command="analyze", year=year
        )

    def sampling() -> None:
        from ..errors import Problem

        problems = sampling_problems(samples, seed, uncertainty)
        if problems:
            raise InputError([Problem("", None, None, problem) for problem in problems])

    try:  # every problem of the sections and the options at once, and the files' too
        chosen, options, _ = read_all(lambda: chosen_sections(sections, samples), lambda: Options(
            max_loop_length=max_length, max_loops=max_loops, loop_time_budget=time_budget,
            balance_tolerance=tolerance, throughflow=throughflow.value, balance=balance.value,
            samples=samples, seed=seed or 0, uncertainty=uncertainty), sampling)  # fmt: skip
    except InputError as exc:  # and what the sections named need of the network
        raise with_problems_of(exc, lambda: unmet_sections(read(), sections)) from None
    # Without tables, each section becomes its dict (and its text) as soon as it is made:
    # the typed results of a million flows hold ~0.5 GB. The HTML page is drawn from the
    # dicts (the same page: report_html reads a section through its dict).
    streamed = xlsx is None and csv is None
    printed = fmt is Format.text and not (out is not None and str(out) == "-")
    json_out = out is not None or fmt is Format.json
    report: Report | None = None
    dicts: dict[str, Any] = {}
    texts: dict[str, str] = {}
    with section_progress(len(chosen), quiet) as step:
        network = unmet_sections(read(), sections)
        from ..export.json import to_json_bytes  # the passes, once the network is read
        from ..report import analyze as run_analysis
        from ..report import analyze_to_dict, planned_sections, report_dict, run_sections

        # all sections: those the network calls for (the library leaves out the others)
        named = None if sections is None else chosen
        step.expect(len(planned_sections(network, sections=named, **asdict(options))))
        run = {"sections": named, "progress": step, **asdict(options)}
        if streamed and not printed:
            data: dict[str, Any] | None = analyze_to_dict(network, **run)
        elif streamed:
            whole = out is not None or html is not None
            # the text and the dicts read no opportunities' ranked table: left out
            convert = partial(rendered, whole=whole, names=firm_names(network))
            made = dict(run_sections(network, convert=convert, lean=True, **run))
            dicts = {name: made[name][0] for name in chosen if name in made}  # report order
            texts = {name: made[name][1] for name in dicts}
            data = report_dict(dicts, options, network.warnings) if whole else None
        else:
            report = run_analysis(network, **run)
            data = report.to_dict() if json_out else None
    from ..export.report_headline import report_warnings

    if report is not None:  # what the headline reads: the passes' warnings are there too
        dicts = headline_dicts(report, data)
    elif not dicts and data is not None:  # the JSON report's alone
        dicts = {name: data[name] for name in chosen if name in data}
    # the network's data warnings, then the passes' own (the opportunities' streams taken
    # as hazardous by the node they go to), each once, as the HTML report lists them
    print_warnings(report_warnings(network.warnings, dicts), quiet)
    # UTF-8 as encoded: a large report's megabytes neither decoded nor encoded again
    encoded = to_json_bytes(data) if data is not None and json_out else b""
    outputs: dict[Any, str | bytes] = {out: encoded} if out is not None else {}
    if report is not None:
        outputs.update(
            report_files(network, report, data, html=html, xlsx=xlsx, csv=csv, quiet=quiet)
        )
    elif html is not None and data is not None:
        # the page reads the tables and a few sums, not the passes' caches (~250 MB at a
        # million flows), which go first: the network page peaks at ~300 MB of its own
        network = network.uncached()
        return_freed_memory(whole=True)
        outputs[html] = report_page(network, data)
    write_files_atomic(outputs, protected=network.source_files)  # all, or none
    if html is not None:
        say_written(html, quiet)
    if any(str(path) == "-" for path in outputs):
        return  # an output went to standard output: the printed report would corrupt it
    if fmt is Format.json:
        echo(encoded)
        return
    print_tables(headline_tables(network, dicts))
    if report is not None:
        names = firm_names(network)
        for name, result in report.sections.items():
            renderer(name, names)(result)
        return
    for name in dicts:
        write_rendered(texts[name])


def rendered(
    name: str, result: Any, *, whole: bool, names: Mapping[str, str] | None = None
) -> tuple[Any, str]:
    """A section's dict (``whole``, or as far as the headline reads it) and its text as
    it would print (the firms named by ``names``: :func:`renderer`): made in the lane
    that made the result (:func:`~symbiosis.report.run_sections`), so that the typed
    result is let go at once. Thread-safe: the console's capture buffers are its threads'
    own. O(the section's to_dict and rendering)."""
    from ..export.report_headline import headline_data

    data = result.to_dict() if whole else headline_data({name: result})[name]
    with stdout.capture() as captured:
        renderer(name, names)(result)
    return data, captured.get()


def print_tables(tables: list[Any]) -> None:
    for table in tables:
        stdout.print(table)


def write_rendered(text: str) -> None:
    """Text the console rendered (captured), written whole (:func:`~.app.echo`)."""
    try:
        echo(text, nl=False)
    except BrokenPipeError:
        stdout.on_broken_pipe()


def report_files(
    network: FlowNetwork,
    report: Report,
    data: dict[str, Any] | None,
    *,
    html: Path | None,
    xlsx: Path | None,
    csv: Path | None,
    quiet: bool = False,
) -> dict[Any, str | bytes]:
    """The HTML page and the tables asked for, by path (none written yet)."""
    outputs: dict[Any, str | bytes] = {}
    if html is not None:  # the sections' dicts, when made already, are not made twice
        from ..export.report_html import report_html

        outputs[html] = report_html(network, report, section_dicts=data)
    if xlsx is not None or csv is not None:
        from ..export.xlsx import report_tables

        tables = report_tables(report.sections)
        listed = listed_top(report.sections.get("opportunities"))
        outputs.update(table_outputs(tables, xlsx=xlsx, csv=csv, listed=listed, quiet=quiet))
    return outputs


def report_page(network: FlowNetwork, data: dict[str, Any]) -> str:
    """The HTML report from the report's data (:func:`~symbiosis.report.report_dict`):
    the page of the typed report, byte for byte, without holding the typed results."""
    from ..export.report_html import report_html
    from ..report import Report

    return report_html(network, Report.from_dict(data))


class _Steps:
    """The progress of the sections: called with each section's name as it starts;
    :meth:`expect` sets how many will run, once the network is read. Quiet: only a
    Ctrl-C swallowed on the way is checked at each stage."""

    def __init__(self, progress: Any = None, task: Any = None) -> None:
        self.progress, self.task = progress, task

    def __call__(self, name: str) -> None:
        interrupts.check()  # each stage: a Ctrl-C swallowed on the way
        if self.progress is not None:
            self.progress.update(self.task, advance=1, description=f"analysing: {name}")

    def expect(self, sections: int) -> None:
        if self.progress is not None:
            self.progress.update(self.task, total=sections + 1)


@contextmanager
def section_progress(sections: int, quiet: bool) -> Iterator[_Steps]:
    """A progress bar on stderr, reading then one step per section (``sections``, until
    :meth:`_Steps.expect` says how many run); what moves it on. Quiet: nothing shown, and
    rich's progress module not even imported."""
    if no_progress(quiet):
        yield _Steps()
        return
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        SpinnerColumn,
        TextColumn,
        TimeElapsedColumn,
    )

    columns = (
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=stderr, transient=True) as progress:
        yield _Steps(progress, progress.add_task("reading the files", total=sections + 1))


def chosen_sections(option: str | None, samples: int = 0) -> list[str]:
    """The sections named by ``--sections`` (comma-separated, in the report's order), or
    every section; unknown names are refused, listed with the valid ones, and so is the
    uncertainty section without ``--samples`` (what the network lacks for the other
    conditional sections: :func:`unmet_sections`, once it is read)."""
    from ..errors import InputError, Problem
    from ..options import SECTION_NAMES as SECTIONS  # the passes' code not loaded yet
    from ..options import SECTION_NEEDS

    if option is None:
        return list(SECTIONS)
    named = [name.strip().lower() for name in option.split(",") if name.strip()]
    unknown = [name for name in named if name not in SECTIONS]
    if unknown or not named:
        what = (
            f"unknown section(s) {', '.join(repr(name) for name in unknown)}"
            if unknown
            else "no section named"
        )
        raise InputError(
            f"--sections: {what}; choose from {', '.join(SECTIONS)} "
            "(comma-separated, e.g. --sections reuse,loops)"
        )
    if "uncertainty" in named and not samples:
        need = SECTION_NEEDS["uncertainty"].format(samples="--samples N")
        raise InputError(
            Problem("", None, None, f"--sections: section 'uncertainty' needs {need}: "
                    "none were asked for", "add --samples N, e.g. --samples 1000")
        )  # fmt: skip
    return [name for name in SECTIONS if name in named]


def unmet_sections(network: FlowNetwork, option: str | None) -> FlowNetwork:
    """``network``, once each conditional section ``--sections`` names (but the
    uncertainty section: :func:`chosen_sections`) can run on it; else an
    :class:`~symbiosis.errors.InputError` saying what each needs, one line each. O(F)
    for the trends of flows with a ``year`` column, else O(1)."""
    from ..errors import InputError, Problem
    from ..report.sections import CONDITIONAL_SECTIONS, unmet  # imported as it loaded

    named = {name.strip().lower() for name in (option or "").split(",")}
    problems = [
        Problem("", None, None, f"--sections: {why}")
        for name in CONDITIONAL_SECTIONS
        if name in named and name != "uncertainty" and (why := unmet(name, network, 1))
    ]
    if problems:
        raise InputError(problems)
    return network


def headline_dicts(report: Report, data: dict[str, Any] | None) -> dict[str, Any]:
    """The sections' dicts by name, in report order, as far as the headline block reads
    them (export.report_headline chooses its numbers): the whole dicts where the JSON
    report made them (``data``), else only what the headline reads. Their ``warnings``
    are the passes' own. O(size of the dicts made)."""
    from ..export.report_headline import headline_data

    known = data or {}  # the sections' whole dicts, when the JSON report made them
    missing = {name: result for name, result in report.sections.items() if name not in known}
    made = headline_data(missing)
    return {name: known[name] if name in known else made[name] for name in report.sections}


def print_generic(result) -> None:
    if hasattr(result, "to_frame"):
        stdout.print(frame_table(result.to_frame(), type(result).__name__))


def print_summary(summary) -> None:
    """The network summary section as text."""
    stdout.print(
        f"[bold]Network[/]: {summary.firms:,} nodes ({summary.actors:,} actors, "
        f"{summary.boundary_nodes:,} boundary), {summary.flows:,} flows"
        + (
            f", {summary.flows_unknown_quantity:,} of unknown size"
            if summary.flows_unknown_quantity
            else ""
        )
    )
    import pandas as pd

    roles = pd.DataFrame({"nodes": pd.Series(summary.firms_by_role, dtype="int64")})
    roles.index.name = "role"
    categories = pd.DataFrame({"flows": pd.Series(summary.flows_by_category, dtype="int64")})
    categories.index.name = "category"
    stdout.print(frame_table(roles, "Nodes by role"))
    stdout.print(frame_table(categories, "Flows by category"))
    # a dimension whose flows are all of unknown size sums to 0 for want of sizes: left out
    unsized = [d for d, known in summary.flows_known_by_dimension.items() if not known]
    totals = summary.to_frame().drop(index=unsized, columns="unit").T
    if unsized:
        from ..export.markup import either

        stdout.print(f"No {either(unsized)} flow has a known quantity: no totals.")
    if totals.empty:
        return
    totals.columns = [f"{d} ({summary.units[d]})" for d in totals.columns]
    totals.index.name = "total of flows"
    stdout.print(frame_table(totals, "Totals per dimension"))


# The text renderer of each report section: (module, function), imported when used; the
# renderer lives with the command that prints the same result on its own.
RENDERERS: dict[str, tuple[str, str]] = {
    "summary": ("analyze", "print_summary"),
    "reuse": ("reuse", "print_reuse"),
    "balance": ("balance", "print_balance"),
    "structure": ("structure", "print_structure"),
    "opportunities": ("opportunities", "print_opportunities"),
    "cycling": ("loops", "print_cycling"),
    "loops": ("loops", "print_loops_section"),
    "recovery": ("register", "print_recovery"),
    "trends": ("trends", "print_trends"),
    "uncertainty": ("uncertainty", "print_uncertainty"),
}


#: The sections whose renderer names firms by ``names`` (id -> name) where their ids are
#: codes (:mod:`.firm_labels`), beyond what their result holds (the loops an opportunity
#: closes pass through firms none of the opportunities names).
NAMED: frozenset[str] = frozenset({"opportunities", "trends", "uncertainty"})


def renderer(section: str, names: Mapping[str, str] | None = None):
    """The function that prints ``section`` of the report as text; one of :data:`NAMED`
    given the network's ``names`` (:func:`~.firm_labels.firm_names`)."""
    if section not in RENDERERS:
        return print_generic
    module, function = RENDERERS[section]
    shown = getattr(import_module(f"{__package__}.{module}"), function)
    return partial(shown, names=names) if names is not None and section in NAMED else shown
