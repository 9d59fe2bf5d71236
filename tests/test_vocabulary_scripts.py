"""Names in two scripts beyond Chinese (tester-parks10 defect 1): "한글 (English)",
"English (한글)", "日本語 (English)", "кириллица (English)" are split as "中文 (English)"
is, and what was a qualifier stays one; a Chinese name is split exactly as before."""

from __future__ import annotations

import doctest
import re

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from symbiosis.vocabulary import bilingual_parts, columns, materials, roles, scripts


@pytest.mark.parametrize(
    ("name", "parts"),
    [
        ("동 슬래그 (copper slag)", ("동 슬래그", "copper slag")),  # Hangul syllables
        ("copper slag (동 슬래그)", ("copper slag", "동 슬래그")),
        ("PVC 폐기물（waste PVC）", ("PVC 폐기물", "waste PVC")),  # full-width brackets
        ("스팀 (steam)", ("스팀", "steam")),
        ("ㅅㅌ (x)", ("ㅅㅌ", "x")),  # compatibility jamo
        ("スチーム (steam)", ("スチーム", "steam")),  # kana only
        ("ｽﾁｰﾑ (steam)", ("ｽﾁｰﾑ", "steam")),  # half-width katakana
        ("高炉スラグ (blast furnace slag)", ("高炉スラグ", "blast furnace slag")),
        ("𠀋 (x)", ("𠀋", "x")),  # a CJK extension B character
        ("\uf900 (x)", ("\uf900", "x")),  # a CJK compatibility ideograph
        ("шлак (slag)", ("шлак", "slag")),
        ("خبث (slag)", ("خبث", "slag")),
        ("σκωρία (slag)", ("σκωρία", "slag")),  # a Greek word
        ("동 슬래그 (铜渣)", ("동 슬래그", "铜渣")),  # two scripts other than Latin
    ],
)
def test_a_part_in_another_script_than_latin_is_split(name, parts):
    assert bilingual_parts(name) == parts


@pytest.mark.parametrize(
    "name",
    [
        "slag (wet)",
        "FGD gypsum (CaSO4)",
        "alumina (α)",  # a Greek letter of a Latin name is a symbol, not a word
        "γ-Al2O3 (gamma alumina)",
        "particles (μm)",
        "café (coffee)",
        "Ｆｅ (iron)",  # full-width Latin
        "スラグ（高炉）",  # Japanese writes kana and kanji together: a qualifier
        "高炉還元剤（廃プラスチック）",
        "슬래그 (고로)",
        "шлак (доменный)",
        "동 슬래그 (copper slag) wet",  # text after the bracket: no "A (B)"
    ],
)
def test_a_bracket_in_the_names_own_script_is_a_qualifier(name):
    assert bilingual_parts(name) is None


def test_scripts_of_a_name():
    from symbiosis.vocabulary import non_latin_scripts

    assert non_latin_scripts("高炉スラグ") == {"Han", "Kana"}
    assert non_latin_scripts("동 슬래그") == {"Hangul"}
    assert non_latin_scripts("PVC 폐기물") == {"Hangul"}
    assert non_latin_scripts("шлак") == {"Cyrillic"}
    assert non_latin_scripts("ℓ, µm, α-Fe2O3, 12 °C") == frozenset()
    # the examples of every part of the package (testmod reads a module's own functions)
    parts = [columns, materials, roles, scripts]
    results = [doctest.testmod(part) for part in parts]
    assert [r.failed for r in results] == [0] * len(parts)
    assert sum(r.attempted for r in results) >= 4


# The rule before tester-parks10: split when Chinese (U+3400-U+9FFF) is in one part only
_BEFORE = re.compile(r"[\u3400-\u9fff]")
_CHINESE_NAME = st.text(
    st.sampled_from([*"赤泥磷石膏铝渣氧化", *"red mud slag CaSO4 2019", "-", "·", "，"]),
    min_size=1,
    max_size=8,
)


@given(_CHINESE_NAME, _CHINESE_NAME, st.sampled_from([("(", ")"), ("（", "）")]))
@example("赤泥", "2019", ("(", ")"))  # a number is no script: split, as before
@example("α-alumina", "氧化铝", ("(", ")"))  # a Greek letter of a Latin name, as before
def test_a_chinese_name_is_split_as_before(a, b, brackets):
    name = f"{a} {brackets[0]}{b}{brackets[1]}"
    found = scripts._BILINGUAL.fullmatch(name)
    before = None
    if found is not None:
        x, y = found.group("a"), found.group("b")
        before = None if bool(_BEFORE.search(x)) == bool(_BEFORE.search(y)) else (x, y)
    assert bilingual_parts(name) == before
