"""``symbiosis shock``: cut an actor's output and follow the loss downstream.

``shock PATH --firm ID --change -0.5`` propagates the shock (Leontief model by default,
``--model proportional`` for Ghosh's; :mod:`symbiosis.analysis.propagation`) and prints
who loses what, which suppliers lose sales, which exchanges and loops break, and every
headline indicator before and after. Nothing is computed here: the library does it,
this command prints it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from ..errors import InputError, Problem
from ..units import yearly_unit
from .analysis_options import (
    BREAK_BELOW,
    LOOP_TIME_BUDGET,
    MAX_LOOP_LENGTH,
    MAX_LOOPS,
    MaxLengthOption,
    MaxLoopsOption,
    RationingOption,
    ShockModel,
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
from .firm_labels import firm_names, labelled, loop_labels, named_rows
from .render import frame_table, markup_safe
from .scenario import OutOption, loop_options, print_comparison, write_result
from .validate import ExampleOption

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

    import pandas as pd

    from ..analysis.shocks import ShockResult

__all__ = ["print_shock"]

ShockTopOption = Annotated[  # as reuse.top_option makes it, spelt out for the type checker
    int,
    typer.Option(
        "--top",
        min=1,
        help="Rows shown per text table (JSON and --out hold all rows).",
        rich_help_panel="Output",
    ),
]
DimensionOption = Annotated[
    str | None,
    typer.Option(
        "--dimension",
        "-d",
        help="Cut the shocked outputs in this dimension only (mass, energy or volume; "
        "default: every dimension). The proportional model then propagates in it only.",
        rich_help_panel="Shock",
        show_default=False,
    ),
]
ModelOption = Annotated[
    ShockModel,
    typer.Option(
        "--model",
        help="leontief: an actor runs at the share of its scarcest product input (ore, "
        "acid, power each necessary), by-products and wastes it takes counting by their "
        "share of its throughflow; proportional (Ghosh): its outputs fall by the share of "
        "all its input lost, one dimension at a time. See docs/scenarios.md.",
        rich_help_panel="Shock",
    ),
]


@command(name="shock")
@handle_errors
def shock_command(
    path: NetworkPath = None,
    firm: Annotated[
        list[str] | None,
        typer.Option(
            "--firm",
            help="Id of the actor (or import supplier) whose output falls; repeat with "
            "--change for several at once.",
            rich_help_panel="Shock",
            show_default=False,
        ),
    ] = None,
    change: Annotated[
        list[float] | None,
        typer.Option(
            "--change",
            help="Change of its output, from -1 (stopped) to 0; one per --firm.",
            rich_help_panel="Shock",
            show_default=False,
        ),
    ] = None,
    dimension: DimensionOption = None,
    model: ModelOption = ShockModel.leontief,
    rationing: RationingOption = None,
    break_below: Annotated[
        float,
        typer.Option(
            "--break-below",
            help="A flow keeping less than this share of its size counts as broken.",
            rich_help_panel="Shock",
        ),
    ] = BREAK_BELOW,
    recorded_only: Annotated[
        bool,
        typer.Option(
            "--recorded-inputs-only",
            help="Count only recorded inputs: a firm's unrecorded inputs (outputs above "
            "inputs) no longer cushion the loss of what it takes (every input under "
            "--model proportional, its by-products and wastes under leontief).",
            rich_help_panel="Shock",
        ),
    ] = False,
    firms: FirmsOption = None,
    year: YearOption = None,
    example: ExampleOption = None,
    max_length: MaxLengthOption = MAX_LOOP_LENGTH,
    max_loops: MaxLoopsOption = MAX_LOOPS,
    time_budget: TimeBudgetOption = LOOP_TIME_BUDGET,
    top: ShockTopOption = 20,
    fmt: FormatOption = Format.text,
    out: OutOption = None,
    quiet: QuietOption = False,
) -> None:
    """Cut an actor's output (a mine at -50 %, a smelter closed) and follow the loss
    downstream: each actor runs at the share of its scarcest product input (Leontief), and
    buys accordingly; by-products and wastes it takes count by their share of its
    throughflow.

    Reports who loses what share of their input and output, which suppliers lose sales,
    which exchanges and loops break, and every headline indicator before and after.
    Assumptions (no substitution, fixed proportions, imports unaffected) are in
    docs/scenarios.md; an input a firm can do without is marked in a substitutable column
    of flows.csv. Try: [bold]symbiosis shock --example tongling --firm DGS --change -1[/].
    """
    from ..analysis.shocks import check_shock, shock
    from ..export.json import to_json
    from .inputs import read_all, read_and_check

    shocks: dict[str, float] = {}
    network = read_and_check(  # every problem of the options and the files at once
        lambda: load_network(
            example_path(example) if example else path, firms, command="shock", year=year
        ),
        lambda network: read_all(
            lambda: shocks.update(_given_shocks(firm or [], change or [])),
            lambda: loop_options(max_length, max_loops, time_budget),
            lambda: check_shock(  # the shocks once paired (None: their pairing is wrong)
                network, shocks or None, dimension=dimension, break_below=break_below
            ),
        ),
    )
    print_warnings(network.warnings, quiet)
    result = shock(
        network,
        shocks,
        dimension=dimension,
        model=model.value,
        rationing=rationing.value if rationing else None,
        break_below=break_below,
        close_balances=not recorded_only,
        options=loop_options(max_length, max_loops, time_budget),
    )
    write_result(out, result.to_dict(), network.source_files)
    if fmt is Format.json:
        echo(to_json(result.to_dict()))
        return
    print_warnings(result.warnings, quiet)
    print_shock(result, top=top, years=network.summed_years, names=firm_names(network))


def _given_shocks(firm: list[str], change: list[float]) -> dict[str, float]:
    """The shocks of the --firm and --change options; one InputError with every problem
    of their pairing (none given, one count for the other, a firm twice)."""
    problems = []
    if not firm:
        problems.append("no shock given; name a firm and a change, e.g. --firm DGS --change -0.5")
    elif len(firm) != len(change):
        problems.append(
            f"{len(firm)} --firm but {len(change)} --change; give one --change per --firm"
        )
    twice = sorted({node for node in firm if firm.count(node) > 1})
    problems += [f"--firm {node} is given twice; give each firm once" for node in twice]
    if problems:
        raise InputError([Problem("", None, None, message) for message in problems])
    return dict(zip(firm, change, strict=True))


_MODEL_SAID = {
    "leontief": "Leontief model: an actor runs at the share of its scarcest product input "
    "and buys accordingly; by-products and wastes it takes count by their share of its "
    "throughflow",
    "proportional": "proportional (Ghosh) model: an actor's outputs fall by the share of "
    "its input lost, one dimension at a time",
}


_RATIONING_SAID = {
    "internal-first": "; a supplier that makes less cuts its sales to boundary nodes first "
    "(its emissions follow its output)",
    "proportional": "; a supplier that makes less cuts every customer in proportion",
    "redirect": "; a supplier that makes less cuts its sales to boundary nodes first (its "
    "emissions follow its output), and sends its customers in the network that lack its "
    "material what it sold outside",
}


def print_shock(
    result: ShockResult,
    *,
    top: int = 20,
    years: int = 1,
    names: Mapping[str, str] | None = None,
) -> None:
    """The shock as text: totals, firms hit, broken exchanges and loops, indicators;
    quantities per year, or over the ``years`` of flows the network adds up; a firm whose
    id is a code named by ``names`` too (id -> name, :func:`~.firm_labels.firm_names`)."""
    from functools import partial

    import pandas as pd

    unit = partial(yearly_unit, years=years)

    described = ", ".join(
        f"{markup_safe(firm)} {100 * change:+.0f} %"
        for firm, change in zip(labelled(result.shocks, names), result.shocks.values(), strict=True)
    )
    where = f" in {result.shock_dimension}" if result.shock_dimension else ""
    model = _MODEL_SAID[result.model] + _RATIONING_SAID.get(result.rationing, "") * (
        result.model == "leontief"
    )
    stdout.print(
        f"[bold]Supply shock[/]: {described}{where}; {model}; effects in "
        f"{', '.join(result.dimensions)}; a flow breaks below "
        f"{100 * result.break_below:.0f} % of its size",
        soft_wrap=True,
    )
    from ..export.report_headline import UNKNOWN
    from .trends import unknown_note

    totals = pd.DataFrame(result.totals).T
    totals.index.name = "dimension"
    said = totals.drop(columns="actors_affected", errors="ignore").fillna(0).ne(0).any(axis=1)
    totals = totals[said].where(totals[said].notna(), UNKNOWN)  # None: no flow of known size
    totals.columns = [c.replace("_", " ") for c in totals.columns]
    totals.insert(0, "unit", [unit(d) for d in totals.index])
    if len(totals):  # the dimensions with a flow of known size, or a flow broken
        stdout.print(frame_table(totals, "Totals (flows leaving actors, between actors)"))
        if note := unknown_note(totals, "the flows broken"):
            stdout.print(note, soft_wrap=True)
    else:
        stdout.print("No flow has a known size: nothing can be sized; what the links say follows.")
    _print_actors(result, top, unit, names)
    _print_redirected(result, top, unit, names)
    broken = result.broken_exchanges.reset_index()
    if len(broken):
        title = f"By-product exchanges broken ({len(broken):,})"
        _print_flows(broken, "retained", title, top, unit, names, shares=("retained",))
    else:
        stdout.print("No by-product exchange between actors breaks.")
    _print_loops(result, top, names)
    if result.comparison is not None:
        print_comparison(
            result.comparison, title="Indicators before and after the shock", loops=False
        )


def _print_redirected(
    result: ShockResult,
    top: int,
    unit: Callable[[str], str],
    names: Mapping[str, str] | None = None,
) -> None:
    """The flows that grow by rationing "redirect" (what a supplier sold outside and now
    sends to a customer in the network), then the residues its receivers no longer take
    that a maker's disposal or environment flows take in."""
    flows = result.flows.reset_index()
    if not len(flows):
        return
    added = flows["residue_added"].fillna(0.0) > 0
    tables = (
        (flows[(flows["retained"] > 1.0) & ~added], "redirected",
         "Flows that grow ({:,}): what their supplier sold outside the network, redirected "
         "to a customer that lacks it"),
        (flows[added], "to disposal",
         "Residues to disposal ({:,}): what receivers no longer take of a by-product, waste "
         "or emission goes to its maker's disposal or environment flow of that material "
         "(value after: that and the share its maker still sends there)"),
    )  # fmt: skip
    for chosen, name, title in tables:
        if not len(chosen):
            continue
        moved = chosen["value_after"] - chosen["value_before"]
        chosen = chosen.assign(
            **{name: chosen["residue_added"] if name == "to disposal" else moved}
        )
        _print_flows(chosen, name, title.format(len(chosen)), top, unit, names)


