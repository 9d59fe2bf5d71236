"""Chain extension: one proposed plant per process, of a typical plant's size, and never a
plant built for an additive, a fuel or a utility (tester-cities items 8 and 9: Shuozhou's
fly-ash alumina hidden in a "chemicals" plant fed 14.5 Mt of CO2, PCC plants fed 16-43 Mt
of CO2, refineries and steelworks proposed for treated effluent)."""

from __future__ import annotations

import pandas as pd
import pytest

from symbiosis import InputError, from_frames
from symbiosis.analysis.opportunities import find_opportunities
from symbiosis.catalogue import load_catalogue

COLUMNS = ["source", "target", "material", "quantity", "unit", "category"]


def _shuozhou(*extra_firms, extra_flows=()):
    """A coal town as Shuozhou's: power plants emitting CO2 and SO2, a CFB plant dumping
    high-alumina fly ash, a wastewater plant discharging effluent; no chemicals firm."""
    firms = pd.DataFrame(
        [("PWR", "coal-fired power", "utility"), ("CFB", "gangue power plant", "utility"),
         ("WWTP", "wastewater treatment", "treatment"), ("MKT", "", "market"),
         ("ASH", "", "disposal"), ("AIR", "", "environment"), ("RIVER", "", "environment"),
         *extra_firms],
        columns=["id", "sector", "role"],
    )  # fmt: skip
    flows = pd.DataFrame(
        [("MKT", "PWR", "coal", 6_000, "kt", "product"),
         ("PWR", "AIR", "carbon dioxide", 10_000, "kt", "emission"),
         ("CFB", "AIR", "carbon dioxide", 4_500, "kt", "emission"),
         ("PWR", "AIR", "sulfur dioxide", 3, "kt", "emission"),
         ("CFB", "ASH", "fly ash (high-alumina)", 1_400, "kt", "by-product"),
         ("WWTP", "RIVER", "treated effluent", 20, "Mm3", "by-product"),
         *extra_flows],
        columns=COLUMNS,
    )  # fmt: skip
    return from_frames(firms, flows)


@pytest.fixture(scope="module")
def shuozhou():
    # with a paper mill: a satellite PCC plant is built only beside one
    paper = [("PM", "paper mill", "firm")]
    return find_opportunities(
        _shuozhou(*paper, extra_flows=[("MKT", "PM", "wood pulp", 500, "kt", "product")]), top=50
    )


def test_one_plant_per_process_each_with_its_own_feed(shuozhou):
    """The alumina plant takes the fly ash alone; the CO2 chemicals plant and the PCC
    plant are plants of their own (the chemicals sector's processes each named
    after its catalogue row)."""
    plants = {p.pathways: p for p in shuozhou.plants}
    alumina = plants[("fly-ash-alumina",)]
    assert alumina.plant_id == "NEW_FLY_ASH_ALUMINA" and alumina.sector == "chemicals"
    assert alumina.products == ("alumina extraction",)
    assert [f["material"] for f in alumina.feeds] == ["fly ash (high-alumina)"]
    assert alumina.available == {"mass": 1_400_000}
    co2 = plants[("co2-chemicals",)]
    assert co2.plant_id == "NEW_CO2_CHEMICALS"
    assert {f["material"] for f in co2.feeds} == {"carbon dioxide"}
    # the power plant's stack SO2 (3 kt, dilute flue gas) makes no acid plant (.states)
    assert ("so2-acid",) not in plants
    for plant in shuozhou.plants:  # never a feed of another process
        assert {f["pathway"] for f in plant.feeds} <= set(plant.pathways)
    chemicals = [p for p in shuozhou.plants if p.sector == "chemicals"]
    assert len({p.plant_id for p in chemicals}) == len(chemicals) >= 2


