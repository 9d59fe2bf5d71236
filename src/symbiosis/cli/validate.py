"""``symbiosis validate``: check the input files and report every problem at once."""

from __future__ import annotations

from typing import Annotated

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
    print_warnings(network.warnings, quiet)
    summary = network.summary()
    if fmt is Format.json:
        echo(to_json({"valid": True, "summary": summary, "warnings": network.warnings}))
        return
    stdout.print(
        f"[green]valid:[/] {summary.firms:,} nodes ({summary.actors:,} actors, "
        f"{summary.boundary_nodes:,} boundary) and {summary.flows:,} flows "
        f"({summary.flows_unknown_quantity:,} of unknown size)"
    )
