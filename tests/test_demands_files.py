"""Demands files (io/demands.py, io/demand_checks.py): read like the network's files, every
problem at once, and checked against the network (found by fuzzing: a repeated column
leaked a pandas warning, a later row silently replaced an earlier one, '1 000' was read as
1000, '300,5' in a ';' file and ids with a zero-width space were refused, 1e300 t passed,
a short row was 'quantity is empty', and rows that can never apply went without a word)."""

from __future__ import annotations

import math
import warnings

import pytest
from typer.testing import CliRunner

import symbiosis
from symbiosis import InputError
from symbiosis.cli import app
from symbiosis.io.demands import CheckedDemands, Demand, check_demands, read_demands

runner = CliRunner()
HEADER = "firm,material,material_code,quantity,unit,notes\n"
FIRMS = (
    "id,name,sector,role\n"
    "P1,Power station,power,utility\n"
    "BM,Building materials,building materials,firm\n"
    "CEM,Cement works,cement,firm\n"
    "Café,Café,food,firm\n"
    "MKT,Market,,market\n"
    "LF,Landfill,,disposal\n"
)
FLOWS = (
    "source,target,material,quantity,unit,category,material_code\n"
    "P1,LF,FGD gypsum,200,kt,waste,10 01 05\n"
    "P1,LF,fly ash,100,kt,waste,10 01 02\n"
    "P1,LF,phosphogypsum,50,t,waste,\n"
    "MKT,P1,coal,900,kt,product,\n"
    "P1,MKT,steam,500,GJ,product,\n"
    "Café,MKT,whey,5,t,by-product,\n"
)


@pytest.fixture(scope="module")
def network(tmp_path_factory):
    folder = tmp_path_factory.mktemp("net")
    (folder / "firms.csv").write_text(FIRMS, encoding="utf-8")
    (folder / "flows.csv").write_text(FLOWS, encoding="utf-8")
    return symbiosis.load(folder)


@pytest.fixture
def demands(tmp_path):
    def write(rows: str, header: str = HEADER, name: str = "demands.csv"):
        path = tmp_path / name
        path.write_text(header + rows, encoding="utf-8")
        return path

    return write


def problems_of(call) -> list[tuple]:
    with pytest.raises(InputError) as caught:
        call()
    return [(p.row, p.column, p.message, p.hint) for p in caught.value.problems]


def cli(network_folder, path, *more):
    result = runner.invoke(
        app, ["opportunities", str(network_folder), "--demands", str(path), "-q", *more]
    )
    assert "Traceback" not in result.output
    return result


# ---------------------------------------------------------------------------- the file


def test_a_repeated_column_is_refused_without_a_python_warning(demands, network):
    path = demands("BM,phosphogypsum,300,5,kt\n", header="firm,material,quantity,quantity,unit\n")
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # pandas' "columns are not unique" leaked here
        found = problems_of(lambda: read_demands(path))
    assert found == [(1, "quantity", "column appears more than once", "keep one")]
    result = cli(network.source_files[0].parent, path)
    assert result.exit_code == 2
    assert f"error: {path}:1: quantity: column appears more than once; keep one" in result.stderr
    assert "Warning" not in result.output


def test_a_quote_never_closed_in_the_last_column_is_refused(demands):
    """Tester-files 1: the rows below it were one cell with it, and the file was read.
    The rows below are read, and their problems said with it."""
    path = demands('CEM,slag,,300,t,"wallboard\nCEMM,dust,,abc,t,\n')
    assert problems_of(lambda: read_demands(path)) == [
        (2, "notes", 'has a quote (") that is never closed',
         "close the quoted field, or remove the stray quote"),
        (3, "quantity", "'abc' is not a number",
         "give the most the firm could take per year in all (what it takes now included), "
         "e.g. 300"),
    ]  # fmt: skip


