"""origins.csv: which slag a source's sector text names the process of, read as the
catalogue's receiving sectors are (whole words, Chinese character by character, the longest
term at each word, never qualifying a material noun)."""

from __future__ import annotations

import pytest

from symbiosis.catalogue import default_catalogue
from symbiosis.catalogue.origins import default_origins, origins_rows
from symbiosis.taxonomy import default_taxonomy
from symbiosis.vocabulary import material_key

TAXONOMY = default_taxonomy()
FAMILIES = {m: f for m in default_origins().order if (f := TAXONOMY.family(m))}
BF, STEEL, CU, NI = "blast furnace slag", "steel slag", "copper slag", "nickel slag"


def test_every_member_is_a_taxonomy_material_of_what_it_refines():
    """Each refines materials of the taxonomy: its own family's generic (a ferroalloy slag
    of unknown alloy, the generic of its own family, refines slag), or members of its
    family (an incinerator's fly ash refines coal's fly ash); a member the taxonomy does
    not name apart (rare earth tailings) is a catalogue material refining a member."""
    catalogue = default_catalogue()
    for row in origins_rows():
        generics = [g.strip() for g in row["refines"].split(";")]
        assert all(TAXONOMY.family(g) is not None for g in generics)
        material = row["material"]
        family = TAXONOMY.family(material)
        if family is None:
            assert catalogue.match(material_key(material))
            assert all(TAXONOMY.family(g) != g for g in generics)
        else:
            assert (family in generics or family == material
                    or all(TAXONOMY.family(g) == family for g in generics))  # fmt: skip


def test_every_member_but_two_has_catalogue_rows_of_its_own():
    """Tin slag has none (it is fumed for its tin first); ferroalloy slag, of unknown
    alloy, meets its family's rows (tests/analysis/test_opportunities_slag_sources.py)."""
    catalogue = default_catalogue()
    filed = {match.material for keys in catalogue.pathways["keys"] if keys
             if (match := TAXONOMY.resolve_closely(keys[0])) is not None}  # fmt: skip
    no_rows = {m for m in FAMILIES if not catalogue.match(material_key(m)) and m not in filed}
    assert no_rows == {"tin slag", "ferroalloy slag"}


@pytest.mark.parametrize(
    ("text", "members"),
    [
        ("iron and steel", (BF, STEEL)),
        ("Iron & Steel", (BF, STEEL)),
        ("integrated steel works", (BF, STEEL)),
        ("钢铁厂", (BF, STEEL)),
        ("製鉄所", (BF, STEEL)),
        ("blast furnace", (BF,)),
        ("炼铁厂", (BF,)),
        ("ironmaking", (BF,)),
        ("steelmaking", (STEEL,)),
        ("BOF", (STEEL,)),
        ("electric arc furnace", (STEEL,)),
        ("steel mill", (STEEL,)),
        ("steel", (STEEL,)),
        ("steel company", (STEEL,)),
        ("steelmaking and steel rolling", (STEEL,)),
        ("copper smelting", (CU,)),
        ("primary copper smelting and refining", (CU,)),
        ("copper and nickel smelter", (CU, NI)),
        ("nickel smelting", (NI,)),
        ("nickel pig iron", (NI,)),  # no pig iron of a blast furnace
        ("含镍生铁", (NI,)),
        ("lead smelting", ("lead and zinc slag",)),
        ("铅锌冶炼厂", ("lead and zinc slag",)),
        ("tin slag fuming", ("lead and zinc slag",)),  # its discard slag is fuming slag
        ("tin smelting", ("tin slag",)),
        ("ferroalloys", ("ferroalloy slag",)),
        ("ferroalloys; ferrosilicon", ("ferrosilicon slag",)),  # the alloy named wins
        ("硅锰合金", ("silicomanganese slag",)),
    ],
)
def test_a_sector_names_the_process_of_its_slag(text, members):
    assert default_origins().members("slag", text, FAMILIES) == members


@pytest.mark.parametrize(
    "text",
    [
        "steel pipe", "steel rolling", "steel slag processing", "blast furnace gas power plant",
        "titanium tetrachloride from blast furnace slag", "nickel refinery", "copper refining",
        "smelting", "slag processing", "cement", "", "rare earth metals",
    ],
)  # fmt: skip
def test_a_sector_naming_no_process_of_a_slag_names_none(text):
    """'steel' with what is made of it, a term qualifying a material noun, a feedstock
    after 'from', a refinery (no slag of its own), a member's own name."""
    assert default_origins().members("slag", text, FAMILIES) == ()


def test_a_generic_ferroalloy_slag_is_read_by_the_alloy_only():
    origins = default_origins()
    assert origins.members("ferroalloy slag", "ferrochrome", FAMILIES) == ("ferrochrome slag",)
    assert origins.members("ferroalloy slag", "iron and steel", FAMILIES) == ()
    assert origins.members("sludge", "iron and steel", FAMILIES) == ()  # no row refines it
    # a works' plain dust is its iron-bearing dust (gases16: not shredder residue)
    assert origins.members("dust", "iron and steel", FAMILIES) == ("iron bearing dust",)


FLY, BIOMASS, MSWI = "fly ash", "biomass ash", "mswi bottom ash"


@pytest.mark.parametrize(
    ("text", "members"),
    [
        ("coal-fired power station", (FLY,)),
        ("Coal Fired Power Plant", (FLY,)),
        ("thermal power", (FLY,)),
        ("燃煤电厂", (FLY,)),
        ("火力発電所", (FLY,)),
        ("biomass power plant", (BIOMASS,)),
        ("biomass boiler", (BIOMASS,)),
        ("生物质发电厂", (BIOMASS,)),
        ("palm oil mill", (BIOMASS,)),
        ("cogeração a bagaço", (BIOMASS,)),
        ("coal and biomass co-firing", (FLY, BIOMASS)),
        ("municipal solid waste incineration", (MSWI,)),
        ("waste-to-energy", (MSWI,)),
        ("垃圾焚烧发电厂", (MSWI,)),
        ("ごみ焼却施設", (MSWI,)),
    ],
)
def test_a_sector_names_the_fuel_of_its_ash(text, members):
    assert default_origins().members("ash", text, FAMILIES) == members


@pytest.mark.parametrize(
    "text",
    ["power plant", "热电厂", "cement", "sludge incineration", "fly ash processing",
     "coal mining", "pulp and paper"],
)  # fmt: skip
def test_a_sector_naming_no_fuel_names_no_ash(text):
    """A power plant of no named fuel, a kiln, a sludge incinerator (its ash is sewage
    sludge ash), a term qualifying a material noun, a mine."""
    assert default_origins().members("ash", text, FAMILIES) == ()
