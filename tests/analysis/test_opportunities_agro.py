"""Agro-industrial networks and TEDA (tester-agro11, defects 3, 5 and 6).

Brine (RO concentrate, desalination brine) was water: proposed to landscaping and to a
municipal wastewater plant; sea-salt bittern met only the salt-lake old brine's lithium
row. A palm complex's treated effluent went to the POME digester, its spent bleaching earth
and crude glycerine met no row, its flared biogas a landfill-gas row. TEDA's grinding
station was a kiln for the city's refuse, and its own waste-to-energy plant came last.
Portuguese names of the sugar-ethanol sector met no row.
"""

from __future__ import annotations

import pandas as pd
import pytest

from symbiosis import from_frames
from symbiosis.analysis.opportunities import find_opportunities
from symbiosis.catalogue import default_catalogue
from symbiosis.taxonomy import default_taxonomy

COLUMNS = ["source", "target", "material", "quantity", "unit", "category"]


def _table(firms, flows) -> pd.DataFrame:
    frame = pd.DataFrame(firms, columns=["id", "name", "sector", "role"])
    network = from_frames(frame, pd.DataFrame(flows, columns=COLUMNS))
    return find_opportunities(network, top=0, impact=False).table


def _rows(table: pd.DataFrame, source: str, material: str) -> pd.DataFrame:
    return table[(table["source"] == source) & (table["material"] == material)]


def _targets(table: pd.DataFrame, source: str, material: str) -> list[str]:
    """The receivers (a new plant: its id) of one stream, in rank order, each once."""
    return list(dict.fromkeys(_rows(table, source, material)["target"]))


def _pathways(table: pd.DataFrame, source: str, material: str) -> set[str]:
    return set(_rows(table, source, material)["pathway"].dropna())


# TEDA's water and salt chain (Shi, Chertow & Song 2010): the desalination plant's brine to
# the salt works, the reclamation plant's RO concentrate and the salt works' bittern to sea
TEDA_FIRMS = [
    ("DESAL", "北疆电厂海水淡化", "seawater desalination", "utility"),
    ("NWS", "泰达新水源一厂", "water reclamation", "utility"),
    ("WWTP", "开发区污水处理厂", "wastewater treatment", "wwtp"),
    ("SALT", "长芦汉沽盐场", "sea salt", "firm"),
    ("GREEN", "泰达园林绿化", "landscaping", "firm"),
    ("HH", "居民", "", "households"),
    ("SEA", "渤海湾", "", "sea"),
    ("LF", "填埋场", "", "landfill"),
]
TEDA_FLOWS = [
    ("SEA", "DESAL", "海水", 2200, "万立方米", "product"),
    ("SEA", "SALT", "海水", 2500, "万立方米", "product"),
    ("DESAL", "SALT", "浓盐水", 900, "万立方米", "by-product"),
    ("DESAL", "SEA", "浓盐水", 450, "万立方米", "waste"),
    ("DESAL", "HH", "海水淡化水", 700, "万立方米", "product"),
    ("HH", "WWTP", "污水", 2400, "万立方米", "waste"),
    ("WWTP", "NWS", "二级出水", 1000, "万立方米", "by-product"),
    ("NWS", "GREEN", "再生水", 400, "万立方米", "by-product"),
    ("NWS", "SEA", "反渗透浓水", 300, "万立方米", "waste"),
    ("SALT", "SEA", "苦卤", 90, "万立方米", "waste"),
]


def test_brine_is_no_water_and_goes_to_the_salt_works():
    """Rank 6 of TEDA was RO concentrate to the landscaping (a taker of reclaimed water,
    'a related material'), and the plan sent 3 Mm3 of it to the activated-sludge plant."""
    taxonomy = default_taxonomy()
    for name in ("反渗透浓水", "浓盐水", "RO concentrate", "desalination brine", "浓海水"):
        assert taxonomy.resolve(name).family == "brine"
    assert taxonomy.resolve("海水淡化水").family == "water"  # the fresh product is water
    table = _table(TEDA_FIRMS, TEDA_FLOWS)
    for material in ("反渗透浓水", "浓盐水"):
        targets = _targets(table, "DESAL" if material == "浓盐水" else "NWS", material)
        assert "GREEN" not in targets and "WWTP" not in targets
    brine = _rows(table, "DESAL", "浓盐水")
    first = brine.iloc[0]
    assert (first["target"], first["pathway"]) == ("SALT", "brine-salt-works")
    assert {"brine-bromine", "brine-salt-works"} <= _pathways(table, "DESAL", "浓盐水")


