"""Reuse accounting: hand-computed networks, the Tongling checks and properties."""

from __future__ import annotations

import doctest
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import symbiosis
from symbiosis.analysis import reuse as reuse_module
from symbiosis.analysis.reuse import FATES, reuse_accounts
from symbiosis.export.json import to_json
from symbiosis.vocabulary import material_key

from .reuse_networks import build, network, park, random_frames

TONGLING = Path(__file__).parents[2] / "examples" / "tongling"
PROPERTY = settings(max_examples=30, deadline=None)


def row(table: pd.DataFrame, **keys) -> pd.Series:
    mask = np.ones(len(table), dtype=bool)
    for column, value in keys.items():
        mask &= (table[column] == value).to_numpy()
    assert mask.sum() == 1, f"{keys} matches {mask.sum()} rows"
    return table[mask].iloc[0]


# --------------------------------------------------------------------------- by hand


@pytest.fixture(scope="module")
def accounts():
    return reuse_accounts(park())


def test_park_network_totals(accounts):
    mass = accounts["mass"]
    # streams from actors: tailings 600 backfill + 200 landfill; slag 300 cement + 100
    # landfill; acid 0.5 kt market; SO2 2 air
    assert mass["generated"] == 1702
    assert (mass["reused"], mass["treated"], mass["sold"]) == (900, 0, 500)
    assert (mass["disposed"], mass["emitted"], mass["streams"]) == (300, 2, 6)
    assert mass["reuse_share"] == pytest.approx(900 / 1702)
    assert mass["utilization_rate"] == pytest.approx(1400 / 1702)
    # actor inputs: smelter 1000 ore + 50 scrap (waste from the market: secondary);
    # backfill 600 tailings; cement 300 slag + 100 aggregate from a recycler
    assert (mass["inputs"], mass["secondary_inputs"]) == (2050, 1050)
    assert mass["circular_input_rate"] == pytest.approx(1050 / 2050)
    assert accounts.unquantified_streams == 1  # the flue dust of unknown size


def test_treatment_is_its_own_fate_and_is_not_an_input(accounts):
    volume = accounts["volume"]
    # wastewater into the sewage works is treated; its effluent to the river, emitted
    assert (volume["generated"], volume["treated"], volume["emitted"]) == (2000, 1000, 1000)
    assert volume["reuse_share"] == 0
    assert volume["inputs"] == 0 and volume["circular_input_rate"] is None
    assert "sewage" not in set(accounts.circular_inputs["firm"])


def test_park_by_material_groups_spellings(accounts):
    table = accounts.by_material
    tailings = row(table, dimension="mass", material_key="tailing")
    # one stream each of two spellings: the larger (600 t to the backfill; it was the
    # first alphabetically, "Tailings", before tester15 D6)
    assert tailings["material"] == "tailings"
    assert (tailings["generated"], tailings["reused"], tailings["disposed"]) == (800, 600, 200)
    assert tailings["reuse_share"] == 0.75
    slag = row(table, dimension="mass", material_key="slag")
    assert (slag["generated"], slag["reused"], slag["disposed"]) == (400, 300, 100)
    so2 = row(table, dimension="mass", material_key="sulfur dioxide")
    assert so2["material"] == "SO2" and so2["emitted"] == 2
    acid = row(table, dimension="mass", material_key="sulfuric acid")
    assert acid["sold"] == 500 and acid["utilization_rate"] == 1.0 and acid["reuse_share"] == 0


def test_park_by_generator_and_category(accounts):
    smelter = row(accounts.by_generator, dimension="mass", firm="smelter")
    assert [smelter[c] for c in ("generated", *FATES)] == [902, 300, 0, 500, 100, 2]
    assert row(accounts.by_generator, dimension="mass", firm="mine")["reuse_share"] == 0.75
    assert row(accounts.by_generator, dimension="volume", firm="smelter")["treated"] == 1000
    waste = row(accounts.by_category, dimension="mass", category="waste")
    assert (waste["generated"], waste["reused"], waste["disposed"]) == (900, 600, 300)
    byproduct = row(accounts.by_category, dimension="mass", category="by-product")
    assert (byproduct["generated"], byproduct["reused"], byproduct["sold"]) == (800, 300, 500)


def test_park_by_receiver(accounts):
    landfill = row(accounts.by_receiver, dimension="mass", firm="landfill")
    assert landfill["fate"] == "disposed" and landfill["received"] == 300
    assert (landfill["streams"], landfill["generators"]) == (2, 2)
    assert landfill["share"] == pytest.approx(300 / 1702)
    assert row(accounts.by_receiver, dimension="mass", firm="backfill")["fate"] == "reused"
    assert row(accounts.by_receiver, dimension="volume", firm="sewage")["fate"] == "treated"


