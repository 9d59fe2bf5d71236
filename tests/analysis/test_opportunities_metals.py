"""What the metallurgical and soda-ash residues of Panzhihua, Jinchang, Gejiu and TEDA meet
(tester-metals9 defects 1, 2, 5, 6; tester-agro11 defect 3): their own catalogue rows, never
the sulfuric-acid rows for ferrous sulfate, nor blast-furnace slag's GGBS and fertiliser
rows for a nickel, fuming or soda-ash residue."""

from __future__ import annotations

import pandas as pd
import pytest

from symbiosis import from_frames
from symbiosis.analysis.opportunities import find_opportunities

FIRMS = [
    ("NISM", "nickel smelting", "firm"),
    ("FUME", "tin slag fuming", "firm"),
    ("TINSM", "tin smelting", "firm"),
    ("SODA", "soda ash", "firm"),
    ("SAREC", "spent acid reconcentration", "firm"),
    ("TIO2S", "sulfate-route titanium dioxide", "firm"),
    ("ACID", "sulfuric acid", "firm"),
    ("CEM", "cement", "firm"),
    ("POWER", "coal power", "power plant"),
    ("WATER", "water treatment", "firm"),
    ("MR", "metal recovery", "firm"),
    ("LF", "", "landfill"),
    ("HWL", "", "hazardous waste landfill"),
]
FLOWS = [
    ("NISM", "LF", "水淬镍渣 (granulated nickel slag)", 1600, "kt", "waste"),
    ("FUME", "LF", "烟化炉弃渣 (fuming furnace slag)", 58, "kt", "waste"),
    ("TINSM", "LF", "炼锡炉渣 (tin smelting slag)", 30, "kt", "waste"),
    ("TINSM", "HWL", "含砷烟尘 (arsenic-bearing flue dust)", 8, "kt", "hazardous waste"),
    ("SODA", "LF", "碱渣 (白泥)", 350, "kt", "waste"),
    ("SAREC", "LF", "一水硫酸亚铁滤渣 (ferrous sulfate monohydrate filter salts)", 150, "kt",
     "waste"),
    ("MKT", "POWER", "limestone", 200, "kt", "product"),
]  # fmt: skip


@pytest.fixture(scope="module")
def table() -> pd.DataFrame:
    firms = pd.DataFrame([*FIRMS, ("MKT", "", "market")], columns=["id", "sector", "role"])
    flows = pd.DataFrame(FLOWS, columns=["source", "target", "material", "quantity", "unit",
                                         "category"])  # fmt: skip
    return find_opportunities(from_frames(firms, flows), top=0, impact=False).table


def _met(table: pd.DataFrame, material: str) -> set[str]:
    return set(table[table["material"] == material]["pathway"].dropna())


def test_nickel_slag_meets_its_own_rows_not_blast_furnace_slag(table):
    """Jinchang: GGBS and a silicate fertiliser plant for 1.6 Mt of Ni-Cu-Co slag."""
    met = _met(table, "水淬镍渣 (granulated nickel slag)")
    assert {"nickel-slag-cement", "nickel-slag-iron"} <= met
    assert not {p for p in met if p.startswith("bfs")}


def test_fuming_slag_meets_the_lead_zinc_slag_row(table):
    met = _met(table, "烟化炉弃渣 (fuming furnace slag)")
    assert "pbzn-slag-cement" in met
    assert not {p for p in met if p.startswith("bfs")}


def test_tin_smelting_slag_is_no_boiler_bottom_ash(table):
    assert not {p for p in _met(table, "炼锡炉渣 (tin smelting slag)")
                if p.startswith(("bottom-ash", "bfs"))}  # fmt: skip


def test_arsenic_flue_dust_meets_the_flue_dust_row(table):
    """A hazardous stream meets, through the taxonomy, the rows of its own material
    written for a hazardous grade: the flue-dust row lists the List of Waste's flue-gas
    dusts of non-ferrous metallurgy (10 08 15* ...)."""
    dust = table[table["material"] == "含砷烟尘 (arsenic-bearing flue dust)"]
    assert set(dust["pathway"]) == {"flue-dust"}
    assert "MR" in set(dust["target"])


def test_soda_residue_goes_to_desulfurization_not_to_cement(table):
    """TEDA: 碱渣 (白泥) met GGBS at the cement works (rank 1); its chloride rules cement
    out, and it is no kraft mill's lime mud either."""
    rows = table[table["material"] == "碱渣 (白泥)"]
    met = set(rows["pathway"].dropna())
    assert {"soda-residue-fgd", "soda-residue-fill"} <= met
    assert not {p for p in met if p.startswith(("bfs", "lime-mud", "distiller"))}
    assert "CEM" not in set(rows["target"])
    assert set(rows[rows["pathway"] == "soda-residue-fgd"]["target"]) == {"POWER"}


def test_ferrous_sulfate_is_copperas_not_acid(table):
    """Panzhihua: the filter salts were proposed as make-up acid to the TiO2 plant that
    made them (acid-tio2) and to copper-foil and leaching plants."""
    met = _met(table, "一水硫酸亚铁滤渣 (ferrous sulfate monohydrate filter salts)")
    assert {"copperas-acid", "copperas-coagulant"} <= met
    assert not {p for p in met if p.startswith("acid-")}  # acid-tio2, acid-foil ...


def test_a_chinese_synonym_qualified_in_brackets_files_no_row_under_another_material():
    """碱渣 (炼油) on the refinery spent-caustic row filed it under the soda residue (碱渣),
    菌渣 (食用菌) on the spent-mushroom-substrate row under fermentation sludge (菌渣), 锌渣
    (热镀锌) on the galvanizing zinc-ash row under a zinc slag: the bracket says which
    kind, as "furnace slag (copper)" does in English. A name in two scripts is a
    translation and files its row as before."""
    from symbiosis.analysis.opportunities.materials import _row_materials
    from symbiosis.catalogue import default_catalogue
    from symbiosis.taxonomy import default_taxonomy

    pathways = default_catalogue().pathways.set_index("id")
    taxonomy = default_taxonomy()

    def filed(row: str) -> set[str]:
        return {m.material for m in _row_materials(taxonomy, pathways.at[row, "keys"])}

    assert "fermentation sludge" not in filed("sms-soil")
    assert "soda residue" not in filed("spent-caustic-chemicals")
    assert not filed("zinc-ash-galvanizing") & {"slag", "lead and zinc slag"}
    assert filed("spent-caustic-chemicals") == {"caustic soda"}  # its own material stays
    assert filed("red-mud") == {"red mud"}  # 赤泥 whole
    assert "fermentation sludge" in filed("biomass-biogas")
