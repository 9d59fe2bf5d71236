"""``symbiosis reuse``: where the by-products, wastes and emissions of a network end."""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, Any

import typer

from .analysis_options import XlsxOption, YearOption
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
from .paths import output_option
from .render import dimension_rows, frame_table, share
from .validate import ExampleOption

if TYPE_CHECKING:
    import pandas as pd

    from ..analysis.reuse import ReuseAccounts

SHARE_COLUMNS = (
    "reuse_share",
    "utilization_rate",
    "circular_input_rate",
    "share",
    "reuse",
    "utilized",
    "circular",
)


class Breakdown(StrEnum):
    material = "material"
    category = "category"
    firm = "firm"
    receiver = "receiver"
    dimension = "dimension"
    all = "all"


# --by value -> (table name in ReuseAccounts.tables(), title)
BREAKDOWNS: dict[str, tuple[str, str]] = {
    "category": ("by_category", "Residuals by category"),
    "material": ("by_material", "Residuals by material"),
    "firm": ("by_generator", "Residuals by generating firm"),
    "receiver": ("by_receiver", "Where residuals end (receiving node)"),
    # the network table, one row per dimension: JSON's "dimensions", always there
    "dimension": ("network", "Residual streams by dimension (per year)"),
}

ByOption = Annotated[
    Breakdown,
    typer.Option(
        "--by",
        help="Breakdown to show: material, category, firm (generating actor), receiver "
        "(node where the residuals end, with the circular input rate of each actor), "
        "dimension (one row per dimension, each in its unit), or all.",
        rich_help_panel="Output",
    ),
]
CsvOption = output_option(
    "--csv",
    help="Also write every table (network: one row per dimension, by_category, by_material, "
    "by_generator, by_receiver, circular_inputs) as CSV files into this folder (all of them, "
    "or none).",
    folder=True,
)


def top_option(help: str = "Rows shown per text table (JSON and CSV hold all rows).") -> Any:
    """The annotation of ``--top``, the rows of each text table; ``help`` says what the
    command's other outputs hold instead (true of each command: tests/cli/test_docs.py)."""
    return Annotated[int, typer.Option("--top", min=1, help=help, rich_help_panel="Output")]


TopOption = top_option()


@command()
@handle_errors
def reuse(
    path: NetworkPath = None,
    firms: FirmsOption = None,
    year: YearOption = None,
    example: ExampleOption = None,
    by: ByOption = Breakdown.material,
    fmt: FormatOption = Format.text,
    csv: CsvOption = None,
    xlsx: XlsxOption = None,
    top: TopOption = 20,
    quiet: QuietOption = False,
) -> None:
    """Account for by-products, wastes and emissions: generated, reused, treated, sold,
    disposed, emitted, with the reuse share, the utilization rate and the circular input
    rate, per dimension.

    Fates follow the receiving node's role (docs/reuse.md). Try:
    [bold]symbiosis reuse --example tongling --by firm[/].
    """
    from ..analysis.reuse import reuse_accounts

    network = load_network(
        example_path(example) if example else path, firms, command="reuse", year=year
    )
    print_warnings(network.warnings, quiet)
    accounts = reuse_accounts(network)
    write_result_tables(
        "reuse", accounts, xlsx=xlsx, csv=csv, protected=network.source_files, quiet=quiet
    )  # the tables of accounts.tables(), as --csv always wrote them
    chosen = list(BREAKDOWNS) if by is Breakdown.all else [by.value]
    if fmt is Format.json:  # the network's figures per dimension are always there
        tables = [BREAKDOWNS[b][0] for b in chosen if b != "dimension"]
        if "receiver" in chosen:
            tables.append("circular_inputs")
        print_json_listing(lambda: accounts.to_dict(tables=tuple(tables), limit=None))
        return
    print_reuse(accounts, breakdowns=chosen, top=top)


def print_reuse(
    accounts: ReuseAccounts, *, breakdowns: list[str] | None = None, top: int = 20
) -> None:
    """The reuse accounts as text: network totals (one column per dimension; one row per
    dimension for the ``dimension`` breakdown), then the other chosen breakdowns, one table
    per dimension (JSON and CSV hold every column, names included)."""
    breakdowns = breakdowns or ["category", "material"]
    unsized = accounts.unquantified_streams and not accounts.network["streams"].any()
    if unsized:  # every sum 0 for want of sizes: said, not tabled
        stdout.print(
            f"No residual stream has a known size ({accounts.unquantified_streams:,} of "
            "unknown size): nothing is summed"
        )
    else:
        mixed = accounts.mixed_kinds()
        if "dimension" in breakdowns:  # the same figures as the totals, a row a dimension
            print_dimension_rows(accounts)
        else:
            table = by_dimension(accounts.network, SHARE_COLUMNS, accounts.unsized, mixed)
            stdout.print(frame_table(table, "Residual streams (per year)"))
        if accounts.unsized:
            stdout.print(unsized_line(accounts.unsized), soft_wrap=True)
        if mixed:
            print_kinds(accounts, mixed)
    if accounts.unquantified_streams and not unsized:
        stdout.print(
            f"{accounts.unquantified_streams:,} residual stream(s) of unknown size "
            "are left out of the sums"
        )
    if accounts.counted.get("streams"):
        stdout.print(counted_line(accounts.counted), soft_wrap=True)
    for breakdown in breakdowns:
        if breakdown == "dimension":  # shown above, as the totals
            continue
        name, title = BREAKDOWNS[breakdown]  # only the tables shown are made
        print_per_dimension(getattr(accounts, name), title, accounts.units, top=top)
        if breakdown == "receiver":
            print_per_dimension(
                accounts.circular_inputs, "Circular input rate per actor", accounts.units, top=top
            )


