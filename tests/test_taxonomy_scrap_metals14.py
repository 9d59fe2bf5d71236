"""Nickel, cobalt, lead and zinc scrap are materials of the taxonomy (taxa14, from
tester-resources12): "nickel scrap", "废镍", "lead scrap / 废铅" and "zinc dross/scrap"
were scrap of any metal or nothing, "zinc dross" aluminium scrap (by "dross"), 锌灰 a coal
ash; "铜粉" (copper powder) alone was unread."""

from __future__ import annotations

import pytest

from symbiosis.taxonomy import default_taxonomy

TAXONOMY = default_taxonomy()


@pytest.mark.parametrize(
    ("name", "material"),
    [
        ("nickel scrap", "nickel scrap"),
        ("废镍", "nickel scrap"),
        ("nickel alloy scrap", "nickel scrap"),
        ("nickel-rich metal powder", "nickel scrap"),  # a metal named before the head
        ("cobalt scrap", "cobalt scrap"),
        ("废钴", "cobalt scrap"),
        ("lead scrap", "lead scrap"),
        ("废铅", "lead scrap"),
        ("lead scrap / 废铅", "lead scrap"),  # two scripts about a slash
        ("废铅/lead scrap", "lead scrap"),
        ("lead dross", "lead scrap"),
        ("zinc scrap", "zinc scrap"),
        ("废锌", "zinc scrap"),
        ("zinc dross", "zinc scrap"),
        ("zinc dross/scrap", "zinc scrap"),  # a glued slash parts two words
        ("zinc ash", "zinc scrap"),
        ("锌灰", "zinc scrap"),
        ("铜粉", "copper scrap"),
        ("copper powder", "copper scrap"),
        ("铜屑", "copper scrap"),
    ],
)
def test_each_metal_names_its_scrap(name, material):
    assert TAXONOMY.resolve(name).material == material


@pytest.mark.parametrize(
    "name",
    ["cobalt-nickel scrap", "waste batteries and cobalt-nickel scrap (废电池)",
     "copper-nickel scrap"],
)  # fmt: skip
def test_two_metals_named_leave_mixed_scrap(name):
    """Two members named (one in the qualifier, one by the head) are scrap of two metals."""
    assert TAXONOMY.resolve(name).material == "scrap metal"


@pytest.mark.parametrize("material", ["nickel scrap", "cobalt scrap", "lead scrap", "zinc scrap"])
def test_a_metals_scrap_stands_for_no_other(material):
    assert TAXONOMY.family(material) == "scrap metal"
    assert not TAXONOMY.interchangeable(material)


@pytest.mark.parametrize(("name", "material"), [("锌渣", "slag"), ("铅渣", "lead and zinc slag")])
def test_slags_stay_slags(name, material):
    """锌渣 alone is a smelter's slag or a galvanizer's dross: unread as zinc scrap."""
    assert TAXONOMY.resolve(name).material == material
