"""Roles and categories in Japanese and in traditional Chinese
(:mod:`symbiosis.vocabulary.east_asian`): a tester's Kawasaki tables had every one refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from symbiosis import load
from symbiosis.vocabulary import (
    canonical_category,
    canonical_role,
    hazardous_category,
    hazardous_role,
)
from symbiosis.vocabulary.aliases import _CATEGORY_ALIASES, _ROLE_ALIASES


@pytest.mark.parametrize(
    ("word", "role"),
    [
        ("企業", "firm"), ("工場", "firm"), ("鉱山", "extraction"), ("リサイクル施設", "recycling"),
        ("清掃工場", "treatment"), ("下水処理場", "treatment"), ("発電所", "utility"),
        ("市民", "household"), ("市場", "market"), ("埋立地", "disposal"),
        ("最終処分場", "disposal"), ("大気", "environment"),
        # traditional Chinese
        ("發電廠", "utility"), ("焚燒廠", "treatment"), ("礦山", "extraction"),
        ("危險廢物填埋場", "disposal"), ("經銷商", "distributor"),
    ],
)  # fmt: skip
def test_roles(word, role):
    assert canonical_role(word) == role


@pytest.mark.parametrize(
    ("word", "category"),
    [
        ("製品", "product"), ("副産物", "by-product"), ("廃棄物", "waste"),
        ("産業廃棄物", "waste"), ("排ガス", "emission"),
        ("產品", "product"), ("副產品", "by-product"), ("廢棄物", "waste"), ("廢水", "waste"),
        ("固體廢物", "waste"), ("廢氣", "emission"), ("废渣", "waste"), ("廢渣", "waste"),
    ],
)  # fmt: skip
def test_categories(word, category):
    assert canonical_category(word) == category


def test_hazardous():
    for word in ("特別管理産業廃棄物", "危險廢物", "危廢"):
        assert hazardous_category(word), word
        assert canonical_category(word) == "waste"
    assert hazardous_role("危險廢物填埋場")
    assert not hazardous_category("產業廢棄物") and not hazardous_category("廃棄物")


def _traditional(words):
    """The Chinese words of an alias table written in traditional characters (OpenCC's
    s2t, a conversion of its own), those that differ."""
    from opencc import OpenCC

    s2t = OpenCC("s2t")
    return [(s2t.convert(w), w) for w in words if not w.isascii() and s2t.convert(w) != w]


def test_every_chinese_alias_reads_in_traditional_characters():
    """Read by OpenCC now, not a hand-made map of 44 characters: 處理廠 was read, 汙水處理廠
    (Taiwan's 汙) and 發電廠 too, but 焚化爐 or 自來水廠 by luck only."""
    roles = _traditional(w for words in _ROLE_ALIASES.values() for w in words)
    categories = _traditional(w for words in _CATEGORY_ALIASES.values() for w in words)
    assert len(roles) > 60 and len(categories) > 15
    for written, word in roles:
        assert canonical_role(written) == canonical_role(word), (written, word)
        assert hazardous_role(written) == hazardous_role(word), written
    for written, word in categories:
        assert canonical_category(written) == canonical_category(word), (written, word)
        assert hazardous_category(written) == hazardous_category(word), written


@pytest.mark.parametrize(
    ("word", "role"),
    [("汙水處理廠", "treatment"), ("自來水廠", "utility"), ("熱電廠", "utility"),
     ("資源回收廠", None), ("垃圾焚化廠", None), ("掩埋場", None)],
)  # fmt: skip
def test_taiwanese_words(word, role):
    """Taiwan's 汙 (污) is read; words of Taiwan's own (焚化廠 for 焚烧厂, 掩埋場 for
    填埋场) are other words, not other characters, and stay unknown."""
    assert canonical_role(word) == role


FIRMS = (
    "id,name,role\nJFE,JFEスチール,企業\nDC,セメント,工場\nUME,浮島埋立地,埋立地\nMKT,市場,市場\n"
)
FLOWS = (
    "source,target,material,quantity,unit,category\n"
    "JFE,DC,高炉スラグ,600,千トン,副産物\n"
    "JFE,UME,製鋼スラグ,5,万トン,廃棄物\n"
    "JFE,MKT,鉄鋼製品,350,万t,製品\n"
)


def test_a_japanese_network_reads(tmp_path: Path):
    (tmp_path / "firms.csv").write_text(FIRMS, encoding="utf-8")
    (tmp_path / "flows.csv").write_text(FLOWS, encoding="utf-8")
    network = load(tmp_path)
    roles = network.firms["role"].to_dict()
    assert roles == {"JFE": "firm", "DC": "firm", "UME": "disposal", "MKT": "market"}
    assert network.flows["category"].tolist() == ["by-product", "waste", "product"]
