"""``symbiosis loops``: the symbiosis cores and circular loops of a network, ranked by
bottleneck; also the text renderers of the ``cycling`` and ``loops`` report sections."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from .analysis_options import (
    LOOP_TIME_BUDGET,
    MAX_LOOP_LENGTH,
    MAX_LOOPS,
    MaxLengthOption,
    MaxLoopsOption,
    TablesFolderOption,
    TimeBudgetOption,
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
    load_network,
    print_warnings,
    stdout,
    write_result_tables,
)
from .render import frame_table, number
from .reuse import TopOption
from .validate import ExampleOption

if TYPE_CHECKING:
    from ..analysis.cycling import CyclingResult
    from ..analysis.loops import LoopSearch

__all__ = ["bound_notes", "print_cycling", "print_loops", "print_loops_section"]

DimensionOption = Annotated[
    str | None,
    typer.Option(
        "--dimension",
        "-d",
        help="Only flows of this dimension (mass, energy or volume); default: every flow.",
        rich_help_panel="Analysis",
        show_default=False,
    ),
]


@command()
@handle_errors
def loops(
    path: NetworkPath = None,
    firms: FirmsOption = None,
    year: YearOption = None,
    example: ExampleOption = None,
    max_length: MaxLengthOption = MAX_LOOP_LENGTH,
    max_loops: MaxLoopsOption = MAX_LOOPS,
    time_budget: TimeBudgetOption = LOOP_TIME_BUDGET,
    dimension: DimensionOption = None,
    fmt: FormatOption = Format.text,
    xlsx: XlsxOption = None,
    csv: TablesFolderOption = None,
    top: TopOption = 20,
    quiet: QuietOption = False,
) -> None:
    """List the circular loops among actors, ranked by their bottleneck (smallest arc).

    Boundary nodes (market, disposal, environment) never close a loop. A loop is
    [bold]closed[/] when one material goes all the way round, [bold]symbiotic[/] when
    different materials link different firms. Loops lie inside [bold]symbiosis cores[/]
    (groups of actors that all reach each other), which are listed first.
    """
    from ..analysis.loops import check_bounds, find_loops
    from ..export.json import to_json_bytes
    from .inputs import read_and_check

    network = read_and_check(  # the options' problems with the files', at once
        lambda: load_network(
            example_path(example) if example else path, firms, command="loops", year=year
        ),
        lambda network: check_bounds(
            max_length, max_loops, time_budget, dimension, present=network and network.dimensions
        ),
    )
    print_warnings(network.warnings, quiet)
    search = find_loops(
        network,
        max_length=max_length,
        max_loops=max_loops,
        time_budget=time_budget,
        dimension=dimension,
    )
    write_result_tables(  # loops.csv and cores.csv
        "loops", search, xlsx=xlsx, csv=csv, protected=network.source_files, quiet=quiet
    )
    if fmt is Format.json:
        echo(to_json_bytes(search.to_dict(limit=None)))
        return
    print_loops(search, top=top)


def print_loops(search: LoopSearch, *, top: int = 10) -> None:
    """The cores and the ranked loops as text, with any bound that cut the list."""
    scope = f" ({search.dimension} flows only)" if search.dimension else ""
    if not search.cores:
        stdout.print(f"[bold]Loops[/]{scope}: none. No group of actors exchanges in a circle.")
        return
    in_cores = sum(core.size for core in search.cores)
    stdout.print(
        f"[bold]Symbiosis cores[/]{scope}: {len(search.cores):,} "
        f"({in_cores:,} actors that all reach each other)"
    )
    cores = search.cores_frame()
    cores["members"] = cores["members"].map(lambda text: _shorten(text, 80))
    stdout.print(
        frame_table(cores, "Symbiosis cores", units=_units(search, "internal_"), max_rows=top)
    )
    ranking = f"; {search.ranking}" if search.ranking else ""  # as the HTML report says it
    stdout.print(
        f"[bold]Loops[/]: {search.found:,} found (at most {search.max_length} actors{ranking})"
    )
    if search.found:
        frame = search.to_frame(limit=top)  # only the loops shown are described
        units = {**_units(search, "bottleneck_"), **_units(search, "total_")}
        table = frame_table(frame, "Loops", units=units, max_rows=top)
        if search.found > len(frame):
            table.caption = f"{len(frame)} of {search.found:,} loops shown"
        stdout.print(table)
    for line in bound_notes(search):
        stdout.print(f"[yellow]note:[/] {line}")


def bound_notes(search: LoopSearch) -> list[str]:
    """Plain sentences saying which bound cut the loop list, if any."""
    notes = []
    if search.stopped_by == "max_loops":
        notes.append(
            f"truncated: stopped at {search.found:,} loops (--max-loops) and more exist; "
            "the ranking is among the loops found"
        )
    elif search.stopped_by == "time_budget":
        notes.append(
            f"truncated: stopped after {search.time_budget:g} s (--time-budget) with "
            f"{search.found:,} loops found; the ranking is among them"
        )
    if search.longer_loops_possible:
        largest = max(core.size for core in search.cores)
        notes.append(
            f"loops longer than {search.max_length} actors were not searched (a core has "
            f"{largest:,} actors); raise --max-length to look for them"
        )
    return notes


def print_cycling(result: CyclingResult) -> None:
    """The cycling section of the report as text."""
    s = result.structure
    stdout.print(
        f"[bold]Cycling[/] (actor network, every flow): cyclicity {number(s.cyclicity)}, "
        f"connectance {number(s.connectance)}, linkage density {number(s.linkage_density)}, "
        f"{s.strong_components:,} strong components ({s.cyclic_components:,} with loops, "
        f"largest {s.largest_component:,} actors)"
    )
    if not result.dimensions:
        return
    if not any(entry.flows_used for entry in result.dimensions.values()):
        stdout.print(  # every metric 0 or undefined for want of sizes: said once
            "No flow has a known size: no cycling metric per dimension (Finn cycling "
            "index, throughflow); the cyclicity above is read from the links."
        )
        return
    frame = result.to_frame().drop(columns=["problem"])
    stdout.print(frame_table(frame.T.rename_axis("metric"), "Cycling per dimension"))
    for dimension, entry in result.dimensions.items():
        if entry.problem:
            stdout.print(f"[yellow]note ({dimension}):[/] {entry.problem}")


def _units(search: LoopSearch, prefix: str) -> dict[str, str]:
    return {f"{prefix}{d}": unit for d, unit in search.units.items()}


def _shorten(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def print_loops_section(search: LoopSearch) -> None:
    """The loops section of the report as text (the ten first loops)."""
    print_loops(search, top=10)
