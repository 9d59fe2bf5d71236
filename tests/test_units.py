"""Units: every accepted unit converts to the canonical yearly unit by the right factor,
and every ambiguous or meaningless unit is refused with a hint.

Factors are written out by hand from the definitions (1 kWh = 3.6 MJ, 1 tce = 29.3076 GJ,
a Julian year = 365.25 d), not computed with pint.
"""

import math

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from symbiosis import units as units_module
from symbiosis.units import CANONICAL_UNITS, UnknownUnitError, convert, parse_unit

MASS = [
    ("g", 1e-6),
    ("kg", 1e-3),
    ("t", 1.0),
    ("tonne", 1.0),
    ("tonnes", 1.0),
    ("Mg", 1.0),
    ("kt", 1e3),  # kilotonne, never the knot
    ("kilotonne", 1e3),
    ("kilotonnes", 1e3),
    ("Gg", 1e3),
    ("Mt", 1e6),
    ("megatonnes", 1e6),
    ("Gt", 1e9),
    ("lb", 0.45359237e-3),
    ("short_ton", 0.90718474),
    ("万t", 1e4),
    ("万吨", 1e4),
    ("吨", 1.0),
    ("千吨", 1e3),
    ("公斤", 1e-3),
    ("千克", 1e-3),
    ("万吨/年", 1e4),
    ("亿吨", 1e8),  # 亿: a hundred million
    ("百万吨", 1e6),  # 百万: a million
    ("TNE", 1.0),  # UN/ECE Recommendation 20 codes (the E-PRTR's)
    ("KGM", 1e-3),
    ("Tonnes", 1.0),  # names spelt out, in any case
    ("TONNES", 1.0),
    ("KILOTONNES", 1e3),
    ("Pounds", 0.45359237e-3),
    ("t CO2", 1.0),  # a mass of carbon dioxide (CO2-equivalents are refused)
    ("tCO2", 1.0),
    ("Mt CO2", 1e6),
    ("metric tons", 1.0),  # the one ton that is no question (US EPA's registers)
    ("Metric Ton", 1.0),
    ("Metric Tonnes", 1.0),
]
ENERGY = [
    ("J", 1e-9),
    ("kJ", 1e-6),
    ("MJ", 1e-3),
    ("GJ", 1.0),
    ("TJ", 1e3),
    ("PJ", 1e6),
    ("Wh", 3.6e-6),
    ("kWh", 3.6e-3),
    ("MWh", 3.6),
    ("GWh", 3.6e3),
    ("TWh", 3.6e6),
    ("tce", 29.3076),
    ("toe", 41.868),
    ("千瓦时", 3.6e-3),
    ("万千瓦时", 36.0),
    ("兆瓦时", 3.6),
    ("吉焦", 1.0),
    ("兆焦", 1e-3),
    ("吨标准煤", 29.3076),
    ("万吨标准煤", 29.3076e4),
    ("亿千瓦时", 3.6e5),
    ("Btu", 1.055056e-6),  # pint's (ISO) Btu, 1,055.056 J
    ("MMBtu", 1.055056),  # a million Btu, as US energy statistics write it
    ("mmBtu", 1.055056),
    ("MMBTU", 1.055056),
    ("therm", 0.1055056),
]
VOLUME = [
    ("l", 1e-3),
    ("L", 1e-3),
    ("litres", 1e-3),
    ("ML", 1e3),  # megalitre
    ("m3", 1.0),
    ("m³", 1.0),
    ("m^3", 1.0),
    ("m**3", 1.0),
    ("cubic metres", 1.0),
    ("Nm3", 1.0),
    ("Nm³", 1.0),
    ("dm3", 1e-3),
    ("dm³", 1e-3),
    ("cm3", 1e-6),
    ("hm3", 1e6),
    ("thousand m3", 1e3),
    ("1000 m3", 1e3),
    ("oil_barrel", 0.158987294928),  # 42 US gallons: the spellings the refusals point to
    ("US_liquid_gallon", 0.003785411784),
    ("imperial_gallon", 0.00454609),
    ("10^3 m3", 1e3),
    ("kNm3", 1e3),
    ("Mm3", 1e6),  # million m3, as in water statistics (not the SI cubic megametre)
    ("Mm³", 1e6),
    ("million m3", 1e6),
    ("MNm3", 1e6),
    ("Gm3", 1e9),  # billion m3, as in gas statistics
    ("立方米", 1.0),
    ("万立方米", 1e4),
    ("千立方米", 1e3),
    ("亿立方米", 1e8),
    ("万标立方米", 1e4),
    ("标方", 1.0),
    ("Sm3", 1.0),  # standard cubic metres, as gas statistics write them
    ("MSm3", 1e6),
    ("Cubic Metres", 1.0),
    ("Litres", 1e-3),
]
YEAR_DAYS = 365.25
RATES = [
    ("t/yr", "mass", 1.0),
    ("t/a", "mass", 1.0),
    ("tpa", "mass", 1.0),
    ("t per year", "mass", 1.0),
    ("tonnes per annum", "mass", 1.0),
    ("kt/yr", "mass", 1e3),
    ("t/d", "mass", YEAR_DAYS),
    ("t/h", "mass", YEAR_DAYS * 24),
    ("t/month", "mass", 12.0),
    ("kg/s", "mass", 1e-3 * YEAR_DAYS * 86400),
    ("MWh/yr", "energy", 3.6),
    ("GJ/h", "energy", YEAR_DAYS * 24),
    ("MW", "energy", 3.6 * YEAR_DAYS * 24),  # 1 MW for a year = 8766 MWh
    ("kW", "energy", 3.6e-3 * YEAR_DAYS * 24),
    ("m3/h", "volume", YEAR_DAYS * 24),
    ("m3/d", "volume", YEAR_DAYS),
    ("Mm3/yr", "volume", 1e6),
    ("Tonnes/Year", "mass", 1.0),
    ("TONNES PER ANNUM", "mass", 1.0),
    ("kt CO2/yr", "mass", 1e3),
    # abbreviations of the process industries
    ("TPA", "mass", 1.0),
    ("ktpa", "mass", 1e3),
    ("KTPA", "mass", 1e3),
    ("Mtpa", "mass", 1e6),
    ("tpd", "mass", YEAR_DAYS),
    ("TPD", "mass", YEAR_DAYS),
    ("tph", "mass", YEAR_DAYS * 24),
    ("Mt/y", "mass", 1e6),
    ("GWh/y", "energy", 3.6e3),
    ("MWth", "energy", 3.6 * YEAR_DAYS * 24),  # thermal or electric megawatts: power
    ("MWe", "energy", 3.6 * YEAR_DAYS * 24),
    ("kWth", "energy", 3.6e-3 * YEAR_DAYS * 24),
    # Chinese rates: per day, hour, month
    ("吨/日", "mass", YEAR_DAYS),
    ("吨/天", "mass", YEAR_DAYS),
    ("吨/小时", "mass", YEAR_DAYS * 24),
    ("万吨/月", "mass", 12e4),
    ("立方米/日", "volume", YEAR_DAYS),
    ("千瓦", "energy", 3.6e-3 * YEAR_DAYS * 24),
    ("兆瓦", "energy", 3.6 * YEAR_DAYS * 24),
]