def test_park_circular_inputs(accounts):
    table = accounts.circular_inputs
    smelter = row(table, dimension="mass", firm="smelter")
    assert (smelter["inputs"], smelter["secondary_inputs"]) == (1050, 50)
    assert row(table, dimension="mass", firm="cement")["circular_input_rate"] == 1.0
    assert list(table["firm"]) == ["smelter", "backfill", "cement"]  # largest inputs first


def test_residuals_from_boundary_are_not_generated():
    net = network(
        [("yard", "recycling"), ("mkt", "market")],
        [
            ("mkt", "yard", "scrap", 10, "t", "waste"),
            ("yard", "mkt", "sorted scrap", 9, "t", "product"),
        ],
    )
    accounts = reuse_accounts(net)
    assert accounts["mass"]["generated"] == 0 and accounts["mass"]["reuse_share"] is None
    assert accounts["mass"]["circular_input_rate"] == 1.0


def test_json_is_strict_and_complete(accounts):
    import json

    data = json.loads(to_json(accounts.to_dict()))
    required = {
        "generated",
        "reused",
        "sold",
        "disposed",
        "emitted",
        "reuse_share",
        "utilization_rate",
        "circular_input_rate",
    }
    assert required <= set(data["dimensions"]["mass"])
    assert data["units"] == {"mass": "t/yr", "volume": "m3/yr"}
    assert data["dimensions"]["volume"]["circular_input_rate"] is None
    assert {r["material_key"] for r in data["by_material"]} >= {"slag", "tailing"}


def test_network_without_residuals():
    net = network([("a", "firm"), ("m", "market")], [("a", "m", "goods", 5, "t", "product")])
    accounts = reuse_accounts(net)
    assert accounts["mass"]["generated"] == 0 and accounts["mass"]["utilization_rate"] is None
    assert accounts.by_material.empty and accounts.by_receiver.empty


def test_inputs_are_floats_when_no_actor_has_an_input():
    """A tester's one-firm network: inputs and secondary_inputs were the int 0 (numpy's
    bincount of no rows), 160.0 on every other network."""
    net = network([("A", "firm"), ("LF", "disposal")], [("A", "LF", "slag", 10, "t", "waste")])
    accounts = reuse_accounts(net)
    assert accounts.network[["inputs", "secondary_inputs"]].dtypes.tolist() == [np.float64] * 2
    mass = accounts.to_dict()["dimensions"]["mass"]
    assert [type(mass[name]) for name in ("inputs", "secondary_inputs")] == [float, float]


def test_residual_streams_lists_each_quantified_stream_with_its_fate():
    streams = reuse_module.residual_streams(park())
    assert len(streams) == 8  # 6 mass + 2 volume; the flue dust has no size
    fates = streams.set_index(["source", "target"])["fate"]
    assert fates[("mine", "backfill")] == "reused" and fates[("smelter", "sewage")] == "treated"
    assert fates[("smelter", "market")] == "sold" and fates[("sewage", "river")] == "emitted"
    assert set(streams.index) <= set(park().flows.index)


def test_docstring_examples():
    assert doctest.testmod(reuse_module).failed == 0


@pytest.mark.parametrize(
    ("spelling", "key"),
    [
        ("Flue gas desulphurisation gypsum", "fgd gypsum"),
        ("FGD-Gypsum", "fgd gypsum"),
        ("fly ashes", "fly ash"),
        ("GGBFS", "ground granulated blast furnace slag"),
        ("BF slag", "blast furnace slag"),
        ("Copper_Slags", "copper slag"),
        ("glass", "glass"),
    ],
)
def test_material_keys_used_for_grouping(spelling, key):
    assert material_key(spelling) == key


def test_fly_ash_spellings_form_one_material():
    net = network(
        [("plant", "utility"), ("cement", "firm"), ("dump", "disposal")],
        [
            ("plant", "cement", "Fly ashes", 80, "t", "by-product"),
            ("plant", "dump", "fly ash", 20, "t", "waste"),
        ],
    )
    table = reuse_accounts(net).by_material
    assert len(table) == 1 and table.loc[0, "reuse_share"] == 0.8


# --------------------------------------------------------------------------- Tongling


@pytest.fixture(scope="module")
def tongling():
    assert (TONGLING / "flows.csv").exists(), "the Tongling example is missing"
    return reuse_accounts(symbiosis.load(TONGLING))