def test_a_plant_takes_a_typical_plants_intake_and_says_how_many_the_feed_fills(shuozhou):
    """The PCC plant takes 18 kt of CO2 (the catalogue's satellite plant), not the
    14.5 Mt emitted: the rest would fill 806 plants of that size."""
    pcc = {p.pathways: p for p in shuozhou.plants}[("co2-pcc",)]
    assert pcc.dumped == pcc.typical_intake == {"mass": 18_000}
    assert pcc.available == {"mass": 14_500_000}
    assert pcc.plants_of_typical_size == {"mass": 806}
    assert not pcc.unbounded
    # the largest stream first; what the plant takes of each, the first taking it all
    assert [(f["quantity"], f["taken"]) for f in pcc.feeds] == [(10e6, 18_000), (4.5e6, 0)]
    data = pcc.to_dict()
    assert data["plants_of_typical_size"] == {"mass": 806} and data["unbounded"] is False
    # a plant of no typical intake: the whole stream, an upper bound, said so
    alumina = {p.pathways: p for p in shuozhou.plants}[("fly-ash-alumina",)]
    assert alumina.unbounded and alumina.dumped == {"mass": 1_400_000}
    assert alumina.typical_intake == {} and alumina.plants_of_typical_size == {}


def test_no_primary_plant_is_built_for_a_utility_input(shuozhou):
    """Treated effluent is a utility of a refinery, a steelworks, a paper mill or a
    chemicals plant: none is proposed to use it. An irrigation scheme still is."""
    effluent = shuozhou.table[shuozhou.table["material"] == "treated effluent"]
    built = set(effluent.loc[effluent["new_plant"], "pathway"])
    assert not built & {"effluent-steel", "effluent-refinery", "effluent-paper",
                        "effluent-chemicals", "effluent-cooling"}  # fmt: skip
    assert "effluent-irrigation" in built


def test_a_utility_row_still_proposes_an_existing_receiver():
    firms = [("BG", "iron and steel", "firm")]
    flows = [("MKT", "BG", "iron ore", 10_000, "kt", "product")]
    result = find_opportunities(_shuozhou(*firms, extra_flows=flows), top=50)
    table = result.table
    steel = table[(table["material"] == "treated effluent") & (table["target"] == "BG")]
    assert "effluent-steel" in set(steel["pathway"])


def test_no_cement_kiln_is_built_for_an_additive_or_a_fuel():
    """Fly ash is a constituent, FGD gypsum a set retarder, tyres a kiln fuel: no new
    cement plant for any of them (Daqing's spent FCC catalyst and fly ash each got one)."""
    extra = [("PWR", "ASH", "fly ash", 300, "kt", "by-product"),
             ("PWR", "ASH", "FGD gypsum", 200, "kt", "by-product"),
             ("PWR", "ASH", "waste tyres", 5, "kt", "waste")]  # fmt: skip
    result = find_opportunities(_shuozhou(extra_flows=extra), top=50)
    table = result.table
    assert table.loc[table["new_plant"], "target_sector"].ne("cement").all()
    assert "cement" not in {p.sector for p in result.plants}


def test_a_sector_of_one_process_keeps_its_name(tmp_path):
    """NEW_<SECTOR> when the candidates propose one process of the sector; the same
    whatever is listed."""
    path = tmp_path / "mine.csv"
    path.write_text(
        "id,material,dimension,receiving_sector,product,source,role\n"
        "ash-bricks,fly ash (high-alumina),mass,bricks,fired bricks,a study,\n"
        "ash-glaze,fly ash (high-alumina),mass,bricks,glazed tiles,a study,additive\n",
        encoding="utf-8",
    )
    catalogue = load_catalogue(path, replace=True)
    for top in (0, 50):
        result = find_opportunities(_shuozhou(), catalogue, top=top)
        assert [p.plant_id for p in result.plants] == ["NEW_BRICKS"]
        assert set(result.table["target"]) == {"NEW_BRICKS"}


def test_a_role_is_one_of_the_known_words(tmp_path):
    path = tmp_path / "mine.csv"
    path.write_text("id,material,receiving_sector,source,role\na,fly ash,cement,EN 450-1,"
                    "corrective\nb,slag,cement,EN 15167-1,Additive\n")  # fmt: skip
    with pytest.raises(InputError) as error:
        load_catalogue(path)
    [problem] = error.value.problems
    assert (problem.row, problem.column) == (2, "role")
    assert problem.message == "unknown role 'corrective'"
    assert "feedstock, additive, fuel, utility" in problem.hint
