"""Every command has help text and is shown in the README (the docs cannot fall behind)."""

from pathlib import Path

import pytest
from typer.testing import CliRunner

from symbiosis.cli import app

README = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
COMMANDS = [c.name or c.callback.__name__ for c in app.registered_commands]


def test_the_commands_are_all_there():
    assert COMMANDS == [
        "validate",
        "analyze",
        "loops",
        "reuse",
        "balance",
        "structure",
        "opportunities",
        "scenario",
        "shock",
        "criticality",
        "export",
        "report",
    ]


@pytest.mark.parametrize("command", COMMANDS)
def test_command_has_help_and_is_in_the_readme(command):
    result = CliRunner().invoke(app, [command, "--help"])
    assert result.exit_code == 0
    info = next(c for c in app.registered_commands if (c.name or c.callback.__name__) == command)
    assert info.help and "\n" not in info.help.split("\n\n")[0]
    assert f"symbiosis {command} " in README
