"""The files ``opportunities`` reads beside the network (``--catalogue``, ``--taxonomy``,
``--demands``) are said as the network's files are (a tester's: a catalogue, taxonomy or
demands file read as GB18030 got no warning at all, where a network file gets one)."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest
from typer.testing import CliRunner

import symbiosis
from symbiosis.analysis.opportunities import find_opportunities
from symbiosis.catalogue import load_catalogue
from symbiosis.cli import app
from symbiosis.errors import SymbiosisWarning
from symbiosis.io.demands import check_demands
from symbiosis.taxonomy import load_taxonomy

runner = CliRunner()
TONGLING = Path(__file__).parents[2] / "examples" / "tongling"
READ_AS = (
    "read as GB18030 text (Chinese Windows' code page, as Excel saves 'CSV' there), not "
    "UTF-8; check that the names read right, or save the file as 'CSV UTF-8'"
)


@pytest.fixture
def network(tmp_path: Path) -> Path:
    folder = tmp_path / "net"
    folder.mkdir()
    (folder / "firms.csv").write_text(
        "id,name,sector,role\nMINE,Mine,mining,extraction\nSMELT,Smelter,smelting,firm\n"
        "CEM,Cement,cement,firm\nLF,Landfill,landfill,landfill\n"
    )
    (folder / "flows.csv").write_text(
        "source,target,material,quantity,unit,category\nMINE,SMELT,ore,1200.5,t,product\n"
        "SMELT,CEM,炉渣,300,t,by-product\nCEM,LF,dust,50,t,waste\n"
    )
    return folder


@pytest.fixture
def chinese_files(tmp_path: Path) -> dict[str, Path]:
    """A catalogue, a taxonomy and a demands file written as Excel writes 'CSV' on
    Chinese Windows (GBK)."""
    texts = {
        "catalogue": "id,material,receiving_sector,source\nzh1,炉渣,水泥,论文 2001\n",
        "taxonomy": "family,material,names_zh\nslag,furnace slag,炉渣\n",
        "demands": "firm,material,quantity,unit\nCEM,炉渣,300,t\n",
    }
    paths = {}
    for kind, text in texts.items():
        paths[kind] = tmp_path / f"{kind}_gbk.csv"
        paths[kind].write_bytes(text.encode("gbk"))
    return paths


def test_files_read_as_gb18030_are_said_so_by_the_command(network, chinese_files):
    paths = chinese_files
    args = ["opportunities", str(network), "--catalogue", str(paths["catalogue"]),
            "--taxonomy", str(paths["taxonomy"]), "--demands", str(paths["demands"])]  # fmt: skip
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    said = [line for line in result.stderr.splitlines() if "read as GB18030" in line]
    assert said == [
        f"warning: {paths[kind]}: {READ_AS}" for kind in ("catalogue", "taxonomy", "demands")
    ]
    quiet = runner.invoke(app, [*args, "--quiet"])
    assert quiet.exit_code == 0 and "GB18030" not in quiet.stderr


def test_the_library_keeps_or_issues_the_warnings(network, chinese_files):
    paths = chinese_files
    assert load_catalogue(paths["catalogue"]).warnings == (f"{paths['catalogue']}: {READ_AS}",)
    assert load_taxonomy(paths["taxonomy"]).warnings == (f"{paths['taxonomy']}: {READ_AS}",)
    net = symbiosis.load(network, warn=False)
    checked = check_demands(paths["demands"], net)
    assert f"{paths['demands']}: {READ_AS}" in checked.warnings
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        find_opportunities(net, taxonomy=paths["taxonomy"], demands=paths["demands"])
    issued = [str(w.message) for w in caught if issubclass(w.category, SymbiosisWarning)]
    assert f"{paths['taxonomy']}: {READ_AS}" in issued
    assert f"{paths['demands']}: {READ_AS}" in issued
    assert load_catalogue().warnings == ()  # the shipped catalogue: nothing to say


# ------------------------------------------------------------- files of the wrong kind


def _other_kinds(tmp_path: Path) -> dict[str, Path]:
    """A workbook, a Parquet file and a database holding a catalogue's table, and binary
    data, each named as a CSV file would be, or not."""
    import sqlite3

    import pandas as pd

    table = pd.DataFrame({"id": ["d1"], "material": ["dust"], "receiving_sector": ["brick"],
                          "source": ["Paper"]})  # fmt: skip
    paths = {kind: tmp_path / name for kind, name in
             (("excel", "c.xlsx"), ("parquet", "c.parquet"), ("sqlite", "c.csv"),
              ("binary", "b.csv"))}  # fmt: skip
    table.to_excel(paths["excel"], index=False)
    table.to_parquet(paths["parquet"])
    with sqlite3.connect(paths["sqlite"]) as connection:
        table.to_sql("pathways", connection)
    connection.close()
    paths["binary"].write_bytes(bytes(range(256)) * 20)
    return paths


SAID = {
    "excel": "is an Excel workbook, not a CSV file; save the sheet as 'CSV UTF-8' (Excel: "
    "Save As > CSV UTF-8)",
    "parquet": "is a Parquet file, not a CSV file; write its table as a CSV file (UTF-8)",
    "sqlite": "is an SQLite database, not a CSV file; export the table as a CSV file (UTF-8)",
    "binary": "is not a text file (it contains NUL bytes); give a CSV file saved as UTF-8 text",
}


@pytest.mark.parametrize("option", ["--catalogue", "--taxonomy", "--demands"])
def test_a_file_of_another_kind_is_named_for_what_it_is(network, tmp_path, option):
    paths = _other_kinds(tmp_path)
    for kind, path in paths.items():
        result = runner.invoke(app, ["opportunities", str(network), option, str(path)])
        assert result.exit_code == 2 and "Traceback" not in result.output
        assert result.stderr.splitlines()[0] == f"error: {path}: {SAID[kind]}", kind


def test_a_csv_file_named_like_a_workbook_is_read_as_text(network, tmp_path):
    path = tmp_path / "mine.xlsx"
    path.write_text("id,material,receiving_sector,source\nd1,dust,brick making,Paper\n")
    assert load_catalogue(path, replace=True).pathways["id"].tolist() == ["d1"]


def test_xlsx_holds_the_first_candidates_csv_every_one(tmp_path, monkeypatch):
    """--xlsx writes each group's first SHEET_CANDIDATES (at least the listed ones) and a
    note; --csv of the same run writes every candidate."""
    openpyxl = pytest.importorskip("openpyxl")
    from symbiosis.export import xlsx

    monkeypatch.setattr(xlsx, "SHEET_CANDIDATES", 1)
    book, folder = tmp_path / "o.xlsx", tmp_path / "csv"
    args = ["opportunities", str(TONGLING), "-q", "--top", "1", "--xlsx", str(book)]
    result = runner.invoke(app, [*args, "--csv", str(folder)])
    assert result.exit_code == 0, result.output
    every = (folder / "opportunities.csv").read_text().splitlines()[1:]
    rows = list(openpyxl.load_workbook(book)["opportunities"].iter_rows(values_only=True))
    groups = {line.split(",")[0] for line in every}
    assert len(every) > len(groups)  # the test needs a group of several candidates
    assert len(rows) == 1 + len(groups) + 2
    assert rows[-1][0].startswith(f"{len(every) - len(groups):,} of {len(every):,} candidates")
    listed = runner.invoke(app, [*args[:3], "--top", "2", "--xlsx", str(book)])
    assert listed.exit_code == 0, listed.output
    sheet = openpyxl.load_workbook(book)["opportunities"]
    assert max(row[1] for row in sheet.iter_rows(min_row=2, values_only=True) if row[1]) == 2
