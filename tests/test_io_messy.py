"""Messy files as people send them (a tester's corpus of real-world exports): each test
names what was measured before the fix, and checks the located answer now.

Each network is the small park below; a test changes one file."""

from __future__ import annotations

from pathlib import Path

import pytest

import symbiosis
from symbiosis.errors import InputError, SymbiosisWarning
from symbiosis.io import load

FIRMS = """\
id,name,sector,role
MINE,Dongguashan mine,copper mining,extraction
SMELT,Jinguan Copper,copper smelting,firm
CEM,Conch Cement,cement,firm
MKT,Outside market,,market
LF,Landfill,,disposal
"""
HEADER = "source,target,material,quantity,unit,category\n"
FLOWS = HEADER + "MINE,SMELT,copper,150,kt,product\nSMELT,CEM,slag,300,t,by-product\n"


def write(folder: Path, flows: str | bytes = FLOWS, firms: str | bytes | None = FIRMS) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, content in (("firms.csv", firms), ("flows.csv", flows)):
        if content is not None:
            data = content.encode("utf-8") if isinstance(content, str) else content
            (folder / name).write_bytes(data)
    return folder


def problems(folder: Path) -> list:
    with pytest.raises(InputError) as caught:
        load(folder)
    return caught.value.problems


def said(folder: Path) -> list[tuple]:
    """(file name, row, column, message, hint) of every problem, in the order reported."""
    return [(Path(p.file).name, p.row, p.column, p.message, p.hint) for p in problems(folder)]


# ------------------------------------------------------------------------------ headers


def test_one_column_is_suggested_for_one_required_column(tmp_path):
    """Measured: 'rename column 'amount' to 'quantity'' and 'rename column 'amount' to
    'unit'', for one column; and the name lower-cased, not as the header writes it."""
    folder = write(tmp_path, "source,target,material,Amount,category\nMINE,SMELT,cu,1,product\n")
    hints = {column: hint for _, _, column, _, hint in said(folder)}
    assert hints == {
        "quantity": "rename column 'Amount' to 'quantity'",
        "unit": "add a 'unit' column",
    }


def test_invisible_characters_in_the_header_are_removed(tmp_path):
    """Measured: "rename column 'category\u200b' to 'category'", the zero-width space
    unseen. Now read as 'category' (a no-break space too), with a warning."""
    folder = write(
        tmp_path, FLOWS.replace("quantity", "quantity\u00a0").replace("category", "category\u200b")
    )
    network = load(folder)
    assert len(network.flows) == 2
    [warning] = [w for w in network.warnings if "header held invisible" in w]
    assert "'category\\u200b'" in warning and warning.endswith("they were removed")


# ------------------------------------------------------------------------------ encodings


@pytest.mark.parametrize("name", ["Compañía Minera", "Ação Metálica", "Größe Stahl"])
def test_windows_1252_text_is_not_read_as_chinese(tmp_path, name):
    """Measured: read as GB18030 with a mere warning, the names garbled: 'Compañía' ->
    'Compa耥a', 'Ação' -> 'A玢o', 'Größe' -> 'Gr鲞e' (common hanzi, so the
    rare-character test let them through). Now refused as not UTF-8, at its row."""
    firms = FIRMS.replace("Conch Cement", name).encode("cp1252")
    [(file, row, column, message, hint)] = said(write(tmp_path, firms=firms))
    assert (file, row, column) == ("firms.csv", 4, None)
    assert message.startswith("is not UTF-8 text (byte 0x")
    assert "CSV UTF-8" in hint


def test_chinese_text_beside_latin_letters_is_still_read(tmp_path):
    """GBK names mix hanzi with Latin letters and digits (a brand, a formula): runs of
    hanzi, not one inside a Latin word."""
    firms = FIRMS.replace("Conch Cement", "海螺水泥 Conch (SO2回收) A区").encode("gbk")
    network = load(write(tmp_path, firms=firms))
    assert "海螺水泥 Conch (SO2回收) A区" in set(network.firms["name"])
    assert any("read as GB18030" in w for w in network.warnings)


# ------------------------------------------------------------------------------ small ones


