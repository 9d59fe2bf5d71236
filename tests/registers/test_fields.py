"""What each field of a shipment accepts, in words (:mod:`symbiosis.registers.fields`):
units, their hints, and dates."""

from __future__ import annotations

import pytest

from symbiosis.registers.fields import (
    E_MANIFEST_UNITS,
    MASS_HINT,
    date_problem,
    default_problem,
    unit_factor,
)
from symbiosis.units import parse_unit


@pytest.mark.parametrize(("unit", "factor"), [("TNE", 1.0), ("KGM", 1e-3), ("百万吨", 1e6)])
def test_register_units(unit, factor):
    """The E-PRTR writes UN/ECE Rec 20 codes; Chinese statistics 百万吨 (million tonnes)."""
    assert unit_factor(unit) == (pytest.approx(factor), "")


def test_every_suggested_mass_unit_is_read():
    """The hint suggested MWh, GJ and m3, which a register refuses."""
    suggested = MASS_HINT.split(": ", 1)[1].replace(" or ", ", ").split(", ")
    for unit in suggested:
        assert unit_factor(unit)[0] is not None, unit
    factor, reason = unit_factor("furlong")
    assert factor is None and reason.endswith(MASS_HINT)
    assert "MWh" not in unit_factor("TNEE")[1]


def test_e_manifest_codes_say_what_they_stand_for():
    for code, (meaning, spelled) in E_MANIFEST_UNITS.items():
        factor, reason = unit_factor(code, e_manifest=True)
        assert factor is None and f"e-Manifest's code for {meaning}" in reason
        if spelled is not None:  # the unit to write instead is read, and is a mass
            assert parse_unit(spelled).dimension == "mass"
            assert f"write {spelled}" in reason
    said = unit_factor("T", e_manifest=True)[1]
    assert said.startswith("'T' is the US e-Manifest's code for short tons")
    # elsewhere (EU, UK, Australian registers) T is the tonne and L litres, a volume
    assert unit_factor("T") == (1.0, "")
    assert unit_factor("L")[1].startswith("'L' is a unit of volume")


def test_a_default_unit_from_the_e_manifest_is_refused_with_its_meaning():
    message, hint = default_problem("unit", "P")
    assert "pounds" in message and "write lb" in hint


def test_date_problems():
    assert date_problem("0000") == (
        "'0000': 0 is not a year from 1000 to 9999",
        date_problem("0001-01-01")[1],
    )
    assert date_problem("2019-13-01")[0] == "'2019-13-01' is not a date"
    assert date_problem("FY2020")[0] == "'FY2020' is not a date"
