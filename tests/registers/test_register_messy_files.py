"""Messy register and mapping files (found by fuzzing): each refused with its file, row and
column as the network reader says them, exit 2, nothing written, never an internal error
or a hang; the messy files a spreadsheet writes (blank lines, a byte-order mark, empty
fields ending every row) read as a clean file."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from symbiosis.cli import app
from symbiosis.errors import InputError
from symbiosis.registers import Mapping, import_registers, read_mapping
from symbiosis.registers import engines as engines_module
from symbiosis.registers.files import _blank_rows_by_csv, blank_rows

EXAMPLES = Path(__file__).parents[2] / "examples" / "registers"
HEADER = "date,sender,receiver,waste_code,operation,quantity,unit"
GOOD = "2021-01-01,F1,T1,170407,R4,1,t"
runner = CliRunner()


def register(tmp_path: Path, *rows: str, name: str = "r.csv", end: str = "\n") -> Path:
    path = tmp_path / name
    path.write_bytes((end.join([HEADER, *rows]) + end).encode())
    return path


def problems_of(*files: Path, mapping=None) -> list[tuple]:
    with pytest.raises(InputError) as caught:
        import_registers(list(files), None, mapping=mapping)
    return [(p.file, p.row, p.column, p.message) for p in caught.value.problems]


def cli(*args) -> tuple[int, list[str]]:
    result = runner.invoke(app, ["register", "import", *(str(a) for a in args)])
    assert "Traceback" not in result.output and "internal error" not in result.output
    return result.exit_code, result.stderr.strip().splitlines()


# ---------------------------------------------------------------- the rows of a CSV file


def test_a_filled_receiver_is_not_empty_when_the_operation_is_bad(tmp_path):
    """``receiver.replace('{operation}', op)`` was null for a null operation: a spurious
    ``receiver: empty`` beside the operation's own problem."""
    path = register(
        tmp_path,
        "2021-01-01,F1,T1,1704,R14,1,t",
        "2021-01-01,F1,T1,abcdef,X,1,t",
        GOOD,
        "2021-01-01,F1,T1,170407,,1,t",
        "2021-01-01,F1,T1,170407,R\x1b[31m4,1,t",
    )
    found = problems_of(path)
    assert [(row, column) for _, row, column, _ in found] == [
        (2, "waste_code"),
        (2, "operation"),
        (3, "waste_code"),
        (3, "operation"),
        (5, "operation"),
        (6, "operation"),
    ]  # by row


def test_a_default_receiver_still_names_the_operation(tmp_path):
    path = tmp_path / "r.csv"
    path.write_text("date,sender,waste_code,operation,quantity,unit\n2021,F1,170407,R4,1,t\n")
    mapping = Mapping({}, {"receiver": "unnamed {operation} receiver"})
    flows = import_registers([path], None, mapping=mapping).flows
    assert flows["target"].tolist() == ["unnamed R4 receiver"]


def test_blank_lines_count_in_the_row_numbers(tmp_path):
    path = register(tmp_path, "", "", "2021-01-01,F1,T1,170407,R4,abc,t")
    assert problems_of(path) == [(str(path), 4, "quantity", "'abc' is not a number")]


def test_rows_of_empty_fields_are_blank_lines(tmp_path):
    """A tester's: ``,,,,,,`` (what Excel writes for formatted empty rows) was 7 problems,
    ``date: empty`` to ``unit: no unit``; every other reader skips it as blank."""
    clean = import_registers([register(tmp_path, GOOD, name="clean.csv")], None)
    path = register(tmp_path, GOOD, ",,,,,,", " , ,,,,,", '"",,,,,,', ",,,,,,")
    assert import_registers([path], None).flows.equals(clean.flows)
    code, lines = cli(path)
    assert code == 0 and not [line for line in lines if line.startswith("error")]