def test_a_missing_or_misspelt_column_gets_the_network_s_hints(demands):
    path = demands("BM,phosphogypsum,300,t\n", header="frim,material,quantity,unit\n")
    assert problems_of(lambda: read_demands(path)) == [
        (1, "firm", "required column is missing", "rename column 'frim' to 'firm'")
    ]
    path = demands("BM,300,kt\n", header="firm,quantity,unit\n")
    assert problems_of(lambda: read_demands(path)) == [
        (1, "material", "required column is missing",
         "add a 'material' or a 'material_code' column"),
    ]  # fmt: skip


def test_chinese_headers_are_read_as_the_flows_are(demands, network):
    """Tester14: a Baotou demands file headed 企业,物料,数量,单位 was refused ('add a
    'firm' column'), although its flows.csv, headed in Chinese, was read."""
    path = demands("BM,FGD gypsum,300,kt\nCEM,fly ash,150,kt\n", header="企业,物料,数量,单位\n")
    rows = check_demands(path, network).rows
    assert [(row.firm, row.material, row.value) for row in rows] == [
        ("BM", "FGD gypsum", 300_000.0), ("CEM", "fly ash", 150_000.0)
    ]  # fmt: skip
    path = demands(
        "BM,FGD gypsum,300,kt,line 2\n", header="需求单位,物料名称,需求量,计量单位,备注\n"
    )
    (row,) = read_demands(path)
    assert (row.firm, row.material, row.value) == ("BM", "FGD gypsum", 300_000.0)


def test_an_unknown_chinese_header_is_located_and_names_what_is_read(demands):
    """The header read as no column is named (input17: it was 'add a 'firm' column')."""
    path = demands("BM,FGD gypsum,300,kt\n", header="需求方企业,物料,数量,单位\n")
    assert problems_of(lambda: read_demands(path)) == [
        (1, "firm", "required column is missing",
         "rename column '需求方企业' to 'firm' if that is what it holds (a Chinese header read "
         "as it: 企业, 需求企业, 需求单位 ...)"),
    ]  # fmt: skip
    path = demands("BM,300,kt\n", header="企业,数量,单位\n")
    assert problems_of(lambda: read_demands(path)) == [
        (1, "material", "required column is missing",
         "add a 'material' or a 'material_code' column (a Chinese header read as it: 物料, 物质, "
         "物料名称 ...)"),
    ]  # fmt: skip
    path = demands("BM,FGD gypsum,300,kt,BM\n", header="企业,物料,数量,单位,需方\n")
    assert problems_of(lambda: read_demands(path)) == [
        (1, "需方", "column '需方' is read as 'firm', and the table has '企业' (read as "
         "'firm') already", "keep one of the two columns, or rename '需方' if it holds "
         "something else"),
    ]  # fmt: skip


def test_every_problem_of_the_file_at_once(demands):
    path = demands(",gypsum,,5,kt,\nBM,,,5,kt,\nBM,slag,,-3,kt,\nCEM,slag,,5,furlongs,\n"
                   "CEM,ash,,abc,t,\nCEM,sand,,,t,\n")  # fmt: skip
    found = {(row, column): message for row, column, message, _ in problems_of(
        lambda: read_demands(path))}  # fmt: skip
    assert found == {
        (2, "firm"): "firm is empty",
        (3, "material"): "material is empty",
        (4, "quantity"): "'-3' is not a positive number",
        (5, "unit"): "unit 'furlongs' is not a mass, energy or volume (it reads as fur)",
        (6, "quantity"): "'abc' is not a number",
        (7, "quantity"): "quantity is empty",
    }


def test_a_later_row_for_the_same_firm_and_material_is_refused(demands, network):
    path = demands("BM,phosphogypsum,,300,kt,line 2\nBM,Phosphogypsum,,5,t,second\n"
                   "CEM,phosphogypsum,,5,t,another firm\nBM,fly ash,,5,t,another material\n"
                   "CEM,,10 01 02,5,t,\nCEM,cement fly ash,10.01.02;10 01 05,5,t,\n")  # fmt: skip
    assert problems_of(lambda: read_demands(path)) == [
        (3, None, "repeats firm 'BM' and material 'Phosphogypsum' of row 2",
         "keep one row: the most the firm could take of it in all"),
        (7, None, "repeats firm 'CEM' and material code 100102 of row 6",
         "keep one row: the most the firm could take of it in all"),
    ]  # fmt: skip
    result = cli(network.source_files[0].parent, path)
    assert result.exit_code == 2 and f"{path}:3: repeats firm 'BM'" in result.stderr


