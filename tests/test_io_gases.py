"""Gas volumes beside other volumes in the one volume dimension (io/gases.py).

Found by a tester: Daqing's associated gas (45 亿立方米) was added to produced water and
sewage in m3, without a word, since its unit is a plain cubic metre: the volume cycling
index and extraction dependence meant nothing. Only Nm3 and Sm3 were told as gases.
"""

from __future__ import annotations

import warnings

import pytest

import symbiosis
from symbiosis.io.gases import is_gas_unit

HEADER = "source,target,material,quantity,unit,category\n"


def gas_warnings(tmp_path, rows: str, said: str = "gas volumes") -> list[str]:
    path = tmp_path / "flows.csv"
    path.write_text(HEADER + rows, encoding="utf-8")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        network = symbiosis.load(path)
    return [w for w in network.warnings if said in w]


def test_the_oilfield_s_gas_in_plain_cubic_metres_is_warned(tmp_path):
    said = gas_warnings(
        tmp_path,
        "OF,GP,associated gas,45,亿立方米,product\nGP,CITY,natural gas,10,亿立方米,product\n"
        "OF,WTP,produced water,65000,万立方米,waste\nWTP,OF,reinjection water,62000,万立方米,"
        "by-product\nCITY,WWTP,municipal wastewater,100000000,m3,waste\n",
    )
    assert len(said) == 1
    assert said[0].endswith(
        "flows.csv: gas volumes ('associated gas' (亿立方米), 'natural gas' (亿立方米); first "
        "on row 2) are added to other volumes ('produced water' (万立方米), 'reinjection "
        "water' (万立方米), 'municipal wastewater' (m3)) in the one volume dimension, so its "
        "totals, cycling and dependence mix m3 of gas with m3 of water; give the gases as "
        "energy (GJ, by their heating value) or mass (t)"
    )


@pytest.mark.parametrize(
    ("gas", "unit"),
    [
        ("natural gas", "m3"),
        ("Biogas", "m3"),
        ("hydrogen", "thousand m3"),
        ("oxygen", "m3"),
        ("nitrogen", "m3"),
        ("CO2", "Mm3"),
        ("carbon dioxide", "m3"),
        ("coke oven gas", "m3"),
        ("compressed air", "m3"),
        ("天然气", "万立方米"),
        ("沼气", "立方米"),
        ("煤层气", "亿立方米"),
        ("effluent", "Nm3"),  # the unit says it
        ("anything", "kNm3"),
        ("anything", "Sm3"),
    ],
)
def test_a_gas_beside_water_is_warned(tmp_path, gas, unit):
    said = gas_warnings(tmp_path, f"A,B,{gas},100,{unit},product\nB,C,water,50,m3,waste\n")
    assert len(said) == 1 and f"gas volumes ('{gas}' ({unit}); first on row 2)" in said[0]


@pytest.mark.parametrize(
    "rows",
    [
        "A,B,natural gas,100,GJ,product\nB,C,water,50,m3,waste\n",  # the gas in energy
        "A,B,hydrogen,100,t,product\nB,C,water,50,m3,waste\n",  # ... or in mass
        "A,B,biogas,100,Nm3,product\nB,C,natural gas,50,m3,product\n",  # gases alone
        "A,B,gas oil,100,m3,product\nB,C,water,50,m3,waste\n",  # liquids named with 'gas'
        "A,B,LNG (liquefied natural gas),100,m3,product\nB,C,water,50,m3,waste\n",
        "A,B,gas field produced water,100,m3,waste\nB,C,water,50,m3,waste\n",
        "A,B,gas condensate,100,m3,product\nB,C,water,50,m3,waste\n",
        "A,B,液化石油气,100,m3,product\nB,C,water,50,m3,waste\n",
        "A,B,gasoline,100,m3,product\nB,C,water,50,m3,waste\n",
    ],
)
def test_no_warning_without_a_gas_volume_beside_another(tmp_path, rows):
    assert gas_warnings(tmp_path, rows) == []


def test_many_materials_are_cut_short(tmp_path):
    rows = "".join(f"A,B,gas {i},1,Nm3,product\n" for i in range(5))
    said = gas_warnings(tmp_path, rows + "B,C,water,1,m3,waste\n")
    assert "('gas 0' (Nm3), 'gas 1' (Nm3), 'gas 2' (Nm3) ...; first on row 2)" in said[0]


@pytest.mark.parametrize(
    ("unit", "gas"),
    [("Nm3", True), ("kNm3", True), ("MMSm3/d", True), ("normal m3", True),
     ("standard cubic metres", True), ("万标方", True), ("m3", False), ("Mm3", False),
     ("thousand m3", False)],
)  # fmt: skip
def test_gas_units(unit, gas):
    assert is_gas_unit(unit) is gas


# ---------------------------------------------------------------- solids in cubic metres


def solid_warnings(tmp_path, rows: str) -> list[str]:
    return gas_warnings(tmp_path, rows, said="solid volumes")


def test_a_forest_city_s_logs_in_cubic_metres_beside_its_effluent_are_warned(tmp_path):
    """tester-cities5: Yichun's sawlogs and pulpwood (m3, as forestry statistics give
    them) were added to its wastewater without a word."""
    said = solid_warnings(
        tmp_path,
        "FOREST,SAW,sawlogs,500000,m3,product\nSAW,PULP,pulpwood,80000,m3,by-product\n"
        "PULP,WWTP,pulp mill wastewater,11000000,m3,waste\n",
    )
    assert len(said) == 1
    assert said[0].endswith(
        "flows.csv: solid volumes ('sawlogs' (m3), 'pulpwood' (m3); first on row 2) are added "
        "to other volumes ('pulp mill wastewater' (m3)) in the one volume dimension, so its "
        "totals, cycling, dependence and the capacities of the opportunities mix m3 of solids "
        "with m3 of water; give the solids as mass (t, by their density: green wood about "
        "0.7-1.0 t/m3, sawnwood about 0.5)"
    )