@pytest.mark.parametrize("end", ["\n", "\r\n"])
def test_rows_are_numbered_past_rows_of_empty_fields(tmp_path, end):
    rows = [
        ",,,,,,",
        GOOD,
        "",
        "2021-01-01,F1,T1,170407,R4,1,t,oops",  # row 5: refused, skipped
        ",,,,,,",
        "2021-01-01,F1,T1,170407,R4,abc,t",  # row 7
        ",,,,,,",
        "2021-01-01,,T1,170407,R4,1,t",  # row 9
    ]
    path = register(tmp_path, *rows, end=end)
    assert problems_of(path) == [
        (str(path), 5, None, "has 8 fields where the header has 7"),
        (str(path), 7, "quantity", "'abc' is not a number"),
        (str(path), 9, "sender", "empty"),
    ]


def test_rows_of_empty_fields_are_skipped_when_the_defaults_would_fill_them(tmp_path):
    defaults = {"date": "2021", "sender": "F1", "receiver": "T1", "waste_code": "170407",
                "operation": "R4", "quantity": "1", "unit": "t"}  # fmt: skip
    path = register(tmp_path, GOOD, ",,,,,,")
    flows = import_registers([path], None, mapping=Mapping({}, defaults)).flows
    assert flows["shipments"].tolist() == [1]


def test_a_file_of_rows_of_empty_fields_has_no_shipment_rows(tmp_path):
    path = register(tmp_path, ",,,,,,", ",,,,,,")
    assert problems_of(path) == [(str(path), None, None, "no shipment rows")]


@pytest.mark.parametrize("end", ["\n", "\r\n"])
def test_rows_are_numbered_past_blank_lines_quoted_line_breaks_and_refused_rows(tmp_path, end):
    rows = [
        "",
        '2021-01-01,"F1',  # a quoted cell over two lines: one row
        'x",T1,170407,R4,1,t',
        "",
        "2021-01-01,F1,T1,170407,R4,1,t,oops",  # row 5: refused, skipped
        "   ",  # a blank line of spaces: skipped, not reported
        "2021-01-01,F1,T1,170407,R4,-2,t",  # row 7
        '2021-01-01,"a ""quoted""',  # row 8: a quote doubled inside a quoted cell
        '",T1,170407,R14,1,t',
        "",
        "2021-13-01,F1,T1,170407,R4,1,t",  # row 10
    ]
    path = register(tmp_path, *rows, end=end)
    assert problems_of(path) == [
        (str(path), 5, None, "has 8 fields where the header has 7"),
        (str(path), 7, "quantity", "-2 is negative"),
        (str(path), 8, "operation", "'R14' is not a recovery or disposal operation"),
        (str(path), 10, "date", "'2021-13-01' is not a date"),
    ]  # by row


@settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    rows=st.lists(
        st.sampled_from(["", "a,b", ",", '"x,y",1', '"p\nq",2', '"\n\n","r""s"', "  "]),
        max_size=25,
    ),
    end=st.sampled_from(["\n", "\r\n"]),
    block=st.integers(1, 9),
)
def test_blank_lines_are_found_as_the_csv_module_reads_rows(tmp_path, rows, end, block):
    """The vectorised scan (in blocks of any size) finds the blank lines that Python's
    csv module finds, a line end inside quotes ending no row."""
    path = tmp_path / "blank.csv"
    path.write_bytes(end.join(["h1,h2", *rows, ""]).encode())
    expected = _blank_rows_by_csv(path, ",", 10**9).tolist()
    assert blank_rows(path, ",", 10**9).tolist() == expected
    from symbiosis.registers import files

    saved, files._BLOCK = files._BLOCK, block
    try:
        assert blank_rows(path, ",", 10**9).tolist() == expected
    finally:
        files._BLOCK = saved


def test_a_quote_inside_a_cell_falls_back_to_the_csv_module(tmp_path):
    path = register(tmp_path, '2021-01-01,F1,T1 5" pipe,170407,R4,1,t', "", "", GOOD)
    assert blank_rows(path, ",", 10**9).tolist() == [3, 4]


