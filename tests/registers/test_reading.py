"""Registers in, yearly networks out, on DuckDB: a hand-computed case, every check with
its file:row: column, and a hypothesis property (every tonne read is in a flow)."""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import symbiosis
from symbiosis.errors import InputError
from symbiosis.io.problems import MAX_ROWS_PER_RULE
from symbiosis.registers import Mapping, import_registers, read_mapping

HEADER = ["date", "sender", "receiver", "waste_code", "operation", "quantity", "unit"]
# A smelter, a recycler, a landfill, a power plant's fly ash to a cement kiln, a transfer
# station that stores hazardous scrap (D15) and sends it on, a yard taking slag for both
# recovery (R5, 4 t) and disposal (D1, 1 t).
SHIPMENTS = [
    ["2019-03-01", "SMELT", "REC", "17 04 05", "R4", "10", "t"],
    ["2019-04-01", " SMELT ", "REC", "170405", "r04", "500", "kg"],
    ["2019-05-01", "SMELT", "LF", "10 06 01", "D1", "20", "t"],
    ["2020-01-15", "SMELT", "LF", "10.06.01", "D1", "5", "t"],
    ["2020-02-15", "REC", "LF", "19 12 12", "D1", "1", "t"],
    ["2020-02-15", "PWR", "KILN", "10 01 02", "R1", "3", "t"],
    ["2020-03-01", "SMELT", "STORE", "17 04 09*", "D15", "2", "t"],
    ["2020-03-02", "STORE", "LF", "17 04 09", "D1", "2000", "kg"],
    ["2020", "SMELT", "MIX", "10 06 01", "R5", "4", "t"],
    ["2020-06-01T08:30:00", "SMELT", "MIX", "100601", "D 1", "1", "t"],
]


def write(path: Path, rows: list[list[str]], header: list[str] = HEADER) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


@pytest.fixture
def register(tmp_path: Path) -> Path:
    return write(tmp_path / "register.csv", SHIPMENTS)


def flow_table(flows: pd.DataFrame) -> set[tuple]:
    return {
        (r.year, r.source, r.target, r.waste_code, r.operation, r.quantity, r.shipments)
        for r in flows.itertuples()
    }


def test_hand_computed_networks(register, tmp_path):
    result = import_registers([register], tmp_path / "out")
    assert flow_table(result.flows) == {
        (2019, "SMELT", "REC", "17 04 05", "R4", 10.5, 2),
        (2019, "SMELT", "LF", "10 06 01", "D1", 20.0, 1),
        (2020, "SMELT", "LF", "10 06 01", "D1", 5.0, 1),
        (2020, "REC", "LF", "19 12 12", "D1", 1.0, 1),
        (2020, "PWR", "KILN", "10 01 02", "R1", 3.0, 1),
        (2020, "SMELT", "STORE", "17 04 09*", "D15", 2.0, 1),
        (2020, "STORE", "LF", "17 04 09*", "D1", 2.0, 1),  # the list says hazardous
        (2020, "SMELT", "MIX", "10 06 01", "R5", 4.0, 1),
        (2020, "SMELT", "MIX:disposal", "10 06 01", "D1", 1.0, 1),
    }
    roles = dict(zip(result.firms["id"], result.firms["role"], strict=True))
    assert roles == {
        "SMELT": "firm",
        "REC": "recycling",  # receives by R4; also sends: an actor anyway
        "LF": "disposal",
        "PWR": "firm",
        "KILN": "utility",  # R1, energy recovery
        "STORE": "treatment",  # D15 storage, but it sends on: an actor
        "MIX": "recycling",  # its R5 (4 t) ...
        "MIX:disposal": "disposal",  # ... and its D1 (1 t): a node per fate
    }
    materials = set(result.flows["material"])
    assert "Iron and steel" in materials and "Coal fly ash" in materials
    assert set(result.flows["category"]) == {"waste"} and set(result.flows["unit"]) == {"t"}
    assert result.years == {2019: (3, 2), 2020: (8, 7)}
    assert result.shipments == len(SHIPMENTS)