def test_sea_salt_bittern_meets_bromine_and_potash_not_lithium():
    """苦卤 met only old-brine-lithium and old-brine-boron (Qinghai's salt-lake old brine,
    lithium-rich); sea-salt bittern is worked up into bromine, potash and magnesium salts."""
    table = _table(TEDA_FIRMS, TEDA_FLOWS)
    pathways = _pathways(table, "SALT", "苦卤")
    assert {"bittern-bromine", "bittern-potash", "bittern-magnesium"} <= pathways
    assert not pathways & {"old-brine-lithium", "old-brine-boron"}
    golmud = _table(
        [("K", "potash", "potash plant", "firm"), ("LAKE", "", "", "environment")],
        [("K", "LAKE", "old brine (老卤)", 4000, "万立方米", "waste")],
    )
    assert "old-brine-lithium" in _pathways(golmud, "K", "old brine (老卤)")


PALM_FIRMS = [
    ("MILL", "palm oil mill", "palm oil milling", "firm"),
    ("BOIL", "mill boiler and back-pressure turbine", "biomass boiler", "utility"),
    ("BGP", "POME biogas plant (digester + gas engine)", "biogas plant", "anaerobic digestion"),
    ("POND", "POME ponds", "POME treatment", "treatment"),
    ("COMP", "EFB composting plant", "composting", "composting"),
    ("REF", "palm oil refinery", "palm oil refining", "firm"),
    ("OLEO", "oleochemical plant", "oleochemicals", "firm"),
    ("WWTP", "Gebeng industrial wastewater treatment plant", "wastewater treatment", "wwtp"),
    ("EXP", "market", "", "market"),
    ("LF", "landfill", "", "landfill"),
    ("RIV", "river", "", "river"),
    ("AIR", "air", "", "air"),
]
PALM_FLOWS = [
    ("RIV", "MILL", "raw water", 390_000, "m3", "product"),
    ("MILL", "BOIL", "mesocarp fibre", 40_500, "t", "by-product"),
    ("MILL", "BGP", "palm oil mill effluent (POME)", 195_000, "m3", "waste"),
    ("MILL", "COMP", "empty fruit bunches (EFB)", 30_000, "t", "by-product"),
    ("BOIL", "MILL", "process steam", 165_000, "t", "product"),
    ("BGP", "POND", "digester effluent", 190_000, "m3", "waste"),
    ("BGP", "AIR", "biogas (flared)", 15_000, "GJ", "emission"),
    ("POND", "RIV", "final discharge", 150_000, "m3", "waste"),
    ("MILL", "REF", "crude palm oil (CPO)", 50_000, "t", "product"),
    ("REF", "EXP", "RBD palm olein", 36_000, "t", "product"),
    ("REF", "LF", "spent bleaching earth (SBE)", 500, "t", "waste"),
    ("OLEO", "EXP", "crude glycerine", 1_600, "t", "by-product"),
    ("OLEO", "WWTP", "process wastewater", 60_000, "m3", "waste"),
    ("WWTP", "RIV", "treated effluent", 60_000, "m3", "waste"),
]


@pytest.fixture(scope="module")
def palm() -> pd.DataFrame:
    return _table(PALM_FIRMS, PALM_FLOWS)


def test_treated_effluent_goes_to_no_digester(palm):
    """The Gebeng plant's treated effluent went to the POME digester ('takes a related
    material'): a digester takes wastewater for its organic load, which treated effluent
    has no more; nor to the ponds that treat the digester's effluent."""
    targets = _targets(palm, "WWTP", "treated effluent")
    assert "BGP" not in targets and "POND" not in targets
    assert "MILL" in targets  # the mill takes raw water: a related material it may use


