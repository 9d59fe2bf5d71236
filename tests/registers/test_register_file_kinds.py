"""Register files of the wrong kind, said once for what they are, as the network reader
says them (a tester's: a workbook was 'is not UTF-8 text (byte 0xB0)' at row 1, binary
data seven "no column 'date'" problems full of control characters); a Parquet file is
read whatever its name, as the docs say registers are CSV or Parquet."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from symbiosis.cli import app
from symbiosis.errors import InputError
from symbiosis.registers import import_registers

runner = CliRunner()
SHIPMENTS = pd.DataFrame(
    {"date": ["2019-01-01"], "sender": ["A"], "receiver": ["B"], "waste_code": ["170405"],
     "operation": ["R4"], "quantity": [1.0], "unit": ["t"]}
)  # fmt: skip


def problems_of(path: Path) -> list[tuple]:
    with pytest.raises(InputError) as caught:
        import_registers([path], None)
    return [(p.file, p.row, p.column, p.message, p.hint) for p in caught.value.problems]


def test_a_workbook_is_refused_as_such(tmp_path):
    path = tmp_path / "reg.xlsx"
    SHIPMENTS.to_excel(path, index=False)
    assert problems_of(path) == [
        (str(path), None, None, "is an Excel workbook, which is not read as a register",
         "save the sheet as 'CSV UTF-8' (Excel: Save As > CSV UTF-8), or as Parquet"),
    ]  # fmt: skip


def test_a_database_is_refused_as_such(tmp_path):
    path = tmp_path / "reg.csv"
    with sqlite3.connect(path) as connection:
        SHIPMENTS.to_sql("shipments", connection)
    connection.close()
    [(_, row, _, message, _)] = problems_of(path)
    assert (row, message) == (None, "is an SQLite database, which is not read as a register")


@pytest.mark.parametrize(
    "data",
    [bytes(range(256)) * 20, b"\x1f\x8b\x08\x00" + bytes(100), b"\x89PNG\r\n\x1a\n" + bytes(50)],
    ids=["bytes", "gzip", "png"],
)
def test_binary_data_is_not_a_text_file_once(tmp_path, data):
    path = tmp_path / "bin.csv"
    path.write_bytes(data)
    assert problems_of(path) == [
        (str(path), None, None, "is not a text file (it contains NUL bytes)",
         "give a CSV file saved as UTF-8 text"),
    ]  # fmt: skip


def test_a_parquet_file_is_read_whatever_its_name(tmp_path):
    path = tmp_path / "reg.csv"
    SHIPMENTS.to_parquet(path)
    flows = import_registers([path], None).flows
    assert flows[["source", "target", "quantity"]].values.tolist() == [["A", "B", 1.0]]


def test_a_nul_byte_in_a_cell_is_still_said_at_its_cell(tmp_path):
    path = tmp_path / "reg.csv"
    path.write_bytes(b"date,sender,receiver,waste_code,operation,quantity,unit\n"
                     b"2019-01-01,F\x001,B,170405,R4,1,t\n")  # fmt: skip
    [(_, row, column, message, _)] = problems_of(path)
    assert (row, column, message) == (2, "sender", "'F\\x001' contains a NUL byte")


def test_the_command_line_says_one_line(tmp_path):
    path = tmp_path / "reg.xlsx"
    SHIPMENTS.to_excel(path, index=False)
    result = runner.invoke(app, ["register", "import", str(path)])
    assert result.exit_code == 2 and "Traceback" not in result.output
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert errors == [
        f"error: {path}: is an Excel workbook, which is not read as a register; save the "
        "sheet as 'CSV UTF-8' (Excel: Save As > CSV UTF-8), or as Parquet"
    ]