def test_written_folders_load_as_networks(register, tmp_path):
    out = tmp_path / "out"
    import_registers([register], out)
    assert sorted(p.name for p in out.iterdir()) == ["2019", "2020", "firms.csv", "flows.csv"]
    whole = symbiosis.load(out)
    assert whole.flows["value"].sum() == pytest.approx(10.5 + 20 + 5 + 1 + 3 + 2 + 2 + 4 + 1)
    year = symbiosis.load(out / "2019")
    assert sorted(year.firms.index) == ["LF", "REC", "SMELT"]
    assert set(year.flows["waste_code"]) == {"17 04 05", "10 06 01"}
    assert whole.firms.loc["STORE", "role"] == "treatment"


def test_files_are_summed_together(register, tmp_path):
    first = write(tmp_path / "a.csv", SHIPMENTS[:4])
    second = write(tmp_path / "b.csv", SHIPMENTS[4:] + SHIPMENTS[:1])
    split = import_registers([first, second], None)
    doubled = SHIPMENTS + SHIPMENTS[:1]
    whole = import_registers([write(tmp_path / "all.csv", doubled)], None)
    pd.testing.assert_frame_equal(split.flows, whole.flows)
    pd.testing.assert_frame_equal(split.firms, whole.firms)


def test_parquet_reads_like_csv(register, tmp_path):
    frame = pd.read_csv(register, dtype=str, keep_default_na=False)
    frame.to_parquet(tmp_path / "register.parquet")
    from_parquet = import_registers([tmp_path / "register.parquet"], None)
    pd.testing.assert_frame_equal(from_parquet.flows, import_registers([register], None).flows)


def test_every_bad_row_at_once(tmp_path):
    bad = write(
        tmp_path / "bad.csv",
        [
            SHIPMENTS[0],
            ["2019-02-30", "A", "B", "1704", "R14", "-5", "t"],
            ["", "", "B", "17 04 05x", "Q1", "abc", "m3"],
            ["2019-13-01", "A", "", "17 04 05", "R4", "", "t/d"],
            ["19/03/2019", "A", "B", "", "D1", "nan", "ton"],
        ],
    )
    with pytest.raises(InputError) as caught:
        import_registers([bad], tmp_path / "out")
    found = {(p.row, p.column): p.message for p in caught.value.problems}
    assert found == {
        (3, "date"): "'2019-02-30' is not a date",
        (4, "date"): "empty",
        (5, "date"): "'2019-13-01' is not a date",
        (6, "date"): "'19/03/2019' is written day first",
        (4, "sender"): "empty",
        (5, "receiver"): "empty",
        (3, "waste_code"): "'1704' is not a List of Waste code",
        (4, "waste_code"): "'17 04 05x' is not a List of Waste code",
        (6, "waste_code"): "empty",
        (3, "operation"): "'R14' is not a recovery or disposal operation",
        (4, "operation"): "'Q1' is not a recovery or disposal operation",
        (3, "quantity"): "-5 is negative",
        (4, "quantity"): "'abc' is not a number",
        (5, "quantity"): "empty",
        (6, "quantity"): "nan is not a number",
        (4, "unit"): "'m3' is a unit of volume",
        (5, "unit"): "'t/d' is a rate",
        (6, "unit"): "unit 'ton' is refused",
    }
    assert all(p.file == str(bad) and p.hint for p in caught.value.problems)
    assert not (tmp_path / "out").exists()  # nothing written


