"""``symbiosis opportunities``: where a disposed, emitted or sold stream could become an
input, ranked, with the catalogue row and source behind each. Its text renderer, also that
of the ``opportunities`` report section, is :mod:`~symbiosis.cli.opportunities_text`
(:func:`print_opportunities`, re-exported here)."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from .analysis_options import TablesFolderOption, XlsxOption, YearOption
from .app import (
    FirmsOption,
    NetworkPath,
    command,
    echo,
    example_path,
    handle_errors,
    load_network,
    print_warnings,
    stdout,
    write_result_tables,
)
from .opportunities_text import print_opportunities
from .paths import output_option
from .plan import PlanObjective, PlanObjectiveOption, PlanOption, PlanScenarioOption
from .render import markup_safe
from .validate import ExampleOption

__all__ = ["print_opportunities"]


# --quiet hides the warnings about the data, as elsewhere; a scenario file written with no
# edit is a fact about the output, which symbiosis scenario will refuse: said even so.
QuietOption = Annotated[
    bool,
    typer.Option(
        "--quiet",
        "-q",
        help="Do not print warnings about the data. A --scenario or --plan-scenario file "
        "written with no edit is still reported (symbiosis scenario refuses it).",
        rich_help_panel="Output",
    ),
]


class OutputFormat(StrEnum):
    text = "text"
    json = "json"
    csv = "csv"


# Kind and Fate repeat analysis.opportunities.KINDS and FATES so that --help imports no
# analysis (tests/cli/test_startup.py checks they agree).
class Kind(StrEnum):
    redirect = "redirect"
    expand = "expand"
    new_link = "new_link"
    new_plant = "new_plant"
    downstream = "downstream"
    in_house = "in_house"


class Fate(StrEnum):
    disposed = "disposed"
    emitted = "emitted"
    sold = "sold"
    product = "product"
    treated = "treated"


class RankBy(StrEnum):
    quantity = "quantity"
    distance = "distance"
    value = "value"
    net_value = "net_value"


PANEL = "Opportunities"
ECONOMICS = "Economics"
ScenarioOutOption = output_option(
    "--scenario", help="Write the listed opportunities as a scenario file (TOML) to apply later."
)


@command()
@handle_errors
def opportunities(
    path: NetworkPath = None,
    firms: FirmsOption = None,
    year: YearOption = None,
    example: ExampleOption = None,
    catalogue: Annotated[
        list[Path] | None,
        typer.Option(
            "--catalogue",
            "-c",
            help="Your own pathway CSV (same columns as the shipped one, docs/opportunities.md)"
            "; merged with the shipped catalogue (a row with the same id replaces it). "
            "Repeat for several files.",
            rich_help_panel="Catalogue",
            show_default=False,
        ),
    ] = None,
    replace_catalogue: Annotated[
        bool,
        typer.Option(
            "--replace-catalogue",
            help="Use only the --catalogue files, not the shipped catalogue.",
            rich_help_panel="Catalogue",
        ),
    ] = False,
    taxonomy: Annotated[
        Path | None,
        typer.Option(
            "--taxonomy",
            help="Your own material taxonomy CSV (family, material, synonyms, names_zh, names_ja, "
            "names_ko): names your flows use, added to the shipped taxonomy "
            "(docs/opportunities.md).",
            rich_help_panel="Catalogue",
            show_default=False,
        ),
    ] = None,
    demands: Annotated[
        Path | None,
        typer.Option(
            "--demands",
            help="A demands.csv (firm, material or material_code, quantity, unit): the most "
            "each firm can take of a material, used as its capacity.",
            rich_help_panel="Catalogue",
            show_default=False,
        ),
    ] = None,
    top: Annotated[
        int,
        typer.Option(
            "--top",
            "-n",
            min=0,
            help="Opportunities listed (with their impact) in each group: disposed or "
            "emitted, sold raw, downstream. JSON lists these; --format csv writes all.",
            rich_help_panel=PANEL,
        ),
    ] = 10,
    kind: Annotated[
        list[Kind] | None,
        typer.Option(
            "--kind",
            "-k",
            help="Keep only this kind (repeat for several): " + ", ".join(Kind) + ".",
            rich_help_panel=PANEL,
            show_default=False,
        ),
    ] = None,
    fate: Annotated[
        list[Fate] | None,
        typer.Option(
            "--fate",
            help="Keep only streams with this fate (repeat): disposed, emitted, sold, product; "
            "treated (residues sent to a treatment actor: searched only when asked for).",
            rich_help_panel=PANEL,
            show_default=False,
        ),
    ] = None,
    max_distance: Annotated[
        float | None,
        typer.Option(
            "--max-distance",
            min=0.001,
            help="Drop receivers farther than this many km (great circle) from the source; "
            "firms without coordinates are kept.",
            rich_help_panel=PANEL,
            show_default=False,
        ),
    ] = None,
    reach: Annotated[
        Path | None,
        typer.Option(
            "--reach",
            help="Your own transport-reach CSV (material, reach_km, source, notes): how far "
            "a material may go to a receiver, added to the shipped table (steam 10 km, hot "
            "water 110 km, wastewater 40 km; docs/opportunities.md). An empty reach_km "
            "lifts a cap.",
            rich_help_panel=PANEL,
            show_default=False,
        ),
    ] = None,
    no_reach: Annotated[
        bool,
        typer.Option(
            "--no-reach",
            help="No transport reach: only --max-distance limits the receivers (with "
            "--reach, that file's rows alone).",
            rich_help_panel=PANEL,
        ),
    ] = False,
    per_stream: Annotated[
        int,
        typer.Option(
            "--per-stream",
            min=1,
            help="Receiving actors proposed per stream and sector (nearest, else largest).",
            rich_help_panel=PANEL,
        ),
    ] = 3,
    rank_by: Annotated[
        RankBy,
        typer.Option(
            "--rank-by",
            help="quantity (per dimension), distance (nearest first), value (needs a "
            "price column in flows.csv) or net_value (value, avoided disposal and purchase, "
            "less transport).",
            rich_help_panel=PANEL,
        ),
    ] = RankBy.quantity,
    disposal_cost: Annotated[
        float | None,
        typer.Option(
            "--disposal-cost",
            min=0,
            help="Money per tonne disposed: the avoided disposal cost of a disposed stream.",
            rich_help_panel=ECONOMICS,
            show_default=False,
        ),
    ] = None,
    transport_rate: Annotated[
        float | None,
        typer.Option(
            "--transport-rate",
            min=0,
            help="Money per tonne-kilometre: the transport cost of each opportunity of mass "
            "(distance x quantity) and of the optimal allocation.",
            rich_help_panel=ECONOMICS,
            show_default=False,
        ),
    ] = None,
    currency: Annotated[
        str | None,
        typer.Option(
            "--currency",
            help="A label for the money of prices and of the two options above (e.g. CNY).",
            rich_help_panel=ECONOMICS,
            show_default=False,
        ),
    ] = None,
    plan: PlanOption = False,
    plan_objective: PlanObjectiveOption = PlanObjective.quantity,
    plan_scenario: PlanScenarioOption = None,
    scenario: ScenarioOutOption = None,
    no_impact: Annotated[
        bool,
        typer.Option(
            "--no-impact",
            help="Skip the impact computation (faster on very large networks).",
            rich_help_panel=PANEL,
        ),
    ] = False,
    fmt: Annotated[
        OutputFormat,
        typer.Option(
            "--format",
            "-f",
            help="text: tables for people; json: the listed opportunities, plants and "
            "impact; csv: every candidate, ranked.",
            rich_help_panel="Output",
        ),
    ] = OutputFormat.text,
    xlsx: XlsxOption = None,
    csv: TablesFolderOption = None,
    quiet: QuietOption = False,
) -> None:
    """Find where disposed, emitted or sold streams could become inputs: redirects,
    new links, new plants (chain extension) and downstream processing, each with the
    catalogue row and source behind it and its impact on the reuse share.

    These are [bold]candidates for study, not verified exchanges[/]. Try:
    [bold]symbiosis opportunities --example tongling[/].
    """
    from ..analysis.opportunities import find_opportunities
    from ..catalogue import load_catalogue
    from ..catalogue.reach import load_reach
    from ..export.files import write_text_atomic
    from ..export.json import to_json
    from ..io.demands import check_demands
    from ..taxonomy import load_taxonomy
    from .inputs import read_all

    if scenario is not None and no_impact:
        from ..errors import InputError

        raise InputError("--scenario needs the impact computation; drop --no-impact")
    # every input read, and the problems of all of them said at once; the demands are
    # checked against the network and the taxonomy, when these could be read
    read: dict[str, Any] = {}

    def remember(name: str, value: Any) -> Any:
        read[name] = value
        return value

    network, chosen, read_taxonomy, checked, reach_table = read_all(
        lambda: remember("network", load_network(
            example_path(example) if example else path, firms, command="opportunities", year=year)),
        lambda: load_catalogue(catalogue or None, replace=replace_catalogue),
        lambda: remember("taxonomy", None if taxonomy is None else load_taxonomy(taxonomy)),
        lambda: None if demands is None else check_demands(
            demands, read.get("network"), read.get("taxonomy")),
        lambda: (None if no_reach else True) if reach is None else load_reach(
            reach, replace=no_reach),
    )  # fmt: skip
    print_warnings(network.warnings, quiet)
    print_warnings(chosen.warnings, quiet)  # a catalogue, taxonomy or demands file read as
    print_warnings(() if read_taxonomy is None else read_taxonomy.warnings, quiet)  # GB18030
    print_warnings(() if checked is None else checked.warnings, quiet)
    # every candidate ranked only where something reads them: a csv, the files, the plan
    # (at a million flows the listing alone skips 0.5-0.6 s of capacity bounds)
    planned = plan or plan_scenario is not None
    ranked_table = fmt is OutputFormat.csv or planned or xlsx is not None or csv is not None
    result = find_opportunities(
        network,
        chosen,
        top=top,
        max_distance_km=max_distance,
        reach=reach_table,
        receivers_per_stream=per_stream,
        kinds=[k.value for k in kind] if kind else None,
        fates=[f.value for f in fate] if fate else None,
        rank_by=rank_by.value,
        impact=not no_impact,
        disposal_cost=disposal_cost,
        transport_rate=transport_rate,
        currency=currency,
        demands=None if checked is None else checked.rows,
        taxonomy=read_taxonomy,
        table=ranked_table,
    )
    print_warnings(result.warnings, quiet)  # streams taken as hazardous by their target
    allocation = None
    if plan or plan_scenario is not None:
        from .plan import make_plan

        allocation = make_plan(result, network, plan_objective, transport_rate)
    write_result_tables(  # opportunities and uncovered
        "opportunities", result, xlsx=xlsx, csv=csv, protected=network.source_files, quiet=quiet
    )
    if scenario is not None:
        write_text_atomic(scenario, result.to_toml(), protected=network.source_files)
        _warn_if_empty(scenario, result.edits(), "no listed opportunity")
    if plan_scenario is not None:
        write_text_atomic(plan_scenario, allocation.to_toml(), protected=network.source_files)
        _warn_if_empty(plan_scenario, allocation.edits(), "the plan moves nothing")
    if fmt is OutputFormat.json:
        payload = result.to_dict()
        if plan:
            payload["plan"] = allocation.to_dict()
        echo(to_json(payload))
    elif fmt is OutputFormat.csv:
        from ..export.csv import csv_text_pieces

        # every candidate a piece at a time: at a million flows the whole table as text
        # took the command from 1.0 to 2.2 GB
        frames = [allocation.to_frame()] if plan else result.frames()
        for piece in csv_text_pieces(frames):
            echo(piece, nl=False)
    else:
        from .firm_labels import firm_names

        names = firm_names(network)  # a firm whose id is a code shown by its name too
        print_opportunities(result, names=names)
        if plan:
            from .plan import print_plan

            print_plan(allocation, currency, years=network.summed_years, names=names)
        for name, path in (("scenario", scenario), ("plan scenario", plan_scenario)):
            if path is not None:
                stdout.print(f"{name} written to {markup_safe(path)}")


def _warn_if_empty(path, edits, why: str) -> None:
    """Say on stderr that a scenario file written holds no edit, which ``symbiosis
    scenario`` refuses (found by a tester: the file was written without a word). Said
    with --quiet too, as its help says: it is about the output, not the data."""
    if not edits:
        print_warnings([f"{path}: the scenario holds no edit ({why}: nothing to apply); "
                        "symbiosis scenario will refuse it"], quiet=False)  # fmt: skip
