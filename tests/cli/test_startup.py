"""Start-up: help and version load no analysis; each command imports only its own module.

Structural checks in fresh interpreters (what was imported), not timings: those are in
benchmarks/bench_startup.py.
"""

import json
import subprocess
import sys

import typer
from typer.testing import CliRunner

import symbiosis
from symbiosis.cli import app
from symbiosis.cli.analysis_options import (
    BALANCE_TOLERANCE,
    BREAK_BELOW,
    LOOP_TIME_BUDGET,
    MAX_LOOP_LENGTH,
    MAX_LOOPS,
)
from symbiosis.cli.analyze import RENDERERS, renderer
from symbiosis.cli.lazy import COMMANDS, LazyGroup, registry

# pydantic: typer imports it to coerce option values, which help and version need none of;
# opencc: loaded on the first Chinese name read (symbiosis/_hanzi.py), never for help.
HEAVY = ("pandas", "numpy", "scipy", "networkx", "pyarrow", "pydantic", "opencc")
COMMAND_MODULES = sorted({module for module, _ in COMMANDS.values()})

# Runs `symbiosis ARGS...` for each argument list in the JSON argv[2], in turn, through the
# real entry point's main() (entry() would then end the process), then writes the exit codes
# and the names of the imported modules to the file argv[1].
PROBE = """
import json, sys
out, runs, codes = sys.argv[1], json.loads(sys.argv[2]), []
for args in runs:
    sys.argv = ["symbiosis", *args]
    try:
        from symbiosis.__main__ import main
        main()
        codes.append(0)
    except SystemExit as exit:
        codes.append(exit.code or 0)
with open(out, "w") as file:
    json.dump({"codes": codes, "modules": sorted(sys.modules)}, file)
"""


def imported(tmp_path, *runs: list[str]) -> set[str]:
    """The modules a fresh interpreter imported to run ``symbiosis ARGS`` for each of
    ``runs`` in turn (each must exit 0)."""
    out = tmp_path / "modules.json"
    subprocess.run(
        [sys.executable, "-c", PROBE, str(out), json.dumps(runs)],
        check=True,
        capture_output=True,
        timeout=120,
    )
    result = json.loads(out.read_text())
    assert result["codes"] == [0] * len(runs)
    return set(result["modules"])


def heavy(modules: set[str]) -> list[str]:
    return sorted(m for m in modules if m.split(".")[0] in HEAVY)


def test_help_loads_no_analysis_and_no_command_module(tmp_path):
    modules = imported(tmp_path, ["--help"])
    assert heavy(modules) == []
    assert not {f"symbiosis.cli.{m}" for m in COMMAND_MODULES} & modules
    assert not {"symbiosis.io", "symbiosis.model", "symbiosis.report"} & modules


def test_version_loads_not_even_typer(tmp_path):
    modules = imported(tmp_path, ["--version"])
    assert heavy(modules) == []
    assert "typer" not in modules and "rich" not in modules


def test_a_command_help_loads_that_command_only(tmp_path):
    modules = imported(tmp_path, ["scenario", "--help"])
    assert heavy(modules) == []
    assert "symbiosis.cli.scenario" in modules
    assert "symbiosis.cli.analyze" not in modules and "symbiosis.scenarios" not in modules


def test_no_command_help_loads_an_analysis(tmp_path):
    # One interpreter for all: if their help together loads nothing heavy, neither does each.
    assert heavy(imported(tmp_path, *([command, "--help"] for command in COMMANDS))) == []


