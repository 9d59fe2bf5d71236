"""Shipments held twice (a consignment number repeated, rows alike), German ``to``, codes
with ``**``, and the interim warning's years (tester-areas8, smaller remarks)."""

from __future__ import annotations

import pytest

pytest.importorskip("duckdb")

from symbiosis.errors import InputError
from symbiosis.registers import Mapping, import_registers
from symbiosis.units import parse_unit

from .test_reading import HEADER, write

NUMBERED = [*HEADER, "Begleitschein_Nr"]


def test_a_repeated_consignment_number_is_counted_once(tmp_path):
    rows = [
        ["2021-03-01", "A", "B", "17 04 05", "R4", "10", "t", "BS1"],
        ["2021-03-02", "A", "B", "17 04 05", "R4", "5", "t", "BS2"],
        ["2021-03-01", "A", "B", "17 04 05", "R4", "10", "t", "BS1"],  # exported twice
        ["2021-03-02", "A", "B", "17 04 05", "R4", "6", "t", "BS2"],  # corrected
        ["2021-03-03", "A", "B", "17 04 05", "R4", "1", "t", ""],  # no number: kept
        ["2021-03-03", "A", "B", "17 04 05", "R4", "1", "t", " "],
    ]
    path = write(tmp_path / "r.csv", rows, NUMBERED)
    mapping = Mapping({"consignment": "Begleitschein_Nr"})
    result = import_registers([path], None, mapping=mapping)
    assert result.flows["quantity"].sum() == 17 and result.shipments == 4  # was 33 t, 6
    [said] = [w for w in result.warnings if "consignment number" in w]
    assert said == (
        f"{path}: 2 row(s) repeat the consignment number (Begleitschein_Nr) of an earlier row "
        "and are counted once, the first row of each number kept: 'BS1' (rows 2 and 4), "
        "'BS2' (rows 3 and 5); 1 of these numbers have rows that differ ('BS2' (rows 3 and "
        "5)): a corrected manifest? Delete the row that is wrong (the first is kept)"
    )


def test_rows_after_a_repeat_keep_their_numbers(tmp_path):
    """The rows left out are still counted: a bad row after them is named at its row of
    the file, and so are the repeats (a blank line counted too)."""
    path = tmp_path / "r.csv"
    path.write_text(
        ",".join(NUMBERED) + "\n"
        "2021-03-01,A,B,17 04 05,R4,10,t,BS1\n"
        "2021-03-01,A,B,17 04 05,R4,10,t,BS1\n"
        "\n"
        "2021-03-01,A,B,17 04 05,R4,-1,t,BS3\n"
    )
    mapping = Mapping({"consignment": "Begleitschein_Nr"})
    with pytest.raises(InputError) as caught:
        import_registers([path], None, mapping=mapping)
    assert [(p.row, p.message) for p in caught.value.problems] == [(5, "-1 is negative")]
    path.write_text(path.read_text().replace("-1", "1"))
    [said] = import_registers([path], None, mapping=mapping).warnings
    assert "'BS1' (rows 2 and 3)" in said


def test_rows_alike_are_kept_and_said_with_the_column_to_map(tmp_path):
    rows = [
        ["2021-03-01", "A", "B", "17 04 05", "R4", "10", "t", "BS1"],
        ["2021-03-02", "A", "B", "17 04 05", "R4", "5", "t", "BS2"],
        ["2021-03-01", "A", "B", "17 04 05", "R4", "10", "t", "BS1"],
        ["2021-03-01", "A", "B", "17 04 05", "R4", "10", "t", "BS1"],
    ]
    path = write(tmp_path / "r.csv", rows, NUMBERED)
    result = import_registers([path], None)
    assert result.flows["quantity"].sum() == 35  # kept: two shipments alike can be real
    [said] = [w for w in result.warnings if "alike" in w]
    assert said.startswith(
        f"{path}: 2 row(s) are alike in every mapped field to an earlier row (3 rows: 2 ... 5)"
    )
    assert "map the consignment number (--map consignment=Begleitschein_Nr)" in said
    distinct = write(tmp_path / "d.csv", rows[:2], NUMBERED)
    assert not [w for w in import_registers([distinct], None).warnings if "alike" in w]