def test_numbers_follow_the_network_s_rules(demands):
    semicolon = demands("BM;phosphogypsum;;300,5;kt;x\n", header=HEADER.replace(",", ";"))
    [row] = read_demands(semicolon)
    assert row.value == pytest.approx(300_500) and row.dimension == "mass"
    rate = demands("BM,phosphogypsum,,10,t/d,\nCEM,steam,,2,GWh,\n")
    assert [r.value for r in read_demands(rate)] == pytest.approx([3652.5, 7200])
    path = demands('BM,a,,1 000,t,\nBM,b,,"1,000",t,\nBM,c,,1e300,t,\nBM,d,,1e306,Mt,\n'
                   "BM,e,,1e30,t,\n")  # fmt: skip
    found = problems_of(lambda: read_demands(path))
    assert found == [
        (2, "quantity", "'1 000' has a thousands separator", "write plain digits, e.g. 1000"),
        (3, "quantity", "'1,000' has a thousands separator", "write plain digits, e.g. 1000"),
        (4, "quantity", "'1e300' t is 1e300 t per year, more than any real flow (1e30 t per "
         "year)", "check the unit and the exponent"),
        (5, "quantity", "'1e306' Mt is 1e312 t per year, more than any real flow (1e30 t per "
         "year)", "check the unit and the exponent"),
    ]  # fmt: skip
    [largest] = read_demands(demands("BM,e,,1e30,t,\n"))
    assert largest.value == 1e30


def test_a_short_row_is_said_with_its_field_count_only(demands, network):
    path = demands("BM,phosphogypsum\nCEM,fly ash,,5,t\n")
    [(row, column, message, hint)] = problems_of(lambda: read_demands(path))
    assert (row, column, message) == (2, None, "has 2 fields where the header has 6")
    assert "missing separator" in hint
    result = cli(network.source_files[0].parent, path)
    assert result.exit_code == 2
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert errors == [f"error: {path}:2: has 2 fields where the header has 6; {hint}"]


def test_a_bad_material_code_is_refused_as_the_catalogue_refuses_it(demands):
    path = demands("BM,,abc$%,300,kt,\nBM,,;;,300,kt,\nCEM,,10 01 02*,5,t,\n")
    assert [f[:3] for f in problems_of(lambda: read_demands(path))] == [
        (2, "material_code", "'abc$%' is not a material code"),
        (3, "material_code", "';;' lists no code"),
    ]


def test_ids_are_cleaned_as_the_network_s(demands, network):
    path = demands("B\u200bM,phosphogypsum,,300,kt,\nCafe\u0301,whey,,5,t,\n")
    checked = check_demands(path, network)
    assert [r.firm for r in checked.rows] == ["BM", "Café"]
    assert checked.warnings == (
        f"{path}: firm: 1 id(s) held zero-width characters (U+200B to U+200D, U+FEFF; "
        "first on row 2); they were removed",
    )


# ---------------------------------------------------------------------------- the network


def test_problems_of_the_file_and_against_the_network_come_together(demands, network):
    path = demands("NOPE,phosphogypsum,,300,kt,\nBM,phosphogypsum,,abc,kt,\n")
    found = problems_of(lambda: check_demands(path, network))
    # in the order of the rows (docs/errors.md), the network's problems among the file's
    assert [(row, column) for row, column, *_ in found] == [(2, "firm"), (3, "quantity")]
    assert found[0][2:] == ("'NOPE' is not in the network",
                            "use an id of firms.csv (or of flows.csv)")  # fmt: skip


def test_an_unknown_firm_gets_a_did_you_mean(demands, network):
    path = demands("BMM,phosphogypsum,,300,kt,\nC\u0415M,fly ash,,5,t,\nbm ,steam,,1,GJ,\n")
    found = problems_of(lambda: check_demands(path, network))
    assert [f[3] for f in found] == [
        "did you mean 'BM'?",
        "did you mean 'CEM'? (the cell has U+0415 CYRILLIC CAPITAL LETTER IE where the id has "
        "U+0045 LATIN CAPITAL LETTER E)",
        "did you mean 'BM'?",
    ]


