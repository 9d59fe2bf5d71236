"""The pathway catalogue: shipped rows, matching rules, sector vocabulary, published
figures (substitution ratio, receiver capacity), industry codes, user files."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import symbiosis
from symbiosis import InputError
from symbiosis.analysis.opportunities.streams import find_streams
from symbiosis.catalogue import (
    COLUMNS,
    default_catalogue,
    default_sector_codes,
    load_catalogue,
    load_sector_codes,
    normalise_code,
    normalise_sector,
    read_pathways,
    sectors_for_code,
)
from symbiosis.catalogue.sectors import sector_table
from symbiosis.examples import example_path
from symbiosis.vocabulary import material_key

BASE = COLUMNS[: COLUMNS.index("source") + 1]  # the columns before the published figures
HEADER = ",".join(BASE) + "\n"


@pytest.fixture(scope="module")
def catalogue():
    return default_catalogue()


def write(tmp_path, text, name="mine.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_every_shipped_row_is_sourced_and_unique(catalogue):
    rows = catalogue.pathways
    assert len(rows) >= 400
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


def test_no_condition_begins_with_the_word_the_text_puts_before_it(catalogue):
    """The text output prints a row's condition as ``#10 bf-dust only <condition>``: a
    condition written "only its low-zinc part ..." read "only only" (tester-cities4 #13)."""
    conditions = catalogue.pathways["condition"]
    written = conditions[conditions != ""]
    assert len(written) >= 5
    assert not written.str.match(r"(?i)\s*only\b").any(), list(written)


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
        # an organic or bio fertiliser plant makes compost, not ammonium sulfate: SO2 was
        # proposed to TEDA's 有机肥料 plant through 肥料 (fertilizer)
        ("有机肥料", {"composting"}),
        ("生物有机肥", {"composting"}),
        ("bio-fertiliser", {"composting"}),
        ("organic fertilizer plant", {"composting"}),
        ("compound fertilizer NPK", {"fertilizer"}),
        # "power" alone is a word inside compound sector names, not a power plant: an
        # ash-melting plant ("... melting and power") was proposed 255 Mm3 of cooling water
        ("shredder residue melting and power", set()),
        ("power grid", set()),
        ("combined heat and power", {"power generation"}),
        ("electric power", {"power generation"}),
        ("电力", {"power generation"}),
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
        + "local-whey-drying,whey,cheese whey,,by-product,mass,whey drying,feed,,,,local study\n",
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


# ---------------------------------------------------------------------------- shipped data


@pytest.fixture(scope="module")
def sector_names():
    return {normalise_sector(s) for s in sector_table()["sector"]}


def test_every_receiving_sector_is_in_sectors_csv(catalogue, sector_names):
    missing = sorted(set(catalogue.pathways["sector"]) - sector_names)
    assert missing == [], missing


def test_sectors_csv_names_each_sector_once_and_each_is_its_own_term(catalogue, sector_names):
    table = sector_table()
    assert table["sector"].is_unique
    for name in sector_names:
        assert name in catalogue.sectors.sectors_of(name), name


def test_shipped_figures_are_numbers_in_their_dimension(catalogue):
    rows = catalogue.pathways
    ratio = rows["ratio"].to_numpy(dtype=float)
    assert ((ratio > 0) & (ratio <= 100) | np.isnan(ratio)).all()
    given = rows["receiver_capacity"] != ""
    assert (rows["capacity"][given] > 0).all()
    assert (rows["capacity_unit"][given] != "").all()
    same = (rows["dimension"] == "") | (rows["dimension"] == rows["capacity_dimension"])
    assert same[given].all()
    assert rows["capacity"][~given].isna().all()


@pytest.mark.parametrize(
    ("material", "pathway"),
    [
        ("脱硫石膏", "fgd-plasterboard"),
        ("粉煤灰", "fly-ash-cement"),
        ("desulfurization gypsum", "fgd-plasterboard"),
        ("flue gas gypsum", "fgd-plasterboard"),
        # the names of China's hazardous-waste list (HW49, HW11, HW23)
        ("废活性炭", "activated-carbon-reactivation"),
        ("spent GAC", "activated-carbon-reactivation"),
        ("精(蒸)馏残渣", "still-bottoms-kiln"),
        ("蒸馏残渣", "still-bottoms-kiln"),
        ("still bottoms", "still-bottoms-kiln"),
        ("含锌废物", "zinc-ash-galvanizing"),
        ("铝灰渣", "dross-aluminium"),
    ],
)
def test_names_people_use_and_chinese_names_match(catalogue, material, pathway):
    ids = {catalogue.pathways["id"][p] for p, _ in catalogue.match(material_key(material))}
    assert pathway in ids, material


@pytest.mark.parametrize(
    ("text", "sectors"),
    [
        ("水泥厂", {"cement"}),
        ("铜陵海螺水泥 (Conch Cement)", {"cement"}),
        ("热电厂", {"power generation"}),
        ("玻璃棉", {"mineral wool"}),  # not glass: 玻璃 is inside the longer term
        ("Gypsum wallboard plant", {"plasterboard"}),
        ("petroleum refinery", {"petroleum refining"}),
        ("sugar refinery", {"sugar mill"}),  # not an oil refinery
        ("Pulp and paper mill", {"paper", "kraft pulp"}),  # a kraft mill, with its lime kiln
        ("pig farm", {"agriculture"}),
        ("fish farm", {"aquaculture"}),
        ("fertilizer plant", {"fertilizer"}),
        ("nickel refinery", {"hydrometallurgy", "nickel refining"}),  # no oil refinery
        ("vegetable oil refinery", {"food and beverage"}),  # nor this
        ("particle board industry", {"wood based panel"}),
        ("gypsum industry", {"plasterboard"}),
        ("活性炭再生厂", {"activated carbon"}),
        # as Chinese park surveys name plants along a copper chain
        ("电解铜", {"copper smelting"}),
        ("硫铁矿", {"mining"}),
        ("洗煤厂", {"mining"}),
        ("黄金冶炼", {"precious metal"}),
        ("甲醇厂", {"chemical"}),
        ("废旧金属回收", {"scrap recycling"}),
        ("carbon reactivation plant", {"activated carbon"}),
    ],
)
def test_sector_terms_in_any_script(catalogue, text, sectors):
    assert catalogue.sectors.sectors_of(text) == sectors


# ---------------------------------------------------------------------------- figures


FIGURES = "id,material,dimension,receiving_sector,source,substitution_ratio,receiver_capacity,capacity_unit\n"  # noqa: E501


def test_figures_are_read_and_capacities_converted(tmp_path):
    path = write(
        tmp_path,
        FIGURES
        + "a,FGD gypsum,mass,plasterboard,Eurogypsum,0.95,0.25,Mt\n"
        + "b,waste heat,energy,district heating,NAP 1994,1.1,12,MW\n"
        + "c,treated effluent,,power generation,GB/T 19923,,3,Mm3\n"
        + "d,fly ash,mass,cement,EN 450-1,,,\n",
    )
    rows = load_catalogue(path, replace=True).pathways.set_index("id")
    assert rows.loc["a", "ratio"] == 0.95
    assert rows.loc["a", "capacity"] == 250_000 and rows.loc["a", "capacity_dimension"] == "mass"
    assert rows.loc["b", "capacity"] == pytest.approx(12 * 31_557.6)  # MW at full load, GJ/yr
    assert rows.loc["c", "capacity"] == 3e6 and rows.loc["c", "capacity_dimension"] == "volume"
    assert math.isnan(rows.loc["d", "ratio"]) and math.isnan(rows.loc["d", "capacity"])
    assert rows.loc["d", "capacity_dimension"] == ""


def test_a_catalogue_without_the_figure_columns_loads_and_merges(tmp_path):
    row = "local-whey-feed,whey,,,by-product,mass,agriculture,feed,,,,study\n"
    path = write(tmp_path, HEADER + row)
    merged = load_catalogue(path)
    row = merged.pathways.set_index("id").loc["local-whey-feed"]
    assert row["substitution_ratio"] == "" and math.isnan(row["ratio"])
    assert math.isnan(row["capacity"])


@pytest.mark.parametrize(
    ("ratio", "capacity", "unit", "column", "message"),
    [
        ("0.2-0.5", "", "", "substitution_ratio", "'0.2-0.5' is a range"),
        ("nan", "", "", "substitution_ratio", "'nan' is not a number"),
        ("1e400", "", "", "substitution_ratio", "'1e400' is too large"),
        ("101", "", "", "substitution_ratio", "too large for a substitution ratio"),
        ("", "-1", "t", "receiver_capacity", "'-1' is not above 0"),
        ("", "5", "", "capacity_unit", "receiver_capacity has no unit"),
        ("", "", "kt", "capacity_unit", "unit 'kt' but no receiver_capacity"),
        ("", "5", "bananas", "capacity_unit", "unknown unit 'bananas'"),
        ("", "5", "GWh", "capacity_unit", "'GWh' is a unit of energy but the row's dimension"),
        ("", "1e308", "Mt", "receiver_capacity", "'1e308' Mt is too large"),
    ],
)
def test_bad_figures_are_reported_where_they_are(tmp_path, ratio, capacity, unit, column, message):
    path = write(tmp_path, FIGURES + f"a,fly ash,mass,cement,EN 450-1,{ratio},{capacity},{unit}\n")
    with pytest.raises(InputError) as error:
        load_catalogue(path)
    [problem] = error.value.problems
    assert (problem.file, problem.row, problem.column) == (str(path), 2, column)
    assert message in problem.message and problem.hint


def test_a_quote_never_closed_in_the_last_column_is_refused(tmp_path):
    """Tester-files 1: the rows below it were one cell with it, and the file was read."""
    text = 'id,material,receiving_sector,source\nd1,dust,bricks,"Paper\nd2,slag,cement,P\n'
    path = write(tmp_path, text)
    with pytest.raises(InputError) as error:
        load_catalogue(path)
    assert [(p.row, p.column, p.message) for p in error.value.problems] == [
        (2, "source", 'has a quote (") that is never closed')
    ]


# ---------------------------------------------------------------------------- industry codes


@pytest.mark.parametrize(
    ("code", "scheme", "sectors"),
    [
        ("19.20", None, {"petroleum refining"}),
        ("1920", None, {"petroleum refining"}),  # NACE and ISIC agree
        ("C 19.20", None, {"petroleum refining"}),
        ("NACE Rev. 2: 19.20", None, {"petroleum refining"}),
        ("23.51", None, {"cement"}),
        ("2351", "nace", {"cement"}),
        ("23.62", None, {"plasterboard"}),
        ("35.11", None, {"power generation"}),
        ("35.30", None, {"district heating", "district cooling"}),
        ("23.52.1", None, {"lime", "plasterboard"}),  # a national subclass: NACE 23.52
        ("23.52Z", None, {"lime", "plasterboard"}),  # France's NAF
        ("2394", None, {"cement", "lime"}),  # ISIC only
        ("ISIC 2395", None, {"building material", "plasterboard"}),
        ("3510", "isic", {"power generation"}),
        ("2511", "GB/T 4754-2017", {"petroleum refining"}),
        ("GB 3011", None, {"cement"}),
        ("C3011", None, {"cement"}),  # only GB/T 4754 lists it
        ("4412", "gb", {"power generation", "district heating"}),
        ("3024", "gb", {"plasterboard", "building material"}),
        ("25", "gb", {"petroleum refining", "coking"}),
        ("25", None, set()),  # NACE 25 (metal products) or GB 25 (refining): ambiguous
        ("25.11", None, set()),  # metal structures: no catalogue sector
        ("24", None, set()),  # basic metals: too broad
        ("0141", None, set()),  # NACE 01.41 dairy cattle or GB 0141 vegetables
    ],
)
def test_industry_codes_map_to_catalogue_sectors(code, scheme, sectors):
    assert sectors_for_code(code, scheme) == sectors


def test_codes_of_every_scheme_name_known_sectors(sector_names):
    codes = default_sector_codes()
    schemes = {scheme for scheme, _ in codes.entries}
    assert schemes == {"NACE", "ISIC", "GB"}
    for (scheme, _), (code, title, sectors) in codes.entries.items():
        assert title, (scheme, code)
        assert sectors <= sector_names, (scheme, code, sectors - sector_names)
    # every receiving sector worth a code has one in each scheme
    for name in ("cement", "plasterboard", "petroleum refining", "power generation",
                 "district heating", "paper", "iron and steel", "fertilizer"):  # fmt: skip
        for scheme in ("NACE", "ISIC", "GB"):
            assert any(s == scheme and name in e[2] for (s, _), e in codes.entries.items()), (
                scheme, name)  # fmt: skip


def test_lookup_shows_each_reading_and_infers_the_scheme_of_a_column():
    codes = default_sector_codes()
    readings = {m.scheme: m for m in codes.lookup("25")}
    assert set(readings) == {"NACE", "ISIC", "GB"} and readings["GB"].sectors
    parent = codes.lookup("24.20")[0]
    assert parent.code == "24.2" and not parent.exact
    assert codes.infer_scheme(["2511", "3011", "4412", "x"]) == "GB"
    assert codes.infer_scheme(["19.20", "23.51"]) == "NACE"
    assert codes.infer_scheme(["1920", "2394"]) == "ISIC"
    assert codes.infer_scheme(["9999"]) is None


@pytest.mark.parametrize(
    ("code", "scheme", "message"),
    [
        ("cement", None, "is not an industry code"),
        ("1234567", None, "is not an industry code"),
        ("SIC 2511", None, "'SIC' is not a known classification"),
        ("2511", "naics", "'naics' is not a known classification"),
        ("NACE 19.20", "gb", "names NACE but the scheme given is GB"),
    ],
)
def test_what_is_not_a_code_is_refused(code, scheme, message):
    with pytest.raises(ValueError, match=message):
        sectors_for_code(code, scheme)


def test_a_user_code_file_adds_rows_and_reports_every_problem(tmp_path):
    good = write(tmp_path, "scheme,code,title,sector\nNACE,10.72,Rusks and biscuits,"
                 "food and beverages\nGB,3011,水泥制造,my cement\n", "codes.csv")  # fmt: skip
    codes = load_sector_codes(good)
    assert codes.sectors_of("10.72") == {"food and beverage"}
    assert codes.sectors_of("3011", "gb") == {"my cement"}  # the user row replaces the shipped
    assert codes.sectors_of("19.20") == {"petroleum refining"}
    bad = write(
        tmp_path,
        "scheme,code,title,sector\n"
        "SIC,2911,Refining,petroleum refining\n"
        "NACE,1920,Refined petroleum,petroleum refining\n"
        "GB,2511,,petroleum refining\n"
        "GB,2511,原油加工,petroleum refining\n"
        "ISIC,2394,Cement,cement;;\n",
        "bad.csv",
    )
    with pytest.raises(InputError) as error:
        load_sector_codes([good, bad])
    found = [(p.row, p.column) for p in error.value.problems]
    assert found == [(2, "scheme"), (3, "code"), (4, "title"), (5, "code"), (6, "sector")]
    assert "is listed again (first on row 4)" in error.value.problems[3].message
    missing = write(tmp_path, "scheme,code,sector\nNACE,19.20,x\n", "missing.csv")
    with pytest.raises(InputError, match="title: required column is missing"):
        load_sector_codes(missing)


def test_waste_codes_match_their_headings(tmp_path):
    """The EU List of Waste is a hierarchy: a row written for a sub-chapter (10 01) or a
    chapter (10) covers its 6-digit entries (10 01 02*), said by the rule; never the other
    way round, and an exact entry keeps the plain rule."""
    path = tmp_path / "mine.csv"
    path.write_text(
        "id,material,material_code,receiving_sector,source\n"
        "sub,combustion residue,10 01,cement,a book\n"
        "chapter,thermal process waste,10,cement,a book\n"
        "entry,fly ash,10 01 02,cement,a book\n"
    )
    catalogue = load_catalogue(path, replace=True)
    rules = dict(catalogue.match("unknown stuff", ("100102",)))
    assert rules == {0: "material code (sub-chapter)", 1: "material code (chapter)",
                     2: "material code"}  # fmt: skip
    assert dict(catalogue.match("unknown stuff", ("1001",))) == {0: "material code"}
    assert catalogue.match("unknown stuff", ("110102",)) == []


def _sectors_by_regex(vocabulary, text: str) -> frozenset[str]:
    """The first implementation of SectorVocabulary.sectors_of (one regular expression with
    a lookahead per position), kept as the oracle of the word-by-word lookup."""
    import re

    from symbiosis.catalogue.sectors import EXTRACTION_SECTORS, sector_terms

    ordered = sorted(vocabulary.terms, key=lambda t: (-len(t), t))
    pattern = re.compile(r"(?=\b(" + "|".join(re.escape(t) for t in ordered) + r")\b)")
    spans = [
        (m.start(), m.start() + len(m.group(1)), m.group(1))
        for m in pattern.finditer(sector_terms(text))
    ]
    # what follows a "from" that no term holds names a feedstock, not the plant
    raw, text = text, sector_terms(text)
    cut = next((m.start() for m in re.finditer(r"\bfrom\b", text)
                if not any(s <= m.start() < e for s, e, _ in spans)), len(text))  # fmt: skip
    kept = [
        (start, end, term) for start, end, term in spans
        if start < cut and not _qualifies_a_material(text, raw, len(text[:end].split()))
        and not any(s <= start and end <= e and (s, e) != (start, end) for s, e, _ in spans)
    ]  # fmt: skip
    # a term of another sector before a mine's or a concentrator's in its clause names the
    # ore mined (EXTRACTION_SECTORS)
    clause = _clauses(raw)
    mined = [(start, clause[len(text[:start].split())]) for start, _, term in kept
             if vocabulary.terms[term] & EXTRACTION_SECTORS]  # fmt: skip
    found: set[str] = set()
    for start, end, term in kept:
        sectors = vocabulary.terms[term]
        ore = any(end <= at and clause[len(text[:start].split())] == c for at, c in mined)
        if sectors & EXTRACTION_SECTORS or not sectors or not ore:
            found |= sectors
    return frozenset(found)


# the scripts written without spaces (Han, kana and Hangul: sector_words._UNSPACED), each
# character a word; kana and Hangul since sectors.csv has Japanese and Korean terms
_ORACLE_PIECES = (
    r"[a-z0-9]+|[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3040-\u30ff\uac00-\ud7af]"
    r"|[,;:()\[\]/&+|]"
)


def _clauses(raw: str) -> list[int]:
    """The clause of each word of ``raw`` (as :func:`sector_terms` splits it): a
    punctuation mark between two words starts a new clause."""
    import re

    pieces = re.findall(_ORACLE_PIECES,
                        raw.lower().replace("_", " ").replace("-", " "))  # fmt: skip
    clauses, clause = [], 0
    for i, piece in enumerate(pieces):
        if piece[0].isalnum():
            clause += i > 0 and not pieces[i - 1][0].isalnum()
            clauses.append(clause)
    return clauses


def _qualifies_a_material(text: str, raw: str, at: int) -> bool:
    """Whether the words of ``text`` (sector_terms) from the ``at``-th on begin with a
    material noun with no punctuation of ``raw`` between them and the word before."""
    import re

    from symbiosis.catalogue.sectors import MATERIAL_NOUNS, sector_terms

    lowered = raw.lower().replace("_", " ").replace("-", " ")
    pieces = re.findall(_ORACLE_PIECES, lowered)
    broken = [i > 0 and not pieces[i - 1][0].isalnum() for i, p in enumerate(pieces)
              if p[0].isalnum()]  # fmt: skip
    words = text.split()
    return (
        at < len(words)
        and not broken[at]
        and any(
            words[at : at + len(noun.split())] == noun.split()
            for noun in map(sector_terms, MATERIAL_NOUNS)
        )
    )


_SECTOR_WORDS = sorted(
    {w for term in default_catalogue().sectors.terms for w in term.split()} | {"x", "plant", "水"}
)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_SECTOR_WORDS), max_size=8), st.sampled_from([" ", "-", ", "]))
def test_sectors_found_word_by_word_as_by_the_regular_expression(words, separator):
    vocabulary = default_catalogue().sectors
    text = separator.join(words)
    assert vocabulary.sectors_of(text) == _sectors_by_regex(vocabulary, text)