def test_tongling_matches_the_readme_checks(tongling):
    """Figures from the "Checks" section of examples/tongling/README.md (hand-computed
    by the example's author)."""
    mass = tongling["mass"]
    assert mass["generated"] == 35_945_598
    assert mass["reused"] == 10_177_500
    assert mass["sold"] == 2_646_000
    assert mass["disposed"] == 2_371_000
    assert mass["emitted"] == 20_751_098
    categories = tongling.by_category.set_index(["dimension", "category"])
    assert categories.loc[("mass", "by-product"), "generated"] == 9_623_500
    assert categories.loc[("mass", "by-product"), "reused"] == 6_977_500
    assert categories.loc[("mass", "waste"), "generated"] == 5_571_000
    assert categories.loc[("mass", "waste"), "reused"] == 3_200_000
    solid = categories.loc[[("mass", "by-product"), ("mass", "waste")]].sum()
    assert solid["generated"] == 15_194_500
    assert solid["reused"] / solid["generated"] == pytest.approx(0.670, abs=5e-4)
    assert (solid["reused"] + solid["sold"]) / solid["generated"] == pytest.approx(0.844, abs=5e-4)
    receivers = tongling.by_receiver.set_index(["dimension", "firm"])["received"]
    assert receivers[("mass", "PGS")] == 1_100_000
    assert receivers[("mass", "SLF")] == 971_000
    assert receivers[("mass", "TPOND")] == 300_000
    assert receivers[("mass", "DGS_BF")] == 2_950_000
    assert tongling["energy"]["emitted"] == 39_600_000  # 11 TWh of condenser heat, in GJ
    assert tongling["volume"]["generated"] == 80_000_000
    assert tongling["volume"]["treated"] == 40_000_000  # wastewater into the WWTP actor


def test_tongling_breakdown_is_believable(tongling):
    materials = tongling.by_material.set_index("material_key")
    assert materials.loc["copper slag", "reuse_share"] == 1.0  # all slag to the slag plants
    assert materials.loc["phosphogypsum", "reuse_share"] == pytest.approx(500_000 / 1_600_000)
    assert materials.loc["mill tailing", "reuse_share"] == pytest.approx(3_050_000 / 3_350_000)
    assert materials.loc["sulfuric acid", "utilization_rate"] == 1.0
    assert materials.loc["titanium gypsum", "disposed"] == 411_000


# --------------------------------------------------------------------------- properties


def _fate_identity_holds(table: pd.DataFrame) -> None:
    parts = table[list(FATES)].sum(axis=1).to_numpy()
    np.testing.assert_allclose(parts, table["generated"].to_numpy(), rtol=1e-9, atol=1e-6)


@PROPERTY
@given(random_frames())
def test_shares_in_unit_interval_and_fates_add_up(frames):
    accounts = reuse_accounts(build(frames))
    tables = [accounts.network, accounts.by_category, accounts.by_material, accounts.by_generator]
    for table in tables:
        _fate_identity_holds(table)
        for column in ("reuse_share", "utilization_rate"):
            values = table[column].dropna()
            assert ((values >= 0) & (values <= 1)).all()
    rates = accounts.circular_inputs["circular_input_rate"].dropna()
    assert ((rates >= 0) & (rates <= 1)).all()
    # the receivers, summed by fate, give the network's fates
    by_fate = accounts.by_receiver.groupby(["dimension", "fate"])["received"].sum()
    for record in accounts.network.to_dict("records"):
        for fate in FATES:
            expected = by_fate.get((record["dimension"], fate), 0.0)
            assert record[fate] == pytest.approx(expected, rel=1e-9, abs=1e-6)


@PROPERTY
@given(random_frames(), st.randoms(use_true_random=False))
def test_results_do_not_depend_on_row_order(frames, rng):
    firms, flows = frames
    order = list(range(len(flows)))
    rng.shuffle(order)
    first = reuse_accounts(build(frames))
    second = reuse_accounts(build((firms.sample(frac=1, random_state=1), flows.iloc[order])))
    for name, table in first.tables().items():
        pd.testing.assert_frame_equal(
            table, second.tables()[name], check_exact=False, rtol=1e-9, obj=name
        )


@PROPERTY
@given(random_frames())
def test_tonnes_or_kilotonnes_give_the_same_accounts(frames):
    firms, flows = frames
    in_kt = flows.copy()
    tonnes = (in_kt["unit"] == "t").to_numpy()
    in_kt.loc[tonnes, "quantity"] = in_kt.loc[tonnes, "quantity"] / 1000
    in_kt.loc[tonnes, "unit"] = "kt"
    first, second = reuse_accounts(build(frames)), reuse_accounts(build((firms, in_kt)))
    for name, table in first.tables().items():
        pd.testing.assert_frame_equal(
            table, second.tables()[name], check_exact=False, rtol=1e-9, atol=1e-9, obj=name
        )


