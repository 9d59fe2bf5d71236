"""Sectors a firm's text belongs to: the parts of an iron and steel works, and the
treaters of hazardous waste (symbiosis.catalogue.sectors)."""

from __future__ import annotations

import pytest

from symbiosis.catalogue import default_catalogue
from symbiosis.catalogue.sectors import (
    default_sectors,
    hazardous_waste_texts,
    treats_hazardous_waste,
)

SECTORS = default_sectors()
PARTS = {"ironmaking", "steelmaking", "steel rolling"}


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        ("steel rolling", {"steel rolling"}),
        ("hot and cold rolling mill", {"steel rolling"}),
        ("sintering", {"ironmaking"}),
        ("ironmaking", {"ironmaking"}),
        ("blast furnace", {"ironmaking"}),
        ("steelmaking", {"steelmaking"}),
        ("electric arc furnace", {"steelmaking"}),
        ("轧钢", {"steel rolling"}),
        ("炼铁", {"ironmaking"}),
        # a works named as a whole (or "steel" alone) may be any of its plants
        ("iron and steel", PARTS),
        ("integrated steel works", PARTS),
        ("steel mill", PARTS),
        ("钢铁厂", PARTS),
        ("aluminium rolling mill", set()),
    ],
)
def test_a_steel_works_plants_are_sectors_of_their_own(text, parts):
    """Jingtang's rolling mill ("steel rolling") was an iron and steel firm, so BOF slag
    went to it as "flux recycled to sinter plant and blast furnace"; its sinter plant
    ("sintering") and blast furnaces ("ironmaking") were in no sector."""
    found = SECTORS.sectors_of(text)
    assert found & PARTS == parts
    assert ("iron and steel" in found) == bool(parts)  # the works' own rows: any plant


def test_sinter_feed_and_flux_go_to_ironmaking_scrap_to_steelmaking_slabs_to_rolling():
    rows = default_catalogue().pathways.set_index("id")["sector"]
    for pathway in ("steel-slag-sinter", "mill-scale-sinter", "bf-dust", "cinder-pellets"):
        assert rows[pathway] == "ironmaking", pathway
    for pathway in ("steel-scrap", "pig-iron-steel", "turnings-steel", "tyres-steel"):
        assert rows[pathway] == "steelmaking", pathway
    for pathway in ("slabs-rolling", "hcl-pickling"):
        assert rows[pathway] == "steel rolling", pathway


@pytest.mark.parametrize(
    ("text", "hazardous"),
    [
        ("hazardous waste incineration", True),
        ("Hazardous Waste Disposal Centre", True),
        ("危险废物处置", True),
        ("危废焚烧", True),
        ("non-hazardous waste landfill", False),
        ("非危险废物处置", False),
        ("waste-to-energy plant", False),
        ("municipal solid waste incineration", False),
        ("", False),
    ],
)
def test_treaters_of_hazardous_waste_are_known_by_their_sector(text, hazardous):
    assert treats_hazardous_waste(SECTORS, text) is hazardous
    assert hazardous_waste_texts(SECTORS, ["x", text, None]) == [False, hazardous, False]


def test_a_hazardous_waste_incinerator_is_still_an_incinerator():
    assert {"waste incineration", "hazardous waste treatment"} <= SECTORS.sectors_of(
        "hazardous waste incineration"
    )


@pytest.mark.parametrize(
    ("text", "sectors"),
    [
        ("sulfuric acid", {"sulfuric acid"}),
        ("sulphuric acid plant", {"sulfuric acid"}),
        ("硫酸厂", {"sulfuric acid"}),
        ("chemicals (sulfuric acid)", {"chemical", "sulfuric acid"}),
        ("vanadium chemicals", {"metal recovery"}),
        ("fine chemicals", {"chemical"}),
        # what follows "from" is the feedstock, not the plant (unless a term holds it)
        ("titanium tetrachloride from blast furnace slag", {"titanium"}),
        ("cement from slag", {"cement"}),
        ("energy from waste", {"waste incineration"}),
    ],
)
def test_an_acid_plant_a_vanadium_plant_and_a_feedstock_are_no_chemical_plant(text, sectors):
    """Panzhihua (tester-cities item 4): "sulfuric acid" and "vanadium chemicals" were
    chemical plants, so coal tar and crude benzol (tar distillation, BTX) and 500 kt of
    CO2 (co2-chemicals) went to them; a TiCl4 plant "from blast furnace slag" was an
    ironmaking and iron and steel firm."""
    assert SECTORS.sectors_of(text) == sectors


def test_the_acid_rows_go_to_acid_plants():
    rows = default_catalogue().pathways.set_index("id")["sector"]
    for pathway in ("so2-acid", "sulfur-acid", "offgas-acid", "pyrite-acid", "copperas-acid",
                    "spent-h2so4-regen"):  # fmt: skip
        assert rows[pathway] == "sulfuric acid", pathway
    for pathway in ("coal-tar-distillation", "crude-benzol", "co2-chemicals"):
        assert rows[pathway] == "chemical", pathway
