"""The reader and validator (symbiosis.io): every rule, with the exact file, row and column
it reports, and every accepted file form giving the values of the clean file.

Rows are numbered as a spreadsheet shows them: the header is row 1. The clean network
below has hand-computed totals: mass 1200.5 + 300 + 450.25 + 880 + 75 = 2905.75 t,
energy 2500 MWh * 3.6 + 1800 GJ = 10800 GJ, volume 12000 m3; one flow of unknown size.
"""

import codecs
import json
import os
import re
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from symbiosis import io as symbiosis_io
from symbiosis.errors import InputError, SymbiosisWarning
from symbiosis.io import load, parsing, reading, validate_frames

FIRMS = """\
id,name,sector,role,lat,lon
MINE,Copper mine,mining,extraction,30.90,117.92
SMELT,Smelter,copper smelting,firm,30.93,117.81
ACID,Acid plant,chemicals,firm,30.95,117.80
POWER,Power plant,electricity,utility,30.91,117.85
CEMENT,Cement works,cement,firm,30.88,117.77
MARKET,Outside market,,market,,
LANDFILL,Landfill,,disposal,,
RIVER,Yangtze,,environment,,
"""
FLOWS = """\
source,target,material,quantity,unit,category,year,price
MINE,SMELT,copper concentrate,1200.5,t,product,2019,850
SMELT,ACID,sulfur dioxide,300,t,by-product,2019,
SMELT,CEMENT,copper slag,450.25,t,by-product,2019,12.5
ACID,MARKET,sulfuric acid,880,t,product,2019,60
POWER,SMELT,electricity,2500,MWh,product,2019,
POWER,ACID,steam,1800,GJ,product,2019,
SMELT,LANDFILL,tailings,75,t,waste,2019,
ACID,RIVER,wastewater,12000,m3,emission,2019,
CEMENT,MARKET,cement,,t,product,2019,
"""
TOTALS = {"mass": 2905.75, "energy": 10800.0, "volume": 12000.0}
VALUES = [1200.5, 300, 450.25, 880, 9000, 1800, 75, 12000, np.nan]


@pytest.fixture(params=["arrow", "pandas"])
def reader(request, monkeypatch):
    """Run a test with both CSV readers: pyarrow's fast path and the pandas fallback
    (pyarrow's parse refused, as for a file it cannot parse cleanly), checking that the
    reader named is the one that read."""
    used = []
    if request.param == "pandas":
        monkeypatch.setattr(parsing, "parse", lambda data, separator, *args, **options: None)
        fallback = reading._read_with_pandas
        monkeypatch.setattr(
            reading, "_read_with_pandas", lambda *args: used.append(1) or fallback(*args)
        )
    yield request.param
    if request.param == "pandas":
        assert used, "the pandas reader was never used"


def write(folder: Path, firms: str | bytes | None = FIRMS, flows: str | bytes | None = FLOWS):
    folder.mkdir(parents=True, exist_ok=True)
    for name, content in (("firms.csv", firms), ("flows.csv", flows)):
        if content is None:
            continue
        data = content.encode("utf-8") if isinstance(content, str) else content
        (folder / name).write_bytes(data)
    return folder


def problems(folder: Path) -> list:
    with pytest.raises(InputError) as caught:
        load(folder)
    return caught.value.problems


def located(folder: Path) -> list[tuple]:
    """(file name, row, column) of every problem, in the order reported."""
    return [(Path(p.file).name, p.row, p.column) for p in problems(folder)]


def only_problem(folder: Path):
    found = problems(folder)
    assert len(found) == 1, [str(p) for p in found]
    return found[0]


def assert_problem(folder, file, row, column, message, hint=None):
    problem = only_problem(folder)
    assert (Path(problem.file).name, problem.row, problem.column) == (file, row, column), str(
        problem
    )
    assert message in problem.message, str(problem)
    if hint is not None:
        assert hint in problem.hint, str(problem)
    return problem


def totals(network) -> dict[str, float]:
    return {d: v["total"] for d, v in network.summary().totals.items()}


def replace_row(text: str, row: int, new: str) -> str:
    """``text`` with spreadsheet row ``row`` (1 = header) replaced by ``new``."""
    lines = text.splitlines()
    lines[row - 1] = new
    return "\n".join(lines) + "\n"


def cell(text: str, row: int, column: str, value: str) -> str:
    """``text`` with one cell changed (simple CSV without quotes)."""
    lines = text.splitlines()
    header = lines[0].split(",")
    fields = lines[row - 1].split(",")
    fields[header.index(column)] = value
    lines[row - 1] = ",".join(fields)
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------- the clean file


def test_clean_network_loads_with_hand_computed_values(tmp_path, reader):
    network = load(write(tmp_path))
    assert network.n_firms == 8 and network.n_flows == 9
    assert totals(network) == pytest.approx(TOTALS)
    np.testing.assert_allclose(network.flows["value"].to_numpy(), VALUES)
    assert list(network.flows["dimension"].fillna("?")) == [
        "mass",
        "mass",
        "mass",
        "mass",
        "energy",
        "energy",
        "mass",
        "volume",
        "mass",
    ]
    assert list(network.flows["row"]) == list(range(2, 11))
    assert list(network.firms["row"]) == list(range(2, 10))
    assert network.firms.loc["MARKET", "role"] == "market"
    assert not network.firms.loc["RIVER", "actor"]
    assert list(network.flows["year"]) == [2019] * 9
    assert network.flows["price"].iloc[0] == 850
    assert any("1 flow(s) have no quantity" in w for w in network.warnings)


def test_paths_as_folder_flows_file_or_two_files(tmp_path):
    folder = write(tmp_path / "net")
    by_folder = load(folder)
    by_file = load(folder / "flows.csv")  # firms.csv beside it is used
    moved = tmp_path / "elsewhere" / "companies.csv"
    moved.parent.mkdir()
    moved.write_text(FIRMS)
    by_names = load(firms=moved, flows=folder / "flows.csv")
    for network in (by_file, by_names):
        assert network.n_firms == by_folder.n_firms
        assert totals(network) == pytest.approx(TOTALS)
    assert {p.name for p in by_folder.source_files} == {"firms.csv", "flows.csv"}


def test_flows_alone_make_nodes_with_roles_from_their_ids(tmp_path):
    flows = FLOWS.replace("LANDFILL", "landfill").replace("RIVER", "river")
    network = load(write(tmp_path, firms=None, flows=flows))
    assert network.firms.loc["landfill", "role"] == "disposal"
    assert network.firms.loc["river", "role"] == "environment"
    assert network.firms.loc["MARKET", "role"] == "market"  # a role name, any case
    assert network.firms.loc["SMELT", "role"] == "firm"
    assert any("no firms file" in w for w in network.warnings)


# --------------------------------------------------------------------------- accepted forms


def semicolon_decimal_comma(text: str) -> str:
    out = text.replace(",", ";")
    for dotted in ("1200.5", "450.25", "12.5", "30.90", "117.92", "30.93", "117.81"):
        out = out.replace(dotted, dotted.replace(".", ","))
    return out


ACCEPTED = {
    "utf-8 BOM": lambda t: codecs.BOM_UTF8 + t.encode(),
    "utf-16 LE BOM": lambda t: t.encode("utf-16"),  # the BOM is written by the codec
    "utf-16 BE BOM": lambda t: codecs.BOM_UTF16_BE + t.encode("utf-16-be"),
    "utf-32 LE BOM": lambda t: t.encode("utf-32"),  # the BOM is written by the codec
    "utf-32 BE BOM": lambda t: codecs.BOM_UTF32_BE + t.encode("utf-32-be"),
    "excel sep= line": lambda t: ("sep=,\n" + t).encode(),
    "excel sep= line, semicolons, decimal commas, CRLF": lambda t: (
        ("sep=;\n" + semicolon_decimal_comma(t)).replace("\n", "\r\n").encode()
    ),
    "excel sep= line naming a tab, UTF-16": lambda t: ("sep=\t\n" + t.replace(",", "\t")).encode(
        "utf-16"
    ),
    "excel sep= line after a UTF-8 BOM": lambda t: codecs.BOM_UTF8 + ("SEP=,\r" + t).encode(),
    "CRLF": lambda t: t.replace("\n", "\r\n").encode(),
    "CR only": lambda t: t.replace("\n", "\r").encode(),
    "tab separated": lambda t: t.replace(",", "\t").encode(),
    "semicolon, decimal comma": lambda t: semicolon_decimal_comma(t).encode(),
    "semicolon, decimal point": lambda t: t.replace(",", ";").encode(),
    "spaces around cells": lambda t: t.replace(",", " , ").encode(),
    "upper-case header": lambda t: (
        (t.split("\n", 1)[0].upper() + "\n" + t.split("\n", 1)[1]).replace("ID,", "Id,").encode()
    ),
    "blank lines": lambda t: t.replace("\n", "\n\n", 3).encode(),
    "no final newline": lambda t: t.rstrip("\n").encode(),
    "trailing separators on every row": lambda t: t.replace("\n", ",,\n").encode(),
    "trailing separators on data rows only": lambda t: (
        t.split("\n", 1)[0] + "\n" + t.split("\n", 1)[1].replace("\n", ",\n")
    ).encode(),
}


@pytest.mark.parametrize("form", ACCEPTED)
def test_accepted_file_forms_give_the_clean_values(tmp_path, form, reader):
    encode = ACCEPTED[form]
    network = load(write(tmp_path, firms=encode(FIRMS), flows=encode(FLOWS)))
    assert network.n_firms == 8 and network.n_flows == 9
    assert totals(network) == pytest.approx(TOTALS)
    np.testing.assert_allclose(network.flows["value"].to_numpy(), VALUES)
    assert network.firms.loc["MINE", "lat"] == pytest.approx(30.90)