def _print_flows(
    flows: pd.DataFrame,
    column: str,
    title: str,
    top: int,
    unit: Callable[[str], str],
    names: Mapping[str, str] | None,
    *,
    shares: tuple[str, ...] = (),
) -> None:
    """The first ``top`` of the shock's ``flows`` as a table titled ``title``: their ends
    (named by ``names``), material, values before and after, their own ``column`` (a share
    when in ``shares``) and the unit of their dimension. O(top)."""
    columns = ["source", "target", "material", "value_before", "value_after", column]
    shown = named_rows(flows.head(top), names, "source", "target")
    shown = shown.assign(unit=shown["dimension"].map(unit))[[*columns, "unit"]]
    stdout.print(frame_table(shown, title, shares=shares))


def _print_actors(
    result: ShockResult,
    top: int,
    unit: Callable[[str], str],
    names: Mapping[str, str] | None = None,
) -> None:
    """The actors hit: share of input lost, output kept and lost, sales lost (and what
    limits each, under the Leontief model), then why suppliers keep producing."""
    firms = result.firms.reset_index()
    unsized = int(result.flows["value_before"].isna().sum()) if len(result.flows) else 0
    if firms.empty and unsized:  # the losses are there, their sizes are not
        stdout.print(
            f"No actor's loss can be sized: the {unsized:,} flow(s) the shock shrinks or "
            "stops have no known size (those that break are listed below)."
        )
        return
    if firms.empty:
        stdout.print("No actor is affected.")
        return
    columns = {
        "firm": "firm",
        "dimension": "dimension",
        "input_lost_share": "input lost",
        "input_substituted": "made up",
        "output_factor": "output kept",
        "output_lost": "output lost",
        "sales_lost": "sales lost",
        "residues_unplaced": "unplaced",
        "residues_disposed": "to disposal",
    }
    made_up = "input_substituted" in firms and bool((firms["input_substituted"] > 0).any())
    if not made_up:  # no input marked substitutable is lost: the column says nothing
        columns.pop("input_substituted")
    for column in ("residues_unplaced", "residues_disposed"):  # shown when they say something
        if not (column in firms and bool((firms[column] > 0).any())):
            columns.pop(column)
    unplaced = " + unplaced" if "residues_unplaced" in columns else ""
    if result.model == "leontief":
        columns["limited_by"] = "limited by"
    shown = named_rows(firms[list(columns)].rename(columns=columns).head(top), names, "firm")
    shown = shown.assign(unit=shown["dimension"].map(unit))
    if "limited by" in shown:
        shown["limited by"] = shown["limited by"].map(lambda v: "" if v is None else v)
    stdout.print(
        frame_table(  # output kept "–": the actor has no output in that dimension
            shown.set_index(["firm", "dimension"]),
            f"Actors hit ({len(firms):,}; share of recorded input lost, output kept; output "
            f"lost + sales lost{unplaced} = what its outputs lose)",
            shares=("input lost", "output kept"),
        )
    )
    if made_up:
        stdout.print(
            "Made up: what an actor lost of inputs marked substitutable; it makes them up "
            "from outside the network (another constituent, a grid, a market), so they do "
            "not limit its output.",
            soft_wrap=True,
        )
    if (firms["sales_lost"] > 0).any():
        stdout.print(
            "Supply-driven: a supplier whose customers buy less keeps producing; what they no "
            "longer buy of what it sells is its 'sales lost', not passed further upstream.",
            soft_wrap=True,
        )
    if "residues_disposed" in columns or unplaced:
        stdout.print(
            "Residues follow what their maker processes: what receivers no longer take of a "
            "by-product, waste or emission goes to its maker's disposal or environment flow "
            "of that material ('to disposal'), or is a sale lost if it sells it on a market"
            + ("; with neither in the data it is 'unplaced', in no flow after the shock "
               "(the indicators leave it out)." if unplaced else "."),
            soft_wrap=True,
        )  # fmt: skip


