"""Uses of CO2 by grade (tester-resources12 defects 2, 3 and 8, on small hand-built
networks): a use that takes flue gas once captured takes pure CO2 as it is, and an oil
field the pure stream first; a pure gas named in two scripts is no fuel gas by a bracket's
"tail gas"; a stack's flue gas is offered to no food plant, and pure CO2 comes before flue
gas of equal standing."""

from __future__ import annotations

import pandas as pd
import pytest

from symbiosis import from_frames
from symbiosis.analysis.opportunities import find_opportunities
from symbiosis.taxonomy import default_taxonomy

FIRMS = ["id", "name", "sector", "role", "lat", "lon"]
COLUMNS = ["source", "target", "material", "quantity", "unit", "category"]
AIR = ("AIR", "atmosphere", "", "environment", None, None)
MKT = ("MKT", "market", "", "market", None, None)


def _network(firms, flows):
    return from_frames(pd.DataFrame([*firms, AIR, MKT], columns=FIRMS),
                       pd.DataFrame(flows, columns=COLUMNS))  # fmt: skip


# a coal power station, then a synthetic-fuels plant whose acid-gas removal gives nearly pure
# CO2, and an oil field running a CO2 flood
FIELD = [
    ("PS", "Power station", "coal-fired power station", "utility", 45.0, 10.0),
    ("SYN", "Synfuels plant", "coal gasification", "firm", 45.1, 10.1),
    ("OIL", "Oil field", "oil field", "extraction", 45.3, 10.3),
    ("BLK", "Block plant", "building materials", "firm", 45.05, 10.05),
]
FIELD_FLOWS = [
    ("MKT", "PS", "coal", 2, "Mt", "product"),
    ("PS", "AIR", "CO2", 4, "Mt", "emission"),
    ("MKT", "SYN", "coal", 3, "Mt", "product"),
    ("SYN", "AIR", "high-purity CO2", 2, "Mt", "emission"),
    ("MKT", "OIL", "water", 1, "Mt", "product"),
    ("MKT", "BLK", "sand", 200, "kt", "product"),
]


@pytest.fixture(scope="module")
def field(tmp_path_factory):
    demands = tmp_path_factory.mktemp("co2") / "demands.csv"
    demands.write_text("firm,material,quantity,unit\nOIL,CO2,300,kt\n")
    return find_opportunities(_network(FIELD, FIELD_FLOWS), top=40, demands=demands)


def _rows(result, source: str, target: str) -> pd.DataFrame:
    table = result.table
    return table[(table["source"] == source) & (table["target"] == target)]


def test_pure_co2_is_offered_to_the_oil_field_first(field):
    """Ningdong: the oil field's 500 kt demand for CO2 was offered the power stations' and
    the cement kiln's flue gas (co2-eor, demonstrated) and never the coal-to-liquids
    plant's 13 Mt of Rectisol CO2, named high-purity: no EOR row was written for it."""
    pure = _rows(field, "SYN", "OIL")
    assert list(pure["pathway"]) == ["co2pure-eor"]
    assert list(pure["maturity"]) == ["established"]
    assert pure["capacity"].iloc[0] == pytest.approx(300_000)  # the demand row bounds it
    flue = _rows(field, "PS", "OIL")
    assert list(flue["pathway"]) == ["co2-eor"]  # needs capture at the source: after
    ranks = {(o.source, o.target): o.rank for o in field.listed}
    assert ranks[("SYN", "OIL")] < ranks[("PS", "OIL")]
    applied = {(o.source, o.target) for o in field.listed
               if (o.group, o.rank) in field.cumulative.applied}  # fmt: skip
    assert ("SYN", "OIL") in applied and ("PS", "OIL") not in applied


def test_pure_co2_meets_the_uses_of_captured_co2_that_have_no_pure_row(field):
    """A block plant carbonating captured flue gas (co2-carbonation) takes pure CO2 as it
    is: the capture rows of a sector no high-purity row serves are the pure stream's too."""
    blocks = _rows(field, "SYN", "BLK")
    assert list(blocks["pathway"]) == ["co2-carbonation"]
    assert list(blocks["rule"]) == ["taxonomy"]


