"""Material names written in two languages, in either order, bracketed or not, as
practitioners write them (tester-oilports13 defects 4 and 6): a catalogue name beside a
word of another language ("Elektroofenstaub EAF dust", "Elektroofenstaub (EAF dust)",
"原油 crude oil") meets the rows of the catalogue name, hazardous or not, and an English
name the tool knows is not split (docs/opportunities.md, "Matching")."""

from __future__ import annotations

import pandas as pd
import pytest

from symbiosis import from_frames
from symbiosis.analysis.opportunities import count_opportunities, find_opportunities

COLUMNS = ["source", "target", "material", "quantity", "unit", "category"]
OUTSIDE = [("MKT", "", "market"), ("LF", "", "landfill")]


def _table(firms: list[tuple[str, str, str]], flows: list[tuple]) -> pd.DataFrame:
    network = from_frames(pd.DataFrame(firms + OUTSIDE, columns=["id", "sector", "role"]),
                          pd.DataFrame(flows, columns=COLUMNS))  # fmt: skip
    result = find_opportunities(network, top=0, impact=False)
    assert len(result.table) == count_opportunities(network)  # the same candidates
    return result.table


def _pathways(table: pd.DataFrame, material: str) -> set[str]:
    return set(table.loc[table["material"] == material, "pathway"].dropna())


_EAF = [("MH", "electric arc furnace steel", "firm")]


@pytest.mark.parametrize(
    "name",
    [
        "Elektroofenstaub EAF dust",
        "Elektroofenstaub (EAF dust)",
        "EAF dust (Elektroofenstaub)",
        "EAF dust Elektroofenstaub",
        "电炉粉尘 EAF dust",
        "EAF dust 电炉粉尘",
    ],
)
@pytest.mark.parametrize("category", ["hazardous waste", "waste"])
def test_eaf_dust_named_in_two_languages_meets_the_waelz_kiln(name, category):
    """Marienhütte: "Elektroofenstaub EAF dust" as ``hazardous waste`` met no row (a
    hazardous stream goes only by the rows that name it, and the taxonomy read the head
    noun "dust"), as did "Elektroofenstaub (EAF dust)" in any category, while plain "EAF
    dust" meets eaf-dust-zinc. Each now meets the rows the plain name meets."""
    flows = [("MH", "LF", name, 5, "kt", category), ("MH", "LF", "EAF dust", 5, "kt", category)]
    table = _table(_EAF, flows)
    assert "eaf-dust-zinc" in _pathways(table, name), table[["material", "pathway"]]
    assert _pathways(table, name) == _pathways(table, "EAF dust")
    rules = table.groupby("material")["rule"].agg(set)
    assert rules[name] == rules["EAF dust"]


def test_bf_dust_after_its_german_name_meets_the_bf_dust_rows():
    """VA Donawitz: "Gichtgasstaub BF dust" was uncovered, though "BF dust" is a synonym
    of bf-dust and bf-dust-zinc (the taxonomy reads "BF dust" as any dust)."""
    firms = [("VAD", "iron and steel", "firm")]
    flows = [("VAD", "LF", "Gichtgasstaub BF dust", 20, "kt", "waste"),
             ("VAD", "LF", "BF dust", 20, "kt", "waste")]  # fmt: skip
    table = _table(firms, flows)
    assert _pathways(table, "Gichtgasstaub BF dust") & {"bf-dust", "bf-dust-zinc"}
    assert _pathways(table, "Gichtgasstaub BF dust") == _pathways(table, "BF dust")


@pytest.mark.parametrize("name", ["原油 crude oil", "crude oil 原油"])
def test_crude_oil_named_in_two_scripts_meets_the_refinery_as_plain_crude(name):
    """Daqing sells "原油 crude oil" raw: it met no row, where plain "crude oil" meets
    crude-refining (downstream). A refinery already running on crude oil has no room for
    more (max_share 1), whichever way the crude sold is named."""
    firms = [("OF", "oil and gas extraction", "firm"), ("REF", "petroleum refining", "firm")]
    for sold in (name, "crude oil"):
        flows = [("OF", "MKT", sold, 17, "Mt", "product"),
                 ("OF", "REF", "crude oil", 10, "Mt", "product")]  # fmt: skip
        table = _table(firms, flows)
        rows = table[table["material"] == sold]
        assert set(rows["pathway"]) == {"crude-refining"}, rows
        assert set(rows["kind"]) == {"downstream"}
        assert (rows["quantity"] == 0).all(), rows[["receiver", "quantity"]]


@pytest.mark.parametrize("name", ["treated fly ash", "toxic fly ash", "fly ash 脱硫石膏"])
def test_an_english_or_qualified_name_is_not_split(name):
    """A first word the matching reads (treated; toxic, a hazard) or a part in another
    script that names another material (脱硫石膏, FGD gypsum) leaves the name to the
    taxonomy: no row is met by the name of its part "fly ash" (a guard; "Kraftwerk fly
    ash" meets them so)."""
    firms = [("PP", "power generation", "firm"), ("CEM", "cement", "firm")]
    flows = [
        ("PP", "LF", name, 5, "kt", "waste"),
        ("PP", "LF", "Kraftwerk fly ash", 5, "kt", "waste"),
    ]
    table = _table(firms, flows)
    rules = table.groupby("material")["rule"].agg(set)
    assert rules["Kraftwerk fly ash"] == {"name"}
    assert name not in rules or not rules[name] & {"name", "synonym"}, rules
