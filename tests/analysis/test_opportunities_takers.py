"""Receivers that cannot take what they are proposed (:mod:`symbiosis.analysis.opportunities.
takers`, :mod:`.capacity`): tester-cities3 new defects 1, 2, 5, 6 and 7 on Ma'anshan
(tests/data/maanshan): two concentrators swapping tailings, two power plants swapping
blowdown, effluent to households, MSW to the coke ovens, sludge to a gas-fired plant, the
kiln's MSW line bypassed by its coal purchase, raw wastewater to the waterworks and pickle
liquor to the hot mill."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from symbiosis import from_frames, load
from symbiosis.analysis.opportunities import find_opportunities

MAANSHAN = Path(__file__).resolve().parents[1] / "data" / "maanshan"
COLUMNS = ["source", "target", "material", "quantity", "unit", "category"]


@pytest.fixture(scope="module")
def maanshan():
    return load(MAANSHAN)


def _table(network, **options) -> pd.DataFrame:
    result = find_opportunities(network, top=0, impact=False, **options)
    return result.table


def _pairs(table: pd.DataFrame) -> set[tuple[str, str, str]]:
    return set(zip(table["source"], table["material"], table["target"], strict=True))


def test_no_swap_of_a_residue_both_plants_dispose_of(maanshan):
    """NS_CONC and GS_CONC both dump iron ore tailings; CCPP and PP both discharge
    cooling water: neither is a taker of the other's, and no pair goes both ways."""
    pairs = _pairs(_table(maanshan))
    for a, b, material in [("NS_CONC", "GS_CONC", "iron ore tailings"),
                           ("CCPP", "PP", "cooling water")]:  # fmt: skip
        assert (a, material, b) not in pairs
        assert (b, material, a) not in pairs
    # the same streams still meet receivers that take them
    assert ("NS_CONC", "iron ore tailings", "BRICK") in pairs
    assert ("BF", "spent refractories", "BOF") not in pairs  # BOF dumps its own


def test_a_trace_or_a_stack_gas_is_no_surplus():
    """A cement plant that landfills a little fly ash still takes a power plant's; one
    that landfills as much as it is offered does not. An oil field that emits its
    heaters' CO2 still takes CO2 for injection (a stack gas is dilute)."""

    def network(landfilled: float):
        firms = pd.DataFrame(
            [("POWER", "power generation", "firm"), ("CEM", "cement", "firm"),
             ("OIL", "oil and gas extraction", "extraction"), ("REF", "petroleum refining", "firm"),
             ("AIR", "", "environment"), ("LF", "", "disposal"), ("MKT", "", "market")],
            columns=["id", "sector", "role"],
        )  # fmt: skip
        flows = pd.DataFrame(
            [("POWER", "LF", "fly ash", 100_000, "t", "waste"),
             ("CEM", "LF", "fly ash", landfilled, "t", "waste"),
             ("CEM", "MKT", "cement", 1_000_000, "t", "product"),
             ("REF", "AIR", "carbon dioxide", 400_000, "t", "emission"),
             ("OIL", "AIR", "carbon dioxide", 1_500_000, "t", "emission"),
             ("OIL", "REF", "crude oil", 5_000_000, "t", "product")],
            columns=COLUMNS,
        )  # fmt: skip
        return _pairs(_table(from_frames(firms, flows)))

    trace, surplus = network(500), network(50_000)
    assert ("POWER", "fly ash", "CEM") in trace
    assert ("POWER", "fly ash", "CEM") not in surplus
    assert ("REF", "carbon dioxide", "OIL") in trace


def test_households_and_the_waterworks_take_no_residual_water(maanshan):
    table = _table(maanshan, fates=("disposed", "emitted", "treated"))
    water = table["material"].isin(["cooling water", "mine water", "treated effluent",
                                    "municipal wastewater", "process wastewater",
                                    "coking wastewater"])  # fmt: skip
    assert water.any()
    assert not (water & table["target"].isin(["HOUSEHOLDS", "WATERWORKS"])).any()


def test_fuels_go_to_receivers_that_burn_them_in_that_form(maanshan):
    """Sludge co-firing goes to the coal plant, not to the gas-fired CCPP (all its fuels
    in GJ); MSW is no coking coal or coke breeze."""
    pairs = _pairs(_table(maanshan))
    assert ("CITY_WWTP", "sewage sludge", "PP") in pairs
    assert ("CITY_WWTP", "sewage sludge", "CCPP") not in pairs
    assert ("HROLL", "oily mill scale sludge", "CCPP") not in pairs
    assert ("HOUSEHOLDS", "municipal solid waste", "COKE") not in pairs
    assert ("HOUSEHOLDS", "municipal solid waste", "SINTER") not in pairs
    assert ("HOUSEHOLDS", "municipal solid waste", "CEMENT") in pairs


