"""``symbiosis register import``: the examples, JSON, written folders, located errors with
exit 2 and nothing written, mapping options, and the report's recovery section."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from symbiosis.cli import app

EXAMPLES = Path(__file__).parents[2] / "examples" / "registers"
runner = CliRunner()


def invoke(*args):
    result = runner.invoke(app, [str(a) for a in args])
    assert "Traceback" not in result.output
    return result


@pytest.fixture(autouse=True)
def wide_console(monkeypatch):
    monkeypatch.setenv("COLUMNS", "250")


def test_import_writes_one_network_per_year(tmp_path):
    out = tmp_path / "networks"
    result = invoke("register", "import", EXAMPLES / "shipments.csv", "--out", out)
    assert result.exit_code == 0, result.output
    assert "1,500 shipments" in result.stdout and f"written to {out}" in result.stdout
    assert "Recovery rate by year" in result.stdout
    assert sorted(p.name for p in out.iterdir()) == [
        "2019",
        "2020",
        "2021",
        "firms.csv",
        "flows.csv",
    ]
    analysed = invoke("analyze", out / "2020", "--sections", "summary,recovery", "-f", "json")
    assert analysed.exit_code == 0, analysed.output
    rows = json.loads(analysed.stdout)["recovery"]["rows"]
    assert {r["year"] for r in rows} == {2020}


def test_json_matches_the_files(tmp_path):
    out = tmp_path / "n"
    result = invoke("register", "import", EXAMPLES / "shipments.csv", "--out", out, "-f", "json")
    data = json.loads(result.stdout)
    assert data["shipments"] == 1500 and data["out"] == str(out)
    for year, counts in data["years"].items():
        flows = (out / year / "flows.csv").read_text().splitlines()
        firms = (out / year / "firms.csv").read_text().splitlines()
        assert (len(firms) - 1, len(flows) - 1) == (counts["firms"], counts["flows"])
    totals = [r for r in data["recovery"]["rows"] if r["chapter"] == "all"]
    assert [r["year"] for r in totals] == [2019, 2020, 2021]
    assert all(0 <= r["recovery_rate"] <= 1 for r in totals)


def test_without_out_nothing_is_written(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = invoke("register", "import", EXAMPLES / "shipments.csv")
    assert result.exit_code == 0 and "nothing written" in result.stdout
    assert list(tmp_path.iterdir()) == []


def test_the_eprtr_sample_through_its_mapping(tmp_path):
    out = tmp_path / "eprtr"
    result = invoke(
        "register",
        "import",
        EXAMPLES / "eprtr_waste_transfers.csv",
        "--mapping",
        EXAMPLES / "eprtr.toml",
        "--out",
        out,
        "-f",
        "json",
    )
    assert result.exit_code == 0, result.output
    firms = (out / "firms.csv").read_text()
    assert '"unnamed R receiver","unnamed R receiver","","recycling"' in firms
    assert '"unnamed D receiver","unnamed D receiver","","disposal"' in firms
    assert "Example Copper Smelter" in firms
    rows = json.loads(result.stdout)["recovery"]["rows"]
    total_2019 = next(r for r in rows if r["year"] == 2019 and r["chapter"] == "all")
    recovered = 1250.4 + 48210 + 420 + 3100 + 212000
    disposed = 310 + 90500 + 870 + 64000 + 35.2
    assert total_2019["recovered"] == pytest.approx(recovered)
    assert total_2019["recovery_rate"] == pytest.approx(recovered / (recovered + disposed))


def test_bad_rows_exit_2_all_at_once_and_nothing_written(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "date,sender,receiver,waste_code,operation,quantity,unit\n"
        "2019-01-01,A,B,17 04 05,R4,1,t\n"
        "2019-02-30,A,B,17 04 05,R4,1,t\n"
        "2019-01-01,A,B,1704,R4,1,t\n"
        "2019-01-01,A,B,17 04 05,X9,1,t\n"
        "2019-01-01,A,B,17 04 05,R4,-3,t\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    result = invoke("register", "import", bad, "--out", out)
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert lines[:4] == [
        f"error: {bad}:3: date: '2019-02-30' is not a date; write the date as YYYY-MM-DD (or "
        "2023/5/6, 6.5.2023, 2023年5月6日), or the year alone",
        f"error: {bad}:4: waste_code: '1704' is not a List of Waste code; write the six "
        "digits of the List of Waste, e.g. 17 04 05 or 170405 (* for hazardous: 17 04 09*)",
        f"error: {bad}:5: operation: 'X9' is not a recovery or disposal operation; use a "
        "recovery or disposal code, R1-R13 or D1-D15 (Directive 2008/98/EC, Annexes II and I)",
        f"error: {bad}:6: quantity: -3 is negative; write a number >= 0, e.g. 12.5 (12,5 in "
        "a file separated by ; or tabs)",
    ]
    assert "4 problems found" in lines[-1]
    assert not out.exists() and result.stdout == ""


def test_map_options_and_an_unknown_field(tmp_path):
    source = tmp_path / "r.csv"
    source.write_text("when,from,to,ewc,op,t\n2020-05-01,A,B,17 04 05,R4,2\n", encoding="utf-8")
    maps = ["date=when", "sender=from", "receiver=to", "waste_code=ewc", "operation=op"]
    args = [arg for m in [*maps, "quantity=t"] for arg in ("--map", m)]
    missing_unit = invoke("register", "import", source, *args)
    assert missing_unit.exit_code == 2 and "no column 'unit' for the field unit" in (
        missing_unit.stderr
    )
    mapping = tmp_path / "m.toml"
    mapping.write_text('[defaults]\nunit = "t"\n', encoding="utf-8")
    result = invoke("register", "import", source, *args, "--mapping", mapping, "-f", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["years"] == {"2020": {"firms": 2, "flows": 1}}
    unknown = invoke("register", "import", source, "--map", "weight=t")
    assert unknown.exit_code == 2 and "unknown field 'weight'" in unknown.stderr


def test_an_unreadable_file_is_exit_2(tmp_path):
    broken = tmp_path / "broken.parquet"
    broken.write_text("not parquet", encoding="utf-8")
    result = invoke("register", "import", broken)
    assert result.exit_code == 2
    assert f"error: {broken}: cannot read it as Parquet" in result.stderr


def test_out_may_not_be_an_input(tmp_path):
    source = EXAMPLES / "shipments.csv"
    result = invoke("register", "import", source, "--out", source)
    assert result.exit_code == 2 and "refusing to write into an input file" in result.stderr


def test_file_problems_of_several_files_at_once(tmp_path):
    empty = tmp_path / "empty.csv"
    empty.write_text("date,sender,receiver,waste_code,operation,quantity,unit\n")
    short = tmp_path / "short.csv"
    short.write_text("date,sender\n2019-01-01,A\n")
    missing = tmp_path / "missing.csv"
    result = invoke("register", "import", missing, EXAMPLES / "shipments.csv", empty, short)
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert lines[0] == f"error: {missing}: no such file; check the path"
    assert lines[1].startswith(f"error: {empty}: no shipment rows")
    assert sum(line.startswith(f"error: {short}: ") for line in lines) == 5
    assert "7 problems found" in lines[-1]


def test_a_malformed_memory_limit_is_a_usage_error():
    result = invoke("register", "import", EXAMPLES / "shipments.csv", "--memory-limit", "lots")
    assert result.exit_code == 2
    assert "--memory-limit: 'lots' is not a memory size" in result.stderr


def test_the_chapter_table_of_every_year_is_shown(tmp_path):
    """The text output showed the chapters of the last year only (tester-register D11)."""
    result = invoke("register", "import", EXAMPLES / "shipments.csv")
    assert result.exit_code == 0, result.output
    titled = [line for line in result.output.splitlines() if "by List of Waste chapter" in line]
    years = [line.split(",")[-1].strip() for line in titled]
    assert len(years) > 1 and years == sorted(years)
