"""Register rows with very many fields (symbiosis.registers.wide_rows): said at once with
their field count, the other rows checked.

Found by a tester: a row of 100,000 extra fields took 90 s and 2.1 GB (DuckDB sets aside
such a row with a problem per extra field); a row of 30,007 fields was said to have 20,007
(the rejects DuckDB keeps were full) and 'has more rows that cannot be read after row 2',
though row 3 was valid; a first row ending with 5,000 empty fields was an internal error.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest

from symbiosis.errors import InputError
from symbiosis.registers import engines, import_registers, wide_rows
from symbiosis.registers.files import csv_layout

HEADER = "date,sender,receiver,waste_code,operation,quantity,unit"
GOOD = "2021-01-01,F1,T1,170407,R4,1,t"
BAD = "2021-01-01,F1,T1,170407,R4,abc,t"
QUANTITY = "'abc' is not a number"


def register(tmp_path: Path, *rows: str, header: str = HEADER) -> Path:
    path = tmp_path / "r.csv"
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


def problems_of(path: Path) -> list[tuple]:
    with pytest.raises(InputError) as caught:
        import_registers([path], None)
    return [(p.row, p.column, p.message) for p in caught.value.problems]


@pytest.fixture
def few_rejects(monkeypatch):
    """DuckDB keeps 50 refused fields: a row of thousands of fields set aside field by
    field would fill them (as 30,007 fields filled 20,000)."""
    monkeypatch.setattr(engines, "REJECTS_LIMIT", 50)


def test_a_row_of_many_fields_is_said_with_its_count_and_the_rows_below_checked(
    tmp_path, few_rejects
):
    path = register(tmp_path, GOOD + ",x" * 3000, GOOD, BAD)
    assert problems_of(path) == [
        (2, None, "has 3007 fields where the header has 7"),
        (4, "quantity", QUANTITY),
    ]


def test_quoted_separators_are_no_fields(tmp_path, few_rejects):
    path = register(tmp_path, GOOD + ',"x,y"' * 2000, GOOD, BAD)
    assert problems_of(path)[0] == (2, None, "has 2007 fields where the header has 7")


def test_long_rows_of_the_right_width_are_read(tmp_path):
    """A long cell (a note) is no row to cut, nor is a long line inside a quoted cell."""
    header = HEADER + ",notes"
    note = '"' + "a, b; " * 1000 + '"'
    lines = '"first line\n' + "x," * 3000 + '\nlast line"'
    path = register(tmp_path, GOOD + "," + note, GOOD + "," + lines, header=header)
    assert wide_rows.long_rows(path, csv_layout(path)) == []
    assert import_registers([path], None).flows["quantity"].tolist() == [2.0]


def test_the_copy_duckdb_reads_is_removed(tmp_path, monkeypatch):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "temporary"))
    (tmp_path / "temporary").mkdir()
    path = register(tmp_path, GOOD + ",x" * 3000, GOOD)
    problems_of(path)
    assert list((tmp_path / "temporary").iterdir()) == []


def test_a_first_row_ending_with_thousands_of_empty_fields_is_too_long(tmp_path):
    """Taken for the empty fields every row ends with, they made 5,007 columns, and an
    internal error (Ibis' recursion)."""
    path = register(tmp_path, GOOD + "," * 5000, GOOD, BAD)
    assert problems_of(path) == [
        (2, None, "has 5007 fields where the header has 7"),
        (4, "quantity", QUANTITY),
    ]


def test_the_last_row_before_duckdb_stopped_keeping_rejects_has_its_true_count(
    tmp_path, few_rejects
):
    """Its first fields filled the rejects DuckDB keeps: counted again from its text."""
    path = register(tmp_path, GOOD + ",x" * 40, GOOD + ",x" * 40, GOOD)
    found = problems_of(path)
    assert found[:2] == [
        (2, None, "has 47 fields where the header has 7"),
        (3, None, "has 47 fields where the header has 7"),
    ]
    assert found[2][2].startswith("may have more rows that cannot be read after row 3")
