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
