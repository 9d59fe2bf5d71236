"""Pollutant off-gases, steelworks dust, fluorine residues and radioactive residues
(gases16, from tester-bioports14 defects 1, 2 and 5).

- A rare-earth roaster's HF and SO2 off-gas (含氟含硫尾气) had been read as fuel gas by its
  gas head (尾气) and proposed to a power plant burning blast-furnace gas as a "related"
  material. It is SO2 (an acid plant's feed) and HF (fluoride recovery); an off-gas the
  taxonomy reads only by its gas head is of unknown make-up, related to no other fuel gas.
- A steelworks' "ダスト (iron-bearing dust)" had been proposed to a municipal incinerator
  (``expand``) because it took "シュレッダーダスト" (shredder residue), both read as dust.
  Shredder residue is its own material; a steelworks' dust is its iron-bearing dust, for
  the sinter plant or a rotary hearth furnace.
- CaF2 sludge and fluorine-bearing off-gas had no pathway (an aluminium smelter's fluoride
  to air is what its pots' dry scrubbers leave: dilute, as a stack's SO2 is); a radioactive
  residue was listed among the streams with no pathway with no word that it is regulated.
"""

from __future__ import annotations

import warnings

import pandas as pd
import pytest

from symbiosis import from_frames
from symbiosis.analysis.opportunities import find_opportunities
from symbiosis.taxonomy import default_taxonomy

COLUMNS = ["source", "target", "material", "quantity", "unit", "category"]


def _opportunities(firms, flows):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        network = from_frames(pd.DataFrame(firms, columns=["id", "sector", "role"]),
                              pd.DataFrame(flows, columns=COLUMNS))  # fmt: skip
        return find_opportunities(network, top=0, impact=False)


@pytest.mark.parametrize(
    ("name", "material"),
    [
        ("含氟含硫尾气 (HF and SO2 off-gas)", "sulfur dioxide"),
        ("含氟含硫尾气", "sulfur dioxide"),
        ("酸性废气", "sulfur dioxide"),
        ("roaster off-gas", "sulfur dioxide"),
        ("含氟废气", "hydrogen fluoride"),
        ("HF off-gas", "hydrogen fluoride"),
        ("fluorine-bearing off-gas", "hydrogen fluoride"),
        ("fluoride off-gas", "hydrogen fluoride"),
        ("シュレッダーダスト (shredder residue)", "shredder residue"),
        ("shredder dust", "shredder residue"),
        ("ASR", "shredder residue"),
        ("iron-bearing dust", "iron bearing dust"),
        ("製鉄ダスト", "iron bearing dust"),
        ("含铁尘泥 (iron-bearing dust and sludge)", "iron bearing dust"),
        ("含氟废渣 (fluorine-bearing residue, CaF2 sludge)", "calcium fluoride sludge"),
        ("CaF2 sludge", "calcium fluoride sludge"),
    ],
)
def test_names_resolve_to_what_they_are(name, material):
    assert default_taxonomy().resolve(name).material == material


def test_an_off_gas_of_unknown_make_up_is_related_to_no_fuel_gas():
    assert not default_taxonomy().interchangeable("fuel gas")


RARE_EARTH = [
    ("RE", "rare earth smelting", "firm"),
    ("PP", "power generation", "utility"),
    ("AL", "aluminium smelting", "firm"),
    ("CEM", "cement", "firm"),
    ("AIR", "", "air"),
    ("DUMP", "", "landfill"),
    ("STORE", "", "landfill"),
    ("MKT", "", "market"),
]


def test_pollutant_off_gases_go_to_no_fuel_gas_taker():
    flows = [
        ("RE", "AIR", "含氟含硫尾气 (HF and SO2 off-gas)", 10, "kt", "emission"),
        ("RE", "AIR", "chlorine off-gas", 1, "kt", "emission"),  # read as fuel gas by its head
        ("MKT", "PP", "高炉煤气 (blast furnace gas)", 5, "PJ", "product"),
        ("MKT", "AL", "alumina", 100, "kt", "product"),
    ]
    table = _opportunities(RARE_EARTH, flows).table
    gases = table[table["material"].isin(["含氟含硫尾气 (HF and SO2 off-gas)", "chlorine off-gas"])]
    assert "PP" not in set(gases["target"])
    acid = table[table["material"] == "含氟含硫尾气 (HF and SO2 off-gas)"]
    assert {"so2-acid", "offgas-acid"} <= set(acid["pathway"])


def test_fluorine_residues_meet_fluoride_rows_and_radioactive_residue_is_noted():
    flows = [
        ("RE", "DUMP", "含氟废渣 (fluorine-bearing residue, CaF2 sludge)", 50, "kt", "waste"),
        ("RE", "AIR", "含氟废气", 2, "kt", "emission"),  # a roaster's, before scrubbing
        ("AL", "AIR", "HF off-gas", 0.3, "kt", "emission"),  # what the pots' scrubbers leave
        ("RE", "STORE", "放射性废渣 (thorium-bearing water-leach residue)", 120, "kt", "waste"),
        ("MKT", "CEM", "limestone", 800, "kt", "product"),
    ]
    result = _opportunities(RARE_EARTH, flows)
    table = result.table
    sludge = table[table["material"].str.startswith("含氟废渣")]
    assert "caf2-sludge-cement" in set(sludge["pathway"])
    assert "CEM" in set(sludge["target"])
    fluoride = table[table["material"] == "含氟废气"]
    assert "hf-offgas-fluorides" in set(fluoride["pathway"])
    assert not len(table[table["material"] == "HF off-gas"])  # dilute: no fluoride plant
    notes = [w for w in result.warnings if "radioactive by their names" in w]
    assert len(notes) == 1 and "放射性废渣" in notes[0] and "licence" in notes[0]
    assert not len(table[table["material"].str.startswith("放射性废渣")])


STEEL = [
    ("JFE", "iron and steel", "firm"),
    ("KADEN", "e-waste recycling", "recycling"),
    ("UKI", "waste-to-energy", "treatment"),
    ("X", "", "firm"),
    ("UME", "", "landfill"),
]


@pytest.mark.parametrize("name", ["ダスト (iron-bearing dust)", "iron-bearing dust", "製鉄ダスト"])
def test_steelworks_dust_is_no_shredder_residue(name):
    flows = [
        ("JFE", "UME", name, 30, "kt", "waste"),
        ("KADEN", "UKI", "シュレッダーダスト (shredder residue)", 3, "kt", "waste"),
    ]
    table = _opportunities(STEEL, flows).table
    dust = table[table["material"] == name]
    assert "UKI" not in set(dust["target"])
    assert "steel-dust-rhf" in set(dust["pathway"])


def test_shredder_residue_meets_the_dismantling_rows():
    flows = [("X", "UME", "shredder dust", 3, "kt", "waste")]
    table = _opportunities(STEEL, flows).table
    assert {"dismantling-plastics", "dismantling-aggregate"} <= set(table["pathway"])
