"""Korean roles, categories, flow headers and totals rows (tester-ports15 D2, remarks 1-3):
a Korean table had every one of them refused, where the Japanese is read."""

from __future__ import annotations

from pathlib import Path

import pytest

from symbiosis import load
from symbiosis.errors import InputError
from symbiosis.units import UnknownUnitError, parse_unit
from symbiosis.vocabulary import (
    canonical_category,
    canonical_role,
    category_words,
    close_words,
    hazardous_category,
    hazardous_role,
)
from symbiosis.vocabulary.headers import headers_of


@pytest.mark.parametrize(
    ("word", "role"),
    [
        ("기업", "firm"), ("업체", "firm"), ("회사", "firm"), ("공장", "firm"),
        ("매립장", "disposal"), ("소각장", "treatment"), ("하수처리장", "treatment"),
        ("대기", "environment"), ("하천", "environment"), ("바다", "environment"),
        ("해역", "environment"), ("시장", "market"), ("발전소", "utility"),
        ("재활용업체", "recycling"), ("광산", "extraction"), ("배관망", "distributor"),
        ("海", "environment"),  # remark 1: as 海洋, 海域
    ],
)  # fmt: skip
def test_roles(word, role):
    assert canonical_role(word) == role


@pytest.mark.parametrize("word", ["처리", "처분", "센터", "강", "물"])
def test_words_of_two_roles_are_left_out(word):
    assert canonical_role(word) is None


@pytest.mark.parametrize(
    ("word", "category"),
    [
        ("부산물", "by-product"), ("폐기물", "waste"), ("지정폐기물", "waste"),
        ("제품", "product"), ("배출", "emission"), ("배출물", "emission"), ("폐수", "waste"),
        ("온실가스", None),
    ],
)  # fmt: skip
def test_categories(word, category):
    assert canonical_category(word) == category


def test_designated_waste_is_hazardous():
    assert hazardous_category("지정폐기물") and not hazardous_category("폐기물")
    assert hazardous_role("지정폐기물매립장") and not hazardous_role("매립장")
    assert canonical_role("지정폐기물매립장") == "disposal"


def test_headers():
    flows = headers_of("flows", "Korean")
    assert (flows["출발"], flows["도착"], flows["구분"]) == ("source", "target", "category")


FIRMS = (
    "id,name,sector,role\n"
    "BF,제선공장,제선,공장\nCEM,시멘트,시멘트,기업\nLF,매립장,,매립장\nMKT,시장,,시장\n"
    "AIR,대기,,대기\n"
)
FLOWS = (
    "출발,도착,물질,수량,단위,구분,연도\n"
    "BF,CEM,고로슬래그,300,천톤,부산물,2015\n"
    "BF,LF,슬러지,5,천톤,지정폐기물,2015\n"
    "BF,MKT,용선,1500,만톤,제품,2015\n"
    "BF,AIR,이산화탄소,20,톤/시,배출,2015\n"
    "합계,,,1505,,,\n"
)


def test_a_korean_network_reads(tmp_path: Path):
    (tmp_path / "firms.csv").write_text(FIRMS, encoding="utf-8")
    (tmp_path / "flows.csv").write_text(FLOWS, encoding="utf-8")
    with pytest.raises(InputError) as error:
        load(tmp_path)
    # the totals row is the one problem left, said as one
    (problem,) = error.value.problems
    assert "totals row" in str(problem) and problem.row == 6
    (tmp_path / "flows.csv").write_text(FLOWS.replace("합계,,,1505,,,\n", ""), encoding="utf-8")
    network = load(tmp_path)
    roles = network.firms["role"].to_dict()
    assert roles == {
        "BF": "firm", "CEM": "firm", "LF": "disposal", "MKT": "market", "AIR": "environment"
    }  # fmt: skip
    assert network.flows["category"].tolist() == ["by-product", "waste", "product", "emission"]


@pytest.mark.parametrize("cell", ["합계", "총계", "소계"])
def test_korean_totals_row(cell):
    from symbiosis.io.stray_rows import looks_like_totals

    assert looks_like_totals(cell)


def test_a_homophone_slip_is_guessed_before_a_dropped_character():
    """付产品 (a pinyin slip for 副产品, by-product) was guessed as 产品 (product)."""
    assert close_words("付产品", list(category_words())) == ["副产品"]


def test_tonnes_per_hour_and_mmt():
    assert parse_unit("톤/시").factor == parse_unit("톤/시간").factor
    with pytest.raises(UnknownUnitError, match="write Mt"):
        parse_unit("MMT")