def test_the_co_processing_line_bounds_a_kiln_that_buys_coal(maanshan):
    """The kiln buys 300 kt of coal; its MSW line takes 100 kt (msw-kiln), and a tonne
    of MSW is no tonne of coal: 100 kt, not 300 kt, of the 500 kt sent to the WtE."""
    table = _table(maanshan, fates=("treated",))
    row = table[(table["material"] == "municipal solid waste") & (table["target"] == "CEMENT")]
    assert len(row) == 1
    assert row["quantity"].iloc[0] == pytest.approx(100_000)
    assert row["capacity"].iloc[0] == pytest.approx(100_000)


def test_streams_sent_to_treatment_meet_only_receivers_that_take_them(maanshan):
    """Raw process wastewater is no mill's make-up water; spent pickling liquor is not
    shipped from the pickling line to the hot mill for acid regeneration."""
    table = _table(maanshan, fates=("treated",))
    weak = table["rule"].isin(["network: takes a related material", "network: peer of a taker"])
    assert not weak.any()
    pairs = _pairs(table)
    assert ("CROLL", "spent pickling liquor", "HROLL") not in pairs
    assert ("HROLL", "process wastewater", "CITY_WWTP") in pairs


def _mines():
    """A copper mine and a coal mine dump their mine water; two more mines (of iron ore,
    and a mining company), a coal mine, two concentrators, a coal washery and a power
    plant draw river water; none of the mines records mine water of its own."""
    firms = pd.DataFrame(
        [("CUMINE", "copper mine", "firm"), ("FEMINE", "iron ore mine", "firm"),
         ("MINECO", "mining company", "firm"), ("COALA", "coal mine", "firm"),
         ("COALB", "coal mining", "firm"), ("CONC", "ore concentrator", "firm"),
         ("MC", "mining and concentration", "firm"), ("WASH", "coal washing", "firm"),
         ("PP", "coal-fired power", "utility"), ("RIVER", "", "environment")],
        columns=["id", "sector", "role"],
    )  # fmt: skip
    drawn = [("RIVER", t, "river water", 1, "Mm3", "product")
             for t in ("FEMINE", "MINECO", "COALB", "CONC", "MC", "WASH", "PP")]  # fmt: skip
    flows = [("CUMINE", "RIVER", "mine water", 10, "Mm3", "waste"),
             ("COALA", "RIVER", "mine water", 5, "Mm3", "waste"), *drawn]  # fmt: skip
    return from_frames(firms, pd.DataFrame(flows, columns=COLUMNS))


def test_a_mine_s_water_goes_to_no_other_mine():
    """The mine-water rows proposed a mine's water to the other mines: an iron ore mine
    and a mining company for a concentrator's process water (the row's sector was all of
    mining), a coal mine for dust suppression, the source's peer. A mine pumps its own;
    the concentrators, the washery and the power plant take it."""
    table = _table(_mines(), receivers_per_stream=10)
    water = table[table["material"] == "mine water"]
    assert not set(water["target"]) & {"CUMINE", "FEMINE", "MINECO", "COALA", "COALB"}
    for source in ("CUMINE", "COALA"):
        takers = set(water.loc[water["source"] == source, "target"])
        assert {"CONC", "MC", "WASH", "PP"} <= takers, source
    concentrator = water[water["pathway"] == "minewater-concentrator"]
    assert set(concentrator["target"]) == {"CONC", "MC"}


def test_treated_mine_water_goes_to_concentrators_and_back_to_coal_mines():
    """From a mine water treatment plant (the mines' own water, returned), the
    concentrator row proposes concentrators, not every actor of mining (an iron ore mine
    and a mining company were its receivers), and the coal mines keep their dust
    suppression."""
    network = _mines()
    firms = pd.concat(
        [
            network.firms.reset_index(),
            pd.DataFrame(
                [("MWTP", "mine water treatment", "treatment")], columns=["id", "sector", "role"]
            ),
        ]
    )
    flows = pd.concat(
        [
            network.flows[COLUMNS],
            pd.DataFrame(
                [("MWTP", "RIVER", "treated mine water", 3, "Mm3", "waste")], columns=COLUMNS
            ),
        ]
    )
    table = _table(from_frames(firms[["id", "sector", "role"]], flows),
                   receivers_per_stream=10)  # fmt: skip
    treated = table[table["source"] == "MWTP"]
    concentrator = treated[treated["pathway"] == "minewater-concentrator"]
    assert set(concentrator["target"]) == {"CONC", "MC"}
    assert "COALB" in set(treated.loc[treated["pathway"] == "minewater-dust", "target"])
