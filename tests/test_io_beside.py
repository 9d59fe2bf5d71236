"""The warnings of flows added to others of a dimension they do not belong with
(io/beside.py: the shape shared by io/gases.py, io/steam.py, io/waters.py and io/loads.py).

Each warning names up to three materials of each side with the unit of their first row
(then "..."), the first row of the flows it warns about, and is given once per table, in
the order gases, solids, fuels (volumes), then steam, water (masses).
"""

from __future__ import annotations

import warnings

import symbiosis

HEADER = "source,target,material,quantity,unit,category\n"
ROWS = (
    "MINE,CTL,feed coal,14,Mt,product\n"  # 2: the other mass
    "A,B,natural gas,100,Nm3,product\n"  # 3: a gas volume
    "CTL,ZLD,wastewater,6,Mt,waste\n"  # 4: water in mass
    "SAW,PULP,sawlogs,5,m3,product\n"  # 5: a solid volume
    "B,C,produced water,50,m3,waste\n"  # 6: the other volume
    "BOIL,CTL,process steam,3,t,product\n"  # 7: steam in mass
    "CTL,ZLD,cooling water,6,t,waste\n"
    "CTL,ZLD,mine water,6,kt,waste\n"
    "CTL,ZLD,中水,6,万吨,waste\n"  # a fourth water: "..."
    "DEST,DIST,ethanol,8,m3,product\n"  # 11: a fuel volume
)


def test_every_warning_of_the_family_in_one_table(tmp_path):
    path = tmp_path / "flows.csv"
    path.write_text(HEADER + ROWS, encoding="utf-8")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        said = symbiosis.load(path).warnings
    found = [
        w.split("flows.csv: ")[1].split(" in the one volume dimension")[0].split("): its ")[0]
        for w in said
        if "; first on row " in w
    ]
    assert found == [
        "gas volumes ('natural gas' (Nm3); first on row 3) are added to other volumes "
        "('sawlogs' (m3), 'produced water' (m3), 'ethanol' (m3))",
        "solid volumes ('sawlogs' (m3); first on row 5) are added to other volumes "
        "('natural gas' (Nm3), 'produced water' (m3), 'ethanol' (m3))",
        "volumes of liquid fuels and chemicals ('ethanol' (m3); first on row 11) are added to "
        "other volumes ('natural gas' (Nm3), 'sawlogs' (m3), 'produced water' (m3))",
        "steam in a unit of mass ('process steam' (t); first on row 7) is added to the "
        "materials of the mass dimension ('feed coal' (Mt), 'wastewater' (Mt), "
        "'cooling water' (t) ...",
        "water in a unit of mass ('wastewater' (Mt), 'cooling water' (t), 'mine water' "
        "(kt) ...; first on row 4) is added to the materials of the mass dimension "
        "('feed coal' (Mt), 'process steam' (t)",
    ]
