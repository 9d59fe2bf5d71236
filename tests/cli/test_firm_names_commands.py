"""Firm ids that are codes were still shown alone in several text outputs after the
opportunities' and loops' tables named them (tests/cli/test_firm_names_tables.py): the
loops an opportunity closes, the optimal plan, the loops, actors and exchanges of a
shock, the firms an actor cuts off (criticality), the loops a scenario opens and closes,
compare's loops, flows and firms, the balance, the trends' links and loops, the longest
chain, the uncertainty's drivers and opportunities, the reconciled flows. A register's
F0001 read nothing; a firm whose id is a code is now named there too (names as text,
never markup), a readable id stays alone, and JSON keeps the ids."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from symbiosis.cli import app
from symbiosis.cli.app import stdout

JINGDA = "[bold]Jingda[/bold] <script>x</script> Wire"  # markup and a tag: text
SHOWN = "[bold]Jingda[/bold] <script>x…"  # cut to 30 cells


@pytest.fixture(autouse=True)
def wide(monkeypatch):
    """Tables 250 columns wide: a cell on one line."""
    monkeypatch.setattr(stdout, "width", 250)


def _run(*args: str) -> str:
    result = CliRunner().invoke(app, [*args, "-q"])
    assert result.exit_code == 0, result.output
    return result.stdout


def _network(folder, firms: str, flows: str, header: str = "") -> str:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "firms.csv").write_text("id,name,role\n" + firms, encoding="utf-8")
    (folder / "flows.csv").write_text(
        f"source,target,material,quantity,unit,category{header}\n" + flows, encoding="utf-8"
    )
    return str(folder)


FIRMS = (
    f"F0001,{JINGDA},firm\nF0002,Anhui Recycling Co,firm\nF0003,Tongling Cement,firm\n"
    "F0004,Conch Logistics,firm\nF0005,Copper Smelter,firm\n"
    "LF0001,安徽省危险废物填埋场,landfill\nMKT,Market,market\n"
)
FLOWS = (
    "F0001,LF0001,slag,94,t,waste\n"  # F0003 takes slag: its redirect closes a loop
    "F0002,F0003,slag,10,t,waste\n"  # through F0004, which no opportunity names
    "F0003,F0004,cement,50,t,product\nF0004,F0001,cement,20,t,product\n"
    "F0004,MKT,cement,30,t,product\nF0005,F0001,copper,40,t,product\n"
    "F0001,F0005,scrap copper,5,t,by-product\nF0001,MKT,wire,35,t,product\n"
    "F0005,MKT,copper,20,t,product\n"
)


@pytest.fixture
def register(tmp_path):
    """A register's network: F0001-style ids with names, a loop F0001 -> F0005 -> F0001."""
    return _network(tmp_path / "register", FIRMS, FLOWS)


def test_the_loop_an_opportunity_closes_names_its_firms(register):
    text = _run("opportunities", register)
    line = next(line for line in text.splitlines() if "closes the loop" in line)
    # Conch Logistics (F0004) is in no opportunity: its name comes from the network
    assert line.strip() == (f"closes the loop {SHOWN} -> Tongling Cement -> Conch Logistics "
                            f"-> {SHOWN}")  # fmt: skip


def test_the_report_names_the_firms_of_a_closed_loop(register, tmp_path):
    """analyze prints the section with the network's names, streamed or from the report
    (tables asked for)."""
    for extra in ([], ["--xlsx", str(tmp_path / "report.xlsx")]):
        text = _run("analyze", register, "--sections", "opportunities", *extra)
        assert f"closes the loop {SHOWN} -> Tongling Cement -> Conch Logistics" in text


def test_the_plan_names_its_firms(register):
    text = _run("opportunities", register, "--plan")
    table = text.split("Planned exchanges", 1)[1]
    assert f"slag {SHOWN} (F0001) -> 安徽省危险废物填埋场 (LF0001)" in table
    assert "Tongling Cement (F0003)" in table and "F0001 ->" not in table


def test_the_json_keeps_the_ids(register):
    data = json.loads(_run("opportunities", register, "--plan", "-f", "json"))
    (exchange,) = data["plan"]["exchanges"]
    assert (exchange["source"], exchange["target"]) == ("F0001", "F0003")
    loops = [o["impact"]["loops"] for o in data["opportunities"]]
    assert ["F0001", "F0003", "F0004"] in [loop for found in loops for loop in found]
    shocked = json.loads(_run("shock", register, "--firm", "F0005", "--change", "-1", "-f", "json"))
    assert shocked["broken_loops"][0]["firms"] == ["F0001", "F0005"]


