"""Every command has help text and is shown in the README (the docs cannot fall behind)."""

from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from symbiosis.cli import app
from symbiosis.cli.lazy import COMMANDS

README = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")


def test_the_commands_are_all_there():
    assert list(COMMANDS) == [
        "validate",
        "analyze",
        "loops",
        "reuse",
        "balance",
        "reconcile",
        "structure",
        "opportunities",
        "scenario",
        "shock",
        "criticality",
        "trends",
        "compare",
        "uncertainty",
        "register",
        "export",
        "report",
    ]


@pytest.mark.parametrize("command", COMMANDS)
def test_command_has_help_and_is_in_the_readme(command):
    result = CliRunner().invoke(app, [command, "--help"])
    assert result.exit_code == 0
    loaded = typer.main.get_command(app).load(command)
    assert loaded.help and "\n" not in loaded.help.split("\n\n")[0]
    assert f"symbiosis {command} " in README


@pytest.mark.parametrize("command", COMMANDS)
def test_the_help_of_top_names_only_outputs_the_command_has(command):
    """``--top`` cuts the text; its help says what holds every row instead: a CSV only
    where the command writes one, --out only where it has it."""
    loaded = typer.main.get_command(app).load(command)
    options = {name for param in loaded.params for name in param.opts}
    top = next((param for param in loaded.params if "--top" in param.opts), None)
    if top is None or command in ("opportunities", "uncertainty"):  # --top ranks there
        return
    assert ("CSV" in top.help) == ("--csv" in options), top.help
    assert ("--out" in top.help) <= ("--out" in options), top.help


def test_the_help_of_compare_top_says_the_json_lists_the_first_flows():
    from symbiosis.analysis.compare import LISTED_ROWS

    top = next(p for p in typer.main.get_command(app).load("compare").params if "--top" in p.opts)
    assert f"the first {LISTED_ROWS:,} flows" in top.help
