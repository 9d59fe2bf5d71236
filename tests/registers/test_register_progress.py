"""``register import`` on a terminal shows its steps (reading each file, building the
networks, writing them), as ``analyze`` shows its sections; its warnings write tonnes as
the tables do (``3,680,000 t``, not ``3.68e06 t``): tester-areas8 defect 5."""

from __future__ import annotations

import importlib
import io
from pathlib import Path

import pytest
from rich.console import Console
from typer.testing import CliRunner

pytest.importorskip("duckdb")

from symbiosis.cli import app
from symbiosis.registers import import_registers, steps

SAMPLE = Path(__file__).parents[2] / "examples" / "registers" / "shipments.csv"


def test_the_library_reports_each_step(tmp_path):
    said: list[str] = []
    import_registers([SAMPLE], tmp_path / "net", progress=said.append)
    assert said == ["reading shipments.csv", "building the networks", "writing the networks"]
    assert steps([SAMPLE], tmp_path / "net") == len(said)
    said.clear()
    import_registers([SAMPLE], None, progress=said.append)  # nothing written
    assert said == ["reading shipments.csv", "building the networks"] and steps([SAMPLE], None) == 2


def terminal(monkeypatch) -> io.StringIO:
    """stderr as a terminal, written to a string."""
    app_module = importlib.import_module("symbiosis.cli.app")  # the module, not the app
    shown = io.StringIO()
    console = Console(file=shown, force_terminal=True, width=120, highlight=False)
    monkeypatch.setattr(app_module, "stderr", console)
    return shown


def test_the_command_shows_its_steps_on_a_terminal(tmp_path, monkeypatch):
    shown = terminal(monkeypatch)
    result = CliRunner().invoke(
        app, ["register", "import", str(SAMPLE), "--out", str(tmp_path / "n")]
    )
    assert result.exit_code == 0, result.output
    drawn = shown.getvalue()
    for step in ("reading shipments.csv", "building the networks", "writing the networks 3/3"):
        assert step in drawn


def test_quiet_shows_no_steps(tmp_path, monkeypatch):
    shown = terminal(monkeypatch)
    result = CliRunner().invoke(app, ["register", "import", str(SAMPLE), "-q"])
    assert result.exit_code == 0, result.output
    assert "reading" not in shown.getvalue()


def test_a_file_name_is_shown_as_text(tmp_path, monkeypatch):
    named = tmp_path / "[bold]reg.csv"
    named.write_bytes(SAMPLE.read_bytes())
    shown = terminal(monkeypatch)
    assert CliRunner().invoke(app, ["register", "import", str(named)]).exit_code == 0
    assert "reading [bold]reg.csv" in shown.getvalue()


def test_interim_tonnes_are_written_as_the_tables_write_them(tmp_path):
    register = tmp_path / "interim.csv"
    register.write_text(
        "date,sender,receiver,waste_code,operation,quantity,unit\n"
        "2023-01-01,F1,STATION,17 05 04,R13,3680000,t\n"
        "2023-02-01,STATION,REC,17 05 04,R5,2230.4,t\n"
        "2023-03-01,F2,F2,17 05 04,R5,1234567.8,kg\n"
    )
    result = import_registers([register], None)
    [interim] = [w for w in result.warnings if "interim operations" in w]
    assert interim.startswith("3,680,000 t went to interim operations")  # was 3.68e06 t
    assert "their receivers send 2,230 t on" in interim  # was 2.23e03 t
    [own] = [w for w in result.warnings if "same sender and receiver" in w]
    assert "F2 (1 row(s), 1,235 t)" in own  # was 1.23e03 t
