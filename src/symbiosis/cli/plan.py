"""The optimal allocation in ``symbiosis opportunities``: its options and its text.

``--plan`` prints the plan (an LP beside the greedy ranking,
:mod:`symbiosis.analysis.opportunities.allocation`), ``--plan-scenario FILE`` writes it as
a scenario file, ``--plan-objective`` chooses what it maximises. Cheap to import (typer
and rich only): the analysis is imported when the plan is made.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Annotated

import typer

from .._percent import distance_text
from .app import stdout
from .firm_labels import labelled
from .paths import output_option
from .render import frame_table, number, share

if TYPE_CHECKING:
    from collections.abc import Mapping

    import pandas as pd

    from ..analysis.opportunities import Opportunities
    from ..analysis.opportunities.allocation import Plan
    from ..model import FlowNetwork

__all__ = ["PlanObjective", "make_plan", "print_plan"]

PANEL = "Optimal allocation"


# Repeats analysis.opportunities.allocation.OBJECTIVES so that --help imports no analysis.
class PlanObjective(StrEnum):
    quantity = "quantity"
    net_value = "net_value"


PlanOption = Annotated[
    bool,
    typer.Option(
        "--plan",
        help="Also choose the exchanges that move the most within stream supplies and "
        "receiver capacities (a linear program, beside the greedy ranking) and print them "
        "with their totals; with --format json the output gains a 'plan' key, with "
        "--format csv the plan's exchanges are written instead of the candidates.",
        rich_help_panel=PANEL,
    ),
]
PlanObjectiveOption = Annotated[
    PlanObjective,
    typer.Option(
        "--plan-objective",
        help="quantity: the most moved (per dimension); net_value: the most worth (value, "
        "avoided disposal and purchase, less transport), for rows whose worth is known.",
        rich_help_panel=PANEL,
    ),
]
PlanScenarioOption = output_option(
    "--plan-scenario", help="Write the optimal allocation as a scenario file (TOML)."
)


def make_plan(
    result: Opportunities,
    network: FlowNetwork,
    objective: PlanObjective,
    transport_rate: float | None,
) -> Plan:
    """The plan of ``result`` with its impact on ``network``."""
    from ..analysis.opportunities.allocation import optimal_plan

    plan = optimal_plan(result, objective=objective.value, transport_rate=transport_rate)
    return plan.with_impact(network)


#: How capacities are known (docs/opportunities.md, Capacity and demands): said with every
#: total that depends on them.
CAPACITY_NOTE = (
    "Capacities: demands.csv (a firm's total, less what it takes now), the primary input a "
    "stream replaces, a typical plant's intake (catalogue; a kiln's co-processing line); any "
    "other actor takes at most as much again as it takes of the stream's "
    "family now (a peer of a taker: as much as the firm of its sector taking the most of "
    "it), and of its whole intake for every family together; "
    "a catalogue row's max_share bounds it to that share of its throughput, for every "
    "stream of that use together (rows of one share replacing a common input: a kiln's "
    "correctives), less what it takes of their materials now; an actor that takes none of "
    "the stream's family at most that share, else the row's typical intake, else, for an "
    "additive or a fuel, 5 % of its throughput, never its intake of other materials; an "
    "actor with no recorded intake in that dimension at most the catalogue's typical "
    "intake, as a new plant. A receiver of no capacity known by any of these is left out of "
    "these totals: its size is unknown; so is an emerging pathway (research or pilot scale)."
)

#: Under a table that lists an unbounded opportunity (its quantity marked ``≤``).
UNBOUNDED_NOTE = (
    "≤: no capacity known for the receiver (none of the stream's family, or nothing, in its "
    "intake, no max_share or typical intake in the catalogue): at most the whole stream, "
    "size unknown; left out of the effect of doing them all and of the plan."
)


#: The planned exchanges the text table shows (the first ones, in rank order).
SHOWN = 50


def print_plan(
    plan: Plan,
    currency: str | None = None,
    *,
    years: int = 1,
    names: Mapping[str, str] | None = None,
) -> None:
    """The plan as text: its exchanges (the first :data:`SHOWN`), its firms named by
    ``names`` where their ids are codes (id -> name, :func:`~.firm_labels.firm_names`),
    then its totals per dimension; its money per year, or over the ``years`` of flows the
    network adds up."""
    rows = plan.to_frame()
    stdout.print(
        f"[bold]Optimal allocation[/] ({plan.objective.replace('_', ' ')}, within stream "
        f"supplies and receiver capacities where known): {len(rows):,} exchange(s). "
        f"[italic]{plan.caveat}[/]"
    )
    stdout.print(f"  {CAPACITY_NOTE}")
    if len(rows):
        shown = _exchanges(rows.head(SHOWN), names)  # only the rows shown are labelled
        stdout.print(frame_table(shown, "Planned exchanges", max_rows=SHOWN, rows=len(rows)))
    from ..units import period_suffix

    money = f" {currency}" if currency else ""
    period = period_suffix(years)
    for dimension, totals in plan.totals.items():
        unit = plan.units.get(dimension, "")
        line = (
            f"  {dimension}: {number(totals['moved'], unit)} moved of "
            f"{number(totals['supply'], unit)} in {totals['streams']:,} stream(s) "
            f"({totals['streams_served']:,} served); the same candidates taken in rank "
            f"order: {number(totals['greedy_moved'], unit)}"
        )
        if plan.impact and dimension in plan.impact["reuse_share"]:
            before, after = plan.impact["reuse_share"][dimension]
            line += f"; reuse share {share(before)} -> {share(after)}"
        for name, label in (("transport_cost", "transport"), ("net_value", "net value")):
            if totals.get(name) is not None:
                line += f"; {label} {number(totals[name])}{money}{period}"
        stdout.print(line)
        if totals["supply_lower_bound"]:
            stdout.print(
                f"    {totals['supply_lower_bound']:,} stream(s) of unknown total size "
                "(every candidate cut by a capacity): planned within their largest candidate"
            )
    left = {k: v for k, v in plan.left_out.items() if v}
    if left:
        stdout.print("  left out: " + ", ".join(
            f"{v:,} candidate(s) {_LEFT_OUT.get(k, 'of ' + k.replace('_', ' '))}"
            for k, v in left.items()))  # fmt: skip


#: How the plan's ``left_out`` reasons read (the others: "of unknown quantity", ...).
_LEFT_OUT = {
    "unbounded": "of no capacity known for the receiver (size unknown)",
    "emerging": "of an emerging pathway (research or pilot scale, not a capacity to count on)",
}


def _exchanges(rows: pd.DataFrame, names: Mapping[str, str] | None) -> pd.DataFrame:
    import pandas as pd

    unit = rows["unit"].fillna("").str.replace("/yr", "", regex=False)  # t over 3 years: kept
    sector = rows["target_sector"].astype(str)
    frame = pd.DataFrame(
        {
            "#": rows["group"] + " #" + rows["rank"].astype(str),
            "kind": rows["kind"],
            # a firm whose id is a code by its name too, as in the opportunities' tables
            "stream": [
                f"{material} {source} -> {target}"
                for material, source, target in zip(
                    rows["material"],
                    labelled(rows["source"], names),
                    labelled(rows["stream_target"], names),
                    strict=True,
                )
            ],
            "amount": [number(a, u) for a, u in zip(rows["amount"], unit, strict=True)],
            "of": [number(q, u) for q, u in zip(rows["quantity"], unit, strict=True)],
            "to": pd.Series(labelled(rows["target"], names), index=rows.index).where(
                ~rows["new_plant"], "new " + sector + " plant"
            ),
            "km": [distance_text(km) for km in rows["distance_km"]],  # to the 100 m
        }
    )
    for name in ("transport_cost", "net_value"):
        if rows[name].notna().any():
            frame[name.replace("_", " ")] = rows[name]
    return frame.set_index("#")
