"""The reconcile command: text and JSON, the reconciled network folder, bad input (exit 2)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

import symbiosis
from symbiosis import load
from symbiosis.analysis.reconcile import DEFAULT_ALPHA, DEFAULT_LOSSES, DEFAULT_ROLES
from symbiosis.cli import app
from symbiosis.cli.reconcile import ALPHA, BALANCE_ROLES, LOSSES

TONGLING = Path(__file__).parents[2] / "examples" / "tongling"
runner = CliRunner()

FIRMS = "id,role\nMA,market\nP,firm\nQ,firm\nMB,market\n"
FLOWS = (
    "source,target,material,quantity,unit,category,uncertainty\n"
    "MA,P,ore,100,kt,product,0.1\n"
    "P,Q,metal,,t,product,\n"
    "Q,MB,metal,110000,t,product,0.1\n"
)


def invoke(*args):
    result = runner.invoke(app, [str(a) for a in args])
    assert "Traceback" not in result.output
    return result


@pytest.fixture(autouse=True)
def wide_console(monkeypatch):
    monkeypatch.setenv("COLUMNS", "250")


@pytest.fixture
def chain(tmp_path) -> Path:
    folder = tmp_path / "chain"
    folder.mkdir()
    (folder / "firms.csv").write_text(FIRMS, encoding="utf-8")
    (folder / "flows.csv").write_text(FLOWS, encoding="utf-8")
    return folder


def test_defaults_repeated_in_the_cli_are_the_library_s():
    assert tuple(BALANCE_ROLES.split(",")) == DEFAULT_ROLES and ALPHA == DEFAULT_ALPHA
    assert tuple(LOSSES.split(",")) == DEFAULT_LOSSES


def test_text_shows_the_tests_and_the_flows(chain):
    result = invoke("reconcile", chain, "-q")
    assert result.exit_code == 0, result.output
    assert "Global test (chi-square, alpha 0.05)" in result.stdout
    assert "estimated" in result.stdout and "adjusted" in result.stdout
    assert "No adjustment is too large to be noise" in result.stdout


def test_json_and_the_reconciled_folder(chain, tmp_path):
    out = tmp_path / "out"
    result = invoke("reconcile", chain, "-q", "-f", "json", "--out", out)
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["tests"][0]["dof"] == 1 and data["flows_by_status"]["estimated"] == 1
    assert (out / "firms.csv").read_text(encoding="utf-8") == FIRMS  # copied byte for byte
    flows = pd.read_csv(out / "flows.csv")
    # 100 kt (sd 10) and 110 kt (sd 11): the gap of 10 kt splits 100 : 121
    closed = 100 + 10 * 100 / 221
    assert flows["quantity"].tolist() == pytest.approx([closed, closed * 1000, closed * 1000])
    assert flows["reconciliation"].tolist() == ["adjusted", "estimated", "adjusted"]
    assert flows["quantity_measured"].tolist()[0] == 100
    # the folder loads again, balanced, with the reduced uncertainties
    again = symbiosis.load(out)
    assert again.flows["quantity"].notna().all()
    assert "wrote" not in result.stderr  # --quiet


def test_tongling_flags_gross_errors():
    result = invoke("reconcile", TONGLING, "-q", "-f", "json", "--uncertainty", "0.1")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    mass = next(t for t in data["tests"] if t["dimension"] == "mass")
    assert mass["gross_error"] and mass["dof"] == 14  # 13 actors, and WHX since its board is in t
    flagged = {(f["source"], f["target"]) for f in data["flagged"]}
    assert ("CONCH", "MKT") in flagged  # clinker and cement: a missing input at the kiln
    assert data["rows"]["flagged"] == len(data["flagged"])


def test_the_flagged_flows_show_their_row(tmp_path):
    """Two slag flows from S to C (rows 3 and 4) were two identical-looking lines of the
    text table; the row of flows.csv, as in the JSON, tells them apart."""
    folder = tmp_path / "twice"
    folder.mkdir()
    (folder / "firms.csv").write_text("id,role\nM,market\nS,firm\nC,firm\nK,market\n")
    (folder / "flows.csv").write_text(
        "source,target,material,quantity,unit,category\n"
        "M,S,ore,100,t,product\nS,C,slag,30,t,by-product\nS,C,slag,25,t,by-product\n"
        "S,K,copper,60,t,product\nC,K,cement,30,t,product\n"
    )
    result = invoke("reconcile", folder, "-u", "0.05", "-q")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    header = next(i for i, line in enumerate(lines) if line.startswith("row ┃ source"))
    slag = [line.split("│")[0].strip() for line in lines[header + 2 :] if "slag" in line]
    data = json.loads(invoke("reconcile", folder, "-u", "0.05", "-q", "-f", "json").stdout)
    assert sorted(slag) == sorted(str(f["row"]) for f in data["flagged"] if f["material"] == "slag")
    assert sorted(slag) == ["3", "4"]


def test_tolerance_option_is_passed_on(chain):
    exact = json.loads(invoke("reconcile", chain, "-q", "-f", "json").stdout)
    loose = json.loads(invoke("reconcile", chain, "-q", "-f", "json", "-t", "0.2").stdout)
    assert loose["tolerance"] == 0.2
    assert all(abs(f["adjustment"]) == 0 for f in loose["changed"] if f["status"] == "adjusted")
    assert any(abs(f["adjustment"]) > 0 for f in exact["changed"])


def test_exact_flows_that_do_not_balance_beside_uncertain_ones_is_exit_2(chain):
    """Some flows uncertain, but none of P's and Q's: their balances cannot close."""
    flows = FLOWS.replace(",0.1\n", ",\n") + "MA,R,ore,5,t,product,0.1\nR,MB,ore,4,t,product,\n"
    (chain / "flows.csv").write_text(flows, encoding="utf-8")
    (chain / "firms.csv").write_text(FIRMS + "R,firm\n", encoding="utf-8")
    result = invoke("reconcile", chain, "-q")
    assert result.exit_code == 2
    assert "cannot close" in result.stderr and "--uncertainty" in result.stderr
    # the file with its folder (a bare flows.csv named none, where compare reads two)
    where = str((chain / "flows.csv").resolve())
    assert result.stderr.startswith(f"error: {where}: the balances of P, Q cannot close")


def test_no_flow_with_a_spread_is_one_problem_that_says_how_to_give_one(tmp_path):
    """A tester's TEDA park (valid, sized, no uncertainty column, no --uncertainty) got
    one "cannot close" error per firm, 8 in all: the missing spread is one problem."""
    folder = tmp_path / "net"
    folder.mkdir()
    (folder / "firms.csv").write_text("id,role\nM,market\nA,firm\nB,firm\nC,firm\n")
    (folder / "flows.csv").write_text(
        "source,target,material,quantity,unit,category\n"
        + "".join(f"M,{f},ore,100,t,product\n{f},M,metal,90,t,product\n" for f in "ABC")
    )
    result = invoke("reconcile", folder, "-q", "--out", tmp_path / "out")
    assert result.exit_code == 2
    where = str((folder / "flows.csv").resolve())
    assert result.stderr.splitlines() == [
        f"error: {where}: no flow has an uncertainty, so reconciliation can adjust none, and "
        "the balances of A, B, C do not close as recorded; give the flows a spread: "
        "--uncertainty 0.1 (a standard deviation of 10 % for each flow whose row gives none), "
        "or an uncertainty column, a range (quantity_low, quantity_high) or a quality score "
        "(docs/reconciliation.md)"
    ]
    assert not (tmp_path / "out").exists()
    assert invoke("reconcile", folder, "-q", "-u", "0.1").exit_code == 0


def test_a_network_in_the_working_folder_is_named_as_given(chain, monkeypatch):
    """As the reader's warnings name it: relative to the working folder."""
    (chain / "flows.csv").write_text(FLOWS.replace(",0.1\n", ",\n"), encoding="utf-8")
    monkeypatch.chdir(chain.parent)
    result = invoke("reconcile", chain.name, "-q")
    assert result.exit_code == 2
    assert result.stderr.startswith(f"error: {chain.name}/flows.csv: no flow has an uncertainty")


