"""Options that several commands share: the loop search's bounds, the cycling rules, the
balance tolerance and the table outputs (analyze, loops, balance, scenario and the
per-pass commands), and the year of a network of several (every command that analyses
one network). Cheap to import, as :mod:`.app` is: a command's ``--help`` loads no
analysis."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from .paths import output_option

__all__ = [
    "BALANCE_TOLERANCE",
    "BREAK_BELOW",
    "LOOP_TIME_BUDGET",
    "MAX_LOOPS",
    "MAX_LOOP_LENGTH",
    "Balance",
    "BalanceOption",
    "MaxLengthOption",
    "MaxLoopsOption",
    "ShockModel",
    "TablesFolderOption",
    "Throughflow",
    "ThroughflowOption",
    "TimeBudgetOption",
    "ToleranceOption",
    "XlsxOption",
    "YearOption",
]


class ShockModel(StrEnum):
    """The supply-shock models (symbiosis.analysis.propagation.MODELS), the default first."""

    leontief = "leontief"
    proportional = "proportional"


class ShockRationing(StrEnum):
    """How a supplier that makes less shares it out
    (symbiosis.analysis.propagation.RATIONINGS), the default first."""

    internal_first = "internal-first"
    proportional = "proportional"
    redirect = "redirect"


RationingOption = Annotated[
    ShockRationing | None,
    typer.Option(
        "--rationing",
        help="How a supplier that makes less shares out what it still makes: "
        "internal-first (default under --model leontief: its sales to boundary nodes, the "
        "market, an export, the grid, are cut before its customers in the network), "
        "redirect (internal-first, and a supplier's sales to boundary nodes go first to its "
        "customers in the network that lack that material: a flow may grow) or "
        "proportional (every customer loses the same share; always so under --model "
        "proportional).",
        rich_help_panel="Shock",
        show_default=False,
    ),
]


class Throughflow(StrEnum):
    """How a firm's throughflow is taken (symbiosis.analysis.cycling.THROUGHFLOW_RULES)."""

    max = "max"
    inflow = "inflow"
    outflow = "outflow"


# Defaults of the library (report.Options, analysis.balance, analysis.shocks), repeated here so
# that a command's --help imports no analysis; tests/cli/test_startup.py checks they agree.
MAX_LOOP_LENGTH = 6
MAX_LOOPS = 10_000
LOOP_TIME_BUDGET = 10.0
BALANCE_TOLERANCE = 0.05
BREAK_BELOW = 0.5

# Options shared by several commands (analyze, loops, balance, scenario).
MaxLengthOption = Annotated[
    int,
    typer.Option(
        "--max-length",
        "-L",
        help="Longest loop searched, in actors (>= 1). Loop counts grow fast with it.",
        rich_help_panel="Search bounds",
    ),
]

MaxLoopsOption = Annotated[
    int,
    typer.Option(
        "--max-loops",
        "-n",
        help="Stop after this many loops (>= 0); the output says so when more exist.",
        rich_help_panel="Search bounds",
    ),
]

TimeBudgetOption = Annotated[
    float,
    typer.Option(
        "--time-budget",
        help="Stop searching after this many seconds (> 0); the output says so.",
        rich_help_panel="Search bounds",
    ),
]

ThroughflowOption = Annotated[
    Throughflow,
    typer.Option(
        "--throughflow",
        help="Throughflow of a firm for the cycling metrics: max of inflow and outflow (closes "
        "each balance), inflow (enaR's convention) or outflow.",
        rich_help_panel="Analysis",
    ),
]


class Balance(StrEnum):
    """enaR's balance() methods (symbiosis.analysis.cycling.BALANCE_CHOICES)."""

    none = "none"
    avg = "avg"
    avg2 = "avg2"
    io = "io"
    oi = "oi"


BalanceOption = Annotated[
    Balance,
    typer.Option(
        "--balance",
        help="Balance each dimension's flows before the cycling metrics, by enaR's methods "
        "(Allesina & Bondavalli 2003): avg, avg2 (enaR's default), io, oi; none keeps the "
        "recorded flows.",
        rich_help_panel="Analysis",
    ),
]
ToleranceOption = Annotated[
    float,
    typer.Option(
        "--tolerance",
        "-t",
        help="Relative imbalance still counted as balanced: |in - out| / max(in, out). 0.05 = 5 %.",
        rich_help_panel="Analysis",
    ),
]


# Table outputs (analyze and the per-pass commands): every table of the results.
XlsxOption = output_option(
    "--xlsx",
    help="Also write every table as one sheet of this Excel workbook (.xlsx).",
)
TablesFolderOption = output_option(
    "--csv",
    help="Also write every table as a CSV file into this folder (all of them, or none).",
    folder=True,
)


# The year of a network of several (every command that analyses one network): the
# library's select_year, called by app.load_network. Text, checked against the flows' years.
YearOption = Annotated[
    str | None,
    typer.Option(
        "--year",
        help="For flows of several years (a year column): analyse this year's flows (those "
        "without a year count in every year). Default: the latest year, with a note saying "
        "so; 'all' adds every year up (each quantity is then their total, labelled so: "
        "t over 3 years). 'symbiosis trends' gives each year.",
        metavar="YEAR|all",
        rich_help_panel="Input",
        show_default=False,
    ),
]