def test_pathway_table_column_types(tmp_path):
    """The table is built once from lists; its column types are those the cells took when
    it was written into a frame of objects column by column (and ``pd.concat`` of a user
    file with the shipped table depends on them): text as objects, the canonical category,
    file, sector, capacity dimension and an absent optional column as a list of str is
    typed (pandas' strings from pandas 3)."""
    strings = {"category", "file", "sector", "capacity_dimension"}
    inferred = str(pd.Series(["x"]).dtype)  # "str" from pandas 3, "object" before
    shipped = default_catalogue().pathways
    expect = {"row": "int64", "downstream": "bool", "ratio": "float64", "capacity": "float64",
              "co2": "float64", "share": "float64"}  # fmt: skip
    absent_shipped = {"co2_factor"}  # no shipped row gives one
    for column in shipped.columns:
        kind = inferred if column in strings | absent_shipped else expect.get(column, "object")
        assert str(shipped[column].dtype) == kind, column
    path = tmp_path / "mine.csv"
    path.write_text("id,material,receiving_sector,source,note\nmy-1,Slag,cement,me,x\n")
    mine = read_pathways(path)
    absent = {c for c in COLUMNS if c not in ("id", "material", "receiving_sector", "source")}
    for column in mine.columns:
        kind = inferred if column in strings | absent else expect.get(column, "object")
        assert str(mine[column].dtype) == kind, column
    assert list(mine.columns)[-1] == "note" and isinstance(mine["keys"][0], tuple)


