"""``symbiosis scenario`` and ``shock``: what-if questions (``criticality`` in its own module).

* ``scenario PATH A.toml [B.toml ...]``: apply each scenario file (edits and supply
  shocks) and print every headline indicator before, after and the change, side by side.
* ``shock``: in :mod:`.shock`, which prints its indicators with :func:`print_comparison`.

Nothing is computed here: the library does it, these commands print it.
"""

from __future__ import annotations

from functools import partial
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
    FirmsOption,
    Format,
    FormatOption,
    QuietOption,
    command,
    echo,
    example_path,
    handle_errors,
    load_network,
    print_warnings,
    stdout,
)
from .firm_labels import firm_names, loop_lines
from .paths import Reads, output_option
from .render import frame_table, markup_safe, number, share
from .validate import ExampleOption

if TYPE_CHECKING:
    from collections.abc import Mapping

    import numpy as np
    import pandas as pd

    from ..report import Options
    from ..scenarios import ScenarioComparison

__all__ = ["change_cell", "loop_options", "print_comparison", "write_result"]

OutOption = output_option(
    "--out",
    "-o",
    help="Also write the full result as JSON to this file (written whole or not at all).",
    json=True,
)
NetworkOutOption = output_option(
    "--network",
    help="Also write each edited network (after its edits and shocks) as firms.csv and "
    "flows.csv, which symbiosis analyze and compare read back: into this folder for one "
    "scenario, into FOLDER/NAME for each of several; with --out, all files or none. An "
    "existing folder keeps its other files; the network's own folder is refused.",
    folder=True,
    files=("firms.csv", "flows.csv"),
)


def loop_options(max_length: int, max_loops: int, time_budget: float) -> Options:
    from ..report import Options

    return Options(max_loop_length=max_length, max_loops=max_loops, loop_time_budget=time_budget)


def write_result(out: Path | None, data, protected, also=None) -> list[Path]:
    """Write the JSON ``data`` to ``out`` (if given) and the files of ``also`` (path ->
    text), one write set: all or none. Returns the paths of ``also`` written."""
    from ..export.files import write_files_atomic
    from ..export.json import to_json

    also = also or {}
    if out is None and not also:
        return []
    outputs = {out: to_json(data)} if out is not None else {}
    written = write_files_atomic({**outputs, **also}, protected=protected)
    return [path for path in written if path in also]


# ============================================================================ scenario


@command()
@handle_errors
def scenario(
    path: Annotated[
        Path | None,
        typer.Argument(
            help="Network folder (firms.csv and flows.csv), or a flows CSV file. With "
            "--example, leave it out and give only scenario files.",
            show_default=False,
        ),
    ] = None,
    scenarios: Annotated[
        list[Path] | None,
        typer.Argument(
            help="Scenario files (TOML), compared side by side. With --example, a bundled "
            "scenario may be named without its folder (dongguashan_exhausted).",
            show_default=False,
        ),
        Reads("a scenario file"),
    ] = None,
    firms: FirmsOption = None,
    year: YearOption = None,
    example: ExampleOption = None,
    max_length: MaxLengthOption = MAX_LOOP_LENGTH,
    max_loops: MaxLoopsOption = MAX_LOOPS,
    time_budget: TimeBudgetOption = LOOP_TIME_BUDGET,
    fmt: FormatOption = Format.text,
    out: OutOption = None,
    network_out: NetworkOutOption = None,
    quiet: QuietOption = False,
) -> None:
    """Apply what-if scenarios (TOML files of edits and supply shocks) and compare every
    headline indicator before and after, with the loops each scenario opens and closes.

    --network DIR also writes each edited network, to analyse, compare or open elsewhere:
    [bold]symbiosis compare PATH DIR[/].

    Try: [bold]symbiosis scenario --example tongling jinlong_closed dongguashan_exhausted[/].
    The file format is in docs/scenarios.md.
    """
    from ..export.json import to_json
    from ..scenarios import compare_scenarios

    files = list(scenarios or [])
    usage = partial(_usage, files, max_length, max_loops, time_budget)
    if example:
        if path is not None:
            files.insert(0, path)
        folder = example_path(example)
        files = [_bundled(file, folder) for file in files]
        network, options = _network_or_every_problem(folder, firms, files, usage, year)
    else:
        network, options = _network_or_every_problem(path, firms, files, usage, year)
    print_warnings(network.warnings, quiet)
    comparison = compare_scenarios(network, files, options=options)
    print_warnings(comparison.warnings, quiet)
    from ..export.files import InputFile

    scenario_files = (InputFile(file, "a scenario file") for file in files)  # bundled ones too
    networks = _edited_networks(network_out, comparison)
    written = write_result(
        out, comparison.to_dict(), (*network.source_files, *scenario_files), networks
    )
    if network_out is not None:
        from .export import say_written

        for path in written:
            say_written(path, quiet)
    if fmt is Format.json:
        echo(to_json(comparison.to_dict()))
        return
    print_comparison(comparison, names=firm_names(network))


