"""Inputs of a European kind (tester-parks7): German statistics' units, a Swiss
thousands apostrophe, a header pasted again as a row, steam in t beside GJ."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from symbiosis.cli import app
from symbiosis.units import parse_unit

FIRMS = "id,name,role\nA,Works A,firm\nB,Works B,firm\nMKT,Market,market\n"


def _validate(tmp_path, flows: str):
    (tmp_path / "firms.csv").write_text(FIRMS, encoding="utf-8")
    (tmp_path / "flows.csv").write_text(flows, encoding="utf-8")
    return CliRunner().invoke(app, ["validate", str(tmp_path)], env={"COLUMNS": "300"})


@pytest.mark.parametrize(
    ("unit", "dimension", "factor"),
    [("Mio. t", "mass", 1e6), ("Mio t", "mass", 1e6), ("Mio. m³", "volume", 1e6),
     ("Mrd. m3", "volume", 1e9), ("Tsd. t", "mass", 1e3), ("Mio. kWh", "energy", 3600.0)],
)  # fmt: skip
def test_german_multipliers_are_units(unit, dimension, factor):
    info = parse_unit(unit)
    assert info.dimension == dimension and info.factor == pytest.approx(factor)


def test_a_swiss_apostrophe_is_a_thousands_separator(tmp_path):
    result = _validate(tmp_path, "source,target,material,quantity,unit,category\n"
                                 "A,B,slag,70\u2019000,t,by-product\n")  # fmt: skip
    assert result.exit_code == 2
    assert "'70\u2019000' has a thousands separator" in result.stderr
    assert "e.g. 70000" in result.stderr


def test_a_header_pasted_again_is_one_problem(tmp_path):
    header = "source,target,material,quantity,unit,category\n"
    result = _validate(tmp_path, header + "A,B,slag,70,t,by-product\n" + header
                       + "B,MKT,cement,100,t,product\n")  # fmt: skip
    assert result.exit_code == 2
    lines = [line for line in result.stderr.splitlines() if line.startswith("error")]
    assert lines == [f"error: {tmp_path / 'flows.csv'}:3: repeats the header (two files "
                     "pasted one under the other?), not a flow; delete the row"]  # fmt: skip


def test_steam_in_two_dimensions_gets_the_steam_hint(tmp_path):
    flows = "A,B,steam,70,t,by-product\nB,MKT,steam,100,GJ,product\n"
    result = _validate(tmp_path, "source,target,material,quantity,unit,category\n" + flows)
    assert result.exit_code == 2 and "steam: about 2.7 GJ per t saturated" in result.stderr
