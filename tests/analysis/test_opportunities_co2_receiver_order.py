"""To one receiver, CO2 that needs no capture plant before CO2 that does, whatever their
sizes (tester-oilports13 defect 2, what was left of it): an oil field of unknown capacity for
CO2 flooding had been offered a power station's, a refinery's and a cracker's stack CO2
(14, 4.5 and 3.5 Mt, each stream's first round) before the ammonia plant's 200 kt of pure
CO2 (its second round, after an EOR block that takes it already). A CCUS planner injects
the pure CO2 first: flue gas (12-15 % CO2) needs a capture plant."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from symbiosis import from_frames
from symbiosis.analysis.opportunities import find_opportunities

FIRMS = ["id", "name", "sector", "role", "lat", "lon"]
COLUMNS = ["source", "target", "material", "quantity", "unit", "category"]
CITY = [
    ("OIL", "Oil field", "oil and gas extraction", "extraction", 46.58, 125.0),
    ("EOR", "CO2-EOR block", "oil extraction (CO2-EOR)", "extraction", 46.2, 125.6),
    ("REF", "Refinery", "petroleum refining", "firm", 46.55, 124.9),
    ("CRK", "Ethylene cracker", "ethylene steam cracking", "firm", 46.55, 124.88),
    ("NH3", "Fertilizer plant", "nitrogen fertilizer (ammonia/urea)", "firm", 46.55, 124.87),
    ("TPP", "Coal CHP plants", "coal-fired power and heat", "utility", 46.6, 125.05),
    ("MKT", "market", "", "market", None, None),
    ("AIR", "atmosphere", "", "environment", None, None),
]  # fmt: skip
FLOWS = [
    ("OIL", "MKT", "crude oil", 30, "Mt", "product"),
    ("OIL", "REF", "crude oil", 10, "Mt", "product"),
    ("REF", "CRK", "naphtha", 3, "Mt", "product"),
    ("MKT", "NH3", "natural gas", 1, "Mt", "product"),
    ("MKT", "TPP", "coal", 6, "Mt", "product"),
    ("REF", "AIR", "CO2", 4.5, "Mt", "emission"),
    ("CRK", "AIR", "CO2", 3.5, "Mt", "emission"),
    ("TPP", "AIR", "CO2", 14, "Mt", "emission"),
    ("NH3", "EOR", "high-purity CO2", 100, "kt", "by-product"),
    ("NH3", "AIR", "high-purity CO2", 200, "kt", "emission"),
    ("EOR", "MKT", "crude oil", 50, "kt", "product"),
]


@pytest.fixture(scope="module")
def city() -> pd.DataFrame:
    network = from_frames(pd.DataFrame(CITY, columns=FIRMS), pd.DataFrame(FLOWS, columns=COLUMNS))
    return find_opportunities(network, top=0).table


def test_pure_co2_to_the_oil_field_ranks_before_the_stacks(city):
    field = city[city["target"] == "OIL"]
    ranks = field.groupby("source")["rank"].min()
    assert {"NH3", "TPP", "REF", "CRK"} <= set(ranks.index)
    assert ranks["NH3"] < min(ranks["TPP"], ranks["REF"], ranks["CRK"])
    pure = field[field["source"] == "NH3"].iloc[0]
    assert pure["pathway"] == "co2pure-eor"


@pytest.mark.parametrize("rank_by", ["value", "distance"])
def test_the_other_orders_too(rank_by):
    """The rounds are the ranking's by every key: the pure CO2 before the stacks' to the
    same oil field, by value and by distance too."""
    network = from_frames(pd.DataFrame(CITY, columns=FIRMS), pd.DataFrame(FLOWS, columns=COLUMNS))
    field = find_opportunities(network, top=0, rank_by=rank_by).table
    field = field[field["target"] == "OIL"]
    ranks = field.groupby("source")["rank"].min()
    assert ranks["NH3"] < min(ranks["TPP"], ranks["REF"], ranks["CRK"])


def test_the_rows_of_other_receivers_keep_their_rounds():
    """Only rows to a receiver offered pure CO2 move, and only after the last round of it
    there; rows of another group, or of no CO2, keep theirs."""
    from symbiosis.analysis.opportunities.grades import Grading, graded_rounds

    grading = Grading(
        capture=np.array([False, True, True, False]),  # streams 1 and 2 need capture
        pure=np.array([True, False, False, False]),  # stream 0 is pure
        unknown=np.array([False, False, False, False]),  # stream 3 is no CO2
        takers=np.zeros(4, dtype=bool),  # 3 nodes and none
        capture_rows=np.zeros(2, dtype=bool),
    )
    stream = np.array([0, 0, 1, 1, 2, 3])
    receiver = np.array([1, 2, 1, 2, 1, 1])
    group = np.array([0, 0, 0, 0, 1, 0])
    rounds = np.array([0, 3, 0, 1, 0, 0])
    plant = np.full(6, -1)
    pathway = np.full(6, -1)
    moved = graded_rounds(rounds, grading, stream, pathway, receiver, plant, group)
    # stream 1's row to receiver 1 after the pure row's round 0, to receiver 2 after its
    # round 3; stream 2's row is of another group, stream 3's no CO2
    assert moved.tolist() == [0, 3, 1, 4, 0, 0]
    assert rounds.tolist() == [0, 3, 0, 1, 0, 0]  # the caller's array is not changed