@pytest.mark.parametrize(
    ("ids", "written", "meant"), [("007,SMELT", "7", "007"), ("MINE,3", "3.0", "3")]
)
def test_an_id_written_as_another_number_gets_a_guess(tmp_path, ids, written, meant):
    """Measured: 'unknown firm '7'; add a row with id '7'' beside a firm '007' (Excel
    drops leading zeros), and the same for '3.0' beside '3'."""
    firm, other = ids.split(",")
    firms = FIRMS.replace("MINE,", f"{firm},", 1).replace("SMELT,", f"{other},", 1)
    flows = HEADER + f"{written},{other},copper,150,kt,product\n"
    [(_, row, column, message, hint)] = said(write(tmp_path, flows, firms))
    assert (row, column, message) == (2, "source", f"unknown firm '{written}'")
    assert hint == f"did you mean '{meant}'?"


def test_a_nul_byte_in_a_cell_is_located(tmp_path):
    """Measured: 'is not a text file (it contains NUL bytes)', no row, for one NUL."""
    flows = FLOWS.replace("slag", "sl\x00ag")
    [(file, row, _, message, _)] = said(write(tmp_path, flows))
    assert (file, row) == ("flows.csv", 3)
    assert message.startswith("has a NUL byte")


def test_an_old_excel_workbook_is_named(tmp_path):
    """Measured: an .xls saved as flows.csv was 'not a text file (it contains NUL bytes)'."""
    xls = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(range(256)) * 8
    [(file, row, _, message, hint)] = said(write(tmp_path, xls))
    assert (file, row) == ("flows.csv", None)
    assert message.startswith("is an old Excel workbook (.xls")
    assert "save it as .xlsx" in hint


def test_problems_come_in_row_order(tmp_path):
    """Measured: row 28's '1e-400' came first, then rows 14, 15, ... (one rule after
    another). Each file's problems are now in the order of its rows."""
    flows = HEADER + "".join(
        f"SMELT,CEM,slag {i},{q},t,by-product\n"
        for i, q in enumerate(["x", "#N/A", "1e-400", "NaN", "-1"])
    )
    assert [row for _, row, *_ in said(write(tmp_path, flows))] == [2, 3, 4, 5, 6]


@pytest.mark.parametrize(
    ("column", "cell", "hint"),
    [
        ("quantity", '"1,234"', "write plain digits, e.g. 1234"),
        ("quantity", '"1 234.5"', "write plain digits, e.g. 1234.5"),
        ("year", '"2,019"', "write the year as 2019"),
    ],
)
def test_the_thousands_hint_gives_the_cells_own_number(tmp_path, column, cell, hint):
    """Measured: every such hint said 'e.g. 1200000', also for a year '2,019'."""
    flows = (HEADER.strip() + ",year\n" + "MINE,SMELT,copper,150,kt,product,2019\n").replace(
        "150" if column == "quantity" else "2019\n", cell if column == "quantity" else cell + "\n"
    )
    [(_, row, got_column, message, got_hint)] = said(write(tmp_path, flows))
    assert (row, got_column, got_hint) == (2, column, hint)
    assert message.endswith("has a thousands separator")


def test_the_ambiguous_point_hint_gives_the_cells_own_number(tmp_path):
    """Measured: '1.234' in a ';' file said 'write 1200 for twelve hundred, or 1,2 with a
    decimal comma', a fixed example rather than the cell's own number."""
    flows = HEADER.replace(",", ";") + "MINE;SMELT;copper;1.234;kt;product\n"
    [(_, row, column, message, hint)] = said(write(tmp_path, flows))
    assert (row, column) == (2, "quantity")
    assert message.startswith("'1.234' is ambiguous in a ';'-separated file")
    assert hint == "write 1234 for the whole number, or 1,234 with a decimal comma"


def test_a_coordinate_with_a_dot_among_decimal_commas(tmp_path):
    """Measured: lat '1.234' in a ';' file of decimal commas: 'write plain digits, e.g.
    1200000', for a coordinate (which has no thousands)."""
    firms = "id;name;lat;lon\nMINE;m;30,92;117,81\nSMELT;s;1.234;117,8\n"
    [(_, row, column, _, hint)] = said(
        write(tmp_path, HEADER + "MINE,SMELT,cu,1,t,product\n", firms)
    )
    assert (row, column) == (3, "lat")
    assert hint.endswith("with one decimal mark, e.g. 1,234")


