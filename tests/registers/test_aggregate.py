"""The register query's reading of a row (:mod:`symbiosis.registers.aggregate`): years a
network takes, and the local date of a timestamp with a time zone."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from symbiosis.errors import InputError
from symbiosis.registers import Mapping, import_registers, read_mapping

from .test_reading import HEADER, write


def test_years_no_network_takes_are_refused_at_their_rows(tmp_path):
    """0000 and 0001-01-01 made folders 0/ and 1/ that validate refused; now each row is
    refused in the network reader's words, all at once, before anything is written."""
    rows = [
        ["0000", "F1", "T1", "100199", "R4", "1", "t"],
        ["1899", "F1", "T1", "100199", "R4", "1", "t"],
        ["2999-01-01", "F1", "T1", "100199", "R4", "1", "t"],
        ["0001-01-01", "F1", "T1", "100199", "D1", "1", "t"],
        ["0999-12-31T10:00:00", "F1", "T1", "100199", "D1", "1", "t"],
    ]
    out = tmp_path / "out"
    with pytest.raises(InputError) as caught:
        import_registers([write(tmp_path / "years.csv", rows)], out)
    found = [(p.row, p.column, p.message) for p in caught.value.problems]
    assert found == [
        (2, "date", "'0000': 0 is not a year from 1000 to 9999"),
        (5, "date", "'0001-01-01': 1 is not a year from 1000 to 9999"),
        (6, "date", "'0999-12-31T10:00:00': 999 is not a year from 1000 to 9999"),
    ]
    assert all("1000 to 9999" in p.hint for p in caught.value.problems)
    assert not out.exists()


def test_a_default_date_no_network_takes_is_refused_in_the_mapping(tmp_path):
    path = tmp_path / "m.toml"
    path.write_text('[defaults]\ndate = "0000"\n', encoding="utf-8")
    with pytest.raises(InputError, match="0 is not a year from 1000 to 9999"):
        read_mapping(path, None)


def test_parquet_integer_years_follow_the_same_rule(tmp_path):
    frame = pd.DataFrame(
        {"date": [2019, 20], "sender": "F", "receiver": "T", "waste_code": "170405",
         "operation": "R4", "quantity": 1.0, "unit": "t"}
    )  # fmt: skip
    frame.to_parquet(tmp_path / "r.parquet")
    with pytest.raises(InputError) as caught:
        import_registers([tmp_path / "r.parquet"], None)
    [problem] = caught.value.problems
    assert (problem.row, problem.message) == (3, "'20': 20 is not a year from 1000 to 9999")


def zoned_register(path: Path, zone: str) -> Path:
    stamps = pd.to_datetime(["2019-12-31 23:00", "2020-06-01 12:00"]).tz_localize(zone)
    frame = pd.DataFrame(
        {"date": stamps, "sender": "F1", "receiver": "T1", "waste_code": "170405",
         "operation": ["R4", "D1"], "quantity": [1.0, 2.0], "unit": "t"}
    )  # fmt: skip
    frame.to_parquet(path)
    return path


@pytest.mark.parametrize("zone", ["US/Eastern", "Asia/Tokyo", "UTC"])
def test_a_zoned_timestamp_is_filed_under_its_local_year(tmp_path, zone):
    """31 December 2019 at 23:00 in New York is 2020 in UTC: it was filed under 2020; the
    CSV path files ``2019-12-31T23:00:00-05:00`` under 2019 (the date as written)."""
    result = import_registers([zoned_register(tmp_path / "tz.parquet", zone)], None)
    years = dict(zip(result.flows["operation"], result.flows["year"], strict=True))
    assert years == {"R4": 2019, "D1": 2020}


def test_a_utc_timestamp_keeps_its_utc_year_on_a_machine_elsewhere(tmp_path, monkeypatch):
    """DuckDB took the machine's time zone for its session."""
    import time

    monkeypatch.setenv("TZ", "Asia/Tokyo")
    time.tzset()
    try:
        result = import_registers([zoned_register(tmp_path / "utc.parquet", "UTC")], None)
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()
    assert sorted(result.flows["year"]) == [2019, 2020]


def test_csv_offsets_are_read_as_written(tmp_path):
    rows = [["2019-12-31T23:30:00-05:00", "F1", "T1", "170405", "R4", "1", "t"]]
    result = import_registers([write(tmp_path / "r.csv", rows, HEADER)], None)
    assert list(result.flows["year"]) == [2019]


def test_receivers_without_an_id_are_told_apart_by_their_names(tmp_path):
    """The default id merged a Mexican recycler and a Canadian smelter into one node,
    named after one of them; two rows of one group (same year, sender, code, operation)
    too."""
    rows = [
        ["2020", "DOW", "", "170405", "R4", "1", "t", "RECUPERADORA MEXICANA"],
        ["2020", "DOW", "", "170405", "R4", "2", "t", "ACME SMELTING CANADA"],
        ["2020", "DOW", "  ", "170405", "R4", "3", "t", ""],
        ["2020", "DOW", "X1", "170405", "R4", "4", "t", "ACME SMELTING CANADA"],
    ]
    mapping = Mapping(defaults={"receiver": "unknown {operation}"})
    path = write(tmp_path / "r.csv", rows, [*HEADER, "receiver_name"])
    result = import_registers([path], None, mapping=mapping)
    by_target = dict(zip(result.flows["target"], result.flows["quantity"], strict=True))
    assert by_target == {
        "RECUPERADORA MEXICANA": 1, "ACME SMELTING CANADA": 2, "unknown R4": 3, "X1": 4
    }  # fmt: skip
