"""Units tester14 found refused: the pulp industry's air-dry and bone-dry tonnes (ADt,
ADMT, BDt, ODt: 'unknown unit', where every Metsä, UPM and Stora report writes them),
tonnes of dry matter (t DS), traditional Chinese units (萬噸, 萬千瓦時; Taiwan's 公噸) and
full-width ones (千ｔ). Factors written out by hand, as in tests/test_units.py."""

from __future__ import annotations

import pytest

from symbiosis import load
from symbiosis.units import UnknownUnitError, parse_unit

YEAR_DAYS = 365.25


@pytest.mark.parametrize(
    ("unit", "factor"),
    [
        # an air-dry tonne is a tonne of pulp at 90 % dry matter: read as that tonne
        ("ADt", 1.0), ("ADT", 1.0), ("Adt", 1.0), ("ADMT", 1.0), ("kADt", 1e3),
        ("ADt/a", 1.0), ("ADt/yr", 1.0), ("ADt/d", YEAR_DAYS), ("ADMT/d", YEAR_DAYS),
        ("air-dry tonnes", 1.0), ("air dried tonne", 1.0), ("air dry metric ton", 1.0),
        # a bone- or oven-dry tonne is a tonne of dry matter: read as that tonne
        ("BDt", 1.0), ("ODt", 1.0), ("odt", 1.0), ("BDMT", 1.0), ("ODMT/d", YEAR_DAYS),
        ("bone dry tonnes", 1.0), ("oven-dry tonne", 1.0),
        ("ADST", 0.90718474),  # the US air-dried short ton is a short ton
        # a mass of dry matter, as sludge is weighed, is that mass (as t CO2 is)
        ("t DS", 1.0), ("tDS", 1.0), ("t DM", 1.0), ("kg DS", 1e-3), ("t TS", 1.0),
        ("kt DM", 1e3), ("t dry solids", 1.0), ("t DS/d", YEAR_DAYS),
    ],
)  # fmt: skip
def test_tonnes_on_a_stated_basis_are_those_tonnes(unit, factor):
    info = parse_unit(unit)
    assert (info.dimension, info.factor) == ("mass", pytest.approx(factor, rel=1e-12))


@pytest.mark.parametrize(
    ("unit", "words"),
    [
        ("air dry ton", "'ton' is ambiguous"),  # a US short ton or a tonne: still refused
        ("mADt", "unknown unit"),  # no milli-tonne of pulp
        ("t dm", "not a mass"),  # a tonne times a decimetre
    ],
)
def test_what_stays_refused(unit, words):
    with pytest.raises(UnknownUnitError, match=words):
        parse_unit(unit)


@pytest.mark.parametrize(
    ("unit", "dimension", "factor"),
    [
        ("萬噸", "mass", 1e4),  # the tester's
        ("万噸", "mass", 1e4),
        ("噸", "mass", 1.0),
        ("千噸", "mass", 1e3),
        ("百萬噸", "mass", 1e6),
        ("億噸", "mass", 1e8),
        ("公噸", "mass", 1.0),  # Taiwan's metric tonne
        ("公吨", "mass", 1.0),
        ("萬噸/年", "mass", 1e4),
        ("噸/日", "mass", YEAR_DAYS),
        ("噸/小時", "mass", YEAR_DAYS * 24),
        ("億立方米", "volume", 1e8),
        ("萬立方米/年", "volume", 1e4),
        ("立方公尺", "volume", 1.0),  # Taiwan's cubic metre
        ("公秉", "volume", 1.0),  # Taiwan's kilolitre
        ("萬標準立方米", "volume", 1e4),
        ("萬千瓦時", "energy", 36.0),
        ("億千瓦時", "energy", 3.6e5),
        ("千瓦時", "energy", 3.6e-3),
        ("兆瓦時", "energy", 3.6),
        ("萬噸標準煤", "energy", 29.3076e4),
        ("噸標煤", "energy", 29.3076),
    ],
)
def test_traditional_chinese_units_are_read_as_the_simplified(unit, dimension, factor):
    info = parse_unit(unit)
    assert (info.dimension, info.factor) == (dimension, pytest.approx(factor, rel=1e-12))


@pytest.mark.parametrize(
    ("unit", "dimension", "factor"),
    [("千ｔ", "mass", 1e3), ("ｔ", "mass", 1.0), ("ｋｔ", "mass", 1e3),
     ("ｋＷｈ", "energy", 3.6e-3), ("ｍ３／ｄ", "volume", YEAR_DAYS), ("万ｔ", "mass", 1e4)],
)  # fmt: skip
def test_full_width_units_are_read_as_ascii(unit, dimension, factor):
    info = parse_unit(unit)
    assert (info.dimension, info.factor) == (dimension, pytest.approx(factor, rel=1e-12))


def test_japanese_hours_are_read_as_before():
    """時 is read as 时 only in 瓦時 and 小時: Japanese units write 時 and 時間 themselves."""
    assert parse_unit("トン/時間").factor == pytest.approx(YEAR_DAYS * 24)
    assert parse_unit("トン/時").factor == pytest.approx(YEAR_DAYS * 24)


def test_a_pulp_mill_in_adt_loads(tmp_path):
    """The tester's Äänekoski network gives its pulp in ADt: read as tonnes, the same
    totals as in t."""
    (tmp_path / "firms.csv").write_text(
        "id,name,role\nMILL,Bioproduct mill,firm\nMKT,Market,market\n", encoding="utf-8"
    )
    flows = "source,target,material,quantity,unit,category\n"
    (tmp_path / "flows.csv").write_text(
        flows + "MILL,MKT,pulp,1300000,ADt,product\nMILL,MKT,萬噸 slag,2,萬噸,waste\n",
        encoding="utf-8",
    )
    assert load(tmp_path).flows["value"].tolist() == [1_300_000.0, 20_000.0]
