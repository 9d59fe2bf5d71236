"""Korean and Japanese sector words in ``sectors.csv`` (tester-ports15 D1(a)): a firm of
sector ``시멘트`` was no cement works, so a new cement plant was proposed beside it and coal
ash was never offered to it; ``제선`` was no blast furnace."""

from __future__ import annotations

import pandas as pd
import pytest

from symbiosis import from_frames
from symbiosis.analysis.opportunities import find_opportunities
from symbiosis.catalogue.sectors import default_sectors


@pytest.mark.parametrize(
    ("text", "sectors"),
    [
        ("시멘트", {"cement"}), ("セメント", {"cement"}), ("시멘트공장", {"cement"}),
        ("제선", {"ironmaking", "iron and steel"}),
        ("제강", {"steelmaking", "iron and steel"}),
        ("부생가스 발전", {"power generation"}), ("発電所", {"power generation"}),
        ("풍력발전", set()),  # wind power: no fuel, no flue gas (not_after)
        ("화학비료", {"fertilizer"}), ("제지", {"paper"}), ("製紙", {"paper"}),
        ("코크스 제조", {"coking"}),
        ("고로슬래그 가공", set()),  # a slag line, not a blast furnace
    ],
)  # fmt: skip
def test_korean_and_japanese_sector_words(text, sectors):
    assert default_sectors().sectors_of(text) == sectors


def _receivers(cement: str, ironmaking: str, power: str) -> list[tuple[str, str, str]]:
    firms = pd.DataFrame(
        [("BF", ironmaking, "firm"), ("CEM", cement, "firm"), ("PWR", power, "firm"),
         ("LF", "", "landfill"), ("MKT", "", "market")],
        columns=["id", "sector", "role"],
    )  # fmt: skip
    flows = pd.DataFrame(
        [("BF", "LF", "blast furnace slag", 100_000, "t", "waste"),
         ("PWR", "LF", "coal fly ash", 50_000, "t", "waste"),
         ("CEM", "MKT", "cement", 1_000_000, "t", "product"),
         ("BF", "MKT", "pig iron", 1_000_000, "t", "product")],
        columns=["source", "target", "material", "quantity", "unit", "category"],
    )  # fmt: skip
    table = find_opportunities(from_frames(firms, flows), top=0, impact=False).table
    found = zip(table["kind"], table["material"], table["target"], table["pathway"], strict=True)
    return sorted(
        (kind, material, str(target), pathway) for kind, material, target, pathway in found
    )


def test_korean_sectors_meet_the_receivers_english_ones_do():
    english = _receivers("cement", "ironmaking", "power generation")
    assert {(k, m, t) for k, m, t, _ in english} >= {
        ("new_link", "coal fly ash", "CEM"), ("new_link", "blast furnace slag", "CEM")
    }  # fmt: skip
    assert _receivers("시멘트", "제선", "화력발전") == english
    assert _receivers("セメント", "製銑", "火力発電") == english
