"""No plant is built for a minor input (tester-cities5 #9): Karamay's 8 kt of plastic
scrap was proposed a new coke oven (plastics-coke-oven, a feedstock by its empty role) and
Yichun's 20 kt of lime mud a new cement plant (lime-mud-cement). Such inputs are a few
percent of an existing plant's feed: they go to the network's coke ovens and kilns, as
the blast furnace's and the kiln's plastics do, and to no new plant; so too oily sludge,
slop oil and used oil to a refinery, press mud to a kiln, by-product HCl to a rolling
mill's pickling line, tyre wire to a melt shop, crumb rubber, plastics and foundry sand to
an asphalt plant, anode butts to an anode plant (a smelter's or a prebaked anode maker)."""

from __future__ import annotations

import pandas as pd
import pytest

from symbiosis import from_frames
from symbiosis.analysis.opportunities import find_opportunities

STREAMS = {  # stream: the catalogue row written for it
    "plastic scrap": "plastics-coke-oven",
    "lime mud": "lime-mud-cement",
    "press mud": "pressmud-cement",
    "oily sludge": "oily-sludge-coker",
    "slop oil": "slop-oil",
    "used lubricating oil": "used-oil-refinery",
    "by-product hydrochloric acid": "hcl-pickling",
    "tyre steel wire": "tyre-wire-steel",
    "crumb rubber": "crumb-asphalt",
    "foundry sand": "foundry-sand-asphalt",
    "anode butts": "anode-butts",
}
RECEIVERS = [("COKE", "coking", "firm"), ("CEM", "cement", "firm"),
             ("REF", "petroleum refinery", "firm"), ("ROLL", "steel rolling", "firm"),
             ("EAF", "steelmaking", "firm"), ("ASPH", "asphalt plant", "firm"),
             ("ANODE", "prebaked anode plant", "firm")]  # fmt: skip


def _table(receivers) -> pd.DataFrame:
    firms = pd.DataFrame(
        [("SRC", "mixed industry", "firm"), ("LF", "", "disposal"), *receivers],
        columns=["id", "sector", "role"],
    )
    flows = pd.DataFrame(
        [("SRC", "LF", name, 8, "kt", "waste") for name in STREAMS],
        columns=["source", "target", "material", "quantity", "unit", "category"],
    )
    return find_opportunities(from_frames(firms, flows), top=0, impact=False).table


@pytest.mark.parametrize("name", sorted(STREAMS))
def test_no_plant_is_built_for_a_minor_input(name):
    table = _table([])
    rows = table[(table["material"] == name) & (table["pathway"] == STREAMS[name])]
    assert rows.empty, rows[["kind", "target"]]


@pytest.mark.parametrize("name", sorted(STREAMS))
def test_the_existing_plant_takes_it(name):
    table = _table(RECEIVERS)
    rows = table[(table["material"] == name) & (table["pathway"] == STREAMS[name])]
    assert len(rows) and not rows["new_plant"].any()
