"""``symbiosis reconcile``: adjust the uncertain flows so that the actors balance (what
STAN does), test the adjustments for gross errors, and write the reconciled network."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from .analysis_options import YearOption
from .app import (
    FirmsOption,
    Format,
    FormatOption,
    NetworkPath,
    QuietOption,
    command,
    example_path,
    handle_errors,
    load_network,
    print_json_listing,
    print_warnings,
    stderr,
    stdout,
)
from .firm_labels import firm_names, name_and_id, named_rows
from .paths import output_option
from .render import frame_table, markup_safe, number
from .reuse import top_option
from .validate import ExampleOption

if TYPE_CHECKING:
    from collections.abc import Mapping

    import pandas as pd

    from ..analysis.reconcile import Reconciliation
    from ..model import FlowNetwork

# Defaults of analysis.reconcile, repeated so that --help imports no analysis
# (tests/cli/test_reconcile.py checks they agree).
BALANCE_ROLES = "firm,recycling,treatment,utility,distributor"
ALPHA = 0.05
LOSSES = "energy"

OutOption = output_option(
    "--out",
    "-o",
    help="Write the reconciled network into this folder: firms.csv (copied) and flows.csv "
    "(reconciled quantities; uncertainty keeps the prior spreads, reconciled_sd the reduced, "
    "correlated ones), both or neither; refused (exit 2) when a flow reconciles below 0.",
    folder=True,
    files=("firms.csv", "flows.csv"),
)
ReconcileToleranceOption = Annotated[
    float,
    typer.Option(
        "--tolerance",
        "-t",
        help="Let each balance stay open by up to this share of the larger of its recorded "
        "inputs and outputs (0.05 = 5 %); 0 balances exactly.",
        rich_help_panel="Analysis",
    ),
]
RolesOption = Annotated[
    str,
    typer.Option(
        "--balance-roles",
        help="Comma-separated actor roles whose members balance (inputs = outputs) in each "
        "dimension where they have flows both in and out.",
        rich_help_panel="Analysis",
    ),
]
UncertaintyOption = Annotated[
    float | None,
    typer.Option(
        "--uncertainty",
        "-u",
        help="Relative standard deviation of the flows whose row gives no uncertainty "
        "(0.1 = 10 %); without it such flows are known exactly.",
        rich_help_panel="Analysis",
        show_default=False,
    ),
]
NonnegativeOption = Annotated[
    bool,
    typer.Option(
        "--nonnegative",
        help="Keep every adjusted flow >= 0 (with or without --tolerance). Without it, a flow the "
        "balances cannot carry reconciles to a negative value: a sign of a gross error.",
        rich_help_panel="Analysis",
    ),
]
LossesOption = Annotated[
    str,
    typer.Option(
        "--losses",
        help="Comma-separated dimensions where an actor may lose what the data do not record "
        "(conversion heat): there its outputs may fall short of its inputs, so it is left out "
        "of the balances and listed with its loss; 'none' balances every dimension.",
        rich_help_panel="Analysis",
    ),
]
TopOption = top_option("Rows shown per text table (JSON holds all rows).")
AlphaOption = Annotated[
    float,
    typer.Option(
        "--alpha",
        help="Significance level of the chi-square and measurement tests.",
        rich_help_panel="Analysis",
    ),
]


@command()
@handle_errors
def reconcile(
    path: NetworkPath = None,
    firms: FirmsOption = None,
    year: YearOption = None,
    example: ExampleOption = None,
    out: OutOption = None,
    tolerance: ReconcileToleranceOption = 0.0,
    balance_roles: RolesOption = BALANCE_ROLES,
    uncertainty: UncertaintyOption = None,
    alpha: AlphaOption = ALPHA,
    nonnegative: NonnegativeOption = False,
    losses: LossesOption = LOSSES,
    fmt: FormatOption = Format.text,
    top: TopOption = 20,
    quiet: QuietOption = False,
) -> None:
    """Reconcile the flows with the actors' balances (what STAN does): adjust the uncertain
    flows, weighted by their variances, so that every actor that should balance does, and
    flag the adjustments too large to be noise.

    Uncertainties come from the flows' quantity_low/quantity_high, uncertainty or quality
    columns, or --uncertainty. Method, tests and assumptions: docs/reconciliation.md. Try:
    [bold]symbiosis reconcile --example tongling --out reconciled[/].
    """
    from ..analysis.reconcile import reconcile as reconcile_flows

    roles = [r.strip() for r in balance_roles.split(",") if r.strip()]
    loss_dimensions = [d.strip() for d in losses.split(",") if d.strip()]
    settings = (roles, tolerance, alpha, uncertainty, nonnegative, loss_dimensions)
    network = _load_checked(path, firms, example, settings, year)
    print_warnings(network.warnings, quiet)
    result = reconcile_flows(
        network,
        default_uncertainty=uncertainty,
        balance_roles=roles,
        tolerance=tolerance,
        alpha=alpha,
        nonnegative=nonnegative,
        losses=loss_dimensions,
    )
    names = firm_names(network)
    _warn_impossible(result, quiet, names)
    if tolerance >= 1 and not quiet:  # |inputs - outputs| <= max(inputs, outputs) always
        stderr.print(
            f"[yellow]warning:[/] --tolerance {tolerance:g} lets every balance stay open by "
            f"{100 * tolerance:g} % of its larger side, at least any gap between flows >= 0: "
            "nothing is adjusted; a tolerance is a share (0.05 = 5 %)"
        )
    negative = int((result.flows["reconciled"] < 0).sum())
    if negative and not quiet and out is None:  # with --out: refused below, row by row
        stderr.print(
            f"[yellow]warning:[/] {negative} flows are negative after reconciliation: the "
            "balances ask more of them than they carry (a missing flow?); see the flagged "
            "flows, or keep flows >= 0 with --nonnegative"
        )
    unwritable = _unwritable(network, result) if out is not None and negative else []
    if out is not None and not unwritable:
        _write_network(out, network, result, quiet)
    if fmt is Format.json:
        print_json_listing(lambda: result.to_dict(limit=None))
    else:
        print_reconciliation(result, top=top, names=names)
    if unwritable:  # the result is shown; the folder, which would not load, is not written
        from ..errors import InputError

        raise InputError(unwritable)


def _unwritable(network: FlowNetwork, result: Reconciliation) -> list:
    from ..analysis.reconcile_output import negative_flows

    return negative_flows(network, result)


def _warn_impossible(result: Reconciliation, quiet: bool, names: Mapping[str, str]) -> None:
    """One warning per actor whose recorded outputs exceed its inputs in a loss dimension."""
    impossible = result.loss_actors[result.loss_actors["impossible"]]
    for actor in [] if quiet else impossible.itertuples():
        tested = "" if actor.z != actor.z else f", z {actor.z:.3g}, one-sided p {actor.p_value:.3g}"
        firm = markup_safe(name_and_id(actor.firm, names.get(actor.firm)))
        stderr.print(
            f"[yellow]warning:[/] {firm} sends out more {actor.dimension} "
            f"than it receives ({number(actor.outputs, actor.unit)} out, "
            f"{number(actor.inputs, actor.unit)} in{tested}): impossible as recorded; check "
            "its flows, or an input recorded in another dimension (a fuel in tonnes)"
        )


def _load_checked(path, firms, example, settings, year=None) -> FlowNetwork:
    """The network, with the options checked too: the problems of both at once."""
    from ..analysis.reconcile import check_settings
    from ..errors import InputError

    problems = []
    for step in (
        lambda: check_settings(*settings),
        lambda: load_network(
            example_path(example) if example else path, firms, command="reconcile", year=year
        ),
    ):
        try:
            network = step()
        except InputError as exc:
            problems += exc.problems
    if problems:
        raise InputError(problems)
    return network


def _write_network(folder: Path, network: FlowNetwork, result: Reconciliation, quiet: bool):
    """firms.csv (the input file's bytes, or the firms table when there was none) and the
    reconciled flows.csv, as one write set: both or neither."""
    from ..analysis.reconcile import reconciled_flows
    from ..export.csv import network_csv_text
    from ..export.files import write_files_atomic
    from .export import say_written

    firms_file = network.source_files[0] if len(network.source_files) == 2 else None
    if firms_file is not None:
        firms: str | bytes = firms_file.read_bytes()
    else:
        table = network.firms.drop(columns=["actor", "row"], errors="ignore").reset_index()
        firms = network_csv_text(table)
    flows = network_csv_text(reconciled_flows(network, result))
    files = {folder / "firms.csv": firms, folder / "flows.csv": flows}
    for written in write_files_atomic(files, protected=network.source_files):
        say_written(written, quiet)


def print_reconciliation(
    result: Reconciliation, *, top: int = 20, names: Mapping[str, str] | None = None
) -> None:
    """The tests per dimension, the flows by status and the flagged flows, as text
    (at most ``top`` rows per table), a firm whose id is a code named by ``names`` too
    (id -> name, :func:`~.firm_labels.firm_names`). O(f) for the counts."""
    if not len(result.tests):
        roles = ", ".join(result.balance_roles)
        other = f" other than {', '.join(result.losses)}" if result.losses else ""
        stdout.print(
            f"No actor balances ({roles} with flows both in and out of one dimension"
            f"{other}): nothing to reconcile; see --balance-roles"
            f"{' and --losses' if result.losses else ''}."
        )
    tests = result.tests.rename(columns={"balancing_actors": "actors"})
    title = f"Global test (chi-square, alpha {result.alpha:g})"
    if result.tolerance:
        title += f"; flows reconciled within a tolerance of {100 * result.tolerance:g} %"
    if len(tests):
        stdout.print(frame_table(tests.set_index("dimension"), title, shares=()))
    counts = result.flows["status"].value_counts().rename_axis("status").rename("flows")
    stdout.print(frame_table(counts.to_frame(), "Flows"))
    flagged = result.flagged
    if not result.flows["z"].notna().any():  # no flow both uncertain and in a balance
        stdout.print(
            "No adjustment was tested: no flow is both uncertain and checked by a balance."
        )
    elif not len(flagged):
        stdout.print(f"No adjustment is too large to be noise (|z| <= {result.z_critical:.2f}).")
    else:
        # the row of flows.csv tells apart two flows of one source, target and material
        columns = ["row", "source", "target", "material", "measured", "reconciled", "sd", "z"]
        columns.append("unit")
        stdout.print(
            frame_table(
                _named(flagged[columns], top, names),
                f"Adjustments too large to be noise (|z| > {result.z_critical:.2f}): "
                "check these flows, or a missing flow at their actors"
                + (  # the bounded value beside the z of the exact adjustment: say so
                    "; z is that of the exact balances, reconciled within the bounds"
                    if result.tolerance or result.nonnegative
                    else ""
                ),
                max_rows=top,
                rows=len(flagged),
            )
        )
    print_flow_classes(result, top=top, names=names)
    if len(result.loss_actors):
        print_losses(result, top=top, names=names)
    if len(result.one_sided):
        stdout.print(
            frame_table(
                _named(result.one_sided, top, names),
                "Left out of the balances (flows only in or only out)",
                max_rows=top,
                rows=len(result.one_sided),
            )
        )


def _named(rows: pd.DataFrame, top: int, names: Mapping[str, str] | None) -> pd.DataFrame:
    """The first ``top`` of ``rows``, the table shows, their firms labelled (a firm whose
    id is a code by its name too: :func:`~.firm_labels.named_rows`). O(top)."""
    return named_rows(rows.head(top), names, "source", "target", "firm")


#: The flows listed by class in the text (title, columns); adjusted ones are in the JSON
#: and the reconciled folder (too many to list), the flagged ones above.
FLOW_CLASSES = {
    "estimated": (
        "Estimated: flows of unknown size that the balances determine (value ± sd)",
        ["row", "source", "target", "material", "reconciled", "reconciled_sd", "unit"],
    ),
    "unobservable": (
        "Unobservable: flows of unknown size that the balances do not determine (left empty)",
        ["row", "source", "target", "material", "dimension"],
    ),
    "not redundant": (
        "Not redundant: no balance checks these flows (kept as recorded, sd unchanged)",
        ["row", "source", "target", "material", "measured", "sd", "unit"],
    ),
}


def print_flow_classes(
    result: Reconciliation, *, top: int = 20, names: Mapping[str, str] | None = None
) -> None:
    """The estimated flows with their value and sd, and the unobservable and not redundant
    flows named, in the network's order (at most ``top`` rows each). O(f)."""
    status = result.flows["status"]
    for kind, (title, columns) in FLOW_CLASSES.items():
        rows = result.flows.loc[status == kind, columns]
        if len(rows):
            rows = rows.rename(columns={"reconciled": "estimated", "reconciled_sd": "sd"})
            stdout.print(frame_table(_named(rows, top, names), title, max_rows=top, rows=len(rows)))


def print_losses(
    result: Reconciliation, *, top: int = 20, names: Mapping[str, str] | None = None
) -> None:
    """The actors left out of the balances of a loss dimension, with their losses."""
    table = result.loss_actors.rename(columns={"loss_share": "share", "unknown_flows": "unknown"})
    dimensions = ", ".join(result.losses)
    stdout.print(
        frame_table(
            _named(table, top, names).set_index("dimension"),
            f"Not balanced in {dimensions} (--losses): outputs may fall short of inputs; "
            "loss = inputs - outputs, share of inputs; z: the excess of the outputs over its "
            "standard deviation, p_value one-sided; impossible: more out than in (beyond the "
            f"flows' uncertainty at alpha {result.alpha:g}, or beyond rounding without it)",
            shares=("share",),
            max_rows=top,
            rows=len(table),
        )
    )