@pytest.mark.parametrize(
    "solid",
    ["logs", "Sawnwood", "round wood", "plywood", "particle board", "MDF", "wood chips",
     "overburden", "waste rock", "sand", "原木", "锯材", "土方",
     # the forest industry's own words (a tester's Äänekoski: sahahake, sawmill chips)
     "sahahake (sawmill chips)", "metsähake", "chips", "sawdust", "bark", "Hackschnitzel",
     "Rundholz", "flis", "木屑"],
)  # fmt: skip
def test_a_solid_beside_water_is_warned(tmp_path, solid):
    said = solid_warnings(tmp_path, f"A,B,{solid},100,m3,product\nB,C,water,50,m3,waste\n")
    assert len(said) == 1 and f"solid volumes ('{solid}' (m3); first on row 2)" in said[0]


@pytest.mark.parametrize(
    "rows",
    [
        "A,B,logs,100,m3,product\nB,C,sawnwood,50,m3,product\n",  # solids alone: like with like
        "A,B,logs,100,t,product\nB,C,water,50,m3,waste\n",  # the logs in mass
        "A,B,wood vinegar,100,m3,product\nB,C,water,50,m3,waste\n",  # liquids named with wood
        "A,B,fibreboard wastewater,100,m3,waste\nB,C,water,50,m3,waste\n",
        "A,B,sand washing water,100,m3,waste\nB,C,water,50,m3,waste\n",
        "A,B,milk shake,100,m3,product\nB,C,water,50,m3,waste\n",  # no Finnish chips (hake)
        "A,B,bark liquor,100,m3,waste\nB,C,water,50,m3,waste\n",
    ],
)
def test_no_solid_warning_without_a_solid_beside_another_volume(tmp_path, rows):
    assert solid_warnings(tmp_path, rows) == []


def test_wood_gas_is_a_gas_not_a_solid(tmp_path):
    rows = "A,B,wood gas,100,m3,product\nB,C,water,50,m3,waste\n"
    assert solid_warnings(tmp_path, rows) == [] and gas_warnings(tmp_path, rows)


# ----------------------------------------------------- liquid fuels and chemicals in m3


def fuel_warnings(tmp_path, rows: str) -> list[str]:
    return gas_warnings(tmp_path, rows, said="volumes of liquid fuels and chemicals")


def test_a_sugarcane_mill_s_ethanol_beside_its_vinasse_is_warned(tmp_path):
    """tester-agro11 (defect 7): 135,000 m3 of ethanol, as Brazil's ANP gives it, were added
    to the mill's water, vinasse and effluent in one volume, without a word."""
    said = fuel_warnings(
        tmp_path,
        "RIO,USI,água de captação,3000000,m3,product\nDEST,DIST,etanol hidratado,80000,m3,"
        "product\nDEST,DIST,etanol anidro,55000,m3,product\nDEST,LAV,vinhaça,1350000,m3,"
        "by-product\n",
    )
    assert len(said) == 1
    assert said[0].endswith(
        "flows.csv: volumes of liquid fuels and chemicals ('etanol hidratado' (m3), 'etanol "
        "anidro' (m3); first on row 3) are added to other volumes ('água de captação' (m3), "
        "'vinhaça' (m3)) in the one volume dimension, so its totals, cycling and dependence "
        "mix m3 of fuels and chemicals with m3 of water; give them as mass (t, by their "
        "density: ethanol about 0.79 t/m3, diesel 0.84, crude oil 0.85) or energy (GJ, by "
        "their heating value: ethanol about 21 GJ/m3, diesel 36)"
    )


@pytest.mark.parametrize(
    "fuel",
    ["ethanol", "Methanol", "diesel", "gasoline", "fuel oil", "crude oil", "kerosene",
     "naphtha", "biodiesel", "used lubricating oil", "LPG", "LNG (liquefied natural gas)",
     "molasses", "toluene", "sulphuric acid", "óleo diesel", "gasolina", "petróleo",
     "乙醇", "柴油", "原油", "液化石油气"],
)  # fmt: skip
def test_a_liquid_fuel_or_chemical_beside_water_is_warned(tmp_path, fuel):
    said = fuel_warnings(tmp_path, f"A,B,{fuel},100,m3,product\nB,C,water,50,m3,waste\n")
    assert len(said) == 1 and f"chemicals ('{fuel}' (m3); first on row 2)" in said[0]


@pytest.mark.parametrize(
    "rows",
    [
        "A,B,ethanol,100,m3,product\nB,C,diesel,50,m3,product\n",  # fuels alone: like with like
        "A,B,ethanol,100,t,product\nB,C,water,50,m3,waste\n",  # the ethanol in mass
        "A,B,ethanol,100,GJ,product\nB,C,water,50,m3,waste\n",  # ... or in energy
        "A,B,oily wastewater,100,m3,waste\nB,C,water,50,m3,waste\n",  # water with oil
        "A,B,palm oil mill effluent,100,m3,waste\nB,C,water,50,m3,waste\n",
        "A,B,acid mine drainage,100,m3,waste\nB,C,water,50,m3,waste\n",
        "A,B,含油废水,100,m3,waste\nB,C,water,50,m3,waste\n",
        "A,B,boiler feed water,100,m3,product\nB,C,soil washing water,50,m3,waste\n",
        "A,B,natural gas,100,m3,product\nB,C,water,50,m3,waste\n",  # a gas: its own warning
    ],
)
def test_no_fuel_warning_without_a_liquid_fuel_beside_another_volume(tmp_path, rows):
    assert fuel_warnings(tmp_path, rows) == []
