"""Kinds a qualifier names (tester-cities5 #7, #8): a fuel's ash is its own, ferroalloy
slags are no iron or steel slag, and a slag of unknown origin meets no steel-slag row.

#7: Yichun's `biomass fly ash` resolved to coal fly ash by its head noun (the high-alumina
extraction, concrete and road rows) while `wood ash` was biomass ash (the forest and field
rows). #8: Ordos's `ferrosilicon slag` was any slag by its head noun, and any slag met the
steel-slag rows (the kiln's lime source, converter lime, skid-resistant asphalt,
armourstone) and the blast-furnace slag rows.
"""

from __future__ import annotations

import dataclasses

import pandas as pd
import pytest

from symbiosis import from_frames
from symbiosis.analysis.opportunities import find_opportunities
from symbiosis.catalogue import default_catalogue
from symbiosis.taxonomy import default_taxonomy

TAXONOMY = default_taxonomy()


@pytest.mark.parametrize(
    ("name", "material"),
    [
        # coal's ashes, whatever the boiler or the grade
        ("fly ash", "fly ash"),
        ("coal fly ash", "fly ash"),
        ("CFB fly ash", "fly ash"),
        ("fly ash (high-alumina)", "fly ash"),
        ("high-alumina fly ash", "fly ash"),
        ("lignite fly ash", "fly ash"),  # no other member is "lignite ash"
        ("power plant fly ash", "fly ash"),
        ("coal bottom ash", "bottom ash"),  # coal names bottom ash too: no "coal ash"
        ("CFB bottom ash", "bottom ash"),
        ("fly ash and slag", "fly ash"),
        ("粉煤灰", "fly ash"),
        ("电厂粉煤灰", "fly ash"),
        # a biomass fuel's ash is biomass ash, fly or bottom, before the head or after it
        ("wood ash", "biomass ash"),
        ("straw ash", "biomass ash"),
        ("biomass ash", "biomass ash"),
        ("biomass fly ash", "biomass ash"),
        ("Biomass Fly Ash", "biomass ash"),
        ("biomass bottom ash", "biomass ash"),
        ("wood bottom ash", "biomass ash"),
        ("straw bottom ash", "biomass ash"),
        ("straw fly ash", "biomass ash"),
        ("wood-fired boiler fly ash", "biomass ash"),
        ("biomass boiler ash", "biomass ash"),
        ("bark fly ash", "biomass ash"),
        ("fly ash (biomass)", "biomass ash"),
        ("bottom ash (biomass)", "biomass ash"),
        ("boiler ash (wood)", "biomass ash"),
        ("fly ash from biomass boilers", "biomass ash"),
        ("生物质灰", "biomass ash"),
        ("生物质飞灰", "biomass ash"),  # was biomass, the fuel, by its longest name
        ("生物质灰渣", "biomass ash"),
        ("生物质炉渣", "biomass ash"),
        ("秸秆灰", "biomass ash"),
        ("草木灰", "biomass ash"),
        # the incinerator's stay its own
        ("incinerator fly ash", "mswi fly ash"),
        ("飞灰", "mswi fly ash"),
        # a fluid's sludge is what it carried: no sewage sludge by "wastewater sludge"
        ("wastewater treatment sludge", "sludge"),
        # ferroalloy slags
        ("ferrosilicon slag", "ferrosilicon slag"),
        ("FeSi slag", "ferrosilicon slag"),
        ("ferro-silicon slag", "ferrosilicon slag"),
        ("silicon slag", "ferrosilicon slag"),
        ("硅铁渣", "ferrosilicon slag"),
        ("silicomanganese slag", "silicomanganese slag"),
        ("SiMn slag", "silicomanganese slag"),
        ("硅锰渣", "silicomanganese slag"),
        ("ferroalloy slag", "ferroalloy slag"),
        ("铁合金渣", "ferroalloy slag"),
        ("high carbon ferrochrome slag", "ferrochrome slag"),
        ("铬铁渣", "ferrochrome slag"),
        # iron and steel slags, and a slag of unknown origin
        ("steel slag", "steel slag"),
        ("BOF slag tailings", "steel slag"),  # its remnants keep it (steel slag tailings)
        ("steel slag sludge", "steel slag"),
        ("blast furnace slag", "blast furnace slag"),
        ("slag", "slag"),
        ("waste slag", "slag"),
    ],
)
def test_a_name_resolves_to_the_kind_its_qualifier_names(name, material):
    assert TAXONOMY.resolve(name).material == material


