"""Scrap of a named metal is that metal's scrap (tester-resources12 defect 5): a
printed-circuit-board line's "copper-rich metal powder" was scrap of any metal (by the
word "metal"), and went to a battery recycler taking "cobalt-nickel scrap" as a related
material. The generic scrap metal is marked apart (its kinds are no substitutes for each
other), and a metal named before its head names the member."""

from __future__ import annotations

import pytest

from symbiosis.taxonomy import default_taxonomy, parse_taxonomy

TAXONOMY = default_taxonomy()


@pytest.mark.parametrize(
    ("name", "material"),
    [
        ("copper-rich metal powder", "copper scrap"),
        ("copper-rich metal powder (铜粉)", "copper scrap"),
        ("aluminium-bearing metal fines", "aluminium scrap"),
        ("iron-rich metal chips", "steel scrap"),
        ("copper bearing metal scrap", "copper scrap"),
        ("scrap metal (copper)", "copper scrap"),
        ("metal scrap (copper-rich, from PCB lines)", "copper scrap"),
    ],
)
def test_a_metal_named_before_the_head_names_its_scrap(name, material):
    assert TAXONOMY.resolve(name).material == material


@pytest.mark.parametrize(
    "name",
    [
        "non-ferrous metal scrap",  # denied: not steel scrap
        "copper-free metal powder",
        "copper and aluminium radiator scrap",  # two metals: mixed scrap, for sorting
        "scrap metal from copper smelting",  # a clause names an origin
        "metal powder",
        "press scrap",
        "cobalt-nickel scrap",  # two metals named: for a dealer or a refiner to sort
    ],
)
def test_scrap_of_no_one_named_metal_stays_generic(name):
    assert TAXONOMY.resolve(name).material == "scrap metal"


def test_the_generic_scrap_metal_is_marked_apart():
    """Two scraps of unknown metal are not one input: a metal's scrap goes to that
    metal's smelter or mill."""
    assert not TAXONOMY.interchangeable("scrap metal")


_FILE = (
    "family,material,synonyms,interchangeable\n"
    "metal scrap,metal scrap,scrap,{flag}\n"
    "metal scrap,zinc scrap,scrap zinc,no\n"
    "metal scrap,tin scrap,,no\n"
)


def test_the_rule_reads_the_generic_flag_not_a_list_of_metals():
    """Any family whose generic material is marked apart: zinc names zinc scrap by "zinc"
    and "scrap" in a user's taxonomy; with the generic interchangeable, the name stays
    the generic (its kinds stand for each other, no word need say which)."""
    apart = parse_taxonomy(_FILE.format(flag="no"), "t.csv")
    found = apart.resolve("zinc-rich scrap")
    assert (found.material, found.rule, found.score) == ("zinc scrap", "qualifier kind", 0.8)
    assert apart.resolve("zinc and tin bearing metal scrap").material == "metal scrap"
    assert apart.resolve("tin-free scrap").material == "metal scrap"
    plain = parse_taxonomy(_FILE.format(flag="yes"), "t.csv")
    assert plain.resolve("zinc-rich scrap").material == "metal scrap"
