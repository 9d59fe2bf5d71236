"""The reuse, balance and structure commands (and their sections in analyze)."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from symbiosis.cli import app

SMALL = Path(__file__).parents[1] / "data" / "small"
CITIES = Path(__file__).parents[1] / "data" / "resource_cities"
TONGLING = Path(__file__).parents[2] / "examples" / "tongling"
runner = CliRunner()


def invoke(*args):
    return runner.invoke(app, [str(a) for a in args])


@pytest.fixture(autouse=True)
def wide_console(monkeypatch):
    """rich sizes tables from COLUMNS (80 when not a terminal): widen so numbers show whole."""
    monkeypatch.setenv("COLUMNS", "250")


@pytest.fixture(scope="module")
def tongling():
    assert (TONGLING / "flows.csv").exists(), "the Tongling example is missing"
    return TONGLING


def test_reuse_text_shows_totals_and_materials(tongling):
    result = invoke("reuse", tongling, "--quiet")
    assert result.exit_code == 0, result.output
    assert "Residual streams (per year)" in result.stdout
    assert "35,945,598" in result.stdout  # mass generated (README checks)
    assert "Residuals by material" in result.stdout and "phosphogypsum" in result.stdout
    assert "28.3 %" in result.stdout  # mass reuse share
    assert result.stderr == ""


def test_reuse_by_firm_and_receiver(tongling):
    result = invoke("reuse", tongling, "--quiet", "--by", "firm", "--top", "3")
    assert result.exit_code == 0, result.output
    assert "Residuals by generating firm: mass (t/yr)" in result.stdout
    assert "3 of 12 rows shown" in result.stdout
    result = invoke("reuse", tongling, "--quiet", "--by", "receiver")
    assert "Where residuals end" in result.stdout and "Circular input rate" in result.stdout


def test_reuse_json_holds_the_chosen_breakdown_only(tongling):
    result = invoke("reuse", tongling, "--quiet", "--format", "json", "--by", "firm")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["dimensions"]["mass"]["reused"] == 10_177_500
    assert "by_generator" in data and "by_material" not in data
    everything = json.loads(invoke("reuse", tongling, "-q", "-f", "json", "--by", "all").stdout)
    assert {"by_category", "by_material", "by_generator", "by_receiver", "circular_inputs"} <= set(
        everything
    )


def test_reuse_csv_export(tongling, tmp_path):
    folder = tmp_path / "tables"
    result = invoke("reuse", tongling, "--quiet", "--csv", folder)
    assert result.exit_code == 0, result.output
    names = {p.name for p in folder.iterdir()}
    assert names == {
        "network.csv",
        "by_category.csv",
        "by_material.csv",
        "by_generator.csv",
        "by_receiver.csv",
        "circular_inputs.csv",
    }
    materials = pd.read_csv(folder / "by_material.csv")
    slag = materials[materials["material_key"] == "copper slag"].iloc[0]
    assert slag["generated"] == 2_090_000 and slag["reuse_share"] == 1.0


def test_reuse_refuses_to_overwrite_an_input(tmp_path):
    for name in ("firms.csv", "flows.csv"):
        (tmp_path / name).write_bytes((SMALL / name).read_bytes())
    (tmp_path / "flows.csv").rename(tmp_path / "network.csv")  # the name of a table
    result = invoke("reuse", tmp_path / "network.csv", "--quiet", "--csv", tmp_path)
    assert result.exit_code == 2
    assert "refusing to overwrite an input file (the network's flows file)" in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["firms.csv", "network.csv"]


def test_reuse_without_a_network_is_a_usage_error():
    result = invoke("reuse")
    assert result.exit_code == 2 and "no network given" in result.stderr


def test_balance_text_and_json(tongling, tmp_path):
    result = invoke("balance", tongling, "--quiet")
    assert result.exit_code == 0, result.output
    assert (
        "Beyond the tolerance (possible data gaps): mass" in result.stdout
        and "CONCH" in result.stdout
    )
    data = json.loads(invoke("balance", tongling, "-q", "-f", "json", "-t", "0.5").stdout)
    assert data["tolerance"] == 0.5
    assert {r["firm"] for r in data["flagged"]} >= {"CONCH", "DGS_BF"}
    assert "firms" not in data
    data = json.loads(invoke("balance", tongling, "-q", "-f", "json", "--all").stdout)
    assert any(r["status"] == "not checked" for r in data["firms"])
    result = invoke("balance", tongling, "-q", "--csv", tmp_path / "balance.csv")
    assert len(pd.read_csv(tmp_path / "balance.csv")) == len(data["firms"])


def test_balance_bad_tolerance_exits_2(tongling):
    result = invoke("balance", tongling, "--quiet", "--tolerance", "-1")
    assert result.exit_code == 2 and "tolerance must be a number >= 0" in result.stderr


def test_structure_text_and_json(tongling, tmp_path):
    result = invoke("structure", tongling, "--quiet", "--csv", tmp_path)
    assert result.exit_code == 0, result.output
    assert "extraction_dependence" in result.stdout
    assert "Longest industrial chain (extraction to market): 4 stage(s)" in result.stdout
    assert {p.name for p in tmp_path.iterdir()} == {
        "dimensions.csv",
        "sectors.csv",
        "stages.csv",
        "origins.csv",
    }
    data = json.loads(invoke("structure", tongling, "-q", "-f", "json").stdout)
    assert data["chain_depth_longest"] == 4
    assert 0 < data["dimensions"]["mass"]["extraction_dependence"] < 1


def test_structure_counts_stages_on_the_material_chain(tmp_path):
    """Shuozhou (tests/data/resource_cities): the power plants sell electricity to the
    mine and mine water comes back through treatment; counted on every flow, mine,
    preparation and both power plants were one stage and the longest chain was 2."""
    result = invoke("structure", CITIES / "shuozhou", "--quiet", "--csv", tmp_path)
    assert result.exit_code == 0, result.output
    assert "Longest industrial chain (extraction to market): 4 stage(s)" in result.stdout
    assert "Stages counted on: product flows in mass between actors" in result.stdout
    stages = pd.read_csv(tmp_path / "stages.csv").set_index("firm")
    assert stages.loc[["PSMINE", "PREP", "SHENTOU", "BRICK"], "stage"].tolist() == [1, 2, 3, 4]
    assert stages.loc["GANGPWR", "chain"] == "residue"  # coal slime and gangue only
    data = json.loads(invoke("structure", CITIES / "shuozhou", "-q", "-f", "json").stdout)
    assert data["chain_rule"] == "material" and data["chain_depth_longest"] == 4
    assert data["chain_flows"].startswith("product flows in mass")


def test_analyze_has_the_three_sections(tongling):
    result = invoke("analyze", tongling, "--quiet", "--format", "json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    mass = report["reuse"]["dimensions"]["mass"]
    for key in (
        "generated",
        "reused",
        "sold",
        "disposed",
        "emitted",
        "reuse_share",
        "utilization_rate",
        "circular_input_rate",
    ):
        assert key in mass
    assert report["balance"]["tolerance"] == 0.05
    assert report["structure"]["chain_depth_longest"] == 4
    text = invoke("analyze", tongling, "--quiet").stdout
    assert "Residual streams (per year)" in text and "Firm balances" in text
    assert "Resource-city indicators" in text


def test_commands_on_the_small_network():
    for command in ("reuse", "balance", "structure"):
        result = invoke(command, SMALL, "--quiet", "--format", "json")
        assert result.exit_code == 0, (command, result.output)
        json.loads(result.stdout)


def test_csv_outputs_neutralise_formula_names(tmp_path):
    """Names are untrusted: a firm named like a spreadsheet formula is written as text in
    every CSV the commands write (issue 18, item 4)."""
    folder = tmp_path / "net"
    folder.mkdir()
    (folder / "firms.csv").write_text(
        "id,name,role\nA,\"=cmd|' /C calc'!A0\",firm\nB,@SUM(1),firm\nLF,+landfill,landfill\n",
        encoding="utf-8",
    )
    (folder / "flows.csv").write_text(
        "source,target,material,quantity,unit,category\n"
        "A,B,-slag,5,t,by-product\nB,A,=acid,2,t,by-product\nA,LF,-slag,3,t,waste\n",
        encoding="utf-8",
    )
    assert invoke("reuse", folder, "--csv", tmp_path / "reuse", "-q").exit_code == 0
    assert invoke("balance", folder, "--csv", tmp_path / "balance.csv", "-q").exit_code == 0
    written = [*(tmp_path / "reuse").glob("*.csv"), tmp_path / "balance.csv"]
    cells = [
        cell
        for path in written
        for row in pd.read_csv(path, dtype=str, keep_default_na=False).itertuples(index=False)
        for cell in row
    ]
    assert "'=cmd|' /C calc'!A0" in cells and "'@SUM(1)" in cells and "'-slag" in cells
    assert not [c for c in cells if c[:1] in ("=", "+", "@") or c.startswith("-s")]


PARKS = Path(__file__).parents[2] / "benchmarks" / "parks"


def _sizes_dropped(tmp_path, park="kalundborg", keep=None):
    """A copy of a published park with every quantity blank but the rows ``keep``."""
    flows = pd.read_csv(PARKS / park / "flows.csv", dtype=str, keep_default_na=False)
    sized = flows["quantity"].where(flows["quantity"] != "", "5")
    flows["quantity"] = [q if keep is not None and i in keep else "" for i, q in enumerate(sized)]
    (tmp_path / "flows.csv").write_text(flows.to_csv(index=False))
    (tmp_path / "firms.csv").write_text((PARKS / park / "firms.csv").read_text())
    return tmp_path


def test_no_known_size_is_said_not_tabled_as_zeros(tmp_path):
    """A park mapped without tonnages: the reuse command, and analyze's headline and
    summary, say that nothing is summed instead of printing "0 t/yr" everywhere."""
    folder = _sizes_dropped(tmp_path)
    result = invoke("reuse", folder, "--quiet")
    assert result.exit_code == 0, result.output
    assert "No residual stream has a known size (18 of unknown size): nothing is summed" in (
        result.stdout
    )
    assert "Residual streams (per year)" not in result.stdout
    assert "reuse share by count 88.9 %" in result.stdout
    result = invoke("analyze", folder, "--quiet", "--sections", "summary,reuse,balance")
    assert result.exit_code == 0, result.output
    assert "No flow has a known quantity" in result.stdout
    assert "No mass, energy or volume flow has a known quantity: no totals." in result.stdout
    assert "0 t/yr" not in result.stdout and "Totals per dimension" not in result.stdout
    assert "Known flows, all" not in result.stdout
    result = invoke("balance", folder, "--quiet")
    assert "No firm could be checked: no flow of known size touches an actor" in result.stdout
    assert "Every checked firm balances" not in result.stdout
    result = invoke("loops", folder, "--quiet")
    assert (
        "Loops: 1 found (at most 6 actors; shortest first, as no loop that closes within one "
        "dimension has all its flows sized)"
    ) in " ".join(result.stdout.split())
    result = invoke("analyze", folder, "--quiet", "--sections", "cycling")
    assert "No flow has a known size: no cycling metric per dimension" in result.stdout
    assert "Cycling per dimension" not in result.stdout and "0 t/yr" not in result.stdout
    assert "Cycling per dimension" in invoke("analyze", TONGLING, "-q", "-s", "cycling").stdout
    result = invoke("structure", folder, "--quiet")
    assert result.exit_code == 0, result.output
    assert "No flow has a known size: the indicators per dimension" in result.stdout
    assert "Resource-city indicators" not in result.stdout
    assert "Resource-city indicators" in invoke("structure", TONGLING, "--quiet").stdout


def test_a_dimension_without_known_sizes_shows_unknown_beside_one_with(tmp_path):
    """One flow of known mass and energy flows of unknown size only (as in the park):
    the headline's energy column says unknown, the mass column has numbers."""
    folder = _sizes_dropped(tmp_path, keep={4})
    flows = pd.read_csv(folder / "flows.csv", dtype=str, keep_default_na=False)
    assert (flows["unit"] == "GJ").any() and flows.loc[4, "unit"] == "t"
    assert (flows.loc[flows["unit"] == "GJ", "quantity"] == "").all()
    result = invoke("analyze", folder, "--quiet", "--sections", "summary,reuse")
    assert result.exit_code == 0, result.output
    known = next(line for line in result.stdout.splitlines() if "Known flows, all" in line)
    assert "t/yr" in known and known.rstrip(" │").endswith("unknown")
    assert "No energy or volume flow has a known quantity: no totals." in result.stdout
    assert "Totals per dimension" in result.stdout
    residual = result.stdout.split("Residual streams (per year)")[1].split("unknown: no")[0]
    generated = next(line for line in residual.splitlines() if line.startswith("generated"))
    assert [c.strip() for c in generated.split("│")][2:] == ["unknown", "unknown"]


