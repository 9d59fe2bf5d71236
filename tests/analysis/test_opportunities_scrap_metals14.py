"""A metal's scrap goes to that metal's smelter or refinery, never another metal's (taxa14,
from tester-resources12): nickel, cobalt, lead and zinc scrap had no member and no row, so
"nickel scrap" and "lead scrap / 废铅" were scrap of any metal (a dealer's at most), zinc
dross aluminium scrap, and "铜粉" (copper powder) unread."""

from __future__ import annotations

import warnings

import pandas as pd

from symbiosis import from_frames
from symbiosis.analysis.opportunities import find_opportunities

FIRMS = [
    ("PCB", "printed circuit board recycling", "recycling"),
    ("GALV", "hot-dip galvanizing", "firm"),
    ("CU", "copper smelting", "firm"),
    ("PB", "secondary lead smelting", "firm"),
    ("ZN", "zinc smelter", "firm"),
    ("NI", "nickel refinery", "firm"),
    ("CO", "cobalt refinery", "firm"),
    ("AL", "secondary aluminium", "firm"),
    ("MKT", "", "market"),
    ("LF", "", "disposal"),
]
FLOWS = [
    ("PCB", "LF", "铜粉", 450, "t", "waste"),
    ("PCB", "LF", "nickel scrap (废镍)", 300, "t", "waste"),
    ("PCB", "LF", "废钴", 50, "t", "waste"),
    ("PCB", "LF", "lead scrap / 废铅", 200, "t", "waste"),
    ("GALV", "LF", "zinc dross/scrap", 800, "t", "waste"),
    ("MKT", "CU", "copper concentrate", 1000, "kt", "product"),
    ("MKT", "AL", "aluminium scrap", 50, "kt", "waste"),
    ("MKT", "PB", "lead concentrate", 50, "kt", "product"),
    ("MKT", "ZN", "zinc concentrate", 300, "kt", "product"),
    ("MKT", "NI", "nickel matte", 100, "kt", "product"),
    ("MKT", "CO", "cobalt hydroxide", 20, "kt", "product"),
]
TAKER = {"铜粉": "CU", "nickel scrap (废镍)": "NI", "废钴": "CO", "lead scrap / 废铅": "PB",
         "zinc dross/scrap": "ZN"}  # fmt: skip
COLUMNS = ["source", "target", "material", "quantity", "unit", "category"]
METAL_PLANTS = set(TAKER.values()) | {"AL"}


def _table() -> pd.DataFrame:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        network = from_frames(
            pd.DataFrame(FIRMS, columns=["id", "sector", "role"]),
            pd.DataFrame(FLOWS, columns=COLUMNS),
        )
    return find_opportunities(network, top=0, impact=False).table


def test_each_metals_scrap_goes_to_its_own_smelter_or_refinery():
    table = _table()
    for material, taker in TAKER.items():
        targets = set(table.loc[table["material"] == material, "target"])
        assert taker in targets, material
        assert not (targets & METAL_PLANTS) - {taker}, (material, targets)


def test_zinc_dross_is_no_aluminium_scrap():
    """ "dross" alone is aluminium's; zinc dross goes to the zinc smelter, not the
    aluminium remelter that takes aluminium scrap."""
    table = _table()
    assert "AL" not in set(table.loc[table["material"] == "zinc dross/scrap", "target"])
