"""A fuel row whose substitution ratio is below 1 (wet sludge: 0.1 t of coal by its heat)
is no bound of ten tonnes for one: a power station buying 100 kt of coal was given the
whole 400 kt of a works' sewage sludge to burn (capacity 100 / 0.1 = 1 Mt), all of its
coal replaced. Its water and ash limit a wet fuel to a few percent of the fuel, so such a
row falls to the bounds of a fuel without a ratio (the role's share of the receiver's
throughput, :mod:`symbiosis.analysis.opportunities.foreign`); a fuel at least as rich as
the one it replaces (petroleum coke for coal, 1.3) may still replace all of it."""

from __future__ import annotations

import pandas as pd
import pytest

from symbiosis import from_frames
from symbiosis.analysis.opportunities import find_opportunities
from symbiosis.analysis.opportunities.foreign import ROLE_SHARES

COLUMNS = ["source", "target", "material", "quantity", "unit", "category"]
FIRMS = pd.DataFrame(
    [("PP", "power generation", "firm"), ("WWTP", "wastewater treatment", "firm"),
     ("REF", "petroleum refining", "firm"), ("MKT", "", "market"), ("LF", "", "landfill")],
    columns=["id", "sector", "role"],
)  # fmt: skip


def _to_power_station(residue: str, kt: float):
    flows = pd.DataFrame(
        [("MKT", "PP", "coal", 100, "kt", "product"),
         ("PP", "MKT", "electricity", 250, "GWh", "product"),
         ("MKT", "WWTP", "wastewater", 5000, "kt", "product"),
         ("MKT", "REF", "crude oil", 2000, "kt", "product"),
         ("WWTP" if residue == "sewage sludge" else "REF", "LF", residue, kt, "kt", "waste")],
        columns=COLUMNS,
    )  # fmt: skip
    network = from_frames(FIRMS, flows)
    result = find_opportunities(network, top=20)
    return [o for o in result.listed if o.target == "PP" and o.material == residue]


def test_wet_sludge_replaces_a_few_percent_of_the_fuel_not_all_the_coal():
    """By hand: PP's throughput is 100 kt (coal in; its electricity is energy); the
    fuel role's share of it, 5 kt of sludge (replacing 0.5 kt of coal), not 400 kt."""
    [o] = _to_power_station("sewage sludge", 400)
    assert o.quantity == pytest.approx(ROLE_SHARES["fuel"] * 100_000)
    assert o.capacity["source"] != "substitutes"


def test_petroleum_coke_may_replace_all_the_coal():
    """Petroleum coke at 1.3 t of coal per t: 100 / 1.3 = 76.9 kt of the 400 kt."""
    [o] = _to_power_station("petroleum coke", 400)
    assert o.quantity == pytest.approx(100_000 / 1.3)
    assert o.capacity["source"] in ("substitutes", "redirect")
