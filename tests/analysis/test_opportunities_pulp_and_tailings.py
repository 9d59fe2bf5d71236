"""A pulp mill's ash, names glossed in English, rare-earth tailings and lime mud
(tester-bioports14 defects 3, 4 and 5).

- A fly ash (or bottom ash) named no more than that is coal's by the taxonomy; from a
  source whose sector names biomass combustion (a pulp mill, a biomass boiler) it is
  biomass ash, and meets the wood-ash rows (forest, fields, earth construction), not EN
  450-1's concrete and blocks; a name that says coal keeps coal's rows.
- A name in another Latin-script language beside an English name that the taxonomy reads
  but the catalogue does not list ("lentotuhka (wood fly ash)", "hiilidioksidi
  (biogenic CO2)") is read as its English part; a part that says hazardous in its own
  language is not left unread.
- Plain tailings from a concentrator that ships a rare-earth concentrate (or whose sector
  names rare earth) meet the rare earth tailings row, not a copper mine's uses.
- Lime mud that no other actor takes was marked ``(in-house)`` beside the row whose
  process its own kraft mill runs (the lime kiln), among the uncovered streams; it is now
  proposed back to the mill (``in_house``: test_opportunities_in_house_kind).
"""

from __future__ import annotations

import pandas as pd
import pytest

from symbiosis import from_frames
from symbiosis.analysis.opportunities import find_opportunities

COLUMNS = ["source", "target", "material", "quantity", "unit", "category"]
WOOD_ROWS = {"wood-ash-forest", "wood-ash-agri", "biomass-ash-road"}
COAL_ROWS = {"fly-ash-blocks", "fly-ash-road", "fly-ash-backfill"}

FIRMS = [
    ("FOREST", "forestry", "extraction"),
    ("PULP", "pulp mill", "firm"),
    ("BOILER", "biomass boiler", "utility"),
    ("COAL", "coal fired power station", "utility"),
    ("PULP2", "pulp mill", "firm"),
    ("CONC", "ore dressing", "firm"),
    ("REE", "rare earth mining", "firm"),
    ("CU", "copper mine", "firm"),
    ("SEP", "rare earth smelting", "firm"),
    ("LF", "", "landfill"),
    ("AIR", "", "environment"),
    ("MKT", "", "market"),
]
FLOWS = [
    ("FOREST", "PULP", "pulpwood", 4000, "kt", "product"),
    ("PULP", "MKT", "pulp", 1300, "kt", "product"),
    ("PULP", "LF", "lentotuhka (fly ash)", 12, "kt", "waste"),
    ("PULP", "LF", "meesa (lime mud)", 3, "kt", "waste"),
    ("PULP", "AIR", "hiilidioksidi (biogenic CO2)", 3500, "kt", "emission"),
    ("BOILER", "LF", "bottom ash", 5, "kt", "waste"),
    ("COAL", "LF", "fly ash", 300, "kt", "waste"),
    ("PULP2", "LF", "coal fly ash", 7, "kt", "waste"),
    ("PULP2", "LF", "lentotuhka (wood fly ash)", 8, "kt", "waste"),
    ("PULP2", "LF", "ongelmajätetuhka (fly ash)", 1, "kt", "waste"),
    ("CONC", "SEP", "稀土精矿 (rare earth concentrate)", 400, "kt", "product"),
    ("CONC", "LF", "尾矿 (tailings)", 5000, "kt", "waste"),
    ("REE", "LF", "tailings", 900, "kt", "waste"),
    ("CU", "LF", "tailings", 800, "kt", "waste"),
]


@pytest.fixture(scope="module")
def result():
    network = from_frames(pd.DataFrame(FIRMS, columns=["id", "sector", "role"]),
                          pd.DataFrame(FLOWS, columns=COLUMNS))  # fmt: skip
    return find_opportunities(network, top=0, impact=False)


def _rows(result, source: str, material: str) -> set[str]:
    table = result.table
    rows = table[(table["source"] == source) & (table["material"] == material)]
    return set(rows["pathway"].dropna())