def test_the_kinds_are_apart_where_their_uses_are_their_own():
    """Steel slag's rows rest on its free lime and hardness, ferrosilicon slag's on its
    metal, ferrochrome slag's on its checked chromium: a slag of unknown kind meets none.
    Blast-furnace slag's too (its glass of iron-making: tester-metals9 #2), and the
    non-ferrous slags' (nickel, lead and zinc, tin): every slag is one process's."""
    apart = (
        "steel slag",
        "ferrosilicon slag",
        "ferrochrome slag",
        "copper slag",
        "blast furnace slag",
        "nickel slag",
        "lead and zinc slag",
        "tin slag",
    )
    for material in apart:
        assert not TAXONOMY.interchangeable(material), material
    for material in ("silicomanganese slag", "biomass ash"):
        assert TAXONOMY.interchangeable(material), material
    assert TAXONOMY.resolve("ferrosilicon slag").family == "ferroalloy slag"
    assert TAXONOMY.resolve("copper slag flotation tailings").material == "tailing"


def _pathways_of(materials: list[str]) -> dict[str, set[str]]:
    """The catalogue pathways proposed for a disposed stream of each material (10 t from
    a firm to a landfill), every row's ``role`` emptied so that each row met proposes a
    plant (the network has no receiver): the set is every row the name meets."""
    catalogue = default_catalogue()
    any_role = dataclasses.replace(catalogue, pathways=catalogue.pathways.assign(role=""))
    flows = pd.DataFrame({"source": "A", "target": "DUMP", "material": materials,
                          "category": "waste", "quantity": 10, "unit": "t"})  # fmt: skip
    firms = pd.DataFrame({"id": ["A", "DUMP"], "role": ["firm", "disposal"]})
    table = find_opportunities(from_frames(firms, flows), any_role).table
    found = table.groupby("material")["pathway"].agg(set)
    return {name: found.get(name, set()) for name in materials}


def test_a_biomass_ash_meets_the_wood_ash_rows_not_coal_ash_rows():
    names = ["biomass fly ash", "biomass bottom ash", "生物质飞灰", "wood ash", "CFB fly ash"]
    pathways = _pathways_of(names)
    for name in names[:4]:
        assert {"wood-ash-forest", "wood-ash-agri"} <= pathways[name], name
        assert not {p for p in pathways[name] if p.startswith(("fly-ash", "bottom-ash"))}, name
    assert "fly-ash-cement" in pathways["CFB fly ash"]  # coal's stays coal's
    assert not {p for p in pathways["CFB fly ash"] if p.startswith("wood-ash")}


def test_ferroalloy_slags_meet_their_own_rows_and_no_iron_or_steel_slag_row():
    names = ["ferrosilicon slag", "硅铁渣", "silicomanganese slag", "ferroalloy slag", "slag"]
    pathways = _pathways_of(names)
    iron_and_steel = ("steel-slag", "ladle-slag", "bfs-")
    for name in names[:4]:
        assert not {p for p in pathways[name] if p.startswith(iron_and_steel)}, name
    for name in names[:2]:
        assert {"fesi-slag-deoxidiser", "fesi-slag-ferroalloy", "fesi-slag-bricks"} <= (
            pathways[name]
        ), name
    assert {"simn-slag-cement", "simn-slag-aggregate"} <= pathways["silicomanganese slag"]
    # a ferroalloy slag of unknown alloy: the commonest's rows, not ferrosilicon slag's
    assert "simn-slag-cement" in pathways["ferroalloy slag"]
    assert not {p for p in pathways["ferroalloy slag"] if p.startswith("fesi")}
    # a slag of unknown origin: no iron, steel or ferroalloy slag's rows (tester-metals9 #2)
    assert not {p for p in pathways.get("slag", set())
                if p.startswith(("bfs", "steel-slag", "ladle", "fesi"))}  # fmt: skip


def test_a_ferroalloy_plant_is_a_receiving_sector():
    """The re-melting row needs a sector: 硅铁 and silicomanganese plants are ferroalloy
    plants (Ordos's "ferroalloy" smelter was of no sector)."""
    from symbiosis.catalogue.sectors import default_sectors, normalise_sector

    sectors, ferroalloys = default_sectors(), normalise_sector("ferroalloys")
    for text in ("ferroalloy", "ferrosilicon smelter", "硅铁厂", "silicomanganese plant"):
        assert ferroalloys in sectors.sectors_of(text), text
