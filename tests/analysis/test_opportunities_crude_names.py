"""Crude oil under any of its names is one material for the opportunity engine (helpers'
note27: plain "原油" was given a refinery's whole room). The catalogue's crude-refining row
names crude, petroleum and 原油, but the taxonomy knew none of them: a refinery running on
"crude oil" was taken to take no "原油", and so had room for its whole throughput of it
(max_share 1). Crude oil is now a taxonomy material (materials.csv), so a refinery's room is
what it takes beyond its crude now (docs/opportunities.md, "The catalogue")."""

from __future__ import annotations

import pandas as pd
import pytest

from symbiosis import from_frames
from symbiosis.analysis.opportunities import find_opportunities
from symbiosis.taxonomy import default_taxonomy

COLUMNS = ["source", "target", "material", "quantity", "unit", "category"]
FIRMS = [("OF", "oil and gas extraction", "firm"), ("REF", "petroleum refining", "firm"),
         ("CHEM", "chemicals", "firm"), ("MKT", "", "market")]  # fmt: skip


def _offered(sold: str, bought: str) -> pd.DataFrame:
    """An oil field sells 17 Mt of ``sold`` raw; the refinery takes 10 Mt of ``bought``
    and 2 Mt of methanol, and makes 11 Mt of diesel (a main feed's share is of what the
    plant makes)."""
    flows = [("OF", "MKT", sold, 17, "Mt", "product"),
             ("OF", "REF", bought, 10, "Mt", "product"),
             ("CHEM", "REF", "methanol", 2, "Mt", "product"),
             ("REF", "MKT", "diesel", 11, "Mt", "product")]  # fmt: skip
    network = from_frames(pd.DataFrame(FIRMS, columns=["id", "sector", "role"]),
                          pd.DataFrame(flows, columns=COLUMNS))  # fmt: skip
    table = find_opportunities(network, top=0, impact=False).table
    return table[(table["material"] == sold) & (table["pathway"] == "crude-refining")]


@pytest.mark.parametrize(
    ("sold", "bought"),
    [("原油", "crude oil"), ("crude oil", "原油"), ("crude", "原油"), ("Rohöl", "crude oil"),
     ("石油", "crude oil"), ("petroleum", "原油"), ("crude oil", "进口原油"),
     ("crude oil", "crude oil")],
)  # fmt: skip
def test_a_refinery_has_room_only_beyond_the_crude_it_takes(sold, bought):
    """11 Mt made less the 10 Mt of crude it runs: 1 Mt, whatever the two names of crude
    (it was 11 Mt for 原油 beside crude oil, and Rohöl and 石油 met no row)."""
    rows = _offered(sold, bought)
    assert list(rows["target"]) == ["REF"], rows
    assert rows["quantity"].tolist() == [pytest.approx(1e6)], rows[["quantity", "capacity"]]


@pytest.mark.parametrize(
    "name",
    ["原油", "石油", "进口石油", "俄罗斯原油", "Rohöl", "Erdöl", "crude", "crude oil",
     "petroleum", "crude petroleum", "imported crude oil", "heavy crude oil", "稠油"],
)  # fmt: skip
def test_crude_oil_names_are_one_taxonomy_material(name):
    match = default_taxonomy().resolve(name)
    assert match is not None and match.material == "crude oil" and match.score >= 0.8, match


@pytest.mark.parametrize(
    "name",
    ["液化石油气", "石油类", "石油醚", "石油沥青", "石油焦", "原油罐底泥", "heavy oil", "重油",
     "petroleum coke", "petroleum ether", "crude oil sludge", "fuel oil", "diesel"],
)  # fmt: skip
def test_a_name_that_only_qualifies_by_crude_is_no_crude(name):
    """石油 and 原油 count only as the head of a Chinese name: LPG, petroleum
    hydrocarbons (an effluent load), petroleum ether, asphalt, petcoke and a crude tank's
    bottom sludge are no crude; heavy oil and 重油 stay residual oil, as before."""
    match = default_taxonomy().resolve(name)
    assert match is None or match.material != "crude oil", match
