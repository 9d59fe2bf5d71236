"""Spent acids in the taxonomy (tester: "spent sulfuric acid reads as sulfuric acid"): a
used-up, waste or dilute acid is a material of its own, never the product acid its buyers
take; the product's own names and its regenerated acid stay the product."""

from __future__ import annotations

import pytest

from symbiosis.taxonomy import default_taxonomy, parse_taxonomy

TAXONOMY = default_taxonomy()


@pytest.mark.parametrize(
    ("name", "material"),
    [
        # named whole: they were synonyms of the product acid
        ("spent sulfuric acid", "spent sulfuric acid"),
        ("Waste sulphuric acid", "spent sulfuric acid"),
        ("spent acid", "spent sulfuric acid"),
        ("waste acid", "spent sulfuric acid"),
        ("dilute waste acid", "spent sulfuric acid"),
        ("spent alkylation acid", "spent sulfuric acid"),
        ("spent pickle liquor", "spent pickle liquor"),
        ("waste pickle liquor", "spent pickle liquor"),
        ("spent hydrochloric acid", "spent pickle liquor"),
        # words that say it is spent, before the acid, in brackets, or head first
        ("dilute sulfuric acid", "spent sulfuric acid"),
        ("weak sulphuric acid", "spent sulfuric acid"),
        ("TiO2 waste acid", "spent sulfuric acid"),
        ("waste acid from TiO2 production", "spent sulfuric acid"),
        ("sulfuric acid (spent, from alkylation)", "spent sulfuric acid"),
        ("H2SO4 (waste)", "spent sulfuric acid"),
        ("Acid, spent", "spent sulfuric acid"),
        ("waste hydrochloric acid", "spent pickle liquor"),
        ("spent HCl", "spent pickle liquor"),
        ("used pickling acid", "spent pickle liquor"),
    ],
)
def test_a_spent_or_waste_acid_in_english_is_no_product_acid(name, material):
    found = TAXONOMY.resolve(name)
    assert (found.material, found.family) == (material, "acid"), name
    assert not TAXONOMY.interchangeable(material)  # a buyer of the acid is no taker of it


@pytest.mark.parametrize(
    ("name", "material"),
    [
        ("废硫酸", "spent sulfuric acid"),
        ("废酸", "spent sulfuric acid"),
        ("稀酸", "spent sulfuric acid"),
        ("稀硫酸", "spent sulfuric acid"),
        ("污酸", "spent sulfuric acid"),  # a smelter acid plant's weak acid
        ("钛白废酸", "spent sulfuric acid"),
        ("硫酸废液", "spent sulfuric acid"),
        ("硫酸（废）", "spent sulfuric acid"),
        ("废盐酸", "spent pickle liquor"),
        ("酸洗废液", "spent pickle liquor"),
        ("盐酸废液", "spent pickle liquor"),
    ],
)
def test_a_spent_or_waste_acid_in_chinese_is_no_product_acid(name, material):
    assert TAXONOMY.resolve(name).material == material, name


@pytest.mark.parametrize(
    ("name", "material"),
    [
        ("sulfuric acid", "sulfuric acid"),
        ("H2SO4", "sulfuric acid"),
        ("硫酸", "sulfuric acid"),
        ("smelter sulfuric acid", "sulfuric acid"),
        ("by-product sulfuric acid", "sulfuric acid"),
        ("regenerated sulfuric acid", "sulfuric acid"),
        # a clause names where it comes from, not what it is
        ("sulfuric acid from spent acid regeneration", "sulfuric acid"),
        ("hydrochloric acid", "hydrochloric acid"),
        ("盐酸", "hydrochloric acid"),
        ("pickling acid", "hydrochloric acid"),  # the fresh acid a pickling line buys
        ("dilute fluosilicic acid", "fluorosilicic acid"),  # a family of its own
        ("spent acid sludge", "sludge"),  # an acid leaves no sludge of its own
    ],
)
def test_the_product_acids_keep_their_names(name, material):
    assert TAXONOMY.resolve(name).material == material, name


def test_a_spent_acid_the_taxonomy_has_no_material_for_is_not_guessed():
    """A "spent phosphoric acid" is no phosphoric acid (a phosphate plant's buyer would be
    offered it), and no other acid either: it resolves to none."""
    assert TAXONOMY.resolve("phosphoric acid").material == "phosphoric acid"
    for name in ("spent phosphoric acid", "waste phosphoric acid", "phosphoric acid (used)"):
        assert TAXONOMY.resolve(name) is None, name


def test_rows_are_filed_under_the_spent_acid_not_the_product():
    """Closely (score 0.9 and more, as catalogue rows are filed) the names hold too."""
    assert TAXONOMY.resolve_closely("waste sulfuric acid").material == "spent sulfuric acid"
    assert TAXONOMY.resolve_closely("sulfuric acid (spent)").material == "spent sulfuric acid"
    assert TAXONOMY.resolve_closely("废盐酸").material == "spent pickle liquor"
    assert TAXONOMY.resolve_closely("硫酸").material == "sulfuric acid"
    assert TAXONOMY.spent_of == {"sulfuric acid": "spent sulfuric acid",
                                 "hydrochloric acid": "spent pickle liquor"}  # fmt: skip


def test_a_users_taxonomy_names_its_own_spent_material():
    """The rule reads the rows: a family member named ``spent <material>`` is what that
    material is once used up; a spent material of another family is not ("spent biomass"
    is a fermentation sludge, and "waste straw" stays biomass)."""
    taxonomy = parse_taxonomy(
        "family,material,synonyms\nalkali,caustic soda,naoh\nalkali,spent caustic,"
        "spent caustic soda; waste caustic\nbiomass,straw,\nbiomass,biomass,\n"
        "sludge,fermentation sludge,spent biomass\n",
        "mine.csv",
    )
    assert taxonomy.resolve("dilute caustic soda").material == "spent caustic"
    assert taxonomy.resolve("caustic soda").material == "caustic soda"
    assert taxonomy.resolve("waste straw").material == "straw"
    assert taxonomy.spent_of == {"caustic soda": "spent caustic"}
