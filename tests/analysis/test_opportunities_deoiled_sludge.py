"""Treated, de-oiled oily sludge is no sludge to burn (tester-oilports13 defect 7): Daqing's
sludge station's "处理后污泥 treated sludge residue", which its source says is like ordinary
soil and paves roads and well pads, was proposed for co-combustion at the coal CHP by the
word 污泥 (sludge), and "处理后含油污泥" or "treated oily sludge" went to the oily-sludge rows
(a coker's feed, a kiln's fuel) whose oil is gone. They are a taxonomy material of their
own, deoiled sludge, which no catalogue row takes (docs/opportunities.md, "The
catalogue"); a network's own taker of it is still found."""

from __future__ import annotations

import pandas as pd
import pytest

from symbiosis import from_frames
from symbiosis.analysis.opportunities import find_opportunities
from symbiosis.taxonomy import default_taxonomy

COLUMNS = ["source", "target", "material", "quantity", "unit", "category"]
FIRMS = [("SLUDGE", "oily sludge treatment", "firm"), ("TPP", "coal-fired power plant", "firm"),
         ("CEM", "cement", "firm"), ("REF", "petroleum refining", "firm"),
         ("MKT", "", "market"), ("LF", "", "landfill")]  # fmt: skip
DEOILED = ["处理后污泥 treated sludge residue", "处理后含油污泥", "de-oiled sludge",
           "deoiled sludge", "treated oily sludge", "含油污泥处理残渣",
           "oily sludge residue"]  # fmt: skip


def _table(names: list[str]) -> pd.DataFrame:
    flows = [("SLUDGE", "LF", name, 100, "kt", "waste") for name in names]
    flows += [("MKT", "TPP", "coal", 2000, "kt", "product"),
              ("TPP", "MKT", "electricity", 5000, "GWh", "product"),
              ("MKT", "CEM", "coal", 300, "kt", "product"),
              ("CEM", "MKT", "cement", 2000, "kt", "product"),
              ("MKT", "REF", "crude oil", 6000, "kt", "product"),
              ("REF", "MKT", "diesel", 5500, "kt", "product")]  # fmt: skip
    network = from_frames(pd.DataFrame(FIRMS, columns=["id", "sector", "role"]),
                          pd.DataFrame(flows, columns=COLUMNS))  # fmt: skip
    return find_opportunities(network, top=0, impact=False).table


@pytest.mark.parametrize("name", DEOILED)
def test_de_oiled_sludge_is_neither_sludge_nor_oily_sludge(name):
    match = default_taxonomy().resolve(name)
    assert match is not None and match.material == "deoiled sludge", match


def test_de_oiled_sludge_is_not_burnt_as_sludge_or_fed_as_oily_sludge():
    table = _table(DEOILED)
    assert table.empty, table[["material", "target", "pathway"]]


@pytest.mark.parametrize("name", ["脱水污泥", "dewatered sewage sludge", "含油污泥", "oily sludge"])
def test_sludge_and_oily_sludge_still_go_to_their_rows(name):
    """A guard: dewatered sewage sludge is co-combusted, oily sludge still has its oil."""
    pathways = set(_table([name])["pathway"])
    oily = "oily" in name or "油" in name
    wanted = "oily-sludge-coker" if oily else "sludge-cocombustion"
    assert any(p.startswith(wanted) for p in pathways), pathways
