"""Receivers of a catalogue row are the firms whose sector is the process the row needs:
generic words (mining, chemicals, metal recovery) qualified by others, and specific
processes (chlor-alkali, a copper refinery, a coal mine) that the row does not name, make
no receiver (tester-cities2 defects 1 and 2: Jinchang, Baiyin). Networks trimmed from the
tester's, names and sectors as written there."""

from __future__ import annotations

import pandas as pd

from symbiosis import from_frames
from symbiosis.analysis.opportunities import count_opportunities, find_opportunities
from symbiosis.catalogue.sectors import default_sectors

COLUMNS = ["source", "target", "material", "quantity", "unit", "category"]
FIRMS = ["id", "sector", "role", "lat", "lon"]


def _table(firms: list[tuple], flows: list[tuple]) -> pd.DataFrame:
    network = from_frames(pd.DataFrame(firms, columns=FIRMS), pd.DataFrame(flows, columns=COLUMNS))
    result = find_opportunities(network, top=0, impact=False)
    assert len(result.table) == count_opportunities(network)  # the same candidates
    return result.table


def _targets(table: pd.DataFrame, source: str, pathway: str) -> set[str]:
    return set(table[(table["source"] == source) & (table["pathway"] == pathway)]["target"])


def test_baiyin_tailings_go_to_no_mine_and_copper_slag_to_no_refinery():
    """Baiyin 2022: the concentrator's mill tailings went to the coal mines ("coal mining"
    holds "mining") and back to the copper mine ("closes a loop"); copper slag went to
    the electrolytic refinery for flotation. The slag flotation line stays, now by the
    catalogue row, and the tailings go to a new re-processing plant."""
    firms = [("BY_MINE", "copper mining", "extraction", 36.57, 104.18),
             ("JY_COAL", "coal mining", "extraction", 36.60, 104.70),
             ("CONC", "copper ore concentration", "firm", 36.56, 104.19),
             ("CU_SMELT", "copper smelting", "firm", 36.561, 104.218),
             ("CU_REF", "copper refining", "firm", 36.56, 104.22),
             ("SLAG_REPROC", "slag flotation", "recycling", 36.56, 104.21),
             ("TAIL_DAM", "", "disposal", 36.58, 104.16),
             ("SLAG_DUMP", "", "disposal", 36.57, 104.23)]  # fmt: skip
    flows = [("BY_MINE", "CONC", "copper ore", 3_000_000, "t", "product"),
             ("CONC", "CU_SMELT", "copper concentrate", 150_000, "t", "product"),
             ("CONC", "TAIL_DAM", "mill tailings", 715_000, "t", "waste"),
             ("CU_SMELT", "CU_REF", "anode copper", 100_000, "t", "product"),
             ("CU_SMELT", "SLAG_DUMP", "copper slag", 160_000, "t", "by-product"),
             ("CU_SMELT", "SLAG_REPROC", "copper slag", 270_000, "t", "by-product")]  # fmt: skip
    table = _table(firms, flows)
    tailings = _targets(table, "CONC", "tailings-reprocessing")
    assert not tailings & {"BY_MINE", "JY_COAL"}
    assert tailings == {"NEW_MINING"}
    flotation = _targets(table, "CU_SMELT", "copper-slag-flotation")
    assert "CU_REF" not in flotation
    assert "SLAG_REPROC" in flotation


