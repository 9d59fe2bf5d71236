"""The side files (a catalogue, a taxonomy, a demands file) say every problem at once.

Found by a reviewer: their readers stopped at the rows that reading refuses (more fields
than the header, a quote never closed, text after a closing quote) and at a missing
required column, before the rows' rules: a user fixed that batch, ran again, and got a
second one. Now both come in one error, in row order, each with its file, row, column and
hint; the command line exits 2 without a traceback. A file that cannot be read as a table
(a column given twice, none of the required columns) still stops there.

And the shipped taxonomy's reader (:func:`symbiosis.taxonomy.parse_taxonomy`, Python's csv
module) read a quote never closed as a cell running to the end of the text, swallowing
every row below it without a word, as the flows reader once did.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from symbiosis.catalogue import load_catalogue
from symbiosis.cli import app
from symbiosis.errors import InputError
from symbiosis.io.demands import read_demands
from symbiosis.taxonomy import parse_taxonomy, read_taxonomy

SMALL = Path(__file__).parent / "data" / "small"
UNCLOSED = ('has a quote (") that is never closed',
            "close the quoted field, or remove the stray quote")  # fmt: skip
LONG_HINT = "quote fields that contain the separator, or remove the extra separators"

# Each kind of file: its reader, the option that takes it, its header, a good row, and a
# row breaking one of its rules (row 4 of the files below) with the problem said of it.
KINDS = {
    "catalogue": (
        load_catalogue,
        "--catalogue",
        "id,material,receiving_sector,source,maturity",
        "p1,slag,cement,a paper,",
        "p2,ash,cement,a paper,maybe",
        ("maturity", "unknown maturity 'maybe'",
         "use established, demonstrated, emerging or leave it empty"),
    ),
    "taxonomy": (
        read_taxonomy,
        "--taxonomy",
        "family,material,interchangeable",
        "slag,copper slag,",
        "ash,fly ash,maybe",
        ("interchangeable", "'maybe' is neither yes nor no", "write yes (the default) or no"),
    ),
    "demands": (
        read_demands,
        "--demands",
        "firm,material,quantity,unit",
        "CEM,gypsum,300,kt",
        "CEM,fly ash,abc,kt",
        ("quantity", "'abc' is not a number",
         "give the most the firm could take per year in all (what it takes now included), "
         "e.g. 300"),
    ),
}  # fmt: skip

# What reading refuses on row 2, given the header's width: the row, and the problem said.
READ = {
    "unclosed quote": (lambda width: ["x", '"never closed', *["y"] * (width - 2)], (1, *UNCLOSED)),
    "long row": (lambda width: ["x"] * (width + 2), (None, "has {n} fields where the header "
                                                     "has {width}", LONG_HINT)),
    "stray quote": (lambda width: ["x", '"b"c', *["y"] * (width - 2)], (1, "'\"b\"c' has text "
                    "after its closing quote: it would be read as 'bc'", None)),
}  # fmt: skip


def problems(read, path: Path) -> list[tuple]:
    with pytest.raises(InputError) as caught:
        read(path)
    return [(Path(p.file).name, p.row, p.column, p.message, p.hint) for p in caught.value.problems]


def side_file(tmp_path: Path, kind: str, broken: str) -> Path:
    """A file of ``kind``: row 2 refused by reading (``broken``), row 3 good, row 4
    breaking a rule."""
    _, _, header, good, bad, _ = KINDS[kind]
    names = header.split(",")
    row, _ = READ[broken]
    path = tmp_path / f"{kind}.csv"
    path.write_text("\n".join([header, ",".join(row(len(names))), good, bad]) + "\n", "utf-8")
    return path


def expected(kind: str, broken: str) -> list[tuple]:
    names = KINDS[kind][2].split(",")
    column, message, hint = READ[broken][1]
    column = names[column] if column is not None else None
    message = message.format(n=len(names) + 2, width=len(names))
    hint = hint or ""
    rule = KINDS[kind][5]
    return [(f"{kind}.csv", 2, column, message, hint), (f"{kind}.csv", 4, *rule)]


@pytest.mark.parametrize("broken", READ)
@pytest.mark.parametrize("kind", KINDS)
def test_rows_refused_in_reading_come_with_the_other_rows_problems(tmp_path, kind, broken):
    found = problems(KINDS[kind][0], side_file(tmp_path, kind, broken))
    if broken == "stray quote":  # its hint quotes the cell as it should be written
        assert found[0][4].startswith("a quote in a cell is written twice")
        found[0] = (*found[0][:4], "")
    assert found == expected(kind, broken)


@pytest.mark.parametrize("kind", KINDS)
def test_the_command_line_says_them_all_and_exits_2(tmp_path, kind):
    path = side_file(tmp_path, kind, "unclosed quote")
    result = CliRunner().invoke(app, ["opportunities", str(SMALL), KINDS[kind][1], str(path)])
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    column, message, hint = KINDS[kind][5]
    name = KINDS[kind][2].split(",")[1]
    assert result.stderr.splitlines() == [
        f"error: {path}:2: {name}: {UNCLOSED[0]}; {UNCLOSED[1]}",
        f"error: {path}:4: {column}: {message}; {hint}",
        "2 problems found; nothing was analysed",
    ]


@pytest.mark.parametrize(
    ("kind", "header", "said"),
    [
        ("catalogue", "id,material,receiving_sectr,source,maturity",
         ("receiving_sector", "rename column 'receiving_sectr' to 'receiving_sector'")),
        ("taxonomy", "famly,material,interchangeable", ("family", "rename column 'famly' to "
                                                        "'family'")),
        ("demands", "firm,material,quantity,units", ("unit", "rename column 'units' to 'unit'")),
    ],
)  # fmt: skip
def test_a_missing_column_comes_with_the_problems_of_the_columns_present(
    tmp_path, kind, header, said
):
    """The rules of the missing column say nothing (no 'is empty' on every row)."""
    read, _, _, good, bad, rule = KINDS[kind]
    path = tmp_path / f"{kind}.csv"
    path.write_text(f"{header}\n{good}\n{bad}\n", encoding="utf-8")
    found = problems(read, path)
    column, hint = said
    assert found == [
        (path.name, 1, column, "required column is missing", hint),
        (path.name, 3, *rule),
    ]


@pytest.mark.parametrize(
    ("kind", "text"),
    [
        ("catalogue", "id,id,material\np1,p2,slag\n"),
        ("taxonomy", "family,material,material\nslag,a,b\n"),
        ("demands", "firm,firm,material,quantity,unit\nA,B,slag,1,t\n"),
        ("catalogue", "firm,name\nA,x\n"),  # none of the required columns: another file
        ("taxonomy", "firm,name\nA,x\n"),
    ],
)
def test_a_file_that_is_no_table_of_its_kind_stops_at_its_header(tmp_path, kind, text):
    path = tmp_path / "f.csv"
    path.write_text(text, encoding="utf-8")
    found = problems(KINDS[kind][0], path)
    assert found and all(row == 1 for _, row, *_ in found), found


# ---------------------------------------------------------------------------- parse_taxonomy


def test_the_shipped_taxonomy_s_reader_refuses_a_quote_never_closed():
    """The rows below it were one cell with it: 'abc,, ash,def, slag,ghi,' in family
    gypsum, and ash and slag lost without a word."""
    text = 'family,material,synonyms\ngypsum,"abc,,\nash,def,\nslag,,x\n'
    assert problems(lambda _: parse_taxonomy(text, "m.csv"), Path()) == [
        ("m.csv", 2, "material", *UNCLOSED),
        ("m.csv", 4, "material", "material is empty", "name the material"),
    ]


def test_the_shipped_taxonomy_s_reader_refuses_text_after_a_closing_quote():
    """'"ab"c' was read as 'abc'."""
    text = 'family,material\ngypsum,"ab"c\nash,def\n'
    [(file, row, column, message, _)] = problems(lambda _: parse_taxonomy(text, "m.csv"), Path())
    assert (file, row, column) == ("m.csv", 2, "material")
    assert message == "'\"ab\"c' has text after its closing quote: it would be read as 'abc'"


def test_the_shipped_taxonomy_s_reader_says_long_rows_with_the_rules_problems():
    text = "family,material\ngypsum,a,b,c\nash,\n"
    assert problems(lambda _: parse_taxonomy(text, "m.csv"), Path()) == [
        ("m.csv", 2, None, "has 4 fields where the header has 2", LONG_HINT),
        ("m.csv", 3, "material", "material is empty", "name the material"),
    ]


def test_the_shipped_taxonomy_s_reader_keeps_what_csv_reads_well():
    text = 'family,material,synonyms\ngypsum,"a, b","x ""y"""\nash,12" pipe,\nslag,"c" ,\n'
    taxonomy = parse_taxonomy(text, "m.csv")
    assert taxonomy.family_of == {"a, b": "gypsum", '12" pipe': "ash", "c": "slag"}
