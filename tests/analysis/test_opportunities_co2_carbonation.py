"""CO2 carbonation bounded by the receiver (tester-oilports13 defect 5, on a small
hand-built network after Styria): a brickworks making 320 kt of bricks had been proposed a
steel works' 3 Mt of CO2 (``co2-carbonation``, emerging), then more from every other stack.
The row's ``max_share`` (carbonation curing binds at most about 3.5 % of a block's mass)
bounds every stream of that use to the plant together."""

from __future__ import annotations

import pandas as pd
import pytest

from symbiosis import from_frames
from symbiosis.analysis.opportunities import find_opportunities

FIRMS = ["id", "name", "sector", "role", "lat", "lon"]
COLUMNS = ["source", "target", "material", "quantity", "unit", "category"]
STYRIA = [
    ("STEEL", "Steel works", "iron and steel", "firm", 47.38, 15.09),
    ("PP", "Power plant", "coal-fired power station", "utility", 47.05, 15.2),
    ("BRK", "Brickworks", "bricks", "firm", 47.0, 15.6),
    ("MKT", "market", "", "market", None, None),
    ("AIR", "atmosphere", "", "environment", None, None),
]  # fmt: skip
FLOWS = [
    ("MKT", "STEEL", "iron ore", 5, "Mt", "product"),
    ("STEEL", "MKT", "steel", 3, "Mt", "product"),
    ("STEEL", "AIR", "CO2", 3, "Mt", "emission"),
    ("MKT", "PP", "coal", 600, "kt", "product"),
    ("PP", "AIR", "CO2", 1.6, "Mt", "emission"),
    ("MKT", "BRK", "clay", 300, "kt", "product"),
    ("BRK", "MKT", "bricks", 320, "kt", "product"),
]


@pytest.fixture(scope="module")
def rows():
    network = from_frames(pd.DataFrame(STYRIA, columns=FIRMS), pd.DataFrame(FLOWS, columns=COLUMNS))
    table = find_opportunities(network, top=0).table
    return table[(table["target"] == "BRK") & (table["pathway"] == "co2-carbonation")]


def test_the_brickworks_takes_no_more_co2_than_its_share_of_its_throughput(rows):
    assert set(rows["source"]) == {"STEEL", "PP"}
    bound = 0.035 * 320_000  # its throughput: what it makes (320 kt) > what it takes
    assert rows["capacity"].max() == pytest.approx(bound)
    assert rows["quantity"].max() == pytest.approx(bound)
    assert rows["capacity_group"].nunique() == 1  # one bound for every stack together
