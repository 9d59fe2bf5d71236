"""China's hazardous-waste transfer manifests (危险废物转移联单): GBK text, Chinese headers,
dates written 2023年5月6日 and 2023/5/6, and China's own operation codes (tester-register
D8). Also the messages of D9: Excel day numbers, thousands commas, a totals row."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from symbiosis.errors import InputError
from symbiosis.registers import import_registers
from symbiosis.registers.fields import default_problem

MANIFEST = ["联单编号", "转移日期", "移出单位名称", "统一社会信用代码", "接受单位名称",
            "接受单位许可证编号", "废物名称", "废物代码", "利用处置方式", "转移数量",
            "计量单位"]  # fmt: skip
ROWS = [
    ["1", "2023年5月6日", "铜陵有色金隆铜业公司", "9134A", "铜陵某填埋场", "P3", "含铜污泥",
     "10 06 01", "D1", "5", "吨"],
    ["2", "2023/5/7", "铜陵化工集团有限公司", "9134B", "安徽某环保科技有限公司", "P1", "废酸",
     "06 01 01*", "R6", "2000", "千克"],
    ["3", "2022-5-8", "铜陵化工集团有限公司", "9134B", "铜陵某水泥厂", "P4", "废酸",
     "06 01 01*", "C1", "1", "t"],
    ["4", "2022.5.9 08:30", "铜陵化工集团有限公司", "9134B", "安徽某环保科技有限公司", "P1",
     "废酸", "06 01 01*", "R15", "3", "t"],
]  # fmt: skip


def write(path: Path, rows, header=MANIFEST, encoding="utf-8") -> Path:
    with path.open("w", newline="", encoding=encoding) as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


@pytest.mark.parametrize("encoding", ["gbk", "utf-8"])
def test_a_manifest_is_read_without_a_mapping(tmp_path, encoding):
    """GBK as Excel saves 'CSV' on Chinese Windows (was: 'is not UTF-8 text'), Chinese
    headers, year-first dates (were: 'is not a date') and China's C1 and R15 (were: 'not a
    recovery or disposal operation')."""
    path = write(tmp_path / "manifest.csv", ROWS, encoding=encoding)
    result = import_registers([path], None)
    flows = result.flows.set_index("source")
    assert sorted(result.years) == [2022, 2023]
    assert set(result.flows["operation"]) == {"D1", "R6", "D", "R"}
    assert flows["quantity"].sum() == pytest.approx(5 + 2 + 1 + 3)
    assert set(flows.index) == {"9134A", "9134B"}
    read_as = [w for w in result.warnings if "read as GB18030" in w]
    assert len(read_as) == (encoding == "gbk")
    (china,) = [w for w in result.warnings if "China's operation codes" in w]
    assert "C1 (水泥窑协同处置" in china and "R15" in china


def test_china_codes_elsewhere_are_named(tmp_path):
    """In a register headed in English, C1 is refused, named as China's code."""
    header = ["date", "sender", "receiver", "waste_code", "operation", "quantity", "unit"]
    path = write(tmp_path / "r.csv", [["2023-01-01", "A", "B", "170405", "C1", "1", "t"]], header)
    with pytest.raises(InputError) as caught:
        import_registers([path], None)
    (problem,) = caught.value.problems
    assert "China's list" in problem.message and "水泥窑协同处置" in problem.message
    assert default_problem("operation", "D16")[0].startswith("'D16' is a code of China's")


def test_an_impossible_year_first_date_is_refused(tmp_path):
    path = write(tmp_path / "m.csv", [ROWS[0], [*ROWS[1][:1], "2023/2/30", *ROWS[1][2:]]])
    with pytest.raises(InputError) as caught:
        import_registers([path], None)
    (problem,) = caught.value.problems
    assert (problem.row, problem.column) == (3, "转移日期")


def test_excel_days_thousands_and_a_totals_row_are_said(tmp_path):
    """Tester-register D9: '44624 is not a year', "'1,200' is not a number", and five
    problems for a 'Total' row."""
    header = ["date", "sender", "receiver", "waste_code", "operation", "quantity", "unit"]
    rows = [
        ["2022-01-01", "A", "B", "170405", "R4", "1", "t"],
        ["44624", "A", "B", "170405", "R4", "1", "t"],
        ["2022-01-01", "A", "B", "170405", "R4", "1,200", "t"],
        ["Total", "", "", "", "", "12345.6", "t"],
    ]
    with pytest.raises(InputError) as caught:
        import_registers([write(tmp_path / "d.csv", rows, header)], None)
    found = {p.row: p for p in caught.value.problems}
    assert len(caught.value.problems) == 3
    assert "Excel" in found[3].message and "2022-03-04" in found[3].message
    assert found[4].message == "'1,200' has a thousands separator"
    assert "1200" in found[4].hint
    assert found[5].message.startswith("looks like a totals row ('Total')")
    assert found[5].column is None


def test_a_quantity_s_hint_gives_its_number_in_ascii_digits(tmp_path):
    """As the network reader's (tester14: '1，200' was told 'e.g. 1，200'): a full-width
    comma, a space or a narrow no-break space between thousands was 'not a number', and
    full-width digits 'more than 1e30 t once converted'. (A cell is quoted as repr writes
    it: the narrow no-break space escaped.)"""
    header = ["date", "sender", "receiver", "waste_code", "operation", "quantity", "unit"]
    cells = ["1", "１，２００", "1 200", "1\u202f200.5", "１２００", "1,200.5"]
    rows = [["2022-01-01", "A", "B", "170405", "R4", cell, "t"] for cell in cells]
    with pytest.raises(InputError) as caught:
        import_registers([write(tmp_path / "d.csv", rows, header)], None)
    assert [(p.row, p.message, p.hint) for p in caught.value.problems] == [
        (3, "'１，２００' has a thousands separator", "write plain digits, e.g. 1200"),
        (4, "'1 200' has a thousands separator", "write plain digits, e.g. 1200"),
        (5, "'1\\u202f200.5' has a thousands separator", "write plain digits, e.g. 1200.5"),
        (6, "'１２００' is written in full-width digits",
         "write it in ASCII digits, 1200: a register's numbers are read so only"),
        (7, "'1,200.5' has a thousands separator", "write plain digits, e.g. 1200.5"),
    ]  # fmt: skip
