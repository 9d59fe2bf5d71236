"""SO2 to an ammonium thiosulfate plant replaces its sulfur, not the ammonia it reacts
with: the catalogue row ``so2-fertilizer`` listed ammonia among its substitutes, so a
redirect of 300 t of refinery SO2 cut the plant's 5,000 t of ammonia purchases by 300 t
(and would have claimed their price as saved), where the reaction needs more ammonia, not
less (tester-parks7, Kalundborg). SO2 is half sulfur by mass: 300 t replace 150 t of it."""

from __future__ import annotations

import pandas as pd
import pytest

from symbiosis import edits as ed
from symbiosis import from_frames
from symbiosis.analysis.opportunities import find_opportunities

FIRMS = pd.DataFrame(
    [("REF", "petroleum refining", "firm"), ("ATS", "fertilizers", "firm"),
     ("MKT", "", "market"), ("AIR", "", "environment")],
    columns=["id", "sector", "role"],
)  # fmt: skip
COLUMNS = ["source", "target", "material", "quantity", "unit", "category"]


def _network():
    flows = [("MKT", "REF", "crude oil", 3000, "kt", "product"),
             ("MKT", "ATS", "ammonia", 5000, "t", "product"),
             ("MKT", "ATS", "sulfur", 4000, "t", "product"),
             ("REF", "AIR", "SO2", 300, "t", "emission")]  # fmt: skip
    return from_frames(FIRMS, pd.DataFrame(flows, columns=COLUMNS))


def test_so2_replaces_the_sulfur_by_its_sulfur_content():
    network = _network()
    [o] = [o for o in find_opportunities(network, top=10).listed if o.target == "ATS"]
    assert o.kind == "redirect" and o.quantity == pytest.approx(300)
    assert o.replaces["material"] == "sulfur"
    assert o.replaces["substitution_ratio"] == pytest.approx(0.5)
    assert o.capacity["limit"] == pytest.approx(4000 / 0.5)
    after = ed.apply(network, list(o.edits)).flows.set_index(["source", "target", "material"])
    assert after.loc[("MKT", "ATS", "ammonia"), "value"] == pytest.approx(5000)  # untouched
    assert after.loc[("MKT", "ATS", "sulfur"), "value"] == pytest.approx(4000 - 150)
