"""The firms of the networks and their roles (:mod:`symbiosis.registers.roles`): a node
per fate, a landfill that sends, and the network's reuse accounts against the register's
own recovery rate."""

from __future__ import annotations

from pathlib import Path

import pytest

import symbiosis
from symbiosis.analysis.recovery import recovery_of_flows
from symbiosis.analysis.reuse import reuse_accounts
from symbiosis.registers import Mapping, import_registers

from .test_reading import HEADER, write

EXAMPLE = Path(__file__).parents[2] / "examples" / "registers" / "shipments.csv"


def roles_of(result) -> dict[str, str]:
    return dict(zip(result.firms["id"], result.firms["role"], strict=True))


def reuse(out: Path) -> dict[str, float]:
    return reuse_accounts(symbiosis.load(out))["mass"]


def test_a_landfill_that_sends_its_leachate_stays_a_landfill(tmp_path):
    """It became ``treatment``: its 70 kt landfilled were counted as treated, none as
    disposed."""
    rows = [
        ["2020-03-01", "STEEL", "LANDFILL", "10 02 02", "D1", "50000", "t"],
        ["2020-03-01", "CEMENT", "LANDFILL", "10 13 06", "D1", "20000", "t"],
        ["2020-04-01", "LANDFILL", "WWTP", "19 07 03", "D8", "3000", "t"],
        ["2020-05-01", "STEEL", "RECYCLER", "17 04 05", "R4", "1000", "t"],
    ]
    out = tmp_path / "out"
    result = import_registers([write(tmp_path / "r.csv", rows)], out)
    assert roles_of(result)["LANDFILL"] == "disposal"
    assert roles_of(result)["WWTP"] == "treatment"
    accounts = reuse(out)
    assert (accounts["disposed"], accounts["reused"], accounts["treated"]) == (70000, 1000, 0)


@pytest.mark.parametrize(
    ("operation", "sends", "role"),
    [
        ("D15", True, "treatment"),  # a transfer station: it stores and sends on
        ("D15", False, "disposal"),
        ("D13", True, "treatment"),
        ("D10", True, "treatment"),  # an incinerator shipping its ash: it transforms
        ("D10", False, "disposal"),
        ("D11", True, "treatment"),
        ("D1", True, "disposal"),
        ("D9", False, "treatment"),
        ("R13", True, "recycling"),
        ("R1", False, "utility"),
    ],
)
def test_the_role_of_a_receiver_by_its_main_operation(tmp_path, operation, sends, role):
    rows = [["2020", "F", "X", "19 12 12", operation, "10", "t"]]
    if sends:
        rows.append(["2020", "X", "LF", "19 12 12", "D1", "1", "t"])
    result = import_registers([write(tmp_path / "r.csv", rows)], None)
    assert roles_of(result)["X"] == role


def test_an_incinerator_that_ships_its_ash_is_an_actor(tmp_path):
    """tester-areas8 defect 7: a D10 incinerator was a boundary ``disposal`` node, so the
    bottom ash it sends to backfilling read as 'Imports into the system' (575 t), and the
    rate's recovered tonnes parted from the network's reused ones."""
    rows = [
        ["2023-01-10", "CITY", "MVA", "20 03 01", "D10", "1000", "t"],
        ["2023-02-10", "MVA", "BACKFILL", "19 01 12", "R5", "250", "t"],
        ["2023-03-10", "MVA", "SALTMINE", "19 01 13*", "D12", "30", "t"],
        ["2023-03-10", "STEEL", "LANDFILL", "10 02 02", "D1", "500", "t"],
    ]
    out = tmp_path / "out"
    result = import_registers([write(tmp_path / "r.csv", rows)], out)
    assert roles_of(result)["MVA"] == "treatment" and roles_of(result)["SALTMINE"] == "disposal"
    network = symbiosis.load(out / "2023")
    summary = symbiosis.analyze(network, sections=["summary"]).summary.to_dict()
    assert summary["totals"]["mass"]["imports"] == 0  # was 250 t
    accounts = reuse(out / "2023")
    rates = recovery_of_flows(result.flows.assign(value=result.flows["quantity"],
                                                  dimension="mass"))  # fmt: skip
    row = rates.table[rates.table["chapter"] == "all"].iloc[0]
    assert accounts["reused"] + accounts["sold"] == row["recovered"] == 250
    assert accounts["treated"] + accounts["disposed"] == row["disposed"] == 1530


def test_a_landfill_that_also_burns_a_little_stays_a_landfill(tmp_path):
    """Only a receiver whose disposal is mostly incineration becomes an actor by sending."""
    rows = [
        ["2020", "F", "SITE", "19 12 12", "D1", "600", "t"],
        ["2020", "F", "SITE", "19 12 12", "D10", "200", "t"],
        ["2020", "SITE", "WWTP", "19 07 03", "D8", "50", "t"],
    ]
    result = import_registers([write(tmp_path / "r.csv", rows)], None)
    assert roles_of(result)["SITE"] == "disposal"


