"""Korean and Japanese park data (tester-parks10): names written "한글 (English)" or
"日本語 (English)" meet the rows of either part (defect 1: Ulsan's Korean-first network got
no opportunity at all), the common residues written in Japanese or Korean alone meet the
rows of their English names (defect 6: Kawasaki's 高炉スラグ, 下水汚泥, 鉄スクラップ met
nothing), and a residue named in such a script that meets nothing is said once, with what
to do."""

from __future__ import annotations

import pandas as pd
import pytest

from symbiosis import edits as ed
from symbiosis import from_frames
from symbiosis.analysis.opportunities import count_opportunities, find_opportunities
from symbiosis.analysis.reuse import reuse_accounts
from symbiosis.taxonomy import default_taxonomy

COLUMNS = ["source", "target", "material", "quantity", "unit", "category"]
OUTSIDE = [("MKT", "", "market"), ("LF", "", "landfill")]
FIRMS = [("SM", "copper smelting", "firm"), ("CEM", "cement", "firm"),
         ("JFE", "iron and steel", "firm"), ("WWTP", "sewage treatment", "treatment")]  # fmt: skip
INPUTS = [("MKT", "CEM", "coal", 300, "kt", "product"),
          ("MKT", "WWTP", "wastewater", 10, "Mm3", "waste"),
          ("MKT", "JFE", "iron ore", 5, "Mt", "product"),
          ("MKT", "SM", "copper concentrate", 1, "Mt", "product")]  # fmt: skip


def _network(flows: list[tuple]) -> object:
    firms = pd.DataFrame(FIRMS + OUTSIDE, columns=["id", "sector", "role"])
    return from_frames(firms, pd.DataFrame(INPUTS + flows, columns=COLUMNS))


def _pathways(source: str, material: str) -> set[str]:
    network = _network([(source, "LF", material, 100, "kt", "waste")])
    result = find_opportunities(network, top=0, impact=False)
    assert len(result.table) == count_opportunities(network)
    return set(result.table["pathway"].dropna())


@pytest.mark.parametrize(
    "name",
    ["동 슬래그 (copper slag)", "copper slag (동 슬래그)", "銅スラグ (copper slag)", "동 슬래그"],
)
def test_a_korean_or_japanese_name_meets_the_rows_of_its_english_one(name):
    """The tester's minimal case: a smelter's 동 슬래그 (copper slag) to landfill, a cement
    works beside it: 0 rows, where "copper slag (동 슬래그)" and 铜渣 (copper slag) had 4-6."""
    plain = _pathways("SM", "copper slag")
    assert "copper-slag-cement" in plain
    assert _pathways("SM", name) == plain


@pytest.mark.parametrize(
    ("source", "written", "english"),
    [
        ("JFE", "高炉スラグ", "blast furnace slag"),
        ("JFE", "고로 슬래그", "blast furnace slag"),
        ("SM", "鉄スクラップ", "steel scrap"),
        ("SM", "고철", "steel scrap"),
        ("WWTP", "下水汚泥", "sewage sludge"),
        ("WWTP", "하수 슬러지", "sewage sludge"),
        ("SM", "焼却灰", "incineration ash"),
        ("SM", "소각재", "incineration ash"),
        ("SM", "ガス化スラグ", "gasification slag"),
    ],
)
def test_a_residue_named_in_japanese_or_korean_alone_meets_its_rows(source, written, english):
    """Through the taxonomy (its Japanese and Korean names), as an English synonym that no
    row lists is: every row of the English name, and the family's rows a taxonomy match
    meets too (rule ``taxonomy (family)``: 下水汚泥 the generic sludge rows)."""
    english_rows = _pathways(source, english)
    assert english_rows and english_rows <= _pathways(source, written)


def test_kana_and_hangul_names_are_read_by_the_taxonomy():
    taxonomy = default_taxonomy()
    assert taxonomy.resolve("スチーム").material == "steam"
    assert taxonomy.resolve("잉여 스팀").material == "steam"
    assert taxonomy.resolve("難再生古紙").material == "waste paper"
    assert taxonomy.listed("동 슬래그") == "copper slag"
    # a used-up reagent in Japanese or Korean (廃, 폐) is the spent acid, as 废 in Chinese
    assert taxonomy.resolve("廃希硫酸").material == "spent sulfuric acid"
    assert taxonomy.resolve("황산 폐액").material == "spent sulfuric acid"
    assert taxonomy.resolve("황산").material == "sulfuric acid"


def test_names_in_two_scripts_are_one_row_of_reuse_by_material():
    network = _network([("SM", "CEM", "동 슬래그 (copper slag)", 30, "kt", "by-product"),
                        ("SM", "LF", "copper slag", 50, "kt", "waste"),
                        ("SM", "LF", "동 슬래그", 20, "kt", "waste")])  # fmt: skip
    table = reuse_accounts(network).by_material.set_index("material")
    row = table.loc["copper slag"]
    assert row["generated"] == 100_000 and row["reused"] == 30_000
    assert set(row["names"].split("; ")) == {"copper slag", "동 슬래그", "동 슬래그 (copper slag)"}


def test_an_edit_selects_the_flow_by_either_part_of_a_korean_name():
    network = _network([("SM", "CEM", "동 슬래그 (copper slag)", 30, "kt", "by-product")])
    for material in ("copper slag", "동 슬래그"):
        after = ed.apply(network, [ed.ScaleFlow("SM", "CEM", material, factor=0.5)])
        flows = after.flows
        selected = (flows["source"] == "SM") & (flows["target"] == "CEM")
        assert flows.loc[selected, "quantity"].tolist() == [15]  # in kt, as written


def test_residues_named_in_a_script_nothing_reads_are_said_once():
    network = _network([("SM", "LF", "使用済み家電", 5, "kt", "waste"),
                        ("SM", "LF", "납잔사", 5, "kt", "waste"),
                        ("SM", "LF", "шлам", 5, "kt", "waste"),
                        ("SM", "LF", "使用済み家電", 3, "kt", "by-product"),
                        ("SM", "LF", "高炉スラグ", 5, "kt", "waste"),  # known: not said
                        ("SM", "LF", "동 잔사 (copper cake)", 5, "kt", "waste"),  # has English
                        ("SM", "LF", "widget offcuts", 5, "kt", "waste"),  # English
                        ("SM", "MKT", "セメント", 5, "kt", "product")])  # fmt: skip
    notes = [w for w in find_opportunities(network, top=0).warnings if "English name" in w]
    assert notes == [
        "3 material(s) written in Japanese, Korean and Cyrillic with no English name matched "
        "no pathway of the catalogue and no material of the taxonomy ('шлам', '使用済み家電', "
        "'납잔사'); add the English name in brackets, e.g. '高炉スラグ (blast furnace slag)'"
    ]
    english = _network([("SM", "LF", "widget offcuts", 5, "kt", "waste"),
                        ("SM", "LF", "高炉スラグ", 5, "kt", "waste")])  # fmt: skip
    assert not [w for w in find_opportunities(english, top=0).warnings if "English name" in w]