def test_quoted_fields_with_embedded_newlines_count_as_one_row(tmp_path, reader):
    flows = FLOWS.replace("year,price\n", "year,price,notes\n", 1).splitlines()
    flows[1] += ',"line one\nline two\nline three"'
    flows[2] += ',"a, b; c"'
    flows[4] = flows[4].replace("880", "-880")  # spreadsheet row 5, physical line 7
    assert_problem(
        write(tmp_path, flows="\n".join(flows) + "\n"), "flows.csv", 5, "quantity", "negative"
    )


def test_blank_lines_keep_counting_rows(tmp_path, reader):
    flows = FLOWS.replace("SMELT,LANDFILL,tailings,75", "\n\nSMELT,LANDFILL,tailings,-75")
    assert_problem(write(tmp_path, flows=flows), "flows.csv", 10, "quantity", "negative")


# --------------------------------------------------------------------------- whole files


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "is empty"),
        (b"  \n\n \r\n", "is empty"),
        (codecs.BOM_UTF8, "is empty"),
        (b"source,target,material,quantity,unit,category\n", "has a header but no data rows"),
        (b"source,target,material,quantity,unit,category", "has a header but no data rows"),
        (b"source,target,material,quantity,unit,category\n,,,,,\n", "no data rows"),
    ],
)
def test_empty_flows_files(tmp_path, content, message, reader):
    assert_problem(write(tmp_path, flows=content), "flows.csv", None, None, message)


def test_header_only_firms_file(tmp_path, reader):
    assert_problem(write(tmp_path, firms="id,name\n"), "firms.csv", None, None, "no data rows")


def test_latin1_file_is_refused_at_its_row(tmp_path, reader):
    firms = FIRMS.replace("Smelter", "Fonderie Jürgen").encode("latin-1")
    problem = assert_problem(write(tmp_path, firms=firms), "firms.csv", 3, None, "not UTF-8")
    assert "0xFC" in problem.message and "CSV UTF-8" in problem.hint


def test_latin1_row_counts_records_not_lines(tmp_path):
    flows = FLOWS.replace("year,price\n", "year,price,notes\n", 1).splitlines()
    flows[1] += ',"two\nlines"'
    flows[8] += ",Jürgen"  # spreadsheet row 9, physical line 10
    data = ("\n".join(flows) + "\n").encode("latin-1")
    assert_problem(write(tmp_path, flows=data), "flows.csv", 9, None, "not UTF-8")


@pytest.mark.parametrize("encoding", ["gbk", "gb18030"])
def test_chinese_windows_csv_is_read_with_a_warning(tmp_path, encoding, reader):
    """Excel saves 'CSV' on Chinese Windows in code page 936 (GBK): the Chinese names
    read as written, and a warning says how. Measured: 'is not UTF-8 text (byte 0xB6)'."""
    firms = FIRMS.replace("Smelter", "铜陵有色金隆铜业").replace("Landfill", "填埋场")
    flows = FLOWS.replace("copper slag", "铜渣").replace("tailings", "尾矿")
    folder = write(tmp_path, firms=firms.encode(encoding), flows=flows.encode(encoding))
    network = load(folder)
    utf8 = load(write(tmp_path / "utf8", firms=firms, flows=flows))
    pd.testing.assert_frame_equal(network.firms, utf8.firms)
    pd.testing.assert_frame_equal(network.flows, utf8.flows)
    assert "铜陵有色金隆铜业" in set(network.firms["name"])
    warned = [w for w in network.warnings if "read as GB18030" in w]
    assert len(warned) == 2 and "CSV UTF-8" in warned[0], network.warnings


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        ("Fonderie Jürgen, Château", "cp1252"),  # an accent before a Latin letter
        ("Société Générale d'Électricité", "latin-1"),
        ("Øresund Energi; Müller", "cp1252"),
    ],
)
def test_text_of_other_8_bit_encodings_is_not_read_as_chinese(tmp_path, text, encoding):
    """Every such text decodes as GB18030 too, into rare characters outside GB2312:
    refused, at its row, as before."""
    firms = FIRMS.replace("Smelter", text).encode(encoding)
    problem = assert_problem(write(tmp_path, firms=firms), "firms.csv", 3, None, "not UTF-8")
    assert "CSV UTF-8" in problem.hint


@pytest.mark.parametrize(
    "content", [bytes(range(256)) * 8, b"\x00\x01binary\x00"], ids=["bytes", "nul"]
)
def test_binary_files_are_refused(tmp_path, content):
    assert_problem(write(tmp_path, flows=content), "flows.csv", None, None, "not a text file")


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"])
def test_utf16_and_utf32_without_a_bom_are_named(tmp_path, encoding):
    """Issue 18, item 15: UTF-32 (with a BOM: read, see ACCEPTED) without one is named, and
    so is UTF-16, rather than called binary."""
    name = encoding[:6].upper()
    problem = assert_problem(
        write(tmp_path, flows=FLOWS.encode(encoding)),
        "flows.csv",
        None,
        None,
        f"looks like {name} text without a byte-order mark",
    )
    assert "CSV UTF-8" in problem.hint and f"{name} with a byte-order mark" in problem.hint


def test_rows_after_an_excel_sep_line_are_numbered_as_excel_shows_them(tmp_path, reader):
    """Excel hides its sep= line: the header is row 1."""
    flows = "sep=,\n" + cell(FLOWS, 4, "quantity", "-1")
    assert_problem(write(tmp_path, flows=flows), "flows.csv", 4, "quantity", "-1 is negative")


@pytest.mark.parametrize("line", ["sep=", "sep=x", "sep=;;x", "sep=ab"])
def test_a_sep_line_naming_no_separator_is_refused(tmp_path, line):
    problem = assert_problem(
        write(tmp_path, flows=f"{line}\n{FLOWS}"), "flows.csv", None, None, f"'{line}'"
    )
    assert "names no separator" in problem.message and "sep=," in problem.hint


def test_a_blank_first_row_is_not_a_header(tmp_path, reader):
    problem = assert_problem(
        write(tmp_path, flows="\n" + FLOWS), "flows.csv", 1, None, "has no column names"
    )
    assert "first row" in problem.hint


def test_random_bytes_without_nul_are_not_utf8(tmp_path):
    # bytes 1-9 then LF: row 1; 11, 12 then a bare CR (a line break, as for pandas and
    # spreadsheets): row 2; the first non-UTF-8 byte, 0x80, is on row 3
    assert_problem(
        write(tmp_path, flows=bytes(range(1, 256)) * 4), "flows.csv", 3, None, "not UTF-8"
    )


def test_rows_with_too_many_fields_are_all_listed(tmp_path, reader):
    flows = FLOWS.replace("SMELT,ACID,sulfur dioxide", "SMELT,ACID,sulfur,dioxide")
    flows = flows.replace("ACID,RIVER,wastewater,12000", "ACID,RIVER,waste,water,12000")
    assert located(write(tmp_path, flows=flows)) == [
        ("flows.csv", 3, None),
        ("flows.csv", 9, None),
    ]
    assert "has 9 fields where the header has 8" in problems(tmp_path)[0].message


def test_unclosed_quote_is_located(tmp_path, reader):
    """At its row and column; the rows below it are read as written, and checked."""
    flows = FLOWS.replace("SMELT,CEMENT,copper slag", 'SMELT,CEMENT,"copper slag')
    flows = flows.replace("SMELT,LANDFILL,tailings,75", "SMELT,LANDFILL,tailings,abc")
    assert [(p.row, p.column, p.message) for p in problems(write(tmp_path, flows=flows))] == [
        (4, "material", 'has a quote (") that is never closed'),
        (8, "quantity", "'abc' is not a number"),
    ]


@pytest.mark.parametrize(
    ("separator", "end"),
    [(",", "\n"), (";", "\r\n"), ("\t", "\n")],
    ids=["comma", "semicolon-crlf", "tab"],
)
@pytest.mark.parametrize("last", ["notes", "category"])
def test_a_quote_never_closed_in_the_last_column_swallows_no_row(
    tmp_path, reader, separator, end, last
):
    """Issue (tester-files 1): pyarrow read the cell of such a quote to the end of the file,
    every row below inside it, and the file passed with one flow of three."""
    header = ["source", "target", "material", "quantity", "unit", "category", "notes"][
        : 7 if last == "notes" else 6
    ]
    rows = [
        ["MINE", "SMELT", "ore", "1", "t", "product", "ok"],
        ["SMELT", "CEMENT", "slag", "2", "t", "by-product", "x"],
        ["CEMENT", "MARKET", "dust", "abc", "t", "product", ""],
    ]
    lines = [header] + [row[: len(header)] for row in rows]
    lines[1 if last == "notes" else 2][-1] = '"' + lines[1 if last == "notes" else 2][-1]
    flows = "".join(separator.join(line) + end for line in lines)
    found = problems(write(tmp_path, flows=flows))
    assert [(p.row, p.column, p.message) for p in found] == [
        (2 if last == "notes" else 3, last, 'has a quote (") that is never closed'),
        (4, "quantity", "'abc' is not a number"),
    ]
    assert found[0].hint == "close the quoted field, or remove the stray quote"


def test_a_quote_never_closed_in_the_header_is_row_1(tmp_path, reader):
    flows = FLOWS.replace("year,price", 'year,"price', 1)
    flows = flows.replace("SMELT,LANDFILL,tailings,75", "SMELT,LANDFILL,tailings,abc")
    assert [(p.row, p.column, p.message) for p in problems(write(tmp_path, flows=flows))] == [
        (1, None, 'has a quote (") that is never closed'),
        (8, "quantity", "'abc' is not a number"),
    ]


def test_rows_short_of_a_required_column_say_so(tmp_path, reader):
    """Issue 18, item 15: a row with 3 of 8 fields is one problem with its field count, not
    'unit is empty' and 'category is empty'."""
    flows = FLOWS + "SMELT,LANDFILL,slag\n" + "SMELT,LANDFILL,scrap,1,t\n"
    flows = cell(flows, 2, "quantity", "-1")  # still reported: other rows are checked
    found = problems(write(tmp_path, flows=flows))
    assert [(p.row, p.column, p.message) for p in found] == [  # in row order
        (2, "quantity", "-1 is negative"),
        (11, None, "has 3 fields where the header has 8"),
        (12, None, "has 5 fields where the header has 8"),
    ]
    assert "one field per column" in found[1].hint