def test_spent_bleaching_earth_and_crude_glycerine_have_pathways(palm):
    sbe = "spent bleaching earth (SBE)"
    assert {"sbe-compost", "sbe-oil-recovery"} <= _pathways(palm, "REF", sbe)
    assert "COMP" in _targets(palm, "REF", sbe)
    glycerine = _pathways(palm, "OLEO", "crude glycerine")
    assert {"glycerol-chemicals", "glycerol-biogas"} <= glycerine
    assert "BGP" in _targets(palm, "OLEO", "crude glycerine")  # a digester co-substrate


def test_flared_biogas_goes_to_the_mill_boiler_not_a_landfill_gas_plant(palm):
    """The digester's flared biogas met lfg-power (a new gas-engine plant under the
    landfill directive) and no actor; the mill's biomass boiler next door burns it."""
    rows = _rows(palm, "BGP", "biogas (flared)")
    assert "lfg-power" not in set(rows["pathway"])
    assert rows.iloc[0]["target"] == "BOIL"
    landfill = _table(
        [("LFILL", "landfill", "landfill", "treatment"), ("AIR", "", "", "air")],
        [("LFILL", "AIR", "landfill gas", 200_000, "GJ", "emission")],
    )
    assert {"lfg-power", "biogas-chp"} <= _pathways(landfill, "LFILL", "landfill gas")


def test_a_boiler_house_takes_fuels_and_no_cooling_tower_water(palm):
    """A boiler plant is a power plant for the fuel and boiler-feed rows only: the treated
    effluent went to the palm mill's boiler as cooling-tower make-up (a utility row)."""
    vocabulary = default_catalogue().sectors
    assert "power generation" in vocabulary.memberships("biomass boiler")
    assert "power generation" in vocabulary.memberships("燃煤锅炉")
    assert not vocabulary.memberships("boiler manufacturing")
    assert "effluent-cooling" not in set(_rows(palm, "WWTP", "treated effluent")["pathway"])


def test_a_palm_oil_refinery_is_no_petroleum_refinery():
    vocabulary = default_catalogue().sectors
    for text in ("palm oil refining", "palm oil refinery", "vegetable oil refinery"):
        assert "petroleum refining" not in vocabulary.memberships(text)
    assert "petroleum refining" in vocabulary.memberships("oil refinery")


CITY_FIRMS = [
    ("HH", "residents", "", "households"),
    ("MSWC", "生活垃圾收运站", "waste collection", "recycling"),
    ("WTE", "泰达环保垃圾焚烧发电厂", "waste incineration", "waste-to-energy"),
    ("JL", "泰达津联热电", "coal-fired cogeneration", "cogeneration"),
    ("CEM", "水泥粉磨站 (cement grinding plant)", "cement", "firm"),
    ("PP", "北疆电厂", "coal power", "power plant"),
    ("GRID", "grid", "", "market"),
    ("MKT", "market", "", "market"),
    ("LF", "landfill", "", "landfill"),
]
CITY_FLOWS = [
    ("HH", "MSWC", "生活垃圾", 310_000, "吨", "waste"),
    ("MSWC", "WTE", "生活垃圾", 290_000, "吨", "waste"),
    ("MSWC", "LF", "生活垃圾", 20_000, "吨", "waste"),
    ("WTE", "GRID", "电力", 11_000, "万千瓦时", "product"),
    ("MKT", "JL", "煤", 800_000, "吨", "product"),
    ("MKT", "PP", "煤", 3_000_000, "吨", "product"),
    ("PP", "CEM", "粉煤灰", 250_000, "吨", "by-product"),
    ("PP", "LF", "粉煤灰", 100_000, "吨", "waste"),
    ("MKT", "CEM", "熟料", 700_000, "吨", "product"),
    ("CEM", "MKT", "水泥", 900_000, "吨", "product"),
]


@pytest.fixture(scope="module")
def city() -> pd.DataFrame:
    return _table(CITY_FIRMS, CITY_FLOWS)


