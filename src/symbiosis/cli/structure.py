"""``symbiosis structure``: resource-city indicators (extraction dependence, sector
diversity, industrial chain depth)."""

from __future__ import annotations

from typing import TYPE_CHECKING

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
from .firm_labels import loop_labels
from .paths import output_option
from .render import dimension_rows, frame_table, markup_safe
from .reuse import TopOption, by_dimension, unsized_line
from .validate import ExampleOption

if TYPE_CHECKING:
    from ..analysis.structure import StructureIndicators

SHARE_COLUMNS = (
    "extraction_dependence",
    "extraction_dependence_recorded",
    "imports_share",
    "environment_share",
    "unrecorded_share",
    "circulating_share",
    "sector_evenness",
    "market_sales_staged",
    "share",
    "extraction_share",
)
CsvOption = output_option(
    "--csv",
    help="Also write the tables (dimensions, sectors, stages, origins) as CSV files "
    "into this folder (all of them, or none).",
    folder=True,
)


@command()
@handle_errors
def structure(
    path: NetworkPath = None,
    firms: FirmsOption = None,
    year: YearOption = None,
    example: ExampleOption = None,
    fmt: FormatOption = Format.text,
    csv: CsvOption = None,
    xlsx: XlsxOption = None,
    top: TopOption = 20,
    quiet: QuietOption = False,
) -> None:
    """Resource-city indicators: how much of the throughflow comes from the network's own
    mines, how diverse its sectors are, and how many processing stages its chains have.

    Formulas and sources: docs/reuse.md.
    """
    from ..analysis.structure import resource_city_indicators

    network = load_network(
        example_path(example) if example else path, firms, command="structure", year=year
    )
    print_warnings(network.warnings, quiet)
    indicators = resource_city_indicators(network)
    write_result_tables(
        "structure", indicators, xlsx=xlsx, csv=csv, protected=network.source_files, quiet=quiet
    )  # dimensions, sectors, stages, origins
    if fmt is Format.json:
        print_json_listing(lambda: indicators.to_dict(limit=None))
        return
    print_structure(indicators, top=top)


def print_structure(indicators: StructureIndicators, *, top: int = 20) -> None:
    """The resource-city indicators as text: one column per dimension, then sectors."""
    from ..analysis.structure import CHAIN_FLOWS

    table = indicators.dimensions
    if len(table) and not table["total_system_throughflow"].any():  # no flow of known size
        stdout.print(
            "No flow has a known size: the indicators per dimension (throughflow, "
            "extraction dependence, sector diversity) need sizes; the chain is read from "
            "the links."
        )
    else:  # a dimension whose actors have no throughflow of known size: unknown, not 0
        unsized = tuple(table.loc[table["total_system_throughflow"] == 0, "dimension"])
        shown = by_dimension(table, SHARE_COLUMNS, unsized)
        stdout.print(frame_table(shown, "Resource-city indicators"))
        if unsized:
            stdout.print(unsized_line(unsized, "the chain is read from the links"), soft_wrap=True)
    longest = indicators.chain_depth_longest
    stdout.print(
        "Longest industrial chain (extraction to market): "
        + (
            f"{longest} stage(s)"
            if longest is not None
            else "none (no extraction actor reaches a market)"
        )
    )
    if indicators.chain_path:
        # a firm whose id is a code by its name (the path gives it), as a loop's firms
        path = indicators.chain_path
        labels = loop_labels((firm for firm, _, _ in path), {f: n for f, n, _ in path})
        steps = " -> ".join(f"{labels[firm]} ({stage})" for firm, _, stage in path)
        stdout.print(f"One longest chain (stage in brackets): {markup_safe(steps)}", soft_wrap=True)
    stdout.print(f"Stages counted on: {CHAIN_FLOWS[indicators.chain_rule]}.", soft_wrap=True)
    sectors = indicators.sectors
    for dimension, positions in dimension_rows(sectors):
        title = f"Throughflow by sector: {dimension} ({indicators.units[dimension]})"
        stdout.print(
            frame_table(
                sectors.iloc[positions[:top]],
                title,
                shares=SHARE_COLUMNS,
                max_rows=top,
                hide=("dimension",),
                rows=len(positions),
            )
        )