def test_rows_short_of_optional_columns_only_keep_them_empty(tmp_path, reader):
    flows = FLOWS.replace(",2019,", ",,").replace(",,\n", "\n", 1)  # row 2 ends at category
    network = load(write(tmp_path, flows=flows))
    assert network.flows["value"].iloc[0] == 1200.5 and pd.isna(network.flows["year"].iloc[0])


@pytest.mark.filterwarnings("error")  # an exception lost in pyarrow's handler warns
@pytest.mark.parametrize("count", [1500, 2500])  # counted by pyarrow, then by csv
def test_many_short_rows_are_listed_then_counted(tmp_path, count):
    flows = FLOWS + "SMELT,LANDFILL\n" * count
    found = problems(write(tmp_path, flows=flows))
    assert len(found) == 1001
    rest = f"{count - 1000:,} more rows (rows 1011 to {count + 10})"
    assert found[-1].row is None and rest in found[-1].message


# --------------------------------------------------------------------------- paths


def test_folder_without_flows(tmp_path):
    problem = assert_problem(write(tmp_path, flows=None), tmp_path.name, None, None, "no flows")
    assert problem.file == str(tmp_path)


def test_missing_path(tmp_path):
    assert_problem(tmp_path / "nowhere", "nowhere", None, None, "does not exist")


def test_a_folder_where_a_file_is_expected(tmp_path):
    write(tmp_path)
    (tmp_path / "dir.csv").mkdir()
    with pytest.raises(InputError) as caught:
        load(firms=tmp_path / "dir.csv", flows=tmp_path / "flows.csv")
    assert [(Path(p.file).name, p.row, p.column) for p in caught.value.problems] == [
        ("dir.csv", None, None)
    ]
    assert "is a folder" in caught.value.problems[0].message


def test_flows_csv_that_is_a_folder(tmp_path):
    write(tmp_path, flows=None)
    (tmp_path / "flows.csv").mkdir()
    assert_problem(tmp_path, "flows.csv", None, None, "is a folder")


def test_unreadable_file_simulated(tmp_path, monkeypatch):
    """Root reads any file, so the permission error is simulated."""
    folder = write(tmp_path)
    real = Path.read_bytes

    def refuse(self):
        if self.name == "firms.csv":
            raise PermissionError(13, "Permission denied", str(self))
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", refuse)
    assert_problem(folder, "firms.csv", None, None, "permission denied")


@pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root can read a chmod 000 file"
)
def test_unreadable_file_for_real(tmp_path):
    folder = write(tmp_path)
    (folder / "firms.csv").chmod(0)
    try:
        assert_problem(folder, "firms.csv", None, None, "permission denied")
    finally:
        (folder / "firms.csv").chmod(0o644)


# --------------------------------------------------------------------------- columns


@pytest.mark.parametrize("column", ["source", "target", "material", "quantity", "unit", "category"])
def test_missing_flow_column(tmp_path, column):
    frame = pd.read_csv(pd.io.common.StringIO(FLOWS), dtype=str, keep_default_na=False)
    frame = frame.drop(columns=column)
    problem = assert_problem(
        write(tmp_path, flows=frame.to_csv(index=False)),
        "flows.csv",
        1,
        column,
        "required column is missing",
    )
    assert f"add a '{column}' column" in problem.hint


def test_misspelt_column_gets_a_rename_hint(tmp_path, reader):
    flows = FLOWS.replace("quantity", "quantitiy", 1)
    assert_problem(
        write(tmp_path, flows=flows),
        "flows.csv",
        1,
        "quantity",
        "missing",
        hint="rename column 'quantitiy' to 'quantity'",
    )


@pytest.mark.parametrize(
    ("column", "header"),
    [
        ("source", "From"),
        ("source", "Source_Firm"),
        ("target", "TO"),
        ("material", "Substance"),
        ("quantity", "Amount"),
        ("quantity", "产生量"),  # one of a register's two quantities: never read as it
        ("unit", "Unit of measure"),
        ("category", "Flow-Type"),
    ],
)
def test_a_column_under_another_usual_name_gets_a_rename_hint(tmp_path, column, header):
    frame = pd.read_csv(pd.io.common.StringIO(FLOWS), dtype=str, keep_default_na=False)
    frame = frame.rename(columns={column: header})
    assert_problem(
        write(tmp_path, flows=frame.to_csv(index=False)),
        "flows.csv",
        1,
        column,
        "required column is missing",
        hint=f"rename column '{header}' to '{column}'",  # as the header writes it
    )


@pytest.mark.parametrize("years", [["2019", "2020"], ["quantity_2019", "quantity_2020"],
                                   ["2019年", "2020年", "2021年"],
                                   ["Quantity_2019", "Quantity_2020"]])  # fmt: skip
def test_quantities_in_a_column_per_year_are_named_as_such(tmp_path, years):
    """A table as statistics print it, one column of quantities per year: not a column to
    rename (difflib offered 'rename column quantity_2020 to quantity')."""
    frame = pd.read_csv(pd.io.common.StringIO(FLOWS), dtype=str, keep_default_na=False)
    frame = frame.drop(columns=["quantity", "year"]).assign(**dict.fromkeys(years, "1"))
    problem = assert_problem(write(tmp_path, flows=frame.to_csv(index=False)), "flows.csv", 1,
                             "quantity", "required column is missing")  # fmt: skip
    assert problem.hint.startswith(f"the columns {years[0]}, {years[1]}")
    assert "one row per flow and year" in problem.hint


def test_a_firm_id_under_another_usual_name_gets_a_rename_hint(tmp_path):
    firms = FIRMS.replace("id,name", "Company ID,name", 1)
    assert_problem(write(tmp_path, firms=firms), "firms.csv", 1, "id", "missing",
                   hint="rename column 'Company ID' to 'id'")  # fmt: skip


@pytest.mark.parametrize(
    ("column", "header", "effect"),
    [
        ("role", "Type", "every node is read as a firm"),  # holding no roles: see below
        ("sector", "Industry", "no receiver or missing plant is found"),
        ("name", "Company Name", "firms show their ids"),
        ("lat", "Latitude", "not ranked by distance"),
    ],
)
def test_an_optional_firm_column_under_another_usual_name_is_warned(tmp_path, column, header,
                                                                   effect):  # fmt: skip
    """The column is kept as an attribute and the analysis goes on without the optional
    one, which it cannot see: a landfill headed 'Type' made every node a firm, so nothing
    left the network and no opportunity was found, without a word. (A column of roles
    under another name is refused: tests/test_io_header_names.py.)"""
    frame = pd.read_csv(pd.io.common.StringIO(FIRMS), dtype=str, keep_default_na=False)
    if column == "role":  # a column of roles under another name is refused
        frame["role"] = frame["role"].where(frame["role"] != "disposal", "tip")
    network = load(
        write(tmp_path, firms=frame.rename(columns={column: header}).to_csv(index=False))
    )
    warned = [w for w in network.warnings if f"'{header}' is not read as '{column}'" in w]
    assert len(warned) == 1 and effect in warned[0], network.warnings
    assert header.lower() in network.firms.columns  # kept, as any other column


def test_the_usual_name_warning_quotes_the_header_as_written(tmp_path):
    """Measured: 'Type' and 'Fiscal Year' were quoted lower-cased ('type', 'fiscal
    year'), not as the file writes them ('Industry' here: a 'Type' of roles is refused)."""
    from typer.testing import CliRunner

    from symbiosis.cli import app

    firms = FIRMS.replace("sector,", "Industry,", 1)
    flows = FLOWS.replace(",year,", ",Fiscal Year,", 1)
    result = CliRunner().invoke(app, ["validate", str(write(tmp_path, firms=firms, flows=flows))])
    assert result.exit_code == 0, result.output
    said = [line.split(": ", 2)[2] for line in result.stderr.splitlines() if "not read as" in line]
    assert [line.split(":")[0] for line in said] == [
        "column 'Industry' is not read as 'sector'",
        "column 'Fiscal Year' is not read as 'year'",
    ]


def test_a_usual_other_name_beside_the_column_itself_is_not_warned(tmp_path):
    frame = pd.read_csv(pd.io.common.StringIO(FIRMS), dtype=str, keep_default_na=False)
    frame["type"], frame["industry"] = "plant", "metals"  # columns of the user's own
    network = load(write(tmp_path, firms=frame.to_csv(index=False)))
    assert not [w for w in network.warnings if "is not read as" in w]
    assert list(network.firms["type"].unique()) == ["plant"]


@pytest.mark.parametrize(
    ("header", "unit"),
    [("Quantity (t/yr)", "t/yr"), ("quantity [GJ]", "GJ"), ("Quantity (MWh)", "MWh")],
)
def test_a_unit_in_the_quantity_header_is_named_in_the_hint(tmp_path, header, unit):
    frame = pd.read_csv(pd.io.common.StringIO(FLOWS), dtype=str, keep_default_na=False)
    frame = frame.drop(columns="unit").rename(columns={"quantity": header})
    with pytest.raises(InputError) as caught:
        load(write(tmp_path, flows=frame.to_csv(index=False)))
    by_column = {p.column: p for p in caught.value.problems}
    assert by_column["quantity"].hint == f"rename column '{header}' to 'quantity'"
    assert by_column["unit"].hint == (
        f"add a 'unit' column, '{unit}' on every row (as the header '{header}' says)"
    )


def test_missing_id_column(tmp_path):
    firms = FIRMS.replace("id,name", "code,name", 1)
    assert_problem(write(tmp_path, firms=firms), "firms.csv", 1, "id", "missing")


@pytest.mark.parametrize("second", ["quantity", "Quantity", " quantity "])
def test_repeated_column(tmp_path, second, reader):
    flows = FLOWS.replace("year,price", f"year,{second}", 1)
    assert_problem(write(tmp_path, flows=flows), "flows.csv", 1, "quantity", "more than once")


