"""``symbiosis balance``: recorded inputs against outputs of every firm (a data-gap finder)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from .analysis_options import BALANCE_TOLERANCE, ToleranceOption, XlsxOption, YearOption
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
    stdout,
    write_result_tables,
)
from .firm_labels import name_and_id
from .paths import output_option
from .render import frame_table
from .reuse import TopOption, by_dimension, unsized_line
from .validate import ExampleOption

if TYPE_CHECKING:
    from ..analysis.balance import FirmBalances

AllOption = Annotated[
    bool,
    typer.Option(
        "--all",
        help="Show (and put in the JSON) every firm, not only the flagged ones.",
        rich_help_panel="Output",
    ),
]
CsvFileOption = output_option("--csv", help="Also write the whole balance table to this CSV file.")


@command()
@handle_errors
def balance(
    path: NetworkPath = None,
    firms: FirmsOption = None,
    year: YearOption = None,
    example: ExampleOption = None,
    tolerance: ToleranceOption = BALANCE_TOLERANCE,
    show_all: AllOption = False,
    fmt: FormatOption = Format.text,
    csv: CsvFileOption = None,
    xlsx: XlsxOption = None,
    top: TopOption = 20,
    quiet: QuietOption = False,
) -> None:
    """Compare each firm's recorded inputs and outputs, per dimension, and flag those
    beyond the tolerance.

    Unrecorded flows (air, fuel, water, losses) make imbalances normal: read the flags as
    places where the data may have gaps. Extraction actors are shown but not checked.
    """
    from ..analysis.balance import check_tolerance, firm_balances
    from .inputs import read_and_check

    network = read_and_check(  # the option's problem with the files', at once
        lambda: load_network(
            example_path(example) if example else path, firms, command="balance", year=year
        ),
        lambda _: check_tolerance(tolerance),
    )
    print_warnings(network.warnings, quiet)
    balances = firm_balances(network, tolerance)
    also = {}
    if csv is not None:
        from ..export.csv import to_csv_text

        also[csv] = to_csv_text(balances.table)
    write_result_tables(
        "balance", balances, xlsx=xlsx, also=also, protected=network.source_files, quiet=quiet
    )
    if fmt is Format.json:
        print_json_listing(lambda: balances.to_dict(every_firm=show_all, limit=None))
        return
    print_balance(balances, show_all=show_all, top=top)


def print_balance(balances: FirmBalances, *, show_all: bool = False, top: int = 20) -> None:
    """The firm balances as text: a summary per dimension, then the flagged firms."""
    summary = balances.summary.assign(unit=balances.summary["unit"])
    if len(summary) and not summary["checked"].any():  # every sum would be 0 for want of sizes
        stdout.print(
            "No firm could be checked: no flow of known size touches an actor (extraction "
            "actors are never checked)."
        )
        return
    unsized = tuple(summary.loc[summary["actors"] == 0, "dimension"])  # no known size
    stdout.print(
        frame_table(
            by_dimension(summary, ("flagged_share",), unsized),
            f"Firm balances (tolerance {100 * balances.tolerance:g} %)",
        )
    )
    if unsized:
        stdout.print(unsized_line(unsized, "no firm can be checked in it"), soft_wrap=True)
    heads = balances.heads(top, every_firm=show_all)  # not the whole table: a few rows each
    title = "Every firm" if show_all else "Beyond the tolerance (possible data gaps)"
    if not heads:
        stdout.print("Every checked firm balances within the tolerance.")
        return
    units = dict(zip(balances.summary["dimension"], balances.summary["unit"], strict=True))
    hinted = False
    for dimension, head, rows in heads:
        hint = _hints(head, units)
        hinted |= hint is not None
        # a firm whose id is a code by its name too (its name column stays hidden)
        head = head.assign(
            firm=[name_and_id(f, n) for f, n in zip(head["firm"], head["name"], strict=True)]
        )
        stdout.print(
            frame_table(
                head if hint is None else head.assign(hint=hint),
                f"{title}: {dimension} ({units[dimension]})",
                shares=("relative",),
                max_rows=top,
                hide=("dimension", "name", "flagged", "other_dimensions"),
                headers={"relative_imbalance": "relative", "unsized_flows": "unsized"},
                rows=rows,
            )
        )
    if hinted:
        stdout.print(
            "hint: the side a firm lacks in this dimension is recorded in another; "
            "dimensions are never balanced against each other, so such a flag may be no "
            "data gap (docs/reuse.md, Firm balances)",
            soft_wrap=True,
        )


def _hints(head, units: dict[str, str]) -> list[str] | None:
    """Per row shown, where its missing side is (``inputs in volume (m3/yr)``), or None
    when no row shown has one. O(rows shown)."""
    if not head["other_dimensions"].notna().any():
        return None
    hints = []
    for status, other in zip(head["status"], head["other_dimensions"], strict=True):
        if other is None:
            hints.append("")
            continue
        named = ", ".join(f"{d} ({units.get(d, '')})" for d in other.split(", "))
        hints.append(f"{status.removeprefix('no ')} in {named}")
    return hints
