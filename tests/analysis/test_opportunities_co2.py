"""CO2 of two grades (tester-parks10 defect 4, Kwinana, names and sectors as the tester wrote
them): an ammonia plant's CO2 is what a CO2 liquefaction plant takes as it is, while a power
station's, a cement kiln's or an alumina calciner's flue gas needs a capture plant first; a
refinery's is mostly flue gas, with a hydrogen plant's pure CO2 at some."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from symbiosis import from_frames
from symbiosis.analysis.opportunities import find_opportunities
from symbiosis.analysis.opportunities.purity import FLUE, PART, PURE, UNKNOWN, stream_grades
from symbiosis.analysis.opportunities.receivers import Context
from symbiosis.analysis.opportunities.streams import find_streams
from symbiosis.catalogue import default_catalogue

FIRMS = ["id", "name", "sector", "role", "lat", "lon"]
COLUMNS = ["source", "target", "material", "quantity", "unit", "category"]
KWINANA = [
    ("ALC", "Alcoa Kwinana", "alumina refinery", "firm", -32.2147, 115.7985),
    ("BP", "BP Kwinana", "petroleum refinery", "firm", -32.2262, 115.7697),
    ("CSBP", "CSBP Kwinana",
     "chemicals and fertilisers (ammonia; ammonium nitrate; chlor-alkali; superphosphate)",
     "firm", -32.1990, 115.7731),
    ("CCL", "Cockburn Cement", "cement and lime", "firm", -32.1362, 115.7830),
    ("KPS", "Kwinana Power Station", "coal-fired power station", "utility", -32.1953, 115.7650),
    ("BOC", "BOC Kwinana CO2 plant", "industrial gases", "firm", -32.2101, 115.7802),
    ("MKT", "market", "", "market", None, None),
    ("AIR", "atmosphere", "air", "environment", None, None),
]  # fmt: skip
FLOWS = [
    ("MKT", "ALC", "bauxite", 8000000, "t", "product"),
    ("ALC", "MKT", "alumina", 2000000, "t", "product"),
    ("ALC", "AIR", "carbon dioxide", 2500000, "t", "emission"),
    ("CSBP", "BOC", "waste carbon dioxide", 70000, "t", "by-product"),
    ("BOC", "ALC", "carbon dioxide", 70000, "t", "product"),
    ("CSBP", "AIR", "carbon dioxide", 180000, "t", "emission"),
    ("BP", "AIR", "carbon dioxide", 900000, "t", "emission"),
    ("KPS", "AIR", "carbon dioxide", 3200000, "t", "emission"),
    ("CCL", "AIR", "carbon dioxide", 1000000, "t", "emission"),
    ("MKT", "CCL", "limestone", 1500000, "t", "product"),
    ("MKT", "KPS", "coal", 1400000, "t", "product"),
    ("MKT", "BP", "crude oil", 7000000, "t", "product"),
    ("MKT", "CSBP", "natural gas", 300000, "t", "product"),
]


def _network(firms=KWINANA, flows=FLOWS):
    return from_frames(pd.DataFrame(firms, columns=FIRMS), pd.DataFrame(flows, columns=COLUMNS))


@pytest.fixture(scope="module")
def kwinana():
    return find_opportunities(_network(), top=20)


def _co2(table: pd.DataFrame, source: str) -> pd.DataFrame:
    return table[(table["source"] == source) & (table["material"] == "carbon dioxide")]


@pytest.mark.parametrize("source", ["KPS", "CCL", "ALC"])
def test_flue_gas_goes_to_no_taker_of_pure_co2(kwinana, source):
    """Nine of Kwinana's first 13 proposals had been the CO2 plant's 70 kt (which BOC
    purifies from CSBP's ammonia plant) or Alcoa's residue carbonation (which takes BOC's
    product), offered the power station's, the kiln's and the calciner's flue gas as
    established or demonstrated expansions; Alcoa's own CO2 to BOC "closed a loop"."""
    rows = _co2(kwinana.table, source)
    assert not set(rows["target"]) & {"BOC", "ALC"}
    assert not rows["pathway"].fillna("").str.startswith("co2pure").any()
    assert len(rows)  # the capture rows (co2-*: needs capture at the source) stay


def test_ammonia_plant_co2_meets_the_rows_needing_no_capture(kwinana):
    """CSBP's plain "carbon dioxide" is its ammonia plant's: the high-purity rows (the CO2
    plant, food, greenhouses, urea; established) by its source's process, in place of the
    capture rows to the same sectors."""
    rows = _co2(kwinana.table, "CSBP")
    boc = rows[rows["target"] == "BOC"].iloc[0]
    assert (boc["pathway"], boc["rule"], boc["maturity"]) == (
        "co2pure-gases", "source process", "established",
    )  # fmt: skip
    pathways = set(rows["pathway"].dropna())
    assert {"co2pure-food", "co2pure-greenhouse"} <= pathways
    assert not {"co2-food", "co2-horticulture"} & pathways  # one plant each: no capture
    assert "ALC" in set(rows["target"])  # takes BOC's purified CO2: this one too


def test_refinery_co2_to_a_pure_taker_is_demonstrated_at_most_and_ranks_after(kwinana):
    """A refinery's CO2 is mostly its heaters' flue gas; a hydrogen plant's, pure, at some
    (Shell Pernis to OCAP): the CO2 plant stays, shown demonstrated, a new link (not an
    expansion of what BOC takes) of no size (only a concentrated part would do,
    tester-oilports13 defect 3), after the ammonia plant's 70 kt (established), which
    gets the plant (the refinery's, first by the firms table, had taken it)."""
    refinery = _co2(kwinana.table, "BP")
    boc = refinery[refinery["target"] == "BOC"].iloc[0]
    assert (boc["rule"], boc["maturity"]) == ("network: takes a purer grade", "demonstrated")
    assert boc["kind"] == "new_link" and np.isnan(boc["quantity"])
    assert not refinery["pathway"].fillna("").str.startswith("co2pure").any()
    ranks = {(o.source, o.target): o.rank for o in kwinana.listed if o.material.endswith("oxide")}
    table = kwinana.table[kwinana.table["material"] == "carbon dioxide"]  # the whole order
    pairs = zip(table["source"], table["target"], strict=True)
    ranked = dict(zip(pairs, table["rank"], strict=True))
    assert ranked[("CSBP", "BOC")] == ranks[("CSBP", "BOC")] < ranked[("BP", "BOC")]
    applied = {(o.source, o.target) for o in kwinana.listed
               if (o.group, o.rank) in kwinana.cumulative.applied}  # fmt: skip
    assert ("CSBP", "BOC") in applied


def test_the_listing_without_a_table_ranks_the_same(kwinana):
    """The first rows found without the whole table (sized first) break the ties of size
    by maturity too."""
    lean = find_opportunities(_network(), top=20, table=False)
    key = [(o.source, o.material, o.target, o.rank) for o in kwinana.listed]
    assert [(o.source, o.material, o.target, o.rank) for o in lean.listed] == key


@pytest.mark.parametrize(
    ("material", "sector", "grade"),
    [("carbon dioxide", "ammonia plant", PURE), ("CO2", "bioethanol plant", PURE),
     ("biogenic CO2", "ethanol distillery", PURE), ("biogenic CO2", "biomass boiler", FLUE),
     ("flue gas CO2", "ammonia plant", FLUE), ("fermentation CO2", "power station", PURE),
     ("CO2", "oil refinery", PART), ("CO2", "refinery and hydrogen plant", PURE),
     ("CO2", "cement and lime", FLUE), ("CO2", "soda ash", UNKNOWN),
     ("carbon dioxide", "ammonia-soda plant", UNKNOWN), ("biogenic CO2", "composting", FLUE),
     ("biogenic CO2", "biogas plant", FLUE)],
)  # fmt: skip
def test_a_co2_stream_is_graded_by_its_name_then_its_source(material, sector, grade):
    """Biogenic says where the carbon comes from, not how pure the gas is: a biomass
    boiler's stack is flue gas (tester-agro11 defect 2; it had read as high-purity CO2),
    and so is a composting plant's or a biogas engine's unless the source says pure."""
    network = _network(
        [("S", "source", sector, "firm", None, None),
         ("AIR", "air", "", "environment", None, None)],
        [("S", "AIR", material, 1000, "t", "emission")],
    )  # fmt: skip
    ctx = Context(network, default_catalogue(), find_streams(network), None, 3)
    assert stream_grades(ctx).tolist() == [grade]


def test_biogenic_co2_of_a_boiler_meets_no_high_purity_row():
    network = _network(
        [("BOIL", "Mill boiler", "biomass boiler", "utility", None, None),
         ("AIR", "air", "", "environment", None, None)],
        [("BOIL", "AIR", "biogenic CO2", 51300, "t", "emission")],
    )  # fmt: skip
    table = find_opportunities(network, top=0).table
    assert len(table) and not table["pathway"].fillna("").str.startswith("co2pure").any()