def test_repeated_first_column(tmp_path, reader):
    """The first column repeated is reported like any other (blank rows are found by
    position, not by the repeated name, which used to raise a KeyError)."""
    firms = FIRMS.replace("id,name", "id,id", 1)
    assert_problem(write(tmp_path, firms=firms), "firms.csv", 1, "id", "more than once")


def test_extra_columns_are_kept(tmp_path, reader):
    flows = FLOWS.replace("price\n", "price,Notes\n", 1).replace("850\n", "850,first\n")
    network = load(write(tmp_path, flows=flows))
    assert network.flows["notes"].iloc[0] == "first"


def test_columns_named_like_derived_ones_are_renamed_and_the_cli_says_so(tmp_path, reader):
    """Issue 18, item 11: user columns ``value``, ``dimension``, ``material_key``, ``row``
    and a firms column ``actor`` are kept as ``user_<name>``; ``validate`` exits 0 and says
    which columns it renamed, and to what, on stderr."""
    from typer.testing import CliRunner

    from symbiosis.cli import app

    firms = FIRMS.replace("lat,lon\n", "lat,lon,Actor\n", 1).replace("117.92\n", "117.92,yes\n")
    flows = FLOWS.replace("price\n", "price,value,dimension,material_key,row\n", 1)
    flows = flows.replace("850\n", "850,1,weight,CU,99\n")
    folder = write(tmp_path, firms=firms, flows=flows)
    network = load(folder)
    assert network.firms.loc["MINE", "user_actor"] == "yes"
    assert network.firms.loc["MINE", "actor"]
    first = network.flows.iloc[0]
    assert (first["value"], first["dimension"], first["row"]) == (1200.5, "mass", 2)
    assert (first["user_value"], first["user_dimension"], first["user_row"]) == (
        "1",
        "weight",
        "99",
    )
    assert first["user_material_key"] == "CU"
    result = CliRunner().invoke(app, ["validate", str(folder)])
    assert result.exit_code == 0, result.output
    lines = [line for line in result.stderr.splitlines() if "is kept as" in line]
    assert lines == [
        f"warning: {folder / 'firms.csv'}: column 'Actor' is kept as 'user_actor': 'actor' is "
        "a column symbiosis computes (True for a node inside the system, from its role)",
        *(
            f"warning: {folder / 'flows.csv'}: column '{name}' is kept as 'user_{name}': "
            f"'{name}' is a column symbiosis computes ({meaning})"
            for name, meaning in (
                ("value", "the quantity in t, GJ or m3 per year"),
                ("dimension", "mass, energy or volume, from the unit"),
                ("material_key", "the material name normalised for matching"),
                ("row", "the row of the flow in the file"),
            )
        ),
    ]


# --------------------------------------------------------------------------- firms


def test_duplicate_id_names_the_first_row(tmp_path):
    firms = FIRMS + "SMELT,Second smelter,,firm,,\n"
    problem = assert_problem(write(tmp_path, firms=firms), "firms.csv", 10, "id", "used again")
    assert "first on row 3" in problem.message


def test_empty_and_long_ids(tmp_path):
    long_id = "X" * 201
    firms = FIRMS + ",Nameless,,firm,,\n" + f"{long_id},Long,,firm,,\n"
    flows = FLOWS + f"SMELT,{long_id},slag,1,t,waste,,\n"
    found = problems(write(tmp_path, firms=firms, flows=flows))
    assert [(p.row, p.column) for p in found] == [(10, "id"), (11, "id")]
    assert "empty" in found[0].message and "longer than 200" in found[1].message


def test_long_names_are_a_warning(tmp_path):
    firms = FIRMS.replace("Copper mine", "M" * 600)
    network = load(write(tmp_path, firms=firms))
    assert any("longer than 500" in w for w in network.warnings)


@pytest.mark.parametrize(
    ("role", "canonical"),
    [
        ("", "firm"),
        ("Firm", "firm"),
        ("landfill", "disposal"),
        ("Tailings pond", "disposal"),
        ("import", "market"),
        ("final-demand", "market"),
        ("final demand", "market"),
        ("air", "environment"),
        ("mine", "extraction"),
        ("power plant", "utility"),
        ("WWTP", "treatment"),
    ],
)
def test_role_aliases(tmp_path, role, canonical):
    network = load(write(tmp_path, firms=cell(FIRMS, 5, "role", role)))
    assert network.firms.loc["POWER", "role"] == canonical


@pytest.mark.parametrize("role", ["utilty", "3", "energy-ish", "boundary"])
def test_unknown_role(tmp_path, role):
    problem = assert_problem(
        write(tmp_path, firms=cell(FIRMS, 5, "role", role)), "firms.csv", 5, "role", "unknown role"
    )
    assert "market" in problem.hint


@pytest.mark.parametrize(
    ("column", "text", "guess"),
    [("role", "extration", "extraction"), ("role", "utilty", "utility"),
     ("role", "landfil", "landfill"), ("role", "Disposal!", "disposal"),
     ("category", "by-prodcut", "by-product"), ("category", "wastee", "waste"),
     ("role", "castle", None), ("category", "junk", None)],
)  # fmt: skip
def test_a_misspelt_role_or_category_gets_a_guess(tmp_path, column, text, guess):
    """As a misspelt firm id does (a tester: 'extration' had no "did you mean")."""
    firms = cell(FIRMS, 2, "role", text) if column == "role" else FIRMS
    flows = cell(FLOWS, 2, "category", text) if column == "category" else FLOWS
    file = "firms.csv" if column == "role" else "flows.csv"
    problem = assert_problem(
        write(tmp_path, firms=firms, flows=flows), file, 2, column, f"unknown {column} '{text}'"
    )
    choices = "firm, extraction" if column == "role" else "product, by-product"
    if guess is None:
        assert problem.hint.startswith(f"use one of {choices}"), problem.hint
    else:
        assert problem.hint.startswith(f"did you mean '{guess}'? otherwise use one of {choices}")


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        ("lat", "95", "outside [-90, 90]"),
        ("lat", "-90.5", "outside [-90, 90]"),
        ("lon", "181", "outside [-180, 180]"),
        ("lat", "N30", "is not a coordinate"),
        ("lon", "117°75'", "is not a coordinate"),  # minutes below 60
        ("lat", "30°55'E", "is not a coordinate"),  # a longitude's hemisphere
        ("lat", "1e999", "not a finite number"),
        ("lat", "nan", "not a finite number"),
    ],
)
def test_bad_coordinates(tmp_path, column, value, message):
    assert_problem(
        write(tmp_path, firms=cell(FIRMS, 2, column, value)), "firms.csv", 2, column, message
    )


def test_a_flows_path_that_is_not_there_is_its_only_problem(tmp_path, monkeypatch):
    """Measured: a mistyped flows path read the firms.csv beside it and said its problems
    too ("2 problems found")."""
    (tmp_path / "firms.csv").write_text("Firms of the park\nid,role\nA,firm\n")
    monkeypatch.chdir(tmp_path)
    with pytest.raises(InputError) as caught:
        load("flws.csv")
    (only,) = caught.value.problems
    assert (only.file, only.message) == ("flws.csv", "does not exist")


def test_swapped_coordinates(tmp_path):
    swapped = cell(cell(FIRMS, 2, "lat", "117.92"), 2, "lon", "30.90")
    problem = assert_problem(write(tmp_path, firms=swapped), "firms.csv", 2, "lat", "look swapped")
    assert problem.message == "117.92 is outside [-90, 90]; lat and lon look swapped"
    assert "swap the two" in problem.hint


def test_one_coordinate_of_two_is_a_warning(tmp_path):
    """Found by a tester: a firm with lat and no lon (or the other way) silently had no
    position, and no distance to any receiver."""
    half = cell(cell(FIRMS, 2, "lon", ""), 3, "lat", "")
    with pytest.warns(SymbiosisWarning, match=r"2 firm\(s\) have one coordinate of lat and lon "
                      r"\(first on row 2\); they get no position"):  # fmt: skip
        network = load(write(tmp_path, firms=half))
    assert network.firms[["lat", "lon"]].isna().any(axis=1).sum() >= 2


# --------------------------------------------------------------------------- flow endpoints


def test_unknown_firm_with_a_close_match(tmp_path):
    flows = cell(FLOWS, 4, "source", "SMELTR")
    assert_problem(
        write(tmp_path, flows=flows),
        "flows.csv",
        4,
        "source",
        "unknown firm 'SMELTR'",
        hint="did you mean 'SMELT'?",
    )


def test_unknown_firm_differing_in_case_and_punctuation(tmp_path):
    flows = cell(FLOWS, 4, "source", "smelt.")
    assert_problem(
        write(tmp_path, flows=flows), "flows.csv", 4, "source", "unknown", hint="'SMELT'"
    )


@pytest.mark.parametrize("written", ["Smelter", "smelter", "Acid plant"])
def test_an_endpoint_named_by_the_firm_s_name_gets_its_id(tmp_path, written):
    """Flows often name firms as people do, by their names: the hint gives the id."""
    ids = {"Smelter": "SMELT", "smelter": "SMELT", "Acid plant": "ACID"}
    flows = cell(FLOWS, 4, "source", written)
    hint = f"'{written}' is the name of firm '{ids[written]}': write its id"
    assert_problem(write(tmp_path, flows=flows), "flows.csv", 4, "source",
                   f"unknown firm '{written}'", hint=hint)  # fmt: skip


def test_a_name_two_firms_share_gives_no_id(tmp_path):
    firms = FIRMS.replace("Acid plant", "Smelter", 1)  # two firms named Smelter
    flows = cell(FLOWS, 4, "source", "Smelter")
    problem = assert_problem(write(tmp_path, firms=firms, flows=flows), "flows.csv", 4,
                             "source", "unknown firm 'Smelter'")  # fmt: skip
    assert "is the name of firm" not in problem.hint