def test_a_catalogues_problems_come_in_the_order_of_its_rows(tmp_path):
    """Found by a tester: a catalogue's problems came grouped by rule (rows 3, 4, 4, 3,
    3, 3, 2, ...), where docs/errors.md says each file's come in the order of its rows."""
    path = write(
        tmp_path,
        FIGURES
        + "a,,mass,cement,s,-1,abc,t\n"  # row 2: empty material, a bad ratio and capacity
        + "b,slag,lenght,cement,s,0,5,furlong\n"  # row 3: dimension, ratio, unit
        + "a,slag,mass,cement,s,nan,-5,t\n",  # row 4: the id repeated, ratio, capacity
    )
    with pytest.raises(InputError) as caught:
        load_catalogue(path)
    rows = [p.row for p in caught.value.problems]
    assert rows == sorted(rows) and set(rows) == {2, 3, 4}, rows


def test_hints_say_an_id_and_give_a_capacity_as_an_example(tmp_path):
    """Found by a tester: 'add a 'id' column', and 'e.g. 0.95' (a ratio) as the example
    for a plant's receiver_capacity."""
    with pytest.raises(InputError) as caught:
        load_catalogue(write(tmp_path, "material,receiving_sector,source\nslag,cement,x\n"))
    assert caught.value.problems[0].hint == "add an 'id' column"
    with pytest.raises(InputError) as caught:
        load_catalogue(write(tmp_path, FIGURES + "a,slag,mass,cement,s,,abc,t\n", "f.csv"))
    (problem,) = caught.value.problems
    assert problem.column == "receiver_capacity" and "e.g. 200," in problem.hint


def test_the_shipped_catalogue_loads_without_pint():
    """Its capacity units are read by the units' own table: a row in `Mm3` had made every
    opportunities pass import pint (0.3 s, a quarter of the Tongling example's run)."""
    import subprocess
    import sys

    code = (
        "import sys; from symbiosis.catalogue import default_catalogue; default_catalogue(); "
        "print('pint' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
