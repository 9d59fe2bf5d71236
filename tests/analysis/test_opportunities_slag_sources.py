"""A plain slag read by its source's process (slagsector12): every slag of the taxonomy is
one process's, so since taxonomy12 a stream named only "slag" (渣, スラグ ...) met none of
their rows, though real data writes a steel works' or a smelter's slag so. Its source's
sector now says which slag it is (rule "taxonomy (source sector)"); a source of no known
process leaves it generic (no rows, as before)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import symbiosis
from symbiosis import from_frames
from symbiosis.analysis.opportunities import find_opportunities
from symbiosis.catalogue import load_catalogue

ROOT = Path(__file__).resolve().parents[2]
COLUMNS = ["source", "target", "material", "quantity", "unit", "category"]
SOURCE, FAMILY = "taxonomy (source sector)", "taxonomy (source sector, family)"

FIRMS = [
    ("SW", "iron and steel", "firm"),
    ("BF", "blast furnace", "firm"),
    ("EAF", "electric arc furnace steelmaking", "firm"),
    ("CS", "copper smelting", "firm"),
    ("NI", "nickel smelter", "firm"),
    ("PB", "lead smelting", "firm"),
    ("FESI", "ferrosilicon plant", "firm"),
    ("FA", "ferroalloys", "firm"),
    ("TIN", "tin smelting", "firm"),
    ("ZN", "zinc smelting", "firm"),
    ("X", "general manufacturing", "firm"),
    ("CEM", "cement", "firm"),
    ("LF", "", "landfill"),
    ("MKT", "", "market"),
]
FLOWS = [
    ("SW", "LF", "slag", 1000, "kt", "waste"),
    ("BF", "LF", "granulated slag", 300, "kt", "waste"),
    ("EAF", "LF", "slags", 200, "kt", "waste"),
    ("CS", "LF", "slag", 500, "kt", "waste"),
    ("NI", "LF", "渣", 100, "kt", "waste"),
    ("PB", "LF", "furnace slag", 40, "kt", "waste"),
    ("FESI", "LF", "slag", 50, "kt", "waste"),
    ("FA", "LF", "スラグ", 50, "kt", "waste"),
    ("TIN", "LF", "slag", 30, "kt", "waste"),
    ("ZN", "LF", "含铟浸出液渣 (indium-bearing leach residue)", 20, "kt", "waste"),
    ("X", "LF", "slag", 20, "kt", "waste"),
    ("MKT", "CEM", "limestone", 2000, "kt", "product"),
    ("CEM", "MKT", "cement", 1500, "kt", "product"),
]


def _table(firms=FIRMS, flows=FLOWS, catalogue=None) -> pd.DataFrame:
    network = from_frames(pd.DataFrame(firms, columns=["id", "sector", "role"]),
                          pd.DataFrame(flows, columns=COLUMNS))  # fmt: skip
    return find_opportunities(network, catalogue, top=0, impact=False).table


@pytest.fixture(scope="module")
def table() -> pd.DataFrame:
    return _table()


def _rows(table: pd.DataFrame, source: str) -> dict[str, str]:
    """The catalogue rows the source's stream met, with their rules."""
    rows = table[table["source"] == source]
    return dict(zip(rows["pathway"], rows["rule"], strict=True))


def test_an_integrated_works_slag_meets_both_slags_rows_and_the_cement_works(table):
    """A steel works of sector "iron and steel" runs a blast furnace and a melt shop: its
    plain slag meets the blast furnace and steel slag rows, and goes to the cement works."""
    rows = _rows(table, "SW")
    assert {"bfs-ggbs", "bfs-aggregate", "steel-slag-road"} <= set(rows)
    assert set(rows.values()) == {SOURCE}
    assert "CEM" in set(table[table["source"] == "SW"]["target"])


def test_one_process_source_meets_its_own_slags_rows_only(table):
    blast, melt = set(_rows(table, "BF")), set(_rows(table, "EAF"))
    assert "bfs-ggbs" in blast and not {p for p in blast if p.startswith("steel-slag")}
    assert "steel-slag-cement" in melt and not {p for p in melt if p.startswith("bfs")}


