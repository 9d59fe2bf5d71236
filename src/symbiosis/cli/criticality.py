"""``symbiosis criticality PATH --top N``: the keystone actors, ranked by what their removal
would cost the network (loops broken, reuse share lost, by-products left without a taker,
firms cut off).

Nothing is computed here: the library does it, this command prints it.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Annotated

import typer

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
from .firm_labels import FirmNames, loop_labels
from .render import frame_table, share
from .scenario import OutOption, change_cell, write_result
from .validate import ExampleOption

if TYPE_CHECKING:
    from ..analysis.criticality import Criticality

__all__ = ["print_criticality"]


# "score", then the values of analysis.criticality.CRITERIA (tests/cli/test_startup.py checks).
class Ranking(StrEnum):
    score = "score"
    loops_broken = "loops_broken"
    reuse_share_lost = "reuse_share_lost"
    orphaned = "orphaned"
    firms_cut_off = "firms_cut_off"


# the values of analysis._cut_off.CUT_OFF_RULES
class CutOff(StrEnum):
    essential = "essential"
    all_paths = "all-paths"


@command(name="criticality")
@handle_errors
def criticality_command(
    path: NetworkPath = None,
    top: Annotated[
        int,
        typer.Option(
            "--top", min=1, help="Actors shown (JSON and --out hold all).", rich_help_panel="Output"
        ),
    ] = 20,
    by: Annotated[
        Ranking,
        typer.Option(
            "--by",
            help="Rank by the combined score or by one criterion.",
            rich_help_panel="Analysis",
        ),
    ] = Ranking.score,
    dimension: Annotated[
        str | None,
        typer.Option(
            "--dimension",
            "-d",
            help="Dimension whose reuse share and orphaned tonnage count in the score "
            "(default: the first of mass, energy, volume with flows of known size; with "
            "none, the streams are counted), and whose supply chain the firms cut off "
            "follow (default: mass).",
            rich_help_panel="Analysis",
            show_default=False,
        ),
    ] = None,
    cut_off: Annotated[
        CutOff,
        typer.Option(
            "--cut-off",
            help="What cuts a firm off: the loss of every supplier of one of its necessary "
            "materials (essential, as shock groups them) or of every supply path (all-paths).",
            rich_help_panel="Analysis",
        ),
    ] = CutOff.essential,
    firms: FirmsOption = None,
    year: YearOption = None,
    example: ExampleOption = None,
    max_length: MaxLengthOption = MAX_LOOP_LENGTH,
    max_loops: MaxLoopsOption = MAX_LOOPS,
    time_budget: TimeBudgetOption = LOOP_TIME_BUDGET,
    fmt: FormatOption = Format.text,
    out: OutOption = None,
    quiet: QuietOption = False,
) -> None:
    """Rank the keystone actors: for each, what its removal would cost the network
    (loops broken, reuse share lost, by-products left without a taker, firms cut off).

    Try: [bold]symbiosis criticality --example tongling --top 10[/].
    """
    from ..analysis.criticality import check_criticality, criticality
    from ..export.json import to_json
    from .inputs import read_and_check

    network = read_and_check(  # the options' problems with the files', at once
        lambda: load_network(example_path(example) if example else path, firms,
                             command="criticality", year=year),
        lambda network: check_criticality(network, None, by.value, dimension, max_length,
                                          max_loops, time_budget, cut_off.value),
    )  # fmt: skip
    print_warnings(network.warnings, quiet)
    result = criticality(
        network,
        by=by.value,
        dimension=dimension,
        max_loop_length=max_length,
        max_loops=max_loops,
        loop_time_budget=time_budget,
        cut_off=cut_off.value,
    )
    if out is not None or fmt is Format.json:  # a million flows: 333,000 records, made
        data = result.to_dict()  # only when written; JSON holds every actor, as --out does
        write_result(out, data, network.source_files)
        if fmt is Format.json:
            echo(to_json(data))
            return
    print_warnings(result.warnings, quiet)
    print_criticality(result, top=top)


def _short(text: str, width: int = 40) -> str:
    text = str(text)
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def _cut_off_line(result: Criticality) -> str:
    """What the firms cut off count, by the rule used."""
    if result.cut_off_rule == "all-paths":
        return (
            f"Firms cut off: every supply path in {result.supply_dimension} passes through "
            "the actor (product flows, and the residues of actors that take no product; "
            "other dimensions left out)."
        )
    return (
        f"Firms cut off: they lose every supplier of a product they need in "
        f"{result.supply_dimension} (each material, as shock groups them; the residues of "
        "actors that take no product), directly or through firms cut off; other dimensions "
        "left out."
    )


def print_criticality(result: Criticality, *, top: int = 20) -> None:
    """The ranked actors as text."""
    import pandas as pd

    d = result.rank_dimension
    table = result.top(top)
    shown = pd.DataFrame(
        {
            "rank": table["rank"],
            "name": [_short(name) for name in table["name"]],
            "score": table["score"],
            "loops broken": table["loops_broken"],
            "firms cut off": table["firms_cut_off"],
        },
        index=table.index,
    )
    basis, label, unit = (d, d, result.units.get(d)) if d is not None else (
        "streams", "by count", "streams")  # fmt: skip
    # the reuse that goes with the actor (its own residues count as lost, not gone)
    shown[f"reuse lost ({label})"] = [
        change_cell("reuse_share", -v) for v in table[f"reuse_lost_{basis}"]
    ]
    shown[f"orphaned ({unit})"] = table[f"orphaned_{basis}"]
    # the firms cut off (actors: each has a row, and its name) by name where their ids
    # are codes, as a loop's: the id only where two would read the same
    labels = loop_labels(
        (str(i) for ids in table["cut_off"] for i in ids), FirmNames(result.table["name"])
    )
    shown["cut off"] = [
        ", ".join(labels[str(i)] for i in ids) + (" ..." if n > len(ids) else "")
        for ids, n in zip(table["cut_off"], table["firms_cut_off"], strict=True)
    ]
    ranking = "combined score" if result.by == "score" else result.by.replace("_", " ")
    idle = result.actors_in_no_flow  # counted, unlike the actors indicator of scenario
    counted = f"{len(result.table):,} actors" + (f", {idle:,} in no flow" if idle else "")
    stdout.print(
        frame_table(
            shown,
            f"Keystone actors, by {ranking} ({counted})",
            max_rows=top,
        )
    )
    if result.reuse_share.get(basis) is not None:
        stdout.print(f"Reuse share ({label}) with every actor: {share(result.reuse_share[basis])}")
    if d is None and result.reuse_share.get("streams") is not None:
        stdout.print(
            "No flow has a known size: the reuse share and the orphaned by-products are "
            "counted in streams, each weighing one."
        )
    stdout.print(_cut_off_line(result), soft_wrap=True)
    if result.loops_truncated:
        stdout.print(
            f"[italic]note:[/] the loop search was bounded ({result.loops_found:,} loops "
            "found): loops broken are lower bounds"
        )
