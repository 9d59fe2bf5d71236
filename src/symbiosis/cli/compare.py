"""``symbiosis compare``: two networks side by side (indicators, flows, firms)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ..errors import InputError
from .analysis_options import (
    LOOP_TIME_BUDGET,
    MAX_LOOP_LENGTH,
    MAX_LOOPS,
    MaxLengthOption,
    MaxLoopsOption,
    TimeBudgetOption,
    YearOption,
)
from .app import (
    YEAR_CHOICE,
    Format,
    FormatOption,
    QuietOption,
    command,
    echo,
    handle_errors,
    load_network,
    print_warnings,
    stdout,
)
from .firm_labels import firm_names, labelled, loop_lines, named_rows
from .render import frame_table, markup_safe, number

if TYPE_CHECKING:
    from collections.abc import Mapping

    from ..analysis.compare import NetworkComparison
    from ..model import FlowNetwork

__all__ = ["load_both", "print_network_comparison"]


FirstNetwork = Annotated[
    Path,
    typer.Argument(
        help="The first network: a folder holding firms.csv and flows.csv, or a flows CSV file.",
        metavar="A",
        show_default=False,
    ),
]
TopOption = Annotated[
    int,
    typer.Option(
        "--top",
        min=1,
        help="Rows of each flow table, loops and firms listed in the text (JSON: every loop "
        "and firm, the first 1,000 flows of each status).",
        rich_help_panel="Output",
    ),
]
SecondNetwork = Annotated[
    Path,
    typer.Argument(
        help="The second network, compared with the first (the differences are B - A).",
        metavar="B",
        show_default=False,
    ),
]


@command()
@handle_errors
def compare(
    a: FirstNetwork,
    b: SecondNetwork,
    max_length: MaxLengthOption = MAX_LOOP_LENGTH,
    max_loops: MaxLoopsOption = MAX_LOOPS,
    time_budget: TimeBudgetOption = LOOP_TIME_BUDGET,
    year: YearOption = None,
    top: TopOption = 20,
    fmt: FormatOption = Format.text,
    quiet: QuietOption = False,
) -> None:
    """Set two networks side by side: every headline indicator of A and B with the
    difference, the flows added, removed and changed, and the firms added and removed.

    Flows are matched on source, target, material and category, and compared per
    dimension. Both networks are read before either is analysed: the problems of both
    are reported together. Flows of several years: the latest year of each, or --year's
    of both. Definitions in docs/trends.md.
    """
    from ..analysis.compare import compare as side_by_side
    from ..export.json import to_json
    from ..options import Options
    from .inputs import read_all

    options, (first, second) = read_all(  # the options' problems with the files', at once
        lambda: Options(max_loop_length=max_length, max_loops=max_loops,
                        loop_time_budget=time_budget),
        lambda: load_both(a, b, year),
    )  # fmt: skip
    print_warnings(side_warnings((first, second), (a, b)), quiet)
    result = side_by_side(first, second, labels=(str(a), str(b)), options=options)
    if fmt is Format.json:
        echo(to_json(result.to_dict()))
        return
    print_network_comparison(result, top=top, names=(firm_names(first), firm_names(second)))


def load_both(a: Path, b: Path, year: str | None = "all") -> tuple[FlowNetwork, FlowNetwork]:
    """Both networks, each of the year ``year`` (the ``--year`` of the single-network
    commands: None, the latest year of each network of several), or one InputError with
    the problems of both: a year that one lacks is said with its path. O(F_a + F_b)."""
    networks, problems = [], []
    for path in (a, b):
        try:
            network = load_network(path, None, command="compare")
            networks.append(_of_year(network, path, year))
        except InputError as exc:
            problems.extend(exc.problems)
    if problems:
        raise InputError(problems)
    return networks[0], networks[1]


def _of_year(network: FlowNetwork, path: Path, year: str | None) -> FlowNetwork:
    """:func:`~symbiosis.analysis.years.select_year` of ``network``, a year refused said
    with the network's path (the other may have that year) and the ``--year`` option."""
    from dataclasses import replace

    from ..analysis.years import select_year

    try:
        return select_year(network, year, how=YEAR_CHOICE)
    except InputError as exc:
        said = [replace(p, file=str(path), message=f"--{p.message}") for p in exc.problems]
        raise InputError(said) from None