def test_reuse_of_a_dimension_without_a_known_size_is_unknown_not_zero(tmp_path):
    """The energy flows have no size, one mass flow has: reuse printed an energy column
    of "generated 0 ... streams 0"; it says unknown, and why."""
    folder = _sizes_dropped(tmp_path, keep={4})
    result = invoke("reuse", folder, "--quiet")
    assert result.exit_code == 0, result.output
    rows = [[c.strip() for c in line.split("│")] for line in result.stdout.splitlines()]
    table = {r[0]: r[1:] for r in rows if len(r) == 4}
    assert table["generated"][1:] == ["unknown", "unknown"] and table["generated"][0] != "unknown"
    assert table["streams"] == ["1", "unknown", "unknown"]
    assert "unknown: no energy or volume flow of known size" in result.stdout
    assert "│ unknown" not in invoke("reuse", TONGLING, "--quiet").stdout


def test_structure_and_balance_of_a_dimension_without_a_known_size_are_unknown():
    """SMALL's one volume flow has no size: structure printed a volume column of
    "total_system_throughflow 0 ... sectors 0", balance of "actors 0 ... inputs 0"."""
    result = invoke("structure", SMALL, "--quiet")
    assert result.exit_code == 0, result.output
    rows = [[c.strip() for c in line.split("│")] for line in result.stdout.splitlines()]
    table = {r[0]: r[1:] for r in rows if len(r) == 4}
    assert table["total_system_throughflow"][2] == "unknown" and table["sectors"][2] == "unknown"
    assert "unknown" not in table["total_system_throughflow"][:2]
    assert "unknown: no volume flow of known size" in result.stdout
    result = invoke("balance", SMALL, "--quiet")
    rows = [[c.strip() for c in line.split("│")] for line in result.stdout.splitlines()]
    table = {r[0]: r[1:] for r in rows if len(r) == 4}
    assert table["actors"][2] == "unknown" and table["inputs"][2] == "unknown"
    assert "unknown" not in table["inputs"][:2]
    assert "│ unknown" not in invoke("structure", TONGLING, "--quiet").stdout
