"""A command that reads several files reports the problems of all of them at once: a bad
network no longer hides a bad catalogue, taxonomy, demands or scenario file (found by
fuzzing: each came out only once the one before it was fixed)."""

import shutil
from pathlib import Path

from typer.testing import CliRunner

from symbiosis.cli import app

SMALL = Path(__file__).parents[1] / "data" / "small"
runner = CliRunner()


def invoke(*args):
    return runner.invoke(app, [str(a) for a in args])


def bad_network(tmp_path: Path) -> Path:
    folder = tmp_path / "net"
    shutil.copytree(SMALL, folder)
    flows = folder / "flows.csv"
    lines = flows.read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    cells = lines[1].split(",")
    cells[header.index("quantity")] = "abc"
    flows.write_text("\n".join([lines[0], ",".join(cells), *lines[2:]]) + "\n", encoding="utf-8")
    return folder


def test_opportunities_lists_the_problems_of_every_input(tmp_path):
    catalogue = tmp_path / "catalogue.csv"
    catalogue.write_text("id,source_material\nx,slag\n", encoding="utf-8")
    demands = tmp_path / "demands.csv"
    demands.write_text("firm,material,quantity,unit\nCEM,slag,-3,t\n", encoding="utf-8")
    result = invoke("opportunities", bad_network(tmp_path), "--catalogue", catalogue,
                    "--demands", demands)  # fmt: skip
    assert result.exit_code == 2
    lines = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    files = [line.split(":")[1].strip() for line in lines]
    assert files[0].endswith("flows.csv")  # the network's first
    assert any(f.endswith("catalogue.csv") for f in files)
    assert any(f.endswith("demands.csv") for f in files)
    assert "Traceback" not in result.output


def test_scenario_lists_the_network_s_and_the_files_problems(tmp_path):
    plan = tmp_path / "plan.toml"
    plan.write_text('[[shock]]\nfirm = "SMELT"\nchange = 0.5\n', encoding="utf-8")
    result = invoke("scenario", bad_network(tmp_path), plan)
    assert result.exit_code == 2
    assert "flows.csv" in result.stderr and "plan.toml:3: change" in result.stderr


# A tester's network with flows of mass and energy, none of volume.
MASS_AND_ENERGY = Path(__file__).parents[1] / "data" / "copper"


def problems(result) -> list[str]:
    """The problems a command refused with (exit 2), one line each, and their count said."""
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    lines = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert f"{len(lines)} problems found; nothing was analysed" in result.stderr, result.stderr
    return lines


def test_usage_errors_are_one_line_each_and_all_at_once(tmp_path):
    """docs/errors.md: "Usage mistakes are reported like bad input, one line each", every
    problem at once. shock joined its problems on one line with '; ', and -L 0 hid the
    four others (the options were checked first); a shock of a firm not in firms.csv hid
    its change; loops named volume for a network without it."""
    net = MASS_AND_ENERGY
    found = problems(
        invoke("shock", net, "--firm", "NOPE", "--change", "0.5", "--break-below", "2",
               "-d", "water", "-L", "0")
    )  # fmt: skip
    assert len(found) == 5
    assert any("--max-length must be a whole number >= 1 (got 0)" in line for line in found)
    assert any("shocks: unknown firm 'NOPE'" in line for line in found)
    assert any("change for 'NOPE' must be between -1" in line for line in found)
    assert any("--break-below must be a share in (0, 1]" in line for line in found)
    water = "error: unknown dimension 'water'; this network has flows in: mass, energy"
    assert water in found
    found = problems(invoke("criticality", net, "-d", "water", "-L", "0", "--time-budget", "-1"))
    assert len(found) == 3 and water in found
    found = problems(invoke("loops", net, "-d", "water", "-L", "0", "-n", "-1"))
    assert len(found) == 3 and water in found
    assert "error: --max-loops must be a whole number >= 0 (got -1)" in found


def test_option_problems_come_with_the_files_problems(tmp_path):
    """A bad option and a network that cannot be read: both said, as reconcile does (one
    of them was lost, whichever the command checked first)."""
    missing = tmp_path / "missing"
    net = MASS_AND_ENERGY
    calls = [
        (("loops", missing, "-L", "0"), 2),
        (("criticality", missing, "-L", "0", "-d", "water"), 3),
        (("trends", missing, "-L", "0", "-n", "-1"), 3),
        (("compare", net, missing, "-L", "0"), 2),
        (("balance", missing, "--tolerance", "-1"), 2),
        (("analyze", missing, "-L", "0", "--sections", "nope"), 3),
        (("shock", missing, "--firm", "M", "--change", "0.5", "-L", "0"), 3),
        (("scenario", net, "-L", "0"), 2),
        (("uncertainty", missing, "--dask", "x", "--processes", "2"), 2),
    ]
    for args, count in calls:
        found = problems(invoke(*args))
        assert len(found) == count, (args, found)
        said = " ".join(found)
        assert "does not exist" in said or "no scenario file given" in said, (args, found)


def test_the_library_names_every_bad_argument_in_its_own_problem(tmp_path):
    """One InputError, one Problem per bad argument; its message still holds them all."""
    import pytest

    from symbiosis import load
    from symbiosis.analysis.shocks import shock
    from symbiosis.errors import InputError

    network = load(MASS_AND_ENERGY)
    with pytest.raises(InputError) as raised:
        shock(network, {"NOPE": 0.5}, dimension="water", break_below=2)
    messages = [problem.message for problem in raised.value.problems]
    assert len(messages) == 4 and str(raised.value) == "; ".join(messages)
