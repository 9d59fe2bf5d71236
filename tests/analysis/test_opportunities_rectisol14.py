"""A bare "低温甲醇洗尾气" (Rectisol tail gas: the CO2 that chilled methanol strips from a coal
gasifier's shifted syngas) is high-purity CO2, not fuel gas (taxa14, from
tester-resources12): read as fuel gas by 尾气, it went to a power plant burning
blast-furnace gas and to fuel-gas rows, and met no CO2 row."""

from __future__ import annotations

import warnings

import pandas as pd
import pytest

from symbiosis import from_frames
from symbiosis.analysis.opportunities import find_opportunities
from symbiosis.taxonomy import default_taxonomy

FIRMS = [
    ("CTO", "coal to olefins", "firm"),
    ("PP", "power plant", "utility"),
    ("AIR", "", "air"),
    ("MKT", "", "market"),
]
COLUMNS = ["source", "target", "material", "quantity", "unit", "category"]


@pytest.mark.parametrize("name", ["低温甲醇洗尾气", "Rectisol tail gas", "甲醇洗尾气"])
def test_rectisol_tail_gas_is_carbon_dioxide(name):
    assert default_taxonomy().resolve(name).material == "carbon dioxide"


def test_rectisol_tail_gas_meets_the_pure_co2_rows_not_a_fuel_gas_taker():
    flows = [
        ("CTO", "AIR", "低温甲醇洗尾气", 4, "Mt", "emission"),
        ("MKT", "PP", "blast furnace gas", 10, "PJ", "product"),
    ]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        network = from_frames(pd.DataFrame(FIRMS, columns=["id", "sector", "role"]),
                              pd.DataFrame(flows, columns=COLUMNS))  # fmt: skip
    table = find_opportunities(network, top=0, impact=False).table
    found = table[table["material"] == "低温甲醇洗尾气"]
    assert "PP" not in set(found["target"])
    assert set(found["pathway"]) and all(p.startswith("co2") for p in found["pathway"])
    assert "co2pure-gases" in set(found["pathway"])  # liquefied as it is, no capture plant