@PROPERTY
@given(random_frames(), st.floats(0.001, 1e6), st.data())
def test_moving_a_disposed_stream_to_an_actor_raises_the_reuse_share(frames, quantity, data):
    firms, flows = frames
    source = data.draw(st.sampled_from(sorted(firms["id"][firms["id"].str.startswith("F")])))
    taker = data.draw(st.sampled_from(["firm", "extraction", "recycling", "utility", "household"]))
    firms = pd.concat([firms, pd.DataFrame([("TAKER", taker, "")], columns=firms.columns)])
    stream = [source, "DUMP", "moved residue", quantity, "t", "waste"]
    before_flows = pd.concat([flows, pd.DataFrame([stream], columns=flows.columns)])
    stream[1] = "TAKER"
    after_flows = pd.concat([flows, pd.DataFrame([stream], columns=flows.columns)])
    before = reuse_accounts(build((firms, before_flows)))["mass"]
    after = reuse_accounts(build((firms, after_flows)))["mass"]
    assert after["generated"] == pytest.approx(before["generated"])
    assert after["reused"] == pytest.approx(before["reused"] + quantity)
    assert after["disposed"] == pytest.approx(before["disposed"] - quantity, abs=1e-6)
    assert after["reuse_share"] > before["reuse_share"]


def test_to_dict_lists_at_most_limit_rows_per_dimension_and_says_how_many(accounts):
    data = accounts.to_dict(limit=1)
    assert data["rows"]["by_generator"] == len(accounts.by_generator) == 4
    listed = [(r["dimension"], r["firm"]) for r in data["by_generator"]]
    # largest of each dimension; the two 1,000 m3 generators tie: alphabetical order
    assert listed == [("mass", "smelter"), ("volume", "sewage")]
    assert len(accounts.to_dict(limit=None)["by_generator"]) == 4
    only = accounts.to_dict(tables=("by_material",))
    assert "by_material" in only and "by_generator" not in only
    assert only["rows"] == {"by_material": len(accounts.by_material)}


# --------------------------------------------------------------------------- counted


def test_streams_are_counted_by_fate_whatever_their_size():
    """By hand: five residual streams leaving actors, two of unknown size, one a firm's
    own scrap; a product and a stream bought from the market are not counted."""
    flows = pd.DataFrame(
        {
            "source": ["SMELT", "SMELT", "SMELT", "SMELT", "CEMENT", "SMELT", "MARKET"],
            "target": ["CEMENT", "SMELT", "LANDFILL", "AIR", "MARKET", "MARKET", "SMELT"],
            "material": ["slag", "scrap", "dust", "SO2", "clinker dust", "cathode", "scrap"],
            "quantity": [3.0, None, 1.0, None, 2.0, 9.0, 4.0],
            "unit": ["t"] * 7,
            "category": [
                "by-product",
                "waste",
                "waste",
                "emission",
                "by-product",
                "product",
                "by-product",
            ],
        }
    )
    firms = pd.DataFrame(
        {
            "id": ["SMELT", "CEMENT", "LANDFILL", "AIR", "MARKET"],
            "role": ["firm", "firm", "disposal", "environment", "market"],
        }
    )
    accounts = reuse_accounts(symbiosis.from_frames(firms, flows))
    assert accounts.counted == {
        "streams": 5,
        "reused": 2,  # slag to cement, the smelter's own scrap
        "treated": 0,
        "sold": 1,
        "disposed": 1,
        "emitted": 1,
        "reused_internally": 1,
        "reuse_share": 2 / 5,
        "utilization_rate": 3 / 5,
    }
    assert accounts.unquantified_streams == 2
    assert accounts.to_dict()["counted"] == accounts.counted


@PROPERTY
@given(random_frames())
def test_counted_streams_are_the_known_and_the_unknown_ones(frames):
    accounts = reuse_accounts(build(frames))
    counted = accounts.counted
    assert counted["streams"] == sum(counted[fate] for fate in FATES)
    known = int(accounts.network["streams"].sum())
    assert counted["streams"] == known + accounts.unquantified_streams
    assert 0 <= counted["reused_internally"] <= counted["reused"]
    if counted["streams"]:
        assert 0 <= counted["reuse_share"] <= counted["utilization_rate"] <= 1
    else:
        assert counted["reuse_share"] is None and counted["utilization_rate"] is None
