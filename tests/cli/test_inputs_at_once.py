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
