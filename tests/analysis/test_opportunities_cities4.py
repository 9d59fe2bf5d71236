"""Receivers that run no process for what they are proposed, found by a tester on a phosphate
city (Kaiyang) and on Baotou (tester-cities4 defects 3, 4, 8 and 10). Networks trimmed from
the tester's, names and sectors as written there."""

from __future__ import annotations

import pandas as pd

from symbiosis import from_frames
from symbiosis.analysis.opportunities import count_opportunities, find_opportunities
from symbiosis.catalogue.sectors import default_sectors

COLUMNS = ["source", "target", "material", "quantity", "unit", "category"]
ALL_FATES = ("disposed", "emitted", "sold", "treated")


def _table(firms: list[tuple], flows: list[tuple], **options) -> pd.DataFrame:
    network = from_frames(pd.DataFrame(firms, columns=["id", "sector", "role"]),
                          pd.DataFrame(flows, columns=COLUMNS))  # fmt: skip
    result = find_opportunities(network, top=0, impact=False, **options)
    if not options:
        assert len(result.table) == count_opportunities(network)  # the same candidates
    return result.table


def _rows(table: pd.DataFrame, source: str, material: str) -> pd.DataFrame:
    return table[(table["source"] == source) & (table["material"] == material)]


def _pairs(table: pd.DataFrame) -> set[tuple[str, str, str]]:
    return set(zip(table["source"], table["material"], table["target"], strict=True))


# ------------------------------------------------------------- defect 8: words of a sector


def test_a_material_a_sector_term_qualifies_makes_no_plant_and_specific_terms_narrow():
    """Baotou: a slag grinding mill was classed ironmaking ("blast furnace"), the steel slag
    line a steel works ("steel"), and a chemical plant of chlor-alkali and sulfuric acid
    took everything filed under "chemicals"."""
    vocabulary = default_sectors()
    assert vocabulary.memberships("slag grinding; ground granulated blast furnace slag") == {}
    assert vocabulary.memberships("steel slag processing; slag recycling") == {}
    chemicals = vocabulary.memberships("chemicals; chlor-alkali; sulfuric acid")
    assert chemicals["sulfuric acid"] is None
    assert chemicals["chemical"] == vocabulary.memberships("chlor-alkali")["chemical"]
    assert vocabulary.memberships("chemicals; sulfuric acid")["chemical"] == frozenset()
    # unchanged: a term before its plant's noun, a generic term alone or beside another
    # sector's, a feedstock after "from"
    assert vocabulary.memberships("blast furnace slag cement") == {"cement": None}
    assert vocabulary.memberships("coke oven gas power plant") == {"power generation": None}
    assert vocabulary.memberships("chemicals and fertiliser manufacturer")["chemical"] is None
    assert vocabulary.memberships("chemical plant") == {"chemical": None}
    assert vocabulary.memberships("高炉渣微粉") == {}
    assert "ironmaking" in vocabulary.memberships("blast furnace")


def test_baotou_slag_lines_and_chemical_plant_take_only_what_they_process():
    firms = [("BF", "ironmaking", "firm"), ("BOF", "steelmaking", "firm"),
             ("ROLL", "steel rolling", "firm"), ("COKE", "coking", "firm"),
             ("SLAGP", "steel slag processing; slag recycling", "recycling"),
             ("GGBS", "slag grinding; ground granulated blast furnace slag", "firm"),
             ("CHEM", "chemicals; chlor-alkali; sulfuric acid", "firm"),
             ("PP", "power generation", "utility"), ("CITY", "sewage treatment", "treatment"),
             ("YARD", "", "disposal"), ("AIR", "", "environment"), ("MKT", "", "market"),
             ("RIVER", "", "environment")]  # fmt: skip
    flows = [("BF", "YARD", "blast furnace sludge", 100_000, "t", "waste"),
             ("BF", "GGBS", "granulated blast furnace slag", 2_600_000, "t", "by-product"),
             ("BF", "AIR", "blast furnace gas", 5_000_000, "GJ", "emission"),
             ("BOF", "SLAGP", "steel slag", 1_200_000, "t", "by-product"),
             ("SLAGP", "YARD", "steel slag tailings", 840_000, "t", "waste"),
             ("COKE", "MKT", "crude benzol", 70_000, "t", "by-product"),
             ("MKT", "CHEM", "salt", 500_000, "t", "product"),
             ("CITY", "RIVER", "treated effluent", 20, "Mm3", "waste")]  # fmt: skip
    table = _table(firms, flows)
    sludge = _rows(table, "BF", "blast furnace sludge")
    assert not sludge.empty and not set(sludge["target"]) & {"GGBS", "SLAGP"}
    tailings = _rows(table, "SLAGP", "steel slag tailings")
    assert "steel-slag-sinter" not in set(tailings[tailings["target"] == "GGBS"]["pathway"])
    assert "BF" in set(tailings[tailings["pathway"] == "steel-slag-sinter"]["target"])
    for material in ("crude benzol", "blast furnace gas"):
        source = "COKE" if material == "crude benzol" else "BF"
        assert "CHEM" not in set(_rows(table, source, material)["target"]), material
    assert "CHEM" in set(_rows(table, "CITY", "treated effluent")["target"])  # a utility