def test_a_copper_smelters_slag_meets_the_copper_slag_rows_not_ggbs(table):
    rows = set(_rows(table, "CS"))
    assert {"copper-slag-flotation", "copper-slag-cement"} <= rows
    assert not {p for p in rows if p.startswith(("bfs", "steel-slag", "nickel"))}


def test_nickel_lead_and_ferroalloy_sources_in_any_script(table):
    assert {"nickel-slag-cement", "nickel-slag-iron"} <= set(_rows(table, "NI"))  # 渣
    assert set(_rows(table, "PB")) == {"pbzn-slag-cement"}
    # its own furnace re-melts it, in-house (the deoxidiser, an additive, has no steelworks)
    assert set(_rows(table, "FESI")) == {"fesi-slag-bricks", "fesi-slag-ferroalloy"}
    own = table[(table["source"] == "FESI") & (table["pathway"] == "fesi-slag-ferroalloy")]
    assert list(own["kind"]) == ["in_house"] and list(own["target"]) == ["FESI"]


def test_a_ferroalloy_works_of_unknown_alloy_meets_its_familys_rows_weakly(table):
    """スラグ of a ferroalloy plant is ferroalloy slag, the family's generic material:
    silicomanganese slag's rows through the family, never shown established."""
    rows = table[table["source"] == "FA"]
    assert "simn-slag-cement" in set(rows["pathway"])
    assert set(rows["rule"]) == {FAMILY}
    assert set(rows["maturity"]) <= {"demonstrated", "emerging"}


def test_unknown_processes_and_leach_residues_stay_generic(table):
    """A tin slag has no catalogue row; a source of no known process says nothing; a
    Chinese leach residue (浸出渣) is no slag of the zinc smelter."""
    assert not set(table["source"]) & {"TIN", "X", "ZN"}


def test_the_evidence_says_the_material_was_read_from_the_source():
    result = find_opportunities(
        from_frames(pd.DataFrame(FIRMS, columns=["id", "sector", "role"]),
                    pd.DataFrame(FLOWS, columns=COLUMNS)), top=20)  # fmt: skip
    copper = next(o for o in result.listed if o.source == "CS" and o.target == "CEM")
    entry = next(e for e in copper.evidence if e["id"] == "copper-slag-cement")
    assert entry["rule"] == SOURCE and entry["score"] == pytest.approx(0.9)


def test_a_row_written_for_the_plain_name_is_kept(tmp_path):
    """A user's row for "slag" is met by name; the source's reading adds nothing."""
    path = tmp_path / "pathways.csv"
    path.write_text("id,material,receiving_sector,source\nmy-slag,slag,cement,a\n")
    table = _table(FIRMS[:1] + FIRMS[-3:], FLOWS[:1] + FLOWS[-2:], load_catalogue(path))
    assert dict(zip(table["pathway"], table["rule"], strict=True)) == {"my-slag": "name"}


def test_a_hazardous_slag_meets_only_hazardous_grade_rows():
    """As through the taxonomy (.hazards): a steel works' slag sent to a hazardous-waste
    landfill meets no row written for the ordinary grade (the steel and blast furnace slag
    rows, 10 02 01 and 10 02 02); a lead smelter's meets the lead and zinc slag row, whose
    code 10 04 01 the List of Waste marks hazardous."""
    firms = [*FIRMS, ("HWL", "", "hazardous waste landfill")]
    flows = [("SW", "HWL", "slag", 100, "kt", "hazardous waste"),
             ("PB", "HWL", "slag", 40, "kt", "hazardous waste")]  # fmt: skip
    table = _table(firms, flows)
    assert set(table["source"]) == {"PB"}
    assert set(table["pathway"]) == {"pbzn-slag-cement"}


def test_harjavaltas_copper_and_nickel_smelter_slag():
    """Boliden Harjavalta (sector "copper and nickel smelter") landfills its "Slag": it had
    no proposal; now those of copper and nickel slag."""
    result = find_opportunities(symbiosis.load(ROOT / "benchmarks" / "parks" / "harjavalta"),
                                top=0, impact=False)  # fmt: skip
    rows = result.table
    rows = set(rows[(rows["source"] == "BOL") & (rows["material"] == "Slag")]["pathway"])
    assert {"copper-slag-flotation", "nickel-slag-aggregate"} <= rows
    assert not {p for p in rows if p.startswith(("bfs", "steel-slag"))}
