"""Pathway files (catalogue/reading.py, catalogue/figures.py) under the network's rules
(found by fuzzing: a receiver capacity of 1e300 kt or Mt was accepted, and a short row was
'receiving_sector is empty' and 'source is empty' rather than its field count; a tester's:
co2_factor was never checked, 'abc' and '0,5' in a ';' file silently unknown, '-7' used)."""

from __future__ import annotations

import json
import math

import pytest
from typer.testing import CliRunner

from symbiosis import InputError
from symbiosis.catalogue import is_material_code, load_catalogue, read_pathways
from symbiosis.cli import app
from symbiosis.examples import example_path

HEADER = (
    "id,material,dimension,receiving_sector,source,substitution_ratio,receiver_capacity,"
    "capacity_unit,notes\n"
)
runner = CliRunner()


def problems(path) -> list[tuple]:
    with pytest.raises(InputError) as caught:
        read_pathways(path)
    return [(p.file, p.row, p.column, p.message, p.hint) for p in caught.value.problems]


@pytest.fixture
def pathways(tmp_path):
    def write(rows: str, header: str = HEADER):
        path = tmp_path / "pathways.csv"
        path.write_text(header + rows, encoding="utf-8")
        return path

    return write


@pytest.mark.parametrize(
    ("capacity", "unit", "converted"),
    [("1e300", "t", "1e300"), ("1e300", "kt", "1e303"), ("1e300", "Mt", "1e306"),
     ("1e306", "Mt", "1e312"), ("1.1e27", "kt", "1.1e30")],
)  # fmt: skip
def test_a_capacity_above_the_bound_is_refused_where_it_is(pathways, capacity, unit, converted):
    path = pathways(f"a,fly ash,mass,cement,EN 450-1,,{capacity},{unit},\n")
    assert problems(path) == [
        (str(path), 2, "receiver_capacity",
         f"'{capacity}' {unit} is too large: {converted} t per year, more than any real plant "
         "takes (1e30 t per year)",
         "give the typical intake of one plant per year; check the unit and the exponent"),
    ]  # fmt: skip


def test_capacities_up_to_the_bound_load(pathways):
    path = pathways("a,fly ash,mass,cement,EN 450-1,,1e27,kt,\nb,heat,energy,greenhouse,x,,"
                    "1e30,GJ,\nc,slag,,cement,y,,0.25,Mt,\n")  # fmt: skip
    table = read_pathways(path).set_index("id")
    assert table["capacity"].tolist() == [1e30, 1e30, 250_000]


def test_a_short_row_is_said_with_its_field_count_only(pathways):
    path = pathways("a,fly ash,mass\nb,slag,,cement,EN 15167-1,,,,\n")
    [(file, row, column, message, hint)] = problems(path)
    assert (file, row, column, message) == (str(path), 2, None,
                                            "has 3 fields where the header has 9")  # fmt: skip
    assert "missing separator" in hint


def test_a_row_short_of_optional_columns_only_loads(pathways):
    path = pathways("a,fly ash,mass,cement,EN 450-1\n")
    assert read_pathways(path)["source"].tolist() == ["EN 450-1"]


def test_a_short_row_on_the_command_line(pathways):
    path = pathways("a,fly ash,mass\n")
    result = runner.invoke(app, ["opportunities", str(example_path("tongling")), "-q",
                                 "--catalogue", str(path)])  # fmt: skip
    assert result.exit_code == 2 and "Traceback" not in result.output
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and errors[0].startswith(f"error: {path}:2: has 3 fields where")


@pytest.mark.parametrize(
    ("cell", "message", "hint"),
    [
        ("1 000", "'1 000' has a thousands separator", "write plain digits, e.g. 1000"),
        ("1'000", "'1'000' has a thousands separator", "write plain digits, e.g. 1000"),
        ('"1,000"', "'1,000' has a thousands separator", "write plain digits, e.g. 1000"),
        ("1\u00a0000.5", "'1\u00a0000.5' has a thousands separator",
         "write plain digits, e.g. 1000.5"),
        # the hint in ASCII digits (was 'e.g. １，０００' or 'is not a number'), as the
        # network's: full-width forms, a thin space, dots between groups
        ('"１，０００"', "'１，０００' has a thousands separator", "write plain digits, e.g. 1000"),
        ("１\u3000０００", "'１\u3000０００' has a thousands separator",
         "write plain digits, e.g. 1000"),
        ("1\u2009000", "'1\u2009000' has a thousands separator", "write plain digits, e.g. 1000"),
        ("1.000.000", "'1.000.000' has a thousands separator",
         "write plain digits, e.g. 1000000"),
    ],
)  # fmt: skip
def test_thousands_separators_are_refused(pathways, cell, message, hint):
    path = pathways(f"a,fly ash,mass,cement,EN 450-1,,{cell},kt,\n")
    assert problems(path) == [(str(path), 2, "receiver_capacity", message, hint)]