def test_unknown_firm_without_a_close_match(tmp_path):
    flows = cell(FLOWS, 9, "target", "OCEAN")
    assert_problem(
        write(tmp_path, flows=flows),
        "flows.csv",
        9,
        "target",
        "unknown firm 'OCEAN'",
        hint="add a row with id 'OCEAN' to",
    )


def test_an_unknown_id_too_long_for_an_id_is_not_to_add(tmp_path):
    """Measured: an endpoint of 300 characters got "add a row with id '...' to firms.csv",
    an id firms.csv refuses (longer than 200 characters)."""
    from symbiosis.io.firms import MAX_ID_LENGTH, unknown_id_hint

    long = "converter slag " * 20  # 300 characters: a note in the id column
    problem = assert_problem(write(tmp_path, flows=cell(FLOWS, 9, "target", long.strip())),
                             "flows.csv", 9, "target", "unknown firm")  # fmt: skip
    assert problem.hint.startswith("an id has at most 200 characters (299 here): write the id")
    assert "add a row" not in problem.hint
    assert unknown_id_hint("X" * MAX_ID_LENGTH, "firms.csv") == (
        f"add a row with id '{'X' * 59}…' to firms.csv"
    )
    assert unknown_id_hint("X" * (MAX_ID_LENGTH + 1), "firms.csv") == (
        "an id has at most 200 characters (201 here): write the id of a firm of firms.csv"
    )


NFC, NFD = "Caf\u00e9", "Cafe\u0301"  # one id, two Unicode forms


def test_ids_in_two_unicode_forms_are_one_id(tmp_path, reader):
    """Issue 18, item 15: 'Café' precomposed in firms.csv and decomposed in flows.csv (as
    macOS writes it) is one firm, not an unknown firm with "did you mean 'Café'?"."""
    firms = FIRMS.replace("SMELT,Smelter", f"{NFC},Smelter")
    flows = FLOWS.replace("SMELT", NFD)
    network = load(write(tmp_path, firms=firms, flows=flows))
    assert NFC in network.firms.index and NFD not in set(network.flows["source"])
    assert (network.flows["source"] == NFC).sum() == 3
    assert not [w for w in network.warnings if "zero-width" in w]


def test_ids_in_two_unicode_forms_in_firms_are_a_repeated_id(tmp_path):
    firms = FIRMS + f"{NFC},one,,firm,,\n{NFD},two,,firm,,\n"
    assert_problem(write(tmp_path, firms=firms), "firms.csv", 11, "id", f"id '{NFC}' is used again")


def test_zero_width_characters_are_removed_from_ids(tmp_path, reader):
    firms = FIRMS.replace("MINE,", "\ufeffMINE\u200b,")
    flows = FLOWS.replace("MINE,", "MI\u200cNE,").replace(",ACID,", ",ACID\u200d,")
    network = load(write(tmp_path, firms=firms, flows=flows))
    assert "MINE" in network.firms.index and network.flows["source"].iloc[0] == "MINE"
    assert network.flows["target"].iloc[1] == "ACID"
    warned = [w for w in network.warnings if "zero-width" in w]
    assert [w.split(": ", 2)[1] for w in warned] == ["id", "source", "target"], warned
    assert "first on row 2" in warned[1]


def test_an_id_of_zero_width_characters_only_is_empty(tmp_path):
    folder = write(tmp_path, firms=FIRMS.replace("MINE,Copper", "\u200b,Copper"))
    assert located(folder)[0] == ("firms.csv", 2, "id")
    assert problems(folder)[0].message == "id is empty"


@pytest.mark.parametrize(
    ("written", "explained"),
    [
        ("\u0405MELT", "U+0405 CYRILLIC CAPITAL LETTER DZE where the id has U+0053 LATIN"),
        ("SM\u2060ELT", "the cell has U+2060 WORD JOINER where the id has nothing"),
        ("\uff33MELT", "U+FF33 FULLWIDTH LATIN CAPITAL LETTER S where the id has U+0053"),
    ],
)
def test_did_you_mean_explains_ids_that_look_alike(tmp_path, written, explained):
    problem = assert_problem(
        write(tmp_path, flows=cell(FLOWS, 4, "source", written)), "flows.csv", 4, "source", ""
    )
    assert problem.hint.startswith("did you mean 'SMELT'? (the cell has ")
    assert explained in problem.hint


def test_did_you_mean_says_nothing_more_for_a_visible_difference(tmp_path):
    firms = FIRMS.replace("SMELT,Smelter", f"{NFC},Smelter")
    flows = cell(FLOWS.replace("SMELT", NFC), 4, "source", "CAF\u00c9")
    problem = only_problem(write(tmp_path, firms=firms, flows=flows))
    assert problem.hint == f"did you mean '{NFC}'?"


def test_empty_endpoints(tmp_path):
    flows = cell(cell(FLOWS, 3, "source", ""), 5, "target", "")
    assert located(write(tmp_path, flows=flows)) == [
        ("flows.csv", 3, "source"),
        ("flows.csv", 5, "target"),
    ]


def test_self_flow_is_internal_recycling(tmp_path):
    """A flow from a firm to itself (a smelter re-melting its own scrap) is accepted."""
    flows = cell(FLOWS, 8, "target", "SMELT")
    network = load(write(tmp_path, flows=flows))
    own = network.flows[network.flows["source"] == network.flows["target"]]
    assert list(own["source"]) == ["SMELT"]


def test_empty_material(tmp_path):
    flows = cell(FLOWS, 6, "material", "")
    assert_problem(write(tmp_path, flows=flows), "flows.csv", 6, "material", "material is empty")


# --------------------------------------------------------------------------- categories


@pytest.mark.parametrize(
    ("text", "canonical"),
    [
        ("byproduct", "by-product"),
        ("By-Products", "by-product"),
        ("co-product", "by-product"),
        ("Waste", "waste"),
        ("residue", "waste"),
        ("emissions", "emission"),
        ("PRODUCT", "product"),
    ],
)
def test_category_aliases(tmp_path, text, canonical):
    network = load(write(tmp_path, flows=cell(FLOWS, 3, "category", text)))
    assert network.flows["category"].iloc[1] == canonical


@pytest.mark.parametrize(
    ("row", "text", "message"),
    [
        (6, "energy", "'energy' is a dimension, not a category"),
        (9, "water", "'water' is a dimension, not a category"),
        (6, "Electricity", "is a dimension"),
        (3, "byprod", "unknown category 'byprod'"),
        (3, "", "category is empty"),
    ],
)
def test_bad_categories(tmp_path, row, text, message):
    assert_problem(
        write(tmp_path, flows=cell(FLOWS, row, "category", text)),
        "flows.csv",
        row,
        "category",
        message,
    )


# --------------------------------------------------------------------------- quantities


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("-300", "-300 is negative"),
        ("NaN", "not a finite number"),
        ("nan", "not a finite number"),
        ("inf", "not a finite number"),
        ("-Infinity", "not a finite number"),
        ("N/A", "not a finite number"),
        ("1e400", "not a finite number"),  # overflows a float to inf
        ("1e-400", "too close to zero"),  # underflows a float to 0
        ("-2.5E-999", "too close to zero"),
        ("about 300", "says the number is approximate"),
        ("lots", "is not a number"),
        ("300t", "holds a unit"),
        ("1200 t", "holds a unit"),
        ("3.5 MWh/a", "holds a unit"),
        ("1 200 kt", "holds a unit"),
        ("12 tonnes of slag", "is not a number"),  # a unit and more: no unit to move
        ("1200 zorks", "is not a number"),
        ("30%", "is not a number"),
        ("0x1F", "is not a number"),
        ("1_000", "is not a number"),
        ("３００ｘ", "'３００ｘ' is not a number"),  # full-width digits are read: not this
        ("１，３００", "'１，３００' has a thousands separator"),  # ... nor this
        ("10²", "is not a number"),  # a superscript is no full-width form (NFKC: 102)
        ("-", "is not a number"),
        ('"1,300"', "has a thousands separator"),
        ("1 300", "has a thousands separator"),
        ("1\u00a0300", "has a thousands separator"),
        ("1'300", "has a thousands separator"),
        ("#VALUE!", "spreadsheet error"),
        ("#N/A", "spreadsheet error"),
        ("#DIV/0!", "spreadsheet error"),
        ("12万", "holds a multiplier (万 is ten thousand"),  # as Chinese tables write it
        ("3.5亿", "holds a multiplier"),
        ("12만", "holds a multiplier"),  # Korean and Japanese tables: 만 and 萬 ten thousand,
        ("3億", "holds a multiplier"),  # 億 and 억 a hundred million, 千 and 천 a thousand
        ("40천", "holds a multiplier"),  # (tester-parks10: 천m3 in the unit was refused)
        ("12万吨", "holds a unit"),  # 万吨 is a unit: the number alone, 万吨 in unit
    ],
)
def test_bad_quantities(tmp_path, text, message):
    flows = FLOWS.replace("sulfur dioxide,300,", f"sulfur dioxide,{text},")
    problem = assert_problem(write(tmp_path, flows=flows), "flows.csv", 3, "quantity", message)
    assert problem.hint


@pytest.mark.parametrize(
    ("column", "row", "text", "value"),
    [("quantity", 3, "２５０００００", 2500000.0), ("quantity", 3, "－０．５", None),
     ("quantity", 3, "１ｅ６", 1e6), ("quantity", 3, "\u3000３００", 300.0),
     ("price", 4, "１２．５", 12.5), ("year", 3, "２０２０", 2020)],
)  # fmt: skip
def test_full_width_digits_are_read(tmp_path, column, row, text, value):
    """As a Chinese or Japanese input method types them (a tester: '２５０００００' was
    'not a number', with no hint); a negative one is refused as negative, quoted as
    written."""
    folder = write(tmp_path, flows=cell(FLOWS, row, column, text))
    if value is None:
        assert_problem(folder, "flows.csv", row, column, f"{text} is negative")
        return
    assert load(folder).flows[column].iloc[row - 2] == value