def test_infinite_and_huge_quantities_are_refused(tmp_path):
    """Found by fuzzing: 1e309 kg, inf t and 1e300 Mt were summed to inf, written into
    the network (exit 0), and that network was then refused when loaded."""
    rows = [
        SHIPMENTS[0],
        ["2019-03-01", "A", "C", "17 04 05", "R4", "1e309", "kg"],
        ["2019-03-01", "A", "D", "17 04 05", "R4", "inf", "t"],
        ["2019-03-01", "A", "E", "17 04 05", "R4", "1e300", "Mt"],
        ["2019-03-01", "A", "F", "17 04 05", "R4", "1e30", "t"],  # the bound itself: kept
    ]
    with pytest.raises(InputError) as caught:
        import_registers([write(tmp_path / "huge.csv", rows)], tmp_path / "out")
    found = {(p.row, p.column): p.message for p in caught.value.problems}
    assert found == {
        (3, "quantity"): "1e309 is not a finite number",
        (4, "quantity"): "inf is not a finite number",
        (5, "quantity"): "1e300 is more than 1e30 t once converted",
    }
    assert not (tmp_path / "out").exists()
    # each row within the bound, their sum past it: refused too, nothing written
    rows = [SHIPMENTS[0], *[["2019-03-01", "A", x, "17 04 05", "R4", "9e29", "t"] for x in "CD"]]
    with pytest.raises(InputError, match="add up to more than 1e30 t"):
        import_registers([write(tmp_path / "sum.csv", rows)], tmp_path / "out")
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("bad_row", [2, 30_002])  # in DuckDB's sample, and far past it
def test_text_that_is_not_utf8_is_located(tmp_path, bad_row):
    """A Latin-1 export: the byte and its row, as the network reader says it. Past the
    rows DuckDB samples when it opens a file, the error came while the query ran: an
    "internal error" (found by fuzzing)."""
    good = ",".join(SHIPMENTS[0]) + "\n"
    text = ",".join(HEADER) + "\n" + good * (bad_row - 2) + "2019-03-01,Caf\xe9,B,170405,R4,1,t\n"
    path = tmp_path / "latin.csv"
    path.write_bytes(text.encode("latin-1"))
    with pytest.raises(InputError) as caught:
        import_registers([path], tmp_path / "out")
    [problem] = caught.value.problems
    assert (problem.file, problem.row, problem.message) == (
        str(path),
        bad_row,
        "is not UTF-8 text (byte 0xE9)",
    )
    assert "CSV UTF-8" in problem.hint
    assert not (tmp_path / "out").exists()


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    text=st.text(alphabet="ab\né中😀", max_size=40),
    bad=st.none() | st.sampled_from([b"\xe9", b"\xff", b"\xc3"]),
    at=st.integers(0, 40),
    block=st.integers(1, 9),
)
def test_the_first_bad_byte_is_found_across_blocks(tmp_path, text, bad, at, block):
    """Read in small blocks (characters cut between two), the same byte and line as a
    decode of the whole file."""
    from symbiosis.registers.engines import _first_non_utf8

    raw = text.encode()
    if bad is not None:
        cut = len(text[: min(at, len(text))].encode())
        raw = raw[:cut] + bad + raw[cut:]
    path = tmp_path / "some.csv"
    path.write_bytes(raw)
    try:
        raw.decode("utf-8")
        expected = None
    except UnicodeDecodeError as exc:
        expected = (raw[exc.start], 1 + raw[: exc.start].count(b"\n"))
    assert _first_non_utf8(path, block=block) == expected


@pytest.mark.parametrize("separator", [";", "\t"])
def test_decimal_commas_in_a_semicolon_file(tmp_path, separator):
    """As European spreadsheets export them, and as the network reader reads them: a
    comma is the decimal point, a dot beside it a thousands separator (they were refused
    as "'10,5' is not a number")."""
    rows = [
        ["2019-03-01", "A", "B", "17 04 05", "R4", "10,5", "t"],
        ["2019-03-01", "A", "C", "17 04 05", "R4", "1.200,5", "t"],
        ["2019-03-01", "A", "D", "17 04 05", "R4", "2.5", "t"],
        ["2019-03-01", "A", "E", "17 04 05", "R4", "1500", "kg"],
    ]
    path = tmp_path / "semi.csv"
    path.write_text("\n".join(separator.join(r) for r in [HEADER, *rows]) + "\n")
    flows = import_registers([path], None).flows.set_index("target")["quantity"]
    assert flows.to_dict() == {"B": 10.5, "C": 1200.5, "D": 2.5, "E": 1.5}
    path.write_text(
        "\n".join(separator.join(r) for r in [HEADER, [*rows[0][:5], "1,2,3", "t"]]) + "\n"
    )
    with pytest.raises(InputError, match="'1,2,3' is not a number"):
        import_registers([path], None)


