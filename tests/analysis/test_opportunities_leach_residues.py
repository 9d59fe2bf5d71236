"""A plain leach residue read by its source's process (tester-resources12 defect 6).

GEM Jingmen's cobalt and nickel ``leach residue (浸出渣)`` had gone to a new Waelz kiln,
ranked first: the zinc rows listed 浸出渣 among their synonyms, so any leach residue was
zinc leach residue. A leach residue is the taxonomy's generic material of its own family;
a zinc smelter's is zinc leach residue by its sector (catalogue/origins.csv), any other
source's stays generic and meets no row.
"""

from __future__ import annotations

import pandas as pd
import pytest

from symbiosis import from_frames
from symbiosis.analysis.opportunities import find_opportunities
from symbiosis.taxonomy import default_taxonomy

COLUMNS = ["source", "target", "material", "quantity", "unit", "category"]
SOURCE = "taxonomy (source sector)"

FIRMS = [
    ("GEM", "battery recycling", "recycling"),
    ("CONI", "cobalt and nickel hydrometallurgy", "firm"),
    ("ZN", "zinc smelting", "firm"),
    ("ZN2", "锌冶炼厂", "firm"),
    ("WAELZ", "waelz kiln", "firm"),
    ("CEM", "cement", "firm"),
    ("LF", "", "landfill"),
    ("MKT", "", "market"),
]
FLOWS = [
    ("GEM", "LF", "leach residue (浸出渣)", 20, "kt", "waste"),
    ("CONI", "LF", "浸出渣", 30, "kt", "waste"),
    ("ZN", "LF", "浸出渣", 60, "kt", "waste"),
    ("ZN2", "LF", "leach residue", 40, "kt", "waste"),
    ("MKT", "CEM", "limestone", 2000, "kt", "product"),
    ("CEM", "MKT", "cement", 1500, "kt", "product"),
    ("WAELZ", "MKT", "zinc oxide", 30, "kt", "product"),
]


@pytest.fixture(scope="module")
def table() -> pd.DataFrame:
    network = from_frames(pd.DataFrame(FIRMS, columns=["id", "sector", "role"]),
                          pd.DataFrame(FLOWS, columns=COLUMNS))  # fmt: skip
    return find_opportunities(network, top=0, impact=False).table


@pytest.mark.parametrize("source", ["GEM", "CONI"])
def test_a_leach_residue_of_no_zinc_plant_meets_no_zinc_row(table, source):
    rows = table[table["source"] == source]
    assert not {p for p in rows["pathway"] if str(p).startswith("zinc-residue")}
    assert "WAELZ" not in set(rows["target"])
    assert not rows["new_plant"].astype(bool).any()


@pytest.mark.parametrize("source", ["ZN", "ZN2"])
def test_a_zinc_smelters_leach_residue_meets_the_waelz_kiln_by_its_source(table, source):
    rows = table[(table["source"] == source) & (table["pathway"] == "zinc-residue-metals")]
    assert set(rows["target"]) == {"WAELZ"}
    assert set(rows["rule"]) == {SOURCE}


def test_the_taxonomy_reads_a_leach_residue_as_its_own_not_slag_nor_zinc():
    taxonomy = default_taxonomy()
    for name in ("浸出渣", "leach residue (浸出渣)", "水浸渣", "leach residue"):
        match = taxonomy.resolve(name)
        assert (match.material, match.family) == ("leach residue", "leach residue"), name
    assert taxonomy.resolve("锌浸出渣").material == "zinc leach residue"
    assert not taxonomy.interchangeable("zinc leach residue")