def test_negative_uncertainty_is_exit_2_with_the_row(chain):
    result = invoke("reconcile", chain, "-q", "--uncertainty", "-0.1")
    assert result.exit_code == 2 and "uncertainty" in result.stderr


@pytest.mark.parametrize(
    ("option", "value", "text"),
    [("--balance-roles", "market", "boundary role"), ("--alpha", "2", "--alpha")],
)
def test_bad_options_are_exit_2(chain, option, value, text):
    result = invoke("reconcile", chain, "-q", option, value)
    assert result.exit_code == 2 and text in result.stderr


def test_out_never_writes_into_the_input_folder_files(chain):
    before = {p.name: p.read_bytes() for p in chain.iterdir()}
    result = invoke("reconcile", chain / "flows.csv", "-q", "--out", chain / "flows.csv")
    assert result.exit_code in (1, 2)
    assert {p.name: p.read_bytes() for p in chain.iterdir()} == before
    result = invoke("reconcile", chain, "-q", "--out", chain)  # firms.csv, flows.csv are inputs
    assert result.exit_code == 2 and "refusing" in result.stderr
    assert {p.name: p.read_bytes() for p in chain.iterdir()} == before
    assert not any(name.endswith(".tmp") for name in os.listdir(chain))


def test_out_on_the_network_s_folder_names_every_file_it_would_overwrite(chain, monkeypatch):
    """Found by a tester: --out on the network's own folder was refused naming firms.csv
    alone, after the reconciliation had run. Now one problem names both files, before
    any work."""
    import symbiosis.io

    def load(*args, **kwargs):
        raise AssertionError("the network was loaded before the outputs were checked")

    monkeypatch.setattr(symbiosis.io, "load", load)
    before = {p.name: p.read_bytes() for p in chain.iterdir()}
    result = invoke("reconcile", chain, "-q", "--out", chain)
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        f"error: {chain}: refusing to write into a folder of input files: --out would "
        f"overwrite {chain / 'firms.csv'} (the network's firms file) and "
        f"{chain / 'flows.csv'} (the network's flows file); give --out another folder"
    )
    other = chain.parent / "firms.csv"  # --firms elsewhere: flows.csv alone is an input there
    other.write_bytes(before["firms.csv"])
    result = invoke("reconcile", chain / "flows.csv", "--firms", other, "-q", "--out", chain)
    assert result.exit_code == 2
    assert f"would overwrite {chain / 'flows.csv'} (the network's flows file);" in result.stderr
    assert {p.name: p.read_bytes() for p in chain.iterdir()} == before