def test_version_is_the_same_on_the_fast_path(tmp_path):
    result = CliRunner().invoke(app, ["--version"])
    fast = subprocess.run(
        [sys.executable, "-m", "symbiosis", "--version"],
        check=True,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert fast.stdout == result.stdout == f"symbiosis {symbiosis.__version__}\n"


# --------------------------------------------------------------------------- the command table


def loaded_group():
    group = typer.main.get_command(app)
    for name in COMMANDS:
        group.load(name)
    return group


def test_the_table_lists_every_registered_command_with_its_module_and_short_help():
    group = loaded_group()
    registered = {
        info.name or info.callback.__name__: info.callback.__module__
        for info in registry.registered_commands
    }
    assert registered == {name: f"symbiosis.cli.{m}" for name, (m, _) in COMMANDS.items()}
    for name, (_, short) in COMMANDS.items():
        assert group.load(name).help.split("\n\n")[0] == short, name


def test_top_level_help_is_the_same_with_every_command_loaded(monkeypatch):
    lazy = CliRunner().invoke(app, ["--help"])
    monkeypatch.setattr(LazyGroup, "get_command", lambda self, ctx, name: self.load(name))
    eager = CliRunner().invoke(app, ["--help"])
    assert lazy.exit_code == eager.exit_code == 0
    assert lazy.output == eager.output


def test_unknown_command_suggests_the_nearest():
    result = CliRunner().invoke(app, ["anlyze"])
    assert result.exit_code == 2
    assert "No such command 'anlyze'. Did you mean 'analyze'?" in result.output


def test_every_report_section_has_its_text_renderer():
    from symbiosis.report import SECTIONS

    assert set(RENDERERS) == set(SECTIONS)
    for section in SECTIONS:
        assert callable(renderer(section))


# --------------------------------------------------------------------------- repeated defaults


def test_defaults_repeated_in_the_cli_are_the_library_s():
    from symbiosis.analysis.balance import DEFAULT_TOLERANCE
    from symbiosis.analysis.shocks import DEFAULT_BREAK_BELOW
    from symbiosis.report import Options

    defaults = Options()
    assert defaults.max_loop_length == MAX_LOOP_LENGTH
    assert defaults.max_loops == MAX_LOOPS
    assert defaults.loop_time_budget == LOOP_TIME_BUDGET
    assert BALANCE_TOLERANCE == defaults.balance_tolerance == DEFAULT_TOLERANCE
    assert BREAK_BELOW == DEFAULT_BREAK_BELOW
    assert defaults.throughflow == "max"


def test_shock_models_are_the_library_s():
    """The --model choices and a scenario file's model = ... values, repeated so that
    neither imports an analysis, are the models of symbiosis.analysis.propagation."""
    from symbiosis.analysis.propagation import MODELS
    from symbiosis.cli.analysis_options import ShockModel
    from symbiosis.scenario_files import SHOCK_MODELS

    assert tuple(ShockModel) == SHOCK_MODELS == MODELS


def test_throughflow_choices_are_the_library_s():
    from symbiosis.analysis.cycling import THROUGHFLOW_RULES
    from symbiosis.cli.analysis_options import Throughflow

    assert tuple(Throughflow) == THROUGHFLOW_RULES


def test_balance_choices_are_the_library_s():
    from symbiosis.analysis.cycling import BALANCE_CHOICES
    from symbiosis.cli.analysis_options import Balance

    assert tuple(Balance) == BALANCE_CHOICES


def test_choices_repeated_in_the_cli_are_the_library_s():
    from symbiosis.analysis.criticality import CRITERIA
    from symbiosis.analysis.opportunities import FATES, KINDS
    from symbiosis.cli.criticality import Ranking
    from symbiosis.cli.opportunities import Fate, Kind

    assert tuple(Kind) == KINDS
    assert tuple(Fate) == FATES
    assert tuple(Ranking) == ("score", *CRITERIA)


def test_help_is_drawn_without_typer_s_markdown_formatter(tmp_path):
    """The root help is drawn by cli/root_help.py: typer's formatter would import a
    Markdown renderer (0.1 s of start-up) that this help does not need."""
    modules = imported(tmp_path, ["--help"])
    assert not {"typer.rich_utils", "rich.markdown", "markdown_it"} & modules


def test_help_lists_every_command_and_option():
    result = CliRunner().invoke(app, ["--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    for name, (_, short) in COMMANDS.items():
        assert any(f"│ {name} " in line and short[:40] in line for line in lines), name
    assert any("--version" in line and "Print the version" in line for line in lines)
    assert any("--help" in line and "-h" in line for line in lines)
    assert "Usage: symbiosis [OPTIONS] COMMAND [ARGS]..." in result.stdout


def test_rationing_rules_are_the_library_s():
    """The --rationing choices and a scenario file's rationing = ... values are the rules
    of symbiosis.analysis.propagation (repeated so that neither imports an analysis)."""
    from symbiosis.analysis.propagation import RATIONINGS
    from symbiosis.cli.analysis_options import ShockRationing
    from symbiosis.scenario_files import RATIONINGS as READ

    assert tuple(ShockRationing) == READ == RATIONINGS
