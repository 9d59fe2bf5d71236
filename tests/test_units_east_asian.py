"""Japanese and Korean units, read as their Chinese counterparts are (tester-parks10: 천m3
and 千m3, "thousand m3", were refused while 千吨 was read): the tonne (トン, 톤), the
numbers before a unit (千 and 천 a thousand, 万 萬 만 ten thousand, 億 억 a hundred million,
백만 a million), their times (トン/日, 톤/년) and the square unit characters (㎥, ㌧).
Factors written out by hand, as in tests/test_units.py."""

import pytest

from symbiosis.units import UnknownUnitError, parse_unit

YEAR_DAYS = 365.25
READ = [
    ("トン", "mass", 1.0),
    ("톤", "mass", 1.0),
    ("千トン", "mass", 1e3),
    ("千t", "mass", 1e3),
    ("천톤", "mass", 1e3),
    ("천 톤", "mass", 1e3),
    ("万トン", "mass", 1e4),
    ("萬t", "mass", 1e4),
    ("만톤", "mass", 1e4),
    ("백만톤", "mass", 1e6),
    ("億t", "mass", 1e8),
    ("千m3", "volume", 1e3),  # the tester's spellings
    ("천m3", "volume", 1e3),
    ("千 m3", "volume", 1e3),
    ("千Nm3", "volume", 1e3),
    ("만m3", "volume", 1e4),
    ("㎥", "volume", 1.0),  # one square character, as Korean and Japanese tables set it
    ("千㎥", "volume", 1e3),
    ("천㎥", "volume", 1e3),
    ("㎘", "volume", 1.0),
    ("㎏", "mass", 1e-3),
    ("㌧", "mass", 1.0),
    ("千kWh", "energy", 3.6),
    ("천kWh", "energy", 3.6),
    ("億kWh", "energy", 3.6e5),
    ("억kWh", "energy", 3.6e5),
    ("千GJ", "energy", 1e3),
    ("トン/年", "mass", 1.0),
    ("톤/년", "mass", 1.0),
    ("トン/日", "mass", YEAR_DAYS),
    ("톤/일", "mass", YEAR_DAYS),
    ("トン/時", "mass", YEAR_DAYS * 24),
    ("t/시간", "mass", YEAR_DAYS * 24),
    ("천톤/월", "mass", 12e3),
    ("m3/週", "volume", YEAR_DAYS / 7),
]


@pytest.mark.parametrize(("unit", "dimension", "factor"), READ)
def test_japanese_and_korean_units(unit, dimension, factor):
    info = parse_unit(unit)
    assert (info.dimension, info.factor) == (dimension, pytest.approx(factor, rel=1e-12))


@pytest.mark.parametrize(
    ("unit", "factor"), [("千吨", 1e3), ("千克", 1e-3), ("千立方米", 1e3), ("千方", 1e3)]
)
def test_the_chinese_thousands_are_read_as_before(unit, factor):
    assert parse_unit(unit).factor == pytest.approx(factor)


@pytest.mark.parametrize(
    ("unit", "message"),
    [
        ("千万t", "unknown unit"),  # ten million: never read as a thousand (nor before)
        ("천만톤", "unknown unit"),
        ("천연가스", "unknown unit"),  # natural gas is no unit
        ("千km3", "'km3' is ambiguous"),  # the refusals still apply after the number
        ("千tons", "'tons' is ambiguous"),
        ("㎦", "'km3' is ambiguous"),  # a square km3 is refused as km3 is
        ("t/㎡", "is per area"),
    ],
)
def test_what_stays_refused(unit, message):
    with pytest.raises(UnknownUnitError, match=message):
        parse_unit(unit)
