"""``symbiosis loops``: the symbiosis cores and circular loops of a network, ranked by
bottleneck; also the text renderers of the ``cycling`` and ``loops`` report sections."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer
from rich.cells import cell_len

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
from .firm_labels import loop_labels, shortened
from .render import frame_table, number
from .reuse import TopOption
from .validate import ExampleOption

if TYPE_CHECKING:
    from rich.table import Table

    from ..analysis.cycling import CyclingResult
    from ..analysis.loop_results import LoopFlow, LoopSearch

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
    # a member by its name where its id is a code (N3, a credit code), else by its id
    labels = loop_labels((m for core in search.cores for m in core.members), search.names)
    cores = search.cores_frame()
    cores["members"] = [_members(core.members, labels, 80) for core in search.cores]
    # headers of words, wrapped at their spaces where "internal_flows" was folded
    headers = {c: c.replace("_", " ") for c in cores.columns if c.startswith("internal_")}
    units = {headers[c]: unit for c, unit in _units(search, "internal_").items()}
    stdout.print(frame_table(cores, "Symbiosis cores", units=units, max_rows=top, headers=headers))
    ranking = f"; {search.ranking}" if search.ranking else ""  # as the HTML report says it
    stdout.print(
        f"[bold]Loops[/]: {search.found:,} found (at most {search.max_length} actors{ranking})"
    )
    if search.found:
        stdout.print(_loops_table(search, top, labels))
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


def _members(members: tuple[str, ...], labels: dict[str, str], width: int) -> str:
    """A core's members by their labels, cut to ``width`` cells ("…"). O(members shown)."""
    shown, cells = [], -2
    for member in members:
        shown.append(labels[member])
        cells += cell_len(shown[-1]) + 2
        if cells > width:
            break
    return shortened(", ".join(shown), width)


#: The materials shown on one arc of a loop; more are counted ("+2 more").
ARC_MATERIALS = 2


def _loops_table(search: LoopSearch, top: int, labels: dict[str, str]) -> Table:
    """The first ``top`` loops: firms by their labels, the materials of each arc (at
    most :data:`ARC_MATERIALS`), and the bottleneck and total per dimension, headed
    "bottleneck" and "total" when the search has one dimension, "mass bottleneck" ...
    when it has several, a dimension none of the loops shown has left out (a header of
    17 cells over numbers of 11 was folded, and the materials squeezed to a word a
    line). O(length of the loops shown)."""
    frame = search.to_frame(limit=top)  # only the loops shown are described
    loops = search.top(len(frame))
    frame["firms"] = [" → ".join(labels[f] for f in (*loop.firms, loop.firms[0])) for loop in loops]
    frame["materials"] = [" | ".join(map(_arc_materials, loop.flows)) for loop in loops]
    several = len(search.units) > 1
    headers, units, empty = {}, {}, []
    for measure in ("bottleneck", "total"):
        for dimension, unit in search.units.items():
            column = f"{measure}_{dimension}"
            headers[column] = f"{dimension} {measure}" if several else measure
            units[headers[column]] = unit
            if frame[column].isna().all():
                empty.append(column)
    table = frame_table(frame, "Loops", units=units, max_rows=top, hide=tuple(empty),
                        headers=headers)  # fmt: skip
    if search.found > len(frame):
        table.caption = f"{len(frame)} of {search.found:,} loops shown"
    return table


def _arc_materials(flows: tuple[LoopFlow, ...]) -> str:
    """The materials on one arc: the first :data:`ARC_MATERIALS`, and how many more."""
    materials = list(dict.fromkeys(flow.material for flow in flows))
    more = len(materials) - ARC_MATERIALS
    shown = " + ".join(materials[:ARC_MATERIALS])
    return f"{shown} +{more} more" if more > 0 else shown


def print_loops_section(search: LoopSearch) -> None:
    """The loops section of the report as text (the ten first loops)."""
    print_loops(search, top=10)