def test_a_shock_names_its_firms(register):
    text = _run("shock", register, "--firm", "F0005", "--change", "-1")
    assert text.startswith("Supply shock: Copper Smelter (F0005) -100 %")
    hit = text.split("Actors hit", 1)[1].split("By-product exchanges", 1)[0]
    assert f"{SHOWN} (F0001) │" in hit and "Conch Logistics (F0004)" in hit
    broken = text.split("By-product exchanges broken", 1)[1].split("Loops:", 1)[0]
    assert f"{SHOWN} (F0001) │ Copper Smelter (F0005) │ scrap copper" in broken
    loop = f"{SHOWN} → Copper Smelter → {SHOWN}"
    assert f"  {loop} (at {SHOWN} → Copper Smelter, Copper Smelter → {SHOWN}; vanishes)" in text
    assert "F0001 →" not in text


def test_criticality_names_the_firms_cut_off(register):
    text = _run("criticality", register)
    row = next(line for line in text.splitlines() if line.startswith("F0003"))
    assert row.rstrip().endswith(f"│ {SHOWN}, Conch Logistics, Copper Smelter")
    assert "F0001, F0004" not in text


def test_a_scenario_names_the_firms_of_the_loops_it_opens_and_closes(register, tmp_path):
    """The loop closed holds a firm the scenario adds: named by the network after it."""
    scenario = tmp_path / "recycler.toml"
    scenario.write_text(
        '[[add_firm]]\nid = "F0099"\nname = "New [red]Recycler[/red]"\n'
        '[[add_flow]]\nsource = "F0001"\ntarget = "F0099"\nmaterial = "slag"\nunit = "t"\n'
        'quantity = 20\ncategory = "waste"\n'
        '[[add_flow]]\nsource = "F0099"\ntarget = "F0001"\nmaterial = "granules"\nunit = "t"\n'
        'quantity = 10\ncategory = "product"\n'
        '[[remove_flow]]\nsource = "F0001"\ntarget = "F0005"\nmaterial = "scrap copper"\n',
        encoding="utf-8",
    )
    text = _run("scenario", register, str(scenario))
    opened = text.split("Loops opened (broken)", 1)[1].split("Loops closed", 1)[0]
    assert f"  {SHOWN} → Copper Smelter → {SHOWN}" in opened
    closed = text.split("Loops closed (new)", 1)[1]
    assert f"  {SHOWN} → New [red]Recycler[/red] → {SHOWN}" in closed
    assert "F0001 →" not in text


def test_compare_names_the_firms_of_each_side(register, tmp_path):
    """What only A has by A's names, the rest by B's (a firm B adds, a firm B renames)."""
    flows = FLOWS.replace("F0001,F0005,scrap copper,5,t,by-product\n", "").replace(
        "F0002,F0003,slag,10", "F0002,F0003,slag,12"
    )
    firms = FIRMS.replace("Copper Smelter", "Copper Smelter Ltd") + "F0099,New Recycler,firm\n"
    other = _network(
        tmp_path / "b",
        firms,
        flows + "F0001,F0099,slag,20,t,waste\nF0099,F0001,granules,10,t,product\n",
    )
    text = _run("compare", register, other)
    assert f"Loops only in A: 1\n  {SHOWN} → Copper Smelter → {SHOWN}\n" in text
    assert f"Loops only in B: 1\n  {SHOWN} → New Recycler → {SHOWN}\n" in text
    added = text.split("Flows added", 2)[2].split("Flows removed", 1)[0]
    assert f"{SHOWN} (F0001) │ New Recycler (F0099)" in added
    removed = text.split("Flows removed", 2)[2].split("Flows changed", 1)[0]
    assert f"{SHOWN} (F0001) │ Copper Smelter (F0005) │ scrap copper" in removed
    changed = text.split("Flows changed", 2)[2]
    assert "Anhui Recycling Co (F0002) │ Tongling Cement (F0003)" in changed
    assert "Firms added: 1: New Recycler (F0099)" in text


def test_balance_names_its_firms(register):
    text = _run("balance", register, "--all")
    rows = text.split("Every firm", 1)[1].splitlines()
    firms = [row.split("│")[0].strip() for row in rows if "│" in row]
    assert firms[0] == f"{SHOWN} (F0001)" and "Conch Logistics (F0004)" in firms


def test_trends_name_the_firms_of_links_and_loops(tmp_path):
    years = "".join(f"{row},2020\n" for row in FLOWS.splitlines()) + "".join(
        f"{row},2021\n" for row in FLOWS.splitlines() if not row.startswith("F0001,F0005")
    )
    folder = _network(tmp_path / "years", FIRMS, years, ",year")
    text = _run("trends", folder)
    assert f"Links that vanished: 1\n    {SHOWN} (F0001) → Copper Smelter (F0005): scrap" in text
    assert f"Loops that vanished: 1\n    {SHOWN} → Copper Smelter → {SHOWN}\n" in text