def test_negative_quantity_hint(tmp_path):
    flows = cell(FLOWS, 3, "quantity", "-300")
    assert_problem(
        write(tmp_path, flows=flows), "flows.csv", 3, "quantity", "negative", hint="reverse"
    )


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("0", 0.0),
        ("-0", 0.0),
        ("+300", 300.0),
        ("3e2", 300.0),
        (".5", 0.5),
        ("300.", 300.0),
        ("0.000e-999", 0.0),  # zero written with an exponent: no underflow
        ("1e-310", 1e-310),  # subnormal, still a float
    ],
)
def test_plain_number_forms(tmp_path, text, value):
    network = load(write(tmp_path, flows=cell(FLOWS, 3, "quantity", text)))
    assert network.flows["value"].iloc[1] == value


def test_empty_quantity_is_a_link_of_unknown_size(tmp_path):
    flows = cell(FLOWS, 3, "quantity", "")
    network = load(write(tmp_path, flows=flows))
    assert np.isnan(network.flows["value"].iloc[1])
    assert network.flows["dimension"].iloc[1] == "mass"
    assert totals(network)["mass"] == pytest.approx(TOTALS["mass"] - 300)
    assert any("2 flow(s) have no quantity" in w for w in network.warnings)


def test_quantity_without_unit(tmp_path):
    flows = cell(FLOWS, 3, "unit", "")
    assert_problem(write(tmp_path, flows=flows), "flows.csv", 3, "unit", "unit is empty")


def test_no_quantity_and_no_unit_is_accepted(tmp_path):
    flows = cell(cell(FLOWS, 3, "unit", ""), 3, "quantity", "")
    network = load(write(tmp_path, flows=flows))
    assert np.isnan(network.flows["value"].iloc[1])
    assert pd.isna(network.flows["dimension"].iloc[1])


@pytest.mark.parametrize(
    ("text", "unit", "message"),
    [
        ("1e306", "Mt", "'1e306' Mt is 1e312 t per year, more than any real flow (1e30 t"),
        ("1e306", "t/d", "'1e306' t/d is 3.65e308 t per year, more than any real flow"),
        ("1e300", "t", "'1e300' t is 1e300 t per year, more than any real flow"),
        ("2e27", "kt", "'2e27' kt is 2e30 t per year, more than any real flow"),
        ("1e300", "MWh", "'1e300' MWh is 3.6e300 GJ per year, more than any real flow (1e30 GJ"),
    ],
)
def test_quantities_out_of_range_once_converted_are_refused(tmp_path, text, unit, message):
    """Issue 18, item 10: values that overflow (or pass any real flow) in canonical units
    are refused where they are, not found as inf or "ill-conditioned" by an analysis."""
    flows = cell(cell(FLOWS, 3, "quantity", text), 3, "unit", unit)
    problem = assert_problem(write(tmp_path, flows=flows), "flows.csv", 3, "quantity", message)
    assert "the unit and the exponent" in problem.hint


@pytest.mark.parametrize(
    ("text", "unit", "value"),
    [("1e30", "t", 1e30), ("1e24", "Mt", 1e30), ("5e-324", "t", 5e-324), ("0", "t", 0.0)],
)
def test_quantities_up_to_the_bound_are_accepted(tmp_path, text, unit, value):
    flows = cell(cell(FLOWS, 3, "quantity", text), 3, "unit", unit)
    if value > 1e29:  # the mass total must stay within the bound too
        flows = cell(cell(flows, 2, "quantity", "0"), 4, "quantity", "0")
        flows = cell(cell(flows, 5, "quantity", "0"), 8, "quantity", "0")
    network = load(write(tmp_path, flows=flows))
    assert network.flows["value"].iloc[1] == value


@pytest.mark.filterwarnings("error::RuntimeWarning")
def test_a_huge_negative_quantity_is_negative_and_overflows_nothing(tmp_path):
    flows = cell(cell(FLOWS, 3, "quantity", "-1e306"), 3, "unit", "Mt")
    assert_problem(write(tmp_path, flows=flows), "flows.csv", 3, "quantity", "-1e306 is negative")


def test_a_dimension_total_beyond_any_real_network_is_refused(tmp_path):
    flows = cell(cell(FLOWS, 2, "quantity", "6e29"), 4, "quantity", "6e29")
    problem = only_problem(write(tmp_path, flows=flows))
    assert (problem.row, problem.column) == (None, "quantity")
    assert "the mass flows add up to 1.2e30 t per year" in problem.message
    assert "the largest are on rows 2, 4, 5" in problem.message


def test_a_price_beyond_any_real_price_is_refused(tmp_path):
    flows = cell(FLOWS, 2, "price", "1e300")
    assert_problem(write(tmp_path, flows=flows), "flows.csv", 2, "price", "more than any real")


def _run_warning_free(args: list[str]):
    """The CLI as a process with numpy's RuntimeWarnings turned into errors."""
    import subprocess
    import sys

    return subprocess.run(
        [sys.executable, "-W", "error::RuntimeWarning", "-m", "symbiosis", *args],
        capture_output=True,
        text=True,
        timeout=300,
        stdin=subprocess.DEVNULL,
    )


def test_no_numpy_warning_for_extreme_quantities(tmp_path):
    """Issue 18, item 10: overflowing quantities are refused without a numpy warning, and
    the extreme values still accepted (1e29 t beside 1e-30 t) run every analysis without
    one: ``python -W error::RuntimeWarning`` would turn a warning into an internal error."""
    bad = cell(cell(FLOWS, 2, "quantity", "1e306"), 2, "unit", "Mt")
    bad = cell(cell(bad, 3, "quantity", "1e306"), 3, "unit", "t/d")
    bad = cell(bad, 4, "quantity", "6e29")  # with row 5, a mass total above the bound
    bad = cell(cell(bad, 5, "quantity", "6e29"), 5, "price", "1e300")
    done = _run_warning_free(["validate", str(write(tmp_path / "bad", flows=bad))])
    assert done.returncode == 2, done.stderr
    assert "Warning" not in done.stderr and "internal error" not in done.stderr
    assert done.stderr.count("error: ") == 4, done.stderr
    extreme = FLOWS
    for row, text in ((2, "3e29"), (3, "1e-30"), (4, "1e-30"), (5, "3e29"), (8, "1e-30")):
        extreme = cell(extreme, row, "quantity", text)
    extreme = cell(cell(extreme, 6, "quantity", "1e-30"), 7, "quantity", "2.7e29")
    folder = write(tmp_path / "extreme", flows=extreme)
    for args in (["analyze", "-f", "json"], ["reuse", "-f", "json"], ["balance"]):
        done = _run_warning_free([args[0], str(folder), *args[1:], "--quiet"])
        assert done.returncode == 0, done.stderr
        assert done.stderr == "", done.stderr
        if args[0] == "reuse":
            mass = json.loads(done.stdout)["dimensions"]["mass"]
            assert mass["inputs"] == pytest.approx(3e29)


# --------------------------------------------------------------------------- units


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("ton", "ambiguous"),
        ("tons/yr", "ambiguous"),
        ("MT", "ambiguous"),
        ("kn", "knot"),
        ("xyz", "unknown unit 'xyz'"),
        ("kwh", "unknown unit"),
        ("m2", "unknown unit"),
        ("h", "not a mass, energy or volume"),
        ("300", "is a number, not a unit"),
    ],
)
def test_bad_units(tmp_path, text, message):
    problem = assert_problem(
        write(tmp_path, flows=cell(FLOWS, 3, "unit", text)), "flows.csv", 3, "unit", ""
    )
    assert message in f"{problem.message}; {problem.hint}"


def test_same_bad_unit_on_several_rows(tmp_path):
    flows = cell(cell(FLOWS, 2, "unit", "tons"), 8, "unit", "tons")
    assert located(write(tmp_path, flows=flows)) == [
        ("flows.csv", 2, "unit"),
        ("flows.csv", 8, "unit"),
    ]


@pytest.mark.parametrize(
    ("units", "scale"),
    [
        ({"t": "kt"}, 1e-3),  # quantities divided by 1000 in kt: same totals
        ({"t": "kg"}, 1e3),
        ({"t": "tonnes"}, 1),
        ({"m3": "m³"}, 1),
        ({"m3": "thousand m3"}, 1e-3),
        ({"m3": "l"}, 1e3),
        ({"MWh": "kWh"}, 1e3),
        ({"MWh": "GJ"}, 3.6),
        ({"GJ": "TJ"}, 1e-3),
        ({"GJ": "MJ"}, 1e3),
    ],
)
def test_unit_invariance(tmp_path, units, scale):
    """The same flows in other units (quantities rescaled) give the same canonical values."""
    frame = pd.read_csv(pd.io.common.StringIO(FLOWS), dtype=str, keep_default_na=False)
    ((old, new),) = units.items()
    mask = frame["unit"] == old
    frame.loc[mask, "quantity"] = [
        repr(float(q) * scale) if q else "" for q in frame.loc[mask, "quantity"]
    ]
    frame.loc[mask, "unit"] = new
    network = load(write(tmp_path, flows=frame.to_csv(index=False)))
    np.testing.assert_allclose(network.flows["value"].to_numpy(), VALUES, rtol=1e-12)


def test_one_dimension_per_material(tmp_path):
    flows = FLOWS + "POWER,CEMENT,steam,5,t,product,2019,\n"
    problem = assert_problem(write(tmp_path, flows=flows), "flows.csv", 11, "unit", "more than one")
    assert "energy on row 7" in problem.message and "mass on row 11" in problem.message


def test_material_names_match_loosely_for_the_dimension_rule(tmp_path):
    flows = FLOWS + "POWER,CEMENT,Steam ,5,m3,product,2019,\n"
    assert_problem(write(tmp_path, flows=flows), "flows.csv", 11, "unit", "more than one")