def test_an_ammonia_plants_plain_co2_meets_the_pure_eor_row():
    """Plain "carbon dioxide" pure by its source meets co2pure-eor by that source's
    process, in place of the capture row to the same sector."""
    firms = [("NH3", "Ammonia plant", "ammonia plant", "firm", 45.1, 10.1),
             ("OIL", "Oil field", "oil field", "extraction", 45.3, 10.3)]  # fmt: skip
    flows = [("MKT", "NH3", "natural gas", 500, "kt", "product"),
             ("NH3", "AIR", "carbon dioxide", 700, "kt", "emission"),
             ("MKT", "OIL", "water", 1, "Mt", "product")]  # fmt: skip
    rows = _rows(find_opportunities(_network(firms, flows), top=0), "NH3", "OIL")
    assert list(zip(rows["pathway"], rows["rule"], strict=True)) == [
        ("co2pure-eor", "source process")
    ]


@pytest.mark.parametrize(
    ("name", "material"),
    [("purified CO2 (脱碳尾气)", "carbon dioxide"),
     ("food-grade CO2 (发酵尾气)", "carbon dioxide"),
     ("dilute SO2 (制酸尾气)", "sulfur dioxide"), ("hot flue gas (尾气)", "flue gas"),
     ("stripped H2S (脱硫尾气)", "hydrogen sulfide"),
     ("converter off-gas (二氧化碳)", "carbon dioxide")],
)  # fmt: skip
def test_a_gas_named_in_two_scripts_is_no_fuel_gas_by_a_brackets_tail_gas(name, material):
    """The name "high-purity CO2 (低温甲醇洗尾气)" was read as fuel gas by the
    bracket's 尾气 (tail gas), then proposed to a power plant burning blast-furnace gas as
    "a related material": the English part names the gas, the Chinese one only says tail
    gas."""
    assert default_taxonomy().resolve(name).material == material


def test_pure_co2_named_in_two_scripts_goes_to_no_taker_of_fuel_gas():
    firms = [("WORKS", "Steel works", "iron and steel", "firm", 40.0, 110.0),
             ("CHP", "Works power plant", "power plant", "utility", 40.01, 110.01),
             ("NH3", "Fertiliser plant", "nitrogen fertilizer", "firm", 40.2, 110.2)]  # fmt: skip
    flows = [("MKT", "WORKS", "iron ore", 5, "Mt", "product"),
             ("WORKS", "CHP", "coke oven gas", 8, "PJ", "by-product"),
             ("MKT", "NH3", "coal", 1, "Mt", "product"),
             ("NH3", "AIR", "purified CO2 (脱碳尾气)", 900, "kt", "emission")]  # fmt: skip
    table = find_opportunities(_network(firms, flows), top=0).table
    co2 = table[table["source"] == "NH3"]
    assert len(co2) and "CHP" not in set(co2["target"])
    assert "co2pure-gases" in set(co2["pathway"])


# a steel works' stacks and a coke bottler; then a fermentation plant's CO2 and a PCC plant
FOOD = [
    ("MILL", "Steel mill", "iron and steel", "firm", 30.0, 120.0),
    ("CHEM", "Chemical works", "chemicals", "firm", 30.1, 120.1),
    ("BOTT", "Bottler", "beverages", "firm", 30.2, 120.2),
]
FOOD_FLOWS = [
    ("MKT", "MILL", "iron ore", 5, "Mt", "product"),
    ("MILL", "AIR", "CO2", 6, "Mt", "emission"),
    ("MKT", "CHEM", "salt", 100, "kt", "product"),
    ("CHEM", "AIR", "CO2", 50, "kt", "emission"),
    ("MKT", "BOTT", "sugar", 50, "kt", "product"),
]


def test_flue_gas_is_offered_to_no_food_plant():
    """Baotou: the steel works' CO2 went to a new food plant as food-grade CO2
    (co2-food, demonstrated), ranked above the coal-to-olefins plant's pure CO2. A
    stack's flue gas is not food grade: capture and a merchant's purification stand
    between; CO2 of unknown grade (a chemical works') keeps the row."""
    table = find_opportunities(_network(FOOD, FOOD_FLOWS), top=0).table
    mill = table[table["source"] == "MILL"]
    assert len(mill) and "co2-food" not in set(mill["pathway"])
    assert "BOTT" not in set(mill["target"])
    assert "co2-horticulture" in set(mill["pathway"])  # a capture row to another use stays
    chem = table[table["source"] == "CHEM"]
    assert "BOTT" in set(chem.loc[chem["pathway"] == "co2-food", "target"])


