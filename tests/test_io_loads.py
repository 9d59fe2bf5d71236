"""An effluent's pollutant load in a unit of mass beside other masses (io/loads.py).

Found by a tester: Baotou's WWTP discharged 14,480 t of ammonia nitrogen (氨氮, NH3-N) to the
Yellow River, given in t as Chinese statistics give a load; the mass dimension counted those
tonnes as a material beside the iron ore and the slags (in the disposed mass and the reuse
share), although they are a few mg/L of the wastewater that carries them, and nothing said
so, while water in tonnes was warned.
"""

from __future__ import annotations

import re
import warnings

import pytest

import symbiosis
from symbiosis._hanzi import simplified
from symbiosis.io.loads import LOAD_FAMILY, MAYBE_LOAD
from symbiosis.taxonomy import default_taxonomy

HEADER = "source,target,material,quantity,unit,category\n"
SLAG = "BTS,SLAGD,blast furnace slag (高炉渣),2.3,Mt,waste\n"
SAID = "load an effluent carries"


def load_warnings(tmp_path, rows: str) -> list[str]:
    path = tmp_path / "flows.csv"
    path.write_text(HEADER + rows, encoding="utf-8")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        network = symbiosis.load(path)
    return [w for w in network.warnings if SAID in w]


def test_a_wwtp_s_ammonia_nitrogen_in_tonnes_is_warned_with_its_first_row(tmp_path):
    rows = ("NRE,WWTP,ammonia-nitrogen wastewater (氨氮废水),2.5,Mm3,waste\n"
            "WWTP,RIVER,ammonia nitrogen (氨氮),14480,t,emission\n"
            "WWTP,RIVER,COD,2100,t,emission\n")  # fmt: skip
    said = load_warnings(tmp_path, SLAG + rows)
    assert len(said) == 1
    assert said[0].endswith(
        "flows.csv: a load an effluent carries in a unit of mass ('ammonia nitrogen (氨氮)' "
        "(t), 'COD' (t); first on row 4) is added to the materials of the mass dimension "
        "('blast furnace slag (高炉渣)' (Mt)): its tonnes are a pollutant dissolved or "
        "suspended in a wastewater (mg/L to g/L), no material anyone sends or takes, yet they "
        "swell the mass throughput, the disposed and reused masses and the reuse share, beside "
        "the water that carries them when it is a flow too; leave the load out of the flows "
        "table (as a column of the wastewater's row, e.g. nh3_n_t, it is kept as an attribute "
        "and counted nowhere), or read the mass figures as counting it (docs/cycling.md, "
        "'Effluent loads in tonnes')"
    )


def test_baotou_s_wastewater_and_its_nh3_n_in_tonnes_get_a_warning_each(tmp_path):
    """Baotou's rows (tester12): the wastewater in 万吨 is water in mass, its load a load."""
    rows = ("BYO,CONC,iron ore (原矿),15.0,Mt,product\n"
            "NRE,WWTP,ammonia-nitrogen wastewater (氨氮废水),250,万吨,waste\n"
            "WWTP,RIVER,ammonia nitrogen (氨氮),14480,t,emission\n"
            "WWTP,RIVER,fluoride (氟化物),1780,t,emission\n"
            "WWTP,RIVER,treated effluent,20,Mm3,emission\n")  # fmt: skip
    path = tmp_path / "flows.csv"
    path.write_text(HEADER + rows, encoding="utf-8")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        said = symbiosis.load(path).warnings
    assert [w.split("; first on row ")[1][:2] for w in said if "; first on row " in w] == [
        "3)",  # the wastewater: water in a unit of mass
        "4)",  # its NH3-N: a load an effluent carries
    ]
    assert "('ammonia nitrogen (氨氮)' (t); first on row 4)" in next(w for w in said if SAID in w)


