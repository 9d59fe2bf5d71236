"""A distributor passes on the grade of what it takes (tester-oilports13 defect 3, what was
left of it): a CO2 pipeline that takes only a hydrogen unit's and a bioethanol plant's CO2
supplies the greenhouses with pure CO2, though its flow to them is named plain ``CO2``. The
greenhouses then take pure CO2 only, and the evidence that they take CO2 is evidence for
pure CO2: a stack's, a refinery's or an unknown plant's CO2 is no expansion of what they
take, and comes after the pure CO2 offered to them. A node with other inputs (the
greenhouses burn natural gas) passes nothing on: its own CO2 keeps its own grade."""

from __future__ import annotations

import pandas as pd
import pytest

from symbiosis import from_frames
from symbiosis.analysis.opportunities import find_opportunities

FIRMS = ["id", "name", "sector", "role", "lat", "lon"]
COLUMNS = ["source", "target", "material", "quantity", "unit", "category"]
PORT = [
    ("REF", "Refinery", "petroleum refining", "firm", 51.88, 4.39),
    ("H2", "Hydrogen unit", "hydrogen production", "firm", 51.885, 4.38),
    ("ETH", "Bioethanol plant", "bioethanol", "firm", 51.95, 4.13),
    ("PIPE", "CO2 pipeline", "CO2 transport and distribution", "utility", 51.93, 4.3),
    ("GH", "Greenhouses", "greenhouse horticulture", "farm", 52.0, 4.25),
    ("SMR", "Gas company SMR", "industrial gases", "firm", 51.87, 4.28),
    ("CB", "Carbon black plant", "carbon black", "firm", 51.87, 4.3),
    ("WTE", "Waste-to-energy plant", "waste incineration", "waste-to-energy", 51.91, 4.27),
    ("MKT", "market", "", "market", None, None),
    ("AIR", "atmosphere", "", "environment", None, None),
]  # fmt: skip
FLOWS = [
    ("MKT", "REF", "crude oil", 10, "Mt", "product"),
    ("REF", "AIR", "CO2", 4, "Mt", "emission"),
    ("MKT", "H2", "natural gas", 300, "kt", "product"),
    ("H2", "PIPE", "high-purity CO2", 400, "kt", "by-product"),
    ("MKT", "ETH", "wheat", 900, "kt", "product"),
    ("ETH", "PIPE", "fermentation CO2", 300, "kt", "by-product"),
    ("PIPE", "GH", "CO2", 600, "kt", "by-product"),
    ("PIPE", "AIR", "CO2", 100, "kt", "emission"),  # the summer surplus, vented
    ("MKT", "GH", "natural gas", 200, "kt", "product"),
    ("GH", "AIR", "CO2", 550, "kt", "emission"),
    ("MKT", "SMR", "natural gas", 250, "kt", "product"),
    ("SMR", "AIR", "high-purity CO2", 500, "kt", "emission"),
    ("MKT", "CB", "heavy oil", 300, "kt", "product"),
    ("CB", "AIR", "CO2", 500, "kt", "emission"),
    ("MKT", "WTE", "residual waste", 1.3, "Mt", "waste"),
    ("WTE", "AIR", "CO2", 1.3, "Mt", "emission"),
]


def _opportunities(firms=PORT, flows=FLOWS):
    network = from_frames(pd.DataFrame(firms, columns=FIRMS), pd.DataFrame(flows, columns=COLUMNS))
    return find_opportunities(network, top=0).table


@pytest.fixture(scope="module")
def port() -> pd.DataFrame:
    return _opportunities()


def _to(table: pd.DataFrame, target: str) -> pd.DataFrame:
    return table[table["target"] == target]


def test_a_stack_to_the_pipelines_greenhouses_is_no_expansion(port):
    """The waste-to-energy plant's flue gas, the refinery's CO2 and the carbon black plant's
    (unknown grade) had been 'expand' to the greenhouses, ranked first, because they 'take
    CO2' from the pipeline: what they take is the pipeline's pure CO2."""
    greenhouses = _to(port, "GH")
    for source in ("WTE", "REF", "CB"):
        rows = greenhouses[greenhouses["source"] == source]
        assert len(rows), source
        assert (rows["kind"] == "new_link").all(), rows[["kind", "rule"]]
        assert (rows["rule"] != "network: takes this material").all()


