"""The taxonomy's Japanese and Korean names (tester-parks10 defect 6): columns
``names_ja`` and ``names_ko`` of the shipped file and of a user's, read as the Chinese names
are (whole with spaces removed, or contained), one index for the three."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

import symbiosis.taxonomy
from symbiosis import InputError
from symbiosis.taxonomy import COLUMNS, default_taxonomy, load_taxonomy, parse_taxonomy

SHIPPED = [
    ("高炉スラグ", "blast furnace slag"),
    ("高炉水砕スラグ", "blast furnace slag"),
    ("製鋼スラグ", "steel slag"),
    ("下水汚泥", "sewage sludge"),
    ("製紙スラッジ", "paper sludge"),
    ("難再生古紙", "waste paper"),
    ("鉄スクラップ", "steel scrap"),
    ("廃プラスチック", "plastic waste"),
    ("焼却灰", "mswi bottom ash"),
    ("飛灰", "mswi fly ash"),
    ("石炭灰", "fly ash"),
    ("排脱石膏", "fgd gypsum"),
    ("蒸気", "steam"),
    ("排熱", "waste heat"),
    ("고로 슬래그", "blast furnace slag"),
    ("고로슬래그", "blast furnace slag"),  # spaces or none
    ("동 슬래그", "copper slag"),
    ("소각재", "mswi bottom ash"),
    ("제지 슬러지", "paper sludge"),
    ("하수 오니", "sewage sludge"),
    ("폐지", "waste paper"),
    ("고철", "steel scrap"),
    ("탈황석고", "fgd gypsum"),
    ("스팀", "steam"),
    ("폐열", "waste heat"),
    ("부생수소", "hydrogen"),
]


def own_names():
    """The first name of each East Asian column per material in the shipped file, read
    with the csv module: the material's own name in that language."""
    own = {}
    path = Path(symbiosis.taxonomy.__file__).with_name("materials.csv")
    for row in csv.DictReader(path.open(encoding="utf-8")):
        for column in ("names_ja", "names_ko"):
            names = [n.strip() for n in row[column].split(";") if n.strip()]
            if names and (row["material"], column) not in own.values():
                own.setdefault(names[0].replace(" ", ""), (row["material"], column))
    return {name: material for name, (material, _) in own.items()}


@pytest.mark.parametrize(("name", "material"), SHIPPED)
def test_japanese_and_korean_names_are_their_materials(name, material):
    taxonomy = default_taxonomy()
    assert taxonomy.resolve(name).material == material
    # one row of reuse --by material with the material only by its own name in the
    # language (the first): the others may be kinds (高炉水砕スラグ, 부생수소), which keep
    # their rows as English synonyms do (tester15 D6)
    own = own_names().get(name.replace(" ", ""))
    assert taxonomy.listed(name) == own
    assert own is None or own == material


def test_a_users_file_has_japanese_and_korean_columns(tmp_path):
    assert {"names_ja", "names_ko"} <= set(COLUMNS)
    path = tmp_path / "mine.csv"
    path.write_text("family,material,names_ja,names_ko\nslag,ferronickel slag,"
                    "フェロニッケルスラグ,페로니켈 슬래그\n", encoding="utf-8")  # fmt: skip
    taxonomy = load_taxonomy(path)
    assert taxonomy.resolve("フェロニッケルスラグ").material == "ferronickel slag"
    assert taxonomy.resolve("페로니켈슬래그").material == "ferronickel slag"


def test_a_name_is_one_materials_in_any_of_the_three_columns():
    with pytest.raises(InputError) as caught:
        parse_taxonomy("family,material,names_zh,names_ja\nslag,steel slag,钢渣,製鋼スラグ\n"
                       "slag,slag,渣,製鋼 スラグ\n", "t.csv")  # fmt: skip
    assert [str(p) for p in caught.value.problems] == [
        "t.csv:3: names_ja: '製鋼 スラグ' already names 'steel slag' (row 2); give each name "
        "to one material"
    ]