def side_warnings(networks: tuple[FlowNetwork, FlowNetwork], paths: tuple[Path, Path]) -> list[str]:
    """The data warnings of both networks for stderr, each once (a network compared with
    itself or its copy says them once); the warning that the years are added up left
    out (compare's own note says so). The note of the year taken from flows of several,
    the same on both sides, is said once, as the other commands say it; when the sides
    differ, each side's is said with its path (the stdout note sets them side by side).
    O(warnings)."""
    from ..io.flows import YEARS_ADDED_UP

    notes = [_year_notes(network) for network in networks]
    said: list[str] = []
    for network, path, own in zip(networks, paths, notes, strict=True):
        shown = own if notes[0] == notes[1] else tuple(f"{path}: {note}" for note in own)
        said += [w for w in network.warnings if w not in own and YEARS_ADDED_UP not in w]
        said += shown
    return list(dict.fromkeys(said))


def _year_notes(network: FlowNetwork) -> tuple[str, ...]:
    """The warnings of a year cut from several that its history lacks: which year it is
    (and the undated flows counted in it), from :func:`~symbiosis.analysis.years.select_year`."""
    history = network.history
    if history is network:
        return ()
    return tuple(w for w in network.warnings if w not in history.warnings)


def print_network_comparison(
    result: NetworkComparison,
    *,
    top: int = 20,
    names: tuple[Mapping[str, str] | None, Mapping[str, str] | None] = (None, None),
) -> None:
    """Indicators side by side, then the loops, flows and firms found in one network only;
    a firm whose id is a code named by ``names`` too (id -> name in A and in B,
    :func:`~.firm_labels.firm_names`): by A's in what only A has, else by B's."""
    from .scenario import comparison_frame
    from .trends import unknown_note

    # Columns are headed A and B, named in full above the table: a long path as a
    # column header would be cut to the terminal's width.
    for letter, label in (("A", result.a_label), ("B", result.b_label)):
        stdout.print(f"[bold]{letter}[/]: {markup_safe(label)}", soft_wrap=True)
    shown = comparison_frame(result.indicators)
    shown = shown.rename(columns={"before": "A", "b": "B", "Δ b": "difference"})
    stdout.print(frame_table(shown, "Indicators", max_rows=200))
    if note := unknown_note(shown):
        stdout.print(note, soft_wrap=True)
    in_a, in_b = names
    for label, loops, known in (
        ("A", result.loops_only_in_a, in_a),
        ("B", result.loops_only_in_b, in_b),
    ):
        stdout.print(f"Loops only in [bold]{label}[/]: {len(loops):,}")
        for line in loop_lines(loops[:top], known):
            stdout.print("  " + markup_safe(line), soft_wrap=True)
    for status in ("added", "removed", "changed"):
        rows = result.flows_with(status)
        keys = result.flow_keys[status]
        split = f" ({len(rows):,} rows: one per dimension of a flow)" if len(rows) != keys else ""
        stdout.print(f"Flows {status}: {keys:,}{split}")
        if len(rows):
            unsized = [c for c in ("unknown_a", "unknown_b") if rows[c].any()]
            table = rows.drop(columns=["material_key", "status", "unknown_a", "unknown_b"])
            table = table.assign(**{c: rows[c] for c in unsized})  # only when some flow is
            table = table.rename(columns={"a": "A", "b": "B"})
            known = in_a if status == "removed" else in_b  # a flow removed is A's only
            shown = named_rows(table.head(top), known, "source", "target")  # the rows shown
            stdout.print(frame_table(shown, f"Flows {status}", max_rows=top, rows=len(table)))
    for label, firms, known in (
        ("added", result.firms_added, in_b),
        ("removed", result.firms_removed, in_a),
    ):
        listed = ", ".join(labelled(firms[:top], known)) + (" ..." if len(firms) > top else "")
        stdout.print(f"Firms {label}: {number(len(firms))}" + (f": {markup_safe(listed)}"
                                                                if firms else ""))  # fmt: skip
    for note in sorted(set(result.notes)):
        stdout.print(f"[italic]note:[/] {markup_safe(note)}", soft_wrap=True)
