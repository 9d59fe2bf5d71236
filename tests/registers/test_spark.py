"""The same register query on Spark (local mode) gives the same networks as on DuckDB,
and the same located problems. Skipped when pyspark or Java is missing."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest

pytest.importorskip("pyspark")
if shutil.which("java") is None:
    pytest.skip("Spark needs Java", allow_module_level=True)

from symbiosis.errors import InputError
from symbiosis.registers import import_registers
from symbiosis.registers.synthetic import SyntheticRegister, write_csv, write_parquet

SPEC = SyntheticRegister(rows=10_000, senders=400, receivers=40, seed=11)


@pytest.fixture(scope="module")
def session():
    from pyspark.sql import SparkSession

    spark = (
        SparkSession.builder.master("local[2]")
        .appName("symbiosis-tests")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.sql.session.timeZone", "UTC")
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    yield spark
    spark.stop()


def same(a, b) -> None:
    pd.testing.assert_frame_equal(a.firms, b.firms)
    pd.testing.assert_frame_equal(a.flows, b.flows, check_exact=False, rtol=1e-12)
    assert a.years == b.years and a.shipments == b.shipments


@pytest.mark.parametrize("kind", ["parquet", "csv"])
def test_spark_gives_the_duckdb_networks(tmp_path, session, kind):
    writer = write_parquet if kind == "parquet" else write_csv
    path = writer(tmp_path / f"r.{kind}", SPEC)
    on_duckdb = import_registers([path], tmp_path / "duckdb")
    on_spark = import_registers([path], tmp_path / "spark", engine="spark", session=session)
    same(on_duckdb, on_spark)
    for name in ("flows.csv", "2019/flows.csv", "2019/firms.csv"):
        duck = pd.read_csv(tmp_path / "duckdb" / name)
        spark = pd.read_csv(tmp_path / "spark" / name)
        pd.testing.assert_frame_equal(duck, spark, check_exact=False, rtol=1e-12)


def test_spark_locates_the_same_problems(tmp_path, session):
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "date,sender,receiver,waste_code,operation,quantity,unit\n"
        "2019-01-01,A,B,17 04 05,R4,1,t\n"
        "2019-02-30,A,B,1704,R14,-5,t\n"
        ",,B,17 04 05x,Q1,abc,m3\n",
        encoding="utf-8",
    )
    found = []
    for engine in ("duckdb", "spark"):
        with pytest.raises(InputError) as caught:
            import_registers([bad], None, engine=engine, session=session)
        found.append([str(p) for p in caught.value.problems])
    assert found[0] == found[1] and len(found[0]) == 10


HEADER = "date,sender,receiver,waste_code,operation,quantity,unit"
GOOD = "2021-01-01,F1,T1,170407,R4,1,t"
MESSY = {  # Spark alone read each of these without a word, or said something else
    "long": [HEADER, GOOD + ",extra,extra", GOOD],  # the extra fields were dropped
    "short": [HEADER, "2021-01-01,F1,T1", GOOD],  # 'waste_code: empty' and three more
    "quote": [HEADER, GOOD, '2021-01-01,"F1,T1,170407,R4,1,t'],
    "tail": [HEADER, GOOD + ",,", "2021-02-01,F2,T1,170407,R4,2,t,x,"],  # 'x' was dropped
    "blank": [HEADER, "", GOOD, "", GOOD + ",oops", "2021-13-01,F1,T1,170407,R4,-2,t"],
}
CLEAN = {  # read alike, rows numbered alike
    "multiline": [HEADER, '2021-01-01,"F\n1",T1,170407,R4,1,t', "", "2021-13-01,F1,T1,1,R4,1,t"],
    "semicolon": [HEADER.replace(",", ";"), GOOD.replace(",", ";"), "2021-01-01;F1;T1;1;R4;1;t"],
    "tails": [HEADER, GOOD + ",,", "2021-02-01,F2,T1,170407,R4,2,t,,"],
    "empty fields": [HEADER, ",,,,,,", GOOD, ",,,,,,", "", "2021-13-01,F1,T1,1,R4,1,t"],
}


@pytest.mark.parametrize("name", [*MESSY, *CLEAN])
def test_spark_refuses_the_rows_duckdb_refuses(tmp_path, session, name):
    """Rows of the wrong length, unclosed quotes and values past the header are found by
    DuckDB's strict reading before Spark runs the query; a quoted cell over two lines
    and another separator are read as DuckDB reads them."""
    path = tmp_path / f"{name}.csv"
    path.write_text("\n".join((MESSY | CLEAN)[name]) + "\n", encoding="utf-8")
    found = []
    for engine in ("duckdb", "spark"):
        try:
            flows = import_registers([path], None, engine=engine, session=session).flows
            found.append(flows.reset_index(drop=True))
        except InputError as exc:
            found.append([str(p) for p in exc.problems])
    duckdb, spark = found
    if name == "tails":
        pd.testing.assert_frame_equal(duckdb, spark)
    elif name in CLEAN:
        assert isinstance(duckdb, list) and spark == duckdb
    else:  # Spark stops at the file's structure; its other rows' problems come once it reads
        structure = [p for p in duckdb if "fields where" in p or "never closed" in p]
        assert structure and spark == structure


def test_spark_files_a_zoned_timestamp_under_its_local_year(tmp_path, session):
    from .test_aggregate import zoned_register

    path = zoned_register(tmp_path / "tz.parquet", "US/Eastern")
    on_spark = import_registers([path], None, engine="spark", session=session)
    years = dict(zip(on_spark.flows["operation"], on_spark.flows["year"], strict=True))
    assert years == {"R4": 2019, "D1": 2020}


def test_spark_counts_a_repeated_consignment_once_as_duckdb_does(tmp_path, session):
    from symbiosis.registers import Mapping

    path = tmp_path / "r.csv"
    path.write_text(
        "date,sender,receiver,waste_code,operation,quantity,unit,nr\n"
        "2021-03-01,A,B,17 04 05,R4,10,t,BS1\n"
        "2021-03-02,A,B,17 04 05,R4,5,t,BS2\n"
        "2021-03-01,A,B,17 04 05,R4,10,t,BS1\n"
        "2021-03-03,A,B,17 04 05,R4,5,t,\n"
        "2021-03-03,A,B,17 04 05,R4,5,t,\n"
    )
    mapping = Mapping({"consignment": "nr"})
    on_duckdb = import_registers([path], None, mapping=mapping)
    on_spark = import_registers([path], None, mapping=mapping, engine="spark", session=session)
    same(on_duckdb, on_spark)
    assert on_spark.flows["quantity"].sum() == 25 and on_spark.warnings == on_duckdb.warnings
    plain = import_registers([path], None, engine="spark", session=session)
    assert [w for w in plain.warnings if "alike" in w] == [
        w for w in import_registers([path], None).warnings if "alike" in w
    ]