def test_bad_options_and_a_bad_file_are_reported_together(chain):
    (chain / "flows.csv").write_text(FLOWS.replace("100,kt,product,0.1", "100,kt,product,-1"))
    result = invoke("reconcile", chain, "--balance-roles", "plant,landfill", "-u", "-2")
    assert result.exit_code == 2
    assert "'landfill' is a boundary role (disposal)" in result.stderr
    assert "--uncertainty must be a number >= 0" in result.stderr
    assert "flows.csv:2: uncertainty" in result.stderr
    assert "3 problems found" in result.stderr


def test_a_network_where_nothing_balances_says_so(tmp_path):
    flows = tmp_path / "flows.csv"
    flows.write_text("source,target,material,quantity,unit,category\nMA,MB,ore,100,t,product\n")
    result = invoke("reconcile", flows, "-q", "-u", "0.1")
    assert result.exit_code == 0, result.output
    assert "No actor balances" in result.stdout and "Global test" not in result.stdout


def test_nonnegative_writes_a_network_that_loads(tmp_path):
    # Tongling's exact reconciliation drives Conch Cement's CO2 negative (a missing input)
    free = json.loads(invoke("reconcile", TONGLING, "-q", "-f", "json").stdout)
    assert free["negative_reconciled"] >= 1
    out = tmp_path / "nonnegative"
    result = invoke("reconcile", TONGLING, "-q", "-f", "json", "--nonnegative", "--out", out)
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["negative_reconciled"] == 0 and data["nonnegative"] is True
    assert symbiosis.load(out).flows["quantity"].min() >= 0
    both = invoke("reconcile", TONGLING, "-q", "-f", "json", "--nonnegative", "--tolerance", "0.05")
    assert both.exit_code == 0, both.output
    within = json.loads(both.stdout)
    assert within["negative_reconciled"] == 0 and within["tolerance"] == 0.05


def test_the_network_written_reads_back_with_its_ids(tmp_path):
    """Ids and materials that start like a formula (@P, -Q, +metal) come back as they were
    read: the files were written with OWASP's apostrophe, and the reconciled network then
    did not load (unknown firm "'@P"; did you mean '@P'?)."""
    folder = tmp_path / "odd"
    folder.mkdir()
    (folder / "firms.csv").write_text(FIRMS.replace("P,", "@P,").replace("Q,", "-Q,"))
    flows = FLOWS.replace("MA,P,", "MA,@P,").replace("P,Q,metal", "@P,-Q,+metal")
    (folder / "flows.csv").write_text(flows.replace("Q,MB,", "-Q,MB,"))
    out = tmp_path / "reconciled"
    assert invoke("reconcile", folder, "-q", "--out", out).exit_code == 0
    network = load(out)
    assert set(network.flows["source"]) == {"MA", "@P", "-Q"}
    assert "+metal" in set(network.flows["material"])


def test_tiny_flows_reconcile_and_sds_too_small_beside_large_flows_are_exit_1(chain):
    """tester58 item 4: every flow at 1e-200 t reconciles (the variances underflowed: exit
    1, 'singular'); a flow of 1e-200 t beside flows of 100 t is an analysis error (exit
    1) that names the row and says what to do, not a bare 'singular'."""
    tiny = FLOWS.replace("100,kt", "100e-200,kt").replace("110000,t", "110000e-200,t")
    (chain / "flows.csv").write_text(tiny, encoding="utf-8")
    result = invoke("reconcile", chain, "-q", "-f", "json")
    assert result.exit_code == 0, result.output
    mixed = FLOWS.replace("110000,t", "110000e-200,t")
    (chain / "flows.csv").write_text(mixed, encoding="utf-8")
    result = invoke("reconcile", chain, "-q")
    assert result.exit_code == 1
    assert "the standard deviation of row 4 is below 1.5e-154 times" in result.stderr
    assert "give it uncertainty 0 (and no range)" in result.stderr