def test_rows_of_the_wrong_length_are_reported_as_such(tmp_path):
    long = register(tmp_path, "2021-01-01,F1,T1,170407,R4,1,t,extra,extra", name="long.csv")
    short = register(tmp_path, "2021-01-01,F1,T1", GOOD, name="short.csv")
    assert problems_of(long, short) == [
        (str(long), 2, None, "has 9 fields where the header has 7"),
        (str(short), 2, None, "has 3 fields where the header has 7"),
    ]
    code, lines = cli(long)
    assert code == 2
    assert lines[0] == (
        f"error: {long}:2: has 9 fields where the header has 7; quote fields that contain "
        "the separator, or remove the extra separators"
    )


def test_rows_ending_with_the_same_empty_fields_read_as_a_clean_file(tmp_path):
    clean = import_registers([register(tmp_path, GOOD, "2021-02-01,F2,T1,170407,R4,2,t")], None)
    for tail in (",", ",,", ",,,"):
        path = register(tmp_path, GOOD + tail, "2021-02-01,F2,T1,170407,R4,2,t" + tail)
        assert import_registers([path], None).flows.equals(clean.flows)
    path = register(tmp_path, GOOD + ",,", "2021-02-01,F2,T1,170407,R4,2,t,x,")
    assert problems_of(path) == [(str(path), 3, None, "has 9 fields where the header has 7")]


def test_an_unclosed_quote_is_refused_at_its_row(tmp_path):
    path = register(tmp_path, GOOD, '2021-01-01,"F1,T1,170407,R4,1,t')
    assert problems_of(path) == [(str(path), 3, None, 'has a quote (") that is never closed')]


def test_a_nul_byte_in_an_id_or_a_name_is_refused(tmp_path):
    """It was imported and written, and the written network then refused."""
    path = tmp_path / "nul.csv"
    path.write_bytes(
        f"{HEADER},sender_name\n2021-01-01,F\x001,T1,170407,R4,1,t,A\n"
        "2021-01-01,F2,T\x001,170407,R4,1,t,B\x00\n".encode()
    )
    out = tmp_path / "out"
    with pytest.raises(InputError) as caught:
        import_registers([path], out)
    found = {(p.row, p.column): p.message for p in caught.value.problems}
    assert found == {
        (2, "sender"): "'F\\x001' contains a NUL byte",
        (3, "receiver"): "'T\\x001' contains a NUL byte",
        (3, "sender_name"): "'B\\x00' contains a NUL byte",
    }
    assert not out.exists()


def test_a_column_named_twice_is_refused(tmp_path):
    path = tmp_path / "dup.csv"
    path.write_text(f"{HEADER},Quantity\n{GOOD},5\n")
    assert problems_of(path) == [(str(path), 1, "quantity", "column appears more than once")]


def test_a_file_named_twice_is_refused(tmp_path):
    path = register(tmp_path, GOOD)
    link = tmp_path / "link.csv"
    link.symlink_to(path)
    assert problems_of(path, path, link) == [
        (str(path), None, None, "is named twice"),
        (str(link), None, None, f"is the same file as {path}"),
    ]
    out = tmp_path / "out"
    code, lines = cli(path, path, "--out", out)
    assert code == 2 and not out.exists()
    assert lines[0].startswith(f"error: {path}: is named twice; give each register file once")
    copy = register(tmp_path, GOOD, name="copy.csv")  # another file with the same rows
    assert import_registers([path, copy], None).shipments == 2


def test_a_folder_a_link_loop_and_a_fifo_each_say_what_they_are(tmp_path):
    folder = tmp_path / "adir.csv"
    folder.mkdir()
    loop = tmp_path / "l1.csv"
    loop.symlink_to(tmp_path / "l2.csv")
    (tmp_path / "l2.csv").symlink_to(loop)
    fifo = tmp_path / "fifo.csv"
    os.mkfifo(fifo)
    found = problems_of(folder, loop, fifo, tmp_path / "missing.csv")
    assert [message for *_, message in found] == [
        "is a folder, not a file",
        "is a symbolic link that leads to no file (its target is missing, or the links lead "
        "back to themselves)",
        "is not a regular file (a device, a pipe or a socket)",
        "no such file",
    ]