@pytest.mark.parametrize("firms", [FIRMS, None])
def test_spreadsheet_errors_in_text_columns(tmp_path, firms):
    """Measured: "unknown firm '#N/A'; add a row with id '#N/A'", and a material
    '#VALUE!' accepted as a name (also without a firms file: '#N/A' became a node)."""
    flows = HEADER + (
        "#N/A,SMELT,copper,150,kt,product\nSMELT,#REF!,slag,1,t,by-product\n"
        "SMELT,LF,#VALUE!,1,t,waste\nSMELT,LF,slag,1,#n/a,waste\n"
        "SMELT,LF,slag2,1,t,#NAME?\n"
    )
    found = said(write(tmp_path, flows, firms))
    assert [(row, column) for _, row, column, _, _ in found] == [
        (2, "source"),
        (3, "target"),
        (4, "material"),
        (5, "unit"),
        (6, "category"),
    ]
    assert all("is a spreadsheet error, not a" in message for *_, message, _ in found)


def test_a_spreadsheet_error_as_a_firm_id(tmp_path):
    firms = FIRMS + "#REF!,ghost,,\n"
    [(file, row, column, message, _)] = said(write(tmp_path, FLOWS, firms))
    assert (file, row, column) == ("firms.csv", 7, "id")
    assert message == "'#REF!' is a spreadsheet error, not a firm id"


# ------------------------------------------------------------------------------ decimal commas


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16"])
def test_a_tab_file_of_decimal_commas(tmp_path, encoding):
    """Measured: Excel's 'Unicode Text' (tabs, UTF-16) on a European locale:
    "'150,5' is not a number". Read as in a ';' file now."""
    flows = (
        (HEADER + 'MINE,SMELT,copper,"150,5",kt,product\nSMELT,CEM,slag,"1234,25",t,by-product\n')
        .replace(",", "\t")
        .replace('"150\t5"', "150,5")
        .replace('"1234\t25"', "1234,25")
    )
    network = load(write(tmp_path, flows.encode(encoding)))
    assert sorted(network.flows["quantity"]) == [150.5, 1234.25]


def test_a_tab_file_of_thousands_separators_is_not_read_as_decimal_commas(tmp_path):
    flows = (HEADER + "MINE,SMELT,copper,X,kt,product\n").replace(",", "\t").replace("X", "1,234")
    [(_, row, _, message, hint)] = said(write(tmp_path, flows))
    assert (row, message, hint) == (
        2,
        "'1,234' has a thousands separator",
        "write plain digits, e.g. 1234",
    )


def test_a_decimal_comma_in_a_comma_file_says_so(tmp_path):
    [(_, _, _, message, hint)] = said(write(tmp_path, FLOWS.replace("150", '"0,5"')))
    assert message == "'0,5' is not a number (a decimal comma?)"
    assert "decimal comma is read in ';'-separated and tab-separated files" in hint


# ------------------------------------------------------------------------------ workbooks


def workbook(path: Path, flows: list[list], *, hidden: bool = False) -> Path:
    """A workbook of the park, its flows sheet ``flows`` (rows after the header)."""
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    firms = book.active
    firms.title = "firms"
    for line in FIRMS.splitlines():
        firms.append(line.split(","))
    sheet = book.create_sheet("flows")
    sheet.append(HEADER.strip().split(","))
    for row in flows:
        sheet.append(row)
    if hidden:
        sheet.sheet_state = "hidden"
        book.create_sheet("Flows2").append(HEADER.strip().split(","))
    book.save(path)
    return path


