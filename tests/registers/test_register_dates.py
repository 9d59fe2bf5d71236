"""Dates of European registers (``02.11.2021``: day first with dots), dates with the year
last read as the mapping's ``[options] dayfirst`` says, and the rows of one reason said
once (tester-areas8, smaller remarks: 334 rows listed one by one)."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("duckdb")

from typer.testing import CliRunner

from symbiosis.cli import app
from symbiosis.errors import InputError
from symbiosis.registers import Mapping, import_registers, read_mapping

from .test_reading import write


def rows_dated(*dates: str) -> list[list[str]]:
    return [[date, "A", "B", "17 04 05", "R4", "1", "t"] for date in dates]


def problems(path: Path, mapping: Mapping | None = None) -> list:
    with pytest.raises(InputError) as caught:
        import_registers([path], None, mapping=mapping)
    return caught.value.problems


def test_dotted_dates_are_read_day_first(tmp_path):
    path = write(tmp_path / "avv.csv", rows_dated("02.11.2021", "2.1.2022 08:15", "31.12.2023"))
    result = import_registers([path], None)
    assert sorted(result.years) == [2021, 2022, 2023]  # was "'02.11.2021' is not a date"
    bad = write(tmp_path / "bad.csv", rows_dated("02.11.2021", "30.02.2021", "2.13.2021"))
    assert [(p.row, p.message) for p in problems(bad)] == [
        (3, "'30.02.2021' is not a date"),
        (4, "'2.13.2021' is not a date"),
    ]


def test_a_date_with_the_year_last_says_which_way_it_reads(tmp_path):
    path = write(tmp_path / "slashed.csv", rows_dated("14/03/2021", "3/14/2021", "03/04/2021"))
    found = problems(path)
    assert [(p.row, p.message) for p in found] == [
        (2, "'14/03/2021' is written day first"),
        (3, "'3/14/2021' is written month first"),
        (4, "'03/04/2021' could be written day first or month first (the year last)"),
    ]
    assert found[0].hint.startswith("set dayfirst = true under [options] in a mapping file")
    assert found[1].hint.startswith("set dayfirst = false under [options]")


def test_dayfirst_reads_the_day_first_and_false_the_month(tmp_path):
    european = write(tmp_path / "eu.csv", rows_dated("14/03/2021", "03-04-2022", "31/12/2023"))
    result = import_registers([european], None, mapping=Mapping(dayfirst=True))
    assert sorted(result.years) == [2021, 2022, 2023]
    [problem] = problems(european, Mapping(dayfirst=False))[:1]
    assert problem.message == "'14/03/2021' is not a date month first (dayfirst = false)"
    american = write(tmp_path / "us.csv", rows_dated("3/14/2021", "12/31/2022"))
    assert sorted(import_registers([american], None, mapping=Mapping(dayfirst=False)).years) == [
        2021,
        2022,
    ]


def test_dayfirst_is_an_option_of_the_mapping_file(tmp_path):
    good = tmp_path / "good.toml"
    good.write_text('[defaults]\ndate = "14/03/2021"\n[options]\ndayfirst = true\n')
    assert read_mapping(good, None).dayfirst is True
    assert read_mapping(None, None).dayfirst is None
    bad = tmp_path / "bad.toml"
    bad.write_text('[options]\ndayfirst = "yes"\nmonthfirst = true\n')
    with pytest.raises(InputError) as caught:
        read_mapping(bad, None)
    said = [(p.row, p.column, p.message) for p in caught.value.problems]
    assert said == [
        (2, "options.dayfirst", "must be true or false, not a text"),
        (3, "options", "unknown option 'monthfirst'"),
    ]


def test_many_rows_of_one_reason_are_one_problem_naming_the_first_rows(tmp_path):
    dates = [f"{day}/03/2021" for day in range(13, 23)] + ["FY2020", "FY2021"]
    path = write(tmp_path / "r.csv", rows_dated(*dates))
    found = problems(path)
    assert [(p.row, p.message, p.more_rows) for p in found] == [
        (2, "'13/03/2021' is written day first (also rows 3, 4, 5 and 6 more rows)", 9),
        (12, "'FY2020' is not a date", 0),
        (13, "'FY2021' is not a date", 0),
    ]
    assert found[0].hint.startswith("set dayfirst = true")
    result = CliRunner().invoke(app, ["register", "import", str(path)])
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 4 and lines[-1] == "3 problems found; nothing was analysed"


def test_chinese_codes_are_one_problem_naming_the_material_route(tmp_path):
    header = ["转移日期", "统一社会信用代码", "接受单位许可证编号", "废物名称", "废物代码",
              "利用处置方式", "转移数量", "计量单位"]  # fmt: skip
    rows = [
        [f"2022-01-0{day}", "9134", "皖危废经1", "铜烟尘", "HW48 321-002-48", "R4", "1", "吨"]
        for day in range(1, 8)
    ]
    path = write(tmp_path / "cn.csv", rows, header)
    [problem] = problems(path)
    assert problem.row == 2 and problem.more_rows == 6
    assert problem.message.endswith("(also rows 3, 4, 5 and 3 more rows)")
    assert 'map the waste\'s name (废物名称) to material and give waste_code = ""' in problem.hint
    # the route the hint names
    mapping = tmp_path / "cn.toml"
    mapping.write_text('[columns]\nmaterial = "废物名称"\n[defaults]\nwaste_code = ""\n')
    result = import_registers([path], None, mapping=read_mapping(mapping, None))
    assert list(result.flows["material"]) == ["铜烟尘"] and result.flows["quantity"].sum() == 7
