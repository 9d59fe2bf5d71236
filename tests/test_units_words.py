"""Number words in a unit (symbiosis._unit_words): Portuguese and Spanish numbers read as
the numbers they are, pint's pure numbers (angles, shares) refused.

Found by a tester (agro11, defect 1): UNICA's and CONAB's ``250 mil t`` (250,000 t) was
read as 0.0245 t, pint's angular mil (pi/32,000); ``degree t`` was 1.745 t per 100,
``percent t`` 1 t, ``ppm t`` 0.0001 t, with no word.
"""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from symbiosis.cli import app
from symbiosis.io import load
from symbiosis.units import UnknownUnitError, parse_unit

FIRMS = "id,name,role\nUSI,Usina,firm\nDEST,Destilaria,firm\n"


@pytest.mark.parametrize(
    ("unit", "dimension", "factor"),
    [
        ("mil t", "mass", 1e3),
        ("mil. t", "mass", 1e3),
        ("Mil t", "mass", 1e3),
        ("MIL TONELADAS", "mass", 1e3),
        ("mil toneladas", "mass", 1e3),
        ("mil m3", "volume", 1e3),
        ("mil m³", "volume", 1e3),
        ("mil Nm3", "volume", 1e3),
        ("mil MWh", "energy", 3600.0),
        ("mil t/d", "mass", 1e3 * 365.25),
        ("miles de t", "mass", 1e3),  # Spanish: thousands of
        ("milhões m3", "volume", 1e6),
        ("milhões de m³", "volume", 1e6),
        ("milhão de t", "mass", 1e6),
        ("millones de t", "mass", 1e6),
        ("millón de m3", "volume", 1e6),
        ("mill. t", "mass", 1e6),
        ("mil millones de m3", "volume", 1e9),  # Spanish: a thousand million
        ("tonelada", "mass", 1.0),
    ],
)
def test_portuguese_and_spanish_numbers_are_read(unit, dimension, factor):
    info = parse_unit(unit)
    assert info.dimension == dimension and info.factor == pytest.approx(factor)


@pytest.mark.parametrize(
    ("unit", "words"),
    [
        ("rad t", ["'rad' (radian) is an angle"]),
        ("degree t", ["'degree' is an angle", "0.01745"]),
        ("° t", ["'°' (degree) is an angle"]),
        ("turn m3", ["'turn' is an angle"]),
        ("sr t", ["'sr' (steradian) is an angle"]),
        ("rpm t", ["'rpm' (revolutions_per_minute) is an angle"]),
        ("t mil", ["'mil' is an angle", "write it first: mil t"]),
        ("percent t", ["'percent' is a share", "0.01"]),
        ("% t", ["'%' (percent) is a share"]),
        ("t %", ["'%' (percent) is a share"]),
        ("ppm t", ["'ppm' is a share", "1e-06"]),
        ("permille MWh", ["'permille' is a share"]),
        ("count t", ["'count' is a number"]),
        ("pi t", ["'pi' is a number", "3.142"]),
        ("bit t", ["'bit' is an amount of information"]),
        ("mi t", ["'mi' is ambiguous", "'milhões t' or Mt", "'mil t' or kt"]),
    ],
)
def test_pure_numbers_in_a_flow_unit_are_refused(unit, words):
    with pytest.raises(UnknownUnitError) as refused:
        parse_unit(unit)
    assert refused.value.message == f"unit '{unit}' is refused"
    for word in words:
        assert word in refused.value.hint
    if "'mi'" not in words[0]:
        assert "write the unit alone (t, MWh, GJ or m3)" in refused.value.hint


@pytest.mark.parametrize("unit", ["mil3 t", "milt", "mil_t", "miles t", "mill t"])
def test_words_like_the_numbers_are_not_read_as_them(unit):
    with pytest.raises(UnknownUnitError):
        parse_unit(unit)


def test_mil_t_in_a_flows_file_is_a_thousand_tonnes(tmp_path):
    (tmp_path / "firms.csv").write_text(FIRMS, encoding="utf-8")
    (tmp_path / "flows.csv").write_text(
        "source,target,material,quantity,unit,category\n"
        "USI,DEST,melaço,250,mil t,by-product\nUSI,DEST,vinhaça,100,mil m³,waste\n"
        "USI,DEST,energia elétrica,180,mil MWh,product\n",
        encoding="utf-8",
    )
    assert load(tmp_path).flows["value"].tolist() == [250_000.0, 100_000.0, 648_000.0]


def test_every_pure_number_of_a_flows_file_is_refused_at_its_row(tmp_path):
    (tmp_path / "firms.csv").write_text(FIRMS, encoding="utf-8")
    rows = [f"USI,DEST,m{i},100,{unit},by-product" for i, unit in
            enumerate(["rad t", "degree t", "percent t", "ppm t", "% t", "t"])]  # fmt: skip
    (tmp_path / "flows.csv").write_text(
        "source,target,material,quantity,unit,category\n" + "\n".join(rows) + "\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(app, ["validate", str(tmp_path)], env={"COLUMNS": "300"})
    assert result.exit_code == 2 and "Traceback" not in result.output
    errors = [line for line in result.stderr.splitlines() if line.startswith("error")]
    assert [line.split(": ")[1].rsplit(":", 1)[1] for line in errors] == ["2", "3", "4", "5", "6"]
    assert all(": unit: unit '" in line and "is refused" in line for line in errors)


@pytest.mark.parametrize("unit", ["万平方米", "平方米", "㎡", "m2", "1000 m2", "km2", "m²", "sq m"])
def test_an_area_is_told_to_be_given_as_mass(unit):
    """A tester's plasterboard in 万平方米 had the generic 'use a mass ...' hint."""
    with pytest.raises(UnknownUnitError, match="an area is no flow: give the product's mass"):
        parse_unit(unit)