@pytest.mark.parametrize("separator", [";", "\t"])
def test_dots_that_may_be_thousands_are_refused_in_a_file_of_decimal_commas(tmp_path, separator):
    """'2.250;kg' beside '12,5' meant 2,250 kg: it was read as 2.25 kg (1000 times too
    little, exit 0). Refused at its row as the network reader refuses it; '1_000' too,
    which the engines read as 1000."""
    rows = [
        ["2019-03-01", "A", "B", "17 04 05", "R4", "2.250", "kg"],
        ["2019-03-01", "A", "C", "17 04 05", "R4", "12,5", "t"],
        ["2019-03-01", "A", "D", "17 04 05", "R4", "1.234.567", "kg"],
        ["2019-03-01", "A", "E", "17 04 05", "R4", "1_000", "kg"],
        ["2019-03-01", "A", "F", "17 04 05", "R4", "2.5", "t"],
    ]
    path = tmp_path / "semi.csv"
    path.write_text("\n".join(separator.join(r) for r in [HEADER, *rows]) + "\n")
    with pytest.raises(InputError) as caught:
        import_registers([path], None)
    said = [(p.row, p.message) for p in caught.value.problems]
    assert said == [
        (2, "'2.250' could be 2.250 or 2250 (dots between thousands) in a file of decimal commas"),
        (4, "'1.234.567' could be 1.234.567 or 1234567 (dots between thousands) in a file of "
            "decimal commas"),
        (5, "'1_000' is not a number"),
    ]  # fmt: skip
    assert caught.value.problems[0].hint == "write 2250 (no separator) or the decimals with a comma"


@pytest.mark.parametrize("content", [b"", b"  \n\n"])
def test_an_empty_file_says_so(tmp_path, content):
    """Not seven "no column" problems naming DuckDB's column0."""
    path = tmp_path / "empty.csv"
    path.write_bytes(content)
    with pytest.raises(InputError) as caught:
        import_registers([path], None)
    assert [(p.file, p.message) for p in caught.value.problems] == [(str(path), "is empty")]


def test_listing_is_capped_with_a_count(tmp_path):
    """Bad quantities among good rows of the same sender, receiver and code: the count is
    of the bad rows, not of their group."""
    good = ["2019-01-01", "A", "B", "17 04 05", "R4", "1", "t"]
    bad = ["2019-01-01", "A", "B", "17 04 05", "R4", "-1", "t"]
    rows = [good, bad] * (MAX_ROWS_PER_RULE + 7)
    with pytest.raises(InputError) as caught:
        import_registers([write(tmp_path / "neg.csv", rows)], None)
    (problem,) = caught.value.problems  # one reason, said once (all its rows were listed)
    assert problem.row == 3 and problem.more_rows == MAX_ROWS_PER_RULE + 6
    assert (
        problem.message
        == f"-1 is negative (also rows 5, 7, 9 and {MAX_ROWS_PER_RULE + 3:,} more rows)"
    )


def test_mapped_columns_and_defaults(tmp_path):
    header = ["Datum", "Erzeuger", "Entsorger", "AVV", "Verfahren", "Menge_t"]
    rows = [[r[0], r[1], r[2], r[3], r[4], r[5]] for r in SHIPMENTS if r[6] == "t"]
    mapping = read_mapping(
        None,
        [
            "date=Datum",
            "sender=Erzeuger",
            "receiver=Entsorger",
            "waste_code=AVV",
            "operation=Verfahren",
            "quantity=Menge_t",
        ],
    )
    mapping = Mapping(mapping.columns, {"unit": "t"})
    result = import_registers([write(tmp_path / "avv.csv", rows, header)], None, mapping=mapping)
    assert result.shipments == len(rows)
    assert set(result.flows["unit"]) == {"t"}


def test_missing_columns_are_named(tmp_path):
    path = write(tmp_path / "short.csv", [["2019-01-01", "A", "B"]], ["date", "sender", "dest"])
    with pytest.raises(InputError) as caught:
        import_registers([path], None)
    columns = {p.column for p in caught.value.problems}
    assert columns == {"receiver", "waste_code", "operation", "quantity", "unit"}
    assert "--map receiver=COLUMN" in caught.value.problems[0].hint


