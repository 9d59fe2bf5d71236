"""Crude grades are one input of a refinery (tester-cities5 #1).

Karamay's Fengcheng heavy-oil field closing stopped both refineries ("limited by heavy
crude oil"), the ethylene cracker and the polymer plants: `crude oil` and `heavy crude oil`
resolved to no taxonomy material, so each name was a necessary input of its own, though
heavy crude was 1 of the Dushanzi refinery's 10 Mt of crude. A refinery runs on a slate of
crudes; refined products are not crude.
"""

import pandas as pd
import pytest

from symbiosis import from_frames
from symbiosis.analysis._material_groups import input_taxonomy
from symbiosis.analysis.criticality import criticality
from symbiosis.analysis.propagation import propagate

COLUMNS = ["source", "target", "material", "quantity", "unit", "category"]


def oil_city(heavy: str = "heavy crude oil", crude: str = "crude oil"):
    """Karamay in small (Mt/yr): a heavy-oil field and two light-oil fields feed two
    refineries, one of which also runs imports and feeds the cracker its naphtha."""
    rows = [("HEAVY", "KPC", heavy, 2.5, "Mt", "product"),
            ("HEAVY", "DSZ", heavy, 1.0, "Mt", "product"),
            ("KM1", "KPC", crude, 3.0, "Mt", "product"),
            ("MAHU", "DSZ", crude, 3.5, "Mt", "product"),
            ("MAHU", "MKT", crude, 0.5, "Mt", "product"),
            ("IMP", "DSZ", "imported crude oil", 4.0, "Mt", "product"),
            ("KPC", "MKT", "diesel", 5.0, "Mt", "product"),
            ("DSZ", "MKT", "diesel", 7.0, "Mt", "product"),
            ("DSZ", "ETH", "naphtha", 2.0, "Mt", "product"),
            ("ETH", "MKT", "ethylene", 1.0, "Mt", "product")]  # fmt: skip
    roles = {"HEAVY": "extraction", "KM1": "extraction", "MAHU": "extraction", "KPC": "firm",
             "DSZ": "firm", "ETH": "firm", "IMP": "market", "MKT": "market"}  # fmt: skip
    firms = pd.DataFrame({"id": list(roles), "role": list(roles.values())})
    return from_frames(firms, pd.DataFrame(rows, columns=COLUMNS))


def factors_after(network, shocks):
    _, _, factors = propagate(network, shocks)
    return dict(zip(network.firms.index, factors["mass"].round(12), strict=True))


@pytest.mark.parametrize(
    ("heavy", "crude"),
    [("heavy crude oil", "crude oil"), ("heavy oil", "crude oil"), ("稠油", "原油"),
     ("extra-heavy oil", "light crude"), ("naphthenic crude", "Mahu crude oil"),
     ("tight oil", "crude")],
)  # fmt: skip
def test_a_refinery_loses_the_share_of_the_grade_it_no_longer_gets(heavy, crude):
    """The field's 1 of 8.5 Mt at Dushanzi (with the imports) and 2.5 of 5.5 Mt at Karamay."""
    factors = factors_after(oil_city(heavy, crude), {"HEAVY": -1.0})
    assert factors["DSZ"] == pytest.approx(1 - 1.0 / 8.5)
    assert factors["KPC"] == pytest.approx(1 - 2.5 / 5.5)
    assert factors["ETH"] == pytest.approx(factors["DSZ"])  # the cracker, by its naphtha
    # half the field: half the grade's share
    assert factors_after(oil_city(heavy, crude), {"HEAVY": -0.5})["DSZ"] == pytest.approx(
        1 - 0.5 / 8.5
    )


def test_the_heavy_oil_field_cuts_off_no_refinery():
    table = criticality(oil_city()).table
    assert table.loc["HEAVY", "cut_off"] == ()
    # names the taxonomy does not know stay two materials, each necessary
    apart = criticality(oil_city("grade A", "grade B")).table
    assert set(apart.loc["HEAVY", "cut_off"]) == {"KPC", "DSZ", "ETH"}


@pytest.mark.parametrize(
    "name",
    ["crude oil", "crude", "heavy crude oil", "heavy oil", "extra-heavy oil", "tight oil",
     "light crude", "naphthenic crude", "Kazakh crude oil", "gas condensate",
     "lease condensate", "原油", "稠油", "超稠油", "致密油", "进口原油"],
)  # fmt: skip
def test_crude_grades_are_crude_oil(name):
    match = input_taxonomy().resolve(name)
    assert match is not None and match.material == "crude oil" and match.score >= 0.8


@pytest.mark.parametrize(
    "name",
    ["fuel oil", "heavy fuel oil", "residual oil", "重油", "燃料油", "diesel", "naphtha",
     "gasoline", "road asphalt", "bitumen", "crude benzol", "crude tar", "crude steel",
     "crude glycerol", "petroleum coke", "condensate", "steam condensate", "waste oil"],
)  # fmt: skip
def test_refined_products_and_other_crudes_are_no_crude_oil(name):
    """Fuel oil and 重油 (mostly heavy fuel oil in Chinese industry) stay residual oil, a
    refinery's product; `condensate` alone is steam's; "crude" before another noun
    (benzol, tar, steel) names no crude oil."""
    match = input_taxonomy().resolve(name)
    assert match is None or match.material != "crude oil"


def test_a_refined_product_is_not_pooled_with_crude():
    """A plant taking crude and fuel oil needs both: the fuel oil's supplier closing
    stops it, whatever crude it still gets."""
    rows = [("FIELD", "BLEND", "crude oil", 8.0, "Mt", "product"),
            ("REF", "BLEND", "fuel oil", 2.0, "Mt", "product"),
            ("IMP", "REF", "crude oil", 3.0, "Mt", "product"),
            ("BLEND", "MKT", "bunker fuel", 10.0, "Mt", "product")]  # fmt: skip
    roles = {"FIELD": "extraction", "REF": "firm", "BLEND": "firm", "IMP": "market",
             "MKT": "market"}  # fmt: skip
    firms = pd.DataFrame({"id": list(roles), "role": list(roles.values())})
    network = from_frames(firms, pd.DataFrame(rows, columns=COLUMNS))
    assert factors_after(network, {"REF": -1.0})["BLEND"] == 0.0