def test_jinchang_chlor_alkali_and_nickel_refinery_take_only_what_they_can():
    """Jinchang: "chemicals" matched the chlor-alkali plant for phosphogypsum to acid and
    clinker, CO2 to chemicals and fly ash to zeolites, and "metal recovery" the nickel
    refinery for reduction roasting of slag tailings. The chlor-alkali plant still takes
    treated effluent (a utility row); a plant named only "chemicals" still takes CO2."""
    firms = [("FERT", "phosphate fertilizer", "firm", 38.53, 102.26),
             ("POWER", "power generation", "utility", 38.53, 102.19),
             ("CHLOR", "chlor-alkali", "firm", 38.52, 102.25),
             ("NI_REF", "nickel refining", "firm", 38.51, 102.22),
             ("SLAG_FLOT", "slag flotation", "recycling", 38.50, 102.24),
             ("CITY_WWTP", "sewage treatment", "treatment", 38.53, 102.17),
             ("PG_STACK", "", "disposal", 38.54, 102.28),
             ("ASH_POND", "", "disposal", 38.55, 102.16),
             ("LANDFILL", "", "disposal", 38.56, 102.15), ("AIR", "", "environment", None, None),
             ("RESERVOIR", "", "environment", None, None)]  # fmt: skip
    flows = [("FERT", "PG_STACK", "phosphogypsum", 400_000, "t", "by-product"),
             ("POWER", "AIR", "carbon dioxide", 6_000_000, "t", "emission"),
             ("POWER", "ASH_POND", "fly ash", 400_000, "t", "by-product"),
             ("SLAG_FLOT", "LANDFILL", "copper slag flotation tailings", 840_000, "t",
              "by-product"),
             ("CITY_WWTP", "RESERVOIR", "treated effluent", 9_000_000, "m3", "waste")]  # fmt: skip
    table = _table(firms, flows)
    assert "CHLOR" not in _targets(table, "FERT", "pg-acid-clinker")
    assert "CHLOR" not in _targets(table, "POWER", "co2-chemicals")
    assert "CHLOR" not in _targets(table, "POWER", "fly-ash-zeolite")
    assert "NI_REF" not in _targets(table, "SLAG_FLOT", "slag-tailings-metals")
    assert "CHLOR" in _targets(table, "CITY_WWTP", "effluent-chemicals")  # any plant's water
    # a firm that is a chemical plant, unqualified, is still one
    firms[2] = ("CHLOR", "chemical plant", "firm", 38.52, 102.25)
    assert "CHLOR" in _targets(_table(firms, flows), "POWER", "co2-chemicals")


def test_generic_words_count_alone_and_specific_terms_by_what_the_row_names():
    """The vocabulary: a generic term alone in its clause is a full membership, qualified
    it is one for utility rows only; a specific term holds the words a row must name."""
    vocabulary = default_sectors()
    assert vocabulary.memberships("mining company") == {"mining": None}
    # a coal mine: of the mining sector for coal rows only (and a coal mining sector of its
    # own, for its mine water)
    assert vocabulary.memberships("coal mining") == {
        "mining": frozenset({"coal", "煤"}),
        "coal mining": None,
    }
    assert vocabulary.memberships("mine water treatment")["mining"] == frozenset()
    assert vocabulary.memberships("chemicals and fertiliser manufacturer")["chemical"] is None
    # (bittern chemicals, the example here before, is a sector of its own: tester-agro11)
    assert vocabulary.memberships("specialty chemicals (potassium salts)") == {
        "chemical": frozenset()
    }
    assert "chlorine" in vocabulary.memberships("chlor-alkali")["chemical"]
    assert "zinc" in vocabulary.memberships("zinc smelter")["metal recovery"]
    # a concentrator: of mining, and of ore concentration (the mine water row's sector)
    assert vocabulary.memberships("copper ore concentration") == {
        "mining": None,
        "ore concentration": None,
    }
    assert vocabulary.memberships("primary copper smelting and refining") == {
        "copper smelting": None
    }
    assert vocabulary.sectors_of("coal mining") == {"mining", "coal mining"}  # still of it


def test_a_lane_that_finds_the_pool_codes_cached_finds_their_texts_too():
    """The candidate stages' two lanes ask for the pools at once: the pool codes were
    cached before their texts, so a lane finding the codes could read the texts before
    the other lane stored them (a KeyError, seen once in the threads test under load).
    Whenever the codes are in the context's cache, the texts are already there."""
    from symbiosis.analysis.opportunities import pools, receivers, streams
    from symbiosis.catalogue import default_catalogue
    from symbiosis.examples import example_path
    from symbiosis.io import load

    network = load(example_path("tongling"))
    ctx = receivers.Context(network, default_catalogue(), streams.find_streams(network), None, 3)

    class Watched(dict):
        def __setitem__(self, key, value):
            if key == "_row_pools":
                assert "_pool_texts" in self, "the codes stored before their texts"
            super().__setitem__(key, value)

    object.__setattr__(ctx, "__dict__", Watched(ctx.__dict__))
    codes = pools.row_pools(ctx)
    assert len(pools.pools(ctx, codes))