# --------------------------------------------------------------------------- year and price


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2019.5", "is not a whole year"),
        ("FY19", "is not a year"),
        ("19", "19 is not a year from 1000 to 9999"),
        ("99999999999999999999", "not a year from 1000 to 9999"),
        ("0999", "0999 is not a year from 1000 to 9999"),  # four digits: not 'four-digit'
        ("-2019", "-2019 is not a year from 1000 to 9999"),
        ("1e999", "not a finite number"),
        ("2.019e3", "not written as a year"),
        ("1E3", "not written as a year"),
    ],
)
def test_bad_year(tmp_path, text, message):
    problem = assert_problem(
        write(tmp_path, flows=cell(FLOWS, 3, "year", text)), "flows.csv", 3, "year", message
    )
    assert "2019" in problem.hint or "empty" in problem.hint


def test_a_spreadsheet_float_year_is_read(tmp_path):
    """2019.0, as a spreadsheet or pandas writes a year column of floats, is the year 2019."""
    network = load(write(tmp_path, flows=cell(FLOWS, 3, "year", "2019.0")))
    assert network.flows["year"].iloc[1] == 2019


@pytest.mark.parametrize("text", ["2019年", "2019 年"])
def test_a_year_with_the_chinese_year_mark_is_read(tmp_path, text):
    network = load(write(tmp_path, flows=cell(FLOWS, 3, "year", text)))
    assert network.flows["year"].iloc[1] == 2019


def test_a_bad_year_beside_a_marked_one_is_quoted_as_written(tmp_path):
    flows = cell(cell(FLOWS, 3, "year", "2019年"), 4, "year", "二〇一九年")
    assert_problem(
        write(tmp_path, flows=flows), "flows.csv", 4, "year", "'二〇一九年' is not a year"
    )


@pytest.mark.parametrize(
    ("column", "header", "effect"),
    [("year", "Reporting year", "the years are summed"),
     ("year", "Fiscal Year", "the years are summed"),
     ("price", "Unit price", "no opportunity is valued")],
)  # fmt: skip
def test_an_optional_flow_column_under_another_usual_name_is_warned(tmp_path, column, header,
                                                                   effect):  # fmt: skip
    frame = pd.read_csv(pd.io.common.StringIO(FLOWS), dtype=str, keep_default_na=False)
    network = load(
        write(tmp_path, flows=frame.rename(columns={column: header}).to_csv(index=False))
    )
    warned = [w for w in network.warnings if f"'{header}' is not read as '{column}'" in w]
    assert len(warned) == 1 and effect in warned[0], network.warnings


def test_empty_year_is_allowed(tmp_path):
    network = load(write(tmp_path, flows=cell(FLOWS, 3, "year", "")))
    assert pd.isna(network.flows["year"].iloc[1]) and network.flows["year"].iloc[0] == 2019


@pytest.mark.parametrize(
    ("text", "message", "hint"),
    [
        ("-3", "-3 is negative", "prices are >= 0"),
        ("cheap", "is not a price", "plain number"),
        ("€12", "is not a price", "plain number"),
    ],
)
def test_bad_price(tmp_path, text, message, hint):
    assert_problem(
        write(tmp_path, flows=cell(FLOWS, 4, "price", text)),
        "flows.csv",
        4,
        "price",
        message,
        hint=hint,
    )


# --------------------------------------------------------------------------- duplicate rows


def test_duplicate_row_names_the_first(tmp_path):
    flows = FLOWS + "SMELT,LANDFILL,tailings,75,t,waste,2019,\n"
    problem = assert_problem(write(tmp_path, flows=flows), "flows.csv", 11, None, "repeats row 8")
    assert "tells them apart" in problem.hint


def test_same_pair_different_material_is_not_a_duplicate(tmp_path):
    flows = FLOWS + "SMELT,LANDFILL,slag,75,t,waste,2019,\n"
    assert load(write(tmp_path, flows=flows)).n_flows == 10


# --------------------------------------------------------------------------- decimal commas


def test_semicolon_file_with_decimal_commas(tmp_path, reader):
    flows = "source;target;material;quantity;unit;category\nMINE;SMELT;ore;1200,5;t;product\n"
    flows += "SMELT;CEMENT;slag;0,25;kt;by-product\n"
    network = load(write(tmp_path, flows=flows))
    np.testing.assert_allclose(network.flows["value"].to_numpy(), [1200.5, 250.0])


def test_semicolon_file_dot_before_three_digits_with_decimal_commas(tmp_path):
    flows = "source;target;material;quantity;unit;category\nMINE;SMELT;ore;1200,5;t;product\n"
    flows += "SMELT;CEMENT;slag;1.200;t;by-product\n"
    assert_problem(
        write(tmp_path, flows=flows), "flows.csv", 3, "quantity", "has a thousands separator"
    )


def test_semicolon_file_dot_before_three_digits_alone_is_ambiguous(tmp_path):
    flows = "source;target;material;quantity;unit;category\nMINE;SMELT;ore;1200;t;product\n"
    flows += "SMELT;CEMENT;slag;1.200;t;by-product\n"
    assert_problem(write(tmp_path, flows=flows), "flows.csv", 3, "quantity", "ambiguous")


def test_semicolon_file_dot_decimals_elsewhere_make_it_a_point(tmp_path):
    flows = "source;target;material;quantity;unit;category\nMINE;SMELT;ore;1200.5;t;product\n"
    flows += "SMELT;CEMENT;slag;1.200;t;by-product\n"
    network = load(write(tmp_path, flows=flows))
    np.testing.assert_allclose(network.flows["value"].to_numpy(), [1200.5, 1.2])


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("1.200,5", "mixes '.' and ','"),
        ("1.200.000", "has a thousands separator"),
        ("1 200,5", "has a thousands separator"),
    ],
)
def test_semicolon_file_thousands_separators(tmp_path, text, message, reader):
    flows = "source;target;material;quantity;unit;category\nMINE;SMELT;ore;12,5;t;product\n"
    flows += f"SMELT;CEMENT;slag;{text};t;by-product\n"
    problem = assert_problem(write(tmp_path, flows=flows), "flows.csv", 3, "quantity", message)
    assert text in problem.message


def test_comma_file_dot_is_always_a_decimal_point(tmp_path):
    network = load(write(tmp_path, flows=cell(FLOWS, 3, "quantity", "1.200")))
    assert network.flows["value"].iloc[1] == pytest.approx(1.2)


# --------------------------------------------------------------------------- all at once


def test_every_problem_in_both_files_is_reported_at_once(tmp_path, reader):
    firms = cell(cell(FIRMS, 3, "role", "smelter"), 4, "lat", "200")
    firms += "MINE,Second mine,,mine,,\n"
    flows = cell(FLOWS, 2, "quantity", "-1")
    flows = cell(flows, 4, "unit", "tons")
    flows = cell(flows, 6, "category", "energy")
    flows = cell(flows, 8, "target", "LANDFIL")
    flows += "SMELT,SMELT,slag,1,t,waste,,\n"  # internal recycling: no problem
    flows += "SMELT,LANDFILL,slag,x,t,waste,,\n"
    found = located(write(tmp_path, firms=firms, flows=flows))
    assert sorted(found, key=lambda p: (p[0], p[1], p[2] or "")) == [
        ("firms.csv", 3, "role"),
        ("firms.csv", 4, "lat"),
        ("firms.csv", 10, "id"),
        ("flows.csv", 2, "quantity"),
        ("flows.csv", 4, "unit"),
        ("flows.csv", 6, "category"),
        ("flows.csv", 8, "target"),
        ("flows.csv", 12, "quantity"),
    ]


def test_unreadable_flows_still_report_firms_problems(tmp_path):
    firms = cell(FIRMS, 3, "role", "smelter")
    flows = FLOWS.encode("latin-1") + "Jürgen\n".encode("latin-1")
    assert located(write(tmp_path, firms=firms, flows=flows)) == [
        ("firms.csv", 3, "role"),
        ("flows.csv", 11, None),
    ]


def test_unreadable_firms_still_report_flows_problems(tmp_path):
    firms = FIRMS.replace("Smelter", "Jürgen").encode("latin-1")
    flows = cell(FLOWS, 3, "quantity", "-3")
    assert located(write(tmp_path, firms=firms, flows=flows)) == [
        ("firms.csv", 3, None),
        ("flows.csv", 3, "quantity"),
    ]


def test_problem_text_format(tmp_path):
    problem = only_problem(write(tmp_path, flows=cell(FLOWS, 3, "quantity", "-3")))
    assert str(problem) == (
        f"{tmp_path / 'flows.csv'}:3: quantity: -3 is negative; "
        "quantities are >= 0; reverse source and target for a flow the other way"
    )
    assert problem.to_dict()["row"] == 3


# --------------------------------------------------------------------------- in-memory tables


def test_validate_frames_applies_the_same_rules():
    firms = pd.read_csv(pd.io.common.StringIO(FIRMS))
    flows = pd.read_csv(pd.io.common.StringIO(FLOWS))
    network = validate_frames(firms, flows)
    np.testing.assert_allclose(network.flows["value"].to_numpy(), VALUES)
    flows.loc[1, "quantity"] = -300.0
    with pytest.raises(InputError) as caught:
        validate_frames(firms, flows)
    assert [(p.file, p.row, p.column) for p in caught.value.problems] == [("flows", 3, "quantity")]


# --------------------------------------------------------------------------- limits


def big_flows(n: int, firms: int, *, unit=lambda i: "t", source=lambda i: f"F{i % 97}") -> str:
    lines = ["source,target,material,quantity,unit,category"]
    lines += [
        f"{source(i)},F{100 + i % (firms - 100)},m{i % 13},{i % 1000}.5,{unit(i)},product"
        for i in range(n)
    ]
    return "\n".join(lines) + "\n"


def big_firms(firms: int) -> str:
    return "id\n" + "\n".join(f"F{i}" for i in range(firms)) + "\n"


def test_valid_100k_flows_load_quickly(tmp_path):
    folder = write(tmp_path, firms=big_firms(5000), flows=big_flows(100_000, 5000))
    start = time.perf_counter()
    network = load(folder)
    elapsed = time.perf_counter() - start
    assert network.n_flows == 100_000
    assert elapsed < 10, f"{elapsed:.1f} s"  # ~0.3 s on the project machine


