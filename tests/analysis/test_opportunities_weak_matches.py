"""Matches made only through the taxonomy's family or the network's evidence of a related
taker (tester-cities item 3): shown ``demonstrated`` at most, never ``established``, and
ranked after the catalogue's direct matches of the same stream."""

from __future__ import annotations

import pandas as pd

from symbiosis import from_frames
from symbiosis.analysis.opportunities import find_opportunities
from symbiosis.analysis.opportunities.result import WEAK_RULES, match_maturity

COLUMNS = ["source", "target", "material", "quantity", "unit", "category"]


def _result(firms: list[tuple], flows: list[tuple]):
    columns = ["id", "sector", "role", "lat", "lon"][: len(firms[0])]
    network = from_frames(pd.DataFrame(firms, columns=columns),
                          pd.DataFrame(flows, columns=COLUMNS))  # fmt: skip
    return find_opportunities(network, top=10)


def test_a_match_through_the_family_or_a_related_taker_is_not_established():
    """An unknown "slag" met the sinter plant through steel slag's row (rule taxonomy
    (family)) and the sinter plant's intake of BOF slag (network: takes this material
    (taxonomy)): listed as an established expansion, as Panzhihua's Ti-bearing slag was
    to the vanadium plant. A slag of unknown process now meets no row (every slag is one
    process's: tester-cities5 #8, tester-metals9 #2); a ferroalloy slag of unknown alloy
    meets silicomanganese slag's rows the same weak way, and the cement works grinding
    it. The cement works for the alloy plant's own slag stays established."""
    firms = [("STEEL", "steelmaking", "firm"), ("SINTER", "sintering", "firm"),
             ("SIMN", "silicomanganese smelting", "firm"), ("CEM", "cement", "firm"),
             ("FOUNDRY", "foundry", "firm"), ("LF", "", "disposal")]  # fmt: skip
    flows = [("STEEL", "SINTER", "BOF slag", 300, "kt", "by-product"),
             ("SIMN", "CEM", "silicomanganese slag", 300, "kt", "by-product"),
             ("SIMN", "LF", "silicomanganese slag", 400, "kt", "waste"),
             ("FOUNDRY", "LF", "ferroalloy slag", 20, "kt", "waste"),
             ("FOUNDRY", "LF", "slag", 20, "kt", "waste")]  # fmt: skip
    result = _result(firms, flows)
    table = result.table
    assert not len(table[(table["source"] == "FOUNDRY") & (table["target"] == "SINTER")])
    assert not len(table[(table["source"] == "FOUNDRY") & (table["material"] == "slag")])
    unknown = table[(table["source"] == "FOUNDRY") & (table["target"] == "CEM")]
    assert set(unknown["rule"]) <= set(WEAK_RULES) and len(unknown)
    assert set(unknown["maturity"]) == {"demonstrated"}
    listed = {(o.source, o.target): o for o in result.listed}
    weak = listed["FOUNDRY", "CEM"]
    assert weak.maturity == "demonstrated"
    assert {e["maturity"] for e in weak.evidence} == {"demonstrated"}
    own = listed["SIMN", "CEM"]
    assert own.maturity == "established"


def test_a_related_taker_ranks_after_a_direct_catalogue_match():
    """Tongling: titanium gypsum went first to the building-materials makers, which take
    FGD gypsum (network: takes a related material), nearer than the cement works that
    the catalogue documents for titanium gypsum (tig-cement)."""
    firms = [("ANN", "titanium dioxide", "firm", 30.90, 117.80),
             ("BM", "building materials", "firm", 30.91, 117.80),
             ("CEM", "cement", "firm", 31.10, 117.90),
             ("PWR", "power plant", "utility", 30.9, 117.7),
             ("LF", "", "disposal", 30.9, 117.81)]  # fmt: skip
    flows = [("PWR", "BM", "FGD gypsum", 300, "kt", "by-product"),
             ("ANN", "LF", "titanium gypsum", 400, "kt", "waste")]  # fmt: skip
    table = _result(firms, flows).table
    gypsum = table[table["source"] == "ANN"]
    assert gypsum["target"].tolist()[:2] == ["CEM", "BM"]
    assert gypsum["pathway"].tolist()[0] == "tig-cement"


def test_the_maturity_of_a_weak_match_is_demonstrated_at_most():
    assert match_maturity("established", "taxonomy (family)") == "demonstrated"
    assert match_maturity("emerging", "taxonomy (family)") == "emerging"
    assert match_maturity(None, "network: takes this material (taxonomy)") == "demonstrated"
    assert match_maturity(None, "network: takes this material") == "established"
    assert match_maturity("established", "taxonomy") == "established"


def test_a_row_met_through_the_family_is_not_established_through_its_substitutes():
    """tester-cities4 (names4): a rare-earth metal plant's slag, which met the blast
    furnace slag rows only through the generic slag family, went to the farm
    (bfs-fertilizer, "substitutes lime") and to the sinter plant (steel-slag-sinter,
    "substitutes limestone") as established redirects: the redirect kept the row's own
    maturity. Such a slag meets no row now (tester-metals9 #2: every slag is one
    process's); a ferroalloy slag of unknown alloy meets silicomanganese slag's rows
    through its family, and the road builder buying aggregates (simn-slag-aggregate,
    "substitutes crushed rock; aggregates") stands for the farm."""
    firms = [
        ("REM", "ferroalloys", "firm"),
        ("SIN", "sintering", "firm"),
        ("ROAD", "road construction", "firm"),
        ("FARM", "agriculture", "firm"),
        ("LF", "", "landfill"),
        ("MKT", "", "market"),
    ]
    flows = [("MKT", "SIN", "limestone", 500, "kt", "product"),
             ("MKT", "ROAD", "aggregates", 50, "kt", "product"),
             ("MKT", "FARM", "lime", 10, "kt", "product"),
             ("REM", "LF", "ferroalloy slag", 3, "kt", "waste"),
             ("REM", "LF", "molten salt electrolysis slag", 3, "kt", "waste")]  # fmt: skip
    result = _result(firms, flows)
    table = result.table
    assert "molten salt electrolysis slag" not in set(table["material"])
    redirects = table[table["kind"] == "redirect"].set_index("target")
    assert "ROAD" in set(redirects.index)
    assert not {"SIN", "FARM"} & set(table["target"])  # no steel or blast-furnace slag row
    assert set(redirects["rule"]) == {"taxonomy (family)"}
    assert set(table["maturity"]) == {"demonstrated"}
    road = next(o for o in result.listed if o.target == "ROAD")
    assert road.kind == "redirect" and road.maturity == "demonstrated"
    assert road.replaces["material"] in {"aggregates", "crushed rock"}