@pytest.mark.parametrize(
    ("unit", "dimension", "factor"),
    [(u, "mass", f) for u, f in MASS]
    + [(u, "energy", f) for u, f in ENERGY]
    + [(u, "volume", f) for u, f in VOLUME]
    + RATES,
)
def test_unit_converts_to_canonical(unit, dimension, factor):
    info = parse_unit(unit)
    assert info.dimension == dimension
    assert info.factor == pytest.approx(factor, rel=1e-12)
    assert info.canonical == CANONICAL_UNITS[dimension]


def test_canonical_units():
    assert CANONICAL_UNITS == {"mass": "t", "energy": "GJ", "volume": "m3"}
    for unit in CANONICAL_UNITS.values():
        assert parse_unit(unit).factor == 1.0


def test_surrounding_spaces_are_ignored():
    assert parse_unit("  kt ").factor == 1e3


REFUSED = [
    # (unit, words the message or hint must contain)
    ("ton", "ambiguous"),
    ("tons", "ambiguous"),
    ("Ton", "ambiguous"),
    ("TONS", "ambiguous"),
    ("tons/yr", "ambiguous"),  # pint would read a US short ton: 0.907 t
    ("ton/yr", "ambiguous"),
    ("kilotons", "ambiguous"),
    ("short ton", "ambiguous"),
    ("mt", "ambiguous"),  # pint: millitonne (1 kg); users: metric ton
    ("MT", "ambiguous"),
    ("mt/yr", "ambiguous"),
    ("T", "tesla"),
    ("kn", "knot"),
    ("km3", "ambiguous"),  # cubic kilometre or thousand m3
    ("km³", "ambiguous"),
    ("nm3", "Nm3"),  # pint: cubic nanometre
    ("nm³", "Nm3"),
    ("mJ", "MJ"),
    ("mWh", "MWh"),
    ("mW", "MW"),
    # pint's barrel is 31.5 US gallons, an oil barrel 42; Mbbl is a thousand barrels in
    # oil statistics, a mega-barrel to pint; a gallon is US or imperial
    ("bbl", "oil_barrel"),
    ("BBL", "oil_barrel"),
    ("barrels/d", "oil_barrel"),
    ("kbbl", "oil_barrel"),
    ("Mbbl", "a thousand"),
    ("MMbbl", "oil_barrel"),
    ("gal", "imperial_gallon"),
    ("gallons/d", "imperial_gallon"),
    ("Mgal", "US_liquid_gallon"),
    ("kwh", "did you mean 'kWh'"),
    ("KT", "did you mean 'kt'"),
    ("M3", "did you mean 'm3'"),
    ("xyz", "unknown unit"),
    ("EUR", "unknown unit"),
    ("$", "unknown unit"),  # pint raises AssertionError on it
    ("t/0", "unknown unit"),  # pint raises ZeroDivisionError on it
    ("(t", "unknown unit"),  # unbalanced bracket: tokenize error in pint
    ("t CO2e", "warming effect"),  # CO2-equivalents: not the stream's mass
    ("tCO2-eq", "warming effect"),
    ("kt CO2eq/yr", "warming effect"),
    ("MTPA", "Mt/yr"),  # a million tonnes per annum to mining, metric tonnes to others
    ("mtpa", "ambiguous"),
    ("MTPD", "t/d"),
    ("MTPH", "t/h"),  # metric tonnes per hour to a crusher's maker, not megatonnes
    ("MBtu", "MMBtu"),  # a thousand Btu in US usage, a million to pint
    ("Ton/Year", "ambiguous"),  # names in any case, but the ambiguous ones still refused
    ("short tons/yr", "ambiguous"),
    ("", "empty"),
    ("   ", "empty"),
    ("%", "not a unit"),
    ("1", "not a unit"),
    ("nan", "not a unit"),
    ("t/t", "not a unit"),
    ("m", "not a mass, energy or volume"),
    ("m2", "unknown unit"),
    ("ha", "not a mass, energy or volume"),
    ("K", "not a mass, energy or volume"),  # kelvin, not kilo-anything
    ("yr", "not a mass, energy or volume"),
    ("kWh/t", "not a mass, energy or volume"),
    ("t^2", "not a mass, energy or volume"),
    ("-t", "factor of -1"),  # would turn every quantity negative
    ("0 t", "factor of 0"),
    ("Tm3", "unknown unit"),
]