PCC = [
    ("KILN", "Lime kiln", "lime", "firm", 50.0, 8.0),
    ("FERM", "Yeast plant", "fermentation", "firm", 50.1, 8.1),
    ("PAPER", "Paper mill", "paper mill", "firm", 50.2, 8.2),
    ("SAT", "Satellite PCC plant", "precipitated calcium carbonate", "firm", 50.2, 8.2),
]
PCC_FLOWS = [
    ("MKT", "KILN", "limestone", 400, "kt", "product"),
    ("KILN", "AIR", "CO2", 300, "kt", "emission"),
    ("MKT", "FERM", "molasses", 100, "kt", "product"),
    ("FERM", "AIR", "CO2", 300, "kt", "emission"),
    ("MKT", "PAPER", "wood pulp", 300, "kt", "product"),
    ("SAT", "PAPER", "precipitated calcium carbonate", 40, "kt", "product"),
    ("MKT", "SAT", "quicklime", 25, "kt", "product"),
]


@pytest.mark.parametrize("table", [True, False])
def test_pure_co2_comes_before_flue_gas_of_equal_standing(table):
    """Two streams of one size to one PCC plant by one row of one maturity: the
    fermentation plant's CO2 (no capture plant needed) before the lime kiln's flue gas,
    which the firms table had put first, and it takes the plant's intake."""
    result = find_opportunities(_network(PCC, PCC_FLOWS), top=20, table=table)
    to_sat = {o.source: o for o in result.listed if o.target == "SAT"}
    assert set(to_sat) == {"KILN", "FERM"}
    kiln, ferm = to_sat["KILN"], to_sat["FERM"]
    assert (kiln.pathway, kiln.maturity) == (ferm.pathway, ferm.maturity) == (
        "co2-pcc", "established",
    )  # fmt: skip
    assert kiln.quantity == ferm.quantity
    assert ferm.rank < kiln.rank
    assert (ferm.group, ferm.rank) in result.cumulative.applied
    if table:
        whole = result.table
        ranks = dict(zip(whole["source"] + ">" + whole["target"], whole["rank"], strict=True))
        assert ranks["FERM>SAT"] == ferm.rank < ranks["KILN>SAT"]


def test_a_pure_name_meeting_one_high_purity_row_by_the_taxonomy_meets_them_all():
    """Daqing (tester-oilports13 defect 2): the ammonia plant's "高浓度二氧化碳 high-purity
    CO2", a name in two scripts that the catalogue does not write, resolves to carbon
    dioxide and so met ``co2pure-gases`` through the taxonomy (a synonym of that row,
    "fermentation CO2", is carbon dioxide to it); one high-purity row met was taken for
    all of them, and its capture twins dropped, so the oil field got neither ``co2-eor``
    nor ``co2pure-eor`` while the flue gas of the same park got ``co2-eor``."""
    firms = [("NH3", "Fertilizer plant", "nitrogen fertilizer (ammonia/urea)", "firm", 45.1,
              10.1),
             ("PS", "Power station", "coal-fired power and heat", "utility", 45.2, 10.2),
             ("OIL", "Oil field", "oil and gas extraction", "extraction", 45.3, 10.3)]  # fmt: skip
    flows = [("MKT", "NH3", "natural gas", 500, "kt", "product"),
             ("NH3", "AIR", "高浓度二氧化碳 high-purity CO2", 200, "kt", "emission"),
             ("MKT", "PS", "coal", 1, "Mt", "product"),
             ("PS", "AIR", "二氧化碳 CO2", 2, "Mt", "emission"),
             ("MKT", "OIL", "crude oil", 10, "kt", "product")]  # fmt: skip
    result = find_opportunities(_network(firms, flows), top=0)
    pure = _rows(result, "NH3", "OIL")
    assert list(pure["pathway"]) == ["co2pure-eor"]
    assert list(pure["maturity"]) == ["established"]
    assert list(_rows(result, "PS", "OIL")["pathway"]) == ["co2-eor"]
    pathways = set(result.table.loc[result.table["source"] == "NH3", "pathway"].dropna())
    assert {"co2pure-gases", "co2pure-food", "co2pure-greenhouse", "co2pure-urea"} <= pathways
    assert not {"co2-food", "co2-horticulture", "co2-eor"} & pathways
