"""``symbiosis analyze --sections``: a conditional section named that cannot run.

A tester's report: ``-s uncertainty`` without ``--samples`` (and ``-s trends`` on flows of
one year, ``-s recovery`` without register columns) printed an empty report, exit 0; the
progress bar counted the three sections in a run of every section, though none ran.
"""

from __future__ import annotations

import importlib
from contextlib import contextmanager
from pathlib import Path

import pytest
from typer.testing import CliRunner

from symbiosis.cli import app

SMALL = Path(__file__).parents[1] / "data" / "small"  # no year, no register columns
runner = CliRunner()
analyze_command = importlib.import_module("symbiosis.cli.analyze")

UNCERTAINTY = (
    "error: --sections: section 'uncertainty' needs Monte Carlo samples (--samples N, N >= 2): "
    "none were asked for; add --samples N, e.g. --samples 1000"
)
TRENDS = (
    "error: --sections: section 'trends' needs flows of 2 or more years (a 'year' column): "
    "the flows have no 'year' column"
)
RECOVERY = (
    "error: --sections: section 'recovery' needs flows with 'waste_code' and 'operation' "
    "columns (symbiosis register import writes them): the flows have no 'waste_code' and no "
    "'operation' column"
)


def invoke(*args):
    return runner.invoke(app, [str(a) for a in args])


@pytest.mark.parametrize(
    ("named", "said"), [("uncertainty", UNCERTAINTY), ("trends", TRENDS), ("recovery", RECOVERY)]
)
def test_a_named_section_that_cannot_run_is_refused(named, said):
    result = invoke("analyze", SMALL, "-q", "-s", f"reuse,{named}")
    assert result.exit_code == 2, result.output
    assert result.stderr.splitlines() == [said]
    assert result.stdout == ""


def test_every_problem_at_once_one_line_each():
    result = invoke("analyze", SMALL, "-q", "-s", "trends,recovery,uncertainty", "--max-length",
                    "0")  # fmt: skip
    assert result.exit_code == 2, result.output
    lines = result.stderr.splitlines()
    assert lines[0] == UNCERTAINTY and lines[1].startswith("error: --max-length")
    assert lines[2:] == [RECOVERY, TRENDS, "4 problems found; nothing was analysed"]


def test_the_progress_counts_the_sections_that_run(monkeypatch):
    seen: list[str] = []
    expected: list[int] = []

    class Steps:
        def __call__(self, name: str) -> None:
            seen.append(name)

        def expect(self, sections: int) -> None:
            expected.append(sections)

    @contextmanager
    def recorded(sections: int, quiet: bool):
        yield Steps()

    monkeypatch.setattr(analyze_command, "section_progress", recorded)
    result = invoke("analyze", SMALL, "-q", "-f", "json")
    assert result.exit_code == 0, result.output
    ran = ["summary", "reuse", "balance", "structure", "opportunities", "cycling", "loops"]
    assert expected == [7] and sorted(seen) == sorted(ran)
    sampled = invoke("analyze", SMALL, "-q", "-f", "json", "--samples", "5", "-s", "uncertainty")
    assert sampled.exit_code == 0, sampled.output
    assert expected == [7, 1] and seen[-1] == "uncertainty"