@pytest.mark.parametrize(("unit", "words"), REFUSED)
def test_refused_units(unit, words):
    with pytest.raises(UnknownUnitError) as caught:
        parse_unit(unit)
    error = caught.value
    assert words in f"{error.message}; {error.hint}"
    assert error.hint, "every refusal tells the user what to write instead"
    assert error.unit == unit


def test_refusal_is_a_value_error_with_message_and_hint():
    with pytest.raises(ValueError, match="ambiguous"):
        parse_unit("tons")


def test_convert_between_units_of_one_dimension():
    assert convert(2.5, "kt", "t") == pytest.approx(2500)
    assert convert(1, "MWh", "GJ") == pytest.approx(3.6)
    assert convert(3.6, "GJ", "kWh") == pytest.approx(1000)
    assert convert(1, "thousand m3", "l") == pytest.approx(1e6)
    assert convert(1, "Mt", "kt") == pytest.approx(1000)


def test_convert_refuses_mixing_dimensions():
    with pytest.raises(UnknownUnitError, match="different dimensions"):
        convert(1, "t", "m3")


UNITS = [u for u, _ in MASS + ENERGY + VOLUME] + [u for u, _, _ in RATES]


@given(
    st.floats(min_value=0, max_value=1e12, allow_nan=False),
    st.sampled_from(UNITS),
    st.sampled_from(UNITS),
)
def test_convert_round_trips(quantity, unit, other):
    assume(parse_unit(unit).dimension == parse_unit(other).dimension)
    there = convert(quantity, unit, other)
    assert math.isfinite(there) and there >= 0
    assert convert(there, other, unit) == pytest.approx(quantity, rel=1e-9, abs=1e-300)


@pytest.mark.parametrize("unit", sorted(units_module._COMMON))
def test_common_units_read_without_pint_agree_with_pint(unit, monkeypatch):
    """The start-up table of common units gives what the pint path gives."""
    fast = parse_unit(unit)
    monkeypatch.setattr(units_module, "_COMMON", {})
    slow = parse_unit.__wrapped__(unit)  # uncached, past the (now empty) table
    assert fast.dimension == slow.dimension
    assert math.isclose(fast.factor, slow.factor, rel_tol=1e-15)


