"""Steam in a unit of mass beside other masses (io/steam.py).

Found by a tester: the palm oil complex's boiler sent the mill 165,000 t of process steam,
fired with 48,500 t of the mill's fibre and shell; the mass cycling index counted the
steam's tonnes (feed water) as cycled material, two fifths of the cycled mass, and nothing
said so (tester-agro11, defect 8).
"""

from __future__ import annotations

import warnings

import pytest

import symbiosis

HEADER = "source,target,material,quantity,unit,category\n"
FUEL = "MILL,BOIL,mesocarp fibre,40500,t,by-product\n"
SAID = "steam in a unit of mass"


def steam_warnings(tmp_path, rows: str) -> list[str]:
    path = tmp_path / "flows.csv"
    path.write_text(HEADER + rows, encoding="utf-8")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        network = symbiosis.load(path)
    return [w for w in network.warnings if SAID in w]


def test_the_palm_boiler_s_steam_in_tonnes_is_warned(tmp_path):
    said = steam_warnings(tmp_path, FUEL + "BOIL,MILL,process steam,165000,t,product\n"
                          "MILL,MKT,crude palm oil,60000,t,product\n")  # fmt: skip
    assert len(said) == 1
    assert said[0].endswith(
        "flows.csv: steam in a unit of mass ('process steam' (t); first on row 3) is added to "
        "the materials of the mass dimension ('mesocarp fibre' (t), 'crude palm oil' (t)): "
        "its tonnes are boiler feed water, not the fuel a boiler takes in, yet the mass "
        "totals count them and the mass cycling index counts a fuel -> boiler -> steam loop "
        "as cycled material; give steam as energy (GJ: about 2.7-2.8 GJ per t saturated, up "
        "to 3.5 superheated), or read the mass figures as counting that water "
        "(docs/cycling.md, 'Steam in tonnes')"
    )


@pytest.mark.parametrize(
    ("steam", "unit"),
    [("Steam", "kt"), ("LP steam", "t"), ("vapor de processo", "t"), ("Prozessdampf", "t"),
     ("Dampf", "kg"), ("蒸汽", "万吨"), ("余汽", "吨"), ("蒸気", "トン"), ("스팀", "톤")],
)  # fmt: skip
def test_steam_named_in_any_language_is_warned(tmp_path, steam, unit):
    said = steam_warnings(tmp_path, FUEL + f"BOIL,MILL,{steam},10,{unit},product\n")
    assert len(said) == 1 and f"'{steam}' ({unit})" in said[0]


@pytest.mark.parametrize(
    "rows",
    [
        "BOIL,MILL,process steam,462000,GJ,product\n",  # given as energy
        "BOIL,MILL,steam condensate,100,t,by-product\n",  # water
        "MILL,BOIL,steam coal,100,t,product\n",  # a fuel
        "BOIL,AIR,water vapour,100,t,emission\n",  # a mass released to the air
        "BOIL,MILL,冷凝水,100,t,by-product\n",
    ],
)
def test_steam_as_energy_and_what_is_not_steam_are_not_warned(tmp_path, rows):
    assert steam_warnings(tmp_path, FUEL + rows) == []


def test_steam_alone_in_mass_adds_like_with_like(tmp_path):
    rows = "BOIL,MILL,process steam,100,t,product\nMILL,BOIL,heat,5,GJ,by-product\n"
    assert steam_warnings(tmp_path, rows) == []