def test_mapping_file_errors(tmp_path):
    path = tmp_path / "m.toml"
    path.write_text('[columns]\nsendr = "x"\n[extra]\na = "b"\n', encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_mapping(path, ["quantity"])
    messages = " | ".join(str(p) for p in caught.value.problems)
    assert "unknown field 'sendr'" in messages
    assert "unknown table(s) extra" in messages
    assert "'quantity' is not field=column" in messages


def test_stated_roles_override_the_operation(tmp_path):
    rows = [[*r, "plant" if r[2] == "KILN" else ""] for r in SHIPMENTS]
    result = import_registers(
        [write(tmp_path / "roles.csv", rows, [*HEADER, "receiver_role"])], None
    )
    roles = result.firms.set_index("id")["role"]
    assert (roles["KILN"], roles["LF"]) == ("firm", "disposal")  # alias 'plant' = firm


def test_a_stated_role_that_is_none(tmp_path):
    rows = [[*r, "cement"] for r in SHIPMENTS[:1]]
    with pytest.raises(InputError, match="'cement' \\(for 'REC'\\) is not a role"):
        import_registers([write(tmp_path / "roles.csv", rows, [*HEADER, "receiver_role"])], None)


def test_ids_that_look_like_formulas_come_back_as_written(tmp_path):
    """A leading apostrophe (the spreadsheet guard) ended up inside the ids: ``-ACME``
    was read back by symbiosis as ``'-ACME``. The networks are symbiosis's inputs: every
    text is written as the register wrote it, and read back the same."""
    rows = [
        ["2019", "-ACME", "+Recyc", "100199", "R4", "1", "t", '=HYPERLINK("x")'],
        ["2019", "+Recyc", "@Land", "100199", "D1", "1", "t", "+Recyc Ltd"],
        ["2019", "=cmd|' /C calc'!A0", "@Land", "100199", "D1", "1", "t", ""],
    ]
    out = tmp_path / "out"
    import_registers([write(tmp_path / "f.csv", rows, [*HEADER, "sender_name"])], out)
    for folder in (out, out / "2019"):
        network = symbiosis.load(folder)
        assert set(network.firms.index) == {"-ACME", "+Recyc", "@Land", "=cmd|' /C calc'!A0"}
        assert network.firms.loc["-ACME", "name"] == '=HYPERLINK("x")'
        assert set(network.flows["source"]) == {"-ACME", "+Recyc", "=cmd|' /C calc'!A0"}
    assert "'-ACME" not in (out / "flows.csv").read_text(encoding="utf-8")


shipment = st.tuples(
    st.integers(2015, 2024),
    st.sampled_from(["A", "B", "C"]),
    st.sampled_from(["R", "S", "T"]),
    st.sampled_from(["17 04 05", "170405*", "10 01 02", "19 12 12"]),
    st.sampled_from(["R4", "R1", "D1", "D15", "r13"]),
    st.floats(0, 1e6, allow_nan=False).map(lambda x: round(x, 3)),
    st.sampled_from(["t", "kg"]),
)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(shipment, min_size=1, max_size=30))
def test_every_tonne_is_in_a_flow(tmp_path, shipments):
    rows = [[f"{y}-06-01", s, r, c, o, str(q), u] for y, s, r, c, o, q, u in shipments]
    result = import_registers([write(tmp_path / "p.csv", rows)], None)
    expected = pd.Series(
        [q / 1000 if u == "kg" else q for *_, q, u in shipments],
        index=[y for y, *_ in shipments],
    )
    totals = result.flows.groupby("year")["quantity"].sum()
    per_year = expected.groupby(level=0).sum()
    assert list(totals.index) == list(per_year.index)
    assert totals.to_numpy() == pytest.approx(per_year.to_numpy(), rel=1e-9, abs=1e-5)
    assert result.flows["shipments"].sum() == len(shipments)
    keys = {
        (y, s, r, c.replace(" ", "").rstrip("*"), o.upper()) for y, s, r, c, o, _, _ in shipments
    }
    assert len(result.flows) == len(keys)