def test_the_longest_chain_names_its_firms_as_text(tmp_path):
    firms = FIRMS.replace("F0005,Copper Smelter,firm", "F0005,Copper [i]Mine[/i],extraction")
    text = _run("structure", _network(tmp_path / "chain", firms, FLOWS))
    assert f"One longest chain (stage in brackets): Copper [i]Mine[/i] (1) -> {SHOWN} (2)" in text


def test_uncertainty_names_the_firms_of_its_tables(register):
    text = _run("uncertainty", register, "--uncertainty", "0.1", "--samples", "20")
    drivers = text.split("What drives the spread", 1)[1].split("Opportunities:", 1)[0]
    assert f"{SHOWN} (F0001) → 安徽省危险废物填埋场 (LF0001) (2)" in drivers
    listed = text.split("Opportunities: how often", 1)[1]
    assert f"{SHOWN} (F0001) → Tongling Cement (F0003)" in listed


def test_reconcile_names_its_firms(register):
    text = _run("reconcile", register, "--uncertainty", "0.1")
    flagged = text.split("Adjustments too large", 1)[1].split("Left out", 1)[0]
    assert f"{SHOWN} (F0001) │ 安徽省危险废物填埋场 (LF0001)" in flagged
    assert "Anhui Recycling Co (F0002) │ outputs only" in text.split("Left out", 1)[1]


@pytest.fixture
def reef(tmp_path):
    """An ENA model's ids: two compartments of one name, a readable id (SED)."""
    return _network(
        tmp_path / "reef",
        "N1,Meiofauna,firm\nN2,Deposited Detritus,firm\nN3,Bacteria,firm\n"
        "N4,Bacteria,firm\nSED,Sediment,firm\n",
        "N1,N2,energy,5,GJ,by-product\nN2,N1,energy,4,GJ,by-product\n"
        "N2,N3,energy,3,GJ,by-product\nN3,N2,energy,2,GJ,by-product\n"
        "N2,N4,energy,3,GJ,by-product\nN4,N2,energy,1,GJ,by-product\n"
        "N2,SED,energy,1,GJ,by-product\nSED,N2,energy,1,GJ,by-product\n",
    )


def test_a_shock_of_an_ena_model_reads_its_compartments_apart(reef):
    text = _run("shock", reef, "--firm", "N2", "--change", "-1", "--model", "proportional")
    loops = text.split("Loops:", 1)[1].split("Indicators", 1)[0]
    assert "Deposited Detritus → Bacteria (N3) → Deposited Detritus" in loops
    assert "Deposited Detritus → Bacteria (N4) → Deposited Detritus" in loops
    assert "Deposited Detritus → SED → Deposited Detritus" in loops  # a readable id alone
    assert "Sediment" not in text and "N2 →" not in text


def test_readable_ids_stay_alone(tmp_path):
    """Tongling's ids read: their long names are not added (the text as before)."""
    folder = _network(
        tmp_path / "tongling",
        "CONCH,Tongling Conch Cement,firm\nWN,Wanneng Power Plant,firm\nMKT,Market,market\n",
        "CONCH,WN,limestone,5,t,by-product\nWN,CONCH,fly ash,4,t,by-product\n"
        "WN,MKT,power,9,t,product\n",
    )
    text = _run("shock", folder, "--firm", "WN", "--change", "-1")
    assert "Supply shock: WN -100 %" in text and "  CONCH → WN → CONCH (at" in text
    assert "Conch Cement" not in text and "Wanneng" not in text
    assert "Conch Cement" not in _run("balance", folder, "--all")


def test_the_helpers():
    import pandas as pd

    from symbiosis.cli.firm_labels import FirmNames, labelled, loop_lines, named_rows

    names = FirmNames(pd.Series(["Acme", "Bacteria", "Bacteria", "Sediment"],
                                index=["F1", "N3", "N4", "SED"]))  # fmt: skip
    assert names["F1"] == "Acme" and names.get("F9") is None and len(names) == 4
    assert labelled(["F1", "F9", "SED"], names) == ["Acme (F1)", "F9", "SED"]
    assert labelled(["F1"], None) == ["F1"]
    # two firms named alike in different loops still read apart
    assert loop_lines([("F1", "N3"), ("F1", "N4")], names, " -> ") == [
        "Acme -> Bacteria (N3) -> Acme", "Acme -> Bacteria (N4) -> Acme"]  # fmt: skip
    rows = named_rows(pd.DataFrame({"source": ["F1"], "material": ["F1"]}), names, "source", "x")
    assert rows.to_dict("records") == [{"source": "Acme (F1)", "material": "F1"}]
