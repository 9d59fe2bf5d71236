"""Role and category aliases in Korean, merged into the tables of
:mod:`symbiosis.vocabulary.aliases` as the Japanese ones are (:mod:`.east_asian`).

Korean words are listed as Korean reports and statistics write them (``기업``, ``공장``,
``매립장``, ``폐기물``, ``부산물``, ``지정폐기물``: the Waste Control Act's classes, the
national waste statistics), with no space inside and looked up as written. A designated
(hazardous) waste, ``지정폐기물``, marks the flow hazardous, as ``特別管理産業廃棄物`` does;
so does a landfill for it, ``지정폐기물매립장``.

A word is here only when it names one role (or one category); a word that could be two is
left out, and the user writes the English role instead:

- ``처리``, ``처분``, ``처리업체`` (waste handling: treatment or disposal), ``처리시설``
  alone is read as treatment, as ``処理施設`` is;
- ``센터`` (a centre: a recycling, treatment or distribution one), ``수도`` (the
  waterworks, or the capital), ``물`` (a water body, or the water supply);
- ``강`` (a river; in a compound, steel, 鋼), ``해`` (sea; year), one syllable with
  another meaning;
- ``온실가스`` (greenhouse gases) as a category: it names the material, which is an
  emission to the air but a by-product sold to a greenhouse or a gases plant;
- ``잔재물`` (residue: a waste, or a by-product of a process that sells it) is read as a
  waste, as ``residue`` is in English.
"""

from __future__ import annotations

__all__ = ["KOREAN_CATEGORY_ALIASES", "KOREAN_ROLE_ALIASES"]

KOREAN_ROLE_ALIASES: dict[str, tuple[str, ...]] = {
    "firm": (
        *("기업", "업체", "회사", "공장", "사업장", "제조업체", "제조업", "생산업체"),
        *("제철소", "제조공장", "생산공장", "농장", "항만"),
    ),
    "extraction": ("광산", "채석장", "광업소", "탄광"),
    "recycling": (
        *("재활용업체", "재활용", "재활용시설", "재활용센터", "재활용공장", "자원화시설"),
        *("퇴비화시설", "재생업체", "고물상"),
    ),
    "treatment": (
        *("하수처리장", "하수처리시설", "공공하수처리시설", "폐수처리장", "폐수처리시설"),
        *("폐수종말처리장", "소각장", "소각시설", "처리시설", "폐기물처리시설"),
        *("폐기물처리업체", "중간처리업체", "지정폐기물처리시설"),
    ),
    "utility": (
        *("발전소", "화력발전소", "열병합발전소", "발전회사", "지역난방", "열공급"),
        *("정수장", "전력회사"),
    ),
    "household": ("가정", "가구", "주민", "시민", "일반가정", "가계"),
    "distributor": ("배관망", "도매업체", "유통업체", "중개업체", "도매상", "중간상", "상사"),
    "market": ("시장", "수출", "수입", "판매", "출하", "국내시장", "해외시장"),
    "disposal": (
        *("매립장", "매립지", "매립", "최종처분장", "매립시설", "위생매립장"),
        *("지정폐기물매립장", "회처리장"),
    ),
    "environment": ("대기", "하천", "바다", "해역", "해양", "토양", "지하수", "환경", "호수"),
}

KOREAN_CATEGORY_ALIASES: dict[str, tuple[str, ...]] = {
    "product": ("제품", "주제품", "상품", "생산품"),
    "by-product": ("부산물", "부생물", "부생성물", "부생품"),
    "waste": (
        *("폐기물", "산업폐기물", "사업장폐기물", "사업장일반폐기물", "일반폐기물"),
        *("생활폐기물", "폐수", "잔재물", "지정폐기물"),
    ),
    "emission": ("배출", "배출물", "배기가스", "대기배출", "대기오염물질"),
}
