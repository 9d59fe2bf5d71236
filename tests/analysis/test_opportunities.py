"""Opportunities: each kind on hand-made networks, matching rules, ranking, impact, the
Tongling example and a Kalundborg network with known exchanges cut."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import symbiosis
from symbiosis import FlowNetwork, InputError, from_frames
from symbiosis import edits as ed
from symbiosis.analysis.opportunities import (
    count_opportunities,
    find_opportunities,
    opportunity_edits,
)
from symbiosis.analysis.reuse import reuse_accounts
from symbiosis.catalogue import default_catalogue, load_catalogue
from symbiosis.examples import example_path
from symbiosis.taxonomy import default_taxonomy

DATA = Path(__file__).parents[1] / "data"
ROOT = Path(__file__).parents[2]

FIRMS = pd.DataFrame(
    [
        ("SM", "copper smelting", "firm", 30.0, 117.0),
        ("CE", "cement", "firm", 30.0, 117.1),
        ("CE2", "clinker and cement", "firm", 31.0, 117.0),
        ("BM", "building materials", "recycling", 30.05, 117.0),
        ("PP", "coal-fired power", "utility", 30.0, 116.9),
        ("CH", "chemicals and sulfuric acid", "firm", 30.0, 117.05),  # takes SO2: an acid plant
        ("MKT", "", "market", None, None),
        ("LF", "", "disposal", None, None),
        ("AIR", "", "environment", None, None),
    ],
    columns=["id", "sector", "role", "lat", "lon"],
)
FLOWS = pd.DataFrame(
    [
        ("MKT", "SM", "copper concentrate", 100, "kt", "product", None),
        ("SM", "LF", "copper slag", 50, "kt", "waste", 2000),
        ("MKT", "CE", "iron ore", 5, "kt", "product", None),
        ("PP", "LF", "fly ash", 20, "kt", "waste", None),
        ("PP", "CE2", "fly ash", 10, "kt", "by-product", None),
        # its cement: fly ash is a constituent of at most half of it (the max_share)
        ("CE2", "MKT", "cement", 40, "kt", "product", None),
        ("SM", "AIR", "SO2", 1, "t", "emission", None),  # a smelter's: a power plant's is dilute
        ("SM", "MKT", "copper cathode", 40, "kt", "product", None),
        ("SM", "MKT", "sulfuric acid", 10, "kt", "by-product", None),
        ("MKT", "CH", "sulfuric acid", 3, "kt", "product", None),
        ("CH", "SM", "oxygen", 1, "kt", "product", None),
        ("SM", "LF", "mystery goo", 1, "kt", "waste", None),
    ],
    columns=["source", "target", "material", "quantity", "unit", "category", "price"],
)


@pytest.fixture(scope="module")
def park() -> FlowNetwork:
    return from_frames(FIRMS, FLOWS)


@pytest.fixture(scope="module")
def found(park):
    return find_opportunities(park, top=50)


def rows(result, **where) -> pd.DataFrame:
    table = result.table
    mask = np.ones(len(table), dtype=bool)
    for column, value in where.items():
        mask &= (table[column] == value).to_numpy()
    return table[mask]


def one(result, **where):
    """The single listed opportunity matching ``where``."""
    chosen = [o for o in result.listed if all(getattr(o, k) == v for k, v in where.items())]
    assert len(chosen) == 1, [o.describe() for o in chosen]
    return chosen[0]


# ---------------------------------------------------------------------------- kinds


def test_redirect_substitutes_a_primary_input_of_the_same_sector(found):
    o = one(found, material="copper slag", target="CE")
    assert o.kind == "redirect"
    assert o.quantity == 5000  # the smaller of 50 kt slag and 5 kt iron ore
    assert o.stream_quantity == 50000
    assert o.replaces == {
        "material": "iron ore",
        "suppliers": ["MKT"],
        "flows": [{"source": "MKT", "material": "iron ore", "row": None}],
        "quantity": 5000.0,
        "substitution_ratio": 1.0,  # none given: a tonne of slag for a tonne of ore
    }
    assert o.evidence[0]["id"] == "copper-slag-cement"
    assert o.evidence[0]["rule"] == "substitutes iron ore"
    assert "Shi, Meyer & Behnood 2008" in o.evidence[0]["source"]
    kinds = [type(e).__name__ for e in o.edits]
    assert kinds == ["RedirectFlow", "ScaleFlow"]
    assert o.edits[1].factor == pytest.approx(0.0)  # all 5 kt of iron ore replaced


def test_redirect_of_the_same_material_needs_no_catalogue_row(found):
    o = one(found, material="sulfuric acid", target="CH")
    assert o.kind == "redirect" and o.fate == "sold" and o.group == "sold"
    assert o.quantity == 3000
    rules = {e["rule"] for e in o.evidence}
    assert "same material" in rules


def test_expand_and_new_link(found):
    assert one(found, material="fly ash", target="CE2").kind == "expand"  # takes fly ash
    assert one(found, material="fly ash", target="CE").kind == "new_link"
    assert one(found, material="copper slag", target="BM").kind == "new_link"


def test_new_plant_when_the_sector_is_absent_one_per_process(found):
    """One plant per process (receiving sector and product): the fertilizers sector has
    two here (ammonium sulfate from SO2, phosphates from sold acid), each named after its
    catalogue row; the road-base plants for copper slag and for fly ash are two plants,
    each with its own feed (one plant took both, 70 kt, before processes)."""
    o = one(found, material="SO2", kind="new_plant")
    assert o.target_sector == "fertilizers" and o.new_plant
    assert o.target == "NEW_SO2_FERTILIZER"
    assert o.edits[0] == ed.AddFirm("NEW_SO2_FERTILIZER", name="Proposed fertilizers plant",
                                    sector="fertilizers")  # fmt: skip
    plants = {p.pathways: p for p in found.plants}
    assert plants[("so2-fertilizer",)].plant_id == "NEW_SO2_FERTILIZER"
    assert plants[("acid-fertilizer",)].plant_id == "NEW_ACID_FERTILIZER"
    slag, ash = plants[("copper-slag-road",)], plants[("fly-ash-road",)]
    assert slag.sector == ash.sector == "construction and civil engineering"
    assert slag.dumped == slag.available == {"mass": 50000.0}
    assert ash.dumped == ash.available == {"mass": 20000.0}
    assert [f["material"] for f in slag.feeds] == ["copper slag"]
    assert slag.unbounded and not slag.typical_intake  # no typical intake: the whole stream
    # the smelter itself is the only copper-smelting actor: slag flotation needs a plant
    assert ("copper-slag-flotation",) in plants


def test_no_new_plant_where_a_deposit_is_needed():
    """CO2 for enhanced oil recovery goes to an oil field the network has, never to a
    'new oil and gas extraction plant' (Kitakyushu has no oil field)."""
    firms = pd.DataFrame({"id": ["STEEL", "AIR", "OIL"],
                          "sector": ["steel", "", "oil and gas extraction"],
                          "role": ["firm", "air", "firm"]})  # fmt: skip
    flows = pd.DataFrame(
        [("STEEL", "AIR", "carbon dioxide", 100_000, "t", "emission")],
        columns=["source", "target", "material", "quantity", "unit", "category"],
    )
    catalogue = default_catalogue()
    without = find_opportunities(from_frames(firms[:2], flows), catalogue, top=100)
    sectors = {o.target_sector for o in without.listed if o.new_plant}
    assert "oil and gas extraction" not in sectors
    assert "oil and gas extraction" not in {p.sector for p in without.plants}
    assert sectors  # other plants are still proposed (precipitated calcium carbonate ...)
    with_field = find_opportunities(from_frames(firms, flows), catalogue, top=100)
    assert any(o.target == "OIL" for o in with_field.listed)


def test_downstream_for_an_early_stage_product(found):
    chosen = [o for o in found.listed if o.material == "copper cathode"]
    assert {o.target_sector for o in chosen} == {"copper fabrication", "copper foil"}
    assert all(o.kind == "downstream" and o.new_plant and o.group == "downstream" for o in chosen)
    plants = {p.sector: p for p in found.plants}
    assert plants["copper fabrication"].products_in == {"mass": 40000.0}


def test_uncovered_streams_are_reported(found):
    assert found.uncovered["material"].tolist() == ["mystery goo"]
    assert found.uncovered["quantity"].tolist() == [1000]


def test_the_source_is_never_its_own_receiver(found):
    assert (found.table["source"] != found.table["target"]).all()


# ---------------------------------------------------------------------------- matching


def test_synonym_code_dimension_and_whole_names(tmp_path):
    flows = pd.DataFrame(
        [
            ("PP", "LF", "scrubber gypsum", 7, "kt", "waste", ""),
            ("PP", "LF", "stuff 42", 3, "kt", "waste", "10 01 05*"),
            ("PP", "LF", "copper slag dust", 2, "kt", "waste", ""),
            ("PP", "AIR", "whey", 4, "MWh", "emission", ""),
        ],
        columns=["source", "target", "material", "quantity", "unit", "category", "material_code"],
    )
    network = from_frames(FIRMS, flows)
    mine = tmp_path / "mine.csv"
    mine.write_text(
        "id,material,dimension,receiving_sector,source\n"
        "whey-mass,whey,mass,cement,a study\n"
        "whey-energy,whey,energy,chemicals,a study\n"
    )
    result = find_opportunities(network, load_catalogue(mine), top=50)
    gypsum = rows(result, material="scrubber gypsum", target="CE")
    assert set(gypsum["rule"]) == {"synonym"}
    coded = rows(result, material="stuff 42", target="CE")
    assert set(coded["rule"]) == {"material code"}
    # not a substring match of "copper slag": a dust, by its head noun (the taxonomy), for
    # which no row is written (copper smelter flue dust's row is for no other dust)
    dust = rows(result, material="copper slag dust")
    assert not dust["pathway"].fillna("").str.contains("slag|flue-dust").any()
    assert default_taxonomy().resolve("copper slag dust").material == "dust"
    whey = rows(result, material="whey")
    assert set(whey["pathway"]) == {"whey-energy"}  # the mass row does not match energy
    assert list(result.uncovered["material"]) == ["copper slag dust"]  # said, not dropped


def test_distance_nearest_first_max_distance_and_per_stream(park):
    result = find_opportunities(park, top=50)
    near = one(result, material="fly ash", target="CE")
    # 0.2 degrees of longitude at 30 N: 111.195 km x cos(30) x 0.2
    assert near.distance_km == pytest.approx(111.195 * math.cos(math.radians(30)) * 0.2, rel=1e-3)
    capped = find_opportunities(park, top=50, max_distance_km=50)
    assert rows(capped, material="fly ash", target="CE2").empty  # 111 km away
    assert not rows(capped, material="fly ash", target="CE").empty
    single = find_opportunities(park, top=50, receivers_per_stream=1)
    cement = rows(single, material="fly ash", target_sector="cement", new_plant=False)
    assert cement["target"].tolist() == ["CE"]  # the nearest of the two cement works


def test_no_receiver_within_max_distance_means_a_new_plant(park):
    """A new plant, of a process built for the stream (fly-ash blocks); never a new
    cement plant, to which fly ash is an additive (a constituent): the cement works out
    of reach are no receivers, and none is built."""
    result = find_opportunities(park, top=50, max_distance_km=1)
    blocks = rows(result, material="fly ash", pathway="fly-ash-blocks")
    assert blocks["new_plant"].tolist() == [True]
    assert rows(result, material="fly ash", target_sector="cement").empty
    near = find_opportunities(park, top=50)
    assert not rows(near, material="fly ash", target_sector="cement")["new_plant"].any()


# ---------------------------------------------------------------------------- plant ids

PLANT_FLOWS = pd.DataFrame(
    [
        ("SM", "LF", "copper slag", 100, "t", "waste"),
        ("SM", "LF", "fly ash", 50, "t", "waste"),
        ("SM", "LF", "red mud", 20, "t", "waste"),
    ],
    columns=["source", "target", "material", "quantity", "unit", "category"],
)


def _own_catalogue(tmp_path, sectors: list[str]):
    materials = ["copper slag", "fly ash", "red mud"]
    # each plant of a typical intake: a plant of no capacity known is left out of the
    # listed opportunities done together (their edits)
    lines = ["id,material,dimension,receiving_sector,source,receiver_capacity,capacity_unit"]
    lines += [f"p{i},{materials[i % 3]},mass,{s},a study,1,kt" for i, s in enumerate(sectors)]
    path = tmp_path / "mine.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return load_catalogue(path, replace=True)


def _plants_of(firms, tmp_path, sectors, top=50):
    network = from_frames(pd.DataFrame(firms, columns=["id", "sector", "role"]), PLANT_FLOWS)
    result = find_opportunities(network, _own_catalogue(tmp_path, sectors), top=top)
    return network, result, {p.sector: p.plant_id for p in result.plants}


PLANT_FIRMS = [("SM", "copper smelting", "firm"), ("LF", "", "disposal")]


def test_plant_ids_keep_any_script_and_each_sector_keeps_its_plant(tmp_path):
    """Sectors in Chinese, Cyrillic or only punctuation were all one sector, plant
    ``NEW_``, and only the first plant survived."""
    sectors = ["水泥", "化工", "玻璃", "Цемент", "---", "—"]
    network, result, plants = _plants_of(PLANT_FIRMS, tmp_path, sectors)
    assert plants["水泥"] == "NEW_水泥" and plants["化工"] == "NEW_化工"
    assert plants["玻璃"] == "NEW_玻璃" and plants["Цемент"] == "NEW_ЦЕМЕНТ"
    assert plants["---"].startswith("NEW_SECTOR_") and plants["—"].startswith("NEW_SECTOR_")
    assert len(set(plants.values())) == len(sectors)  # one plant per sector, ids unique
    _, _, again = _plants_of(PLANT_FIRMS, tmp_path, sectors, top=1)
    assert again == plants  # the same ids whatever is listed
    new = result.table[result.table["new_plant"]]
    assert dict(zip(new["target_sector"], new["target"], strict=True)) == plants
    for o in result.listed:  # the listed opportunities and their edits use the same ids
        assert o.target == plants[o.target_sector]
    edited = ed.apply(network, result.edits())
    assert {"NEW_水泥", "NEW_化工", "NEW_玻璃"} <= set(edited.firms.index)


def test_plant_ids_are_numbered_past_existing_nodes_and_each_other(tmp_path):
    long = "x" * 60
    firms = [*PLANT_FIRMS, ("NEW_水泥", "", "market"), ("NEW_CEMENT", "", "market")]
    _, _, plants = _plants_of(firms, tmp_path, ["水泥", "cement", f"{long} a", f"{long} b"])
    assert plants["水泥"] == "NEW_水泥_2" and plants["cement"] == "NEW_CEMENT_2"
    base = "NEW_" + "X" * 48  # names are cut to 48 characters: these two collide
    assert plants[f"{long} a"] == base and plants[f"{long} b"] == f"{base}_2"


def test_a_firm_of_a_sector_named_in_chinese_receives(tmp_path):
    firms = [*PLANT_FIRMS, ("CEM", "水泥", "firm")]
    _, result, plants = _plants_of(firms, tmp_path, ["水泥", "化工"])
    assert "水泥" not in plants and plants["化工"] == "NEW_化工"
    assert one(result, material="copper slag").target == "CEM"


# ---------------------------------------------------------------------------- ranking


def test_groups_and_first_alternatives_come_first(found):
    groups = [o.group for o in found.listed]
    assert groups == sorted(groups, key=["dumped", "sold", "downstream"].index)
    dumped = found.group("dumped")
    assert [o.rank for o in dumped] == list(range(1, len(dumped) + 1))
    streams = [(o.source, o.material) for o in dumped if not o.unbounded]
    first_round = streams[: len(set(streams))]
    assert len(set(first_round)) == len(first_round)  # each stream once before any repeat
    # first round by reusable quantity in the mass dimension: fly ash 10 kt (expand: as
    # much again as CE2 takes), slag 5 kt (a redirect takes no more than the iron ore it
    # replaces); the SO2's receivers are of unknown size (CH takes neither SO2 nor the
    # sulfur it would replace): after every row of known size
    assert first_round == [("PP", "fly ash"), ("SM", "copper slag")]
    so2 = [o.rank for o in dumped if o.material == "SO2"]
    assert so2 and min(so2) > max(o.rank for o in dumped if not o.unbounded)


def test_rank_by_value_and_distance(park):
    by_value = find_opportunities(park, top=50, rank_by="value")
    first = by_value.group("dumped")[0]
    assert first.material == "copper slag"
    assert first.value == pytest.approx(5 * 2000)  # 5 kt moved x 2000 per kt
    by_distance = find_opportunities(park, top=50, rank_by="distance")
    distances = [o.distance_km for o in by_distance.group("dumped") if o.distance_km is not None]
    first_round = distances[:2]
    assert first_round == sorted(first_round)


def test_a_listed_value_is_the_value_whatever_the_ranking(park):
    """``rank_by="net_value"`` orders by the net value; each opportunity's ``value``
    stays the value of the moved quantity (its price), as in the table."""
    by_net = find_opportunities(park, top=50, rank_by="net_value", disposal_cost=30.0)
    table = by_net.table.set_index(["group", "rank"])
    for o in by_net.listed:
        row = table.loc[(o.group, o.rank)]
        assert (np.nan if o.value is None else o.value) == pytest.approx(row["value"], nan_ok=True)
    values = [(o.value, o.economics["net_value"]) for o in by_net.listed if o.value]
    assert values and any(value != net for value, net in values)


def test_kind_and_fate_filters(park):
    result = find_opportunities(park, top=50, kinds=["new_plant"], fates=["disposed"])
    assert set(result.table["kind"]) == {"new_plant"}
    assert set(result.table["fate"]) == {"disposed"}


@pytest.mark.parametrize(
    "options",
    [
        {"top": -1},
        {"max_distance_km": 0},
        {"receivers_per_stream": 0},
        {"kinds": ["teleport"]},
        {"fates": ["burnt"]},
        {"rank_by": "beauty"},
    ],
)
def test_bad_parameters(park, options):
    with pytest.raises(InputError):
        find_opportunities(park, **options)


# ---------------------------------------------------------------------------- impact


def test_impact_matches_the_reuse_accounts(park, found):
    generated = 50000 + 20000 + 10000 + 1 + 10000 + 1000
    o = one(found, material="copper slag", target="CE")
    before, after = o.impact.reuse_share["mass"]
    assert before == pytest.approx(10000 / generated)
    assert after == pytest.approx(15000 / generated)
    applied = ed.apply(park, opportunity_edits(o))
    assert reuse_accounts(applied)["mass"]["reuse_share"] == pytest.approx(after)
    # the iron ore bought is cut by the 5 kt of slag: all of it, so the flow stops
    iron = applied.flows[applied.flows["material"] == "iron ore"]["value"]
    assert iron.tolist() == []
    rate_before, rate_after = o.impact.utilization_rate["mass"]
    assert rate_before == pytest.approx(20000 / generated)
    assert rate_after == pytest.approx(25000 / generated)


@pytest.mark.parametrize("name", ["park", "tongling", "kalundborg"])
def test_incremental_impact_equals_applying_the_edits(name, park):
    """Each listed opportunity's impact is computed incrementally; applying its edits to a
    copy and running the reuse accounts must give the same indicators."""
    network = {
        "park": lambda: park,
        "tongling": lambda: symbiosis.load(example_path("tongling")),
        "kalundborg": lambda: kalundborg_cut()[0],
    }[name]()
    result = find_opportunities(network, top=6)
    for o in result.listed:
        accounts = reuse_accounts(ed.apply(network, list(o.edits)))
        for dimension, (_, after) in o.impact.reuse_share.items():
            expected = accounts[dimension]
            assert after == pytest.approx(expected["reuse_share"], abs=1e-12), o.describe()
            rate = o.impact.utilization_rate[dimension][1]
            assert rate == pytest.approx(expected["utilization_rate"], abs=1e-12)


def test_a_new_link_back_to_a_supplier_closes_a_loop(found):
    o = one(found, material="sulfuric acid", target="CH")
    assert o.impact.loops == (("SM", "CH"),)  # CH already sends oxygen to SM
    assert not one(found, material="fly ash", target="CE").impact.closes_loop


def test_cumulative_takes_each_stream_once(park, found):
    cumulative = found.cumulative
    dumped = found.group("dumped")
    so2 = [o for o in dumped if o.material == "SO2"]
    # CH, an acid plant taking neither SO2 nor the sulfur it would replace, has no size
    # known for it (so2-acid gives no typical intake; until the tester-cities5 round it
    # took as much again as its 3 kt of acid), nor has the new plant: both are left out as
    # unbounded (before the stream is looked at: test_opportunities_emerging has an
    # alternative skipped on a used-up stream)
    assert [o.target for o in so2] == ["CH", "NEW_SO2_FERTILIZER"]
    assert all(o.unbounded and ("dumped", o.rank) in cumulative.unbounded for o in so2)
    skipped = {(s.group, s.rank): s for s in cumulative.skipped}
    # the copper slag: the redirect takes 5 kt; BM, which takes nothing recorded, and the
    # new plants of no typical intake are of unknown size, left out; CE2's room is taken
    slag = [o for o in dumped if o.material == "copper slag"]
    assert slag[0].kind == "redirect" and ("dumped", slag[0].rank) in cumulative.applied
    # (the flotation plant is a slag concentrator, not a new copper smelter)
    assert {o.target for o in slag if o.unbounded} >= {"BM", "NEW_SLAG_FLOTATION"}
    for o in slag[1:]:
        here = ("dumped", o.rank)
        emerging = o.maturity == "emerging"  # said emerging first, of unknown size or not
        assert (here in cumulative.emerging) == emerging
        assert (here in cumulative.unbounded) == (o.unbounded and not emerging)
        assert o.unbounded or emerging or skipped[here].used_up == "capacity"
    after = ed.apply(park, found.edits())
    residual = reuse_accounts(after)["mass"]
    assert residual["reuse_share"] == pytest.approx(cumulative.impact.reuse_share["mass"][1])
    # 5 kt of slag, 12.5 kt of ash (CE's 2.5 kt: half its throughput, the max_share of a
    # constituent; not CH's zeolites, an emerging pathway) and 3 kt of acid sold
    assert cumulative.moved["mass"] == pytest.approx(20_500)
    disposed = after.flows[(after.flows["target"] == "LF")]["value"].sum()
    assert disposed == pytest.approx(71_000 - 5_000 - 12_500)


def test_scenario_file_round_trip(park, found):
    import tomllib

    text = found.to_toml()
    assert "Candidates for study" in text
    edits = ed.edits_from_tables(tomllib.loads(text))
    assert edits == found.edits()
    a = ed.apply(park, edits)
    b = ed.apply(park, found.edits())
    pd.testing.assert_frame_equal(a.flows, b.flows)


def test_without_impact_and_top_zero(park):
    quiet = find_opportunities(park, top=0)
    assert quiet.listed == () and quiet.cumulative is None and len(quiet.table) > 0
    fast = find_opportunities(park, top=3, impact=False)
    assert all(o.impact is None for o in fast.listed) and fast.cumulative is None
    assert fast.to_dict()["cumulative"] is None


def test_to_dict_is_plain_json(found):
    import json

    payload = json.loads(json.dumps(found.to_dict(), allow_nan=False))
    assert payload["opportunities"][0]["evidence"][0]["source"]
    assert payload["caveat"].startswith("Candidates for study")


# ---------------------------------------------------------------------------- examples


@pytest.fixture(scope="module")
def tongling():
    network = symbiosis.load(example_path("tongling"))
    return find_opportunities(network, top=10)


@pytest.mark.parametrize(
    ("material", "fate", "target", "pathway"),
    [
        ("copper slag flotation tailings", "disposed", "CONCH", "slag-tailings-cement"),
        ("copper slag flotation tailings", "disposed", "BM", "slag-tailings-building"),
        ("mill tailings", "disposed", "BM", "tailings-blocks"),
        ("mill tailings", "disposed", "DGS_BF", "tailings-backfill"),
        ("phosphogypsum", "disposed", "CONCH", "pg-cement"),
        ("phosphogypsum", "disposed", "NEW_PG_PLASTERBOARD", "pg-plasterboard"),
        ("titanium gypsum", "disposed", "CONCH", "tig-cement"),
        ("titanium gypsum", "disposed", "NEW_TIG_PLASTERBOARD", "tig-plasterboard"),
        ("bottom ash", "disposed", "BM", "bottom-ash-blocks"),
        ("low-grade waste heat", "emitted", "NEW_DISTRICT_HEATING", "heat-district"),
        ("low-grade waste heat", "emitted", "NEW_AQUACULTURE", "heat-aquaculture"),
        ("treated effluent", "emitted", "WN", "effluent-cooling"),
        ("dismantling residues", "disposed", "CONCH", "dismantling-kiln"),
        ("copper cathode", "product", "ROD", "cathode-fabrication"),
        ("copper cathode", "product", "FOIL", "cathode-foil"),
    ],
)
def test_tongling_proposes_what_an_expert_would(tongling, material, fate, target, pathway):
    found = rows(tongling, material=material, fate=fate, target=target)
    assert not found.empty, f"{material} -> {target} not proposed"
    assert pathway in set(found["pathway"])
    source = default_catalogue().pathways.set_index("id").loc[pathway, "source"]
    assert len(source) > 10


def test_tongling_plasterboard_plants_take_a_typical_plants_intake(tongling):
    """One plant per process, of a typical plant's size: the phosphogypsum board plant
    and the titanium-gypsum block plant are two processes (two products), each taking
    200 kt a year (Kalundborg's Gyproc plant) of what is dumped. Before, one
    "plasterboard" plant was shown with all 1,511 kt of both as its feed."""
    plants = {p.pathways: p for p in tongling.plants}
    pg, tig = plants[("pg-plasterboard",)], plants[("tig-plasterboard",)]
    assert (pg.plant_id, tig.plant_id) == ("NEW_PG_PLASTERBOARD", "NEW_TIG_PLASTERBOARD")
    assert pg.dumped == tig.dumped == pg.typical_intake == {"mass": 200_000}
    assert pg.available == {"mass": 1_100_000} and tig.available == {"mass": 411_000}
    assert pg.plants_of_typical_size == {"mass": 6} and tig.plants_of_typical_size == {"mass": 3}
    assert not pg.unbounded
    assert [(f["material"], f["quantity"], f["taken"]) for f in pg.feeds] == [
        ("phosphogypsum", 1_100_000, 200_000)
    ]


def test_every_listed_opportunity_is_applied_or_skipped_once(tongling):
    """Ranks restart in each group: the cumulative effect names each opportunity by
    (group, rank), so that dumped #6 and sold #6 are not one key (the skipped ones were
    a dict by rank, and one group's entry overwrote another's: 7 of Tongling's 9)."""
    cumulative = tongling.cumulative
    named = [*cumulative.applied, *((s.group, s.rank) for s in cumulative.skipped),
             *cumulative.unbounded]  # fmt: skip
    assert sorted(named) == sorted((o.group, o.rank) for o in tongling.listed)
    data = cumulative.to_dict()
    assert len(data["applied"]) + len(data["skipped"]) + len(data["unbounded"]) == len(
        tongling.listed
    )
    assert {"group", "rank", "used_up", "by"} <= set(data["skipped"][0])


def test_tongling_listed_and_cumulative(tongling):
    assert len(tongling.group("dumped")) == 10
    assert tongling.uncovered.empty
    before, after = tongling.cumulative.impact.reuse_share["mass"]
    assert after > before
    for o in tongling.listed:
        assert o.evidence and all(e["source"] for e in o.evidence)


def kalundborg_cut() -> tuple[FlowNetwork, pd.DataFrame]:
    folder = DATA / "literature" / "kalundborg"
    network = symbiosis.load(folder)
    cuts = pd.read_csv(folder / "cut.csv", dtype=str, keep_default_na=False)
    flows = network.flows
    edits = []
    for cut in cuts.itertuples():
        edits.append(ed.RedirectFlow(cut.source, cut.target, cut.material, to=cut.cut_to))
        if cut.primary_source:

            def value(source, material, cut=cut):
                chosen = flows[(flows["source"] == source) & (flows["target"] == cut.target)
                               & (flows["material"] == material)]  # fmt: skip
                return float(chosen["value"].iat[0])

            stream = value(cut.source, cut.material)
            primary = value(cut.primary_source, cut.primary_material)
            factor = (primary + stream) / primary  # the receiver buys what it no longer gets
            edits.append(ed.ScaleFlow(cut.primary_source, cut.target, cut.primary_material,
                                      factor=factor))  # fmt: skip
    return ed.apply(network, ed.sort_edits(edits)), cuts


def test_kalundborg_cut_exchanges_are_proposed_back():
    network, cuts = kalundborg_cut()
    result = find_opportunities(network, top=50)
    original = symbiosis.load(DATA / "literature" / "kalundborg").flows
    for cut in cuts.itertuples():
        found = rows(
            result, source=cut.source, material=cut.material, stream_target=cut.cut_to,
            target=cut.target,
        )  # fmt: skip
        was = original[(original["source"] == cut.source) & (original["target"] == cut.target)
                       & (original["material"] == cut.material)]["value"].iat[0]  # fmt: skip
        # the cut stream (warm cooling water joins the fjord next to the rest of it)
        found = found[np.isclose(found["quantity"].to_numpy(dtype=float), was)]
        assert len(found) == 1, f"{cut.material} {cut.source} -> {cut.target} not proposed"
        assert found["kind"].iat[0] == cut.expected_kind
    # Giving back Statoil's cooling water to Asnaes closes the loop with Asnaes' steam.
    water = one(result, source="REF", material="used cooling water", target="ASN")
    assert water.impact.loops == (("REF", "ASN"),)


# ---------------------------------------------------------------------------- properties

SECTORS = ["cement", "building materials", "power generation", "chemicals", "agriculture", ""]
MATERIALS = [
    ("fly ash", "t"),
    ("copper slag", "t"),
    ("sewage sludge", "t"),
    ("surplus heat", "GJ"),
    ("treated effluent", "m3"),
    ("sulfuric acid", "t"),
]


@st.composite
def networks(draw):
    n = draw(st.integers(2, 7))
    firms = [("MKT", "", "market"), ("LF", "", "disposal"), ("ENV", "", "environment")]
    firms += [(f"F{i}", draw(st.sampled_from(SECTORS)), "firm") for i in range(n)]
    flows = []
    for _ in range(draw(st.integers(1, 12))):
        material, unit = draw(st.sampled_from(MATERIALS))
        source = f"F{draw(st.integers(0, n - 1))}"
        target = draw(st.sampled_from(["MKT", "LF", "ENV", *[f"F{i}" for i in range(n)]]))
        if target == source:
            continue
        category = draw(st.sampled_from(["waste", "by-product", "emission", "product"]))
        flows.append((source, target, material, draw(st.integers(1, 1000)), unit, category))
        if draw(st.booleans()):
            flows.append(("MKT", source, material, draw(st.integers(1, 1000)), unit, "product"))
    if not flows:  # every drawn flow was a self-flow
        flows.append(("F0", "LF", "fly ash", 1, "t", "waste"))
    firms_frame = pd.DataFrame(firms, columns=["id", "sector", "role"])
    flow_frame = pd.DataFrame(
        flows, columns=["source", "target", "material", "quantity", "unit", "category"]
    ).drop_duplicates(["source", "target", "material", "category"])
    return from_frames(firms_frame, flow_frame)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(network=networks(), per_stream=st.integers(1, 3))
def test_properties_on_random_networks(network, per_stream):
    result = find_opportunities(network, top=5, receivers_per_stream=per_stream)
    table = result.table
    catalogue = default_catalogue()
    sectors = network.firms["sector"]
    for record in table.itertuples():
        # its own source only in-house, for a disposed stream (analysis/opportunities/in_house.py)
        assert (record.target == record.source) == (record.kind == "in_house")
        assert record.kind != "in_house" or record.fate == "disposed"
        stream = network.flows[(network.flows["source"] == record.source)
                               & (network.flows["target"] == record.stream_target)
                               & (network.flows["material"] == record.material)]  # fmt: skip
        assert record.quantity <= stream["value"].sum() + 1e-9
        if record.new_plant:
            continue
        assert network.firms.loc[record.target, "actor"]
        if isinstance(record.pathway, str):
            wanted = catalogue.pathways.set_index("id").loc[record.pathway, "sector"]
            assert wanted in catalogue.sectors.sectors_of(sectors[record.target])
    # at most per_stream receivers per stream and sector (redirects, found among the buyers
    # of the material, the network's own evidence, at most per_stream, and the source
    # itself, in-house, come on top)
    network = table["rule"].astype(str).str.startswith("network")
    other = ~table["kind"].isin(["redirect", "in_house"])
    existing = table[~table["new_plant"].astype(bool) & other & ~network]
    keys = ["source", "material", "stream_target", "row", "target_sector"]
    per_place = existing.groupby(keys).size()
    assert (per_place <= per_stream).all()
    assert (table[network].groupby(keys[:4]).size() <= per_stream).all()
    for o in result.listed:
        if o.fate in ("disposed", "emitted", "sold") and o.dimension:
            before, after = o.impact.reuse_share[o.dimension]
            assert after >= before - 1e-12
            assert 0 <= after <= 1 + 1e-12


# ---------------------------------------------------------------------------- pickling


@pytest.mark.parametrize("touch_table", [False, True])
def test_the_result_pickles_without_the_network(park, touch_table):
    import pickle

    result = find_opportunities(park, top=5)
    if touch_table:
        expected_table = result.table  # built before pickling
    restored = pickle.loads(pickle.dumps(result))
    if not touch_table:
        expected_table = result.table  # built after pickling the original
    assert restored.to_dict() == result.to_dict()
    assert restored.to_toml() == result.to_toml()
    pd.testing.assert_frame_equal(restored.table, expected_table)
    assert "FlowNetwork" not in str(pickle.dumps(restored))


def test_lexorder_is_numpys_lexsort():
    """The ranking sorts by packed integer passes; it must order exactly as np.lexsort
    (stable; NaN last; -0.0 equal to 0.0; integers wider than one pass)."""
    from symbiosis._sorting import lexorder

    rng = np.random.default_rng(1)
    specials = [0.0, -0.0, 1.5, -2.0, np.inf, -np.inf, np.nan, 3e300, 1e-300]

    def draw(kind: int, n: int) -> np.ndarray:
        if kind == 0:
            return rng.integers(-5, 5, n)
        if kind == 1:
            return rng.choice(specials, n)
        if kind == 2:
            return rng.random(n) * 100
        return rng.integers(0, 2**62, n)

    for _ in range(200):
        n = int(rng.integers(1, 300))
        keys = [draw(int(k), n) for k in rng.integers(0, 4, int(rng.integers(1, 5)))]
        assert (lexorder(*keys) == np.lexsort(keys)).all()


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(network=networks(), per_stream=st.integers(1, 3), far=st.sampled_from([None, 50.0]))
def test_the_count_is_the_number_the_full_pass_finds(network, per_stream, far):
    found = find_opportunities(network, top=0, impact=False, receivers_per_stream=per_stream,
                               max_distance_km=far)  # fmt: skip
    counted = count_opportunities(network, receivers_per_stream=per_stream, max_distance_km=far)
    assert counted == sum(sum(kinds.values()) for kinds in found.counts.values())
    assert counted == len(found.table)


def test_the_count_is_the_full_pass_s_on_published_parks_and_tongling():
    parks = sorted((ROOT / "benchmarks/parks").iterdir())
    folders = [p for p in parks if (p / "flows.csv").exists()]
    counted = []
    for folder in [*folders, example_path("tongling")]:
        network = symbiosis.load(folder)
        for far in (None, 25.0):
            found = find_opportunities(network, top=0, impact=False, max_distance_km=far)
            counted.append(count_opportunities(network, max_distance_km=far))
            assert counted[-1] == len(found.table), (folder.name, far)
    assert len(folders) >= 12 and sum(counted) > 100
