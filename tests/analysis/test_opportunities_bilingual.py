"""Material names written in two scripts, "English (中文)" as Chinese yearbooks and EIA
reports write them (tester-cities6 defect 2): such a name that is no catalogue name and
no taxonomy name by itself meets the rows of its English part, else of its Chinese part
(docs/opportunities.md, "Matching"), and is shown as written."""

from __future__ import annotations

import pandas as pd
import pytest

from symbiosis import from_frames
from symbiosis.analysis.opportunities import count_opportunities, find_opportunities
from symbiosis.taxonomy import default_taxonomy
from symbiosis.vocabulary import bilingual_parts

COLUMNS = ["source", "target", "material", "quantity", "unit", "category"]
OUTSIDE = [("MKT", "", "market"), ("LF", "", "landfill"), ("HWL", "", "hazardous waste landfill")]


def _table(firms: list[tuple[str, str, str]], flows: list[tuple]) -> pd.DataFrame:
    network = from_frames(pd.DataFrame(firms + OUTSIDE, columns=["id", "sector", "role"]),
                          pd.DataFrame(flows, columns=COLUMNS))  # fmt: skip
    result = find_opportunities(network, top=0, impact=False)
    assert len(result.table) == count_opportunities(network)  # the same candidates
    return result.table


def _pathways(table: pd.DataFrame, material: str) -> set[str]:
    return set(table.loc[table["material"] == material, "pathway"].dropna())


@pytest.mark.parametrize("bracket", [" ({})", "（{}）", "({})"])
def test_spent_pot_lining_with_its_chinese_name_meets_the_spl_row(bracket):
    """Baise: "spent pot lining (大修渣)" (hazardous) was listed with no known pathway,
    while "spent pot lining" met spl-cement, whose synonyms hold 大修渣 too. Full-width
    brackets, and none of the space, read the same."""
    name = "spent pot lining" + bracket.format("大修渣")
    firms = [("SM", "aluminium smelter", "firm"), ("CEM", "cement", "firm")]
    flows = [("MKT", "CEM", "coal", 300, "kt", "product"),
             ("MKT", "SM", "alumina", 965, "kt", "product"),
             ("SM", "HWL", name, 12.5, "kt", "hazardous waste"),
             ("SM", "HWL", "spent pot lining", 5, "kt", "hazardous waste")]  # fmt: skip
    table = _table(firms, flows)
    assert "spl-cement" in _pathways(table, name)  # shown as written
    assert _pathways(table, name) == _pathways(table, "spent pot lining")
    rules = table.groupby("material")["rule"].agg(set)
    assert rules[name] == rules["spent pot lining"], rules  # by the name, as the plain one


def test_phosphorus_slag_with_its_chinese_name_is_no_blast_furnace_slag():
    """Kaiyang: "phosphorus slag (黄磷渣)" resolved by its head noun to any slag and met
    the blast-furnace slag rows (bfs-ggbs, bfs-wool, bfs-fertilizer ...); its English
    part is the catalogue's "phosphorus slag" (p-slag-cement), as the plain name is."""
    firms = [("YP", "yellow phosphorus", "firm"), ("CEM", "cement", "firm"),
             ("ROAD", "road construction", "firm")]  # fmt: skip
    flows = [("MKT", "CEM", "clinker", 1, "Mt", "product"),
             ("YP", "LF", "phosphorus slag (黄磷渣)", 100, "kt", "by-product"),
             ("YP", "LF", "phosphorus slag", 50, "kt", "by-product")]  # fmt: skip
    table = _table(firms, flows)
    bilingual = _pathways(table, "phosphorus slag (黄磷渣)")
    assert "p-slag-cement" in bilingual
    assert not {p for p in bilingual if p.startswith("bfs-")}, bilingual
    assert bilingual == _pathways(table, "phosphorus slag")


def test_a_name_unknown_in_english_is_read_by_its_chinese_part():
    """An English part the tool does not know leaves the Chinese one: "bauxite residue
    slurry (赤泥)" is red mud (its head noun alone made it a sludge), and "alumina plant
    tailings（大修渣）" meets the SPL rows by the catalogue's Chinese synonym."""
    taxonomy = default_taxonomy()
    assert taxonomy.resolve("bauxite residue slurry (赤泥)").material == "red mud"
    assert taxonomy.resolve_closely("xyz（磷石膏）").material == "phosphogypsum"
    firms = [("SM", "aluminium smelter", "firm"), ("CEM", "cement", "firm")]
    flows = [("MKT", "CEM", "coal", 300, "kt", "product"),
             ("SM", "HWL", "potroom waste（大修渣）", 12.5, "kt", "hazardous waste")]  # fmt: skip
    assert "spl-cement" in _pathways(_table(firms, flows), "potroom waste（大修渣）")


def test_two_parts_naming_two_materials_are_the_first_parts():
    """The English part comes first: "slag (赤泥)" is slag (the bracket is read as a
    translation, the qualifier rule reads the name less it), and a part resolved only
    by a weaker rule (a head noun, a contained Chinese name) decides nothing."""
    taxonomy = default_taxonomy()
    assert taxonomy.resolve("slag (赤泥)").material == "slag"
    assert taxonomy.resolve("赤泥 (slag)").material == "red mud"
    assert taxonomy.resolve_closely("phosphorus slag (黄磷渣)") is None  # both parts 0.8
    # a material of its own since the salt-lake rows: the first part, closely (0.9)
    assert taxonomy.resolve_closely("sodium chloride tailings (尾盐)").material == "salt tailing"


def test_only_a_name_in_two_scripts_is_split():
    """A bracket in the name's own script is a qualifier, read by the taxonomy's rules
    ("scrap (copper)" is copper scrap, not scrap and copper); a second bracket or text
    after the bracket is no "A (B)"."""
    assert bilingual_parts("red mud (赤泥)") == ("red mud", "赤泥")
    assert bilingual_parts("磷石膏（phosphogypsum）") == ("磷石膏", "phosphogypsum")
    for name in (
        "scrap (copper)",
        "赤泥（拜耳法）",
        "red mud (赤泥) wet",
        "a (b) (赤泥)",
        "(赤泥)",
    ):
        assert bilingual_parts(name) is None, name
    assert default_taxonomy().resolve("scrap (copper)").material == "copper scrap"
