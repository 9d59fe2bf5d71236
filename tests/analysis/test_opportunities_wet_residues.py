"""A wet or dilute residue replaces what it holds, not its own tonnage (tester-cities5
#11): Karamay's 90 kt of oily sludge (40-90 % water, 5-35 % oil) cut a refinery's crude
purchase by 90 kt, its substitution ratio being 1 when none was given; so too sewage
sludge for a kiln's coal, whey and wet spent grain for feed."""

from __future__ import annotations

import pandas as pd
import pytest

from symbiosis import edits as ed
from symbiosis import from_frames
from symbiosis.analysis.opportunities import find_opportunities
from symbiosis.catalogue import default_catalogue

COLUMNS = ["source", "target", "material", "quantity", "unit", "category"]


def test_oily_sludge_cuts_the_crude_it_holds():
    """90 kt of field oily sludge to a refinery buying 5.5 Mt of crude: the purchase is
    cut by the oil it brings (0.2 t per t), 18 kt, not 90 kt."""
    firms = pd.DataFrame(
        [("FIELD", "oil and gas extraction", "firm"), ("REF", "petroleum refinery", "firm"),
         ("MKT", "", "market"), ("HW_LF", "", "disposal")],
        columns=["id", "sector", "role"],
    )  # fmt: skip
    flows = pd.DataFrame(
        [("MKT", "REF", "crude oil", 5.5, "Mt", "product"),
         ("FIELD", "HW_LF", "oily sludge", 90, "kt", "hazardous waste")],
        columns=COLUMNS,
    )  # fmt: skip
    result = find_opportunities(from_frames(firms, flows), top=10)
    [o] = [o for o in result.listed if o.target == "REF" and o.kind == "redirect"]
    assert o.replaces["substitution_ratio"] == pytest.approx(0.2)
    assert o.quantity == pytest.approx(90_000)
    [scale] = [e for e in o.edits if isinstance(e, ed.ScaleFlow)]
    assert scale.factor == pytest.approx(1 - 18_000 / 5_500_000)  # was 1 - 90,000 / 5.5 Mt


@pytest.mark.parametrize(
    ("row", "most"),
    [("oily-sludge-coker", 0.35), ("oily-sludge-kiln", 0.35), ("sludge-kiln", 0.2),
     ("sludge-cocombustion", 0.2), ("sludge-kiln-generic", 0.2),
     ("sludge-cocombustion-generic", 0.2), ("whey-feed", 0.1), ("whey-ethanol", 0.1),
     ("spent-grain-feed", 0.3)],
)  # fmt: skip
def test_a_wet_residue_replaces_no_more_than_its_dry_part(row, most):
    """The physical bound of each row's ratio: the oil of an oily sludge (at most ~35 %),
    the net heat of a dewatered sludge against coal, the dry matter of whey and spent
    grain against a feed of ~88 %. A ratio of 1 (none given) breaks it."""
    pathways = default_catalogue().pathways.set_index("id")
    ratio = float(pathways.loc[row, "ratio"])
    assert 0 < ratio <= most
    assert str(pathways.loc[row, "substitution_ratio"]) in pathways.loc[row, "notes"]