def test_row_numbers_hold_in_a_large_file(tmp_path):
    """DuckDB reads a large CSV file in parallel chunks: the rows named are still the
    file's (the engine keeps insertion order)."""
    rows = [["2019-01-01", f"S{i % 97}", "R", "17 04 05", "R4", "1", "t"] for i in range(300_000)]
    for at in (0, 123_456, 299_999):
        rows[at] = ["2019-01-01", "S", "R", "17 04 05", "R4", f"-{at + 1}", "t"]
    with pytest.raises(InputError) as caught:
        import_registers([write(tmp_path / "large.csv", rows)], None)
    found = [(p.row, p.message) for p in caught.value.problems]
    assert found == [
        (2, "-1 is negative"),
        (123_456 + 2, "-123457 is negative"),
        (299_999 + 2, "-300000 is negative"),
    ]


def test_row_numbers_hold_across_parquet_row_groups(tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    n = 250_000
    quantity = [1.0] * n
    for at in (5, 100_001, 249_999):
        quantity[at] = -1.0
    table = pa.table(
        {
            "date": ["2020-02-02"] * n,
            "sender": [f"S{i % 13}" for i in range(n)],
            "receiver": ["R"] * n,
            "waste_code": ["10 01 02"] * n,
            "operation": ["R5"] * n,
            "quantity": quantity,
            "unit": ["t"] * n,
        }
    )
    pq.write_table(table, tmp_path / "groups.parquet", row_group_size=60_000)
    with pytest.raises(InputError) as caught:
        import_registers([tmp_path / "groups.parquet"], None)
    assert [p.row for p in caught.value.problems] == [5 + 2, 100_001 + 2, 249_999 + 2]


def test_problems_are_listed_by_file_and_row(tmp_path):
    """The checks ran one after the other: row 10's operation came before row 6's
    quantity (E-PRTR), row 7's date after row 3's operation and before row 2's (a Chinese
    manifest)."""
    rows = [
        ["2019-01-01", "F", "T", "170405", "R4", "1", "t"],
        ["2019-01-01", "F", "T", "170405", "R4", "1", "t"],
        ["2019-01-01", "F", "T", "170405", "U", "1", "t"],
        ["2019-01-01", "F", "T", "170405", "R4", "", "t"],
        ["2019-01-01", "F", "T", "170405", "R4", "1", "t"],
        ["2022年13月5日", "F", "T", "170405", "R4", "1", "t"],
    ]
    first = write(tmp_path / "b.csv", rows)
    second = write(tmp_path / "a.csv", [rows[2], rows[5]])
    with pytest.raises(InputError) as caught:
        import_registers([first, second], None)
    found = [(Path(p.file).name, p.row, p.column) for p in caught.value.problems]
    assert found == [
        ("b.csv", 4, "operation"),
        ("b.csv", 5, "quantity"),
        ("b.csv", 7, "date"),
        ("a.csv", 2, "operation"),
        ("a.csv", 3, "date"),
    ]


@pytest.mark.parametrize("code", ["HW08 251-001-08", "251-001-08", "HW50", "hw08: 251-001-08"])
def test_a_chinese_hazardous_waste_code_is_named_as_such(tmp_path, code):
    """A register of Chinese transfer manifests (转移联单) writes the codes of the National
    Catalogue of Hazardous Wastes: said to be those, not 'not a List of Waste code'."""
    bad = write(
        tmp_path / "bad.csv", [SHIPMENTS[0], ["2019-02-01", "A", "B", code, "R9", "5", "t"]]
    )
    with pytest.raises(InputError) as caught:
        import_registers([bad], tmp_path / "out")
    (problem,) = caught.value.problems
    assert (problem.row, problem.column) == (3, "waste_code")
    assert "National Catalogue of Hazardous Wastes" in problem.message
    assert problem.hint.startswith(
        'map the waste\'s name (废物名称) to material and give waste_code = "" under [defaults]'
    )


def test_a_default_waste_code_of_the_chinese_catalogue_is_named_as_such():
    from symbiosis.registers.fields import default_problem

    message, hint = default_problem("waste_code", "HW08")
    assert "National Catalogue of Hazardous Wastes" in message and hint
    assert default_problem("waste_code", "HW8x")[0] == "'HW8x' is not a List of Waste code"