@pytest.mark.parametrize("per", sorted(units_module._PER))
@pytest.mark.parametrize("amount", ["t", "kt", "GJ", "MWh", "m3"])
def test_rates_read_without_pint_agree_with_pint(amount, per, monkeypatch):
    """t/d, kt/yr, m3/h ... read at start-up give what the pint path gives."""
    unit = f"{amount}/{per}"
    fast = parse_unit(unit)
    monkeypatch.setattr(units_module, "_COMMON", {})
    slow = parse_unit.__wrapped__(unit)
    assert fast.dimension == slow.dimension
    assert math.isclose(fast.factor, slow.factor, rel_tol=1e-15)
    assert fast.continuous is slow.continuous


@pytest.mark.parametrize(
    ("text", "spelt"), [("gj", "GJ"), ("mwh", "MWh"), ("t", "t"), (" KT ", "kt"), ("zork", "zork")]
)
def test_usual_spelling(text, spelt):
    from symbiosis.units import usual_spelling

    assert usual_spelling(text) == spelt


@pytest.mark.parametrize("unit", ["Tonnes", "TONNES", "Tonnes/Year", "TONNES/DAY", "Tonne"])
def test_names_in_any_case_read_without_pint_agree_with_pint(unit, monkeypatch):
    """A capitalised name of a common unit takes the start-up table too (no pint import
    for a file whose every row says 'Tonnes'), and gives what the pint path gives."""
    fast = parse_unit(unit)
    monkeypatch.setattr(units_module, "_COMMON", {})
    slow = parse_unit.__wrapped__(unit)
    assert (fast.dimension, fast.text) == (slow.dimension, unit)
    assert math.isclose(fast.factor, slow.factor, rel_tol=1e-15)


@pytest.mark.parametrize(
    ("unit", "power"),
    [("MW", True), ("kW", True), ("GW", True), ("MWth", True), ("MWe", True), ("兆瓦", True),
     ("MWh", False), ("MWh/d", False), ("GJ/h", False), ("t", False), ("t/d", False)],
)  # fmt: skip
def test_a_power_without_a_time_of_its_own_is_told(unit, power):
    """MW is read as running all year at full load: the io warns of it (a tester's 500 MW
    became 15.8 PJ without a note); a rate written as one is what it says."""
    assert parse_unit(unit).power is power


@pytest.mark.parametrize(
    ("unit", "continuous"),
    [("t/h", True), ("Nm3/h", True), ("m3/d", True), ("tph", True), ("t per day", True),
     ("吨/日", True), ("万m3/d", True), ("GJ/h", True), ("m3/s", True), ("t/week", True),
     ("t", False), ("t/yr", False), ("tpa", False), ("万吨/年", False), ("kt/month", False),
     ("MW", False), ("MWh", False)],
)  # fmt: skip
def test_a_rate_per_hour_or_day_is_told(unit, continuous):
    """Nm3/h is read as running all year without a stop (tester-cities5): the io warns of
    it; a yearly or monthly rate is not."""
    assert parse_unit(unit).continuous is continuous


def test_rates_per_hour_or_day_are_warned_of(tmp_path):
    import symbiosis

    (tmp_path / "flows.csv").write_text(
        "source,target,material,quantity,unit,category\n"
        "A,B,coke oven gas,50000,Nm3/h,by-product\nB,C,steam,20,t/h,product\n"
        "C,D,slag,100,t/yr,waste\n",
        encoding="utf-8",
    )
    with pytest.warns(Warning):
        network = symbiosis.load(tmp_path)
    [said] = [w for w in network.warnings if "rate per hour" in w]
    assert said.endswith(
        "flows.csv: 2 flow(s) give a rate per hour or per day (rows 2, 3): read as running "
        "all year without a stop, 8,766 h or 365.25 d ('50000' Nm3/h is 438,300,000 m3); if "
        "the plant runs less (7,000-8,000 h is common), give the quantity of the year instead"
    )


def test_the_yearly_unit_of_several_years_added_up_says_their_total():
    from symbiosis.units import period_suffix, yearly_unit

    assert yearly_unit("mass") == yearly_unit("mass", 1) == "t/yr"
    assert yearly_unit("energy", 3) == "GJ over 3 years"
    assert period_suffix(2) == " over 2 years" and period_suffix(1) == "/yr"
