"""Numbers and names as practitioners write them (tester-resources12): a range or an
approximate number in a quantity, a count of pieces as a unit, a firm named by part of its
name where an id is wanted, a number in quotes in a scenario file. Each is refused with
what to write instead (exit 2, located)."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from symbiosis.cli import app
from symbiosis.units import UnknownUnitError, parse_unit

FIRMS = (
    "id,name,role\nBTS,包钢股份 Baotou Steel Union,firm\nBTSPP,包钢自备电厂 captive power,utility\n"
    "CEM,Baotou Cement,firm\nLF,Landfill,landfill\n"
)
HEADER = "source,target,material,quantity,unit,category\n"
OK = "BTS,CEM,blast furnace slag,3000,kt,by-product\nBTS,LF,steel slag,1800,kt,waste\n"


def _folder(tmp_path, flows: str = HEADER + OK):
    (tmp_path / "firms.csv").write_text(FIRMS, encoding="utf-8")
    (tmp_path / "flows.csv").write_text(flows, encoding="utf-8")
    return tmp_path


def _run(*args):
    return CliRunner().invoke(app, [str(a) for a in args], env={"COLUMNS": "300"})


@pytest.mark.parametrize("cell", ["2000-3000", "2000~3000", "2000至3000", "2000 to 3000"])
def test_a_range_in_a_quantity_says_where_its_ends_go(tmp_path, cell):
    result = _run("validate", _folder(tmp_path, HEADER + f"BTS,LF,dust,{cell},t,waste\n"))
    assert result.exit_code == 2
    assert f"flows.csv:2: quantity: '{cell}' is a range, not a number" in result.stderr
    assert "quantity_low and quantity_high" in result.stderr


@pytest.mark.parametrize("cell", ["约5500", "~300", "ca. 40", "about 40", "5500左右"])
def test_an_approximate_number_says_to_write_the_number_alone(tmp_path, cell):
    result = _run("validate", _folder(tmp_path, HEADER + f"BTS,LF,dust,{cell},t,waste\n"))
    assert result.exit_code == 2
    assert f"'{cell}' says the number is approximate; write the number alone" in result.stderr


def test_a_plain_bad_quantity_keeps_its_message(tmp_path):
    result = _run("validate", _folder(tmp_path, HEADER + "BTS,LF,dust,lots,t,waste\n"))
    assert "'lots' is not a number" in result.stderr


@pytest.mark.parametrize(("unit", "word"), [("万台", "台"), ("辆", "辆"), ("pcs", "pcs"),
                                            ("units", "units"), ("head", "head")])  # fmt: skip
def test_a_count_of_pieces_is_no_unit(unit, word):
    with pytest.raises(UnknownUnitError) as caught:
        parse_unit(unit)
    assert f"'{word}' counts pieces" in caught.value.hint


@pytest.mark.parametrize("unit", ["t", "万t", "万吨", "kt/a", "Nm3", "万m3", "GJ", "万千瓦时"])
def test_units_of_an_amount_are_still_read(unit):
    assert parse_unit(unit).dimension in ("mass", "volume", "energy")


def test_a_firm_named_by_part_of_its_name_gets_the_ids_holding_it(tmp_path):
    result = _run("shock", _folder(tmp_path), "--firm", "包钢", "--change", "-0.3")
    assert result.exit_code == 2
    assert "unknown firm '包钢' (in the names of BTS '包钢股份 Baotou Steel Union'" in result.stderr
    assert "BTSPP" in result.stderr and "give an id" in result.stderr
    assert "CEM" not in result.stderr.split("unknown firm")[1]


def test_a_firms_whole_name_gets_its_id(tmp_path):
    result = _run("shock", _folder(tmp_path), "--firm", "baotou cement", "--change", "-0.3")
    assert "(the name of CEM: give its id)" in result.stderr


def test_a_number_in_quotes_in_a_scenario_says_to_remove_them(tmp_path):
    scenario = tmp_path / "s.toml"
    scenario.write_text('[[scale_flow]]\nsource = "BTS"\ntarget = "LF"\n'
                        'material = "steel slag"\nfactor = "0.5"\n', encoding="utf-8")  # fmt: skip
    result = _run("scenario", _folder(tmp_path), scenario)
    assert result.exit_code == 2
    assert "factor: [[scale_flow]] #1: '0.5' is text, not a number" in result.stderr
    assert "remove the quotes: factor = 0.5" in result.stderr
