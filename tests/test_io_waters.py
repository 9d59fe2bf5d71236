"""Water in a unit of mass beside other masses (io/waters.py).

Found by a tester: Ningdong's ZLD centre took 8 Mt of high-salinity wastewater and returned
6.8 Mt of reclaimed water, given in Mt as Chinese plants give water (万吨); the mass reuse
share (10.3 %) and the mass cycling index (4.8 %, all of it the water loop) measured water,
and nothing said so, while steam in t and gases in m3 were warned (tester-resources12,
defect 7).
"""

from __future__ import annotations

import re
import subprocess
import sys
import warnings

import pytest

import symbiosis
from symbiosis.io.waters import MAYBE_WATER, WATER_FAMILY
from symbiosis.taxonomy import default_taxonomy

HEADER = "source,target,material,quantity,unit,category\n"
COAL = "MINE,CTL,feed coal (原料煤),14,Mt,product\n"
SAID = "water in a unit of mass"


def water_warnings(tmp_path, rows: str) -> list[str]:
    path = tmp_path / "flows.csv"
    path.write_text(HEADER + rows, encoding="utf-8")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        network = symbiosis.load(path)
    return [w for w in network.warnings if SAID in w]


def test_ningdong_s_water_in_mt_is_warned_with_its_first_row(tmp_path):
    rows = ("CTL,ZLD,high-salinity wastewater (高盐废水),6,Mt,waste\n"
            "ZLD,CTL,reclaimed water (回用水),6.8,Mt,by-product\n")  # fmt: skip
    said = water_warnings(tmp_path, COAL + rows)
    assert len(said) == 1
    assert said[0].endswith(
        "flows.csv: water in a unit of mass ('high-salinity wastewater (高盐废水)' (Mt), "
        "'reclaimed water (回用水)' (Mt); first on row 3) is added to the materials of the "
        "mass dimension ('feed coal (原料煤)' (Mt)): its tonnes swell the mass throughput, "
        "the reused and disposed masses and the reuse share, and a water loop counts as "
        "cycled material in the mass cycling index, so that these measure water more than "
        "materials; give water in m3 (1 t of water is about 1 m3: 万吨 as 万m3), which the "
        "volume dimension holds apart, or read the mass figures as counting that water "
        "(docs/cycling.md, 'Water in tonnes')"
    )


@pytest.mark.parametrize(
    ("water", "unit"),
    [("ammonia-nitrogen wastewater (氨氮废水)", "万吨"), ("treated effluent", "kt"),
     ("cooling water", "t"), ("中水", "万t"), ("排水", "トン"), ("폐수", "톤"),
     ("steam condensate", "t"), ("mine water", "Mt"), ("efluente tratado", "t"),
     ("除盐水", "吨")],
)  # fmt: skip
def test_water_named_in_any_language_is_warned(tmp_path, water, unit):
    said = water_warnings(tmp_path, COAL + f"CTL,WWTP,{water},10,{unit},waste\n")
    assert len(said) == 1 and f"'{water}' ({unit})" in said[0]


@pytest.mark.parametrize(
    "rows",
    [
        "CTL,ZLD,high-salinity wastewater,6,Mm3,waste\n",  # given as a volume
        "CTL,ZLD,高盐废水,600,万m3,waste\n",
        "WWTP,LF,wastewater sludge,100,t,waste\n",  # a sludge
        "WWTP,RIVER,ammonia nitrogen (氨氮),14480,t,emission\n",  # a load the water carries
        "BF,CEM,granulated blast furnace slag (高炉水渣),3,Mt,by-product\n",  # 水 in a slag
        "CEM,MKT,cement (水泥),3,Mt,product\n",
        "ZLD,AIR,water vapour,1.1,Mt,emission\n",
        "CTL,MKT,ammonia water (氨水),10,kt,by-product\n",
    ],
)
def test_water_as_volume_and_what_is_not_water_are_not_warned(tmp_path, rows):
    assert water_warnings(tmp_path, COAL + rows) == []


def test_water_alone_in_mass_adds_like_with_like(tmp_path):
    rows = "CTL,ZLD,wastewater,6,Mt,waste\nZLD,CTL,reclaimed water,5,Mt,by-product\n"
    assert water_warnings(tmp_path, rows) == []


def test_the_pattern_keeps_every_name_of_the_water_family():
    """The pattern only spares the taxonomy the names that cannot be waters: every name of
    the family (English, Portuguese, Spanish, Chinese, Japanese, Korean) must pass it."""
    taxonomy = default_taxonomy()
    names = [key for key, m in taxonomy.by_key.items() if taxonomy.family(m) == WATER_FAMILY]
    names += [zh for zh, m in taxonomy.by_chinese.items() if taxonomy.family(m) == WATER_FAMILY]
    assert len(names) > 50
    missed = [n for n in names if not re.search(MAYBE_WATER, n, re.IGNORECASE)]
    assert missed == []


def test_a_table_whose_waters_are_in_m3_never_loads_the_taxonomy(tmp_path):
    (tmp_path / "flows.csv").write_text(
        HEADER + COAL + "CTL,ZLD,wastewater,6,Mm3,waste\n", encoding="utf-8"
    )
    code = (
        "import sys, warnings\nwarnings.simplefilter('ignore')\nimport symbiosis\n"
        f"symbiosis.load({str(tmp_path / 'flows.csv')!r})\n"
        "print('symbiosis.taxonomy' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["False"]
