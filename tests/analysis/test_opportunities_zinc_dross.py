"""Bare 锌渣 is a galvanizer's zinc dross (helpers' note27): it went to a cement kiln as an
iron corrective by the lead-and-zinc-slag row's synonym, where 热镀锌锌渣 and zinc dross go to
zinc recovery. It now goes where they go (docs/opportunities.md, "The catalogue")."""

from __future__ import annotations

import pandas as pd
import pytest

from symbiosis import from_frames
from symbiosis.analysis.opportunities import find_opportunities

COLUMNS = ["source", "target", "material", "quantity", "unit", "category"]
FIRMS = [("GALV", "hot-dip galvanizing", "firm"), ("ZN", "zinc smelting", "firm"),
         ("CEM", "cement", "firm"), ("MKT", "", "market"), ("LF", "", "landfill")]  # fmt: skip


def _met(name: str) -> pd.DataFrame:
    flows = [("GALV", "LF", name, 3, "kt", "waste"),
             ("MKT", "ZN", "zinc concentrate", 200, "kt", "product"),
             ("ZN", "MKT", "zinc", 100, "kt", "product"),
             ("MKT", "CEM", "limestone", 1500, "kt", "product"),
             ("MKT", "CEM", "iron ore", 30, "kt", "product"),
             ("CEM", "MKT", "cement", 1000, "kt", "product")]  # fmt: skip
    network = from_frames(pd.DataFrame(FIRMS, columns=["id", "sector", "role"]),
                          pd.DataFrame(flows, columns=COLUMNS))  # fmt: skip
    return find_opportunities(network, top=0, impact=False).table


@pytest.mark.parametrize("name", ["锌渣", "镀锌锌渣"])
def test_bare_zinc_dross_goes_to_zinc_recovery_as_galvanizing_dross_does(name):
    table, dross = _met(name), _met("热镀锌锌渣")
    existing = set(table.loc[~table["new_plant"], "target"])
    assert existing == {"ZN"}, table[["material", "target", "pathway"]]
    assert "pbzn-slag-cement" not in set(table["pathway"])
    assert set(table["pathway"]) == set(dross["pathway"])


def test_a_smelters_slag_still_goes_to_the_kiln():
    table = _met("锌冶炼渣")
    assert "pbzn-slag-cement" in set(table["pathway"])