@pytest.mark.parametrize(
    ("load", "unit"),
    [("氨氮", "t"), ("NH3-N", "kg"), ("ammoniacal nitrogen", "t"), ("CODcr", "t"),
     ("化学需氧量", "吨"), ("BOD5", "t"), ("总氮", "t"), ("total phosphorus", "kg"),
     ("总磷", "t"), ("suspended solids", "t"), ("悬浮物", "万吨"), ("TN", "t"), ("TP", "t"),
     ("ammonia-nitrogen", "t")],
)  # fmt: skip
def test_loads_named_in_any_language_are_warned(tmp_path, load, unit):
    said = load_warnings(tmp_path, SLAG + f"WWTP,RIVER,{load},10,{unit},emission\n")
    assert len(said) == 1 and f"'{load}' ({unit})" in said[0]


@pytest.mark.parametrize(
    "rows",
    [
        "NRE,WWTP,ammonia-nitrogen wastewater (氨氮废水),250,万吨,waste\n",  # the water
        "ASU,PVC,nitrogen (氮气),5000,t,product\n",  # a gas
        "PP,AIR,nitrogen oxides,300,t,emission\n",
        "NRE,MKT,ammonium chloride (氯化铵),20000,t,by-product\n",
        "PH,MKT,yellow phosphorus (黄磷),800,t,product\n",
        "WWTP,LF,wastewater sludge,100,t,waste\n",
        "WWTP,RIVER,ammonia nitrogen (氨氮),14480,kWh,emission\n",  # not a mass
    ],
)
def test_what_is_no_load_or_not_in_mass_is_not_warned(tmp_path, rows):
    assert load_warnings(tmp_path, SLAG + rows) == []


def test_loads_alone_in_mass_add_like_with_like(tmp_path):
    rows = "WWTP,RIVER,氨氮,14480,t,emission\nWWTP,RIVER,COD,2100,t,emission\n"
    assert load_warnings(tmp_path, rows) == []


def test_the_pattern_keeps_every_name_of_the_load_family():
    """The pattern only spares the taxonomy the names that cannot be loads: every name of
    the family (English, Chinese, Japanese, Korean) must pass it, as written or, for a
    simplified form the taxonomy reads too (浮游物质 of 浮遊物質), as its name is written
    (:func:`symbiosis.io.beside.matching` reads both)."""
    taxonomy = default_taxonomy()
    names = [key for key, m in taxonomy.by_key.items() if taxonomy.family(m) == LOAD_FAMILY]
    names += [zh for zh, m in taxonomy.by_chinese.items() if taxonomy.family(m) == LOAD_FAMILY]
    assert len(names) > 30
    written: dict[str, set[str]] = {}
    for name in names:
        written.setdefault(simplified(name), set()).add(name)
    missed = [n for n in names if not any(re.search(MAYBE_LOAD, w, re.IGNORECASE)
                                          for w in {n, *written[simplified(n)]})]  # fmt: skip
    assert missed == []


@pytest.mark.parametrize("load", ["SS", "ss", " SS ", "SS（悬浮物）", "SS (悬浮物)"])
def test_ss_the_suspended_solids_of_chinese_tables_is_a_load(tmp_path, load):
    """SS (悬浮物), as Chinese permits and EIA tables write the suspended solids beside
    COD and 氨氮 (a tester: not read as a load); a whole name, as TN and TP are."""
    said = load_warnings(tmp_path, SLAG + f"WWTP,RIVER,{load},120,t,emission\n")
    assert len(said) == 1 and f"'{load.strip()}' (t)" in said[0]


@pytest.mark.parametrize(
    "material",
    [
        *("SS scrap", "glass", "press mud", "SSD", "boss", "SS slag", "stainless steel"),
        *("gross", "SS dust", "SS powder", "stainless steel SS", "SS (stainless steel)"),
    ],
)
def test_ss_inside_another_name_is_no_load(tmp_path, material):
    """SS is suspended solids only as the whole name: stainless steel scrap written "SS
    scrap", and a word holding the letters (glass), are materials."""
    assert load_warnings(tmp_path, SLAG + f"A,B,{material},120,t,by-product\n") == []
