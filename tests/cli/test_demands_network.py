"""``opportunities --demands``: the rows checked against the network with the file's own
problems, all at once, and their warnings printed once (io/demands.py check_demands; found
by fuzzing: an unknown firm came out only once the file's other problems were fixed, and
rows that could never apply went without a word)."""

from __future__ import annotations

import shutil
import warnings
from pathlib import Path

import pytest
from typer.testing import CliRunner

import symbiosis
from symbiosis.analysis.opportunities import find_opportunities
from symbiosis.cli import app
from symbiosis.errors import SymbiosisWarning
from symbiosis.io.demands import read_demands

SMALL = Path(__file__).parents[1] / "data" / "small"
HEADER = "firm,material,material_code,quantity,unit,notes\n"
runner = CliRunner()


@pytest.fixture
def folder(tmp_path):
    target = tmp_path / "net"
    shutil.copytree(SMALL, target)
    return target


def run(folder, rows, *more):
    path = folder.parent / "demands.csv"
    path.write_text(HEADER + rows, encoding="utf-8")
    result = runner.invoke(app, ["opportunities", str(folder), "--demands", str(path), *more])
    assert "Traceback" not in result.output
    return path, result


def errors(result):
    return [line for line in result.stderr.splitlines() if line.startswith("error:")]


def test_the_file_s_problems_and_the_network_s_at_once(folder):
    path, result = run(folder, "NOPE,slag,,300,kt,\nCEM,slag,,abc,kt,\n")
    assert result.exit_code == 2
    assert errors(result) == [
        f"error: {path}:2: firm: 'NOPE' is not in the network; use an id of firms.csv (or "
        "of flows.csv)",
        f"error: {path}:3: quantity: 'abc' is not a number; give the most the firm could "
        "take per year in all (what it takes now included), e.g. 300",
    ]


def test_unknown_firms_get_a_did_you_mean_and_boundary_nodes_are_refused(folder):
    path, result = run(folder, "CEMM,slag,,300,kt,\nMKT,slag,,5,kt,\n")
    assert result.exit_code == 2
    assert errors(result)[:2] == [
        f"error: {path}:2: firm: 'CEMM' is not in the network; did you mean 'CEM'?",
        f"error: {path}:3: firm: 'MKT' is a boundary node (market), not a firm; a demand is "
        "what a firm of the network could take: name a firm, not a market, disposal or "
        "environment node",
    ]


def test_a_material_in_the_wrong_dimension_is_refused(folder):
    path, result = run(folder, "CEM,steam,,300,t,\n")
    assert result.exit_code == 2
    assert errors(result) == [
        f"error: {path}:2: unit: the network's flows of 'steam' are energy (GJ), but this "
        "row's unit is one of mass; give the quantity in a unit of energy (e.g. GJ), as its "
        "flows are"
    ]


def test_a_zero_width_space_is_removed_with_one_warning(folder):
    path, result = run(folder, "C\u200bEM,steam,,300,GJ,\n")
    assert result.exit_code == 0, result.output
    assert result.stderr.count("held zero-width characters") == 1
    assert f"warning: {path}: firm: 1 id(s) held zero-width characters" in result.stderr
    assert "warning" not in run(folder, "C\u200bEM,steam,,300,GJ,\n", "-q")[1].stderr


def test_an_unused_material_is_one_warning(folder):
    path, result = run(folder, "CEM,unobtainium,,300,kt,\n", "-f", "json")
    assert result.exit_code == 0 and result.stdout
    warned = [line for line in result.stderr.splitlines() if "unobtainium" in line]
    assert warned == [
        f"warning: {path}: material: 1 row(s) name a material that no flow of the network "
        "carries (by name, through the taxonomy or by material code): 'unobtainium' (row "
        "2); they set no capacity"
    ]


def test_python_gets_the_warnings_of_a_file_once(folder):
    network = symbiosis.load(folder)
    path = folder.parent / "demands.csv"
    path.write_text(HEADER + "CEM,unobtainium,,300,kt,\n", encoding="utf-8")
    with pytest.warns(SymbiosisWarning, match="unobtainium") as caught:
        find_opportunities(network, demands=path, top=1)
    assert len([w for w in caught if "unobtainium" in str(w.message)]) == 1
    with warnings.catch_warnings():
        warnings.simplefilter("error", SymbiosisWarning)  # rows: checked, not warned again
        find_opportunities(network, demands=read_demands(path), top=1)