def test_a_chinese_manifest_number_is_read_as_the_consignment(tmp_path):
    header = ["联单编号", "转移日期", "统一社会信用代码", "接受单位许可证编号", "废物代码",
              "利用处置方式", "转移数量", "计量单位"]  # fmt: skip
    row = ["3407001", "2022-01-01", "9134", "皖危废经1", "10 01 02", "R4", "2", "吨"]
    path = write(tmp_path / "cn.csv", [row, row], header)
    result = import_registers([path], None)
    assert result.flows["quantity"].sum() == 2
    assert any("repeat the consignment number (联单编号)" in w for w in result.warnings)


def test_to_is_the_tonne():
    assert parse_unit("to").factor == 1.0 and parse_unit("to").dimension == "mass"
    assert parse_unit("to/a").factor == 1.0 and parse_unit("Mio. to").factor == 1e6


def test_a_register_in_to_is_read_in_tonnes(tmp_path):
    rows = [["2021-03-18", "A", "B", "13 02 05*", "R9", "3", unit] for unit in ("to", "TO")]
    result = import_registers([write(tmp_path / "r.csv", rows)], None)
    assert result.flows["quantity"].sum() == 6  # was "unknown unit 'to'"


def test_a_code_written_with_two_stars_is_read_with_one_and_said(tmp_path):
    rows = [
        ["2021-03-04", "A", "B", "13 02 05 **", "R9", "3", "t"],
        ["2021-03-05", "A", "B", "13 02 05*", "R9", "3", "t"],
        ["2021-03-06", "A", "B", "*17 04 05", "R4", "1", "t"],
    ]
    result = import_registers([write(tmp_path / "r.csv", rows)], None)
    assert set(result.flows["waste_code"]) == {"13 02 05*", "17 04 05"}
    [said] = [w for w in result.warnings if "more than one '*'" in w]
    assert "'*17 04 05' (1 row) as 17 04 05*, '13 02 05 **' (1 row) as 13 02 05*" in said
    plain = write(tmp_path / "p.csv", rows[1:2])
    assert not [w for w in import_registers([plain], None).warnings if "'*'" in w]


def test_a_non_hazardous_starred_entry_is_said_over_several_files(tmp_path):
    row = ["2021-01-01", "A", "B", "17 05 04*", "R5", "1", "t"]
    files = [write(tmp_path / "a.csv", [row]), write(tmp_path / "b.csv", [row])]
    said = [w for w in import_registers(files, None).warnings if "non-hazardous" in w]
    assert len(said) == 1 and "in 2 row(s)" in said[0]  # was no warning with two files


def test_the_interim_warning_says_the_years_it_sums(tmp_path):
    rows = [
        ["2021-01-01", "F1", "STATION", "17 05 04", "R13", "300", "t"],
        ["2023-01-01", "F1", "STATION", "17 05 04", "R13", "500", "t"],
        ["2023-02-01", "STATION", "REC", "17 05 04", "R5", "700", "t"],
    ]
    result = import_registers([write(tmp_path / "r.csv", rows)], None)
    [said] = [w for w in result.warnings if "interim operations" in w]
    assert said.startswith("800 t went to interim operations over 2021–2023 (R12, R13")
    assert "their receivers send 700 t on over 2021–2023" in said
    one = import_registers([write(tmp_path / "one.csv", rows[1:])], None)
    [said] = [w for w in one.warnings if "interim operations" in w]
    assert said.startswith("500 t went to interim operations in 2023 (")


def test_a_consignment_mapped_to_no_column_is_refused(tmp_path):
    path = write(tmp_path / "r.csv", [["2021-03-01", "A", "B", "17 04 05", "R4", "1", "t"]])
    with pytest.raises(InputError) as caught:
        import_registers([path], None, mapping=Mapping({"consignment": "Begleitschein"}))
    [problem] = caught.value.problems
    assert problem.message == "no column 'Begleitschein' for the field consignment"