def test_an_error_cell_of_a_workbook_is_a_spreadsheet_error(tmp_path):
    """Measured: an Excel error cell (#N/A) read as empty: a flow of unknown size, with a
    mere warning."""
    book = workbook(
        tmp_path / "net.xlsx",
        [
            ["MINE", "SMELT", "copper", 150, "kt", "product"],
            ["SMELT", "CEM", "slag", 1, "t", "by-product"],
        ],
    )
    import openpyxl

    opened = openpyxl.load_workbook(book)
    opened["flows"]["D3"].value = "#N/A"
    opened["flows"]["D3"].data_type = "e"
    opened.save(book)
    [problem] = problems(book)
    assert (problem.file, problem.row, problem.column) == (f"{book}[flows]", 3, "quantity")
    assert problem.message == "'#N/A' is a spreadsheet error, not a number"


def test_a_formula_without_a_computed_value_is_located(tmp_path):
    """Measured: a formula never computed (a workbook written by a program) read as
    empty: a flow of unknown size, with a mere warning."""
    book = workbook(
        tmp_path / "net.xlsx",
        [
            ["MINE", "SMELT", "copper", 150, "kt", "product"],
            ["SMELT", "CEM", "slag", "=D2*2", "t", "by-product"],
        ],
    )
    [problem] = problems(book)
    assert (problem.file, problem.row, problem.column) == (f"{book}[flows]", 3, "quantity")
    assert problem.message == "a formula without a computed value (=D2*2)"
    assert problem.hint.startswith("open and save the workbook in Excel or LibreOffice")


def test_a_hidden_sheet_read_is_warned(tmp_path):
    """Measured: the hidden sheet 'flows' read, a visible 'Flows2' beside it, no word."""
    book = workbook(
        tmp_path / "net.xlsx", [["MINE", "SMELT", "copper", 150, "kt", "product"]], hidden=True
    )
    [warning] = [w for w in load(book).warnings if "is hidden in" in w]
    assert warning == (
        f"{book}[flows]: the sheet 'flows' is hidden in the workbook, and is "
        "read; check that it is the one meant (visible sheets: firms, Flows2)"
    )


# ------------------------------------------------------------------------------ stray rows


@pytest.mark.parametrize(
    "totals",
    ["Total,,,450,,", ",,Total,450,t,", "TOTAL:,,,450,t,", "合计,,,450,t,", "合計,,,450,t,",
     "總計：,,,450,t,"],
)  # fmt: skip
def test_a_totals_row_of_the_flows(tmp_path, totals):
    """Measured: "unknown firm 'Total'; add a row with id 'Total'", and four more
    problems on the row. Now one: a totals row, to delete."""
    [(file, row, column, message, hint)] = said(write(tmp_path, FLOWS + totals + "\n"))
    assert (file, row, column) == ("flows.csv", 4, None)
    assert message.startswith("looks like a totals row (") and message.endswith("not a flow")
    assert hint.startswith("delete it")


def test_a_firm_named_like_a_totals_row_with_flows_is_a_firm(tmp_path):
    """A firm 'Total' (or TotalEnergies) that flows use is no totals row."""
    firms = FIRMS + "Total,TotalEnergies,oil,firm\n"
    network = load(write(tmp_path, FLOWS + "Total,SMELT,fuel oil,5,t,product\n", firms))
    assert "Total" in set(network.firms.index)


def test_a_totals_row_of_the_firms(tmp_path):
    """Measured: 'Total: 5 firms,,,' became a firm, silently."""
    firms = FIRMS + ",,,\nTotal: 5 firms,,,\n"
    [(file, row, column, message, _hint)] = said(write(tmp_path, FLOWS, firms))
    assert (file, row, column) == ("firms.csv", 8, "id")
    assert message == "'Total: 5 firms' looks like a totals row, not a firm (no flow uses it)"


def test_firms_no_flow_uses_are_warned(tmp_path):
    network = load(write(tmp_path))
    [warning] = [w for w in network.warnings if "in no flow" in w]
    assert "3 firm(s) are in no flow ('MINE'" not in warning  # MINE sends copper
    assert "2 firm(s) are in no flow ('MKT', 'LF')" in warning
    # a firm without flows still receives opportunities (a planned one, or a closed one
    # the user forgot): the warning says so (tester-cities5: compare and trends differed)
    assert "can still be proposed as a receiver of opportunities" in warning