def _print_loops(result: ShockResult, top: int, names: Mapping[str, str] | None = None) -> None:
    """The loops, one story: of those found before, which break (an arc below the
    threshold, still there but weak), which of them vanish (an arc stopped: the loop no
    longer exists) and so how many remain (the indicators' loop count)."""
    comparison = result.comparison
    threshold = f"{100 * result.break_below:.0f} %"
    vanished = set(comparison.results[0].opened) if comparison is not None else set()
    if comparison is not None:
        before = len(comparison.before.loops)
        if not before:
            stdout.print("Loops: none before the shock.")
            return
        broken = len(result.broken_loops)
        said = (
            f"{broken:,} broken (an arc keeps less than {threshold} of its size), of which "
            f"{len(vanished):,} vanish (an arc stops entirely)"
            if broken
            else f"none broken (every arc keeps {threshold} of its size or more)"
        )
        remain = before - len(vanished)
        stdout.print(
            f"Loops: {before:,} before the shock; {said}; {remain:,} "
            f"{'remains' if remain == 1 else 'remain'} after it (the indicators' loop count"
            + ("; a loop broken but not stopped still closes, weaker)." if broken else ")."),
            soft_wrap=True,
        )
    elif result.broken_loops:
        stdout.print(f"Loops broken: {len(result.broken_loops)}")
    else:
        stdout.print("No loop breaks.")
    shown = result.broken_loops[:top]
    # a firm whose id is a code by its name, as the loops command names it
    labels = loop_labels((str(firm) for loop in shown for firm in loop["firms"]), names or {})
    for loop in shown:
        arcs = ", ".join(
            f"{labels.get(str(a), a)} → {labels.get(str(b), b)}" for a, b in loop["broken_arcs"]
        )
        path = " → ".join(labels[str(firm)] for firm in [*loop["firms"], loop["firms"][0]])
        gone = "; vanishes" if _written(loop["firms"]) in vanished else ""
        stdout.print(f"  {markup_safe(path)} (at {markup_safe(arcs)}{gone})", soft_wrap=True)
    if len(result.broken_loops) > top:
        stdout.print(f"  ... and {len(result.broken_loops) - top} more (--format json lists all)")


def _written(firms) -> tuple[str, ...]:
    return tuple(str(firm) for firm in firms)
