"""Materials of an integrated steel works, found by a tester on Ma'anshan: desulfurization
ash, zinc-bearing sludges and dusts, oily mill scale sludge, steel slag tailings and mine
water are matched by what they are, not by their head noun."""

from __future__ import annotations

import pandas as pd

from symbiosis import from_frames
from symbiosis.analysis.opportunities import find_opportunities
from symbiosis.taxonomy import default_taxonomy

COLUMNS = ["source", "target", "material", "quantity", "unit", "category"]
FIRMS = [("SINTER", "sintering", "firm"), ("BF", "ironmaking", "firm"),
         ("BOF", "steelmaking", "firm"), ("HROLL", "steel rolling", "firm"),
         ("SLAG", "slag processing", "recycling"), ("CEM", "cement", "firm"),
         ("BRICK", "building materials", "firm"), ("PP", "power generation", "utility"),
         ("COKE", "coking", "firm"), ("WWTP", "industrial wastewater treatment", "treatment"),
         ("MINE", "iron ore mining", "extraction"), ("CONC", "iron ore concentration", "firm"),
         ("HH", "households", "household"), ("WW", "water supply", "utility"),
         ("MKT", "", "market"), ("LF", "", "disposal"), ("RIVER", "", "environment")]  # fmt: skip
FLOWS = [("MKT", "CEM", "natural gypsum", 100_000, "t", "product"),
         ("MKT", "CEM", "clay", 300_000, "t", "product"),
         ("MKT", "BRICK", "sand", 150_000, "t", "product"),
         ("MKT", "PP", "steam coal", 3_000_000, "t", "product"),
         ("MKT", "SINTER", "iron ore fines", 10_000_000, "t", "product"),
         ("BF", "SINTER", "blast furnace dust", 250_000, "t", "by-product"),
         ("BOF", "SINTER", "converter sludge", 300_000, "t", "by-product"),
         ("WWTP", "COKE", "biochemical sludge", 8_000, "t", "by-product"),
         ("RIVER", "CONC", "river water", 10_000_000, "m3", "product"),
         ("WW", "HH", "fresh water", 80_000_000, "m3", "product"),
         ("WW", "HROLL", "fresh water", 3_000_000, "m3", "product"),
         ("SINTER", "LF", "sinter desulfurization ash", 150_000, "t", "waste"),
         ("BF", "LF", "blast furnace sludge", 120_000, "t", "waste"),
         ("BOF", "LF", "converter secondary dust", 50_000, "t", "waste"),
         ("HROLL", "LF", "oily mill scale sludge", 30_000, "t", "waste"),
         ("SLAG", "LF", "steel slag tailings", 880_000, "t", "waste"),
         ("MINE", "RIVER", "mine water", 3_000_000, "m3", "emission")]  # fmt: skip


def _table() -> pd.DataFrame:
    network = from_frames(pd.DataFrame(FIRMS, columns=["id", "sector", "role"]),
                          pd.DataFrame(FLOWS, columns=COLUMNS))  # fmt: skip
    return find_opportunities(network, top=0, impact=False).table


def _rows(table: pd.DataFrame, material: str) -> pd.DataFrame:
    return table[table["material"] == material]


def test_desulfurization_ash_is_no_fly_ash():
    """Ma'anshan #15, #57, #192-196: the sinter plant's semi-dry FGD ash (CaSO3-rich) went
    to bricks, to cement as clay, to forests, fields and blasting grit by the head noun
    "ash". It is its own family, its cement row conditioned on oxidising the sulfite."""
    assert default_taxonomy().resolve("sinter desulfurization ash").family == "desulfurization ash"
    rows = _rows(_table(), "sinter desulfurization ash")
    assert set(rows["pathway"].dropna()) == {"fgd-ash-cement"}
    assert set(rows["target"]) == {"CEM"}


def test_zinc_bearing_sludge_and_dust_meet_dezincing_and_print_the_condition():
    """Ma'anshan #18, #26: zinc-rich BF sludge went to the sinter plant with no condition
    printed, and the converter's secondary dust by network evidence (the sinter plant
    takes 'blast furnace dust', a dust by its head noun). Both reach a rotary hearth
    furnace; the sinter row says it needs the zinc out first."""
    network = from_frames(pd.DataFrame(FIRMS, columns=["id", "sector", "role"]),
                          pd.DataFrame(FLOWS, columns=COLUMNS))  # fmt: skip
    found = find_opportunities(network, top=200, impact=False)
    table = found.table
    sludge = _rows(table, "blast furnace sludge")
    assert "zinc-dust-rhf" in set(sludge["pathway"])
    sinter = [o for o in found.listed if o.material == "blast furnace sludge"
              and o.target == "SINTER"]  # fmt: skip
    assert sinter
    entry = next(e for e in sinter[0].evidence if e["id"] == "bf-dust")
    assert "zinc removal" in entry["condition"]
    dust = _rows(table, "converter secondary dust")
    assert "SINTER" not in set(dust["target"])
    assert "zinc-dust-rhf" in set(dust["pathway"])


def test_metallurgical_sludges_are_no_fuel():
    """Ma'anshan #67, #101, #102: oily mill scale sludge (70 % iron oxide) went to the
    power plant as coal, and BF sludge to the coke plant because it takes 'biochemical
    sludge' (both 'sludge' by the head noun)."""
    table = _table()
    for material in ("oily mill scale sludge", "blast furnace sludge"):
        rows = _rows(table, material)
        assert not {"PP", "COKE"} & set(rows["target"]), material
        assert not rows["pathway"].fillna("").str.startswith("sludge-").any(), material
    assert "oily-mill-scale-sinter" in set(_rows(table, "oily mill scale sludge")["pathway"])


def test_steel_slag_tailings_meet_the_steel_slag_rows():
    """Ma'anshan #16, #50, #87: steel slag tailings got the mining-tailings rows (an ore
    concentrator, tailings blocks and backfill) and never the steel-slag ones."""
    rows = _rows(_table(), "steel slag tailings")
    assert not rows["pathway"].fillna("").str.startswith("tailings-").any()
    assert {"steel-slag-road", "steel-slag-sinter"} <= set(rows["pathway"])
    assert "CONC" not in set(rows["target"])


def test_mine_water_goes_to_the_concentrator_not_to_households():
    """Ma'anshan defect 8: the concentrator next to the mine, drawing river water, was
    never offered the mine water, which went to households by network evidence."""
    rows = _rows(_table(), "mine water")
    assert "minewater-concentrator" in set(rows[rows["target"] == "CONC"]["pathway"])
    assert not {"HH", "HROLL"} & set(rows["target"])


def test_two_sludges_named_by_their_head_noun_are_related_at_most():
    """Two generic names resolved only by the head noun ('scrubber sludge', 'coking
    sludge') are two unknown kinds: a taker of one is no 'takes this material' for
    the other."""
    firms = [("A", "chemicals", "firm"), ("K", "coking", "firm"), ("W", "", "market"),
             ("LF", "", "disposal")]  # fmt: skip
    flows = [("W", "K", "coking sludge", 8_000, "t", "product"),
             ("A", "LF", "scrubber sludge", 10_000, "t", "waste")]  # fmt: skip
    network = from_frames(pd.DataFrame(firms, columns=["id", "sector", "role"]),
                          pd.DataFrame(flows, columns=COLUMNS))  # fmt: skip
    table = find_opportunities(network, top=0, impact=False).table
    rows = table[table["target"] == "K"]
    assert set(rows["rule"]) == {"network: takes a related material"}
