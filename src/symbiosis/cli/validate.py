"""``symbiosis validate``: check the input files and report every problem at once."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

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

if TYPE_CHECKING:
    from ..model import FlowNetwork

ExampleOption = Annotated[
    str | None,
    typer.Option(
        "--example",
        help="Use a bundled example instead of PATH (e.g. tongling).",
        rich_help_panel="Input",
        show_default=False,
    ),
]


@command()
@handle_errors
def validate(
    path: NetworkPath = None,
    firms: FirmsOption = None,
    example: ExampleOption = None,
    fmt: FormatOption = Format.text,
    quiet: QuietOption = False,
) -> None:
    """Check firms.csv and flows.csv: columns, ids, units, categories, roles and quantities.

    Every problem is listed as [bold]file:row: column: what is wrong; what to do[/], all at
    once. Exit code 0 when the files are valid, 2 when they are not.
    """
    from ..export.json import to_json

    network = load_network(example_path(example) if example else path, firms, command="validate")
    warnings = years_checked(network)
    print_warnings(warnings, quiet)
    summary = network.summary()
    if fmt is Format.json:
        echo(to_json({"valid": True, "summary": summary, "warnings": warnings}))
        return
    stdout.print(
        f"[green]valid:[/] {summary.firms:,} nodes ({summary.actors:,} actors, "
        f"{summary.boundary_nodes:,} boundary) and {summary.flows:,} flows "
        f"({summary.flows_unknown_quantity:,} of unknown size)"
    )


def years_checked(network: FlowNetwork) -> list[str]:
    """``network``'s warnings, with the one that its years are added up (the library's,
    :func:`~symbiosis.io.flows.years_added_up`) said as what validate does: it checks the
    flows of every year, while the commands that analyse one network take the latest year
    unless ``--year`` says otherwise (tester cities3, defect 9: validate said the years
    were added up, which no command does by default any more). O(F) for the years."""
    from ..analysis.years import years_of
    from ..io.flows import YEARS_ADDED_UP

    said = []
    for warning in network.warnings:
        if YEARS_ADDED_UP in warning:
            years = years_of(network)
            file = warning.split(": flows of ", 1)[0]
            warning = (
                f"{file}: flows of {len(years)} years ({', '.join(map(str, years))}): validate "
                "checks the flows of every year; the commands that analyse one network take "
                f"the latest year, {years[-1]}, unless --year says otherwise (--year all adds "
                "the years up), and 'symbiosis trends' gives each year"
            )
        said.append(warning)
    return said
