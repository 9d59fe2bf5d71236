"""The bad-input corpus (tests/data/bad, see its README): every case through the CLI.

For each case the CLI must exit with the expected code, print exactly the expected
problems, each on one line as ``error: file:row: column: message; hint``, and never a
traceback. Accepted variants must load and give the same totals as the clean file. A
handful of cases also run as a real ``python -m symbiosis`` process, where a traceback
would reach the user's terminal.
"""

from __future__ import annotations

import functools
import json
import os
import shutil
import subprocess
import sys
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from typer.testing import CliRunner

from symbiosis.cli import app

CORPUS = Path(__file__).parent / "data" / "bad"
CASES = sorted(p.name for p in CORPUS.iterdir() if (p / "case.toml").is_file())
runner = CliRunner()


@dataclass
class Case:
    name: str
    about: str
    args: list[str] = field(default_factory=lambda: ["validate", "{case}"])
    exit: int = 2
    subprocess: bool = False
    same_as: str | None = None
    unreadable: list[str] = field(default_factory=list)
    problems: list[dict] = field(default_factory=list)

    @classmethod
    def read(cls, name: str) -> Case:
        settings = tomllib.loads((CORPUS / name / "case.toml").read_text(encoding="utf-8"))
        return cls(name=name, **settings)

    def command(self, folder: Path) -> list[str]:
        return [arg.replace("{case}", str(folder)) for arg in self.args]


@dataclass
class Run:
    exit_code: int
    stdout: str
    stderr: str


def run_in_process(case: Case, folder: Path) -> Run:
    result = runner.invoke(app, case.command(folder))
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"{case.name}: the CLI raised {result.exception!r}")
    return Run(result.exit_code, result.stdout, result.stderr)


def run_as_process(case: Case, folder: Path) -> Run:
    done = subprocess.run(
        [sys.executable, "-m", "symbiosis", *case.command(folder)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",
        timeout=120,
        env={**os.environ, "COLUMNS": "80"},  # a narrow terminal must not wrap problems
        stdin=subprocess.DEVNULL,
    )
    return Run(done.returncode, done.stdout, done.stderr)


def expected_line_start(folder: Path, problem: dict) -> str:
    path = folder / problem["file"] if problem["file"] != "." else folder
    where = str(path) if problem.get("row") is None else f"{path}:{problem['row']}"
    column = f" {problem['column']}:" if problem.get("column") else ""
    return f"error: {where}:{column} "


def check(case: Case, folder: Path, run: Run) -> None:
    output = run.stdout + run.stderr
    assert "Traceback" not in output, output
    assert "internal error" not in output, output
    assert run.exit_code == case.exit, f"{case.name}: exit {run.exit_code}\n{output}"
    errors = [line for line in run.stderr.splitlines() if line.startswith("error:")]
    unmatched = list(errors)
    for problem in case.problems:
        start = expected_line_start(folder, problem)
        matches = [
            line for line in unmatched if line.startswith(start) and problem["message"] in line
        ]
        assert matches, f"{case.name}: no line starts {start!r} with {problem['message']!r}:\n" + (
            "\n".join(errors)
        )
        unmatched.remove(matches[0])
    assert not unmatched, f"{case.name}: unexpected problems:\n" + "\n".join(unmatched)
    for line in errors:
        assert "; " in line, f"{case.name}: no hint on what to do: {line}"
    if case.exit == 2:
        assert run.stdout == "", "nothing on stdout when the input is bad"


def prepare(case: Case, tmp_path: Path, monkeypatch) -> Path:
    """The folder to run on: the case itself, or a copy with files made unreadable."""
    if not case.unreadable:
        return CORPUS / case.name
    folder = tmp_path / case.name
    shutil.copytree(CORPUS / case.name, folder)
    locked = {(folder / name).resolve() for name in case.unreadable}
    for path in locked:
        path.chmod(0)
    if os.geteuid() == 0:  # root reads anything: simulate the refusal
        real = Path.read_bytes

        def read_bytes(self):
            if self.resolve() in locked:
                raise PermissionError(13, "Permission denied", str(self))
            return real(self)

        monkeypatch.setattr(Path, "read_bytes", read_bytes)
    return folder


@pytest.mark.parametrize("name", CASES)
def test_case(name, tmp_path, monkeypatch):
    case = Case.read(name)
    folder = prepare(case, tmp_path, monkeypatch)
    try:
        run = run_in_process(case, folder)
    finally:
        for file in case.unreadable:
            (folder / file).chmod(0o644)
    check(case, folder, run)
    if case.same_as:
        assert summary(CORPUS / name) == summary(CORPUS / case.same_as)


@functools.cache
def summary(folder: Path) -> dict:
    """Counts and totals from ``validate --format json`` (warnings name the files)."""
    result = runner.invoke(app, ["validate", str(folder), "--format", "json", "--quiet"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)["summary"]
    totals = report.pop("totals")
    report["totals"] = {
        dimension: {key: pytest.approx(value, rel=1e-12) for key, value in values.items()}
        for dimension, values in totals.items()
    }
    return report


@pytest.mark.parametrize("name", [n for n in CASES if Case.read(n).subprocess])
def test_case_as_a_process(name):
    case = Case.read(name)
    assert not case.unreadable, "unreadable files are simulated in-process only"
    check(case, CORPUS / name, run_as_process(case, CORPUS / name))


def test_corpus_size_and_layout():
    """At least 40 cases; every case folder holds a case.toml and some input, and every
    error case names at least one problem."""
    assert len(CASES) >= 40
    folders = [p for p in CORPUS.iterdir() if p.is_dir()]
    assert sorted(p.name for p in folders) == CASES
    for name in CASES:
        case = Case.read(name)
        assert case.about
        assert (case.exit == 0) == (not case.problems), name
        assert case.exit != 0 or case.name == "accepted-clean" or case.same_as, name
        assert case.same_as is None or case.same_as in CASES
