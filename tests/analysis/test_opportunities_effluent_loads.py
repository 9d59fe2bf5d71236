"""Pollutant loads reported as masses, and the ammonium of rare-earth wastewater
(tester-resources12 defect 4).

Baotou's wastewater plant discharged 14,480 t of "ammonia nitrogen (氨氮)" to the Yellow
River: the NH4+-N its effluent carries. Read by its head noun as nitrogen gas, it went to
the PVC plant as inerting and blanketing gas (``n2-chemicals``, established). Loads carried
by water (ammonia nitrogen, COD, BOD, total nitrogen and phosphorus, suspended solids) are
now a taxonomy family of their own, proposed to no one; the rare-earth plant's
ammonia-nitrogen wastewater, whose ammonium can be recovered, had no pathway at all.
"""

from __future__ import annotations

import pandas as pd
import pytest

from symbiosis import from_frames
from symbiosis.analysis.opportunities import find_opportunities
from symbiosis.taxonomy import default_taxonomy

COLUMNS = ["source", "target", "material", "quantity", "unit", "category"]
ALL_FATES = ("disposed", "emitted", "sold", "treated")

FIRMS = [
    ("NRE", "rare earth smelting and separation", "firm"),
    ("WWTP", "wastewater treatment", "treatment"),
    ("WWTP2", "industrial wastewater treatment", "treatment"),
    ("PVC", "chlor-alkali and PVC", "firm"),
    ("ASU", "industrial gases", "firm"),
    ("NFERT", "nitrogen fertilizer", "firm"),
    ("RIVER", "", "river"),
    ("MKT", "", "market"),
    ("IMP", "", "import"),
]
FLOWS = [
    ("NRE", "WWTP", "ammonia-nitrogen wastewater (氨氮废水)", 250, "万吨", "waste"),
    ("WWTP", "RIVER", "ammonia nitrogen (氨氮)", 14480, "t", "emission"),
    ("WWTP", "RIVER", "COD", 5000, "t", "emission"),
    ("WWTP", "RIVER", "NH3-N", 300, "t", "emission"),
    ("PVC", "WWTP2", "COD", 800, "t", "waste"),  # a load sent with its wastewater
    ("NFERT", "RIVER", "COD", 300, "t", "emission"),
    ("IMP", "PVC", "calcium carbide (电石)", 650_000, "t", "product"),
    ("ASU", "PVC", "nitrogen", 20_000, "t", "product"),
    ("PVC", "MKT", "PVC resin", 400_000, "t", "product"),
    ("IMP", "NFERT", "ammonia", 100_000, "t", "product"),
    ("NFERT", "MKT", "urea", 170_000, "t", "product"),
]


@pytest.fixture(scope="module")
def result():
    network = from_frames(pd.DataFrame(FIRMS, columns=["id", "sector", "role"]),
                          pd.DataFrame(FLOWS, columns=COLUMNS))  # fmt: skip
    return find_opportunities(network, top=0, impact=False, fates=ALL_FATES)


@pytest.mark.parametrize("material", ["ammonia nitrogen (氨氮)", "COD", "NH3-N"])
def test_a_load_carried_by_effluent_is_proposed_to_no_one(result, material):
    """Not to the PVC plant nor to the buyer of nitrogen (the catalogue's nitrogen rows and
    the network's evidence: the fertilizer plant's COD is not sent to the plant that treats
    the PVC plant's), and listed among the streams with no known pathway."""
    assert not (result.table["material"] == material).any()
    assert material in set(result.uncovered["material"])


def test_the_rare_earth_ammonium_wastewater_goes_to_ammonium_salt_recovery(result):
    rows = result.table[result.table["material"] == "ammonia-nitrogen wastewater (氨氮废水)"]
    recovery = rows[rows["pathway"] == "nh4-wastewater-salts"]
    assert "NFERT" in set(recovery["target"])
    assert set(recovery["maturity"]) == {"established"}


@pytest.mark.parametrize(
    "name",
    ["ammonia nitrogen", "ammonia nitrogen (氨氮)", "氨氮", "NH3-N", "ammoniacal nitrogen",
     "total nitrogen", "总氮", "nitrate nitrogen", "COD", "CODcr", "化学需氧量", "BOD5",
     "total phosphorus", "总磷", "suspended solids", "悬浮物", "アンモニア性窒素"],
)  # fmt: skip
def test_pollutant_loads_are_read_as_effluent_loads_not_as_gases(name):
    match = default_taxonomy().resolve(name)
    assert match is not None and match.family == "effluent load", match


@pytest.mark.parametrize(
    ("name", "material"),
    [("nitrogen", "nitrogen"), ("氮气", "nitrogen"), ("ammonia-nitrogen wastewater", "wastewater"),
     ("氨氮废水", "wastewater"), ("高氨氮废水", "wastewater"), ("ammonia", "ammonia")],
)  # fmt: skip
def test_the_gas_and_the_wastewater_keep_their_reading(name, material):
    assert default_taxonomy().resolve(name).material == material