def test_error_paths_stay_linear(tmp_path):
    """20k rows with 2,000 distinct bad units and 20k unknown firms (a shifted column, a
    wrong firms file) are reported row by row without quadratic scans or 20k fuzzy
    searches."""
    n = 20_000
    flows = big_flows(n, 5000, unit=lambda i: f"u{i % 2000}", source=lambda i: f"NOPE{i}")
    folder = write(tmp_path, firms=big_firms(5000), flows=flows)
    start = time.perf_counter()
    found = problems(folder)
    elapsed = time.perf_counter() - start
    limit = symbiosis_io.MAX_ROWS_PER_RULE
    for column in ("unit", "source"):
        listed = [p for p in found if p.column == column and p.row is not None]
        assert len(listed) == limit
        (counted,) = [p for p in found if p.column == column and p.row is None]
        assert counted.message.startswith(f"{n - limit:,} more rows")
    assert elapsed < 20, f"{elapsed:.1f} s"  # ~2 s on the project machine


def test_a_file_wrong_on_every_row_lists_the_first_rows_and_counts_the_rest(tmp_path):
    n = symbiosis_io.MAX_ROWS_PER_RULE + 500
    flows = big_flows(n, 5000).replace(",product", ",produce")  # every category unknown
    found = problems(write(tmp_path, firms=big_firms(5000), flows=flows))
    assert len(found) == symbiosis_io.MAX_ROWS_PER_RULE + 1
    assert [p.row for p in found[:3]] == [2, 3, 4]
    last = found[-1]
    assert (last.row, last.column) == (None, "category")
    assert last.message == (
        f"500 more rows (rows {symbiosis_io.MAX_ROWS_PER_RULE + 2} to {n + 1}) "
        "have the same problem as the rows above"
    )
    assert last.hint


@pytest.mark.parametrize(
    ("rule", "column"),
    [
        ("unknown firm", "source"),
        ("unknown unit", "unit"),
        ("repeated id", "id"),
        ("quantity too large", "quantity"),
        ("repeated row", None),
    ],
)
def test_every_rule_counts_its_unlisted_rows_after_the_listed_ones(tmp_path, rule, column):
    """The line counting the rows past the listed ones says they 'have the same problem as
    the rows above': it comes after them. Five rules put it first (before 2026-12-05)."""
    limit = symbiosis_io.MAX_ROWS_PER_RULE
    n, firms = limit + 300, 5000
    flows = {
        "unknown firm": big_flows(n, firms, source=lambda i: f"NOPE{i}"),
        "unknown unit": big_flows(n, firms, unit=lambda i: f"u{i % 7}"),
        "quantity too large": re.sub(r",\d+\.5,t,", ",2e30,t,", big_flows(n, firms)),
    }.get(rule, big_flows(10, firms))
    if rule == "repeated row":  # n + 1 copies of one row: n of them repeat the first
        flows = big_flows(0, firms) + (big_flows(1, firms).splitlines()[1] + "\n") * (n + 1)
    listed_firms = big_firms(firms)
    if rule == "repeated id":
        listed_firms += "\n".join(["F7"] * n) + "\n"
    found = [p for p in problems(write(tmp_path, firms=listed_firms, flows=flows))
             if p.column == column]  # fmt: skip
    assert len(found) == limit + 1, [str(p) for p in found[:3]]
    assert all(p.row is not None for p in found[:-1])
    assert found[-1].row is None and found[-1].more_rows == n - limit
    assert not any(p.more_rows for p in found[:-1])
    assert found[-1].message.startswith(f"{n - limit:,} more rows")
    assert "have the same problem as the rows above" in found[-1].message


def test_a_file_too_large_for_the_memory_is_refused_before_reading(tmp_path, monkeypatch):
    folder = write(tmp_path)
    size = (folder / "flows.csv").stat().st_size
    monkeypatch.setattr(reading, "_available_memory", lambda: size * 2)
    monkeypatch.setattr(Path, "read_bytes", lambda self: pytest.fail("read anyway"))
    found = problems(folder)
    assert [(Path(p.file).name, p.row) for p in found] == [("firms.csv", None), ("flows.csv", None)]
    assert "is too large for this machine" in found[1].message
    assert "split the network" in found[1].hint


def test_memory_check_passes_when_memory_is_unknown_or_enough(tmp_path, monkeypatch):
    folder = write(tmp_path)
    monkeypatch.setattr(reading, "_available_memory", lambda: None)
    assert load(folder).n_flows == 9


# --------------------------------------------------------------------------- wide files


def wide_flows(extra: int, rows: int = 3) -> str:
    """FLOWS' first rows with ``extra`` more columns (a few cells filled)."""
    lines = FLOWS.splitlines()[: rows + 1]
    header = lines[0] + "".join(f",note{i}" for i in range(extra))
    body = [line + "," + ",".join(str(i % 7) for i in range(extra)) for line in lines[1:]]
    return "\n".join([header, *body]) + "\n"


def test_ten_thousand_columns_are_refused_at_the_header(tmp_path, reader):
    """Issue 18: 10,000 extra columns in an 80 KB file took 220 s to validate."""
    start = time.perf_counter()
    problem = assert_problem(
        write(tmp_path, flows=wide_flows(10_000)), "flows.csv", 1, None, "has 10,008 columns"
    )
    assert "at most 1,000 are read" in problem.message
    assert "move the others to a separate file" in problem.hint
    assert time.perf_counter() - start < 20


def test_a_million_fields_in_the_header_are_refused_without_parsing_the_rows(tmp_path):
    """Issue 18: 1,000,000 fields in one row took more than 300 s and 4.5 GB."""
    header = "source,target,material,quantity,unit,category," + ",".join(["x"] * 1_000_000)
    start = time.perf_counter()
    assert_problem(
        write(tmp_path, flows=header + "\n" + FLOWS.splitlines()[1] + "\n"),
        "flows.csv",
        1,
        None,
        "has 1,000,006 columns",
    )
    assert time.perf_counter() - start < 20


def test_a_million_fields_in_a_data_row_are_one_located_problem(tmp_path):
    row = "MINE,SMELT,ore,1,t,product," + ",".join(["1"] * 1_000_000)
    flows = FLOWS.splitlines()
    flows.insert(2, row)
    start = time.perf_counter()
    problem = assert_problem(
        write(tmp_path, flows="\n".join(flows) + "\n"), "flows.csv", 3, None, "fields where"
    )
    assert "has 1000006 fields where the header has 8" in problem.message
    assert time.perf_counter() - start < 20


def test_a_thousand_columns_are_validated_and_kept(tmp_path, reader):
    """At the limit, a wide file loads in time linear in its cells, extra columns kept as
    attributes and exact repeats still found across every column."""
    flows = wide_flows(1000 - 8, rows=9)
    start = time.perf_counter()
    network = load(write(tmp_path, flows=flows))
    assert time.perf_counter() - start < 20
    assert network.n_flows == 9
    assert network.flows.shape[1] == 11 + 1 + 992  # model columns, row, notes
    assert network.flows["note991"].tolist() == [str(991 % 7)] * 9
    lines = flows.splitlines()
    repeated = "\n".join([*lines, lines[2]]) + "\n"
    assert_problem(write(tmp_path, flows=repeated), "flows.csv", 11, None, "repeats row 3")


def test_a_frame_with_too_many_columns_is_refused():
    flows = pd.read_csv(pd.io.common.StringIO(FLOWS), dtype=str, keep_default_na=False)
    wide = pd.concat([flows, pd.DataFrame({f"c{i}": "" for i in range(1000)}, index=flows.index)])
    with pytest.raises(InputError) as caught:
        validate_frames(None, wide.reset_index(drop=True))
    (problem,) = caught.value.problems
    assert (problem.file, problem.row) == ("flows", 1)
    assert "has 1,008 columns" in problem.message


def test_wide_file_on_the_command_line_exits_2(tmp_path):
    from typer.testing import CliRunner

    from symbiosis.cli import app

    folder = write(tmp_path, flows=wide_flows(5000))
    result = CliRunner().invoke(app, ["validate", str(folder)])
    assert result.exit_code == 2, result.output
    assert "flows.csv:1: has 5,008 columns; at most 1,000 are read" in result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize("tiny", ["5e-324", "1e-300", "1e-160"])
def test_no_numpy_warning_for_tiny_quantities(tmp_path, tiny):
    """Issue 18, item 10: denormal and tiny flows (every quantity tiny, or tiny beside
    ordinary ones) run every analysis with numpy's warnings as errors: the ENA terms are
    sums of logs and quotients, never 1/x or x*x of a flow."""
    all_tiny = FLOWS
    for row in range(2, 9):
        all_tiny = cell(all_tiny, row, "quantity", tiny)
    mixed = cell(cell(FLOWS, 3, "quantity", tiny), 6, "quantity", tiny)
    for name, flows in (("all", all_tiny), ("mixed", mixed)):
        folder = write(tmp_path / name, flows=flows)
        for args in (
            ["analyze", "-f", "json"],
            ["report", "--out", str(tmp_path / f"{name}.html")],
        ):
            done = _run_warning_free([args[0], str(folder), *args[1:], "--quiet"])
            assert done.returncode == 0, done.stderr
            assert "Warning" not in done.stderr and "internal error" not in done.stderr


def test_written_names_are_the_header_as_the_file_writes_it(tmp_path):
    from symbiosis.io.columns import written_names

    path = tmp_path / "t.csv"
    path.write_text("Source,TYPE,Fiscal Year,Type,Cat\u200begory\na,b,c,d,e\n", encoding="utf-8")
    assert written_names(reading.read_table(path)) == {
        "source": "Source",
        "type": "TYPE",  # the first of a name given twice
        "fiscal year": "Fiscal Year",
        "category": "Cat\\u200begory",  # the invisible character shown, as the reader removed it
    }
