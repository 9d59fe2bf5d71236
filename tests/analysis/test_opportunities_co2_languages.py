"""CO2 named in other languages (tester15 defect D1(b)): a stack's CO2 of a firm of no graded
sector met the same four capture rows as ``carbon dioxide`` when named ``CO2`` or 二氧化碳,
and the high-purity row ``co2pure-gases`` besides when named 이산화탄소 or 炭酸ガス (the
taxonomy resolved them to carbon dioxide, and the synonyms of ``co2pure-gases``,
``fermentation CO2``, made that a carbon dioxide row); 二酸化炭素 (the usual Japanese word)
and 탄산가스 met nothing. The name in any language meets the rows the English name meets;
more generally, so does every Chinese, Japanese or Korean name of a taxonomy material that
the catalogue does not write itself."""

from __future__ import annotations

import warnings

import pandas as pd
import pytest

from symbiosis import from_frames
from symbiosis.analysis.opportunities import find_opportunities
from symbiosis.analysis.opportunities.candidates import pathway_pairs
from symbiosis.analysis.opportunities.parts import part_rows
from symbiosis.analysis.opportunities.receivers import Context
from symbiosis.analysis.opportunities.streams import find_streams
from symbiosis.catalogue import default_catalogue
from symbiosis.taxonomy import default_taxonomy
from symbiosis.vocabulary import material_key

FIRMS = ["id", "name", "sector", "role"]
FLOWS = ["source", "target", "material", "quantity", "unit", "category"]


def _rows_met(material: str) -> set[str]:
    """The catalogue rows that 500 kt of ``material``, emitted by a firm of no graded
    sector (the tester's two-firm network), meets."""
    network = from_frames(
        pd.DataFrame([("A", "Plant A", "widget making", "firm"),
                      ("B", "Plant B", "other", "firm"),
                      ("AIR", "air", "", "air"), ("M", "market", "", "market")], columns=FIRMS),
        pd.DataFrame([("M", "A", "input", 1000, "kt", "product"),
                      ("A", "B", "widgets", 900, "kt", "product"),
                      ("B", "M", "widgets", 900, "kt", "product"),
                      ("A", "AIR", material, 500, "kt", "emission")], columns=FLOWS),
    )  # fmt: skip
    table = find_opportunities(network, top=50).table
    return set(table.loc[table["source"] == "A", "pathway"].dropna())


@pytest.fixture(scope="module")
def english() -> set[str]:
    return _rows_met("carbon dioxide")


@pytest.mark.parametrize(
    "material",
    ["CO2", "二氧化碳", "이산화탄소", "炭酸ガス", "二酸化炭素", "탄산가스", "carbon dioxide gas",
     "dióxido de carbono", "waste CO2"],
)  # fmt: skip
def test_co2_meets_the_rows_of_carbon_dioxide_in_every_language(english, material):
    assert english >= {"co2-carbonation", "co2-chemicals", "co2-food", "co2-horticulture"}
    assert _rows_met(material) == english


@pytest.mark.parametrize("material", ["二酸化炭素ガス", "CO2 off-gas", "이산화탄소 가스"])
def test_co2_of_unknown_grade_meets_no_high_purity_row(material):
    """A name the taxonomy reads as carbon dioxide by a part of it (its head noun, a name it
    contains) meets the rows of the taxonomy's carbon dioxide, which is of either grade:
    never the high-purity rows, which a stack's CO2 does not fit."""
    met = _rows_met(material)
    assert met
    assert not {row for row in met if row.startswith("co2pure")}


def _names() -> list[tuple[str, str]]:
    """(English material, its Chinese, Japanese or Korean name) for every such name of the
    shipped taxonomy."""
    return sorted((material, name) for name, material in default_taxonomy().by_chinese.items())


def test_each_cjk_name_meets_the_rows_of_its_english_name():
    """Over the whole taxonomy: a Chinese, Japanese or Korean name of a material that the
    catalogue does not write (as a name or a synonym of a row, or as a part of a name in
    two scripts) meets the rows its material's English name meets (through the taxonomy, it
    had met every row of a synonym of the material, rows of kinds the English name does
    not meet: 이산화탄소 the high-purity CO2 plant, 蒸気 the waste-heat steam of a DMC plant,
    廃タイヤ the crumb-rubber rows, 석고 the phosphogypsum rows). A name the catalogue
    writes says which kind it is (锯末 sawdust, 铝灰 aluminium dross): its own rows."""
    catalogue = default_catalogue()
    firms = [("LF", "landfill", "", "landfill")]
    flows, asked = [], []
    for at, (material, name) in enumerate(_names()):
        if catalogue.match(material_key(name)):
            continue  # the catalogue's own name for a kind
        for label, written in ((f"E{at}", material), (f"C{at}", name)):
            firms.append((label, label, "widget making", "firm"))
            flows.append((label, "LF", written, 1000, "t", "waste"))
        asked.append((at, material, name))
    assert len(asked) > 300
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # water, steam and loads in tonnes
        network = from_frames(
            pd.DataFrame(firms, columns=FIRMS), pd.DataFrame(flows, columns=FLOWS)
        )
    ctx = Context(network, catalogue, find_streams(network), None, 3)
    pairs = pathway_pairs(ctx)
    ids = catalogue.pathways["id"]
    sources = ctx.streams.source
    met: dict[str, set[str]] = {str(s): set() for s in sources}
    for stream, row in zip(pairs.stream.tolist(), pairs.pathway.tolist(), strict=True):
        met[str(sources[stream])].add(ids.iat[row])
    differ = [
        (material, name, sorted(met[f"E{at}"] ^ met[f"C{at}"]))
        for at, material, name in asked
        if met[f"E{at}"] != met[f"C{at}"] and not part_rows(ctx, material_key(name))
    ]
    assert not differ