def test_too_many_refused_rows_are_counted_in_one_line(tmp_path, monkeypatch):
    monkeypatch.setattr(engines_module, "REJECTS_LIMIT", 5)
    path = register(tmp_path, *[GOOD + ",x"] * 9, "2021-01-01,F1,T1,170407,R4,abc,t")
    found = problems_of(path)  # the rows of one reason said once
    assert [row for _, row, _, _ in found] == [2, None]
    assert found[0][3] == "has 8 fields where the header has 7 (also rows 3, 4, 5 and 1 more row)"
    assert "more rows that cannot be read after row 6" in found[-1][3]


def test_a_stated_role_that_is_none_is_located(tmp_path):
    path = tmp_path / "roles.csv"
    path.write_text(
        f"{HEADER},receiver_role\n{GOOD},\n\n{GOOD},cement\n2021-01-01,F1,T2,170407,R4,1,t,landfill\n"
    )
    assert problems_of(path) == [
        (str(path), 4, "receiver_role", "'cement' (for 'T1') is not a role")
    ]


# ----------------------------------------------------------------------- the mapping file


def eprtr_mapping() -> str:
    return (EXAMPLES / "eprtr.toml").read_text(encoding="utf-8")


def test_a_mapping_with_a_byte_order_mark_is_read(tmp_path):
    path = tmp_path / "bom.toml"
    path.write_bytes(b"\xef\xbb\xbf" + eprtr_mapping().encode())
    assert read_mapping(path, None) == read_mapping(EXAMPLES / "eprtr.toml", None)


def test_a_mapping_nested_too_deeply_is_refused_not_an_internal_error(tmp_path):
    path = tmp_path / "deep.toml"
    path.write_text("x = " + "[" * 600 + "]" * 600 + "\n")
    code, lines = cli(EXAMPLES / "eprtr_waste_transfers.csv", "--mapping", path)
    assert code == 2
    # tomllib recurses: under Python's default recursion limit it gives up (the first
    # message); where a library imported before raised the limit, it reads the file, and
    # its table x is refused as unknown (the second). Never an internal error.
    assert lines in (
        [
            f"error: {path}: arrays or inline tables are nested too deeply to be read; fix "
            'the syntax: a [columns] and a [defaults] table of field = "text" lines'
        ],
        [f"error: {path}:1: unknown table(s) x; use [columns], [defaults] and [options]"],
    )


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
@pytest.mark.parametrize("kind", ["fifo", "device"])
def test_a_mapping_that_is_a_fifo_or_a_device_is_refused_at_once(tmp_path, kind):
    """read_text() on a FIFO blocked for ever (on /dev/zero it would fill the memory)."""
    if kind == "fifo":
        path = tmp_path / "fifo.toml"
        os.mkfifo(path)
    else:
        path = Path("/dev/zero")
    register_file = str(EXAMPLES / "eprtr_waste_transfers.csv")
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "symbiosis",
            "register",
            "import",
            register_file,
            "--mapping",
            str(path),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2
    assert done.stderr.startswith(
        f"error: {path}: is not a regular file (a device, a pipe or a socket); give the path "
        "of a mapping .toml file"
    )


def test_mapping_read_errors_are_plain_words_with_a_hint(tmp_path):
    folder = tmp_path / "adir.toml"
    folder.mkdir()
    latin = tmp_path / "latin.toml"
    latin.write_bytes(b"# caf\xe9\n[columns]\n")
    syntax = tmp_path / "syntax.toml"
    syntax.write_text("[columns\nsender = 'x'\n")
    for path, row, message in [
        (folder, None, "is a folder, not a file"),
        (latin, 1, "is not UTF-8 text (byte 0xE9)"),
        (syntax, 1, "not valid TOML: expected ']' at the end of a table declaration"),
    ]:
        with pytest.raises(InputError) as caught:
            read_mapping(path, None)
        [problem] = caught.value.problems
        assert (problem.file, problem.row, problem.message) == (str(path), row, message)
        assert problem.hint and "Errno" not in str(problem)