def test_a_grinding_station_is_no_kiln(city):
    """TEDA's 水泥粉磨站, filed under cement, was proposed the city's refuse for kiln
    co-processing (msw-kiln): a grinding station has no kiln. It still takes fly ash."""
    assert "CEM" not in _targets(city, "MSWC", "生活垃圾")
    assert "CEM" in _targets(city, "PP", "粉煤灰")
    vocabulary = default_catalogue().sectors
    for text in ("cement grinding station", "水泥粉磨站", "cement; clinker grinding"):
        assert vocabulary.memberships(text)["cement"] is not None, text
    assert vocabulary.memberships("cement works")["cement"] is None  # a kiln: every row
    kiln = _table(
        [
            (*CITY_FIRMS[4][:1], "Conch cement works", "cement", "firm"),
            *CITY_FIRMS[:4],
            *CITY_FIRMS[5:],
        ],
        CITY_FLOWS,
    )
    assert "msw-kiln" in _pathways(kiln, "MSWC", "生活垃圾")


def test_the_city_waste_to_energy_plant_comes_first_for_refuse(city):
    """TEDA's own waste-to-energy plant, with room for the landfilled refuse, came 112th of
    116 (a treatment receiver, ranked after every reuse): energy recovery (R1) of the
    catalogue's msw-wte ranks with reuse, ahead of coal plants that take no refuse."""
    rows = _rows(city, "MSWC", "生活垃圾")
    assert (rows.iloc[0]["target"], rows.iloc[0]["pathway"]) == ("WTE", "msw-wte")


# The same sugar-ethanol mill in Portuguese (Brazil) and English: the Portuguese names met
# no catalogue row (3 candidates against 27)
CANE_NAMES = [
    ("vinhaça", "vinasse", "DEST", "RIO", 270_000, "m3", "waste"),
    ("bagaço", "bagasse", "USI", "BAGM", 50_000, "t", "by-product"),
    ("torta de filtro", "filter mud", "USI", "ATERRO", 105_000, "t", "waste"),
    ("palha de cana", "cane straw", "LAV", "ATERRO", 120_000, "t", "waste"),
    ("CO2 da fermentação", "fermentation CO2", "DEST", "ATM", 82_000, "t", "emission"),
    ("levedura", "yeast", "DEST", "ATERRO", 2_700, "t", "waste"),
    ("cinzas de caldeira", "boiler ash", "COGEN", "ATERRO", 20_000, "t", "waste"),
    ("lodo de ETE", "sewage sludge", "ETE", "ATERRO", 3_000, "t", "waste"),
    ("melaço", "molasses", "USI", "BAGM", 250_000, "t", "by-product"),
    ("óleo fúsel", "fusel oil", "DEST", "BEB", 400, "t", "by-product"),
]
CANE_FIRMS = [
    ("LAV", "canaviais", "cultivo de cana-de-açúcar", "farm"),
    ("USI", "usina", "fabricação de açúcar", "firm"),
    ("DEST", "destilaria", "produção de etanol", "firm"),
    ("COGEN", "caldeira e turbogeradores", "cogeração a bagaço", "cogeneration"),
    ("ETE", "estação de tratamento de efluentes", "tratamento de efluentes", "wwtp"),
    ("BAGM", "compradores", "", "market"),
    ("BEB", "bebidas", "", "market"),
    ("ATERRO", "aterro sanitário", "", "landfill"),
    ("RIO", "rio", "", "river"),
    ("ATM", "atmosfera", "", "air"),
]


def test_portuguese_names_meet_the_rows_their_english_names_meet():
    pt = _table(CANE_FIRMS, [(s, t, name, q, u, c) for name, _, s, t, q, u, c in CANE_NAMES])
    en = _table(CANE_FIRMS, [(s, t, name, q, u, c) for _, name, s, t, q, u, c in CANE_NAMES])
    for portuguese, english, source, *_ in CANE_NAMES:
        wanted = _pathways(en, source, english)
        assert wanted, english
        assert wanted <= _pathways(pt, source, portuguese), portuguese
    assert {"vinasse-fertirrigation", "vinasse-biogas"} <= _pathways(pt, "DEST", "vinhaça")
    assert "co2pure-gases" in _pathways(pt, "DEST", "CO2 da fermentação")
    catalogue, taxonomy = default_catalogue(), default_taxonomy()
    assert {r for r, _ in catalogue.match("vinaza")} == {r for r, _ in catalogue.match("vinasse")}
    pairs = (("bagazo", "bagasse"), ("melaza", "molasses"), ("cachaza", "press mud"))
    for spanish, english in pairs:
        assert taxonomy.resolve(spanish).material == taxonomy.resolve(english).material, spanish
