"""Every command has help text and is shown in the README (the docs cannot fall behind)."""

from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from symbiosis.cli import app
from symbiosis.cli.lazy import COMMANDS

README = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
DOCS = Path(__file__).parents[2] / "docs"
YEARS = Path(__file__).parents[2] / "examples" / "years"


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


def _sample(doc: str, caption: str) -> list[list[str]]:
    """The text block that follows ``caption`` in ``doc``: its runs of lines between the
    '...' lines that shorten it, trailing spaces dropped."""
    text = (DOCS / doc).read_text(encoding="utf-8")
    block = text[text.index(caption) :].split("```text\n", 1)[1].split("\n```", 1)[0]
    runs: list[list[str]] = [[]]
    for line in block.splitlines():
        if line.strip() == "...":
            runs.append([])
        else:
            runs[-1].append(line.rstrip())
    return runs


def _first_run_not_shown(output: str, runs: list[list[str]]) -> list[str] | None:
    """The first run of ``runs`` that ``output`` does not hold as consecutive lines, after
    the runs before it; None when it shows them all, in order."""
    lines = [line.rstrip() for line in output.splitlines()]
    at = 0
    for run in runs:
        starts = range(at, len(lines) - len(run) + 1)
        found = next((i for i in starts if lines[i : i + len(run)] == run), None)
        if found is None:
            return run
        at = found + len(run)
    return None


def test_the_sample_output_of_trends_in_the_docs_is_what_it_prints():
    result = CliRunner().invoke(app, ["trends", str(YEARS)])
    assert result.exit_code == 0, result.output
    runs = _sample("trends.md", "Sample output (`symbiosis trends examples/years`")
    assert _first_run_not_shown(result.stdout, runs) is None


def test_the_sample_output_of_compare_in_the_docs_is_what_it_prints(tmp_path, monkeypatch):
    """park_2019 and park_2021: the firms of examples/years and its flows of each year."""
    lines = (YEARS / "flows.csv").read_text(encoding="utf-8").splitlines()
    for year in ("2019", "2021"):
        park = tmp_path / f"park_{year}"
        park.mkdir()
        (park / "firms.csv").write_bytes((YEARS / "firms.csv").read_bytes())
        kept = [lines[0]] + [line for line in lines[1:] if line.endswith(f",{year}")]
        (park / "flows.csv").write_text("\n".join(kept) + "\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, ["compare", "park_2019", "park_2021"])
    assert result.exit_code == 0, result.output
    runs = _sample("trends.md", "Sample output: `park_2019` and `park_2021`")
    assert _first_run_not_shown(result.stdout, runs) is None


def test_the_sample_output_of_reconcile_in_the_docs_is_what_it_prints():
    result = CliRunner().invoke(app, ["reconcile", "--example", "tongling", "-q"])
    assert result.exit_code == 0, result.output
    runs = _sample("reconciliation.md", "`symbiosis reconcile --example\ntongling` gives:")
    assert _first_run_not_shown(result.stdout, runs) is None