def test_points_in_a_semicolon_file_are_read_as_the_network_reads_them(pathways):
    header = HEADER.replace(",", ";")
    path = pathways("a;fly ash;mass;cement;x;;1.000;kt;\n", header)
    assert [p[3:] for p in problems(path)] == [
        ("'1.000' is ambiguous in a ';'-separated file (a thousands separator or a decimal "
         "point?)", "write 1000 for the whole number, or 1,000 with a decimal comma")
    ]  # fmt: skip
    path = pathways("a;fly ash;mass;cement;x;;1.000;kt;\nb;slag;mass;cement;y;0,5;2,5;kt;\n",
                    header)  # fmt: skip
    assert [p[2:4] for p in problems(path)] == [
        ("receiver_capacity", "'1.000' has a thousands separator")
    ]
    path = pathways("a;fly ash;mass;cement;x;;1.000.000;kt;\n", header)
    assert problems(path)[0][3:] == ("'1.000.000' has a thousands separator",
                                     "write plain digits, e.g. 1000000")  # fmt: skip
    path = pathways("a;fly ash;mass;cement;x;;１．０００．０００;kt;\n", header)
    assert problems(path)[0][3:] == ("'１．０００．０００' has a thousands separator",
                                     "write plain digits, e.g. 1000000")  # fmt: skip
    path = pathways("a;fly ash;mass;cement;x;;１．０００;kt;\n", header)
    assert problems(path)[0][4] == "write 1000 for the whole number, or 1,000 with a decimal comma"
    path = pathways("a;fly ash;mass;cement;x;;1.000;kt;\nb;slag;mass;cement;y;;2.5;kt;\n",
                    header)  # fmt: skip
    assert read_pathways(path)["capacity"].tolist() == [1000, 2500]  # points are decimal here
    path = pathways("a;fly ash;mass;cement;x;0,95;300,5;kt;\n", header)
    row = read_pathways(path).iloc[0]
    assert (row["ratio"], row["capacity"]) == (0.95, 300_500)


def test_co2_factors_are_read_like_the_other_figures(pathways):
    header = "id;material;receiving_sector;source;substitution_ratio;co2_factor\n"
    path = pathways("a;fly ash;cement;x;0,8;0,5\nb;slag;cement;y;;0\nc;dust;cement;z;;\n", header)
    table = read_pathways(path)
    assert table["co2"].tolist()[:2] == [0.5, 0.0] and math.isnan(table["co2"].iloc[2])
    assert table["ratio"].iloc[0] == 0.8


@pytest.mark.parametrize(
    ("cell", "message", "hint"),
    [
        ("abc", "'abc' is not a number", "write one number, e.g. 0.8, or leave the cell empty"),
        ("-7", "'-7' is negative", "give 0 or a positive number, or leave the cell empty"),
        ("1e400", "'1e400' is too large", "give a realistic value"),
        ("2e5", "'2e5' is too large for a CO2 factor",
         "it is t CO2 avoided per t (GJ, m3) of the stream, at most 100,000"),
        ("0.2-0.5", "'0.2-0.5' is a range", "give one typical value and write the range in notes"),
        ('"1,000"', "'1,000' has a thousands separator", "write plain digits, e.g. 1000"),
    ],
)  # fmt: skip
def test_bad_co2_factors_are_refused_where_they_are(pathways, cell, message, hint):
    path = pathways(
        f"a,fly ash,cement,x,{cell}\n", "id,material,receiving_sector,source,co2_factor\n"
    )
    assert problems(path) == [(str(path), 2, "co2_factor", message, hint)]


def test_co2_avoided_on_the_command_line(pathways, tmp_path):
    network = tmp_path / "net"
    network.mkdir()
    (network / "firms.csv").write_text(
        "id,name,sector,role\nMINE,Mine,mining,extraction\nSMELT,Smelter,smelting,firm\n"
        "CEM,Cement,cement,firm\nLF,Landfill,landfill,landfill\n"
    )
    (network / "flows.csv").write_text(
        "source,target,material,quantity,unit,category\nMINE,SMELT,ore,1200.5,t,product\n"
        "SMELT,CEM,slag,300,t,by-product\nCEM,LF,dust,50,t,waste\n"
    )
    header = "id;material;receiving_sector;source;co2_factor\n"
    good = pathways("d1;dust;brick making;Paper;0,5\n", header)
    args = ["opportunities", str(network), "-q", "-f", "json", "--replace-catalogue"]
    result = runner.invoke(app, [*args, "--catalogue", str(good)])
    assert result.exit_code == 0, result.output
    [found] = json.loads(result.stdout)["opportunities"]
    assert found["economics"]["co2_avoided"] == 25.0
    bad = pathways("d1;dust;brick making;Paper;-7\n", header)
    result = runner.invoke(app, [*args, "--catalogue", str(bad)])
    assert result.exit_code == 2 and result.stdout == ""
    assert f"error: {bad}:2: co2_factor: '-7' is negative" in result.stderr


def test_the_material_code_rule_is_shared():
    assert is_material_code("10 01 02*") and is_material_code("HW-01.a")
    assert not is_material_code("abc$%") and not is_material_code(" .-*")


def test_the_shipped_catalogue_still_loads():
    assert len(load_catalogue()) > 100