def test_mapping_problems_are_at_the_mapping_key(tmp_path):
    path = tmp_path / "m.toml"
    path.write_text(
        "[columns]\n"
        "sender = ''\n"
        "quantity = '  '\n"
        "receiver = 5\n"
        "operation = ['a']\n"
        "[defaults]\n"
        "unit = 'furlong'\n"
        "date = 'reportingYear'\n"
        "waste_code = ''\n"
        "quantity = '-1'\n"
        "operation = 'R14'\n"
    )
    with pytest.raises(InputError) as caught:
        read_mapping(path, None)
    found = [(p.file, p.row, p.column, p.message) for p in caught.value.problems]
    assert found == [  # in line order
        (str(path), 2, "columns.sender", "the column name is empty"),
        (str(path), 3, "columns.quantity", "the column name is empty"),
        (str(path), 4, "columns.receiver", "must be a text (the name of a column), not a number"),
        (str(path), 5, "columns.operation", "must be a text (the name of a column), not a list"),
        (
            str(path),
            7,
            "defaults.unit",
            "unit 'furlong' is not a mass, energy or volume (it reads as fur)",
        ),
        (str(path), 8, "defaults.date", "'reportingYear' is not a date"),
        (str(path), 10, "defaults.quantity", "'-1' is not a finite number >= 0"),
        (str(path), 11, "defaults.operation", "'R14' is not a recovery or disposal operation"),
    ]


def test_mapping_problems_come_in_line_order_then_the_options(tmp_path):
    """A tester's: lines 4, 6, 7, then 3 (an unknown field was checked last); an unknown
    field given by --map was put in the file, without a line."""
    path = tmp_path / "m.toml"
    path.write_text('[columns]\nsender = "From"\nnope = "x"\nquantity = 5\n[defaults]\n'
                    'unit = "tons"\n[extra]\na=1\n')  # fmt: skip
    with pytest.raises(InputError) as caught:
        read_mapping(path, ["foo=bar", "x"])
    found = [(p.file, p.row, p.column) for p in caught.value.problems]
    assert found == [
        (str(path), 3, "columns"),
        (str(path), 4, "columns.quantity"),
        (str(path), 6, "defaults.unit"),
        (str(path), 7, None),
        ("--map", None, None),  # 'x' is not field=column
        ("--map", None, "columns"),  # unknown field 'foo'
    ]


def test_a_toml_error_at_the_end_of_the_file_has_its_line(tmp_path):
    """A tester's: 'columns = [' gave no line (tomllib says 'at end of document')."""
    path = tmp_path / "m.toml"
    path.write_text("[defaults]\nunit = 't'\ncolumns = [\n\n")
    with pytest.raises(InputError) as caught:
        read_mapping(path, None)
    [problem] = caught.value.problems
    assert (problem.row, problem.message) == (
        3, "not valid TOML: invalid value at the end of the file"
    )  # fmt: skip


def test_a_bad_default_is_reported_once_at_its_key(tmp_path):
    path = tmp_path / "bad_default.toml"
    path.write_text(eprtr_mapping().replace('unit = "t"', 'unit = "furlong"'))
    code, lines = cli(EXAMPLES / "eprtr_waste_transfers.csv", "--mapping", path)
    assert code == 2
    assert len(lines) == 1 and lines[0].startswith(f"error: {path}:")
    assert ": defaults.unit: unit 'furlong' is not a mass" in lines[0]


def test_valid_defaults_are_accepted(tmp_path):
    path = tmp_path / "m.toml"
    path.write_text(
        "[defaults]\nunit = 'kg'\ndate = '2020-06-30'\noperation = 'r 04'\n"
        "waste_code = '17 04 09*'\nquantity = '0'\nreceiver = 'unnamed {operation} receiver'\n"
    )
    assert read_mapping(path, None).defaults["operation"] == "r 04"