def counted_line(counted: dict) -> str:
    """The residual streams counted by fate, whatever their size, as one line."""
    from ..analysis.reuse import FATES

    fates = ", ".join(f"{counted[fate]:,} {fate}" for fate in FATES)
    return (
        f"Counted, whatever their size: {counted['streams']:,} residual stream(s), {fates}; "
        f"reuse share by count {share(counted['reuse_share'])}"
    )


def unsized_line(
    unsized: tuple[str, ...], said: str = "its streams are counted below, whatever their size"
) -> str:
    """What the ``unknown`` column of a dimension without a flow of known size means, and
    what is ``said`` of it all the same."""
    from ..export.markup import either

    return (
        f"unknown: no {either(list(unsized))} flow of known size; its sums and shares need "
        f"sizes ({said})"
    )


def by_dimension(
    table: pd.DataFrame,
    shares: tuple[str, ...],
    unsized: tuple[str, ...] = (),
    mixed: Mapping[str, Any] | None = None,
) -> pd.DataFrame:
    """A per-dimension table turned on its side: one column per dimension (with its
    unit), one row per quantity, shares as percentages; the column of an ``unsized``
    dimension (no flow of known size: every sum 0 for want of sizes) says ``unknown``,
    that of a dimension whose streams are of several kinds (``mixed``: its kinds) is
    marked ``(mixed: gas + water)``."""
    from ..export.report_headline import UNKNOWN

    side = table.set_index("dimension").T
    unknown = [d in unsized for d in side.columns]
    mixed = mixed or {}
    side.columns = [
        f"{d} ({u})" + (f" ({MIXED} {' + '.join(mixed[d])})" if d in mixed else "")
        for d, u in zip(side.columns, table["unit"], strict=True)
    ]
    side = side.drop(index="unit").astype(object)
    for quantity in side.index.intersection(shares):
        side.loc[quantity] = [share(v) for v in side.loc[quantity]]
    side.loc[:, unknown] = UNKNOWN
    side.index.name = "quantity"
    return side


#: What marks the column of a dimension whose residual streams are of several kinds.
MIXED = "mixed:"


def print_kinds(accounts: ReuseAccounts, mixed: Mapping[str, list[str]]) -> None:
    """The residual streams of each dimension that mixes kinds (volume: gas, water ...),
    one column per kind, and a line saying that the dimension's column adds them."""
    table = accounts.by_kind
    for dimension, kinds in mixed.items():
        rows = table[table["dimension"] == dimension].set_index("kind").drop(columns="dimension")
        side = rows.T.astype(object)
        side.columns = [f"{k} ({accounts.units[dimension]})" for k in side.columns]
        for quantity in side.index.intersection(SHARE_COLUMNS):
            side.loc[quantity] = [share(v) for v in side.loc[quantity]]
        side.index.name = "quantity"
        stdout.print(frame_table(side, f"Residual streams of {dimension} by kind"))
        stdout.print(
            f"The {dimension} column adds {' and '.join(kinds)} ({MIXED} "
            f"{' + '.join(kinds)}): its sums and shares mix them; read each kind's above "
            "(docs/reuse.md, 'Volumes of several kinds')",
            soft_wrap=True,
        )


def print_dimension_rows(accounts: ReuseAccounts) -> None:
    """The network's residual streams, one row per dimension in its own unit (no row sums
    dimensions); the fates that are zero in every dimension left out, shares as
    percentages, ``unknown`` across the row of a dimension without a flow of known size."""
    from ..analysis.reuse import FATES
    from ..export.report_headline import UNKNOWN

    table = accounts.network
    rows = table.set_index("dimension").astype(object)
    for column in rows.columns.intersection(SHARE_COLUMNS):
        rows[column] = [share(v) for v in rows[column]]
    rows.loc[rows.index.isin(accounts.unsized), rows.columns != "unit"] = UNKNOWN
    mixed = accounts.mixed_kinds()  # a dimension of several kinds: said on its row
    rows.index = [f"{d} ({MIXED} {' + '.join(mixed[d])})" if d in mixed else d for d in rows.index]
    rows.index.name = "dimension"
    empty = tuple(f for f in (*FATES, "reused_internally") if not table[f].any())
    stdout.print(frame_table(rows, BREAKDOWNS["dimension"][1], hide=empty, headers=TEXT_HEADERS))


# Text tables leave out long names and keys (JSON and CSV have them) and use short headers.
TEXT_HIDDEN = ("name", "material_key", "streams", "generators")
TEXT_HEADERS = {
    "reuse_share": "reuse",
    "utilization_rate": "utilized",
    "circular_input_rate": "circular",
    "secondary_inputs": "secondary",
}


def print_per_dimension(
    table: pd.DataFrame, title: str, units: dict[str, str], *, top: int
) -> None:
    """One rich table per dimension; fate columns that are zero throughout are hidden."""
    from ..analysis.reuse import FATES

    for dimension, positions in dimension_rows(table):
        empty = tuple(f for f in FATES if f in table and not table[f].iloc[positions].any())
        shown = table.iloc[positions[:top]]
        if "names" in table:  # the names merged into a row, shown when a row has several
            empty += () if (shown["names"] != shown["material"]).any() else ("names",)
        # a firm's name beside its id where one differs (a register's ids are credit codes)
        named = "name" in table and "firm" in table and (shown["name"] != shown["firm"]).any()
        stdout.print(
            frame_table(
                table.iloc[positions[:top]],
                f"{title}: {dimension} ({units[dimension]})",
                shares=SHARE_COLUMNS,
                max_rows=top,
                hide=(
                    "dimension",
                    *(h for h in TEXT_HIDDEN if not (named and h == "name")),
                    *empty,
                ),
                headers=TEXT_HEADERS,
                rows=len(positions),
            )
        )