def test_a_boundary_node_is_no_receiving_firm(demands, network):
    path = demands("LF,phosphogypsum,,300,kt,\nMKT,coal,,5,kt,\n")
    found = problems_of(lambda: check_demands(path, network))
    assert [f[:3] for f in found] == [
        (2, "firm", "'LF' is a boundary node (disposal), not a firm"),
        (3, "firm", "'MKT' is a boundary node (market), not a firm"),
    ]


def test_a_material_the_network_has_in_another_dimension_is_refused(demands, network):
    path = demands("BM,phosphogypsum,,300,GJ,\nCEM,steam,,5,kt,\n")
    found = problems_of(lambda: check_demands(path, network))
    assert found == [
        (2, "unit", "the network's flows of 'phosphogypsum' are mass (t), but this row's unit "
         "is one of energy", "give the quantity in a unit of mass (e.g. t), as its flows are"),
        (3, "unit", "the network's flows of 'steam' are energy (GJ), but this row's unit is "
         "one of mass", "give the quantity in a unit of energy (e.g. GJ), as its flows are"),
    ]  # fmt: skip


def test_a_material_no_flow_carries_is_a_warning(demands, network):
    path = demands("BM,unobtainium,,300,kt,\nCEM,,19 12 12,5,t,\nBM,phosphogypsum,,300,kt,\n"
                   "CEM,desulfurization gypsum,,5,kt,\nCEM,,10 01 02,5,t,\n")  # fmt: skip
    checked = check_demands(path, network)
    assert isinstance(checked, CheckedDemands) and len(checked.rows) == 5
    assert checked.warnings == (
        f"{path}: material: 2 row(s) name a material that no flow of the network carries (by "
        "name, through the taxonomy or by material code): 'unobtainium' (row 2), material "
        "code 191212 (row 3); they set no capacity",
    )


def test_rows_given_in_python_are_checked_too(network):
    rows = [Demand("BM", "phosphogypsum", (), "mass", 3e5, "mine", 1),
            Demand("LF", "fly ash", (), "mass", 5.0, "mine", 2)]  # fmt: skip
    assert problems_of(lambda: check_demands(rows, network))[0][:2] == (2, "firm")
    checked = check_demands(rows[:1], network)
    assert checked.rows == (rows[0],) and checked.warnings == ()


def test_without_a_network_only_the_file_is_checked(demands):
    path = demands("NOPE,unobtainium,,300,kt,\n")
    checked = check_demands(path, None)
    assert [r.firm for r in checked.rows] == ["NOPE"] and checked.warnings == ()
    assert not math.isnan(checked.rows[0].value)


def test_a_demands_files_problems_come_in_the_order_of_its_rows(network, demands):
    """Found by a tester: the problems came grouped by rule (rows 6, 7, 4, 3, 4, 5) and
    against the network after the file's own, where docs/errors.md says each file's come
    in the order of its rows."""
    path = demands("CEM,fly ash,,300,kt,\nCEM,fly ash,,300,kt,\nXX,gypsum,,-5,kt,\n"
                   "LF,fly ash,,5,t,\nCEM,,,5,t,\nP1,steam,,abc,GJ,\n")  # fmt: skip
    with pytest.raises(InputError) as caught:
        check_demands(path, network)
    rows = [p.row for p in caught.value.problems]
    assert rows == sorted(rows) and set(rows) == {3, 4, 5, 6, 7}, rows


def test_notes_below_the_rows_are_not_called_flows(demands):
    """Found beside a tester's Ctrl-Z: 'one cell of text after the last flow ... every row
    is read as a flow', in a demands file."""
    path = demands("CEM,slag,,300,t,\nSource: workshop 2024\n")
    [(row, column, message, hint)] = problems_of(lambda: read_demands(path))
    assert (row, column) == (3, None)
    assert message.endswith("one cell of text after the last row of data")
    assert hint.endswith("every row is read as data")
