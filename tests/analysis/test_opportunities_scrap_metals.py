"""A metal's scrap goes to that metal's smelter, and leaded CRT glass to a lead smelter
(tester-resources12 defect 5, an e-waste park). A printed-circuit-board line's
copper-rich metal powder had one candidate, a battery recycler taking cobalt-nickel
scrap, "a related material" of the scrap metal family; the copper smelter and a rod mill
taking copper scrap were never proposed. The dismantler's leaded funnel glass, sent to a
hazardous-waste landfill, had no pathway at all."""

from __future__ import annotations

import pandas as pd
import pytest

from symbiosis import from_frames
from symbiosis.analysis.opportunities import find_opportunities
from symbiosis.catalogue import load_catalogue

COLUMNS = ["source", "target", "material", "quantity", "unit", "category"]
FIRMS = [
    ("PCB", "printed circuit board recycling", "recycling"),
    ("BAT", "battery and cobalt-nickel recycling", "recycling"),
    ("SMELT", "copper smelting", "firm"),
    ("ROD", "copper rod and wire", "firm"),
    ("DEAL", "scrap dealer", "recycling"),
    ("MKT", "", "market"),
    ("LF", "", "disposal"),
]


def _network(flows: list[tuple], firms=FIRMS, columns=COLUMNS):
    return from_frames(pd.DataFrame(firms, columns=["id", "sector", "role"]),
                       pd.DataFrame(flows, columns=columns))  # fmt: skip


def _proposed(result, material: str) -> dict[str, tuple[str, str]]:
    """receiver -> (kind, first evidence rule) of every candidate for ``material``."""
    table = result.table[result.table["material"] == material]
    return {t: (k, r) for t, k, r in zip(table["target"], table["kind"], table["rule"],
                                         strict=True)}  # fmt: skip


_PCB_FLOWS = [
    ("MKT", "PCB", "waste printed circuit boards", 2, "kt", "waste"),
    ("PCB", "MKT", "copper-rich metal powder", 450, "t", "by-product"),
    ("MKT", "BAT", "waste batteries and cobalt-nickel scrap", 60, "kt", "waste"),
    ("MKT", "SMELT", "copper concentrate", 1500, "kt", "product"),
    ("MKT", "ROD", "scrap copper", 2.5, "kt", "by-product"),
]


def test_copper_rich_powder_goes_to_copper_takers_not_a_battery_recycler():
    """The powder is copper scrap: the copper smelter (secondary copper in the converter)
    and the rod mill that takes copper scrap, never the battery recycler."""
    result = find_opportunities(_network(_PCB_FLOWS), top=0, impact=False)
    found = _proposed(result, "copper-rich metal powder")
    assert {"SMELT", "ROD"} <= found.keys()
    assert "BAT" not in found
    assert found["ROD"][0] == "expand"  # it takes copper scrap already


@pytest.fixture
def evidence_only(tmp_path):
    """A catalogue that knows nothing of scrap: every candidate is the network's evidence."""
    path = tmp_path / "pathways.csv"
    path.write_text("id,material,receiving_sector,source\nx,spent unobtainium,mining,a\n")
    return load_catalogue(path, replace=True)


def test_two_scraps_of_unknown_metal_are_not_related(evidence_only):
    """A stream of "metal powder" and a taker of "nickel scrap", both scrap metal by a
    part of their names, may be two metals: no related-material link. A dealer taking
    scrap metal by that very name stands for any, and a taker of copper scrap for the
    powder named copper-rich."""
    flows = [
        ("PCB", "LF", "metal powder", 300, "t", "waste"),
        ("PCB", "MKT", "copper-rich metal powder", 450, "t", "by-product"),
        ("MKT", "BAT", "nickel scrap", 5, "kt", "waste"),
        ("MKT", "DEAL", "scrap metal", 20, "kt", "waste"),
        ("MKT", "ROD", "copper scrap", 2.5, "kt", "by-product"),
    ]
    result = find_opportunities(_network(flows), evidence_only, top=0, impact=False,
                                receivers_per_stream=5)  # fmt: skip
    unknown = _proposed(result, "metal powder")
    assert "BAT" not in unknown and "ROD" not in unknown
    assert unknown["DEAL"] == ("expand", "network: takes this material (taxonomy)")
    copper = _proposed(result, "copper-rich metal powder")
    assert copper["ROD"] == ("expand", "network: takes this material (taxonomy)")
    assert "BAT" not in copper


def test_scrap_metal_by_its_name_is_not_proposed_to_a_taker_of_some_metals_scrap(
    evidence_only,
):
    """A plain "scrap metal" stream stands for any metal's scrap, but a taker of
    "cobalt-nickel scrap" (the generic by its head noun) takes one metal's: it is no
    taker of "this material under another name"."""
    flows = [
        ("PCB", "LF", "scrap metal", 300, "t", "waste"),
        ("MKT", "BAT", "waste batteries and cobalt-nickel scrap", 60, "kt", "waste"),
        ("MKT", "DEAL", "metal scrap", 20, "kt", "waste"),
    ]
    result = find_opportunities(_network(flows), evidence_only, top=0, impact=False,
                                receivers_per_stream=5)  # fmt: skip
    found = _proposed(result, "scrap metal")
    assert "BAT" not in found
    assert found["DEAL"][0] == "expand"


_EWASTE = [
    ("DISM", "WEEE dismantling", "recycling"),
    ("GLASS", "CRT panel glass recycling", "recycling"),
    ("PB", "secondary lead smelting", "firm"),
    ("HWL", "", "hazardous waste landfill"),
    ("MKT", "", "market"),
]
_CRT = [
    ("DISM", "GLASS", "CRT panel glass (屏玻璃)", 5500, "t", "by-product", ""),
    ("DISM", "HWL", "CRT funnel glass (锥玻璃)", 3000, "t", "hazardous waste", "HW49"),
    ("MKT", "PB", "waste lead-acid batteries", 100, "kt", "hazardous waste", "HW31"),
]


def test_leaded_funnel_glass_goes_to_the_lead_smelter_not_the_glass_recycler():
    """Hazardous (HW49, to a hazardous-waste landfill): the lead smelter, as a flux and
    lead source (an additive: within 5 % of its throughput), never the recycler of the
    panel glass, nor a new plant."""
    result = find_opportunities(_network(_CRT, _EWASTE, [*COLUMNS, "waste_code"]), top=0,
                                impact=False)  # fmt: skip
    table = result.table[result.table["material"] == "CRT funnel glass (锥玻璃)"]
    assert table["target"].tolist() == ["PB"]
    assert table["pathway"].tolist() == ["crt-glass-lead-smelter"]
    assert table["quantity"].tolist() == [3000.0]


def test_without_a_lead_smelter_the_funnel_glass_names_its_pathway_and_no_plant():
    """A lead smelter is not built for a flux: with none in the network, the stream is
    uncovered, its catalogue row named."""
    firms = [f for f in _EWASTE if f[0] != "PB"]
    flows = [f for f in _CRT if f[1] != "PB"]
    result = find_opportunities(_network(flows, firms, [*COLUMNS, "waste_code"]), top=0,
                                impact=False)  # fmt: skip
    assert not (result.table["material"] == "CRT funnel glass (锥玻璃)").any()
    uncovered = result.uncovered.set_index("material")
    assert uncovered.loc["CRT funnel glass (锥玻璃)", "pathways"] == "crt-glass-lead-smelter"
