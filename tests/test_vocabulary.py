"""vocabulary's whitespace collapsing, against the regular expression it replaces."""

import re
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from symbiosis.vocabulary import canonical_category, canonical_role, material_key
from symbiosis.vocabulary.text import _collapsed

_SPACES = [chr(i) for i in range(sys.maxunicode + 1) if chr(i).isspace()]


def test_split_and_the_expression_agree_on_what_is_whitespace():
    """Every code point: ``\\s`` matches it exactly when ``str.split`` splits on it."""
    pattern = re.compile(r"\s")
    assert [
        i for i in range(sys.maxunicode + 1) if bool(pattern.fullmatch(chr(i))) != chr(i).isspace()
    ] == []


@settings(max_examples=500, deadline=None)
@given(
    st.text(alphabet=st.one_of(st.sampled_from([*_SPACES, "a", "-", "_", "é"]), st.characters()))
)
def test_collapsed_is_the_expression(text):
    assert _collapsed(text) == re.sub(r"\s+", " ", text).strip()


def test_material_key_collapses_the_spaces_its_replacements_make():
    assert material_key("copper - slag") == material_key("copper slag")


@pytest.mark.parametrize(
    ("word", "role"),
    [
        ("企业", "firm"),
        ("工厂", "firm"),
        ("矿山", "extraction"),
        ("再生资源", "recycling"),
        ("污水处理厂", "treatment"),
        ("热电厂", "utility"),
        ("居民", "household"),
        ("市场", "market"),
        ("填埋场", "disposal"),
        ("尾矿库", "disposal"),
        ("大气", "environment"),
    ],
)
def test_roles_in_chinese(word, role):
    """Chinese registers and park surveys name roles in Chinese (Tongling's own data)."""
    assert canonical_role(word) == role
    assert canonical_role(f" {word} ") == role


@pytest.mark.parametrize(
    ("word", "category"),
    [
        ("产品", "product"),
        ("副产品", "by-product"),
        ("副产物", "by-product"),
        ("废物", "waste"),
        ("固体废物", "waste"),
        ("固废", "waste"),
        ("排放", "emission"),
    ],
)
def test_categories_in_chinese(word, category):
    assert canonical_category(word) == category


@pytest.mark.parametrize(
    ("word", "role"),
    [
        ("Facility", "firm"),  # E-PRTR's and TRI's reporting unit
        ("installation", "firm"),
        ("Recycling plant", "recycling"),
        ("MRF", "recycling"),
        ("Sewage treatment plant", "treatment"),
        ("waste-to-energy plant", "treatment"),
        ("Residents", "household"),
        ("Sales", "market"),
        ("Landfill site", "disposal"),
        ("tailings storage facility", "disposal"),
        ("Ash pond", "disposal"),
        ("Groundwater", "environment"),
        ("垃圾焚烧厂", "treatment"),
        ("灰场", "disposal"),
        ("CHP", "utility"),
        ("Combined heat and power", "utility"),
        ("district heating", "utility"),
        ("Heat plant", "utility"),
        ("Waterworks", "utility"),
        ("sewage works", "treatment"),
        ("Waste water treatment plant", "treatment"),
        ("CETP", "treatment"),  # India's common effluent treatment plants
        ("污水厂", "treatment"),
        ("Farm", "firm"),
        ("Port", "firm"),
        ("农场", "firm"),
        # composting and digestion recover the waste as a product (EU code R3), not treatment
        ("Composting", "recycling"),
        ("anaerobic digestion", "recycling"),
        ("堆肥厂", "recycling"),
    ],
)
def test_roles_as_registers_and_park_surveys_write_them(word, role):
    assert canonical_role(word) == role


@pytest.mark.parametrize(
    ("word", "category"),
    [
        ("Hazardous waste", "waste"),
        ("non-hazardous waste", "waste"),
        ("Solid Waste", "waste"),
        ("wastewater", "waste"),
        ("危险废物", "waste"),
        ("一般工业固体废物", "waste"),
        ("Air emissions", "emission"),
        ("air pollutants", "emission"),
        ("废气", "emission"),
    ],
)
def test_categories_as_registers_write_them(word, category):
    assert canonical_category(word) == category


def test_no_word_names_two_roles_or_two_categories():
    from symbiosis.vocabulary.aliases import CATEGORY_ALIASES, ROLE_ALIASES
    from symbiosis.vocabulary.text import _spaced

    for aliases in (ROLE_ALIASES, CATEGORY_ALIASES):
        words = [w for canonical, names in aliases.items() for w in (canonical, *names)]
        spaced = [_spaced(w) for w in words]
        assert len(spaced) == len(set(spaced)), sorted(w for w in spaced if spaced.count(w) > 1)
