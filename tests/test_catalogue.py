"""The pathway catalogue: shipped rows, matching rules, sector vocabulary, user files."""

from __future__ import annotations

import pytest

import symbiosis
from symbiosis import InputError
from symbiosis.analysis.opportunities.streams import find_streams
from symbiosis.catalogue import (
    COLUMNS,
    default_catalogue,
    load_catalogue,
    normalise_code,
    normalise_sector,
)
from symbiosis.examples import example_path
from symbiosis.vocabulary import material_key

HEADER = ",".join(COLUMNS) + "\n"


@pytest.fixture(scope="module")
def catalogue():
    return default_catalogue()


def write(tmp_path, text, name="mine.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_every_shipped_row_is_sourced_and_unique(catalogue):
    rows = catalogue.pathways
    assert len(rows) >= 100
    assert rows["id"].is_unique
    assert (rows["source"].str.len() > 3).all()
    assert set(rows["maturity"]) <= {"established", "demonstrated", "emerging"}
    # The shared research catalogue had 79 rows; each of its materials is still here.
    for material in (
        "copper smelting slag",
        "phosphogypsum",
        "coal bottom ash",
        "sewage sludge",
        "spent hydroprocessing catalysts",
        "coal gangue",
        "waste glass cullet",
    ):
        assert catalogue.match(material_key(material)), material


def test_every_tongling_residual_stream_is_covered(catalogue):
    """The README of examples/tongling lists the streams left at disposal and in the
    environment; each residual stream leaving an actor must match a catalogue row."""
    network = symbiosis.load(example_path("tongling"))
    streams = find_streams(network)
    residual = streams.fate != "product"
    missing = sorted(
        {
            m
            for m, k in zip(streams.material[residual], streams.key[residual], strict=True)
            if not catalogue.match(k)
        }
    )
    assert missing == [], missing
    for material in (
        "copper slag flotation tailings",
        "mill tailings",
        "phosphogypsum",
        "titanium gypsum",
        "bottom ash",
        "dismantling residues",
        "low-grade waste heat",
        "treated effluent",
        "carbon dioxide",
        "sulfur dioxide",
        "copper cathode",
    ):
        assert catalogue.match(material_key(material)), material


def test_material_rules_name_synonym_and_code(catalogue):
    ids = catalogue.pathways["id"]
    by_name = {ids[p]: rule for p, rule in catalogue.match(material_key("FGD gypsum"))}
    assert by_name["fgd-plasterboard"] == "name"
    by_synonym = {ids[p]: r for p, r in catalogue.match(material_key("scrubber gypsum"))}
    assert by_synonym["fgd-plasterboard"] == "synonym"
    by_code = {ids[p]: r for p, r in catalogue.match("some local name", ("100105",))}
    assert by_code["fgd-plasterboard"] == "material code"
    # Keys are compared whole: a longer name is another material.
    assert not catalogue.match(material_key("copper slag dust"))
    assert not catalogue.match("some local name", ())


@pytest.mark.parametrize(
    ("text", "sectors"),
    [
        ("clinker and cement; kiln co-processing of municipal waste", {"cement"}),
        ("Construction Materials", {"building material"}),  # not "construction"
        ("primary copper refinery", {"copper smelting"}),  # not an oil refinery
        ("oil refinery", {"petroleum refining"}),
        ("phosphate and compound fertilisers", {"fertilizer"}),
        ("coal-fired power", {"power generation"}),
        ("mine backfill", {"mine backfill"}),
        ("Pharmaceuticals and enzymes (fermentation)", {"pharmaceutical"}),
        ("powder coatings", set()),  # whole words only: not "power"
        ("", set()),
    ],
)
def test_sector_matching(catalogue, text, sectors):
    assert catalogue.sectors.sectors_of(text) == sectors


def test_normalisation_helpers():
    assert normalise_sector("Iron-and_Steel Works") == "iron and steel work"
    assert normalise_sector("Glass") == "glass"
    assert normalise_code(" 10.06.01* ") == "100601"


def test_user_rows_are_merged_and_replace_rows_of_the_same_id(tmp_path):
    path = write(
        tmp_path,
        HEADER
        + "fly-ash-cement,fly ash,,,by-product,mass,cement,my note,,established,,my source\n"
        + "whey-feed,whey,cheese whey,,by-product,mass,whey drying,feed,,,,local study\n",
    )
    merged = load_catalogue(path)
    base = default_catalogue()
    assert len(merged) == len(base) + 1
    row = merged.pathways.set_index("id").loc["fly-ash-cement"]
    assert row["source"] == "my source"
    assert row["file"] == str(path)
    assert row["row"] == 2
    # a receiving sector unknown to sectors.csv matches on its own name
    assert merged.sectors.sectors_of("Whey-Drying plant") == {"whey drying"}
    assert merged.match(material_key("cheese whey"))
    only = load_catalogue([path], replace=True)
    assert len(only) == 2 and only.files == (str(path),)


def test_replace_needs_a_file_and_problems_of_all_files_are_listed(tmp_path):
    with pytest.raises(InputError, match="needs a catalogue file"):
        load_catalogue(None, replace=True)
    first = write(tmp_path, HEADER + "a,slag,,,junk,mass,cement,,,,,src\n", "a.csv")
    second = write(tmp_path, HEADER + "b,slag,,,waste,mass,cement,,,,,\n", "b.csv")
    with pytest.raises(InputError) as error:
        load_catalogue([first, second])
    found = [(p.file, p.row, p.column) for p in error.value.problems]
    assert found == [(str(first), 2, "category"), (str(second), 2, "source")]
    assert str(error.value.problems[1]) == (
        f"{second}:2: source: source is empty; every pathway needs its source or standard"
    )


def test_optional_columns_may_be_left_out(tmp_path):
    path = write(tmp_path, "id,material,receiving_sector,source\nx,whey,whey drying,study\n")
    row = load_catalogue(path, replace=True).pathways.iloc[0]
    assert row["category"] == "by-product"
    assert row["dimension"] == "" and row["maturity"] == ""
    assert not row["downstream"]
