"""Ecosystem models' units (tester-areas8 defect 4): carbon as a mass (``g C``, not pint's
coulomb times a gram), ecology's exponent -1 for a time (``kcal d-1``), and per-area units
(``mg C m-2 d-1``, ``kcal/m2/yr``) refused with what to do; small amounts in a warning
written with their digits (``0.0007853 GJ``, not ``0 GJ``)."""

import pytest
from typer.testing import CliRunner

from symbiosis._percent import plain_number
from symbiosis.cli import app
from symbiosis.units import UnknownUnitError, parse_unit

YEAR_DAYS = 365.25


@pytest.mark.parametrize(
    ("unit", "factor"),
    [("g C", 1e-6), ("gC", 1e-6), ("mg C", 1e-9), ("mgC", 1e-9), ("kg C", 1e-3),
     ("t C", 1.0), ("tC", 1.0), ("kt C", 1e3), ("Mg C", 1.0), ("Pg C", 1e9),
     ("g C/yr", 1e-6), ("g C yr-1", 1e-6), ("gC/d", 1e-6 * YEAR_DAYS),
     ("mg C d-1", 1e-9 * YEAR_DAYS)],
)  # fmt: skip
def test_carbon_is_read_as_a_mass(unit, factor):
    info = parse_unit(unit)
    assert info.dimension == "mass"
    assert info.factor == pytest.approx(factor, rel=1e-12)


@pytest.mark.parametrize(
    ("unit", "factor"),
    [("kcal d-1", 4.184e-6 * YEAR_DAYS), ("kcal yr-1", 4.184e-6), ("kcal y-1", 4.184e-6),
     ("kJ d^-1", 1e-6 * YEAR_DAYS), ("kcal d⁻¹", 4.184e-6 * YEAR_DAYS)],
)  # fmt: skip
def test_a_time_to_the_power_minus_one_is_a_rate(unit, factor):
    info = parse_unit(unit)
    assert info.dimension == "energy"
    assert info.factor == pytest.approx(factor, rel=1e-12)


@pytest.mark.parametrize(
    ("unit", "area"),
    [("kcal m-2 d-1", "m-2"), ("mg C m-2 d-1", "m-2"), ("g C/m2/yr", "/m2"),
     ("kcal/m2/yr", "/m2"), ("g C m^-2 yr^-1", "m^-2"), ("gC m-2 yr-1", "m-2"),
     ("kcal/m²/yr", "/m²"), ("kcal per m2", "per m2"), ("t/ha", "/ha"), ("kg ha-1", "ha-1"),
     ("g C/km2", "/km2"), ("t per hectare", "per hectare")],
)  # fmt: skip
def test_a_unit_per_area_is_refused_with_what_to_do(unit, area):
    with pytest.raises(UnknownUnitError) as caught:
        parse_unit(unit)
    said = str(caught.value)
    assert f"unit '{unit}' is per area" in said
    assert "multiply by the area" in said and f"drop the {area}" in said
    assert "FCI, APL and every ratio are unchanged" in said
    assert "give carbon as a mass (g C) or energy as kcal" in said


@pytest.mark.parametrize("unit", ["m2", "m", "C", "kg/m3"])
def test_what_is_no_rate_per_area_keeps_its_own_refusal(unit):
    with pytest.raises(UnknownUnitError) as caught:
        parse_unit(unit)
    assert "per area" not in str(caught.value)


def network(folder, unit):
    folder.mkdir()
    (folder / "firms.csv").write_text(
        "id,name,role\nP,Plankton,firm\nD,Detritus,firm\nIMP,Imports,market\n"
        "RESP,Respiration,environment\n"
    )
    (folder / "flows.csv").write_text(
        "source,target,material,quantity,unit,category\n"
        f"IMP,P,carbon,10,{unit},product\nP,D,carbon,6,{unit},product\n"
        f"D,P,carbon,2,{unit},product\nP,RESP,carbon,6,{unit},emission\n"
        f"D,RESP,carbon,4,{unit},emission\n"
    )
    return folder


def test_an_areal_model_is_refused_at_its_rows_with_the_hint(tmp_path):
    result = CliRunner().invoke(app, ["validate", str(network(tmp_path / "n", "mg C m-2 d-1"))])
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert "unit: unit 'mg C m-2 d-1' is per area" in result.output
    assert "multiply by the area, or drop the m-2" in result.output


def test_a_model_in_grams_of_carbon_is_analysed_as_masses(tmp_path):
    import symbiosis

    loaded = symbiosis.load(network(tmp_path / "n", "g C"))
    assert set(loaded.flows["dimension"]) == {"mass"}
    assert loaded.flows["value"].sum() == pytest.approx(28e-6)  # tonnes a year
    grams = symbiosis.analyze(loaded, throughflow="inflow").cycling["mass"]
    tonnes = symbiosis.analyze(symbiosis.load(network(tmp_path / "t", "t")), throughflow="inflow")
    assert grams.finn_cycling_index == pytest.approx(tonnes.cycling["mass"].finn_cycling_index)


def test_a_small_rate_is_written_with_its_digits_in_the_warning(tmp_path):
    import symbiosis

    with pytest.warns(Warning):
        loaded = symbiosis.load(network(tmp_path / "n", "kcal/d"))
    [said] = [w for w in loaded.warnings if "rate per hour or per day" in w]
    assert "('10' kcal/d is 0.01528 GJ)" in said  # was "is 0 GJ"


@pytest.mark.parametrize(
    ("value", "text"),
    [(3.68e6, "3,680,000"), (2230.4, "2,230"), (435.84, "435.8"), (0.000785, "0.000785"),
     (0.0, "0"), (0.5135, "0.5135"), (-1500.0, "-1,500")],
)  # fmt: skip
def test_amounts_are_written_as_the_tables_write_them(value, text):
    from symbiosis.cli.render import number

    assert plain_number(value) == text == number(value)