def test_a_receiver_of_both_recovery_and_disposal_is_a_node_for_each(tmp_path):
    """A hazardous-waste centre took oil for R9 and catalysts for D1, packaging for D10:
    all was counted as reused (reuse 100 %)."""
    rows = [
        ["2021", "A", "CENTRE", "13 02 05*", "R9", "12.5", "t"],
        ["2021", "A", "CENTRE", "15 01 10*", "D10", "350", "kg"],
        ["2022", "B", "CENTRE", "16 08 02*", "D1", "3.2", "t"],
        ["2022", "B", "CENTRE", "13 02 05*", "R9", "8", "t"],
        ["2022", "CENTRE", "LF", "19 01 11*", "D1", "1", "t"],
    ]
    rows = [[*row, "危险废物处置中心"] for row in rows]
    out = tmp_path / "out"
    result = import_registers([write(tmp_path / "r.csv", rows, [*HEADER, "receiver_name"])], out)
    firms = result.firms.set_index("id")
    assert firms.loc["CENTRE", "role"] == "recycling"
    assert firms.loc["CENTRE:disposal", "role"] == "disposal"
    assert firms.loc["CENTRE:disposal", "name"] == "危险废物处置中心 (disposal)"
    by_target = result.flows.groupby("target")["quantity"].sum()
    assert by_target["CENTRE"] == 20.5 and by_target["CENTRE:disposal"] == pytest.approx(3.55)
    assert set(result.flows.loc[result.flows["source"] == "CENTRE", "target"]) == {"LF"}
    accounts = reuse(out)
    assert accounts["reused"] == 20.5 and accounts["disposed"] == pytest.approx(4.55)


def test_a_stated_role_keeps_one_node(tmp_path):
    rows = [
        ["2021", "A", "KILN", "10 01 02", "R1", "5", "t", "utility"],
        ["2021", "A", "KILN", "10 01 02", "D10", "1", "t", "utility"],
    ]
    result = import_registers([write(tmp_path / "r.csv", rows, [*HEADER, "receiver_role"])], None)
    assert roles_of(result) == {"A": "firm", "KILN": "utility"}


def test_a_disposal_id_the_register_already_has_is_not_reused(tmp_path):
    rows = [
        ["2021", "A", "X", "10 01 02", "R5", "5", "t"],
        ["2021", "A", "X", "10 01 02", "D1", "1", "t"],
        ["2021", "A", "X:disposal", "10 01 02", "R5", "1", "t"],
    ]
    result = import_registers([write(tmp_path / "r.csv", rows)], None)
    assert roles_of(result) == {
        "A": "firm", "X": "recycling", "X:disposal": "recycling", "X:disposal2": "disposal"
    }  # fmt: skip


def test_the_network_accounts_agree_with_the_register_rate(tmp_path):
    """docs/registers.md: recovered = reused + sold and disposed = treated + disposed, for
    the flows that actors send (the sample has no stated role)."""
    out = tmp_path / "out"
    result = import_registers([EXAMPLE], out)
    rates = recovery_of_flows(result.flows.assign(value=result.flows["quantity"],
                                                  dimension="mass"))  # fmt: skip
    boundary = set(result.firms.loc[result.firms["role"].isin(["disposal", "market"]), "id"])
    assert not set(result.flows["source"]) & boundary  # no flow from a boundary node
    for year in sorted(result.years):
        accounts = reuse(out / str(year))
        table = rates.table
        row = table[(table["year"] == year) & (table["chapter"] == "all")].iloc[0]
        assert accounts["reused"] + accounts["sold"] == pytest.approx(row["recovered"])
        assert accounts["treated"] + accounts["disposed"] == pytest.approx(row["disposed"])


def test_receivers_abroad_leave_the_network(tmp_path):
    """E-PRTR transboundary transfers (a Swedish and a Dutch smelter) and TRI's
    OFF_SITE_COUNTRY=MEX became recycling actors inside a German or US network."""
    rows = [
        ["2019", "AURUBIS", "Boliden Rönnskär", "17 04 01", "R4", "430.2", "t", "Sweden"],
        ["2019", "AURUBIS", "Boliden Rönnskär", "17 04 01", "D1", "1", "t", "Sweden"],
        ["2019", "AURUBIS", "Nyrstar Budel", "17 04 01", "D1", "2", "t", "Netherlands"],
        ["2019", "AURUBIS", "HAMBURG RECYCLING", "17 04 01", "R4", "5", "t", "germany "],
        ["2019", "AURUBIS", "LOCAL", "17 04 01", "R4", "6", "t", ""],
    ]
    path = write(tmp_path / "r.csv", rows, [*HEADER, "receiver_country"])
    mapping = Mapping(defaults={"country": "Germany"})
    out = tmp_path / "out"
    result = import_registers([path], out, mapping=mapping)
    assert roles_of(result) == {
        "AURUBIS": "firm",
        "Boliden Rönnskär": "market",  # exported for recovery: sold
        "Boliden Rönnskär:disposal": "disposal",
        "Nyrstar Budel": "disposal",  # exported for disposal: disposed, never sold
        "HAMBURG RECYCLING": "recycling",  # the register's country, in its own case
        "LOCAL": "recycling",
    }
    accounts = reuse(out)
    assert accounts["sold"] == pytest.approx(430.2) and accounts["disposed"] == 3


def test_without_the_register_country_any_receiver_country_is_abroad(tmp_path):
    """The E-PRTR gives the receiver's country only for transboundary transfers."""
    rows = [
        ["2019", "A", "B", "17 04 01", "R4", "1", "t", "Sweden"],
        ["2019", "A", "C", "17 04 01", "R4", "1", "t", ""],
    ]
    mapping = Mapping(columns={"receiver_country": "WHPCountryName"})
    path = write(tmp_path / "r.csv", rows, [*HEADER, "WHPCountryName"])
    result = import_registers([path], None, mapping=mapping)
    assert roles_of(result) == {"A": "firm", "B": "market", "C": "recycling"}
