"""Plastics go to the recycler that takes them (tester-parks10 defect 5, Kawasaki Eco-town,
names and coordinates as the tester wrote them): mixed packaging plastics are no feed of a
PET bottle-to-bottle plant, PET bottles are, and a plastics gasifier making ammonia
(Showa Denko Kawasaki, since 2003) takes mixed plastics."""

from __future__ import annotations

import pandas as pd
import pytest

from symbiosis import from_frames
from symbiosis.analysis.opportunities import find_opportunities
from symbiosis.catalogue.sectors import default_sectors
from symbiosis.taxonomy import default_taxonomy

FIRMS = ["id", "name", "sector", "role", "lat", "lon"]
COLUMNS = ["source", "target", "material", "quantity", "unit", "category"]
KAWASAKI = [
    ("JFE", "JFE Steel", "integrated steel works", "firm", 35.4900, 139.7330),
    ("DC", "DC cement", "cement plant", "firm", 35.5090, 139.7010),
    ("SD", "Showa Denko", "ammonia production from plastic gasification", "firm", 35.5160,
     139.7150),
    ("JTK", "JFE Kankyo", "plastic recycling", "recycling", 35.4870, 139.7400),
    ("PETR", "Petrebirth", "PET bottle-to-bottle recycling", "recycling", 35.4950, 139.7450),
    ("CITY", "Kawasaki households", "households", "household", 35.5308, 139.7029),
    ("MKT", "market", "", "market", None, None),
    ("LF", "landfill", "", "landfill", 35.5160, 139.8000),
]  # fmt: skip
FLOWS = [
    ("MKT", "JFE", "iron ore", 6000000, "t", "product"),
    ("JFE", "MKT", "steel products", 4000000, "t", "product"),
    ("MKT", "DC", "limestone", 1000000, "t", "product"),
    ("DC", "MKT", "cement", 800000, "t", "product"),
    ("CITY", "JTK", "waste plastic containers and packaging", 40000, "t", "waste"),
    ("CITY", "SD", "used plastics", 64000, "t", "waste"),
    ("SD", "MKT", "ammonia", 57750, "t", "product"),
    ("CITY", "PETR", "used PET bottles", 27500, "t", "waste"),
    ("PETR", "MKT", "PET resin", 23000, "t", "product"),
]


def _table(cut: str) -> pd.DataFrame:
    """The ranked table with the flow of material ``cut`` sent to the landfill."""
    flows = pd.DataFrame(FLOWS, columns=COLUMNS)
    flows.loc[flows["material"] == cut, "target"] = "LF"
    network = from_frames(pd.DataFrame(KAWASAKI, columns=FIRMS), flows)
    table = find_opportunities(network, top=0, impact=False).table
    return table[table["material"] == cut]


@pytest.mark.parametrize("cut", ["waste plastic containers and packaging", "used plastics"])
def test_mixed_plastics_go_to_no_pet_bottle_plant_and_to_the_gasifier(cut):
    """Mixed packaging plastics had been proposed to Petrebirth (bottle-grade PET), a
    plastics recycler by its sector's words, ahead of the real recyclers, and through
    the taxonomy ("pet" was plastic waste) to a new PET fibre plant; the gasifier making
    ammonia of them was never proposed (its sector named no catalogue sector)."""
    table = _table(cut)
    assert "PETR" not in set(table["target"])
    assert not set(table["pathway"]) & {"pet-bottle", "pet-fibre"}
    gasifier = table[table["target"] == "SD"]
    assert list(gasifier["pathway"]) == ["plastics-gasification"]
    assert list(gasifier["maturity"]) == ["demonstrated"]


def test_pet_bottles_go_first_to_the_pet_bottle_plant():
    """Used PET bottles had been offered to the gasifier and the blast-furnace reductant
    maker (takers of "related" plastics), never to the bottle-to-bottle plant: the
    bottle-to-bottle row's receivers were plastics processors."""
    table = _table("used PET bottles")
    first = table.iloc[0]
    assert (first["target"], first["pathway"], first["kind"]) == ("PETR", "pet-bottle", "new_link")
    # no capacity of its own left once cut: one bottle plant's typical intake (Extrupet)
    assert first["quantity"] == 22000


def test_a_pet_recycler_is_a_plastics_recycler_for_pet_rows_only():
    sectors = default_sectors()
    assert sectors.memberships("PET bottle-to-bottle recycling") == {
        "plastic recycling": frozenset({"pet", "bottle"})
    }
    assert sectors.memberships("plastics recycling") == {"plastic recycling": None}
    # the plant's own process after "from", not its feedstock
    assert sectors.memberships("ammonia production from plastic gasification") == {
        "plastic gasification": None
    }


def test_pet_bottles_are_a_plastic_apart_from_mixed_plastics():
    taxonomy = default_taxonomy()
    pet, mixed = taxonomy.resolve("used PET bottles"), taxonomy.resolve("mixed plastics")
    assert pet.family == mixed.family == "plastic"
    assert pet.material != mixed.material and not taxonomy.interchangeable(pet.material)