def _edited_networks(
    folder: Path | None, comparison: ScenarioComparison
) -> dict[str | Path, str | bytes]:
    """The files of ``--network``: the edited network in ``folder`` (one scenario), or
    in ``folder/NAME`` for each of several (names are unique: they label the columns)."""
    if folder is None:
        return {}
    from ..export.network_files import network_outputs

    results = comparison.results
    if len(results) == 1:
        return network_outputs({folder: results[0].network_after})
    return network_outputs({folder / r.name: r.network_after for r in results})


def _bundled(file: Path, folder: Path) -> Path:
    """A scenario file as given, else the bundled example's scenario of that name."""
    if file.exists():
        return file
    for candidate in (folder / "scenarios" / file.name, folder / "scenarios" / f"{file.name}.toml"):
        if candidate.is_file():
            return candidate
    return file


def _missing(value) -> bool:
    return value is None or (isinstance(value, float) and value != value)


def _cell(indicator: str, value) -> str:
    from ..scenarios import SHARES

    if _missing(value):
        return "–"
    if indicator in SHARES:
        return share(value)
    return number(value)


def change_cell(indicator: str, value, before=None) -> str:
    """A change as the table shows it; ``before``, the indicator's value before (when
    known), sets what is rounding noise: a change below 1e-9 of it (of 1 for a share or
    without it), so that the changes of a network of tiny quantities still show."""
    from ..scenarios import SHARES

    if _missing(value):
        return "–"
    scale = 1.0 if indicator in SHARES or _missing(before) or not before else abs(before)
    if abs(value) < 1e-9 * scale:  # rounding noise of recomputed indicators
        return "0"
    if indicator in SHARES:  # a change below 0.05 pp with one digit, not as 0 or +0.0
        points = 100 * value
        return f"{points:+.1f} pp" if abs(points) >= 0.05 else f"{points:+.1g} pp"
    return ("+" if value > 0 else "") + number(value)


def comparison_frame(comparison: ScenarioComparison) -> pd.DataFrame:
    """The comparison as display strings: one row per indicator, columns before, then
    after and the change (Δ) for each scenario."""
    import pandas as pd

    table = comparison.to_frame().reset_index()
    shown = pd.DataFrame(
        {
            "dimension": table["dimension"],
            "indicator": table["indicator"].str.replace("_", " "),
            "unit": table["unit"],
            "before": [
                _cell(i, v) for i, v in zip(table["indicator"], table["before"], strict=True)
            ],
        }
    )
    for result in comparison.results:
        name = result.name
        shown[name] = [_cell(i, v) for i, v in zip(table["indicator"], table[name], strict=True)]
        shown[f"Δ {name}"] = [
            change_cell(i, v, b)
            for i, v, b in zip(
                table["indicator"], table[f"{name} change"], table["before"], strict=True
            )
        ]
    _mark_unknown(shown, table, comparison)
    return shown.set_index(["dimension", "indicator"])


def _mark_unknown(shown: pd.DataFrame, table: pd.DataFrame, comparison) -> None:
    """``unknown`` in the cells of a dimension with no flow of known size (its sums are
    unknown, not 0), and in the changes where either side is (as ``analyze`` shows it)."""
    from ..export.report_headline import UNKNOWN
    from .trends import unknown_rows

    def unknown(unsized) -> np.ndarray:
        return unknown_rows(table["dimension"], table["indicator"], unsized)

    before = unknown(comparison.before.unsized)
    shown.loc[before, "before"] = UNKNOWN
    for result in comparison.results:
        after = unknown(result.after.unsized)
        shown.loc[after, result.name] = UNKNOWN
        shown.loc[before | after, f"Δ {result.name}"] = UNKNOWN


