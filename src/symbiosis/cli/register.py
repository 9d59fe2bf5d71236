"""``symbiosis register import``: waste shipment registers in, yearly networks out."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from .app import (
    Format,
    FormatOption,
    QuietOption,
    command,
    echo,
    handle_errors,
    print_warnings,
    stdout,
)
from .paths import Reads, output_option
from .progress import step_progress
from .render import frame_table, markup_safe

if TYPE_CHECKING:
    from ..analysis.recovery import RecoveryRates
    from ..registers import RegisterImport


class Action(StrEnum):
    import_ = "import"


class EngineName(StrEnum):
    duckdb = "duckdb"
    spark = "spark"


ActionArgument = Annotated[Action, typer.Argument(help="What to do: import.", show_default=False)]
FilesArgument = Annotated[
    list[Path],
    typer.Argument(
        help="Register files, CSV or Parquet (one row per shipment).", show_default=False
    ),
    Reads("a register file"),
]
OutOption = output_option(
    "--out",
    help="Folder to write the networks to: firms.csv and flows.csv for all years, and one "
    "folder per year. Without it, the registers are only checked and summarised.",
    folder=True,
    files=("firms.csv", "flows.csv"),
)
MapOption = Annotated[
    list[str] | None,
    typer.Option(
        "--map",
        help="field=column: where a field is in the register, e.g. --map "
        "quantity=totalWasteQuantityTNE (repeatable). Fields: date, sender, receiver, "
        "waste_code, operation, quantity, unit; sender_name, sender_sector, receiver_name, "
        "receiver_role, material, receiver_country, country, consignment (a consignment "
        "number: its repeats are counted once).",
        rich_help_panel="Input",
        show_default=False,
    ),
]
MappingOption = Annotated[
    Path | None,
    typer.Option(
        "--mapping",
        help='A TOML mapping file: \\[columns] field = "column", \\[defaults] field = "value", '
        "\\[options] dayfirst = true (14/03/2021 is 14 March) (examples/registers/eprtr.toml).",
        rich_help_panel="Input",
        show_default=False,
    ),
]
EngineOption = Annotated[
    EngineName,
    typer.Option(
        "--engine",
        help="duckdb: embedded, out of core (default); spark: the same query on Spark "
        '(pip install "symbiosis\\[spark]").',
        rich_help_panel="Engine",
    ),
]
MemoryOption = Annotated[
    str,
    typer.Option(
        "--memory-limit",
        help="DuckDB's memory limit (e.g. 1GB); past it, DuckDB spills to the temporary folder.",
        rich_help_panel="Engine",
    ),
]


@command(name="register")
@handle_errors
def register(
    action: ActionArgument,
    files: FilesArgument,
    out: OutOption = None,
    column_map: MapOption = None,
    mapping: MappingOption = None,
    engine: EngineOption = EngineName.duckdb,
    memory_limit: MemoryOption = "1GB",
    fmt: FormatOption = Format.text,
    quiet: QuietOption = False,
) -> None:
    """Import waste shipment registers (date, sender, receiver, waste code, operation,
    quantity, unit per row) as one network per year, with the recovery rate by List of
    Waste chapter.

    Quantities are summed per year, sender, receiver, waste code and operation; each
    receiver's role follows from its R or D operations. Every bad row is reported at once
    as file:row: column. See docs/registers.md.
    """
    from ..registers import import_registers, read_mapping, steps

    read = read_mapping(mapping, column_map)
    with step_progress(steps(files, out), quiet) as step:  # minutes on a national register
        result = import_registers(
            files, out, mapping=read, engine=engine.value, memory_limit=memory_limit,
            progress=step,
        )  # fmt: skip
    print_warnings(result.warnings, quiet)
    recovery = _recovery(result)
    if fmt is Format.json:
        from ..export.json import to_json

        echo(to_json(_as_dict(result, recovery, out)))
        return
    _print(result, recovery, out)


def _recovery(result: RegisterImport) -> RecoveryRates:
    from ..analysis.recovery import recovery_of_flows

    # the register's flows are all in tonnes: value = quantity, dimension mass
    return recovery_of_flows(result.flows.assign(value=result.flows["quantity"], dimension="mass"))


def _as_dict(result: RegisterImport, recovery: RecoveryRates, out: Path | None) -> dict:
    return {
        "out": None if out is None else str(out),
        "shipments": result.shipments,
        "years": {
            str(year): {"firms": firms, "flows": flows}
            for year, (firms, flows) in result.years.items()
        },
        "firms": len(result.firms),
        "flows": len(result.flows),
        "recovery": recovery.to_dict(),
        "warnings": list(result.warnings),
    }


def _print(result: RegisterImport, recovery: RecoveryRates, out: Path | None) -> None:
    import pandas as pd

    tonnes = result.flows.groupby("year")["quantity"].sum()
    years = pd.DataFrame(
        {
            "year": [str(year) for year in result.years],
            "firms": [firms for firms, _ in result.years.values()],
            "flows": [flows for _, flows in result.years.values()],
            "tonnes": [float(tonnes.get(year, 0.0)) for year in result.years],
        }
    )
    where = f"written to {out}" if out is not None else "checked (nothing written: give --out)"
    stdout.print(
        markup_safe(f"{result.shipments:,} shipments, {len(result.firms):,} firms; {where}"),
        soft_wrap=True,  # a long path stays whole
    )
    stdout.print(frame_table(years, "Networks by year", units={"tonnes": "t"}))
    print_recovery(recovery)


def print_recovery(recovery: RecoveryRates) -> None:
    """The recovery rate as text: per year over all chapters, then by chapter for each
    year, in year order (the report's ``recovery`` section, and ``register import``)."""
    table = recovery.table.assign(year=recovery.table["year"].map(_year_text))
    if table.empty:
        return
    totals = table[table["chapter"] == "all"].drop(columns=["chapter", "title"])
    stdout.print(frame_table(totals, "Recovery rate by year", shares=("recovery_rate",)))
    for year in table["year"].unique():
        chapters = table[(table["chapter"] != "all") & (table["year"] == year)]
        stdout.print(
            frame_table(
                chapters.drop(columns=["year"]).sort_values(
                    "recovered", ascending=False, kind="stable"
                ),
                "Recovery rate by List of Waste chapter" + (f", {year}" if year else ""),
                shares=("recovery_rate",),
            )
        )


def _year_text(year: object) -> str:
    return "" if year is None or year != year else str(year)
