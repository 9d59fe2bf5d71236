"""`reuse --by material` merges names by one rule in every language (tester15 D6).

English `steel slag` and `EAF slag` stay two rows (docs/reuse.md: a synonym alone merges
nothing, the taxonomy lists kinds among a material's synonyms), but 钢渣 and 电炉渣,
제강슬래그 and 전기로 슬래그, 転炉スラグ and 電気炉スラグ merged into one row, labelled
with the member that sorts first: Pohang's 1.8 Mt of BOF slag showed as EAF slag. The
taxonomy's names_zh, names_ja and names_ko list kinds too; only the first of each (the
material's own name in the language) says which material a name is.
"""

import pandas as pd
import pytest

from symbiosis import from_frames
from symbiosis.analysis.reuse import reuse_accounts
from symbiosis.taxonomy import default_taxonomy, parse_taxonomy

COLUMNS = ["source", "target", "material", "quantity", "unit", "category"]


def by_material(*named):
    """The by-material table of streams ``(material, tonnes)``, each from its own maker
    to one aggregate plant."""
    rows = [(f"M{i}", "AGG", name, size, "t", "by-product") for i, (name, size) in enumerate(named)]
    table = reuse_accounts(from_frames(None, pd.DataFrame(rows, columns=COLUMNS))).by_material
    return {row.material: (row.names, row.generated) for row in table.itertuples()}


@pytest.mark.parametrize(
    ("bof", "eaf"),
    [
        ("steel slag", "EAF slag"),
        ("钢渣", "电炉渣"),
        ("제강슬래그", "전기로 슬래그"),
        ("製鋼スラグ", "電気炉スラグ"),
        ("転炉スラグ", "電気炉スラグ"),
    ],
)
def test_a_kind_of_steel_slag_keeps_its_row_in_every_language(bof, eaf):
    rows = by_material((bof, 1_800_000), (eaf, 350_000))
    assert rows == {bof: (bof, 1_800_000), eaf: (eaf, 350_000)}


def test_the_own_name_in_a_language_still_merges_with_the_material():
    """钢渣 is steel slag's own Chinese name: it and `steel slag (钢渣)` are one row, shown
    under the own name; 제강 슬래그 (spaces aside) is its own Korean name, and of two own
    names the larger shows."""
    rows = by_material(("钢渣", 35_000), ("steel slag (钢渣)", 180_000))
    assert rows == {"钢渣": ("钢渣; steel slag (钢渣)", 215_000)}
    rows = by_material(("제강슬래그", 100), ("steel slag", 50))
    assert rows == {"제강슬래그": ("제강슬래그; steel slag", 150)}


def test_a_merged_row_without_its_own_name_is_shown_under_its_largest_member():
    """Two names in two scripts, neither the own name: the row shows the larger (it showed
    the one that sorts first, `steel slag (钢渣)`, for 35 kt beside 1.8 Mt)."""
    rows = by_material(("steel slag (钢渣)", 35_000), ("钢渣 (steel slag)", 1_800_000))
    assert rows == {"钢渣 (steel slag)": ("钢渣 (steel slag); steel slag (钢渣)", 1_835_000)}


def test_the_own_names_are_the_first_of_each_language():
    taxonomy = default_taxonomy()
    assert taxonomy.listed("钢渣") == taxonomy.listed("제강 슬래그") == "steel slag"
    assert taxonomy.listed("製鋼スラグ") == "steel slag"
    for kind in ("电炉渣", "转炉渣", "전기로 슬래그", "電気炉スラグ"):
        assert taxonomy.listed(kind) is None
        assert taxonomy.resolve(kind).material == "steel slag"  # the opportunities still read it
    assert taxonomy.own_name("钢渣") and not taxonomy.own_name("steel slag (钢渣)")


def test_a_users_taxonomy_names_its_own_first():
    text = "family,material,names_zh\nslag,widget slag,甲渣; 乙渣\nslag,widget slag,丙渣\n"
    taxonomy = parse_taxonomy(text, "mine.csv")
    assert taxonomy.listed("甲渣") == "widget slag"
    assert taxonomy.listed("乙渣") is None and taxonomy.listed("丙渣") is None
    merged = default_taxonomy().merged(taxonomy)
    assert merged.listed("甲渣") == "widget slag" and merged.listed("钢渣") == "steel slag"