def _says_nothing(table: pd.DataFrame) -> np.ndarray:
    """The rows of a comparison (:meth:`ScenarioComparison.to_frame`, reset) that say
    nothing: the quantities and shares of a dimension with no flow of known size, zero
    or missing before and after (a network of links only). Its cyclicity and loops, of
    the links, stay. O(rows)."""
    import numpy as np

    values = table[[c for c in table.columns if c not in ("dimension", "indicator", "unit")]]
    empty = (values.isna() | values.eq(0)).all(axis=1).to_numpy()
    quantity = table["unit"].fillna("").astype(str).ne("").to_numpy()
    dimension = table["dimension"].to_numpy()
    unsized = {d for d in set(dimension) - {"all"} if empty[quantity & (dimension == d)].all()}
    return np.isin(dimension, list(unsized)) & empty


def print_comparison(
    comparison: ScenarioComparison,
    *,
    title: str = "Indicators",
    loops: bool = True,
    names: Mapping[str, str] | None = None,
) -> None:
    """Indicators side by side, then (``loops``) the loops each scenario opens and
    closes; given ``names`` (id -> name of the network before, :func:`~.firm_labels.\
firm_names`), a firm whose id is a code is named in them, as the loops command names it:
    in the loops opened by ``names``, in those closed by the names after the scenario."""
    from .trends import unknown_note

    for result in comparison.results:
        item = result.scenario
        if item is not None:
            described = f": {markup_safe(item.title)}" if item.title else ""
            rule = f", {item.model} model, {item.rationing_used} rationing" * bool(item.shocks)
            stdout.print(
                f"[bold]{markup_safe(result.name)}[/]{described} ({len(item.edits)} edit(s), "
                f"{len(item.shocks)} shock(s){rule}; {markup_safe(item.file)})",
                soft_wrap=True,
            )
    shown = comparison_frame(comparison)
    shown = shown[~_says_nothing(comparison.to_frame().reset_index())]
    stdout.print(frame_table(shown, title, max_rows=200))
    if note := unknown_note(shown):  # a dimension sized on one side only
        stdout.print(note, soft_wrap=True)
    for result in comparison.results if loops else ():
        after = None if names is None else firm_names(result.network_after)  # firms added
        for label, found, known in (
            ("opened (broken)", result.opened, names),
            ("closed (new)", result.closed, after),
        ):
            if found:
                stdout.print(f"Loops {label} by [bold]{markup_safe(result.name)}[/]: {len(found)}")
                for line in loop_lines(found[:20], known):
                    stdout.print("  " + markup_safe(line), soft_wrap=True)
                if len(found) > 20:
                    stdout.print(f"  ... and {len(found) - 20} more (--format json lists all)")
        if not result.opened and not result.closed:
            stdout.print(f"Loops: [bold]{markup_safe(result.name)}[/] opens and closes none")
    notes = {*comparison.before.notes, *(n for r in comparison.results for n in r.after.notes)}
    for note in sorted(notes):
        stdout.print(f"[italic]note:[/] {markup_safe(note)}", soft_wrap=True)


def _usage(files: list[Path], max_length: int, max_loops: int, time_budget: float) -> Options:
    """The options, once a scenario file is given; every problem of both at once."""
    from .inputs import read_all

    def some_file() -> None:
        if not files:
            raise InputError(
                "no scenario file given; name one or more .toml files after the network "
                "(see docs/scenarios.md)"
            )

    return read_all(some_file, partial(loop_options, max_length, max_loops, time_budget))[1]


def _network_or_every_problem(path, firms, files, options, year=None):
    """The network and the ``options()``; when either is wrong, their problems and those
    each scenario file has of its own (what can be found without the network), at once."""
    from .inputs import read_all

    try:
        made, network = read_all(
            options, lambda: load_network(path, firms, command="scenario", year=year)
        )
        return network, made
    except InputError as exc:
        from ..scenario_files import load_scenario

        problems = [*exc.problems, *(p for file in files for p in load_scenario(file)[1])]
        raise InputError(problems) from None