@pytest.mark.parametrize(
    "tail",
    [
        "\nSource: field survey 2019\nNote: quantities rounded\n",
        ",,,,,\nSource: field survey 2019,,,,,\n",
    ],
)
def test_notes_below_the_table(tmp_path, tail):
    """Measured: ':5: has 1 fields where the header has 6; check for a missing separator'
    for each note line; with its separators, 'unknown firm 'Source: field survey 2019''."""
    [(file, _row, column, message, hint)] = said(write(tmp_path, FLOWS + tail))
    assert (file, column) == ("flows.csv", None)
    assert message.startswith("notes below the table (row")
    assert hint.startswith("delete")


def test_a_firm_with_an_id_alone_is_no_note(tmp_path):
    network = load(write(tmp_path, FLOWS + "SMELT,LF,slag,1,t,waste\n", FIRMS + "ACID\n"))
    assert "ACID" in set(network.firms.index)


# ------------------------------------------------------------------------------ one round


def test_a_missing_column_does_not_hide_the_rows_problems(tmp_path):
    """Measured: a flows file without 'unit' said that alone; its quantity 'abc' and
    unknown firm 'GHOST' came a round of fixes later."""
    flows = "source,target,material,quantity,category\nMINE,SMELT,copper,abc,product\n"
    flows += "SMELT,GHOST,slag,1,waste\n"
    assert [(row, column) for _, row, column, _, _ in said(write(tmp_path, flows))] == [
        (1, "unit"),
        (2, "quantity"),
        (3, "target"),
    ]


def test_a_missing_firm_id_column_does_not_hide_the_other_columns(tmp_path):
    firms = FIRMS.replace("id,", "code,", 1).replace("disposal", "landfil")
    found = said(write(tmp_path, FLOWS.replace("150", "abc"), firms))
    assert [(file, row, column) for file, row, column, _, _ in found] == [
        ("firms.csv", 1, "id"),
        ("firms.csv", 6, "role"),
        ("flows.csv", 2, "quantity"),
    ]


def test_a_workbook_named_csv_is_still_read(tmp_path):
    """The formulas' pass opens the workbook as a file: openpyxl refuses a name ending in
    .csv (measured: 'internal error: InvalidFileException')."""
    book = workbook(tmp_path / "net.xlsx", [["MINE", "SMELT", "copper", 150, "kt", "product"]])
    book.rename(tmp_path / "flows.csv")
    assert len(load(flows=tmp_path / "flows.csv").flows) == 1


def test_flows_of_several_years_are_said_to_be_added_up(tmp_path):
    """A register's all-years table: '86 kt/yr disposed' was two years of 45 and 41 kt."""
    flows = tmp_path / "flows.csv"
    flows.write_text(
        "source,target,material,quantity,unit,category,year\n"
        "A,LF,slag,45000,t,waste,2019\nA,LF,slag,41000,t,waste,2020\n",
        encoding="utf-8",
    )
    with pytest.warns(SymbiosisWarning, match=r"flows of 2 years \(2019-2020\) are added up"):
        symbiosis.load(flows)
    flows.write_text(flows.read_text().replace("2020", "2019"), encoding="utf-8")
    assert not any("added up" in w for w in symbiosis.load(flows).warnings)  # one year


def test_gas_volumes_beside_water_volumes_are_warned(tmp_path):
    """Biogas in Nm3 was added to effluent in m3: a volume reuse share of both."""
    flows = tmp_path / "flows.csv"
    flows.write_text(
        "source,target,material,quantity,unit,category\n"
        "WWTP,PLANT,biogas,1200000,Nm3,by-product\nPLANT,WWTP,effluent,11000000,m3,waste\n",
        encoding="utf-8",
    )
    with pytest.warns(SymbiosisWarning, match=r"gas volumes \('biogas' \(Nm3\); first on row 2\)"
                      r" are added to other volumes \('effluent' \(m3\)\)"):  # fmt: skip
        symbiosis.load(flows)
    flows.write_text(flows.read_text().replace("Nm3", "GJ"), encoding="utf-8")
    assert not any(
        "gas volumes" in w for w in symbiosis.load(flows).warnings
    )  # tests/test_io_gases.py