def test_a_pulp_mills_fly_ash_is_wood_ash(result):
    rows = _rows(result, "PULP", "lentotuhka (fly ash)")
    assert rows >= WOOD_ROWS
    assert not rows & COAL_ROWS
    table = result.table
    forest = table[(table["material"] == "lentotuhka (fly ash)") & (table["target"] == "FOREST")]
    assert set(forest["pathway"]) == {"wood-ash-forest"}  # back to the forest it came from


def test_a_biomass_boilers_bottom_ash_is_wood_ash(result):
    assert _rows(result, "BOILER", "bottom ash") >= WOOD_ROWS


def test_coal_fly_ash_keeps_its_rows(result):
    assert _rows(result, "COAL", "fly ash") >= COAL_ROWS
    assert not _rows(result, "COAL", "fly ash") & WOOD_ROWS
    rows = _rows(result, "PULP2", "coal fly ash")  # the name says coal, whatever the source
    assert rows >= COAL_ROWS and not rows & WOOD_ROWS


def test_a_finnish_name_glossing_a_qualified_english_name(result):
    assert _rows(result, "PULP2", "lentotuhka (wood fly ash)") >= WOOD_ROWS
    co2 = _rows(result, "PULP", "hiilidioksidi (biogenic CO2)")
    assert co2 and all(p.startswith("co2") for p in co2)
    uncovered = set(result.uncovered["material"])
    assert "hiilidioksidi (biogenic CO2)" not in uncovered


def test_a_part_saying_hazardous_in_its_language_is_not_left_unread(result):
    assert not _rows(result, "PULP2", "ongelmajätetuhka (fly ash)")


@pytest.mark.parametrize("source,material", [("CONC", "尾矿 (tailings)"), ("REE", "tailings")])
def test_rare_earth_tailings_by_their_source(result, source, material):
    rows = _rows(result, source, material)
    if not rows:  # the mine's own: no other receiver here; the row is named all the same
        uncovered = result.uncovered.set_index("material")
        rows = {p.split(" (")[0] for p in uncovered.loc[material, "pathways"].split("; ")}
    assert rows == {"ree-tailings-reprocessing"}


def test_a_copper_mines_tailings_keep_the_generic_rows(result):
    rows = _rows(result, "CU", "tailings")
    assert {"tailings-backfill", "tailings-blocks"} <= rows
    assert "ree-tailings-reprocessing" not in rows


def test_lime_mud_goes_to_the_mills_own_lime_kiln(result):
    # proposed back to the mill (it was marked "(in-house)" among the uncovered streams)
    table = result.table
    own = table[(table["material"] == "meesa (lime mud)") & (table["kind"] == "in_house")]
    assert list(own["pathway"]) == ["lime-mud-reburning"]
    assert list(own["target"]) == list(own["source"])
    assert "meesa (lime mud)" not in set(result.uncovered["material"])


def test_a_chinese_name_is_not_read_by_a_weak_english_part():
    # the taxonomy reads a name in two scripts by its parts: a part resolved only by its
    # head noun (sludge) resolves nothing alone, and no sludge row is met through it
    firms = pd.DataFrame(
        [("XT", "rare earth smelting", "firm"), ("LF", "", "landfill"),
         ("DC", "power generation", "utility")],
        columns=["id", "sector", "role"],
    )  # fmt: skip
    name = "含氟废渣 (fluorine-bearing residue, CaF2 sludge)"
    flows = pd.DataFrame(
        [("XT", "LF", name, 50, "kt", "waste"), ("DC", "LF", "sewage sludge", 5, "kt", "waste")],
        columns=COLUMNS,
    )
    table = find_opportunities(from_frames(firms, flows), top=0, impact=False).table
    # it is calcium fluoride sludge (its own rows), never sewage sludge to co-combustion
    pathways = set(table.loc[table["source"] == "XT", "pathway"])
    assert pathways and all(p.startswith("caf2-") for p in pathways), pathways