def test_pure_co2_to_the_greenhouses_ranks_before_co2_short_of_their_need(port):
    """Every stream of pure CO2 offered to the greenhouses (the gas company's SMR CO2, the
    pipeline's vented surplus) ranks before every stream that needs capture or is of
    unknown grade, whatever their sizes (1.3 Mt of flue gas against 100 kt)."""
    greenhouses = _to(port, "GH")
    ranks = greenhouses.groupby("source")["rank"].min()
    assert max(ranks["SMR"], ranks["PIPE"]) < min(ranks["WTE"], ranks["REF"], ranks["CB"])


def test_the_pipelines_vented_surplus_is_pure(port):
    """What the pipeline vents is what it took in: pure CO2, which meets the high-purity
    rows (by its source: its name is plain CO2) and is offered to the greenhouses as
    established (replacing the natural gas they burn for CO2)."""
    vented = port[port["source"] == "PIPE"]
    assert vented["pathway"].str.startswith("co2pure-").any()
    assert not vented["pathway"].isin(["co2-food", "co2-horticulture"]).any()
    row = vented[vented["target"] == "GH"].iloc[0]
    assert row["pathway"] == "co2pure-greenhouse"
    assert row["maturity"] == "established"


def test_a_node_with_other_inputs_passes_nothing_on(port):
    """The greenhouses take pure CO2 and burn natural gas: their own exhaust is not pure
    (no high-purity row), as a node that takes only the family's flows would have it."""
    exhaust = port[port["source"] == "GH"]
    assert len(exhaust)
    assert not exhaust["pathway"].fillna("").str.startswith("co2pure-").any()


def test_a_chain_of_distributors_passes_the_grade_on():
    """A hub between the sources and the pipeline: the pipeline's intake is pure through
    it, and so is the greenhouses'."""
    firms = [*PORT, ("HUB", "CO2 hub", "CO2 transport and distribution", "utility", 51.9, 4.35)]
    flows = [f for f in FLOWS if f[:2] not in (("H2", "PIPE"), ("ETH", "PIPE"))]
    flows += [("H2", "HUB", "CO2", 400, "kt", "by-product"),
              ("ETH", "HUB", "CO2", 300, "kt", "by-product"),
              ("HUB", "PIPE", "CO2", 700, "kt", "by-product")]  # fmt: skip
    greenhouses = _to(_opportunities(firms, flows), "GH")
    stack = greenhouses[greenhouses["source"] == "WTE"]
    assert len(stack) and (stack["kind"] == "new_link").all()
    ranks = greenhouses.groupby("source")["rank"].min()
    assert ranks["SMR"] < ranks["WTE"]


def test_a_distributor_of_flue_gas_passes_on_no_purity():
    """A pipeline fed by the waste-to-energy plant's CO2 (flue gas, captured or not) makes
    no pure taker of the greenhouses: another stream of CO2 may expand what they take."""
    flows = [f for f in FLOWS if f[:2] not in (("H2", "PIPE"), ("ETH", "PIPE"))]
    flows += [("WTE", "PIPE", "CO2", 700, "kt", "by-product")]
    greenhouses = _to(_opportunities(PORT, flows), "GH")
    carbon_black = greenhouses[greenhouses["source"] == "CB"]
    assert (carbon_black["kind"] == "expand").any()


def test_a_declared_distributor_passes_the_grade_on_whatever_else_it_takes():
    """A pipeline written with the role ``distributor`` passes on what it takes, though it
    also buys the power for its compressors: its vented surplus is pure (it met no
    high-purity row when the role was not read, a node taking something else passing
    nothing on), and the greenhouses it supplies are pure takers. The same pipeline as a
    plain utility with that power input passes nothing on (the inference needs every
    input of the family)."""
    power = [("MKT", "PIPE", "electricity", 40, "GWh", "product")]

    def vented(role):
        firms = [(*f[:3], role, *f[4:]) if f[0] == "PIPE" else f for f in PORT]
        table = _opportunities(firms, FLOWS + power)
        return table[table["source"] == "PIPE"], _to(table, "GH")

    declared, greenhouses = vented("distributor")
    assert declared["pathway"].fillna("").str.startswith("co2pure-").any()
    stack = greenhouses[greenhouses["source"] == "WTE"]
    assert len(stack) and (stack["kind"] == "new_link").all()
    inferred, _ = vented("utility")
    assert not inferred["pathway"].fillna("").str.startswith("co2pure-").any()
