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


@pytest.mark.parametrize(
    ("name", "material"),
    [("锌渣", "zinc scrap"), ("铅渣", "lead and zinc slag"), ("锌冶炼渣", "lead and zinc slag"),
     ("铅锌渣", "lead and zinc slag"), ("炼锌渣", "lead and zinc slag"),
     ("火法炼锌渣", "lead and zinc slag"), ("浸锌渣", "zinc leach residue")],
)  # fmt: skip
def test_bare_zinc_dross_is_zinc_scrap_and_smelting_slags_stay_slags(name, material):
    """锌渣 alone is the galvanizer's dross, the main feed of China's secondary zinc (hot-dip
    galvanizing dross and ash, about 70 % of it in 2009, 95 % Zn: cnmn.com.cn 2010), which
    the lead and copper smelters' zinc drosses join in it: zinc scrap, to zinc recovery
    (taxa15; it was unread, the generic slag, and met the cement kiln's lead and zinc slag
    row by its synonym). A smelter's slag is named as one: 锌冶炼渣, 炼锌渣, 铅锌渣,
    铅渣; its leach residue 浸锌渣."""
    assert TAXONOMY.resolve(name).material == material