@pytest.fixture
def power(tmp_path) -> Path:
    """A power plant (100 GJ of fuel in, 35 GJ of electricity out) and a furnace whose gas
    (14 GJ) comes from coke recorded in tonnes: more energy out than in."""
    folder = tmp_path / "power"
    folder.mkdir()
    (folder / "firms.csv").write_text("id,role\nMA,market\nPWR,utility\nBF,firm\nMB,market\n")
    (folder / "flows.csv").write_text(
        "source,target,material,quantity,unit,category\n"
        "MA,PWR,fuel,100,GJ,product\nPWR,MB,electricity,35,GJ,product\n"
        "MA,BF,electricity,1,MWh,product\nBF,MB,blast furnace gas,14,GJ,by-product\n"
        "MA,BF,coke,1,t,product\nBF,MB,pig iron,1,t,product\n"
    )
    return folder


def test_energy_losses_are_listed_not_adjusted(power, tmp_path):
    """tester-cities item 18: a power plant's fuel was cut to its electricity out (the
    loss of conversion is never recorded), and nothing said which actors cannot balance in
    recorded energy."""
    out = tmp_path / "out"
    result = invoke("reconcile", power, "-u", "0.1", "--out", out)
    assert result.exit_code == 0, result.output
    assert "Not balanced in energy (--losses)" in result.stdout
    plant = next(line for line in result.stdout.splitlines() if line.startswith("energy    │ PWR"))
    assert [cell.strip() for cell in plant.split("│")] == [
        "energy", "PWR", "GJ/yr", "100", "35", "65", "65.0 %", "0", "-6.135", "1", "no"
    ]  # fmt: skip
    assert result.stderr.splitlines()[0] == (
        "warning: BF sends out more energy than it receives (14 GJ/yr out, 3.6 GJ/yr in, "
        "z 7.19, one-sided p 3.13e-13): impossible as recorded; check its flows, or an input "
        "recorded in another dimension (a fuel in tonnes)"
    )
    written = pd.read_csv(out / "flows.csv")
    assert written["quantity"][:4].tolist() == [100, 35, 1, 14]
    assert written["reconciliation"][:4].tolist() == ["not redundant"] * 4
    data = json.loads(invoke("reconcile", power, "-u", "0.1", "-q", "-f", "json").stdout)
    assert data["losses"] == ["energy"]
    assert [(a["firm"], a["loss"], a["impossible"]) for a in data["loss_actors"]] == [
        ("BF", pytest.approx(-10.4), True),
        ("PWR", 65.0, False),
    ]
    quiet = invoke("reconcile", power, "-u", "0.1", "-q")
    assert quiet.stderr == ""


def test_losses_none_balances_energy_as_before(power):
    result = invoke("reconcile", power, "-u", "0.1", "-q", "-f", "json", "--losses", "none")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["losses"] == [] and data["loss_actors"] == []
    energy = next(t for t in data["tests"] if t["dimension"] == "energy")
    assert energy["balancing_actors"] == 2 and energy["gross_error"]
    fuel = next(f for f in data["changed"] if f["material"] == "fuel")
    assert fuel["reconciled"] == pytest.approx(35 + 65 * 12.25 / 112.25)


def test_bad_losses_are_exit_2_with_the_other_problems(power):
    result = invoke("reconcile", power, "-q", "--losses", "heat,energy", "--alpha", "2")
    assert result.exit_code == 2
    assert result.stderr.splitlines()[:2] == [
        "error: --alpha must be a number between 0 and 1 (got 2.0)",
        "error: --losses: unknown dimension 'heat'; use mass, energy, volume (comma-separated), "
        "or none",
    ]
    both = invoke("reconcile", power, "-q", "--losses", "none,mass")
    assert both.exit_code == 2
    assert "error: --losses: 'none' cannot go with dimensions (got none, mass)" in both.stderr


def test_a_network_that_balances_only_in_energy_says_where_to_look(tmp_path):
    flows = tmp_path / "flows.csv"
    flows.write_text(
        "source,target,material,quantity,unit,category\n"
        "market,PWR,gas,100,GJ,product\nPWR,market,electricity,35,GJ,product\n"
    )
    result = invoke("reconcile", flows, "-q", "-u", "0.1")
    assert result.exit_code == 0, result.output
    text = " ".join(result.stdout.split())  # as wrapped at any width
    said = "dimension other than energy): nothing to reconcile; see --balance-roles and --losses."
    assert said in text and "Not balanced in energy" in text
